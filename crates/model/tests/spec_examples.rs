//! Every example of `shared/spec/records.md` must parse. The examples are repeated here so
//! the contract is tested on a fresh clone; a second test reads the spec itself where the
//! shared folder is present, so a new example there is tested too.

use redflag_model::{Assessment, Kind, Record, RecordError, parse_record};

const EXAMPLES: &[&str] = &[
    r#"{"kind":"subject","id":"c-1042","observed_at":"2026-03-02T14:00:00Z","source":"freelance-platform","name":"Daniel Park","other_names":["Dan Park"],"date_of_birth":"1994-05-12","nationality":"US","location":{"country":"US","region":"TX","city":"Austin","timezone":"America/Chicago"},"languages":[{"language":"en","fluency":"native"},{"language":"ko","fluency":"conversational"}],"emails":["daniel.park.dev@gmail.com"],"phones":["+1 512 555 0147"],"profiles":[{"network":"github","username":"dpark-dev","url":"https://github.com/dpark-dev","created":"2025-11-20","oldest_activity":"2019-03-14"},{"network":"linkedin","url":"https://www.linkedin.com/in/daniel-park-dev","created":"2019-04-02","connections":38}],"referred_by":"c-0977","education":[{"institution":"University of Texas at Austin","degree":"BSc","field":"Computer Science","start":"2012-09","end":"2016-05","country":"US"}],"work":[{"employer":"Shopify","title":"Senior Software Engineer","start":"2017-01","end":"2021-06","country":"CA"}],"role":"full-stack developer","rate":{"amount":25,"currency":"USD","per":"hour"},"photo_phash":"c3a1f0e8d2b49716","resume_text":"Full-stack developer with 8 years ...","address":{"line1":"1200 Barton Springs Rd","city":"Austin","region":"TX","postal_code":"78704","country":"US"}}"#,
    r#"{"kind":"login","subject":"c-1042","account":"gitlab:dpark","at":"2026-03-05T01:12:44Z","ip":"203.0.113.7","success":true,"user_agent":"Mozilla/5.0 ...","device_id":"d-9f2","mfa_device":"totp-8812","session_id":"s-77"}"#,
    r#"{"kind":"payout_account","subject":"c-1042","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{"id":"acct-51","holder":"Daniel Park","institution":"Chase","country":"US","number":"****4821"}}"#,
    r#"{"kind":"payment","id":"p-77","subject":"c-1042","at":"2026-03-31T17:00:00Z","direction":"payout","amount":"1200.00","currency":"USD","method":"wise","account":{"id":"acct-51"},"memo":"March invoice"}"#,
    r#"{"kind":"payment_request","subject":"c-1042","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"T..."}},"note":"prefers USDT on TRON"}"#,
    r#"{"kind":"interview","subject":"c-1042","at":"2026-02-20T16:00:00Z","mode":"video","outcome":"completed","camera":"on","liveness_challenge":"failed","deepfake_indicators":["face_artifacts_on_occlusion","lip_sync_mismatch"],"identity_matches_profile":false,"language":"en","notes":"..."}"#,
    r#"{"kind":"document","subject":"c-1042","doc_type":"passport","requested_at":"2026-02-21T10:00:00Z","provided_at":"2026-03-09T08:00:00Z","status":"provided","issuing_country":"US","name_on_document":"Daniel Park","date_of_birth":"1994-05-12","issues":["font_mismatch"]}"#,
    r#"{"kind":"credential_check","subject":"c-1042","at":"2026-03-01T10:00:00Z","target":"education","institution":"University of Texas at Austin","outcome":"not_found","detail":"no record of enrolment"}"#,
    r#"{"kind":"contract","subject":"c-1042","at":"2026-03-01T09:00:00Z","event":"work_started"}"#,
    r#"{"kind":"bid","subject":"c-1042","at":"2026-02-10T08:00:00Z","project":"proj-9","role":"full-stack developer","amount":15,"currency":"USD","per":"hour","competing":[45,60,38,52]}"#,
    r#"{"kind":"device","subject":"c-1042","at":"2026-03-06T02:00:00Z","device_id":"d-9f2","os":"Windows 11","timezone":"Asia/Shanghai","locale":"ko-KR","keyboard_layouts":["en-US","ko-KR"],"remote_access_tools":["anydesk"],"vpn_clients":["astrill"],"usb_devices":["1209:eda1 PiKVM"],"public_ip":"203.0.113.7"}"#,
    r#"{"kind":"shipment","subject":"c-1042","at":"2026-02-28T12:00:00Z","item":"laptop","recipient":"Daniel Park","address":{"line1":"88 Elm St Apt 3","city":"Nashville","region":"TN","postal_code":"37203","country":"US"}}"#,
    r#"{"kind":"message","subject":"c-1042","at":"2026-02-12T03:00:00Z","channel":"phone","direction":"inbound","from":"+1 512 555 0147","language":"en"}"#,
    r#"{"kind":"activity","subject":"c-1042","at":"2026-03-06T01:45:00Z","type":"commit","repository":"acme/web"}"#,
];

#[test]
fn every_spec_example_parses_and_covers_every_kind() {
    let mut kinds = Vec::new();
    for line in EXAMPLES {
        let parsed = parse_record(line).unwrap_or_else(|e| panic!("{e}\n{line}"));
        assert_eq!(parsed.record.subject().as_str(), "c-1042");
        kinds.push(parsed.record.kind());
    }
    kinds.sort();
    // `identity` is redflag's own kind, beyond the spec.
    let spec_kinds: Vec<Kind> = Kind::ALL
        .iter()
        .copied()
        .filter(|k| *k != Kind::Identity)
        .collect();
    assert_eq!(kinds, spec_kinds);
}

#[test]
fn an_identity_record_maps_an_identifier_to_a_subject() {
    let line = r#"{"kind":"identity","subject":"c-1042","type":"user_id","value":"00u1abc","source":"hr"}"#;
    let Record::Identity(i) = parse_record(line).unwrap().record else {
        panic!("not an identity");
    };
    assert_eq!(i.identity_type, redflag_model::IdentityType::UserId);
    assert_eq!(i.value, "00u1abc");
    let e = parse_record(r#"{"kind":"identity","subject":"c-1","type":"fax","value":"1"}"#)
        .unwrap_err();
    assert_eq!(e.field(), Some("type"), "{e}");
}

#[test]
fn examples_in_the_shared_spec_parse() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/records.md");
    let Ok(text) = std::fs::read_to_string(&path) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but {} is missing",
            path.display()
        );
        eprintln!("skipped: {} not found", path.display());
        return;
    };
    let mut count = 0;
    for block in text.split("```json").skip(1) {
        let body = block.split("```").next().unwrap_or("");
        // Examples are pretty-wrapped over several lines; the output example is not a record.
        let joined: String = body.lines().map(str::trim).collect::<Vec<_>>().join("");
        let value: serde_json::Value =
            serde_json::from_str(&joined).unwrap_or_else(|e| panic!("{e}\n{joined}"));
        if value.get("kind").is_none() {
            // The "Output" example: it must read back as our assessment type.
            serde_json::from_value::<Assessment>(value).unwrap_or_else(|e| panic!("{e}\n{joined}"));
            continue;
        }
        parse_record(&joined).unwrap_or_else(|e| panic!("{e}\n{joined}"));
        count += 1;
    }
    assert!(count >= 14, "only {count} examples found");
}

#[test]
fn errors_name_the_field_and_what_was_expected() {
    let cases = [
        (
            r#"{"kind":"login","subject":"c-1","at":"yesterday","ip":"1.2.3.4"}"#,
            "at",
        ),
        (
            r#"{"kind":"login","subject":"c-1","at":"2026-03-05T01:12:44Z","ip":"999.1.1.1"}"#,
            "ip",
        ),
        (
            r#"{"kind":"login","subject":"c-1","at":"2026-03-05T01:12:44Z"}"#,
            "ip",
        ),
        (
            r#"{"kind":"subject","id":"c-1","location":{"country":"XX"}}"#,
            "location.country",
        ),
        (
            r#"{"kind":"subject","id":"c-1","date_of_birth":"1994-02-30"}"#,
            "date_of_birth",
        ),
        (
            r#"{"kind":"payment","subject":"c-1","at":"2026-03-05T01:12:44Z","amount":"ten","currency":"USD"}"#,
            "amount",
        ),
        (
            r#"{"kind":"payment","subject":"c-1","at":"2026-03-05T01:12:44Z","amount":10,"currency":"BTC"}"#,
            "currency",
        ),
        (
            r#"{"kind":"interview","subject":"c-1","at":"2026-03-05T01:12:44Z","mode":"hologram","outcome":"completed"}"#,
            "mode",
        ),
        (
            r#"{"kind":"bid","subject":"c-1","at":"2026-03-05T01:12:44Z","amount":10,"currency":"USD","competing":[1,"x"]}"#,
            "competing[1]",
        ),
        (
            r#"{"kind":"login","subject":42,"at":"2026-03-05T01:12:44Z","ip":"1.2.3.4"}"#,
            "subject",
        ),
        (r#"{"kind":7}"#, "kind"),
    ];
    for (line, field) in cases {
        let err = parse_record(line).expect_err(line);
        assert_eq!(err.field(), Some(field), "{err}");
    }
}

#[test]
fn broken_json_and_unknown_kinds_are_told_apart() {
    assert!(matches!(
        parse_record(r#"{"kind":"login","subj"#),
        Err(RecordError::Syntax { .. })
    ));
    assert!(matches!(
        parse_record("[1,2]"),
        Err(RecordError::NotAnObject)
    ));
    assert!(matches!(
        parse_record(r#"{"id":"x"}"#),
        Err(RecordError::MissingKind)
    ));
    assert!(
        matches!(parse_record(r#"{"kind":"horoscope"}"#), Err(RecordError::UnknownKind(k)) if k == "horoscope")
    );
}

/// The fast path for lines that start with their kind must agree with the full parse.
#[test]
fn a_leading_kind_is_read_as_the_full_parse_would() {
    let login = r#""subject":"c-1","at":"2026-03-05T01:12:44Z","ip":"203.0.113.7""#;
    for line in [
        format!(r#"{{"kind":"login",{login}}}"#),
        format!(r#"  {{ "kind" : "login" , {login}}}"#),
        format!(r#"{{{login},"kind":"login"}}"#),
    ] {
        assert!(
            matches!(parse_record(&line).map(|p| p.record), Ok(Record::Login(_))),
            "{line}"
        );
    }
    for line in [
        format!(r#"{{"kind":"login",{login},"kind":"payment"}}"#),
        format!(r#"{{"kind":"login",{login},"\u006bind":"payment"}}"#),
    ] {
        let e = parse_record(&line).unwrap_err();
        assert_eq!(e.field(), Some("kind"), "{line}: {e}");
    }
    let trailing = format!(r#"{{"kind":"login",{login}}} x"#);
    assert!(
        matches!(parse_record(&trailing), Err(RecordError::Syntax { .. })),
        "{trailing}"
    );
    assert!(matches!(
        parse_record(r#"{"kind":"horoscope","#),
        Err(RecordError::Syntax { .. })
    ));
}

#[test]
fn nulls_mean_absent_and_unknown_fields_are_ignored() {
    let line = r#"{"kind":"subject","id":"c-9","name":null,"other_names":null,"location":null,"future_field":{"x":1}}"#;
    let Record::Subject(s) = parse_record(line).unwrap().record else {
        panic!()
    };
    assert!(s.name.is_none() && s.other_names.is_empty() && s.location.is_none());
}

#[test]
fn keys_make_ingestion_idempotent() {
    let with_id = parse_record(EXAMPLES[3]).unwrap();
    assert_eq!(with_id.key, "p-77");
    // The same facts written with other spacing, key order and number form hash alike.
    let a = parse_record(
        r#"{"kind":"contract","subject":"c-1","at":"2026-03-01T09:00:00Z","event":"signed"}"#,
    )
    .unwrap();
    let b = parse_record(r#"{ "event": "signed", "at": "2026-03-01T09:00:00Z", "subject": "c-1", "kind": "contract" }"#).unwrap();
    assert_eq!(a.key, b.key);
    let c = parse_record(
        r#"{"kind":"contract","subject":"c-1","at":"2026-03-02T09:00:00Z","event":"signed"}"#,
    )
    .unwrap();
    assert_ne!(a.key, c.key);
    // Two versions of one subject are two records; the same version twice is one.
    let v1 = parse_record(r#"{"kind":"subject","id":"c-1","name":"A"}"#).unwrap();
    let v2 = parse_record(r#"{"kind":"subject","id":"c-1","name":"B"}"#).unwrap();
    assert_ne!(v1.key, v2.key);
    assert_eq!(
        v1.key,
        parse_record(r#"{"kind":"subject","name":"A","id":"c-1"}"#)
            .unwrap()
            .key
    );
}

fn message(line: &str) -> String {
    parse_record(line).expect_err(line).to_string()
}

#[test]
fn messages_say_what_was_expected_with_an_example() {
    let cases = [
        (
            r#"{"kind":"login","subject":"c-1","at":"2026-13-01","ip":"1.2.3.4"}"#,
            r#"field `at`: "2026-13-01" is not a time: expected RFC 3339, e.g. 2026-05-01T09:30:00Z"#,
        ),
        (
            r#"{"kind":"login","subject":"c-1","at":"2026-03-05T01:12:44Z","ip":"999.1.1.1"}"#,
            r#"field `ip`: "999.1.1.1" is not an IP address: expected IPv4 or IPv6, e.g. 203.0.113.7 or 2001:db8::7"#,
        ),
        (
            r#"{"kind":"interview","subject":"c-1","at":"2026-03-05T01:12:44Z","mode":"hologram","outcome":"completed"}"#,
            r#"field `mode`: "hologram" is not one of video, voice, text, in_person"#,
        ),
        (
            r#"{"kind":"subject","id":"c-1","location":{"timezone":"Mars/Olympus"}}"#,
            r#"field `location.timezone`: "Mars/Olympus" is not a time zone: expected an IANA name, e.g. America/Toronto"#,
        ),
        (
            r#"{"kind":"subject","id":"c-1","profiles":[{"network":"github","connections":-3}]}"#,
            "field `profiles[0].connections`: -3 is not a count: expected a whole number from 0 to 4294967295, e.g. 38",
        ),
        (
            r#"{"kind":"payment","subject":"c-1","at":"2026-03-05T01:12:44Z","amount":"ten","currency":"USD"}"#,
            r#"field `amount`: "ten" is not an amount: expected a decimal number, e.g. 1200.50"#,
        ),
        (
            r#"{"kind":"payment","subject":"c-1","at":"2026-03-05T01:12:44Z","amount":10,"currency":"BTC"}"#,
            r#"field `currency`: "BTC" is not a currency: expected an ISO 4217 code, e.g. USD, CAD or EUR"#,
        ),
        (
            r#"{"kind":"subject","id":"c-1","date_of_birth":"May 1994"}"#,
            r#"field `date_of_birth`: "May 1994" is not a date: expected YYYY-MM-DD, YYYY-MM or YYYY, e.g. 1994-05-12"#,
        ),
        (
            r#"{"kind":"device","subject":"c-1","at":"2026-03-05T01:12:44Z","public_ip":"nope"}"#,
            r#"field `public_ip`: "nope" is not an IP address: expected IPv4 or IPv6, e.g. 203.0.113.7 or 2001:db8::7"#,
        ),
        (
            r#"{"kind":"login","subject":"c-1","at":5,"ip":"1.2.3.4"}"#,
            "field `at`: invalid type: integer `5`, expected a time in RFC 3339, e.g. 2026-05-01T09:30:00Z",
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(message(line), expected);
    }
}

#[test]
fn a_long_value_is_quoted_in_part_and_control_characters_are_escaped() {
    let long = "x".repeat(5_000_000);
    let cut = format!(r#""{}…" (5000000 bytes)"#, "x".repeat(200));
    for line in [
        format!(r#"{{"kind":"login","subject":"c-1","at":"{long}","ip":"1.2.3.4"}}"#),
        format!(r#"{{"kind":"{long}"}}"#),
        format!(
            r#"{{"kind":"interview","subject":"c-1","at":"2026-03-05T01:12:44Z","mode":"{long}","outcome":"completed"}}"#
        ),
        format!(
            r#"{{"kind":"subject","id":"c-1","profiles":[{{"network":"g","connections":"{long}"}}]}}"#
        ),
    ] {
        let m = message(&line);
        assert!(m.len() < 600, "{}", &m[..1000.min(m.len())]);
        assert!(m.contains(&cut), "{m}");
    }
    // An escape sequence that would erase the terminal line is shown, not obeyed.
    let m = message(r#"{"kind":"subject","id":"c-1","observed_at":"\u001b[2K\rnow"}"#);
    assert_eq!(
        m,
        r#"field `observed_at`: "\u{1b}[2K\rnow" is not a time: expected RFC 3339, e.g. 2026-05-01T09:30:00Z"#
    );
    let wrong_type = format!(
        r#"{{"kind":"subject","id":"c-1","profiles":[{{"network":"g","connections":"\u001b{}"}}]}}"#,
        "y".repeat(300)
    );
    let m = message(&wrong_type);
    assert!(!m.chars().any(char::is_control), "{m}");
    assert!(
        m.contains(&format!(r#"string "\u{{1b}}{}…" ("#, "y".repeat(199))),
        "{m}"
    );
}

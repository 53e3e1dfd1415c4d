//! Vendor exports built from each vendor's published schema (Okta `LogEvent`, Microsoft
//! Graph `signIn` and Azure Monitor sign-in records, Google Reports API `activity`), in
//! the shapes users export them: JSON arrays, API pages, one event per line.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use redflag_ingest::{
    Format, ReadError, RecordStream, SourcedRecord, input_files, open, open_reader,
};
use redflag_model::{Login, Record, RecordError, parse_record};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).expect("write fixture");
    path
}

/// Every item of a file, and the stream for its counters.
fn read(path: &Path) -> (Vec<Result<SourcedRecord, ReadError>>, RecordStream) {
    let mut stream = open(path).unwrap_or_else(|e| panic!("{e}"));
    let items: Vec<_> = stream.by_ref().collect();
    (items, stream)
}

fn logins(items: &[Result<SourcedRecord, ReadError>]) -> Vec<(u64, Login)> {
    items
        .iter()
        .map(|item| {
            let r = item.as_ref().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(parse_record(&r.text).as_ref(), Ok(&r.parsed));
            match &r.parsed.record {
                Record::Login(login) => (r.location.line, login.clone()),
                other => panic!("not a login: {other:?}"),
            }
        })
        .collect()
}

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

/// An Okta `LogEvent` with the fields the adapter reads.
fn okta_event(event_type: &str, actor: &str, ip: &str, result: &str) -> String {
    format!(
        r#"{{
    "uuid": "2f5e6a2c-0f3b-11ef-9c4e-{event_type:.12}",
    "published": "2026-03-05T01:12:44.123Z",
    "eventType": "{event_type}",
    "version": "0",
    "severity": "INFO",
    "displayMessage": "User login to Okta",
    "actor": {{"id": "00u1a2b3c4", "type": "User", "alternateId": "{actor}", "displayName": "Dan Park", "detailEntry": null}},
    "client": {{
      "userAgent": {{"rawUserAgent": "Mozilla/5.0 (X11; Linux x86_64)", "os": "Linux", "browser": "CHROME"}},
      "zone": "null", "device": "Computer", "id": null, "ipAddress": {ip},
      "geographicalContext": {{"city": "Austin", "state": "Texas", "country": "United States"}}
    }},
    "device": null,
    "authenticationContext": {{"authenticationStep": 0, "externalSessionId": "102abcSESSION"}},
    "outcome": {{"result": "{result}", "reason": null}},
    "securityContext": {{"asNumber": 7922, "isProxy": false}},
    "debugContext": {{"debugData": {{"requestUri": "/idp/idx/authenticators/poll", "dtHash": "9f2d0c"}}}},
    "transaction": {{"type": "WEB", "id": "Zf1"}},
    "target": null
  }}"#
    )
}

#[test]
fn okta_api_array_with_failures_skips_and_the_null_ip_string() {
    let dir = tempfile::tempdir().expect("temp dir");
    let system = okta_event(
        "user.authentication.sso",
        "x",
        "\"198.51.100.9\"",
        "SUCCESS",
    )
    .replace(r#""type": "User""#, r#""type": "SystemPrincipal""#);
    let unknown = okta_event(
        "user.session.start",
        "nobody@acme.test",
        "\"198.51.100.9\"",
        "FAILURE",
    )
    .replace(r#""id": "00u1a2b3c4""#, r#""id": "unknown""#);
    let registered = okta_event(
        "user.authentication.auth_via_mfa",
        "dan@acme.test",
        "\"2001:db8::7\"",
        "CHALLENGE",
    )
    .replace(
        r#""device": null"#,
        r#""device": {"id": "guo4a5b6c7", "name": "MacBook", "os_platform": "OSX"}"#,
    );
    let events = [
        okta_event(
            "user.session.start",
            "dan@acme.test",
            "\"203.0.113.7\"",
            "SUCCESS",
        ),
        okta_event(
            "user.session.start",
            "dan@acme.test",
            "\"203.0.113.8\"",
            "FAILURE",
        ),
        okta_event(
            "user.session.end",
            "dan@acme.test",
            "\"203.0.113.7\"",
            "SUCCESS",
        ),
        okta_event(
            "policy.evaluate_sign_on",
            "dan@acme.test",
            "\"203.0.113.7\"",
            "ALLOW",
        ),
        okta_event(
            "user.authentication.verify",
            "dan@acme.test",
            "\"null\"",
            "SUCCESS",
        ),
        okta_event(
            "user.authentication.sso",
            "dan@acme.test",
            "null",
            "SUCCESS",
        ),
        system,
        unknown,
        registered,
    ];
    let path = write(
        dir.path(),
        "okta.json",
        &format!("[\n  {}\n]\n", events.join(",\n  ")),
    );
    let (items, stream) = read(&path);
    assert_eq!(stream.format(), Format::Adapter("okta"));
    assert_eq!(
        stream.bytes_read(),
        fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
    );
    let logins = logins(&items);
    assert_eq!(logins.len(), 3);
    let (line, ok) = &logins[0];
    assert_eq!(*line, 2, "the line the event starts on");
    assert_eq!(ok.subject.as_str(), "dan@acme.test");
    assert_eq!(ok.account.as_deref(), Some("okta:dan@acme.test"));
    assert_eq!(ok.at.to_string(), "2026-03-05T01:12:44.123Z");
    assert_eq!(ok.ip.to_string(), "203.0.113.7");
    assert_eq!(ok.success, Some(true));
    assert_eq!(
        ok.user_agent.as_deref(),
        Some("Mozilla/5.0 (X11; Linux x86_64)")
    );
    assert_eq!(ok.device_id.as_deref(), Some("okta-dt:9f2d0c"));
    assert_eq!(ok.session_id.as_deref(), Some("102abcSESSION"));
    let (_, failed) = &logins[1];
    assert_eq!(
        (failed.ip.to_string(), failed.success),
        ("203.0.113.8".into(), Some(false))
    );
    let (_, mfa) = &logins[2];
    assert_eq!(mfa.ip.to_string(), "2001:db8::7");
    assert_eq!(mfa.success, None, "CHALLENGE decides nothing");
    assert_eq!(mfa.device_id.as_deref(), Some("guo4a5b6c7"));
    assert_eq!(
        stream.skipped(),
        &counts(&[
            ("policy.evaluate_sign_on (not a sign-in)", 1),
            ("user.authentication.sso (no usable IP address)", 1),
            ("user.authentication.sso (not a person)", 1),
            ("user.authentication.verify (no usable IP address)", 1),
            ("user.session.end (not a sign-in)", 1),
            ("user.session.start (unknown user)", 1),
        ])
    );
}

#[test]
fn an_okta_event_without_a_time_is_an_error_naming_line_and_field() {
    let good = okta_event(
        "user.session.start",
        "dan@acme.test",
        "\"203.0.113.7\"",
        "SUCCESS",
    )
    .replace('\n', "");
    let bad = good.replace("2026-03-05T01:12:44.123Z", "last tuesday");
    let input = format!("{good}\n{bad}\n\n{good}\n");
    let stream =
        open_reader(std::io::Cursor::new(input), "okta.log", &Default::default()).expect("open");
    assert_eq!(stream.format(), Format::Adapter("okta"));
    let items: Vec<_> = stream.collect();
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[2].is_ok());
    let e = items[1].as_ref().expect_err("bad time");
    assert_eq!(
        e.to_string(),
        "okta.log:2: field `published`: expected an RFC 3339 time such as \"2026-03-05T01:12:44Z\", found \"last tuesday\""
    );
    assert_eq!(
        e.record_error().and_then(RecordError::field),
        Some("published")
    );
    assert_eq!(items[2].as_ref().map(|r| r.location.line).ok(), Some(4));
}

#[test]
fn entra_graph_page_of_sign_ins() {
    // GET https://graph.microsoft.com/beta/auditLogs/signIns, as the API returns it.
    let page = r#"{
  "@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",
  "value": [
    {
      "id": "66ea54eb-6301-4ee5-be62-ff5a759b8100",
      "createdDateTime": "2026-03-05T01:12:44Z",
      "userDisplayName": "Dan Park",
      "userPrincipalName": "dan@contoso.com",
      "userId": "d7cc485d-2c1b-422c-98fd-5ce52859a4a3",
      "appDisplayName": "Microsoft Teams",
      "ipAddress": "203.0.113.7",
      "clientAppUsed": "Browser",
      "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
      "isInteractive": true,
      "signInEventTypes": ["interactiveUser"],
      "sessionId": "0d1a6f3e-5a0b-4a6c-9b7e-2f1c3d4e5f60",
      "status": {"errorCode": 0, "failureReason": null, "additionalDetails": null},
      "deviceDetail": {"deviceId": "e6c4fd6c-1f25-4a1a-8f62-6d1b0cf1e2aa", "displayName": "DESKTOP-1", "operatingSystem": "Windows 10", "browser": "Edge 120.0", "isCompliant": true, "isManaged": true, "trustType": "Azure AD joined"},
      "location": {"city": "Austin", "state": "Texas", "countryOrRegion": "US"},
      "mfaDetail": {"authMethod": "Text message", "authDetail": "+X XXXXXXXX12"}
    },
    {
      "id": "77ea54eb-6301-4ee5-be62-ff5a759b8101",
      "createdDateTime": "2026-03-05T03:00:00Z",
      "userPrincipalName": "dan@contoso.com",
      "ipAddress": "198.51.100.23",
      "clientAppUsed": "Mobile Apps and Desktop clients",
      "status": {"errorCode": 50126, "failureReason": "Invalid username or password."},
      "deviceDetail": {"deviceId": "00000000-0000-0000-0000-000000000000", "operatingSystem": "Ios"}
    },
    {
      "id": "88ea54eb-6301-4ee5-be62-ff5a759b8102",
      "createdDateTime": "2026-03-05T03:10:00Z",
      "userPrincipalName": null,
      "servicePrincipalId": "a1b2c3d4-0000-4000-8000-000000000001",
      "servicePrincipalName": "nightly-backup",
      "signInEventTypes": ["servicePrincipal"],
      "ipAddress": "192.0.2.10",
      "status": {"errorCode": 0}
    },
    {
      "id": "99ea54eb-6301-4ee5-be62-ff5a759b8103",
      "createdDateTime": "2026-03-05T04:00:00Z",
      "userPrincipalName": "ann@contoso.com",
      "ipAddress": "",
      "status": {"errorCode": 0}
    }
  ]
}
"#;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "signins.json", page);
    let (items, stream) = read(&path);
    assert_eq!(stream.format(), Format::Adapter("entra"));
    let logins = logins(&items);
    assert_eq!(logins.len(), 2);
    let (line, ok) = &logins[0];
    assert_eq!(*line, 4);
    assert_eq!(ok.subject.as_str(), "dan@contoso.com");
    assert_eq!(ok.account.as_deref(), Some("entra:dan@contoso.com"));
    assert_eq!(ok.success, Some(true));
    assert_eq!(
        ok.device_id.as_deref(),
        Some("e6c4fd6c-1f25-4a1a-8f62-6d1b0cf1e2aa")
    );
    assert_eq!(
        ok.session_id.as_deref(),
        Some("0d1a6f3e-5a0b-4a6c-9b7e-2f1c3d4e5f60")
    );
    assert_eq!(ok.mfa_device, None, "a masked phone number links nobody");
    let (line, failed) = &logins[1];
    assert_eq!(*line, 22);
    assert_eq!(failed.success, Some(false));
    assert_eq!(
        failed.device_id, None,
        "the all-zero device id is no device"
    );
    assert_eq!(
        stream.skipped(),
        &counts(&[
            ("servicePrincipal (not a person)", 1),
            ("signIn (no usable IP address)", 1)
        ])
    );
}

#[test]
fn entra_diagnostic_lines_and_a_graph_array() {
    let line = |category: &str, ip: &str| {
        format!(
            r#"{{"time":"2026-03-05T01:12:44.5Z","resourceId":"/tenants/t/providers/Microsoft.aadiam","operationName":"Sign-in activity","category":"{category}","resultType":"0","callerIpAddress":"{ip}","properties":{{"id":"i","createdDateTime":"2026-03-05T01:12:44.5+00:00","userPrincipalName":"dan@contoso.com","ipAddress":"{ip}","status":{{"errorCode":0}}}}}}"#
        )
    };
    let input = [
        line("NonInteractiveUserSignInLogs", "203.0.113.7"),
        line("ManagedIdentitySignInLogs", "10.0.0.4"),
        line("AuditLogs", "203.0.113.7"),
    ]
    .join("\n");
    let stream =
        open_reader(std::io::Cursor::new(input), "hub.log", &Default::default()).expect("open");
    assert_eq!(stream.format(), Format::Adapter("entra"));
    let mut stream = stream;
    let items: Vec<_> = stream.by_ref().collect();
    let found = logins(&items);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1.at.to_string(), "2026-03-05T01:12:44.5Z");
    assert_eq!(
        stream.skipped(),
        &counts(&[
            ("AuditLogs (not a sign-in)", 1),
            ("ManagedIdentitySignInLogs (not a person)", 1)
        ])
    );

    // The portal's "Download JSON": a bare array of signIn objects, on one line.
    let array = r#"[{"createdDateTime":"2026-03-05T01:12:44Z","userPrincipalName":"dan@contoso.com","ipAddress":"203.0.113.7","status":{"errorCode":0}}]"#;
    let stream = open_reader(array.as_bytes(), "download.json", &Default::default()).expect("open");
    assert_eq!(stream.format(), Format::Adapter("entra"));
    assert_eq!(logins(&stream.collect::<Vec<_>>()).len(), 1);
}

#[test]
fn google_reports_page_with_event_arrays() {
    // GET admin/reports/v1/activity/users/all/applications/login, as the API returns it.
    let page = r#"{
 "kind": "admin#reports#activities",
 "etag": "\"abc\"",
 "items": [
  {
   "kind": "admin#reports#activity",
   "id": {"time": "2026-03-05T01:12:44.000Z", "uniqueQualifier": "-4011", "applicationName": "login", "customerId": "C03az79cb"},
   "etag": "\"x\"",
   "actor": {"callerType": "USER", "email": "dan@acme.test", "profileId": "1143"},
   "ipAddress": "203.0.113.7",
   "events": [
    {"type": "login", "name": "login_challenge", "parameters": [{"name": "login_challenge_method", "multiValue": ["password"]}]},
    {"type": "login", "name": "login_success", "parameters": [{"name": "login_type", "value": "google_password"}, {"name": "is_suspicious", "boolValue": false}]}
   ]
  },
  {
   "kind": "admin#reports#activity",
   "id": {"time": "2026-03-05T02:00:00.000Z", "uniqueQualifier": "-4012", "applicationName": "login", "customerId": "C03az79cb"},
   "actor": {"email": "dan@acme.test", "profileId": "1143"},
   "ipAddress": "198.51.100.23",
   "events": [{"type": "login", "name": "login_failure", "parameters": [{"name": "login_failure_type", "value": "login_failure_invalid_password"}]}]
  },
  {
   "kind": "admin#reports#activity",
   "id": {"time": "2026-03-05T03:00:00.000Z", "uniqueQualifier": "-4013", "applicationName": "login"},
   "actor": {"email": "dan@acme.test"},
   "ipAddress": "203.0.113.7",
   "events": [{"type": "logout", "name": "logout"}]
  },
  {
   "kind": "admin#reports#activity",
   "id": {"time": "2026-03-05T04:00:00.000Z", "uniqueQualifier": "-4014", "applicationName": "drive"},
   "actor": {"email": "dan@acme.test"},
   "ipAddress": "203.0.113.7",
   "events": [{"type": "access", "name": "login_success"}]
  }
 ]
}"#;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "login.json", page);
    let (items, stream) = read(&path);
    assert_eq!(stream.format(), Format::Adapter("google-workspace"));
    let logins = logins(&items);
    let summary: Vec<_> = logins
        .iter()
        .map(|(line, l)| (*line, l.at.to_string(), l.ip.to_string(), l.success))
        .collect();
    assert_eq!(
        summary,
        [
            (
                5,
                "2026-03-05T01:12:44Z".into(),
                "203.0.113.7".into(),
                Some(true)
            ),
            (
                16,
                "2026-03-05T02:00:00Z".into(),
                "198.51.100.23".into(),
                Some(false)
            ),
        ]
    );
    assert_eq!(logins[0].1.account.as_deref(), Some("google:dan@acme.test"));
    assert_eq!(
        stream.skipped(),
        &counts(&[
            ("drive activity (not a sign-in)", 1),
            ("login_challenge (not a sign-in)", 1),
            ("logout (not a sign-in)", 1)
        ])
    );
}

#[test]
fn a_broken_document_is_reported_after_the_events_before_it() {
    let event = okta_event(
        "user.session.start",
        "dan@acme.test",
        "\"203.0.113.7\"",
        "SUCCESS",
    );
    let input = format!("[{event},\n{event},\n{{\"eventType\": ");
    let stream =
        open_reader(std::io::Cursor::new(input), "cut.json", &Default::default()).expect("open");
    let items: Vec<_> = stream.collect();
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_ok());
    let e = items[2].as_ref().expect_err("cut short");
    assert!(e.to_string().starts_with("cut.json:"), "{e}");
    assert!(
        e.to_string()
            .ends_with("the file ends inside the JSON document (is it cut short?)"),
        "{e}"
    );
    assert!(matches!(e, ReadError::Malformed { .. }));
}

#[test]
fn a_directory_picks_up_recognised_exports_and_ignores_other_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let okta_line = okta_event(
        "user.session.start",
        "dan@acme.test",
        "\"203.0.113.7\"",
        "SUCCESS",
    )
    .replace('\n', "");
    write(d, "okta.log", &format!("{okta_line}\n"));
    write(
        d,
        "records.ndjson",
        "{\"kind\":\"contract\",\"subject\":\"c-1\",\"at\":\"2026-03-01T09:00:00Z\",\"event\":\"work_started\"}\n",
    );
    write(
        d,
        "logins.csv",
        "user,timestamp,ip\nc-1,2026-03-05 01:12:44,203.0.113.7\n",
    );
    // What the demo generator writes beside its records.
    write(
        d,
        "truth.json",
        "[\n  {\n    \"subject\": \"c-0001\",\n    \"role\": \"dprk\",\n    \"cluster\": 3,\n    \"traits\": [\"shared_payout\"]\n  }\n]\n",
    );
    write(
        d,
        "resume.json",
        "{\"basics\": {\"name\": \"Dan Park\", \"email\": \"dan@acme.test\"}}\n",
    );
    write(d, "canonical-by-mistake.json", "{\"kind\":\"login\"}\n");
    write(d, "invoices.csv", "invoice,amount\n1,20\n");
    write(d, "app.log", "2026-03-05 01:12:44 INFO started\n");
    write(d, "empty.json", "");
    write(
        d,
        "notes.txt",
        "[{\"eventType\":\"user.session.start\",\"published\":\"x\",\"actor\":{}}]",
    );

    let files = input_files(&[d.to_path_buf()]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        files,
        [
            d.join("logins.csv"),
            d.join("okta.log"),
            d.join("records.ndjson"),
            d.join("resume.json")
        ]
    );
    let mut formats = Vec::new();
    for file in &files {
        let mut stream = open(file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            stream.by_ref().filter(Result::is_err).count(),
            0,
            "{}",
            file.display()
        );
        formats.push(stream.format());
    }
    assert_eq!(
        formats,
        [
            Format::Adapter("csv"),
            Format::Adapter("okta"),
            Format::Canonical,
            Format::Adapter("json-resume")
        ]
    );

    // Named explicitly, an unrecognised file goes to the canonical reader, whose errors
    // say what is wrong, as before adapters existed.
    let (items, stream) = read(&d.join("truth.json"));
    assert_eq!(stream.format(), Format::Canonical);
    assert!(items.iter().all(Result::is_err));
}

//! `scan`, `explain` and `demo` end to end: real files in, real database, real output.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use predicates::prelude::*;
use redflag_store::{SqliteStore, Store};

pub const SPEC_RECORDS: &str = r#"{"kind":"subject","id":"c-1042","observed_at":"2026-03-02T14:00:00Z","source":"freelance-platform","name":"Daniel Park","other_names":["Dan Park"],"date_of_birth":"1994-05-12","nationality":"US","location":{"country":"US","region":"TX","city":"Austin","timezone":"America/Chicago"},"languages":[{"language":"en","fluency":"native"},{"language":"ko","fluency":"conversational"}],"emails":["daniel.park.dev@gmail.com"],"phones":["+1 512 555 0147"],"profiles":[{"network":"github","username":"dpark-dev","url":"https://github.com/dpark-dev","created":"2025-11-20","oldest_activity":"2019-03-14"}],"referred_by":"c-0977","role":"full-stack developer","rate":{"amount":25,"currency":"USD","per":"hour"},"photo_phash":"c3a1f0e8d2b49716"}
{"kind":"login","subject":"c-1042","account":"gitlab:dpark","at":"2026-03-05T01:12:44Z","ip":"203.0.113.7","success":true,"device_id":"d-9f2","mfa_device":"totp-8812","session_id":"s-77"}
{"kind":"payout_account","subject":"c-1042","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{"id":"acct-51","holder":"Daniel Park","institution":"Chase","country":"US","number":"****4821"}}
{"kind":"payment","id":"p-77","subject":"c-1042","at":"2026-03-31T17:00:00Z","direction":"payout","amount":"1200.00","currency":"USD","method":"wise","account":{"id":"acct-51"},"memo":"March invoice"}
{"kind":"payment_request","subject":"c-1042","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"T..."}},"note":"prefers USDT on TRON"}
{"kind":"interview","subject":"c-1042","at":"2026-02-20T16:00:00Z","mode":"video","outcome":"completed","camera":"on","liveness_challenge":"failed","deepfake_indicators":["face_artifacts_on_occlusion","lip_sync_mismatch"],"identity_matches_profile":false,"language":"en","notes":"..."}
{"kind":"document","subject":"c-1042","doc_type":"passport","requested_at":"2026-02-21T10:00:00Z","provided_at":"2026-03-09T08:00:00Z","status":"provided","issuing_country":"US","name_on_document":"Daniel Park","date_of_birth":"1994-05-12","issues":["font_mismatch"]}
{"kind":"credential_check","subject":"c-1042","at":"2026-03-01T10:00:00Z","target":"education","institution":"University of Texas at Austin","outcome":"not_found","detail":"no record of enrolment"}
{"kind":"contract","subject":"c-1042","at":"2026-03-01T09:00:00Z","event":"work_started"}
{"kind":"bid","subject":"c-1042","at":"2026-02-10T08:00:00Z","project":"proj-9","role":"full-stack developer","amount":15,"currency":"USD","per":"hour","competing":[45,60,38,52]}
{"kind":"device","subject":"c-1042","at":"2026-03-06T02:00:00Z","device_id":"d-9f2","os":"Windows 11","timezone":"Asia/Shanghai","locale":"ko-KR","keyboard_layouts":["en-US","ko-KR"],"remote_access_tools":["anydesk"],"vpn_clients":["astrill"],"usb_devices":["1209:eda1 PiKVM"],"public_ip":"203.0.113.7"}
{"kind":"shipment","subject":"c-1042","at":"2026-02-28T12:00:00Z","item":"laptop","recipient":"Daniel Park","address":{"line1":"88 Elm St Apt 3","city":"Nashville","region":"TN","postal_code":"37203","country":"US"}}
{"kind":"message","subject":"c-1042","at":"2026-02-12T03:00:00Z","channel":"phone","direction":"inbound","from":"+1 512 555 0147","language":"en"}
{"kind":"activity","subject":"c-1042","at":"2026-03-06T01:45:00Z","type":"commit","repository":"acme/web"}
{"kind":"subject","id":"c-2000","name":"Jason Park","other_names":["Park Ji-hoon"],"nationality":"CA","location":{"country":"CA","city":"Toronto","timezone":"America/Toronto"},"languages":[{"language":"en"},{"language":"ko"}]}
{"kind":"interview","subject":"c-2000","at":"2026-02-20T16:00:00Z","mode":"video","outcome":"completed","camera":"on","liveness_challenge":"passed"}
"#;

/// The binary, with an empty data directory of its own so tests never see (or fetch)
/// the user's reference data.
pub fn redflag() -> Command {
    static EMPTY: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let data = EMPTY.get_or_init(|| tempfile::tempdir().expect("tempdir"));
    let mut cmd = Command::cargo_bin("redflag").expect("binary");
    cmd.env("REDFLAG_DATA_DIR", data.path());
    cmd
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

pub fn record_count(db: &Path) -> u64 {
    SqliteStore::open(db)
        .expect("open")
        .record_count()
        .expect("count")
}

pub fn scan(dir: &Path, db: &Path) -> Command {
    let mut cmd = redflag();
    cmd.arg("scan")
        .arg(dir)
        .arg("--db")
        .arg(db)
        .arg("--as-of")
        .arg("2026-04-01")
        .arg("--format")
        .arg("ndjson");
    cmd
}

#[test]
fn scan_writes_one_spec_assessment_per_subject() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(&input, "records.ndjson", SPEC_RECORDS);
    let db = tmp.path().join("r.db");
    let out = scan(&input, &db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let top = &lines[0];
    assert_eq!(top["subject"], "c-1042");
    let keys: Vec<&str> = top
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "actions",
            "as_of",
            "assessed_at",
            "band",
            "linked_subjects",
            "name",
            "sanctions",
            "score",
            "signals",
            "subject"
        ]
    );
    assert_eq!(top["band"], "critical");
    let codes: Vec<&str> = top["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    for code in [
        "interviews.deepfake_indicators",
        "documents.forgery_indicators",
        "payments.crypto_requested",
        "credentials.not_verified",
        "contracts.work_before_contract",
        "bids.far_below_competitors",
    ] {
        assert!(codes.contains(&code), "{code} not in {codes:?}");
    }
    assert_eq!(lines[1]["subject"], "c-2000");
    assert_eq!(lines[1]["band"], "low");
    assert_eq!(record_count(&db), 16);
}

#[test]
fn rescanning_the_same_files_stores_nothing_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "a.ndjson", SPEC_RECORDS);
    let db = tmp.path().join("r.db");
    scan(&file, &db).assert().success();
    let first = record_count(&db);
    let again = scan(&file, &db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(record_count(&db), first);
    // The replayed assessment is the same as the first one.
    assert!(
        String::from_utf8(again)
            .unwrap()
            .contains("\"band\":\"critical\"")
    );
}

#[test]
fn a_bad_record_stops_the_scan_names_the_place_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.db");
    scan(&write(tmp.path(), "good.ndjson", SPEC_RECORDS), &db)
        .assert()
        .success();
    let before = record_count(&db);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", b"{\"kind\":\"contract\",\"subject\":\"x\",\"at\":\"2026-03-01T09:00:00Z\",\"event\":\"signed\"}\n{\"kind\":\"login\",\"subj".to_vec(), ":2:"),
        ("wrong-type", b"{\"kind\":\"contract\",\"subject\":\"x\",\"at\":\"2026-03-01T09:00:00Z\",\"event\":\"signed\"}\n{\"kind\":\"login\",\"subject\":\"x\",\"at\":\"2026-03-05T01:12:44Z\",\"ip\":\"1.2.3.4\",\"success\":\"yes\"}\n".to_vec(), "field `success`"),
        ("bad-date", b"{\"kind\":\"subject\",\"id\":\"x\",\"date_of_birth\":\"1994-13-01\"}\n".to_vec(), "field `date_of_birth`"),
        ("bad-country", b"{\"kind\":\"subject\",\"id\":\"x\",\"nationality\":\"XX\"}\n".to_vec(), "field `nationality`: unknown country code"),
        ("not-utf8", b"{\"kind\":\"subject\",\"id\":\"x\",\"name\":\"\xff\xfe\"}\n".to_vec(), "not UTF-8"),
        ("unknown-kind", b"{\"kind\":\"horoscope\",\"subject\":\"x\"}\n".to_vec(), "--skip-unknown"),
    ];
    for (name, bytes, expected) in cases {
        let dir = tmp.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("in.ndjson"), &bytes).unwrap();
        scan(&dir, &db)
            .assert()
            .failure()
            .stderr(predicate::str::contains("in.ndjson:").and(predicate::str::contains(expected)))
            // On a line of its own: the message's line breaks are kept, only control
            // characters inside them are escaped.
            .stderr(predicate::str::contains(
                "\nnothing from this scan was stored",
            ))
            .stderr(predicate::str::contains("\\n").not())
            .stderr(predicate::str::contains("panicked").not());
        assert_eq!(record_count(&db), before, "{name} changed the database");
    }
}

#[test]
fn a_ten_megabyte_line_is_refused_without_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let mut big = b"{\"kind\":\"subject\",\"id\":\"x\",\"resume_text\":\"".to_vec();
    big.extend(std::iter::repeat_n(b'a', 10 * 1024 * 1024));
    big.extend(b"\"}\n");
    let file = tmp.path().join("big.ndjson");
    std::fs::write(&file, big).unwrap();
    scan(&file, &tmp.path().join("r.db"))
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("big.ndjson:1:")
                .and(predicate::str::contains("at most 1048576 bytes")),
        );
}

#[test]
fn skip_invalid_reports_each_bad_line_and_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "{SPEC_RECORDS}{{\"kind\":\"subject\",\"id\":\"x\",\"nationality\":\"XX\"}}\n{{\"kind\":\"horoscope\"}}\n"
    );
    let file = write(tmp.path(), "mixed.ndjson", &text);
    let db = tmp.path().join("r.db");
    scan(&file, &db)
        .arg("--skip-invalid")
        .arg("--skip-unknown")
        .assert()
        .success()
        .stderr(
            predicate::str::contains("skipped").and(predicate::str::contains("mixed.ndjson:17:")),
        )
        .stderr(
            predicate::str::contains("1 invalid skipped")
                .and(predicate::str::contains("1 of unknown kinds skipped")),
        );
    assert_eq!(record_count(&db), 16);
}

#[test]
fn explain_shows_reasons_evidence_and_next_steps() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "a.ndjson", SPEC_RECORDS);
    let db = tmp.path().join("r.db");
    scan(&file, &db).assert().success();
    redflag()
        .args(["explain", "c-1042", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("Daniel Park (c-1042): score"))
        .stdout(predicate::str::contains(
            "bid 15 USD/hour on proj-9, 31% of the median competing bid",
        ))
        .stdout(predicate::str::contains("What to do next"))
        .stdout(predicate::str::contains("[M4]"));
    redflag()
        .args(["explain", "nobody", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("no assessment of \"nobody\""));
}

#[test]
fn explain_speaks_plainly_unless_verbose() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "a.ndjson", SPEC_RECORDS);
    let db = tmp.path().join("r.db");
    scan(&file, &db).assert().success();
    let explain = |verbose: bool| {
        let mut cmd = redflag();
        cmd.args(["explain", "c-1042", "--db"]).arg(&db);
        if verbose {
            cmd.arg("--verbose");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = explain(false);
    assert!(plain.starts_with("Daniel Park (c-1042): score"), "{plain}");
    for words in [
        "How the score arose",
        "Strong signs: deepfake or stand-in during meetings",
        "In short: two strong signals and",
        "a weak sign; advisory RF8",
        "bid on 2026-02-10 08:00 UTC: amount 15",
        "What was checked",
        "Sanctions lists: none were loaded",
        "IP data: not loaded, so login countries, anonymised logins and impossible travel were not checked",
    ] {
        assert!(plain.contains(words), "{words:?} missing from:\n{plain}");
    }
    // No arithmetic, no record keys (`#<hash>`), no field names with underscores.
    for internal in [
        "× confidence",
        "#",
        "interviews.deepfake_indicators",
        "github_created",
    ] {
        assert!(!plain.contains(internal), "{internal:?} in:\n{plain}");
    }
    let verbose = explain(true);
    for detail in [
        "[RF7 · interviews.deepfake_indicators · counts 2.66 = weight 2.8 × confidence 0.95]",
        "subject c-1042#",
        "github_created: 2025-11-20",
    ] {
        assert!(
            verbose.contains(detail),
            "{detail:?} missing from:\n{verbose}"
        );
    }
}

#[test]
fn a_policy_file_changes_the_weights_and_mistakes_are_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let policy_text = redflag()
        .arg("policy")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(policy_text)
            .unwrap()
            .contains("[weights]")
    );
    let bad = write(
        tmp.path(),
        "bad.toml",
        "[weights]\n\"no.such.signal\" = 1\n",
    );
    let file = write(tmp.path(), "a.ndjson", SPEC_RECORDS);
    scan(&file, &tmp.path().join("r.db"))
        .arg("--policy")
        .arg(&bad)
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("no.such.signal").and(predicate::str::contains("bad.toml")),
        );
}

#[test]
fn the_demo_ranks_planted_personas_first() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo");
    let output = redflag()
        .args([
            "demo",
            "--offline",
            "--subjects",
            "120",
            "--format",
            "ndjson",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("Ranking quality"))
        .get_output()
        .clone();
    let assessments = String::from_utf8(output.stdout).unwrap();
    assert_eq!(assessments.lines().count(), 120);
    let truth: Vec<redflag_synth::Truth> =
        serde_json::from_str(&std::fs::read_to_string(out.join("truth.json")).unwrap()).unwrap();
    let personas = truth
        .iter()
        .filter(|t| t.role == redflag_synth::Role::Persona)
        .count();
    assert!(personas > 0);
    let top: Vec<String> = assessments
        .lines()
        .take(personas)
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["subject"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let hits = top
        .iter()
        .filter(|s| {
            truth
                .iter()
                .any(|t| t.subject.as_str() == s.as_str() && t.role == redflag_synth::Role::Persona)
        })
        .count();
    assert!(
        hits * 10 >= personas * 8,
        "only {hits} of the top {personas} are personas"
    );
}

/// The scan reads from a pipe that the test holds open, so the kill certainly lands
/// while the scan is running, after it has stored records in its unit of work.
#[cfg(unix)]
#[test]
fn an_interrupted_scan_leaves_the_database_as_it_was_and_a_rerun_finishes() {
    use std::io::Write as _;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let config = redflag_synth::Config {
        subjects: 50,
        records_per_subject: 40,
        anchor: "2026-04-01T00:00:00Z".parse().unwrap(),
        ..redflag_synth::Config::default()
    };
    redflag_synth::write_dir(&config, &data).unwrap();
    let logins = std::fs::read_to_string(data.join("logins.ndjson")).unwrap();
    let db = tmp.path().join("r.db");
    scan(&data, &db).assert().success();
    let before = record_count(&db);
    let fifo = tmp.path().join("more.ndjson");
    assert!(
        StdCommand::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("redflag"))
        .env("REDFLAG_DATA_DIR", tmp.path())
        .arg("scan")
        .arg(&fifo)
        .arg("--db")
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut pipe = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    // New records (other ids), more than one batch, so some are stored before the kill.
    for line in logins.lines().take(3000) {
        writeln!(
            pipe,
            "{}",
            line.replacen("\"subject\":\"", "\"subject\":\"x-", 1)
        )
        .unwrap();
    }
    pipe.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the scan ended before the kill"
    );
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());
    drop(pipe);
    assert_eq!(record_count(&db), before, "a partial scan was kept");
    scan(&data, &db).assert().success();
    assert_eq!(record_count(&db), before);
}

#[test]
fn serve_refuses_to_listen_beyond_this_machine_without_api_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    // Without a key it does not start at all, anywhere, and says how to make one.
    for listen in ["0.0.0.0:18080", "127.0.0.1:18080"] {
        redflag()
            .args(["serve", "--listen", listen, "--db"])
            .arg(&db)
            .assert()
            .failure()
            .stderr(predicate::str::contains("holds no active API key"))
            .stderr(predicate::str::contains("redflag keys create"));
    }
    // The trial mode without keys is for loopback only.
    redflag()
        .args([
            "serve",
            "--insecure-loopback",
            "--listen",
            "0.0.0.0:18080",
            "--db",
        ])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("for this machine only"));
}

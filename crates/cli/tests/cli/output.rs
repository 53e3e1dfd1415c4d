//! What every command shares: formats, `--output`, exit codes, closed pipes, terminal
//! safety and private files.

use std::io::Read as _;
use std::process::{Command as StdCommand, Stdio};

use predicates::prelude::*;

use crate::scan::{SPEC_RECORDS, redflag, scan, write};

/// A temporary folder holding one file of records.
fn records_file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), name, text);
    (tmp, file)
}

fn scanned() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(&input, "records.ndjson", SPEC_RECORDS);
    let db = tmp.path().join("r.db");
    scan(&input, &db).assert().success();
    (tmp, input, db)
}

#[test]
fn fail_on_exits_3_when_someone_is_at_or_above_the_band() {
    let (_tmp, _, db) = scanned();
    let run = |band: &str| {
        redflag()
            .args(["scan", "--db"])
            .arg(&db)
            .args(["--fail-on", band, "--quiet"])
            .output()
            .unwrap()
    };
    assert_eq!(run("critical").status.code(), Some(3));
    assert_eq!(run("high").status.code(), Some(3));
    let out = run("extreme");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("low, medium, high or critical"));
    redflag()
        .args(["explain", "c-2000", "--fail-on", "medium", "--db"])
        .arg(&db)
        .assert()
        .code(0);
    redflag()
        .args(["explain", "c-1042", "--fail-on", "medium", "--db"])
        .arg(&db)
        .assert()
        .code(3);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let (_tmp, _, db) = scanned();
    // Enough output that the writer meets the closed pipe.
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("redflag"))
        .env("REDFLAG_DATA_DIR", db.parent().unwrap())
        .args(["explain", "c-1042", "--format", "json", "--db"])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("error"),
        "{stderr}"
    );
}

#[test]
fn control_characters_in_records_cannot_rewrite_the_terminal() {
    let (tmp, file) = records_file(
        "evil.ndjson",
        "{\"kind\":\"subject\",\"id\":\"e-1\",\"name\":\"Eve\\r\\u001b[2KInnocent\"}\n",
    );
    let db = tmp.path().join("r.db");
    let out = redflag()
        .args(["scan", "--format", "table", "--db"])
        .arg(&db)
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\r') && !text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("Eve\\r\\u{1b}[2KInnocent"), "{text}");
    let out = redflag()
        .args(["explain", "e-1", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\r') && !text.contains('\u{1b}'), "{text:?}");
}

#[test]
fn the_output_may_not_be_the_database_or_an_input() {
    let (_tmp, input, db) = scanned();
    for target in [
        db.clone(),
        std::path::PathBuf::from(format!("{}-wal", db.display())),
        input.join("records.ndjson"),
    ] {
        redflag()
            .arg("scan")
            .arg(&input)
            .arg("--db")
            .arg(&db)
            .arg("--output")
            .arg(&target)
            .assert()
            .failure()
            .stderr(predicate::str::contains("would overwrite"));
    }
    assert!(
        std::fs::read_to_string(input.join("records.ndjson"))
            .unwrap()
            .starts_with("{\"kind\":\"subject\"")
    );
}

#[test]
fn a_failed_output_write_says_the_scan_was_saved() {
    let (tmp, input, db) = scanned();
    redflag()
        .arg("scan")
        .arg(&input)
        .arg("--db")
        .arg(&db)
        .arg("--output")
        .arg(tmp.path().join("no-such-folder/out.ndjson"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("the scan itself succeeded"));
}

#[cfg(unix)]
#[test]
fn the_database_and_outputs_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, input, db) = scanned();
    let out = tmp.path().join("out.csv");
    redflag()
        .arg("scan")
        .arg(&input)
        .arg("--db")
        .arg(&db)
        .args(["--format", "csv", "--output"])
        .arg(&out)
        .assert()
        .success();
    for file in [&db, &out] {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("subject,name,score,band,as_of,"), "{csv}");
    assert!(csv.contains("c-1042,Daniel Park,"), "{csv}");
}

#[test]
fn a_database_in_a_missing_folder_is_an_error_not_a_new_folder() {
    let (tmp, file) = records_file("r.ndjson", SPEC_RECORDS);
    let db = tmp.path().join("typo/cases.db");
    redflag()
        .arg("scan")
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("does not exist"));
    assert!(!tmp.path().join("typo").exists());
}

#[test]
fn redflag_db_names_the_database() {
    let (_tmp, _, db) = scanned();
    redflag()
        .env("REDFLAG_DB", &db)
        .args(["explain", "c-1042", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"name\": \"Daniel Park\""));
}

#[test]
fn json_numbers_are_numbers_with_sensible_precision() {
    let (_tmp, _, db) = scanned();
    let out = redflag()
        .args(["explain", "c-1042", "--format", "json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    for s in value["signals"].as_array().unwrap() {
        for key in ["weight", "confidence"] {
            let n = s[key].as_f64().unwrap();
            assert_eq!(n, (n * 1000.0).round() / 1000.0, "{key} {n}");
        }
    }
    assert!(!text.contains("00000000"), "{text}");
}

#[test]
fn every_line_invalid_with_skip_invalid_exits_non_zero() {
    let (tmp, file) = records_file(
        "bad.ndjson",
        "{\"kind\":\"subject\",\"id\":\"a\",\"nationality\":\"XX\"}\n{\"kind\":\"subject\",\"id\":\"b\",\"nationality\":\"YY\"}\n",
    );
    redflag()
        .arg("scan")
        .arg(&file)
        .arg("--db")
        .arg(tmp.path().join("r.db"))
        .arg("--skip-invalid")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("all 2 records read were invalid"));
}

//! `audit` and `audit verify` end to end, and every database command on PostgreSQL.

use std::path::Path;

use predicates::prelude::*;

use crate::scan::{SPEC_RECORDS, redflag, write};

fn audit_json(db: &str) -> Vec<serde_json::Value> {
    let out = redflag()
        .args(["audit", "--format", "json", "--db", db])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

/// Scans the spec's records twice (the second time re-screening) into `db`.
fn two_scans(dir: &Path, db: &str) {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    write(&input, "records.ndjson", SPEC_RECORDS);
    for args in [vec![input.to_str().unwrap()], vec![]] {
        redflag()
            .arg("scan")
            .args(args)
            .args(["--db", db, "--format", "ndjson", "--as-of", "2026-04-01"])
            .assert()
            .success();
    }
}

#[test]
fn the_audit_log_is_listed_verified_and_tampering_is_found() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("cases.db");
    let db_arg = db.to_str().unwrap();
    two_scans(tmp.path(), db_arg);

    let entries = audit_json(db_arg);
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["id"], 1);
    assert_eq!(entries[0]["action"], "scan");
    assert_eq!(entries[0]["detail"]["records_new"], 16);
    assert_eq!(entries[1]["prev_hash"], entries[0]["hash"]);
    // --after reads on from an id.
    let out = redflag()
        .args([
            "audit", "--after", "1", "--format", "ndjson", "--db", db_arg,
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 1);

    let head = entries[1]["hash"].as_str().unwrap().to_owned();
    redflag()
        .args(["audit", "verify", "--db", db_arg, "--head", &head])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2 entries checked; the chain is intact",
        ))
        .stdout(predicate::str::contains(format!("Head: entry #2, {head}")))
        .stdout(predicate::str::contains(
            "every entry up to it is as it was",
        ));

    // Someone with the file drops the trigger and rewrites who ran the first scan.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE id = 1",
    )
    .unwrap();
    redflag()
        .args(["audit", "verify", "--db", db_arg])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "the audit log is broken at entry #1: it was changed after it was written",
        ))
        .stderr(predicate::str::contains(format!(
            "error: the audit log of {db_arg} has been tampered with: entry #1"
        )));
    let out = redflag()
        .args(["audit", "verify", "--format", "json", "--db", db_arg])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["intact"], false);
    assert_eq!(report["broken"]["id"], 1);
}

#[test]
fn removing_the_newest_entries_is_found_with_a_recorded_head() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("cases.db");
    let db_arg = db.to_str().unwrap();
    two_scans(tmp.path(), db_arg);
    let head = audit_json(db_arg)[1]["hash"].as_str().unwrap().to_owned();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2")
        .unwrap();
    // The chain that is left is whole: only the recorded head shows the loss.
    redflag()
        .args(["audit", "verify", "--db", db_arg])
        .assert()
        .success();
    redflag()
        .args(["audit", "verify", "--db", db_arg, "--head", &head])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "no entry of the audit log of {db_arg} has the hash {head} recorded earlier"
        )));
    redflag()
        .args(["audit", "verify", "--db", db_arg, "--head", "abc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not an audit hash"));
}

#[test]
fn audit_needs_an_existing_database() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("nothing.db");
    redflag()
        .args(["audit", "verify", "--db", db.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("there is no database at"));
    assert!(!db.exists());
}

/// Drops the test's schema when the test ends, passed or not.
struct DropSchema(postgres::Client, String);

impl Drop for DropSchema {
    fn drop(&mut self) {
        let _ = self
            .0
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.1));
    }
}

/// `--db postgres://…` and `REDFLAG_DB` reach every command that opens the database.
#[test]
fn every_database_command_works_on_postgres() {
    let base = std::env::var("REDFLAG_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mut admin = match postgres::Client::connect(&base, postgres::NoTls) {
        Ok(client) => client,
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but no PostgreSQL server answers at {base}: {e}"
            );
            eprintln!("skipped: no PostgreSQL server at {base} ({e})");
            return;
        }
    };
    let schema = format!("rf_cli_test_{}", std::process::id());
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .unwrap();
    let _drop = DropSchema(admin, schema.clone());
    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options=-csearch_path%3D{schema}");

    let tmp = tempfile::tempdir().unwrap();
    two_scans(tmp.path(), &url);
    redflag()
        .args(["explain", "c-1042"])
        .env("REDFLAG_DB", &url)
        .assert()
        .success()
        .stdout(predicate::str::contains("Daniel Park (c-1042)"));
    redflag()
        .args(["graph", "c-1042", "--format", "json"])
        .env("REDFLAG_DB", &url)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"focus\": true"));
    let entries = audit_json(&url);
    assert_eq!(entries.len(), 2);
    redflag()
        .args(["audit", "verify"])
        .env("REDFLAG_DB", &url)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2 entries checked; the chain is intact",
        ));
    // Calibration reads both labelled subjects' assessments (and wants more of them).
    let labels = write(
        tmp.path(),
        "labels.csv",
        "subject,label\nc-1042,dprk\nc-2000,legit\n",
    );
    redflag()
        .args(["calibrate", "--labels"])
        .arg(&labels)
        .args(["--db", &url])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("there are 1 dprk and 1 legit"));
}

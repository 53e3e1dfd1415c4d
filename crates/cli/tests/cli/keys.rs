//! `redflag keys`: made once and printed once, listed without secrets, revoked, audited.

use predicates::prelude::*;
use redflag_store::{SqliteStore, Store};
use serde_json::Value;

use crate::scan::redflag;

fn keys(db: &std::path::Path, args: &[&str]) -> assert_cmd::assert::Assert {
    redflag()
        .arg("keys")
        .args(args)
        .arg("--db")
        .arg(db)
        .assert()
}

fn listed(db: &std::path::Path) -> Vec<Value> {
    let out = keys(db, &["list", "--format", "json"]).success();
    serde_json::from_slice::<Vec<Value>>(&out.get_output().stdout).unwrap()
}

#[test]
fn a_key_is_printed_once_listed_without_its_secret_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let made = keys(&db, &["create", "--name", "crm-feed", "--role", "ingest"])
        .success()
        .stderr(predicate::str::contains("cannot be shown again"));
    let key = String::from_utf8(made.get_output().stdout.clone()).unwrap();
    let key = key.trim();
    let (id, secret) = key
        .strip_prefix("rf_")
        .and_then(|rest| rest.split_once('_'))
        .expect("rf_<id>_<secret>");
    assert_eq!(secret.len(), 64, "{key}");

    let list = listed(&db);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["name"], "crm-feed");
    assert_eq!(list[0]["role"], "ingest");
    assert!(list[0]["revoked_at"].is_null());
    let text = serde_json::to_string(&list).unwrap();
    assert!(!text.contains(secret) && !text.contains("argon2"), "{text}");
    // Only a hash is stored, never the secret.
    let stored = SqliteStore::open(&db)
        .unwrap()
        .api_key(id)
        .unwrap()
        .unwrap();
    assert!(stored.hash.starts_with("$argon2id$") && !stored.hash.contains(secret));

    keys(&db, &["revoke", id])
        .success()
        .stderr(predicate::str::contains("revoked the API key"));
    assert!(!listed(&db)[0]["revoked_at"].is_null());
    keys(&db, &["revoke", id])
        .success()
        .stderr(predicate::str::contains("revoked already"));
    keys(&db, &["revoke", "nosuchkey"])
        .failure()
        .stderr(predicate::str::contains("redflag keys list"));

    // Both are in the audit log, by the person who ran the command.
    let log = SqliteStore::open(&db).unwrap().audit_log(10).unwrap();
    let actions: Vec<(&str, Option<&str>)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.target.as_deref()))
        .collect();
    assert_eq!(
        actions,
        [("key.revoke", Some(id)), ("key.create", Some(id))]
    );
    assert!(log.iter().all(|e| e.actor.starts_with("redflag-cli:")));
    assert!(!serde_json::to_string(&log).unwrap().contains(secret));

    // With its only key revoked, the database cannot be served.
    redflag()
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("holds no active API key"));
}

#[test]
fn a_role_that_does_not_exist_is_a_mistake_in_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    keys(&db, &["create", "--name", "x", "--role", "root"])
        .code(2)
        .stderr(predicate::str::contains("admin, analyst, ingest or viewer"));
    keys(&db, &["list"])
        .failure()
        .stderr(predicate::str::contains("no database"));
}

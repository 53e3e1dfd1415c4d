//! An analyst clears or confirms a subject's sanctions hit; the decision is kept in the
//! database and the audit log, holds on every re-screen, and a clearing re-opens when
//! the list entry itself changes.

use std::path::Path;

use predicates::prelude::*;

use crate::common::redflag;

/// A one-entry Canadian list: a person with a date of birth, and `aliases` if any.
fn list(dir: &Path, aliases: &str) -> std::path::PathBuf {
    let path = dir.join("sema-lmes.xml");
    std::fs::write(
        &path,
        format!(
            "<data-set><record><Country>North Korea / Corée du Nord</Country><LastName>PAK</LastName><GivenName>Jin Hyok</GivenName>{aliases}<DateOfBirth>1984</DateOfBirth><Schedule>1</Schedule><Item>7</Item></record><record><Country>North Korea / Corée du Nord</Country><Entity>Example Trading Corporation</Entity><Schedule>2</Schedule><Item>1</Item></record></data-set>"
        ),
    )
    .unwrap();
    path
}

fn hit(data: &Path, db: &Path) -> serde_json::Value {
    let out = redflag(data)
        .arg("scan")
        .arg("--db")
        .arg(db)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let a: serde_json::Value = serde_json::from_slice(&out).unwrap();
    a[0].clone()
}

#[test]
fn a_cleared_hit_stays_cleared_until_the_list_entry_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let lists = tmp.path().join("lists");
    std::fs::create_dir(&lists).unwrap();
    redflag(&data)
        .args(["lists", "import"])
        .arg(list(&lists, ""))
        .assert()
        .success();
    let records = tmp.path().join("r.ndjson");
    std::fs::write(
        &records,
        "{\"kind\":\"subject\",\"id\":\"c-1\",\"name\":\"Jin-hyok Pak\",\"observed_at\":\"2026-03-01T00:00:00Z\"}\n",
    )
    .unwrap();
    let db = tmp.path().join("cases.db");
    redflag(&data)
        .arg("scan")
        .arg(&records)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let a = hit(&data, &db);
    let entity = a["sanctions"][0]["entity_id"].as_str().unwrap().to_owned();
    assert_eq!(a["sanctions"][0]["status"], "review");
    assert_ne!(a["band"], "critical", "a name alone never decides");
    assert!(
        a["actions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| !x["text"].as_str().unwrap().contains("Stop")),
        "{}",
        a["actions"]
    );

    // Deciding needs a reason, a known subject and a hit on that entity.
    redflag(&data)
        .args(["screen", "clear", "c-1", &entity])
        .arg("--db")
        .arg(&db)
        .assert()
        .code(2);
    redflag(&data)
        .args(["screen", "clear", "c-1", "CA-KP-2-1", "--reason", "x"])
        .arg("--db")
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("has no hit on CA-KP-2-1"));
    redflag(&data)
        .args([
            "screen",
            "clear",
            "c-1",
            &entity,
            "--reason",
            "passport seen: born 1991 in Busan",
            "--by",
            "alice",
        ])
        .arg("--db")
        .arg(&db)
        .assert()
        .success()
        .stderr(predicate::str::contains("cleared by redflag-cli:alice"));
    for _ in 0..2 {
        let a = hit(&data, &db);
        assert_eq!(a["sanctions"][0]["status"], "cleared", "{}", a["sanctions"]);
        assert!(
            a["sanctions"][0]["why"]
                .as_str()
                .unwrap()
                .contains("cleared by redflag-cli:alice on")
        );
        assert!(
            a["signals"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["code"] != "sanctions.match")
        );
    }
    // The decision is in the audit log, with who and why.
    let store = redflag_store::SqliteStore::open(&db).unwrap();
    let log = redflag_store::Store::audit_log(&store, 10).unwrap();
    let entry = log
        .iter()
        .find(|e| e.action.starts_with("sanctions."))
        .expect("the decision is audited");
    assert_eq!(entry.action, "sanctions.cleared");
    assert_eq!(entry.actor, "redflag-cli:alice");
    assert_eq!(entry.target.as_deref(), Some("c-1"));
    assert!(entry.detail.to_string().contains("born 1991 in Busan"));
    drop(store);

    // The list entry changes (a new alias): the clearing no longer holds.
    redflag(&data)
        .args(["lists", "import"])
        .arg(list(&lists, "<Aliases>PAK Jin-hek</Aliases>"))
        .assert()
        .success();
    let a = hit(&data, &db);
    assert_eq!(a["sanctions"][0]["status"], "review", "{}", a["sanctions"]);
    assert!(
        a["sanctions"][0]["why"]
            .as_str()
            .unwrap()
            .contains("the list entry has changed since")
    );

    // Confirmed: decisive from the next scan on.
    redflag(&data)
        .args([
            "screen",
            "confirm",
            "c-1",
            &entity,
            "--reason",
            "same passport number",
        ])
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let a = hit(&data, &db);
    assert_eq!(a["sanctions"][0]["status"], "confirmed");
    assert_eq!(a["band"], "critical");
}

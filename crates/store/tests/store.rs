//! The store as its users see it: through the `Store` trait, on real files.

use std::path::Path;

use redflag_model::{Action, Advisory, Evidence, Signal};
use redflag_store::{
    Assessment, AuditEntry, Band, Decision, Kind, NewRecord, SCHEMA_VERSION, SanctionsDecision,
    SqliteStore, Store, StoreError, StoredRecord, SubjectId, Timestamp,
};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn sid(s: &str) -> SubjectId {
    s.parse().unwrap()
}

fn put(store: &mut dyn Store, kind: Kind, key: &str, subject: &str, body: &str) -> bool {
    let subject = sid(subject);
    store
        .put_record(&NewRecord {
            kind,
            key,
            subject: &subject,
            at: Some(ts("2026-03-01T12:00:00Z")),
            body,
            source: "test.ndjson:1",
        })
        .unwrap()
}

fn all_records(store: &dyn Store) -> Vec<StoredRecord> {
    let mut out = Vec::new();
    store
        .for_each_record(&mut |r| {
            out.push(r);
            Ok(())
        })
        .unwrap();
    out
}

fn assessment(subject: &str, score: u8, band: Band, at: &str) -> Assessment {
    Assessment {
        subject: sid(subject),
        name: None,
        score,
        band,
        assessed_at: ts(at),
        as_of: Some(ts(at)),
        signals: vec![Signal {
            code: "interviews.avoids_video".into(),
            advisory: Advisory::RF6,
            weight: 1.5,
            confidence: 0.8,
            summary: "declined video 3 of 3 times".into(),
            evidence: vec![
                Evidence::new(Kind::Interview, Some("iv-1".into()), Some(ts(at)))
                    .with("video", false),
            ],
        }],
        sanctions: vec![],
        linked_subjects: vec![],
        actions: vec![Action {
            advisory: Advisory::M3,
            text: "hold a live video call".into(),
        }],
        identities: Default::default(),
    }
}

fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn put_record_is_idempotent_per_kind_and_key() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let body = r#"{"kind":"login","id":"l-1","subject":"s-1","extra":"kept"}"#;
    assert!(put(&mut store, Kind::Login, "l-1", "s-1", body));
    assert!(!put(
        &mut store,
        Kind::Login,
        "l-1",
        "s-1",
        "{\"changed\":true}"
    ));
    assert_eq!(store.record_count().unwrap(), 1);
    // The same key under another kind is another record.
    assert!(put(&mut store, Kind::Payment, "l-1", "s-1", "{}"));
    assert_eq!(store.record_count().unwrap(), 2);
    // The first body wins and is kept byte for byte.
    let records = all_records(&store);
    assert_eq!(records[0].body, body);
    assert_eq!(records[0].kind, Kind::Login);
    assert_eq!(records[1].kind, Kind::Payment);
}

#[test]
fn for_each_record_streams_in_insertion_order() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    store.begin().unwrap();
    // Keys deliberately out of alphabetical order.
    let keys = ["zeta", "alpha", "mu", "beta", "omega"];
    for (i, key) in keys.iter().enumerate() {
        let body = format!("{{\"n\":{i}}}");
        put(&mut store, Kind::Message, key, &format!("s-{i}"), &body);
    }
    store.commit().unwrap();
    let records = all_records(&store);
    let got: Vec<&str> = records.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(got, keys);
    let seqs: Vec<i64> = records.iter().map(|r| r.seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert_eq!(records[3].subject, sid("s-3"));
    assert_eq!(records[3].body, "{\"n\":3}");
}

#[test]
fn for_each_record_stops_at_the_callbacks_error() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    for key in ["a", "b", "c"] {
        put(&mut store, Kind::Bid, key, "s-1", "{}");
    }
    let mut seen = 0;
    let result = store.for_each_record(&mut |_| {
        seen += 1;
        if seen == 2 {
            Err(StoreError::NotInTransaction {
                path: "stop".into(),
            })
        } else {
            Ok(())
        }
    });
    assert!(matches!(result, Err(StoreError::NotInTransaction { .. })));
    assert_eq!(seen, 2);
}

#[test]
fn rollback_discards_the_unit_of_work() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    put(&mut store, Kind::Login, "kept", "s-1", "{}");
    store.begin().unwrap();
    put(&mut store, Kind::Login, "gone", "s-1", "{}");
    store
        .put_assessment(
            &assessment("s-1", 50, Band::Medium, "2026-04-01T00:00:00Z"),
            "p1",
        )
        .unwrap();
    assert_eq!(store.record_count().unwrap(), 2);
    store.rollback().unwrap();
    assert_eq!(store.record_count().unwrap(), 1);
    assert_eq!(store.latest_assessment(&sid("s-1")).unwrap(), None);
    // A rollback with nothing open is harmless; the store goes on working.
    store.rollback().unwrap();
    store.begin().unwrap();
    assert!(put(&mut store, Kind::Login, "gone", "s-1", "{}"));
    store.commit().unwrap();
    assert_eq!(store.record_count().unwrap(), 2);
}

#[test]
fn begin_and_commit_misuse_is_reported() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let e = store.commit().unwrap_err();
    assert!(e.to_string().contains("no unit of work to commit"), "{e}");
    store.begin().unwrap();
    let e = store.begin().unwrap_err();
    assert!(e.to_string().contains("already in progress"), "{e}");
    store.commit().unwrap();
}

#[test]
fn uncommitted_work_is_invisible_to_other_connections() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redflag.db");
    let mut store = SqliteStore::open(&path).unwrap();
    store.begin().unwrap();
    put(&mut store, Kind::Login, "l-1", "s-1", "{}");
    let reader = SqliteStore::open(&path).unwrap();
    assert_eq!(reader.record_count().unwrap(), 0);
    store.commit().unwrap();
    assert_eq!(reader.record_count().unwrap(), 1);
}

#[test]
fn a_store_dropped_mid_transaction_loses_only_that_transaction() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist is an error, not a new folder.
    let missing = dir.path().join("sub/dir/redflag.db");
    assert!(matches!(
        SqliteStore::open(&missing),
        Err(StoreError::NoFolder { .. })
    ));
    assert!(!dir.path().join("sub").exists());
    let path = dir.path().join("redflag.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.path(), Some(path.as_path()));
        store.begin().unwrap();
        put(&mut store, Kind::Login, "before-1", "s-1", "{\"a\":1}");
        put(&mut store, Kind::Login, "before-2", "s-1", "{\"a\":2}");
        store.commit().unwrap();
        store
            .audit(&AuditEntry {
                at: ts("2026-04-01T00:00:00Z"),
                actor: "test".into(),
                action: "scan".into(),
                target: None,
                detail: serde_json::json!({"records": 2}),
            })
            .unwrap();

        store.begin().unwrap();
        put(&mut store, Kind::Login, "during", "s-1", "{}");
        store
            .put_assessment(
                &assessment("s-1", 90, Band::Critical, "2026-04-02T00:00:00Z"),
                "p",
            )
            .unwrap();
        store
            .audit(&AuditEntry {
                at: ts("2026-04-02T00:00:00Z"),
                actor: "test".into(),
                action: "scan".into(),
                target: None,
                detail: serde_json::json!({}),
            })
            .unwrap();
        // dropped here without commit
    }
    let store = SqliteStore::open(&path).unwrap();
    let keys: Vec<String> = all_records(&store).into_iter().map(|r| r.key).collect();
    assert_eq!(keys, ["before-1", "before-2"]);
    assert_eq!(store.latest_assessment(&sid("s-1")).unwrap(), None);
    assert!(store.latest_assessments().unwrap().is_empty());
    let log = store.audit_log(10).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].detail, serde_json::json!({"records": 2}));
}

#[test]
fn assessments_are_kept_and_the_newest_wins() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let a1 = assessment("s-1", 20, Band::Low, "2026-04-01T00:00:00Z");
    let a2 = assessment("s-1", 55, Band::Medium, "2026-04-02T00:00:00Z");
    let a3 = assessment("s-1", 80, Band::High, "2026-04-03T00:00:00.123456Z");
    store.begin().unwrap();
    for a in [&a1, &a2, &a3] {
        store.put_assessment(a, "policy-abc").unwrap();
    }
    store
        .put_assessment(
            &assessment("s-2", 95, Band::Critical, "2026-04-01T00:00:00Z"),
            "p",
        )
        .unwrap();
    store
        .put_assessment(
            &assessment("s-3", 10, Band::Low, "2026-04-01T00:00:00Z"),
            "p",
        )
        .unwrap();
    store
        .put_assessment(
            &assessment("s-3", 60, Band::Medium, "2026-04-02T00:00:00Z"),
            "p",
        )
        .unwrap();
    store.commit().unwrap();

    assert_eq!(
        store.latest_assessment(&sid("s-1")).unwrap(),
        Some(a3.clone())
    );
    assert_eq!(store.latest_assessment(&sid("nobody")).unwrap(), None);

    let history = store.assessment_history(&sid("s-1")).unwrap();
    let points: Vec<(u8, Band)> = history.iter().map(|h| (h.score, h.band)).collect();
    assert_eq!(
        points,
        [(20, Band::Low), (55, Band::Medium), (80, Band::High)]
    );
    assert_eq!(history[0].assessed_at, a1.assessed_at);
    assert_eq!(history[2].assessed_at, a3.assessed_at);
    assert!(history.iter().all(|h| h.subject == sid("s-1")));

    let latest = store.latest_assessments().unwrap();
    let got: Vec<(String, u8)> = latest
        .iter()
        .map(|a| (a.subject.to_string(), a.score))
        .collect();
    assert_eq!(
        got,
        [("s-2".into(), 95), ("s-1".into(), 80), ("s-3".into(), 60)]
    );
}

#[test]
fn audit_log_is_newest_first_and_limited() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    for i in 0..5 {
        store
            .audit(&AuditEntry {
                at: ts(&format!("2026-04-0{}T00:00:00Z", i + 1)),
                actor: "cli:alice".into(),
                action: format!("action-{i}"),
                target: (i % 2 == 0).then(|| format!("s-{i}")),
                detail: serde_json::json!({"i": i, "nested": {"ok": true}}),
            })
            .unwrap();
    }
    let log = store.audit_log(3).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["action-4", "action-3", "action-2"]);
    assert_eq!(log[0].target.as_deref(), Some("s-4"));
    assert_eq!(log[1].target, None);
    assert_eq!(log[0].at, ts("2026-04-05T00:00:00Z"));
    assert_eq!(log[0].detail["nested"]["ok"], serde_json::json!(true));
    assert_eq!(store.audit_log(100).unwrap().len(), 5);
    assert!(store.audit_log(0).unwrap().is_empty());
}

#[test]
fn audit_and_assessments_are_append_only_even_through_raw_sql() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redflag.db");
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .audit(&AuditEntry {
            at: ts("2026-04-01T00:00:00Z"),
            actor: "engine".into(),
            action: "scan".into(),
            target: None,
            detail: serde_json::Value::Null,
        })
        .unwrap();
    store
        .put_assessment(
            &assessment("s-1", 40, Band::Medium, "2026-04-01T00:00:00Z"),
            "p",
        )
        .unwrap();

    let conn = raw(&path);
    for sql in [
        "UPDATE audit SET actor = 'mallory'",
        "DELETE FROM audit",
        "UPDATE assessments SET score = 0",
        "DELETE FROM assessments",
    ] {
        let e = conn.execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    assert_eq!(store.audit_log(10).unwrap()[0].actor, "engine");
    assert_eq!(
        store.latest_assessment(&sid("s-1")).unwrap().unwrap().score,
        40
    );
}

#[test]
fn reopening_does_not_rerun_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redflag.db");
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    put(&mut store, Kind::Device, "d-1", "s-1", "{}");
    drop(store);

    let applied = |path: &Path| -> Vec<(u32, i64)> {
        let conn = raw(path);
        let mut stmt = conn
            .prepare("SELECT version, applied_at FROM schema_migrations ORDER BY version")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let first = applied(&path);
    assert_eq!(first.len(), SCHEMA_VERSION as usize);

    std::thread::sleep(std::time::Duration::from_millis(5));
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.record_count().unwrap(), 1);
    assert_eq!(applied(&path), first);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redflag.db");
    drop(SqliteStore::open(&path).unwrap());
    raw(&path).pragma_update(None, "user_version", 7).unwrap();
    let e = SqliteStore::open(&path).unwrap_err();
    assert!(
        matches!(e, StoreError::NewerSchema { found: 7, .. }),
        "{e:?}"
    );
    let message = e.to_string();
    assert!(
        message.contains(&format!(
            "{} was written by a newer redflag (schema 7, this build knows {SCHEMA_VERSION})",
            path.display()
        )),
        "{message}"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    let content: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&path, &content).unwrap();
    let e = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(e, StoreError::NotSqlite { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!(
            "{} is not a redflag database (it is not an SQLite database at all); \
             check the path, or move the file away to start a new database",
            path.display()
        )
    );
    assert_eq!(std::fs::read(&path).unwrap(), content);

    let text = dir.path().join("readme.txt");
    std::fs::write(&text, "hello, this is not a database at all\n".repeat(20)).unwrap();
    let e = SqliteStore::open(&text).unwrap_err();
    assert!(matches!(e, StoreError::NotSqlite { .. }), "{e:?}");
}

#[test]
fn another_programs_sqlite_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = raw(&path);
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let e = SqliteStore::open(&path).unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::ForeignDatabase {
                application_id: 0,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .starts_with(&format!("{} is not a redflag database", path.display()))
    );
    let conn = raw(&path);
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        mode, "delete",
        "the journal mode of a foreign file must not change"
    );

    let marked = dir.path().join("marked.db");
    raw(&marked)
        .pragma_update(None, "application_id", 0x1234)
        .unwrap();
    let e = SqliteStore::open(&marked).unwrap_err();
    assert!(e.to_string().contains("application id 0x00001234"), "{e}");
}

#[test]
fn an_empty_file_becomes_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn a_folder_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let e = SqliteStore::open(dir.path()).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "cannot open database {}: is a directory",
            dir.path().display()
        )
    );
}

#[test]
fn a_damaged_assessment_names_its_subject_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redflag.db");
    let store = SqliteStore::open(&path).unwrap();
    raw(&path)
        .execute(
            "INSERT INTO assessments (subject, assessed_at, score, band, policy, stored_at, body) \
             VALUES ('s-9', 0, 50, 'medium', 'p', 0, '{\"score\": \"lots\"}')",
            [],
        )
        .unwrap();
    let e = store.latest_assessment(&sid("s-9")).unwrap_err();
    let message = e.to_string();
    assert!(
        matches!(e, StoreError::BadAssessment { row: 1, .. }),
        "{e:?}"
    );
    assert!(
        message.contains("assessment #1 of subject s-9 cannot be read"),
        "{message}"
    );
    assert!(store.latest_assessments().is_err());
    // The summary columns are still readable for the history.
    assert_eq!(store.assessment_history(&sid("s-9")).unwrap().len(), 1);
}

#[test]
fn the_store_can_move_to_another_thread() {
    let mut store: Box<dyn Store> = Box::new(SqliteStore::open_in_memory().unwrap());
    let handle = std::thread::spawn(move || {
        store.begin().unwrap();
        put(store.as_mut(), Kind::Contract, "c-1", "s-1", "{}");
        store.commit().unwrap();
        store.record_count().unwrap()
    });
    assert_eq!(handle.join().unwrap(), 1);
}

fn login<'a>(key: &'a str, subject: &'a SubjectId) -> NewRecord<'a> {
    NewRecord {
        kind: Kind::Login,
        key,
        subject,
        at: None,
        body: "{}",
        source: "test.ndjson:1",
    }
}

#[test]
fn an_appended_record_that_was_stored_fails_the_unit_of_work() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redflag.db");
    let mut store = SqliteStore::open(&path).unwrap();
    let who = sid("s-1");
    store.begin().unwrap();
    store.append_record(&login("l-1", &who)).unwrap();
    store.append_record(&login("l-2", &who)).unwrap();
    assert_eq!(store.record_count().unwrap(), 2);
    // Twice in one unit of work: refused by the commit.
    store.append_record(&login("l-2", &who)).unwrap();
    let e = store.commit().unwrap_err();
    assert!(matches!(e, StoreError::DuplicateRecord { .. }), "{e:?}");
    assert!(e.to_string().contains(r#"the login record "l-2""#), "{e}");
    assert_eq!(store.record_count().unwrap(), 0);

    store.begin().unwrap();
    store.append_record(&login("l-1", &who)).unwrap();
    store.commit().unwrap();
    // Stored by an earlier unit of work: the commit refuses the whole unit.
    store.begin().unwrap();
    store.append_record(&login("l-3", &who)).unwrap();
    store.append_record(&login("l-1", &who)).unwrap();
    let e = store.commit().unwrap_err();
    assert!(matches!(e, StoreError::DuplicateRecord { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("nothing of this unit of work was saved"),
        "{e}"
    );
    drop(store);
    let store = SqliteStore::open(&path).unwrap();
    let keys: Vec<String> = all_records(&store).into_iter().map(|r| r.key).collect();
    assert_eq!(keys, ["l-1"]);
    assert_eq!(store.record_count().unwrap(), 1);
}

#[test]
fn put_record_sees_records_appended_in_the_same_unit_of_work() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let who = sid("s-1");
    store.begin().unwrap();
    store.append_record(&login("l-1", &who)).unwrap();
    assert!(!store.put_record(&login("l-1", &who)).unwrap());
    assert!(store.put_record(&login("l-2", &who)).unwrap());
    store.commit().unwrap();
    assert!(!store.put_record(&login("l-2", &who)).unwrap());
    assert_eq!(store.record_count().unwrap(), 2);
}

#[test]
fn committed_pages_reach_the_database_file_and_the_log_is_removed_on_close() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redflag.db");
    let wal = dir.path().join("redflag.db-wal");
    let mut store = SqliteStore::open(&path).unwrap();
    let who = sid("s-1");
    let keys: Vec<String> = (0..20_000).map(|i| format!("l-{i}")).collect();
    store.begin().unwrap();
    for key in &keys {
        store.append_record(&login(key, &who)).unwrap();
    }
    store.prepare_commit().unwrap();
    store.commit().unwrap();
    drop(store);
    assert!(!wal.exists(), "the log is left behind");
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.record_count().unwrap(), 20_000);
}

fn decision(subject: &str, entity: &str, what: Decision, at: &str) -> SanctionsDecision {
    SanctionsDecision {
        subject: sid(subject),
        entity_id: entity.into(),
        decision: what,
        reason: format!("{what:?} at {at}"),
        actor: "cli:alice".into(),
        at: ts(at),
        entity_fingerprint: "fp-1".into(),
        list_version: Some("2026-03-28".into()),
    }
}

#[test]
fn sanctions_decisions_are_kept_and_the_newest_of_a_pair_is_in_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redflag.db");
    let mut sqlite = SqliteStore::open(&path).unwrap();
    let mut memory = redflag_store::MemoryStore::new();
    for store in [&mut sqlite as &mut dyn Store, &mut memory] {
        store
            .put_sanctions_decision(&decision(
                "s-2",
                "UN-1",
                Decision::Confirmed,
                "2026-04-01T00:00:00Z",
            ))
            .unwrap();
        store
            .put_sanctions_decision(&decision(
                "s-1",
                "OFAC-7",
                Decision::Cleared,
                "2026-04-01T00:00:00Z",
            ))
            .unwrap();
        store
            .put_sanctions_decision(&decision(
                "s-1",
                "OFAC-7",
                Decision::Confirmed,
                "2026-04-02T00:00:00Z",
            ))
            .unwrap();
        // A unit of work rolled back leaves no decision behind.
        store.begin().unwrap();
        store
            .put_sanctions_decision(&decision(
                "s-1",
                "OFAC-7",
                Decision::Cleared,
                "2026-04-03T00:00:00Z",
            ))
            .unwrap();
        store.rollback().unwrap();
        let d = store.sanctions_decisions().unwrap();
        let pairs: Vec<(&str, &str, Decision)> = d
            .iter()
            .map(|d| (d.subject.as_str(), d.entity_id.as_str(), d.decision))
            .collect();
        assert_eq!(
            pairs,
            [
                ("s-1", "OFAC-7", Decision::Confirmed),
                ("s-2", "UN-1", Decision::Confirmed)
            ]
        );
        assert_eq!(d[0].at, ts("2026-04-02T00:00:00Z"));
        assert_eq!(d[0].list_version.as_deref(), Some("2026-03-28"));
    }
    let conn = raw(&path);
    for sql in [
        "UPDATE sanctions_decisions SET decision = 'cleared'",
        "DELETE FROM sanctions_decisions",
    ] {
        let e = conn.execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
}

//! The store as its users see it: through the `Store` trait, on every backend.
//!
//! One suite of cases, each a function of a [`Backend`], runs against the in-memory
//! store (where it applies), SQLite files and PostgreSQL (a schema of its own per case,
//! dropped afterwards, on the server `REDFLAG_TEST_PG` names, by default
//! `postgres://postgres@127.0.0.1:5432/test`). Without a server the PostgreSQL cases say
//! they were skipped, unless `CI=true`, where they fail. Cases particular to one backend
//! (files, URLs) follow the suite.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use redflag_model::{Action, Advisory, Evidence, Signal};
use redflag_store::{
    ApiKey, Assessment, AuditEntry, AuditQuery, Band, Database, Decision, Kind, MemoryStore,
    NewApiKey, NewRecord, PG_SCHEMA_VERSION, PgStore, Role, SCHEMA_VERSION, SanctionsDecision,
    SqliteStore, Store, StoreError, StoredRecord, SubjectId, Timestamp,
};

// ---------------------------------------------------------------------------------------
// Backends

/// A backend under test: a store and the means to reach behind its back.
trait Backend: Sync {
    /// Opens a store; for a database, another connection to the same one each time.
    fn open(&self) -> Result<Box<dyn Store>, StoreError>;
    /// Runs SQL directly, with the append-only triggers of the audit log disabled first:
    /// what someone who can write the database could do.
    fn tamper(&self, sql: &str);
    /// Runs SQL directly, as it is.
    fn sql(&self, sql: &str) -> Result<(), String>;
    /// Numbers from a query run directly.
    fn numbers(&self, sql: &str) -> Vec<Vec<i64>>;
    /// The table that lists the migration steps run, and the schema version this build
    /// writes.
    fn schema(&self) -> (&'static str, u32);
    /// Marks the database as written by a newer redflag (schema 99).
    fn set_future_schema(&self);
}

struct Memory;

struct Sqlite {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Sqlite {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("redflag.db");
        Sqlite { _dir: dir, path }
    }

    fn raw(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.path).unwrap()
    }
}

impl Backend for Sqlite {
    fn open(&self) -> Result<Box<dyn Store>, StoreError> {
        redflag_store::open(&Database::File(self.path.clone()))
    }

    fn tamper(&self, sql: &str) {
        self.raw()
            .execute_batch(&format!(
                "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; {sql}"
            ))
            .unwrap();
    }

    fn sql(&self, sql: &str) -> Result<(), String> {
        self.raw().execute_batch(sql).map_err(|e| e.to_string())
    }

    fn numbers(&self, sql: &str) -> Vec<Vec<i64>> {
        let conn = self.raw();
        let mut stmt = conn.prepare(sql).unwrap();
        let columns = stmt.column_count();
        stmt.query_map([], |r| (0..columns).map(|i| r.get(i)).collect())
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn schema(&self) -> (&'static str, u32) {
        ("schema_migrations", SCHEMA_VERSION)
    }

    fn set_future_schema(&self) {
        self.raw().pragma_update(None, "user_version", 99).unwrap();
    }
}

/// A schema of its own on the test server, dropped when the case ends (also when it
/// fails: stores are dropped first, as locals declared after it).
struct Postgres {
    base: String,
    schema: String,
    url: String,
}

/// The test server's URL, or `None` (said once) when none answers.
fn test_server() -> Option<&'static str> {
    static SERVER: OnceLock<Option<String>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let url = std::env::var("REDFLAG_TEST_PG")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
            let mut config: postgres::Config = url
                .parse()
                .unwrap_or_else(|e| panic!("REDFLAG_TEST_PG={url} is not a PostgreSQL URL: {e}"));
            config.connect_timeout(Duration::from_secs(3));
            match config.connect(postgres::NoTls).map_err(|e| {
                let mut text = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(cause) = source {
                    text.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                text
            }) {
                Ok(_) => Some(url),
                Err(e) if std::env::var("CI").as_deref() == Ok("true") => panic!(
                    "no PostgreSQL server answers at {url} ({e}), and CI=true: \
                     .ci/run starts one; elsewhere set REDFLAG_TEST_PG"
                ),
                Err(e) => {
                    // Past the test harness's capture, so that it is seen.
                    let _ = writeln!(
                        std::io::stderr(),
                        "skipped: the PostgreSQL store tests (no server at {url}: {e}; \
                         set REDFLAG_TEST_PG=postgres://USER@HOST:PORT/DATABASE)"
                    );
                    None
                }
            }
        })
        .as_deref()
}

impl Postgres {
    fn new() -> Option<Self> {
        static N: AtomicU32 = AtomicU32::new(0);
        let base = test_server()?.to_owned();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let schema = format!(
            "rf_test_{}_{}_{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
        admin
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .unwrap();
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-csearch_path%3D{schema}");
        Some(Postgres { base, schema, url })
    }

    fn raw(&self) -> postgres::Client {
        let mut client = postgres::Client::connect(&self.base, postgres::NoTls).unwrap();
        client
            .batch_execute(&format!(
                "SET search_path TO {}; SET client_min_messages = warning",
                self.schema
            ))
            .unwrap();
        client
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.base, postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

impl Backend for Postgres {
    fn open(&self) -> Result<Box<dyn Store>, StoreError> {
        redflag_store::open(&Database::from(self.url.as_str()))
    }

    fn tamper(&self, sql: &str) {
        self.raw()
            .batch_execute(&format!("ALTER TABLE audit DISABLE TRIGGER USER; {sql}"))
            .unwrap();
    }

    fn sql(&self, sql: &str) -> Result<(), String> {
        self.raw().batch_execute(sql).map_err(|e| {
            e.as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_owned())
        })
    }

    fn numbers(&self, sql: &str) -> Vec<Vec<i64>> {
        self.raw()
            .query(sql, &[])
            .unwrap()
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        row.try_get::<_, i64>(i)
                            .or_else(|_| row.try_get::<_, i32>(i).map(i64::from))
                            .unwrap()
                    })
                    .collect()
            })
            .collect()
    }

    fn schema(&self) -> (&'static str, u32) {
        ("redflag_schema", PG_SCHEMA_VERSION)
    }

    fn set_future_schema(&self) {
        self.sql("INSERT INTO redflag_schema VALUES (99, 'from the future', 0)")
            .unwrap();
    }
}

impl Backend for Memory {
    fn open(&self) -> Result<Box<dyn Store>, StoreError> {
        Ok(Box::new(MemoryStore::new()))
    }

    fn tamper(&self, _: &str) {
        unreachable!("the memory store has no SQL")
    }

    fn sql(&self, _: &str) -> Result<(), String> {
        unreachable!("the memory store has no SQL")
    }

    fn numbers(&self, _: &str) -> Vec<Vec<i64>> {
        unreachable!("the memory store has no SQL")
    }

    fn schema(&self) -> (&'static str, u32) {
        unreachable!("the memory store has no schema")
    }

    fn set_future_schema(&self) {
        unreachable!("the memory store has no schema")
    }
}

/// Each case as a test per backend: `every` also on the memory store, `databases` only
/// where there is a database to reopen, reach with SQL or share between connections.
macro_rules! suite {
    (every: [$($case:ident),* $(,)?], databases: [$($db_case:ident),* $(,)?] $(,)?) => {
        mod memory {
            $( #[test] fn $case() { super::$case(&super::Memory) } )*
        }
        mod sqlite {
            $( #[test] fn $case() { super::$case(&super::Sqlite::new()) } )*
            $( #[test] fn $db_case() { super::$db_case(&super::Sqlite::new()) } )*
        }
        mod pg {
            $( #[test] fn $case() { if let Some(pg) = super::Postgres::new() { super::$case(&pg) } } )*
            $( #[test] fn $db_case() { if let Some(pg) = super::Postgres::new() { super::$db_case(&pg) } } )*
        }
    };
}

suite! {
    every: [
        put_record_is_idempotent_per_kind_and_key,
        for_each_record_streams_in_insertion_order,
        for_each_record_stops_at_the_callbacks_error,
        for_each_record_reads_more_than_a_page,
        rollback_discards_the_unit_of_work,
        begin_and_commit_misuse_is_reported,
        assessments_are_kept_and_the_newest_wins,
        audit_log_is_newest_first_and_limited,
        audit_entries_are_chained_and_read_by_time_and_page,
        sanctions_decisions_are_kept_and_the_newest_of_a_pair_is_in_force,
        the_store_can_move_to_another_thread,
        an_appended_record_that_was_stored_fails_the_unit_of_work,
        put_record_sees_records_appended_in_the_same_unit_of_work,
        non_finite_weights_are_refused_before_storing,
        api_keys_are_stored_listed_and_revoked_once,
    ],
    databases: [
        uncommitted_work_is_invisible_to_other_connections,
        a_store_dropped_mid_transaction_loses_only_that_transaction,
        a_second_writer_waits_and_never_interleaves,
        concurrent_audit_entries_keep_one_chain,
        audit_and_assessments_are_append_only_even_through_raw_sql,
        an_edited_audit_entry_is_found,
        a_removed_audit_entry_is_found,
        removed_oldest_audit_entries_are_found,
        reopening_does_not_rerun_migrations,
        a_newer_schema_is_refused,
        a_damaged_assessment_names_its_subject_and_row,
        api_keys_can_only_be_revoked_even_through_raw_sql,
    ],
}

// ---------------------------------------------------------------------------------------
// Helpers

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

fn keys(store: &dyn Store) -> Vec<String> {
    all_records(store).into_iter().map(|r| r.key).collect()
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

fn entry(at: &str, action: &str, detail: serde_json::Value) -> AuditEntry {
    AuditEntry {
        at: ts(at),
        actor: "cli:alice".into(),
        action: action.into(),
        target: None,
        detail,
    }
}

/// Five audit entries, `action-1` to `action-5`, on 1 to 5 April.
fn five_entries(store: &mut dyn Store) {
    for i in 1..=5 {
        store
            .audit(&AuditEntry {
                target: (i % 2 == 1).then(|| format!("s-{i}")),
                ..entry(
                    &format!("2026-04-0{i}T00:00:00Z"),
                    &format!("action-{i}"),
                    serde_json::json!({"i": i, "nested": {"ok": true}}),
                )
            })
            .unwrap();
    }
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

// ---------------------------------------------------------------------------------------
// The suite

fn put_record_is_idempotent_per_kind_and_key(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let store = store.as_mut();
    let body = r#"{"kind":"login","id":"l-1","subject":"s-1","extra":"kept"}"#;
    assert!(put(store, Kind::Login, "l-1", "s-1", body));
    assert!(!put(store, Kind::Login, "l-1", "s-1", "{\"changed\":true}"));
    assert_eq!(store.record_count().unwrap(), 1);
    // The same key under another kind is another record.
    assert!(put(store, Kind::Payment, "l-1", "s-1", "{}"));
    assert_eq!(store.record_count().unwrap(), 2);
    // The first body wins and is kept byte for byte.
    let records = all_records(store);
    assert_eq!(records[0].body, body);
    assert_eq!(records[0].kind, Kind::Login);
    assert_eq!(records[1].kind, Kind::Payment);
}

fn for_each_record_streams_in_insertion_order(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let store = store.as_mut();
    store.begin().unwrap();
    // Keys deliberately out of alphabetical order.
    let order = ["zeta", "alpha", "mu", "beta", "omega"];
    for (i, key) in order.iter().enumerate() {
        let body = format!("{{\"n\":{i}}}");
        put(store, Kind::Message, key, &format!("s-{i}"), &body);
    }
    store.commit().unwrap();
    let records = all_records(store);
    let got: Vec<&str> = records.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(got, order);
    let seqs: Vec<i64> = records.iter().map(|r| r.seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert_eq!(records[3].subject, sid("s-3"));
    assert_eq!(records[3].body, "{\"n\":3}");
}

fn for_each_record_stops_at_the_callbacks_error(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    for key in ["a", "b", "c"] {
        put(store.as_mut(), Kind::Bid, key, "s-1", "{}");
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

/// More records than a backend reads at once, appended in more than one batch, some
/// read back inside the unit of work that stores them; the callback may use the store.
fn for_each_record_reads_more_than_a_page(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let who = sid("s-1");
    let names: Vec<String> = (0..10_000).map(|i| format!("l-{i:05}")).collect();
    store.begin().unwrap();
    for key in &names[..9_000] {
        store.append_record(&login(key, &who)).unwrap();
    }
    assert_eq!(store.record_count().unwrap(), 9_000);
    assert_eq!(keys(store.as_ref()), names[..9_000]);
    for key in &names[9_000..] {
        store.append_record(&login(key, &who)).unwrap();
    }
    store.prepare_commit().unwrap();
    store.commit().unwrap();
    let mut n = 0;
    store
        .for_each_record(&mut |r| {
            assert_eq!(r.key, names[n]);
            n += 1;
            if n == 5_000 {
                assert_eq!(store.record_count()?, 10_000);
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(n, 10_000);
}

fn rollback_discards_the_unit_of_work(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let store = store.as_mut();
    put(store, Kind::Login, "kept", "s-1", "{}");
    store
        .audit(&entry(
            "2026-04-01T00:00:00Z",
            "kept",
            serde_json::json!({}),
        ))
        .unwrap();
    store.begin().unwrap();
    put(store, Kind::Login, "gone", "s-1", "{}");
    store
        .append_record(&login("gone-too", &sid("s-1")))
        .unwrap();
    store
        .put_assessment(
            &assessment("s-1", 50, Band::Medium, "2026-04-01T00:00:00Z"),
            "p1",
        )
        .unwrap();
    store
        .audit(&entry(
            "2026-04-02T00:00:00Z",
            "gone",
            serde_json::json!({}),
        ))
        .unwrap();
    store
        .put_sanctions_decision(&decision(
            "s-1",
            "UN-1",
            Decision::Cleared,
            "2026-04-02T00:00:00Z",
        ))
        .unwrap();
    assert_eq!(store.record_count().unwrap(), 3);
    store.rollback().unwrap();
    assert_eq!(store.record_count().unwrap(), 1);
    assert_eq!(store.latest_assessment(&sid("s-1")).unwrap(), None);
    assert!(store.sanctions_decisions().unwrap().is_empty());
    let log = store.audit_log(10).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "kept");
    // A rollback with nothing open is harmless; the store goes on working, and the chain
    // goes on from the entry that was kept.
    store.rollback().unwrap();
    store.begin().unwrap();
    assert!(put(store, Kind::Login, "gone", "s-1", "{}"));
    store
        .audit(&entry(
            "2026-04-03T00:00:00Z",
            "after",
            serde_json::json!({}),
        ))
        .unwrap();
    store.commit().unwrap();
    assert_eq!(store.record_count().unwrap(), 2);
    let verified = store.verify_audit().unwrap();
    assert!(verified.is_intact(), "{verified:?}");
    assert_eq!(verified.entries, 2);
}

fn begin_and_commit_misuse_is_reported(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let e = store.commit().unwrap_err();
    assert!(e.to_string().contains("no unit of work to commit"), "{e}");
    store.begin().unwrap();
    let e = store.begin().unwrap_err();
    assert!(e.to_string().contains("already in progress"), "{e}");
    store.commit().unwrap();
}

fn assessments_are_kept_and_the_newest_wins(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let a1 = assessment("s-1", 20, Band::Low, "2026-04-01T00:00:00Z");
    let a2 = assessment("s-1", 55, Band::Medium, "2026-04-02T00:00:00Z");
    let a3 = assessment("s-1", 80, Band::High, "2026-04-03T00:00:00.123456Z");
    store.begin().unwrap();
    for a in [&a1, &a2, &a3] {
        store.put_assessment(a, "policy-abc").unwrap();
    }
    for (subject, score, band, at) in [
        ("s-2", 95, Band::Critical, "2026-04-01T00:00:00Z"),
        ("s-3", 10, Band::Low, "2026-04-01T00:00:00Z"),
        ("s-3", 60, Band::Medium, "2026-04-02T00:00:00Z"),
        // Sorted bytewise whatever the server's locale: "S-4" before "s-…".
        ("S-4", 60, Band::Medium, "2026-04-02T00:00:00Z"),
    ] {
        store
            .put_assessment(&assessment(subject, score, band, at), "p")
            .unwrap();
    }
    store.commit().unwrap();
    // Outside a unit of work too.
    store
        .put_assessment(
            &assessment("s-5", 1, Band::Low, "2026-04-02T00:00:00Z"),
            "p",
        )
        .unwrap();

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
        [
            ("s-2".into(), 95),
            ("s-1".into(), 80),
            ("S-4".into(), 60),
            ("s-3".into(), 60),
            ("s-5".into(), 1)
        ]
    );
}

fn audit_log_is_newest_first_and_limited(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    five_entries(store.as_mut());
    let log = store.audit_log(3).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["action-5", "action-4", "action-3"]);
    assert_eq!(log[0].target.as_deref(), Some("s-5"));
    assert_eq!(log[1].target, None);
    assert_eq!(log[0].at, ts("2026-04-05T00:00:00Z"));
    assert_eq!(log[0].detail["nested"]["ok"], serde_json::json!(true));
    assert_eq!(store.audit_log(100).unwrap().len(), 5);
    assert!(store.audit_log(0).unwrap().is_empty());
}

fn audit_entries_are_chained_and_read_by_time_and_page(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let empty = store.verify_audit().unwrap();
    assert!(empty.is_intact());
    assert_eq!((empty.entries, empty.head), (0, None));

    five_entries(store.as_mut());
    let all = store
        .audit_entries(&AuditQuery {
            since: None,
            after: None,
            limit: 100,
        })
        .unwrap();
    let ids: Vec<i64> = all.iter().map(|r| r.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(all[0].prev_hash, redflag_store::AuditHash::GENESIS);
    for pair in all.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    assert_eq!(all[2].entry.action, "action-3");
    assert_eq!(all[2].entry.detail["i"], 3);

    let since = store
        .audit_entries(&AuditQuery {
            since: Some(ts("2026-04-03T00:00:00Z")),
            after: None,
            limit: 2,
        })
        .unwrap();
    assert_eq!(since.iter().map(|r| r.id).collect::<Vec<_>>(), [3, 4]);
    let next = store
        .audit_entries(&AuditQuery {
            since: Some(ts("2026-04-03T00:00:00Z")),
            after: Some(4),
            limit: 2,
        })
        .unwrap();
    assert_eq!(next.iter().map(|r| r.id).collect::<Vec<_>>(), [5]);

    let verified = store.verify_audit().unwrap();
    assert!(verified.is_intact(), "{verified:?}");
    assert_eq!(verified.entries, 5);
    let head = verified.head.unwrap();
    assert_eq!((head.id, head.hash), (5, all[4].hash));
}

/// The same entries make the same chain in every store: the hash is the spec's, not a
/// backend's.
#[test]
fn every_backend_writes_the_same_chain() {
    let heads: Vec<_> = [
        Some(Box::new(Memory) as Box<dyn Backend>),
        Some(Box::new(Sqlite::new())),
        Postgres::new().map(|pg| Box::new(pg) as Box<dyn Backend>),
    ]
    .into_iter()
    .flatten()
    .map(|b| {
        let mut store = b.open().unwrap();
        five_entries(store.as_mut());
        store.verify_audit().unwrap().head.unwrap()
    })
    .collect();
    assert!(heads.windows(2).all(|w| w[0] == w[1]), "{heads:?}");
}

fn sanctions_decisions_are_kept_and_the_newest_of_a_pair_is_in_force(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let store = store.as_mut();
    for d in [
        decision("s-2", "UN-1", Decision::Confirmed, "2026-04-01T00:00:00Z"),
        decision("s-1", "OFAC-7", Decision::Cleared, "2026-04-01T00:00:00Z"),
        decision("s-1", "OFAC-7", Decision::Confirmed, "2026-04-02T00:00:00Z"),
    ] {
        store.put_sanctions_decision(&d).unwrap();
    }
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
    assert_eq!(d[0].reason, "Confirmed at 2026-04-02T00:00:00Z");
}

fn api_key<'a>(id: &'a str, role: Role, at: &str) -> NewApiKey<'a> {
    NewApiKey {
        id,
        name: "crm feed",
        role,
        hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        created_at: ts(at),
    }
}

fn api_keys_are_stored_listed_and_revoked_once(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let store = store.as_mut();
    assert!(store.api_keys().unwrap().is_empty());
    store
        .put_api_key(&api_key("k1", Role::Ingest, "2026-04-01T00:00:00Z"))
        .unwrap();
    store
        .put_api_key(&api_key("k2", Role::Viewer, "2026-04-02T00:00:00Z"))
        .unwrap();
    // An id is a key's identity: a second key with it is refused.
    let e = store
        .put_api_key(&api_key("k1", Role::Admin, "2026-04-03T00:00:00Z"))
        .unwrap_err();
    assert!(
        matches!(e, StoreError::DuplicateApiKey { ref id, .. } if id == "k1"),
        "{e}"
    );
    // A key stored in a unit of work rolled back is gone.
    store.begin().unwrap();
    store
        .put_api_key(&api_key("k3", Role::Admin, "2026-04-03T00:00:00Z"))
        .unwrap();
    store.rollback().unwrap();

    let listed = store.api_keys().unwrap();
    assert_eq!(
        listed,
        [
            ApiKey {
                id: "k1".into(),
                name: "crm feed".into(),
                role: Role::Ingest,
                created_at: ts("2026-04-01T00:00:00Z"),
                revoked_at: None,
            },
            ApiKey {
                id: "k2".into(),
                name: "crm feed".into(),
                role: Role::Viewer,
                created_at: ts("2026-04-02T00:00:00Z"),
                revoked_at: None,
            },
        ]
    );
    let found = store.api_key("k1").unwrap().unwrap();
    assert_eq!(found.key, listed[0]);
    assert_eq!(found.hash, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
    assert!(store.api_key("k3").unwrap().is_none());

    // A revocation rolled back did not happen; the first one that commits stands.
    store.begin().unwrap();
    assert!(
        store
            .revoke_api_key("k1", ts("2026-04-04T00:00:00Z"))
            .unwrap()
    );
    store.rollback().unwrap();
    assert!(store.api_key("k1").unwrap().unwrap().key.is_active());
    assert!(
        store
            .revoke_api_key("k1", ts("2026-04-05T00:00:00Z"))
            .unwrap()
    );
    assert!(
        !store
            .revoke_api_key("k1", ts("2026-04-06T00:00:00Z"))
            .unwrap()
    );
    assert!(
        !store
            .revoke_api_key("nobody", ts("2026-04-06T00:00:00Z"))
            .unwrap()
    );
    let revoked = store.api_key("k1").unwrap().unwrap().key;
    assert_eq!(revoked.revoked_at, Some(ts("2026-04-05T00:00:00Z")));
    assert!(!revoked.is_active());
    assert!(store.api_keys().unwrap()[1].is_active());
}

fn api_keys_can_only_be_revoked_even_through_raw_sql(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    store
        .put_api_key(&api_key("k1", Role::Viewer, "2026-04-01T00:00:00Z"))
        .unwrap();
    for sql in [
        "UPDATE api_keys SET role = 'admin'",
        "UPDATE api_keys SET hash = 'x', revoked_at = 1",
        "DELETE FROM api_keys",
    ] {
        let e = b.sql(sql).unwrap_err();
        assert!(e.contains("API keys are never"), "{sql}: {e}");
    }
    b.sql("UPDATE api_keys SET revoked_at = 1").unwrap();
    let e = b.sql("UPDATE api_keys SET revoked_at = 2").unwrap_err();
    assert!(e.contains("revoked once"), "{e}");
    assert_eq!(store.api_keys().unwrap()[0].role, Role::Viewer);
}

fn the_store_can_move_to_another_thread(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let handle = std::thread::spawn(move || {
        store.begin().unwrap();
        put(store.as_mut(), Kind::Contract, "c-1", "s-1", "{}");
        store.commit().unwrap();
        store.record_count().unwrap()
    });
    assert_eq!(handle.join().unwrap(), 1);
}

fn an_appended_record_that_was_stored_fails_the_unit_of_work(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let who = sid("s-1");
    store.begin().unwrap();
    store.append_record(&login("l-1", &who)).unwrap();
    store.append_record(&login("l-2", &who)).unwrap();
    assert_eq!(store.record_count().unwrap(), 2);
    // Twice in one unit of work: refused, at the latest by the commit.
    let twice = store
        .append_record(&login("l-2", &who))
        .and_then(|()| store.commit());
    let e = twice.unwrap_err();
    assert!(matches!(e, StoreError::DuplicateRecord { .. }), "{e:?}");
    assert!(e.to_string().contains(r#"the login record "l-2""#), "{e}");
    store.rollback().unwrap();
    assert_eq!(store.record_count().unwrap(), 0);

    store.begin().unwrap();
    store.append_record(&login("l-1", &who)).unwrap();
    store.commit().unwrap();
    // Stored by an earlier unit of work: the whole unit is refused.
    store.begin().unwrap();
    store.append_record(&login("l-3", &who)).unwrap();
    let again = store
        .append_record(&login("l-1", &who))
        .and_then(|()| store.commit());
    let e = again.unwrap_err();
    assert!(matches!(e, StoreError::DuplicateRecord { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("nothing of this unit of work was saved"),
        "{e}"
    );
    store.rollback().unwrap();
    assert_eq!(keys(store.as_ref()), ["l-1"]);
    assert_eq!(store.record_count().unwrap(), 1);
    // And the store goes on.
    store.begin().unwrap();
    store.append_record(&login("l-4", &who)).unwrap();
    store.commit().unwrap();
    assert_eq!(keys(store.as_ref()), ["l-1", "l-4"]);
}

fn put_record_sees_records_appended_in_the_same_unit_of_work(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let who = sid("s-1");
    store.begin().unwrap();
    store.append_record(&login("l-1", &who)).unwrap();
    assert!(!store.put_record(&login("l-1", &who)).unwrap());
    assert!(store.put_record(&login("l-2", &who)).unwrap());
    store.commit().unwrap();
    assert!(!store.put_record(&login("l-2", &who)).unwrap());
    assert_eq!(store.record_count().unwrap(), 2);
}

fn non_finite_weights_are_refused_before_storing(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    let mut a = assessment("s-1", 10, Band::Low, "2026-04-01T00:00:00Z");
    a.signals[0].weight = f64::NAN;
    let e = store.put_assessment(&a, "p").unwrap_err();
    assert!(
        e.to_string()
            .contains("weight of signal interviews.avoids_video is NaN"),
        "{e}"
    );
    assert!(store.latest_assessment(&a.subject).unwrap().is_none());
}

fn uncommitted_work_is_invisible_to_other_connections(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    store.begin().unwrap();
    put(store.as_mut(), Kind::Login, "l-1", "s-1", "{}");
    store.append_record(&login("l-2", &sid("s-1"))).unwrap();
    store.prepare_commit().unwrap();
    let reader = b.open().unwrap();
    assert_eq!(reader.record_count().unwrap(), 0);
    assert!(all_records(reader.as_ref()).is_empty());
    store.commit().unwrap();
    assert_eq!(reader.record_count().unwrap(), 2);
}

fn a_store_dropped_mid_transaction_loses_only_that_transaction(b: &dyn Backend) {
    {
        let mut store = b.open().unwrap();
        store.begin().unwrap();
        put(store.as_mut(), Kind::Login, "before-1", "s-1", "{\"a\":1}");
        put(store.as_mut(), Kind::Login, "before-2", "s-1", "{\"a\":2}");
        store.commit().unwrap();
        store
            .audit(&entry(
                "2026-04-01T00:00:00Z",
                "scan",
                serde_json::json!({"records": 2}),
            ))
            .unwrap();

        store.begin().unwrap();
        put(store.as_mut(), Kind::Login, "during", "s-1", "{}");
        store
            .put_assessment(
                &assessment("s-1", 90, Band::Critical, "2026-04-02T00:00:00Z"),
                "p",
            )
            .unwrap();
        store
            .audit(&entry(
                "2026-04-02T00:00:00Z",
                "scan",
                serde_json::json!({}),
            ))
            .unwrap();
        // dropped here without commit
    }
    let store = b.open().unwrap();
    assert_eq!(keys(store.as_ref()), ["before-1", "before-2"]);
    assert_eq!(store.latest_assessment(&sid("s-1")).unwrap(), None);
    assert!(store.latest_assessments().unwrap().is_empty());
    let log = store.audit_log(10).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].detail, serde_json::json!({"records": 2}));
}

/// Two stores on one database: the second's unit of work waits for the first's to end,
/// so what it reads includes everything the first wrote.
fn a_second_writer_waits_and_never_interleaves(b: &dyn Backend) {
    let mut first = b.open().unwrap();
    first.begin().unwrap();
    put(first.as_mut(), Kind::Login, "first-1", "s-1", "{}");
    let hold = Duration::from_millis(400);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let mut second = b.open().unwrap();
            let started = Instant::now();
            second.begin().unwrap();
            let waited = started.elapsed();
            // Under the lock, the first writer's records are all there to read.
            let seen = keys(second.as_ref());
            put(second.as_mut(), Kind::Login, "second", "s-1", "{}");
            second
                .audit(&entry(
                    "2026-04-02T00:00:00Z",
                    "second",
                    serde_json::json!({}),
                ))
                .unwrap();
            second.commit().unwrap();
            (waited, seen)
        });
        std::thread::sleep(hold);
        put(first.as_mut(), Kind::Login, "first-2", "s-1", "{}");
        first
            .audit(&entry(
                "2026-04-01T00:00:00Z",
                "first",
                serde_json::json!({}),
            ))
            .unwrap();
        first.commit().unwrap();
        let (waited, seen) = second.join().unwrap();
        assert!(
            waited >= hold / 2,
            "the second writer did not wait: {waited:?}"
        );
        assert_eq!(seen, ["first-1", "first-2"]);
    });
    let store = b.open().unwrap();
    assert_eq!(keys(store.as_ref()), ["first-1", "first-2", "second"]);
    let verified = store.verify_audit().unwrap();
    assert!(verified.is_intact(), "{verified:?}");
    assert_eq!(verified.entries, 2);
}

fn concurrent_audit_entries_keep_one_chain(b: &dyn Backend) {
    std::thread::scope(|scope| {
        for t in 0..3 {
            scope.spawn(move || {
                let mut store = b.open().unwrap();
                for i in 0..15 {
                    store
                        .audit(&entry(
                            "2026-04-01T00:00:00Z",
                            &format!("writer-{t}-{i}"),
                            serde_json::json!({"t": t, "i": i}),
                        ))
                        .unwrap();
                }
            });
        }
    });
    let store = b.open().unwrap();
    let verified = store.verify_audit().unwrap();
    assert!(verified.is_intact(), "{verified:?}");
    assert_eq!(verified.entries, 45);
    assert_eq!(verified.head.unwrap().id, 45);
}

fn audit_and_assessments_are_append_only_even_through_raw_sql(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    store
        .audit(&entry(
            "2026-04-01T00:00:00Z",
            "scan",
            serde_json::Value::Null,
        ))
        .unwrap();
    store
        .put_assessment(
            &assessment("s-1", 40, Band::Medium, "2026-04-01T00:00:00Z"),
            "p",
        )
        .unwrap();
    store
        .put_sanctions_decision(&decision(
            "s-1",
            "UN-1",
            Decision::Cleared,
            "2026-04-01T00:00:00Z",
        ))
        .unwrap();
    for sql in [
        "UPDATE audit SET actor = 'mallory'",
        "DELETE FROM audit",
        "UPDATE assessments SET score = 0",
        "DELETE FROM assessments",
        "UPDATE sanctions_decisions SET decision = 'confirmed'",
        "DELETE FROM sanctions_decisions",
    ] {
        let e = b.sql(sql).unwrap_err();
        assert!(e.contains("append-only"), "{sql}: {e}");
    }
    assert_eq!(store.audit_log(10).unwrap()[0].actor, "cli:alice");
    assert_eq!(
        store.latest_assessment(&sid("s-1")).unwrap().unwrap().score,
        40
    );
    assert!(store.verify_audit().unwrap().is_intact());
}

fn an_edited_audit_entry_is_found(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    five_entries(store.as_mut());
    b.tamper(r#"UPDATE audit SET detail = '{"i":3,"nested":{"ok":false}}' WHERE id = 3"#);
    let verified = store.verify_audit().unwrap();
    let broken = verified.broken.clone().unwrap();
    assert_eq!(broken.id, 3);
    assert!(
        broken.problem.contains("changed after it was written"),
        "{broken}"
    );
    assert_eq!(verified.head.unwrap().id, 2);
    assert_eq!(verified.entries, 3);
}

fn a_removed_audit_entry_is_found(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    five_entries(store.as_mut());
    b.tamper("DELETE FROM audit WHERE id = 2");
    let broken = store.verify_audit().unwrap().broken.unwrap();
    assert_eq!(broken.id, 3);
    assert!(
        broken.problem.contains("does not follow entry #1"),
        "{broken}"
    );
}

fn removed_oldest_audit_entries_are_found(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    five_entries(store.as_mut());
    b.tamper("DELETE FROM audit WHERE id <= 2");
    let broken = store.verify_audit().unwrap().broken.unwrap();
    assert_eq!(broken.id, 3);
    assert!(
        broken.problem.contains("older entries were removed"),
        "{broken}"
    );
    // Appending goes on from the newest entry; the break stays where it was.
    store
        .audit(&entry(
            "2026-04-06T00:00:00Z",
            "later",
            serde_json::json!({}),
        ))
        .unwrap();
    assert_eq!(store.verify_audit().unwrap().broken.unwrap().id, 3);
}

fn reopening_does_not_rerun_migrations(b: &dyn Backend) {
    let mut store = b.open().unwrap();
    put(store.as_mut(), Kind::Device, "d-1", "s-1", "{}");
    drop(store);
    let (table, version) = b.schema();
    let applied = || {
        b.numbers(&format!(
            "SELECT version, applied_at FROM {table} ORDER BY version"
        ))
    };
    let first = applied();
    assert_eq!(first.len(), version as usize);
    assert_eq!(first.last().unwrap()[0], i64::from(version));

    std::thread::sleep(Duration::from_millis(5));
    let store = b.open().unwrap();
    assert_eq!(store.record_count().unwrap(), 1);
    assert_eq!(applied(), first);
}

fn a_newer_schema_is_refused(b: &dyn Backend) {
    drop(b.open().unwrap());
    b.set_future_schema();
    let Err(e) = b.open() else {
        panic!("a newer schema was opened")
    };
    assert!(
        matches!(e, StoreError::NewerSchema { found: 99, .. }),
        "{e:?}"
    );
    let message = e.to_string();
    assert!(
        message.contains(&format!(
            "was written by a newer redflag (schema 99, this build knows {})",
            b.schema().1
        )),
        "{message}"
    );
    assert!(message.contains("upgrade redflag"), "{message}");
}

fn a_damaged_assessment_names_its_subject_and_row(b: &dyn Backend) {
    let store = b.open().unwrap();
    b.sql(
        "INSERT INTO assessments (subject, assessed_at, score, band, policy, stored_at, body) \
         VALUES ('s-9', 0, 50, 'medium', 'p', 0, '{\"score\": \"lots\"}')",
    )
    .unwrap();
    let e = store.latest_assessment(&sid("s-9")).unwrap_err();
    assert!(
        matches!(e, StoreError::BadAssessment { row: 1, .. }),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("assessment #1 of subject s-9 cannot be read"),
        "{e}"
    );
    assert!(store.latest_assessments().is_err());
    // The summary columns are still readable for the history.
    assert_eq!(store.assessment_history(&sid("s-9")).unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------
// SQLite files

fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn a_missing_folder_is_an_error_not_a_new_folder() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("sub/dir/redflag.db");
    assert!(matches!(
        SqliteStore::open(&missing),
        Err(StoreError::NoFolder { .. })
    ));
    assert!(matches!(
        redflag_store::open(&Database::from(missing.as_path())),
        Err(StoreError::NoFolder { .. })
    ));
    assert!(!dir.path().join("sub").exists());
}

#[cfg(unix)]
#[test]
fn open_makes_a_file_only_its_owner_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.db");
    let store = redflag_store::open(&Database::from(path.as_path())).unwrap();
    assert_eq!(store.location(), path);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_newer_sqlite_schema_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redflag.db");
    drop(SqliteStore::open(&path).unwrap());
    raw(&path).pragma_update(None, "user_version", 7).unwrap();
    let e = SqliteStore::open(&path).unwrap_err();
    assert!(
        e.to_string().contains(&format!(
            "{} was written by a newer redflag (schema 7, this build knows {SCHEMA_VERSION})",
            path.display()
        )),
        "{e}"
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
fn committed_pages_reach_the_database_file_and_the_log_is_removed_on_close() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redflag.db");
    let wal = dir.path().join("redflag.db-wal");
    let mut store = SqliteStore::open(&path).unwrap();
    let who = sid("s-1");
    let names: Vec<String> = (0..20_000).map(|i| format!("l-{i}")).collect();
    store.begin().unwrap();
    for key in &names {
        store.append_record(&login(key, &who)).unwrap();
    }
    store.prepare_commit().unwrap();
    store.commit().unwrap();
    drop(store);
    assert!(!wal.exists(), "the log is left behind");
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.record_count().unwrap(), 20_000);
}

/// A database of schema 3 (before the chain) with audit entries opens at the current
/// schema with those entries chained in their order, and the chain goes on from them.
#[test]
fn existing_audit_entries_are_chained_by_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    let conn = raw(&path);
    for sql in [
        include_str!("../src/migrations/0001_initial.sql"),
        include_str!("../src/migrations/0002_record_keys.sql"),
        include_str!("../src/migrations/0003_sanctions_decisions.sql"),
    ] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 3).unwrap();
    conn.pragma_update(None, "application_id", redflag_store::APPLICATION_ID)
        .unwrap();
    for (i, action) in ["scan", "screen.clear", "scan"].iter().enumerate() {
        conn.execute(
            "INSERT INTO audit (at, actor, action, target, detail) VALUES (?1, 'cli:bob', ?2, ?3, ?4)",
            rusqlite::params![
                1_775_000_000_000_000_i64 + i as i64,
                action,
                (i == 1).then_some("s-1"),
                format!("{{\"n\":{i}}}")
            ],
        )
        .unwrap();
    }
    drop(conn);

    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let verified = store.verify_audit().unwrap();
    assert!(verified.is_intact(), "{verified:?}");
    assert_eq!(verified.entries, 3);
    let log = store.audit_log(10).unwrap();
    assert_eq!(log[1].action, "screen.clear");
    assert_eq!(log[1].target.as_deref(), Some("s-1"));
    assert_eq!(log[0].detail, serde_json::json!({"n": 2}));
    store
        .audit(&entry(
            "2026-04-06T00:00:00Z",
            "scan",
            serde_json::json!({}),
        ))
        .unwrap();
    let verified = store.verify_audit().unwrap();
    assert!(verified.is_intact(), "{verified:?}");
    assert_eq!(verified.head.unwrap().id, 4);
    let tables: i64 = raw(&path)
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_unchained'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0);
    // The triggers came back with the table.
    let e = raw(&path).execute("DELETE FROM audit", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
}

// ---------------------------------------------------------------------------------------
// PostgreSQL URLs and servers

#[test]
fn a_server_that_does_not_answer_is_named_with_what_to_do() {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    let url = "postgres://alice:hunter2@127.0.0.1:1/cases";
    let Err(e) = redflag_store::open(&Database::from(url)) else {
        panic!("connected to port 1")
    };
    let message = e.to_string();
    assert!(matches!(e, StoreError::Connect { .. }), "{e:?}");
    assert!(
        message.starts_with(
            "cannot connect to PostgreSQL at 127.0.0.1:1 (database cases): connection refused \
             — is the server running there? (`--db postgres://USER@HOST:PORT/DATABASE` names another)"
        ),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

#[test]
fn a_url_that_cannot_be_read_is_refused_without_its_password() {
    let e = PgStore::open("postgres://alice:hunter2@127.0.0.1:notaport/cases").unwrap_err();
    let message = e.to_string();
    assert!(matches!(e, StoreError::PgUrl { .. }), "{e:?}");
    assert!(
        message.starts_with("postgres://alice@127.0.0.1:notaport/cases is not a PostgreSQL URL"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

#[test]
fn a_database_that_does_not_exist_says_how_to_create_it() {
    let Some(server) = test_server() else { return };
    let mut config: postgres::Config = server.parse().unwrap();
    config.dbname("redflag_no_such_database");
    let user = config.get_user().unwrap_or("postgres");
    let url = format!(
        "postgres://{user}@{}/redflag_no_such_database",
        match &config.get_hosts()[0] {
            postgres::config::Host::Tcp(host) => format!("{host}:{}", config.get_ports()[0]),
            postgres::config::Host::Unix(_) => return,
        }
    );
    let e = PgStore::open(&url).unwrap_err();
    assert!(e.to_string().contains("createdb"), "{e}");
}

#[test]
fn another_programs_schema_is_refused_and_left_alone() {
    let Some(pg) = Postgres::new() else { return };
    pg.sql("CREATE TABLE records (x int); INSERT INTO records VALUES (1)")
        .unwrap();
    let Err(e) = pg.open() else {
        panic!("another program's schema was opened")
    };
    assert!(matches!(e, StoreError::ForeignSchema { .. }), "{e:?}");
    let message = e.to_string();
    assert!(
        message.contains(&format!(
            "schema {} holds other tables (records)",
            pg.schema
        )),
        "{message}"
    );
    assert_eq!(pg.numbers("SELECT count(*) FROM records"), [[1]]);
    assert_eq!(
        pg.numbers("SELECT count(*) FROM pg_tables WHERE tablename = 'redflag_schema' AND schemaname = current_schema()"),
        [[0]]
    );
}

#[test]
fn postgres_stores_in_two_schemas_do_not_meet() {
    let (Some(a), Some(b)) = (Postgres::new(), Postgres::new()) else {
        return;
    };
    let mut one = a.open().unwrap();
    let mut two = b.open().unwrap();
    assert_eq!(
        PgStore::open(&a.url).unwrap().schema_version().unwrap(),
        PG_SCHEMA_VERSION
    );
    put(one.as_mut(), Kind::Login, "l-1", "s-1", "{}");
    assert_eq!(two.record_count().unwrap(), 0);
    // Each schema has a lock of its own: neither waits for the other.
    one.begin().unwrap();
    let started = Instant::now();
    two.begin().unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    two.commit().unwrap();
    one.commit().unwrap();
    assert!(
        a.open()
            .unwrap()
            .location()
            .to_string_lossy()
            .contains(&a.schema)
    );
    assert!(!one.location().to_string_lossy().contains("@"));
}

#[test]
fn truncating_an_append_only_table_is_refused_in_postgres() {
    let Some(pg) = Postgres::new() else { return };
    let mut store = pg.open().unwrap();
    five_entries(store.as_mut());
    for table in ["audit", "assessments", "sanctions_decisions"] {
        let e = pg.sql(&format!("TRUNCATE {table} CASCADE")).unwrap_err();
        assert!(e.contains("append-only"), "{table}: {e}");
    }
    assert_eq!(store.verify_audit().unwrap().entries, 5);
}

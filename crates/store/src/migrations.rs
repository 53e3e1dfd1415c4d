//! The SQLite schema as an ordered list of migration steps.
//!
//! Step `n` takes a database from schema `n - 1` to schema `n`. Each runs in its own
//! transaction together with the bump of `PRAGMA user_version` and a row in
//! `schema_migrations`, so a database is always at exactly one known version. Steps are
//! never edited once released: a change to the schema is a new step at the end.

use std::path::Path;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::StoreError;
use crate::audit::{AuditHash, Content};
use crate::sqlite::{APPLICATION_ID, micros};

/// One step of the schema's history.
pub(crate) struct Migration {
    /// The schema version the step produces.
    pub version: u32,
    /// What it does, for `schema_migrations` and error messages.
    pub description: &'static str,
    /// The SQL, run as one batch.
    pub sql: &'static str,
    /// What SQL alone cannot do, run after it in the same transaction.
    pub code: Option<fn(&Transaction<'_>) -> rusqlite::Result<()>>,
}

/// Every step, oldest first. Versions are 1, 2, 3, … without gaps.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "records, assessments, audit log",
        sql: include_str!("migrations/0001_initial.sql"),
        code: None,
    },
    Migration {
        version: 2,
        description: "record keys in a table of their own, filled at commit",
        sql: include_str!("migrations/0002_record_keys.sql"),
        code: None,
    },
    Migration {
        version: 3,
        description: "analysts' decisions on sanctions screening results",
        sql: include_str!("migrations/0003_sanctions_decisions.sql"),
        code: None,
    },
    Migration {
        version: 4,
        description: "the audit log as a hash chain",
        sql: include_str!("migrations/0004_audit_chain.sql"),
        code: Some(chain_existing_audit),
    },
    Migration {
        version: 5,
        description: "API keys for redflag serve",
        sql: include_str!("migrations/0005_api_keys.sql"),
        code: None,
    },
];

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// Brings the database up to [`SCHEMA_VERSION`], one step per transaction.
///
/// Each step re-reads the version under the write lock, so two processes opening the
/// same new database at once do not both run it.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    // Read without locking first: an up-to-date database (the usual case) must open
    // while another process holds the write lock for a long ingest.
    let current: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|cause| StoreError::Db {
            path: path.to_owned(),
            op: "read the schema version",
            cause,
        })?;
    for step in MIGRATIONS.iter().filter(|m| m.version > current) {
        let failed = |cause| StoreError::Migration {
            path: path.to_owned(),
            version: step.version,
            description: step.description,
            cause,
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed)?;
        let current: u32 = tx
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(failed)?;
        if current > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found: current,
                known: SCHEMA_VERSION,
            });
        }
        if current >= step.version {
            continue; // the transaction rolls back on drop; it changed nothing
        }
        tx.execute_batch(step.sql).map_err(failed)?;
        if let Some(code) = step.code {
            code(&tx).map_err(failed)?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![
                step.version,
                step.description,
                micros(jiff::Timestamp::now())
            ],
        )
        .map_err(failed)?;
        tx.pragma_update(None, "user_version", step.version)
            .map_err(failed)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(failed)?;
        tx.commit().map_err(failed)?;
    }
    Ok(())
}

/// Schema 4: copies the entries of the unchained audit log into the new table in id
/// order, each linked to the one before, then drops the old table. Ids are kept, so
/// anything that refers to an entry still finds it.
fn chain_existing_audit(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let mut read = tx
        .prepare("SELECT id, at, actor, action, target, detail FROM audit_unchained ORDER BY id")?;
    let mut write = tx.prepare(
        "INSERT INTO audit (id, at, actor, action, target, detail, prev_hash, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut prev = AuditHash::GENESIS;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let at_us: i64 = row.get(1)?;
        let actor: String = row.get(2)?;
        let action: String = row.get(3)?;
        let target: Option<String> = row.get(4)?;
        let detail: String = row.get(5)?;
        let hash = Content {
            id,
            at_us,
            actor: &actor,
            action: &action,
            target: target.as_deref(),
            detail: &detail,
        }
        .hash(&prev);
        write.execute(rusqlite::params![
            id,
            at_us,
            actor,
            action,
            target,
            detail,
            &prev.as_bytes()[..],
            &hash.as_bytes()[..],
        ])?;
        prev = hash;
    }
    drop(rows);
    drop(read);
    drop(write);
    tx.execute_batch("DROP TABLE audit_unchained")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_count_up_from_one_without_gaps() {
        for (i, step) in MIGRATIONS.iter().enumerate() {
            assert_eq!(step.version as usize, i + 1, "{}", step.description);
        }
    }

    #[test]
    fn schema_1_records_keep_their_keys_in_schema_2() {
        use crate::{Kind, NewRecord, RecordHash, Store, StoredRecord};

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0].sql).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        for key in ["l-2", "l-1"] {
            let hash = RecordHash::of(Kind::Login, key);
            conn.execute(
                "INSERT INTO records (key_hash, kind, key, subject, at, body, source, ingested_at) \
                 VALUES (?1, 'login', ?2, 's-1', NULL, '{}', 'old.ndjson:1', 0)",
                rusqlite::params![&hash.as_bytes()[..], key],
            )
            .unwrap();
        }
        drop(conn);

        let mut store = crate::SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.record_count().unwrap(), 2);
        let subject = "s-1".parse().unwrap();
        let record = |key| NewRecord {
            kind: Kind::Login,
            key,
            subject: &subject,
            at: None,
            body: "{}",
            source: "new.ndjson:1",
        };
        assert!(!store.put_record(&record("l-1")).unwrap());
        assert!(store.put_record(&record("l-3")).unwrap());
        let mut keys = Vec::new();
        store
            .for_each_record(&mut |r: StoredRecord| {
                keys.push((r.seq, r.key));
                Ok(())
            })
            .unwrap();
        assert_eq!(
            keys,
            [(1, "l-2".into()), (2, "l-1".into()), (3, "l-3".into())]
        );
    }

    #[test]
    fn every_step_runs_on_a_fresh_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        let version: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }
}

//! The SQLite schema as an ordered list of migration steps.
//!
//! Step `n` takes a database from schema `n - 1` to schema `n`. Each runs in its own
//! transaction together with the bump of `PRAGMA user_version` and a row in
//! `schema_migrations`, so a database is always at exactly one known version. Steps are
//! never edited once released: a change to the schema is a new step at the end.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;
use crate::sqlite::{APPLICATION_ID, micros};

/// One step of the schema's history.
pub(crate) struct Migration {
    /// The schema version the step produces.
    pub version: u32,
    /// What it does, for `schema_migrations` and error messages.
    pub description: &'static str,
    /// The SQL, run as one batch.
    pub sql: &'static str,
}

/// Every step, oldest first. Versions are 1, 2, 3, … without gaps.
pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    description: "records, assessments, audit log",
    sql: include_str!("migrations/0001_initial.sql"),
}];

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
    fn every_step_runs_on_a_fresh_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        let version: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }
}

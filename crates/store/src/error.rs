//! [`StoreError`]: what went wrong, on which database, in words a person can act on.

use std::io;
use std::path::PathBuf;

use rusqlite::ErrorCode;

/// How long a connection waits for another process that holds the write lock before it
/// gives up with "the database is in use".
pub(crate) const BUSY_TIMEOUT_SECS: u64 = 10;

/// Why a store operation failed.
///
/// Every message names the database (its path, or `:memory:`), and says what was being
/// done and why it failed, so the message alone tells a user what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The folder that should hold the database does not exist.
    #[error(
        "cannot create database {}: the folder {} does not exist (check the path, or create the folder first)",
        path.display(),
        dir.display()
    )]
    NoFolder {
        /// The folder.
        dir: PathBuf,
        /// The database file.
        path: PathBuf,
    },

    /// The database file could not be opened or created.
    #[error("cannot open database {}: {reason}", path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// Why, e.g. "permission denied" or "is a directory".
        reason: String,
    },

    /// The file exists but is not an SQLite database at all.
    #[error(
        "{} is not a redflag database (it is not an SQLite database at all); \
         check the path, or move the file away to start a new database",
        path.display()
    )]
    NotSqlite {
        /// The file.
        path: PathBuf,
    },

    /// The file is an SQLite database, but another program's.
    #[error(
        "{} is not a redflag database (it is an SQLite database of another program{}); \
         choose another path so it is not changed",
        path.display(),
        describe_application_id(*application_id)
    )]
    ForeignDatabase {
        /// The file.
        path: PathBuf,
        /// The `PRAGMA application_id` found (0 when none was set).
        application_id: i32,
    },

    /// The database was written by a newer redflag whose schema this build does not know.
    #[error(
        "database {} was written by a newer redflag (schema {found}, this build knows {known}); \
         upgrade redflag to use it",
        path.display()
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// The schema version in the file.
        found: u32,
        /// The newest schema version this build knows.
        known: u32,
    },

    /// A migration step failed; the database is left at the previous version.
    #[error(
        "cannot upgrade database {} to schema {version} ({description}): {}; \
         the database was left unchanged at schema {}",
        path.display(),
        describe_sqlite(cause),
        version - 1
    )]
    Migration {
        /// The database file.
        path: PathBuf,
        /// The version the failed step would have reached.
        version: u32,
        /// What the step does.
        description: &'static str,
        /// The database's own error.
        cause: rusqlite::Error,
    },

    /// A migration step of a PostgreSQL schema failed; the schema is left at the
    /// previous version.
    #[error(
        "cannot upgrade database {} to schema {version} ({description}): {}; \
         the database was left unchanged at schema {}",
        path.display(),
        describe_pg(cause),
        version - 1
    )]
    PgMigration {
        /// The database.
        path: PathBuf,
        /// The version the failed step would have reached.
        version: u32,
        /// What the step does.
        description: &'static str,
        /// The server's own error.
        cause: postgres::Error,
    },

    /// `--db` starts like a PostgreSQL URL but cannot be read as one.
    #[error(
        "{url} is not a PostgreSQL URL redflag can use: {reason} \
         (expected postgres://USER@HOST:PORT/DATABASE)"
    )]
    PgUrl {
        /// The URL, without its password.
        url: String,
        /// Why.
        reason: String,
    },

    /// No connection could be made to the PostgreSQL server.
    #[error("cannot connect to PostgreSQL at {server} (database {database}): {reason}")]
    Connect {
        /// `host:port`, or the socket folder and port.
        server: String,
        /// The database asked for.
        database: String,
        /// Why, with what to do about it.
        reason: String,
    },

    /// The connection's search_path names no schema that exists.
    #[error(
        "{}: no schema to keep redflag's tables in (none of the search_path exists); \
         create one (`CREATE SCHEMA redflag`) and name it in the URL \
         (?options=-csearch_path%3Dredflag)",
        path.display()
    )]
    NoSchema {
        /// The database.
        path: PathBuf,
    },

    /// The PostgreSQL schema holds another program's tables.
    #[error(
        "{} is not a redflag database: schema {schema} holds other tables ({tables}); \
         name an empty schema (?options=-csearch_path%3Dredflag) or another database so they \
         are not changed",
        path.display()
    )]
    ForeignSchema {
        /// The database.
        path: PathBuf,
        /// The schema.
        schema: String,
        /// A few of the tables found.
        tables: String,
    },

    /// A record given as new ([`Store::append_record`](crate::Store::append_record)) was
    /// already stored: the caller's idea of what the store holds was out of date.
    #[error(
        "database {}: {what} was already stored; nothing of this unit of work was saved",
        path.display()
    )]
    DuplicateRecord {
        /// The database file (`:memory:` for an in-memory store).
        path: PathBuf,
        /// Which record, e.g. `the login record "l-1"`.
        what: String,
    },

    /// An API key's id was stored already: ids are random, so this is a second attempt
    /// to store the same key.
    #[error("database {}: an API key with id {id} exists already", path.display())]
    DuplicateApiKey {
        /// The database file (`:memory:` for an in-memory store).
        path: PathBuf,
        /// The key's id.
        id: String,
    },

    /// A database operation failed.
    #[error("database {}: could not {op}: {}", path.display(), describe_sqlite(cause))]
    Db {
        /// The database file (`:memory:` for an in-memory store).
        path: PathBuf,
        /// What was being done, e.g. "store a record".
        op: &'static str,
        /// The database's own error, for callers that want to inspect it.
        cause: rusqlite::Error,
    },

    /// A PostgreSQL operation failed.
    #[error("database {}: could not {op}: {}", path.display(), describe_pg(cause))]
    Pg {
        /// The database (server, database and schema; never the password).
        path: PathBuf,
        /// What was being done, e.g. "store a record".
        op: &'static str,
        /// The server's or the connection's own error.
        cause: postgres::Error,
    },

    /// `begin` was called while a unit of work was already open.
    #[error(
        "database {}: a unit of work is already in progress (internal error: begin called twice)",
        path.display()
    )]
    AlreadyInTransaction {
        /// The database file.
        path: PathBuf,
    },

    /// `commit` was called with no unit of work open.
    #[error(
        "database {}: there is no unit of work to commit (internal error: commit without begin)",
        path.display()
    )]
    NotInTransaction {
        /// The database file.
        path: PathBuf,
    },

    /// The database cancelled the unit of work after an earlier error (a full disk, for
    /// example), so nothing of it was saved.
    #[error(
        "database {}: the unit of work was cancelled by the database after an earlier error; \
         nothing of it was saved",
        path.display()
    )]
    TransactionLost {
        /// The database file.
        path: PathBuf,
    },

    /// An assessment cannot be stored, because it holds a value JSON cannot carry.
    #[error("cannot store the assessment of subject {subject}: {reason}")]
    Encode {
        /// The subject assessed.
        subject: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A stored assessment could not be read back.
    #[error(
        "database {}: stored assessment #{row} of subject {subject} cannot be read: {reason}",
        path.display()
    )]
    BadAssessment {
        /// The database file.
        path: PathBuf,
        /// The assessment's row id.
        row: i64,
        /// The subject it is about, as stored.
        subject: String,
        /// Why it cannot be read.
        reason: String,
    },

    /// Some other stored row could not be read back (a damaged or hand-edited database).
    #[error("database {}: {table} row #{row} cannot be read: {reason}", path.display())]
    BadRow {
        /// The database file.
        path: PathBuf,
        /// The table.
        table: &'static str,
        /// The row id.
        row: i64,
        /// Why it cannot be read.
        reason: String,
    },
}

impl StoreError {
    /// Whether another connection held the database for longer than the busy timeout:
    /// the same call may succeed once it has finished.
    pub fn is_busy(&self) -> bool {
        let cause = match self {
            StoreError::Db { cause, .. } | StoreError::Migration { cause, .. } => cause,
            StoreError::Pg { cause, .. } | StoreError::PgMigration { cause, .. } => {
                return cause.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE);
            }
            _ => return false,
        };
        matches!(
            cause,
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        )
    }
}

fn describe_application_id(id: i32) -> String {
    if id == 0 {
        String::new()
    } else {
        format!(", application id {:#010x}", id as u32)
    }
}

/// SQLite's error, in words a user can act on.
pub(crate) fn describe_sqlite(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(f, message) => {
            let plain = match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some(format!(
                    "the database is in use by another program (gave up after waiting {BUSY_TIMEOUT_SECS} s); \
                     try again when it has finished"
                )),
                ErrorCode::DiskFull => Some("the disk is full".to_owned()),
                ErrorCode::ReadOnly => Some(
                    "the database file or its folder is read-only (redflag needs to write both)"
                        .to_owned(),
                ),
                ErrorCode::CannotOpen => Some(
                    "the file cannot be opened (check that you may read and write it and its folder)"
                        .to_owned(),
                ),
                ErrorCode::PermissionDenied => Some("permission denied".to_owned()),
                ErrorCode::NotADatabase => Some("the file is not an SQLite database".to_owned()),
                ErrorCode::DatabaseCorrupt => {
                    Some("the database file is damaged; restore it from a backup".to_owned())
                }
                ErrorCode::SystemIoFailure => Some("a disk read or write failed".to_owned()),
                ErrorCode::OutOfMemory => Some("out of memory".to_owned()),
                _ => None,
            };
            match (plain, message) {
                (Some(plain), _) => plain,
                (None, Some(message)) => message.clone(),
                (None, None) => f.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// PostgreSQL's error, in words a user can act on: the server's message (with its detail
/// and hint), or what became of the connection.
pub(crate) fn describe_pg(e: &postgres::Error) -> String {
    use postgres::error::SqlState;
    let Some(db) = e.as_db_error() else {
        if e.is_closed() {
            return "the connection to the server was lost (it may have been restarted); \
                    nothing uncommitted was saved, try again"
                .to_owned();
        }
        return e.to_string();
    };
    let code = db.code();
    if *code == SqlState::LOCK_NOT_AVAILABLE {
        return format!(
            "the database is in use by another redflag (gave up after waiting {BUSY_TIMEOUT_SECS} s); \
             try again when it has finished"
        );
    }
    if *code == SqlState::DISK_FULL {
        return "the server's disk is full".to_owned();
    }
    let mut text = db.message().to_owned();
    if let Some(detail) = db.detail() {
        text.push_str(&format!(" ({detail})"));
    }
    if *code == SqlState::INSUFFICIENT_PRIVILEGE {
        text.push_str(
            " — the user needs the right to create and change tables in the schema \
             (GRANT CREATE, USAGE ON SCHEMA …)",
        );
    } else if let Some(hint) = db.hint() {
        text.push_str(&format!(" — {hint}"));
    }
    text
}

/// An I/O error as a short lower-case phrase: "permission denied", "is a directory".
pub(crate) fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        _ => {
            let text = e.to_string();
            let text = match text.find(" (os error") {
                Some(i) => &text[..i],
                None => &text,
            };
            lower_first(text)
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_as_short_phrases() {
        let e = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(describe_io(&e), "permission denied");
        let e = io::Error::from_raw_os_error(21);
        assert_eq!(describe_io(&e), "is a directory");
    }

    #[test]
    fn busy_reads_as_in_use() {
        let e = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("database is locked".into()),
        );
        assert!(describe_sqlite(&e).contains("in use by another program"));
    }
}

//! [`SqliteStore`]: the default, embedded backend. One file, one connection.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use redflag_model::{Assessment, Kind, SanctionsDecision, SubjectId, Timestamp};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use rustc_hash::FxHashSet;

use crate::audit::{self, ChainRow, ChainWalk, Content};
use crate::error::BUSY_TIMEOUT_SECS;
use crate::migrations::{SCHEMA_VERSION, migrate};
use crate::rows;
use crate::{
    ApiKey, ApiKeyWithHash, AssessmentSummary, AuditEntry, AuditQuery, AuditRecord,
    AuditVerification, NewApiKey, NewRecord, RecordHash, Store, StoreError, StoredRecord,
};

/// `PRAGMA application_id` of every redflag database: "RFLG" in ASCII. `file(1)` and
/// redflag itself use it to tell a redflag database from any other SQLite file.
pub const APPLICATION_ID: i32 = 0x5246_4C47;

/// Page size of new databases. 16 KiB rather than SQLite's 4 KiB keeps the key table
/// shallow and halves the time a large commit spends writing pages; the cost, more
/// bytes written per commit of a few records, does not matter at redflag's commit sizes.
const PAGE_SIZE: i64 = 16 * 1024;

/// Page cache per connection, in KiB (SQLite's negative `cache_size` convention): room
/// for the key table of about a million records, so key lookups rarely touch the disk,
/// while a scan's memory stays bounded whatever the number of records (measured with
/// `redflag bench`). Memory is taken only as pages are used.
const CACHE_KIB: i64 = 32 * 1024;

/// The WAL file is truncated back to this size after a checkpoint, so one big ingest
/// does not leave a huge `-wal` file behind.
const JOURNAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

const INSERT_RECORD: &str = "INSERT INTO records \
     (kind, key, subject, at, body, source, ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const SELECT_KEY: &str = "SELECT 1 FROM record_keys WHERE hash = ?1";
const INSERT_KEY: &str = "INSERT INTO record_keys (hash, seq) VALUES (?1, ?2)";
const SELECT_RECORDS: &str = "SELECT seq, kind, key, subject, body FROM records ORDER BY seq";
// The key table is a tenth of the size of the records, so counting it reads far less.
const COUNT_RECORDS: &str = "SELECT count(*) FROM record_keys";
const INSERT_ASSESSMENT: &str = "INSERT INTO assessments \
     (subject, assessed_at, score, band, policy, stored_at, body) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const SELECT_LATEST: &str =
    "SELECT id, subject, body FROM assessments WHERE subject = ?1 ORDER BY id DESC LIMIT 1";
const SELECT_ALL_LATEST: &str = "SELECT a.id, a.subject, a.body \
     FROM latest_assessment l JOIN assessments a ON a.id = l.assessment_id \
     ORDER BY l.score DESC, l.subject";
const SELECT_HISTORY: &str = "SELECT id, subject, assessed_at, score, band \
     FROM assessments WHERE subject = ?1 ORDER BY id";
const LAST_AUDIT: &str = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1";
const INSERT_AUDIT: &str = "INSERT INTO audit (id, at, actor, action, target, detail, prev_hash, hash) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
// `?2` is the id after which to read on (0 from the start): ids are positive.
const SELECT_AUDIT_SINCE: &str = "SELECT id, at, actor, action, target, detail, prev_hash, hash \
     FROM audit WHERE at >= ?1 AND id > ?2 ORDER BY id LIMIT ?3";
const SELECT_AUDIT_CHAIN: &str =
    "SELECT id, at, actor, action, target, detail, prev_hash, hash FROM audit ORDER BY id";
const SELECT_AUDIT: &str =
    "SELECT id, at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT ?1";
const INSERT_DECISION: &str = "INSERT INTO sanctions_decisions \
     (at, actor, subject, entity_id, decision, reason, entity_fingerprint, list_version) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
// The newest row of each pair: its id is the largest of the pair's.
const SELECT_DECISIONS: &str = "SELECT d.id, d.at, d.actor, d.subject, d.entity_id, d.decision, \
     d.reason, d.entity_fingerprint, d.list_version FROM sanctions_decisions d \
     WHERE d.id = (SELECT max(id) FROM sanctions_decisions n \
                   WHERE n.subject = d.subject AND n.entity_id = d.entity_id) \
     ORDER BY d.subject, d.entity_id";

const INSERT_API_KEY: &str =
    "INSERT INTO api_keys (id, name, role, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
const SELECT_API_KEYS: &str =
    "SELECT seq, id, name, role, created_at, revoked_at, hash FROM api_keys";
const REVOKE_API_KEY: &str =
    "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";

/// How hard a commit works to survive a power cut (SQLite's `synchronous` setting).
///
/// A process crash never loses a committed unit of work, whichever is chosen; and no
/// crash or power cut can corrupt the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// The WAL is synced at checkpoints, not at every commit: a power cut or OS crash may
    /// lose the last commits before it. Right when the sources can be read again (files:
    /// re-ingesting is idempotent), and much cheaper for many small commits.
    #[default]
    Normal,
    /// Every commit is synced to disk before `commit` returns. For sources that will not
    /// send a record again once it is acknowledged (a message queue).
    Full,
}

/// A [`Store`] in one SQLite file (or in memory).
///
/// Holds one connection; it is `Send` (so it can be moved to a writer thread) but not
/// `Sync`. Several processes may open the same file: WAL lets readers go on while one
/// writes, and a writer waits up to 10 s for another to finish its unit of work.
pub struct SqliteStore {
    conn: Connection,
    /// `None` for an in-memory store.
    path: Option<PathBuf>,
    /// The path for messages: the file, or `:memory:`.
    label: PathBuf,
    /// Whether `begin` opened a unit of work that is not yet committed or rolled back.
    in_unit: bool,
    /// Copies committed pages from the log into the database file; `None` in memory.
    checkpointer: Option<Checkpointer>,
    /// The keys of the records the open unit of work added, with their `seq`: they go
    /// into `record_keys`, sorted, when it commits (see the schema-2 migration for why).
    pending: Vec<(RecordHash, i64)>,
    /// The keys of `pending[..pending_seen]`, built only when `put_record` asks, so that
    /// appending (the fast path) never hashes into a set.
    pending_set: FxHashSet<RecordHash>,
    pending_seen: usize,
    /// When the open unit of work began: every record it stores was ingested then.
    unit_began: i64,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.label)
            .field("in_unit", &self.in_unit)
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the database at `path`, creating it (readable by its owner only) if missing
    /// (its folder must exist), and
    /// brings its schema up to date.
    ///
    /// Refuses, with a message saying so, a file that is not an SQLite database, an
    /// SQLite database of another program, and a database written by a newer redflag.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        // A missing folder is usually a typo in the path; creating it would scatter
        // databases of personal data wherever the typo pointed.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(StoreError::NoFolder {
                dir: dir.to_owned(),
                path: path.to_owned(),
            });
        }
        // Open the file ourselves first: the operating system says why it cannot be
        // opened ("permission denied", "is a directory") better than SQLite does. The
        // database holds personal data, so a new one is readable by its owner only
        // (SQLite gives the -wal and -shm files the same permissions).
        let mut options = fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path).map_err(|e| StoreError::Open {
            path: path.to_owned(),
            reason: crate::error::describe_io(&e),
        })?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Open {
            path: path.to_owned(),
            reason: crate::error::describe_sqlite(&e),
        })?;
        Self::setup(conn, Some(path.to_owned()))
    }

    /// Opens a new, empty store in memory (for tests and dry runs). Everything is lost
    /// when it is dropped.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| StoreError::Open {
            path: PathBuf::from(":memory:"),
            reason: crate::error::describe_sqlite(&e),
        })?;
        Self::setup(conn, None)
    }

    /// The database file, or `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Chooses how hard each commit works to survive a power cut (the default is
    /// [`Durability::Normal`]).
    pub fn set_durability(&mut self, durability: Durability) -> Result<(), StoreError> {
        let mode = match durability {
            Durability::Normal => "NORMAL",
            Durability::Full => "FULL",
        };
        self.conn
            .pragma_update(None, "synchronous", mode)
            .map_err(|e| self.db("set synchronous mode", e))
    }

    /// The schema version of the database (`PRAGMA user_version`); after a successful
    /// open it is always [`SCHEMA_VERSION`](crate::SCHEMA_VERSION).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.db("read the schema version", e))
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>) -> Result<Self, StoreError> {
        let label = path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        let db = |op: &'static str| {
            let label = label.clone();
            move |cause| StoreError::Db {
                path: label,
                op,
                cause,
            }
        };
        conn.busy_timeout(Duration::from_secs(BUSY_TIMEOUT_SECS))
            .map_err(db("set the busy timeout"))?;

        // Look before touching anything: a foreign file must be left exactly as it was.
        let (application_id, version, tables) = match read_identity(&mut conn) {
            Ok(identity) => identity,
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
                return Err(StoreError::NotSqlite { path: label });
            }
            Err(e) => return Err(db("read the database header")(e)),
        };
        let fresh = application_id == 0 && version == 0 && tables == 0;
        if application_id != APPLICATION_ID && !fresh {
            return Err(StoreError::ForeignDatabase {
                path: label,
                application_id,
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: label,
                found: version,
                known: SCHEMA_VERSION,
            });
        }

        if fresh {
            // Only possible before the first page is written.
            conn.pragma_update(None, "page_size", PAGE_SIZE)
                .map_err(db("set the page size"))?;
        }
        // WAL: readers never block the writer nor the writer them, and a commit is one
        // sequential append to the -wal file instead of a rewrite of the pages in place.
        // (In memory the journal stays "memory"; asking is harmless.)
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
            .map_err(db("switch to write-ahead logging"))?;
        // synchronous=NORMAL (see `Durability::Normal`): in WAL mode SQLite then syncs
        // the WAL at checkpoints, not at every commit. No crash or power cut can corrupt
        // the database, and a process crash loses nothing committed; a power cut may
        // lose the last commits before it, which re-ingesting the sources (idempotent)
        // restores. Commits then cost no fsync, which matters for many small units of
        // work; `set_durability(Durability::Full)` is there for sources that cannot be
        // replayed.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db("set synchronous mode"))?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(db("turn on foreign keys"))?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)
            .map_err(db("set the cache size"))?;
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(db("set temp_store"))?;
        conn.pragma_update(None, "journal_size_limit", JOURNAL_SIZE_LIMIT)
            .map_err(db("set the journal size limit"))?;
        conn.set_prepared_statement_cache_capacity(32);
        if path.is_some() {
            // The checkpointer thread does it instead, so a commit does not wait while
            // the log is copied into the database file.
            conn.pragma_update(None, "wal_autocheckpoint", 0)
                .map_err(db("turn off checkpoints at commit"))?;
        }

        migrate(&mut conn, &label)?;

        Ok(SqliteStore {
            conn,
            checkpointer: path.as_deref().map(Checkpointer::new),
            path,
            label,
            in_unit: false,
            pending: Vec::new(),
            pending_set: FxHashSet::default(),
            pending_seen: 0,
            unit_began: 0,
        })
    }

    fn db(&self, op: &'static str, cause: rusqlite::Error) -> StoreError {
        StoreError::Db {
            path: self.label.clone(),
            op,
            cause,
        }
    }

    /// Appends a record whose key is known to be absent.
    fn insert(&mut self, record: &NewRecord<'_>, hash: RecordHash) -> Result<(), StoreError> {
        let op = "store a record";
        let mut stmt = self
            .conn
            .prepare_cached(INSERT_RECORD)
            .map_err(|e| self.db(op, e))?;
        stmt.execute(params![
            record.kind.as_str(),
            record.key,
            record.subject.as_str(),
            record.at.map(micros),
            record.body,
            record.source,
            self.unit_began,
        ])
        .map_err(|e| self.db(op, e))?;
        drop(stmt);
        self.pending.push((hash, self.conn.last_insert_rowid()));
        Ok(())
    }

    /// Whether the open unit of work has stored a record with this key.
    fn is_pending(&mut self, hash: &RecordHash) -> bool {
        for (key, _) in &self.pending[self.pending_seen..] {
            self.pending_set.insert(*key);
        }
        self.pending_seen = self.pending.len();
        self.pending_set.contains(hash)
    }

    fn forget_pending(&mut self) {
        self.pending.clear();
        self.pending_set.clear();
        self.pending_seen = 0;
    }

    /// Adds the unit of work's record keys to `record_keys`, in key order: the inserts
    /// then walk the index from one end to the other instead of jumping about it.
    fn store_pending_keys(&mut self) -> Result<(), StoreError> {
        let mut keys = std::mem::take(&mut self.pending);
        self.forget_pending();
        keys.sort_unstable();
        let op = "store the record keys";
        let mut stmt = self
            .conn
            .prepare_cached(INSERT_KEY)
            .map_err(|e| self.db(op, e))?;
        for (hash, seq) in keys {
            match stmt.execute(params![&hash.as_bytes()[..], seq]) {
                Ok(_) => {}
                Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                    let what = self
                        .conn
                        .query_row("SELECT kind, key FROM records WHERE seq = ?1", [seq], |r| {
                            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                        })
                        .map_or_else(
                            |_| format!("the record stored as number {seq}"),
                            |(kind, key)| format!("the {kind} record {key:?}"),
                        );
                    return Err(StoreError::DuplicateRecord {
                        path: self.label.clone(),
                        what,
                    });
                }
                Err(e) => return Err(self.db(op, e)),
            }
        }
        Ok(())
    }

    /// An audit row as stored, read loosely: a hand-edited row is for `verify_audit` to
    /// judge, not a reason to stop reading.
    /// Keys as `SELECT_API_KEYS` reads them, after `filter` (a WHERE clause or nothing).
    fn read_api_keys(
        &self,
        filter: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<ApiKeyWithHash>, StoreError> {
        let op = "read the API keys";
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SELECT_API_KEYS} {filter} ORDER BY seq"))
            .map_err(|e| self.db(op, e))?;
        let mut rows = stmt.query(params).map_err(|e| self.db(op, e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.db(op, e))? {
            let columns = rows::ApiKeyColumns {
                seq: row.get(0).map_err(|e| self.db(op, e))?,
                id: row.get(1).map_err(|e| self.db(op, e))?,
                name: row.get(2).map_err(|e| self.db(op, e))?,
                role: row.get(3).map_err(|e| self.db(op, e))?,
                created_at: row.get(4).map_err(|e| self.db(op, e))?,
                revoked_at: row.get(5).map_err(|e| self.db(op, e))?,
            };
            out.push(ApiKeyWithHash {
                key: rows::api_key(&self.label, columns)?,
                hash: row.get(6).map_err(|e| self.db(op, e))?,
            });
        }
        Ok(out)
    }

    fn chain_row(&self, row: &rusqlite::Row<'_>) -> rusqlite::Result<ChainRow> {
        let bytes = |i| -> rusqlite::Result<Vec<u8>> {
            Ok(match row.get_ref(i)? {
                rusqlite::types::ValueRef::Blob(b) | rusqlite::types::ValueRef::Text(b) => {
                    b.to_vec()
                }
                _ => Vec::new(),
            })
        };
        Ok(ChainRow {
            id: row.get(0)?,
            at_us: row.get(1)?,
            actor: row.get(2)?,
            action: row.get(3)?,
            target: row.get(4)?,
            detail: row.get(5)?,
            prev_hash: bytes(6)?,
            hash: bytes(7)?,
        })
    }

    /// Runs SQL directly, for tests that must check what the schema refuses.
    #[cfg(test)]
    pub(crate) fn raw(&self) -> &Connection {
        &self.conn
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        // Let a checkpoint under way finish: closing the connection then finds the log
        // copied and removes it.
        if let Some(checkpointer) = self.checkpointer.take() {
            checkpointer.finish();
        }
    }
}

/// Copies committed pages from the write-ahead log into the database file, on a thread
/// of its own with a connection of its own.
///
/// SQLite does this at commit by default, in the committing thread: after a scan of
/// 400,000 records that is 160 MB copied and synced while the caller waits. Here the
/// commit returns once its pages are in the log (where they are already safe: see
/// [`Durability`]) and the copy overlaps whatever the caller does next. Readers see the
/// same data either way. Checkpoints are passive: they never block a reader or writer.
struct Checkpointer {
    path: PathBuf,
    /// Holds at most one request: a checkpoint asked for while one is waiting is the
    /// same checkpoint.
    requests: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    fn new(path: &Path) -> Self {
        Checkpointer {
            path: path.to_owned(),
            requests: None,
            thread: None,
        }
    }

    /// Asks for a checkpoint, starting the thread on first use.
    fn kick(&mut self) {
        if self.requests.is_none() {
            let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
            let path = self.path.clone();
            let spawned = std::thread::Builder::new()
                .name("redflag-checkpoint".into())
                .spawn(move || checkpoint_on_request(&path, &rx));
            match spawned {
                Ok(thread) => {
                    self.requests = Some(tx);
                    self.thread = Some(thread);
                }
                // Without the thread, the log is copied when the database is closed.
                Err(e) => tracing::warn!(error = %e, "cannot start the checkpoint thread"),
            }
        }
        if let Some(requests) = &self.requests {
            let _ = requests.try_send(());
        }
    }

    /// Waits for the checkpoint under way, if any, and stops the thread.
    fn finish(mut self) {
        drop(self.requests.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn checkpoint_on_request(path: &Path, requests: &std::sync::mpsc::Receiver<()>) {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|conn| {
        conn.busy_timeout(Duration::from_secs(BUSY_TIMEOUT_SECS))?;
        Ok(conn)
    });
    let conn = match conn {
        Ok(conn) => conn,
        Err(e) => {
            tracing::warn!(error = %e, "cannot open the database for checkpoints");
            return;
        }
    };
    while requests.recv().is_ok() {
        // Errors are left for the next checkpoint (or the close) to retry: the data is
        // committed in the log whatever happens here.
        match conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        }) {
            Ok((in_log, copied)) => tracing::debug!(in_log, copied, "checkpoint"),
            Err(e) => tracing::warn!(error = %e, "checkpoint failed; the next one retries"),
        }
    }
}

/// The application id, schema version and number of tables, read in one transaction:
/// another process creating the same new database meanwhile must not be seen half-way
/// (its tables but not yet its application id), or it would look like another
/// program's file.
fn read_identity(conn: &mut Connection) -> rusqlite::Result<(i32, u32, i64)> {
    let tx = conn.transaction()?;
    let application_id = tx.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tables = tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    tx.commit()?;
    Ok((application_id, version, tables))
}

/// A timestamp as the store keeps it: integer microseconds since the Unix epoch (finer
/// digits are dropped).
pub(crate) fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

impl Store for SqliteStore {
    fn begin(&mut self) -> Result<(), StoreError> {
        if self.in_unit || !self.conn.is_autocommit() {
            return Err(StoreError::AlreadyInTransaction {
                path: self.label.clone(),
            });
        }
        // IMMEDIATE takes the write lock now, so a unit of work never fails half-way
        // because another process started writing first.
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.db("begin a unit of work", e))?;
        self.in_unit = true;
        self.unit_began = micros(Timestamp::now());
        Ok(())
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        if !self.in_unit {
            return Err(StoreError::NotInTransaction {
                path: self.label.clone(),
            });
        }
        self.in_unit = false;
        if self.conn.is_autocommit() {
            // SQLite rolled the transaction back itself after an error (e.g. disk full).
            self.forget_pending();
            return Err(StoreError::TransactionLost {
                path: self.label.clone(),
            });
        }
        if let Err(e) = self.store_pending_keys() {
            if !self.conn.is_autocommit() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            return Err(e);
        }
        if let Err(e) = self.conn.execute_batch("COMMIT") {
            if !self.conn.is_autocommit() {
                // Leave no half-open transaction behind: the caller was told it failed.
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            return Err(self.db("save the unit of work (nothing of it was saved)", e));
        }
        if let Some(checkpointer) = &mut self.checkpointer {
            checkpointer.kick();
        }
        Ok(())
    }

    fn prepare_commit(&mut self) -> Result<(), StoreError> {
        if !self.in_unit {
            return Err(StoreError::NotInTransaction {
                path: self.label.clone(),
            });
        }
        self.store_pending_keys()?;
        self.conn
            .cache_flush()
            .map_err(|e| self.db("write the unit of work's pages to the log", e))
    }

    /// Discards the open unit of work; does nothing when none is open.
    fn rollback(&mut self) -> Result<(), StoreError> {
        self.in_unit = false;
        self.forget_pending();
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.conn
            .execute_batch("ROLLBACK")
            .map_err(|e| self.db("discard the unit of work", e))
    }

    fn put_record(&mut self, record: &NewRecord<'_>) -> Result<bool, StoreError> {
        if !self.in_unit {
            return rows::in_own_unit(self, |store| store.put_record(record));
        }
        let hash = RecordHash::of(record.kind, record.key);
        if self.is_pending(&hash) {
            return Ok(false);
        }
        let op = "look up a record's key";
        let stored = self
            .conn
            .prepare_cached(SELECT_KEY)
            .and_then(|mut stmt| stmt.exists([&hash.as_bytes()[..]]))
            .map_err(|e| self.db(op, e))?;
        if stored {
            return Ok(false);
        }
        self.insert(record, hash)?;
        Ok(true)
    }

    fn append_record(&mut self, record: &NewRecord<'_>) -> Result<(), StoreError> {
        if !self.in_unit {
            return rows::in_own_unit(self, |store| store.append_record(record));
        }
        // A record stored twice is caught when the keys are stored, at the latest by
        // the commit.
        let hash = RecordHash::of(record.kind, record.key);
        self.insert(record, hash)
    }

    fn for_each_record(
        &self,
        f: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let op = "read the stored records";
        let mut stmt = self
            .conn
            .prepare_cached(SELECT_RECORDS)
            .map_err(|e| self.db(op, e))?;
        let mut rows = stmt.query([]).map_err(|e| self.db(op, e))?;
        while let Some(row) = rows.next().map_err(|e| self.db(op, e))? {
            let seq: i64 = row.get(0).map_err(|e| self.db(op, e))?;
            let kind = {
                let name = row.get_ref(1).and_then(|v| Ok(v.as_str()?));
                let name = name.map_err(|e| self.db(op, e))?;
                Kind::from_name(name).ok_or_else(|| {
                    rows::bad_row(
                        &self.label,
                        "records",
                        seq,
                        format!("unknown kind {name:?}"),
                    )
                })?
            };
            let key: String = row.get(2).map_err(|e| self.db(op, e))?;
            let subject = {
                let s = row.get_ref(3).and_then(|v| Ok(v.as_str()?));
                let s = s.map_err(|e| self.db(op, e))?;
                s.parse::<SubjectId>().map_err(|e| {
                    rows::bad_row(&self.label, "records", seq, format!("subject: {e}"))
                })?
            };
            let body: String = row.get(4).map_err(|e| self.db(op, e))?;
            f(StoredRecord {
                seq,
                kind,
                key,
                subject,
                body,
            })?;
        }
        Ok(())
    }

    fn record_count(&self) -> Result<u64, StoreError> {
        let op = "count the stored records";
        let mut stmt = self
            .conn
            .prepare_cached(COUNT_RECORDS)
            .map_err(|e| self.db(op, e))?;
        let n: i64 = stmt
            .query_row([], |r| r.get(0))
            .map_err(|e| self.db(op, e))?;
        Ok(n.max(0) as u64 + self.pending.len() as u64)
    }

    fn put_assessment(&mut self, assessment: &Assessment, policy: &str) -> Result<(), StoreError> {
        crate::check_finite(assessment)?;
        let body = serde_json::to_string(assessment).map_err(|e| StoreError::Encode {
            subject: assessment.subject.to_string(),
            reason: e.to_string(),
        })?;
        let op = "store an assessment";
        let mut stmt = self
            .conn
            .prepare_cached(INSERT_ASSESSMENT)
            .map_err(|e| self.db(op, e))?;
        stmt.execute(params![
            assessment.subject.as_str(),
            micros(assessment.assessed_at),
            assessment.score,
            assessment.band.as_str(),
            policy,
            micros(Timestamp::now()),
            body,
        ])
        .map_err(|e| self.db(op, e))?;
        Ok(())
    }

    fn latest_assessment(&self, subject: &SubjectId) -> Result<Option<Assessment>, StoreError> {
        let op = "read the latest assessment";
        let mut stmt = self
            .conn
            .prepare_cached(SELECT_LATEST)
            .map_err(|e| self.db(op, e))?;
        let row = stmt
            .query_row([subject.as_str()], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()
            .map_err(|e| self.db(op, e))?;
        match row {
            Some((id, subject, body)) => {
                rows::assessment(&self.label, id, subject, &body).map(Some)
            }
            None => Ok(None),
        }
    }

    fn latest_assessments(&self) -> Result<Vec<Assessment>, StoreError> {
        let op = "read the latest assessments";
        let mut stmt = self
            .conn
            .prepare_cached(SELECT_ALL_LATEST)
            .map_err(|e| self.db(op, e))?;
        let mut rows = stmt.query([]).map_err(|e| self.db(op, e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.db(op, e))? {
            let id: i64 = row.get(0).map_err(|e| self.db(op, e))?;
            let subject: String = row.get(1).map_err(|e| self.db(op, e))?;
            let body = row
                .get_ref(2)
                .and_then(|v| Ok(v.as_str()?))
                .map_err(|e| self.db(op, e))?;
            out.push(rows::assessment(&self.label, id, subject, body)?);
        }
        Ok(out)
    }

    fn assessment_history(
        &self,
        subject: &SubjectId,
    ) -> Result<Vec<AssessmentSummary>, StoreError> {
        let op = "read the assessment history";
        let mut stmt = self
            .conn
            .prepare_cached(SELECT_HISTORY)
            .map_err(|e| self.db(op, e))?;
        let mut rows = stmt.query([subject.as_str()]).map_err(|e| self.db(op, e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.db(op, e))? {
            let get = |i| row.get_ref(i).map_err(|e| self.db(op, e));
            let text = |i| get(i).and_then(|v| v.as_str().map_err(|e| self.db(op, e.into())));
            let number = |i| get(i).and_then(|v| v.as_i64().map_err(|e| self.db(op, e.into())));
            out.push(rows::summary(
                &self.label,
                subject,
                rows::SummaryColumns {
                    row: number(0)?,
                    stored_subject: text(1)?,
                    assessed_at: number(2)?,
                    score: number(3)?,
                    band: text(4)?,
                },
            )?);
        }
        Ok(out)
    }

    fn location(&self) -> &Path {
        &self.label
    }

    fn audit(&mut self, entry: &AuditEntry) -> Result<(), StoreError> {
        if !self.in_unit {
            // The entry links to the newest one: read and write under the write lock.
            return rows::in_own_unit(self, |store| store.audit(entry));
        }
        let op = "write to the audit log";
        let detail = entry.detail.to_string();
        let last = self
            .conn
            .prepare_cached(LAST_AUDIT)
            .and_then(|mut stmt| {
                stmt.query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
                    .optional()
            })
            .map_err(|e| self.db(op, e))?;
        let (id, prev) = audit::next_link(&self.label, last.as_ref().map(|(id, h)| (*id, &h[..])))?;
        let hash = Content::of(id, entry, &detail).hash(&prev);
        let mut stmt = self
            .conn
            .prepare_cached(INSERT_AUDIT)
            .map_err(|e| self.db(op, e))?;
        stmt.execute(params![
            id,
            micros(entry.at),
            entry.actor,
            entry.action,
            entry.target,
            detail,
            &prev.as_bytes()[..],
            &hash.as_bytes()[..],
        ])
        .map_err(|e| self.db(op, e))?;
        Ok(())
    }

    fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        let op = "read the audit log";
        let mut stmt = self
            .conn
            .prepare_cached(SELECT_AUDIT_SINCE)
            .map_err(|e| self.db(op, e))?;
        let since = query.since.map_or(i64::MIN, micros);
        let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
        let mut rows = stmt
            .query(params![since, query.after.unwrap_or(0), limit])
            .map_err(|e| self.db(op, e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.db(op, e))? {
            let row = self.chain_row(row).map_err(|e| self.db(op, e))?;
            let id = row.id;
            out.push(
                row.into_record()
                    .map_err(|reason| rows::bad_row(&self.label, "audit", id, reason))?,
            );
        }
        Ok(out)
    }

    fn verify_audit(&self) -> Result<AuditVerification, StoreError> {
        let op = "read the audit log";
        let mut stmt = self
            .conn
            .prepare_cached(SELECT_AUDIT_CHAIN)
            .map_err(|e| self.db(op, e))?;
        let mut rows = stmt.query([]).map_err(|e| self.db(op, e))?;
        let mut walk = ChainWalk::new();
        while let Some(row) = rows.next().map_err(|e| self.db(op, e))? {
            let row = self.chain_row(row).map_err(|e| self.db(op, e))?;
            if !walk.check(&row.content(), &row.prev_hash, &row.hash) {
                break;
            }
        }
        Ok(walk.finish())
    }

    fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let op = "read the audit log";
        let mut stmt = self
            .conn
            .prepare_cached(SELECT_AUDIT)
            .map_err(|e| self.db(op, e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows = stmt.query([limit]).map_err(|e| self.db(op, e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.db(op, e))? {
            let id: i64 = row.get(0).map_err(|e| self.db(op, e))?;
            let at = rows::timestamp(
                &self.label,
                "audit",
                id,
                row.get(1).map_err(|e| self.db(op, e))?,
            )?;
            let detail = row
                .get_ref(5)
                .and_then(|v| Ok(v.as_str()?))
                .map_err(|e| self.db(op, e))?;
            let detail = serde_json::from_str(detail).map_err(|e| {
                rows::bad_row(&self.label, "audit", id, format!("detail is not JSON: {e}"))
            })?;
            out.push(AuditEntry {
                at,
                actor: row.get(2).map_err(|e| self.db(op, e))?,
                action: row.get(3).map_err(|e| self.db(op, e))?,
                target: row.get(4).map_err(|e| self.db(op, e))?,
                detail,
            });
        }
        Ok(out)
    }

    fn put_sanctions_decision(&mut self, d: &SanctionsDecision) -> Result<(), StoreError> {
        let op = "record a sanctions decision";
        let mut stmt = self
            .conn
            .prepare_cached(INSERT_DECISION)
            .map_err(|e| self.db(op, e))?;
        stmt.execute(params![
            micros(d.at),
            d.actor,
            d.subject.as_str(),
            d.entity_id,
            d.decision.as_str(),
            d.reason,
            d.entity_fingerprint,
            d.list_version,
        ])
        .map_err(|e| self.db(op, e))?;
        Ok(())
    }

    fn sanctions_decisions(&self) -> Result<Vec<SanctionsDecision>, StoreError> {
        let op = "read the sanctions decisions";
        let mut stmt = self
            .conn
            .prepare_cached(SELECT_DECISIONS)
            .map_err(|e| self.db(op, e))?;
        let mut rows = stmt.query([]).map_err(|e| self.db(op, e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.db(op, e))? {
            let id: i64 = row.get(0).map_err(|e| self.db(op, e))?;
            let table = "sanctions_decisions";
            let at = rows::timestamp(
                &self.label,
                table,
                id,
                row.get(1).map_err(|e| self.db(op, e))?,
            )?;
            let subject: String = row.get(3).map_err(|e| self.db(op, e))?;
            let decision: String = row.get(5).map_err(|e| self.db(op, e))?;
            let (subject, decision) = rows::decision(&self.label, id, &subject, &decision)?;
            out.push(SanctionsDecision {
                subject,
                entity_id: row.get(4).map_err(|e| self.db(op, e))?,
                decision,
                reason: row.get(6).map_err(|e| self.db(op, e))?,
                actor: row.get(2).map_err(|e| self.db(op, e))?,
                at,
                entity_fingerprint: row.get(7).map_err(|e| self.db(op, e))?,
                list_version: row.get(8).map_err(|e| self.db(op, e))?,
            });
        }
        Ok(out)
    }

    fn put_api_key(&mut self, key: &NewApiKey<'_>) -> Result<(), StoreError> {
        let op = "store an API key";
        let mut stmt = self
            .conn
            .prepare_cached(INSERT_API_KEY)
            .map_err(|e| self.db(op, e))?;
        let done = stmt.execute(params![
            key.id,
            key.name,
            key.role.as_str(),
            key.hash,
            micros(key.created_at),
        ]);
        match done {
            Ok(_) => Ok(()),
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                Err(StoreError::DuplicateApiKey {
                    path: self.label.clone(),
                    id: key.id.to_owned(),
                })
            }
            Err(e) => Err(self.db(op, e)),
        }
    }

    fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        let keys = self.read_api_keys("", [])?;
        Ok(keys.into_iter().map(|k| k.key).collect())
    }

    fn api_key(&self, id: &str) -> Result<Option<ApiKeyWithHash>, StoreError> {
        Ok(self.read_api_keys("WHERE id = ?1", [id])?.pop())
    }

    fn revoke_api_key(&mut self, id: &str, at: Timestamp) -> Result<bool, StoreError> {
        let op = "revoke an API key";
        let mut stmt = self
            .conn
            .prepare_cached(REVOKE_API_KEY)
            .map_err(|e| self.db(op, e))?;
        let changed = stmt
            .execute(params![id, micros(at)])
            .map_err(|e| self.db(op, e))?;
        Ok(changed == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>() {}

    #[test]
    fn store_is_send_and_object_safe() {
        assert_send::<SqliteStore>();
        assert_send::<Box<dyn Store>>();
        assert_send::<StoreError>();
        let store: Box<dyn Store> = Box::new(SqliteStore::open_in_memory().unwrap());
        assert_eq!(store.record_count().unwrap(), 0);
    }

    #[test]
    fn in_memory_store_is_migrated_and_marked() {
        let store = SqliteStore::open_in_memory().unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.path(), None);
        let id: i32 = store
            .raw()
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(id, APPLICATION_ID);
        let fk: bool = store
            .raw()
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(fk);
    }

    #[test]
    fn key_hash_never_changes() {
        // Stored in every database: if this fails, existing databases would accept
        // every record again. Change it only together with a migration.
        let hex: String = RecordHash::of(Kind::Login, "l-1")
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, "cf3ba5eac59d4774a6c7aea6937d8a11");
        assert_ne!(
            RecordHash::of(Kind::Login, "l-1"),
            RecordHash::of(Kind::Payment, "l-1")
        );
        assert_ne!(
            RecordHash::of(Kind::Login, "l-1"),
            RecordHash::of(Kind::Login, "l-2")
        );
    }

    #[test]
    fn new_files_get_the_large_page_size() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("x.db")).unwrap();
        let size: i64 = store
            .raw()
            .pragma_query_value(None, "page_size", |r| r.get(0))
            .unwrap();
        assert_eq!(size, PAGE_SIZE);
        let mode: String = store
            .raw()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn durability_can_be_raised() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("x.db")).unwrap();
        let sync = |s: &SqliteStore| -> i64 {
            s.raw()
                .pragma_query_value(None, "synchronous", |r| r.get(0))
                .unwrap()
        };
        assert_eq!(sync(&store), 1); // NORMAL
        store.set_durability(Durability::Full).unwrap();
        assert_eq!(sync(&store), 2); // FULL
    }
}

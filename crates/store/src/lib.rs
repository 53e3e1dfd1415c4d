//! Durable storage of records, assessments and the audit log.
//!
//! The engine and the CLI talk to the [`Store`] trait only. The default backend,
//! [`SqliteStore`], keeps everything in one SQLite file; [`PgStore`] keeps it in a
//! PostgreSQL database, for teams; [`open`] picks one from what `--db` says
//! ([`Database`]).
//!
//! # Design
//!
//! **Units of work.** Writes happen between [`Store::begin`] and [`Store::commit`]. Nothing
//! of a unit of work is visible to other connections or survives a crash until it is
//! committed; [`Store::rollback`], dropping the store or the process dying discards it.
//! The ingest loop stores a batch of records, commits, and only then acknowledges them:
//! a record is durably stored before it is acknowledged. One transaction per batch, not
//! per record, is also what makes ingest fast (hundreds of thousands of records a second
//! rather than a few hundred).
//!
//! **Idempotent records, bodies kept verbatim.** A record is stored once per
//! `(kind, key)`: re-ingesting a file is a no-op, and [`Store::put_record`] says whether a
//! record was new. Uniqueness rests on a 128-bit BLAKE3 hash of kind and key
//! ([`RecordHash`]), the same identity the model's content hashes rely on. In SQLite the
//! hashes live in a table of their own, `record_keys`, filled in hash order when a unit
//! of work commits (a key already there fails the commit): keys are mostly random
//! (UUIDs, content hashes), and an index kept up to date on every insert cost a random
//! index page per record, the slowest step of a large scan. A caller that knows which
//! records are new (the pipeline holds the hash of every stored record) uses
//! [`Store::append_record`] and skips the lookup. The record's JSON text is kept exactly
//! as it was received, unknown
//! fields and all. That text is the evidence: a later redflag that understands more
//! fields can re-read it, an investigator can see what the source really said, and a
//! report can quote it. Parsing it again into [`Record`](redflag_model::Record) is cheap.
//!
//! **Append-only history.** Assessments and the audit log are only ever appended to:
//! every assessment is kept with the time it was made (so a subject's score history can
//! be shown and a decision can be explained later as it was made), and the audit log
//! records who changed what. Triggers in the schema make `UPDATE` and `DELETE` on those
//! tables fail, so not even a bug or a hand-typed SQL statement can rewrite history
//! through the database. They guard against mistakes, not against someone who can drop
//! a trigger or replace the file: for that, the audit log is a hash chain (each entry
//! hashes the one before it, see [`AuditHash`]) and [`Store::verify_audit`] names the
//! first entry that was edited, removed or inserted. "Newest" means the most recently
//! stored, whatever `assessed_at` says.
//!
//! **SQLite settings.** The journal is a write-ahead log (WAL): readers (a report, the web
//! UI) never block the writer nor it them, and a commit is a sequential append to the
//! `-wal` file. `synchronous = NORMAL` syncs that file at checkpoints rather than at every
//! commit: the database cannot be corrupted by a crash, a process crash loses nothing
//! committed, and a power cut may lose only the last few commits, which re-ingesting the
//! sources (idempotent) restores. Commits then cost no fsync. A source that will not send
//! a record again once it is acknowledged (a message queue) should call
//! [`SqliteStore::set_durability`] with [`Durability::Full`].
//! Foreign keys are on, a writer waits up to 10 s for another, pages are 16 KiB, and the
//! page cache is 32 MiB. Checkpoints (copying the log into the database file) run on a
//! thread of their own after each commit rather than inside it, so a large commit
//! returns once its pages are in the log; dropping the store waits for the checkpoint
//! under way.
//!
//! **Schema versions.** The schema is an ordered list of migration steps, each run in its
//! own transaction when a database is opened; `PRAGMA user_version` holds the version
//! and a `schema_migrations` table says when each step ran. `PRAGMA application_id` marks
//! a redflag database, so opening some other file is refused rather than altering it, and
//! so is a database written by a newer redflag.
//! A PostgreSQL schema has a list of steps of its own, versioned in its `redflag_schema`
//! table ([`PgStore`]).
//!
//! **Time.** Every timestamp is stored as integer microseconds since the Unix epoch
//! (UTC): compact, and ordered as numbers. The full assessment JSON keeps its own
//! timestamps as written.

#![warn(missing_docs)]

mod api_keys;
mod audit;
mod database;
mod error;
mod memory;
mod migrations;
mod pg;
mod rows;
mod sqlite;

pub use api_keys::{ApiKey, ApiKeyWithHash, NewApiKey, Role};
pub use audit::{AuditHash, AuditQuery, AuditRecord, AuditVerification, ChainBreak, ChainHead};
pub use database::{Database, open};
pub use error::StoreError;
pub use memory::MemoryStore;
pub use migrations::SCHEMA_VERSION;
pub use pg::{PG_SCHEMA_VERSION, PgStore};
pub use redflag_model::{
    Assessment, Band, Decision, Kind, SanctionsDecision, SubjectId, Timestamp,
};
pub use sqlite::{APPLICATION_ID, Durability, SqliteStore};

use serde::{Deserialize, Serialize};

/// A record to store, borrowed from the ingest loop so storing it copies nothing first.
#[derive(Debug, Clone, Copy)]
pub struct NewRecord<'a> {
    /// The record's kind.
    pub kind: Kind,
    /// Its idempotency key, unique within the kind (see
    /// [`ParsedRecord::key`](redflag_model::ParsedRecord::key)).
    pub key: &'a str,
    /// The subject it is about.
    pub subject: &'a SubjectId,
    /// When the thing it describes happened, where known.
    pub at: Option<Timestamp>,
    /// The record's JSON text as received, kept verbatim (unknown fields and all).
    pub body: &'a str,
    /// Where it came from, e.g. `file.ndjson:123`.
    pub source: &'a str,
}

/// A record's identity in a store: the first 16 bytes of BLAKE3 over its kind, a NUL
/// and its key. Kind names hold no NUL, so no two (kind, key) pairs hash the same input;
/// 128 bits make an accidental collision as unlikely as in the model's content hashes
/// (about 2^-64 even at four billion records). Stored in every database, so
/// changing it needs a migration that recomputes the column. Callers that must know
/// whether a store holds a record without asking it (the pipeline, to fold records
/// while another thread stores them) keep these.
// Ordered as SQLite orders BLOBs (bytewise), so sorting keys sorts them for the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordHash([u8; 16]);

impl RecordHash {
    /// The identity of the record of `kind` with idempotency key `key`.
    pub fn of(kind: Kind, key: &str) -> Self {
        let mut hasher = blake3::Hasher::new();
        hasher.update(kind.as_str().as_bytes());
        hasher.update(&[0]);
        hasher.update(key.as_bytes());
        let mut out = [0; 16];
        out.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
        RecordHash(out)
    }

    /// The 16 bytes, as stored.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

/// A record as read back from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// Its position in insertion order (1, 2, 3, …).
    pub seq: i64,
    /// The record's kind.
    pub kind: Kind,
    /// Its idempotency key.
    pub key: String,
    /// The subject it is about.
    pub subject: SubjectId,
    /// The record's JSON text exactly as it was received.
    pub body: String,
}

/// One entry of the audit log: who or what did what, to what, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When it happened (kept to the microsecond).
    pub at: Timestamp,
    /// Who or what did it: `cli:alice`, `engine`, `api:token-3`.
    pub actor: String,
    /// What was done: `scan`, `policy.change`, `case.close`.
    pub action: String,
    /// What it was done to, e.g. a subject id, where there is one thing.
    pub target: Option<String>,
    /// Anything else worth keeping, as JSON.
    pub detail: serde_json::Value,
}

/// One point of a subject's score history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentSummary {
    /// The subject assessed.
    pub subject: SubjectId,
    /// When the assessment was made (kept to the microsecond).
    pub assessed_at: Timestamp,
    /// Its score.
    pub score: u8,
    /// Its band.
    pub band: Band,
}

/// Durable storage of records, assessments and the audit log.
///
/// Implementations are `Send`, so a store can be moved to a writer thread.
pub trait Store: Send {
    /// Starts a unit of work. Nothing written after it is durable or visible to other
    /// connections until [`commit`](Store::commit); [`rollback`](Store::rollback) (or
    /// dropping the store, or the process dying) discards it.
    ///
    /// Writes outside a unit of work are each committed on their own, which is correct
    /// but much slower for many records.
    fn begin(&mut self) -> Result<(), StoreError>;

    /// Makes the unit of work durable and visible. If it fails, nothing of the unit of
    /// work was saved.
    fn commit(&mut self) -> Result<(), StoreError>;

    /// Does now what [`commit`](Store::commit) can do ahead of time (for SQLite: store
    /// the unit of work's record keys, write its pages to the log), so that the commit
    /// itself is short. A writer thread calls it when it has stored its last record,
    /// while other threads still work. Optional; nothing is durable until the commit.
    fn prepare_commit(&mut self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Discards the unit of work. Does nothing when none is open, so it is safe on any
    /// error path.
    fn rollback(&mut self) -> Result<(), StoreError>;

    /// Inserts unless a record of the same kind and key exists. `Ok(true)` when it was
    /// new, `Ok(false)` when it was already stored (the stored one is kept unchanged).
    fn put_record(&mut self, record: &NewRecord<'_>) -> Result<bool, StoreError>;

    /// Inserts a record the caller knows to be new, because it holds the identity of every
    /// stored record (it replayed them inside this unit of work). Faster than
    /// [`put_record`](Store::put_record), which must look the key up. A record that was
    /// stored after all is refused with [`StoreError::DuplicateRecord`], here or at the
    /// latest by [`commit`](Store::commit), and the unit of work is then lost: the store
    /// never holds two records of one kind and key.
    fn append_record(&mut self, record: &NewRecord<'_>) -> Result<(), StoreError>;

    /// Calls `f` with every stored record in insertion order, one at a time, without
    /// loading them all into memory. An error from `f` stops the walk and is returned.
    fn for_each_record(
        &self,
        f: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// How many records are stored.
    fn record_count(&self) -> Result<u64, StoreError>;

    /// Appends an assessment (never overwrites: every assessment is kept with the time it
    /// was made). `policy` is a short label of the policy used (e.g. its hash).
    fn put_assessment(&mut self, assessment: &Assessment, policy: &str) -> Result<(), StoreError>;

    /// The newest (most recently stored) assessment of one subject, if any.
    fn latest_assessment(&self, subject: &SubjectId) -> Result<Option<Assessment>, StoreError>;

    /// The newest assessment of every subject, highest score first (ties by subject id).
    fn latest_assessments(&self) -> Result<Vec<Assessment>, StoreError>;

    /// All assessments of one subject, oldest first (its score history).
    fn assessment_history(&self, subject: &SubjectId)
    -> Result<Vec<AssessmentSummary>, StoreError>;

    /// Where the store is, for messages: the database file, `:memory:`, or the PostgreSQL
    /// server, database and schema (never a password).
    fn location(&self) -> &std::path::Path;

    /// Appends an entry to the audit log, linked to the newest entry by its hash (see
    /// [`AuditHash`]). Entries are never changed or removed.
    fn audit(&mut self, entry: &AuditEntry) -> Result<(), StoreError>;

    /// The newest `limit` audit entries, newest first.
    fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;

    /// The audit entries `query` asks for, oldest first, each with its id and links.
    fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError>;

    /// Walks the audit chain from the oldest entry and reports the first entry that was
    /// changed, removed or inserted behind redflag's back. An error means the log could
    /// not be read; a broken chain is a result ([`AuditVerification::broken`]).
    fn verify_audit(&self) -> Result<AuditVerification, StoreError>;

    /// Appends an analyst's decision on a sanctions screening result (never overwrites:
    /// a later decision on the same pair supersedes it).
    fn put_sanctions_decision(&mut self, decision: &SanctionsDecision) -> Result<(), StoreError>;

    /// The decision in force for each (subject, entity) pair: the newest stored, ordered
    /// by subject and entity.
    fn sanctions_decisions(&self) -> Result<Vec<SanctionsDecision>, StoreError>;

    /// Stores a new API key (only the hash of its secret). An id already stored is
    /// refused.
    fn put_api_key(&mut self, key: &NewApiKey<'_>) -> Result<(), StoreError>;

    /// Every API key, revoked ones too, oldest first, without their hashes.
    fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError>;

    /// One API key with the hash of its secret, to check a presented key.
    fn api_key(&self, id: &str) -> Result<Option<ApiKeyWithHash>, StoreError>;

    /// Revokes a key as of `at`. `Ok(true)` when it was active, `Ok(false)` when there is
    /// no such key or it was revoked already (its first revocation stands). Keys are never
    /// removed, so the audit log's `api:<id>` always names a key that can be looked up.
    fn revoke_api_key(&mut self, id: &str, at: Timestamp) -> Result<bool, StoreError>;
}

/// JSON has no NaN or infinity: serde_json would write `null` and the assessment could
/// never be read back, so refuse it here instead.
pub(crate) fn check_finite(a: &Assessment) -> Result<(), StoreError> {
    let bad = |what: String, v: f64| StoreError::Encode {
        subject: a.subject.to_string(),
        reason: format!("{what} is {v}, which JSON cannot hold"),
    };
    for s in &a.signals {
        if !s.weight.is_finite() {
            return Err(bad(format!("the weight of signal {}", s.code), s.weight));
        }
        if !s.confidence.is_finite() {
            return Err(bad(
                format!("the confidence of signal {}", s.code),
                s.confidence,
            ));
        }
    }
    for h in &a.sanctions {
        if !h.score.is_finite() {
            return Err(bad(
                format!("the score of sanctions hit {}", h.entity_id),
                h.score,
            ));
        }
    }
    Ok(())
}

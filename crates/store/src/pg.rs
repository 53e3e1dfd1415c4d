//! [`PgStore`]: the store in a PostgreSQL database, for teams and the server.
//!
//! One connection (the synchronous `postgres` client; the trait is synchronous and the
//! server calls it from blocking threads). The tables live in the connection's current
//! schema, so a URL with `?options=-csearch_path%3Dname` puts a store in a schema of its
//! own. The promises are SQLite's:
//!
//! - **One writer at a time.** [`Store::begin`] takes a transaction-scoped advisory lock
//!   keyed on the schema, as SQLite's `BEGIN IMMEDIATE` takes its write lock, so two
//!   scans never interleave: the second waits (up to [`LOCK_TIMEOUT_SECS`], then
//!   [`StoreError::is_busy`] says so and the pipeline waits again). Readers never wait:
//!   each statement reads what was committed when it started (READ COMMITTED), which
//!   under the lock is everything.
//! - **Records.** Appended records are sent in batches with binary `COPY`, which is what
//!   makes ingest fast over a network round trip; a unique index on the key's hash
//!   refuses a second copy of a record. `put_record`, which must say whether a record
//!   was new, is an `INSERT … ON CONFLICT DO NOTHING`.
//! - **Schema versions** in `redflag_schema`: each step of `pg_migrations/` runs in one
//!   transaction under the same lock, and a schema written by a newer redflag is refused.
//!   A schema that holds tables but no `redflag_schema` is another program's and is left
//!   alone.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::error::SqlState;
use postgres::types::Type;
use postgres::{Client, Config, GenericClient, NoTls, Statement};
use redflag_model::{Assessment, Kind, SanctionsDecision, SubjectId, Timestamp};

use crate::audit::{self, ChainRow, ChainWalk, Content};
use crate::rows;
use crate::{
    ApiKey, ApiKeyWithHash, AssessmentSummary, AuditEntry, AuditQuery, AuditRecord,
    AuditVerification, NewApiKey, NewRecord, RecordHash, Store, StoreError, StoredRecord,
};

/// How long `begin` (and a migration) waits for another writer before it gives up with
/// "in use": as long as SQLite's busy timeout.
pub(crate) const LOCK_TIMEOUT_SECS: u64 = crate::error::BUSY_TIMEOUT_SECS;

/// How long connecting may take when the URL does not say.
const CONNECT_TIMEOUT_SECS: u64 = 10;

/// Records sent in one COPY: large enough that the round trip does not matter, small
/// enough that a batch of large records stays a few megabytes.
const COPY_BATCH: usize = 4096;

/// Records read per query by `for_each_record`: the walk holds no cursor open between
/// pages, so the callback may use the store.
const READ_PAGE: i64 = 4096;

/// The write lock: an advisory lock whose first key is "RFLG" (SQLite's application id,
/// 0x52464C47) and whose second is a hash of the schema's name, so stores in other
/// schemas of the database do not wait for each other.
const LOCK: &str = "SELECT pg_advisory_xact_lock(1380338759, hashtext(current_schema()))";

/// One step of the PostgreSQL schema's history (see the SQLite store's `migrations.rs`;
/// the two histories are numbered apart).
struct Migration {
    version: u32,
    description: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "records, assessments, the audit chain, sanctions decisions",
        sql: include_str!("pg_migrations/0001_initial.sql"),
    },
    Migration {
        version: 2,
        description: "API keys for redflag serve",
        sql: include_str!("pg_migrations/0002_api_keys.sql"),
    },
];

/// The PostgreSQL schema version this build creates and understands.
pub const PG_SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

const COPY_RECORDS: &str = "COPY records (key_hash, kind, key, subject, at, body, source, ingested_at) \
     FROM STDIN (FORMAT binary)";
const COPY_TYPES: [Type; 8] = [
    Type::BYTEA,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::INT8,
    Type::TEXT,
    Type::TEXT,
    Type::INT8,
];

/// The statements a store runs, prepared once per connection.
struct Statements {
    put_record: Statement,
    page: Statement,
    count: Statement,
    put_assessment: Statement,
    latest: Statement,
    all_latest: Statement,
    history: Statement,
    last_audit: Statement,
    put_audit: Statement,
    audit_log: Statement,
    audit_since: Statement,
    audit_chain: Statement,
    put_decision: Statement,
    decisions: Statement,
    put_api_key: Statement,
    api_keys: Statement,
    api_key: Statement,
    revoke_api_key: Statement,
}

impl Statements {
    fn prepare(client: &mut Client) -> Result<Self, postgres::Error> {
        Ok(Statements {
            put_record: client.prepare(
                "INSERT INTO records (key_hash, kind, key, subject, at, body, source, ingested_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key_hash) DO NOTHING",
            )?,
            page: client.prepare(
                "SELECT seq, kind, key, subject, body FROM records WHERE seq > $1 \
                 ORDER BY seq LIMIT $2",
            )?,
            count: client.prepare("SELECT count(*) FROM records")?,
            put_assessment: client.prepare(
                "INSERT INTO assessments (subject, assessed_at, score, band, policy, stored_at, body) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )?,
            latest: client.prepare(
                "SELECT id, subject, body FROM assessments WHERE subject = $1 \
                 ORDER BY id DESC LIMIT 1",
            )?,
            all_latest: client.prepare(
                "SELECT a.id, a.subject, a.body FROM latest_assessment l \
                 JOIN assessments a ON a.id = l.assessment_id ORDER BY l.score DESC, l.subject",
            )?,
            history: client.prepare(
                "SELECT id, subject, assessed_at, score, band FROM assessments \
                 WHERE subject = $1 ORDER BY id",
            )?,
            last_audit: client.prepare("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?,
            put_audit: client.prepare(
                "INSERT INTO audit (id, at, actor, action, target, detail, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )?,
            audit_log: client.prepare(
                "SELECT id, at, actor, action, target, detail, prev_hash, hash FROM audit \
                 ORDER BY id DESC LIMIT $1",
            )?,
            audit_since: client.prepare(
                "SELECT id, at, actor, action, target, detail, prev_hash, hash FROM audit \
                 WHERE at >= $1 AND id > $2 ORDER BY id LIMIT $3",
            )?,
            audit_chain: client.prepare(
                "SELECT id, at, actor, action, target, detail, prev_hash, hash FROM audit \
                 WHERE id > $1 ORDER BY id LIMIT $2",
            )?,
            put_decision: client.prepare(
                "INSERT INTO sanctions_decisions (at, actor, subject, entity_id, decision, reason, \
                 entity_fingerprint, list_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )?,
            decisions: client.prepare(
                "SELECT DISTINCT ON (subject, entity_id) id, at, actor, subject, entity_id, \
                 decision, reason, entity_fingerprint, list_version FROM sanctions_decisions \
                 ORDER BY subject, entity_id, id DESC",
            )?,
            put_api_key: client.prepare(
                "INSERT INTO api_keys (id, name, role, hash, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )?,
            api_keys: client.prepare(
                "SELECT seq, id, name, role, created_at, revoked_at, hash FROM api_keys \
                 ORDER BY seq",
            )?,
            api_key: client.prepare(
                "SELECT seq, id, name, role, created_at, revoked_at, hash FROM api_keys \
                 WHERE id = $1",
            )?,
            revoke_api_key: client.prepare(
                "UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            )?,
        })
    }
}

/// A record appended in the open unit of work, waiting for the next COPY.
struct Pending {
    hash: RecordHash,
    kind: Kind,
    key: String,
    subject: String,
    at: Option<i64>,
    body: String,
    source: String,
}

/// A [`Store`] in a PostgreSQL database.
///
/// Holds one connection; it is `Send` (so it can be moved to a writer thread) but not
/// `Sync`. The reading methods of the trait take `&self` while the client needs `&mut`,
/// hence the `RefCell`s; no borrow is held while a caller's callback runs.
pub struct PgStore {
    client: RefCell<Client>,
    statements: Statements,
    /// The server, database and schema, for messages (never the password).
    label: PathBuf,
    /// Whether `begin` opened a unit of work not yet committed or rolled back.
    in_unit: bool,
    /// Whether a statement failed inside the unit of work. PostgreSQL then refuses
    /// everything until a rollback, and would turn a `COMMIT` into a silent `ROLLBACK`,
    /// so `commit` must know.
    failed: Cell<bool>,
    /// Records appended but not yet sent.
    pending: RefCell<Vec<Pending>>,
    /// When the open unit of work began: every record it stores was ingested then.
    unit_began: i64,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("location", &self.label)
            .field("in_unit", &self.in_unit)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to the database named by `url` (`postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`,
    /// any libpq-style parameters after `?`) and brings the schema up to date, creating
    /// the tables in the connection's current schema if it has none of redflag's.
    ///
    /// A password missing from the URL is taken from `PGPASSWORD`. Connections are made
    /// without TLS: use a server on this machine, a Unix socket
    /// (`postgres://%2Fvar%2Frun%2Fpostgresql/DATABASE`) or a tunnel.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let shown = crate::database::redact(url);
        let mut config = Config::from_str(url).map_err(|e| StoreError::PgUrl {
            url: shown.clone(),
            reason: e.to_string(),
        })?;
        if config.get_password().is_none()
            && let Ok(password) = std::env::var("PGPASSWORD")
        {
            config.password(password);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(CONNECT_TIMEOUT_SECS));
        }
        if config.get_application_name().is_none() {
            config.application_name("redflag");
        }
        let server = describe_server(&config);
        let database = config
            .get_dbname()
            .or(config.get_user())
            .unwrap_or("postgres")
            .to_owned();
        let mut client = config.connect(NoTls).map_err(|e| StoreError::Connect {
            server: server.clone(),
            database: database.clone(),
            reason: describe_connect(&e, &config),
        })?;

        let provisional = PathBuf::from(format!("postgres://{server}/{database}"));
        let failed = |op: &'static str| {
            let path = provisional.clone();
            move |cause| StoreError::Pg { path, op, cause }
        };
        // Notices ("relation already exists, skipping") are for people at a psql prompt.
        client
            .batch_execute(&format!(
                "SET client_min_messages = warning; SET lock_timeout = '{LOCK_TIMEOUT_SECS}s'"
            ))
            .map_err(failed("set up the session"))?;
        let schema: Option<String> = client
            .query_one("SELECT current_schema()", &[])
            .and_then(|row| row.try_get(0))
            .map_err(failed("find the current schema"))?;
        let Some(schema) = schema else {
            return Err(StoreError::NoSchema { path: provisional });
        };
        let label = if schema == "public" {
            provisional
        } else {
            PathBuf::from(format!("postgres://{server}/{database} (schema {schema})"))
        };
        migrate(&mut client, &label, &schema)?;
        let statements = Statements::prepare(&mut client).map_err(|cause| StoreError::Pg {
            path: label.clone(),
            op: "prepare the store's statements",
            cause,
        })?;
        Ok(PgStore {
            client: RefCell::new(client),
            statements,
            label,
            in_unit: false,
            failed: Cell::new(false),
            pending: RefCell::new(Vec::new()),
            unit_began: 0,
        })
    }

    /// The schema version (`redflag_schema`); after a successful open it is always
    /// [`PG_SCHEMA_VERSION`].
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        let mut client = self.client.borrow_mut();
        read_version(&mut *client)
            .map(|v| v.unwrap_or(0))
            .map_err(|cause| self.pg("read the schema version", cause))
    }

    /// The error for a failed statement; inside a unit of work it also marks the unit as
    /// lost, since PostgreSQL will refuse everything after it.
    fn pg(&self, op: &'static str, cause: postgres::Error) -> StoreError {
        if self.in_unit {
            self.failed.set(true);
        }
        StoreError::Pg {
            path: self.label.clone(),
            op,
            cause,
        }
    }

    fn query(
        &self,
        op: &'static str,
        statement: &Statement,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, StoreError> {
        self.flush()?;
        let rows = self.client.borrow_mut().query(statement, params);
        rows.map_err(|cause| self.pg(op, cause))
    }

    fn execute(
        &self,
        op: &'static str,
        statement: &Statement,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<u64, StoreError> {
        let done = self.client.borrow_mut().execute(statement, params);
        done.map_err(|cause| self.pg(op, cause))
    }

    /// Sends the appended records in one binary COPY. A record stored already (or twice
    /// in the batch) fails it with a unique violation, named by the key's hash, which is
    /// looked up among the batch to say which record it was.
    fn flush(&self) -> Result<(), StoreError> {
        let mut pending = self.pending.borrow_mut();
        if pending.is_empty() {
            return Ok(());
        }
        let sent = {
            let mut client = self.client.borrow_mut();
            copy_records(&mut client, &pending, self.unit_began)
        };
        let batch = std::mem::take(&mut *pending);
        drop(pending);
        match sent {
            Ok(()) => Ok(()),
            Err(cause) if cause.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                self.failed.set(true);
                Err(StoreError::DuplicateRecord {
                    path: self.label.clone(),
                    what: duplicate_in(&cause, &batch),
                })
            }
            Err(cause) => Err(self.pg("store records", cause)),
        }
    }

    fn insert_audit(&mut self, entry: &AuditEntry) -> Result<(), StoreError> {
        let op = "write to the audit log";
        let detail = entry.detail.to_string();
        let last = self.query(op, &self.statements.last_audit, &[])?;
        let last = match last.first() {
            Some(row) => Some((
                row.try_get::<_, i64>(0).map_err(|e| self.pg(op, e))?,
                row.try_get::<_, Vec<u8>>(1).map_err(|e| self.pg(op, e))?,
            )),
            None => None,
        };
        let (id, prev) = audit::next_link(&self.label, last.as_ref().map(|(id, h)| (*id, &h[..])))?;
        let hash = Content::of(id, entry, &detail).hash(&prev);
        self.execute(
            op,
            &self.statements.put_audit,
            &[
                &id,
                &entry.at.as_microsecond(),
                &entry.actor,
                &entry.action,
                &entry.target,
                &detail,
                &&prev.as_bytes()[..],
                &&hash.as_bytes()[..],
            ],
        )?;
        Ok(())
    }

    fn read_api_keys(
        &self,
        statement: &Statement,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<ApiKeyWithHash>, StoreError> {
        let op = "read the API keys";
        let rows = self.query(op, statement, params)?;
        rows.iter()
            .map(|row| {
                let columns = rows::ApiKeyColumns {
                    seq: row.try_get(0).map_err(|e| self.pg(op, e))?,
                    id: row.try_get(1).map_err(|e| self.pg(op, e))?,
                    name: row.try_get(2).map_err(|e| self.pg(op, e))?,
                    role: row.try_get(3).map_err(|e| self.pg(op, e))?,
                    created_at: row.try_get(4).map_err(|e| self.pg(op, e))?,
                    revoked_at: row.try_get(5).map_err(|e| self.pg(op, e))?,
                };
                Ok(ApiKeyWithHash {
                    key: rows::api_key(&self.label, columns)?,
                    hash: row.try_get(6).map_err(|e| self.pg(op, e))?,
                })
            })
            .collect()
    }

    fn chain_rows(
        &self,
        op: &'static str,
        rows: &[postgres::Row],
    ) -> Result<Vec<ChainRow>, StoreError> {
        rows.iter()
            .map(|row| chain_row(row).map_err(|e| self.pg(op, e)))
            .collect()
    }
}

fn copy_records(
    client: &mut Client,
    batch: &[Pending],
    ingested_at: i64,
) -> Result<(), postgres::Error> {
    let writer = client.copy_in(COPY_RECORDS)?;
    let mut writer = BinaryCopyInWriter::new(writer, &COPY_TYPES);
    for r in batch {
        writer.write(&[
            &&r.hash.as_bytes()[..],
            &r.kind.as_str(),
            &r.key,
            &r.subject,
            &r.at,
            &r.body,
            &r.source,
            &ingested_at,
        ])?;
    }
    writer.finish()?;
    Ok(())
}

/// Which record of `batch` a unique violation is about: the server names the key's hash
/// in its detail (`Key (key_hash)=(\x…) already exists`, in any language).
fn duplicate_in(cause: &postgres::Error, batch: &[Pending]) -> String {
    let detail = cause.as_db_error().and_then(|e| e.detail()).unwrap_or("");
    let hash = detail.find("\\x").and_then(|i| {
        let hex = detail.get(i + 2..i + 34)?;
        let mut bytes = [0_u8; 16];
        for (j, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(hex.get(2 * j..2 * j + 2)?, 16).ok()?;
        }
        Some(bytes)
    });
    hash.and_then(|h| batch.iter().find(|r| r.hash.as_bytes() == &h))
        .map_or_else(
            || "a record of this unit of work".to_owned(),
            |r| format!("the {} record {:?}", r.kind.as_str(), r.key),
        )
}

fn chain_row(row: &postgres::Row) -> Result<ChainRow, postgres::Error> {
    Ok(ChainRow {
        id: row.try_get(0)?,
        at_us: row.try_get(1)?,
        actor: row.try_get(2)?,
        action: row.try_get(3)?,
        target: row.try_get(4)?,
        detail: row.try_get(5)?,
        prev_hash: row.try_get(6)?,
        hash: row.try_get(7)?,
    })
}

/// `host:port` (or the socket folder) for messages.
fn describe_server(config: &Config) -> String {
    let ports = config.get_ports();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
            match host {
                postgres::config::Host::Tcp(name) => format!("{name}:{port}"),
                #[cfg(unix)]
                postgres::config::Host::Unix(dir) => format!("{}:{port}", dir.display()),
            }
        })
        .collect();
    if hosts.is_empty() {
        "localhost:5432".to_owned()
    } else {
        hosts.join(",")
    }
}

/// Why a connection failed, with what to do about it.
fn describe_connect(e: &postgres::Error, config: &Config) -> String {
    let user = config.get_user().unwrap_or("(none given)");
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        let hint = if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            format!(
                " — check the user ({user}) and password (in the URL, or PGPASSWORD), and the server's pg_hba.conf"
            )
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            " — create it (`createdb NAME`) or name another database in the URL".to_owned()
        } else if *code == SqlState::TOO_MANY_CONNECTIONS {
            " — try again when fewer clients are connected".to_owned()
        } else {
            String::new()
        };
        return format!("{}{hint}", db.message());
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            let what = match io.kind() {
                std::io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
                std::io::ErrorKind::TimedOut => "no answer in time".to_owned(),
                _ => crate::error::describe_io(io),
            };
            return format!(
                "{what} — is the server running there? (`--db postgres://USER@HOST:PORT/DATABASE` names another)"
            );
        }
        source = inner.source();
    }
    let text = e.to_string();
    if text.contains("TLS") || text.contains("tls") {
        format!(
            "{text} — redflag connects without TLS: use a server on this machine or a tunnel, \
             and sslmode=disable or prefer in the URL"
        )
    } else if text.contains("timed out") || text.contains("timeout") {
        format!("{text} — is the host right and the server running?")
    } else {
        text
    }
}

/// The schema version, or `None` when the current schema has no `redflag_schema` table.
fn read_version(client: &mut impl GenericClient) -> Result<Option<u32>, postgres::Error> {
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables \
             WHERE schemaname = current_schema() AND tablename = 'redflag_schema')",
            &[],
        )?
        .try_get(0)?;
    if !exists {
        return Ok(None);
    }
    let version: Option<i32> = client
        .query_one("SELECT max(version) FROM redflag_schema", &[])?
        .try_get(0)?;
    Ok(Some(version.map_or(0, |v| v.max(0) as u32)))
}

/// Brings the schema up to [`PG_SCHEMA_VERSION`], one step per transaction, each under
/// the write lock and re-reading the version first, so two processes opening a new
/// schema at once do not both create it.
fn migrate(client: &mut Client, label: &Path, schema: &str) -> Result<(), StoreError> {
    let db = |op: &'static str| {
        move |cause| StoreError::Pg {
            path: label.to_owned(),
            op,
            cause,
        }
    };
    // Read without locking first: an up-to-date schema (the usual case) must open while
    // another process holds the write lock for a long scan.
    let current = read_version(client).map_err(db("read the schema version"))?;
    if current.is_none() {
        // The marker and the other tables in one statement, so one snapshot: another
        // process creating this schema meanwhile is seen whole or not at all.
        let row = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables \
                   WHERE schemaname = current_schema() AND tablename = 'redflag_schema'), \
                 (SELECT string_agg(relname, ', ') FROM (SELECT c.relname \
                   FROM pg_catalog.pg_class c \
                   JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                   WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
                   ORDER BY c.relname LIMIT 4) t)",
                &[],
            )
            .map_err(db("list the schema's tables"))?;
        let ours: bool = row.try_get(0).map_err(db("list the schema's tables"))?;
        let others: Option<String> = row.try_get(1).map_err(db("list the schema's tables"))?;
        if let (false, Some(tables)) = (ours, others) {
            return Err(StoreError::ForeignSchema {
                path: label.to_owned(),
                schema: schema.to_owned(),
                tables,
            });
        }
    }
    let current = current.unwrap_or(0);
    if current > PG_SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: label.to_owned(),
            found: current,
            known: PG_SCHEMA_VERSION,
        });
    }
    for step in MIGRATIONS.iter().filter(|m| m.version > current) {
        let failed = |cause| StoreError::PgMigration {
            path: label.to_owned(),
            version: step.version,
            description: step.description,
            cause,
        };
        let mut tx = client.transaction().map_err(failed)?;
        tx.batch_execute(LOCK).map_err(failed)?;
        let now = read_version(&mut tx).map_err(failed)?.unwrap_or(0);
        if now > PG_SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: label.to_owned(),
                found: now,
                known: PG_SCHEMA_VERSION,
            });
        }
        if now >= step.version {
            continue; // the transaction rolls back on drop; it changed nothing
        }
        tx.batch_execute(step.sql).map_err(failed)?;
        tx.execute(
            "INSERT INTO redflag_schema (version, description, applied_at) VALUES ($1, $2, $3)",
            &[
                &(step.version as i32),
                &step.description,
                &Timestamp::now().as_microsecond(),
            ],
        )
        .map_err(failed)?;
        tx.commit().map_err(failed)?;
    }
    Ok(())
}

impl Store for PgStore {
    fn begin(&mut self) -> Result<(), StoreError> {
        if self.in_unit {
            return Err(StoreError::AlreadyInTransaction {
                path: self.label.clone(),
            });
        }
        // The lock is held until the transaction ends, so the unit of work never fails
        // half-way because another writer started first.
        let began = self
            .client
            .get_mut()
            .batch_execute(&format!("BEGIN; {LOCK}"));
        if let Err(cause) = began {
            let _ = self.client.get_mut().batch_execute("ROLLBACK");
            return Err(StoreError::Pg {
                path: self.label.clone(),
                op: "begin a unit of work",
                cause,
            });
        }
        self.in_unit = true;
        self.failed.set(false);
        self.unit_began = Timestamp::now().as_microsecond();
        Ok(())
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        if !self.in_unit {
            return Err(StoreError::NotInTransaction {
                path: self.label.clone(),
            });
        }
        let flushed = self.flush();
        self.in_unit = false;
        if let Err(e) = flushed {
            let _ = self.client.get_mut().batch_execute("ROLLBACK");
            return Err(e);
        }
        if self.failed.replace(false) {
            let _ = self.client.get_mut().batch_execute("ROLLBACK");
            return Err(StoreError::TransactionLost {
                path: self.label.clone(),
            });
        }
        // A failed COMMIT ends the transaction too: nothing of it was saved.
        self.client
            .get_mut()
            .batch_execute("COMMIT")
            .map_err(|cause| StoreError::Pg {
                path: self.label.clone(),
                op: "save the unit of work (nothing of it was saved)",
                cause,
            })
    }

    fn prepare_commit(&mut self) -> Result<(), StoreError> {
        if !self.in_unit {
            return Err(StoreError::NotInTransaction {
                path: self.label.clone(),
            });
        }
        self.flush()
    }

    /// Discards the open unit of work; does nothing when none is open.
    fn rollback(&mut self) -> Result<(), StoreError> {
        self.pending.get_mut().clear();
        self.failed.set(false);
        if !std::mem::replace(&mut self.in_unit, false) {
            return Ok(());
        }
        self.client
            .get_mut()
            .batch_execute("ROLLBACK")
            .map_err(|cause| StoreError::Pg {
                path: self.label.clone(),
                op: "discard the unit of work",
                cause,
            })
    }

    fn put_record(&mut self, record: &NewRecord<'_>) -> Result<bool, StoreError> {
        if !self.in_unit {
            return rows::in_own_unit(self, |store| store.put_record(record));
        }
        // Records appended before it must be in the table for the conflict to see them.
        self.flush()?;
        let hash = RecordHash::of(record.kind, record.key);
        let inserted = self.execute(
            "store a record",
            &self.statements.put_record,
            &[
                &&hash.as_bytes()[..],
                &record.kind.as_str(),
                &record.key,
                &record.subject.as_str(),
                &record.at.map(|t| t.as_microsecond()),
                &record.body,
                &record.source,
                &self.unit_began,
            ],
        )?;
        Ok(inserted == 1)
    }

    fn append_record(&mut self, record: &NewRecord<'_>) -> Result<(), StoreError> {
        if !self.in_unit {
            return rows::in_own_unit(self, |store| store.append_record(record));
        }
        let full = {
            let pending = self.pending.get_mut();
            pending.push(Pending {
                hash: RecordHash::of(record.kind, record.key),
                kind: record.kind,
                key: record.key.to_owned(),
                subject: record.subject.as_str().to_owned(),
                at: record.at.map(|t| t.as_microsecond()),
                body: record.body.to_owned(),
                source: record.source.to_owned(),
            });
            pending.len() >= COPY_BATCH
        };
        if full { self.flush() } else { Ok(()) }
    }

    fn for_each_record(
        &self,
        f: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let op = "read the stored records";
        let mut after = 0_i64;
        loop {
            let rows = self.query(op, &self.statements.page, &[&after, &READ_PAGE])?;
            let Some(last) = rows.last() else {
                return Ok(());
            };
            after = last.try_get(0).map_err(|e| self.pg(op, e))?;
            let full = rows.len() as i64 == READ_PAGE;
            for row in rows {
                let seq: i64 = row.try_get(0).map_err(|e| self.pg(op, e))?;
                let kind: &str = row.try_get(1).map_err(|e| self.pg(op, e))?;
                let kind = Kind::from_name(kind).ok_or_else(|| {
                    rows::bad_row(
                        &self.label,
                        "records",
                        seq,
                        format!("unknown kind {kind:?}"),
                    )
                })?;
                let subject: &str = row.try_get(3).map_err(|e| self.pg(op, e))?;
                let subject = subject.parse::<SubjectId>().map_err(|e| {
                    rows::bad_row(&self.label, "records", seq, format!("subject: {e}"))
                })?;
                f(StoredRecord {
                    seq,
                    kind,
                    key: row.try_get(2).map_err(|e| self.pg(op, e))?,
                    subject,
                    body: row.try_get(4).map_err(|e| self.pg(op, e))?,
                })?;
            }
            if !full {
                return Ok(());
            }
        }
    }

    fn record_count(&self) -> Result<u64, StoreError> {
        let op = "count the stored records";
        let rows = self.query(op, &self.statements.count, &[])?;
        let n: i64 = match rows.first() {
            Some(row) => row.try_get(0).map_err(|e| self.pg(op, e))?,
            None => 0,
        };
        Ok(n.max(0) as u64)
    }

    fn put_assessment(&mut self, assessment: &Assessment, policy: &str) -> Result<(), StoreError> {
        if !self.in_unit {
            // Every write under the write lock, as in SQLite.
            return rows::in_own_unit(self, |store| store.put_assessment(assessment, policy));
        }
        crate::check_finite(assessment)?;
        let body = serde_json::to_string(assessment).map_err(|e| StoreError::Encode {
            subject: assessment.subject.to_string(),
            reason: e.to_string(),
        })?;
        self.flush()?;
        self.execute(
            "store an assessment",
            &self.statements.put_assessment,
            &[
                &assessment.subject.as_str(),
                &assessment.assessed_at.as_microsecond(),
                &i16::from(assessment.score),
                &assessment.band.as_str(),
                &policy,
                &Timestamp::now().as_microsecond(),
                &body,
            ],
        )?;
        Ok(())
    }

    fn latest_assessment(&self, subject: &SubjectId) -> Result<Option<Assessment>, StoreError> {
        let op = "read the latest assessment";
        let rows = self.query(op, &self.statements.latest, &[&subject.as_str()])?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let id: i64 = row.try_get(0).map_err(|e| self.pg(op, e))?;
        let subject: String = row.try_get(1).map_err(|e| self.pg(op, e))?;
        let body: &str = row.try_get(2).map_err(|e| self.pg(op, e))?;
        rows::assessment(&self.label, id, subject, body).map(Some)
    }

    fn latest_assessments(&self) -> Result<Vec<Assessment>, StoreError> {
        let op = "read the latest assessments";
        let rows = self.query(op, &self.statements.all_latest, &[])?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get(0).map_err(|e| self.pg(op, e))?;
                let subject: String = row.try_get(1).map_err(|e| self.pg(op, e))?;
                let body: &str = row.try_get(2).map_err(|e| self.pg(op, e))?;
                rows::assessment(&self.label, id, subject, body)
            })
            .collect()
    }

    fn assessment_history(
        &self,
        subject: &SubjectId,
    ) -> Result<Vec<AssessmentSummary>, StoreError> {
        let op = "read the assessment history";
        let rows = self.query(op, &self.statements.history, &[&subject.as_str()])?;
        rows.iter()
            .map(|row| {
                let score: i16 = row.try_get(3).map_err(|e| self.pg(op, e))?;
                rows::summary(
                    &self.label,
                    subject,
                    rows::SummaryColumns {
                        row: row.try_get(0).map_err(|e| self.pg(op, e))?,
                        stored_subject: row.try_get(1).map_err(|e| self.pg(op, e))?,
                        assessed_at: row.try_get(2).map_err(|e| self.pg(op, e))?,
                        score: i64::from(score),
                        band: row.try_get(4).map_err(|e| self.pg(op, e))?,
                    },
                )
            })
            .collect()
    }

    fn location(&self) -> &Path {
        &self.label
    }

    fn audit(&mut self, entry: &AuditEntry) -> Result<(), StoreError> {
        if !self.in_unit {
            // The entry links to the newest one: read and write under the write lock.
            return rows::in_own_unit(self, |store| store.insert_audit(entry));
        }
        self.insert_audit(entry)
    }

    fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let op = "read the audit log";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.query(op, &self.statements.audit_log, &[&limit])?;
        self.chain_rows(op, &rows)?
            .into_iter()
            .map(|row| {
                let id = row.id;
                row.into_record()
                    .map(|r| r.entry)
                    .map_err(|reason| rows::bad_row(&self.label, "audit", id, reason))
            })
            .collect()
    }

    fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        let op = "read the audit log";
        let since = query.since.map_or(i64::MIN, |t| t.as_microsecond());
        let after = query.after.unwrap_or(0);
        let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
        let rows = self.query(op, &self.statements.audit_since, &[&since, &after, &limit])?;
        self.chain_rows(op, &rows)?
            .into_iter()
            .map(|row| {
                let id = row.id;
                row.into_record()
                    .map_err(|reason| rows::bad_row(&self.label, "audit", id, reason))
            })
            .collect()
    }

    fn verify_audit(&self) -> Result<AuditVerification, StoreError> {
        let op = "read the audit log";
        let mut walk = ChainWalk::new();
        let mut after = i64::MIN;
        loop {
            let rows = self.query(op, &self.statements.audit_chain, &[&after, &READ_PAGE])?;
            let full = rows.len() as i64 == READ_PAGE;
            for row in self.chain_rows(op, &rows)? {
                after = row.id;
                if !walk.check(&row.content(), &row.prev_hash, &row.hash) {
                    return Ok(walk.finish());
                }
            }
            if !full {
                return Ok(walk.finish());
            }
        }
    }

    fn put_sanctions_decision(&mut self, d: &SanctionsDecision) -> Result<(), StoreError> {
        if !self.in_unit {
            return rows::in_own_unit(self, |store| store.put_sanctions_decision(d));
        }
        self.flush()?;
        self.execute(
            "record a sanctions decision",
            &self.statements.put_decision,
            &[
                &d.at.as_microsecond(),
                &d.actor,
                &d.subject.as_str(),
                &d.entity_id,
                &d.decision.as_str(),
                &d.reason,
                &d.entity_fingerprint,
                &d.list_version,
            ],
        )?;
        Ok(())
    }

    fn sanctions_decisions(&self) -> Result<Vec<SanctionsDecision>, StoreError> {
        let op = "read the sanctions decisions";
        let rows = self.query(op, &self.statements.decisions, &[])?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get(0).map_err(|e| self.pg(op, e))?;
                let at = rows::timestamp(
                    &self.label,
                    "sanctions_decisions",
                    id,
                    row.try_get(1).map_err(|e| self.pg(op, e))?,
                )?;
                let (subject, decision) = rows::decision(
                    &self.label,
                    id,
                    row.try_get(3).map_err(|e| self.pg(op, e))?,
                    row.try_get(5).map_err(|e| self.pg(op, e))?,
                )?;
                Ok(SanctionsDecision {
                    subject,
                    entity_id: row.try_get(4).map_err(|e| self.pg(op, e))?,
                    decision,
                    reason: row.try_get(6).map_err(|e| self.pg(op, e))?,
                    actor: row.try_get(2).map_err(|e| self.pg(op, e))?,
                    at,
                    entity_fingerprint: row.try_get(7).map_err(|e| self.pg(op, e))?,
                    list_version: row.try_get(8).map_err(|e| self.pg(op, e))?,
                })
            })
            .collect()
    }

    fn put_api_key(&mut self, key: &NewApiKey<'_>) -> Result<(), StoreError> {
        if !self.in_unit {
            return rows::in_own_unit(self, |store| store.put_api_key(key));
        }
        self.flush()?;
        let done = self.client.borrow_mut().execute(
            &self.statements.put_api_key,
            &[
                &key.id,
                &key.name,
                &key.role.as_str(),
                &key.hash,
                &key.created_at.as_microsecond(),
            ],
        );
        match done {
            Ok(_) => Ok(()),
            Err(cause) if cause.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                self.failed.set(true);
                Err(StoreError::DuplicateApiKey {
                    path: self.label.clone(),
                    id: key.id.to_owned(),
                })
            }
            Err(cause) => Err(self.pg("store an API key", cause)),
        }
    }

    fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        let keys = self.read_api_keys(&self.statements.api_keys, &[])?;
        Ok(keys.into_iter().map(|k| k.key).collect())
    }

    fn api_key(&self, id: &str) -> Result<Option<ApiKeyWithHash>, StoreError> {
        Ok(self.read_api_keys(&self.statements.api_key, &[&id])?.pop())
    }

    fn revoke_api_key(&mut self, id: &str, at: Timestamp) -> Result<bool, StoreError> {
        if !self.in_unit {
            return rows::in_own_unit(self, |store| store.revoke_api_key(id, at));
        }
        self.flush()?;
        let changed = self.execute(
            "revoke an API key",
            &self.statements.revoke_api_key,
            &[&id, &at.as_microsecond()],
        )?;
        Ok(changed == 1)
    }
}

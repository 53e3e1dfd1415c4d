//! The one pipeline every entry point calls: `redflag scan`, `demo` and `bench` today,
//! the HTTP server and the queue workers next. An entry point parses its arguments or
//! requests, hands records to a [`Pipeline`], and gives the [`ScanOutcome`] to a sink;
//! nothing else of the pipeline lives outside this crate.
//!
//! A scan, whatever its source:
//!
//! 1. takes the store's write lock ([`Store::begin`]), waiting while another scan holds
//!    it, so nothing another writer commits can be missed;
//! 2. replays what the store already holds into the [`Engine`] (skipped when the engine
//!    already holds exactly the store's records), so every assessment reflects every
//!    stored record;
//! 3. folds each new record in (new: not among the records replayed or read before)
//!    while another thread stores it;
//! 4. assesses every subject as of the newest record (or the time asked for: records
//!    after it are stored but do not count);
//! 5. appends the assessments and an audit entry, and commits. Any error before the
//!    commit rolls everything back: the store is as it was.
//!
//! Progress and notes go to an [`Observer`], so a terminal can draw a bar and a server
//! can log, while the pipeline itself prints nothing.

pub mod reference;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use redflag_detect::{DataSet, Policy, PolicyError};
use redflag_engine::Engine;
use redflag_ingest::{Format, OpenOptions, ReadError, SourcedRecord, open_with, total_bytes};
use redflag_model::{Assessment, Kind, SubjectId, Timestamp, parse_record};
use redflag_store::{AuditEntry, NewRecord, RecordHash, Store, StoreError};
use rustc_hash::{FxHashMap, FxHashSet};

pub use reference::{COUNTRY_POINTS_FILE, DataDir, LoadingReference, ReferenceData};

/// Why a scan stopped. Whatever the reason, nothing of the scan was stored.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// Reference data is present but unreadable.
    #[error("the {what} in {} cannot be read: {reason}; {fix}", path.display())]
    Reference {
        /// Which data set.
        what: &'static str,
        /// Where it is.
        path: PathBuf,
        /// What went wrong.
        reason: String,
        /// What to do about it.
        fix: &'static str,
    },
    /// The policy file cannot be read.
    #[error("cannot read the policy file {}: {reason}", path.display())]
    PolicyFile {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        reason: String,
    },
    /// The policy file is not a valid policy.
    #[error("in the policy file {}: {source}", path.display())]
    Policy {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: PolicyError,
    },
    /// A time the caller gave cannot be read.
    #[error(
        "{text:?} is neither an RFC 3339 time (e.g. 2026-04-01T09:30:00Z) nor a date (e.g. 2026-04-01)"
    )]
    BadTime {
        /// What was given.
        text: String,
    },
    /// A file could not be read, or a record in it is invalid.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Every record read was invalid, so there is nothing to assess.
    #[error("all {invalid} records read were invalid (each is reported above); nothing was stored")]
    AllInvalid {
        /// How many were skipped.
        invalid: u64,
    },
    /// Another scan held the store for longer than the caller would wait.
    #[error(
        "another scan kept the database busy for more than {} s; try again when it has finished",
        waited.as_secs()
    )]
    LockTimeout {
        /// How long the scan waited.
        waited: Duration,
    },
    /// The thread reading files died.
    #[error("the file reader stopped unexpectedly")]
    ReaderPanicked,
    /// The thread loading reference data died.
    #[error("loading the reference data stopped unexpectedly")]
    ReferencePanicked,
    /// The thread storing records died.
    #[error("the thread storing records stopped unexpectedly; nothing was saved")]
    WriterPanicked,
}

impl PipelineError {
    /// Whether the error is about one record (a line, an event), as opposed to a file, the
    /// store or the reference data: the caller may offer to skip such records.
    pub fn is_record_error(&self) -> bool {
        matches!(self, PipelineError::Read(e) if e.is_line_error() && !e.is_unknown_kind())
    }
}

/// The policy in `path`, or the default policy.
pub fn load_policy(path: Option<&Path>) -> Result<Policy, PipelineError> {
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    let text = std::fs::read_to_string(path).map_err(|e| PipelineError::PolicyFile {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    Policy::from_toml(&text).map_err(|source| PipelineError::Policy {
        path: path.to_owned(),
        source,
    })
}

/// An RFC 3339 time, or a date (midnight UTC).
pub fn parse_time(text: &str) -> Result<Timestamp, PipelineError> {
    let bad = || PipelineError::BadTime {
        text: text.chars().take(200).collect(),
    };
    if let Ok(t) = text.trim().parse::<Timestamp>() {
        return Ok(t);
    }
    let date: jiff::civil::Date = text.trim().parse().map_err(|_| bad())?;
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .map_err(|_| bad())
}

/// Where a scan's new records come from.
// One is made per scan, so the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Source {
    /// Nothing new: assess what the store holds again (after a list update, that is
    /// re-screening).
    Nothing,
    /// Files, read on a thread of their own so parsing overlaps with storing.
    Files {
        /// The files, in order (see [`redflag_ingest::input_files_with`]).
        files: Vec<PathBuf>,
        /// How to read them.
        options: OpenOptions,
    },
    /// Records already read, e.g. from a request body.
    Records(Box<dyn Iterator<Item = Result<SourcedRecord, ReadError>> + Send>),
}

/// How a scan treats bad input, and for whom it speaks.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Report each invalid record to the observer and go on, instead of stopping.
    pub skip_invalid: bool,
    /// Ignore records of kinds this version does not know, instead of stopping.
    pub skip_unknown: bool,
    /// Assess as of this moment instead of the newest record; records after it are
    /// stored but do not count.
    pub as_of: Option<Timestamp>,
    /// Who runs the scan, for the audit log (`redflag-cli:alice`).
    pub actor: String,
    /// What the scan read, for the audit log (the paths, a request id).
    pub target: String,
    /// How long to wait for another scan holding the store's write lock.
    pub lock_wait: Duration,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            skip_invalid: false,
            skip_unknown: false,
            as_of: None,
            actor: "redflag".into(),
            target: String::new(),
            lock_wait: Duration::from_secs(600),
        }
    }
}

/// What a scan did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ScanReport {
    /// Files read.
    pub files: usize,
    /// Records read from the source.
    pub records_read: u64,
    /// Of those, records the store did not hold yet.
    pub records_new: u64,
    /// Records replayed from the store before reading.
    pub records_replayed: u64,
    /// Records in the store whose time is after the as-of, left out.
    pub records_after_as_of: u64,
    /// Invalid records skipped (`skip_invalid`).
    pub invalid: u64,
    /// Records of unknown kinds skipped (`skip_unknown`).
    pub unknown: u64,
    /// What the readers said about files in vendor formats.
    pub notes: Vec<String>,
}

/// A finished scan: everything the sinks need, without reaching back into the engine.
#[derive(Debug)]
pub struct ScanOutcome {
    /// What was read and stored.
    pub report: ScanReport,
    /// Every subject's assessment, highest score first (ties by subject id).
    pub assessments: Vec<Assessment>,
    /// The moment assessed.
    pub as_of: Timestamp,
    /// When the assessments were made.
    pub assessed_at: Timestamp,
    /// The policy and list versions used, as stored with each assessment.
    pub policy_label: String,
}

/// What a scan tells its caller while it runs.
#[derive(Debug)]
pub enum Event<'a> {
    /// Another writer holds the store; the scan waits (`waited` so far).
    Waiting {
        /// How long the scan has waited so far.
        waited: Duration,
    },
    /// Replaying stored records: `done` of `total`.
    Replaying {
        /// Records replayed so far.
        done: u64,
        /// Records in the store.
        total: u64,
    },
    /// Reading files: `done` of `total` bytes.
    Reading {
        /// Bytes read so far.
        done: u64,
        /// Bytes in all the files.
        total: u64,
    },
    /// A bad record was skipped (`skip_invalid`).
    Skipped(&'a ReadError),
    /// Reading is over; the scan assesses `subjects` people.
    Assessing {
        /// How many.
        subjects: usize,
    },
}

/// Receives [`Event`]s. `()` ignores them.
pub trait Observer {
    /// Called from the thread that runs the scan.
    fn event(&mut self, event: Event<'_>);
}

impl Observer for () {
    fn event(&mut self, _: Event<'_>) {}
}

/// A digest of what an assessment says, its times left out: two assessments with the
/// same digest differ only in when they were made and the records' newest time.
/// `None` when it cannot be serialised (then it is always stored).
fn content_digest(a: &Assessment, policy_label: &str) -> Option<[u8; 16]> {
    let content = (
        &a.name,
        a.score,
        a.band,
        &a.signals,
        &a.sanctions,
        &a.linked_subjects,
        &a.actions,
        &a.identities,
        policy_label,
    );
    let json = serde_json::to_vec(&content).ok()?;
    let mut digest = [0u8; 16];
    digest.copy_from_slice(&blake3::hash(&json).as_bytes()[..16]);
    Some(digest)
}

/// Records cross between threads (reading, folding, storing) in batches of this many.
const BATCH: usize = 1024;

/// Batches of new records waiting for the thread that stores them. Enough to ride out an
/// SQLite page spill; more would only hold records in memory.
const WRITE_QUEUE: usize = 16;

/// Replay progress is reported every this many records.
const REPLAY_TICK: u64 = 16_384;

/// The pipeline: a policy, reference data and the engine that holds what the store
/// holds. Keep one for as long as the store is open: a scan replays the store only when
/// the engine does not already hold exactly its records.
pub struct Pipeline {
    engine: Engine,
    lists_used: Vec<String>,
    /// How many stored records the engine holds, and under which cut-off; `None` when it
    /// must be rebuilt from the store.
    holds: Option<(u64, Option<Timestamp>)>,
    /// The identity of every record the engine holds, which are the store's records
    /// whenever `holds` is `Some`: it tells a new record from one already stored without
    /// waiting for the store, so records are folded in while another thread stores them.
    /// 16 bytes a record (plus the set's slack).
    known: FxHashSet<RecordHash>,
    /// What this pipeline last stored for each subject (a digest of the assessment but
    /// its times), so that a scan stores only assessments that say something new: a
    /// server taking many small batches would otherwise add a history point for
    /// everyone at every batch. Empty in a new process, which stores everyone once.
    stored: FxHashMap<SubjectId, [u8; 16]>,
    /// Digests of the assessments the scan in progress stored, kept once it commits.
    storing: Vec<(SubjectId, [u8; 16])>,
    /// Reference data still loading (see [`Pipeline::loading`]).
    loading: Option<LoadingReference>,
}

impl Pipeline {
    /// A pipeline with every detector whose reference data is present.
    pub fn new(policy: Policy, reference: ReferenceData) -> Self {
        let mut pipeline = Pipeline {
            engine: Engine::new(policy, []),
            lists_used: Vec::new(),
            holds: None,
            known: FxHashSet::default(),
            stored: FxHashMap::default(),
            storing: Vec::new(),
            loading: None,
        };
        pipeline.install(reference);
        pipeline
    }

    /// A pipeline whose reference data is still loading: a scan reads, stores and folds
    /// its records meanwhile and waits for the data only to assess. Which checks will be
    /// skipped ([`Pipeline::missing_data`]) is known at once.
    pub fn loading(policy: Policy, reference: LoadingReference) -> Self {
        Pipeline {
            engine: Engine::new(policy, reference.available().iter().copied()),
            lists_used: Vec::new(),
            holds: None,
            known: FxHashSet::default(),
            stored: FxHashMap::default(),
            storing: Vec::new(),
            loading: Some(reference),
        }
    }

    fn install(&mut self, reference: ReferenceData) {
        self.lists_used = reference.lists_used();
        self.engine.install_reference(
            reference.intel.map(|intel| (intel, reference.points)),
            reference.screener,
        );
    }

    /// Waits for reference data still loading, and hands it to the engine. A failure
    /// leaves the pipeline without the data, the checks that need it skipped.
    fn reference_ready(&mut self) -> Result<(), PipelineError> {
        let Some(loading) = self.loading.take() else {
            return Ok(());
        };
        match loading.wait() {
            Ok(reference) => {
                self.install(reference);
                Ok(())
            }
            Err(e) => {
                self.install(ReferenceData::none());
                Err(e)
            }
        }
    }

    /// The data sets whose absence skips detectors, each with the codes it skips.
    pub fn missing_data(&self) -> BTreeMap<DataSet, Vec<&'static str>> {
        let mut missing: BTreeMap<DataSet, Vec<&'static str>> = BTreeMap::new();
        for s in self.engine.skipped() {
            missing.entry(s.missing).or_default().push(s.code);
        }
        missing
    }

    /// Reads `source` into `store` and assesses everyone the store holds. See the crate
    /// documentation for the steps; on error the store is as it was.
    pub fn scan(
        &mut self,
        store: &mut dyn Store,
        source: Source,
        options: &ScanOptions,
        observer: &mut dyn Observer,
    ) -> Result<ScanOutcome, PipelineError> {
        begin_waiting(store, options.lock_wait, observer)?;
        match self.scan_in_unit(store, source, options, observer) {
            Ok(outcome) => match store.commit() {
                Ok(()) => {
                    tracing::debug!("committed");
                    self.stored.extend(self.storing.drain(..));
                    Ok(outcome)
                }
                Err(e) => {
                    self.holds = None;
                    self.storing.clear();
                    Err(e.into())
                }
            },
            Err(e) => {
                // The engine may hold records the store no longer does.
                self.holds = None;
                self.storing.clear();
                let _ = store.rollback();
                Err(e)
            }
        }
    }

    fn scan_in_unit(
        &mut self,
        store: &mut dyn Store,
        source: Source,
        options: &ScanOptions,
        observer: &mut dyn Observer,
    ) -> Result<ScanOutcome, PipelineError> {
        let assessed_at = Timestamp::now();
        let mut report = ScanReport::default();
        let stored = store.record_count()?;
        if self.holds != Some((stored, options.as_of)) {
            // Someone else wrote to the store: what this pipeline stored last may no
            // longer be the latest, so store everyone afresh.
            self.stored.clear();
            self.replay(store, stored, options.as_of, &mut report, observer)?;
            tracing::debug!(records = report.records_replayed, "replayed the store");
        }
        // Read under the write lock, like the records: a decision recorded meanwhile
        // counts in this scan or the next, never half.
        self.engine
            .set_sanctions_decisions(store.sanctions_decisions()?);
        // Storing is the slowest step, so new records are stored on a thread of their own
        // while this one folds them in and then assesses; `known` says which records are
        // new without waiting for the store.
        let assessed = std::thread::scope(|scope| {
            let (tx, rx) = crossbeam_channel::bounded::<Vec<ToStore>>(WRITE_QUEUE);
            let writer_store = &mut *store;
            let writer = scope.spawn(move || store_all(writer_store, rx));
            let mut forward = Forward::new(tx);
            let fed = self
                .feed(source, options, &mut report, observer, &mut forward)
                .and_then(|()| forward.flush());
            // Closing the queue lets the writer finish what it holds and stop.
            drop(forward);
            // Records folded under an id that a profile read later claims must be folded
            // again, from the store, once the writer is done; until then nothing is
            // assessed.
            let assessed = fed.and_then(|()| {
                if self.engine.needs_refold() {
                    Ok(None)
                } else {
                    self.assess(options, assessed_at, &report, observer)
                        .map(Some)
                }
            });
            let written = writer.join().unwrap_or(Err(PipelineError::WriterPanicked));
            // A writer that failed is why feeding it failed: its error says why.
            written.and(assessed)
        })?;
        let (as_of, assessments) = match assessed {
            Some(assessed) => assessed,
            None => {
                tracing::debug!("identities changed under folded records; folding again");
                self.engine.refold();
                self.fold_stored(store, stored + report.records_new, observer)?;
                self.assess(options, assessed_at, &report, observer)?
            }
        };
        self.holds = Some((stored + report.records_new, options.as_of));
        report.records_after_as_of = self.engine.records_after_cutoff();
        tracing::debug!(
            subjects = assessments.len(),
            "assessed and stored the records; storing the assessments"
        );
        let policy_label = if self.lists_used.is_empty() {
            format!("policy {}", self.engine.policy().fingerprint())
        } else {
            format!(
                "policy {}; lists {}",
                self.engine.policy().fingerprint(),
                self.lists_used.join(", ")
            )
        };
        for a in &assessments {
            let digest = content_digest(a, &policy_label);
            if digest.is_some() && self.stored.get(&a.subject) == digest.as_ref() {
                continue;
            }
            store.put_assessment(a, &policy_label)?;
            if let Some(digest) = digest {
                self.storing.push((a.subject.clone(), digest));
            }
        }
        store.audit(&AuditEntry {
            at: assessed_at,
            actor: options.actor.clone(),
            action: "scan".into(),
            target: Some(options.target.clone()).filter(|t| !t.is_empty()),
            detail: serde_json::json!({
                "files": report.files,
                "records_read": report.records_read,
                "records_new": report.records_new,
                "records_after_as_of": report.records_after_as_of,
                "invalid_skipped": report.invalid,
                "unknown_skipped": report.unknown,
                "subjects_assessed": assessments.len(),
                "policy": policy_label,
                "lists": self.lists_used,
                // What the assessments could not check, so that an explanation can say so.
                "skipped": self.engine.skipped().iter().map(|s| s.code).collect::<Vec<_>>(),
                "as_of": as_of.to_string(),
            }),
        })?;
        Ok(ScanOutcome {
            report,
            assessments,
            as_of,
            assessed_at,
            policy_label,
        })
    }

    /// Folds every record of `source` in and forwards the new ones to be stored.
    fn feed(
        &mut self,
        source: Source,
        options: &ScanOptions,
        report: &mut ScanReport,
        observer: &mut dyn Observer,
        forward: &mut Forward,
    ) -> Result<(), PipelineError> {
        match source {
            Source::Nothing => {}
            Source::Records(records) => {
                for item in records {
                    self.take(item.map(Read::new), options, report, observer, forward)?;
                }
            }
            Source::Files {
                files,
                options: open,
            } => {
                report.files = files.len();
                self.read_files(files, open, options, report, observer, forward)?;
            }
        }
        if report.invalid > 0 && report.records_read == 0 {
            return Err(PipelineError::AllInvalid {
                invalid: report.invalid,
            });
        }
        Ok(())
    }

    /// Assesses everyone as of the time asked for, or else the newest record.
    fn assess(
        &mut self,
        options: &ScanOptions,
        assessed_at: Timestamp,
        report: &ScanReport,
        observer: &mut dyn Observer,
    ) -> Result<(Timestamp, Vec<Assessment>), PipelineError> {
        self.reference_ready()?;
        // The newest record speaks for "now" in the data; a record dated in the future (a
        // clock set wrong) must not move every deadline past it.
        let as_of = options.as_of.unwrap_or_else(|| {
            self.engine
                .newest_record_at()
                .map_or(assessed_at, |n| n.min(assessed_at))
        });
        observer.event(Event::Assessing {
            subjects: self.engine.subject_count(),
        });
        tracing::debug!(
            read = report.records_read,
            new = report.records_new,
            subjects = self.engine.subject_count(),
            %as_of,
            "assessing"
        );
        Ok((as_of, self.engine.assess_all(as_of, assessed_at)))
    }

    fn replay(
        &mut self,
        store: &mut dyn Store,
        total: u64,
        cutoff: Option<Timestamp>,
        report: &mut ScanReport,
        observer: &mut dyn Observer,
    ) -> Result<(), PipelineError> {
        self.engine.restart(cutoff);
        self.known.clear();
        report.records_replayed = self.fold_stored(store, total, observer)?;
        if self.engine.needs_refold() {
            // Profiles stored after the logins or payments they claim: now that every
            // claim is known, each record goes to its subject from the start.
            tracing::debug!("identities changed under replayed records; folding again");
            self.engine.refold();
            self.fold_stored(store, total, observer)?;
        }
        Ok(())
    }

    /// Folds every stored record into the engine (noting each in `known`); returns how
    /// many.
    fn fold_stored(
        &mut self,
        store: &mut dyn Store,
        total: u64,
        observer: &mut dyn Observer,
    ) -> Result<u64, PipelineError> {
        let location = store.location().to_owned();
        let mut done = 0;
        let engine = &mut self.engine;
        let known = &mut self.known;
        store.for_each_record(&mut |stored| {
            let parsed = parse_record(&stored.body).map_err(|e| StoreError::BadRow {
                path: location.clone(),
                table: "records",
                row: stored.seq,
                reason: e.to_string(),
            })?;
            known.insert(RecordHash::of(stored.kind, &stored.key));
            engine.ingest(parsed);
            done += 1;
            if done % REPLAY_TICK == 0 {
                observer.event(Event::Replaying { done, total });
            }
            Ok(())
        })?;
        Ok(done)
    }

    /// Folds one record from the source in and forwards it to be stored, unless it is
    /// already held.
    fn take(
        &mut self,
        item: Result<Read, ReadError>,
        options: &ScanOptions,
        report: &mut ScanReport,
        observer: &mut dyn Observer,
        forward: &mut Forward,
    ) -> Result<(), PipelineError> {
        let read = match item {
            Ok(read) => read,
            Err(e) if e.is_unknown_kind() && options.skip_unknown => {
                report.unknown += 1;
                return Ok(());
            }
            Err(e) if e.is_line_error() && !e.is_unknown_kind() && options.skip_invalid => {
                report.invalid += 1;
                observer.event(Event::Skipped(&e));
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        report.records_read += 1;
        if !self.known.insert(read.hash) {
            return Ok(());
        }
        report.records_new += 1;
        let SourcedRecord {
            parsed,
            text,
            location,
        } = read.record;
        let record = &parsed.record;
        let source = forward.source_name(&location);
        forward.push(ToStore {
            kind: record.kind(),
            key: parsed.key.clone(),
            subject: record.subject().clone(),
            at: record.at(),
            body: text,
            source,
        })?;
        self.engine.ingest(parsed);
        Ok(())
    }

    fn read_files(
        &mut self,
        files: Vec<PathBuf>,
        open: OpenOptions,
        options: &ScanOptions,
        report: &mut ScanReport,
        observer: &mut dyn Observer,
        forward: &mut Forward,
    ) -> Result<(), PipelineError> {
        let total = total_bytes(&files);
        // A short queue: the reader is faster than the store, and a long one would hold
        // records in memory for nothing.
        let (tx, rx) = crossbeam_channel::bounded::<Batch>(4);
        let reader = std::thread::spawn(move || read_all(files, open, tx));
        let mut outcome = Ok(());
        let mut done = 0;
        'batches: for batch in rx.iter() {
            done += batch.bytes;
            observer.event(Event::Reading { done, total });
            for item in batch.items {
                if let Err(e) = self.take(item, options, report, observer, forward) {
                    outcome = Err(e);
                    break 'batches;
                }
            }
        }
        // Dropping the receiver stops the reader at its next send.
        drop(rx);
        match reader.join() {
            Ok(Ok(notes)) => report.notes = notes,
            Ok(Err(e)) => {
                if outcome.is_ok() {
                    outcome = Err(e.into());
                }
            }
            Err(_) => return Err(PipelineError::ReaderPanicked),
        }
        outcome
    }
}

/// A record from the source with its identity in the store, computed where it was read
/// (on the reading thread for files).
struct Read {
    record: SourcedRecord,
    hash: RecordHash,
}

impl Read {
    fn new(record: SourcedRecord) -> Self {
        let hash = RecordHash::of(record.parsed.record.kind(), &record.parsed.key);
        Read { record, hash }
    }
}

/// A new record on its way to the thread that stores it.
struct ToStore {
    kind: Kind,
    key: String,
    subject: SubjectId,
    at: Option<Timestamp>,
    body: String,
    source: String,
}

/// New records, gathered into batches for the storing thread.
struct Forward {
    tx: crossbeam_channel::Sender<Vec<ToStore>>,
    pending: Vec<ToStore>,
    /// The file of the previous record and how it is written in `records.source`:
    /// records come file by file, and writing a path out is slow (it may not be UTF-8).
    file: Option<(PathBuf, String)>,
}

impl Forward {
    fn new(tx: crossbeam_channel::Sender<Vec<ToStore>>) -> Self {
        Forward {
            tx,
            pending: Vec::with_capacity(BATCH),
            file: None,
        }
    }

    /// `file:line`, as [`Location`](redflag_ingest::Location) displays it.
    fn source_name(&mut self, location: &redflag_ingest::Location) -> String {
        let file = match &self.file {
            Some((path, shown)) if *path == location.file => shown,
            _ => {
                let shown = location.file.display().to_string();
                &self.file.insert((location.file.clone(), shown)).1
            }
        };
        let mut name = String::with_capacity(file.len() + 8);
        name.push_str(file);
        name.push(':');
        name.push_str(&location.line.to_string());
        name
    }

    fn push(&mut self, record: ToStore) -> Result<(), PipelineError> {
        self.pending.push(record);
        if self.pending.len() == BATCH {
            self.flush()
        } else {
            Ok(())
        }
    }

    /// Sends what is gathered. Fails only when the storing thread has stopped, whose own
    /// error then says why.
    fn flush(&mut self) -> Result<(), PipelineError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.pending, Vec::with_capacity(BATCH));
        self.tx
            .send(batch)
            .map_err(|_| PipelineError::WriterPanicked)
    }
}

/// The storing thread: every batch in turn, until the queue is closed. The records are
/// new (checked against `Pipeline::known`), and the store refuses the unit of work if one
/// was stored after all.
fn store_all(
    store: &mut dyn Store,
    batches: crossbeam_channel::Receiver<Vec<ToStore>>,
) -> Result<(), PipelineError> {
    for batch in batches {
        for r in batch {
            store.append_record(&NewRecord {
                kind: r.kind,
                key: &r.key,
                subject: &r.subject,
                at: r.at,
                body: &r.body,
                source: &r.source,
            })?;
        }
    }
    // The other threads are assessing now; the commit that follows them is shorter for
    // what is done here.
    store.prepare_commit()?;
    Ok(())
}

/// Takes the store's write lock, waiting up to `limit` while another writer holds it.
fn begin_waiting(
    store: &mut dyn Store,
    limit: Duration,
    observer: &mut dyn Observer,
) -> Result<(), PipelineError> {
    let started = std::time::Instant::now();
    loop {
        match store.begin() {
            Ok(()) => return Ok(()),
            Err(e) if e.is_busy() => {
                let waited = started.elapsed();
                tracing::info!(waited_s = waited.as_secs(), "waiting for another writer");
                if waited >= limit {
                    return Err(PipelineError::LockTimeout { waited });
                }
                observer.event(Event::Waiting { waited });
            }
            Err(e) => return Err(e.into()),
        }
    }
}

struct Batch {
    items: Vec<Result<Read, ReadError>>,
    /// Bytes read since the previous batch.
    bytes: u64,
}

/// The reading thread: every file in turn, in batches; returns a note per file in a vendor
/// format. Stops early when the receiver is gone or a file cannot be read on.
fn read_all(
    files: Vec<PathBuf>,
    options: OpenOptions,
    tx: crossbeam_channel::Sender<Batch>,
) -> Result<Vec<String>, ReadError> {
    let mut notes = Vec::new();
    for file in files {
        let mut records = open_with(&file, &options)?;
        let mut items = Vec::with_capacity(BATCH);
        let mut last_bytes = 0;
        while let Some(item) = records.next() {
            let fatal = matches!(&item, Err(e) if !e.is_line_error());
            items.push(item.map(Read::new));
            if items.len() == BATCH || fatal {
                let bytes = records.bytes_read();
                let batch = Batch {
                    items: std::mem::replace(&mut items, Vec::with_capacity(BATCH)),
                    bytes: bytes - last_bytes,
                };
                last_bytes = bytes;
                if tx.send(batch).is_err() || fatal {
                    return Ok(notes);
                }
            }
        }
        if records.format() != Format::Canonical {
            let skipped: u64 = records.skipped().values().sum();
            let why: Vec<String> = records
                .skipped()
                .iter()
                .map(|(why, n)| format!("{n} {why}"))
                .collect();
            notes.push(format!(
                "{}: read as {}{}",
                file.display(),
                records.format(),
                if skipped > 0 {
                    format!("; skipped {} events ({})", skipped, why.join(", "))
                } else {
                    String::new()
                }
            ));
        }
        let batch = Batch {
            items,
            bytes: records.bytes_read() - last_bytes,
        };
        if tx.send(batch).is_err() {
            return Ok(notes);
        }
    }
    Ok(notes)
}

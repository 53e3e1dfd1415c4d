//! `redflag scan`: read record files, store them durably, assess every subject.
//!
//! One SQLite transaction covers the whole scan: a bad record (without `--skip-invalid`)
//! or an interrupted run leaves the database exactly as it was, and a rerun finishes the
//! job. Records already stored are replayed into the engine first, so an assessment
//! always reflects everything the database holds; records seen before are skipped by key.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::thread;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use redflag_detect::{DataSet, Policy};
use redflag_engine::Engine;
use redflag_ingest::{
    CsvMapping, Format as InputFormat, OpenOptions, ReadError, SourcedRecord, input_files_with,
    open_with, total_bytes,
};
use redflag_model::{Assessment, Timestamp, parse_record};
use redflag_store::{AuditEntry, NewRecord, SqliteStore, Store};

use crate::datadir::DataDir;
use crate::output;
use crate::progress;
use crate::{Format, Global};

#[derive(Args, Clone)]
pub struct ScanArgs {
    /// Files or folders of records (a folder is read as every *.ndjson and *.jsonl in it,
    /// and every login export redflag recognises). With none, everyone already in the
    /// database is assessed again: after `redflag lists update`, that is re-screening.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: ScanOptions,
}

/// What `scan` and `demo` share.
#[derive(Args, Clone)]
pub struct ScanOptions {
    /// The database file (created if missing)
    #[arg(long, value_name = "FILE", default_value = "redflag.db")]
    pub db: PathBuf,
    /// Output format [default: table on a terminal, ndjson otherwise]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write results to FILE instead of the screen
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report each invalid record on stderr and go on, instead of stopping at the first
    #[arg(long)]
    pub skip_invalid: bool,
    /// Ignore records of kinds this version does not know, instead of stopping
    #[arg(long)]
    pub skip_unknown: bool,
    /// A policy file with your own weights and thresholds (see `redflag policy`)
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Column names of a CSV export of logins or payments, e.g.
    /// `subject=user,at=time,ip=client_ip` or `subject=payee,at=paid_on,amount=gross`
    /// (other columns are found by their usual names)
    #[arg(long, value_name = "MAPPING", value_parser = CsvMapping::parse)]
    pub csv_map: Option<CsvMapping>,
    /// Assess as of this moment (RFC 3339 or YYYY-MM-DD) instead of now
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// In the table, show at most this many subjects [default: everyone at medium risk or above, at least 10]
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
}

/// What a scan did, for the summary line and the audit log.
#[derive(Debug, Default)]
pub struct ScanReport {
    pub files: usize,
    pub records_read: u64,
    pub records_new: u64,
    pub records_replayed: u64,
    pub invalid: u64,
    pub unknown: u64,
    /// What the readers said about files in vendor formats.
    pub notes: Vec<String>,
}

pub struct ScanOutcome {
    pub report: ScanReport,
    pub assessments: Vec<Assessment>,
    pub engine: Engine,
}

pub fn run(global: &Global, args: ScanArgs) -> Result<()> {
    let outcome = scan(global, &args.paths, &args.common)?;
    write_results(&args.common, &outcome)
}

pub fn load_policy(path: Option<&Path>) -> Result<Policy> {
    match path {
        None => Ok(Policy::default()),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read the policy file {}", p.display()))?;
            Policy::from_toml(&text).with_context(|| format!("in the policy file {}", p.display()))
        }
    }
}

pub fn parse_time(text: &str) -> Result<Timestamp> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    let date: jiff::civil::Date = text
        .parse()
        .with_context(|| format!("--as-of {text:?} is neither an RFC 3339 time (2026-04-01T00:00:00Z) nor a date (2026-04-01)"))?;
    Ok(date.to_zoned(jiff::tz::TimeZone::UTC)?.timestamp())
}

/// Batches of records cross from the reading thread to the writing one.
const BATCH: usize = 1024;

enum Item {
    Record(Box<SourcedRecord>),
    Error(ReadError),
}

pub fn scan(global: &Global, paths: &[PathBuf], opts: &ScanOptions) -> Result<ScanOutcome> {
    let read_options = OpenOptions {
        csv_mapping: opts.csv_map.clone(),
    };
    let files = if paths.is_empty() {
        Vec::new()
    } else {
        input_files_with(paths, &read_options)?
    };
    let policy = load_policy(opts.policy.as_deref())?;
    let now = Timestamp::now();
    let as_of = opts
        .as_of
        .as_deref()
        .map(parse_time)
        .transpose()?
        .unwrap_or(now);
    let data = DataDir::resolve(global.data_dir.as_deref());
    let mut engine = Engine::new(policy, data.available());
    if let Some((intel, points)) = data.load_intel()? {
        if points.is_none() {
            eprintln!(
                "note: no country reference points in {}; impossible-travel checks are skipped (import countries.csv with `redflag intel import`)",
                data.intel_dir().display()
            );
        }
        engine = engine.with_intel(intel, points);
    }
    let mut lists_used = String::new();
    if let Some(screener) = data.load_screener()? {
        lists_used = screener
            .versions()
            .iter()
            .map(|v| {
                format!(
                    "{} {} sha256:{}",
                    v.list,
                    v.published.as_deref().unwrap_or("undated"),
                    &v.sha256[..v.sha256.len().min(12)]
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        engine = engine.with_screener(screener);
    }
    let skipped = engine.skipped();
    let mut missing: Vec<DataSet> = skipped.iter().map(|s| s.missing).collect();
    missing.sort();
    missing.dedup();
    for set in missing {
        let checks: Vec<&str> = skipped
            .iter()
            .filter(|s| s.missing == set)
            .map(|s| s.code)
            .collect();
        eprintln!(
            "note: {} not loaded; run `{}` to load it. Skipped: {}",
            set.label(),
            set.how_to_load(),
            checks.join(", ")
        );
    }
    let mut store = SqliteStore::open(&opts.db)?;
    let mut report = ScanReport {
        files: files.len(),
        ..ScanReport::default()
    };

    let replaying = store.record_count()?;
    if replaying > 0 {
        let bar = progress::spinner("replaying");
        let db_path = opts.db.clone();
        store.for_each_record(&mut |stored| {
            let parsed =
                parse_record(&stored.body).map_err(|e| redflag_store::StoreError::BadRow {
                    path: db_path.clone(),
                    table: "records",
                    row: stored.seq,
                    reason: e.to_string(),
                })?;
            engine.ingest(parsed);
            report.records_replayed += 1;
            if report.records_replayed.is_multiple_of(16_384) {
                bar.set_message(format!("replayed {}", report.records_replayed));
            }
            Ok(())
        })?;
        bar.finish_and_clear();
    }

    store.begin()?;
    let result = ingest_files(
        &files,
        &read_options,
        opts,
        &mut store,
        &mut engine,
        &mut report,
    );
    if let Err(e) = result {
        store.rollback()?;
        return Err(anyhow::anyhow!(
            "{e:#}\nnothing from this scan was stored; {} is as it was",
            opts.db.display()
        ));
    }
    let assessments = engine.assess_all(as_of, now);
    // The policy label records which list versions screened this assessment, so a later
    // reader can tell what a clean sanctions result was checked against.
    let fingerprint = if lists_used.is_empty() {
        format!("policy {}", engine.policy().fingerprint())
    } else {
        format!(
            "policy {}; lists {lists_used}",
            engine.policy().fingerprint()
        )
    };
    for a in &assessments {
        store.put_assessment(a, &fingerprint)?;
    }
    store.audit(&AuditEntry {
        at: now,
        actor: actor(),
        action: "scan".into(),
        target: Some(
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        detail: serde_json::json!({
            "files": report.files,
            "records_read": report.records_read,
            "records_new": report.records_new,
            "invalid_skipped": report.invalid,
            "unknown_skipped": report.unknown,
            "subjects_assessed": assessments.len(),
            "policy": fingerprint,
            "lists": lists_used,
            "as_of": as_of.to_string(),
        }),
    })?;
    store.commit()?;
    if std::io::stderr().is_terminal() {
        for note in &report.notes {
            eprintln!("{note}");
        }
    }
    if std::io::stderr().is_terminal() || report.invalid > 0 || report.unknown > 0 {
        eprintln!(
            "read {} records from {} ({} new, {} already stored{}{}); assessed {} subjects; database {}",
            report.records_read,
            crate::output::plural(report.files, "file", "files"),
            report.records_new,
            report.records_read - report.records_new,
            if report.invalid > 0 {
                format!(", {} invalid skipped", report.invalid)
            } else {
                String::new()
            },
            if report.unknown > 0 {
                format!(", {} of unknown kinds skipped", report.unknown)
            } else {
                String::new()
            },
            assessments.len(),
            opts.db.display()
        );
    }
    Ok(ScanOutcome {
        report,
        assessments,
        engine,
    })
}

fn ingest_files(
    files: &[PathBuf],
    read_options: &OpenOptions,
    opts: &ScanOptions,
    store: &mut SqliteStore,
    engine: &mut Engine,
    report: &mut ScanReport,
) -> Result<()> {
    let bar = progress::bytes(total_bytes(files), "scanning");
    // A short queue: the reader is faster than SQLite, and a long one would hold records
    // in memory for nothing.
    let (tx, rx) = crossbeam_channel::bounded::<Vec<Item>>(4);
    let reader_bar = bar.clone();
    let reader_files = files.to_vec();
    let reader_options = read_options.clone();
    // Parsing runs on its own thread so it overlaps with SQLite writes on the other core.
    let reader = thread::spawn(move || -> Result<Vec<String>, ReadError> {
        let mut notes = Vec::new();
        for file in reader_files {
            let mut records = open_with(&file, &reader_options)?;
            let mut batch = Vec::with_capacity(BATCH);
            let mut last_bytes = 0;
            while let Some(item) = records.next() {
                let fatal = matches!(&item, Err(e) if !e.is_line_error());
                batch.push(match item {
                    Ok(r) => Item::Record(Box::new(r)),
                    Err(e) => Item::Error(e),
                });
                if batch.len() == BATCH || fatal {
                    let bytes = records.bytes_read();
                    reader_bar.inc(bytes - last_bytes);
                    last_bytes = bytes;
                    if tx
                        .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .is_err()
                        || fatal
                    {
                        return Ok(notes);
                    }
                }
            }
            reader_bar.inc(records.bytes_read() - last_bytes);
            if records.format() != InputFormat::Canonical {
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
            if !batch.is_empty() && tx.send(batch).is_err() {
                return Ok(notes);
            }
        }
        Ok(notes)
    });
    let mut outcome = Ok(());
    'batches: for batch in rx.iter() {
        for item in batch {
            match item {
                Item::Record(r) => {
                    report.records_read += 1;
                    let record = &r.parsed.record;
                    let source = r.location.to_string();
                    let is_new = store.put_record(&NewRecord {
                        kind: record.kind(),
                        key: &r.parsed.key,
                        subject: record.subject(),
                        at: record.at(),
                        body: &r.text,
                        source: &source,
                    });
                    match is_new {
                        Ok(true) => {
                            report.records_new += 1;
                            engine.ingest(r.parsed);
                        }
                        Ok(false) => {}
                        Err(e) => {
                            outcome = Err(e.into());
                            break 'batches;
                        }
                    }
                }
                Item::Error(e) if e.is_unknown_kind() && opts.skip_unknown => report.unknown += 1,
                Item::Error(e) if e.is_line_error() && opts.skip_invalid => {
                    report.invalid += 1;
                    bar.suspend(|| eprintln!("skipped {e}"));
                }
                Item::Error(e) => {
                    let hint = if e.is_line_error() && !e.is_unknown_kind() {
                        "\n(pass --skip-invalid to report each bad record and go on)"
                    } else {
                        ""
                    };
                    outcome = Err(anyhow::anyhow!("{e}{hint}"));
                    break 'batches;
                }
            }
        }
    }
    drop(rx);
    bar.finish_and_clear();
    match reader.join() {
        Ok(Ok(notes)) => report.notes = notes,
        Ok(Err(e)) => {
            if outcome.is_ok() {
                outcome = Err(e.into());
            }
        }
        Err(_) => bail!("the file reader stopped unexpectedly"),
    }
    outcome
}

fn actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("redflag-cli:{user}")
}

/// Writes results in the chosen format to the chosen place.
pub fn write_results(opts: &ScanOptions, outcome: &ScanOutcome) -> Result<()> {
    let to_terminal = opts.output.is_none() && std::io::stdout().is_terminal();
    let format = opts.format.unwrap_or(if to_terminal {
        Format::Table
    } else {
        Format::Ndjson
    });
    let mut sink: Box<dyn Write> = match &opts.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match format {
        Format::Table => output::table(
            &mut sink,
            &outcome.assessments,
            &outcome.engine,
            opts.top,
            to_terminal,
        )?,
        Format::Json => output::json(&mut sink, &outcome.assessments)?,
        Format::Ndjson => output::ndjson(&mut sink, &outcome.assessments)?,
    }
    sink.flush().context("cannot write the results")?;
    Ok(())
}

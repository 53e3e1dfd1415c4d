//! `redflag audit`: the audit log, and `redflag audit verify`, which walks its hash chain.

use std::io::Write;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use redflag_store::{AuditHash, AuditQuery, AuditRecord, AuditVerification, Store};
use serde::Serialize;

use crate::output::{self, Format, OutputArgs, Sink, clean};
use crate::ui;

#[derive(Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  redflag audit --db cases.db --since 2026-04-01\n  redflag audit verify --db postgres://redflag@db.internal/redflag\n  redflag audit verify --db cases.db --head 3f5e…  # the head an earlier verify printed"
)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCommand>,
    /// Only entries at or after this time (RFC 3339, or YYYY-MM-DD for midnight UTC)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only entries after this id: the last id of a previous listing, to read on
    #[arg(long, value_name = "ID")]
    pub after: Option<i64>,
    /// At most this many entries, the oldest first
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub limit: usize,
    #[command(flatten)]
    pub db: super::DbArg,
    /// `table` (the default on a terminal); `ndjson` one entry per line with its id and
    /// hashes (the default when piped); `json` an array; `csv` one row per entry
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain from its first entry and report the first entry
    /// that was changed, removed or inserted behind redflag's back (exit code 1 if any)
    Verify(VerifyArgs),
}

#[derive(Args)]
pub struct VerifyArgs {
    /// A head printed by an earlier verify (the newest entry's hash then): also check
    /// that this entry is still in the chain, so that entries up to it are known to be
    /// as they were, even if newer ones were removed or the chain was recomputed since
    #[arg(long, value_name = "HASH", value_parser = parse_hash)]
    pub head: Option<AuditHash>,
    #[command(flatten)]
    pub db: super::DbArg,
    /// `table` (the default on a terminal) in words; `json` the result as an object
    #[command(flatten)]
    pub output: OutputArgs,
}

fn parse_hash(text: &str) -> Result<AuditHash, String> {
    text.parse()
}

pub fn run(args: AuditArgs) -> Result<ui::Outcome> {
    match args.command {
        Some(AuditCommand::Verify(verify_args)) => verify(verify_args),
        None => list(args),
    }
}

fn list(args: AuditArgs) -> Result<ui::Outcome> {
    let since = args
        .since
        .as_deref()
        .map(redflag_pipeline::parse_time)
        .transpose()?;
    let db = &args.db.db;
    let store = super::open_scanned(db)?;
    let entries = store.audit_entries(&AuditQuery {
        since,
        after: args.after,
        limit: args.limit,
    })?;
    let mut sink = Sink::open(&args.output, Format::Ndjson, &output::files_of(db))?;
    sink.items(
        &entries,
        &["id", "at", "actor", "action", "target", "detail", "hash"],
        |r: &AuditRecord| {
            vec![
                r.id.to_string(),
                r.entry.at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
                r.entry.actor.clone(),
                r.entry.action.clone(),
                r.entry.target.clone().unwrap_or_default(),
                r.entry.detail.to_string(),
                r.hash.to_string(),
            ]
        },
    )?;
    sink.finish()?;
    match entries.last() {
        Some(last) if entries.len() == args.limit => ui::note(&format!(
            "{} shown; there may be more: read on with `redflag audit --after {}`{}",
            output::plural(entries.len(), "entry", "entries"),
            last.id,
            args.since
                .as_deref()
                .map(|s| format!(" --since {s}"))
                .unwrap_or_default()
        )),
        Some(_) => {}
        None => ui::note(&format!("no audit entries in {db} match")),
    }
    Ok(ui::Outcome::Done)
}

/// What `verify --format json` writes.
#[derive(Serialize)]
struct Report<'a> {
    database: String,
    intact: bool,
    #[serde(flatten)]
    verification: &'a AuditVerification,
    /// The `--head` given, and the entry that has it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_head: Option<RecordedHead>,
}

#[derive(Serialize)]
struct RecordedHead {
    hash: AuditHash,
    found_at: Option<i64>,
}

fn verify(args: VerifyArgs) -> Result<ui::Outcome> {
    let db = &args.db.db;
    let store = super::open_scanned(db)?;
    let verification = store.verify_audit()?;
    let recorded_head = match args.head {
        Some(hash) => Some(RecordedHead {
            hash,
            found_at: find_hash(store.as_ref(), &hash)?,
        }),
        None => None,
    };
    let head_lost = recorded_head.as_ref().is_some_and(|h| h.found_at.is_none());
    let report = Report {
        database: db.to_string(),
        intact: verification.is_intact() && !head_lost,
        verification: &verification,
        recorded_head,
    };
    let mut sink = Sink::open(&args.output, Format::Table, &output::files_of(db))?;
    match sink.format {
        Format::Json | Format::Ndjson => sink.json(&report)?,
        Format::Table | Format::Csv => write_words(&mut sink, &report)?,
    }
    sink.finish()?;
    if let Some(broken) = &verification.broken {
        bail!(
            "the audit log of {db} has been tampered with: {broken}; restore the database \
             from a backup made before it, and keep this one for investigation"
        );
    }
    if let Some(head) = &report.recorded_head
        && head.found_at.is_none()
    {
        bail!(
            "no entry of the audit log of {db} has the hash {} recorded earlier: entries \
             were removed from its end, or the chain was recomputed",
            head.hash
        );
    }
    Ok(ui::Outcome::Done)
}

/// The id of the entry whose hash is `hash`, read page by page.
fn find_hash(store: &dyn Store, hash: &AuditHash) -> Result<Option<i64>> {
    let mut after = None;
    loop {
        let page = store.audit_entries(&AuditQuery {
            since: None,
            after,
            limit: 10_000,
        })?;
        if let Some(found) = page.iter().find(|r| &r.hash == hash) {
            return Ok(Some(found.id));
        }
        match page.last() {
            Some(last) => after = Some(last.id),
            None => return Ok(None),
        }
    }
}

fn write_words(out: &mut dyn Write, r: &Report<'_>) -> Result<()> {
    let v = r.verification;
    let database = clean(&r.database);
    match (&v.broken, v.head) {
        (None, None) => writeln!(out, "{database}: the audit log is empty.")?,
        (None, Some(head)) => {
            writeln!(
                out,
                "{database}: {} checked; the chain is intact.",
                output::plural(v.entries as usize, "entry", "entries")
            )?;
            writeln!(out, "Head: entry #{}, {}", head.id, head.hash)?;
            writeln!(
                out,
                "Keep the head somewhere else (a ticket, a report): `redflag audit verify --head {}` \
                 later shows that every entry up to it is unchanged.",
                head.hash
            )?;
        }
        (Some(broken), head) => {
            writeln!(
                out,
                "{database}: the audit log is broken at entry #{}: {}.",
                broken.id, broken.problem
            )?;
            match head {
                Some(head) => writeln!(
                    out,
                    "The entries before it check out; the last of them is #{}, {}.",
                    head.id, head.hash
                )?,
                None => writeln!(out, "No entry before it checks out.")?,
            }
        }
    }
    if let Some(head) = &r.recorded_head {
        match head.found_at {
            Some(id) if v.is_intact() => writeln!(
                out,
                "The recorded head {} is entry #{id}: every entry up to it is as it was.",
                head.hash
            )?,
            Some(id) => writeln!(out, "The recorded head {} is entry #{id}.", head.hash)?,
            None => writeln!(
                out,
                "No entry has the recorded head {}: entries were removed from the end, or the chain was recomputed.",
                head.hash
            )?,
        }
    }
    Ok(())
}

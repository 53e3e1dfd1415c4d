//! `redflag scan`: read record files into the database and assess everyone in it. The
//! work is the pipeline's ([`redflag_pipeline::Pipeline::scan`]); this file turns
//! arguments into its options, draws progress, and writes the results.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Args;
use indicatif::ProgressBar;
use redflag_ingest::{CsvMapping, OpenOptions, find_inputs, open_with};
use redflag_model::{Assessment, Band};
use redflag_pipeline::{
    DataDir, Event, LoadingReference, Observer, Pipeline, ScanOptions, ScanOutcome, Source,
    load_policy, parse_time,
};

use crate::output::{self, Format, OutputArgs, Sink, clean, plural};
use crate::{Global, progress, ui};

#[derive(Args, Clone)]
#[command(
    after_help = "Examples:\n  redflag scan exports/ --db cases.db\n  redflag scan exports/ --format ndjson --output assessments.ndjson\n  redflag scan --db cases.db --fail-on high      # re-assess everyone; exit 3 if anyone is high or critical"
)]
pub struct ScanArgs {
    /// Files or folders of records (a folder is read as every *.ndjson and *.jsonl in it,
    /// and every export redflag recognises, but never redflag's own results). With none,
    /// everyone already in the database is assessed again: after `redflag lists update`,
    /// that is re-screening.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// A CSV of identifiers your other systems use for each person, with the header
    /// `subject,kind,value` (kind: email, login, user_id, account, iban, holder, phone):
    /// records that exports file under those identifiers become the subject's. Kept in
    /// the database for later scans.
    #[arg(long, value_name = "FILE")]
    pub identities: Vec<PathBuf>,
    #[command(flatten)]
    pub common: ScanOptionsArgs,
}

/// What `scan` and `demo` share.
#[derive(Args, Clone)]
pub struct ScanOptionsArgs {
    #[command(flatten)]
    pub database: super::DbArg,
    #[command(flatten)]
    pub output: OutputArgs,
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
    /// Assess as of this moment (RFC 3339 or YYYY-MM-DD) instead of the newest record;
    /// records after it are stored but do not count
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// In the table, show at most this many subjects [default: everyone at medium risk or
    /// above, at least 10]
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Exit with code 3 when anyone is rated at or above this band (for schedulers and CI)
    #[arg(long, value_name = "BAND", value_parser = parse_band)]
    pub fail_on: Option<Band>,
}

pub fn parse_band(text: &str) -> Result<Band, String> {
    text.parse()
}

pub fn run(global: &Global, args: ScanArgs) -> Result<ui::Outcome> {
    let mut inputs = if args.paths.is_empty() {
        Vec::new()
    } else {
        let found = find_inputs(&args.paths, &open_options(&args.common))?;
        for passed in &found.passed_over {
            ui::note(&format!("note: {passed}"));
        }
        found.files
    };
    for map in &args.identities {
        let format = match open_with(map, &open_options(&args.common)) {
            Ok(stream) => Some(stream.format()),
            // Unreadable is unreadable; anything else is a file of another kind.
            Err(e @ redflag_ingest::ReadError::Io { .. }) => return Err(e.into()),
            Err(_) => None,
        };
        if format != Some(redflag_ingest::Format::Adapter("identities")) {
            anyhow::bail!(
                "{}: not an identity map: its first line must be the header subject,kind,value \
                 (and optionally source)",
                map.display()
            );
        }
        // Identities first: the records that follow are then filed right the first time.
        inputs.insert(0, map.clone());
    }
    let target = args
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let outcome = scan(global, inputs.clone(), &target, &args.common)?;
    write_results(&args.common, &outcome, &inputs)
}

fn open_options(opts: &ScanOptionsArgs) -> OpenOptions {
    OpenOptions {
        csv_mapping: opts.csv_map.clone(),
    }
}

/// A pipeline with the policy and every reference data set found, after saying which
/// checks are skipped for want of data.
pub fn pipeline(global: &Global, policy: Option<&std::path::Path>) -> Result<Pipeline> {
    let policy = load_policy(policy)?;
    let data = DataDir::resolve(global.data_dir.as_deref());
    let reference = LoadingReference::start(&data)?;
    for warning in reference.stale_lists(policy.thresholds.lists_max_age_days) {
        ui::note(&format!("warning: {warning}"));
    }
    let pipeline = Pipeline::loading(policy, reference);
    for (set, checks) in pipeline.missing_data() {
        ui::note(&format!(
            "note: {} not loaded; run `{}` to load it. Skipped: {}",
            set.label(),
            set.how_to_load(),
            checks.join(", ")
        ));
    }
    Ok(pipeline)
}

/// Scans `inputs` into the database named by `opts` and assesses everyone in it.
pub fn scan(
    global: &Global,
    inputs: Vec<PathBuf>,
    target: &str,
    opts: &ScanOptionsArgs,
) -> Result<ScanOutcome> {
    let as_of = opts.as_of.as_deref().map(parse_time).transpose()?;
    let mut pipeline = pipeline(global, opts.policy.as_deref())?;
    let mut store = redflag_store::open(&opts.database.db)?;
    let source = if inputs.is_empty() {
        Source::Nothing
    } else {
        Source::Files {
            files: inputs,
            options: open_options(opts),
        }
    };
    let options = ScanOptions {
        skip_invalid: opts.skip_invalid,
        skip_unknown: opts.skip_unknown,
        as_of,
        actor: actor(),
        target: target.to_owned(),
        ..ScanOptions::default()
    };
    let mut progress = Progress::default();
    let result = pipeline.scan(store.as_mut(), source, &options, &mut progress);
    progress.finish();
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => {
            let hint = if e.is_record_error() {
                "\n(pass --skip-invalid to report each bad record and go on)"
            } else {
                ""
            };
            return Err(anyhow::anyhow!(
                "{e}{hint}\nnothing from this scan was stored; {} is as it was",
                opts.database.db.display()
            ));
        }
    };
    for note in &outcome.report.notes {
        ui::note(note);
    }
    summarise(&outcome, opts);
    Ok(outcome)
}

fn summarise(outcome: &ScanOutcome, opts: &ScanOptionsArgs) {
    let r = &outcome.report;
    let mut extra = String::new();
    if r.invalid > 0 {
        extra.push_str(&format!(", {} invalid skipped", r.invalid));
    }
    if r.unknown > 0 {
        extra.push_str(&format!(", {} of unknown kinds skipped", r.unknown));
    }
    if r.records_after_as_of > 0 {
        extra.push_str(&format!(
            ", {} after the as-of time left out",
            r.records_after_as_of
        ));
    }
    ui::note(&format!(
        "read {} records from {} ({} new, {} already stored{extra}); assessed {} as of {}; database {}",
        r.records_read,
        plural(r.files, "file", "files"),
        r.records_new,
        r.records_read - r.records_new,
        plural(outcome.assessments.len(), "subject", "subjects"),
        outcome.as_of.strftime("%Y-%m-%d %H:%M UTC"),
        opts.database.db.display()
    ));
    let merged: usize = outcome
        .assessments
        .iter()
        .map(|a| a.identities.merged.len())
        .sum();
    let organisations = outcome
        .assessments
        .iter()
        .filter(|a| a.identities.organisation)
        .count();
    let unmatched = outcome
        .assessments
        .iter()
        .filter(|a| a.identities.unmatched.is_some() && !a.identities.organisation)
        .count();
    if merged + organisations + unmatched > 0 {
        ui::note(&format!(
            "{} filed under the profiles that claim them; {} matching no profile (see `redflag \
             explain`, or map ids with `--identities`); {} paid, screened only",
            plural(merged, "id", "ids"),
            plural(unmatched, "subject", "subjects"),
            plural(organisations, "organisation", "organisations"),
        ));
    }
}

/// Progress bars for the pipeline's events (nothing when stderr is not a terminal).
#[derive(Default)]
struct Progress {
    bar: Option<ProgressBar>,
    waiting: bool,
}

impl Progress {
    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Progress {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Waiting { .. } => {
                if !self.waiting {
                    self.waiting = true;
                    ui::note("another scan is writing to this database; waiting for it to finish…");
                }
            }
            Event::Replaying { done, .. } => {
                let bar = self
                    .bar
                    .get_or_insert_with(|| progress::spinner("replaying"));
                bar.set_message(format!("replayed {done}"));
            }
            Event::Reading { done, total } => {
                let bar = self
                    .bar
                    .get_or_insert_with(|| progress::bytes(total, "scanning"));
                bar.set_length(total);
                bar.set_position(done);
            }
            Event::Skipped(e) => {
                let line = format!("skipped {e}");
                match &self.bar {
                    Some(bar) => bar.suspend(|| ui::note(&line)),
                    None => ui::note(&line),
                }
            }
            Event::Assessing { .. } => self.finish(),
        }
    }
}

/// Who runs the command, for the audit log: `redflag-cli:<login>`.
pub(crate) fn actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("redflag-cli:{user}")
}

/// Writes results in the chosen format to the chosen place. The scan is committed by
/// now, so a failure here says the data is safe and which file could not be written.
pub fn write_results(
    opts: &ScanOptionsArgs,
    outcome: &ScanOutcome,
    inputs: &[PathBuf],
) -> Result<ui::Outcome> {
    let mut protected = output::files_of(&opts.database.db);
    protected.extend(inputs.iter().cloned());
    let written = write_to_sink(opts, outcome, &protected);
    if let Err(e) = written {
        if ui::is_broken_pipe(&e) {
            return Err(e);
        }
        return Err(e.context(format!(
            "the scan itself succeeded: its records and assessments are saved in {} (see them with `redflag explain SUBJECT --db {}`)",
            opts.database.db.display(),
            opts.database.db.display()
        )));
    }
    Ok(ui::outcome(
        opts.fail_on,
        outcome.assessments.iter().map(|a| a.band),
    ))
}

fn write_to_sink(
    opts: &ScanOptionsArgs,
    outcome: &ScanOutcome,
    protected: &[PathBuf],
) -> Result<()> {
    let mut sink = Sink::open(&opts.output, Format::Ndjson, protected)?;
    let assessments = &outcome.assessments;
    let written = match sink.format {
        Format::Table => {
            let terminal = sink.terminal;
            ranked_table(&mut sink, assessments, opts.top, terminal)
        }
        Format::Json => sink.json(assessments),
        Format::Ndjson => assessments.iter().try_for_each(|a| sink.ndjson(a)),
        Format::Csv => sink.csv(
            &[
                "subject",
                "name",
                "score",
                "band",
                "as_of",
                "assessed_at",
                "signals",
                "top_reason",
                "linked_subjects",
            ],
            assessments.iter().map(csv_row),
        ),
    };
    written.with_context(|| format!("cannot write {}", sink.describe()))?;
    sink.finish()
}

fn csv_row(a: &Assessment) -> Vec<String> {
    vec![
        a.subject.to_string(),
        a.name.clone().unwrap_or_default(),
        a.score.to_string(),
        a.band.to_string(),
        a.as_of.map(|t| t.to_string()).unwrap_or_default(),
        a.assessed_at.to_string(),
        a.signals
            .iter()
            .map(|s| s.code.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        a.signals
            .first()
            .map(|s| s.summary.clone())
            .unwrap_or_default(),
        a.linked_subjects
            .iter()
            .map(|l| l.subject.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    ]
}

/// The ranked table. Without `top`, everyone at medium or above is shown (at least ten
/// rows), and a closing line counts the rest.
fn ranked_table(
    out: &mut Sink,
    assessments: &[Assessment],
    top: Option<usize>,
    terminal: bool,
) -> Result<()> {
    let shown = top.unwrap_or_else(|| {
        assessments
            .iter()
            .filter(|a| a.band >= Band::Medium)
            .count()
            .max(10)
    });
    let rows = assessments.iter().take(shown).enumerate().map(|(rank, a)| {
        let reasons = if a.signals.is_empty() {
            "no red flags found".to_owned()
        } else {
            let mut lines: Vec<String> = a
                .signals
                .iter()
                .take(3)
                .map(|s| format!("{} {}", s.advisory, clean(&s.summary)))
                .collect();
            if a.signals.len() > 3 {
                lines.push(format!(
                    "… and {} more (redflag explain {})",
                    a.signals.len() - 3,
                    clean(a.subject.as_str())
                ));
            }
            lines.join("\n")
        };
        vec![
            (rank + 1).to_string(),
            a.subject.to_string(),
            a.name
                .as_deref()
                .map(clean)
                .unwrap_or_default()
                .into_owned(),
            a.score.to_string(),
            a.band.to_string(),
            reasons,
        ]
    });
    let table = output::table(
        &["#", "Subject", "Name", "Score", "Band", "Top reasons"],
        rows,
        terminal,
    );
    writeln!(out, "{table}")?;
    let rest = assessments.len().saturating_sub(shown);
    let by_band = |b: Band| assessments.iter().filter(|a| a.band == b).count();
    writeln!(
        out,
        "{} assessed: {} critical, {} high, {} medium, {} low.{}",
        plural(assessments.len(), "subject", "subjects"),
        by_band(Band::Critical),
        by_band(Band::High),
        by_band(Band::Medium),
        by_band(Band::Low),
        if rest > 0 {
            format!(" {rest} more not shown (use --top N, or --format json for all).")
        } else {
            String::new()
        }
    )?;
    Ok(())
}

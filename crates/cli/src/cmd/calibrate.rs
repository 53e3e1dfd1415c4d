//! `redflag calibrate`: fit the policy's weights to decided subjects (a labels file) and
//! show what would change, as a proposed policy file and two charts. Nothing is applied.
//! The work is `redflag_calibrate`'s; this file reads the labels and the assessments,
//! writes the files and the report.

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::Args;
use redflag_calibrate::proposal::{Provenance, proposed_policy};
use redflag_calibrate::{Calibration, Example, Label, calibrate, read_labels, score_under};
use redflag_model::Band;
use serde::Serialize;

use crate::output::{self, Format, OutputArgs, Sink, plural};
use crate::{progress, ui};

#[derive(Args)]
#[command(
    after_help = "Examples:\n  redflag demo --out demo && redflag calibrate --labels demo/labels.csv --db demo/redflag.db\n  redflag calibrate --labels decided.csv --db cases.db --policy my-policy.toml --out proposed.toml --svg charts/"
)]
pub struct CalibrateArgs {
    /// A CSV of decided subjects, one `subject,label` a line with the label `dprk` or
    /// `legit` (a header line `subject,label` is optional; other columns are ignored)
    #[arg(long, value_name = "FILE")]
    pub labels: PathBuf,
    #[command(flatten)]
    pub database: super::DbArg,
    /// The policy your scans use, to calibrate [default: the built-in policy]
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Where to write the proposed policy (created readable by you only)
    #[arg(long, value_name = "FILE", default_value = "proposed-policy.toml")]
    pub out: PathBuf,
    /// A folder for the two charts, pr-curve.svg and score-distribution.svg (created if
    /// missing) [default: beside the proposed policy, named after it]
    #[arg(long, value_name = "DIR")]
    pub svg: Option<PathBuf>,
    /// The precision–recall chart's file, instead of the one in the charts folder
    #[arg(long, value_name = "FILE")]
    pub pr_curve: Option<PathBuf>,
    /// The score distribution chart's file, instead of the one in the charts folder
    #[arg(long, value_name = "FILE")]
    pub distribution: Option<PathBuf>,
    /// How many parts the labels are split into for cross-validation: each part is
    /// scored by weights fitted on the others
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..=50))]
    pub folds: u16,
    /// `table` (the default on a terminal) is the report in words; `json` and `ndjson`
    /// the same as one object; `csv` one row per signal weight
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The files written besides the report.
struct Files {
    policy: PathBuf,
    pr_curve: PathBuf,
    distribution: PathBuf,
}

impl Files {
    /// Where each file goes, refusing any that would overwrite the database, the labels,
    /// the policy calibrated, or another of the outputs.
    fn resolve(args: &CalibrateArgs) -> Result<Files> {
        let beside = |suffix: &str| {
            let stem = args
                .out
                .file_stem()
                .map_or_else(|| "proposed-policy".into(), |s| s.to_string_lossy());
            args.out.with_file_name(format!("{stem}-{suffix}"))
        };
        let chart = |given: &Option<PathBuf>, name: &str, suffix: &str| match (given, &args.svg) {
            (Some(file), _) => file.clone(),
            (None, Some(dir)) => dir.join(name),
            (None, None) => beside(suffix),
        };
        let files = Files {
            policy: args.out.clone(),
            pr_curve: chart(&args.pr_curve, "pr-curve.svg", "pr-curve.svg"),
            distribution: chart(&args.distribution, "score-distribution.svg", "scores.svg"),
        };
        let mut protected = output::files_of(&args.database.db);
        protected.push(args.labels.clone());
        protected.extend(args.policy.iter().cloned());
        for (flag, path) in [
            ("--out", &files.policy),
            ("--pr-curve", &files.pr_curve),
            ("--distribution", &files.distribution),
        ] {
            output::refuse_protected(flag, path, &protected)?;
            protected.push(path.clone());
        }
        // The report's file too, before anything is written.
        if let Some(report) = &args.output.output {
            output::refuse_protected("--output", report, &protected)?;
        }
        Ok(files)
    }

    fn all(&self) -> [&Path; 3] {
        [&self.policy, &self.pr_curve, &self.distribution]
    }
}

/// The report as JSON: what was read, the calibration, and the files written.
#[derive(Serialize)]
struct Report<'a> {
    labels: LabelsRead<'a>,
    database: String,
    policy: Option<String>,
    #[serde(flatten)]
    calibration: &'a Calibration,
    files: FilesWritten,
}

#[derive(Serialize)]
struct LabelsRead<'a> {
    file: String,
    /// Subjects labelled (each once).
    subjects: usize,
    /// Lines that repeated a subject with the same label.
    repeated: usize,
    /// Labelled subjects with no assessment in the database, left out.
    without_assessment: Vec<&'a str>,
}

#[derive(Serialize)]
struct FilesWritten {
    proposed_policy: String,
    pr_curve: String,
    distribution: String,
}

pub fn run(args: CalibrateArgs) -> Result<ui::Outcome> {
    if args.database.db.file().is_some_and(|f| !f.exists()) {
        bail!(
            "there is no database at {}; calibration reads the labelled subjects' assessments from the database your scans write (--db or REDFLAG_DB)",
            args.database.db.display()
        );
    }
    let policy = redflag_pipeline::load_policy(args.policy.as_deref())?;
    let policy_text = match &args.policy {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the policy file {}", path.display()))?,
        None => String::new(),
    };
    let files = Files::resolve(&args)?;
    let labels_name = args.labels.display().to_string();
    let file = std::fs::File::open(&args.labels)
        .with_context(|| format!("cannot open the labels file {labels_name}"))?;
    let labels = read_labels(BufReader::new(file), &labels_name)?;

    let store = redflag_store::open(&args.database.db)?;
    let mut examples = Vec::with_capacity(labels.labels.len());
    let mut missing: Vec<&Label> = Vec::new();
    let mut other_policy = 0;
    for label in &labels.labels {
        match store.latest_assessment(&label.subject)? {
            Some(a) => {
                if score_under(&a.signals, &policy) != a.score {
                    other_policy += 1;
                }
                examples.push(Example::new(
                    label.subject.clone(),
                    label.verdict,
                    &a.signals,
                ));
            }
            None => missing.push(label),
        }
    }
    let db = args.database.db.display();
    if examples.is_empty() {
        bail!(
            "none of the {} labelled subjects in {labels_name} has an assessment in {db} ({}); check that --db names the database your scans write, and that the labels use your records' subject ids",
            labels.labels.len(),
            some_ids(&missing)
        );
    }
    if !missing.is_empty() {
        ui::note(&format!(
            "note: {} of the {} labelled subjects have no assessment in {db} and are left out: {}. Check the ids, or scan their records first.",
            missing.len(),
            labels.labels.len(),
            some_ids(&missing)
        ));
    }
    if other_policy > 0 {
        ui::note(&format!(
            "note: {} were assessed with another policy than {}; \"before\" scores their signals with it, as a scan with it would.",
            plural(other_policy, "labelled subject", "labelled subjects"),
            policy_name(&args)
        ));
    }

    let bar = progress::spinner("fitting");
    let calibrated = calibrate(&examples, &policy, usize::from(args.folds));
    bar.finish_and_clear();
    let cal = calibrated?;
    let fitted_at = jiff::Timestamp::now()
        .strftime("%Y-%m-%d %H:%M UTC")
        .to_string();
    let proposal = proposed_policy(
        &policy_text,
        &cal,
        &Provenance {
            fitted_at: &fitted_at,
            labels: &labels_name,
            database: &db.to_string(),
            policy: args
                .policy
                .as_deref()
                .map(|p| p.display().to_string())
                .as_deref(),
            left_out: missing.len(),
        },
    )?;
    if args.svg.is_some() || args.pr_curve.is_some() || args.distribution.is_some() {
        for chart in [&files.pr_curve, &files.distribution] {
            if let Some(dir) = chart.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create the folder {}", dir.display()))?;
            }
        }
    }
    write_file(&files.policy, &proposal)?;
    write_file(
        &files.pr_curve,
        &redflag_calibrate::svg::pr_curve(&cal, &policy),
    )?;
    write_file(
        &files.distribution,
        &redflag_calibrate::svg::distribution(&cal, &policy),
    )?;

    let mut protected = output::files_of(&args.database.db);
    protected.push(args.labels.clone());
    protected.extend(args.policy.iter().cloned());
    protected.extend(files.all().iter().map(|p| p.to_path_buf()));
    let mut sink = Sink::open(&args.output, Format::Json, &protected)?;
    let report = Report {
        labels: LabelsRead {
            file: labels_name.clone(),
            subjects: labels.labels.len(),
            repeated: labels.repeated,
            without_assessment: missing.iter().map(|l| l.subject.as_str()).collect(),
        },
        database: db.to_string(),
        policy: args.policy.as_ref().map(|p| p.display().to_string()),
        calibration: &cal,
        files: FilesWritten {
            proposed_policy: files.policy.display().to_string(),
            pr_curve: files.pr_curve.display().to_string(),
            distribution: files.distribution.display().to_string(),
        },
    };
    match sink.format {
        Format::Json => sink.json(&report)?,
        Format::Ndjson => sink.ndjson(&report)?,
        Format::Csv => sink.csv(
            &[
                "code", "strength", "before", "after", "fitted", "dprk", "legit",
            ],
            cal.weights.iter().map(|w| {
                vec![
                    w.code.clone(),
                    w.strength.to_owned(),
                    format!("{:.2}", w.before),
                    format!("{:.2}", w.after),
                    w.fitted.to_string(),
                    w.dprk.to_string(),
                    w.legit.to_string(),
                ]
            }),
        )?,
        Format::Table => {
            let terminal = sink.terminal;
            write_table(&mut sink, &report, terminal)?;
        }
    }
    sink.finish()?;
    ui::note(&format!(
        "Nothing was applied. Review {} and the charts; to adopt it, pass --policy {} to scan and explain.",
        files.policy.display(),
        files.policy.display()
    ));
    Ok(ui::Outcome::Done)
}

fn policy_name(args: &CalibrateArgs) -> String {
    args.policy.as_ref().map_or_else(
        || "the built-in policy".to_owned(),
        |p| p.display().to_string(),
    )
}

/// A few ids for a message, with where they were read: "c-1 (line 3), c-2 (line 9) and 9
/// more".
fn some_ids(labels: &[&Label]) -> String {
    const SHOWN: usize = 5;
    let mut text = labels
        .iter()
        .take(SHOWN)
        .map(|l| format!("{} ({})", output::clean(l.subject.as_str()), l.origin))
        .collect::<Vec<_>>()
        .join(", ");
    if labels.len() > SHOWN {
        text.push_str(&format!(" and {} more", labels.len() - SHOWN));
    }
    text
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    let mut file = output::create_private(path)?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |x| format!("{:.0}%", 100.0 * x))
}

/// The report in words: what was fitted, how well the scores separate before and after,
/// and every weight.
fn write_table(out: &mut Sink, r: &Report<'_>, terminal: bool) -> Result<()> {
    let cal = r.calibration;
    let fitted = cal.weights.iter().filter(|w| w.fitted).count();
    writeln!(
        out,
        "Calibrated on {} labelled subjects ({} dprk, {} legit) from {}, with their latest assessments in {}.",
        cal.dprk + cal.legit,
        cal.dprk,
        cal.legit,
        output::clean(&r.labels.file),
        output::clean(&r.database)
    )?;
    // At the weakest regularisation tried, cross-validation says the labels are
    // separated so well that restraint only costs: worth knowing before trusting large
    // weights.
    let edge = if redflag_calibrate::LAMBDAS.last() == Some(&cal.lambda) {
        " (the weakest tried: these labels are separated almost perfectly)"
    } else {
        ""
    };
    writeln!(
        out,
        "Fitted: the starting score and {fitted} signal weights, by logistic regression with weights kept at 0 or more; regularisation {}{edge} chosen by {}-fold cross-validation.\n",
        cal.lambda, cal.folds
    )?;
    let auc = |a: Option<f64>| a.map_or_else(|| "-".to_owned(), |a| format!("{a:.3}"));
    let mut rows = vec![vec![
        "AUC (1 is perfect, 0.5 a coin toss)".to_owned(),
        auc(cal.before.auc),
        auc(cal.after.auc),
    ]];
    for band in [Band::Medium, Band::High, Band::Critical] {
        if let (Some(b), Some(a)) = (cal.before.at(band), cal.after.at(band)) {
            let cell = |t: &redflag_calibrate::metrics::AtThreshold| {
                format!(
                    "{} flagged, {} dprk: precision {}, recall {}",
                    t.flagged,
                    t.dprk_flagged,
                    percent(t.precision),
                    percent(Some(t.recall))
                )
            };
            rows.push(vec![
                format!("at {band} (score {} or more)", b.threshold),
                cell(b),
                cell(a),
            ]);
        }
    }
    let table = output::table(
        &[
            "",
            "before: the current policy",
            "after: the proposed policy",
        ],
        rows.into_iter(),
        terminal,
    );
    writeln!(out, "{table}")?;
    writeln!(
        out,
        "\"after\" scores each subject with weights fitted without it ({}-fold cross-validation), so the fit does not flatter itself. Precision: the share of the flagged who are dprk; recall: the share of the dprk who are flagged.\n",
        cal.folds
    )?;
    let start = |prior: f64| (100.0 / (1.0 + (-prior).exp())).round();
    writeln!(
        out,
        "Starting score (prior): {:.2} (about {} of 100) → {:.2} (about {} of 100). It follows the share of dprk among the labels ({:.0}%): if your labels over-represent suspects, lower it.\n",
        cal.prior.before,
        start(cal.prior.before),
        cal.prior.after,
        start(cal.prior.after),
        100.0 * cal.dprk as f64 / (cal.dprk + cal.legit).max(1) as f64
    )?;
    let weights = output::table(
        &[
            "signal",
            "strength",
            "current",
            "proposed",
            "dprk with it",
            "legit with it",
        ],
        cal.weights.iter().map(|w| {
            vec![
                w.code.clone(),
                w.strength.to_owned(),
                format!("{:.2}", w.before),
                if w.fitted {
                    format!("{:.2}", w.after)
                } else {
                    format!("{:.2} (kept)", w.after)
                },
                format!("{} of {}", w.dprk, cal.dprk),
                format!("{} of {}", w.legit, cal.legit),
            ]
        }),
        terminal,
    );
    writeln!(out, "{weights}")?;
    let kept = cal.weights.len() - fitted;
    if kept > 0 {
        writeln!(
            out,
            "{} kept as they are: no labelled subject has the signal, so the labels say nothing about it.",
            plural(kept, "weight", "weights")
        )?;
    }
    if !cal.ignored_codes.is_empty() {
        writeln!(
            out,
            "Signals this policy does not know, counted for nothing before and after: {}.",
            output::clean(&cal.ignored_codes.join(", "))
        )?;
    }
    writeln!(
        out,
        "A weight says how much a signal separated these labels, not how serious it is: compare each with its reason in the proposed file before adopting it.\n"
    )?;
    writeln!(
        out,
        "Proposed policy: {}\nCharts: {} (precision and recall), {} (score distribution)",
        output::clean(&r.files.proposed_policy),
        output::clean(&r.files.pr_curve),
        output::clean(&r.files.distribution)
    )?;
    Ok(())
}

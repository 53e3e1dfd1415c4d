//! `redflag explain SUBJECT`: the latest assessment of one person, in words.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use redflag_model::{Assessment, Band, Evidence};
use redflag_store::{SqliteStore, Store};

use crate::output::{self, Format, OutputArgs, Sink, clean};
use crate::ui;

#[derive(Args)]
pub struct ExplainArgs {
    /// The subject's id, as in your records (e.g. c-1042)
    pub subject: String,
    /// The database file written by `redflag scan`
    #[arg(
        long,
        env = "REDFLAG_DB",
        value_name = "FILE",
        default_value = "redflag.db"
    )]
    pub db: PathBuf,
    /// `table` (the default on a terminal) is plain words; `json` and `ndjson` the
    /// assessment object as `scan` writes it; `csv` one row per signal
    #[command(flatten)]
    pub output: OutputArgs,
    /// Exit with code 3 when the subject is rated at or above this band
    #[arg(long, value_name = "BAND", value_parser = crate::cmd::scan::parse_band)]
    pub fail_on: Option<Band>,
}

pub fn run(args: ExplainArgs) -> Result<ui::Outcome> {
    if !args.db.exists() {
        bail!(
            "there is no database at {}; run `redflag scan PATH --db {}` first",
            args.db.display(),
            args.db.display()
        );
    }
    let store = SqliteStore::open(&args.db)?;
    let subject = match args.subject.parse() {
        Ok(s) => s,
        Err(e) => bail!("{e}"),
    };
    let Some(assessment) = store.latest_assessment(&subject)? else {
        bail!(
            "no assessment of {:?} in {}; check the id (it is your own id for the person, as in the records), or scan the records that mention them",
            args.subject,
            args.db.display()
        );
    };
    // Plain words even when piped (into `less`, a ticket); a program asks for JSON.
    let mut sink = Sink::open(
        &args.output,
        Format::Table,
        &output::database_files(&args.db),
    )?;
    match sink.format {
        Format::Json => sink.json(&assessment)?,
        Format::Ndjson => sink.ndjson(&assessment)?,
        Format::Csv => sink.csv(
            &[
                "subject",
                "code",
                "advisory",
                "weight",
                "confidence",
                "summary",
                "evidence",
            ],
            assessment.signals.iter().map(|s| {
                vec![
                    assessment.subject.to_string(),
                    s.code.clone(),
                    s.advisory.to_string(),
                    format!("{:.3}", s.weight),
                    format!("{:.3}", s.confidence),
                    s.summary.clone(),
                    s.evidence
                        .iter()
                        .map(evidence_line)
                        .collect::<Vec<_>>()
                        .join("; "),
                ]
            }),
        )?,
        Format::Table => {
            let history = store.assessment_history(&subject)?;
            write_text(&mut sink, &assessment)?;
            if history.len() > 1 {
                writeln!(sink, "\nScore history")?;
                for h in history.iter().rev().take(10) {
                    writeln!(
                        sink,
                        "  {}  {:>3}  {}",
                        h.assessed_at.strftime("%Y-%m-%d %H:%M UTC"),
                        h.score,
                        h.band
                    )?;
                }
            }
        }
    }
    sink.finish()?;
    Ok(ui::outcome(args.fail_on, [assessment.band]))
}

/// The assessment in plain words.
pub fn write_text(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    match &a.name {
        Some(name) => writeln!(
            out,
            "{} ({}): score {} of 100, {} risk",
            clean(name),
            clean(a.subject.as_str()),
            a.score,
            a.band
        )?,
        None => writeln!(
            out,
            "{}: score {} of 100, {} risk",
            clean(a.subject.as_str()),
            a.score,
            a.band
        )?,
    }
    writeln!(
        out,
        "assessed {}{}",
        a.assessed_at.strftime("%Y-%m-%d %H:%M UTC"),
        a.as_of
            .map(|t| format!(
                ", on the records up to {}",
                t.strftime("%Y-%m-%d %H:%M UTC")
            ))
            .unwrap_or_default()
    )?;
    let ids = &a.identities;
    if ids.organisation {
        writeln!(
            out,
            "\nAn organisation paid, not a person: screened against the sanctions lists only."
        )?;
    }
    if let Some(unmatched) = &ids.unmatched {
        writeln!(out, "\nUnmatched: {}", clean(unmatched))?;
    }
    if !ids.merged.is_empty() {
        writeln!(
            out,
            "\nRecords filed under other ids, merged into this subject"
        )?;
        for m in &ids.merged {
            writeln!(out, "  {}: {}", clean(m.subject.as_str()), clean(&m.why))?;
        }
    }
    if a.signals.is_empty() {
        writeln!(out, "\nNo red flags were found in the records.")?;
    } else {
        writeln!(out, "\nWhy")?;
        for (i, s) in a.signals.iter().enumerate() {
            writeln!(
                out,
                "{:>3}. {} — {}",
                i + 1,
                clean(&s.summary),
                s.advisory.title()
            )?;
            writeln!(
                out,
                "     [{} · {} · counts {:.2} = weight {:.1} × confidence {:.2}]",
                s.advisory,
                s.code,
                s.weight * s.confidence,
                s.weight,
                s.confidence
            )?;
            for e in s.evidence.iter().take(6) {
                writeln!(out, "     • {}", clean(&evidence_line(e)))?;
            }
            if s.evidence.len() > 6 {
                writeln!(
                    out,
                    "     • … {} more records (use --format json)",
                    s.evidence.len() - 6
                )?;
            }
        }
    }
    if !a.sanctions.is_empty() {
        writeln!(out, "\nSanctions matches")?;
        for h in &a.sanctions {
            writeln!(
                out,
                "  [{}] {} {} \"{}\" matched \"{}\" ({:.3}): {}",
                h.status,
                h.list,
                h.entity_id,
                clean(&h.name),
                clean(&h.matched_name),
                h.score,
                clean(&h.why)
            )?;
        }
    }
    if !a.linked_subjects.is_empty() {
        writeln!(out, "\nLinked subjects")?;
        for l in &a.linked_subjects {
            writeln!(
                out,
                "  {} through {}",
                clean(l.subject.as_str()),
                clean(&l.via.join(", "))
            )?;
        }
    }
    if !a.actions.is_empty() {
        writeln!(out, "\nWhat to do next")?;
        for act in &a.actions {
            writeln!(out, "  [{}] {}", act.advisory, act.text)?;
        }
    }
    Ok(())
}

fn evidence_line(e: &Evidence) -> String {
    let mut line = e.kind.to_string();
    if let Some(id) = &e.id {
        line.push(' ');
        line.push_str(id);
    }
    if let Some(at) = e.at {
        line.push_str(&format!(" at {}", at.strftime("%Y-%m-%d %H:%M UTC")));
    }
    let details: Vec<String> = e
        .details
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("{k}: {s}"),
            other => format!("{k}: {other}"),
        })
        .collect();
    if !details.is_empty() {
        line.push_str(&format!(" ({})", details.join(", ")));
    }
    line
}

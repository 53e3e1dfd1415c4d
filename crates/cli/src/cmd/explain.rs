//! `redflag explain SUBJECT`: the latest assessment of one person, in words.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use redflag_model::{Assessment, Evidence};
use redflag_store::{SqliteStore, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Plain words for people
    Text,
    /// The assessment object, as `scan --format json` writes it
    Json,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The subject's id, as in your records (e.g. c-1042)
    pub subject: String,
    /// The database file written by `redflag scan`
    #[arg(long, value_name = "FILE", default_value = "redflag.db")]
    pub db: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExplainFormat,
}

pub fn run(args: ExplainArgs) -> Result<()> {
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
    let mut out = std::io::stdout().lock();
    match args.format {
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &assessment)?;
            writeln!(out)?;
        }
        ExplainFormat::Text => {
            let history = store.assessment_history(&subject)?;
            write_text(&mut out, &assessment)?;
            if history.len() > 1 {
                writeln!(out, "\nScore history")?;
                for h in history.iter().rev().take(10) {
                    writeln!(
                        out,
                        "  {}  {:>3}  {}",
                        h.assessed_at.strftime("%Y-%m-%d %H:%M UTC"),
                        h.score,
                        h.band
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// The assessment in plain words.
pub fn write_text(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    writeln!(
        out,
        "{}: score {} of 100, {} risk",
        a.subject, a.score, a.band
    )?;
    writeln!(
        out,
        "assessed {}",
        a.assessed_at.strftime("%Y-%m-%d %H:%M UTC")
    )?;
    if a.signals.is_empty() {
        writeln!(out, "\nNo red flags were found in the records.")?;
    } else {
        writeln!(out, "\nWhy")?;
        for (i, s) in a.signals.iter().enumerate() {
            writeln!(out, "{:>3}. {} — {}", i + 1, s.summary, s.advisory.title())?;
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
                writeln!(out, "     • {}", evidence_line(e))?;
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
                "  {} {} \"{}\" matched \"{}\" ({:.2}): {}",
                h.list, h.entity_id, h.name, h.matched_name, h.score, h.why
            )?;
        }
    }
    if !a.linked_subjects.is_empty() {
        writeln!(out, "\nLinked subjects")?;
        for l in &a.linked_subjects {
            writeln!(out, "  {} through {}", l.subject, l.via.join(", "))?;
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

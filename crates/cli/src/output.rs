//! Writing assessments: a ranked table for people, JSON and NDJSON for programs.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use redflag_engine::Engine;
use redflag_model::{Assessment, Band};

pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

pub fn ndjson(out: &mut dyn Write, assessments: &[Assessment]) -> Result<()> {
    for a in assessments {
        serde_json::to_writer(&mut *out, a)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

pub fn json(out: &mut dyn Write, assessments: &[Assessment]) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, assessments)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn band_color(band: Band) -> Color {
    match band {
        Band::Critical => Color::Red,
        Band::High => Color::DarkYellow,
        Band::Medium => Color::Yellow,
        Band::Low => Color::Green,
    }
}

/// The ranked table. Without `top`, everyone at medium or above is shown (at least ten
/// rows), and a closing line counts the rest.
pub fn table(
    out: &mut dyn Write,
    assessments: &[Assessment],
    engine: &Engine,
    top: Option<usize>,
    color: bool,
) -> Result<()> {
    let shown = top.unwrap_or_else(|| {
        assessments
            .iter()
            .filter(|a| a.band >= Band::Medium)
            .count()
            .max(10)
    });
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["#", "Subject", "Name", "Score", "Band", "Top reasons"]);
    if !color {
        table.force_no_tty();
    }
    if !std::io::stdout().is_terminal() {
        // On a terminal comfy-table fits the screen; elsewhere keep lines readable.
        table.set_width(160);
    }
    for (rank, a) in assessments.iter().take(shown).enumerate() {
        let name = engine
            .state(a.subject.as_str())
            .and_then(|s| s.display_name())
            .unwrap_or("");
        let reasons = if a.signals.is_empty() {
            "no red flags found".to_owned()
        } else {
            let mut lines: Vec<String> = a
                .signals
                .iter()
                .take(3)
                .map(|s| format!("{} {}", s.advisory, s.summary))
                .collect();
            if a.signals.len() > 3 {
                lines.push(format!(
                    "… and {} more (redflag explain {})",
                    a.signals.len() - 3,
                    a.subject
                ));
            }
            lines.join("\n")
        };
        let mut band = Cell::new(a.band.as_str());
        if color {
            band = band.fg(band_color(a.band));
        }
        table.add_row(vec![
            Cell::new(rank + 1),
            Cell::new(a.subject.as_str()),
            Cell::new(name),
            Cell::new(a.score),
            band,
            Cell::new(reasons),
        ]);
    }
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

//! `redflag bench`: measures `scan` end to end (parse, store durably in SQLite, assess)
//! on synthetic populations, and the peak memory it needs. Figures, not pass/fail: the
//! targets live in the README and the closing notes.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context as _, Result};
use clap::Args;
use redflag_synth::Config;

use crate::Global;
use crate::cmd::scan::{self, ScanOptions};

#[derive(Args)]
pub struct BenchArgs {
    /// People in the population
    #[arg(long, default_value_t = 1000)]
    pub subjects: usize,
    /// Average records per person (1,000 × 200 = 200,000 records)
    #[arg(long, default_value_t = 200)]
    pub records_per_subject: usize,
    /// Only the population above; by default a second run with a quarter of the records
    /// shows how memory grows with records, and a third with four times the people shows
    /// how it grows with people
    #[arg(long)]
    pub single: bool,
    /// Leave out the header line (used when bench runs itself once per population)
    #[arg(long, hide = true)]
    pub no_header: bool,
}

pub fn run(global: &Global, args: BenchArgs) -> Result<()> {
    let mut runs = vec![(args.subjects, args.records_per_subject)];
    if !args.single {
        runs.push((args.subjects, (args.records_per_subject / 4).max(1)));
        runs.push((args.subjects * 4, (args.records_per_subject / 4).max(1)));
    }
    println!(
        "{:>9} {:>11} {:>9} {:>10} {:>13} {:>14}",
        "subjects", "records", "MB", "seconds", "records/s", "peak RSS (MB)"
    );
    for (subjects, per_subject) in runs {
        let dir = tempfile::tempdir().context("cannot create a temporary folder")?;
        let data = dir.path().join("records");
        let config = Config {
            subjects,
            records_per_subject: per_subject,
            anchor: "2026-04-01T00:00:00Z".parse()?,
            ..Config::default()
        };
        let (_, records) = redflag_synth::write_dir(&config, &data)?;
        let bytes = folder_bytes(&data);
        let opts = ScanOptions {
            db: dir.path().join("bench.db"),
            format: None,
            output: None,
            skip_invalid: false,
            skip_unknown: false,
            csv_map: None,
            policy: None,
            as_of: Some("2026-04-01T00:00:00Z".into()),
            top: None,
        };
        reset_peak_rss();
        let started = Instant::now();
        let outcome = scan::scan(global, std::slice::from_ref(&data), &opts)?;
        let seconds = started.elapsed().as_secs_f64();
        let peak = peak_rss_mb();
        println!(
            "{:>9} {:>11} {:>9.1} {:>10.2} {:>13.0} {:>14}",
            subjects,
            records,
            bytes as f64 / 1e6,
            seconds,
            outcome.report.records_read as f64 / seconds,
            peak.map(|p| format!("{p:.1}"))
                .unwrap_or_else(|| "n/a".into())
        );
    }
    Ok(())
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Linux resets the peak-RSS counter when 5 is written to clear_refs.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

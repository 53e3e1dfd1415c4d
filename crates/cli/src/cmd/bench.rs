//! `redflag bench`: measures `scan` end to end (parse, store durably in SQLite, assess)
//! on synthetic populations and the peak memory it needs; IP lookups; name screening,
//! its speed and its quality on evaluation sets (`eval.rs`); linking the identity graph
//! at a million people (`graph.rs`). Figures, not pass/fail:
//! the targets live in the README and the closing notes.

mod eval;
mod graph;

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context as _, Result};
use clap::{Args, ValueEnum};
use redflag_synth::Config;

use crate::cmd::scan::{self, ScanOptionsArgs};
use crate::{Global, ui};
use redflag_pipeline::DataDir;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BenchTarget {
    /// `scan` end to end on synthetic populations: records/s and peak memory
    Scan,
    /// Memory per subject: scans of 10,000 and 100,000 people (or --subjects N and 10×N)
    /// with few records each, and the growth of peak memory between them
    Memory,
    /// IP lookups on the loaded IP data: lookups/s and memory
    Intel,
    /// Name screening on the loaded sanctions lists: queries/s, latency and memory
    Names,
    /// Name screening quality on the loaded lists: recall on aliases and Korean name
    /// variants built from them, clear rate on ordinary names, over a threshold curve
    Screening,
    /// The identity graph: linking a synthetic population (exact identifiers,
    /// near-duplicate photos and résumés, groups), time per part and peak memory
    /// [default --subjects: 1000000]
    Graph,
}

#[derive(Args)]
pub struct BenchArgs {
    /// What to measure
    #[arg(long, value_enum, default_value = "scan")]
    pub what: BenchTarget,
    /// People in the population [default: 2000; with --what memory, 10000; with --what
    /// graph, 1000000]
    #[arg(long)]
    pub subjects: Option<usize>,
    /// Average records per person (2,000 × 200 = 400,000 records)
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
    /// With `--what names`: also write the indexed names and the queries to DIR
    /// (names.txt, queries.txt) so another tool can be timed on the same work
    #[arg(long, value_name = "DIR")]
    pub export: Option<std::path::PathBuf>,
}

pub fn run(global: &Global, args: BenchArgs) -> Result<ui::Outcome> {
    match args.what {
        BenchTarget::Scan => scan_runs(global, &args),
        BenchTarget::Memory => memory_runs(global, &args),
        BenchTarget::Intel => intel(global),
        BenchTarget::Names => names(global, args.export.as_deref()),
        BenchTarget::Screening => screening(global),
        BenchTarget::Graph => graph::run(args.subjects.unwrap_or(1_000_000)),
    }?;
    Ok(ui::Outcome::Done)
}

/// Runs `redflag bench --single` in a fresh process for each population: memory one run
/// freed stays with the allocator and would be counted in the next run's peak.
fn run_child(global: &Global, subjects: usize, per_subject: usize) -> Result<()> {
    let exe = std::env::current_exe()
        .context("cannot find the redflag executable to run the benchmark")?;
    let mut child = std::process::Command::new(&exe);
    if let Some(dir) = &global.data_dir {
        child.arg("--data-dir").arg(dir);
    }
    let status = child
        .args(["--quiet", "bench", "--single", "--no-header", "--subjects"])
        .arg(subjects.to_string())
        .args(["--records-per-subject", &per_subject.to_string()])
        .status()
        .context("cannot run the benchmark")?;
    anyhow::ensure!(
        status.success(),
        "the benchmark of {subjects} subjects failed"
    );
    Ok(())
}

fn header() -> Result<()> {
    writeln!(
        std::io::stdout(),
        "{:>9} {:>11} {:>9} {:>10} {:>13} {:>14} {:>14}",
        "subjects",
        "records",
        "MB",
        "seconds",
        "records/s",
        "peak RSS (MB)",
        "KB/subject"
    )?;
    Ok(())
}

/// Memory per subject, from the growth of peak memory between a small and a large
/// population with the same records per person (fixed costs cancel out).
fn memory_runs(global: &Global, args: &BenchArgs) -> Result<()> {
    let small = args.subjects.unwrap_or(10_000);
    let per_subject = if args.records_per_subject == 200 {
        20
    } else {
        args.records_per_subject
    };
    if args.single {
        return measure_scan(global, small, per_subject).map(|_| ());
    }
    header()?;
    for subjects in [small, small * 10] {
        run_child(global, subjects, per_subject)?;
    }
    writeln!(
        std::io::stdout(),
        "KB/subject is peak memory over the population; the growth between the two runs, divided by the {} extra people, is the cost of one more person",
        small * 9
    )?;
    Ok(())
}

fn scan_runs(global: &Global, args: &BenchArgs) -> Result<()> {
    let subjects = args.subjects.unwrap_or(2000);
    if !args.no_header {
        header()?;
    }
    if args.single {
        return measure_scan(global, subjects, args.records_per_subject).map(|_| ());
    }
    let quarter = (args.records_per_subject / 4).max(1);
    for (subjects, per_subject) in [
        (subjects, args.records_per_subject),
        (subjects, quarter),
        (subjects * 4, quarter),
    ] {
        run_child(global, subjects, per_subject)?;
    }
    Ok(())
}

fn measure_scan(global: &Global, subjects: usize, per_subject: usize) -> Result<f64> {
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
    let opts = ScanOptionsArgs {
        database: super::DbArg {
            db: dir.path().join("bench.db").into(),
        },
        output: Default::default(),
        skip_invalid: false,
        skip_unknown: false,
        csv_map: None,
        policy: None,
        as_of: None,
        top: None,
        fail_on: None,
    };
    let inputs = redflag_ingest::input_files(std::slice::from_ref(&data))?;
    reset_peak_rss();
    let started = Instant::now();
    let outcome = scan::scan(global, inputs, "bench", &opts)?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_rss_mb();
    writeln!(
        std::io::stdout(),
        "{:>9} {:>11} {:>9.1} {:>10.2} {:>13.0} {:>14} {:>14}",
        subjects,
        records,
        bytes as f64 / 1e6,
        seconds,
        outcome.report.records_read as f64 / seconds,
        peak.map(|p| format!("{p:.1}"))
            .unwrap_or_else(|| "n/a".into()),
        peak.map(|p| format!("{:.2}", p * 1024.0 / subjects as f64))
            .unwrap_or_else(|| "n/a".into())
    )?;
    Ok(seconds)
}

fn intel(global: &Global) -> Result<()> {
    let data = DataDir::resolve(global.data_dir.as_deref());
    let (intel, load) = redflag_intel::load_measured(&data.intel_dir()).with_context(
        || "IP data is needed: run `redflag intel update` or `redflag intel import FILE...` first",
    )?;
    let figures = redflag_intel::bench_lookups(&intel, 5_000_000);
    writeln!(
        std::io::stdout(),
        "IP intelligence: {}",
        data.intel_dir().display()
    )?;
    writeln!(
        std::io::stdout(),
        "  load                 {:.0} ms",
        load.seconds * 1000.0
    )?;
    writeln!(
        std::io::stdout(),
        "  IPv4 lookups         {:.1} million/s (one core)",
        figures.lookups_per_sec / 1e6
    )?;
    writeln!(
        std::io::stdout(),
        "  IPv6 lookups         {:.1} million/s (one core)",
        figures.ipv6_lookups_per_sec / 1e6
    )?;
    writeln!(
        std::io::stdout(),
        "  index in memory      {:.1} MB",
        figures.index_heap_bytes as f64 / 1e6
    )?;
    if let (Some(before), Some(after)) = (load.rss_before_bytes, load.rss_after_bytes) {
        writeln!(
            std::io::stdout(),
            "  resident memory      {:.1} MB after loading (+{:.1} MB)",
            after as f64 / 1e6,
            after.saturating_sub(before) as f64 / 1e6
        )?;
    }
    Ok(())
}

fn screening(global: &Global) -> Result<()> {
    let data = DataDir::resolve(global.data_dir.as_deref());
    let lists = redflag_watchlist::load(&data.path)
        .with_context(|| "sanctions lists are needed: run `redflag lists update` or `redflag lists import FILE...` first")?;
    let entities = lists.entities.clone();
    let screener = redflag_watchlist::Screener::new(lists);
    eval::run(&mut std::io::stdout().lock(), &screener, &entities)
}

fn names(global: &Global, export: Option<&Path>) -> Result<()> {
    let data = DataDir::resolve(global.data_dir.as_deref());
    let lists = redflag_watchlist::load(&data.path)
        .with_context(|| "sanctions lists are needed: run `redflag lists update` or `redflag lists import FILE...` first")?;
    let names: Vec<String> = lists
        .entities
        .iter()
        .flat_map(|e| e.names().map(str::to_owned))
        .collect();
    let before = rss_mb();
    let started = Instant::now();
    let mut builder = redflag_names::NameIndex::builder();
    for (i, name) in names.iter().enumerate() {
        builder.add(name, redflag_names::NameKind::Unknown, i);
    }
    let index = builder.build();
    let build = started.elapsed().as_secs_f64();
    let after = rss_mb();
    // Queries as a person would type them: every third listed name, lower case, with the
    // first word moved to the end (surname last), plus ordinary names that should miss.
    let mut queries: Vec<String> = names
        .iter()
        .step_by(3)
        .map(|n| {
            let lower = n.to_lowercase().replace(',', " ");
            let mut words: Vec<&str> = lower.split_whitespace().collect();
            if words.len() > 1 {
                words.rotate_left(1);
            }
            words.join(" ")
        })
        .collect();
    for given in [
        "james", "maria", "wei", "olena", "jason", "priya", "ahmed", "sofia", "minh", "carlos",
    ] {
        for family in [
            "smith",
            "garcia",
            "wang",
            "kovalenko",
            "park",
            "sharma",
            "hassan",
            "rossi",
            "nguyen",
            "silva",
        ] {
            queries.push(format!("{given} {family}"));
        }
    }
    let figures = redflag_names::bench(&index, &queries);
    writeln!(
        std::io::stdout(),
        "name screening against {} names and aliases ({} lists)",
        names.len(),
        lists.versions.len()
    )?;
    writeln!(std::io::stdout(), "  index build          {:.2} s", build)?;
    writeln!(
        std::io::stdout(),
        "  index memory         {:.1} MB (estimated); resident +{:.1} MB",
        index.memory_bytes() as f64 / 1e6,
        (after - before).max(0.0)
    )?;
    writeln!(
        std::io::stdout(),
        "  queries              {} in one thread",
        figures.queries
    )?;
    writeln!(
        std::io::stdout(),
        "  throughput           {:.0} queries/s",
        figures.queries_per_sec
    )?;
    writeln!(
        std::io::stdout(),
        "  latency              p50 {:.0} µs, p99 {:.0} µs",
        figures.p50_us,
        figures.p99_us
    )?;
    if let Some(dir) = export {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        std::fs::write(dir.join("names.txt"), names.join("\n"))
            .with_context(|| format!("cannot write to {}", dir.display()))?;
        std::fs::write(dir.join("queries.txt"), queries.join("\n"))
            .with_context(|| format!("cannot write to {}", dir.display()))?;
        writeln!(
            std::io::stdout(),
            "  wrote names.txt and queries.txt to {}",
            dir.display()
        )?;
    }
    Ok(())
}

fn rss_mb() -> f64 {
    redflag_intel::rss_bytes()
        .map(|b| b as f64 / 1e6)
        .unwrap_or(0.0)
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

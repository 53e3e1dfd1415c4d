//! `redflag`: screens freelancers and contractors for the red flags of Canada's July 2025
//! advisory on North Korean IT workers. A thin layer: every command is a call into the
//! library crates.

mod cmd;
mod datadir;
mod output;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "redflag",
    version,
    about = "Screen freelancers and contractors for signs of North Korean IT workers",
    long_about = "redflag reads what your organisation knows about the people it hires or pays \
(profiles, interviews, documents, logins, payouts) and checks it against the red flags in \
Canada's July 2025 advisory on North Korean IT workers. Each person gets a score from 0 to 100, \
a band (low, medium, high, critical), the reasons with the records behind them, and the next \
due-diligence step.\n\nStart with `redflag demo` to see it work on a synthetic population, then \
`redflag scan YOUR-FOLDER` on your own records (format: see the record specification).",
    after_help = "Examples:\n  redflag demo\n  redflag scan exports/ --db cases.db\n  redflag scan exports/ --format ndjson --output assessments.ndjson\n  redflag explain c-1042 --db cases.db"
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
pub struct Global {
    /// Where reference data (IP databases, sanctions lists) is kept [default: your
    /// platform's data folder, e.g. ~/.local/share/redflag]
    #[arg(long, global = true, env = "REDFLAG_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Read record files, store them, and assess every person in them
    Scan(Box<cmd::scan::ScanArgs>),
    /// Show why a person got their score: every signal, its evidence, and what to do next
    Explain(cmd::explain::ExplainArgs),
    /// Make a realistic synthetic population (with planted DPRK-style personas) and scan it
    Demo(cmd::demo::DemoArgs),
    /// Check names against the sanctions lists
    Screen(cmd::screen::ScreenArgs),
    /// Load and inspect the sanctions lists (OFAC, UN, Canada, OpenSanctions)
    Lists(cmd::lists::ListsArgs),
    /// Load, inspect and query IP intelligence (country, ASN, network class)
    Intel(cmd::intel::IntelArgs),
    /// Measure speed and memory: scans of synthetic populations, IP lookups
    Bench(cmd::bench::BenchArgs),
    /// Print the default scoring policy (weights, bands, thresholds) to copy and edit
    Policy,
}

/// How results are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A ranked table for people (the default on a terminal)
    Table,
    /// One JSON array of assessments
    Json,
    /// One assessment object per line (the default when output is piped or saved)
    Ndjson,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("REDFLAG_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => cmd::scan::run(&cli.global, *args),
        Command::Explain(args) => cmd::explain::run(args),
        Command::Demo(args) => cmd::demo::run(&cli.global, args),
        Command::Screen(args) => cmd::screen::run(&cli.global, args),
        Command::Lists(args) => cmd::lists::run(&cli.global, args),
        Command::Intel(args) => cmd::intel::run(&cli.global, args),
        Command::Bench(args) => cmd::bench::run(&cli.global, args),
        Command::Policy => {
            print!("{}", redflag_detect::DEFAULT_POLICY_TOML);
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  because: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

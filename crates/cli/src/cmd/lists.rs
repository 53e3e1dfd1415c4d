//! `redflag lists`: load and inspect the sanctions lists that names, wallets, e-mails
//! and phone numbers are screened against.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand};
use redflag_watchlist::{
    ImportOptions, ListId, ListVersion, ParseReport, UpdateConfig, UpdateEvent,
};

use redflag_pipeline::DataDir;

use crate::output::{Format, OutputArgs, Sink};
use crate::{Global, progress, ui};

#[derive(Args)]
pub struct ListsArgs {
    #[command(subcommand)]
    pub command: ListsCommand,
    /// A policy file whose `lists_max_shrink` and `lists_max_age_days` to use (see
    /// `redflag policy`)
    #[arg(long, value_name = "FILE", global = true)]
    pub policy: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum ListsCommand {
    /// Download the official lists (OFAC SDN, UN Security Council, Canada SEMA) from
    /// their publishers and load them
    Update {
        /// Download a list from another address: `ofac=URL[,URL…]` (the four OFAC CSV
        /// files, SDN first), `un=URL`, `canada=URL`. Repeatable.
        #[arg(long = "source", value_name = "LIST=URL")]
        sources: Vec<String>,
        /// Replace a list even when the new version lost more of its entities than the
        /// policy's `lists_max_shrink` allows
        #[arg(long)]
        force: bool,
    },
    /// Load lists from files: OFAC sdn.csv (with alt.csv, add.csv, sdn_comments.csv, or
    /// their folder), SDN.XML, the UN consolidated.xml, Canada's sema-lmes.xml, or
    /// OpenSanctions FollowTheMoney .jsonl
    Import {
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        /// Replace a list even when the new version lost more of its entities than the
        /// policy's `lists_max_shrink` allows
        #[arg(long)]
        force: bool,
    },
    /// Show each list's publication date, entity count and when it was loaded
    Status {
        #[command(flatten)]
        output: OutputArgs,
    },
}

pub fn run(global: &Global, args: ListsArgs) -> Result<ui::Outcome> {
    run_command(global, args)?;
    Ok(ui::Outcome::Done)
}

fn run_command(global: &Global, args: ListsArgs) -> Result<()> {
    // The list store keeps its files in a `lists` folder of the data directory.
    let dir = DataDir::resolve(global.data_dir.as_deref()).path;
    let policy = redflag_pipeline::load_policy(args.policy.as_deref())?;
    let guard = |force: bool| ImportOptions {
        max_shrink: (!force).then_some(policy.thresholds.lists_max_shrink),
    };
    match args.command {
        ListsCommand::Update { sources, force } => {
            update(&mut std::io::stdout().lock(), &dir, &sources, guard(force))
        }
        ListsCommand::Import { files, force } => {
            let mut out = std::io::stdout().lock();
            let bar = progress::spinner("importing");
            let imported = redflag_watchlist::import(&files, &dir, &guard(force));
            bar.finish_and_clear();
            for (version, report) in imported? {
                write_imported(&mut out, &version, &report)?;
            }
            writeln!(out, "lists ready in {}", dir.join("lists").display())?;
            Ok(())
        }
        ListsCommand::Status { output } => Sink::write(&output, Format::Json, |sink| {
            status(sink, &dir, policy.thresholds.lists_max_age_days)
        }),
    }
}

fn update(
    out: &mut dyn Write,
    dir: &Path,
    sources: &[String],
    import: ImportOptions,
) -> Result<()> {
    let mut config = UpdateConfig {
        import,
        ..UpdateConfig::default()
    };
    for source in sources {
        let Some((name, urls)) = source.split_once('=') else {
            bail!(
                "--source {source:?}: expected LIST=URL, e.g. un=https://example.org/consolidated.xml"
            );
        };
        let list = match name.to_ascii_lowercase().as_str() {
            "ofac" | "ofac-sdn" => ListId::OfacSdn,
            "un" => ListId::Un,
            "canada" | "ca" | "ca-sema" => ListId::Canada,
            other => bail!("--source {other}=…: the list must be ofac, un or canada"),
        };
        let urls: Vec<String> = urls
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect();
        match config.sources.iter_mut().find(|s| s.list == list) {
            Some(s) => s.urls = urls,
            None => bail!("--source {name}: this list has no default source to replace"),
        }
    }
    let bar = progress::spinner("downloading");
    let outcome = redflag_watchlist::update(&config, dir, &mut |event| match event {
        UpdateEvent::Downloading { url } => bar.set_message(format!("downloading {url}")),
        UpdateEvent::Downloaded { .. } | UpdateEvent::Imported { .. } => {}
    });
    bar.finish_and_clear();
    let outcome = outcome?;
    for (version, report) in &outcome.imported {
        write_imported(out, version, report)?;
    }
    for e in &outcome.failed {
        writeln!(out, "not updated: {e}")?;
    }
    if outcome.imported.is_empty() {
        bail!("no list could be updated; load local copies with `redflag lists import FILE...`");
    }
    Ok(())
}

fn write_imported(out: &mut dyn Write, v: &ListVersion, report: &ParseReport) -> Result<()> {
    writeln!(
        out,
        "{}: {} entities, published {}, from {}",
        v.list,
        v.entity_count,
        v.published.as_deref().unwrap_or("(no date given)"),
        v.source
    )?;
    if report.orphan_count > 0 {
        writeln!(
            out,
            "  {} rows refer to entities this file does not hold (the files are of different dates), e.g. {}",
            report.orphan_count,
            report.orphans.first().map(String::as_str).unwrap_or("")
        )?;
    }
    if report.warning_count > 0 {
        writeln!(
            out,
            "  {} warnings, e.g. {}",
            report.warning_count,
            report.warnings.first().map(String::as_str).unwrap_or("")
        )?;
    }
    Ok(())
}

fn status(out: &mut Sink, dir: &Path, max_age_days: u32) -> Result<()> {
    let versions = redflag_watchlist::status(dir)
        .with_context(|| format!("no sanctions lists in {}", dir.display()))?;
    for warning in redflag_watchlist::stale(&versions, max_age_days, jiff::Timestamp::now()) {
        ui::note(&format!("warning: {warning}"));
    }
    out.items(
        &versions,
        &["List", "Entities", "Published", "Loaded", "Source"],
        |v| {
            vec![
                v.list.to_string(),
                v.entity_count.to_string(),
                v.published
                    .clone()
                    .unwrap_or_else(|| "undated (the file states no date)".into()),
                v.loaded_at.clone(),
                v.source.clone(),
            ]
        },
    )
}

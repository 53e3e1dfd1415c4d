//! `redflag screen`: check names (with date of birth, country and type where known)
//! against the loaded sanctions lists, one at a time or a file at a time.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use redflag_watchlist::{NameKind, NameQuery, Screener};
use serde::Serialize;

use crate::Global;
use crate::datadir::DataDir;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PartyType {
    Person,
    Organization,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScreenFormat {
    /// Readable lines (the default on a terminal)
    Table,
    /// One JSON array of results
    Json,
    /// One result object per line, in input order (the default when piped)
    Ndjson,
}

#[derive(Args)]
#[command(
    after_help = "Examples:\n  redflag screen \"Park Jin Hyok\"\n  redflag screen \"Kim Jong Hoon\" --dob 1994-05-12 --country KR\n  redflag screen --file candidates.csv --format ndjson"
)]
pub struct ScreenArgs {
    /// The name to screen, in any script (박진혁 works too)
    #[arg(
        value_name = "NAME",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub name: Option<String>,
    /// Date of birth: YYYY-MM-DD, YYYY-MM or YYYY
    #[arg(long, value_name = "DATE")]
    pub dob: Option<String>,
    /// Nationality or country of residence (ISO code such as KR)
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Whether the name is a person's or an organisation's
    #[arg(long = "type", value_enum)]
    pub party_type: Option<PartyType>,
    /// Screen every name in FILE: one name per line, or a CSV whose header names a
    /// `name` column and optionally `dob`, `country`, `type`
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Report candidates scoring at least this (0–1) [default: the policy's
    /// `sanctions_threshold`, 0.9 unless you changed it]
    #[arg(long)]
    pub threshold: Option<f64>,
    /// A policy file whose `sanctions_threshold` to use (see `redflag policy`)
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    #[arg(long, value_enum)]
    pub format: Option<ScreenFormat>,
}

/// One line of input.
struct Query {
    name: String,
    dob: Option<String>,
    country: Option<String>,
    kind: NameKind,
}

#[derive(Serialize)]
struct HitOut {
    list: String,
    entity_id: String,
    name: String,
    matched_name: String,
    score: f64,
    why: String,
}

#[derive(Serialize)]
struct ResultOut {
    query: String,
    hits: Vec<HitOut>,
}

fn kind_of(t: Option<PartyType>) -> NameKind {
    match t {
        Some(PartyType::Person) => NameKind::Person,
        Some(PartyType::Organization) => NameKind::Organization,
        None => NameKind::Unknown,
    }
}

pub fn run(global: &Global, args: ScreenArgs) -> Result<()> {
    let threshold = match args.threshold {
        Some(t) => t,
        None => {
            crate::cmd::scan::load_policy(args.policy.as_deref())?
                .thresholds
                .sanctions_threshold
        }
    };
    if !(0.0..=1.0).contains(&threshold) {
        bail!("the threshold must be between 0 and 1 (it is {threshold})");
    }
    let queries = match &args.file {
        Some(file) => read_queries(file)?,
        None => vec![Query {
            name: args.name.clone().unwrap_or_default(),
            dob: args.dob.clone(),
            country: args.country.clone(),
            kind: kind_of(args.party_type),
        }],
    };
    let data = DataDir::resolve(global.data_dir.as_deref());
    let Some(screener) = data.load_screener()? else {
        bail!(
            "no sanctions lists are loaded in {}; run `redflag lists update` to download them, or `redflag lists import FILE...` to load local copies",
            data.lists_dir().display()
        );
    };
    let results: Vec<ResultOut> = queries
        .iter()
        .map(|q| screen(&screener, q, threshold))
        .collect();
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        ScreenFormat::Table
    } else {
        ScreenFormat::Ndjson
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        ScreenFormat::Ndjson => {
            for r in &results {
                serde_json::to_writer(&mut out, r)?;
                writeln!(out)?;
            }
        }
        ScreenFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &results)?;
            writeln!(out)?;
        }
        ScreenFormat::Table => {
            for r in &results {
                if r.hits.is_empty() {
                    writeln!(out, "{}: no match at or above {:.2}", r.query, threshold)?;
                }
                for h in &r.hits {
                    writeln!(
                        out,
                        "{}: {:.2} {} {} \"{}\" (matched \"{}\")",
                        r.query, h.score, h.list, h.entity_id, h.name, h.matched_name
                    )?;
                    writeln!(out, "    {}", h.why)?;
                }
            }
            let versions: Vec<String> = screener
                .versions()
                .iter()
                .map(|v| {
                    format!(
                        "{} {}",
                        v.list,
                        v.published.as_deref().unwrap_or("(undated)")
                    )
                })
                .collect();
            writeln!(out, "screened against {}", versions.join(", "))?;
        }
    }
    out.flush()?;
    Ok(())
}

fn screen(screener: &Screener, q: &Query, threshold: f64) -> ResultOut {
    let countries = q
        .country
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .collect();
    let query = NameQuery {
        name: &q.name,
        date_of_birth: q.dob.as_deref(),
        countries,
        kind: q.kind,
    };
    let hits = screener
        .screen_name(&query, threshold)
        .into_iter()
        .map(|h| HitOut {
            list: h.entity.list.to_string(),
            entity_id: h.entity.id.clone(),
            name: h.entity.primary_name.clone(),
            matched_name: h.matched,
            score: (h.score * 1000.0).round() / 1000.0,
            why: h.why,
        })
        .collect();
    ResultOut {
        query: q.name.clone(),
        hits,
    }
}

/// One name per line, or a CSV with a `name` column.
fn read_queries(file: &Path) -> Result<Vec<Query>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let header: Vec<String> = first
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let is_csv = first.contains(',') && header.iter().any(|h| h == "name");
    if !is_csv {
        return Ok(text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|name| Query {
                name: name.to_owned(),
                dob: None,
                country: None,
                kind: NameKind::Unknown,
            })
            .collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let name_col = col("name").context("the CSV header names no `name` column")?;
    let mut queries = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.with_context(|| format!("{}: line {}", file.display(), i + 2))?;
        let get = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let Some(name) = get(Some(name_col)) else {
            continue;
        };
        let kind = match get(col("type"))
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("person" | "individual") => NameKind::Person,
            Some("organization" | "organisation" | "entity" | "company") => NameKind::Organization,
            None => NameKind::Unknown,
            Some(other) => bail!(
                "{}: line {}: column `type`: {other:?} is neither person nor organization",
                file.display(),
                i + 2
            ),
        };
        queries.push(Query {
            name,
            dob: get(col("dob")),
            country: get(col("country")),
            kind,
        });
    }
    Ok(queries)
}

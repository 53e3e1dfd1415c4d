//! `redflag screen`: check names (with date of birth, country and type where known)
//! against the loaded sanctions lists, one at a time or a file at a time.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use redflag_pipeline::DataDir;
use redflag_watchlist::{NameKind, NameQuery, Screener};
use serde::Serialize;

use crate::output::{Format, OutputArgs, Sink, clean};
use crate::{Global, ui};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PartyType {
    Person,
    Organization,
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
    /// `table` (the default on a terminal) is readable lines; `ndjson` one result per
    /// name, in input order (the default when piped); `json` an array; `csv` one row per
    /// hit
    #[command(flatten)]
    pub output: OutputArgs,
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

pub fn run(global: &Global, args: ScreenArgs) -> Result<ui::Outcome> {
    let threshold = match args.threshold {
        Some(t) => t,
        None => {
            redflag_pipeline::load_policy(args.policy.as_deref())?
                .thresholds
                .sanctions_threshold
        }
    };
    if !(0.0..=1.0).contains(&threshold) {
        bail!("the threshold must be between 0 and 1 (it is {threshold})");
    }
    let data = DataDir::resolve(global.data_dir.as_deref());
    let Some(screener) = data.load_screener()? else {
        bail!(
            "no sanctions lists are loaded in {}; run `redflag lists update` to download them, or `redflag lists import FILE...` to load local copies",
            data.lists_dir().display()
        );
    };
    let protected: Vec<PathBuf> = args.file.iter().cloned().collect();
    let mut sink = Sink::open(&args.output, Format::Ndjson, &protected)?;
    let mut writer = ResultWriter::new(&mut sink, threshold)?;
    match &args.file {
        Some(file) => for_each_query(file, &mut |q| {
            writer.write(&screen(&screener, &q, threshold))
        })?,
        None => writer.write(&screen(
            &screener,
            &Query {
                name: args.name.clone().unwrap_or_default(),
                dob: args.dob.clone(),
                country: args.country.clone(),
                kind: kind_of(args.party_type),
            },
            threshold,
        ))?,
    }
    writer.end(&screener)?;
    sink.finish()?;
    Ok(ui::Outcome::Done)
}

/// Writes each result as soon as it is made, so a file of a million names streams.
struct ResultWriter<'a> {
    sink: &'a mut Sink,
    threshold: f64,
    written: usize,
    hit: usize,
}

impl<'a> ResultWriter<'a> {
    fn new(sink: &'a mut Sink, threshold: f64) -> Result<Self> {
        match sink.format {
            Format::Json => write!(sink, "[")?,
            Format::Csv => writeln!(sink, "query,list,entity_id,name,matched_name,score,why")?,
            Format::Table | Format::Ndjson => {}
        }
        Ok(ResultWriter {
            sink,
            threshold,
            written: 0,
            hit: 0,
        })
    }

    fn write(&mut self, r: &ResultOut) -> Result<()> {
        let out = &mut *self.sink;
        match out.format {
            Format::Ndjson => out.ndjson(r)?,
            Format::Json => {
                if self.written > 0 {
                    write!(out, ",")?;
                }
                writeln!(out)?;
                serde_json::to_writer(&mut *out, r)?;
            }
            Format::Csv => {
                let mut csv = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(&mut *out);
                for h in &r.hits {
                    csv.write_record([
                        r.query.as_str(),
                        &h.list,
                        &h.entity_id,
                        &h.name,
                        &h.matched_name,
                        &format!("{:.3}", h.score),
                        &h.why,
                    ])?;
                }
                csv.flush()?;
            }
            Format::Table => {
                if r.hits.is_empty() {
                    writeln!(
                        out,
                        "{}: no match at or above {:.2}",
                        clean(&r.query),
                        self.threshold
                    )?;
                }
                for h in &r.hits {
                    writeln!(
                        out,
                        "{}: {:.3} {} {} \"{}\" (matched \"{}\")",
                        clean(&r.query),
                        h.score,
                        h.list,
                        h.entity_id,
                        clean(&h.name),
                        clean(&h.matched_name)
                    )?;
                    writeln!(out, "    {}", clean(&h.why))?;
                }
            }
        }
        self.written += 1;
        if !r.hits.is_empty() {
            self.hit += 1;
        }
        Ok(())
    }

    fn end(self, screener: &Screener) -> Result<()> {
        match self.sink.format {
            Format::Json => writeln!(self.sink, "\n]")?,
            Format::Table => {
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
                writeln!(self.sink, "screened against {}", versions.join(", "))?;
            }
            Format::Csv | Format::Ndjson => {}
        }
        if self.written > 1 {
            ui::note(&format!("{} of {} names hit", self.hit, self.written));
        }
        Ok(())
    }
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

/// Calls `f` with each query of the file, reading as it goes: one name per line, or a
/// CSV whose header names a `name` column.
fn for_each_query(file: &Path, f: &mut dyn FnMut(Query) -> Result<()>) -> Result<()> {
    let open = || {
        std::fs::File::open(file)
            .map(std::io::BufReader::new)
            .with_context(|| format!("cannot read {}", file.display()))
    };
    let mut first = String::new();
    open()?
        .read_line(&mut first)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let first = first.trim_start_matches('\u{feff}');
    // A header naming a `name` column, alone or among others, makes it a CSV file.
    let is_csv = first
        .split(',')
        .any(|h| h.trim().eq_ignore_ascii_case("name"));
    if !is_csv {
        for (i, line) in open()?.lines().enumerate() {
            let line = line.with_context(|| format!("{}: line {}", file.display(), i + 1))?;
            let name = line.trim().trim_start_matches('\u{feff}');
            if !name.is_empty() {
                f(Query {
                    name: name.to_owned(),
                    dob: None,
                    country: None,
                    kind: NameKind::Unknown,
                })?;
            }
        }
        return Ok(());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(open()?);
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let name_col = col("name").context("the CSV header names no `name` column")?;
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
                "{}: line {}: column `type`: {:?} is neither person nor organization",
                file.display(),
                i + 2,
                other.chars().take(200).collect::<String>()
            ),
        };
        f(Query {
            name,
            dob: get(col("dob")),
            country: get(col("country")),
            kind,
        })?;
    }
    Ok(())
}

//! `redflag intel`: load, inspect and query the IP intelligence (country, ASN,
//! organisation and network class of an address) that the login and device checks use.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::{ArgAction, Args, Subcommand};
use indicatif::ProgressBar;
use redflag_intel::{DprkLink, IntelError, IpIntel, Manifest, NetworkClass, Stage, dprk_range};

use redflag_pipeline::{COUNTRY_POINTS_FILE, DataDir};

use crate::output::{self, Format, OutputArgs, Sink};
use crate::{Global, progress, ui};

#[derive(Args)]
pub struct IntelArgs {
    #[command(subcommand)]
    pub command: IntelCommand,
}

#[derive(Subcommand)]
pub enum IntelCommand {
    /// Download the current IP databases (ip-location-db, from the npm registry), verify
    /// their checksums and build the index
    Update {
        /// The npm registry (or a mirror of it) to download from
        #[arg(long, env = "REDFLAG_NPM_REGISTRY", value_name = "URL", default_value = redflag_intel::DEFAULT_REGISTRY)]
        registry: String,
    },
    /// Build the index from local copies: ip-location-db tarballs or CSV files, and lists
    /// of Tor, VPN or hosting addresses
    #[command(
        after_help = "Examples:\n  redflag intel import ip-location-db-asn-2.3.2026061719.tgz ip-location-db-geo-whois-asn-country-2.3.2026061719.tgz\n  redflag intel import asn-ipv4.csv asn-ipv6.csv\n  redflag intel import --list vpn vpn-exits.txt --list tor tor-exits.txt"
    )]
    Import {
        /// ip-location-db npm tarballs (.tgz) or CSV files with rows `start,end,country` or
        /// `start,end,asn,organisation`; a table you leave out keeps its current data. A
        /// `country,latitude,longitude,name` table (Google DSPL countries.csv) is kept as
        /// the country reference points for the impossible-travel check, in place of the
        /// built-in ones
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Mark the addresses in FILE (one IP, CIDR block or `AS123` per line, `#`
        /// comments) as CLASS: tor, vpn or hosting. Lists are kept and beat every other
        /// source (tor > vpn > hosting); a list with the same class and file name replaces
        /// the earlier one. Repeatable.
        #[arg(long = "list", num_args = 2, value_names = ["CLASS", "FILE"], action = ArgAction::Append)]
        lists: Vec<String>,
    },
    /// Show the IP intelligence loaded: sources, dates, licences, sizes, user lists and
    /// the country reference points
    Status {
        /// `table` for people (the default on a terminal), `json` for the manifest as
        /// stored (the default when piped)
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Look up addresses: country, ASN, organisation and network class
    #[command(
        after_help = "Examples:\n  redflag intel lookup 203.0.113.7 2001:db8::1\n  redflag intel lookup 175.45.176.9 --format json"
    )]
    Lookup {
        /// IPv4 or IPv6 addresses
        #[arg(value_name = "IP", required = true)]
        ips: Vec<String>,
        /// `table` (the default on a terminal); `json`, an array of objects in input
        /// order (the default when output is piped or saved); `ndjson`; `csv`
        #[command(flatten)]
        output: OutputArgs,
    },
}

pub fn run(global: &Global, args: IntelArgs) -> Result<ui::Outcome> {
    run_command(global, args)?;
    Ok(ui::Outcome::Done)
}

fn run_command(global: &Global, args: IntelArgs) -> Result<()> {
    let dir = DataDir::resolve(global.data_dir.as_deref())
        .path
        .join(redflag_intel::INTEL_DIR);
    match args.command {
        IntelCommand::Update { registry } => {
            let manifest = update(&registry, &dir)?;
            write_summary(&mut std::io::stdout().lock(), &dir, &manifest)
        }
        IntelCommand::Import { files, lists } => {
            let mut out = std::io::stdout().lock();
            let (points, files): (Vec<PathBuf>, Vec<PathBuf>) =
                files.into_iter().partition(|f| is_country_points(f));
            for file in &points {
                import_points(file, &dir)?;
                writeln!(
                    out,
                    "country reference points from {} ready in {}",
                    file.display(),
                    dir.display()
                )?;
            }
            if files.is_empty() && lists.is_empty() && !points.is_empty() {
                return Ok(());
            }
            let manifest = import(&files, &lists, &dir)?;
            write_summary(&mut out, &dir, &manifest)
        }
        IntelCommand::Status { output } => {
            Sink::write(&output, Format::Json, |sink| status(sink, &dir))
        }
        IntelCommand::Lookup { ips, output } => {
            Sink::write(&output, Format::Json, |sink| lookup(sink, &dir, &ips))
        }
    }
}

/// A `country,latitude,longitude,name` table (Google DSPL's canonical countries.csv).
fn is_country_points(file: &Path) -> bool {
    use std::io::BufRead;
    let Ok(f) = std::fs::File::open(file) else {
        return false;
    };
    let mut first = String::new();
    std::io::BufReader::new(f)
        .take(4096)
        .read_line(&mut first)
        .is_ok()
        && first
            .trim_start_matches('\u{feff}')
            .to_ascii_lowercase()
            .starts_with("country,latitude,longitude")
}

/// Checks the table, then keeps it beside the index for the impossible-travel check.
fn import_points(file: &Path, dir: &Path) -> Result<()> {
    use anyhow::Context as _;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let points = redflag_detect::CountryPoints::parse(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let target = dir.join(COUNTRY_POINTS_FILE);
    let staging = dir.join(format!("{COUNTRY_POINTS_FILE}.part"));
    std::fs::write(&staging, &text)
        .with_context(|| format!("cannot write {}", staging.display()))?;
    std::fs::rename(&staging, &target)
        .with_context(|| format!("cannot write {}", target.display()))?;
    tracing::info!(
        countries = points.len(),
        "country reference points imported"
    );
    Ok(())
}

/// One progress bar per stage, replaced when the stage changes.
pub(crate) fn update(registry: &str, dir: &Path) -> Result<Manifest> {
    let current: RefCell<Option<(Stage, ProgressBar)>> = RefCell::new(None);
    let result = redflag_intel::update(registry, dir, &|stage, done, total| {
        let mut current = current.borrow_mut();
        if current.as_ref().map(|(s, _)| *s) != Some(stage) {
            if let Some((_, bar)) = current.take() {
                bar.finish_and_clear();
            }
            let label = match stage {
                Stage::Download(package) if package.ends_with("/asn") => "ASN data",
                Stage::Download(_) => "countries",
                Stage::Build => "indexing",
            };
            *current = Some((stage, progress::bytes(total, label)));
        }
        if let Some((_, bar)) = current.as_ref() {
            if total > 0 {
                bar.set_length(total);
            }
            bar.set_position(done);
        }
    });
    if let Some((_, bar)) = current.take() {
        bar.finish_and_clear();
    }
    Ok(result?)
}

fn import(files: &[PathBuf], lists: &[String], dir: &Path) -> Result<Manifest> {
    let mut parsed = Vec::new();
    for pair in lists.chunks(2) {
        let [class, file] = pair else {
            bail!("--list needs a class and a file, e.g. --list vpn vpn-exits.txt");
        };
        let class: NetworkClass = match class.parse() {
            Ok(c @ (NetworkClass::Tor | NetworkClass::Vpn | NetworkClass::Hosting)) => c,
            _ => bail!("--list {class} {file}: the class must be tor, vpn or hosting"),
        };
        parsed.push((class, PathBuf::from(file)));
    }
    if files.is_empty() && parsed.is_empty() {
        bail!(
            "nothing to import: give ip-location-db tarballs or CSV files, or --list CLASS FILE (run `redflag intel update` to download the data instead)"
        );
    }
    let bar = progress::bytes(0, "importing");
    let result = redflag_intel::import(files, &parsed, dir, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    Ok(result?)
}

fn write_summary(out: &mut dyn Write, dir: &Path, manifest: &Manifest) -> Result<()> {
    writeln!(out, "IP intelligence ready in {}", dir.display())?;
    for s in &manifest.sources {
        writeln!(
            out,
            "  {:<8} {} {} ({}, {})",
            s.dataset.as_str(),
            s.name,
            s.version.as_deref().unwrap_or(""),
            s.date.as_deref().unwrap_or("undated"),
            s.licence
        )?;
    }
    for l in &manifest.lists {
        writeln!(
            out,
            "  {:<8} list {} ({} ranges, {} AS numbers)",
            l.class.as_str(),
            l.name,
            l.ranges,
            l.asns
        )?;
    }
    writeln!(
        out,
        "  {} IPv4 and {} IPv6 ranges, index {:.1} MB",
        manifest.counts.ipv4_ranges,
        manifest.counts.ipv6_ranges,
        manifest.index.bytes as f64 / 1e6
    )?;
    Ok(())
}

fn status(out: &mut Sink, dir: &Path) -> Result<()> {
    let format = out.format;
    if matches!(format, Format::Csv | Format::Ndjson) {
        bail!("intel status writes a table or JSON (--format table or json)");
    }
    let points = country_points(dir)?;
    let manifest = match Manifest::read(dir) {
        Ok(m) => m,
        Err(IntelError::NotLoaded { .. }) if format == Format::Table => {
            writeln!(out, "No IP intelligence loaded in {}.", dir.display())?;
            writeln!(
                out,
                "Run `redflag intel update` to download it (about 30 MB from the npm registry), or `redflag intel import FILE...` with copies of the ip-location-db tarballs."
            )?;
            writeln!(
                out,
                "Built in and always available: {} DPRK address ranges; country reference points for {}.",
                redflag_intel::dprk_ranges().len(),
                points.describe()
            )?;
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    if format == Format::Json {
        // The manifest as stored, and what it does not hold: the country points in use.
        let mut json = serde_json::to_value(&manifest)?;
        if let serde_json::Value::Object(object) = &mut json {
            object.insert("country_points".into(), serde_json::to_value(&points)?);
        }
        return out.json(&json);
    }
    let terminal = out.terminal;
    writeln!(out, "IP intelligence in {}", dir.display())?;
    let check = match IpIntel::load(dir) {
        Ok(_) => "verified".to_owned(),
        Err(e) => format!("NOT USABLE: {e}"),
    };
    writeln!(
        out,
        "Index: {} ({:.1} MB, {check}), built {}; {} IPv4 and {} IPv6 ranges, {} organisations",
        manifest.index.file,
        manifest.index.bytes as f64 / 1e6,
        manifest.built_at.strftime("%Y-%m-%d %H:%M UTC"),
        manifest.counts.ipv4_ranges,
        manifest.counts.ipv6_ranges,
        manifest.counts.organisations
    )?;
    let rows = |n: Option<u64>| n.map_or_else(|| "-".to_owned(), |n| n.to_string());
    let source_rows = manifest.sources.iter().map(|s| {
        vec![
            s.dataset.as_str().to_owned(),
            format!("{}\n{}", s.name, s.origin),
            s.version.clone().unwrap_or_default(),
            s.date.clone().unwrap_or_default(),
            s.licence.clone(),
            rows(s.ipv4_rows),
            rows(s.ipv6_rows),
            s.imported_at.strftime("%Y-%m-%d %H:%M").to_string(),
        ]
    });
    let sources = output::table(
        &[
            "Data",
            "Source",
            "Version",
            "Date",
            "Licence",
            "IPv4 rows",
            "IPv6 rows",
            "Imported",
        ],
        source_rows,
        terminal,
    );
    writeln!(out, "\nSources\n{sources}")?;
    if manifest.lists.is_empty() {
        writeln!(
            out,
            "\nUser lists: none (add one with `redflag intel import --list vpn FILE`)"
        )?;
    } else {
        let lists = output::table(
            &["Class", "List", "Ranges", "AS numbers", "Imported"],
            manifest.lists.iter().map(|l| {
                vec![
                    l.class.as_str().to_owned(),
                    format!("{}\n{}", l.name, l.origin),
                    l.ranges.to_string(),
                    l.asns.to_string(),
                    l.imported_at.strftime("%Y-%m-%d %H:%M").to_string(),
                ]
            }),
            terminal,
        );
        writeln!(
            out,
            "\nUser lists (they outrank every other source: tor > vpn > hosting)\n{lists}"
        )?;
    }
    writeln!(out, "\nCountry reference points: {}.", points.describe())?;
    writeln!(
        out,
        "\nBuilt in: network classes for {} AS numbers and {} organisation-name fragments; {} DPRK address ranges.",
        manifest.curated.asns,
        manifest.curated.fragments,
        redflag_intel::dprk_ranges().len()
    )?;
    Ok(())
}

/// The country reference points the impossible-travel check uses, and where they come
/// from, as `intel status` shows them.
#[derive(serde::Serialize)]
struct CountryPointsInUse {
    countries: usize,
    source: String,
}

impl CountryPointsInUse {
    fn describe(&self) -> String {
        format!("{} countries ({})", self.countries, self.source)
    }
}

/// The imported `countries.csv` when there is one, else the built-in table.
fn country_points(dir: &Path) -> Result<CountryPointsInUse> {
    let file = dir.join(COUNTRY_POINTS_FILE);
    match std::fs::read_to_string(&file) {
        Ok(text) => {
            let points = redflag_detect::CountryPoints::parse(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            Ok(CountryPointsInUse {
                countries: points.len(),
                source: format!("imported: {}", file.display()),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let table: Vec<&str> = redflag_intel::country_point_rows().collect();
            let points = redflag_detect::CountryPoints::parse(&table.join("\n"))
                .map_err(|e| anyhow::anyhow!("the built-in country points: {e}"))?;
            Ok(CountryPointsInUse {
                countries: points.len(),
                source: redflag_intel::COUNTRY_POINTS_SOURCE.to_owned(),
            })
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("cannot read {}", file.display()))),
    }
}

/// One address's answer, as written by `--format json`.
#[derive(serde::Serialize)]
struct LookupRow<'a> {
    ip: String,
    country: Option<String>,
    asn: Option<u32>,
    organisation: Option<&'a str>,
    class: NetworkClass,
    /// The DPRK-linked range holding the address. Shown in the table; left out of the
    /// JSON, whose keys are a contract other tools read.
    #[serde(skip)]
    dprk: Option<DprkJson>,
}

struct DprkJson {
    cidr: &'static str,
    link: DprkLink,
}

fn lookup(out: &mut Sink, dir: &Path, ips: &[String]) -> Result<()> {
    let mut addresses = Vec::with_capacity(ips.len());
    for text in ips {
        let trimmed = text.trim().trim_start_matches('[').trim_end_matches(']');
        match trimmed.parse::<IpAddr>() {
            Ok(ip) => addresses.push(ip),
            Err(_) => {
                bail!("{text:?} is not an IP address (expected e.g. 203.0.113.7 or 2001:db8::1)")
            }
        }
    }
    let intel = IpIntel::load(dir)?;
    let rows: Vec<LookupRow<'_>> = addresses
        .iter()
        .map(|&ip| {
            let info = intel.lookup(ip);
            LookupRow {
                ip: ip.to_string(),
                country: info.country.map(|c| c.to_string()),
                asn: info.asn,
                organisation: info.organisation,
                class: info.class,
                dprk: dprk_range(ip).map(|r| DprkJson {
                    cidr: r.cidr,
                    link: r.link,
                }),
            }
        })
        .collect();
    let dprk = |r: &LookupRow<'_>| {
        r.dprk.as_ref().map_or_else(String::new, |d| match d.link {
            DprkLink::Allocated => format!("{} (allocated to the DPRK)", d.cidr),
            DprkLink::Historical => format!("{} (historical DPRK use; check)", d.cidr),
        })
    };
    if out.format == Format::Json {
        // The JSON array is a contract other tools read: five keys, input order.
        return out.json(&rows);
    }
    out.items(
        &rows,
        &[
            "IP",
            "Country",
            "ASN",
            "Organisation",
            "Class",
            "DPRK address space",
        ],
        |r| {
            vec![
                r.ip.clone(),
                r.country.clone().unwrap_or_else(|| "?".into()),
                r.asn.map_or_else(|| "?".into(), |a| format!("AS{a}")),
                r.organisation.unwrap_or("?").to_owned(),
                r.class.as_str().to_owned(),
                dprk(r),
            ]
        },
    )
}

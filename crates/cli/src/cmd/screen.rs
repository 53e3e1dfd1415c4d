//! `redflag screen`: check names, wallets, e-mail addresses and phone numbers against the
//! loaded sanctions lists, one at a time or a CSV file at a time; and `redflag screen
//! clear|confirm`, an analyst's decision on a subject's hit, kept in the database.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use redflag_model::{Decision, SanctionsDecision, SubjectId, Timestamp};
use redflag_pipeline::DataDir;
use redflag_store::AuditEntry;
use redflag_watchlist::{Hit, HitBasis, NameKind, NameQuery, PartialDate, Screener};
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
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Examples:\n  redflag screen \"Park Jin Hyok\"\n  redflag screen \"Kim Jong Hoon\" --dob 1994-05-12 --country KR\n  redflag screen 0x098B716B8Aaf21512996dC57EB0615e2383E2f96\n  redflag screen --file candidates.csv --columns name=full_name,dob=birth_date\n  redflag screen clear c-1042 OFAC-24918 --reason \"passport: born 1991 in Busan\" --db cases.db"
)]
pub struct ScreenArgs {
    #[command(subcommand)]
    pub decide: Option<DecideCommand>,
    /// What to screen: a name in any script (박진혁 works too), or a wallet address,
    /// e-mail address or phone number, which match exactly as in `scan`
    #[arg(
        value_name = "NAME",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub name: Option<String>,
    /// Date of birth: YYYY-MM-DD, YYYY-MM or YYYY
    #[arg(long, value_name = "DATE")]
    pub dob: Option<String>,
    /// Nationality or country of residence (ISO 3166-1 alpha-2 code such as KR)
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Whether the name is a person's or an organisation's [default: an organisation
    /// when the name carries a legal form (LLC, S.A., GmbH, 주식회사…), else unknown]
    #[arg(long = "type", value_enum)]
    pub party_type: Option<PartyType>,
    /// Screen every row of FILE: a CSV (`,` or `;`, `#` comment lines) whose header
    /// names a `name` column and optionally `id`, `dob`, `country`, `type`, `wallet`,
    /// `chain`, `email`, `phone`; or one name per line
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Which CSV columns hold what, when the header says it otherwise:
    /// `name=full_name,dob=birth_date,id=candidate_id`
    #[arg(long, value_name = "FIELD=COLUMN,...", requires = "file")]
    pub columns: Option<String>,
    /// Report candidates scoring at least this (0–1) [default: the policy's
    /// `sanctions_threshold`, 0.9 unless you changed it]
    #[arg(long)]
    pub threshold: Option<f64>,
    /// A policy file whose `sanctions_threshold` and `lists_max_age_days` to use (see
    /// `redflag policy`)
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// `table` (the default on a terminal) is readable lines; `ndjson` one result per
    /// query, in input order (the default when piped); `json` an array; `csv` one row
    /// per hit
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Subcommand)]
pub enum DecideCommand {
    /// Rule a subject's hit out: not the listed party. It stays cleared on every scan
    /// until the list entry itself changes
    Clear(DecideArgs),
    /// Confirm a subject's hit: the listed party. It is decisive from the next scan on
    Confirm(DecideArgs),
}

#[derive(Args)]
pub struct DecideArgs {
    /// The subject, as in `redflag explain`
    pub subject: String,
    /// The listed entity, as the hit names it (`OFAC-24918`, `UN-6908421`)
    pub entity_id: String,
    /// Why: what was checked and what it showed (kept in the audit log)
    #[arg(long, required = true)]
    pub reason: String,
    /// Who decides [default: your user name]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    #[command(flatten)]
    pub database: super::DbArg,
}

/// One thing to screen.
struct Query {
    /// The row id the file gave, passed through to the result.
    id: Option<String>,
    name: Option<String>,
    dob: Option<String>,
    country: Option<String>,
    kind: NameKind,
    wallet: Option<(Option<String>, String)>,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Serialize)]
struct IdentifierOut {
    kind: String,
    number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
}

#[derive(Serialize)]
struct HitOut {
    list: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    list_version: Option<String>,
    entity_id: String,
    name: String,
    matched_name: String,
    /// `name`, `wallet`, `email` or `phone`.
    field: &'static str,
    score: f64,
    /// `confirmed` (something besides the name agrees, or an exact identifier) or
    /// `review` (the name alone: for an analyst to decide).
    status: &'static str,
    why: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dates_of_birth: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    nationalities: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    programs: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    identifiers: Vec<IdentifierOut>,
}

#[derive(Serialize)]
struct ResultOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    query: String,
    hits: Vec<HitOut>,
    /// Namesakes the date of birth rules out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ruled_out: Vec<HitOut>,
}

fn kind_of(t: Option<PartyType>) -> NameKind {
    match t {
        Some(PartyType::Person) => NameKind::Person,
        Some(PartyType::Organization) => NameKind::Organization,
        None => NameKind::Unknown,
    }
}

pub fn run(global: &Global, args: ScreenArgs) -> Result<ui::Outcome> {
    if let Some(decide) = args.decide {
        return run_decision(global, decide);
    }
    let policy = redflag_pipeline::load_policy(args.policy.as_deref())?;
    let threshold = args
        .threshold
        .unwrap_or(policy.thresholds.sanctions_threshold);
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
    for warning in redflag_watchlist::stale(
        screener.versions(),
        policy.thresholds.lists_max_age_days,
        Timestamp::now(),
    ) {
        ui::note(&format!("warning: {warning}"));
    }
    let protected: Vec<PathBuf> = args.file.iter().cloned().collect();
    let mut sink = Sink::open(&args.output, Format::Ndjson, &protected)?;
    let mut writer = ResultWriter::new(&mut sink, threshold)?;
    match &args.file {
        Some(file) => {
            let columns = Columns::parse(args.columns.as_deref())?;
            for_each_query(file, &columns, &mut |q| {
                writer.write(&screen(&screener, &q, threshold))
            })?
        }
        None => {
            let text = args.name.clone().unwrap_or_default();
            let dob = args
                .dob
                .as_deref()
                .map(|d| check_dob(d).map_err(|e| anyhow::anyhow!("--dob: {e}")))
                .transpose()?;
            let country = args
                .country
                .as_deref()
                .map(|c| check_country(c).map_err(|e| anyhow::anyhow!("--country: {e}")))
                .transpose()?;
            let mut query = identify(&text);
            query.dob = dob;
            query.country = country;
            query.kind = kind_of(args.party_type);
            writer.write(&screen(&screener, &query, threshold))?
        }
    }
    writer.end(&screener)?;
    sink.finish()?;
    Ok(ui::Outcome::Done)
}

/// A wallet address, e-mail address or phone number is screened exactly, like `scan`
/// screens a subject's; anything else is a name.
fn identify(text: &str) -> Query {
    let text = text.trim();
    let mut q = Query {
        id: None,
        name: None,
        dob: None,
        country: None,
        kind: NameKind::Unknown,
        wallet: None,
        email: None,
        phone: None,
    };
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let phone_like = text.starts_with('+')
        && digits >= 7
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let wallet = redflag_watchlist::normalise_wallet(None, text);
    if !text.contains(char::is_whitespace) && text.contains('@') && text.contains('.') {
        q.email = Some(text.to_owned());
    } else if phone_like {
        q.phone = Some(text.to_owned());
    } else if wallet.valid == Some(true) && !text.contains(char::is_whitespace) {
        q.wallet = Some((None, text.to_owned()));
    } else {
        q.name = Some(text.to_owned());
    }
    q
}

fn check_dob(text: &str) -> Result<String, String> {
    let text = text.trim();
    match PartialDate::parse(text) {
        Some(d)
            if jiff::civil::Date::new(
                i16::try_from(d.year).unwrap_or(0),
                d.month.map_or(1, |m| m as i8),
                d.day.map_or(1, |x| x as i8),
            )
            .is_ok() =>
        {
            Ok(text.to_owned())
        }
        _ => Err(format!(
            "{:?} is not a date of birth (expected YYYY-MM-DD, YYYY-MM or YYYY, a real date)",
            text.chars().take(200).collect::<String>()
        )),
    }
}

fn check_country(text: &str) -> Result<String, String> {
    let code = text.trim().to_ascii_uppercase();
    match code.parse::<redflag_model::CountryCode>() {
        Ok(c) => Ok(c.to_string()),
        Err(_) => Err(format!(
            "{:?} is not an ISO 3166-1 alpha-2 country code (such as KR, CA or KP)",
            text.chars().take(200).collect::<String>()
        )),
    }
}

/// Writes each result as soon as it is made, so a file of a million names streams.
struct ResultWriter<'a> {
    sink: &'a mut Sink,
    threshold: f64,
    written: usize,
    hit: usize,
    review: usize,
}

impl<'a> ResultWriter<'a> {
    fn new(sink: &'a mut Sink, threshold: f64) -> Result<Self> {
        match sink.format {
            Format::Json => write!(sink, "[")?,
            Format::Csv => writeln!(
                sink,
                "id,query,list,list_version,entity_id,name,matched_name,field,score,status,why"
            )?,
            Format::Table | Format::Ndjson => {}
        }
        Ok(ResultWriter {
            sink,
            threshold,
            written: 0,
            hit: 0,
            review: 0,
        })
    }

    fn write(&mut self, r: &ResultOut) -> Result<()> {
        let out = &mut *self.sink;
        let label = match &r.id {
            Some(id) => format!("{} ({})", clean(&r.query), clean(id)),
            None => clean(&r.query).into_owned(),
        };
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
                        r.id.as_deref().unwrap_or(""),
                        r.query.as_str(),
                        &h.list,
                        h.list_version.as_deref().unwrap_or(""),
                        &h.entity_id,
                        &h.name,
                        &h.matched_name,
                        h.field,
                        &format!("{:.3}", h.score),
                        h.status,
                        &h.why,
                    ])?;
                }
                csv.flush()?;
            }
            Format::Table => {
                if r.hits.is_empty() && r.ruled_out.is_empty() {
                    writeln!(out, "{label}: no match at or above {:.2}", self.threshold)?;
                }
                for h in &r.hits {
                    let status = if h.status == "review" {
                        "review (name only: a reason to look, not a finding)"
                    } else {
                        "confirmed"
                    };
                    writeln!(
                        out,
                        "{label}: {:.3} {} {} \"{}\" (matched \"{}\") — {status}",
                        h.score,
                        h.list,
                        h.entity_id,
                        clean(&h.name),
                        clean(&h.matched_name)
                    )?;
                    writeln!(out, "    {}", clean(&h.why))?;
                    write_details(out, h)?;
                }
                for h in &r.ruled_out {
                    writeln!(
                        out,
                        "{label}: ruled out by date of birth: {} {} \"{}\" ({:.3})",
                        h.list,
                        h.entity_id,
                        clean(&h.name),
                        h.score
                    )?;
                    writeln!(out, "    {}", clean(&h.why))?;
                }
            }
        }
        self.written += 1;
        if !r.hits.is_empty() {
            self.hit += 1;
            if r.hits.iter().all(|h| h.status == "review") {
                self.review += 1;
            }
        }
        Ok(())
    }

    fn end(self, screener: &Screener) -> Result<()> {
        match self.sink.format {
            Format::Json => writeln!(self.sink, "\n]")?,
            Format::Table => {
                writeln!(self.sink, "screened against {}", versions(screener))?;
            }
            Format::Csv | Format::Ndjson => {}
        }
        if self.written > 1 {
            ui::note(&format!(
                "{} of {} hit ({} for review only); screened against {}",
                self.hit,
                self.written,
                self.review,
                versions(screener)
            ));
        }
        Ok(())
    }
}

fn versions(screener: &Screener) -> String {
    screener
        .versions()
        .iter()
        .map(|v| {
            format!(
                "{} {}",
                v.list,
                v.published.as_deref().unwrap_or("(undated)")
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_details(out: &mut Sink, h: &HitOut) -> Result<()> {
    let mut facts: Vec<String> = Vec::new();
    if let Some(r) = &h.reference {
        facts.push(format!("listing {r}"));
    }
    if let Some(v) = &h.list_version {
        facts.push(format!("list of {v}"));
    }
    if !h.dates_of_birth.is_empty() {
        facts.push(format!("born {}", h.dates_of_birth.join(" or ")));
    }
    if !h.nationalities.is_empty() {
        facts.push(format!("nationality {}", h.nationalities.join(", ")));
    }
    if !h.programs.is_empty() {
        facts.push(format!("programmes {}", h.programs.join(", ")));
    }
    for id in &h.identifiers {
        facts.push(match &id.country {
            Some(c) => format!("{} {} ({c})", id.kind, id.number),
            None => format!("{} {}", id.kind, id.number),
        });
    }
    if !facts.is_empty() {
        writeln!(out, "    {}", clean(&facts.join("; ")))?;
    }
    Ok(())
}

fn hit_out(screener: &Screener, h: Hit<'_>) -> HitOut {
    let e = h.entity;
    HitOut {
        list: e.list.to_string(),
        list_version: screener
            .versions()
            .iter()
            .find(|v| v.list == e.list)
            .map(|v| match &v.published {
                Some(date) => date.clone(),
                None => format!("sha256:{}", v.sha256.get(..12).unwrap_or(&v.sha256)),
            }),
        entity_id: e.id.clone(),
        name: e.primary_name.clone(),
        matched_name: h.matched,
        field: match h.basis {
            HitBasis::Name => "name",
            HitBasis::Wallet => "wallet",
            HitBasis::Email => "email",
            HitBasis::Phone => "phone",
            HitBasis::Website => "website",
        },
        score: h.score,
        status: if h.corroborated {
            "confirmed"
        } else {
            "review"
        },
        why: h.why,
        reference: e.reference.clone(),
        dates_of_birth: e.dates_of_birth.clone(),
        nationalities: e.nationalities.clone(),
        programs: e.programs.clone(),
        identifiers: e
            .identifiers
            .iter()
            .map(|i| IdentifierOut {
                kind: i.kind.clone(),
                number: i.number.clone(),
                country: i.country.clone(),
            })
            .collect(),
    }
}

fn screen(screener: &Screener, q: &Query, threshold: f64) -> ResultOut {
    let mut hits: Vec<Hit<'_>> = Vec::new();
    let mut ruled_out: Vec<Hit<'_>> = Vec::new();
    let mut shown: Vec<&str> = Vec::new();
    if let Some(name) = &q.name {
        let countries = q.country.iter().cloned().collect();
        let query = NameQuery {
            name,
            date_of_birth: q.dob.as_deref(),
            countries,
            kind: q.kind,
        };
        let found = screener.screen_name_full(&query, threshold);
        hits.extend(found.hits);
        ruled_out.extend(found.ruled_out);
        shown.push(name);
    }
    if let Some((chain, address)) = &q.wallet {
        hits.extend(screener.screen_wallet(chain.as_deref(), address));
        shown.push(address);
    }
    if let Some(email) = &q.email {
        hits.extend(screener.screen_email(email));
        shown.push(email);
    }
    if let Some(phone) = &q.phone {
        hits.extend(screener.screen_phone(phone));
        shown.push(phone);
    }
    ResultOut {
        id: q.id.clone(),
        query: shown.join(" / "),
        hits: hits.into_iter().map(|h| hit_out(screener, h)).collect(),
        ruled_out: ruled_out
            .into_iter()
            .map(|h| hit_out(screener, h))
            .collect(),
    }
}

/// Which CSV column holds each field.
struct Columns {
    names: Vec<(&'static str, String)>,
}

const FIELDS: [&str; 9] = [
    "id", "name", "dob", "country", "type", "wallet", "chain", "email", "phone",
];

impl Columns {
    fn parse(spec: Option<&str>) -> Result<Columns> {
        let mut names: Vec<(&'static str, String)> =
            FIELDS.iter().map(|f| (*f, (*f).to_string())).collect();
        for pair in spec
            .unwrap_or("")
            .split(',')
            .filter(|p| !p.trim().is_empty())
        {
            let Some((field, column)) = pair.split_once('=') else {
                bail!("--columns {pair:?}: expected FIELD=COLUMN, e.g. name=full_name");
            };
            let field = field.trim().to_ascii_lowercase();
            let Some(slot) = names.iter_mut().find(|(f, _)| *f == field) else {
                bail!(
                    "--columns: unknown field {field:?} (fields: {})",
                    FIELDS.join(", ")
                );
            };
            slot.1 = column.trim().to_ascii_lowercase();
        }
        Ok(Columns { names })
    }

    fn column(&self, field: &str) -> &str {
        self.names
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, c)| c.as_str())
    }
}

/// Calls `f` with each query of the file, reading as it goes: a CSV whose header names
/// the name column (or a wallet, e-mail or phone column), or one name per line.
fn for_each_query(
    file: &Path,
    columns: &Columns,
    f: &mut dyn FnMut(Query) -> Result<()>,
) -> Result<()> {
    let open = || {
        std::fs::File::open(file)
            .map(std::io::BufReader::new)
            .with_context(|| format!("cannot read {}", file.display()))
    };
    // The first line that is not a comment is the header, if it names a known column.
    let mut header = String::new();
    for line in open()?.lines() {
        let line = line.with_context(|| format!("cannot read {}", file.display()))?;
        let line = line.trim_start_matches('\u{feff}').trim().to_owned();
        if !line.is_empty() && !line.starts_with('#') {
            header = line;
            break;
        }
    }
    let delimiter = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let cells: Vec<String> = header
        .split(char::from(delimiter))
        .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let is_csv = ["name", "wallet", "email", "phone"]
        .iter()
        .any(|f| cells.iter().any(|c| c == columns.column(f)));
    if !is_csv {
        if columns.column("name") != "name" {
            bail!(
                "{}: the header names no column {:?} (from --columns)",
                file.display(),
                columns.column("name")
            );
        }
        for (i, line) in open()?.lines().enumerate() {
            let line = line.with_context(|| format!("{}: line {}", file.display(), i + 1))?;
            let name = line.trim().trim_start_matches('\u{feff}');
            if !name.is_empty() && !name.starts_with('#') {
                let mut q = identify(name);
                q.id = Some(format!("line {}", i + 1));
                f(q)?;
            }
        }
        return Ok(());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .comment(Some(b'#'))
        .from_reader(open()?);
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let col = |field: &str| headers.iter().position(|h| h == columns.column(field));
    let [
        id_col,
        name_col,
        dob_col,
        country_col,
        type_col,
        wallet_col,
        chain_col,
        email_col,
        phone_col,
    ] = FIELDS.map(col);
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader
            .read_record(&mut record)
            .with_context(|| format!("{}: reading the CSV", file.display()))?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        let get = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let at = |field: &str, e: String| {
            anyhow::anyhow!(
                "{}: line {line}: column `{}`: {e}",
                file.display(),
                columns.column(field)
            )
        };
        let kind = match get(type_col)
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("person" | "individual") => NameKind::Person,
            Some("organization" | "organisation" | "entity" | "company") => NameKind::Organization,
            None => NameKind::Unknown,
            Some(other) => {
                return Err(at(
                    "type",
                    format!(
                        "{:?} is neither person nor organization",
                        other.chars().take(200).collect::<String>()
                    ),
                ));
            }
        };
        let q = Query {
            id: get(id_col).or_else(|| Some(format!("line {line}"))),
            name: get(name_col),
            dob: get(dob_col)
                .map(|d| check_dob(&d).map_err(|e| at("dob", e)))
                .transpose()?,
            country: get(country_col)
                .map(|c| check_country(&c).map_err(|e| at("country", e)))
                .transpose()?,
            kind,
            wallet: get(wallet_col).map(|w| (get(chain_col), w)),
            email: get(email_col),
            phone: get(phone_col),
        };
        if q.name.is_none() && q.wallet.is_none() && q.email.is_none() && q.phone.is_none() {
            continue;
        }
        f(q)?;
    }
    Ok(())
}

fn run_decision(global: &Global, command: DecideCommand) -> Result<ui::Outcome> {
    let (decision, args) = match command {
        DecideCommand::Clear(args) => (Decision::Cleared, args),
        DecideCommand::Confirm(args) => (Decision::Confirmed, args),
    };
    let subject: SubjectId = args
        .subject
        .parse()
        .map_err(|e| anyhow::anyhow!("SUBJECT {:?}: {e}", args.subject))?;
    if args.reason.trim().is_empty() {
        bail!("--reason is empty: say what was checked and what it showed");
    }
    if args.database.db.file().is_some_and(|f| !f.is_file()) {
        bail!(
            "{} does not exist: clear or confirm a hit in the database that was scanned (--db FILE)",
            args.database.db.display()
        );
    }
    let data = DataDir::resolve(global.data_dir.as_deref());
    let Some(screener) = data.load_screener()? else {
        bail!(
            "no sanctions lists are loaded in {}: a decision is tied to the list entry as it is now",
            data.lists_dir().display()
        );
    };
    let Some(entity) = screener.entity(&args.entity_id) else {
        bail!(
            "{} is on none of the loaded lists ({})",
            args.entity_id,
            versions(&screener)
        );
    };
    let mut store = redflag_store::open(&args.database.db)?;
    let latest = store.latest_assessment(&subject)?.with_context(|| {
        format!(
            "{} has no assessment in {}: scan first",
            subject,
            args.database.db.display()
        )
    })?;
    if !latest.sanctions.iter().any(|h| h.entity_id == entity.id) {
        bail!(
            "the latest assessment of {subject} has no hit on {}: nothing to {}",
            entity.id,
            match decision {
                Decision::Cleared => "clear",
                Decision::Confirmed => "confirm",
            }
        );
    }
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let actor = format!("redflag-cli:{}", args.by.unwrap_or(user));
    let list_version = screener
        .versions()
        .iter()
        .find(|v| v.list == entity.list)
        .map(|v| {
            v.published
                .clone()
                .unwrap_or_else(|| format!("sha256:{}", v.sha256.get(..12).unwrap_or(&v.sha256)))
        });
    let record = SanctionsDecision {
        subject: subject.clone(),
        entity_id: entity.id.clone(),
        decision,
        reason: args.reason.trim().to_owned(),
        actor: actor.clone(),
        at: Timestamp::now(),
        entity_fingerprint: entity.fingerprint(),
        list_version: list_version.clone(),
    };
    store.begin()?;
    let written = store.put_sanctions_decision(&record).and_then(|()| {
        store.audit(&AuditEntry {
            at: record.at,
            actor,
            action: format!("sanctions.{}", decision.as_str()),
            target: Some(subject.to_string()),
            detail: serde_json::json!({
                "entity_id": entity.id,
                "list": entity.list.to_string(),
                "list_version": list_version,
                "listed_name": entity.primary_name,
                "entity_fingerprint": record.entity_fingerprint,
                "reason": record.reason,
            }),
        })
    });
    match written {
        Ok(()) => store.commit()?,
        Err(e) => {
            let _ = store.rollback();
            return Err(e.into());
        }
    }
    ui::note(&format!(
        "{subject} / {}: {} by {} — recorded in {}. It applies from the next scan (`redflag scan --db {}`){}.",
        entity.id,
        decision.as_str(),
        record.actor,
        args.database.db.display(),
        args.database.db.display(),
        match decision {
            Decision::Cleared => ", and stays cleared until the list entry changes",
            Decision::Confirmed => "",
        }
    ));
    Ok(ui::Outcome::Done)
}

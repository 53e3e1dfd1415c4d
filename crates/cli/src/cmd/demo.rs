//! `redflag demo`: write a synthetic population with planted DPRK-style personas and
//! innocent look-alikes, scan it, and say how well the ranking found the personas.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::Args;
use redflag_model::{Assessment, Band};
use redflag_synth::{Config, Role, Truth};

use crate::cmd::scan::{self, ScanOptionsArgs};
use crate::output::OutputArgs;
use crate::{Global, progress, ui};
use redflag_detect::DataSet;
use redflag_pipeline::{DataDir, ScanOutcome};
use redflag_store::Database;

#[derive(Args)]
pub struct DemoArgs {
    /// Folder for the synthetic records (and, unless --db is given, the demo database)
    #[arg(long, value_name = "DIR", default_value = "redflag-demo")]
    pub out: PathBuf,
    /// How many people to make up
    #[arg(long, value_name = "N", default_value_t = 400)]
    pub subjects: usize,
    /// Average records per person (logins, activity and payments make up the volume)
    #[arg(long, value_name = "N", default_value_t = 120)]
    pub records_per_subject: usize,
    /// Seed for the generator: the same seed makes the same people
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// Database: a file or a postgres:// URL [default: DIR/redflag.db, started afresh
    /// each run]
    #[arg(long, value_name = "DB")]
    pub db: Option<Database>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// In the table, show at most this many subjects
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Do not download missing reference data (IP intelligence, sanctions lists); run
    /// without it
    #[arg(long)]
    pub offline: bool,
}

pub fn run(global: &Global, args: DemoArgs) -> Result<ui::Outcome> {
    fetch_missing_data(global, args.offline);
    let now = jiff::Timestamp::now();
    // Midnight today: the same seed on the same day makes byte-identical files.
    let anchor = now
        .to_zoned(jiff::tz::TimeZone::UTC)
        .start_of_day()?
        .timestamp();
    let config = Config {
        subjects: args.subjects,
        seed: args.seed,
        anchor,
        records_per_subject: args.records_per_subject,
        ..Config::default()
    };
    let db = match &args.db {
        Some(db) => db.clone(),
        None => {
            let db = args.out.join("redflag.db");
            // The demo owns this database; a fresh one keeps runs with other seeds apart.
            for suffix in ["", "-wal", "-shm"] {
                let file = PathBuf::from(format!("{}{suffix}", db.display()));
                if file.exists() {
                    std::fs::remove_file(&file).with_context(|| {
                        format!("cannot remove the old demo database {}", file.display())
                    })?;
                }
            }
            Database::File(db)
        }
    };
    let bar = progress::spinner("generating");
    let (truth, records) = redflag_synth::write_dir(&config, &args.out)
        .with_context(|| format!("cannot write the demo records to {}", args.out.display()))?;
    bar.finish_and_clear();
    let labels = write_labels(&args.out, &truth)?;
    ui::note(&format!(
        "wrote {records} synthetic records about {} people to {}/",
        truth.len(),
        args.out.display()
    ));
    let opts = ScanOptionsArgs {
        database: super::DbArg { db },
        output: args.output,
        skip_invalid: false,
        skip_unknown: false,
        csv_map: None,
        policy: None,
        as_of: None,
        top: args.top,
        fail_on: None,
    };
    let inputs = redflag_ingest::input_files(std::slice::from_ref(&args.out))?;
    let target = args.out.display().to_string();
    let outcome = scan::scan(global, inputs.clone(), &target, &opts)?;
    let ended = scan::write_results(&opts, &outcome, &inputs)?;
    ui::note(&ranking_quality(&outcome, &truth));
    for line in signal_quality(&outcome.assessments, &truth) {
        ui::note(&line);
    }
    ui::note(&format!(
        "Try: redflag explain {} --db {}",
        outcome
            .assessments
            .first()
            .map(|a| a.subject.as_str())
            .unwrap_or("c-0001"),
        opts.database.db.display()
    ));
    ui::note(&format!(
        "Fit the policy's weights to the generator's truth: redflag calibrate --labels {} --db {}",
        labels.display(),
        opts.database.db.display()
    ));
    Ok(ended)
}

/// `labels.csv` beside `truth.json`: the generator's truth as `redflag calibrate` reads
/// decisions, personas `dprk` and everyone else (look-alikes too) `legit`. Returns its
/// path.
fn write_labels(dir: &Path, truth: &[Truth]) -> Result<PathBuf> {
    let path = dir.join("labels.csv");
    let mut writer = csv::Writer::from_writer(crate::output::create_private(&path)?);
    let written = writer.write_record(["subject", "label"]).and_then(|()| {
        truth.iter().try_for_each(|t| {
            let label = if t.role == Role::Persona {
                "dprk"
            } else {
                "legit"
            };
            writer.write_record([t.subject.as_str(), label])
        })
    });
    written
        .map_err(anyhow::Error::from)
        .and_then(|()| writer.flush().map_err(anyhow::Error::from))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// The demo is better with IP data: fetch it when it is missing and the network allows,
/// and otherwise say what is skipped and carry on.
fn fetch_missing_data(global: &Global, offline: bool) {
    let data = DataDir::resolve(global.data_dir.as_deref());
    let available = data.available();
    let missing: Vec<DataSet> = [DataSet::IpIntelligence, DataSet::SanctionsLists]
        .into_iter()
        .filter(|set| !available.contains(set))
        .collect();
    if missing.is_empty() {
        return;
    }
    if offline {
        let labels: Vec<&str> = missing.iter().map(|s| s.label()).collect();
        ui::note(&format!(
            "note: {} not loaded (--offline); the checks that need them are skipped",
            labels.join(" and ")
        ));
        return;
    }
    for set in missing {
        ui::note(&format!(
            "{} not loaded in {}; downloading ({})…",
            set.label(),
            data.path.display(),
            set.how_to_load()
        ));
        let result = match set {
            DataSet::IpIntelligence => {
                crate::cmd::intel::update(redflag_intel::DEFAULT_REGISTRY, &data.intel_dir())
                    .map(|_| ())
            }
            DataSet::SanctionsLists => fetch_lists(&data),
        };
        match result {
            Ok(()) => ui::note(&format!("{} loaded.", set.label())),
            Err(e) => ui::note(&format!(
                "note: could not download {} ({e:#}); the checks that need them are skipped. Load them later with `{}`, or from local copies with the import command.",
                set.label(),
                set.how_to_load()
            )),
        }
    }
}

fn fetch_lists(data: &DataDir) -> Result<()> {
    // The demo should not hang on a slow publisher: a minute per file at most.
    let config = redflag_watchlist::UpdateConfig {
        timeout: std::time::Duration::from_secs(60),
        ..redflag_watchlist::UpdateConfig::default()
    };
    let bar = progress::spinner("downloading");
    let outcome = redflag_watchlist::update(&config, &data.path, &mut |event| {
        if let redflag_watchlist::UpdateEvent::Downloading { url } = event {
            bar.set_message(format!("downloading {url}"));
        }
    });
    bar.finish_and_clear();
    let outcome = outcome?;
    if outcome.imported.is_empty() {
        let first = outcome
            .failed
            .first()
            .map(|e| e.to_string())
            .unwrap_or_default();
        anyhow::bail!("no list could be downloaded: {first}");
    }
    Ok(())
}

/// How well the ranking separates the planted personas from everyone else.
pub fn ranking_quality(outcome: &ScanOutcome, truth: &[Truth]) -> String {
    let role_of = |subject: &str| {
        truth
            .iter()
            .find(|t| t.subject.as_str() == subject)
            .map(|t| t.role)
    };
    let personas = truth.iter().filter(|t| t.role == Role::Persona).count();
    let found = outcome
        .assessments
        .iter()
        .take(personas)
        .filter(|a| role_of(a.subject.as_str()) == Some(Role::Persona))
        .count();
    let flagged = |role: Role| {
        outcome
            .assessments
            .iter()
            .filter(|a| a.band >= Band::High && role_of(a.subject.as_str()) == Some(role))
            .count()
    };
    let lookalikes = truth.iter().filter(|t| t.role == Role::Lookalike).count();
    format!(
        "Ranking quality: {found} of the top {personas} are planted personas ({:.0}%); personas rated high or critical: {} of {personas}; innocent look-alikes rated high or critical: {} of {lookalikes}; other people rated high or critical: {}.",
        if personas > 0 {
            100.0 * found as f64 / personas as f64
        } else {
            100.0
        },
        flagged(Role::Persona),
        flagged(Role::Lookalike),
        flagged(Role::Legitimate),
    )
}

/// For each signal code, how often it fires on the planted personas and on everyone
/// else, and on which kinds of innocent look-alike: the per-detector precision the
/// ranking line alone hides. Look-alike kinds are the generator's traits.
pub fn signal_quality(assessments: &[Assessment], truth: &[Truth]) -> Vec<String> {
    let by_subject: HashMap<&str, &Truth> = truth.iter().map(|t| (t.subject.as_str(), t)).collect();
    let personas = truth.iter().filter(|t| t.role == Role::Persona).count();
    let others = truth.len() - personas;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for t in truth.iter().filter(|t| t.role == Role::Lookalike) {
        for trait_name in &t.traits {
            *kinds.entry(trait_name.as_str()).or_default() += 1;
        }
    }
    #[derive(Default)]
    struct Fires<'a> {
        personas: usize,
        others: usize,
        lookalikes: BTreeMap<&'a str, usize>,
    }
    let mut codes: BTreeMap<&str, Fires> = BTreeMap::new();
    for a in assessments {
        let Some(t) = by_subject.get(a.subject.as_str()) else {
            continue;
        };
        let mut seen: Vec<&str> = a.signals.iter().map(|s| s.code.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        for code in seen {
            let fires = codes.entry(code).or_default();
            if t.role == Role::Persona {
                fires.personas += 1;
            } else {
                fires.others += 1;
            }
            if t.role == Role::Lookalike {
                for trait_name in &t.traits {
                    *fires.lookalikes.entry(trait_name.as_str()).or_default() += 1;
                }
            }
        }
    }
    if codes.is_empty() {
        return Vec::new();
    }
    let rate = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    let mut lines = vec![
        "Per signal (from the generator's truth): people it fires on, precision (share of them \
         that are personas), lift (persona rate over everyone else's), and the look-alike kinds \
         it fires on"
            .to_owned(),
        format!(
            "  {:<38} {:>9} {:>9} {:>9} {:>6}  look-alikes",
            "signal", "personas", "others", "precision", "lift"
        ),
    ];
    for (code, fires) in &codes {
        let precision = rate(fires.personas, fires.personas + fires.others);
        let others_rate = rate(fires.others, others);
        let lift = if others_rate > 0.0 {
            format!("{:.1}", rate(fires.personas, personas) / others_rate)
        } else {
            "∞".to_owned()
        };
        let lookalikes = fires
            .lookalikes
            .iter()
            .map(|(kind, n)| format!("{kind} {n}/{}", kinds.get(kind).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(format!(
            "  {:<38} {:>9} {:>9} {:>8.0}% {:>6}  {}",
            code,
            format!("{}/{personas}", fires.personas),
            format!("{}/{others}", fires.others),
            100.0 * precision,
            lift,
            if lookalikes.is_empty() {
                "-"
            } else {
                &lookalikes
            }
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_model::{Advisory, Signal};

    fn truth(subject: &str, role: Role, traits: &[&str]) -> Truth {
        Truth {
            subject: subject.parse().unwrap(),
            role,
            cluster: None,
            traits: traits.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    fn assessed(subject: &str, codes: &[&str]) -> Assessment {
        Assessment {
            subject: subject.parse().unwrap(),
            name: None,
            score: 50,
            band: Band::Medium,
            assessed_at: "2026-04-01T00:00:00Z".parse().unwrap(),
            as_of: None,
            signals: codes
                .iter()
                .map(|code| Signal {
                    code: (*code).to_owned(),
                    advisory: Advisory::RF2,
                    weight: 1.0,
                    confidence: 1.0,
                    summary: String::new(),
                    evidence: vec![],
                })
                .collect(),
            sanctions: vec![],
            linked_subjects: vec![],
            actions: vec![],
            identities: Default::default(),
        }
    }

    #[test]
    fn each_signal_is_counted_once_per_person_with_the_lookalike_kinds_it_hits() {
        let truth = [
            truth("c-1", Role::Persona, &[]),
            truth("c-2", Role::Persona, &[]),
            truth("c-3", Role::Lookalike, &["web3_developer"]),
            truth("c-4", Role::Legitimate, &[]),
        ];
        let assessments = [
            assessed(
                "c-1",
                &["payments.crypto_request", "payments.crypto_request"],
            ),
            assessed("c-2", &["link.shared_wallet"]),
            assessed("c-3", &["payments.crypto_request"]),
            assessed("c-4", &[]),
        ];
        let lines = signal_quality(&assessments, &truth);
        let crypto = lines
            .iter()
            .find(|l| l.contains("payments.crypto_request"))
            .unwrap();
        assert!(crypto.contains("1/2"), "{crypto}");
        assert!(crypto.contains("1/2 "), "{crypto}");
        assert!(crypto.contains("50%"), "{crypto}");
        assert!(crypto.contains("web3_developer 1/1"), "{crypto}");
        let wallet = lines
            .iter()
            .find(|l| l.contains("link.shared_wallet"))
            .unwrap();
        assert!(wallet.contains("100%") && wallet.contains('∞'), "{wallet}");
    }
}

//! Precision on populations with innocent twins (issue 16): every kind of look-alike stays
//! below `high` across seeds and population sizes, with and without the real sanctions
//! lists loaded, and the harder personas (stolen identities, residential proxies, edited
//! photos) are still caught.

use std::collections::BTreeMap;
use std::path::Path;

use redflag_synth::{Role, Truth};
use serde_json::Value;

use crate::common::{redflag, shared_data};

/// Each kind of look-alike the generator plants; each must appear in the runs below.
const LOOKALIKE_KINDS: &[&str] = &[
    "crypto_request",
    "korean_canadian",
    "seoul_developer",
    "chinese_developer",
    "traveller",
    "commercial_vpn",
    "camera_trouble",
    "slow_paperwork",
    "low_bid",
    "check_unreachable",
    "night_owl",
    "agency_staff",
    "name_change",
    "it_support",
    "web3_weekly_pay",
    "listed_employer_name",
    "household",
    "coworking",
    "default_avatar",
];

/// Harder persona tradecraft that must still be caught.
const PERSONA_TRADECRAFT: &[&str] = &["stolen_identity", "residential_proxy", "photo_edited"];

struct Run {
    truth: Vec<Truth>,
    bands: BTreeMap<String, String>,
}

fn demo(data: &Path, out: &Path, seed: u64, subjects: usize) -> Run {
    let output = redflag(data)
        .args(["demo", "--format", "ndjson", "--records-per-subject", "30"])
        .args([
            "--seed",
            &seed.to_string(),
            "--subjects",
            &subjects.to_string(),
        ])
        .arg("--out")
        .arg(out)
        .arg("--db")
        .arg(out.with_extension("db"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let bands = String::from_utf8(output)
        .unwrap()
        .lines()
        .map(|l| {
            let a: Value = serde_json::from_str(l).unwrap();
            (
                a["subject"].as_str().unwrap().to_owned(),
                a["band"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let truth =
        serde_json::from_str(&std::fs::read_to_string(out.join("truth.json")).unwrap()).unwrap();
    Run { truth, bands }
}

fn is_high(band: &str) -> bool {
    matches!(band, "high" | "critical")
}

/// Runs demos for every seed and size, and checks what this issue promises.
fn check(data: &Path, tmp: &Path, runs: &[(u64, usize)]) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut tradecraft: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut innocent_high = Vec::new();
    for &(seed, subjects) in runs {
        let run = demo(
            data,
            &tmp.join(format!("s{seed}-{subjects}")),
            seed,
            subjects,
        );
        assert_eq!(run.bands.len(), subjects);
        for t in &run.truth {
            let band = &run.bands[t.subject.as_str()];
            match t.role {
                Role::Lookalike => {
                    for kind in LOOKALIKE_KINDS {
                        if t.traits.iter().any(|x| x == kind) {
                            *seen.entry(kind).or_default() += 1;
                        }
                    }
                    if is_high(band) {
                        innocent_high.push(format!("seed {seed}: {} {:?}", t.subject, t.traits));
                    }
                }
                Role::Legitimate if is_high(band) => {
                    innocent_high.push(format!("seed {seed}: {} (legitimate)", t.subject));
                }
                Role::Persona => {
                    for kind in PERSONA_TRADECRAFT {
                        if t.traits.iter().any(|x| x == kind) {
                            let e = tradecraft.entry(kind).or_default();
                            e.0 += 1;
                            e.1 += usize::from(is_high(band));
                        }
                    }
                }
                Role::Legitimate => {}
            }
        }
    }
    assert!(
        innocent_high.is_empty(),
        "innocent people rated high: {innocent_high:#?}"
    );
    for kind in LOOKALIKE_KINDS {
        assert!(
            seen.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} planted"
        );
    }
    for kind in PERSONA_TRADECRAFT {
        let (planted, caught) = tradecraft.get(kind).copied().unwrap_or((0, 0));
        assert!(planted > 0, "no persona with {kind}");
        // Most, not all: a persona whose only tie to its cluster is an edited photo and
        // whose other behaviours are weak stops at medium, as it should until the
        // identity graph matches near-duplicate photos (issue 17).
        assert!(
            caught * 10 >= planted * 8,
            "{kind}: only {caught} of {planted} personas rated high"
        );
    }
}

#[test]
fn no_innocent_twin_reaches_high_across_seeds_and_sizes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    check(
        &data,
        tmp.path(),
        &[(11, 150), (12, 150), (13, 150), (11, 400), (12, 400)],
    );
}

/// With the real OFAC, UN and Canadian lists loaded, employers named like listed
/// companies and ordinary namesakes are review hits that never carry anyone to `high`.
#[test]
fn no_innocent_twin_reaches_high_with_the_real_lists() {
    let Some(shared) = shared_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let lists = shared.join("sanctions");
    redflag(&data)
        .args(["lists", "import"])
        .arg(lists.join("ofac"))
        .arg(lists.join("un/consolidated.xml"))
        .arg(lists.join("canada/sema-lmes.xml"))
        .assert()
        .success();
    check(&data, tmp.path(), &[(21, 400), (22, 250)]);
}

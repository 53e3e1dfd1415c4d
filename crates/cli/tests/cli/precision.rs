//! Precision on populations with innocent twins (issue 16): every kind of look-alike stays
//! below `high` across seeds and population sizes, with and without the real sanctions
//! lists loaded, and the harder personas (stolen identities, residential proxies, edited
//! photos) are still caught.

use std::collections::BTreeMap;
use std::path::Path;

use redflag_synth::{Role, Truth};
use serde_json::Value;

use crate::common::{redflag, shared_data};

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
    let bands = subjects_and_bands(&output).into_iter().collect();
    let truth =
        serde_json::from_str(&std::fs::read_to_string(out.join("truth.json")).unwrap()).unwrap();
    Run { truth, bands }
}

fn is_high(band: &str) -> bool {
    matches!(band, "high" | "critical")
}

/// Runs demos for every seed and size, and checks what this issue promises.
fn check(data: &Path, tmp: &Path, runs: &[(u64, usize)]) {
    let kinds = redflag_synth::lookalike_kinds();
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
                    for kind in &kinds {
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
    for kind in &kinds {
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

/// Average precision of a ranking: how early the personas come, 1 when all come first.
fn average_precision(run: &Run, order: &[(String, String)]) -> f64 {
    let personas: Vec<bool> = order
        .iter()
        .map(|(s, _)| role_of(run, s) == Some(Role::Persona))
        .collect();
    let total = personas.iter().filter(|p| **p).count().max(1);
    let mut found = 0;
    let mut sum = 0.0;
    for (rank, is_persona) in personas.iter().enumerate() {
        if *is_persona {
            found += 1;
            sum += f64::from(found) / (rank + 1) as f64;
        }
    }
    sum / total as f64
}

/// The order `scan` writes, highest score first, with each subject's band.
fn scan_order(data: &Path, dir: &Path, db: &Path, policy: Option<&Path>) -> Vec<(String, String)> {
    let mut cmd = redflag(data);
    cmd.arg("scan")
        .arg(dir)
        .arg("--db")
        .arg(db)
        .args(["--format", "ndjson"]);
    if let Some(p) = policy {
        cmd.arg("--policy").arg(p);
    }
    let out = cmd.assert().success().get_output().stdout.clone();
    subjects_and_bands(&out)
}

/// Each assessment's subject and band, in the order written (NDJSON).
fn subjects_and_bands(ndjson: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(ndjson)
        .lines()
        .map(|l| {
            let a: Value = serde_json::from_str(l).unwrap();
            (
                a["subject"].as_str().unwrap().to_owned(),
                a["band"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The identity graph (issue 17) ranks personas better than each person's own evidence
/// alone: the same populations scanned with the LINK signals weighed at zero.
#[test]
fn links_rank_personas_better_than_each_persons_own_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let alone = tmp.path().join("alone.toml");
    std::fs::write(
        &alone,
        "[weights]\n\"links.shared_identifiers\" = 0.0\n\"links.cell\" = 0.0\n",
    )
    .unwrap();
    let (mut with_ap, mut without_ap, mut with_high, mut without_high) = (0.0, 0.0, 0, 0);
    for seed in [32, 33] {
        let dir = tmp.path().join(format!("pop-{seed}"));
        let run = demo(&data, &dir, seed, 400);
        let with_links = scan_order(&data, &dir, &dir.with_extension("a.db"), None);
        let without = scan_order(&data, &dir, &dir.with_extension("b.db"), Some(&alone));
        let caught = |order: &[(String, String)]| {
            order
                .iter()
                .filter(|(s, band)| is_high(band) && role_of(&run, s) == Some(Role::Persona))
                .count()
        };
        with_ap += average_precision(&run, &with_links);
        without_ap += average_precision(&run, &without);
        with_high += caught(&with_links);
        without_high += caught(&without);
        // And no innocent person is carried to high by a link.
        for (s, band) in &with_links {
            assert!(
                role_of(&run, s) == Some(Role::Persona) || !is_high(band),
                "seed {seed}: {s} is {band}"
            );
        }
    }
    assert!(
        with_ap >= without_ap && with_high > without_high,
        "with links: average precision {with_ap:.3}, {with_high} personas high; \
         own evidence alone: {without_ap:.3}, {without_high}"
    );
}

fn role_of(run: &Run, subject: &str) -> Option<Role> {
    run.truth
        .iter()
        .find(|t| t.subject.as_str() == subject)
        .map(|t| t.role)
}

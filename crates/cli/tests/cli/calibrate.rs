//! `calibrate` end to end: a demo population and its labels, the report, the proposed
//! policy read back by `scan --policy`, the charts, and the mistakes a user makes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use predicates::prelude::*;

use crate::scan::{redflag, write};

/// One small demo for the whole module: its folder (with `labels.csv`) and database.
fn demo() -> &'static (tempfile::TempDir, PathBuf, PathBuf) {
    static DEMO: OnceLock<(tempfile::TempDir, PathBuf, PathBuf)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("demo");
        redflag()
            .args([
                "demo",
                "--offline",
                "--subjects",
                "120",
                "--records-per-subject",
                "40",
                "--format",
                "ndjson",
                "--out",
            ])
            .arg(&out)
            .assert()
            .success()
            .stderr(predicate::str::contains("redflag calibrate --labels"));
        let labels = out.join("labels.csv");
        let db = out.join("redflag.db");
        (tmp, labels, db)
    })
}

fn calibrate(labels: &Path, db: &Path, out: &Path) -> assert_cmd::Command {
    let mut cmd = redflag();
    cmd.arg("calibrate")
        .arg("--labels")
        .arg(labels)
        .arg("--db")
        .arg(db)
        .arg("--out")
        .arg(out);
    cmd
}

/// Well-formed enough for any viewer: one root, balanced elements, no NaN from a division.
fn assert_svg(path: &Path) {
    let svg = std::fs::read_to_string(path).unwrap();
    assert!(svg.starts_with("<?xml"), "{svg}");
    assert!(svg.trim_end().ends_with("</svg>"), "{svg}");
    assert_eq!(svg.matches("<svg").count(), 1);
    for element in ["text", "title"] {
        assert_eq!(
            svg.matches(&format!("<{element}")).count(),
            svg.matches(&format!("</{element}>")).count(),
            "<{element}> unbalanced in {}",
            path.display()
        );
    }
    assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
}

#[test]
fn the_demo_calibrates_and_the_proposal_is_a_policy_scan_accepts() {
    let (_, labels, db) = demo();
    let tmp = tempfile::tempdir().unwrap();
    let proposed = tmp.path().join("proposed.toml");
    let charts = tmp.path().join("charts");
    let output = calibrate(labels, db, &proposed)
        .arg("--svg")
        .arg(&charts)
        .args(["--format", "json"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Nothing was applied"))
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(report["labels"]["subjects"], 120);
    assert!(report["dprk"].as_u64().unwrap() >= 5, "{report}");
    for side in ["before", "after"] {
        let auc = report[side]["auc"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&auc), "{side} {auc}");
        let bands: Vec<&str> = report[side]["bands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["band"].as_str().unwrap())
            .collect();
        assert_eq!(bands, ["medium", "high", "critical"]);
    }
    let weights = report["weights"].as_array().unwrap();
    assert!(weights.iter().all(|w| w["after"].as_f64().unwrap() >= 0.0));
    assert!(weights.iter().any(|w| w["fitted"] == false), "{report}");

    let text = std::fs::read_to_string(&proposed).unwrap();
    assert!(text.starts_with("# PROPOSED POLICY"), "{text}");
    assert!(text.contains("from 120 labelled subjects"), "{text}");
    for svg in ["pr-curve.svg", "score-distribution.svg"] {
        assert_svg(&charts.join(svg));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [
            proposed.clone(),
            charts.join("pr-curve.svg"),
            charts.join("score-distribution.svg"),
        ] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", file.display());
        }
    }

    // The proposal is a whole policy: a scan of a copy of the database accepts it.
    let copy = tmp.path().join("copy.db");
    std::fs::copy(db, &copy).unwrap();
    let rescored = redflag()
        .arg("scan")
        .arg("--db")
        .arg(&copy)
        .arg("--policy")
        .arg(&proposed)
        .args(["--format", "ndjson"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(rescored).unwrap().lines().count(), 120);
}

#[test]
fn the_table_report_and_default_chart_names() {
    let (_, labels, db) = demo();
    let tmp = tempfile::tempdir().unwrap();
    let proposed = tmp.path().join("mine.toml");
    calibrate(labels, db, &proposed)
        .args(["--folds", "3", "--format", "table"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("AUC (1 is perfect, 0.5 a coin toss)")
                .and(predicate::str::contains("at high (score 60 or more)"))
                .and(predicate::str::contains("(kept)"))
                .and(predicate::str::contains("3-fold cross-validation")),
        );
    assert_svg(&tmp.path().join("mine-pr-curve.svg"));
    assert_svg(&tmp.path().join("mine-scores.svg"));
}

#[test]
fn unknown_subjects_are_left_out_and_named() {
    let (_, labels, db) = demo();
    let tmp = tempfile::tempdir().unwrap();
    let mut text = std::fs::read_to_string(labels).unwrap();
    text.push_str("x-1,legit\nx-2,dprk\n");
    let more = write(tmp.path(), "more.csv", &text);
    calibrate(&more, db, &tmp.path().join("p.toml"))
        .args(["--format", "json"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "2 of the 122 labelled subjects have no assessment",
        ))
        .stderr(predicate::str::contains("x-1 (line 122), x-2 (line 123)"))
        .stdout(predicate::str::contains("\"x-1\""));
    // None known at all: another database, most likely.
    let strangers = write(tmp.path(), "strangers.csv", "x-1,legit\nx-2,dprk\n");
    calibrate(&strangers, db, &tmp.path().join("q.toml"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("none of the 2 labelled subjects"));
}

/// `calibrate` fails and says `message`.
fn refused(labels: &Path, db: &Path, out: &Path, message: &str) {
    calibrate(labels, db, out)
        .assert()
        .failure()
        .stderr(predicate::str::contains(message));
}

#[test]
fn mistakes_are_explained() {
    let (_, _, db) = demo();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("p.toml");
    let bad = write(
        tmp.path(),
        "bad.csv",
        "subject,label\nc-0001,legit\nc-0002,maybe\n",
    );
    refused(
        &bad,
        db,
        &out,
        "bad.csv:3: field `label`: \"maybe\" is not a label (expected dprk or legit)",
    );
    let conflict = write(tmp.path(), "conflict.csv", "c-0001,legit\nc-0001,dprk\n");
    refused(
        &conflict,
        db,
        &out,
        "\"c-0001\" is labelled dprk here and legit on line 1",
    );
    let few = write(tmp.path(), "few.csv", "c-0001,legit\nc-0002,dprk\n");
    refused(&few, db, &out, "calibration needs at least 5");
    // The proposal may not overwrite the database or the labels.
    refused(&few, db, db, "--out");
    refused(&few, db, &few, "--out");
    calibrate(&few, db, &out)
        .arg("--output")
        .arg(db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("--output"));
    assert!(!out.exists());
    refused(
        &few,
        &tmp.path().join("none.db"),
        &out,
        "there is no database",
    );
}

//! `redflag graph`: one person's links and the population's cells, in every format.

use serde_json::Value;

use crate::common::redflag;

/// A demo population scanned into `dir/redflag.db`, and the id of a persona in a cell.
fn scanned(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let data = dir.join("data");
    let out = dir.join("pop");
    redflag(&data)
        .args([
            "demo",
            "--subjects",
            "150",
            "--records-per-subject",
            "20",
            "-q",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let db = out.join("redflag.db");
    let cells = redflag(&data)
        .arg("graph")
        .arg("--db")
        .arg(&db)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let cells: Value = serde_json::from_slice(&cells).unwrap();
    let first = cells[0]["nodes"][0]["id"].as_str().unwrap().to_owned();
    (db, first)
}

#[test]
fn cells_and_a_persons_links_come_out_as_json_dot_and_svg() {
    let tmp = tempfile::tempdir().unwrap();
    let (db, persona) = scanned(tmp.path());
    let data = tmp.path().join("data");
    let run = |args: &[&str]| {
        let out = redflag(&data)
            .arg("graph")
            .args(args)
            .arg("--db")
            .arg(&db)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let group: Value = serde_json::from_str(&run(&[&persona, "--format", "json"])).unwrap();
    let nodes = group["nodes"].as_array().unwrap();
    assert!(nodes.len() >= 2, "{group}");
    assert!(
        nodes
            .iter()
            .any(|n| n["id"] == persona.as_str() && n["focus"] == true)
    );
    assert!(group["edges"].as_array().is_some_and(|e| !e.is_empty()));
    let svg = run(&[&persona, "--format", "svg"]);
    assert!(
        svg.contains("<svg") && svg.trim_end().ends_with("</svg>"),
        "{svg}"
    );
    assert!(svg.contains(&persona));
    let dot = run(&["--format", "dot"]);
    assert!(dot.starts_with("graph"), "{dot}");
    let words = run(&[&persona, "--format", "table"]);
    assert!(words.contains("← this person"), "{words}");
    assert!(words.contains("(strong)"), "{words}");
}

#[test]
fn an_unknown_person_or_database_is_an_error_that_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let (db, _) = scanned(tmp.path());
    let data = tmp.path().join("data");
    redflag(&data)
        .args(["graph", "nobody", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicates::str::contains("no assessment of \"nobody\""));
    redflag(&data)
        .args(["graph", "--db"])
        .arg(tmp.path().join("missing.db"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("run `redflag scan"));
}

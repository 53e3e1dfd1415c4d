//! Sanctions lists end to end, from the shared copies of the official files: import,
//! status, screening one name and a file of names, and a scan that screens subjects.

use predicates::prelude::*;

use crate::common::{redflag, shared_data};

#[test]
fn import_screen_and_scan_against_the_official_lists() {
    let Some(shared) = shared_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    redflag(&data)
        .args(["screen", "Park Jin Hyok"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no sanctions lists are loaded"));
    redflag(&data)
        .args(["lists", "import"])
        .arg(shared.join("sanctions/ofac"))
        .arg(shared.join("sanctions/un/consolidated.xml"))
        .arg(shared.join("sanctions/canada/sema-lmes.xml"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("OFAC-SDN:")
                .and(predicate::str::contains("UN: "))
                .and(predicate::str::contains("CA-SEMA:")),
        );
    redflag(&data)
        .args(["lists", "status"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-02-27"))
        // The shared copies are months old: each is named, with what to do.
        .stderr(
            predicate::str::contains("warning: UN is ")
                .and(predicate::str::contains("days old (published 2026-02-27"))
                .and(predicate::str::contains("redflag lists update")),
        );

    let one = redflag(&data)
        .args(["screen", "박진혁", "--format", "ndjson"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let result: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(result["query"], "박진혁");
    assert_eq!(result["hits"][0]["entity_id"], "OFAC-24918");
    let keys: Vec<&str> = result["hits"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["entity_id", "list", "matched_name", "name", "score", "why"]
    );

    let file = tmp.path().join("names.csv");
    std::fs::write(&file, "name,dob,country,type\nPak Jin-hyok,1984-08-15,KP,person\nKim Jong-hoon,1994-05-12,KR,person\nKorea Kwangson Banking Corp.,,,organization\n").unwrap();
    let batch = redflag(&data)
        .args(["screen", "--format", "ndjson", "--file"])
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(batch)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one result per query, in input order");
    let only_names = tmp.path().join("only-names.csv");
    std::fs::write(&only_names, "name\nPak Jin-hyok\n").unwrap();
    redflag(&data)
        .args(["screen", "--format", "ndjson", "--file"])
        .arg(&only_names)
        .assert()
        .success()
        .stdout(predicate::function(|out: &str| out.lines().count() == 1))
        .stdout(predicate::str::contains("\"query\":\"Pak Jin-hyok\""));
    assert_eq!(lines[0]["hits"][0]["entity_id"], "OFAC-24918");
    assert_eq!(
        lines[1]["hits"].as_array().unwrap().len(),
        0,
        "a common Korean name alone is not a hit"
    );
    assert!(
        lines[2]["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["entity_id"] == "OFAC-11581")
    );

    // A subject whose bank is a designated DPRK bank is critical, with the hit listed.
    let records = tmp.path().join("r.ndjson");
    std::fs::write(
        &records,
        "{\"kind\":\"subject\",\"id\":\"c-1\",\"name\":\"Emily Novak\"}\n{\"kind\":\"payout_account\",\"subject\":\"c-1\",\"at\":\"2026-03-10T09:00:00Z\",\"method\":\"bank_transfer\",\"account\":{\"id\":\"a-1\",\"holder\":\"Emily Novak\",\"institution\":\"Korea Kwangson Banking Corp\",\"country\":\"KP\"}}\n",
    )
    .unwrap();
    let db = tmp.path().join("s.db");
    let out = redflag(&data)
        .arg("scan")
        .arg(&records)
        .arg("--db")
        .arg(&db)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let a: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(a[0]["band"], "critical");
    assert!(
        a[0]["sanctions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["entity_id"] == "OFAC-11581")
    );
    // Re-screening is one command: scan the database with no new files.
    redflag(&data)
        .arg("scan")
        .arg("--db")
        .arg(&db)
        .args(["--format", "ndjson"])
        .assert()
        .success()
        .stdout(predicate::str::contains("OFAC-11581"));
}

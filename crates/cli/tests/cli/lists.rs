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
        [
            "dates_of_birth",
            "entity_id",
            "field",
            "identifiers",
            "list",
            "list_version",
            "matched_name",
            "name",
            "programs",
            "reference",
            "score",
            "status",
            "why"
        ]
    );
    assert_eq!(result["hits"][0]["status"], "review", "the name alone");
    assert_eq!(result["hits"][0]["dates_of_birth"][0], "1984-08-15");

    // A listed wallet gets the same answer from `screen` as from `scan`.
    redflag(&data)
        .args([
            "screen",
            "0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
            "--format",
            "ndjson",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\"entity_id\":\"OFAC-27307\"")
                .and(predicate::str::contains("\"status\":\"confirmed\""))
                .and(predicate::str::contains("\"field\":\"wallet\"")),
        );
    // A date of birth that does not exist is an error, not a silently dropped fact.
    redflag(&data)
        .args(["screen", "Pak Jin Hyok", "--dob", "1984-02-30"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--dob: \"1984-02-30\" is not a date of birth",
        ));
    // A namesake born in another year is ruled out by the date, and said so.
    redflag(&data)
        .args([
            "screen",
            "Pak Jin Hyok",
            "--dob",
            "1991-02-03",
            "--format",
            "table",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ruled out by date of birth: OFAC-SDN OFAC-24918",
        ));
    // A CSV by header, `;`-separated with comments and other column names: row ids pass
    // through, a bad country names its line and column, and a summary ends the run.
    let semi = tmp.path().join("semi.csv");
    std::fs::write(
        &semi,
        "# exported 2026-04-01\ncandidate;full_name;born\nc-7;Pak Jin-hyok;1984-08-15\nc-8;Emily Novak;\n",
    )
    .unwrap();
    let out = redflag(&data)
        .args([
            "screen",
            "--format",
            "ndjson",
            "--columns",
            "id=candidate,name=full_name,dob=born",
            "--file",
        ])
        .arg(&semi)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 of 2 hit (0 for review only)"))
        .get_output()
        .stdout
        .clone();
    let rows: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["id"], "c-7");
    assert_eq!(rows[0]["hits"][0]["status"], "confirmed");
    assert_eq!(rows[1]["id"], "c-8");
    std::fs::write(&semi, "name,country\nPak Jin-hyok,North Korea\n").unwrap();
    redflag(&data)
        .args(["screen", "--file"])
        .arg(&semi)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "line 2: column `country`: \"North Korea\" is not an ISO",
        ));

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

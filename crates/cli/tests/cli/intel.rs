//! IP intelligence end to end, from the shared copies of the ip-location-db packages:
//! import, lookup, and a scan whose sign-in checks run on it.

use std::path::Path;

use predicates::prelude::*;

use crate::common::{redflag, shared_data};

#[test]
fn import_lookup_and_scan_with_ip_intelligence() {
    let Some(shared) = shared_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    redflag(&data)
        .args(["intel", "import"])
        .arg(shared.join("ip/ip-location-db-asn-2.3.2026061719.tgz"))
        .arg(shared.join("ip/ip-location-db-geo-whois-asn-country-2.3.2026061719.tgz"))
        .arg(shared.join("geo/countries.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("IP intelligence ready"));
    let out = redflag(&data)
        .args([
            "intel",
            "lookup",
            "--format",
            "json",
            "175.45.176.9",
            "8.8.8.8",
            "2001:4860:4860::8888",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    assert_eq!(rows.len(), 3);
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["asn", "class", "country", "ip", "organisation"]);
    assert_eq!(rows[0]["ip"], "175.45.176.9");
    assert_eq!(rows[0]["asn"], 131279);
    assert_eq!(rows[1]["class"], "hosting");
    assert_eq!(rows[2]["asn"], 15169);
    redflag(&data)
        .args(["intel", "lookup", "not-an-ip"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "\"not-an-ip\" is not an IP address",
        ));

    // A persona signing in from the US, Russia and China within a day, and once from
    // Star JV's address space; the same scan without data says what it skipped.
    let records = tmp.path().join("records.ndjson");
    std::fs::write(
        &records,
        [
            r#"{"kind":"subject","id":"p-1","location":{"country":"US","timezone":"America/Chicago"}}"#,
            r#"{"kind":"login","subject":"p-1","at":"2026-03-01T10:00:00Z","ip":"24.1.1.1"}"#,
            r#"{"kind":"login","subject":"p-1","at":"2026-03-01T12:00:00Z","ip":"95.25.1.1"}"#,
            r#"{"kind":"login","subject":"p-1","at":"2026-03-01T20:00:00Z","ip":"113.225.1.1"}"#,
            r#"{"kind":"login","subject":"p-1","at":"2026-03-02T03:00:00Z","ip":"175.45.178.10"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let scan = |data: &Path, db: &str| {
        redflag(data)
            .arg("scan")
            .arg(&records)
            .arg("--db")
            .arg(tmp.path().join(db))
            .args(["--format", "json", "--as-of", "2026-04-01"])
            .assert()
            .success()
    };
    let with = scan(&data, "with.db");
    let assessments: serde_json::Value = serde_json::from_slice(&with.get_output().stdout).unwrap();
    let codes: Vec<&str> = assessments[0]["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    for code in [
        "dprk.nexus",
        "logins.multi_country",
        "logins.impossible_travel",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert_eq!(assessments[0]["band"], "critical");
    scan(&tmp.path().join("empty"), "without.db")
        .stderr(predicate::str::contains("IP intelligence not loaded; run `redflag intel update` to load it. Skipped: logins.multi_country"));
}

#[test]
fn impossible_travel_without_countries_csv_uses_the_built_in_points() {
    // A fresh machine: IP data, but no countries.csv ever imported. The IP data is a
    // small table of its own, so the test needs no shared data: a Rogers range in
    // Toronto and a KT range in Seoul.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let ranges = tmp.path().join("geo-country-ipv4.csv");
    std::fs::write(
        &ranges,
        "99.224.0.0,99.239.255.255,CA\n211.232.0.0,211.235.255.255,KR\n",
    )
    .unwrap();
    redflag(&data)
        .args(["intel", "import"])
        .arg(&ranges)
        .assert()
        .success();
    assert!(!data.join("intel/countries.csv").exists());
    let status = redflag(&data)
        .args(["intel", "status", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let status: serde_json::Value = serde_json::from_slice(&status).unwrap();
    assert_eq!(status["country_points"]["countries"], 249);
    assert!(
        status["country_points"]["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("built in, from Google DSPL")),
        "{status}"
    );

    let records = tmp.path().join("logins.ndjson");
    std::fs::write(
        &records,
        [
            r#"{"kind":"login","subject":"c-1","at":"2026-03-05T10:00:00Z","ip":"99.230.10.20"}"#,
            r#"{"kind":"login","subject":"c-1","at":"2026-03-05T12:00:00Z","ip":"211.234.10.20"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let out = redflag(&data)
        .arg("scan")
        .arg(&records)
        .arg("--db")
        .arg(tmp.path().join("r.db"))
        .args(["--format", "json"])
        .assert()
        .success()
        .stderr(predicate::str::contains("country reference points").not())
        .get_output()
        .stdout
        .clone();
    let assessments: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let travel = assessments[0]["signals"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["code"] == "logins.impossible_travel"))
        .unwrap_or_else(|| panic!("no impossible travel in {assessments}"));
    assert_eq!(
        travel["summary"],
        "signed in from CA then from KR 2.0 hours later: 8578 km apart, 4289 km/h"
    );
}

//! Files written by other products, scanned as users download them, and redflag's own
//! results never read back as input. The vendor files are written here from the
//! vendors' published schemas (Okta `LogEvent`, Microsoft Graph `signIn`, JSON Resume).

use predicates::prelude::*;

use crate::scan::{SPEC_RECORDS, redflag, write};

/// One Okta `LogEvent`, pretty-printed, as the Admin Console shows and downloads it.
const OKTA_EVENT: &str = r#"{
  "uuid": "f790999f-fe87-467a-9880-6982a583986c",
  "published": "2026-03-05T01:12:44.123Z",
  "eventType": "user.session.start",
  "version": "0",
  "severity": "INFO",
  "displayMessage": "User login to Okta",
  "actor": {
    "id": "00u1qw1mqitPHM8AJ0g7",
    "type": "User",
    "alternateId": "ana.lima@acme.test",
    "displayName": "Ana Lima"
  },
  "client": {
    "zone": "OFF_NETWORK",
    "device": "Computer",
    "userAgent": {"os": "Mac OS X", "browser": "SAFARI", "rawUserAgent": "Mozilla/5.0"},
    "ipAddress": "99.230.10.20"
  },
  "outcome": {"result": "SUCCESS"},
  "transaction": {"type": "WEB", "id": "V04Oy4ubUOc5UuG6s9DyNQAABtc"},
  "authenticationContext": {"authenticationStep": 0, "externalSessionId": "1013FfF-DKQS"}
}
"#;

/// A Microsoft Graph `GET /auditLogs/signIns` page.
const GRAPH_PAGE: &str = r#"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns",
  "value": [
    {
      "id": "66ea54eb-6301-4ee5-be62-ff5a759b8100",
      "createdDateTime": "2026-03-05T01:12:44Z",
      "userDisplayName": "Ana Lima",
      "userPrincipalName": "ana.lima@contoso.com",
      "userId": "26be570a-ae82-4189-b4e2-a37c6808512d",
      "appDisplayName": "Graph Explorer",
      "ipAddress": "99.230.10.20",
      "clientAppUsed": "Browser",
      "isInteractive": true,
      "status": {"errorCode": 0, "failureReason": "Other.", "additionalDetails": null},
      "deviceDetail": {"deviceId": "", "operatingSystem": "Windows 10", "browser": "Edge 120.0"},
      "location": {"city": "Toronto", "state": "Ontario", "countryOrRegion": "CA"}
    }
  ]
}
"#;

/// A JSON Resume document.
const RESUME: &str = r#"{
  "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
  "basics": {
    "name": "Ana Lima",
    "label": "Backend developer",
    "email": "ana.lima@example.com",
    "location": {"city": "Toronto", "countryCode": "CA"},
    "profiles": [{"network": "GitHub", "username": "alima", "url": "https://github.com/alima"}]
  },
  "work": [{"name": "Shopify", "position": "Developer", "startDate": "2019-01", "endDate": "2024-06"}],
  "education": [{"institution": "University of Toronto", "studyType": "BSc", "area": "Computer Science",
                 "startDate": "2014-09", "endDate": "2018-05"}],
  "languages": [{"language": "English", "fluency": "Native speaker"}, {"language": "Portuguese"}]
}
"#;

#[test]
fn a_single_okta_event_a_graph_page_and_a_resume_are_each_assessed() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text, subject, format) in [
        (
            "okta-event.json",
            OKTA_EVENT,
            "ana.lima@acme.test",
            "Okta System Log",
        ),
        (
            "signins.json",
            GRAPH_PAGE,
            "ana.lima@contoso.com",
            "Microsoft Entra sign-in log",
        ),
        ("resume.json", RESUME, "ana.lima@example.com", "JSON Resume"),
    ] {
        let file = write(tmp.path(), name, text);
        let db = tmp.path().join(format!("{name}.db"));
        let out = redflag()
            .arg("scan")
            .arg(&file)
            .arg("--db")
            .arg(&db)
            .args(["--format", "json"])
            .assert()
            .success()
            .stderr(predicate::str::contains(format!("read as {format}")))
            .get_output()
            .stdout
            .clone();
        let assessments: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(assessments.as_array().map(Vec::len), Some(1), "{name}");
        assert_eq!(assessments[0]["subject"], subject, "{name}");
    }
}

#[test]
fn a_file_with_nothing_usable_says_which_events_it_ignored() {
    let tmp = tempfile::tempdir().unwrap();
    let admin = |event_type: &str| OKTA_EVENT.replace("user.session.start", event_type);
    let events = [
        admin("group.user_membership.add"),
        admin("group.user_membership.add"),
        admin("user.lifecycle.create"),
    ];
    let file = write(
        tmp.path(),
        "okta-admin.json",
        &format!("[{}]", events.join(",")),
    );
    redflag()
        .arg("scan")
        .arg(&file)
        .arg("--db")
        .arg(tmp.path().join("r.db"))
        .args(["--format", "json"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "okta-admin.json: read as Okta System Log; skipped 3 events (2 group.user_membership.add (not a sign-in), 1 user.lifecycle.create (not a sign-in))",
        ));
}

#[test]
fn results_saved_in_the_scanned_folder_are_not_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(&input, "records.ndjson", SPEC_RECORDS);
    let db = tmp.path().join("r.db");
    let outputs = [
        ("assessments.ndjson", "ndjson"),
        ("assessments.json", "json"),
        ("ranking.csv", "csv"),
    ];
    // Each run saves its results in the folder it scans, as users do; every later run
    // reads the records and leaves the earlier results out, with a note.
    for round in 0..2 {
        for (name, format) in outputs {
            let target = input.join(name);
            let assert = redflag()
                .arg("scan")
                .arg(&input)
                .arg("--db")
                .arg(&db)
                .args(["--format", format, "--output"])
                .arg(&target)
                .assert()
                .success()
                .stderr(predicate::str::contains("read 16 records from 1 file"));
            let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
            for (earlier, _) in outputs.iter().filter(|(n, _)| input.join(n).exists()) {
                if round == 1 || *earlier != name {
                    assert!(
                        stderr.contains(&format!(
                            "{}: redflag's own output (assessments from an earlier scan), not input: left out",
                            input.join(earlier).display()
                        )),
                        "{stderr}"
                    );
                }
            }
        }
    }
    let csv = std::fs::read_to_string(input.join("ranking.csv")).unwrap();
    assert!(csv.starts_with("subject,name,score,band,"), "{csv}");

    // Named on purpose, a result file is read as nothing and says so.
    redflag()
        .arg("scan")
        .arg(input.join("assessments.ndjson"))
        .arg("--db")
        .arg(tmp.path().join("other.db"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "read as redflag's own output; skipped 2 events (2 assessments by redflag, not input)",
        ));
}

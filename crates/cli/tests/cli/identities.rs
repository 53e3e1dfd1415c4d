//! Real exports attached to the people they are about: every person in the shared vendor
//! samples is filed under the matching subject of a small hand-written profile set,
//! assessed once, under the profile's name. One test per vendor.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::shared_data;
use crate::scan::{redflag, write};

/// Profiles of the people in the samples, as an organisation would hold them: e-mails in
/// the profile, payout accounts of its own, and ids from other systems in an identity
/// map.
const PROFILES: &str = r#"{"kind":"subject","id":"p-okta-1","name":"Test One","emails":["test1@test.com"]}
{"kind":"subject","id":"p-okta-2","name":"Xavier Xu","emails":["xxxxxx@elastic.co"]}
{"kind":"subject","id":"p-okta-3","name":"First Name Last_name","emails":["snipped_user@domain.com"]}
{"kind":"subject","id":"p-okta-4","name":"Nora Name","emails":["name@domain.com"]}
{"kind":"subject","id":"p-okta-5","name":"Tess Test","emails":["test@test.com"]}
{"kind":"subject","id":"p-okta-6","name":"Ursula User","emails":["user@domain.com"]}
{"kind":"subject","id":"p-entra-1","name":"Test LTest","emails":["test@elastic.co"]}
{"kind":"subject","id":"p-entra-2","name":"Elastic Tester","emails":["mpliftrelastic20210901@outlook.com"]}
{"kind":"subject","id":"p-google-1","name":"Foo Bar","emails":["foo@bar.com"]}
{"kind":"subject","id":"p-resume-1","name":"Richard Hendriks","emails":["richard.hendriks@mail.com"]}
{"kind":"subject","id":"p-resume-2","name":"Test Four","emails":["test4@test.com"]}
{"kind":"subject","id":"p-pay-1","name":"Maria Bernasconi"}
{"kind":"payout_account","subject":"p-pay-1","at":"2020-01-01T00:00:00Z","method":"bank_transfer","account":{"number":"CH01 0023 5123 1231 2365 L","holder":"Maria Bernasconi"}}
{"kind":"subject","id":"p-pay-2","name":"Robert Schneider"}
{"kind":"subject","id":"p-pay-3","name":"Mike Smith"}
{"kind":"subject","id":"p-pay-4","name":"Daniela Eriksson"}
{"kind":"subject","id":"p-pay-5","name":"Ignas Monė"}
"#;

/// The ids the organisation's other systems give some of them.
const IDENTITIES: &str = "subject,kind,value,source
p-entra-1,user_id,8a4de8b5-095c-47d0-a96f-a75130c61d53,Entra directory
p-pay-1,iban,CH5109000000250092291,payroll
p-pay-1,iban,IT1122334455667788991122334,payroll
p-pay-2,iban,CH2909000000250094239,payroll
p-pay-3,holder,Mike Smith,payroll
p-pay-4,account,23683707994125,accounts payable
p-pay-4,iban,BE30001216371411,accounts payable
p-pay-5,user_id,123456789,accounts payable
";

/// Scans the profiles, the identity map and `files`; returns each assessment by subject.
fn scan(files: &[PathBuf]) -> BTreeMap<String, serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let profiles = write(dir.path(), "profiles.ndjson", PROFILES);
    let identities = write(dir.path(), "ids.csv", IDENTITIES);
    // Exports first, as they usually arrive: the profiles that claim them come later.
    let out = redflag()
        .args(["scan", "--format", "ndjson", "--db"])
        .arg(dir.path().join("x.db"))
        .args(files)
        .arg(&profiles)
        .arg("--identities")
        .arg(&identities)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut by_subject = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let a: serde_json::Value = serde_json::from_str(line).unwrap();
        let subject = a["subject"].as_str().unwrap().to_owned();
        assert!(
            by_subject.insert(subject.clone(), a).is_none(),
            "{subject} assessed twice"
        );
    }
    by_subject
}

fn merged(a: &serde_json::Value) -> Vec<String> {
    a["identities"]["merged"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|m| m["subject"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Every subject in `assessed` that is a person is a profile of ours under its own name,
/// and each expected id was merged into the expected profile.
fn check(assessed: &BTreeMap<String, serde_json::Value>, expected: &[(&str, &str)]) {
    for (id, profile) in expected {
        let a = &assessed[*profile];
        assert!(
            merged(a).contains(&id.to_string()),
            "{id} not merged into {profile}: {a}"
        );
    }
    for (subject, a) in assessed {
        let organisation = a["identities"]["organisation"] == true;
        assert!(
            subject.starts_with("p-") || organisation,
            "{subject} was left on its own: {}",
            a["identities"]
        );
        if subject.starts_with("p-") {
            let name = a["name"].as_str().unwrap_or_default();
            let profile_name = PROFILES
                .lines()
                .find(|l| l.contains(&format!(r#""id":"{subject}""#)))
                .and_then(|l| l.split(r#""name":""#).nth(1))
                .and_then(|rest| rest.split('"').next())
                .unwrap();
            assert_eq!(name, profile_name, "{subject}");
        }
    }
}

fn sample(data: &Path, folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("samples").join(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn okta_sign_ins_are_filed_under_the_profiles_that_list_the_logins() {
    let Some(data) = shared_data() else { return };
    let assessed = scan(&sample(&data, "okta"));
    check(
        &assessed,
        &[
            ("test1@test.com", "p-okta-1"),
            ("xxxxxx@elastic.co", "p-okta-2"),
            ("Snipped_User@domain.com", "p-okta-3"),
            ("name@domain.com", "p-okta-4"),
            ("test@test.com", "p-okta-5"),
            ("user@domain.com", "p-okta-6"),
        ],
    );
    let why = assessed["p-okta-3"]["identities"]["merged"][0]["why"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        why.contains("e-mail snipped_user@domain.com, listed in the profile of p-okta-3"),
        "{why}"
    );
}

#[test]
fn entra_sign_ins_follow_the_upn_and_the_directory_user_id() {
    let Some(data) = shared_data() else { return };
    let assessed = scan(&sample(&data, "entra"));
    // One person signed in under a UPN and under an object id the export gives as the
    // user; the directory's user id ties both to the profile.
    check(
        &assessed,
        &[
            ("test@elastic.co", "p-entra-1"),
            ("c3813493-bf92-5123-2717-8a8b2979c38b", "p-entra-1"),
            ("mpliftrelastic20210901@outlook.com", "p-entra-2"),
        ],
    );
}

#[test]
fn google_workspace_sign_ins_are_filed_under_the_profile() {
    let Some(data) = shared_data() else { return };
    check(
        &scan(&sample(&data, "google_workspace")),
        &[("foo@bar.com", "p-google-1")],
    );
}

#[test]
fn iso20022_payees_are_filed_under_their_profiles_and_companies_stand_apart() {
    let Some(data) = shared_data() else { return };
    let assessed = scan(&sample(&data, "iso20022"));
    check(
        &assessed,
        &[
            ("iban:CH010023512312312365L", "p-pay-1"),
            ("iban:CH5109000000250092291", "p-pay-1"),
            ("iban:IT1122334455667788991122334", "p-pay-1"),
            ("iban:CH2909000000250094239", "p-pay-2"),
            ("name:Mike Smith", "p-pay-3"),
            ("account:23683707994125", "p-pay-4"),
            ("iban:BE30001216371411", "p-pay-4"),
            ("123456789", "p-pay-5"),
        ],
    );
    // Companies paid (a legal form in the holder's name) are screened, not assessed as
    // people: no person's checks apply to them.
    let companies: Vec<&String> = assessed
        .iter()
        .filter(|(_, a)| a["identities"]["organisation"] == true)
        .map(|(s, _)| s)
        .collect();
    assert!(companies.len() >= 4, "{companies:?}");
    for subject in companies {
        let a = &assessed[subject];
        for signal in a["signals"].as_array().unwrap() {
            let advisory = signal["advisory"].as_str().unwrap();
            assert!(
                advisory == "SANCTIONS" || advisory == "MD-DPRK",
                "{subject}: {signal}"
            );
        }
    }
}

#[test]
fn json_resumes_join_the_profiles_that_list_their_email() {
    let Some(data) = shared_data() else { return };
    check(
        &scan(&sample(&data, "jsonresume")),
        &[
            ("richard.hendriks@mail.com", "p-resume-1"),
            ("test4@test.com", "p-resume-2"),
        ],
    );
}

#[test]
fn an_identity_map_is_kept_for_later_scans_and_a_bad_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let ids = write(
        dir.path(),
        "ids.csv",
        "subject,kind,value\nc-1,login,ana@acme.test\n",
    );
    let profile = write(
        dir.path(),
        "p.ndjson",
        r#"{"kind":"subject","id":"c-1","name":"Ana Lima"}"#,
    );
    redflag()
        .args(["scan", "-q", "--db"])
        .arg(&db)
        .arg(&profile)
        .arg("--identities")
        .arg(&ids)
        .assert()
        .success();
    // A later scan of an export alone, without the map.
    let login = write(
        dir.path(),
        "l.ndjson",
        r#"{"kind":"login","subject":"ANA@acme.test","at":"2026-03-05T01:12:44Z","ip":"203.0.113.7"}"#,
    );
    let out = redflag()
        .args(["scan", "--format", "ndjson", "--db"])
        .arg(&db)
        .arg(&login)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let a: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(a["subject"], "c-1");
    assert_eq!(merged(&a), ["ANA@acme.test"]);

    let bad = write(dir.path(), "bad.csv", "subject,kind,value\nc-1,fax,123\n");
    let out = redflag()
        .args(["scan", "-q", "--db"])
        .arg(&db)
        .arg("--identities")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:2: column `kind`"), "{err}");
    let not_a_map = write(dir.path(), "other.csv", "name,email\nAna,ana@acme.test\n");
    let out = redflag()
        .args(["scan", "-q", "--db"])
        .arg(&db)
        .arg("--identities")
        .arg(&not_a_map)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not an identity map"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

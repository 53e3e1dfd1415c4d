//! The vendor sample files in `shared/data/samples` (real exports from public
//! repositories, see its README) are read completely, with known values checked.
//!
//! The files are read in place, never copied into the project. Where `shared/data` is
//! absent the tests say "skipped" and pass, unless `CI=true`, where they fail.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use redflag_ingest::{Format, RecordStream, SourcedRecord, input_files, open};
use redflag_model::{Fluency, Login, Record, parse_record};

/// `shared/data/samples/<vendor>`, or `None` (after saying so) if the data is absent.
fn samples(vendor: &str) -> Option<PathBuf> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !data.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the shared data is missing at {}",
            data.display()
        );
        println!("skipped: no shared data at {}", data.display());
        return None;
    }
    Some(data.join("samples").join(vendor))
}

/// Every record of a file, failing on any error; with the stream, for its counters.
fn read_all(path: &Path) -> (Vec<SourcedRecord>, RecordStream) {
    let mut stream = open(path).unwrap_or_else(|e| panic!("{e}"));
    let records: Vec<_> = stream
        .by_ref()
        .map(|item| item.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    assert_eq!(stream.bytes_read(), size, "{}", path.display());
    for r in &records {
        // The stored text is canonical JSON that parses back to the same record and key.
        assert_eq!(parse_record(&r.text).as_ref(), Ok(&r.parsed), "{}", r.text);
        assert_eq!(r.location.file, path);
    }
    (records, stream)
}

fn login(r: &SourcedRecord) -> &Login {
    match &r.parsed.record {
        Record::Login(login) => login,
        other => panic!("not a login: {other:?}"),
    }
}

fn lines(records: &[SourcedRecord]) -> Vec<u64> {
    records.iter().map(|r| r.location.line).collect()
}

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

#[test]
fn okta_system_log() {
    let Some(dir) = samples("okta") else { return };
    let path = dir.join("elastic_test-okta-system-events.log");
    let (records, stream) = read_all(&path);
    assert_eq!(stream.format(), Format::Adapter("okta"));
    // Sign-ins: three copies of one `user.session.start` (lines 2, 5, 8), the same with
    // `"ipAddress":"null"` (line 11, address from `request.ipChain`), another session
    // start, two `user.authentication.verify` and three `auth_via_mfa`.
    assert_eq!(lines(&records), [2, 5, 8, 11, 13, 14, 15, 16, 17, 18]);
    assert_eq!(
        stream.skipped(),
        &counts(&[
            ("app.user_management (not a sign-in)", 1),
            ("group.user_membership.add (not a sign-in)", 1),
            ("policy.evaluate_sign_on (not a sign-in)", 4),
            ("user.session.end (not a sign-in)", 4),
        ])
    );

    let first = login(&records[0]);
    assert_eq!(first.subject.as_str(), "xxxxxx@elastic.co");
    assert_eq!(first.account.as_deref(), Some("okta:xxxxxx@elastic.co"));
    assert_eq!(first.at.to_string(), "2020-02-14T20:18:57.718Z");
    assert_eq!(first.ip.to_string(), "175.16.199.1");
    assert_eq!(first.success, Some(true));
    assert_eq!(
        first.user_agent.as_deref(),
        Some("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:72.0) Gecko/20100101 Firefox/72.0")
    );
    assert_eq!(
        first.device_id.as_deref(),
        Some("okta-fp:541daf91d15bef64a7e08c946fd9a9d0")
    );
    assert_eq!(
        first.session_id.as_deref(),
        Some("102bZDNFfWaQSyEZQuDgWt-uQ")
    );
    assert_eq!(first.mfa_device, None);

    assert_eq!(login(&records[3]).ip.to_string(), "175.16.199.1");

    let verify = login(&records[6]);
    assert_eq!(verify.subject.as_str(), "Snipped_User@domain.com");
    assert_eq!(verify.ip.to_string(), "81.2.69.144");
    // `rawUserAgent` is "unknown"; the device-token hash wins over the fingerprint.
    assert_eq!(verify.user_agent, None);
    assert_eq!(
        verify.device_id.as_deref(),
        Some("okta-dt:751b157a5a24ed83129433243e8d42307434b047120c32d7a7f5a5d2d91726fa")
    );

    let mfa = login(&records[7]);
    assert_eq!(mfa.subject.as_str(), "user@domain.com");
    assert_eq!(mfa.at.to_string(), "2023-02-06T08:56:36.909Z");
    assert_eq!(mfa.ip.to_string(), "127.0.0.1");
}

#[test]
fn entra_diagnostic_records_with_every_category() {
    let Some(dir) = samples("entra") else { return };
    let (records, stream) = read_all(&dir.join("elastic_test-signinlogs-raw.log"));
    assert_eq!(stream.format(), Format::Adapter("entra"));
    // SignInLogs and NonInteractiveUserSignInLogs; the three service principal and
    // managed identity categories are not people.
    assert_eq!(lines(&records), [1, 2]);
    assert_eq!(
        stream.skipped(),
        &counts(&[
            ("ManagedIdentitySignInLogs (not a person)", 1),
            ("MicrosoftServicePrincipalSignInLogs (not a person)", 1),
            ("ServicePrincipalSignInLogs (not a person)", 1),
        ])
    );
    let interactive = login(&records[0]);
    assert_eq!(interactive.subject.as_str(), "test@elastic.co");
    assert_eq!(
        interactive.account.as_deref(),
        Some("entra:test@elastic.co")
    );
    // createdDateTime 04:45:48.0729893-05:00, in UTC.
    assert_eq!(interactive.at.to_string(), "2019-10-18T09:45:48.0729893Z");
    assert_eq!(interactive.ip.to_string(), "81.2.69.144");
    // errorCode 50140, the "keep me signed in" interrupt: not a completed sign-in.
    assert_eq!(interactive.success, Some(false));
    // deviceId is "" for an unregistered device.
    assert_eq!(interactive.device_id, None);
    assert_eq!(
        login(&records[1]).subject.as_str(),
        "c3813493-bf92-5123-2717-8a8b2979c38b"
    );
}

#[test]
fn entra_modern_sign_ins() {
    let Some(dir) = samples("entra") else { return };
    let (records, stream) = read_all(&dir.join("elastic_test-signinlogs-sample.log"));
    assert_eq!(stream.format(), Format::Adapter("entra"));
    assert_eq!(lines(&records), [1, 2]);
    assert!(stream.skipped().is_empty());
    let first = login(&records[0]);
    assert_eq!(first.subject.as_str(), "mpliftrelastic20210901@outlook.com");
    assert_eq!(first.at.to_string(), "2022-01-24T05:10:08.6816663Z");
    assert_eq!(first.ip.to_string(), "1.128.3.4");
    assert_eq!(first.success, Some(true));
    assert!(
        first
            .user_agent
            .as_deref()
            .is_some_and(|ua| ua.ends_with("Edg/97.0.1072.69")),
        "{:?}",
        first.user_agent
    );
    assert_eq!(
        login(&records[1]).at.to_string(),
        "2022-01-24T05:10:12.2444226Z"
    );
}

#[test]
fn google_workspace_login_audit() {
    let Some(dir) = samples("google_workspace") else {
        return;
    };
    let (records, stream) = read_all(&dir.join("elastic_test-login.log"));
    assert_eq!(stream.format(), Format::Adapter("google-workspace"));
    // One login_failure (line 10) and two login_success (lines 14, 15); account
    // warnings, challenges, verifications, the logout and the risky-action event are not
    // sign-ins.
    assert_eq!(lines(&records), [10, 14, 15]);
    assert_eq!(
        stream.skipped(),
        &counts(&[
            ("account_disabled_generic (not a sign-in)", 1),
            ("account_disabled_hijacked (not a sign-in)", 1),
            ("account_disabled_password_leak (not a sign-in)", 1),
            ("account_disabled_spamming (not a sign-in)", 1),
            ("account_disabled_spamming_through_relay (not a sign-in)", 1),
            ("gov_attack_warning (not a sign-in)", 1),
            ("login_challenge (not a sign-in)", 1),
            ("login_verification (not a sign-in)", 2),
            ("logout (not a sign-in)", 1),
            ("risky_sensitive_action_allowed (not a sign-in)", 1),
            ("suspicious_login (not a sign-in)", 1),
            ("suspicious_login_less_secure_app (not a sign-in)", 1),
            ("suspicious_programmatic_login (not a sign-in)", 1),
        ])
    );
    let failure = login(&records[0]);
    assert_eq!(failure.subject.as_str(), "foo@bar.com");
    assert_eq!(failure.account.as_deref(), Some("google:foo@bar.com"));
    assert_eq!(failure.at.to_string(), "2020-10-02T15:00:00Z");
    assert_eq!(failure.ip.to_string(), "67.43.156.13");
    assert_eq!(failure.success, Some(false));
    assert_eq!(login(&records[1]).success, Some(true));
}

#[test]
fn json_resume_v1_and_pre_v1() {
    let Some(dir) = samples("jsonresume") else {
        return;
    };
    let (records, stream) = read_all(&dir.join("sample.resume.json"));
    assert_eq!(stream.format(), Format::Adapter("json-resume"));
    assert!(stream.skipped().is_empty());
    assert_eq!(lines(&records), [1]);
    let Record::Subject(v1) = &records[0].parsed.record else {
        panic!("not a subject: {:?}", records[0].parsed.record)
    };
    // The e-mail address names the subject, so it can meet other records about it.
    assert_eq!(v1.id.as_str(), "richard.hendriks@mail.com");
    assert_eq!(v1.name.as_deref(), Some("Richard Hendriks"));
    assert_eq!(v1.role.as_deref(), Some("Programmer"));
    assert_eq!(v1.source.as_deref(), Some("json-resume"));
    assert_eq!(
        v1.observed_at.map(|t| t.to_string()).as_deref(),
        Some("2017-12-24T15:53:00Z")
    );
    let location = v1.location.as_ref().expect("location");
    assert_eq!(
        location.country.map(|c| c.to_string()).as_deref(),
        Some("US")
    );
    assert_eq!(location.city.as_deref(), Some("San Francisco"));
    let address = v1.address.as_ref().expect("address");
    assert_eq!(address.line1.as_deref(), Some("2712 Broadway St"));
    assert_eq!(address.postal_code.as_deref(), Some("CA 94115"));
    assert_eq!(v1.phones.len(), 1);
    assert_eq!(v1.phones[0].as_str(), "9125554321");
    let networks: Vec<_> = v1.profiles.iter().map(|p| p.network.as_str()).collect();
    assert_eq!(networks, ["twitter", "soundcloud", "website"]);
    assert_eq!(v1.work.len(), 1);
    assert_eq!(v1.work[0].employer.as_deref(), Some("Pied Piper"));
    assert_eq!(v1.work[0].title.as_deref(), Some("CEO/President"));
    assert_eq!(
        v1.work[0]
            .start
            .map(|d| d.earliest().to_string())
            .as_deref(),
        Some("2013-12-01")
    );
    assert_eq!(v1.education.len(), 1);
    assert_eq!(
        v1.education[0].institution.as_deref(),
        Some("University of Oklahoma")
    );
    assert_eq!(v1.education[0].degree.as_deref(), Some("Bachelor"));
    assert_eq!(
        v1.education[0].field.as_deref(),
        Some("Information Technology")
    );
    assert_eq!(v1.languages.len(), 1);
    assert_eq!(v1.languages[0].language.as_str(), "en");
    assert_eq!(v1.languages[0].fluency, Some(Fluency::Native));
    assert!(
        v1.resume_text
            .as_deref()
            .is_some_and(|t| t.contains("“length-limited”"))
    );

    // The field names from before schema 1.0: `company`, `website`, `picture`.
    let (records, stream) = read_all(&dir.join("resume-cli_init-resume_pre-v1-schema.json"));
    assert_eq!(stream.format(), Format::Adapter("json-resume"));
    let Record::Subject(old) = &records[0].parsed.record else {
        panic!("not a subject: {:?}", records[0].parsed.record)
    };
    assert_eq!(old.id.as_str(), "test4@test.com");
    assert_eq!(old.work[0].employer.as_deref(), Some("Pied Piper"));
    let website = old.profiles.iter().find(|p| p.network == "website");
    assert_eq!(
        website.and_then(|p| p.url.as_deref()),
        Some("http://richardhendricks.com")
    );
    assert_eq!(old.observed_at, None);
}

#[test]
fn every_sample_file_is_read_by_an_adapter() {
    let Some(dir) = samples("okta") else { return };
    let all = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    let expected = [
        ("okta", 1, "okta"),
        ("entra", 2, "entra"),
        ("google_workspace", 1, "google-workspace"),
        ("iso20022", 6, "iso20022"),
        ("jsonresume", 2, "json-resume"),
    ];
    for (vendor, count, format) in expected {
        let files = input_files(&[all.join(vendor)]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(files.len(), count, "{vendor}: {files:?}");
        for file in files {
            let (records, stream) = read_all(&file);
            assert_eq!(
                stream.format(),
                Format::Adapter(format),
                "{}",
                file.display()
            );
            assert!(!records.is_empty(), "{}", file.display());
        }
    }
}

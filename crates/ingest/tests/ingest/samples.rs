//! The vendor sample files in `shared/data/samples` (real exports from public
//! repositories, see its README) are read completely, with known values checked.
//!
//! The files are read in place, never copied into the project. Where `shared/data` is
//! absent the tests say "skipped" and pass, unless `CI=true`, where they fail.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use redflag_ingest::{Format, RecordStream, SourcedRecord, input_files, open};
use redflag_model::{Login, Record, parse_record};

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

fn counts(pairs: &[(&'static str, u64)]) -> BTreeMap<&'static str, u64> {
    pairs.iter().copied().collect()
}

#[test]
fn okta_system_log() {
    let Some(dir) = samples("okta") else { return };
    let path = dir.join("elastic_test-okta-system-events.log");
    let (records, stream) = read_all(&path);
    assert_eq!(stream.format(), Format::Okta);
    // Sign-ins: three copies of one `user.session.start` (lines 2, 5, 8), the same with
    // `"ipAddress":"null"` (line 11, address from `request.ipChain`), another session
    // start, two `user.authentication.verify` and three `auth_via_mfa`.
    assert_eq!(lines(&records), [2, 5, 8, 11, 13, 14, 15, 16, 17, 18]);
    assert_eq!(stream.skipped(), &counts(&[("not a sign-in event", 10)]));

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
    assert_eq!(stream.format(), Format::Entra);
    // SignInLogs and NonInteractiveUserSignInLogs; the three service principal and
    // managed identity categories are not people.
    assert_eq!(lines(&records), [1, 2]);
    assert_eq!(stream.skipped(), &counts(&[("not a person", 3)]));
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
    assert_eq!(stream.format(), Format::Entra);
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
    assert_eq!(stream.format(), Format::GoogleWorkspace);
    // One login_failure (line 10) and two login_success (lines 14, 15); account
    // warnings, challenges, verifications, the logout and the risky-action event are not
    // sign-ins.
    assert_eq!(lines(&records), [10, 14, 15]);
    assert_eq!(stream.skipped(), &counts(&[("not a sign-in event", 14)]));
    let failure = login(&records[0]);
    assert_eq!(failure.subject.as_str(), "foo@bar.com");
    assert_eq!(failure.account.as_deref(), Some("google:foo@bar.com"));
    assert_eq!(failure.at.to_string(), "2020-10-02T15:00:00Z");
    assert_eq!(failure.ip.to_string(), "67.43.156.13");
    assert_eq!(failure.success, Some(false));
    assert_eq!(login(&records[1]).success, Some(true));
}

#[test]
fn sample_directories_give_the_logs_and_not_other_json() {
    let Some(dir) = samples("okta") else { return };
    let all = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    let expected = [
        ("okta", 1),
        ("entra", 2),
        ("google_workspace", 1),
        ("iso20022", 6),
    ];
    for (vendor, count) in expected {
        let files = input_files(&[all.join(vendor)]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(files.len(), count, "{vendor}: {files:?}");
    }
    // JSON Resume files are not exports any adapter reads.
    let e = input_files(&[all.join("jsonresume")]).expect_err("jsonresume");
    assert!(e.to_string().contains("holds no"), "{e}");
}

//! The pipeline driven as a library, with no command line: an in-memory store, records
//! from memory, and SQLite files shared by concurrent scans.

use std::path::PathBuf;

use redflag_detect::Policy;
use redflag_ingest::{Location, ReadError, SourcedRecord};
use redflag_model::{Band, Timestamp, parse_record};
use redflag_pipeline::{Pipeline, PipelineError, ReferenceData, ScanOptions, Source};
use redflag_store::{MemoryStore, SqliteStore, Store};

fn records(lines: Vec<String>) -> Source {
    let items: Vec<Result<SourcedRecord, ReadError>> = lines
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let location = Location {
                file: PathBuf::from("memory.ndjson"),
                line: i as u64 + 1,
            };
            match parse_record(&text) {
                Ok(parsed) => Ok(SourcedRecord {
                    parsed,
                    text,
                    location,
                }),
                Err(error) => Err(ReadError::Record { location, error }),
            }
        })
        .collect();
    Source::Records(Box::new(items.into_iter()))
}

/// Assesses what the store holds again, with nothing new.
fn rescan(p: &mut Pipeline, store: &mut MemoryStore) -> redflag_pipeline::ScanOutcome {
    p.scan(store, Source::Nothing, &ScanOptions::default(), &mut ())
        .unwrap()
}

fn pipeline() -> Pipeline {
    Pipeline::new(Policy::default(), ReferenceData::none())
}

/// Ten payees paid twice in March 2025 through Wise, and `f-1` paid every other day
/// through Payoneer: an export from well over a year before these tests run.
fn last_spring() -> Vec<String> {
    let mut lines = vec![
        r#"{"kind":"subject","id":"f-1","name":"Kevin Brooks","observed_at":"2025-02-01T00:00:00Z"}"#
            .to_owned(),
    ];
    for i in 0..10 {
        for day in [6, 20] {
            lines.push(format!(
                r#"{{"kind":"payment","subject":"w-{i}","at":"2025-03-{day:02}T10:00:00Z","amount":"500","currency":"USD","method":"wise"}}"#
            ));
        }
    }
    for day in (5..=31).step_by(2) {
        lines.push(format!(
            r#"{{"kind":"payment","subject":"f-1","at":"2025-03-{day:02}T10:00:00Z","amount":"90","currency":"USD","method":"payoneer"}}"#
        ));
    }
    lines
}

#[test]
fn a_scan_runs_through_the_library_with_an_in_memory_store() {
    let mut store = MemoryStore::new();
    let mut p = pipeline();
    let outcome = p
        .scan(
            &mut store,
            records(last_spring()),
            &ScanOptions::default(),
            &mut (),
        )
        .unwrap();
    assert_eq!(outcome.report.records_read, 35);
    assert_eq!(outcome.report.records_new, 35);
    assert_eq!(store.record_count().unwrap(), 35);
    assert_eq!(outcome.assessments.len(), 11);
    // Time follows the data: the newest record, not the wall clock.
    assert_eq!(
        outcome.as_of,
        "2025-03-31T10:00:00Z".parse::<Timestamp>().unwrap()
    );
    let f1 = &outcome.assessments[0];
    assert_eq!(f1.subject.as_str(), "f-1");
    assert_eq!(f1.name.as_deref(), Some("Kevin Brooks"));
    assert_eq!(f1.as_of, Some(outcome.as_of));
    assert!(
        f1.signals
            .iter()
            .any(|s| s.code == "payments.platform_frequency"),
        "{f1:#?}"
    );
    assert_eq!(
        store.latest_assessment(&f1.subject).unwrap().as_ref(),
        Some(f1)
    );
    let audit = store.audit_log(1).unwrap();
    assert_eq!(audit[0].action, "scan");
    assert_eq!(audit[0].detail["records_new"], 35);
}

#[test]
fn evidence_after_the_as_of_does_not_count() {
    let mut lines = last_spring();
    lines.push(
        r#"{"kind":"subject","id":"late","name":"Late Comer","nationality":"KP","observed_at":"2025-06-01T00:00:00Z"}"#
            .to_owned(),
    );
    let options = ScanOptions {
        as_of: Some("2025-04-01T00:00:00Z".parse().unwrap()),
        ..ScanOptions::default()
    };
    let mut store = MemoryStore::new();
    let mut p = pipeline();
    let outcome = p
        .scan(&mut store, records(lines), &options, &mut ())
        .unwrap();
    assert_eq!(outcome.report.records_after_as_of, 1);
    assert_eq!(store.record_count().unwrap(), 36, "stored all the same");
    assert!(
        outcome
            .assessments
            .iter()
            .all(|a| a.subject.as_str() != "late")
    );
    // Without the cut-off the same store holds a DPRK nexus.
    let outcome = rescan(&mut p, &mut store);
    let late = outcome
        .assessments
        .iter()
        .find(|a| a.subject.as_str() == "late")
        .unwrap();
    assert_eq!(late.band, Band::Critical);
}

#[test]
fn a_bad_record_leaves_the_store_as_it_was_and_the_pipeline_usable() {
    let mut store = MemoryStore::new();
    let mut p = pipeline();
    p.scan(
        &mut store,
        records(last_spring()),
        &ScanOptions::default(),
        &mut (),
    )
    .unwrap();
    let before = store.record_count().unwrap();
    let bad = vec![
        r#"{"kind":"subject","id":"n-1","name":"New Person"}"#.to_owned(),
        r#"{"kind":"subject","id":"n-2","nationality":"XX"}"#.to_owned(),
    ];
    let e = p
        .scan(&mut store, records(bad), &ScanOptions::default(), &mut ())
        .unwrap_err();
    assert!(e.is_record_error(), "{e}");
    assert!(e.to_string().contains("memory.ndjson:2"), "{e}");
    assert_eq!(store.record_count().unwrap(), before);
    let outcome = rescan(&mut p, &mut store);
    assert_eq!(
        outcome.assessments.len(),
        11,
        "the failed scan's n-1 is gone"
    );
}

#[test]
fn skipping_every_line_as_invalid_is_an_error() {
    let options = ScanOptions {
        skip_invalid: true,
        ..ScanOptions::default()
    };
    let bad = vec![
        r#"{"kind":"subject","id":"n-2","nationality":"XX"}"#.to_owned(),
        r#"{"kind":"login","subject":"n-2","at":"yesterday","ip":"192.0.2.1"}"#.to_owned(),
    ];
    let mut store = MemoryStore::new();
    let e = pipeline()
        .scan(&mut store, records(bad), &options, &mut ())
        .unwrap_err();
    assert!(matches!(e, PipelineError::AllInvalid { invalid: 2 }), "{e}");
    assert_eq!(store.record_count().unwrap(), 0);
}

/// Every subject's newest stored assessment must be what assessing the whole store gives:
/// a scan that read before another committed would store a stale one.
#[test]
fn concurrent_scans_leave_every_assessment_true_to_every_stored_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    SqliteStore::open(&db).unwrap();
    let scans: Vec<Vec<String>> = (0..6)
        .map(|k| {
            (0..40)
                .map(|i| match k % 3 {
                    0 => format!(r#"{{"kind":"subject","id":"s-{i}","name":"Person {i}","observed_at":"2026-01-0{}T00:00:00Z"}}"#, k / 3 + 1),
                    1 => format!(r#"{{"kind":"login","subject":"s-{i}","at":"2026-01-02T0{}:00:00Z","ip":"175.45.176.{i}"}}"#, k / 3),
                    _ => format!(r#"{{"kind":"interview","subject":"s-{i}","at":"2026-01-03T1{}:00:00Z","mode":"video","outcome":"declined"}}"#, k / 3),
                })
                .collect()
        })
        .collect();
    let threads: Vec<_> = scans
        .into_iter()
        .map(|lines| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut store = SqliteStore::open(&db).unwrap();
                pipeline()
                    .scan(&mut store, records(lines), &ScanOptions::default(), &mut ())
                    .unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.record_count().unwrap(), 240);
    let stored = store.latest_assessments().unwrap();
    let mut check = MemoryStore::new();
    let mut copy = Vec::new();
    store
        .for_each_record(&mut |r| {
            copy.push(r.body);
            Ok(())
        })
        .unwrap();
    let fresh = pipeline()
        .scan(&mut check, records(copy), &ScanOptions::default(), &mut ())
        .unwrap();
    assert_eq!(stored.len(), fresh.assessments.len());
    for (a, b) in stored.iter().zip(&fresh.assessments) {
        let codes = |x: &redflag_model::Assessment| {
            x.signals.iter().map(|s| s.code.clone()).collect::<Vec<_>>()
        };
        assert_eq!(
            (&a.subject, a.score, codes(a)),
            (&b.subject, b.score, codes(b))
        );
    }
}

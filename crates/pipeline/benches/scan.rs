//! End-to-end scan speed: a synthetic population of 2,000 people and about 400,000
//! records, written to NDJSON once, then read, parsed, stored durably in a fresh SQLite
//! database and assessed by the pipeline on every iteration.
//!
//! Run with `cargo bench -p redflag-pipeline --features bench` (criterion is optional,
//! so `cargo test` never builds it). `redflag bench` measures the same work with peak
//! memory, in a fresh process per population.

use std::time::Duration;

use criterion::{Criterion, Throughput};
use redflag_detect::Policy;
use redflag_ingest::OpenOptions;
use redflag_pipeline::{Pipeline, ReferenceData, ScanOptions, Source};
use redflag_store::SqliteStore;

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let data = dir.path().join("records");
    let config = redflag_synth::Config {
        subjects: 2000,
        records_per_subject: 200,
        anchor: "2026-04-01T00:00:00Z".parse().expect("anchor"),
        ..redflag_synth::Config::default()
    };
    let (_, records) = redflag_synth::write_dir(&config, &data).expect("population");
    let files = redflag_ingest::input_files(std::slice::from_ref(&data)).expect("files");

    let mut criterion = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(30))
        .configure_from_args();
    let mut group = criterion.benchmark_group("pipeline");
    group.throughput(Throughput::Elements(records));
    let mut run = 0;
    group.bench_function("scan 2000 subjects", |b| {
        b.iter(|| {
            run += 1;
            let db = dir.path().join(format!("bench-{run}.db"));
            let mut store = SqliteStore::open(&db).expect("database");
            let mut pipeline = Pipeline::new(Policy::default(), ReferenceData::none());
            let source = Source::Files {
                files: files.clone(),
                options: OpenOptions::default(),
            };
            let outcome = pipeline
                .scan(&mut store, source, &ScanOptions::default(), &mut ())
                .expect("scan");
            drop(store);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
            outcome.assessments.len()
        })
    });
    group.finish();
    criterion.final_summary();
}

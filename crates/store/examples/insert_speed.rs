//! How fast `put_record` stores records, in a fresh SQLite file in a temporary folder.
//!
//! ```text
//! cargo run --release -p redflag-store --example insert_speed [RECORDS] [BATCH]
//! ```
//!
//! RECORDS (default 1,000,000) records of ~250 bytes, for two kinds of key: writer ids
//! in order, and random keys (UUID-like ids and content hashes, the usual case). For
//! each: all records in one unit of work (`put_record` and `commit` timed apart), then
//! in units of BATCH (default 100,000), re-ingesting them all (every one a duplicate),
//! and reading them back with `for_each_record`. Keys and bodies are made before the
//! clock starts, so only the store is timed. Timings are not asserted anywhere.

use std::fmt::Write as _;
use std::time::Instant;

use redflag_store::{Kind, NewRecord, SqliteStore, Store, StoreError, SubjectId, Timestamp};

struct Input {
    keys: Vec<String>,
    subjects: Vec<SubjectId>,
    bodies: Vec<String>,
    ats: Vec<Timestamp>,
}

/// splitmix64: good enough randomness for test keys, no dependency.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn make_input(n: usize, hashed_keys: bool) -> Result<Input, Box<dyn std::error::Error>> {
    let base: Timestamp = "2026-01-01T00:00:00Z".parse()?;
    let subjects: Vec<SubjectId> = (0..1000)
        .map(|i| format!("sub-{i:05}").parse())
        .collect::<Result<_, _>>()?;
    let mut input = Input {
        keys: Vec::with_capacity(n),
        subjects: Vec::with_capacity(n),
        bodies: Vec::with_capacity(n),
        ats: Vec::with_capacity(n),
    };
    for i in 0..n {
        let key = if hashed_keys {
            format!("#{:016x}{:016x}", mix(i as u64), mix(!(i as u64)))
        } else {
            format!("login-{i:09}")
        };
        let subject = &subjects[(mix(i as u64 ^ 7) % 1000) as usize];
        let at = base.checked_add(jiff::SignedDuration::from_secs(i as i64))?;
        let mut body = String::with_capacity(260);
        write!(
            body,
            r#"{{"kind":"login","id":"{key}","subject":"{subject}","at":"{at}","ip":"203.0.113.{}","country":"US","user_agent":"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0","success":true,"mfa":"totp"}}"#,
            i % 250
        )?;
        input.keys.push(key);
        input.subjects.push(subject.clone());
        input.bodies.push(body);
        input.ats.push(at);
    }
    Ok(input)
}

/// Stores every record, committing every `batch`. Returns the seconds spent in
/// `put_record`, the seconds spent in `commit`, and how many records were new.
fn ingest(
    store: &mut SqliteStore,
    input: &Input,
    batch: usize,
) -> Result<(f64, f64, u64), StoreError> {
    let (mut put_secs, mut commit_secs, mut new) = (0.0, 0.0, 0);
    for chunk in (0..input.keys.len()).collect::<Vec<_>>().chunks(batch) {
        store.begin()?;
        let start = Instant::now();
        for &i in chunk {
            let fresh = store.put_record(&NewRecord {
                kind: Kind::Login,
                key: &input.keys[i],
                subject: &input.subjects[i],
                at: Some(input.ats[i]),
                body: &input.bodies[i],
                source: "logins.ndjson:123456",
            })?;
            new += u64::from(fresh);
        }
        put_secs += start.elapsed().as_secs_f64();
        let start = Instant::now();
        store.commit()?;
        commit_secs += start.elapsed().as_secs_f64();
    }
    Ok((put_secs, commit_secs, new))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let batch: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000)
        .max(1);
    let dir = tempfile::tempdir()?;
    let rate = |secs: f64| n as f64 / secs;

    for (label, hashed) in [
        ("writer ids in order", false),
        ("random keys (UUID-like ids, content hashes)", true),
    ] {
        let input = make_input(n, hashed)?;
        let avg = input.bodies.iter().map(String::len).sum::<usize>() / n.max(1);
        println!("{label}: {n} records, bodies ~{avg} B");

        let path = dir.path().join(format!("one-{hashed}.db"));
        let mut store = SqliteStore::open(&path)?;
        let (put, commit, new) = ingest(&mut store, &input, n.max(1))?;
        println!(
            "  one unit of work:  put_record {:>9.0}/s; with the commit ({commit:.2} s) {:>9.0}/s  [{new} new]",
            rate(put),
            rate(put + commit)
        );
        drop(store);

        let path = dir.path().join(format!("batched-{hashed}.db"));
        let mut store = SqliteStore::open(&path)?;
        let (put, commit, new) = ingest(&mut store, &input, batch)?;
        println!(
            "  batches of {batch}: put_record {:>9.0}/s; with the commits ({commit:.2} s) {:>9.0}/s  [{new} new]",
            rate(put),
            rate(put + commit)
        );

        let (put, commit, new) = ingest(&mut store, &input, batch)?;
        println!(
            "  re-ingest, all duplicates: {:>9.0}/s with commits  [{new} new]",
            rate(put + commit)
        );

        let start = Instant::now();
        let mut bytes = 0usize;
        store.for_each_record(&mut |r| {
            bytes += r.body.len();
            Ok(())
        })?;
        let secs = start.elapsed().as_secs_f64();
        println!(
            "  for_each_record: {:>9.0}/s ({} MB of bodies); database file {} MB",
            rate(secs),
            bytes / 1_000_000,
            std::fs::metadata(&path)?.len() / 1_000_000
        );
    }
    Ok(())
}

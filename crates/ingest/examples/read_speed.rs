//! How fast one core reads and parses short records.
//!
//! ```sh
//! cargo run --release -p redflag-ingest --example read_speed [records]
//! ```
//!
//! Writes ~200,000 `login` lines to a temporary file, then reads them back with
//! [`NdjsonReader`] and prints records per second, next to the rate of `parse_record`
//! alone on the same lines in memory (the part of the cost that is not reading).

use std::io::{BufWriter, Write};
use std::time::Instant;

use redflag_ingest::NdjsonReader;
use redflag_model::parse_record;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 200_000,
    };
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("logins.ndjson");
    let mut lines = Vec::with_capacity(count);
    {
        let mut out = BufWriter::new(std::fs::File::create(&path)?);
        for i in 0..count {
            let line = format!(
                r#"{{"kind":"login","id":"l-{i}","subject":"c-{subject}","account":"gitlab:user{subject}","at":"2026-03-{day:02}T{hour:02}:{minute:02}:{second:02}Z","ip":"203.0.{a}.{b}","success":{success},"user_agent":"Mozilla/5.0 (X11; Linux x86_64)","device_id":"d-{device}"}}"#,
                subject = i % 5_000,
                day = 1 + i % 28,
                hour = i % 24,
                minute = i % 60,
                second = (i / 60) % 60,
                a = (i / 256) % 256,
                b = i % 256,
                success = i % 7 != 0,
                device = i % 9_000,
            );
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
            lines.push(line);
        }
        out.flush()?;
    }
    let size = std::fs::metadata(&path)?.len();

    // Best of three, so the first run's page-cache fill does not count.
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        let mut records = 0usize;
        for item in NdjsonReader::open(&path)? {
            let record = item?;
            records += usize::from(!record.text.is_empty());
        }
        assert_eq!(records, count);
        best = best.min(start.elapsed().as_secs_f64());
    }

    let start = Instant::now();
    for line in &lines {
        parse_record(line)?;
    }
    let parse_only = start.elapsed().as_secs_f64();

    println!(
        "{count} records, {:.1} MB: read+parse {:.0} records/s ({:.0} MB/s, {:.2} µs/record); parse_record alone {:.0} records/s",
        size as f64 / 1e6,
        count as f64 / best,
        size as f64 / 1e6 / best,
        best * 1e6 / count as f64,
        count as f64 / parse_only,
    );
    Ok(())
}

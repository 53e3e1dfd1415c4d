//! Times the generation of a benchmark-sized population (1,000 subjects × 200 records)
//! into a counting sink, then into NDJSON files in a temporary directory.
//!
//! `cargo run --release -p redflag-synth --example gen_speed [subjects] [records_per_subject]`

use std::time::Instant;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let subjects = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let per = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let config = redflag_synth::Config {
        subjects,
        records_per_subject: per,
        ..Default::default()
    };

    let start = Instant::now();
    let mut records = 0u64;
    let mut bytes = 0usize;
    let truth = redflag_synth::generate(&config, &mut |r| {
        records += 1;
        bytes += serde_json::to_string(r)
            .map_err(std::io::Error::other)?
            .len()
            + 1;
        Ok(())
    })?;
    let elapsed = start.elapsed();
    println!(
        "generate: {} subjects, {records} records, {:.1} MB of NDJSON in {:.2?} ({:.0} records/s)",
        truth.len(),
        bytes as f64 / 1e6,
        elapsed,
        records as f64 / elapsed.as_secs_f64()
    );

    let dir = std::env::temp_dir().join(format!("redflag-gen-speed-{}", std::process::id()));
    let start = Instant::now();
    let (_, written) = redflag_synth::write_dir(&config, &dir)?;
    println!(
        "write_dir: {written} records to {} in {:.2?}",
        dir.display(),
        start.elapsed()
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

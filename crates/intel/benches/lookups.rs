//! Lookup speed on the real data: builds the index from the ip-location-db tarballs in
//! `../shared/data/ip` (skipped when they are absent), then times batches of IPv4 and
//! IPv6 lookups with criterion.
//!
//! Run with `cargo bench -p redflag-intel --features bench`: criterion is an optional
//! dependency behind the `bench` feature (not a dev-dependency), so that `cargo test`
//! never builds it. Lint with `cargo clippy -p redflag-intel --features bench --benches`.

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use redflag_intel::{IpIntel, bench_lookups, import, rss_bytes};

const BATCH: usize = 4096;

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ip");
    let tarballs = [
        data.join("ip-location-db-asn-2.3.2026061719.tgz"),
        data.join("ip-location-db-geo-whois-asn-country-2.3.2026061719.tgz"),
    ];
    if !tarballs.iter().all(|t| t.is_file()) {
        println!(
            "skipped: the ip-location-db tarballs are not in {}",
            data.display()
        );
        return;
    }
    let Ok(dir) = tempfile::tempdir() else {
        println!("skipped: no temporary folder");
        return;
    };
    let started = Instant::now();
    if let Err(e) = import(&tarballs, &[], dir.path(), &|_, _| {}) {
        println!("skipped: import failed: {e}");
        return;
    }
    let import_seconds = started.elapsed().as_secs_f64();
    let rss_before = rss_bytes();
    let started = Instant::now();
    let intel = match IpIntel::load(dir.path()) {
        Ok(intel) => intel,
        Err(e) => {
            println!("skipped: load failed: {e}");
            return;
        }
    };
    let load_seconds = started.elapsed().as_secs_f64();
    let rss_after = rss_bytes();
    let figures = bench_lookups(&intel, 5_000_000);
    let mb = |b: Option<u64>| b.map_or("n/a".into(), |b| format!("{:.1} MB", b as f64 / 1e6));
    println!(
        "import {import_seconds:.2} s, load {:.0} ms, index file {:.1} MB, index in memory {:.1} MB, RSS {} -> {}",
        load_seconds * 1e3,
        intel.status().index.bytes as f64 / 1e6,
        figures.index_heap_bytes as f64 / 1e6,
        mb(rss_before),
        mb(rss_after),
    );
    println!(
        "bench_lookups: {:.1} M IPv4 lookups/s, {:.1} M IPv6 lookups/s (one thread)",
        figures.lookups_per_sec / 1e6,
        figures.ipv6_lookups_per_sec / 1e6
    );

    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let v4: Vec<IpAddr> = (0..BATCH)
        .map(|_| IpAddr::V4(Ipv4Addr::from(next() as u32)))
        .collect();
    let v6: Vec<IpAddr> = (0..BATCH)
        .map(|_| {
            IpAddr::V6(Ipv6Addr::from(
                (0x2001u128 + u128::from(next() % 0xc0f)) << 112 | u128::from(next()),
            ))
        })
        .collect();
    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("lookup");
    group.throughput(Throughput::Elements(BATCH as u64));
    for (name, batch) in [("ipv4", &v4), ("ipv6", &v6)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sum = 0u64;
                for &ip in batch {
                    sum = sum.wrapping_add(u64::from(intel.lookup(black_box(ip)).asn.unwrap_or(0)));
                }
                sum
            })
        });
    }
    group.finish();
    c.final_summary();
}

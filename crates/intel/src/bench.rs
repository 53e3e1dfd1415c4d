//! Figures for `redflag bench intel`: lookup speed, load time and memory.

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::time::Instant;

use crate::error::IntelError;
use crate::index::IpIntel;

/// Lookup speed on one thread.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BenchFigures {
    /// Lookups timed per family.
    pub lookups: usize,
    /// IPv4 lookups per second (uniformly random addresses).
    pub lookups_per_sec: f64,
    /// IPv6 lookups per second (random addresses in the allocated 2001::/16–2c0f::/16
    /// span, where the data is).
    pub ipv6_lookups_per_sec: f64,
    /// Bytes of memory the loaded index holds.
    pub index_heap_bytes: usize,
}

/// Load time and the process's resident memory around the load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadFigures {
    /// Seconds to load (read, verify, decode).
    pub seconds: f64,
    /// Resident memory before loading, where the platform reports it (Linux).
    pub rss_before_bytes: Option<u64>,
    /// Resident memory after loading.
    pub rss_after_bytes: Option<u64>,
    /// Size of the index file.
    pub index_file_bytes: u64,
}

/// Times `n` IPv4 and `n` IPv6 lookups of deterministic pseudo-random addresses.
pub fn bench_lookups(intel: &IpIntel, n: usize) -> BenchFigures {
    let mut rng = SplitMix64(0x5eed_1e55_ab1e_f00d);
    let v4: Vec<IpAddr> = (0..n)
        .map(|_| IpAddr::V4(Ipv4Addr::from(rng.next() as u32)))
        .collect();
    let v6: Vec<IpAddr> = (0..n)
        .map(|_| {
            let top = 0x2001 + (rng.next() % (0x2c10 - 0x2001)) as u128;
            let rest = (u128::from(rng.next()) << 64 | u128::from(rng.next())) >> 16;
            IpAddr::V6(Ipv6Addr::from(top << 112 | rest))
        })
        .collect();
    BenchFigures {
        lookups: n,
        lookups_per_sec: rate(intel, &v4),
        ipv6_lookups_per_sec: rate(intel, &v6),
        index_heap_bytes: intel.memory_bytes(),
    }
}

fn rate(intel: &IpIntel, addresses: &[IpAddr]) -> f64 {
    let started = Instant::now();
    let mut sum = 0u64;
    for &ip in addresses {
        let info = intel.lookup(black_box(ip));
        sum = sum.wrapping_add(u64::from(info.asn.unwrap_or(0)) + info.class as u64);
    }
    black_box(sum);
    addresses.len() as f64 / started.elapsed().as_secs_f64().max(1e-9)
}

/// Loads the index of `dir` and measures the load.
pub fn load_measured(dir: &Path) -> Result<(IpIntel, LoadFigures), IntelError> {
    let rss_before_bytes = rss_bytes();
    let started = Instant::now();
    let intel = IpIntel::load(dir)?;
    let seconds = started.elapsed().as_secs_f64();
    let figures = LoadFigures {
        seconds,
        rss_before_bytes,
        rss_after_bytes: rss_bytes(),
        index_file_bytes: intel.status().index.bytes,
    };
    Ok((intel, figures))
}

/// The process's resident memory (`VmRSS` in `/proc/self/status`), on Linux.
pub fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A tiny deterministic generator, so that figures are comparable run to run.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

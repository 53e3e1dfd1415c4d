//! A throughput and latency measurement of `NameIndex::search`, for `redflag bench names`
//! and the criterion benchmark alike.

use std::time::Instant;

use crate::{NameIndex, NameKind};

/// Results shown per query, as a screening caller would ask.
const BENCH_LIMIT: usize = 10;
/// Lowest score returned: a review band below the hit threshold, so the index does the
/// work a screening run does (more than for hits alone).
const BENCH_MIN_SCORE: f64 = 0.75;

/// Search throughput and latency on one thread.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BenchFigures {
    /// Queries timed.
    pub queries: usize,
    /// Queries per second over the whole timed run.
    pub queries_per_sec: f64,
    /// Median latency of one query, microseconds.
    pub p50_us: f64,
    /// 99th-percentile latency of one query, microseconds.
    pub p99_us: f64,
}

/// Runs every query once as a warm-up and once timed (kind `Unknown`, 10 results, scores
/// from 0.75), on the calling thread.
pub fn bench<T, Q: AsRef<str>>(index: &NameIndex<T>, queries: &[Q]) -> BenchFigures {
    for q in queries {
        std::hint::black_box(index.search(
            q.as_ref(),
            NameKind::Unknown,
            BENCH_LIMIT,
            BENCH_MIN_SCORE,
        ));
    }
    let mut latencies: Vec<f64> = Vec::with_capacity(queries.len());
    let started = Instant::now();
    for q in queries {
        let t = Instant::now();
        std::hint::black_box(index.search(
            q.as_ref(),
            NameKind::Unknown,
            BENCH_LIMIT,
            BENCH_MIN_SCORE,
        ));
        latencies.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let total = started.elapsed().as_secs_f64();
    latencies.sort_unstable_by(f64::total_cmp);
    let percentile = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let rank = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[rank.min(latencies.len() - 1)]
    };
    BenchFigures {
        queries: queries.len(),
        queries_per_sec: if total > 0.0 {
            queries.len() as f64 / total
        } else {
            0.0
        },
        p50_us: percentile(0.50),
        p99_us: percentile(0.99),
    }
}

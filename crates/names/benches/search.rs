//! Search throughput against a list-sized index: OFAC SDN names and aliases, the UN and
//! Canadian lists, padded to 60,000 names with spelling variants of listed names (lists
//! grow by exactly such variants). Queries mix ordinary names from many countries (the
//! bulk of real screening), retyped list aliases, and Hangul and Cyrillic names.
//!
//! Run with `cargo bench -p redflag-names --features bench`: criterion is an optional
//! dependency behind the `bench` feature (not a dev-dependency), so that `cargo test`
//! never builds it. Lint with `cargo clippy -p redflag-names --features bench --benches`.

#[allow(dead_code)] // shared with the tests, which use other parts
#[path = "../tests/names/support.rs"]
mod support;

use criterion::{Criterion, Throughput};
use redflag_names::{NameIndex, NameKind, bench};

const TARGET_NAMES: usize = 60_000;

fn main() {
    let Some(dir) = support::data_dir("benches/search") else {
        return;
    };
    let (primaries, aliases) = support::ofac(&dir);
    let mut names: Vec<(String, NameKind)> = primaries
        .iter()
        .chain(&aliases)
        .map(|n| (n.name.clone(), n.kind))
        .collect();
    names.extend(
        support::other_list_names(&dir)
            .into_iter()
            .map(|n| (n, NameKind::Unknown)),
    );
    let listed = names.len();
    let mut i = 0;
    while names.len() < TARGET_NAMES {
        let (name, kind) = &names[i % listed];
        names.push((variant(name, i), *kind));
        i += 1;
    }

    let started = std::time::Instant::now();
    let mut builder = NameIndex::builder();
    for (n, (name, kind)) in names.iter().enumerate() {
        builder.add(name, *kind, n as u32);
    }
    let index = builder.build();
    println!(
        "index: {} names ({listed} listed + {} variants) built in {:.2} s, {:.1} MB",
        index.len(),
        index.len() - listed,
        started.elapsed().as_secs_f64(),
        index.memory_bytes() as f64 / 1e6
    );

    let mut queries: Vec<String> = support::ordinary_names(60)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    queries.extend(aliases.iter().step_by(13).map(|a| a.name.to_lowercase()));
    queries.extend(
        [
            "박진혁",
            "김정은",
            "리설주",
            "Владимир Путин",
            "Михаил Ходорковский",
            "Park Jin-hyuk",
            "Kim Jong-hoon",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let before = on_cpu_ns();
    let figures = bench(&index, &queries);
    let after = on_cpu_ns();
    println!(
        "bench(): {} queries, {:.0} queries/s on one core, p50 {:.1} µs, p99 {:.1} µs",
        figures.queries, figures.queries_per_sec, figures.p50_us, figures.p99_us
    );
    // bench() measures wall time; on a shared machine part of it is spent waiting for a
    // core. The scheduler's own count says how much of the run was on a CPU (bench() runs
    // every query twice: a warm-up pass and a timed one).
    if let (Some(before), Some(after)) = (before, after) {
        let on_cpu = (after - before) as f64 / 1e9 / 2.0;
        let wall = figures.queries as f64 / figures.queries_per_sec;
        println!(
            "on CPU {:.0}% of the timed run: {:.0} queries per CPU-second",
            100.0 * on_cpu / wall,
            figures.queries as f64 / on_cpu
        );
    }

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("names");
    // One iteration screens the whole query mix; criterion reports queries per second.
    group.throughput(Throughput::Elements(queries.len() as u64));
    group.sample_size(20);
    group.bench_function("search: query mix against 60k names", |b| {
        b.iter(|| {
            for q in &queries {
                std::hint::black_box(index.search(q, NameKind::Unknown, 10, 0.75));
            }
        })
    });
    group.finish();
    criterion.final_summary();
}

/// Time this thread has spent on a CPU, from the Linux scheduler (`None` elsewhere).
fn on_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// A spelling variant of a listed name, as another list or a later listing would write
/// it: one vowel or consonant swapped for a common transliteration alternative.
fn variant(name: &str, seed: usize) -> String {
    const SWAPS: [(&str, &str); 8] = [
        ("O", "U"),
        ("E", "A"),
        ("I", "Y"),
        ("K", "Q"),
        ("KH", "H"),
        ("SH", "SCH"),
        ("J", "DJ"),
        ("OU", "U"),
    ];
    let upper = name.to_uppercase();
    for k in 0..SWAPS.len() {
        let (from, to) = SWAPS[(seed + k) % SWAPS.len()];
        if let Some(at) = upper
            .match_indices(from)
            .nth(seed % 2)
            .or_else(|| upper.match_indices(from).next())
            .map(|(i, _)| i)
        {
            return format!("{}{}{}", &upper[..at], to, &upper[at + from.len()..]);
        }
    }
    format!("{upper} {}", seed % 97)
}

//! Bytes of engine state per subject, measured with a counting allocator on a synthetic
//! population: `cargo run --release -p redflag-engine --example state_bytes -- 2000 200`
//! (subjects, records per subject). Prints the heap the engine holds per subject in all,
//! and beyond the records kept whole (profiles, interviews, documents…), which is the
//! part that grows with the volume of logins, payments and activity.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use redflag_detect::Policy;
use redflag_engine::Engine;
use redflag_model::{Kind, ParsedRecord, record_key};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only a counter is
// added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Kinds the state keeps whole: they are few per person and detectors read every field.
fn kept_whole(kind: Kind) -> bool {
    !FOLDED.contains(&kind)
}

/// The kinds folded into summaries rather than kept whole.
const FOLDED: [Kind; 5] = [
    Kind::Login,
    Kind::Payment,
    Kind::Message,
    Kind::Activity,
    Kind::Device,
];

/// Heap held by an engine fed the synthetic population, counting only records `keep`
/// accepts.
fn engine_bytes(config: &redflag_synth::Config, keep: &dyn Fn(Kind) -> bool) -> (usize, u64) {
    let mut engine = Engine::new(Policy::default(), []);
    let baseline = LIVE.load(Ordering::Relaxed);
    let mut records = 0u64;
    redflag_synth::generate(config, &mut |record| {
        if keep(record.kind()) {
            records += 1;
            engine.ingest(ParsedRecord {
                key: record_key(record),
                record: record.clone(),
            });
        }
        Ok(())
    })
    .unwrap_or_else(|e| panic!("synthetic data: {e}"));
    let total = LIVE.load(Ordering::Relaxed).saturating_sub(baseline);
    drop(engine);
    (total, records)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let subjects: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let per_subject: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let config = redflag_synth::Config {
        subjects,
        records_per_subject: per_subject,
        ..redflag_synth::Config::default()
    };
    let (whole, whole_records) = engine_bytes(&config, &kept_whole);
    let (all, records) = engine_bytes(&config, &|_| true);
    let per = |bytes: usize| bytes as f64 / subjects as f64;
    println!("{subjects} subjects, {records} records ({whole_records} kept whole)");
    println!("engine state: {:.0} bytes per subject", per(all));
    println!("records kept whole: {:.0} bytes per subject", per(whole));
    println!(
        "beyond the records kept whole: {:.0} bytes per subject",
        per(all.saturating_sub(whole))
    );
    for kind in FOLDED {
        let (with, n) = engine_bytes(&config, &|k| kept_whole(k) || k == kind);
        println!(
            "  {kind}: {:.0} bytes per subject ({:.0} records each)",
            per(with.saturating_sub(whole)),
            (n - whole_records) as f64 / subjects as f64
        );
    }
}

//! Helpers for detector tests: a subject from NDJSON lines, and a context with as much
//! reference data as a test needs.

use redflag_model::{Signal, Timestamp, parse_record};

use crate::detector::{Context, Detector};
use crate::policy::Policy;
use crate::state::SubjectState;

/// A subject `c-1` built from NDJSON lines.
pub fn state(lines: &[&str]) -> SubjectState {
    let mut s = SubjectState::new("c-1".parse().expect("id"));
    for line in lines {
        let p = parse_record(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        s.apply(p.key, p.record);
    }
    s
}

pub fn run_at(detector: &dyn Detector, state: &SubjectState, as_of: &str) -> Vec<Signal> {
    let policy = Policy::default();
    let ctx = Context::new(&policy, as_of.parse::<Timestamp>().expect("as_of"));
    let mut out = Vec::new();
    detector.detect(state, &ctx, &mut out);
    for s in &out {
        assert_eq!(s.code, detector.code());
        assert_eq!(s.advisory, detector.advisory());
        assert!(
            s.weight > 0.0,
            "{} has no weight in the default policy",
            s.code
        );
        assert!(!s.evidence.is_empty(), "{} has no evidence", s.code);
        assert!(!s.summary.is_empty());
    }
    out
}

/// Runs with a small IP index and country points for US, CA, CN, RU, FR, KR.
pub fn run_with_intel(
    detector: &dyn Detector,
    state: &SubjectState,
    intel: &redflag_intel::IpIntel,
) -> Vec<Signal> {
    let policy = Policy::default();
    let points = crate::geo::CountryPoints::parse(
        "US,37.09,-95.71\nCA,56.13,-106.35\nCN,35.86,104.20\nRU,61.52,105.32\nFR,46.23,2.21\nKR,35.91,127.77\n",
    )
    .expect("points");
    let ctx = Context {
        intel: Some(intel),
        points: Some(&points),
        ..Context::new(&policy, "2026-04-01T00:00:00Z".parse().expect("as_of"))
    };
    let mut out = Vec::new();
    detector.detect(state, &ctx, &mut out);
    for s in &out {
        assert_eq!(s.code, detector.code());
        assert!(
            s.weight > 0.0,
            "{} has no weight in the default policy",
            s.code
        );
        assert!(!s.evidence.is_empty(), "{} has no evidence", s.code);
    }
    out
}

/// Runs on subject `who` with a link index over every line (all subjects).
pub fn run_with_links(detector: &dyn Detector, lines: &[&str], who: &str) -> Vec<Signal> {
    let mut index = crate::links::LinkIndex::default();
    let mut state = SubjectState::new(who.parse().expect("id"));
    for l in lines {
        let p = parse_record(l).unwrap_or_else(|e| panic!("{e}: {l}"));
        index.observe(p.record.subject(), &p.record);
        if p.record.subject().as_str() == who {
            state.apply(p.key, p.record);
        }
    }
    let policy = Policy::default();
    let ctx = Context {
        links: Some(&index),
        ..Context::new(&policy, "2026-04-01T00:00:00Z".parse().expect("as_of"))
    };
    let mut out = Vec::new();
    detector.detect(&state, &ctx, &mut out);
    out
}

/// Runs with the organisation's payee statistics (RF1) at 2026-04-01.
pub fn run_with_population(
    detector: &dyn Detector,
    state: &SubjectState,
    population: &crate::population::PopulationStats,
) -> Vec<Signal> {
    let policy = Policy::default();
    let ctx = Context {
        population: Some(population),
        ..Context::new(&policy, "2026-04-01T00:00:00Z".parse().expect("as_of"))
    };
    let mut out = Vec::new();
    detector.detect(state, &ctx, &mut out);
    for s in &out {
        assert_eq!(s.code, detector.code());
        assert!(!s.evidence.is_empty(), "{} has no evidence", s.code);
    }
    out
}

pub fn run(detector: &dyn Detector, lines: &[&str]) -> Vec<Signal> {
    run_at(detector, &state(lines), "2026-04-01T00:00:00Z")
}

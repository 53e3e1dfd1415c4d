//! The detectors, one module per red flag. Adding one: a module here and a line in
//! [`all`]; its weight goes in `policy.default.toml`.

mod avoids_video;
mod credentials;
mod crypto_request;
mod deepfake;
mod documents_slow;
mod dprk_nexus;
mod forgery;
mod low_bid;
mod no_contract;
mod shared_identifiers;

use redflag_model::Timestamp;

use crate::detector::Detector;

pub use avoids_video::AvoidsVideo;
pub use credentials::CredentialsNotVerified;
pub use crypto_request::CryptoRequested;
pub use deepfake::DeepfakeIndicators;
pub use documents_slow::DocumentsSlow;
pub use dprk_nexus::DprkNexus;
pub use forgery::ForgeryIndicators;
pub use low_bid::LowBid;
pub use no_contract::WorkBeforeContract;
pub use shared_identifiers::{SharedIdentifiers, current_employers};

/// Every detector redflag runs.
pub fn all() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(DprkNexus),
        Box::new(CryptoRequested),
        Box::new(DocumentsSlow),
        Box::new(ForgeryIndicators),
        Box::new(AvoidsVideo),
        Box::new(DeepfakeIndicators),
        Box::new(LowBid),
        Box::new(WorkBeforeContract),
        Box::new(CredentialsNotVerified),
        Box::new(SharedIdentifiers),
    ]
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: Timestamp, b: Timestamp) -> i64 {
    (b.as_second() - a.as_second()).div_euclid(86_400)
}

/// "1 passport" / "3 documents": English plurals for summaries.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
pub(crate) mod testing {
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
        let ctx = Context {
            policy: &policy,
            as_of: as_of.parse::<Timestamp>().expect("as_of"),
            links: None,
        };
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

    pub fn run(detector: &dyn Detector, lines: &[&str]) -> Vec<Signal> {
        run_at(detector, &state(lines), "2026-04-01T00:00:00Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    #[test]
    fn every_detector_has_a_weight_and_a_unique_code() {
        let policy = Policy::default();
        let mut codes: Vec<&str> = all().iter().map(|d| d.code()).collect();
        for code in &codes {
            assert!(
                policy.weight(code) > 0.0,
                "{code} missing from policy.default.toml"
            );
        }
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all().len());
        assert_eq!(
            policy.weights.len(),
            all().len(),
            "policy weights without a detector"
        );
    }
}

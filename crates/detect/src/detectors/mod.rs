//! The detectors, one module per red flag. Adding one: a module here and a line in
//! [`all`]; its weight goes in `policy.default.toml`.

mod account_churn;
mod anonymiser;
mod avoids_video;
mod credentials;
mod crypto_request;
mod deepfake;
mod device_timezone;
mod document_mismatch;
mod documents_slow;
mod dprk_nexus;
mod email;
mod forgery;
mod history;
mod history_imported;
mod impossible_travel;
mod login_country;
mod low_bid;
mod multi_country;
pub(crate) mod network;
mod no_contract;
mod other_names;
mod phone;
mod platform_frequency;
mod profile_changes;
mod remote_control;
mod round_the_clock;
mod sanctions;
mod shared_identifiers;
mod working_hours;

use redflag_model::Timestamp;

use crate::detector::Detector;

pub use account_churn::AccountChurn;
pub use anonymiser::Anonymiser;
pub use avoids_video::AvoidsVideo;
pub use credentials::CredentialsNotVerified;
pub use crypto_request::CryptoRequested;
pub use deepfake::DeepfakeIndicators;
pub use device_timezone::DeviceTimezone;
pub use document_mismatch::DocumentMismatch;
pub use documents_slow::DocumentsSlow;
pub use dprk_nexus::DprkNexus;
pub use email::DisposableEmail;
pub use forgery::ForgeryIndicators;
pub use history::ImplausibleHistory;
pub use history_imported::HistoryImported;
pub use impossible_travel::ImpossibleTravel;
pub use login_country::LoginCountry;
pub use low_bid::LowBid;
pub use multi_country::MultiCountry;
pub use no_contract::WorkBeforeContract;
pub use other_names::OtherNames;
pub use phone::PhoneNumbers;
pub use platform_frequency::PlatformFrequency;
pub use profile_changes::ProfileChanges;
pub use remote_control::RemoteControl;
pub use round_the_clock::RoundTheClock;
pub use sanctions::{SanctionsMatch, sanctions_hits};
pub use shared_identifiers::{SharedIdentifiers, current_employers};
pub use working_hours::WorkingHours;

/// Every detector redflag runs.
pub fn all() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(SanctionsMatch),
        Box::new(DprkNexus),
        Box::new(CryptoRequested),
        Box::new(PlatformFrequency),
        Box::new(AccountChurn),
        Box::new(DocumentsSlow),
        Box::new(ForgeryIndicators),
        Box::new(AvoidsVideo),
        Box::new(DeepfakeIndicators),
        Box::new(LowBid),
        Box::new(WorkBeforeContract),
        Box::new(CredentialsNotVerified),
        Box::new(SharedIdentifiers),
        Box::new(MultiCountry),
        Box::new(ImpossibleTravel),
        Box::new(Anonymiser),
        Box::new(LoginCountry),
        Box::new(DeviceTimezone),
        Box::new(WorkingHours),
        Box::new(RoundTheClock),
        Box::new(RemoteControl),
        Box::new(ProfileChanges),
        Box::new(OtherNames),
        Box::new(DocumentMismatch),
        Box::new(PhoneNumbers),
        Box::new(DisposableEmail),
        Box::new(ImplausibleHistory),
        Box::new(HistoryImported),
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
            intel: None,
            points: None,
            screener: None,
            population: None,
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
            policy: &policy,
            as_of: "2026-04-01T00:00:00Z".parse().expect("as_of"),
            links: None,
            intel: Some(intel),
            points: Some(&points),
            screener: None,
            population: None,
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
            index.observe(&p.record);
            if p.record.subject().as_str() == who {
                state.apply(p.key, p.record);
            }
        }
        let policy = Policy::default();
        let ctx = Context {
            policy: &policy,
            as_of: "2026-04-01T00:00:00Z".parse().expect("as_of"),
            links: Some(&index),
            intel: None,
            points: None,
            screener: None,
            population: None,
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
            policy: &policy,
            as_of: "2026-04-01T00:00:00Z".parse().expect("as_of"),
            links: None,
            intel: None,
            points: None,
            screener: None,
            population: Some(population),
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

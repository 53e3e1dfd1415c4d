//! From signals to a score and a band.
//!
//! Signals are evidence, combined as log-odds: each adds `weight × confidence` to the
//! policy's prior. Contributions are summed per advisory clause and each clause is capped,
//! so ten logins from odd places cannot outweigh three independent kinds of evidence. The
//! sum maps to 0–100 through the logistic curve. A decisive signal (a DPRK nexus or a
//! sanctions match at or above the policy's `decisive_confidence`) forces `critical`.

use std::collections::BTreeMap;

use redflag_model::{Advisory, Band, Signal};

use crate::policy::Policy;

/// Score (0–100) and band of a set of signals.
pub fn score(signals: &[Signal], policy: &Policy) -> (u8, Band) {
    let mut per_family: BTreeMap<Advisory, f64> = BTreeMap::new();
    for s in signals {
        *per_family.entry(s.advisory).or_default() += s.weight * s.confidence;
    }
    let cap = policy.scoring.family_cap;
    let logit = policy.scoring.prior + per_family.values().map(|v| v.min(cap)).sum::<f64>();
    let mut score = (100.0 / (1.0 + (-logit).exp())).round().clamp(0.0, 100.0) as u8;
    let decisive = signals.iter().any(|s| {
        matches!(s.advisory, Advisory::MdDprk | Advisory::Sanctions)
            && s.confidence >= policy.scoring.decisive_confidence
    });
    if decisive {
        score = score.max(policy.bands.critical);
        return (score, Band::Critical);
    }
    (score, band_of(score, policy))
}

/// The band a score falls in.
pub fn band_of(score: u8, policy: &Policy) -> Band {
    let b = &policy.bands;
    if score >= b.critical {
        Band::Critical
    } else if score >= b.high {
        Band::High
    } else if score >= b.medium {
        Band::Medium
    } else {
        Band::Low
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(advisory: Advisory, weight: f64, confidence: f64) -> Signal {
        Signal {
            code: "test.signal".into(),
            advisory,
            weight,
            confidence,
            summary: String::new(),
            evidence: vec![],
        }
    }

    #[test]
    fn no_signals_is_low() {
        let (score, band) = score(&[], &Policy::default());
        assert_eq!(band, Band::Low);
        assert!(score < 10, "{score}");
    }

    #[test]
    fn one_moderate_signal_is_not_high() {
        let (s, band) = score(&[signal(Advisory::RF2, 1.6, 0.9)], &Policy::default());
        assert!(band <= Band::Medium, "{s} {band}");
    }

    #[test]
    fn independent_families_add_up_to_high_and_critical() {
        let p = Policy::default();
        let three = [
            signal(Advisory::RF2, 1.6, 0.9),
            signal(Advisory::RF6, 1.8, 0.85),
            signal(Advisory::M5, 2.0, 0.8),
        ];
        let (s3, b3) = score(&three, &p);
        assert!(b3 >= Band::High, "{s3} {b3}");
        let mut five = three.to_vec();
        five.push(signal(Advisory::RF7, 2.8, 0.9));
        five.push(signal(Advisory::M2, 2.6, 0.9));
        let (s5, b5) = score(&five, &p);
        assert_eq!(b5, Band::Critical, "{s5}");
        assert!(s5 > s3);
    }

    #[test]
    fn one_family_is_capped() {
        let p = Policy::default();
        let many: Vec<Signal> = (0..20).map(|_| signal(Advisory::RF8, 2.0, 1.0)).collect();
        let (capped, _) = score(&many, &p);
        let (one_cap, _) = score(&[signal(Advisory::RF8, p.scoring.family_cap, 1.0)], &p);
        assert_eq!(capped, one_cap);
    }

    #[test]
    fn a_dprk_nexus_forces_critical_whatever_the_weight() {
        let p = Policy::default();
        let (s, b) = score(&[signal(Advisory::MdDprk, 0.0, 1.0)], &p);
        assert_eq!(b, Band::Critical);
        assert!(s >= p.bands.critical);
        // An uncertain nexus does not force the band.
        let (_, b) = score(&[signal(Advisory::MdDprk, 0.0, 0.5)], &p);
        assert_eq!(b, Band::Low);
    }

    #[test]
    fn bands_follow_the_policy() {
        let p = Policy::default();
        assert_eq!(band_of(p.bands.medium - 1, &p), Band::Low);
        assert_eq!(band_of(p.bands.medium, &p), Band::Medium);
        assert_eq!(band_of(p.bands.high, &p), Band::High);
        assert_eq!(band_of(100, &p), Band::Critical);
    }
}

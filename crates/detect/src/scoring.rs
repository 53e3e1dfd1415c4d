//! From signals to a score and a band.
//!
//! Signals are evidence, combined as log-odds: each adds `weight × confidence` to the
//! policy's prior. Contributions are summed per advisory clause and each clause is capped,
//! so ten logins from odd places cannot outweigh three independent kinds of evidence. The
//! sum maps to 0–100 through the logistic curve. A decisive signal (a DPRK nexus or a
//! sanctions match at or above the policy's `decisive_confidence`) forces `critical`.
//!
//! Corroboration: each signal code is strong or weak in the policy. Weak signals each
//! have innocent explanations, and several coincidences are still coincidences, so
//! without a strong signal the score stops at the policy's `weak_only_max`, below
//! `high`. The log-odds model is unchanged underneath; the cap only holds the result.

use std::collections::BTreeMap;

use redflag_model::{Advisory, Band, Signal};

use crate::policy::Policy;

/// A score with the reason it stopped where it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub score: u8,
    pub band: Band,
    /// In words, e.g. "three weak signals, nothing strong: held at medium".
    pub note: String,
}

/// Score (0–100) and band of a set of signals.
pub fn score(signals: &[Signal], policy: &Policy) -> (u8, Band) {
    let s = assess(signals, policy);
    (s.score, s.band)
}

/// Score, band and the reason for them.
pub fn assess(signals: &[Signal], policy: &Policy) -> Scored {
    let (raw, band) = combine(signals, policy);
    let strong = signals.iter().filter(|s| policy.is_strong(s)).count();
    let weak = signals.len() - strong;
    let counted = count_words(strong, weak);
    if band == Band::Critical && decisive(signals, policy) {
        return Scored {
            score: raw,
            band,
            note: format!(
                "{counted}, one of them decisive (a DPRK nexus or a confirmed sanctions match): critical"
            ),
        };
    }
    if strong == 0 && raw > policy.scoring.weak_only_max {
        let score = policy.scoring.weak_only_max;
        let held = band_of(score, policy);
        return Scored {
            score,
            band: held,
            note: format!(
                "{counted}, nothing strong: held at {held} (weak signals alone never reach high; they would have scored {raw})"
            ),
        };
    }
    let note = match (strong, weak) {
        (0, 0) => format!("no red flags: {band}"),
        (0, _) => format!("{counted}, nothing strong: {band}"),
        _ => format!("{counted}: {band}"),
    };
    Scored {
        score: raw,
        band,
        note,
    }
}

/// "one strong signal and two weak", "three weak signals".
fn count_words(strong: usize, weak: usize) -> String {
    let plural = |n: usize| if n == 1 { "signal" } else { "signals" };
    match (strong, weak) {
        (0, 0) => "no signals".into(),
        (0, w) => format!("{} weak {}", number(w), plural(w)),
        (s, 0) => format!("{} strong {}", number(s), plural(s)),
        (s, w) => format!("{} strong {} and {} weak", number(s), plural(s), number(w)),
    }
}

fn number(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

fn decisive(signals: &[Signal], policy: &Policy) -> bool {
    signals.iter().any(|s| {
        matches!(s.advisory, Advisory::MdDprk | Advisory::Sanctions)
            && s.confidence >= policy.scoring.decisive_confidence
    })
}

/// The log-odds model before corroboration is asked for.
fn combine(signals: &[Signal], policy: &Policy) -> (u8, Band) {
    let mut per_family: BTreeMap<Advisory, f64> = BTreeMap::new();
    for s in signals {
        *per_family.entry(s.advisory).or_default() += s.weight * s.confidence;
    }
    let cap = policy.scoring.family_cap;
    let logit = policy.scoring.prior + per_family.values().map(|v| v.min(cap)).sum::<f64>();
    let mut score = (100.0 / (1.0 + (-logit).exp())).round().clamp(0.0, 100.0) as u8;
    if decisive(signals, policy) {
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

    /// A signal of a real code, so the policy's strength applies.
    fn signal(code: &str, advisory: Advisory, weight: f64, confidence: f64) -> Signal {
        Signal {
            code: code.into(),
            advisory,
            weight,
            confidence,
            summary: String::new(),
            evidence: vec![],
        }
    }

    fn weak(advisory: Advisory, weight: f64, confidence: f64) -> Signal {
        signal("credentials.not_verified", advisory, weight, confidence)
    }

    fn strong(advisory: Advisory, weight: f64, confidence: f64) -> Signal {
        signal("devices.remote_control", advisory, weight, confidence)
    }

    #[test]
    fn no_signals_is_low() {
        let (score, band) = score(&[], &Policy::default());
        assert_eq!(band, Band::Low);
        assert!(score < 10, "{score}");
    }

    #[test]
    fn one_moderate_signal_is_not_high() {
        let (s, band) = score(&[strong(Advisory::RF2, 1.6, 0.9)], &Policy::default());
        assert!(band <= Band::Medium, "{s} {band}");
    }

    #[test]
    fn independent_families_add_up_to_high_and_critical() {
        let p = Policy::default();
        let three = [
            weak(Advisory::RF2, 1.6, 0.9),
            weak(Advisory::RF6, 1.8, 0.85),
            strong(Advisory::M5, 2.0, 0.8),
        ];
        let (s3, b3) = score(&three, &p);
        assert!(b3 >= Band::High, "{s3} {b3}");
        let mut five = three.to_vec();
        five.push(strong(Advisory::RF7, 2.8, 0.9));
        five.push(weak(Advisory::M2, 2.6, 0.9));
        let (s5, b5) = score(&five, &p);
        assert_eq!(b5, Band::Critical, "{s5}");
        assert!(s5 > s3);
    }

    #[test]
    fn one_family_is_capped() {
        let p = Policy::default();
        let many: Vec<Signal> = (0..20).map(|_| strong(Advisory::RF8, 2.0, 1.0)).collect();
        let (capped, _) = score(&many, &p);
        let (one_cap, _) = score(&[strong(Advisory::RF8, p.scoring.family_cap, 1.0)], &p);
        assert_eq!(capped, one_cap);
    }

    #[test]
    fn weak_signals_alone_stay_below_high_however_many() {
        let p = Policy::default();
        let families = [
            Advisory::RF1,
            Advisory::RF2,
            Advisory::RF4,
            Advisory::RF5,
            Advisory::RF6,
            Advisory::RF8,
            Advisory::RF9,
            Advisory::M1,
            Advisory::M5,
            Advisory::Conceal,
        ];
        let many: Vec<Signal> = families.iter().map(|a| weak(*a, 3.0, 1.0)).collect();
        let (raw, raw_band) = combine(&many, &p);
        assert_eq!(
            raw_band,
            Band::Critical,
            "the log-odds alone would say {raw}"
        );
        let s = assess(&many, &p);
        assert_eq!(s.score, p.scoring.weak_only_max);
        assert_eq!(s.band, Band::Medium);
        assert!(
            s.note
                .starts_with("ten weak signals, nothing strong: held at medium"),
            "{}",
            s.note
        );
    }

    #[test]
    fn one_strong_signal_with_weak_ones_reaches_high() {
        let p = Policy::default();
        let signals = [
            strong(Advisory::Link, 2.2, 0.9),
            weak(Advisory::M5, 2.0, 0.8),
            weak(Advisory::RF2, 1.6, 0.9),
            weak(Advisory::RF9, 1.2, 0.9),
        ];
        let s = assess(&signals, &p);
        assert!(s.band >= Band::High, "{s:?}");
        assert_eq!(
            s.note,
            format!("one strong signal and three weak: {}", s.band)
        );
    }

    #[test]
    fn a_sanctions_hit_under_review_is_weak_and_never_high() {
        let p = Policy::default();
        let review = p.thresholds.sanctions_review_confidence;
        let hit = signal("sanctions.match", Advisory::Sanctions, 6.0, review);
        assert!(!p.is_strong(&hit));
        let mut signals = vec![hit];
        for a in [Advisory::RF2, Advisory::RF4, Advisory::M5, Advisory::RF9] {
            signals.push(weak(a, 3.0, 1.0));
        }
        let s = assess(&signals, &p);
        assert!(s.band < Band::High, "{s:?}");
        // Confirmed, the same hit is strong and decisive.
        let confirmed = signal("sanctions.match", Advisory::Sanctions, 6.0, 0.95);
        assert!(p.is_strong(&confirmed));
        assert_eq!(assess(&[confirmed], &p).band, Band::Critical);
    }

    #[test]
    fn a_dprk_nexus_forces_critical_whatever_the_weight() {
        let p = Policy::default();
        let nexus = |confidence| signal("dprk.nexus", Advisory::MdDprk, 0.0, confidence);
        let s = assess(&[nexus(1.0)], &p);
        assert_eq!(s.band, Band::Critical);
        assert!(s.score >= p.bands.critical);
        assert!(s.note.contains("decisive"), "{}", s.note);
        // An uncertain nexus does not force the band.
        let (_, b) = score(&[nexus(0.5)], &p);
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

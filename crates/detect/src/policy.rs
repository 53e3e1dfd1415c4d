//! Weights and thresholds, read from TOML. The defaults live in `policy.default.toml`,
//! which is compiled in and is also what `redflag policy` prints, so the documented
//! defaults and the running defaults cannot drift apart.

use std::collections::BTreeMap;

use redflag_model::{Advisory, Signal};
use serde::Deserialize;

/// The policy file shipped with redflag, comments and all.
pub const DEFAULT_POLICY_TOML: &str = include_str!("../policy.default.toml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub scoring: Scoring,
    pub bands: Bands,
    pub weights: BTreeMap<String, f64>,
    /// Whether each signal code is strong or weak evidence (see [`Strength`]).
    pub strength: BTreeMap<String, Strength>,
    pub thresholds: Thresholds,
}

/// How much a signal proves on its own. Weak signals alone never reach `high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Strong,
    Weak,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub prior: f64,
    pub family_cap: f64,
    pub decisive_confidence: f64,
    pub weak_only_max: u8,
    /// A signal of a strong code below this confidence counts as weak: the detector itself
    /// doubts it (an address shared with one other person, a passport from a second
    /// nationality).
    pub strong_min_confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    pub medium: u8,
    pub high: u8,
    pub critical: u8,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub document_pending_days: u32,
    pub document_late_days: u32,
    pub bid_ratio: f64,
    pub bid_min_competitors: usize,
    pub rf1_window_days: u32,
    pub rf1_min_payouts: usize,
    pub rf1_mad_multiplier: f64,
    pub rf1_min_payees: usize,
    pub m1_window_days: u32,
    pub m1_max_accounts: usize,
    pub m1_holder_min_score: f64,
    pub rf3_min_countries: usize,
    pub rf3_window_hours: u32,
    pub rf3_min_bounces: usize,
    pub travel_max_kmh: f64,
    pub travel_min_km: f64,
    pub anonymiser_min_share: f64,
    pub anonymiser_min_logins: usize,
    pub location_min_logins: usize,
    pub location_foreign_share: f64,
    pub timezone_min_hours: u32,
    pub round_the_clock_hours: u32,
    pub round_the_clock_min_days: usize,
    pub round_the_clock_window_days: u32,
    pub sanctions_threshold: f64,
    pub sanctions_review_confidence: f64,
    pub lists_max_shrink: f64,
    pub lists_max_age_days: u32,
    pub name_variant_score: f64,
    pub degree_min_age: u32,
    pub job_overlap_days: u32,
    pub new_account_days: u32,
    pub imported_history_years: u32,
    pub linkedin_min_connections: u32,
    pub linkedin_career_years: u32,
    pub photo_max_bits: u32,
    pub resume_min_similarity: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("the policy is not valid TOML: {0}")]
    Toml(String),
    #[error(
        "the policy has an unknown signal code {code:?} under [{table}] (known codes: {known})"
    )]
    UnknownSignal {
        table: &'static str,
        code: String,
        known: String,
    },
    #[error("the policy is inconsistent: {0}")]
    Inconsistent(String),
}

impl Default for Policy {
    fn default() -> Self {
        // The embedded file is compiled in and parsed by a unit test: not input.
        Policy::from_toml("").expect("the embedded default policy is valid")
    }
}

impl Policy {
    /// Reads a policy; whatever it leaves out keeps the default.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let mut merged: toml::Table =
            toml::from_str(DEFAULT_POLICY_TOML).map_err(|e| PolicyError::Toml(e.to_string()))?;
        let user: toml::Table =
            toml::from_str(text).map_err(|e| PolicyError::Toml(e.to_string()))?;
        let known: Vec<String> = merged
            .get("weights")
            .and_then(|w| w.as_table())
            .map(|w| w.keys().cloned().collect())
            .unwrap_or_default();
        for table in ["weights", "strength"] {
            if let Some(codes) = user.get(table).and_then(|w| w.as_table())
                && let Some(code) = codes.keys().find(|k| !known.contains(k))
            {
                return Err(PolicyError::UnknownSignal {
                    table,
                    code: code.clone(),
                    known: known.join(", "),
                });
            }
        }
        merge(&mut merged, user);
        let policy: Policy = toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| PolicyError::Toml(e.to_string()))?;
        policy.check()?;
        Ok(policy)
    }

    fn check(&self) -> Result<(), PolicyError> {
        let b = &self.bands;
        if !(b.medium < b.high && b.high < b.critical && b.critical <= 100) {
            return Err(PolicyError::Inconsistent(format!(
                "bands must rise: medium ({}) < high ({}) < critical ({}) ≤ 100",
                b.medium, b.high, b.critical
            )));
        }
        if let Some((code, w)) = self
            .weights
            .iter()
            .find(|(_, w)| !w.is_finite() || **w < 0.0)
        {
            return Err(PolicyError::Inconsistent(format!(
                "weight of {code} is {w}; weights are 0 or more"
            )));
        }
        if !(0.0..=1.0).contains(&self.thresholds.bid_ratio) {
            return Err(PolicyError::Inconsistent(
                "thresholds.bid_ratio must be between 0 and 1".into(),
            ));
        }
        for (name, value) in [
            (
                "sanctions_review_confidence",
                self.thresholds.sanctions_review_confidence,
            ),
            ("lists_max_shrink", self.thresholds.lists_max_shrink),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(PolicyError::Inconsistent(format!(
                    "thresholds.{name} must be between 0 and 1 (it is {value})"
                )));
            }
        }
        if self.thresholds.sanctions_review_confidence >= self.scoring.decisive_confidence {
            return Err(PolicyError::Inconsistent(
                "thresholds.sanctions_review_confidence must stay below scoring.decisive_confidence: a name alone never decides".into(),
            ));
        }
        if self.scoring.weak_only_max >= b.high {
            return Err(PolicyError::Inconsistent(format!(
                "scoring.weak_only_max ({}) must stay below bands.high ({}): weak signals alone never reach high",
                self.scoring.weak_only_max, b.high
            )));
        }
        if let Some(code) = self
            .weights
            .keys()
            .find(|c| !self.strength.contains_key(*c))
        {
            return Err(PolicyError::Inconsistent(format!(
                "{code} has a weight but no [strength] (strong or weak)"
            )));
        }
        if !(0.0..=1.0).contains(&self.scoring.strong_min_confidence) {
            return Err(PolicyError::Inconsistent(
                "scoring.strong_min_confidence must be between 0 and 1".into(),
            ));
        }
        if !(0.3..=1.0).contains(&self.thresholds.resume_min_similarity) {
            return Err(PolicyError::Inconsistent(
                "thresholds.resume_min_similarity must be between 0.3 and 1: below, unrelated résumés meet".into(),
            ));
        }
        if self.thresholds.photo_max_bits > 16 {
            return Err(PolicyError::Inconsistent(
                "thresholds.photo_max_bits must be 16 or less: beyond that strangers' photos meet"
                    .into(),
            ));
        }
        if self.scoring.family_cap <= 0.0 {
            return Err(PolicyError::Inconsistent(
                "scoring.family_cap must be above 0".into(),
            ));
        }
        Ok(())
    }

    /// The weight of a signal code; 0 for a code the policy does not know, which a unit
    /// test rules out for every code a detector emits.
    pub fn weight(&self, code: &str) -> f64 {
        self.weights.get(code).copied().unwrap_or(0.0)
    }

    /// Whether a signal is strong evidence: its code is marked strong and the detector is
    /// sure enough of it. A sanctions match is strong only when confirmed: a hit on the
    /// name alone counts at most at the review confidence.
    pub fn is_strong(&self, signal: &Signal) -> bool {
        let strong = self.strength.get(&signal.code) == Some(&Strength::Strong)
            && signal.confidence >= self.scoring.strong_min_confidence;
        if signal.advisory == Advisory::Sanctions {
            return strong && signal.confidence > self.thresholds.sanctions_review_confidence;
        }
        strong
    }

    /// A short fingerprint of the policy, stored with each assessment.
    pub fn fingerprint(&self) -> String {
        let text = format!("{self:?}");
        let mut h: u64 = 0xcbf29ce484222325;
        for b in text.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
        format!("{h:016x}")
    }
}

fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_import_guard_defaults_to_the_watchlist_default() {
        assert_eq!(
            Policy::default().thresholds.lists_max_shrink,
            redflag_watchlist::DEFAULT_MAX_SHRINK
        );
        let e = Policy::from_toml("[thresholds]\nsanctions_review_confidence = 0.95")
            .expect_err("a name alone must not decide");
        assert!(
            e.to_string().contains("below scoring.decisive_confidence"),
            "{e}"
        );
    }

    #[test]
    fn the_embedded_default_parses() {
        let p = Policy::from_toml("").expect("default policy");
        assert_eq!(p, Policy::default());
        assert!(p.weight("documents.forgery_indicators") > 0.0);
    }

    #[test]
    fn a_partial_policy_overrides_only_what_it_names() {
        let p = Policy::from_toml(
            "[weights]\n\"bids.far_below_competitors\" = 0.1\n[bands]\nhigh = 70",
        )
        .unwrap();
        assert_eq!(p.weight("bids.far_below_competitors"), 0.1);
        assert_eq!(p.bands.high, 70);
        assert_eq!(p.bands.medium, Policy::default().bands.medium);
    }

    #[test]
    fn mistakes_are_explained() {
        let e = Policy::from_toml("[weights]\n\"bids.too_low\" = 1").unwrap_err();
        assert!(e.to_string().contains("bids.too_low"), "{e}");
        let e = Policy::from_toml("[bands]\nmedium = 90").unwrap_err();
        assert!(e.to_string().contains("bands must rise"), "{e}");
        let e = Policy::from_toml("[scoring]\npriorr = 1").unwrap_err();
        assert!(e.to_string().contains("priorr"), "{e}");
        let e = Policy::from_toml("[strength]\n\"bids.too_low\" = \"weak\"").unwrap_err();
        assert!(e.to_string().contains("[strength]"), "{e}");
        let e = Policy::from_toml("[scoring]\nweak_only_max = 60").unwrap_err();
        assert!(e.to_string().contains("never reach high"), "{e}");
        assert!(Policy::from_toml("[strength]\n\"contact.phone\" = \"maybe\"").is_err());
        assert!(Policy::from_toml("[weights").is_err());
    }
}

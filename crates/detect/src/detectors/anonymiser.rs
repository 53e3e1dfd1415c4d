//! CONCEAL — "VPNs and VPSs" (the advisory's concealment tradecraft).
//!
//! The share of logins that come through hosting, VPN or Tor networks. Many people use a
//! VPN for privacy; what the advisory describes is someone who is never seen from a home
//! connection where they say they live. So the signal needs a majority of anonymised
//! logins, and it stays quiet when the same person also signs in from a home or mobile
//! network in their claimed country.

use redflag_model::{Advisory, Signal};

use crate::detector::{Context, DataSet, Detector};
use crate::state::SubjectState;
use crate::support::network::{claimed_country, located, top_organisations};

pub struct Anonymiser;

impl Detector for Anonymiser {
    fn code(&self) -> &'static str {
        "logins.anonymised"
    }
    fn advisory(&self) -> Advisory {
        Advisory::Conceal
    }
    fn describe(&self) -> &'static str {
        "most logins through VPN, VPS or Tor, never from a home connection where they say they live"
    }
    fn requires(&self) -> &'static [DataSet] {
        &[DataSet::IpIntelligence]
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let Some(intel) = ctx.intel else { return };
        let t = &ctx.policy.thresholds;
        let logins = located(s, intel);
        if logins.len() < t.anonymiser_min_logins {
            return;
        }
        let hidden: Vec<_> = logins
            .iter()
            .filter(|l| l.info.class.is_anonymiser())
            .collect();
        let share = hidden.len() as f64 / logins.len() as f64;
        if share < t.anonymiser_min_share {
            return;
        }
        let claim = claimed_country(s);
        let seen_at_home = logins.iter().any(|l| {
            !l.info.class.is_anonymiser()
                && l.info.country.is_some()
                && (claim.is_none() || l.info.country == claim)
        });
        if seen_at_home {
            return;
        }
        let span = (1.0 - t.anonymiser_min_share).max(0.01);
        let confidence = 0.45 + 0.45 * ((share - t.anonymiser_min_share) / span).clamp(0.0, 1.0);
        let place = claim.map(|c| format!(" in {c}")).unwrap_or_default();
        let summary = format!(
            "{} of {} logins ({:.0}%) came through hosting, VPN or Tor networks ({}); none from a home connection{place}",
            hidden.len(),
            logins.len(),
            share * 100.0,
            top_organisations(&hidden)
        );
        let evidence = hidden.iter().take(8).map(|l| l.evidence()).collect();
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::network::testing::intel;
    use crate::support::testing::{run_with_intel, state};

    fn lines(ips: &[&str]) -> Vec<String> {
        let mut v = vec![r#"{"kind":"subject","id":"c-1","location":{"country":"US"}}"#.to_owned()];
        v.extend(ips.iter().enumerate().map(|(i, ip)| {
            format!(
                r#"{{"kind":"login","subject":"c-1","at":"2026-03-{:02}T10:00:00Z","ip":"{ip}"}}"#,
                i + 1
            )
        }));
        v
    }

    #[test]
    fn always_behind_a_vps_fires() {
        let l = lines(&["138.68.1.1"; 8]);
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        let signals = run_with_intel(&Anonymiser, &state(&refs), intel());
        assert_eq!(signals.len(), 1);
        assert!(signals[0].summary.starts_with("8 of 8 logins (100%) came through hosting, VPN or Tor networks (DigitalOcean, LLC); none from a home connection in US"), "{}", signals[0].summary);
    }

    #[test]
    fn a_privacy_fan_seen_at_home_is_quiet() {
        let l = lines(&[
            "138.68.1.1",
            "138.68.1.2",
            "138.68.1.3",
            "24.1.1.1",
            "138.68.1.4",
            "138.68.1.5",
        ]);
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        assert!(run_with_intel(&Anonymiser, &state(&refs), intel()).is_empty());
    }

    #[test]
    fn mostly_home_logins_are_quiet() {
        let l = lines(&["24.1.1.1", "24.1.1.2", "138.68.1.3", "24.1.1.4", "24.1.1.5"]);
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        assert!(run_with_intel(&Anonymiser, &state(&refs), intel()).is_empty());
    }
}

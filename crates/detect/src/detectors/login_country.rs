//! RF4 — "inconsistencies in … location" (advisory red flag 4): the country the subject
//! says they live in, against the countries their home and mobile network logins come
//! from. Anonymiser exits are left out (they are concealment, not a place). A trip
//! abroad is a minority of logins and stays quiet; the signal needs most logins, over
//! several, to come from elsewhere.

use redflag_model::{Advisory, Signal};

use crate::detector::{Context, DataSet, Detector};
use crate::state::SubjectState;
use crate::support::network::{claimed_country, country_list, located};

pub struct LoginCountry;

impl Detector for LoginCountry {
    fn code(&self) -> &'static str {
        "location.login_country"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF4
    }
    fn describe(&self) -> &'static str {
        "logs in from a country other than the one they say they live in"
    }
    fn requires(&self) -> &'static [DataSet] {
        &[DataSet::IpIntelligence]
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let (Some(intel), Some(claim)) = (ctx.intel, claimed_country(s)) else {
            return;
        };
        let t = &ctx.policy.thresholds;
        let logins = located(s, intel);
        let placed: Vec<_> = logins
            .iter()
            .filter(|l| l.home_country().is_some())
            .collect();
        if placed.len() < t.location_min_logins {
            return;
        }
        let elsewhere: Vec<_> = placed
            .iter()
            .filter(|l| l.home_country() != Some(claim))
            .collect();
        let share = elsewhere.len() as f64 / placed.len() as f64;
        if share < t.location_foreign_share {
            return;
        }
        let countries: Vec<_> = elsewhere.iter().filter_map(|l| l.home_country()).collect();
        let span = (1.0 - t.location_foreign_share).max(0.01);
        let confidence = 0.5 + 0.4 * ((share - t.location_foreign_share) / span).clamp(0.0, 1.0);
        let summary = format!(
            "says they live in {claim}, but {} of {} logins from home or mobile networks came from {}",
            elsewhere.len(),
            placed.len(),
            country_list(&countries)
        );
        let evidence = elsewhere.iter().take(8).map(|l| l.evidence()).collect();
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::network::testing::intel;
    use crate::support::testing::{run_with_intel, state};

    fn subject(country: &str, ips: &[&str]) -> Vec<String> {
        let mut v = vec![format!(
            r#"{{"kind":"subject","id":"c-1","location":{{"country":"{country}"}}}}"#
        )];
        v.extend(ips.iter().enumerate().map(|(i, ip)| {
            format!(
                r#"{{"kind":"login","subject":"c-1","at":"2026-03-{:02}T10:00:00Z","ip":"{ip}"}}"#,
                i + 1
            )
        }));
        v
    }

    #[test]
    fn claiming_the_us_while_logging_in_from_china_fires() {
        let l = subject("US", &["113.225.1.1"; 6]);
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        let signals = run_with_intel(&LoginCountry, &state(&refs), intel());
        assert_eq!(
            signals[0].summary,
            "says they live in US, but 6 of 6 logins from home or mobile networks came from CN"
        );
    }

    #[test]
    fn a_chinese_developer_living_in_china_is_quiet() {
        let l = subject("CN", &["113.225.1.1"; 6]);
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        assert!(run_with_intel(&LoginCountry, &state(&refs), intel()).is_empty());
    }

    #[test]
    fn a_traveller_and_a_vpn_user_are_quiet() {
        let l = subject(
            "CA",
            &[
                "99.230.1.1",
                "99.230.1.2",
                "90.1.1.1",
                "90.1.1.2",
                "99.230.1.3",
                "99.230.1.4",
            ],
        );
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        assert!(run_with_intel(&LoginCountry, &state(&refs), intel()).is_empty());
        let l = subject("CA", &["138.68.1.1"; 8]);
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        assert!(run_with_intel(&LoginCountry, &state(&refs), intel()).is_empty());
    }
}

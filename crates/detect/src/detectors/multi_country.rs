//! RF3 — "logins to one account from IPs in different countries" (advisory red flag 3).
//!
//! Counts countries only on addresses that say where a person is (home and mobile
//! networks): a VPN or VPS exit is concealment, reported by its own detector, not a
//! country. Fires when one subject signs in from at least `rf3_min_countries` countries
//! within `rf3_window_hours` (any such window in the kept history; the widest is
//! reported with its dates), or keeps bouncing between countries (a change of country
//! within two days of the previous change, again and again). A trip abroad (one change,
//! a stay, a return) is travel, not this.

use redflag_model::{Advisory, Signal};

use crate::detector::{Context, DataSet, Detector};
use crate::state::SubjectState;
use crate::support::network::{Located, country_list, located};
use crate::support::time::{Window, day_of};

pub struct MultiCountry;

const BOUNCE_SECONDS: i64 = 48 * 3600;

impl Detector for MultiCountry {
    fn code(&self) -> &'static str {
        "logins.multi_country"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF3
    }
    fn describe(&self) -> &'static str {
        "one account used from several countries within days"
    }
    fn requires(&self) -> &'static [DataSet] {
        &[DataSet::IpIntelligence]
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let Some(intel) = ctx.intel else { return };
        let t = &ctx.policy.thresholds;
        let all = located(s, intel);
        let seq: Vec<&Located<'_>> = all
            .iter()
            .filter(|l| l.home_country().is_some() && l.login.at <= ctx.as_of)
            .collect();
        if seq.len() < 2 {
            return;
        }
        // Widest set of countries inside any window of the policy's length.
        let window = i64::from(t.rf3_window_hours) * 3600;
        let mut best: (usize, usize, usize) = (0, 0, 0);
        let mut start = 0;
        for end in 0..seq.len() {
            while seq[end].login.at.as_second() - seq[start].login.at.as_second() > window {
                start += 1;
            }
            let mut countries: Vec<_> = seq[start..=end]
                .iter()
                .filter_map(|l| l.home_country())
                .collect();
            countries.sort();
            countries.dedup();
            if countries.len() > best.0 {
                best = (countries.len(), start, end);
            }
        }
        // Changes of country that come soon after the previous change.
        let mut changes: Vec<usize> = Vec::new();
        for i in 1..seq.len() {
            if seq[i].home_country() != seq[i - 1].home_country() {
                changes.push(i);
            }
        }
        let bounces = changes
            .windows(2)
            .filter(|w| {
                seq[w[1]].login.at.as_second() - seq[w[0]].login.at.as_second() < BOUNCE_SECONDS
            })
            .count();
        let many_countries = best.0 >= t.rf3_min_countries;
        let bouncing = bounces >= t.rf3_min_bounces;
        if !many_countries && !bouncing {
            return;
        }
        let (from, to) = if many_countries {
            (best.1, best.2)
        } else {
            (0, seq.len() - 1)
        };
        let in_window = &seq[from..=to];
        let countries: Vec<_> = in_window.iter().filter_map(|l| l.home_country()).collect();
        let account = in_window
            .iter()
            .find_map(|l| l.login.account)
            .map(|a| format!("{a} "))
            .unwrap_or_default();
        let days = ((in_window[in_window.len() - 1].login.at.as_second()
            - in_window[0].login.at.as_second()) as f64
            / 86_400.0)
            .ceil()
            .max(1.0);
        let mut summary = if many_countries {
            format!(
                "signed in {}from {} countries in {} {} ({})",
                if account.is_empty() {
                    String::new()
                } else {
                    format!("to {account}")
                },
                best.0,
                days,
                if days == 1.0 { "day" } else { "days" },
                country_list(&countries)
            )
        } else {
            format!(
                "signed in {}from alternating countries ({}), changing country {bounces} times within two days of the last change",
                if account.is_empty() {
                    String::new()
                } else {
                    format!("to {account}")
                },
                country_list(&countries)
            )
        };
        let window = Window {
            start: in_window[0].login.at,
            end: in_window[in_window.len() - 1].login.at,
        };
        summary.push_str(&format!(
            ", {} to {}",
            day_of(window.start),
            day_of(window.end)
        ));
        if many_countries && bouncing {
            summary.push_str(&format!(
                "; changed country {bounces} times within two days of the last change"
            ));
        }
        // Evidence: the first login of each run of one country in the window.
        let mut evidence = Vec::new();
        for (i, l) in in_window.iter().enumerate() {
            if (i == 0 || l.home_country() != in_window[i - 1].home_country())
                && evidence.len() < 12
            {
                evidence.push(window.mark(l.evidence()));
            }
        }
        let extra =
            best.0.saturating_sub(t.rf3_min_countries) + bounces.saturating_sub(t.rf3_min_bounces);
        let confidence = (0.7 + 0.08 * extra as f64).min(0.95);
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::network::testing::intel;
    use crate::support::testing::{run_with_intel, state};

    fn login(at: &str, ip: &str) -> String {
        format!(
            r#"{{"kind":"login","subject":"c-1","account":"gitlab:dp","at":"{at}","ip":"{ip}"}}"#
        )
    }

    #[test]
    fn four_countries_in_three_days_fires() {
        let lines = [
            login("2026-03-01T10:00:00Z", "24.1.1.1"),
            login("2026-03-02T02:00:00Z", "113.225.1.1"),
            login("2026-03-02T20:00:00Z", "95.25.1.1"),
            login("2026-03-03T08:00:00Z", "90.1.1.1"),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let signals = run_with_intel(&MultiCountry, &state(&refs), intel());
        assert_eq!(signals.len(), 1);
        assert_eq!(
            signals[0].summary,
            "signed in to gitlab:dp from 4 countries in 2 days (US, CN, RU, FR), 2026-03-01 to 2026-03-03"
        );
        assert_eq!(signals[0].evidence.len(), 4);
    }

    #[test]
    fn bouncing_between_two_countries_fires() {
        let lines: Vec<String> = (0..8)
            .map(|i| {
                login(
                    &format!("2026-03-{:02}T10:00:00Z", i + 1),
                    if i % 2 == 0 {
                        "24.1.1.1"
                    } else {
                        "113.225.1.1"
                    },
                )
            })
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let signals = run_with_intel(&MultiCountry, &state(&refs), intel());
        assert!(
            signals[0]
                .summary
                .contains("alternating countries (US, CN)"),
            "{}",
            signals[0].summary
        );
    }

    #[test]
    fn a_trip_abroad_and_back_is_travel() {
        let mut lines: Vec<String> = (1..=9)
            .map(|d| login(&format!("2026-03-{d:02}T15:00:00Z"), "99.230.1.1"))
            .collect();
        lines.extend((10..=20).map(|d| login(&format!("2026-03-{d:02}T09:00:00Z"), "90.1.1.1")));
        lines.extend((21..=28).map(|d| login(&format!("2026-03-{d:02}T15:00:00Z"), "99.230.1.1")));
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(run_with_intel(&MultiCountry, &state(&refs), intel()).is_empty());
    }

    #[test]
    fn vpn_exits_are_not_countries() {
        // A privacy fan at home in the US whose VPN exits are a US VPS range and the
        // hosting range is all the "second country" there is.
        let lines = [
            login("2026-03-01T10:00:00Z", "24.1.1.1"),
            login("2026-03-01T12:00:00Z", "138.68.1.1"),
            login("2026-03-01T14:00:00Z", "24.1.1.1"),
            login("2026-03-01T16:00:00Z", "138.68.2.2"),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(run_with_intel(&MultiCountry, &state(&refs), intel()).is_empty());
    }

    #[test]
    fn four_countries_a_year_ago_are_found_with_their_dates() {
        let mut lines = vec![
            login("2025-05-01T10:00:00Z", "24.1.1.1"),
            login("2025-05-02T02:00:00Z", "113.225.1.1"),
            login("2025-05-02T20:00:00Z", "95.25.1.1"),
            login("2025-05-03T08:00:00Z", "90.1.1.1"),
        ];
        // A year and a half at home since.
        lines.extend((1..=28).map(|d| login(&format!("2026-03-{d:02}T15:00:00Z"), "24.1.1.1")));
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let signals = run_with_intel(&MultiCountry, &state(&refs), intel());
        assert!(
            signals[0]
                .summary
                .ends_with("(US, CN, RU, FR), 2025-05-01 to 2025-05-03"),
            "{}",
            signals[0].summary
        );
        assert_eq!(
            signals[0].evidence[0].details["window_end"],
            "2025-05-03T08:00:00Z"
        );
    }
}

//! RF3 — logins from different countries closer in time than any flight allows (advisory
//! red flag 3; the "impossible travel" rule of identity providers).
//!
//! Method: take consecutive logins on home or mobile networks (anonymiser exits say
//! nothing about where a person is); when the country changes, measure the great-circle
//! distance between the two countries' reference points (country-level geolocation is
//! all open IP data gives) and divide by the time between the logins. Faster than
//! `travel_max_kmh` (default 1,000 km/h, a fast airliner) is impossible. Countries closer
//! than `travel_min_km` (default 2,500 km) are skipped: the reference points of
//! neighbours such as the US and Canada are 2,000 km apart, so shorter jumps say nothing.
//! Overlapping sessions from two countries are the extreme case (no time at all).

use redflag_model::{Advisory, Signal};

use crate::detector::{Context, DataSet, Detector};
use crate::state::SubjectState;
use crate::support::network::located;

pub struct ImpossibleTravel;

impl Detector for ImpossibleTravel {
    fn code(&self) -> &'static str {
        "logins.impossible_travel"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF3
    }
    fn describe(&self) -> &'static str {
        "consecutive logins from countries too far apart for the time between them"
    }
    fn requires(&self) -> &'static [DataSet] {
        &[DataSet::IpIntelligence]
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let (Some(intel), Some(points)) = (ctx.intel, ctx.points) else {
            return;
        };
        let t = &ctx.policy.thresholds;
        let logins = located(s, intel);
        let home: Vec<_> = logins
            .iter()
            .filter(|l| l.home_country().is_some())
            .collect();
        let mut jumps = Vec::new();
        for pair in home.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let (Some(ca), Some(cb)) = (a.home_country(), b.home_country()) else {
                continue;
            };
            if ca == cb {
                continue;
            }
            let Some(km) = points.distance_km(ca, cb) else {
                continue;
            };
            if km < t.travel_min_km {
                continue;
            }
            // A minute at least, so two logins in the same second are "very fast", not
            // a division by zero.
            let hours =
                ((b.login.at.as_second() - a.login.at.as_second()) as f64 / 3600.0).max(1.0 / 60.0);
            let speed = km / hours;
            if speed > t.travel_max_kmh {
                jumps.push((a, b, km, hours, speed));
            }
        }
        let Some(&(a, b, km, hours, speed)) = jumps.first() else {
            return;
        };
        let when = if hours < 1.0 {
            format!("{:.0} minutes", hours * 60.0)
        } else {
            format!("{hours:.1} hours")
        };
        let mut summary = format!(
            "signed in from {} then from {} {when} later: {:.0} km apart, {:.0} km/h",
            a.home_country().map(|c| c.to_string()).unwrap_or_default(),
            b.home_country().map(|c| c.to_string()).unwrap_or_default(),
            km,
            speed.min(99_999.0)
        );
        if jumps.len() > 1 {
            summary.push_str(&format!(" ({} such jumps)", jumps.len()));
        }
        let confidence = match jumps.len() {
            1 => 0.6,
            2 => 0.8,
            _ => 0.9,
        };
        let evidence = jumps
            .iter()
            .take(4)
            .flat_map(|(a, b, km, _, speed)| {
                [
                    a.evidence(),
                    b.evidence()
                        .with("km", km.round())
                        .with("km_per_hour", speed.round().min(99_999.0)),
                ]
            })
            .collect();
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::network::testing::intel;
    use crate::support::testing::{run_with_intel, state};

    fn login(at: &str, ip: &str) -> String {
        format!(r#"{{"kind":"login","subject":"c-1","at":"{at}","ip":"{ip}"}}"#)
    }

    #[test]
    fn the_us_then_russia_an_hour_later_is_impossible() {
        let lines = [
            login("2026-03-01T10:00:00Z", "24.1.1.1"),
            login("2026-03-01T11:00:00Z", "95.25.1.1"),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let signals = run_with_intel(&ImpossibleTravel, &state(&refs), intel());
        assert_eq!(signals.len(), 1);
        assert!(
            signals[0]
                .summary
                .starts_with("signed in from US then from RU 1.0 hours later"),
            "{}",
            signals[0].summary
        );
    }

    #[test]
    fn a_transatlantic_flight_is_possible() {
        let lines = [
            login("2026-03-01T10:00:00Z", "24.1.1.1"),
            login("2026-03-02T02:00:00Z", "90.1.1.1"),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(run_with_intel(&ImpossibleTravel, &state(&refs), intel()).is_empty());
    }

    #[test]
    fn neighbours_and_vpn_exits_are_skipped() {
        let lines = [
            login("2026-03-01T10:00:00Z", "24.1.1.1"),
            login("2026-03-01T10:05:00Z", "99.230.1.1"),
            login("2026-03-01T10:10:00Z", "138.68.1.1"),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(run_with_intel(&ImpossibleTravel, &state(&refs), intel()).is_empty());
    }
}

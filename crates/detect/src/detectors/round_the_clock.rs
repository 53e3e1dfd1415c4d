//! CONCEAL — "proxies who lend their identity" and shared personas: one identity active
//! around the clock. One person sleeps; several operators working one account in shifts
//! do not. Fires when the subject is active in at least `round_the_clock_hours` distinct
//! hours of the day on several days, and those days are a real share of their active
//! days (an occasional all-nighter before a release is not a pattern). Where records are
//! too sparse for any one day to show it, the hours over all days tell the same story:
//! activity spread evenly over every hour of the day, with no quiet hours at all.

use redflag_model::{Advisory, Evidence, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::state::SubjectState;

pub struct RoundTheClock;

/// Days with fewer active hours than this are not counted as active days at all.
const ACTIVE_DAY_HOURS: u32 = 4;
/// Fewer events than this cannot show an even spread over the day.
const MIN_EVENTS_FOR_SPREAD: u32 = 60;
/// Normalised entropy of the hour histogram at or above which the day has no rhythm.
const FLAT_ENTROPY: f64 = 0.95;

/// Entropy of the 24-hour histogram divided by its maximum (1 = perfectly even).
fn evenness(hours: &[u32; 24]) -> f64 {
    let n: f64 = hours.iter().map(|&c| f64::from(c)).sum();
    if n == 0.0 {
        return 0.0;
    }
    let h: f64 = hours
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.ln()
        })
        .sum();
    h / 24f64.ln()
}

impl Detector for RoundTheClock {
    fn code(&self) -> &'static str {
        "activity.round_the_clock"
    }
    fn advisory(&self) -> Advisory {
        Advisory::Conceal
    }
    fn describe(&self) -> &'static str {
        "active around the clock on many days, as if several people shared the identity"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let t = &ctx.policy.thresholds;
        let active: Vec<u32> = s
            .clock
            .days
            .values()
            .map(|mask| mask.count_ones())
            .filter(|h| *h >= ACTIVE_DAY_HOURS)
            .collect();
        let full = active
            .iter()
            .filter(|h| **h >= t.round_the_clock_hours)
            .count();
        let dense_days = full >= t.round_the_clock_min_days && full * 4 >= active.len();
        let events = s.clock.events();
        let quiet_hours = s.clock.utc_hours.iter().filter(|&&c| c == 0).count();
        let spread = evenness(&s.clock.utc_hours);
        let flat_day =
            events >= MIN_EVENTS_FOR_SPREAD && quiet_hours == 0 && spread >= FLAT_ENTROPY;
        if !dense_days && !flat_day {
            return;
        }
        if !dense_days {
            let summary = format!(
                "activity is spread evenly over all 24 hours of the day ({events} events, no quiet hour): one person sleeps, so more than one may be working this identity"
            );
            let evidence = vec![
                Evidence::new(Kind::Activity, None, None)
                    .with("events", events)
                    .with("evenness", (spread * 100.0).round() / 100.0),
            ];
            ctx.emit(self, 0.6, summary, evidence, out);
            return;
        }
        let share = full as f64 / active.len() as f64;
        let confidence = (0.5 + 0.45 * share).min(0.95);
        let summary = format!(
            "active in {} or more hours of the day on {full} of {} active days: more than one person may be working this identity",
            t.round_the_clock_hours,
            active.len()
        );
        let evidence = vec![
            Evidence::new(Kind::Activity, None, None)
                .with("days_round_the_clock", full)
                .with("active_days", active.len())
                .with("events", s.clock.events()),
        ];
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    fn days(hours_per_day: u32, n: u32) -> Vec<String> {
        (1..=n)
            .flat_map(|d| {
                (0..hours_per_day).map(move |h| {
                    format!(r#"{{"kind":"activity","subject":"c-1","at":"2026-03-{d:02}T{h:02}:20:00Z","type":"chat"}}"#)
                })
            })
            .collect()
    }

    #[test]
    fn twenty_hours_a_day_for_weeks_fires() {
        let l = days(21, 14);
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        let signals = run(&RoundTheClock, &refs);
        assert!(
            signals[0]
                .summary
                .starts_with("active in 18 or more hours of the day on 14 of 14 active days")
        );
    }

    #[test]
    fn sparse_activity_evenly_over_every_hour_fires() {
        let l: Vec<String> = (0..72)
            .map(|i| {
                format!(r#"{{"kind":"activity","subject":"c-1","at":"2026-03-{:02}T{:02}:20:00Z","type":"chat"}}"#, 1 + i / 3, (i * 7) % 24)
            })
            .collect();
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        let signals = run(&RoundTheClock, &refs);
        assert!(
            signals[0]
                .summary
                .starts_with("activity is spread evenly over all 24 hours"),
            "{}",
            signals[0].summary
        );
    }

    #[test]
    fn a_night_owl_has_quiet_hours() {
        let l: Vec<String> = (0..90)
            .map(|i| {
                format!(r#"{{"kind":"activity","subject":"c-1","at":"2026-03-{:02}T{:02}:20:00Z","type":"commit"}}"#, 1 + i / 5, [3, 4, 5, 6, 7, 15, 17, 19][i % 8])
            })
            .collect();
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        assert!(run(&RoundTheClock, &refs).is_empty());
    }

    #[test]
    fn long_days_and_one_all_nighter_are_quiet() {
        let mut l = days(12, 20);
        l.extend(
            days(22, 1)
                .into_iter()
                .map(|s| s.replace("2026-03-01", "2026-03-25")),
        );
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        assert!(run(&RoundTheClock, &refs).is_empty());
    }
}

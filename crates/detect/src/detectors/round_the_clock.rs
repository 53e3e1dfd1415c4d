//! CONCEAL — "proxies who lend their identity" and shared personas: one identity active
//! around the clock. One person sleeps; several operators working one account in shifts
//! do not. Fires when, within some window of `round_the_clock_window_days` in the kept
//! history, the subject is active in at least `round_the_clock_hours` distinct hours of
//! the day on `round_the_clock_min_days` days or more, and those days are a real share of
//! that window's active days (an occasional all-nighter before a release is not a
//! pattern). The worst window is reported with its dates. Where records are too sparse
//! for any one day to show it, the hours over all days tell the same story: activity
//! spread evenly over every hour of the day, with no quiet hours at all.

use redflag_model::{Advisory, Evidence, Kind, Signal, Timestamp};

use crate::detector::{Context, Detector};
use crate::state::SubjectState;
use crate::support::time::Window;

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
        let last_day = ctx.as_of.as_second().div_euclid(86_400);
        // Active days (enough hours to count) with their hour counts, oldest first.
        let active: Vec<(i64, u32)> = s
            .clock
            .days()
            .filter(|&(day, _)| day <= last_day)
            .map(|(day, mask)| (day, mask.count_ones()))
            .filter(|&(_, hours)| hours >= ACTIVE_DAY_HOURS)
            .collect();
        let window_days = i64::from(t.round_the_clock_window_days.max(1));
        // For each window ending on an active day: (full days, active days, last day).
        let mut worst: Option<(usize, usize, i64)> = None;
        let mut from = 0;
        for to in 0..active.len() {
            while active[to].0 - active[from].0 >= window_days {
                from += 1;
            }
            let days = &active[from..=to];
            let full = days
                .iter()
                .filter(|d| d.1 >= t.round_the_clock_hours)
                .count();
            if full < t.round_the_clock_min_days || full * 4 < days.len() {
                continue;
            }
            // Most round-the-clock days, then the larger share of them, then the latest.
            let better = match worst {
                None => true,
                Some((f, n, _)) => full > f || (full == f && full * n >= f * days.len()),
            };
            if better {
                worst = Some((full, days.len(), active[to].0));
            }
        }
        if let Some((full, days, last)) = worst {
            let end = Timestamp::from_second((last + 1) * 86_400).unwrap_or(ctx.as_of);
            let window = Window::ending(end, t.round_the_clock_window_days);
            let share = full as f64 / days as f64;
            let confidence = (0.5 + 0.45 * share).min(0.95);
            let summary = format!(
                "active in {} or more hours of the day on {full} of {days} active days ({}): more than one person may be working this identity",
                t.round_the_clock_hours,
                window.dates()
            );
            let evidence = vec![
                window.mark(
                    Evidence::new(Kind::Activity, None, None)
                        .with("days_round_the_clock", full)
                        .with("active_days", days)
                        .with("events", s.clock.events()),
                ),
            ];
            ctx.emit(self, confidence, summary, evidence, out);
            return;
        }
        let events = s.clock.events();
        let quiet_hours = s.clock.utc_hours.iter().filter(|&&c| c == 0).count();
        let spread = evenness(&s.clock.utc_hours);
        if events >= MIN_EVENTS_FOR_SPREAD && quiet_hours == 0 && spread >= FLAT_ENTROPY {
            let summary = format!(
                "activity is spread evenly over all 24 hours of the day ({events} events, no quiet hour): one person sleeps, so more than one may be working this identity"
            );
            let evidence = vec![
                Evidence::new(Kind::Activity, None, None)
                    .with("events", events)
                    .with("evenness", (spread * 100.0).round() / 100.0),
            ];
            ctx.emit(self, 0.6, summary, evidence, out);
        }
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

    /// `hours_per_day` hours of activity on each of `n` days from `first`.
    fn days_from(first: &str, hours_per_day: u32, n: i64) -> Vec<String> {
        let start: Timestamp = first.parse().unwrap();
        (0..n)
            .flat_map(|d| {
                (0..hours_per_day).map(move |h| {
                    let at = Timestamp::from_second(
                        start.as_second() + d * 86_400 + i64::from(h) * 3600 + 1200,
                    )
                    .unwrap();
                    format!(r#"{{"kind":"activity","subject":"c-1","at":"{at}","type":"chat"}}"#)
                })
            })
            .collect()
    }

    #[test]
    fn a_fortnight_round_the_clock_a_year_ago_is_found_with_its_dates() {
        // Two weeks of 21-hour days in April 2025, then months of ordinary 8-hour days:
        // over the whole history the shifts are a small share, within their month not.
        let mut l = days_from("2025-04-01T00:00:00Z", 21, 14);
        l.extend(days_from("2025-06-01T00:00:00Z", 8, 300));
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        let signals = crate::support::testing::run_at(
            &RoundTheClock,
            &crate::support::testing::state(&refs),
            "2026-04-01T00:00:00Z",
        );
        assert_eq!(
            signals[0].summary,
            "active in 18 or more hours of the day on 14 of 14 active days (2025-03-18 to 2025-04-14): more than one person may be working this identity"
        );
        assert_eq!(
            signals[0].evidence[0].details["window_end"],
            "2025-04-15T00:00:00Z"
        );
    }

    #[test]
    fn months_of_long_days_with_a_few_all_nighters_spread_out_are_quiet() {
        let mut l = days_from("2025-06-01T00:00:00Z", 12, 300);
        for month in [
            "2025-07-10",
            "2025-09-10",
            "2025-11-10",
            "2026-01-10",
            "2026-03-10",
        ] {
            l.extend(days_from(&format!("{month}T00:00:00Z"), 22, 1));
        }
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        assert!(run(&RoundTheClock, &refs).is_empty());
    }
}

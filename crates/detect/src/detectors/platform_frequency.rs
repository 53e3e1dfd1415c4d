//! RF1 — "frequent transfers through online payment platforms" (advisory red flag 1;
//! mitigation M1: pay through verified accounts, watch how often money moves).
//!
//! Counts the subject's payouts through Payoneer, Wise or PayPal in every window of
//! `rf1_window_days` in the kept history (ending at each midnight, and at the as-of), and
//! compares each count with the organisation's own platform payees over the same dates
//! ([`crate::PopulationStats`]): a window fires at `rf1_min_payouts` or more *and* at
//! least the median plus `rf1_mad_multiplier` median absolute deviations. The worst
//! window is reported with its dates, so last spring's burst is found in the autumn.
//! Frequency is relative: where everyone is paid weekly through Wise, weekly is normal.
//! Without population statistics for a window (or with too few payees in it to mean
//! anything) the policy minimum alone applies, and the summary says so.

use redflag_model::{Advisory, Evidence, Kind, PayoutMethod, Signal, Timestamp};

use crate::detector::{Context, Detector};
use crate::population::{PLATFORMS, WindowStats, platform_payouts};
use crate::state::SubjectState;
use crate::support::time::{Window, windows};

pub struct PlatformFrequency;

/// At most this many payouts are cited; the count in the summary covers the rest.
const MAX_EVIDENCE: usize = 16;

fn platform_name(m: PayoutMethod) -> &'static str {
    match m {
        PayoutMethod::Payoneer => "Payoneer",
        PayoutMethod::Wise => "Wise",
        PayoutMethod::Paypal => "PayPal",
        other => other.as_str(),
    }
}

/// "once", "twice", "3 times", "2.5 times" (a median of an even count of payees).
fn times(x: f64) -> String {
    if x == 1.0 {
        "once".to_owned()
    } else if x == 2.0 {
        "twice".to_owned()
    } else if x.fract() == 0.0 {
        format!("{x:.0} times")
    } else {
        format!("{x:.1} times")
    }
}

impl Detector for PlatformFrequency {
    fn code(&self) -> &'static str {
        "payments.platform_frequency"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF1
    }
    fn describe(&self) -> &'static str {
        "paid through online payment platforms far more often than the organisation's other payees"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let t = &ctx.policy.thresholds;
        let payouts = platform_payouts(s, ctx.as_of);
        if payouts.len() < t.rf1_min_payouts {
            return;
        }
        // Statistics for another window length or as-of would compare unlike with unlike.
        let population = ctx
            .population
            .filter(|p| p.window_days == t.rf1_window_days && p.as_of == ctx.as_of);
        let moments: Vec<i64> = payouts.iter().map(|p| p.at.as_second()).collect();
        let length = i64::from(t.rf1_window_days) * 86_400;
        // The worst window: the most payouts, then one judged against the population,
        // then the latest.
        let mut worst: Option<(usize, bool, i64, usize, Option<&WindowStats>)> = None;
        for (end, from, to) in windows(&moments, ctx.as_of.as_second(), length) {
            let count = to - from;
            if count < t.rf1_min_payouts {
                continue;
            }
            let stats = population
                .zip(Timestamp::from_second(end).ok())
                .and_then(|(p, at)| p.window(at))
                .filter(|w| w.payees >= t.rf1_min_payees);
            if let Some(w) = stats {
                // Where nearly everyone is paid equally often the MAD is 0 and one extra
                // payout would be an outlier; a floor of one payout keeps the bar at a
                // real difference.
                let bar = w.median + t.rf1_mad_multiplier * w.mad.max(1.0);
                if (count as f64) < bar {
                    continue;
                }
            }
            let better = worst.is_none_or(|(n, compared, e, _, _)| {
                (count, stats.is_some(), end) > (n, compared, e)
            });
            if better {
                worst = Some((count, stats.is_some(), end, from, stats));
            }
        }
        let Some((count, _, end, from, stats)) = worst else {
            return;
        };
        let Ok(end) = Timestamp::from_second(end) else {
            return;
        };
        let window = Window::ending(end, t.rf1_window_days);
        let in_window = &payouts[from..from + count];
        let mut methods: Vec<(PayoutMethod, usize)> = PLATFORMS
            .iter()
            .map(|&m| (m, in_window.iter().filter(|p| p.method == Some(m)).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        methods.sort_by_key(|m| std::cmp::Reverse(m.1));
        let through: Vec<&str> = methods.iter().map(|(m, _)| platform_name(*m)).collect();
        let mut summary = format!(
            "paid {count} times in {} days ({}) through {}",
            t.rf1_window_days,
            window.dates(),
            through.join(" and ")
        );
        match stats {
            Some(w) => summary.push_str(&format!(
                "; the median payee here was paid {} in those days",
                times(w.median)
            )),
            None => summary.push_str(&format!(
                " (no population of payees to compare with; the policy minimum is {})",
                t.rf1_min_payouts
            )),
        }
        let evidence: Vec<Evidence> = in_window
            .iter()
            .rev()
            .take(MAX_EVIDENCE)
            .map(|p| {
                window.mark(
                    Evidence::new(Kind::Payment, Some(p.key.to_string()), Some(p.at))
                        .with("method", p.method.map(PayoutMethod::as_str)),
                )
            })
            .collect();
        // Compared with how this organisation pays people, the count means more than
        // against a fixed minimum.
        let confidence = if stats.is_some() { 0.8 } else { 0.6 };
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::PopulationStats;
    use crate::support::testing::{run_with_population, state};

    const AS_OF: &str = "2026-04-01T00:00:00Z";

    /// `times` payouts to `who`, every `every_days` days back from 03-31.
    fn payouts(who: &str, times: usize, every_days: usize, method: &str) -> Vec<String> {
        (0..times)
            .map(|i| {
                let day = 31 - i * every_days;
                format!(
                    r#"{{"kind":"payment","subject":"{who}","at":"2026-03-{day:02}T10:00:00Z","amount":"100","currency":"USD","method":"{method}"}}"#
                )
            })
            .collect()
    }

    fn subject(lines: &[String]) -> SubjectState {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        state(&refs)
    }

    fn population(states: &[SubjectState]) -> PopulationStats {
        PopulationStats::compute(states, AS_OF.parse().unwrap(), 28)
    }

    #[test]
    fn a_payee_paid_far_more_often_than_the_rest_fires() {
        let subject = subject(&payouts("c-1", 14, 2, "payoneer"));
        let mut all = vec![subject.clone()];
        for i in 0..9 {
            all.push(subject_of(&format!("p-{i}"), 2, 14, "wise"));
        }
        let signals = run_with_population(&PlatformFrequency, &subject, &population(&all));
        assert_eq!(signals.len(), 1);
        assert_eq!(
            signals[0].summary,
            "paid 14 times in 28 days (2026-03-04 to 2026-03-31) through Payoneer; the median payee here was paid twice in those days"
        );
        assert_eq!(signals[0].confidence, 0.8);
    }

    fn subject_of(who: &str, times: usize, every_days: usize, method: &str) -> SubjectState {
        let mut s = SubjectState::new(who.parse().unwrap());
        for line in payouts(who, times, every_days, method) {
            let p = redflag_model::parse_record(&line).unwrap();
            s.apply(p.key, p.record);
        }
        s
    }

    #[test]
    fn a_monthly_wise_payee_is_quiet() {
        let subject = subject(&payouts("c-1", 1, 28, "wise"));
        let stats = population(std::slice::from_ref(&subject));
        assert!(run_with_population(&PlatformFrequency, &subject, &stats).is_empty());
    }

    #[test]
    fn where_everyone_is_paid_twice_a_week_that_is_normal() {
        // Eight payouts in 28 days clears the policy minimum, but it is how this
        // organisation pays everyone.
        let subject = subject(&payouts("c-1", 8, 3, "wise"));
        let mut all = vec![subject.clone()];
        for i in 0..9 {
            all.push(subject_of(&format!("p-{i}"), 8, 3, "wise"));
        }
        let stats = population(&all);
        let as_of: Timestamp = AS_OF.parse().unwrap();
        assert_eq!(stats.window(as_of).map(|w| w.median), Some(8.0));
        assert!(run_with_population(&PlatformFrequency, &subject, &stats).is_empty());
    }

    #[test]
    fn payouts_outside_the_window_and_bank_transfers_do_not_count() {
        let mut lines = payouts("c-1", 5, 1, "payoneer");
        lines.extend(payouts("c-1", 10, 1, "bank_transfer"));
        lines.push(r#"{"kind":"payment","subject":"c-1","at":"2026-02-01T10:00:00Z","amount":"1","currency":"USD","method":"payoneer"}"#.to_owned());
        lines.push(r#"{"kind":"payment","subject":"c-1","at":"2026-03-20T10:00:00Z","direction":"refund","amount":"1","currency":"USD","method":"payoneer"}"#.to_owned());
        // Seven Payoneer payments in all, but only five are payouts within the window:
        // below the minimum of six.
        let subject = subject(&lines);
        assert!(crate::support::testing::run_at(&PlatformFrequency, &subject, AS_OF).is_empty());
    }

    #[test]
    fn without_a_population_the_minimum_applies_and_says_so() {
        let subject = subject(&payouts("c-1", 7, 1, "paypal"));
        let signals = crate::support::testing::run_at(&PlatformFrequency, &subject, AS_OF);
        assert_eq!(signals.len(), 1);
        assert!(
            signals[0].summary.contains("policy minimum is 6"),
            "{}",
            signals[0].summary
        );
        assert_eq!(signals[0].confidence, 0.6);
    }

    fn dated(who: &str, days: &[&str], method: &str) -> SubjectState {
        let mut s = SubjectState::new(who.parse().unwrap());
        for day in days {
            let line = format!(
                r#"{{"kind":"payment","subject":"{who}","at":"{day}T10:00:00Z","amount":"100","currency":"USD","method":"{method}"}}"#
            );
            let p = redflag_model::parse_record(&line).unwrap();
            s.apply(p.key, p.record);
        }
        s
    }

    #[test]
    fn a_burst_a_year_and_a_half_ago_is_found_with_its_dates() {
        let as_of = "2026-11-30T00:00:00Z";
        let burst: Vec<String> = (0..14)
            .map(|i| format!("2025-04-{:02}", 1 + 2 * i))
            .collect();
        let burst: Vec<&str> = burst.iter().map(String::as_str).collect();
        let subject = dated("c-1", &burst, "payoneer");
        let mut all = vec![subject.clone()];
        for i in 0..9 {
            all.push(dated(
                &format!("p-{i}"),
                &["2025-04-05", "2025-04-19", "2026-11-02", "2026-11-16"],
                "wise",
            ));
        }
        let stats = PopulationStats::compute(&all, as_of.parse().unwrap(), 28);
        let policy = crate::policy::Policy::default();
        let ctx = Context {
            population: Some(&stats),
            ..Context::new(&policy, as_of.parse().unwrap())
        };
        let mut signals = Vec::new();
        PlatformFrequency.detect(&subject, &ctx, &mut signals);
        assert_eq!(signals.len(), 1);
        assert_eq!(
            signals[0].summary,
            "paid 14 times in 28 days (2025-04-01 to 2025-04-28) through Payoneer; the median payee here was paid twice in those days"
        );
        let details = &signals[0].evidence[0].details;
        assert_eq!(details["window_start"], "2025-04-01T00:00:00Z");
        assert_eq!(details["window_end"], "2025-04-29T00:00:00Z");
        // The regular payees are quiet in every window.
        for other in &all[1..] {
            let mut quiet = Vec::new();
            PlatformFrequency.detect(other, &ctx, &mut quiet);
            assert!(quiet.is_empty(), "{quiet:?}");
        }
    }

    #[test]
    fn a_year_of_twice_weekly_payouts_like_everyone_elses_is_quiet_in_every_window() {
        let days: Vec<String> = (0..100)
            .map(|i| {
                let at: Timestamp = "2025-06-02T10:00:00Z".parse().unwrap();
                let at = Timestamp::from_second(at.as_second() + i * 3 * 86_400).unwrap();
                at.to_string()[..10].to_owned()
            })
            .collect();
        let days: Vec<&str> = days.iter().map(String::as_str).collect();
        let all: Vec<SubjectState> = (0..8)
            .map(|i| dated(&format!("p-{i}"), &days, "wise"))
            .collect();
        let as_of = "2026-11-30T00:00:00Z";
        let stats = PopulationStats::compute(&all, as_of.parse().unwrap(), 28);
        let policy = crate::policy::Policy::default();
        let ctx = Context {
            population: Some(&stats),
            ..Context::new(&policy, as_of.parse().unwrap())
        };
        let mut signals = Vec::new();
        PlatformFrequency.detect(&all[0], &ctx, &mut signals);
        assert!(signals.is_empty(), "{signals:?}");
    }
}

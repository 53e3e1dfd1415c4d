//! What is normal among the organisation's own payees, for detectors that judge a
//! subject against everyone else rather than against a fixed number.
//!
//! RF1 of the advisory ("frequent transfers through online payment platforms") is only
//! meaningful relative to how this organisation pays people: one that pays everyone
//! weekly through Wise should not see weekly Wise payouts as frequent. The engine
//! computes these statistics once per assessment run from every subject's state and
//! hands them to detectors through [`crate::Context`].
//!
//! RF1 looks at every window of the kept history, not only the one ending at the as-of,
//! so a burst of payouts last spring is found in an assessment made in the autumn. A past
//! window is compared with the population *over the same dates*: statistics are kept for
//! every window on a common grid (each UTC midnight, and the as-of), so a subject's
//! window and the population's always cover the same moments, and a season when everyone
//! was paid more often (a year-end bonus run) raises the bar for everyone alike.

use std::collections::BTreeMap;

use redflag_model::{PayoutMethod, Timestamp};

use crate::state::{PayoutObs, SubjectState};
use crate::support::time::windows;

/// The online payment platforms RF1 speaks of.
pub const PLATFORMS: [PayoutMethod; 3] = [
    PayoutMethod::Payoneer,
    PayoutMethod::Wise,
    PayoutMethod::Paypal,
];

/// Robust statistics of platform-payout counts per payee over one window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowStats {
    /// Subjects with at least one platform payout in the window. People paid only by
    /// bank are left out: they say nothing about how often platform payees are paid.
    pub payees: usize,
    /// Median count of platform payouts per payee.
    pub median: f64,
    /// Median absolute deviation of those counts (unscaled).
    pub mad: f64,
}

/// Statistics for every window of `window_days` on the grid up to `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationStats {
    pub window_days: u32,
    pub as_of: Timestamp,
    /// By the window's end (seconds); only windows in which someone was paid.
    windows: BTreeMap<i64, WindowStats>,
}

impl PopulationStats {
    /// Statistics over `states`, counting platform payouts in every window of
    /// `window_days` up to `as_of`. One pass over the states; the cost per subject grows
    /// with the days their payouts span, not with the population.
    pub fn compute<'a>(
        states: impl IntoIterator<Item = &'a SubjectState>,
        as_of: Timestamp,
        window_days: u32,
    ) -> PopulationStats {
        // Per window end, how many payees were paid n times (index n).
        let mut histograms: BTreeMap<i64, Vec<u32>> = BTreeMap::new();
        let window = i64::from(window_days) * 86_400;
        for s in states {
            let times: Vec<i64> = platform_payouts(s, as_of)
                .iter()
                .map(|p| p.at.as_second())
                .collect();
            for (end, from, to) in windows(&times, as_of.as_second(), window) {
                let counts = histograms.entry(end).or_default();
                let n = to - from;
                if counts.len() <= n {
                    counts.resize(n + 1, 0);
                }
                counts[n] += 1;
            }
        }
        let windows = histograms
            .into_iter()
            .map(|(end, counts)| (end, stats(&counts)))
            .collect();
        PopulationStats {
            window_days,
            as_of,
            windows,
        }
    }

    /// The statistics of the window ending at `end` (a point of the grid), if anyone was
    /// paid through a platform in it.
    pub fn window(&self, end: Timestamp) -> Option<&WindowStats> {
        self.windows.get(&end.as_second())
    }
}

/// Median and MAD of a histogram of counts (`counts[n]` payees were paid `n` times).
fn stats(counts: &[u32]) -> WindowStats {
    let values: Vec<(f64, u32)> = counts
        .iter()
        .enumerate()
        .filter(|&(_, &k)| k > 0)
        .map(|(n, &k)| (n as f64, k))
        .collect();
    let median = weighted_median(&values);
    let mut deviations: Vec<(f64, u32)> = values
        .iter()
        .map(|&(v, k)| ((v - median).abs(), k))
        .collect();
    deviations.sort_by(|a, b| a.0.total_cmp(&b.0));
    WindowStats {
        payees: values.iter().map(|&(_, k)| k as usize).sum(),
        median,
        mad: weighted_median(&deviations),
    }
}

/// The median of values given with their multiplicities, sorted by value; 0 for none.
fn weighted_median(values: &[(f64, u32)]) -> f64 {
    let total: u64 = values.iter().map(|&(_, k)| u64::from(k)).sum();
    if total == 0 {
        return 0.0;
    }
    // The values at (0-based) ranks (total-1)/2 and total/2, averaged.
    let nth = |rank: u64| {
        let mut seen = 0u64;
        for &(v, k) in values {
            seen += u64::from(k);
            if seen > rank {
                return v;
            }
        }
        0.0
    };
    (nth((total - 1) / 2) + nth(total / 2)) / 2.0
}

/// The subject's payouts through an online payment platform up to `as_of` (later ones
/// excluded: the assessment speaks for `as_of`), oldest first.
pub fn platform_payouts(s: &SubjectState, as_of: Timestamp) -> Vec<&PayoutObs> {
    s.payments
        .payouts_by_time()
        .into_iter()
        .filter(|p| p.method.is_some_and(|m| PLATFORMS.contains(&m)))
        .filter(|p| p.at <= as_of)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_model::parse_record;

    fn payee(id: &str, times: usize, method: &str) -> SubjectState {
        let mut s = SubjectState::new(id.parse().unwrap());
        for i in 0..times {
            let line = format!(
                r#"{{"kind":"payment","subject":"{id}","at":"2026-03-{:02}T10:00:00Z","amount":10,"currency":"USD","method":"{method}"}}"#,
                i + 2
            );
            let p = parse_record(&line).unwrap();
            s.apply(p.key, p.record);
        }
        s
    }

    #[test]
    fn median_and_mad_ignore_people_paid_only_by_bank() {
        let states = [
            payee("a", 2, "wise"),
            payee("b", 3, "payoneer"),
            payee("c", 4, "paypal"),
            payee("d", 20, "payoneer"),
            payee("e", 9, "bank_transfer"),
        ];
        let as_of: Timestamp = "2026-03-28T00:00:00Z".parse().unwrap();
        let stats = PopulationStats::compute(&states, as_of, 28);
        let w = stats.window(as_of).unwrap();
        assert_eq!(w.payees, 4);
        assert_eq!(w.median, 3.5);
        // deviations 1.5, 0.5, 0.5, 16.5 → median 1.0
        assert_eq!(w.mad, 1.0);
    }

    #[test]
    fn each_window_is_judged_over_its_own_dates() {
        let states = [payee("a", 10, "wise"), payee("b", 2, "wise")];
        let stats = PopulationStats::compute(&states, "2026-06-01T00:00:00Z".parse().unwrap(), 28);
        // The window ending at midnight on 03-04 holds a's and b's payouts of 03-02 and
        // 03-03: two each.
        let early = stats
            .window("2026-03-04T00:00:00Z".parse().unwrap())
            .unwrap();
        assert_eq!((early.payees, early.median), (2, 2.0));
        // By 03-12 a has been paid 10 times and b twice.
        let later = stats
            .window("2026-03-12T00:00:00Z".parse().unwrap())
            .unwrap();
        assert_eq!((later.payees, later.median), (2, 6.0));
        // Nobody was paid in the 28 days before June.
        assert!(
            stats
                .window("2026-06-01T00:00:00Z".parse().unwrap())
                .is_none()
        );
    }

    #[test]
    fn payouts_after_the_as_of_do_not_count() {
        let s = payee("a", 10, "wise");
        assert_eq!(
            platform_payouts(&s, "2026-03-05T00:00:00Z".parse().unwrap()).len(),
            3
        );
    }
}

//! What is normal among the organisation's own payees, for detectors that judge a
//! subject against everyone else rather than against a fixed number.
//!
//! RF1 of the advisory ("frequent transfers through online payment platforms") is only
//! meaningful relative to how this organisation pays people: one that pays everyone
//! weekly through Wise should not see weekly Wise payouts as frequent. The engine
//! computes these statistics once per assessment run from every subject's state and
//! hands them to detectors through [`crate::Context`].

use redflag_model::{PayoutMethod, Timestamp};

use crate::state::{PayoutObs, SubjectState};

/// The online payment platforms RF1 speaks of.
pub const PLATFORMS: [PayoutMethod; 3] = [
    PayoutMethod::Payoneer,
    PayoutMethod::Wise,
    PayoutMethod::Paypal,
];

/// Robust statistics of platform-payout counts per payee over a recent window.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationStats {
    /// The window the counts cover, ending at `as_of`.
    pub window_days: u32,
    pub as_of: Timestamp,
    /// Subjects with at least one platform payout in the window. People paid only by
    /// bank are left out: they say nothing about how often platform payees are paid.
    pub payees: usize,
    /// Median count of platform payouts per payee.
    pub median: f64,
    /// Median absolute deviation of those counts (unscaled).
    pub mad: f64,
}

impl PopulationStats {
    /// Statistics over `states`, counting platform payouts in the `window_days` up to
    /// `as_of`.
    pub fn compute<'a>(
        states: impl IntoIterator<Item = &'a SubjectState>,
        as_of: Timestamp,
        window_days: u32,
    ) -> PopulationStats {
        let mut counts: Vec<f64> = states
            .into_iter()
            .map(|s| platform_payouts_in_window(s, as_of, window_days).len())
            .filter(|&n| n > 0)
            .map(|n| n as f64)
            .collect();
        let median = median(&mut counts);
        let mut deviations: Vec<f64> = counts.iter().map(|c| (c - median).abs()).collect();
        let mad = self::median(&mut deviations);
        PopulationStats {
            window_days,
            as_of,
            payees: counts.len(),
            median,
            mad,
        }
    }
}

/// The subject's payouts through an online payment platform in the `window_days` up to
/// `as_of` (later ones excluded: the assessment speaks for `as_of`), oldest first.
pub fn platform_payouts_in_window(
    s: &SubjectState,
    as_of: Timestamp,
    window_days: u32,
) -> Vec<&PayoutObs> {
    let start = as_of.as_second() - i64::from(window_days) * 86_400;
    s.payments
        .payouts_by_time()
        .into_iter()
        .filter(|p| p.method.is_some_and(|m| PLATFORMS.contains(&m)))
        .filter(|p| p.at.as_second() > start && p.at <= as_of)
        .collect()
}

/// The median; 0 for no values.
fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
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
        let stats = PopulationStats::compute(&states, "2026-03-28T00:00:00Z".parse().unwrap(), 28);
        assert_eq!(stats.payees, 4);
        assert_eq!(stats.median, 3.5);
        // deviations 1.5, 0.5, 0.5, 16.5 → median 1.0
        assert_eq!(stats.mad, 1.0);
    }

    #[test]
    fn payouts_outside_the_window_do_not_count() {
        let s = payee("a", 10, "wise");
        // the window of 28 days up to 03-31 starts after 03-03 10:00
        let n = platform_payouts_in_window(&s, "2026-03-31T10:00:00Z".parse().unwrap(), 28).len();
        assert_eq!(n, 8);
        let n = platform_payouts_in_window(&s, "2026-03-05T00:00:00Z".parse().unwrap(), 28).len();
        assert_eq!(n, 3);
    }
}

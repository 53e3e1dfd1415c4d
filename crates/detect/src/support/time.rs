//! Days, dates and windows of time, as detectors count them.

use redflag_model::jiff::civil::Date;
use redflag_model::jiff::tz::TimeZone;
use redflag_model::{Evidence, Timestamp};

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: Timestamp, b: Timestamp) -> i64 {
    (b.as_second() - a.as_second()).div_euclid(86_400)
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days(a: Date, b: Date) -> i64 {
    b.since(a).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// The UTC calendar day of a moment.
pub(crate) fn day_of(t: Timestamp) -> Date {
    t.to_zoned(TimeZone::UTC).date()
}
/// A stretch of time a windowed rule looked at, from `start` to `end`. A window of fixed
/// length ([`Window::ending`]) leaves its start out, so windows laid end to end count
/// each moment once; a window drawn around events (from the first to the last) holds
/// both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Window {
    /// The `days` days up to `end`.
    pub fn ending(end: Timestamp, days: u32) -> Window {
        let start = end.as_second() - i64::from(days) * 86_400;
        Window {
            start: Timestamp::from_second(start).unwrap_or(Timestamp::MIN),
            end,
        }
    }

    /// The calendar days it covers, "2026-03-04 to 2026-03-31": a window ending at
    /// midnight ends on the day before.
    pub fn dates(&self) -> String {
        let first = Timestamp::from_second(self.start.as_second() + 1).unwrap_or(self.start);
        let last = Timestamp::from_second(self.end.as_second() - 1).unwrap_or(self.end);
        format!("{} to {}", day_of(first), day_of(last.max(first)))
    }

    /// `evidence` with the window's bounds, so a reader sees which stretch was judged.
    pub fn mark(&self, evidence: Evidence) -> Evidence {
        evidence
            .with("window_start", self.start.to_string())
            .with("window_end", self.end.to_string())
    }
}

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The windows of `window` seconds that hold at least one of `times` (seconds, sorted,
/// none after `as_of`), ending at each UTC midnight and at `as_of`: `(end, from, to)`
/// where `times[from..to]` fall in the window ending at `end`. Every detector and the
/// population statistics lay the same grid, so a subject's window and the population's
/// cover the same moments.
pub(crate) fn windows(times: &[i64], as_of: i64, window: i64) -> Vec<(i64, usize, usize)> {
    let mut out = Vec::new();
    let Some(&first) = times.first() else {
        return out;
    };
    let (mut from, mut to) = (0, 0);
    let mut day = first.div_euclid(DAY) + i64::from(first.rem_euclid(DAY) != 0);
    loop {
        let end = (day * DAY).min(as_of);
        while to < times.len() && times[to] <= end {
            to += 1;
        }
        while from < to && times[from] <= end - window {
            from += 1;
        }
        if from < to {
            out.push((end, from, to));
        }
        if end >= as_of {
            break;
        }
        if from == to {
            // Nothing in this window: skip to the first midnight at or after the next time.
            let Some(&next) = times.get(to) else { break };
            day = (day + 1).max(next.div_euclid(DAY) + i64::from(next.rem_euclid(DAY) != 0));
        } else {
            day += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_ending_at_midnight_ends_on_the_day_before() {
        let w = Window::ending("2026-04-01T00:00:00Z".parse().unwrap(), 28);
        assert_eq!(w.dates(), "2026-03-04 to 2026-03-31");
    }

    #[test]
    fn windows_end_at_each_midnight_and_at_the_as_of() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap().as_second();
        let times = [t("2025-04-01T10:00:00Z"), t("2025-04-02T10:00:00Z")];
        let w = windows(&times, t("2026-01-01T12:00:00Z"), 2 * DAY);
        assert_eq!(
            w,
            vec![
                (t("2025-04-02T00:00:00Z"), 0, 1),
                (t("2025-04-03T00:00:00Z"), 0, 2),
                (t("2025-04-04T00:00:00Z"), 1, 2),
            ]
        );
        // The last window ends at the as-of, not at the midnight after it.
        let w = windows(&times, t("2025-04-02T12:00:00Z"), 2 * DAY);
        assert_eq!(w.last(), Some(&(t("2025-04-02T12:00:00Z"), 0, 2)));
    }
}

//! Days, dates and windows of time, as detectors count them.

use redflag_model::Timestamp;
use redflag_model::jiff::civil::Date;
use redflag_model::jiff::tz::TimeZone;

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

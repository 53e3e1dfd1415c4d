//! When people work: a daily rhythm in some time zone, turned into UTC instants.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rand::Rng;

pub(crate) const HOUR: i64 = 3600;
pub(crate) const DAY: i64 = 86_400;

/// A working rhythm: most events fall in a core window of the local day on working days;
/// the rest spread over a wider window, and a few happen on days off.
#[derive(Clone)]
pub(crate) struct Rhythm {
    pub tz: TimeZone,
    /// Core window start, seconds after local midnight (may be late in the evening: the
    /// window then runs past midnight).
    pub core_start: i64,
    pub core_len: i64,
    /// Share of events in the core window.
    pub core_share: f64,
    /// The rest fall uniformly in this window (seconds after local midnight).
    pub rest_start: i64,
    pub rest_len: i64,
    /// Working days per week, counted from Monday (5: Mon–Fri, 6: Mon–Sat, 7: every day).
    pub workdays: i8,
    /// Probability that an event drawn for a day off is kept.
    pub day_off_keep: f64,
}

impl Rhythm {
    /// An office day around 09:00–18:00, shifted by `shift_h` hours.
    pub(crate) fn office(tz: TimeZone, shift_h: f64, core_share: f64) -> Rhythm {
        Rhythm {
            tz,
            core_start: ((9.0 + shift_h) * HOUR as f64) as i64,
            core_len: 9 * HOUR,
            core_share,
            rest_start: 7 * HOUR,
            rest_len: 17 * HOUR,
            workdays: 5,
            day_off_keep: 0.12,
        }
    }

    /// Someone who works late evenings into the night (22:00–03:00).
    pub(crate) fn night_owl(tz: TimeZone, core_share: f64) -> Rhythm {
        Rhythm {
            tz,
            core_start: 22 * HOUR,
            core_len: 5 * HOUR,
            core_share,
            rest_start: 11 * HOUR,
            rest_len: 11 * HOUR,
            workdays: 7,
            day_off_keep: 1.0,
        }
    }

    /// A later shift (13:00–24:00), still plausible for a freelancer.
    pub(crate) fn late(tz: TimeZone, core_share: f64) -> Rhythm {
        Rhythm {
            tz,
            core_start: 13 * HOUR,
            core_len: 11 * HOUR,
            core_share,
            rest_start: 9 * HOUR,
            rest_len: 17 * HOUR,
            workdays: 6,
            day_off_keep: 0.3,
        }
    }

    /// Pyongyang office hours (09:00–18:00, UTC+9, six days a week).
    pub(crate) fn pyongyang(tz: TimeZone, core_share: f64) -> Rhythm {
        Rhythm {
            tz,
            core_start: 9 * HOUR,
            core_len: 9 * HOUR,
            core_share,
            rest_start: 0,
            rest_len: 24 * HOUR,
            workdays: 6,
            day_off_keep: 0.25,
        }
    }

    /// Round the clock, every day: several operators sharing one identity.
    pub(crate) fn round_the_clock() -> Rhythm {
        Rhythm {
            tz: TimeZone::UTC,
            core_start: 0,
            core_len: 24 * HOUR,
            core_share: 1.0,
            rest_start: 0,
            rest_len: 24 * HOUR,
            workdays: 7,
            day_off_keep: 1.0,
        }
    }

    /// One instant in `[from, to)` (UNIX seconds) following the rhythm.
    pub(crate) fn sample<R: Rng>(&self, rng: &mut R, from: i64, to: i64) -> i64 {
        if to <= from + 1 {
            return from;
        }
        let mut fallback = rng.gen_range(from..to);
        for _ in 0..12 {
            let u = rng.gen_range(from..to);
            fallback = u;
            let Ok(ts) = Timestamp::from_second(u) else {
                continue;
            };
            let date = self.tz.to_datetime(ts).date();
            let weekday = date.weekday().to_monday_one_offset();
            if weekday > self.workdays && !rng.gen_bool(self.day_off_keep) {
                continue;
            }
            let secs = if rng.gen_bool(self.core_share) {
                self.core_start + rng.gen_range(0..self.core_len.max(1))
            } else {
                self.rest_start + rng.gen_range(0..self.rest_len.max(1))
            };
            let Ok(midnight) = self.tz.to_timestamp(date.at(0, 0, 0, 0)) else {
                continue;
            };
            let t = midnight.as_second() + secs;
            if (from..to).contains(&t) {
                return t;
            }
        }
        fallback
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn office_hours_land_in_the_local_day() {
        let tz = TimeZone::get("America/Chicago").unwrap();
        let r = Rhythm::office(tz.clone(), 0.0, 1.0);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let from = 1_750_000_000;
        for _ in 0..500 {
            let t = r.sample(&mut rng, from, from + 90 * DAY);
            assert!((from..from + 90 * DAY).contains(&t));
            let h = tz.to_datetime(Timestamp::from_second(t).unwrap()).hour();
            assert!((9..18).contains(&h), "{h}");
        }
    }

    #[test]
    fn pyongyang_hours_are_the_american_night() {
        let kp = TimeZone::get("Asia/Pyongyang").unwrap();
        let us = TimeZone::get("America/Chicago").unwrap();
        let r = Rhythm::pyongyang(kp, 1.0);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let from = 1_750_000_000;
        let night = (0..300)
            .map(|_| r.sample(&mut rng, from, from + 60 * DAY))
            .filter(|&t| {
                let h = us.to_datetime(Timestamp::from_second(t).unwrap()).hour();
                !(8..19).contains(&h)
            })
            .count();
        assert!(night > 250, "{night}");
    }
}

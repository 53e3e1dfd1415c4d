//! RF4 — "inconsistencies in … location" (advisory red flag 4): when the person works,
//! against the working day of the time zone they claim.
//!
//! Method: the hours of logins, work activity and messages they sent form a circular
//! distribution; its mean, in the claimed zone's local time, is where their day is
//! centred. A centre in the claimed zone's night (20:00–06:00) is what a worker in a
//! distant zone looks like, but it is also what a night owl looks like. Hours alone are
//! therefore never enough: the signal needs the night-centred day AND a second,
//! independent contradiction of the claimed location (a device clock hours away, most
//! home-network logins from another country, or nothing but anonymised logins). It then
//! says which zone's office day fits the activity.

use std::f64::consts::PI;

use redflag_model::{Advisory, Evidence, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::state::SubjectState;
use crate::support::network::{
    claimed_country, claimed_timezone, located, offset_hours, utc_label,
};

pub struct WorkingHours;

/// Fewer events than this say nothing about a rhythm.
const MIN_EVENTS: u32 = 30;
/// How concentrated the hours must be (mean resultant length, 0..1).
const MIN_CONCENTRATION: f64 = 0.35;

/// Mean hour (0..24) and concentration of a 24-bin histogram.
pub(crate) fn circular_mean(hours: &[u32; 24]) -> Option<(f64, f64)> {
    let n: f64 = hours.iter().map(|&c| f64::from(c)).sum();
    if n == 0.0 {
        return None;
    }
    let (mut x, mut y) = (0.0, 0.0);
    for (h, &c) in hours.iter().enumerate() {
        let angle = 2.0 * PI * (h as f64 + 0.5) / 24.0;
        x += f64::from(c) * angle.cos();
        y += f64::from(c) * angle.sin();
    }
    let (x, y) = (x / n, y / n);
    let mean = (y.atan2(x) / (2.0 * PI) * 24.0).rem_euclid(24.0);
    Some((mean, (x * x + y * y).sqrt()))
}

fn hh_mm(hour: f64) -> String {
    let minutes = (hour * 60.0).round() as i64 % (24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl Detector for WorkingHours {
    fn code(&self) -> &'static str {
        "location.working_hours"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF4
    }
    fn describe(&self) -> &'static str {
        "works in the claimed time zone's night, and something else also contradicts the claimed location"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let Some((claim_name, claim_tz)) = claimed_timezone(s) else {
            return;
        };
        if s.clock.events() < MIN_EVENTS {
            return;
        }
        let claimed = offset_hours(&claim_tz, ctx.as_of);
        let Some((utc_mean, concentration)) = circular_mean(&s.clock.utc_hours) else {
            return;
        };
        let local_mean = (utc_mean + claimed).rem_euclid(24.0);
        let at_night = !(6.0..20.0).contains(&local_mean);
        if !at_night || concentration < MIN_CONCENTRATION {
            return;
        }
        let mut corroboration = Vec::new();
        let t = &ctx.policy.thresholds;
        for d in s.devices.iter() {
            if let Some(tz) = d.record.timezone.as_ref().and_then(|n| n.tz()) {
                let apart = (offset_hours(&tz, ctx.as_of) - claimed).abs();
                if apart.min(24.0 - apart) >= f64::from(t.timezone_min_hours) {
                    corroboration.push(format!(
                        "a work device is set to {}",
                        d.record
                            .timezone
                            .as_ref()
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    ));
                    break;
                }
            }
        }
        if let Some(intel) = ctx.intel {
            let logins = located(s, intel);
            if !logins.is_empty() {
                let hidden = logins
                    .iter()
                    .filter(|l| l.info.class.is_anonymiser())
                    .count();
                let placed: Vec<_> = logins.iter().filter_map(|l| l.home_country()).collect();
                let claim = claimed_country(s);
                let elsewhere = placed.iter().filter(|c| Some(**c) != claim).count();
                if claim.is_some() && !placed.is_empty() && elsewhere * 2 > placed.len() {
                    corroboration
                        .push("most home-network logins come from another country".to_owned());
                } else if placed.iter().all(|c| Some(*c) != claim) && hidden * 2 > logins.len() {
                    corroboration.push("logins come through anonymising networks".to_owned());
                }
            }
        }
        if corroboration.is_empty() {
            return;
        }
        // The zone in which this activity would be centred on 13:30, an office day's middle.
        let mut fits = claimed + (13.5 - local_mean);
        if fits > 14.0 {
            fits -= 24.0;
        } else if fits <= -12.0 {
            fits += 24.0;
        }
        let fits = (fits * 2.0).round() / 2.0;
        let summary = format!(
            "activity is centred on {} in {claim_name}, the middle of the night there; an office day fits {} ({} events); {}",
            hh_mm(local_mean),
            utc_label(fits),
            s.clock.events(),
            corroboration.join("; ")
        );
        let evidence = vec![
            Evidence::new(Kind::Activity, None, None)
                .with("events", s.clock.events())
                .with("mean_local_hour", hh_mm(local_mean))
                .with("claimed_timezone", claim_name.clone())
                .with("best_fitting_offset", utc_label(fits))
                .with("concentration", (concentration * 100.0).round() / 100.0),
        ];
        ctx.emit(self, 0.6, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    /// A subject in Chicago active every day at the given UTC hours.
    fn lines(utc_hours: &[u32], device_tz: Option<&str>) -> Vec<String> {
        let mut v = vec![r#"{"kind":"subject","id":"c-1","location":{"country":"US","timezone":"America/Chicago"}}"#.to_owned()];
        for day in 1..=20 {
            for h in utc_hours {
                v.push(format!(r#"{{"kind":"activity","subject":"c-1","at":"2026-03-{day:02}T{h:02}:10:00Z","type":"commit"}}"#));
            }
        }
        if let Some(tz) = device_tz {
            v.push(format!(r#"{{"kind":"device","subject":"c-1","at":"2026-03-06T02:00:00Z","device_id":"d-1","timezone":"{tz}"}}"#));
        }
        v
    }

    fn run_lines(l: &[String]) -> Vec<Signal> {
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        run(&WorkingHours, &refs)
    }

    #[test]
    fn pyongyang_office_hours_with_a_pyongyang_clock_fire() {
        // 09:00–17:00 in Pyongyang (UTC+9) is 00:00–08:00 UTC.
        let signals = run_lines(&lines(&[0, 1, 2, 3, 4, 5, 6, 7], Some("Asia/Pyongyang")));
        assert_eq!(signals.len(), 1);
        assert!(
            signals[0].summary.contains("an office day fits UTC+9"),
            "{}",
            signals[0].summary
        );
    }

    #[test]
    fn a_night_owl_with_nothing_else_odd_is_quiet() {
        assert!(run_lines(&lines(&[3, 4, 5, 6, 7, 8], Some("America/Chicago"))).is_empty());
        assert!(run_lines(&lines(&[3, 4, 5, 6, 7, 8], None)).is_empty());
    }

    #[test]
    fn a_normal_working_day_is_quiet_even_with_an_odd_device_clock() {
        // 09:00–17:00 in Chicago (UTC−5 in March after DST) is 14:00–22:00 UTC.
        assert!(
            run_lines(&lines(
                &[14, 15, 16, 17, 18, 19, 20, 21],
                Some("Asia/Seoul")
            ))
            .is_empty()
        );
    }

    #[test]
    fn circular_mean_wraps_midnight() {
        let mut h = [0u32; 24];
        h[23] = 10;
        h[1] = 10;
        let (mean, r) = circular_mean(&h).unwrap();
        assert!(!(1.0..23.0).contains(&mean), "{mean}");
        assert!(r > 0.9);
    }
}

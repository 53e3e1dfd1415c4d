//! RF4 — "inconsistencies in … location" (advisory red flag 4): the time zone set on a
//! managed device, against the time zone the subject says they live in. Only the clock
//! counts: a device's locale or keyboard layouts describe languages a person speaks,
//! and never count here.

use redflag_model::{Advisory, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};
use crate::support::network::{claimed_timezone, offset_hours, utc_label};

pub struct DeviceTimezone;

impl Detector for DeviceTimezone {
    fn code(&self) -> &'static str {
        "location.device_timezone"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF4
    }
    fn describe(&self) -> &'static str {
        "a work device set to a time zone hours away from where they say they live"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let Some((claim_name, claim_tz)) = claimed_timezone(s) else {
            return;
        };
        let t = &ctx.policy.thresholds;
        let claimed = offset_hours(&claim_tz, ctx.as_of);
        let mut parts = Vec::new();
        let mut evidence = Vec::new();
        for d in s.devices.iter() {
            let Some(name) = &d.record.timezone else {
                continue;
            };
            let Some(tz) = name.tz() else { continue };
            let device = offset_hours(&tz, ctx.as_of);
            let apart = (device - claimed).abs();
            let apart = apart.min(24.0 - apart);
            if apart < f64::from(t.timezone_min_hours) {
                continue;
            }
            let which = d
                .record
                .device_id
                .as_deref()
                .map(|id| format!("device {id}"))
                .unwrap_or_else(|| "a device".into());
            parts.push(format!("{which} is set to {name} ({})", utc_label(device)));
            evidence.push(
                evidence_of(Kind::Device, d, Some(d.record.at))
                    .with("device_id", d.record.device_id.clone())
                    .with("timezone", name.to_string())
                    .with("claimed_timezone", claim_name.clone()),
            );
        }
        if evidence.is_empty() {
            return;
        }
        let summary = format!(
            "{}; the profile says {claim_name} ({})",
            parts.join("; "),
            utc_label(claimed)
        );
        ctx.emit(self, 0.7, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    const CHICAGO: &str =
        r#"{"kind":"subject","id":"c-1","location":{"country":"US","timezone":"America/Chicago"}}"#;

    #[test]
    fn a_laptop_on_shanghai_time_for_a_texan_fires() {
        let signals = run(
            &DeviceTimezone,
            &[
                CHICAGO,
                r#"{"kind":"device","subject":"c-1","at":"2026-03-06T02:00:00Z","device_id":"d-9f2","timezone":"Asia/Shanghai"}"#,
            ],
        );
        assert_eq!(
            signals[0].summary,
            "device d-9f2 is set to Asia/Shanghai (UTC+8); the profile says America/Chicago (UTC−5)"
        );
    }

    #[test]
    fn a_korean_locale_on_local_time_is_quiet() {
        assert!(run(&DeviceTimezone, &[
            r#"{"kind":"subject","id":"c-1","location":{"country":"CA","timezone":"America/Toronto"}}"#,
            r#"{"kind":"device","subject":"c-1","at":"2026-03-06T02:00:00Z","device_id":"d-1","timezone":"America/Toronto","locale":"ko-KR","keyboard_layouts":["ko-KR"]}"#,
        ]).is_empty());
    }

    #[test]
    fn a_neighbouring_zone_is_quiet() {
        assert!(run(&DeviceTimezone, &[
            CHICAGO,
            r#"{"kind":"device","subject":"c-1","at":"2026-03-06T02:00:00Z","device_id":"d-1","timezone":"America/New_York"}"#,
        ]).is_empty());
    }
}

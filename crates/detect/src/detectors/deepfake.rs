//! RF7 — "deepfakes in meetings" (advisory red flag 7; mitigation M4: deepfake checks).
//!
//! Fires on what an interviewer or a verification tool recorded: deepfake indicators
//! (face artefacts on occlusion, lip-sync mismatch…), a liveness challenge failed or
//! refused, or a face that does not match the profile or the identity document.
//! A challenge that was simply not done is not evidence of anything.

use redflag_model::{Advisory, Kind, Liveness, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};

pub struct DeepfakeIndicators;

impl Detector for DeepfakeIndicators {
    fn code(&self) -> &'static str {
        "interviews.deepfake_indicators"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF7
    }
    fn describe(&self) -> &'static str {
        "deepfake indicators, failed or refused liveness, or a face that does not match"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let mut confidence: f64 = 0.0;
        let mut parts: Vec<String> = Vec::new();
        let mut evidence = Vec::new();
        let mut interviews: Vec<_> = s.interviews.iter().collect();
        interviews.sort_by_key(|i| i.record.at);
        for i in interviews {
            let r = &i.record;
            let mut found = Vec::new();
            if !r.deepfake_indicators.is_empty() {
                confidence = confidence.max(0.85);
                found.push(format!(
                    "deepfake indicators ({})",
                    r.deepfake_indicators.join(", ").replace('_', " ")
                ));
            }
            match r.liveness_challenge {
                Some(Liveness::Failed) => {
                    confidence = confidence.max(0.8);
                    found.push("failed the liveness challenge".to_owned());
                }
                Some(Liveness::Refused) => {
                    confidence = confidence.max(0.7);
                    found.push("refused the liveness challenge".to_owned());
                }
                _ => {}
            }
            if r.identity_matches_profile == Some(false) {
                confidence = confidence.max(0.9);
                found.push("the person on camera did not match the profile".to_owned());
            }
            if found.is_empty() {
                continue;
            }
            for f in &found {
                if !parts.contains(f) {
                    parts.push(f.clone());
                }
            }
            evidence.push(
                evidence_of(Kind::Interview, i, Some(r.at))
                    .with("deepfake_indicators", r.deepfake_indicators.clone())
                    .with(
                        "liveness_challenge",
                        r.liveness_challenge
                            .map(|l| format!("{l:?}").to_lowercase()),
                    )
                    .with("identity_matches_profile", r.identity_matches_profile),
            );
        }
        if evidence.is_empty() {
            return;
        }
        if parts.len() > 1 {
            confidence = (confidence + 0.05).min(0.97);
        }
        ctx.emit(self, confidence, parts.join("; "), evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    #[test]
    fn the_spec_example_fires_with_every_finding() {
        let signals = run(
            &DeepfakeIndicators,
            &[
                r#"{"kind":"interview","subject":"c-1","at":"2026-02-20T16:00:00Z","mode":"video","outcome":"completed","camera":"on","liveness_challenge":"failed","deepfake_indicators":["face_artifacts_on_occlusion","lip_sync_mismatch"],"identity_matches_profile":false}"#,
            ],
        );
        let s = &signals[0];
        assert!(
            s.summary.contains("face artifacts on occlusion"),
            "{}",
            s.summary
        );
        assert!(s.summary.contains("failed the liveness challenge"));
        assert!(s.summary.contains("did not match"));
        assert!(s.confidence > 0.9);
    }

    #[test]
    fn a_refused_liveness_check_alone_fires_moderately() {
        let signals = run(
            &DeepfakeIndicators,
            &[
                r#"{"kind":"interview","subject":"c-1","at":"2026-02-20T16:00:00Z","mode":"video","outcome":"completed","liveness_challenge":"refused"}"#,
            ],
        );
        assert_eq!(signals[0].confidence, 0.7);
    }

    #[test]
    fn a_clean_call_or_an_undone_challenge_is_quiet() {
        assert!(run(&DeepfakeIndicators, &[
            r#"{"kind":"interview","subject":"c-1","at":"2026-02-20T16:00:00Z","mode":"video","outcome":"completed","camera":"on","liveness_challenge":"passed","deepfake_indicators":[],"identity_matches_profile":true}"#,
            r#"{"kind":"interview","subject":"c-1","at":"2026-02-21T16:00:00Z","mode":"video","outcome":"completed","liveness_challenge":"not_done"}"#,
        ]).is_empty());
    }
}

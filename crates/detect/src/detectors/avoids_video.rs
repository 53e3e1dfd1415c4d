//! RF6 — "avoiding voice or video calls" (advisory red flag 6; mitigation M3: live video
//! and varied channels).
//!
//! Counts video or voice interviews the subject declined or missed, and video calls held
//! with the camera off or refused. Any completed video interview with the camera on that
//! comes after the last such event clears it: people have camera trouble once, and the
//! advisory's concern is the person who never shows their face.

use redflag_model::{
    Advisory, Camera, Interview, InterviewMode, InterviewOutcome, Kind, Liveness, Signal,
};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};
use crate::support::plural;

pub struct AvoidsVideo;

impl Detector for AvoidsVideo {
    fn code(&self) -> &'static str {
        "interviews.avoids_video"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF6
    }
    fn describe(&self) -> &'static str {
        "declined or missed video/voice calls, or kept the camera off"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let mut interviews: Vec<_> = s.interviews.iter().collect();
        interviews.sort_by_key(|i| i.record.at);
        let mut avoidances = Vec::new();
        for i in &interviews {
            let r = &i.record;
            let live = matches!(r.mode, InterviewMode::Video | InterviewMode::Voice);
            let (strength, what) = match (r.mode, r.outcome, r.camera) {
                (_, InterviewOutcome::Declined, _) if live => {
                    (0.6, format!("declined a {} call", mode_word(r.mode)))
                }
                (_, InterviewOutcome::NoShow, _) if live => (
                    0.35,
                    format!("did not show up for a {} call", mode_word(r.mode)),
                ),
                (InterviewMode::Video, InterviewOutcome::Completed, Some(Camera::Refused)) => (
                    0.7,
                    "refused to turn the camera on in a video call".to_owned(),
                ),
                (InterviewMode::Video, InterviewOutcome::Completed, Some(Camera::Off)) => {
                    (0.5, "kept the camera off in a video call".to_owned())
                }
                _ => continue,
            };
            avoidances.push((i, strength, what));
        }
        let Some(last_avoidance) = avoidances.last().map(|a| a.0.record.at) else {
            return;
        };
        let shown_face_later = interviews
            .iter()
            .any(|i| is_genuine_video(&i.record) && i.record.at > last_avoidance);
        if shown_face_later {
            return;
        }
        let confidence = (1.0 - avoidances.iter().map(|a| 1.0 - a.1).product::<f64>()).min(0.95);
        let mut whats: Vec<String> = Vec::new();
        for (_, _, what) in &avoidances {
            if !whats.contains(what) {
                whats.push(what.clone());
            }
        }
        let completed_video = interviews.iter().any(|i| is_genuine_video(&i.record));
        let tail = if completed_video {
            ""
        } else {
            "; no completed on-camera video interview"
        };
        let summary = format!(
            "{} ({}){tail}",
            whats.join("; "),
            plural(avoidances.len(), "time", "times"),
        );
        let evidence = avoidances
            .iter()
            .map(|(i, _, _)| {
                evidence_of(Kind::Interview, *i, Some(i.record.at))
                    .with("mode", mode_word(i.record.mode))
                    .with("outcome", format!("{:?}", i.record.outcome).to_lowercase())
                    .with(
                        "camera",
                        i.record.camera.map(|c| format!("{c:?}").to_lowercase()),
                    )
            })
            .collect();
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

/// A completed video call with the camera on in which nothing suggested a deepfake: a
/// call with a fake face does not show that the person shows their face.
fn is_genuine_video(r: &Interview) -> bool {
    r.mode == InterviewMode::Video
        && r.outcome == InterviewOutcome::Completed
        && !matches!(r.camera, Some(Camera::Off | Camera::Refused))
        && !matches!(
            r.liveness_challenge,
            Some(Liveness::Failed | Liveness::Refused)
        )
        && r.deepfake_indicators.is_empty()
        && r.identity_matches_profile != Some(false)
}

fn mode_word(mode: InterviewMode) -> &'static str {
    match mode {
        InterviewMode::Video => "video",
        InterviewMode::Voice => "voice",
        InterviewMode::Text => "text",
        InterviewMode::InPerson => "in-person",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    const DECLINED: &str = r#"{"kind":"interview","subject":"c-1","at":"2026-02-10T16:00:00Z","mode":"video","outcome":"declined"}"#;
    const CAMERA_OFF: &str = r#"{"kind":"interview","subject":"c-1","at":"2026-02-12T16:00:00Z","mode":"video","outcome":"completed","camera":"off"}"#;
    const TEXT_ONLY: &str = r#"{"kind":"interview","subject":"c-1","at":"2026-02-13T16:00:00Z","mode":"text","outcome":"completed"}"#;
    const ON_CAMERA: &str = r#"{"kind":"interview","subject":"c-1","at":"2026-02-20T16:00:00Z","mode":"video","outcome":"completed","camera":"on","liveness_challenge":"passed"}"#;

    #[test]
    fn declining_video_then_camera_off_fires_strongly() {
        let signals = run(&AvoidsVideo, &[DECLINED, CAMERA_OFF, TEXT_ONLY]);
        assert_eq!(signals.len(), 1);
        assert!(signals[0].confidence > 0.75, "{}", signals[0].confidence);
        assert!(signals[0].summary.contains("declined a video call"));
        assert!(signals[0].summary.contains("no completed on-camera video"));
        assert_eq!(signals[0].evidence.len(), 2);
    }

    #[test]
    fn camera_trouble_then_a_proper_video_call_is_quiet() {
        assert!(run(&AvoidsVideo, &[DECLINED, CAMERA_OFF, ON_CAMERA]).is_empty());
    }

    #[test]
    fn a_later_call_with_a_deepfake_face_does_not_clear_the_avoidance() {
        let fake = ON_CAMERA.replace(
            r#""liveness_challenge":"passed""#,
            r#""liveness_challenge":"failed","deepfake_indicators":["lip_sync_mismatch"]"#,
        );
        assert_eq!(run(&AvoidsVideo, &[DECLINED, &fake]).len(), 1);
    }

    #[test]
    fn an_earlier_good_call_does_not_excuse_later_avoidance() {
        let later_decline = DECLINED.replace("2026-02-10", "2026-03-10");
        assert_eq!(run(&AvoidsVideo, &[ON_CAMERA, &later_decline]).len(), 1);
    }

    #[test]
    fn rescheduling_and_text_interviews_are_not_avoidance() {
        assert!(run(&AvoidsVideo, &[
            r#"{"kind":"interview","subject":"c-1","at":"2026-02-10T16:00:00Z","mode":"video","outcome":"rescheduled"}"#,
            TEXT_ONLY,
            r#"{"kind":"interview","subject":"c-1","at":"2026-02-10T16:00:00Z","mode":"text","outcome":"declined"}"#,
        ]).is_empty());
    }
}

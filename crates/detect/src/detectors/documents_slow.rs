//! RF5 — "slow or no identity documents" (advisory red flag 5; mitigation M2).
//!
//! Looks only at identity documents (passport, national ID, driver's licence, work
//! permit): refused outright; still pending longer than the policy allows; or provided
//! much later than requested. A person who has a verified identity document on file is
//! much less concerning when a second one is slow, so confidence drops in that case.

use redflag_model::{Advisory, DocStatus, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};
use crate::support::time::days_between;

pub struct DocumentsSlow;

impl Detector for DocumentsSlow {
    fn code(&self) -> &'static str {
        "documents.slow_or_missing"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF5
    }
    fn describe(&self) -> &'static str {
        "identity documents refused, still pending, or provided late"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let t = &ctx.policy.thresholds;
        let mut findings: Vec<(f64, String)> = Vec::new();
        let mut evidence = Vec::new();
        let has_verified_identity = s.documents.iter().any(|d| {
            d.record.doc_type.is_identity() && d.record.status == Some(DocStatus::Verified)
        });
        let mut docs: Vec<_> = s
            .documents
            .iter()
            .filter(|d| d.record.doc_type.is_identity())
            .collect();
        docs.sort_by_key(|d| d.record.requested_at);
        for d in docs {
            let doc = &d.record;
            let label = doc.doc_type.label();
            let finding = match (doc.status, doc.provided_at) {
                (Some(DocStatus::Refused), _) => {
                    Some((0.9, format!("refused to provide a {label}")))
                }
                (Some(DocStatus::Pending) | None, None) => {
                    let waited = days_between(doc.requested_at, ctx.as_of);
                    (waited > i64::from(t.document_pending_days)).then(|| {
                        // Grows from 0.55 at the threshold towards 0.9 at three times it.
                        let over = waited as f64 / f64::from(t.document_pending_days.max(1));
                        (
                            (0.55 + 0.175 * (over - 1.0)).min(0.9),
                            format!("{label} requested {waited} days ago and still not provided"),
                        )
                    })
                }
                (_, Some(provided)) => {
                    let took = days_between(doc.requested_at, provided);
                    (took > i64::from(t.document_late_days)).then(|| {
                        (
                            0.5,
                            format!("{label} provided {took} days after it was requested"),
                        )
                    })
                }
                _ => None,
            };
            if let Some((confidence, text)) = finding {
                evidence.push(
                    evidence_of(Kind::Document, d, Some(doc.requested_at))
                        .with("doc_type", label)
                        .with(
                            "status",
                            doc.status.map(|s| format!("{s:?}").to_lowercase()),
                        )
                        .with("provided_at", doc.provided_at.map(|p| p.to_string())),
                );
                findings.push((confidence, text));
            }
        }
        if findings.is_empty() {
            return;
        }
        let mut confidence = findings.iter().map(|f| f.0).fold(0.0, f64::max);
        if findings.len() > 1 {
            confidence = (confidence + 0.05).min(0.95);
        }
        if has_verified_identity {
            confidence *= 0.5;
        }
        let summary = findings
            .into_iter()
            .map(|f| f.1)
            .collect::<Vec<_>>()
            .join("; ");
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::{run, run_at, state};

    const PENDING: &str = r#"{"kind":"document","subject":"c-1","doc_type":"passport","requested_at":"2026-02-01T10:00:00Z","status":"pending"}"#;

    #[test]
    fn a_long_pending_passport_fires_and_says_how_long() {
        let signals = run(&DocumentsSlow, &[PENDING]);
        assert_eq!(signals.len(), 1);
        assert!(
            signals[0]
                .summary
                .contains("passport requested 58 days ago"),
            "{}",
            signals[0].summary
        );
    }

    #[test]
    fn a_refusal_is_strong() {
        let signals = run(
            &DocumentsSlow,
            &[
                r#"{"kind":"document","subject":"c-1","doc_type":"national_id","requested_at":"2026-03-28T10:00:00Z","status":"refused"}"#,
            ],
        );
        assert_eq!(signals[0].confidence, 0.9);
    }

    #[test]
    fn a_late_document_fires() {
        let signals = run(
            &DocumentsSlow,
            &[
                r#"{"kind":"document","subject":"c-1","doc_type":"passport","requested_at":"2026-01-01T10:00:00Z","provided_at":"2026-02-15T10:00:00Z","status":"provided"}"#,
            ],
        );
        assert!(signals[0].summary.contains("45 days after"));
    }

    #[test]
    fn recently_requested_or_promptly_provided_is_quiet() {
        assert!(run_at(&DocumentsSlow, &state(&[PENDING]), "2026-02-10T00:00:00Z").is_empty());
        assert!(run(&DocumentsSlow, &[
            r#"{"kind":"document","subject":"c-1","doc_type":"passport","requested_at":"2026-01-01T10:00:00Z","provided_at":"2026-01-09T10:00:00Z","status":"verified"}"#,
        ]).is_empty());
    }

    #[test]
    fn a_slow_degree_certificate_is_not_an_identity_document() {
        assert!(run(&DocumentsSlow, &[
            r#"{"kind":"document","subject":"c-1","doc_type":"degree","requested_at":"2026-01-01T10:00:00Z","status":"pending"}"#,
        ]).is_empty());
    }

    #[test]
    fn a_verified_identity_halves_the_concern_about_a_second_document() {
        let signals = run(
            &DocumentsSlow,
            &[
                PENDING.replace("passport", "drivers_license").as_str(),
                r#"{"kind":"document","subject":"c-1","doc_type":"passport","requested_at":"2026-01-01T10:00:00Z","provided_at":"2026-01-03T10:00:00Z","status":"verified"}"#,
            ],
        );
        assert!(signals[0].confidence < 0.5);
    }
}

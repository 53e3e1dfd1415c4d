//! M2 — "scrutinise documents for forgery" (advisory mitigation 2).
//!
//! Fires when whoever examined a document recorded a forgery indicator
//! (`forgery_suspected`, `photo_tampering`, `font_mismatch`, `name_mismatch`,
//! `dob_mismatch`) or rejected it. An `expired` document is a nuisance, not a forgery:
//! it alone does not fire.

use redflag_model::{Advisory, DocStatus, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};

pub struct ForgeryIndicators;

/// Recorded issues that point at forgery, with how strongly.
fn indicator_strength(issue: &str) -> Option<f64> {
    match issue {
        "forgery_suspected" | "photo_tampering" => Some(0.9),
        "name_mismatch" | "dob_mismatch" => Some(0.75),
        "font_mismatch" | "mrz_mismatch" | "template_mismatch" => Some(0.65),
        _ => None,
    }
}

impl Detector for ForgeryIndicators {
    fn code(&self) -> &'static str {
        "documents.forgery_indicators"
    }
    fn advisory(&self) -> Advisory {
        Advisory::M2
    }
    fn describe(&self) -> &'static str {
        "documents with signs of forgery or tampering, or rejected"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let mut confidence: f64 = 0.0;
        let mut parts = Vec::new();
        let mut evidence = Vec::new();
        for d in &s.documents {
            let doc = &d.record;
            let indicators: Vec<&str> = doc
                .issues
                .iter()
                .map(String::as_str)
                .filter(|i| indicator_strength(i).is_some())
                .collect();
            let rejected = doc.status == Some(DocStatus::Rejected);
            if indicators.is_empty() && !rejected {
                continue;
            }
            let strongest = indicators
                .iter()
                .filter_map(|i| indicator_strength(i))
                .fold(0.0, f64::max);
            confidence = confidence.max(if rejected {
                strongest.max(0.6)
            } else {
                strongest
            });
            let what = if indicators.is_empty() {
                "rejected".to_owned()
            } else {
                indicators.join(", ").replace('_', " ")
            };
            parts.push(format!("{}: {what}", doc.doc_type.label()));
            evidence.push(
                evidence_of(
                    Kind::Document,
                    d,
                    Some(doc.provided_at.unwrap_or(doc.requested_at)),
                )
                .with("doc_type", doc.doc_type.label())
                .with("issues", doc.issues.clone())
                .with(
                    "issuing_country",
                    doc.issuing_country.map(|c| c.to_string()),
                ),
            );
        }
        if evidence.is_empty() {
            return;
        }
        if evidence.len() > 1 {
            confidence = (confidence + 0.05).min(0.95);
        }
        ctx.emit(self, confidence, parts.join("; "), evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    #[test]
    fn forgery_indicators_fire_with_the_issue_named() {
        let signals = run(
            &ForgeryIndicators,
            &[
                r#"{"kind":"document","subject":"c-1","doc_type":"passport","requested_at":"2026-02-21T10:00:00Z","provided_at":"2026-03-09T08:00:00Z","status":"provided","issues":["photo_tampering","expired"]}"#,
            ],
        );
        assert_eq!(signals[0].summary, "passport: photo tampering");
        assert_eq!(signals[0].confidence, 0.9);
    }

    #[test]
    fn a_rejected_document_fires() {
        let signals = run(
            &ForgeryIndicators,
            &[
                r#"{"kind":"document","subject":"c-1","doc_type":"degree","requested_at":"2026-02-21T10:00:00Z","status":"rejected"}"#,
            ],
        );
        assert!(signals[0].summary.contains("rejected"));
    }

    #[test]
    fn an_expired_or_clean_document_is_quiet() {
        assert!(run(&ForgeryIndicators, &[
            r#"{"kind":"document","subject":"c-1","doc_type":"passport","requested_at":"2026-02-21T10:00:00Z","status":"provided","issues":["expired"]}"#,
            r#"{"kind":"document","subject":"c-1","doc_type":"national_id","requested_at":"2026-02-21T10:00:00Z","status":"verified","issues":[]}"#,
        ]).is_empty());
    }
}

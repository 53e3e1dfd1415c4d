//! M5 — "background, reference and credential checks" (advisory mitigation 5).
//!
//! Fires when a check came back `not_found` or `mismatch`, or the reference or institution
//! `refused` to confirm. A later `confirmed` for the same target and institution clears it
//! (a typo in a first request is common). `unreachable` says nothing about the person: a
//! school that closed, an employer that was acquired.

use redflag_model::{Advisory, CheckOutcome, CheckTarget, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};

pub struct CredentialsNotVerified;

impl Detector for CredentialsNotVerified {
    fn code(&self) -> &'static str {
        "credentials.not_verified"
    }
    fn advisory(&self) -> Advisory {
        Advisory::M5
    }
    fn describe(&self) -> &'static str {
        "background, reference or credential checks not found or mismatched"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let mut confidence: f64 = 0.0;
        let mut failed = 0usize;
        let mut parts = Vec::new();
        let mut evidence = Vec::new();
        let mut checks: Vec<_> = s.checks.iter().collect();
        checks.sort_by_key(|c| c.record.at);
        for c in &checks {
            let r = &c.record;
            let (strength, word) = match r.outcome {
                CheckOutcome::NotFound => (0.8, "not found"),
                CheckOutcome::Mismatch => (0.85, "did not match"),
                CheckOutcome::Refused => (0.5, "refused to confirm"),
                CheckOutcome::Confirmed | CheckOutcome::Unreachable => continue,
            };
            let confirmed_later = checks.iter().any(|o| {
                o.record.outcome == CheckOutcome::Confirmed
                    && o.record.target == r.target
                    && o.record.institution == r.institution
                    && o.record.at > r.at
            });
            if confirmed_later {
                continue;
            }
            failed += 1;
            confidence = confidence.max(strength);
            let at = r
                .institution
                .as_deref()
                .map(|i| format!(" at {i}"))
                .unwrap_or_default();
            let detail = r
                .detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            parts.push(format!("{}{at}: {word}{detail}", target_word(r.target)));
            evidence.push(
                evidence_of(Kind::CredentialCheck, *c, Some(r.at))
                    .with("target", target_word(r.target))
                    .with("institution", r.institution.clone())
                    .with("outcome", format!("{:?}", r.outcome).to_lowercase()),
            );
        }
        if failed == 0 {
            return;
        }
        if failed > 1 {
            confidence = (confidence + 0.1).min(0.95);
        }
        ctx.emit(self, confidence, parts.join("; "), evidence, out);
    }
}

fn target_word(t: CheckTarget) -> &'static str {
    match t {
        CheckTarget::Education => "education",
        CheckTarget::Employment => "employment",
        CheckTarget::Reference => "reference",
        CheckTarget::Identity => "identity",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    const NOT_FOUND: &str = r#"{"kind":"credential_check","subject":"c-1","at":"2026-03-01T10:00:00Z","target":"education","institution":"University of Texas at Austin","outcome":"not_found","detail":"no record of enrolment"}"#;

    #[test]
    fn a_degree_that_cannot_be_found_fires_with_the_detail() {
        let signals = run(&CredentialsNotVerified, &[NOT_FOUND]);
        assert_eq!(
            signals[0].summary,
            "education at University of Texas at Austin: not found (no record of enrolment)"
        );
    }

    #[test]
    fn two_failures_are_stronger_than_one() {
        let one = run(&CredentialsNotVerified, &[NOT_FOUND])[0].confidence;
        let two = run(&CredentialsNotVerified, &[NOT_FOUND, r#"{"kind":"credential_check","subject":"c-1","at":"2026-03-02T10:00:00Z","target":"employment","institution":"Shopify","outcome":"mismatch"}"#])[0].confidence;
        assert!(two > one);
    }

    #[test]
    fn an_unreachable_school_or_a_later_confirmation_is_quiet() {
        assert!(run(&CredentialsNotVerified, &[
            r#"{"kind":"credential_check","subject":"c-1","at":"2026-03-01T10:00:00Z","target":"education","institution":"Closed College","outcome":"unreachable"}"#,
        ]).is_empty());
        assert!(run(&CredentialsNotVerified, &[
            NOT_FOUND,
            r#"{"kind":"credential_check","subject":"c-1","at":"2026-03-05T10:00:00Z","target":"education","institution":"University of Texas at Austin","outcome":"confirmed"}"#,
        ]).is_empty());
    }
}

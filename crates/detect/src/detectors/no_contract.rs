//! RF9 — "starting work with no signed contract or payment security" (advisory red flag 9).
//!
//! For each `work_started` event, looks for a `signed` or `payment_security` event at or
//! before it, on the same project where the records name one. Work that starts first,
//! or with nothing signed at all, fires.

use redflag_model::{Advisory, ContractEvent, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};
use crate::support::time::days_between;

pub struct WorkBeforeContract;

impl Detector for WorkBeforeContract {
    fn code(&self) -> &'static str {
        "contracts.work_before_contract"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF9
    }
    fn describe(&self) -> &'static str {
        "work started before a signed contract or payment security"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let same_project =
            |a: &Option<String>, b: &Option<String>| a.is_none() || b.is_none() || a == b;
        let securing =
            |e: ContractEvent| matches!(e, ContractEvent::Signed | ContractEvent::PaymentSecurity);
        let mut confidence: f64 = 0.0;
        let mut parts = Vec::new();
        let mut evidence = Vec::new();
        for start in s
            .contracts
            .iter()
            .filter(|c| c.record.event == ContractEvent::WorkStarted)
        {
            let started = start.record.at;
            let secured_in_time = s.contracts.iter().any(|c| {
                securing(c.record.event)
                    && c.record.at <= started
                    && same_project(&c.record.project, &start.record.project)
            });
            if secured_in_time {
                continue;
            }
            let later = s
                .contracts
                .iter()
                .filter(|c| {
                    securing(c.record.event)
                        && same_project(&c.record.project, &start.record.project)
                })
                .min_by_key(|c| c.record.at);
            let project = start
                .record
                .project
                .as_deref()
                .map(|p| format!(" on {p}"))
                .unwrap_or_default();
            evidence.push(
                evidence_of(Kind::Contract, start, Some(started)).with("event", "work_started"),
            );
            match later {
                Some(signed) => {
                    confidence = confidence.max(0.75);
                    parts.push(format!(
                        "work started{project} {} days before the contract was signed",
                        days_between(started, signed.record.at)
                    ));
                    evidence.push(
                        evidence_of(Kind::Contract, signed, Some(signed.record.at))
                            .with("event", "signed"),
                    );
                }
                None => {
                    confidence = confidence.max(0.9);
                    parts.push(format!("work started{project} with no signed contract or payment security on record"));
                }
            }
        }
        if evidence.is_empty() {
            return;
        }
        ctx.emit(self, confidence, parts.join("; "), evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    const STARTED: &str =
        r#"{"kind":"contract","subject":"c-1","at":"2026-03-01T09:00:00Z","event":"work_started"}"#;

    #[test]
    fn work_with_nothing_signed_fires() {
        let signals = run(&WorkBeforeContract, &[STARTED]);
        assert!(signals[0].summary.contains("no signed contract"));
        assert_eq!(signals[0].confidence, 0.9);
    }

    #[test]
    fn signing_after_the_start_fires_with_the_delay() {
        let signals = run(
            &WorkBeforeContract,
            &[
                STARTED,
                r#"{"kind":"contract","subject":"c-1","at":"2026-03-13T09:00:00Z","event":"signed"}"#,
            ],
        );
        assert!(
            signals[0].summary.contains("12 days before"),
            "{}",
            signals[0].summary
        );
    }

    #[test]
    fn signed_first_even_minutes_before_is_quiet() {
        assert!(run(&WorkBeforeContract, &[
            r#"{"kind":"contract","subject":"c-1","at":"2026-03-01T08:55:00Z","event":"signed"}"#,
            STARTED,
        ]).is_empty());
        assert!(run(&WorkBeforeContract, &[
            r#"{"kind":"contract","subject":"c-1","at":"2026-03-01T09:00:00Z","event":"payment_security"}"#,
            STARTED,
        ]).is_empty());
    }

    #[test]
    fn a_contract_for_another_project_does_not_cover_this_one() {
        let signals = run(
            &WorkBeforeContract,
            &[
                r#"{"kind":"contract","subject":"c-1","at":"2026-02-01T09:00:00Z","event":"signed","project":"a"}"#,
                r#"{"kind":"contract","subject":"c-1","at":"2026-03-01T09:00:00Z","event":"work_started","project":"b"}"#,
            ],
        );
        assert_eq!(signals.len(), 1);
    }
}

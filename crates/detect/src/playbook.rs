//! The next due-diligence step for each kind of signal, in the advisory's terms (M1–M5),
//! plus the legal steps a DPRK nexus or sanctions match requires. Listed once per
//! assessment, most urgent first.

use redflag_model::{Action, Advisory, Signal};

/// The step a sanctions signal calls for: the legal stop when a hit is confirmed,
/// otherwise a review. A name alone is a reason to look, never a reason to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Clause(Advisory),
    SanctionsReview,
}

fn confirmed(signal: &Signal) -> bool {
    signal
        .evidence
        .iter()
        .any(|e| e.details.get("status").and_then(|s| s.as_str()) == Some("confirmed"))
}

/// Which step answers a signal of this advisory clause.
fn step_for(advisory: Advisory) -> Advisory {
    match advisory {
        Advisory::RF1 | Advisory::RF2 | Advisory::M1 => Advisory::M1,
        Advisory::RF5 | Advisory::M2 => Advisory::M2,
        Advisory::RF3 | Advisory::RF6 | Advisory::Conceal | Advisory::M3 => Advisory::M3,
        Advisory::RF7 | Advisory::M4 => Advisory::M4,
        Advisory::RF4
        | Advisory::RF8
        | Advisory::RF9
        | Advisory::M5
        | Advisory::Link
        | Advisory::Intel => Advisory::M5,
        Advisory::Sanctions => Advisory::Sanctions,
        Advisory::MdDprk => Advisory::MdDprk,
    }
}

fn text(step: Advisory) -> &'static str {
    match step {
        Advisory::Sanctions => {
            "Stop: do not hire or pay this person until compliance has reviewed the sanctions match; dealing with a listed person is an offence under the UN Act and SEMA, and a report to FINTRAC and the RCMP may be required."
        }
        Advisory::MdDprk => {
            "Treat as high risk under the FINTRAC Ministerial Directive on the DPRK: hold payments, escalate to your compliance officer, and file a suspicious transaction report if you are a reporting entity."
        }
        Advisory::M1 => {
            "Do not pay in cryptocurrency; pay one verified bank account in the person's own name, in the country they say they live in."
        }
        Advisory::M2 => {
            "Ask for the original identity document and verify it with the issuer or a document-verification service; check it for signs of forgery."
        }
        Advisory::M3 => {
            "Hold a live video interview with the camera on, and confirm the person through a second, independent channel (a phone call to a verified number, an in-person meeting)."
        }
        Advisory::M4 => {
            "Repeat the interview with a liveness challenge (turn the head, pass a hand in front of the face) and compare the face with the identity document's photo."
        }
        _ => {
            "Verify identity, references, employers and schools directly with the institutions before any work starts or payment is made; sign a contract first."
        }
    }
}

/// What an analyst does with a sanctions hit under review.
const SANCTIONS_REVIEW: &str = "Review the possible sanctions match: compare the listed person's or organisation's dates of birth, nationalities and identifiers (`redflag explain`, `redflag screen`) with the documents you hold, then record the decision with `redflag screen confirm` or `redflag screen clear`. A similar name alone is not a finding.";

/// One action per step the signals call for, in order of urgency.
pub fn actions(signals: &[Signal]) -> Vec<Action> {
    let mut steps: Vec<Step> = signals
        .iter()
        .map(|s| match step_for(s.advisory) {
            Advisory::Sanctions if !confirmed(s) => Step::SanctionsReview,
            clause => Step::Clause(clause),
        })
        .collect();
    steps.sort_by_key(|s| urgency(*s));
    steps.dedup();
    steps
        .into_iter()
        .map(|step| match step {
            Step::Clause(advisory) => Action {
                advisory,
                text: text(advisory).to_owned(),
            },
            Step::SanctionsReview => Action {
                advisory: Advisory::Sanctions,
                text: SANCTIONS_REVIEW.to_owned(),
            },
        })
        .collect()
}

fn urgency(step: Step) -> u8 {
    let step = match step {
        Step::Clause(advisory) => advisory,
        Step::SanctionsReview => return 7,
    };
    match step {
        Advisory::Sanctions => 0,
        Advisory::MdDprk => 1,
        Advisory::M4 => 2,
        Advisory::M2 => 3,
        Advisory::M3 => 4,
        Advisory::M1 => 5,
        _ => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(advisory: Advisory) -> Signal {
        Signal {
            code: "x".into(),
            advisory,
            weight: 1.0,
            confidence: 1.0,
            summary: String::new(),
            evidence: vec![],
        }
    }

    #[test]
    fn each_step_is_listed_once_most_urgent_first() {
        let a = actions(&[
            signal(Advisory::RF2),
            signal(Advisory::RF6),
            signal(Advisory::M1),
            signal(Advisory::MdDprk),
        ]);
        let steps: Vec<Advisory> = a.iter().map(|a| a.advisory).collect();
        assert_eq!(steps, vec![Advisory::MdDprk, Advisory::M3, Advisory::M1]);
    }

    #[test]
    fn a_sanctions_hit_under_review_asks_for_a_review_not_a_stop() {
        let mut review = signal(Advisory::Sanctions);
        review.evidence = vec![
            redflag_model::Evidence::new(redflag_model::Kind::Subject, None, None)
                .with("status", "review"),
        ];
        let a = actions(std::slice::from_ref(&review));
        assert_eq!(a.len(), 1);
        assert!(a[0].text.starts_with("Review the possible sanctions match"));
        assert!(!a[0].text.to_lowercase().contains("stop"), "{}", a[0].text);
        let mut confirmed = review.clone();
        confirmed.evidence[0] = confirmed.evidence[0].clone().with("status", "confirmed");
        let a = actions(&[confirmed, signal(Advisory::RF6)]);
        assert!(a[0].text.starts_with("Stop"), "{}", a[0].text);
    }

    #[test]
    fn no_signals_no_actions() {
        assert!(actions(&[]).is_empty());
    }
}

//! Risk along links (LINK): one persona can look clean; the cell cannot. After every
//! subject is assessed on its own evidence, each subject linked to people with strong
//! signs of their own takes on part of their risk, in proportion to how strongly the
//! link ties them.
//!
//! Bounded three ways, so that one weak link never flags anyone: a neighbour passes on
//! only the risk of its *own* evidence (its score without any LINK signal, so two
//! personas cannot inflate each other in a loop), a tie passes on at most its strength
//! (a flatmate's address, 0.4, is below `strong_min_confidence`, so what flows through it
//! is a weak signal and weak signals alone stop at `medium`), and it flows one step only.
//! A neighbour below `medium` passes on nothing.

use std::collections::HashMap;

use redflag_detect::links::{IdentifierType, Link};
use redflag_detect::support::names::current_employers;
use redflag_detect::ties::{CELL_CODE, TieContext, usable_links};
use redflag_detect::{SubjectState, playbook, scoring};
use redflag_model::{Advisory, Assessment, Evidence, Kind, Signal, SubjectId};

use crate::Engine;

/// Below this, what flows is not worth a line in the assessment.
const MIN_FLOW: f64 = 0.15;

/// Neighbours named in the summary; the evidence lists them all.
const NAMED: usize = 4;

/// A subject's score on its own evidence: every signal but the LINK clause's.
pub(crate) fn own_score(a: &Assessment, engine: &Engine) -> u8 {
    let own: Vec<Signal> = a
        .signals
        .iter()
        .filter(|s| s.advisory != Advisory::Link)
        .cloned()
        .collect();
    scoring::score(&own, engine.policy()).0
}

impl Engine {
    /// The links that carry risk: what [`Engine::links_of`] gives, without the device
    /// public IPs (a laptop farm's are `devices.remote_control`'s evidence).
    pub(crate) fn risk_links(&self, state: &SubjectState) -> Vec<Link> {
        usable_links(
            self.links.links_of(&state.id, &current_employers(state)),
            self.intel.as_ref(),
        )
        .into_iter()
        .filter_map(|mut l| {
            l.via.retain(|i| i.kind != IdentifierType::PublicIp);
            (!l.via.is_empty()).then_some(l)
        })
        .collect()
    }

    /// Adds the risk that flows to `a` from its neighbours' own scores (`own`), and
    /// scores it again.
    pub(crate) fn add_flow(&self, a: &mut Assessment, own: &HashMap<&SubjectId, u8>) {
        let Some(state) = self.subjects.get(a.subject.as_str()) else {
            return;
        };
        let links = self.risk_links(state);
        let ties = TieContext::of(state).with_farms(&state.id, &links, &self.links);
        let medium = f64::from(self.policy().bands.medium);
        let mut sources: Vec<(f64, f64, &Link, u8)> = Vec::new();
        for link in &links {
            let Some(&score) = own.get(&link.other) else {
                continue;
            };
            if f64::from(score) < medium {
                continue;
            }
            let tie = ties.strength_of(&link.via);
            sources.push((tie * f64::from(score) / 100.0, tie, link, score));
        }
        let flow = (1.0 - sources.iter().map(|(f, ..)| 1.0 - f).product::<f64>()).min(0.95);
        if flow < MIN_FLOW {
            return;
        }
        sources.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.2.other.cmp(&y.2.other)));
        let named: Vec<String> = sources
            .iter()
            .take(NAMED)
            .map(|(_, _, link, score)| {
                let who = self
                    .subjects
                    .get(link.other.as_str())
                    .and_then(SubjectState::display_name)
                    .map_or_else(
                        || link.other.to_string(),
                        |name| format!("{name} ({})", link.other),
                    );
                let mut kinds: Vec<IdentifierType> = link.via.iter().map(|i| i.kind).collect();
                kinds.sort();
                kinds.dedup();
                let what: Vec<String> = kinds
                    .iter()
                    .map(|k| match k {
                        IdentifierType::Referral => "a referral".to_owned(),
                        other => format!("a shared {}", other.label()),
                    })
                    .collect();
                format!(
                    "{who}, scored {score} on their own evidence, through {}",
                    what.join(" and ")
                )
            })
            .collect();
        let more = sources.len().saturating_sub(named.len());
        let summary = format!(
            "linked to {} with strong signs of their own: {}{}",
            if sources.len() == 1 {
                "someone".to_owned()
            } else {
                format!("{} people", sources.len())
            },
            named.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        );
        let evidence = sources
            .iter()
            .map(|(flow, tie, link, score)| {
                Evidence::new(Kind::Subject, Some(link.other.to_string()), None)
                    .with("own_score", *score)
                    .with("tie", (tie * 1000.0).round() / 1000.0)
                    .with("flow", (flow * 1000.0).round() / 1000.0)
                    .with(
                        "shared",
                        link.via.iter().map(|i| i.tag()).collect::<Vec<_>>(),
                    )
            })
            .collect();
        a.signals.push(Signal {
            code: CELL_CODE.to_owned(),
            advisory: Advisory::Link,
            weight: self.policy().weight(CELL_CODE),
            confidence: flow,
            summary,
            evidence,
        });
        a.signals
            .sort_by(|x, y| (y.weight * y.confidence).total_cmp(&(x.weight * x.confidence)));
        let (score, band) = scoring::score(&a.signals, self.policy());
        a.score = score;
        a.band = band;
        a.actions = playbook::actions(&a.signals);
    }
}

//! LINK — identifiers shared with other subjects (the advisory's proxies and personas:
//! one operation behind several identities, or one identity lent to several workers).
//!
//! Fires when the subject shares a payout account, wallet, phone, e-mail, photo (or an
//! edited copy), device, second factor, résumé, street address or residential connection
//! with someone else, and the ties together are strong (at least the policy's
//! `strong_min_confidence`). An account held by the subject's own current employer (an
//! agency that pays its staff) is explained, not counted. Ties that are weak on their own
//! (a flatmate's address and home connection, a coworker's office connection, a résumé
//! template) explain a neighbour and raise nobody: they stay in the assessment's
//! `linked_subjects`, and risk flows through them only from a risky neighbour
//! (`links.cell`).

use std::collections::BTreeSet;

use redflag_model::{Advisory, Evidence, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::links::IdentifierType;
use crate::state::SubjectState;
use crate::support::names::current_employers;
use crate::ties::{TieContext, usable_links};

pub struct SharedIdentifiers;

impl Detector for SharedIdentifiers {
    fn code(&self) -> &'static str {
        "links.shared_identifiers"
    }
    fn advisory(&self) -> Advisory {
        Advisory::Link
    }
    fn describe(&self) -> &'static str {
        "shares payout accounts, wallets, phones, e-mails, photos, devices or addresses with other subjects"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let Some(index) = ctx.links else { return };
        // A shared device IP is the laptop-farm detector's evidence; counting it here too
        // would count it twice.
        let links: Vec<_> = usable_links(index.links_of(&s.id, &current_employers(s)), ctx.intel)
            .into_iter()
            .filter_map(|mut l| {
                // A referral is a relationship, not a shared identifier: it carries a
                // referrer's risk (`links.cell`) and says nothing by itself.
                l.via.retain(|i| {
                    !matches!(i.kind, IdentifierType::PublicIp | IdentifierType::Referral)
                });
                (!l.via.is_empty()).then_some(l)
            })
            .collect();
        if links.is_empty() {
            return;
        }
        let shared: BTreeSet<_> = links.iter().flat_map(|l| l.via.iter().cloned()).collect();
        let ties = TieContext::of(s).with_farms(&s.id, &links, index);
        let confidence = ties.strength_of(&shared);
        if confidence < ctx.policy.scoring.strong_min_confidence {
            return;
        }
        // Group the others by what they share, so five personas on one wallet read as
        // one sentence.
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for l in &links {
            let mut kinds: Vec<IdentifierType> = l.via.iter().map(|i| i.kind).collect();
            kinds.sort();
            kinds.dedup();
            let mut labels: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
            if l.via.iter().any(|i| ties.farm_connection(i)) {
                for label in labels
                    .iter_mut()
                    .filter(|x| **x == "home connection (sign-in IP)")
                {
                    *label =
                        "connection (sign-in IP) of people who say they live in different cities";
                }
            }
            if l.via.iter().any(|i| ties.delivered_elsewhere(i)) {
                // Laptops sent to an address that is not the person's home, where other
                // people's went too: the way laptop farms receive them.
                for label in labels.iter_mut().filter(|x| **x == "street address") {
                    *label = "delivery address (not their home)";
                }
            }
            let what = join_and(&labels);
            match groups.iter_mut().find(|(w, _)| *w == what) {
                Some((_, others)) => others.push(l.other.to_string()),
                None => groups.push((what, vec![l.other.to_string()])),
            }
        }
        let parts: Vec<String> = groups
            .iter()
            .map(|(what, others)| {
                let shown: Vec<&str> = others.iter().take(4).map(String::as_str).collect();
                let more = others.len().saturating_sub(shown.len());
                let names = if more > 0 {
                    format!("{} and {more} more", shown.join(", "))
                } else {
                    list_and(&shown)
                };
                format!("shares {what} with {names}")
            })
            .collect();
        let evidence = links
            .iter()
            .flat_map(|l| {
                l.via.iter().map(move |i| {
                    Evidence::new(Kind::Subject, Some(l.other.to_string()), None)
                        .with("shared", i.kind.as_str())
                        .with("value", i.value.to_string())
                })
            })
            .collect();
        ctx.emit(self, confidence, parts.join("; "), evidence, out);
    }
}

fn list_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("a {one}"),
        [init @ .., last] => format!("a {} and a {last}", init.join(", a ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assess(lines: &[&str], who: &str) -> Vec<Signal> {
        crate::support::testing::run_with_links(&SharedIdentifiers, lines, who)
    }

    #[test]
    fn personas_sharing_a_wallet_and_a_phone_are_linked() {
        let signals = assess(
            &[
                r#"{"kind":"subject","id":"a","phones":["+1 512 555 0147"]}"#,
                r#"{"kind":"subject","id":"b","phones":["+1 (512) 555-0147"]}"#,
                r#"{"kind":"payment_request","subject":"a","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"TQ1"}}}"#,
                r#"{"kind":"payout_account","subject":"b","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"TQ1"}}}"#,
            ],
            "a",
        );
        assert_eq!(signals.len(), 1);
        assert_eq!(
            signals[0].summary,
            "shares a crypto wallet and a phone number with b"
        );
        assert!(signals[0].confidence > 0.9);
    }

    #[test]
    fn flatmates_sharing_an_address_raise_nobody() {
        let signals = assess(
            &[
                r#"{"kind":"subject","id":"a","address":{"line1":"12 Queen St W","postal_code":"M5H 2N2","country":"CA"}}"#,
                r#"{"kind":"subject","id":"b","address":{"line1":"12 Queen St. W.","postal_code":"M5H2N2","country":"CA"}}"#,
            ],
            "a",
        );
        assert!(signals.is_empty(), "{signals:?}");
    }

    #[test]
    fn laptops_delivered_to_someone_elses_address_are_a_strong_link() {
        let shipment = |s: &str| {
            format!(
                r#"{{"kind":"shipment","subject":"{s}","at":"2026-03-02T10:00:00Z","item":"laptop","address":{{"line1":"88 Elm Ct","postal_code":"85004","country":"US"}}}}"#
            )
        };
        let lines = [
            r#"{"kind":"subject","id":"a","address":{"line1":"12 Queen St W","postal_code":"M5H 2N2","country":"CA"}}"#.to_owned(),
            shipment("a"),
            shipment("b"),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let signals = assess(&refs, "a");
        assert!(signals[0].confidence >= 0.7, "{}", signals[0].confidence);
        assert!(
            signals[0]
                .summary
                .contains("delivery address (not their home)"),
            "{}",
            signals[0].summary
        );
    }

    #[test]
    fn agency_staff_paid_to_their_employers_account_are_quiet() {
        let staff = |s: &str| {
            [
                format!(
                    r#"{{"kind":"subject","id":"{s}","work":[{{"employer":"Northwind Dev Studio","start":"2024-01"}}]}}"#
                ),
                format!(
                    r#"{{"kind":"payout_account","subject":"{s}","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{{"id":"acct-nw","holder":"Northwind Dev Studio Ltd"}}}}"#
                ),
            ]
        };
        let lines: Vec<String> = staff("a").into_iter().chain(staff("b")).collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(assess(&refs, "a").is_empty());
    }

    #[test]
    fn nobody_shares_anything_is_quiet() {
        assert!(
            assess(
                &[r#"{"kind":"subject","id":"a","phones":["+1 512 555 0147"]}"#],
                "a"
            )
            .is_empty()
        );
    }
}

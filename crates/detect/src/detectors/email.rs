//! CONCEAL — concealment of identity: e-mail addresses on the profile at disposable
//! mailbox services (`data/disposable-domains.txt`, redflag's own curated list with its
//! provenance in its header). A throwaway inbox is not how someone who wants to be paid
//! for months of work keeps in touch. Privacy relays (Apple's Hide My Email, DuckDuckGo,
//! Firefox Relay, SimpleLogin, addy.io) forward to a lasting mailbox, and Apple's is the
//! default for anyone who signs up with an iPhone: they count only when a relay is the
//! sole address given, and then weakly (the real mailbox is hidden from the employer).

use redflag_model::{Advisory, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};

pub struct DisposableEmail;

const DISPOSABLE_DOMAINS: &str = include_str!("../../data/disposable-domains.txt");

/// Forwarding services that hide the mailbox behind them (their own documentation names
/// these domains).
const RELAY_DOMAINS: &[&str] = &[
    "privaterelay.appleid.com",
    "duck.com",
    "mozmail.com",
    "relay.firefox.com",
    "simplelogin.com",
    "simplelogin.co",
    "slmail.me",
    "aleeas.com",
    "anonaddy.com",
    "anonaddy.me",
    "addy.io",
    "33mail.com",
];

fn is_relay(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    RELAY_DOMAINS.iter().any(|d| {
        domain == *d
            || domain
                .strip_suffix(d)
                .is_some_and(|rest| rest.ends_with('.'))
    })
}

/// The listed domain `domain` belongs to, if any (subdomains included).
fn disposable(domain: &str) -> Option<&'static str> {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    DISPOSABLE_DOMAINS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .find(|d| {
            domain == *d
                || domain
                    .strip_suffix(d)
                    .is_some_and(|rest| rest.ends_with('.'))
        })
}

impl Detector for DisposableEmail {
    fn code(&self) -> &'static str {
        "contact.email"
    }
    fn advisory(&self) -> Advisory {
        Advisory::Conceal
    }
    fn describe(&self) -> &'static str {
        "e-mail addresses at disposable mailbox services"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let mut addresses: Vec<&str> = Vec::new();
        let mut evidence = Vec::new();
        // Every version counts: a throwaway address used once and later replaced was
        // still used.
        for p in &s.profiles {
            for e in &p.record.emails {
                let Some(service) = disposable(e.domain()) else {
                    continue;
                };
                if !addresses.contains(&e.as_str()) {
                    addresses.push(e.as_str());
                }
                evidence.push(
                    evidence_of(Kind::Subject, p, p.record.observed_at)
                        .with("email", e.as_str())
                        .with("disposable_domain", service),
                );
            }
        }
        if !addresses.is_empty() {
            let summary = format!("{} at a disposable mailbox service", addresses.join(", "));
            ctx.emit(self, 0.6, summary, evidence, out);
            return;
        }
        let Some(latest) = s.latest_profile_keyed() else {
            return;
        };
        let emails = &latest.record.emails;
        if !emails.is_empty() && emails.iter().all(|e| is_relay(e.domain())) {
            let listed: Vec<&str> = emails.iter().map(|e| e.as_str()).collect();
            let evidence = vec![
                evidence_of(Kind::Subject, latest, latest.record.observed_at)
                    .with("emails", listed.clone()),
            ];
            let summary = format!(
                "the only e-mail given, {}, is a forwarding relay that hides the real mailbox",
                listed.join(", ")
            );
            ctx.emit(self, 0.25, summary, evidence, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    #[test]
    fn a_relay_as_the_only_address_is_weak() {
        let signals = run(
            &DisposableEmail,
            &[r#"{"kind":"subject","id":"c-1","emails":["x7k2@privaterelay.appleid.com"]}"#],
        );
        assert!(signals[0].summary.contains("forwarding relay"));
        assert_eq!(signals[0].confidence, 0.25);
    }

    #[test]
    fn a_throwaway_inbox_fires() {
        let signals = run(
            &DisposableEmail,
            &[
                r#"{"kind":"subject","id":"c-1","emails":["daniel.park.dev@gmail.com","dpark@mail.Mailinator.com"]}"#,
            ],
        );
        assert_eq!(
            signals[0].summary,
            "dpark@mail.mailinator.com at a disposable mailbox service"
        );
        assert_eq!(
            signals[0].evidence[0].details["disposable_domain"],
            "mailinator.com"
        );
    }

    #[test]
    fn ordinary_company_and_relay_addresses_are_quiet() {
        assert!(run(&DisposableEmail, &[
            r#"{"kind":"subject","id":"c-1","emails":["a@gmail.com","b@outlook.com","c@acme.io","d@privaterelay.appleid.com","e@duck.com","f@notmailinator.com"]}"#,
        ]).is_empty());
    }

    #[test]
    fn the_list_has_no_blank_or_duplicate_entries() {
        let mut domains: Vec<&str> = DISPOSABLE_DOMAINS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect();
        assert!(
            domains
                .iter()
                .all(|d| !d.trim().is_empty() && *d == d.to_ascii_lowercase())
        );
        let n = domains.len();
        domains.sort();
        domains.dedup();
        assert_eq!(domains.len(), n);
    }
}

//! Screening a subject against the sanctions lists: every name the records carry (each
//! profile version's name and other names, names on documents, payout account holders,
//! employers, schools and banks) and every wallet, e-mail and phone number. The engine
//! screens each subject once per assessment; the results feed both the SANCTIONS
//! detector (through [`crate::Context::sanctions`]) and the assessment's `sanctions`
//! list ([`assessment_hits`]).

use redflag_model::{
    CountryCode, Decision, Evidence, HitStatus, Kind, SanctionsDecision, SanctionsHit,
};
use redflag_watchlist::{Hit, ListId, NameKind, NameQuery, Screener};

use crate::state::SubjectState;

/// One thing screened that matched, the record it came from, and its hits, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Screened {
    /// How a summary names it: `name "Jin-hyok Pak"`, `tron wallet T…`.
    pub what: String,
    /// The record it was read from, with the screened value.
    pub evidence: Evidence,
    /// Never empty: only what matched is kept.
    pub hits: Vec<SanctionsHit>,
}

fn countries(codes: impl IntoIterator<Item = Option<CountryCode>>) -> Vec<String> {
    let mut out: Vec<String> = codes.into_iter().flatten().map(|c| c.to_string()).collect();
    out.sort();
    out.dedup();
    out
}

/// The version of `list` the screener holds: its publication date, else the start of
/// the hash of its source.
fn list_version(screener: &Screener, list: &ListId) -> Option<String> {
    let v = screener.versions().iter().find(|v| &v.list == list)?;
    Some(match &v.published {
        Some(date) => date.clone(),
        None => format!("sha256:{}", v.sha256.get(..12).unwrap_or(&v.sha256)),
    })
}

/// Where a hit stands once the analyst's decision on its (subject, entity) pair, if any,
/// is applied, and what to add to its `why`. A clearing holds while the list entry is
/// the one that was cleared; a confirmation holds whatever the entry becomes.
fn decided(
    hit: &Hit<'_>,
    decisions: &[SanctionsDecision],
    evidence: HitStatus,
) -> (HitStatus, String) {
    let Some(d) = decisions.iter().find(|d| d.entity_id == hit.entity.id) else {
        return (evidence, String::new());
    };
    let when = d.at.strftime("%Y-%m-%d");
    match d.decision {
        Decision::Confirmed => (
            HitStatus::Confirmed,
            format!("; confirmed by {} on {when}: {}", d.actor, d.reason),
        ),
        Decision::Cleared if d.entity_fingerprint == hit.entity.fingerprint() => (
            HitStatus::Cleared,
            format!("; cleared by {} on {when}: {}", d.actor, d.reason),
        ),
        Decision::Cleared => (
            evidence,
            format!(
                "; cleared by {} on {when}, but the list entry has changed since: decide again",
                d.actor
            ),
        ),
    }
}

/// Screens what there is to screen and collects the matches.
struct Screening<'a> {
    screener: &'a Screener,
    threshold: f64,
    /// The analysts' decisions on this subject's pairs.
    decisions: &'a [SanctionsDecision],
    /// Names already screened, with their kind: versions of a profile repeat them.
    names_seen: Vec<(String, NameKind)>,
    wallets_seen: Vec<String>,
    out: Vec<Screened>,
}

/// A name and what may corroborate it.
struct NameCheck<'q> {
    name: &'q str,
    kind: NameKind,
    date_of_birth: Option<String>,
    countries: Vec<String>,
    /// `name`, `other_name`, `document`, `account_holder`, `employer`, `school`, `bank`.
    field: &'static str,
    what: String,
}

impl Screening<'_> {
    fn keep(
        &mut self,
        field: &'static str,
        query: &str,
        what: String,
        evidence: Evidence,
        hits: Vec<Hit<'_>>,
    ) {
        if hits.is_empty() {
            return;
        }
        let hits = hits
            .into_iter()
            .map(|h| {
                // Something besides the name agrees, or the match is an exact identifier.
                let evidence = if h.corroborated {
                    HitStatus::Confirmed
                } else {
                    HitStatus::Review
                };
                let (status, decision) = decided(&h, self.decisions, evidence);
                SanctionsHit {
                    list: h.entity.list.to_string(),
                    list_version: list_version(self.screener, &h.entity.list),
                    entity_id: h.entity.id.clone(),
                    name: h.entity.primary_name.clone(),
                    matched_name: h.matched.clone(),
                    field: field.to_owned(),
                    query: query.to_owned(),
                    // Rounded where it is written: the detector's confidence reads it whole.
                    score: h.score,
                    status,
                    why: format!("{what}: {}{decision}", h.why),
                }
            })
            .collect();
        self.out.push(Screened {
            what,
            evidence,
            hits,
        });
    }

    fn name(&mut self, check: NameCheck<'_>, evidence: Evidence) {
        let seen = (check.name.trim().to_lowercase(), check.kind);
        if seen.0.is_empty() || self.names_seen.contains(&seen) {
            return;
        }
        self.names_seen.push(seen);
        let query = NameQuery {
            name: check.name,
            date_of_birth: check.date_of_birth.as_deref(),
            countries: check.countries,
            kind: check.kind,
        };
        let hits = self.screener.screen_name(&query, self.threshold);
        self.keep(check.field, check.name, check.what, evidence, hits);
    }
}

/// Screens everything screenable about the subject; only what matched is returned, in
/// the order screened (profiles, documents, accounts). `decisions` are the analysts'
/// decisions on this subject's hits (`redflag screen clear|confirm`).
pub fn screen(
    s: &SubjectState,
    screener: &Screener,
    threshold: f64,
    decisions: &[SanctionsDecision],
) -> Vec<Screened> {
    let mut run = Screening {
        screener,
        threshold,
        decisions,
        names_seen: Vec::new(),
        wallets_seen: Vec::new(),
        out: Vec::new(),
    };
    for p in &s.profiles {
        let r = &p.record;
        let dob = r.date_of_birth.map(|d| d.to_string());
        let ctry = countries([r.nationality, r.location.as_ref().and_then(|l| l.country)]);
        let ev = || Evidence::new(Kind::Subject, Some(p.key.clone()), r.observed_at);
        let names = r.name.iter().map(|n| (n, "name"));
        let others = r.other_names.iter().map(|n| (n, "other_name"));
        for (name, field) in names.chain(others) {
            let check = NameCheck {
                name,
                kind: NameKind::Person,
                date_of_birth: dob.clone(),
                countries: ctry.clone(),
                field,
                what: format!("name \"{name}\""),
            };
            run.name(check, ev().with("name", name.clone()));
        }
        for w in &r.work {
            if let Some(employer) = &w.employer {
                let check = NameCheck {
                    name: employer,
                    kind: NameKind::Organization,
                    date_of_birth: None,
                    countries: countries([w.country]),
                    field: "employer",
                    what: format!("employer \"{employer}\""),
                };
                run.name(check, ev().with("employer", employer.clone()));
            }
        }
        for e in &r.education {
            if let Some(school) = &e.institution {
                let check = NameCheck {
                    name: school,
                    kind: NameKind::Organization,
                    date_of_birth: None,
                    countries: countries([e.country]),
                    field: "school",
                    what: format!("school \"{school}\""),
                };
                run.name(check, ev().with("school", school.clone()));
            }
        }
        for email in &r.emails {
            let hits = screener.screen_email(email.as_str());
            run.keep(
                "email",
                email.as_str(),
                format!("e-mail {email}"),
                ev().with("email", email.to_string()),
                hits,
            );
        }
        for phone in &r.phones {
            let hits = screener.screen_phone(phone.as_str());
            run.keep(
                "phone",
                phone.as_str(),
                format!("phone {phone}"),
                ev().with("phone", phone.to_string()),
                hits,
            );
        }
    }
    for d in &s.documents {
        if let Some(name) = &d.record.name_on_document {
            let evidence = Evidence::new(
                Kind::Document,
                Some(d.key.clone()),
                Some(d.record.requested_at),
            )
            .with("name_on_document", name.clone());
            let check = NameCheck {
                name,
                kind: NameKind::Person,
                date_of_birth: d.record.date_of_birth.map(|x| x.to_string()),
                countries: countries([d.record.issuing_country]),
                field: "document",
                what: format!("name on the {} \"{name}\"", d.record.doc_type.label()),
            };
            run.name(check, evidence);
        }
    }
    let accounts = s
        .payout_accounts
        .iter()
        .map(|a| {
            (
                Kind::PayoutAccount,
                a.key.as_str(),
                a.record.at,
                a.record.account.as_ref(),
            )
        })
        .chain(s.payment_requests.iter().map(|r| {
            (
                Kind::PaymentRequest,
                r.key.as_str(),
                r.record.at,
                r.record.account.as_ref(),
            )
        }))
        .chain(s.payments.crypto.iter().map(|p| {
            (
                Kind::Payment,
                p.key.as_str(),
                p.record.at,
                p.record.account.as_ref(),
            )
        }));
    for (kind, key, at, account) in accounts {
        let Some(acc) = account else { continue };
        let ev = || Evidence::new(kind, Some(key.to_owned()), Some(at));
        if let Some(holder) = &acc.holder {
            let check = NameCheck {
                name: holder,
                kind: NameKind::Unknown,
                date_of_birth: None,
                countries: countries([acc.country]),
                field: "account_holder",
                what: format!("account holder \"{holder}\""),
            };
            run.name(check, ev().with("holder", holder.clone()));
        }
        if let Some(bank) = &acc.institution {
            let check = NameCheck {
                name: bank,
                kind: NameKind::Organization,
                date_of_birth: None,
                countries: countries([acc.country]),
                field: "bank",
                what: format!("bank \"{bank}\""),
            };
            run.name(check, ev().with("institution", bank.clone()));
        }
        if let Some(w) = &acc.wallet {
            let tag = format!("{}:{}", w.chain, w.address);
            if run.wallets_seen.contains(&tag) {
                continue;
            }
            run.wallets_seen.push(tag);
            let hits = screener.screen_wallet(Some(&w.chain), &w.address);
            run.keep(
                "wallet",
                &w.address,
                format!("{} wallet {}", w.chain, w.address),
                ev().with("wallet", w.address.clone()),
                hits,
            );
        }
    }
    run.out
}

/// The sanctions hits for an assessment's `sanctions` list: best first, confirmed before
/// review at equal scores, one per listed entity and matched name.
pub fn assessment_hits(screened: &[Screened]) -> Vec<SanctionsHit> {
    let mut hits: Vec<SanctionsHit> = screened
        .iter()
        .flat_map(|sc| sc.hits.iter().cloned())
        .collect();
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.status.cmp(&b.status))
            .then_with(|| a.entity_id.cmp(&b.entity_id))
    });
    hits.dedup_by(|a, b| a.entity_id == b.entity_id && a.matched_name == b.matched_name);
    hits
}

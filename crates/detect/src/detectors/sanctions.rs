//! SANCTIONS — dealing with a listed person is an offence (UN Act, SEMA; OFAC for US
//! nexus). Screens every name the records carry — each profile version's name and other
//! names, names on documents, payout account holders, employers, schools and banks —
//! and every wallet, e-mail and phone number, against all loaded lists. Names match
//! through transliteration and romanisation variants; a common name alone stays below
//! the threshold without supporting evidence (date of birth, nationality).

use redflag_model::{Advisory, CountryCode, Evidence, Kind, SanctionsHit, Signal};
use redflag_watchlist::{Hit, NameKind, NameQuery, Screener};

use crate::detector::{Context, DataSet, Detector};
use crate::state::SubjectState;

pub struct SanctionsMatch;

/// Confidence of a hit on the name alone (nothing else agrees): enough to be reviewed,
/// never enough to force `critical`.
const UNCORROBORATED: f64 = 0.25;

/// One thing screened, and the record it came from.
struct Screened<'a> {
    what: String,
    evidence: Evidence,
    hits: Vec<Hit<'a>>,
}

fn countries(codes: impl IntoIterator<Item = Option<CountryCode>>) -> Vec<String> {
    let mut out: Vec<String> = codes.into_iter().flatten().map(|c| c.to_string()).collect();
    out.sort();
    out.dedup();
    out
}

/// Screens everything screenable about the subject; only results with hits are kept.
fn screen_all<'a>(s: &SubjectState, screener: &'a Screener, threshold: f64) -> Vec<Screened<'a>> {
    let mut out: Vec<Screened<'a>> = Vec::new();
    let mut seen: Vec<(String, NameKind)> = Vec::new();
    let mut by_name = |out: &mut Vec<Screened<'a>>,
                       name: &str,
                       kind: NameKind,
                       dob: Option<String>,
                       ctry: Vec<String>,
                       what: String,
                       evidence: Evidence| {
        let key = (name.trim().to_lowercase(), kind);
        if key.0.is_empty() || seen.contains(&key) {
            return;
        }
        seen.push(key);
        let query = NameQuery {
            name,
            date_of_birth: dob.as_deref(),
            countries: ctry,
            kind,
        };
        let hits = screener.screen_name(&query, threshold);
        if !hits.is_empty() {
            out.push(Screened {
                what,
                evidence,
                hits,
            });
        }
    };
    for p in &s.profiles {
        let r = &p.record;
        let dob = r.date_of_birth.map(|d| d.to_string());
        let ctry = countries([r.nationality, r.location.as_ref().and_then(|l| l.country)]);
        let ev = || Evidence::new(Kind::Subject, Some(p.key.clone()), r.observed_at);
        for name in r.name.iter().chain(&r.other_names) {
            by_name(
                &mut out,
                name,
                NameKind::Person,
                dob.clone(),
                ctry.clone(),
                format!("name \"{name}\""),
                ev().with("name", name.clone()),
            );
        }
        for w in &r.work {
            if let Some(employer) = &w.employer {
                by_name(
                    &mut out,
                    employer,
                    NameKind::Organization,
                    None,
                    countries([w.country]),
                    format!("employer \"{employer}\""),
                    ev().with("employer", employer.clone()),
                );
            }
        }
        for e in &r.education {
            if let Some(school) = &e.institution {
                by_name(
                    &mut out,
                    school,
                    NameKind::Organization,
                    None,
                    countries([e.country]),
                    format!("school \"{school}\""),
                    ev().with("school", school.clone()),
                );
            }
        }
        for email in &r.emails {
            let hits = screener.screen_email(email.as_str());
            if !hits.is_empty() {
                out.push(Screened {
                    what: format!("e-mail {email}"),
                    evidence: ev().with("email", email.to_string()),
                    hits,
                });
            }
        }
        for phone in &r.phones {
            let hits = screener.screen_phone(phone.as_str());
            if !hits.is_empty() {
                out.push(Screened {
                    what: format!("phone {phone}"),
                    evidence: ev().with("phone", phone.to_string()),
                    hits,
                });
            }
        }
    }
    for d in &s.documents {
        if let Some(name) = &d.record.name_on_document {
            let ev = Evidence::new(
                Kind::Document,
                Some(d.key.clone()),
                Some(d.record.requested_at),
            )
            .with("name_on_document", name.clone());
            by_name(
                &mut out,
                name,
                NameKind::Person,
                d.record.date_of_birth.map(|x| x.to_string()),
                countries([d.record.issuing_country]),
                format!("name on the {} \"{name}\"", d.record.doc_type.label()),
                ev,
            );
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
    let mut wallets_seen: Vec<String> = Vec::new();
    for (kind, key, at, account) in accounts {
        let Some(acc) = account else { continue };
        let ev = || Evidence::new(kind, Some(key.to_owned()), Some(at));
        if let Some(holder) = &acc.holder {
            by_name(
                &mut out,
                holder,
                NameKind::Unknown,
                None,
                countries([acc.country]),
                format!("account holder \"{holder}\""),
                ev().with("holder", holder.clone()),
            );
        }
        if let Some(bank) = &acc.institution {
            by_name(
                &mut out,
                bank,
                NameKind::Organization,
                None,
                countries([acc.country]),
                format!("bank \"{bank}\""),
                ev().with("institution", bank.clone()),
            );
        }
        if let Some(w) = &acc.wallet {
            let tag = format!("{}:{}", w.chain, w.address);
            if wallets_seen.contains(&tag) {
                continue;
            }
            wallets_seen.push(tag);
            let hits = screener.screen_wallet(Some(&w.chain), &w.address);
            if !hits.is_empty() {
                out.push(Screened {
                    what: format!("{} wallet {}", w.chain, w.address),
                    evidence: ev().with("wallet", w.address.clone()),
                    hits,
                });
            }
        }
    }
    out
}

/// The sanctions hits for an assessment's `sanctions` list, best first.
pub fn sanctions_hits(s: &SubjectState, screener: &Screener, threshold: f64) -> Vec<SanctionsHit> {
    let mut hits: Vec<SanctionsHit> = screen_all(s, screener, threshold)
        .into_iter()
        .flat_map(|sc| {
            let what = sc.what;
            sc.hits.into_iter().map(move |h| SanctionsHit {
                list: h.entity.list.to_string(),
                entity_id: h.entity.id.clone(),
                name: h.entity.primary_name.clone(),
                matched_name: h.matched.clone(),
                score: (h.score * 1000.0).round() / 1000.0,
                why: format!("{what}: {}", h.why),
            })
        })
        .collect();
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.entity_id.cmp(&b.entity_id))
    });
    hits.dedup_by(|a, b| a.entity_id == b.entity_id && a.matched_name == b.matched_name);
    hits
}

impl Detector for SanctionsMatch {
    fn code(&self) -> &'static str {
        "sanctions.match"
    }
    fn advisory(&self) -> Advisory {
        Advisory::Sanctions
    }
    fn describe(&self) -> &'static str {
        "a name, wallet, e-mail or phone number on a sanctions list"
    }
    fn requires(&self) -> &'static [DataSet] {
        &[DataSet::SanctionsLists]
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let Some(screener) = ctx.screener else { return };
        let screened = screen_all(s, screener, ctx.policy.thresholds.sanctions_threshold);
        // A corroborated hit counts at its score (decisive at 0.9 and above); a name alone
        // is a candidate for review and counts for little, so a namesake is not condemned.
        let Some(best) = screened
            .iter()
            .flat_map(|sc| sc.hits.iter())
            .map(|h| {
                if h.corroborated {
                    h.score
                } else {
                    h.score.min(UNCORROBORATED)
                }
            })
            .reduce(f64::max)
        else {
            return;
        };
        let parts: Vec<String> = screened
            .iter()
            .take(4)
            .map(|sc| {
                let h = &sc.hits[0];
                let caveat = if h.corroborated {
                    ""
                } else {
                    "; name only, confirm with date of birth or country"
                };
                format!(
                    "{} matches {} ({} {}, score {:.2}{caveat})",
                    sc.what, h.entity.primary_name, h.entity.list, h.entity.id, h.score
                )
            })
            .collect();
        let evidence = screened
            .iter()
            .map(|sc| {
                let h = &sc.hits[0];
                sc.evidence
                    .clone()
                    .with("list", h.entity.list.to_string())
                    .with("entity_id", h.entity.id.clone())
                    .with("listed_name", h.entity.primary_name.clone())
                    .with("score", (h.score * 1000.0).round() / 1000.0)
            })
            .collect();
        out.push(ctx.signal(
            self.code(),
            self.advisory(),
            best,
            parts.join("; "),
            evidence,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use redflag_model::parse_record;
    use redflag_watchlist::{
        Alias, AliasQuality, AliasType, Entity, EntityKind, ListId, LoadedLists, WalletRef,
    };

    fn screener() -> Screener {
        let person = Entity {
            list: ListId::OfacSdn,
            id: "OFAC-24918".into(),
            kind: EntityKind::Person,
            primary_name: "PARK, Jin Hyok".into(),
            aliases: vec![Alias {
                name: "PAK, Jin Hyok".into(),
                quality: AliasQuality::Strong,
                alias_type: AliasType::Aka,
            }],
            dates_of_birth: vec!["1984-08-15".into()],
            nationalities: vec!["KP".into()],
            countries: vec![],
            programs: vec!["DPRK3".into()],
            wallets: vec![],
            emails: vec![],
            phones: vec![],
            websites: vec![],
            remarks: None,
        };
        let mut group = person.clone();
        group.id = "OFAC-27307".into();
        group.kind = EntityKind::Organization;
        group.primary_name = "LAZARUS GROUP".into();
        group.aliases.clear();
        group.dates_of_birth.clear();
        group.wallets.push(WalletRef {
            chain: "tron".into(),
            address: "TNMcQVGPhqCiKmQN7Ltxy9M2Wu1bXK2T8G".into(),
            raw: "TNMcQVGPhqCiKmQN7Ltxy9M2Wu1bXK2T8G".into(),
            currency: Some("USDT".into()),
            valid: None,
        });
        Screener::new(LoadedLists {
            entities: vec![person, group],
            versions: vec![],
        })
    }

    fn run(lines: &[&str]) -> (Vec<Signal>, Vec<SanctionsHit>) {
        let mut state = SubjectState::new("c-1".parse().unwrap());
        for l in lines {
            let p = parse_record(l).unwrap();
            state.apply(p.key, p.record);
        }
        let screener = screener();
        let policy = Policy::default();
        let ctx = Context {
            policy: &policy,
            as_of: "2026-04-01T00:00:00Z".parse().unwrap(),
            links: None,
            intel: None,
            points: None,
            screener: Some(&screener),
            population: None,
        };
        let mut out = Vec::new();
        SanctionsMatch.detect(&state, &ctx, &mut out);
        let hits = sanctions_hits(&state, &screener, policy.thresholds.sanctions_threshold);
        (out, hits)
    }

    #[test]
    fn a_listed_hacker_under_another_romanisation_is_decisive() {
        let (signals, hits) = run(&[
            r#"{"kind":"subject","id":"c-1","name":"Jin-hyok Pak","date_of_birth":"1984-08-15"}"#,
        ]);
        assert_eq!(signals.len(), 1);
        assert!(signals[0].confidence >= 0.9, "{}", signals[0].confidence);
        // Without the date of birth the same name is a candidate to review, not a finding.
        let (signals, hits_alone) =
            run(&[r#"{"kind":"subject","id":"c-1","name":"Jin-hyok Pak"}"#]);
        assert!(signals[0].confidence < 0.3 && !hits_alone.is_empty());
        assert!(
            signals[0].summary.contains("OFAC-24918"),
            "{}",
            signals[0].summary
        );
        assert_eq!(hits[0].entity_id, "OFAC-24918");
    }

    #[test]
    fn a_listed_wallet_in_a_payment_request_is_a_hit() {
        let (signals, hits) = run(&[
            r#"{"kind":"payment_request","subject":"c-1","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"TNMcQVGPhqCiKmQN7Ltxy9M2Wu1bXK2T8G"}}}"#,
        ]);
        assert_eq!(signals[0].confidence, 1.0);
        assert_eq!(hits[0].entity_id, "OFAC-27307");
    }

    #[test]
    fn a_seoul_developer_with_a_common_korean_name_is_not_a_hit() {
        let (signals, hits) = run(&[
            r#"{"kind":"subject","id":"c-1","name":"Park Jin-ho","date_of_birth":"1996-03-02","nationality":"KR","location":{"country":"KR","city":"Seoul"}}"#,
            r#"{"kind":"subject","id":"c-1","name":"Jason Park","other_names":["Park Ji-hoon"],"nationality":"CA"}"#,
        ]);
        assert!(signals.is_empty() && hits.is_empty(), "{hits:?}");
    }
}

//! SANCTIONS — dealing with a listed person is an offence (UN Act, SEMA; OFAC for US
//! nexus). Every name the records carry — each profile version's name and other names,
//! names on documents, payout account holders, employers, schools and banks — and every
//! wallet, e-mail and phone number is screened against all loaded lists (by
//! [`crate::screening`], once per assessment); this detector turns the matches into a
//! signal. Names match through transliteration and romanisation variants; a common name
//! alone stays below the threshold without supporting evidence (date of birth,
//! nationality), and a match on the name alone is for review, never decisive.

use redflag_model::{Advisory, HitStatus, Signal, round3};

use crate::detector::{Context, DataSet, Detector};
use crate::state::SubjectState;

pub struct SanctionsMatch;

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

    fn detect(&self, _: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let screened = ctx.sanctions;
        // At most the policy's review confidence: enough to be looked at, never enough to
        // force `critical` (the policy refuses a value at or above the decisive one).
        let review = ctx.policy.thresholds.sanctions_review_confidence;
        // A confirmed hit counts at its score (decisive at 0.9 and above); a name alone is
        // a candidate for review and counts for little, so a namesake is not condemned;
        // one an analyst cleared counts for nothing.
        let Some(best) = screened
            .iter()
            .flat_map(|sc| sc.hits.iter())
            .filter_map(|h| match h.status {
                HitStatus::Confirmed => Some(h.score),
                HitStatus::Review => Some(h.score.min(review)),
                HitStatus::Cleared => None,
            })
            .reduce(f64::max)
        else {
            return;
        };
        // Per thing screened, the hit that speaks for it: a confirmed one before any under
        // review, and none an analyst cleared.
        let leading: Vec<_> = screened
            .iter()
            .filter_map(|sc| {
                let live = || sc.hits.iter().filter(|h| h.status != HitStatus::Cleared);
                let h = live()
                    .find(|h| h.status == HitStatus::Confirmed)
                    .or_else(|| live().next())?;
                Some((sc, h))
            })
            .collect();
        let parts: Vec<String> = leading
            .iter()
            .take(4)
            .map(|(sc, h)| {
                let caveat = if h.status == HitStatus::Confirmed {
                    ""
                } else {
                    "; name only: for review, compare the date of birth, nationality and identifiers"
                };
                format!(
                    "{} matches {} ({} {}, score {:.2}{caveat})",
                    sc.what, h.name, h.list, h.entity_id, h.score
                )
            })
            .collect();
        // The playbook reads `status` to tell a finding (stop) from a review.
        let evidence = leading
            .iter()
            .map(|(sc, h)| {
                sc.evidence
                    .clone()
                    .with("list", h.list.clone())
                    .with("list_version", h.list_version.clone())
                    .with("entity_id", h.entity_id.clone())
                    .with("listed_name", h.name.clone())
                    .with("score", round3(h.score))
                    .with("status", h.status.as_str())
            })
            .collect();
        ctx.emit(self, best, parts.join("; "), evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use crate::screening::{assessment_hits, screen};
    use redflag_model::{Decision, SanctionsDecision, SanctionsHit, parse_record};
    use redflag_watchlist::{
        Alias, AliasQuality, AliasType, Entity, EntityKind, ListId, ListVersion, LoadedLists,
        Screener, WalletRef,
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
            identifiers: vec![],
            reference: None,
        };
        let mut group = person.clone();
        group.id = "OFAC-27307".into();
        group.list = ListId::Un;
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
        let version = |list: ListId, published: Option<&str>| ListVersion {
            list,
            published: published.map(str::to_owned),
            source: "test".into(),
            sha256: "0123456789abcdef0123".into(),
            entity_count: 1,
            loaded_at: "2026-04-01T00:00:00Z".into(),
        };
        Screener::new(LoadedLists {
            entities: vec![person, group],
            versions: vec![
                version(ListId::OfacSdn, Some("2026-03-28")),
                version(ListId::Un, None),
            ],
        })
    }

    fn run(lines: &[&str]) -> (Vec<Signal>, Vec<SanctionsHit>) {
        run_decided(lines, &screener(), &[])
    }

    fn run_decided(
        lines: &[&str],
        screener: &Screener,
        decisions: &[SanctionsDecision],
    ) -> (Vec<Signal>, Vec<SanctionsHit>) {
        let mut state = SubjectState::new("c-1".parse().unwrap());
        for l in lines {
            let p = parse_record(l).unwrap();
            state.apply(p.key, p.record);
        }
        let policy = Policy::default();
        let screened = screen(
            &state,
            screener,
            policy.thresholds.sanctions_threshold,
            decisions,
        );
        let ctx = Context {
            sanctions: &screened,
            ..Context::new(&policy, "2026-04-01T00:00:00Z".parse().unwrap())
        };
        let mut out = Vec::new();
        SanctionsMatch.detect(&state, &ctx, &mut out);
        (out, assessment_hits(&screened))
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
        assert_eq!(hits[0].field, "name");
        assert_eq!(hits[0].query, "Jin-hyok Pak");
        assert_eq!(hits[0].status, HitStatus::Confirmed);
        assert_eq!(hits[0].list_version.as_deref(), Some("2026-03-28"));
        assert_eq!(hits_alone[0].status, HitStatus::Review);
    }

    #[test]
    fn an_alias_on_a_document_is_screened_as_a_document_name() {
        let (_, hits) = run(&[
            r#"{"kind":"subject","id":"c-1","name":"Kevin Brooks","other_names":["Jin Hyok Park"]}"#,
            r#"{"kind":"document","subject":"c-1","doc_type":"passport","requested_at":"2026-02-01T10:00:00Z","name_on_document":"Pak Jin-hyok","date_of_birth":"1984-08-15"}"#,
        ]);
        let fields: Vec<(&str, &str, HitStatus)> = hits
            .iter()
            .map(|h| (h.field.as_str(), h.query.as_str(), h.status))
            .collect();
        // The document gives the date of birth; the profile's other name stands alone.
        assert_eq!(
            fields,
            vec![
                ("document", "Pak Jin-hyok", HitStatus::Confirmed),
                ("other_name", "Jin Hyok Park", HitStatus::Review),
            ]
        );
    }

    #[test]
    fn a_listed_wallet_in_a_payment_request_is_a_hit() {
        let (signals, hits) = run(&[
            r#"{"kind":"payment_request","subject":"c-1","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"TNMcQVGPhqCiKmQN7Ltxy9M2Wu1bXK2T8G"}}}"#,
        ]);
        assert_eq!(signals[0].confidence, 1.0);
        assert_eq!(hits[0].entity_id, "OFAC-27307");
        assert_eq!(hits[0].field, "wallet");
        assert_eq!(hits[0].query, "TNMcQVGPhqCiKmQN7Ltxy9M2Wu1bXK2T8G");
        assert_eq!(hits[0].status, HitStatus::Confirmed);
        // That list states no publication date: the start of its hash names the version.
        assert_eq!(hits[0].list_version.as_deref(), Some("sha256:0123456789ab"));
    }

    #[test]
    fn a_seoul_developer_with_a_common_korean_name_is_not_a_hit() {
        let (signals, hits) = run(&[
            r#"{"kind":"subject","id":"c-1","name":"Park Jin-ho","date_of_birth":"1996-03-02","nationality":"KR","location":{"country":"KR","city":"Seoul"}}"#,
            r#"{"kind":"subject","id":"c-1","name":"Jason Park","other_names":["Park Ji-hoon"],"nationality":"CA"}"#,
        ]);
        assert!(signals.is_empty() && hits.is_empty(), "{hits:?}");
    }

    #[test]
    fn a_cleared_pair_stays_cleared_until_its_list_entry_changes() {
        let profile = [r#"{"kind":"subject","id":"c-1","name":"Jin-hyok Pak"}"#];
        let lists = screener();
        let (_, hits) = run(&profile);
        let listed = lists
            .screen_name(
                &redflag_watchlist::NameQuery {
                    name: "PARK, Jin Hyok",
                    ..Default::default()
                },
                0.9,
            )
            .first()
            .map(|h| h.entity.fingerprint())
            .unwrap();
        let decision = |what: Decision, fingerprint: &str| SanctionsDecision {
            subject: "c-1".parse().unwrap(),
            entity_id: hits[0].entity_id.clone(),
            decision: what,
            reason: "passport checked: born 1991 in Busan".into(),
            actor: "cli:alice".into(),
            at: "2026-04-02T09:00:00Z".parse().unwrap(),
            entity_fingerprint: fingerprint.into(),
            list_version: Some("2026-03-28".into()),
        };
        // Cleared: listed with status cleared and why, and no signal at all.
        let (signals, hits) =
            run_decided(&profile, &lists, &[decision(Decision::Cleared, &listed)]);
        assert!(signals.is_empty(), "{signals:?}");
        assert_eq!(hits[0].status, HitStatus::Cleared);
        assert!(
            hits[0]
                .why
                .contains("cleared by cli:alice on 2026-04-02: passport checked"),
            "{}",
            hits[0].why
        );
        // The list entry changed since (another fingerprint): back to review.
        let (signals, hits) = run_decided(
            &profile,
            &lists,
            &[decision(Decision::Cleared, "old-entry")],
        );
        assert_eq!(hits[0].status, HitStatus::Review);
        assert!(hits[0].why.contains("list entry has changed since"));
        assert!(signals[0].confidence < 0.9);
        // Confirmed by an analyst: decisive although only the name agrees.
        let (signals, hits) =
            run_decided(&profile, &lists, &[decision(Decision::Confirmed, "any")]);
        assert_eq!(hits[0].status, HitStatus::Confirmed);
        assert!(signals[0].confidence >= 0.9, "{}", signals[0].confidence);
    }

    #[test]
    fn an_employer_on_a_list_is_confirmed_by_the_country_of_the_job() {
        let employer = |country: &str| {
            format!(
                r#"{{"kind":"subject","id":"c-1","name":"Kevin Brooks","work":[{{"employer":"Lazarus Group","title":"Developer","start":"2019-01","country":"{country}"}}]}}"#
            )
        };
        let (_, hits) = run(&[&employer("KP")]);
        assert_eq!(
            (hits[0].field.as_str(), hits[0].status),
            ("employer", HitStatus::Confirmed)
        );
        // Same name, another country: a namesake to review, not a finding.
        let (signals, hits) = run(&[&employer("US")]);
        assert_eq!(hits[0].status, HitStatus::Review);
        assert!(signals[0].confidence < 0.9);
    }
}

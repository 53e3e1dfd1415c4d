//! M1 — the advisory's first mitigation: "do not pay in cryptocurrency, or make transfers
//! to many accounts of one person"; verify that payout accounts belong to the person.
//!
//! Looks at the subject's payout accounts for three things, reported as one signal:
//! - churn: more than `m1_max_accounts` distinct destinations (account number, wallet,
//!   e-mail or id) first seen within `m1_window_days` of each other, anywhere in the
//!   history; the worst such window is reported with its dates;
//! - a holder who is someone else: the holder's name scores below `m1_holder_min_score`
//!   against every name the subject has given. An agency paying its staff is explained,
//!   not flagged: a holder equal to a current employer is skipped;
//! - a bank in a third country: neither where the subject says they live nor their
//!   nationality. An account at home while working abroad is ordinary, so nationality
//!   explains a country; it is never itself a reason. Payment platforms are left out of
//!   this check because their accounts carry the platform's own domicile.

use std::collections::BTreeMap;

use redflag_model::{
    Account, Advisory, Evidence, Kind, PayoutAccount, PayoutMethod, Signal, Timestamp,
};
use redflag_names::{NameKind, compare};

use crate::detector::{Context, Detector};
use crate::links::normalise_name;
use crate::population::PLATFORMS;
use crate::state::{Keyed, SubjectState, evidence_of};
use crate::support::names::{current_employers, names_given};
use crate::support::plural;
use crate::support::time::{Window, day_of, days_between};

pub struct AccountChurn;

/// What the money goes to, as one comparable string: the most specific identifier the
/// record carries (a wallet or number outlives a platform's account id).
fn destination(acc: &Account) -> Option<String> {
    if let Some(w) = &acc.wallet {
        let key = redflag_watchlist::normalise_wallet(Some(&w.chain), &w.address);
        return Some(format!("wallet:{}:{}", key.chain, key.key));
    }
    if let Some(number) = acc.number.as_deref() {
        let compact: String = number
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '*')
            .collect::<String>()
            .to_uppercase();
        if !compact.is_empty() {
            return Some(format!("number:{compact}"));
        }
    }
    if let Some(email) = acc.email.as_deref() {
        return Some(format!("email:{}", email.trim().to_lowercase()));
    }
    acc.id.as_ref().map(|id| format!("id:{id}"))
}

fn describe_account(a: &Keyed<PayoutAccount>) -> Evidence {
    let acc = a.record.account.as_ref();
    evidence_of(Kind::PayoutAccount, a, Some(a.record.at))
        .with("method", a.record.method.as_str())
        .with("account", acc.and_then(|x| x.id.clone()))
        .with("holder", acc.and_then(|x| x.holder.clone()))
        .with("institution", acc.and_then(|x| x.institution.clone()))
        .with(
            "country",
            acc.and_then(|x| x.country).map(|c| c.to_string()),
        )
}

/// Accounts first seen within the window, when there are too many of them: the largest
/// such group in the whole history up to `as_of` (the earliest of equals), oldest first.
fn churn(
    s: &SubjectState,
    as_of: Timestamp,
    window_days: u32,
    max_accounts: usize,
) -> Vec<&Keyed<PayoutAccount>> {
    // A destination changed or re-sent is still one account: keep when it first appeared.
    let mut first_seen: BTreeMap<String, &Keyed<PayoutAccount>> = BTreeMap::new();
    for a in s.payout_accounts.iter().filter(|a| a.record.at <= as_of) {
        let Some(dest) = a.record.account.as_ref().and_then(destination) else {
            continue;
        };
        let slot = first_seen.entry(dest).or_insert(a);
        if (a.record.at, &a.key) < (slot.record.at, &slot.key) {
            *slot = a;
        }
    }
    let mut added: Vec<&Keyed<PayoutAccount>> = first_seen.into_values().collect();
    added.sort_by(|a, b| (a.record.at, &a.key).cmp(&(b.record.at, &b.key)));
    let mut best: &[&Keyed<PayoutAccount>] = &[];
    let mut start = 0;
    for end in 0..added.len() {
        while days_between(added[start].record.at, added[end].record.at) >= i64::from(window_days) {
            start += 1;
        }
        if end + 1 - start > best.len() {
            best = &added[start..=end];
        }
    }
    if best.len() > max_accounts {
        best.to_vec()
    } else {
        Vec::new()
    }
}

impl Detector for AccountChurn {
    fn code(&self) -> &'static str {
        "payments.account_churn"
    }
    fn advisory(&self) -> Advisory {
        Advisory::M1
    }
    fn describe(&self) -> &'static str {
        "many payout accounts in a short time, accounts held by someone else, or banks in a third country"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let t = &ctx.policy.thresholds;
        let mut findings: Vec<String> = Vec::new();
        let mut confidences: Vec<f64> = Vec::new();
        let mut evidence: Vec<Evidence> = Vec::new();

        let churned = churn(s, ctx.as_of, t.m1_window_days, t.m1_max_accounts);
        if let (Some(first), Some(last)) = (churned.first(), churned.last()) {
            let days = days_between(first.record.at, last.record.at);
            let window = Window {
                start: first.record.at,
                end: last.record.at,
            };
            findings.push(format!(
                "added {} in {} ({} to {})",
                plural(churned.len(), "payout account", "payout accounts"),
                plural(usize::try_from(days).unwrap_or(0).max(1), "day", "days"),
                day_of(first.record.at),
                day_of(last.record.at)
            ));
            confidences.push(0.7);
            evidence.extend(churned.iter().map(|a| window.mark(describe_account(a))));
        }

        // Every name the person has given counts: a holder matching any of them is them.
        let mut names = names_given(s);
        names.retain(|n| !n.trim().is_empty());
        let employers = current_employers(s);
        let mut holders_seen: Vec<String> = Vec::new();
        if !names.is_empty() {
            for a in &s.payout_accounts {
                let Some(holder) = a.record.account.as_ref().and_then(|x| x.holder.as_deref())
                else {
                    continue;
                };
                let normalised = normalise_name(holder);
                if normalised.is_empty()
                    || employers.contains(&normalised)
                    || holders_seen.contains(&normalised)
                {
                    continue;
                }
                let best = names
                    .iter()
                    .map(|n| compare(holder, n, NameKind::Unknown).score)
                    .fold(0.0, f64::max);
                if best < t.m1_holder_min_score {
                    holders_seen.push(normalised);
                    findings.push(format!("a payout account is in the name of {holder}"));
                    confidences.push(0.75);
                    evidence.push(describe_account(a).with("name_score", best));
                }
            }
        }

        let profile = s.latest_profile();
        let claimed = profile
            .and_then(|p| p.location.as_ref())
            .and_then(|l| l.country);
        let nationality = profile.and_then(|p| p.nationality);
        if let Some(claimed) = claimed {
            let mut countries_seen = Vec::new();
            for a in &s.payout_accounts {
                if PLATFORMS.contains(&a.record.method) || a.record.method == PayoutMethod::Crypto {
                    continue;
                }
                let Some(country) = a.record.account.as_ref().and_then(|x| x.country) else {
                    continue;
                };
                if country == claimed || Some(country) == nationality {
                    continue;
                }
                if !countries_seen.contains(&country) {
                    countries_seen.push(country);
                    findings.push(match nationality {
                        Some(n) => format!(
                            "a bank account in {country}, neither where they say they live ({claimed}) nor their nationality ({n})"
                        ),
                        None => format!(
                            "a bank account in {country} while they say they live in {claimed}"
                        ),
                    });
                    confidences.push(0.6);
                }
                evidence.push(describe_account(a));
            }
        }

        if findings.is_empty() {
            return;
        }
        // Independent findings reinforce each other; none is proof alone.
        let confidence = (1.0 - confidences.iter().map(|c| 1.0 - c).product::<f64>()).min(0.95);
        ctx.emit(self, confidence, findings.join("; "), evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    const PROFILE: &str = r#"{"kind":"subject","id":"c-1","name":"Kevin Brooks","nationality":"US","location":{"country":"US"}}"#;

    fn account(at: &str, id: &str, holder: &str, country: &str) -> String {
        format!(
            r#"{{"kind":"payout_account","subject":"c-1","at":"2026-{at}T09:00:00Z","method":"bank_transfer","account":{{"id":"{id}","holder":"{holder}","country":"{country}"}}}}"#
        )
    }

    fn run_lines(lines: &[String]) -> Vec<Signal> {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        run(&AccountChurn, &refs)
    }

    #[test]
    fn three_accounts_in_three_weeks_fire() {
        let signals = run_lines(&[
            PROFILE.to_owned(),
            account("03-01", "a1", "Kevin Brooks", "US"),
            account("03-10", "a2", "Kevin Brooks", "US"),
            account("03-22", "a3", "Kevin Brooks", "US"),
        ]);
        assert_eq!(signals.len(), 1);
        assert_eq!(
            signals[0].summary,
            "added 3 payout accounts in 21 days (2026-03-01 to 2026-03-22)"
        );
        assert_eq!(signals[0].evidence.len(), 3);
    }

    #[test]
    fn accounts_spread_over_months_and_one_account_changed_are_quiet() {
        assert!(
            run_lines(&[
                PROFILE.to_owned(),
                account("01-01", "a1", "Kevin Brooks", "US"),
                account("03-15", "a2", "Kevin Brooks", "US"),
                account("03-20", "a2", "Kevin Brooks", "US"),
                account("03-25", "a2", "Kevin Brooks", "US"),
                account("06-01", "a3", "Kevin Brooks", "US"),
            ])
            .is_empty()
        );
    }

    #[test]
    fn an_account_in_someone_elses_name_fires() {
        let signals = run_lines(&[PROFILE.to_owned(), account("03-01", "a1", "Li Wei", "US")]);
        assert_eq!(signals.len(), 1);
        assert_eq!(
            signals[0].summary,
            "a payout account is in the name of Li Wei"
        );
    }

    #[test]
    fn a_bank_in_a_third_country_fires() {
        let signals = run_lines(&[
            r#"{"kind":"subject","id":"c-1","name":"Kevin Brooks","nationality":"CA","location":{"country":"US"}}"#.to_owned(),
            account("03-01", "a1", "Kevin Brooks", "CN"),
        ]);
        assert_eq!(signals.len(), 1);
        assert_eq!(
            signals[0].summary,
            "a bank account in CN, neither where they say they live (US) nor their nationality (CA)"
        );
    }

    #[test]
    fn one_account_in_their_own_name_at_home_is_quiet() {
        assert!(
            run_lines(&[
                PROFILE.to_owned(),
                account("03-01", "a1", "KEVIN BROOKS", "US")
            ])
            .is_empty()
        );
    }

    #[test]
    fn an_account_in_the_country_of_nationality_is_explained() {
        assert!(
            run_lines(&[
                r#"{"kind":"subject","id":"c-1","name":"Kevin Brooks","nationality":"CA","location":{"country":"US"}}"#.to_owned(),
                account("03-01", "a1", "Kevin Brooks", "CA"),
            ])
            .is_empty()
        );
    }

    #[test]
    fn an_agency_paying_its_staff_is_explained() {
        assert!(
            run_lines(&[
                r#"{"kind":"subject","id":"c-1","name":"Kevin Brooks","location":{"country":"US"},"work":[{"employer":"Northwind Dev Studio","start":"2024-01"}]}"#.to_owned(),
                account("03-01", "a1", "NORTHWIND DEV STUDIO LTD.", "US"),
            ])
            .is_empty()
        );
    }

    #[test]
    fn a_married_name_variant_is_the_same_person() {
        for (name, holder) in [
            ("Grace Eun-ji Pak", "Grace Pak"),
            ("Grace Pak", "Grace Eun-ji Pak"),
        ] {
            let profile = format!(
                r#"{{"kind":"subject","id":"c-1","name":"{name}","location":{{"country":"CA"}}}}"#
            );
            assert!(
                run_lines(&[profile, account("03-01", "a1", holder, "CA")]).is_empty(),
                "{name} / {holder}"
            );
        }
    }

    #[test]
    fn a_platform_account_abroad_is_not_a_third_country() {
        assert!(
            run_lines(&[
                PROFILE.to_owned(),
                r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-01T09:00:00Z","method":"wise","account":{"id":"w1","holder":"Kevin Brooks","country":"BE"}}"#.to_owned(),
            ])
            .is_empty()
        );
    }

    #[test]
    fn churn_a_year_ago_is_found_with_its_dates() {
        let old = |day: &str, id: &str| {
            format!(
                r#"{{"kind":"payout_account","subject":"c-1","at":"2025-{day}T09:00:00Z","method":"bank_transfer","account":{{"id":"{id}","holder":"Kevin Brooks","country":"US"}}}}"#
            )
        };
        let lines = [
            PROFILE.to_owned(),
            old("04-02", "a1"),
            old("04-20", "a2"),
            old("05-11", "a3"),
            account("11-01", "a4", "Kevin Brooks", "US"),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let signals = crate::support::testing::run_at(
            &AccountChurn,
            &crate::support::testing::state(&refs),
            "2026-11-30T00:00:00Z",
        );
        assert_eq!(
            signals[0].summary,
            "added 3 payout accounts in 39 days (2025-04-02 to 2025-05-11)"
        );
        assert_eq!(
            signals[0].evidence[0].details["window_start"],
            "2025-04-02T09:00:00Z"
        );
        // Accounts added after the as-of are not counted.
        assert!(
            crate::support::testing::run_at(
                &AccountChurn,
                &crate::support::testing::state(&refs),
                "2025-05-01T00:00:00Z",
            )
            .is_empty()
        );
    }
}

//! MD-DPRK — the FINTRAC Ministerial Directive on the DPRK: any North Korean nexus makes a
//! relationship high risk, and dealing with sanctioned persons is an offence (UN Act,
//! SEMA).
//!
//! `KP` is the one country that is itself a signal. This detector looks for it in every
//! country field the records carry (nationality, location, address, schools, employers,
//! documents, payout and payment accounts, shipments), for a North Korean bank's BIC
//! (`KP` at characters 5–6: the bank's own country, whatever country the account claims),
//! for North Korea's calling code
//! +850 in phone numbers, and for logins and devices in DPRK address space (built into
//! the intel crate, so this needs no downloaded data). South Korea (`KR`, +82) is a different country and never counts;
//! neither does a Korean name or the Korean language.

use redflag_model::{Advisory, CountryCode, Evidence, Kind, Phone, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of, is_dprk_bic};

pub struct DprkNexus;

const KP: Option<CountryCode> = Some(CountryCode::KP);

fn is_dprk_phone(p: &Phone) -> bool {
    p.has_calling_code("850")
}

fn note(found: &mut Vec<String>, evidence: &mut Vec<Evidence>, what: String, e: Evidence) {
    if !found.contains(&what) {
        found.push(what);
    }
    evidence.push(e);
}

impl Detector for DprkNexus {
    fn code(&self) -> &'static str {
        "dprk.nexus"
    }
    fn advisory(&self) -> Advisory {
        Advisory::MdDprk
    }
    fn describe(&self) -> &'static str {
        "a North Korean nexus: KP in any country field, or a +850 phone number"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let mut found: Vec<String> = Vec::new();
        let mut evidence: Vec<Evidence> = Vec::new();
        for p in &s.profiles {
            let r = &p.record;
            let mut fields = Vec::new();
            if r.nationality == KP {
                fields.push("nationality".to_owned());
            }
            if r.location.as_ref().and_then(|l| l.country) == KP {
                fields.push("location".to_owned());
            }
            if r.address.as_ref().and_then(|a| a.country) == KP {
                fields.push("address".to_owned());
            }
            for e in r.education.iter().filter(|e| e.country == KP) {
                fields.push(format!(
                    "school {}",
                    e.institution.as_deref().unwrap_or("(unnamed)")
                ));
            }
            for w in r.work.iter().filter(|w| w.country == KP) {
                fields.push(format!(
                    "employer {}",
                    w.employer.as_deref().unwrap_or("(unnamed)")
                ));
            }
            let phones: Vec<String> = r
                .phones
                .iter()
                .filter(|p| is_dprk_phone(p))
                .map(|p| p.to_string())
                .collect();
            for field in &fields {
                note(
                    &mut found,
                    &mut evidence,
                    format!("profile {field} in North Korea"),
                    evidence_of(Kind::Subject, p, r.observed_at)
                        .with("field", field.clone())
                        .with("country", "KP"),
                );
            }
            for phone in phones {
                note(
                    &mut found,
                    &mut evidence,
                    format!("North Korean phone number {phone}"),
                    evidence_of(Kind::Subject, p, r.observed_at).with("phone", phone),
                );
            }
        }
        for d in s
            .documents
            .iter()
            .filter(|d| d.record.issuing_country == KP)
        {
            note(
                &mut found,
                &mut evidence,
                format!("{} issued by North Korea", d.record.doc_type.label()),
                evidence_of(Kind::Document, d, Some(d.record.requested_at))
                    .with("issuing_country", "KP"),
            );
        }
        for a in &s.payout_accounts {
            let Some(acc) = a.record.account.as_ref() else {
                continue;
            };
            let dprk_bic = acc.bic.clone().filter(|b| is_dprk_bic(b));
            if acc.country == KP {
                note(
                    &mut found,
                    &mut evidence,
                    "payout account in North Korea".to_owned(),
                    evidence_of(Kind::PayoutAccount, a, Some(a.record.at))
                        .with("institution", acc.institution.clone())
                        .with("account", acc.id.clone())
                        .with("country", "KP"),
                );
            }
            if let Some(bic) = dprk_bic {
                note(
                    &mut found,
                    &mut evidence,
                    format!("payout account at a North Korean bank (BIC {bic})"),
                    evidence_of(Kind::PayoutAccount, a, Some(a.record.at))
                        .with("institution", acc.institution.clone())
                        .with("account", acc.id.clone())
                        .with("bic", bic),
                );
            }
        }
        for r in s.payment_requests.iter().filter(|r| {
            r.record
                .account
                .as_ref()
                .is_some_and(|a| a.country == KP || a.bic.as_deref().is_some_and(is_dprk_bic))
        }) {
            note(
                &mut found,
                &mut evidence,
                "asked to be paid to an account in North Korea".to_owned(),
                evidence_of(Kind::PaymentRequest, r, Some(r.record.at)).with("country", "KP"),
            );
        }
        for p in &s.payments.dprk {
            note(
                &mut found,
                &mut evidence,
                "payment to an account in North Korea".to_owned(),
                evidence_of(Kind::Payment, p, Some(p.record.at))
                    .with(
                        "country",
                        p.record
                            .account
                            .as_ref()
                            .and_then(|a| a.country)
                            .map(|c| c.to_string()),
                    )
                    .with("bic", p.record.account.as_ref().and_then(|a| a.bic.clone())),
            );
        }
        for sh in s
            .shipments
            .iter()
            .filter(|sh| sh.record.address.country == KP)
        {
            note(
                &mut found,
                &mut evidence,
                "equipment shipped to North Korea".to_owned(),
                evidence_of(Kind::Shipment, sh, Some(sh.record.at)).with("country", "KP"),
            );
        }
        // Address space: built in, so it needs no downloaded data. An allocation the DPRK
        // announces today is decisive; a range it used years ago is a lead to check.
        let mut confidence: f64 = if evidence.is_empty() { 0.0 } else { 1.0 };
        let mut ips: Vec<(std::net::IpAddr, Evidence)> = s
            .logins_by_time()
            .into_iter()
            .map(|l| {
                (
                    l.ip,
                    Evidence::new(Kind::Login, Some(l.key.to_string()), Some(l.at))
                        .with("ip", l.ip.to_string()),
                )
            })
            .collect();
        for d in s.devices.iter() {
            if let Some(ip) = d.record.public_ip {
                ips.push((
                    ip,
                    evidence_of(Kind::Device, d, Some(d.record.at))
                        .with("public_ip", ip.to_string()),
                ));
            }
        }
        for (ip, e) in ips {
            let Some(range) = redflag_intel::dprk_range(ip) else {
                continue;
            };
            let current = range.link == redflag_intel::DprkLink::Allocated;
            confidence = confidence.max(if current { 1.0 } else { 0.6 });
            let what = if current {
                format!(
                    "connected from North Korean address space ({}, {})",
                    range.cidr, range.name
                )
            } else {
                format!(
                    "connected from {} ({}), a range North Korea used in the past",
                    range.cidr, range.name
                )
            };
            if evidence.len() < 16 {
                note(&mut found, &mut evidence, what, e.with("range", range.cidr));
            }
        }
        if evidence.is_empty() {
            return;
        }
        ctx.emit(self, confidence, found.join("; "), evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    #[test]
    fn a_kp_payout_account_fires_with_full_confidence() {
        let signals = run(
            &DprkNexus,
            &[
                r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{"id":"acct-9","institution":"Korea Kwangson Banking Corp","country":"KP"}}"#,
            ],
        );
        assert_eq!(signals[0].confidence, 1.0);
        assert_eq!(signals[0].summary, "payout account in North Korea");
    }

    #[test]
    fn a_north_korean_bic_fires_whatever_country_the_account_claims() {
        let signals = run(
            &DprkNexus,
            &[
                r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{"id":"acct-9","country":"CN","bic":"KKBC KP PY"}}"#,
            ],
        );
        assert_eq!(signals[0].confidence, 1.0);
        assert_eq!(
            signals[0].summary,
            "payout account at a North Korean bank (BIC KKBC KP PY)"
        );
        let paid = run(
            &DprkNexus,
            &[
                r#"{"kind":"payment","subject":"c-1","at":"2026-03-31T17:00:00Z","amount":"10","currency":"USD","account":{"bic":"FTBDKPPY"}}"#,
            ],
        );
        assert_eq!(paid[0].summary, "payment to an account in North Korea");
        assert_eq!(paid[0].evidence[0].details["bic"], "FTBDKPPY");
    }

    #[test]
    fn bics_elsewhere_and_malformed_bics_are_quiet() {
        // KR is South Korea; "KP" elsewhere in the code or a code of the wrong length
        // is not a country.
        assert!(run(&DprkNexus, &[
            r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{"bic":"SHBKKRSE"}}"#,
            r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-11T09:00:00Z","method":"bank_transfer","account":{"bic":"KPBKUS33"}}"#,
            r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-12T09:00:00Z","method":"bank_transfer","account":{"bic":"ABCDKP"}}"#,
            r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-13T09:00:00Z","method":"bank_transfer","account":{"bic":"ÄBCDKPPY"}}"#,
        ]).is_empty());
    }

    #[test]
    fn a_plus_850_phone_fires() {
        let signals = run(
            &DprkNexus,
            &[r#"{"kind":"subject","id":"c-1","phones":["+850 2 381 2101"]}"#],
        );
        assert!(signals[0].summary.contains("+85023812101"));
    }

    #[test]
    fn a_login_from_star_joint_venture_space_is_decisive() {
        let signals = run(
            &DprkNexus,
            &[
                r#"{"kind":"login","subject":"c-1","at":"2026-03-05T01:12:44Z","ip":"175.45.178.10"}"#,
            ],
        );
        assert_eq!(signals[0].confidence, 1.0);
        assert!(
            signals[0].summary.contains("175.45.176.0/22"),
            "{}",
            signals[0].summary
        );
    }

    #[test]
    fn a_historical_range_is_a_lead_not_a_verdict() {
        let signals = run(
            &DprkNexus,
            &[
                r#"{"kind":"device","subject":"c-1","at":"2026-03-05T01:12:44Z","public_ip":"77.94.35.7"}"#,
            ],
        );
        assert!(signals[0].confidence < 0.9);
    }

    #[test]
    fn the_korean_canadian_developer_is_quiet() {
        assert!(run(&DprkNexus, &[
            r#"{"kind":"subject","id":"c-1","name":"Jason Park","other_names":["Park Ji-hoon","박지훈"],"nationality":"CA","location":{"country":"CA","city":"Toronto","timezone":"America/Toronto"},"languages":[{"language":"en","fluency":"native"},{"language":"ko","fluency":"fluent"}],"phones":["+1 416 555 0199"],"education":[{"institution":"Yonsei University","country":"KR"}]}"#,
            r#"{"kind":"subject","id":"c-1","name":"Ji-hoon Kim","nationality":"KR","location":{"country":"KR","city":"Seoul"},"phones":["+82 10 1234 5678"]}"#,
            r#"{"kind":"device","subject":"c-1","at":"2026-03-06T02:00:00Z","locale":"ko-KR","keyboard_layouts":["ko-KR"]}"#,
        ]).is_empty());
    }
}

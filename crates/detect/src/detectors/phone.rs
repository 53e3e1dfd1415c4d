//! CONCEAL — concealment of identity and location, with RF4's "inconsistencies in …
//! location": the phone numbers on the profile, read with libphonenumber's metadata (the
//! `phonenumber` crate). A number whose only line type is VoIP can be rented from
//! anywhere by anyone; a number from another country than the claimed one contradicts
//! the location (weakly: people keep their old mobile when they move). A number the
//! metadata calls impossible is not counted: typos and numbering plans newer than the
//! metadata make that a data-quality note, not a red flag. `+850` numbers are the DPRK
//! nexus detector's and are skipped here.

use phonenumber::Type;
use redflag_model::{Advisory, Kind, Phone, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};
use crate::support::phones::{LineReading, calling_code, read};

pub struct PhoneNumbers;

impl Detector for PhoneNumbers {
    fn code(&self) -> &'static str {
        "contact.phone"
    }
    fn advisory(&self) -> Advisory {
        Advisory::Conceal
    }
    fn describe(&self) -> &'static str {
        "VoIP-only, foreign or impossible phone numbers on the profile"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let Some(latest) = s.latest_profile_keyed() else {
            return;
        };
        let home = latest.record.location.as_ref().and_then(|l| l.country);
        let readings: Vec<(&Phone, Option<LineReading>)> = latest
            .record
            .phones
            .iter()
            .filter(|p| !p.has_calling_code("850"))
            .map(|p| {
                let reading = match ctx.phones {
                    Some(book) => book.read(p, home),
                    None => read(p, home),
                };
                (p, reading)
            })
            .collect();
        // A VoIP line beside a mobile or landline is a home internet phone (French `09`
        // and Korean `070` numbers are mostly that); only a VoIP line with nothing else
        // hides where the person is.
        let has_ordinary_line = readings.iter().any(|(_, r)| {
            r.as_ref().is_some_and(|n| {
                matches!(
                    n.line,
                    Type::Mobile | Type::FixedLine | Type::FixedLineOrMobile
                )
            })
        });
        let mut confidence: f64 = 0.0;
        let mut parts = Vec::new();
        let mut evidence = Vec::new();
        for (phone, reading) in &readings {
            let mut found = Vec::new();
            let mut ev = evidence_of(Kind::Subject, latest, latest.record.observed_at)
                .with("phone", phone.as_str());
            match reading {
                None => continue,
                Some(n) => {
                    if !has_ordinary_line && n.line == Type::Voip {
                        found.push("is a VoIP number".to_owned());
                        ev = ev.with("line_type", "voip");
                        confidence = confidence.max(0.5);
                    }
                    let region = n.region.clone();
                    if let Some(home) = home
                        && calling_code(home).is_some_and(|c| c != n.calling_code)
                    {
                        let from = region
                            .clone()
                            .unwrap_or_else(|| format!("+{}", n.calling_code));
                        found.push(format!("is from {from}, not {home}"));
                        ev = ev
                            .with("number_country", region)
                            .with("claimed_country", home.to_string());
                        confidence = confidence.max(0.3);
                    }
                }
            }
            if found.is_empty() {
                continue;
            }
            parts.push(format!("{} {}", phone.as_str(), found.join(" and ")));
            evidence.push(ev);
        }
        if parts.is_empty() {
            return;
        }
        ctx.emit(self, confidence, parts.join("; "), evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    fn profile(country: &str, phones: &str) -> String {
        format!(
            r#"{{"kind":"subject","id":"c-1","location":{{"country":"{country}"}},"phones":[{phones}]}}"#
        )
    }

    #[test]
    fn a_voip_only_number_fires() {
        let signals = run(&PhoneNumbers, &[&profile("GB", r#""+44 56 1234 5678""#)]);
        assert_eq!(signals[0].summary, "+445612345678 is a VoIP number");
        assert_eq!(signals[0].evidence[0].details["line_type"], "voip");
    }

    #[test]
    fn a_foreign_number_fires_weakly_and_an_impossible_one_is_not_counted() {
        let signals = run(
            &PhoneNumbers,
            &[&profile("US", r#""+61 4 1234 5678", "+1 2345""#)],
        );
        assert_eq!(signals[0].summary, "+61412345678 is from AU, not US");
        assert!(signals[0].confidence <= 0.3);
    }

    #[test]
    fn a_canadian_number_in_canada_a_british_mobile_and_a_home_voip_line_are_quiet() {
        assert!(
            run(
                &PhoneNumbers,
                &[&profile("CA", r#""+1 416 555 0147", "(613) 555-0199""#)]
            )
            .is_empty()
        );
        // +44 7911 is listed under Guernsey, which shares the United Kingdom's +44.
        assert!(run(&PhoneNumbers, &[&profile("GB", r#""+44 7911 123456""#)]).is_empty());
        assert!(
            run(
                &PhoneNumbers,
                &[&profile(
                    "FR",
                    r#""+33 9 71 23 45 67", "+33 6 12 34 56 78""#
                )]
            )
            .is_empty()
        );
    }

    #[test]
    fn a_us_number_for_someone_in_canada_shares_the_calling_code_and_is_quiet() {
        assert!(run(&PhoneNumbers, &[&profile("CA", r#""+1 512 555 0147""#)]).is_empty());
    }

    #[test]
    fn dprk_numbers_are_left_to_the_nexus_detector() {
        assert!(run(&PhoneNumbers, &[&profile("US", r#""+850 2 381 2345""#)]).is_empty());
    }
}

//! M2 — "verify identity documents" (advisory mitigation 2), with RF4's "inconsistencies
//! in name, … nationality": documents whose holder does not agree with the profile. A
//! name on the document that is no form of any name the profile gives (across all its
//! versions and other names, so a maiden name on an old degree is fine), a date of
//! birth that cannot be the profile's, or a passport or national ID issued by a country
//! other than the claimed nationality. The last counts only weakly: dual nationals and
//! naturalised citizens hold passports that differ from the nationality they give.

use redflag_model::{Advisory, DocType, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};
use crate::support::names::{names_given, same_person_name};

pub struct DocumentMismatch;

impl Detector for DocumentMismatch {
    fn code(&self) -> &'static str {
        "documents.mismatch_profile"
    }
    fn advisory(&self) -> Advisory {
        Advisory::M2
    }
    fn describe(&self) -> &'static str {
        "documents whose name, date of birth or issuing country disagree with the profile"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let Some(profile) = s.latest_profile() else {
            return;
        };
        let min_score = ctx.policy.thresholds.name_variant_score;
        let names = names_given(s);
        let mut confidence: f64 = 0.0;
        let mut parts = Vec::new();
        let mut evidence = Vec::new();
        let mut docs: Vec<_> = s.documents.iter().collect();
        docs.sort_by_key(|d| (d.record.requested_at, d.key.clone()));
        for d in docs {
            let r = &d.record;
            let mut found = Vec::new();
            let mut ev = evidence_of(Kind::Document, d, r.provided_at.or(Some(r.requested_at)))
                .with("doc_type", r.doc_type.label());
            if let Some(on_doc) = r.name_on_document.as_deref()
                && !names.is_empty()
                && !names.iter().any(|n| same_person_name(on_doc, n, min_score))
            {
                found.push(format!("name \"{on_doc}\""));
                ev = ev.with("name_on_document", on_doc);
                confidence = confidence.max(0.8);
            }
            if let (Some(doc_dob), Some(dob)) = (&r.date_of_birth, &profile.date_of_birth)
                && !(doc_dob.earliest() <= dob.latest() && dob.earliest() <= doc_dob.latest())
            {
                found.push(format!("date of birth {doc_dob} (profile: {dob})"));
                ev = ev
                    .with("date_of_birth", doc_dob.to_string())
                    .with("profile_date_of_birth", dob.to_string());
                confidence = confidence.max(0.85);
            }
            // Only documents that prove citizenship say anything about nationality; a
            // driver's licence or a degree is issued where one lives or studied.
            let proves_citizenship = matches!(r.doc_type, DocType::Passport | DocType::NationalId);
            if let (true, Some(issued), Some(nationality)) =
                (proves_citizenship, r.issuing_country, profile.nationality)
                && issued != nationality
            {
                found.push(format!(
                    "issued by {issued} (nationality given: {nationality})"
                ));
                ev = ev
                    .with("issuing_country", issued.to_string())
                    .with("profile_nationality", nationality.to_string());
                confidence = confidence.max(0.3);
            }
            if found.is_empty() {
                continue;
            }
            parts.push(format!("{}: {}", r.doc_type.label(), found.join(", ")));
            evidence.push(ev);
        }
        if parts.is_empty() {
            return;
        }
        let who = profile.name.as_deref().unwrap_or("the subject");
        let summary = format!(
            "documents disagree with the profile of \"{who}\": {}",
            parts.join("; ")
        );
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    const PROFILE: &str = r#"{"kind":"subject","id":"c-1","name":"Daniel Park","other_names":["Park Ji-hoon"],"date_of_birth":"1994-05-12","nationality":"US"}"#;

    fn passport(name: &str, dob: &str, country: &str) -> String {
        format!(
            r#"{{"kind":"document","subject":"c-1","doc_type":"passport","requested_at":"2026-02-21T10:00:00Z","status":"provided","issuing_country":"{country}","name_on_document":"{name}","date_of_birth":"{dob}"}}"#
        )
    }

    #[test]
    fn another_name_and_birthday_on_the_passport_fire() {
        let doc = passport("Daniel Kim", "1990-01-01", "US");
        let signals = run(&DocumentMismatch, &[PROFILE, &doc]);
        assert_eq!(
            signals[0].summary,
            "documents disagree with the profile of \"Daniel Park\": passport: name \"Daniel Kim\", \
             date of birth 1990-01-01 (profile: 1994-05-12)"
        );
        assert!(signals[0].confidence >= 0.85);
    }

    #[test]
    fn a_foreign_passport_alone_is_weak() {
        let doc = passport("Daniel Park", "1994-05-12", "KR");
        let signals = run(&DocumentMismatch, &[PROFILE, &doc]);
        assert_eq!(
            signals[0].summary,
            "documents disagree with the profile of \"Daniel Park\": passport: issued by KR (nationality given: US)"
        );
        assert!(signals[0].confidence <= 0.3);
    }

    #[test]
    fn a_listed_korean_name_a_romanisation_and_a_foreign_licence_are_quiet() {
        let korean = passport("PAK JI HUN", "1994-05-12", "US");
        let western = passport("PARK, Daniel", "1994-05", "US");
        let licence = r#"{"kind":"document","subject":"c-1","doc_type":"drivers_license","requested_at":"2026-02-21T10:00:00Z","issuing_country":"CA","name_on_document":"Daniel Park"}"#;
        assert!(run(&DocumentMismatch, &[PROFILE, &korean, &western, licence]).is_empty());
    }
}

//! RF4 — "inconsistencies in name, … nationality, … location" (advisory red flag 4):
//! successive versions of the profile that change who the person says they are: the
//! name, the date of birth or the nationality.
//!
//! What honest people change is left alone: a name the earlier version already listed
//! among the other names, a married name (only the family name changes and the old full
//! name is kept in the new version's other names), a date of birth made more precise
//! ("1994" → "1994-05-12"), a spelling or romanisation of the same name. A move to
//! another country by itself is a move, not an inconsistency (logins are compared with
//! the claimed location elsewhere); it is reported only beside another change, where it
//! completes the picture of an identity being rewritten.

use redflag_model::{Advisory, Kind, PartialDate, Signal, Subject};
use redflag_names::{NameKind, compare};

use crate::detector::{Context, Detector};
use crate::state::{Keyed, SubjectState, evidence_of};
use crate::support::names::share_family_name;

pub struct ProfileChanges;

/// Two spellings this similar are one name written differently, not a new name.
const SAME_NAME: f64 = 0.95;

fn same_name(a: &str, b: &str) -> bool {
    compare(a, b, NameKind::Person).score >= SAME_NAME
}

/// Whether two partial dates can mean the same day.
fn dates_agree(a: &PartialDate, b: &PartialDate) -> bool {
    a.earliest() <= b.latest() && b.earliest() <= a.latest()
}

/// Whether the change of name from `old` to `new` is explained by the profiles.
fn name_change_explained(old: &Subject, new: &Subject, old_name: &str, new_name: &str) -> bool {
    // The new name was already declared as another name.
    let declared = old.other_names.iter().any(|o| same_name(o, new_name));
    // A married name: the old full name is kept as another name and the given names
    // stay, so only the family name moved.
    let married = new.other_names.iter().any(|o| same_name(o, old_name))
        && !share_family_name(old_name, new_name)
        && shares_a_token(old_name, new_name);
    declared || married
}

fn shares_a_token(a: &str, b: &str) -> bool {
    let tb = redflag_names::normalise(b, NameKind::Person);
    redflag_names::normalise(a, NameKind::Person)
        .iter()
        .any(|x| tb.iter().any(|y| same_name(x, y)))
}

fn when(p: &Keyed<Subject>) -> String {
    p.record
        .observed_at
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "undated".into())
}

impl Detector for ProfileChanges {
    fn code(&self) -> &'static str {
        "identity.profile_changes"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF4
    }
    fn describe(&self) -> &'static str {
        "profile versions that change the name, date of birth or nationality"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        // Versions without `observed_at` count as oldest, ties by arrival, as in
        // `SubjectState::latest_profile`.
        let mut versions: Vec<(usize, &Keyed<Subject>)> = s.profiles.iter().enumerate().collect();
        versions.sort_by_key(|(i, p)| (p.record.observed_at, *i));
        let mut parts = Vec::new();
        let mut evidence = Vec::new();
        let mut confidence: f64 = 0.0;
        let mut changes = 0usize;
        for pair in versions.windows(2) {
            let (old, new) = (pair[0].1, pair[1].1);
            let (o, n) = (&old.record, &new.record);
            let span = format!("{} → {}", when(old), when(new));
            let mut found = Vec::new();
            let mut fields = Vec::new();
            if let (Some(a), Some(b)) = (o.name.as_deref(), n.name.as_deref())
                && !same_name(a, b)
                && !name_change_explained(o, n, a, b)
            {
                found.push(format!("name \"{a}\" → \"{b}\""));
                fields.push("name");
                confidence = confidence.max(0.7);
            }
            if let (Some(a), Some(b)) = (&o.date_of_birth, &n.date_of_birth)
                && !dates_agree(a, b)
            {
                found.push(format!("date of birth {a} → {b}"));
                fields.push("date_of_birth");
                confidence = confidence.max(0.8);
            }
            if let (Some(a), Some(b)) = (&o.nationality, &n.nationality)
                && a != b
            {
                found.push(format!("nationality {a} → {b}"));
                fields.push("nationality");
                // Naturalisation happens; a changed nationality is less telling than a
                // changed date of birth.
                confidence = confidence.max(0.6);
            }
            if found.is_empty() {
                continue;
            }
            let country = |p: &Subject| p.location.as_ref().and_then(|l| l.country);
            if let (Some(a), Some(b)) = (country(o), country(n))
                && a != b
            {
                found.push(format!("location {a} → {b}"));
                fields.push("location.country");
            }
            changes += found.len();
            parts.push(format!("{span}: {}", found.join(", ")));
            for (p, role) in [(old, "before"), (new, "after")] {
                let r = &p.record;
                evidence.push(
                    evidence_of(Kind::Subject, p, r.observed_at)
                        .with("version", role)
                        .with("changed", fields.clone())
                        .with("name", r.name.clone())
                        .with("date_of_birth", r.date_of_birth.map(|d| d.to_string()))
                        .with("nationality", r.nationality.map(|c| c.to_string()))
                        .with("location_country", country(r).map(|c| c.to_string())),
                );
            }
        }
        if parts.is_empty() {
            return;
        }
        if changes > 1 {
            confidence = (confidence + 0.1).min(0.9);
        }
        let summary = format!("the profile changed: {}", parts.join("; "));
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    const V1: &str = r#"{"kind":"subject","id":"c-1","observed_at":"2025-11-01T00:00:00Z","name":"Daniel Park","date_of_birth":"1994-05-12","nationality":"US","location":{"country":"US"}}"#;

    #[test]
    fn a_new_name_date_of_birth_and_country_fire_with_old_and_new_values() {
        let signals = run(
            &ProfileChanges,
            &[
                r#"{"kind":"subject","id":"c-1","observed_at":"2026-02-01T00:00:00Z","name":"Kevin Brooks","date_of_birth":"1991-02-03","nationality":"US","location":{"country":"CA"}}"#,
                V1,
            ],
        );
        assert_eq!(
            signals[0].summary,
            "the profile changed: 2025-11-01 → 2026-02-01: name \"Daniel Park\" → \"Kevin Brooks\", \
             date of birth 1994-05-12 → 1991-02-03, location US → CA"
        );
        assert_eq!(signals[0].evidence.len(), 2);
        assert!(signals[0].confidence > 0.8);
    }

    #[test]
    fn a_changed_nationality_fires() {
        let signals = run(
            &ProfileChanges,
            &[
                V1,
                r#"{"kind":"subject","id":"c-1","observed_at":"2026-02-01T00:00:00Z","name":"Daniel Park","date_of_birth":"1994-05-12","nationality":"GB","location":{"country":"US"}}"#,
            ],
        );
        assert_eq!(
            signals[0].summary,
            "the profile changed: 2025-11-01 → 2026-02-01: nationality US → GB"
        );
    }

    #[test]
    fn a_documented_married_name_is_quiet() {
        assert!(run(&ProfileChanges, &[
            r#"{"kind":"subject","id":"c-1","observed_at":"2025-01-01T00:00:00Z","name":"Jane Doe","date_of_birth":"1990-01-01"}"#,
            r#"{"kind":"subject","id":"c-1","observed_at":"2026-01-01T00:00:00Z","name":"Jane Smith","other_names":["Jane Doe"],"date_of_birth":"1990-01-01"}"#,
        ]).is_empty());
    }

    #[test]
    fn an_undocumented_married_name_fires() {
        assert_eq!(run(&ProfileChanges, &[
            r#"{"kind":"subject","id":"c-1","observed_at":"2025-01-01T00:00:00Z","name":"Jane Doe"}"#,
            r#"{"kind":"subject","id":"c-1","observed_at":"2026-01-01T00:00:00Z","name":"Jane Smith"}"#,
        ]).len(), 1);
    }

    #[test]
    fn a_name_already_listed_a_precise_birthday_and_a_move_are_quiet() {
        assert!(run(&ProfileChanges, &[
            r#"{"kind":"subject","id":"c-1","observed_at":"2025-01-01T00:00:00Z","name":"Park Ji-hoon","other_names":["Jason Park"],"date_of_birth":"1994","nationality":"CA","location":{"country":"KR"}}"#,
            r#"{"kind":"subject","id":"c-1","observed_at":"2026-01-01T00:00:00Z","name":"Jason Park","date_of_birth":"1994-05-12","nationality":"CA","location":{"country":"CA"}}"#,
            r#"{"kind":"subject","id":"c-1","observed_at":"2026-02-01T00:00:00Z","name":"Jason PARK","date_of_birth":"1994-05-12","nationality":"CA","location":{"country":"US"}}"#,
        ]).is_empty());
    }
}

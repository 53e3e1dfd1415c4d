//! RF4 — "inconsistencies in name" (advisory red flag 4): other names on the profile that
//! are not forms of the person's name. A Korean name beside an English one ("Jason Park"
//! / "Park Ji-hoon"), a romanisation ("Pak"/"Park"), a maiden name or a reordered name
//! are all forms of one name and stay quiet; an unrelated alias ("Kevin Brooks" for
//! "Daniel Park") counts, weakly, since people do use unrelated stage or pen names.
//! Only how similar two names are is compared, never where a name comes from.

use redflag_model::{Advisory, Kind, Signal};
use redflag_names::{NameKind, normalise};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};
use crate::support::names::{same_person_name, same_token};

pub struct OtherNames;

/// Looser than [`same_person_name`]: any shared name token also relates two names, so a
/// maiden name ("Jane Doe" for "Jane Smith") is not mistaken for an alias.
fn related_name(a: &str, b: &str, min_score: f64) -> bool {
    if same_person_name(a, b, min_score) {
        return true;
    }
    let tb = normalise(b, NameKind::Person);
    normalise(a, NameKind::Person)
        .iter()
        .any(|x| tb.iter().any(|y| same_token(x, y)))
}

impl Detector for OtherNames {
    fn code(&self) -> &'static str {
        "identity.other_names"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF4
    }
    fn describe(&self) -> &'static str {
        "other names on the profile that are not forms of the person's name"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let min_score = ctx.policy.thresholds.name_variant_score;
        // The newest version speaks for the person now; older names are the business of
        // `identity.profile_changes`.
        let Some(latest) = s.latest_profile_keyed() else {
            return;
        };
        let Some(name) = latest.record.name.as_deref() else {
            return;
        };
        let unrelated: Vec<&str> = latest
            .record
            .other_names
            .iter()
            .map(String::as_str)
            // A lone token is a nickname or a handle ("Danny", "JP"): too little to
            // compare, and common among honest people.
            .filter(|o| normalise(o, NameKind::Person).len() > 1)
            .filter(|o| !related_name(name, o, min_score))
            .collect();
        if unrelated.is_empty() {
            return;
        }
        let listed = unrelated
            .iter()
            .map(|o| format!("\"{o}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let summary =
            format!("the profile of \"{name}\" also gives {listed}, not forms of that name");
        let confidence = if unrelated.len() > 1 { 0.7 } else { 0.5 };
        let evidence = vec![
            evidence_of(Kind::Subject, latest, latest.record.observed_at)
                .with("name", name)
                .with("other_names", unrelated),
        ];
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    #[test]
    fn an_unrelated_alias_fires() {
        let signals = run(
            &OtherNames,
            &[
                r#"{"kind":"subject","id":"c-1","name":"Daniel Park","other_names":["Dan Park","Kevin Brooks"]}"#,
            ],
        );
        assert_eq!(
            signals[0].summary,
            "the profile of \"Daniel Park\" also gives \"Kevin Brooks\", not forms of that name"
        );
        assert_eq!(
            signals[0].evidence[0].details["other_names"][0],
            "Kevin Brooks"
        );
    }

    #[test]
    fn a_korean_and_an_english_name_sharing_the_surname_are_quiet() {
        assert!(
            run(
                &OtherNames,
                &[
                    r#"{"kind":"subject","id":"c-1","name":"Jason Park","other_names":["Park Ji-hoon","박지훈"]}"#
                ],
            )
            .is_empty()
        );
        assert!(
            run(
                &OtherNames,
                &[
                    r#"{"kind":"subject","id":"c-1","name":"Pak Eun-ji","other_names":["Grace Eun-ji Pak","Grace Park"]}"#
                ],
            )
            .is_empty()
        );
    }

    #[test]
    fn a_maiden_name_or_a_nickname_is_quiet() {
        assert!(
            run(
                &OtherNames,
                &[
                    r#"{"kind":"subject","id":"c-1","name":"Jane Smith","other_names":["Jane Doe","JJ"]}"#
                ],
            )
            .is_empty()
        );
    }
}

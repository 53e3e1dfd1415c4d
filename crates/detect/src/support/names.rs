//! Name comparisons and the names a subject gives, shared by the detectors that compare
//! one name with another (aliases, documents, account holders, profile versions).

use redflag_names::{NameKind, compare, normalise};

use crate::links::normalise_name;
use crate::state::SubjectState;

/// Two name tokens this similar are the same token (romanisations such as Pak/Park
/// score 0.96; different names well below).
const SAME_TOKEN: f64 = 0.9;

/// Whether `a` and `b` can be written the same way as one token.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() > 1 && b.len() > 1 && compare(a, b, NameKind::Person).score >= SAME_TOKEN
}

/// Whether two full names share a family name. Which token is the family name is not
/// recorded, and both orders occur ("Park Ji-hoon", "Jason Park"), so the outer tokens
/// are tried against each other, except first against first: in Western order those are
/// two given names ("Daniel Kim" / "Daniel Park" do not share a family name).
pub(crate) fn share_family_name(a: &str, b: &str) -> bool {
    let ta = normalise(a, NameKind::Person);
    let tb = normalise(b, NameKind::Person);
    let (Some(fa), Some(la), Some(fb), Some(lb)) = (ta.first(), ta.last(), tb.first(), tb.last())
    else {
        return false;
    };
    same_token(la, lb) || same_token(la, fb) || same_token(fa, lb)
}

/// Whether two names can belong to one person: a shared family name, or a token-wise
/// similarity at or above `min_score` ("Pak Eun-ji" / "Grace Eun-ji Pak").
pub(crate) fn same_person_name(a: &str, b: &str, min_score: f64) -> bool {
    share_family_name(a, b) || compare(a, b, NameKind::Person).score >= min_score
}

/// Every name the subject has given, in any profile version, names and other names.
pub(crate) fn names_given(s: &SubjectState) -> Vec<&str> {
    s.profiles
        .iter()
        .flat_map(|p| p.record.name.iter().chain(p.record.other_names.iter()))
        .map(String::as_str)
        .collect()
}

/// Employers the subject currently works for, as names to compare account holders with:
/// an agency paying its staff is the employer, not a third party.
pub fn current_employers(s: &SubjectState) -> Vec<String> {
    s.latest_profile()
        .map(|p| {
            p.work
                .iter()
                .filter(|w| w.end.is_none())
                .filter_map(|w| w.employer.as_deref().map(normalise_name))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_names_are_found_in_either_order_but_given_names_are_not_family_names() {
        assert!(share_family_name("Jason Park", "Park Ji-hoon"));
        assert!(share_family_name("Pak Eun-ji", "Grace Eun-ji Pak"));
        assert!(!share_family_name("Daniel Kim", "Daniel Park"));
        assert!(!share_family_name("Kevin Brooks", "Daniel Park"));
    }

    #[test]
    fn only_open_ended_jobs_name_current_employers() {
        let s = crate::support::testing::state(&[
            r#"{"kind":"subject","id":"c-1","work":[{"employer":"Northwind Dev Studio Ltd.","start":"2024-01"},{"employer":"Old Corp","start":"2020-01","end":"2023-12"}]}"#,
        ]);
        assert_eq!(current_employers(&s), vec!["northwind dev studio"]);
    }
}

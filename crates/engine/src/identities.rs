//! Which records belong to which person when an export names people its own way.
//!
//! An identity provider's log names a person by their login, a bank's payment file by
//! an IBAN or a payee's name, while the profile names them by the organisation's id and
//! lists the e-mails and payout accounts it knows. Records that arrive under an id
//! claimed by exactly one subject (through its profile, its payout accounts, or an
//! `identity` record, which outranks the others) are that subject's: the engine folds
//! them into its state and the assessment says which ids were merged and why. An id
//! claimed by several subjects stays on its own (the LINK detector reports the sharing),
//! as does one claimed by none: such a subject says it is unmatched.
//!
//! Only subjects with a profile or a declared identity claim ids, so two exports that
//! name the same account do not attach to each other, and no chain of ids is followed
//! further than [`MAX_HOPS`].

use std::collections::{BTreeSet, HashMap, HashSet};

use redflag_model::{Account, IdentityType, Record, SubjectId};

/// How many merges may be chained (a résumé filed under an e-mail that a profile lists,
/// whose id an `identity` record maps to an HR id…) before the chain is taken for a loop.
const MAX_HOPS: usize = 4;

/// An identifier, normalised so that spellings of one value compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Key {
    kind: IdentityType,
    value: String,
}

impl Key {
    pub(crate) fn new(kind: IdentityType, value: &str) -> Option<Key> {
        let value = match kind {
            IdentityType::Email | IdentityType::Login => value.trim().to_lowercase(),
            IdentityType::Iban => value
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_uppercase(),
            IdentityType::Holder => value
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
            IdentityType::Phone => value.chars().filter(char::is_ascii_digit).collect(),
            IdentityType::UserId | IdentityType::Account => value.trim().to_owned(),
        };
        (!value.is_empty()).then_some(Key { kind, value })
    }

    /// For people: "the e-mail dan@example.com".
    pub(crate) fn describe(&self) -> String {
        let what = match self.kind {
            IdentityType::Email => "e-mail",
            IdentityType::Login => "login",
            IdentityType::UserId => "user id",
            IdentityType::Account => "account",
            IdentityType::Iban => "IBAN",
            IdentityType::Holder => "account holder",
            IdentityType::Phone => "phone number",
        };
        format!("{what} {}", self.value)
    }
}

/// The identifiers a subject id stands for, read from its shape: exports write
/// `iban:…`, `account:…` and `name:…` for payees, and logins (usually e-mails) or user
/// ids for people signing in.
fn keys_of_id(id: &str) -> Vec<Key> {
    let typed = |kind, value: &str| Key::new(kind, value).into_iter().collect();
    if let Some(iban) = id.strip_prefix("iban:") {
        return typed(IdentityType::Iban, iban);
    }
    if let Some(account) = id.strip_prefix("account:") {
        return typed(IdentityType::Account, account);
    }
    if let Some(holder) = id.strip_prefix("name:") {
        return typed(IdentityType::Holder, holder);
    }
    if id.starts_with('+') && id[1..].chars().all(|c| c.is_ascii_digit() || c == ' ') {
        return typed(IdentityType::Phone, id);
    }
    let kinds: &[IdentityType] = if id.contains('@') {
        &[IdentityType::Email, IdentityType::Login]
    } else {
        &[IdentityType::UserId, IdentityType::Login]
    };
    kinds.iter().filter_map(|&k| Key::new(k, id)).collect()
}

/// How a subject came to claim an identifier; the first outranks the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum How {
    /// An `identity` record (the organisation's own mapping).
    Declared,
    /// The profile lists it.
    Profile,
    /// One of the subject's payout accounts or payments names it.
    Payout,
}

impl How {
    fn describe(self) -> &'static str {
        match self {
            How::Declared => "declared in an identity record",
            How::Profile => "listed in the profile",
            How::Payout => "named by a payout account of the profile",
        }
    }
}

/// Where a subject id's records go, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolution {
    /// The id is a subject of its own; `note` says why it matched no other subject when
    /// the id names no profile.
    Itself { note: Option<String> },
    /// Its records are another subject's.
    Merged {
        into: SubjectId,
        /// "e-mail dan@example.com, listed in the profile"
        why: String,
    },
}

impl Resolution {
    /// The subject the id's records go to, when it is not the id itself.
    pub(crate) fn into_subject(self) -> Option<SubjectId> {
        match self {
            Resolution::Itself { .. } => None,
            Resolution::Merged { into, .. } => Some(into),
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct IdentityBook {
    claims: HashMap<Key, BTreeSet<(How, SubjectId)>>,
    /// Subjects with a profile on file.
    profiled: HashSet<SubjectId>,
    /// Subjects named by an `identity` record.
    declared: HashSet<SubjectId>,
    /// Identifiers an id is known by beyond its own shape: the user id an identity
    /// provider gives the login (`vendor_user.id`).
    also_known_as: HashMap<SubjectId, BTreeSet<Key>>,
}

impl IdentityBook {
    /// Takes the claims a record makes. Returns whether anything new was learnt, which
    /// may change where ids resolve.
    pub(crate) fn observe(&mut self, record: &Record) -> bool {
        let subject = record.subject();
        let mut learnt = false;
        let mut claims: Vec<(Key, How)> = Vec::new();
        match record {
            Record::Subject(profile) => {
                learnt |= self.profiled.insert(subject.clone());
                claims.extend(
                    profile
                        .emails
                        .iter()
                        .filter_map(|e| Key::new(IdentityType::Email, e.as_str()))
                        .map(|k| (k, How::Profile)),
                );
            }
            Record::Identity(identity) => {
                learnt |= self.declared.insert(subject.clone());
                claims.extend(
                    Key::new(identity.identity_type, &identity.value).map(|k| (k, How::Declared)),
                );
            }
            Record::PayoutAccount(p) => {
                claims.extend(
                    p.account
                        .iter()
                        .flat_map(account_keys)
                        .map(|k| (k, How::Payout)),
                );
            }
            Record::Payment(p) => {
                claims.extend(
                    p.account
                        .iter()
                        .flat_map(account_keys)
                        .map(|k| (k, How::Payout)),
                );
            }
            Record::Login(login) => {
                let vendor_id = login.vendor_user.as_ref().and_then(|u| u.id.as_deref());
                if let Some(key) = vendor_id.and_then(|id| Key::new(IdentityType::UserId, id)) {
                    let known = self.also_known_as.entry(subject.clone()).or_default();
                    if !known.contains(&key) {
                        known.insert(key);
                        learnt = true;
                    }
                }
            }
            _ => {}
        }
        for (key, how) in claims {
            let claimants = self.claims.entry(key).or_default();
            if !claimants.iter().any(|(h, s)| *h == how && s == subject) {
                claimants.insert((how, subject.clone()));
                learnt = true;
            }
        }
        learnt
    }

    /// Whether a profile or an identity record speaks for the subject.
    pub(crate) fn is_known(&self, subject: &SubjectId) -> bool {
        self.profiled.contains(subject) || self.declared.contains(subject)
    }

    pub(crate) fn resolve(&self, id: &SubjectId) -> Resolution {
        let mut current = id.clone();
        let mut why = Vec::new();
        let mut seen = vec![id.clone()];
        for _ in 0..MAX_HOPS {
            match self.resolve_once(&current) {
                Step::Stay(note) => {
                    return if why.is_empty() {
                        Resolution::Itself { note }
                    } else {
                        Resolution::Merged {
                            into: current,
                            why: why.join("; then "),
                        }
                    };
                }
                Step::Move(next, reason) => {
                    if seen.contains(&next) {
                        break;
                    }
                    seen.push(next.clone());
                    why.push(reason);
                    current = next;
                }
            }
        }
        // A loop, or a chain too long to trust: the id keeps its own records.
        Resolution::Itself {
            note: Some(format!(
                "the ids {} claim one another; no merge was made",
                seen.iter()
                    .map(SubjectId::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    fn resolve_once(&self, id: &SubjectId) -> Step {
        let mut keys = keys_of_id(id.as_str());
        keys.extend(self.also_known_as.get(id).into_iter().flatten().cloned());
        let mut targets: Vec<(&Key, How, &SubjectId)> = Vec::new();
        let mut ambiguous: Option<(&Key, Vec<&SubjectId>)> = None;
        for key in &keys {
            let Some(claims) = self.claims.get(key) else {
                continue;
            };
            let eligible: Vec<&(How, SubjectId)> = claims
                .iter()
                .filter(|(_, s)| s != id && self.is_known(s))
                .collect();
            let Some(best) = eligible.iter().map(|(how, _)| *how).min() else {
                continue;
            };
            let mut claimants: Vec<&SubjectId> = eligible
                .iter()
                .filter(|(how, _)| *how == best)
                .map(|(_, s)| s)
                .collect();
            claimants.dedup();
            if claimants.len() == 1 {
                targets.push((key, best, claimants[0]));
            } else if ambiguous.is_none() {
                ambiguous = Some((key, claimants));
            }
        }
        targets.sort_by_key(|(_, how, _)| *how);
        let best = targets.first().map(|(_, how, _)| *how);
        let mut chosen: Vec<&(&Key, How, &SubjectId)> = targets
            .iter()
            .filter(|(_, how, _)| Some(*how) == best)
            .collect();
        chosen.dedup_by_key(|(_, _, s)| *s);
        match chosen.as_slice() {
            [(key, how, into)] => Step::Move(
                (*into).clone(),
                format!("{}, {} of {into}", key.describe(), how.describe()),
            ),
            [] => Step::Stay(self.unmatched_note(id, &keys, ambiguous)),
            several => Step::Stay(Some(format!(
                "{} point to different subjects ({}); no merge was made",
                several
                    .iter()
                    .map(|(key, _, _)| key.describe())
                    .collect::<Vec<_>>()
                    .join(" and "),
                several
                    .iter()
                    .map(|(_, _, s)| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    fn unmatched_note(
        &self,
        id: &SubjectId,
        keys: &[Key],
        ambiguous: Option<(&Key, Vec<&SubjectId>)>,
    ) -> Option<String> {
        if let Some((key, claimants)) = ambiguous {
            return Some(format!(
                "the {} is listed by several subjects ({}), so its records were not \
                 attached to any of them",
                key.describe(),
                claimants
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if self.is_known(id) {
            return None;
        }
        let shown = keys
            .first()
            .map_or_else(|| format!("id {id}"), Key::describe);
        Some(format!(
            "no profile lists the {shown}; add the person's profile, or map the id to a \
             subject with `--identities`"
        ))
    }
}

enum Step {
    Stay(Option<String>),
    Move(SubjectId, String),
}

fn account_keys(account: &Account) -> Vec<Key> {
    let mut keys = Vec::new();
    for value in account.id.iter().chain(&account.number) {
        let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
        let kind = if looks_like_iban(&compact) {
            IdentityType::Iban
        } else {
            IdentityType::Account
        };
        keys.extend(Key::new(kind, value));
    }
    keys.extend(
        account
            .holder
            .as_deref()
            .and_then(|h| Key::new(IdentityType::Holder, h)),
    );
    keys.extend(
        account
            .email
            .as_deref()
            .and_then(|e| Key::new(IdentityType::Email, e)),
    );
    keys.sort();
    keys.dedup();
    keys
}

/// Two letters, two check digits, then 11 to 30 letters or digits (ISO 13616). Masked
/// numbers (`****4821`) and plain account numbers fail it.
fn looks_like_iban(value: &str) -> bool {
    let bytes = value.as_bytes();
    (15..=34).contains(&bytes.len())
        && bytes[..2].iter().all(u8::is_ascii_alphabetic)
        && bytes[2..4].iter().all(u8::is_ascii_digit)
        && bytes[4..].iter().all(u8::is_ascii_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_model::parse_record;

    fn book(lines: &[&str]) -> IdentityBook {
        let mut book = IdentityBook::default();
        for line in lines {
            book.observe(&parse_record(line).unwrap().record);
        }
        book
    }

    fn sid(s: &str) -> SubjectId {
        s.parse().unwrap()
    }

    fn target(book: &IdentityBook, id: &str) -> String {
        let id = sid(id);
        book.resolve(&id).into_subject().unwrap_or(id).to_string()
    }

    const PROFILE: &str =
        r#"{"kind":"subject","id":"c-1","name":"Dan Park","emails":["Dan.Park@Example.com"]}"#;

    #[test]
    fn a_login_named_by_an_email_the_profile_lists_is_the_profiles() {
        let book = book(&[PROFILE]);
        assert_eq!(target(&book, "dan.park@example.com"), "c-1");
        let Resolution::Merged { why, .. } = book.resolve(&sid("DAN.PARK@example.com")) else {
            panic!("not merged");
        };
        assert!(
            why.contains("e-mail dan.park@example.com, listed in the profile of c-1"),
            "{why}"
        );
    }

    #[test]
    fn a_payee_named_by_an_iban_or_holder_follows_the_payout_account() {
        let book = book(&[
            PROFILE,
            r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{"id":"acct-51","holder":"Daniel  Park","number":"CH93 0076 2011 6238 5295 7"}}"#,
        ]);
        assert_eq!(target(&book, "iban:CH9300762011623852957"), "c-1");
        assert_eq!(target(&book, "name:DANIEL PARK"), "c-1");
        assert_eq!(target(&book, "account:acct-51"), "c-1");
        // A masked number is not an IBAN, and another account is nobody's.
        assert_eq!(
            target(&book, "iban:DE89370400440532013000"),
            "iban:DE89370400440532013000"
        );
    }

    #[test]
    fn an_id_two_profiles_claim_stays_apart_and_says_why() {
        // A household sharing one e-mail: LINK reports the sharing; neither gets the
        // other's logins.
        let book = book(&[
            PROFILE,
            r#"{"kind":"subject","id":"c-2","name":"Mina Park","emails":["dan.park@example.com"]}"#,
        ]);
        let id = sid("dan.park@example.com");
        let Resolution::Itself { note: Some(note) } = book.resolve(&id) else {
            panic!("merged");
        };
        assert!(
            note.contains("listed by several subjects (c-1, c-2)"),
            "{note}"
        );
    }

    #[test]
    fn a_declared_identity_outranks_a_profile_claim() {
        let book = book(&[
            PROFILE,
            r#"{"kind":"subject","id":"c-2","emails":["shared@example.com"]}"#,
            r#"{"kind":"subject","id":"c-3","emails":["shared@example.com"]}"#,
            r#"{"kind":"identity","subject":"c-3","type":"email","value":"shared@example.com"}"#,
            r#"{"kind":"identity","subject":"c-1","type":"user_id","value":"00u1abc"}"#,
        ]);
        assert_eq!(target(&book, "shared@example.com"), "c-3");
        assert_eq!(target(&book, "00u1abc"), "c-1");
        // User ids compare exactly.
        assert_eq!(target(&book, "00U1ABC"), "00U1ABC");
    }

    #[test]
    fn an_unknown_id_is_unmatched_and_a_profiled_one_is_itself() {
        let book = book(&[PROFILE]);
        let Resolution::Itself { note: Some(note) } = book.resolve(&sid("someone@else.org")) else {
            panic!("expected an unmatched note");
        };
        assert!(note.starts_with("no profile lists the e-mail someone@else.org"));
        assert_eq!(book.resolve(&sid("c-1")), Resolution::Itself { note: None });
    }

    #[test]
    fn exports_do_not_attach_to_each_other_and_loops_stop() {
        // Two vendor payees naming one account: neither has a profile, so neither claims.
        let book = book(&[
            r#"{"kind":"payout_account","subject":"iban:CH9300762011623852957","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{"holder":"Corp B"}}"#,
        ]);
        assert_eq!(target(&book, "name:Corp B"), "name:Corp B");
        // Two profiles filed under each other's e-mail.
        let book = book_loop();
        let id = sid("a@example.com");
        assert!(
            matches!(book.resolve(&id), Resolution::Itself { note: Some(n) } if n.contains("claim one another"))
        );
    }

    fn book_loop() -> IdentityBook {
        book(&[
            r#"{"kind":"subject","id":"a@example.com","emails":["b@example.com"]}"#,
            r#"{"kind":"subject","id":"b@example.com","emails":["a@example.com"]}"#,
        ])
    }

    #[test]
    fn a_login_joins_the_subject_its_providers_user_id_is_declared_for() {
        let book = book(&[
            PROFILE,
            r#"{"kind":"identity","subject":"c-1","type":"user_id","value":"8a4de8b5"}"#,
            r#"{"kind":"login","subject":"c3813493-bf92","at":"2026-03-05T01:12:44Z","ip":"203.0.113.7","vendor_user":{"id":"8a4de8b5","name":"Test"}}"#,
        ]);
        assert_eq!(target(&book, "c3813493-bf92"), "c-1");
    }

    #[test]
    fn a_resume_filed_under_an_email_joins_the_profile_that_lists_it() {
        let book = book(&[
            PROFILE,
            r#"{"kind":"subject","id":"dan.park@example.com","name":"Daniel Park","emails":["dan.park@example.com"]}"#,
        ]);
        assert_eq!(target(&book, "dan.park@example.com"), "c-1");
    }
}

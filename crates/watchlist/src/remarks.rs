//! Facts inside OFAC's free-text remarks.
//!
//! The legacy SDN CSV has no columns for dates of birth, nationalities, wallets, e-mail
//! addresses or weak aliases: OFAC writes them into the remarks as `; `-separated facts
//! ("DOB 15 Aug 1984; alt. DOB 18 Oct 1984; nationality Korea, North; Digital Currency
//! Address - ETH 0x…; a.k.a. 'HIDDEN COBRA'."). Screening needs them as fields.

use crate::country::{country_code, normalise_country};
use crate::dates::normalise_date;
use crate::model::{AliasQuality, AliasType, Entity, Identifier, push_unique};

/// Fact prefixes that name an identity document or registration number: the number
/// follows, and an issuing country may close it in parentheses.
const IDENTIFIERS: &[&str] = &[
    "Passport",
    "Diplomatic Passport",
    "National ID No.",
    "Identification Number",
    "Tax ID No.",
    "Registration Number",
    "Registration ID",
    "Business Registration Number",
    "Company Number",
    "Legal Entity Number",
    "SWIFT/BIC",
    "Cedula No.",
    "Residency Number",
    "Travel Document Number",
    "Personal ID Card",
    "Driver's License No.",
    "Birth Certificate Number",
    "Vessel Registration Identification",
    "Aircraft Manufacturer's Serial Number (MSN)",
    "Trade License No.",
    "Stateless Person Passport",
];
use crate::wallet::listed_wallet;

/// Reads the facts of `remarks` into `entity`. When `last_may_be_cut` is set the remarks
/// stop at OFAC's length limit with no continuation, so the final fact may be a prefix
/// of the real one (half a wallet address) and is not read.
pub(crate) fn apply(entity: &mut Entity, remarks: &str, last_may_be_cut: bool) {
    let text = remarks.trim();
    let mut facts: Vec<&str> = text.split("; ").collect();
    if last_may_be_cut {
        facts.pop();
    } else if let Some(last) = facts.last_mut() {
        // The remarks end with a full stop that belongs to no fact.
        *last = last.strip_suffix('.').unwrap_or(last);
    }
    for fact in facts {
        read_fact(entity, fact.trim());
    }
}

fn read_fact(entity: &mut Entity, fact: &str) {
    let fact = fact.strip_prefix("alt. ").unwrap_or(fact).trim();
    if let Some(rest) = fact.strip_prefix("Digital Currency Address - ") {
        let mut words = rest.split_whitespace();
        if let (Some(currency), Some(address)) = (words.next(), words.next()) {
            let address = address.trim_end_matches(['.', ',', ';']);
            entity.add_wallet(listed_wallet(Some(currency), address));
        }
    } else if let Some(dob) = fact.strip_prefix("DOB ") {
        push_unique(&mut entity.dates_of_birth, &normalise_date(dob));
    } else if let Some(place) = fact.strip_prefix("POB ") {
        // A place of birth ends with its country ("Pyongyang, Korea, North"); try the
        // longest recognised tail so two-part names like "Korea, North" are found.
        if let Some(code) = trailing_country(place) {
            push_unique(&mut entity.countries, code);
        }
    } else if let Some(country) = fact
        .strip_prefix("nationality ")
        .or_else(|| fact.strip_prefix("citizen "))
    {
        push_unique(&mut entity.nationalities, &normalise_country(country));
    } else if let Some(id) = identifier(fact) {
        if !entity.identifiers.contains(&id) {
            entity.identifiers.push(id);
        }
    } else if let Some(email) = fact.strip_prefix("Email Address ") {
        push_unique(&mut entity.emails, email.trim_end_matches('.'));
    } else if let Some(site) = fact.strip_prefix("Website ") {
        push_unique(&mut entity.websites, site.trim_end_matches('.'));
    } else if let Some(phone) = fact
        .strip_prefix("Phone Number ")
        .or_else(|| fact.strip_prefix("Phone "))
    {
        push_unique(&mut entity.phones, phone);
    } else {
        for (prefix, alias_type) in [
            ("a.k.a. ", AliasType::Aka),
            ("f.k.a. ", AliasType::Fka),
            ("n.k.a. ", AliasType::Nka),
        ] {
            if let Some(name) = fact.strip_prefix(prefix) {
                // Quotes delimit the name; inner apostrophes ("O'BRIEN") stay.
                let name = name.trim();
                let name = name.strip_prefix('\'').unwrap_or(name);
                let name = name.strip_suffix('\'').unwrap_or(name);
                // Remarks carry the aliases OFAC calls weak; strong ones are in alt.csv.
                entity.add_alias(name, AliasQuality::Weak, alias_type);
            }
        }
    }
}

/// "Passport 563120356 (Korea, North)" → Passport, 563120356, Korea, North.
fn identifier(fact: &str) -> Option<Identifier> {
    let kind = IDENTIFIERS
        .iter()
        .filter(|k| {
            fact.strip_prefix(**k)
                .is_some_and(|rest| rest.starts_with(' '))
        })
        .max_by_key(|k| k.len())?;
    let rest = fact[kind.len()..].trim();
    let (number, country) = match rest.strip_suffix(')').and_then(|r| r.rsplit_once(" (")) {
        Some((number, country)) => (number.trim(), Some(country.trim().to_string())),
        None => (rest, None),
    };
    let number = number.split(';').next().unwrap_or(number).trim();
    (!number.is_empty()).then(|| Identifier {
        kind: (*kind).to_string(),
        number: number.to_string(),
        country,
    })
}

/// The country at the end of a place, trying the last one, two and three comma-separated
/// parts.
pub(crate) fn trailing_country(place: &str) -> Option<&'static str> {
    let parts: Vec<&str> = place.split(',').collect();
    (1..=parts.len().min(3))
        .rev()
        .find_map(|n| country_code(&parts[parts.len() - n..].join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityKind, ListId};

    fn entity() -> Entity {
        Entity::new(
            ListId::OfacSdn,
            "OFAC-1".into(),
            EntityKind::Person,
            "X".into(),
        )
    }

    #[test]
    fn facts_are_read_from_remarks() {
        let mut e = entity();
        apply(
            &mut e,
            "DOB 15 Aug 1984; alt. DOB 18 Oct 1984; POB Pyongyang, Korea, North; nationality Korea, North; \
             Gender Male; Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96; \
             alt. Digital Currency Address - XBT 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa; Email Address a@b.kp; \
             Website www.example.kp; Phone Number 8613314257947; Passport 563120356 (Korea, North); \
             SWIFT/BIC KKBCKPPY; a.k.a. 'O'NEIL'; f.k.a. 'OLD NAME'.",
            false,
        );
        assert_eq!(e.dates_of_birth, ["1984-08-15", "1984-10-18"]);
        assert_eq!(e.countries, ["KP"]);
        assert_eq!(e.nationalities, ["KP"]);
        assert_eq!(e.wallets.len(), 2);
        assert_eq!(e.wallets[0].chain, "evm");
        assert_eq!(e.wallets[1].chain, "bitcoin");
        assert_eq!(e.emails, ["a@b.kp"]);
        assert_eq!(e.websites, ["www.example.kp"]);
        assert_eq!(e.phones, ["8613314257947"]);
        assert_eq!(
            e.identifiers,
            [
                Identifier {
                    kind: "Passport".into(),
                    number: "563120356".into(),
                    country: Some("Korea, North".into())
                },
                Identifier {
                    kind: "SWIFT/BIC".into(),
                    number: "KKBCKPPY".into(),
                    country: None
                }
            ]
        );
        let names: Vec<_> = e
            .aliases
            .iter()
            .map(|a| (a.name.as_str(), a.alias_type, a.quality))
            .collect();
        assert_eq!(
            names,
            [
                ("O'NEIL", AliasType::Aka, AliasQuality::Weak),
                ("OLD NAME", AliasType::Fka, AliasQuality::Weak)
            ]
        );
    }

    #[test]
    fn a_cut_final_fact_is_not_read() {
        let mut e = entity();
        apply(
            &mut e,
            "Digital Currency Address - XBT 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa; Digital Currency Address - XBT 1A1zP1eP5QG",
            true,
        );
        assert_eq!(e.wallets.len(), 1);
        assert_eq!(e.wallets[0].valid, Some(true));
    }
}

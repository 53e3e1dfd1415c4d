//! OpenSanctions exports in FollowTheMoney form: one JSON entity per line,
//! `{"id", "schema", "properties": {"name": [...], ...}, "datasets": [...]}`.
//!
//! Parties (Person, Organization, Company, LegalEntity, PublicBody, Vessel, Airplane)
//! and CryptoWallet become entities. Relation schemas are read only for what they add
//! to a party: a Sanction's `program`, a CryptoWallet's `holder` (the wallet is also
//! attached to its holder, so a wallet hit names the person). Nested exports, where a
//! property holds entity objects instead of ids, are read the same way.

use std::collections::HashMap;
use std::io::BufRead;

use serde::Deserialize;
use serde_json::Value;

use crate::ListError;
use crate::country::normalise_country_or_code;
use crate::dates::normalise_date;
use crate::model::{
    AliasQuality, AliasType, Entity, EntityKind, ListId, ParseReport, ParsedList, clean,
    push_unique,
};
use crate::wallet::listed_wallet;

#[derive(Deserialize)]
struct Line {
    id: String,
    schema: String,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    properties: HashMap<String, Vec<Value>>,
}

/// Schemas that are links or details, not parties; their lines are read for what they
/// add to a party or skipped without a warning.
const RELATION_SCHEMAS: &[&str] = &[
    "Sanction",
    "Address",
    "Identification",
    "Passport",
    "Ownership",
    "Directorship",
    "Family",
    "Associate",
    "Membership",
    "Occupancy",
    "Employment",
    "Representation",
    "UnknownLink",
    "Position",
    "Note",
    "Succession",
    "Similar",
    "Debt",
    "Payment",
    "Article",
    "Document",
    "Event",
    "Mention",
];

fn kind(schema: &str) -> Option<EntityKind> {
    Some(match schema {
        "Person" => EntityKind::Person,
        "Organization" | "Company" | "LegalEntity" | "PublicBody" => EntityKind::Organization,
        "Vessel" => EntityKind::Vessel,
        "Airplane" => EntityKind::Aircraft,
        "CryptoWallet" => EntityKind::Wallet,
        s if RELATION_SCHEMAS.contains(&s) => return None,
        _ => EntityKind::Unknown,
    })
}

/// The string values of a property (ids of nested entities for object values).
fn strings<'a>(props: &'a HashMap<String, Vec<Value>>, name: &str) -> Vec<&'a str> {
    props
        .get(name)
        .map(|values| {
            values
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.as_str()),
                    Value::Object(o) => o.get("id").and_then(Value::as_str),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Nested entity objects held in a property (nested exports).
fn nested<'a>(
    props: &'a HashMap<String, Vec<Value>>,
    name: &str,
) -> Vec<&'a serde_json::Map<String, Value>> {
    props
        .get(name)
        .map(|values| values.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default()
}

fn nested_strings<'a>(object: &'a serde_json::Map<String, Value>, name: &str) -> Vec<&'a str> {
    object
        .get("properties")
        .and_then(|p| p.get(name))
        .and_then(Value::as_array)
        .map(|values| values.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Parses FollowTheMoney JSON lines as list `OS-<dataset>`. `source` names the file in
/// messages. A line that is not a valid entity is reported and skipped.
pub fn parse_ftm_jsonl<R: BufRead>(
    mut reader: R,
    dataset: &str,
    source: &str,
) -> Result<ParsedList, ListError> {
    let list = ListId::OpenSanctions(dataset.to_string());
    let mut report = ParseReport::default();
    let mut entities: Vec<Entity> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Read after all lines, since a link may come before the party it names.
    let mut programs: Vec<(String, String)> = Vec::new();
    let mut holders: Vec<(String, usize, usize)> = Vec::new();

    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(|e| {
            ListError::parse(
                source,
                format!("line {}", line_no + 1),
                "file",
                e.to_string(),
            )
        })?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let Ok(text) = std::str::from_utf8(&buf) else {
            report.warn(format!("{source} line {line_no}: not UTF-8; line skipped"));
            continue;
        };
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() {
            continue;
        }
        let line: Line = match serde_json::from_str(text) {
            Ok(line) => line,
            Err(e) => {
                report.warn(format!("{source} line {line_no}: {e}; line skipped"));
                continue;
            }
        };
        let props = &line.properties;
        if line.schema == "Sanction" {
            for entity in strings(props, "entity") {
                for program in strings(props, "program") {
                    programs.push((entity.to_string(), program.to_string()));
                }
            }
            continue;
        }
        let Some(kind) = kind(&line.schema) else {
            continue;
        };
        let names = strings(props, "name");
        let public_keys = strings(props, "publicKey");
        let caption = line.caption.as_deref().map(clean).filter(|c| !c.is_empty());
        let primary = caption
            .or_else(|| names.first().map(|n| clean(n)))
            .or_else(|| public_keys.first().map(|k| clean(k)))
            .filter(|n| !n.is_empty());
        let Some(primary) = primary else {
            report.warn(format!(
                "{source} line {line_no}: {} entity {:?} has no name (property name); skipped",
                line.schema, line.id
            ));
            continue;
        };
        if line.id.trim().is_empty() || index.contains_key(&line.id) {
            report.warn(format!(
                "{source} line {line_no}: id {:?} is empty or repeats an earlier line; skipped",
                line.id
            ));
            continue;
        }

        let mut e = Entity::new(list.clone(), line.id.clone(), kind, primary);
        for name in &names {
            e.add_alias(name, AliasQuality::Unknown, AliasType::Aka);
        }
        for (property, quality, alias_type) in [
            ("alias", AliasQuality::Strong, AliasType::Aka),
            ("weakAlias", AliasQuality::Weak, AliasType::Aka),
            ("previousName", AliasQuality::Unknown, AliasType::Fka),
        ] {
            for name in strings(props, property) {
                e.add_alias(name, quality, alias_type);
            }
        }
        for date in strings(props, "birthDate") {
            push_unique(&mut e.dates_of_birth, &normalise_date(date));
        }
        for property in ["nationality", "citizenship"] {
            for c in strings(props, property) {
                push_unique(&mut e.nationalities, &normalise_country_or_code(c));
            }
        }
        for property in [
            "country",
            "jurisdiction",
            "birthCountry",
            "flag",
            "mainCountry",
        ] {
            for c in strings(props, property) {
                push_unique(&mut e.countries, &normalise_country_or_code(c));
            }
        }
        for program in strings(props, "program") {
            push_unique(&mut e.programs, program);
        }
        for sanction in nested(props, "sanctions") {
            for program in nested_strings(sanction, "program") {
                push_unique(&mut e.programs, program);
            }
        }
        for (property, values) in [
            ("email", &mut e.emails),
            ("phone", &mut e.phones),
            ("website", &mut e.websites),
        ] {
            for v in strings(props, property) {
                push_unique(values, v);
            }
        }
        let currency = strings(props, "currency").first().map(|c| c.to_string());
        for key in &public_keys {
            e.add_wallet(listed_wallet(currency.as_deref(), key));
        }
        let notes = strings(props, "notes");
        if !notes.is_empty() {
            e.remarks = Some(clean(&notes.join(" ")));
        }
        if kind == EntityKind::Wallet {
            for holder in strings(props, "holder") {
                for w in 0..e.wallets.len() {
                    holders.push((holder.to_string(), entities.len(), w));
                }
            }
        }
        index.insert(line.id.clone(), entities.len());
        entities.push(e);
    }

    for (id, program) in programs {
        if let Some(&i) = index.get(&id) {
            push_unique(&mut entities[i].programs, &program);
        }
    }
    for (holder, wallet_entity, w) in holders {
        match index.get(&holder) {
            Some(&i) => {
                let wallet = entities[wallet_entity].wallets[w].clone();
                entities[i].add_wallet(wallet);
            }
            None => report.orphan(format!(
                "{source}: wallet {} names holder {holder}, not in the file",
                entities[wallet_entity].id
            )),
        }
    }
    Ok(ParsedList::new(list, None, entities, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_reported_and_skipped() {
        let text = "not json\n{\"id\":\"x\"}\n\n{\"id\":\"p\",\"schema\":\"Person\",\"properties\":{}}\n\
                    {\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n\
                    {\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"B\"]}}\n";
        let parsed = parse_ftm_jsonl(text.as_bytes(), "test", "t.jsonl").expect("parses");
        assert_eq!(parsed.entities.len(), 1);
        let w = &parsed.report.warnings;
        assert_eq!(w.len(), 4, "{w:?}");
        assert!(w[0].starts_with("t.jsonl line 1: expected"), "{}", w[0]);
        assert!(
            w[1].starts_with("t.jsonl line 2: missing field `schema`"),
            "{}",
            w[1]
        );
        assert!(
            w[2].starts_with("t.jsonl line 4: Person entity \"p\" has no name"),
            "{}",
            w[2]
        );
        assert!(w[3].starts_with("t.jsonl line 6: id \"a\""), "{}", w[3]);
    }
}

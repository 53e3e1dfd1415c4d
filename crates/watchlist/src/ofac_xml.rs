//! OFAC's SDN list as XML (`SDN.XML`): `<sdnList>` of `<sdnEntry>`, under the namespace
//! `https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML` or,
//! in older files, `http://tempuri.org/sdnList.xsd` (names are read without namespace).
//! Unlike the CSV, the XML gives dates of birth, nationalities, wallets (`idList`) and
//! weak aliases (`category` weak) as elements, so no remarks are mined here.

use std::io::BufRead;

use crate::ListError;
use crate::country::normalise_country;
use crate::dates::normalise_date;
use crate::model::{
    AliasQuality, AliasType, Entity, EntityKind, ListId, ParseReport, ParsedList, clean,
    push_unique,
};
use crate::remarks::trailing_country;
use crate::wallet::listed_wallet;
use crate::xml::{Visitor, walk};

/// Parses an SDN.XML document. `source` names it in messages.
pub fn parse_ofac_xml<R: BufRead>(reader: R, source: &str) -> Result<ParsedList, ListError> {
    let mut v = SdnVisitor {
        file: source,
        root_seen: false,
        published: None,
        entities: Vec::new(),
        report: ParseReport::default(),
        entry: None,
        aka: Aka::default(),
        id: Id::default(),
    };
    walk(reader, source, &mut v)?;
    if !v.root_seen {
        return Err(ListError::parse(
            source,
            "line 1",
            "root element",
            "the document is empty",
        ));
    }
    Ok(ParsedList::new(
        ListId::OfacSdn,
        v.published,
        v.entities,
        v.report,
    ))
}

struct Entry {
    line: usize,
    uid: String,
    first: String,
    last: String,
    sdn_type: String,
    entity: Entity,
}

#[derive(Default)]
struct Aka {
    alias_type: String,
    category: String,
    first: String,
    last: String,
}

#[derive(Default)]
struct Id {
    id_type: String,
    number: String,
    country: String,
}

struct SdnVisitor<'a> {
    file: &'a str,
    root_seen: bool,
    published: Option<String>,
    entities: Vec<Entity>,
    report: ParseReport,
    entry: Option<Entry>,
    aka: Aka,
    id: Id,
}

/// "LAST, First" as the CSV writes it, or the last name alone (organisations).
fn full_name(first: &str, last: &str) -> String {
    match (clean(first), clean(last)) {
        (f, l) if f.is_empty() => l,
        (f, l) if l.is_empty() => f,
        (f, l) => format!("{l}, {f}"),
    }
}

/// `MM/DD/YYYY` → `YYYY-MM-DD`; anything else as given.
fn us_date(text: &str) -> String {
    let parts: Vec<&str> = text.trim().split('/').collect();
    match parts.as_slice() {
        [m, d, y] if m.len() == 2 && d.len() == 2 && y.len() == 4 => format!("{y}-{m}-{d}"),
        _ => clean(text),
    }
}

impl Visitor for SdnVisitor<'_> {
    fn open(
        &mut self,
        path: &[String],
        _: &[(String, String)],
        line: usize,
    ) -> Result<(), ListError> {
        let names: Vec<&str> = path.iter().map(String::as_str).collect();
        match names.as_slice() {
            [root] => {
                if *root != "sdnList" {
                    return Err(ListError::parse(
                        self.file,
                        format!("line {line}"),
                        "root element",
                        format!("expected <sdnList> (OFAC SDN.XML), found <{root}>"),
                    ));
                }
                self.root_seen = true;
            }
            [_, "sdnEntry"] => {
                self.entry = Some(Entry {
                    line,
                    uid: String::new(),
                    first: String::new(),
                    last: String::new(),
                    sdn_type: String::new(),
                    entity: Entity::new(
                        ListId::OfacSdn,
                        String::new(),
                        EntityKind::Unknown,
                        String::new(),
                    ),
                });
            }
            [_, "sdnEntry", "akaList", "aka"] => self.aka = Aka::default(),
            [_, "sdnEntry", "idList", "id"] => self.id = Id::default(),
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, path: &[String], text: &str, line: usize) -> Result<(), ListError> {
        let names: Vec<&str> = path.iter().map(String::as_str).collect();
        if let [_, "publshInformation", "Publish_Date"] = names.as_slice() {
            self.published = Some(us_date(text)).filter(|d| !d.is_empty());
            return Ok(());
        }
        if let [_, "sdnEntry"] = names.as_slice() {
            if let Some(entry) = self.entry.take() {
                self.finish(entry, line);
            }
            return Ok(());
        }
        let Some(entry) = self.entry.as_mut() else {
            return Ok(());
        };
        let e = &mut entry.entity;
        match names.as_slice() {
            [_, "sdnEntry", "uid"] => entry.uid = clean(text),
            [_, "sdnEntry", "firstName"] => entry.first = text.to_string(),
            [_, "sdnEntry", "lastName"] => entry.last = text.to_string(),
            [_, "sdnEntry", "sdnType"] => entry.sdn_type = clean(text),
            [_, "sdnEntry", "remarks"] => e.remarks = Some(clean(text)).filter(|r| !r.is_empty()),
            [_, "sdnEntry", "programList", "program"] => push_unique(&mut e.programs, text),
            [_, "sdnEntry", "akaList", "aka", "type"] => self.aka.alias_type = clean(text),
            [_, "sdnEntry", "akaList", "aka", "category"] => self.aka.category = clean(text),
            [_, "sdnEntry", "akaList", "aka", "firstName"] => self.aka.first = text.to_string(),
            [_, "sdnEntry", "akaList", "aka", "lastName"] => self.aka.last = text.to_string(),
            [_, "sdnEntry", "akaList", "aka"] => {
                let quality = match self.aka.category.to_ascii_lowercase().as_str() {
                    "strong" => AliasQuality::Strong,
                    "weak" => AliasQuality::Weak,
                    _ => AliasQuality::Unknown,
                };
                let alias_type = match self.aka.alias_type.to_ascii_lowercase().as_str() {
                    "f.k.a." => AliasType::Fka,
                    "n.k.a." => AliasType::Nka,
                    _ => AliasType::Aka,
                };
                e.add_alias(
                    &full_name(&self.aka.first, &self.aka.last),
                    quality,
                    alias_type,
                );
            }
            [_, "sdnEntry", "idList", "id", "idType"] => self.id.id_type = clean(text),
            [_, "sdnEntry", "idList", "id", "idNumber"] => self.id.number = clean(text),
            [_, "sdnEntry", "idList", "id", "idCountry"] => self.id.country = clean(text),
            [_, "sdnEntry", "idList", "id"] => {
                let (id_type, number) = (self.id.id_type.as_str(), self.id.number.as_str());
                if number.is_empty() {
                    return Ok(());
                }
                if let Some(currency) = id_type.strip_prefix("Digital Currency Address - ") {
                    e.add_wallet(listed_wallet(Some(currency), number));
                } else if id_type == "Email Address" {
                    push_unique(&mut e.emails, number);
                } else if id_type == "Website" {
                    push_unique(&mut e.websites, number);
                } else if id_type.starts_with("Phone") {
                    push_unique(&mut e.phones, number);
                } else {
                    let id = crate::model::Identifier {
                        kind: id_type.to_string(),
                        number: number.to_string(),
                        country: Some(self.id.country.clone()).filter(|c| !c.is_empty()),
                    };
                    if !e.identifiers.contains(&id) {
                        e.identifiers.push(id);
                    }
                }
            }
            [_, "sdnEntry", "nationalityList", "nationality", "country"]
            | [_, "sdnEntry", "citizenshipList", "citizenship", "country"] => {
                push_unique(&mut e.nationalities, &normalise_country(text));
            }
            [
                _,
                "sdnEntry",
                "dateOfBirthList",
                "dateOfBirthItem",
                "dateOfBirth",
            ] => {
                push_unique(&mut e.dates_of_birth, &normalise_date(text));
            }
            [
                _,
                "sdnEntry",
                "placeOfBirthList",
                "placeOfBirthItem",
                "placeOfBirth",
            ] => {
                if let Some(code) = trailing_country(text) {
                    push_unique(&mut e.countries, code);
                }
            }
            [_, "sdnEntry", "addressList", "address", "country"]
            | [_, "sdnEntry", "vesselInfo", "vesselFlag"] => {
                push_unique(&mut e.countries, &normalise_country(text));
            }
            _ => {}
        }
        Ok(())
    }
}

impl SdnVisitor<'_> {
    fn finish(&mut self, entry: Entry, line: usize) {
        let Entry {
            line: start,
            uid,
            first,
            last,
            sdn_type,
            mut entity,
        } = entry;
        let file = self.file;
        if uid.is_empty() {
            self.report.warn(format!(
                "{file} line {start}: sdnEntry has no uid; entry skipped"
            ));
            return;
        }
        let name = full_name(&first, &last);
        if name.is_empty() {
            self.report.warn(format!(
                "{file} line {start}: sdnEntry uid {uid} has no lastName; entry skipped"
            ));
            return;
        }
        entity.id = format!("OFAC-{uid}");
        entity.reference = Some(format!("SDN entry {uid}"));
        entity.primary_name = name.clone();
        entity.kind = match sdn_type.to_ascii_lowercase().as_str() {
            "individual" => EntityKind::Person,
            "entity" => EntityKind::Organization,
            "vessel" => EntityKind::Vessel,
            "aircraft" => EntityKind::Aircraft,
            other => {
                self.report.warn(format!(
                    "{file} line {line}: sdnType {other:?} of uid {uid} is unknown; kept as unknown kind"
                ));
                EntityKind::Unknown
            }
        };
        // An alias equal to the primary name adds nothing (the entity was built before
        // its name was known).
        entity.aliases.retain(|a| a.name != name);
        self.entities.push(entity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_names() {
        assert_eq!(us_date("06/22/2026"), "2026-06-22");
        assert_eq!(us_date("2026-06-22"), "2026-06-22");
        assert_eq!(full_name(" Jin  Hyok", "PARK"), "PARK, Jin Hyok");
        assert_eq!(full_name("", "LAZARUS GROUP"), "LAZARUS GROUP");
    }

    #[test]
    fn a_wrong_root_is_refused() {
        let err = parse_ofac_xml(&b"<CONSOLIDATED_LIST/>"[..], "x.xml").expect_err("wrong root");
        assert!(err.to_string().contains("expected <sdnList>"), "{err}");
        let err = parse_ofac_xml(&b""[..], "x.xml").expect_err("empty");
        assert!(err.to_string().contains("empty"), "{err}");
    }
}

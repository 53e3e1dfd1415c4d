//! Canada's Consolidated Autonomous Sanctions List (`sema-lmes.xml`): `<data-set>` of
//! `<record>` with Country (the regulation: a country, or JVCFOR), LastName + GivenName
//! or Entity, Aliases (one comma-separated string), DateOfBirth, Schedule and Item.
//! Newer files name some elements EntityOrShip, TitleOrShip, ShipIMONumber,
//! DateOfBirthOrShipBuildDate; elements this parser does not know are ignored.
//!
//! Schedule and Item number an entry within one regulation, so the id carries the
//! regulation too (`CA-MM-1-1`: Burma regulations, Schedule 1, Item 1); Schedule and Item
//! alone repeat across the country regulations.

use std::collections::HashMap;
use std::io::BufRead;

use crate::ListError;
use crate::country::country_code;
use crate::dates::normalise_date;
use crate::model::{
    AliasQuality, AliasType, Entity, EntityKind, ListId, ParseReport, ParsedList, clean,
    push_unique,
};
use crate::xml::{Visitor, walk};

/// Parses a Canadian consolidated list document. `source` names it in messages.
pub fn parse_canada_xml<R: BufRead>(reader: R, source: &str) -> Result<ParsedList, ListError> {
    let mut v = CanadaVisitor {
        file: source,
        root_seen: false,
        entities: Vec::new(),
        report: ParseReport::default(),
        record: None,
        ids: HashMap::new(),
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
    Ok(ParsedList::new(ListId::Canada, None, v.entities, v.report))
}

#[derive(Default)]
struct Record {
    line: usize,
    fields: HashMap<&'static str, String>,
}

/// The elements read, with the newer names mapped to the older ones.
fn field(element: &str) -> Option<&'static str> {
    Some(match element {
        "Country" => "Country",
        "LastName" => "LastName",
        "GivenName" => "GivenName",
        "Entity" | "EntityOrShip" => "Entity",
        "Title" | "TitleOrShip" => "Title",
        "ShipIMONumber" => "ShipIMONumber",
        "DateOfBirth" | "DateOfBirthOrShipBuildDate" => "DateOfBirth",
        "Aliases" => "Aliases",
        "Schedule" => "Schedule",
        "Item" => "Item",
        "DateOfListing" => "DateOfListing",
        _ => return None,
    })
}

struct CanadaVisitor<'a> {
    file: &'a str,
    root_seen: bool,
    entities: Vec<Entity>,
    report: ParseReport,
    record: Option<Record>,
    /// Ids given so far, to make a repeated Schedule/Item unique rather than lose an entry.
    ids: HashMap<String, usize>,
}

impl Visitor for CanadaVisitor<'_> {
    fn open(
        &mut self,
        path: &[String],
        _: &[(String, String)],
        line: usize,
    ) -> Result<(), ListError> {
        match path {
            [root] => {
                if root != "data-set" {
                    return Err(ListError::parse(
                        self.file,
                        format!("line {line}"),
                        "root element",
                        format!(
                            "expected <data-set> (Canada's consolidated autonomous sanctions list), found <{root}>"
                        ),
                    ));
                }
                self.root_seen = true;
            }
            [_, record] if record == "record" => {
                self.record = Some(Record {
                    line,
                    ..Record::default()
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, path: &[String], text: &str, _line: usize) -> Result<(), ListError> {
        match path {
            [_, record] if record == "record" => {
                if let Some(record) = self.record.take() {
                    self.finish(record);
                }
            }
            [_, record, element] if record == "record" => {
                if let (Some(r), Some(name)) = (self.record.as_mut(), field(element)) {
                    let value = clean(text);
                    if !value.is_empty() {
                        r.fields.insert(name, value);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// A short code for the regulation: the country's ISO code, else an acronym in
/// parentheses ("… Regulations (JVCFOR)"), else the letters of the English name.
fn regime_code(country: &str) -> String {
    if let Some(code) = country_code(country) {
        return code.to_string();
    }
    let english = country.split(" / ").next().unwrap_or(country);
    if let Some((_, rest)) = english.split_once('(')
        && let Some((acronym, _)) = rest.split_once(')')
        && !acronym.is_empty()
        && acronym.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return acronym.to_string();
    }
    let letters: String = english
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(20)
        .collect();
    if letters.is_empty() {
        "XX".to_string()
    } else {
        letters
    }
}

/// Schedule "1, Part 2" → "1PART2"; "N/A" or none → "NA" (a regulation without
/// schedules numbers its items once, and later files drop the "N/A").
fn schedule_code(schedule: Option<&String>) -> String {
    let code: String = schedule
        .map(|s| {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect()
        })
        .unwrap_or_default();
    if code.is_empty() {
        "NA".to_string()
    } else {
        code
    }
}

/// Legal-form words that follow a comma inside one company name ("Htoo Co., Ltd."), so a
/// comma before them does not separate two aliases.
const LEGAL_SUFFIXES: &[&str] = &[
    "ltd",
    "ltd.",
    "limited",
    "inc",
    "inc.",
    "llc",
    "l.l.c.",
    "co",
    "co.",
    "corp",
    "corp.",
    "s.a.",
    "sa",
    "s.a",
    "jsc",
    "pjsc",
    "ojsc",
    "cjsc",
    "llp",
    "plc",
    "gmbh",
    "ag",
    "bv",
    "b.v.",
    "s.a.l.",
    "s.l.",
    "pte. ltd.",
    "pte ltd",
    "fze",
    "fzco",
    "fzc",
    "s.r.l.",
    "srl",
];

fn split_aliases(aliases: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in aliases.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(previous) if LEGAL_SUFFIXES.contains(&part.to_ascii_lowercase().as_str()) => {
                previous.push_str(", ");
                previous.push_str(part);
            }
            _ => out.push(part.to_string()),
        }
    }
    out
}

impl CanadaVisitor<'_> {
    fn finish(&mut self, mut r: Record) {
        let file = self.file;
        let mut take = |k: &str| r.fields.remove(k);
        let (country, last, given, entity_name) = (
            take("Country"),
            take("LastName"),
            take("GivenName"),
            take("Entity"),
        );
        let (title, imo, dob, aliases) = (
            take("Title"),
            take("ShipIMONumber"),
            take("DateOfBirth"),
            take("Aliases"),
        );
        let (schedule, item, listed) = (take("Schedule"), take("Item"), take("DateOfListing"));

        let (kind, name) = match (&entity_name, &last, &given) {
            (Some(entity), _, _) => {
                let kind = if imo.is_some() {
                    EntityKind::Vessel
                } else {
                    EntityKind::Organization
                };
                (kind, entity.clone())
            }
            (None, Some(last), Some(given)) => (EntityKind::Person, format!("{last}, {given}")),
            (None, Some(one), None) | (None, None, Some(one)) => (EntityKind::Person, one.clone()),
            (None, None, None) => {
                self.report.warn(format!(
                    "{file} line {}: record has neither Entity nor LastName/GivenName; skipped",
                    r.line
                ));
                return;
            }
        };
        let Some(item) = item else {
            self.report.warn(format!(
                "{file} line {}: Item of {name:?} is missing; record skipped",
                r.line
            ));
            return;
        };
        let regime = country
            .as_deref()
            .map(regime_code)
            .unwrap_or_else(|| "XX".to_string());
        let mut id = format!("CA-{regime}-{}-{item}", schedule_code(schedule.as_ref()));
        let seen = self.ids.entry(id.clone()).or_insert(0);
        *seen += 1;
        if *seen > 1 {
            self.report.warn(format!(
                "{file} line {}: id {id} repeats an earlier record; this one is {id}-{seen}",
                r.line
            ));
            id = format!("{id}-{seen}");
        }

        let mut entity = Entity::new(ListId::Canada, id, kind, name);
        entity.reference = Some(match &schedule {
            Some(schedule) => format!("Schedule {schedule}, item {item}"),
            None => format!("item {item}"),
        });
        if let Some(country) = &country {
            let english = clean(country.split(" / ").next().unwrap_or(country));
            push_unique(&mut entity.programs, &english);
            if let Some(code) = country_code(country) {
                push_unique(&mut entity.countries, code);
            }
        }
        for alias in aliases.as_deref().map(split_aliases).unwrap_or_default() {
            entity.add_alias(&alias, AliasQuality::Unknown, AliasType::Aka);
        }
        if kind == EntityKind::Person {
            for date in dob.as_deref().unwrap_or_default().split(" or ") {
                if !date.trim().is_empty() {
                    push_unique(&mut entity.dates_of_birth, &normalise_date(date));
                }
            }
        }
        let mut remarks = Vec::new();
        if let Some(title) = title {
            remarks.push(format!("Title: {title}"));
        }
        if let Some(imo) = imo {
            remarks.push(format!("IMO {imo}"));
        }
        if let Some(listed) = listed {
            remarks.push(format!("listed on {listed}"));
        }
        entity.remarks = Some(remarks.join("; ")).filter(|s| !s.is_empty());
        self.entities.push(entity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_split_on_commas_but_not_inside_company_names() {
        assert_eq!(
            split_aliases("Air Bagan Holdings Pte. Ltd., Air Bagan Limited"),
            ["Air Bagan Holdings Pte. Ltd.", "Air Bagan Limited"]
        );
        assert_eq!(
            split_aliases("Htoo Co., Ltd., Htoo Wood"),
            ["Htoo Co., Ltd.", "Htoo Wood"]
        );
        assert_eq!(split_aliases(" , A,, B "), ["A", "B"]);
    }

    #[test]
    fn regimes_and_schedules_make_ids() {
        assert_eq!(regime_code("Burma / Birmanie"), "MM");
        assert_eq!(
            regime_code(
                "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / \u{a0}Règlement (RJVDEC)"
            ),
            "JVCFOR"
        );
        assert_eq!(regime_code("Moon Base"), "MOONBASE");
        assert_eq!(schedule_code(Some(&"1, Part 2".to_string())), "1PART2");
        assert_eq!(schedule_code(Some(&"N/A".to_string())), "NA");
        assert_eq!(schedule_code(None), "NA");
    }

    #[test]
    fn newer_element_names_and_ships_are_read() {
        let xml = "<data-set><record><Country>Russia / Russie</Country><EntityOrShip>SHIP ONE</EntityOrShip>\
                   <ShipIMONumber>9123456</ShipIMONumber><Schedule>1, Part 2</Schedule><Item>5</Item>\
                   <DateOfListing>2025-01-01</DateOfListing><Unknown>x</Unknown></record>\
                   <record><Country>Iran</Country><LastName>DOE</LastName><GivenName>John&#160;</GivenName>\
                   <DateOfBirthOrShipBuildDate>1972-08-10 or 1972-08-11</DateOfBirthOrShipBuildDate><Schedule>1</Schedule><Item>3</Item></record>\
                   <record><Country>Iran</Country><LastName>ROE</LastName><Schedule>1</Schedule><Item>3</Item></record>\
                   <record><Country>Iran</Country></record></data-set>";
        let parsed = parse_canada_xml(xml.as_bytes(), "sema-lmes.xml").expect("parses");
        let ids: Vec<_> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["CA-RU-1PART2-5", "CA-IR-1-3", "CA-IR-1-3-2"]);
        assert_eq!(parsed.entities[0].kind, EntityKind::Vessel);
        assert_eq!(
            parsed.entities[0].remarks.as_deref(),
            Some("IMO 9123456; listed on 2025-01-01")
        );
        assert_eq!(parsed.entities[1].primary_name, "DOE, John");
        assert_eq!(
            parsed.entities[1].dates_of_birth,
            ["1972-08-10", "1972-08-11"]
        );
        assert_eq!(parsed.entities[1].programs, ["Iran"]);
        assert_eq!(
            parsed.report.warning_count, 2,
            "{:?}",
            parsed.report.warnings
        );
    }
}

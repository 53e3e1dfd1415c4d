//! The UN Security Council Consolidated List (`consolidated.xml`):
//! `<CONSOLIDATED_LIST dateGenerated="…">` with `INDIVIDUALS/INDIVIDUAL` and
//! `ENTITIES/ENTITY`. DPRK designations (1718 Committee) carry `UN_LIST_TYPE` DPRK.

use std::io::BufRead;

use crate::ListError;
use crate::country::normalise_country;
use crate::dates::normalise_date;
use crate::model::{
    AliasQuality, AliasType, Entity, EntityKind, ListId, ParseReport, ParsedList, clean,
    push_unique,
};
use crate::xml::{Visitor, walk};

/// Parses a UN consolidated list document. `source` names it in messages.
pub fn parse_un_xml<R: BufRead>(reader: R, source: &str) -> Result<ParsedList, ListError> {
    let mut v = UnVisitor {
        file: source,
        root_seen: false,
        published: None,
        entities: Vec::new(),
        report: ParseReport::default(),
        record: None,
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
        ListId::Un,
        v.published,
        v.entities,
        v.report,
    ))
}

#[derive(Default)]
struct Record {
    line: usize,
    data_id: String,
    names: [String; 4],
    reference: String,
    listed_on: String,
    comments: String,
    alias: (String, String),
    /// The document being read: type, number, issuing country.
    document: (String, String, String),
    dob: Dob,
    entity: Option<Entity>,
}

#[derive(Default)]
struct Dob {
    kind: String,
    date: String,
    year: String,
    from: String,
    to: String,
    note: String,
}

impl Dob {
    /// The date in the crate's notation; `None` when the element was empty.
    fn normalised(&self) -> Option<String> {
        let approx = self.kind.eq_ignore_ascii_case("APPROXIMATELY");
        let value = if !self.from.is_empty() && !self.to.is_empty() {
            format!(
                "{}/{}",
                normalise_date(&self.from),
                normalise_date(&self.to)
            )
        } else if !self.date.is_empty() {
            normalise_date(&self.date)
        } else if !self.year.is_empty() {
            normalise_date(&self.year)
        } else if !self.note.is_empty() {
            normalise_date(&self.note)
        } else {
            return None;
        };
        Some(if approx && !value.ends_with('~') && !value.contains('/') {
            format!("{value}~")
        } else {
            value
        })
    }
}

/// `2026-02-27T00:00:09.554Z` → `2026-02-27`; other text as given.
fn date_part(timestamp: &str) -> String {
    let t = timestamp.trim();
    match t.get(..10) {
        Some(date)
            if date.as_bytes().get(4) == Some(&b'-') && date.as_bytes().get(7) == Some(&b'-') =>
        {
            date.to_string()
        }
        _ => t.to_string(),
    }
}

struct UnVisitor<'a> {
    file: &'a str,
    root_seen: bool,
    published: Option<String>,
    entities: Vec<Entity>,
    report: ParseReport,
    record: Option<Record>,
}

impl Visitor for UnVisitor<'_> {
    fn open(
        &mut self,
        path: &[String],
        attributes: &[(String, String)],
        line: usize,
    ) -> Result<(), ListError> {
        let names: Vec<&str> = path.iter().map(String::as_str).collect();
        match names.as_slice() {
            [root] => {
                if *root != "CONSOLIDATED_LIST" {
                    return Err(ListError::parse(
                        self.file,
                        format!("line {line}"),
                        "root element",
                        format!(
                            "expected <CONSOLIDATED_LIST> (UN consolidated list), found <{root}>"
                        ),
                    ));
                }
                self.root_seen = true;
                // dateGenerated is a timestamp; the publication date is its date part.
                self.published = attributes
                    .iter()
                    .find(|(k, _)| k == "dateGenerated")
                    .map(|(_, v)| date_part(v));
            }
            [_, "INDIVIDUALS", "INDIVIDUAL"] | [_, "ENTITIES", "ENTITY"] => {
                let kind = if names[2] == "INDIVIDUAL" {
                    EntityKind::Person
                } else {
                    EntityKind::Organization
                };
                self.record = Some(Record {
                    line,
                    entity: Some(Entity::new(ListId::Un, String::new(), kind, String::new())),
                    ..Record::default()
                });
            }
            [_, _, _, "INDIVIDUAL_ALIAS" | "ENTITY_ALIAS"] => {
                if let Some(r) = self.record.as_mut() {
                    r.alias = Default::default();
                }
            }
            [_, _, _, "INDIVIDUAL_DATE_OF_BIRTH"] => {
                if let Some(r) = self.record.as_mut() {
                    r.dob = Dob::default();
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, path: &[String], text: &str, _line: usize) -> Result<(), ListError> {
        let names: Vec<&str> = path.iter().map(String::as_str).collect();
        if let [_, "INDIVIDUALS", "INDIVIDUAL"] | [_, "ENTITIES", "ENTITY"] = names.as_slice() {
            if let Some(record) = self.record.take() {
                self.finish(record);
            }
            return Ok(());
        }
        let Some(r) = self.record.as_mut() else {
            return Ok(());
        };
        let Some(e) = r.entity.as_mut() else {
            return Ok(());
        };
        let t = clean(text);
        // Inside a record every path is at least root/INDIVIDUALS/INDIVIDUAL.
        match names.get(3..).unwrap_or_default() {
            ["DATAID"] => r.data_id = t,
            ["FIRST_NAME"] => r.names[0] = t,
            ["SECOND_NAME"] => r.names[1] = t,
            ["THIRD_NAME"] => r.names[2] = t,
            ["FOURTH_NAME"] => r.names[3] = t,
            ["UN_LIST_TYPE"] => push_unique(&mut e.programs, &t),
            ["REFERENCE_NUMBER"] => r.reference = t,
            ["LISTED_ON"] => r.listed_on = t,
            ["COMMENTS1"] => r.comments = t,
            ["NAME_ORIGINAL_SCRIPT"] => {
                e.add_alias(&t, AliasQuality::Strong, AliasType::OriginalScript);
            }
            ["NATIONALITY", "VALUE"] => push_unique(&mut e.nationalities, &normalise_country(&t)),
            ["INDIVIDUAL_ALIAS" | "ENTITY_ALIAS", "QUALITY"] => r.alias.0 = t,
            ["INDIVIDUAL_ALIAS" | "ENTITY_ALIAS", "ALIAS_NAME"] => r.alias.1 = t,
            ["INDIVIDUAL_ALIAS", "DATE_OF_BIRTH"] => {
                // A date of birth the person used with this alias is still theirs.
                push_unique(&mut e.dates_of_birth, &normalise_date(&t));
            }
            ["INDIVIDUAL_ALIAS" | "ENTITY_ALIAS"] => {
                let (quality, alias_type) = match r.alias.0.to_ascii_lowercase().as_str() {
                    "good" => (AliasQuality::Strong, AliasType::Aka),
                    "low" => (AliasQuality::Weak, AliasType::Aka),
                    "f.k.a." | "fka" => (AliasQuality::Unknown, AliasType::Fka),
                    _ => (AliasQuality::Unknown, AliasType::Aka),
                };
                e.add_alias(&r.alias.1, quality, alias_type);
            }
            ["INDIVIDUAL_ADDRESS" | "ENTITY_ADDRESS", "COUNTRY"]
            | ["INDIVIDUAL_PLACE_OF_BIRTH", "COUNTRY"] => {
                push_unique(&mut e.countries, &normalise_country(&t));
            }
            ["INDIVIDUAL_DOCUMENT", "TYPE_OF_DOCUMENT"] => r.document.0 = t,
            ["INDIVIDUAL_DOCUMENT", "NUMBER"] => r.document.1 = t,
            ["INDIVIDUAL_DOCUMENT", "ISSUING_COUNTRY"] => r.document.2 = t,
            ["INDIVIDUAL_DOCUMENT"] => {
                let (kind, number, country) = std::mem::take(&mut r.document);
                if !number.is_empty() {
                    let id = crate::model::Identifier {
                        kind: if kind.is_empty() {
                            "Document".into()
                        } else {
                            kind
                        },
                        number,
                        country: Some(country).filter(|c| !c.is_empty()),
                    };
                    if !e.identifiers.contains(&id) {
                        e.identifiers.push(id);
                    }
                }
            }
            ["INDIVIDUAL_DATE_OF_BIRTH", "TYPE_OF_DATE"] => r.dob.kind = t,
            ["INDIVIDUAL_DATE_OF_BIRTH", "DATE"] => r.dob.date = t,
            ["INDIVIDUAL_DATE_OF_BIRTH", "YEAR"] => r.dob.year = t,
            ["INDIVIDUAL_DATE_OF_BIRTH", "FROM_YEAR"] => r.dob.from = t,
            ["INDIVIDUAL_DATE_OF_BIRTH", "TO_YEAR"] => r.dob.to = t,
            ["INDIVIDUAL_DATE_OF_BIRTH", "NOTE"] => r.dob.note = t,
            ["INDIVIDUAL_DATE_OF_BIRTH"] => {
                if let Some(dob) = r.dob.normalised() {
                    push_unique(&mut e.dates_of_birth, &dob);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

impl UnVisitor<'_> {
    fn finish(&mut self, mut r: Record) {
        let Some(mut entity) = r.entity.take() else {
            return;
        };
        let file = self.file;
        if r.data_id.is_empty() {
            self.report.warn(format!(
                "{file} line {}: DATAID is empty; record skipped",
                r.line
            ));
            return;
        }
        let name = r
            .names
            .iter()
            .filter(|n| !n.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            self.report.warn(format!(
                "{file} line {}: FIRST_NAME of DATAID {} is empty; record skipped",
                r.line, r.data_id
            ));
            return;
        }
        entity.id = format!("UN-{}", r.data_id);
        entity.aliases.retain(|a| a.name != name);
        entity.primary_name = name;
        let mut remarks = Vec::new();
        if !r.reference.is_empty() {
            remarks.push(format!("Reference {}", r.reference));
            entity.reference = Some(r.reference.clone());
        }
        if !r.listed_on.is_empty() {
            remarks.push(format!("listed on {}", r.listed_on));
        }
        if !r.comments.is_empty() {
            remarks.push(r.comments);
        }
        entity.remarks = Some(remarks.join("; ")).filter(|s| !s.is_empty());
        self.entities.push(entity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dprk_individual_and_entity() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>690734</DATAID>
      <FIRST_NAME>YUN</FIRST_NAME>
      <SECOND_NAME>HO-JIN</SECOND_NAME>
      <UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
      <REFERENCE_NUMBER>KPi.001</REFERENCE_NUMBER>
      <LISTED_ON>2009-07-16</LISTED_ON>
      <NAME_ORIGINAL_SCRIPT>윤호진</NAME_ORIGINAL_SCRIPT>
      <NATIONALITY><VALUE>Democratic People's Republic of Korea</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Yun Ho-chin</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Yun H.</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1944-10-13</DATE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1945</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1943</FROM_YEAR><TO_YEAR>1946</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>6908518</DATAID>
      <FIRST_NAME>KOREA KWANGSON BANKING CORPORATION (KKBC)</FIRST_NAME>
      <UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>KKBC</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ADDRESS><CITY>Pyongyang</CITY><COUNTRY>Democratic People&apos;s Republic of Korea</COUNTRY></ENTITY_ADDRESS>
      <NEW_ELEMENT_FROM_A_LATER_SCHEMA>ignored</NEW_ELEMENT_FROM_A_LATER_SCHEMA>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>"#;
        let parsed = parse_un_xml(xml.as_bytes(), "consolidated.xml").expect("parses");
        assert_eq!(parsed.published.as_deref(), Some("2026-02-27"));
        let [yun, kkbc] = parsed.entities.as_slice() else {
            panic!("{:?}", parsed.entities)
        };
        assert_eq!(yun.id, "UN-690734");
        assert_eq!(yun.primary_name, "YUN HO-JIN");
        assert_eq!(yun.kind, EntityKind::Person);
        assert_eq!(yun.programs, ["DPRK"]);
        assert_eq!(yun.nationalities, ["KP"]);
        assert_eq!(yun.dates_of_birth, ["1944-10-13", "1945~", "1943/1946"]);
        let aliases: Vec<_> = yun
            .aliases
            .iter()
            .map(|a| (a.name.as_str(), a.quality, a.alias_type))
            .collect();
        assert_eq!(
            aliases,
            [
                ("윤호진", AliasQuality::Strong, AliasType::OriginalScript),
                ("Yun Ho-chin", AliasQuality::Strong, AliasType::Aka),
                ("Yun H.", AliasQuality::Weak, AliasType::Aka),
            ]
        );
        assert_eq!(
            yun.remarks.as_deref(),
            Some("Reference KPi.001; listed on 2009-07-16")
        );
        assert_eq!(kkbc.kind, EntityKind::Organization);
        assert_eq!(kkbc.countries, ["KP"]);
        assert_eq!(kkbc.aliases[0].name, "KKBC");
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = parse_un_xml(
            &b"<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n</ENTITIES>"[..],
            "un.xml",
        )
        .expect_err("mismatched tags");
        let text = err.to_string();
        assert!(text.starts_with("un.xml line 3"), "{text}");
        let err = parse_un_xml(&b"<data-set/>"[..], "un.xml").expect_err("wrong root");
        assert!(err.to_string().contains("expected <CONSOLIDATED_LIST>"));
    }
}

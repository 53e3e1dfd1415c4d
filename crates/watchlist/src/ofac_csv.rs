//! OFAC's legacy SDN CSV set: `sdn.csv` (one row per entry), `alt.csv` (aliases),
//! `add.csv` (addresses) and `sdn_comments.csv` (remarks too long for sdn.csv).
//!
//! The files have no header; `-0-` means empty; the last byte is a DOS end-of-file mark
//! (0x1A). They are published separately and mirrors mix dates, so rows that refer to
//! an entry sdn.csv lacks are reported as orphans rather than refused.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::country::normalise_country;
use crate::model::{
    AliasQuality, AliasType, Entity, EntityKind, ListId, ParseReport, ParsedList, clean,
    push_unique,
};
use crate::{ListError, remarks};

/// sdn.csv cuts remarks at this many characters and continues them in sdn_comments.csv.
const REMARKS_LIMIT: usize = 1000;

/// Orphan examples kept per file, so each file's orphans are represented in the report.
const ORPHAN_EXAMPLES_PER_FILE: usize = 10;

/// The files of one OFAC legacy CSV publication. Only `sdn` is required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfacCsvFiles {
    /// `sdn.csv`: the entries.
    pub sdn: PathBuf,
    /// `alt.csv`: their aliases.
    pub alt: Option<PathBuf>,
    /// `add.csv`: their addresses.
    pub add: Option<PathBuf>,
    /// `sdn_comments.csv`: the overflow of long remarks.
    pub comments: Option<PathBuf>,
}

/// Which file of the OFAC CSV set a path is, by its name (any case, as OFAC's download
/// service names them `SDN.CSV` and mirrors `sdn.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfacCsvPart {
    /// `sdn.csv`
    Sdn,
    /// `alt.csv`
    Alt,
    /// `add.csv`
    Add,
    /// `sdn_comments.csv`
    Comments,
}

impl OfacCsvPart {
    /// The part a file name denotes, if any.
    pub fn from_file_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "sdn.csv" => Some(OfacCsvPart::Sdn),
            "alt.csv" => Some(OfacCsvPart::Alt),
            "add.csv" => Some(OfacCsvPart::Add),
            "sdn_comments.csv" => Some(OfacCsvPart::Comments),
            _ => None,
        }
    }
}

impl OfacCsvFiles {
    /// Finds the set in a folder by file name. Fails when the folder has no sdn.csv.
    pub fn in_dir(dir: &Path) -> Result<Self, ListError> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| ListError::io("reading folder", dir, e))?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| ListError::io("reading folder", dir, e))?;
            paths.push(entry.path());
        }
        paths.sort();
        Self::from_paths(&paths).ok_or_else(|| ListError::MissingOfacSdn {
            given: dir.display().to_string(),
        })
    }

    /// Picks the set's files out of `paths` by name; `None` without an sdn.csv.
    fn from_paths(paths: &[PathBuf]) -> Option<Self> {
        let mut parts: HashMap<OfacCsvPart, PathBuf> = HashMap::new();
        for path in paths {
            let part = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(OfacCsvPart::from_file_name);
            if let Some(part) = part {
                parts.entry(part).or_insert_with(|| path.clone());
            }
        }
        Some(OfacCsvFiles {
            sdn: parts.remove(&OfacCsvPart::Sdn)?,
            alt: parts.remove(&OfacCsvPart::Alt),
            add: parts.remove(&OfacCsvPart::Add),
            comments: parts.remove(&OfacCsvPart::Comments),
        })
    }
}

/// One input of the set: the name used in messages and the bytes.
pub(crate) struct Named<R> {
    pub(crate) name: String,
    pub(crate) reader: R,
}

/// Parses the OFAC legacy CSV set from files.
pub fn parse_ofac_csv(files: &OfacCsvFiles) -> Result<ParsedList, ListError> {
    let open = |path: &Path| -> Result<Named<BufReader<File>>, ListError> {
        let file = File::open(path).map_err(|e| ListError::io("reading", path, e))?;
        // Messages name the file as OFAC does ("alt.csv line 12"); I/O errors above
        // carry the full path.
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Ok(Named {
            name,
            reader: BufReader::new(file),
        })
    };
    parse_from(
        open(&files.sdn)?,
        files.alt.as_deref().map(open).transpose()?,
        files.add.as_deref().map(open).transpose()?,
        files.comments.as_deref().map(open).transpose()?,
    )
}

/// A row of one of the files, decoded but not trimmed.
struct Row {
    line: u64,
    fields: Vec<String>,
}

impl Row {
    /// A field trimmed, with `-0-` as empty.
    fn get(&self, i: usize) -> &str {
        let text = self.fields.get(i).map(|f| f.trim()).unwrap_or("");
        if text == "-0-" { "" } else { text }
    }

    /// A field untrimmed (but `-0-` still empty): remarks continue in sdn_comments.csv
    /// exactly where sdn.csv cuts them, so a space at either edge is part of the text
    /// ("… - XBT " + "194xmr…").
    fn raw(&self, i: usize) -> &str {
        if self.get(i).is_empty() {
            ""
        } else {
            self.fields.get(i).map(String::as_str).unwrap_or("")
        }
    }
}

/// Counts the quote characters read through it. Every quoted field opens and closes
/// one, and a quote inside one is doubled, so a file that ends inside a quoted field (cut
/// short) has read an odd number; the csv reader itself takes such a file's remainder
/// for the last field without a word.
struct QuoteCounter<R> {
    inner: R,
    quotes: u64,
}

impl<R: Read> Read for QuoteCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.quotes += buf[..n].iter().filter(|&&b| b == b'"').count() as u64;
        Ok(n)
    }
}

/// Reads every row of one file, calling `each` with it. Rows that are only the DOS
/// end-of-file mark or blank are skipped. A file that ends inside a quoted field, or
/// whose last row has fewer than `width` fields after whole ones, was cut short and is
/// refused: half a list must not replace a whole one.
fn rows<R: Read>(
    input: Named<R>,
    width: usize,
    report: &mut ParseReport,
    mut each: impl FnMut(Row, &str, &mut ParseReport),
) -> Result<(), ListError> {
    let cut_short = |line: u64, what: String| {
        ListError::parse(
            &input.name,
            format!("line {line}"),
            "CSV",
            format!(
                "{what}: the file was cut short (an interrupted download or copy?); nothing was imported and the version in force stays"
            ),
        )
    };
    let mut last: Option<(u64, usize)> = None;
    // A file none of whose rows is whole is no list at all (an error page), not a cut one.
    let mut whole_rows = false;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        // Records end at LF only: with the default CRLF handling the csv crate dates a
        // record to the line before it, and messages must name the right line. The CR
        // then ends the last field and is removed below.
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(QuoteCounter {
            inner: input.reader,
            quotes: 0,
        });
    let mut record = csv::ByteRecord::new();
    let mut latin1_warned = false;
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                return Err(ListError::parse(
                    &input.name,
                    format!("line {line}"),
                    "CSV",
                    e.to_string(),
                ));
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(line);
        let mut fields = Vec::with_capacity(record.len());
        for raw in record.iter() {
            let text = match std::str::from_utf8(raw) {
                Ok(text) => text.to_string(),
                Err(_) => {
                    // Older OFAC files were Latin-1; every byte is a character there.
                    if !latin1_warned {
                        latin1_warned = true;
                        report.warn(format!(
                            "{} line {line}: not UTF-8; read as Latin-1 from here on where needed",
                            input.name
                        ));
                    }
                    raw.iter().map(|&b| char::from(b)).collect()
                }
            };
            fields.push(text.replace('\u{1a}', ""));
        }
        if let Some(last) = fields.last_mut()
            && last.ends_with('\r')
        {
            last.pop();
        }
        let row = Row { line, fields };
        if (0..row.fields.len()).all(|i| row.get(i).is_empty()) {
            continue;
        }
        last = Some((row.line, row.fields.len()));
        whole_rows |= row.fields.len() >= width;
        each(row, &input.name, report);
    }
    if reader.get_ref().quotes % 2 == 1 {
        let line = last.map_or(1, |(line, _)| line);
        return Err(cut_short(
            line,
            "the file ends inside a quoted field".to_string(),
        ));
    }
    if let Some((line, found)) = last
        && found < width
        && whole_rows
    {
        return Err(cut_short(
            line,
            format!("the last row has {found} of the {width} fields a row of this file has"),
        ));
    }
    Ok(())
}

/// Parses the CSV set from readers; `sdn` is required, the others extend it.
pub(crate) fn parse_from<R: Read>(
    sdn: Named<R>,
    alt: Option<Named<R>>,
    add: Option<Named<R>>,
    comments: Option<Named<R>>,
) -> Result<ParsedList, ListError> {
    let mut report = ParseReport::default();
    let mut entities: Vec<Entity> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Per entity: the remarks as sdn.csv gives them and the line, merged before facts
    // are read because a fact (a wallet address) can straddle the two files.
    let mut remarks: Vec<(String, u64, bool)> = Vec::new();
    let sdn_name = sdn.name.clone();

    rows(sdn, 12, &mut report, |row, file, report| {
        let ent_num = row.get(0);
        if ent_num.parse::<u64>().is_err() {
            // Some mirrors add a header row.
            if !(row.line == 1 && ent_num.eq_ignore_ascii_case("ent_num")) {
                report.warn(format!(
                    "{file} line {}: ent_num {ent_num:?} is not a number; row skipped",
                    row.line
                ));
            }
            return;
        }
        let name = clean(row.get(1));
        if name.is_empty() {
            report.warn(format!(
                "{file} line {}: SDN_Name is empty; entry {ent_num} skipped",
                row.line
            ));
            return;
        }
        if index.contains_key(ent_num) {
            report.warn(format!(
                "{file} line {}: ent_num {ent_num} repeats an earlier row; this row skipped",
                row.line
            ));
            return;
        }
        let kind = match row.get(2).to_ascii_lowercase().as_str() {
            "individual" => EntityKind::Person,
            "vessel" => EntityKind::Vessel,
            "aircraft" => EntityKind::Aircraft,
            "" | "entity" => EntityKind::Organization,
            other => {
                report.warn(format!(
                    "{file} line {}: SDN_Type {other:?} is unknown; entry {ent_num} kept as unknown kind",
                    row.line
                ));
                EntityKind::Unknown
            }
        };
        let mut entity = Entity::new(ListId::OfacSdn, format!("OFAC-{ent_num}"), kind, name);
        entity.reference = Some(format!("SDN entry {ent_num}"));
        // Several programmes are written "SDGT] [IFSR".
        for program in row.get(3).split("] [") {
            push_unique(&mut entity.programs, program.trim_matches(['[', ']', ' ']));
        }
        if !row.get(9).is_empty() {
            push_unique(&mut entity.countries, &normalise_country(row.get(9)));
        }
        index.insert(ent_num.to_string(), entities.len());
        entities.push(entity);
        remarks.push((row.raw(11).to_string(), row.line, false));
    })?;

    if let Some(comments) = comments {
        let mut orphans = 0usize;
        rows(comments, 2, &mut report, |row, file, report| {
            let ent_num = row.get(0);
            let Some(&i) = index.get(ent_num) else {
                orphan(
                    report,
                    &mut orphans,
                    format!(
                        "{file} line {}: remarks overflow of entity {ent_num} not in {sdn_name}",
                        row.line
                    ),
                );
                return;
            };
            let (text, _, continued) = &mut remarks[i];
            if text.chars().count() < REMARKS_LIMIT && !*continued {
                // OFAC publishes the files as one set, but a mirror may pair this overflow
                // with an older, shorter sdn.csv row. Its facts are still OFAC's facts
                // about the entry; only its first piece continues text this row does not
                // have, so that piece is left out and the whole facts after it are read.
                let overflow = row.raw(1);
                let Some((_, whole)) = overflow.split_once("; ") else {
                    return;
                };
                report.warn(format!(
                    "{file} line {}: overflow for entity {ent_num} continues longer remarks than {sdn_name} holds ({} characters), so the files are of different dates; its facts after the first are read",
                    row.line,
                    text.chars().count()
                ));
                let text_end = text.trim_end().trim_end_matches('.').len();
                text.truncate(text_end);
                text.push_str("; ");
                text.push_str(whole);
                *continued = true;
                return;
            }
            text.push_str(row.raw(1));
            *continued = true;
        })?;
        summarise_orphans(&mut report, orphans, "remarks overflow rows", &sdn_name);
    }

    for (entity, (text, line, continued)) in entities.iter_mut().zip(&remarks) {
        if text.is_empty() {
            continue;
        }
        let cut = !continued && text.chars().count() >= REMARKS_LIMIT;
        if cut {
            report.warn(format!(
                "{sdn_name} line {line}: Remarks of entity {} stop at the {REMARKS_LIMIT}-character limit with no continuation in sdn_comments.csv; the last fact is not read",
                entity.id
            ));
        }
        remarks::apply(entity, text, cut);
        entity.remarks = Some(clean(text));
    }

    if let Some(alt) = alt {
        let mut orphans = 0usize;
        rows(alt, 5, &mut report, |row, file, report| {
            let (ent_num, name) = (row.get(0), clean(row.get(3)));
            let Some(&i) = index.get(ent_num) else {
                orphan(
                    report,
                    &mut orphans,
                    format!(
                        "{file} line {}: alias '{name}' of entity {ent_num} not in {sdn_name}",
                        row.line
                    ),
                );
                return;
            };
            let alias_type = match row.get(2).to_ascii_lowercase().as_str() {
                "fka" => AliasType::Fka,
                "nka" => AliasType::Nka,
                "aka" | "" => AliasType::Aka,
                other => {
                    report.warn(format!(
                        "{file} line {}: alt_type {other:?} is unknown; alias '{name}' read as aka",
                        row.line
                    ));
                    AliasType::Aka
                }
            };
            if name.is_empty() {
                report.warn(format!(
                    "{file} line {}: alt_name is empty; row skipped",
                    row.line
                ));
                return;
            }
            // alt.csv holds the aliases OFAC calls strong; weak ones are in the remarks.
            entities[i].add_alias(&name, AliasQuality::Strong, alias_type);
        })?;
        summarise_orphans(&mut report, orphans, "aliases", &sdn_name);
    }

    if let Some(add) = add {
        let mut orphans = 0usize;
        rows(add, 6, &mut report, |row, file, report| {
            let ent_num = row.get(0);
            let Some(&i) = index.get(ent_num) else {
                orphan(
                    report,
                    &mut orphans,
                    format!(
                        "{file} line {}: address of entity {ent_num} not in {sdn_name}",
                        row.line
                    ),
                );
                return;
            };
            if !row.get(4).is_empty() {
                push_unique(&mut entities[i].countries, &normalise_country(row.get(4)));
            }
        })?;
        summarise_orphans(&mut report, orphans, "addresses", &sdn_name);
    }

    if entities.is_empty() {
        report.warn(format!("{sdn_name}: no entries read"));
    }
    Ok(ParsedList::new(ListId::OfacSdn, None, entities, report))
}

fn orphan(report: &mut ParseReport, per_file: &mut usize, message: String) {
    *per_file += 1;
    if *per_file <= ORPHAN_EXAMPLES_PER_FILE {
        report.orphan(message);
    } else {
        report.orphan_count += 1;
    }
}

fn summarise_orphans(report: &mut ParseReport, count: usize, what: &str, sdn_name: &str) {
    if count > 0 {
        report.warn(format!(
            "{count} {what} refer to entities not in {sdn_name} (the files are of different dates); they are not used"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named<'a>(name: &str, text: &'a str) -> Named<&'a [u8]> {
        Named {
            name: name.to_string(),
            reader: text.as_bytes(),
        }
    }

    #[test]
    fn a_small_set_with_orphans_and_overflow() {
        // A wallet address that the 1,000-character cut splits between the two files.
        let full = format!(
            "{}; Digital Currency Address - XBT 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa.",
            "x".repeat(952)
        );
        let (head, tail) = full.split_at(REMARKS_LIMIT);
        assert!(head.ends_with("1A1zP1eP5QGefi2"));
        let sdn = format!(
            "1,\"PARK, Jin Hyok\",\"individual\",\"DPRK3\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 15 Aug 1984; nationality Korea, North.\"\r\n\
                 2,\"LAZARUS GROUP\",-0- ,\"DPRK3] [CYBER2\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"{head}\"\r\n\u{1a}"
        );
        let comments = format!("2,\"{tail}\"\r\n9,\"zz\"\r\n");
        let parsed = parse_from(
            named("sdn.csv", &sdn),
            Some(named(
                "alt.csv",
                "1,10,\"aka\",\"PAK, Jin Hyok\",-0- \r\n3,11,\"aka\",\"NOBODY\",-0- \r\n",
            )),
            Some(named(
                "add.csv",
                "2,20,\"Potonggang District\",\"Pyongyang\",\"Korea, North\",-0- \r\n",
            )),
            Some(named("sdn_comments.csv", &comments)),
        )
        .expect("parses");
        let [park, lazarus] = parsed.entities.as_slice() else {
            panic!("two entities expected, got {:?}", parsed.entities);
        };
        assert_eq!(park.id, "OFAC-1");
        assert_eq!(park.kind, EntityKind::Person);
        assert_eq!(park.dates_of_birth, ["1984-08-15"]);
        assert_eq!(park.nationalities, ["KP"]);
        assert_eq!(park.aliases[0].name, "PAK, Jin Hyok");
        assert_eq!(park.aliases[0].quality, AliasQuality::Strong);
        assert_eq!(lazarus.kind, EntityKind::Organization);
        assert_eq!(lazarus.programs, ["DPRK3", "CYBER2"]);
        assert_eq!(lazarus.countries, ["KP"]);
        assert_eq!(parsed.report.orphan_count, 2);
        assert!(
            parsed
                .report
                .orphans
                .iter()
                .any(|o| o == "alt.csv line 2: alias 'NOBODY' of entity 3 not in sdn.csv"),
            "{:?}",
            parsed.report.orphans
        );
        assert!(
            parsed
                .report
                .orphans
                .iter()
                .any(|o| o.starts_with("sdn_comments.csv line 2: remarks overflow of entity 9"))
        );
        // Only the glued address is complete; it is found and valid.
        assert_eq!(lazarus.wallets.len(), 1, "{:?}", lazarus.wallets);
        assert_eq!(
            lazarus.wallets[0].address,
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
        );
        assert_eq!(lazarus.wallets[0].valid, Some(true));
    }

    #[test]
    fn overflow_for_complete_remarks_adds_its_whole_facts_and_cut_remarks_are_flagged() {
        let cut = format!("a.k.a. 'A'; {}", "y".repeat(REMARKS_LIMIT - 12));
        assert_eq!(cut.chars().count(), REMARKS_LIMIT);
        let sdn = format!(
            "5,\"SHORT\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'B'.\"\n6,\"CUT\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"{cut}\"\n"
        );
        let parsed = parse_from(
            named("sdn.csv", &sdn),
            None,
            None,
            Some(named(
                "sdn_comments.csv",
                "5,\"tail of a fact; a.k.a. 'LATER'; Digital Currency Address - XBT 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa.\"\n",
            )),
        )
        .expect("parses");
        // The piece that continues text sdn.csv lacks is not glued onto its remarks;
        // the whole facts after it are read.
        let short = &parsed.entities[0];
        assert_eq!(short.names().collect::<Vec<_>>(), ["SHORT", "B", "LATER"]);
        assert_eq!(short.wallets.len(), 1);
        assert_eq!(parsed.entities[1].names().collect::<Vec<_>>(), ["CUT", "A"]);
        assert_eq!(
            parsed.report.warning_count, 2,
            "{:?}",
            parsed.report.warnings
        );
        assert!(
            parsed.report.warnings[0].contains("overflow for entity 5 continues longer remarks")
        );
        assert!(parsed.report.warnings[1].contains("stop at the 1000-character limit"));
    }

    #[test]
    fn bad_rows_are_reported_not_fatal() {
        let parsed = parse_from(
            named(
                "sdn.csv",
                "ent_num,SDN_Name\nabc,\"X\"\n7,\n8,\"OK\",\"spaceship\"\n8,\"AGAIN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
            ),
            None,
            None,
            None,
        )
        .expect("parses");
        assert_eq!(parsed.entities.len(), 1);
        assert_eq!(parsed.entities[0].kind, EntityKind::Unknown);
        let w = &parsed.report.warnings;
        assert_eq!(w.len(), 4, "{w:?}");
        assert!(w[0].starts_with("sdn.csv line 2: ent_num \"abc\""));
        assert!(w[1].starts_with("sdn.csv line 3: SDN_Name is empty"));
        assert!(w[2].starts_with("sdn.csv line 4: SDN_Type \"spaceship\""));
        assert!(w[3].starts_with("sdn.csv line 5: ent_num 8 repeats"));
    }

    #[test]
    fn a_cut_short_file_is_refused() {
        let whole = "1,\"A\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1984.\"\r\n2,\"B\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'C'.\"\r\n";
        assert!(parse_from(named("sdn.csv", whole), None, None, None).is_ok());
        // Cut inside the remarks of the second row: an unclosed quote.
        let cut = &whole[..whole.len() - 8];
        let e = parse_from(named("sdn.csv", cut), None, None, None).expect_err("cut short");
        assert!(
            e.to_string()
                .starts_with("sdn.csv line 2, CSV: the file ends inside a quoted field"),
            "{e}"
        );
        // Cut between fields: the last row is short.
        let cut = &whole[..whole.find("2,\"B\",-0- ,").map(|i| i + 10).unwrap()];
        let e = parse_from(named("sdn.csv", cut), None, None, None).expect_err("cut short");
        assert!(
            e.to_string()
                .contains("the last row has 3 of the 12 fields"),
            "{e}"
        );
    }

    #[test]
    fn latin1_bytes_are_read_not_refused() {
        let parsed = parse_from(
            Named {
                name: "sdn.csv".into(),
                reader: &b"1,\"MU\xd1OZ, Jos\xe9\",\"individual\",\"SDNTK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"[..],
            },
            None,
            None,
            None,
        )
        .expect("parses");
        assert_eq!(parsed.entities[0].primary_name, "MUÑOZ, José");
        assert_eq!(parsed.report.warning_count, 1);
    }
}

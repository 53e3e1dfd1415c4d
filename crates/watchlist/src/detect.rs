//! Which list format a file holds, by its name and its first bytes, so `lists import`
//! takes files in any order and under the names their publishers or mirrors gave them.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::ofac_csv::OfacCsvPart;

/// A list file format this crate parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListFormat {
    /// One file of OFAC's legacy CSV set.
    OfacCsv(OfacCsvPart),
    /// OFAC SDN.XML.
    OfacXml,
    /// UN Security Council consolidated list XML.
    UnXml,
    /// Canada's consolidated autonomous sanctions list XML.
    CanadaXml,
    /// OpenSanctions FollowTheMoney JSON lines.
    FtmJsonl,
}

/// How much of a file is read to recognise it: enough for an XML prolog, a comment and
/// the root element, or a first JSON line's start.
const SNIFF_BYTES: u64 = 16 * 1024;

/// Recognises a list file. XML and JSON lines are recognised by content (root element,
/// `"schema"` key); the OFAC CSV files by name (`sdn.csv`, `ALT.CSV`…) or, under other
/// names, by the shape of their first row. `None` for folders, unreadable files and
/// anything else.
pub fn detect_format(path: &Path) -> Option<ListFormat> {
    let mut head = Vec::new();
    File::open(path)
        .ok()?
        .take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .ok()?;
    let by_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(OfacCsvPart::from_file_name);
    detect_bytes(&head, by_name)
}

pub(crate) fn detect_bytes(head: &[u8], by_name: Option<OfacCsvPart>) -> Option<ListFormat> {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('<') {
        return match root_element(text)? {
            "sdnList" => Some(ListFormat::OfacXml),
            "CONSOLIDATED_LIST" => Some(ListFormat::UnXml),
            "data-set" => Some(ListFormat::CanadaXml),
            _ => None,
        };
    }
    if text.starts_with('{') {
        let first = text.lines().next().unwrap_or_default();
        return (first.contains("\"schema\"") && first.contains("\"id\""))
            .then_some(ListFormat::FtmJsonl);
    }
    if let Some(part) = by_name {
        return Some(ListFormat::OfacCsv(part));
    }
    ofac_csv_shape(text).map(ListFormat::OfacCsv)
}

/// The local name of the first element, past the declaration, comments and DOCTYPE.
fn root_element(mut text: &str) -> Option<&str> {
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("<?") {
            text = &rest[rest.find("?>")? + 2..];
        } else if let Some(rest) = text.strip_prefix("<!--") {
            text = &rest[rest.find("-->")? + 3..];
        } else if let Some(rest) = text.strip_prefix("<!") {
            text = &rest[rest.find('>')? + 1..];
        } else {
            let rest = text.strip_prefix('<')?;
            let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
            let name = &rest[..end];
            return Some(name.rsplit(':').next().unwrap_or(name));
        }
    }
}

/// The OFAC CSV part whose row shape the first line has: a numeric ent_num followed by
/// 11 fields (sdn), 4 with an aka/fka/nka type (alt), 5 (add) or 1 (comments).
fn ofac_csv_shape(text: &str) -> Option<OfacCsvPart> {
    let first_line = text.lines().next()?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(first_line.as_bytes());
    let record = reader.records().next()?.ok()?;
    record.get(0)?.parse::<u64>().ok()?;
    match record.len() {
        12 => Some(OfacCsvPart::Sdn),
        5 if matches!(record.get(2), Some("aka" | "fka" | "nka")) => Some(OfacCsvPart::Alt),
        6 => Some(OfacCsvPart::Add),
        2 => Some(OfacCsvPart::Comments),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_roots_and_json_lines() {
        let d = |s: &str| detect_bytes(s.as_bytes(), None);
        assert_eq!(
            d(
                "\u{feff}<?xml version=\"1.0\"?>\n<!-- c -->\n<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\">"
            ),
            Some(ListFormat::OfacXml)
        );
        assert_eq!(d("<x:sdnList xmlns:x=\"u\">"), Some(ListFormat::OfacXml));
        assert_eq!(
            d("<CONSOLIDATED_LIST dateGenerated=\"x\">"),
            Some(ListFormat::UnXml)
        );
        assert_eq!(
            d("<?xml version=\"1.0\"?><data-set xmlns:xsi=\"x\">"),
            Some(ListFormat::CanadaXml)
        );
        assert_eq!(d("<html>"), None);
        assert_eq!(
            d("{\"id\":\"x\",\"schema\":\"Person\"}\n"),
            Some(ListFormat::FtmJsonl)
        );
        assert_eq!(d("{\"a\":1}"), None);
    }

    #[test]
    fn ofac_csv_by_name_or_shape() {
        let d = |s: &str| detect_bytes(s.as_bytes(), None);
        assert_eq!(
            d(
                "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
            ),
            Some(ListFormat::OfacCsv(OfacCsvPart::Sdn))
        );
        assert_eq!(
            d("36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n"),
            Some(ListFormat::OfacCsv(OfacCsvPart::Alt))
        );
        assert_eq!(
            d("36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n"),
            Some(ListFormat::OfacCsv(OfacCsvPart::Add))
        );
        assert_eq!(
            d("17016,\"tive Date\"\r\n"),
            Some(ListFormat::OfacCsv(OfacCsvPart::Comments))
        );
        assert_eq!(d("name,age\n"), None);
        assert_eq!(
            detect_bytes(b"anything", Some(OfacCsvPart::Alt)),
            Some(ListFormat::OfacCsv(OfacCsvPart::Alt))
        );
    }
}

//! Property tests: no input makes a parser, the format sniffer or the wallet and date
//! normalisers panic. Lists come from the network; a broken download must be an error
//! or a warning, never a crash.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};

use crate::canada::parse_canada_xml;
use crate::dates::normalise_date;
use crate::detect::detect_bytes;
use crate::ftm::parse_ftm_jsonl;
use crate::ofac_csv::{Named, parse_from};
use crate::ofac_xml::parse_ofac_xml;
use crate::un::parse_un_xml;
use crate::wallet::normalise_wallet;

/// Pieces of real OFAC rows, so generated rows get past the ent_num check and exercise
/// joins, quoting, `-0-`, the end-of-file mark and remarks facts.
const CSV_PIECES: &[&str] = &[
    "1",
    "27307",
    "\"LAZARUS GROUP\"",
    "-0- ",
    "\"individual\"",
    "\"DPRK3] [CYBER2\"",
    "\"DOB 15 Aug 1984; alt. DOB circa 1970 to\"",
    "\"Digital Currency Address - XBT 1A1zP1\"",
    "\"a.k.a. 'X\"",
    "\"aka\"",
    "\"Korea, North\"",
    "\"\"\"\"",
    "\u{1a}",
    "\"é\"",
    "\";\"",
    "\"nationality Korea, North; POB Pyongyang, Korea, North.\"",
];

const XML_DOCS: &[&str] = &[
    "<sdnList><publshInformation><Publish_Date>12/05/2025</Publish_Date></publshInformation><sdnEntry><uid>1</uid><firstName>A</firstName><lastName>B</lastName><sdnType>Individual</sdnType><akaList><aka><type>a.k.a.</type><category>weak</category><lastName>C</lastName></aka></akaList><idList><id><idType>Digital Currency Address - ETH</idType><idNumber>0x098B716B8Aaf21512996dC57EB0615e2383E2f96</idNumber></id></idList><dateOfBirthList><dateOfBirthItem><dateOfBirth>15 Aug 1984</dateOfBirth></dateOfBirthItem></dateOfBirthList></sdnEntry></sdnList>",
    "<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09Z\"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>B</ALIAS_NAME></INDIVIDUAL_ALIAS><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1</FROM_YEAR><TO_YEAR>2</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL></INDIVIDUALS><ENTITIES><ENTITY><DATAID>2</DATAID><FIRST_NAME>C &amp; D &#233;</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>",
    "<data-set><record><Country>Burma / Birmanie</Country><Entity>Air Bagan</Entity><Aliases>A, Ltd., B</Aliases><Schedule>1</Schedule><Item>1</Item></record><record><LastName>X</LastName><DateOfBirth>1972-08-10 or 1972</DateOfBirth><Item>2</Item></record></data-set>",
];

const JSONL: &str = "{\"id\":\"w\",\"schema\":\"CryptoWallet\",\"properties\":{\"publicKey\":[\"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t\"],\"holder\":[\"p\"]}}\n{\"id\":\"p\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"],\"birthDate\":[\"1984\"],\"sanctions\":[{\"properties\":{\"program\":[\"X\"]}}]}}\n{\"id\":\"s\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"p\"],\"program\":[\"Y\"]}}\n";

fn csv_rows() -> impl Strategy<Value = Vec<u8>> {
    vec(
        (
            vec(select(CSV_PIECES), 1..13),
            select(&["\r\n", "\n", "\r", ""][..]),
        ),
        0..12,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .map(|(fields, end)| format!("{}{end}", fields.join(",")))
            .collect::<String>()
            .into_bytes()
    })
}

/// A valid document with a slice cut out and some bytes put in: mostly well-formed
/// prefixes, unbalanced tags and stray bytes in text.
fn mutated(doc: &str, cut: Index, len: usize, at: Index, insert: &[u8]) -> Vec<u8> {
    let mut bytes = doc.as_bytes().to_vec();
    let start = cut.index(bytes.len());
    let end = (start + len).min(bytes.len());
    bytes.drain(start..end);
    let at = at.index(bytes.len() + 1);
    bytes.splice(at..at, insert.iter().copied());
    bytes
}

fn csv_named<'a>(name: &str, bytes: &'a [u8]) -> Named<&'a [u8]> {
    Named {
        name: name.to_string(),
        reader: bytes,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn csv_set_never_panics_on_bytes(sdn in vec(any::<u8>(), 0..600), alt in vec(any::<u8>(), 0..300), comments in vec(any::<u8>(), 0..300)) {
        let _ = parse_from(csv_named("sdn.csv", &sdn), Some(csv_named("alt.csv", &alt)), Some(csv_named("add.csv", &alt)), Some(csv_named("sdn_comments.csv", &comments)));
    }

    #[test]
    fn csv_set_never_panics_on_row_shaped_input(sdn in csv_rows(), alt in csv_rows(), add in csv_rows(), comments in csv_rows()) {
        let _ = parse_from(csv_named("sdn.csv", &sdn), Some(csv_named("alt.csv", &alt)), Some(csv_named("add.csv", &add)), Some(csv_named("sdn_comments.csv", &comments)));
        let _ = detect_bytes(&sdn, None);
    }

    #[test]
    fn xml_parsers_never_panic_on_bytes(bytes in vec(any::<u8>(), 0..1000)) {
        let _ = parse_ofac_xml(&bytes[..], "x");
        let _ = parse_un_xml(&bytes[..], "x");
        let _ = parse_canada_xml(&bytes[..], "x");
        let _ = detect_bytes(&bytes, None);
    }

    #[test]
    fn xml_parsers_never_panic_on_damaged_documents(
        doc in select(XML_DOCS), cut in any::<Index>(), len in 0usize..40, at in any::<Index>(), insert in vec(any::<u8>(), 0..8)
    ) {
        let bytes = mutated(doc, cut, len, at, &insert);
        let _ = parse_ofac_xml(&bytes[..], "x");
        let _ = parse_un_xml(&bytes[..], "x");
        let _ = parse_canada_xml(&bytes[..], "x");
    }

    #[test]
    fn ftm_never_panics(bytes in vec(any::<u8>(), 0..600), cut in any::<Index>(), len in 0usize..40, at in any::<Index>(), insert in vec(any::<u8>(), 0..8)) {
        let _ = parse_ftm_jsonl(&bytes[..], "d", "x");
        let damaged = mutated(JSONL, cut, len, at, &insert);
        let _ = parse_ftm_jsonl(&damaged[..], "d", "x");
    }

    #[test]
    fn normalisers_never_panic(hint in proptest::option::of("[A-Za-z ]{0,8}|USDT|bsc|tron|XBT|BCH|sol"), address in "\\PC{0,60}|[13TLbq0-9a-zA-Z]{20,45}", date in "\\PC{0,30}") {
        let key = normalise_wallet(hint.as_deref(), &address);
        prop_assert!(!key.chain.is_empty());
        let _ = normalise_date(&date);
    }
}

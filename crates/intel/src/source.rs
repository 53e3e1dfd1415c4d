//! Recognising and reading data files: npm tarballs of ip-location-db, and the plain CSV
//! files it also publishes (dotted or `-num`, IPv4 or IPv6, optionally gzipped), told
//! apart by content rather than by name wherever the content can decide.

use std::io::{self, BufRead, BufReader, Chain, Cursor, Read};
use std::net::{Ipv4Addr, Ipv6Addr};

use flate2::read::GzDecoder;

use crate::builder::{Interner, Row};
use crate::error::IntelError;

/// A country code as the source wrote it, upper-cased.
pub(crate) type Cc = [u8; 2];

/// An autonomous system and the id of its organisation's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct AsnOrg {
    pub asn: u32,
    pub org: Option<u32>,
}

/// What one input supplied; `None` where it held nothing for that table.
#[derive(Default)]
pub(crate) struct Tables {
    pub country4: Option<Vec<Row<u32, Cc>>>,
    pub country6: Option<Vec<Row<u128, Cc>>>,
    pub asn4: Option<Vec<Row<u32, AsnOrg>>>,
    pub asn6: Option<Vec<Row<u128, AsnOrg>>>,
}

impl Tables {
    pub(crate) fn is_empty(&self) -> bool {
        self.country4.is_none()
            && self.country6.is_none()
            && self.asn4.is_none()
            && self.asn6.is_none()
    }
}

/// The fields of an npm `package.json` that the manifest records.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct PackageMeta {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub license: Option<String>,
}

pub(crate) struct InputRead {
    pub tables: Tables,
    pub package: Option<PackageMeta>,
}

/// Reads one input of any supported kind. `display` names it in errors; `name` is its
/// file name, used only where content cannot decide (the family of a `-num` file).
pub(crate) fn read_input(
    reader: impl Read,
    display: &str,
    name: &str,
    orgs: &mut Interner<Box<str>>,
) -> Result<InputRead, IntelError> {
    let io_err = |source: io::Error| IntelError::Read {
        path: display.to_owned(),
        source,
    };
    let (head, stream) = peek(reader).map_err(io_err)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let (head, stream) = peek(GzDecoder::new(stream)).map_err(io_err)?;
        if is_tar(&head) {
            read_tar(stream, display, orgs)
        } else {
            let inner = name.strip_suffix(".gz").unwrap_or(name);
            read_csv_input(stream, display, inner, orgs)
        }
    } else if is_tar(&head) {
        read_tar(stream, display, orgs)
    } else {
        read_csv_input(stream, display, name, orgs)
    }
}

/// A reader with its first bytes already taken out and put back in front.
type Peeked<R> = Chain<Cursor<Vec<u8>>, R>;

/// The first 512 bytes (one tar header), and a reader that still yields everything.
fn peek<R: Read>(mut reader: R) -> io::Result<(Vec<u8>, Peeked<R>)> {
    let mut head = Vec::with_capacity(512);
    reader.by_ref().take(512).read_to_end(&mut head)?;
    Ok((head.clone(), Cursor::new(head).chain(reader)))
}

fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
}

fn read_csv_input(
    reader: impl Read,
    display: &str,
    name: &str,
    orgs: &mut Interner<Box<str>>,
) -> Result<InputRead, IntelError> {
    let mut tables = Tables::default();
    read_csv(reader, display, name, orgs, &mut tables)?;
    Ok(InputRead {
        tables,
        package: None,
    })
}

/// The largest table an archive may hold. ip-location-db's largest is about 40 MB; a
/// member far beyond that is a damaged or hostile archive, refused before it is read.
const MAX_MEMBER_BYTES: u64 = 512 << 20;

/// The longest line a table may have: rows are an address range and an organisation.
const MAX_CSV_LINE_BYTES: u64 = 64 << 10;

fn too_large(member: &str, size: u64) -> IntelError {
    IntelError::Unrecognised {
        file: member.to_owned(),
        message: format!(
            "the table is {size} bytes; an archive member may be at most {MAX_MEMBER_BYTES} bytes (is this the right file?)"
        ),
    }
}

fn read_tar(
    reader: impl Read,
    display: &str,
    orgs: &mut Interner<Box<str>>,
) -> Result<InputRead, IntelError> {
    let io_err = |source: io::Error| IntelError::Read {
        path: display.to_owned(),
        source,
    };
    let mut archive = tar::Archive::new(reader);
    let mut tables = Tables::default();
    let mut package = None;
    let mut seen: Vec<String> = Vec::new();
    for entry in archive.entries().map_err(io_err)? {
        let mut entry = entry.map_err(io_err)?;
        let path = entry.path().map_err(io_err)?.to_string_lossy().into_owned();
        let file = path.rsplit('/').next().unwrap_or(&path).to_owned();
        let member = format!("{display}:{path}");
        if file == "package.json" {
            let mut text = String::new();
            entry
                .by_ref()
                .take(1 << 20)
                .read_to_string(&mut text)
                .map_err(io_err)?;
            let meta = serde_json::from_str::<PackageMeta>(&text).map_err(|e| {
                IntelError::Unrecognised {
                    file: member.clone(),
                    message: format!("package.json is not valid JSON ({e})"),
                }
            })?;
            package = Some(meta);
        } else if file.ends_with(".csv") && (file.contains("ipv4") || file.contains("ipv6")) {
            // The packages ship every table twice, dotted and as integers: read the
            // first of each pair only.
            let key = file.replace("-num", "");
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let size = entry.header().size().map_err(io_err)?;
            if size > MAX_MEMBER_BYTES {
                return Err(too_large(&member, size));
            }
            // The header may lie about the size: read one byte past the limit at most.
            let mut bounded = (&mut entry).take(MAX_MEMBER_BYTES + 1);
            read_csv(&mut bounded, &member, &file, orgs, &mut tables)?;
            if bounded.limit() == 0 {
                return Err(too_large(&member, MAX_MEMBER_BYTES + 1));
            }
        }
    }
    Ok(InputRead { tables, package })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    V4,
    V6,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ip {
    V4(u32),
    V6(u128),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Country,
    Asn,
}

/// Rows of one CSV file, before they are added to the input's tables.
#[derive(Default)]
struct CsvRows {
    country4: Vec<Row<u32, Cc>>,
    country6: Vec<Row<u128, Cc>>,
    asn4: Vec<Row<u32, AsnOrg>>,
    asn6: Vec<Row<u128, AsnOrg>>,
}

/// Reads `start,end,country` or `start,end,asn,organisation` rows. The number of fields
/// in the first row decides which; every row must then agree. Addresses may be dotted
/// (the family follows from the notation) or integers (the family follows from the file
/// name, or else from the first value: above 2^32 means IPv6). Lines are read one by one
/// rather than with a CSV library so that errors name the exact line, blank lines
/// included.
fn read_csv(
    reader: impl Read,
    display: &str,
    name: &str,
    orgs: &mut Interner<Box<str>>,
    tables: &mut Tables,
) -> Result<(), IntelError> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut numeric = if name.contains("ipv6") {
        Some(Family::V6)
    } else if name.contains("ipv4") {
        Some(Family::V4)
    } else {
        None
    };
    let mut kind: Option<Kind> = None;
    let mut rows = CsvRows::default();
    let mut raw = Vec::new();
    let mut fields = Fields::default();
    let mut line = 0u64;
    loop {
        raw.clear();
        let n = (&mut reader)
            .take(MAX_CSV_LINE_BYTES + 1)
            .read_until(b'\n', &mut raw)
            .map_err(|source| IntelError::Read {
                path: display.to_owned(),
                source,
            })?;
        if n == 0 {
            break;
        }
        line += 1;
        let error = |message: String| IntelError::Csv {
            file: display.to_owned(),
            line,
            message,
        };
        if n as u64 > MAX_CSV_LINE_BYTES {
            return Err(error(format!(
                "a line longer than {MAX_CSV_LINE_BYTES} bytes; this is not an IP range table"
            )));
        }
        let text = raw.strip_suffix(b"\n").unwrap_or(&raw);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        fields.split(text).map_err(|m| error(m.into()))?;
        // A header names its columns ("start_ip", "ip_range_start"): letters, but none
        // of an address's dots or colons.
        let first = fields.get(0);
        if line == 1
            && first.iter().any(u8::is_ascii_alphabetic)
            && !first.iter().any(|b| b".:".contains(b))
        {
            continue;
        }
        let this_kind = match fields.len() {
            3 => Kind::Country,
            n if n >= 4 => Kind::Asn,
            n => {
                return Err(error(format!(
                    "expected `start,end,country` or `start,end,asn,organisation`, found {n} field(s) (a list of IPs, CIDR blocks or AS numbers is imported with --list CLASS FILE)"
                )));
            }
        };
        match kind {
            None => kind = Some(this_kind),
            Some(k) if k != this_kind => {
                return Err(error(format!(
                    "this row has {} fields but the file's first row had {}",
                    fields.len(),
                    if k == Kind::Country { 3 } else { 4 }
                )));
            }
            Some(_) => {}
        }
        let text_of = |i: usize| std::str::from_utf8(fields.get(i)).map(str::trim);
        let start = text_of(0).map_err(|_| error("the start address is not UTF-8 text".into()))?;
        let end = text_of(1).map_err(|_| error("the end address is not UTF-8 text".into()))?;
        let start =
            parse_addr(start, &mut numeric).map_err(|m| error(format!("start address: {m}")))?;
        let end = parse_addr(end, &mut numeric).map_err(|m| error(format!("end address: {m}")))?;
        let third = text_of(2).map_err(|_| error("the third field is not UTF-8 text".into()))?;
        match this_kind {
            Kind::Country => {
                let cc = parse_country(third).ok_or_else(|| {
                    error(format!(
                        "country {third:?} is not a two-letter code such as US or KP"
                    ))
                })?;
                push(&mut rows.country4, &mut rows.country6, start, end, cc).map_err(error)?;
            }
            Kind::Asn => {
                let asn: u32 = third
                    .strip_prefix("AS")
                    .unwrap_or(third)
                    .parse()
                    .map_err(|_| error(format!("ASN {third:?} is not a number")))?;
                // AS0 marks space that must not be routed (RFC 7607): no network to name.
                if asn == 0 {
                    continue;
                }
                let org = fields.organisation();
                let org = (!org.is_empty()).then(|| orgs.intern(org.into_boxed_str()));
                push(
                    &mut rows.asn4,
                    &mut rows.asn6,
                    start,
                    end,
                    AsnOrg { asn, org },
                )
                .map_err(error)?;
            }
        }
    }
    add(
        &mut tables.country4,
        rows.country4,
        display,
        "country data for IPv4",
    )?;
    add(
        &mut tables.country6,
        rows.country6,
        display,
        "country data for IPv6",
    )?;
    add(&mut tables.asn4, rows.asn4, display, "ASN data for IPv4")?;
    add(&mut tables.asn6, rows.asn6, display, "ASN data for IPv6")?;
    Ok(())
}

/// The fields of one CSV line, unquoted, in one buffer reused from line to line.
#[derive(Default)]
struct Fields {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Fields {
    /// Splits on commas; a field may be wrapped in double quotes, inside which `""` is a
    /// quote and a comma is text (RFC 4180).
    fn split(&mut self, line: &[u8]) -> Result<(), &'static str> {
        self.bytes.clear();
        self.ends.clear();
        let mut i = 0;
        loop {
            if line.get(i) == Some(&b'"') {
                i += 1;
                loop {
                    match line.get(i) {
                        None => return Err("a quoted field is not closed"),
                        Some(b'"') if line.get(i + 1) == Some(&b'"') => {
                            self.bytes.push(b'"');
                            i += 2;
                        }
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(&c) => {
                            self.bytes.push(c);
                            i += 1;
                        }
                    }
                }
            }
            while let Some(&c) = line.get(i).filter(|&&c| c != b',') {
                self.bytes.push(c);
                i += 1;
            }
            self.ends.push(self.bytes.len());
            if line.get(i) == Some(&b',') {
                i += 1;
            } else {
                return Ok(());
            }
        }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(self.bytes.len())
        };
        let end = self.ends.get(i).copied().unwrap_or(self.bytes.len());
        self.bytes.get(start..end).unwrap_or_default()
    }

    /// The organisation is the fourth field; an unquoted name with commas spills into
    /// more fields, which are joined back. Invalid UTF-8 is replaced rather than refused:
    /// a mangled character in a company name is no reason to reject a data set.
    fn organisation(&self) -> String {
        let parts: Vec<String> = (3..self.len())
            .map(|i| String::from_utf8_lossy(self.get(i)).into_owned())
            .collect();
        parts.join(",").trim().to_owned()
    }
}

fn push<V>(
    v4: &mut Vec<Row<u32, V>>,
    v6: &mut Vec<Row<u128, V>>,
    start: Ip,
    end: Ip,
    value: V,
) -> Result<(), String> {
    match (start, end) {
        (Ip::V4(first), Ip::V4(last)) if first <= last => v4.push(Row { first, last, value }),
        (Ip::V6(first), Ip::V6(last)) if first <= last => v6.push(Row { first, last, value }),
        (Ip::V4(_), Ip::V4(_)) | (Ip::V6(_), Ip::V6(_)) => {
            return Err("the range ends before it starts".into());
        }
        _ => {
            return Err(
                "the start and end addresses are of different families (IPv4 and IPv6)".into(),
            );
        }
    }
    Ok(())
}

fn add<V>(
    slot: &mut Option<Vec<V>>,
    rows: Vec<V>,
    display: &str,
    what: &str,
) -> Result<(), IntelError> {
    if rows.is_empty() {
        return Ok(());
    }
    if slot.is_some() {
        return Err(IntelError::Unrecognised {
            file: display.to_owned(),
            message: format!("holds {what} a second time; give each table once"),
        });
    }
    *slot = Some(rows);
    Ok(())
}

fn parse_addr(s: &str, numeric: &mut Option<Family>) -> Result<Ip, String> {
    if s.contains(':') {
        s.parse::<Ipv6Addr>()
            .map(|a| Ip::V6(a.into()))
            .map_err(|_| format!("{s:?} is not an IPv6 address"))
    } else if s.contains('.') {
        s.parse::<Ipv4Addr>()
            .map(|a| Ip::V4(a.into()))
            .map_err(|_| format!("{s:?} is not an IPv4 address"))
    } else if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: u128 = s
            .parse()
            .map_err(|_| format!("{s:?} is too large for an IPv6 address"))?;
        let family = *numeric.get_or_insert(if n > u128::from(u32::MAX) {
            Family::V6
        } else {
            Family::V4
        });
        match family {
            Family::V6 => Ok(Ip::V6(n)),
            Family::V4 => u32::try_from(n)
                .map(Ip::V4)
                .map_err(|_| format!("{s} is too large for an IPv4 address in an IPv4 file")),
        }
    } else {
        Err(format!("{s:?} is neither an IP address nor an integer"))
    }
}

fn parse_country(s: &str) -> Option<Cc> {
    match s.as_bytes() {
        [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Some([a.to_ascii_uppercase(), b.to_ascii_uppercase()])
        }
        _ => None,
    }
}

/// `2.3.2026061719` (ip-location-db's versions end in the build's date and hour) →
/// `2026-06-17`.
pub(crate) fn date_from_version(version: &str) -> Option<String> {
    let stamp = version.rsplit('.').next()?;
    if stamp.len() < 8 || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!(
        "{}-{}-{}",
        &stamp[0..4],
        &stamp[4..6],
        &stamp[6..8]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, name: &str) -> Result<(Tables, Interner<Box<str>>), IntelError> {
        let mut orgs = Interner::new();
        let input = read_input(text.as_bytes(), name, name, &mut orgs)?;
        Ok((input.tables, orgs))
    }

    #[test]
    fn an_archive_member_claiming_to_be_huge_is_refused_before_it_is_read() {
        let mut header = tar::Header::new_gnu();
        header.set_path("package/asn-ipv4.csv").expect("path");
        header.set_size(MAX_MEMBER_BYTES + 1);
        header.set_cksum();
        let mut archive = header.as_bytes().to_vec();
        archive.extend(std::iter::repeat_n(0u8, 1024));
        let mut orgs = Interner::new();
        let Err(e) = read_tar(&archive[..], "hostile.tgz", &mut orgs) else {
            panic!("a member of {} bytes was read", MAX_MEMBER_BYTES + 1);
        };
        assert!(e.to_string().contains("at most"), "{e}");
    }

    #[test]
    fn an_endless_line_is_refused_without_reading_it_all() {
        let mut orgs = Interner::new();
        let endless = std::io::repeat(b'1').take(1 << 40);
        let mut tables = Tables::default();
        let e = read_csv(
            endless,
            "endless.csv",
            "asn-ipv4.csv",
            &mut orgs,
            &mut tables,
        )
        .unwrap_err();
        assert!(e.to_string().contains("longer than"), "{e}");
    }

    #[test]
    fn dotted_country_rows_of_both_families() {
        let (t, _) = read(
            "1.0.0.0,1.0.0.255,au\n2001:200::,2001:200:ffff::,JP\n",
            "x.csv",
        )
        .unwrap();
        assert_eq!(
            t.country4.unwrap(),
            vec![Row {
                first: 0x0100_0000,
                last: 0x0100_00ff,
                value: *b"AU"
            }]
        );
        assert_eq!(t.country6.unwrap().len(), 1);
        assert!(t.asn4.is_none() && t.asn6.is_none());
    }

    #[test]
    fn quoted_organisations_keep_commas_and_quotes() {
        let text = "1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n2.26.200.0,2.26.215.255,201907,\"LLC \"\"SPUTNIK\"\"\"\n3.0.0.0,3.0.0.9,7,Plain, unquoted\n";
        let (t, orgs) = read(text, "asn.csv").unwrap();
        let rows = t.asn4.unwrap();
        let name = |i: usize| {
            rows[i]
                .value
                .org
                .map(|o| orgs.items[o as usize].to_string())
        };
        assert_eq!(name(0).as_deref(), Some("Cloudflare, Inc."));
        assert_eq!(name(1).as_deref(), Some("LLC \"SPUTNIK\""));
        assert_eq!(name(2).as_deref(), Some("Plain, unquoted"));
        assert_eq!(rows[0].value.asn, 13335);
    }

    #[test]
    fn integers_take_their_family_from_the_name_or_the_size() {
        let (t, _) = read(
            "16777216,16777471,AU\n",
            "geo-whois-asn-country-ipv4-num.csv",
        )
        .unwrap();
        assert_eq!(t.country4.unwrap()[0].first, 16_777_216);
        // A small number in a file named ipv6 is still IPv6.
        let (t, _) = read("1,2,AU\n", "geo-whois-asn-country-ipv6-num.csv").unwrap();
        assert_eq!(t.country6.unwrap()[0].last, 2);
        let (t, _) = read("42540528726795050063891204319802818560,42540528726795050063891204319802818561,6939,HE\n", "data.csv").unwrap();
        assert!(t.asn6.is_some());
    }

    #[test]
    fn malformed_lines_name_the_file_and_line() {
        let cases = [
            (
                "1.0.0.0,1.0.0.255,AU\n1.0.1.0,1.0.1.x,AU\n",
                2,
                "end address",
            ),
            (
                "1.0.0.0,1.0.0.255,AU\n\n1.0.2.0,1.0.1.0,AU\n",
                3,
                "ends before it starts",
            ),
            ("1.0.0.0,1.0.0.255,AUS\n", 1, "two-letter"),
            (
                "1.0.0.0,1.0.0.255,AU\n1.0.1.0,1.0.1.255,15169,Google\n",
                2,
                "first row had 3",
            ),
            ("1.0.0.0,1.0.0.255,x15169,Google\n", 1, "ASN"),
            ("1.0.0.0,::1,AU\n", 1, "different families"),
            ("1.0.0.0\n", 1, "found 1 field"),
            ("99999999999,99999999999,AU\n", 1, "too large for an IPv4"),
        ];
        for (text, line, fragment) in cases {
            let err = read(text, "ipv4.csv").err().unwrap();
            let msg = err.to_string();
            assert!(msg.starts_with(&format!("ipv4.csv, line {line}:")), "{msg}");
            assert!(msg.contains(fragment), "{msg}");
        }
    }

    #[test]
    fn unclosed_quotes_are_reported() {
        let err = read("1.0.0.0,1.0.0.255,5,\"Open\n", "a.csv").err().unwrap();
        assert_eq!(
            err.to_string(),
            "a.csv, line 1: a quoted field is not closed"
        );
    }

    #[test]
    fn headers_blank_lines_and_as0_are_skipped() {
        let (t, _) = read(
            "start,end,asn,org\n\n1.0.0.0,1.0.0.255,0,Reserved\n1.0.1.0,1.0.1.255,5,X\n",
            "a.csv",
        )
        .unwrap();
        assert_eq!(t.asn4.unwrap().len(), 1);
        // "::" has no digit but is an address, not a header.
        let (t, _) = read("::,::ff,AU\n", "a.csv").unwrap();
        assert_eq!(t.country6.map(|r| r.len()), Some(1));
    }

    #[test]
    fn gzipped_csv_is_read() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"1.0.0.0,1.0.0.255,AU\n").unwrap();
        let bytes = gz.finish().unwrap();
        let mut orgs = Interner::new();
        let input = read_input(bytes.as_slice(), "c.csv.gz", "c.csv.gz", &mut orgs).unwrap();
        assert_eq!(input.tables.country4.map(|r| r.len()), Some(1));
    }

    #[test]
    fn empty_input_holds_nothing() {
        let (t, _) = read("", "empty.csv").unwrap();
        assert!(t.is_empty());
    }

    #[test]
    fn versions_carry_dates() {
        assert_eq!(
            date_from_version("2.3.2026061719").as_deref(),
            Some("2026-06-17")
        );
        assert_eq!(date_from_version("1.0.0"), None);
    }
}

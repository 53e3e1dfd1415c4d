//! One way to open any input file: the content decides which reader takes it.
//!
//! The first bytes are examined (at most [`SNIFF_LIMIT`], usually one read):
//!
//! - a first line that is a JSON object with a `"kind"` is canonical NDJSON, unless the
//!   kind is Google's `admin#reports#activity`;
//! - a first line that is an Okta `LogEvent`, an Entra sign-in or a Google activity (or a
//!   page of them) makes a line log of that vendor;
//! - a file that starts a JSON array, or an object spread over several lines, is a JSON
//!   document: its first event decides the vendor;
//! - XML whose root is an ISO 20022 `Document` holding a `pain.001` or `pacs.008`
//!   message (or a wrapper holding a Business Application Header, then such a
//!   `Document`) is a payment message;
//! - text that is not JSON is CSV, if its first line holds a delimiter or the file is
//!   named `*.csv`/`*.tsv`, and not named like JSON;
//! - anything else, and any input with a NUL byte near its start, is handed to the
//!   canonical reader, whose errors say what is wrong (binary, UTF-16, gzip, not UTF-8,
//!   not JSON), as before adapters existed.
//!
//! A recognised vendor format needs a positive sign (the fields of that vendor's event);
//! an unrelated JSON file, such as the demo's `truth.json`, is never taken for one.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::iter::FusedIterator;
use std::path::{Path, PathBuf};

use redflag_model::serde_json::{self, Map, Value};

use crate::csv_input::{self, CsvLogins, CsvMapping};
use crate::document::Events;
use crate::events::{EventReader, Framing, Vendor, page_events};
use crate::iso20022::{self, Iso20022Reader};
use crate::lines::{BOM, Lines, TEXT_CHECK_BYTES};
use crate::{MAX_LINE_BYTES, NdjsonReader, READ_BUFFER_BYTES, ReadError, SourcedRecord};

/// How much is read at a time while deciding the format.
const SNIFF_CHUNK: usize = 64 * 1024;

/// The most read before deciding: a first line (or first event) longer than the longest
/// line a reader accepts cannot make a recognised file anyway.
const SNIFF_LIMIT: usize = MAX_LINE_BYTES + SNIFF_CHUNK;

/// The formats [`open`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Canonical NDJSON records (`shared/spec/records.md`), read by [`NdjsonReader`].
    /// Also the fallback for content no adapter recognises, so that its errors are the
    /// canonical reader's.
    Canonical,
    /// Okta System Log `LogEvent`s, one per line or in a JSON array.
    Okta,
    /// Microsoft Entra ID sign-in logs: Azure Monitor diagnostic records or Microsoft
    /// Graph `signIn` objects.
    Entra,
    /// Google Workspace login audit: Admin SDK Reports API activities.
    GoogleWorkspace,
    /// A CSV file of logins, one row per sign-in (see [`CsvMapping`]).
    Csv,
    /// ISO 20022 credit transfers (`pain.001`, `pacs.008`), as `payment` and
    /// `payout_account` records.
    Iso20022,
}

impl Format {
    /// The format's name, for messages: `Okta System Log`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Canonical => "canonical NDJSON",
            Format::Okta => "Okta System Log",
            Format::Entra => "Microsoft Entra sign-in log",
            Format::GoogleWorkspace => "Google Workspace login audit",
            Format::Csv => "CSV of logins or payments",
            Format::Iso20022 => "ISO 20022 payment message",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<Vendor> for Format {
    fn from(vendor: Vendor) -> Self {
        match vendor {
            Vendor::Okta => Format::Okta,
            Vendor::Entra => Format::Entra,
            Vendor::Google => Format::GoogleWorkspace,
        }
    }
}

/// Choices for [`open_with`] and [`crate::input_files_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// Which columns of a CSV file hold which login fields; `None` looks for the usual
    /// header names only. Fields the mapping leaves out are also looked for by name.
    pub csv_mapping: Option<CsvMapping>,
}

/// The bytes every reader reads from: what was examined, then the rest of the input.
type Source = BufReader<Box<dyn Read + Send>>;

/// The records of one input file, whatever its format.
///
/// Yields `Ok` for each record and `Err` for each bad line, event or row (naming its file
/// and line), then goes on, like [`NdjsonReader`]; an I/O error ends the iteration after
/// it is yielded. For an adapter, each record's [`SourcedRecord::text`] is the canonical
/// JSON of the record it produced and its [`SourcedRecord::location`] the line where the
/// vendor's event starts.
pub struct RecordStream {
    format: Format,
    inner: Inner,
}

enum Inner {
    Canonical(NdjsonReader<Source>),
    Events(EventReader<Source>),
    Csv(CsvLogins),
    // Boxed: the XML reader's state is twice the size of the others, and one stream is
    // made per file, so the indirection costs nothing.
    Iso20022(Box<Iso20022Reader<Source>>),
}

/// What [`RecordStream::skipped`] returns for formats that skip nothing.
static NOTHING_SKIPPED: BTreeMap<&str, u64> = BTreeMap::new();

impl RecordStream {
    /// The format the content was recognised as.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The name the input is reported under.
    pub fn path(&self) -> &Path {
        match &self.inner {
            Inner::Canonical(reader) => reader.path(),
            Inner::Events(reader) => reader.path(),
            Inner::Csv(reader) => reader.path(),
            Inner::Iso20022(reader) => reader.path(),
        }
    }

    /// Bytes consumed from the input so far: at the end of a file read without a fatal
    /// error, its size. For a progress bar against [`crate::total_bytes`].
    pub fn bytes_read(&self) -> u64 {
        match &self.inner {
            Inner::Canonical(reader) => reader.bytes_read(),
            Inner::Events(reader) => reader.bytes_read(),
            Inner::Csv(reader) => reader.bytes_read(),
            Inner::Iso20022(reader) => reader.bytes_read(),
        }
    }

    /// Vendor events (or CSV rows) read so far that produced no record and are not
    /// errors, counted by reason:
    ///
    /// - `not a sign-in event`: a sign-out, a policy evaluation, an admin action…;
    /// - `not a person`: a service principal, managed identity or system actor;
    /// - `no usable IP address`: missing, empty, the string `"null"`, or unparsable (a
    ///   login record requires `ip`);
    /// - `unknown user`: an Okta sign-in attempt with a user name Okta does not know.
    ///
    /// Always empty for canonical NDJSON and ISO 20022 messages, where every line or
    /// transaction is a record or an error.
    pub fn skipped(&self) -> &BTreeMap<&'static str, u64> {
        match &self.inner {
            Inner::Canonical(_) | Inner::Iso20022(_) => &NOTHING_SKIPPED,
            Inner::Events(reader) => reader.skipped(),
            Inner::Csv(reader) => reader.skipped(),
        }
    }
}

impl Iterator for RecordStream {
    type Item = Result<SourcedRecord, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Canonical(reader) => reader.next(),
            Inner::Events(reader) => reader.next(),
            Inner::Csv(reader) => reader.next(),
            Inner::Iso20022(reader) => reader.next(),
        }
    }
}

// Each reader returns `None` for ever once it has ended.
impl FusedIterator for RecordStream {}

impl fmt::Debug for RecordStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordStream")
            .field("path", &self.path())
            .field("format", &self.format)
            .field("bytes_read", &self.bytes_read())
            .field("skipped", self.skipped())
            .finish()
    }
}

/// Opens a file of records in any format redflag reads, recognised by its content: the
/// same as [`open_with`] and default options.
///
/// # Errors
///
/// [`ReadError::Io`] if the file cannot be opened or its first bytes read, and
/// [`ReadError::Malformed`] for a CSV file whose header lacks a column for `subject`,
/// `at` or `ip`. Everything else is reported record by record by the stream.
pub fn open(path: &Path) -> Result<RecordStream, ReadError> {
    open_with(path, &OpenOptions::default())
}

/// Opens a file of records in any format redflag reads, recognised by its content (see
/// [`Format`]), with options such as a CSV column mapping.
///
/// # Errors
///
/// As [`open`]; also [`ReadError::Malformed`] if the CSV mapping names a column the
/// header does not have.
pub fn open_with(path: &Path, options: &OpenOptions) -> Result<RecordStream, ReadError> {
    let file = File::open(path).map_err(|error| ReadError::Io {
        path: path.to_owned(),
        error,
    })?;
    open_reader(file, path, options)
}

/// Reads records from any byte stream (standard input, a decompressor, bytes in memory),
/// recognised by content as [`open_with`] does. `name` names the input in locations and
/// errors; its extension only matters to tell a CSV file from other text.
///
/// # Errors
///
/// As [`open_with`].
pub fn open_reader(
    input: impl Read + Send + 'static,
    name: impl Into<PathBuf>,
    options: &OpenOptions,
) -> Result<RecordStream, ReadError> {
    let path = name.into();
    let mut input: Box<dyn Read + Send> = Box::new(input);
    let (head, sniffed) = read_head(&mut input).map_err(|error| ReadError::Io {
        path: path.clone(),
        error,
    })?;
    let bom = if head.starts_with(BOM) { BOM.len() } else { 0 };
    // What was examined is read again, then the rest of the input.
    let rest = |skip: usize| -> Box<dyn Read + Send> {
        let mut examined = Cursor::new(head);
        examined.set_position(skip as u64);
        Box::new(examined.chain(input))
    };
    let buffered = |input| BufReader::with_capacity(READ_BUFFER_BYTES, input);
    let (format, inner) = match sniffed {
        Sniffed::Lines(vendor) => {
            let lines = Lines::new(buffered(rest(0)), path);
            let reader = EventReader::new(Framing::Lines(lines), vendor);
            (vendor.into(), Inner::Events(reader))
        }
        Sniffed::Document(vendor) => {
            let events = Events::new(buffered(rest(bom)), path, bom as u64, MAX_LINE_BYTES);
            let reader = EventReader::new(Framing::Document(events), vendor);
            (vendor.into(), Inner::Events(reader))
        }
        Sniffed::Iso20022 => {
            // quick-xml skips the byte-order mark itself, and counts it as read.
            let reader = Iso20022Reader::new(buffered(rest(0)), path);
            (Format::Iso20022, Inner::Iso20022(Box::new(reader)))
        }
        Sniffed::Text { delimiter } => match csv_delimiter(&path, delimiter) {
            Some(delimiter) => {
                let mapping = options.csv_mapping.as_ref();
                let reader = CsvLogins::new(rest(bom), bom as u64, path, delimiter, mapping)?;
                (Format::Csv, Inner::Csv(reader))
            }
            None => canonical(buffered(rest(0)), path),
        },
        Sniffed::Canonical | Sniffed::Unknown | Sniffed::NeedMore => {
            canonical(buffered(rest(0)), path)
        }
    };
    Ok(RecordStream { format, inner })
}

fn canonical(source: Source, path: PathBuf) -> (Format, Inner) {
    (
        Format::Canonical,
        Inner::Canonical(NdjsonReader::new(source, path)),
    )
}

/// Whether a file found in a directory is one an adapter recognises (not canonical
/// NDJSON, which is recognised by name).
pub(crate) fn recognised_by_content(path: &Path, options: &OpenOptions) -> io::Result<bool> {
    let mut file = File::open(path)?;
    let (head, sniffed) = read_head(&mut file)?;
    Ok(match sniffed {
        Sniffed::Lines(_) | Sniffed::Document(_) | Sniffed::Iso20022 => true,
        Sniffed::Text { delimiter } => csv_delimiter(path, delimiter).is_some_and(|d| {
            let body = head.strip_prefix(BOM).unwrap_or(&head);
            csv_input::header_maps(body, d, options.csv_mapping.as_ref())
        }),
        Sniffed::Canonical | Sniffed::Unknown | Sniffed::NeedMore => false,
    })
}

/// The CSV delimiter for a text file: the one its header holds, or `,` for a file named
/// `*.csv` (`\t` for `*.tsv`); none for a file named like JSON or XML, which is never
/// CSV.
fn csv_delimiter(path: &Path, found: Option<u8>) -> Option<u8> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("json" | "jsonl" | "ndjson" | "xml") => None,
        Some("csv") => found.or(Some(b',')),
        Some("tsv") => found.or(Some(b'\t')),
        _ => found,
    }
}

/// What the first bytes of an input say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    /// Canonical NDJSON: the first line is an object with a `kind`.
    Canonical,
    /// A vendor's events (or pages of them), one per line.
    Lines(Vendor),
    /// A JSON document holding a vendor's events.
    Document(Vendor),
    /// An ISO 20022 payment message.
    Iso20022,
    /// UTF-8 text that is not JSON; the delimiter its first line holds, if any.
    Text { delimiter: Option<u8> },
    /// Nothing recognised.
    Unknown,
    /// The bytes so far do not decide.
    NeedMore,
}

/// Reads the start of the input until its format is decided.
fn read_head(input: &mut dyn Read) -> io::Result<(Vec<u8>, Sniffed)> {
    let mut head = Vec::new();
    loop {
        let got = Read::take(&mut *input, SNIFF_CHUNK as u64).read_to_end(&mut head)?;
        let complete = got < SNIFF_CHUNK;
        match sniff(&head, complete) {
            Sniffed::NeedMore if !complete && head.len() < SNIFF_LIMIT => continue,
            Sniffed::NeedMore => return Ok((head, Sniffed::Unknown)),
            sniffed => return Ok((head, sniffed)),
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Decides the format from the start of the input; `complete` says whether `head` is
/// the whole input.
fn sniff(head: &[u8], complete: bool) -> Sniffed {
    // Binary content: the canonical reader says so at once, where looking for a first
    // line would read on to the sniffing limit.
    if memchr::memchr(0, &head[..head.len().min(TEXT_CHECK_BYTES as usize)]).is_some() {
        return Sniffed::Unknown;
    }
    let body = head.strip_prefix(BOM).unwrap_or(head);
    let Some(start) = body.iter().position(|&b| !is_space(b)) else {
        return if complete {
            Sniffed::Unknown
        } else {
            Sniffed::NeedMore
        };
    };
    let rest = &body[start..];
    if rest[0] == b'<' {
        // XML that is not a payment message is left to the rules for text, as before.
        match iso20022::recognise(body, complete) {
            Some(true) => return Sniffed::Iso20022,
            Some(false) => {}
            None => return Sniffed::NeedMore,
        }
    }
    let first_line = match memchr::memchr(b'\n', rest) {
        Some(end) => &rest[..end],
        None if complete => rest,
        None if rest[0] == b'[' => rest,
        None => return Sniffed::NeedMore,
    };
    match rest[0] {
        b'[' => document(body, complete),
        b'{' => match serde_json::from_slice::<Value>(first_line) {
            Ok(Value::Object(object)) => match classify(&object) {
                Some(Class::Canonical) => Sniffed::Canonical,
                Some(Class::Vendor(vendor)) => Sniffed::Lines(vendor),
                None => Sniffed::Unknown,
            },
            // An object spread over several lines: a document.
            Err(e) if e.is_eof() => document(body, complete),
            _ => Sniffed::Unknown,
        },
        _ => match std::str::from_utf8(first_line) {
            Ok(_) => Sniffed::Text {
                delimiter: csv_input::delimiter(first_line),
            },
            Err(_) => Sniffed::Unknown,
        },
    }
}

/// The vendor of a JSON document, from its first event.
fn document(body: &[u8], complete: bool) -> Sniffed {
    let mut events = Events::new(Cursor::new(body), PathBuf::new(), 0, MAX_LINE_BYTES);
    // The first element may itself be a page, when a script saved pages in an array.
    let first = events.next_event().map(|event| {
        event.map(|event| match serde_json::from_str::<Value>(event.text) {
            Ok(Value::Object(object)) => match classify(&object) {
                Some(Class::Vendor(vendor)) => Some(vendor),
                _ => None,
            },
            _ => None,
        })
    });
    match first {
        Some(Ok(Some(vendor))) => Sniffed::Document(vendor),
        // The examined bytes end inside the document: look further.
        Some(Err(_)) if !complete && events.bytes_read() == body.len() as u64 => Sniffed::NeedMore,
        _ => Sniffed::Unknown,
    }
}

enum Class {
    Canonical,
    Vendor(Vendor),
}

/// What the object on a file's first line is: a canonical record, a vendor's event or a
/// page of them, or nothing known.
fn classify(object: &Map<String, Value>) -> Option<Class> {
    if let Some(vendor) = Vendor::of_event(object) {
        // A canonical record has a `kind` too, which settles it (Google's are vendor's).
        if vendor == Vendor::Google || !object.contains_key("kind") {
            return Some(Class::Vendor(vendor));
        }
    }
    if object.contains_key("kind") {
        return Some(Class::Canonical);
    }
    let first = page_events(object)?.first()?.as_object()?;
    Vendor::of_event(first).map(Class::Vendor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniffed(text: &str) -> Sniffed {
        sniff(text.as_bytes(), true)
    }

    #[test]
    fn canonical_lines_and_unknown_content() {
        assert_eq!(sniffed("{\"kind\":\"login\"}\n{"), Sniffed::Canonical);
        assert_eq!(sniffed("\u{feff}\n  {\"kind\":7}"), Sniffed::Canonical);
        assert_eq!(sniffed(""), Sniffed::Unknown);
        assert_eq!(sniffed("{\"subject\":\"c-1\"}"), Sniffed::Unknown);
        assert_eq!(sniffed("{\"a\":1} trailing"), Sniffed::Unknown);
        assert_eq!(sniff(b"\xff\xfe{\x00", true), Sniffed::Unknown);
        assert_eq!(sniffed("[]"), Sniffed::Unknown);
        assert_eq!(sniff(&[0; 16], false), Sniffed::Unknown);
        assert_eq!(
            sniffed("[{\"subject\":\"c-1\",\"cluster\":2}]"),
            Sniffed::Unknown
        );
    }

    #[test]
    fn vendors_by_line_and_by_document() {
        let okta = r#"{"eventType":"user.session.start","published":"x","actor":{}}"#;
        assert_eq!(sniffed(okta), Sniffed::Lines(Vendor::Okta));
        assert_eq!(
            sniffed(&format!("[{okta}]")),
            Sniffed::Document(Vendor::Okta)
        );
        let page = "{\n\"@odata.context\": \"x\",\n\"value\": [{\"createdDateTime\": \"x\", \"userPrincipalName\": \"u\"}]}";
        assert_eq!(sniffed(page), Sniffed::Document(Vendor::Entra));
        let google = r#"{"kind":"admin#reports#activities","items":[]}"#;
        assert_eq!(sniffed(google), Sniffed::Lines(Vendor::Google));
        let pages = format!("[{{\"value\": [{okta}]}}]");
        assert_eq!(sniffed(&pages), Sniffed::Document(Vendor::Okta));
    }

    #[test]
    fn an_incomplete_start_asks_for_more() {
        assert_eq!(sniff(b"{\"kind\":", false), Sniffed::NeedMore);
        assert_eq!(sniff(b"[\n{\"eventType\":", false), Sniffed::NeedMore);
        assert_eq!(sniff(b"user,time", false), Sniffed::NeedMore);
        assert_eq!(sniff(b"[\n1 2", false), Sniffed::Unknown);
    }

    #[test]
    fn text_names_its_delimiter() {
        assert_eq!(
            sniffed("user;time;ip\n"),
            Sniffed::Text {
                delimiter: Some(b';')
            }
        );
        assert_eq!(sniffed("hello\n"), Sniffed::Text { delimiter: None });
        assert_eq!(csv_delimiter(Path::new("a.json"), Some(b',')), None);
        assert_eq!(csv_delimiter(Path::new("a.CSV"), None), Some(b','));
        assert_eq!(csv_delimiter(Path::new("a.log"), None), None);
    }
}

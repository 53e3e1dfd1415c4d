//! Every adapter, and the one place where a file's content decides which reader takes it.
//!
//! A new format is a module here implementing [`crate::adapter::Adapter`] and a line in
//! [`ADAPTERS`]. JSON formats share `json.rs`, which reads their events in any layout.
//!
//! Recognition looks at the first bytes of an input (at most [`SNIFF_LIMIT`], usually
//! one read):
//!
//! - a first line that is a JSON object with a `"kind"` naming a canonical record kind
//!   is canonical NDJSON;
//! - a first line that is an adapter's event (or a page of them) makes a line log of
//!   that format;
//! - a file that starts a JSON array, or an object spread over several lines, is a JSON
//!   document: an object an adapter recognises is one event (the whole file), otherwise
//!   the first event of the array or page decides;
//! - anything else that is not JSON is shown to the adapters that read bytes (ISO 20022
//!   XML, redflag's own CSV results, CSV);
//! - anything no adapter recognises, and any input with a NUL byte near its start, is
//!   handed to the canonical reader, whose errors say what is wrong (binary, UTF-16,
//!   gzip, not UTF-8, not JSON, an unknown kind).
//!
//! A recognised format needs a positive sign (the fields of that vendor's event, the root
//! element of its messages); an unrelated JSON file, such as the demo's `truth.json`, is
//! never taken for one.

mod csv;
mod entra;
mod google;
mod identities;
mod iso20022;
pub(crate) mod json;
mod jsonresume;
mod okta;
mod own_output;

use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use redflag_model::Kind;
use redflag_model::serde_json::{self, Map, Value};

pub use self::csv::CsvMapping;
use crate::adapter::{Adapter, Content, Head, Layout};
use crate::document::{Events, page_events};
use crate::lines::{BOM, TEXT_CHECK_BYTES};
use crate::{MAX_LINE_BYTES, OpenOptions};

/// Every adapter, in the order they are asked. Those of JSON formats each need a sign
/// the others lack, so their order does not matter; redflag's own results and identity
/// maps come before CSV, which takes any text with a delimiter.
static ADAPTERS: &[&dyn Adapter] = &[
    &okta::Okta,
    &entra::Entra,
    &google::GoogleWorkspace,
    &jsonresume::JsonResume,
    &own_output::OwnOutput,
    &identities::Identities,
    &iso20022::Iso20022,
    &csv::Csv,
];

/// The adapter with this id.
pub(crate) fn by_id(id: &str) -> Option<&'static dyn Adapter> {
    ADAPTERS.iter().copied().find(|a| a.id() == id)
}

/// How much is read at a time while deciding the format.
const SNIFF_CHUNK: usize = 64 * 1024;

/// The most read before deciding: a first line (or first event) longer than the longest
/// line a reader accepts cannot make a recognised file anyway.
pub(crate) const SNIFF_LIMIT: usize = MAX_LINE_BYTES + SNIFF_CHUNK;

/// What the first bytes of an input say it is.
#[derive(Clone, Copy)]
pub(crate) enum Sniffed {
    /// Canonical NDJSON: the first line is an object with a record kind.
    Canonical,
    /// An adapter's format; for JSON, how its events are laid out.
    Adapter(&'static dyn Adapter, Option<Layout>),
    /// Nothing recognised.
    Unknown,
}

impl Sniffed {
    /// The adapter, where one recognised the input.
    pub(crate) fn adapter(self) -> Option<&'static dyn Adapter> {
        match self {
            Sniffed::Adapter(adapter, _) => Some(adapter),
            Sniffed::Canonical | Sniffed::Unknown => None,
        }
    }
}

/// Reads the start of the input until its format is decided. `found` says the input is
/// a file found in a folder rather than named by the user (see [`Head::found`]).
pub(crate) fn read_head(
    input: &mut dyn Read,
    path: &Path,
    options: &OpenOptions,
    found: bool,
) -> io::Result<(Vec<u8>, Sniffed)> {
    let mut head = Vec::new();
    loop {
        let got = Read::take(&mut *input, SNIFF_CHUNK as u64).read_to_end(&mut head)?;
        let complete = got < SNIFF_CHUNK;
        let probe = Probe {
            path,
            options,
            found,
        };
        match probe.sniff(&head, complete) {
            None if !complete && head.len() < SNIFF_LIMIT => continue,
            None => return Ok((head, Sniffed::Unknown)),
            Some(sniffed) => return Ok((head, sniffed)),
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// What recognition knows besides the bytes.
struct Probe<'a> {
    path: &'a Path,
    options: &'a OpenOptions,
    found: bool,
}

impl Probe<'_> {
    /// Decides the format from the start of the input; `complete` says whether `head` is
    /// the whole input. `None` when more bytes are needed.
    fn sniff(&self, head: &[u8], complete: bool) -> Option<Sniffed> {
        // Binary content: the canonical reader says so at once, where looking for a
        // first line would read on to the sniffing limit.
        if memchr::memchr(0, &head[..head.len().min(TEXT_CHECK_BYTES as usize)]).is_some() {
            return Some(Sniffed::Unknown);
        }
        let body = head.strip_prefix(BOM).unwrap_or(head);
        let Some(start) = body.iter().position(|&b| !is_space(b)) else {
            return complete.then_some(Sniffed::Unknown);
        };
        let rest = &body[start..];
        match rest[0] {
            b'[' => document(body, complete),
            b'{' => {
                let first_line = match memchr::memchr(b'\n', rest) {
                    Some(end) => &rest[..end],
                    None if complete => rest,
                    None => return None,
                };
                match serde_json::from_slice::<Value>(first_line) {
                    Ok(Value::Object(object)) => Some(match classify(&object) {
                        Class::Canonical => Sniffed::Canonical,
                        Class::Event(adapter) | Class::Page(adapter) => {
                            Sniffed::Adapter(adapter, Some(Layout::Lines))
                        }
                        Class::Unknown => Sniffed::Unknown,
                    }),
                    // An object spread over several lines: a document.
                    Err(e) if e.is_eof() => object_document(body, complete),
                    _ => Some(Sniffed::Unknown),
                }
            }
            _ => self.text(body, complete),
        }
    }

    /// Content that is not JSON, shown to the adapters that read bytes.
    fn text(&self, body: &[u8], complete: bool) -> Option<Sniffed> {
        let head = Head {
            body,
            complete,
            path: self.path,
            options: self.options,
            found: self.found,
        };
        let content = Content::Text(&head);
        for adapter in ADAPTERS {
            match adapter.recognise(&content) {
                Some(true) => return Some(Sniffed::Adapter(*adapter, None)),
                Some(false) => {}
                None => return None,
            }
        }
        Some(Sniffed::Unknown)
    }
}

/// What a JSON object from the start of an input is.
enum Class {
    /// A canonical record.
    Canonical,
    /// An adapter's event.
    Event(&'static dyn Adapter),
    /// A page of an adapter's events.
    Page(&'static dyn Adapter),
    Unknown,
}

fn recognised(object: &Map<String, Value>) -> Option<&'static dyn Adapter> {
    let content = Content::Json(object);
    ADAPTERS
        .iter()
        .copied()
        .find(|a| a.recognise(&content) == Some(true))
}

fn classify(object: &Map<String, Value>) -> Class {
    let kind = object.get("kind");
    if kind
        .and_then(Value::as_str)
        .is_some_and(|k| Kind::from_name(k).is_some())
    {
        return Class::Canonical;
    }
    // A page first: an adapter may recognise its own pages by their fields too (a Google
    // page without items), but their events are what the page holds.
    let first = page_events(object)
        .and_then(|events| events.first())
        .and_then(Value::as_object);
    if let Some(adapter) = first.and_then(recognised) {
        return Class::Page(adapter);
    }
    if let Some(adapter) = recognised(object) {
        return Class::Event(adapter);
    }
    // A kind this version does not know: the canonical reader says so.
    if kind.is_some() {
        Class::Canonical
    } else {
        Class::Unknown
    }
}

/// A JSON document that starts with `{` on a line of its own: one event when the object
/// itself is one (and was read whole), else a page whose first event decides.
fn object_document(body: &[u8], complete: bool) -> Option<Sniffed> {
    if complete {
        return Some(match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(object)) => match classify(&object) {
                Class::Event(adapter) => Sniffed::Adapter(adapter, Some(Layout::Whole)),
                Class::Page(adapter) => Sniffed::Adapter(adapter, Some(Layout::Document)),
                Class::Canonical | Class::Unknown => Sniffed::Unknown,
            },
            _ => Sniffed::Unknown,
        });
    }
    document(body, complete)
}

/// The format of a JSON document, from its first event (an element of the top-level
/// array, or of a page array).
fn document(body: &[u8], complete: bool) -> Option<Sniffed> {
    let mut events = Events::new(Cursor::new(body), PathBuf::new(), 0, MAX_LINE_BYTES);
    // The first element may itself be a page, when a script saved pages in an array.
    let first = events.next_event().map(|event| {
        event.map(|event| match serde_json::from_str::<Value>(event.text) {
            Ok(Value::Object(object)) => match classify(&object) {
                Class::Event(adapter) | Class::Page(adapter) => Some(adapter),
                Class::Canonical | Class::Unknown => None,
            },
            _ => None,
        })
    });
    match first {
        Some(Ok(Some(adapter))) => Some(Sniffed::Adapter(adapter, Some(Layout::Document))),
        // The examined bytes end inside the document: look further.
        Some(Err(_)) if !complete && events.bytes_read() == body.len() as u64 => None,
        _ => Some(Sniffed::Unknown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniffed(text: &str) -> Option<(&'static str, Option<Layout>)> {
        sniff_name(text.as_bytes(), "t.log", true)
    }

    /// The adapter's id (or `canonical`, `unknown`) and layout, or `None` for "need more".
    fn sniff_name(
        bytes: &[u8],
        name: &str,
        complete: bool,
    ) -> Option<(&'static str, Option<Layout>)> {
        let options = OpenOptions::default();
        let probe = Probe {
            path: Path::new(name),
            options: &options,
            found: false,
        };
        probe.sniff(bytes, complete).map(|s| match s {
            Sniffed::Canonical => ("canonical", None),
            Sniffed::Unknown => ("unknown", None),
            Sniffed::Adapter(adapter, layout) => (adapter.id(), layout),
        })
    }

    #[test]
    fn canonical_lines_and_unknown_content() {
        assert_eq!(
            sniffed("{\"kind\":\"login\"}\n{"),
            Some(("canonical", None))
        );
        // An unknown kind is the canonical reader's to report.
        assert_eq!(
            sniffed("\u{feff}\n  {\"kind\":7}"),
            Some(("canonical", None))
        );
        for unknown in [
            "",
            "{\"subject\":\"c-1\"}",
            "{\"a\":1} trailing",
            "[]",
            "[{\"subject\":\"c-1\",\"cluster\":2}]",
        ] {
            assert_eq!(sniffed(unknown), Some(("unknown", None)), "{unknown}");
        }
        assert_eq!(
            sniff_name(b"\xff\xfe{\x00", "t.log", true),
            Some(("unknown", None))
        );
        assert_eq!(
            sniff_name(&[0; 16], "t.log", false),
            Some(("unknown", None))
        );
    }

    #[test]
    fn every_layout_of_a_vendor() {
        let okta = r#"{"eventType":"user.session.start","published":"x","actor":{}}"#;
        let lines = Some(("okta", Some(Layout::Lines)));
        let document = Some(("okta", Some(Layout::Document)));
        assert_eq!(sniffed(okta), lines);
        assert_eq!(sniffed(&format!("[{okta}]")), document);
        assert_eq!(sniffed(&format!("[{{\"value\": [{okta}]}}]")), document);
        assert_eq!(sniffed(&format!("{{\"events\": [{okta}]}}")), lines);
        let hook = format!(
            "{{\n\"eventType\": \"com.okta.event_hook\",\n\"data\": {{\"events\": [{okta}]}}\n}}"
        );
        assert_eq!(sniffed(&hook), document);
        let pretty = okta.replace(',', ",\n");
        assert_eq!(sniffed(&pretty), Some(("okta", Some(Layout::Whole))));

        let page = "{\n\"@odata.context\": \"x\",\n\"value\": [{\"createdDateTime\": \"x\", \"userPrincipalName\": \"u\"}]}";
        assert_eq!(sniffed(page), Some(("entra", Some(Layout::Document))));
        let google = r#"{"kind":"admin#reports#activities","items":[]}"#;
        assert_eq!(
            sniffed(google),
            Some(("google-workspace", Some(Layout::Lines)))
        );
        let activity = "{\n \"kind\": \"admin#reports#activity\",\n \"events\": [{\"name\": \"login_success\"}]\n}";
        assert_eq!(
            sniffed(activity),
            Some(("google-workspace", Some(Layout::Whole)))
        );
        let resume = "{\n  \"basics\": {\"name\": \"Dan\"}\n}\n";
        assert_eq!(sniffed(resume), Some(("json-resume", Some(Layout::Whole))));
    }

    #[test]
    fn an_incomplete_start_asks_for_more() {
        assert_eq!(sniff_name(b"{\"kind\":", "t.log", false), None);
        assert_eq!(sniff_name(b"[\n{\"eventType\":", "t.log", false), None);
        assert_eq!(sniff_name(b"user,time", "t.log", false), None);
        assert_eq!(
            sniff_name(b"[\n1 2", "t.log", false),
            Some(("unknown", None))
        );
    }

    #[test]
    fn text_goes_to_the_byte_adapters() {
        assert_eq!(
            sniff_name(b"user;time;ip\n", "t.log", true),
            Some(("csv", None))
        );
        assert_eq!(
            sniff_name(b"hello\n", "t.log", true),
            Some(("unknown", None))
        );
        assert_eq!(sniff_name(b"hello\n", "t.csv", true), Some(("csv", None)));
        assert_eq!(
            sniff_name(b"a,b\n", "t.json", true),
            Some(("unknown", None))
        );
        let own = format!("{}\r\nc-1,,3,low,,,,,\n", own_output::CSV_HEADER);
        assert_eq!(
            sniff_name(own.as_bytes(), "out.csv", true),
            Some(("redflag-output", None))
        );
        assert_eq!(
            sniff_name(b"<Document><CstmrCdtTrfInitn>", "p.xml", false),
            Some(("iso20022", None))
        );
    }
}

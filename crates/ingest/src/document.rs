//! Framing for vendor exports written as one JSON document rather than one event per
//! line: a JSON array of events (Okta's `GET /api/v1/logs`, the Entra portal's "Download
//! JSON"), or an object holding them in an array member (`value` in a Microsoft Graph
//! page, `items` in a Google Reports API page, `records` in an Azure Monitor blob,
//! `events`, or `data.events` in an Okta event hook's request).
//!
//! The document is scanned byte by byte and each event's text is cut out and handed over
//! on its own, so memory is bounded by the largest event, not the document, and every
//! event keeps the line it starts on. The scanner only tracks nesting and strings; the
//! JSON inside an event is checked when the event is parsed.

use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

use redflag_model::serde_json::{Map, Value};

use crate::{Location, ReadError};

/// The members of a page object whose array holds the events: Microsoft Graph `value`,
/// Google Reports API `items`, Azure Monitor `records`, and `events`.
const PAGE_ARRAYS: [&str; 4] = ["value", "items", "records", "events"];

/// The member of a page object that is an object holding the events in its own `events`
/// member (an Okta event hook's request).
const PAGE_DATA: &str = "data";

/// The array member of [`PAGE_DATA`] that holds the events.
const DATA_EVENTS: &str = "events";

/// Longer than any name in [`PAGE_ARRAYS`]: member names are kept up to this length.
const KEY_PREFIX: usize = 8;

/// The events of a page object, if it is one: the array of its first member named in
/// [`PAGE_ARRAYS`], else of `data.events`.
pub(crate) fn page_events(object: &Map<String, Value>) -> Option<&Vec<Value>> {
    PAGE_ARRAYS
        .iter()
        .find_map(|key| object.get(*key).and_then(Value::as_array))
        .or_else(|| {
            object
                .get(PAGE_DATA)?
                .as_object()?
                .get(DATA_EVENTS)?
                .as_array()
        })
}

/// One event cut out of a document.
#[derive(Debug)]
pub(crate) struct Event<'a> {
    /// The line the event starts on.
    pub(crate) location: Location,
    /// The column, in bytes, the event starts at, to place parse errors on its first line.
    pub(crate) column: u64,
    pub(crate) text: &'a str,
}

/// Streams the events of one JSON document.
#[derive(Debug)]
pub(crate) struct Events<R> {
    reader: R,
    file: PathBuf,
    scan: Scanner,
    bytes_read: u64,
    done: bool,
}

impl<R: BufRead> Events<R> {
    /// `bytes_before` counts bytes the caller consumed before handing the reader over (a
    /// byte-order mark), so that [`Events::bytes_read`] reaches the file's size.
    pub(crate) fn new(reader: R, file: PathBuf, bytes_before: u64, max_event: usize) -> Self {
        Events {
            reader,
            file,
            scan: Scanner::new(max_event),
            bytes_read: bytes_before,
            done: false,
        }
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    pub(crate) fn path(&self) -> &Path {
        &self.file
    }

    /// The next event, or an error. A broken document structure is reported once and
    /// ends the iteration, since nothing after it can be placed; an event that is too
    /// long or not UTF-8 is reported and skipped.
    pub(crate) fn next_event(&mut self) -> Option<Result<Event<'_>, ReadError>> {
        loop {
            if self.done {
                return None;
            }
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    self.done = true;
                    return Some(Err(ReadError::Io {
                        path: self.file.clone(),
                        error,
                    }));
                }
            };
            if chunk.is_empty() {
                self.done = true;
                return match self.scan.state {
                    State::End => None,
                    State::Start => Some(Err(self.malformed(
                        "the file holds no JSON document (expected `[` or `{`)".into(),
                    ))),
                    _ => Some(Err(self.malformed(
                        "the file ends inside the JSON document (is it cut short?)".into(),
                    ))),
                };
            }
            let mut used = 0;
            let mut outcome = None;
            while used < chunk.len() {
                let byte = chunk[used];
                match self.scan.step(byte) {
                    Step::Next => {
                        self.scan.advance(byte);
                        used += 1;
                    }
                    Step::Again => {}
                    Step::Complete { consumed } => {
                        if consumed {
                            self.scan.advance(byte);
                            used += 1;
                        }
                        outcome = Some(Ok(()));
                        break;
                    }
                    Step::Fail(message) => {
                        outcome = Some(Err(message));
                        break;
                    }
                }
            }
            self.reader.consume(used);
            self.bytes_read += used as u64;
            match outcome {
                None => continue,
                Some(Err(message)) => {
                    self.done = true;
                    let message = format!("{message} (column {})", self.scan.column);
                    return Some(Err(self.malformed(message)));
                }
                Some(Ok(())) => return Some(self.event()),
            }
        }
    }

    fn malformed(&self, message: String) -> ReadError {
        ReadError::Malformed {
            location: Location {
                file: self.file.clone(),
                line: self.scan.line,
            },
            message,
        }
    }

    /// The event just completed by the scanner.
    fn event(&self) -> Result<Event<'_>, ReadError> {
        let scan = &self.scan;
        let location = Location {
            file: self.file.clone(),
            line: scan.event_line,
        };
        if scan.event_length > scan.max_event as u64 {
            return Err(ReadError::Malformed {
                location,
                message: format!(
                    "the event is {} bytes long; an event may be at most {} bytes",
                    scan.event_length, scan.max_event
                ),
            });
        }
        match std::str::from_utf8(&scan.event) {
            Ok(text) => Ok(Event {
                location,
                column: scan.event_column,
                text,
            }),
            Err(e) => {
                // Place the bad byte on its own line, as the line reader does.
                let at = e.valid_up_to();
                let before = &scan.event[..at];
                let newlines = memchr::memchr_iter(b'\n', before).count() as u64;
                let column = match memchr::memrchr(b'\n', before) {
                    Some(nl) => at - nl,
                    None => scan.event_column as usize + at,
                };
                Err(ReadError::NotUtf8 {
                    location: Location {
                        file: location.file,
                        line: location.line + newlines,
                    },
                    byte: scan.event.get(at).copied().unwrap_or(0),
                    column,
                })
            }
        }
    }
}

/// Where the scanner is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the top-level value.
    Start,
    /// In the top-level object (or its `data` member), before a member name (or `}` if
    /// `first`).
    Member { first: bool },
    /// Inside a member name.
    Key,
    /// After a member name, before `:`.
    Colon,
    /// Before a member's value.
    Value,
    /// Inside a member value that does not hold events (nested, or a string).
    Skip,
    /// Inside a member value that is a number, `true`, `false` or `null`.
    SkipScalar,
    /// After a member value, before `,` or `}`.
    AfterMember,
    /// In the array of events, before an event or `]`.
    Events,
    /// Inside an event that is an object, array or string.
    Event,
    /// Inside an event that is a bare scalar (not an event, but the parser says so).
    EventScalar,
    /// After an event, before `,` or `]`.
    AfterEvent,
    /// After the top-level value: only white space may follow.
    End,
}

enum Step {
    /// The byte is consumed.
    Next,
    /// The state changed; look at the same byte again.
    Again,
    /// An event is complete; `consumed` says whether the byte was part of it.
    Complete { consumed: bool },
    /// The document is broken here.
    Fail(String),
}

#[derive(Debug)]
struct Scanner {
    state: State,
    /// The 1-based line and byte column of the next byte.
    line: u64,
    column: u64,
    /// Whether the events are the elements of the top-level array (rather than of an
    /// array member of the top-level object).
    root_is_array: bool,
    /// Inside the `data` member of the top-level object.
    in_data: bool,
    /// Nesting depth inside the value being skipped or cut out, and string state.
    depth: u64,
    in_string: bool,
    escape: bool,
    /// The first bytes of the current member name, and its full length.
    key: Vec<u8>,
    key_length: usize,
    /// The event being cut out: at most `max_event` bytes are kept, all are counted.
    event: Vec<u8>,
    event_length: u64,
    event_line: u64,
    event_column: u64,
    max_event: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A byte as shown in a message: the character if printable ASCII, else its value.
fn show(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

impl Scanner {
    fn new(max_event: usize) -> Self {
        Scanner {
            state: State::Start,
            line: 1,
            column: 1,
            root_is_array: false,
            in_data: false,
            depth: 0,
            in_string: false,
            escape: false,
            key: Vec::with_capacity(KEY_PREFIX),
            key_length: 0,
            event: Vec::new(),
            event_length: 0,
            event_line: 0,
            event_column: 0,
            max_event,
        }
    }

    fn advance(&mut self, b: u8) {
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
    }

    /// Tracks strings and nesting for one byte of a value; true when the value ends
    /// with this byte.
    fn nest(&mut self, b: u8) -> bool {
        if self.in_string {
            if self.escape {
                self.escape = false;
            } else if b == b'\\' {
                self.escape = true;
            } else if b == b'"' {
                self.in_string = false;
                return self.depth == 0;
            }
            return false;
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            // Mismatched brackets (`{]`) are left for the parser to report.
            b'}' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                return self.depth == 0;
            }
            _ => {}
        }
        false
    }

    /// Whether the member name just read is `name`.
    fn key_is(&self, name: &str) -> bool {
        self.key_length == self.key.len() && name.as_bytes() == self.key
    }

    /// Whether the member name just read names an array of events where it stands.
    fn key_is_page_array(&self) -> bool {
        if self.in_data {
            self.key_is(DATA_EVENTS)
        } else {
            PAGE_ARRAYS.iter().any(|name| self.key_is(name))
        }
    }

    /// After the `}` of the top-level object or of its `data` member.
    fn close_object(&mut self) {
        self.state = if std::mem::take(&mut self.in_data) {
            State::AfterMember
        } else {
            State::End
        };
    }

    fn end_of_events(&mut self) {
        self.state = if self.root_is_array {
            State::End
        } else {
            State::AfterMember
        };
    }

    fn step(&mut self, b: u8) -> Step {
        match self.state {
            State::Start => match b {
                _ if is_space(b) => Step::Next,
                b'[' => {
                    self.root_is_array = true;
                    self.state = State::Events;
                    Step::Next
                }
                b'{' => {
                    self.state = State::Member { first: true };
                    Step::Next
                }
                _ => Step::Fail(format!(
                    "expected a JSON array or object, found {}",
                    show(b)
                )),
            },
            State::Member { first } => match b {
                _ if is_space(b) => Step::Next,
                b'"' => {
                    self.key.clear();
                    self.key_length = 0;
                    self.escape = false;
                    self.state = State::Key;
                    Step::Next
                }
                b'}' if first => {
                    self.close_object();
                    Step::Next
                }
                _ => Step::Fail(format!("expected a member name, found {}", show(b))),
            },
            State::Key => {
                if self.escape {
                    self.escape = false;
                } else if b == b'\\' {
                    self.escape = true;
                } else if b == b'"' {
                    self.state = State::Colon;
                    return Step::Next;
                }
                if self.key.len() < KEY_PREFIX {
                    self.key.push(b);
                }
                self.key_length += 1;
                Step::Next
            }
            State::Colon => match b {
                _ if is_space(b) => Step::Next,
                b':' => {
                    self.state = State::Value;
                    Step::Next
                }
                _ => Step::Fail(format!("expected `:`, found {}", show(b))),
            },
            State::Value => match b {
                _ if is_space(b) => Step::Next,
                b'[' if self.key_is_page_array() => {
                    self.state = State::Events;
                    Step::Next
                }
                b'{' if !self.in_data && self.key_is(PAGE_DATA) => {
                    self.in_data = true;
                    self.state = State::Member { first: true };
                    Step::Next
                }
                b'{' | b'[' | b'"' => {
                    self.depth = 0;
                    self.in_string = false;
                    self.escape = false;
                    self.state = State::Skip;
                    Step::Again
                }
                b',' | b'}' | b']' | b':' => {
                    Step::Fail(format!("expected a value, found {}", show(b)))
                }
                _ => {
                    self.state = State::SkipScalar;
                    Step::Next
                }
            },
            State::Skip => {
                if self.nest(b) {
                    self.state = State::AfterMember;
                }
                Step::Next
            }
            State::SkipScalar => {
                if is_space(b) || matches!(b, b',' | b'}' | b']') {
                    self.state = State::AfterMember;
                    Step::Again
                } else {
                    Step::Next
                }
            }
            State::AfterMember => match b {
                _ if is_space(b) => Step::Next,
                b',' => {
                    self.state = State::Member { first: false };
                    Step::Next
                }
                b'}' => {
                    self.close_object();
                    Step::Next
                }
                _ => Step::Fail(format!("expected `,` or `}}`, found {}", show(b))),
            },
            State::Events => match b {
                _ if is_space(b) => Step::Next,
                b']' => {
                    self.end_of_events();
                    Step::Next
                }
                b',' | b'}' | b':' => {
                    Step::Fail(format!("expected an event or `]`, found {}", show(b)))
                }
                _ => {
                    self.event.clear();
                    self.event_length = 0;
                    self.event_line = self.line;
                    self.event_column = self.column;
                    self.depth = 0;
                    self.in_string = false;
                    self.escape = false;
                    self.state = if matches!(b, b'{' | b'[' | b'"') {
                        State::Event
                    } else {
                        State::EventScalar
                    };
                    Step::Again
                }
            },
            State::Event => {
                self.keep(b);
                if self.nest(b) {
                    self.state = State::AfterEvent;
                    Step::Complete { consumed: true }
                } else {
                    Step::Next
                }
            }
            State::EventScalar => {
                if is_space(b) || matches!(b, b',' | b'}' | b']') {
                    self.state = State::AfterEvent;
                    Step::Complete { consumed: false }
                } else {
                    self.keep(b);
                    Step::Next
                }
            }
            State::AfterEvent => match b {
                _ if is_space(b) => Step::Next,
                b',' => {
                    self.state = State::Events;
                    Step::Next
                }
                b']' => {
                    self.end_of_events();
                    Step::Next
                }
                _ => Step::Fail(format!(
                    "expected `,` or `]` after an event, found {}",
                    show(b)
                )),
            },
            State::End => {
                if is_space(b) {
                    Step::Next
                } else {
                    Step::Fail(format!(
                        "unexpected {} after the end of the JSON document",
                        show(b)
                    ))
                }
            }
        }
    }

    /// Keeps a byte of the current event, up to the limit; counts it regardless.
    fn keep(&mut self, b: u8) {
        if self.event.len() < self.max_event {
            self.event.push(b);
        }
        self.event_length += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event's text and line, or the error's text, for a document.
    fn scan(input: &str, capacity: usize) -> Vec<Result<(u64, String), String>> {
        let reader = io::BufReader::with_capacity(capacity, input.as_bytes());
        let mut events = Events::new(reader, PathBuf::from("d.json"), 0, 1 << 20);
        let mut out = Vec::new();
        while let Some(item) = events.next_event() {
            out.push(
                item.map(|e| (e.location.line, e.text.to_owned()))
                    .map_err(|e| e.to_string()),
            );
        }
        // A broken document ends the reading where it breaks; a sound one is read whole.
        if out.iter().all(Result::is_ok) {
            assert_eq!(events.bytes_read(), input.len() as u64);
        }
        out
    }

    fn ok(items: &[(u64, &str)]) -> Vec<Result<(u64, String), String>> {
        items
            .iter()
            .map(|(l, t)| Ok((*l, (*t).to_owned())))
            .collect()
    }

    #[test]
    fn events_of_a_top_level_array_keep_their_lines() {
        let input = "[\n  {\"a\": \"x]}\\\"\"},\n  {\"b\": [1, {\"c\": 2}]}\n]\n";
        for capacity in [1, 2, 7, 4096] {
            assert_eq!(
                scan(input, capacity),
                ok(&[(2, "{\"a\": \"x]}\\\"\"}"), (3, "{\"b\": [1, {\"c\": 2}]}")]),
                "capacity {capacity}"
            );
        }
    }

    #[test]
    fn events_of_a_page_object_and_other_members_skipped() {
        let input = r#"{"@odata.context": "x{[", "n": -1.5e3, "ok": true, "o": {"value": [9]},
"value": [{"id": 1}, {"id": 2}], "nextLink": null}"#;
        assert_eq!(
            scan(input, 3),
            ok(&[(2, r#"{"id": 1}"#), (2, r#"{"id": 2}"#)])
        );
        let items = r#"{"kind": "admin#reports#activities", "items": [{"id": 1}]}"#;
        assert_eq!(scan(items, 4096), ok(&[(1, r#"{"id": 1}"#)]));
        // Only these names hold events; a longer name that starts alike does not.
        assert_eq!(scan(r#"{"valueX": [{"id": 1}]}"#, 4096), ok(&[]));
    }

    #[test]
    fn scalars_and_empty_documents() {
        assert_eq!(
            scan("[1, \"s\" ,null]", 4096),
            ok(&[(1, "1"), (1, "\"s\""), (1, "null")])
        );
        assert_eq!(scan(" [ ] ", 4096), ok(&[]));
        assert_eq!(scan("{}", 4096), ok(&[]));
    }

    #[test]
    fn a_broken_document_is_reported_once_with_its_line() {
        assert_eq!(
            scan("[\n{\"a\":1}\n{\"b\":2}]", 4096),
            vec![
                Ok((2, "{\"a\":1}".to_owned())),
                Err("d.json:3: expected `,` or `]` after an event, found `{` (column 1)".into())
            ]
        );
        assert_eq!(
            scan("[{\"a\":1},\n{\"b\":", 4096),
            vec![
                Ok((1, "{\"a\":1}".to_owned())),
                Err("d.json:2: the file ends inside the JSON document (is it cut short?)".into())
            ]
        );
        assert_eq!(
            scan("[] x", 4096),
            vec![Err(
                "d.json:1: unexpected `x` after the end of the JSON document (column 4)".into()
            )]
        );
        assert_eq!(
            scan("  ", 4096),
            vec![Err(
                "d.json:1: the file holds no JSON document (expected `[` or `{`)".into()
            )]
        );
    }

    #[test]
    fn an_over_long_event_is_reported_and_skipped() {
        let input = format!("[\"{}\", 1]", "x".repeat(100));
        let reader = io::BufReader::with_capacity(16, input.as_bytes());
        let mut events = Events::new(reader, PathBuf::from("d.json"), 0, 50);
        let first = events.next_event().map(|r| r.map(|e| e.text.to_owned()));
        assert!(
            matches!(&first, Some(Err(ReadError::Malformed { message, .. })) if message == "the event is 102 bytes long; an event may be at most 50 bytes"),
            "{first:?}"
        );
        assert_eq!(
            events.next_event().and_then(Result::ok).map(|e| e.text),
            Some("1")
        );
        assert!(events.next_event().is_none());
        assert!(events.scan.event.capacity() < 200);
    }

    #[test]
    fn a_bad_byte_is_placed_on_its_line() {
        let mut input = b"[\n {\"a\":\n  \"x".to_vec();
        input.push(0xff);
        input.extend_from_slice(b"\"}]");
        let reader = io::BufReader::new(&input[..]);
        let mut events = Events::new(reader, PathBuf::from("d.json"), 0, 1 << 20);
        let e = events
            .next_event()
            .and_then(Result::err)
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("d.json:3: not UTF-8 (byte 0xff at column 5); records must be UTF-8")
        );
    }
}

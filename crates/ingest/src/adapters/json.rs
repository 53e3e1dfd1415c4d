//! What the JSON adapters share: the reader that takes events from a line log, a JSON
//! document or a lone pretty-printed object, hands each to the adapter's conversion, and
//! turns what comes back into records, errors, or counted skips; and the small readers of
//! fields every conversion uses.
//!
//! A JSON adapter describes its format with a [`Events`]: how to tell one of its events
//! and what one event becomes. Every layout users download then works alike: one event
//! (or page of events) per line, a top-level array, a page object (`value`, `items`,
//! `records`, `events`, `data.events`), and one object spread over several lines.

use std::collections::VecDeque;
use std::io::{BufReader, Read};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use redflag_model::serde_json::{self, Map, Value};
use redflag_model::{Record, RecordError, SubjectId, Timestamp, VendorUser};

use crate::adapter::{Converter, Input, Layout, Skip, Skipped, sourced};
use crate::document::{Events as DocumentEvents, page_events};
use crate::error::quote;
use crate::lines::Lines;
use crate::{Location, MAX_LINE_BYTES, READ_BUFFER_BYTES, ReadError, SourcedRecord};

/// Skip reason: the event is not a sign-in (a sign-out, a policy evaluation, an admin
/// action…).
pub(crate) const NOT_SIGN_IN: &str = "not a sign-in";
/// Skip reason: the actor is a service principal, managed identity or system account.
pub(crate) const NOT_A_PERSON: &str = "not a person";
/// Skip reason: the event has no IP address, or one that does not parse.
pub(crate) const NO_IP: &str = "no usable IP address";
/// Skip reason: a sign-in attempt with a user name the identity provider does not know.
pub(crate) const UNKNOWN_USER: &str = "unknown user";

/// A JSON format, as its adapter describes it to the shared reader.
#[derive(Clone, Copy)]
pub(crate) struct Events {
    /// One of its events, for messages: `an Okta System Log event`.
    pub(crate) one: &'static str,
    /// Whether an object is one of its events (not a page of them).
    pub(crate) is_event: fn(&Map<String, Value>) -> bool,
    /// What one event becomes.
    pub(crate) convert: fn(&Value, &Origin<'_>, &mut Vec<Outcome>),
}

/// Where an event comes from, for conversions that name what they make after it.
pub(crate) struct Origin<'a> {
    /// The file.
    pub(crate) file: &'a Path,
    /// The line the event starts on.
    pub(crate) line: u64,
    /// Whether the event is the whole file (one object, not one of many).
    pub(crate) whole_file: bool,
}

/// What one event, or one part of it, becomes.
pub(crate) enum Outcome {
    /// A record, and the vendor's identity of the person where the record has no field
    /// for it (see [`crate::adapter::sourced`]).
    Record(Box<Record>, Option<VendorUser>),
    Skipped(Skip),
    Invalid(Invalid),
    /// An element of a page or array that is not an object; names what it is.
    NotAnEvent(&'static str),
}

impl From<Invalid> for Outcome {
    fn from(invalid: Invalid) -> Self {
        Outcome::Invalid(invalid)
    }
}

impl From<Skip> for Outcome {
    fn from(skip: Skip) -> Self {
        Outcome::Skipped(skip)
    }
}

/// Why an event that should become a record cannot: a field (named by its path in the
/// vendor's event, such as `actor.alternateId`) is missing or unreadable.
#[derive(Debug, Clone)]
pub(crate) struct Invalid {
    field: String,
    message: String,
}

impl Invalid {
    /// `pointer` is the field's JSON pointer (`/actor/alternateId`).
    pub(crate) fn new(pointer: &str, message: impl Into<String>) -> Self {
        Invalid::field(pointer.trim_start_matches('/').replace('/', "."), message)
    }

    /// `field` is the field's path as messages show it (`work[0].startDate`).
    pub(crate) fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A string field, trimmed; `None` if absent, not a string, empty, or the string `"null"`
/// (Okta writes missing values that way, e.g. `"ipAddress":"null"`).
pub(crate) fn text<'a>(event: &'a Value, pointer: &str) -> Option<&'a str> {
    let s = event.pointer(pointer)?.as_str()?.trim();
    (!s.is_empty() && !s.eq_ignore_ascii_case("null")).then_some(s)
}

/// Like [`text`], and also `None` for `"unknown"`, which identity providers write where
/// they could not tell (a user agent, a session).
pub(crate) fn known(event: &Value, pointer: &str) -> Option<String> {
    text(event, pointer)
        .filter(|s| !s.eq_ignore_ascii_case("unknown"))
        .map(str::to_owned)
}

/// An IP address field; `None` if absent or not an address.
pub(crate) fn ip(event: &Value, pointer: &str) -> Option<IpAddr> {
    text(event, pointer)?.parse().ok()
}

pub(crate) fn required<'a>(event: &'a Value, pointer: &str) -> Result<&'a str, Invalid> {
    text(event, pointer).ok_or_else(|| Invalid::new(pointer, "is required but missing"))
}

pub(crate) fn subject(event: &Value, pointer: &str) -> Result<SubjectId, Invalid> {
    required(event, pointer)?
        .parse()
        .map_err(|message: String| Invalid::new(pointer, message))
}

pub(crate) fn timestamp(event: &Value, pointer: &str) -> Result<Timestamp, Invalid> {
    let s = required(event, pointer)?;
    s.parse().map_err(|_| {
        Invalid::new(
            pointer,
            format!(
                "expected an RFC 3339 time such as \"2026-03-05T01:12:44Z\", found {}",
                quote(s)
            ),
        )
    })
}

/// The vendor's identity of a person beyond the login name a record carries: its own
/// id for the user and the name it shows. `None` when it gives neither.
pub(crate) fn vendor_user(id: Option<&str>, name: Option<&str>) -> Option<VendorUser> {
    (id.is_some() || name.is_some()).then(|| VendorUser {
        id: id.map(str::to_owned),
        name: name.map(str::to_owned),
    })
}

/// Opens a JSON input of `events` in the layout recognition found.
pub(crate) fn open(input: Input, events: Events) -> Result<Box<dyn Converter>, ReadError> {
    let layout = input.layout.unwrap_or(Layout::Lines);
    let framing = match layout {
        Layout::Lines => {
            let (read, path) = input.all();
            Framing::Lines(Lines::new(buffered(read), path))
        }
        Layout::Document => {
            let (read, bom, path) = input.after_bom();
            Framing::Document(DocumentEvents::new(
                buffered(read),
                path,
                bom,
                MAX_LINE_BYTES,
            ))
        }
        Layout::Whole => {
            let (read, bom, path) = input.after_bom();
            Framing::Whole {
                input: Some(read),
                path,
                bytes_read: bom,
            }
        }
    };
    Ok(Box::new(EventReader {
        framing,
        events,
        pending: VecDeque::new(),
        skipped: Skipped::new(),
    }))
}

fn buffered(read: Box<dyn Read + Send>) -> BufReader<Box<dyn Read + Send>> {
    BufReader::with_capacity(READ_BUFFER_BYTES, read)
}

type Source = BufReader<Box<dyn Read + Send>>;

/// How the events are laid out in the file.
enum Framing {
    /// One event (or one page of events) per line.
    Lines(Lines<Source>),
    /// One JSON document holding an array of events.
    Document(DocumentEvents<Source>),
    /// One JSON document that is one event; `input` is `None` once it is read.
    Whole {
        input: Option<Box<dyn Read + Send>>,
        path: PathBuf,
        bytes_read: u64,
    },
}

/// Streams the records of a vendor's JSON export.
struct EventReader {
    framing: Framing,
    events: Events,
    /// Items produced by the last event and not yet yielded.
    pending: VecDeque<Result<SourcedRecord, ReadError>>,
    skipped: Skipped,
}

impl Converter for EventReader {
    fn bytes_read(&self) -> u64 {
        match &self.framing {
            Framing::Lines(lines) => lines.bytes_read(),
            Framing::Document(events) => events.bytes_read(),
            Framing::Whole { bytes_read, .. } => *bytes_read,
        }
    }

    fn skipped(&self) -> &Skipped {
        &self.skipped
    }

    fn path(&self) -> &Path {
        match &self.framing {
            Framing::Lines(lines) => lines.path(),
            Framing::Document(events) => events.path(),
            Framing::Whole { path, .. } => path,
        }
    }
}

impl EventReader {
    /// Reads the next event (or page) and queues what it becomes. `false` at the end.
    fn read_one(&mut self) -> bool {
        let parsed = match &mut self.framing {
            Framing::Lines(lines) => match lines.next_text() {
                None => return false,
                Some(Err(e)) => Err(e),
                Some(Ok((location, text))) => match serde_json::from_str::<Value>(text) {
                    Ok(value) => Ok((location, value, false)),
                    Err(e) => Err(syntax_error(location, 1, &e)),
                },
            },
            Framing::Document(events) => match events.next_event() {
                None => return false,
                Some(Err(e)) => Err(e),
                Some(Ok(event)) => match serde_json::from_str::<Value>(event.text) {
                    Ok(value) => Ok((event.location, value, false)),
                    Err(e) => Err(syntax_error(event.location, event.column, &e)),
                },
            },
            Framing::Whole {
                input,
                path,
                bytes_read,
            } => match input.take() {
                None => return false,
                Some(input) => read_whole(input, path, bytes_read),
            },
        };
        match parsed {
            Ok((location, value, whole_file)) => self.convert(location, &value, whole_file),
            Err(e) => self.pending.push_back(Err(e)),
        }
        true
    }

    fn convert(&mut self, location: Location, value: &Value, whole_file: bool) {
        let origin = Origin {
            file: &location.file,
            line: location.line,
            whole_file,
        };
        let mut outcomes = Vec::new();
        let events = match value {
            // A page per line, or an array of events on one line, as API scripts write.
            Value::Array(events) => Some(events),
            Value::Object(object) if !(self.events.is_event)(object) => page_events(object),
            _ => None,
        };
        match events {
            Some(events) => {
                for event in events {
                    self.convert_event(event, &origin, &mut outcomes);
                }
            }
            None => self.convert_event(value, &origin, &mut outcomes),
        }
        for outcome in outcomes {
            let item = match outcome {
                Outcome::Record(record, identity) => sourced(*record, identity, location.clone()),
                Outcome::Skipped(skip) => {
                    *self.skipped.entry(skip.key()).or_insert(0) += 1;
                    continue;
                }
                Outcome::Invalid(Invalid { field, message }) => Err(ReadError::Record {
                    location: location.clone(),
                    error: RecordError::Field { field, message },
                }),
                Outcome::NotAnEvent(found) => Err(ReadError::Malformed {
                    location: location.clone(),
                    message: format!("expected {}, found {found}", self.events.one),
                }),
            };
            self.pending.push_back(item);
        }
    }

    /// Converts one event, which must be an object.
    fn convert_event(&self, event: &Value, origin: &Origin<'_>, out: &mut Vec<Outcome>) {
        if event.is_object() {
            (self.events.convert)(event, origin, out);
        } else {
            out.push(Outcome::NotAnEvent(describe(event)));
        }
    }
}

/// Reads a one-object document whole: it was examined whole when recognised, so it is
/// at most about [`MAX_LINE_BYTES`]; the limit only guards against a file that grew since.
fn read_whole(
    input: Box<dyn Read + Send>,
    path: &Path,
    bytes_read: &mut u64,
) -> Result<(Location, Value, bool), ReadError> {
    let limit = MAX_LINE_BYTES as u64 * 2;
    let mut text = Vec::new();
    let got = input
        .take(limit + 1)
        .read_to_end(&mut text)
        .map_err(|error| ReadError::Io {
            path: path.to_owned(),
            error,
        })?;
    *bytes_read += got as u64;
    // The event starts on the line of its first non-blank byte.
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let line = 1 + memchr::memchr_iter(b'\n', &text[..start]).count() as u64;
    let location = Location {
        file: path.to_owned(),
        line,
    };
    if got as u64 > limit {
        return Err(ReadError::Malformed {
            location,
            message: format!("the JSON document is over {limit} bytes long"),
        });
    }
    match serde_json::from_slice::<Value>(&text[start..]) {
        Ok(value) => Ok((location, value, true)),
        Err(e) => Err(syntax_error(location, 1, &e)),
    }
}

/// A JSON syntax error in an event that starts at `location`, column `column`, placed on
/// its own line.
fn syntax_error(location: Location, column: u64, e: &serde_json::Error) -> ReadError {
    let line = location.line + (e.line() as u64).saturating_sub(1);
    let column = if e.line() <= 1 {
        column as usize + e.column().saturating_sub(1)
    } else {
        e.column()
    };
    ReadError::Record {
        location: Location {
            file: location.file,
            line,
        },
        error: RecordError::Syntax {
            message: without_position(e),
            column,
        },
    }
}

impl Iterator for EventReader {
    type Item = Result<SourcedRecord, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if !self.read_one() {
                return None;
            }
        }
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message without its ` at line 1 column 5` suffix: the reader reports the
/// place itself.
fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    }
}

//! The reader shared by the JSON vendor adapters (Okta, Entra, Google Workspace): it takes
//! events from a line log or a JSON document, hands each to the vendor's conversion, and
//! turns what comes back into canonical `login` records, errors, or counted skips.

use std::collections::{BTreeMap, VecDeque};
use std::io::BufRead;
use std::net::IpAddr;
use std::path::Path;

use redflag_model::serde_json::{self, Map, Value};
use redflag_model::{Login, ParsedRecord, Record, RecordError, SubjectId, Timestamp, record_key};

use crate::document::Events;
use crate::error::quote;
use crate::lines::Lines;
use crate::{Location, ReadError, SourcedRecord, entra, google, okta};

/// Skip reason: the event is not a sign-in (a sign-out, a policy evaluation, an admin
/// action…).
pub(crate) const NOT_SIGN_IN: &str = "not a sign-in event";
/// Skip reason: the actor is a service principal, managed identity or system account.
pub(crate) const NOT_A_PERSON: &str = "not a person";
/// Skip reason: the event has no IP address, or one that does not parse.
pub(crate) const NO_IP: &str = "no usable IP address";
/// Skip reason: a sign-in attempt with a user name the identity provider does not know.
pub(crate) const UNKNOWN_USER: &str = "unknown user";

/// The members of a page object whose array holds the events: Microsoft Graph `value`,
/// Google Reports API `items`, Azure Monitor `records`.
pub(crate) const PAGE_ARRAYS: [&str; 3] = ["value", "items", "records"];

/// A vendor whose JSON events this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Vendor {
    Okta,
    Entra,
    Google,
}

impl Vendor {
    /// The vendor whose event this object is, if any. Pages are not events.
    pub(crate) fn of_event(event: &Map<String, Value>) -> Option<Vendor> {
        if google::is_activity(event) {
            Some(Vendor::Google)
        } else if okta::is_event(event) {
            Some(Vendor::Okta)
        } else if entra::is_sign_in(event) {
            Some(Vendor::Entra)
        } else {
            None
        }
    }

    /// Converts one event, which may hold several sign-ins (a Google activity).
    fn convert(self, event: &Value, out: &mut Vec<Outcome>) {
        match self {
            Vendor::Okta => okta::convert(event, out),
            Vendor::Entra => entra::convert(event, out),
            Vendor::Google => google::convert(event, out),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Vendor::Okta => "an Okta System Log event",
            Vendor::Entra => "an Entra sign-in",
            Vendor::Google => "a Google Workspace activity",
        }
    }
}

/// What one event, or one sign-in within it, becomes.
pub(crate) enum Outcome {
    Login(Box<Login>),
    Skipped(&'static str),
    Invalid(Invalid),
    /// An element of a page or array that is not an object; names what it is.
    NotAnEvent(&'static str),
}

impl From<Invalid> for Outcome {
    fn from(invalid: Invalid) -> Self {
        Outcome::Invalid(invalid)
    }
}

/// Why an event that should become a login cannot: a field (named by its path in the
/// vendor's event, such as `actor.alternateId`) is missing or unreadable.
#[derive(Clone)]
pub(crate) struct Invalid {
    field: String,
    message: String,
}

impl Invalid {
    /// `pointer` is the field's JSON pointer (`/actor/alternateId`).
    pub(crate) fn new(pointer: &str, message: impl Into<String>) -> Self {
        Invalid {
            field: pointer.trim_start_matches('/').replace('/', "."),
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

/// A record an adapter made, as the store keeps it: the canonical JSON text, and the
/// record with its key.
pub(crate) fn sourced(record: Record, location: Location) -> Result<SourcedRecord, ReadError> {
    match serde_json::to_string(&record) {
        Ok(text) => Ok(SourcedRecord {
            parsed: ParsedRecord {
                key: record_key(&record),
                record,
            },
            text,
            location,
        }),
        Err(e) => Err(ReadError::Malformed {
            location,
            message: format!(
                "cannot write the {} record as JSON: {e}",
                record.kind().as_str()
            ),
        }),
    }
}

/// How the events are laid out in the file.
#[derive(Debug)]
pub(crate) enum Framing<R> {
    /// One event (or one page of events) per line.
    Lines(Lines<R>),
    /// One JSON document holding an array of events.
    Document(Events<R>),
}

/// Streams the logins of a vendor's JSON export.
#[derive(Debug)]
pub(crate) struct EventReader<R> {
    framing: Framing<R>,
    vendor: Vendor,
    /// Items produced by the last event and not yet yielded.
    pending: VecDeque<Result<SourcedRecord, ReadError>>,
    skipped: BTreeMap<&'static str, u64>,
}

impl<R: BufRead> EventReader<R> {
    pub(crate) fn new(framing: Framing<R>, vendor: Vendor) -> Self {
        EventReader {
            framing,
            vendor,
            pending: VecDeque::new(),
            skipped: BTreeMap::new(),
        }
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        match &self.framing {
            Framing::Lines(lines) => lines.bytes_read(),
            Framing::Document(events) => events.bytes_read(),
        }
    }

    pub(crate) fn skipped(&self) -> &BTreeMap<&'static str, u64> {
        &self.skipped
    }

    pub(crate) fn path(&self) -> &Path {
        match &self.framing {
            Framing::Lines(lines) => lines.path(),
            Framing::Document(events) => events.path(),
        }
    }

    /// Reads the next event (or page) and queues what it becomes. `false` at the end.
    fn read_one(&mut self) -> bool {
        let parsed = match &mut self.framing {
            Framing::Lines(lines) => match lines.next_text() {
                None => return false,
                Some(Err(e)) => Err(e),
                Some(Ok((location, text))) => match serde_json::from_str::<Value>(text) {
                    Ok(value) => Ok((location, value)),
                    Err(e) => Err(ReadError::Record {
                        location,
                        error: RecordError::Syntax {
                            message: without_position(&e),
                            column: e.column(),
                        },
                    }),
                },
            },
            Framing::Document(events) => match events.next_event() {
                None => return false,
                Some(Err(e)) => Err(e),
                Some(Ok(event)) => match serde_json::from_str::<Value>(event.text) {
                    Ok(value) => Ok((event.location, value)),
                    Err(e) => {
                        // Place the error on its line of the document.
                        let line = event.location.line + (e.line() as u64).saturating_sub(1);
                        let column = if e.line() <= 1 {
                            event.column as usize + e.column().saturating_sub(1)
                        } else {
                            e.column()
                        };
                        Err(ReadError::Record {
                            location: Location {
                                file: event.location.file,
                                line,
                            },
                            error: RecordError::Syntax {
                                message: without_position(&e),
                                column,
                            },
                        })
                    }
                },
            },
        };
        match parsed {
            Ok((location, value)) => self.convert(location, &value),
            Err(e) => self.pending.push_back(Err(e)),
        }
        true
    }

    fn convert(&mut self, location: Location, value: &Value) {
        let mut outcomes = Vec::new();
        let events = match value {
            // A page per line, or an array of events on one line, as API scripts write.
            Value::Array(events) => Some(events),
            Value::Object(object) => page_events(object),
            _ => None,
        };
        match events {
            Some(events) => {
                for event in events {
                    self.convert_event(event, &mut outcomes);
                }
            }
            None => self.convert_event(value, &mut outcomes),
        }
        for outcome in outcomes {
            let item = match outcome {
                Outcome::Login(login) => sourced(Record::Login(*login), location.clone()),
                Outcome::Skipped(reason) => {
                    *self.skipped.entry(reason).or_insert(0) += 1;
                    continue;
                }
                Outcome::Invalid(Invalid { field, message }) => Err(ReadError::Record {
                    location: location.clone(),
                    error: RecordError::Field { field, message },
                }),
                Outcome::NotAnEvent(found) => Err(ReadError::Malformed {
                    location: location.clone(),
                    message: format!("expected {}, found {found}", self.vendor.name()),
                }),
            };
            self.pending.push_back(item);
        }
    }

    /// Converts one event, which must be an object.
    fn convert_event(&self, event: &Value, out: &mut Vec<Outcome>) {
        if event.is_object() {
            self.vendor.convert(event, out);
        } else {
            out.push(Outcome::NotAnEvent(describe(event)));
        }
    }
}

impl<R: BufRead> Iterator for EventReader<R> {
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

/// The events of a page object, if it is one.
pub(crate) fn page_events(object: &Map<String, Value>) -> Option<&Vec<Value>> {
    PAGE_ARRAYS
        .iter()
        .find_map(|key| object.get(*key).and_then(Value::as_array))
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

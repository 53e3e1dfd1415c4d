//! The one trait every adapter implements, and what recognition and conversion hand each
//! other. The adapters themselves, their registry and the one function that recognises a
//! file's content are in `adapters/`.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use redflag_model::serde_json::{self, Map, Value};
use redflag_model::{ParsedRecord, Record, VendorUser, record_key};

use crate::{Location, OpenOptions, ReadError, SourcedRecord};

/// Turns one format written by another product into canonical records.
///
/// Adding a vendor is a file in `adapters/` that implements this trait, and a line in
/// `adapters::ADAPTERS`. JSON adapters describe one event and get every layout users
/// download (one per line, an array, a page object, one pretty-printed object) from
/// `adapters::json`; the others read the bytes themselves.
pub(crate) trait Adapter: Sync {
    /// A short name that never changes (`okta`); [`crate::Format::Adapter`] carries it.
    fn id(&self) -> &'static str;

    /// What the format is called in messages: `Okta System Log`.
    fn name(&self) -> &'static str;

    /// Whether `content` is this adapter's: `Some(true)` on a positive sign (the fields
    /// of the vendor's event, the root element of its messages), `Some(false)` when not,
    /// `None` when the bytes examined so far do not decide.
    fn recognise(&self, content: &Content<'_>) -> Option<bool>;

    /// The records of an input this adapter recognised.
    fn open(&self, input: Input) -> Result<Box<dyn Converter>, ReadError>;

    /// Why a folder's file in this format is left out of a scan, for formats that are
    /// never input (redflag's own results). `None` for the formats that are.
    fn passed_over(&self) -> Option<&'static str> {
        None
    }
}

/// What an adapter is shown to decide whether an input is its own.
pub(crate) enum Content<'a> {
    /// A JSON object from the start of the input: the object on its first line, the
    /// first element of a top-level array, a whole one-object document, or the first
    /// element of a page array in any of these.
    Json(&'a Map<String, Value>),
    /// The start of an input that is not JSON.
    Text(&'a Head<'a>),
}

impl Content<'_> {
    /// The JSON object, for adapters of JSON formats.
    pub(crate) fn object(&self) -> Option<&Map<String, Value>> {
        match self {
            Content::Json(object) => Some(object),
            Content::Text(_) => None,
        }
    }

    /// The start of the input, for adapters of other formats.
    pub(crate) fn text(&self) -> Option<&Head<'_>> {
        match self {
            Content::Json(_) => None,
            Content::Text(head) => Some(head),
        }
    }
}

/// The start of an input that is not JSON.
pub(crate) struct Head<'a> {
    /// The bytes examined, without a byte-order mark.
    pub(crate) body: &'a [u8],
    /// Whether `body` is the whole input.
    pub(crate) complete: bool,
    /// The name the input goes by; its extension tells CSV from other text.
    pub(crate) path: &'a Path,
    /// The user's choices (a CSV column mapping).
    pub(crate) options: &'a OpenOptions,
    /// Whether the file was found in a folder rather than named by the user: then only
    /// content an adapter can read records from counts, not the format alone.
    pub(crate) found: bool,
}

/// How the events of a JSON input are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One event, or one page of events, per line.
    Lines,
    /// One document holding events: a top-level array, or a page object (`value`,
    /// `items`, `records`, `events`, `data.events`).
    Document,
    /// One document that is itself one event, spread over several lines.
    Whole,
}

/// An input an adapter recognised: the bytes examined, then the rest.
pub(crate) struct Input {
    head: Vec<u8>,
    rest: Box<dyn Read + Send>,
    bom: usize,
    /// The name the input goes by.
    pub(crate) path: PathBuf,
    /// The user's choices.
    pub(crate) options: OpenOptions,
    /// For JSON content, how its events are laid out.
    pub(crate) layout: Option<Layout>,
}

impl Input {
    pub(crate) fn new(
        head: Vec<u8>,
        rest: Box<dyn Read + Send>,
        bom: usize,
        path: PathBuf,
        options: OpenOptions,
        layout: Option<Layout>,
    ) -> Self {
        Input {
            head,
            rest,
            bom,
            path,
            options,
            layout,
        }
    }

    /// The bytes examined, without a byte-order mark.
    pub(crate) fn head(&self) -> &[u8] {
        &self.head[self.bom..]
    }

    /// The whole input from its first byte, byte-order mark included.
    pub(crate) fn all(self) -> (Box<dyn Read + Send>, PathBuf) {
        (Box::new(Cursor::new(self.head).chain(self.rest)), self.path)
    }

    /// The input after its byte-order mark, and how many bytes that mark took (so that
    /// byte counts reach the file's size).
    pub(crate) fn after_bom(self) -> (Box<dyn Read + Send>, u64, PathBuf) {
        let mut head = Cursor::new(self.head);
        head.set_position(self.bom as u64);
        (Box::new(head.chain(self.rest)), self.bom as u64, self.path)
    }
}

/// Counts of what an adapter read and left out, keyed by what and why
/// (`user.session.end (not a sign-in)`).
pub(crate) type Skipped = BTreeMap<String, u64>;

/// An adapter's records, as [`crate::RecordStream`] yields them.
pub(crate) trait Converter:
    Iterator<Item = Result<SourcedRecord, ReadError>> + Send
{
    /// The name the input is reported under.
    fn path(&self) -> &Path;
    /// Bytes consumed so far.
    fn bytes_read(&self) -> u64;
    /// Events (or rows) read so far that made no record and are not errors.
    fn skipped(&self) -> &Skipped;
}

/// Why an event made no record although nothing is wrong with it: `what` it is (an
/// event type, a category), where the format says, and `why` it is left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Skip {
    pub(crate) what: Option<String>,
    pub(crate) why: &'static str,
}

impl Skip {
    pub(crate) fn new(what: Option<&str>, why: &'static str) -> Self {
        Skip {
            what: what.map(str::to_owned),
            why,
        }
    }

    /// The key it is counted under.
    pub(crate) fn key(&self) -> String {
        match &self.what {
            Some(what) => format!("{what} ({})", self.why),
            None => self.why.to_owned(),
        }
    }
}

/// A record an adapter made, as the store keeps it: the canonical JSON text, and the
/// record with its key. `identity` (the vendor's user id and display name) goes into a
/// login's `vendor_user`, redflag's own field for mapping the login to a profile.
pub(crate) fn sourced(
    mut record: Record,
    identity: Option<VendorUser>,
    location: Location,
) -> Result<SourcedRecord, ReadError> {
    if let Record::Login(login) = &mut record {
        login.vendor_user = identity;
    }
    let text = serde_json::to_string(&record);
    match text {
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

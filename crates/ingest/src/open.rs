//! One way to open any input file: its content decides which reader takes it (see
//! `adapters/mod.rs` for how), and the stream yields canonical records whatever the
//! format.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::iter::FusedIterator;
use std::path::{Path, PathBuf};

use crate::adapter::{Converter, Input};
use crate::adapters::{self, CsvMapping, Sniffed};
use crate::lines::BOM;
use crate::{NdjsonReader, READ_BUFFER_BYTES, ReadError, SourcedRecord};

/// The formats [`open`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Canonical NDJSON records (`shared/spec/records.md`), read by [`NdjsonReader`].
    /// Also the fallback for content no adapter recognises, so that its errors are the
    /// canonical reader's.
    Canonical,
    /// A format an adapter converts, by the adapter's id: `okta` (Okta System Log),
    /// `entra` (Microsoft Entra sign-in logs), `google-workspace` (Google Workspace
    /// login audit), `json-resume`, `iso20022` (payment messages), `csv` (logins or
    /// payments) and `redflag-output` (redflag's own results, read as nothing).
    Adapter(&'static str),
}

impl Format {
    /// The format's name, for messages: `Okta System Log`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Canonical => "canonical NDJSON",
            Format::Adapter(id) => adapters::by_id(id).map_or(id, |a| a.name()),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Choices for [`open_with`] and [`crate::input_files_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// Which columns of a CSV file hold which login fields; `None` looks for the usual
    /// header names only. Fields the mapping leaves out are also looked for by name.
    pub csv_mapping: Option<CsvMapping>,
}

/// The bytes the canonical reader reads from: what was examined, then the rest.
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
    Adapter(Box<dyn Converter>),
}

/// What [`RecordStream::skipped`] returns for canonical NDJSON.
static NOTHING_SKIPPED: BTreeMap<String, u64> = BTreeMap::new();

impl RecordStream {
    /// The format the content was recognised as.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The name the input is reported under.
    pub fn path(&self) -> &Path {
        match &self.inner {
            Inner::Canonical(reader) => reader.path(),
            Inner::Adapter(reader) => reader.path(),
        }
    }

    /// Bytes consumed from the input so far: at the end of a file read without a fatal
    /// error, its size. For a progress bar against [`crate::total_bytes`].
    pub fn bytes_read(&self) -> u64 {
        match &self.inner {
            Inner::Canonical(reader) => reader.bytes_read(),
            Inner::Adapter(reader) => reader.bytes_read(),
        }
    }

    /// Vendor events (or CSV rows) read so far that produced no record and are not
    /// errors, counted by what they are and why they made no record:
    /// `user.session.end (not a sign-in)`, `ServicePrincipalSignInLogs (not a person)`,
    /// `user.authentication.verify (no usable IP address)`,
    /// `user.session.start (unknown user)`, `assessments by redflag, not input`. The
    /// reasons:
    ///
    /// - `not a sign-in`: a sign-out, a policy evaluation, an admin action…;
    /// - `not a person`: a service principal, managed identity or system actor;
    /// - `no usable IP address`: missing, empty, the string `"null"`, or unparsable (a
    ///   login record requires `ip`);
    /// - `unknown user`: an Okta sign-in attempt with a user name Okta does not know.
    ///
    /// Always empty for canonical NDJSON and ISO 20022 messages, where every line or
    /// transaction is a record or an error.
    pub fn skipped(&self) -> &BTreeMap<String, u64> {
        match &self.inner {
            Inner::Canonical(_) => &NOTHING_SKIPPED,
            Inner::Adapter(reader) => reader.skipped(),
        }
    }
}

impl Iterator for RecordStream {
    type Item = Result<SourcedRecord, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Canonical(reader) => reader.next(),
            Inner::Adapter(reader) => reader.next(),
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
    let (head, sniffed) =
        adapters::read_head(&mut input, &path, options, false).map_err(|error| ReadError::Io {
            path: path.clone(),
            error,
        })?;
    let (format, inner) = match sniffed {
        Sniffed::Adapter(adapter, layout) => {
            let bom = if head.starts_with(BOM) { BOM.len() } else { 0 };
            let input = Input::new(head, input, bom, path, options.clone(), layout);
            (
                Format::Adapter(adapter.id()),
                Inner::Adapter(adapter.open(input)?),
            )
        }
        Sniffed::Canonical | Sniffed::Unknown => {
            // What was examined is read again, then the rest of the input.
            let source: Box<dyn Read + Send> = Box::new(Cursor::new(head).chain(input));
            let reader =
                NdjsonReader::new(BufReader::with_capacity(READ_BUFFER_BYTES, source), path);
            (Format::Canonical, Inner::Canonical(reader))
        }
    };
    Ok(RecordStream { format, inner })
}

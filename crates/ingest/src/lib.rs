//! Reading input files into canonical records (`shared/spec/records.md`, "Framing").
//!
//! The pipeline is:
//!
//! 1. [`input_files`] (or [`input_files_with`], or [`find_inputs`], which also says what
//!    it left out) expands the paths the user gave: a file is taken as named; a
//!    directory contributes every `*.ndjson` / `*.jsonl` file directly in it, plus every
//!    `*.json`, `*.log`, `*.csv`, `*.tsv` or `*.xml` file whose content an adapter
//!    recognises, sorted by name, but never redflag's own results. Subdirectories are
//!    not searched.
//! 2. [`open`] (or [`open_with`]) looks at a file's first bytes and returns a
//!    [`RecordStream`] in the right [`Format`]: canonical NDJSON goes to [`NdjsonReader`]
//!    (which streams one file line by line with bounded memory), other formats to their
//!    adapter. Each yields a [`SourcedRecord`] per record: the parsed record, its text
//!    (which the store keeps verbatim; for an adapter, the canonical JSON of the record it
//!    made) and its [`Location`].
//! 3. Every problem is a [`ReadError`] naming the file and line (and the field or column,
//!    where there is one). A reader carries on with the next line after a bad one, so the
//!    caller decides whether to stop, skip (`--skip-unknown`, see
//!    [`ReadError::is_unknown_kind`]) or collect errors.
//!
//! [`total_bytes`] and [`RecordStream::bytes_read`] drive a progress bar;
//! [`RecordStream::skipped`] counts vendor events that made no record, by type.
//!
//! # Adapters
//!
//! Each turns a format written by another product into canonical records: identity
//! providers' sign-in exports into `login` records, payment messages and CSV tables into
//! `payment` and `payout_account` records, résumés into `subject` records. Events that
//! are not what redflag reads (sign-outs, service principals, events without a usable IP
//! address) are counted by type as skipped, not reported as errors, so a file with
//! nothing usable says what it held. The JSON formats are read in every layout users
//! download: one event per line, a JSON array, a page object (`value`, `items`,
//! `records`, `events`, `data.events`) and one pretty-printed object. The module docs
//! list the exact mappings.
//!
//! | [`Format::Adapter`] | input | records |
//! |---|---|---|
//! | `okta` | Okta System Log `LogEvent`s: `/api/v1/logs` arrays, log streams, event hook requests, one event from the Admin Console | a `login` per `user.session.start`, `user.authentication.sso`, `user.authentication.verify`, `user.authentication.auth_via_*` |
//! | `entra` | Microsoft Entra sign-ins: Azure Monitor diagnostic records, Graph `signIn`s (`{"value":[…]}` pages), Log Analytics `SigninLogs` rows | a `login` per sign-in by a person (`SignInLogs`, `NonInteractiveUserSignInLogs`, `ADFSSignInLogs`) |
//! | `google-workspace` | Reports API `login` activities (`{"items":[…]}` pages, native `events` arrays or Elastic's split form) | a `login` per `login_success` or `login_failure` event |
//! | `json-resume` | JSON Resume documents (schema 1.0 and the older field names) | a `subject` per résumé |
//! | `iso20022` | ISO 20022 `pain.001` (.03–.09) or `pacs.008` (.02–.10), any namespace, bare or with a Business Application Header | a `payment` per credit transfer transaction (`CdtTrfTxInf`), a `payout_account` per creditor account |
//! | `csv` | a header and one row per sign-in or payment, columns chosen by a [`CsvMapping`] or by usual names | a `login` per row with an IP address, or a `payment` per row |
//! | `redflag-output` | redflag's own assessments (JSON, NDJSON, CSV) | nothing: counted, and left out of folders |
//!
//! An adapter is a file in `adapters/` implementing the `Adapter` trait (`adapter.rs`)
//! and a line in the registry (`adapters/mod.rs`), which is also where content is
//! recognised.
//!
//! # Example
//!
//! ```no_run
//! use std::path::PathBuf;
//! use redflag_ingest::{OpenOptions, CsvMapping, input_files_with, open_with};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let options = OpenOptions { csv_mapping: Some(CsvMapping::parse("subject=user,at=time,ip=client")?) };
//! for file in input_files_with(&[PathBuf::from("data/")], &options)? {
//!     let mut records = open_with(&file, &options)?;
//!     for item in records.by_ref() {
//!         match item {
//!             Ok(rec) => println!("{} {}", rec.location, rec.parsed.key),
//!             Err(e) if e.is_unknown_kind() => continue,
//!             Err(e) => return Err(e.into()),
//!         }
//!     }
//!     eprintln!("{}: {} ({} bytes), skipped {:?}", file.display(), records.format(), records.bytes_read(), records.skipped());
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod adapter;
mod adapters;
mod document;
mod error;
mod files;
mod lines;
mod ndjson;
mod open;

use std::fmt;
use std::path::PathBuf;

use redflag_model::ParsedRecord;

pub use adapters::CsvMapping;
pub use error::ReadError;
pub use files::{Inputs, PassedOver, find_inputs, input_files, input_files_with, total_bytes};
pub use ndjson::{MAX_LINE_BYTES, NdjsonReader, READ_BUFFER_BYTES};
pub use open::{Format, OpenOptions, RecordStream, open, open_reader, open_with};

/// Where a record came from: the file and the 1-based physical line (blank lines count).
/// Used in error messages and as the store's `source` column.
///
/// Displays as `path/to/file.ndjson:123`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file as the user named it (or as found in a directory they named).
    pub file: PathBuf,
    /// The 1-based line number, counting every `\n`-terminated line including blank ones.
    pub line: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// One record read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedRecord {
    /// The record and its idempotency key.
    pub parsed: ParsedRecord,
    /// The exact text of the line, without its line ending (`\n` or `\r\n`) and without a
    /// byte-order mark; the store keeps it verbatim, unknown fields included. For a record
    /// an adapter made from a vendor's event, the record's canonical JSON.
    pub text: String,
    /// Where the line is; for an adapter's record, where the vendor's event (or CSV row)
    /// starts.
    pub location: Location,
}

//! Reading input files into canonical records (`shared/spec/records.md`, "Framing").
//!
//! The pipeline is:
//!
//! 1. [`input_files`] expands the paths the user gave: a file is taken as named, a
//!    directory contributes every `*.ndjson` / `*.jsonl` file directly in it, sorted by
//!    name. Subdirectories are not searched.
//! 2. [`NdjsonReader`] streams one file line by line with bounded memory and yields a
//!    [`SourcedRecord`] per line: the parsed record, the line's exact text (which the store
//!    keeps verbatim) and its [`Location`].
//! 3. Every problem is a [`ReadError`] naming the file and line (and the field, where
//!    there is one). A reader carries on with the next line after a bad one, so the
//!    caller decides whether to stop, skip (`--skip-unknown`, see
//!    [`ReadError::is_unknown_kind`]) or collect errors.
//!
//! [`total_bytes`] and [`NdjsonReader::bytes_read`] drive a progress bar.
//!
//! # Adapters
//!
//! Vendor formats (Okta System Log, Microsoft Entra sign-ins, Google Workspace login
//! audit, ISO 20022 payments, JSON Resume, CSV) are converted to canonical records by
//! adapters. An adapter is one module beside `ndjson.rs` (say `mod okta;` next to
//! `mod ndjson;` here) whose reader
//! yields `Result<SourcedRecord, ReadError>` like [`NdjsonReader`] does, plus one
//! registration line in `files::recognised` so that files it recognises are picked up when
//! a directory is scanned. The canonical NDJSON reader is the only format so far.
//!
//! # Example
//!
//! ```no_run
//! use std::path::PathBuf;
//! use redflag_ingest::{NdjsonReader, input_files};
//!
//! # fn main() -> Result<(), redflag_ingest::ReadError> {
//! for file in input_files(&[PathBuf::from("data/")])? {
//!     for item in NdjsonReader::open(&file)? {
//!         match item {
//!             Ok(rec) => println!("{} {}", rec.location, rec.parsed.key),
//!             Err(e) if e.is_unknown_kind() => continue,
//!             Err(e) => return Err(e),
//!         }
//!     }
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod error;
mod files;
mod ndjson;

use std::fmt;
use std::path::PathBuf;

use redflag_model::ParsedRecord;

pub use error::ReadError;
pub use files::{input_files, total_bytes};
pub use ndjson::{MAX_LINE_BYTES, NdjsonReader, READ_BUFFER_BYTES};

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
    /// byte-order mark; the store keeps it verbatim, unknown fields included.
    pub text: String,
    /// Where the line is.
    pub location: Location,
}

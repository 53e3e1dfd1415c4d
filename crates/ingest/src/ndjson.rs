//! The canonical format: NDJSON, one record per line (`shared/spec/records.md`, "Framing").
//!
//! Framing rules, as implemented:
//!
//! - lines end at `\n`; a `\r` before it is dropped, so CRLF files read the same;
//! - the last line may lack its `\n`;
//! - a UTF-8 byte-order mark at the start of the file is dropped;
//! - lines that are empty or hold only spaces, tabs and `\r` are skipped silently, but
//!   still count: line numbers are 1-based and count every physical line;
//! - a line is at most [`MAX_LINE_BYTES`] long (without its line ending). A longer one is
//!   reported and skipped up to the next `\n` without being held in memory; but when no
//!   `\n` comes within 16 MiB past the limit the input is not line-framed (and may be
//!   endless, like `/dev/zero`), so that is reported and reading stops;
//! - a NUL byte in the first 8000 bytes means the input is not text (compressed, UTF-16,
//!   binary): that is reported and reading stops;
//! - a line must be UTF-8; the error gives the first bad byte and its column.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::iter::FusedIterator;
use std::path::{Path, PathBuf};

use redflag_model::parse_record;

use crate::lines::Lines;
use crate::{ReadError, SourcedRecord};

/// The longest line, in bytes without its line ending, that is read as a record. Real
/// records are a few hundred bytes; a `subject` with a long résumé a few tens of KiB.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The read buffer [`NdjsonReader::open`] uses. Large enough that a read system call
/// fetches hundreds of records.
pub const READ_BUFFER_BYTES: usize = 256 * 1024;

/// Streams the records of one NDJSON file, line by line, in bounded memory.
///
/// Yields `Ok` for each record and `Err` for each bad line (naming its file and line),
/// then goes on with the next line, so the caller decides whether to stop or skip. An I/O
/// error, binary content or a line without end ends the iteration after it is yielded
/// (see [`ReadError::is_line_error`]).
///
/// ```
/// use redflag_ingest::NdjsonReader;
///
/// let input = "{\"kind\":\"contract\",\"subject\":\"c-1\",\"at\":\"2026-03-01T09:00:00Z\",\"event\":\"work_started\"}\n\nnot json\n";
/// let mut reader = NdjsonReader::new(input.as_bytes(), "in.ndjson");
/// let first = reader.next().unwrap().unwrap();
/// assert_eq!(first.location.to_string(), "in.ndjson:1");
/// let second = reader.next().unwrap().unwrap_err();
/// assert!(second.to_string().starts_with("in.ndjson:3: not valid JSON"));
/// assert!(reader.next().is_none());
/// assert_eq!(reader.bytes_read(), input.len() as u64);
/// ```
#[derive(Debug)]
pub struct NdjsonReader<R> {
    lines: Lines<R>,
}

impl NdjsonReader<BufReader<File>> {
    /// Opens a file for reading, with a [`READ_BUFFER_BYTES`] buffer.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, ReadError> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|error| ReadError::Io {
            path: path.to_owned(),
            error,
        })?;
        Ok(Self::new(
            BufReader::with_capacity(READ_BUFFER_BYTES, file),
            path,
        ))
    }
}

impl<R: BufRead> NdjsonReader<R> {
    /// Reads from any buffered reader (standard input, a decompressor, a test slice).
    /// `file` is only used to name the input in [`Location`]s and errors (`-` or
    /// `<stdin>` for standard input, say).
    ///
    /// [`Location`]: crate::Location
    pub fn new(reader: R, file: impl Into<PathBuf>) -> Self {
        NdjsonReader {
            lines: Lines::new(reader, file.into()),
        }
    }

    /// Sets the longest line accepted, in bytes (default [`MAX_LINE_BYTES`]). Memory use
    /// is bounded by about this much plus the reader's buffer.
    pub fn with_max_line_bytes(mut self, limit: usize) -> Self {
        self.lines.set_max_line_bytes(limit);
        self
    }

    /// Bytes consumed from the input so far, line endings and skipped lines included: at
    /// the end of the input, its size. For a progress bar against [`crate::total_bytes`].
    pub fn bytes_read(&self) -> u64 {
        self.lines.bytes_read()
    }

    /// The number of physical lines read so far.
    pub fn lines_read(&self) -> u64 {
        self.lines.lines_read()
    }

    /// The name the input is reported under.
    pub fn path(&self) -> &Path {
        self.lines.path()
    }
}

impl<R: BufRead> Iterator for NdjsonReader<R> {
    type Item = Result<SourcedRecord, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (location, text) = match self.lines.next_text()? {
            Ok(line) => line,
            Err(e) => return Some(Err(e)),
        };
        Some(match parse_record(text) {
            Ok(parsed) => Ok(SourcedRecord {
                parsed,
                text: text.to_owned(),
                location,
            }),
            Err(error) => Err(ReadError::Record { location, error }),
        })
    }
}

impl<R: BufRead> FusedIterator for NdjsonReader<R> {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    use crate::lines::{BOM, SKIP_AT_MOST, TEXT_CHECK_BYTES};

    const LOGIN: &str =
        r#"{"kind":"login","subject":"c-1","at":"2026-03-05T01:12:44Z","ip":"203.0.113.7"}"#;

    fn read(input: &[u8]) -> Vec<Result<SourcedRecord, ReadError>> {
        NdjsonReader::new(input, "t.ndjson").collect()
    }

    fn lines_of(items: &[Result<SourcedRecord, ReadError>]) -> Vec<u64> {
        items
            .iter()
            .map(|i| match i {
                Ok(r) => r.location.line,
                Err(e) => e.location().map_or(0, |l| l.line),
            })
            .collect()
    }

    #[test]
    fn whitespace_only_lines_are_skipped_but_counted() {
        let input = format!("\n  \t\r\n{LOGIN}\n \n{LOGIN}");
        let items = read(input.as_bytes());
        assert_eq!(lines_of(&items), [3, 5]);
        assert!(items.iter().all(Result::is_ok));
    }

    #[test]
    fn a_bom_is_dropped_only_at_the_start_of_the_file() {
        let input = format!("\u{feff}{LOGIN}\n\u{feff}{LOGIN}\n");
        let items = read(input.as_bytes());
        assert_eq!(items[0].as_ref().map(|r| r.text.as_str()).ok(), Some(LOGIN));
        let err = items[1].as_ref().unwrap_err();
        assert!(
            err.to_string().starts_with("t.ndjson:2: not valid JSON"),
            "{err}"
        );
    }

    #[test]
    fn a_file_of_only_a_bom_has_no_records() {
        assert!(read(BOM).is_empty());
        assert!(read(b"\xEF\xBB\xBF\r\n").is_empty());
    }

    #[test]
    fn the_limit_applies_to_the_line_without_its_ending() {
        let line = format!("{LOGIN}\r\n{LOGIN}\n");
        let exact = LOGIN.len();
        let items: Vec<_> = NdjsonReader::new(line.as_bytes(), "t.ndjson")
            .with_max_line_bytes(exact)
            .collect();
        assert!(items.iter().all(Result::is_ok));

        let items: Vec<_> = NdjsonReader::new(line.as_bytes(), "t.ndjson")
            .with_max_line_bytes(exact - 1)
            .collect();
        assert_eq!(items.len(), 2);
        for (i, item) in items.iter().enumerate() {
            let e = item.as_ref().unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "t.ndjson:{}: the line is {exact} bytes long; a record may be at most {} bytes (is this file NDJSON?)",
                    i + 1,
                    exact - 1
                )
            );
        }
    }

    #[test]
    fn limits_at_the_edge_with_bom_and_crlf() {
        for (prefix, suffix) in [
            ("", ""),
            ("\u{feff}", ""),
            ("", "\r\n"),
            ("\u{feff}", "\r\n"),
        ] {
            let input = format!("{prefix}{LOGIN}{suffix}");
            for limit in LOGIN.len().saturating_sub(5)..LOGIN.len() + 5 {
                let items: Vec<_> = NdjsonReader::new(input.as_bytes(), "t")
                    .with_max_line_bytes(limit)
                    .collect();
                assert_eq!(items.len(), 1);
                match &items[0] {
                    Ok(r) => {
                        assert!(limit >= LOGIN.len(), "{limit}");
                        assert_eq!(r.text, LOGIN);
                    }
                    Err(ReadError::LineTooLong { length, .. }) => {
                        assert!(limit < LOGIN.len(), "{limit}");
                        assert_eq!(*length, LOGIN.len() as u64);
                    }
                    Err(e) => panic!("{e}"),
                }
            }
        }
    }

    #[test]
    fn bytes_read_counts_everything_including_skipped_lines() {
        let input = format!("\u{feff}{LOGIN}\r\n\n{}\n{LOGIN}", "x".repeat(100));
        let mut reader = NdjsonReader::new(input.as_bytes(), "t").with_max_line_bytes(90);
        assert_eq!(reader.bytes_read(), 0);
        assert!(reader.next().is_some_and(|r| r.is_ok()));
        assert_eq!(reader.bytes_read(), (3 + LOGIN.len() + 2) as u64);
        assert_eq!(reader.by_ref().count(), 2);
        assert_eq!(reader.bytes_read(), input.len() as u64);
        assert_eq!(reader.lines_read(), 4);
        assert!(reader.next().is_none());
    }

    #[test]
    fn an_io_error_is_reported_with_the_path_and_ends_the_iteration() {
        struct Failing(bool);
        impl io::Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if std::mem::replace(&mut self.0, true) {
                    Err(io::Error::other("disk on fire"))
                } else {
                    let line = format!("{LOGIN}\n{{\"kind\"");
                    buf[..line.len()].copy_from_slice(line.as_bytes());
                    Ok(line.len())
                }
            }
        }
        let reader = BufReader::with_capacity(4096, Failing(false));
        let items: Vec<_> = NdjsonReader::new(reader, "/x/y.ndjson").collect();
        assert_eq!(items.len(), 2);
        assert!(items[0].is_ok());
        let e = items[1].as_ref().unwrap_err();
        assert_eq!(e.to_string(), "cannot read /x/y.ndjson: disk on fire");
    }

    #[test]
    fn an_over_long_line_is_skipped_without_being_held_in_memory() {
        use std::io::Read;
        // 16 MiB of one "line", generated on the fly, then a good record.
        let huge: u64 = 16 << 20;
        let tail = format!("\n{LOGIN}\n");
        let input = io::repeat(b'x').take(huge).chain(tail.as_bytes());
        let mut reader =
            NdjsonReader::new(BufReader::with_capacity(READ_BUFFER_BYTES, input), "big");
        let e = reader.next().and_then(Result::err);
        assert!(e.as_ref().is_some_and(ReadError::is_line_error), "{e:?}");
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some(
                "big:1: the line is 16777216 bytes long; a record may be at most 1048576 bytes (is this file NDJSON?)"
            )
        );
        assert!(
            reader.lines.line.capacity() <= 2 * (MAX_LINE_BYTES + 4),
            "line buffer grew to {} bytes",
            reader.lines.line.capacity()
        );
        let next = reader.next().and_then(Result::ok).map(|r| r.location.line);
        assert_eq!(next, Some(2));
        assert!(reader.next().is_none());
    }

    #[test]
    fn a_line_without_end_stops_the_file_past_the_skip_bound() {
        use std::io::Read;
        // Stands in for an endless input: more than the bound, then records that must
        // not be reached.
        let tail = format!("\n{LOGIN}\n");
        let limit = 1000;
        let input = io::repeat(b'x')
            .take(limit + SKIP_AT_MOST + 2 * READ_BUFFER_BYTES as u64)
            .chain(tail.as_bytes());
        let mut reader =
            NdjsonReader::new(BufReader::with_capacity(READ_BUFFER_BYTES, input), "zero")
                .with_max_line_bytes(limit as usize);
        let e = reader.next().and_then(Result::err);
        assert!(e.as_ref().is_some_and(|e| !e.is_line_error()), "{e:?}");
        assert!(
            matches!(e, Some(ReadError::NoLineEnd { length, .. })
                if length > limit + SKIP_AT_MOST && length <= limit + SKIP_AT_MOST + READ_BUFFER_BYTES as u64),
            "{e:?}"
        );
        let message = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.starts_with("zero:1: no line break in ")
                && message.ends_with(
                    " bytes (a record may be at most 1000 bytes); this is not NDJSON, reading the file stopped"
                ),
            "{message}"
        );
        assert!(reader.next().is_none());
        assert!(reader.bytes_read() <= limit + SKIP_AT_MOST + READ_BUFFER_BYTES as u64);
        assert!(reader.lines.line.capacity() <= 4096, "the line buffer grew");
    }

    #[test]
    fn nul_bytes_at_the_start_mean_binary_and_stop_the_file() {
        use std::io::Read;
        let zeros = BufReader::new(io::repeat(0).take(1 << 30));
        let mut reader = NdjsonReader::new(zeros, "/dev/zero");
        let e = reader.next().and_then(Result::err);
        assert!(e.as_ref().is_some_and(|e| !e.is_line_error()), "{e:?}");
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some(
                "/dev/zero:1: not a text file of records: a NUL byte at offset 0; redflag reads NDJSON records and CSV, JSON or XML exports"
            )
        );
        assert!(reader.next().is_none());
        assert!(reader.bytes_read() < TEXT_CHECK_BYTES);

        // The line with the NUL is named; the lines before it are read.
        let input = format!("{LOGIN}\n{LOGIN}\0\n{LOGIN}\n");
        let items = read(input.as_bytes());
        assert_eq!(items.len(), 2);
        assert!(items[0].is_ok());
        let e = items[1].as_ref().map(|_| ()).unwrap_err().to_string();
        assert!(
            e.starts_with("t.ndjson:2: not a text file of records: a NUL byte at offset 159;"),
            "{e}"
        );

        // Past the start, a NUL is a bad line like any other.
        let late = format!(
            "{}\n{LOGIN}\0\n{LOGIN}\n",
            " ".repeat(TEXT_CHECK_BYTES as usize)
        );
        let items = read(late.as_bytes());
        assert_eq!(items.len(), 2);
        assert!(items[0].as_ref().is_err_and(ReadError::is_line_error));
        assert!(items[1].is_ok());
    }

    #[test]
    fn compressed_and_utf16_input_is_named() {
        let gzip = b"\x1f\x8b\x08\x00\x00\x00\x00\x00";
        let e = read(gzip)
            .pop()
            .and_then(Result::err)
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some(
                "t.ndjson:1: not a text file of records: a NUL byte at offset 3; the file looks gzip-compressed, decompress it first"
            )
        );
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend(LOGIN.encode_utf16().flat_map(u16::to_le_bytes));
        // Read a byte at a time: the answer does not depend on how the input is cut.
        let items: Vec<_> =
            NdjsonReader::new(BufReader::with_capacity(1, utf16.as_slice()), "t").collect();
        let e = items
            .last()
            .and_then(|r| r.as_ref().err())
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some(
                "t:1: not a text file of records: a NUL byte at offset 3; the file looks UTF-16 (as PowerShell's `>` writes), convert it to UTF-8"
            )
        );
    }

    #[test]
    fn open_names_the_missing_file() {
        let e = NdjsonReader::open("/no/such/dir/x.ndjson").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read /no/such/dir/x.ndjson: no such file or directory"
        );
    }
}

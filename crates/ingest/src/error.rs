//! Everything that can go wrong while finding and reading input, with messages that name
//! the file, the line and (for a bad record) the field.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use redflag_model::RecordError;

use crate::Location;

/// A problem with the input. Messages name the file, and the line where there is one, so
/// they can be shown to the user as they are.
///
/// Underlying errors ([`RecordError`], [`io::Error`]) are part of the message and
/// available through the variant's fields (or [`ReadError::record_error`]); they are not
/// also reported as [`std::error::Error::source`], so an error chain does not print them
/// twice.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Opening or reading a file or directory failed:
    /// `cannot read /x/y.ndjson: permission denied`.
    #[error("cannot read {}: {}", path.display(), describe_io(error))]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        error: io::Error,
    },

    /// A line is not a valid record:
    /// `data/a.ndjson:12: field `location.country`: unknown country code "XX": expected …`.
    #[error("{location}: {error}")]
    Record {
        /// Where the line is.
        location: Location,
        /// Why it is not a valid record.
        error: RecordError,
    },

    /// A line holds bytes that are not UTF-8:
    /// `data/a.ndjson:3: not UTF-8 (byte 0xff at column 17); records must be UTF-8`.
    #[error(
        "{location}: not UTF-8 (byte 0x{byte:02x} at column {column}); records must be UTF-8{}",
        encoding_hint(location, *byte, *column)
    )]
    NotUtf8 {
        /// Where the line is.
        location: Location,
        /// The first byte that is not valid UTF-8.
        byte: u8,
        /// Its 1-based byte column in the line (after a byte-order mark, if any).
        column: usize,
    },

    /// A line is longer than the reader's limit (by default [`crate::MAX_LINE_BYTES`]).
    /// The reader skipped it without holding it in memory.
    #[error(
        "{location}: the line is {length} bytes long; a record may be at most {limit} bytes (is this file NDJSON?)"
    )]
    LineTooLong {
        /// Where the line starts.
        location: Location,
        /// The length of the whole line in bytes, without its line ending.
        length: u64,
        /// The limit it exceeded.
        limit: usize,
    },

    /// The input holds a NUL byte near its start, which text never does: it is
    /// compressed, UTF-16 or some other binary file. Reading the file stops here:
    /// `/dev/zero:1: not a text file of records: a NUL byte at offset 0 (...)`.
    #[error(
        "{location}: not a text file of records: a NUL byte at offset {offset}; {}",
        binary_hint(*start)
    )]
    NotText {
        /// The line holding the NUL byte.
        location: Location,
        /// The NUL byte's 0-based offset in the input.
        offset: u64,
        /// The first two bytes of the input, which say what it may be instead.
        start: [u8; 2],
    },

    /// A line runs on far past the line limit (by 16 MiB) without a line break: the input is not line-framed, and may never end (a device such as
    /// `/dev/zero`). Reading the file stops here, unlike after [`ReadError::LineTooLong`].
    #[error(
        "{location}: no line break in {length} bytes (a record may be at most {limit} bytes); this is not NDJSON, reading the file stopped"
    )]
    NoLineEnd {
        /// Where the line starts.
        location: Location,
        /// The bytes of the line read before giving up.
        length: u64,
        /// The line limit.
        limit: usize,
    },

    /// An event or row of a vendor log or CSV file that cannot be read, or a document
    /// whose structure is broken (a JSON array cut short, a CSV row with the wrong
    /// number of fields): `okta.json:1480: the file ends inside the JSON document`.
    #[error("{location}: {message}")]
    Malformed {
        /// Where the event or row starts, or where the structure breaks.
        location: Location,
        /// What is wrong, as a sentence fragment.
        message: String,
    },

    /// A value in a CSV row that cannot be read:
    /// `logins.csv:7: column `time`: expected RFC 3339 (...), found "yesterday"`.
    #[error("{location}: column `{column}`: {message}")]
    Column {
        /// Where the row is.
        location: Location,
        /// The column's name in the header.
        column: String,
        /// What is wrong with the value.
        message: String,
    },

    /// A path the user named does not exist.
    #[error("{}: no such file or directory", path.display())]
    NotFound {
        /// The path as given.
        path: PathBuf,
    },

    /// A path the user named is neither a file (or pipe) nor a directory, such as a
    /// socket.
    #[error("{}: not a file or a directory; give NDJSON files or directories holding them", path.display())]
    NotAFile {
        /// The path as given.
        path: PathBuf,
    },

    /// A directory the user named holds no input file.
    #[error(
        "{}: the directory holds no *.ndjson or *.jsonl files and no export redflag recognises (subdirectories are not searched, and redflag's own results are not input)",
        path.display()
    )]
    NoInput {
        /// The directory.
        path: PathBuf,
    },
}

impl ReadError {
    /// The file and line the error is about, where there is one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            ReadError::Record { location, .. }
            | ReadError::NotUtf8 { location, .. }
            | ReadError::LineTooLong { location, .. }
            | ReadError::NotText { location, .. }
            | ReadError::NoLineEnd { location, .. }
            | ReadError::Malformed { location, .. }
            | ReadError::Column { location, .. } => Some(location),
            ReadError::Io { .. }
            | ReadError::NotFound { .. }
            | ReadError::NotAFile { .. }
            | ReadError::NoInput { .. } => None,
        }
    }

    /// The file or directory the error is about.
    pub fn path(&self) -> &Path {
        match self {
            ReadError::Record { location, .. }
            | ReadError::NotUtf8 { location, .. }
            | ReadError::LineTooLong { location, .. }
            | ReadError::NotText { location, .. }
            | ReadError::NoLineEnd { location, .. }
            | ReadError::Malformed { location, .. }
            | ReadError::Column { location, .. } => &location.file,
            ReadError::Io { path, .. }
            | ReadError::NotFound { path }
            | ReadError::NotAFile { path }
            | ReadError::NoInput { path } => path,
        }
    }

    /// Why the line is not a valid record, when that is the problem.
    pub fn record_error(&self) -> Option<&RecordError> {
        match self {
            ReadError::Record { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Whether the line is a well-formed record of a kind this version does not know,
    /// which `--skip-unknown` tolerates.
    pub fn is_unknown_kind(&self) -> bool {
        matches!(self.record_error(), Some(RecordError::UnknownKind(_)))
    }

    /// Whether the error is about one line, after which reading the same file can go on
    /// (as opposed to a file that cannot be read at all, or no further).
    pub fn is_line_error(&self) -> bool {
        match self {
            ReadError::NotText { .. } | ReadError::NoLineEnd { .. } => false,
            _ => self.location().is_some(),
        }
    }
}

/// The operating system's message without the `(os error 13)` suffix and with a
/// lower-case first letter, so it reads as the second half of a sentence:
/// `Permission denied (os error 13)` becomes `permission denied`.
fn describe_io(error: &io::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => &text[..i],
        _ => &text[..],
    };
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        // "Permission denied" → "permission denied", but leave "EOF" or "I/O" alone.
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            let mut out = String::with_capacity(text.len());
            out.extend(first.to_lowercase());
            out.push_str(&text[first.len_utf8()..]);
            out
        }
        _ => text.to_owned(),
    }
}

/// A hint for the two usual reasons a whole file is not UTF-8.
fn encoding_hint(location: &Location, byte: u8, column: usize) -> Hint {
    Hint(match (location.line, column, byte) {
        (1, 1, 0xff | 0xfe) => {
            "; the file starts like UTF-16 (as PowerShell's `>` writes), convert it to UTF-8"
        }
        (1, 2, 0x8b) => "; the file looks gzip-compressed, decompress it first",
        _ => "",
    })
}

/// A value from the input as a message quotes it: escaped, so that control characters
/// cannot rewrite the user's terminal, and cut after 200 characters, so that a huge
/// value makes a short message. The same form as the record parser's messages.
pub(crate) fn quote(value: &str) -> String {
    match value.char_indices().nth(200) {
        None => format!("\"{}\"", value.escape_debug()),
        Some((cut, _)) => format!(
            "\"{}…\" ({} bytes)",
            value[..cut].escape_debug(),
            value.len()
        ),
    }
}

/// What a file holding NUL bytes may be, from its first two bytes.
fn binary_hint(start: [u8; 2]) -> Hint {
    Hint(match start {
        [0xff, 0xfe] | [0xfe, 0xff] => {
            "the file looks UTF-16 (as PowerShell's `>` writes), convert it to UTF-8"
        }
        [0x1f, 0x8b] => "the file looks gzip-compressed, decompress it first",
        _ => "redflag reads NDJSON records and CSV, JSON or XML exports",
    })
}

struct Hint(&'static str);

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(line: u64) -> Location {
        Location {
            file: PathBuf::from("in/a.ndjson"),
            line,
        }
    }

    #[test]
    fn io_errors_read_as_a_sentence() {
        let e = ReadError::Io {
            path: PathBuf::from("/x/y.ndjson"),
            error: io::Error::from_raw_os_error(13),
        };
        assert_eq!(e.to_string(), "cannot read /x/y.ndjson: permission denied");
        assert!(e.location().is_none());
        assert_eq!(e.path(), Path::new("/x/y.ndjson"));

        let e = ReadError::Io {
            path: PathBuf::from("a"),
            error: io::Error::other("EOF in the middle"),
        };
        assert_eq!(e.to_string(), "cannot read a: EOF in the middle");
    }

    #[test]
    fn record_errors_keep_the_record_error_and_location() {
        let e = ReadError::Record {
            location: loc(7),
            error: RecordError::UnknownKind("tweet".into()),
        };
        assert!(e.is_unknown_kind());
        assert!(e.is_line_error());
        assert_eq!(e.location(), Some(&loc(7)));
        assert!(
            e.to_string()
                .starts_with("in/a.ndjson:7: unknown kind \"tweet\"")
        );
    }

    #[test]
    fn quotes_are_escaped_and_cut() {
        assert_eq!(quote("a\u{1b}[2K\r"), r#""a\u{1b}[2K\r""#);
        let long = "é".repeat(1000);
        assert_eq!(
            quote(&long),
            format!("\"{}…\" (2000 bytes)", "é".repeat(200))
        );
    }

    #[test]
    fn not_utf8_hints_at_utf16_and_gzip() {
        let plain = ReadError::NotUtf8 {
            location: loc(3),
            byte: 0xff,
            column: 17,
        };
        assert_eq!(
            plain.to_string(),
            "in/a.ndjson:3: not UTF-8 (byte 0xff at column 17); records must be UTF-8"
        );
        let utf16 = ReadError::NotUtf8 {
            location: loc(1),
            byte: 0xff,
            column: 1,
        };
        assert!(utf16.to_string().contains("UTF-16"), "{utf16}");
        let gzip = ReadError::NotUtf8 {
            location: loc(1),
            byte: 0x8b,
            column: 2,
        };
        assert!(gzip.to_string().contains("gzip"), "{gzip}");
    }
}

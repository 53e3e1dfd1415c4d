//! Line framing shared by the canonical NDJSON reader and the adapters for vendor logs
//! written one JSON event per line. The rules are those listed in `ndjson.rs`; they live
//! here so that an Okta or Entra line log gets the same BOM, CRLF, blank-line, UTF-8 and
//! length handling, with the same error messages, as a canonical file.

use std::io::{self, BufRead};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::{Location, MAX_LINE_BYTES, ReadError};

pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How far past the line limit an over-long line is skipped in search of its end. A
/// longer one is no record that happens to be long but input without line breaks (a
/// device, a disk image, a minified document), so the file is given up: skipping on
/// would read an endless input for ever.
pub(crate) const SKIP_AT_MOST: u64 = 16 << 20;

/// The start of the input searched for a NUL byte, which text never holds and nearly
/// every binary file (compressed, UTF-16, an image, a database) does early on. The
/// length git uses for the same purpose.
pub(crate) const TEXT_CHECK_BYTES: u64 = 8000;

/// Why reading a line stopped short of its end.
enum Stop {
    Io(io::Error),
    /// A NUL byte at this offset of the input.
    NotText {
        offset: u64,
    },
    /// No line break after this many bytes of the line.
    NoLineEnd {
        length: u64,
    },
}

/// Splits a byte stream into the text of its non-blank lines, in bounded memory.
#[derive(Debug)]
pub(crate) struct Lines<R> {
    reader: R,
    file: PathBuf,
    /// The current line, at most `max_line + 4` bytes (room for a byte-order mark and a
    /// `\r`). Reused.
    pub(crate) line: Vec<u8>,
    /// Physical lines read so far: the number of the current line.
    line_no: u64,
    bytes_read: u64,
    max_line: usize,
    /// The first two bytes of the input, which tell UTF-16 and gzip from other binary
    /// content.
    start: [u8; 2],
    done: bool,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(reader: R, file: PathBuf) -> Self {
        Lines {
            reader,
            file,
            line: Vec::with_capacity(4096),
            line_no: 0,
            bytes_read: 0,
            max_line: MAX_LINE_BYTES,
            start: [0; 2],
            done: false,
        }
    }

    pub(crate) fn set_max_line_bytes(&mut self, limit: usize) {
        self.max_line = limit;
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    pub(crate) fn lines_read(&self) -> u64 {
        self.line_no
    }

    pub(crate) fn path(&self) -> &Path {
        &self.file
    }

    /// The next line that is not blank, with its location, or the error that keeps it
    /// from being text. `None` at the end of the input; after an I/O error, binary
    /// content or a line without end (each yielded) the input counts as ended.
    pub(crate) fn next_text(&mut self) -> Option<Result<(Location, &str), ReadError>> {
        while !self.done {
            match self.next_line() {
                Ok(Some((length, crlf))) => {
                    self.line_no += 1;
                    let range = match self.check(length, crlf) {
                        Ok(Some(range)) => range,
                        Ok(None) => continue,
                        Err(e) => return Some(Err(e)),
                    };
                    let location = self.location();
                    let content = &self.line[range];
                    return Some(match std::str::from_utf8(content) {
                        Ok(text) => Ok((location, text)),
                        Err(e) => {
                            let at = e.valid_up_to();
                            Err(ReadError::NotUtf8 {
                                location,
                                byte: content.get(at).copied().unwrap_or(0),
                                column: at + 1,
                            })
                        }
                    });
                }
                Ok(None) => self.done = true,
                Err(stop) => {
                    self.done = true;
                    let mut location = self.location();
                    location.line += 1;
                    return Some(Err(match stop {
                        Stop::Io(error) => ReadError::Io {
                            path: self.file.clone(),
                            error,
                        },
                        Stop::NotText { offset } => ReadError::NotText {
                            location,
                            offset,
                            start: self.start,
                        },
                        Stop::NoLineEnd { length } => ReadError::NoLineEnd {
                            location,
                            length,
                            limit: self.max_line,
                        },
                    }));
                }
            }
        }
        None
    }

    fn location(&self) -> Location {
        Location {
            file: self.file.clone(),
            line: self.line_no,
        }
    }

    /// Reads the next physical line into `self.line`, keeping at most `max_line + 4`
    /// bytes of it (enough for a line within the limit plus a BOM and a `\r`), and
    /// returns the line's full length without the `\n` and whether it ended in `\r`.
    /// `None` at the end of the input. Stops at a NUL byte near the start of the input
    /// and at a line that runs [`SKIP_AT_MOST`] past the limit.
    fn next_line(&mut self) -> Result<Option<(u64, bool)>, Stop> {
        self.line.clear();
        let keep_at_most = self.max_line.saturating_add(BOM.len() + 1);
        let give_up_after = (self.max_line as u64).saturating_add(SKIP_AT_MOST);
        let mut length = 0u64;
        let mut last = 0u8;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Stop::Io(e)),
            };
            if chunk.is_empty() {
                // Nothing consumed since the last line ended: no more lines.
                return Ok((length > 0).then_some((length, last == b'\r')));
            }
            let newline = memchr::memchr(b'\n', chunk);
            let end = newline.unwrap_or(chunk.len());
            let used = end + usize::from(newline.is_some());
            if self.bytes_read < TEXT_CHECK_BYTES {
                let window = (TEXT_CHECK_BYTES - self.bytes_read).min(used as u64) as usize;
                for (slot, &b) in self
                    .start
                    .iter_mut()
                    .skip(self.bytes_read as usize)
                    .zip(chunk)
                {
                    *slot = b;
                }
                if let Some(at) = memchr::memchr(0, &chunk[..window]) {
                    return Err(Stop::NotText {
                        offset: self.bytes_read + at as u64,
                    });
                }
            }
            let room = keep_at_most.saturating_sub(self.line.len());
            self.line.extend_from_slice(&chunk[..end.min(room)]);
            if end > 0 {
                last = chunk[end - 1];
            }
            length += end as u64;
            self.reader.consume(used);
            self.bytes_read += used as u64;
            if newline.is_some() {
                return Ok(Some((length, last == b'\r')));
            }
            if length > give_up_after {
                return Err(Stop::NoLineEnd { length });
            }
        }
    }

    /// Checks the length of the line in `self.line` and returns the byte range of its
    /// text, without a byte-order mark or `\r`; `None` for a blank line.
    fn check(&self, length: u64, crlf: bool) -> Result<Option<Range<usize>>, ReadError> {
        let length = length - u64::from(crlf);
        let mut start = 0;
        if self.line_no == 1 && self.line.starts_with(BOM) {
            start = BOM.len();
        }
        let length = length - start as u64;
        if length > self.max_line as u64 {
            return Err(ReadError::LineTooLong {
                location: self.location(),
                length,
                limit: self.max_line,
            });
        }
        // The whole line is in the buffer.
        let range = start..start + length as usize;
        if self.line[range.clone()]
            .iter()
            .all(|&b| matches!(b, b' ' | b'\t' | b'\r'))
        {
            return Ok(None);
        }
        Ok(Some(range))
    }
}

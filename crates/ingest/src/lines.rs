//! Line framing shared by the canonical NDJSON reader and the adapters for vendor logs
//! written one JSON event per line. The rules are those listed in `ndjson.rs`; they live
//! here so that an Okta or Entra line log gets the same BOM, CRLF, blank-line, UTF-8 and
//! length handling, with the same error messages, as a canonical file.

use std::io::{self, BufRead};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::{Location, MAX_LINE_BYTES, ReadError};

pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

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
    /// from being text. `None` at the end of the input; after an I/O error (which is
    /// yielded) the input counts as ended.
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
                Err(error) => {
                    self.done = true;
                    return Some(Err(ReadError::Io {
                        path: self.file.clone(),
                        error,
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
    /// `None` at the end of the input.
    fn next_line(&mut self) -> io::Result<Option<(u64, bool)>> {
        self.line.clear();
        let keep_at_most = self.max_line.saturating_add(BOM.len() + 1);
        let mut length = 0u64;
        let mut last = 0u8;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                // Nothing consumed since the last line ended: no more lines.
                return Ok((length > 0).then_some((length, last == b'\r')));
            }
            let newline = memchr::memchr(b'\n', chunk);
            let end = newline.unwrap_or(chunk.len());
            let room = keep_at_most.saturating_sub(self.line.len());
            self.line.extend_from_slice(&chunk[..end.min(room)]);
            if end > 0 {
                last = chunk[end - 1];
            }
            length += end as u64;
            let used = end + usize::from(newline.is_some());
            self.reader.consume(used);
            self.bytes_read += used as u64;
            if newline.is_some() {
                return Ok(Some((length, last == b'\r')));
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

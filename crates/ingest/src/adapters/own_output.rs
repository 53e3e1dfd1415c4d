//! redflag's own results: the assessments `redflag scan` and `explain` write with
//! `--format json`, `ndjson` or `csv`. They are never input, but a scan's `--output` is
//! often put in the folder scanned next time; recognised, such a file is left out of a
//! folder with a note, and a file named on purpose yields nothing but a count of the
//! assessments it holds.
//!
//! An assessment is a JSON object with `subject`, `score`, `band` and `signals` (and no
//! `kind`, which every input record has); the CSV form is recognised by its header.

use std::io::Read;
use std::path::{Path, PathBuf};

use redflag_model::serde_json::{Map, Value};

use crate::adapter::{Adapter, Content, Converter, Input, Skip, Skipped};
use crate::adapters::json::{self, Events, Origin, Outcome};
use crate::{ReadError, SourcedRecord};

/// The header of `redflag scan --format csv`.
pub(crate) const CSV_HEADER: &str =
    "subject,name,score,band,as_of,assessed_at,signals,top_reason,linked_subjects";

/// What each assessment read is counted as.
const SKIP: Skip = Skip {
    what: None,
    why: "assessments by redflag, not input",
};

pub(crate) struct OwnOutput;

impl Adapter for OwnOutput {
    fn id(&self) -> &'static str {
        "redflag-output"
    }

    fn name(&self) -> &'static str {
        "redflag's own output"
    }

    fn recognise(&self, content: &Content<'_>) -> Option<bool> {
        match content {
            Content::Json(object) => Some(is_assessment(object)),
            Content::Text(head) => {
                let header = CSV_HEADER.as_bytes();
                let line = match memchr::memchr(b'\n', head.body) {
                    Some(end) => &head.body[..end],
                    None if head.complete => head.body,
                    None if header.starts_with(head.body) => return None,
                    None => return Some(false),
                };
                Some(line.strip_suffix(b"\r").unwrap_or(line) == header)
            }
        }
    }

    fn open(&self, input: Input) -> Result<Box<dyn Converter>, ReadError> {
        if input.layout.is_some() {
            return json::open(
                input,
                Events {
                    one: "an assessment",
                    is_event: is_assessment,
                    convert,
                },
            );
        }
        let (read, bom, path) = input.after_bom();
        Ok(Box::new(CsvRows {
            input: Some(read),
            path,
            bytes_read: bom,
            skipped: Skipped::new(),
        }))
    }

    fn passed_over(&self) -> Option<&'static str> {
        Some("redflag's own output (assessments from an earlier scan), not input: left out")
    }
}

/// Whether an object is an assessment redflag wrote.
fn is_assessment(object: &Map<String, Value>) -> bool {
    !object.contains_key("kind")
        && object.get("subject").is_some_and(Value::is_string)
        && object.get("score").is_some_and(Value::is_number)
        && object.get("band").is_some_and(Value::is_string)
        && object.get("signals").is_some_and(Value::is_array)
}

fn convert(_: &Value, _: &Origin<'_>, out: &mut Vec<Outcome>) {
    out.push(Outcome::Skipped(SKIP));
}

/// The rows of an assessments CSV, counted and dropped.
struct CsvRows {
    /// `None` once read.
    input: Option<Box<dyn Read + Send>>,
    path: PathBuf,
    bytes_read: u64,
    skipped: Skipped,
}

impl Iterator for CsvRows {
    type Item = Result<SourcedRecord, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let input = self.input.take()?;
        let mut counted = Counted {
            inner: input,
            bytes: 0,
        };
        let mut rows = 0u64;
        let mut failure = None;
        {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(&mut counted);
            let mut record = csv::ByteRecord::new();
            loop {
                match reader.read_byte_record(&mut record) {
                    Ok(true) => rows += 1,
                    Ok(false) => break,
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                }
            }
        }
        self.bytes_read += counted.bytes;
        if rows > 0 {
            self.skipped.insert(SKIP.key(), rows);
        }
        failure.map(|e| {
            Err(ReadError::Io {
                path: self.path.clone(),
                error: std::io::Error::other(e.to_string()),
            })
        })
    }
}

impl Converter for CsvRows {
    fn path(&self) -> &Path {
        &self.path
    }

    fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    fn skipped(&self) -> &Skipped {
        &self.skipped
    }
}

/// Counts the bytes read through it.
struct Counted<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

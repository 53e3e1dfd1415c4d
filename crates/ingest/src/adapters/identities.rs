//! An organisation's own identity map: a CSV with the header `subject,kind,value` (and
//! optionally `source`), one identifier per row, read into `identity` records.
//!
//! `subject` is the organisation's id for the person, `kind` one of `email`, `login`,
//! `user_id`, `account`, `iban`, `holder`, `phone`, and `value` the identifier as another
//! system writes it (an Okta login, an Entra object id, an HR number, a payee's IBAN).
//! The engine then folds records filed under that identifier into the subject. `redflag
//! scan --identities FILE` names such a file; a folder's CSV with this header is one too.

use std::io::Read;
use std::path::{Path, PathBuf};

use redflag_model::serde_json::{self, Value};
use redflag_model::{Identity, IdentityType, Record, SubjectId};

use crate::adapter::{Adapter, Content, Converter, Input, Skipped, sourced};
use crate::{Location, ReadError, SourcedRecord};

/// The columns, in order; a fourth, `source`, is optional.
const HEADER: [&str; 3] = ["subject", "kind", "value"];

pub(crate) struct Identities;

impl Adapter for Identities {
    fn id(&self) -> &'static str {
        "identities"
    }

    fn name(&self) -> &'static str {
        "identity map (subject,kind,value)"
    }

    fn recognise(&self, content: &Content<'_>) -> Option<bool> {
        let head = content.text()?;
        let line = match memchr::memchr(b'\n', head.body) {
            Some(end) => &head.body[..end],
            None if head.complete => head.body,
            // A header cut short by the read: only a start of ours is worth waiting for.
            None => {
                let full = b"subject,kind,value,source";
                let start = head.body.to_ascii_lowercase();
                let undecided = full.starts_with(&start) || start.starts_with(&full[..18]);
                return if undecided && head.body.len() < 64 {
                    None
                } else {
                    Some(false)
                };
            }
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Ok(line) = std::str::from_utf8(line) else {
            return Some(false);
        };
        let columns: Vec<String> = line.split(',').map(|c| c.trim().to_lowercase()).collect();
        Some(
            columns.len() >= 3
                && columns[..3] == HEADER
                && columns.get(3).is_none_or(|c| c == "source")
                && columns.len() <= 4,
        )
    }

    fn open(&self, input: Input) -> Result<Box<dyn Converter>, ReadError> {
        let (read, bom, path) = input.after_bom();
        let reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(read);
        Ok(Box::new(Rows {
            reader,
            path,
            bom,
            skipped: Skipped::new(),
            done: false,
        }))
    }
}

struct Rows {
    reader: csv::Reader<Box<dyn Read + Send>>,
    path: PathBuf,
    bom: u64,
    skipped: Skipped,
    done: bool,
}

impl Rows {
    fn row(&self, row: &csv::StringRecord) -> Result<SourcedRecord, ReadError> {
        let line = row.position().map_or(0, |p| p.line());
        let location = Location {
            file: self.path.clone(),
            line,
        };
        let column = |column: &str, message: String| ReadError::Column {
            location: location.clone(),
            column: column.to_owned(),
            message,
        };
        let subject: SubjectId = row
            .get(0)
            .unwrap_or_default()
            .parse()
            .map_err(|e: String| column("subject", e))?;
        let kind_text = row.get(1).unwrap_or_default();
        let identity_type: IdentityType =
            serde_json::from_value(Value::String(kind_text.to_lowercase()))
                .map_err(|e| column("kind", e.to_string()))?;
        let value = row.get(2).unwrap_or_default();
        if value.is_empty() {
            return Err(column("value", "is empty".into()));
        }
        let source = row
            .get(3)
            .filter(|s| !s.is_empty())
            .map_or_else(|| location.to_string(), str::to_owned);
        let record = Record::Identity(Identity {
            // User ids and accounts are compared exactly, so only the kind is folded.
            id: Some(format!("{subject}|{}|{value}", kind_text.to_lowercase())),
            subject,
            identity_type,
            value: value.to_owned(),
            at: None,
            source: Some(source),
        });
        sourced(record, None, location)
    }
}

impl Iterator for Rows {
    type Item = Result<SourcedRecord, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut row = csv::StringRecord::new();
        match self.reader.read_record(&mut row) {
            Ok(true) => Some(self.row(&row)),
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                // A broken row (an unclosed quote, a row of the wrong width) ends the
                // file: what follows cannot be trusted to line up.
                self.done = true;
                let line = e.position().map_or(0, |p| p.line());
                Some(Err(ReadError::Malformed {
                    location: Location {
                        file: self.path.clone(),
                        line,
                    },
                    message: e.to_string(),
                }))
            }
        }
    }
}

impl Converter for Rows {
    fn path(&self) -> &Path {
        &self.path
    }

    fn bytes_read(&self) -> u64 {
        self.bom + self.reader.position().byte()
    }

    fn skipped(&self) -> &Skipped {
        &self.skipped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OpenOptions;
    use crate::adapter::Head;

    fn recognised(body: &[u8], complete: bool) -> Option<bool> {
        let options = OpenOptions::default();
        let head = Head {
            body,
            complete,
            path: Path::new("ids.csv"),
            options: &options,
            found: false,
        };
        Identities.recognise(&Content::Text(&head))
    }

    #[test]
    fn only_the_identity_header_is_recognised() {
        assert_eq!(
            recognised(b"subject,kind,value\nc-1,email,a@b.c\n", true),
            Some(true)
        );
        assert_eq!(
            recognised(b"Subject, Kind, Value, Source\r\n", true),
            Some(true)
        );
        assert_eq!(recognised(b"subject,kind,value,notes\n", true), Some(false));
        assert_eq!(recognised(b"name,email\n", true), Some(false));
        assert_eq!(recognised(b"subject,ki", false), None);
        assert_eq!(recognised(b"<Document>", false), Some(false));
    }
}

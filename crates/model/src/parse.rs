//! From one line of NDJSON to a [`Record`], with errors that name the field.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::primitives::{QUOTE_CHARS, Quoted};
use crate::record::{Kind, Record};

/// Why a line is not a valid record. The reader adds the file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("not valid JSON: {message} (column {column})")]
    Syntax { message: String, column: usize },
    #[error("a record must be a JSON object with a \"kind\"")]
    NotAnObject,
    #[error("field `kind` is missing (expected one of: {})", kinds_list())]
    MissingKind,
    #[error("unknown kind {} (expected one of: {list}); pass --skip-unknown to ignore such records", Quoted(.0), list = kinds_list())]
    UnknownKind(String),
    #[error("field `{field}`: {message}")]
    Field { field: String, message: String },
}

impl RecordError {
    /// The field the error is about, where there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            RecordError::Field { field, .. } => Some(field),
            RecordError::MissingKind | RecordError::UnknownKind(_) => Some("kind"),
            _ => None,
        }
    }
}

fn kinds_list() -> String {
    Kind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A record as parsed, with the key that makes its ingestion idempotent.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRecord {
    pub record: Record,
    /// Unique within its kind: the writer's `id`, or `#` and a content hash where there
    /// is none. A `subject` record's `id` names the person, so its key also carries the
    /// content hash: the same version sent twice is stored once, a changed one is kept.
    pub key: String,
}

/// Parses one NDJSON line.
pub fn parse_record(line: &str) -> Result<ParsedRecord, RecordError> {
    #[derive(Deserialize)]
    struct Probe<'a> {
        #[serde(borrow, default)]
        kind: Option<Cow<'a, str>>,
    }
    let probe: Probe = match leading_kind(line).filter(|k| Kind::from_name(k).is_some()) {
        Some(kind) => Probe {
            kind: Some(Cow::Borrowed(kind)),
        },
        None => match serde_json::from_str(line) {
            Ok(p) => p,
            Err(e) if e.classify() == serde_json::error::Category::Data => {
                return Err(match serde_json::from_str::<serde_json::Value>(line) {
                    Ok(serde_json::Value::Object(_)) => RecordError::Field {
                        field: "kind".into(),
                        message: "must be a string such as \"login\"".into(),
                    },
                    _ => RecordError::NotAnObject,
                });
            }
            Err(e) => return Err(syntax(&e)),
        },
    };
    let kind_name = probe.kind.ok_or(RecordError::MissingKind)?;
    let kind = Kind::from_name(&kind_name)
        .ok_or_else(|| RecordError::UnknownKind(kind_name.into_owned()))?;
    let record = match kind {
        Kind::Subject => Record::Subject(Box::new(typed(line)?)),
        Kind::Login => Record::Login(typed(line)?),
        Kind::PayoutAccount => Record::PayoutAccount(typed(line)?),
        Kind::Payment => Record::Payment(typed(line)?),
        Kind::PaymentRequest => Record::PaymentRequest(typed(line)?),
        Kind::Interview => Record::Interview(typed(line)?),
        Kind::Document => Record::Document(typed(line)?),
        Kind::CredentialCheck => Record::CredentialCheck(typed(line)?),
        Kind::Contract => Record::Contract(typed(line)?),
        Kind::Bid => Record::Bid(typed(line)?),
        Kind::Device => Record::Device(typed(line)?),
        Kind::Shipment => Record::Shipment(typed(line)?),
        Kind::Message => Record::Message(typed(line)?),
        Kind::Activity => Record::Activity(typed(line)?),
        Kind::Identity => Record::Identity(typed(line)?),
    };
    let key = record_key(&record);
    Ok(ParsedRecord { record, key })
}

/// The idempotency key of a record (see [`ParsedRecord::key`]).
pub fn record_key(record: &Record) -> String {
    match (record, record.id()) {
        (Record::Subject(s), _) => format!("{}#{}", s.id, content_hash(record)),
        (_, Some(id)) => id.to_owned(),
        (_, None) => format!("#{}", content_hash(record)),
    }
}

/// 128 bits of BLAKE3 over the record's canonical JSON: fields in a fixed order, values
/// normalised (upper-case countries, E.164-ready phones), unknown fields left out, so the
/// same facts written two ways hash alike.
pub fn content_hash(record: &Record) -> String {
    let canonical = serde_json::to_vec(record).unwrap_or_default();
    let digest = blake3::hash(&canonical);
    let mut out = String::with_capacity(32);
    for b in &digest.as_bytes()[..16] {
        use fmt::Write;
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The kind of a line that starts `{"kind":"…"` (how redflag and most writers put it),
/// read without scanning the rest; `None` sends the line to the full parse, as does an
/// unknown kind (so a broken line is reported as broken, not as unknown). The rest is
/// checked for a second `kind` (possibly escaped), so a line the full parse would refuse
/// as having two kinds is never read as the first one.
fn leading_kind(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix('{')?.trim_start();
    let rest = rest.strip_prefix("\"kind\"")?.trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find(['"', '\\'])?;
    let after = &rest[end..];
    if !after.starts_with('"') || after.contains("\"kind\"") || after.contains("\\u") {
        return None;
    }
    Some(&rest[..end])
}

/// Parses a record of a known kind. Tracking the path of every field costs about a
/// tenth of the parse, so it is done only to explain a line that failed.
fn typed<T: DeserializeOwned>(line: &str) -> Result<T, RecordError> {
    let mut de = serde_json::Deserializer::from_str(line);
    if let Ok(value) = T::deserialize(&mut de).and_then(|v| de.end().map(|()| v)) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(line);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.classify() == serde_json::error::Category::Syntax
            || inner.classify() == serde_json::error::Category::Eof
        {
            return syntax(&inner);
        }
        let message = shorten(strip_position(&inner.to_string()));
        let (field, message) = match message.strip_prefix("missing field `") {
            Some(rest) => {
                let name = rest.trim_end_matches('`');
                let field = if path == "." {
                    name.to_owned()
                } else {
                    format!("{path}.{name}")
                };
                (field, "is required but missing".to_owned())
            }
            None => (
                if path == "." {
                    "(record)".to_owned()
                } else {
                    path
                },
                message,
            ),
        };
        RecordError::Field { field, message }
    })?;
    de.end().map_err(|e| syntax(&e))?;
    Ok(value)
}

fn syntax(e: &serde_json::Error) -> RecordError {
    RecordError::Syntax {
        message: strip_position(&e.to_string()),
        column: e.column(),
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Serde quotes a string of the wrong type whole and escaped (`invalid type: string
/// "…", expected …`); a value may be a megabyte long, so the quote is cut as [`Quoted`]
/// cuts one, never inside an escape.
fn shorten(message: String) -> String {
    for prefix in ["invalid type: string \"", "invalid value: string \""] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let Some(end) = rest.rfind("\", expected ") else {
            continue;
        };
        let quoted = &rest[..end];
        let mut chars = quoted.char_indices();
        let mut count = 0;
        while let Some((i, c)) = chars.next() {
            if count == QUOTE_CHARS {
                return format!(
                    "{prefix}{}…\" ({} bytes){}",
                    &quoted[..i],
                    quoted.len(),
                    &rest[end + 1..]
                );
            }
            count += 1;
            // `\u{1b}` is one escaped character.
            if c == '\\' && chars.next().is_some_and(|(_, c)| c == 'u') {
                chars.by_ref().find(|&(_, c)| c == '}');
            }
        }
    }
    message
}

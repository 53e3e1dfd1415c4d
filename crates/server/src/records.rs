//! A request body of records: NDJSON (one record a line) or one JSON array of records.
//! Each record is parsed on its own, so a bad one is reported by its line (or array
//! position) and never costs the good ones.

use std::path::PathBuf;

use redflag_ingest::{Location, SourcedRecord};
use redflag_model::parse_record;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// One record that was not stored, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rejected {
    /// Its line in an NDJSON body, or its position (from 1) in a JSON array.
    pub line: u64,
    /// What is wrong with it, naming the field.
    pub error: String,
}

/// A body split into records ready for the pipeline and records rejected.
pub struct Parsed {
    pub records: Vec<SourcedRecord>,
    pub rejected: Vec<Rejected>,
}

/// Where records sent in a request are said to come from, in error messages and the
/// store's provenance.
fn location(line: u64) -> Location {
    Location {
        file: PathBuf::from("request"),
        line,
    }
}

pub fn parse(body: &[u8]) -> Result<Parsed, ApiError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body is not UTF-8 text (first bad byte at offset {}): send NDJSON or a JSON array of records",
            e.valid_up_to()
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let items: Vec<(u64, String)> = if text.trim_start().starts_with('[') {
        let array: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|e| {
            ApiError::bad_request(format!(
                "the body starts like a JSON array but is not one ({e}): send a JSON array of records or NDJSON"
            ))
        })?;
        array
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i as u64 + 1, v.to_string()))
            .collect()
    } else {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i as u64 + 1, l.trim_end_matches('\r').to_owned()))
            .collect()
    };
    let mut parsed = Parsed {
        records: Vec::with_capacity(items.len()),
        rejected: Vec::new(),
    };
    for (line, text) in items {
        match parse_record(&text) {
            Ok(record) => parsed.records.push(SourcedRecord {
                parsed: record,
                text,
                location: location(line),
            }),
            Err(e) => parsed.rejected.push(Rejected {
                line,
                error: e.to_string(),
            }),
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"kind":"subject","id":"c-1","name":"Ana Ruiz"}"#;

    #[test]
    fn ndjson_lines_are_parsed_one_by_one_and_blank_lines_skipped() {
        let body = format!("{GOOD}\n\n{{\"kind\":\"login\",\"subject\":\"c-1\"}}\r\n");
        let p = parse(body.as_bytes()).unwrap();
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.rejected.len(), 1);
        assert_eq!(p.rejected[0].line, 3);
        assert!(
            p.rejected[0].error.contains("at"),
            "{}",
            p.rejected[0].error
        );
    }

    #[test]
    fn a_json_array_counts_positions() {
        let body = format!("[{GOOD}, {{\"kind\":\"nonsense\"}}]");
        let p = parse(body.as_bytes()).unwrap();
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.rejected[0].line, 2);
    }

    #[test]
    fn a_broken_array_or_binary_body_is_a_bad_request() {
        assert!(parse(b"[{\"kind\":").is_err());
        assert!(parse(&[0xff, 0xfe, 0x00]).is_err());
    }
}

//! Reading NDJSON files from disk: framing, and errors that name the file, the line and
//! the field.

use std::io::Write;
use std::path::{Path, PathBuf};

use redflag_ingest::{
    Location, MAX_LINE_BYTES, NdjsonReader, OpenOptions, ReadError, SourcedRecord, open_reader,
};
use redflag_model::{Kind, Record, RecordError};

const LOGIN: &str =
    r#"{"kind":"login","subject":"c-1","at":"2026-03-05T01:12:44Z","ip":"203.0.113.7"}"#;
const CONTRACT: &str =
    r#"{"kind":"contract","subject":"c-2","at":"2026-03-01T09:00:00Z","event":"work_started"}"#;

/// Writes `bytes` to `name` in a fresh directory.
fn file_with(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(bytes))
        .expect("write input");
    (dir, path)
}

fn read_all(path: &Path) -> Vec<Result<SourcedRecord, ReadError>> {
    NdjsonReader::open(path).expect("open").collect()
}

/// The single error among `items`, checking that the others are records.
fn only_error(items: &[Result<SourcedRecord, ReadError>]) -> &ReadError {
    let errors: Vec<_> = items.iter().filter_map(|i| i.as_ref().err()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0]
}

fn at(path: &Path, line: u64) -> String {
    format!("{}:{line}: ", path.display())
}

#[test]
fn crlf_blank_lines_bom_and_no_final_newline() {
    let input = format!("\u{feff}{LOGIN}\r\n\r\n   \n{CONTRACT}\r\n\n\t\n{LOGIN}");
    let (_dir, path) = file_with("good.ndjson", input.as_bytes());
    let items = read_all(&path);
    let records: Vec<_> = items
        .into_iter()
        .map(|i| i.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let lines: Vec<_> = records.iter().map(|r| r.location.line).collect();
    assert_eq!(lines, [1, 4, 7]);
    let kinds: Vec<_> = records.iter().map(|r| r.parsed.record.kind()).collect();
    assert_eq!(kinds, [Kind::Login, Kind::Contract, Kind::Login]);
    // Text is kept verbatim, without BOM and without `\r`.
    assert_eq!(records[0].text, LOGIN);
    assert_eq!(records[1].text, CONTRACT);
    assert_eq!(records[2].text, LOGIN);
    assert_eq!(
        records[1].location,
        Location {
            file: path.clone(),
            line: 4
        }
    );
    assert_eq!(
        records[1].location.to_string(),
        format!("{}:4", path.display())
    );
    let Record::Contract(c) = &records[1].parsed.record else {
        panic!("not a contract")
    };
    assert_eq!(c.subject.as_str(), "c-2");
}

#[test]
fn bytes_read_reaches_the_file_size() {
    let input = format!("\u{feff}{LOGIN}\r\n\n{CONTRACT}");
    let (_dir, path) = file_with("a.ndjson", input.as_bytes());
    let mut reader = NdjsonReader::open(&path).expect("open");
    assert_eq!(reader.by_ref().filter(Result::is_ok).count(), 2);
    assert_eq!(reader.bytes_read(), input.len() as u64);
    assert_eq!(
        redflag_ingest::total_bytes(std::slice::from_ref(&path)),
        input.len() as u64
    );
}

#[test]
fn truncated_last_line_is_a_syntax_error_naming_it() {
    let input = format!("{LOGIN}\n{CONTRACT}\n{{\"kind\":\"login\",\"subj");
    let (_dir, path) = file_with("cut.ndjson", input.as_bytes());
    let items = read_all(&path);
    assert_eq!(items.len(), 3);
    let e = only_error(&items);
    let message = e.to_string();
    assert!(
        message.starts_with(&format!("{}not valid JSON", at(&path, 3))),
        "{message}"
    );
    assert!(matches!(e.record_error(), Some(RecordError::Syntax { .. })));
    assert_eq!(e.location().map(|l| l.line), Some(3));
    assert!(!e.is_unknown_kind());
}

#[test]
fn wrong_types_name_the_field() {
    let bad = r#"{"kind":"login","subject":"c-1","at":"2026-03-05T01:12:44Z","ip":"203.0.113.7","success":"yes"}"#;
    let input = format!("{LOGIN}\n{bad}\n{LOGIN}\n");
    let (_dir, path) = file_with("types.ndjson", input.as_bytes());
    let items = read_all(&path);
    assert_eq!(items.len(), 3);
    let e = only_error(&items);
    let message = e.to_string();
    assert!(
        message.starts_with(&format!("{}field `success`: ", at(&path, 2))),
        "{message}"
    );
    assert_eq!(
        e.record_error().and_then(RecordError::field),
        Some("success")
    );
}

#[test]
fn a_bad_date_names_the_field() {
    let bad = r#"{"kind":"subject","id":"c-9","date_of_birth":"1994-13-45"}"#;
    let input = format!("{LOGIN}\n\n{bad}\n");
    let (_dir, path) = file_with("dates.ndjson", input.as_bytes());
    let items = read_all(&path);
    let message = only_error(&items).to_string();
    assert!(
        message.starts_with(&format!("{}field `date_of_birth`: ", at(&path, 3))),
        "{message}"
    );
    assert!(message.contains("1994-13-45"), "{message}");
}

#[test]
fn an_unknown_country_code_names_the_nested_field() {
    let bad = r#"{"kind":"subject","id":"c-9","location":{"country":"XX"}}"#;
    let input = format!("{bad}\n{LOGIN}\n");
    let (_dir, path) = file_with("countries.ndjson", input.as_bytes());
    let items = read_all(&path);
    let e = only_error(&items);
    assert_eq!(
        e.to_string(),
        format!(
            "{}field `location.country`: unknown country code \"XX\": expected an ISO 3166-1 alpha-2 code, e.g. US, CA or KP",
            at(&path, 1)
        )
    );
    assert_eq!(
        e.record_error().and_then(RecordError::field),
        Some("location.country")
    );
}

#[test]
fn an_unknown_kind_can_be_told_apart_for_skip_unknown() {
    let input = format!("{LOGIN}\n{{\"kind\":\"tweet\",\"subject\":\"c-1\"}}\n{LOGIN}\n");
    let (_dir, path) = file_with("kinds.ndjson", input.as_bytes());
    let items = read_all(&path);
    assert_eq!(items.len(), 3);
    let e = only_error(&items);
    assert!(e.is_unknown_kind());
    assert_eq!(
        e.record_error(),
        Some(&RecordError::UnknownKind("tweet".into()))
    );
    let message = e.to_string();
    assert!(
        message.starts_with(&format!("{}unknown kind \"tweet\"", at(&path, 2))),
        "{message}"
    );
    // Everything else is still read, so a caller can skip and go on.
    let kept: Vec<_> = items
        .iter()
        .filter(|i| !matches!(i, Err(e) if e.is_unknown_kind()))
        .map(|i| i.as_ref().map(|r| r.location.line).ok())
        .collect();
    assert_eq!(kept, [Some(1), Some(3)]);
}

#[test]
fn non_utf8_bytes_in_a_middle_line_spare_the_others() {
    let mut input = Vec::new();
    input.extend_from_slice(LOGIN.as_bytes());
    input.push(b'\n');
    input.extend_from_slice(b"{\"kind\":\"login\",\"sub\xffject\":1}\n");
    input.extend_from_slice(CONTRACT.as_bytes());
    input.push(b'\n');
    let (_dir, path) = file_with("latin1.ndjson", &input);
    let items = read_all(&path);
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[2].is_ok());
    let e = only_error(&items);
    assert_eq!(
        e.to_string(),
        format!(
            "{}not UTF-8 (byte 0xff at column 21); records must be UTF-8",
            at(&path, 2)
        )
    );
    assert!(matches!(
        e,
        ReadError::NotUtf8 {
            byte: 0xff,
            column: 21,
            ..
        }
    ));
}

#[test]
fn a_utf16_file_gets_a_hint() {
    let mut input = vec![0xff, 0xfe];
    for unit in LOGIN.encode_utf16() {
        input.extend_from_slice(&unit.to_le_bytes());
    }
    let (_dir, path) = file_with("powershell.ndjson", &input);
    let items = read_all(&path);
    let message = only_error(&items).to_string();
    assert!(message.starts_with(&at(&path, 1)), "{message}");
    assert!(message.contains("UTF-16"), "{message}");
}

#[test]
fn a_ten_megabyte_line_is_reported_and_skipped() {
    let huge = 10 * 1024 * 1024;
    let mut input = Vec::with_capacity(huge + 2 * LOGIN.len() + 2);
    input.extend_from_slice(LOGIN.as_bytes());
    input.push(b'\n');
    input.resize(input.len() + huge, b'[');
    input.push(b'\n');
    input.extend_from_slice(CONTRACT.as_bytes());
    let (_dir, path) = file_with("huge.ndjson", &input);
    drop(input);
    let items = read_all(&path);
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok());
    assert_eq!(items[2].as_ref().map(|r| r.location.line).ok(), Some(3));
    let e = only_error(&items);
    assert_eq!(
        e.to_string(),
        format!(
            "{}the line is 10485760 bytes long; a record may be at most {MAX_LINE_BYTES} bytes (is this file NDJSON?)",
            at(&path, 2)
        )
    );
    assert_eq!(MAX_LINE_BYTES, 1_048_576);
}

/// What `open_reader` makes of an input standing in for an endless device: every item
/// it yields, and the bytes it read.
fn open_endless(input: impl std::io::Read + Send + 'static) -> (Vec<String>, u64) {
    let mut records = open_reader(input, "/dev/zero", &OpenOptions::default()).expect("open");
    let items = records
        .by_ref()
        .map(|item| match item {
            Ok(r) => format!("record at {}", r.location),
            Err(e) => format!("{}: {e}", if e.is_line_error() { "line" } else { "fatal" }),
        })
        .collect();
    (items, records.bytes_read())
}

#[test]
fn zeros_are_not_text_and_stop_at_once() {
    use std::io::Read;
    let (items, bytes) = open_endless(std::io::repeat(0).take(1 << 40));
    assert_eq!(
        items,
        [
            "fatal: /dev/zero:1: not a text file of records: a NUL byte at offset 0; redflag reads NDJSON records and CSV, JSON or XML exports"
        ]
    );
    assert_eq!(bytes, 0);
}

#[test]
fn a_line_that_never_ends_stops_the_file() {
    use std::io::Read;
    // A terabyte of one line: only the bound ends this test.
    let (items, bytes) = open_endless(std::io::repeat(b'x').take(1 << 40));
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        items[0].starts_with("fatal: /dev/zero:1: no line break in "),
        "{items:?}"
    );
    assert!(bytes < 20 << 20, "{bytes}");
}

#[test]
fn an_empty_file_has_no_records_and_no_errors() {
    let (_dir, path) = file_with("empty.ndjson", b"");
    assert!(read_all(&path).is_empty());
    let (_dir, path) = file_with("blank.ndjson", b"\n\r\n  \n");
    assert!(read_all(&path).is_empty());
}

#[test]
fn opening_a_missing_file_names_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gone.ndjson");
    let e = NdjsonReader::open(&path).expect_err("an error");
    assert_eq!(
        e.to_string(),
        format!("cannot read {}: no such file or directory", path.display())
    );
    assert_eq!(e.path(), path);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_names_it() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = file_with("secret.ndjson", LOGIN.as_bytes());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // Root reads anything; the test only means something for other users.
    if std::fs::File::open(&path).is_ok() {
        return;
    }
    let e = NdjsonReader::open(&path).expect_err("an error");
    assert_eq!(
        e.to_string(),
        format!("cannot read {}: permission denied", path.display())
    );
}

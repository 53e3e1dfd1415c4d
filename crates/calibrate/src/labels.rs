//! Decisions about subjects: who was DPRK and who was legitimate.
//!
//! Today they come from a labels file (`subject,label`); once analysts close cases
//! (issue 18), a case source will produce the same [`Label`]s with its own [`Origin`], and
//! nothing downstream changes.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use redflag_model::SubjectId;

/// What a subject turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A North Korean IT worker (or someone working for one).
    Dprk,
    /// A legitimate freelancer.
    Legit,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Dprk => "dprk",
            Verdict::Legit => "legit",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Verdict {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        if s.eq_ignore_ascii_case("dprk") {
            Ok(Verdict::Dprk)
        } else if s.eq_ignore_ascii_case("legit") {
            Ok(Verdict::Legit)
        } else {
            Err(())
        }
    }
}

/// Where a decision was read, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A line of a labels file.
    Line(u64),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Line(n) => write!(f, "line {n}"),
        }
    }
}

/// One decided subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub subject: SubjectId,
    pub verdict: Verdict,
    pub origin: Origin,
}

/// The decisions of a labels file, one per subject.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// In the order of the file.
    pub labels: Vec<Label>,
    /// Lines that repeated a subject with the same label (kept once).
    pub repeated: usize,
}

/// What is wrong with one line of a labels file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The CSV itself cannot be read there (an unclosed quote, bytes that are not UTF-8).
    Unreadable { line: u64, reason: String },
    /// A field is missing or holds something else than expected.
    Field {
        line: u64,
        field: &'static str,
        value: Option<String>,
        expected: String,
    },
    /// The same subject with both labels.
    Conflict {
        subject: SubjectId,
        first: (u64, Verdict),
        then: (u64, Verdict),
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Unreadable { line, reason } => write!(f, "{line}: {reason}"),
            Problem::Field {
                line,
                field,
                value: Some(value),
                expected,
            } => write!(f, "{line}: field `{field}`: {} {expected}", quoted(value)),
            Problem::Field {
                line,
                field,
                value: None,
                expected,
            } => write!(f, "{line}: field `{field}` is missing: {expected}"),
            Problem::Conflict {
                subject,
                first,
                then,
            } => write!(
                f,
                "{}: {} is labelled {} here and {} on line {}; decide which is right and keep that line only",
                then.0,
                quoted(subject.as_str()),
                then.1,
                first.1,
                first.0
            ),
        }
    }
}

/// A value from the file as a message shows it: quoted, at most about 200 characters.
fn quoted(value: &str) -> String {
    let short: String = value.chars().take(200).collect();
    if short.len() < value.len() {
        format!("{short:?}…")
    } else {
        format!("{short:?}")
    }
}

/// Why a labels file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    #[error("cannot read the labels file {file}: {reason}")]
    Io { file: String, reason: String },
    #[error(
        "{file} holds no labels: expected lines `subject,label` (label dprk or legit), optionally under the header subject,label"
    )]
    Empty { file: String },
    #[error("{}", describe(file, problems))]
    Problems {
        file: String,
        problems: Vec<Problem>,
    },
}

/// How many problems an error lists before it counts the rest.
const SHOWN: usize = 10;

fn describe(file: &str, problems: &[Problem]) -> String {
    let mut lines: Vec<String> = problems
        .iter()
        .take(SHOWN)
        .map(|p| format!("{file}:{p}"))
        .collect();
    if problems.len() > SHOWN {
        lines.push(format!(
            "… and {} more problems in {file}",
            problems.len() - SHOWN
        ));
    }
    if problems.len() > 1 {
        lines.insert(
            0,
            format!("{} problems in the labels file {file}:", problems.len()),
        );
    }
    lines.join("\n")
}

/// Where the subject and the label are on a line.
struct Columns {
    subject: usize,
    label: usize,
}

/// Reads `subject,label` lines. A first line naming the columns `subject` and `label`
/// (in any order, among others such as an analyst's note) is a header; without one, the
/// first two fields are the subject and the label. Labels are `dprk` or `legit`, in any
/// case; blank lines and lines starting with `#` are skipped. Every problem is collected,
/// so one run of the command shows what to fix; a subject given twice with the same label
/// counts once, with both labels it is a problem. `file` names the file in messages.
pub fn read_labels(input: impl Read, file: &str) -> Result<Labels, LabelError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(input);
    let mut out = Labels::default();
    let mut problems = Vec::new();
    let mut seen: HashMap<SubjectId, (u64, Verdict)> = HashMap::new();
    let mut columns: Option<Columns> = None;
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                if let csv::ErrorKind::Io(io) = e.kind() {
                    return Err(LabelError::Io {
                        file: file.to_owned(),
                        reason: io.to_string(),
                    });
                }
                let line = e.position().map_or(0, csv::Position::line);
                problems.push(Problem::Unreadable {
                    line,
                    reason: csv_reason(&e),
                });
                continue;
            }
        };
        let line = row.position().map_or(0, csv::Position::line);
        if row.iter().all(str::is_empty) {
            continue;
        }
        if columns.is_none()
            && let Some(header) = header(&row)
        {
            columns = Some(header);
            continue;
        }
        let at = columns.get_or_insert(Columns {
            subject: 0,
            label: 1,
        });
        let subject = field(
            &row,
            at.subject,
            line,
            "subject",
            "each line is a subject id and a label, e.g. c-1042,dprk",
            |text| {
                text.parse::<SubjectId>()
                    .map_err(|reason| format!("is not a subject id ({reason})"))
            },
        );
        let verdict = field(
            &row,
            at.label,
            line,
            "label",
            "expected dprk or legit after the subject id",
            |text| {
                text.parse::<Verdict>().map_err(|()| {
                    // A first line that is not data is most likely a header with other
                    // column names.
                    let hint = if line == 1 {
                        "; a header line must name the columns subject and label"
                    } else {
                        ""
                    };
                    format!("is not a label (expected dprk or legit){hint}")
                })
            },
        );
        let (subject, verdict) = match (subject, verdict) {
            (Ok(s), Ok(v)) => (s, v),
            (Err(p), _) | (_, Err(p)) => {
                problems.push(p);
                continue;
            }
        };
        match seen.get(&subject) {
            Some(&(_, before)) if before == verdict => out.repeated += 1,
            Some(&first) => problems.push(Problem::Conflict {
                subject,
                first,
                then: (line, verdict),
            }),
            None => {
                seen.insert(subject.clone(), (line, verdict));
                out.labels.push(Label {
                    subject,
                    verdict,
                    origin: Origin::Line(line),
                });
            }
        }
    }
    if !problems.is_empty() {
        return Err(LabelError::Problems {
            file: file.to_owned(),
            problems,
        });
    }
    if out.labels.is_empty() {
        return Err(LabelError::Empty {
            file: file.to_owned(),
        });
    }
    Ok(out)
}

/// One field of a row, parsed; a missing or empty field, or one that does not parse, is
/// a problem naming the line and the field.
fn field<T>(
    row: &csv::StringRecord,
    index: usize,
    line: u64,
    name: &'static str,
    missing: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<T, Problem> {
    let text = row
        .get(index)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Problem::Field {
            line,
            field: name,
            value: None,
            expected: missing.to_owned(),
        })?;
    parse(text).map_err(|expected| Problem::Field {
        line,
        field: name,
        value: Some(text.to_owned()),
        expected,
    })
}

/// The columns a header names, when the row is one.
fn header(row: &csv::StringRecord) -> Option<Columns> {
    let find = |name: &str| row.iter().position(|f| f.eq_ignore_ascii_case(name));
    Some(Columns {
        subject: find("subject")?,
        label: find("label")?,
    })
}

/// The csv crate's reason without its own position (the message gives the line).
fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the line is not valid UTF-8 text".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Labels, LabelError> {
        read_labels(text.as_bytes(), "labels.csv")
    }

    #[test]
    fn a_header_blank_lines_comments_and_case_are_understood() {
        let labels = read("# from the March review\nlabel,subject,note\nDPRK,c-1,\"shared wallet\"\n\nlegit , c-2\nlegit,c-2\n").unwrap();
        assert_eq!(labels.labels.len(), 2);
        assert_eq!(labels.labels[0].verdict, Verdict::Dprk);
        assert_eq!(labels.labels[0].subject.as_str(), "c-1");
        assert_eq!(labels.labels[1].verdict, Verdict::Legit);
        assert_eq!(labels.repeated, 1);
        // Without a header the first two fields are subject and label.
        let bare = read("c-1,dprk\nc-2,legit").unwrap();
        assert_eq!(bare.labels[1].origin, Origin::Line(2));
    }

    #[test]
    fn bad_values_name_the_file_line_and_field() {
        let e = read("subject,label\nc-1,dprk\nc-2,maybe\nc-3\n,legit\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("3 problems in the labels file labels.csv:"),
            "{e}"
        );
        assert!(
            e.contains(
                "labels.csv:3: field `label`: \"maybe\" is not a label (expected dprk or legit)"
            ),
            "{e}"
        );
        assert!(e.contains("labels.csv:4: field `label` is missing"), "{e}");
        assert!(
            e.contains("labels.csv:5: field `subject` is missing"),
            "{e}"
        );
        // A header the reader does not recognise is reported with a hint.
        let e = read("id,verdict\nc-1,dprk").unwrap_err().to_string();
        assert!(
            e.contains("labels.csv:1: field `label`: \"verdict\" is not a label")
                && e.contains("header line must name the columns subject and label"),
            "{e}"
        );
    }

    #[test]
    fn conflicting_labels_are_refused_with_both_lines() {
        let e = read("c-1,dprk\nc-2,legit\nc-1,legit\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "labels.csv:3: \"c-1\" is labelled legit here and dprk on line 1; decide which is right and keep that line only"
        );
    }

    #[test]
    fn an_empty_file_and_many_problems_are_explained() {
        let e = read("subject,label\n# nothing yet\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("labels.csv holds no labels"), "{e}");
        let many: String = (0..15).map(|i| format!("c-{i},x\n")).collect();
        let e = read(&many).unwrap_err().to_string();
        assert!(e.starts_with("15 problems"), "{e}");
        assert!(e.ends_with("… and 5 more problems in labels.csv"), "{e}");
        let e = read_labels(&b"c-1,dprk\nc-\xff,legit\n"[..], "l.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("l.csv:2: the line is not valid UTF-8 text"),
            "{e}"
        );
    }
}

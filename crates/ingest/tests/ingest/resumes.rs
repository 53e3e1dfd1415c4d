//! JSON Resume documents as `subject` records: the subject's id, the fields read, and
//! values that cannot be read, named by file, line and field.

use redflag_ingest::{Format, OpenOptions, ReadError, SourcedRecord, open_reader};
use redflag_model::serde_json::{Value, json};
use redflag_model::{Record, Subject};

fn read(text: &str, name: &str) -> Vec<Result<SourcedRecord, ReadError>> {
    let stream = open_reader(
        std::io::Cursor::new(text.to_owned()),
        name,
        &OpenOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stream.format(), Format::Adapter("json-resume"));
    stream.collect()
}

fn subject(item: &Result<SourcedRecord, ReadError>) -> &Subject {
    match item.as_ref().map(|r| &r.parsed.record) {
        Ok(Record::Subject(s)) => s,
        other => panic!("not a subject: {other:?}"),
    }
}

fn pretty(value: &Value) -> String {
    redflag_model::serde_json::to_string_pretty(value).unwrap_or_default()
}

#[test]
fn without_an_email_the_file_names_the_subject() {
    let resume = json!({
        "basics": {"name": "Min-jun Kim", "label": "Backend developer",
                   "location": {"city": "Seoul", "countryCode": "kr"},
                   "profiles": [{"username": "mjkim", "url": "https://github.com/mjkim"}]},
        "languages": [{"language": "Korean", "fluency": "Native speaker"},
                      {"language": "English", "fluency": "Professional working proficiency"},
                      {"language": "Sign language"}],
        "work": [{"name": "Naver", "position": "Engineer", "startDate": "2019-03", "endDate": "2023"}]
    });
    let items = read(&format!("\n{}\n", pretty(&resume)), "exports/min-jun.json");
    assert_eq!(items.len(), 1);
    let s = subject(&items[0]);
    // Stable across scans of the same file, so a later version is a new version of it.
    assert_eq!(s.id.as_str(), "resume:min-jun.json");
    assert_eq!(items[0].as_ref().map(|r| r.location.line).ok(), Some(2));
    assert_eq!(
        s.location
            .as_ref()
            .and_then(|l| l.country)
            .map(|c| c.to_string())
            .as_deref(),
        Some("KR")
    );
    assert_eq!(s.profiles[0].network, "github");
    let languages: Vec<_> = s
        .languages
        .iter()
        .map(|l| (l.language.as_str(), l.fluency.is_some()))
        .collect();
    // "Sign language" names no one language: left out, not an error.
    assert_eq!(languages, [("ko", true), ("en", true)]);
    assert_eq!(
        s.work[0].end.map(|d| d.latest().to_string()).as_deref(),
        Some("2023-12-31")
    );

    // Several résumés in one file (one per line): each named after its line too.
    let line = resume.to_string();
    let items = read(&format!("{line}\n{line}\n"), "batch.jsonl");
    let ids: Vec<_> = items.iter().map(|i| subject(i).id.to_string()).collect();
    assert_eq!(ids, ["resume:batch.jsonl:1", "resume:batch.jsonl:2"]);
}

#[test]
fn an_email_names_the_subject_in_its_usual_form() {
    let resume = json!({"basics": {"name": "Dan Park", "email": " Dan.Park@Example.COM "}});
    let items = read(&pretty(&resume), "dan.json");
    let s = subject(&items[0]);
    assert_eq!(s.id.as_str(), "Dan.Park@example.com");
    assert_eq!(s.emails.len(), 1);
    assert_eq!(s.emails[0].as_str(), "Dan.Park@example.com");
}

#[test]
fn unreadable_values_name_file_line_and_field() {
    for (resume, says) in [
        (
            json!({"basics": {"location": {"countryCode": "USA"}}}),
            "field `basics.location.countryCode`: unknown country code \"USA\"",
        ),
        (
            json!({"basics": {}, "work": [{"name": "A"}, {"name": "B", "startDate": "March 2019"}]}),
            "field `work[1].startDate`: \"March 2019\" is not a date",
        ),
        (
            json!({"basics": {"email": "not an address"}}),
            "field `basics.email`: \"not an address\" is not an e-mail address",
        ),
        (
            json!({"basics": {"phone": "call me"}}),
            "field `basics.phone`: \"call me\" is not a phone number",
        ),
        (
            json!({"basics": {"name": 7}}),
            "field `basics.name`: expected text, found a number",
        ),
        (
            json!({"basics": {}, "education": {"institution": "MIT"}}),
            "field `education`: expected a list, found an object",
        ),
    ] {
        let items = read(&format!("\n\n{}", pretty(&resume)), "cv.json");
        let e = items[0].as_ref().expect_err(says);
        assert!(e.to_string().starts_with("cv.json:3: "), "{e}");
        assert!(e.to_string().contains(says), "{e}");
    }
}

//! redflag's own results (an earlier scan's `--output`) are never read as input: left
//! out of a folder with a note, and counted, not read, when named.

use std::fs;

use redflag_ingest::{Format, PassedOver, find_inputs, open};

const ASSESSMENT: &str = r#"{"subject":"c-1042","name":"Daniel Park","score":87,"band":"high","assessed_at":"2026-04-01T00:00:00Z","as_of":"2026-03-31T17:00:00Z","signals":[{"code":"logins.multi_country","advisory":"RF3","weight":1.6,"confidence":0.9,"summary":"signed in from 4 countries","evidence":[]}],"sanctions":[],"linked_subjects":[],"actions":[]}"#;

const RECORD: &str =
    r#"{"kind":"contract","subject":"c-1","at":"2026-03-01T09:00:00Z","event":"work_started"}"#;

#[test]
fn a_folder_leaves_out_every_form_of_redflag_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    fs::write(d.join("records.ndjson"), format!("{RECORD}\n")).expect("write");
    // What `scan --format ndjson|json|csv --output` and `explain --format json` write.
    fs::write(
        d.join("assessments.ndjson"),
        format!("{ASSESSMENT}\n{ASSESSMENT}\n"),
    )
    .expect("write");
    let pretty: redflag_model::serde_json::Value =
        redflag_model::serde_json::from_str(ASSESSMENT).expect("json");
    let array = redflag_model::serde_json::to_string_pretty(&[&pretty]).expect("json");
    fs::write(d.join("assessments.json"), &array).expect("write");
    let one = redflag_model::serde_json::to_string_pretty(&pretty).expect("json");
    fs::write(d.join("c-1042.json"), &one).expect("write");
    fs::write(
        d.join("ranking.csv"),
        "subject,name,score,band,as_of,assessed_at,signals,top_reason,linked_subjects\n\
         c-1042,Daniel Park,87,high,2026-03-31T17:00:00Z,2026-04-01T00:00:00Z,logins.multi_country,\"signed in from 4 countries, fast\",\n",
    )
    .expect("write");

    let inputs =
        find_inputs(&[d.to_path_buf()], &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(inputs.files, [d.join("records.ndjson")]);
    let passed: Vec<_> = inputs
        .passed_over
        .iter()
        .map(|p: &PassedOver| p.path.clone())
        .collect();
    assert_eq!(
        passed,
        [
            d.join("assessments.json"),
            d.join("assessments.ndjson"),
            d.join("c-1042.json"),
            d.join("ranking.csv"),
        ]
    );
    assert!(
        inputs.passed_over[0]
            .to_string()
            .ends_with("assessments.json: redflag's own output (assessments from an earlier scan), not input: left out"),
        "{}",
        inputs.passed_over[0]
    );

    // Named on purpose, each is read as nothing and says how many assessments it held.
    for (name, count) in [
        ("assessments.ndjson", 2),
        ("assessments.json", 1),
        ("c-1042.json", 1),
        ("ranking.csv", 1),
    ] {
        let path = d.join(name);
        let mut stream = open(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(stream.format(), Format::Adapter("redflag-output"), "{name}");
        assert_eq!(stream.by_ref().count(), 0, "{name}");
        assert_eq!(
            stream.skipped().get("assessments by redflag, not input"),
            Some(&count),
            "{name}"
        );
        let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        assert_eq!(stream.bytes_read(), size, "{name}");
    }
}

#[test]
fn a_folder_of_nothing_but_output_holds_no_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("out.ndjson"), format!("{ASSESSMENT}\n")).expect("write");
    let e = find_inputs(&[dir.path().to_path_buf()], &Default::default()).expect_err("no input");
    assert!(e.to_string().contains("holds no"), "{e}");
}

//! CSV files of logins: the mapping flag's syntax, the usual header names, and errors
//! that name the file, the line and the column.

use std::fs;
use std::path::{Path, PathBuf};

use redflag_ingest::{
    CsvMapping, Format, OpenOptions, ReadError, input_files_with, open, open_with,
};
use redflag_model::Record;

fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).expect("write fixture");
    path
}

fn with_mapping(spec: &str) -> OpenOptions {
    OpenOptions {
        csv_mapping: Some(CsvMapping::parse(spec).unwrap_or_else(|e| panic!("{e}"))),
    }
}

#[test]
fn the_mapping_flag_syntax() {
    let mapping =
        CsvMapping::parse(" subject = user ,at=Date (UTC),ip=client,success=ok").expect("parse");
    assert_eq!(
        mapping,
        CsvMapping {
            subject: Some("user".into()),
            at: Some("Date (UTC)".into()),
            ip: Some("client".into()),
            success: Some("ok".into()),
            ..CsvMapping::default()
        }
    );
    assert_eq!(
        "device_id=dev".parse::<CsvMapping>().map(|m| m.device_id),
        Ok(Some("dev".into()))
    );
    for (bad, says) in [
        ("", "empty"),
        ("when=time", "unknown field `when`"),
        ("ip=a,ip=b", "mapped twice"),
        ("subject", "not of the form field=column"),
        ("subject=", "needs one column name"),
        ("subject=a=b", "needs one column name"),
    ] {
        let e = CsvMapping::parse(bad).expect_err(bad);
        assert!(e.contains(says), "{bad:?}: {e}");
    }
}

#[test]
fn usual_header_names_are_recognised() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The columns of the Entra portal's sign-in CSV download, in part; a BOM as Excel
    // writes; values in each of the accepted time forms.
    let text = "\u{feff}Date (UTC),Request ID,User,Username,IP address,Status,User agent,Device ID,Session ID\r\n\
        2026-03-05T01:12:44Z,r1,Dan Park,dan@contoso.com,203.0.113.7,Success,Mozilla/5.0,dev-1,s-1\r\n\
        \r\n\
        2026-03-05 02:00:00,r2,Dan Park,dan@contoso.com,198.51.100.23,Failure,,,\r\n\
        1772679600,r3,Dan Park,dan@contoso.com,,Interrupted,,,\r\n";
    let path = write(dir.path(), "signins.csv", text.as_bytes());
    let mut stream = open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stream.format(), Format::Adapter("csv"));
    let records: Vec<_> = stream
        .by_ref()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(stream.bytes_read(), text.len() as u64);
    assert_eq!(stream.skipped().get("no usable IP address"), Some(&1));
    let summary: Vec<_> = records
        .iter()
        .map(|r| match &r.parsed.record {
            Record::Login(l) => (
                r.location.line,
                l.subject.to_string(),
                l.at.to_string(),
                l.ip.to_string(),
                l.success,
                l.user_agent.clone(),
                l.device_id.clone(),
                l.session_id.clone(),
            ),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                2,
                "dan@contoso.com".into(),
                "2026-03-05T01:12:44Z".into(),
                "203.0.113.7".into(),
                Some(true),
                Some("Mozilla/5.0".into()),
                Some("dev-1".into()),
                Some("s-1".into())
            ),
            (
                4,
                "dan@contoso.com".into(),
                "2026-03-05T02:00:00Z".into(),
                "198.51.100.23".into(),
                Some(false),
                None,
                None,
                None
            ),
        ]
    );
    for r in &records {
        assert_eq!(redflag_model::parse_record(&r.text).as_ref(), Ok(&r.parsed));
    }
}

#[test]
fn a_mapping_names_columns_and_semicolons_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(
        dir.path(),
        "vpn.txt",
        b"who;when;addr;gw\nc-1042;1772673164;203.0.113.7;vpn-2\n",
    );
    let options = with_mapping("subject=who,at=when,ip=addr,account=GW");
    let records: Vec<_> = open_with(&path, &options)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(records.len(), 1);
    let Record::Login(login) = &records[0].parsed.record else {
        panic!("not a login")
    };
    assert_eq!(login.subject.as_str(), "c-1042");
    assert_eq!(login.at.to_string(), "2026-03-05T01:12:44Z");
    assert_eq!(login.account.as_deref(), Some("vpn-2"));

    // Without the mapping the header means nothing: the error says what was looked for.
    let e = open(&path).expect_err("no usual names");
    let message = e.to_string();
    assert!(
        message.starts_with(&format!(
            "{}:1: the CSV header has no column for `subject`",
            path.display()
        )),
        "{message}"
    );
    assert!(message.contains("it has: who, when, addr, gw"), "{message}");
    // A mapping that names a column the header lacks says so.
    let e = open_with(&path, &with_mapping("ip=client")).expect_err("no such column");
    assert!(
        e.to_string().contains("names column `client` for `ip`"),
        "{e}"
    );
}

#[test]
fn a_bad_row_names_the_file_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "user,time,ip,success\n\
        c-1,2026-03-05T01:12:44Z,203.0.113.7,true\n\
        c-1,yesterday,203.0.113.7,true\n\
        c-1,2026-03-05T01:12:44Z,203.0.113.999,true\n\
        c-1,2026-03-05T01:12:44Z,203.0.113.7,maybe\n\
        ,2026-03-05T01:12:44Z,203.0.113.7,true\n\
        c-1,2026-03-05T01:12:44Z\n\
        \"c-2\",\"2026-03-05T01:12:44Z\",\"2001:db8::1\",\"no\"\n";
    let path = write(dir.path(), "logins.csv", text.as_bytes());
    let items: Vec<_> = open(&path).unwrap_or_else(|e| panic!("{e}")).collect();
    let at = |line: u64| format!("{}:{line}: ", path.display());
    let got: Vec<String> = items
        .iter()
        .map(|item| match item {
            Ok(r) => format!("ok {}", r.location.line),
            Err(e) => e.to_string(),
        })
        .collect();
    assert_eq!(
        got,
        [
            "ok 2".to_owned(),
            format!(
                "{}column `time`: expected an RFC 3339 time (2026-03-05T01:12:44Z), YYYY-MM-DD HH:MM:SS (UTC) or Unix seconds, found \"yesterday\"",
                at(3)
            ),
            format!(
                "{}column `ip`: expected an IP address, found \"203.0.113.999\"",
                at(4)
            ),
            format!(
                "{}column `success`: expected true/false, yes/no, 1/0 or success/failure, found \"maybe\"",
                at(5)
            ),
            format!(
                "{}column `user`: is empty; every row needs a subject",
                at(6)
            ),
            format!("{}the row has 2 fields where the header has 4", at(7)),
            "ok 8".to_owned(),
        ]
    );
    assert!(matches!(&items[1], Err(ReadError::Column { column, .. }) if column == "time"));
    assert!(
        items[1]
            .as_ref()
            .err()
            .is_some_and(ReadError::is_line_error)
    );
}

#[test]
fn not_utf8_names_the_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(
        dir.path(),
        "latin1.csv",
        b"user,time,ip\nJos\xe9,2026-03-05T01:12:44Z,203.0.113.7\n",
    );
    let items: Vec<_> = open(&path).unwrap_or_else(|e| panic!("{e}")).collect();
    assert_eq!(items.len(), 1);
    let e = items[0].as_ref().expect_err("latin-1");
    assert_eq!(
        e.to_string(),
        format!(
            "{}:2: column `user`: is not UTF-8; save the file as UTF-8",
            path.display()
        )
    );
}

#[test]
fn a_directory_scan_uses_the_mapping() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "vpn.csv",
        b"who,when,addr\nc-1,1772673164,203.0.113.7\n",
    );
    assert!(input_files_with(&[dir.path().to_path_buf()], &OpenOptions::default()).is_err());
    let files = input_files_with(
        &[dir.path().to_path_buf()],
        &with_mapping("subject=who,at=when,ip=addr"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files, [dir.path().join("vpn.csv")]);
}

#[test]
fn a_payments_export_becomes_payment_records() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "payouts.csv",
        b"Payee,Payment Date,Amount,Currency,Method,Beneficiary Name,Bank Country,IBAN,Reference\r\n\
          c-1042,2026-03-31 17:00:00,1200.50,USD,Payoneer,Daniel Park,US,,March invoice\r\n\
          c-2000,2026-03-31,80,CAD,Interac,Jason Park,CA,CA12 3456,\r\n",
    );
    let stream = open(&path).expect("open");
    assert_eq!(stream.format(), Format::Adapter("csv"));
    let records: Vec<_> = stream.map(|r| r.expect("record")).collect();
    assert_eq!(records.len(), 2);
    let Record::Payment(p) = &records[0].parsed.record else {
        panic!("not a payment")
    };
    assert_eq!(p.subject.as_str(), "c-1042");
    assert_eq!(p.amount.to_string(), "1200.5");
    assert_eq!(p.method.map(|m| m.as_str()), Some("payoneer"));
    assert_eq!(
        p.account.as_ref().and_then(|a| a.holder.as_deref()),
        Some("Daniel Park")
    );
    assert_eq!(p.memo.as_deref(), Some("March invoice"));
    assert_eq!(records[1].location.line, 3);
    let Record::Payment(p) = &records[1].parsed.record else {
        panic!("not a payment")
    };
    assert_eq!(p.method.map(|m| m.as_str()), Some("bank_transfer"));
}

#[test]
fn a_mapped_payments_export_and_its_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "pay.csv",
        b"who,when,gross,ccy\nc-1,2026-03-01,12.00,USD\nc-2,2026-03-02,ten,USD\n",
    );
    let options = with_mapping("subject=who,at=when,amount=gross,currency=ccy");
    let mut stream = open_with(&path, &options).expect("open");
    assert!(matches!(stream.next(), Some(Ok(_))));
    let err = stream.next().expect("second row").expect_err("bad amount");
    let text = err.to_string();
    assert!(
        text.contains("pay.csv:3") && text.contains("gross"),
        "{text}"
    );
    assert!(CsvMapping::parse("amount=gross,amount=net").is_err());
}

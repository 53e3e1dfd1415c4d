//! Whatever the bytes, the readers do not panic; the NDJSON reader accounts for every
//! byte and line and gives the same answers however the input is cut into reads.

use std::io::BufReader;

use proptest::prelude::*;
use redflag_ingest::{NdjsonReader, OpenOptions, ReadError, SourcedRecord, open_reader};

const LOGIN: &str =
    r#"{"kind":"login","subject":"c-1","at":"2026-03-05T01:12:44Z","ip":"203.0.113.7"}"#;

/// What a run yields, in a comparable form.
fn summary(items: &[Result<SourcedRecord, ReadError>]) -> Vec<(u64, Result<String, String>)> {
    items
        .iter()
        .map(|item| match item {
            Ok(r) => (r.location.line, Ok(r.text.clone())),
            Err(e) => (e.location().map_or(0, |l| l.line), Err(e.to_string())),
        })
        .collect()
}

/// Reads `input` whole and returns what it yields, checking that every byte was read
/// unless reading stopped at binary content.
fn run(
    input: &[u8],
    capacity: usize,
    limit: usize,
) -> Result<Vec<Result<SourcedRecord, ReadError>>, TestCaseError> {
    let mut reader = NdjsonReader::new(BufReader::with_capacity(capacity, input), "p.ndjson")
        .with_max_line_bytes(limit);
    let items: Vec<_> = reader.by_ref().collect();
    let bytes = reader.bytes_read();
    match items.last() {
        Some(Err(e)) if !e.is_line_error() => {
            prop_assert!(matches!(e, ReadError::NotText { .. }), "{e}");
            prop_assert!(bytes <= input.len() as u64);
        }
        _ => prop_assert_eq!(bytes, input.len() as u64),
    }
    Ok(items)
}

/// Inputs built from pieces that exercise the framing: records, line endings, BOMs,
/// blanks, invalid UTF-8 and noise.
fn pieces() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(LOGIN.as_bytes().to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b" \t".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xff".to_vec()),
        Just("é".as_bytes().to_vec()),
        Just(br#"{"kind":"tweet"}"#.to_vec()),
        prop::collection::vec(any::<u8>(), 0..40),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|p| p.concat())
}

/// Inputs built from pieces of every format `open` recognises, so that the arbitrary
/// bytes land inside JSON documents, vendor events and CSV rows.
fn format_pieces() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"[".to_vec()),
        Just(b"]".to_vec()),
        Just(b"{".to_vec()),
        Just(b"}".to_vec()),
        Just(b",".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\\".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(br#"{"eventType":"user.session.start","published":"2026-03-05T01:12:44Z","actor":{"type":"User","alternateId":"a"},"client":{"ipAddress":"203.0.113.7"}}"#.to_vec()),
        Just(br#"{"time":"t","category":"SignInLogs","properties":{"userPrincipalName":"u","ipAddress":"::1","createdDateTime":"2026-03-05T01:12:44Z","status":{"errorCode":"0"}}}"#.to_vec()),
        Just(br#"{"kind":"admin#reports#activity","id":{"time":"2026-03-05T01:12:44Z"},"actor":{"email":"e"},"ipAddress":"1.2.3.4","events":{"name":"login_success"}}"#.to_vec()),
        Just(br#"{"value":["#.to_vec()),
        Just(br#""items":"#.to_vec()),
        Just(br#"{"data":{"events":["#.to_vec()),
        Just(br#"{"basics":{"email":"a@b.cd","location":{"countryCode":"#.to_vec()),
        Just(br#""work":[{"company":"x","startDate":"2019-1"}],"languages":[{"language":"#.to_vec()),
        Just(br#"{"TimeGenerated":"2026-03-05T01:12:44Z","UserPrincipalName":"u","IPAddress":"::1","Status":"{"errorCode":"#.to_vec()),
        Just(br#"{"subject":"c-1","score":3,"band":"low","signals":[]}"#.to_vec()),
        Just(b"subject,name,score,band,as_of,assessed_at,signals,top_reason,linked_subjects\n".to_vec()),
        Just(b"\n  ".to_vec()),
        Just(b"user,time,ip\n".to_vec()),
        Just(b"c-1,1772673164,203.0.113.7\n".to_vec()),
        Just(LOGIN.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..40),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

/// Inputs that start like an ISO 20022 payment message, so that the arbitrary bytes land
/// inside its elements, attributes and text.
fn xml_pieces() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"<GrpHdr><MsgId>M</MsgId><CreDtTm>2026-03-01</CreDtTm></GrpHdr>".to_vec()),
        Just(b"<PmtInf><ReqdExctnDt><Dt>2026-03-31</Dt></ReqdExctnDt>".to_vec()),
        Just(b"</PmtInf>".to_vec()),
        Just(b"<CdtTrfTxInf>".to_vec()),
        Just(b"</CdtTrfTxInf>".to_vec()),
        Just(b"<Amt><InstdAmt Ccy=\"EUR\">1.5</InstdAmt></Amt>".to_vec()),
        Just(b"<IntrBkSttlmAmt Ccy='USD'>".to_vec()),
        Just(b"<Cdtr><Nm>A &amp; B &#x1F600; &bogus;</Nm></Cdtr>".to_vec()),
        Just(b"<CdtrAcct><Id><IBAN>DE89 3704</IBAN></Id></CdtrAcct>".to_vec()),
        Just(b"<CdtrAgt><FinInstnId><BIC>AB</BIC></FinInstnId></CdtrAgt>".to_vec()),
        Just(b"<![CDATA[x]]>".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"<".to_vec()),
        Just(b"/>".to_vec()),
        prop::collection::vec(any::<u8>(), 0..40),
    ];
    let start = prop_oneof![
        Just(b"<Document><CstmrCdtTrfInitn>".to_vec()),
        Just(b"\xEF\xBB\xBF<message><AppHdr/><Document><FIToFICstmrCdtTrf>".to_vec()),
    ];
    (start, prop::collection::vec(piece, 0..40)).prop_map(|(start, p)| {
        let mut input = start;
        input.extend(p.concat());
        input
    })
}

/// Reads everything `open_reader` makes of `input`, which must not panic.
fn open_all(input: Vec<u8>, name: &str) -> Result<(), TestCaseError> {
    let length = input.len() as u64;
    match open_reader(std::io::Cursor::new(input), name, &OpenOptions::default()) {
        Ok(mut stream) => {
            for item in stream.by_ref() {
                if let Err(e) = item {
                    // Every error is printable and, where it is about a line, names one.
                    prop_assert!(!e.to_string().is_empty());
                    prop_assert!(e.location().is_none_or(|l| l.line >= 1), "{}", e);
                }
            }
            prop_assert!(stream.bytes_read() <= length);
        }
        Err(e) => prop_assert!(!e.to_string().is_empty()),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..4096)) {
        let items = run(&input, 8 * 1024, 1 << 20)?;
        let physical_lines = input.split(|&b| b == b'\n').count() as u64;
        for item in &items {
            if let Some(loc) = item.as_ref().err().and_then(ReadError::location) {
                prop_assert!(loc.line >= 1 && loc.line <= physical_lines);
            }
        }
    }

    #[test]
    fn framing_does_not_depend_on_read_sizes(
        input in pieces(),
        capacity in 1usize..64,
        limit in 0usize..200,
    ) {
        let reference = run(&input, 1 << 16, limit)?;
        let cut = run(&input, capacity, limit)?;
        prop_assert_eq!(summary(&reference), summary(&cut));

        // Line numbers rise strictly; text never holds a line ending.
        let lines: Vec<u64> = summary(&reference).iter().map(|(l, _)| *l).collect();
        prop_assert!(lines.windows(2).all(|w| w[0] < w[1]), "{:?}", lines);
        for item in reference.iter().flatten() {
            // Only one `\r` is a line ending; `{..}\r\r\n` keeps one (JSON whitespace).
            prop_assert!(!item.text.contains('\n'));
            prop_assert!(item.text.len() <= limit);
        }
    }

    #[test]
    fn open_never_panics_on_arbitrary_bytes(input in prop::collection::vec(any::<u8>(), 0..4096)) {
        for name in ["p.log", "p.csv", "p.json", "p.xml"] {
            open_all(input.clone(), name)?;
        }
    }

    #[test]
    fn open_never_panics_on_pieces_of_payment_messages(input in xml_pieces()) {
        open_all(input, "p.xml")?;
    }

    #[test]
    fn open_never_panics_on_pieces_of_every_format(input in format_pieces()) {
        for name in ["p.log", "p.csv", "p.json"] {
            open_all(input.clone(), name)?;
        }
    }
}

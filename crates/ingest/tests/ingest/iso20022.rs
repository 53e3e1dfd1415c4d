//! ISO 20022 payment messages: the sample files in `shared/data/samples/iso20022` (real
//! messages from public repositories, see its README) read completely with known values,
//! and small inline messages for errors and directory scans.
//!
//! The samples are read in place, never copied into the project. Where they are absent
//! the tests say "skipped" and pass, unless `CI=true`, where they fail.

use std::fs;
use std::path::{Path, PathBuf};

use redflag_ingest::{
    Format, OpenOptions, ReadError, SourcedRecord, input_files, open, open_reader,
};
use redflag_model::{Payment, PayoutAccount, Record, parse_record};

/// `shared/data/samples/iso20022/<name>`, or `None` (after saying so) if absent.
fn sample(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/samples/iso20022");
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the ISO 20022 samples are missing at {}",
            dir.display()
        );
        println!("skipped: no ISO 20022 samples at {}", dir.display());
        return None;
    }
    Some(dir.join(name))
}

/// Every record of a file, failing on any error.
fn read_all(path: &Path) -> Vec<SourcedRecord> {
    let mut stream = open(path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        stream.format(),
        Format::Adapter("iso20022"),
        "{}",
        path.display()
    );
    let records: Vec<_> = stream
        .by_ref()
        .map(|item| item.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    assert_eq!(stream.bytes_read(), size, "{}", path.display());
    assert!(stream.skipped().is_empty());
    for r in &records {
        // The stored text is canonical JSON that parses back to the same record and key.
        assert_eq!(parse_record(&r.text).as_ref(), Ok(&r.parsed), "{}", r.text);
        assert_eq!(r.location.file, path);
    }
    records
}

/// The payments, each with the line its transaction starts on.
fn payments(records: &[SourcedRecord]) -> Vec<(u64, &Payment)> {
    records
        .iter()
        .filter_map(|r| match &r.parsed.record {
            Record::Payment(p) => Some((r.location.line, p)),
            _ => None,
        })
        .collect()
}

fn accounts(records: &[SourcedRecord]) -> Vec<&PayoutAccount> {
    records
        .iter()
        .filter_map(|r| match &r.parsed.record {
            Record::PayoutAccount(a) => Some(a),
            _ => None,
        })
        .collect()
}

/// `(amount, currency)` of each payment, as text.
fn amounts(payments: &[(u64, &Payment)]) -> Vec<(String, String)> {
    payments
        .iter()
        .map(|(_, p)| (p.amount.to_string(), p.currency.to_string()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, c)| ((*a).to_owned(), (*c).to_owned()))
        .collect()
}

#[test]
fn abc_corporation_pain_001() {
    let Some(path) = sample("pain.001.001.03_iso-mdr-example_ABC-Corporation.xml") else {
        return;
    };
    let records = read_all(&path);
    let paid = payments(&records);
    assert_eq!(
        amounts(&paid),
        pairs(&[("10000000", "JPY"), ("500000", "EUR"), ("1000000", "USD")])
    );
    assert_eq!(
        paid.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
        [47, 89, 138]
    );
    // Every creditor account is new: three payout accounts, each before its payment.
    assert_eq!(accounts(&records).len(), 3);
    assert!(matches!(records[0].parsed.record, Record::PayoutAccount(_)));

    let (_, first) = paid[0];
    assert_eq!(
        first.id.as_deref(),
        Some("ABC/090928/CCT001/ABC/4562/2009-09-08")
    );
    assert_eq!(first.subject.as_str(), "account:23683707994125");
    assert_eq!(first.at.to_string(), "2009-09-29T00:00:00Z");
    let account = first.account.as_ref().expect("account");
    assert_eq!(account.holder.as_deref(), Some("DEF Electronics"));
    assert_eq!(account.number.as_deref(), Some("23683707994125"));
    assert_eq!(account.bic.as_deref(), Some("AAAAGB2L"));
    // No `Ctry` in the address lines: the BIC's country.
    assert_eq!(
        account.country.map(|c| c.to_string()).as_deref(),
        Some("GB")
    );
    assert_eq!(first.memo, None);

    let (_, second) = paid[1];
    assert_eq!(second.subject.as_str(), "iban:BE30001216371411");
    let account = second.account.as_ref().expect("account");
    assert_eq!(account.holder.as_deref(), Some("GHI Semiconductors"));
    assert_eq!(
        account.country.map(|c| c.to_string()).as_deref(),
        Some("BE")
    );
    let payout = accounts(&records)[1];
    assert_eq!(
        payout.id.as_deref(),
        Some("acct:iban:BE30001216371411:BE30001216371411")
    );
    assert_eq!(payout.subject, second.subject);
    assert_eq!(payout.at, second.at);
}

#[test]
fn sepa_lt_with_a_byte_order_mark() {
    let Some(path) = sample("pain.001.001.03_sepa_LT.xml") else {
        return;
    };
    let records = read_all(&path);
    let paid = payments(&records);
    assert_eq!(amounts(&paid), pairs(&[("99.99", "EUR")]));
    let (line, payment) = paid[0];
    assert_eq!(line, 59);
    assert_eq!(payment.id.as_deref(), Some("MSGID0001/EndToEndId0001"));
    // The creditor's organisation id wins over the account.
    assert_eq!(payment.subject.as_str(), "123456789");
    assert_eq!(payment.at.to_string(), "2017-08-23T00:00:00Z");
    assert_eq!(
        payment.memo.as_deref(),
        Some("Apmokama saskaita-faktura Nr. 1")
    );
    let account = payment.account.as_ref().expect("account");
    assert_eq!(account.id.as_deref(), Some("LT007400000000000000"));
    assert_eq!(account.holder.as_deref(), Some("IMONE Z"));
    assert_eq!(account.institution.as_deref(), Some("SMPOLT22"));
    assert_eq!(
        account.country.map(|c| c.to_string()).as_deref(),
        Some("LT")
    );
    assert_eq!(accounts(&records).len(), 1);
}

#[test]
fn international_usd_lt() {
    let Some(path) = sample("pain.001.001.03_international_USD_LT.xml") else {
        return;
    };
    let records = read_all(&path);
    let paid = payments(&records);
    assert_eq!(amounts(&paid), pairs(&[("111.11", "USD")]));
    let (_, payment) = paid[0];
    assert_eq!(payment.subject.as_str(), "account:1234567890");
    let account = payment.account.as_ref().expect("account");
    assert_eq!(account.holder.as_deref(), Some("COMPANY Z"));
    assert_eq!(
        account.institution.as_deref(),
        Some("DEUTSCHE BANK TRUST COMPANY AMERICAS")
    );
    assert_eq!(account.bic.as_deref(), Some("BKTRUS33"));
    assert_eq!(
        account.country.map(|c| c.to_string()).as_deref(),
        Some("US")
    );
    assert_eq!(payment.memo.as_deref(), Some("Payment details"));
}

#[test]
fn swiss_six_musterfile() {
    let Some(path) = sample("pain.001.001.03.ch.02_six-musterfile.xml") else {
        return;
    };
    let records = read_all(&path);
    let paid = payments(&records);
    // The group header says `NbOfTxs` 7, but the file holds eight transactions, and
    // its `CtrlSum` (38.00) is their total: all eight are read.
    assert_eq!(
        amounts(&paid),
        pairs(&[
            ("6.2", "CHF"),
            ("1.8", "CHF"),
            ("12", "CHF"),
            ("5", "CHF"),
            ("2", "CHF"),
            ("1", "CHF"),
            ("4", "CHF"),
            ("6", "CHF"),
        ])
    );
    assert_eq!(
        paid.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
        [38, 86, 117, 170, 197, 242, 295, 324]
    );
    // Each payment block has its own execution date.
    let dates: Vec<String> = paid.iter().map(|(_, p)| p.at.to_string()).collect();
    assert_eq!(dates[0], "2020-07-28T00:00:00Z");
    assert_eq!(dates[1], "2020-07-22T00:00:00Z");
    assert_eq!(dates[6], "2020-06-17T00:00:00Z");
    let (_, first) = paid[0];
    assert_eq!(first.subject.as_str(), "iban:CH5109000000250092291");
    assert_eq!(
        first.account.as_ref().and_then(|a| a.holder.as_deref()),
        Some("Maria Bernasconi")
    );
    // The Italian creditor: address country, EUR transfer fixed in CHF.
    let (_, italian) = paid[5];
    let account = italian.account.as_ref().expect("account");
    assert_eq!(
        account.country.map(|c| c.to_string()).as_deref(),
        Some("IT")
    );
    assert_eq!(account.bic.as_deref(), Some("AABBCCDDXXX"));
    // CH5109… is paid three times, but reported as a payout account once.
    assert_eq!(accounts(&records).len(), 6);
}

#[test]
fn fedwire_pacs_008() {
    let Some(path) = sample("pacs.008.001.08_fedwire_CustomerCreditTransfer_Scenario1.xml") else {
        return;
    };
    let records = read_all(&path);
    let paid = payments(&records);
    assert_eq!(amounts(&paid), pairs(&[("510000.74", "USD")]));
    let (line, payment) = paid[0];
    assert_eq!(line, 14);
    assert_eq!(
        payment.id.as_deref(),
        Some("20250310B1QDRCQR000001/Scenario01EtoEId001")
    );
    assert_eq!(payment.subject.as_str(), "account:567876543");
    assert_eq!(payment.at.to_string(), "2025-03-10T00:00:00Z");
    let account = payment.account.as_ref().expect("account");
    assert_eq!(account.holder.as_deref(), Some("Corporation B"));
    assert_eq!(account.institution.as_deref(), Some("Bank B"));
    assert_eq!(
        account.country.map(|c| c.to_string()).as_deref(),
        Some("US")
    );
    assert_eq!(account.bic, None);
}

#[test]
fn prowide_pacs_008_with_an_application_header() {
    let Some(path) = sample("pacs.008.001.07_with-AppHdr_prowide.xml") else {
        return;
    };
    let records = read_all(&path);
    let paid = payments(&records);
    assert_eq!(amounts(&paid), pairs(&[("5000", "USD")]));
    let (line, payment) = paid[0];
    assert_eq!(line, 64);
    assert_eq!(payment.id.as_deref(), Some("823823423/123452342"));
    assert_eq!(payment.at.to_string(), "2018-07-31T00:00:00Z");
    // No creditor account or identifier: the name is all there is.
    assert_eq!(payment.subject.as_str(), "name:Mike Smith");
    let account = payment.account.as_ref().expect("account");
    assert_eq!(account.id, None);
    assert_eq!(account.bic.as_deref(), Some("USTBUS31XXX"));
    assert_eq!(
        account.country.map(|c| c.to_string()).as_deref(),
        Some("US")
    );
    assert!(accounts(&records).is_empty());
}

// ---------------------------------------------------------------------------------------
// Inline messages.

const PAIN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
  <CstmrCdtTrfInitn>
    <GrpHdr><MsgId>M-1</MsgId><CreDtTm>2026-03-01T10:00:00+01:00</CreDtTm></GrpHdr>
    <PmtInf>
      <ReqdExctnDt><Dt>2026-03-31</Dt></ReqdExctnDt>
      <CdtTrfTxInf>
        <PmtId><EndToEndId>NOTPROVIDED</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="CAD">AMOUNT</InstdAmt></Amt>
        <CdtrAgt><FinInstnId><BICFI>ROYCCAT2</BICFI></FinInstnId></CdtrAgt>
        <Cdtr><Nm>D &amp; P Park</Nm><Id><PrvtId><Othr><Id>c-1042</Id></Othr></PrvtId></Id></Cdtr>
        <CdtrAcct><Id><Othr><Id>0042-1</Id></Othr></Id></CdtrAcct>
        <RmtInf><Ustrd>March</Ustrd><Ustrd>invoice</Ustrd></RmtInf>
      </CdtTrfTxInf>
    </PmtInf>
  </CstmrCdtTrfInitn>
</Document>
"#;

fn read_text(text: &str, name: &str) -> Vec<Result<SourcedRecord, ReadError>> {
    let stream = open_reader(
        std::io::Cursor::new(text.as_bytes().to_vec()),
        name,
        &OpenOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stream.format(), Format::Adapter("iso20022"));
    stream.collect()
}

#[test]
fn a_party_id_is_the_subject_and_references_fall_back_to_the_position() {
    let items = read_text(&PAIN.replace("AMOUNT", "1200.50"), "in/p.xml");
    let records: Vec<_> = items
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let paid = payments(&records);
    let (line, payment) = paid[0];
    assert_eq!(line, 7);
    assert_eq!(payment.subject.as_str(), "c-1042");
    assert_eq!(payment.id.as_deref(), Some("M-1/#1"));
    assert_eq!(payment.at.to_string(), "2026-03-31T00:00:00Z");
    assert_eq!(payment.memo.as_deref(), Some("March invoice"));
    let account = payment.account.as_ref().expect("account");
    assert_eq!(account.holder.as_deref(), Some("D & P Park"));
    assert_eq!(
        account.country.map(|c| c.to_string()).as_deref(),
        Some("CA")
    );
    assert_eq!(
        accounts(&records)[0].id.as_deref(),
        Some("acct:c-1042:0042-1")
    );
}

#[test]
fn a_malformed_amount_names_file_line_and_field() {
    let items = read_text(&PAIN.replace("AMOUNT", "12,00"), "in/p.xml");
    assert_eq!(items.len(), 1);
    let error = items[0].as_ref().expect_err("an error");
    assert_eq!(error.location().map(|l| l.line), Some(9));
    assert_eq!(
        error.record_error().and_then(|e| e.field()),
        Some("CdtTrfTxInf.Amt.InstdAmt")
    );
    let message = error.to_string();
    assert!(
        message.starts_with("in/p.xml:9: field `CdtTrfTxInf.Amt.InstdAmt`"),
        "{message}"
    );
    assert!(message.contains("12,00"), "{message}");
}

#[test]
fn an_unknown_currency_and_broken_xml_are_errors() {
    let items = read_text(&PAIN.replace("AMOUNT", "5").replace("CAD", "XYZ"), "p.xml");
    let error = items[0].as_ref().expect_err("an error");
    assert_eq!(
        error.record_error().and_then(|e| e.field()),
        Some("CdtTrfTxInf.Amt.InstdAmt@Ccy")
    );
    // Cut inside the transaction: one error at the end, no record.
    let cut = &PAIN[..PAIN.find("<RmtInf>").expect("RmtInf")];
    let items = read_text(cut, "p.xml");
    assert_eq!(items.len(), 1);
    let error = items[0].as_ref().expect_err("an error");
    assert!(matches!(error, ReadError::Malformed { .. }), "{error}");
    assert!(error.to_string().contains("ends inside"), "{error}");
}

#[test]
fn a_directory_scan_ignores_other_xml() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    fs::write(d.join("pay.xml"), PAIN.replace("AMOUNT", "1")).expect("write");
    fs::write(
        d.join("status.xml"),
        "<?xml version=\"1.0\"?>\n<Document><CstmrPmtStsRpt><GrpHdr/></CstmrPmtStsRpt></Document>\n",
    )
    .expect("write");
    fs::write(d.join("pom.xml"), "<project><a>x,y;z</a></project>\n").expect("write");
    fs::write(
        d.join("feed.xml"),
        "<message><Document><CstmrCdtTrfInitn/></Document></message>",
    )
    .expect("write");
    let files = input_files(&[d.to_path_buf()]).expect("input files");
    assert_eq!(files, [d.join("pay.xml")]);
}

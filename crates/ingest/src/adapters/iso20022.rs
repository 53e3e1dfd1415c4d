//! ISO 20022 credit transfers: `pain.001` (CustomerCreditTransferInitiation, versions
//! 001.001.03 to .09, as a company sends its bank a payment batch) and `pacs.008`
//! (FIToFICustomerCreditTransfer, .001.02 to .10, as banks pass a payment on), each as a
//! bare `Document` or wrapped with a Business Application Header (a root such as
//! `<message>` holding `AppHdr` then `Document`, or `AppHdr` followed by `Document`).
//!
//! Elements are matched by local name, so any namespace works: the `urn:iso:…` ones and
//! the Swiss SIX `pain.001.001.03.ch.02` one alike. The file is streamed with quick-xml;
//! memory holds the group header, one transaction and the set of creditor accounts
//! already reported.
//!
//! Each credit transfer transaction (`CdtTrfTxInf`) becomes a `payment` record, and the
//! first transaction to each creditor account also a `payout_account` record; both are
//! located at the line where the `CdtTrfTxInf` starts. Field by field:
//!
//! - `direction`: `payout`, `method`: `bank_transfer`: a credit transfer pays the creditor.
//! - `amount`, `currency`: `InstdAmt` and its `Ccy` (what the payer ordered paid), else
//!   `Amt/EqvtAmt/Amt` (pain.001: an amount fixed in the debtor's currency), else
//!   `IntrBkSttlmAmt` (pacs.008: what the banks settled).
//! - `at`: pain.001: the payment block's `ReqdExctnDt` (a date, or its `Dt`/`DtTm`
//!   child); pacs.008: the transaction's `IntrBkSttlmDt`, else the group header's, since
//!   settlement is when money moves. Either falls back to the group header's `CreDtTm`.
//!   Dates are midnight UTC; date-times without an offset are read as UTC.
//! - `id`: the group header's `MsgId`, `/`, then the transaction's reference: `TxId`
//!   (pacs.008), else `EndToEndId`, else `InstrId`, else its position in the message
//!   (`#3`). `NOTPROVIDED`, which ISO prescribes for a missing end-to-end reference, is
//!   not a reference. Senders must keep `MsgId` unique, so the pair is.
//! - `account`: `id` and `number` are the creditor account's `IBAN` (spaces removed,
//!   upper case) or `Othr/Id`; `holder` is `Cdtr/Nm`; `institution` the creditor agent's
//!   `Nm`, else its `BICFI`/`BIC`; `bic` that BIC; `country` the creditor's postal
//!   address `Ctry`, else the IBAN's country, else the BIC's (its 5th and 6th letters).
//! - `memo`: the `RmtInf/Ustrd` lines joined by a space.
//! - `subject`: the creditor, since the subject is the person being paid. A party
//!   identifier the payer assigned (`Cdtr/Id/PrvtId/Othr/Id` or `Cdtr/Id/OrgId/Othr/Id`)
//!   is used as written, as it is the closest thing to the organisation's own id for the
//!   person. Otherwise the account stands for the person: `iban:` and the IBAN, or
//!   `account:` and the other account id. A transfer with no account either (a pacs.008
//!   may name only the creditor agent) falls back to `name:` and `Cdtr/Nm`. An
//!   organisation that knows which of its subjects owns an account may remap these ids.
//! - `payout_account`: `id` is `acct:` and the account id; `at`, `method` and `account`
//!   are the payment's. One per distinct account in a file: the store keeps one record
//!   per kind and id in any case, and the payments carry the account for linking.
//!
//! A transaction that cannot become a payment (no amount, an unknown currency, an
//! unreadable date) is an error naming the file, the line of the offending element and
//! its path (`CdtTrfTxInf.Amt.InstdAmt`); reading goes on with the next transaction. XML
//! that is not well formed ends the file with an error at the line where it breaks.

use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use redflag_model::jiff::civil::{Date, DateTime};
use redflag_model::jiff::tz::TimeZone;
use redflag_model::{
    Account, Amount, CountryCode, Currency, Payment, PaymentDirection, PayoutAccount, PayoutMethod,
    Record, RecordError, SubjectId, Timestamp,
};

use crate::adapter::{Adapter, Content, Converter, Input, Skipped, sourced};
use crate::error::quote;
use crate::{Location, READ_BUFFER_BYTES, ReadError, SourcedRecord};

pub(crate) struct Iso20022;

impl Adapter for Iso20022 {
    fn id(&self) -> &'static str {
        "iso20022"
    }

    fn name(&self) -> &'static str {
        "ISO 20022 payment message"
    }

    fn recognise(&self, content: &Content<'_>) -> Option<bool> {
        let head = content.text()?;
        let start = head.body.iter().position(|b| !b.is_ascii_whitespace());
        match start {
            Some(i) if head.body[i] == b'<' => recognise(head.body, head.complete),
            Some(_) => Some(false),
            None if head.complete => Some(false),
            None => None,
        }
    }

    fn open(&self, input: Input) -> Result<Box<dyn Converter>, ReadError> {
        // quick-xml skips the byte-order mark itself, and counts it as read.
        let (read, path) = input.all();
        let reader =
            Iso20022Reader::new(io::BufReader::with_capacity(READ_BUFFER_BYTES, read), path);
        Ok(Box::new(reader))
    }
}

/// Every transaction is a record or an error: nothing is skipped.
static NOTHING_SKIPPED: Skipped = Skipped::new();

/// The message elements (children of `Document`) this adapter reads.
const MESSAGES: [&str; 2] = ["CstmrCdtTrfInitn", "FIToFICstmrCdtTrf"];

/// Deeper nesting than any ISO 20022 message has (about 12 levels), with room for
/// wrappers; beyond it the input is refused rather than held in memory.
const MAX_DEPTH: usize = 64;

/// Text kept per element. The longest ISO 20022 text types are 350 characters (`Max350Text`);
/// anything longer is cut, so one huge text node cannot exhaust memory.
const MAX_TEXT: usize = 4096;

/// The reference ISO 20022 prescribes where no end-to-end reference was given.
const NOT_PROVIDED: &str = "NOTPROVIDED";

// ---------------------------------------------------------------------------------------
// Recognising a message.

/// Whether the start of an input (after any byte-order mark) is an ISO 20022 payment
/// message: `Some(true)` if it is, `Some(false)` if it is not, `None` if the bytes so
/// far do not decide (`complete` says whether `head` is the whole input).
///
/// Only the first elements are examined: the root must be `Document`, or `AppHdr`
/// followed by `Document`, or a wrapper whose first child is `AppHdr` and second
/// `Document`; the `Document`'s first child must be a message this adapter reads.
fn recognise(head: &[u8], complete: bool) -> Option<bool> {
    /// The element that decides next.
    enum Want {
        Root,
        /// The wrapper's child at depth 1: `AppHdr` first, then `Document`.
        WrapperChild {
            header_seen: bool,
        },
        /// A `Document` at depth 0, after a root `AppHdr`.
        SiblingDocument,
        /// The first child of the `Document` at this depth.
        Message(usize),
    }
    let mut reader = Reader::from_reader(head);
    let mut buf = Vec::new();
    let mut want = Want::Root;
    let mut depth = 0usize;
    loop {
        let (start, empty) = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(_)) => {
                depth = depth.saturating_sub(1);
                match want {
                    // A wrapper or a `Document` closed before deciding.
                    Want::WrapperChild { .. } if depth == 0 => return Some(false),
                    Want::Message(at) if depth == at => return Some(false),
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Ok(Event::Eof) | Err(_) if !complete => return None,
            Ok(Event::Eof) | Err(_) => return Some(false),
            Ok(_) => {
                buf.clear();
                continue;
            }
        };
        let name = start.local_name();
        let name = name.as_ref();
        match want {
            Want::Root => {
                want = match name {
                    b"Document" => Want::Message(0),
                    b"AppHdr" => Want::SiblingDocument,
                    _ => Want::WrapperChild { header_seen: false },
                };
                if empty {
                    return Some(false);
                }
            }
            Want::WrapperChild { header_seen } if depth == 1 => match (header_seen, name) {
                (false, b"AppHdr") => want = Want::WrapperChild { header_seen: true },
                (true, b"Document") if !empty => want = Want::Message(1),
                _ => return Some(false),
            },
            Want::SiblingDocument if depth == 0 => match name {
                b"Document" if !empty => want = Want::Message(0),
                _ => return Some(false),
            },
            Want::Message(at) if depth == at + 1 => {
                return Some(MESSAGES.iter().any(|m| m.as_bytes() == name));
            }
            _ => {}
        }
        if !empty {
            depth += 1;
        }
        buf.clear();
    }
}

// ---------------------------------------------------------------------------------------
// Line counting.

/// A buffered input that counts the bytes and line feeds its reader has consumed, so
/// that the line where an element starts is known without holding the file.
#[derive(Debug)]
struct Counting<R> {
    inner: R,
    bytes: u64,
    newlines: u64,
}

impl<R: BufRead> io::Read for Counting<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let got = {
            let available = self.fill_buf()?;
            let n = available.len().min(out.len());
            out[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(got);
        Ok(got)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        // The bytes being consumed were returned by the last `fill_buf`, so asking again
        // returns the same buffer without reading.
        if let Ok(buffer) = self.inner.fill_buf() {
            let counted = &buffer[..amount.min(buffer.len())];
            self.newlines += memchr::memchr_iter(b'\n', counted).count() as u64;
        }
        self.bytes += amount as u64;
        self.inner.consume(amount);
    }
}

// ---------------------------------------------------------------------------------------
// Reading.

/// Which message a file holds: they place the dates and amounts differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pain001,
    Pacs008,
}

/// An element's text and the line it starts on, for error messages.
#[derive(Debug, Clone)]
struct Field {
    value: String,
    line: u64,
}

/// An amount element: its text, its `Ccy` attribute and its path.
#[derive(Debug, Clone)]
struct Money {
    amount: Field,
    currency: Option<String>,
    path: &'static str,
}

/// The message being read: its kind, where it sits and its group-level values.
#[derive(Debug)]
struct Message {
    kind: Kind,
    /// The index of the message element in the element stack.
    depth: usize,
    msg_id: Option<String>,
    created: Option<Field>,
    group_settlement: Option<Field>,
    /// pain.001: the current payment block's `ReqdExctnDt`.
    requested: Option<Field>,
    /// Transactions started so far, for references of last resort.
    transactions: u64,
}

/// What one `CdtTrfTxInf` holds, collected as its elements end.
#[derive(Debug, Default)]
struct Transaction {
    line: u64,
    ordinal: u64,
    end_to_end_id: Option<String>,
    tx_id: Option<String>,
    instruction_id: Option<String>,
    instructed: Option<Money>,
    equivalent: Option<Money>,
    settled: Option<Money>,
    settlement_date: Option<Field>,
    agent_bic: Option<String>,
    agent_name: Option<String>,
    creditor_name: Option<String>,
    creditor_country: Option<Field>,
    creditor_party_id: Option<String>,
    iban: Option<String>,
    other_account: Option<String>,
    memo: Vec<String>,
    /// The first element that could not be read: line, path, message.
    error: Option<(u64, String, String)>,
}

/// Streams the `payment` and `payout_account` records of an ISO 20022 message.
#[derive(Debug)]
struct Iso20022Reader<R> {
    reader: Reader<Counting<R>>,
    file: PathBuf,
    buf: Vec<u8>,
    /// Local names of the open elements, outermost first.
    stack: Vec<String>,
    /// The text of the innermost element so far (at most [`MAX_TEXT`] bytes).
    text: String,
    /// The line the innermost element starts on.
    text_line: u64,
    /// The `Ccy` attribute of the innermost element, within a transaction.
    currency: Option<String>,
    message: Option<Message>,
    transaction: Option<Transaction>,
    /// Creditor accounts already reported by a `payout_account` record.
    accounts: HashSet<String>,
    pending: VecDeque<Result<SourcedRecord, ReadError>>,
    done: bool,
}

impl<R: BufRead> Iso20022Reader<R> {
    fn new(input: R, file: PathBuf) -> Self {
        let mut reader = Reader::from_reader(Counting {
            inner: input,
            bytes: 0,
            newlines: 0,
        });
        // `<X/>` becomes a start and an end, so empty elements need no case of their own.
        reader.config_mut().expand_empty_elements = true;
        Iso20022Reader {
            reader,
            file,
            buf: Vec::new(),
            stack: Vec::new(),
            text: String::new(),
            text_line: 0,
            currency: None,
            message: None,
            transaction: None,
            accounts: HashSet::new(),
            pending: VecDeque::new(),
            done: false,
        }
    }

    fn location(&self, line: u64) -> Location {
        Location {
            file: self.file.clone(),
            line,
        }
    }

    /// Ends the file with an error at `line`.
    fn fail(&mut self, line: u64, message: String) {
        self.done = true;
        self.pending.push_back(Err(ReadError::Malformed {
            location: self.location(line),
            message,
        }));
    }

    /// Reads one XML event and queues what it completes. `false` at the end.
    fn read_one(&mut self) -> bool {
        if self.done {
            return false;
        }
        // The reader has consumed everything before this event's first byte, which is
        // never a line feed, so the event starts on the next line.
        let line = self.reader.get_ref().newlines + 1;
        self.buf.clear();
        let event = match self.reader.read_event_into(&mut self.buf) {
            Ok(event) => event,
            Err(e) => {
                let line = self.reader.get_ref().newlines + 1;
                self.fail(line, format!("not well-formed XML: {e}"));
                return true;
            }
        };
        match event {
            Event::Start(start) => {
                let start = start.into_owned();
                self.start(&start, line);
            }
            Event::End(_) => self.end(),
            Event::Text(text) => match text.decode() {
                Ok(text) => push_text(&mut self.text, &text),
                Err(e) => self.fail(line, format!("text is not UTF-8: {e}")),
            },
            Event::CData(data) => match data.decode() {
                Ok(text) => push_text(&mut self.text, &text),
                Err(e) => self.fail(line, format!("text is not UTF-8: {e}")),
            },
            Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                Ok(Some(c)) => push_text(&mut self.text, c.encode_utf8(&mut [0; 4])),
                Ok(None) => {
                    let name = String::from_utf8_lossy(&reference).into_owned();
                    // An entity only a DTD could define is kept as written.
                    let text = resolve_predefined_entity(&name)
                        .map_or_else(|| Cow::Owned(format!("&{name};")), Cow::Borrowed);
                    push_text(&mut self.text, &text);
                }
                Err(e) => self.fail(line, format!("not well-formed XML: {e}")),
            },
            Event::Eof => {
                if let Some(open) = self.stack.last() {
                    let message = format!("the file ends inside the element <{open}>");
                    self.fail(line, message);
                } else {
                    self.done = true;
                }
            }
            Event::Empty(_)
            | Event::Comment(_)
            | Event::Decl(_)
            | Event::PI(_)
            | Event::DocType(_) => {}
        }
        true
    }

    fn start(&mut self, start: &BytesStart<'_>, line: u64) {
        if self.stack.len() >= MAX_DEPTH {
            self.fail(
                line,
                format!("elements are nested more than {MAX_DEPTH} deep"),
            );
            return;
        }
        let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
        self.text.clear();
        self.text_line = line;
        self.currency = None;
        if self.message.is_none() && self.stack.last().is_some_and(|p| p == "Document") {
            let kind = match name.as_str() {
                "CstmrCdtTrfInitn" => Some(Kind::Pain001),
                "FIToFICstmrCdtTrf" => Some(Kind::Pacs008),
                _ => None,
            };
            if let Some(kind) = kind {
                self.message = Some(Message {
                    kind,
                    depth: self.stack.len(),
                    msg_id: None,
                    created: None,
                    group_settlement: None,
                    requested: None,
                    transactions: 0,
                });
            }
        }
        self.stack.push(name);
        let Some(message) = &mut self.message else {
            return;
        };
        let relative: Vec<&str> = self.stack[message.depth + 1..]
            .iter()
            .map(String::as_str)
            .collect();
        match relative.as_slice() {
            ["PmtInf"] => message.requested = None,
            ["CdtTrfTxInf"] | ["PmtInf", "CdtTrfTxInf"] => {
                message.transactions += 1;
                self.transaction = Some(Transaction {
                    line,
                    ordinal: message.transactions,
                    ..Transaction::default()
                });
            }
            _ => {
                if let Some(transaction) = &mut self.transaction {
                    match start.try_get_attribute("Ccy") {
                        Ok(Some(attribute)) => match attribute.unescape_value() {
                            Ok(value) => self.currency = Some(value.trim().to_owned()),
                            Err(e) => transaction.fail(line, &relative, "@Ccy", e.to_string()),
                        },
                        Ok(None) => {}
                        Err(e) => transaction.fail(line, &relative, "@Ccy", e.to_string()),
                    }
                }
            }
        }
    }

    fn end(&mut self) {
        let text = std::mem::take(&mut self.text);
        let value = text.trim();
        let line = self.text_line;
        let field = || Field {
            value: value.to_owned(),
            line,
        };
        let mut closed = false;
        let mut finished = None;
        if let Some(message) = &mut self.message {
            let relative: Vec<&str> = self.stack[message.depth + 1..]
                .iter()
                .map(String::as_str)
                .collect();
            match relative.as_slice() {
                [] => closed = true,
                ["GrpHdr", "MsgId"] => message.msg_id = some(value),
                ["GrpHdr", "CreDtTm"] => message.created = Some(field()),
                ["GrpHdr", "IntrBkSttlmDt"] => message.group_settlement = Some(field()),
                ["PmtInf", "ReqdExctnDt"] | ["PmtInf", "ReqdExctnDt", "Dt" | "DtTm"]
                    if !value.is_empty() =>
                {
                    message.requested = Some(field());
                }
                ["CdtTrfTxInf"] | ["PmtInf", "CdtTrfTxInf"] => {
                    finished = self.transaction.take().map(|tx| build(tx, message));
                }
                ["CdtTrfTxInf", inside @ ..] | ["PmtInf", "CdtTrfTxInf", inside @ ..] => {
                    if let Some(transaction) = &mut self.transaction {
                        transaction.collect(inside, field(), self.currency.take());
                    }
                }
                _ => {}
            }
        }
        if closed {
            self.message = None;
        }
        self.stack.pop();
        if let Some(outcome) = finished {
            self.emit(outcome);
        }
    }

    /// Queues a transaction's records, or its error.
    fn emit(&mut self, outcome: Result<(Payment, u64), (u64, String, String)>) {
        match outcome {
            Ok((payment, line)) => {
                let location = self.location(line);
                let account = payment.account.as_ref().and_then(|account| {
                    let id = account.id.clone()?;
                    // One payout account per subject and account: the store keeps one
                    // record per id, and two people paid to one IBAN must both keep theirs
                    // (that sharing is itself evidence for the link index).
                    let key = format!("{}:{id}", payment.subject);
                    self.accounts.insert(key.clone()).then(|| PayoutAccount {
                        id: Some(format!("acct:{key}")),
                        subject: payment.subject.clone(),
                        at: payment.at,
                        method: PayoutMethod::BankTransfer,
                        account: Some(account.clone()),
                    })
                });
                if let Some(account) = account {
                    let record = Record::PayoutAccount(account);
                    self.pending
                        .push_back(sourced(record, None, location.clone()));
                }
                let record = Record::Payment(payment);
                self.pending.push_back(sourced(record, None, location));
            }
            Err((line, field, message)) => {
                let location = self.location(line);
                self.pending.push_back(Err(ReadError::Record {
                    location,
                    error: RecordError::Field { field, message },
                }));
            }
        }
    }
}

impl<R: BufRead + Send> Converter for Iso20022Reader<R> {
    fn path(&self) -> &Path {
        &self.file
    }

    fn bytes_read(&self) -> u64 {
        self.reader.get_ref().bytes
    }

    fn skipped(&self) -> &Skipped {
        &NOTHING_SKIPPED
    }
}

impl<R: BufRead> Iterator for Iso20022Reader<R> {
    type Item = Result<SourcedRecord, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if !self.read_one() {
                return None;
            }
        }
    }
}

/// Appends to an element's text, up to [`MAX_TEXT`] bytes.
fn push_text(kept: &mut String, text: &str) {
    let room = MAX_TEXT.saturating_sub(kept.len());
    let mut cut = text.len().min(room);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    kept.push_str(&text[..cut]);
}

/// `None` for an empty value.
fn some(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

/// The path of an element inside a transaction, for messages: `CdtTrfTxInf.Amt.InstdAmt`.
fn path(inside: &[&str], suffix: &str) -> String {
    let mut path = String::from("CdtTrfTxInf");
    for name in inside {
        path.push('.');
        path.push_str(name);
    }
    path.push_str(suffix);
    path
}

impl Transaction {
    /// Remembers the first error, which is what the user must fix first.
    fn fail(&mut self, line: u64, relative: &[&str], suffix: &str, message: String) {
        if self.error.is_none() {
            let inside = relative
                .iter()
                .position(|name| *name == "CdtTrfTxInf")
                .map_or(relative, |i| &relative[i + 1..]);
            self.error = Some((line, path(inside, suffix), message));
        }
    }

    /// Keeps an element of the transaction, named by its path below `CdtTrfTxInf`.
    fn collect(&mut self, inside: &[&str], field: Field, currency: Option<String>) {
        let value = field.value.as_str();
        let money = |path| {
            Some(Money {
                amount: field.clone(),
                currency: currency.clone(),
                path,
            })
        };
        match inside {
            ["PmtId", "EndToEndId"] => self.end_to_end_id = some(value),
            ["PmtId", "TxId"] => self.tx_id = some(value),
            ["PmtId", "InstrId"] => self.instruction_id = some(value),
            ["Amt", "InstdAmt"] => self.instructed = money("CdtTrfTxInf.Amt.InstdAmt"),
            ["InstdAmt"] => self.instructed = money("CdtTrfTxInf.InstdAmt"),
            ["Amt", "EqvtAmt", "Amt"] => self.equivalent = money("CdtTrfTxInf.Amt.EqvtAmt.Amt"),
            ["IntrBkSttlmAmt"] => self.settled = money("CdtTrfTxInf.IntrBkSttlmAmt"),
            ["IntrBkSttlmDt"] => self.settlement_date = Some(field),
            ["CdtrAgt", "FinInstnId", "BIC" | "BICFI"] => {
                self.agent_bic = some(value).map(|bic| bic.to_ascii_uppercase());
            }
            ["CdtrAgt", "FinInstnId", "Nm"] => self.agent_name = some(value),
            ["Cdtr", "Nm"] => self.creditor_name = some(value),
            ["Cdtr", "PstlAdr", "Ctry"] if !value.is_empty() => self.creditor_country = Some(field),
            // The first identifier given is the one the payer chose to name the party by.
            ["Cdtr", "Id", "PrvtId" | "OrgId", "Othr", "Id"]
                if self.creditor_party_id.is_none() =>
            {
                self.creditor_party_id = some(value);
            }
            ["CdtrAcct", "Id", "IBAN"] => {
                let iban: String = value.split_whitespace().collect();
                self.iban = some(&iban.to_ascii_uppercase());
            }
            ["CdtrAcct", "Id", "Othr", "Id"] => self.other_account = some(value),
            ["RmtInf", "Ustrd"] if !value.is_empty() => self.memo.push(value.to_owned()),
            _ => {}
        }
    }
}

/// A transaction's payment and the line it starts on, or the error that keeps it from
/// being one: line, field path, message.
fn build(tx: Transaction, message: &Message) -> Result<(Payment, u64), (u64, String, String)> {
    if let Some(error) = tx.error {
        return Err(error);
    }
    let missing = |field: &str| {
        (
            tx.line,
            field.to_owned(),
            "is required but missing".to_owned(),
        )
    };
    let money = [&tx.instructed, &tx.equivalent, &tx.settled]
        .into_iter()
        .find_map(Option::as_ref)
        .ok_or_else(|| missing("CdtTrfTxInf.Amt.InstdAmt"))?;
    let amount: Amount = money
        .amount
        .value
        .parse()
        .map_err(|e| (money.amount.line, money.path.to_owned(), e))?;
    let currency: Currency = money
        .currency
        .as_deref()
        .ok_or_else(|| missing(&format!("{}@Ccy", money.path)))?
        .parse()
        .map_err(|e| (money.amount.line, format!("{}@Ccy", money.path), e))?;

    let (when, when_path) = match message.kind {
        Kind::Pain001 => match &message.requested {
            Some(date) => (Some(date), "PmtInf.ReqdExctnDt"),
            None => (message.created.as_ref(), "GrpHdr.CreDtTm"),
        },
        Kind::Pacs008 => match (&tx.settlement_date, &message.group_settlement) {
            (Some(date), _) => (Some(date), "CdtTrfTxInf.IntrBkSttlmDt"),
            (None, Some(date)) => (Some(date), "GrpHdr.IntrBkSttlmDt"),
            (None, None) => (message.created.as_ref(), "GrpHdr.CreDtTm"),
        },
    };
    let when = when.ok_or_else(|| missing(when_path))?;
    let at = time(&when.value).map_err(|e| (when.line, when_path.to_owned(), e))?;

    let country = match &tx.creditor_country {
        Some(field) => Some(
            field
                .value
                .parse::<CountryCode>()
                .map_err(|e| (field.line, "CdtTrfTxInf.Cdtr.PstlAdr.Ctry".to_owned(), e))?,
        ),
        None => tx
            .iban
            .as_deref()
            .and_then(|iban| iban.get(..2))
            .or_else(|| tx.agent_bic.as_deref().and_then(|bic| bic.get(4..6)))
            .filter(|code| code.bytes().all(|b| b.is_ascii_alphabetic()))
            .and_then(|code| code.parse().ok()),
    };
    let number = tx.iban.clone().or_else(|| tx.other_account.clone());
    let subject = match (&tx.creditor_party_id, &tx.iban, &tx.other_account) {
        (Some(party), _, _) => party.clone(),
        (None, Some(iban), _) => format!("iban:{iban}"),
        (None, None, Some(other)) => format!("account:{other}"),
        (None, None, None) => match &tx.creditor_name {
            Some(name) => format!("name:{name}"),
            None => return Err(missing("CdtTrfTxInf.CdtrAcct")),
        },
    };
    let subject: SubjectId = subject
        .parse()
        .map_err(|e| (tx.line, "CdtTrfTxInf.Cdtr".to_owned(), e))?;
    let account = Account {
        id: number.clone(),
        holder: tx.creditor_name,
        institution: tx.agent_name.or_else(|| tx.agent_bic.clone()),
        country,
        number,
        bic: tx.agent_bic,
        ..Account::default()
    };
    let account = (account != Account::default()).then_some(account);

    let msg_id = message
        .msg_id
        .as_deref()
        .ok_or_else(|| missing("GrpHdr.MsgId"))?;
    let end_to_end = tx.end_to_end_id.filter(|id| id != NOT_PROVIDED);
    let reference = tx
        .tx_id
        .or(end_to_end)
        .or(tx.instruction_id)
        .unwrap_or_else(|| format!("#{}", tx.ordinal));
    let payment = Payment {
        id: Some(format!("{msg_id}/{reference}")),
        subject,
        at,
        direction: Some(PaymentDirection::Payout),
        amount,
        currency,
        method: Some(PayoutMethod::BankTransfer),
        account,
        memo: (!tx.memo.is_empty()).then(|| tx.memo.join(" ")),
    };
    Ok((payment, tx.line))
}

/// An ISO date-time (with or without an offset; without one it is read as UTC) or a
/// date (midnight UTC).
fn time(text: &str) -> Result<Timestamp, String> {
    if let Ok(at) = text.parse::<Timestamp>() {
        return Ok(at);
    }
    let civil = text
        .parse::<DateTime>()
        .or_else(|_| text.parse::<Date>().map(|date| date.at(0, 0, 0, 0)));
    civil
        .and_then(|at| at.to_zoned(TimeZone::UTC))
        .map(|at| at.timestamp())
        .map_err(|_| {
            format!(
                "expected an ISO date (2026-03-05) or date-time (2026-03-05T01:12:44, with or without an offset), found {}",
                quote(text)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_payment_messages_only() {
        let pain = b"<?xml version='1.0'?>\n<Document xmlns='x'><CstmrCdtTrfInitn>";
        assert_eq!(recognise(pain, false), Some(true));
        let wrapped = b"<message><AppHdr><Fr/></AppHdr><Document><FIToFICstmrCdtTrf>";
        assert_eq!(recognise(wrapped, false), Some(true));
        let siblings = b"<AppHdr><To/></AppHdr>\n<Document><FIToFICstmrCdtTrf>";
        assert_eq!(recognise(siblings, false), Some(true));
        for no in [
            &b"<Document><pain.002/></Document>"[..],
            b"<Document><BkToCstmrStmt>",
            b"<html><body>",
            b"<message><Document><CstmrCdtTrfInitn>",
            b"<message><AppHdr/><Other/>",
            b"<Document/>",
            b"<Document></Document>",
            b"not xml",
        ] {
            assert_eq!(
                recognise(no, true),
                Some(false),
                "{}",
                String::from_utf8_lossy(no)
            );
        }
        assert_eq!(recognise(b"<Document xmlns='urn:iso", false), None);
        assert_eq!(recognise(b"<Document>", false), None);
    }

    #[test]
    fn times_are_dates_or_date_times() {
        assert_eq!(
            time("2020-07-28").map(|t| t.to_string()),
            Ok("2020-07-28T00:00:00Z".to_owned())
        );
        assert_eq!(
            time("2009-09-28T14:07:00").map(|t| t.to_string()),
            Ok("2009-09-28T14:07:00Z".to_owned())
        );
        assert_eq!(
            time("2025-03-10T09:00:00-04:00").map(|t| t.to_string()),
            Ok("2025-03-10T13:00:00Z".to_owned())
        );
        assert!(time("28.07.2020").is_err());
    }
}

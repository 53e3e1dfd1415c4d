//! Logins or payments from a CSV file: one row per sign-in or per payment, a header
//! naming the columns. A header with an IP column is read as logins; one with amount and
//! currency columns (and no IP) as payments.
//!
//! Which column holds which field comes from a [`CsvMapping`] where one is given, and
//! otherwise from the header names listed in [`CsvMapping`]'s documentation. Header
//! names are compared without letter case, spaces, `_` or `-`, so `IP address`,
//! `ip_address` and `ipAddress` are one name. The delimiter is `,`, `;` or a tab,
//! whichever the header line holds most of. Fields are trimmed.

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Read};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use csv::StringRecord;
use redflag_model::jiff::{self, Timestamp, tz::TimeZone};
use redflag_model::{
    Account, Amount, CountryCode, Currency, Login, Payment, PaymentDirection, PayoutMethod, Record,
    SubjectId, Wallet,
};

use crate::adapter::{Adapter, Content, Converter, Input, Skipped, sourced};
use crate::adapters::json::NO_IP;
use crate::error::quote;
use crate::{Location, READ_BUFFER_BYTES, ReadError, SourcedRecord};

pub(crate) struct Csv;

impl Adapter for Csv {
    fn id(&self) -> &'static str {
        "csv"
    }

    fn name(&self) -> &'static str {
        "CSV of logins or payments"
    }

    /// Text whose first line holds a delimiter, or a file named `*.csv`/`*.tsv`, and not
    /// named like JSON or XML. In a folder, only a header that names the columns of
    /// logins or payments counts.
    fn recognise(&self, content: &Content<'_>) -> Option<bool> {
        let head = content.text()?;
        let rest = without_blank_lines(head.body);
        let line = match memchr::memchr(b'\n', rest) {
            Some(end) => &rest[..end],
            None if head.complete => rest,
            None => return None,
        };
        if std::str::from_utf8(line).is_err() {
            return Some(false);
        }
        let Some(delimiter) = csv_delimiter(head.path, delimiter(line)) else {
            return Some(false);
        };
        if head.found {
            return Some(header_maps(
                head.body,
                delimiter,
                head.options.csv_mapping.as_ref(),
            ));
        }
        Some(true)
    }

    fn open(&self, input: Input) -> Result<Box<dyn Converter>, ReadError> {
        let line = without_blank_lines(input.head())
            .split(|&b| b == b'\n')
            .next()
            .unwrap_or(&[]);
        let delimiter = csv_delimiter(&input.path, delimiter(line)).unwrap_or(b',');
        let mapping = input.options.csv_mapping.clone();
        let (read, bom, path) = input.after_bom();
        let reader = CsvLogins::new(read, bom, path, delimiter, mapping.as_ref())?;
        Ok(Box::new(reader))
    }
}

/// The text from its first line that is not blank.
fn without_blank_lines(text: &[u8]) -> &[u8] {
    let start = text
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(text.len());
    &text[start..]
}

/// The CSV delimiter for a text file: the one its header holds, or `,` for a file named
/// `*.csv` (`\t` for `*.tsv`); none for a file named like JSON or XML, which is never
/// CSV.
fn csv_delimiter(path: &Path, found: Option<u8>) -> Option<u8> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("json" | "jsonl" | "ndjson" | "xml") => None,
        Some("csv") => found.or(Some(b',')),
        Some("tsv") => found.or(Some(b'\t')),
        _ => found,
    }
}

/// Which CSV column holds each field of a `login` record (`shared/spec/records.md`).
///
/// A field left `None` is looked for under the usual names below (compared without
/// letter case, spaces, `_` or `-`; the first name present wins). `subject`, `at` and
/// `ip` must be found; the other fields are optional.
///
/// | field | usual header names |
/// |---|---|
/// | `subject` | subject, subject_id, username, user_principal_name, upn, email, email_address, user_email, user, user_id |
/// | `at` | at, timestamp, time, datetime, date_utc, date, event_time, login_time, sign_in_time, created_at, created_date_time, published |
/// | `ip` | ip, ip_address, client_ip, client_ip_address, source_ip, src_ip, remote_ip, remote_addr, remote_address, caller_ip_address |
/// | `account` | account, account_name, account_id |
/// | `success` | success, succeeded, successful, result, outcome, status |
/// | `user_agent` | user_agent, ua, raw_user_agent |
/// | `device_id` | device_id, device |
/// | `mfa_device` | mfa_device, mfa_device_id, second_factor |
/// | `session_id` | session_id, session |
///
/// Values: `at` is RFC 3339 (`2026-03-05T01:12:44Z`), `YYYY-MM-DD HH:MM:SS` (UTC, with
/// optional fractional seconds), or Unix seconds (`1772673164`). `success` is
/// true/false, yes/no, y/n, 1/0, success/failure, succeeded/failed, ok/fail,
/// allow/deny, or empty for unknown; `interrupted`, `blocked` and `error` are failures.
/// A row with an empty `ip` is skipped and counted; any other unreadable value is an
/// error naming the row's line and the column.
///
/// A CSV of payments is read the same way, with the fields of [`PAYMENT_FIELDS`]; name
/// its columns with the same syntax (`subject=payee,at=paid_on,amount=gross`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvMapping {
    /// The column holding the subject (the person's id, often a user name or e-mail).
    pub subject: Option<String>,
    /// The column holding the time of the sign-in.
    pub at: Option<String>,
    /// The column holding the IP address signed in from.
    pub ip: Option<String>,
    /// The column holding the account signed in to (`gitlab:dpark`).
    pub account: Option<String>,
    /// The column saying whether the sign-in succeeded.
    pub success: Option<String>,
    /// The column holding the browser's user agent.
    pub user_agent: Option<String>,
    /// The column holding the device's identifier.
    pub device_id: Option<String>,
    /// The column holding the identifier of the second factor that approved the sign-in.
    pub mfa_device: Option<String>,
    /// The column holding the session's identifier.
    pub session_id: Option<String>,
    /// For a CSV of payments: the column of each payment field other than `subject` and
    /// `at` (which the fields above give), keyed by field name: amount, currency,
    /// method, direction, account, holder, institution, country, number, bic, chain,
    /// wallet, memo, id. See [`PAYMENT_FIELDS`].
    pub payment: BTreeMap<String, String>,
}

/// The fields of a `payment` record a CSV may carry, in order; the first four are
/// required. Usual header names are looked for when the mapping names no column.
pub const PAYMENT_FIELDS: [&str; 16] = [
    "subject",
    "at",
    "amount",
    "currency",
    "method",
    "direction",
    "account",
    "holder",
    "institution",
    "country",
    "number",
    "bic",
    "chain",
    "wallet",
    "memo",
    "id",
];

const PAYMENT_USUAL_NAMES: [&[&str]; 16] = [
    &[
        "subject",
        "subjectid",
        "payee",
        "payeeid",
        "beneficiaryid",
        "contractor",
        "contractorid",
        "user",
        "userid",
        "email",
    ],
    &[
        "at",
        "timestamp",
        "time",
        "datetime",
        "paidat",
        "paymentdate",
        "valuedate",
        "date",
        "createdat",
    ],
    &[
        "amount",
        "amt",
        "value",
        "total",
        "grossamount",
        "netamount",
    ],
    &["currency", "ccy", "currencycode"],
    &["method", "paymentmethod", "channel", "rail", "payouttype"],
    &["direction"],
    &["account", "accountid", "payoutaccount", "destination"],
    &["holder", "accountholder", "beneficiaryname", "payeename"],
    &["institution", "bank", "bankname", "provider"],
    &["country", "accountcountry", "bankcountry"],
    &["number", "accountnumber", "iban"],
    &["bic", "swift", "swiftbic"],
    &["chain", "network", "blockchain"],
    &["wallet", "walletaddress", "address"],
    &["memo", "reference", "description", "note"],
    &["id", "paymentid", "transactionid", "txid"],
];

/// The fields of a login, in the order of [`CsvMapping::columns`] and [`USUAL_NAMES`].
const FIELDS: [&str; 9] = [
    "subject",
    "at",
    "ip",
    "account",
    "success",
    "user_agent",
    "device_id",
    "mfa_device",
    "session_id",
];

/// How many of [`FIELDS`], from the first, a CSV file must have.
const REQUIRED: usize = 3;

/// Header names looked for when the mapping names no column, normalised (see
/// [`normalise`]), in order of preference.
const USUAL_NAMES: [&[&str]; 9] = [
    &[
        "subject",
        "subjectid",
        "username",
        "userprincipalname",
        "upn",
        "email",
        "emailaddress",
        "useremail",
        "user",
        "userid",
    ],
    &[
        "at",
        "timestamp",
        "time",
        "datetime",
        "dateutc",
        "date",
        "eventtime",
        "logintime",
        "signintime",
        "createdat",
        "createddatetime",
        "published",
    ],
    &[
        "ip",
        "ipaddress",
        "clientip",
        "clientipaddress",
        "sourceip",
        "srcip",
        "remoteip",
        "remoteaddr",
        "remoteaddress",
        "calleripaddress",
    ],
    &["account", "accountname", "accountid"],
    &[
        "success",
        "succeeded",
        "successful",
        "result",
        "outcome",
        "status",
    ],
    &["useragent", "ua", "rawuseragent"],
    &["deviceid", "device"],
    &["mfadevice", "mfadeviceid", "secondfactor"],
    &["sessionid", "session"],
];

impl CsvMapping {
    /// Parses the `--csv-map` syntax: comma-separated `field=column` pairs, such as
    /// `subject=user,at=time,ip=client`. Fields are those of [`CsvMapping`]; a column is
    /// named as in the header (spaces allowed, commas and `=` not). Each field may be
    /// given once.
    ///
    /// ```
    /// use redflag_ingest::CsvMapping;
    ///
    /// let mapping = CsvMapping::parse("subject=user, at=Date (UTC), ip=client").unwrap();
    /// assert_eq!(mapping.at.as_deref(), Some("Date (UTC)"));
    /// assert!(CsvMapping::parse("when=time").is_err());
    /// ```
    pub fn parse(spec: &str) -> Result<CsvMapping, String> {
        let mut mapping = CsvMapping::default();
        if spec.trim().is_empty() {
            return Err(format!(
                "the CSV mapping is empty; give field=column pairs such as `subject=user,at=time,ip=client` (fields: {})",
                FIELDS.join(", ")
            ));
        }
        for pair in spec.split(',') {
            let Some((field, column)) = pair.split_once('=') else {
                return Err(format!(
                    "`{}` in the CSV mapping is not of the form field=column",
                    pair.trim()
                ));
            };
            let (field, column) = (field.trim(), column.trim());
            if column.is_empty() || column.contains('=') {
                return Err(format!(
                    "`{}` in the CSV mapping needs one column name after `=`",
                    pair.trim()
                ));
            }
            let Some(slot) = mapping.slot(field) else {
                if PAYMENT_FIELDS.contains(&field) {
                    if mapping
                        .payment
                        .insert(field.to_owned(), column.to_owned())
                        .is_some()
                    {
                        return Err(format!(
                            "field `{field}` is mapped twice in the CSV mapping"
                        ));
                    }
                    continue;
                }
                return Err(format!(
                    "unknown field `{field}` in the CSV mapping (login fields: {}; payment fields: {})",
                    FIELDS.join(", "),
                    PAYMENT_FIELDS.join(", ")
                ));
            };
            if slot.is_some() {
                return Err(format!(
                    "field `{field}` is mapped twice in the CSV mapping"
                ));
            }
            *slot = Some(column.to_owned());
        }
        Ok(mapping)
    }

    fn slot(&mut self, field: &str) -> Option<&mut Option<String>> {
        Some(match field {
            "subject" => &mut self.subject,
            "at" => &mut self.at,
            "ip" => &mut self.ip,
            "account" => &mut self.account,
            "success" => &mut self.success,
            "user_agent" => &mut self.user_agent,
            "device_id" => &mut self.device_id,
            "mfa_device" => &mut self.mfa_device,
            "session_id" => &mut self.session_id,
            _ => return None,
        })
    }

    /// The column named for each of [`FIELDS`], in order.
    fn columns(&self) -> [Option<&str>; 9] {
        [
            &self.subject,
            &self.at,
            &self.ip,
            &self.account,
            &self.success,
            &self.user_agent,
            &self.device_id,
            &self.mfa_device,
            &self.session_id,
        ]
        .map(Option::as_deref)
    }
}

impl FromStr for CsvMapping {
    type Err = String;

    /// The same as [`CsvMapping::parse`], for argument parsers.
    fn from_str(spec: &str) -> Result<Self, String> {
        CsvMapping::parse(spec)
    }
}

/// A header name without letter case, spaces, `_`, `-` or other punctuation.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The delimiter a header line uses: the most frequent of `,`, `;` and tab, if any.
fn delimiter(header: &[u8]) -> Option<u8> {
    [b',', b';', b'\t']
        .into_iter()
        .map(|d| (d, header.iter().filter(|&&b| b == d).count()))
        .filter(|&(_, n)| n > 0)
        .max_by_key(|&(d, n)| (n, d == b','))
        .map(|(d, _)| d)
}

/// The column index of each field of a table (logins or payments).
type Columns = Vec<Option<usize>>;

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Logins,
    Payments,
}

impl Table {
    fn fields(self) -> &'static [&'static str] {
        match self {
            Table::Logins => &FIELDS,
            Table::Payments => &PAYMENT_FIELDS,
        }
    }
}

/// Finds the columns of one table in a header, or says what is missing.
fn resolve_table(
    header: &StringRecord,
    mapping: Option<&CsvMapping>,
    table: Table,
) -> Result<Columns, String> {
    let normalised: Vec<String> = header.iter().map(normalise).collect();
    let listing = || header.iter().collect::<Vec<_>>().join(", ");
    let (fields, usual, required, example): (&[&str], &[&[&str]], usize, &str) = match table {
        Table::Logins => (
            &FIELDS,
            &USUAL_NAMES,
            REQUIRED,
            "subject=user,at=time,ip=client_ip",
        ),
        Table::Payments => (
            &PAYMENT_FIELDS,
            &PAYMENT_USUAL_NAMES,
            4,
            "subject=payee,at=paid_on,amount=gross,currency=ccy",
        ),
    };
    let named = |field: &str| -> Option<String> {
        let m = mapping?;
        match field {
            "subject" => m.subject.clone(),
            "at" => m.at.clone(),
            _ if table == Table::Logins => m
                .columns()
                .iter()
                .zip(FIELDS)
                .find(|(_, f)| *f == field)
                .and_then(|(c, _)| c.map(str::to_owned)),
            _ => m.payment.get(field).cloned(),
        }
    };
    let mut columns: Columns = vec![None; fields.len()];
    let mut missing = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        columns[i] = match named(field) {
            Some(name) => {
                let found = header
                    .iter()
                    .position(|h| h == name)
                    .or_else(|| normalised.iter().position(|h| *h == normalise(&name)));
                match found {
                    Some(index) => Some(index),
                    None => {
                        return Err(format!(
                            "the CSV mapping names column `{name}` for `{field}`, but the header has no such column; it has: {}",
                            listing()
                        ));
                    }
                }
            }
            None => usual[i]
                .iter()
                .find_map(|u| normalised.iter().position(|h| h == u)),
        };
        if i < required && columns[i].is_none() {
            missing.push(format!("`{field}` (looked for {})", usual[i].join(", ")));
        }
    }
    if missing.is_empty() {
        Ok(columns)
    } else {
        Err(format!(
            "the CSV header has no column for {}; it has: {}. Name the columns with a CSV mapping such as `{example}`",
            missing.join(" or "),
            listing()
        ))
    }
}

/// Which table a header describes: logins when it has their columns, else payments.
fn resolve(
    header: &StringRecord,
    mapping: Option<&CsvMapping>,
) -> Result<(Table, Columns), String> {
    match resolve_table(header, mapping, Table::Logins) {
        Ok(columns) => Ok((Table::Logins, columns)),
        Err(logins) => match resolve_table(header, mapping, Table::Payments) {
            Ok(columns) => Ok((Table::Payments, columns)),
            Err(_) => Err(format!(
                "{logins} (for a CSV of payments: subject, at, amount and currency)"
            )),
        },
    }
}

/// Whether a CSV header line (the start of a file, BOM removed) names the required
/// columns, under `mapping` or the usual names.
fn header_maps(head: &[u8], delimiter: u8, mapping: Option<&CsvMapping>) -> bool {
    let mut reader = builder(delimiter).from_reader(head);
    reader
        .headers()
        .is_ok_and(|header| resolve(header, mapping).is_ok())
}

fn builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .buffer_capacity(READ_BUFFER_BYTES);
    builder
}

/// Stands between the file and the CSV parser so that records are numbered by the file's
/// lines. The parser numbers a record by the line breaks it has consumed when the record
/// starts, which is one short after a CRLF (the `\n` is consumed with the next record)
/// and short of any empty lines it skips. So outside quoted fields this turns CRLF into
/// LF and removes empty lines, remembering where, and [`LineEndings::file_line`] adds the
/// removed lines back. Quoted fields pass unchanged; quotes are recognised as the parser
/// does (at the start of a field, `""` inside one). It also counts the bytes read, for
/// progress.
struct LineEndings {
    inner: Box<dyn Read + Send>,
    delimiter: u8,
    /// Bytes read from `inner`, plus any the caller consumed before.
    count: u64,
    buffer: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    quoting: Quoting,
    /// Nothing but removed empty lines since the last line break passed on.
    at_line_start: bool,
    /// A `\r` outside quotes, held back to see whether `\n` follows.
    pending_cr: bool,
    /// The parser's number for the line now being passed on.
    line: u64,
    /// Empty lines removed so far.
    removed: u64,
    /// From which of the parser's lines how many lines had been removed, for lines the
    /// parser may still report (it reads ahead of the record it returns).
    shifts: VecDeque<(u64, u64)>,
}

/// Where [`LineEndings`] is with respect to quoted fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// Outside quotes; `field_start` after a delimiter or line break, where `"` opens a
    /// quoted field (elsewhere it is an ordinary character).
    Unquoted { field_start: bool },
    /// Inside a quoted field.
    Quoted,
    /// Just after a `"` inside a quoted field: another `"` is an escaped quote, anything
    /// else follows the closed field.
    ClosingQuote,
}

impl LineEndings {
    fn new(inner: Box<dyn Read + Send>, delimiter: u8, bytes_before: u64) -> Self {
        LineEndings {
            inner,
            delimiter,
            count: bytes_before,
            buffer: vec![0; READ_BUFFER_BYTES].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            quoting: Quoting::Unquoted { field_start: true },
            at_line_start: true,
            pending_cr: false,
            line: 1,
            removed: 0,
            shifts: VecDeque::new(),
        }
    }

    /// The file's line number for a line number the parser reports. The parser asks
    /// about its lines in increasing order, so older shifts are dropped.
    fn file_line(&mut self, parser_line: u64) -> u64 {
        while self
            .shifts
            .get(1)
            .is_some_and(|&(from, _)| from <= parser_line)
        {
            self.shifts.pop_front();
        }
        let removed = match self.shifts.front() {
            Some(&(from, removed)) if from <= parser_line => removed,
            _ => 0,
        };
        parser_line + removed
    }

    fn remove_line(&mut self) {
        self.removed += 1;
        match self.shifts.back_mut() {
            Some((from, removed)) if *from == self.line => *removed = self.removed,
            _ => self.shifts.push_back((self.line, self.removed)),
        }
    }

    /// Takes in one byte outside a quoted field; returns the byte to pass on, if any.
    fn unquoted(&mut self, b: u8, field_start: bool) -> Option<u8> {
        let (quoting, out) = match b {
            b'\r' => {
                self.pending_cr = true;
                return None;
            }
            b'\n' => {
                self.pending_cr = false;
                if self.at_line_start {
                    self.remove_line();
                    return None;
                }
                self.line += 1;
                self.at_line_start = true;
                (Quoting::Unquoted { field_start: true }, b)
            }
            b'"' if field_start => (Quoting::Quoted, b),
            _ => (
                Quoting::Unquoted {
                    field_start: b == self.delimiter,
                },
                b,
            ),
        };
        self.quoting = quoting;
        self.at_line_start &= b == b'\n';
        Some(out)
    }
}

impl Read for LineEndings {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < out.len() {
            if self.start == self.end {
                // Hand over what is ready rather than wait for more input.
                if self.eof || n > 0 {
                    break;
                }
                let got = loop {
                    match self.inner.read(&mut self.buffer) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        other => break other?,
                    }
                };
                self.count += got as u64;
                (self.start, self.end) = (0, got);
                if got == 0 {
                    self.eof = true;
                    if std::mem::take(&mut self.pending_cr) {
                        out[n] = b'\r';
                        n += 1;
                    }
                }
                continue;
            }
            let b = self.buffer[self.start];
            if self.pending_cr && b != b'\n' {
                // A lone `\r`, which the parser takes for a line break: pass it on and
                // look at `b` again.
                self.pending_cr = false;
                self.at_line_start = false;
                self.quoting = Quoting::Unquoted { field_start: true };
                out[n] = b'\r';
                n += 1;
                continue;
            }
            self.start += 1;
            let passed = match self.quoting {
                Quoting::Quoted => {
                    if b == b'"' {
                        self.quoting = Quoting::ClosingQuote;
                    }
                    self.line += u64::from(b == b'\n');
                    Some(b)
                }
                Quoting::ClosingQuote if b == b'"' => {
                    self.quoting = Quoting::Quoted;
                    Some(b)
                }
                Quoting::ClosingQuote => self.unquoted(b, false),
                Quoting::Unquoted { field_start } => self.unquoted(b, field_start),
            };
            if let Some(b) = passed {
                out[n] = b;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// Streams the logins of a CSV file.
struct CsvLogins {
    reader: csv::Reader<LineEndings>,
    file: PathBuf,
    header: StringRecord,
    table: Table,
    columns: Columns,
    row: StringRecord,
    skipped: Skipped,
    done: bool,
}

impl std::fmt::Debug for CsvLogins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvLogins")
            .field("file", &self.file)
            .field("header", &self.header)
            .field("columns", &self.columns)
            .finish_non_exhaustive()
    }
}

impl CsvLogins {
    /// Reads the header and finds the columns. `bytes_before` counts what the caller
    /// consumed before handing `input` over (a byte-order mark).
    fn new(
        input: Box<dyn Read + Send>,
        bytes_before: u64,
        file: PathBuf,
        delimiter: u8,
        mapping: Option<&CsvMapping>,
    ) -> Result<Self, ReadError> {
        let mut reader =
            builder(delimiter).from_reader(LineEndings::new(input, delimiter, bytes_before));
        let header = match reader.headers() {
            Ok(header) => header.clone(),
            Err(e) => {
                let line = line_of(&mut reader, e.position());
                return Err(csv_error(&file, line, None, e));
            }
        };
        let line = line_of(&mut reader, header.position());
        let (table, columns) =
            resolve(&header, mapping).map_err(|message| ReadError::Malformed {
                location: Location {
                    file: file.clone(),
                    line,
                },
                message,
            })?;
        Ok(CsvLogins {
            reader,
            file,
            header,
            table,
            columns,
            row: StringRecord::new(),
            skipped: Skipped::new(),
            done: false,
        })
    }

    /// The value of field `i` in the current row, if the file has that column and the
    /// cell is not empty.
    fn cell(&self, i: usize) -> Option<&str> {
        self.columns
            .get(i)
            .copied()
            .flatten()
            .and_then(|c| self.row.get(c))
            .filter(|v| !v.is_empty())
    }

    fn column_error(&self, location: &Location, i: usize, message: String) -> ReadError {
        let column = self
            .columns
            .get(i)
            .copied()
            .flatten()
            .and_then(|c| self.header.get(c))
            .unwrap_or_else(|| self.table.fields().get(i).copied().unwrap_or("?"));
        ReadError::Column {
            location: location.clone(),
            column: column.to_owned(),
            message,
        }
    }

    /// The current row as a login; `None` if it has no IP address.
    fn login(&self, location: &Location) -> Result<Option<Login>, ReadError> {
        let fail = |i: usize, message: String| self.column_error(location, i, message);
        let text = |i: usize| self.cell(i).map(str::to_owned);
        let Some(address) = self.cell(2) else {
            return Ok(None);
        };
        let ip: IpAddr = address
            .parse()
            .map_err(|_| fail(2, format!("expected an IP address, found {address:?}")))?;
        let subject: SubjectId = self
            .cell(0)
            .ok_or_else(|| fail(0, "is empty; every row needs a subject".into()))?
            .parse()
            .map_err(|message| fail(0, message))?;
        let time = self
            .cell(1)
            .ok_or_else(|| fail(1, "is empty; every row needs a time".into()))?;
        let at = parse_time(time).map_err(|message| fail(1, message))?;
        let success = match self.cell(4) {
            None => None,
            Some(value) => Some(parse_success(value).ok_or_else(|| {
                fail(
                    4,
                    format!(
                        "expected true/false, yes/no, 1/0 or success/failure, found {}",
                        quote(value)
                    ),
                )
            })?),
        };
        Ok(Some(Login {
            id: None,
            subject,
            account: text(3),
            at,
            ip,
            success,
            user_agent: text(5),
            device_id: text(6),
            mfa_device: text(7),
            session_id: text(8),
            vendor_user: None,
        }))
    }
}

impl CsvLogins {
    /// The current row as a payment (columns in the order of [`PAYMENT_FIELDS`]).
    fn payment(&self, location: &Location) -> Result<Payment, ReadError> {
        let fail = |i: usize, message: String| self.column_error(location, i, message);
        let text = |i: usize| self.cell(i).map(str::to_owned);
        let required = |i: usize, what: &str| {
            self.cell(i)
                .ok_or_else(|| fail(i, format!("is empty; every row needs {what}")))
        };
        let subject: SubjectId = required(0, "a subject")?.parse().map_err(|m| fail(0, m))?;
        let at = parse_time(required(1, "a time")?).map_err(|m| fail(1, m))?;
        let amount: Amount = required(2, "an amount")?.parse().map_err(|m| fail(2, m))?;
        let currency: Currency = required(3, "a currency")?.parse().map_err(|m| fail(3, m))?;
        let method = self.cell(4).map(payout_method);
        let direction = match self.cell(5).map(str::to_ascii_lowercase).as_deref() {
            None => None,
            Some("payout" | "out" | "outgoing" | "debit") => Some(PaymentDirection::Payout),
            Some("refund") => Some(PaymentDirection::Refund),
            Some("inbound" | "in" | "incoming" | "credit") => Some(PaymentDirection::Inbound),
            Some(other) => {
                return Err(fail(
                    5,
                    format!("expected payout, refund or inbound, found {other:?}"),
                ));
            }
        };
        let country = match self.cell(9) {
            None => None,
            Some(c) => Some(c.parse::<CountryCode>().map_err(|m| fail(9, m))?),
        };
        let wallet = text(13).map(|address| Wallet {
            chain: text(12)
                .map(|c| c.to_lowercase())
                .unwrap_or_else(|| "unknown".into()),
            address,
        });
        let account = Account {
            id: text(6),
            holder: text(7),
            institution: text(8),
            country,
            number: text(10),
            bic: text(11),
            email: None,
            wallet,
        };
        let account = (account != Account::default()).then_some(account);
        Ok(Payment {
            id: text(15),
            subject,
            at,
            direction,
            amount,
            currency,
            method: method.or_else(|| {
                account
                    .as_ref()
                    .and_then(|a| a.wallet.as_ref())
                    .map(|_| PayoutMethod::Crypto)
            }),
            account,
            memo: text(14),
        })
    }
}

/// A payment method as payment exports write it.
fn payout_method(value: &str) -> PayoutMethod {
    let v = normalise(value);
    match v.as_str() {
        "banktransfer" | "bank" | "wire" | "wiretransfer" | "ach" | "sepa" | "swift" | "eft"
        | "interac" => PayoutMethod::BankTransfer,
        "paypal" => PayoutMethod::Paypal,
        "payoneer" => PayoutMethod::Payoneer,
        "wise" | "transferwise" => PayoutMethod::Wise,
        "crypto" | "cryptocurrency" | "usdt" | "usdc" | "btc" | "bitcoin" | "eth" | "ethereum"
        | "trx" | "tron" => PayoutMethod::Crypto,
        "card" | "debitcard" | "creditcard" => PayoutMethod::Card,
        "cheque" | "check" => PayoutMethod::Cheque,
        _ => PayoutMethod::Other,
    }
}

impl Converter for CsvLogins {
    fn bytes_read(&self) -> u64 {
        self.reader.get_ref().count
    }

    fn skipped(&self) -> &Skipped {
        &self.skipped
    }

    fn path(&self) -> &Path {
        &self.file
    }
}

impl Iterator for CsvLogins {
    type Item = Result<SourcedRecord, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.reader.read_record(&mut self.row) {
                Ok(false) => self.done = true,
                Ok(true) => {
                    let location = Location {
                        file: self.file.clone(),
                        line: line_of(&mut self.reader, self.row.position()),
                    };
                    let row = match self.table {
                        Table::Logins => self.login(&location).map(|l| l.map(Record::Login)),
                        Table::Payments => {
                            self.payment(&location).map(|p| Some(Record::Payment(p)))
                        }
                    };
                    match row {
                        Ok(Some(record)) => return Some(sourced(record, None, location)),
                        Ok(None) => *self.skipped.entry(NO_IP.to_owned()).or_insert(0) += 1,
                        Err(e) => return Some(Err(e)),
                    }
                }
                Err(e) => {
                    // After a bad row the reader goes on with the next; not after a
                    // failed read.
                    self.done = matches!(e.kind(), csv::ErrorKind::Io(_));
                    let line = line_of(&mut self.reader, e.position());
                    return Some(Err(csv_error(&self.file, line, Some(&self.header), e)));
                }
            }
        }
        None
    }
}

/// The file's line number of a position the parser reports.
fn line_of(reader: &mut csv::Reader<LineEndings>, position: Option<&csv::Position>) -> u64 {
    let parser_line = position.map_or(1, csv::Position::line);
    reader.get_mut().file_line(parser_line)
}

/// A CSV parsing error as a [`ReadError`] naming the line (and the column, for text that
/// is not UTF-8).
fn csv_error(file: &Path, line: u64, header: Option<&StringRecord>, e: csv::Error) -> ReadError {
    let location = Location {
        file: file.to_owned(),
        line,
    };
    let message = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(error) => ReadError::Io {
            path: file.to_owned(),
            error,
        },
        csv::ErrorKind::Utf8 { err, .. } => {
            let column = header
                .and_then(|h| h.get(err.field()))
                .map_or_else(|| format!("#{}", err.field() + 1), str::to_owned);
            ReadError::Column {
                location,
                column,
                message: "is not UTF-8; save the file as UTF-8".into(),
            }
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ReadError::Malformed {
            location,
            message: format!("the row has {len} fields where the header has {expected_len}"),
        },
        _ => ReadError::Malformed { location, message },
    }
}

/// A time as RFC 3339, `YYYY-MM-DD HH:MM:SS` in UTC, or Unix seconds.
fn parse_time(value: &str) -> Result<Timestamp, String> {
    let expected = || {
        format!(
            "expected an RFC 3339 time (2026-03-05T01:12:44Z), YYYY-MM-DD HH:MM:SS (UTC) or Unix seconds, found {}",
            quote(value)
        )
    };
    if value.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && value.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        return unix_seconds(value).ok_or_else(expected);
    }
    if let Ok(at) = value.parse::<Timestamp>() {
        return Ok(at);
    }
    value
        .parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|civil| civil.to_zoned(TimeZone::UTC).ok())
        .map(|zoned| zoned.timestamp())
        .ok_or_else(expected)
}

/// `1772673164` or `1772673164.250`.
fn unix_seconds(value: &str) -> Option<Timestamp> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 9 || fraction.contains('.') {
        return None;
    }
    let seconds: i64 = whole.parse().ok()?;
    let nanos = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<9}").parse::<i32>().ok()?
    };
    Timestamp::new(seconds, nanos).ok()
}

fn parse_success(value: &str) -> Option<bool> {
    const YES: &[&str] = &[
        "true",
        "t",
        "yes",
        "y",
        "1",
        "success",
        "successful",
        "succeeded",
        "ok",
        "pass",
        "passed",
        "allow",
        "allowed",
    ];
    const NO: &[&str] = &[
        "false",
        "f",
        "no",
        "n",
        "0",
        "failure",
        "failed",
        "fail",
        "error",
        "deny",
        "denied",
        "blocked",
        "interrupted",
    ];
    if YES.iter().any(|y| value.eq_ignore_ascii_case(y)) {
        Some(true)
    } else if NO.iter().any(|n| value.eq_ignore_ascii_case(n)) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_three_forms() {
        let t = |s: &str| parse_time(s).map(|t| t.to_string());
        assert_eq!(
            t("2026-03-05T01:12:44Z").as_deref(),
            Ok("2026-03-05T01:12:44Z")
        );
        assert_eq!(
            t("2026-03-05T02:12:44+01:00").as_deref(),
            Ok("2026-03-05T01:12:44Z")
        );
        assert_eq!(
            t("2026-03-05 01:12:44").as_deref(),
            Ok("2026-03-05T01:12:44Z")
        );
        assert_eq!(
            t("2026-03-05 01:12:44.5").as_deref(),
            Ok("2026-03-05T01:12:44.5Z")
        );
        assert_eq!(t("1772673164").as_deref(), Ok("2026-03-05T01:12:44Z"));
        assert_eq!(t("1772673164.25").as_deref(), Ok("2026-03-05T01:12:44.25Z"));
        for bad in [
            "yesterday",
            "1.2.3",
            "99999999999999999999",
            "2026-13-01 00:00:00",
            ".",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn success_words() {
        assert_eq!(parse_success("SUCCESS"), Some(true));
        assert_eq!(parse_success("Interrupted"), Some(false));
        assert_eq!(parse_success("0"), Some(false));
        assert_eq!(parse_success("maybe"), None);
    }

    #[test]
    fn the_delimiter_is_the_most_frequent() {
        assert_eq!(delimiter(b"user,time,ip"), Some(b','));
        assert_eq!(delimiter(b"user;time;ip,port"), Some(b';'));
        assert_eq!(delimiter(b"user\ttime\tip"), Some(b'\t'));
        assert_eq!(delimiter(b"a;b,c"), Some(b','));
        assert_eq!(delimiter(b"plain text"), None);
    }

    /// What the parser is given, and the file line of each of its lines.
    fn through(input: &[u8], chunk: usize) -> (String, Vec<u64>) {
        struct Slow<'a>(&'a [u8], usize);
        impl Read for Slow<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let owned: &'static [u8] = Box::leak(input.to_vec().into_boxed_slice());
        let mut lines = LineEndings::new(Box::new(Slow(owned, chunk)), b',', 0);
        let mut out = Vec::new();
        let mut buf = [0u8; 3];
        loop {
            let n = lines.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(lines.count, input.len() as u64);
        let parser_lines = 1 + out.iter().filter(|&&b| b == b'\n').count() as u64;
        let mapped = (1..=parser_lines).map(|l| lines.file_line(l)).collect();
        (String::from_utf8_lossy(&out).into_owned(), mapped)
    }

    #[test]
    fn line_endings_are_normalised_and_empty_lines_accounted_for() {
        let input = b"\r\na,b\r\n\r\n\nc,\"x\r\n\r\n\"\"y\"\r\nd\re\r";
        for chunk in [1, 2, 5, 100] {
            let (text, lines) = through(input, chunk);
            assert_eq!(text, "a,b\nc,\"x\r\n\r\n\"\"y\"\nd\re\r", "chunk {chunk}");
            // Parser line 1 is file line 2, parser line 2 (`c,"x`) is file line 5; the
            // quoted lines are not shifted again.
            assert_eq!(lines, [2, 5, 6, 7, 8], "chunk {chunk}");
        }
        // A quote inside an unquoted field is an ordinary character, as for the parser:
        // the CRLF after it is still a line break.
        let (text, lines) = through(b"a,b\"c\r\n\r\nd\r\n", 4);
        assert_eq!(text, "a,b\"c\nd\n");
        assert_eq!(lines, [1, 3, 4]);
    }

    #[test]
    fn header_names_are_compared_loosely_and_in_order_of_preference() {
        let header = StringRecord::from(vec![
            "User",
            "Username",
            "Date (UTC)",
            "IP address",
            "Status",
        ]);
        let columns = resolve(&header, None).map_err(|e| e.to_string());
        // `Username` wins over `User` (in Entra's CSV, `User` is the display name).
        assert_eq!(
            columns.map(|(_, c)| (c[0], c[1], c[2], c[4])),
            Ok((Some(1), Some(2), Some(3), Some(4)))
        );
    }
}

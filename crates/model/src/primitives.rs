//! Value types that can only hold valid values: each parses from the record text and
//! refuses anything the spec does not allow, with a message saying what was expected.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::codes::{COUNTRIES, CURRENCIES};

pub use jiff::Timestamp;

/// The most characters of a bad value an error message quotes.
pub(crate) const QUOTE_CHARS: usize = 200;

/// A value from the input as an error message quotes it: in double quotes with control
/// characters escaped, so that it cannot rewrite the user's terminal, and cut after
/// [`QUOTE_CHARS`] characters, so that a multi-megabyte value makes a short message.
pub(crate) struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0.char_indices().nth(QUOTE_CHARS) {
            None => write!(f, "\"{}\"", self.0.escape_debug()),
            Some((cut, _)) => write!(
                f,
                "\"{}…\" ({} bytes)",
                self.0[..cut].escape_debug(),
                self.0.len()
            ),
        }
    }
}

macro_rules! string_serde {
    ($ty:ty, $expecting:expr) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl de::Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

/// The organisation's own identifier for a person. Non-empty, at most 256 characters,
/// no surrounding white space.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubjectId(String);

impl SubjectId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for SubjectId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.is_empty() {
            return Err("a subject id must not be empty".into());
        }
        if s.trim() != s {
            return Err(format!(
                "subject id {} has leading or trailing white space",
                Quoted(s)
            ));
        }
        if s.chars().count() > 256 {
            return Err("a subject id must be at most 256 characters".into());
        }
        Ok(SubjectId(s.to_owned()))
    }
}

impl std::borrow::Borrow<str> for SubjectId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SubjectId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_serde!(
    SubjectId,
    "a subject id: a non-empty string, e.g. \"c-1042\""
);

/// ISO 3166-1 alpha-2 country code, stored upper-case.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// North Korea: the one country that is itself a signal (UN Act, SEMA, FINTRAC
    /// Ministerial Directive).
    pub const KP: CountryCode = CountryCode(*b"KP");

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl FromStr for CountryCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let upper = s.to_ascii_uppercase();
        if upper.len() == 2 && COUNTRIES.binary_search(&upper.as_str()).is_ok() {
            let b = upper.as_bytes();
            Ok(CountryCode([b[0], b[1]]))
        } else {
            Err(format!(
                "unknown country code {}: expected an ISO 3166-1 alpha-2 code, e.g. US, CA or KP",
                Quoted(s)
            ))
        }
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
string_serde!(
    CountryCode,
    "an ISO 3166-1 alpha-2 country code, e.g. \"US\""
);

/// ISO 4217 currency code, stored upper-case.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl FromStr for Currency {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let upper = s.to_ascii_uppercase();
        if upper.len() == 3 && CURRENCIES.binary_search(&upper.as_str()).is_ok() {
            let b = upper.as_bytes();
            Ok(Currency([b[0], b[1], b[2]]))
        } else {
            Err(format!(
                "{} is not a currency: expected an ISO 4217 code, e.g. USD, CAD or EUR",
                Quoted(s)
            ))
        }
    }
}
impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
string_serde!(Currency, "an ISO 4217 currency code, e.g. \"USD\"");

/// A BCP 47 language tag (`en`, `ko`, `zh-Hans`, `pt-BR`), checked for syntax.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The primary language subtag, lower-case (`zh` for `zh-Hans`).
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

impl FromStr for LanguageTag {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        // POSIX locales (`ko_KR`) are common in device telemetry; accept the underscore.
        let tag = s.replace('_', "-");
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or("");
        let primary_ok =
            (2..=8).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if primary_ok && rest_ok {
            Ok(LanguageTag(tag))
        } else {
            Err(format!(
                "{} is not a language: expected a BCP 47 tag, e.g. en, ko or zh-Hans",
                Quoted(s)
            ))
        }
    }
}
impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_serde!(LanguageTag, "a BCP 47 language tag, e.g. \"en\"");

/// An IANA time-zone name (`America/Chicago`), checked against the bundled tz database.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn tz(&self) -> Option<jiff::tz::TimeZone> {
        jiff::tz::TimeZone::get(&self.0).ok()
    }
}

impl FromStr for TimeZoneName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match jiff::tz::TimeZone::get(s) {
            Ok(_) => Ok(TimeZoneName(s.to_owned())),
            Err(_) => Err(format!(
                "{} is not a time zone: expected an IANA name, e.g. America/Toronto",
                Quoted(s)
            )),
        }
    }
}
impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_serde!(
    TimeZoneName,
    "an IANA time-zone name, e.g. \"America/Toronto\""
);

/// A date that may be partial: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// The first day the partial date can mean.
    pub fn earliest(&self) -> jiff::civil::Date {
        jiff::civil::Date::new(
            self.year,
            self.month.unwrap_or(1) as i8,
            self.day.unwrap_or(1) as i8,
        )
        .unwrap_or(jiff::civil::Date::MIN)
    }

    /// The last day the partial date can mean.
    pub fn latest(&self) -> jiff::civil::Date {
        let month = self.month.unwrap_or(12) as i8;
        match self.day {
            Some(d) => {
                jiff::civil::Date::new(self.year, month, d as i8).unwrap_or(jiff::civil::Date::MAX)
            }
            None => jiff::civil::Date::new(self.year, month, 1)
                .map(|d| d.last_of_month())
                .unwrap_or(jiff::civil::Date::MAX),
        }
    }

    pub fn is_full(&self) -> bool {
        self.day.is_some()
    }
}

impl FromStr for PartialDate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "{} is not a date: expected YYYY-MM-DD, YYYY-MM or YYYY, e.g. 1994-05-12",
                Quoted(s)
            )
        };
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u16, String> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse::<u16>().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let year = num(parts.first().copied().unwrap_or(""), 4)?;
        if !(1800..=2200).contains(&year) {
            return Err(format!(
                "{}: year {year} is out of range (1800–2200)",
                Quoted(s)
            ));
        }
        let year = year as i16;
        match parts.len() {
            1 => Ok(PartialDate {
                year,
                month: None,
                day: None,
            }),
            2 | 3 => {
                let month = num(parts[1], 2)? as u8;
                if !(1..=12).contains(&month) {
                    return Err(format!("{}: month {month} is not 01–12", Quoted(s)));
                }
                let day = if parts.len() == 3 {
                    let day = num(parts[2], 2)? as u8;
                    jiff::civil::Date::new(year, month as i8, day as i8)
                        .map_err(|_| format!("{} is not a day of the calendar", Quoted(s)))?;
                    Some(day)
                } else {
                    None
                };
                Ok(PartialDate {
                    year,
                    month: Some(month),
                    day,
                })
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}
string_serde!(
    PartialDate,
    "a date YYYY-MM-DD, YYYY-MM or YYYY, e.g. \"1994-05-12\""
);

/// A non-negative decimal amount of money. Accepts JSON numbers and decimal strings
/// (`1200.50`, `"1200.50"`); never a float in arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount(Decimal);

impl Amount {
    pub fn new(value: Decimal) -> Result<Self, String> {
        if value.is_sign_negative() && !value.is_zero() {
            Err(format!(
                "amount {value} is negative (amounts are non-negative; use `direction` for refunds)"
            ))
        } else {
            Ok(Amount(value))
        }
    }
    pub fn value(&self) -> Decimal {
        self.0
    }
    pub fn to_f64(&self) -> f64 {
        use rust_decimal::prelude::ToPrimitive;
        self.0.to_f64().unwrap_or(f64::MAX)
    }
}

/// An amount in an assessment's evidence is a JSON number, like every other number there
/// (records keep whatever form they arrived in).
impl From<Amount> for serde_json::Value {
    fn from(amount: Amount) -> Self {
        use rust_decimal::prelude::ToPrimitive;
        let normal = amount.0.normalize();
        match normal.to_i64().filter(|_| normal.scale() == 0) {
            Some(whole) => serde_json::Value::from(whole),
            None => serde_json::Number::from_f64(amount.to_f64())
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
        }
    }
}

impl FromStr for Amount {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let value = Decimal::from_str_exact(s.trim()).map_err(|_| {
            format!(
                "{} is not an amount: expected a decimal number, e.g. 1200.50",
                Quoted(s)
            )
        })?;
        Amount::new(value)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount: a number or a decimal string, e.g. 1200.50")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Amount::new(Decimal::from(v)).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                Amount::new(Decimal::from(v)).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                if !v.is_finite() {
                    return Err(E::custom(
                        "is not a finite number: expected an amount, e.g. 1200.50",
                    ));
                }
                // Rust prints the shortest string that round-trips, so 1200.5 stays 1200.5.
                v.to_string().parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A telephone number as written, normalised to E.164-ready form: digits, with the
/// leading `+` kept when the writer gave an international number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn is_international(&self) -> bool {
        self.0.starts_with('+')
    }
    /// The country calling code's leading digits; `+850` is North Korea.
    pub fn has_calling_code(&self, code: &str) -> bool {
        self.0
            .strip_prefix('+')
            .is_some_and(|d| d.starts_with(code))
    }
}

impl FromStr for Phone {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let trimmed = s.trim();
        let (plus, body) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => match trimmed.strip_prefix("00") {
                Some(rest) => (true, rest),
                None => (false, trimmed),
            },
        };
        let mut digits = String::with_capacity(body.len() + 1);
        if plus {
            digits.push('+');
        }
        for c in body.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' | '/' => {}
                _ => {
                    return Err(format!(
                        "{} is not a phone number: expected digits with an optional leading + and spaces, dashes, dots or brackets, e.g. +1 512 555 0147",
                        Quoted(s)
                    ));
                }
            }
        }
        let count = digits.trim_start_matches('+').len();
        if !(4..=17).contains(&count) {
            return Err(format!(
                "{} has {count} digits; a phone number has 4 to 17, e.g. +1 512 555 0147",
                Quoted(s)
            ));
        }
        Ok(Phone(digits))
    }
}
impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_serde!(Phone, "a phone number, e.g. \"+1 512 555 0147\"");

/// An e-mail address: one `@`, a non-empty local part and a domain with a dot. The domain
/// is lower-cased; the local part is kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }
}

impl FromStr for Email {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let bad = || {
            format!(
                "{} is not an e-mail address: expected e.g. name@example.com",
                Quoted(s)
            )
        };
        let (local, domain) = t.rsplit_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || t.chars().any(char::is_whitespace)
        {
            return Err(bad());
        }
        Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
    }
}
impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_serde!(Email, "an e-mail address, e.g. \"name@example.com\"");

/// A 64-bit perceptual hash of a photo, written as 16 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PHash(pub u64);

impl PHash {
    /// Bits that differ: near-identical photos differ in a handful.
    pub fn distance(&self, other: &PHash) -> u32 {
        (self.0 ^ other.0).count_ones()
    }
}

impl FromStr for PHash {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "{} is not a perceptual hash: expected 16 hex digits, e.g. c3a1f0e8d2b49716",
                Quoted(s)
            )
        };
        if s.len() != 16 {
            return Err(bad());
        }
        u64::from_str_radix(s, 16).map(PHash).map_err(|_| bad())
    }
}
impl fmt::Display for PHash {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}
string_serde!(
    PHash,
    "a perceptual hash of 16 hex digits, e.g. \"c3a1f0e8d2b49716\""
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn countries_accept_iso_codes_and_refuse_others() {
        assert_eq!(
            "us".parse::<CountryCode>().map(|c| c.to_string()),
            Ok("US".into())
        );
        assert!(
            "KP".parse::<CountryCode>()
                .is_ok_and(|c| c == CountryCode::KP)
        );
        for bad in ["XX", "USA", "", "U", "ZZ"] {
            assert!(bad.parse::<CountryCode>().is_err(), "{bad}");
        }
    }

    #[test]
    fn currencies() {
        assert!("usd".parse::<Currency>().is_ok());
        assert!("BTC".parse::<Currency>().is_err());
    }

    #[test]
    fn partial_dates() {
        let d: PartialDate = "2012-09".parse().unwrap();
        assert_eq!(d.earliest().to_string(), "2012-09-01");
        assert_eq!(d.latest().to_string(), "2012-09-30");
        assert_eq!(
            "1994".parse::<PartialDate>().unwrap().latest().to_string(),
            "1994-12-31"
        );
        for bad in [
            "2023-02-30",
            "2023-13",
            "23-01-01",
            "2023/01/01",
            "",
            "2023-1-5",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn amounts() {
        let a: Amount = serde_json::from_str("1200.5").unwrap();
        assert_eq!(a.to_string(), "1200.5");
        let a: Amount = serde_json::from_str("\"1200.50\"").unwrap();
        assert_eq!(a.value(), Decimal::new(120050, 2));
        assert!(serde_json::from_str::<Amount>("-3").is_err());
        assert!(serde_json::from_str::<Amount>("\"12,00\"").is_err());
        assert!(serde_json::from_str::<Amount>("true").is_err());
    }

    #[test]
    fn phones_normalise() {
        assert_eq!(
            "+1 512 555 0147".parse::<Phone>().unwrap().as_str(),
            "+15125550147"
        );
        assert_eq!(
            "00850 2 381 2101".parse::<Phone>().unwrap().as_str(),
            "+85023812101"
        );
        assert!(
            "+850 2 381 2101"
                .parse::<Phone>()
                .unwrap()
                .has_calling_code("850")
        );
        assert!("call me".parse::<Phone>().is_err());
        assert!("+1".parse::<Phone>().is_err());
    }

    #[test]
    fn languages_timezones_emails_phash() {
        assert!("zh-Hans".parse::<LanguageTag>().is_ok());
        assert_eq!("ko_KR".parse::<LanguageTag>().unwrap().primary(), "ko");
        assert!("not a tag".parse::<LanguageTag>().is_err());
        assert!("America/Chicago".parse::<TimeZoneName>().is_ok());
        assert!("Mars/Olympus".parse::<TimeZoneName>().is_err());
        assert_eq!(
            "A.B@Gmail.COM".parse::<Email>().unwrap().as_str(),
            "A.B@gmail.com"
        );
        assert!("no-at-sign".parse::<Email>().is_err());
        let h: PHash = "c3a1f0e8d2b49716".parse().unwrap();
        assert_eq!(h.to_string(), "c3a1f0e8d2b49716");
        assert!("c3a1".parse::<PHash>().is_err());
    }

    proptest! {
        #[test]
        fn partial_date_round_trips(y in 1800i16..2200, m in 1u8..=12, d in 1u8..=28) {
            let s = format!("{y:04}-{m:02}-{d:02}");
            let p: PartialDate = s.parse().unwrap();
            prop_assert_eq!(p.to_string(), s);
        }

        #[test]
        fn parsers_never_panic(s in "\\PC*") {
            let _ = s.parse::<CountryCode>();
            let _ = s.parse::<PartialDate>();
            let _ = s.parse::<Phone>();
            let _ = s.parse::<Email>();
            let _ = s.parse::<Amount>();
            let _ = s.parse::<LanguageTag>();
            let _ = s.parse::<PHash>();
        }
    }
}

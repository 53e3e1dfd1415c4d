//! The kept logins of one subject, packed into bytes.
//!
//! A subject may sign in thousands of times; the sign-in detectors read the newest
//! [`RECENT_LOGINS`]. Kept as structs with their strings, a login cost ~170 bytes; packed
//! it costs ~12: the time as a delta from the previous login, the IP as its 4 or 16
//! bytes (or nothing when it repeats the previous one), and the account and the record's
//! key as indexes into a small table of the subject's strings. Keys keep what names the
//! record exactly: a content-hash key (`#` and 32 hex digits) as its 16 bytes, an id
//! that ends in a number (`c-0042-login-17`) as its prefix and the number, any other id
//! as written.

use std::cmp::Ordering;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use redflag_model::Timestamp;

/// How many logins per subject are kept for the sign-in detectors. The newest count
/// most; a cap keeps memory proportional to people, not to years of logs.
pub const RECENT_LOGINS: usize = 512;

/// A stored record's key, as the state keeps it. Displays as the key itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRef<'a> {
    /// `#` and a 128-bit content hash.
    Hash([u8; 16]),
    /// A prefix and a decimal number without leading zeros.
    Numbered(&'a str, u64),
    /// Anything else, as written.
    Text(&'a str),
}

impl<'a> KeyRef<'a> {
    /// The compact form of `key`.
    pub fn parse(key: &'a str) -> KeyRef<'a> {
        if let Some(hex) = key.strip_prefix('#')
            && let Some(hash) = parse_hash(hex)
        {
            return KeyRef::Hash(hash);
        }
        let (prefix, digits) =
            key.split_at(key.trim_end_matches(|c: char| c.is_ascii_digit()).len());
        let canonical = digits == "0" || !digits.starts_with('0');
        match digits.parse::<u64>() {
            Ok(n) if canonical => KeyRef::Numbered(prefix, n),
            _ => KeyRef::Text(key),
        }
    }
}

impl fmt::Display for KeyRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyRef::Hash(bytes) => {
                f.write_str("#")?;
                bytes.iter().try_for_each(|b| write!(f, "{b:02x}"))
            }
            KeyRef::Numbered(prefix, n) => write!(f, "{prefix}{n}"),
            KeyRef::Text(text) => f.write_str(text),
        }
    }
}

impl Ord for KeyRef<'_> {
    /// As the keys' text compares, so ordering does not depend on how a key is stored.
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (KeyRef::Text(a), KeyRef::Text(b)) => a.cmp(b),
            _ => self.to_string().cmp(&other.to_string()),
        }
    }
}

impl PartialOrd for KeyRef<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// 32 lower-case hex digits as 16 bytes (upper case would not print back the same).
fn parse_hash(hex: &str) -> Option<[u8; 16]> {
    let digits = hex.as_bytes();
    if digits.len() != 32 {
        return None;
    }
    let value = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 16];
    for (i, pair) in digits.chunks_exact(2).enumerate() {
        out[i] = value(pair[0])? << 4 | value(pair[1])?;
    }
    Some(out)
}

/// One sign-in, reduced to what the detectors read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoginObs<'a> {
    pub key: KeyRef<'a>,
    pub at: Timestamp,
    pub ip: IpAddr,
    pub account: Option<&'a str>,
    pub success: Option<bool>,
}

const KEY_FORM: u8 = 0b11;
const KEY_HASH: u8 = 0;
const KEY_NUMBERED: u8 = 1;
const KEY_TEXT: u8 = 2;
const IP_V6: u8 = 1 << 2;
const IP_REPEATED: u8 = 1 << 3;
const SUCCESS: u8 = 0b11 << 4;
const SUCCESS_TRUE: u8 = 1 << 4;
const SUCCESS_FALSE: u8 = 2 << 4;
const HAS_ACCOUNT: u8 = 1 << 6;
const HAS_NANOS: u8 = 1 << 7;

/// Logins packed one after another: a flags byte, the time (seconds since the previous
/// login, zigzag varint; nanoseconds where there are any), the key, the IP unless it
/// repeats, the account.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoginLog {
    bytes: Vec<u8>,
    /// Accounts and key prefixes: a subject has a handful, each stored once.
    names: Vec<Box<str>>,
    /// Keys that are neither hashes nor numbered, one per login that has one.
    texts: Vec<Box<str>>,
    len: u32,
    last_second: i64,
    last_ip: Option<IpAddr>,
}

impl LoginLog {
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a login. Past `2 × RECENT_LOGINS` the newest `RECENT_LOGINS` are kept, in
    /// bulk so the cost per login stays constant.
    pub fn push(&mut self, login: LoginObs<'_>) {
        self.encode(login);
        if self.len() >= 2 * RECENT_LOGINS {
            let mut kept: Vec<Owned> = self.iter().map(Owned::from).collect();
            kept.sort_by(|a, b| newest_first(&a.view(), &b.view()));
            kept.truncate(RECENT_LOGINS);
            let mut fresh = LoginLog::default();
            for login in &kept {
                fresh.encode(login.view());
            }
            fresh.bytes.shrink_to_fit();
            *self = fresh;
        }
    }

    /// Every kept login, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = LoginObs<'_>> + '_ {
        let mut reader = Reader {
            log: self,
            pos: 0,
            second: 0,
            ip: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        };
        (0..self.len).map_while(move |_| reader.next())
    }

    fn name_index(&mut self, name: &str) -> usize {
        match self.names.iter().position(|n| &**n == name) {
            Some(i) => i,
            None => {
                self.names.push(name.into());
                self.names.len() - 1
            }
        }
    }

    fn encode(&mut self, login: LoginObs<'_>) {
        let mut flags = match login.success {
            None => 0,
            Some(true) => SUCCESS_TRUE,
            Some(false) => SUCCESS_FALSE,
        };
        let nanos = login.at.subsec_nanosecond();
        if nanos != 0 {
            flags |= HAS_NANOS;
        }
        let account = login.account.map(|a| self.name_index(a));
        if account.is_some() {
            flags |= HAS_ACCOUNT;
        }
        let key = match login.key {
            KeyRef::Hash(_) => (KEY_HASH, 0),
            KeyRef::Numbered(prefix, _) => (KEY_NUMBERED, self.name_index(prefix)),
            KeyRef::Text(text) => {
                self.texts.push(text.into());
                (KEY_TEXT, self.texts.len() - 1)
            }
        };
        flags |= key.0;
        if login.ip.is_ipv6() {
            flags |= IP_V6;
        }
        if self.last_ip == Some(login.ip) {
            flags |= IP_REPEATED;
        }
        let out = &mut self.bytes;
        // Grow by a quarter, not double: the log lives as long as the subject.
        if out.capacity() - out.len() < 40 {
            out.reserve_exact((out.capacity() / 4).max(64));
        }
        out.push(flags);
        let second = login.at.as_second();
        put_varint(out, zigzag(second.wrapping_sub(self.last_second)));
        if nanos != 0 {
            put_varint(out, zigzag(i64::from(nanos)));
        }
        match login.key {
            KeyRef::Hash(bytes) => out.extend_from_slice(&bytes),
            KeyRef::Numbered(_, n) => {
                put_varint(out, key.1 as u64);
                put_varint(out, n);
            }
            KeyRef::Text(_) => put_varint(out, key.1 as u64),
        }
        if self.last_ip != Some(login.ip) {
            match login.ip {
                IpAddr::V4(v4) => out.extend_from_slice(&v4.octets()),
                IpAddr::V6(v6) => out.extend_from_slice(&v6.octets()),
            }
        }
        if let Some(i) = account {
            put_varint(out, i as u64);
        }
        self.last_second = second;
        self.last_ip = Some(login.ip);
        self.len += 1;
    }
}

/// Newest first, ties by key: the order in which logins are kept.
pub(crate) fn newest_first(a: &LoginObs<'_>, b: &LoginObs<'_>) -> Ordering {
    b.at.cmp(&a.at).then_with(|| a.key.cmp(&b.key))
}

/// A login with its own strings, while the log is rebuilt.
struct Owned {
    key: String,
    at: Timestamp,
    ip: IpAddr,
    account: Option<String>,
    success: Option<bool>,
}

impl Owned {
    fn from(l: LoginObs<'_>) -> Owned {
        Owned {
            key: l.key.to_string(),
            at: l.at,
            ip: l.ip,
            account: l.account.map(str::to_owned),
            success: l.success,
        }
    }

    fn view(&self) -> LoginObs<'_> {
        LoginObs {
            key: KeyRef::parse(&self.key),
            at: self.at,
            ip: self.ip,
            account: self.account.as_deref(),
            success: self.success,
        }
    }
}

struct Reader<'a> {
    log: &'a LoginLog,
    pos: usize,
    second: i64,
    ip: IpAddr,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.log.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let bytes = self.log.bytes.get(self.pos..self.pos + N)?;
        self.pos += N;
        bytes.try_into().ok()
    }

    fn next(&mut self) -> Option<LoginObs<'a>> {
        let log = self.log;
        let flags = self.byte()?;
        self.second = self.second.wrapping_add(unzigzag(self.varint()?));
        let nanos = if flags & HAS_NANOS != 0 {
            i32::try_from(unzigzag(self.varint()?)).ok()?
        } else {
            0
        };
        let at = Timestamp::new(self.second, nanos).ok()?;
        let key = match flags & KEY_FORM {
            KEY_HASH => KeyRef::Hash(self.array::<16>()?),
            KEY_NUMBERED => {
                let prefix = log.names.get(usize::try_from(self.varint()?).ok()?)?;
                KeyRef::Numbered(prefix, self.varint()?)
            }
            _ => KeyRef::Text(log.texts.get(usize::try_from(self.varint()?).ok()?)?),
        };
        if flags & IP_REPEATED == 0 {
            self.ip = if flags & IP_V6 != 0 {
                IpAddr::V6(Ipv6Addr::from(self.array::<16>()?))
            } else {
                IpAddr::V4(Ipv4Addr::from(self.array::<4>()?))
            };
        }
        let account = if flags & HAS_ACCOUNT != 0 {
            Some(&**log.names.get(usize::try_from(self.varint()?).ok()?)?)
        } else {
            None
        };
        let success = match flags & SUCCESS {
            SUCCESS_TRUE => Some(true),
            SUCCESS_FALSE => Some(false),
            _ => None,
        };
        Some(LoginObs {
            key,
            at,
            ip: self.ip,
            account,
            success,
        })
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_print_back_exactly_as_written() {
        for key in [
            "#0123456789abcdef0123456789abcdef",
            "#0123456789ABCDEF0123456789ABCDEF",
            "#0123",
            "c-0042-login-17",
            "login-007",
            "0",
            "18446744073709551616",
            "00u1abcd-2f3e-4e5f",
            "",
        ] {
            assert_eq!(KeyRef::parse(key).to_string(), key);
        }
        assert!(matches!(
            KeyRef::parse("#0123456789abcdef0123456789abcdef"),
            KeyRef::Hash(_)
        ));
        assert_eq!(
            KeyRef::parse("c-1-login-17"),
            KeyRef::Numbered("c-1-login-", 17)
        );
    }

    /// Key, time, IP, account, success: a login as text.
    type Row<'a> = (String, String, String, Option<&'a str>, Option<bool>);

    #[test]
    fn logins_come_back_as_they_went_in() {
        let logins = [
            (
                "#0123456789abcdef0123456789abcdef",
                "2026-03-01T10:00:00Z",
                "198.51.100.1",
                Some("sso:kb"),
                Some(true),
            ),
            (
                "c-1-login-2",
                "2026-02-27T10:00:00.25Z",
                "198.51.100.1",
                Some("gitlab:kb"),
                None,
            ),
            (
                "okta-evt-Xq",
                "1969-12-31T23:59:59Z",
                "2001:db8::1",
                None,
                Some(false),
            ),
            (
                "c-1-login-3",
                "2026-03-02T10:00:00Z",
                "2001:db8::1",
                Some("sso:kb"),
                Some(true),
            ),
        ];
        let mut log = LoginLog::default();
        for (key, at, ip, account, success) in logins {
            log.push(LoginObs {
                key: KeyRef::parse(key),
                at: at.parse().unwrap(),
                ip: ip.parse().unwrap(),
                account,
                success,
            });
        }
        let back: Vec<Row<'_>> = log
            .iter()
            .map(|l| {
                (
                    l.key.to_string(),
                    l.at.to_string(),
                    l.ip.to_string(),
                    l.account,
                    l.success,
                )
            })
            .collect();
        let expected: Vec<Row<'_>> = logins
            .iter()
            .map(|&(k, at, ip, a, s)| {
                (
                    k.to_owned(),
                    at.parse::<Timestamp>().unwrap().to_string(),
                    ip.to_owned(),
                    a,
                    s,
                )
            })
            .collect();
        assert_eq!(back, expected);
        assert!(log.bytes.len() < 4 * 40, "{} bytes", log.bytes.len());
    }
}

//! The audit log's hash chain: what makes the log tamper-evident, the same in every store.
//!
//! # The hash of an entry (version 1)
//!
//! Every entry stores the hash of the entry before it (`prev_hash`) and its own `hash`:
//!
//! ```text
//! hash = BLAKE3( "redflag audit v1" 0x00
//!              ‖ prev_hash                      32 bytes; 32 zero bytes for the first entry
//!              ‖ id                             i64, 8 bytes big-endian (one more than the entry before)
//!              ‖ at                             i64 microseconds since 1970-01-01 UTC, big-endian
//!              ‖ text(actor) ‖ text(action)
//!              ‖ target                         0x00 when there is none, else 0x01 ‖ text(target)
//!              ‖ text(detail) )                 the detail's JSON text exactly as stored
//! text(s) = length of s in bytes as u64, 8 bytes big-endian ‖ the UTF-8 bytes of s
//! ```
//!
//! Every field is length-prefixed, so no two different entries hash the same input; the
//! id ties an entry to its place, and `prev_hash` to everything before it. Changing,
//! removing or inserting an entry anywhere but at the end therefore breaks a link that
//! [`ChainWalk`] finds, whoever edited the table. What a chain cannot show by itself is
//! the removal of its newest entries, or a whole chain recomputed by someone who can
//! write the database: `redflag audit verify` prints the head (the newest entry's id and
//! hash) so that it can be recorded elsewhere and compared later.
//!
//! The detail is hashed as the text stored, not re-serialised, so the hash does not
//! depend on how a JSON library orders or spaces what it writes.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::AuditEntry;

/// The hash of an audit entry (BLAKE3, 32 bytes), shown in hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AuditHash([u8; 32]);

impl AuditHash {
    /// What the first entry's `prev_hash` holds: there is nothing before it.
    pub const GENESIS: AuditHash = AuditHash([0; 32]);

    /// The hash stored in a database column, if it has the right length.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(AuditHash)
    }

    /// The 32 bytes, as stored.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for AuditHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for AuditHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditHash({self})")
    }
}

impl std::str::FromStr for AuditHash {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "{s:?} is not an audit hash (64 hexadecimal digits, as `redflag audit verify` prints)"
            ));
        }
        let mut out = [0; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16)
                .map_err(|e| format!("{s:?} is not an audit hash: {e}"))?;
        }
        Ok(AuditHash(out))
    }
}

impl Serialize for AuditHash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An audit entry as stored: the entry, its place in the log and its links.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    /// Its place in the log: each new entry's is one more than the newest's.
    pub id: i64,
    /// What was recorded.
    #[serde(flatten)]
    pub entry: AuditEntry,
    /// The hash of the entry before it ([`AuditHash::GENESIS`] for the first).
    pub prev_hash: AuditHash,
    /// Its own hash, over `prev_hash` and its content.
    pub hash: AuditHash,
}

/// Which audit entries [`Store::audit_entries`](crate::Store::audit_entries) returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only entries that happened at or after this time.
    pub since: Option<jiff::Timestamp>,
    /// Only entries after this id: the last id of the previous page, to read on.
    pub after: Option<i64>,
    /// At most this many, the oldest first.
    pub limit: usize,
}

/// What [`Store::verify_audit`](crate::Store::verify_audit) found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerification {
    /// How many entries were checked (up to and including a broken one).
    pub entries: u64,
    /// The newest entry that checked out, with its hash: record it elsewhere to notice
    /// later if newer entries disappear or the chain is recomputed.
    pub head: Option<ChainHead>,
    /// The first broken link, if any.
    pub broken: Option<ChainBreak>,
}

impl AuditVerification {
    /// Whether every entry checked out.
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// The newest entry of an intact chain (or the last good one before a break).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChainHead {
    /// Its id.
    pub id: i64,
    /// Its hash.
    pub hash: AuditHash,
}

/// The first place where the audit chain does not hold, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    /// The entry whose check failed.
    pub id: i64,
    /// What is wrong, in words.
    pub problem: String,
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "entry #{}: {}", self.id, self.problem)
    }
}

/// The id and `prev_hash` of a new entry, from the newest stored entry's id and hash.
pub(crate) fn next_link(
    path: &std::path::Path,
    last: Option<(i64, &[u8])>,
) -> Result<(i64, AuditHash), crate::StoreError> {
    let Some((id, hash)) = last else {
        return Ok((1, AuditHash::GENESIS));
    };
    let hash = AuditHash::from_slice(hash).ok_or_else(|| {
        crate::rows::bad_row(
            path,
            "audit",
            id,
            "its hash is not 32 bytes (`redflag audit verify`)",
        )
    })?;
    Ok((id + 1, hash))
}

/// The content of an entry as hashed: the columns as stored.
pub(crate) struct Content<'a> {
    pub id: i64,
    pub at_us: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub target: Option<&'a str>,
    pub detail: &'a str,
}

impl<'a> Content<'a> {
    /// The content of a new entry; `detail` is the JSON text that will be stored.
    pub fn of(id: i64, entry: &'a AuditEntry, detail: &'a str) -> Self {
        Content {
            id,
            at_us: entry.at.as_microsecond(),
            actor: &entry.actor,
            action: &entry.action,
            target: entry.target.as_deref(),
            detail,
        }
    }

    /// The entry's hash, given the hash of the entry before it (see the module's docs).
    pub fn hash(&self, prev: &AuditHash) -> AuditHash {
        fn text(h: &mut blake3::Hasher, s: &str) {
            h.update(&(s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        }
        let mut h = blake3::Hasher::new();
        h.update(b"redflag audit v1\0");
        h.update(&prev.0);
        h.update(&self.id.to_be_bytes());
        h.update(&self.at_us.to_be_bytes());
        text(&mut h, self.actor);
        text(&mut h, self.action);
        match self.target {
            None => {
                h.update(&[0]);
            }
            Some(target) => {
                h.update(&[1]);
                text(&mut h, target);
            }
        }
        text(&mut h, self.detail);
        AuditHash(*h.finalize().as_bytes())
    }
}

/// The columns of one audit entry as stored, read loosely: a hand-edited row is for
/// [`ChainWalk`] to judge, not a reason to stop reading.
#[derive(Debug, Clone)]
pub(crate) struct ChainRow {
    pub id: i64,
    pub at_us: i64,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub detail: String,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

impl ChainRow {
    pub fn content(&self) -> Content<'_> {
        Content {
            id: self.id,
            at_us: self.at_us,
            actor: &self.actor,
            action: &self.action,
            target: self.target.as_deref(),
            detail: &self.detail,
        }
    }

    /// The entry, or why the row cannot be one.
    pub fn into_record(self) -> Result<AuditRecord, String> {
        let (Some(prev_hash), Some(hash)) = (
            AuditHash::from_slice(&self.prev_hash),
            AuditHash::from_slice(&self.hash),
        ) else {
            return Err("its links are not 32-byte hashes (see `redflag audit verify`)".into());
        };
        let at = jiff::Timestamp::from_microsecond(self.at_us)
            .map_err(|e| format!("time {} µs is out of range: {e}", self.at_us))?;
        let detail =
            serde_json::from_str(&self.detail).map_err(|e| format!("detail is not JSON: {e}"))?;
        Ok(AuditRecord {
            id: self.id,
            entry: AuditEntry {
                at,
                actor: self.actor,
                action: self.action,
                target: self.target,
                detail,
            },
            prev_hash,
            hash,
        })
    }
}

/// Walks the chain oldest first and keeps the first break.
pub(crate) struct ChainWalk {
    last: Option<ChainHead>,
    entries: u64,
    broken: Option<ChainBreak>,
}

impl ChainWalk {
    pub fn new() -> Self {
        ChainWalk {
            last: None,
            entries: 0,
            broken: None,
        }
    }

    /// Checks the next entry, with its stored links as raw bytes (a hand-edited column
    /// may hold anything). Returns `false` once the chain is broken: the walk can stop.
    pub fn check(&mut self, content: &Content<'_>, prev_hash: &[u8], hash: &[u8]) -> bool {
        if self.broken.is_some() {
            return false;
        }
        self.entries += 1;
        let id = content.id;
        let expected_prev = self.last.map_or(AuditHash::GENESIS, |h| h.hash);
        let problem = match (
            AuditHash::from_slice(prev_hash),
            AuditHash::from_slice(hash),
        ) {
            (None, _) => Some(format!(
                "its link to the entry before it is {} bytes, not 32: the column was edited",
                prev_hash.len()
            )),
            (_, None) => Some(format!(
                "its hash is {} bytes, not 32: the column was edited",
                hash.len()
            )),
            (Some(prev), Some(_)) if prev != expected_prev => Some(match self.last {
                None => "it is the oldest entry but links to an entry before it: \
                         older entries were removed"
                    .to_owned(),
                Some(before) => format!(
                    "it does not follow entry #{}: entries between them were removed, \
                     or #{} was rewritten",
                    before.id, before.id
                ),
            }),
            (Some(_), _) if self.last.is_some_and(|before| id <= before.id) => {
                Some("its id is out of order".to_owned())
            }
            (Some(prev), Some(stored)) if content.hash(&prev) != stored => Some(
                "it was changed after it was written: its content does not match its hash"
                    .to_owned(),
            ),
            (Some(_), Some(stored)) => {
                self.last = Some(ChainHead { id, hash: stored });
                None
            }
        };
        match problem {
            Some(problem) => {
                self.broken = Some(ChainBreak { id, problem });
                false
            }
            None => true,
        }
    }

    pub fn finish(self) -> AuditVerification {
        AuditVerification {
            entries: self.entries,
            head: self.last,
            broken: self.broken,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(id: i64, detail: &str) -> Content<'_> {
        Content {
            id,
            at_us: 1_775_000_000_000_000,
            actor: "cli:alice",
            action: "scan",
            target: None,
            detail,
        }
    }

    #[test]
    fn the_hash_of_an_entry_never_changes() {
        // Stored in every database: if this fails, every existing chain reads as broken.
        // Change it only together with a new version of the spec and a migration. The value
        // was also computed from the spec alone, by a few lines of Python over `blake3`.
        let h = content(1, r#"{"records":2}"#).hash(&AuditHash::GENESIS);
        assert_eq!(
            h.to_string(),
            "70224891d1294b4e0ae3d4300eb5047674bed54f0ecaa1849822f487d1afec21"
        );
        assert_eq!(h.to_string().parse::<AuditHash>().unwrap(), h);
    }

    #[test]
    fn fields_cannot_run_into_each_other() {
        let a = Content {
            actor: "ab",
            action: "c",
            ..content(1, "{}")
        };
        let b = Content {
            actor: "a",
            action: "bc",
            ..content(1, "{}")
        };
        assert_ne!(a.hash(&AuditHash::GENESIS), b.hash(&AuditHash::GENESIS));
        let none = content(1, "{}");
        let empty = Content {
            target: Some(""),
            ..content(1, "{}")
        };
        assert_ne!(
            none.hash(&AuditHash::GENESIS),
            empty.hash(&AuditHash::GENESIS)
        );
    }

    #[test]
    fn a_walk_finds_the_first_break() {
        let e1 = content(1, "{}");
        let h1 = e1.hash(&AuditHash::GENESIS);
        let e2 = content(2, "[]");
        let h2 = e2.hash(&h1);
        let e3 = content(3, "null");
        let h3 = e3.hash(&h2);

        let mut walk = ChainWalk::new();
        assert!(walk.check(&e1, &[0; 32], h1.as_bytes()));
        assert!(walk.check(&e2, h1.as_bytes(), h2.as_bytes()));
        assert!(walk.check(&e3, h2.as_bytes(), h3.as_bytes()));
        let ok = walk.finish();
        assert!(ok.is_intact());
        assert_eq!(ok.entries, 3);
        assert_eq!(ok.head, Some(ChainHead { id: 3, hash: h3 }));

        // Entry 2 removed.
        let mut walk = ChainWalk::new();
        walk.check(&e1, &[0; 32], h1.as_bytes());
        assert!(!walk.check(&e3, h2.as_bytes(), h3.as_bytes()));
        let broken = walk.finish().broken.unwrap();
        assert_eq!(broken.id, 3);
        assert!(
            broken.problem.contains("does not follow entry #1"),
            "{broken}"
        );

        // Entry 2's content changed.
        let mut walk = ChainWalk::new();
        walk.check(&e1, &[0; 32], h1.as_bytes());
        assert!(!walk.check(&content(2, "[1]"), h1.as_bytes(), h2.as_bytes()));
        let broken = walk.finish().broken.unwrap();
        assert_eq!(broken.id, 2);
        assert!(
            broken.problem.contains("changed after it was written"),
            "{broken}"
        );

        // The oldest entries removed.
        let mut walk = ChainWalk::new();
        walk.check(&e2, h1.as_bytes(), h2.as_bytes());
        assert!(
            walk.finish()
                .broken
                .unwrap()
                .problem
                .contains("older entries were removed")
        );

        // A hash column cut short.
        let mut walk = ChainWalk::new();
        walk.check(&e1, &[0; 32], &h1.as_bytes()[..5]);
        assert!(walk.finish().broken.unwrap().problem.contains("5 bytes"));
    }
}

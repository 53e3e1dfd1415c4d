//! What redflag concludes about a subject: signals with their evidence, a score, a band,
//! and the next due-diligence steps. Serialises to the spec's "Output" object.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::primitives::{SubjectId, Timestamp};
use crate::record::Kind;

/// The part of the July 2025 advisory (or the law around it) a signal rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Advisory {
    RF1,
    RF2,
    RF3,
    RF4,
    RF5,
    RF6,
    RF7,
    RF8,
    RF9,
    M1,
    M2,
    M3,
    M4,
    M5,
    #[serde(rename = "CONCEAL")]
    Conceal,
    #[serde(rename = "SANCTIONS")]
    Sanctions,
    #[serde(rename = "MD-DPRK")]
    MdDprk,
    #[serde(rename = "LINK")]
    Link,
    #[serde(rename = "INTEL")]
    Intel,
}

impl Advisory {
    pub fn as_str(self) -> &'static str {
        match self {
            Advisory::RF1 => "RF1",
            Advisory::RF2 => "RF2",
            Advisory::RF3 => "RF3",
            Advisory::RF4 => "RF4",
            Advisory::RF5 => "RF5",
            Advisory::RF6 => "RF6",
            Advisory::RF7 => "RF7",
            Advisory::RF8 => "RF8",
            Advisory::RF9 => "RF9",
            Advisory::M1 => "M1",
            Advisory::M2 => "M2",
            Advisory::M3 => "M3",
            Advisory::M4 => "M4",
            Advisory::M5 => "M5",
            Advisory::Conceal => "CONCEAL",
            Advisory::Sanctions => "SANCTIONS",
            Advisory::MdDprk => "MD-DPRK",
            Advisory::Link => "LINK",
            Advisory::Intel => "INTEL",
        }
    }

    /// What the clause says, in a compliance officer's words.
    pub fn title(self) -> &'static str {
        match self {
            Advisory::RF1 => "frequent transfers through online payment platforms",
            Advisory::RF2 => "payment requested in cryptocurrency",
            Advisory::RF3 => "logins to one account from several countries",
            Advisory::RF4 => "inconsistent identity, history or location",
            Advisory::RF5 => "slow to provide, or no, identity documents",
            Advisory::RF6 => "avoids voice or video calls",
            Advisory::RF7 => "deepfake or stand-in during meetings",
            Advisory::RF8 => "bids far below competitors",
            Advisory::RF9 => "work started without a signed contract or payment security",
            Advisory::M1 => "payout pattern (crypto, many accounts)",
            Advisory::M2 => "documents show signs of forgery",
            Advisory::M3 => "live video and varied channels",
            Advisory::M4 => "deepfake checks in meetings",
            Advisory::M5 => "background, reference and credential checks",
            Advisory::Conceal => "concealment (VPN/VPS, VoIP, proxies)",
            Advisory::Sanctions => "sanctions list match",
            Advisory::MdDprk => "DPRK nexus (Ministerial Directive)",
            Advisory::Link => "shares identifiers with other subjects",
            Advisory::Intel => "threat-intelligence indicator",
        }
    }
}

impl fmt::Display for Advisory {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record a signal rests on: its kind, its key in the store, when it happened, and the
/// few fields that matter for this signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    #[serde(flatten)]
    pub details: serde_json::Map<String, serde_json::Value>,
}

impl Evidence {
    pub fn new(kind: Kind, id: Option<String>, at: Option<Timestamp>) -> Self {
        Evidence {
            kind,
            id,
            at,
            details: serde_json::Map::new(),
        }
    }

    /// Adds one detail; `None` values are left out rather than written as null.
    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        let value = value.into();
        if !value.is_null() {
            self.details.insert(key.to_owned(), value);
        }
        self
    }
}

/// One reason for concern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// Stable machine name, `family.what` (`interviews.avoids_video`).
    pub code: String,
    pub advisory: Advisory,
    /// Log-odds contribution before confidence; set from the policy.
    #[serde(serialize_with = "three_decimals")]
    pub weight: f64,
    /// 0..=1: how sure the detector is that the pattern is really there.
    #[serde(serialize_with = "three_decimals")]
    pub confidence: f64,
    /// One line, with the concrete numbers.
    pub summary: String,
    pub evidence: Vec<Evidence>,
}

/// Risk band; ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Low,
    Medium,
    High,
    Critical,
}

impl Band {
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Medium => "medium",
            Band::High => "high",
            Band::Critical => "critical",
        }
    }
}

impl std::str::FromStr for Band {
    type Err = String;

    /// A band's name, in any case: `high`, `HIGH`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "low" => Ok(Band::Low),
            "medium" => Ok(Band::Medium),
            "high" => Ok(Band::High),
            "critical" => Ok(Band::Critical),
            _ => Err(format!(
                "{text:?} is not a band: use low, medium, high or critical"
            )),
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a screening result stands: decided by the evidence, or by an analyst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HitStatus {
    /// Something besides the name agrees (date of birth, country, an identifier, an exact
    /// wallet, e-mail or phone): decisive.
    Confirmed,
    /// The name alone: for an analyst to decide.
    Review,
    /// An analyst ruled it out; it stays cleared until the list entry changes.
    Cleared,
}

impl HitStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HitStatus::Confirmed => "confirmed",
            HitStatus::Review => "review",
            HitStatus::Cleared => "cleared",
        }
    }
}

impl fmt::Display for HitStatus {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sanctions-list match (filled by watchlist screening).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SanctionsHit {
    pub list: String,
    /// The version of the list screened against (its publication date, else a hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_version: Option<String>,
    pub entity_id: String,
    pub name: String,
    pub matched_name: String,
    /// Which of the subject's names or identifiers matched: `name`, `other_name`,
    /// `document`, `account_holder`, `employer`, `school`, `bank`, `wallet`, `email`,
    /// `phone`.
    #[serde(default)]
    pub field: String,
    /// What was screened, as the records wrote it.
    #[serde(default)]
    pub query: String,
    #[serde(serialize_with = "three_decimals")]
    pub score: f64,
    #[serde(default = "review")]
    pub status: HitStatus,
    pub why: String,
}

fn review() -> HitStatus {
    HitStatus::Review
}

/// Scores and weights are judgements, not measurements: three decimals say all they
/// mean, and spare readers `0.9500000000000001`.
fn three_decimals<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(round3(*value))
}

/// `value` to three decimals (the precision of every score redflag writes).
pub fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// Another subject sharing identifiers with this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedSubject {
    pub subject: SubjectId,
    /// `type:value` of each shared identifier (`payout_account:acct-51`).
    pub via: Vec<String>,
    /// How strongly what they share ties them, 0..1 (0.45 and above is a strong tie; a
    /// flatmate's address is 0.4). Assessments stored before it was recorded read as 0.
    #[serde(default, serialize_with = "three_decimals")]
    pub strength: f64,
}

/// A next due-diligence step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub advisory: Advisory,
    pub text: String,
}

/// The assessment of one subject at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub subject: SubjectId,
    /// The name to show: the latest profile's, where one gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub score: u8,
    pub band: Band,
    /// When the assessment was made.
    pub assessed_at: Timestamp,
    /// The moment assessed: the newest record, or the time asked for; evidence after it
    /// does not count. Absent only in assessments stored before redflag recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Timestamp>,
    pub signals: Vec<Signal>,
    pub sanctions: Vec<SanctionsHit>,
    pub linked_subjects: Vec<LinkedSubject>,
    pub actions: Vec<Action>,
    /// How records filed under other ids were joined to this subject, or why none could
    /// be. Absent when there is nothing to say.
    #[serde(default, skip_serializing_if = "IdentityNotes::is_empty")]
    pub identities: IdentityNotes,
}

/// Which ids an assessment's records came under (see [`Assessment::identities`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityNotes {
    /// Other ids whose records are this subject's, each with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<MergedId>,
    /// Set when no profile or identity record speaks for the subject: why its records
    /// could not be attached to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmatched: Option<String>,
    /// The subject is an organisation paid (its account holder's name carries a legal
    /// form): it is screened against the sanctions lists, not assessed as a person.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub organisation: bool,
}

impl IdentityNotes {
    pub fn is_empty(&self) -> bool {
        self.merged.is_empty() && self.unmatched.is_none() && !self.organisation
    }
}

/// An id whose records were folded into another subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedId {
    /// The id the records came under (`okta` login, `iban:…`).
    pub subject: SubjectId,
    /// Why: "e-mail dan@example.com, listed in the profile of c-1".
    pub why: String,
}

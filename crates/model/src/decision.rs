//! An analyst's decision on a sanctions screening result: this subject is, or is not,
//! this listed party. Decisions are kept forever (the newest for a pair is the one in
//! force) and stay tied to the list entry as it was when decided.

use serde::{Deserialize, Serialize};

use crate::{SubjectId, Timestamp};

/// What the analyst decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Not the listed party: the hit stays `cleared` until the list entry changes.
    Cleared,
    /// The listed party: the hit is `confirmed`, decisive, whatever else agrees.
    Confirmed,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Cleared => "cleared",
            Decision::Confirmed => "confirmed",
        }
    }
}

/// One decision on a (subject, listed entity) pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SanctionsDecision {
    pub subject: SubjectId,
    /// The listed entity's id (`OFAC-24918`).
    pub entity_id: String,
    pub decision: Decision,
    /// Why, in the analyst's words.
    pub reason: String,
    /// Who decided (`cli:alice`).
    pub actor: String,
    pub at: Timestamp,
    /// The list entry as it was when decided (`Entity::fingerprint`): a clearing holds
    /// only while the entry is unchanged.
    pub entity_fingerprint: String,
    /// The list version the entry was read from, for people.
    pub list_version: Option<String>,
}

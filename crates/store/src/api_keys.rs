//! API keys as the store keeps them: who may call `redflag serve`, in what role. Only a
//! hash of each key's secret is stored (the server crate makes and checks them).

use std::fmt;
use std::str::FromStr;

use redflag_model::Timestamp;
use serde::{Deserialize, Serialize};

/// What a key may do on the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything.
    Admin,
    /// Reads people and changes what is known of them (records, assessments).
    Analyst,
    /// Sends records, and nothing else: a platform's feed cannot read people back.
    Ingest,
    /// Reads, changes nothing.
    Viewer,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Analyst, Role::Ingest, Role::Viewer];

    /// The role's name, as stored and as typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Analyst => "analyst",
            Role::Ingest => "ingest",
            Role::Viewer => "viewer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("{s:?} is not a role: use admin, analyst, ingest or viewer"))
    }
}

/// A key to store.
#[derive(Debug, Clone, Copy)]
pub struct NewApiKey<'a> {
    /// The public part of the key, unique: how a presented key is looked up.
    pub id: &'a str,
    /// What the key is for, for people: `crm-feed`, `alice`.
    pub name: &'a str,
    /// What it may do.
    pub role: Role,
    /// The argon2id hash of its secret, as a PHC string; never the secret itself.
    pub hash: &'a str,
    /// When it was made.
    pub created_at: Timestamp,
}

/// A stored key, without its hash: what a listing shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    /// The public part of the key.
    pub id: String,
    /// What the key is for.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was revoked, if it was: a revoked key opens nothing.
    pub revoked_at: Option<Timestamp>,
}

impl ApiKey {
    /// Whether the key still opens the API.
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }
}

/// A stored key with the hash of its secret, for checking a presented key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyWithHash {
    /// The key.
    pub key: ApiKey,
    /// The argon2id hash of its secret, as a PHC string.
    pub hash: String,
}

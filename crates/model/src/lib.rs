//! Canonical redflag records (`shared/spec/records.md`, format v1), the value types they
//! are built from, and the assessments redflag produces.
//!
//! This crate does no I/O. Every type here refuses invalid values when it is parsed, so
//! code that holds a [`Record`] never re-checks it.

mod assessment;
mod codes;
mod decision;
mod parse;
mod primitives;
mod record;

pub use assessment::{
    Action, Advisory, Assessment, Band, Evidence, HitStatus, IdentityNotes, LinkedSubject,
    MergedId, SanctionsHit, Signal, round3,
};
pub use decision::{Decision, SanctionsDecision};
pub use parse::{ParsedRecord, RecordError, content_hash, parse_record, record_key};
pub use primitives::{
    Amount, CountryCode, Currency, Email, LanguageTag, PHash, PartialDate, Phone, SubjectId,
    TimeZoneName, Timestamp,
};
pub use record::*;

/// Re-exported so downstream crates name the same versions.
pub use jiff;
pub use rust_decimal::Decimal;
pub use serde_json;

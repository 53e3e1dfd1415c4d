//! Sanctions lists for redflag: parsers for the OFAC SDN list (legacy CSV set and XML),
//! the UN Security Council Consolidated List, Canada's Consolidated Autonomous Sanctions
//! List and OpenSanctions FollowTheMoney exports; the normalised [`Entity`] they all
//! produce; wallet address normalisation for exact matching; and the versioned on-disk
//! store under `<data_dir>/lists/` that `redflag lists import|update|status` manage.
//!
//! Name matching is not here: it lives in `redflag-names`, which indexes
//! [`Entity::names`]. This crate only reads lists and keeps every name they give.

#![warn(missing_docs)]

mod canada;
mod country;
mod dates;
mod detect;
mod error;
mod ftm;
#[cfg(test)]
mod fuzz;
mod model;
mod ofac_csv;
mod ofac_xml;
mod remarks;
mod screen;
mod store;
mod un;
mod update;
mod wallet;
mod xml;

pub use canada::parse_canada_xml;
pub use country::country_code;
pub use detect::{ListFormat, detect_format};
pub use error::ListError;
pub use ftm::parse_ftm_jsonl;
pub use model::{
    Alias, AliasQuality, AliasType, Entity, EntityKind, Identifier, ListId, ListVersion,
    ParseReport, ParsedList, WalletRef,
};
pub use ofac_csv::{OfacCsvFiles, OfacCsvPart, parse_ofac_csv};
pub use ofac_xml::parse_ofac_xml;
pub use redflag_names::{NameKind, PartialDate};
pub use screen::{DEFAULT_THRESHOLD, Hit, HitBasis, NameQuery, NameScreening, Screener};
pub use store::{
    DEFAULT_MAX_SHRINK, ImportOptions, LoadedLists, history, import, load, load_version, stale,
    status,
};
pub use un::parse_un_xml;
pub use update::{UpdateConfig, UpdateEvent, UpdateOutcome, UpdateSource, update};
pub use wallet::{WalletKey, normalise_wallet};

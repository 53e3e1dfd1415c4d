//! IP intelligence for redflag: for any IPv4 or IPv6 address, the country it is
//! registered in, the autonomous system announcing it, that network's organisation, and
//! the kind of network ([`NetworkClass`]: residential, mobile, hosting, VPN, Tor,
//! education, unknown). Also the DPRK's own address space, built in ([`dprk_range`]).
//!
//! Data comes from the open ip-location-db data sets (IP → country, CC0; IP → ASN and
//! organisation, CC BY 4.0), fetched by [`update`] or read from local copies by
//! [`import`], and compiled into a flat binary index in `<data_dir>/intel/`. The folder
//! counts as loaded once its `manifest.json` exists; the manifest is written last and
//! names the index file by its hash, so an interrupted import leaves the previous data in
//! place. [`IpIntel::load`] reads the index into a few vectors (well under a second) and
//! answers lookups from memory: a 65,536-entry table on the top 16 bits of the address,
//! then a binary search among the few segments of that bucket.
//!
//! Country reference points (one per country, for distances when only countries are
//! known) are built in ([`COUNTRY_POINTS`], derived from Google DSPL, BSD-3-Clause); a
//! `countries.csv` imported beside the index replaces them.
//!
//! Network classes come, in order of precedence, from user lists (Tor > VPN > hosting),
//! the curated list in `data/asn-classes.tsv`, and heuristics on the organisation name.
//! An AS whose name looks like an ISP or telecom carrier is `residential`; any other
//! known AS with no signal either way is `unknown`, because guessing "residential" for
//! it would make a server look like a home connection.

#![warn(missing_docs)]

mod addr;
mod bench;
mod builder;
mod class;
mod dprk;
mod error;
mod import;
mod index;
mod lists;
mod manifest;
mod points;
mod source;
mod update;

pub use bench::{BenchFigures, LoadFigures, bench_lookups, load_measured, rss_bytes};
pub use class::{NetworkClass, classify_network};
pub use dprk::{DprkLink, DprkRange, dprk_range, dprk_ranges};
pub use error::IntelError;
pub use import::import;
pub use index::{IpInfo, IpIntel};
pub use manifest::{
    Counts, CuratedInfo, Dataset, INDEX_FORMAT, IndexFile, ListInfo, MANIFEST_FILE, Manifest,
    SourceInfo,
};
pub use points::{COUNTRY_POINTS, COUNTRY_POINTS_SOURCE, country_point_rows};
pub use redflag_model::CountryCode;
pub use update::{DEFAULT_REGISTRY, PACKAGES, Stage, update};

/// The folder, inside the data directory, that holds IP intelligence.
pub const INTEL_DIR: &str = "intel";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loaded_index_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<IpIntel>();
    }
}

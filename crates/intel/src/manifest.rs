//! `manifest.json`: what the index was built from. Its presence is what makes the data
//! set count as loaded, so it is always written last, and it names (and hashes) the
//! index file it belongs to.

use std::io::Write;
use std::path::Path;

use redflag_model::jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::class::NetworkClass;
use crate::error::IntelError;

/// The manifest's file name inside the intel folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The version of the index format this build reads and writes.
pub const INDEX_FORMAT: u32 = 1;

/// Everything recorded about the loaded IP intelligence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Index format version ([`INDEX_FORMAT`]).
    pub format: u32,
    /// When the index was built.
    pub built_at: Timestamp,
    /// The index file.
    pub index: IndexFile,
    /// Sizes of the index.
    pub counts: Counts,
    /// The data sets the index was built from.
    pub sources: Vec<SourceInfo>,
    /// The user lists applied, in the order they were first imported.
    pub lists: Vec<ListInfo>,
    /// The curated ASN list compiled into the redflag that built the index.
    pub curated: CuratedInfo,
}

/// The index file a manifest belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexFile {
    /// File name inside the intel folder.
    pub file: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its BLAKE3 hash, hex.
    pub blake3: String,
}

/// Sizes of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// IPv4 segments (each maps a run of addresses to one answer).
    pub ipv4_ranges: u64,
    /// IPv6 segments.
    pub ipv6_ranges: u64,
    /// Distinct answers (country, ASN, organisation, class).
    pub records: u64,
    /// Distinct organisation names.
    pub organisations: u64,
}

/// Which table a source fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dataset {
    /// IP range → country.
    Country,
    /// IP range → autonomous system and organisation.
    Asn,
}

impl Dataset {
    /// `country` or `asn`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dataset::Country => "country",
            Dataset::Asn => "asn",
        }
    }
}

/// One data set the index was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The table it fills.
    pub dataset: Dataset,
    /// The npm package name, or the file name of a plain CSV.
    pub name: String,
    /// The package version, where known.
    pub version: Option<String>,
    /// The date of the data: from the version for ip-location-db packages, else the
    /// file's modification date.
    pub date: Option<String>,
    /// The licence under which the data is used.
    pub licence: String,
    /// Where it came from: a URL or a local path.
    pub origin: String,
    /// The checksum verified on download (`sha512-…` or `sha1-…`), if it was downloaded.
    pub integrity: Option<String>,
    /// When it was imported.
    pub imported_at: Timestamp,
    /// IPv4 rows read, if this source supplies the IPv4 table.
    pub ipv4_rows: Option<u64>,
    /// IPv6 rows read, if this source supplies the IPv6 table.
    pub ipv6_rows: Option<u64>,
}

/// A user list applied on top of the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListInfo {
    /// The class its entries get.
    pub class: NetworkClass,
    /// The list's original file name; importing another list of the same class and name
    /// replaces it.
    pub name: String,
    /// The stored copy, relative to the intel folder.
    pub file: String,
    /// Where it was imported from.
    pub origin: String,
    /// IP ranges in it.
    pub ranges: u64,
    /// AS numbers in it.
    pub asns: u64,
    /// When it was imported.
    pub imported_at: Timestamp,
}

/// The curated list compiled into redflag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CuratedInfo {
    /// AS numbers listed.
    pub asns: u64,
    /// Organisation-name fragments listed.
    pub fragments: u64,
}

impl Manifest {
    /// Reads the manifest of an intel folder; [`IntelError::NotLoaded`] when there is
    /// none.
    pub fn read(dir: &Path) -> Result<Manifest, IntelError> {
        let path = dir.join(MANIFEST_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(IntelError::NotLoaded {
                    dir: dir.to_path_buf(),
                });
            }
            Err(source) => {
                return Err(IntelError::Read {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| IntelError::Corrupt {
            dir: dir.to_path_buf(),
            message: format!("{MANIFEST_FILE} is not a manifest redflag can read: {e}"),
        })?;
        if manifest.format != INDEX_FORMAT {
            return Err(IntelError::Corrupt {
                dir: dir.to_path_buf(),
                message: format!(
                    "the index is in format {} and this redflag reads format {INDEX_FORMAT}",
                    manifest.format
                ),
            });
        }
        Ok(manifest)
    }

    /// Writes the manifest atomically: to a temporary file, flushed, then renamed.
    pub(crate) fn write(&self, dir: &Path) -> Result<(), IntelError> {
        let mut json = serde_json::to_vec_pretty(self).map_err(|e| IntelError::Write {
            path: dir.join(MANIFEST_FILE),
            source: std::io::Error::other(e),
        })?;
        json.push(b'\n');
        write_atomically(dir, MANIFEST_FILE, &json)
    }
}

/// Writes `name` in `dir` so that it either appears whole or not at all.
pub(crate) fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), IntelError> {
    let target = dir.join(name);
    let write_err = |source| IntelError::Write {
        path: target.clone(),
        source,
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(write_err)?;
    tmp.write_all(bytes).map_err(write_err)?;
    tmp.as_file().sync_all().map_err(write_err)?;
    tmp.persist(&target).map_err(|e| write_err(e.error))?;
    // The rename is durable only once the folder itself is synced; where a platform
    // cannot sync a folder the rename still happened, so a failure here is ignored.
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

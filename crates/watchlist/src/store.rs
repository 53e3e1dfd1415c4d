//! The versioned list store: `<data_dir>/lists/`.
//!
//! Each imported version of a list is one JSON file (`OFAC-SDN-<sha256 prefix>.json`:
//! its [`ListVersion`] and entities), never rewritten once a newer version replaces it,
//! so an assessment that recorded the versions it used can be explained later with
//! [`load_version`]. `manifest.json` names the current version of each list and the
//! history before it. It is written last, by rename, after the version files are on
//! disk: a reader sees the old set or the new one, never half an import, and the rest
//! of redflag takes lists as present once the manifest exists.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::detect::{ListFormat, detect_format};
use crate::model::{Entity, ListId, ListVersion, ParseReport, ParsedList};
use crate::ofac_csv::{Named, OfacCsvPart};
use crate::{ListError, canada, ftm, ofac_csv, ofac_xml, un};

/// The manifest's format; a newer one is refused rather than misread.
const MANIFEST_FORMAT: u32 = 1;

/// The share of a list's entities an import may lose against the version in force before
/// it needs `force` (the policy's `lists_max_shrink` default). Lists shrink by a few
/// delistings a week; losing a fifth at once is a cut-short download far more often.
pub const DEFAULT_MAX_SHRINK: f64 = 0.2;

/// How an import guards the lists in force.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImportOptions {
    /// The largest share (0..1) of the current version's entities a new version may lose;
    /// `None` imports whatever the new version holds (`--force`).
    pub max_shrink: Option<f64>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            max_shrink: Some(DEFAULT_MAX_SHRINK),
        }
    }
}

/// Every current list, ready for screening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedLists {
    /// The entities of all current list versions.
    pub entities: Vec<Entity>,
    /// The versions they come from, to record beside an assessment.
    pub versions: Vec<ListVersion>,
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: u32,
    lists: Vec<ManifestList>,
}

#[derive(Serialize, Deserialize)]
struct ManifestList {
    current: Stored,
    /// Earlier versions, newest first.
    #[serde(default)]
    history: Vec<Stored>,
}

#[derive(Clone, Serialize, Deserialize)]
struct Stored {
    #[serde(flatten)]
    version: ListVersion,
    /// The version file, relative to the lists folder.
    file: String,
}

#[derive(Serialize, Deserialize)]
struct VersionFile {
    version: ListVersion,
    entities: Vec<Entity>,
}

/// One file to import: where it is, the name messages and the version use for it, and
/// its format.
pub(crate) struct SourceFile {
    pub(crate) path: PathBuf,
    pub(crate) name: String,
    pub(crate) format: ListFormat,
}

/// The files of one list version: one file, or the parts of the OFAC CSV set.
pub(crate) struct Source {
    pub(crate) files: Vec<SourceFile>,
    /// A publication date known from outside the file (an HTTP Last-Modified), used
    /// when the file states none.
    pub(crate) published: Option<String>,
}

fn lists_dir(dir: &Path) -> PathBuf {
    dir.join("lists")
}

/// Imports list files into the store under `dir` (the data folder). Each file's format
/// is recognised ([`detect_format`]); a folder stands for the list files in it, and the
/// OFAC CSV files given together or as their folder are one version of OFAC-SDN. All
/// files are parsed before anything is written, so a bad file leaves the store as it was,
/// and so does a version that loses more of the current version's entities than
/// `options` allows. A file identical to its list's current version changes nothing.
pub fn import(
    files: &[PathBuf],
    dir: &Path,
    options: &ImportOptions,
) -> Result<Vec<(ListVersion, ParseReport)>, ListError> {
    let mut found = Vec::new();
    for path in files {
        let meta = fs::metadata(path).map_err(|e| ListError::io("reading", path, e))?;
        if meta.is_dir() {
            let mut in_dir = Vec::new();
            for entry in fs::read_dir(path).map_err(|e| ListError::io("reading folder", path, e))? {
                let entry = entry.map_err(|e| ListError::io("reading folder", path, e))?;
                if entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
                    in_dir.push(entry.path());
                }
            }
            in_dir.sort();
            let before = found.len();
            // A folder may hold other files (READMEs, licences): only lists are taken.
            for file in in_dir {
                if let Some(format) = detect_format(&file) {
                    found.push(source_file(file, format));
                }
            }
            if found.len() == before {
                return Err(ListError::Unrecognised {
                    path: path.clone(),
                    reason: "the folder holds no list file".to_string(),
                });
            }
        } else {
            let format = detect_format(path).ok_or_else(|| ListError::Unrecognised {
                path: path.clone(),
                reason: "neither its name nor its first bytes match a list format".to_string(),
            })?;
            found.push(source_file(path.clone(), format));
        }
    }
    let sources = group(found, None)?;
    import_sources(sources, dir, options)
}

fn source_file(path: PathBuf, format: ListFormat) -> SourceFile {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    SourceFile { path, name, format }
}

/// Groups files into list versions: the OFAC CSV parts together, every other file alone.
pub(crate) fn group(
    files: Vec<SourceFile>,
    published: Option<String>,
) -> Result<Vec<Source>, ListError> {
    let mut sources = Vec::new();
    let mut ofac: Vec<SourceFile> = Vec::new();
    for file in files {
        match file.format {
            ListFormat::OfacCsv(part) => {
                if let Some(other) = ofac.iter().find(|f| f.format == ListFormat::OfacCsv(part)) {
                    return Err(ListError::DuplicateList {
                        list: ListId::OfacSdn.to_string(),
                        first: other.name.clone(),
                        second: file.name,
                    });
                }
                ofac.push(file);
            }
            _ => sources.push(Source {
                files: vec![file],
                published: published.clone(),
            }),
        }
    }
    if !ofac.is_empty() {
        if !ofac
            .iter()
            .any(|f| f.format == ListFormat::OfacCsv(OfacCsvPart::Sdn))
        {
            return Err(ListError::MissingOfacSdn {
                given: ofac
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        // Hash and parse order: sdn, alt, add, comments.
        let rank = |f: &SourceFile| match f.format {
            ListFormat::OfacCsv(OfacCsvPart::Sdn) => 0,
            ListFormat::OfacCsv(OfacCsvPart::Alt) => 1,
            ListFormat::OfacCsv(OfacCsvPart::Add) => 2,
            _ => 3,
        };
        ofac.sort_by_key(rank);
        sources.insert(
            0,
            Source {
                files: ofac,
                published,
            },
        );
    }
    Ok(sources)
}

/// Parses every source, then writes the version files and, last, the manifest.
pub(crate) fn import_sources(
    sources: Vec<Source>,
    dir: &Path,
    options: &ImportOptions,
) -> Result<Vec<(ListVersion, ParseReport)>, ListError> {
    let mut parsed: Vec<(ParsedList, String, String, Option<String>)> = Vec::new();
    for source in &sources {
        let (list, sha) = parse_source(source)?;
        let names = source
            .files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(" + ");
        if list.entities.is_empty() {
            // An empty list would replace the current one and silently clear screening;
            // an empty download is far likelier than a list with no one on it.
            return Err(ListError::parse(
                &names,
                "whole file",
                "entries",
                format!(
                    "no entity could be read, so it was not imported ({} warnings{})",
                    list.report.warning_count,
                    list.report
                        .warnings
                        .first()
                        .map(|w| format!(", first: {w}"))
                        .unwrap_or_default()
                ),
            ));
        }
        if let Some((_, _, first, _)) = parsed.iter().find(|(p, ..)| p.list == list.list) {
            return Err(ListError::DuplicateList {
                list: list.list.to_string(),
                first: first.clone(),
                second: names,
            });
        }
        parsed.push((list, sha, names, source.published.clone()));
    }

    let lists = lists_dir(dir);
    fs::create_dir_all(&lists).map_err(|e| ListError::io("creating folder", &lists, e))?;
    let mut manifest = read_manifest(&lists)?.unwrap_or(Manifest {
        format: MANIFEST_FORMAT,
        lists: Vec::new(),
    });
    if let Some(max) = options.max_shrink {
        for (list, sha, names, _) in &parsed {
            let Some(current) = manifest
                .lists
                .iter()
                .map(|l| &l.current.version)
                .find(|v| v.list == list.list && v.sha256 != *sha)
            else {
                continue;
            };
            let (before, after) = (current.entity_count, list.entities.len());
            let lost = before.saturating_sub(after) as f64 / before.max(1) as f64;
            if lost > max {
                return Err(ListError::Shrunk {
                    list: list.list.to_string(),
                    file: names.clone(),
                    before,
                    after,
                    max_share: max,
                });
            }
        }
    }
    let loaded_at = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let mut out = Vec::new();
    for (list, sha, source, published) in parsed {
        let ParsedList {
            list: id,
            published: stated,
            entities,
            report,
        } = list;
        let entry = manifest
            .lists
            .iter_mut()
            .find(|l| l.current.version.list == id);
        if let Some(entry) = &entry
            && entry.current.version.sha256 == sha
        {
            out.push((entry.current.version.clone(), report));
            continue;
        }
        let version = ListVersion {
            list: id.clone(),
            published: stated.or(published),
            source,
            sha256: sha.clone(),
            entity_count: entities.len(),
            loaded_at: loaded_at.clone(),
        };
        let file = format!("{}-{}.json", id.file_stem(), &sha[..16]);
        let body = VersionFile {
            version: version.clone(),
            entities,
        };
        let bytes = serde_json::to_vec(&body).map_err(|e| ListError::Store {
            path: lists.join(&file),
            message: format!("cannot serialise the list: {e}"),
        })?;
        write_atomic(&lists.join(&file), &bytes)?;
        let stored = Stored {
            version: version.clone(),
            file,
        };
        match entry {
            Some(entry) => {
                let previous = std::mem::replace(&mut entry.current, stored);
                entry.history.insert(0, previous);
            }
            None => manifest.lists.push(ManifestList {
                current: stored,
                history: Vec::new(),
            }),
        }
        out.push((version, report));
    }
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| ListError::Store {
        path: lists.join("manifest.json"),
        message: format!("cannot serialise the manifest: {e}"),
    })?;
    write_atomic(&lists.join("manifest.json"), &bytes)?;
    Ok(out)
}

/// Reads a source's bytes, hashes them and parses them.
fn parse_source(source: &Source) -> Result<(ParsedList, String), ListError> {
    let mut hasher = Sha256::new();
    let mut contents = Vec::new();
    for file in &source.files {
        let bytes = fs::read(&file.path).map_err(|e| ListError::io("reading", &file.path, e))?;
        hasher.update(&bytes);
        contents.push(bytes);
    }
    let sha = hex(&hasher.finalize());
    let first = source.files.first().zip(contents.first());
    let Some((file, bytes)) = first else {
        return Err(ListError::Unrecognised {
            path: PathBuf::new(),
            reason: "no file given".to_string(),
        });
    };
    let parsed = match file.format {
        ListFormat::OfacXml => ofac_xml::parse_ofac_xml(bytes.as_slice(), &file.name)?,
        ListFormat::UnXml => un::parse_un_xml(bytes.as_slice(), &file.name)?,
        ListFormat::CanadaXml => canada::parse_canada_xml(bytes.as_slice(), &file.name)?,
        ListFormat::FtmJsonl => {
            ftm::parse_ftm_jsonl(bytes.as_slice(), &ftm_dataset(&file.path), &file.name)?
        }
        ListFormat::OfacCsv(_) => {
            let mut parts: HashMap<OfacCsvPart, Named<&[u8]>> = HashMap::new();
            for (file, bytes) in source.files.iter().zip(&contents) {
                if let ListFormat::OfacCsv(part) = file.format {
                    parts.insert(
                        part,
                        Named {
                            name: file.name.clone(),
                            reader: bytes.as_slice(),
                        },
                    );
                }
            }
            let sdn = parts
                .remove(&OfacCsvPart::Sdn)
                .ok_or_else(|| ListError::MissingOfacSdn {
                    given: file.name.clone(),
                })?;
            ofac_csv::parse_from(
                sdn,
                parts.remove(&OfacCsvPart::Alt),
                parts.remove(&OfacCsvPart::Add),
                parts.remove(&OfacCsvPart::Comments),
            )?
        }
    };
    Ok((parsed, sha))
}

/// The OpenSanctions dataset a file holds, from its name: `kp_sanctions.jsonl` →
/// `kp_sanctions`; the generic export names (`entities.ftm.json`) take their folder's
/// name, as OpenSanctions publishes one folder per dataset.
fn ftm_dataset(path: &Path) -> String {
    let stem = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.split('.').next())
        .unwrap_or_default();
    let generic = ["", "entities", "targets", "statements", "export"];
    if !generic.contains(&stem) {
        return stem.to_string();
    }
    path.parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())
        .unwrap_or("opensanctions")
        .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk and renames it
/// over `path`, so `path` is never seen half-written.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ListError> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()
    };
    if let Err(e) = write() {
        // The temporary file is incomplete; removing it is tidying, its failure harmless.
        let _ = fs::remove_file(&tmp);
        return Err(ListError::io("writing", &tmp, e));
    }
    fs::rename(&tmp, path).map_err(|e| ListError::io("renaming into place", path, e))?;
    // Persist the rename itself. Some platforms cannot open a folder to sync it; the
    // data is already on disk and only the rename could be lost in a crash there.
    if let Some(parent) = path.parent()
        && let Ok(folder) = fs::File::open(parent)
    {
        let _ = folder.sync_all();
    }
    Ok(())
}

fn read_manifest(lists: &Path) -> Result<Option<Manifest>, ListError> {
    let path = lists.join("manifest.json");
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ListError::io("reading", &path, e)),
    };
    let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| ListError::Store {
        path: path.clone(),
        message: format!("not a valid manifest: {e}"),
    })?;
    if manifest.format > MANIFEST_FORMAT {
        return Err(ListError::Store {
            path,
            message: format!(
                "written by a newer redflag (format {}, this one reads {MANIFEST_FORMAT})",
                manifest.format
            ),
        });
    }
    Ok(Some(manifest))
}

fn manifest_or_no_lists(dir: &Path) -> Result<Manifest, ListError> {
    let lists = lists_dir(dir);
    read_manifest(&lists)?.ok_or(ListError::NoLists { dir: lists })
}

fn read_version(lists: &Path, stored: &Stored) -> Result<Vec<Entity>, ListError> {
    let path = lists.join(&stored.file);
    let bytes = fs::read(&path).map_err(|e| ListError::io("reading", &path, e))?;
    let file: VersionFile = serde_json::from_slice(&bytes).map_err(|e| ListError::Store {
        path: path.clone(),
        message: format!("not a valid list version file: {e}"),
    })?;
    if file.version.sha256 != stored.version.sha256
        || file.entities.len() != stored.version.entity_count
    {
        return Err(ListError::Store {
            path,
            message: format!(
                "holds {} entities of version {}, but the manifest expects {} of {}; re-import the list",
                file.entities.len(),
                file.version.sha256,
                stored.version.entity_count,
                stored.version.sha256
            ),
        });
    }
    Ok(file.entities)
}

/// Loads the current version of every list.
pub fn load(dir: &Path) -> Result<LoadedLists, ListError> {
    let manifest = manifest_or_no_lists(dir)?;
    let lists = lists_dir(dir);
    let mut entities = Vec::new();
    let mut versions = Vec::new();
    for list in &manifest.lists {
        entities.extend(read_version(&lists, &list.current)?);
        versions.push(list.current.version.clone());
    }
    Ok(LoadedLists { entities, versions })
}

/// The current version of every list, without loading entities.
pub fn status(dir: &Path) -> Result<Vec<ListVersion>, ListError> {
    Ok(manifest_or_no_lists(dir)?
        .lists
        .into_iter()
        .map(|l| l.current.version)
        .collect())
}

/// Warnings for lists older than `max_age_days` at `now`, one line each. The age is
/// counted from the publication date the list states, else from its import (and the
/// warning says the list is undated). An empty vector when every list is fresh.
pub fn stale(versions: &[ListVersion], max_age_days: u32, now: jiff::Timestamp) -> Vec<String> {
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let mut out = Vec::new();
    for v in versions {
        let date = |text: &str| {
            text.get(..10)
                .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        };
        let (since, what) = match v.published.as_deref().and_then(date) {
            Some(published) => (published, format!("published {published}")),
            None => match date(&v.loaded_at) {
                Some(loaded) => (loaded, format!("undated, imported {loaded}")),
                None => continue,
            },
        };
        let age = (today - since).get_days();
        if age > i32::try_from(max_age_days).unwrap_or(i32::MAX) {
            out.push(format!(
                "{} is {age} days old ({what}; the policy's limit is {max_age_days} days): run `redflag lists update` for the current version",
                v.list
            ));
        }
    }
    out
}

/// Every version ever imported, current first then older, list by list.
pub fn history(dir: &Path) -> Result<Vec<ListVersion>, ListError> {
    Ok(manifest_or_no_lists(dir)?
        .lists
        .into_iter()
        .flat_map(|l| std::iter::once(l.current).chain(l.history))
        .map(|s| s.version)
        .collect())
}

/// The entities of one version, current or past (as an assessment recorded it), to
/// explain a result after the lists have changed.
pub fn load_version(dir: &Path, version: &ListVersion) -> Result<Vec<Entity>, ListError> {
    let manifest = manifest_or_no_lists(dir)?;
    let lists = lists_dir(dir);
    let stored = manifest
        .lists
        .iter()
        .flat_map(|l| std::iter::once(&l.current).chain(&l.history))
        .find(|s| s.version.list == version.list && s.version.sha256 == version.sha256)
        .ok_or_else(|| ListError::Store {
            path: lists.join("manifest.json"),
            message: format!(
                "no version {} of {} was imported here",
                version.sha256, version.list
            ),
        })?;
    read_version(&lists, stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ftm_dataset_names() {
        assert_eq!(
            ftm_dataset(Path::new("/x/kp_sanctions.jsonl")),
            "kp_sanctions"
        );
        assert_eq!(
            ftm_dataset(Path::new("/x/sanctions/entities.ftm.json")),
            "sanctions"
        );
        assert_eq!(ftm_dataset(Path::new("entities.ftm.json")), "opensanctions");
    }
}

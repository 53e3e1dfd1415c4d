//! Building the index from data files and user lists, and writing it into the intel
//! folder: index and list copies first (under content-derived names, so a failure half
//! way leaves the previous data set intact and loadable), the manifest last.

use std::cell::Cell;
use std::collections::HashMap;
use std::fs;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use redflag_model::jiff::Timestamp;

use crate::addr::Addr;
use crate::builder::{Cursor, Interner, Row, Segments, most_specific, paint, union_of_starts};
use crate::class::{NetworkClass, classify_network, curated};
use crate::error::IntelError;
use crate::index::{IndexParts, IpIntel, NO_ORG, RawRecord, Table, encode};
use crate::lists::{ListData, parse_list};
use crate::manifest::{
    Counts, CuratedInfo, Dataset, INDEX_FORMAT, IndexFile, ListInfo, Manifest, SourceInfo,
    write_atomically,
};
use crate::source::{AsnOrg, Cc, InputRead, date_from_version, read_input};

const LISTS_DIR: &str = "lists";
const COUNTRY_LICENCE: &str = "CC0-1.0";
const ASN_LICENCE: &str = "CC-BY-4.0 (RouteViews and DB-IP; attribution required)";
const UNKNOWN_LICENCE: &str =
    "unknown: not named like an ip-location-db file, check where it came from";

/// Builds the index in `dir` (`<data_dir>/intel`) from local files and user lists, and
/// returns the manifest written.
///
/// `files` are ip-location-db npm tarballs (`.tgz`), or CSV files in the same format
/// (`start,end,country` or `start,end,asn,organisation`, dotted or integer addresses,
/// optionally gzipped), recognised by content. A table (country or ASN, IPv4 or IPv6)
/// not supplied keeps what the previous index had. `lists` mark addresses (IPs, CIDRs,
/// `AS123` lines) as [`NetworkClass::Tor`], [`NetworkClass::Vpn`] or
/// [`NetworkClass::Hosting`]; they are stored in the folder, replace an earlier list of
/// the same class and file name, and outrank everything else (tor > vpn > hosting >
/// curated list > name heuristics). `progress` receives bytes read and total bytes.
pub fn import(
    files: &[PathBuf],
    lists: &[(NetworkClass, PathBuf)],
    dir: &Path,
    progress: &dyn Fn(u64, u64),
) -> Result<Manifest, IntelError> {
    let inputs: Vec<Input> = files
        .iter()
        .map(|path| Input {
            path: path.clone(),
            display: path.display().to_string(),
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            origin: fs::canonicalize(path)
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string(),
            integrity: None,
        })
        .collect();
    import_inputs(&inputs, lists, dir, progress)
}

/// A data file to read, and how to describe it.
pub(crate) struct Input {
    pub path: PathBuf,
    /// How errors name it (a path, or the URL it was downloaded from).
    pub display: String,
    /// Its file name, the hint for `-num` files.
    pub name: String,
    /// Recorded in the manifest.
    pub origin: String,
    pub integrity: Option<String>,
}

/// Counts bytes read so that progress can be reported while a tarball is decompressed.
struct Counting<'a, R> {
    inner: R,
    done: &'a Cell<u64>,
    reported: u64,
    total: u64,
    progress: &'a dyn Fn(u64, u64),
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done.set(self.done.get() + n as u64);
        if self.done.get() - self.reported >= 1 << 20 {
            self.reported = self.done.get();
            (self.progress)(self.reported, self.total);
        }
        Ok(n)
    }
}

/// The four tables, each with the index of the input that supplied it.
#[derive(Default)]
struct Supplied {
    country4: Option<(Vec<Row<u32, Cc>>, usize)>,
    country6: Option<(Vec<Row<u128, Cc>>, usize)>,
    asn4: Option<(Vec<Row<u32, AsnOrg>>, usize)>,
    asn6: Option<(Vec<Row<u128, AsnOrg>>, usize)>,
}

impl Supplied {
    fn is_complete(&self) -> bool {
        self.country4.is_some()
            && self.country6.is_some()
            && self.asn4.is_some()
            && self.asn6.is_some()
    }

    fn has(&self, dataset: Dataset, v6: bool) -> bool {
        match (dataset, v6) {
            (Dataset::Country, false) => self.country4.is_some(),
            (Dataset::Country, true) => self.country6.is_some(),
            (Dataset::Asn, false) => self.asn4.is_some(),
            (Dataset::Asn, true) => self.asn6.is_some(),
        }
    }
}

fn take<V>(
    slot: &mut Option<(Vec<V>, usize)>,
    rows: Option<Vec<V>>,
    input: usize,
    inputs: &[Input],
    what: &str,
) -> Result<(), IntelError> {
    let Some(rows) = rows else { return Ok(()) };
    if let Some((_, earlier)) = slot {
        return Err(IntelError::Usage(format!(
            "{} and {} both hold {what}: give one of them",
            inputs[*earlier].display, inputs[input].display
        )));
    }
    *slot = Some((rows, input));
    Ok(())
}

/// A user list to apply, and the bytes to store when it is new.
struct ListEntry {
    info: ListInfo,
    data: ListData,
    store: Option<Vec<u8>>,
}

pub(crate) fn import_inputs(
    inputs: &[Input],
    lists: &[(NetworkClass, PathBuf)],
    dir: &Path,
    progress: &dyn Fn(u64, u64),
) -> Result<Manifest, IntelError> {
    if inputs.is_empty() && lists.is_empty() {
        return Err(IntelError::Usage(
            "nothing to import: give ip-location-db tarballs or CSV files, or a list with --list CLASS FILE".into(),
        ));
    }
    for (class, path) in lists {
        if class.list_rank().is_none() {
            return Err(IntelError::Usage(format!(
                "{}: a list can mark addresses as tor, vpn or hosting, not {class}",
                path.display()
            )));
        }
    }
    let now = Timestamp::now();
    let mut orgs: Interner<Box<str>> = Interner::new();
    let (supplied, mut sources) = read_inputs(inputs, &mut orgs, now, progress)?;

    // The previous data set fills the tables not supplied now. When everything is
    // supplied a damaged previous data set does not matter.
    let previous = match IpIntel::load(dir) {
        Ok(previous) => Some(previous),
        Err(IntelError::NotLoaded { .. }) => None,
        Err(_) if supplied.is_complete() => None,
        Err(e) => return Err(e),
    };
    if let Some(previous) = &previous {
        for old in &previous.status().sources {
            let ipv4_rows = old.ipv4_rows.filter(|_| !supplied.has(old.dataset, false));
            let ipv6_rows = old.ipv6_rows.filter(|_| !supplied.has(old.dataset, true));
            if ipv4_rows.is_some() || ipv6_rows.is_some() {
                sources.push(SourceInfo {
                    ipv4_rows,
                    ipv6_rows,
                    ..old.clone()
                });
            }
        }
    }
    // User lists survive even a damaged index, as long as the manifest can be read.
    let previous_manifest = match &previous {
        Some(p) => Some(p.status().clone()),
        None => Manifest::read(dir).ok(),
    };
    let lists = gather_lists(lists, previous_manifest.as_ref(), dir, now)?;
    let built = build(supplied, previous.as_ref(), &lists, orgs);
    write_data_set(dir, &built, lists, sources, now)
}

/// Reads every input, refusing two that supply the same table.
fn read_inputs(
    inputs: &[Input],
    orgs: &mut Interner<Box<str>>,
    now: Timestamp,
    progress: &dyn Fn(u64, u64),
) -> Result<(Supplied, Vec<SourceInfo>), IntelError> {
    let mut total = 0;
    for input in inputs {
        let meta = fs::metadata(&input.path).map_err(|source| IntelError::Read {
            path: input.display.clone(),
            source,
        })?;
        total += meta.len();
    }
    let done = Cell::new(0);
    let mut supplied = Supplied::default();
    let mut sources = Vec::new();
    for (n, input) in inputs.iter().enumerate() {
        let file = fs::File::open(&input.path).map_err(|source| IntelError::Read {
            path: input.display.clone(),
            source,
        })?;
        let modified = file.metadata().and_then(|m| m.modified()).ok();
        let reader = Counting {
            inner: BufReader::new(file),
            done: &done,
            reported: done.get(),
            total,
            progress,
        };
        let read = read_input(reader, &input.display, &input.name, orgs)?;
        if read.tables.is_empty() {
            return Err(IntelError::Unrecognised {
                file: input.display.clone(),
                message: "holds no IP data: expected an ip-location-db tarball or CSV rows `start,end,country` or `start,end,asn,organisation` (a list of IPs, CIDR blocks or AS numbers is imported with --list CLASS FILE)".into(),
            });
        }
        let date = modified
            .and_then(|m| Timestamp::try_from(m).ok())
            .map(|t| t.strftime("%Y-%m-%d").to_string());
        sources.extend(source_infos(&read, input, date, now));
        let tables = read.tables;
        take(
            &mut supplied.country4,
            tables.country4,
            n,
            inputs,
            "country data for IPv4",
        )?;
        take(
            &mut supplied.country6,
            tables.country6,
            n,
            inputs,
            "country data for IPv6",
        )?;
        take(
            &mut supplied.asn4,
            tables.asn4,
            n,
            inputs,
            "ASN data for IPv4",
        )?;
        take(
            &mut supplied.asn6,
            tables.asn6,
            n,
            inputs,
            "ASN data for IPv6",
        )?;
    }
    progress(total, total);
    Ok((supplied, sources))
}

/// The index, built and encoded.
struct Built {
    bytes: Vec<u8>,
    counts: Counts,
}

/// Flattens each table (from the inputs, else from the previous index), overlays them
/// with the lists, classifies every segment and encodes the result.
fn build(
    supplied: Supplied,
    previous: Option<&IpIntel>,
    lists: &[ListEntry],
    mut orgs: Interner<Box<str>>,
) -> Built {
    let mut old_orgs: Vec<Option<u32>> = Vec::new();
    let country4 = match supplied.country4 {
        Some((rows, _)) => paint(&rows, most_specific),
        None => previous.map_or_else(empty, |p| project_country(p, &p.index().v4)),
    };
    let country6 = match supplied.country6 {
        Some((rows, _)) => paint(&rows, most_specific),
        None => previous.map_or_else(empty, |p| project_country(p, &p.index().v6)),
    };
    let asn4 = match supplied.asn4 {
        Some((rows, _)) => paint(&rows, most_specific),
        None => previous.map_or_else(empty, |p| {
            project_asn(p, &p.index().v4, &mut orgs, &mut old_orgs)
        }),
    };
    let asn6 = match supplied.asn6 {
        Some((rows, _)) => paint(&rows, most_specific),
        None => previous.map_or_else(empty, |p| {
            project_asn(p, &p.index().v6, &mut orgs, &mut old_orgs)
        }),
    };
    let (listed4, listed6, listed_asns) = list_layers(lists);

    let mut records: Interner<RawRecord> = Interner::new();
    records.intern(RawRecord::EMPTY);
    // Many segments share an AS: classify each (AS, organisation) pair once.
    let mut cache: HashMap<(u32, Option<u32>), NetworkClass> = HashMap::new();
    let mut class_of = |network: Option<&AsnOrg>, listed: Option<&NetworkClass>| {
        let by_asn = network.and_then(|n| listed_asns.get(&n.asn));
        let best_list = [listed, by_asn]
            .into_iter()
            .flatten()
            .max_by_key(|c| c.list_rank());
        if let Some(class) = best_list {
            return *class;
        }
        let Some(network) = network else {
            return NetworkClass::Unknown;
        };
        *cache.entry((network.asn, network.org)).or_insert_with(|| {
            let name = network
                .org
                .and_then(|o| orgs.items.get(o as usize))
                .map(|n| &**n);
            classify_network(Some(network.asn), name)
        })
    };
    let v4 = overlay(&country4, &asn4, &listed4, &mut records, &mut class_of);
    let v6 = overlay(&country6, &asn6, &listed6, &mut records, &mut class_of);
    let bytes = encode(&IndexParts {
        records: &records.items,
        orgs: &orgs.items,
        v4: (&v4.0, &v4.1),
        v6: (&v6.0, &v6.1),
    });
    Built {
        bytes,
        counts: Counts {
            ipv4_ranges: v4.0.len() as u64,
            ipv6_ranges: v6.0.len() as u64,
            records: records.items.len() as u64,
            organisations: orgs.items.len() as u64,
        },
    }
}

/// Writes new list copies, then the index, then the manifest that makes them count,
/// then removes what the previous manifest named and this one does not.
fn write_data_set(
    dir: &Path,
    built: &Built,
    lists: Vec<ListEntry>,
    sources: Vec<SourceInfo>,
    now: Timestamp,
) -> Result<Manifest, IntelError> {
    fs::create_dir_all(dir.join(LISTS_DIR)).map_err(|source| IntelError::Write {
        path: dir.join(LISTS_DIR),
        source,
    })?;
    for entry in &lists {
        if let Some(bytes) = &entry.store {
            write_atomically(dir, &entry.info.file, bytes)?;
        }
    }
    let hash = blake3::hash(&built.bytes).to_hex().to_string();
    let index_file = format!("index-{}.bin", &hash[..16]);
    write_atomically(dir, &index_file, &built.bytes)?;
    let curated = curated();
    let manifest = Manifest {
        format: INDEX_FORMAT,
        built_at: now,
        index: IndexFile {
            file: index_file,
            bytes: built.bytes.len() as u64,
            blake3: hash,
        },
        counts: built.counts,
        sources,
        lists: lists.into_iter().map(|e| e.info).collect(),
        curated: CuratedInfo {
            asns: curated.asn_count() as u64,
            fragments: curated.fragment_count() as u64,
        },
    };
    manifest.write(dir)?;
    remove_stale_files(dir, &manifest);
    Ok(manifest)
}

fn source_infos(
    read: &InputRead,
    input: &Input,
    file_date: Option<String>,
    now: Timestamp,
) -> Vec<SourceInfo> {
    let t = &read.tables;
    let count = |rows: Option<usize>| rows.map(|n| n as u64);
    let datasets = [
        (
            Dataset::Country,
            count(t.country4.as_ref().map(Vec::len)),
            count(t.country6.as_ref().map(Vec::len)),
        ),
        (
            Dataset::Asn,
            count(t.asn4.as_ref().map(Vec::len)),
            count(t.asn6.as_ref().map(Vec::len)),
        ),
    ];
    let package = read.package.as_ref();
    let version = package.and_then(|p| p.version.clone());
    datasets
        .into_iter()
        .filter(|(_, v4, v6)| v4.is_some() || v6.is_some())
        .map(|(dataset, ipv4_rows, ipv6_rows)| SourceInfo {
            dataset,
            name: package
                .and_then(|p| p.name.clone())
                .unwrap_or_else(|| input.name.clone()),
            version: version.clone(),
            date: version
                .as_deref()
                .and_then(date_from_version)
                .or_else(|| file_date.clone()),
            licence: package
                .and_then(|p| p.license.clone())
                .unwrap_or_else(|| licence_by_name(&input.name, dataset).to_owned()),
            origin: input.origin.clone(),
            integrity: input.integrity.clone(),
            imported_at: now,
            ipv4_rows,
            ipv6_rows,
        })
        .collect()
}

/// ip-location-db's GitHub releases carry no package.json: recognise their file names.
fn licence_by_name(name: &str, dataset: Dataset) -> &'static str {
    match dataset {
        Dataset::Country if name.starts_with("geo-whois-asn-country") => COUNTRY_LICENCE,
        Dataset::Asn if name.starts_with("asn-") => ASN_LICENCE,
        _ => UNKNOWN_LICENCE,
    }
}

/// The lists to apply: those of the previous data set that are not replaced, then the
/// new ones (a new list replaces an old one of the same class and file name).
fn gather_lists(
    new: &[(NetworkClass, PathBuf)],
    previous: Option<&Manifest>,
    dir: &Path,
    now: Timestamp,
) -> Result<Vec<ListEntry>, IntelError> {
    let mut fresh: Vec<ListEntry> = Vec::new();
    for (class, path) in new {
        let display = path.display().to_string();
        let bytes = read_list(path, &display, MAX_LIST_BYTES)?;
        let data = parse_list(&bytes, &display)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| display.clone());
        let hash = blake3::hash(&bytes).to_hex();
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let info = ListInfo {
            class: *class,
            name,
            file: format!("{LISTS_DIR}/{class}-{}-{safe}", &hash.as_str()[..12]),
            origin: fs::canonicalize(path)
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string(),
            ranges: data.ranges() as u64,
            asns: data.asns.len() as u64,
            imported_at: now,
        };
        fresh.retain(|e| (e.info.class, &e.info.name) != (info.class, &info.name));
        fresh.push(ListEntry {
            info,
            data,
            store: Some(bytes),
        });
    }
    let mut out = Vec::new();
    for old in previous.map(|p| p.lists.as_slice()).unwrap_or_default() {
        if fresh
            .iter()
            .any(|e| (e.info.class, &e.info.name) == (old.class, &old.name))
        {
            continue;
        }
        let path = dir.join(&old.file);
        let bytes = read_list(&path, &path.display().to_string(), MAX_LIST_BYTES).map_err(|e| {
            IntelError::Usage(format!(
                "the stored copy of the {} list {} cannot be read ({e}): import it again with --list {} FILE",
                old.class, old.name, old.class
            ))
        })?;
        let data = parse_list(&bytes, &path.display().to_string())?;
        out.push(ListEntry {
            info: old.clone(),
            data,
            store: None,
        });
    }
    out.extend(fresh);
    Ok(out)
}

/// The largest list file read. A list is held in memory whole, and again as the copy
/// stored beside the index; real lists (Tor exits, VPN and hosting ranges) are at most
/// a few MiB, so a larger file is a mistake (a tarball or a disk image passed with
/// `--list`) that must not be allocated.
const MAX_LIST_BYTES: u64 = 256 << 20;

/// Reads a whole list file of at most `limit` bytes. The size is checked before reading
/// and the read is cut one byte past the limit, because a pipe or a device reports no
/// size, and a file may grow while it is read.
fn read_list(path: &Path, display: &str, limit: u64) -> Result<Vec<u8>, IntelError> {
    let read_error = |source| IntelError::Read {
        path: display.to_owned(),
        source,
    };
    let too_large = |size: &str| {
        IntelError::Usage(format!(
            "{display} is {size} bytes; a list may be at most {limit} bytes (one address, CIDR block or AS number per line)"
        ))
    };
    let file = fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    if size > limit {
        return Err(too_large(&size.to_string()));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&format!("more than {limit}")));
    }
    Ok(bytes)
}

/// The lists as one layer per family (overlaps resolved by class rank, then by later
/// list) and a map from AS number to its best-ranked listed class.
fn list_layers(
    lists: &[ListEntry],
) -> (
    Segments<u32, NetworkClass>,
    Segments<u128, NetworkClass>,
    HashMap<u32, NetworkClass>,
) {
    let mut v4 = Vec::new();
    let mut v6 = Vec::new();
    let mut asns: HashMap<u32, NetworkClass> = HashMap::new();
    for entry in lists {
        let class = entry.info.class;
        v4.extend(entry.data.v4.iter().map(|&(first, last)| Row {
            first,
            last,
            value: class,
        }));
        v6.extend(entry.data.v6.iter().map(|&(first, last)| Row {
            first,
            last,
            value: class,
        }));
        for &asn in &entry.data.asns {
            let slot = asns.entry(asn).or_insert(class);
            if class.list_rank() > slot.list_rank() {
                *slot = class;
            }
        }
    }
    (paint(&v4, by_rank), paint(&v6, by_rank), asns)
}

fn by_rank<A>(index: usize, row: &Row<A, NetworkClass>) -> (Option<u8>, usize) {
    (row.value.list_rank(), index)
}

fn empty<A: Addr, V>() -> Segments<A, V> {
    vec![(A::ZERO, None)]
}

/// Recovers a country layer from a built index.
fn project_country<A: Addr>(previous: &IpIntel, table: &Table<A>) -> Segments<A, Cc> {
    let records = &previous.index().records;
    project(table, |id| {
        records
            .get(id as usize)
            .map(|r| r.raw.country)
            .filter(|c| *c != [0, 0])
    })
}

/// Recovers an ASN layer from a built index, re-interning organisation names.
fn project_asn<A: Addr>(
    previous: &IpIntel,
    table: &Table<A>,
    orgs: &mut Interner<Box<str>>,
    old_to_new: &mut Vec<Option<u32>>,
) -> Segments<A, AsnOrg> {
    let index = previous.index();
    old_to_new.resize(index.org_count(), None);
    project(table, |id| {
        let raw = index.records.get(id as usize)?.raw;
        if raw.asn == 0 {
            return None;
        }
        let org = if raw.org == NO_ORG {
            None
        } else {
            let slot = old_to_new.get_mut(raw.org as usize)?;
            match slot {
                Some(new) => Some(*new),
                None => {
                    let new = orgs.intern(index.org(raw.org)?.into());
                    *slot = Some(new);
                    Some(new)
                }
            }
        };
        Some(AsnOrg { asn: raw.asn, org })
    })
}

fn project<A: Addr, V: PartialEq>(
    table: &Table<A>,
    mut value: impl FnMut(u32) -> Option<V>,
) -> Segments<A, V> {
    let mut out: Segments<A, V> = Vec::new();
    for (start, id) in table.segments() {
        let v = value(id);
        if out.last().map(|(_, last)| last) != Some(&v) {
            out.push((start, v));
        }
    }
    out
}

/// Overlays the three layers of one family into segments of record ids.
fn overlay<A: Addr>(
    country: &Segments<A, Cc>,
    asn: &Segments<A, AsnOrg>,
    listed: &Segments<A, NetworkClass>,
    records: &mut Interner<RawRecord>,
    class_of: &mut impl FnMut(Option<&AsnOrg>, Option<&NetworkClass>) -> NetworkClass,
) -> (Vec<A>, Vec<u32>) {
    let bounds = union_of_starts(&[&starts_of(country), &starts_of(asn), &starts_of(listed)]);
    let (mut c, mut a, mut l) = (Cursor::new(country), Cursor::new(asn), Cursor::new(listed));
    let mut out_starts = Vec::with_capacity(bounds.len());
    let mut out_ids: Vec<u32> = Vec::with_capacity(bounds.len());
    for bound in bounds {
        let network = a.value_at(bound);
        let record = RawRecord {
            country: c.value_at(bound).copied().unwrap_or([0, 0]),
            class: class_of(network, l.value_at(bound)).code(),
            asn: network.map_or(0, |n| n.asn),
            org: network.and_then(|n| n.org).unwrap_or(NO_ORG),
        };
        let id = records.intern(record);
        if out_ids.last() != Some(&id) {
            out_starts.push(bound);
            out_ids.push(id);
        }
    }
    (out_starts, out_ids)
}

fn starts_of<A: Addr, V>(segments: &Segments<A, V>) -> Vec<A> {
    segments.iter().map(|(start, _)| *start).collect()
}

/// Removes index files and list copies the new manifest no longer names. Failing to
/// remove one only wastes disk space, so errors are ignored.
fn remove_stale_files(dir: &Path, manifest: &Manifest) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("index-") && name.ends_with(".bin") && name != manifest.index.file {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    if let Ok(entries) = fs::read_dir(dir.join(LISTS_DIR)) {
        for entry in entries.flatten() {
            let file = format!("{LISTS_DIR}/{}", entry.file_name().to_string_lossy());
            if !manifest.lists.iter().any(|l| l.file == file) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_larger_than_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vpn.txt");
        fs::write(&path, "192.0.2.0/24\n198.51.100.7\n").unwrap();
        let display = path.display().to_string();
        assert_eq!(read_list(&path, &display, 100).unwrap().len(), 26);
        assert_eq!(read_list(&path, &display, 26).unwrap().len(), 26);
        let e = read_list(&path, &display, 25).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "{display} is 26 bytes; a list may be at most 25 bytes (one address, CIDR block or AS number per line)"
            )
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_input_that_reports_no_size_stops_past_the_limit() {
        // A device reports size 0; only the bounded read stops it.
        let e = read_list(Path::new("/dev/zero"), "/dev/zero", 1000)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/dev/zero is more than 1000 bytes;"), "{e}");
    }
}

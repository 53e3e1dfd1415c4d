//! The index file and the in-memory lookup structure.
//!
//! File layout (little-endian): magic `RFINTEL\0`, format `u32`, then five `u32` counts
//! (records, organisation-name bytes, organisations, IPv4 segments, IPv6 segments), the
//! records (12 bytes each: country 2, class 1, padding 1, ASN 4, organisation id 4), the
//! organisation offsets (`u32`, one more than there are names), the names as one UTF-8
//! string, then per family the segment starts followed by the segments' record ids.
//! Loading is a handful of bulk copies into `Vec`s; nothing is parsed as text.

use std::net::IpAddr;
use std::path::Path;

use redflag_model::CountryCode;

use crate::addr::Addr;
use crate::class::NetworkClass;
use crate::error::IntelError;
use crate::manifest::Manifest;

const MAGIC: &[u8; 8] = b"RFINTEL\0";
const HEADER: usize = 8 + 4 * 6;
const RECORD_BYTES: usize = 12;
/// An organisation id meaning "none".
pub(crate) const NO_ORG: u32 = u32::MAX;
const BUCKETS: usize = 1 << 16;

/// One distinct answer as stored: country bytes (`[0, 0]` for none), class code, ASN
/// (0 for none) and organisation id ([`NO_ORG`] for none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct RawRecord {
    pub country: [u8; 2],
    pub class: u8,
    pub asn: u32,
    pub org: u32,
}

impl RawRecord {
    pub(crate) const EMPTY: RawRecord = RawRecord {
        country: [0, 0],
        class: 0,
        asn: 0,
        org: NO_ORG,
    };
}

/// What the index file holds, ready to encode.
pub(crate) struct IndexParts<'a> {
    pub records: &'a [RawRecord],
    pub orgs: &'a [Box<str>],
    pub v4: (&'a [u32], &'a [u32]),
    pub v6: (&'a [u128], &'a [u32]),
}

pub(crate) fn encode(parts: &IndexParts<'_>) -> Vec<u8> {
    let org_bytes: usize = parts.orgs.iter().map(|o| o.len()).sum();
    let mut out = Vec::with_capacity(
        HEADER
            + parts.records.len() * RECORD_BYTES
            + (parts.orgs.len() + 1) * 4
            + org_bytes
            + parts.v4.0.len() * 8
            + parts.v6.0.len() * 20,
    );
    out.extend_from_slice(MAGIC);
    for n in [
        crate::manifest::INDEX_FORMAT as usize,
        parts.records.len(),
        org_bytes,
        parts.orgs.len(),
        parts.v4.0.len(),
        parts.v6.0.len(),
    ] {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    for r in parts.records {
        out.extend_from_slice(&r.country);
        out.push(r.class);
        out.push(0);
        out.extend_from_slice(&r.asn.to_le_bytes());
        out.extend_from_slice(&r.org.to_le_bytes());
    }
    let mut offset = 0u32;
    out.extend_from_slice(&offset.to_le_bytes());
    for org in parts.orgs {
        offset += org.len() as u32;
        out.extend_from_slice(&offset.to_le_bytes());
    }
    for org in parts.orgs {
        out.extend_from_slice(org.as_bytes());
    }
    put_family(&mut out, parts.v4.0, parts.v4.1);
    put_family(&mut out, parts.v6.0, parts.v6.1);
    out
}

fn put_family<A: Addr>(out: &mut Vec<u8>, starts: &[A], values: &[u32]) {
    for s in starts {
        s.put_le(out);
    }
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

/// Reads fixed-size pieces off the front of the file, refusing to run past its end.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.bytes.len() < n {
            return Err("the index file is truncated".into());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(<u32 as Addr>::read_le(self.take(4)?))
    }

    fn count(&mut self) -> Result<usize, String> {
        Ok(self.u32()? as usize)
    }

    fn addrs<A: Addr>(&mut self, n: usize) -> Result<Vec<A>, String> {
        let bytes = self.take(n.checked_mul(A::BYTES).ok_or("impossible segment count")?)?;
        Ok(bytes.chunks_exact(A::BYTES).map(A::read_le).collect())
    }
}

/// A decoded answer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record {
    pub raw: RawRecord,
    pub country: Option<CountryCode>,
    pub class: NetworkClass,
}

/// The segments of one family with a 65,536-bucket table on the top 16 bits in front,
/// so that a lookup binary-searches only the few segments of its bucket.
pub(crate) struct Table<A> {
    starts: Vec<A>,
    values: Vec<u32>,
    /// `buckets[b]` is the segment holding the first address of bucket `b`;
    /// `buckets[65536]` is the last segment.
    buckets: Vec<u32>,
}

impl<A: Addr> Table<A> {
    /// Checks that `starts` begins at zero and strictly increases, and that every value
    /// names one of `records` records.
    pub(crate) fn new(
        starts: Vec<A>,
        values: Vec<u32>,
        records: usize,
    ) -> Result<Table<A>, String> {
        if starts.first() != Some(&A::ZERO) || starts.len() != values.len() {
            return Err("a segment table does not start at address zero".into());
        }
        if starts.windows(2).any(|w| w[0] >= w[1]) {
            return Err("segments are out of order".into());
        }
        if values.iter().any(|&v| v as usize >= records) {
            return Err("a segment names a record that does not exist".into());
        }
        let mut buckets = Vec::with_capacity(BUCKETS + 1);
        for b in 0..BUCKETS {
            let first = A::bucket_start(b);
            buckets.push((starts.partition_point(|&s| s <= first) - 1) as u32);
        }
        buckets.push((starts.len() - 1) as u32);
        Ok(Table {
            starts,
            values,
            buckets,
        })
    }

    /// The record id of the segment holding `addr`.
    #[inline]
    pub(crate) fn find(&self, addr: A) -> u32 {
        let bucket = addr.top16();
        let (Some(&lo), Some(&hi)) = (self.buckets.get(bucket), self.buckets.get(bucket + 1))
        else {
            return 0;
        };
        let (lo, hi) = (lo as usize, hi as usize);
        let Some(slice) = self.starts.get(lo..=hi) else {
            return 0;
        };
        // starts[lo] <= addr by construction of the buckets, so the partition point is
        // at least 1.
        let at = lo + slice.partition_point(|&s| s <= addr).saturating_sub(1);
        self.values.get(at).copied().unwrap_or(0)
    }

    /// Segments as `(start, record id)`, in address order.
    pub(crate) fn segments(&self) -> impl Iterator<Item = (A, u32)> + '_ {
        self.starts.iter().copied().zip(self.values.iter().copied())
    }

    fn heap_bytes(&self) -> usize {
        self.starts.capacity() * A::BYTES + (self.values.capacity() + self.buckets.capacity()) * 4
    }
}

/// The decoded index, without its manifest.
pub(crate) struct Index {
    pub records: Vec<Record>,
    org_text: String,
    org_offsets: Vec<u32>,
    pub v4: Table<u32>,
    pub v6: Table<u128>,
}

impl Index {
    pub(crate) fn decode(bytes: &[u8]) -> Result<Index, String> {
        let mut r = Reader { bytes };
        if r.take(8)? != MAGIC {
            return Err("not a redflag IP index".into());
        }
        let format = r.u32()?;
        if format != crate::manifest::INDEX_FORMAT {
            return Err(format!(
                "index format {format}, expected {}",
                crate::manifest::INDEX_FORMAT
            ));
        }
        let (n_records, org_bytes, n_orgs, n_v4, n_v6) =
            (r.count()?, r.count()?, r.count()?, r.count()?, r.count()?);
        let mut records = Vec::with_capacity(n_records.min(bytes.len() / RECORD_BYTES));
        for chunk in r
            .take(
                n_records
                    .checked_mul(RECORD_BYTES)
                    .ok_or("impossible record count")?,
            )?
            .chunks_exact(RECORD_BYTES)
        {
            let raw = RawRecord {
                country: [chunk[0], chunk[1]],
                class: chunk[2],
                asn: <u32 as Addr>::read_le(&chunk[4..8]),
                org: <u32 as Addr>::read_le(&chunk[8..12]),
            };
            let class = NetworkClass::from_code(raw.class)
                .ok_or("a record has an unknown network class")?;
            if raw.org != NO_ORG && raw.org as usize >= n_orgs {
                return Err("a record names an organisation that does not exist".into());
            }
            let country = std::str::from_utf8(&raw.country)
                .ok()
                .and_then(|s| s.parse::<CountryCode>().ok());
            records.push(Record {
                raw,
                country,
                class,
            });
        }
        if records.is_empty() {
            return Err("the index has no records".into());
        }
        let org_offsets: Vec<u32> = r.addrs::<u32>(
            n_orgs
                .checked_add(1)
                .ok_or("impossible organisation count")?,
        )?;
        let org_text = String::from_utf8(r.take(org_bytes)?.to_vec())
            .map_err(|_| "organisation names are not UTF-8")?;
        let offsets_valid = org_offsets.first() == Some(&0)
            && org_offsets.last() == Some(&(org_bytes as u32))
            && org_offsets.windows(2).all(|w| w[0] <= w[1])
            && org_offsets
                .iter()
                .all(|&o| org_text.is_char_boundary(o as usize));
        if !offsets_valid {
            return Err("organisation name offsets are inconsistent".into());
        }
        let v4_starts = r.addrs::<u32>(n_v4)?;
        let v4_values = r.addrs::<u32>(n_v4)?;
        let v6_starts = r.addrs::<u128>(n_v6)?;
        let v6_values = r.addrs::<u32>(n_v6)?;
        if !r.bytes.is_empty() {
            return Err("the index file has trailing bytes".into());
        }
        Ok(Index {
            v4: Table::new(v4_starts, v4_values, records.len())?,
            v6: Table::new(v6_starts, v6_values, records.len())?,
            records,
            org_text,
            org_offsets,
        })
    }

    pub(crate) fn org(&self, id: u32) -> Option<&str> {
        let i = id as usize;
        let (start, end) = (*self.org_offsets.get(i)?, *self.org_offsets.get(i + 1)?);
        self.org_text.get(start as usize..end as usize)
    }

    pub(crate) fn org_count(&self) -> usize {
        self.org_offsets.len().saturating_sub(1)
    }

    fn record(&self, id: u32) -> Option<&Record> {
        self.records.get(id as usize)
    }

    fn heap_bytes(&self) -> usize {
        self.records.capacity() * std::mem::size_of::<Record>()
            + self.org_text.capacity()
            + self.org_offsets.capacity() * 4
            + self.v4.heap_bytes()
            + self.v6.heap_bytes()
    }
}

/// What is known about one address.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IpInfo<'a> {
    /// The country the address is registered in (whois-based, not GPS-precise).
    pub country: Option<CountryCode>,
    /// The autonomous system announcing it.
    pub asn: Option<u32>,
    /// The organisation behind that AS.
    pub organisation: Option<&'a str>,
    /// The kind of network.
    pub class: NetworkClass,
}

/// The loaded IP intelligence: answers lookups from memory. Cheap to share between
/// threads (`Send + Sync`, read-only).
pub struct IpIntel {
    manifest: Manifest,
    index: Index,
}

impl IpIntel {
    /// Loads the index of an intel folder (`<data_dir>/intel`). Fails with
    /// [`IntelError::NotLoaded`] until a manifest is there, and with
    /// [`IntelError::Corrupt`] when the index does not match it.
    pub fn load(dir: &Path) -> Result<IpIntel, IntelError> {
        let manifest = Manifest::read(dir)?;
        let corrupt = |message: String| IntelError::Corrupt {
            dir: dir.to_path_buf(),
            message,
        };
        let name = &manifest.index.file;
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(corrupt(format!(
                "the manifest names an invalid index file {name:?}"
            )));
        }
        let path = dir.join(name);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(corrupt(format!("the index file {name} is missing")));
            }
            Err(source) => {
                return Err(IntelError::Read {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        if bytes.len() as u64 != manifest.index.bytes
            || blake3::hash(&bytes).to_hex().as_str() != manifest.index.blake3
        {
            return Err(corrupt(format!(
                "the index file {name} does not match the manifest's checksum"
            )));
        }
        let index = Index::decode(&bytes).map_err(corrupt)?;
        Ok(IpIntel { manifest, index })
    }

    /// Country, ASN, organisation and class of `ip`. Addresses outside every known
    /// range get `None`s and [`NetworkClass::Unknown`]. IPv4-mapped IPv6 addresses
    /// (`::ffff:a.b.c.d`) are looked up as IPv4.
    #[inline]
    pub fn lookup(&self, ip: IpAddr) -> IpInfo<'_> {
        let id = match ip {
            IpAddr::V4(v4) => self.index.v4.find(u32::from(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => self.index.v4.find(u32::from(v4)),
                None => self.index.v6.find(u128::from(v6)),
            },
        };
        match self.index.record(id) {
            Some(r) => IpInfo {
                country: r.country,
                asn: (r.raw.asn != 0).then_some(r.raw.asn),
                organisation: if r.raw.org == NO_ORG {
                    None
                } else {
                    self.index.org(r.raw.org)
                },
                class: r.class,
            },
            None => IpInfo {
                country: None,
                asn: None,
                organisation: None,
                class: NetworkClass::Unknown,
            },
        }
    }

    /// What the index was built from.
    pub fn status(&self) -> &Manifest {
        &self.manifest
    }

    /// Bytes of memory the index holds (its vectors' capacity).
    pub fn memory_bytes(&self) -> usize {
        self.index.heap_bytes()
    }

    pub(crate) fn index(&self) -> &Index {
        &self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let records = [
            RawRecord::EMPTY,
            RawRecord {
                country: *b"US",
                class: NetworkClass::Residential.code(),
                asn: 7922,
                org: 0,
            },
            RawRecord {
                country: *b"KP",
                class: NetworkClass::Unknown.code(),
                asn: 131279,
                org: 1,
            },
        ];
        let orgs: Vec<Box<str>> = vec!["Comcast".into(), "Star Joint Venture Co. Ltd.".into()];
        encode(&IndexParts {
            records: &records,
            orgs: &orgs,
            v4: (&[0, 0x0100_0000, 0xaf2d_b000, 0xaf2d_b400], &[0, 1, 2, 0]),
            v6: (&[0, 0x2001u128 << 112], &[0, 1]),
        })
    }

    #[test]
    fn round_trip() {
        let index = Index::decode(&sample()).unwrap();
        assert_eq!(index.v4.find(0x0100_0005), 1);
        assert_eq!(index.v4.find(0xaf2d_b1ff), 2);
        assert_eq!(index.v4.find(0xaf2d_b400), 0);
        assert_eq!(index.v4.find(u32::MAX), 0);
        assert_eq!(index.v6.find(u128::MAX), 1);
        assert_eq!(index.org(1), Some("Star Joint Venture Co. Ltd."));
        assert_eq!(index.org(2), None);
        assert_eq!(index.records[2].country, Some(CountryCode::KP));
        assert_eq!(index.org_count(), 2);
    }

    #[test]
    fn damage_is_refused_not_panicked_on() {
        let good = sample();
        for cut in 0..good.len() {
            assert!(Index::decode(&good[..cut]).is_err(), "truncated at {cut}");
        }
        let mut bad = good.clone();
        bad.push(0);
        assert!(Index::decode(&bad).is_err());
        let mut bad = good.clone();
        bad[0] = b'X';
        assert!(Index::decode(&bad).is_err());
        // A record with class 9.
        let mut bad = good.clone();
        bad[HEADER + RECORD_BYTES + 2] = 9;
        assert!(
            Index::decode(&bad)
                .err()
                .is_some_and(|e| e.contains("class"))
        );
        // Counts claiming more than the file holds.
        let mut bad = good;
        bad[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Index::decode(&bad).is_err());
    }

    #[test]
    fn tables_check_their_invariants() {
        assert!(Table::<u32>::new(vec![1, 2], vec![0, 0], 1).is_err());
        assert!(Table::<u32>::new(vec![0, 5, 5], vec![0, 0, 0], 1).is_err());
        assert!(Table::<u32>::new(vec![0, 5], vec![0, 3], 1).is_err());
        assert!(Table::<u32>::new(vec![0], vec![0, 1], 2).is_err());
        let t = Table::<u32>::new(
            vec![0, 0x0001_0000, 0x0001_0001, 0xffff_ffff],
            vec![0, 1, 2, 3],
            4,
        )
        .unwrap();
        assert_eq!(
            [
                t.find(0),
                t.find(0x0001_0000),
                t.find(0x0001_0002),
                t.find(u32::MAX)
            ],
            [0, 1, 2, 3]
        );
        assert_eq!(t.find(0xffff_fffe), 2);
    }
}

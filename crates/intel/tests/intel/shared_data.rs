//! Tests on the real ip-location-db tarballs in `../shared/data/ip`: the index agrees
//! with the source CSVs, labels VPN exits as anonymisers, and loads fast and small.
//! The index is built once per test binary.

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use redflag_intel::{CountryCode, Dataset, IpIntel, NetworkClass, import};

use crate::common;

/// The least share of X4BNet's IPv6 VPN exit blocks to be labelled hosting or VPN with no
/// list loaded (93.0% of 498 blocks with the 2026-06-17 data; IPv4 is held to 0.8).
const IPV6_VPN_FLOOR: f64 = 0.85;

const ASN_TGZ: &str = "ip/ip-location-db-asn-2.3.2026061719.tgz";
const GEO_TGZ: &str = "ip/ip-location-db-geo-whois-asn-country-2.3.2026061719.tgz";

struct Built {
    _dir: tempfile::TempDir,
    intel: IpIntel,
    import_time: Duration,
    load_time: Duration,
}

/// The index built from the real tarballs, once per test binary; `None` when
/// `../shared/data` is absent, which each calling test reports as a skip (a failure
/// under `CI=true`).
fn built() -> Option<&'static Built> {
    static BUILT: OnceLock<Built> = OnceLock::new();
    let data = common::shared_data()?;
    Some(BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        import(
            &[data.join(ASN_TGZ), data.join(GEO_TGZ)],
            &[],
            dir.path(),
            &common::no_progress,
        )
        .unwrap();
        let import_time = started.elapsed();
        let started = Instant::now();
        let intel = IpIntel::load(dir.path()).unwrap();
        let load_time = started.elapsed();
        Built {
            _dir: dir,
            intel,
            import_time,
            load_time,
        }
    }))
}

/// A row of a source CSV, addresses as integers of either family.
struct SourceRow {
    first: u128,
    last: u128,
    value: Vec<String>,
}

/// Reads `package/<member>` of a tarball with the csv crate as an independent oracle
/// (the import reads the `-num` twin of each file, this reads the dotted one).
fn source_rows(tgz: &Path, member: &str) -> Vec<SourceRow> {
    let file = std::fs::File::open(tgz).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().to_string_lossy() != format!("package/{member}") {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let mut rows = Vec::new();
        for line in text.lines() {
            let fields = split_csv(line);
            let addr = |s: &str| -> u128 {
                match s.parse::<IpAddr>().unwrap() {
                    IpAddr::V4(v4) => u32::from(v4).into(),
                    IpAddr::V6(v6) => v6.into(),
                }
            };
            rows.push(SourceRow {
                first: addr(&fields[0]),
                last: addr(&fields[1]),
                value: fields[2..].to_vec(),
            });
        }
        return rows;
    }
    panic!("{member} is not in {}", tgz.display());
}

/// A second, deliberately naive CSV splitter for the oracle.
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

/// The answer the source gives for `addr`: of the rows containing it, the narrowest,
/// and of equally narrow ones the later.
struct Oracle {
    rows: Vec<SourceRow>,
    /// `max_last[i]`: the largest `last` among rows `0..=i` (rows are sorted by start).
    max_last: Vec<u128>,
}

impl Oracle {
    fn new(rows: Vec<SourceRow>) -> Oracle {
        assert!(
            rows.windows(2).all(|w| w[0].first <= w[1].first),
            "sources are sorted"
        );
        let mut max_last = Vec::with_capacity(rows.len());
        let mut m = 0;
        for r in &rows {
            m = m.max(r.last);
            max_last.push(m);
        }
        Oracle { rows, max_last }
    }

    fn answer(&self, addr: u128) -> Option<&[String]> {
        let mut best: Option<(u128, usize)> = None;
        let mut i = self.rows.partition_point(|r| r.first <= addr);
        while i > 0 && self.max_last[i - 1] >= addr {
            i -= 1;
            let r = &self.rows[i];
            if r.last >= addr {
                let span = r.last - r.first;
                if best.is_none_or(|(s, _)| span < s) {
                    best = Some((span, i));
                }
            }
        }
        best.map(|(_, i)| self.rows[i].value.as_slice())
    }
}

fn to_ip(addr: u128, v6: bool) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::from(addr))
    } else {
        IpAddr::V4(Ipv4Addr::from(addr as u32))
    }
}

#[test]
fn lookups_agree_with_the_source_csvs_on_10000_random_addresses() {
    let Some(built) = built() else { return };
    let data = common::shared_data().unwrap();
    let families = [(false, "ipv4"), (true, "ipv6")];
    let mut rng = ChaCha8Rng::seed_from_u64(20260617);
    let mut checked = 0;
    for (v6, family) in families {
        let country = Oracle::new(source_rows(
            &data.join(GEO_TGZ),
            &format!("geo-whois-asn-country-{family}.csv"),
        ));
        let asn = Oracle::new(source_rows(
            &data.join(ASN_TGZ),
            &format!("asn-{family}.csv"),
        ));
        // Half the samples start from a country row, half from an ASN row, so both
        // tables' ranges are exercised whatever their sizes.
        for oracle in [&country, &asn] {
            for _ in 0..2500 {
                let row = &oracle.rows[rng.gen_range(0..oracle.rows.len())];
                let addr = rng.gen_range(row.first..=row.last);
                let ip = to_ip(addr, v6);
                let info = built.intel.lookup(ip);
                let want_country = country
                    .answer(addr)
                    .and_then(|v| v[0].parse::<CountryCode>().ok());
                assert_eq!(info.country, want_country, "country of {ip}");
                let want_asn = asn.answer(addr);
                assert_eq!(
                    info.asn,
                    want_asn.map(|v| v[0].parse::<u32>().unwrap()),
                    "ASN of {ip}"
                );
                // The import trims the spaces some names carry at their ends.
                assert_eq!(
                    info.organisation,
                    want_asn.map(|v| v[1].trim()),
                    "organisation of {ip}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 10_000);
}

/// Exit addresses of commercial VPNs (X4BNet's list), one random address from every
/// CIDR block, looked up with only the curated list and heuristics (no list loaded).
fn vpn_fraction(file: &str, v6: bool) -> Option<(f64, usize)> {
    let built = built()?;
    let data = common::shared_data()?;
    let text = std::fs::read_to_string(data.join("ip/x4bnet").join(file)).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(80);
    let (mut anonymiser, mut total) = (0usize, 0usize);
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (addr, prefix) = line
            .split_once('/')
            .unwrap_or((line, if v6 { "128" } else { "32" }));
        let prefix: u32 = prefix.parse().unwrap();
        let (first, bits) = match addr.parse::<IpAddr>().unwrap() {
            IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
            IpAddr::V6(a) => (u128::from(a), 128),
        };
        let host = (1u128 << (bits - prefix).min(127)) - 1;
        let sample = first + (rng.r#gen::<u128>() & host);
        total += 1;
        if built.intel.lookup(to_ip(sample, v6)).class.is_anonymiser() {
            anonymiser += 1;
        }
    }
    Some((anonymiser as f64 / total as f64, total))
}

#[test]
fn vpn_exits_are_labelled_hosting_or_vpn_without_any_list() {
    let Some((fraction, total)) = vpn_fraction("output_vpn_ipv4.txt", false) else {
        return;
    };
    println!(
        "VPN exit labelling (IPv4): {:.1}% of {total} CIDR blocks",
        fraction * 100.0
    );
    assert!(fraction >= 0.8, "{fraction} of {total}");
}

#[test]
fn ipv6_vpn_exits_are_labelled_hosting_or_vpn_without_any_list() {
    let Some((fraction, total)) = vpn_fraction("output_vpn_ipv6.txt", true) else {
        return;
    };
    println!(
        "VPN exit labelling (IPv6): {:.1}% of {total} CIDR blocks",
        fraction * 100.0
    );
    assert!(total >= 100, "{total} IPv6 CIDR blocks");
    assert!(fraction >= IPV6_VPN_FLOOR, "{fraction} of {total}");
}

#[test]
fn the_dprk_allocation_and_well_known_networks_look_right() {
    let Some(built) = built() else { return };
    let info = built.intel.lookup("175.45.177.10".parse().unwrap());
    assert_eq!(
        (info.country, info.asn),
        (Some(CountryCode::KP), Some(131279))
    );
    assert!(redflag_intel::dprk_range("175.45.177.10".parse().unwrap()).is_some());
    let cloudflare = built.intel.lookup("1.1.1.1".parse().unwrap());
    assert_eq!(
        (cloudflare.asn, cloudflare.class),
        (Some(13335), NetworkClass::Hosting)
    );
    let google_v6 = built.intel.lookup("2001:4860:4860::8888".parse().unwrap());
    assert_eq!(
        (google_v6.asn, google_v6.class),
        (Some(15169), NetworkClass::Hosting)
    );
}

#[test]
fn the_manifest_records_sources_and_the_index_is_small() {
    let Some(built) = built() else { return };
    let m = built.intel.status();
    let asn = m
        .sources
        .iter()
        .find(|s| s.dataset == Dataset::Asn)
        .unwrap();
    assert_eq!(asn.name, "@ip-location-db/asn");
    assert_eq!(asn.date.as_deref(), Some("2026-06-17"));
    assert!(asn.licence.contains("CC-BY-4.0"));
    assert!(asn.ipv4_rows.unwrap() > 400_000 && asn.ipv6_rows.unwrap() > 100_000);
    let geo = m
        .sources
        .iter()
        .find(|s| s.dataset == Dataset::Country)
        .unwrap();
    assert_eq!(geo.licence, "CC0-1.0");
    let memory = built.intel.memory_bytes();
    println!(
        "import {:.1?}, load {:.1?} (debug build), index file {:.1} MB, in memory {:.1} MB, {} IPv4 / {} IPv6 segments",
        built.import_time,
        built.load_time,
        m.index.bytes as f64 / 1e6,
        memory as f64 / 1e6,
        m.counts.ipv4_ranges,
        m.counts.ipv6_ranges
    );
    assert!(memory < 100 << 20, "{memory}");
}

fn any_ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<u32>().prop_map(|a| IpAddr::V4(Ipv4Addr::from(a))),
        any::<u128>().prop_map(|a| IpAddr::V6(Ipv6Addr::from(a))),
        any::<u32>().prop_map(|a| IpAddr::V6(Ipv4Addr::from(a).to_ipv6_mapped())),
    ]
}

#[test]
fn any_address_gets_a_consistent_answer() {
    let Some(built) = built() else { return };
    proptest!(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() }, |(ip in any_ip())| {
        let info = built.intel.lookup(ip);
        if info.asn.is_none() {
            prop_assert!(info.organisation.is_none());
        }
        if let Some(v4) = match ip { IpAddr::V6(v6) => v6.to_ipv4_mapped(), IpAddr::V4(_) => None } {
            prop_assert_eq!(info, built.intel.lookup(IpAddr::V4(v4)));
        }
    });
}

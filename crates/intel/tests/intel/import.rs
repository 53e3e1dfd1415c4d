//! Importing small hand-made data sets: formats, precedence of lists, what is kept
//! between imports, and the order in which files appear on disk.

use std::path::{Path, PathBuf};

use crate::common::{ip, no_progress, package_json, tarball, write};
use redflag_intel::{CountryCode, Dataset, IntelError, IpIntel, NetworkClass, import};

const COUNTRY4: &str = "1.0.0.0,1.0.0.255,AU\n3.0.0.0,3.255.255.255,US\n3.5.0.0,3.5.0.255,DE\n175.45.176.0,175.45.179.255,KP\n";
// Integers: 3.0.0.0/8 is AWS (AS16509, curated hosting); 24.0.0.0/16 Comcast.
const ASN4_NUM: &str = "50331648,67108863,16509,\"Amazon.com, Inc.\"\n402653184,402718719,7922,\"Comcast Cable Communications, LLC\"\n2939006976,2939007999,131279,Star Joint Venture Co. Ltd.\n";
const COUNTRY6: &str = "2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP\n2a01:4f8::,2a01:4f8:ffff:ffff:ffff:ffff:ffff:ffff,DE\n";
const ASN6: &str = "2a01:4f8::,2a01:4f8:ffff:ffff:ffff:ffff:ffff:ffff,24940,Hetzner Online GmbH\n2001:200::,2001:200:dff:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project\n";

fn csv_files(dir: &Path) -> Vec<PathBuf> {
    vec![
        write(dir, "geo-whois-asn-country-ipv4.csv", COUNTRY4),
        write(dir, "asn-ipv4-num.csv", ASN4_NUM),
        write(dir, "geo-whois-asn-country-ipv6.csv", COUNTRY6),
        write(dir, "asn-ipv6.csv", ASN6),
    ]
}

fn cc(s: &str) -> Option<CountryCode> {
    s.parse().ok()
}

#[test]
fn plain_csv_files_of_both_families_are_imported_and_looked_up() {
    let src = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let manifest = import(&csv_files(src.path()), &[], dir.path(), &no_progress).unwrap();
    assert_eq!(manifest.sources.len(), 4);
    let asn = manifest
        .sources
        .iter()
        .find(|s| s.name == "asn-ipv4-num.csv")
        .unwrap();
    assert_eq!(
        (asn.dataset, asn.ipv4_rows, asn.ipv6_rows),
        (Dataset::Asn, Some(3), None)
    );
    assert!(asn.licence.starts_with("CC-BY-4.0"));
    assert!(asn.date.as_deref().is_some_and(|d| d.len() == 10));
    let country = manifest
        .sources
        .iter()
        .find(|s| s.name == "geo-whois-asn-country-ipv6.csv")
        .unwrap();
    assert_eq!(country.licence, "CC0-1.0");

    let intel = IpIntel::load(dir.path()).unwrap();
    let info = intel.lookup(ip("3.5.0.9"));
    assert_eq!(info.country, cc("DE"), "the narrower range wins");
    assert_eq!(
        (info.asn, info.organisation),
        (Some(16509), Some("Amazon.com, Inc."))
    );
    assert_eq!(info.class, NetworkClass::Hosting);
    let home = intel.lookup(ip("24.0.3.4"));
    assert_eq!(
        (home.country, home.asn, home.class),
        (None, Some(7922), NetworkClass::Residential)
    );
    let kp = intel.lookup(ip("175.45.178.1"));
    assert_eq!((kp.country, kp.asn), (Some(CountryCode::KP), Some(131279)));
    assert_eq!(
        intel.lookup(ip("::ffff:3.1.2.3")).asn,
        Some(16509),
        "IPv4-mapped"
    );

    let v6 = intel.lookup(ip("2a01:4f8:10a::1"));
    assert_eq!(
        (v6.country, v6.asn, v6.organisation),
        (cc("DE"), Some(24940), Some("Hetzner Online GmbH"))
    );
    assert_eq!(v6.class, NetworkClass::Hosting);
    let wide = intel.lookup(ip("2001:200:e00::1"));
    assert_eq!(
        (wide.country, wide.asn),
        (cc("JP"), None),
        "past the end of the ASN range"
    );
    for nowhere in ["0.0.0.0", "255.255.255.255", "::", "ffff::1", "9.9.9.9"] {
        let info = intel.lookup(ip(nowhere));
        assert_eq!(
            (info.country, info.asn, info.organisation, info.class),
            (None, None, None, NetworkClass::Unknown)
        );
    }
    assert_eq!(intel.status(), &manifest);
}

#[test]
fn npm_tarballs_are_recognised_by_content_and_described_by_package_json() {
    let src = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let asn = tarball(&[
        ("asn-ipv4-num.csv", ASN4_NUM),
        // The dotted twin of the table above: only the first of each pair is read, so
        // this deliberately different row must not appear.
        ("asn-ipv4.csv", "9.9.9.0,9.9.9.255,19281,Quad9\n"),
        ("asn-ipv6.csv", ASN6),
        ("README.md", "# readme"),
        (
            "package.json",
            &package_json("@ip-location-db/asn", "2.3.2026061719", "CC-BY-4.0"),
        ),
    ]);
    let geo = tarball(&[
        ("geo-whois-asn-country-ipv4.csv", COUNTRY4),
        (
            "geo-whois-asn-country-ipv6-num.csv",
            "42540488161975842760550356425300246528,42540488241204005274814694018844196863,NL\n",
        ),
        (
            "package.json",
            &package_json(
                "@ip-location-db/geo-whois-asn-country",
                "2.3.2026061719",
                "CC0-1.0",
            ),
        ),
    ]);
    // Names that say nothing: the content decides.
    let asn_path = src.path().join("download-1");
    let geo_path = src.path().join("download-2");
    std::fs::write(&asn_path, asn).unwrap();
    std::fs::write(&geo_path, geo).unwrap();
    let calls = std::cell::Cell::new((0u64, 0u64));
    let manifest = import(&[asn_path, geo_path], &[], dir.path(), &|done, total| {
        calls.set((done, total))
    })
    .unwrap();
    let (done, total) = calls.get();
    assert!(done == total && total > 0);
    let asn = manifest
        .sources
        .iter()
        .find(|s| s.dataset == Dataset::Asn)
        .unwrap();
    assert_eq!(asn.name, "@ip-location-db/asn");
    assert_eq!(asn.version.as_deref(), Some("2.3.2026061719"));
    assert_eq!(asn.date.as_deref(), Some("2026-06-17"));
    assert_eq!((asn.ipv4_rows, asn.ipv6_rows), (Some(3), Some(2)));
    let intel = IpIntel::load(dir.path()).unwrap();
    assert_eq!(intel.lookup(ip("9.9.9.9")).asn, None);
    assert_eq!(intel.lookup(ip("2001::1")).country, cc("NL"));
}

#[test]
fn user_lists_outrank_the_curated_list_and_each_other() {
    let src = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let hosting = write(src.path(), "hosting.txt", "24.0.0.0/16\n");
    let vpn = write(
        src.path(),
        "vpn.txt",
        "# exits\n3.1.0.0/24\n24.0.5.0/24\n2a01:4f8:1::/48\n",
    );
    let tor = write(src.path(), "tor.txt", "24.0.5.5\nAS131279 # pretend\n");
    let lists = vec![
        (NetworkClass::Vpn, vpn),
        (NetworkClass::Tor, tor),
        (NetworkClass::Hosting, hosting),
    ];
    let manifest = import(&csv_files(src.path()), &lists, dir.path(), &no_progress).unwrap();
    assert_eq!(manifest.lists.len(), 3);
    let intel = IpIntel::load(dir.path()).unwrap();
    let class = |s: &str| intel.lookup(ip(s)).class;
    assert_eq!(
        class("3.1.0.7"),
        NetworkClass::Vpn,
        "a user list beats curated hosting"
    );
    assert_eq!(
        class("3.1.1.7"),
        NetworkClass::Hosting,
        "curated outside the list"
    );
    assert_eq!(
        class("24.0.1.1"),
        NetworkClass::Hosting,
        "a hosting list beats curated residential"
    );
    assert_eq!(class("24.0.5.1"), NetworkClass::Vpn, "vpn beats hosting");
    assert_eq!(class("24.0.5.5"), NetworkClass::Tor, "tor beats vpn");
    assert_eq!(
        class("175.45.177.1"),
        NetworkClass::Tor,
        "an AS line applies to all its ranges"
    );
    assert_eq!(class("2a01:4f8:1::9"), NetworkClass::Vpn);
    assert_eq!(class("2a01:4f8:2::9"), NetworkClass::Hosting);
    assert_eq!(class("99.0.0.1"), NetworkClass::Unknown);
    // The ASN and organisation still come from the data.
    assert_eq!(intel.lookup(ip("3.1.0.7")).asn, Some(16509));
}

#[test]
fn lists_are_kept_across_imports_and_replaced_by_name() {
    let src = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    import(&csv_files(src.path()), &[], dir.path(), &no_progress).unwrap();
    let list = write(src.path(), "exits.txt", "3.1.0.0/24\n");
    let m = import(
        &[],
        &[(NetworkClass::Vpn, list.clone())],
        dir.path(),
        &no_progress,
    )
    .unwrap();
    assert_eq!(m.sources.len(), 4, "a list-only import keeps the data");
    assert_eq!((m.lists.len(), m.lists[0].ranges), (1, 1));
    assert!(dir.path().join(&m.lists[0].file).is_file());

    // A new data import keeps the list.
    import(&csv_files(src.path()), &[], dir.path(), &no_progress).unwrap();
    let intel = IpIntel::load(dir.path()).unwrap();
    assert_eq!(intel.lookup(ip("3.1.0.1")).class, NetworkClass::Vpn);
    assert_eq!(intel.status().lists.len(), 1);

    // Same class and file name: the new content replaces the old list.
    std::fs::write(&list, "3.2.0.0/24\n").unwrap();
    let m = import(&[], &[(NetworkClass::Vpn, list)], dir.path(), &no_progress).unwrap();
    assert_eq!(m.lists.len(), 1);
    let intel = IpIntel::load(dir.path()).unwrap();
    assert_eq!(intel.lookup(ip("3.1.0.1")).class, NetworkClass::Hosting);
    assert_eq!(intel.lookup(ip("3.2.0.1")).class, NetworkClass::Vpn);
    let stored: Vec<_> = std::fs::read_dir(dir.path().join("lists"))
        .unwrap()
        .collect();
    assert_eq!(stored.len(), 1, "the replaced copy is removed");
}

#[test]
fn a_table_not_supplied_keeps_its_previous_data() {
    let src = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = csv_files(src.path());
    import(&files[0..1], &[], dir.path(), &no_progress).unwrap();
    let m = import(&files[1..], &[], dir.path(), &no_progress).unwrap();
    let names: Vec<&str> = m.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    let intel = IpIntel::load(dir.path()).unwrap();
    let info = intel.lookup(ip("3.5.0.1"));
    assert_eq!((info.country, info.asn), (cc("DE"), Some(16509)));
    // A newer country file for IPv4 replaces the old one; the kept ASN data stays.
    let newer = write(
        src.path(),
        "geo-whois-asn-country-ipv4.csv",
        "3.0.0.0,3.255.255.255,CA\n",
    );
    let m = import(&[newer], &[], dir.path(), &no_progress).unwrap();
    assert_eq!(m.sources.len(), 4);
    let intel = IpIntel::load(dir.path()).unwrap();
    let info = intel.lookup(ip("3.5.0.1"));
    assert_eq!(
        (info.country, info.asn, info.organisation),
        (cc("CA"), Some(16509), Some("Amazon.com, Inc."))
    );
    assert_eq!(intel.lookup(ip("2a01:4f8::1")).asn, Some(24940));
}

#[test]
fn the_manifest_is_what_makes_data_count_and_it_comes_last() {
    let src = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        IpIntel::load(dir.path()),
        Err(IntelError::NotLoaded { .. })
    ));
    let m = import(&csv_files(src.path()), &[], dir.path(), &no_progress).unwrap();
    let index = dir.path().join(&m.index.file);
    assert!(index.is_file());
    assert_eq!(std::fs::metadata(&index).unwrap().len(), m.index.bytes);

    // An index without its manifest (an import stopped before the end) is not data.
    std::fs::rename(
        dir.path().join("manifest.json"),
        src.path().join("saved.json"),
    )
    .unwrap();
    let err = IpIntel::load(dir.path()).err().unwrap();
    assert!(matches!(err, IntelError::NotLoaded { .. }));
    assert!(err.to_string().contains("redflag intel update"), "{err}");
    std::fs::rename(
        src.path().join("saved.json"),
        dir.path().join("manifest.json"),
    )
    .unwrap();
    IpIntel::load(dir.path()).unwrap();

    // A failed import changes nothing.
    let bad = write(
        src.path(),
        "asn-ipv4.csv",
        "1.0.0.0,1.0.0.255,13335,Cloudflare\n1.0.1.0,1.0.0.255,13335,X\n",
    );
    let err = import(&[bad], &[], dir.path(), &no_progress).err().unwrap();
    assert!(err.to_string().contains("asn-ipv4.csv, line 2:"), "{err}");
    assert_eq!(IpIntel::load(dir.path()).unwrap().status(), &m);

    // A damaged index is refused with advice.
    std::fs::write(&index, b"RFINTEL\0garbage").unwrap();
    let err = IpIntel::load(dir.path()).err().unwrap();
    assert!(matches!(err, IntelError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("import"), "{err}");
    // A complete new import repairs it.
    import(&csv_files(src.path()), &[], dir.path(), &no_progress).unwrap();
    IpIntel::load(dir.path()).unwrap();
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.starts_with("index-"))
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "one index, no temporary files: {leftovers:?}"
    );
}

#[test]
fn mistakes_are_explained() {
    let src = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = csv_files(src.path());
    let msg = |r: Result<_, IntelError>| r.err().unwrap().to_string();

    assert!(msg(import(&[], &[], dir.path(), &no_progress)).contains("nothing to import"));
    let list = write(src.path(), "l.txt", "1.2.3.4\n");
    assert!(
        msg(import(
            &[],
            &[(NetworkClass::Mobile, list)],
            dir.path(),
            &no_progress
        ))
        .contains("tor, vpn or hosting")
    );
    let twice = msg(import(
        &[files[1].clone(), files[1].clone()],
        &[],
        dir.path(),
        &no_progress,
    ));
    assert!(twice.contains("both hold ASN data for IPv4"), "{twice}");
    let x4b = write(src.path(), "ASN.txt", "AS9009 # M247\n");
    let not_data = msg(import(&[x4b], &[], dir.path(), &no_progress));
    assert!(not_data.contains("--list"), "{not_data}");
    let missing = msg(import(
        &[src.path().join("nope.csv")],
        &[],
        dir.path(),
        &no_progress,
    ));
    assert!(missing.contains("nope.csv"), "{missing}");
    let bad_list = write(src.path(), "bad.txt", "1.2.3.4\n\nvpn.example.com\n");
    let err = msg(import(
        &files,
        &[(NetworkClass::Vpn, bad_list)],
        dir.path(),
        &no_progress,
    ));
    assert!(err.contains("bad.txt, line 3:"), "{err}");
    assert!(matches!(
        IpIntel::load(dir.path()),
        Err(IntelError::NotLoaded { .. })
    ));
}

#[test]
fn lists_survive_a_damaged_index_and_a_lost_copy_is_explained() {
    let src = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let list = write(src.path(), "exits.txt", "3.1.0.0/24\n");
    let m = import(
        &csv_files(src.path()),
        &[(NetworkClass::Vpn, list)],
        dir.path(),
        &no_progress,
    )
    .unwrap();
    std::fs::write(dir.path().join(&m.index.file), b"damaged").unwrap();
    let m = import(&csv_files(src.path()), &[], dir.path(), &no_progress).unwrap();
    assert_eq!(m.lists.len(), 1);
    assert_eq!(
        IpIntel::load(dir.path())
            .unwrap()
            .lookup(ip("3.1.0.1"))
            .class,
        NetworkClass::Vpn
    );

    std::fs::remove_file(dir.path().join(&m.lists[0].file)).unwrap();
    let err = import(&csv_files(src.path()), &[], dir.path(), &no_progress)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("exits.txt") && err.contains("--list vpn FILE"),
        "{err}"
    );
}

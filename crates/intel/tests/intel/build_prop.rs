//! Property tests of a whole build: arbitrary (nested, overlapping, adjacent) source rows
//! go through import, the written index loads (loading refuses unsorted or overlapping
//! segments), and every address, of either family, gets the narrowest source row's answer.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use redflag_intel::{IpIntel, NetworkClass, import};

use crate::common;

#[derive(Debug, Clone)]
struct SourceRow {
    first: u32,
    last: u32,
    asn: u32,
}

fn rows() -> impl Strategy<Value = Vec<SourceRow>> {
    // Small offsets around a few bases so that rows collide often; one base at the top
    // of the space to exercise its edge.
    let base = prop_oneof![Just(0u32), Just(0x0a00_0000), Just(0xffff_fc00)];
    prop::collection::vec((base, 0u32..600, 0u32..200, 1u32..5), 1..30).prop_map(|v| {
        v.into_iter()
            .map(|(base, off, len, asn)| {
                let first = base.saturating_add(off);
                SourceRow {
                    first,
                    last: first.saturating_add(len),
                    asn,
                }
            })
            .collect()
    })
}

/// The narrowest row holding `addr`; of two alike, the one later in the file.
fn expected<'a>(file_order: impl Iterator<Item = &'a SourceRow>, addr: u32) -> Option<u32> {
    file_order
        .enumerate()
        .filter(|(_, r)| r.first <= addr && addr <= r.last)
        .min_by_key(|(i, r)| (r.last - r.first, std::cmp::Reverse(*i)))
        .map(|(_, r)| r.asn)
}

/// [`expected`] for the IPv6 table, whose rows span `first << 96 ..= last << 96 | 0xffff`
/// in file order.
fn expected_v6(rows: &[SourceRow], addr: u128) -> Option<u32> {
    rows.iter()
        .enumerate()
        .filter(|(_, r)| {
            u128::from(r.first) << 96 <= addr && addr <= (u128::from(r.last) << 96 | 0xffff)
        })
        .min_by_key(|(i, r)| (r.last - r.first, std::cmp::Reverse(*i)))
        .map(|(_, r)| r.asn)
}

fn any_ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<u32>().prop_map(|a| IpAddr::V4(Ipv4Addr::from(a))),
        any::<u128>().prop_map(|a| IpAddr::V6(Ipv6Addr::from(a))),
        // Near the rows' bases, so that arbitrary addresses land inside rows too.
        (
            prop_oneof![Just(0u128), Just(0x0a00_0000), Just(0xffff_fc00)],
            0u128..800,
            any::<u128>()
        )
            .prop_map(|(base, off, low)| IpAddr::V6(Ipv6Addr::from(
                (base + off).min(u32::MAX.into()) << 96 | low >> 32
            ))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_built_index_answers_like_its_sources(
        rows in rows(),
        v6_rows in rows(),
        probes in prop::collection::vec(any::<u32>(), 40),
        ips in prop::collection::vec(any_ip(), 40),
    ) {
        let src = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        // Sources may list rows in any order: shuffle by writing them reversed.
        let v4: String = rows.iter().rev().map(|r| format!("{},{},{},Org {}\n", r.first, r.last, r.asn, r.asn)).collect();
        let v6: String = v6_rows
            .iter()
            .map(|r| format!("{},{},{},Org {}\n", Ipv6Addr::from(u128::from(r.first) << 96), Ipv6Addr::from(u128::from(r.last) << 96 | 0xffff), r.asn, r.asn))
            .collect();
        let files = [common::write(src.path(), "asn-ipv4-num.csv", &v4), common::write(src.path(), "asn-ipv6.csv", &v6)];
        let list = common::write(src.path(), "vpn.txt", "10.0.1.0/24\n");
        import(&files, &[(NetworkClass::Vpn, list)], dir.path(), &common::no_progress).unwrap();
        let intel = IpIntel::load(dir.path()).unwrap();

        let edges = rows.iter().flat_map(|r| [r.first, r.last, r.last.saturating_add(1), r.first.saturating_sub(1)]);
        for addr in probes.into_iter().chain(edges) {
            let info = intel.lookup(IpAddr::V4(Ipv4Addr::from(addr)));
            prop_assert_eq!(info.asn, expected(rows.iter().rev(), addr), "at {}", Ipv4Addr::from(addr));
            let want_org = info.asn.map(|a| format!("Org {a}"));
            prop_assert_eq!(info.organisation, want_org.as_deref());
            if (0x0a00_0100..=0x0a00_01ff).contains(&addr) {
                prop_assert_eq!(info.class, NetworkClass::Vpn);
            }
        }
        for r in &v6_rows {
            let at = IpAddr::V6(Ipv6Addr::from(u128::from(r.first) << 96 | 7));
            prop_assert_eq!(intel.lookup(at).asn, expected(v6_rows.iter(), r.first));
        }
        // Arbitrary addresses of both families: most fall outside every row, and those
        // must get no answer rather than a neighbour's.
        for ip in ips {
            let want = match ip {
                IpAddr::V4(v4) => expected(rows.iter().rev(), u32::from(v4)),
                IpAddr::V6(v6) => expected_v6(&v6_rows, u128::from(v6)),
            };
            let info = intel.lookup(ip);
            prop_assert_eq!(info.asn, want, "at {}", ip);
            let want_org = want.map(|a| format!("Org {a}"));
            prop_assert_eq!(info.organisation, want_org.as_deref());
        }
    }
}

//! The DPRK address space, compiled in so that it answers with no data loaded at all.

use std::net::IpAddr;

/// How an address range is tied to the DPRK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DprkLink {
    /// Allocated to the DPRK's own Internet provider and announced by it today.
    Allocated,
    /// Documented as used by the DPRK in the past but announced by another network
    /// today: a lead to check, since the address may now belong to someone unrelated.
    Historical,
}

/// One publicly documented DPRK-linked IPv4 range.
#[derive(Debug, PartialEq, Eq)]
pub struct DprkRange {
    /// Who the range belongs or belonged to.
    pub name: &'static str,
    /// The range in CIDR notation.
    pub cidr: &'static str,
    /// Where the link is documented, in one line.
    pub note: &'static str,
    /// Whether the link is current or historical.
    pub link: DprkLink,
    first: u32,
    last: u32,
}

const fn range(
    name: &'static str,
    cidr: &'static str,
    octets: [u8; 4],
    prefix: u32,
    link: DprkLink,
    note: &'static str,
) -> DprkRange {
    let first = u32::from_be_bytes(octets);
    let last = first | (u32::MAX >> prefix);
    DprkRange {
        name,
        cidr,
        note,
        link,
        first,
        last,
    }
}

/// The ranges, most certain first.
static RANGES: [DprkRange; 3] = [
    range(
        "Star Joint Venture Co. (Ryugyong), AS131279",
        "175.45.176.0/22",
        [175, 45, 176, 0],
        22,
        DprkLink::Allocated,
        "APNIC allocation to Star JV, the DPRK's sole Internet provider, announced only by AS131279 (APNIC WHOIS; Dyn Research 2017; Team Cymru 2022)",
    ),
    range(
        "China Unicom (ex China Netcom) block used by the DPRK",
        "210.52.109.0/24",
        [210, 52, 109, 0],
        24,
        DprkLink::Historical,
        "Assigned for DPRK government use before Star JV took over in 2009 (Wikipedia, Internet in North Korea); today inside China Unicom AS9929's aggregate",
    ),
    range(
        "SatGate satellite link used by the DPRK",
        "77.94.35.0/24",
        [77, 94, 35, 0],
        24,
        DprkLink::Historical,
        "The DPRK's satellite link via SatGate before 2010 (Wikipedia, Internet in North Korea); the 2026 ASN data shows it announced by Arcus Novus UAB, Lithuania",
    ),
];

/// Every built-in DPRK-linked range.
pub fn dprk_ranges() -> &'static [DprkRange] {
    &RANGES
}

/// The DPRK-linked range holding `ip`, if any. IPv4-mapped IPv6 addresses
/// (`::ffff:175.45.176.1`) are treated as the IPv4 address they carry.
pub fn dprk_range(ip: IpAddr) -> Option<&'static DprkRange> {
    let v4 = match ip {
        IpAddr::V4(v4) => v4,
        IpAddr::V6(v6) => v6.to_ipv4_mapped()?,
    };
    let n = u32::from(v4);
    RANGES.iter().find(|r| r.first <= n && n <= r.last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn star_jv_space_is_found_at_both_ends() {
        for s in [
            "175.45.176.0",
            "175.45.177.9",
            "175.45.179.255",
            "::ffff:175.45.178.1",
        ] {
            let r = dprk_range(ip(s)).unwrap();
            assert_eq!(r.cidr, "175.45.176.0/22", "{s}");
            assert_eq!(r.link, DprkLink::Allocated);
        }
        for s in [
            "175.45.175.255",
            "175.45.180.0",
            "8.8.8.8",
            "2001:db8::1",
            "::175.45.176.1",
        ] {
            assert!(dprk_range(ip(s)).is_none(), "{s}");
        }
    }

    #[test]
    fn historical_ranges_are_marked_so() {
        assert_eq!(
            dprk_range(ip("210.52.109.77")).map(|r| r.link),
            Some(DprkLink::Historical)
        );
        assert_eq!(
            dprk_range(ip("77.94.35.1")).map(|r| r.cidr),
            Some("77.94.35.0/24")
        );
        assert!(dprk_range(ip("210.52.110.1")).is_none());
    }

    #[test]
    fn every_cidr_matches_its_bounds() {
        for r in dprk_ranges() {
            let (addr, prefix) = r.cidr.split_once('/').unwrap();
            let first = u32::from(addr.parse::<std::net::Ipv4Addr>().unwrap());
            let prefix: u32 = prefix.parse().unwrap();
            assert_eq!(
                (r.first, r.last),
                (first, first | (u32::MAX >> prefix)),
                "{}",
                r.cidr
            );
            assert!(!r.note.is_empty() && !r.name.is_empty());
        }
    }
}

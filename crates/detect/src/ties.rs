//! How strongly what two subjects share ties them: the one measure the LINK detector, the
//! engine's risk flow along links and the graph export all use.
//!
//! Each identifier has a strength of its own (a wallet or an authenticator is rarely
//! shared innocently; an address often is). Identifiers that say *where* someone is (a
//! street address, a public IP) are not independent: one flat explains its address and
//! its home connection alike, so together they count as the strongest of them, not more.
//! Everything else combines as independent evidence (noisy-or).

use std::net::IpAddr;

use redflag_intel::{IpIntel, NetworkClass};
use redflag_model::SubjectId;

use crate::links::{Identifier, IdentifierType, Link, LinkIndex};
use crate::state::SubjectState;
use crate::support::places::home_addresses;

/// The signal of risk flowing along links, which the engine adds once every subject is
/// assessed on its own evidence (no detector emits it: it needs the others' scores).
pub const CELL_CODE: &str = "links.cell";

/// A shared address that is not where the subject says they live: a delivery there, for
/// them and for someone else, is how laptop farms receive laptops.
pub const DELIVERED_ELSEWHERE: f64 = 0.7;

/// A residential connection that several people sign in from who say they live in
/// different cities: a laptop farm's.
pub const FARM_CONNECTION: f64 = 0.75;

/// Ties are never certain: the same wallet can be a payroll provider's.
const MAX_TIE: f64 = 0.97;

/// What a subject's ties are measured against: where they say they live.
pub struct TieContext {
    homes: Vec<String>,
    /// Sign-in IPs that are a laptop farm's connection (see [`TieContext::with_farms`]).
    farms: Vec<Identifier>,
}

impl TieContext {
    pub fn of(subject: &SubjectState) -> Self {
        TieContext {
            homes: home_addresses(subject),
            farms: Vec::new(),
        }
    }

    /// Marks the sign-in or laptop IPs that two or more others share with `subject` when
    /// all of them say they live in different cities: one connection, many claimed homes, the
    /// mark of a laptop farm. Coworkers live in one city; a household is two people.
    pub fn with_farms(mut self, subject: &SubjectId, links: &[Link], index: &LinkIndex) -> Self {
        let mut ips: Vec<&Identifier> = links
            .iter()
            .flat_map(|l| l.via.iter())
            .filter(|i| matches!(i.kind, IdentifierType::LoginIp | IdentifierType::PublicIp))
            .collect();
        ips.sort();
        ips.dedup();
        for ip in ips {
            let others: Vec<&SubjectId> = links
                .iter()
                .filter(|l| l.via.contains(ip))
                .map(|l| &l.other)
                .collect();
            if others.len() < 2 {
                continue;
            }
            let mut places: Vec<&str> = Vec::new();
            let apart = std::iter::once(subject).chain(others).all(|who| {
                match index.places_of(who).first() {
                    Some(place) if !places.contains(&place.as_str()) => {
                        places.push(place);
                        true
                    }
                    _ => false,
                }
            });
            if apart {
                self.farms.push(ip.clone());
            }
        }
        self
    }

    /// Whether an identifier is a laptop farm's connection (see [`TieContext::with_farms`]).
    pub fn farm_connection(&self, i: &Identifier) -> bool {
        self.farms.contains(i)
    }

    /// Whether an identifier is an address that is not one of the subject's homes.
    pub fn delivered_elsewhere(&self, i: &Identifier) -> bool {
        i.kind == IdentifierType::Address && !self.homes.iter().any(|h| **h == *i.value)
    }

    fn strength(&self, i: &Identifier) -> f64 {
        if self.delivered_elsewhere(i) {
            DELIVERED_ELSEWHERE
        } else if self.farm_connection(i) {
            FARM_CONNECTION
        } else {
            i.kind.strength()
        }
    }

    /// How strongly the identifiers shared tie the subject to others (0..0.97).
    pub fn strength_of<'a>(&self, shared: impl IntoIterator<Item = &'a Identifier>) -> f64 {
        let mut place: f64 = 0.0;
        let mut home = false;
        let mut apart = 1.0;
        for i in shared {
            let p = self.strength(i);
            if is_place(i.kind) {
                place = place.max(p);
                home |= i.kind == IdentifierType::Address && !self.delivered_elsewhere(i);
            } else {
                apart *= 1.0 - p;
            }
        }
        // People who share the home they say they live in are a household, however many
        // ways its connection shows; a laptop farm's home is remote_control's to judge.
        if home {
            place = place.min(IdentifierType::Address.strength());
        }
        (1.0 - apart * (1.0 - place)).min(MAX_TIE)
    }
}

/// Kinds that say where someone is, which one place explains together.
fn is_place(kind: IdentifierType) -> bool {
    matches!(
        kind,
        IdentifierType::Address | IdentifierType::PublicIp | IdentifierType::LoginIp
    )
}

/// Whether an identifier can tie anyone. A sign-in IP can only when IP data says it is a
/// residential connection: VPN exits, hosting, Tor and mobile carriers' shared addresses
/// carry thousands of strangers, and without IP data there is no telling them apart.
pub fn ties_anyone(i: &Identifier, intel: Option<&IpIntel>) -> bool {
    if i.kind != IdentifierType::LoginIp {
        return true;
    }
    match (intel, i.value.parse::<IpAddr>()) {
        (Some(intel), Ok(ip)) => intel.lookup(ip).class == NetworkClass::Residential,
        _ => false,
    }
}

/// The links that tie anyone (see [`ties_anyone`]), links left empty dropped.
pub fn usable_links(links: Vec<Link>, intel: Option<&IpIntel>) -> Vec<Link> {
    links
        .into_iter()
        .filter_map(|mut l| {
            l.via.retain(|i| ties_anyone(i, intel));
            (!l.via.is_empty()).then_some(l)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::state;

    fn id(kind: IdentifierType, value: &str) -> Identifier {
        Identifier {
            kind,
            value: value.into(),
        }
    }

    /// The ties of someone living at 12 Queen St W, Toronto, and their home's key.
    fn at_home() -> (TieContext, Identifier) {
        let s = state(&[
            r#"{"kind":"subject","id":"c-1","address":{"line1":"12 Queen St W","postal_code":"M5H 2N2","country":"CA"}}"#,
        ]);
        let home = id(IdentifierType::Address, &home_addresses(&s)[0]);
        (TieContext::of(&s), home)
    }

    #[test]
    fn one_flat_counts_once_however_many_ways_it_shows() {
        let (ties, home) = at_home();
        let ip = id(IdentifierType::PublicIp, "81.2.69.160");
        let sign_in = id(IdentifierType::LoginIp, "81.2.69.160");
        let all = ties.strength_of([&home, &ip, &sign_in]);
        // A household: the home's weak tie, however many ways its connection shows.
        assert!(all < 0.45, "{all}");
        assert!(
            (all - IdentifierType::Address.strength()).abs() < 1e-9,
            "{all}"
        );
        // A wallet besides is independent evidence.
        let wallet = id(IdentifierType::Wallet, "tron:TQ1");
        assert!(ties.strength_of([&home, &wallet]) > 0.9);
    }

    #[test]
    fn sign_in_ips_tie_nobody_without_ip_data() {
        let link = Link {
            other: "b".parse().unwrap(),
            via: vec![
                id(IdentifierType::LoginIp, "185.159.157.9"),
                id(IdentifierType::Phone, "+13025550100"),
            ],
        };
        let kept = usable_links(vec![link], None);
        assert_eq!(kept[0].via.len(), 1);
        assert_eq!(kept[0].via[0].kind, IdentifierType::Phone);
    }

    #[test]
    fn only_a_residential_sign_in_ip_ties_anyone() {
        let intel = crate::support::network::testing::intel();
        let ip = |v: &str| id(IdentifierType::LoginIp, v);
        // Comcast (residential) ties; a DigitalOcean VPS (a VPN exit's kind of address) and
        // T-Mobile (a mobile carrier's CGNAT) do not.
        assert!(ties_anyone(&ip("24.12.1.9"), Some(intel)));
        assert!(!ties_anyone(&ip("138.68.10.20"), Some(intel)));
        assert!(!ties_anyone(&ip("172.58.3.4"), Some(intel)));
        // Other kinds tie whatever the IP data.
        assert!(ties_anyone(&id(IdentifierType::Wallet, "tron:TQ1"), None));
    }

    #[test]
    fn one_connection_for_people_of_different_cities_is_a_farm_coworkers_are_not() {
        let lines = |city_b: &str, city_c: &str| {
            vec![
                r#"{"kind":"subject","id":"a","location":{"country":"US","city":"Austin"}}"#
                    .to_owned(),
                format!(
                    r#"{{"kind":"subject","id":"b","location":{{"country":"US","city":"{city_b}"}}}}"#
                ),
                format!(
                    r#"{{"kind":"subject","id":"c","location":{{"country":"US","city":"{city_c}"}}}}"#
                ),
                r#"{"kind":"login","subject":"a","at":"2026-03-10T09:00:00Z","ip":"73.32.1.9"}"#
                    .to_owned(),
                r#"{"kind":"login","subject":"b","at":"2026-03-10T09:00:00Z","ip":"73.32.1.9"}"#
                    .to_owned(),
                r#"{"kind":"login","subject":"c","at":"2026-03-10T09:00:00Z","ip":"73.32.1.9"}"#
                    .to_owned(),
            ]
        };
        for (b, c, farm) in [("Denver", "Boston", true), ("Austin", "Austin", false)] {
            let mut index = LinkIndex::default();
            for l in lines(b, c) {
                let r = redflag_model::parse_record(&l).unwrap().record;
                index.observe(r.subject(), &r);
            }
            let a: SubjectId = "a".parse().unwrap();
            let links = index.links_of(&a, &[]);
            let s = state(&[r#"{"kind":"subject","id":"c-1"}"#]);
            let ties = TieContext::of(&s).with_farms(&a, &links, &index);
            let ip = id(IdentifierType::LoginIp, "73.32.1.9");
            assert_eq!(ties.farm_connection(&ip), farm, "{b}, {c}");
            assert_eq!(ties.strength_of([&ip]) >= FARM_CONNECTION, farm);
        }
    }

    #[test]
    fn a_delivery_elsewhere_is_stronger_than_a_shared_home() {
        let (ties, home) = at_home();
        let farm = id(IdentifierType::Address, "88 elm ct|85004|US");
        assert!(ties.strength_of([&home]) < 0.45);
        assert!(ties.strength_of([&farm]) >= DELIVERED_ELSEWHERE);
    }
}

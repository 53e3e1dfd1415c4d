//! CONCEAL — laptop farms. DPRK workers are often not where the company laptop is: a
//! facilitator hosts it (a "laptop farm") and the worker drives it from abroad through
//! remote-access software or IP-KVM hardware (those tools are `devices.remote_tools`).
//!
//! Fires when a work laptop lives behind a public IP that other subjects' laptops also
//! report, and is seen nowhere else: every public IP its devices report is shared with
//! someone else's device. Explained and quiet: colleagues of one employer (its office), a
//! mobile carrier's shared addresses (CGNAT), a couple or flatmates (one other person at
//! the same street address behind the same connection), coworkers whose laptops also
//! report from their own homes, and people of one city behind one connection with no
//! remote-control tools on the laptop (a coworking space).

use redflag_model::{Advisory, Evidence, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::detectors::remote_tools::{is_remote_tool, kvm_kind};
use crate::links::{Identifier, IdentifierType};
use crate::state::SubjectState;
use crate::support::places::home_addresses;

pub struct RemoteControl;

impl Detector for RemoteControl {
    fn code(&self) -> &'static str {
        "devices.remote_control"
    }
    fn advisory(&self) -> Advisory {
        Advisory::Conceal
    }
    fn describe(&self) -> &'static str {
        "a work laptop hosted behind a public IP other people's laptops use (a laptop farm)"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let Some(index) = ctx.links else { return };
        let ips = index.device_ips(&s.id);
        // A laptop seen behind a connection of its own goes where its owner goes.
        if ips.is_empty() || ips.iter().any(|(_, holders)| *holders < 2) {
            return;
        }
        // Mobile carriers put thousands of customers behind one address (CGNAT).
        let mobile = |i: &Identifier| {
            ctx.intel
                .zip(i.value.parse().ok())
                .is_some_and(|(intel, ip)| {
                    intel.lookup(ip).class == redflag_intel::NetworkClass::Mobile
                })
        };
        let shared: Vec<_> = index
            .links_of(&s.id, &[])
            .into_iter()
            .filter(|l| {
                l.via
                    .iter()
                    .any(|i| i.kind == IdentifierType::PublicIp && !mobile(i))
            })
            // Colleagues of one employer share its office's address.
            .filter(|l| !index.share_employer(&s.id, &l.other))
            .collect();
        // A couple or flatmates: one other person, and the shared address is where this
        // one says they live (a laptop delivered elsewhere is no household's).
        let homes = home_addresses(s);
        // Sharing a home connection explains the IP, not someone else driving the laptop:
        // with remote tools or a KVM on it, a household is a reason to look, no more (the
        // tools are an IT technician's trade; a two-laptop farm looks the same).
        let driven = s.devices.iter().any(|d| {
            d.record
                .remote_access_tools
                .iter()
                .any(|t| is_remote_tool(t))
                || d.record.usb_devices.iter().any(|u| kvm_kind(u).is_some())
        });
        let household = shared.len() == 1
            && shared[0].via.iter().any(|i| {
                i.kind == IdentifierType::Address && homes.iter().any(|h| **h == *i.value)
            });
        let Some(first) = shared.first() else { return };
        if household && !driven {
            return;
        }
        // Coworkers: people of one city behind their office's connection, no one driving
        // the laptop from afar. A farm hosts laptops of people who claim to live elsewhere.
        let here = index.places_of(&s.id).first();
        let one_city = here.is_some()
            && shared
                .iter()
                .all(|l| index.places_of(&l.other).first() == here);
        if one_city && !driven {
            return;
        }
        let ip = first
            .via
            .iter()
            .find(|i| i.kind == IdentifierType::PublicIp)
            .map(|i| i.value.to_string())
            .unwrap_or_default();
        let others: Vec<String> = shared.iter().take(4).map(|l| l.other.to_string()).collect();
        let more = shared.len().saturating_sub(others.len());
        let names = if more > 0 {
            format!("{} and {more} more", others.join(", "))
        } else {
            others.join(", ")
        };
        let summary = if household {
            format!(
                "the work laptop, which runs remote-control tools, is only ever seen behind public IP {ip}, the home connection shared with {names} at the same address"
            )
        } else {
            format!(
                "the work laptop is only ever seen behind public IP {ip}, which is also the public IP of devices of {names} (a laptop farm?)"
            )
        };
        let evidence = shared
            .iter()
            .take(4)
            .map(|l| {
                Evidence::new(Kind::Device, None, None)
                    .with("public_ip", ip.clone())
                    .with("shared_with", l.other.to_string())
            })
            .collect();
        let confidence = if household {
            0.5
        } else if shared.len() >= 2 {
            0.9
        } else {
            0.8
        };
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run_with_links;

    #[test]
    fn laptops_of_three_people_behind_one_ip_are_a_farm() {
        let device = |s: &str, id: &str| {
            format!(
                r#"{{"kind":"device","subject":"{s}","at":"2026-03-06T02:00:00Z","device_id":"{id}","public_ip":"24.12.1.9"}}"#
            )
        };
        let lines = [device("a", "d-1"), device("b", "d-2"), device("c", "d-3")];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let signals = run_with_links(&RemoteControl, &refs, "a");
        assert!(
            signals[0]
                .summary
                .contains("24.12.1.9, which is also the public IP of devices of b, c"),
            "{}",
            signals[0].summary
        );
        // The generic link detector leaves the shared device IP to this one.
        assert!(run_with_links(&crate::detectors::SharedIdentifiers, &refs, "a").is_empty());
    }

    #[test]
    fn colleagues_behind_their_office_ip_are_quiet() {
        let person = |s: &str, id: &str| {
            [
                format!(
                    r#"{{"kind":"subject","id":"{s}","work":[{{"employer":"Northwind Dev Studio Ltd","start":"2024-01"}}]}}"#
                ),
                format!(
                    r#"{{"kind":"device","subject":"{s}","at":"2026-03-06T02:00:00Z","device_id":"{id}","public_ip":"24.12.1.9"}}"#
                ),
            ]
        };
        let lines: Vec<String> = person("a", "d-1")
            .into_iter()
            .chain(person("b", "d-2"))
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(run_with_links(&RemoteControl, &refs, "a").is_empty());
    }

    fn device(subject: &str, id: &str, ip: &str) -> String {
        format!(
            r#"{{"kind":"device","subject":"{subject}","at":"2026-03-06T02:00:00Z","device_id":"{id}","public_ip":"{ip}"}}"#
        )
    }

    fn home(subject: &str, street: &str) -> String {
        format!(
            r#"{{"kind":"subject","id":"{subject}","address":{{"line1":"{street}","city":"Leeds","country":"GB"}}}}"#
        )
    }

    #[test]
    fn a_couple_behind_their_home_connection_is_quiet() {
        let lines = [
            home("a", "14 Park Row"),
            home("b", "14 Park Row"),
            device("a", "d-1", "81.2.69.160"),
            device("b", "d-2", "81.2.69.160"),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(run_with_links(&RemoteControl, &refs, "a").is_empty());
        // A PiKVM on one of the two laptops: the connection is explained, the driver is
        // not, so it is a reason to look (an IT technician's bench, or a two-laptop farm).
        let mut driven = lines.to_vec();
        driven.push(r#"{"kind":"device","subject":"a","at":"2026-03-07T02:00:00Z","device_id":"d-1","public_ip":"81.2.69.160","usb_devices":["1209:eda1 PiKVM"]}"#.to_owned());
        let refs: Vec<&str> = driven.iter().map(String::as_str).collect();
        let signals = run_with_links(&RemoteControl, &refs, "a");
        assert!(signals[0].summary.contains("home connection shared with b"));
        assert!(signals[0].confidence <= 0.5);
        // Three people at one address whose laptops never leave its connection are not a
        // household any more.
        let mut farm = lines.to_vec();
        farm.push(home("c", "14 Park Row"));
        farm.push(device("c", "d-3", "81.2.69.160"));
        let refs: Vec<&str> = farm.iter().map(String::as_str).collect();
        assert_eq!(run_with_links(&RemoteControl, &refs, "a").len(), 1);
    }

    #[test]
    fn people_of_one_city_behind_one_office_connection_are_quiet() {
        let person = |s: &str, id: &str| {
            [
                format!(
                    r#"{{"kind":"subject","id":"{s}","location":{{"country":"IN","city":"Chennai"}}}}"#
                ),
                device(s, id, "122.160.197.140"),
            ]
        };
        let lines: Vec<String> = [("a", "d-1"), ("b", "d-2"), ("c", "d-3")]
            .iter()
            .flat_map(|(s, id)| person(s, id))
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(run_with_links(&RemoteControl, &refs, "a").is_empty());
    }

    #[test]
    fn coworkers_whose_laptops_go_home_are_quiet() {
        // One office connection by day; each laptop also reports from its owner's home.
        let lines = [
            device("a", "d-1", "24.12.1.9"),
            device("b", "d-2", "24.12.1.9"),
            device("c", "d-3", "24.12.1.9"),
            device("a", "d-1", "71.80.2.14"),
            device("b", "d-2", "98.33.4.120"),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(run_with_links(&RemoteControl, &refs, "a").is_empty());
        // c's laptop never leaves the office: that one is hosted there.
        assert_eq!(run_with_links(&RemoteControl, &refs, "c").len(), 1);
    }
}

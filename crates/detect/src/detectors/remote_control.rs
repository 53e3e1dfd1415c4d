//! CONCEAL — remote control and laptop farms. DPRK workers are often not where the
//! company laptop is: a facilitator hosts it (a "laptop farm") and the worker drives it
//! from abroad through remote-access software or IP-KVM hardware.
//!
//! Fires on a managed device that reports remote-access tools (AnyDesk, TeamViewer,
//! RustDesk, Chrome Remote Desktop…), IP-KVM hardware (PiKVM USB ids 1209:eda1–eda3,
//! TinyPilot, HDMI capture devices), or a public IP shared with other subjects' devices.
//! A VPN client alone is not remote control.

use redflag_model::{Advisory, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::links::IdentifierType;
use crate::state::{SubjectState, evidence_of};

pub struct RemoteControl;

const REMOTE_TOOLS: &[&str] = &[
    "anydesk",
    "teamviewer",
    "rustdesk",
    "chrome_remote_desktop",
    "chrome remote desktop",
    "splashtop",
    "parsec",
    "vnc",
    "realvnc",
    "tightvnc",
    "ultravnc",
    "logmein",
    "screenconnect",
    "connectwise",
    "remotepc",
    "zoho_assist",
    "ammyy",
    "supremo",
    "dwservice",
    "meshcentral",
    "netsupport",
];

/// USB devices of IP-KVMs and HDMI capture: a second computer watching and typing.
fn kvm_kind(usb: &str) -> Option<&'static str> {
    let lower = usb.to_ascii_lowercase();
    let id = lower.split_whitespace().next().unwrap_or("");
    if matches!(id, "1209:eda1" | "1209:eda2" | "1209:eda3") || lower.contains("pikvm") {
        Some("PiKVM")
    } else if lower.contains("tinypilot") {
        Some("TinyPilot")
    } else if lower.contains("kvm") {
        Some("an IP-KVM")
    } else if lower.contains("hdmi") && lower.contains("capture")
        || matches!(id, "534d:2109" | "345f:2130" | "2935:0001")
    {
        Some("an HDMI capture device")
    } else {
        None
    }
}

fn is_remote_tool(tool: &str) -> bool {
    let lower = tool.to_ascii_lowercase().replace(['-', ' '], "_");
    REMOTE_TOOLS
        .iter()
        .any(|t| lower.contains(&t.replace(' ', "_")))
}

impl Detector for RemoteControl {
    fn code(&self) -> &'static str {
        "devices.remote_control"
    }
    fn advisory(&self) -> Advisory {
        Advisory::Conceal
    }
    fn describe(&self) -> &'static str {
        "remote-access tools or IP-KVM hardware on a work device, or a device IP shared with others"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let mut strengths: Vec<f64> = Vec::new();
        let mut parts: Vec<String> = Vec::new();
        let mut evidence = Vec::new();
        for d in s.devices.iter() {
            let r = &d.record;
            let tools: Vec<&str> = r
                .remote_access_tools
                .iter()
                .map(String::as_str)
                .filter(|t| is_remote_tool(t))
                .collect();
            let kvms: Vec<&str> = r.usb_devices.iter().filter_map(|u| kvm_kind(u)).collect();
            if tools.is_empty() && kvms.is_empty() {
                continue;
            }
            let name = r
                .device_id
                .as_deref()
                .map(|id| format!("device {id}"))
                .unwrap_or_else(|| "a work device".into());
            if !tools.is_empty() {
                strengths.push(0.5);
                parts.push(format!("{name} runs {}", tools.join(", ")));
            }
            if let Some(kvm) = kvms.first() {
                strengths.push(0.85);
                parts.push(format!(
                    "{name} has {kvm} attached (a second computer can watch and type)"
                ));
            }
            evidence.push(
                evidence_of(Kind::Device, d, Some(r.at))
                    .with("device_id", r.device_id.clone())
                    .with("remote_access_tools", r.remote_access_tools.clone())
                    .with("usb_devices", r.usb_devices.clone()),
            );
        }
        if let Some(index) = ctx.links {
            let shared: Vec<_> = index
                .links_of(&s.id, &[])
                .into_iter()
                .filter(|l| l.via.iter().any(|i| i.kind == IdentifierType::PublicIp))
                // Colleagues of one employer share its office's address.
                .filter(|l| !index.share_employer(&s.id, &l.other))
                // Mobile carriers put thousands of customers behind one address (CGNAT).
                .filter(|l| {
                    !l.via.iter().any(|i| {
                        i.kind == IdentifierType::PublicIp
                            && ctx
                                .intel
                                .zip(i.value.parse().ok())
                                .is_some_and(|(intel, ip)| {
                                    intel.lookup(ip).class == redflag_intel::NetworkClass::Mobile
                                })
                    })
                })
                .collect();
            if let Some(first) = shared.first() {
                let ip = first
                    .via
                    .iter()
                    .find(|i| i.kind == IdentifierType::PublicIp)
                    .map(|i| i.value.to_string())
                    .unwrap_or_default();
                let others: Vec<String> =
                    shared.iter().take(4).map(|l| l.other.to_string()).collect();
                strengths.push(0.85);
                parts.push(format!(
                    "the work laptop's public IP {ip} is also the public IP of devices of {} (a laptop farm?)",
                    others.join(", ")
                ));
                for l in shared.iter().take(4) {
                    evidence.push(
                        redflag_model::Evidence::new(Kind::Device, None, None)
                            .with("public_ip", ip.clone())
                            .with("shared_with", l.other.to_string()),
                    );
                }
            }
        }
        if strengths.is_empty() {
            return;
        }
        let confidence = (1.0 - strengths.iter().map(|p| 1.0 - p).product::<f64>()).min(0.95);
        ctx.emit(self, confidence, parts.join("; "), evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    #[test]
    fn anydesk_and_a_pikvm_fire_strongly() {
        let signals = run(
            &RemoteControl,
            &[
                r#"{"kind":"device","subject":"c-1","at":"2026-03-06T02:00:00Z","device_id":"d-9f2","remote_access_tools":["anydesk"],"vpn_clients":["astrill"],"usb_devices":["1209:eda1 PiKVM"]}"#,
            ],
        );
        assert_eq!(
            signals[0].summary,
            "device d-9f2 runs anydesk; device d-9f2 has PiKVM attached (a second computer can watch and type)"
        );
        assert!(signals[0].confidence > 0.9);
    }

    #[test]
    fn laptops_of_three_people_behind_one_ip_are_a_farm() {
        let device = |s: &str, id: &str| {
            format!(
                r#"{{"kind":"device","subject":"{s}","at":"2026-03-06T02:00:00Z","device_id":"{id}","public_ip":"24.12.1.9"}}"#
            )
        };
        let lines = [device("a", "d-1"), device("b", "d-2"), device("c", "d-3")];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let signals = crate::support::testing::run_with_links(&RemoteControl, &refs, "a");
        assert!(
            signals[0]
                .summary
                .contains("24.12.1.9 is also the public IP of devices of b, c"),
            "{}",
            signals[0].summary
        );
        // The generic link detector leaves the shared device IP to this one.
        assert!(
            crate::support::testing::run_with_links(
                &crate::detectors::SharedIdentifiers,
                &refs,
                "a"
            )
            .is_empty()
        );
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
        assert!(crate::support::testing::run_with_links(&RemoteControl, &refs, "a").is_empty());
    }

    #[test]
    fn a_vpn_client_keyboard_and_mouse_are_quiet() {
        assert!(run(&RemoteControl, &[
            r#"{"kind":"device","subject":"c-1","at":"2026-03-06T02:00:00Z","device_id":"d-1","vpn_clients":["nordvpn"],"usb_devices":["046d:c52b Logitech Unifying Receiver"]}"#,
        ]).is_empty());
    }
}

//! CONCEAL — remote-access tools and IP-KVM hardware on a work device: how a laptop
//! farm's facilitator lets a worker abroad drive the company laptop (the advisory's
//! concealment methods; M3 asks for checks that the person is where the work is done).
//!
//! Weak on its own: remote support is an IT freelancer's trade, and a KVM on the bench is
//! an ordinary tool of it. Fires on AnyDesk, TeamViewer, RustDesk, Chrome Remote Desktop
//! and the like, and on IP-KVM or HDMI-capture hardware (PiKVM USB ids 1209:eda1–eda3,
//! TinyPilot, KVM switches). What makes it a laptop farm (the laptop living behind an IP
//! other people's laptops use) is `devices.remote_control`'s evidence. A VPN client
//! alone is neither.

use redflag_model::{Advisory, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};

pub struct RemoteTools;

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
pub(crate) fn kvm_kind(usb: &str) -> Option<&'static str> {
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

pub(crate) fn is_remote_tool(tool: &str) -> bool {
    let lower = tool.to_ascii_lowercase().replace(['-', ' '], "_");
    REMOTE_TOOLS
        .iter()
        .any(|t| lower.contains(&t.replace(' ', "_")))
}

impl Detector for RemoteTools {
    fn code(&self) -> &'static str {
        "devices.remote_tools"
    }
    fn advisory(&self) -> Advisory {
        Advisory::Conceal
    }
    fn describe(&self) -> &'static str {
        "remote-access tools or KVM hardware on a work device"
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
                strengths.push(0.6);
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
        if strengths.is_empty() {
            return;
        }
        let confidence = (1.0 - strengths.iter().map(|p| 1.0 - p).product::<f64>()).min(0.9);
        ctx.emit(self, confidence, parts.join("; "), evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    #[test]
    fn anydesk_and_a_pikvm_fire() {
        let signals = run(
            &RemoteTools,
            &[
                r#"{"kind":"device","subject":"c-1","at":"2026-03-06T02:00:00Z","device_id":"d-9f2","remote_access_tools":["anydesk"],"vpn_clients":["astrill"],"usb_devices":["1209:eda1 PiKVM"]}"#,
            ],
        );
        assert_eq!(
            signals[0].summary,
            "device d-9f2 runs anydesk; device d-9f2 has PiKVM attached (a second computer can watch and type)"
        );
        assert!(signals[0].confidence > 0.75);
    }

    #[test]
    fn an_it_support_freelancers_bench_is_weak_evidence() {
        // TeamViewer and RustDesk are the trade; the KVM switch is on the bench. The signal
        // fires (it is a reason to look) but the policy marks it weak, so it cannot carry a
        // subject to `high` alone.
        let signals = run(
            &RemoteTools,
            &[
                r#"{"kind":"device","subject":"c-1","at":"2026-03-06T02:00:00Z","device_id":"d-1","remote_access_tools":["teamviewer","rustdesk"],"usb_devices":["0557:2419 ATEN CS1922 KVM switch"]}"#,
            ],
        );
        let policy = crate::policy::Policy::default();
        assert!(!policy.is_strong(&signals[0]));
    }

    #[test]
    fn a_vpn_client_keyboard_and_mouse_are_quiet() {
        assert!(run(&RemoteTools, &[
            r#"{"kind":"device","subject":"c-1","at":"2026-03-06T02:00:00Z","device_id":"d-1","vpn_clients":["nordvpn"],"usb_devices":["046d:c52b Logitech Unifying Receiver"]}"#,
        ]).is_empty());
    }
}

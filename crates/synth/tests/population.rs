//! Whole-population properties of the generator: determinism, validity of every record,
//! volume, roles and clusters, time bounds, and the files `write_dir` produces.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use redflag_model::{
    CheckOutcome, ContractEvent, DocStatus, InterviewMode, Kind, PayoutMethod, Record, parse_record,
};
use redflag_synth::{Config, Role, Truth, file_name, generate, write_dir};

fn small(seed: u64) -> Config {
    Config {
        subjects: 120,
        records_per_subject: 30,
        seed,
        ..Config::default()
    }
}

fn collect(config: &Config) -> (Vec<Record>, Vec<Truth>) {
    let mut records = Vec::new();
    let truth = generate(config, &mut |r| {
        records.push(r.clone());
        Ok(())
    })
    .unwrap();
    (records, truth)
}

/// The default population (400 subjects, seed 2025), generated once for the tests that
/// read it.
fn default_population() -> &'static (Vec<Record>, Vec<Truth>) {
    static POPULATION: OnceLock<(Vec<Record>, Vec<Truth>)> = OnceLock::new();
    POPULATION.get_or_init(|| collect(&Config::default()))
}

fn bytes(config: &Config) -> Vec<u8> {
    let mut out = Vec::new();
    let truth = generate(config, &mut |r| {
        serde_json::to_writer(&mut out, r).map_err(std::io::Error::other)?;
        out.push(b'\n');
        Ok(())
    })
    .unwrap();
    serde_json::to_writer(&mut out, &truth).unwrap();
    out
}

#[test]
fn same_config_same_bytes_other_seed_other_bytes() {
    let a = bytes(&small(7));
    let b = bytes(&small(7));
    assert!(a == b, "two runs with the same config differ");
    let c = bytes(&small(8));
    assert!(a != c, "a different seed gave the same population");
    let mut later = small(7);
    later.anchor += jiff::SignedDuration::from_hours(24 * 30);
    assert!(a != bytes(&later), "the anchor is ignored");
}

#[test]
fn every_record_round_trips_through_the_parser() {
    let (records, _) = default_population();
    assert!(records.len() > 10_000);
    let mut keys: HashSet<(Kind, String)> = HashSet::new();
    for r in records {
        let line = serde_json::to_string(r).unwrap();
        let parsed = parse_record(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(&parsed.record, r, "changed in the round trip: {line}");
        let id = r
            .id()
            .unwrap_or_else(|| panic!("record without id: {line}"));
        if r.kind() != Kind::Subject {
            assert!(
                keys.insert((r.kind(), id.to_owned())),
                "duplicate id {id} for {}",
                r.kind()
            );
            assert!(id.starts_with(&format!("{}-{}-", r.subject(), r.kind())));
        }
    }
}

#[test]
fn volume_matches_records_per_subject() {
    // The benchmark's population: 1,000 subjects × 200 records.
    let config = Config {
        subjects: 1000,
        records_per_subject: 200,
        ..Config::default()
    };
    let mut n = 0u64;
    generate(&config, &mut |_| {
        n += 1;
        Ok(())
    })
    .unwrap();
    assert!((180_000..=220_000).contains(&n), "{n} records");

    let (records, _) = default_population();
    let per = records.len() as f64 / 400.0;
    assert!((36.0..=44.0).contains(&per), "{per} records per subject");
    let logins = records.iter().filter(|r| r.kind() == Kind::Login).count();
    let kinds: BTreeSet<Kind> = records.iter().map(Record::kind).collect();
    // Every kind of the spec; `identity` (redflag's own) is the organisation's map, not
    // something the population produces.
    assert_eq!(
        kinds.len(),
        Kind::ALL.len() - 1,
        "every kind appears: {kinds:?}"
    );
    let most = Kind::ALL
        .iter()
        .max_by_key(|k| records.iter().filter(|r| r.kind() == **k).count());
    assert_eq!(most, Some(&Kind::Login), "logins are the bulk ({logins})");
}

#[test]
fn roles_clusters_and_lookalikes_are_as_configured() {
    let (records, truth) = default_population();
    check_roles(records, truth);
    for seed in [1, 77] {
        let (records, truth) = collect(&Config {
            seed,
            ..Config::default()
        });
        check_roles(&records, &truth);
    }
}

/// The roles, clusters and shared identifiers of a default-sized population.
fn check_roles(records: &[Record], truth: &[Truth]) {
    assert_eq!(truth.len(), 400);
    let ids: Vec<String> = truth.iter().map(|t| t.subject.to_string()).collect();
    assert_eq!(ids[0], "c-0001");
    assert_eq!(ids[399], "c-0400");

    let personas: Vec<usize> = (0..400)
        .filter(|&i| truth[i].role == Role::Persona)
        .collect();
    assert_eq!(personas.len(), 24);
    assert!(
        personas.iter().any(|&i| i < 300),
        "personas are not shuffled"
    );
    let lookalikes = truth.iter().filter(|t| t.role == Role::Lookalike).count();
    assert_eq!(lookalikes, 100);
    for t in truth {
        assert_eq!(t.cluster.is_some(), t.role == Role::Persona);
        if t.role != Role::Legitimate {
            assert!(!t.traits.is_empty(), "{t:?}");
        }
    }

    // Every look-alike kind appears.
    let look: HashSet<&str> = truth
        .iter()
        .filter(|t| t.role == Role::Lookalike)
        .flat_map(|t| t.traits.iter().map(String::as_str))
        .collect();
    for kind in redflag_synth::lookalike_kinds() {
        assert!(look.contains(kind), "no {kind} look-alike");
    }

    // Clusters of 3–6; each persona draws several behaviours besides shared identifiers.
    let mut clusters: BTreeMap<u32, Vec<&Truth>> = BTreeMap::new();
    for t in truth.iter().filter(|t| t.role == Role::Persona) {
        clusters.entry(t.cluster.unwrap()).or_default().push(t);
    }
    assert!(clusters.len() >= 4);
    for (c, members) in &clusters {
        assert!(
            (3..=6).contains(&members.len()),
            "cluster {c}: {}",
            members.len()
        );
    }

    // Every member of a cluster shares at least one identifier with another member.
    let ids = identifiers(records);
    for (c, members) in &clusters {
        for m in members {
            let mine = &ids[&m.subject.to_string()];
            let shares = members.iter().filter(|o| o.subject != m.subject).any(|o| {
                let theirs = &ids[&o.subject.to_string()];
                mine.exact.intersection(&theirs.exact).next().is_some()
                    || mine.ips.intersection(&theirs.ips).next().is_some()
                    // A VPS relay shows in sign-ins when the laptop sits at a farm.
                    || mine.login_ips.intersection(&theirs.login_ips).next().is_some()
                    || mine.resume.intersection(&theirs.resume).count() >= 2
                    || mine
                        .phash
                        .iter()
                        // Re-encoded (a bit or two) or edited (up to six bits each).
                        .any(|a| theirs.phash.iter().any(|b| (a ^ b).count_ones() <= 12))
            });
            assert!(shares, "{} shares nothing in cluster {c}", m.subject);
        }
    }

    // The innocent sharing is there: each household member shares the flat with the
    // other and each default-avatar holder the picture; coworkers log in from the office
    // on some days (on few records, a coworker may not have been there yet).
    let flat = |a: &Ids, b: &Ids| {
        a.exact
            .intersection(&b.exact)
            .any(|x| x.starts_with("address:"))
    };
    let office = |a: &Ids, b: &Ids| {
        let seen = |x: &Ids| x.ips.union(&x.login_ips).cloned().collect::<BTreeSet<_>>();
        seen(a).intersection(&seen(b)).next().is_some()
    };
    let avatar = |a: &Ids, b: &Ids| a.phash.iter().any(|h| b.phash.contains(h));
    type Shares<'a> = &'a dyn Fn(&Ids, &Ids) -> bool;
    let groups: [(&str, Shares<'_>, f64); 3] = [
        ("household", &flat, 1.0),
        ("coworking", &office, 0.6),
        ("default_avatar", &avatar, 1.0),
    ];
    for (kind, shares, at_least) in groups {
        let group: Vec<&str> = truth
            .iter()
            .filter(|t| t.traits.iter().any(|x| x == kind))
            .map(|t| t.subject.as_str())
            .collect();
        let sharing = group
            .iter()
            .filter(|sid| {
                group
                    .iter()
                    .any(|o| o != *sid && shares(&ids[**sid], &ids[*o]))
            })
            .count();
        assert!(
            sharing as f64 >= at_least * group.len() as f64,
            "{kind}: {sharing} of {} share with their group",
            group.len()
        );
    }

    // Honest subjects share nothing by accident. Innocent sharing is planted on purpose:
    // agency staff share their agency's account and office, households a flat and its
    // connection, coworkers an office IP, strangers a default avatar.
    let mut owner: HashMap<&str, &str> = HashMap::new();
    const SHARING: [&str; 4] = ["agency_staff", "household", "coworking", "default_avatar"];
    for t in truth.iter().filter(|t| t.role != Role::Persona) {
        if t.traits.iter().any(|x| SHARING.contains(&x.as_str())) {
            continue;
        }
        let sid = t.subject.as_str();
        for id in &ids[sid].exact {
            if let Some(other) = owner.insert(id, sid) {
                panic!("{sid} and {other} both have {id}");
            }
        }
    }
}

#[test]
fn small_populations_still_get_a_cluster() {
    for subjects in [20, 25, 40] {
        let (_, truth) = collect(&Config {
            subjects,
            records_per_subject: 10,
            ..Config::default()
        });
        let personas = truth.iter().filter(|t| t.role == Role::Persona).count();
        assert!(personas >= 3, "{subjects}: {personas}");
    }
    let (_, truth) = collect(&Config {
        subjects: 10,
        records_per_subject: 10,
        ..Config::default()
    });
    assert_eq!(truth.len(), 10);
    let (records, truth) = collect(&Config {
        subjects: 0,
        ..Config::default()
    });
    assert!(records.is_empty() && truth.is_empty());
}

#[test]
fn extreme_configs_work() {
    for (persona_share, lookalike_share, per) in [(1.0, 0.0, 5), (0.5, 0.9, 0), (0.0, 0.0, 3)] {
        let config = Config {
            subjects: 30,
            persona_share,
            lookalike_share,
            records_per_subject: per,
            ..Config::default()
        };
        let (records, truth) = collect(&config);
        assert_eq!(truth.len(), 30);
        assert!(records.len() >= 30 * 10);
        let personas = truth.iter().filter(|t| t.role == Role::Persona).count();
        let lookalikes = truth.iter().filter(|t| t.role == Role::Lookalike).count();
        match persona_share {
            1.0 => assert_eq!(personas, 30),
            0.5 => assert_eq!((personas, lookalikes), (15, 15)),
            _ => assert_eq!(personas + lookalikes, 0),
        }
    }
}

#[test]
fn every_event_falls_in_the_window_before_the_anchor() {
    let anchor = Config::default().anchor;
    let start = anchor - jiff::SignedDuration::from_hours(24 * 185);
    let (records, truth) = default_population();
    let roles: HashMap<String, &Truth> = truth.iter().map(|t| (t.subject.to_string(), t)).collect();
    let mut contracts: BTreeMap<String, Vec<(jiff::Timestamp, ContractEvent)>> = BTreeMap::new();
    for r in records {
        let at = r.at().expect("every record has a time");
        assert!(at <= anchor && at >= start, "{at} out of range: {r:?}");
        match r {
            Record::Document(d) => {
                assert!(d.requested_at <= anchor);
                if let Some(p) = d.provided_at {
                    assert!(p >= d.requested_at && p <= anchor);
                }
            }
            Record::Contract(c) => contracts
                .entry(c.subject.to_string())
                .or_default()
                .push((c.at, c.event)),
            _ => {}
        }
    }
    // Honest contracts run offered → signed → (payment_security) → work_started.
    for (sid, mut events) in contracts {
        events.sort_by_key(|e| e.0);
        let order: Vec<ContractEvent> = events.iter().map(|e| e.1).collect();
        let rf9 = roles[&sid]
            .traits
            .iter()
            .any(|t| t == "work_before_contract");
        if rf9 {
            let started = order.iter().position(|e| *e == ContractEvent::WorkStarted);
            let signed = order.iter().position(|e| *e == ContractEvent::Signed);
            assert!(signed.is_none() || signed > started, "{sid}: {order:?}");
        } else {
            assert_eq!(order.first(), Some(&ContractEvent::Offered), "{sid}");
            assert_eq!(order.get(1), Some(&ContractEvent::Signed), "{sid}");
            assert_eq!(order.last(), Some(&ContractEvent::WorkStarted), "{sid}");
        }
    }
}

#[test]
fn planted_patterns_show_in_the_records() {
    let (records, truth) = collect(&Config {
        subjects: 1000,
        records_per_subject: 20,
        ..Config::default()
    });
    let by: HashMap<String, &Truth> = truth.iter().map(|t| (t.subject.to_string(), t)).collect();
    let has = |sid: &str, t: &str| by[sid].traits.iter().any(|x| x == t);
    let role = |sid: &str| by[sid].role;
    let mut seen = HashSet::new();
    for r in &records {
        let sid = r.subject().to_string();
        match r {
            Record::Bid(b) => {
                let mut c: Vec<f64> = b.competing.iter().map(|a| a.to_f64()).collect();
                assert!((3..=8).contains(&c.len()));
                c.sort_by(f64::total_cmp);
                let k = c.len();
                let median = if k % 2 == 1 {
                    c[k / 2]
                } else {
                    (c[k / 2 - 1] + c[k / 2]) / 2.0
                };
                let ratio = b.amount.to_f64() / median;
                if has(&sid, "low_bid") && role(&sid) == Role::Persona {
                    assert!((0.25..=0.55).contains(&ratio), "{sid}: {ratio}");
                    seen.insert("persona_low_bid");
                } else if has(&sid, "low_bid") {
                    assert!((0.70..=0.95).contains(&ratio), "{sid}: {ratio}");
                    seen.insert("lookalike_low_bid");
                } else if role(&sid) == Role::Legitimate {
                    assert!((0.85..=1.2).contains(&ratio), "{sid}: {ratio}");
                }
            }
            Record::Interview(i) => {
                if has(&sid, "avoids_video")
                    && i.mode == InterviewMode::Video
                    && !has(&sid, "deepfake")
                {
                    assert!(i.camera != Some(redflag_model::Camera::On), "{sid}: {i:?}");
                    seen.insert("avoids_video");
                }
                if role(&sid) == Role::Legitimate && i.mode == InterviewMode::Video {
                    assert_eq!(i.camera, Some(redflag_model::Camera::On));
                }
            }
            Record::Document(d) if has(&sid, "document_forgery") && !d.issues.is_empty() => {
                assert_eq!(d.status, Some(DocStatus::Rejected));
                seen.insert("forgery");
            }
            Record::Document(d) if role(&sid) == Role::Legitimate => {
                assert_eq!(d.status, Some(DocStatus::Verified), "{sid}: {d:?}");
                let days =
                    (d.provided_at.unwrap().as_second() - d.requested_at.as_second()) / 86_400;
                assert!(days <= 5, "{sid}: {days} days");
            }
            Record::CredentialCheck(c) if role(&sid) == Role::Legitimate => {
                assert_eq!(c.outcome, CheckOutcome::Confirmed);
            }
            Record::PaymentRequest(p) => {
                assert_eq!(p.method, PayoutMethod::Crypto);
                let w = p.account.as_ref().and_then(|a| a.wallet.as_ref()).unwrap();
                match w.chain.as_str() {
                    "tron" => {
                        assert!(w.address.starts_with('T') && w.address.len() == 34);
                        seen.insert("tron");
                    }
                    "ethereum" => {
                        assert!(w.address.starts_with("0x") && w.address.len() == 42);
                    }
                    other => panic!("chain {other}"),
                }
                assert!(role(&sid) != Role::Legitimate);
            }
            Record::PayoutAccount(p) if role(&sid) == Role::Legitimate => {
                let a = p.account.as_ref().unwrap();
                assert_eq!(a.holder.as_deref().map(str::is_empty), Some(false));
                assert_ne!(p.method, PayoutMethod::Crypto);
            }
            Record::Device(d) if has(&sid, "pikvm") => {
                assert!(d.usb_devices.iter().any(|u| u.starts_with("1209:eda1")));
                seen.insert("pikvm");
            }
            Record::Login(l) if has(&sid, "dprk_nexus_login") => {
                if let std::net::IpAddr::V4(v4) = l.ip {
                    let o = v4.octets();
                    if o[0] == 175 && o[1] == 45 && (176..=179).contains(&o[2]) {
                        seen.insert("kp_login");
                    }
                }
            }
            _ => {}
        }
    }
    for s in [
        "persona_low_bid",
        "lookalike_low_bid",
        "avoids_video",
        "forgery",
        "tron",
        "pikvm",
    ] {
        assert!(seen.contains(s), "never saw {s}");
    }
    let nexus = truth
        .iter()
        .filter(|t| t.traits.iter().any(|x| x == "dprk_nexus"))
        .count();
    let personas = truth.iter().filter(|t| t.role == Role::Persona).count();
    assert_eq!(nexus, (personas as f64 / 15.0).round() as usize);
}

#[test]
fn write_dir_writes_one_file_per_kind_and_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("population");
    let config = small(11);
    let (truth, count) = write_dir(&config, &out).unwrap();
    assert_eq!(truth.len(), 120);
    let mut lines = 0u64;
    for kind in Kind::ALL {
        let path = out.join(file_name(*kind));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for line in text.lines() {
            let parsed = parse_record(line).unwrap();
            assert_eq!(parsed.record.kind(), *kind);
            lines += 1;
        }
    }
    assert_eq!(lines, count);
    assert!(out.join("subjects.ndjson").exists());
    assert!(out.join("logins.ndjson").exists());
    assert!(out.join("payments.ndjson").exists());
    let read: Vec<Truth> =
        serde_json::from_str(&std::fs::read_to_string(out.join("truth.json")).unwrap()).unwrap();
    assert_eq!(read, truth);
    // The same bytes again: re-ingesting is idempotent because every record has its id.
    let again = dir.path().join("again");
    write_dir(&config, &again).unwrap();
    for kind in Kind::ALL {
        let a = std::fs::read(out.join(file_name(*kind))).ok();
        let b = std::fs::read(again.join(file_name(*kind))).ok();
        assert_eq!(a, b);
    }
}

/// Identifiers a subject's records carry that could link it to someone else.
#[derive(Default)]
struct Ids {
    exact: BTreeSet<String>,
    phash: Vec<u64>,
    /// Public IPs devices report from (residential IPs may be shared by chance: CGNAT).
    ips: BTreeSet<String>,
    /// IPs the subject logs in from.
    login_ips: BTreeSet<String>,
    /// Sentences of the résumé (an operation's personas write from one text).
    resume: BTreeSet<String>,
}

fn identifiers(records: &[Record]) -> HashMap<String, Ids> {
    let mut map: HashMap<String, Ids> = HashMap::new();
    for r in records {
        let ids = map.entry(r.subject().to_string()).or_default();
        let mut add = |k: &str, v: &str| {
            ids.exact.insert(format!("{k}:{v}"));
        };
        match r {
            Record::Subject(s) => {
                for p in &s.phones {
                    add("phone", p.as_str());
                }
                for e in &s.emails {
                    add("email", e.as_str());
                }
                if let Some(h) = s.photo_phash {
                    ids.phash.push(h.0);
                }
                if let Some(text) = &s.resume_text {
                    ids.resume
                        .extend(text.split(". ").map(|sentence| sentence.to_owned()));
                }
                if let Some(a) = &s.address {
                    let line = a.line1.as_deref().unwrap_or("");
                    let postal = a.postal_code.as_deref().unwrap_or("");
                    add("address", &format!("{line}|{postal}"));
                }
            }
            Record::PayoutAccount(p) => {
                if let Some(a) = &p.account {
                    if let Some(id) = &a.id {
                        add("account", id);
                    }
                    if let Some(w) = &a.wallet {
                        add("wallet", &w.address);
                    }
                }
            }
            Record::PaymentRequest(p) => {
                if let Some(w) = p.account.as_ref().and_then(|a| a.wallet.as_ref()) {
                    add("wallet", &w.address);
                }
            }
            Record::Login(l) => {
                ids.login_ips.insert(l.ip.to_string());
                if let Some(d) = &l.device_id {
                    add("device", d);
                }
                if let Some(m) = &l.mfa_device {
                    add("mfa", m);
                }
            }
            Record::Device(d) => {
                if let Some(id) = &d.device_id {
                    add("device", id);
                }
                if let Some(ip) = d.public_ip {
                    ids.ips.insert(ip.to_string());
                }
            }
            Record::Shipment(s) => {
                add(
                    "address",
                    &format!(
                        "{}|{}|{}",
                        s.address.line1.as_deref().unwrap_or(""),
                        s.address.city.as_deref().unwrap_or(""),
                        s.address.postal_code.as_deref().unwrap_or("")
                    ),
                );
            }
            _ => {}
        }
    }
    map
}

//! Synthetic populations of freelancers and contractors: redflag's own test bed.
//!
//! `redflag demo` writes one of these populations and scans it; the lead tunes detectors
//! and scoring against it; the benchmark uses it to make 1,000 subjects and 200,000 records.
//! The acceptance test is that the planted DPRK-style personas dominate the top of the
//! ranking while the innocent look-alikes of each red flag do not.
//!
//! Everything is **deterministic** for a seed and **streamed**: [`generate`] builds one
//! subject at a time and hands each record to a sink, so memory does not grow with the
//! number of records. Every record carries a stable `id` (`c-0042-login-17`), so
//! re-ingesting the same files is a no-op. All events fall in the ~180 days before
//! [`Config::anchor`], none after it.
//!
//! # The population
//!
//! **Legitimate freelancers** (the majority) from two dozen countries (US, CA, GB, DE, FR,
//! PL, UA, IN, PK, PH, VN, ID, BR, MX, AR, NG, KE, EG, KR, JP, CN, AU, ES, NL), with names
//! plausible for the country (immigrant names too: name origin is never a tell), honest and
//! consistent claims (location, time zone and nationality agree; a degree around age 22;
//! jobs that do not overlap), residential IPs from their own country, logins and activity
//! in their local working day (a few work late), device time zone equal to the claimed
//! one, a video interview with the camera on and a passed liveness check, documents
//! provided within days and verified, a contract `offered` → `signed` →
//! (`payment_security`) → `work_started`, confirmed credential checks, bids near the
//! competing median, and monthly or bi-weekly payouts to one account in their own name and
//! country. Their `traits` note incidental features only: `laptop_shipped`,
//! `profile_update` (a second profile version with a new rate), `late_schedule` (works
//! 13:00–24:00).
//!
//! **Innocent look-alikes** ([`Role::Lookalike`], default 25%): each shows one thing that
//! superficially resembles a red flag, and one in three a second innocent oddity on top
//! (real people are messier than one anomaly each); none must rank high. Their `traits`
//! name what was planted:
//!
//! | trait | resembles | what is planted |
//! |---|---|---|
//! | `crypto_request` | RF2 | asks to be paid in USDC on Ethereum (a valid `0x` address); half get a crypto payout account |
//! | `korean_canadian` | (name/language) | Toronto, nationality CA, `en` + `ko`, other name "Park Ji-hoon" for "Jason Park", device locale `ko-KR`, Korean keyboard |
//! | `seoul_developer`, `chinese_developer` | (country) | honestly living in KR / CN, local IPs and time zone; Seoul office hours are Pyongyang's |
//! | `traveller` | RF3 | one 1–2 week trip abroad (logins from there, `trip_to_xx`), then back |
//! | `commercial_vpn` | CONCEAL | 60–90% of logins through a consumer VPN (M247/Datacamp/PacketHub exits), VPN client on the device |
//! | `camera_trouble` | RF6 | first video declined or camera off, then a completed on-camera video with liveness passed |
//! | `slow_paperwork` | RF5 | passport 6–10 days after the request (`late_passport`), or an `expired` passport renewed later (`expired_document`) |
//! | `low_bid` | RF8 | bids at 75–90% of the competing median |
//! | `check_unreachable` | M5 | education check `unreachable` or (`school_not_found`) `not_found`: the school closed; the rest confirmed |
//! | `night_owl` | (hours) | activity mostly 22:00–03:00 local time |
//! | `agency_staff` | RF1/LINK | 3–4 staff of one agency paid into the agency's account (organisation holder, same id and number); current employer is the agency; logins partly from the office IP; some agencies move their payroll to a second bank (`agency_changed_bank`) |
//! | `name_change` | RF4 | a second profile version with a new family name, the old name in `other_names` |
//! | `it_support` | CONCEAL | remote support is the trade: AnyDesk/TeamViewer/RustDesk on the laptop and a KVM (PiKVM or a KVM switch) on the bench |
//! | `web3_weekly_pay` | RF2, RF1, RF4 | paid weekly in USDC/USDT to their own wallet, asked for it; two overlapping part-time protocol gigs whose titles do not say so |
//! | `listed_employer_name` | SANCTIONS | a past employer whose name resembles a listed company abroad ("Golden Star Trading Company", "Green Pine Associates Ltd"): a review hit on the name alone |
//! | `household` | LINK, CONCEAL | two people (a couple with one family name, or flatmates), one street address, one home connection, laptops delivered to the same door |
//! | `coworking` | LINK, CONCEAL | 3–5 people of one city who live apart and work part of the week behind one office IP |
//! | `default_avatar` | LINK | 4–6 strangers who kept a platform's default avatar: one photo hash |
//!
//! **DPRK-style personas** ([`Role::Persona`], default 6%, at least one cluster when there
//! are 20 subjects or more) come in clusters of 3–6 that share infrastructure. Each claims
//! a Western or third-country identity (US, CA, GB, JP, PL, UA, DE, AU, NL) and shows
//! three to seven of these behaviours, at varying strength, so the ranking is not trivial:
//!
//! | trait | advisory | what is planted |
//! |---|---|---|
//! | `crypto_request`, `crypto_payout` | RF2, M1 | payment request in crypto (USDT on TRON, a valid Base58Check `T…` address, or Ethereum `0x…`), often a crypto payout account |
//! | `documents_withheld`, `documents_late` | RF5 | identity document still `pending` 3–8 weeks after the request, or `refused`, or provided 30–45 days late |
//! | `document_forgery` | M2 | `forgery_suspected`, `photo_tampering`, `font_mismatch`, `name_mismatch` or `dob_mismatch`, status `rejected` |
//! | `avoids_video` | RF6, M3 | video declined, no-show, camera off or refused; voice or text instead; never a later on-camera video |
//! | `deepfake` | RF7, M4 | a video with deepfake indicators, liveness `failed`/`refused`, `identity_matches_profile: false` |
//! | `low_bid` | RF8 | bids at 30–50% of the competing median |
//! | `work_before_contract` | RF9 | `work_started` before any `signed` (signed late, or never) |
//! | `credential_mismatch` | M5 | education `not_found`, employment `mismatch`/`not_found` |
//! | `payout_churn` | RF1, M1 | payouts every 3–7 days via Payoneer/Wise/PayPal to 3–5 accounts added within weeks, holders that are not the subject, in other countries |
//! | `hosting_logins`, `leaked_origin` | CONCEAL, RF3 | most logins from VPS space (DigitalOcean, Vultr/Choopa, OVH, Hetzner, M247, Linode); a few from Liaoning (Shenyang/Dalian) China Unicom/Telecom or Russian ISPs |
//! | `remote_access_tools`, `pikvm` | CONCEAL | AnyDesk/TeamViewer/RustDesk on the device, Astrill VPN, sometimes a PiKVM (`1209:eda1`) |
//! | `device_timezone_mismatch` | RF4 | device clock on Asia/Shanghai or Asia/Pyongyang against the claimed zone |
//! | `pyongyang_hours`, `round_the_clock` | RF4 | activity in 09:00–18:00 Pyongyang time (the American night), or around the clock (several operators) |
//! | `identity_change` | RF4 | a second profile version that moves country, changes name or rewrites education |
//! | `history_inconsistent` | RF4 | a GitHub account created months ago whose history starts years earlier, a thin LinkedIn, overlapping jobs |
//! | `shared_*`, `laptop_farm`, `farm_as_home`, `referred_by_cluster` | LINK | inside a cluster: the same wallet, VoIP phone, photo hash (identical or 1–2 bits apart), payout account, device id, MFA device, VPS IP (the device reports from it), or a US "laptop farm" address receiving laptops for several names (the device reports from the farm's IP; some profiles give the farm as home); some members were referred by a cluster-mate |
//! | `dprk_nexus` (+`_phone`/`_account`/`_login`) | MD-DPRK | about 1 persona in 15: a +850 phone, a payout account in KP, or a login from 175.45.176.0/22 |
//! | `stolen_identity` | (M2, M5 defeated) | one persona in four works under a real person's identity: documents verified, credentials confirmed, a consistent history, none of the identity doubts above |
//! | `residential_proxy` | CONCEAL | without `hosting_logins` or a laptop farm, every login comes through rotating residential proxies in the claimed country: no VPN or VPS to see |
//! | `photo_edited` | LINK | a shared photo cropped or recoloured, its hash 3–6 bits from the cluster's (exact matching misses it) |
//! | `shared_resume` | LINK | a résumé of four sentences the operation writes its personas from, two sentences swapped and the years changed (honest subjects give a one-line summary) |
//!
//! Each persona draws 3–7 behaviours (weighted towards the most reported: concealment,
//! off-hours work, crypto, avoiding video); shared infrastructure can add more (a shared
//! wallet implies a crypto request, a laptop farm remote-access tools).
//!
//! Personas that do not draw a behaviour look ordinary in that respect (residential
//! proxies in the claimed country, documents that pass, a stand-in on video), as real ones
//! often do.
//!
//! Innocent sharing is allowed where real life has it (households, coworking spaces,
//! agencies, default avatars); everyone else's e-mail, user name and home address are kept
//! unique, so that the test bed does not link honest people by accident.
//!
//! The IP blocks (residential ISPs per country, VPS and consumer-VPN ranges, Liaoning and
//! Russian ISPs, 175.45.176.0/22) are illustrative: picked so that a country-level
//! geolocation database places each where it is listed and the X4BNet datacenter list
//! covers the hosting ones and none of the residential ones (see `src/tables.rs`).
//! Names, addresses, phone numbers, wallets and account numbers are synthetic.

#![forbid(unsafe_code)]

mod clock;
mod identity;
mod plan;
mod story;
mod tables;
mod wallet;

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use redflag_model::{Kind, Record, SubjectId};
use serde::{Deserialize, Serialize};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Total number of subjects (default 400).
    pub subjects: usize,
    /// Share of subjects that are DPRK-style personas (default 0.06). Whenever there are at
    /// least 20 subjects and the share is above zero, at least one cluster of three is
    /// planted.
    pub persona_share: f64,
    /// Share of innocent look-alikes (default 0.25).
    pub lookalike_share: f64,
    /// Seed of every random choice (default 2025): the same config gives the same bytes.
    pub seed: u64,
    /// The "now" of the data: all events fall in the ~180 days before it, none after.
    /// Defaults to a fixed instant (2026-04-01T00:00:00Z) so the default config is
    /// reproducible; pass the current time for a population that ends today.
    pub anchor: jiff::Timestamp,
    /// Average number of records per subject (default 40). The profile, interviews,
    /// documents, contract, bids, checks and payouts come first; logins (most), activity,
    /// messages and device telemetry fill the rest.
    pub records_per_subject: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            subjects: 400,
            persona_share: 0.06,
            lookalike_share: 0.25,
            seed: 2025,
            anchor: jiff::Timestamp::constant(1_775_001_600, 0),
            records_per_subject: 40,
        }
    }
}

/// The kind of subject, as planted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A DPRK-style persona: several red flags, infrastructure shared within a cluster.
    Persona,
    /// An innocent subject showing one thing that resembles a red flag.
    Lookalike,
    /// An ordinary, honest freelancer.
    Legitimate,
}

/// Ground truth for one subject: what was planted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truth {
    /// The subject's id (`c-0042`).
    pub subject: SubjectId,
    /// Persona, look-alike or legitimate.
    pub role: Role,
    /// The persona cluster (1, 2, …); `None` for everyone else.
    pub cluster: Option<u32>,
    /// The patterns planted, e.g. `crypto_request`, `korean_canadian`, `traveller`,
    /// `shared_wallet` (see the crate docs for the list).
    pub traits: Vec<String>,
}

/// The trait that names each kind of innocent look-alike the generator plants (the first
/// trait of a look-alike is its kind, or a group's: `agency_staff`, `household`,
/// `coworking`, `default_avatar`).
pub fn lookalike_kinds() -> Vec<&'static str> {
    plan::Look::ALL
        .iter()
        .map(|look| look.trait_name())
        .chain(["agency_staff", "household", "coworking", "default_avatar"])
        .collect()
}

/// Streams every record to `sink`, one subject at a time, and returns the ground truth
/// (one small entry per subject). The first error from `sink` stops generation and is
/// returned.
pub fn generate(
    config: &Config,
    sink: &mut dyn FnMut(&Record) -> io::Result<()>,
) -> io::Result<Vec<Truth>> {
    let mut master = ChaCha8Rng::seed_from_u64(config.seed);
    let plan = plan::build(config, &mut master);
    let ctx = story::Ctx::new(config, &plan)?;
    let mut truth = Vec::with_capacity(config.subjects);
    // E-mail addresses, user names and home addresses in use: a few strings per subject.
    let mut taken = std::collections::HashSet::new();
    for idx in 0..config.subjects {
        let (t, _) = story::generate_subject(&ctx, idx, &mut taken, sink)?;
        truth.push(t);
    }
    Ok(truth)
}

/// The NDJSON file a record kind is written to (`logins.ndjson`, `activities.ndjson`…).
pub fn file_name(kind: Kind) -> String {
    match kind {
        Kind::Activity => "activities.ndjson".to_owned(),
        other => format!("{}s.ndjson", other.as_str()),
    }
}

/// Writes the population as NDJSON into `dir` (created if missing): one file per record
/// kind ([`file_name`]), plus `truth.json`, a JSON array of [`Truth`] (not `.ndjson`, so a
/// scan of the directory ignores it). Returns the truth and the number of records written.
pub fn write_dir(config: &Config, dir: &Path) -> io::Result<(Vec<Truth>, u64)> {
    fs::create_dir_all(dir)?;
    let mut files: HashMap<Kind, BufWriter<File>> = HashMap::new();
    let mut count = 0u64;
    let mut line = Vec::with_capacity(1024);
    let truth = generate(config, &mut |record: &Record| {
        let kind = record.kind();
        let out = match files.get_mut(&kind) {
            Some(f) => f,
            None => {
                let f = File::create(dir.join(file_name(kind)))?;
                files
                    .entry(kind)
                    .or_insert_with(|| BufWriter::with_capacity(64 * 1024, f))
            }
        };
        line.clear();
        serde_json::to_writer(&mut line, record).map_err(io::Error::other)?;
        line.push(b'\n');
        out.write_all(&line)?;
        count += 1;
        Ok(())
    })?;
    for (_, mut f) in files {
        f.flush()?;
    }
    let mut t = BufWriter::new(File::create(dir.join("truth.json"))?);
    serde_json::to_writer_pretty(&mut t, &truth).map_err(io::Error::other)?;
    t.write_all(b"\n")?;
    t.flush()?;
    Ok((truth, count))
}

//! One subject's story, from application to the anchor: who they claim to be, what the
//! organisation observed (interviews, documents, checks, contract, payouts) and the stream
//! of logins, work activity, messages and device telemetry.
//!
//! Each subject draws from its own RNG (seeded from the population seed and its index), so a
//! subject's records do not depend on how many records other subjects produced.

use std::collections::HashSet;
use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use jiff::tz::TimeZone;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use redflag_model::{
    Account, Activity, ActivityType, Address, Bid, Camera, Channel, CheckOutcome, CheckTarget,
    Contract, ContractEvent, CredentialCheck, Decimal, Device, DocStatus, DocType, Document,
    Fluency, Interview, InterviewMode, InterviewOutcome, Kind, LanguageSkill, Liveness, Location,
    Login, Message, MessageDirection, OnlineProfile, PHash, PartialDate, Payment, PaymentDirection,
    PaymentRequest, PayoutAccount, PayoutMethod, Rate, RatePeriod, Record, Shipment, Subject,
    Wallet, Work,
};

use crate::clock::{DAY, HOUR, Rhythm};
use crate::identity::{self, Person, PersonSpec, fold, pick, weighted};
use crate::plan::{self, Look, Plan, Shared, Slot, fill_pattern, hex_id, ip_from, ip_in};
use crate::tables::{
    self, CN_LIAONING, COMMERCIAL_VPN, COUNTRIES, Country, DEEPFAKE_INDICATORS, HOSTING,
    IT_SUPPORT_TITLES, KP_BLOCK, LISTED_LOOKALIKE_EMPLOYERS, MOBILE_UA, MULE_COUNTRIES, OS_LIST,
    Origin, PERSONA_CLAIMS, PIKVM_USB, REPOSITORIES, ROLES, RU_BLOCKS, USB_COMMON, WEB3_EMPLOYERS,
    WEB3_TITLES,
};
use crate::{Config, Role, Truth, wallet};

/// The organisation screening these people sits in Toronto; interviews, document requests
/// and contract events happen in its office hours.
const ORG_TZ: &str = "America/Toronto";

/// Shared, read-only context for all subjects.
pub(crate) struct Ctx<'a> {
    pub config: &'a Config,
    pub plan: &'a Plan,
    pub anchor: i64,
    pub now_ym: (i32, i32),
    pub org: Rhythm,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(config: &'a Config, plan: &'a Plan) -> io::Result<Ctx<'a>> {
        let org_tz = tz(ORG_TZ)?;
        let anchor = config.anchor.as_second();
        let d = TimeZone::UTC.to_datetime(config.anchor).date();
        let mut org = Rhythm::office(org_tz, 1.0, 1.0);
        org.core_len = 7 * HOUR;
        org.day_off_keep = 0.0;
        Ok(Ctx {
            config,
            plan,
            anchor,
            now_ym: (d.year() as i32, d.month() as i32),
            org,
        })
    }

    pub(crate) fn subject_id(&self, idx: usize) -> String {
        format!("c-{:0width$}", idx + 1, width = self.plan.width)
    }
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

fn parse<T: FromStr<Err = String>>(s: &str) -> io::Result<T> {
    s.parse().map_err(invalid)
}

fn tz(name: &str) -> io::Result<TimeZone> {
    TimeZone::get(name).map_err(invalid)
}

fn ts(secs: i64) -> io::Result<jiff::Timestamp> {
    jiff::Timestamp::from_second(secs).map_err(invalid)
}

fn amount(cents: i64) -> io::Result<redflag_model::Amount> {
    redflag_model::Amount::new(Decimal::new(cents.max(0), 2)).map_err(invalid)
}

fn ip(v: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(v))
}

fn date(y: i16, m: u8, d: u8) -> PartialDate {
    PartialDate {
        year: y,
        month: Some(m),
        day: Some(d),
    }
}

/// The UTC calendar date of the UNIX second `t`.
fn ymd(t: i64) -> (i16, u8, u8) {
    let d = TimeZone::UTC
        .to_datetime(jiff::Timestamp::from_second(t).unwrap_or(jiff::Timestamp::UNIX_EPOCH))
        .date();
    (d.year(), d.month() as u8, d.day() as u8)
}

/// Uniform in `[lo, hi)`.
fn u(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    rng.gen_range(lo..hi)
}

/// Seconds in `[lo_days, hi_days)` days.
fn days(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> i64 {
    (rng.gen_range(lo..hi) * DAY as f64) as i64
}

/// Record ids: `c-0042-login-17`.
struct Ids {
    sid: String,
    next: [u32; 16],
}

impl Ids {
    fn id(&mut self, kind: Kind) -> String {
        let i = (kind as usize).min(15);
        self.next[i] += 1;
        format!("{}-{}-{}", self.sid, kind.as_str(), self.next[i])
    }
}

#[derive(Clone, Copy, PartialEq)]
enum InterviewPlan {
    Clean,
    CameraTrouble,
    Avoid,
    Deepfake { then_avoid: bool },
}

#[derive(Clone, Copy, PartialEq)]
enum DocPlan {
    Clean,
    Late,
    ExpiredRenewed,
    Pending,
    Refused,
    VeryLate,
}

#[derive(Clone, Copy, PartialEq)]
enum CheckPlan {
    Confirmed,
    /// The school closed: its check comes back `unreachable` or `not_found`.
    SchoolGone(CheckOutcome),
    Failed,
    Sparse,
}

enum Second {
    ProfileUpdate,
    NameChange(String),
    Relocate(&'static Country),
    NewName(String, String),
    NewEducation,
}

struct AccountPlan {
    method: PayoutMethod,
    id: String,
    holder: String,
    institution: Option<String>,
    country: &'static str,
    number: Option<String>,
    email: Option<String>,
    wallet: Option<(&'static str, String)>,
    /// Seconds after the first account was added.
    added_after: i64,
}

struct Net {
    home: Vec<u32>,
    home_switch: i64,
    own_blocks: &'static [&'static str],
    /// (share, pool): hosting, leaks, farm, office, VPN exits…
    sources: Vec<(f64, Vec<u32>)>,
    /// Remaining logins come from rotating residential proxies in the claimed country.
    proxy: bool,
    trip: Option<(i64, i64, Vec<u32>, &'static [&'static str])>,
    kp_logins: usize,
    /// The public IP the managed device reports from, when it always sits behind one (a
    /// laptop farm's connection, or a VPS relay).
    device_ip: Option<u32>,
}

impl Net {
    /// The day before a trip and the day after it: the traveller is on the way, and a
    /// login then would have them at home and abroad hours apart, which no flight allows.
    fn in_flight(&self, t: i64) -> bool {
        self.trip.as_ref().is_some_and(|(from, to, _, _)| {
            (*from - DAY..*from).contains(&t) || (*to..*to + DAY).contains(&t)
        })
    }

    fn at(&self, rng: &mut ChaCha8Rng, t: i64) -> u32 {
        let trip = self
            .trip
            .as_ref()
            .filter(|(from, to, _, _)| (*from..*to).contains(&t));
        if let Some((_, _, hotel, blocks)) = trip {
            return if rng.gen_bool(0.75) && !hotel.is_empty() {
                *pick(rng, hotel)
            } else {
                ip_from(rng, blocks)
            };
        }
        let x: f64 = rng.r#gen();
        let mut acc = 0.0;
        for (share, pool) in &self.sources {
            acc += share;
            if x < acc && !pool.is_empty() {
                return *pick(rng, pool);
            }
        }
        if self.proxy {
            return ip_from(rng, self.own_blocks);
        }
        if rng.gen_bool(0.86) {
            if t < self.home_switch {
                self.home[0]
            } else {
                self.home[self.home.len() - 1]
            }
        } else {
            ip_from(rng, self.own_blocks)
        }
    }
}

struct DevicePlan {
    id: String,
    os: usize,
    tz: &'static str,
    locale: String,
    keyboards: Vec<String>,
    remote: Vec<&'static str>,
    vpn: Vec<&'static str>,
    usb: Vec<String>,
}

/// Every knob of one subject's story.
struct Story {
    role: Role,
    cluster: Option<u32>,
    traits: Vec<String>,
    person: Person,
    source: &'static str,
    referred_by: Option<String>,
    second: Option<Second>,
    interview: InterviewPlan,
    docs: DocPlan,
    forged: Vec<&'static str>,
    checks: CheckPlan,
    rf9: bool,
    bid_ratio: (f64, f64),
    accounts: Vec<AccountPlan>,
    period: (f64, f64),
    crypto_request: Option<(&'static str, String, &'static str)>,
    net: Net,
    device: DevicePlan,
    mfa: String,
    rhythm: Rhythm,
    ship_to: Option<(Address, String)>,
    messaging: &'static [(Channel, u32)],
    contact_phone: String,
    kp_phone: Option<String>,
    /// Lives with another subject (a household): the street address is shared on purpose.
    shared_home: bool,
    /// A résumé given in place of the one-line summary: a persona's copy of its
    /// operation's text.
    resume: Option<String>,
}

/// The behaviours a persona draws from (3–7 of them), with relative weights: concealment,
/// off-hours work, crypto and avoiding video are the most reported.
const PERSONA_TRAITS: &[(&str, f64)] = &[
    ("crypto", 3.0),
    ("documents_withheld", 2.0),
    ("document_forgery", 2.0),
    ("avoids_video", 3.0),
    ("deepfake", 1.5),
    ("low_bid", 2.0),
    ("work_before_contract", 1.5),
    ("credential_mismatch", 2.0),
    ("payout_churn", 2.5),
    ("hosting_logins", 3.0),
    ("remote_access_tools", 2.5),
    ("device_timezone_mismatch", 2.0),
    ("off_hours", 3.0),
    ("identity_change", 1.5),
    ("history_inconsistent", 2.0),
];

/// Behaviours that would give away a stolen identity: its papers, credentials and history
/// are a real person's, and they check out.
const IDENTITY_DOUBTS: &[&str] = &[
    "documents_withheld",
    "document_forgery",
    "credential_mismatch",
    "identity_change",
    "history_inconsistent",
];

/// `k` distinct behaviours, drawn by weight without replacement, none of `excluded`.
fn draw_traits(rng: &mut ChaCha8Rng, k: usize, excluded: &[&str]) -> Vec<&'static str> {
    let mut pool: Vec<(&'static str, f64)> = PERSONA_TRAITS
        .iter()
        .filter(|(t, _)| !excluded.contains(t))
        .copied()
        .collect();
    let mut out = Vec::with_capacity(k);
    while out.len() < k && !pool.is_empty() {
        let total: f64 = pool.iter().map(|(_, w)| w).sum();
        let mut x = rng.gen_range(0.0..total);
        let mut i = 0;
        while i + 1 < pool.len() && x >= pool[i].1 {
            x -= pool[i].1;
            i += 1;
        }
        out.push(pool.remove(i).0);
    }
    out
}

const FORGERY_ISSUES: &[&str] = &[
    "forgery_suspected",
    "photo_tampering",
    "font_mismatch",
    "name_mismatch",
    "dob_mismatch",
];

/// Where an honest profile came from.
const SOURCES: &[&str] = &[
    "freelance-platform",
    "freelance-platform",
    "referral",
    "careers-page",
];

const HONEST_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Email, 30),
    (Channel::Platform, 25),
    (Channel::Slack, 30),
    (Channel::Phone, 5),
    (Channel::Whatsapp, 10),
];

const PERSONA_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Email, 25),
    (Channel::Platform, 25),
    (Channel::Slack, 20),
    (Channel::Telegram, 20),
    (Channel::Whatsapp, 7),
    (Channel::Sms, 3),
];

fn payout_method_for(rng: &mut ChaCha8Rng, country: &Country) -> PayoutMethod {
    let table: &[(PayoutMethod, u32)] = match country.code {
        "US" => &[
            (PayoutMethod::BankTransfer, 50),
            (PayoutMethod::Paypal, 30),
            (PayoutMethod::Wise, 20),
        ],
        "CA" | "GB" | "AU" | "DE" | "FR" | "NL" | "ES" | "KR" | "JP" | "CN" | "PL" => &[
            (PayoutMethod::BankTransfer, 50),
            (PayoutMethod::Wise, 30),
            (PayoutMethod::Paypal, 20),
        ],
        _ => &[
            (PayoutMethod::Payoneer, 35),
            (PayoutMethod::Wise, 30),
            (PayoutMethod::Paypal, 20),
            (PayoutMethod::BankTransfer, 15),
        ],
    };
    *weighted(rng, table)
}

fn institution(method: PayoutMethod, country: &Country, rng: &mut ChaCha8Rng) -> String {
    match method {
        PayoutMethod::Paypal => "PayPal".to_owned(),
        PayoutMethod::Wise => "Wise".to_owned(),
        PayoutMethod::Payoneer => "Payoneer".to_owned(),
        _ => (*pick(rng, country.banks)).to_owned(),
    }
}

fn own_account(rng: &mut ChaCha8Rng, p: &Person) -> AccountPlan {
    let method = payout_method_for(rng, p.country);
    AccountPlan {
        method,
        id: format!("acct-{}", hex_id(rng, 8)),
        holder: p.name.clone(),
        institution: Some(institution(method, p.country, rng)),
        country: p.country.code,
        number: (method != PayoutMethod::Paypal)
            .then(|| format!("****{}", fill_pattern(rng, "####"))),
        email: (method == PayoutMethod::Paypal).then(|| p.email.clone()),
        wallet: None,
        added_after: 0,
    }
}

/// A crypto payout account: the subject's own wallet, in their name and country.
fn own_wallet(
    rng: &mut ChaCha8Rng,
    p: &Person,
    chain: &'static str,
    address: String,
) -> AccountPlan {
    AccountPlan {
        method: PayoutMethod::Crypto,
        id: format!("acct-{}", hex_id(rng, 8)),
        holder: p.name.clone(),
        institution: None,
        country: p.country.code,
        number: None,
        email: None,
        wallet: Some((chain, address)),
        added_after: 0,
    }
}

fn honest_device(rng: &mut ChaCha8Rng, p: &Person) -> DevicePlan {
    let mut usb: Vec<String> = Vec::new();
    for _ in 0..rng.gen_range(0..3) {
        let d = (*pick(rng, USB_COMMON)).to_owned();
        if !usb.contains(&d) {
            usb.push(d);
        }
    }
    DevicePlan {
        id: identity::device_id(rng),
        os: rng.gen_range(0..OS_LIST.len()),
        tz: p.city.tz,
        locale: p.country.locale.to_owned(),
        keyboards: p
            .country
            .keyboards
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        remote: Vec::new(),
        vpn: Vec::new(),
        usb,
    }
}

fn honest_net(rng: &mut ChaCha8Rng, p: &Person, anchor: i64) -> Net {
    let blocks = p.country.residential;
    let first = ip_from(rng, blocks);
    let mut home = vec![first];
    if rng.gen_bool(0.5) {
        home.push(ip_from(rng, blocks));
    }
    Net {
        home,
        home_switch: anchor - days(rng, 10.0, 120.0),
        own_blocks: blocks,
        sources: Vec::new(),
        proxy: false,
        trip: None,
        kp_logins: 0,
        device_ip: None,
    }
}

fn honest_person(rng: &mut ChaCha8Rng, country: &'static Country, now: (i32, i32)) -> Person {
    let origin = *weighted(rng, country.origins);
    let female = rng.gen_bool(0.35);
    identity::person(
        rng,
        PersonSpec {
            country,
            city: None,
            origin,
            female,
            age: (23, 52),
            given: None,
            family: None,
            persona: false,
        },
        now,
    )
}

fn country_or_first(code: &str) -> &'static Country {
    tables::country(code).unwrap_or(&COUNTRIES[0])
}

/// An honest baseline story: the legitimate freelancer every other kind starts from.
fn honest(ctx: &Ctx, rng: &mut ChaCha8Rng, person: Person, role: Role) -> io::Result<Story> {
    let tz_ = tz(person.city.tz)?;
    let rhythm = if role == Role::Legitimate && rng.gen_bool(0.06) {
        Rhythm::late(tz_, u(rng, 0.8, 0.9))
    } else {
        Rhythm::office(tz_, u(rng, -1.0, 1.5), u(rng, 0.85, 0.95))
    };
    let account = own_account(rng, &person);
    let device = honest_device(rng, &person);
    let net = honest_net(rng, &person, ctx.anchor);
    let contact_phone = person.phones[0].clone();
    let referred_by = if rng.gen_bool(0.1) && ctx.plan.slots.len() > 1 {
        // Referrals between honest subjects: any non-persona subject.
        let j = rng.gen_range(0..ctx.plan.slots.len());
        matches!(ctx.plan.slots[j], Slot::Legit | Slot::Look(_)).then(|| ctx.subject_id(j))
    } else {
        None
    };
    let period = if rng.gen_bool(0.6) {
        (28.0, 32.0)
    } else {
        (13.5, 14.5)
    };
    Ok(Story {
        role,
        cluster: None,
        traits: Vec::new(),
        source: SOURCES[rng.gen_range(0..SOURCES.len())],
        referred_by,
        second: rng.gen_bool(0.12).then_some(Second::ProfileUpdate),
        interview: InterviewPlan::Clean,
        docs: DocPlan::Clean,
        forged: Vec::new(),
        checks: if rng.gen_bool(0.8) {
            CheckPlan::Confirmed
        } else {
            CheckPlan::Sparse
        },
        rf9: false,
        bid_ratio: (0.92, 1.15),
        accounts: vec![account],
        period,
        crypto_request: None,
        net,
        device,
        mfa: format!("totp-{}", hex_id(rng, 8)),
        rhythm,
        ship_to: None,
        messaging: HONEST_CHANNELS,
        contact_phone,
        kp_phone: None,
        shared_home: false,
        resume: None,
        person,
    })
}

fn ship_home(p: &Person) -> io::Result<(Address, String)> {
    Ok((
        Address {
            line1: Some(p.street.clone()),
            line2: None,
            city: Some(p.city.name.to_owned()),
            region: Some(p.city.region.to_owned()),
            postal_code: Some(p.postal.clone()),
            country: Some(parse(p.country.code)?),
        },
        p.name.clone(),
    ))
}

fn legit(ctx: &Ctx, rng: &mut ChaCha8Rng) -> io::Result<Story> {
    let country = plan::weighted_country(rng);
    let person = honest_person(rng, country, ctx.now_ym);
    let mut s = honest(ctx, rng, person, Role::Legitimate)?;
    if rng.gen_bool(0.3) {
        s.ship_to = Some(ship_home(&s.person)?);
        s.traits.push("laptop_shipped".into());
    }
    if s.second.is_some() {
        s.traits.push("profile_update".into());
    }
    if s.rhythm.core_start >= 13 * HOUR {
        s.traits.push("late_schedule".into());
    }
    Ok(s)
}

fn lookalike(ctx: &Ctx, rng: &mut ChaCha8Rng, look: Look) -> io::Result<Story> {
    let now = ctx.now_ym;
    let person = match look {
        Look::KoreanCanadian => {
            let ca = country_or_first("CA");
            let female = rng.gen_bool(0.4);
            let (k_given, k_family) = identity::name_from(rng, Origin::Korean, female);
            let (given, _) = identity::name_from(rng, Origin::Anglo, female);
            let mut p = identity::person(
                rng,
                PersonSpec {
                    country: ca,
                    city: ca.cities.first(),
                    origin: Origin::Korean,
                    female,
                    age: (24, 45),
                    given: Some(given),
                    family: Some(k_family.clone()),
                    persona: false,
                },
                now,
            );
            p.other_names = vec![format!("{k_family} {k_given}")];
            p.languages = vec![("en", Fluency::Native), ("ko", Fluency::Fluent)];
            p
        }
        Look::SeoulDeveloper | Look::ChineseDeveloper => {
            let (code, origin) = if look == Look::SeoulDeveloper {
                ("KR", Origin::Korean)
            } else {
                ("CN", Origin::Chinese)
            };
            let c = country_or_first(code);
            let female = rng.gen_bool(0.35);
            let mut p = identity::person(
                rng,
                PersonSpec {
                    country: c,
                    city: if look == Look::SeoulDeveloper {
                        c.cities.first()
                    } else {
                        None
                    },
                    origin,
                    female,
                    age: (24, 45),
                    given: None,
                    family: None,
                    persona: false,
                },
                now,
            );
            p.other_names = vec![format!("{} {}", p.family, p.given)];
            p
        }
        Look::NameChange => {
            let c = plan::weighted_country(rng);
            let origin = *weighted(rng, c.origins);
            let female = rng.gen_bool(0.8);
            identity::person(
                rng,
                PersonSpec {
                    country: c,
                    city: None,
                    origin,
                    female,
                    age: (25, 45),
                    given: None,
                    family: None,
                    persona: false,
                },
                now,
            )
        }
        _ => {
            let c = plan::weighted_country(rng);
            honest_person(rng, c, now)
        }
    };
    let mut s = honest(ctx, rng, person, Role::Lookalike)?;
    s.second = None;
    apply_look(ctx, rng, &mut s, look)?;
    second_oddity(ctx, rng, &mut s, Some(look))?;
    Ok(s)
}

/// One look-alike in three shows a second innocent oddity besides the first.
fn second_oddity(
    ctx: &Ctx,
    rng: &mut ChaCha8Rng,
    s: &mut Story,
    first: Option<Look>,
) -> io::Result<()> {
    if !rng.gen_bool(0.35) {
        return Ok(());
    }
    let options: Vec<Look> = Look::ALL
        .iter()
        .copied()
        .filter(|l| l.can_come_second())
        .collect();
    let second = *pick(rng, &options);
    if Some(second) == first {
        return Ok(());
    }
    apply_look(ctx, rng, s, second)
}

/// Plants one look-alike's oddity in an honest story.
fn apply_look(ctx: &Ctx, rng: &mut ChaCha8Rng, s: &mut Story, look: Look) -> io::Result<()> {
    s.traits.push(look.trait_name().to_owned());
    match look {
        Look::CryptoFan => {
            let addr = wallet::ethereum(rng);
            s.crypto_request = Some((
                "ethereum",
                addr.clone(),
                "would like USDC on Ethereum if possible",
            ));
            if rng.gen_bool(0.5) {
                s.accounts = vec![own_wallet(rng, &s.person, "ethereum", addr)];
                s.period = (28.0, 32.0);
                s.traits.push("crypto_payout".into());
            }
        }
        Look::KoreanCanadian => {
            s.device.locale = "ko-KR".into();
            s.device.keyboards = vec!["en-US".into(), "ko-KR".into()];
        }
        Look::SeoulDeveloper | Look::ChineseDeveloper => {}
        Look::Traveller => {
            let mut dest = plan::weighted_country(rng);
            while dest.code == s.person.country.code {
                dest = plan::weighted_country(rng);
            }
            // The trip falls inside the working period (which starts at least ~5 weeks
            // before the anchor): 7–14 days, back at least 2 days before the anchor.
            let len = days(rng, 7.0, 14.5);
            let start = ctx.anchor - len - days(rng, 2.0, 20.0);
            let hotel = (0..rng.gen_range(1..3))
                .map(|_| ip_from(rng, dest.residential))
                .collect();
            s.net.trip = Some((start, start + len, hotel, dest.residential));
            s.traits
                .push(format!("trip_to_{}", dest.code.to_ascii_lowercase()));
        }
        Look::CommercialVpn => {
            let exits: Vec<u32> = (0..rng.gen_range(2..5))
                .map(|_| {
                    let block = pick(rng, COMMERCIAL_VPN).2;
                    ip_in(rng, block)
                })
                .collect();
            s.net.sources.push((u(rng, 0.6, 0.9), exits));
            s.device.vpn = vec![*pick(
                rng,
                &["nordvpn", "protonvpn", "mullvad", "expressvpn"],
            )];
        }
        Look::CameraTrouble => s.interview = InterviewPlan::CameraTrouble,
        Look::SlowPaperwork => {
            if rng.gen_bool(0.6) {
                s.docs = DocPlan::Late;
                s.traits.push("late_passport".into());
            } else {
                s.docs = DocPlan::ExpiredRenewed;
                s.traits.push("expired_document".into());
            }
        }
        Look::LowBid => s.bid_ratio = (0.75, 0.90),
        Look::CheckUnreachable => {
            s.checks = if rng.gen_bool(0.5) {
                CheckPlan::SchoolGone(CheckOutcome::Unreachable)
            } else {
                s.traits.push("school_not_found".into());
                CheckPlan::SchoolGone(CheckOutcome::NotFound)
            };
        }
        Look::ItSupport => {
            // Remote support is the trade: the tools are on the laptop and a KVM sits on
            // the bench, plugged into whatever machine is being fixed.
            let mut tools: Vec<&'static str> = vec!["anydesk", "teamviewer", "rustdesk"];
            tools.shuffle(rng);
            tools.truncate(rng.gen_range(1..=3));
            s.device.remote = tools;
            s.device.usb.push(if rng.gen_bool(0.5) {
                PIKVM_USB.to_owned()
            } else {
                "0557:2419 ATEN CS1922 KVM switch".to_owned()
            });
            if let Some(last) = s.person.work.last_mut() {
                last.title = Some((*pick(rng, IT_SUPPORT_TITLES)).to_owned());
            }
        }
        Look::Web3Weekly => {
            // Paid every week in a stablecoin, and juggling two part-time protocol gigs
            // whose titles do not say "part-time".
            let (chain, addr, note) = if rng.gen_bool(0.5) {
                (
                    "ethereum",
                    wallet::ethereum(rng),
                    "USDC on Ethereum, weekly please",
                )
            } else {
                (
                    "tron",
                    wallet::tron(rng),
                    "USDT (TRC-20) weekly is what I use",
                )
            };
            s.crypto_request = Some((chain, addr.clone(), note));
            s.accounts = vec![own_wallet(rng, &s.person, chain, addr)];
            s.period = (6.5, 7.5);
            let (y, m) = ctx.now_ym;
            let now_m = y * 12 + m - 1;
            let mut gigs: Vec<&str> = WEB3_EMPLOYERS.to_vec();
            gigs.shuffle(rng);
            for (i, employer) in gigs.into_iter().take(2).enumerate() {
                let start = now_m - rng.gen_range(4..14) - 3 * i as i32;
                s.person.work.push(Work {
                    employer: Some(employer.to_owned()),
                    title: Some((*pick(rng, WEB3_TITLES)).to_owned()),
                    start: Some(PartialDate {
                        year: (start / 12) as i16,
                        month: Some((start % 12 + 1) as u8),
                        day: None,
                    }),
                    end: None,
                    country: None,
                });
            }
        }
        Look::ListedEmployerName => {
            // A real company at home whose name happens to resemble a listed one abroad.
            let employer = (*pick(rng, LISTED_LOOKALIKE_EMPLOYERS)).to_owned();
            let past = s.person.work.len().saturating_sub(2);
            match s.person.work.get_mut(past) {
                Some(w) if w.end.is_some() => w.employer = Some(employer),
                _ => {
                    if let Some(last) = s.person.work.last_mut() {
                        last.employer = Some(employer);
                    }
                }
            }
        }
        Look::NightOwl => {
            let tz_ = tz(s.person.city.tz)?;
            s.rhythm = Rhythm::night_owl(tz_, u(rng, 0.72, 0.88));
        }
        Look::NameChange => {
            let (_, new_family) = identity::name_from(rng, s.person.origin, s.person.female);
            let new_family = if new_family == s.person.family {
                let (_, f) = identity::name_from(rng, Origin::Anglo, s.person.female);
                f
            } else {
                new_family
            };
            s.second = Some(Second::NameChange(new_family));
        }
    }
    Ok(())
}

fn agency_staff(ctx: &Ctx, rng: &mut ChaCha8Rng, a: usize) -> io::Result<Story> {
    let agency = &ctx.plan.agencies[a];
    let country = country_or_first(agency.country);
    let person = honest_person(rng, country, ctx.now_ym);
    let mut s = honest(ctx, rng, person, Role::Lookalike)?;
    s.second = None;
    s.traits.push("agency_staff".into());
    if let Some(last) = s.person.work.last_mut() {
        last.employer = Some(agency.name.clone());
        last.title = Some(
            pick(
                rng,
                &[
                    "Software Engineer",
                    "Senior Developer",
                    "Full-stack Developer",
                ],
            )
            .to_string(),
        );
    }
    s.accounts = vec![AccountPlan {
        method: PayoutMethod::BankTransfer,
        id: agency.account_id.clone(),
        holder: agency.name.clone(),
        institution: Some(country.banks[0].to_owned()),
        country: country.code,
        number: Some(agency.account_number.clone()),
        email: None,
        wallet: None,
        added_after: 0,
    }];
    if let Some((id, number, after)) = &agency.new_account {
        // The agency moved its payroll to another bank: a second account, same holder.
        s.accounts.push(AccountPlan {
            method: PayoutMethod::BankTransfer,
            id: id.clone(),
            holder: agency.name.clone(),
            institution: Some(country.banks[country.banks.len() - 1].to_owned()),
            country: country.code,
            number: Some(number.clone()),
            email: None,
            wallet: None,
            added_after: (after * DAY as f64) as i64,
        });
        s.traits.push("agency_changed_bank".into());
    }
    s.period = (28.0, 32.0);
    s.net
        .sources
        .push((u(rng, 0.4, 0.7), vec![agency.office_ip]));
    second_oddity(ctx, rng, &mut s, None)?;
    Ok(s)
}

/// A person living in the country and city given, otherwise ordinary.
fn resident(
    ctx: &Ctx,
    rng: &mut ChaCha8Rng,
    country: &'static Country,
    city: usize,
    family: Option<(Origin, String)>,
) -> io::Result<Story> {
    let city = country.cities.get(city).or(country.cities.first());
    let (origin, family) = match family {
        Some((origin, family)) => (origin, Some(family)),
        None => (*weighted(rng, country.origins), None),
    };
    let female = rng.gen_bool(0.45);
    let person = identity::person(
        rng,
        PersonSpec {
            country,
            city,
            origin,
            female,
            age: (23, 52),
            given: None,
            family,
            persona: false,
        },
        ctx.now_ym,
    );
    let mut s = honest(ctx, rng, person, Role::Lookalike)?;
    s.second = None;
    Ok(s)
}

/// Two people, one flat: one street address, one home connection, laptops delivered to
/// the same door.
fn household_member(ctx: &Ctx, rng: &mut ChaCha8Rng, h: usize) -> io::Result<Story> {
    let home = &ctx.plan.households[h];
    let country = country_or_first(home.country);
    let mut s = resident(ctx, rng, country, home.city, home.family.clone())?;
    s.person.street = home.street.clone();
    s.person.postal = home.postal.clone();
    s.net.home = vec![home.home_ip];
    s.shared_home = true;
    s.traits.push("household".into());
    if rng.gen_bool(0.6) {
        s.ship_to = Some(ship_home(&s.person)?);
        s.traits.push("laptop_shipped".into());
    }
    second_oddity(ctx, rng, &mut s, None)?;
    Ok(s)
}

/// Members of one coworking space: their own homes, one office connection by day.
fn coworker(ctx: &Ctx, rng: &mut ChaCha8Rng, c: usize) -> io::Result<Story> {
    let space = &ctx.plan.coworkings[c];
    let country = country_or_first(space.country);
    let mut s = resident(ctx, rng, country, space.city, None)?;
    s.net
        .sources
        .push((u(rng, 0.35, 0.65), vec![space.office_ip]));
    s.traits.push("coworking".into());
    second_oddity(ctx, rng, &mut s, None)?;
    Ok(s)
}

/// Strangers who never uploaded a photo: the platform's default avatar is their picture.
fn default_avatar(ctx: &Ctx, rng: &mut ChaCha8Rng, g: usize) -> io::Result<Story> {
    let country = plan::weighted_country(rng);
    let person = honest_person(rng, country, ctx.now_ym);
    let mut s = honest(ctx, rng, person, Role::Lookalike)?;
    s.second = None;
    s.person.phash = ctx.plan.avatars[g];
    s.traits.push("default_avatar".into());
    second_oddity(ctx, rng, &mut s, None)?;
    Ok(s)
}

fn persona(ctx: &Ctx, rng: &mut ChaCha8Rng, c: usize, m: usize) -> io::Result<Story> {
    let cluster = &ctx.plan.clusters[c];
    let shares: &[Shared] = cluster.shares.get(m).map(Vec::as_slice).unwrap_or(&[]);
    let has = |s: Shared| shares.contains(&s);

    // 3–7 behaviours, at a strength of their own. One persona in four works under a
    // stolen real identity, whose documents, credentials and history all check out.
    let stolen = rng.gen_bool(0.25);
    let k = rng.gen_range(3..=7);
    let chosen = draw_traits(rng, k, if stolen { IDENTITY_DOUBTS } else { &[] });
    let on = |t: &str| chosen.contains(&t);
    let strength = u(rng, 0.35, 1.0);

    // The claimed identity: a Western or third-country profile; names of any origin.
    let claim = if has(Shared::LaptopFarm) {
        "US"
    } else {
        *weighted(rng, PERSONA_CLAIMS)
    };
    let country = country_or_first(claim);
    let origin = if rng.gen_bool(0.5) {
        *weighted(rng, country.origins)
    } else {
        *pick(rng, Origin::ALL)
    };
    let female = rng.gen_bool(0.25);
    let mut person = identity::person(
        rng,
        PersonSpec {
            country,
            city: None,
            origin,
            female,
            age: (24, 36),
            given: None,
            family: None,
            persona: true,
        },
        ctx.now_ym,
    );
    // Profiles of these personas tend to be young, with reused or thin histories; a
    // stolen identity keeps its owner's.
    if !stolen && let Some(l) = person.linkedin.as_mut() {
        l.1 = rng.gen_range(40..300);
    }

    let mut s = honest(ctx, rng, person, Role::Persona)?;
    s.cluster = Some(cluster.id);
    s.second = None;
    s.source = "freelance-platform";
    s.referred_by = None;
    s.checks = if stolen || rng.gen_bool(0.5) {
        CheckPlan::Confirmed
    } else {
        CheckPlan::Sparse
    };
    s.messaging = PERSONA_CHANNELS;
    s.bid_ratio = (0.82, 1.0);
    s.period = if rng.gen_bool(0.5) {
        (13.5, 14.5)
    } else {
        (28.0, 32.0)
    };
    s.rhythm = Rhythm::office(tz(s.person.city.tz)?, u(rng, -0.5, 0.5), u(rng, 0.7, 0.85));
    s.net.proxy = true;
    if !s.person.phones.is_empty() {
        // Personas use VoIP numbers in the claimed country's format.
        s.person.phones[0] = fill_pattern(rng, "+1 %## %## ####");
        if claim != "US" && claim != "CA" {
            s.person.phones[0] = fill_pattern(rng, s.person.country.phone);
        }
    }
    let mut traits: Vec<String> = Vec::new();
    if stolen {
        traits.push("stolen_identity".into());
    }

    if on("crypto") || has(Shared::Wallet) {
        let (chain, addr) = if has(Shared::Wallet) {
            (cluster.wallet_chain, cluster.wallet.clone())
        } else if rng.gen_bool(0.7) {
            ("tron", wallet::tron(rng))
        } else {
            ("ethereum", wallet::ethereum(rng))
        };
        let note = if chain == "tron" {
            "prefers USDT on TRON (TRC-20), lower fees"
        } else {
            "USDT (ERC-20) to this wallet please"
        };
        s.crypto_request = Some((chain, addr.clone(), note));
        traits.push("crypto_request".into());
        if rng.gen_bool(0.6) {
            s.accounts = vec![AccountPlan {
                method: PayoutMethod::Crypto,
                id: format!("acct-{}", hex_id(rng, 8)),
                holder: s.person.name.clone(),
                institution: None,
                country: claim,
                number: None,
                email: None,
                wallet: Some((chain, addr)),
                added_after: 0,
            }];
            traits.push("crypto_payout".into());
        }
    }
    if on("documents_withheld") {
        s.docs = *pick(
            rng,
            &[DocPlan::Pending, DocPlan::Refused, DocPlan::VeryLate],
        );
        traits.push(
            if s.docs == DocPlan::VeryLate {
                "documents_late"
            } else {
                "documents_withheld"
            }
            .into(),
        );
    }
    if on("document_forgery") {
        let mut issues = FORGERY_ISSUES.to_vec();
        issues.shuffle(rng);
        issues.truncate(if strength > 0.7 { 2 } else { 1 });
        s.forged = issues;
        traits.push("document_forgery".into());
    }
    if on("avoids_video") && on("deepfake") {
        s.interview = InterviewPlan::Deepfake { then_avoid: true };
        traits.push("deepfake".into());
        traits.push("avoids_video".into());
    } else if on("avoids_video") {
        s.interview = InterviewPlan::Avoid;
        traits.push("avoids_video".into());
    } else if on("deepfake") {
        s.interview = InterviewPlan::Deepfake { then_avoid: false };
        traits.push("deepfake".into());
    }
    if on("low_bid") {
        s.bid_ratio = (0.30, 0.50);
        traits.push("low_bid".into());
    }
    if on("work_before_contract") {
        s.rf9 = true;
        traits.push("work_before_contract".into());
    }
    if on("credential_mismatch") {
        s.checks = CheckPlan::Failed;
        traits.push("credential_mismatch".into());
    }
    if on("payout_churn") {
        let n = rng.gen_range(3..=5);
        let mut accounts = Vec::new();
        let spread = days(rng, 10.0, 28.0);
        for i in 0..n {
            let method = *pick(
                rng,
                &[
                    PayoutMethod::Payoneer,
                    PayoutMethod::Wise,
                    PayoutMethod::Paypal,
                ],
            );
            let (holder, holder_country) = if i == 0 && rng.gen_bool(0.5) {
                (s.person.name.clone(), claim)
            } else if rng.gen_bool(0.4) {
                (
                    (*pick(rng, tables::FRONT_COMPANIES)).to_owned(),
                    *pick(rng, MULE_COUNTRIES),
                )
            } else {
                let origin = *pick(rng, Origin::ALL);
                let female = rng.gen_bool(0.3);
                let (g, f) = identity::name_from(rng, origin, female);
                (format!("{g} {f}"), *pick(rng, MULE_COUNTRIES))
            };
            accounts.push(AccountPlan {
                method,
                id: format!("acct-{}", hex_id(rng, 8)),
                email: (method == PayoutMethod::Paypal)
                    .then(|| format!("{}{}@gmail.com", fold(&holder), fill_pattern(rng, "###"))),
                number: (method != PayoutMethod::Paypal)
                    .then(|| format!("****{}", fill_pattern(rng, "####"))),
                institution: Some(institution(method, country, rng)),
                holder,
                country: holder_country,
                wallet: None,
                added_after: spread * i as i64 / (n as i64 - 1).max(1),
            });
        }
        // Keep a crypto payout account, if any, in the rotation.
        if s.accounts
            .first()
            .is_some_and(|a| a.method == PayoutMethod::Crypto)
        {
            let mut crypto = s.accounts.remove(0);
            crypto.added_after = spread / 2;
            accounts.push(crypto);
        }
        s.accounts = accounts;
        s.period = (3.0, 7.5);
        traits.push("payout_churn".into());
    }
    if has(Shared::PayoutAccount) {
        let method = match cluster.account_method {
            "wise" => PayoutMethod::Wise,
            "paypal" => PayoutMethod::Paypal,
            _ => PayoutMethod::Payoneer,
        };
        let plan = AccountPlan {
            method,
            id: cluster.account_id.clone(),
            holder: cluster.account_holder.clone(),
            institution: Some(institution(method, country, rng)),
            country: cluster.account_country,
            number: Some(cluster.account_number.clone()),
            email: None,
            wallet: None,
            added_after: if s.accounts.len() > 1 {
                days(rng, 3.0, 12.0)
            } else {
                0
            },
        };
        if s.accounts.len() > 1
            || s.accounts
                .first()
                .is_some_and(|a| a.method == PayoutMethod::Crypto)
        {
            s.accounts.push(plan);
        } else {
            s.accounts = vec![plan];
        }
    }
    if cluster.nexus.get(m).copied().unwrap_or(false) {
        // A direct DPRK nexus: rare (about one persona in 15), and decisive.
        match rng.gen_range(0..3) {
            0 => {
                let p = fill_pattern(rng, "+850 2 381 ####");
                s.kp_phone = Some(p.clone());
                s.person.phones.push(p);
                traits.push("dprk_nexus_phone".into());
            }
            1 => {
                s.accounts.push(AccountPlan {
                    method: PayoutMethod::BankTransfer,
                    id: format!("acct-{}", hex_id(rng, 8)),
                    holder: (*pick(rng, tables::FRONT_COMPANIES)).to_owned(),
                    institution: Some("Korea Kwangson Banking Corp".to_owned()),
                    country: "KP",
                    number: Some(format!("****{}", fill_pattern(rng, "####"))),
                    email: None,
                    wallet: None,
                    added_after: days(rng, 5.0, 20.0),
                });
                traits.push("dprk_nexus_account".into());
            }
            _ => {
                s.net.kp_logins = rng.gen_range(1..=2);
                traits.push("dprk_nexus_login".into());
            }
        }
        traits.push("dprk_nexus".into());
    }

    // Concealment: VPS and VPN address space instead of a home connection.
    let mut hosting_pool: Vec<u32> = Vec::new();
    let mut hosting_share = 0.0;
    if !on("hosting_logins") && !has(Shared::LaptopFarm) {
        // Rotating residential proxies in the claimed country: no VPN or VPS to see.
        traits.push("residential_proxy".into());
    }
    if on("hosting_logins") {
        let local: Vec<_> = HOSTING.iter().filter(|h| h.1 == claim).collect();
        for _ in 0..rng.gen_range(2..4) {
            let block = if !local.is_empty() && rng.gen_bool(0.7) {
                pick(rng, &local).2
            } else {
                pick(rng, HOSTING).2
            };
            hosting_pool.push(ip_in(rng, block));
        }
        hosting_share = 0.45 + 0.5 * strength;
        traits.push("hosting_logins".into());
        if rng.gen_bool(0.6) {
            let leak: Vec<u32> = (0..rng.gen_range(1..3))
                .map(|_| {
                    if rng.gen_bool(0.75) {
                        ip_from(rng, CN_LIAONING)
                    } else {
                        ip_from(rng, RU_BLOCKS)
                    }
                })
                .collect();
            s.net.sources.push((u(rng, 0.02, 0.08), leak));
            traits.push("leaked_origin".into());
        }
    }
    if has(Shared::PublicIp) {
        hosting_pool.push(cluster.vps_ip);
        s.net.device_ip = Some(cluster.vps_ip);
        hosting_share = f64::max(hosting_share, u(rng, 0.3, 0.6));
    }
    if !hosting_pool.is_empty() {
        s.net.sources.push((hosting_share.min(0.95), hosting_pool));
    }
    if has(Shared::LaptopFarm) {
        let share = (1.0 - hosting_share).max(0.0) * u(rng, 0.6, 0.95);
        s.net.sources.push((share, vec![cluster.farm_ip]));
        s.net.device_ip = Some(cluster.farm_ip);
        let (line, farm_city) = (&cluster.farm.0, cluster.farm.1);
        let addr = Address {
            line1: Some(line.clone()),
            line2: None,
            city: Some(farm_city.name.to_owned()),
            region: Some(farm_city.region.to_owned()),
            postal_code: Some(farm_city.postal.to_owned()),
            country: Some(parse("US")?),
        };
        if rng.gen_bool(0.5) {
            // The profile gives the farm as home (its city and time zone too).
            s.person.city = farm_city;
            s.person.street = line.clone();
            s.person.postal = farm_city.postal.to_owned();
            s.device.tz = farm_city.tz;
            s.rhythm = Rhythm::office(tz(farm_city.tz)?, u(rng, -0.5, 0.5), u(rng, 0.7, 0.85));
            traits.push("farm_as_home".into());
        }
        s.ship_to = Some((addr, s.person.name.clone()));
    } else if rng.gen_bool(0.3) {
        s.ship_to = Some(ship_home(&s.person)?);
    }

    if on("remote_access_tools") || has(Shared::LaptopFarm) {
        let mut tools = vec![*pick(
            rng,
            &["anydesk", "teamviewer", "rustdesk", "chrome_remote_desktop"],
        )];
        if rng.gen_bool(0.4) {
            let t = *pick(rng, &["anydesk", "teamviewer"]);
            if !tools.contains(&t) {
                tools.push(t);
            }
        }
        s.device.remote = tools;
        if rng.gen_bool(0.7) {
            s.device.vpn = vec!["astrill"];
        }
        if has(Shared::LaptopFarm) || rng.gen_bool(0.35) {
            s.device.usb.push(PIKVM_USB.to_owned());
            traits.push("pikvm".into());
        }
        traits.push("remote_access_tools".into());
    }
    if on("device_timezone_mismatch") {
        s.device.tz = cluster.ops_tz;
        traits.push("device_timezone_mismatch".into());
    }
    if rng.gen_bool(0.25) {
        // A Korean keyboard layout: a language, never a signal on its own.
        s.device.keyboards.push("ko-KR".into());
    }
    if on("off_hours") {
        if rng.gen_bool(0.7) {
            s.rhythm = Rhythm::pyongyang(tz("Asia/Pyongyang")?, 0.5 + 0.45 * strength);
            traits.push("pyongyang_hours".into());
        } else {
            s.rhythm = Rhythm::round_the_clock();
            traits.push("round_the_clock".into());
        }
    }
    if on("identity_change") {
        s.second = Some(match rng.gen_range(0..10) {
            0..=5 => {
                let to_code: &&str = weighted(rng, PERSONA_CLAIMS);
                let mut to = country_or_first(to_code);
                if to.code == claim {
                    to = country_or_first(if claim == "US" { "CA" } else { "US" });
                }
                Second::Relocate(to)
            }
            6..=8 => {
                let origin = *pick(rng, Origin::ALL);
                let (g, f) = identity::name_from(rng, origin, s.person.female);
                Second::NewName(g, f)
            }
            _ => Second::NewEducation,
        });
        traits.push("identity_change".into());
    }
    if on("history_inconsistent") {
        let created_days = days(rng, 60.0, 200.0);
        let created = ymd(ctx.anchor - created_days);
        let oldest = ymd(ctx.anchor - created_days - days(rng, 700.0, 2200.0));
        s.person.github = Some((created, oldest));
        s.person.linkedin = Some((
            ymd(ctx.anchor - days(rng, 60.0, 240.0)),
            rng.gen_range(3..35),
        ));
        if s.person.work.len() >= 2 && rng.gen_bool(0.6) {
            // Two jobs that overlap by months.
            let n = s.person.work.len();
            if let (Some(end), Some(start)) = (s.person.work[n - 2].end, s.person.work[n - 2].start)
            {
                let end_m =
                    end.year as i32 * 12 + end.month.unwrap_or(1) as i32 + rng.gen_range(6..18);
                let cap = ctx.now_ym.0 * 12 + ctx.now_ym.1 - 2;
                let end_m = end_m.min(cap).max(start.year as i32 * 12 + 1);
                s.person.work[n - 2].end = Some(PartialDate {
                    year: ((end_m - 1) / 12) as i16,
                    month: Some(((end_m - 1) % 12 + 1) as u8),
                    day: None,
                });
            }
        }
        traits.push("history_inconsistent".into());
    }

    // Shared identifiers inside the cluster.
    for &sh in shares {
        match sh {
            Shared::Phone => {
                s.person.phones[0] = cluster.phone.clone();
            }
            Shared::Photo => {
                // The same photo, re-encoded (identical or a bit apart), or cropped and
                // recoloured so that its hash is 3–6 bits away.
                let mut h = cluster.phash;
                if rng.gen_bool(0.35) {
                    for _ in 0..rng.gen_range(3..=6) {
                        h ^= 1u64 << rng.gen_range(0..64);
                    }
                    traits.push("photo_edited".into());
                } else if rng.gen_bool(0.6) {
                    h ^= 1u64 << rng.gen_range(0..64);
                }
                s.person.phash = h;
            }
            Shared::Device => s.device.id = cluster.device_id.clone(),
            Shared::Resume => {
                // The operation's text with two sentences swapped and the years changed:
                // enough to pass a glance, not a comparison.
                let mut parts = cluster.resume.clone();
                if parts.len() >= 2 && rng.gen_bool(0.6) {
                    let i = rng.gen_range(0..parts.len() - 1);
                    parts.swap(i, i + 1);
                }
                let text = format!("{}.", parts.join(". "));
                let years = *pick(rng, &["seven", "eight", "nine", "ten"]);
                s.resume = Some(text.replace("eight years", &format!("{years} years")));
            }
            Shared::Mfa => s.mfa = cluster.mfa_device.clone(),
            Shared::Wallet | Shared::PayoutAccount | Shared::LaptopFarm | Shared::PublicIp => {}
        }
        traits.push(sh.trait_name().to_owned());
    }
    if m > 0 && rng.gen_bool(0.3) {
        s.referred_by = Some(ctx.subject_id(cluster.members[rng.gen_range(0..m)]));
        traits.push("referred_by_cluster".into());
    }
    s.contact_phone = s.person.phones[0].clone();
    if s.accounts.len() == 1
        && s.accounts[0].method != PayoutMethod::Crypto
        && !has(Shared::PayoutAccount)
    {
        // A single ordinary account: payoneer or wise in the claimed name.
        let method = *pick(
            rng,
            &[
                PayoutMethod::Payoneer,
                PayoutMethod::Wise,
                PayoutMethod::Paypal,
            ],
        );
        s.accounts[0].method = method;
        s.accounts[0].institution = Some(institution(method, country, rng));
        s.accounts[0].email = (method == PayoutMethod::Paypal).then(|| s.person.email.clone());
        s.accounts[0].number =
            (method != PayoutMethod::Paypal).then(|| format!("****{}", fill_pattern(rng, "####")));
    }
    s.traits = traits;
    Ok(s)
}

fn subject_seed(seed: u64, idx: usize) -> u64 {
    let mut z = seed ^ (idx as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Generates subject `idx` and streams its records to `sink`. Returns its truth and the
/// number of records written.
/// Keeps e-mail addresses, user names and home addresses unique across honest subjects:
/// two "James Smith"s are common, two people with one mailbox are not, and the test bed must
/// not link innocent people by accident. Personas keep their deliberate overlaps.
fn make_unique(story: &mut Story, taken: &mut HashSet<String>, rng: &mut ChaCha8Rng) {
    let p = &mut story.person;
    while taken.contains(&format!("email:{}", p.email)) {
        if let Some((local, domain)) = p.email.split_once('@') {
            p.email = format!("{local}{}@{domain}", rng.gen_range(0..10));
        }
    }
    taken.insert(format!("email:{}", p.email));
    while taken.contains(&format!("user:{}", p.username)) {
        p.username = format!("{}{}", p.username, rng.gen_range(0..10));
    }
    taken.insert(format!("user:{}", p.username));
    if story.role == Role::Persona || story.shared_home {
        return;
    }
    let key = |p: &Person| format!("addr:{}|{}|{}", p.street, p.city.name, p.postal);
    let old = p.street.clone();
    while taken.contains(&key(p)) {
        let unit = rng.gen_range(1..60);
        p.street = if p.country.number_first {
            format!("{old}, Apt {unit}")
        } else {
            format!("{old}/{unit}")
        };
    }
    taken.insert(key(p));
    let moved = story
        .ship_to
        .as_mut()
        .filter(|(a, _)| a.line1.as_deref() == Some(old.as_str()));
    if let Some((addr, _)) = moved {
        addr.line1 = Some(p.street.clone());
    }
}

pub(crate) fn generate_subject(
    ctx: &Ctx,
    idx: usize,
    taken: &mut HashSet<String>,
    sink: &mut dyn FnMut(&Record) -> io::Result<()>,
) -> io::Result<(Truth, u64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(subject_seed(ctx.config.seed, idx));
    let story = match ctx.plan.slots[idx] {
        Slot::Legit => legit(ctx, &mut rng)?,
        Slot::Look(look) => lookalike(ctx, &mut rng, look)?,
        Slot::Agency(a) => agency_staff(ctx, &mut rng, a)?,
        Slot::Household(h) => household_member(ctx, &mut rng, h)?,
        Slot::Coworking(c) => coworker(ctx, &mut rng, c)?,
        Slot::DefaultAvatar(g) => default_avatar(ctx, &mut rng, g)?,
        Slot::Persona { cluster, member } => persona(ctx, &mut rng, cluster, member)?,
    };
    let sid = ctx.subject_id(idx);
    let mut story = story;
    if story.referred_by.as_deref() == Some(sid.as_str()) {
        story.referred_by = None;
    }
    make_unique(&mut story, taken, &mut rng);
    let mut w = Writer {
        ctx,
        rng,
        story,
        subject: parse(&sid)?,
        ids: Ids { sid, next: [0; 16] },
        records: Vec::with_capacity(64),
    };
    let written = w.run(sink)?;
    let truth = Truth {
        subject: w.subject.clone(),
        role: w.story.role,
        cluster: w.story.cluster,
        traits: std::mem::take(&mut w.story.traits),
    };
    Ok((truth, written))
}

/// Turns a story into records.
struct Writer<'c, 'a> {
    ctx: &'c Ctx<'a>,
    rng: ChaCha8Rng,
    story: Story,
    subject: redflag_model::SubjectId,
    ids: Ids,
    records: Vec<Record>,
}

impl Writer<'_, '_> {
    fn org_time(&mut self, from: i64, to: i64) -> i64 {
        let to = to.min(self.ctx.anchor - HOUR);
        self.ctx.org.sample(&mut self.rng, from.min(to - 1), to)
    }

    fn own_time(&mut self, from: i64, to: i64) -> i64 {
        let to = to.min(self.ctx.anchor - 60);
        let r = self.story.rhythm.clone();
        r.sample(&mut self.rng, from.min(to - 1), to)
    }

    fn run(&mut self, sink: &mut dyn FnMut(&Record) -> io::Result<()>) -> io::Result<u64> {
        let a = self.ctx.anchor;
        let rng = &mut self.rng;
        // Timeline: application 60–172 days before the anchor; everything else follows.
        let t_apply = a - days(rng, 60.0, 172.0);
        let offered = t_apply + days(rng, 10.0, 16.0);
        let signed = offered + days(rng, 0.5, 3.0);
        let security = signed + days(rng, 0.2, 2.0);
        let started = security + days(rng, 1.0, 5.0);

        self.subject_records(t_apply, started)?;
        self.bids(t_apply)?;
        self.interviews(t_apply)?;
        self.documents(t_apply)?;
        self.checks(t_apply)?;
        let work_start = self.contract(offered, signed, security, started)?;
        self.shipment(offered)?;
        self.payouts(signed, work_start)?;

        let target = (self.ctx.config.records_per_subject as f64 * self.rng.gen_range(0.75..1.25))
            .round() as usize;
        let fill = target.saturating_sub(self.records.len()).max(6);
        let mut written = 0u64;
        for r in self.records.drain(..) {
            sink(&r)?;
            written += 1;
        }
        written += self.fill(work_start, fill, sink)?;
        Ok(written)
    }

    fn push(&mut self, r: Record) {
        self.records.push(r);
    }

    fn subject_records(&mut self, t_apply: i64, started: i64) -> io::Result<()> {
        let p = &self.story.person;
        let v1 = self.subject_record(p, t_apply)?;
        let second = self.story.second.take();
        let mut v2 = None;
        if let Some(change) = &second {
            let when = self.own_time(started + 10 * DAY, self.ctx.anchor - 2 * DAY);
            let mut q = self.story.person.clone();
            match change {
                Second::ProfileUpdate => {
                    q.rate = (q.rate as f64 * self.rng.gen_range(1.05..1.2)) as u32;
                }
                Second::NameChange(new_family) => {
                    q.other_names.push(q.name.clone());
                    q.family = new_family.clone();
                    q.name = format!("{} {}", q.given, q.family);
                }
                Second::Relocate(to) => {
                    let city = pick(&mut self.rng, to.cities);
                    q.country = to;
                    q.city = city;
                    q.street = {
                        let st = pick(&mut self.rng, to.streets);
                        let n = self.rng.gen_range(1..400);
                        if to.number_first {
                            format!("{n} {st}")
                        } else {
                            format!("{st} {n}")
                        }
                    };
                    q.postal = fill_pattern(&mut self.rng, city.postal);
                    if self.rng.gen_bool(0.3) {
                        q.nationality = to.code;
                    }
                }
                Second::NewName(g, f) => {
                    q.given = g.clone();
                    q.family = f.clone();
                    q.name = format!("{g} {f}");
                }
                Second::NewEducation => {
                    if let Some(e) = q.education.first_mut() {
                        e.institution =
                            Some((*pick(&mut self.rng, q.country.universities)).to_owned());
                        e.degree = Some("MSc".to_owned());
                    }
                }
            }
            v2 = Some(self.subject_record(&q, when)?);
            // Documents and payout accounts were collected at hiring, under the first
            // version's name; they are not rewritten.
        }
        self.push(Record::Subject(Box::new(v1)));
        if let Some(v2) = v2 {
            self.push(Record::Subject(Box::new(v2)));
        }
        self.story.second = second;
        Ok(())
    }

    fn subject_record(&self, p: &Person, at: i64) -> io::Result<Subject> {
        let mut languages = Vec::new();
        for (tag, fl) in &p.languages {
            languages.push(LanguageSkill {
                language: parse(tag)?,
                fluency: Some(*fl),
            });
        }
        let mut phones = Vec::new();
        for ph in &p.phones {
            phones.push(parse(ph)?);
        }
        let mut profiles = Vec::new();
        if let Some((created, oldest)) = p.github {
            profiles.push(OnlineProfile {
                network: "github".into(),
                username: Some(p.username.clone()),
                url: Some(format!("https://github.com/{}", p.username)),
                created: Some(date(created.0, created.1, created.2)),
                oldest_activity: Some(date(oldest.0, oldest.1, oldest.2)),
                connections: None,
            });
        }
        if let Some((created, connections)) = p.linkedin {
            profiles.push(OnlineProfile {
                network: "linkedin".into(),
                username: None,
                url: Some(format!(
                    "https://www.linkedin.com/in/{}-{}",
                    fold(&p.given),
                    fold(&p.family)
                )),
                created: Some(date(created.0, created.1, created.2)),
                oldest_activity: None,
                connections: Some(connections),
            });
        }
        let (role, skills) = ROLES[p.role % ROLES.len()];
        let years = self.ctx.now_ym.0
            - p.education
                .first()
                .and_then(|e| e.end)
                .map(|d| d.year as i32)
                .unwrap_or(self.ctx.now_ym.0 - 5);
        let employer = p
            .work
            .iter()
            .rev()
            .find_map(|w| w.employer.as_deref().filter(|e| *e != "Self-employed"))
            .unwrap_or("several startups");
        let resume = self.story.resume.clone().unwrap_or_else(|| {
            format!(
                "{} with {} years of experience in {}, {} and {}. Previously at {}.",
                capitalise(role),
                years.max(1),
                skills[0],
                skills[1],
                skills[2],
                employer
            )
        });
        Ok(Subject {
            id: self.subject.clone(),
            observed_at: Some(ts(at)?),
            source: Some(self.story.source.to_owned()),
            name: Some(p.name.clone()),
            other_names: p.other_names.clone(),
            date_of_birth: Some(date(p.birth.0, p.birth.1, p.birth.2)),
            nationality: Some(parse(p.nationality)?),
            location: Some(Location {
                country: Some(parse(p.country.code)?),
                region: Some(p.city.region.to_owned()),
                city: Some(p.city.name.to_owned()),
                timezone: Some(parse(p.city.tz)?),
            }),
            languages,
            emails: vec![parse(&p.email)?],
            phones,
            profiles,
            referred_by: match &self.story.referred_by {
                Some(r) => Some(parse(r)?),
                None => None,
            },
            education: p.education.clone(),
            work: p.work.clone(),
            role: Some(role.to_owned()),
            rate: Some(Rate {
                amount: amount(p.rate as i64 * 100)?,
                currency: parse("USD")?,
                per: Some(RatePeriod::Hour),
            }),
            photo_phash: Some(PHash(p.phash)),
            resume_text: Some(resume),
            address: Some(Address {
                line1: Some(p.street.clone()),
                line2: None,
                city: Some(p.city.name.to_owned()),
                region: Some(p.city.region.to_owned()),
                postal_code: Some(p.postal.clone()),
                country: Some(parse(p.country.code)?),
            }),
        })
    }

    fn bids(&mut self, t_apply: i64) -> io::Result<()> {
        let n = self.rng.gen_range(1..=3);
        let (lo, hi) = self.story.bid_ratio;
        let country = self.story.person.country;
        for _ in 0..n {
            let at = self.own_time(t_apply - 3 * DAY, t_apply + DAY);
            let fixed = self.rng.gen_bool(0.15);
            let market = if fixed {
                self.rng.gen_range(1500.0..6000.0)
            } else {
                // The market rate for the role, from the claimed country's range.
                self.rng
                    .gen_range(country.rate.0 as f64..country.rate.1 as f64 + 1.0)
            };
            let k = self.rng.gen_range(3..=8);
            let mut competing: Vec<f64> = (0..k)
                .map(|_| (market * self.rng.gen_range(0.75..1.3)).round())
                .collect();
            competing.sort_by(f64::total_cmp);
            let median = if k % 2 == 1 {
                competing[k / 2]
            } else {
                (competing[k / 2 - 1] + competing[k / 2]) / 2.0
            };
            let bid = (median * self.rng.gen_range(lo..hi)).round().max(1.0);
            competing.shuffle(&mut self.rng);
            let mut comp = Vec::with_capacity(k);
            for c in &competing {
                comp.push(amount(*c as i64 * 100)?);
            }
            let id = self.ids.id(Kind::Bid);
            let project = format!("proj-{}", fill_pattern(&mut self.rng, "%###"));
            self.push(Record::Bid(Bid {
                id: Some(id),
                subject: self.subject.clone(),
                at: ts(at)?,
                project: Some(project),
                role: Some(ROLES[self.story.person.role % ROLES.len()].0.to_owned()),
                amount: amount(bid as i64 * 100)?,
                currency: parse("USD")?,
                per: Some(if fixed {
                    RatePeriod::Project
                } else {
                    RatePeriod::Hour
                }),
                competing: comp,
            }));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn interview(
        &mut self,
        at: i64,
        mode: InterviewMode,
        outcome: InterviewOutcome,
        camera: Option<Camera>,
        liveness: Option<Liveness>,
        indicators: Vec<String>,
        matches: Option<bool>,
        notes: Option<&str>,
    ) -> io::Result<()> {
        let id = self.ids.id(Kind::Interview);
        self.push(Record::Interview(Interview {
            id: Some(id),
            subject: self.subject.clone(),
            at: ts(at)?,
            mode,
            outcome,
            camera,
            liveness_challenge: liveness,
            deepfake_indicators: indicators,
            identity_matches_profile: matches,
            language: Some(parse("en")?),
            notes: notes.map(str::to_owned),
        }));
        Ok(())
    }

    fn interviews(&mut self, t_apply: i64) -> io::Result<()> {
        use InterviewMode::*;
        use InterviewOutcome::*;
        let mut t = t_apply + DAY;
        let mut next = |w: &mut Self, lo: f64, hi: f64| {
            t += days(&mut w.rng, lo, hi);
            w.org_time(t, t + DAY)
        };
        if self.rng.gen_bool(0.4) {
            let at = next(self, 0.5, 2.0);
            self.interview(
                at,
                Voice,
                Completed,
                None,
                None,
                vec![],
                None,
                Some("screening call"),
            )?;
        }
        match self.story.interview {
            InterviewPlan::Clean => {
                let at = next(self, 1.0, 4.0);
                self.interview(
                    at,
                    Video,
                    Completed,
                    Some(Camera::On),
                    Some(Liveness::Passed),
                    vec![],
                    Some(true),
                    None,
                )?;
                if self.rng.gen_bool(0.4) {
                    let at = next(self, 2.0, 6.0);
                    self.interview(
                        at,
                        Video,
                        Completed,
                        Some(Camera::On),
                        Some(Liveness::NotDone),
                        vec![],
                        Some(true),
                        Some("technical interview"),
                    )?;
                }
            }
            InterviewPlan::CameraTrouble => {
                let at = next(self, 1.0, 4.0);
                if self.rng.gen_bool(0.5) {
                    self.interview(
                        at,
                        Video,
                        Declined,
                        None,
                        None,
                        vec![],
                        None,
                        Some("webcam broken, asked to reschedule"),
                    )?;
                } else {
                    self.interview(
                        at,
                        Video,
                        Completed,
                        Some(Camera::Off),
                        Some(Liveness::NotDone),
                        vec![],
                        None,
                        Some("camera not working on this laptop"),
                    )?;
                }
                let at = next(self, 2.0, 6.0);
                self.interview(
                    at,
                    Video,
                    Completed,
                    Some(Camera::On),
                    Some(Liveness::Passed),
                    vec![],
                    Some(true),
                    Some("new webcam; all good"),
                )?;
            }
            InterviewPlan::Avoid => {
                let at = next(self, 1.0, 4.0);
                match self.rng.gen_range(0..4) {
                    0 => self.interview(
                        at,
                        Video,
                        Declined,
                        None,
                        None,
                        vec![],
                        None,
                        Some("prefers not to use video"),
                    )?,
                    1 => self.interview(at, Video, NoShow, None, None, vec![], None, None)?,
                    2 => self.interview(
                        at,
                        Video,
                        Completed,
                        Some(Camera::Off),
                        Some(Liveness::Refused),
                        vec![],
                        None,
                        Some("camera off throughout"),
                    )?,
                    _ => self.interview(
                        at,
                        Video,
                        Completed,
                        Some(Camera::Refused),
                        Some(Liveness::Refused),
                        vec![],
                        None,
                        Some("refused to turn camera on"),
                    )?,
                }
                let at = next(self, 1.0, 5.0);
                let mode = if self.rng.gen_bool(0.6) { Voice } else { Text };
                self.interview(
                    at,
                    mode,
                    Completed,
                    None,
                    None,
                    vec![],
                    None,
                    Some("offered voice/chat instead of video"),
                )?;
                if self.rng.gen_bool(0.5) {
                    let at = next(self, 2.0, 8.0);
                    self.interview(
                        at,
                        Video,
                        Declined,
                        None,
                        None,
                        vec![],
                        None,
                        Some("declined follow-up video call"),
                    )?;
                }
            }
            InterviewPlan::Deepfake { then_avoid } => {
                let at = next(self, 1.0, 4.0);
                let mut ind: Vec<&str> = DEEPFAKE_INDICATORS.to_vec();
                ind.shuffle(&mut self.rng);
                let n = self.rng.gen_range(1..=3);
                let indicators = ind[..n].iter().map(|s| (*s).to_owned()).collect();
                let liveness = if self.rng.gen_bool(0.6) {
                    Liveness::Failed
                } else {
                    Liveness::Refused
                };
                self.interview(at, Video, Completed, Some(Camera::On), Some(liveness), indicators, Some(false), Some("face did not match profile photo; artefacts when hand passed in front of face"))?;
                if then_avoid {
                    let at = next(self, 2.0, 6.0);
                    self.interview(
                        at,
                        Video,
                        Declined,
                        None,
                        None,
                        vec![],
                        None,
                        Some("declined a second video call"),
                    )?;
                    let at = next(self, 1.0, 3.0);
                    self.interview(at, Text, Completed, None, None, vec![], None, None)?;
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn document(
        &mut self,
        doc_type: DocType,
        requested: i64,
        provided: Option<i64>,
        status: DocStatus,
        issues: Vec<String>,
        name: Option<String>,
        dob: Option<PartialDate>,
    ) -> io::Result<()> {
        let id = self.ids.id(Kind::Document);
        let provided = match provided {
            Some(p) if p < self.ctx.anchor => Some(ts(p)?),
            _ => None,
        };
        let status =
            if provided.is_none() && matches!(status, DocStatus::Provided | DocStatus::Verified) {
                DocStatus::Pending
            } else {
                status
            };
        self.push(Record::Document(Document {
            id: Some(id),
            subject: self.subject.clone(),
            doc_type,
            requested_at: ts(requested)?,
            provided_at: provided,
            status: Some(status),
            issuing_country: Some(parse(self.story.person.nationality)?),
            name_on_document: name,
            date_of_birth: dob,
            issues,
        }));
        Ok(())
    }

    fn documents(&mut self, t_apply: i64) -> io::Result<()> {
        let a = self.ctx.anchor;
        let p = self.story.person.clone();
        let dob = Some(date(p.birth.0, p.birth.1, p.birth.2));
        let id_type = match p.country.code {
            "US" | "CA" if self.rng.gen_bool(0.4) => DocType::DriversLicense,
            _ => DocType::Passport,
        };
        let requested = self.org_time(t_apply + 5 * DAY, t_apply + 9 * DAY);
        let forged: Vec<String> = self.story.forged.iter().map(|s| (*s).to_owned()).collect();
        let forged_name = |w: &mut Self| {
            let origin = *pick(&mut w.rng, Origin::ALL);
            let (g, f) = identity::name_from(&mut w.rng, origin, p.female);
            format!("{g} {f}")
        };
        let doc_name = |w: &mut Self, issues: &[String]| {
            if issues.iter().any(|i| i == "name_mismatch") {
                forged_name(w)
            } else {
                p.name.clone()
            }
        };
        let doc_dob = |w: &mut Self, issues: &[String]| {
            if issues.iter().any(|i| i == "dob_mismatch") {
                Some(date(
                    p.birth.0 + w.rng.gen_range(1..4),
                    p.birth.1,
                    p.birth.2,
                ))
            } else {
                dob
            }
        };
        match self.story.docs {
            DocPlan::Clean | DocPlan::Late => {
                let delay = if self.story.docs == DocPlan::Late {
                    days(&mut self.rng, 6.0, 10.0)
                } else {
                    days(&mut self.rng, 0.1, 4.0)
                };
                let provided = self.own_time(requested + delay, requested + delay + DAY / 2);
                if forged.is_empty() {
                    self.document(
                        id_type,
                        requested,
                        Some(provided),
                        DocStatus::Verified,
                        vec![],
                        Some(p.name.clone()),
                        dob,
                    )?;
                } else {
                    let n = doc_name(self, &forged);
                    let d = doc_dob(self, &forged);
                    self.document(
                        id_type,
                        requested,
                        Some(provided),
                        DocStatus::Rejected,
                        forged.clone(),
                        Some(n),
                        d,
                    )?;
                }
            }
            DocPlan::ExpiredRenewed => {
                let provided = self.own_time(requested + DAY / 2, requested + 3 * DAY);
                self.document(
                    DocType::Passport,
                    requested,
                    Some(provided),
                    DocStatus::Provided,
                    vec!["expired".into()],
                    Some(p.name.clone()),
                    dob,
                )?;
                let again = self.org_time(provided + DAY, provided + 2 * DAY);
                let wait = days(&mut self.rng, 5.0, 20.0);
                let renewed = self.own_time(again + wait, again + 21 * DAY);
                self.document(
                    DocType::Passport,
                    again,
                    Some(renewed),
                    DocStatus::Verified,
                    vec![],
                    Some(p.name.clone()),
                    dob,
                )?;
            }
            DocPlan::Pending | DocPlan::Refused => {
                // Requested 3–8 weeks before the anchor and still outstanding.
                let ago = days(&mut self.rng, 21.0, 56.0);
                let req = self.org_time(a - ago, a - 20 * DAY);
                let status = if self.story.docs == DocPlan::Pending {
                    DocStatus::Pending
                } else {
                    DocStatus::Refused
                };
                self.document(id_type, req, None, status, vec![], None, None)?;
                if !forged.is_empty() {
                    let provided = self.own_time(requested + DAY, requested + 4 * DAY);
                    let n = doc_name(self, &forged);
                    let d = doc_dob(self, &forged);
                    self.document(
                        DocType::Degree,
                        requested,
                        Some(provided),
                        DocStatus::Rejected,
                        forged.clone(),
                        Some(n),
                        d,
                    )?;
                }
            }
            DocPlan::VeryLate => {
                let req = self.org_time(t_apply + 5 * DAY, (a - 50 * DAY).max(t_apply + 6 * DAY));
                let late = days(&mut self.rng, 30.0, 45.0);
                let provided = self.own_time(req + late, req + 46 * DAY);
                if forged.is_empty() {
                    self.document(
                        id_type,
                        req,
                        Some(provided),
                        DocStatus::Provided,
                        vec![],
                        Some(p.name.clone()),
                        dob,
                    )?;
                } else {
                    let n = doc_name(self, &forged);
                    let d = doc_dob(self, &forged);
                    self.document(
                        id_type,
                        req,
                        Some(provided),
                        DocStatus::Rejected,
                        forged.clone(),
                        Some(n),
                        d,
                    )?;
                }
            }
        }
        // Tax form, and sometimes a degree certificate.
        let tax = self.own_time(requested + DAY / 4, requested + 3 * DAY);
        self.document(
            DocType::TaxForm,
            requested,
            Some(tax),
            DocStatus::Verified,
            vec![],
            Some(p.name.clone()),
            None,
        )?;
        if self.story.forged.is_empty() && self.rng.gen_bool(0.25) {
            let provided = self.own_time(requested + DAY, requested + 5 * DAY);
            self.document(
                DocType::Degree,
                requested,
                Some(provided),
                DocStatus::Verified,
                vec![],
                Some(p.name.clone()),
                None,
            )?;
        }
        Ok(())
    }

    fn check(
        &mut self,
        at: i64,
        target: CheckTarget,
        institution: Option<String>,
        outcome: CheckOutcome,
        detail: Option<&str>,
    ) -> io::Result<()> {
        let id = self.ids.id(Kind::CredentialCheck);
        self.push(Record::CredentialCheck(CredentialCheck {
            id: Some(id),
            subject: self.subject.clone(),
            at: ts(at)?,
            target,
            institution,
            outcome,
            detail: detail.map(str::to_owned),
        }));
        Ok(())
    }

    fn checks(&mut self, t_apply: i64) -> io::Result<()> {
        let school = self
            .story
            .person
            .education
            .first()
            .and_then(|e| e.institution.clone());
        let employer = self
            .story
            .person
            .work
            .iter()
            .rev()
            .find_map(|w| w.employer.clone().filter(|e| e != "Self-employed"));
        let at = self.org_time(t_apply + 7 * DAY, t_apply + 14 * DAY);
        let at2 = self.org_time(at + DAY, at + 4 * DAY);
        match self.story.checks {
            CheckPlan::Confirmed => {
                self.check(
                    at,
                    CheckTarget::Education,
                    school,
                    CheckOutcome::Confirmed,
                    None,
                )?;
                if employer.is_some() {
                    self.check(
                        at2,
                        CheckTarget::Employment,
                        employer,
                        CheckOutcome::Confirmed,
                        None,
                    )?;
                }
            }
            CheckPlan::Sparse => {
                if employer.is_some() {
                    self.check(
                        at2,
                        CheckTarget::Employment,
                        employer,
                        CheckOutcome::Confirmed,
                        None,
                    )?;
                } else {
                    self.check(
                        at,
                        CheckTarget::Reference,
                        None,
                        CheckOutcome::Confirmed,
                        Some("former client"),
                    )?;
                }
            }
            CheckPlan::SchoolGone(outcome) => {
                self.check(
                    at,
                    CheckTarget::Education,
                    school,
                    outcome,
                    Some("institution closed; registrar records not available"),
                )?;
                self.check(
                    at2,
                    CheckTarget::Employment,
                    employer,
                    CheckOutcome::Confirmed,
                    None,
                )?;
                let at3 = self.org_time(at2 + DAY, at2 + 3 * DAY);
                self.check(
                    at3,
                    CheckTarget::Reference,
                    None,
                    CheckOutcome::Confirmed,
                    Some("former manager"),
                )?;
            }
            CheckPlan::Failed => {
                // Without a previous employer to ask, the school is what fails to confirm.
                let which = if employer.is_some() {
                    self.rng.gen_range(0..3)
                } else {
                    0
                };
                if which != 1 {
                    self.check(
                        at,
                        CheckTarget::Education,
                        school,
                        CheckOutcome::NotFound,
                        Some("no record of enrolment"),
                    )?;
                }
                if which == 1 {
                    self.check(
                        at2,
                        CheckTarget::Employment,
                        employer,
                        CheckOutcome::Mismatch,
                        Some("dates and title do not match employer records"),
                    )?;
                } else if which == 2 {
                    self.check(
                        at2,
                        CheckTarget::Employment,
                        employer,
                        CheckOutcome::NotFound,
                        Some("employer has no record of this person"),
                    )?;
                }
            }
        }
        Ok(())
    }

    fn contract_event(&mut self, at: i64, event: ContractEvent, project: &str) -> io::Result<()> {
        let id = self.ids.id(Kind::Contract);
        self.push(Record::Contract(Contract {
            id: Some(id),
            subject: self.subject.clone(),
            at: ts(at)?,
            event,
            project: Some(project.to_owned()),
        }));
        Ok(())
    }

    /// Returns when work started.
    fn contract(
        &mut self,
        offered: i64,
        signed: i64,
        security: i64,
        started: i64,
    ) -> io::Result<i64> {
        let project = format!("proj-{}", fill_pattern(&mut self.rng, "%###"));
        let offered = self.org_time(offered, offered + DAY);
        self.contract_event(offered, ContractEvent::Offered, &project)?;
        if self.story.rf9 {
            // Work begins before anything is signed; the signature comes late or never.
            let started = offered + days(&mut self.rng, 1.0, 3.0);
            self.contract_event(started, ContractEvent::WorkStarted, &project)?;
            if self.rng.gen_bool(0.5) {
                let late = self.org_time(started + 5 * DAY, started + 20 * DAY);
                self.contract_event(late, ContractEvent::Signed, &project)?;
            }
            return Ok(started);
        }
        let signed = self.own_time(signed, signed + DAY).max(offered + HOUR);
        self.contract_event(signed, ContractEvent::Signed, &project)?;
        if self.rng.gen_bool(0.6) {
            let s = self.org_time(security, security + DAY).max(signed + HOUR);
            self.contract_event(s, ContractEvent::PaymentSecurity, &project)?;
        }
        let started = self.org_time(started, started + DAY).max(signed + 2 * HOUR);
        self.contract_event(started, ContractEvent::WorkStarted, &project)?;
        Ok(started)
    }

    fn shipment(&mut self, offered: i64) -> io::Result<()> {
        if let Some((address, recipient)) = self.story.ship_to.clone() {
            let at = self.org_time(offered + 2 * DAY, offered + 6 * DAY);
            let id = self.ids.id(Kind::Shipment);
            self.push(Record::Shipment(Shipment {
                id: Some(id),
                subject: self.subject.clone(),
                at: ts(at)?,
                item: Some("laptop".into()),
                recipient: Some(recipient),
                address,
            }));
        }
        Ok(())
    }

    fn account(&self, a: &AccountPlan) -> io::Result<Account> {
        Ok(Account {
            id: Some(a.id.clone()),
            holder: (a.method != PayoutMethod::Crypto).then(|| a.holder.clone()),
            institution: a.institution.clone(),
            country: if a.method == PayoutMethod::Crypto {
                None
            } else {
                Some(parse(a.country)?)
            },
            number: a.number.clone(),
            bic: None,
            email: a.email.clone(),
            wallet: a.wallet.as_ref().map(|(chain, address)| Wallet {
                chain: (*chain).to_owned(),
                address: address.clone(),
            }),
        })
    }

    fn payouts(&mut self, signed: i64, work_start: i64) -> io::Result<()> {
        let a = self.ctx.anchor;
        if let Some((chain, address, note)) = self.story.crypto_request.clone() {
            let at = self.own_time(signed - DAY, work_start + 7 * DAY);
            let id = self.ids.id(Kind::PaymentRequest);
            self.push(Record::PaymentRequest(PaymentRequest {
                id: Some(id),
                subject: self.subject.clone(),
                at: ts(at)?,
                method: PayoutMethod::Crypto,
                account: Some(Account {
                    wallet: Some(Wallet {
                        chain: chain.to_owned(),
                        address,
                    }),
                    ..Account::default()
                }),
                note: Some(note.to_owned()),
            }));
        }
        let first_added = self.own_time(signed.min(work_start) + HOUR, work_start + 4 * DAY);
        let accounts = std::mem::take(&mut self.story.accounts);
        let mut added: Vec<i64> = Vec::with_capacity(accounts.len());
        for acc in &accounts {
            let at = (first_added + acc.added_after).min(a - HOUR);
            added.push(at);
            let id = self.ids.id(Kind::PayoutAccount);
            let account = self.account(acc)?;
            self.push(Record::PayoutAccount(PayoutAccount {
                id: Some(id),
                subject: self.subject.clone(),
                at: ts(at)?,
                method: acc.method,
                account: Some(account),
            }));
        }
        // Payments: every `period` days from the first, to the newest account in use.
        let (lo, hi) = self.story.period;
        let rate = self.story.person.rate.max(5) as f64;
        let mut t = work_start + days(&mut self.rng, lo, hi);
        let mut k = 0usize;
        while t < a - HOUR && !accounts.is_empty() {
            let usable: Vec<usize> = (0..accounts.len()).filter(|&i| added[i] <= t).collect();
            let i = if usable.is_empty() {
                0
            } else if accounts.len() > 1 {
                *pick(&mut self.rng, &usable)
            } else {
                usable[0]
            };
            let acc = &accounts[i];
            let hours = (hi / 7.0) * self.rng.gen_range(30.0..42.0);
            let (currency, fx) = if acc.method == PayoutMethod::BankTransfer {
                match self.story.person.country.currency {
                    "CAD" => ("CAD", 1.37),
                    "GBP" => ("GBP", 0.78),
                    "EUR" => ("EUR", 0.92),
                    "AUD" => ("AUD", 1.52),
                    _ => ("USD", 1.0),
                }
            } else {
                ("USD", 1.0)
            };
            let cents = (hours * rate * fx * 100.0).round() as i64;
            k += 1;
            let memo = if acc.method == PayoutMethod::Crypto {
                format!("payout {k} (stablecoin)")
            } else if hi > 20.0 {
                format!("Invoice {}", fill_pattern(&mut self.rng, "INV-####"))
            } else {
                format!("Timesheet week {}", k)
            };
            let id = self.ids.id(Kind::Payment);
            let at = self
                .ctx
                .org
                .clone()
                .sample(&mut self.rng, t, (t + DAY).min(a - 60));
            self.push(Record::Payment(Payment {
                id: Some(id),
                subject: self.subject.clone(),
                at: ts(at)?,
                direction: Some(PaymentDirection::Payout),
                amount: amount(cents)?,
                currency: parse(currency)?,
                method: Some(acc.method),
                account: Some(Account {
                    id: Some(acc.id.clone()),
                    ..Account::default()
                }),
                memo: Some(memo),
            }));
            t += days(&mut self.rng, lo, hi);
        }
        self.story.accounts = accounts;
        Ok(())
    }

    /// Logins, activity, messages and device telemetry: `n` records over the working period,
    /// each kind in time order.
    fn fill(
        &mut self,
        work_start: i64,
        n: usize,
        sink: &mut dyn FnMut(&Record) -> io::Result<()>,
    ) -> io::Result<u64> {
        let a = self.ctx.anchor;
        let from = work_start;
        let to = a - 60;
        let devices = (n * 4 / 100).max(1);
        let messages = n * 12 / 100;
        let activity = n * 36 / 100;
        let logins = n - devices - messages - activity;
        let mut written = 0u64;

        let mut times = self.times(from, to, logins);
        times.retain(|t| !self.story.net.in_flight(*t));
        // Which logins come from North Korean address space, if any.
        let kp: Vec<usize> = (0..self.story.net.kp_logins.min(times.len()))
            .map(|_| self.rng.gen_range(0..times.len().max(1)))
            .collect();
        let username = self.story.person.username.clone();
        let accounts = [format!("sso:{username}"), format!("gitlab:{username}")];
        let (_, desktop_ua) = OS_LIST[self.story.device.os % OS_LIST.len()];
        let mobile_id = format!("{}-m", identity::device_id(&mut self.rng));
        let mobile_ua = *pick(&mut self.rng, MOBILE_UA);
        for (i, t) in times.drain(..).enumerate() {
            let addr = if kp.contains(&i) {
                ip_in(&mut self.rng, KP_BLOCK)
            } else {
                self.story.net.at(&mut self.rng, t)
            };
            let mobile = self.rng.gen_bool(0.12);
            let id = self.ids.id(Kind::Login);
            let r = Record::Login(Login {
                id: Some(id),
                subject: self.subject.clone(),
                account: Some(accounts[usize::from(self.rng.gen_bool(0.3))].clone()),
                at: ts(t)?,
                ip: ip(addr),
                success: Some(self.rng.gen_bool(0.97)),
                user_agent: Some(if mobile { mobile_ua } else { desktop_ua }.to_owned()),
                device_id: Some(if mobile {
                    mobile_id.clone()
                } else {
                    self.story.device.id.clone()
                }),
                mfa_device: Some(self.story.mfa.clone()),
                session_id: Some(format!("s-{}", hex_id(&mut self.rng, 12))),
                vendor_user: None,
            });
            sink(&r)?;
            written += 1;
        }

        let repos: Vec<&str> = {
            let mut r = REPOSITORIES.to_vec();
            r.shuffle(&mut self.rng);
            r.truncate(self.rng.gen_range(1..=2));
            r
        };
        let mut times = self.times(from, to, activity);
        for t in times.drain(..) {
            let kind = *weighted(
                &mut self.rng,
                &[
                    (ActivityType::Commit, 45),
                    (ActivityType::Review, 15),
                    (ActivityType::Ticket, 15),
                    (ActivityType::Chat, 25),
                ],
            );
            let repository = matches!(kind, ActivityType::Commit | ActivityType::Review)
                .then(|| (*pick(&mut self.rng, &repos)).to_owned());
            let id = self.ids.id(Kind::Activity);
            sink(&Record::Activity(Activity {
                id: Some(id),
                subject: self.subject.clone(),
                at: ts(t)?,
                activity_type: kind,
                repository,
            }))?;
            written += 1;
        }

        let mut times = self.times(from - 20 * DAY, to, messages);
        let email = self.story.person.email.clone();
        for (i, t) in times.drain(..).enumerate() {
            let channel = *weighted(&mut self.rng, self.story.messaging);
            let contact = match channel {
                Channel::Email => email.clone(),
                Channel::Phone
                | Channel::Sms
                | Channel::Whatsapp
                | Channel::Telegram
                | Channel::Signal => match &self.story.kp_phone {
                    Some(kp) if i % 7 == 3 => kp.clone(),
                    _ => self.story.contact_phone.clone(),
                },
                _ => username.clone(),
            };
            let inbound = self.rng.gen_bool(0.55);
            let id = self.ids.id(Kind::Message);
            sink(&Record::Message(Message {
                id: Some(id),
                subject: self.subject.clone(),
                at: ts(t)?,
                channel,
                direction: Some(if inbound {
                    MessageDirection::Inbound
                } else {
                    MessageDirection::Outbound
                }),
                from: inbound.then(|| contact.clone()),
                to: (!inbound).then_some(contact),
                language: Some(parse("en")?),
            }))?;
            written += 1;
        }

        let mut times = self.times(from, to, devices);
        let d = &self.story.device;
        let (os, _) = OS_LIST[d.os % OS_LIST.len()];
        let device_tz = parse::<redflag_model::TimeZoneName>(d.tz)?;
        let locale = parse::<redflag_model::LanguageTag>(&d.locale)?;
        let keyboards = d.keyboards.clone();
        let remote: Vec<String> = d.remote.iter().map(|s| (*s).to_owned()).collect();
        let vpn: Vec<String> = d.vpn.iter().map(|s| (*s).to_owned()).collect();
        let usb = d.usb.clone();
        let device_id = d.id.clone();
        for t in times.drain(..) {
            let public = match self.story.net.device_ip {
                Some(pinned) => pinned,
                None => self.story.net.at(&mut self.rng, t),
            };
            let id = self.ids.id(Kind::Device);
            sink(&Record::Device(Device {
                id: Some(id),
                subject: self.subject.clone(),
                at: ts(t)?,
                device_id: Some(device_id.clone()),
                os: Some(os.to_owned()),
                timezone: Some(device_tz.clone()),
                locale: Some(locale.clone()),
                keyboard_layouts: keyboards.clone(),
                remote_access_tools: remote.clone(),
                vpn_clients: vpn.clone(),
                usb_devices: usb.clone(),
                public_ip: Some(ip(public)),
            }))?;
            written += 1;
        }
        Ok(written)
    }

    fn times(&mut self, from: i64, to: i64, n: usize) -> Vec<i64> {
        let mut v: Vec<i64> = (0..n).map(|_| self.own_time(from, to)).collect();
        v.sort_unstable();
        v
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

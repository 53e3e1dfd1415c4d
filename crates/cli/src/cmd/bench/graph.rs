//! `redflag bench --what graph`: links a synthetic population of a million people (issue
//! 17, "Scale") and says how long each part took and how much memory it needed.
//!
//! The population is made in memory, a slice at a time, with the identifiers real ones
//! have: most values belong to one person; households share an address, a home
//! connection and sometimes a phone or e-mail; colleagues an office IP (a few offices
//! employ thousands); mobile carriers put hundreds behind one address (CGNAT); agencies
//! pay their staff from one account; namesakes hold accounts under one name; a tenth have
//! a profile photo (a few a default avatar or another's photo lightly edited) and a tenth
//! a résumé (some with stock sentences, some copied from another with small edits); a few
//! in a hundred were referred by someone; and a few in a thousand belong to cells that
//! share a wallet, devices, a laptop farm's address and connection, and one photo and one
//! résumé, each lightly edited.
//!
//! Linking runs through the code a scan uses: every record goes to
//! `LinkIndex::observe` (exact identifiers, and the photo and résumé indexes for near
//! duplicates), every subject's ties come from `LinkIndex::links_of`, and groups from
//! `UnionFind`. Making the records is timed apart from linking them.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use redflag_graph::links::{PHOTO_MAX_BITS, RESUME_MIN_SIMILARITY};
use redflag_graph::{IdentifierType, Link, LinkIndex, UnionFind};
use redflag_model::{
    Account, Address, CountryCode, Device, Location, Login, PHash, PayoutAccount, PayoutMethod,
    Record, Subject, SubjectId, Timestamp, Wallet, Work,
};

/// People made and linked at a time: the records of one slice are all that is held.
const SLICE: usize = 10_000;

/// A tie at least this strong (`IdentifierType::strength`: a wallet, payout account,
/// device, second factor, photo, phone or e-mail) makes a strong group; addresses,
/// sign-in IPs, referrals and résumé templates alone do not.
const STRONG_TIE: f64 = 0.75;

pub fn run(subjects: usize) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let subjects = u32::try_from(subjects).context("at most 4,294,967,295 subjects")?;
    let population = Population::new(subjects)?;
    super::reset_peak_rss();
    let mut bench = Bench::default();
    let mut records: Vec<Record> = Vec::new();
    let mut made = Made::default();
    for start in (0..subjects).step_by(SLICE) {
        let end = start.saturating_add(SLICE as u32).min(subjects);
        let started = Instant::now();
        records.clear();
        for number in start..end {
            population.person(number, &mut records)?;
        }
        made.time += started.elapsed();
        made.count(&records);
        bench.observe(&records);
    }
    bench.link(subjects)?;
    let added = bench.add_more(&population, subjects)?;
    let peak = super::peak_rss_mb();
    bench.report(&mut out, subjects, &made, &added, peak)?;
    Ok(())
}

/// People added one at a time after the population is linked.
const ADDED: u32 = 1_000;

/// How adding people one at a time went.
struct Added {
    median: Duration,
    slowest: Duration,
    mean_group: f64,
}

/// What was made, and how long it took.
#[derive(Default)]
struct Made {
    time: Duration,
    records: usize,
    photos: usize,
    resumes: usize,
}

impl Made {
    fn count(&mut self, records: &[Record]) {
        self.records += records.len();
        for record in records {
            if let Record::Subject(s) = record {
                self.photos += usize::from(s.photo_phash.is_some());
                self.resumes += usize::from(s.resume_text.is_some());
            }
        }
    }
}

/// The structures linked into, and what each part took.
#[derive(Default)]
struct Bench {
    links: LinkIndex,
    /// Groups over every tie, and over strong ties only.
    groups: UnionFind,
    strong_groups: UnionFind,
    observe_time: Duration,
    links_time: Duration,
    union_time: Duration,
    groups_time: Duration,
    pairs: usize,
    /// Pairs by what ties them (a pair tied two ways counts under each).
    pairs_by_kind: Vec<(IdentifierType, usize)>,
    group_sizes: Vec<usize>,
    strong_group_sizes: Vec<usize>,
}

impl Bench {
    fn observe(&mut self, records: &[Record]) {
        let started = Instant::now();
        for record in records {
            self.links.observe(record.subject(), record);
        }
        self.observe_time += started.elapsed();
    }

    /// Every subject's ties from the link index, into groups.
    fn link(&mut self, subjects: u32) -> Result<()> {
        self.groups.ensure(subjects as usize);
        self.strong_groups.ensure(subjects as usize);
        for number in 0..subjects {
            let id = subject_id(number)?;
            let started = Instant::now();
            let links = self.links.links_of(&id, &[]);
            self.links_time += started.elapsed();
            let started = Instant::now();
            for link in &links {
                let other = number_of(&link.other)?;
                self.groups.union(number, other);
                if is_strong(link) {
                    self.strong_groups.union(number, other);
                }
            }
            self.union_time += started.elapsed();
            for link in links {
                if number < number_of(&link.other)? {
                    self.pairs += 1;
                    for identifier in &link.via {
                        count(&mut self.pairs_by_kind, identifier.kind);
                    }
                }
            }
        }
        let started = Instant::now();
        self.group_sizes = self.groups.groups().iter().map(Vec::len).collect();
        self.strong_group_sizes = self.strong_groups.groups().iter().map(Vec::len).collect();
        self.groups_time = started.elapsed();
        Ok(())
    }

    /// [`ADDED`] more people, one at a time, each a new member of a cell, linked without
    /// rebuilding anything: what each took, and the mean size of the strong groups they
    /// joined.
    fn add_more(&mut self, population: &Population, subjects: u32) -> Result<Added> {
        let mut times = Vec::with_capacity(ADDED as usize);
        let mut joined = 0usize;
        let mut records = Vec::new();
        for number in subjects..subjects.saturating_add(ADDED) {
            records.clear();
            population.cell_member(number, u64::from(number) % population.cells, &mut records)?;
            let started = Instant::now();
            for record in &records {
                self.links.observe(record.subject(), record);
            }
            let id = subject_id(number)?;
            for link in self.links.links_of(&id, &[]) {
                let other = number_of(&link.other)?;
                self.groups.union(number, other);
                if is_strong(&link) {
                    self.strong_groups.union(number, other);
                }
            }
            times.push(started.elapsed());
            joined += self.strong_groups.size_of(number) as usize;
        }
        times.sort_unstable();
        Ok(Added {
            median: times.get(times.len() / 2).copied().unwrap_or_default(),
            slowest: times.last().copied().unwrap_or_default(),
            mean_group: joined as f64 / times.len().max(1) as f64,
        })
    }

    fn report(
        &self,
        out: &mut impl Write,
        subjects: u32,
        made: &Made,
        added: &Added,
        peak_mb: Option<f64>,
    ) -> Result<()> {
        let linking = self.observe_time + self.links_time + self.union_time + self.groups_time;
        writeln!(
            out,
            "identity graph: {} subjects, {} records, {} photos, {} résumés (made in {:.1} s, not counted below)",
            thousands(subjects as usize),
            thousands(made.records),
            thousands(made.photos),
            thousands(made.resumes),
            made.time.as_secs_f64()
        )?;
        let mut line = |what: &str, time: Duration, note: String| {
            writeln!(out, "  {what:<20}{:>7.1} s   {note}", time.as_secs_f64())
        };
        line(
            "index",
            self.observe_time,
            "LinkIndex::observe on every record: identifiers, photos, résumé signatures".into(),
        )?;
        line(
            "links",
            self.links_time,
            format!(
                "LinkIndex::links_of for every subject (photos within {PHOTO_MAX_BITS} bits, résumés {RESUME_MIN_SIMILARITY} alike): {} linked pairs",
                thousands(self.pairs)
            ),
        )?;
        line(
            "union",
            self.union_time,
            "UnionFind::union on every tie, twice (every tie; strong ties)".into(),
        )?;
        line(
            "groups",
            self.groups_time,
            format!(
                "every tie: {}; strong ties only: {}",
                describe_groups(&self.group_sizes),
                describe_groups(&self.strong_group_sizes)
            ),
        )?;
        line("total", linking, "making the records excluded".into())?;
        let mut kinds: Vec<(IdentifierType, usize)> = self.pairs_by_kind.clone();
        kinds.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        let kinds: Vec<String> = kinds
            .iter()
            .map(|(kind, n)| format!("{} {}", kind.as_str(), thousands(*n)))
            .collect();
        writeln!(out, "  pairs by what they share: {}", kinds.join(", "))?;
        writeln!(
            out,
            "  strong group sizes: {}",
            size_histogram(&self.strong_group_sizes)
        )?;
        writeln!(
            out,
            "  one more subject    {:>7.0} µs   median of {ADDED} added one at a time, nothing rebuilt (slowest {:.0} µs, when a table grows); each joined a strong group of {:.1} on average",
            added.median.as_secs_f64() * 1e6,
            added.slowest.as_secs_f64() * 1e6,
            added.mean_group
        )?;
        match peak_mb {
            Some(mb) => writeln!(out, "  peak RSS            {mb:>7.0} MB")?,
            None => writeln!(out, "  peak RSS                n/a (no /proc/self/status)")?,
        }
        Ok(())
    }
}

fn is_strong(link: &Link) -> bool {
    link.via.iter().any(|i| i.kind.strength() >= STRONG_TIE)
}

fn describe_groups(sizes: &[usize]) -> String {
    format!(
        "{} groups of 2 or more, {} people, the largest {}",
        thousands(sizes.len()),
        thousands(sizes.iter().sum()),
        thousands(sizes.iter().copied().max().unwrap_or(0))
    )
}

fn size_histogram(sizes: &[usize]) -> String {
    let mut counts = [0usize; 5];
    for &size in sizes {
        let bucket = match size {
            2 => 0,
            3..=5 => 1,
            6..=10 => 2,
            11..=25 => 3,
            _ => 4,
        };
        counts[bucket] += 1;
    }
    format!(
        "2: {}, 3-5: {}, 6-10: {}, 11-25: {}, over 25: {}",
        thousands(counts[0]),
        thousands(counts[1]),
        thousands(counts[2]),
        thousands(counts[3]),
        thousands(counts[4])
    )
}

fn count(counts: &mut Vec<(IdentifierType, usize)>, kind: IdentifierType) {
    match counts.iter_mut().find(|(k, _)| *k == kind) {
        Some((_, n)) => *n += 1,
        None => counts.push((kind, 1)),
    }
}

/// The bench's own ids, `g-0000042`: subject 42.
fn subject_id(number: u32) -> Result<SubjectId> {
    format!("g-{number:07}")
        .parse()
        .map_err(|e: String| anyhow::anyhow!(e))
}

fn number_of(id: &SubjectId) -> Result<u32> {
    id.as_str()
        .strip_prefix("g-")
        .and_then(|n| n.parse().ok())
        .with_context(|| format!("{id} is not one of the benchmark's subjects"))
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Who is who: every person's records follow from their number and a few shares of the
/// population, so a slice is made without knowing the others.
struct Population {
    subjects: u32,
    households: u64,
    cells: u64,
    cgnat_addresses: u64,
    anchor: Timestamp,
    country: CountryCode,
    /// Cumulative shares of a Zipf law over employers: a few employ thousands.
    employers: Vec<f64>,
    /// Cumulative shares of a Zipf law over agencies.
    agencies: Vec<f64>,
    words: Vec<String>,
}

const FIRST_NAMES: &[&str] = &[
    "James", "Maria", "Wei", "Olena", "Jason", "Priya", "Ahmed", "Sofia", "Minh", "Carlos", "Yuki",
    "Daniel", "Fatima", "Lucas", "Anna", "Ivan", "Chen", "Aisha", "Mateo", "Emma", "Ravi", "Sara",
    "Jin", "Omar", "Elena", "David", "Nour", "Kofi", "Lena", "Tomás",
];
const LAST_NAMES: &[&str] = &[
    "Smith",
    "Garcia",
    "Wang",
    "Kovalenko",
    "Park",
    "Sharma",
    "Hassan",
    "Rossi",
    "Nguyen",
    "Silva",
    "Takahashi",
    "Kim",
    "Ali",
    "Martin",
    "Novak",
    "Petrov",
    "Li",
    "Khan",
    "Lopez",
    "Müller",
    "Patel",
    "Cohen",
    "Lee",
    "Haddad",
    "Ivanova",
    "Brown",
    "Mensah",
    "Schmidt",
    "Santos",
    "Dubois",
];
const STREETS: &[&str] = &[
    "Elm", "Oak", "Maple", "Cedar", "Pine", "Birch", "Walnut", "Chestnut", "Willow", "Spruce",
    "Lake", "Hill", "Park", "River", "Sunset", "Highland", "Meadow", "Forest", "Church", "Mill",
];
/// Sentences many résumés carry word for word.
const STOCK_SENTENCES: &[&str] = &[
    "Full-stack developer with 8 years of experience in React and Node.js.",
    "Available for remote work in any time zone.",
    "References available on request.",
    "Passionate about clean code, testing and continuous delivery.",
    "Strong communication skills and a team player.",
    "Experienced with agile methodologies including Scrum and Kanban.",
    "Fluent in English with excellent written communication.",
    "Proven track record of delivering projects on time and within budget.",
];
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ter", "an", "dro", "vel", "sin", "po", "ra", "ble", "gen", "tu", "mar",
    "dis", "con", "pre", "ly", "ment", "tion", "ex", "for", "sta", "ri", "no", "ve", "cal", "ing",
    "bo", "de", "sy", "fa", "qui", "lu", "tra", "ner",
];

/// Shares of the population.
const IN_HOUSEHOLD: f64 = 0.4;
const HOUSEHOLD_PHONE: f64 = 0.1;
const HOUSEHOLD_EMAIL: f64 = 0.05;
const PLACEHOLDER_PHONE: f64 = 0.0005;
const EMPLOYED: f64 = 0.3;
/// People per employer, on average: a few employ thousands, most a handful.
const PEOPLE_PER_EMPLOYER: usize = 50;
const PAID_BY_AGENCY: f64 = 0.02;
/// People per agency, on average.
const PEOPLE_PER_AGENCY: usize = 2_000;
const MOBILE_LOGIN: f64 = 0.2;
/// People per carrier-grade NAT address: mobile sign-ins of hundreds come from each.
const PEOPLE_PER_CGNAT_ADDRESS: u64 = 1_000;
const WITH_DEVICE: f64 = 0.1;
const WITH_PHOTO: f64 = 0.1;
const DEFAULT_AVATAR: f64 = 0.005;
const EDITED_PHOTO: f64 = 0.01;
const WITH_RESUME: f64 = 0.1;
const STOCK_SENTENCE: f64 = 0.3;
const COPIED_RESUME: f64 = 0.02;
const REFERRED: f64 = 0.03;
const IN_CELL: f64 = 0.003;
const CELL_SIZE: u64 = 5;

impl Population {
    fn new(subjects: u32) -> Result<Population> {
        let zipf = |n: usize| {
            let weights: Vec<f64> = (1..=n).map(|k| 1.0 / (k as f64).powf(1.1)).collect();
            let total: f64 = weights.iter().sum();
            weights
                .iter()
                .scan(0.0, |sum, w| {
                    *sum += w / total;
                    Some(*sum)
                })
                .collect::<Vec<f64>>()
        };
        let words = (0..3_000)
            .map(|i: usize| {
                let s = SYLLABLES.len();
                let mut word = String::new();
                word.push_str(SYLLABLES[i % s]);
                word.push_str(SYLLABLES[(i / s) % s]);
                if i >= s * s {
                    word.push_str(SYLLABLES[(i / (s * s)) % s]);
                }
                word
            })
            .collect();
        Ok(Population {
            subjects,
            households: (u64::from(subjects) / 3).max(1),
            cells: ((f64::from(subjects) * IN_CELL) as u64 / CELL_SIZE).max(1),
            cgnat_addresses: (u64::from(subjects) / PEOPLE_PER_CGNAT_ADDRESS).max(1),
            anchor: "2026-04-01T00:00:00Z".parse()?,
            country: "US".parse().map_err(|e: String| anyhow::anyhow!(e))?,
            employers: zipf((subjects as usize / PEOPLE_PER_EMPLOYER).max(10)),
            agencies: zipf((subjects as usize / PEOPLE_PER_AGENCY).max(10)),
            words,
        })
    }

    /// Person `number`'s records, appended to `records`.
    fn person(&self, number: u32, records: &mut Vec<Record>) -> Result<()> {
        let mut rng = Rng::new(u64::from(number));
        if rng.chance(IN_CELL) {
            let cell = rng.below(self.cells);
            return self.cell_member(number, cell, records);
        }
        let id = subject_id(number)?;
        let n = u64::from(number);
        let household = rng.chance(IN_HOUSEHOLD).then(|| rng.below(self.households));
        // Values of one's own are numbered past everything shared.
        let home = household.unwrap_or(self.households + n);
        let phone = if rng.chance(PLACEHOLDER_PHONE) {
            "+15555550100".to_owned()
        } else if household.is_some() && rng.chance(HOUSEHOLD_PHONE) {
            format!("+1312{home:07}")
        } else {
            format!("+1415{n:07}")
        };
        let email = if household.is_some() && rng.chance(HOUSEHOLD_EMAIL) {
            format!("family{home}@example.net")
        } else {
            format!("person{n}@example.com")
        };
        let employer = rng
            .chance(EMPLOYED)
            .then(|| pick(&self.employers, rng.unit()));
        let name = full_name(&mut rng);
        let photo = if rng.chance(WITH_PHOTO) {
            Some(if rng.chance(DEFAULT_AVATAR) {
                mix(rng.below(3))
            } else if rng.chance(EDITED_PHOTO) {
                let source = rng.below(n.max(1));
                flip_bits(&mut rng, mix(0xface ^ source), PHOTO_MAX_BITS)
            } else {
                mix(0xface ^ n)
            })
        } else {
            None
        };
        let resume = if rng.chance(WITH_RESUME) {
            Some(if rng.chance(COPIED_RESUME) {
                let source = rng.below(n.max(1));
                self.edit(&mut rng, &self.resume(source))
            } else {
                self.resume(n)
            })
        } else {
            None
        };
        let referrer = rng
            .chance(REFERRED)
            .then(|| subject_id(rng.below(n.max(1)) as u32))
            .transpose()?;
        let profile = Profile {
            name: name.clone(),
            phone,
            email,
            address: self.address(home, &mut rng),
            employer: employer.map(|e| format!("Employer {e} Inc")),
            photo,
            resume,
            referred_by: referrer,
        };
        records.push(Record::Subject(Box::new(self.subject(&id, profile)?)));
        let account = if rng.chance(PAID_BY_AGENCY) {
            let agency = pick(&self.agencies, rng.unit());
            Account {
                id: Some(format!("agency-{agency}")),
                holder: Some(format!("Agency {agency} Dev Studio Ltd")),
                ..Account::default()
            }
        } else {
            Account {
                id: Some(format!("acct-{n}")),
                holder: Some(name),
                ..Account::default()
            }
        };
        records.push(self.payout(&id, PayoutMethod::BankTransfer, account));
        let home_ip = ip(24 << 24, home);
        for _ in 0..=rng.below(2) {
            let ip = if rng.chance(MOBILE_LOGIN) {
                ip(100 << 24 | 64 << 16, rng.below(self.cgnat_addresses))
            } else {
                match employer {
                    Some(e) if rng.chance(0.5) => ip(64 << 24, e as u64),
                    _ => home_ip,
                }
            };
            records.push(self.login(&id, ip, format!("dev-{n}"), format!("totp-{n}")));
        }
        if rng.chance(WITH_DEVICE) {
            records.push(self.device(&id, format!("laptop-{n}"), home_ip));
        }
        Ok(())
    }

    /// A persona of cell `cell`: its own name, phone and e-mail, the cell's wallet,
    /// devices, laptop farm, photo and résumé (each lightly edited).
    fn cell_member(&self, number: u32, cell: u64, records: &mut Vec<Record>) -> Result<()> {
        let mut rng = Rng::new(u64::from(number) ^ 0xce11);
        let id = subject_id(number)?;
        let n = u64::from(number);
        let farm = self.households * 2 + u64::from(self.subjects) + cell;
        let name = full_name(&mut rng);
        let photo = flip_bits(&mut rng, mix(0xce11 ^ cell), 3);
        let profile = Profile {
            name,
            phone: format!("+1415{n:07}"),
            email: format!("person{n}@example.com"),
            address: self.address(farm, &mut rng),
            employer: None,
            photo: Some(photo),
            resume: Some(self.edit(&mut rng, &self.resume(0xce11 ^ cell))),
            referred_by: None,
        };
        records.push(Record::Subject(Box::new(self.subject(&id, profile)?)));
        let wallet = Account {
            wallet: Some(Wallet {
                chain: "tron".into(),
                address: format!("TCell{cell:08}"),
            }),
            ..Account::default()
        };
        records.push(self.payout(&id, PayoutMethod::Crypto, wallet));
        let farm_ip = ip(73 << 24, cell);
        for _ in 0..=rng.below(2) {
            records.push(self.login(
                &id,
                farm_ip,
                format!("cell-dev-{cell}"),
                format!("cell-totp-{cell}"),
            ));
        }
        records.push(self.device(&id, format!("cell-laptop-{cell}-{}", n % 2), farm_ip));
        Ok(())
    }

    fn subject(&self, id: &SubjectId, profile: Profile) -> Result<Subject> {
        let Profile {
            name,
            phone,
            email,
            address,
            employer,
            photo,
            resume,
            referred_by,
        } = profile;
        Ok(Subject {
            id: id.clone(),
            observed_at: Some(self.anchor),
            source: None,
            name: Some(name),
            other_names: Vec::new(),
            date_of_birth: None,
            nationality: None,
            location: Some(Location {
                country: Some(self.country),
                ..Location::default()
            }),
            languages: Vec::new(),
            emails: vec![email.parse().map_err(|e: String| anyhow::anyhow!(e))?],
            phones: vec![phone.parse().map_err(|e: String| anyhow::anyhow!(e))?],
            profiles: Vec::new(),
            referred_by,
            education: Vec::new(),
            work: employer
                .map(|employer| Work {
                    employer: Some(employer),
                    title: None,
                    start: None,
                    end: None,
                    country: None,
                })
                .into_iter()
                .collect(),
            role: None,
            rate: None,
            photo_phash: photo.map(PHash),
            resume_text: resume,
            address: Some(address),
        })
    }

    /// Home `home`'s address, written one of two ways.
    fn address(&self, home: u64, rng: &mut Rng) -> Address {
        let street = STREETS[(home % STREETS.len() as u64) as usize];
        let number = 1 + (home / STREETS.len() as u64) % 9_999;
        let flat = 1 + (home / 200_000) % 40;
        let line1 = if rng.chance(0.5) {
            format!("{number} {street} St Apt {flat}")
        } else {
            format!("{number} {street} Street, Apt. {flat}")
        };
        Address {
            line1: Some(line1),
            postal_code: Some(format!("{:05}", 10_000 + (home / 7) % 89_999)),
            country: Some(self.country),
            ..Address::default()
        }
    }

    fn payout(&self, id: &SubjectId, method: PayoutMethod, account: Account) -> Record {
        Record::PayoutAccount(PayoutAccount {
            id: None,
            subject: id.clone(),
            at: self.anchor,
            method,
            account: Some(account),
        })
    }

    fn login(&self, id: &SubjectId, ip: IpAddr, device: String, mfa: String) -> Record {
        Record::Login(Login {
            id: None,
            subject: id.clone(),
            account: None,
            at: self.anchor,
            ip,
            success: Some(true),
            user_agent: None,
            device_id: Some(device),
            mfa_device: Some(mfa),
            session_id: None,
            vendor_user: None,
        })
    }

    fn device(&self, id: &SubjectId, device: String, public_ip: IpAddr) -> Record {
        Record::Device(Device {
            id: None,
            subject: id.clone(),
            at: self.anchor,
            device_id: Some(device),
            os: None,
            timezone: None,
            locale: None,
            keyboard_layouts: Vec::new(),
            remote_access_tools: Vec::new(),
            vpn_clients: Vec::new(),
            usb_devices: Vec::new(),
            public_ip: Some(public_ip),
        })
    }

    /// Résumé number `seed`: six to ten sentences of the trade's words (common words
    /// more often), sometimes with a stock sentence.
    fn resume(&self, seed: u64) -> String {
        let mut rng = Rng::new(seed ^ 0x7e57);
        let mut text = String::new();
        for _ in 0..6 + rng.below(5) {
            // About eight sentences a résumé: a stock one in STOCK_SENTENCE of them.
            if rng.chance(STOCK_SENTENCE / 8.0) {
                text.push_str(STOCK_SENTENCES[rng.below(STOCK_SENTENCES.len() as u64) as usize]);
                text.push(' ');
                continue;
            }
            for i in 0..8 + rng.below(7) {
                // The product of two uniform draws: small indexes, common words, win.
                let bound = 1 + rng.below(self.words.len() as u64);
                let word = rng.below(bound);
                if i > 0 {
                    text.push(' ');
                }
                text.push_str(&self.words[word as usize]);
            }
            text.push_str(". ");
        }
        text
    }

    /// A résumé re-used: two sentences swapped and two words changed.
    fn edit(&self, rng: &mut Rng, text: &str) -> String {
        let mut sentences: Vec<&str> = text.split_inclusive(". ").collect();
        let count = sentences.len() as u64;
        if count > 1 {
            sentences.swap(rng.below(count) as usize, rng.below(count) as usize);
        }
        let mut words: Vec<String> = sentences.concat().split(' ').map(str::to_owned).collect();
        for _ in 0..2 {
            let at = rng.below(words.len() as u64) as usize;
            if let Some(word) = words.get_mut(at) {
                *word = self.words[rng.below(self.words.len() as u64) as usize].clone();
            }
        }
        words.join(" ")
    }
}

/// A first and a last name from short lists: namesakes are common, as in life.
fn full_name(rng: &mut Rng) -> String {
    format!(
        "{} {}",
        FIRST_NAMES[rng.below(FIRST_NAMES.len() as u64) as usize],
        LAST_NAMES[rng.below(LAST_NAMES.len() as u64) as usize]
    )
}

/// What a profile says, before it becomes a `Subject`.
struct Profile {
    name: String,
    phone: String,
    email: String,
    address: Address,
    employer: Option<String>,
    photo: Option<u64>,
    resume: Option<String>,
    referred_by: Option<SubjectId>,
}

/// The index a uniform draw falls on in cumulative shares.
fn pick(cumulative: &[f64], draw: f64) -> usize {
    cumulative
        .partition_point(|&c| c < draw)
        .min(cumulative.len().saturating_sub(1))
}

fn ip(base: u32, offset: u64) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(base.wrapping_add(offset as u32)))
}

/// `hash` with one to `max` distinct bits flipped.
fn flip_bits(rng: &mut Rng, hash: u64, max: u32) -> u64 {
    let bits = 1 + rng.below(u64::from(max)) as u32;
    let mut mask = 0u64;
    while mask.count_ones() < bits {
        mask |= 1 << rng.below(64);
    }
    hash ^ mask
}

/// SplitMix64: small, fast and the same on every machine, so figures compare run to run.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(mix(seed ^ 0x0017_0017))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `0..1`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

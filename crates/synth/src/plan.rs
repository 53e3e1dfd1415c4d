//! The population plan: who is a persona, a look-alike or a legitimate freelancer, which
//! personas form a cluster and what infrastructure each cluster shares. Drawn once from the
//! master RNG, before any subject is generated; small (a few bytes per subject).

use rand::Rng;
use rand::seq::SliceRandom;

use crate::Config;
use crate::tables::{self, AGENCIES, FARMS, FRONT_COMPANIES, HOSTING, MULE_COUNTRIES};
use crate::wallet;

/// The innocent look-alikes: each resembles exactly one red flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Look {
    CryptoFan,
    KoreanCanadian,
    SeoulDeveloper,
    ChineseDeveloper,
    Traveller,
    CommercialVpn,
    CameraTrouble,
    SlowPaperwork,
    LowBid,
    CheckUnreachable,
    NightOwl,
    NameChange,
    ItSupport,
    Web3Weekly,
    ListedEmployerName,
}

impl Look {
    pub(crate) const ALL: &'static [Look] = &[
        Look::CryptoFan,
        Look::KoreanCanadian,
        Look::SeoulDeveloper,
        Look::ChineseDeveloper,
        Look::Traveller,
        Look::CommercialVpn,
        Look::CameraTrouble,
        Look::SlowPaperwork,
        Look::LowBid,
        Look::CheckUnreachable,
        Look::NightOwl,
        Look::NameChange,
        Look::ItSupport,
        Look::Web3Weekly,
        Look::ListedEmployerName,
    ];

    /// Whether the oddity can come on top of another: any honest person can travel or
    /// ask for crypto, but being Korean-Canadian or a developer in Seoul is who someone
    /// is, and a new married name is a look-alike's whole story.
    pub(crate) fn can_come_second(self) -> bool {
        !matches!(
            self,
            Look::KoreanCanadian | Look::SeoulDeveloper | Look::ChineseDeveloper | Look::NameChange
        )
    }

    pub(crate) fn trait_name(self) -> &'static str {
        match self {
            Look::CryptoFan => "crypto_request",
            Look::KoreanCanadian => "korean_canadian",
            Look::SeoulDeveloper => "seoul_developer",
            Look::ChineseDeveloper => "chinese_developer",
            Look::Traveller => "traveller",
            Look::CommercialVpn => "commercial_vpn",
            Look::CameraTrouble => "camera_trouble",
            Look::SlowPaperwork => "slow_paperwork",
            Look::LowBid => "low_bid",
            Look::CheckUnreachable => "check_unreachable",
            Look::NightOwl => "night_owl",
            Look::NameChange => "name_change",
            Look::ItSupport => "it_support",
            Look::Web3Weekly => "web3_weekly_pay",
            Look::ListedEmployerName => "listed_employer_name",
        }
    }
}

/// What a subject slot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    Legit,
    Look(Look),
    /// Staff of agency `n` (a look-alike: shared payout account, honest).
    Agency(usize),
    /// Member of household `n`: two people, one flat, one home connection.
    Household(usize),
    /// Member of coworking space `n`: several people behind one office IP.
    Coworking(usize),
    /// One of the strangers in group `n` who kept the platform's default avatar.
    DefaultAvatar(usize),
    /// Member `member` of persona cluster `cluster`.
    Persona {
        cluster: usize,
        member: usize,
    },
}

/// An identifier a cluster's members share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shared {
    Wallet,
    Phone,
    Photo,
    PayoutAccount,
    Device,
    Mfa,
    LaptopFarm,
    PublicIp,
    Resume,
}

impl Shared {
    const ALL: &'static [Shared] = &[
        Shared::Wallet,
        Shared::Phone,
        Shared::Photo,
        Shared::PayoutAccount,
        Shared::Device,
        Shared::Mfa,
        Shared::LaptopFarm,
        Shared::PublicIp,
        Shared::Resume,
    ];

    pub(crate) fn trait_name(self) -> &'static str {
        match self {
            Shared::Wallet => "shared_wallet",
            Shared::Phone => "shared_phone",
            Shared::Photo => "shared_photo",
            Shared::PayoutAccount => "shared_payout_account",
            Shared::Device => "shared_device",
            Shared::Mfa => "shared_mfa_device",
            Shared::LaptopFarm => "laptop_farm",
            Shared::PublicIp => "shared_ip",
            Shared::Resume => "shared_resume",
        }
    }
}

/// The infrastructure a persona cluster shares (each member uses some of it).
pub(crate) struct Cluster {
    pub id: u32,
    pub members: Vec<usize>,
    /// Per member (parallel to `members`): which identifiers it shares.
    pub shares: Vec<Vec<Shared>>,
    /// Per member: whether it shows a direct DPRK nexus (about one persona in 15).
    pub nexus: Vec<bool>,
    pub wallet_chain: &'static str,
    pub wallet: String,
    pub phone: String,
    pub phash: u64,
    pub account_id: String,
    pub account_number: String,
    pub account_holder: String,
    pub account_country: &'static str,
    pub account_method: &'static str,
    pub device_id: String,
    pub mfa_device: String,
    /// The farm: street line and its city.
    pub farm: (String, &'static tables::City),
    /// The farm's residential IP (a US eyeball ISP).
    pub farm_ip: u32,
    /// A rented VPS the cluster relays through.
    pub vps_ip: u32,
    /// The résumé the operation writes its personas from: sentences of `RESUME_PARTS`.
    pub resume: Vec<&'static str>,
    /// The time zone the operators' devices are set to.
    pub ops_tz: &'static str,
}

/// An agency whose staff are paid into one account.
pub(crate) struct Agency {
    pub name: String,
    pub country: &'static str,
    pub account_id: String,
    pub account_number: String,
    /// The office's public IP.
    pub office_ip: u32,
    /// The account the agency moves its payroll to part-way through, if it changes banks:
    /// id, masked number, and days after the first payout account was added.
    pub new_account: Option<(String, String, f64)>,
}

/// Two people sharing a flat: one street address, one home connection.
pub(crate) struct Household {
    pub country: &'static str,
    /// Index into the country's cities.
    pub city: usize,
    pub street: String,
    pub postal: String,
    pub home_ip: u32,
    /// A couple's family name (and the naming tradition it comes from); flatmates have none
    /// in common.
    pub family: Option<(tables::Origin, String)>,
}

/// A coworking space: members live apart but work behind one office connection.
pub(crate) struct Coworking {
    pub country: &'static str,
    pub city: usize,
    pub office_ip: u32,
}

pub(crate) struct Plan {
    pub slots: Vec<Slot>,
    pub clusters: Vec<Cluster>,
    pub agencies: Vec<Agency>,
    pub households: Vec<Household>,
    pub coworkings: Vec<Coworking>,
    /// Per default-avatar group: the photo hash its members share.
    pub avatars: Vec<u64>,
    /// Digits in a subject id (`c-0042`: 4).
    pub width: usize,
}

pub(crate) fn hex_id<R: Rng>(rng: &mut R, digits: usize) -> String {
    let mut s = String::with_capacity(digits);
    for _ in 0..digits {
        s.push(char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'));
    }
    s
}

/// Fills a pattern: `#` a digit, `%` a digit 2–9, `@` a capital letter.
pub(crate) fn fill_pattern<R: Rng>(rng: &mut R, pattern: &str) -> String {
    pattern
        .chars()
        .map(|c| match c {
            '#' => char::from(b'0' + rng.gen_range(0..10u8)),
            '%' => char::from(b'0' + rng.gen_range(2..10u8)),
            '@' => char::from(b'A' + rng.gen_range(0..26u8)),
            other => other,
        })
        .collect()
}

/// A random host address in a CIDR block (never the .0 or .255 of a /24).
pub(crate) fn ip_in<R: Rng>(rng: &mut R, cidr: &str) -> u32 {
    let (base, len) = cidr.split_once('/').unwrap_or((cidr, "24"));
    let base = base
        .parse::<std::net::Ipv4Addr>()
        .map(u32::from)
        .unwrap_or(0xC000_0200); // 192.0.2.0 (TEST-NET-1) if a table entry were malformed
    let len = len.parse::<u32>().unwrap_or(24).clamp(8, 30);
    let size = 1u32 << (32 - len);
    loop {
        let ip = base.wrapping_add(rng.gen_range(1..size - 1));
        if !matches!(ip & 0xff, 0 | 255) {
            return ip;
        }
    }
}

/// A random host address in one of `blocks`.
/// A random host address in the union of `blocks` (each block weighted by its size).
pub(crate) fn ip_from<R: Rng>(rng: &mut R, blocks: &[&str]) -> u32 {
    let size = |b: &str| -> u64 {
        let len = b
            .split_once('/')
            .and_then(|(_, l)| l.parse::<u32>().ok())
            .unwrap_or(24)
            .clamp(8, 30);
        1u64 << (32 - len)
    };
    let total: u64 = blocks.iter().map(|b| size(b)).sum();
    let mut x = rng.gen_range(0..total.max(1));
    for b in blocks {
        let s = size(b);
        if x < s {
            return ip_in(rng, b);
        }
        x -= s;
    }
    ip_in(rng, blocks.first().copied().unwrap_or("192.0.2.0/24"))
}

fn persona_count(config: &Config) -> usize {
    if config.subjects == 0 || config.persona_share <= 0.0 {
        return 0;
    }
    let mut n = (config.subjects as f64 * config.persona_share).round() as usize;
    if config.subjects >= 20 {
        n = n.max(3);
    }
    n.min(config.subjects)
}

/// Splits `n` personas into clusters of 3–6 (smaller only when `n` < 3).
fn cluster_sizes<R: Rng>(rng: &mut R, n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    if n < 3 {
        return vec![n];
    }
    let min_k = n.div_ceil(6);
    let max_k = n / 3;
    let k = rng.gen_range(min_k..=max_k.max(min_k));
    let mut sizes = vec![3usize; k];
    let mut rest = n - 3 * k;
    while rest > 0 {
        let i = rng.gen_range(0..k);
        if sizes[i] < 6 {
            sizes[i] += 1;
            rest -= 1;
        }
    }
    sizes
}

pub(crate) fn build<R: Rng>(config: &Config, rng: &mut R) -> Plan {
    let n = config.subjects;
    let personas = persona_count(config);
    let lookalikes =
        ((n as f64 * config.lookalike_share.max(0.0)).round() as usize).min(n - personas);

    // Look-alikes who come in groups (agencies of 3–4 staff, households of two, coworking
    // spaces of 3–5, strangers on one default avatar, 4–6) each take about one kind's share;
    // the single kinds split the rest evenly.
    let share = lookalikes / (Look::ALL.len() + 4);
    let grouped = lookalikes >= 8;
    let sized = |rng: &mut R, lo: usize, hi: usize| -> Vec<usize> {
        if grouped {
            group_sizes(rng, share.max(lo), lo, hi)
        } else {
            Vec::new()
        }
    };
    let agency_groups = sized(rng, 3, 4);
    let household_groups = sized(rng, 2, 2);
    let coworking_groups = sized(rng, 3, 5);
    let avatar_groups = sized(rng, 4, 6);
    let grouped_total: usize = [
        &agency_groups,
        &household_groups,
        &coworking_groups,
        &avatar_groups,
    ]
    .iter()
    .flat_map(|g| g.iter())
    .sum::<usize>()
    .min(lookalikes);
    let mut kinds = Look::ALL.to_vec();
    kinds.shuffle(rng);
    let mut temp: Vec<Slot> = Vec::with_capacity(n);
    for i in 0..lookalikes - grouped_total {
        temp.push(Slot::Look(kinds[i % kinds.len()]));
    }
    type GroupSlot = fn(usize) -> Slot;
    let groups: [(&Vec<usize>, GroupSlot); 4] = [
        (&agency_groups, Slot::Agency),
        (&household_groups, Slot::Household),
        (&coworking_groups, Slot::Coworking),
        (&avatar_groups, Slot::DefaultAvatar),
    ];
    for (sizes, slot) in groups {
        for (g, &size) in sizes.iter().enumerate() {
            for _ in 0..size {
                if temp.len() < lookalikes {
                    temp.push(slot(g));
                }
            }
        }
    }
    let sizes = cluster_sizes(rng, personas);
    for (c, &size) in sizes.iter().enumerate() {
        for m in 0..size {
            temp.push(Slot::Persona {
                cluster: c,
                member: m,
            });
        }
    }
    while temp.len() < n {
        temp.push(Slot::Legit);
    }
    temp.shuffle(rng);

    let mut members: Vec<Vec<usize>> = sizes.iter().map(|&s| vec![usize::MAX; s]).collect();
    for (i, slot) in temp.iter().enumerate() {
        if let Slot::Persona { cluster, member } = *slot {
            members[cluster][member] = i;
        }
    }

    let mut clusters: Vec<Cluster> = members
        .into_iter()
        .enumerate()
        .map(|(c, members)| cluster(rng, c, members))
        .collect();
    let mut all: Vec<(usize, usize)> = clusters
        .iter()
        .enumerate()
        .flat_map(|(c, cl)| (0..cl.members.len()).map(move |m| (c, m)))
        .collect();
    all.shuffle(rng);
    let nexus = (personas as f64 / 15.0).round() as usize;
    for &(c, m) in all.iter().take(nexus) {
        clusters[c].nexus[m] = true;
    }

    let agencies = (0..agency_groups.len())
        .map(|a| {
            let (name, country) = AGENCIES[a % AGENCIES.len()];
            let name = if a < AGENCIES.len() {
                name.to_owned()
            } else {
                format!("{name} ({})", a / AGENCIES.len() + 1)
            };
            let block = tables::country(country)
                .and_then(|c| c.residential.first())
                .copied()
                .unwrap_or("81.128.0.0/11");
            Agency {
                name,
                country,
                account_id: format!("acct-{}", hex_id(rng, 8)),
                account_number: format!("****{}", fill_pattern(rng, "####")),
                office_ip: ip_in(rng, block),
                // Agencies move their payroll to another bank now and then.
                new_account: rng.gen_bool(0.4).then(|| {
                    (
                        format!("acct-{}", hex_id(rng, 8)),
                        format!("****{}", fill_pattern(rng, "####")),
                        rng.gen_range(20.0..60.0),
                    )
                }),
            }
        })
        .collect();
    let households = (0..household_groups.len())
        .map(|_| {
            let country = weighted_country(rng);
            let city = rng.gen_range(0..country.cities.len().max(1));
            let street = country.streets[rng.gen_range(0..country.streets.len().max(1))];
            let number = rng.gen_range(1..400);
            let postal = country
                .cities
                .get(city)
                .map(|c| fill_pattern(rng, c.postal))
                .unwrap_or_default();
            let family = rng.gen_bool(0.5).then(|| {
                let origin = *crate::identity::weighted(rng, country.origins);
                let names = origin.names().family;
                (origin, names[rng.gen_range(0..names.len())].to_owned())
            });
            Household {
                country: country.code,
                city,
                street: if country.number_first {
                    format!("{number} {street}")
                } else {
                    format!("{street} {number}")
                },
                postal,
                home_ip: ip_from(rng, country.residential),
                family,
            }
        })
        .collect();
    let coworkings = (0..coworking_groups.len())
        .map(|_| {
            let country = weighted_country(rng);
            Coworking {
                country: country.code,
                city: rng.gen_range(0..country.cities.len().max(1)),
                office_ip: ip_from(rng, country.residential),
            }
        })
        .collect();
    // Each platform's default avatar: one image, so one hash, for everyone who kept it.
    let avatars = (0..avatar_groups.len()).map(|_| rng.r#gen()).collect();

    let width = n.to_string().len().max(4);
    Plan {
        slots: temp,
        clusters,
        agencies,
        households,
        coworkings,
        avatars,
        width,
    }
}

/// Splits about `target` people into groups of `lo..=hi`; a remainder too small for a
/// group is left to the single kinds.
fn group_sizes<R: Rng>(rng: &mut R, target: usize, lo: usize, hi: usize) -> Vec<usize> {
    let mut sizes = Vec::new();
    let mut left = target;
    while left >= lo {
        let size = rng.gen_range(lo..=hi.min(left));
        sizes.push(size);
        left -= size;
    }
    sizes
}

/// A country drawn by the legitimate population's weights.
pub(crate) fn weighted_country<R: Rng>(rng: &mut R) -> &'static tables::Country {
    let total: u32 = tables::COUNTRIES.iter().map(|c| c.weight).sum();
    let mut x = rng.gen_range(0..total.max(1));
    for c in tables::COUNTRIES {
        if x < c.weight {
            return c;
        }
        x -= c.weight;
    }
    &tables::COUNTRIES[0]
}

fn cluster<R: Rng>(rng: &mut R, c: usize, members: Vec<usize>) -> Cluster {
    let size = members.len();
    // Two to four kinds of shared identifier, each used by at least two members, and every
    // member in at least one.
    let mut kinds = Shared::ALL.to_vec();
    kinds.shuffle(rng);
    kinds.truncate(rng.gen_range(2..=4));
    let mut shares: Vec<Vec<Shared>> = vec![Vec::new(); size];
    if size >= 2 {
        for &kind in &kinds {
            let mut users: Vec<usize> = (0..size).filter(|_| rng.gen_bool(0.6)).collect();
            while users.len() < 2 {
                let m = rng.gen_range(0..size);
                if !users.contains(&m) {
                    users.push(m);
                }
            }
            for m in users {
                shares[m].push(kind);
            }
        }
        for s in shares.iter_mut() {
            if s.is_empty() {
                s.push(kinds[0]);
            }
        }
    }
    let (chain, wallet) = if rng.gen_bool(0.7) {
        ("tron", wallet::tron(rng))
    } else {
        ("ethereum", wallet::ethereum(rng))
    };
    let farm = &FARMS[c % FARMS.len()];
    let farm_line = if c < FARMS.len() {
        farm.0.to_owned()
    } else {
        format!("{} #{}", farm.0, c / FARMS.len() + 1)
    };
    let holder = if rng.gen_bool(0.5) {
        FRONT_COMPANIES[rng.gen_range(0..FRONT_COMPANIES.len())].to_owned()
    } else {
        let origin = tables::Origin::ALL[rng.gen_range(0..tables::Origin::ALL.len())];
        let names = origin.names();
        format!(
            "{} {}",
            names.male[rng.gen_range(0..names.male.len())],
            names.family[rng.gen_range(0..names.family.len())]
        )
    };
    let us = tables::country("US")
        .map(|c| c.residential)
        .unwrap_or(&["73.32.0.0/11"]);
    let vps = HOSTING[rng.gen_range(0..HOSTING.len())];
    Cluster {
        id: c as u32 + 1,
        nexus: vec![false; size],
        members,
        shares,
        wallet_chain: chain,
        wallet,
        // VoIP-style US numbers (the kind handed out by app-based services).
        phone: fill_pattern(rng, "+1 %## %## ####"),
        phash: rng.r#gen(),
        account_id: format!("acct-{}", hex_id(rng, 8)),
        account_number: format!("****{}", fill_pattern(rng, "####")),
        account_holder: holder,
        account_country: MULE_COUNTRIES[rng.gen_range(0..MULE_COUNTRIES.len())],
        account_method: ["payoneer", "wise", "paypal"][rng.gen_range(0..3)],
        device_id: format!("d-{}", hex_id(rng, 8)),
        mfa_device: format!("totp-{}", hex_id(rng, 8)),
        farm: (farm_line, &farm.1),
        farm_ip: ip_from(rng, us),
        vps_ip: ip_in(rng, vps.2),
        resume: {
            let mut parts: Vec<&'static str> = tables::RESUME_PARTS
                .iter()
                .map(|options| options[rng.gen_range(0..options.len())])
                .collect();
            parts.shuffle(rng);
            parts
        },
        ops_tz: if rng.gen_bool(0.6) {
            "Asia/Shanghai"
        } else {
            "Asia/Pyongyang"
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn cluster_sizes_are_three_to_six() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for n in 3..200 {
            let s = cluster_sizes(&mut rng, n);
            assert_eq!(s.iter().sum::<usize>(), n);
            assert!(s.iter().all(|&x| (3..=6).contains(&x)), "{n}: {s:?}");
        }
        assert_eq!(cluster_sizes(&mut rng, 2), vec![2]);
        assert!(cluster_sizes(&mut rng, 0).is_empty());
    }

    #[test]
    fn every_member_shares_something() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        for c in 0..50 {
            let size = 3 + c % 4;
            let cl = cluster(&mut rng, c, (0..size).collect());
            assert!(cl.shares.iter().all(|s| !s.is_empty()));
        }
    }
}

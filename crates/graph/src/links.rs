//! Identifiers that tie subjects together: payout accounts, wallets, phone numbers,
//! e-mail addresses, profile photos, devices, second factors and shipping addresses.
//!
//! DPRK operators run several personas on shared infrastructure (one wallet, one
//! laptop-farm address, one VoIP number). Two people sharing such an identifier is
//! evidence that they are one operation, or one person. This index is the exact-match
//! core of that; the identity graph builds clusters on top of it.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::Arc;

use redflag_model::{Account, Record, SubjectId};

pub use crate::address::normalise_address;
use crate::photos::PhotoIndex;
use crate::text::{Signature, TextIndex};

/// A shared identifier is ignored once this many subjects have it: it no longer tells
/// anyone apart (an office's Wi-Fi, a placeholder number).
pub const MAX_SHARERS: usize = 25;

/// From this many holders, a photo or address that its holders share with one another
/// and nothing else is a placeholder (a platform's default avatar, a stock photo, a
/// virtual office), not one operation.
pub const COMMONPLACE_MIN_SHARERS: usize = 3;

/// Phone numbers, mailboxes and résumé texts need more holders to be placeholders (a
/// switchboard, a shared inbox, a writing service's template): three or four personas on
/// one VoIP number or one résumé and nothing else is an operation's economy, and
/// operations run three to six personas.
pub const COMMONPLACE_MIN_CONTACT_SHARERS: usize = 7;

/// "Employers" that name no organisation: sharing one says nothing about an office.
const SELF_EMPLOYED: &[&str] = &[
    "freelance",
    "freelancer",
    "self employed",
    "selfemployed",
    "independent",
    "independent contractor",
    "contractor",
    "consultant",
    "upwork",
    "fiverr",
    "toptal",
    "none",
    "n a",
    "unemployed",
];

/// What kind of identifier ties subjects, and how telling sharing it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdentifierType {
    PayoutAccount,
    BankAccount,
    Wallet,
    Phone,
    Email,
    Photo,
    Device,
    MfaDevice,
    Address,
    /// The public IP a managed device reports: shared by several people's laptops, it is
    /// the mark of a laptop farm.
    PublicIp,
    /// The name of a payout account's holder: one third party receiving several people's
    /// pay. Ignored for a subject whose own name it is (namesakes hold their own accounts).
    Holder,
    /// A public IP the subject signed in from. Only a residential one ties anyone (VPN
    /// exits, hosting, Tor and mobile carriers' shared addresses carry thousands), so
    /// readers filter by network class, and without IP data they cannot use it.
    LoginIp,
    /// One subject referred the other (the value is the referrer's id).
    Referral,
    /// Profile photos a few bits apart: the same picture cropped, re-compressed or
    /// filtered (the value is both hashes and the distance).
    PhotoNear,
    /// Résumés written from one text: sentences moved, words changed (the value is the
    /// estimated similarity).
    ResumeNear,
}

impl IdentifierType {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierType::PayoutAccount => "payout_account",
            IdentifierType::BankAccount => "bank_account",
            IdentifierType::Wallet => "wallet",
            IdentifierType::Phone => "phone",
            IdentifierType::Email => "email",
            IdentifierType::Photo => "photo",
            IdentifierType::Device => "device",
            IdentifierType::MfaDevice => "mfa_device",
            IdentifierType::Address => "address",
            IdentifierType::PublicIp => "public_ip",
            IdentifierType::Holder => "holder",
            IdentifierType::LoginIp => "login_ip",
            IdentifierType::Referral => "referral",
            IdentifierType::PhotoNear => "photo_near",
            IdentifierType::ResumeNear => "resume_near",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdentifierType::PayoutAccount => "payout account",
            IdentifierType::BankAccount => "bank account",
            IdentifierType::Wallet => "crypto wallet",
            IdentifierType::Phone => "phone number",
            IdentifierType::Email => "e-mail address",
            IdentifierType::Photo => "profile photo",
            IdentifierType::Device => "device",
            IdentifierType::MfaDevice => "second-factor device",
            IdentifierType::Address => "street address",
            IdentifierType::PublicIp => "device public IP",
            IdentifierType::Holder => "payout account holder",
            IdentifierType::LoginIp => "home connection (sign-in IP)",
            IdentifierType::Referral => "referral",
            IdentifierType::PhotoNear => "retouched profile photo",
            IdentifierType::ResumeNear => "résumé text, nearly word for word",
        }
    }

    /// From how many holders sharing nothing else a value of this kind is a
    /// placeholder: default avatars and stock photos, virtual offices, switchboard
    /// numbers, shared inboxes. Nobody is issued a placeholder wallet, payout account or
    /// authenticator: `None`.
    fn placeholder_min(self) -> Option<usize> {
        match self {
            IdentifierType::Photo | IdentifierType::Address => Some(COMMONPLACE_MIN_SHARERS),
            IdentifierType::Phone | IdentifierType::Email => Some(COMMONPLACE_MIN_CONTACT_SHARERS),
            _ => None,
        }
    }

    /// How strongly sharing it suggests one operation (0..1). Relatives and flatmates
    /// honestly share an address; they rarely share a wallet or an authenticator.
    pub fn strength(self) -> f64 {
        match self {
            IdentifierType::Wallet | IdentifierType::MfaDevice | IdentifierType::Photo => 0.9,
            IdentifierType::PayoutAccount
            | IdentifierType::BankAccount
            | IdentifierType::Device => 0.85,
            IdentifierType::Phone | IdentifierType::Email => 0.75,
            IdentifierType::Address => 0.4,
            // A connection, like a sign-in IP: a household's or an office's. What makes
            // one a laptop farm's is judged with the people behind it (detect's ties).
            IdentifierType::PublicIp => 0.35,
            IdentifierType::Holder => 0.6,
            // Coworkers and flatmates share a connection; see the laptop-farm rule.
            IdentifierType::LoginIp => 0.35,
            // A deliberate act, but friends refer friends: weak alone, and the way a
            // referrer's risk reaches the people they referred.
            IdentifierType::Referral => 0.4,
            // Less than the very same file: look-alike portraits come closer than
            // strangers' do, though rarely within a few bits.
            IdentifierType::PhotoNear => 0.75,
            // Weak: résumé templates and writing services make honest look-alikes.
            IdentifierType::ResumeNear => 0.35,
        }
    }
}

/// One identifier value. The value is shared, not copied, between the index's two
/// directions (by identifier, by subject).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identifier {
    pub kind: IdentifierType,
    pub value: Arc<str>,
}

impl Identifier {
    /// `type:value`, as the output's `via` lists it.
    pub fn tag(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.value)
    }
}

#[derive(Debug, Default)]
struct Sharers {
    /// Subjects, by their index in [`LinkIndex::ids`].
    subjects: Vec<u32>,
    /// For accounts: the holder names seen, to recognise an employer paying its staff.
    /// A boxed slice: most identifiers have none, and it is a third smaller than a Vec.
    holders: Box<[String]>,
}

/// What the index knows of one subject.
#[derive(Debug, Default)]
struct Known {
    identifiers: Vec<Identifier>,
    /// Current employers (normalised names) given in any profile version: colleagues
    /// honestly share an office's IP address.
    employers: Vec<String>,
    /// Every name given (normalised), so their own name as an account holder is not
    /// taken for a third party.
    names: Vec<String>,
    /// Where they say they live (`country|region|city`, lower case), every version.
    places: Vec<String>,
    /// Sign-in IPs already noted for this subject: most logins come from a handful, and
    /// a repeat costs a comparison rather than an identifier lookup.
    login_ips: Vec<IpAddr>,
    /// Who referred this subject, by number.
    referred_by: Vec<u32>,
    /// Whom this subject referred, by number.
    referred: Vec<u32>,
    /// Profile photo hashes, every version.
    photos: Vec<u64>,
    /// Signatures of substantial résumés, every distinct version.
    resumes: Vec<Signature>,
}

/// Which subjects carry which identifiers. Subjects are numbered once, so the lists of
/// sharers hold four-byte numbers rather than copies of the id.
#[derive(Debug)]
pub struct LinkIndex {
    by_identifier: HashMap<Identifier, Sharers>,
    ids: Vec<SubjectId>,
    numbers: HashMap<SubjectId, u32>,
    known: Vec<Known>,
    /// Every profile photo, for near duplicates.
    photos: PhotoIndex,
    /// Every substantial résumé, for near duplicates.
    resumes: TextIndex,
}

/// How far apart two photo hashes may be and still be one picture, by default: six of 64
/// bits. Unrelated photos differ in about 32 (two strangers' hashes come within six bits
/// about once in 10^10 pairs).
pub const PHOTO_MAX_BITS: u32 = 6;

/// How alike two résumés must be (estimated Jaccard similarity of their word 3-grams)
/// to be one text, by default.
pub const RESUME_MIN_SIMILARITY: f64 = 0.6;

/// Résumés shorter than this many words are not compared: a one-line summary ("React
/// developer with 5 years of experience") is written alike by thousands.
pub const RESUME_MIN_WORDS: usize = 25;

impl Default for LinkIndex {
    fn default() -> Self {
        LinkIndex::new(PHOTO_MAX_BITS, RESUME_MIN_SIMILARITY)
    }
}

/// A subject linked to another, and through what.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub other: SubjectId,
    pub via: Vec<Identifier>,
}

impl LinkIndex {
    /// The subject's number, given one on first sight.
    fn number(&mut self, subject: &SubjectId) -> u32 {
        if let Some(&n) = self.numbers.get(subject) {
            return n;
        }
        let n = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        self.ids.push(subject.clone());
        self.numbers.insert(subject.clone(), n);
        self.known.push(Known::default());
        n
    }

    fn known(&self, subject: &SubjectId) -> Option<&Known> {
        let n = *self.numbers.get(subject)?;
        self.known.get(n as usize)
    }

    fn known_mut(&mut self, subject: &SubjectId) -> Option<&mut Known> {
        let n = self.number(subject);
        self.known.get_mut(n as usize)
    }

    /// Notes the identifiers a record carries, as `subject`'s: the record's own subject,
    /// or the subject its id resolves to when an export names the person another way.
    pub fn observe(&mut self, subject: &SubjectId, record: &Record) {
        let mut found: Vec<(Identifier, Option<String>)> = Vec::new();
        let mut push = |kind, value: String, holder: Option<String>| {
            if !value.is_empty() {
                found.push((
                    Identifier {
                        kind,
                        value: value.into(),
                    },
                    holder,
                ));
            }
        };
        match record {
            Record::Subject(s) => {
                for name in s.name.iter().chain(&s.other_names) {
                    let name = normalise_name(name);
                    if name.is_empty() {
                        continue;
                    }
                    if let Some(known) = self.known_mut(subject)
                        && !known.names.contains(&name)
                    {
                        known.names.push(name);
                    }
                }
                for employer in s
                    .work
                    .iter()
                    .filter(|w| w.end.is_none())
                    .filter_map(|w| w.employer.as_deref())
                {
                    let name = normalise_name(employer);
                    if name.is_empty() || SELF_EMPLOYED.contains(&name.as_str()) {
                        continue;
                    }
                    if let Some(known) = self.known_mut(subject)
                        && !known.employers.contains(&name)
                    {
                        known.employers.push(name);
                    }
                }
                if let Some(place) = s.location.as_ref().and_then(place_key)
                    && let Some(known) = self.known_mut(subject)
                    && !known.places.contains(&place)
                {
                    known.places.push(place);
                }
                if let Some(referrer) = &s.referred_by
                    && referrer != subject
                {
                    self.refer(referrer, subject);
                }
                for p in &s.phones {
                    push(IdentifierType::Phone, p.to_string(), None);
                }
                for e in &s.emails {
                    push(IdentifierType::Email, normalise_email(e.as_str()), None);
                }
                if let Some(text) = s.resume_text.as_deref()
                    && text.split_whitespace().count() >= RESUME_MIN_WORDS
                    && let Some(signature) = Signature::of(text)
                {
                    let number = self.number(subject);
                    if let Some(k) = self.known.get_mut(number as usize)
                        && !k.resumes.contains(&signature)
                    {
                        self.resumes.insert(number, &signature);
                        k.resumes.push(signature);
                    }
                }
                if let Some(h) = s.photo_phash {
                    push(IdentifierType::Photo, h.to_string(), None);
                    let number = self.number(subject);
                    if let Some(k) = self.known.get_mut(number as usize)
                        && !k.photos.contains(&h.0)
                    {
                        k.photos.push(h.0);
                        self.photos.insert(number, h.0);
                    }
                }
                if let Some(a) = s.address.as_ref().and_then(normalise_address) {
                    push(IdentifierType::Address, a, None);
                }
            }
            Record::PayoutAccount(p) => account_identifiers(p.account.as_ref(), &mut push),
            Record::Payment(p) => account_identifiers(p.account.as_ref(), &mut push),
            Record::PaymentRequest(p) => account_identifiers(p.account.as_ref(), &mut push),
            Record::Login(l) => {
                let seen = self
                    .known_mut(subject)
                    .is_none_or(|k| k.login_ips.contains(&l.ip));
                if !seen {
                    if let Some(k) = self.known_mut(subject) {
                        k.login_ips.push(l.ip);
                    }
                    push(IdentifierType::LoginIp, l.ip.to_string(), None);
                }
                if let Some(d) = &l.device_id {
                    push(IdentifierType::Device, d.clone(), None);
                }
                if let Some(m) = &l.mfa_device {
                    push(IdentifierType::MfaDevice, m.clone(), None);
                }
            }
            Record::Device(d) => {
                if let Some(id) = &d.device_id {
                    push(IdentifierType::Device, id.clone(), None);
                }
                if let Some(ip) = d.public_ip {
                    push(IdentifierType::PublicIp, ip.to_string(), None);
                }
            }
            Record::Shipment(s) => {
                if let Some(a) = normalise_address(&s.address) {
                    push(IdentifierType::Address, a, None);
                }
            }
            _ => {}
        }
        if found.is_empty() {
            return;
        }
        let number = self.number(subject);
        for (identifier, holder) in found {
            let sharers = self.by_identifier.entry(identifier.clone()).or_default();
            if let Some(h) = holder
                && !sharers.holders.contains(&h)
            {
                let mut holders = std::mem::take(&mut sharers.holders).into_vec();
                holders.push(h);
                sharers.holders = holders.into_boxed_slice();
            }
            if sharers.subjects.contains(&number) {
                continue;
            }
            // Beyond the cap one more sharer changes nothing; stop growing the list.
            if sharers.subjects.len() <= MAX_SHARERS {
                // Most identifiers belong to one person: room for one, not the usual four.
                sharers.subjects.reserve_exact(1);
                sharers.subjects.push(number);
                if let Some(known) = self.known.get_mut(number as usize) {
                    known.identifiers.push(identifier);
                }
            }
        }
    }

    /// The public IPs the subject's devices report, each with the number of subjects
    /// whose devices report it (the subject included).
    pub fn device_ips(&self, subject: &SubjectId) -> Vec<(&Identifier, usize)> {
        self.known(subject)
            .map(|k| {
                k.identifiers
                    .iter()
                    .filter(|i| i.kind == IdentifierType::PublicIp)
                    .map(|i| {
                        let holders = self
                            .by_identifier
                            .get(i)
                            .map_or(1, |sharers| sharers.subjects.len());
                        (i, holders)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// An empty index that ties photos at most `photo_max_bits` apart and résumés at
    /// least `resume_min_similarity` alike (the policy's thresholds).
    pub fn new(photo_max_bits: u32, resume_min_similarity: f64) -> Self {
        LinkIndex {
            by_identifier: HashMap::new(),
            ids: Vec::new(),
            numbers: HashMap::new(),
            known: Vec::new(),
            photos: PhotoIndex::new(photo_max_bits),
            resumes: TextIndex::new(resume_min_similarity),
        }
    }

    /// Notes that `referrer` referred `referred`: a direct tie between the two (people
    /// referred by one referrer are not tied to each other by it).
    fn refer(&mut self, referrer: &SubjectId, referred: &SubjectId) {
        let a = self.number(referrer);
        let b = self.number(referred);
        if let Some(k) = self.known.get_mut(a as usize)
            && !k.referred.contains(&b)
        {
            k.referred.push(b);
        }
        if let Some(k) = self.known.get_mut(b as usize)
            && !k.referred_by.contains(&a)
        {
            k.referred_by.push(a);
        }
    }

    /// Photos of others a few bits from one of the subject's, not the very same (those
    /// are tied as `photo`), unless the picture is commonplace (a default avatar and its
    /// re-encodings tie nobody).
    fn near_photos<'s>(
        &'s self,
        subject: &SubjectId,
        known: &Known,
        by_other: &mut BTreeMap<&'s SubjectId, Vec<Identifier>>,
    ) {
        let me = self.numbers.get(subject).copied();
        for &ours in &known.photos {
            if self.commonplace_photo(ours) {
                continue;
            }
            let near: Vec<(u32, u32)> = self
                .photos
                .near(ours)
                .filter(|&(id, bits)| Some(id) != me && bits > 0)
                .collect();
            if near.len() > MAX_SHARERS {
                continue;
            }
            for (number, bits) in near {
                let Some(other) = self.ids.get(number as usize) else {
                    continue;
                };
                let Some(theirs) = self.known.get(number as usize).and_then(|k| {
                    k.photos
                        .iter()
                        .copied()
                        .find(|h| (h ^ ours).count_ones() == bits)
                }) else {
                    continue;
                };
                if self.commonplace_photo(theirs) {
                    continue;
                }
                let (a, b) = (ours.min(theirs), ours.max(theirs));
                let tie = Identifier {
                    kind: IdentifierType::PhotoNear,
                    value: format!("{a:016x}~{b:016x} ({bits} bits apart)").into(),
                };
                let ties = by_other.entry(other).or_default();
                if !ties.contains(&tie) {
                    ties.push(tie);
                }
            }
        }
    }

    /// Others whose résumé is nearly the subject's, unless the text is a template: held
    /// by [`COMMONPLACE_MIN_CONTACT_SHARERS`] or more people who share nothing else, or by
    /// more than [`MAX_SHARERS`].
    fn near_resumes<'s>(
        &'s self,
        subject: &SubjectId,
        known: &Known,
        by_other: &mut BTreeMap<&'s SubjectId, Vec<Identifier>>,
    ) {
        let Some(&me) = self.numbers.get(subject) else {
            return;
        };
        for signature in &known.resumes {
            let alike = self.resumes.similar(signature);
            let holders: Vec<u32> = alike.iter().map(|&(id, _)| id).collect();
            if holders.len() > MAX_SHARERS
                || (holders.len() >= COMMONPLACE_MIN_CONTACT_SHARERS
                    && !self.tied_otherwise(&holders, None))
            {
                continue;
            }
            for (number, similarity) in alike.into_iter().filter(|&(id, _)| id != me) {
                let Some(other) = self.ids.get(number as usize) else {
                    continue;
                };
                let tie = Identifier {
                    kind: IdentifierType::ResumeNear,
                    value: format!("{:.0}% alike", similarity * 100.0).into(),
                };
                let ties = by_other.entry(other).or_default();
                if !ties.iter().any(|t| t.kind == IdentifierType::ResumeNear) {
                    ties.push(tie);
                }
            }
        }
    }

    /// Whether a photo hash, as an exact value, is a placeholder (see `is_commonplace`).
    fn commonplace_photo(&self, hash: u64) -> bool {
        let id = Identifier {
            kind: IdentifierType::Photo,
            value: format!("{hash:016x}").into(),
        };
        self.by_identifier
            .get(&id)
            .is_some_and(|sharers| self.is_commonplace(&id, sharers))
    }

    /// Where each subject says they live (`country|region|city`, lower case).
    pub fn places_of(&self, subject: &SubjectId) -> &[String] {
        self.known(subject).map_or(&[], |k| k.places.as_slice())
    }

    /// Whether two subjects name the same current employer.
    pub fn share_employer(&self, a: &SubjectId, b: &SubjectId) -> bool {
        match (self.known(a), self.known(b)) {
            (Some(x), Some(y)) => x.employers.iter().any(|e| y.employers.contains(e)),
            _ => false,
        }
    }

    /// Whether an identifier is a commonplace value rather than a tie: a placeholder kind
    /// held by enough subjects (see `placeholder_min`), no two of whom share anything
    /// else. Strangers on one default avatar have nothing more in common; an operation's
    /// personas reuse a photo *and* a wallet, a device or a laptop farm's connection.
    fn is_commonplace(&self, identifier: &Identifier, sharers: &Sharers) -> bool {
        let Some(min) = identifier.kind.placeholder_min() else {
            return false;
        };
        if sharers.subjects.len() < min {
            return false;
        }
        !self.tied_otherwise(&sharers.subjects, Some(identifier))
    }

    /// Whether any two of `holders` share an identifier besides `except`.
    fn tied_otherwise(&self, holders: &[u32], except: Option<&Identifier>) -> bool {
        holders.iter().any(|&member| {
            self.known.get(member as usize).is_some_and(|k| {
                k.identifiers
                    .iter()
                    .filter(|other| Some(*other) != except)
                    .filter_map(|other| self.by_identifier.get(other))
                    .any(|s| {
                        s.subjects
                            .iter()
                            .any(|&o| o != member && holders.contains(&o))
                    })
            })
        })
    }

    /// Other subjects sharing identifiers with `subject`, most shared first. Identifiers
    /// held by more than [`MAX_SHARERS`] subjects, commonplace values (see
    /// `is_commonplace`), and accounts whose holder is named as an employer in
    /// `explained_holders` (an agency paying its staff), are left out.
    pub fn links_of(&self, subject: &SubjectId, explained_holders: &[String]) -> Vec<Link> {
        let mut by_other: BTreeMap<&SubjectId, Vec<Identifier>> = BTreeMap::new();
        let Some(known) = self.known(subject) else {
            return Vec::new();
        };
        for identifier in &known.identifiers {
            let Some(sharers) = self.by_identifier.get(identifier) else {
                continue;
            };
            if sharers.subjects.len() > MAX_SHARERS || self.is_commonplace(identifier, sharers) {
                continue;
            }
            if identifier.kind == IdentifierType::Holder
                && known.names.iter().any(|n| **n == *identifier.value)
            {
                continue;
            }
            if !sharers.holders.is_empty()
                && sharers
                    .holders
                    .iter()
                    .all(|h| explained_holders.contains(h))
            {
                continue;
            }
            for &number in &sharers.subjects {
                let Some(other) = self.ids.get(number as usize) else {
                    continue;
                };
                // Ties are the same seen from either side: a holder who is the other
                // person, paid into their own account, is their namesake's business.
                let own_name = identifier.kind == IdentifierType::Holder
                    && self
                        .known
                        .get(number as usize)
                        .is_some_and(|k| k.names.iter().any(|n| **n == *identifier.value));
                if other != subject && !own_name {
                    by_other.entry(other).or_default().push(identifier.clone());
                }
            }
        }
        self.near_photos(subject, known, &mut by_other);
        self.near_resumes(subject, known, &mut by_other);
        // The value names the referrer, whichever way round.
        let referrals = known
            .referred_by
            .iter()
            .map(|&n| (n, None))
            .chain(known.referred.iter().map(|&n| (n, Some(subject))));
        for (number, referrer) in referrals {
            if let Some(other) = self.ids.get(number as usize)
                && other != subject
            {
                by_other.entry(other).or_default().push(Identifier {
                    kind: IdentifierType::Referral,
                    value: referrer.unwrap_or(other).as_str().into(),
                });
            }
        }
        let mut links: Vec<Link> = by_other
            .into_iter()
            .map(|(other, via)| Link {
                other: other.clone(),
                via,
            })
            .collect();
        links.sort_by(|a, b| {
            b.via
                .len()
                .cmp(&a.via.len())
                .then_with(|| a.other.cmp(&b.other))
        });
        links
    }
}

fn account_identifiers(
    account: Option<&Account>,
    push: &mut impl FnMut(IdentifierType, String, Option<String>),
) {
    let Some(a) = account else { return };
    let holder = a.holder.as_deref().map(normalise_name);
    // A one-word holder ("Daniel") says too little to tie two people together.
    if let Some(h) = holder.as_ref().filter(|h| h.split(' ').count() >= 2) {
        push(IdentifierType::Holder, h.clone(), Some(h.clone()));
    }
    if let Some(id) = &a.id {
        push(IdentifierType::PayoutAccount, id.clone(), holder.clone());
    }
    // A masked number ("****4821") is shared by chance; only a full number identifies.
    if let Some(number) = a
        .number
        .as_deref()
        .filter(|n| !n.contains('*') && n.len() >= 6)
    {
        let compact: String = number
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_uppercase();
        push(IdentifierType::BankAccount, compact, holder);
    }
    if let Some(w) = &a.wallet {
        // EVM addresses are case-insensitive; other chains' are not.
        let address = if w.address.starts_with("0x") {
            w.address.to_lowercase()
        } else {
            w.address.clone()
        };
        push(
            IdentifierType::Wallet,
            format!("{}:{address}", w.chain),
            None,
        );
    }
}

/// Gmail ignores dots and `+tags` in the local part; so must we, or one mailbox looks
/// like many.
fn normalise_email(email: &str) -> String {
    let lower = email.to_lowercase();
    let Some((local, domain)) = lower.rsplit_once('@') else {
        return lower;
    };
    let local = local.split('+').next().unwrap_or(local);
    if domain == "gmail.com" || domain == "googlemail.com" {
        format!("{}@gmail.com", local.replace('.', ""))
    } else {
        format!("{local}@{domain}")
    }
}

/// `country|region|city` in lower case: where a profile says its subject lives.
fn place_key(l: &redflag_model::Location) -> Option<String> {
    let city = l.city.as_deref()?.trim().to_lowercase();
    if city.is_empty() {
        return None;
    }
    Some(format!(
        "{}|{}|{city}",
        l.country.map(|c| c.to_string()).unwrap_or_default(),
        l.region.as_deref().unwrap_or("").trim().to_lowercase()
    ))
}

/// Lower-case letters and digits, legal-form words dropped: "Northwind Dev Studio Ltd."
/// and "NORTHWIND DEV STUDIO" compare equal.
pub fn normalise_name(name: &str) -> String {
    const LEGAL_FORMS: &[&str] = &[
        "ltd",
        "llc",
        "inc",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "limited",
        "sa",
        "srl",
        "bv",
        "plc",
        "pty",
    ];
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !LEGAL_FORMS.contains(&w.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_model::parse_record;

    fn index(lines: &[&str]) -> LinkIndex {
        let mut idx = LinkIndex::default();
        for l in lines {
            let record = parse_record(l).unwrap().record;
            idx.observe(record.subject(), &record);
        }
        idx
    }

    fn id(s: &str) -> SubjectId {
        s.parse().unwrap()
    }

    #[test]
    fn a_shared_wallet_links_two_subjects_whatever_the_case() {
        let idx = index(&[
            r#"{"kind":"payout_account","subject":"a","at":"2026-03-10T09:00:00Z","method":"crypto","account":{"wallet":{"chain":"ethereum","address":"0xABCDEF0123"}}}"#,
            r#"{"kind":"payment_request","subject":"b","at":"2026-03-10T09:00:00Z","method":"crypto","account":{"wallet":{"chain":"ethereum","address":"0xabcdef0123"}}}"#,
        ]);
        let links = idx.links_of(&id("a"), &[]);
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].other, id("b"));
        assert_eq!(links[0].via[0].tag(), "wallet:ethereum:0xabcdef0123");
    }

    #[test]
    fn gmail_dots_and_tags_are_one_mailbox() {
        let idx = index(&[
            r#"{"kind":"subject","id":"a","emails":["john.smith+jobs@gmail.com"]}"#,
            r#"{"kind":"subject","id":"b","emails":["JohnSmith@googlemail.com"]}"#,
        ]);
        assert_eq!(idx.links_of(&id("b"), &[]).len(), 1);
    }

    #[test]
    fn one_third_party_holding_two_peoples_payout_accounts_links_them() {
        let acct = |s: &str, id: &str| {
            format!(
                r#"{{"kind":"payout_account","subject":"{s}","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{{"id":"{id}","holder":"Li Wei"}}}}"#
            )
        };
        let idx = index(&[&acct("a", "x-1"), &acct("b", "x-2")]);
        assert_eq!(idx.links_of(&id("a"), &[])[0].via[0].tag(), "holder:li wei");
        // Someone paid into an account held in the name of another subject is not tied
        // to that subject by the name alone, from either side.
        let idx = index(&[
            r#"{"kind":"subject","id":"b","name":"Li Wei"}"#,
            &acct("a", "x-1"),
            &acct("b", "x-2"),
        ]);
        assert!(idx.links_of(&id("a"), &[]).is_empty());
        assert!(idx.links_of(&id("b"), &[]).is_empty());
        // Two namesakes, each paid into an account in their own name, are not linked.
        let own = |s: &str, id: &str| {
            [
                format!(r#"{{"kind":"subject","id":"{s}","name":"Li Wei"}}"#),
                acct(s, id),
            ]
        };
        let lines: Vec<String> = own("a", "x-1").into_iter().chain(own("b", "x-2")).collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(index(&refs).links_of(&id("a"), &[]).is_empty());
    }

    #[test]
    fn masked_account_numbers_do_not_link() {
        let idx = index(&[
            r#"{"kind":"payout_account","subject":"a","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{"number":"****4821"}}"#,
            r#"{"kind":"payout_account","subject":"b","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{"number":"****4821"}}"#,
        ]);
        assert!(idx.links_of(&id("a"), &[]).is_empty());
    }

    #[test]
    fn an_agency_paying_its_staff_is_explained() {
        let acct = |s: &str| {
            format!(
                r#"{{"kind":"payout_account","subject":"{s}","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{{"id":"acct-agency","holder":"Northwind Dev Studio Ltd."}}}}"#
            )
        };
        let idx = index(&[&acct("a"), &acct("b")]);
        assert_eq!(idx.links_of(&id("a"), &[]).len(), 1);
        assert!(
            idx.links_of(&id("a"), &[normalise_name("NORTHWIND DEV STUDIO")])
                .is_empty()
        );
    }

    fn photo(subject: &str, phash: &str) -> String {
        format!(r#"{{"kind":"subject","id":"{subject}","photo_phash":"{phash}"}}"#)
    }

    #[test]
    fn strangers_on_one_default_avatar_are_not_linked() {
        let lines: Vec<String> = ["a", "b", "c", "d"]
            .iter()
            .map(|s| photo(s, "c3c33c3cc3c33c3c"))
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(index(&refs).links_of(&id("a"), &[]).is_empty());
    }

    #[test]
    fn a_photo_shared_by_people_tied_another_way_still_links() {
        let mut lines: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|s| photo(s, "c3c33c3cc3c33c3c"))
            .collect();
        lines.push(r#"{"kind":"login","subject":"b","at":"2026-03-10T09:00:00Z","ip":"10.0.0.1","mfa_device":"totp-77"}"#.into());
        lines.push(r#"{"kind":"login","subject":"c","at":"2026-03-10T09:00:00Z","ip":"10.0.0.2","mfa_device":"totp-77"}"#.into());
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let links = index(&refs).links_of(&id("a"), &[]);
        assert_eq!(links.len(), 2, "{links:?}");
        // Two people on one photo are not a crowd: the pair stays linked.
        let pair = [
            photo("x", "0000ffff0000ffff"),
            photo("y", "0000ffff0000ffff"),
        ];
        let refs: Vec<&str> = pair.iter().map(String::as_str).collect();
        assert_eq!(index(&refs).links_of(&id("x"), &[]).len(), 1);
    }

    #[test]
    fn a_referral_ties_referrer_and_referred_not_those_referred_alike() {
        let idx = index(&[
            r#"{"kind":"subject","id":"a","referred_by":"r"}"#,
            r#"{"kind":"subject","id":"b","referred_by":"r"}"#,
        ]);
        let a = idx.links_of(&id("a"), &[]);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].other, id("r"));
        assert_eq!(a[0].via[0].tag(), "referral:r");
        let r = idx.links_of(&id("r"), &[]);
        assert_eq!(r.len(), 2);
        assert!(r.iter().all(|l| l.via[0].tag() == "referral:r"));
    }

    #[test]
    fn sign_in_ips_and_claimed_places_are_indexed() {
        let idx = index(&[
            r#"{"kind":"subject","id":"a","location":{"country":"IN","region":"TN","city":"Chennai"}}"#,
            r#"{"kind":"login","subject":"a","at":"2026-03-10T09:00:00Z","ip":"122.160.197.140"}"#,
            r#"{"kind":"login","subject":"a","at":"2026-03-11T09:00:00Z","ip":"122.160.197.140"}"#,
            r#"{"kind":"login","subject":"b","at":"2026-03-10T09:00:00Z","ip":"122.160.197.140"}"#,
        ]);
        let links = idx.links_of(&id("a"), &[]);
        assert_eq!(links[0].via.len(), 1);
        assert_eq!(links[0].via[0].tag(), "login_ip:122.160.197.140");
        assert_eq!(idx.places_of(&id("a")), ["IN|tn|chennai"]);
        assert!(idx.places_of(&id("b")).is_empty());
    }

    #[test]
    fn an_edited_copy_of_a_photo_links_a_stranger_does_not() {
        // 0x…17 is 0x…16 with one bit flipped, 0x…70 with four; 0x…ff00 is far away.
        let lines = [
            photo("a", "c3a1f0e8d2b49716"),
            photo("b", "c3a1f0e8d2b49717"),
            photo("c", "c3a1f0e8d2b49770"),
            photo("d", "3c5e0f172d4bff00"),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let idx = index(&refs);
        let links = idx.links_of(&id("a"), &[]);
        let others: Vec<&str> = links.iter().map(|l| l.other.as_str()).collect();
        assert_eq!(others, ["b", "c"]);
        assert_eq!(
            links[0].via[0].tag(),
            "photo_near:c3a1f0e8d2b49716~c3a1f0e8d2b49717 (1 bits apart)"
        );
        // At 0 bits allowed only the very same file ties.
        let mut exact = LinkIndex::new(0, RESUME_MIN_SIMILARITY);
        for l in &refs {
            let r = parse_record(l).unwrap().record;
            exact.observe(r.subject(), &r);
        }
        assert!(exact.links_of(&id("a"), &[]).is_empty());
    }

    #[test]
    fn re_encodings_of_a_default_avatar_tie_nobody() {
        let mut lines: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|s| photo(s, "c3c33c3cc3c33c3c"))
            .collect();
        // A fourth stranger whose copy of the avatar was re-compressed.
        lines.push(photo("d", "c3c33c3cc3c33c3d"));
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let idx = index(&refs);
        assert!(idx.links_of(&id("d"), &[]).is_empty());
        assert!(idx.links_of(&id("a"), &[]).is_empty());
    }

    const RESUME: &str = "Senior backend engineer with nine years of experience building payment \
        systems in Go and Rust. Led the migration of a monolith to event-driven services at a \
        fintech startup, cutting settlement time from hours to minutes. Mentored four junior \
        engineers and ran the on-call rotation. Comfortable with Kubernetes, Postgres and Kafka.";

    fn resume(subject: &str, text: &str) -> String {
        format!(r#"{{"kind":"subject","id":"{subject}","resume_text":"{text}"}}"#)
    }

    #[test]
    fn a_resume_with_sentences_swapped_links_a_common_phrase_does_not() {
        let sentences: Vec<&str> = RESUME.split(". ").collect();
        let swapped = [sentences[1], sentences[0], sentences[2], sentences[3]].join(". ");
        let other = "Frontend developer who loves accessible design systems and has shipped \
            React and Svelte apps for museums, newspapers and a national library. Senior backend \
            engineer with nine years of experience is not me: I write TypeScript, test with \
            Playwright and teach evening classes on web performance for beginners.";
        let lines = [
            resume("a", RESUME),
            resume("b", &swapped),
            resume("c", other),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let links = index(&refs).links_of(&id("a"), &[]);
        assert_eq!(links.len(), 1, "{links:?}");
        assert_eq!(links[0].other, id("b"));
        assert_eq!(links[0].via[0].kind, IdentifierType::ResumeNear);
    }

    #[test]
    fn a_template_strangers_share_and_one_liners_tie_nobody() {
        let lines: Vec<String> = ["a", "b", "c", "d", "e", "f", "g"]
            .iter()
            .map(|s| resume(s, RESUME))
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(index(&refs).links_of(&id("a"), &[]).is_empty());
        let short = "React developer with 5 years of experience in TypeScript and Node.";
        let lines = [resume("x", short), resume("y", short)];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(index(&refs).links_of(&id("x"), &[]).is_empty());
    }

    #[test]
    fn an_identifier_everyone_has_tells_nobody_apart() {
        let lines: Vec<String> = (0..=MAX_SHARERS + 1)
            .map(|i| format!(r#"{{"kind":"login","subject":"s{i}","at":"2026-03-10T09:00:00Z","ip":"10.0.0.1","device_id":"shared-kiosk"}}"#))
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(index(&refs).links_of(&id("s0"), &[]).is_empty());
    }
}

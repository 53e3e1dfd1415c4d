//! Per-subject state, folded from records in any order.
//!
//! Records about a person that are naturally few (profile versions, interviews,
//! documents, checks, contracts, bids, payout accounts, payment requests, shipments) are
//! kept whole: detectors need their details and they do not grow with time. Records that
//! arrive by the thousand (logins, payments, messages, activity, device telemetry) are
//! folded into bounded summaries, so memory grows with the number of subjects, not the
//! number of records: logins packed into ~12 bytes each ([`LoginLog`]), activity as
//! three bytes of hour mask a day ([`ActivityClock`]), payouts with their keys, and the
//! newest telemetry per device. About 4 KB a subject beyond the records kept whole (the
//! `state_bytes` example of the engine measures it). Detectors sort what they need;
//! nothing here depends on arrival order.

mod clock;
mod logins;

pub use clock::ActivityClock;
pub use logins::{KeyRef, LoginLog, LoginObs, RECENT_LOGINS};

use redflag_model::{
    Bid, Contract, CredentialCheck, Device, Document, Evidence, Interview, Kind, Payment,
    PaymentRequest, PayoutAccount, PayoutMethod, Record, Shipment, Subject, SubjectId, Timestamp,
};

/// A record with the key it is stored under, so evidence can point back to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed<T> {
    pub key: String,
    pub record: T,
}

/// How many records of one high-volume kind are kept whole for evidence.
pub const EVIDENCE_SAMPLE: usize = 8;

/// How many records of a kind, and the first and last time one happened.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tally {
    pub count: u64,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
}

impl Tally {
    fn add(&mut self, at: Timestamp) {
        self.count += 1;
        self.first = Some(self.first.map_or(at, |f| f.min(at)));
        self.last = Some(self.last.map_or(at, |l| l.max(at)));
    }
}

/// What is known about one subject.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectState {
    pub id: SubjectId,
    /// Every distinct version of the profile, in arrival order (sort by `observed_at`).
    pub profiles: Vec<Keyed<Subject>>,
    pub interviews: Vec<Keyed<Interview>>,
    pub documents: Vec<Keyed<Document>>,
    pub checks: Vec<Keyed<CredentialCheck>>,
    pub contracts: Vec<Keyed<Contract>>,
    pub bids: Vec<Keyed<Bid>>,
    pub payout_accounts: Vec<Keyed<PayoutAccount>>,
    pub payment_requests: Vec<Keyed<PaymentRequest>>,
    pub shipments: Vec<Keyed<Shipment>>,
    /// The newest telemetry per device id, sorted by device id (records without one
    /// count as one device, first). A list, not a map: a person has a device or two, and
    /// a map's smallest node holds room for eleven.
    pub devices: Vec<Keyed<Device>>,
    pub logins: Tally,
    /// The most recent logins, at most `2 ×` [`RECENT_LOGINS`] (older ones are dropped;
    /// read them with [`SubjectState::logins_by_time`]).
    recent_logins: LoginLog,
    pub messages: Tally,
    pub activity: Tally,
    /// When the person was active (logins, work, messages they sent), as hours.
    pub clock: ActivityClock,
    pub payments: PaymentTally,
    /// The newest name an export gives the person (see [`SubjectState::display_name`]).
    pub export_name: Option<Box<str>>,
}

/// Payments folded: a count, the payouts RF1 reads, and a few kept whole where they may
/// be evidence.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PaymentTally {
    pub all: Tally,
    /// Payments in crypto, or to an account with a wallet (first few, by time).
    pub crypto: Vec<Keyed<Payment>>,
    /// Payments to or from an account with a country of `KP` or a North Korean BIC
    /// (first few, by time).
    pub dprk: Vec<Keyed<Payment>>,
    /// Payouts to the subject, at most [`RECENT_PAYOUTS`] of the newest kept (older ones
    /// dropped): RF1 counts them over a recent window.
    pub recent_payouts: Vec<PayoutObs>,
}

/// How many payouts per subject are kept for frequency analysis. RF1 looks at weeks,
/// not years; 256 covers daily payouts for most of a year.
pub const RECENT_PAYOUTS: usize = 256;

/// One payout, reduced to what RF1 reads.
#[derive(Debug, Clone, PartialEq)]
pub struct PayoutObs {
    pub key: Box<str>,
    pub at: Timestamp,
    pub method: Option<PayoutMethod>,
}

/// Whether a BIC (SWIFT code) belongs to a North Korean bank: characters 5–6 of a BIC
/// are the ISO country code of the bank's head office.
pub fn is_dprk_bic(bic: &str) -> bool {
    let compact: Vec<char> = bic.chars().filter(|c| !c.is_whitespace()).collect();
    (compact.len() == 8 || compact.len() == 11)
        && compact.iter().all(char::is_ascii_alphanumeric)
        && compact[4].eq_ignore_ascii_case(&'K')
        && compact[5].eq_ignore_ascii_case(&'P')
}

impl SubjectState {
    pub fn new(id: SubjectId) -> Self {
        SubjectState {
            id,
            profiles: Vec::new(),
            interviews: Vec::new(),
            documents: Vec::new(),
            checks: Vec::new(),
            contracts: Vec::new(),
            bids: Vec::new(),
            payout_accounts: Vec::new(),
            payment_requests: Vec::new(),
            shipments: Vec::new(),
            devices: Vec::new(),
            logins: Tally::default(),
            recent_logins: LoginLog::default(),
            messages: Tally::default(),
            activity: Tally::default(),
            clock: ActivityClock::default(),
            payments: PaymentTally::default(),
            export_name: None,
        }
    }

    /// Folds one record in. The caller guarantees a record is applied once (the store
    /// deduplicates by key before the engine sees it).
    pub fn apply(&mut self, key: String, record: Record) {
        match record {
            Record::Subject(r) => self.profiles.push(Keyed { key, record: *r }),
            Record::Interview(r) => self.interviews.push(Keyed { key, record: r }),
            Record::Document(r) => self.documents.push(Keyed { key, record: r }),
            Record::CredentialCheck(r) => self.checks.push(Keyed { key, record: r }),
            Record::Contract(r) => self.contracts.push(Keyed { key, record: r }),
            Record::Bid(r) => self.bids.push(Keyed { key, record: r }),
            Record::PayoutAccount(r) => {
                self.note_export_name(r.account.as_ref().and_then(|a| a.holder.as_deref()));
                self.payout_accounts.push(Keyed { key, record: r })
            }
            Record::PaymentRequest(r) => self.payment_requests.push(Keyed { key, record: r }),
            Record::Shipment(r) => self.shipments.push(Keyed { key, record: r }),
            Record::Login(r) => {
                self.note_export_name(r.vendor_user.as_ref().and_then(|u| u.name.as_deref()));
                self.logins.add(r.at);
                if r.success != Some(false) {
                    self.clock.add(r.at);
                }
                self.recent_logins.push(LoginObs {
                    key: KeyRef::parse(&key),
                    at: r.at,
                    ip: r.ip,
                    account: r.account.as_deref(),
                    success: r.success,
                });
            }
            Record::Message(r) => {
                self.messages.add(r.at);
                // Only what the person sent says when they were awake.
                if r.direction == Some(redflag_model::MessageDirection::Inbound) {
                    self.clock.add(r.at);
                }
            }
            Record::Activity(r) => {
                self.activity.add(r.at);
                self.clock.add(r.at);
            }
            Record::Device(r) => {
                let id = r.device_id.as_deref().unwrap_or_default();
                let found = self.devices.binary_search_by(|d| {
                    d.record.device_id.as_deref().unwrap_or_default().cmp(id)
                });
                match found {
                    Ok(i) if self.devices[i].record.at <= r.at => {
                        self.devices[i] = Keyed { key, record: r };
                    }
                    Ok(_) => {}
                    Err(i) => self.devices.insert(i, Keyed { key, record: r }),
                }
            }
            Record::Payment(r) => {
                self.note_export_name(r.account.as_ref().and_then(|a| a.holder.as_deref()));
                self.payments.add(key, r)
            }
            // Identity records say whose records are whose; the engine reads them.
            Record::Identity(_) => {}
        }
    }

    /// Keeps the newest name an export gives, for a subject no profile names.
    fn note_export_name(&mut self, name: Option<&str>) {
        if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
            self.export_name = Some(name.into());
        }
    }

    /// The profile version observed last, with its key (versions without `observed_at`
    /// count as oldest; ties go to the later arrival).
    pub fn latest_profile_keyed(&self) -> Option<&Keyed<Subject>> {
        self.profiles
            .iter()
            .enumerate()
            .max_by_key(|(i, p)| (p.record.observed_at, *i))
            .map(|(_, p)| p)
    }

    /// The profile version observed last.
    pub fn latest_profile(&self) -> Option<&Subject> {
        self.latest_profile_keyed().map(|p| &p.record)
    }

    /// The kept logins, oldest first, at most [`RECENT_LOGINS`] of the newest.
    pub fn logins_by_time(&self) -> Vec<LoginObs<'_>> {
        let mut logins: Vec<LoginObs<'_>> = self.recent_logins.iter().collect();
        logins.sort_by(logins::newest_first);
        logins.truncate(RECENT_LOGINS);
        logins.reverse();
        logins
    }

    /// The name to show for the subject: the latest profile's name, if any.
    /// The latest profile's name, else the name an export gives (a payee's account
    /// holder, a sign-in's user name).
    pub fn display_name(&self) -> Option<&str> {
        self.latest_profile()
            .and_then(|p| p.name.as_deref())
            .or(self.export_name.as_deref())
    }
}

impl PaymentTally {
    fn add(&mut self, key: String, payment: Payment) {
        self.all.add(payment.at);
        let account = payment.account.as_ref();
        let is_crypto = payment.method == Some(PayoutMethod::Crypto)
            || account.is_some_and(|a| a.wallet.is_some());
        let is_dprk = account.and_then(|a| a.country) == Some(redflag_model::CountryCode::KP)
            || account
                .and_then(|a| a.bic.as_deref())
                .is_some_and(is_dprk_bic);
        // Refunds and inbound money are not payouts; a payment without a direction is
        // taken as one, since paying people is what these records mostly describe.
        if matches!(
            payment.direction,
            None | Some(redflag_model::PaymentDirection::Payout)
        ) {
            if self.recent_payouts.len() == self.recent_payouts.capacity() {
                // Grow by a quarter, not double: the list lives as long as the subject.
                let more = (self.recent_payouts.len() / 4).max(2);
                self.recent_payouts.reserve_exact(more);
            }
            self.recent_payouts.push(PayoutObs {
                key: key.as_str().into(),
                at: payment.at,
                method: payment.method,
            });
            // Trim in bulk so the cost per payment stays constant; keeping the newest by
            // (time, key) makes the result independent of arrival order.
            if self.recent_payouts.len() >= 2 * RECENT_PAYOUTS {
                sort_newest_first(&mut self.recent_payouts);
                self.recent_payouts.truncate(RECENT_PAYOUTS);
            }
        }
        if is_crypto {
            keep_earliest(
                &mut self.crypto,
                Keyed {
                    key: key.clone(),
                    record: payment.clone(),
                },
            );
        }
        if is_dprk {
            keep_earliest(
                &mut self.dprk,
                Keyed {
                    key,
                    record: payment,
                },
            );
        }
    }
}

impl PaymentTally {
    /// The kept payouts, oldest first, at most [`RECENT_PAYOUTS`] of the newest.
    pub fn payouts_by_time(&self) -> Vec<&PayoutObs> {
        let mut payouts: Vec<&PayoutObs> = self.recent_payouts.iter().collect();
        payouts.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.key.cmp(&b.key)));
        payouts.truncate(RECENT_PAYOUTS);
        payouts.reverse();
        payouts
    }
}

fn sort_newest_first(payouts: &mut [PayoutObs]) {
    payouts.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.key.cmp(&b.key)));
}

/// Keeps the `EVIDENCE_SAMPLE` earliest payments, whatever order they arrive in.
fn keep_earliest(sample: &mut Vec<Keyed<Payment>>, item: Keyed<Payment>) {
    let at = |p: &Keyed<Payment>| (p.record.at, p.key.clone());
    let pos = sample.partition_point(|p| at(p) < at(&item));
    if pos < EVIDENCE_SAMPLE {
        sample.insert(pos, item);
        sample.truncate(EVIDENCE_SAMPLE);
    }
}

/// Evidence pointing at a stored record.
pub fn evidence_of<T>(kind: Kind, keyed: &Keyed<T>, at: Option<Timestamp>) -> Evidence {
    Evidence::new(kind, Some(keyed.key.clone()), at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_model::parse_record;

    fn apply(state: &mut SubjectState, line: &str) {
        let p = parse_record(line).unwrap();
        state.apply(p.key, p.record);
    }

    #[test]
    fn high_volume_records_are_folded_and_samples_stay_bounded() {
        let mut s = SubjectState::new("c-1".parse().unwrap());
        for day in (1..=28).rev() {
            apply(
                &mut s,
                &format!(
                    r#"{{"kind":"payment","subject":"c-1","at":"2026-02-{day:02}T10:00:00Z","amount":10,"currency":"USD","method":"crypto"}}"#
                ),
            );
            apply(
                &mut s,
                &format!(
                    r#"{{"kind":"login","subject":"c-1","at":"2026-02-{day:02}T10:00:00Z","ip":"198.51.100.1"}}"#
                ),
            );
        }
        assert_eq!(s.payments.all.count, 28);
        assert_eq!(s.payments.crypto.len(), EVIDENCE_SAMPLE);
        assert_eq!(
            s.payments.crypto[0].record.at.to_string(),
            "2026-02-01T10:00:00Z"
        );
        assert_eq!(s.logins.count, 28);
        assert_eq!(
            s.logins.first.map(|t| t.to_string()).as_deref(),
            Some("2026-02-01T10:00:00Z")
        );
    }

    #[test]
    fn kept_payouts_are_the_newest_whatever_the_arrival_order() {
        let lines: Vec<String> = (0..600)
            .map(|i| {
                format!(
                    r#"{{"kind":"payment","subject":"c-1","at":"2026-01-01T{:02}:{:02}:00Z","id":"p-{i:03}","amount":1,"currency":"USD","method":"wise"}}"#,
                    i / 60,
                    i % 60
                )
            })
            .collect();
        let fold = |order: &mut dyn Iterator<Item = &String>| {
            let mut s = SubjectState::new("c-1".parse().unwrap());
            for l in order {
                apply(&mut s, l);
            }
            let kept: Vec<String> = s
                .payments
                .payouts_by_time()
                .iter()
                .map(|p| p.at.to_string())
                .collect();
            kept
        };
        let forward = fold(&mut lines.iter());
        let backward = fold(&mut lines.iter().rev());
        assert_eq!(forward.len(), RECENT_PAYOUTS);
        assert_eq!(forward, backward);
        assert_eq!(
            forward.last().map(String::as_str),
            Some("2026-01-01T09:59:00Z")
        );
    }

    #[test]
    fn dprk_bics_are_recognised_by_their_country_letters() {
        assert!(is_dprk_bic("KKBCKPPY"));
        assert!(is_dprk_bic("ftbd kp py xxx"));
        assert!(!is_dprk_bic("SHBKKRSE"));
        assert!(!is_dprk_bic("KPBKUS33"));
        assert!(!is_dprk_bic("KKBCKP"));
    }

    #[test]
    fn latest_profile_is_by_observation_time_not_arrival() {
        let mut s = SubjectState::new("c-1".parse().unwrap());
        apply(
            &mut s,
            r#"{"kind":"subject","id":"c-1","observed_at":"2026-03-01T00:00:00Z","name":"New"}"#,
        );
        apply(
            &mut s,
            r#"{"kind":"subject","id":"c-1","observed_at":"2026-01-01T00:00:00Z","name":"Old"}"#,
        );
        assert_eq!(s.display_name(), Some("New"));
    }

    #[test]
    fn devices_keep_the_newest_telemetry() {
        let mut s = SubjectState::new("c-1".parse().unwrap());
        apply(
            &mut s,
            r#"{"kind":"device","subject":"c-1","at":"2026-03-02T00:00:00Z","device_id":"d1","os":"new"}"#,
        );
        apply(
            &mut s,
            r#"{"kind":"device","subject":"c-1","at":"2026-03-01T00:00:00Z","device_id":"d1","os":"old"}"#,
        );
        assert_eq!(s.devices.len(), 1);
        assert_eq!(s.devices[0].record.os.as_deref(), Some("new"));
    }
}

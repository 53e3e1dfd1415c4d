//! The canonical record kinds of `shared/spec/records.md` (format v1). Every field the
//! spec names is here with the narrowest type that holds it; optional fields may be
//! absent or `null`; unknown fields are ignored here and kept by the store, which
//! stores each record's text as it came.

use std::net::IpAddr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::primitives::{
    Amount, CountryCode, Currency, Email, LanguageTag, PHash, PartialDate, Phone, Quoted,
    SubjectId, TimeZoneName, Timestamp,
};

/// A value read from a JSON string by `FromStr`, with a message of ours when it does not
/// parse: the parsers' own (jiff's, the standard library's) say neither what was
/// expected nor how to write it.
struct Text<T>(T);

/// What a type's text should look like, for error messages.
trait Expected: std::str::FromStr {
    /// What the value is, after "is not": `a time`.
    const WHAT: &'static str;
    /// The form expected, with an example.
    const FORM: &'static str;
}

impl Expected for Timestamp {
    const WHAT: &'static str = "a time";
    const FORM: &'static str = "RFC 3339, e.g. 2026-05-01T09:30:00Z";
}

impl Expected for IpAddr {
    const WHAT: &'static str = "an IP address";
    const FORM: &'static str = "IPv4 or IPv6, e.g. 203.0.113.7 or 2001:db8::7";
}

impl<'de, T: Expected> Deserialize<'de> for Text<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<T: Expected> serde::de::Visitor<'_> for V<T> {
            type Value = Text<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "{} in {}", T::WHAT, T::FORM)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text<T>, E> {
                v.parse().map(Text).map_err(|_| {
                    E::custom(format_args!(
                        "{} is not {}: expected {}",
                        Quoted(v),
                        T::WHAT,
                        T::FORM
                    ))
                })
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

fn text<'de, D: Deserializer<'de>, T: Expected>(d: D) -> Result<T, D::Error> {
    Text::deserialize(d).map(|t| t.0)
}

fn optional_text<'de, D: Deserializer<'de>, T: Expected>(d: D) -> Result<Option<T>, D::Error> {
    Option::<Text<T>>::deserialize(d).map(|t| t.map(|t| t.0))
}

/// A count such as a number of connections: serde's own message names the Rust type
/// (`expected u32`).
fn optional_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = u32;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number from 0 to 4294967295, e.g. 38")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| {
                E::custom(format_args!(
                    "{v} is too large: expected a whole number from 0 to 4294967295, e.g. 38"
                ))
            })
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| {
                E::custom(format_args!(
                    "{v} is not a count: expected a whole number from 0 to 4294967295, e.g. 38"
                ))
            })
        }
    }
    struct Count(u32);
    impl<'de> Deserialize<'de> for Count {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_u64(V).map(Count)
        }
    }
    Option::<Count>::deserialize(d).map(|c| c.map(|c| c.0))
}

/// Serde's derived message for an unknown name quotes it whole and unescaped; this one
/// quotes at most a line of it, escaped, and lists the names allowed.
macro_rules! names {
    ($ty:ident { $($variant:ident => $name:literal),* $(,)? }) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const NAMES: &str = concat!("one of ", $($name, ", ",)*);
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(NAMES.trim_end_matches(", "))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        match v {
                            $($name => Ok($ty::$variant),)*
                            _ => Err(E::custom(format_args!(
                                "{} is not {}",
                                Quoted(v),
                                NAMES.trim_end_matches(", ")
                            ))),
                        }
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

/// Lists may be written as `null`, which means the same as absent.
fn nullable_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

macro_rules! kinds {
    ($($variant:ident($ty:ty) => $name:literal),* $(,)?) => {
        /// The `kind` of a record.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Kind { $($variant),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Kind::$variant => $name),* }
            }
            pub fn from_name(name: &str) -> Option<Kind> {
                match name { $($name => Some(Kind::$variant),)* _ => None }
            }
        }

        /// One canonical record. A profile is boxed: it is several times larger than the
        /// records that arrive by the thousand.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum Record { $($variant($ty)),* }

        impl Record {
            pub fn kind(&self) -> Kind {
                match self { $(Record::$variant(_) => Kind::$variant),* }
            }
        }
    };
}

kinds! {
    Subject(Box<Subject>) => "subject",
    Login(Login) => "login",
    PayoutAccount(PayoutAccount) => "payout_account",
    Payment(Payment) => "payment",
    PaymentRequest(PaymentRequest) => "payment_request",
    Interview(Interview) => "interview",
    Document(Document) => "document",
    CredentialCheck(CredentialCheck) => "credential_check",
    Contract(Contract) => "contract",
    Bid(Bid) => "bid",
    Device(Device) => "device",
    Shipment(Shipment) => "shipment",
    Message(Message) => "message",
    Activity(Activity) => "activity",
    Identity(Identity) => "identity",
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Record {
    /// The subject the record is about (for a `subject` record, its own id).
    pub fn subject(&self) -> &SubjectId {
        match self {
            Record::Subject(r) => &r.id,
            Record::Login(r) => &r.subject,
            Record::PayoutAccount(r) => &r.subject,
            Record::Payment(r) => &r.subject,
            Record::PaymentRequest(r) => &r.subject,
            Record::Interview(r) => &r.subject,
            Record::Document(r) => &r.subject,
            Record::CredentialCheck(r) => &r.subject,
            Record::Contract(r) => &r.subject,
            Record::Bid(r) => &r.subject,
            Record::Device(r) => &r.subject,
            Record::Shipment(r) => &r.subject,
            Record::Message(r) => &r.subject,
            Record::Activity(r) => &r.subject,
            Record::Identity(r) => &r.subject,
        }
    }

    /// The writer's `id`, where given. For a `subject` record this is the subject id,
    /// which names the person, not the version.
    pub fn id(&self) -> Option<&str> {
        match self {
            Record::Subject(r) => Some(r.id.as_str()),
            Record::Login(r) => r.id.as_deref(),
            Record::PayoutAccount(r) => r.id.as_deref(),
            Record::Payment(r) => r.id.as_deref(),
            Record::PaymentRequest(r) => r.id.as_deref(),
            Record::Interview(r) => r.id.as_deref(),
            Record::Document(r) => r.id.as_deref(),
            Record::CredentialCheck(r) => r.id.as_deref(),
            Record::Contract(r) => r.id.as_deref(),
            Record::Bid(r) => r.id.as_deref(),
            Record::Device(r) => r.id.as_deref(),
            Record::Shipment(r) => r.id.as_deref(),
            Record::Message(r) => r.id.as_deref(),
            Record::Activity(r) => r.id.as_deref(),
            Record::Identity(r) => r.id.as_deref(),
        }
    }

    /// When the thing the record describes happened.
    pub fn at(&self) -> Option<Timestamp> {
        match self {
            Record::Subject(r) => r.observed_at,
            Record::Login(r) => Some(r.at),
            Record::PayoutAccount(r) => Some(r.at),
            Record::Payment(r) => Some(r.at),
            Record::PaymentRequest(r) => Some(r.at),
            Record::Interview(r) => Some(r.at),
            Record::Document(r) => Some(r.provided_at.unwrap_or(r.requested_at)),
            Record::CredentialCheck(r) => Some(r.at),
            Record::Contract(r) => Some(r.at),
            Record::Bid(r) => Some(r.at),
            Record::Device(r) => Some(r.at),
            Record::Shipment(r) => Some(r.at),
            Record::Message(r) => Some(r.at),
            Record::Activity(r) => Some(r.at),
            Record::Identity(r) => r.at,
        }
    }
}

/// A profile as submitted. Each version is kept; changes between versions are evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub id: SubjectId,
    #[serde(default, deserialize_with = "optional_text")]
    pub observed_at: Option<Timestamp>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub other_names: Vec<String>,
    #[serde(default)]
    pub date_of_birth: Option<PartialDate>,
    #[serde(default)]
    pub nationality: Option<CountryCode>,
    #[serde(default)]
    pub location: Option<Location>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub languages: Vec<LanguageSkill>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub emails: Vec<Email>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub phones: Vec<Phone>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub profiles: Vec<OnlineProfile>,
    #[serde(default)]
    pub referred_by: Option<SubjectId>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub education: Vec<Education>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub work: Vec<Work>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub rate: Option<Rate>,
    #[serde(default)]
    pub photo_phash: Option<PHash>,
    #[serde(default)]
    pub resume_text: Option<String>,
    #[serde(default)]
    pub address: Option<Address>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Location {
    #[serde(default)]
    pub country: Option<CountryCode>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub timezone: Option<TimeZoneName>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageSkill {
    pub language: LanguageTag,
    #[serde(default)]
    pub fluency: Option<Fluency>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fluency {
    Native,
    Fluent,
    Professional,
    Conversational,
    Basic,
}

names!(Fluency {
    Native => "native",
    Fluent => "fluent",
    Professional => "professional",
    Conversational => "conversational",
    Basic => "basic",
});

/// An account on a public network (GitHub, LinkedIn…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnlineProfile {
    pub network: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub created: Option<PartialDate>,
    #[serde(default)]
    pub oldest_activity: Option<PartialDate>,
    #[serde(default, deserialize_with = "optional_count")]
    pub connections: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Education {
    #[serde(default)]
    pub institution: Option<String>,
    #[serde(default)]
    pub degree: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub start: Option<PartialDate>,
    #[serde(default)]
    pub end: Option<PartialDate>,
    #[serde(default)]
    pub country: Option<CountryCode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Work {
    #[serde(default)]
    pub employer: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub start: Option<PartialDate>,
    #[serde(default)]
    pub end: Option<PartialDate>,
    #[serde(default)]
    pub country: Option<CountryCode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub amount: Amount,
    pub currency: Currency,
    #[serde(default)]
    pub per: Option<RatePeriod>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RatePeriod {
    Hour,
    Day,
    Week,
    Month,
    Year,
    Project,
}

names!(RatePeriod {
    Hour => "hour",
    Day => "day",
    Week => "week",
    Month => "month",
    Year => "year",
    Project => "project",
});

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Address {
    #[serde(default)]
    pub line1: Option<String>,
    #[serde(default)]
    pub line2: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub country: Option<CountryCode>,
}

/// One sign-in to an account the organisation controls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Login {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    #[serde(deserialize_with = "text")]
    pub ip: IpAddr,
    #[serde(default)]
    pub success: Option<bool>,
    #[serde(default)]
    pub user_agent: Option<String>,
    #[serde(default)]
    pub device_id: Option<String>,
    #[serde(default)]
    pub mfa_device: Option<String>,
    #[serde(default)]
    pub session_id: Option<String>,
    /// redflag's own field, beyond the spec: the user as the identity provider names
    /// them, kept by the adapters that read vendor logs (the login itself is `subject`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_user: Option<VendorUser>,
}

/// A user as an identity provider names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorUser {
    /// The provider's id for the user (an Okta `00u…` id, an Entra object id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The display name the provider shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutMethod {
    BankTransfer,
    Paypal,
    Payoneer,
    Wise,
    Crypto,
    Card,
    Cheque,
    Other,
}

names!(PayoutMethod {
    BankTransfer => "bank_transfer",
    Paypal => "paypal",
    Payoneer => "payoneer",
    Wise => "wise",
    Crypto => "crypto",
    Card => "card",
    Cheque => "cheque",
    Other => "other",
});

impl PayoutMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            PayoutMethod::BankTransfer => "bank_transfer",
            PayoutMethod::Paypal => "paypal",
            PayoutMethod::Payoneer => "payoneer",
            PayoutMethod::Wise => "wise",
            PayoutMethod::Crypto => "crypto",
            PayoutMethod::Card => "card",
            PayoutMethod::Cheque => "cheque",
            PayoutMethod::Other => "other",
        }
    }
}

/// A payout destination, or a reference to one by `id` alone.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Account {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub holder: Option<String>,
    #[serde(default)]
    pub institution: Option<String>,
    #[serde(default)]
    pub country: Option<CountryCode>,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub bic: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub wallet: Option<Wallet>,
}

/// A crypto wallet. `chain` is lower-cased; names beyond the spec's list are allowed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Wallet {
    #[serde(deserialize_with = "lowercase")]
    pub chain: String,
    pub address: String,
}

fn lowercase<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Err(serde::de::Error::custom(
            "chain must not be empty (e.g. \"ethereum\")",
        ));
    }
    Ok(s.trim().to_lowercase())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayoutAccount {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    pub method: PayoutMethod,
    #[serde(default)]
    pub account: Option<Account>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentDirection {
    Payout,
    Refund,
    Inbound,
}

names!(PaymentDirection {
    Payout => "payout",
    Refund => "refund",
    Inbound => "inbound",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    #[serde(default)]
    pub direction: Option<PaymentDirection>,
    pub amount: Amount,
    pub currency: Currency,
    #[serde(default)]
    pub method: Option<PayoutMethod>,
    #[serde(default)]
    pub account: Option<Account>,
    #[serde(default)]
    pub memo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentRequest {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    pub method: PayoutMethod,
    #[serde(default)]
    pub account: Option<Account>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewMode {
    Video,
    Voice,
    Text,
    InPerson,
}

names!(InterviewMode {
    Video => "video",
    Voice => "voice",
    Text => "text",
    InPerson => "in_person",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewOutcome {
    Completed,
    Declined,
    NoShow,
    Rescheduled,
}

names!(InterviewOutcome {
    Completed => "completed",
    Declined => "declined",
    NoShow => "no_show",
    Rescheduled => "rescheduled",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Camera {
    On,
    Off,
    Refused,
}

names!(Camera {
    On => "on",
    Off => "off",
    Refused => "refused",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Liveness {
    Passed,
    Failed,
    Refused,
    NotDone,
}

names!(Liveness {
    Passed => "passed",
    Failed => "failed",
    Refused => "refused",
    NotDone => "not_done",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    pub mode: InterviewMode,
    pub outcome: InterviewOutcome,
    #[serde(default)]
    pub camera: Option<Camera>,
    #[serde(default)]
    pub liveness_challenge: Option<Liveness>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub deepfake_indicators: Vec<String>,
    #[serde(default)]
    pub identity_matches_profile: Option<bool>,
    #[serde(default)]
    pub language: Option<LanguageTag>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    Passport,
    NationalId,
    DriversLicense,
    WorkPermit,
    Degree,
    TaxForm,
    ProofOfAddress,
    Other,
}

names!(DocType {
    Passport => "passport",
    NationalId => "national_id",
    DriversLicense => "drivers_license",
    WorkPermit => "work_permit",
    Degree => "degree",
    TaxForm => "tax_form",
    ProofOfAddress => "proof_of_address",
    Other => "other",
});

impl DocType {
    pub fn label(self) -> &'static str {
        match self {
            DocType::Passport => "passport",
            DocType::NationalId => "national ID",
            DocType::DriversLicense => "driver's licence",
            DocType::WorkPermit => "work permit",
            DocType::Degree => "degree certificate",
            DocType::TaxForm => "tax form",
            DocType::ProofOfAddress => "proof of address",
            DocType::Other => "document",
        }
    }
    /// Documents that establish who someone is, as opposed to what they have done.
    pub fn is_identity(self) -> bool {
        matches!(
            self,
            DocType::Passport | DocType::NationalId | DocType::DriversLicense | DocType::WorkPermit
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    Pending,
    Provided,
    Verified,
    Rejected,
    Refused,
}

names!(DocStatus {
    Pending => "pending",
    Provided => "provided",
    Verified => "verified",
    Rejected => "rejected",
    Refused => "refused",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    pub doc_type: DocType,
    #[serde(deserialize_with = "text")]
    pub requested_at: Timestamp,
    #[serde(default, deserialize_with = "optional_text")]
    pub provided_at: Option<Timestamp>,
    #[serde(default)]
    pub status: Option<DocStatus>,
    #[serde(default)]
    pub issuing_country: Option<CountryCode>,
    #[serde(default)]
    pub name_on_document: Option<String>,
    #[serde(default)]
    pub date_of_birth: Option<PartialDate>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub issues: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckTarget {
    Education,
    Employment,
    Reference,
    Identity,
}

names!(CheckTarget {
    Education => "education",
    Employment => "employment",
    Reference => "reference",
    Identity => "identity",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    Confirmed,
    NotFound,
    Mismatch,
    Unreachable,
    Refused,
}

names!(CheckOutcome {
    Confirmed => "confirmed",
    NotFound => "not_found",
    Mismatch => "mismatch",
    Unreachable => "unreachable",
    Refused => "refused",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialCheck {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    pub target: CheckTarget,
    #[serde(default)]
    pub institution: Option<String>,
    pub outcome: CheckOutcome,
    #[serde(default)]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractEvent {
    Offered,
    Signed,
    PaymentSecurity,
    WorkStarted,
    Terminated,
}

names!(ContractEvent {
    Offered => "offered",
    Signed => "signed",
    PaymentSecurity => "payment_security",
    WorkStarted => "work_started",
    Terminated => "terminated",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    pub event: ContractEvent,
    #[serde(default)]
    pub project: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bid {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    pub amount: Amount,
    pub currency: Currency,
    #[serde(default)]
    pub per: Option<RatePeriod>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub competing: Vec<Amount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    #[serde(default)]
    pub device_id: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub timezone: Option<TimeZoneName>,
    #[serde(default)]
    pub locale: Option<LanguageTag>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub keyboard_layouts: Vec<String>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub remote_access_tools: Vec<String>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub vpn_clients: Vec<String>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub usb_devices: Vec<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub public_ip: Option<IpAddr>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shipment {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    #[serde(default)]
    pub item: Option<String>,
    #[serde(default)]
    pub recipient: Option<String>,
    pub address: Address,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Phone,
    Sms,
    Platform,
    Slack,
    Telegram,
    Whatsapp,
    Signal,
    Other,
}

names!(Channel {
    Email => "email",
    Phone => "phone",
    Sms => "sms",
    Platform => "platform",
    Slack => "slack",
    Telegram => "telegram",
    Whatsapp => "whatsapp",
    Signal => "signal",
    Other => "other",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageDirection {
    Inbound,
    Outbound,
}

names!(MessageDirection {
    Inbound => "inbound",
    Outbound => "outbound",
});

/// Contact metadata, never content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    pub channel: Channel,
    #[serde(default)]
    pub direction: Option<MessageDirection>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub language: Option<LanguageTag>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityType {
    Commit,
    Chat,
    Ticket,
    Review,
    Other,
}

names!(ActivityType {
    Commit => "commit",
    Chat => "chat",
    Ticket => "ticket",
    Review => "review",
    Other => "other",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(deserialize_with = "text")]
    pub at: Timestamp,
    #[serde(rename = "type")]
    pub activity_type: ActivityType,
    #[serde(default)]
    pub repository: Option<String>,
}

/// redflag's own kind, beyond the spec: the subject is also known by this identifier in
/// another system (an HR id, a platform user id, the login of an identity provider, a
/// payee's IBAN), so records that name the identifier instead of the subject are the
/// subject's. `redflag scan --identities FILE` turns a `subject,kind,value` CSV into these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    #[serde(default)]
    pub id: Option<String>,
    pub subject: SubjectId,
    #[serde(rename = "type")]
    pub identity_type: IdentityType,
    pub value: String,
    /// When the mapping was recorded, where known.
    #[serde(default, deserialize_with = "optional_text")]
    pub at: Option<Timestamp>,
    /// Where it came from (`hr-system`, `ids.csv:3`).
    #[serde(default)]
    pub source: Option<String>,
}

/// What kind of identifier an [`Identity`] maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityType {
    /// An e-mail address (compared without case).
    Email,
    /// A sign-in name at an identity provider (Okta login, Entra UPN; without case).
    Login,
    /// An id another system gives the person (an Okta or Entra user id, an HR number,
    /// the payer's party id in a payment message).
    UserId,
    /// A payout account's id or number (not an IBAN).
    Account,
    /// An IBAN (spaces ignored, without case).
    Iban,
    /// The name an account is held in, as a payment names it.
    Holder,
    /// A phone number.
    Phone,
}

names!(IdentityType {
    Email => "email",
    Login => "login",
    UserId => "user_id",
    Account => "account",
    Iban => "iban",
    Holder => "holder",
    Phone => "phone",
});

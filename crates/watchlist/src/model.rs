//! The normalised entity model every list parser produces.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Which published list an entity comes from.
///
/// Displayed (and serialised) as `OFAC-SDN`, `UN`, `CA-SEMA` or `OS-<dataset>`, the
/// names an assessment records beside each sanctions hit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListId {
    /// US Treasury OFAC Specially Designated Nationals list.
    OfacSdn,
    /// UN Security Council Consolidated List.
    Un,
    /// Canada's Consolidated Autonomous Sanctions List (Special Economic Measures Act).
    Canada,
    /// An OpenSanctions dataset in FollowTheMoney form, named by its dataset.
    OpenSanctions(String),
}

impl fmt::Display for ListId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListId::OfacSdn => f.write_str("OFAC-SDN"),
            ListId::Un => f.write_str("UN"),
            ListId::Canada => f.write_str("CA-SEMA"),
            ListId::OpenSanctions(dataset) => write!(f, "OS-{dataset}"),
        }
    }
}

impl FromStr for ListId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "OFAC-SDN" => Ok(ListId::OfacSdn),
            "UN" => Ok(ListId::Un),
            "CA-SEMA" => Ok(ListId::Canada),
            _ => match s.strip_prefix("OS-") {
                Some(dataset) if !dataset.is_empty() => {
                    Ok(ListId::OpenSanctions(dataset.to_string()))
                }
                _ => Err(format!(
                    "unknown list {s:?} (expected OFAC-SDN, UN, CA-SEMA or OS-<dataset>)"
                )),
            },
        }
    }
}

impl ListId {
    /// A file-name-safe form of the list name, used for the store's version files.
    pub(crate) fn file_stem(&self) -> String {
        self.to_string()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }
}

// Serialised as its display name so the manifest and version files read like the
// assessments that cite them.
impl Serialize for ListId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ListId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What kind of party a list entry designates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A natural person.
    Person,
    /// A company, group, government body or other organisation.
    Organization,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
    /// A crypto wallet listed in its own right (OpenSanctions `CryptoWallet`).
    Wallet,
    /// The list does not say.
    Unknown,
}

/// How much weight the publisher gives an alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasQuality {
    /// OFAC "strong" a.k.a., UN "Good" quality: enough on its own to identify.
    Strong,
    /// OFAC "weak" a.k.a. (remarks), UN "Low" quality: a hit on it needs more evidence.
    Weak,
    /// The list gives no quality.
    Unknown,
}

/// The relation of an alias to the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasType {
    /// Also known as.
    Aka,
    /// Formerly known as.
    Fka,
    /// Now known as.
    Nka,
    /// The name in its original (non-Latin) script.
    OriginalScript,
}

/// One further name of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    /// The name as the list writes it (whitespace collapsed).
    pub name: String,
    /// The weight the publisher gives it.
    pub quality: AliasQuality,
    /// Its relation to the entity.
    pub alias_type: AliasType,
}

/// A crypto wallet address attached to an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletRef {
    /// The key space the address lives in, as [`crate::normalise_wallet`] names it
    /// (`evm`, `bitcoin`, `tron`, `litecoin`, …). Two wallets are the same when `chain`
    /// and `address` are equal.
    pub chain: String,
    /// The normalised address ([`crate::WalletKey::key`]).
    pub address: String,
    /// The address exactly as the list gives it.
    pub raw: String,
    /// The currency or chain the list names for it (`XBT`, `ETH`, `USDT`…), if any.
    pub currency: Option<String>,
    /// Whether the address passed its chain's checks (`None` where the chain has none
    /// that this crate knows). A list entry that fails is kept: it is what was published.
    pub valid: Option<bool>,
}

/// An identity document or registration number a list gives for an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifier {
    /// What it is, as the list names it (`Passport`, `National ID No.`, `SWIFT/BIC`…).
    pub kind: String,
    /// The number as given.
    pub number: String,
    /// The issuing country, as the list gives it, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// One designated party, with every name and identifier the list gives for it.
///
/// Person names are kept as the list writes them. OFAC writes `SURNAME, Given`; where a
/// list gives surname and given names in separate fields (Canada) they are joined the
/// same way; the UN's FIRST_NAME…FOURTH_NAME are joined with spaces in their order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// The list the entity comes from.
    pub list: ListId,
    /// Stable id within the list: `OFAC-<ent_num>`, `UN-<DATAID>`,
    /// `CA-<regime>-<schedule>-<item>`, or the FollowTheMoney id as is.
    pub id: String,
    /// What kind of party it is.
    pub kind: EntityKind,
    /// The list's main name for it.
    pub primary_name: String,
    /// Every other name the list gives, including weak ones and original scripts.
    pub aliases: Vec<Alias>,
    /// Dates of birth: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; a range as `from/to` and an
    /// approximate date with a trailing `~` (ISO 8601 / EDTF notation); text the parser
    /// could not read is kept as given.
    pub dates_of_birth: Vec<String>,
    /// Nationalities and citizenships: ISO 3166-1 alpha-2 where recognisable, else as given.
    pub nationalities: Vec<String>,
    /// Other countries tied to the entity (addresses, place of birth, flag, sanctions
    /// regime): ISO alpha-2 where recognisable, else as given.
    pub countries: Vec<String>,
    /// Sanctions programmes (`DPRK3`, `CYBER2`, `DPRK`, …) as the list names them.
    pub programs: Vec<String>,
    /// Crypto wallets.
    pub wallets: Vec<WalletRef>,
    /// E-mail addresses.
    pub emails: Vec<String>,
    /// Phone numbers as given.
    pub phones: Vec<String>,
    /// Websites as given.
    pub websites: Vec<String>,
    /// The list's free-text remarks, if any.
    pub remarks: Option<String>,
    /// Passports, national ids, registration numbers, SWIFT codes… (older stored list
    /// versions have none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// How the publisher refers to the listing (`KPi.066`, `Schedule 1, item 23`), where
    /// it does beyond the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl Entity {
    /// An entity with only its identity set; parsers fill in the rest.
    pub(crate) fn new(list: ListId, id: String, kind: EntityKind, primary_name: String) -> Self {
        Entity {
            list,
            id,
            kind,
            primary_name,
            aliases: Vec::new(),
            dates_of_birth: Vec::new(),
            nationalities: Vec::new(),
            countries: Vec::new(),
            programs: Vec::new(),
            wallets: Vec::new(),
            emails: Vec::new(),
            phones: Vec::new(),
            websites: Vec::new(),
            remarks: None,
            identifiers: Vec::new(),
            reference: None,
        }
    }

    /// A digest of everything the list says about the entity. An analyst's decision on a
    /// hit holds while this is unchanged: a new list version that changes the entry (a
    /// new alias, date of birth or wallet) reopens it, one that leaves it alone does not.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        // Serialising a struct of strings and vectors cannot fail; an empty digest input
        // would still be a stable fingerprint.
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&bytes)[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The primary name followed by every alias: what a name index must hold.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.primary_name.as_str())
            .chain(self.aliases.iter().map(|a| a.name.as_str()))
    }

    /// Adds an alias unless it is empty or repeats a name already held.
    pub(crate) fn add_alias(&mut self, name: &str, quality: AliasQuality, alias_type: AliasType) {
        let name = clean(name);
        if name.is_empty() || self.names().any(|n| n == name) {
            return;
        }
        self.aliases.push(Alias {
            name,
            quality,
            alias_type,
        });
    }

    /// Adds a wallet unless the same key is already held under the same currency. One
    /// EVM address listed under ETH, ARB and BSC stays three entries: one key, but the
    /// list's own words for each.
    pub(crate) fn add_wallet(&mut self, wallet: WalletRef) {
        if !self.wallets.iter().any(|w| {
            w.chain == wallet.chain && w.address == wallet.address && w.currency == wallet.currency
        }) {
            self.wallets.push(wallet);
        }
    }
}

/// Pushes a cleaned value unless it is empty or already present: lists repeat facts
/// (an address country per address, a nationality per passport).
pub(crate) fn push_unique(values: &mut Vec<String>, value: &str) {
    let value = clean(value);
    if !value.is_empty() && !values.contains(&value) {
        values.push(value);
    }
}

/// Trims and collapses runs of whitespace (lists wrap long values over lines and pad
/// with non-breaking spaces).
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// One imported version of a list: what an assessment records to say which lists it used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListVersion {
    /// Which list.
    pub list: ListId,
    /// The publication date the file states (`YYYY-MM-DD` or the publisher's timestamp),
    /// if it states one.
    pub published: Option<String>,
    /// File name(s) or URL(s) it was read from.
    pub source: String,
    /// Hex SHA-256 of the source bytes (for the OFAC CSV set, of its files in the order
    /// sdn, alt, add, comments).
    pub sha256: String,
    /// How many entities it holds.
    pub entity_count: usize,
    /// When it was imported (RFC 3339, UTC).
    pub loaded_at: String,
}

/// What a parser noticed while reading a list, beside the entities themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseReport {
    /// Entities produced.
    pub entities: usize,
    /// Examples of rows that refer to an entity the main file does not hold (the OFAC
    /// files are published separately and mirrors mix dates), e.g.
    /// `alt.csv line 1234: alias 'X' of entity 9999 not in sdn.csv`.
    pub orphans: Vec<String>,
    /// How many such rows there were in all.
    pub orphan_count: usize,
    /// Examples of records skipped or read only in part, each naming file, line and field.
    pub warnings: Vec<String>,
    /// How many warnings there were in all.
    pub warning_count: usize,
}

/// Examples kept per kind of problem: enough to diagnose, bounded for a broken file.
const EXAMPLES: usize = 50;

impl ParseReport {
    pub(crate) fn orphan(&mut self, message: String) {
        self.orphan_count += 1;
        if self.orphans.len() < EXAMPLES {
            self.orphans.push(message);
        }
    }

    pub(crate) fn warn(&mut self, message: String) {
        self.warning_count += 1;
        if self.warnings.len() < EXAMPLES {
            self.warnings.push(message);
        }
    }
}

/// The result of parsing one list file (or the OFAC CSV set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedList {
    /// Which list the file holds.
    pub list: ListId,
    /// The publication date the file states, if any.
    pub published: Option<String>,
    /// The entities, in file order.
    pub entities: Vec<Entity>,
    /// Orphans and warnings.
    pub report: ParseReport,
}

impl ParsedList {
    pub(crate) fn new(
        list: ListId,
        published: Option<String>,
        entities: Vec<Entity>,
        mut report: ParseReport,
    ) -> Self {
        report.entities = entities.len();
        ParsedList {
            list,
            published,
            entities,
            report,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_ids_round_trip_through_their_display_names() {
        for id in [
            ListId::OfacSdn,
            ListId::Un,
            ListId::Canada,
            ListId::OpenSanctions("kp_rusi_reports".into()),
        ] {
            assert_eq!(id.to_string().parse::<ListId>(), Ok(id));
        }
        assert_eq!(ListId::OpenSanctions("x y".into()).file_stem(), "OS-x_y");
        assert!("OS-".parse::<ListId>().is_err());
        assert!("EU".parse::<ListId>().is_err());
    }

    #[test]
    fn aliases_repeating_a_held_name_are_dropped() {
        let mut e = Entity::new(ListId::Un, "UN-1".into(), EntityKind::Person, "A B".into());
        e.add_alias(" A  B ", AliasQuality::Strong, AliasType::Aka);
        e.add_alias("C", AliasQuality::Weak, AliasType::Aka);
        e.add_alias("C", AliasQuality::Strong, AliasType::Fka);
        e.add_alias("  ", AliasQuality::Strong, AliasType::Fka);
        assert_eq!(e.names().collect::<Vec<_>>(), ["A B", "C"]);
    }

    #[test]
    fn reports_keep_bounded_examples_but_count_everything() {
        let mut r = ParseReport::default();
        for i in 0..(EXAMPLES + 10) {
            r.warn(format!("w{i}"));
            r.orphan(format!("o{i}"));
        }
        assert_eq!(r.warnings.len(), EXAMPLES);
        assert_eq!(r.warning_count, EXAMPLES + 10);
        assert_eq!(r.orphans.len(), EXAMPLES);
        assert_eq!(r.orphan_count, EXAMPLES + 10);
    }
}

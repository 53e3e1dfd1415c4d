//! Screening: names, wallets, e-mails, phone numbers and websites against every loaded
//! list at once. Names go through the `redflag-names` index (transliteration-aware,
//! order-independent, with common names discounted), then supporting evidence (date of
//! birth, nationality, entity type) raises or lowers each candidate. Wallets and contact
//! details match exactly after normalisation.

use std::collections::HashMap;

use redflag_names::{
    NameIndex, NameKind, PartialDate, SupportingEvidence, adjust, has_legal_form,
    may_have_legal_form,
};

use crate::{Entity, EntityKind, ListVersion, LoadedLists, normalise_wallet};

/// Score at or above which a name candidate is reported, unless the caller says otherwise.
pub const DEFAULT_THRESHOLD: f64 = redflag_names::DEFAULT_THRESHOLD;

/// A common name meeting at most this many listed parties keeps them as review hits.
const MAX_COMMON_CANDIDATES: usize = 3;

/// What a query says about who is being screened.
#[derive(Debug, Clone, Default)]
pub struct NameQuery<'a> {
    /// The name as written, in any script.
    pub name: &'a str,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date_of_birth: Option<&'a str>,
    /// ISO 3166-1 alpha-2 codes of nationalities or countries tied to the person.
    pub countries: Vec<String>,
    /// Person, organisation, or unknown.
    pub kind: NameKind,
}

/// How a hit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HitBasis {
    /// A name or alias, by similarity.
    Name,
    /// A crypto wallet, exactly.
    Wallet,
    /// An e-mail address, exactly.
    Email,
    /// A phone number, by its digits.
    Phone,
    /// A website, without scheme and `www.`.
    Website,
}

/// One candidate on a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'a> {
    /// The listed party.
    pub entity: &'a Entity,
    /// The list's name or alias that matched (or the wallet, e-mail… for exact matches).
    pub matched: String,
    /// 0..1, after supporting evidence; 1 for exact matches.
    pub score: f64,
    /// What matched and what raised or lowered the score.
    pub why: String,
    /// How it was found.
    pub basis: HitBasis,
    /// Whether something besides the name agrees: the date of birth for a person, a
    /// country for an organisation; always true for exact wallet, e-mail or phone
    /// matches. A name alone, however close, is a candidate to review, not a finding.
    pub corroborated: bool,
}

/// What screening one name found.
#[derive(Debug, Clone, PartialEq)]
pub struct NameScreening<'a> {
    /// Candidates at or above the threshold, best first.
    pub hits: Vec<Hit<'a>>,
    /// Candidates that reach the threshold on the name (and any country) but whose dates
    /// of birth differ from the one given: namesakes the date rules out, best first.
    pub ruled_out: Vec<Hit<'a>>,
}

/// Every loaded list, indexed for screening. Build once, query many times; `Send + Sync`.
pub struct Screener {
    entities: Vec<Entity>,
    versions: Vec<ListVersion>,
    names: NameIndex<usize>,
    exact: HashMap<(HitBasis, String), Vec<usize>>,
    /// Listed wallets by their address alone, whatever the chain.
    wallet_keys: HashMap<String, Vec<usize>>,
}

fn name_kind(kind: EntityKind) -> NameKind {
    match kind {
        EntityKind::Person => NameKind::Person,
        EntityKind::Organization | EntityKind::Vessel | EntityKind::Aircraft => {
            NameKind::Organization
        }
        _ => NameKind::Unknown,
    }
}

fn exact_key(basis: HitBasis, value: &str) -> String {
    match basis {
        HitBasis::Phone => value.chars().filter(char::is_ascii_digit).collect(),
        HitBasis::Website => value
            .trim()
            .to_lowercase()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_end_matches('/')
            .to_owned(),
        _ => value.trim().to_lowercase(),
    }
}

impl Screener {
    /// Indexes every name, wallet, e-mail, phone number and website of the lists.
    pub fn new(lists: LoadedLists) -> Screener {
        let mut builder = NameIndex::builder();
        let mut exact: HashMap<(HitBasis, String), Vec<usize>> = HashMap::new();
        let mut wallet_keys: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in lists.entities.iter().enumerate() {
            for w in &e.wallets {
                let slot = wallet_keys.entry(w.address.clone()).or_default();
                if !slot.contains(&i) {
                    slot.push(i);
                }
            }
            let kind = name_kind(e.kind);
            for name in e.names() {
                builder.add(name, kind, i);
            }
            let mut add = |basis: HitBasis, key: String| {
                if !key.is_empty() {
                    let slot = exact.entry((basis, key)).or_default();
                    if !slot.contains(&i) {
                        slot.push(i);
                    }
                }
            };
            for w in &e.wallets {
                add(HitBasis::Wallet, format!("{}:{}", w.chain, w.address));
            }
            for m in &e.emails {
                add(HitBasis::Email, exact_key(HitBasis::Email, m));
            }
            // Short numbers are extensions and switchboards, not identities.
            for p in e
                .phones
                .iter()
                .map(|p| exact_key(HitBasis::Phone, p))
                .filter(|p| p.len() >= 7)
            {
                add(HitBasis::Phone, p);
            }
            for w in &e.websites {
                add(HitBasis::Website, exact_key(HitBasis::Website, w));
            }
        }
        Screener {
            entities: lists.entities,
            versions: lists.versions,
            names: builder.build(),
            exact,
            wallet_keys,
        }
    }

    /// The list versions screened against, to record beside each assessment.
    pub fn versions(&self) -> &[ListVersion] {
        &self.versions
    }

    /// The listed party with this id (`OFAC-24918`), on any loaded list.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    /// How many listed parties.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// How many names and aliases are indexed.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// Approximate heap size of the name index.
    pub fn memory_bytes(&self) -> usize {
        self.names.memory_bytes()
    }

    /// Candidates for a name at or above `threshold`, best first, one per entity.
    pub fn screen_name(&self, query: &NameQuery<'_>, threshold: f64) -> Vec<Hit<'_>> {
        self.screen_name_full(query, threshold).hits
    }

    /// Candidates for a name at or above `threshold`, best first, one per entity, and the
    /// candidates the date of birth ruled out (they reach the threshold on everything but
    /// it). Scores are rounded to three decimals before they are compared, so the score a
    /// person reads is the one that was compared.
    pub fn screen_name_full(&self, query: &NameQuery<'_>, threshold: f64) -> NameScreening<'_> {
        // Look a little below the threshold: supporting evidence can lift a candidate.
        let floor = (threshold - 0.2).max(0.5);
        let mut best: Vec<Hit<'_>> = Vec::new();
        let mut ruled_out: Vec<Hit<'_>> = Vec::new();
        // Candidates that reach the threshold before commonness lowers them.
        let mut common: Vec<Hit<'_>> = Vec::new();
        let round3 = |x: f64| (x * 1000.0).round() / 1000.0;
        // A name carrying a legal form (LLC, S.A., 주식회사…) is an organisation's; one
        // ending in a two-letter form ("GIF SA", but also "Li Ao") is screened both ways.
        let (kind, also_organisation) = match query.kind {
            NameKind::Unknown if has_legal_form(query.name) => (NameKind::Organization, false),
            NameKind::Unknown => (NameKind::Unknown, may_have_legal_form(query.name)),
            kind => (kind, false),
        };
        let query = &NameQuery {
            kind,
            ..query.clone()
        };
        let mut matches = self.names.search(query.name, query.kind, 30, floor);
        if also_organisation {
            matches.extend(
                self.names
                    .search(query.name, NameKind::Organization, 30, floor),
            );
        }
        for m in matches {
            let entity = &self.entities[*m.payload];
            let evidence = SupportingEvidence {
                query_dob: query.date_of_birth.and_then(PartialDate::parse),
                candidate_dobs: entity
                    .dates_of_birth
                    .iter()
                    .flat_map(|d| d.split('/'))
                    .filter_map(|d| PartialDate::parse(d.trim_end_matches('~')))
                    .collect(),
                query_countries: query.countries.clone(),
                candidate_countries: entity
                    .nationalities
                    .iter()
                    .chain(&entity.countries)
                    .cloned()
                    .collect(),
                query_kind: query.kind,
                candidate_kind: name_kind(entity.kind),
            };
            let dob_agrees = evidence.query_dob.is_some_and(|q| {
                evidence.candidate_dobs.iter().any(|c| {
                    c.year == q.year
                        && (q.month.is_none() || c.month.is_none() || q.month == c.month)
                        && (q.day.is_none() || c.day.is_none() || q.day == c.day)
                })
            });
            let country_agrees = evidence
                .query_countries
                .iter()
                .any(|c| evidence.candidate_countries.contains(c));
            let corroborated = match (query.kind, evidence.candidate_kind) {
                (NameKind::Person, _) | (_, NameKind::Person) => dob_agrees,
                (_, NameKind::Organization) => country_agrees,
                _ => dob_agrees || country_agrees,
            };
            let (score, reasons) = adjust(m.score, &evidence);
            let score = round3(score);
            let mut why = m.explanation.clone();
            for r in reasons {
                why.push_str("; ");
                why.push_str(&r);
            }
            let hit = Hit {
                entity,
                matched: m.name.to_owned(),
                score,
                why,
                basis: HitBasis::Name,
                corroborated,
            };
            let raw = round3(adjust(m.raw_score, &evidence).0);
            if score < threshold && raw >= threshold {
                let mut hit = hit.clone();
                hit.score = raw;
                if !common.iter().any(|h| std::ptr::eq(h.entity, entity)) {
                    common.push(hit);
                }
            }
            let slot = if score >= threshold {
                &mut best
            } else {
                let without_dob = SupportingEvidence {
                    query_dob: None,
                    ..evidence
                };
                if round3(adjust(m.score, &without_dob).0) < threshold {
                    continue;
                }
                &mut ruled_out
            };
            match slot.iter_mut().find(|h| std::ptr::eq(h.entity, entity)) {
                Some(existing) if existing.score >= score => {}
                Some(existing) => *existing = hit,
                None => slot.push(hit),
            }
        }
        let order = |a: &Hit<'_>, b: &Hit<'_>| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.entity.id.cmp(&b.entity.id))
        };
        // Commonness decides between a review and nothing when a common name meets many
        // listed people; it never hides the few it meets (one person is often listed by
        // two publishers), which an analyst can check one by one.
        if best.is_empty() && common.len() <= MAX_COMMON_CANDIDATES {
            for mut hit in common {
                hit.why = hit.why.replace(
                    "common name: score lowered",
                    "common name, but one of few listed candidates: score not lowered",
                );
                best.push(hit);
            }
        }
        best.sort_by(order);
        ruled_out.retain(|r| !best.iter().any(|h| std::ptr::eq(h.entity, r.entity)));
        ruled_out.sort_by(order);
        NameScreening {
            hits: best,
            ruled_out,
        }
    }

    /// Entities listing this wallet (exact match after the chain's normalisation).
    ///
    /// An address whose format does not prove its chain (a Monero or XRP address, a
    /// transaction id, anything under an unknown chain name) is also looked up by the
    /// address alone, so a record that names no chain, or another name for it, still
    /// finds the listed wallet.
    pub fn screen_wallet(&self, chain: Option<&str>, address: &str) -> Vec<Hit<'_>> {
        let key = normalise_wallet(chain, address);
        let checksum = match key.checksum {
            Some(false) => "; the address's EIP-55 checksum does not hold",
            _ => "",
        };
        let hits = self.exact_hits(
            HitBasis::Wallet,
            &format!("{}:{}", key.chain, key.key),
            address,
            &format!("the {} wallet {address} is listed{checksum}", key.chain),
        );
        if !hits.is_empty() || key.valid == Some(true) {
            return hits;
        }
        self.wallet_keys
            .get(&key.key)
            .map(|ids| {
                ids.iter()
                    .map(|&i| {
                        let entity = &self.entities[i];
                        let listed = entity
                            .wallets
                            .iter()
                            .find(|w| w.address == key.key)
                            .map_or("", |w| w.chain.as_str());
                        Hit {
                            entity,
                            matched: address.to_owned(),
                            score: 1.0,
                            why: format!("the wallet {address} is listed (as a {listed} address)"),
                            basis: HitBasis::Wallet,
                            corroborated: true,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Entities listing this e-mail address.
    pub fn screen_email(&self, email: &str) -> Vec<Hit<'_>> {
        self.exact_hits(
            HitBasis::Email,
            &exact_key(HitBasis::Email, email),
            email,
            &format!("the e-mail address {email} is listed"),
        )
    }

    /// Entities listing this phone number (compared by digits).
    pub fn screen_phone(&self, phone: &str) -> Vec<Hit<'_>> {
        let key = exact_key(HitBasis::Phone, phone);
        if key.len() < 7 {
            return Vec::new();
        }
        self.exact_hits(
            HitBasis::Phone,
            &key,
            phone,
            &format!("the phone number {phone} is listed"),
        )
    }

    /// Entities listing this website.
    pub fn screen_website(&self, site: &str) -> Vec<Hit<'_>> {
        self.exact_hits(
            HitBasis::Website,
            &exact_key(HitBasis::Website, site),
            site,
            &format!("the website {site} is listed"),
        )
    }

    fn exact_hits(&self, basis: HitBasis, key: &str, shown: &str, why: &str) -> Vec<Hit<'_>> {
        self.exact
            .get(&(basis, key.to_owned()))
            .map(|ids| {
                ids.iter()
                    .map(|&i| Hit {
                        entity: &self.entities[i],
                        matched: shown.to_owned(),
                        score: 1.0,
                        why: why.to_owned(),
                        basis,
                        corroborated: true,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Alias, AliasQuality, AliasType, ListId, WalletRef};

    fn entity(
        id: &str,
        kind: EntityKind,
        name: &str,
        aliases: &[&str],
        dob: &[&str],
        nat: &[&str],
    ) -> Entity {
        Entity {
            list: ListId::OfacSdn,
            id: id.to_owned(),
            kind,
            primary_name: name.to_owned(),
            aliases: aliases
                .iter()
                .map(|a| Alias {
                    name: (*a).to_owned(),
                    quality: AliasQuality::Strong,
                    alias_type: AliasType::Aka,
                })
                .collect(),
            dates_of_birth: dob.iter().map(|d| (*d).to_owned()).collect(),
            nationalities: nat.iter().map(|n| (*n).to_owned()).collect(),
            countries: vec![],
            programs: vec!["DPRK3".into()],
            wallets: vec![],
            emails: vec![],
            phones: vec![],
            websites: vec![],
            remarks: None,
            identifiers: vec![],
            reference: None,
        }
    }

    fn screener() -> Screener {
        let mut lazarus = entity(
            "OFAC-27307",
            EntityKind::Organization,
            "LAZARUS GROUP",
            &["APPLEWORM", "HIDDEN COBRA"],
            &[],
            &["KP"],
        );
        lazarus.wallets.push(WalletRef {
            chain: "evm".into(),
            address: "0x098b716b8aaf21512996dc57eb0615e2383e2f96".into(),
            raw: "0x098B716B8Aaf21512996dC57EB0615e2383E2f96".into(),
            currency: Some("ETH".into()),
            valid: Some(true),
        });
        lazarus.emails.push("contact@example.kp".into());
        let entities = vec![
            entity(
                "OFAC-24918",
                EntityKind::Person,
                "PARK, Jin Hyok",
                &["PAK, Jin Hyok", "PAK, Jin-Hek"],
                &["1984-08-15"],
                &["KP"],
            ),
            entity(
                "OFAC-1",
                EntityKind::Person,
                "KIM, Jong Hun",
                &[],
                &["1961"],
                &["KP"],
            ),
            lazarus,
            entity(
                "OFAC-2",
                EntityKind::Organization,
                "KOREA SOBAEKSU TRADING COMPANY",
                &[],
                &[],
                &["KP"],
            ),
        ];
        Screener::new(LoadedLists {
            entities,
            versions: vec![],
        })
    }

    #[test]
    fn a_romanisation_variant_of_a_listed_hacker_is_found() {
        let s = screener();
        let hits = s.screen_name(
            &NameQuery {
                name: "Park Jin-hyok",
                kind: NameKind::Person,
                ..Default::default()
            },
            DEFAULT_THRESHOLD,
        );
        assert_eq!(hits[0].entity.id, "OFAC-24918");
        assert!(!hits[0].corroborated, "a name alone is not corroborated");
        let q = NameQuery {
            name: "Park Jin-hyok",
            date_of_birth: Some("1984-08-15"),
            kind: NameKind::Person,
            ..Default::default()
        };
        assert!(s.screen_name(&q, DEFAULT_THRESHOLD)[0].corroborated);
        let hits = s.screen_name(
            &NameQuery {
                name: "박진혁",
                ..Default::default()
            },
            DEFAULT_THRESHOLD,
        );
        assert_eq!(
            hits.first().map(|h| h.entity.id.as_str()),
            Some("OFAC-24918")
        );
    }

    #[test]
    fn a_seoul_developer_with_a_common_name_is_not_a_hit() {
        let s = screener();
        let q = NameQuery {
            name: "Kim Jong-hoon",
            date_of_birth: Some("1994-05-12"),
            countries: vec!["KR".into()],
            kind: NameKind::Person,
        };
        assert!(s.screen_name(&q, DEFAULT_THRESHOLD).is_empty());
    }

    #[test]
    fn a_namesake_born_in_another_year_is_ruled_out_by_the_date_of_birth() {
        let s = screener();
        let q = NameQuery {
            name: "Pak Jin Hyok",
            date_of_birth: Some("1991-02-03"),
            kind: NameKind::Person,
            ..Default::default()
        };
        let found = s.screen_name_full(&q, DEFAULT_THRESHOLD);
        assert!(found.hits.is_empty(), "{:?}", found.hits);
        assert_eq!(found.ruled_out[0].entity.id, "OFAC-24918");
        assert!(found.ruled_out[0].why.contains("date of birth differs"));
        // Scores are what was compared: three decimals, at or above the threshold.
        let q = NameQuery {
            name: "Pak Jin Hyok",
            ..Default::default()
        };
        for h in s.screen_name(&q, DEFAULT_THRESHOLD) {
            assert_eq!(h.score, (h.score * 1000.0).round() / 1000.0);
            assert!(h.score >= DEFAULT_THRESHOLD);
        }
    }

    fn names_of_every_kind() -> Screener {
        let mut org = entity(
            "OFAC-11877",
            EntityKind::Organization,
            "CIA. COMERCIALIZADORA DE MOTOCICLETAS Y REPUESTOS S.A.",
            &["WISMOTOS S.A."],
            &[],
            &["CO"],
        );
        org.programs = vec!["SDNT".into()];
        Screener::new(LoadedLists {
            entities: vec![
                entity(
                    "OFAC-20157",
                    EntityKind::Person,
                    "KIM, Jong Un",
                    &[],
                    &["1984-01-08"],
                    &["KP"],
                ),
                entity(
                    "OFAC-24918",
                    EntityKind::Person,
                    "PARK, Jin Hyok",
                    &["PAK, Jin Hyok"],
                    &["1984-08-15"],
                    &["KP"],
                ),
                entity(
                    "OFAC-22989",
                    EntityKind::Person,
                    "KANG, Min",
                    &[],
                    &[],
                    &["KP"],
                ),
                entity(
                    "OFAC-35096",
                    EntityKind::Person,
                    "PUTIN, Vladimir Vladimirovich",
                    &["PUTIN, Vladimir"],
                    &["1952-10-07"],
                    &["RU"],
                ),
                org,
            ],
            versions: vec![],
        })
    }

    #[test]
    fn what_people_type_finds_the_listed_party() {
        let s = names_of_every_kind();
        let top = |name: &str| {
            s.screen_name(
                &NameQuery {
                    name,
                    ..Default::default()
                },
                DEFAULT_THRESHOLD,
            )
            .first()
            .map(|h| (h.entity.id.clone(), h.score, h.corroborated))
        };
        // An exact alias with its legal form, untyped: an organisation, scored 1.
        assert_eq!(
            top("WISMOTOS S.A."),
            Some(("OFAC-11877".into(), 1.0, false))
        );
        for (query, id) in [
            ("Пак Чин Хёк", "OFAC-24918"),
            ("Ким Чен Ын", "OFAC-20157"),
            ("金正恩", "OFAC-20157"),
            ("김정은", "OFAC-20157"),
            ("Dr. Vladimir Putin", "OFAC-35096"),
            ("VladimirPutin", "OFAC-35096"),
            ("Vladimir Ptuin", "OFAC-35096"),
            ("Βλαντιμίρ Πούτιν", "OFAC-35096"),
            ("ولادیمیر پوتین", "OFAC-35096"),
        ] {
            assert_eq!(top(query).map(|t| t.0), Some(id.to_string()), "{query}");
        }
        // A common Korean name without a date of birth is a review hit, not nothing.
        let (id, score, corroborated) = top("Min Kang").expect("a review hit");
        assert_eq!((id.as_str(), corroborated), ("OFAC-22989", false));
        assert!(score >= DEFAULT_THRESHOLD);
    }

    #[test]
    fn organisations_match_without_their_legal_form() {
        let s = screener();
        let q = NameQuery {
            name: "Korea Sobaeksu Trading Co., Ltd.",
            kind: NameKind::Organization,
            ..Default::default()
        };
        assert_eq!(s.screen_name(&q, DEFAULT_THRESHOLD)[0].entity.id, "OFAC-2");
    }

    #[test]
    fn wallets_and_emails_match_exactly_whatever_the_case() {
        let s = screener();
        let hits = s.screen_wallet(
            Some("ethereum"),
            "0x098b716b8aaf21512996dc57eb0615e2383e2f96",
        );
        assert_eq!(hits[0].entity.id, "OFAC-27307");
        assert_eq!(hits[0].score, 1.0);
        assert!(
            s.screen_wallet(
                Some("ethereum"),
                "0x0000000000000000000000000000000000000001"
            )
            .is_empty()
        );
        assert_eq!(
            s.screen_email("Contact@Example.KP")[0].entity.id,
            "OFAC-27307"
        );
    }
}

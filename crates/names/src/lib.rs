//! Names for redflag: normalisation, transliteration, comparison and a fast candidate
//! index.
//!
//! Used to screen every name against sanctions lists (`NameIndex`) and to check that the
//! names a person gives agree with each other (`compare`: "Pak Eun-ji" and "Grace Eun-ji
//! Pak" are one person, "Kevin Brooks" is not). Pure algorithmic code, no I/O.
//!
//! * `normalise`: NFKC, case folding, diacritics, punctuation, legal forms → tokens.
//! * `transliterate`: Hangul (RR, McCune–Reischauer, DPRK, popular) and Cyrillic
//!   (passport, BGN, ICAO, simple) → Latin renderings. CJK Han is not transliterated.
//! * `compare`: order-independent token alignment with Jaro-Winkler at the core plus
//!   Korean romanisation equivalences (surname classes such as Park/Pak/Bak, a phonetic
//!   key for given names so Jin-Hyok = Jinhyok = Chin Hyok = Jin-Hyeok) and a consonant
//!   skeleton for transliteration variants; joined/split given names compare equal.
//! * `NameIndex`: the same scoring behind a retrieval index, with name commonness (a
//!   built-in prior of frequent names plus token frequency in the indexed corpus)
//!   lowering name-only matches on common names.
//! * `adjust`: supporting evidence (date of birth, nationality, entity type).
//!
//! This crate compares names; it never judges them. No score depends on where a name
//! comes from, only on how similar two names are and how common the matched name is.

mod bench;
mod common;
mod evidence;
mod index;
mod korean;
mod normalise;
mod score;
mod scripts;
mod similarity;
mod translit;

pub use bench::{BenchFigures, bench};
pub use evidence::{PartialDate, SupportingEvidence, adjust};
pub use index::{Match, NameIndex, NameIndexBuilder};
pub use normalise::{has_legal_form, may_have_legal_form, normalise};
pub use scripts::hanja_of;
pub use translit::transliterate;

use normalise::{Role, tokens};
use score::{Alignment, Edge, MAX_TOKENS, Side, Texts};
use similarity::{TokenKeys, token_similarity};

/// Recommended hit threshold for `NameIndex::search` scores after `adjust`: exact and
/// romanisation-equivalent matches of distinctive names score above it, common names
/// without supporting evidence and partial matches below. Callers own their thresholds.
pub const DEFAULT_THRESHOLD: f64 = 0.90;

/// What a name belongs to; it decides whether legal forms (Ltd., LLC…) are dropped and
/// whether "SURNAME, Given" commas mark a surname.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// A natural person.
    Person,
    /// A company, bank, ministry, vessel owner or any other organisation.
    Organization,
    /// Not known (legal forms are dropped only when unambiguous).
    #[default]
    Unknown,
}

/// The result of comparing two names.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Similarity in 0..=1 (1 = the same name up to spelling conventions).
    pub score: f64,
    /// What matched, e.g. "surname PAK≈PARK (romanisation), given name JIN HYOK=JINHYOK
    /// (joined)".
    pub explanation: String,
}

/// Compares two names directly, for identity-consistency checks: token order is ignored,
/// joined/split and hyphenated given names compare equal, Korean romanisations and
/// transliteration variants are equivalent, a missing middle name costs a little and a
/// missing surname (when `kind` is `Person` and a "SURNAME, Given" comma says which token
/// is the surname) costs more. Name commonness is not applied here (two records of one
/// person share a common name as much as a rare one); `NameIndex::search` applies it.
pub fn compare(a: &str, b: &str, kind: NameKind) -> Comparison {
    let mut ta = tokens(a, kind);
    let mut tb = tokens(b, kind);
    ta.truncate(MAX_TOKENS);
    tb.truncate(MAX_TOKENS);
    let units_a = units(&ta);
    let units_b = units(&tb);
    let mut edges: Vec<Edge> = Vec::new();
    for (qa, ka) in &units_a {
        for (cb, kb) in &units_b {
            // A pair against a pair is a plain two-token match, found token by token.
            if qa.1 == 2 && cb.1 == 2 {
                continue;
            }
            if let Some((sim, relation)) = token_similarity(ka.view(), kb.view())
                && score::admissible(sim, relation, qa.1, cb.1)
            {
                edges.push(Edge {
                    q_first: qa.0,
                    q_len: qa.1,
                    c_first: cb.0,
                    c_len: cb.1,
                    sim,
                    relation,
                });
            }
        }
    }
    let wa: Vec<f32> = ta.iter().map(|t| length_weight(&t.text)).collect();
    let wb: Vec<f32> = tb.iter().map(|t| length_weight(&t.text)).collect();
    let ra: Vec<Role> = ta.iter().map(|t| t.role).collect();
    let rb: Vec<Role> = tb.iter().map(|t| t.role).collect();
    let mut alignment = Alignment::default();
    score::align(
        &mut edges,
        Side {
            weights: &wa,
            roles: &ra,
        },
        Side {
            weights: &wb,
            roles: &rb,
        },
        &mut alignment,
    );
    let texts_a: Vec<&str> = ta.iter().map(|t| t.text.as_str()).collect();
    let texts_b: Vec<&str> = tb.iter().map(|t| t.text.as_str()).collect();
    let explanation = score::explain(
        &alignment,
        &Texts {
            tokens: &texts_a,
            roles: &ra,
            label: "first",
        },
        &Texts {
            tokens: &texts_b,
            roles: &rb,
            label: "second",
        },
    );
    Comparison {
        score: f64::from(alignment.score),
        explanation,
    }
}

/// Tokens (each reading of each) and joined adjacent pairs as ((first, len), keys).
fn units(toks: &[normalise::Token]) -> Vec<((u8, u8), TokenKeys)> {
    let mut out: Vec<((u8, u8), TokenKeys)> = toks
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            std::iter::once(&t.text).chain(&t.alts).map(move |text| {
                let keys = if t.abjad {
                    TokenKeys::abjad(text)
                } else {
                    TokenKeys::new(text)
                };
                ((i as u8, 1), keys)
            })
        })
        .collect();
    for (i, w) in toks.windows(2).enumerate() {
        out.push(((i as u8, 2), TokenKeys::joined(&w[0].text, &w[1].text)));
    }
    out
}

/// Without a corpus to measure information, longer tokens count somewhat more than short
/// ones (an initial says less than a full name).
fn length_weight(text: &str) -> f32 {
    2.0 + 0.5 * text.chars().count().min(8) as f32
}

//! `NameIndex`: candidate retrieval and scoring against tens of thousands of names in
//! microseconds.
//!
//! Every distinct token of the indexed names (and every joined pair of adjacent tokens,
//! so "JIN HYOK" is also findable as "JINHYOK") is a vocabulary entry with a posting list
//! of the names holding it. A query token reaches vocabulary entries through four keys —
//! the exact spelling, the Korean surname class, the Korean romanisation key, the
//! consonant skeleton — and through single-letter deletions (which find every spelling
//! within one edit, and many within two). Similarities are computed once per
//! (query token, vocabulary token), not per name. Postings of the query's informative
//! tokens give each touched name an estimate; only the best few names are aligned and
//! scored in full. Tokens so common that a name sharing only them could not reach the
//! caller's `min_score` do not generate candidates at all (prefix filtering), which is
//! what keeps "MOHAMMED", "AL" or "KIM" from touching thousands of names per query.

use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHasher};

use crate::NameKind;
use crate::common::prior_commonness;
use crate::normalise::{Role, tokens};
use crate::score::{self, Alignment, Edge, MAX_TOKENS, Side, Texts};
use crate::similarity::{INITIAL_SIM, KeysRef, Relation, TokenKeys, token_similarity};

/// How far commonness can lower a score: an exact match on the most common name ends at
/// 1 − 0.3 × 0.81 ≈ 0.76 (below any sensible hit threshold) and needs supporting
/// evidence to become a hit.
const COMMONNESS_WEIGHT: f32 = 0.3;
/// Names (in the index) holding a token at which the corpus alone calls it half common.
/// Large on purpose: a sanctions list repeats the names of the places it targets, which
/// says little about how common a name is among the people being screened.
const CORPUS_HALF_COMMON: f32 = 150.0;
/// Query tokens considered (the rest of a very long query is ignored).
const MAX_QUERY_TOKENS: usize = 16;
/// Tokens longer than this get no deletion neighbourhood (they are not names).
const MAX_DELETE_LEN: usize = 24;
/// Shortest token with a deletion neighbourhood: shorter ones would match too much by a
/// single edit, and their variants are covered by the romanisation keys.
const MIN_DELETE_LEN: usize = 4;
/// Candidates aligned in full per query, at least (more when `limit` asks for more).
const MIN_CANDIDATES: usize = 24;
/// How far below `min_score` a candidate's estimate may be and still be scored: the
/// estimate counts a name's extra tokens fully where the score discounts them, so it can
/// fall short of the score by about this much.
const ESTIMATE_SLACK: f32 = 0.25;

const NONE: u32 = u32::MAX;

/// Weight of a one-letter token (an initial): it says little about who is meant, however
/// rare single letters are in the lists.
const INITIAL_WEIGHT: f32 = 1.0;

/// The weight of vocabulary entry `v` when it is an initial.
fn initial_weight(vocab: &Vocab, v: u32) -> Option<f32> {
    let keys = vocab.keys(v)?;
    (keys.text.chars().count() == 1).then_some(INITIAL_WEIGHT)
}

/// An index of names for fast screening. `T` is the caller's payload (an entity
/// reference) returned with each match.
pub struct NameIndex<T> {
    entries: Vec<Entry<T>>,
    /// Where each entry's tokens are, and their total weight (dense: every touched entry
    /// reads it).
    spans: Vec<Span>,
    /// The tokens of every entry, entry after entry; what scoring reads, kept together.
    token_data: Vec<TokenData>,
    vocab: Vocab,
}

struct Entry<T> {
    name: Box<str>,
    kind: NameKind,
    payload: T,
}

#[derive(Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
    /// Sum of the token weights, for the candidate estimate.
    weight: f32,
}

impl Span {
    fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }
}

/// One token of an indexed name.
#[derive(Clone, Copy)]
struct TokenData {
    vocab: u32,
    /// The token joined with the next one (`NONE` for the last token).
    pair: u32,
    weight: f32,
    commonness: f32,
    pair_commonness: f32,
    role: Role,
}

/// Where a vocabulary entry's keys lie in the key arena (one cache line or two, rather
/// than three separate allocations per token).
#[derive(Clone, Copy)]
struct ArenaKeys {
    text: (u32, u16),
    romanisation: Option<(u32, u16)>,
    skeleton: Option<(u32, u16)>,
    class: Option<u16>,
    abjad: bool,
}

/// Distinct tokens and joined pairs of the corpus, with their keys and postings.
#[derive(Default)]
struct Vocab {
    ids: FxHashMap<Box<str>, u32>,
    keys: Vec<ArenaKeys>,
    arena: String,
    weight: Vec<f32>,
    commonness: Vec<f32>,
    /// `postings[posting_start[v]..posting_start[v + 1]]` = entries holding token `v`.
    posting_start: Vec<u32>,
    postings: Vec<u32>,
    by_class: FxHashMap<u16, Vec<u32>>,
    by_romanisation: FxHashMap<Box<str>, Vec<u32>>,
    by_skeleton: FxHashMap<Box<str>, Vec<u32>>,
    /// Hash of a spelling or a one-letter deletion of it → range in `delete_ids`.
    deletes: FxHashMap<u64, (u32, u32)>,
    delete_ids: Vec<u32>,
    /// Entries per frequency key (equivalent spellings counted together).
    frequency: FxHashMap<Box<str>, u32>,
    names: usize,
}

impl Vocab {
    /// Information weight of a token held by `df` of the indexed names (IDF, in bits).
    fn weight_for(&self, df: u32) -> f32 {
        let n = self.names.max(1) as f32;
        (1.0 + n / df.max(1) as f32).log2().max(1.0)
    }

    fn commonness_for(df: u32, keys: &TokenKeys) -> f32 {
        let df = df as f32;
        prior_commonness(keys).max(df / (df + CORPUS_HALF_COMMON))
    }

    /// The keys of vocabulary entry `v`.
    fn keys(&self, v: u32) -> Option<KeysRef<'_>> {
        let k = self.keys.get(v as usize)?;
        let slice = |(start, len): (u32, u16)| {
            let start = start as usize;
            self.arena.get(start..start + usize::from(len))
        };
        Some(KeysRef {
            text: slice(k.text)?,
            class: k.class,
            romanisation: k.romanisation.and_then(slice),
            skeleton: k.skeleton.and_then(slice),
            abjad: k.abjad,
        })
    }

    /// Appends `keys` to the arena, text and keys side by side.
    fn push_keys(&mut self, keys: &TokenKeys) {
        let mut put = |s: &str| {
            let start = u32::try_from(self.arena.len()).unwrap_or(NONE);
            self.arena.push_str(s);
            (start, u16::try_from(s.len()).unwrap_or(u16::MAX))
        };
        let text = put(&keys.text);
        let romanisation = keys.romanisation.as_deref().map(&mut put);
        let skeleton = keys.skeleton.as_deref().map(&mut put);
        self.keys.push(ArenaKeys {
            text,
            romanisation,
            skeleton,
            class: keys.class,
            abjad: keys.abjad,
        });
    }

    fn df(&self, keys: &TokenKeys) -> u32 {
        self.frequency
            .get(keys.frequency_key().as_str())
            .copied()
            .unwrap_or(0)
    }

    fn postings(&self, v: u32) -> &[u32] {
        let v = v as usize;
        match (self.posting_start.get(v), self.posting_start.get(v + 1)) {
            (Some(a), Some(b)) => self
                .postings
                .get(*a as usize..*b as usize)
                .unwrap_or_default(),
            _ => &[],
        }
    }

    /// Vocabulary entries that may be similar to `keys`. A joined pair of query tokens
    /// can only match exactly or by romanisation (see `score::admissible`), so it skips the
    /// skeleton and the deletion neighbourhood.
    fn neighbours(&self, keys: &TokenKeys, joined: bool, out: &mut Vec<u32>) {
        out.clear();
        if let Some(v) = self.ids.get(keys.text.as_str()) {
            out.push(*v);
        }
        if let Some(list) = keys.class.and_then(|c| self.by_class.get(&c)) {
            out.extend_from_slice(list);
        }
        if let Some(list) = keys
            .romanisation
            .as_ref()
            .and_then(|k| self.by_romanisation.get(k.as_str()))
        {
            out.extend_from_slice(list);
        }
        if joined {
            out.sort_unstable();
            out.dedup();
            return;
        }
        if let Some(list) = keys
            .skeleton
            .as_ref()
            .and_then(|k| self.by_skeleton.get(k.as_str()))
        {
            out.extend_from_slice(list);
        }
        for_each_delete(&keys.text, |hash| {
            if let Some((start, len)) = self.deletes.get(&hash) {
                let (start, len) = (*start as usize, *len as usize);
                out.extend_from_slice(self.delete_ids.get(start..start + len).unwrap_or_default());
            }
        });
        out.sort_unstable();
        out.dedup();
    }
}

/// Calls `f` with the hash of `text` and of each one-letter deletion of it (ASCII tokens of
/// `MIN_DELETE_LEN..=MAX_DELETE_LEN` letters only).
fn for_each_delete(text: &str, mut f: impl FnMut(u64)) {
    let b = text.as_bytes();
    if !text.is_ascii() || b.len() < MIN_DELETE_LEN || b.len() > MAX_DELETE_LEN {
        return;
    }
    // The deleted string is hashed whole: hashing its two halves one after the other
    // would give the same string different hashes depending on where the letter was
    // taken out, and a transposition (Boulahia/Boualhia) meets its original only by
    // deleting at two different places.
    let hash = |bytes: &[u8]| {
        let mut h = FxHasher::default();
        h.write(bytes);
        h.write_u8(0xff);
        h.finish()
    };
    f(hash(b));
    let mut buf = [0u8; MAX_DELETE_LEN];
    for i in 0..b.len() {
        // Deleting either letter of a double gives the same string: hash it once.
        if i > 0 && b[i] == b[i - 1] {
            continue;
        }
        buf[..i].copy_from_slice(&b[..i]);
        buf[i..b.len() - 1].copy_from_slice(&b[i + 1..]);
        f(hash(&buf[..b.len() - 1]));
    }
}

/// Collects names for a `NameIndex`.
pub struct NameIndexBuilder<T> {
    entries: Vec<(String, NameKind, T)>,
}

impl<T> Default for NameIndexBuilder<T> {
    fn default() -> Self {
        NameIndexBuilder {
            entries: Vec::new(),
        }
    }
}

impl<T> NameIndexBuilder<T> {
    /// Adds one name (a primary name or an alias; add each alias separately with the same
    /// payload) of the given kind.
    pub fn add(&mut self, name: &str, kind: NameKind, payload: T) -> &mut Self {
        self.entries.push((name.to_string(), kind, payload));
        self
    }

    /// Number of names added so far.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no name was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Builds the index: normalises every name, counts token frequencies, and lays out
    /// the keys and postings.
    pub fn build(self) -> NameIndex<T> {
        let mut vocab = Vocab {
            names: self.entries.len(),
            ..Vocab::default()
        };
        let mut entries = Vec::with_capacity(self.entries.len());
        let mut spans: Vec<Span> = Vec::with_capacity(self.entries.len());
        let mut all_tokens: Vec<u32> = Vec::new();
        let mut all_pairs: Vec<u32> = Vec::new();
        let mut roles: Vec<Role> = Vec::new();
        // Frequency keys and skeleton/romanisation keys of each vocabulary entry, kept
        // only while building.
        let mut built_keys: Vec<TokenKeys> = Vec::new();
        let mut intern = |vocab: &mut Vocab, text: &str, abjad: bool| -> u32 {
            if let Some(v) = vocab.ids.get(text) {
                return *v;
            }
            let id = u32::try_from(vocab.keys.len()).unwrap_or(NONE);
            let keys = if abjad {
                TokenKeys::abjad(text)
            } else {
                TokenKeys::new(text)
            };
            vocab.ids.insert(text.into(), id);
            vocab.push_keys(&keys);
            built_keys.push(keys);
            id
        };
        for (name, kind, payload) in self.entries {
            let mut toks = tokens(&name, kind);
            toks.truncate(MAX_TOKENS);
            let start = u32::try_from(all_tokens.len()).unwrap_or(NONE);
            for (i, t) in toks.iter().enumerate() {
                all_tokens.push(intern(&mut vocab, &t.text, t.abjad));
                roles.push(t.role);
                let pair = match toks.get(i + 1) {
                    Some(next) => intern(&mut vocab, &format!("{}{}", t.text, next.text), false),
                    None => NONE,
                };
                all_pairs.push(pair);
            }
            entries.push(Entry {
                name: name.into_boxed_str(),
                kind,
                payload,
            });
            spans.push(Span {
                start,
                len: u32::try_from(toks.len()).unwrap_or(0),
                weight: 0.0,
            });
        }

        // Frequencies: names per frequency key, each name counted once per key.
        let frequency_keys: Vec<Box<str>> = built_keys
            .iter()
            .map(|k| k.frequency_key().into_boxed_str())
            .collect();
        let mut seen: Vec<&str> = Vec::new();
        let mut posting_lists: Vec<Vec<u32>> = vec![Vec::new(); vocab.keys.len()];
        for (e, span) in spans.iter().enumerate() {
            seen.clear();
            for v in all_tokens[span.range()]
                .iter()
                .chain(&all_pairs[span.range()])
            {
                if *v == NONE {
                    continue;
                }
                let list = &mut posting_lists[*v as usize];
                let e = u32::try_from(e).unwrap_or(NONE);
                if list.last() != Some(&e) {
                    list.push(e);
                }
                let key = &*frequency_keys[*v as usize];
                if !seen.contains(&key) {
                    seen.push(key);
                    *vocab.frequency.entry(key.into()).or_insert(0) += 1;
                }
            }
        }
        for (v, keys) in built_keys.iter().enumerate() {
            let df = vocab
                .frequency
                .get(&frequency_keys[v])
                .copied()
                .unwrap_or(0);
            let weight = vocab.weight_for(df);
            vocab.weight.push(weight);
            vocab.commonness.push(Vocab::commonness_for(df, keys));
        }
        let of = |table: &[f32], v: u32| table.get(v as usize).copied().unwrap_or(0.0);
        let token_data: Vec<TokenData> = all_tokens
            .iter()
            .zip(&all_pairs)
            .zip(&roles)
            .map(|((v, pair), role)| TokenData {
                vocab: *v,
                pair: *pair,
                weight: initial_weight(&vocab, *v).unwrap_or_else(|| of(&vocab.weight, *v)),
                commonness: of(&vocab.commonness, *v),
                pair_commonness: of(&vocab.commonness, *pair),
                role: *role,
            })
            .collect();
        for span in &mut spans {
            span.weight = token_data[span.range()].iter().map(|t| t.weight).sum();
        }
        let mut start = 0u32;
        for list in &posting_lists {
            vocab.posting_start.push(start);
            vocab.postings.extend_from_slice(list);
            start = u32::try_from(vocab.postings.len()).unwrap_or(NONE);
        }
        vocab.posting_start.push(start);
        drop(posting_lists);

        // Key maps and the deletion neighbourhood.
        let mut deletes: Vec<(u64, u32)> = Vec::new();
        for (v, keys) in built_keys.iter().enumerate() {
            let v = u32::try_from(v).unwrap_or(NONE);
            if let Some(class) = keys.class {
                vocab.by_class.entry(class).or_default().push(v);
            }
            if let Some(key) = &keys.romanisation {
                vocab
                    .by_romanisation
                    .entry(key.as_str().into())
                    .or_default()
                    .push(v);
            }
            if let Some(key) = &keys.skeleton {
                vocab
                    .by_skeleton
                    .entry(key.as_str().into())
                    .or_default()
                    .push(v);
            }
            for_each_delete(&keys.text, |hash| deletes.push((hash, v)));
        }
        deletes.sort_unstable();
        deletes.dedup();
        let mut i = 0;
        while i < deletes.len() {
            let hash = deletes[i].0;
            let start = u32::try_from(vocab.delete_ids.len()).unwrap_or(NONE);
            while i < deletes.len() && deletes[i].0 == hash {
                vocab.delete_ids.push(deletes[i].1);
                i += 1;
            }
            let len = u32::try_from(vocab.delete_ids.len()).unwrap_or(NONE) - start;
            vocab.deletes.insert(hash, (start, len));
        }
        shrink(&mut vocab);

        NameIndex {
            entries,
            spans,
            token_data,
            vocab,
        }
    }
}

fn shrink(vocab: &mut Vocab) {
    vocab.arena.shrink_to_fit();
    vocab.keys.shrink_to_fit();
    vocab.postings.shrink_to_fit();
    vocab.delete_ids.shrink_to_fit();
    for list in vocab.by_class.values_mut() {
        list.shrink_to_fit();
    }
    for list in vocab.by_romanisation.values_mut() {
        list.shrink_to_fit();
    }
    for list in vocab.by_skeleton.values_mut() {
        list.shrink_to_fit();
    }
}

/// One search result.
#[derive(Debug)]
pub struct Match<'a, T> {
    /// The payload given with the matching name.
    pub payload: &'a T,
    /// The indexed name that matched, as it was added.
    pub name: &'a str,
    /// The kind the matching name was added with.
    pub kind: NameKind,
    /// Name similarity in 0..=1, lowered for common names; see `adjust` for evidence.
    pub score: f64,
    /// The similarity before commonness lowered it.
    pub raw_score: f64,
    /// What matched, e.g. "surname PAK≈PARK (romanisation), given name JIN HYOK=JINHYOK
    /// (joined)".
    pub explanation: String,
}

/// A query token or two adjacent query tokens joined, with every reading of it.
struct Unit {
    first: u8,
    len: u8,
    keys: TokenKeys,
    /// Other readings of the same written token (or pair), searched as well.
    alts: Vec<TokenKeys>,
}

/// A vocabulary entry similar to a query unit.
#[derive(Clone, Copy)]
struct Hit {
    vocab: u32,
    unit: u8,
    sim: f32,
    relation: Relation,
}

/// Everything one query computes before touching names.
struct Query {
    texts: Vec<String>,
    roles: Vec<Role>,
    weights: Vec<f32>,
    /// Commonness of each query token and of each token joined with the next.
    commonness: Vec<f32>,
    pair_commonness: Vec<f32>,
    units: Vec<Unit>,
    /// Hits sorted by vocabulary id (looked up by binary search: a query has a few dozen).
    hits: Vec<Hit>,
}

/// A scored candidate before its explanation is written.
struct Scored {
    entry: u32,
    score: f32,
    reduction: f32,
}

impl<T> NameIndex<T> {
    /// A builder to add names to.
    pub fn builder() -> NameIndexBuilder<T> {
        NameIndexBuilder::default()
    }

    /// Number of names indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index holds no name.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The indexed names most similar to `query`, best first: at most `limit`, each
    /// scoring at least `min_score`. Scores are name similarity only, lowered for common
    /// names; apply `adjust` with dates of birth, nationalities and entity types before
    /// comparing with a hit threshold. The same entity may appear once per alias.
    pub fn search(
        &self,
        query: &str,
        kind: NameKind,
        limit: usize,
        min_score: f64,
    ) -> Vec<Match<'_, T>> {
        if limit == 0 || self.entries.is_empty() {
            return Vec::new();
        }
        let Some(q) = self.prepare(query, kind) else {
            return Vec::new();
        };
        let min_score = min_score.clamp(0.0, 1.0);
        // Scores are f32 inside; compare against the caller's f64 threshold as f64 so a
        // result never comes back below it by rounding.
        let min_f32 = min_score as f32;
        let candidates = self.candidates(&q, min_f32, limit);

        let mut edges: Vec<Edge> = Vec::new();
        let mut alignment = Alignment::default();
        let mut scored: Vec<Scored> = Vec::with_capacity(candidates.len());
        for e in candidates {
            let (score, reduction) = self.score_entry(&q, e, &mut edges, &mut alignment);
            if f64::from(score) >= min_score && score > 0.0 {
                scored.push(Scored {
                    entry: e,
                    score,
                    reduction,
                });
            }
        }
        scored.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        scored.truncate(limit);
        scored
            .into_iter()
            .filter_map(|s| {
                let entry = self.entries.get(s.entry as usize)?;
                self.score_entry(&q, s.entry, &mut edges, &mut alignment);
                let mut explanation = self.explain(&q, s.entry, &alignment);
                if s.reduction >= 0.005 {
                    explanation.push_str(&format!(
                        "; common name: score lowered by {:.2}",
                        s.reduction
                    ));
                }
                Some(Match {
                    payload: &entry.payload,
                    name: &entry.name,
                    kind: entry.kind,
                    score: f64::from(s.score),
                    raw_score: f64::from(s.score + s.reduction),
                    explanation,
                })
            })
            .collect()
    }

    /// How common a name is, in 0..=1, from the built-in prior of frequent names and the
    /// token frequencies of this index: 0 for a distinctive name, near 1 for "Kim Jong-hoon"
    /// or "Mohammed Ali". This is what lowers the score of a name-only match.
    pub fn commonness(&self, name: &str, kind: NameKind) -> f64 {
        let toks = tokens(name, kind);
        if toks.is_empty() {
            return 0.0;
        }
        let f: Vec<f32> = toks
            .iter()
            .map(|t| self.keys_commonness(&TokenKeys::new(&t.text)))
            .collect();
        let f_pair: Vec<f32> = toks
            .windows(2)
            .map(|w| self.keys_commonness(&TokenKeys::joined(&w[0].text, &w[1].text)))
            .collect();
        let all = u32::MAX;
        f64::from(name_commonness(&f, &f_pair, all))
    }

    fn keys_commonness(&self, keys: &TokenKeys) -> f32 {
        match self.vocab.ids.get(keys.text.as_str()) {
            Some(v) => self
                .vocab
                .commonness
                .get(*v as usize)
                .copied()
                .unwrap_or(0.0),
            None => Vocab::commonness_for(self.vocab.df(keys), keys),
        }
    }

    /// Approximate heap and inline size of the index in bytes (payloads counted by their
    /// inline size only).
    pub fn memory_bytes(&self) -> usize {
        use std::mem::size_of;
        let v = &self.vocab;
        let map_lists = |m: &FxHashMap<Box<str>, Vec<u32>>| -> usize {
            m.capacity() * (size_of::<(Box<str>, Vec<u32>)>() + 1)
                + m.iter()
                    .map(|(k, l)| k.len() + l.capacity() * 4)
                    .sum::<usize>()
        };
        size_of::<Self>()
            + self.entries.capacity() * size_of::<Entry<T>>()
            + self.entries.iter().map(|e| e.name.len()).sum::<usize>()
            + self.spans.capacity() * size_of::<Span>()
            + self.token_data.capacity() * size_of::<TokenData>()
            + v.ids.capacity() * (size_of::<(Box<str>, u32)>() + 1)
            + v.ids.keys().map(|k| k.len()).sum::<usize>()
            + v.keys.capacity() * size_of::<ArenaKeys>()
            + v.arena.capacity()
            + v.weight.capacity() * 4
            + v.commonness.capacity() * 4
            + v.posting_start.capacity() * 4
            + v.postings.capacity() * 4
            + v.by_class.capacity() * (size_of::<(u16, Vec<u32>)>() + 1)
            + v.by_class.values().map(|l| l.capacity() * 4).sum::<usize>()
            + map_lists(&v.by_romanisation)
            + map_lists(&v.by_skeleton)
            + v.deletes.capacity() * (size_of::<(u64, (u32, u32))>() + 1)
            + v.delete_ids.capacity() * 4
            + v.frequency.capacity() * (size_of::<(Box<str>, u32)>() + 1)
            + v.frequency.keys().map(|k| k.len()).sum::<usize>()
    }

    /// Normalises the query, weighs its tokens, and finds similar vocabulary entries for
    /// each token and each joined pair of adjacent tokens.
    fn prepare(&self, query: &str, kind: NameKind) -> Option<Query> {
        let mut toks = tokens(query, kind);
        toks.truncate(MAX_QUERY_TOKENS);
        if toks.is_empty() {
            return None;
        }
        let mut units: Vec<Unit> = Vec::with_capacity(toks.len() * 2);
        let mut weights = Vec::with_capacity(toks.len());
        for (i, t) in toks.iter().enumerate() {
            let keys_of = |text: &str| {
                if t.abjad {
                    TokenKeys::abjad(text)
                } else {
                    TokenKeys::new(text)
                }
            };
            let keys = keys_of(&t.text);
            let alts: Vec<TokenKeys> = t.alts.iter().map(|a| keys_of(a)).collect();
            // A token read several ways weighs as the first reading the lists know.
            let known = std::iter::once(&keys)
                .chain(&alts)
                .find(|k| self.vocab.ids.contains_key(k.text.as_str()))
                .unwrap_or(&keys);
            let weight = if t.text.chars().count() == 1 {
                INITIAL_WEIGHT
            } else {
                match self.vocab.ids.get(known.text.as_str()) {
                    Some(v) => self.vocab.weight[*v as usize],
                    None => self.vocab.weight_for(self.vocab.df(known)),
                }
            };
            weights.push(weight);
            units.push(Unit {
                first: i as u8,
                len: 1,
                keys,
                alts,
            });
        }
        for i in 0..toks.len().saturating_sub(1) {
            let spellings = |t: &crate::normalise::Token| {
                std::iter::once(t.text.clone())
                    .chain(t.alts.iter().cloned())
                    .collect::<Vec<_>>()
            };
            let (left, right) = (spellings(&toks[i]), spellings(&toks[i + 1]));
            let mut joined = left
                .iter()
                .flat_map(|l| right.iter().map(move |r| TokenKeys::joined(l, r)));
            let Some(keys) = joined.next() else {
                continue;
            };
            units.push(Unit {
                first: i as u8,
                len: 2,
                keys,
                alts: joined.take(crate::scripts::MAX_READINGS).collect(),
            });
        }
        let mut hits: Vec<Hit> = Vec::with_capacity(64);
        let mut neighbours: Vec<u32> = Vec::with_capacity(64);
        let mut keys: Vec<(u32, KeysRef<'_>)> = Vec::with_capacity(64);
        for (u, unit) in units.iter().enumerate() {
            for spelling in std::iter::once(&unit.keys).chain(&unit.alts) {
                self.vocab
                    .neighbours(spelling, unit.len > 1, &mut neighbours);
                // Load every neighbour's keys before comparing any: the loads are
                // independent cache misses that overlap, where interleaved with the
                // comparisons they would be paid one after the other.
                keys.clear();
                keys.extend(
                    neighbours
                        .iter()
                        .filter_map(|v| Some((*v, self.vocab.keys(*v)?))),
                );
                for &(v, other) in &keys {
                    // `token_similarity` returns only matches (at least MIN_TOKEN_SIM).
                    if let Some((sim, relation)) = token_similarity(spelling.view(), other) {
                        hits.push(Hit {
                            vocab: v,
                            unit: u as u8,
                            sim,
                            relation,
                        });
                    }
                }
            }
        }
        // One hit per (vocabulary entry, unit): the best of the unit's readings.
        hits.sort_unstable_by(|a, b| {
            (a.vocab, a.unit)
                .cmp(&(b.vocab, b.unit))
                .then(b.sim.total_cmp(&a.sim))
        });
        hits.dedup_by_key(|h| (h.vocab, h.unit));
        // Units are the tokens, then the joined pairs, in order.
        let commonness = units[..toks.len()]
            .iter()
            .map(|u| self.keys_commonness(&u.keys))
            .collect();
        let pair_commonness = units[toks.len()..]
            .iter()
            .map(|u| self.keys_commonness(&u.keys))
            .collect();
        Some(Query {
            commonness,
            pair_commonness,
            roles: toks.iter().map(|t| t.role).collect(),
            texts: toks.into_iter().map(|t| t.text).collect(),
            weights,
            units,
            hits,
        })
    }

    /// Entries worth scoring in full: those reached through the query's informative units,
    /// best estimates first.
    fn candidates(&self, q: &Query, min_score: f32, limit: usize) -> Vec<u32> {
        // Prefix filtering: a name sharing only the lightest query tokens, whose weight is
        // a share s of the query, scores at most about 2s / (2s + 0.5 (1 − s)) (the rest
        // of the query unmatched, as extras at half weight). Tokens whose cumulative
        // share keeps that bound under `min_score` need not generate candidates.
        let total: f32 = q.weights.iter().sum();
        let max_share = 0.5 * min_score / (2.0 - 1.5 * min_score);
        let mut order: Vec<usize> = (0..q.weights.len()).collect();
        order.sort_unstable_by(|a, b| q.weights[*a].total_cmp(&q.weights[*b]));
        let mut generating = vec![true; q.units.len()];
        let mut skipped = 0.0f32;
        let mut skipped_weight = 0.0f32;
        for i in order {
            skipped += q.weights[i];
            if skipped / total >= max_share {
                break;
            }
            generating[i] = false;
            skipped_weight = skipped;
        }
        // Per touched entry, the best similarity seen for each query token (a joined pair
        // covers its two tokens), so neither several spellings of one token in a name nor a
        // pair overlapping its own tokens counts twice.
        let n = q.weights.len();
        // Sized up front from the postings about to be read: growing these while filling
        // them was a visible share of the query time.
        let reach: usize = q
            .hits
            .iter()
            .filter(|h| {
                generating
                    .get(usize::from(h.unit))
                    .copied()
                    .unwrap_or(false)
            })
            .map(|h| self.vocab.postings(h.vocab).len())
            .sum();
        let mut slots: FxHashMap<u32, u32> =
            FxHashMap::with_capacity_and_hasher(reach, Default::default());
        let mut best: Vec<f32> = Vec::with_capacity(reach * n);
        for hit in &q.hits {
            let unit = usize::from(hit.unit);
            if !generating.get(unit).copied().unwrap_or(false) {
                continue;
            }
            let Some(u) = q.units.get(unit) else {
                continue;
            };
            let tokens = usize::from(u.first)..usize::from(u.first + u.len);
            for &e in self.vocab.postings(hit.vocab) {
                let slot = *slots.entry(e).or_insert_with(|| {
                    let at = best.len();
                    best.resize(at + n, 0.0);
                    u32::try_from(at).unwrap_or(NONE)
                }) as usize;
                for t in tokens.clone() {
                    if let Some(b) = best.get_mut(slot + t) {
                        *b = b.max(hit.sim);
                    }
                }
            }
        }
        // Estimate: the alignment score if every reached token matched its best, every
        // token that generated no candidates matched too (it was not looked at), and the
        // name had no other tokens than those of its own weight.
        let floor = min_score - ESTIMATE_SLACK;
        let mut ranked: Vec<(u32, f32)> = slots
            .into_iter()
            .map(|(e, slot)| {
                let slot = slot as usize;
                let matched: f32 = q
                    .weights
                    .iter()
                    .zip(best.get(slot..slot + n).unwrap_or_default())
                    .map(|(w, s)| w * s)
                    .sum::<f32>()
                    + skipped_weight;
                let entry_weight = self.spans.get(e as usize).map_or(0.0, |s| s.weight);
                (e, 2.0 * matched / (total + entry_weight.max(matched)))
            })
            .filter(|(_, estimate)| *estimate >= floor)
            .collect();
        let keep = (limit.saturating_mul(3)).max(MIN_CANDIDATES);
        if ranked.len() > keep {
            ranked.select_nth_unstable_by(keep, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked.truncate(keep);
        }
        ranked.into_iter().map(|(e, _)| e).collect()
    }

    /// Aligns the query with one entry; returns the final score and how much commonness
    /// took off it. `alignment` holds the alignment afterwards.
    fn score_entry(
        &self,
        q: &Query,
        e: u32,
        edges: &mut Vec<Edge>,
        alignment: &mut Alignment,
    ) -> (f32, f32) {
        let Some(span) = self.spans.get(e as usize) else {
            return (0.0, 0.0);
        };
        let data = self.token_data.get(span.range()).unwrap_or_default();
        let data = &data[..data.len().min(MAX_TOKENS)];
        // Stack copies of the per-token fields the scorer takes as slices.
        let mut weights = [0.0f32; MAX_TOKENS];
        let mut roles = [Role::Unknown; MAX_TOKENS];
        let mut f = [0.0f32; MAX_TOKENS];
        let mut f_pair = [0.0f32; MAX_TOKENS];
        for (j, t) in data.iter().enumerate() {
            weights[j] = t.weight;
            roles[j] = t.role;
            f[j] = t.commonness;
            f_pair[j] = t.pair_commonness;
        }
        let n = data.len();
        edges.clear();
        for (j, t) in data.iter().enumerate() {
            for hit in hits_of(q, t.vocab) {
                let Some(u) = q.units.get(usize::from(hit.unit)) else {
                    continue;
                };
                if score::admissible(hit.sim, hit.relation, u.len, 1) {
                    edges.push(Edge {
                        q_first: u.first,
                        q_len: u.len,
                        c_first: j as u8,
                        c_len: 1,
                        sim: hit.sim,
                        relation: hit.relation,
                    });
                }
            }
            if t.pair == NONE {
                continue;
            }
            for hit in hits_of(q, t.pair) {
                let Some(u) = q.units.get(usize::from(hit.unit)) else {
                    continue;
                };
                // Pair against pair is a plain two-token match, found token by token.
                if u.len == 1 && score::admissible(hit.sim, hit.relation, 1, 2) {
                    edges.push(Edge {
                        q_first: u.first,
                        q_len: 1,
                        c_first: j as u8,
                        c_len: 2,
                        sim: hit.sim,
                        relation: hit.relation,
                    });
                }
            }
        }
        // Initials: "V." for a name starting with V, on either side. Single letters are
        // told by their weight, so names without any cost nothing here.
        let entry_initials = data.iter().any(|t| t.weight == INITIAL_WEIGHT);
        for (i, text) in q.texts.iter().enumerate() {
            if !(entry_initials || q.weights.get(i) == Some(&INITIAL_WEIGHT)) {
                continue;
            }
            for (j, t) in data.iter().enumerate() {
                let Some(listed) = self.vocab.keys(t.vocab).map(|k| k.text) else {
                    continue;
                };
                let (short, long) = match (text.chars().count(), listed.chars().count()) {
                    (1, l) if l > 1 => (text.as_str(), listed),
                    (l, 1) if l > 1 => (listed, text.as_str()),
                    _ => continue,
                };
                if long.starts_with(short) {
                    edges.push(Edge {
                        q_first: i as u8,
                        q_len: 1,
                        c_first: j as u8,
                        c_len: 1,
                        sim: INITIAL_SIM,
                        relation: Relation::Initial,
                    });
                }
            }
        }
        score::align(
            edges,
            Side {
                weights: &q.weights,
                roles: &q.roles,
            },
            Side {
                weights: &weights[..n],
                roles: &roles[..n],
            },
            alignment,
        );
        if alignment.score <= 0.0 {
            return (0.0, 0.0);
        }
        // Every token the same on both sides: the listed name itself (or an alias of it),
        // which no commonness makes less of a match.
        if alignment.score >= 1.0 {
            return (1.0, 0.0);
        }
        // The matched name is as common as the commoner of its two spellings: judged on the
        // listed side alone, a worse match with a rarer listed name would outrank an exact
        // match with a common one.
        let commonness = name_commonness(&f[..n], &f_pair[..n], alignment.c_matched).max(
            name_commonness(&q.commonness, &q.pair_commonness, alignment.q_matched),
        );
        let reduction = alignment.score * COMMONNESS_WEIGHT * commonness;
        (alignment.score - reduction, reduction)
    }

    fn explain(&self, q: &Query, e: u32, alignment: &Alignment) -> String {
        let data = self
            .spans
            .get(e as usize)
            .and_then(|span| self.token_data.get(span.range()))
            .unwrap_or_default();
        let c_tokens: Vec<&str> = data
            .iter()
            .map(|t| self.vocab.keys(t.vocab).map_or("", |k| k.text))
            .collect();
        let c_roles: Vec<Role> = data.iter().map(|t| t.role).collect();
        let q_tokens: Vec<&str> = q.texts.iter().map(String::as_str).collect();
        score::explain(
            alignment,
            &Texts {
                tokens: &q_tokens,
                roles: &q.roles,
                label: "query",
            },
            &Texts {
                tokens: &c_tokens,
                roles: &c_roles,
                label: "listed name",
            },
        )
    }
}

/// The hits of vocabulary entry `v` (hits are sorted by vocabulary id).
fn hits_of(q: &Query, v: u32) -> &[Hit] {
    let start = q.hits.partition_point(|h| h.vocab < v);
    let len = q.hits[start..].iter().take_while(|h| h.vocab == v).count();
    &q.hits[start..start + len]
}

/// Commonness of the matched part of a name: the product of the commonness of its matched
/// tokens, where two adjacent matched tokens may count as one unit (a two-part given name
/// such as Jong-hoon is common as a whole); the most common reading wins, so a name is
/// called common if any way of reading it is.
fn name_commonness(f: &[f32], f_pair: &[f32], matched: u32) -> f32 {
    let is_matched = |j: usize| j >= 32 || matched & (1 << j) != 0;
    // Names are matched on at most MAX_TOKENS tokens; any further ones are ignored.
    let f = &f[..f.len().min(MAX_TOKENS)];
    let mut best = [1.0f32; MAX_TOKENS + 1];
    for j in 0..f.len() {
        best[j + 1] = if is_matched(j) {
            let single = best[j] * f[j];
            let pair = if j >= 1 && is_matched(j - 1) {
                best[j - 1] * f_pair.get(j - 1).copied().unwrap_or(0.0)
            } else {
                0.0
            };
            single.max(pair)
        } else {
            best[j]
        };
    }
    best[f.len()]
}

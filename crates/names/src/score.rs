//! Token alignment and the name score.
//!
//! Both names are token lists. Edges link a query unit to a candidate unit, where a unit is
//! one token or two adjacent tokens joined ("JIN HYOK" = "JINHYOK"), with the token
//! similarity of `similarity.rs`. The best assignment is found greedily (highest
//! similarity first, each token used once), which for the handful of tokens in a name is
//! what an exact assignment finds in practice, at a fraction of the cost. Order is
//! ignored. The score is the weighted share of matched tokens:
//!
//! `score = Σ sim·(w_q + w_c) / (Σ (w_q + w_c) over matches + unmatched penalty)`
//!
//! where an unmatched token facing an unmatched token on the other side (a different
//! name) counts fully, and an extra token (a middle name present on one side only) counts
//! half, unless it is known to be a surname: a missing surname is a different person far
//! more often than a missing middle name is.

use crate::normalise::Role;
use crate::similarity::{MIN_TOKEN_SIM, Relation};

/// Tokens per name taken into account; longer names are matched on their first
/// `MAX_TOKENS` tokens (names on real lists have fewer than 20).
pub(crate) const MAX_TOKENS: usize = 32;
/// Weight of an extra token (present on one side only) relative to a mismatched one.
const EXTRA_TOKEN_WEIGHT: f32 = 0.5;
/// Joined/split matches must be exact or a romanisation equivalence: a fuzzy match
/// between a joined pair and a token is too easy to get by accident ("He Na" vs "Henna").
pub(crate) const MIN_JOINED_SIM: f32 = 0.90;

/// A possible match between a span of query tokens and a span of candidate tokens.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Edge {
    pub(crate) q_first: u8,
    pub(crate) q_len: u8,
    pub(crate) c_first: u8,
    pub(crate) c_len: u8,
    pub(crate) sim: f32,
    pub(crate) relation: Relation,
}

impl Edge {
    fn q_mask(&self) -> u32 {
        span_mask(self.q_first, self.q_len)
    }
    fn c_mask(&self) -> u32 {
        span_mask(self.c_first, self.c_len)
    }
    /// Whether a join/split was needed to make the match.
    pub(crate) fn joined(&self) -> bool {
        self.q_len != self.c_len
    }
}

fn span_mask(first: u8, len: u8) -> u32 {
    let bits = (1u32 << len) - 1;
    bits << first
}

/// One side of a comparison: token weights and roles (at most `MAX_TOKENS`).
#[derive(Clone, Copy)]
pub(crate) struct Side<'a> {
    pub(crate) weights: &'a [f32],
    pub(crate) roles: &'a [Role],
}

impl Side<'_> {
    fn span_weight(&self, first: u8, len: u8) -> f32 {
        let first = usize::from(first);
        self.weights
            .get(first..first + usize::from(len))
            .map_or(0.0, |w| w.iter().sum())
    }
}

/// The chosen matches and the resulting score.
#[derive(Debug, Default)]
pub(crate) struct Alignment {
    pub(crate) score: f32,
    pub(crate) chosen: Vec<Edge>,
    pub(crate) q_matched: u32,
    pub(crate) c_matched: u32,
}

/// Whether an edge is good enough to be considered at all.
pub(crate) fn admissible(sim: f32, relation: Relation, q_len: u8, c_len: u8) -> bool {
    if q_len != c_len {
        sim >= MIN_JOINED_SIM && matches!(relation, Relation::Exact | Relation::Romanisation)
    } else {
        sim >= MIN_TOKEN_SIM
    }
}

/// Aligns the tokens of two names given the candidate edges (which it reorders) and
/// returns the score in 0..=1 with the chosen matches.
pub(crate) fn align(edges: &mut [Edge], q: Side<'_>, c: Side<'_>, out: &mut Alignment) {
    out.chosen.clear();
    out.q_matched = 0;
    out.c_matched = 0;
    out.score = 0.0;
    // Best similarity first; on ties prefer fewer tokens (a plain match over a join),
    // then the heavier (more informative) match, then position, so the result does not
    // depend on the order edges were found in.
    edges.sort_unstable_by(|a, b| {
        b.sim
            .total_cmp(&a.sim)
            .then((a.q_len + a.c_len).cmp(&(b.q_len + b.c_len)))
            .then_with(|| {
                let wa = q.span_weight(a.q_first, a.q_len) + c.span_weight(a.c_first, a.c_len);
                let wb = q.span_weight(b.q_first, b.q_len) + c.span_weight(b.c_first, b.c_len);
                wb.total_cmp(&wa)
            })
            .then(a.q_first.cmp(&b.q_first))
            .then(a.c_first.cmp(&b.c_first))
    });
    let mut matched_num = 0.0f32;
    let mut matched_den = 0.0f32;
    for edge in edges.iter() {
        if out.q_matched & edge.q_mask() != 0 || out.c_matched & edge.c_mask() != 0 {
            continue;
        }
        out.q_matched |= edge.q_mask();
        out.c_matched |= edge.c_mask();
        let weight =
            q.span_weight(edge.q_first, edge.q_len) + c.span_weight(edge.c_first, edge.c_len);
        matched_num += edge.sim * weight;
        matched_den += weight;
        out.chosen.push(*edge);
    }
    if matched_den <= 0.0 {
        return;
    }
    let penalty = unmatched_penalty(q, out.q_matched, c, out.c_matched);
    out.score = (matched_num / (matched_den + penalty)).clamp(0.0, 1.0);
}

/// Weight of the tokens left unmatched: pairs of leftovers (one each side) count fully,
/// the surplus on the longer side counts `EXTRA_TOKEN_WEIGHT` unless it is a surname.
fn unmatched_penalty(q: Side<'_>, q_matched: u32, c: Side<'_>, c_matched: u32) -> f32 {
    // Stack buffers: this runs for every candidate of every query.
    let mut q_buf = [(0.0f32, Role::Unknown); MAX_TOKENS];
    let mut c_buf = [(0.0f32, Role::Unknown); MAX_TOKENS];
    let q_left = leftovers(q, q_matched, &mut q_buf);
    let c_left = leftovers(c, c_matched, &mut c_buf);
    let pairs = q_left.len().min(c_left.len());
    let mut penalty = 0.0;
    for (w, _) in q_left.iter().take(pairs).chain(c_left.iter().take(pairs)) {
        penalty += w;
    }
    for (w, role) in q_left.iter().skip(pairs).chain(c_left.iter().skip(pairs)) {
        penalty += if *role == Role::Surname {
            *w
        } else {
            w * EXTRA_TOKEN_WEIGHT
        };
    }
    penalty
}

/// The unmatched tokens of a side (weight, role), heaviest first, in `buf`.
fn leftovers<'b>(
    side: Side<'_>,
    matched: u32,
    buf: &'b mut [(f32, Role); MAX_TOKENS],
) -> &'b [(f32, Role)] {
    let mut n = 0;
    for (i, (w, r)) in side
        .weights
        .iter()
        .zip(side.roles)
        .enumerate()
        .take(MAX_TOKENS)
    {
        if matched & (1 << i) == 0 {
            buf[n] = (*w, *r);
            n += 1;
        }
    }
    let left = &mut buf[..n];
    left.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    left
}

/// The tokens of one side, for explanations.
pub(crate) struct Texts<'a> {
    pub(crate) tokens: &'a [&'a str],
    pub(crate) roles: &'a [Role],
    /// What to call tokens only this side has ("query", "listed name").
    pub(crate) label: &'a str,
}

/// "surname PAK≈PARK (romanisation), given name JIN HYOK=JINHYOK (joined); only in
/// query: DANIEL".
pub(crate) fn explain(alignment: &Alignment, q: &Texts<'_>, c: &Texts<'_>) -> String {
    let mut chosen = alignment.chosen.clone();
    chosen.sort_unstable_by_key(|e| (e.q_first, e.c_first));
    let mut parts: Vec<String> = Vec::with_capacity(chosen.len() + 2);
    for e in &chosen {
        let roles = span(c.roles, e.c_first, e.c_len)
            .iter()
            .chain(span(q.roles, e.q_first, e.q_len))
            .copied()
            .filter(|r| *r != Role::Unknown)
            .collect::<Vec<_>>();
        let label = match roles.first() {
            Some(Role::Surname) => "surname ",
            Some(Role::Given) => "given name ",
            _ => "",
        };
        let left = upper(span(q.tokens, e.q_first, e.q_len));
        let right = upper(span(c.tokens, e.c_first, e.c_len));
        // Equal keys but different texts: the query token matched in another of its
        // readings (Cyrillic or Chinese characters read as Korean, Chinese in pinyin).
        let exact =
            e.relation == Relation::Exact && left.replace(' ', "") == right.replace(' ', "");
        let mut notes: Vec<String> = Vec::new();
        if e.joined() {
            notes.push("joined".into());
        }
        match e.relation {
            Relation::Exact if !exact => notes.push("another reading".into()),
            Relation::Exact => {}
            Relation::Romanisation => notes.push("romanisation".into()),
            Relation::Phonetic => notes.push("phonetic".into()),
            Relation::Initial => notes.push("initial".into()),
            Relation::Spelling => notes.push(format!("spelling {:.2}", e.sim)),
        }
        let op = if exact { "=" } else { "≈" };
        if notes.is_empty() {
            parts.push(format!("{label}{left}{op}{right}"));
        } else {
            parts.push(format!("{label}{left}{op}{right} ({})", notes.join(", ")));
        }
    }
    let mut text = if parts.is_empty() {
        "no token matched".to_string()
    } else {
        parts.join(", ")
    };
    for (side, matched) in [(q, alignment.q_matched), (c, alignment.c_matched)] {
        let left: Vec<String> = side
            .tokens
            .iter()
            .enumerate()
            .filter(|(i, _)| *i >= MAX_TOKENS || matched & (1 << i) == 0)
            .map(|(_, t)| t.to_uppercase())
            .collect();
        if !left.is_empty() {
            text.push_str(&format!("; only in {}: {}", side.label, left.join(" ")));
        }
    }
    text
}

fn span<T>(items: &[T], first: u8, len: u8) -> &[T] {
    let first = usize::from(first);
    items
        .get(first..first + usize::from(len))
        .unwrap_or_default()
}

fn upper(tokens: &[&str]) -> String {
    tokens
        .iter()
        .map(|t| t.to_uppercase())
        .collect::<Vec<_>>()
        .join(" ")
}

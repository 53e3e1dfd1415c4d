//! `redflag bench --what screening`: how well name screening finds listed parties and
//! leaves ordinary people alone, on evaluation sets built here from the loaded lists and
//! from the synthetic population's name tables (common given and family names of
//! nineteen countries). Nothing is copied from the lists into the repository: the sets
//! are rebuilt from whatever lists are loaded.
//!
//! * aliases: every listed alias as listed, in natural order and lower case (persons'
//!   "SURNAME, Given" turned round), with one adjacent transposition in its longest word,
//!   and organisations' aliases with a legal form added;
//! * Korean variants: the DPRK persons whose names are romanised Korean syllables,
//!   written in Hangul (derived from the DPRK romanisation), romanised again the
//!   South's way and the popular way, written in Russian Cyrillic (Kontsevich) and in
//!   Chinese characters with the same Sino-Korean readings;
//! * ordinary names: the legitimate freelancers of a synthetic population, who are on no
//!   list, screened with no date of birth (the hardest case: a name alone).
//!
//! Recall is the share of list queries whose listed party is among the hits; the clear
//! rate is the share of ordinary names with no hit at all.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use redflag_model::Record;
use redflag_watchlist::{Entity, EntityKind, NameKind, NameQuery, Screener};

/// Thresholds of the curve; the default (0.90) among them.
const CURVE: [f64; 6] = [0.80, 0.85, 0.88, 0.90, 0.93, 0.95];
/// Misses shown per variant, to see what kind of failure remains.
const EXAMPLES: usize = 4;
/// At most this many queries per variant, spread evenly over the candidates.
const PER_VARIANT: usize = 2500;

struct Case {
    set: &'static str,
    variant: &'static str,
    query: String,
    /// The listed party the query stands for; `None` for an ordinary name.
    expected: Option<String>,
}

pub fn run(out: &mut dyn Write, screener: &Screener, entities: &[Entity]) -> Result<()> {
    let mut cases = alias_cases(entities);
    cases.extend(korean_cases(entities));
    cases.extend(ordinary_cases()?);
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for c in &cases {
        *counts.entry((c.set, c.variant)).or_default() += 1;
    }
    writeln!(
        out,
        "name screening evaluation: {} queries against {} listed parties ({} names)",
        cases.len(),
        screener.entity_count(),
        screener.name_count()
    )?;
    write!(out, "{:<10} {:<22} {:>6}", "set", "variant", "n")?;
    for t in CURVE {
        write!(out, " {:>7}", format!("@{t:.2}"))?;
    }
    writeln!(out)?;
    // Per (set, variant) and threshold: found (lists) or cleared (ordinary names).
    let mut good: BTreeMap<(&str, &str), [usize; CURVE.len()]> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    let mut missed: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for c in &cases {
        let row = good.entry((c.set, c.variant)).or_default();
        for (i, t) in CURVE.iter().enumerate() {
            let hits = screener.screen_name(
                &NameQuery {
                    name: &c.query,
                    kind: NameKind::Unknown,
                    ..Default::default()
                },
                *t,
            );
            let ok = match &c.expected {
                Some(id) => hits.iter().any(|h| &h.entity.id == id),
                None => hits.is_empty(),
            };
            if ok {
                row[i] += 1;
            } else if *t == redflag_watchlist::DEFAULT_THRESHOLD && {
                let shown = missed.entry((c.set, c.variant)).or_default();
                *shown += 1;
                *shown <= EXAMPLES
            } {
                misses.push(format!(
                    "{} {}: {:?} → {}",
                    c.set,
                    c.variant,
                    c.query,
                    match (&c.expected, hits.first()) {
                        (Some(id), Some(h)) => format!("expected {id}, got {}", h.entity.id),
                        (Some(id), None) => format!("expected {id}, no hit"),
                        (None, Some(h)) => {
                            format!("hit {} {:?} ({:.3})", h.entity.id, h.matched, h.score)
                        }
                        (None, None) => String::new(),
                    }
                ));
            }
        }
    }
    let mut totals: BTreeMap<&str, ([usize; CURVE.len()], usize)> = BTreeMap::new();
    for ((set, variant), row) in &good {
        let n = counts[&(*set, *variant)];
        write!(out, "{set:<10} {variant:<22} {n:>6}")?;
        for v in row {
            write!(out, " {:>6.1}%", 100.0 * *v as f64 / n.max(1) as f64)?;
        }
        writeln!(out)?;
        let total = totals.entry(set).or_default();
        for (a, b) in total.0.iter_mut().zip(row) {
            *a += b;
        }
        total.1 += n;
    }
    for (set, (row, n)) in &totals {
        let what = if *set == "ordinary" {
            "clear rate"
        } else {
            "recall"
        };
        write!(out, "{set:<10} {:<22} {n:>6}", format!("all ({what})"))?;
        for v in row {
            write!(out, " {:>6.1}%", 100.0 * *v as f64 / (*n).max(1) as f64)?;
        }
        writeln!(out)?;
    }
    if !misses.is_empty() {
        writeln!(out, "examples at the default threshold:")?;
        for m in misses {
            writeln!(out, "  {m}")?;
        }
    }
    Ok(())
}

/// Every `step`-th item so that at most `PER_VARIANT` remain.
fn spread<T>(items: Vec<T>) -> Vec<T> {
    let step = items.len().div_ceil(PER_VARIANT).max(1);
    items.into_iter().step_by(step).collect()
}

fn title_case(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "SURNAME, Given Names" → "Given Names Surname"; other names in title case.
fn natural(name: &str) -> String {
    let turned = match name.split_once(',') {
        Some((surname, given)) => format!("{} {}", given.trim(), surname.trim()),
        None => name.to_owned(),
    };
    turned
        .split_whitespace()
        .map(title_case)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One adjacent transposition in the middle of the longest word.
fn transposed(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let (at, longest) = words
        .iter()
        .enumerate()
        .max_by_key(|(_, w)| w.chars().count())?;
    let chars: Vec<char> = longest.chars().collect();
    if chars.len() < 5 || !chars.iter().all(|c| c.is_alphabetic()) {
        return None;
    }
    let mid = chars.len() / 2;
    if chars[mid] == chars[mid - 1] {
        return None;
    }
    let mut swapped = chars.clone();
    swapped.swap(mid - 1, mid);
    let mut words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    words[at] = swapped.into_iter().collect();
    Some(words.join(" "))
}

fn alias_cases(entities: &[Entity]) -> Vec<Case> {
    let mut listed = Vec::new();
    for e in entities {
        for a in &e.aliases {
            if a.name.chars().all(|c| c.is_ascii() || c.is_alphabetic()) && a.name.len() >= 4 {
                listed.push((e, a.name.clone()));
            }
        }
    }
    let listed = spread(listed);
    let mut cases = Vec::new();
    for (e, name) in &listed {
        let case = |variant, query: String| Case {
            set: "aliases",
            variant,
            query,
            expected: Some(e.id.clone()),
        };
        cases.push(case("as listed", name.clone()));
        cases.push(case("natural order", natural(name)));
        if let Some(t) = transposed(name) {
            cases.push(case("one transposition", t));
        }
        if e.kind == EntityKind::Organization && !redflag_names::has_legal_form(name) {
            cases.push(case("legal form added", format!("{} Ltd.", natural(name))));
        }
    }
    cases
}

/// Whether every word of a name is one romanised Korean syllable as the DPRK writes
/// names (Kim Jong Un, Pak Jin Hyok), so it can be written in Hangul.
fn korean_syllables(name: &str) -> Option<Vec<char>> {
    let turned = match name.split_once(',') {
        Some((surname, given)) => format!("{surname} {given}"),
        None => name.to_owned(),
    };
    let words: Vec<String> = turned
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('\'', ""))
        .collect();
    if !(2..=4).contains(&words.len()) {
        return None;
    }
    words.iter().map(|w| hangul(w)).collect()
}

/// One romanised syllable (DPRK or McCune–Reischauer spelling, apostrophes dropped) in
/// Hangul. Where the romanisation does not say, o is ㅗ in an open syllable (Ko, O,
/// Jo) and ㅓ in a closed one (Chol, Jong), u is ㅜ: the usual readings in names.
fn hangul(word: &str) -> Option<char> {
    const ONSETS: [(&str, u32); 19] = [
        ("kk", 1),
        ("tt", 4),
        ("pp", 8),
        ("ss", 10),
        ("jj", 13),
        ("ch", 12),
        ("kh", 15),
        ("th", 16),
        ("ph", 17),
        ("k", 0),
        ("g", 0),
        ("n", 2),
        ("t", 3),
        ("d", 3),
        ("r", 5),
        ("l", 5),
        ("m", 6),
        ("p", 7),
        ("b", 7),
    ];
    const MORE_ONSETS: [(&str, u32); 3] = [("s", 9), ("j", 12), ("h", 18)];
    const VOWELS: [(&str, u32); 21] = [
        ("yae", 3),
        ("wae", 10),
        ("ae", 1),
        ("ya", 2),
        ("yo", 6),
        ("ye", 7),
        ("wa", 9),
        ("oe", 11),
        ("wo", 14),
        ("we", 15),
        ("wi", 16),
        ("yu", 17),
        ("ui", 19),
        ("eu", 18),
        ("a", 0),
        ("o", 4),
        ("e", 5),
        ("u", 13),
        ("i", 20),
        ("y", 20),
        ("w", 13),
    ];
    const CODAS: [(&str, u32); 8] = [
        ("ng", 21),
        ("k", 1),
        ("n", 4),
        ("t", 7),
        ("l", 8),
        ("m", 16),
        ("p", 17),
        ("", 0),
    ];
    // "ch" is ㅈ in most names (Cho, Chol) once apostrophes are gone; ㅊ in Choe (최).
    if let Some(rest) = word.strip_prefix("choe") {
        let coda = CODAS.iter().find(|(s, _)| *s == rest).map(|(_, i)| *i)?;
        return char::from_u32(0xAC00 + (14 * 21 + 11) * 28 + coda);
    }
    let (onset, rest) = ONSETS
        .iter()
        .chain(MORE_ONSETS.iter())
        .find_map(|(s, i)| word.strip_prefix(s).map(|r| (*i, r)))
        .unwrap_or((11, word));
    let (vowel, rest) = VOWELS
        .iter()
        .find_map(|(s, i)| rest.strip_prefix(s).map(|r| (*i, r)))?;
    let coda = CODAS.iter().find(|(s, _)| *s == rest).map(|(_, i)| *i)?;
    let vowel = if vowel == 4 && coda == 0 { 8 } else { vowel };
    char::from_u32(0xAC00 + (onset * 21 + vowel) * 28 + coda)
}

/// A Hangul syllable as Kontsevich writes it in Russian Cyrillic.
fn kontsevich(c: char) -> Option<String> {
    const INITIAL: [&str; 19] = [
        "к", "кк", "н", "т", "тт", "р", "м", "п", "пп", "с", "сс", "", "ч", "чч", "чх", "кх", "тх",
        "пх", "х",
    ];
    const MEDIAL: [&str; 21] = [
        "а", "э", "я", "йе", "о", "е", "ё", "йе", "о", "ва", "вэ", "вэ", "ё", "у", "во", "ве",
        "ви", "ю", "ы", "ый", "и",
    ];
    const FINAL: [&str; 28] = [
        "", "к", "к", "к", "н", "н", "н", "т", "ль", "к", "м", "ль", "ль", "ль", "п", "ль", "м",
        "п", "п", "т", "т", "н", "т", "т", "к", "т", "п", "т",
    ];
    let offset = (c as u32).checked_sub(0xAC00)?;
    let (i, m, f) = (
        (offset / 588) as usize,
        ((offset % 588) / 28) as usize,
        (offset % 28) as usize,
    );
    Some(format!(
        "{}{}{}",
        INITIAL.get(i)?,
        MEDIAL.get(m)?,
        FINAL.get(f)?
    ))
}

fn korean_cases(entities: &[Entity]) -> Vec<Case> {
    let dprk: Vec<&Entity> = entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
        .filter(|e| {
            e.nationalities.iter().any(|n| n == "KP")
                || e.programs
                    .iter()
                    .any(|p| p.contains("DPRK") || p.contains("KP"))
        })
        .collect();
    let mut cases = Vec::new();
    for e in spread(dprk) {
        let Some(syllables) = korean_syllables(&e.primary_name) else {
            continue;
        };
        let case = |variant, query: String| Case {
            set: "korean",
            variant,
            query,
            expected: Some(e.id.clone()),
        };
        let words: Vec<&str> = e
            .primary_name
            .split(|c: char| c.is_whitespace() || c == ',' || c == '-')
            .filter(|w| !w.is_empty())
            .collect();
        let hangul: String = syllables.iter().collect();
        // The same Hangul romanised the South's way (Revised Romanization) and the way
        // people write it (Park, Lee, hyphenated given names).
        let readings = redflag_names::transliterate(&hangul);
        if let Some(revised) = readings.first() {
            cases.push(case("Revised Romanization", revised.clone()));
        }
        if let Some(popular) = readings.get(3).or(readings.last()) {
            cases.push(case("popular spelling", popular.clone()));
        }
        if words.len() >= 3 {
            let given: Vec<String> = words[1..].iter().map(|w| w.to_lowercase()).collect();
            cases.push(case(
                "given name joined",
                format!("{} {}", title_case(&given.join("-")), title_case(words[0])),
            ));
        }
        cases.push(case("Hangul", hangul));
        if let Some(cyrillic) = syllables
            .iter()
            .map(|c| kontsevich(*c).map(|s| title_case(&s)))
            .collect::<Option<Vec<_>>>()
        {
            cases.push(case("Cyrillic (Kontsevich)", cyrillic.join(" ")));
        }
        if let Some(hanja) = syllables
            .iter()
            .map(|c| redflag_names::hanja_of(*c))
            .collect::<Option<String>>()
        {
            cases.push(case("Hanja", hanja));
        }
    }
    cases
}

fn ordinary_cases() -> Result<Vec<Case>> {
    let config = redflag_synth::Config {
        subjects: 6000,
        persona_share: 0.0,
        lookalike_share: 0.0,
        records_per_subject: 1,
        ..redflag_synth::Config::default()
    };
    let mut names: Vec<String> = Vec::new();
    redflag_synth::generate(&config, &mut |r| {
        if let Record::Subject(s) = r
            && let Some(name) = &s.name
            && !names.contains(name)
        {
            names.push(name.clone());
        }
        Ok(())
    })?;
    Ok(spread(names)
        .into_iter()
        .map(|query| Case {
            set: "ordinary",
            variant: "synthetic freelancers",
            query,
            expected: None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romanised_syllables_become_hangul_and_cyrillic() {
        assert_eq!(
            korean_syllables("PAK, Jin Hyok"),
            Some(vec!['박', '진', '혁'])
        );
        assert_eq!(
            korean_syllables("KIM, Jong Un"),
            Some(vec!['김', '정', '운'])
        );
        assert_eq!(korean_syllables("Vladimir Putin"), None);
        assert_eq!(kontsevich('박').as_deref(), Some("пак"));
        assert_eq!(kontsevich('혁').as_deref(), Some("хёк"));
        assert_eq!(natural("PARK, Jin Hyok"), "Jin Hyok Park");
        assert_eq!(
            transposed("Lazarus Group").as_deref(),
            Some("Laazrus Group")
        );
    }
}

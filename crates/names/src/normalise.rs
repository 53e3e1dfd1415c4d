//! Normalisation: Unicode NFKC, case folding, diacritics removed, Hangul and Cyrillic
//! transliterated, punctuation split (apostrophes joined, dotted abbreviations like S.A.
//! kept as one token), organisation legal forms dropped. Token order is kept here; the
//! scorer is what ignores it.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::NameKind;
use crate::korean::{self, System};
use crate::translit::{self, Scheme};

/// What a token is known to be, from the way the name was written (a list's
/// "SURNAME, Given" comma, or a Hangul surname). Used to weigh a missing surname more
/// than a missing middle name and to label explanations; never to judge the name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Unknown,
    Surname,
    Given,
}

/// A normalised token and its role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) text: String,
    pub(crate) role: Role,
}

/// Normalises a name into lower-case tokens: NFKC, case folding, diacritics removed
/// (é → e, ß → ss, ø → o, đ → d, ł → l, æ → ae), Hangul romanised (Revised Romanization,
/// surname split from the given name) and Cyrillic transliterated (passport style),
/// punctuation and hyphens split tokens, apostrophes are dropped (O'Brien → obrien),
/// dotted abbreviations join (S.A. → sa). For organisations legal forms are dropped
/// (Co., Ltd., LLC, JSC, GmbH, S.A., "joint stock company"…) unless nothing else is left;
/// for names of unknown kind only the unambiguous ones (not two-letter forms such as
/// "SA" or "AG", which can be parts of a person's name). Words such as "Group",
/// "Holding" or "Trading" are kept: they tell organisations apart.
pub fn normalise(name: &str, kind: NameKind) -> Vec<String> {
    tokens(name, kind).into_iter().map(|t| t.text).collect()
}

/// A token as it comes out of the scanner, with what surrounded it.
struct Raw {
    text: String,
    role: Role,
    /// A '.' followed the token directly.
    dot_after: bool,
    /// The token followed a '.' directly (no space): "S.A" → "A".
    dot_before: bool,
}

pub(crate) fn tokens(name: &str, kind: NameKind) -> Vec<Token> {
    let chars: Vec<char> = name.nfkc().collect();
    let mut raws: Vec<Raw> = Vec::new();
    let mut buf = String::new();
    let mut buf_dot_before = false;
    let mut pending_dot = false;
    let mut comma_at: Option<usize> = None;
    let mut first_hangul_word = true;

    let flush = |raws: &mut Vec<Raw>, buf: &mut String, dot_before: bool, dot_after: bool| {
        if !buf.is_empty() {
            raws.push(Raw {
                text: std::mem::take(buf),
                role: Role::Unknown,
                dot_after,
                dot_before,
            });
        }
    };

    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if korean::is_syllable(c) {
            flush(&mut raws, &mut buf, buf_dot_before, false);
            let start = i;
            while i < chars.len() && korean::is_syllable(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            hangul_tokens(
                &run,
                first_hangul_word && kind != NameKind::Organization,
                &mut raws,
            );
            first_hangul_word = false;
            pending_dot = false;
            continue;
        }
        if translit::is_cyrillic(c) {
            let start = i;
            while i < chars.len() && translit::is_cyrillic(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            if buf.is_empty() {
                buf_dot_before = pending_dot;
                pending_dot = false;
            }
            buf.push_str(&translit::cyrillic_word(&run, Scheme::Passport));
            continue;
        }
        i += 1;
        match c {
            // Apostrophes join: O'Brien, Rifa'i, Ma'ruf, and the Uzbek/Hawaiian okina.
            '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´' | '′' => continue,
            '.' => {
                let had_token = !buf.is_empty();
                flush(&mut raws, &mut buf, buf_dot_before, true);
                pending_dot = had_token;
                continue;
            }
            ',' => {
                flush(&mut raws, &mut buf, buf_dot_before, false);
                if comma_at.is_none() {
                    comma_at = Some(raws.len());
                }
                pending_dot = false;
                continue;
            }
            _ => {}
        }
        let mut separator = false;
        fold(c, |f| {
            if f.is_alphanumeric() {
                if buf.is_empty() {
                    buf_dot_before = pending_dot;
                    pending_dot = false;
                }
                buf.push(f);
            } else {
                separator = true;
            }
        });
        if separator {
            flush(&mut raws, &mut buf, buf_dot_before, false);
            pending_dot = false;
        }
    }
    flush(&mut raws, &mut buf, buf_dot_before, false);

    // "SURNAME, Given Names" is how lists write people; only trust it for people, since
    // organisation names carry commas for other reasons ("… CO., LTD.").
    if kind == NameKind::Person
        && let Some(at) = comma_at.filter(|at| *at > 0 && *at < raws.len())
    {
        for (n, raw) in raws.iter_mut().enumerate() {
            if raw.role == Role::Unknown {
                raw.role = if n < at { Role::Surname } else { Role::Given };
            }
        }
    }

    let mut out = join_abbreviations(raws);
    if kind != NameKind::Person {
        drop_legal_forms(&mut out, kind == NameKind::Organization);
    }
    out
}

/// Romanises one Hangul word (Revised Romanization, which lists and the South use), split
/// into surname and given name when it is the first word of a person's name.
fn hangul_tokens(run: &str, may_hold_surname: bool, raws: &mut Vec<Raw>) {
    let (surname, rest) = translit::split_hangul_name(run, may_hold_surname, System::Revised);
    let given = korean::romanise_syllables(&rest, System::Revised).concat();
    let has_surname = surname.is_some();
    if let Some(surname) = surname {
        raws.push(Raw {
            text: surname.to_lowercase(),
            role: Role::Surname,
            dot_after: false,
            dot_before: false,
        });
    }
    if !given.is_empty() {
        let after_surname = has_surname || raws.iter().any(|r| r.role == Role::Surname);
        raws.push(Raw {
            text: given,
            role: if after_surname {
                Role::Given
            } else {
                Role::Unknown
            },
            dot_after: false,
            dot_before: false,
        });
    }
}

/// Joins chains of single letters written with dots and no spaces ("S.A.", "U.S.A.",
/// "L.L.C.") into one token, so the abbreviation can be recognised; spaced initials
/// ("J. R. Smith") stay separate.
fn join_abbreviations(raws: Vec<Raw>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(raws.len());
    let mut chain_open = false;
    for raw in raws {
        let single = raw.text.chars().count() == 1;
        if chain_open && single && raw.dot_before {
            if let Some(last) = out.last_mut() {
                last.text.push_str(&raw.text);
            }
        } else {
            out.push(Token {
                text: raw.text,
                role: raw.role,
            });
        }
        chain_open = single
            && raw.dot_after
            && (chain_open || out.last().is_some_and(|t| t.text.chars().count() == 1));
    }
    out
}

/// Lower-cases one character and strips its diacritics, calling `emit` for each
/// resulting character. Letters that do not decompose are mapped by hand.
fn fold(c: char, mut emit: impl FnMut(char)) {
    for lower in c.to_lowercase() {
        decompose_canonical(lower, |d| {
            if is_combining_mark(d) {
                return;
            }
            match d {
                'ß' => {
                    emit('s');
                    emit('s');
                }
                'æ' => {
                    emit('a');
                    emit('e');
                }
                'œ' => {
                    emit('o');
                    emit('e');
                }
                'þ' => {
                    emit('t');
                    emit('h');
                }
                'ŋ' => {
                    emit('n');
                    emit('g');
                }
                'ø' => emit('o'),
                'đ' | 'ð' => emit('d'),
                'ł' | 'ŀ' => emit('l'),
                'ı' | 'ɨ' => emit('i'),
                'ħ' => emit('h'),
                'ĸ' => emit('k'),
                'ſ' => emit('s'),
                'ƒ' => emit('f'),
                'ŧ' => emit('t'),
                'ə' => emit('e'),
                other => emit(other),
            }
        });
    }
}

/// Legal-form phrases (normalised tokens). Multi-word forms first in spirit: the longest
/// phrase starting at a token wins.
const LEGAL_FORMS: &[&[&str]] = &[
    &["co"],
    &["company"],
    &["companies"],
    &["corp"],
    &["corporation"],
    &["inc"],
    &["incorporated"],
    &["ltd"],
    &["ltda"],
    &["limited"],
    &["llc"],
    &["llp"],
    &["lp"],
    &["plc"],
    &["gmbh"],
    &["ag"],
    &["kg"],
    &["jsc"],
    &["ojsc"],
    &["pjsc"],
    &["cjsc"],
    &["ooo"],
    &["oao"],
    &["zao"],
    &["pao"],
    &["ao"],
    &["tov"],
    &["sa"],
    &["sas"],
    &["sarl"],
    &["srl"],
    &["spa"],
    &["bv"],
    &["nv"],
    &["pte"],
    &["pty"],
    &["pvt"],
    &["bhd"],
    &["fze"],
    &["fzco"],
    &["fzc"],
    &["fzllc"],
    &["kft"],
    &["zrt"],
    &["doo"],
    &["ab"],
    &["oy"],
    &["sl"],
    &["cia"],
    &["sti"],
    &["the"],
    &["co", "ltd"],
    &["pte", "ltd"],
    &["pvt", "ltd"],
    &["sdn", "bhd"],
    &["fz", "llc"],
    &["fz", "co"],
    &["sa", "de", "cv"],
    &["s", "a"],
    &["sp", "z", "oo"],
    &["private", "limited"],
    &["company", "limited"],
    &["limited", "company"],
    &["joint", "stock", "company"],
    &["public", "joint", "stock", "company"],
    &["open", "joint", "stock", "company"],
    &["closed", "joint", "stock", "company"],
    &["limited", "liability", "company"],
    &["limited", "liability", "partnership"],
    &["aktsionernoe", "obshchestvo"],
    &["publichnoe", "aktsionernoe", "obshchestvo"],
    &["otkrytoe", "aktsionernoe", "obshchestvo"],
    &["zakrytoe", "aktsionernoe", "obshchestvo"],
    // Russian LLC in the spellings lists use (BGN, ICAO, Library of Congress).
    &["obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"],
    &["obshchestvo", "s", "ogranichennoi", "otvetstvennostyu"],
    &["obshchestvo", "s", "ogranichennoi", "otvetstvennostiu"],
    &["obshchestvo", "s", "ogranichennoy", "otvetstvennostiu"],
    &["obshchestvo", "s", "ogranichennoi", "otvetstvennostiyu"],
    &["aktsionernoye", "obshchestvo"],
    &["publichnoye", "aktsionernoye", "obshchestvo"],
    &["otkrytoye", "aktsionernoye", "obshchestvo"],
    &["zakrytoye", "aktsionernoye", "obshchestvo"],
    &["tovarystvo", "z", "obmezhenoyu", "vidpovidalnistyu"],
    &["sociedad", "anonima"],
    &["sociedad", "limitada"],
    &["societe", "anonyme"],
    &["sociedade", "anonima"],
];

/// Legal forms indexed by their first token.
fn legal_forms() -> &'static FxHashMap<&'static str, Vec<&'static [&'static str]>> {
    static MAP: OnceLock<FxHashMap<&'static str, Vec<&'static [&'static str]>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: FxHashMap<&'static str, Vec<&'static [&'static str]>> = FxHashMap::default();
        for phrase in LEGAL_FORMS {
            if let Some(first) = phrase.first() {
                map.entry(*first).or_default().push(phrase);
            }
        }
        for phrases in map.values_mut() {
            phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        }
        map
    })
}

/// Removes legal-form phrases. `all` = organisation: every form; otherwise (unknown kind)
/// single two-letter forms are kept. Nothing is removed if nothing would remain.
fn drop_legal_forms(tokens: &mut Vec<Token>, all: bool) {
    let forms = legal_forms();
    let mut keep = vec![true; tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        let found = forms.get(tokens[i].text.as_str()).and_then(|phrases| {
            phrases.iter().find(|p| {
                p.len() <= tokens.len() - i
                    && p.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.text)
                    && (all || p.len() > 1 || p[0].len() > 2)
            })
        });
        match found {
            Some(phrase) => {
                keep[i..i + phrase.len()]
                    .iter_mut()
                    .for_each(|k| *k = false);
                i += phrase.len();
            }
            None => i += 1,
        }
    }
    if keep.iter().any(|k| *k) {
        let mut flags = keep.into_iter();
        tokens.retain(|_| flags.next().unwrap_or(true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str, kind: NameKind) -> Vec<String> {
        normalise(s, kind)
    }

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(n("José Müller", NameKind::Person), ["jose", "muller"]);
        assert_eq!(
            n("Straße Øster Đorđe Łukasz", NameKind::Person),
            ["strasse", "oster", "dorde", "lukasz"]
        );
        assert_eq!(n("ＫＩＭ　Ｊｏｎｇ", NameKind::Person), ["kim", "jong"]);
        assert_eq!(n("İlkay Gündoğan", NameKind::Person), ["ilkay", "gundogan"]);
    }

    #[test]
    fn punctuation_and_apostrophes() {
        assert_eq!(n("O'Brien, Seán", NameKind::Person), ["obrien", "sean"]);
        assert_eq!(
            n("AL-MASRI, Abu Hafs", NameKind::Person),
            ["al", "masri", "abu", "hafs"]
        );
        assert_eq!(n("Jin-Hyok", NameKind::Person), ["jin", "hyok"]);
        assert_eq!(n("J. R. Smith", NameKind::Person), ["j", "r", "smith"]);
    }

    #[test]
    fn roles_from_list_format() {
        let t = tokens("PAK, Jin Hyok", NameKind::Person);
        assert_eq!(t[0].role, Role::Surname);
        assert_eq!(t[1].role, Role::Given);
        let t = tokens("박진혁", NameKind::Person);
        assert_eq!(
            t.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
            ["bak", "jinhyeok"]
        );
        assert_eq!(t[0].role, Role::Surname);
    }

    #[test]
    fn legal_forms_dropped_for_organisations() {
        assert_eq!(
            n("KOREA SOBAEKSU TRADING CO.", NameKind::Organization),
            ["korea", "sobaeksu", "trading"]
        );
        assert_eq!(
            n("Korea Sobaeksu Trading Company", NameKind::Organization),
            ["korea", "sobaeksu", "trading"]
        );
        assert_eq!(
            n("ANGLO-CARIBBEAN CO., LTD.", NameKind::Organization),
            ["anglo", "caribbean"]
        );
        assert_eq!(
            n("DISTRIBUIDORA DE ELEMENTOS S.A.", NameKind::Organization),
            ["distribuidora", "de", "elementos"]
        );
        assert_eq!(
            n(
                "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU KOMPANIYA",
                NameKind::Organization
            ),
            ["kompaniya"]
        );
        assert_eq!(
            n("Htoo Group of Companies", NameKind::Organization),
            ["htoo", "group", "of"]
        );
        // A name that is only a legal form keeps it.
        assert_eq!(n("Limited", NameKind::Organization), ["limited"]);
        // Unknown kind: unambiguous forms go, two-letter ones stay.
        assert_eq!(
            n("Acme Trading SA", NameKind::Unknown),
            ["acme", "trading", "sa"]
        );
        assert_eq!(
            n("Acme Trading LLC", NameKind::Unknown),
            ["acme", "trading"]
        );
        // People keep every word.
        assert_eq!(n("Sa Company", NameKind::Person), ["sa", "company"]);
    }

    #[test]
    fn scripts() {
        assert_eq!(n("Владимир Путин", NameKind::Person), ["vladimir", "putin"]);
        assert_eq!(n("박 진혁", NameKind::Person), ["bak", "jinhyeok"]);
        assert_eq!(n("王伟", NameKind::Person), ["王伟"]);
    }
}

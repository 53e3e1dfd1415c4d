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
use crate::scripts;
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
    /// Other readings of the same written token (a Cyrillic syllable read as Korean, a
    /// Chinese character's Sino-Korean and Mandarin readings), most usual first.
    pub(crate) alts: Vec<String>,
    /// Written in an abjad (Arabic, Persian, Hebrew): its short vowels are missing.
    pub(crate) abjad: bool,
    /// Written with dots (S.A., Co.): an abbreviation.
    pub(crate) dotted: bool,
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
    alts: Vec<String>,
    abjad: bool,
    /// A '.' followed the token directly.
    dot_after: bool,
    /// The token followed a '.' directly (no space): "S.A" → "A".
    dot_before: bool,
}

pub(crate) fn tokens(name: &str, kind: NameKind) -> Vec<Token> {
    let mut out = scan(name, kind);
    if kind != NameKind::Organization {
        drop_titles(&mut out);
    }
    if kind != NameKind::Person {
        drop_legal_forms(&mut out, kind == NameKind::Organization);
    }
    out
}

/// The tokens as written, titles and legal forms still in.
fn scan(name: &str, kind: NameKind) -> Vec<Token> {
    let chars: Vec<char> = name.nfkc().collect();
    let mut raws: Vec<Raw> = Vec::new();
    let mut buf = String::new();
    let mut buf_dot_before = false;
    // Readings of the buffer when it holds one Cyrillic word and nothing else.
    let mut buf_alts: Option<Vec<String>> = None;
    let mut buf_abjad = false;
    let mut pending_dot = false;
    let mut comma_at: Option<usize> = None;
    let mut first_hangul_word = true;

    let flush = |raws: &mut Vec<Raw>,
                 buf: &mut String,
                 alts: &mut Option<Vec<String>>,
                 abjad: &mut bool,
                 dot_before: bool,
                 dot_after: bool| {
        if !buf.is_empty() {
            let text = std::mem::take(buf);
            let mut readings = alts.take().unwrap_or_default();
            readings.retain(|r| *r != text);
            raws.push(Raw {
                text,
                role: Role::Unknown,
                alts: readings,
                abjad: *abjad,
                dot_after,
                dot_before,
            });
        }
        *alts = None;
        *abjad = false;
    };

    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if korean::is_syllable(c) {
            flush(
                &mut raws,
                &mut buf,
                &mut buf_alts,
                &mut buf_abjad,
                buf_dot_before,
                false,
            );
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
        if scripts::is_han(c) {
            flush(
                &mut raws,
                &mut buf,
                &mut buf_alts,
                &mut buf_abjad,
                buf_dot_before,
                false,
            );
            let start = i;
            while i < chars.len() && scripts::is_han(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            han_tokens(&run, kind != NameKind::Organization, &mut raws);
            pending_dot = false;
            continue;
        }
        if translit::is_cyrillic(c) {
            let start = i;
            while i < chars.len() && translit::is_cyrillic(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let lower: String = run.chars().flat_map(char::to_lowercase).collect();
            if buf.is_empty() {
                buf_dot_before = pending_dot;
                pending_dot = false;
                buf_alts = scripts::kontsevich_readings(&lower);
            } else {
                buf_alts = None;
            }
            buf.push_str(&translit::cyrillic_word(&run, Scheme::Passport));
            continue;
        }
        if scripts::is_other_script(c) {
            let start = i;
            while i < chars.len() && scripts::is_other_script(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            if buf.is_empty() {
                buf_dot_before = pending_dot;
                pending_dot = false;
            }
            buf_abjad |= run.chars().any(scripts::is_abjad);
            buf_alts = None;
            buf.push_str(&scripts::other_script(&run));
            continue;
        }
        // "VladimirPutin": a capital after a small letter and before one starts a new
        // word ("GmbH" stays one).
        if c.is_uppercase()
            && i > 0
            && chars[i - 1].is_lowercase()
            && chars.get(i + 1).is_some_and(|n| n.is_lowercase())
            && !buf.is_empty()
        {
            flush(
                &mut raws,
                &mut buf,
                &mut buf_alts,
                &mut buf_abjad,
                buf_dot_before,
                false,
            );
        }
        i += 1;
        match c {
            // Apostrophes join: O'Brien, Rifa'i, Ma'ruf, and the Uzbek/Hawaiian okina.
            '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´' | '′' => continue,
            '.' => {
                let had_token = !buf.is_empty();
                flush(
                    &mut raws,
                    &mut buf,
                    &mut buf_alts,
                    &mut buf_abjad,
                    buf_dot_before,
                    true,
                );
                pending_dot = had_token;
                continue;
            }
            ',' => {
                flush(
                    &mut raws,
                    &mut buf,
                    &mut buf_alts,
                    &mut buf_abjad,
                    buf_dot_before,
                    false,
                );
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
                buf_alts = None;
            } else {
                separator = true;
            }
        });
        if separator {
            flush(
                &mut raws,
                &mut buf,
                &mut buf_alts,
                &mut buf_abjad,
                buf_dot_before,
                false,
            );
            pending_dot = false;
        }
    }
    flush(
        &mut raws,
        &mut buf,
        &mut buf_alts,
        &mut buf_abjad,
        buf_dot_before,
        false,
    );

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

    join_abbreviations(raws)
}

/// A run of Chinese characters: for a person (or a name of unknown kind) of two to four
/// characters, the first is the surname and the rest the given name, as Korean and
/// Chinese names are written; otherwise one token. Each token carries its Sino-Korean
/// and Mandarin readings, and its text stays the characters, so it also meets the same
/// characters on a list.
fn han_tokens(run: &str, may_be_person: bool, raws: &mut Vec<Raw>) {
    let count = run.chars().count();
    let parts: Vec<(String, Role)> = if may_be_person && (2..=4).contains(&count) {
        let split = run.char_indices().nth(1).map_or(run.len(), |(i, _)| i);
        vec![
            (run[..split].to_string(), Role::Surname),
            (run[split..].to_string(), Role::Given),
        ]
    } else {
        vec![(run.to_string(), Role::Unknown)]
    };
    for (text, role) in parts {
        raws.push(Raw {
            alts: scripts::han_readings(&text),
            text,
            role,
            abjad: false,
            dot_after: false,
            dot_before: false,
        });
    }
}

/// Titles and honorifics written before a name ("Dr.", "President", "Präsident",
/// "H.E.", "Colonel"): they say nothing about who someone is. Dropped only before at
/// least two more words, the same way for a person's name and one of unknown kind (so a
/// query and a listed name lose the same words): "Colonel Rock" or "General Electric" is
/// a name in itself.
const TITLES: &[&str] = &[
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
    "sir",
    "dame",
    "herr",
    "frau",
    "monsieur",
    "madame",
    "mme",
    "mlle",
    "senor",
    "senora",
    "sr",
    "sra",
    "president",
    "prasident",
    "praesident",
    "presidente",
    "he",
    "excellency",
    "hon",
    "honourable",
    "honorable",
    "rev",
    "reverend",
    "comrade",
    "tovarishch",
    "gospodin",
    "general",
    "gen",
    "colonel",
    "col",
    "major",
    "maj",
    "captain",
    "capt",
    "lieutenant",
    "lt",
    "admiral",
    "adm",
    "marshal",
    "minister",
    "lord",
    "lady",
];

fn drop_titles(tokens: &mut Vec<Token>) {
    // "H.E." (His Excellency) only with its dots: He is also a surname.
    let leading = tokens
        .iter()
        .take_while(|t| TITLES.contains(&t.text.as_str()) && (t.text != "he" || t.dotted))
        .count();
    if leading > 0 && leading + 2 <= tokens.len() {
        tokens.drain(..leading);
    }
}

/// Legal forms written before the name (Russian and Ukrainian usage: ООО «Ромашка»).
const PREFIX_FORMS: &[&str] = &[
    "ooo", "oao", "zao", "pao", "ao", "tov", "pjsc", "ojsc", "cjsc",
];

/// Whether a name carries a legal form that only organisations have (LLC, Ltd, GmbH,
/// JSC, OOO, S.A., Co., Corp, 주식회사…), so an untyped name can be screened as an
/// organisation. Short forms count only where companies write them (dotted, last, or
/// first for the Russian ones): "Li Ao", "Kim Sa Rang" or "Sas Smith" are people.
pub fn has_legal_form(name: &str) -> bool {
    legal_form_at(name, false)
}

/// Whether a name ends or starts with a two-letter legal form written without dots
/// ("GIF SA", "ENIKS AO", but also "Li Ao"): it may be an organisation's, and a caller
/// that does not know should screen it both ways.
pub fn may_have_legal_form(name: &str) -> bool {
    legal_form_at(name, true)
}

fn legal_form_at(name: &str, short_at_ends: bool) -> bool {
    let toks = scan(name, NameKind::Organization);
    let forms = legal_forms();
    let n = toks.len();
    toks.iter().enumerate().any(|(i, t)| {
        forms.get(t.text.as_str()).is_some_and(|phrases| {
            phrases.iter().any(|p| {
                let fits = p.len() <= n - i && p.iter().zip(&toks[i..]).all(|(w, t)| *w == t.text);
                let word = p[0];
                let last = i + 1 == n && n >= 2;
                fits && word != "the"
                    && (p.len() > 1
                        || word.len() > 3
                        || t.dotted
                        || (PREFIX_FORMS.contains(&word) && i == 0 && n >= 2)
                        || (word.len() == 3 && last)
                        || (last && n >= 3)
                        || (short_at_ends && n >= 2 && (last || i == 0)))
            })
        })
    })
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
            alts: Vec::new(),
            abjad: false,
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
            alts: Vec::new(),
            abjad: false,
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
                last.dotted = true;
            }
        } else {
            out.push(Token {
                text: raw.text,
                role: raw.role,
                alts: raw.alts,
                abjad: raw.abjad,
                dotted: raw.dot_after,
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
    // Korean: 주식회사 (joint-stock company), 유한회사 (limited company), 합자회사.
    &["jusikhoesa"],
    &["yuhanhoesa"],
    &["hapjahoesa"],
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
        // Chinese characters: surname and given name, each with its readings.
        assert_eq!(n("王伟", NameKind::Person), ["王", "伟"]);
        let t = tokens("金正恩", NameKind::Unknown);
        assert!(t[0].alts.contains(&"gim".to_string()), "{t:?}");
        assert_eq!(t[1].alts[0], "jeongeun");
        // Korean syllables in Cyrillic also read the Korean way.
        let t = tokens("Ким Чен Ын", NameKind::Person);
        assert!(t[1].alts.contains(&"cheong".to_string()), "{t:?}");
        assert!(tokens("Владимир", NameKind::Person)[0].alts.is_empty());
        assert_eq!(
            n("Βλαντιμίρ Πούτιν", NameKind::Person),
            ["vladimir", "putin"]
        );
        assert_eq!(n("ولادیمیر پوتین", NameKind::Person), ["vladimir", "putin"]);
    }

    #[test]
    fn titles_joined_words_and_legal_forms() {
        assert_eq!(
            n("Dr. Vladimir Putin", NameKind::Person),
            ["vladimir", "putin"]
        );
        assert_eq!(
            n("Präsident Wladimir Putin", NameKind::Unknown),
            ["wladimir", "putin"]
        );
        assert_eq!(n("Colonel Rock", NameKind::Person), ["colonel", "rock"]);
        assert_eq!(
            n("H.E. Ali Khan Zada", NameKind::Person),
            ["ali", "khan", "zada"]
        );
        assert_eq!(n("HE, Daniel Y.", NameKind::Person), ["he", "daniel", "y"]);
        assert_eq!(
            n("General Electric", NameKind::Unknown),
            ["general", "electric"]
        );
        assert_eq!(n("VladimirPutin", NameKind::Unknown), ["vladimir", "putin"]);
        assert_eq!(n("McDonald", NameKind::Person), ["mc", "donald"]);
        for org in [
            "WISMOTOS S.A.",
            "Acme SAS",
            "AO Kaspersky Lab",
            "Romashka OOO",
            "Mansudae JSC",
            "Acme LLC",
            "Acme Ltd",
            "Acme GmbH",
            "Korea Sobaeksu Trading Co.",
            "Acme Corp",
            "주식회사 조선광선",
            "ООО Ромашка",
        ] {
            assert!(has_legal_form(org), "{org}");
        }
        for person in [
            "Li Ao",
            "Kim Sa Rang",
            "Lee Co",
            "Park Jin Hyok",
            "Sas Smith",
        ] {
            assert!(!has_legal_form(person), "{person}");
        }
    }
}

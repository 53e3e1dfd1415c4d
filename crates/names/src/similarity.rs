//! Token similarity: exact, romanisation equivalence (Korean surname classes and the
//! Korean romanisation key), phonetic skeleton (Mohammed/Muhammad, Hussein/Husayn,
//! Khodorkovsky/Hodorkovskiy), and Jaro-Winkler spelling similarity as the core.

use crate::korean;

/// Below this a token pair is not a match at all: it adds nothing to a score and both
/// tokens count as unmatched. Just above 0.8 so that one changed letter in a name of four
/// (Khan/Than, Song/Dong) is a different name unless a romanisation rule says otherwise.
pub(crate) const MIN_TOKEN_SIM: f32 = 0.82;
/// Two spellings of one Korean surname (Park/Pak/Bak): as good as equal, a hair below so
/// an exact spelling still ranks first.
const SURNAME_CLASS_SIM: f32 = 0.96;
/// Same Korean romanisation key (Jin-Hyok / Chin-Hyok / Jin-Hyeok).
const ROMANISATION_SIM: f32 = 0.93;
/// Same consonant skeleton (Mohammed / Muhammad): likely one name, less certain than a
/// romanisation rule because vowels were thrown away.
const SKELETON_SIM: f32 = 0.88;
/// Spelling similarity two tokens need before their shared skeleton counts.
const SKELETON_MIN_SPELLING: f32 = 0.75;
/// One adjacent transposition or one doubled or undoubled letter in a token of four
/// letters or more (Ptuin/Putin, Puttin/Putin): the slips of typing, likelier than a
/// changed letter to be the same name.
const TYPO_SIM: f32 = 0.93;
/// An initial for a name that starts with it (V. / Vladimir): it agrees with the name
/// without saying much, so a name matched by an initial only scores a hit when the rest
/// of the name carries it ("V. Putin", not "Daniel Young" for "HE, Daniel Y.").
pub(crate) const INITIAL_SIM: f32 = 0.75;

/// What made two tokens match, for explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Relation {
    /// The same normalised spelling.
    Exact,
    /// Different romanisations of the same Korean name or syllables.
    Romanisation,
    /// Same sound skeleton (vowel and transliteration differences).
    Phonetic,
    /// Close spelling (typo, one letter), by Jaro-Winkler.
    Spelling,
    /// An initial standing for a name.
    Initial,
}

/// A normalised token with the keys used to compare it, computed once. Strings rather
/// than boxed strs: these are per query (the index keeps its keys in an arena), and
/// shrinking each key to size would cost a reallocation and a copy apiece.
#[derive(Clone, Debug)]
pub(crate) struct TokenKeys {
    pub(crate) text: String,
    pub(crate) class: Option<u16>,
    pub(crate) romanisation: Option<String>,
    pub(crate) skeleton: Option<String>,
    /// Read from an abjad: vowels missing, so the skeleton alone compares it.
    pub(crate) abjad: bool,
}

impl TokenKeys {
    pub(crate) fn new(text: &str) -> Self {
        let syllabic = korean::is_syllabic(text);
        TokenKeys {
            text: text.into(),
            class: korean::surname_class(text),
            romanisation: syllabic.then(|| korean::romanisation_key(text)),
            skeleton: skeleton(text),
            abjad: false,
        }
    }

    /// Keys of a token read from an abjad (Arabic, Persian, Hebrew), whose every written
    /// h is a real consonant: its skeleton keeps them.
    pub(crate) fn abjad(text: &str) -> Self {
        TokenKeys {
            skeleton: abjad_skeleton(text),
            abjad: true,
            ..TokenKeys::new(text)
        }
    }

    /// Keys for two query tokens joined: a joined match must be exact or a romanisation
    /// equivalence (`score::admissible`), so the skeleton is not computed.
    pub(crate) fn joined(first: &str, second: &str) -> Self {
        let text = format!("{first}{second}");
        let syllabic = korean::is_syllabic(&text);
        TokenKeys {
            class: korean::surname_class(&text),
            romanisation: syllabic.then(|| korean::romanisation_key(&text)),
            skeleton: None,
            abjad: false,
            text,
        }
    }

    /// The keys borrowed, as `token_similarity` takes them.
    pub(crate) fn view(&self) -> KeysRef<'_> {
        KeysRef {
            text: &self.text,
            class: self.class,
            romanisation: self.romanisation.as_deref(),
            skeleton: self.skeleton.as_deref(),
            abjad: self.abjad,
        }
    }

    /// The key under which frequencies are counted: spellings that always compare as
    /// equivalent share a count, so "PAK" is as common as Park + Pak + Bak together.
    pub(crate) fn frequency_key(&self) -> String {
        if let Some(class) = self.class {
            format!("#{}", korean::class_name(class))
        } else if let Some(key) = &self.romanisation {
            format!("~{key}")
        } else {
            self.text.to_string()
        }
    }
}

/// Borrowed token keys: owned by a `TokenKeys` or laid out in the index's key arena.
#[derive(Clone, Copy, Debug)]
pub(crate) struct KeysRef<'a> {
    pub(crate) text: &'a str,
    pub(crate) class: Option<u16>,
    pub(crate) romanisation: Option<&'a str>,
    pub(crate) skeleton: Option<&'a str>,
    pub(crate) abjad: bool,
}

/// Similarity of two tokens and why, or `None` when they do not match.
pub(crate) fn token_similarity(a: KeysRef<'_>, b: KeysRef<'_>) -> Option<(f32, Relation)> {
    if a.text == b.text {
        return Some((1.0, Relation::Exact));
    }
    // The equivalence keys give a floor; a closer spelling (Hassan/Hasan) still wins.
    let key_match = if a.class.is_some() && a.class == b.class {
        Some((SURNAME_CLASS_SIM, Relation::Romanisation))
    } else if a.romanisation.is_some() && a.romanisation == b.romanisation {
        Some((ROMANISATION_SIM, Relation::Romanisation))
    } else {
        None
    };
    let spelling = spelling_similarity(a.text, b.text);
    // A shared skeleton only vouches for spellings that are already alike: vowel-heavy
    // names share short skeletons by accident (Qiang/Cuiying).
    // A token read from an abjad has no short vowels to spell alike: its skeleton is all
    // there is to compare.
    let key_match = key_match.or_else(|| {
        (a.skeleton.is_some()
            && a.skeleton == b.skeleton
            && (spelling >= SKELETON_MIN_SPELLING || a.abjad || b.abjad))
            .then_some((SKELETON_SIM, Relation::Phonetic))
    });
    let spelling = if spelling < TYPO_SIM && typo_variant(a.text.as_bytes(), b.text.as_bytes()) {
        TYPO_SIM
    } else {
        spelling
    };
    // An equivalence keeps its name even when the spelling is closer still (Jinhyeok /
    // Jinhyok is a romanisation difference that happens to be one letter).
    let (sim, relation) = match key_match {
        Some((sim, relation)) => (sim.max(spelling), relation),
        None => (spelling, Relation::Spelling),
    };
    (sim >= MIN_TOKEN_SIM).then_some((sim, relation))
}

/// Jaro-Winkler similarity, made stricter for short tokens where one letter is a large
/// part of the name ("Kim" vs "Kin" is not a typo-level match, "Amini" vs "Amiri" is a
/// different name more often than a typo): for tokens of at most six letters the score is
/// also capped by 1 − edit distance / (length + 1).
pub(crate) fn spelling_similarity(a: &str, b: &str) -> f32 {
    if a.is_ascii() && b.is_ascii() {
        spelling_slices(a.as_bytes(), b.as_bytes())
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        spelling_slices(&a, &b)
    }
}

fn spelling_slices<T: PartialEq>(a: &[T], b: &[T]) -> f32 {
    let jw = jaro_winkler(a, b);
    let longest = a.len().max(b.len());
    if longest <= 6 {
        let lev = levenshtein(a, b) as f64;
        return jw.min(1.0 - lev / (longest + 1) as f64) as f32;
    }
    jw as f32
}

/// Jaro-Winkler with the usual prefix scale 0.1 over at most four letters, applied only
/// above Jaro 0.7 (Winkler's boost threshold).
pub(crate) fn jaro_winkler<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    let jaro = jaro(a, b);
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    jaro + prefix as f64 * 0.1 * (1.0 - jaro)
}

fn jaro<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    // Stack flags for the token lengths names have; a heap fallback for pathological input.
    let mut a_stack = [false; 64];
    let mut b_stack = [false; 64];
    let mut a_heap;
    let mut b_heap;
    let (a_matched, b_matched): (&mut [bool], &mut [bool]) = if a.len() <= 64 && b.len() <= 64 {
        (&mut a_stack[..a.len()], &mut b_stack[..b.len()])
    } else {
        a_heap = vec![false; a.len()];
        b_heap = vec![false; b.len()];
        (&mut a_heap, &mut b_heap)
    };
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut matches = 0usize;
    for (i, x) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_matched[j] && *x == b[j] {
                a_matched[i] = true;
                b_matched[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0usize;
    for (i, x) in a.iter().enumerate() {
        if !a_matched[i] {
            continue;
        }
        while k < b.len() && !b_matched[k] {
            k += 1;
        }
        if k < b.len() && *x != b[k] {
            transpositions += 1;
        }
        k += 1;
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

/// Whether two tokens of four letters or more differ by one adjacent transposition or by
/// one letter doubled.
fn typo_variant(a: &[u8], b: &[u8]) -> bool {
    if a.len().min(b.len()) < 4 || a == b {
        return false;
    }
    if a.len() == b.len() {
        let Some(i) = a.iter().zip(b).position(|(x, y)| x != y) else {
            return false;
        };
        return i + 1 < a.len() && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..];
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    let at = short
        .iter()
        .zip(long)
        .position(|(x, y)| x != y)
        .unwrap_or(short.len());
    long[..at] == short[..at] && long[at + 1..] == short[at..] && at > 0 && long[at] == long[at - 1]
}

/// Levenshtein distance; only called on short tokens (at most six letters), so the two
/// rows live on the stack.
fn levenshtein<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    const ROW: usize = 16;
    if b.len() >= ROW {
        return a.len().max(b.len());
    }
    let mut previous = [0usize; ROW];
    let mut current = [0usize; ROW];
    for (j, p) in previous.iter_mut().enumerate().take(b.len() + 1) {
        *p = j;
    }
    for (i, x) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(x != y);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The skeleton of a token read from an abjad: as for Latin tokens, except that an h is
/// a letter of its own (ح, ه, ה) wherever it stands, not a spelling aid.
fn abjad_skeleton(token: &str) -> Option<String> {
    // Vowels around each h make `skeleton` keep it; they are dropped like all vowels.
    let mut marked = String::with_capacity(token.len() * 2);
    for (i, c) in token.chars().enumerate() {
        if c == 'h' {
            if i > 0 {
                marked.push('a');
            }
            marked.push_str("ha");
        } else {
            marked.push(c);
        }
    }
    skeleton(&marked)
}

/// A consonant skeleton for Latin tokens: transliteration digraphs are unified
/// (kh → h, ph → f, sh/sch → s, ch/tch → c, zh/dzh/dj → j, ts/tz → c, x → ks, q/c → k,
/// w → v, z → s), vowels dropped (a leading vowel kept as a marker), h dropped at the end
/// and between consonants, doubled letters merged. `None` when fewer than three
/// consonants remain: short skeletons match too many unrelated names.
pub(crate) fn skeleton(token: &str) -> Option<String> {
    let b = token.as_bytes();
    if !b.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    let is_vowel = |c: u8| b"aeiouy".contains(&c);
    let mut out: Vec<u8> = Vec::with_capacity(b.len() + 1);
    let mut consonants = 0usize;
    let mut push = |out: &mut Vec<u8>, c: u8| {
        if out.last() != Some(&c) {
            out.push(c);
            consonants += 1;
        }
    };
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let next = rest.get(1).copied();
        let (len, code) = if rest.starts_with(b"sch") {
            (3, b's')
        } else if rest.starts_with(b"tch") {
            (3, b'c')
        } else if rest.starts_with(b"dzh") {
            (3, b'j')
        } else {
            match (rest[0], next) {
                (b's', Some(b'h')) => (2, b's'),
                (b'c', Some(b'h')) => (2, b'c'),
                (b'z', Some(b'h')) | (b'd', Some(b'j')) => (2, b'j'),
                (b'p', Some(b'h')) => (2, b'f'),
                (b'k', Some(b'h')) => (2, b'h'),
                (b'g', Some(b'h')) => (2, b'g'),
                (b't', Some(b'h')) => (2, b't'),
                (b't', Some(b's' | b'z')) => (2, b'c'),
                (b'c', Some(b'k')) => (2, b'k'),
                (b'q' | b'c', _) => (1, b'k'),
                (b'w', _) => (1, b'v'),
                (b'z', _) => (1, b's'),
                (c, _) => (1, c),
            }
        };
        let first = i == 0;
        i += len;
        if len == 1 && is_vowel(code) {
            // A leading y before a vowel is a consonant (Yusuf); any other leading vowel
            // is kept as one marker so Ali and Li differ.
            if first {
                if code == b'y' && next.is_some_and(is_vowel) {
                    push(&mut out, b'y');
                } else {
                    out.push(b'*');
                }
            }
            continue;
        }
        if len == 1 && code == b'h' && !first {
            // h is heard only between vowels (Mohammed); elsewhere it is a spelling aid
            // (Abdullah/Abdulla, Rahman/Rehman).
            let previous_vowel = i >= 2 && is_vowel(b[i - 2]);
            let next_vowel = b.get(i).is_some_and(|c| is_vowel(*c));
            if !(previous_vowel && next_vowel) {
                continue;
            }
        }
        if code == b'x' {
            push(&mut out, b'k');
            push(&mut out, b's');
        } else if code == b'g' && out.last() == Some(&b'n') {
            // "ng" is one sound (Qiang, Young): a g after n adds no consonant.
            continue;
        } else {
            push(&mut out, code);
        }
    }
    (consonants >= 3).then(|| String::from_utf8(out).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> Option<(f32, Relation)> {
        token_similarity(TokenKeys::new(a).view(), TokenKeys::new(b).view())
    }

    #[test]
    fn jaro_winkler_reference_values() {
        let jw = |a: &str, b: &str| jaro_winkler(a.as_bytes(), b.as_bytes());
        assert!((jw("martha", "marhta") - 0.9611).abs() < 1e-3);
        assert!((jw("dwayne", "duane") - 0.84).abs() < 1e-3);
        assert!((jw("dixon", "dicksonx") - 0.8133).abs() < 1e-3);
        assert_eq!(jw("", ""), 1.0);
        assert_eq!(jw("abc", ""), 0.0);
    }

    #[test]
    fn relations() {
        assert_eq!(sim("pak", "pak"), Some((1.0, Relation::Exact)));
        assert_eq!(
            sim("pak", "park").map(|s| s.1),
            Some(Relation::Romanisation)
        );
        assert_eq!(
            sim("hyok", "hyuk").map(|s| s.1),
            Some(Relation::Romanisation)
        );
        assert!(sim("hyok", "hyeok").is_some_and(|s| s.0 >= 0.93 && s.1 == Relation::Romanisation));
        assert_eq!(
            sim("mohammed", "muhammad").map(|s| s.1),
            Some(Relation::Phonetic)
        );
        assert_eq!(
            sim("khodorkovskiy", "hodorkovskii").map(|s| s.1),
            Some(Relation::Phonetic)
        );
        assert!(sim("hassan", "hasan").is_some());
        assert_eq!(
            sim("tatiana", "tetiana").map(|s| s.1),
            Some(Relation::Spelling)
        );
        assert_eq!(sim("qiang", "cuiying"), None);
        assert_eq!(sim("amini", "amiri").map(|s| s.0 < 0.85), Some(true));
        assert_eq!(sim("kim", "kin"), None);
        assert_eq!(sim("kevin", "kim"), None);
        assert_eq!(sim("hoon", "un"), None);
        // Slips of typing: a transposition, a doubled letter.
        assert!(sim("ptuin", "putin").is_some_and(|s| s.0 >= 0.9));
        assert!(sim("puttin", "putin").is_some_and(|s| s.0 >= 0.9));
        assert!(sim("vladmir", "vladimir").is_some());
    }

    #[test]
    fn abjad_tokens_compare_by_their_consonants() {
        let arabic = |t: &str, latin: &str| {
            token_similarity(TokenKeys::abjad(t).view(), TokenKeys::new(latin).view())
        };
        assert!(arabic("mhmd", "muhammad").is_some());
        assert!(arabic("mhmd", "mohammed").is_some());
        assert!(arabic("hsin", "hussein").is_some());
        assert!(!arabic("mhmd", "mahmoud").is_some_and(|s| s.0 >= 0.9));
    }

    #[test]
    fn skeletons() {
        assert_eq!(skeleton("mohammed").as_deref(), Some("mhmd"));
        assert_eq!(skeleton("muhammad").as_deref(), Some("mhmd"));
        assert_eq!(skeleton("hussein"), skeleton("husayn"));
        assert_eq!(skeleton("yusuf"), skeleton("youssef"));
        assert_eq!(skeleton("ali"), None);
    }
}

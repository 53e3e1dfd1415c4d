//! Transliteration of names written in Hangul or Cyrillic into the Latin spellings that
//! lists, passports and people use. CJK Han, Arabic, Hebrew, Greek and other scripts are
//! not transliterated: they pass through as written and match only text in the same
//! script (a Han name needs its reading, which the characters alone do not give).

use unicode_normalization::UnicodeNormalization;

use crate::korean::{self, Syllable, System};

/// Latin renderings of `text`, most standard first, without duplicates.
///
/// * Hangul: Revised Romanization ("Bak Jinhyeok"), McCune–Reischauer ("Pak Chin-hyŏk"),
///   the DPRK's system ("Pak Jin Hyok") and the popular spelling ("Park Jin-hyeok"). The
///   first Hangul word is read as surname + given name when it starts with a known
///   surname and is at most four syllables long.
/// * Cyrillic: a passport/BGN-style scheme ("Vladimir Putin"), BGN/PCGN proper (е → ye at
///   the start of a word), ICAO 9303 as in Russian passports since 2013 (й → i, я → ia),
///   and a simple English-style one (х → h, й → i); Ukrainian words (і, ї, є, ґ) use the
///   Ukrainian values of г and и.
/// * Anything else, including Latin text, is returned unchanged as the only rendering.
pub fn transliterate(text: &str) -> Vec<String> {
    let text: String = text.nfkc().collect();
    let has_hangul = text.chars().any(korean::is_syllable);
    let has_cyrillic = text.chars().any(is_cyrillic);
    if !has_hangul && !has_cyrillic {
        return vec![text];
    }
    const HANGUL: [System; 4] = [
        System::Revised,
        System::McCune,
        System::Dprk,
        System::Popular,
    ];
    const CYRILLIC: [Scheme; 4] = [Scheme::Passport, Scheme::Bgn, Scheme::Icao, Scheme::Simple];
    let mut out: Vec<String> = Vec::with_capacity(4);
    for (system, scheme) in HANGUL.into_iter().zip(CYRILLIC) {
        let rendering = render(&text, system, scheme);
        if !out.contains(&rendering) {
            out.push(rendering);
        }
    }
    out
}

/// One rendering of mixed text: Hangul and Cyrillic runs are replaced, the rest is kept.
fn render(text: &str, system: System, scheme: Scheme) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut first_hangul_word = true;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if korean::is_syllable(c) {
            let start = i;
            while i < chars.len() && korean::is_syllable(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            out.push_str(&render_hangul(&run, first_hangul_word, system));
            first_hangul_word = false;
        } else if is_cyrillic(c) {
            let start = i;
            while i < chars.len() && is_cyrillic(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            out.push_str(&with_case_of(&run, &cyrillic_word(&run, scheme)));
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A Hangul word written as a name in `system`: "Bak Jinhyeok", "Pak Chin-hyŏk",
/// "Pak Jin Hyok", "Park Jin-hyeok". Words after the first are given names.
fn render_hangul(run: &str, first_word: bool, system: System) -> String {
    let (surname, rest) = split_hangul_name(run, first_word, system);
    let parts = korean::romanise_syllables(&rest, system);
    let given = match system {
        System::Revised => capitalise(&parts.concat()),
        System::McCune | System::Popular => capitalise(&parts.join("-")),
        System::Dprk => parts
            .iter()
            .map(|p| capitalise(p))
            .collect::<Vec<_>>()
            .join(" "),
    };
    match (surname, given.is_empty()) {
        (Some(s), true) => s.to_string(),
        (Some(s), false) => format!("{s} {given}"),
        (None, _) => given,
    }
}

/// Splits a Hangul word into a known surname (spelled in `system`) and the syllables of
/// the given name. Only the first word of a name can hold the surname, and only a word of
/// at most four syllables (longer runs are organisation names or phrases).
pub(crate) fn split_hangul_name(
    run: &str,
    first_word: bool,
    system: System,
) -> (Option<&'static str>, Vec<Syllable>) {
    let syllables: Vec<Syllable> = run.chars().filter_map(korean::syllable).collect();
    if first_word
        && syllables.len() <= 4
        && let Some((spelling, n)) = korean::surname_prefix(run, system)
    {
        return (
            Some(spelling),
            syllables.get(n..).unwrap_or_default().to_vec(),
        );
    }
    (None, syllables)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Gives a rendering the case pattern of its source word: all capitals when the source is
/// (ПУТИН → PUTIN), a capital initial when the source has one (Путин → Putin).
fn with_case_of(source: &str, rendering: &str) -> String {
    let letters = source.chars().filter(|c| c.is_alphabetic()).count();
    let upper = source.chars().filter(|c| c.is_uppercase()).count();
    if letters > 1 && upper == letters {
        rendering.to_uppercase()
    } else if source.chars().next().is_some_and(char::is_uppercase) {
        capitalise(rendering)
    } else {
        rendering.to_string()
    }
}

/// Cyrillic romanisation schemes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// What most passports and lists print: й → y, х → kh, ж → zh, ю → yu, я → ya, е → e.
    Passport,
    /// BGN/PCGN: as Passport, but е → ye at the start of a word and after a vowel.
    Bgn,
    /// ICAO 9303 (Russian passports since 2013): й → i, ю → iu, я → ia, ъ → ie.
    Icao,
    /// English-style simplification: х → h, й → i.
    Simple,
}

/// Whether `c` is a Cyrillic letter or mark.
pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}')
}

/// Lower-case Latin rendering of a run of Cyrillic letters in `scheme`.
pub(crate) fn cyrillic_word(word: &str, scheme: Scheme) -> String {
    let lower: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    // Letters that only Ukrainian has decide how г and и are read in the whole word.
    let ukrainian = lower.iter().any(|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ'));
    let mut out = String::with_capacity(lower.len() * 2);
    let mut previous: Option<char> = None;
    for &c in &lower {
        out.push_str(cyrillic_letter(c, previous, ukrainian, scheme));
        previous = Some(c);
    }
    out
}

fn cyrillic_letter(
    c: char,
    previous: Option<char>,
    ukrainian: bool,
    scheme: Scheme,
) -> &'static str {
    let after_vowel_or_start = previous.is_none_or(|p| {
        matches!(
            p,
            'а' | 'е'
                | 'ё'
                | 'и'
                | 'о'
                | 'у'
                | 'ы'
                | 'э'
                | 'ю'
                | 'я'
                | 'і'
                | 'ї'
                | 'є'
                | 'ъ'
                | 'ь'
        )
    });
    match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' if ukrainian => "h",
        'г' => "g",
        'ґ' => "g",
        'д' => "d",
        'е' if scheme == Scheme::Bgn && after_vowel_or_start => "ye",
        'е' => "e",
        'ё' if scheme == Scheme::Bgn && after_vowel_or_start => "yo",
        'ё' => "e",
        'є' if scheme == Scheme::Icao => "ie",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' if ukrainian => "y",
        'и' => "i",
        'і' => "i",
        'ї' if scheme == Scheme::Icao => "i",
        'ї' => "yi",
        'й' if matches!(scheme, Scheme::Icao | Scheme::Simple) => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ў' => "u",
        'ф' => "f",
        'х' if scheme == Scheme::Simple => "h",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' if scheme == Scheme::Icao => "ie",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' if scheme == Scheme::Icao => "iu",
        'ю' => "yu",
        'я' if scheme == Scheme::Icao => "ia",
        'я' => "ya",
        // Serbian, Macedonian and Central Asian letters, as their national schemes write them.
        'ђ' => "dj",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' => "c",
        'џ' => "dz",
        'ѓ' => "gj",
        'ќ' => "kj",
        'ѕ' => "dz",
        'қ' => "k",
        'ғ' => "gh",
        'ү' | 'ұ' => "u",
        'ң' => "ng",
        'һ' => "h",
        'ә' => "a",
        'ө' => "o",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_is_identity() {
        assert_eq!(transliterate("Kevin Brooks"), vec!["Kevin Brooks"]);
    }

    #[test]
    fn cyrillic_schemes() {
        let r = transliterate("Владимир Путин");
        assert_eq!(r[0], "Vladimir Putin");
        let r = transliterate("Михаил Ходорковский");
        assert!(r.contains(&"Mikhail Khodorkovskiy".to_string()), "{r:?}");
        assert!(r.contains(&"Mihail Hodorkovskii".to_string()), "{r:?}");
        let r = transliterate("Елена Юрьева");
        assert_eq!(r[0], "Elena Yureva");
        assert!(r.contains(&"Yelena Yuryeva".to_string()), "{r:?}");
        assert!(r.contains(&"Elena Iureva".to_string()), "{r:?}");
        assert_eq!(transliterate("ПУТИН")[0], "PUTIN");
        // Ukrainian: г → h, и → y when the word is recognisably Ukrainian.
        assert_eq!(transliterate("Григорій")[0], "Hryhoriy");
    }

    #[test]
    fn hangul_systems() {
        let r = transliterate("박진혁");
        assert_eq!(
            r,
            vec![
                "Bak Jinhyeok",
                "Pak Chin-hyŏk",
                "Pak Jin Hyok",
                "Park Jin-hyeok"
            ]
        );
        let r = transliterate("김정은");
        assert!(r.contains(&"Kim Jong Un".to_string()), "{r:?}");
        assert!(r.contains(&"Kim Chŏng-ŭn".to_string()), "{r:?}");
        let r = transliterate("리설주");
        assert!(r.contains(&"Ri Sol Ju".to_string()), "{r:?}");
    }
}

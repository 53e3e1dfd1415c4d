//! Readings of names written in scripts other than Latin, Hangul and Russian-style
//! Cyrillic, so they meet the Latin names lists print.
//!
//! * Chinese characters read the Sino-Korean way (金正恩 → gim/geum + jeongeun), from the
//!   Unicode Han Database's kHangul readings (`data/hanja-readings.txt`), and in
//!   Mandarin pinyin (any_ascii): a Han name can be Korean or Chinese.
//! * Cyrillic read as the Kontsevich system (and the older Russian press usage) writes
//!   Korean syllables: Пак Чин Хёк → pak chin hyok, Ким Чен Ын → kim cheong eun.
//! * Arabic, Persian and Hebrew (abjads: short vowels unwritten, long ones written with
//!   the letters that are also w and y), Greek, Japanese kana and every other script:
//!   any_ascii, with the few context rules it lacks for names.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::korean::{self, System};

/// Alternatives kept per token at most: readings multiply per syllable.
pub(crate) const MAX_READINGS: usize = 8;

/// Whether `c` is a CJK ideograph (unified, extension A, compatibility).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Whether `c` is a letter of a script read here through any_ascii: alphabetic, and not
/// Latin, Hangul, Cyrillic or Han (which have schemes of their own).
pub(crate) fn is_other_script(c: char) -> bool {
    c.is_alphabetic()
        && !(c < '\u{0250}'
            || ('\u{1E00}'..='\u{1EFF}').contains(&c)
            || korean::is_syllable(c)
            || crate::translit::is_cyrillic(c)
            || is_han(c)
            || ('\u{FF00}'..='\u{FF65}').contains(&c))
}

/// Scripts that leave short vowels unwritten.
pub(crate) fn is_abjad(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{05FF}' | '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn hanja() -> &'static FxHashMap<char, Vec<String>> {
    static MAP: OnceLock<FxHashMap<char, Vec<String>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = FxHashMap::default();
        for line in include_str!("../data/hanja-readings.txt").lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut parts = line.split(' ');
            let Some(c) = parts.next().and_then(|p| p.chars().next()) else {
                continue;
            };
            let readings: Vec<String> = parts
                .filter_map(|h| {
                    let s: Vec<_> = h.chars().filter_map(korean::syllable).collect();
                    (!s.is_empty())
                        .then(|| korean::romanise_syllables(&s, System::Revised).concat())
                })
                .collect();
            if !readings.is_empty() {
                map.insert(c, readings);
            }
        }
        map
    })
}

/// A Chinese character read `reading` (a Hangul syllable) the Sino-Korean way, the first
/// the Unicode Han Database lists: for building test and evaluation sets of Korean
/// names written in Hanja.
pub fn hanja_of(reading: char) -> Option<char> {
    static REVERSE: OnceLock<FxHashMap<char, char>> = OnceLock::new();
    REVERSE
        .get_or_init(|| {
            let mut map = FxHashMap::default();
            for line in include_str!("../data/hanja-readings.txt").lines() {
                let mut parts = line.split(' ');
                let Some(c) = parts.next().and_then(|p| p.chars().next()) else {
                    continue;
                };
                if line.starts_with('#') || !is_han(c) {
                    continue;
                }
                for h in parts.filter_map(|p| p.chars().next()) {
                    map.entry(h).or_insert(c);
                }
            }
            map
        })
        .get(&reading)
        .copied()
}

/// Every reading of a run of Han characters as one token: the Sino-Korean readings of
/// each character joined (combinations, most usual first, at most `MAX_READINGS`), then
/// the pinyin.
pub(crate) fn han_readings(run: &str) -> Vec<String> {
    let mut korean: Vec<String> = vec![String::new()];
    for c in run.chars() {
        let Some(readings) = hanja().get(&c) else {
            korean.clear();
            break;
        };
        let mut next = Vec::with_capacity(korean.len() * readings.len());
        for prefix in &korean {
            for r in readings {
                if next.len() < MAX_READINGS {
                    next.push(format!("{prefix}{r}"));
                }
            }
        }
        korean = next;
    }
    let pinyin: String = any_ascii::any_ascii(run)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(|c| c.to_lowercase())
        .collect();
    let mut out = korean;
    if !pinyin.is_empty() && !out.contains(&pinyin) {
        out.push(pinyin);
    }
    out.truncate(MAX_READINGS);
    out
}

/// The Latin spellings a lower-case Cyrillic word can stand for when it writes one Korean
/// syllable (Kontsevich, and the older usage of the Russian press): `None` for anything
/// that is not one syllable (Russian words, most of all).
pub(crate) fn kontsevich_readings(word: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    let onset = [
        ("чх", "ch"),
        ("кх", "kh"),
        ("тх", "th"),
        ("пх", "ph"),
        ("чж", "j"),
        ("дж", "j"),
        ("кк", "kk"),
        ("тт", "tt"),
        ("пп", "pp"),
        ("сс", "ss"),
        ("чч", "jj"),
        ("к", "k"),
        ("г", "g"),
        ("н", "n"),
        ("т", "t"),
        ("д", "d"),
        ("р", "r"),
        ("л", "l"),
        ("м", "m"),
        ("п", "p"),
        ("б", "b"),
        ("с", "s"),
        ("ч", "ch"),
        ("ж", "j"),
        ("х", "h"),
        ("ц", "ts"),
    ];
    let starts = |at: usize, s: &str| {
        let s: Vec<char> = s.chars().collect();
        chars.get(at..at + s.len()) == Some(&s[..])
    };
    let mut head = "";
    for (cyr, lat) in onset {
        if starts(i, cyr) {
            head = lat;
            i += cyr.chars().count();
            break;
        }
    }
    // Vowels, with the readings each can have: е and ё also write ㅓ after a consonant
    // (Чен = 정, Сен = 성), о writes both ㅓ and ㅗ (one romanisation key).
    let vowels: [(&str, &[&str]); 17] = [
        ("ый", &["ui"]),
        ("ва", &["wa"]),
        ("во", &["wo"]),
        ("вэ", &["wae", "oe"]),
        ("ве", &["we"]),
        ("ви", &["wi"]),
        ("йе", &["ye"]),
        ("а", &["a"]),
        ("я", &["ya"]),
        ("о", &["o"]),
        ("ё", &["yeo", "yo"]),
        ("у", &["u"]),
        ("ю", &["yu"]),
        ("ы", &["eu"]),
        ("и", &["i"]),
        ("э", &["ae"]),
        ("е", &["e", "eo", "ye"]),
    ];
    let mut nucleus: &[&str] = &[];
    for (cyr, lat) in vowels {
        if starts(i, cyr) {
            nucleus = lat;
            i += cyr.chars().count();
            break;
        }
    }
    if nucleus.is_empty() {
        return None;
    }
    let rest: String = chars[i..].iter().collect();
    let codas: &[&str] = match rest.as_str() {
        "" => &[""],
        "н" | "нь" => &["n", "ng"],
        "нг" => &["ng"],
        "ль" | "л" | "р" => &["l"],
        "к" => &["k"],
        "п" => &["p"],
        "м" => &["m"],
        "т" => &["t"],
        _ => return None,
    };
    let mut out = Vec::new();
    for v in nucleus {
        for c in codas {
            let reading = format!("{head}{v}{c}");
            if !out.contains(&reading) && out.len() < MAX_READINGS {
                out.push(reading);
            }
        }
    }
    Some(out)
}

/// A run of letters of another script in Latin letters (lower case, letters and digits
/// only). Abjads get the long-vowel letters read as vowels inside a word and as
/// consonants at its start (و → v/u, ي/ی → y/i, ו → v/u, י → y/i), which any_ascii
/// cannot know; Greek digraphs are read as Modern Greek writes foreign names (ου → u,
/// μπ → b, ντ → d, γκ → g).
pub(crate) fn other_script(run: &str) -> String {
    let chars: Vec<char> = run.chars().collect();
    let mut out = String::with_capacity(run.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let lower_pair = chars.get(i + 1).map(|n| {
            (
                c.to_lowercase().next().unwrap_or(c),
                n.to_lowercase().next().unwrap_or(*n),
            )
        });
        let greek = match lower_pair {
            Some(('ο', 'υ' | 'ύ')) => Some("u"),
            Some(('μ', 'π')) if i == 0 => Some("b"),
            Some(('ν', 'τ')) => Some("d"),
            Some(('γ', 'κ')) => Some("g"),
            _ => None,
        };
        if let Some(latin) = greek {
            out.push_str(latin);
            i += 2;
            continue;
        }
        let first = i == 0;
        let abjad = match c {
            'و' | 'ו' => Some(if first { "v" } else { "u" }),
            'ي' | 'ی' | 'י' | 'ى' => Some(if first { "y" } else { "i" }),
            'ا' | 'آ' | 'א' => Some("a"),
            _ => None,
        };
        match abjad {
            Some(latin) => out.push_str(latin),
            None => out.push_str(&any_ascii::any_ascii_char(c).to_lowercase()),
        }
        i += 1;
    }
    out.chars().filter(char::is_ascii_alphanumeric).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_names_read_the_korean_and_the_chinese_way() {
        let r = han_readings("金");
        assert!(
            r.contains(&"gim".to_string()) && r.contains(&"geum".to_string()),
            "{r:?}"
        );
        assert!(r.contains(&"jin".to_string()), "{r:?}");
        let r = han_readings("正恩");
        assert_eq!(r[0], "jeongeun");
        assert!(r.contains(&"zhengen".to_string()), "{r:?}");
        let r = han_readings("李");
        assert!(
            r.contains(&"ri".to_string()) && r.contains(&"i".to_string()),
            "{r:?}"
        );
    }

    #[test]
    fn korean_syllables_in_cyrillic() {
        assert_eq!(kontsevich_readings("пак"), Some(vec!["pak".to_string()]));
        assert!(
            kontsevich_readings("хёк")
                .unwrap()
                .contains(&"hyok".to_string())
        );
        assert!(
            kontsevich_readings("чен")
                .unwrap()
                .contains(&"cheong".to_string())
        );
        assert!(
            kontsevich_readings("ын")
                .unwrap()
                .contains(&"eun".to_string())
        );
        assert!(
            kontsevich_readings("чин")
                .unwrap()
                .contains(&"chin".to_string())
        );
        // Russian words are not syllables.
        assert_eq!(kontsevich_readings("владимир"), None);
        assert_eq!(kontsevich_readings("путин"), None);
    }

    #[test]
    fn other_scripts() {
        assert_eq!(other_script("پوتین"), "putin");
        assert_eq!(other_script("ولادیمیر"), "vladimir");
        assert_eq!(other_script("Πούτιν"), "putin");
        assert_eq!(other_script("Βλαντιμίρ"), "vladimir");
        assert_eq!(other_script("タロウ"), "tarou");
        assert_eq!(other_script("محمد"), "mhmd");
    }
}

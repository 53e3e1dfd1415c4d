//! Korean names: Hangul syllable decomposition and romanisation (Revised Romanization,
//! McCune–Reischauer, the DPRK's own system and the spellings people actually use), the
//! surname equivalence classes, and the "Korean romanisation key" that makes Jin-Hyok,
//! Jinhyok, Chin Hyok and Jin-Hyeok compare equal.
//!
//! Everything here is about *spelling*: which Latin strings can stand for the same Hangul.
//! Nothing here says anything about a person.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// First Hangul syllable (가) and the size of the block; a syllable is
/// `0xAC00 + (initial * 21 + medial) * 28 + final` (Unicode chapter 3.12).
const SYLLABLE_BASE: u32 = 0xAC00;
const SYLLABLE_COUNT: u32 = 11_172;
const MEDIALS: u32 = 21;
const FINALS: u32 = 28;

/// Initial consonants in Revised Romanization, in Unicode order
/// (ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ).
const INITIAL_RR: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
/// McCune–Reischauer initials where the consonant is unvoiced (word start, or after k/t/p).
const INITIAL_MR_PLAIN: [&str; 19] = [
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'", "k'", "t'",
    "p'", "h",
];
/// McCune–Reischauer initials between voiced sounds (after a vowel or n, l, m, ng).
const INITIAL_MR_VOICED: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "tch", "ch'", "k'", "t'",
    "p'", "h",
];
/// The DPRK's 1992 system, where each syllable of a name is written as its own word, so
/// every initial is word-initial ("Kim Jong Un", "Pak Jin Hyok", "Ri Sol Ju").
const INITIAL_DPRK: [&str; 19] = [
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th",
    "ph", "h",
];
/// Medial vowels in Unicode order (ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ).
const MEDIAL_RR: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
const MEDIAL_MR: [&str; 21] = [
    "a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we",
    "wi", "yu", "ŭ", "ŭi", "i",
];
const MEDIAL_DPRK: [&str; 21] = [
    "a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "u", "ui", "i",
];
/// Final consonants (none, ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ) as
/// pronounced at the end of a syllable; all three systems agree on these.
const FINAL: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// One Hangul syllable split into its jamo indexes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Syllable {
    initial: usize,
    medial: usize,
    last: usize,
}

/// Decomposes a precomposed Hangul syllable; `None` for any other character.
pub(crate) fn syllable(c: char) -> Option<Syllable> {
    let offset = (c as u32).checked_sub(SYLLABLE_BASE)?;
    if offset >= SYLLABLE_COUNT {
        return None;
    }
    let offset = offset as usize;
    Some(Syllable {
        initial: offset / (MEDIALS * FINALS) as usize,
        medial: (offset % (MEDIALS * FINALS) as usize) / FINALS as usize,
        last: offset % FINALS as usize,
    })
}

/// Whether `c` is a precomposed Hangul syllable.
pub(crate) fn is_syllable(c: char) -> bool {
    syllable(c).is_some()
}

/// A romanisation system for Hangul.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum System {
    /// Revised Romanization (South Korea since 2000): "Bak Jinhyeok".
    Revised,
    /// McCune–Reischauer with its breves and apostrophes: "Pak Chinhyŏk".
    McCune,
    /// The DPRK's system, syllables of a name written apart: "Pak Jin Hyok".
    Dprk,
    /// Surnames as people usually spell them (Park, Lee, Choi), given names in RR.
    Popular,
}

/// Romanises a run of Hangul syllables, one string per syllable, applying the context
/// rules between syllables of the same word (MR voicing, RR's ㄹㄹ → "ll"). A name's
/// syllables can then be joined, hyphenated or spaced as each system writes them.
pub(crate) fn romanise_syllables(syllables: &[Syllable], system: System) -> Vec<String> {
    let mut out = Vec::with_capacity(syllables.len());
    let mut previous_final: Option<usize> = None;
    for s in syllables {
        let mut part = String::with_capacity(6);
        match system {
            System::Revised | System::Popular => {
                if s.initial == 5 && previous_final.is_some_and(|f| FINAL[f] == "l") {
                    part.push('l');
                } else {
                    part.push_str(INITIAL_RR[s.initial]);
                }
                part.push_str(MEDIAL_RR[s.medial]);
            }
            System::McCune => {
                part.push_str(mr_initial(s, previous_final));
                part.push_str(MEDIAL_MR[s.medial]);
            }
            System::Dprk => {
                part.push_str(INITIAL_DPRK[s.initial]);
                part.push_str(MEDIAL_DPRK[s.medial]);
            }
        }
        part.push_str(FINAL[s.last]);
        out.push(part);
        previous_final = Some(s.last);
    }
    out
}

/// McCune–Reischauer initial: plain at the start of a word and after k/t/p, voiced after
/// a vowel or a voiced final; ㄹ after n or l is "l"; ㅅ before i/wi is "sh".
fn mr_initial(s: &Syllable, previous_final: Option<usize>) -> &'static str {
    let voiced_context = match previous_final {
        None => false,
        Some(f) => matches!(FINAL[f], "" | "n" | "l" | "m" | "ng"),
    };
    if s.initial == 5 && previous_final.is_some_and(|f| matches!(FINAL[f], "n" | "l")) {
        return "l";
    }
    if s.initial == 9 && matches!(s.medial, 16 | 20) {
        return "sh";
    }
    if voiced_context {
        INITIAL_MR_VOICED[s.initial]
    } else {
        INITIAL_MR_PLAIN[s.initial]
    }
}

/// Korean surnames written in Hangul with their spellings in each system:
/// (Hangul, Revised, McCune–Reischauer, DPRK, popular).
const HANGUL_SURNAMES: &[(&str, &str, &str, &str, &str)] = &[
    ("김", "Gim", "Kim", "Kim", "Kim"),
    ("이", "I", "Yi", "Ri", "Lee"),
    ("리", "Ri", "Ri", "Ri", "Lee"),
    ("박", "Bak", "Pak", "Pak", "Park"),
    ("최", "Choe", "Ch'oe", "Choe", "Choi"),
    ("정", "Jeong", "Chŏng", "Jong", "Jung"),
    ("강", "Gang", "Kang", "Kang", "Kang"),
    ("조", "Jo", "Cho", "Jo", "Cho"),
    ("윤", "Yun", "Yun", "Yun", "Yoon"),
    ("장", "Jang", "Chang", "Jang", "Jang"),
    ("임", "Im", "Im", "Rim", "Lim"),
    ("림", "Rim", "Rim", "Rim", "Lim"),
    ("한", "Han", "Han", "Han", "Han"),
    ("오", "O", "O", "O", "Oh"),
    ("서", "Seo", "Sŏ", "So", "Seo"),
    ("신", "Sin", "Sin", "Sin", "Shin"),
    ("권", "Gwon", "Kwŏn", "Kwon", "Kwon"),
    ("황", "Hwang", "Hwang", "Hwang", "Hwang"),
    ("안", "An", "An", "An", "Ahn"),
    ("송", "Song", "Song", "Song", "Song"),
    ("류", "Ryu", "Ryu", "Ryu", "Ryu"),
    ("유", "Yu", "Yu", "Yu", "Yoo"),
    ("홍", "Hong", "Hong", "Hong", "Hong"),
    ("전", "Jeon", "Chŏn", "Jon", "Jeon"),
    ("고", "Go", "Ko", "Ko", "Ko"),
    ("문", "Mun", "Mun", "Mun", "Moon"),
    ("양", "Yang", "Yang", "Yang", "Yang"),
    ("량", "Ryang", "Ryang", "Ryang", "Yang"),
    ("손", "Son", "Son", "Son", "Son"),
    ("배", "Bae", "Pae", "Pae", "Bae"),
    ("백", "Baek", "Paek", "Paek", "Baek"),
    ("허", "Heo", "Hŏ", "Ho", "Heo"),
    ("남", "Nam", "Nam", "Nam", "Nam"),
    ("노", "No", "No", "No", "Noh"),
    ("로", "Ro", "Ro", "Ro", "Roh"),
    ("하", "Ha", "Ha", "Ha", "Ha"),
    ("곽", "Gwak", "Kwak", "Kwak", "Kwak"),
    ("성", "Seong", "Sŏng", "Song", "Sung"),
    ("차", "Cha", "Ch'a", "Cha", "Cha"),
    ("주", "Ju", "Chu", "Ju", "Joo"),
    ("우", "U", "U", "U", "Woo"),
    ("구", "Gu", "Ku", "Ku", "Koo"),
    ("민", "Min", "Min", "Min", "Min"),
    ("진", "Jin", "Chin", "Jin", "Jin"),
    ("지", "Ji", "Chi", "Ji", "Ji"),
    ("나", "Na", "Na", "Na", "Na"),
    ("라", "Ra", "Ra", "Ra", "Na"),
    ("엄", "Eom", "Ŏm", "Om", "Um"),
    ("채", "Chae", "Ch'ae", "Chae", "Chae"),
    ("원", "Won", "Wŏn", "Won", "Won"),
    ("천", "Cheon", "Ch'ŏn", "Chon", "Chun"),
    ("방", "Bang", "Pang", "Pang", "Bang"),
    ("공", "Gong", "Kong", "Kong", "Kong"),
    ("현", "Hyeon", "Hyŏn", "Hyon", "Hyun"),
    ("함", "Ham", "Ham", "Ham", "Ham"),
    ("변", "Byeon", "Pyŏn", "Pyon", "Byun"),
    ("염", "Yeom", "Yŏm", "Yom", "Yeom"),
    ("렴", "Ryeom", "Ryŏm", "Ryom", "Yeom"),
    ("여", "Yeo", "Yŏ", "Yo", "Yeo"),
    ("려", "Ryeo", "Ryŏ", "Ryo", "Yeo"),
    ("추", "Chu", "Ch'u", "Chu", "Choo"),
    ("도", "Do", "To", "To", "Do"),
    ("소", "So", "So", "So", "So"),
    ("석", "Seok", "Sŏk", "Sok", "Suk"),
    ("선", "Seon", "Sŏn", "Son", "Sun"),
    ("설", "Seol", "Sŏl", "Sol", "Seol"),
    ("마", "Ma", "Ma", "Ma", "Ma"),
    ("길", "Gil", "Kil", "Kil", "Gil"),
    ("연", "Yeon", "Yŏn", "Yon", "Yeon"),
    ("련", "Ryeon", "Ryŏn", "Ryon", "Yeon"),
    ("위", "Wi", "Wi", "Wi", "Wee"),
    ("표", "Pyo", "P'yo", "Phyo", "Pyo"),
    ("명", "Myeong", "Myŏng", "Myong", "Myung"),
    ("기", "Gi", "Ki", "Ki", "Ki"),
    ("반", "Ban", "Pan", "Pan", "Ban"),
    ("왕", "Wang", "Wang", "Wang", "Wang"),
    ("금", "Geum", "Kŭm", "Kum", "Keum"),
    ("옥", "Ok", "Ok", "Ok", "Ok"),
    ("육", "Yuk", "Yuk", "Yuk", "Yook"),
    ("륙", "Ryuk", "Ryuk", "Ryuk", "Yook"),
    ("인", "In", "In", "In", "In"),
    ("맹", "Maeng", "Maeng", "Maeng", "Maeng"),
    ("제", "Je", "Che", "Je", "Je"),
    ("모", "Mo", "Mo", "Mo", "Mo"),
    ("탁", "Tak", "T'ak", "Thak", "Tak"),
    ("국", "Guk", "Kuk", "Kuk", "Kook"),
    ("용", "Yong", "Yong", "Yong", "Yong"),
    ("룡", "Ryong", "Ryong", "Ryong", "Yong"),
    ("심", "Sim", "Sim", "Sim", "Shim"),
    ("편", "Pyeon", "P'yŏn", "Phyon", "Pyun"),
    ("경", "Gyeong", "Kyŏng", "Kyong", "Kyung"),
    ("봉", "Bong", "Pong", "Pong", "Bong"),
    ("태", "Tae", "T'ae", "Thae", "Tae"),
    ("계", "Gye", "Kye", "Kye", "Kye"),
    ("남궁", "Namgung", "Namgung", "Namgung", "Namkoong"),
    ("황보", "Hwangbo", "Hwangbo", "Hwangbo", "Hwangbo"),
    ("제갈", "Jegal", "Chegal", "Jegal", "Jegal"),
    ("선우", "Seonu", "Sŏnu", "Sonu", "Sunwoo"),
    ("독고", "Dokgo", "Tokko", "Tokko", "Dokgo"),
    ("사공", "Sagong", "Sagong", "Sagong", "Sakong"),
    ("서문", "Seomun", "Sŏmun", "Somun", "Seomun"),
];

/// The spelling of a known Hangul surname in `system`, and how many syllables it takes.
/// Two-syllable surnames are tried first so 남궁 is not read as 남 + 궁….
pub(crate) fn surname_prefix(word: &str, system: System) -> Option<(&'static str, usize)> {
    let mut best: Option<(&'static str, usize)> = None;
    for (hangul, rr, mr, dprk, popular) in HANGUL_SURNAMES {
        if word.starts_with(hangul) {
            let syllables = hangul.chars().count();
            if best.is_none_or(|(_, n)| syllables > n) {
                let spelling = match system {
                    System::Revised => rr,
                    System::McCune => mr,
                    System::Dprk => dprk,
                    System::Popular => popular,
                };
                best = Some((spelling, syllables));
            }
        }
    }
    best
}

/// Latin spellings of Korean surnames that stand for the same name: the classes of the
/// issue (Kim/Gim, Lee/Yi/Ri/Rhee/Rhie/I, Park/Pak/Bak/Pag…) plus the other common
/// surnames. A spelling belongs to one class only (a unit test checks it), so membership
/// is an equivalence and can be indexed.
const SURNAME_CLASSES: &[&[&str]] = &[
    &["kim", "gim", "ghim"],
    &["lee", "yi", "ri", "rhee", "rhie", "i", "rhi", "yee"],
    &["park", "pak", "bak", "pag", "bahk"],
    &["choi", "choe", "chwe", "chey"],
    &["jung", "jong", "chong", "chung", "jeong", "cheong", "joung"],
    &["song", "sung", "seong"],
    &["kang", "gang"],
    &["cho", "jo", "joe"],
    &["yoon", "yun", "youn"],
    &["jang", "chang"],
    &["lim", "im", "rim", "leem", "yim"],
    &["han", "hahn"],
    &["oh", "o"],
    &["shin", "sin", "shinn"],
    &["seo", "suh", "so"],
    &["kwon", "gwon", "kweon"],
    &["hwang", "whang"],
    &["ahn", "an"],
    &["ryu", "yoo", "yu", "ryoo", "you", "lyu"],
    &["hong"],
    &["jeon", "jun", "chon", "chun", "cheon", "jon"],
    &["ko", "go", "koh", "goh"],
    &["moon", "mun", "moun"],
    &["yang", "ryang"],
    &["son", "sohn"],
    &["bae", "pae"],
    &["baek", "paek", "paik", "baik"],
    &["heo", "hur", "ho", "huh", "hoh"],
    &["nam"],
    &["noh", "roh", "no", "ro", "nho"],
    &["kwak", "gwak"],
    &["cha"],
    &["joo", "ju", "chu", "choo"],
    &["woo", "u"],
    &["koo", "ku", "gu", "goo"],
    &["min"],
    &["jin", "chin"],
    &["ji", "chi", "jee"],
    &["na", "ra", "nah", "rah"],
    &["eom", "um", "uhm", "om"],
    &["chae"],
    &["won", "weon"],
    &["bang", "pang"],
    &["kong", "gong"],
    &["hyun", "hyeon", "hyon"],
    &["byun", "byeon", "pyon", "pyun", "byon"],
    &["yeom", "yum", "yom", "ryom", "ryeom"],
    &["yeo", "yoh", "yuh", "yo", "ryo", "ryeo"],
    &["do", "to", "doh"],
    &["seok", "suk", "sok"],
    &["seon", "sun"],
    &["gil", "kil"],
    &["yeon", "yon", "ryon", "ryeon"],
    &["wi", "wee"],
    &["pyo"],
    &["myung", "myeong", "myong"],
    &["ki", "gi", "kee"],
    &["ban", "pan"],
    &["keum", "geum", "kum"],
    &["tak", "thak"],
    &["kook", "guk", "kuk"],
    &["kyung", "gyeong", "kyong", "kyeong"],
    &["bong", "pong"],
    &["tae", "thae"],
    &["namgung", "namkoong", "namkung"],
    &["hwangbo", "whangbo"],
    &["jegal", "chegal"],
    &["sunwoo", "seonu", "sonu", "seonwoo"],
    &["dokgo", "tokko", "dokko"],
    &["sagong", "sakong"],
];

fn surname_class_map() -> &'static FxHashMap<&'static str, u16> {
    static MAP: OnceLock<FxHashMap<&'static str, u16>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = FxHashMap::default();
        for (id, class) in SURNAME_CLASSES.iter().enumerate() {
            for spelling in class.iter() {
                // The class count is far below u16::MAX; saturate rather than wrap anyway.
                map.insert(*spelling, u16::try_from(id).unwrap_or(u16::MAX));
            }
        }
        map
    })
}

/// The surname class of a lower-case Latin token, if it is a known Korean surname spelling.
pub(crate) fn surname_class(token: &str) -> Option<u16> {
    surname_class_map().get(token).copied()
}

/// The first spelling of a surname class, used to name the class in df keys.
pub(crate) fn class_name(class: u16) -> &'static str {
    SURNAME_CLASSES
        .get(usize::from(class))
        .and_then(|c| c.first())
        .copied()
        .unwrap_or("")
}

/// Whether a lower-case ASCII token can be read as a sequence of romanised Hangul
/// syllables (onset + vowel + coda, in any of the usual systems). Only such tokens get a
/// romanisation key: "Kevin" or "Brooks" cannot be written that way, so the loose Korean
/// equivalences (k/g, t/d, o/u…) never apply to them.
pub(crate) fn is_syllabic(token: &str) -> bool {
    let b = token.as_bytes();
    // Romanised names are short; anything long or non-letter is not a syllable chain.
    if b.is_empty() || b.len() > 24 || !b.iter().all(u8::is_ascii_lowercase) {
        return false;
    }
    let mut reach = [false; 25];
    reach[0] = true;
    for i in 0..b.len() {
        if !reach[i] {
            continue;
        }
        for onset in onsets(b, i).into_iter().flatten() {
            let j = i + onset;
            for vowel in vowels(b, j).into_iter().flatten() {
                let k = j + vowel;
                for coda in codas(b, k).into_iter().flatten() {
                    reach[k + coda] = true;
                }
            }
        }
    }
    reach[b.len()]
}

/// Lengths of the onsets that can start at `i` (0 = no onset).
fn onsets(b: &[u8], i: usize) -> [Option<usize>; 4] {
    let c = b.get(i).copied();
    let n = b.get(i + 1).copied();
    let nn = b.get(i + 2).copied();
    let two = |x: u8| (n == Some(x)).then_some(2);
    match c {
        Some(b'g') => [Some(0), Some(1), two(b'g'), None],
        Some(b'k') => [Some(0), Some(1), two(b'k'), two(b'h')],
        Some(b't') => [
            Some(0),
            Some(1),
            two(b't').or(two(b'h')),
            (n == Some(b'c') && nn == Some(b'h')).then_some(3),
        ],
        Some(b'p') => [Some(0), Some(1), two(b'p'), two(b'h')],
        Some(b's') => [Some(0), Some(1), two(b's'), two(b'h')],
        Some(b'j') => [Some(0), Some(1), two(b'j'), None],
        Some(b'r') => [Some(0), Some(1), two(b'h'), None],
        Some(b'c') => [Some(0), two(b'h'), None, None],
        Some(b'n' | b'd' | b'l' | b'm' | b'b' | b'h') => [Some(0), Some(1), None, None],
        _ => [Some(0), None, None, None],
    }
}

/// Lengths of the vowels (with their y/w glides) that can start at `i`.
fn vowels(b: &[u8], i: usize) -> [Option<usize>; 4] {
    let c = b.get(i).copied();
    let n = b.get(i + 1).copied();
    let nn = b.get(i + 2).copied();
    let two = |set: &[u8]| n.filter(|x| set.contains(x)).map(|_| 2);
    match c {
        Some(b'a') => [Some(1), two(b"ei"), None, None],
        Some(b'e') => [
            Some(1),
            two(b"oue"),
            (n == Some(b'u') && nn == Some(b'i')).then_some(3),
            None,
        ],
        Some(b'i') => [Some(1), two(b"e"), None, None],
        Some(b'o') => [Some(1), two(b"eiou"), None, None],
        Some(b'u') => [Some(1), two(b"i"), None, None],
        Some(b'y') => [
            two(b"aeoui"),
            (n == Some(b'a') && nn == Some(b'e')).then_some(3),
            (n == Some(b'e') && nn == Some(b'o')).then_some(3),
            (n == Some(b'o') && matches!(nn, Some(b'u' | b'o'))).then_some(3),
        ],
        Some(b'w') => [
            two(b"aoei"),
            (n == Some(b'a') && nn == Some(b'e')).then_some(3),
            (n == Some(b'e') && nn == Some(b'o')).then_some(3),
            None,
        ],
        _ => [None; 4],
    }
}

/// Lengths of the codas that can start at `i` (0 = open syllable).
fn codas(b: &[u8], i: usize) -> [Option<usize>; 3] {
    let c = b.get(i).copied();
    let n = b.get(i + 1).copied();
    match c {
        Some(b'n') => [Some(0), Some(1), (n == Some(b'g')).then_some(2)],
        Some(b'k') => [Some(0), Some(1), (n == Some(b'k')).then_some(2)],
        Some(b'h') => [Some(0), Some(1), (n == Some(b'n')).then_some(2)],
        Some(b'g' | b't' | b'd' | b'l' | b'r' | b'm' | b'p' | b'b') => [Some(0), Some(1), None],
        _ => [Some(0), None, None],
    }
}

/// The phonetic "Korean romanisation key" of a lower-case ASCII token: spelling
/// differences between RR, MR, the DPRK system and popular spellings collapse
/// (eo/o/u/eu → O, ae/e → E, ui/i → I, oe/we/oi → WE, ch/j → J, k/g → K, p/b → P,
/// t/d → T, r/l → L, a word-initial r/l/n is dropped before i/y and read as n before other
/// vowels, h after a vowel before a consonant is silent). Joined or split given names
/// give the same key when the caller joins the parts first.
pub(crate) fn romanisation_key(token: &str) -> String {
    let b = token.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if let Some((len, code)) = vowel_code(&b[i..]) {
            out.extend_from_slice(code);
            i += len;
            continue;
        }
        let (len, code) = consonant_code(&b[i..]);
        i += len;
        if code == b'H' {
            // "Ahn", "Oh", "Sohn": h after a vowel and before a consonant is a spelling aid.
            let after_vowel = out.last().is_some_and(|c| b"AEIOWY".contains(c));
            let before_vowel = b.get(i).is_some_and(|c| b"aeiouyw".contains(c));
            if after_vowel && !before_vowel {
                continue;
            }
        }
        // Doubled consonants (kk, ll, nn…) are one sound for matching purposes.
        if out.last() != Some(&code) {
            out.push(code);
        }
    }
    // Word-initial ㄹ/ㄴ: the South drops it before i/y (Ri → I, Ryu → Yu, Rim → Im)
    // and reads it as n elsewhere (Ro → No); the North keeps r. Both meet here.
    if matches!(out.first(), Some(b'L' | b'N')) {
        if matches!(out.get(1), Some(b'I' | b'Y')) {
            out.remove(0);
        } else if out.first() == Some(&b'L') {
            out[0] = b'N';
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Vowel spellings, longest first, and their key codes.
fn vowel_code(b: &[u8]) -> Option<(usize, &'static [u8])> {
    const TABLE: &[(&[u8], &[u8])] = &[
        (b"yeo", b"YO"),
        (b"yae", b"YE"),
        (b"you", b"YO"),
        (b"yoo", b"YO"),
        (b"weo", b"WO"),
        (b"wae", b"WE"),
        (b"eui", b"I"),
        (b"ae", b"E"),
        (b"ai", b"E"),
        (b"ya", b"YA"),
        (b"eo", b"O"),
        (b"ye", b"YE"),
        (b"yi", b"I"),
        (b"wa", b"WA"),
        (b"oe", b"WE"),
        (b"oi", b"WE"),
        (b"yo", b"YO"),
        (b"wo", b"WO"),
        (b"we", b"WE"),
        (b"wi", b"WI"),
        (b"yu", b"YO"),
        (b"eu", b"O"),
        (b"ui", b"I"),
        (b"oo", b"O"),
        (b"ou", b"O"),
        (b"ee", b"I"),
        (b"ie", b"I"),
        (b"a", b"A"),
        (b"e", b"E"),
        (b"i", b"I"),
        (b"o", b"O"),
        (b"u", b"O"),
    ];
    TABLE
        .iter()
        .find(|(spelling, _)| b.starts_with(spelling))
        .map(|(spelling, code)| (spelling.len(), *code))
}

/// Consonant spellings (longest first) and their key code; any other byte stands for itself.
fn consonant_code(b: &[u8]) -> (usize, u8) {
    const TABLE: &[(&[u8], u8)] = &[
        (b"tch", b'J'),
        (b"jj", b'J'),
        (b"ch", b'J'),
        (b"ng", b'G'),
        (b"kk", b'K'),
        (b"gg", b'K'),
        (b"kh", b'K'),
        (b"tt", b'T'),
        (b"th", b'T'),
        (b"pp", b'P'),
        (b"ph", b'P'),
        (b"ss", b'S'),
        (b"sh", b'S'),
        (b"rh", b'L'),
        (b"j", b'J'),
        (b"k", b'K'),
        (b"g", b'K'),
        (b"t", b'T'),
        (b"d", b'T'),
        (b"p", b'P'),
        (b"b", b'P'),
        (b"s", b'S'),
        (b"r", b'L'),
        (b"l", b'L'),
        (b"n", b'N'),
        (b"m", b'M'),
        (b"h", b'H'),
        (b"w", b'W'),
        (b"y", b'Y'),
    ];
    for (spelling, code) in TABLE {
        if b.starts_with(spelling) {
            return (spelling.len(), *code);
        }
    }
    (1, b.first().map_or(b'?', u8::to_ascii_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(s: &str) -> Vec<Syllable> {
        s.chars().filter_map(syllable).collect()
    }

    fn romanise_word(syllables: &[Syllable], system: System) -> String {
        romanise_syllables(syllables, system).concat()
    }

    #[test]
    fn decomposes_syllables() {
        // 박 = ㅂ(7) ㅏ(0) ㄱ(1)
        assert_eq!(
            syllable('박'),
            Some(Syllable {
                initial: 7,
                medial: 0,
                last: 1
            })
        );
        assert_eq!(syllable('A'), None);
        assert_eq!(syllable('\u{D7A4}'), None);
    }

    #[test]
    fn romanises_in_each_system() {
        assert_eq!(romanise_word(&word("진혁"), System::Revised), "jinhyeok");
        assert_eq!(romanise_word(&word("진혁"), System::McCune), "chinhyŏk");
        assert_eq!(romanise_word(&word("진혁"), System::Dprk), "jinhyok");
        assert_eq!(romanise_word(&word("정은"), System::McCune), "chŏngŭn");
        assert_eq!(romanise_word(&word("일성"), System::McCune), "ilsŏng");
        assert_eq!(romanise_word(&word("설주"), System::Revised), "seolju");
        assert_eq!(romanise_word(&word("설라"), System::Revised), "seolla");
    }

    #[test]
    fn surname_spellings_are_unique_and_hangul_spellings_are_classed() {
        let mut seen = std::collections::HashSet::new();
        for class in SURNAME_CLASSES {
            for s in class.iter() {
                assert!(seen.insert(*s), "{s} is in two surname classes");
            }
        }
        for (hangul, rr, _, dprk, popular) in HANGUL_SURNAMES {
            let keys: Vec<String> = [rr, dprk, popular]
                .iter()
                .map(|s| s.to_lowercase())
                .collect();
            let classes: Vec<Option<u16>> = keys.iter().map(|k| surname_class(k)).collect();
            let same_class = classes[0].is_some() && classes.iter().all(|c| *c == classes[0]);
            let same_key = keys
                .iter()
                .all(|k| romanisation_key(k) == romanisation_key(&keys[0]));
            assert!(same_class || same_key, "{hangul}: {keys:?} do not meet");
        }
    }

    #[test]
    fn romanisation_key_collapses_variants() {
        let key = romanisation_key;
        for v in ["jinhyok", "jinhyeok", "chinhyok", "jinhyuk"] {
            assert_eq!(key(v), key("jinhyok"), "{v}");
        }
        for v in ["lee", "yi", "ri", "rhee", "i"] {
            assert_eq!(key(v), "I", "{v}");
        }
        assert_eq!(key("ahn"), key("an"));
        assert_eq!(key("sohn"), key("son"));
        assert_eq!(key("ryu"), key("yoo"));
        assert_eq!(key("roh"), key("no"));
        assert_eq!(key("choi"), key("choe"));
        assert_eq!(key("jonghoon"), key("junghun"));
        assert_ne!(key("jonghoon"), key("jongun"));
        assert_eq!(key("jongun"), key("jongeun"));
    }

    #[test]
    fn syllabic_tokens() {
        for t in [
            "kim", "jinhyok", "hyeok", "choi", "rhee", "ahn", "jong", "un", "eun", "sohn", "yi",
            "hwang",
        ] {
            assert!(is_syllabic(t), "{t}");
        }
        for t in ["kevin", "brooks", "smith", "zhang", "nguyen", "", "k1m"] {
            assert!(!is_syllabic(t), "{t}");
        }
    }
}

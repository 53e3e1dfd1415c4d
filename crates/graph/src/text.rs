//! Near-duplicate résumé text. Personas of one operation are written from one résumé:
//! sentences moved, a few words changed, a name swapped. Two résumés are compared by the
//! Jaccard similarity of their sets of word 3-grams ("shingles"), estimated by MinHash,
//! and candidates are found by locality-sensitive hashing (banding) rather than by
//! comparing every pair.
//!
//! - Text is read as words: letters and digits, lower-cased; punctuation and spacing
//!   are not part of it. A text of fewer than [`MIN_SHINGLES`] distinct shingles says
//!   too little to tie anyone and is not indexed.
//! - A [`Signature`] keeps, for each of [`HASHES`] hash functions, the smallest hash of
//!   any shingle; the share of functions on which two signatures agree estimates the
//!   Jaccard similarity (standard error about 0.04 at 0.5).
//! - The signature is cut into bands of `rows` values; texts that agree on a whole band
//!   are candidates. `rows` is the largest that still makes a pair at exactly the
//!   minimum similarity a candidate with probability 0.99 (3 rows at 0.5, 6 at 0.8), so
//!   higher thresholds read fewer candidates.
//! - A common phrase ("Full-stack developer with 8 years of experience in React and
//!   Node.js") in otherwise different résumés shares a handful of shingles out of
//!   hundreds: an estimated similarity near 0, nowhere near a threshold.
//!
//! Everything is seeded by constants: the same texts give the same signatures, on every
//! machine and every run.

use rustc_hash::FxHashMap;

/// Hash functions per signature.
pub const HASHES: usize = 128;

/// Distinct shingles below which a text is not indexed: about ten words.
pub const MIN_SHINGLES: usize = 8;

/// Words per shingle: word order matters within three words, so a template's phrases
/// meet while the same words in other sentences do not.
const SHINGLE_WORDS: usize = 3;

/// Entries of one band bucket read per query. Thousands of résumés from one template can
/// agree on a band without being near duplicates of each other; a true near duplicate
/// agrees on many bands and is found through another.
const MAX_BUCKET_READ: usize = 1000;

/// A pair at the minimum similarity must become a candidate at least this often.
const CANDIDATE_RECALL: f64 = 0.99;

const NONE: u32 = u32::MAX;

/// A text's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(Box<[u32; HASHES]>);

impl Signature {
    /// The signature of `text`, or `None` when it has fewer than [`MIN_SHINGLES`]
    /// distinct shingles.
    pub fn of(text: &str) -> Option<Signature> {
        let words: Vec<u64> = words(text).collect();
        let mut shingles: Vec<u64> = words
            .windows(SHINGLE_WORDS)
            .map(|w| mix(w[0] ^ w[1].rotate_left(21) ^ w[2].rotate_left(42)))
            .collect();
        shingles.sort_unstable();
        shingles.dedup();
        if shingles.len() < MIN_SHINGLES {
            return None;
        }
        let (multipliers, offsets) = permutations();
        let mut minima = [u32::MAX; HASHES];
        for &shingle in &shingles {
            let x = (shingle ^ (shingle >> 32)) as u32;
            for i in 0..HASHES {
                minima[i] = minima[i].min(multipliers[i].wrapping_mul(x).wrapping_add(offsets[i]));
            }
        }
        Some(Signature(Box::new(minima)))
    }

    /// Estimated Jaccard similarity of the two texts' shingles (0 to 1).
    pub fn similarity(&self, other: &Signature) -> f64 {
        agreement(&self.0[..], &other.0[..])
    }
}

/// The near-duplicate texts seen, for finding those similar to one.
#[derive(Debug)]
pub struct TextIndex {
    min_similarity: f64,
    rows: usize,
    bands: usize,
    /// Entries in insertion order: the caller's id and its signature (`HASHES` values).
    ids: Vec<u32>,
    signatures: Vec<u32>,
    /// Band key (hash of the band's values, its number in the low bits) → the newest
    /// entry with it; `older[entry * bands + band]` → the entry before it in that bucket.
    /// One table for every band, chained through the entries: a few bytes an entry
    /// and band, where a list per bucket would cost a heap block each.
    newest: FxHashMap<u32, u32>,
    older: Vec<u32>,
}

impl TextIndex {
    /// An index reporting texts whose estimated similarity is at least
    /// `min_similarity` (taken into 0..=1; not a number means only identical texts).
    pub fn new(min_similarity: f64) -> TextIndex {
        let min_similarity = if min_similarity.is_nan() {
            1.0
        } else {
            min_similarity.clamp(0.0, 1.0)
        };
        let rows = (1..=HASHES)
            .rev()
            .find(|&rows| {
                let bands = (HASHES / rows) as i32;
                let band_agrees = min_similarity.powi(rows as i32);
                1.0 - (1.0 - band_agrees).powi(bands) >= CANDIDATE_RECALL
            })
            .unwrap_or(1);
        TextIndex {
            min_similarity,
            rows,
            bands: HASHES / rows,
            ids: Vec::new(),
            signatures: Vec::new(),
            newest: FxHashMap::default(),
            older: Vec::new(),
        }
    }

    pub fn min_similarity(&self) -> f64 {
        self.min_similarity
    }

    /// Texts stored.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds `id`'s text. A subject may have several (one per profile version); the same
    /// text given twice for one id is stored once.
    pub fn insert(&mut self, id: u32, signature: &Signature) {
        let Ok(entry) = u32::try_from(self.ids.len()) else {
            return;
        };
        let already = self
            .bucket(self.band_key(&signature.0[..], 0), 0)
            .any(|e| self.ids.get(e as usize) == Some(&id) && self.stored(e) == &signature.0[..]);
        if already {
            return;
        }
        self.ids.push(id);
        self.signatures.extend_from_slice(&signature.0[..]);
        for band in 0..self.bands {
            let key = self.band_key(&signature.0[..], band);
            let before = self.newest.insert(key, entry).unwrap_or(NONE);
            self.older.push(before);
        }
    }

    /// The stored texts at least `min_similarity` like the signature's, as (id, estimated
    /// similarity), one per id (its most similar text), most similar first, then by id.
    /// The caller's own texts are included: it knows its id.
    pub fn similar(&self, signature: &Signature) -> Vec<(u32, f64)> {
        let mut candidates: Vec<u32> = (0..self.bands)
            .flat_map(|band| self.bucket(self.band_key(&signature.0[..], band), band))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: FxHashMap<u32, f64> = FxHashMap::default();
        for entry in candidates {
            let Some(&id) = self.ids.get(entry as usize) else {
                continue;
            };
            let similarity = agreement(self.stored(entry), &signature.0[..]);
            if similarity >= self.min_similarity {
                let kept = best.entry(id).or_insert(similarity);
                *kept = kept.max(similarity);
            }
        }
        let mut found: Vec<(u32, f64)> = best.into_iter().collect();
        found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        found
    }

    fn stored(&self, entry: u32) -> &[u32] {
        let start = entry as usize * HASHES;
        self.signatures.get(start..start + HASHES).unwrap_or(&[])
    }

    fn band_key(&self, signature: &[u32], band: usize) -> u32 {
        let values = signature.get(band * self.rows..(band + 1) * self.rows);
        let hash = values
            .unwrap_or(&[])
            .iter()
            .fold(0x9e37_79b9_7f4a_7c15_u64, |h, &v| mix(h ^ u64::from(v)));
        // Bands number at most 128: seven low bits keep two bands' buckets apart.
        ((hash >> 32) as u32 & !0x7f) | band as u32
    }

    /// The entries in one band bucket, newest first, at most [`MAX_BUCKET_READ`].
    fn bucket(&self, key: u32, band: usize) -> impl Iterator<Item = u32> + '_ {
        let mut entry = self.newest.get(&key).copied().unwrap_or(NONE);
        std::iter::from_fn(move || {
            let current = entry;
            if current == NONE {
                return None;
            }
            entry = self
                .older
                .get(current as usize * self.bands + band)
                .copied()
                .unwrap_or(NONE);
            Some(current)
        })
        .take(MAX_BUCKET_READ)
    }
}

/// The share of positions where two signatures agree.
fn agreement(a: &[u32], b: &[u32]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / HASHES as f64
}

/// The words of a text, each hashed: runs of letters and digits, lower-cased.
fn words(text: &str) -> impl Iterator<Item = u64> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|word| {
            // FNV-1a over the lower-cased characters, then mixed: no allocation a word.
            // ASCII words (most) skip Unicode case mapping; a byte is its character.
            let step = |h: u64, c: u64| (h ^ c).wrapping_mul(0x0000_0100_0000_01b3);
            let start: u64 = 0xcbf2_9ce4_8422_2325;
            let h = if word.is_ascii() {
                word.bytes()
                    .fold(start, |h, b| step(h, u64::from(b.to_ascii_lowercase())))
            } else {
                word.chars()
                    .flat_map(char::to_lowercase)
                    .fold(start, |h, c| step(h, u64::from(c)))
            };
            mix(h)
        })
}

/// The hash functions: `a · x + b` modulo 2^32 over well-mixed shingle hashes folded to
/// 32 bits, `a` odd so each is a permutation; the constants come from a fixed seed.
/// Thirty-two bits make the loop over functions vectorise (three times faster than 64)
/// and two different shingles of one pair of texts collide once in tens of millions.
fn permutations() -> (&'static [u32; HASHES], &'static [u32; HASHES]) {
    static TABLES: std::sync::OnceLock<([u32; HASHES], [u32; HASHES])> = std::sync::OnceLock::new();
    let (a, b) = TABLES.get_or_init(|| {
        let mut state = 0x5eed_0017_u64;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            mix(state)
        };
        let mut a = [0u32; HASHES];
        let mut b = [0u32; HASHES];
        for (a, b) in a.iter_mut().zip(&mut b) {
            *a = next() as u32 | 1;
            *b = next() as u32;
        }
        (a, b)
    });
    (a, b)
}

/// SplitMix64's finaliser: every input bit moves about half the output bits.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    const RESUME: &str = "Senior software engineer with a decade of experience building payment \
        platforms for European banks. Led a team of six engineers migrating a monolith to \
        services on Kubernetes, cutting release time from weeks to hours. Designed the \
        fraud scoring pipeline in Rust and Kafka that screens two million transactions a \
        day. Mentored junior developers and ran the hiring loop for the platform group. \
        Speaks English, Polish and German; holds a master's degree in computer science \
        from Warsaw University of Technology.";

    fn sentences(text: &str) -> Vec<String> {
        text.split_inclusive(". ").map(str::to_owned).collect()
    }

    fn similarity(a: &str, b: &str) -> f64 {
        Signature::of(a)
            .unwrap()
            .similarity(&Signature::of(b).unwrap())
    }

    /// The exact Jaccard similarity of two texts' shingle sets, for checking estimates.
    fn jaccard(a: &str, b: &str) -> f64 {
        let set = |t: &str| -> std::collections::HashSet<Vec<u64>> {
            let w: Vec<u64> = words(t).collect();
            w.windows(SHINGLE_WORDS).map(<[u64]>::to_vec).collect()
        };
        let (x, y) = (set(a), set(b));
        x.intersection(&y).count() as f64 / x.union(&y).count() as f64
    }

    fn index_of(texts: &[&str], min_similarity: f64) -> TextIndex {
        let mut index = TextIndex::new(min_similarity);
        for (id, text) in texts.iter().enumerate() {
            index.insert(id as u32, &Signature::of(text).unwrap());
        }
        index
    }

    const VOCABULARY: &[&str] = &[
        "built",
        "designed",
        "led",
        "maintained",
        "migrated",
        "shipped",
        "tested",
        "owned",
        "api",
        "service",
        "platform",
        "dashboard",
        "pipeline",
        "database",
        "cluster",
        "react",
        "node",
        "python",
        "rust",
        "java",
        "kotlin",
        "swift",
        "postgres",
        "redis",
        "team",
        "client",
        "startup",
        "bank",
        "retailer",
        "agency",
        "clinic",
        "school",
        "for",
        "with",
        "using",
        "across",
        "into",
        "from",
        "over",
        "under",
        "the",
        "a",
        "fast",
        "secure",
        "mobile",
        "cloud",
        "legacy",
        "scalable",
        "internal",
        "public",
        "years",
        "months",
        "users",
        "orders",
        "reports",
        "payments",
        "releases",
        "tickets",
    ];

    /// A résumé of random sentences over a shared vocabulary: unrelated people who write
    /// about the same trade with the same words.
    fn random_resume(rng: &mut ChaCha8Rng) -> String {
        let mut text = String::new();
        for _ in 0..rng.gen_range(6..10) {
            for _ in 0..rng.gen_range(8..16) {
                text.push_str(VOCABULARY.choose(rng).unwrap_or(&"the"));
                text.push(' ');
            }
            text.push_str(". ");
        }
        text
    }

    #[test]
    fn two_sentences_swapped_are_near_duplicates() {
        let mut parts = sentences(RESUME);
        parts.swap(1, 3);
        let swapped = parts.concat();
        assert!(
            similarity(RESUME, &swapped) >= 0.6,
            "{}",
            similarity(RESUME, &swapped)
        );
        let index = index_of(&[RESUME], 0.5);
        let found = index.similar(&Signature::of(&swapped).unwrap());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 0);
    }

    #[test]
    fn a_few_words_changed_are_near_duplicates() {
        let edited = RESUME
            .replace("six engineers", "five engineers")
            .replace("Rust and Kafka", "Go and Kafka")
            .replace("Polish", "Ukrainian")
            .replace("Warsaw University of Technology", "Kyiv Polytechnic");
        let index = index_of(&[RESUME], 0.5);
        let found = index.similar(&Signature::of(&edited).unwrap());
        assert_eq!(found.len(), 1, "{}", similarity(RESUME, &edited));
        assert!(found[0].1 >= 0.5);
    }

    #[test]
    fn case_punctuation_and_spacing_do_not_count() {
        let shouted = RESUME.to_uppercase().replace(['.', ',', ';'], " ! ");
        assert_eq!(Signature::of(RESUME), Signature::of(&shouted));
        assert_eq!(similarity(RESUME, &shouted), 1.0);
    }

    #[test]
    fn a_common_phrase_in_different_resumes_links_nobody() {
        let phrase = "Full-stack developer with 8 years of experience in React and Node.js.";
        let a = format!(
            "{phrase} Built the checkout and inventory systems of an online furniture \
             retailer in Lisbon, from the database schema to the mobile app. Introduced \
             end-to-end testing and halved the number of incidents in a year. Volunteers \
             as a coding coach for a school in the suburbs on weekends."
        );
        let b = format!(
            "Product-minded engineer based in Manila. {phrase} Worked for three logistics \
             startups on route planning, driver apps and a warehouse dashboard used by two \
             hundred staff. Enjoys teaching, open source, chess and long bicycle rides \
             along the coast."
        );
        assert!(similarity(&a, &b) < 0.2, "{}", similarity(&a, &b));
        for threshold in [0.3, 0.5, 0.8] {
            let index = index_of(&[&a], threshold);
            assert!(index.similar(&Signature::of(&b).unwrap()).is_empty());
        }
    }

    #[test]
    fn too_short_a_text_is_not_indexed() {
        assert!(Signature::of("").is_none());
        assert!(Signature::of("Rust developer, remote.").is_none());
        // Nine words make seven shingles; ten make eight.
        assert!(Signature::of("one two three four five six seven eight nine").is_none());
        assert!(Signature::of("one two three four five six seven eight nine ten").is_some());
        // Repeated words make few distinct shingles.
        assert!(Signature::of(&"python ".repeat(200)).is_none());
    }

    #[test]
    fn estimates_follow_the_exact_similarity() {
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        for _ in 0..40 {
            let a = random_resume(&mut rng);
            // Keep a random share of a's sentences and add new ones.
            let mut b: Vec<String> = sentences(&a)
                .into_iter()
                .filter(|_| rng.gen_bool(0.7))
                .collect();
            b.push(random_resume(&mut rng));
            let b = b.concat();
            let (estimate, exact) = (similarity(&a, &b), jaccard(&a, &b));
            assert!((estimate - exact).abs() < 0.15, "{estimate} vs {exact}");
        }
    }

    #[test]
    fn many_unrelated_resumes_with_shared_boilerplate_stay_apart_copies_do_not() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let boilerplate = [
            "Available for remote work in any time zone. ",
            "References available on request. ",
            "Full-stack developer with 8 years of experience in React and Node.js. ",
        ];
        let mut texts: Vec<String> = (0..400)
            .map(|_| {
                let mut t = random_resume(&mut rng);
                t.push_str(boilerplate.choose(&mut rng).unwrap_or(&""));
                t
            })
            .collect();
        // Ten near copies of earlier résumés: one sentence swapped, one word changed.
        let mut planted = Vec::new();
        for i in 0..10 {
            let mut parts = sentences(&texts[i * 7]);
            parts.swap(0, 2);
            let copy = parts.concat().replacen("the", "our", 1);
            planted.push((texts.len() as u32, (i * 7) as u32));
            texts.push(copy);
        }
        let mut index = TextIndex::new(0.5);
        let mut pairs = Vec::new();
        for (id, text) in texts.iter().enumerate() {
            let signature = Signature::of(text).unwrap();
            for (other, _) in index.similar(&signature) {
                pairs.push((id as u32, other));
            }
            index.insert(id as u32, &signature);
        }
        assert_eq!(pairs, planted);
    }

    #[test]
    fn results_are_deterministic_and_ordered() {
        let mut parts = sentences(RESUME);
        parts.swap(0, 4);
        let swapped = parts.concat();
        let edited = RESUME.replace("six", "seven");
        let texts = [RESUME, swapped.as_str(), edited.as_str()];
        let first = index_of(&texts, 0.5).similar(&Signature::of(RESUME).unwrap());
        let again = index_of(&texts, 0.5).similar(&Signature::of(RESUME).unwrap());
        assert_eq!(first, again);
        assert_eq!(first[0], (0, 1.0));
        assert_eq!(first.len(), 3);
        assert!(first.windows(2).all(|w| w[0].1 >= w[1].1));
    }

    #[test]
    fn one_text_given_twice_is_stored_once_and_later_texts_are_found() {
        let signature = Signature::of(RESUME).unwrap();
        let mut index = TextIndex::new(0.5);
        assert!(index.is_empty());
        index.insert(3, &signature);
        index.insert(3, &signature);
        assert_eq!(index.len(), 1);
        index.insert(4, &signature);
        assert_eq!(index.similar(&signature), [(3, 1.0), (4, 1.0)]);
    }

    #[test]
    fn higher_thresholds_use_longer_bands() {
        let at = |s: f64| {
            let index = TextIndex::new(s);
            (index.rows, index.bands, index.min_similarity())
        };
        assert_eq!(at(0.5), (3, 42, 0.5));
        assert_eq!(at(0.8), (6, 21, 0.8));
        assert_eq!(at(f64::NAN).2, 1.0);
        assert_eq!(at(-1.0), (1, 128, 0.0));
        assert!(at(1.0).0 >= 32);
    }
}

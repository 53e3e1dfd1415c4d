//! Near-duplicate profile photos. Personas of one operation re-use a photo with small
//! edits (cropped, re-compressed, a filter), which moves a 64-bit perceptual hash by a few
//! bits; comparing every pair of a million profiles is out of the question.
//!
//! Multi-index hashing (Norouzi, Punjani and Fleet, 2012): the 64 bits are cut into
//! `max_bits + 1` disjoint chunks, and each chunk value indexes the photos that have it.
//! Two hashes at most `max_bits` apart differ in at most `max_bits` chunks, so by the
//! pigeonhole principle they agree exactly on one: looking up the query's chunk values
//! finds every near duplicate, and a popcount on each candidate drops the rest. No false
//! negatives, by construction.
//!
//! Cost: a chunk is `64 / (max_bits + 1)` bits wide (9 or 10 bits at 6), so a query reads
//! about `(max_bits + 1) · photos / 2^width` candidates: some 1,400 for 100,000 photos at
//! 6 bits, a few microseconds. Memory is 12 bytes a photo plus 4 per chunk (40 bytes at 6
//! bits). Beyond about a million photos wider chunks searched with a small radius each
//! would be the next step.

use rustc_hash::FxHashMap;

/// The photos seen, by perceptual hash, for finding those within a few bits of one.
#[derive(Debug)]
pub struct PhotoIndex {
    max_bits: u32,
    chunks: Vec<Chunk>,
    /// Entries in insertion order: the caller's id and the hash.
    ids: Vec<u32>,
    hashes: Vec<u64>,
}

/// One slice of the 64 bits and, for each value it takes, the entries that have it.
#[derive(Debug)]
struct Chunk {
    shift: u32,
    mask: u64,
    entries: FxHashMap<u64, Vec<u32>>,
}

impl Chunk {
    fn key(&self, hash: u64) -> u64 {
        (hash >> self.shift) & self.mask
    }
}

impl PhotoIndex {
    /// An index that finds hashes at most `max_bits` apart (Hamming distance). More than
    /// 63 is taken as 63: every hash is then a candidate.
    pub fn new(max_bits: u32) -> PhotoIndex {
        let max_bits = max_bits.min(63);
        let count = max_bits + 1;
        let mut chunks = Vec::with_capacity(count as usize);
        let mut shift = 0;
        for i in 0..count {
            // The first `64 % count` chunks take one bit more, so together they cover 64.
            let width = 64 / count + u32::from(i < 64 % count);
            chunks.push(Chunk {
                shift,
                // Width 1 to 64 (one chunk when only exact copies are wanted).
                mask: u64::MAX >> (64 - width),
                entries: FxHashMap::default(),
            });
            shift += width;
        }
        PhotoIndex {
            max_bits,
            chunks,
            ids: Vec::new(),
            hashes: Vec::new(),
        }
    }

    /// The largest distance [`PhotoIndex::near`] reports.
    pub fn max_bits(&self) -> u32 {
        self.max_bits
    }

    /// Photos stored.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds `id`'s photo. A subject may have several (one per profile version); the same
    /// hash given twice for one id is stored once.
    pub fn insert(&mut self, id: u32, hash: u64) {
        let Some(first) = self.chunks.first() else {
            return;
        };
        let already = first.entries.get(&first.key(hash)).is_some_and(|bucket| {
            bucket.iter().any(|&e| {
                self.ids.get(e as usize) == Some(&id) && self.hashes.get(e as usize) == Some(&hash)
            })
        });
        if already {
            return;
        }
        let Ok(entry) = u32::try_from(self.ids.len()) else {
            return;
        };
        self.ids.push(id);
        self.hashes.push(hash);
        for chunk in &mut self.chunks {
            let key = chunk.key(hash);
            chunk.entries.entry(key).or_default().push(entry);
        }
    }

    /// Every stored photo within `max_bits` of `hash`, as (id, distance), each once, in
    /// no particular order; an id with two near photos comes twice. The caller's own
    /// photos are included: it knows its id. Lazy, so a caller can stop at a crowd (a
    /// default avatar shared by thousands).
    pub fn near(&self, hash: u64) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.chunks.iter().enumerate().flat_map(move |(i, chunk)| {
            let bucket = chunk
                .entries
                .get(&chunk.key(hash))
                .map_or(&[][..], Vec::as_slice);
            let earlier = &self.chunks[..i];
            bucket.iter().filter_map(move |&e| {
                let stored = *self.hashes.get(e as usize)?;
                let distance = (stored ^ hash).count_ones();
                if distance > self.max_bits {
                    return None;
                }
                // Found through an earlier chunk already: report each entry once.
                if earlier.iter().any(|c| c.key(stored) == c.key(hash)) {
                    return None;
                }
                Some((*self.ids.get(e as usize)?, distance))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn sorted(mut found: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
        found.sort_unstable();
        found
    }

    /// `hash` with `bits` distinct bits flipped, chosen by the generator.
    fn flip(rng: &mut ChaCha8Rng, hash: u64, bits: u32) -> u64 {
        let mut mask = 0u64;
        while mask.count_ones() < bits {
            mask |= 1 << rng.gen_range(0..64);
        }
        hash ^ mask
    }

    #[test]
    fn an_exact_copy_is_found_at_distance_zero() {
        let mut index = PhotoIndex::new(6);
        index.insert(1, 0xc3a1_f0e8_d2b4_9716);
        index.insert(2, 0x1234_5678_9abc_def0);
        assert_eq!(
            index.near(0xc3a1_f0e8_d2b4_9716).collect::<Vec<_>>(),
            [(1, 0)]
        );
    }

    #[test]
    fn one_to_six_flipped_bits_are_found_seven_or_more_are_not() {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        for _ in 0..200 {
            let original: u64 = rng.r#gen();
            let mut index = PhotoIndex::new(6);
            index.insert(7, original);
            for bits in 1..=6 {
                let edited = flip(&mut rng, original, bits);
                assert_eq!(index.near(edited).collect::<Vec<_>>(), [(7, bits)]);
            }
            for bits in 7..=20 {
                let edited = flip(&mut rng, original, bits);
                assert_eq!(index.near(edited).count(), 0, "{bits} bits apart");
            }
        }
    }

    #[test]
    fn nothing_is_missed_against_comparing_every_pair() {
        let mut rng = ChaCha8Rng::seed_from_u64(2026);
        for max_bits in [0, 1, 3, 6, 8, 12, 20, 63, 64] {
            let mut index = PhotoIndex::new(max_bits);
            let mut stored: Vec<(u32, u64)> = Vec::new();
            for id in 0..1500 {
                // Some photos are edits of earlier ones, so there is something to find.
                let hash = match stored.len() {
                    n if n > 0 && rng.gen_bool(0.4) => {
                        let (_, base) = stored[rng.gen_range(0..n)];
                        let bits = rng.gen_range(0..=(max_bits + 3).min(64));
                        flip(&mut rng, base, bits)
                    }
                    _ => rng.r#gen(),
                };
                index.insert(id, hash);
                stored.push((id, hash));
            }
            for (_, query) in stored.iter().step_by(7) {
                let expected: Vec<(u32, u32)> = stored
                    .iter()
                    .map(|&(id, h)| (id, (h ^ query).count_ones()))
                    .filter(|&(_, d)| d <= index.max_bits())
                    .collect();
                assert_eq!(
                    sorted(index.near(*query).collect()),
                    sorted(expected),
                    "max_bits {max_bits}"
                );
            }
        }
    }

    #[test]
    fn one_photo_given_twice_is_stored_once_two_photos_of_one_id_are_two() {
        let mut index = PhotoIndex::new(6);
        index.insert(5, 0xff00);
        index.insert(5, 0xff00);
        assert_eq!(index.len(), 1);
        assert_eq!(index.near(0xff00).collect::<Vec<_>>(), [(5, 0)]);
        index.insert(5, 0xff01);
        index.insert(9, 0xff00);
        assert_eq!(
            sorted(index.near(0xff00).collect()),
            [(5, 0), (5, 1), (9, 0)]
        );
    }

    #[test]
    fn photos_added_later_are_found_by_the_next_query() {
        let mut index = PhotoIndex::new(4);
        assert!(index.is_empty());
        assert_eq!(index.near(0).count(), 0);
        index.insert(1, 0b1111);
        assert_eq!(index.near(0).collect::<Vec<_>>(), [(1, 4)]);
        index.insert(2, 0b1);
        assert_eq!(sorted(index.near(0).collect()), [(1, 4), (2, 1)]);
        assert_eq!(index.max_bits(), 4);
    }
}

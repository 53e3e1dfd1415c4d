//! From source rows, which may nest or overlap, to one flat table of segments that
//! covers the whole address space: what the lookup searches.

use std::collections::{BinaryHeap, HashMap};

use crate::addr::Addr;

/// A source row: `first..=last` carries `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row<A, V> {
    pub first: A,
    pub last: A,
    pub value: V,
}

/// A flat layer: `(start, value)` sorted by start, the first at address zero; each
/// segment runs to the next start (the last to the top of the space). `None` is a gap.
pub(crate) type Segments<A, V> = Vec<(A, Option<V>)>;

/// Flattens `rows` so that wherever rows overlap, the one with the highest priority
/// wins. Adjacent segments with equal values are merged.
pub(crate) fn paint<A: Addr, V: Clone + PartialEq, K: Ord>(
    rows: &[Row<A, V>],
    priority: impl Fn(usize, &Row<A, V>) -> K,
) -> Segments<A, V> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| rows[i].first);
    let mut bounds = Vec::with_capacity(rows.len() * 2 + 1);
    bounds.push(A::ZERO);
    for row in rows {
        bounds.push(row.first);
        if let Some(next) = row.last.succ() {
            bounds.push(next);
        }
    }
    bounds.sort_unstable();
    bounds.dedup();

    // Rows stay in the heap after they end and are dropped when they reach the top:
    // cheaper than removing them from the middle.
    let mut active: BinaryHeap<(K, usize)> = BinaryHeap::new();
    let mut next = 0;
    let mut out: Segments<A, V> = Vec::new();
    for bound in bounds {
        while let Some(&i) = order.get(next).filter(|&&i| rows[i].first <= bound) {
            active.push((priority(i, &rows[i]), i));
            next += 1;
        }
        while active.peek().is_some_and(|&(_, i)| rows[i].last < bound) {
            active.pop();
        }
        let value = active.peek().map(|&(_, i)| rows[i].value.clone());
        if out.last().map(|(_, v)| v) != Some(&value) {
            out.push((bound, value));
        }
    }
    out
}

/// The priority that makes the most specific row win (like longest-prefix routing),
/// and of two rows of one size the later in the file: how the ip-location-db files
/// nest corrections inside broader ranges.
pub(crate) fn most_specific<A: Addr, V>(
    index: usize,
    row: &Row<A, V>,
) -> (std::cmp::Reverse<u128>, usize) {
    (std::cmp::Reverse(A::span(row.first, row.last)), index)
}

/// Walks a layer in address order.
pub(crate) struct Cursor<'a, A, V> {
    segments: &'a [(A, Option<V>)],
    at: usize,
}

impl<'a, A: Addr, V> Cursor<'a, A, V> {
    pub(crate) fn new(segments: &'a [(A, Option<V>)]) -> Self {
        Cursor { segments, at: 0 }
    }

    /// The value at `addr`; calls must come in increasing address order.
    pub(crate) fn value_at(&mut self, addr: A) -> Option<&'a V> {
        while self
            .segments
            .get(self.at + 1)
            .is_some_and(|(start, _)| *start <= addr)
        {
            self.at += 1;
        }
        self.segments
            .get(self.at)
            .and_then(|(start, v)| if *start <= addr { v.as_ref() } else { None })
    }
}

/// Every distinct start of the given layers, sorted: the segment boundaries of their
/// overlay.
pub(crate) fn union_of_starts<A: Addr>(starts: &[&[A]]) -> Vec<A> {
    let mut all: Vec<A> = Vec::with_capacity(starts.iter().map(|s| s.len()).sum::<usize>() + 1);
    all.push(A::ZERO);
    for layer in starts {
        all.extend_from_slice(layer);
    }
    all.sort_unstable();
    all.dedup();
    all
}

/// Gives each distinct value a dense id, in order of first appearance.
pub(crate) struct Interner<T> {
    pub items: Vec<T>,
    ids: HashMap<T, u32>,
}

impl<T: Clone + Eq + std::hash::Hash> Interner<T> {
    pub(crate) fn new() -> Self {
        Interner {
            items: Vec::new(),
            ids: HashMap::new(),
        }
    }

    pub(crate) fn intern(&mut self, item: T) -> u32 {
        if let Some(id) = self.ids.get(&item) {
            return *id;
        }
        let id = self.items.len() as u32;
        self.items.push(item.clone());
        self.ids.insert(item, id);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(first: u32, last: u32, value: char) -> Row<u32, char> {
        Row { first, last, value }
    }

    fn value_at(segments: &Segments<u32, char>, addr: u32) -> Option<char> {
        Cursor::new(segments).value_at(addr).copied()
    }

    #[test]
    fn nested_rows_give_way_to_the_narrower() {
        let rows = [
            row(10, 100, 'a'),
            row(20, 30, 'b'),
            row(25, 25, 'c'),
            row(200, 300, 'd'),
        ];
        let seg = paint(&rows, most_specific);
        assert_eq!(
            seg,
            vec![
                (0, None),
                (10, Some('a')),
                (20, Some('b')),
                (25, Some('c')),
                (26, Some('b')),
                (31, Some('a')),
                (101, None),
                (200, Some('d')),
                (301, None)
            ]
        );
        assert_eq!(value_at(&seg, 27), Some('b'));
        assert_eq!(value_at(&seg, 150), None);
    }

    #[test]
    fn of_two_rows_alike_the_later_wins_and_equal_neighbours_merge() {
        let seg = paint(
            &[row(0, 9, 'x'), row(0, 9, 'y'), row(10, 19, 'y')],
            most_specific,
        );
        assert_eq!(seg, vec![(0, Some('y')), (20, None)]);
    }

    #[test]
    fn a_row_to_the_top_of_the_space_leaves_no_gap_after_it() {
        let seg = paint(&[row(5, u32::MAX, 'z')], most_specific);
        assert_eq!(seg, vec![(0, None), (5, Some('z'))]);
        assert_eq!(paint::<u32, char, _>(&[], most_specific), vec![(0, None)]);
    }

    #[test]
    fn a_custom_priority_decides_overlaps() {
        let rank = |c: char| match c {
            't' => 3,
            'v' => 2,
            _ => 1,
        };
        let seg = paint(&[row(0, 100, 't'), row(50, 60, 'h')], |i, r| {
            (rank(r.value), i)
        });
        assert_eq!(seg, vec![(0, Some('t')), (101, None)]);
    }

    #[test]
    fn cursor_walks_forward() {
        let seg = paint(&[row(10, 19, 'a'), row(30, 39, 'b')], most_specific);
        let mut cursor = Cursor::new(&seg);
        assert_eq!(cursor.value_at(0), None);
        assert_eq!(cursor.value_at(15), Some(&'a'));
        assert_eq!(cursor.value_at(35), Some(&'b'));
        assert_eq!(cursor.value_at(u32::MAX), None);
        assert_eq!(
            union_of_starts::<u32>(&[&[5, 1], &[1, 9]]),
            vec![0, 1, 5, 9]
        );
    }

    mod prop {
        use proptest::prelude::*;

        use super::super::*;

        fn rows() -> impl Strategy<Value = Vec<Row<u32, u8>>> {
            prop::collection::vec((0u32..2000, 0u32..300, any::<u8>()), 0..40).prop_map(|v| {
                v.into_iter()
                    .map(|(first, len, value)| Row {
                        first,
                        last: first + len,
                        value,
                    })
                    .collect()
            })
        }

        proptest! {
            #[test]
            fn painted_segments_are_sorted_disjoint_and_give_the_narrowest_row(rows in rows(), probes in prop::collection::vec(0u32..2400, 50)) {
                let seg = paint(&rows, most_specific);
                prop_assert_eq!(seg.first().map(|s| s.0), Some(0));
                for pair in seg.windows(2) {
                    prop_assert!(pair[0].0 < pair[1].0, "sorted and non-overlapping");
                    prop_assert!(pair[0].1 != pair[1].1, "equal neighbours are merged");
                }
                for addr in probes {
                    let want = rows
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.first <= addr && addr <= r.last)
                        .min_by_key(|(i, r)| (r.last - r.first, std::cmp::Reverse(*i)))
                        .map(|(_, r)| r.value);
                    prop_assert_eq!(Cursor::new(&seg).value_at(addr).copied(), want, "at {}", addr);
                }
            }
        }
    }
}

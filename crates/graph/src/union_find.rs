//! Groups of linked subjects: a disjoint-set forest over the caller's dense subject
//! numbers. Links arrive one at a time (a new subject's records, a new near-duplicate
//! photo) and each only merges two groups, so adding a subject never rebuilds anything.
//! Union by size and path compression keep every operation close to constant time.

/// Disjoint sets over `0..len()`.
#[derive(Debug, Default, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
    /// Members of the group, valid at its root only.
    size: Vec<u32>,
}

impl UnionFind {
    pub fn new() -> UnionFind {
        UnionFind::default()
    }

    /// Elements known (each on its own until linked).
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// Makes room for elements `0..n`, each new one a group of its own.
    pub fn ensure(&mut self, n: usize) {
        let start = self.parent.len();
        if n <= start {
            return;
        }
        // Numbers are u32: the caller's subject numbers are too.
        let end = u32::try_from(n).unwrap_or(u32::MAX);
        self.parent.extend(start as u32..end);
        self.size.resize(self.parent.len(), 1);
    }

    /// The representative of `x`'s group (`x` itself if unknown or alone).
    pub fn find(&mut self, x: u32) -> u32 {
        let mut root = x;
        while let Some(&parent) = self.parent.get(root as usize) {
            if parent == root {
                break;
            }
            root = parent;
        }
        // Second pass: everything on the way now points at the root.
        let mut node = x;
        while node != root {
            let Some(slot) = self.parent.get_mut(node as usize) else {
                break;
            };
            node = std::mem::replace(slot, root);
        }
        root
    }

    /// Puts `a` and `b` in one group, growing to hold them; whether they were apart.
    pub fn union(&mut self, a: u32, b: u32) -> bool {
        self.ensure(a.max(b) as usize + 1);
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (size_a, size_b) = (self.group_size(ra), self.group_size(rb));
        // The smaller group hangs under the larger: trees stay shallow.
        let (small, large) = if size_a < size_b { (ra, rb) } else { (rb, ra) };
        if let Some(p) = self.parent.get_mut(small as usize) {
            *p = large;
        }
        if let Some(s) = self.size.get_mut(large as usize) {
            *s = size_a + size_b;
        }
        true
    }

    /// Whether `a` and `b` are in one group.
    pub fn same(&mut self, a: u32, b: u32) -> bool {
        self.find(a) == self.find(b)
    }

    /// Members of `x`'s group, `x` included.
    pub fn size_of(&mut self, x: u32) -> u32 {
        let root = self.find(x);
        self.group_size(root)
    }

    fn group_size(&self, root: u32) -> u32 {
        self.size.get(root as usize).copied().unwrap_or(1)
    }

    /// Every group of two or more, each sorted, groups ordered by their smallest member.
    pub fn groups(&mut self) -> Vec<Vec<u32>> {
        let n = self.parent.len();
        // Group number of each root, given in order of the root's first member.
        let mut number_of_root: Vec<u32> = vec![u32::MAX; n];
        let mut groups: Vec<Vec<u32>> = Vec::new();
        for x in 0..n as u32 {
            let root = self.find(x);
            let size = self.group_size(root);
            if size < 2 {
                continue;
            }
            let Some(slot) = number_of_root.get_mut(root as usize) else {
                continue;
            };
            if *slot == u32::MAX {
                *slot = groups.len() as u32;
                groups.push(Vec::with_capacity(size as usize));
            }
            if let Some(group) = groups.get_mut(*slot as usize) {
                group.push(x);
            }
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn unions_merge_groups_and_report_whether_they_were_apart() {
        let mut uf = UnionFind::new();
        uf.ensure(6);
        assert_eq!(uf.len(), 6);
        assert!(uf.union(0, 1));
        assert!(uf.union(2, 3));
        assert!(!uf.union(1, 0));
        assert!(uf.union(1, 3));
        assert!(!uf.union(0, 2));
        assert!(uf.same(0, 3));
        assert!(!uf.same(0, 4));
        assert_eq!(uf.size_of(2), 4);
        assert_eq!(uf.size_of(5), 1);
        assert_eq!(uf.groups(), [vec![0, 1, 2, 3]]);
    }

    #[test]
    fn singletons_are_not_groups() {
        let mut uf = UnionFind::new();
        assert!(uf.is_empty());
        assert!(uf.groups().is_empty());
        uf.ensure(3);
        assert!(uf.groups().is_empty());
        // An element never seen is alone, not an error.
        assert_eq!(uf.find(99), 99);
        assert!(!uf.same(98, 99));
    }

    #[test]
    fn edges_added_later_grow_the_structure_and_update_groups() {
        let mut uf = UnionFind::new();
        uf.union(0, 1);
        uf.union(5, 6);
        assert_eq!(uf.groups(), [vec![0, 1], vec![5, 6]]);
        assert_eq!(uf.len(), 7);
        // A new subject, 9, linked to both groups joins them into one.
        uf.union(9, 1);
        uf.union(6, 9);
        assert_eq!(uf.groups(), [vec![0, 1, 5, 6, 9]]);
        uf.ensure(4);
        assert_eq!(uf.len(), 10);
    }

    #[test]
    fn groups_match_a_plain_graph_search() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let n = 2000usize;
        let edges: Vec<(u32, u32)> = (0..1200)
            .map(|_| (rng.gen_range(0..n as u32), rng.gen_range(0..n as u32)))
            .collect();
        let mut uf = UnionFind::new();
        uf.ensure(n);
        for &(a, b) in &edges {
            uf.union(a, b);
        }
        // Components by breadth-first search over an adjacency list.
        let mut adjacent = vec![Vec::new(); n];
        for &(a, b) in &edges {
            adjacent[a as usize].push(b);
            adjacent[b as usize].push(a);
        }
        let mut seen = vec![false; n];
        let mut expected = Vec::new();
        for start in 0..n {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut component = vec![start as u32];
            let mut i = 0;
            while let Some(&x) = component.get(i) {
                for &y in &adjacent[x as usize] {
                    if !seen[y as usize] {
                        seen[y as usize] = true;
                        component.push(y);
                    }
                }
                i += 1;
            }
            if component.len() > 1 {
                component.sort_unstable();
                expected.push(component);
            }
        }
        assert_eq!(uf.groups(), expected);
        for group in &expected {
            assert_eq!(uf.size_of(group[0]) as usize, group.len());
        }
    }

    #[test]
    fn trees_stay_shallow_and_finds_flatten_them() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut uf = UnionFind::new();
        let n = 10_000u32;
        for _ in 0..20_000 {
            uf.union(rng.gen_range(0..n), rng.gen_range(0..n));
        }
        let depth = |uf: &UnionFind, mut x: u32| {
            let mut d = 0;
            while uf.parent[x as usize] != x {
                x = uf.parent[x as usize];
                d += 1;
            }
            d
        };
        // Union by size alone bounds depth by log2(n).
        assert!((0..n).all(|x| depth(&uf, x) <= 14));
        for x in 0..n {
            uf.find(x);
        }
        assert!((0..n).all(|x| depth(&uf, x) <= 1));
    }
}

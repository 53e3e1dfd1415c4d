//! Groups of linked people, read from assessments: the neighbourhood around one person,
//! and the cells of a whole population.
//!
//! A *cell* is a group tied by strong links (a tie's strength at or above the policy's
//! `strong_min_confidence`; a flatmate's address alone, 0.4, is not) in which at least
//! one member is rated `high` or `critical`: one persona can look clean; the cell cannot.
//! Groups tied only by weak links (households, coworkers, referrals) are neighbourhoods,
//! never cells.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use redflag_model::{Assessment, Band, SubjectId};

/// One tie between two members, with what they share.
#[derive(Debug, Clone, PartialEq)]
pub struct Tie {
    pub a: SubjectId,
    pub b: SubjectId,
    /// 0..1, as the assessment recorded it.
    pub strength: f64,
    /// `type:value` of each shared identifier.
    pub via: Vec<String>,
}

/// A set of linked people and the ties between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    /// Members, the riskiest first (score, then id).
    pub members: Vec<&'a Assessment>,
    pub ties: Vec<Tie>,
}

impl Group<'_> {
    /// The highest score in the group.
    pub fn top_score(&self) -> u8 {
        self.members.iter().map(|a| a.score).max().unwrap_or(0)
    }
}

/// Everyone's latest assessment, by id: what groups are read from.
pub struct Population<'a> {
    by_id: BTreeMap<&'a SubjectId, &'a Assessment>,
}

impl<'a> Population<'a> {
    pub fn new(assessments: &'a [Assessment]) -> Self {
        Population {
            by_id: assessments.iter().map(|a| (&a.subject, a)).collect(),
        }
    }

    pub fn get(&self, id: &SubjectId) -> Option<&'a Assessment> {
        self.by_id.get(id).copied()
    }

    /// The ties of one member to people in the population whose tie is at least
    /// `min_strength`. Ties are read from both sides: an older assessment of one side
    /// may not list the other yet.
    fn neighbours(&self, id: &SubjectId, min_strength: f64) -> Vec<(&'a SubjectId, f64)> {
        let Some(a) = self.get(id) else {
            return Vec::new();
        };
        a.linked_subjects
            .iter()
            .filter(|l| l.strength >= min_strength)
            .filter_map(|l| {
                self.by_id
                    .get_key_value(&l.subject)
                    .map(|(k, _)| (*k, l.strength))
            })
            .collect()
    }

    /// The people within `depth` links of `centre` (any strength), at most `max_members`,
    /// nearest first. `None` when nobody has that id.
    pub fn neighbourhood(
        &self,
        centre: &SubjectId,
        depth: usize,
        max_members: usize,
    ) -> Option<Group<'a>> {
        let (centre, _) = self.by_id.get_key_value(centre)?;
        let mut seen: BTreeSet<&SubjectId> = BTreeSet::from([*centre]);
        let mut order: Vec<&SubjectId> = vec![centre];
        let mut queue = VecDeque::from([(*centre, 0usize)]);
        while let Some((id, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            let mut next = self.neighbours(id, 0.0);
            // Strongest ties first, so a cap keeps what matters.
            next.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(y.0)));
            for (n, _) in next {
                if order.len() >= max_members {
                    break;
                }
                if seen.insert(n) {
                    order.push(n);
                    queue.push_back((n, d + 1));
                }
            }
        }
        Some(self.group(order))
    }

    /// The cells: groups tied by ties of at least `strong` with a member rated `high` or
    /// above, the riskiest cell first.
    pub fn cells(&self, strong: f64) -> Vec<Group<'a>> {
        let mut seen: BTreeSet<&SubjectId> = BTreeSet::new();
        let mut cells = Vec::new();
        for id in self.by_id.keys() {
            if seen.contains(id) {
                continue;
            }
            let mut component: Vec<&SubjectId> = Vec::new();
            let mut queue = VecDeque::from([*id]);
            seen.insert(id);
            while let Some(member) = queue.pop_front() {
                component.push(member);
                for (n, _) in self.neighbours(member, strong) {
                    if seen.insert(n) {
                        queue.push_back(n);
                    }
                }
            }
            let risky = component
                .iter()
                .filter_map(|m| self.get(m))
                .any(|a| a.band >= Band::High);
            if component.len() >= 2 && risky {
                cells.push(self.group(component));
            }
        }
        cells.sort_by(|x, y| {
            y.top_score()
                .cmp(&x.top_score())
                .then_with(|| y.members.len().cmp(&x.members.len()))
                .then_with(|| x.members[0].subject.cmp(&y.members[0].subject))
        });
        cells
    }

    /// The group of `members` with every tie between two of them.
    fn group(&self, members: Vec<&SubjectId>) -> Group<'a> {
        let inside: BTreeSet<&SubjectId> = members.iter().copied().collect();
        let mut ties: BTreeMap<(&SubjectId, &SubjectId), Tie> = BTreeMap::new();
        for m in &members {
            let Some(a) = self.get(m) else { continue };
            for l in a
                .linked_subjects
                .iter()
                .filter(|l| inside.contains(&l.subject))
            {
                let key = if *m < &l.subject {
                    (*m, &l.subject)
                } else {
                    (&l.subject, *m)
                };
                let tie = ties.entry(key).or_insert_with(|| Tie {
                    a: key.0.clone(),
                    b: key.1.clone(),
                    strength: 0.0,
                    via: Vec::new(),
                });
                tie.strength = tie.strength.max(l.strength);
                for v in &l.via {
                    if !tie.via.contains(v) {
                        tie.via.push(v.clone());
                    }
                }
            }
        }
        let mut members: Vec<&Assessment> = members.iter().filter_map(|m| self.get(m)).collect();
        members.sort_by(|x, y| {
            y.score
                .cmp(&x.score)
                .then_with(|| x.subject.cmp(&y.subject))
        });
        Group {
            members,
            ties: ties.into_values().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_model::LinkedSubject;

    fn person(id: &str, score: u8, band: Band, links: &[(&str, f64, &str)]) -> Assessment {
        Assessment {
            subject: id.parse().unwrap(),
            name: Some(format!("Person {id}")),
            score,
            band,
            assessed_at: "2026-04-01T00:00:00Z".parse().unwrap(),
            as_of: None,
            signals: Vec::new(),
            sanctions: Vec::new(),
            linked_subjects: links
                .iter()
                .map(|(other, strength, via)| LinkedSubject {
                    subject: other.parse().unwrap(),
                    via: vec![(*via).to_owned()],
                    strength: *strength,
                })
                .collect(),
            actions: Vec::new(),
            identities: Default::default(),
        }
    }

    fn population() -> Vec<Assessment> {
        vec![
            // A cell: two personas on one wallet, a third on their device.
            person(
                "p-1",
                95,
                Band::Critical,
                &[("p-2", 0.9, "wallet:tron:TQ1")],
            ),
            person(
                "p-2",
                70,
                Band::High,
                &[("p-1", 0.9, "wallet:tron:TQ1"), ("p-3", 0.85, "device:d-1")],
            ),
            person(
                "p-3",
                40,
                Band::Medium,
                &[("p-2", 0.85, "device:d-1"), ("f-1", 0.4, "address:x")],
            ),
            // p-3's flatmate: in the neighbourhood, not in the cell.
            person("f-1", 5, Band::Low, &[("p-3", 0.4, "address:x")]),
            // Two coworkers: tied weakly, nobody risky.
            person("w-1", 5, Band::Low, &[("w-2", 0.35, "login_ip:1.2.3.4")]),
            person("w-2", 5, Band::Low, &[("w-1", 0.35, "login_ip:1.2.3.4")]),
        ]
    }

    #[test]
    fn a_cell_is_tied_strongly_and_holds_someone_high() {
        let all = population();
        let pop = Population::new(&all);
        let cells = pop.cells(0.45);
        assert_eq!(cells.len(), 1);
        let ids: Vec<&str> = cells[0]
            .members
            .iter()
            .map(|a| a.subject.as_str())
            .collect();
        assert_eq!(ids, ["p-1", "p-2", "p-3"]);
        assert_eq!(cells[0].ties.len(), 2);
        assert_eq!(cells[0].top_score(), 95);
    }

    #[test]
    fn a_neighbourhood_follows_weak_ties_too_within_its_depth() {
        let all = population();
        let pop = Population::new(&all);
        let near = pop.neighbourhood(&"p-3".parse().unwrap(), 1, 60).unwrap();
        let ids: BTreeSet<&str> = near.members.iter().map(|a| a.subject.as_str()).collect();
        assert_eq!(ids, BTreeSet::from(["p-2", "p-3", "f-1"]));
        let capped = pop.neighbourhood(&"p-3".parse().unwrap(), 2, 2).unwrap();
        // The strongest tie is kept when the cap bites.
        let ids: BTreeSet<&str> = capped.members.iter().map(|a| a.subject.as_str()).collect();
        assert_eq!(ids, BTreeSet::from(["p-2", "p-3"]));
        assert!(
            pop.neighbourhood(&"nobody".parse().unwrap(), 2, 60)
                .is_none()
        );
    }
}

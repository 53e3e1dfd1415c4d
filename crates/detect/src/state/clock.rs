//! When a subject was active, by hour: enough for working-hours and round-the-clock
//! analysis, bounded by the number of days, not events.

use redflag_model::Timestamp;

/// Days of hour masks kept; older days are dropped first.
const CLOCK_DAYS: usize = 400;

/// Days without activity between two active days that are stored as empty masks (three
/// bytes each) rather than starting a new run (a few dozen bytes).
const GAP_DAYS: i64 = 8;

/// Activity by hour: a 24-bin histogram of UTC hours, and for each UTC day the set of
/// hours with any activity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActivityClock {
    pub utc_hours: [u32; 24],
    /// Runs of consecutive UTC days, oldest first, apart by more than [`GAP_DAYS`]:
    /// three bytes a day (bit h set when active in hour h), where a map of days cost
    /// about twenty.
    runs: Vec<DayRun>,
    /// Days with any activity, at most [`CLOCK_DAYS`].
    active: usize,
}

#[derive(Debug, Clone, PartialEq)]
struct DayRun {
    /// UTC day number (days since 1970-01-01) of `masks[0]`.
    first: i64,
    masks: Vec<[u8; 3]>,
}

impl DayRun {
    fn end(&self) -> i64 {
        self.first + self.masks.len() as i64
    }

    /// Makes room for `day` (at most [`GAP_DAYS`] before or after the run) and returns
    /// its mask.
    fn slot(&mut self, day: i64) -> &mut [u8; 3] {
        if day < self.first {
            let before = (self.first - day) as usize;
            self.masks.splice(0..0, std::iter::repeat_n([0; 3], before));
            self.first = day;
        } else if day >= self.end() {
            let after = (day - self.end() + 1) as usize;
            if self.masks.capacity() - self.masks.len() < after {
                // Grow by a quarter, not double: a clock lives as long as its subject.
                self.masks
                    .reserve_exact(after.max(self.masks.len() / 4).max(8));
            }
            self.masks.resize(self.masks.len() + after, [0; 3]);
        }
        &mut self.masks[(day - self.first) as usize]
    }
}

fn mask_of(bytes: [u8; 3]) -> u32 {
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], 0])
}

impl ActivityClock {
    pub fn add(&mut self, at: Timestamp) {
        let seconds = at.as_second();
        let day = seconds.div_euclid(86_400);
        let hour = (seconds.rem_euclid(86_400) / 3_600) as usize;
        self.utc_hours[hour] += 1;
        let i = self.runs.partition_point(|r| r.first <= day);
        let run = if i > 0 && day < self.runs[i - 1].end() + GAP_DAYS {
            i - 1
        } else if i < self.runs.len() && self.runs[i].first - day <= GAP_DAYS {
            i
        } else {
            self.runs.insert(
                i,
                DayRun {
                    first: day,
                    masks: Vec::new(),
                },
            );
            i
        };
        let slot = self.runs[run].slot(day);
        if *slot == [0; 3] {
            self.active += 1;
        }
        let mask = mask_of(*slot) | 1 << hour;
        let bytes = mask.to_le_bytes();
        *slot = [bytes[0], bytes[1], bytes[2]];
        // A run that grew up to the next one joins it.
        if run + 1 < self.runs.len() && self.runs[run + 1].first < self.runs[run].end() + GAP_DAYS {
            let next = self.runs.remove(run + 1);
            let target = &mut self.runs[run];
            let gap = (next.first - target.end()).max(0) as usize;
            target.masks.extend(std::iter::repeat_n([0; 3], gap));
            target.masks.extend(next.masks);
        }
        while self.active > CLOCK_DAYS {
            self.drop_oldest_day();
        }
    }

    fn drop_oldest_day(&mut self) {
        let Some(run) = self.runs.first_mut() else {
            return;
        };
        // The oldest active day, and the empty days around it.
        let oldest = run.masks.iter().position(|m| *m != [0; 3]);
        let through = oldest.map_or(run.masks.len(), |i| i + 1);
        let next = run.masks[through..]
            .iter()
            .position(|m| *m != [0; 3])
            .map_or(run.masks.len(), |i| through + i);
        run.masks.drain(..next);
        run.first += next as i64;
        if oldest.is_some() {
            self.active -= 1;
        }
        if run.masks.is_empty() {
            self.runs.remove(0);
        }
    }

    pub fn events(&self) -> u32 {
        self.utc_hours.iter().sum()
    }

    /// The kept days with any activity, oldest first: (UTC day number, hour mask with bit
    /// h set when active in hour h).
    pub fn days(&self) -> impl Iterator<Item = (i64, u32)> + '_ {
        self.runs.iter().flat_map(|r| {
            r.masks
                .iter()
                .enumerate()
                .filter(|(_, m)| **m != [0; 3])
                .map(|(i, m)| (r.first + i as i64, mask_of(*m)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The map the clock replaced, as the reference for what it must hold.
    fn reference(moments: &[i64]) -> Vec<(i64, u32)> {
        let mut days: BTreeMap<i64, u32> = BTreeMap::new();
        for &s in moments {
            let day = s.div_euclid(86_400);
            *days.entry(day).or_default() |= 1 << (s.rem_euclid(86_400) / 3_600);
            if days.len() > CLOCK_DAYS {
                days.pop_first();
            }
        }
        days.into_iter().collect()
    }

    #[test]
    fn the_clock_holds_what_a_map_of_days_would_in_any_order() {
        // Days close together and far apart, in an order that grows runs at both ends,
        // joins them, and overflows the cap.
        let mut moments: Vec<i64> = Vec::new();
        let mut x: i64 = 12_345;
        for _ in 0..3_000 {
            x = (x * 1_103_515_245 + 12_345).rem_euclid(1 << 31);
            let day = 20_000 + (x % 900) * if x % 7 == 0 { 3 } else { 1 };
            moments.push(day * 86_400 + (x % 86_400));
        }
        moments.extend([-86_400 * 3 + 5, 0, 86_399]);
        let mut clock = ActivityClock::default();
        for &s in &moments {
            clock.add(Timestamp::from_second(s).unwrap());
        }
        let held: Vec<(i64, u32)> = clock.days().collect();
        assert_eq!(held, reference(&moments));
        assert_eq!(held.len(), CLOCK_DAYS);
        assert_eq!(clock.events(), moments.len() as u32);
    }
}

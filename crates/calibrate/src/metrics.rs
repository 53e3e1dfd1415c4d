//! How well scores separate dprk from legit: AUC, and precision and recall at a
//! threshold.

use serde::Serialize;

/// One subject's score and whether it was labelled dprk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rated {
    pub dprk: bool,
    pub score: u8,
}

/// The probability that a random dprk subject scores above a random legit one (ties
/// count half): 1 separates perfectly, 0.5 is a coin. `None` without both kinds.
pub fn auc(scored: &[Rated]) -> Option<f64> {
    let positives = scored.iter().filter(|s| s.dprk).count();
    let negatives = scored.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    // Scores are 0..=100: count legit subjects per score, then for each dprk subject
    // those below it and half of those level with it.
    let mut legit = [0usize; 101];
    for s in scored.iter().filter(|s| !s.dprk) {
        legit[usize::from(s.score.min(100))] += 1;
    }
    let mut below = [0usize; 101];
    let mut running = 0;
    for (score, n) in legit.iter().enumerate() {
        below[score] = running;
        running += n;
    }
    let wins: f64 = scored
        .iter()
        .filter(|s| s.dprk)
        .map(|s| {
            let at = usize::from(s.score.min(100));
            below[at] as f64 + legit[at] as f64 / 2.0
        })
        .sum();
    Some(wins / (positives as f64 * negatives as f64))
}

/// Who is flagged at a threshold: everyone scoring at or above it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtThreshold {
    pub threshold: u8,
    /// Subjects at or above the threshold.
    pub flagged: usize,
    /// Of them, those labelled dprk.
    pub dprk_flagged: usize,
    /// Share of the flagged who are dprk; `None` when nobody is flagged.
    pub precision: Option<f64>,
    /// Share of the dprk subjects flagged.
    pub recall: f64,
}

pub fn at_threshold(scored: &[Rated], threshold: u8) -> AtThreshold {
    let positives = scored.iter().filter(|s| s.dprk).count();
    let flagged = scored.iter().filter(|s| s.score >= threshold).count();
    let dprk_flagged = scored
        .iter()
        .filter(|s| s.dprk && s.score >= threshold)
        .count();
    AtThreshold {
        threshold,
        flagged,
        dprk_flagged,
        precision: (flagged > 0).then(|| dprk_flagged as f64 / flagged as f64),
        recall: if positives == 0 {
            0.0
        } else {
            dprk_flagged as f64 / positives as f64
        },
    }
}

/// The precision–recall curve: one point per distinct score, from the highest threshold
/// (few flagged, low recall) to the lowest.
pub fn pr_curve(scored: &[Rated]) -> Vec<AtThreshold> {
    let mut thresholds: Vec<u8> = scored.iter().map(|s| s.score).collect();
    thresholds.sort_unstable_by(|a, b| b.cmp(a));
    thresholds.dedup();
    thresholds
        .into_iter()
        .map(|t| at_threshold(scored, t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(dprk: &[u8], legit: &[u8]) -> Vec<Rated> {
        dprk.iter()
            .map(|&score| Rated { dprk: true, score })
            .chain(legit.iter().map(|&score| Rated { dprk: false, score }))
            .collect()
    }

    #[test]
    fn auc_on_hand_cases() {
        assert_eq!(auc(&scored(&[90, 80], &[10, 20])), Some(1.0));
        assert_eq!(auc(&scored(&[10], &[90])), Some(0.0));
        assert_eq!(auc(&scored(&[50], &[50])), Some(0.5));
        // 90 beats both, 30 beats 20 and loses to 40: 3 of 4 pairs.
        assert_eq!(auc(&scored(&[90, 30], &[40, 20])), Some(0.75));
        // A tie counts half: 60 vs {60, 10} = 1.5 of 2.
        assert_eq!(auc(&scored(&[60], &[60, 10])), Some(0.75));
        assert_eq!(auc(&scored(&[60], &[])), None);
        assert_eq!(auc(&[]), None);
    }

    #[test]
    fn precision_and_recall_at_a_threshold() {
        let s = scored(&[95, 70, 20], &[65, 10, 5]);
        let high = at_threshold(&s, 60);
        assert_eq!((high.flagged, high.dprk_flagged), (3, 2));
        assert_eq!(high.precision, Some(2.0 / 3.0));
        assert_eq!(high.recall, 2.0 / 3.0);
        let none = at_threshold(&s, 99);
        assert_eq!((none.flagged, none.precision, none.recall), (0, None, 0.0));
        let curve = pr_curve(&s);
        assert_eq!(curve.len(), 6);
        assert_eq!(curve[0].threshold, 95);
        assert_eq!(curve.last().map(|p| p.recall), Some(1.0));
    }
}

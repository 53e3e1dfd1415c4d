//! RF8 — "bids below competitors'" (advisory red flag 8).
//!
//! Compares each bid with the median of the competing bids on the same project, in the
//! same unit, and fires when it is at or below the policy's share of that median
//! (default half). It never compares with a country's typical rates: that would be a
//! signal on nationality. A median needs enough competitors to mean anything, and one low
//! bid among many normal ones counts for less than a habit of underbidding.

use redflag_model::{Advisory, Kind, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};

pub struct LowBid;

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

impl Detector for LowBid {
    fn code(&self) -> &'static str {
        "bids.far_below_competitors"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF8
    }
    fn describe(&self) -> &'static str {
        "bids far below the median of competing bids on the same project"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let t = &ctx.policy.thresholds;
        let mut comparable = 0usize;
        let mut low = Vec::new();
        let mut bids: Vec<_> = s.bids.iter().collect();
        bids.sort_by_key(|b| b.record.at);
        for b in bids {
            let bid = &b.record;
            if bid.competing.len() < t.bid_min_competitors {
                continue;
            }
            let mut competing: Vec<f64> = bid.competing.iter().map(|a| a.to_f64()).collect();
            let Some(med) = median(&mut competing).filter(|m| *m > 0.0) else {
                continue;
            };
            comparable += 1;
            let ratio = bid.amount.to_f64() / med;
            if ratio <= t.bid_ratio {
                low.push((b, ratio, med));
            }
        }
        let Some(&(_, lowest, _)) = low.iter().min_by(|a, b| a.1.total_cmp(&b.1)) else {
            return;
        };
        // 0.5 at the threshold, rising to 0.9 for a bid at a fifth of the median.
        let depth = ((t.bid_ratio - lowest) / (t.bid_ratio - 0.2).max(0.05)).clamp(0.0, 1.0);
        let habit = (low.len() as f64 / comparable as f64).sqrt();
        let confidence = (0.5 + 0.4 * depth) * habit;
        let (b, ratio, med) = low[0];
        let per = b
            .record
            .per
            .map(|p| format!("/{}", format!("{p:?}").to_lowercase()))
            .unwrap_or_default();
        let mut summary = format!(
            "bid {} {}{per}{}, {:.0}% of the median competing bid ({:.2}, {} competitors)",
            b.record.amount,
            b.record.currency,
            b.record
                .project
                .as_deref()
                .map(|p| format!(" on {p}"))
                .unwrap_or_default(),
            ratio * 100.0,
            med,
            b.record.competing.len()
        );
        if low.len() > 1 {
            summary.push_str(&format!(
                "; {} of {comparable} comparable bids were at or below {:.0}% of the median",
                low.len(),
                t.bid_ratio * 100.0
            ));
        }
        let evidence = low
            .iter()
            .map(|(b, ratio, med)| {
                evidence_of(Kind::Bid, *b, Some(b.record.at))
                    .with("project", b.record.project.clone())
                    .with("amount", b.record.amount)
                    .with("currency", b.record.currency.to_string())
                    .with("competing_median", redflag_model::round3(*med))
                    .with("ratio", format!("{ratio:.2}"))
            })
            .collect();
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    fn bid(amount: u32, competing: &str) -> String {
        format!(
            r#"{{"kind":"bid","subject":"c-1","at":"2026-02-10T08:00:00Z","project":"proj-9","amount":{amount},"currency":"USD","per":"hour","competing":{competing}}}"#
        )
    }

    #[test]
    fn the_spec_example_bid_is_far_below() {
        let signals = run(&LowBid, &[&bid(15, "[45,60,38,52]")]);
        assert_eq!(signals.len(), 1);
        assert!(
            signals[0].summary.starts_with(
                "bid 15 USD/hour on proj-9, 31% of the median competing bid (48.50, 4 competitors)"
            ),
            "{}",
            signals[0].summary
        );
        // Numbers in evidence are JSON numbers, not strings.
        let evidence = &signals[0].evidence[0].details;
        assert_eq!(evidence["amount"], serde_json::json!(15));
        assert_eq!(evidence["competing_median"], serde_json::json!(48.5));
    }

    #[test]
    fn a_modest_discount_is_competition_not_a_red_flag() {
        assert!(run(&LowBid, &[&bid(40, "[45,60,38,52]")]).is_empty());
    }

    #[test]
    fn too_few_competitors_means_no_median() {
        assert!(
            run(
                &LowBid,
                &[&bid(10, "[45,60]"), &bid(10, "[]"), &bid(10, "null")]
            )
            .is_empty()
        );
    }

    #[test]
    fn one_low_bid_among_many_normal_ones_counts_for_less() {
        let once = run(&LowBid, &[&bid(20, "[45,60,38,52]")])[0].confidence;
        let normal = bid(45, "[45,60,38,52]");
        let diluted = run(
            &LowBid,
            &[
                &bid(20, "[45,60,38,52]"),
                &normal,
                &normal.replace("proj-9", "proj-10"),
                &normal.replace("proj-9", "proj-11"),
            ],
        );
        assert!(diluted[0].confidence < once);
    }
}

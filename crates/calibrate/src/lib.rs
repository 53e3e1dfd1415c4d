//! `redflag calibrate`'s work: from decided subjects (who was DPRK, who was legitimate)
//! and the signals of their latest assessments, fit the policy's signal weights and its
//! prior, measure the scores before and after, and write the result as a proposed policy
//! and two charts. Nothing here applies anything: the proposal is a file for a person to
//! review.
//!
//! The input is a list of [`Example`]s: a subject, its [`Verdict`] and its signals. Today
//! the CLI makes them from a labels file ([`read_labels`]) and the store; analysts'
//! closed cases (issue 18) will be another source of [`Label`]s, with nothing else
//! changed. No I/O happens here beyond reading the labels from a reader.
//!
//! How it is judged: "before" scores every example with the current policy; "after"
//! scores each with a policy fitted without it (k-fold cross-validation), through the
//! real scorer (`redflag_detect::scoring`), so the family cap, the weak-only hold and
//! decisive signals apply exactly as in a scan. The proposed policy itself is fitted on
//! every example.

mod fit;
pub mod labels;
pub mod metrics;
pub mod proposal;
pub mod svg;

use std::collections::BTreeMap;

use redflag_detect::policy::{Policy, Strength};
use redflag_detect::scoring;
use redflag_model::{Advisory, Band, Signal, SubjectId};
use serde::Serialize;

use crate::fit::{Limit, Row, Shape, Term, Theta};
pub use crate::labels::{Label, LabelError, Labels, Origin, Verdict, read_labels};
use crate::metrics::{AtThreshold, Rated};

/// Regularisation strengths tried, strongest first; cross-validation picks one. The
/// objective is the mean log loss plus λ/2 · Σ weight², so λ = 0.01 costs a weight of 3
/// as much as a mean loss of 0.045.
pub const LAMBDAS: [f64; 7] = [0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001];

/// One decided subject with the signals of its latest assessment.
#[derive(Debug, Clone)]
pub struct Example {
    pub subject: SubjectId,
    pub verdict: Verdict,
    /// The signals, without summaries and evidence (the fit reads code, clause and
    /// confidence).
    signals: Vec<Signal>,
}

impl Example {
    pub fn new(subject: SubjectId, verdict: Verdict, signals: &[Signal]) -> Example {
        Example {
            subject,
            verdict,
            signals: signals
                .iter()
                .map(|s| Signal {
                    code: s.code.clone(),
                    advisory: s.advisory,
                    weight: s.weight,
                    confidence: s.confidence,
                    summary: String::new(),
                    evidence: Vec::new(),
                })
                .collect(),
        }
    }
}

/// A subject's score under `policy`: its signals re-weighted from the policy, then
/// scored as a scan would.
pub fn score_under(signals: &[Signal], policy: &Policy) -> u8 {
    let weighted: Vec<Signal> = signals
        .iter()
        .map(|s| Signal {
            weight: policy.weight(&s.code),
            ..s.clone()
        })
        .collect();
    scoring::score(&weighted, policy).0
}

/// What calibration found.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    /// Examples labelled dprk and legit.
    pub dprk: usize,
    pub legit: usize,
    pub folds: usize,
    /// The regularisation chosen.
    pub lambda: f64,
    /// Out-of-fold mean log loss of each λ tried (lower predicts better).
    pub cross_validation: Vec<CrossValidated>,
    /// The policy's `scoring.prior`, before and proposed.
    pub prior: Change,
    /// Every weight of the policy, before and proposed.
    pub weights: Vec<Weight>,
    /// The current policy's scores.
    pub before: Evaluation,
    /// Out-of-fold scores: each subject scored by weights fitted without it.
    pub after: Evaluation,
    /// Signal codes in the assessments that the policy does not know (made by another
    /// version of redflag); they count for nothing, before and after.
    pub ignored_codes: Vec<String>,
    /// The proposed policy: the current one with the fitted prior and weights.
    #[serde(skip)]
    pub proposed: Policy,
}

#[derive(Debug, Clone, Serialize)]
pub struct CrossValidated {
    pub lambda: f64,
    pub log_loss: f64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Change {
    pub before: f64,
    pub after: f64,
}

/// One signal code's weight.
#[derive(Debug, Clone, Serialize)]
pub struct Weight {
    pub code: String,
    pub strength: &'static str,
    pub before: f64,
    pub after: f64,
    /// Whether the labels said anything about it: false when no labelled subject has the
    /// signal, and the weight is kept.
    pub fitted: bool,
    /// Labelled subjects with the signal, by label.
    pub dprk: usize,
    pub legit: usize,
}

/// Scores of the labelled subjects under one policy.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// `None` when only one kind of label is present (never, once calibration runs).
    pub auc: Option<f64>,
    /// At the thresholds of `medium`, `high` and `critical`.
    pub bands: Vec<AtBand>,
    #[serde(skip)]
    pub rated: Vec<Rated>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AtBand {
    pub band: Band,
    #[serde(flatten)]
    pub at: AtThreshold,
}

impl Evaluation {
    fn new(rated: Vec<Rated>, policy: &Policy) -> Evaluation {
        let b = &policy.bands;
        let bands = [
            (Band::Medium, b.medium),
            (Band::High, b.high),
            (Band::Critical, b.critical),
        ]
        .into_iter()
        .map(|(band, threshold)| AtBand {
            band,
            at: metrics::at_threshold(&rated, threshold),
        })
        .collect();
        Evaluation {
            auc: metrics::auc(&rated),
            bands,
            rated,
        }
    }

    /// Precision and recall at one band.
    pub fn at(&self, band: Band) -> Option<&AtThreshold> {
        self.bands.iter().find(|b| b.band == band).map(|b| &b.at)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    #[error(
        "calibration needs at least {folds} subjects labelled dprk and {folds} labelled legit that have an assessment, so that each of the {folds} cross-validation folds holds one of each; there are {dprk} dprk and {legit} legit. Label more subjects, or use fewer folds with --folds (at least 2)"
    )]
    TooFew {
        folds: usize,
        dprk: usize,
        legit: usize,
    },
    #[error(
        "--folds must be at least 2 (it is {0}): cross-validation holds out one part at a time"
    )]
    Folds(usize),
    #[error("cannot write the proposed policy: {0}")]
    Proposal(String),
}

/// Fits the prior and the weights of `policy` to `examples` and measures the result.
pub fn calibrate(
    examples: &[Example],
    policy: &Policy,
    folds: usize,
) -> Result<Calibration, CalibrateError> {
    if folds < 2 {
        return Err(CalibrateError::Folds(folds));
    }
    let dprk = examples
        .iter()
        .filter(|e| e.verdict == Verdict::Dprk)
        .count();
    let legit = examples.len() - dprk;
    if dprk < folds || legit < folds {
        return Err(CalibrateError::TooFew { folds, dprk, legit });
    }
    let design = Design::new(examples, policy);
    let fold_of = assign_folds(examples, folds);
    let shape = Shape {
        family_cap: policy.scoring.family_cap,
        hold: logit(policy.scoring.weak_only_max),
        floor: logit(policy.bands.critical),
    };

    // For each fold, the fits along the λ path (each warm-started from the previous,
    // stronger one) and the held-out loss of each.
    let mut loss = [0.0f64; LAMBDAS.len()];
    let mut fold_fits: Vec<Vec<Theta>> = Vec::with_capacity(folds);
    for fold in 0..folds {
        let train: Vec<&Row> = rows_where(&design.rows, &fold_of, |f| f != fold);
        let test: Vec<&Row> = rows_where(&design.rows, &fold_of, |f| f == fold);
        let path = fit_path(&train, &shape, design.codes.len());
        for (k, theta) in path.iter().enumerate() {
            loss[k] += fit::log_loss(&test, theta, &shape) * test.len() as f64;
        }
        fold_fits.push(path);
    }
    let n = examples.len() as f64;
    let cross_validation: Vec<CrossValidated> = LAMBDAS
        .iter()
        .zip(loss)
        .map(|(&lambda, l)| CrossValidated {
            lambda,
            log_loss: l / n,
        })
        .collect();
    // The lowest loss; on a tie the stronger regularisation, which comes first.
    let mut chosen = 0;
    for (k, cv) in cross_validation.iter().enumerate() {
        if cv.log_loss < cross_validation[chosen].log_loss {
            chosen = k;
        }
    }

    let mut after = vec![None; examples.len()];
    for (fold, path) in fold_fits.iter().enumerate() {
        let support = design.support(&fold_of, |f| f != fold);
        let fold_policy = design.policy(policy, &path[chosen], &support);
        for (i, e) in examples.iter().enumerate() {
            if fold_of[i] == fold {
                after[i] = Some(rate(e, &fold_policy));
            }
        }
    }
    let after: Vec<Rated> = after.into_iter().flatten().collect();

    let all: Vec<&Row> = design.rows.iter().collect();
    let full = fit_path(&all, &shape, design.codes.len());
    let support = design.support(&fold_of, |_| true);
    let proposed = design.policy(policy, &full[chosen], &support);
    let before: Vec<Rated> = examples.iter().map(|e| rate(e, policy)).collect();

    let weights = policy
        .weights
        .iter()
        .map(|(code, &before)| {
            let seen = design.codes.get(code).map_or((0, 0), |&k| support[k]);
            Weight {
                code: code.clone(),
                strength: match policy.strength.get(code) {
                    Some(Strength::Strong) => "strong",
                    _ => "weak",
                },
                before,
                after: proposed.weight(code),
                fitted: seen.0 + seen.1 > 0,
                dprk: seen.0,
                legit: seen.1,
            }
        })
        .collect();
    Ok(Calibration {
        dprk,
        legit,
        folds,
        lambda: LAMBDAS[chosen],
        cross_validation,
        prior: Change {
            before: policy.scoring.prior,
            after: proposed.scoring.prior,
        },
        weights,
        before: Evaluation::new(before, policy),
        after: Evaluation::new(after, policy),
        ignored_codes: design.ignored,
        proposed,
    })
}

fn rate(e: &Example, policy: &Policy) -> Rated {
    Rated {
        dprk: e.verdict == Verdict::Dprk,
        score: score_under(&e.signals, policy),
    }
}

/// A score (0–100) as log-odds.
fn logit(score: u8) -> f64 {
    let p = (f64::from(score) / 100.0).clamp(1e-4, 1.0 - 1e-4);
    (p / (1.0 - p)).ln()
}

/// Fits for every λ of [`LAMBDAS`], strongest first, each starting where the previous
/// ended: deterministic, and quicker than starting afresh.
fn fit_path(rows: &[&Row], shape: &Shape, codes: usize) -> Vec<Theta> {
    let mut theta = Theta::start(rows, codes);
    LAMBDAS
        .iter()
        .map(|&lambda| {
            theta = fit::fit(rows, shape, lambda, &theta);
            theta.clone()
        })
        .collect()
}

fn rows_where<'a>(
    rows: &'a [Row],
    fold_of: &[usize],
    keep: impl Fn(usize) -> bool,
) -> Vec<&'a Row> {
    rows.iter()
        .zip(fold_of)
        .filter(|(_, f)| keep(**f))
        .map(|(r, _)| r)
        .collect()
}

/// Folds that do not depend on the order of the labels: each label's subjects are sorted
/// by a hash of their id and dealt round the folds, so every fold holds its share of
/// dprk and legit, and the same labels always make the same folds.
fn assign_folds(examples: &[Example], folds: usize) -> Vec<usize> {
    let mut fold_of = vec![0; examples.len()];
    for verdict in [Verdict::Dprk, Verdict::Legit] {
        let mut members: Vec<(u64, &str, usize)> = examples
            .iter()
            .enumerate()
            .filter(|(_, e)| e.verdict == verdict)
            .map(|(i, e)| (fnv1a(e.subject.as_str()), e.subject.as_str(), i))
            .collect();
        members.sort_unstable();
        for (k, (_, _, i)) in members.into_iter().enumerate() {
            fold_of[i] = k % folds;
        }
    }
    fold_of
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// The examples as rows of the fit, with the policy's codes numbered.
struct Design {
    /// The policy's signal codes and their index among the weights.
    codes: BTreeMap<String, usize>,
    rows: Vec<Row>,
    /// Per example, the code indexes it has (each once).
    has: Vec<Vec<usize>>,
    ignored: Vec<String>,
}

impl Design {
    fn new(examples: &[Example], policy: &Policy) -> Design {
        let codes: BTreeMap<String, usize> = policy
            .weights
            .keys()
            .enumerate()
            .map(|(i, c)| (c.clone(), i))
            .collect();
        let mut ignored: Vec<String> = Vec::new();
        let mut rows = Vec::with_capacity(examples.len());
        let mut has = Vec::with_capacity(examples.len());
        for e in examples {
            let mut clauses: Vec<Advisory> = Vec::new();
            let mut terms: Vec<Term> = Vec::new();
            for s in &e.signals {
                let Some(&weight) = codes.get(&s.code) else {
                    if !ignored.contains(&s.code) {
                        ignored.push(s.code.clone());
                    }
                    continue;
                };
                let clause = match clauses.iter().position(|a| *a == s.advisory) {
                    Some(c) => c,
                    None => {
                        clauses.push(s.advisory);
                        clauses.len() - 1
                    }
                };
                match terms
                    .iter_mut()
                    .find(|t| t.weight == weight && t.clause == clause)
                {
                    Some(t) => t.x += s.confidence,
                    None => terms.push(Term {
                        weight,
                        clause,
                        x: s.confidence,
                    }),
                }
            }
            let decisive = e.signals.iter().any(|s| {
                matches!(s.advisory, Advisory::MdDprk | Advisory::Sanctions)
                    && s.confidence >= policy.scoring.decisive_confidence
            });
            let limit = if decisive {
                Limit::Decisive
            } else if !e.signals.iter().any(|s| policy.is_strong(s)) {
                Limit::WeakOnly
            } else {
                Limit::None
            };
            let mut codes_here: Vec<usize> = terms.iter().map(|t| t.weight).collect();
            codes_here.sort_unstable();
            codes_here.dedup();
            has.push(codes_here);
            rows.push(Row {
                terms,
                clauses: clauses.len(),
                limit,
                y: if e.verdict == Verdict::Dprk { 1.0 } else { 0.0 },
            });
        }
        ignored.sort();
        Design {
            codes,
            rows,
            has,
            ignored,
        }
    }

    /// Per code, the (dprk, legit) examples that have it among those whose fold `keep`s.
    fn support(&self, fold_of: &[usize], keep: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
        let mut support = vec![(0, 0); self.codes.len()];
        for ((row, has), fold) in self.rows.iter().zip(&self.has).zip(fold_of) {
            if !keep(*fold) {
                continue;
            }
            for &k in has {
                if row.y > 0.5 {
                    support[k].0 += 1;
                } else {
                    support[k].1 += 1;
                }
            }
        }
        support
    }

    /// `base` with the fitted prior and weights, rounded as the proposed file writes
    /// them; a code no example in the fit had keeps its weight.
    fn policy(&self, base: &Policy, theta: &Theta, support: &[(usize, usize)]) -> Policy {
        let mut p = base.clone();
        p.scoring.prior = round2(theta.prior);
        for (code, &k) in &self.codes {
            if support[k].0 + support[k].1 > 0 {
                p.weights.insert(code.clone(), round2(theta.weights[k]));
            }
        }
        p
    }
}

/// Two decimals: what the proposed policy file holds, so the policy evaluated is the
/// policy written. Adding 0 turns a -0 (a weight clamped from below) into 0, which the
/// file would otherwise show as -0.00.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(code: &str, advisory: Advisory, confidence: f64) -> Signal {
        Signal {
            code: code.into(),
            advisory,
            weight: 0.0,
            confidence,
            summary: String::new(),
            evidence: vec![],
        }
    }

    /// Twenty dprk subjects with a shared device and a forged document, thirty legit ones
    /// with a crypto request, and a few of each the other way.
    fn examples() -> Vec<Example> {
        let link = || signal("links.shared_identifiers", Advisory::Link, 0.9);
        let forged = || signal("documents.forgery_indicators", Advisory::M2, 0.8);
        let crypto = || signal("payments.crypto_requested", Advisory::RF2, 1.0);
        let mut out = Vec::new();
        for i in 0..20 {
            let mut s = vec![link()];
            if i % 2 == 0 {
                s.push(forged());
            }
            if i % 3 == 0 {
                s.push(crypto());
            }
            out.push((Verdict::Dprk, s));
        }
        for i in 0..60 {
            let s = match i % 6 {
                0 => vec![crypto()],
                1 => vec![link()],
                _ => vec![],
            };
            out.push((Verdict::Legit, s));
        }
        out.into_iter()
            .enumerate()
            .map(|(i, (v, s))| Example::new(format!("c-{i:03}").parse().unwrap(), v, &s))
            .collect()
    }

    #[test]
    fn calibration_fits_what_separates_and_keeps_what_it_cannot_see() {
        let policy = Policy::default();
        let c = calibrate(&examples(), &policy, 5).unwrap();
        assert_eq!((c.dprk, c.legit), (20, 60));
        let w = |code: &str| c.weights.iter().find(|w| w.code == code).unwrap().clone();
        assert!(w("documents.forgery_indicators").after > 0.5, "{c:#?}");
        assert!(w("links.shared_identifiers").after > 0.5, "{c:#?}");
        // Never seen on a labelled subject: kept, and said so.
        let unseen = w("devices.remote_control");
        assert!(!unseen.fitted);
        assert_eq!(unseen.after, policy.weight("devices.remote_control"));
        assert!(c.weights.iter().all(|w| w.after >= 0.0));
        assert_eq!(w("links.shared_identifiers").dprk, 20);
        assert_eq!(w("links.shared_identifiers").legit, 10);
        let (before, after) = (c.before.auc.unwrap(), c.after.auc.unwrap());
        assert!((0.0..=1.0).contains(&before) && (0.0..=1.0).contains(&after));
        assert!(after > 0.8, "{after}");
        assert_eq!(c.before.rated.len(), 80);
        assert_eq!(c.after.rated.len(), 80);
        assert_eq!(c.before.bands.len(), 3);
        // The same labels make the same proposal.
        let again = calibrate(&examples(), &policy, 5).unwrap();
        assert_eq!(again.proposed, c.proposed);
    }

    #[test]
    fn too_few_labels_say_what_is_needed() {
        let few: Vec<Example> = examples().into_iter().skip(17).collect();
        let e = calibrate(&few, &Policy::default(), 5)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("at least 5 subjects labelled dprk")
                && e.contains("there are 3 dprk and 60 legit"),
            "{e}"
        );
        assert!(calibrate(&few, &Policy::default(), 3).is_ok());
        assert!(calibrate(&few, &Policy::default(), 1).is_err());
    }

    #[test]
    fn folds_are_stratified_and_independent_of_order() {
        let ex = examples();
        let folds = assign_folds(&ex, 5);
        for f in 0..5 {
            let dprk = (0..ex.len())
                .filter(|&i| folds[i] == f && ex[i].verdict == Verdict::Dprk)
                .count();
            assert_eq!(dprk, 4);
        }
        let mut reversed = ex.clone();
        reversed.reverse();
        let again = assign_folds(&reversed, 5);
        for (i, e) in ex.iter().enumerate() {
            let j = reversed
                .iter()
                .position(|r| r.subject == e.subject)
                .unwrap();
            assert_eq!(folds[i], again[j]);
        }
    }

    #[test]
    fn scores_go_through_the_real_scorer() {
        let policy = Policy::default();
        // Ten weak signals alone are held at weak_only_max whatever their weights.
        let weak: Vec<Signal> = [
            ("payments.crypto_requested", Advisory::RF2),
            ("credentials.not_verified", Advisory::M5),
            ("contracts.work_before_contract", Advisory::RF9),
            ("bids.far_below_competitors", Advisory::RF8),
            ("history.implausible", Advisory::RF4),
        ]
        .iter()
        .map(|(c, a)| signal(c, *a, 1.0))
        .collect();
        assert_eq!(score_under(&weak, &policy), policy.scoring.weak_only_max);
        // The stored weight is ignored: the policy's counts.
        let mut heavy = signal("links.shared_identifiers", Advisory::Link, 1.0);
        heavy.weight = 50.0;
        let s = score_under(&[heavy], &policy);
        assert!(s < policy.bands.high, "{s}");
    }
}

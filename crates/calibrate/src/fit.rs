//! The fit: a logistic regression of the scorer's own log-odds, with non-negative signal
//! weights, an intercept (the policy's `prior`) and an L2 penalty on the weights.
//!
//! The model is the scorer's arithmetic (`redflag_detect::scoring`), so that a fitted
//! weight means in the proposed policy what it meant in the fit: each signal adds weight ×
//! confidence, an advisory clause adds at most `family_cap`, a subject with only weak
//! signals is held at `weak_only_max`, and a decisive signal lifts the score to
//! `critical`. The three limits are kinks; here they are smoothed over a tenth of a
//! log-odds unit so the objective has a gradient everywhere. With the limits the problem
//! is no longer convex, so the optimiser starts from the same point every time and the
//! result is deterministic.
//!
//! Optimiser: projected gradient descent with Nesterov momentum (FISTA), a backtracking
//! step and a restart whenever the objective rises. Weights are clamped at 0 after every
//! step; the intercept is free and not penalised. Some thirty parameters and a few
//! thousand subjects: small enough to write out here rather than depend on an ML crate.

/// How sharp the smoothed limits are, in log-odds.
const SMOOTHING: f64 = 0.1;
/// Iterations before the optimiser stops; far more than the fits of the tests and the
/// demo need (a few hundred).
const MAX_ITERATIONS: usize = 20_000;
/// Converged when no parameter moves more than this in an iteration.
const TOLERANCE: f64 = 1e-7;

/// One signal code's total confidence on one subject.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Term {
    /// Index of the code's weight.
    pub weight: usize,
    /// Index of the advisory clause among this subject's clauses (`Row::clauses`).
    pub clause: usize,
    /// Σ confidence of the subject's signals of this code.
    pub x: f64,
}

/// Which of the scorer's limits applies to a subject; it depends on the signals' codes
/// and confidences, not on the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    None,
    /// No strong signal: held at `weak_only_max`.
    WeakOnly,
    /// A DPRK nexus or a confirmed sanctions match: at least `critical`.
    Decisive,
}

/// One labelled subject as the fit sees it.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub terms: Vec<Term>,
    /// How many distinct advisory clauses the terms fall in.
    pub clauses: usize,
    pub limit: Limit,
    /// 1 for dprk, 0 for legit.
    pub y: f64,
}

/// The scorer's constants, in log-odds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub family_cap: f64,
    /// `weak_only_max` as log-odds.
    pub hold: f64,
    /// `bands.critical` as log-odds.
    pub floor: f64,
}

/// The fitted parameters.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Theta {
    pub prior: f64,
    pub weights: Vec<f64>,
}

impl Theta {
    /// Every weight 0 and the prior at the labels' base rate: the same starting point for
    /// every fit.
    pub fn start(rows: &[&Row], weights: usize) -> Theta {
        let positives = rows.iter().filter(|r| r.y > 0.5).count() as f64;
        let rate = ((positives + 0.5) / (rows.len() as f64 + 1.0)).clamp(1e-3, 1.0 - 1e-3);
        Theta {
            prior: (rate / (1.0 - rate)).ln(),
            weights: vec![0.0; weights],
        }
    }

    fn max_distance(&self, other: &Theta) -> f64 {
        self.weights
            .iter()
            .zip(&other.weights)
            .map(|(a, b)| (a - b).abs())
            .fold((self.prior - other.prior).abs(), f64::max)
    }
}

/// `ln(1 + e^x)` without overflow.
fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

pub(crate) fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// A smooth `min(s, cap)` and its derivative in `s`.
fn soft_min(s: f64, cap: f64) -> (f64, f64) {
    let t = (cap - s) / SMOOTHING;
    (cap - SMOOTHING * softplus(t), sigmoid(t))
}

/// A smooth `max(s, floor)` and its derivative in `s`.
fn soft_max(s: f64, floor: f64) -> (f64, f64) {
    let t = (s - floor) / SMOOTHING;
    (floor + SMOOTHING * softplus(t), sigmoid(t))
}

/// The subject's log-odds under `theta`; with `grad`, adds `weight × ∂z/∂θ` to it.
fn log_odds(row: &Row, theta: &Theta, shape: &Shape, grad: Option<(&mut Theta, f64)>) -> f64 {
    let mut sums = [0.0f64; 32];
    let mut heap;
    let sums: &mut [f64] = if row.clauses <= sums.len() {
        &mut sums[..row.clauses]
    } else {
        heap = vec![0.0; row.clauses];
        &mut heap
    };
    for t in &row.terms {
        sums[t.clause] += theta.weights[t.weight] * t.x;
    }
    let mut u = theta.prior;
    for s in sums.iter_mut() {
        let (capped, slope) = soft_min(*s, shape.family_cap);
        u += capped;
        // Keep the slope where the sum was: the gradient needs it per clause.
        *s = slope;
    }
    let (z, dz_du) = match row.limit {
        Limit::None => (u, 1.0),
        Limit::WeakOnly => soft_min(u, shape.hold),
        Limit::Decisive => soft_max(u, shape.floor),
    };
    if let Some((g, scale)) = grad {
        let k = scale * dz_du;
        g.prior += k;
        for t in &row.terms {
            g.weights[t.weight] += k * sums[t.clause] * t.x;
        }
    }
    z
}

/// Mean log loss of `rows` under `theta` (no penalty): how well it predicts them.
pub(crate) fn log_loss(rows: &[&Row], theta: &Theta, shape: &Shape) -> f64 {
    if rows.is_empty() {
        return 0.0;
    }
    let total: f64 = rows
        .iter()
        .map(|r| {
            let z = log_odds(r, theta, shape, None);
            softplus(z) - r.y * z
        })
        .sum();
    total / rows.len() as f64
}

/// The objective (mean log loss + λ/2 · Σ weight²) and its gradient.
fn objective(rows: &[&Row], theta: &Theta, shape: &Shape, lambda: f64) -> (f64, Theta) {
    let n = rows.len().max(1) as f64;
    let mut grad = Theta {
        prior: 0.0,
        weights: vec![0.0; theta.weights.len()],
    };
    let mut loss = 0.0;
    for r in rows {
        // ∂loss/∂z = σ(z) − y, known only once z is: compute z, then the gradient.
        let z = log_odds(r, theta, shape, None);
        loss += softplus(z) - r.y * z;
        log_odds(r, theta, shape, Some((&mut grad, (sigmoid(z) - r.y) / n)));
    }
    let penalty: f64 = theta.weights.iter().map(|w| w * w).sum::<f64>() * lambda / 2.0;
    for (g, w) in grad.weights.iter_mut().zip(&theta.weights) {
        *g += lambda * w;
    }
    (loss / n + penalty, grad)
}

fn value(rows: &[&Row], theta: &Theta, shape: &Shape, lambda: f64) -> f64 {
    let penalty: f64 = theta.weights.iter().map(|w| w * w).sum::<f64>() * lambda / 2.0;
    log_loss(rows, theta, shape) + penalty
}

/// `theta − step · grad`, weights clamped at 0.
fn projected_step(theta: &Theta, grad: &Theta, step: f64) -> Theta {
    Theta {
        prior: theta.prior - step * grad.prior,
        weights: theta
            .weights
            .iter()
            .zip(&grad.weights)
            .map(|(w, g)| (w - step * g).max(0.0))
            .collect(),
    }
}

/// Minimises the objective over `rows` from `start`.
pub(crate) fn fit(rows: &[&Row], shape: &Shape, lambda: f64, start: &Theta) -> Theta {
    let mut x = start.clone();
    for w in &mut x.weights {
        *w = w.max(0.0);
    }
    let mut fx = value(rows, &x, shape, lambda);
    let mut y = x.clone();
    let mut momentum = 1.0f64;
    let mut step = 1.0f64;
    for _ in 0..MAX_ITERATIONS {
        let (fy, gy) = objective(rows, &y, shape, lambda);
        // Backtracking: the step must decrease the objective at least as the gradient
        // promises for a step this long.
        let (next, f_next) = loop {
            let next = projected_step(&y, &gy, step);
            let moved: f64 = (next.prior - y.prior) * gy.prior
                + next
                    .weights
                    .iter()
                    .zip(&y.weights)
                    .zip(&gy.weights)
                    .map(|((n, o), g)| (n - o) * g)
                    .sum::<f64>();
            let squared: f64 = (next.prior - y.prior).powi(2)
                + next
                    .weights
                    .iter()
                    .zip(&y.weights)
                    .map(|(n, o)| (n - o).powi(2))
                    .sum::<f64>();
            let f_next = value(rows, &next, shape, lambda);
            if f_next <= fy + moved + squared / (2.0 * step) + 1e-15 || step < 1e-12 {
                break (next, f_next);
            }
            step /= 2.0;
        };
        if f_next > fx {
            // Momentum overshot: restart from the last iterate without it.
            if y == x {
                break;
            }
            y = x.clone();
            momentum = 1.0;
            continue;
        }
        let moved = next.max_distance(&x);
        let following = (1.0 + (1.0 + 4.0 * momentum * momentum).sqrt()) / 2.0;
        let beta = (momentum - 1.0) / following;
        y = Theta {
            prior: next.prior + beta * (next.prior - x.prior),
            weights: next
                .weights
                .iter()
                .zip(&x.weights)
                .map(|(n, o)| (n + beta * (n - o)).max(0.0))
                .collect(),
        };
        momentum = following;
        x = next;
        fx = f_next;
        if moved < TOLERANCE {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the tests need no random-number crate.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    const WIDE: Shape = Shape {
        family_cap: 100.0,
        hold: 100.0,
        floor: -100.0,
    };

    /// Subjects with up to four signals, each in its own clause, drawn from a model with
    /// the given prior and weights (a negative weight: a signal commoner among legit).
    fn sample(prior: f64, weights: &[f64], n: usize, seed: u64) -> Vec<Row> {
        let mut rng = Lcg(seed);
        (0..n)
            .map(|_| {
                let mut terms = Vec::new();
                let mut z = prior;
                for (k, w) in weights.iter().enumerate() {
                    if rng.next() < 0.3 {
                        let x = 0.5 + 0.5 * rng.next();
                        terms.push(Term {
                            weight: k,
                            clause: terms.len(),
                            x,
                        });
                        z += w * x;
                    }
                }
                let y = if rng.next() < sigmoid(z) { 1.0 } else { 0.0 };
                Row {
                    clauses: terms.len(),
                    terms,
                    limit: Limit::None,
                    y,
                }
            })
            .collect()
    }

    #[test]
    fn known_weights_are_recovered() {
        let truth = [2.0, 1.0, 0.5, 1.5];
        let rows = sample(-1.5, &truth, 6000, 7);
        let refs: Vec<&Row> = rows.iter().collect();
        let theta = fit(&refs, &WIDE, 1e-5, &Theta::start(&refs, truth.len()));
        assert!((theta.prior + 1.5).abs() < 0.2, "{theta:?}");
        for (k, w) in truth.iter().enumerate() {
            assert!((theta.weights[k] - w).abs() < 0.3, "{k}: {theta:?}");
        }
    }

    #[test]
    fn a_signal_commoner_among_legit_gets_zero_not_a_negative_weight() {
        let rows = sample(-1.5, &[2.0, -1.0, 1.0], 3000, 5);
        let refs: Vec<&Row> = rows.iter().collect();
        let theta = fit(&refs, &WIDE, 1e-5, &Theta::start(&refs, 3));
        assert_eq!(theta.weights[1], 0.0, "{theta:?}");
        assert!(
            theta.weights[0] > 1.5 && theta.weights[2] > 0.6,
            "{theta:?}"
        );
    }

    #[test]
    fn the_fit_is_deterministic_and_the_penalty_shrinks() {
        let rows = sample(-1.0, &[1.5, 0.8], 800, 3);
        let refs: Vec<&Row> = rows.iter().collect();
        let start = Theta::start(&refs, 2);
        let a = fit(&refs, &WIDE, 1e-3, &start);
        let b = fit(&refs, &WIDE, 1e-3, &start);
        assert_eq!(a, b);
        let strong = fit(&refs, &WIDE, 1.0, &start);
        assert!(strong.weights[0] < a.weights[0] / 2.0, "{strong:?} {a:?}");
    }

    #[test]
    fn the_family_cap_is_part_of_the_model() {
        // Two codes in one clause, each alone worth 2: together they stop at the cap of
        // 3, as the scorer would add them.
        let shape = Shape {
            family_cap: 3.0,
            ..WIDE
        };
        let theta = Theta {
            prior: -3.0,
            weights: vec![2.0, 2.0],
        };
        let both = Row {
            terms: vec![
                Term {
                    weight: 0,
                    clause: 0,
                    x: 1.0,
                },
                Term {
                    weight: 1,
                    clause: 0,
                    x: 1.0,
                },
            ],
            clauses: 1,
            limit: Limit::None,
            y: 1.0,
        };
        let z = log_odds(&both, &theta, &shape, None);
        assert!((z - 0.0).abs() < 0.01, "{z}");
        // A weak-only subject is held, a decisive one lifted.
        let held = Row {
            limit: Limit::WeakOnly,
            ..both.clone()
        };
        let hold = Shape {
            hold: -1.0,
            ..shape
        };
        assert!((log_odds(&held, &theta, &hold, None) + 1.0).abs() < 0.01);
        let decisive = Row {
            terms: vec![],
            clauses: 0,
            limit: Limit::Decisive,
            y: 1.0,
        };
        let floor = Shape {
            floor: 1.7,
            ..shape
        };
        assert!((log_odds(&decisive, &theta, &floor, None) - 1.7).abs() < 0.01);
    }

    #[test]
    fn the_gradient_matches_the_objective() {
        let rows = sample(-1.0, &[1.5, 0.8, 0.3], 200, 11);
        let refs: Vec<&Row> = rows.iter().collect();
        let shape = Shape {
            family_cap: 1.2,
            hold: 0.4,
            floor: 1.7,
        };
        let theta = Theta {
            prior: -0.7,
            weights: vec![0.9, 1.1, 0.4],
        };
        let (_, grad) = objective(&refs, &theta, &shape, 0.01);
        let h = 1e-6;
        for k in 0..3 {
            let mut up = theta.clone();
            up.weights[k] += h;
            let mut down = theta.clone();
            down.weights[k] -= h;
            let numeric =
                (value(&refs, &up, &shape, 0.01) - value(&refs, &down, &shape, 0.01)) / (2.0 * h);
            assert!(
                (numeric - grad.weights[k]).abs() < 1e-5,
                "{k}: {numeric} {grad:?}"
            );
        }
    }
}

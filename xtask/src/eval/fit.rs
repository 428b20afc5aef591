//! Fitting the spun-word scorer's logistic weights on labelled candidates, so
//! that a new feature gets its weight from data (`eval --fit`).
//!
//! The fit reads only a corpus's fitting half ([`super::corpus::Corpus::fitting_documents`]),
//! which a held-out corpus refuses.

use super::Sample;
use unspun::detect::{Evidence, Features, Tuning};
use unspun::Checker;

/// Fits the logistic weights of the spun-word scorer on the training samples:
/// every spun-word candidate of the spun documents (label: at a substitution)
/// and of the clean documents (label 0).
pub fn fit_tuning(checker: &Checker, samples: &[Sample]) -> Tuning {
    let mut xs: Vec<[f64; Features::LEN]> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    for sample in samples {
        for (text, labels) in [
            (&sample.spun.text, Some(&sample.spun.substitutions)),
            (&sample.clean, None),
        ] {
            for finding in checker.findings(text) {
                if let Evidence::Context { features, .. } = &finding.evidence {
                    let label =
                        labels.is_some_and(|subs| subs.iter().any(|s| s.start == finding.start));
                    xs.push(features.vector());
                    ys.push(if label { 1.0 } else { 0.0 });
                }
            }
        }
    }
    eprintln!(
        "fitting on {} candidates ({} artifacts)",
        xs.len(),
        ys.iter().filter(|&&y| y > 0.5).count()
    );
    let (weights, intercept) = logistic_regression(&xs, &ys, 1e-2, 25);
    Tuning {
        weights,
        intercept,
        ..Tuning::default()
    }
}

/// L2-regularised logistic regression by Newton's method.
fn logistic_regression(
    xs: &[[f64; Features::LEN]],
    ys: &[f64],
    l2: f64,
    iterations: usize,
) -> ([f64; Features::LEN], f64) {
    const N: usize = Features::LEN + 1;
    let mut beta = [0.0f64; N];
    for _ in 0..iterations {
        let mut gradient = [0.0f64; N];
        let mut hessian = [[0.0f64; N]; N];
        for (x, &y) in xs.iter().zip(ys) {
            let mut row = [1.0f64; N];
            row[1..].copy_from_slice(x);
            let z: f64 = row.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let w = (p * (1.0 - p)).max(1e-9);
            for i in 0..N {
                gradient[i] += (y - p) * row[i];
                for j in 0..N {
                    hessian[i][j] += w * row[i] * row[j];
                }
            }
        }
        for i in 1..N {
            gradient[i] -= l2 * beta[i];
            hessian[i][i] += l2;
        }
        let step = solve(hessian, gradient);
        let mut change = 0.0;
        for i in 0..N {
            beta[i] += step[i];
            change += step[i].abs();
        }
        if change < 1e-6 {
            break;
        }
    }
    let mut weights = [0.0; Features::LEN];
    weights.copy_from_slice(&beta[1..]);
    (weights, beta[0])
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> [f64; N] {
    for col in 0..N {
        let pivot = (col..N)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        let d = a[col][col];
        if d.abs() < 1e-12 {
            continue;
        }
        for row in col + 1..N {
            let f = a[row][col] / d;
            let pivot_row = a[col];
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; N];
    for row in (0..N).rev() {
        let s: f64 = (row + 1..N).map(|k| a[row][k] * x[k]).sum();
        x[row] = if a[row][row].abs() < 1e-12 {
            0.0
        } else {
            (b[row] - s) / a[row][row]
        };
    }
    x
}

pub fn print_tuning(tuning: &Tuning) {
    println!("fitted weights (Tuning::default):");
    for (name, w) in Features::NAMES.iter().zip(tuning.weights) {
        println!("  {name}: {w:.4}");
    }
    println!("  intercept: {:.4}", tuning.intercept);
    println!(
        "  weights: [{}],",
        tuning
            .weights
            .iter()
            .map(|w| format!("{w:.4}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logistic_regression_recovers_a_separating_direction() {
        let xs: Vec<[f64; Features::LEN]> = (0..200)
            .map(|i| {
                let mut x = [0.0; Features::LEN];
                x[0] = (i as f64 - 100.0) / 10.0;
                x
            })
            .collect();
        let ys: Vec<f64> = (0..200).map(|i| if i >= 100 { 1.0 } else { 0.0 }).collect();
        let (w, _) = logistic_regression(&xs, &ys, 1e-2, 25);
        assert!(w[0] > 1.0, "{w:?}");
    }
}

//! Target solving against an answer known exactly.

use std::path::Path;

use staffcast::solve::{SolveOptions, solve};

use crate::common::{Synthetic, counted};

/// P(Binomial(n, p) >= k), summed exactly in f64.
fn binomial_at_least(n: u32, p: f64, k: u32) -> f64 {
    let mut pmf = (1.0 - p).powi(n as i32);
    let mut tail = 0.0;
    for i in 0..=n {
        if i >= k {
            tail += pmf;
        }
        pmf *= f64::from(n - i) / f64::from(i + 1) * p / (1.0 - p);
    }
    tail
}

/// 100 people, no hiring, leaving at annual rate a: the permanent FTE after
/// 12 months is Binomial(100, 1 - a), so the largest a with P(FTE >= 80) of
/// at least 0.8 is known. The search must bracket it.
#[test]
fn solve_brackets_the_exact_lever_value() {
    let text = Synthetic {
        permanent: 100,
        horizon: 12,
        extra: "[targets.keep_80]\nmetric = \"fte_permanent\"\ncomparison = \">=\"\nthreshold = 80\nby = \"2024-12\"\n".into(),
        ..Default::default()
    }
    .toml();
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if binomial_at_least(100, 1.0 - mid, 80) >= 0.8 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let exact = lo;
    let (progress, runs) = counted();
    let options = SolveOptions {
        target: "keep_80".into(),
        lever: "leaving.annual_rate".into(),
        low: 0.05,
        high: 0.35,
        integer: false,
        confidence: 0.8,
        replications: Some(2000),
        seed: Some(3),
        threads: Some(2),
        progress: Some(progress),
    };
    // annual_rate is an array, a rate per band: the lever sets each to a.
    let solution = solve(&text, Path::new("test.toml"), &options);
    let solution = match solution {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    assert!(!solution.increasing, "more leaving, less chance");
    let (short, enough) = (solution.interval.0.unwrap(), solution.interval.1.unwrap());
    assert!(
        enough <= exact && exact <= short,
        "exact {exact}; found {:?}, clearly enough at {enough}, clearly short at {short}",
        solution.answer
    );
    assert!(short - enough < 0.05, "{enough} to {short}");
    // Every candidate's replications were counted as they ran.
    let counted = runs.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(counted, 2000 * solution.curve.len());
    // The probabilities along the curve never rise with more leaving (common random numbers).
    for w in solution.curve.windows(2) {
        assert!(w[1].probability <= w[0].probability, "{:?}", solution.curve);
    }
}

//! Summaries across replications: means, quantiles, binomial intervals.

/// The quantiles reported for every metric.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// Linear-interpolation quantile (Hyndman and Fan type 7, the default of R
/// and NumPy) of values sorted ascending.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    assert!(!sorted.is_empty(), "quantile of no values");
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    if lo == hi || sorted[lo] == sorted[hi] {
        sorted[lo]
    } else {
        sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
    }
}

/// The mean, summed in the given order so that the result is reproducible.
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Mean and the five reported quantiles.
pub fn summarize(values: &mut [f64]) -> (f64, [f64; 5]) {
    let m = mean(values);
    values.sort_by(f64::total_cmp);
    (m, QUANTILES.map(|p| quantile_sorted(values, p)))
}

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for a binomial proportion: `k` successes in `n`.
pub fn wilson(k: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 or n successes the interval touches the boundary exactly.
    let low = if k == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if k == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (low, high)
}

/// The inverse-CDF quantile (type 1) of whole numbers sorted ascending: always
/// one of the values, as months must be.
pub fn quantile_discrete(sorted: &[usize], p: f64) -> usize {
    let n = sorted.len();
    let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
    sorted[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_quantiles_match_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        assert_eq!(quantile_sorted(&v, 0.25), 2.0);
        assert!((quantile_sorted(&v, 0.95) - 8.8).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[7.0], 0.3), 7.0);
    }

    #[test]
    fn wilson_matches_a_hand_computation() {
        // 8 of 10 at 95%: the textbook interval is (0.490, 0.943).
        let (lo, hi) = wilson(8, 10, Z95);
        assert!(
            (lo - 0.4902).abs() < 1e-4 && (hi - 0.9433).abs() < 1e-4,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(0, 50, Z95);
        assert_eq!(lo, 0.0);
        assert!(hi > 0.0 && hi < 0.1);
    }

    #[test]
    fn discrete_quantiles_are_values() {
        let v = [3, 5, 8, 13];
        assert_eq!(quantile_discrete(&v, 0.5), 5);
        assert_eq!(quantile_discrete(&v, 0.05), 3);
        assert_eq!(quantile_discrete(&v, 0.95), 13);
    }
}

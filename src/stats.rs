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

/// Mean and the five reported quantiles. Only the order statistics the
/// quantiles read are found (by counting when the values are whole numbers
/// in a narrow range, as counts of people mostly are, else by selection),
/// which gives the same numbers as sorting in a fraction of the time.
pub fn summarize(values: &[f64]) -> (f64, [f64; 5]) {
    assert!(!values.is_empty(), "quantile of no values");
    let last = (values.len() - 1) as f64;
    let h = |p: f64| last * p;
    let mut ranks: Vec<usize> = QUANTILES
        .iter()
        .flat_map(|&p| [h(p).floor() as usize, h(p).ceil() as usize])
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let (m, ordered) = match counted(values, &ranks) {
        Some(Counted { ordered, mean: m }) => (m.unwrap_or_else(|| mean(values)), ordered),
        None => (mean(values), selected(values, &ranks)),
    };
    let at = |rank: usize| ordered[ranks.binary_search(&rank).expect("a wanted rank")];
    let quantile = |p: f64| {
        let h = h(p);
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        let (low, high) = (at(lo), at(hi));
        if lo == hi || low == high {
            low
        } else {
            low + (h - lo as f64) * (high - low)
        }
    };
    (m, QUANTILES.map(quantile))
}

/// The order statistics at `ranks` (ascending, distinct) by selection, on
/// integer keys that order as [`f64::total_cmp`] does: comparing them is
/// cheaper than comparing the floats, which works out the same key for
/// both sides of every comparison.
fn selected(values: &[f64], ranks: &[usize]) -> Vec<f64> {
    thread_local! {
        static KEYS: std::cell::RefCell<Vec<i64>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    KEYS.with_borrow_mut(|keys| {
        keys.clear();
        keys.extend(values.iter().map(|&v| total_order_key(v)));
        select_ranks(keys, ranks, 0);
        ranks
            .iter()
            .map(|&rank| f64::from_bits(total_order_key_inverse(keys[rank])))
            .collect()
    })
}

/// Puts each of `ranks` (ascending, distinct; `keys[0]` is rank `first`) in
/// place. The middle rank first: its selection leaves the smaller ranks'
/// keys to its left and the larger ones' to its right, so each side is
/// searched apart, and a rank next to one in place is the least of what
/// lies beyond it.
fn select_ranks(keys: &mut [i64], ranks: &[usize], first: usize) {
    let Some(&middle) = ranks.get(ranks.len() / 2) else {
        return;
    };
    let (left, _, right) = keys.select_nth_unstable(middle - first);
    let (below, above) = ranks.split_at(ranks.len() / 2);
    select_ranks(left, below, first);
    select_ranks(right, &above[1..], middle + 1);
}

/// The integer [`f64::total_cmp`] compares: negative floats have every bit
/// but the sign flipped.
fn total_order_key(v: f64) -> i64 {
    let bits = v.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

/// The bits of the float whose [`total_order_key`] is `key`: the flip keeps
/// the sign bit, so it is its own inverse.
fn total_order_key_inverse(key: i64) -> u64 {
    total_order_key(f64::from_bits(key as u64)) as u64
}

/// Whole-number values counted: the order statistics asked for, and their
/// mean when it is the same in any order of summing.
#[derive(Debug, PartialEq)]
struct Counted {
    ordered: Vec<f64>,
    /// When no partial sum can pass 2^53, every one is a whole number an
    /// `f64` holds exactly, so the exact total divided by the number of
    /// values is bit for bit the mean summed value by value; `None`
    /// otherwise.
    mean: Option<f64>,
}

/// The order statistics at `ranks` (ascending, distinct) by counting, when
/// every value is a whole number (not `-0.0`, which sorts apart from `0.0`)
/// and their range is no wider than their number; `None` otherwise.
fn counted(values: &[f64], ranks: &[usize]) -> Option<Counted> {
    let whole = |v: f64| {
        let w = v as i32;
        (f64::from(w).to_bits() == v.to_bits()).then_some(w)
    };
    let (mut low, mut high) = (i32::MAX, i32::MIN);
    for &v in values {
        let w = whole(v)?;
        low = low.min(w);
        high = high.max(w);
    }
    let width = usize::try_from(i64::from(high) - i64::from(low)).ok()? + 1;
    if width > values.len().max(64) {
        return None;
    }
    let mut counts = vec![0u32; width];
    for &v in values {
        counts[(v as i32 - low) as usize] += 1;
    }
    let mut ordered = Vec::with_capacity(ranks.len());
    let (mut below, mut total, mut wanted) = (0usize, 0i128, ranks.iter().peekable());
    for (offset, &count) in counts.iter().enumerate() {
        let value = low + offset as i32;
        below += count as usize;
        total += i128::from(value) * i128::from(count);
        while wanted.next_if(|&&rank| rank < below).is_some() {
            ordered.push(f64::from(value));
        }
    }
    let largest = u64::from(low.unsigned_abs().max(high.unsigned_abs()));
    let exact = largest.saturating_mul(values.len() as u64) <= 1 << 53;
    Some(Counted {
        ordered,
        mean: exact.then(|| total as f64 / values.len() as f64),
    })
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

    /// `summarize` gives bit for bit the quantiles of a full sort and the
    /// mean in the given order.
    fn agrees_with_a_full_sort(values: &[f64]) {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let expected = QUANTILES.map(|p| quantile_sorted(&sorted, p));
        let (m, got) = summarize(values);
        let n = values.len();
        assert_eq!(got.map(f64::to_bits), expected.map(f64::to_bits), "n = {n}");
        assert_eq!(m.to_bits(), mean(values).to_bits());
    }

    #[test]
    fn selection_gives_the_quantiles_of_a_full_sort() {
        let mut x = 12345u64;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x
        };
        // Small and large sizes, with ties and signed zeros.
        for n in (1..60).chain([997, 1000, 10_001]) {
            let values: Vec<f64> = (0..n)
                .map(|_| match next() {
                    x if x >> 61 == 0 => 0.0,
                    x if x >> 61 == 1 => -0.0,
                    x if x >> 61 == 2 => 3.0,
                    x => (x >> 11) as f64 / (1u64 << 53) as f64 * 100.0 - 50.0,
                })
                .collect();
            agrees_with_a_full_sort(&values);
        }
        // Whole numbers, narrow (counted) and wide (selected), with -0.0
        // among them (selected: it sorts below 0.0).
        for (n, spread) in [(1, 3), (7, 2), (1000, 40), (1000, 5000), (10_001, 300)] {
            for signed_zero in [false, true] {
                let mut values: Vec<f64> = (0..n)
                    .map(|_| ((next() >> 33) % spread) as f64 - (spread / 3) as f64)
                    .collect();
                if signed_zero {
                    values[n / 2] = -0.0;
                }
                agrees_with_a_full_sort(&values);
            }
        }
        // One value everywhere, infinities and NaN included.
        for v in [3.0, 0.0, -0.0, f64::INFINITY, f64::NAN] {
            for n in [1, 2, 1000] {
                agrees_with_a_full_sort(&vec![v; n]);
            }
        }
    }

    #[test]
    fn only_narrow_whole_numbers_are_counted() {
        let ranks = [0, 2, 3];
        let counted_at = |values: &[f64]| counted(values, &ranks);
        assert_eq!(
            counted_at(&[3.0, -1.0, 2.0, 3.0]),
            Some(Counted {
                ordered: vec![-1.0, 3.0, 3.0],
                mean: Some(7.0 / 4.0)
            })
        );
        assert_eq!(counted_at(&[3.0, -0.0, 2.0, 3.0]), None);
        assert_eq!(counted_at(&[3.0, 0.5, 2.0, 3.0]), None);
        assert_eq!(counted_at(&[3.0, f64::NAN, 2.0, 3.0]), None);
        assert_eq!(counted_at(&[3.0, 1e10, 2.0, 3.0]), None);
        // A range wider than the number of values (and than 64) is selected.
        assert_eq!(counted_at(&[0.0, 64.0, 1.0, 2.0]), None);
        assert!(counted_at(&[0.0, 63.0, 1.0, 2.0]).is_some());
    }

    #[test]
    fn a_counted_mean_is_the_mean_summed_in_order() {
        // Whole numbers in a narrow range, big enough that summing them in
        // order rounds once partial sums pass 2^53: the total is not used.
        let big = f64::from(i32::MAX);
        let values = vec![big; (1 << 22) + 1];
        let ranks = [0, 1];
        assert_eq!(counted(&values, &ranks).map(|c| c.mean), Some(None));
        assert_eq!(summarize(&values).0.to_bits(), mean(&values).to_bits());
        // Below that, the exact total gives the same bits.
        let values: Vec<f64> = (0..10_001)
            .map(|i| f64::from(i % 7 - 3) + big - 3.0)
            .collect();
        assert!(counted(&values, &ranks).is_some_and(|c| c.mean.is_some()));
        assert_eq!(summarize(&values).0.to_bits(), mean(&values).to_bits());
    }

    #[test]
    fn total_order_keys_order_as_total_cmp_and_come_back() {
        let values = [
            f64::NEG_INFINITY,
            -1e300,
            -1.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            2.5,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        for a in values {
            assert_eq!(total_order_key_inverse(total_order_key(a)), a.to_bits());
            for b in values {
                assert_eq!(
                    total_order_key(a).cmp(&total_order_key(b)),
                    a.total_cmp(&b),
                    "{a} {b}"
                );
            }
        }
    }

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

//! One module per monthly process, each with one `step` function.

pub mod agency;
pub mod demand;
pub mod finance;
pub mod leaving;
pub mod pipelines;
pub mod progress;
pub mod recruitment;

/// FTE differences below this are rounding, not a post: vacancies are counted
/// in whole posts after adding it.
pub const FTE_EPSILON: f64 = 1e-9;

/// Whole posts of `post_fte` that fit in `fte`.
pub fn whole_posts(fte: f64, post_fte: f64) -> u32 {
    if fte <= 0.0 {
        0
    } else {
        // Truncating a non-negative number is its floor, without the call
        // that `floor` is on x86-64's baseline (which has no rounding
        // instruction).
        ((fte + FTE_EPSILON) / post_fte) as u32
    }
}

/// FTE of a grade's posts neither filled by permanent staff nor promised to a
/// pending starter: what recruitment, the NQSW intake and vacancy-bound
/// panels may fill.
pub fn open_permanent_fte(
    realized: &crate::sim::Realized,
    t: usize,
    grade: usize,
    state: &crate::sim::State,
) -> f64 {
    use crate::workforce::Contract;
    realized.establishment_fte[grade].at(t)
        - state.workforce.fte_in_post(grade, Contract::Permanent)
        - state.pending_fte(grade, Contract::Permanent)
}

/// Keeps the `k` people with the lowest draws, in order of their draws: the
/// same as sorting them all and keeping the first `k`, but the sort is over
/// the `k` only (a training cohort from a whole service's eligible staff).
pub fn lowest_draws(candidates: &mut Vec<(u64, usize)>, k: usize) {
    if k > 0 && k < candidates.len() {
        candidates.select_nth_unstable(k - 1);
    }
    candidates.truncate(k);
    candidates.sort_unstable();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowest_draws_are_the_first_of_the_sorted_list() {
        let draws: Vec<(u64, usize)> = (0..50)
            .map(|i| (crate::rng::mix(i as u64) % 20, i))
            .collect();
        for k in [0, 1, 7, 49, 50, 80] {
            let mut sorted = draws.clone();
            sorted.sort_unstable();
            sorted.truncate(k);
            let mut kept = draws.clone();
            lowest_draws(&mut kept, k);
            assert_eq!(kept, sorted, "k = {k}");
        }
    }

    /// Posts are counted down, as the floor counts them: FTE of whole
    /// posts, just short of them (within the tolerance and beyond it), and
    /// part posts.
    #[test]
    fn whole_posts_counts_down_to_whole_posts() {
        for post in [1.0, 0.5, 0.8, 0.6] {
            for k in 0..40 {
                let whole = f64::from(k) * post;
                for fte in [
                    whole,
                    whole - FTE_EPSILON / 2.0,
                    whole - 0.01,
                    whole + 0.3,
                    -whole,
                ] {
                    let expected = if fte <= 0.0 {
                        0
                    } else {
                        ((fte + FTE_EPSILON) / post).floor() as u32
                    };
                    assert_eq!(whole_posts(fte, post), expected, "{fte} / {post}");
                }
            }
        }
    }
}

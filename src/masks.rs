//! Sets of people as 64-bit masks, one bit a person: how scans of everyone
//! find whom they look for without a branch per person, whether the
//! processor can make the masks eight people at a time, and asking for
//! memory ahead of reading it at scattered places.

/// Calls `visit` with the place of every bit set in `masks`, in order: bit
/// `j` of the `k`-th mask stands for person `64 k + j`.
#[inline]
pub fn visit_masks(masks: impl Iterator<Item = u64>, mut visit: impl FnMut(usize)) {
    for (k, mut mask) in masks.enumerate() {
        while mask != 0 {
            visit(k * 64 + mask.trailing_zeros() as usize);
            mask &= mask - 1;
        }
    }
}

/// Calls `visit` with the place of some of the bits set in `masks`, in
/// order: `gap()` of them passed over before the first one visited, and
/// `gap()` more after each. With gaps drawn from the geometric law of
/// success probability `p`, each bit is visited independently with
/// probability `p`, for a draw per bit visited (and one more) instead of a
/// draw per bit; whole masks are passed over by their count of bits.
#[inline]
pub fn visit_after_gaps(
    masks: impl Iterator<Item = u64>,
    mut gap: impl FnMut() -> u64,
    mut visit: impl FnMut(usize),
) {
    let mut skip = gap();
    for (k, mut mask) in masks.enumerate() {
        loop {
            let set = u64::from(mask.count_ones());
            if skip >= set {
                skip -= set;
                break;
            }
            for _ in 0..skip {
                mask &= mask - 1;
            }
            visit(k * 64 + mask.trailing_zeros() as usize);
            mask &= mask - 1;
            skip = gap();
        }
    }
}

/// Whether the processor has AVX2, with which the scans that read everyone
/// every month (leaving's first test, the ASYE's end) make their masks eight
/// people at a time; elsewhere they make them one at a time, with the same
/// bits. Checked once and then remembered by the standard library.
pub fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx2");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// Asks for the cache line holding `at` ahead of reading it: for reads at
/// scattered places (the people a scan found, a run's records), which
/// otherwise wait for memory one after another.
#[inline(always)]
pub fn prefetch<T>(at: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: SSE is part of x86_64, and a prefetch is only a hint: it
        // never faults and changes no memory.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((at as *const T).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bits `visit_after_gaps` visits for `gaps`, in turn.
    fn visited(masks: &[u64], gaps: &[u64]) -> Vec<usize> {
        let mut gaps = gaps.iter().copied().chain(std::iter::repeat(u64::MAX));
        let mut out = Vec::new();
        visit_after_gaps(
            masks.iter().copied(),
            || gaps.next().unwrap(),
            |i| out.push(i),
        );
        out
    }

    #[test]
    fn gaps_pass_over_that_many_set_bits() {
        // Set bits at 1, 3, 4, 63, 64 + 0, 64 + 7 and 128 + 2.
        let masks = [1 << 1 | 1 << 3 | 1 << 4 | 1 << 63, 1 | 1 << 7, 1 << 2];
        assert_eq!(
            visited(&masks, &[0, 0, 0, 0, 0, 0, 0]),
            [1, 3, 4, 63, 64, 71, 130]
        );
        assert_eq!(visited(&masks, &[1, 1]), [3, 63]);
        // Gaps that cross whole masks, and one that runs past the end.
        assert_eq!(visited(&masks, &[4, 1]), [64, 130]);
        assert_eq!(visited(&masks, &[6, 0]), [130]);
        assert_eq!(visited(&masks, &[7]), Vec::<usize>::new());
        assert_eq!(visited(&[0, 0, 1 << 5], &[0]), [133]);
    }

    #[test]
    fn zero_gaps_visit_what_visit_masks_visits() {
        let masks = [0xF0F0_0000_0000_0001, 0, u64::MAX, 0x8000_0000_0000_0000];
        let mut every = Vec::new();
        visit_masks(masks.iter().copied(), |i| every.push(i));
        let mut gapless = Vec::new();
        visit_after_gaps(masks.iter().copied(), || 0, |i| gapless.push(i));
        assert_eq!(gapless, every);
    }
}

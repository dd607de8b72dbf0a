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

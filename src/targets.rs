//! Whether, and when, each replication meets each target.

use crate::model::{Model, Target};
use crate::outcome::Outcome;
use crate::stats::{Z95, quantile_discrete, wilson};

/// One replication's verdict on one target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The metric met the threshold in every one of the `consecutive_months`
    /// months ending with the target month.
    pub met: bool,
    /// The first month index at which a run of `consecutive_months` months
    /// meeting the threshold was complete, if any in the horizon.
    pub first_met: Option<usize>,
}

pub fn evaluate(model: &Model, target: &Target, outcome: &Outcome) -> Verdict {
    let need = target.consecutive_months as usize;
    let by = target.by.months_since(model.start) as usize;
    let mut run = 0;
    let mut first_met = None;
    let mut met = false;
    for (t, value) in outcome.months_of(target.metric).into_iter().enumerate() {
        run = if target.comparison.holds(value, target.threshold) {
            run + 1
        } else {
            0
        };
        if run >= need && first_met.is_none() {
            first_met = Some(t);
        }
        if t == by {
            met = run >= need;
        }
    }
    Verdict { met, first_met }
}

/// A target summarised over replications.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetSummary {
    pub probability: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Quantiles (P5, P50, P95) of the first month met, among replications
    /// that meet it within the horizon; `None` if none do.
    pub first_met: Option<[usize; 3]>,
    /// Replications that first meet it in each month, up to the last month
    /// any does.
    pub first_met_counts: Vec<usize>,
    pub never_met_share: f64,
}

pub fn summarize(verdicts: &[Verdict]) -> TargetSummary {
    let n = verdicts.len() as u64;
    let met = verdicts.iter().filter(|v| v.met).count() as u64;
    let (ci_low, ci_high) = wilson(met, n, Z95);
    let mut firsts: Vec<usize> = verdicts.iter().filter_map(|v| v.first_met).collect();
    firsts.sort_unstable();
    let never = n - firsts.len() as u64;
    let mut first_met_counts = vec![0; firsts.last().map_or(0, |&last| last + 1)];
    for &first in &firsts {
        first_met_counts[first] += 1;
    }
    TargetSummary {
        probability: met as f64 / n as f64,
        ci_low,
        ci_high,
        first_met: (!firsts.is_empty())
            .then(|| [0.05, 0.5, 0.95].map(|p| quantile_discrete(&firsts, p))),
        first_met_counts,
        never_met_share: never as f64 / n as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_counts_the_months_targets_are_first_met() {
        let verdict = |met, first_met| Verdict { met, first_met };
        let verdicts = [
            verdict(true, Some(3)),
            verdict(false, None),
            verdict(true, Some(1)),
            verdict(true, Some(3)),
            verdict(false, Some(7)),
        ];
        let s = summarize(&verdicts);
        assert_eq!(s.probability, 0.6);
        assert_eq!(s.first_met_counts, [0, 1, 0, 2, 0, 0, 0, 1]);
        assert_eq!(s.first_met, Some([1, 3, 7]));
        assert_eq!(s.never_met_share, 0.2);
        assert!(
            summarize(&[verdict(false, None)])
                .first_met_counts
                .is_empty()
        );
    }
}

//! The mean and quantiles of every metric in every month across
//! replications: worked out once per variant, in parallel over metrics, for
//! the quantiles table, the charts and the summary.

use rayon::prelude::*;

use crate::compare::Spread;
use crate::metrics::MetricId;
use crate::outcome::Outcome;
use crate::runner::VariantRun;
use crate::stats::summarize;

/// Outcomes read ahead of the one being decoded.
const AHEAD: usize = 8;

/// Outcomes decoded before their months are put in place.
const BLOCK: usize = 8;

/// `[month][metric]` spreads of one variant.
#[derive(Clone, Debug)]
pub struct Cells {
    metrics: usize,
    spreads: Vec<Spread>,
}

impl Cells {
    pub fn of(run: &VariantRun) -> Cells {
        let model = &run.variant.model;
        let metrics = model.catalogue.len();
        let replications = run.outcomes.len().max(1);
        let months = model.horizon();
        // A metric at a time, so that each outcome is read one contiguous
        // column at a time; the working buffer is one metric's months x
        // replications, month-major, so that each month's values across
        // replications lie side by side.
        let by_metric: Vec<Vec<Spread>> = (0..metrics)
            .into_par_iter()
            .map_init(
                || (vec![0.0; months * replications], vec![0.0; months * BLOCK]),
                |(across, block), k| {
                    gather(&run.outcomes, k, months, across, block);
                    across
                        .chunks_exact(replications)
                        .map(|values| {
                            let (mean, quantiles) = summarize(values);
                            Spread { mean, quantiles }
                        })
                        .collect()
                },
            )
            .collect();
        let spreads = (0..months)
            .flat_map(|t| by_metric.iter().map(move |spreads| spreads[t]))
            .collect();
        Cells { metrics, spreads }
    }

    pub fn get(&self, t: usize, metric: MetricId) -> &Spread {
        &self.spreads[t * self.metrics + metric]
    }

    pub fn median(&self, t: usize, metric: MetricId) -> f64 {
        self.get(t, metric).quantiles[2]
    }
}

/// `metric`'s months of every outcome into `across`, month-major (each
/// month's values across outcomes side by side), through `block`.
fn gather(
    outcomes: &[Outcome],
    metric: MetricId,
    months: usize,
    across: &mut [f64],
    block: &mut [f64],
) {
    let replications = across.len() / months;
    // A block of outcomes at a time, so that each month's values go in as
    // whole cache lines.
    for first in (0..outcomes.len()).step_by(BLOCK) {
        let last = (first + BLOCK).min(outcomes.len());
        for (r, column) in (first..last).zip(block.chunks_exact_mut(months)) {
            if let Some(ahead) = outcomes.get(r + 2 * AHEAD) {
                ahead.prefetch_column(metric);
            }
            if let Some(ahead) = outcomes.get(r + AHEAD) {
                ahead.prefetch_months(metric);
            }
            outcomes[r].months_into(metric, column);
        }
        for (t, month) in across.chunks_exact_mut(replications).enumerate() {
            for (v, column) in month[first..last]
                .iter_mut()
                .zip(block.chunks_exact(months))
            {
                *v = column[t];
            }
        }
    }
}

//! The mean and quantiles of every metric in every month across
//! replications: worked out once per variant, in parallel over metrics, for
//! the quantiles table, the charts and the summary.

use rayon::prelude::*;

use crate::compare::Spread;
use crate::metrics::MetricId;
use crate::runner::VariantRun;
use crate::stats::summarize;

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
        // replications.
        let by_metric: Vec<Vec<Spread>> = (0..metrics)
            .into_par_iter()
            .map_init(
                || (vec![0.0; months * replications], vec![0.0; replications]),
                |(columns, across), k| {
                    for (outcome, column) in
                        run.outcomes.iter().zip(columns.chunks_exact_mut(months))
                    {
                        outcome.months_into(k, column);
                    }
                    (0..months)
                        .map(|t| {
                            for (v, column) in across.iter_mut().zip(columns.chunks_exact(months)) {
                                *v = column[t];
                            }
                            let (mean, quantiles) = summarize(across);
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

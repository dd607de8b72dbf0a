//! The mean and quantiles of every metric in every month across
//! replications: worked out once per variant, in parallel over months, for
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
        let spreads = (0..model.horizon())
            .into_par_iter()
            .flat_map_iter(|t| {
                // One month of every replication, laid out metric by metric,
                // read outcome by outcome (each outcome's bytes once).
                let mut by_metric = vec![0.0; metrics * replications];
                let mut row = vec![0.0; metrics];
                for (r, outcome) in run.outcomes.iter().enumerate() {
                    outcome.month_into(t, &mut row);
                    for (k, &v) in row.iter().enumerate() {
                        by_metric[k * replications + r] = v;
                    }
                }
                by_metric
                    .chunks_exact_mut(replications)
                    .map(|values| {
                        let (mean, quantiles) = summarize(values);
                        Spread { mean, quantiles }
                    })
                    .collect::<Vec<_>>()
            })
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

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
                    if let Some(spread) = constant_spread(&run.outcomes, k) {
                        return vec![spread; months];
                    }
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

/// The spread of `metric` in every month when every outcome keeps it as one
/// value for all months (lines a scenario does not use are zero throughout,
/// an establishment may not change): each month's values across outcomes
/// are then those values, in the same order, so one summary serves every
/// month. `None` otherwise, mostly found at the first outcome.
fn constant_spread(outcomes: &[Outcome], metric: MetricId) -> Option<Spread> {
    let values = outcomes
        .iter()
        .map(|o| o.constant(metric))
        .collect::<Option<Vec<f64>>>()
        .filter(|values| !values.is_empty())?;
    let (mean, quantiles) = summarize(&values);
    Some(Spread { mean, quantiles })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{RunOptions, run};

    #[test]
    fn each_cell_is_the_summary_of_its_months_values() {
        // The bundled scenario with its practice managers' establishment
        // uncertain: drawn once a replication, so kept as one value by
        // each, a different one by each.
        let text = include_str!("../../scenarios/slough-children-2014.toml").replacen(
            "establishment_fte = 18",
            "establishment_fte = { dist = \"uniform\", low = 16, high = 20 }",
            1,
        );
        let scenario = crate::scenario::compile(&text, std::path::Path::new("uncertain.toml"))
            .expect("compiles");
        let options = RunOptions {
            replications: Some(40),
            variants: Some(Vec::new()),
            ..Default::default()
        };
        let result = run(&scenario, &options).expect("runs");
        let run = &result.variants[0];
        let model = &run.variant.model;
        let cells = Cells::of(run);
        let bits = |s: &Spread| (s.mean.to_bits(), s.quantiles.map(f64::to_bits));
        let (mut constant, mut differing) = (0, 0);
        for k in 0..model.catalogue.len() {
            let values: Option<Vec<f64>> = run.outcomes.iter().map(|o| o.constant(k)).collect();
            if let Some(values) = values {
                constant += 1;
                differing += usize::from(values.iter().any(|v| v.to_bits() != values[0].to_bits()));
            }
            let months: Vec<Vec<f64>> = run.outcomes.iter().map(|o| o.months_of(k)).collect();
            for t in 0..model.horizon() {
                let values: Vec<f64> = months.iter().map(|m| m[t]).collect();
                let (mean, quantiles) = summarize(&values);
                let expected = Spread { mean, quantiles };
                assert_eq!(
                    bits(cells.get(t, k)),
                    bits(&expected),
                    "metric {k}, month {t}"
                );
            }
        }
        // Both ways of reading are exercised.
        assert!(
            constant > 0 && constant < model.catalogue.len(),
            "{constant}"
        );
        assert!(differing > 0);
    }
}

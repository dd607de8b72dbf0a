//! Open cases: a series given by the scenario, or a trend with noise.

use crate::calendar::Month;
use crate::model::Demand;
use crate::param::normal_quantile;
use crate::rng::{Draws, Stream, open_unit};
use crate::sim::Realized;

/// Open cases in month `t`, from last month's.
pub fn step(
    demand: &Demand,
    realized: &Realized,
    previous: f64,
    t: usize,
    month: Month,
    draws: &Draws,
) -> f64 {
    if let Some(series) = &demand.series {
        return series[t.min(series.len() - 1)];
    }
    if t == 0 {
        return realized.open_cases.at(0);
    }
    let sd = realized.demand_noise_sd.at(t);
    let growth = 1.0 + realized.demand_trend.at(t);
    walk(previous, growth, sd, draws, Stream::Demand, month)
}

/// A month of a random walk with a trend: `previous` times `growth` times
/// mean-one lognormal noise of log-sd `sd`, from `stream`'s draw for `month`.
pub fn walk(
    previous: f64,
    growth: f64,
    sd: f64,
    draws: &Draws,
    stream: Stream,
    month: Month,
) -> f64 {
    if sd == 0.0 {
        return (previous * growth).max(0.0);
    }
    let u = open_unit(draws.month(stream, month_key(month)).raw(0));
    let z = normal_quantile(u);
    // Mean-one lognormal noise, so noise alone does not move the expected trend.
    (previous * growth * (sd * z - 0.5 * sd * sd).exp()).max(0.0)
}

pub fn month_key(month: Month) -> u32 {
    month.year() * 12 + month.month_of_year() - 1
}

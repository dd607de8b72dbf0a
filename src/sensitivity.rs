//! Which assumptions matter: one-at-a-time ranges for every uncertain
//! parameter. Each is set to its P10 and then its P90 with every other
//! uncertain parameter at its median, and the metric's mean at a month is
//! compared, all on the same replications (common random numbers), so the
//! swings are the parameters', not the luck's. The result is a tornado.

use crate::calendar::Month;
use crate::model::{Model, Scenario, Variant};
use crate::param::{Dist, Spec};
use crate::runner::{Progress, RunError, RunOptions, run};

#[derive(Clone, Debug)]
pub struct SensitivityOptions {
    pub metric: String,
    pub at: Month,
    pub replications: Option<u32>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    /// The low and high quantiles (P10 and P90).
    pub low: f64,
    pub high: f64,
    /// Called as each replication (each Sobol model run) finishes.
    pub progress: Option<Progress>,
}

#[derive(Debug, thiserror::Error)]
pub enum SensitivityError {
    #[error("no metric `{0}`; the README lists them, e.g. `permanent_share`")]
    UnknownMetric(String),
    #[error("{at} is outside the scenario's months, {first} to {last}")]
    OutsideHorizon {
        at: Month,
        first: Month,
        last: Month,
    },
    #[error("the scenario has no uncertain parameters (no `dist = ...` values) to vary")]
    NothingUncertain,
    #[error(transparent)]
    Run(#[from] RunError),
}

/// One uncertain parameter's swing.
#[derive(Clone, Debug, PartialEq)]
pub struct Swing {
    /// Key path, and the month its schedule entry starts if it has one.
    pub parameter: String,
    pub distribution: String,
    pub low_value: f64,
    pub high_value: f64,
    /// The metric's mean with the parameter at its low and high quantile.
    pub at_low: f64,
    pub at_high: f64,
}

impl Swing {
    pub fn width(&self) -> f64 {
        (self.at_high - self.at_low).abs()
    }
}

#[derive(Clone, Debug)]
pub struct Tornado {
    pub metric: String,
    pub at: Month,
    pub replications: u32,
    /// The metric's mean with every uncertain parameter at its median.
    pub at_medians: f64,
    /// Widest swing first.
    pub swings: Vec<Swing>,
}

/// An uncertain entry: a parameter's key and the month its entry starts.
type Unit = (String, Month);

fn units(model: &mut Model) -> Vec<(Unit, Dist)> {
    let mut found: Vec<(Unit, Dist)> = Vec::new();
    for param in model.parameters_mut() {
        for (from, spec) in &param.schedule {
            if let Spec::Uncertain(dist) = spec {
                let unit = (param.key.clone(), *from);
                if !found.iter().any(|(u, _)| *u == unit) {
                    found.push((unit, dist.clone()));
                }
            }
        }
    }
    found
}

/// How an uncertain entry is named: its key, and the month its schedule
/// entry starts if that is not the scenario's start.
fn label(key: &str, from: Month, start: Month) -> String {
    if from == start {
        key.to_string()
    } else {
        format!("{key} (from {from})")
    }
}

/// Every uncertain entry fixed at quantile `q`, except `unit` at `unit_q`.
fn fixed(model: &Model, q: f64, unit: Option<(&Unit, f64)>) -> Model {
    let mut m = model.clone();
    for param in m.parameters_mut() {
        let key = param.key.clone();
        for (from, spec) in param.schedule.iter_mut() {
            if let Spec::Uncertain(dist) = spec {
                let level = match unit {
                    Some(((k, f), unit_q)) if *k == key && f == from => unit_q,
                    _ => q,
                };
                *spec = Spec::Fixed(dist.quantile(level));
            }
        }
    }
    m
}

/// What both methods start from: the base model, the metric's index, the
/// month's index and the uncertain entries.
struct Setting {
    base: Model,
    metric: usize,
    t: usize,
    uncertain: Vec<(Unit, Dist)>,
}

fn setting(scenario: &Scenario, options: &SensitivityOptions) -> Result<Setting, SensitivityError> {
    let mut base = scenario.variants[0].model.clone();
    let metric = base
        .catalogue
        .find(&options.metric)
        .ok_or_else(|| SensitivityError::UnknownMetric(options.metric.clone()))?;
    let (first, last) = (base.start, base.month(base.horizon() - 1));
    if options.at < first || options.at > last {
        return Err(SensitivityError::OutsideHorizon {
            at: options.at,
            first,
            last,
        });
    }
    let uncertain = units(&mut base);
    if uncertain.is_empty() {
        return Err(SensitivityError::NothingUncertain);
    }
    Ok(Setting {
        t: options.at.months_since(first) as usize,
        base,
        metric,
        uncertain,
    })
}

pub fn sensitivity(
    scenario: &Scenario,
    options: &SensitivityOptions,
) -> Result<Tornado, SensitivityError> {
    let Setting {
        base,
        metric,
        t,
        uncertain,
    } = setting(scenario, options)?;
    let first = base.start;
    // All the runs as variants of one scenario: the runner keeps replication
    // r of each on the same draws.
    let mut models = vec![fixed(&base, 0.5, None)];
    for (unit, _) in &uncertain {
        models.push(fixed(&base, 0.5, Some((unit, options.low))));
        models.push(fixed(&base, 0.5, Some((unit, options.high))));
    }
    let runs = Scenario {
        variants: models
            .into_iter()
            .enumerate()
            .map(|(k, model)| Variant {
                name: if k == 0 {
                    "base".into()
                } else {
                    format!("s{k}")
                },
                description: String::new(),
                changes: None,
                model,
            })
            .collect(),
        ..scenario.clone()
    };
    let result = run(
        &runs,
        &RunOptions {
            replications: options.replications,
            seed: options.seed,
            threads: options.threads,
            progress: options.progress.clone(),
            ..Default::default()
        },
    )?;
    let n = base.catalogue.len();
    let mean = |v: usize| {
        let outcomes = &result.variants[v].outcomes;
        outcomes.iter().map(|o| o.value(n, t, metric)).sum::<f64>() / outcomes.len() as f64
    };
    let mut swings: Vec<Swing> = uncertain
        .iter()
        .enumerate()
        .map(|(k, ((key, from), dist))| Swing {
            parameter: label(key, *from, first),
            distribution: dist.to_string(),
            low_value: dist.quantile(options.low),
            high_value: dist.quantile(options.high),
            at_low: mean(1 + 2 * k),
            at_high: mean(2 + 2 * k),
        })
        .collect();
    swings.sort_by(|a, b| b.width().total_cmp(&a.width()));
    Ok(Tornado {
        metric: options.metric.clone(),
        at: options.at,
        replications: result.replications,
        at_medians: mean(0),
        swings,
    })
}

/// The tornado as a Markdown table.
pub fn render(t: &Tornado, low: f64, high: f64) -> String {
    use std::fmt::Write;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Sensitivity of `{}` in {}\n\nOne at a time: each uncertain parameter at its P{:.0} and P{:.0}, every other \
         at its median; the mean of `{}` in {} over {} (the same replications for every row). With \
         every parameter at its median: {}. Widest swing first.\n",
        t.metric,
        t.at,
        100.0 * low,
        100.0 * high,
        t.metric,
        t.at,
        crate::output::count_of(t.replications as usize, "replication"),
        shown(&t.metric, t.at_medians)
    );
    let _ = writeln!(
        md,
        "| parameter | distribution | P{:.0} -> P{:.0} | metric at P{:.0} | metric at P{:.0} | swing |\n|---|---|---|---:|---:|---:|",
        100.0 * low,
        100.0 * high,
        100.0 * low,
        100.0 * high
    );
    for s in &t.swings {
        let _ = writeln!(
            md,
            "| {} | {} | {:.4} -> {:.4} | {} | {} | {} |",
            s.parameter,
            s.distribution,
            s.low_value,
            s.high_value,
            shown(&t.metric, s.at_low),
            shown(&t.metric, s.at_high),
            shown(&t.metric, s.width())
        );
    }
    md
}

/// A value of `metric` for the tornado's table: money in whole pounds,
/// rates and shares as percentages, anything else to four decimals.
fn shown(metric: &str, value: f64) -> String {
    if metric.starts_with("cost.") {
        let pounds = value.abs().round() as u64;
        let sign = if value < 0.0 && pounds != 0 { "-" } else { "" };
        format!("{sign}£{}", crate::output::grouped(pounds))
    } else if crate::metrics::is_share(metric) {
        format!("{:.2}%", 100.0 * value)
    } else {
        format!("{value:.4}")
    }
}

/// Sobol indices of the uncertain parameters for the metric at the month.
#[derive(Clone, Debug)]
pub struct SobolTable {
    pub metric: String,
    pub at: Month,
    pub samples: usize,
    /// Parameter, distribution, indices; largest total index first.
    pub rows: Vec<(String, String, crate::sobol::Index)>,
}

/// First-order and total Sobol indices by Saltelli sampling: `samples` base
/// samples, each model evaluation one replication (the sample's index, so
/// that every row built from a sample meets the same luck), 200 bootstrap
/// resamples for the intervals.
pub fn sobol(
    scenario: &Scenario,
    options: &SensitivityOptions,
    samples: usize,
) -> Result<SobolTable, SensitivityError> {
    use rand_xoshiro::Xoshiro256PlusPlus;
    use rand_xoshiro::rand_core::SeedableRng;

    let Setting {
        base,
        metric,
        t,
        uncertain,
    } = setting(scenario, options)?;
    let first = base.start;
    let seed = options.seed.unwrap_or(scenario.seed);
    let draw = |j: usize, matrix: crate::sobol::Matrix, i: usize| {
        let bits = crate::rng::mix(
            crate::rng::mix(seed ^ ((j as u64) << 20) ^ ((matrix as u64) << 60)) ^ i as u64,
        );
        uncertain[i]
            .1
            .sample(&mut Xoshiro256PlusPlus::seed_from_u64(bits))
    };
    let n = base.catalogue.len();
    let failure = std::sync::Mutex::new(None);
    let evaluate = |j: usize, inputs: &[f64]| {
        let mut model = base.clone();
        for param in model.parameters_mut() {
            let key = param.key.clone();
            for (from, spec) in param.schedule.iter_mut() {
                if let Some(i) = uncertain
                    .iter()
                    .position(|((k, f), _)| *k == key && f == from)
                {
                    *spec = Spec::Fixed(inputs[i]);
                }
            }
        }
        let outcome = crate::sim::run_replication(&model, seed, j as u64);
        if let Some(progress) = &options.progress {
            (progress.0)();
        }
        match outcome {
            Ok(outcome) => outcome.value(n, t, metric),
            Err(source) => {
                *failure.lock().expect("not poisoned") = Some(RunError::Ledger {
                    variant: "sobol".into(),
                    replication: j as u64,
                    source,
                });
                f64::NAN
            }
        }
    };
    let (pool, _) = crate::runner::thread_pool(options.threads)?;
    let indices =
        pool.install(|| crate::sobol::indices(uncertain.len(), samples, draw, evaluate, 200, seed));
    if let Some(e) = failure.into_inner().expect("not poisoned") {
        return Err(e.into());
    }
    let mut rows: Vec<(String, String, crate::sobol::Index)> = uncertain
        .iter()
        .zip(indices)
        .map(|(((key, from), dist), index)| (label(key, *from, first), dist.to_string(), index))
        .collect();
    rows.sort_by(|a, b| b.2.total.total_cmp(&a.2.total));
    Ok(SobolTable {
        metric: options.metric.clone(),
        at: options.at,
        samples,
        rows,
    })
}

/// The Sobol indices as a Markdown table.
pub fn render_sobol(s: &SobolTable) -> String {
    use std::fmt::Write;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Sobol indices of `{}` in {}\n\nSaltelli sampling, {} base samples ({} model runs of one replication each); \
         first-order index (Saltelli 2010) and total index (Jansen), each with a 95% bootstrap interval. The \
         first-order index is the share of the metric's variance the parameter explains alone; the total adds its \
         interactions. The replication's own randomness is shared by the rows of a sample, and what the parameters \
         do not explain is that randomness. Largest total first.\n",
        s.metric,
        s.at,
        s.samples,
        s.samples * (s.rows.len() + 2)
    );
    let _ = writeln!(
        md,
        "| parameter | distribution | first-order | 95% interval | total | 95% interval |\n|---|---|---:|---:|---:|---:|"
    );
    for (name, dist, i) in &s.rows {
        let _ = writeln!(
            md,
            "| {name} | {dist} | {:.3} | {:.3} to {:.3} | {:.3} | {:.3} to {:.3} |",
            i.first, i.first_ci.0, i.first_ci.1, i.total, i.total_ci.0, i.total_ci.1
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn tornado_values_are_shown_in_the_metric_s_own_units() {
        assert_eq!(shown("cost.total", 1_043_686.436_9), "£1,043,686");
        assert_eq!(shown("cost.agency", -11_198.009), "-£11,198");
        assert_eq!(shown("cost.agency", 999.6), "£1,000");
        assert_eq!(shown("cost.agency", -0.2), "£0");
        assert_eq!(shown("permanent_share", 0.823456), "82.35%");
        assert_eq!(shown("fte_permanent", 99.123456), "99.1235");
    }
}

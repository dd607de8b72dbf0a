//! Small scenarios written as TOML, for tests whose answers are known exactly.

use std::path::Path;

use staffcast::model::Scenario;

/// Settings for a one-grade synthetic scenario.
#[derive(Clone, Debug)]
pub struct Synthetic {
    pub establishment: f64,
    pub permanent: u32,
    pub agency: u32,
    pub annual_leaving: f64,
    pub agency_annual_rate: f64,
    pub hire_probability: f64,
    pub time_to_start: f64,
    pub conversion: f64,
    pub cover_probability: f64,
    pub cover_lag: f64,
    /// Agency cap as a share of agency plus permanent FTE.
    pub agency_cap_share: Option<f64>,
    pub horizon: u32,
    pub extra: String,
}

impl Default for Synthetic {
    fn default() -> Self {
        Synthetic {
            establishment: 100.0,
            permanent: 100,
            agency: 0,
            annual_leaving: 0.2,
            agency_annual_rate: 0.0,
            hire_probability: 0.0,
            time_to_start: 0.0,
            conversion: 0.0,
            cover_probability: 0.0,
            cover_lag: 0.0,
            agency_cap_share: None,
            horizon: 24,
            extra: String::new(),
        }
    }
}

impl Synthetic {
    pub fn toml(&self) -> String {
        format!(
            r#"
name = "synthetic"
start = "2024-01"
horizon_months = {horizon}
replications = 10
seed = 7

[grades.social_worker]
caseload_weight = 1.0
establishment_fte = {establishment}
permanent = {{ headcount = {permanent}, fte = {permanent} }}
agency = {{ headcount = {agency}, fte = {agency} }}
service_mix = [1.0]

[leaving]
bands_years = [0]
annual_rate = [{annual_leaving}]
agency_annual_rate = {agency_annual_rate}

[recruitment]
hire_monthly_probability = {hire_probability}
time_to_start_months = {time_to_start}
agency_conversion_annual_rate = {conversion}

[agency]
cover_monthly_probability = {cover_probability}
cover_lag_months = {cover_lag}
{cap}

[demand]
open_cases = 1000
{extra}
"#,
            horizon = self.horizon,
            establishment = self.establishment,
            permanent = self.permanent,
            agency = self.agency,
            annual_leaving = self.annual_leaving,
            agency_annual_rate = self.agency_annual_rate,
            hire_probability = self.hire_probability,
            time_to_start = self.time_to_start,
            conversion = self.conversion,
            cover_probability = self.cover_probability,
            cover_lag = self.cover_lag,
            cap = self
                .agency_cap_share
                .map_or_else(String::new, |s| format!("cap = {{ share = {s} }}")),
            extra = self.extra,
        )
    }

    pub fn compile(&self) -> Scenario {
        compile(&self.toml())
    }
}

/// `replications` on two threads, everything else from the scenario.
pub fn options(replications: u32) -> staffcast::runner::RunOptions {
    staffcast::runner::RunOptions {
        replications: Some(replications),
        threads: Some(2),
        ..Default::default()
    }
}

pub fn compile(text: &str) -> Scenario {
    staffcast::scenario::compile(text, Path::new("test.toml")).unwrap_or_else(|e| panic!("{e}"))
}

/// The mean of one metric at month `t` over a run's replications of variant `v`.
pub fn mean_at(result: &staffcast::runner::RunResult, v: usize, metric: usize, t: usize) -> f64 {
    let run = &result.variants[v];
    let metrics = run.variant.model.catalogue.len();
    run.outcomes
        .iter()
        .map(|o| o.value(metrics, t, metric))
        .sum::<f64>()
        / run.outcomes.len() as f64
}

/// A progress callback for the engine, and the count of its calls.
pub fn counted() -> (
    staffcast::runner::Progress,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = count.clone();
    let progress = staffcast::runner::Progress(std::sync::Arc::new(move || {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }));
    (progress, count)
}

/// Tolerance of the statistical tests, in standard errors: for a normal
/// estimate a |z| > 4 happens with probability 6.3e-5 per comparison, so a
/// file of 50 comparisons fails a correct engine about once in 300 new seeds
/// (the seeds used are fixed, so the outcome is deterministic).
pub const K: f64 = 4.0;

/// Asserts that the estimate `got` is within K standard errors `se` of `expected`.
#[track_caller]
pub fn near(got: f64, expected: f64, se: f64, what: &str) {
    assert!(
        (got - expected).abs() < K * se,
        "{what}: {got}, expected {expected} +/- {K} x {se}"
    );
}

/// The expectation of a sum of independent binomials, each `(trials,
/// probability)`, and the standard error of its mean over `replications`.
pub fn binomials(parts: &[(f64, f64)], replications: u32) -> (f64, f64) {
    let expected = parts.iter().map(|&(n, p)| n * p).sum();
    let variance: f64 = parts.iter().map(|&(n, p)| n * p * (1.0 - p)).sum();
    (expected, (variance / f64::from(replications)).sqrt())
}

/// Asserts that the mean of `got` over `replications` is that of a sum of
/// independent binomials, within K standard errors.
#[track_caller]
pub fn binomial_mean(got: f64, parts: &[(f64, f64)], replications: u32, what: &str) {
    let (expected, se) = binomials(parts, replications);
    near(got, expected, se, what);
}

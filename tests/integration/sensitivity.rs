//! One-at-a-time sensitivity against exact expectations.

use std::sync::atomic::Ordering;

use staffcast::calendar::Month;
use staffcast::sensitivity::{SensitivityOptions, sensitivity, sobol};

use crate::common::{Synthetic, compile, counted};

/// 400 people, no hiring, leaving at an annual rate a ~ uniform(0.1, 0.3):
/// after 12 months the permanent FTE is Binomial(400, 1 - a), mean 400 (1 - a).
/// At P10 (a = 0.12) and P90 (a = 0.28) the means must match within K
/// standard errors. Demand noise, also uncertain, cannot move FTE at all.
#[test]
fn tornado_and_sobol_indices_on_a_model_with_known_answers() {
    let text = Synthetic {
        permanent: 400,
        establishment: 400.0,
        horizon: 12,
        ..Default::default()
    }
    .toml()
    .replace(
        "annual_rate = [0.2]",
        "annual_rate = [{ dist = \"uniform\", low = 0.1, high = 0.3 }]",
    )
    .replace(
        "open_cases = 1000",
        "open_cases = 1000\nmonthly_noise_sd = { dist = \"uniform\", low = 0.0, high = 0.1 }",
    );
    let scenario = compile(&text);
    check_tornado(&scenario);
    check_sobol(&scenario);
}

fn options(replications: u32) -> SensitivityOptions {
    SensitivityOptions {
        metric: "fte_permanent".into(),
        at: Month::parse("2024-12").unwrap(),
        replications: Some(replications),
        seed: Some(5),
        threads: Some(2),
        low: 0.1,
        high: 0.9,
        progress: None,
    }
}

/// The leaving rate carries the parameters' share of the variance; the inert
/// demand noise has indices of exactly 0, since every row of a sample meets
/// the same luck.
fn check_sobol(scenario: &staffcast::model::Scenario) {
    let (progress, runs) = counted();
    let options = SensitivityOptions {
        progress: Some(progress),
        ..options(0)
    };
    let table = sobol(scenario, &options, 256).unwrap();
    // Each model run is one replication: samples x (parameters + 2).
    assert_eq!(runs.load(Ordering::Relaxed), 256 * (table.rows.len() + 2));
    let leaving = table
        .rows
        .iter()
        .find(|r| r.0 == "leaving.annual_rate[0]")
        .unwrap();
    let noise = table
        .rows
        .iter()
        .find(|r| r.0 == "demand.monthly_noise_sd")
        .unwrap();
    assert!(leaving.2.total_ci.0 > 0.5, "{:?}", leaving.2);
    assert_eq!((noise.2.first, noise.2.total), (0.0, 0.0));
}

fn check_tornado(scenario: &staffcast::model::Scenario) {
    let replications = 300u32;
    let (progress, runs) = counted();
    let options = SensitivityOptions {
        progress: Some(progress),
        ..options(replications)
    };
    let tornado = sensitivity(scenario, &options).unwrap();
    // One run of every setting together, a replication at a time.
    assert_eq!(runs.load(Ordering::Relaxed), replications as usize);
    assert_eq!(tornado.swings.len(), 2);
    let leaving = &tornado.swings[0];
    assert_eq!(leaving.parameter, "leaving.annual_rate[0]");
    for (a, got) in [(0.12, leaving.at_low), (0.28, leaving.at_high)] {
        let what = format!("a = {a}");
        crate::common::binomial_mean(got, &[(400.0, 1.0 - a)], replications, &what);
    }
    let noise = &tornado.swings[1];
    assert_eq!(noise.parameter, "demand.monthly_noise_sd");
    assert_eq!(
        noise.width(),
        0.0,
        "common random numbers: no effect, no swing"
    );
}

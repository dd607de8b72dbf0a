//! # staffcast
//!
//! A parallel Monte Carlo engine that forecasts whether a social work service
//! will have enough qualified people ("sufficiency"), how many of them will be
//! permanent rather than agency, and when its targets are reached.
//!
//! Load a scenario, run it, and read the results:
//!
//! ```
//! use staffcast::{runner, scenario, targets};
//!
//! // The bundled Slough scenario (any file works: `scenario::load(path)`).
//! let scenario = scenario::default_scenario().expect("the bundled scenario is valid");
//!
//! // A small run: 20 replications on two threads.
//! let options = runner::RunOptions { replications: Some(20), threads: Some(2), ..Default::default() };
//! let result = runner::run(&scenario, &options).expect("the run completes");
//!
//! // Probability that the base case meets its first target.
//! let base = &result.variants[0];
//! let target = &base.variant.model.targets[0];
//! let verdicts: Vec<_> = base.outcomes.iter().map(|o| targets::evaluate(&base.variant.model, target, o)).collect();
//! let summary = targets::summarize(&verdicts);
//! assert!((0.0..=1.0).contains(&summary.probability));
//!
//! // Write quantiles, targets, summary.md and manifest.json.
//! let out = std::env::temp_dir().join(format!("staffcast-doc-{}", std::process::id()));
//! let digest = staffcast::output::digest(&result);
//! let folder = staffcast::output::write(&scenario, &result, &digest, &out, &Default::default()).unwrap();
//! assert!(folder.join("summary.md").exists());
//! # std::fs::remove_dir_all(&out).unwrap();
//! ```
//!
//! The monthly step is [`sim`]'s `step_month`; each process lives in
//! [`process`]; every random draw is a pure function of its coordinates
//! ([`rng`]).

pub mod breakeven;
pub mod calendar;
pub mod calibrate;
pub mod compare;
pub mod fork;
pub mod ledger;
pub mod masks;
pub mod metrics;
pub mod model;
pub mod outcome;
pub mod output;
pub mod param;
pub mod process;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod sim;
pub mod sobol;
pub mod solve;
pub mod stats;
pub mod targets;
pub mod workforce;

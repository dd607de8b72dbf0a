//! Replications in parallel, merged in replication order, for every variant.

use std::time::Instant;

use rayon::prelude::*;

use crate::ledger::LedgerBreak;
use crate::model::{Scenario, Variant};
use crate::sim::{Outcome, run_replication};

/// Called once for each replication finished (from any worker thread), e.g.
/// to move a progress bar.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn() + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// How to run a scenario; `None` keeps the scenario's own setting.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Told of each replication finished; does not change any result.
    pub progress: Option<Progress>,
    pub replications: Option<u32>,
    pub seed: Option<u64>,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Variants to run by name (the base is always run); `None` runs all.
    pub variants: Option<Vec<String>>,
    /// Run only this slice of the replications: shard `index` of `count`.
    pub shard: Option<Shard>,
}

/// Slice `index` (from 0) of `count` equal slices of the replications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// The replications of this slice, out of `replications`: contiguous, in
    /// order, and together the slices cover each replication once.
    pub fn replications(self, replications: u32) -> std::ops::Range<u32> {
        let at = |k: u32| (u64::from(replications) * u64::from(k) / u64::from(self.count)) as u32;
        at(self.index)..at(self.index + 1)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("unknown variant `{name}`; this scenario has: {known}")]
    UnknownVariant { name: String, known: String },
    #[error("cannot start {threads} worker threads: {reason}")]
    Threads { threads: usize, reason: String },
    #[error("replication {replication} of variant `{variant}`: {source}")]
    Ledger {
        variant: String,
        replication: u64,
        source: Box<LedgerBreak>,
    },
}

/// Every replication of every variant run.
#[derive(Debug)]
pub struct RunResult<'a> {
    pub variants: Vec<VariantRun<'a>>,
    /// Replications in the whole run (a shard holds only some of them).
    pub replications: u32,
    /// The replications held: all of them, unless this is a shard.
    pub held: std::ops::Range<u32>,
    pub seed: u64,
    pub threads: usize,
    pub wall_seconds: f64,
    pub person_months: u64,
}

#[derive(Debug)]
pub struct VariantRun<'a> {
    pub variant: &'a Variant,
    /// One outcome per replication, in replication order.
    pub outcomes: Vec<Outcome>,
}

/// Picks the variants to run: the base, then the named ones in file order.
pub fn select<'a>(
    scenario: &'a Scenario,
    names: Option<&[String]>,
) -> Result<Vec<&'a Variant>, RunError> {
    let Some(names) = names else {
        return Ok(scenario.variants.iter().collect());
    };
    for name in names {
        if !scenario.variants.iter().any(|v| &v.name == name) {
            return Err(RunError::UnknownVariant {
                name: name.clone(),
                known: scenario
                    .variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    }
    Ok(scenario
        .variants
        .iter()
        .filter(|v| v.name == "base" || names.contains(&v.name))
        .collect())
}

/// A pool of `threads` workers (default: every core), and its size.
pub fn thread_pool(threads: Option<usize>) -> Result<(rayon::ThreadPool, usize), RunError> {
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| RunError::Threads {
            threads,
            reason: e.to_string(),
        })?;
    Ok((pool, threads))
}

pub fn run<'a>(scenario: &'a Scenario, options: &RunOptions) -> Result<RunResult<'a>, RunError> {
    let variants = select(scenario, options.variants.as_deref())?;
    let replications = options.replications.unwrap_or(scenario.replications);
    let held = options
        .shard
        .map_or(0..replications, |s| s.replications(replications));
    let seed = options.seed.unwrap_or(scenario.seed);
    let (pool, threads) = thread_pool(options.threads)?;
    let clock = Instant::now();
    // Each task runs every variant of one replication, so that replication r
    // of every variant is computed from the same coordinates.
    let by_replication: Vec<Vec<Outcome>> = pool.install(|| {
        (u64::from(held.start)..u64::from(held.end))
            .into_par_iter()
            .map(|r| {
                let outcomes = variants
                    .iter()
                    .map(|v| {
                        run_replication(&v.model, seed, r).map_err(|source| RunError::Ledger {
                            variant: v.name.clone(),
                            replication: r,
                            source,
                        })
                    })
                    .collect::<Result<Vec<_>, _>>();
                if let Some(progress) = &options.progress {
                    (progress.0)();
                }
                outcomes
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    let wall_seconds = clock.elapsed().as_secs_f64();
    let person_months = by_replication
        .iter()
        .flatten()
        .map(|o| o.person_months)
        .sum();
    let mut runs: Vec<VariantRun> = variants
        .iter()
        .map(|v| VariantRun {
            variant: v,
            outcomes: Vec::with_capacity(held.len()),
        })
        .collect();
    for outcomes in by_replication {
        for (run, outcome) in runs.iter_mut().zip(outcomes) {
            run.outcomes.push(outcome);
        }
    }
    Ok(RunResult {
        variants: runs,
        replications,
        held,
        seed,
        threads,
        wall_seconds,
        person_months,
    })
}

//! Replications in parallel, merged in replication order, for every variant.

use std::time::Instant;

use rayon::prelude::*;

use crate::fork::shared_with_first;
use crate::ledger::LedgerBreak;
use crate::model::{Model, Scenario, Variant};
use crate::outcome::Outcome;
use crate::sim::run_variants;

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
    #[error(
        "this run may keep up to {needed} of results ({replications} replications x {variants} variants x \
         {months} months x {metrics} metrics x 8 bytes), more than the {limit} it may use{origin}; run fewer \
         replications, fewer variants (--variant), or split it with --shard (each shard keeps only its own)"
    )]
    TooBig {
        needed: String,
        limit: String,
        origin: &'static str,
        replications: u32,
        variants: usize,
        months: usize,
        metrics: usize,
    },
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
    /// Set by a run to precision.
    pub precision: Option<PrecisionReached>,
}

impl RunResult<'_> {
    /// The variants' names, the base first.
    pub fn variant_names(&self) -> Vec<&str> {
        self.variants
            .iter()
            .map(|r| r.variant.name.as_str())
            .collect()
    }
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
    let replications = options.replications.unwrap_or(scenario.replications);
    let held = options
        .shard
        .map_or(0..replications, |s| s.replications(replications));
    let kept = held.len() as u32;
    run_held(scenario, options, replications, held, kept)
}

/// Runs replications `held` of a run of `replications`, refusing up front if
/// `kept` replications' results (these and any kept already) would not fit.
fn run_held<'a>(
    scenario: &'a Scenario,
    options: &RunOptions,
    replications: u32,
    held: std::ops::Range<u32>,
    kept: u32,
) -> Result<RunResult<'a>, RunError> {
    let variants = select(scenario, options.variants.as_deref())?;
    check_memory(&variants, kept)?;
    let seed = options.seed.unwrap_or(scenario.seed);
    let (pool, threads) = thread_pool(options.threads)?;
    let clock = Instant::now();
    // Each task runs every variant of one replication, so that replication r
    // of every variant is computed from the same coordinates, and a variant
    // starts from the first's state after the months they share.
    let models: Vec<&Model> = variants.iter().map(|v| &v.model).collect();
    let shared = shared_with_first(&models);
    let by_replication: Vec<Vec<Outcome>> = pool.install(|| {
        (u64::from(held.start)..u64::from(held.end))
            .into_par_iter()
            .map(|r| {
                let outcomes = run_variants(&models, &shared, seed, r)
                    .into_iter()
                    .zip(&variants)
                    .map(|(outcome, v)| {
                        outcome.map_err(|source| RunError::Ledger {
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
        precision: None,
    })
}

/// Results kept in memory at most: every replication's monthly record of
/// every metric at 8 bytes a value (the outcome's compact storage never
/// needs more, and in the bundled scenarios about a quarter of it).
fn results_bytes(variants: &[&Variant], replications: u32) -> u64 {
    variants
        .iter()
        .map(|v| (v.model.horizon() * v.model.catalogue.len() * 8) as u64)
        .sum::<u64>()
        * u64::from(replications)
}

fn gib(bytes: u64) -> String {
    format!("{:.2} GiB", bytes as f64 / f64::from(1u32 << 30))
}

/// The memory a run may use: `STAFFCAST_MEMORY_LIMIT` (bytes, or with a K, M
/// or G suffix) if set, else 80% of what the machine has available.
fn memory_limit() -> Option<(u64, &'static str)> {
    if let Ok(text) = std::env::var("STAFFCAST_MEMORY_LIMIT") {
        let text = text.trim();
        let (digits, unit) = match text.char_indices().last() {
            Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], c.to_ascii_uppercase()),
            _ => (text, 'B'),
        };
        let scale: u64 = match unit {
            'K' => 1 << 10,
            'M' => 1 << 20,
            'G' => 1 << 30,
            _ => 1,
        };
        return digits
            .parse::<u64>()
            .ok()
            .map(|n| (n * scale, " (STAFFCAST_MEMORY_LIMIT)"));
    }
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: u64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemAvailable:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some((kib * 1024 / 10 * 8, " (80% of the memory available)"))
}

/// Refuses up front a run whose results would not fit, rather than be killed halfway.
fn check_memory(variants: &[&Variant], replications: u32) -> Result<(), RunError> {
    let needed = results_bytes(variants, replications);
    match memory_limit() {
        Some((limit, origin)) if needed > limit => Err(RunError::TooBig {
            needed: gib(needed),
            limit: gib(limit),
            origin,
            replications,
            variants: variants.len(),
            months: variants[0].model.horizon(),
            metrics: variants[0].model.catalogue.len(),
        }),
        _ => Ok(()),
    }
}

/// `run --precision`: add replications in batches until every target
/// probability's 95% interval is at most `width` wide and the median of each
/// key metric in the last month moved by at most `tolerance` (relative) over
/// the last batch, or `max_replications` is reached.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Precision {
    pub width: f64,
    pub tolerance: f64,
    pub batch: u32,
    pub max_replications: u32,
}

/// What a run to precision achieved, for the manifest.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PrecisionReached {
    pub asked: Precision,
    pub replications: u32,
    /// The widest target interval and the largest relative move of a median at the end.
    pub widest_interval: f64,
    pub largest_median_change: f64,
    pub reached: bool,
}

/// Replications 0..N for the first N that meets `precision`: the same
/// outcomes, bit for bit, as a run of N replications with the same seed.
pub fn run_to_precision<'a>(
    scenario: &'a Scenario,
    options: &RunOptions,
    precision: Precision,
) -> Result<RunResult<'a>, RunError> {
    let batch = precision.batch.max(1);
    let mut total = run_held(scenario, options, batch, 0..batch, batch)?;
    let mut medians = final_medians(&total);
    loop {
        let n = total.replications;
        let widest = widest_interval(&total);
        let next = final_medians(&total);
        let change = medians
            .iter()
            .zip(&next)
            .map(|(a, b)| relative_change(*a, *b))
            .fold(0.0, f64::max);
        medians = next;
        let stable = n > batch && change <= precision.tolerance;
        let reached = widest <= precision.width && stable;
        if reached || n >= precision.max_replications {
            total.precision = Some(PrecisionReached {
                asked: precision,
                replications: n,
                widest_interval: widest,
                largest_median_change: change,
                reached,
            });
            return Ok(total);
        }
        let end = (n + batch).min(precision.max_replications);
        let more = run_held(scenario, options, end, n..end, end)?;
        for (run, extra) in total.variants.iter_mut().zip(more.variants) {
            run.outcomes.extend(extra.outcomes);
        }
        total.replications = end;
        total.held = 0..end;
        total.wall_seconds += more.wall_seconds;
        total.person_months += more.person_months;
    }
}

fn relative_change(before: f64, after: f64) -> f64 {
    if before == after {
        0.0
    } else {
        (after - before).abs() / after.abs().max(before.abs())
    }
}

/// The widest 95% interval of any target probability of any variant.
fn widest_interval(result: &RunResult) -> f64 {
    crate::output::target_summaries(result)
        .iter()
        .flatten()
        .map(|s| s.ci_high - s.ci_low)
        .fold(0.0, f64::max)
}

/// Each variant's median of each key metric in the last month.
fn final_medians(result: &RunResult) -> Vec<f64> {
    let mut medians = Vec::new();
    for run in &result.variants {
        let model = &run.variant.model;
        let (n, t) = (model.catalogue.len(), model.horizon() - 1);
        for &metric in crate::metrics::KEY_METRICS {
            let mut values: Vec<f64> = run.outcomes.iter().map(|o| o.value(n, t, metric)).collect();
            values.sort_by(f64::total_cmp);
            medians.push(crate::stats::quantile_sorted(&values, 0.5));
        }
    }
    medians
}

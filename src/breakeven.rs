//! The break-even effect of a retention payment: the multiplier on leaving
//! at which the payment costs what it saves. Found by a search over the
//! effect size, each candidate run on the same replications as the service
//! without the payment (common random numbers), never by a formula.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::SeedableRng;
use rayon::prelude::*;

use crate::compare::{Discount, npv};
use crate::metrics as m;
use crate::model::{Finance, Model, Scenario};
use crate::param::{Param, Spec};
use crate::runner::{Progress, RunError, select, thread_pool};
use crate::sim::run_replication;
use crate::stats::{Z95, mean, quantile_sorted};

/// Replications that must break even somewhere before their spread is reported.
const MIN_CROSSINGS: usize = 20;

#[derive(Clone, Debug)]
pub struct BreakevenOptions {
    /// The retention payment, by its name under [finance.retention_payments].
    pub payment: String,
    /// The variant whose payment is tested (default: the base).
    pub variant: Option<String>,
    pub replications: Option<u32>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    /// The strongest effect searched: leaving multiplied by this (e.g. 0.5).
    pub lowest_multiplier: f64,
    /// Evenly spaced multipliers from `lowest_multiplier` to 1 run first.
    pub grid: usize,
    /// Bisection steps on the mean net benefit after the grid.
    pub refine: usize,
    /// Called as each replication of each multiplier finishes.
    pub progress: Option<Progress>,
}

impl BreakevenOptions {
    pub fn new(payment: &str) -> BreakevenOptions {
        BreakevenOptions {
            payment: payment.to_string(),
            variant: None,
            replications: None,
            seed: None,
            threads: None,
            lowest_multiplier: 0.5,
            grid: 11,
            refine: 6,
            progress: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BreakevenError {
    #[error(
        "variant `{variant}` has no retention payment `{payment}` in force; {}",
        if known.is_empty() { "it has none".to_string() } else { format!("it has: {known}") }
    )]
    UnknownPayment {
        payment: String,
        variant: String,
        known: String,
    },
    #[error("scenario `{0}` has no [finance] table, so nothing is paid or saved")]
    NoFinance(String),
    #[error(transparent)]
    Run(#[from] RunError),
}

/// A mean over replications and its standard error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    pub se: f64,
}

impl Estimate {
    fn of(values: &[f64]) -> Estimate {
        let mu = mean(values);
        let n = values.len() as f64;
        let var = values.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        Estimate {
            mean: mu,
            se: (var / n).sqrt(),
        }
    }
}

/// One candidate effect: NPVs against the service without the payment.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub multiplier: f64,
    /// Payments (with on-costs) less what is clawed back.
    pub payment_cost: Estimate,
    /// Agency spend and recruitment avoided.
    pub savings: Estimate,
    /// Savings less payment cost.
    pub net_benefit: Estimate,
    /// Per replication net benefit, for the per-future break-even.
    per_replication: Vec<f64>,
}

impl Point {
    /// The point at `multiplier` from each replication's (spend the payment
    /// may save, payment) with the effect and without the payment, paired by
    /// replication.
    fn paired(multiplier: f64, with: &[(f64, f64)], without: &[(f64, f64)]) -> Point {
        let pairs = || with.iter().zip(without);
        let cost: Vec<f64> = pairs().map(|(w, b)| w.1 - b.1).collect();
        let savings: Vec<f64> = pairs().map(|(w, b)| b.0 - w.0).collect();
        let benefit: Vec<f64> = savings.iter().zip(&cost).map(|(s, c)| s - c).collect();
        Point {
            multiplier,
            payment_cost: Estimate::of(&cost),
            savings: Estimate::of(&savings),
            net_benefit: Estimate::of(&benefit),
            per_replication: benefit,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Breakeven {
    pub payment: String,
    pub variant: String,
    pub replications: u32,
    pub seed: u64,
    pub discount: Discount,
    /// Every multiplier run, ascending.
    pub points: Vec<Point>,
    /// Where the mean net benefit crosses zero, if it does in the range.
    pub multiplier: Option<f64>,
    /// 95% interval of that crossing: where the interval of the mean net
    /// benefit contains zero (`None` at an end: beyond the range searched).
    pub interval: (Option<f64>, Option<f64>),
    /// P5, P50, P95 of each replication's own break-even, among those
    /// whose payment pays for itself somewhere in the range.
    pub per_future: Option<[f64; 3]>,
    /// Share of replications in which it never pays for itself in the range.
    pub never_share: f64,
    /// The scenario's assumed effect, and the chance it beats the break-even.
    pub assumed: Option<(String, f64)>,
}

/// The money that decides, as NPVs: what the payment can save (agency spend
/// and recruitment) and what it costs (payments less clawback).
fn money(model: &Model, seed: u64, r: u64) -> Result<(f64, f64), RunError> {
    let outcome = run_replication(model, seed, r).map_err(|source| RunError::Ledger {
        variant: "break-even".into(),
        replication: r,
        source,
    })?;
    let discount = Discount::of(model);
    let savable = npv(model, &outcome, m::COST_AGENCY, discount)
        + npv(model, &outcome, m::COST_RECRUITMENT, discount);
    let payment = npv(model, &outcome, m::COST_RETENTION, discount)
        + npv(model, &outcome, m::COST_RETENTION_CLAWBACK, discount);
    Ok((savable, payment))
}

pub fn breakeven(
    scenario: &Scenario,
    options: &BreakevenOptions,
) -> Result<Breakeven, BreakevenError> {
    let variant = match &options.variant {
        None => &scenario.variants[0],
        Some(name) => *select(scenario, Some(std::slice::from_ref(name)))?
            .last()
            .expect("the named variant was selected"),
    };
    let model = &variant.model;
    let Some(finance) = &model.finance else {
        return Err(BreakevenError::NoFinance(scenario.name.clone()));
    };
    let k = payment_index(finance, &options.payment, &variant.name)?;
    let replications = options.replications.unwrap_or(scenario.replications);
    let seed = options.seed.unwrap_or(scenario.seed);
    let (pool, _) = thread_pool(options.threads)?;
    let run_all = |model: &Model| -> Result<Vec<(f64, f64)>, RunError> {
        pool.install(|| {
            (0..u64::from(replications))
                .into_par_iter()
                .map(|r| {
                    let spent = money(model, seed, r);
                    if let Some(progress) = &options.progress {
                        (progress.0)();
                    }
                    spent
                })
                .collect()
        })
    };
    let base = run_all(&without_payment(model, k))?;
    let evaluate = |multiplier: f64| -> Result<Point, RunError> {
        let runs = run_all(&with_effect(model, k, multiplier))?;
        Ok(Point::paired(multiplier, &runs, &base))
    };
    let lowest = options.lowest_multiplier;
    let steps = options.grid.max(2) - 1;
    let mut points: Vec<Point> = (0..=steps)
        .map(|i| evaluate(lowest + (1.0 - lowest) * i as f64 / steps as f64))
        .collect::<Result<_, _>>()?;
    refine(&mut points, options.refine, evaluate)?;
    let crossing = |f: &dyn Fn(&Point) -> f64| {
        sign_change(&points, f).map(|i| interpolate(&points[i], &points[i + 1], f))
    };
    let multiplier = crossing(&|p| p.net_benefit.mean);
    let interval = (
        crossing(&|p| p.net_benefit.mean - Z95 * p.net_benefit.se),
        crossing(&|p| p.net_benefit.mean + Z95 * p.net_benefit.se),
    );
    let mut futures: Vec<f64> = (0..replications as usize)
        .filter_map(|r| crossing(&|p| p.per_replication[r]))
        .collect();
    futures.sort_by(f64::total_cmp);
    let never_share = 1.0 - futures.len() as f64 / f64::from(replications);
    // Quantiles of a handful of crossings would describe noise, not futures.
    let per_future = (futures.len() >= MIN_CROSSINGS)
        .then(|| [0.05, 0.5, 0.95].map(|q| quantile_sorted(&futures, q)));
    let assumed =
        multiplier.map(|b| assumed_chance(&finance.retention[k].leaving_multiplier, model, b));
    Ok(Breakeven {
        payment: options.payment.clone(),
        variant: variant.name.clone(),
        replications,
        seed,
        discount: Discount::of(model),
        points,
        multiplier,
        interval,
        per_future,
        never_share,
        assumed,
    })
}

/// Where the payment named `payment` is in `variant`'s list.
fn payment_index(finance: &Finance, payment: &str, variant: &str) -> Result<usize, BreakevenError> {
    let schemes = &finance.retention;
    schemes
        .iter()
        .position(|p| p.name == payment)
        .ok_or_else(|| BreakevenError::UnknownPayment {
            payment: payment.to_string(),
            variant: variant.to_string(),
            known: schemes
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// `model` without its `k`-th retention payment: what the payment is judged against.
fn without_payment(model: &Model, k: usize) -> Model {
    let mut without = model.clone();
    let finance = without
        .finance
        .as_mut()
        .expect("the payment's model has finance");
    finance.retention.remove(k);
    without
}

/// `model` with its `k`-th retention payment's effect on leaving fixed at `multiplier`.
fn with_effect(model: &Model, k: usize, multiplier: f64) -> Model {
    let mut with = model.clone();
    let finance = with
        .finance
        .as_mut()
        .expect("the payment's model has finance");
    let scheme = &mut finance.retention[k];
    scheme.leaving_multiplier = Param::fixed(
        scheme.leaving_multiplier.key.clone(),
        model.start,
        multiplier,
    );
    with
}

/// Bisects, `steps` times, the bracket where the mean net benefit changes
/// sign (it falls as the multiplier rises: less effect), adding each point.
fn refine(
    points: &mut Vec<Point>,
    steps: usize,
    evaluate: impl Fn(f64) -> Result<Point, RunError>,
) -> Result<(), RunError> {
    let Some(i) = sign_change(points, |p| p.net_benefit.mean) else {
        return Ok(());
    };
    let (mut lo, mut hi) = (points[i].multiplier, points[i + 1].multiplier);
    for _ in 0..steps {
        let mid = 0.5 * (lo + hi);
        let p = evaluate(mid)?;
        if p.net_benefit.mean >= 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        points.push(p);
    }
    points.sort_by(|a, b| a.multiplier.total_cmp(&b.multiplier));
    Ok(())
}

/// The first i (in ascending multiplier) where `f` goes from >= 0 to < 0.
fn sign_change(points: &[Point], f: impl Fn(&Point) -> f64) -> Option<usize> {
    points
        .windows(2)
        .position(|w| f(&w[0]) >= 0.0 && f(&w[1]) < 0.0)
}

/// Where the straight line between two points crosses zero.
fn interpolate(a: &Point, b: &Point, f: impl Fn(&Point) -> f64) -> f64 {
    let (fa, fb) = (f(a), f(b));
    a.multiplier + (b.multiplier - a.multiplier) * fa / (fa - fb)
}

/// The payment's assumed effect, described, and the probability that it is
/// at least as strong as the break-even (a multiplier at or below it).
fn assumed_chance(param: &Param, model: &Model, breakeven: f64) -> (String, f64) {
    match param.spec_at(model.start) {
        Spec::Fixed(v) => (format!("{v}"), if *v <= breakeven { 1.0 } else { 0.0 }),
        Spec::Uncertain(dist) => {
            // A fixed generator: the same answer every time, to +/- 0.3 points.
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed);
            let n = 100_000;
            let below = (0..n)
                .filter(|_| dist.sample(&mut rng) <= breakeven)
                .count();
            (dist.to_string(), below as f64 / f64::from(n))
        }
    }
}

/// The result for people, as Markdown.
pub fn render(b: &Breakeven) -> String {
    use crate::output::money;
    use std::fmt::Write;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Break-even of retention payment `{}` (variant `{}`)\n\n{}, seed {}. Each multiplier is run on \
         the same replications as the service without the payment. Payment cost is the payments (with on-costs) \
         less clawback; savings are the agency spend and recruitment costs avoided (the pay of those retained is \
         not counted: it replaces a successor's); all over the horizon, as {}. Mean and 95% interval.\n",
        b.payment,
        b.variant,
        crate::output::count_of(b.replications as usize, "replication"),
        b.seed,
        b.discount.label()
    );
    let _ = writeln!(
        md,
        "| leaving multiplier | payment cost | savings | net benefit |\n|---:|---:|---:|---:|"
    );
    let show = |e: Estimate| {
        format!(
            "{} ({} to {})",
            money(e.mean),
            money(e.mean - Z95 * e.se),
            money(e.mean + Z95 * e.se)
        )
    };
    for p in &b.points {
        let _ = writeln!(
            md,
            "| {:.4} | {} | {} | {} |",
            p.multiplier,
            show(p.payment_cost),
            show(p.savings),
            show(p.net_benefit)
        );
    }
    md.push('\n');
    let bound = |x: Option<f64>, edge: &str| x.map_or(edge.to_string(), |v| format!("{v:.3}"));
    match b.multiplier {
        Some(x) => {
            let _ = writeln!(
                md,
                "**Break-even multiplier: {x:.3}** (95% interval {} to {}): the payment pays for itself if it cuts \
                 the leaving of those it covers by at least {:.1}%.\n",
                bound(b.interval.0, "below the range"),
                bound(b.interval.1, "above the range"),
                100.0 * (1.0 - x)
            );
        }
        None => {
            let _ = writeln!(
                md,
                "**No break-even in the range searched**: the mean net benefit does not change sign between the \
                 lowest multiplier and 1.\n"
            );
        }
    }
    match b.per_future {
        Some([p5, p50, p95]) => {
            let _ = writeln!(
                md,
                "Across replications (each a possible future), the break-even multiplier is {p50:.3} at the median, \
                 {p5:.3} to {p95:.3} from P5 to P95; in {:.1}% of them the payment does not pay for itself anywhere \
                 in the range.\n",
                100.0 * b.never_share
            );
        }
        None => {
            let _ = writeln!(
                md,
                "In {:.1}% of replications (each a possible future) the payment does not pay for itself anywhere in \
                 the range.\n",
                100.0 * b.never_share
            );
        }
    }
    if let Some((dist, chance)) = &b.assumed {
        let _ = writeln!(
            md,
            "The scenario assumes a multiplier of {dist}: a {:.1}% chance that the effect is at least the break-even.",
            100.0 * chance
        );
    }
    md
}

/// The net-benefit curve as CSV: one row per multiplier run.
pub fn curve_csv(b: &Breakeven) -> String {
    let mut csv = String::from(
        "leaving_multiplier,payment_cost,payment_cost_se,savings,savings_se,net_benefit,net_benefit_se\n",
    );
    for p in &b.points {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            p.multiplier,
            p.payment_cost.mean,
            p.payment_cost.se,
            p.savings.mean,
            p.savings.se,
            p.net_benefit.mean,
            p.net_benefit.se
        ));
    }
    csv
}

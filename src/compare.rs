//! Costs per financial year, net present values, and each variant compared
//! with the base pair by pair: replication r of a variant against
//! replication r of the base, which met the same luck (common random
//! numbers), so that the difference shows the policy, not the noise.

use rayon::prelude::*;

use crate::metrics::{self as m, MetricId};
use crate::model::Model;
use crate::outcome::Outcome;
use crate::runner::RunResult;
use crate::scenario::finance::financial_year_label;
use crate::stats::{Z95, mean, summarize};

/// The period of a whole horizon, in measure labels.
pub const HORIZON: &str = "horizon";

/// One number per replication: a cost line in a financial year, an NPV, a
/// key metric's average over a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measure {
    pub name: String,
    pub period: String,
}

/// The financial years (by their first calendar year) the horizon touches.
pub fn financial_years(model: &Model) -> Vec<u32> {
    let first = model.start.financial_year();
    let last = model.month(model.horizon() - 1).financial_year();
    (first..=last).collect()
}

/// Whole years from the first financial year to month `t`'s: the Green Book
/// discounts the first year by nothing, the next by one year, and so on.
pub fn year_offset(model: &Model, t: usize) -> u32 {
    model.month(t).financial_year() - model.start.financial_year()
}

/// How a net present value discounts: at `rate` a year, on costs first
/// brought to the first financial year's prices by `deflator` a year.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Discount {
    pub rate: f64,
    pub deflator: f64,
}

impl Discount {
    /// The scenario's (none without finance).
    pub fn of(model: &Model) -> Discount {
        model
            .finance
            .as_ref()
            .map_or_else(Discount::default, |f| Discount {
                rate: f.discount_rate,
                deflator: f.deflator,
            })
    }

    /// What an amount `years` financial years after the first is worth in
    /// the first (with no deflator, exactly the discount alone).
    pub fn factor(self, years: u32) -> f64 {
        let years = -(years as i32);
        (1.0 + self.rate).powi(years) * (1.0 + self.deflator).powi(years)
    }

    /// "NPV at 3.5%", and "real terms" when costs are deflated first.
    pub fn label(self) -> String {
        let real = if self.deflator > 0.0 {
            ", real terms"
        } else {
            ""
        };
        format!("NPV at {:.1}%{real}", 100.0 * self.rate)
    }

    /// How the NPV was worked out, in a sentence.
    pub fn explained(self) -> String {
        if self.deflator > 0.0 {
            format!(
                "the NPV brings each financial year's costs to the first year's prices at {:.1}% a year \
                 (the deflator) and discounts them at {:.1}% (HM Treasury Green Book, a real rate) back to the first",
                100.0 * self.deflator,
                100.0 * self.rate
            )
        } else {
            format!(
                "the NPV discounts each financial year's outturn costs at {:.1}% back to the first (the HM \
                 Treasury Green Book discounts real costs: give `deflator` to bring them to the first year's prices)",
                100.0 * self.rate
            )
        }
    }
}

/// Which financial year each month of a model's horizon falls in, worked out
/// once for reading many replications.
#[derive(Clone, Debug)]
struct YearOfMonth {
    /// Per month, its financial year's offset from the first.
    offsets: Vec<usize>,
    years: usize,
}

impl YearOfMonth {
    fn of(model: &Model) -> YearOfMonth {
        YearOfMonth {
            offsets: (0..model.horizon())
                .map(|t| year_offset(model, t) as usize)
                .collect(),
            years: financial_years(model).len(),
        }
    }

    /// `months` (one value per month) summed per financial year, in month
    /// order, into `years`.
    fn sums_into(&self, months: &[f64], years: &mut Vec<f64>) {
        years.clear();
        years.resize(self.years, 0.0);
        for (&year, value) in self.offsets.iter().zip(months) {
            years[year] += value;
        }
    }
}

/// A metric summed over each financial year.
pub fn by_financial_year(model: &Model, outcome: &Outcome, metric: MetricId) -> Vec<f64> {
    let mut years = Vec::new();
    YearOfMonth::of(model).sums_into(&outcome.months_of(metric), &mut years);
    years
}

/// The present value of yearly amounts, each discounted by its financial year.
fn present_value(years: &[f64], discount: Discount) -> f64 {
    years
        .iter()
        .enumerate()
        .map(|(k, v)| v * discount.factor(k as u32))
        .sum()
}

/// Net present value of a monthly money metric, each month discounted by
/// its financial year.
pub fn npv(model: &Model, outcome: &Outcome, metric: MetricId, discount: Discount) -> f64 {
    present_value(&by_financial_year(model, outcome, metric), discount)
}

/// Money lines reported: every cost line, then the total.
pub fn money_lines() -> impl Iterator<Item = MetricId> {
    m::COST_LINES.iter().copied().chain([m::COST_TOTAL])
}

fn metric_name(metric: MetricId) -> &'static str {
    m::FIXED[metric].0
}

/// The labels of [`measures`], in the same order.
pub fn measure_labels(model: &Model) -> Vec<Measure> {
    let years: Vec<String> = financial_years(model)
        .into_iter()
        .map(financial_year_label)
        .collect();
    let label = |name: &str, period: &str| Measure {
        name: name.to_string(),
        period: period.to_string(),
    };
    let mut labels = Vec::new();
    for metric in money_lines().chain(m::KEY_METRICS.iter().copied()) {
        for year in &years {
            labels.push(label(metric_name(metric), year));
        }
        labels.push(label(metric_name(metric), HORIZON));
    }
    labels.push(label("npv.cost.total", HORIZON));
    labels.push(label("npv.cost.agency", HORIZON));
    labels.push(label("permanent_fte_years", HORIZON));
    labels.push(label("agency_fte_years", HORIZON));
    labels
}

/// One replication's measures: money lines summed per financial year and
/// over the horizon, key metrics averaged per year and over the horizon,
/// NPVs (by the model's own discounting), and FTE-years.
pub fn measures(model: &Model, outcome: &Outcome) -> Vec<f64> {
    let mut values = Vec::new();
    Measurer::new(model, Discount::of(model)).measure(outcome, &mut values);
    values
}

/// Takes [`measures`] of many replications of one model, with what they
/// share worked out once.
struct Measurer {
    year_of_month: YearOfMonth,
    months_in_year: Vec<f64>,
    horizon: f64,
    discount: Discount,
}

impl Measurer {
    fn new(model: &Model, discount: Discount) -> Measurer {
        let year_of_month = YearOfMonth::of(model);
        let mut months_in_year = Vec::new();
        year_of_month.sums_into(&vec![1.0; model.horizon()], &mut months_in_year);
        Measurer {
            year_of_month,
            months_in_year,
            horizon: model.horizon() as f64,
            discount,
        }
    }

    /// `outcome`'s measures into `values`. Each metric is read once, though
    /// some serve two measures (`cost.total` a line and an NPV, permanent
    /// FTE a key metric and FTE-years).
    fn measure(&self, outcome: &Outcome, values: &mut Vec<f64>) {
        let mut months = vec![0.0; outcome.months()];
        let mut by_year = |metric: MetricId| {
            outcome.months_into(metric, &mut months);
            let mut years = Vec::new();
            self.year_of_month.sums_into(&months, &mut years);
            (metric, years)
        };
        let money: Vec<_> = money_lines().map(&mut by_year).collect();
        let key: Vec<_> = m::KEY_METRICS.iter().map(|&k| by_year(k)).collect();
        let years_of = |metric: MetricId| {
            let (_, years) = money
                .iter()
                .chain(&key)
                .find(|(k, _)| *k == metric)
                .expect("a measured metric");
            years
        };
        values.clear();
        for (_, years) in &money {
            values.extend_from_slice(years);
            values.push(years.iter().sum());
        }
        for (_, years) in &key {
            values.extend(years.iter().zip(&self.months_in_year).map(|(v, n)| v / n));
            values.push(years.iter().sum::<f64>() / self.horizon);
        }
        for metric in [m::COST_TOTAL, m::COST_AGENCY] {
            values.push(present_value(years_of(metric), self.discount));
        }
        for metric in [m::FTE_PERMANENT, m::FTE_AGENCY] {
            values.push(years_of(metric).iter().sum::<f64>() / 12.0);
        }
    }
}

/// A measure over replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub mean: f64,
    /// P5, P25, P50, P75, P95.
    pub quantiles: [f64; 5],
}

/// A variant minus the base, replication by replication.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Difference {
    pub mean: f64,
    /// 95% interval of the mean difference.
    pub ci: (f64, f64),
    /// P5..P95 of the replication differences.
    pub quantiles: [f64; 5],
    /// Standard error of the mean difference, paired.
    pub se: f64,
    /// What the standard error would be had the runs not been paired.
    pub se_unpaired: f64,
}

/// Sample variance (n - 1).
fn variance(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let mu = mean(values);
    values.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (values.len() - 1) as f64
}

/// The paired difference `variant - base` of one measure.
pub fn difference(base: &[f64], variant: &[f64]) -> Difference {
    let n = base.len() as f64;
    let d: Vec<f64> = variant.iter().zip(base).map(|(v, b)| v - b).collect();
    let se = (variance(&d) / n).sqrt();
    let se_unpaired = ((variance(base) + variance(variant)) / n).sqrt();
    let (mean, quantiles) = summarize(&d);
    Difference {
        mean,
        ci: (mean - Z95 * se, mean + Z95 * se),
        quantiles,
        se,
        se_unpaired,
    }
}

/// Extra cost per extra permanent FTE-year: the ratio of mean paired
/// differences, with a delta-method 95% interval. `None` when the variant
/// adds no permanent FTE-years on average.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ratio {
    pub value: f64,
    pub ci: (f64, f64),
}

pub fn ratio_of_differences(cost: &[f64], fte_years: &[f64]) -> Option<Ratio> {
    let n = cost.len() as f64;
    let (my, mx) = (mean(cost), mean(fte_years));
    if mx.abs() < 1e-9 {
        return None;
    }
    let r = my / mx;
    let (vy, vx) = (variance(cost), variance(fte_years));
    let cov = cost
        .iter()
        .zip(fte_years)
        .map(|(y, x)| (y - my) * (x - mx))
        .sum::<f64>()
        / (n - 1.0).max(1.0);
    let se = ((vy - 2.0 * r * cov + r * r * vx).max(0.0) / n).sqrt() / mx.abs();
    Some(Ratio {
        value: r,
        ci: (r - Z95 * se, r + Z95 * se),
    })
}

/// Everything finance reads: per variant, every measure's spread; per
/// variant after the base, its paired differences and cost-effectiveness.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub labels: Vec<Measure>,
    pub years: Vec<u32>,
    /// How many months of each of `years` the horizon holds (the first and
    /// last are often part years).
    pub months_in_year: Vec<usize>,
    /// `[variant][measure]`.
    pub spreads: Vec<Vec<Spread>>,
    /// `[variant - 1][measure]`: the base has no row.
    pub differences: Vec<Vec<Difference>>,
    /// `[variant - 1]`: extra horizon cost per extra permanent FTE-year.
    pub cost_per_fte_year: Vec<Option<Ratio>>,
}

impl Comparison {
    pub fn find(&self, name: &str, period: &str) -> Option<usize> {
        self.labels
            .iter()
            .position(|l| l.name == name && l.period == period)
    }
}

/// Columns of a replication-by-measure table.
fn columns(rows: &[Vec<f64>], measures: usize) -> Vec<Vec<f64>> {
    (0..measures)
        .map(|k| rows.iter().map(|r| r[k]).collect())
        .collect()
}

pub fn compare(result: &RunResult) -> Comparison {
    let base_model = &result.variants[0].variant.model;
    let labels = measure_labels(base_model);
    // Every variant's NPVs by the base's discounting, as they are labelled,
    // so that a difference from the base is the policy's, not the rate's.
    let discount = Discount::of(base_model);
    let per_variant: Vec<Vec<Vec<f64>>> = result
        .variants
        .iter()
        .map(|run| {
            let measurer = Measurer::new(&run.variant.model, discount);
            let rows: Vec<Vec<f64>> = run
                .outcomes
                .par_iter()
                .map(|o| {
                    let mut values = Vec::with_capacity(labels.len());
                    measurer.measure(o, &mut values);
                    values
                })
                .collect();
            columns(&rows, labels.len())
        })
        .collect();
    let spreads = per_variant
        .iter()
        .map(|cols| {
            cols.par_iter()
                .map(|c| {
                    let (mean, quantiles) = summarize(c);
                    Spread { mean, quantiles }
                })
                .collect()
        })
        .collect();
    let base = &per_variant[0];
    let total = labels
        .iter()
        .position(|l| l.name == "cost.total" && l.period == HORIZON)
        .expect("cost.total is measured");
    let fte = labels
        .iter()
        .position(|l| l.name == "permanent_fte_years")
        .expect("FTE-years are measured");
    let paired = |cols: &Vec<Vec<f64>>, k: usize| -> Vec<f64> {
        cols[k].iter().zip(&base[k]).map(|(v, b)| v - b).collect()
    };
    let years = financial_years(base_model);
    let year_of_month = YearOfMonth::of(base_model);
    Comparison {
        months_in_year: (0..years.len())
            .map(|y| year_of_month.offsets.iter().filter(|&&o| o == y).count())
            .collect(),
        years,
        differences: per_variant[1..]
            .iter()
            .map(|cols| {
                (0..labels.len())
                    .into_par_iter()
                    .map(|k| difference(&base[k], &cols[k]))
                    .collect()
            })
            .collect(),
        cost_per_fte_year: per_variant[1..]
            .iter()
            .map(|cols| ratio_of_differences(&paired(cols, total), &paired(cols, fte)))
            .collect(),
        labels,
        spreads,
    }
}

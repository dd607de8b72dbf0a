//! Parquet and CSV tables, built with polars at the edge of the program.

use std::fs::File;
use std::path::Path;

use polars::prelude::*;

use super::{Digest, OutputError, io};
use crate::runner::RunResult;

fn table_error(path: &Path) -> impl FnOnce(PolarsError) -> OutputError + '_ {
    move |source| OutputError::Table {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `df` as Parquet and, if `csv` is set, as CSV beside it.
fn write_frame(
    df: &mut DataFrame,
    dir: &Path,
    stem: &str,
    parquet: bool,
    csv: bool,
) -> Result<(), OutputError> {
    if parquet {
        let path = dir.join(format!("{stem}.parquet"));
        let file = File::create(&path).map_err(io(&path))?;
        ParquetWriter::new(file)
            .finish(df)
            .map_err(table_error(&path))?;
    }
    if csv {
        let path = dir.join(format!("{stem}.csv"));
        let mut file = File::create(&path).map_err(io(&path))?;
        CsvWriter::new(&mut file)
            .include_header(true)
            .finish(df)
            .map_err(table_error(&path))?;
    }
    Ok(())
}

/// `mean` and the five quantile columns, `p5` to `p95`.
fn spread_columns(mean: Vec<f64>, quantiles: [Vec<f64>; 5]) -> Vec<Column> {
    let [p5, p25, p50, p75, p95] = quantiles;
    vec![
        Column::new("mean".into(), mean),
        Column::new("p5".into(), p5),
        Column::new("p25".into(), p25),
        Column::new("p50".into(), p50),
        Column::new("p75".into(), p75),
        Column::new("p95".into(), p95),
    ]
}

/// One row per variant x month x metric: mean and P5, P25, P50, P75, P95.
pub fn write_quantiles(result: &RunResult, digest: &Digest, dir: &Path) -> Result<(), OutputError> {
    let (mut variant, mut month, mut metric) = (Vec::new(), Vec::new(), Vec::new());
    let mut mean = Vec::new();
    let mut q: [Vec<f64>; 5] = Default::default();
    for (run, cells) in result.variants.iter().zip(&digest.cells) {
        let model = &run.variant.model;
        for t in 0..model.horizon() {
            let month_name = model.month(t).to_string();
            for (id, name) in model.catalogue.names.iter().enumerate() {
                let spread = cells.get(t, id);
                variant.push(run.variant.name.clone());
                month.push(month_name.clone());
                metric.push(name.clone());
                mean.push(spread.mean);
                for (column, value) in q.iter_mut().zip(spread.quantiles) {
                    column.push(value);
                }
            }
        }
    }
    let mut columns = vec![
        Column::new("variant".into(), variant),
        Column::new("month".into(), month),
        Column::new("metric".into(), metric),
    ];
    columns.extend(spread_columns(mean, q));
    let mut df = DataFrame::new_infer_height(columns).map_err(table_error(dir))?;
    write_frame(&mut df, dir, "quantiles", true, true)
}

/// One row per variant x target.
pub fn write_targets(result: &RunResult, digest: &Digest, dir: &Path) -> Result<(), OutputError> {
    let (mut variant, mut target_name) = (Vec::new(), Vec::new());
    let (mut probability, mut ci_low, mut ci_high) = (Vec::new(), Vec::new(), Vec::new());
    let mut first: [Vec<Option<String>>; 3] = Default::default();
    let mut never = Vec::new();
    for (run, targets) in result.variants.iter().zip(&digest.targets) {
        let model = &run.variant.model;
        for (target, s) in model.targets.iter().zip(targets) {
            variant.push(run.variant.name.clone());
            target_name.push(target.name.clone());
            probability.push(s.probability);
            ci_low.push(s.ci_low);
            ci_high.push(s.ci_high);
            for (k, column) in first.iter_mut().enumerate() {
                column.push(s.first_met.map(|f| model.month(f[k]).to_string()));
            }
            never.push(s.never_met_share);
        }
    }
    let [f5, f50, f95] = first;
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("variant".into(), variant),
        Column::new("target".into(), target_name),
        Column::new("probability".into(), probability),
        Column::new("ci_low".into(), ci_low),
        Column::new("ci_high".into(), ci_high),
        Column::new("first_met_p5".into(), f5),
        Column::new("first_met_p50".into(), f50),
        Column::new("first_met_p95".into(), f95),
        Column::new("never_met_share".into(), never),
    ])
    .map_err(table_error(dir))?;
    write_frame(&mut df, dir, "targets", false, true)
}

/// Every replication's monthly series, long: variant, replication, month, metric, value.
pub fn write_raw(result: &RunResult, dir: &Path) -> Result<(), OutputError> {
    let (mut variant, mut replication, mut month, mut metric, mut value) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for run in &result.variants {
        let model = &run.variant.model;
        let metrics = model.catalogue.len();
        for (r, outcome) in run.outcomes.iter().enumerate() {
            for t in 0..model.horizon() {
                let month_name = model.month(t).to_string();
                for (id, name) in model.catalogue.names.iter().enumerate() {
                    variant.push(run.variant.name.clone());
                    replication.push(r as u32);
                    month.push(month_name.clone());
                    metric.push(name.clone());
                    value.push(outcome.value(metrics, t, id));
                }
            }
        }
    }
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("variant".into(), variant),
        Column::new("replication".into(), replication),
        Column::new("month".into(), month),
        Column::new("metric".into(), metric),
        Column::new("value".into(), value),
    ])
    .map_err(table_error(dir))?;
    write_frame(&mut df, dir, "raw", true, false)
}

/// Costs per financial year and over the horizon, and their NPVs: one row per
/// variant x period x line, mean and quantiles over replications.
pub fn write_costs(result: &RunResult, digest: &Digest, dir: &Path) -> Result<(), OutputError> {
    let c = &digest.comparison;
    let (mut variant, mut year, mut line) = (Vec::new(), Vec::new(), Vec::new());
    let mut mean = Vec::new();
    let mut q: [Vec<f64>; 5] = Default::default();
    for (run, spreads) in result.variants.iter().zip(&c.spreads) {
        for (label, spread) in c.labels.iter().zip(spreads) {
            if !is_money(&label.name) {
                continue;
            }
            variant.push(run.variant.name.clone());
            year.push(label.period.clone());
            line.push(label.name.clone());
            mean.push(spread.mean);
            for (column, value) in q.iter_mut().zip(spread.quantiles) {
                column.push(value);
            }
        }
    }
    let mut columns = vec![
        Column::new("variant".into(), variant),
        Column::new("financial_year".into(), year),
        Column::new("line".into(), line),
    ];
    columns.extend(spread_columns(mean, q));
    let mut df = DataFrame::new_infer_height(columns).map_err(table_error(dir))?;
    write_frame(&mut df, dir, "costs", true, true)
}

fn is_money(name: &str) -> bool {
    name.starts_with("cost.") || name.starts_with("npv.")
}

/// Each variant minus the base, paired by replication: one row per variant x
/// measure x period, and the extra cost per extra permanent FTE-year.
pub fn write_compare(result: &RunResult, digest: &Digest, dir: &Path) -> Result<(), OutputError> {
    let c = &digest.comparison;
    let with_money = result.variants[0].variant.model.finance.is_some();
    let (mut variant, mut measure, mut period) = (Vec::new(), Vec::new(), Vec::new());
    let (mut mean, mut low, mut high) = (Vec::new(), Vec::new(), Vec::new());
    let mut q: [Vec<Option<f64>>; 5] = Default::default();
    let (mut se, mut se_unpaired) = (Vec::new(), Vec::new());
    for (v, run) in result.variants.iter().enumerate().skip(1) {
        for (label, d) in c.labels.iter().zip(&c.differences[v - 1]) {
            if !with_money && is_money(&label.name) {
                continue;
            }
            variant.push(run.variant.name.clone());
            measure.push(label.name.clone());
            period.push(label.period.clone());
            mean.push(d.mean);
            low.push(d.ci.0);
            high.push(d.ci.1);
            for (column, value) in q.iter_mut().zip(d.quantiles) {
                column.push(Some(value));
            }
            se.push(Some(d.se));
            se_unpaired.push(Some(d.se_unpaired));
        }
        if let (true, Some(ratio)) = (with_money, c.cost_per_fte_year[v - 1]) {
            variant.push(run.variant.name.clone());
            measure.push("cost_per_extra_permanent_fte_year".to_string());
            period.push(crate::compare::HORIZON.to_string());
            mean.push(ratio.value);
            low.push(ratio.ci.0);
            high.push(ratio.ci.1);
            for column in q.iter_mut() {
                column.push(None);
            }
            se.push(None);
            se_unpaired.push(None);
        }
    }
    let [p5, p25, p50, p75, p95] = q;
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("variant".into(), variant),
        Column::new("measure".into(), measure),
        Column::new("period".into(), period),
        Column::new("mean_difference".into(), mean),
        Column::new("ci_low".into(), low),
        Column::new("ci_high".into(), high),
        Column::new("p5".into(), p5),
        Column::new("p25".into(), p25),
        Column::new("p50".into(), p50),
        Column::new("p75".into(), p75),
        Column::new("p95".into(), p95),
        Column::new("se".into(), se),
        Column::new("se_unpaired".into(), se_unpaired),
    ])
    .map_err(table_error(dir))?;
    write_frame(&mut df, dir, "compare", true, true)
}

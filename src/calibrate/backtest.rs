//! A backtest: calibrate on some years of the DfE indicators, run from the
//! last fit year's 30 September snapshot, and set each published indicator of
//! the later years beside the model's median and 90% band.

use std::ops::RangeInclusive;

use super::dfe::{AreaQuery, Column, Indicators, Missing, Value};
use super::from_dfe::{self, Calibrated};
use crate::metrics as m;
use crate::outcome::Outcome;
use crate::runner::{self, RunOptions};

#[derive(Clone, Debug)]
pub struct Request {
    pub area: AreaQuery,
    pub fit: RangeInclusive<u32>,
    /// The last reporting year forecast.
    pub to: u32,
    pub replications: u32,
}

/// A published indicator and the model's figure for it.
#[derive(Clone, Copy, Debug)]
pub struct Indicator {
    pub column: Column,
    /// What the model compares: a snapshot at September, or a flow over the
    /// year to it.
    metric: m::MetricId,
    over_year: bool,
    /// Published figures in percent where the model's are shares.
    scale: f64,
}

pub const INDICATORS: [Indicator; 8] = [
    Indicator {
        column: Column::InpostFte,
        metric: m::FTE_PERMANENT,
        over_year: false,
        scale: 1.0,
    },
    Indicator {
        column: Column::AgencyCoverFte,
        metric: m::FTE_AGENCY,
        over_year: false,
        scale: 1.0,
    },
    Indicator {
        column: Column::VacancyFte,
        metric: m::VACANCY_FTE,
        over_year: false,
        scale: 1.0,
    },
    Indicator {
        column: Column::StartersFte,
        metric: m::STARTERS,
        over_year: true,
        scale: 1.0,
    },
    Indicator {
        column: Column::LeaversFte,
        metric: m::LEAVERS,
        over_year: true,
        scale: 1.0,
    },
    Indicator {
        column: Column::TurnoverRateFte,
        metric: m::TURNOVER_RATE,
        over_year: false,
        scale: 100.0,
    },
    Indicator {
        column: Column::Cases,
        metric: m::OPEN_CASES,
        over_year: false,
        scale: 1.0,
    },
    Indicator {
        column: Column::CaseloadFte,
        metric: m::AVERAGE_CASELOAD,
        over_year: false,
        scale: 1.0,
    },
];

/// One indicator in one forecast year.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub year: u32,
    pub indicator: &'static str,
    pub published: Value,
    pub median: f64,
    pub p5: f64,
    pub p95: f64,
}

impl Line {
    /// Whether the published figure falls outside the model's 90% band.
    pub fn outside(&self) -> bool {
        matches!(self.published, Value::Number(v) if v < self.p5 || v > self.p95)
    }
}

pub struct Backtest {
    pub calibrated: Calibrated,
    pub lines: Vec<Line>,
}

pub fn run(
    indicators: &Indicators,
    request: &Request,
    options: &RunOptions,
) -> Result<Backtest, String> {
    forecast_after_fit(request)?;
    let last = *request.fit.end();
    let calibrated = from_dfe::calibrate(
        indicators,
        &from_dfe::Request {
            area: request.area.clone(),
            years: Some(request.fit.clone()),
            horizon_months: 12 * (request.to - last),
            replications: request.replications,
            uncertain: true,
        },
    )?;
    let area = indicators.area(&request.area)?;
    let scenario = &calibrated.scenario;
    let result = runner::run(scenario, options).map_err(|e| e.to_string())?;
    let model = &scenario.variants[0].model;
    let outcomes = &result.variants[0].outcomes;
    let metrics = model.catalogue.len();
    let mut lines = Vec::new();
    for year in last + 1..=request.to {
        // September of `year`: the snapshot the DfE publishes for it.
        let t = (12 * (year - last) - 1) as usize;
        for ind in INDICATORS {
            let mut values: Vec<f64> = outcomes
                .iter()
                .map(|o| ind.scale * model_value(o, metrics, t, ind))
                .collect();
            values.sort_by(f64::total_cmp);
            let q = |p: f64| crate::stats::quantile_sorted(&values, p);
            lines.push(Line {
                year,
                indicator: ind.column.name(),
                published: area
                    .row(year)
                    .map_or(Value::Missing(super::dfe::Missing::Blank), |r| {
                        r.value(ind.column)
                    }),
                median: q(0.5),
                p5: q(0.05),
                p95: q(0.95),
            });
        }
    }
    Ok(Backtest { calibrated, lines })
}

fn forecast_after_fit(request: &Request) -> Result<(), String> {
    let last = *request.fit.end();
    if request.to <= last {
        return Err(format!(
            "--to {}: must be after the last fit year, {last}",
            request.to
        ));
    }
    Ok(())
}

/// Every local authority's backtest on the same years.
pub struct EveryArea {
    /// Each authority backtested.
    pub areas: Vec<AreaLines>,
    /// Each authority left out, and why (most often: no rows for a fit year).
    pub skipped: Vec<String>,
}

/// One authority's backtest.
pub struct AreaLines {
    pub name: String,
    /// Its permanent FTE in post when the forecast starts (its size).
    pub inpost_fte: f64,
    pub lines: Vec<Line>,
}

/// The backtest of `request`'s years for every local authority in the file
/// (`request.area` is not read).
pub fn every_local_authority(
    indicators: &Indicators,
    request: &Request,
    options: &RunOptions,
) -> Result<EveryArea, String> {
    forecast_after_fit(request)?;
    let mut every = EveryArea {
        areas: Vec::new(),
        skipped: Vec::new(),
    };
    for code in indicators.local_authorities() {
        let one = Request {
            area: AreaQuery::LocalAuthority(code.clone()),
            ..request.clone()
        };
        match run(indicators, &one, options) {
            Ok(b) => every.areas.push(AreaLines {
                inpost_fte: b.calibrated.scenario.variants[0]
                    .model
                    .grades
                    .iter()
                    .map(|g| g.start.permanent_fte)
                    .sum(),
                name: b.calibrated.area_name,
                lines: b.lines,
            }),
            Err(e) => every.skipped.push(format!("{code}: {e}")),
        }
    }
    if every.areas.is_empty() {
        return Err(format!(
            "no local authority could be backtested on {}-{}",
            request.fit.start(),
            request.fit.end()
        ));
    }
    Ok(every)
}

/// How the published figures of some lines fall against the model's band.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Coverage {
    pub published: usize,
    pub below: usize,
    pub above: usize,
    /// Published above the model's median.
    pub above_median: usize,
    /// The sum of |ln(median / published)| over the figures where both are
    /// positive and finite, and how many those are.
    pub log_error: f64,
    pub compared: usize,
}

impl Coverage {
    /// Counts the lines with a published figure (suppressed and missing ones are not counted).
    pub fn of<'l>(lines: impl IntoIterator<Item = &'l Line>) -> Coverage {
        let mut c = Coverage::default();
        for l in lines {
            if let Value::Number(v) = l.published {
                c.published += 1;
                c.below += usize::from(v < l.p5);
                c.above += usize::from(v > l.p95);
                c.above_median += usize::from(v > l.median);
                let error = (l.median / v).ln().abs();
                if v > 0.0 && error.is_finite() {
                    c.log_error += error;
                    c.compared += 1;
                }
            }
        }
        c
    }

    /// The share of published figures inside the 90% band.
    pub fn inside(self) -> f64 {
        1.0 - (self.below + self.above) as f64 / self.published as f64
    }

    /// The median's typical error: the mean of |ln(median / published)|,
    /// as the ratio's distance from 1 (0.36 for a median typically a third
    /// above or below).
    pub fn typical_error(self) -> f64 {
        (self.log_error / self.compared as f64).exp_m1()
    }
}

/// Coverage by indicator, by forecast year, by thirds of the authorities
/// by size and over all: (group, coverage).
pub fn coverage(every: &EveryArea) -> Vec<(String, Coverage)> {
    let lines = || every.areas.iter().flat_map(|a| &a.lines);
    let mut years: Vec<u32> = lines().map(|l| l.year).collect();
    years.sort_unstable();
    years.dedup();
    let by_indicator = INDICATORS.iter().map(|ind| {
        let name = ind.column.name();
        (
            name.to_string(),
            Coverage::of(lines().filter(|l| l.indicator == name)),
        )
    });
    let by_year = years
        .into_iter()
        .map(|y| (y.to_string(), Coverage::of(lines().filter(|l| l.year == y))));
    by_indicator
        .chain(by_year)
        .chain(by_size(every))
        .chain([("all".to_string(), Coverage::of(lines()))])
        .filter(|(_, c)| c.published > 0)
        .collect()
}

/// Coverage of the smallest, middle and largest third of the authorities
/// by FTE in post when the forecast starts: a small service's figures move
/// more from year to year, so its bands must be wider to hold as many.
fn by_size(every: &EveryArea) -> Vec<(String, Coverage)> {
    let mut sizes: Vec<f64> = every.areas.iter().map(|a| a.inpost_fte).collect();
    sizes.sort_by(f64::total_cmp);
    if sizes.len() < 3 {
        return Vec::new();
    }
    let (low, high) = (sizes[sizes.len() / 3], sizes[2 * sizes.len() / 3]);
    let fte = |v: f64| format!("{v:.0}");
    [
        (format!("in post under {} FTE", fte(low)), 0.0, low),
        (
            format!("in post {} to {} FTE", fte(low), fte(high)),
            low,
            high,
        ),
        (
            format!("in post {} FTE or more", fte(high)),
            high,
            f64::INFINITY,
        ),
    ]
    .into_iter()
    .map(|(group, from, below)| {
        let third = every
            .areas
            .iter()
            .filter(|a| a.inpost_fte >= from && a.inpost_fte < below)
            .flat_map(|a| &a.lines);
        (group, Coverage::of(third))
    })
    .collect()
}

/// The coverage as a table for the terminal and the README.
pub fn coverage_table(groups: &[(String, Coverage)]) -> String {
    let mut out = String::from(
        "| indicator, year or size | published figures | inside the 90% band | below it | above it | above the median | median typically off by |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
    );
    for (group, c) in groups {
        let share = |k: usize| format!("{:.1}%", 100.0 * k as f64 / c.published as f64);
        let error = if c.compared > 0 {
            format!("{:.0}%", 100.0 * c.typical_error())
        } else {
            "-".to_string()
        };
        out.push_str(&format!(
            "| {group} | {} | {:.1}% | {} | {} | {} | {error} |\n",
            c.published,
            100.0 * c.inside(),
            share(c.below),
            share(c.above),
            share(c.above_median)
        ));
    }
    out
}

/// The coverage as CSV.
pub fn coverage_csv(groups: &[(String, Coverage)]) -> String {
    let mut out = String::from(
        "group,published,inside_90,below_p5,above_p95,above_median,compared,mean_abs_log_error\n",
    );
    for (group, c) in groups {
        out.push_str(&format!(
            "{group},{},{},{},{},{},{},{:.4}\n",
            c.published,
            c.published - c.below - c.above,
            c.below,
            c.above,
            c.above_median,
            c.compared,
            c.log_error / c.compared.max(1) as f64
        ));
    }
    out
}

fn model_value(o: &Outcome, metrics: usize, t: usize, ind: Indicator) -> f64 {
    if ind.over_year {
        (t.saturating_sub(11)..=t)
            .map(|s| o.value(metrics, s, ind.metric))
            .sum()
    } else {
        o.value(metrics, t, ind.metric)
    }
}

/// The lines as CSV.
pub fn csv(lines: &[Line]) -> String {
    let header = "year,indicator,published,model_median,model_p5,model_p95,outside_90\n";
    let mut out = String::from(header);
    push_csv_lines(&mut out, "", lines);
    out
}

/// Every authority's lines as one CSV, an `area` column first.
pub fn every_csv(every: &EveryArea) -> String {
    let mut out =
        String::from("area,year,indicator,published,model_median,model_p5,model_p95,outside_90\n");
    for area in &every.areas {
        let quoted = format!("\"{}\",", area.name.replace('"', "\"\""));
        push_csv_lines(&mut out, &quoted, &area.lines);
    }
    out
}

/// Each line as a CSV row after `first` (another column and its comma, or nothing).
fn push_csv_lines(out: &mut String, first: &str, lines: &[Line]) {
    for l in lines {
        out.push_str(&format!(
            "{first}{},{},{},{:.4},{:.4},{:.4},{}\n",
            l.year,
            l.indicator,
            published_text(l.published),
            l.median,
            l.p5,
            l.p95,
            l.outside()
        ));
    }
}

pub fn published_text(value: Value) -> String {
    match value {
        Value::Number(v) => format!("{v}"),
        Value::Missing(m) => m.code().to_string(),
    }
}

/// The lines as a table for the terminal and the README.
pub fn table(lines: &[Line]) -> String {
    let mut out = String::from(
        "| year | indicator | published | model median | model 90% band | |\n|---|---|---:|---:|---|---|\n",
    );
    for l in lines {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} - {} | {} |\n",
            l.year,
            l.indicator,
            match l.published {
                Value::Number(v) => format!("{v}"),
                Value::Missing(Missing::Blank) => "not published".to_string(),
                missing => format!("missing ({})", published_text(missing)),
            },
            short(l.median),
            short(l.p5),
            short(l.p95),
            if l.outside() { "outside" } else { "" }
        ));
    }
    out
}

fn short(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

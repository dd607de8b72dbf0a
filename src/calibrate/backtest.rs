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
    /// Whether a figure is published for the line (not suppressed, not
    /// blank, not a year the file does not reach).
    pub fn is_published(&self) -> bool {
        matches!(self.published, Value::Number(_))
    }

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
    let last = *request.fit.end();
    if request.to <= last {
        return Err(format!(
            "--to {}: must be after the last fit year, {last}",
            request.to
        ));
    }
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
    let mut out =
        String::from("year,indicator,published,model_median,model_p5,model_p95,outside_90\n");
    for l in lines {
        out.push_str(&format!(
            "{},{},{},{:.4},{:.4},{:.4},{}\n",
            l.year,
            l.indicator,
            published_text(l.published),
            l.median,
            l.p5,
            l.p95,
            l.outside()
        ));
    }
    out
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

//! When a target is first met: for each variant, the share of replications
//! that have met it by each month (a cumulative distribution).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{axes, colour, legend_box};
use crate::output::Digest;
use crate::runner::RunResult;

pub fn cumulative<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    result: &RunResult,
    digest: &Digest,
    target: usize,
) -> Result<(), String> {
    let model = &result.variants[0].variant.model;
    let name = &model.targets[target].name;
    let h = model.horizon();
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut chart = axes(
        area,
        model,
        &format!("{name}: replications that have met it at least once, by month"),
        "met at least once by this month (%)",
        (0.0, 105.0),
    )?;
    for (v, run) in result.variants.iter().enumerate() {
        let own = &run.variant.model;
        let Some(k) = own.targets.iter().position(|t| &t.name == name) else {
            continue;
        };
        let mut met_in = digest.targets[v][k].first_met_counts.clone();
        met_in.resize(h, 0);
        let n = run.outcomes.len() as f64;
        let mut so_far = 0;
        let mut points = Vec::with_capacity(2 * h);
        for (month, count) in met_in.iter().enumerate() {
            let before = 100.0 * so_far as f64 / n;
            so_far += count;
            points.push((month as f64, before));
            points.push((month as f64, 100.0 * so_far as f64 / n));
        }
        // Variants often coincide (common random numbers): earlier ones are
        // drawn wider, so each stays visible beneath those drawn over it.
        let width = 2 + 2 * (result.variants.len() - 1 - v).min(3) as u32;
        let c = colour(v);
        chart
            .draw_series(LineSeries::new(points, c.stroke_width(width)))
            .map_err(|e| e.to_string())?
            .label(run.variant.name.clone())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], c.stroke_width(3)));
    }
    let by = model.targets[target].by.months_since(model.start) as f64;
    let red = RGBColor(200, 30, 30);
    chart
        .draw_series(DashedLineSeries::new(
            [(by, 0.0), (by, 105.0)],
            6,
            4,
            red.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?
        .label(format!("target month {}", model.targets[target].by))
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], red.stroke_width(2)));
    legend_box(&mut chart, SeriesLabelPosition::UpperLeft)
}

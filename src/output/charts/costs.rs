//! Costs per financial year, stacked by cost line, one chart per variant.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{FONT_NAME, MARGIN, PALETTE, X_LABELS, Y_LABELS, legend_box, plot_size};
use crate::compare::Comparison;
use crate::metrics as m;
use crate::output::finance::line_title;
use crate::scenario::finance::financial_year_label;

/// The colour of cost line `k`: the variant palette, then yellow and greys.
fn line_colour(k: usize) -> RGBColor {
    const MORE: [RGBColor; 5] = [
        RGBColor(240, 228, 66),
        RGBColor(120, 120, 120),
        RGBColor(170, 170, 170),
        RGBColor(60, 60, 60),
        RGBColor(200, 200, 200),
    ];
    match PALETTE.get(k) {
        Some(&c) if k < PALETTE.len() - 1 => c,
        _ => MORE[(k + 1 - PALETTE.len()) % MORE.len()],
    }
}

/// Mean of each cost line in each financial year, in millions.
fn means(c: &Comparison, variant: usize) -> Vec<Vec<f64>> {
    m::COST_LINES
        .iter()
        .map(|&line| {
            c.years
                .iter()
                .map(|&y| {
                    let k = c
                        .find(m::FIXED[line].0, &financial_year_label(y))
                        .expect("every line is measured each year");
                    c.spreads[variant][k].mean / 1e6
                })
                .collect()
        })
        .collect()
}

/// Positive lines stack up from zero, negative ones (clawback, grants) down;
/// a black dot marks the net cost.
pub fn stacked<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &Comparison,
    variant: usize,
    name: &str,
) -> Result<(), String> {
    let lines = means(c, variant);
    let years = c.years.len();
    let net: Vec<f64> = (0..years)
        .map(|y| lines.iter().map(|l| l[y]).sum())
        .collect();
    let top = (0..years)
        .map(|y| lines.iter().map(|l| l[y].max(0.0)).sum::<f64>())
        .fold(0.0, f64::max);
    let bottom = (0..years)
        .map(|y| lines.iter().map(|l| l[y].min(0.0)).sum::<f64>())
        .fold(0.0, f64::min);
    let span = (top - bottom).max(1e-6);
    // Headroom above the bars for the legend (about 18 pixels a line, the
    // net cost's included), so that it covers none: at least 45% of the
    // span, more when many lines are drawn.
    let entries = lines.iter().filter(|l| l.iter().any(|v| *v != 0.0)).count() + 1;
    let legend = 18.0 * entries as f64 + 20.0;
    let share = (legend / plot_size(area.dim_in_pixel()).1).min(0.8);
    let headroom = (1.05 * share / (1.0 - share)).max(0.45);
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    // A part year's bar is short for want of months, not of money: marked.
    let labels: Vec<String> = c
        .years
        .iter()
        .zip(&c.months_in_year)
        .map(|(&y, &months)| {
            let mark = if months < 12 { "*" } else { "" };
            format!("{}{mark}", financial_year_label(y))
        })
        .collect();
    let part_years = c.months_in_year.iter().any(|&months| months < 12);
    // Integer ranges are inclusive: 0..=years-1 makes one segment per year.
    let x = (0..years as i32 - 1).into_segmented();
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("{name}: costs per financial year (mean, GBP m)"),
            (FONT_NAME, 24),
        )
        .margin(MARGIN)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS)
        .build_cartesian_2d(x, (bottom - 0.05 * span)..(top + headroom * span))
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(years)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(k) => labels.get(*k as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc(if part_years {
            "financial year (April to March; * part of a year)"
        } else {
            "financial year (April to March)"
        })
        .y_desc("GBP million")
        .label_style((FONT_NAME, 15))
        .axis_desc_style((FONT_NAME, 17))
        .y_labels(8)
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(|e| e.to_string())?;
    let mut up = vec![0.0; years];
    let mut down = vec![0.0; years];
    for (k, (&line, values)) in m::COST_LINES.iter().zip(&lines).enumerate() {
        if values.iter().all(|v| *v == 0.0) {
            continue;
        }
        let colour = line_colour(k);
        let bars: Vec<Rectangle<(SegmentValue<i32>, f64)>> = values
            .iter()
            .enumerate()
            .map(|(y, &v)| {
                let stack = if v >= 0.0 { &mut up } else { &mut down };
                let from = stack[y];
                stack[y] += v;
                let k = y as i32;
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(k), from),
                        (SegmentValue::Exact(k + 1), stack[y]),
                    ],
                    colour.filled(),
                );
                bar.set_margin(0, 0, 12, 12);
                bar
            })
            .collect();
        chart
            .draw_series(bars)
            .map_err(|e| e.to_string())?
            .label(line_title(line))
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], colour.filled()));
    }
    chart
        .draw_series(
            net.iter().enumerate().map(|(y, &v)| {
                Circle::new((SegmentValue::CenterOf(y as i32), v), 5, BLACK.filled())
            }),
        )
        .map_err(|e| e.to_string())?
        .label("net cost")
        .legend(|(x, y)| Circle::new((x + 10, y), 5, BLACK.filled()));
    legend_box(&mut chart, SeriesLabelPosition::UpperRight)
}

//! The tornado of a sensitivity analysis: one horizontal bar per uncertain
//! parameter, from the metric at its P10 to the metric at its P90, widest on
//! top, around the value with every parameter at its median.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{FONT_NAME, MARGIN, PALETTE, X_LABELS};
use crate::sensitivity::Tornado;

/// Bars shown at most; the rest are in the table.
const MOST: usize = 15;

pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Tornado) -> Result<(), String> {
    let swings = &t.swings[..t.swings.len().min(MOST)];
    let (lo, hi) = swings
        .iter()
        .flat_map(|s| [s.at_low, s.at_high])
        .chain([t.at_medians])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let pad = ((hi - lo) * 0.1).max(1e-9);
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    let rows = swings.len() as f64;
    let names: Vec<String> = swings.iter().map(|s| s.parameter.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("{} in {}: one-at-a-time P10 to P90", t.metric, t.at),
            (FONT_NAME, 24),
        )
        .margin(MARGIN)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(330)
        .build_cartesian_2d((lo - pad)..(hi + pad), -0.5..(rows - 0.5))
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(swings.len().max(1))
        .y_label_formatter(&|y| {
            let k = y.round();
            if (y - k).abs() < 1e-6 && k >= 0.0 {
                // The widest swing is drawn on top.
                names
                    .get(names.len().saturating_sub(1 + k as usize))
                    .cloned()
                    .unwrap_or_default()
            } else {
                String::new()
            }
        })
        .x_desc(format!(
            "mean {} (every other parameter at its median)",
            t.metric
        ))
        .label_style((FONT_NAME, 14))
        .axis_desc_style((FONT_NAME, 16))
        .draw()
        .map_err(|e| e.to_string())?;
    let (low_colour, high_colour) = (PALETTE[0], PALETTE[1]);
    for (k, s) in swings.iter().enumerate() {
        let y = (swings.len() - 1 - k) as f64;
        for (value, colour) in [(s.at_low, low_colour), (s.at_high, high_colour)] {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(t.at_medians, y - 0.35), (value, y + 0.35)],
                    colour.filled(),
                )))
                .map_err(|e| e.to_string())?;
        }
    }
    chart
        .draw_series(LineSeries::new(
            [(t.at_medians, -0.5), (t.at_medians, rows - 0.5)],
            BLACK.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?;
    for (label, colour, y) in [
        ("parameter at P10", low_colour, 0),
        ("parameter at P90", high_colour, 1),
    ] {
        // Bottom right, below the narrowest bars.
        let at = (16, area.dim_in_pixel().1 as i32 - 130 + 22 * y);
        area.draw(&Rectangle::new(
            [
                (area.dim_in_pixel().0 as i32 - 220, at.1),
                (area.dim_in_pixel().0 as i32 - 200, at.1 + 14),
            ],
            colour.filled(),
        ))
        .map_err(|e| e.to_string())?;
        area.draw(&Text::new(
            label,
            (area.dim_in_pixel().0 as i32 - 192, at.1),
            (FONT_NAME, 14).into_font(),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

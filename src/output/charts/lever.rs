//! The probability of meeting a target against a lever's value, with 95%
//! intervals and the confidence asked for.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{FONT_NAME, MARGIN, PALETTE, X_LABELS, Y_LABELS, legend_box};
use crate::solve::Solution;

pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &Solution) -> Result<(), String> {
    let (lo, hi) = s
        .curve
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), c| {
            (a.min(c.value), b.max(c.value))
        });
    let pad = ((hi - lo) * 0.04).max(1e-9);
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("P({}) against {}", s.target, s.lever),
            (FONT_NAME, 22),
        )
        .margin(MARGIN)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS)
        .build_cartesian_2d((lo - pad)..(hi + pad), 0.0..100.0)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc(s.lever.as_str())
        .y_desc("probability of meeting the target (%)")
        .label_style((FONT_NAME, 15))
        .axis_desc_style((FONT_NAME, 17))
        .light_line_style(RGBColor(240, 240, 240))
        .draw()
        .map_err(|e| e.to_string())?;
    let c = PALETTE[0];
    chart
        .draw_series(s.curve.iter().map(|p| {
            PathElement::new(
                [(p.value, 100.0 * p.ci.0), (p.value, 100.0 * p.ci.1)],
                c.stroke_width(2),
            )
        }))
        .map_err(|e| e.to_string())?
        .label("95% interval")
        .legend(move |(x, y)| {
            PathElement::new([(x + 10, y - 6), (x + 10, y + 6)], c.stroke_width(2))
        });
    chart
        .draw_series(LineSeries::new(
            s.curve.iter().map(|p| (p.value, 100.0 * p.probability)),
            c.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(
            s.curve
                .iter()
                .map(|p| Circle::new((p.value, 100.0 * p.probability), 4, c.filled())),
        )
        .map_err(|e| e.to_string())?
        .label("probability at a value run")
        .legend(move |(x, y)| Circle::new((x + 10, y), 4, c.filled()));
    let red = RGBColor(200, 30, 30);
    chart
        .draw_series(LineSeries::new(
            [
                (lo - pad, 100.0 * s.confidence),
                (hi + pad, 100.0 * s.confidence),
            ],
            red.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?
        .label(format!("confidence asked: {:.0}%", 100.0 * s.confidence))
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], red.stroke_width(2)));
    if let Some(answer) = s.answer {
        chart
            .draw_series(DashedLineSeries::new(
                [(answer, 0.0), (answer, 100.0)],
                6,
                4,
                BLACK.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?
            .label("answer")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLACK.stroke_width(1)));
    }
    let position = if s.increasing {
        SeriesLabelPosition::LowerRight
    } else {
        SeriesLabelPosition::LowerLeft
    };
    legend_box(&mut chart, position)
}

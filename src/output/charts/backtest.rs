//! A backtest: one panel per published indicator, the model's median and 90%
//! band by forecast year, and the published figure (red where it falls
//! outside the band).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{FONT_NAME, PALETTE};
use crate::calibrate::backtest::{Backtest, INDICATORS, Line};
use crate::calibrate::dfe::Value;

pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, b: &Backtest) -> Result<(), String> {
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    let (title, body) = area.split_vertically(40);
    title
        .draw_text(
            &format!(
                "{}: backtest, model median and 90% band (blue) against published figures (dots; red outside the band)",
                b.calibrated.area_name
            ),
            &(FONT_NAME, 17).into_text_style(&title),
            (16, 12),
        )
        .map_err(|e| e.to_string())?;
    let panels = body.split_evenly((2, 4));
    for (panel, ind) in panels.iter().zip(INDICATORS) {
        let lines: Vec<&Line> = b
            .lines
            .iter()
            .filter(|l| l.indicator == ind.column.name())
            .collect();
        draw_panel(panel, ind.column.name(), &lines)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    name: &str,
    lines: &[&Line],
) -> Result<(), String> {
    let Some(first) = lines.first() else {
        return Ok(());
    };
    let last = lines.last().expect("not empty");
    let published = |l: &Line| match l.published {
        Value::Number(v) => Some(v),
        Value::Missing(_) => None,
    };
    let top = lines
        .iter()
        .flat_map(|l| [l.p95, published(l).unwrap_or(0.0)])
        .fold(0.0f64, f64::max)
        * 1.1;
    let x = (f64::from(first.year) - 0.5)..(f64::from(last.year) + 0.5);
    let mut chart = ChartBuilder::on(area)
        .caption(name, (FONT_NAME, 15))
        .margin(8)
        .x_label_area_size(24)
        .y_label_area_size(48)
        .build_cartesian_2d(x, 0.0..top.max(1e-9))
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_labels(lines.len().min(8))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT_NAME, 12))
        .light_line_style(RGBColor(240, 240, 240))
        .draw()
        .map_err(|e| e.to_string())?;
    let blue = PALETTE[0];
    chart
        .draw_series(lines.iter().map(|l| {
            let y = f64::from(l.year);
            Rectangle::new([(y - 0.2, l.p5), (y + 0.2, l.p95)], blue.mix(0.25).filled())
        }))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(LineSeries::new(
            lines.iter().map(|l| (f64::from(l.year), l.median)),
            blue.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?;
    let red = RGBColor(200, 30, 30);
    chart
        .draw_series(lines.iter().filter_map(|l| {
            let v = published(l)?;
            let colour = if l.outside() { red } else { BLACK };
            Some(Circle::new((f64::from(l.year), v), 4, colour.filled()))
        }))
        .map_err(|e| e.to_string())?;
    Ok(())
}

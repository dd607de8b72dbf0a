//! Charts (PNG and SVG) with plotters: fan charts per key metric and variant,
//! variants side by side, target probabilities and when targets are first
//! met, and costs per financial year. The font is bundled, so
//! charts draw the same on any machine.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::prelude::*;

mod backtest;
mod costs;
mod first_met;
mod lever;
mod tornado;

use super::{Digest, OutputError, io};
use crate::metrics::{self, MetricId};
use crate::model::Model;
use crate::output::Cells;
use crate::runner::{RunResult, VariantRun};

/// DejaVu Sans (Bitstream Vera licence; see assets/fonts/LICENSE-DejaVu.txt).
static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const FONT_NAME: &str = "sans-serif";
pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = 560;

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        plotters::style::register_font(FONT_NAME, FontStyle::Normal, FONT)
            .unwrap_or_else(|_| panic!("the bundled font is a valid TrueType file"));
    });
}

/// The layout of a full-size chart, in pixels: its margin, the areas for
/// the axes' labels and, above the plot, its caption (24-point type).
const MARGIN: u32 = 16;
const X_LABELS: u32 = 48;
const Y_LABELS: u32 = 72;
const CAPTION: u32 = 34;

/// The plotting area's width and height within an area of `(width,
/// height)` laid out as above: for fitting a legend before a chart is built.
fn plot_size((width, height): (u32, u32)) -> (f64, f64) {
    (
        f64::from(width) - f64::from(Y_LABELS + 2 * MARGIN),
        f64::from(height) - f64::from(X_LABELS + 2 * MARGIN + CAPTION),
    )
}

/// Colours for variants, in order (Okabe-Ito, readable by most colour-blind people).
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
];

/// Variant `v`'s colour: the palette in order, then again a shade darker
/// for each time round, so that no two of a run's variants share one.
fn colour(v: usize) -> RGBColor {
    let RGBColor(r, g, b) = PALETTE[v % PALETTE.len()];
    let keep = 0.6f64.powi((v / PALETTE.len()) as i32);
    let shade = |c: u8| (f64::from(c) * keep).round() as u8;
    RGBColor(shade(r), shade(g), shade(b))
}

/// P5..P95 of a metric for every month.
fn quantiles(run: &VariantRun, cells: &Cells, metric: MetricId) -> Vec<[f64; 5]> {
    (0..run.variant.model.horizon())
        .map(|t| cells.get(t, metric).quantiles)
        .collect()
}

/// The metrics charted: the key ones and any a target names.
pub fn charted_metrics(model: &Model) -> Vec<MetricId> {
    let mut list: Vec<MetricId> = metrics::KEY_METRICS.to_vec();
    for target in &model.targets {
        if !list.contains(&target.metric) {
            list.push(target.metric);
        }
    }
    list
}

fn axis_label(name: &str) -> String {
    if crate::metrics::is_share(name) {
        format!("{name} (%)")
    } else {
        name.replace('_', " ")
    }
}

fn scale(name: &str, value: f64) -> f64 {
    if crate::metrics::is_share(name) {
        100.0 * value
    } else {
        value
    }
}

type Chart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Axes with months on x (labelled YYYY-MM) and the metric on y.
fn axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    model: &Model,
    title: &str,
    y_name: &str,
    y_range: (f64, f64),
) -> Result<Chart<'a, DB>, String> {
    let h = model.horizon() as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT_NAME, 24))
        .margin(MARGIN)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS)
        .build_cartesian_2d(0.0..(h - 1.0).max(1.0), y_range.0..y_range.1)
        .map_err(|e| e.to_string())?;
    let start = model.start;
    chart
        .configure_mesh()
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&|t| start.plus(t.round().max(0.0) as u32).to_string())
        .x_desc("month")
        .y_desc(y_name)
        .label_style((FONT_NAME, 15))
        .axis_desc_style((FONT_NAME, 17))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(chart)
}

fn y_range(values: impl Iterator<Item = f64>, extra: &[f64]) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values
        .chain(extra.iter().copied())
        .filter(|v| v.is_finite())
    {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(1e-6);
    (
        (lo - pad).min(if lo >= 0.0 {
            0.0f64.max(lo - pad)
        } else {
            lo - pad
        }),
        hi + pad,
    )
}

fn band<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    fill: RGBAColor,
) -> Result<(), String> {
    let mut points: Vec<(f64, f64)> = upper
        .iter()
        .enumerate()
        .map(|(t, v)| (t as f64, *v))
        .collect();
    points.extend(lower.iter().enumerate().rev().map(|(t, v)| (t as f64, *v)));
    chart
        .draw_series(std::iter::once(Polygon::new(points, fill)))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The thresholds of the targets on `metric`, on the chart's scale.
fn target_levels(model: &Model, metric: MetricId) -> Vec<f64> {
    let name = &model.catalogue.names[metric];
    model
        .targets
        .iter()
        .filter(|t| t.metric == metric)
        .map(|t| scale(name, t.threshold))
        .collect()
}

/// Target threshold lines and date markers for one metric.
fn draw_targets<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    model: &Model,
    metric: MetricId,
    y: (f64, f64),
) -> Result<(), String> {
    let name = &model.catalogue.names[metric];
    for target in model.targets.iter().filter(|t| t.metric == metric) {
        let level = scale(name, target.threshold);
        let h = model.horizon() as f64 - 1.0;
        let red = RGBColor(200, 30, 30);
        chart
            .draw_series(LineSeries::new(
                [(0.0, level), (h, level)],
                red.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?
            .label(format!(
                "target: {} {} {} by {}",
                target.name,
                target.comparison.symbol(),
                super::summary::threshold(name, target.threshold),
                target.by
            ))
            .legend(move |(x, yy)| PathElement::new([(x, yy), (x + 20, yy)], red.stroke_width(2)));
        let at = target.by.months_since(model.start) as f64;
        chart
            .draw_series(DashedLineSeries::new(
                [(at, y.0), (at, y.1)],
                6,
                4,
                red.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn fan<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    run: &VariantRun,
    cells: &Cells,
    v: usize,
    metric: MetricId,
) -> Result<(), String> {
    let model = &run.variant.model;
    let name = model.catalogue.names[metric].clone();
    let q: Vec<[f64; 5]> = quantiles(run, cells, metric)
        .into_iter()
        .map(|r| r.map(|x| scale(&name, x)))
        .collect();
    let thresholds = target_levels(model, metric);
    let y = y_range(q.iter().flat_map(|r| [r[0], r[4]]), &thresholds);
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    let title = format!("{}: {} (median, P25-P75, P5-P95)", run.variant.name, name);
    let mut chart = axes(area, model, &title, &axis_label(&name), y)?;
    let c = colour(v);
    band(
        &mut chart,
        q.iter().map(|r| r[0]).collect(),
        q.iter().map(|r| r[4]).collect(),
        c.mix(0.15),
    )?;
    band(
        &mut chart,
        q.iter().map(|r| r[1]).collect(),
        q.iter().map(|r| r[3]).collect(),
        c.mix(0.3),
    )?;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.0, y.0), (0.0, y.0)],
            c.mix(0.15).filled(),
        )))
        .map_err(|e| e.to_string())?
        .label("P5-P95")
        .legend(move |(x, yy)| {
            Rectangle::new([(x, yy - 6), (x + 20, yy + 6)], c.mix(0.15).filled())
        });
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.0, y.0), (0.0, y.0)],
            c.mix(0.3).filled(),
        )))
        .map_err(|e| e.to_string())?
        .label("P25-P75")
        .legend(move |(x, yy)| {
            Rectangle::new([(x, yy - 6), (x + 20, yy + 6)], c.mix(0.3).filled())
        });
    chart
        .draw_series(LineSeries::new(
            q.iter().enumerate().map(|(t, r)| (t as f64, r[2])),
            c.stroke_width(3),
        ))
        .map_err(|e| e.to_string())?
        .label("median")
        .legend(move |(x, yy)| PathElement::new([(x, yy), (x + 20, yy)], c.stroke_width(3)));
    draw_targets(&mut chart, model, metric, y)?;
    legend(&mut chart)
}

fn legend<'a, DB: DrawingBackend + 'a>(chart: &mut Chart<'a, DB>) -> Result<(), String> {
    legend_box(chart, SeriesLabelPosition::LowerRight)
}

/// The series legend, in a light box, at `position`.
fn legend_box<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font((FONT_NAME, 14))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .draw()
        .map_err(|e| e.to_string())
}

fn compare<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    result: &RunResult,
    digest: &Digest,
    metric: MetricId,
) -> Result<(), String> {
    let model = &result.variants[0].variant.model;
    let name = model.catalogue.names[metric].clone();
    let all: Vec<Vec<[f64; 5]>> = result
        .variants
        .iter()
        .zip(&digest.cells)
        .map(|(run, cells)| {
            quantiles(run, cells, metric)
                .into_iter()
                .map(|r| r.map(|x| scale(&name, x)))
                .collect()
        })
        .collect();
    let thresholds = target_levels(model, metric);
    let y = y_range(all.iter().flatten().flat_map(|r| [r[1], r[3]]), &thresholds);
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut chart = axes(
        area,
        model,
        &format!("{name}: variants compared (median, P25-P75 shaded)"),
        &axis_label(&name),
        y,
    )?;
    for (v, (run, q)) in result.variants.iter().zip(&all).enumerate() {
        let c = colour(v);
        band(
            &mut chart,
            q.iter().map(|r| r[1]).collect(),
            q.iter().map(|r| r[3]).collect(),
            c.mix(0.12),
        )?;
        chart
            .draw_series(LineSeries::new(
                q.iter().enumerate().map(|(t, r)| (t as f64, r[2])),
                c.stroke_width(3),
            ))
            .map_err(|e| e.to_string())?
            .label(run.variant.name.clone())
            .legend(move |(x, yy)| PathElement::new([(x, yy), (x + 20, yy)], c.stroke_width(3)));
    }
    draw_targets(&mut chart, model, metric, y)?;
    legend(&mut chart)
}

/// Probability of each target per variant, with its 95% interval.
fn target_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    result: &RunResult,
    digest: &Digest,
) -> Result<(), String> {
    let model = &result.variants[0].variant.model;
    let targets = model.targets.len();
    let variants = result.variants.len();
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    let slots = (targets * (variants + 1)) as f64;
    let room = legend_room(result, digest, area.dim_in_pixel(), slots);
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Probability of meeting each target (95% interval)",
            (FONT_NAME, 24),
        )
        .margin(MARGIN)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS)
        .build_cartesian_2d(0.0..slots.max(1.0) + room, 0.0..118.0)
        .map_err(|e| e.to_string())?;
    let per = (variants + 1) as f64;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&|_| String::new())
        .y_labels(6)
        .y_label_formatter(&|y| {
            if *y <= 100.0 {
                format!("{y:.0}")
            } else {
                String::new()
            }
        })
        .y_desc("probability (%)")
        .label_style((FONT_NAME, 15))
        .axis_desc_style((FONT_NAME, 17))
        .draw()
        .map_err(|e| e.to_string())?;
    // Target names above their groups of bars; one too long for its group
    // (about 8 pixels a letter) on two lines, parted at an `_`.
    let group_px = f64::from(chart.plotting_area().dim_in_pixel().0) * per / (slots + room);
    let names = model.targets.iter().enumerate().flat_map(|(k, t)| {
        let lines = if 8.0 * t.name.chars().count() as f64 > group_px {
            two_lines(&t.name)
        } else {
            vec![t.name.clone()]
        };
        let top = if lines.len() > 1 { 114.5 } else { 112.0 };
        lines.into_iter().enumerate().map(move |(row, line)| {
            Text::new(
                line,
                (k as f64 * per + 0.1, top - 4.5 * row as f64),
                (FONT_NAME, 15).into_font(),
            )
        })
    });
    chart.draw_series(names).map_err(|e| e.to_string())?;
    for (v, (run, summaries)) in result.variants.iter().zip(&digest.targets).enumerate() {
        let c = colour(v);
        let bars = summaries.iter().enumerate().map(|(k, s)| {
            let x = k as f64 * per + v as f64;
            Rectangle::new(
                [(x + 0.1, 0.0), (x + 0.9, 100.0 * s.probability)],
                c.filled(),
            )
        });
        chart
            .draw_series(bars)
            .map_err(|e| e.to_string())?
            .label(run.variant.name.clone())
            .legend(move |(x, yy)| Rectangle::new([(x, yy - 6), (x + 20, yy + 6)], c.filled()));
        let whiskers = summaries.iter().enumerate().map(|(k, s)| {
            let x = k as f64 * per + v as f64 + 0.5;
            PathElement::new(
                [(x, 100.0 * s.ci_low), (x, 100.0 * s.ci_high)],
                BLACK.stroke_width(2),
            )
        });
        chart.draw_series(whiskers).map_err(|e| e.to_string())?;
    }
    legend_box(&mut chart, SeriesLabelPosition::MiddleRight)
}

/// `name` parted at the `_` nearest its middle (the part before keeps the
/// `_`), or whole if it has none.
fn two_lines(name: &str) -> Vec<String> {
    let middle = name.len() / 2;
    match name
        .match_indices('_')
        .map(|(i, _)| i)
        .min_by_key(|&i| i.abs_diff(middle))
    {
        Some(i) => vec![name[..=i].to_string(), name[i + 1..].to_string()],
        None => vec![name.to_string()],
    }
}

/// Slots to add on the right of the targets chart so that its legend (at the
/// middle right: a swatch and the longest name, about 8 pixels a letter, 18
/// a line) covers no bar or interval; none when the bars beneath it are too
/// low to reach it, as they mostly are.
fn legend_room(result: &RunResult, digest: &Digest, area: (u32, u32), slots: f64) -> f64 {
    let longest = result
        .variants
        .iter()
        .map(|r| r.variant.name.chars().count());
    let legend = (
        60.0 + 8.0 * longest.max().unwrap_or(0) as f64,
        18.0 * result.variants.len() as f64 + 20.0,
    );
    let plot = plot_size(area);
    // The legend's lowest point, in percent on the chart's 0..118 scale.
    let bottom = 59.0 - 0.5 * 118.0 * legend.1 / plot.1;
    let under = slots * (1.0 - legend.0 / plot.0);
    let per = (result.variants.len() + 1) as f64;
    let reaches = digest.targets.iter().enumerate().any(|(v, summaries)| {
        summaries
            .iter()
            .enumerate()
            .any(|(k, s)| k as f64 * per + v as f64 + 1.0 > under && 100.0 * s.ci_high > bottom)
    });
    if reaches {
        slots.max(1.0) * legend.0 / (plot.0 - legend.0).max(1.0)
    } else {
        0.0
    }
}

/// Draws one chart to `stem.png` and `stem.svg` in `dir`.
fn both(
    dir: &Path,
    stem: &str,
    draw: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> Result<(), String>,
    draw_svg: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>,
) -> Result<(), OutputError> {
    let chart_error = |path: &Path, e: String| OutputError::Chart {
        path: path.to_path_buf(),
        reason: e,
    };
    let png = dir.join(format!("{stem}.png"));
    {
        let area = BitMapBackend::new(&png, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&area).map_err(|e| chart_error(&png, e))?;
        area.present()
            .map_err(|e| chart_error(&png, e.to_string()))?;
    }
    let svg = dir.join(format!("{stem}.svg"));
    {
        let area = SVGBackend::new(&svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw_svg(&area).map_err(|e| chart_error(&svg, e))?;
        area.present()
            .map_err(|e| chart_error(&svg, e.to_string()))?;
    }
    Ok(())
}

/// One chart of a run's results.
enum RunChart {
    Targets,
    FirstMet { target: usize },
    Costs { variant: usize },
    Compare { metric: MetricId },
    Fan { variant: usize, metric: MetricId },
}

impl RunChart {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        result: &RunResult,
        digest: &Digest,
    ) -> Result<(), String> {
        match *self {
            RunChart::Targets => target_bars(area, result, digest),
            RunChart::FirstMet { target } => first_met::cumulative(area, result, digest, target),
            RunChart::Costs { variant } => costs::stacked(
                area,
                &digest.comparison,
                variant,
                &result.variants[variant].variant.name,
            ),
            RunChart::Compare { metric } => compare(area, result, digest, metric),
            RunChart::Fan { variant, metric } => fan(
                area,
                &result.variants[variant],
                &digest.cells[variant],
                variant,
                metric,
            ),
        }
    }
}

/// The charts of a run, with their file stems, in report order.
fn charts_of(result: &RunResult) -> Vec<(String, RunChart)> {
    let model = &result.variants[0].variant.model;
    let mut charts = Vec::new();
    if !model.targets.is_empty() {
        charts.push(("targets".to_string(), RunChart::Targets));
    }
    for (target, t) in model.targets.iter().enumerate() {
        charts.push((
            format!("first_met_{}", t.name),
            RunChart::FirstMet { target },
        ));
    }
    if model.finance.is_some() {
        for (variant, run) in result.variants.iter().enumerate() {
            charts.push((
                format!("costs_{}", run.variant.name),
                RunChart::Costs { variant },
            ));
        }
    }
    for metric in charted_metrics(model) {
        let name = model.catalogue.names[metric].replace('.', "_");
        if result.variants.len() > 1 {
            charts.push((format!("compare_{name}"), RunChart::Compare { metric }));
        }
        for (variant, run) in result.variants.iter().enumerate() {
            charts.push((
                format!("fan_{name}_{}", run.variant.name),
                RunChart::Fan { variant, metric },
            ));
        }
    }
    charts
}

/// Writes every chart under `dir/charts/`, in parallel (each is its own
/// pair of files); returns their stems, in report order.
pub fn write(result: &RunResult, digest: &Digest, dir: &Path) -> Result<Vec<String>, OutputError> {
    register_font();
    let folder = dir.join("charts");
    std::fs::create_dir_all(&folder).map_err(io(&folder))?;
    let charts = charts_of(result);
    charts
        .par_iter()
        .map(|(stem, chart)| {
            both(
                &folder,
                stem,
                |a| chart.draw(a, result, digest),
                |a| chart.draw(a, result, digest),
            )
        })
        .collect::<Result<Vec<()>, _>>()?;
    Ok(charts.into_iter().map(|(stem, _)| stem).collect())
}

/// Draws a sensitivity tornado to `path` with `.png` and `.svg` extensions.
pub fn tornado(t: &crate::sensitivity::Tornado, path: &Path) -> Result<(), OutputError> {
    standalone(path, |a| tornado::draw(a, t), |a| tornado::draw(a, t))
}

/// Draws a backtest's panels to `path` with `.png` and `.svg` extensions.
pub fn backtest(b: &crate::calibrate::backtest::Backtest, path: &Path) -> Result<(), OutputError> {
    standalone(path, |a| backtest::draw(a, b), |a| backtest::draw(a, b))
}

/// Draws a solve curve to `path` with `.png` and `.svg` extensions.
pub fn lever_curve(s: &crate::solve::Solution, path: &Path) -> Result<(), OutputError> {
    standalone(path, |a| lever::draw(a, s), |a| lever::draw(a, s))
}

/// A chart outside a run's results, at `path` (its extension replaced).
fn standalone(
    path: &Path,
    draw: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> Result<(), String>,
    draw_svg: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>,
) -> Result<(), OutputError> {
    register_font();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let stem = path
        .file_stem()
        .map_or_else(|| "chart".to_string(), |s| s.to_string_lossy().into_owned());
    both(dir, &stem, draw, draw_svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_have_colours_of_their_own() {
        let colours: Vec<(u8, u8, u8)> = (0..3 * PALETTE.len())
            .map(|v| {
                let RGBColor(r, g, b) = colour(v);
                (r, g, b)
            })
            .collect();
        for (v, c) in colours.iter().enumerate() {
            assert!(!colours[..v].contains(c), "variant {v} repeats {c:?}");
        }
        let RGBColor(r, g, b) = PALETTE[0];
        assert_eq!(colour(0), RGBColor(r, g, b));
    }

    #[test]
    fn a_long_name_is_parted_at_the_underscore_nearest_its_middle() {
        assert_eq!(
            two_lines("practice_educators_for_placements"),
            ["practice_educators_", "for_placements"]
        );
        assert_eq!(two_lines("rota"), ["rota"]);
    }

    /// The targets chart widens only when the last target's bars reach up
    /// to the legend: the bundled scenario's do not; a target every
    /// replication meets does.
    #[test]
    fn the_targets_legend_gets_room_only_over_tall_bars() {
        let room = |extra: &str| {
            let text = format!(
                "{}{extra}",
                include_str!("../../../scenarios/slough-children-2014.toml")
            );
            let scenario = crate::scenario::compile(&text, Path::new("s.toml")).expect("compiles");
            let options = crate::runner::RunOptions {
                replications: Some(20),
                ..Default::default()
            };
            let result = crate::runner::run(&scenario, &options).expect("runs");
            let digest = crate::output::digest(&result);
            let targets = result.variants[0].variant.model.targets.len();
            let slots = (targets * (result.variants.len() + 1)) as f64;
            legend_room(&result, &digest, (1000, 560), slots)
        };
        assert_eq!(room(""), 0.0);
        let always = "\n[targets.always]\nmetric = \"headcount\"\ncomparison = \">=\"\nthreshold = 0\nby = \"2016-03\"\n";
        assert!(room(always) > 0.0);
    }
}

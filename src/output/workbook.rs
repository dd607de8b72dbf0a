//! finance.xlsx: the finance section's tables as a workbook a finance officer
//! opens directly, one sheet each, a column per variant, money in pounds.
//! The same numbers as summary.md and costs.csv, not rounded.

use std::path::Path;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use super::OutputError;
use super::finance::{line_title, spent, year_titles};
use super::summary::Digest;
use crate::compare::{Comparison, Discount, HORIZON};
use crate::metrics as m;
use crate::model::Scenario;
use crate::runner::RunResult;

type Written = Result<(), rust_xlsxwriter::XlsxError>;

/// Writes `finance.xlsx` into `dir` for a run of `scenario`, which has finance.
pub fn write(
    scenario: &Scenario,
    result: &RunResult,
    digest: &Digest,
    dir: &Path,
) -> Result<(), OutputError> {
    let path = dir.join("finance.xlsx");
    fill(scenario, result, digest, &path).map_err(|source| OutputError::Workbook {
        path: path.clone(),
        source,
    })
}

fn fill(scenario: &Scenario, result: &RunResult, digest: &Digest, path: &Path) -> Written {
    let base = &result.variants[0].variant.model;
    let discount = Discount::of(base);
    let names = result.variant_names();
    let c = &digest.comparison;
    let styles = Styles::new();
    let mut book = Workbook::new();
    // A fixed creation date (the scenario's start, within the years Excel
    // has), so that the same run writes the same bytes.
    let created = ExcelDateTime::from_ymd(
        base.start.year().clamp(1900, 9999) as u16,
        base.start.month_of_year() as u8,
        1,
    )?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: finance", scenario.name))
            .set_creation_datetime(&created),
    );
    about(book.add_worksheet(), scenario, result, discount, &styles)?;
    net_cost(book.add_worksheet(), c, &names, discount, &styles)?;
    cost_lines(book.add_worksheet(), c, &names, &styles)?;
    if names.len() > 1 {
        against_base(book.add_worksheet(), c, &names, &styles)?;
    }
    targets(book.add_worksheet(), result, digest, &styles)?;
    book.save(path)
}

struct Styles {
    header: Format,
    label: Format,
    text: Format,
    money: Format,
    share: Format,
    fte: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            label: Format::new().set_bold().set_align(FormatAlign::Top),
            text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            money: Format::new().set_num_format("£#,##0;-£#,##0"),
            share: Format::new().set_num_format("0.0%"),
            fte: Format::new().set_num_format("0.0"),
        }
    }
}

/// Names `sheet`, writes its header row, frozen, and sizes its columns to
/// their contents once `rows` has written the rest.
fn sheet(
    sheet: &mut Worksheet,
    name: &str,
    header: &[String],
    styles: &Styles,
    rows: impl FnOnce(&mut Worksheet) -> Written,
) -> Written {
    sheet.set_name(name)?;
    for (col, title) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, title, &styles.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    rows(sheet)?;
    sheet.autofit();
    Ok(())
}

/// What the run was and how to read the other sheets, for a workbook that
/// travels without the summary.
fn about(
    ws: &mut Worksheet,
    scenario: &Scenario,
    result: &RunResult,
    discount: Discount,
    styles: &Styles,
) -> Written {
    let base = &result.variants[0].variant.model;
    let mut rows = vec![
        ("Scenario".to_string(), scenario.name.clone()),
        ("About it".into(), one_line(&scenario.description)),
        (
            "Run".into(),
            format!(
                "{} per variant, seed {}, {} to {} ({})",
                super::count_of(result.replications as usize, "replication"),
                result.seed,
                base.start,
                base.month(base.horizon() - 1),
                super::count_of(base.horizon(), "month")
            ),
        ),
        (
            "Money".into(),
            "GBP at outturn prices: salaries and agency rates rise with each April's pay award. Financial \
             years run April to March; one the horizon holds only part of says how many months."
                .into(),
        ),
        (
            "Spread".into(),
            "Means across replications; P5 and P95 are the 5th and 95th percentiles across them.".into(),
        ),
        (
            "Net cost".into(),
            format!(
                "Every cost line less clawback and grants received; {}.",
                discount.explained()
            ),
        ),
        (
            "Against base".into(),
            "Replication r of a variant minus replication r of the base, which met the same luck: the mean \
             difference with its 95% interval."
                .into(),
        ),
    ];
    rows.extend(result.variants.iter().map(|run| {
        let v = run.variant;
        (format!("Variant {}", v.name), one_line(&v.about()))
    }));
    ws.set_name("About")?;
    for (row, (label, text)) in rows.iter().enumerate() {
        ws.write_string_with_format(row as u32, 0, label, &styles.label)?;
        ws.write_string_with_format(row as u32, 1, text, &styles.text)?;
    }
    ws.autofit();
    // Long texts wrap in a column of readable width.
    ws.set_column_width(1, 100)?;
    Ok(())
}

/// `text` with its line breaks as spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each financial year's label (as the measures are keyed) and its title
/// for people, then the horizon's.
fn periods(c: &Comparison) -> Vec<(String, String)> {
    let mut periods = year_titles(c);
    periods.push((HORIZON.to_string(), "whole horizon".to_string()));
    periods
}

/// Net cost per financial year, over the horizon and as NPV: each variant's
/// mean, P5 and P95.
fn net_cost(
    ws: &mut Worksheet,
    c: &Comparison,
    names: &[&str],
    discount: Discount,
    styles: &Styles,
) -> Written {
    let mut header = vec!["financial year".to_string()];
    for name in names {
        header.extend(["mean", "P5", "P95"].map(|s| format!("{name} {s}")));
    }
    let mut rows = periods(c)
        .into_iter()
        .map(|(key, title)| (title, c.find("cost.total", &key)))
        .collect::<Vec<_>>();
    rows.push((discount.label(), c.find("npv.cost.total", HORIZON)));
    sheet(ws, "Net cost", &header, styles, |ws| {
        for (r, (title, k)) in rows.iter().enumerate() {
            let (row, k) = (r as u32 + 1, k.expect("net cost is measured"));
            ws.write_string(row, 0, title)?;
            for (v, spreads) in c.spreads.iter().enumerate() {
                let s = spreads[k];
                for (i, value) in [s.mean, s.quantiles[0], s.quantiles[4]].iter().enumerate() {
                    let col = (1 + 3 * v + i) as u16;
                    ws.write_number_with_format(row, col, *value, &styles.money)?;
                }
            }
        }
        Ok(())
    })
}

/// Each cost line's mean per financial year and over the horizon, a column
/// per variant; lines that are nothing in every variant left out.
fn cost_lines(ws: &mut Worksheet, c: &Comparison, names: &[&str], styles: &Styles) -> Written {
    let mut header = vec!["line".to_string(), "financial year".to_string()];
    header.extend(names.iter().map(|n| format!("{n} mean")));
    let periods = periods(c);
    sheet(ws, "Cost lines", &header, styles, |ws| {
        let mut row = 1;
        for line in crate::compare::money_lines().filter(|&line| spent(c, line)) {
            for (key, title) in &periods {
                let k = c.find(m::FIXED[line].0, key).expect("measured");
                ws.write_string(row, 0, line_title(line))?;
                ws.write_string(row, 1, title)?;
                for (v, spreads) in c.spreads.iter().enumerate() {
                    ws.write_number_with_format(row, 2 + v as u16, spreads[k].mean, &styles.money)?;
                }
                row += 1;
            }
        }
        Ok(())
    })
}

/// Each variant minus the base, paired by replication: every money measure
/// and the FTE-years, with 95% intervals, and the extra cost per extra
/// permanent FTE-year.
fn against_base(ws: &mut Worksheet, c: &Comparison, names: &[&str], styles: &Styles) -> Written {
    let header = [
        "variant",
        "measure",
        "financial year",
        "mean difference",
        "95% interval from",
        "95% interval to",
    ]
    .map(String::from);
    let titles: Vec<(String, String)> = periods(c);
    let period_title = |period: &str| {
        titles
            .iter()
            .find(|(key, _)| key == period)
            .map_or(period.to_string(), |(_, title)| title.clone())
    };
    sheet(ws, "Against base", &header, styles, |ws| {
        let mut row = 1;
        for (v, differences) in c.differences.iter().enumerate() {
            for (label, d) in c.labels.iter().zip(differences) {
                let Some((title, money)) = measure_title(c, &label.name) else {
                    continue;
                };
                let format = if money { &styles.money } else { &styles.fte };
                ws.write_string(row, 0, names[v + 1])?;
                ws.write_string(row, 1, &title)?;
                ws.write_string(row, 2, period_title(&label.period))?;
                for (col, value) in [d.mean, d.ci.0, d.ci.1].iter().enumerate() {
                    ws.write_number_with_format(row, 3 + col as u16, *value, format)?;
                }
                row += 1;
            }
            // As in the summary: a ratio only where the variant clearly adds
            // permanent staff (else it divides by a difference near zero).
            let fte_years = c.find("permanent_fte_years", HORIZON).expect("measured");
            ws.write_string(row, 0, names[v + 1])?;
            ws.write_string(row, 1, "Extra net cost per extra permanent FTE-year")?;
            ws.write_string(row, 2, "whole horizon")?;
            match c.cost_per_fte_year[v] {
                Some(r) if differences[fte_years].ci.0 > 0.0 => {
                    for (col, value) in [r.value, r.ci.0, r.ci.1].iter().enumerate() {
                        ws.write_number_with_format(row, 3 + col as u16, *value, &styles.money)?;
                    }
                }
                _ => {
                    ws.write_string(row, 3, "no clear extra permanent FTE")?;
                }
            }
            row += 1;
        }
        Ok(())
    })
}

/// A measure's title for people, and whether it is money; `None` for the
/// workforce measures, which compare.csv holds, and for cost lines that are
/// nothing in every variant.
fn measure_title(c: &Comparison, name: &str) -> Option<(String, bool)> {
    let line = |name: &str| {
        crate::compare::money_lines()
            .find(|&line| m::FIXED[line].0 == name)
            .filter(|&line| spent(c, line))
            .map(line_title)
    };
    match name {
        "permanent_fte_years" => Some(("Permanent FTE-years".into(), false)),
        "agency_fte_years" => Some(("Agency FTE-years".into(), false)),
        _ => match name.strip_prefix("npv.") {
            Some(rest) => line(rest).map(|t| (format!("{t}, NPV"), true)),
            None => line(name).map(|t| (t.to_string(), true)),
        },
    }
}

/// Each target's probability per variant, with its 95% interval.
fn targets(ws: &mut Worksheet, result: &RunResult, digest: &Digest, styles: &Styles) -> Written {
    let header = [
        "variant",
        "target",
        "probability",
        "95% interval from",
        "95% interval to",
        "never met",
    ]
    .map(String::from);
    sheet(ws, "Targets", &header, styles, |ws| {
        let mut row = 1;
        for (run, summaries) in result.variants.iter().zip(&digest.targets) {
            for (target, s) in run.variant.model.targets.iter().zip(summaries) {
                ws.write_string(row, 0, &run.variant.name)?;
                ws.write_string(row, 1, &target.name)?;
                let shares = [s.probability, s.ci_low, s.ci_high, s.never_met_share];
                for (col, value) in shares.iter().enumerate() {
                    ws.write_number_with_format(row, 2 + col as u16, *value, &styles.share)?;
                }
                row += 1;
            }
        }
        Ok(())
    })
}

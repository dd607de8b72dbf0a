//! The finance section of summary.md: costs per financial year, cost lines,
//! and each variant against the base, paired by replication.

use std::fmt::Write;

use crate::compare::{Comparison, Discount, HORIZON};
use crate::metrics as m;
use crate::runner::RunResult;
use crate::scenario::finance::financial_year_label;

/// Money for people: £12.35m, £45.6k, £870.
pub fn money(x: f64) -> String {
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    if a >= 1e6 {
        format!("{sign}£{:.2}m", a / 1e6)
    } else if a >= 1e3 {
        format!("{sign}£{:.1}k", a / 1e3)
    } else {
        format!("{sign}£{a:.0}")
    }
}

/// What a cost line is called in tables.
pub fn line_title(metric: usize) -> &'static str {
    match metric {
        m::COST_PERMANENT_PAY => "Permanent pay",
        m::COST_AGENCY => "Agency spend",
        m::COST_RECRUITMENT => "Recruitment",
        m::COST_CAMPAIGNS => "Campaigns",
        m::COST_SUPPLEMENTS => "Market supplements",
        m::COST_RETENTION => "Retention payments",
        m::COST_TRAINING_FEES => "Training fees",
        m::COST_BACKFILL => "Training backfill",
        m::COST_RETENTION_CLAWBACK => "Retention clawback",
        m::COST_TRAINING_CLAWBACK => "Training clawback",
        m::COST_GRANTS => "Grants received",
        _ => "Net cost",
    }
}

fn header(md: &mut String, first: &str, columns: &[&str]) {
    let _ = write!(md, "| {first} |");
    for c in columns {
        let _ = write!(md, " {c} |");
    }
    let _ = write!(md, "\n|---|");
    for _ in columns {
        md.push_str("---:|");
    }
    md.push('\n');
}

/// Whether cost line `line` is anything over the horizon in some variant.
pub(super) fn spent(c: &Comparison, line: m::MetricId) -> bool {
    let k = c.find(m::FIXED[line].0, HORIZON).expect("measured");
    c.spreads.iter().any(|s| s[k].mean != 0.0)
}

/// Each financial year's label, as the measures are keyed ("2013/14"), and
/// its title for people, with the months the horizon holds of a part year
/// ("2013/14 (2 months)").
pub(super) fn year_titles(c: &Comparison) -> Vec<(String, String)> {
    c.years
        .iter()
        .zip(&c.months_in_year)
        .map(|(&y, &months)| {
            let label = financial_year_label(y);
            let title = format!("{label}{}", super::months_held(months));
            (label, title)
        })
        .collect()
}

pub fn section(md: &mut String, result: &RunResult, c: &Comparison) {
    let base = &result.variants[0].variant.model;
    let Some(finance) = &base.finance else {
        return;
    };
    let discount = Discount::of(base);
    let names = result.variant_names();
    let years = year_titles(c);
    let _ = writeln!(md, "## Finance\n");
    let _ = writeln!(
        md,
        "GBP at outturn prices: salaries and agency rates rise with each April's pay award. Financial years run April \
         to March. Means across replications, with P5 to P95 in brackets. Net cost is every cost line less clawback \
         and grants received; {}.\n",
        discount.explained()
    );
    net_cost_by_year(md, c, &names, &years, discount);
    cost_lines(md, c, &names);
    if !finance.funding.is_empty() {
        let _ = writeln!(
            md,
            "Funding set aside: {}.\n",
            finance
                .funding
                .iter()
                .map(|(y, a)| format!("{} {}", financial_year_label(*y), money(*a)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if result.variants.len() > 1 {
        compared_with_base(md, result, c, &years, discount);
    }
}

/// Each variant's net cost per financial year (by `years`' key, shown by its
/// title), over the horizon and as NPV: mean with P5 to P95.
fn net_cost_by_year(
    md: &mut String,
    c: &Comparison,
    names: &[&str],
    years: &[(String, String)],
    discount: Discount,
) {
    let measure = |name: &str, period: &str| c.find(name, period).expect("measured");
    let _ = writeln!(md, "### Net cost per financial year\n");
    header(md, "financial year", names);
    let rows = years
        .iter()
        .map(|(key, title)| (title.clone(), measure("cost.total", key)))
        .chain([
            ("whole horizon".to_string(), measure("cost.total", HORIZON)),
            (discount.label(), measure("npv.cost.total", HORIZON)),
        ]);
    for (title, k) in rows {
        let _ = write!(md, "| {title} |");
        for spreads in &c.spreads {
            let s = spreads[k];
            let _ = write!(
                md,
                " {} ({} to {}) |",
                money(s.mean),
                money(s.quantiles[0]),
                money(s.quantiles[4])
            );
        }
        md.push('\n');
    }
    md.push('\n');
}

/// Each cost line's mean over the horizon per variant, leaving out lines
/// that are nothing in every variant.
fn cost_lines(md: &mut String, c: &Comparison, names: &[&str]) {
    let _ = writeln!(md, "### Cost lines over the whole horizon (mean)\n");
    header(md, "line", names);
    for line in crate::compare::money_lines().filter(|&line| spent(c, line)) {
        let k = c.find(m::FIXED[line].0, HORIZON).expect("measured");
        let _ = write!(md, "| {} |", line_title(line));
        for spreads in &c.spreads {
            let _ = write!(md, " {} |", money(spreads[k].mean));
        }
        md.push('\n');
    }
    md.push('\n');
}

fn compared_with_base(
    md: &mut String,
    result: &RunResult,
    c: &Comparison,
    years: &[(String, String)],
    discount: Discount,
) {
    let measure = |name: &str, period: &str| c.find(name, period).expect("measured");
    let interval = |d: &crate::compare::Difference, show: &dyn Fn(f64) -> String| {
        format!("{} ({} to {})", show(d.mean), show(d.ci.0), show(d.ci.1))
    };
    let _ = writeln!(md, "### Each variant against the base\n");
    let _ = writeln!(
        md,
        "Differences are paired: replication r of a variant minus replication r of the base, which met the same \
         luck. Mean difference with its 95% interval. Agency spend avoided is the base's agency spend over the \
         horizon less the variant's, at outturn prices (not discounted, unlike the NPV beside it). The last column \
         is the extra net cost over the horizon, at outturn prices, per extra permanent FTE-year (a ratio of mean \
         differences, delta-method interval). `compare.csv` holds every measure with quantiles.\n"
    );
    let _ = writeln!(
        md,
        "| variant | extra net cost, {} | agency spend avoided | extra permanent FTE-years | extra cost per extra permanent FTE-year |",
        discount.label()
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|");
    let fte = |x: f64| format!("{x:.1}");
    for (v, run) in result.variants.iter().enumerate().skip(1) {
        let d = &c.differences[v - 1];
        let agency = d[measure("cost.agency", HORIZON)];
        let avoided = crate::compare::Difference {
            mean: -agency.mean,
            ci: (-agency.ci.1, -agency.ci.0),
            ..agency
        };
        let more_staff = d[measure("permanent_fte_years", HORIZON)].ci.0 > 0.0;
        let per_fte = match c.cost_per_fte_year[v - 1] {
            Some(r) if more_staff && r.value <= 0.0 => "saves money and adds staff".to_string(),
            Some(r) if more_staff => format!(
                "{} ({} to {})",
                money(r.value),
                money(r.ci.0),
                money(r.ci.1)
            ),
            _ => "no clear extra permanent FTE".to_string(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            run.variant.name,
            interval(&d[measure("npv.cost.total", HORIZON)], &money),
            interval(&avoided, &money),
            interval(&d[measure("permanent_fte_years", HORIZON)], &fte),
            per_fte
        );
    }
    md.push('\n');
    for (v, run) in result.variants.iter().enumerate().skip(1) {
        by_year(md, &run.variant.name, c, &c.differences[v - 1], years);
    }
}

/// One variant's differences from the base per financial year: the net cost
/// with its interval, and the mean change in each line that moves.
fn by_year(
    md: &mut String,
    variant: &str,
    c: &Comparison,
    differences: &[crate::compare::Difference],
    years: &[(String, String)],
) {
    let measure = |name: &str, period: &str| c.find(name, period).expect("measured");
    let moving: Vec<usize> = m::COST_LINES
        .iter()
        .copied()
        .filter(|&line| differences[measure(m::FIXED[line].0, HORIZON)].mean.abs() >= 0.5)
        .collect();
    let _ = writeln!(
        md,
        "#### {variant} minus base, per financial year\n\nNet cost: mean difference (95% interval); each line: mean \
         difference. Negative is a saving.\n"
    );
    let titles: Vec<&str> = std::iter::once("net cost")
        .chain(moving.iter().map(|&l| line_title(l)))
        .collect();
    header(md, "financial year", &titles);
    let rows = years
        .iter()
        .map(|(key, title)| (key.as_str(), title.as_str()));
    for (year, title) in rows.chain([(HORIZON, HORIZON)]) {
        let net = differences[measure("cost.total", year)];
        let _ = write!(
            md,
            "| {title} | {} ({} to {}) |",
            money(net.mean),
            money(net.ci.0),
            money(net.ci.1)
        );
        for &line in &moving {
            let _ = write!(
                md,
                " {} |",
                money(differences[measure(m::FIXED[line].0, year)].mean)
            );
        }
        md.push('\n');
    }
    md.push('\n');
}

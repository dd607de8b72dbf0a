//! summary.md: the page a strategist reads first.

use std::fmt::Write;

use rayon::prelude::*;

use super::cells::Cells;

use crate::compare::{Comparison, compare};
use crate::metrics::{KEY_METRICS, PERMANENT_SHARE};
use crate::model::{Model, Scenario, Target};
use crate::runner::RunResult;
use crate::stats::summarize as summarize_values;
use crate::targets::{TargetSummary, evaluate, summarize as summarize_targets};

/// Target results per variant (in run order), then per target.
#[derive(Clone, Debug)]
pub struct Digest {
    pub targets: Vec<Vec<TargetSummary>>,
    /// Per variant, every metric's spread in every month.
    pub cells: Vec<Cells>,
    /// Costs and paired differences from the base.
    pub comparison: Comparison,
}

pub fn digest(result: &RunResult) -> Digest {
    Digest {
        comparison: compare(result),
        targets: target_summaries(result),
        cells: result.variants.iter().map(Cells::of).collect(),
    }
}

/// Each variant's targets, summarised over its replications.
pub fn target_summaries(result: &RunResult) -> Vec<Vec<TargetSummary>> {
    result
        .variants
        .iter()
        .map(|run| {
            let model = &run.variant.model;
            model
                .targets
                .iter()
                .map(|target| {
                    let verdicts: Vec<_> = run
                        .outcomes
                        .par_iter()
                        .map(|o| evaluate(model, target, o))
                        .collect();
                    summarize_targets(&verdicts)
                })
                .collect()
        })
        .collect()
}

fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// Formats a metric value for people: rates as percentages, others to one decimal.
fn human(metric: &str, value: f64) -> String {
    if crate::metrics::is_share(metric) {
        percent(value)
    } else {
        format!("{value:.1}")
    }
}

/// A threshold as written, trimmed of float noise.
pub(crate) fn threshold(metric: &str, value: f64) -> String {
    if crate::metrics::is_share(metric) {
        format!("{}%", (1000.0 * value).round() / 10.0)
    } else {
        format!("{}", (1000.0 * value).round() / 1000.0)
    }
}

pub fn render(scenario: &Scenario, result: &RunResult, digest: &Digest) -> String {
    let mut md = String::new();
    opening(&mut md, scenario, result);
    targets_section(&mut md, result, digest);
    key_metrics_section(&mut md, result, digest);
    permanent_share_section(&mut md, result, digest);
    careers_section(&mut md, result, digest);
    super::finance::section(&mut md, result, &digest.comparison);
    variants_section(&mut md, result);
    md
}

/// The scenario's name and description, and what the figures are.
fn opening(md: &mut String, scenario: &Scenario, result: &RunResult) {
    let base = &result.variants[0].variant.model;
    let _ = writeln!(md, "# {}\n", scenario.name);
    if !scenario.description.is_empty() {
        let _ = writeln!(md, "{}\n", scenario.description.trim());
    }
    let _ = writeln!(
        md,
        "{} per variant, seed {}, {} to {} ({}). Figures are medians across replications with \
         90% intervals (P5 to P95) unless stated.\n",
        super::count_of(result.replications as usize, "replication"),
        result.seed,
        base.start,
        base.month(base.horizon() - 1),
        super::count_of(base.horizon(), "month")
    );
}

fn targets_section(md: &mut String, result: &RunResult, digest: &Digest) {
    let _ = writeln!(md, "## Targets\n");
    let _ = writeln!(
        md,
        "A target is met when its metric satisfies the threshold in every one of the stated consecutive months ending \
         with the target month. *Probability* is the share of replications that meet it (95% Wilson interval); \
         *first met* is the month a qualifying run of months first completes, among replications where it does: \
         it may come before the target month and no longer hold there, so more replications may have met a target \
         by its month than meet it then.\n"
    );
    let any_targets = result
        .variants
        .iter()
        .any(|r| !r.variant.model.targets.is_empty());
    if !any_targets {
        let _ = writeln!(md, "This scenario declares no targets.\n");
        return;
    }
    let _ = writeln!(
        md,
        "| variant | target | probability | 95% interval | first met (median) | first met (P5 to P95) | never met |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|");
    for (run, summaries) in result.variants.iter().zip(&digest.targets) {
        let model = &run.variant.model;
        for (target, s) in model.targets.iter().zip(summaries) {
            target_row(md, &run.variant.name, model, target, s);
        }
    }
    md.push('\n');
}

fn target_row(md: &mut String, variant: &str, model: &Model, target: &Target, s: &TargetSummary) {
    let (median, range) = match s.first_met {
        Some([p5, p50, p95]) => (
            model.month(p50).to_string(),
            format!("{} to {}", model.month(p5), model.month(p95)),
        ),
        None => ("never".into(), "-".into()),
    };
    let held = if target.consecutive_months > 1 {
        format!(", held {} months", target.consecutive_months)
    } else {
        String::new()
    };
    let _ = writeln!(
        md,
        "| {variant} | {}: {} {} {} by {}{held} | **{}** | {} to {} | {median} | {range} | {} |",
        target.name,
        target.metric_name,
        target.comparison.symbol(),
        threshold(&target.metric_name, target.threshold),
        target.by,
        percent(s.probability),
        percent(s.ci_low),
        percent(s.ci_high),
        percent(s.never_met_share),
    );
}

/// The key metrics in the last month, a column per variant.
fn key_metrics_section(md: &mut String, result: &RunResult, digest: &Digest) {
    let base = &result.variants[0].variant.model;
    let _ = writeln!(md, "## Key metrics in {}\n", base.month(base.horizon() - 1));
    let _ = write!(md, "| metric |");
    for run in &result.variants {
        let _ = write!(md, " {} |", run.variant.name);
    }
    let _ = write!(md, "\n|---|");
    for _ in &result.variants {
        md.push_str("---|");
    }
    md.push('\n');
    for &metric in KEY_METRICS {
        let name = &base.catalogue.names[metric];
        let _ = write!(md, "| {name} |");
        for (run, cells) in result.variants.iter().zip(&digest.cells) {
            let t = run.variant.model.horizon() - 1;
            let q = cells.get(t, metric).quantiles;
            let _ = write!(
                md,
                " {} ({} to {}) |",
                human(name, q[2]),
                human(name, q[0]),
                human(name, q[4])
            );
        }
        md.push('\n');
    }
    md.push('\n');
}

fn permanent_share_section(md: &mut String, result: &RunResult, digest: &Digest) {
    let base = &result.variants[0].variant.model;
    let _ = writeln!(md, "## Permanent share over time (median)\n");
    month_by_variant_header(md, result, &[]);
    for t in every_six_months(base.horizon()) {
        let _ = write!(md, "| {} |", base.month(t));
        for cells in &digest.cells {
            let _ = write!(md, " {} |", percent(cells.median(t, PERMANENT_SHARE)));
        }
        md.push('\n');
    }
    md.push('\n');
}

/// Each variant's description, and where the full results are.
fn variants_section(md: &mut String, result: &RunResult) {
    let _ = writeln!(md, "## Variants\n");
    for run in &result.variants {
        let _ = writeln!(md, "- **{}**: {}", run.variant.name, run.variant.about());
    }
    let _ = writeln!(
        md,
        "\nVariants are compared with common random numbers: replication r of every variant meets the same draws for \
         the same people and vacancies, so differences between columns are the policies' effects, not noise.\n\n\
         Full monthly quantiles of every metric are in `quantiles.csv` (and `.parquet`); target results in \
         `targets.csv`; when the scenario has them, costs by financial year in `costs.csv`, paired differences \
         from the base in `compare.csv` (with Parquet copies) and the finance tables as a workbook in \
         `finance.xlsx`; run details in `manifest.json`."
    );
}

/// The head of a table with a row per month and a column per variant, then
/// `extra` columns.
fn month_by_variant_header(md: &mut String, result: &RunResult, extra: &[&str]) {
    let _ = write!(md, "| month |");
    for name in result
        .variant_names()
        .into_iter()
        .chain(extra.iter().copied())
    {
        let _ = write!(md, " {name} |");
    }
    md.push_str("\n|---|");
    for _ in 0..result.variants.len() + extra.len() {
        md.push_str("---|");
    }
    md.push('\n');
}

/// Every sixth month from the first, and the last.
fn every_six_months(horizon: usize) -> std::collections::BTreeSet<usize> {
    (0..horizon)
        .step_by(6)
        .chain(std::iter::once(horizon - 1))
        .collect()
}

/// Median across replications of a metric summed over each of `spans` of
/// months.
fn median_sums(
    run: &crate::runner::VariantRun,
    metric: usize,
    spans: &[std::ops::Range<usize>],
) -> Vec<f64> {
    let sums: Vec<Vec<f64>> = run
        .outcomes
        .par_iter()
        .map(|o| {
            let months = o.months_of(metric);
            spans
                .iter()
                .map(|span| months[span.clone()].iter().sum())
                .collect()
        })
        .collect();
    (0..spans.len())
        .map(|k| {
            let values: Vec<f64> = sums.iter().map(|s| s[k]).collect();
            // The P50 of the reported quantiles: selected, not sorted, the same value.
            summarize_values(&values).1[2]
        })
        .collect()
}

/// Pipelines and statutory sufficiency, for scenarios that model them.
fn careers_section(md: &mut String, result: &RunResult, digest: &Digest) {
    let careers = &result.variants[0].variant.model.careers;
    if careers.partnership.is_some() || !careers.grow_your_own.is_empty() {
        nqsw_pipeline(md, result, digest);
    }
    for s in 0..careers.specialisms.len() {
        specialism_against_need(md, result, digest, s);
    }
}

/// Placements and NQSW starters by route, per year from the start month.
fn nqsw_pipeline(md: &mut String, result: &RunResult, digest: &Digest) {
    use crate::metrics::{NQSW_STARTERS, PLACEMENT_CAPACITY, PLACEMENTS};
    use crate::workforce::Route;
    let _ = writeln!(
        md,
        "## NQSW pipeline, per year from the start month (medians)\n"
    );
    let _ = writeln!(
        md,
        "| variant | year from | placements | placement capacity | NQSWs from the partnership | external NQSWs | grow-your-own | all NQSW starters |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|");
    for (run, cells) in result.variants.iter().zip(&digest.cells) {
        let model = &run.variant.model;
        let c = &model.catalogue;
        let years: Vec<_> = (0..model.horizon().div_ceil(12))
            .map(|year| year * 12..((year + 1) * 12).min(model.horizon()))
            .collect();
        let [local, external, grown, all] = [
            c.route(Route::NqswLocal),
            c.route(Route::NqswExternal),
            c.route(Route::GrowYourOwn),
            NQSW_STARTERS,
        ]
        .map(|metric| median_sums(run, metric, &years));
        for (y, months) in years.iter().enumerate() {
            let last = months.end - 1;
            let _ = writeln!(
                md,
                "| {} | {}{} | {:.0} | {:.1} | {:.0} | {:.0} | {:.0} | {:.0} |",
                run.variant.name,
                model.month(months.start),
                super::months_held(months.len()),
                cells.median(last, PLACEMENTS),
                cells.median(last, PLACEMENT_CAPACITY),
                local[y],
                external[y],
                grown[y],
                all[y],
            );
        }
    }
    md.push_str("\nPlacements and capacity are those of the academic year in force at the end of each year.\n\n");
}

/// Specialism `s`'s holders every six months per variant (with its trainees
/// where some variant trains for it), against the number needed.
fn specialism_against_need(md: &mut String, result: &RunResult, digest: &Digest, s: usize) {
    let base = &result.variants[0].variant.model;
    let (c, specialism) = (&base.catalogue, &base.careers.specialisms[s]);
    let _ = writeln!(
        md,
        "## {} in post against need (medians)\n",
        specialism.name
    );
    month_by_variant_header(md, result, &["needed"]);
    let trained = result.variants.iter().any(|run| {
        let training = &run.variant.model.careers.training;
        training.iter().any(|course| course.specialism == s)
    });
    for t in every_six_months(base.horizon()) {
        let _ = write!(md, "| {} |", base.month(t));
        for cells in &digest.cells {
            let _ = write!(md, " {:.0}", cells.median(t, c.specialists(s)));
            if trained {
                let trainees = cells.median(t, c.specialism_trainees(s));
                let _ = write!(md, " (+{trainees:.0} training)");
            }
            md.push_str(" |");
        }
        let needed = if specialism.required.is_some() {
            format!("{:.0}", digest.cells[0].median(t, c.specialism_required(s)))
        } else {
            "-".into()
        };
        let _ = writeln!(md, " {needed} |");
    }
    md.push('\n');
}

#[cfg(test)]
mod tests {
    use crate::runner::{RunOptions, run};

    /// A specialism no variant trains for shows its holders alone; one with
    /// a course shows its trainees beside them.
    #[test]
    fn trainees_are_shown_only_for_specialisms_with_a_course() {
        // Bristol trains AMHPs; a BIA specialism is added with no course.
        let text = format!(
            "{}\n[specialisms.bia]\n",
            include_str!("../../scenarios/bristol-progression.toml")
        );
        let scenario = crate::scenario::compile(&text, std::path::Path::new("with-bia.toml"))
            .expect("compiles");
        let options = RunOptions {
            replications: Some(2),
            variants: Some(Vec::new()),
            ..Default::default()
        };
        let result = run(&scenario, &options).expect("runs");
        let summary = super::render(&scenario, &result, &crate::output::digest(&result));
        let section = |name: &str| {
            let start = summary
                .find(&format!("## {name} in post against need"))
                .unwrap_or_else(|| panic!("no {name} section in\n{summary}"));
            let rest = &summary[start + 3..];
            rest[..rest.find("\n## ").unwrap_or(rest.len())].to_string()
        };
        assert!(section("amhp").contains("training)"));
        assert!(!section("bia").contains("training"));
    }
}

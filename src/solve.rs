//! What it takes to reach a target: the smallest (or, for levers that work
//! the other way, the largest) value of one scenario key that gives at least
//! a stated probability of meeting the target. Every candidate value is run
//! on the same replications (common random numbers), so the probability moves
//! with the lever, not with the luck; the search respects the Monte Carlo
//! error and says when two values cannot be told apart.

use std::path::Path;

use crate::compare::{Comparison, Discount, HORIZON, compare};
use crate::model::Scenario;
use crate::runner::{Progress, RunError, RunOptions, run};
use crate::scenario::{ScenarioError, compile};
use crate::stats::{Z95, wilson};
use crate::targets::evaluate;

/// The variant name under which candidate values are run.
const LEVER_VARIANT: &str = "solve-lever";

#[derive(Clone, Debug)]
pub struct SolveOptions {
    pub target: String,
    /// A key path in the scenario, e.g. `teaching_partnership.intake_target`.
    pub lever: String,
    pub low: f64,
    pub high: f64,
    /// Whole numbers only (cohort sizes, intake targets).
    pub integer: bool,
    pub confidence: f64,
    pub replications: Option<u32>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    /// Called as each replication of each candidate finishes.
    pub progress: Option<Progress>,
}

#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    #[error("the scenario has no target `{name}`; it has: {known}")]
    UnknownTarget { name: String, known: String },
    #[error("lever `{lever}` = {value} is not allowed: {}", lever_problems(source))]
    Lever {
        lever: String,
        value: String,
        source: Box<ScenarioError>,
    },
    #[error(
        "lever `{lever}` does not change the probability of `{target}` between {low} and {high} \
         ({probability:.3} at both ends); a lever that multiplies an empty stock, or acts after \
         the target month, does nothing"
    )]
    NoEffect {
        lever: String,
        target: String,
        low: String,
        high: String,
        probability: f64,
    },
    #[error(transparent)]
    Run(#[from] RunError),
}

/// What is wrong with the scenario with the lever set, said of the keys
/// themselves: the lines and the variant the lever was written into are the
/// search's own, not the user's file.
fn lever_problems(error: &ScenarioError) -> String {
    if error.problems().is_empty() {
        return error.to_string();
    }
    let said: Vec<String> = error
        .problems()
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.variant.take_if(|v| v == LEVER_VARIANT);
            format!("{}: {}", p.key(), p.what())
        })
        .collect();
    said.join("; and ")
}

/// One candidate value of the lever.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub value: f64,
    pub probability: f64,
    pub ci: (f64, f64),
    /// Extra net cost against the scenario as written (NPV, mean and 95%
    /// interval), when it has finance.
    pub extra_cost: Option<(f64, f64, f64)>,
    pub replications: u32,
}

#[derive(Clone, Debug)]
pub struct Solution {
    pub target: String,
    pub lever: String,
    pub confidence: f64,
    pub replications: u32,
    /// True when more of the lever raises the probability.
    pub increasing: bool,
    /// Every value run, in lever order.
    pub curve: Vec<Candidate>,
    /// The first value (in the lever's good direction) that reaches the
    /// confidence, by its point estimate; `None` if none in the range does.
    pub answer: Option<f64>,
    /// Between the last value clearly short of the confidence and the first
    /// clearly above it (95% intervals).
    pub interval: (Option<f64>, Option<f64>),
    /// Candidates whose interval straddles the confidence, and the
    /// replications that would tell each apart from it.
    pub undecided: Vec<(f64, u64)>,
    /// How the extra net cost's NPV discounts (the scenario as written's).
    pub discount: Discount,
}

/// The scenario text with the lever set to `value`, as a variant overlay.
/// A lever on an array (a rate per service band) sets every element.
fn with_lever(text: &str, lever: &str, value: &str) -> String {
    let value = match array_len(text, lever) {
        Some(n) => format!("[{}]", vec![value; n].join(", ")),
        None => value.to_string(),
    };
    let (table, key) = match lever.rsplit_once('.') {
        Some((table, key)) => (format!(".{table}"), key),
        None => (String::new(), lever),
    };
    format!("{text}\n\n[variants.{LEVER_VARIANT}{table}]\n{key} = {value}\n")
}

/// The length of the array at `path` in the scenario, if it is one.
fn array_len(text: &str, path: &str) -> Option<usize> {
    use crate::scenario::document::{self, Value};
    let root = document::parse(text).ok()?;
    let mut table = &root;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        let node = &table.get(key)?.node;
        match (&node.value, keys.peek()) {
            (Value::Table(t), Some(_)) => table = t,
            (Value::Array(items), None) => return Some(items.len()),
            _ => return None,
        }
    }
    None
}

fn format_value(value: f64, integer: bool) -> String {
    if integer {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:?}")
    }
}

pub fn solve(text: &str, file: &Path, options: &SolveOptions) -> Result<Solution, SolveError> {
    let evaluate_at = |value: f64| -> Result<Candidate, SolveError> {
        let shown = format_value(value, options.integer);
        let scenario = compile(&with_lever(text, &options.lever, &shown), file).map_err(|e| {
            SolveError::Lever {
                lever: options.lever.clone(),
                value: shown.clone(),
                source: Box::new(e),
            }
        })?;
        candidate(&scenario, options, value, options.replications)
    };
    let mut curve = vec![evaluate_at(options.low)?, evaluate_at(options.high)?];
    if curve[1].probability == curve[0].probability {
        return Err(SolveError::NoEffect {
            lever: options.lever.clone(),
            target: options.target.clone(),
            low: format_value(options.low, options.integer),
            high: format_value(options.high, options.integer),
            probability: curve[0].probability,
        });
    }
    let increasing = curve[1].probability > curve[0].probability;
    let (worse_end, better_end) = if increasing {
        (options.low, options.high)
    } else {
        (options.high, options.low)
    };
    let reaches = |c: &Candidate| c.probability >= options.confidence;
    let (worse, better) = if increasing { (0, 1) } else { (1, 0) };
    let answer = if reaches(&curve[worse]) {
        Some(worse_end)
    } else if reaches(&curve[better]) {
        Some(bisect(
            &mut curve,
            options,
            worse_end,
            better_end,
            evaluate_at,
        )?)
    } else {
        None
    };
    curve.sort_by(|a, b| a.value.total_cmp(&b.value));
    let n = curve[0].replications;
    let discount = compile(text, file).map_or_else(
        |_| Discount::default(),
        |s| Discount::of(&s.variants[0].model),
    );
    Ok(Solution {
        target: options.target.clone(),
        lever: options.lever.clone(),
        confidence: options.confidence,
        replications: n,
        increasing,
        interval: clear_interval(&curve, options.confidence, increasing),
        undecided: undecided_values(&curve, options.confidence, n),
        curve,
        answer,
        discount,
    })
}

/// Bisects from `bad`, which falls short of the confidence, to `good`, which
/// reaches it, adding each candidate to `curve`; returns the value nearest
/// `bad` found to reach it.
fn bisect(
    curve: &mut Vec<Candidate>,
    options: &SolveOptions,
    mut bad: f64,
    mut good: f64,
    evaluate_at: impl Fn(f64) -> Result<Candidate, SolveError>,
) -> Result<f64, SolveError> {
    let resolution = if options.integer {
        1.0
    } else {
        (options.high - options.low) / 256.0
    };
    // Two candidates in a row that the replications cannot tell from the
    // confidence: finer steps would only chase noise.
    let mut undecided_in_a_row = 0;
    while (good - bad).abs() > resolution && undecided_in_a_row < 2 {
        let mut mid = 0.5 * (bad + good);
        if options.integer {
            mid = mid.floor();
            if mid == bad.min(good) {
                mid += 1.0;
            }
            if mid == good {
                break;
            }
        }
        let c = evaluate_at(mid)?;
        undecided_in_a_row = if undecided(&c, options.confidence) {
            undecided_in_a_row + 1
        } else {
            0
        };
        if c.probability >= options.confidence {
            good = mid;
        } else {
            bad = mid;
        }
        curve.push(c);
    }
    Ok(good)
}

/// Whether `c`'s replications cannot tell its probability from `confidence`.
fn undecided(c: &Candidate, confidence: f64) -> bool {
    c.ci.0 < confidence && confidence <= c.ci.1
}

/// In the good direction along `curve` (sorted by value): the last value
/// clearly short of `confidence`, and the first clearly above it.
fn clear_interval(
    curve: &[Candidate],
    confidence: f64,
    increasing: bool,
) -> (Option<f64>, Option<f64>) {
    let ordered: Vec<&Candidate> = if increasing {
        curve.iter().collect()
    } else {
        curve.iter().rev().collect()
    };
    let clearly_short = ordered
        .iter()
        .filter(|c| c.ci.1 < confidence)
        .map(|c| c.value)
        .next_back();
    let clearly_above = ordered
        .iter()
        .find(|c| c.ci.0 >= confidence)
        .map(|c| c.value);
    (clearly_short, clearly_above)
}

/// Each undecided candidate's value with the replications (at least the
/// `n` run) that would tell it from `confidence`.
fn undecided_values(curve: &[Candidate], confidence: f64, n: u32) -> Vec<(f64, u64)> {
    curve
        .iter()
        .filter(|c| undecided(c, confidence))
        .map(|c| {
            let margin = (c.probability - confidence).abs().max(1e-6);
            let p = c.probability.clamp(1e-6, 1.0 - 1e-6);
            let needed = (Z95 * Z95 * p * (1.0 - p) / (margin * margin)).ceil() as u64;
            (c.value, needed.max(u64::from(n)))
        })
        .collect()
}

/// Runs the scenario as written and with the lever, and reads the target's
/// probability and the lever's extra cost.
fn candidate(
    scenario: &Scenario,
    options: &SolveOptions,
    value: f64,
    replications: Option<u32>,
) -> Result<Candidate, SolveError> {
    let lever = scenario
        .variants
        .iter()
        .position(|v| v.name == LEVER_VARIANT)
        .expect("the lever variant was appended");
    let run_options = RunOptions {
        replications,
        seed: options.seed,
        threads: options.threads,
        variants: Some(vec![LEVER_VARIANT.to_string()]),
        progress: options.progress.clone(),
        ..Default::default()
    };
    let result = run(scenario, &run_options)?;
    let run = &result.variants[1];
    debug_assert_eq!(run.variant.name, scenario.variants[lever].name);
    let model = &run.variant.model;
    let Some(target) = model.targets.iter().find(|t| t.name == options.target) else {
        return Err(SolveError::UnknownTarget {
            name: options.target.clone(),
            known: model
                .targets
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    let met = run
        .outcomes
        .iter()
        .filter(|o| evaluate(model, target, o).met)
        .count() as u64;
    let n = run.outcomes.len() as u64;
    let extra_cost = model.finance.as_ref().map(|_| {
        let c: Comparison = compare(&result);
        let k = c.find("npv.cost.total", HORIZON).expect("measured");
        let d = c.differences[0][k];
        (d.mean, d.ci.0, d.ci.1)
    });
    Ok(Candidate {
        value,
        probability: met as f64 / n as f64,
        ci: wilson(met, n, Z95),
        extra_cost,
        replications: result.replications,
    })
}

/// A lever value for people: six significant digits, no float noise.
fn show(value: f64) -> String {
    if value == value.round() {
        return format!("{value}");
    }
    let digits = 6 - (value.abs().log10().floor() as i32 + 1);
    let scale = 10f64.powi(digits.max(0));
    format!("{}", (value * scale).round() / scale)
}

/// The result for people, as Markdown.
pub fn render(s: &Solution) -> String {
    use std::fmt::Write;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# What it takes: `{}` for P(`{}`) >= {:.0}%\n\n{} per value, each value on the same \
         replications (common random numbers). Probability with its 95% Wilson interval; extra net cost is \
         against the scenario as written, as {}: mean and 95% interval.\n",
        s.lever,
        s.target,
        100.0 * s.confidence,
        crate::output::count_of(s.replications as usize, "replication"),
        s.discount.label()
    );
    let _ = writeln!(
        md,
        "| {} | probability | 95% interval | extra net cost ({}) |\n|---:|---:|---:|---:|",
        s.lever,
        s.discount.label()
    );
    for c in &s.curve {
        let cost = c.extra_cost.map_or("-".to_string(), |(m, lo, hi)| {
            format!(
                "{} ({} to {})",
                crate::output::money(m),
                crate::output::money(lo),
                crate::output::money(hi)
            )
        });
        let _ = writeln!(
            md,
            "| {} | {:.1}% | {:.1}% to {:.1}% | {} |",
            show(c.value),
            100.0 * c.probability,
            100.0 * c.ci.0,
            100.0 * c.ci.1,
            cost
        );
    }
    md.push('\n');
    let direction = if s.increasing { "smallest" } else { "largest" };
    match s.answer {
        Some(a) => {
            let _ = writeln!(
                md,
                "**Answer: {} = {}**, the {direction} value with a probability of at least {:.0}% (by the point \
                 estimate). {}",
                s.lever,
                show(a),
                100.0 * s.confidence,
                bracket(s.interval)
            );
        }
        None => {
            let _ = writeln!(
                md,
                "**No value in the range gives a probability of at least {:.0}%.**",
                100.0 * s.confidence
            );
        }
    }
    if !s.undecided.is_empty() {
        let _ = writeln!(
            md,
            "\nCannot be told apart from {:.0}% with {}: {}.",
            100.0 * s.confidence,
            crate::output::count_of(s.replications as usize, "replication"),
            s.undecided
                .iter()
                .map(|(v, n)| format!("{} (about {n} replications would)", show(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    md
}

/// The probability-versus-lever curve as CSV.
pub fn curve_csv(s: &Solution) -> String {
    let mut csv = String::from(
        "value,probability,ci_low,ci_high,extra_cost_npv,extra_cost_ci_low,extra_cost_ci_high\n",
    );
    for c in &s.curve {
        let (m, lo, hi) = c.extra_cost.map_or(
            (String::new(), String::new(), String::new()),
            |(m, lo, hi)| (m.to_string(), lo.to_string(), hi.to_string()),
        );
        csv.push_str(&format!(
            "{},{},{},{},{m},{lo},{hi}\n",
            c.value, c.probability, c.ci.0, c.ci.1
        ));
    }
    csv
}

/// The 95% bracket around the threshold as a sentence: the last value
/// clearly short of the confidence and the first clearly enough, either of
/// which the values searched may not have.
fn bracket(interval: (Option<f64>, Option<f64>)) -> String {
    match interval {
        (Some(short), Some(enough)) => format!(
            "With 95% confidence the threshold lies between {} (clearly short) and {} (clearly enough).",
            show(short),
            show(enough)
        ),
        (None, Some(enough)) => format!(
            "With 95% confidence {} is enough; no value searched is clearly short, so the threshold may lie at the \
             range's end or beyond it.",
            show(enough)
        ),
        (Some(short), None) => format!(
            "With 95% confidence {} is short; no value searched is clearly enough (more replications would tell).",
            show(short)
        ),
        (None, None) => {
            "No value searched is clearly short or clearly enough with these replications."
                .to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bracket_says_which_ends_the_values_searched_have() {
        assert_eq!(
            bracket((Some(0.0425), Some(0.065))),
            "With 95% confidence the threshold lies between 0.0425 (clearly short) and 0.065 (clearly enough)."
        );
        let no_short = bracket((None, Some(0.1)));
        assert!(
            no_short.starts_with(
                "With 95% confidence 0.1 is enough; no value searched is clearly short"
            )
        );
        let no_enough = bracket((Some(7.0), None));
        assert!(
            no_enough
                .starts_with("With 95% confidence 7 is short; no value searched is clearly enough")
        );
        assert!(!bracket((None, None)).contains("beyond the range (clearly"));
    }
}

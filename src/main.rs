//! The staffcast command line: parse arguments, run, render errors, choose the
//! exit code (0 success, 2 bad input, 1 anything else).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod calibrate_commands;

use clap::{Args, Parser, Subcommand};
use staffcast::model::Scenario;
use staffcast::output::{self, OutputOptions};
use staffcast::runner::{self, RunError, RunOptions};
use staffcast::scenario::{self, ScenarioError};
use staffcast::shard;

#[derive(Parser)]
#[command(
    name = "staffcast",
    version,
    about = "Monte Carlo forecasts of social work workforce sufficiency, permanence and cost"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario (the bundled Slough scenario if no file is given).
    Run(RunArgs),
    /// The effect on leaving at which a retention payment pays for itself.
    Breakeven(BreakevenArgs),
    /// The value of a lever that gives a target a stated probability.
    Solve(SolveArgs),
    /// Which uncertain assumptions a metric is most sensitive to (a tornado).
    Sensitivity(SensitivityArgs),
    /// Combine the partial results of `run --shard` into the outputs of one run.
    Merge(MergeArgs),
    /// Write a scenario (or fragment) from published statistics or an HR extract.
    #[command(subcommand)]
    Calibrate(calibrate_commands::Calibrate),
    /// How well a calibrated scenario would have forecast the years after its data.
    #[command(subcommand)]
    Backtest(calibrate_commands::Backtest),
    /// Check scenario files without running them.
    Validate {
        /// Scenario files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Args)]
struct RunArgs {
    /// Scenario file (TOML). Without it, the bundled scenarios/slough-children-2014.toml.
    file: Option<PathBuf>,
    #[command(flatten)]
    outputs: Outputs,
    #[command(flatten)]
    control: RunControl,
    /// Run only this variant besides the base; repeat for several (default: all).
    #[arg(long = "variant", value_name = "NAME")]
    variants: Vec<String>,
    /// Run only slice I (from 0) of N of the replications and write a partial
    /// result to DIR/<scenario>.shard-I-of-N; `staffcast merge` combines them
    /// (and writes --raw and --hr-extract, if asked, for the whole run).
    #[arg(long, value_name = "I/N", value_parser = parse_shard, conflicts_with_all = ["precision", "raw", "hr_extract"])]
    shard: Option<runner::Shard>,
    /// Add replications in batches until every target probability's 95% interval
    /// is at most this wide (e.g. 0.04 for +/- 2 points) and the key medians are stable.
    #[arg(long, value_name = "WIDTH", value_parser = interval_width, conflicts_with = "replications")]
    precision: Option<f64>,
    /// With --precision: the largest relative move of a key metric's final
    /// median over the last batch that counts as stable.
    #[arg(
        long,
        value_name = "REL",
        default_value_t = 0.01,
        requires = "precision",
        value_parser = tolerance
    )]
    tolerance: f64,
    /// With --precision: replications added at a time.
    #[arg(long, value_name = "N", default_value_t = 200, requires = "precision", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    batch: u32,
    /// With --precision: stop here even if the precision is not reached.
    #[arg(long, value_name = "N", default_value_t = 100_000, requires = "precision", value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    max_replications: u32,
}

#[derive(Args)]
struct SolveArgs {
    /// Scenario file (TOML). Without it, the bundled scenarios/slough-children-2014.toml.
    file: Option<PathBuf>,
    /// The target, by its name under [targets].
    #[arg(long, value_name = "NAME")]
    target: String,
    /// The scenario key to vary, e.g. teaching_partnership.intake_target.
    #[arg(long, value_name = "KEY")]
    lever: String,
    /// The values to search: LO..HI (whole numbers search whole numbers).
    #[arg(long, value_name = "LO..HI", value_parser = parse_range)]
    range: (f64, f64, bool),
    /// The probability of meeting the target to reach.
    #[arg(long, value_name = "P", default_value_t = 0.8, value_parser = probability)]
    confidence: f64,
    #[command(flatten)]
    control: RunControl,
    /// Also write the probability-versus-lever curve to this CSV file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Also draw the curve: FILE.png and FILE.svg.
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
}

/// `4..12` (whole numbers) or `0.02..0.08`.
fn parse_range(text: &str) -> Result<(f64, f64, bool), String> {
    let bad = || {
        format!("`{text}` is not a range: write LO..HI, e.g. 4..12 or 0.02..0.08, with LO below HI")
    };
    let (lo, hi) = text.split_once("..").ok_or_else(bad)?;
    let integer = lo.trim().parse::<i64>().is_ok() && hi.trim().parse::<i64>().is_ok();
    let (lo, hi) = (
        lo.trim().parse::<f64>().map_err(|_| bad())?,
        hi.trim().parse::<f64>().map_err(|_| bad())?,
    );
    if lo.is_finite() && hi.is_finite() && lo < hi {
        Ok((lo, hi, integer))
    } else {
        Err(bad())
    }
}

#[derive(Args)]
struct SensitivityArgs {
    /// Scenario file (TOML). Without it, the bundled scenarios/slough-children-2014.toml.
    file: Option<PathBuf>,
    /// The metric, e.g. permanent_share.
    #[arg(long, value_name = "METRIC")]
    metric: String,
    /// The month, YYYY-MM.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    at: staffcast::calendar::Month,
    #[command(flatten)]
    control: RunControl,
    /// Also write the tornado as a chart: FILE.png and FILE.svg.
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    /// `oat`: one at a time (a tornado); `sobol`: first-order and total Sobol indices.
    #[arg(long, value_name = "METHOD", default_value = "oat", value_parser = ["oat", "sobol"])]
    method: String,
    /// With --method sobol: base samples (the model runs n x (parameters + 2) times)
    /// [default: 1024].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(16..=10_000_000))]
    samples: Option<u32>,
}

fn parse_month(text: &str) -> Result<staffcast::calendar::Month, String> {
    staffcast::calendar::Month::parse(text)
        .ok_or_else(|| format!("`{text}` is not a month: write YYYY-MM, e.g. 2017-03"))
}

#[derive(Args)]
struct MergeArgs {
    /// Partial-result folders written by `run --shard`, one per shard.
    #[arg(required = true)]
    partials: Vec<PathBuf>,
    #[command(flatten)]
    outputs: Outputs,
}

/// Where a whole run's results go and what is printed: the same for `run`
/// and `merge`.
#[derive(Args)]
struct Outputs {
    /// Folder for results; they go to DIR/<scenario name>/.
    #[arg(long, value_name = "DIR", default_value = "out")]
    out: PathBuf,
    /// Also write every replication's monthly series as raw.parquet.
    #[arg(long)]
    raw: bool,
    /// Also write the base case's first replication's people as an HR extract
    /// (hr-extract.csv), in the format `calibrate hr` reads.
    #[arg(long)]
    hr_extract: bool,
    /// Print nothing on success (errors still go to stderr).
    #[arg(long, conflicts_with = "json")]
    quiet: bool,
    /// Print the run's manifest as JSON on stdout instead of the table, for scripts.
    #[arg(long)]
    json: bool,
}

fn parse_shard(text: &str) -> Result<runner::Shard, String> {
    let parsed = text
        .split_once('/')
        .and_then(|(i, n)| Some((i.trim().parse::<u32>().ok()?, n.trim().parse::<u32>().ok()?)));
    match parsed {
        Some((index, count)) if count >= 1 && index < count => Ok(runner::Shard { index, count }),
        _ => Err(format!(
            "`{text}` is not a shard: write I/N with N at least 1 and I from 0 to N - 1, e.g. 0/8"
        )),
    }
}

#[derive(Args)]
struct BreakevenArgs {
    /// Scenario file (TOML). Without it, the bundled scenarios/slough-children-2014.toml.
    file: Option<PathBuf>,
    /// The retention payment: its name under [finance.retention_payments].
    #[arg(long, value_name = "NAME")]
    payment: String,
    /// Test the payment as this variant has it (default: the base).
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,
    #[command(flatten)]
    control: RunControl,
    /// The strongest effect searched: leaving multiplied by this.
    #[arg(long, value_name = "M", default_value_t = 0.5, value_parser = unit_interval)]
    lowest: f64,
    /// Also write the net-benefit curve to this CSV file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
}

fn unit_interval(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.0..1.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "`{text}` is not a number from 0 up to (not including) 1"
        )),
    }
}

/// A probability to reach: above 0, which any value reaches, and below 1.
fn probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        _ => Err(format!("`{text}` is not a probability above 0 and below 1")),
    }
}

/// A 95% interval's width to reach: above 0, as no finite run's interval is
/// narrower (a run asked for 0 would go on to `--max-replications`).
fn interval_width(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        _ => Err(format!(
            "`{text}` is not a width above 0 and below 1 (0.04 is +/- 2 points)"
        )),
    }
}

/// A relative change that counts as stable: 0 (unchanged) or more.
fn tolerance(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x >= 0.0 && x.is_finite() => Ok(x),
        _ => Err(format!(
            "`{text}` is not a relative change of 0 or more (0.01 is 1%)"
        )),
    }
}

/// How many replications, from which seed, on how many threads: the same
/// for every command that runs the engine.
#[derive(Args, Clone, Copy)]
struct RunControl {
    /// Replications (per variant, candidate or setting; overrides the scenario).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    replications: Option<u32>,
    /// Random seed (overrides the scenario).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Worker threads (default: every core). Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
}

impl RunControl {
    fn threads(self) -> Option<usize> {
        self.threads.map(|t| t as usize)
    }
}

/// A failure and the exit code it earns.
enum Failure {
    BadInput(String),
    Other(String),
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Failure {
        Failure::BadInput(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run(args) => run(args),
        Command::Breakeven(args) => breakeven(args),
        Command::Merge(args) => merge(args),
        Command::Solve(args) => solve(args),
        Command::Sensitivity(args) => sensitivity(args),
        Command::Calibrate(command) => calibrate_commands::calibrate(command),
        Command::Backtest(command) => calibrate_commands::backtest(command),
        Command::Validate { files } => validate(&files),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
        Err(Failure::Other(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// What keeps `flag`'s destination `path` from being written, checked before
/// any work: a folder (`--out`) or a file's folder (`--csv`, `--chart`).
pub(crate) fn unwritable(flag: &str, path: Option<&Path>, is_folder: bool) -> Option<String> {
    let path = path?;
    let check = if is_folder {
        output::check_folder(path)
    } else {
        output::check_file(path)
    };
    check
        .err()
        .map(|why| format!("error: {flag} {}: {why}", path.display()))
}

/// The scenario and its text, as [`load_with_text`], with the problems found
/// in the destinations reported beside its own.
fn load_for(
    file: Option<&Path>,
    destinations: impl IntoIterator<Item = Option<String>>,
) -> Result<(Scenario, String), Failure> {
    let problems: Vec<String> = destinations.into_iter().flatten().collect();
    let loaded = load_with_text(file);
    if problems.is_empty() {
        return loaded;
    }
    let mut message = problems.join("\n");
    if let Err(Failure::BadInput(scenario) | Failure::Other(scenario)) = loaded {
        message = format!("{message}\n{scenario}");
    }
    Err(Failure::BadInput(message))
}

/// The scenario and the text it was compiled from.
fn load_with_text(file: Option<&Path>) -> Result<(Scenario, String), Failure> {
    Ok(match file {
        Some(path) => {
            let text = scenario::read_text(path)?;
            (scenario::compile(&text, path)?, text)
        }
        None => (
            scenario::default_scenario()?,
            scenario::DEFAULT_SCENARIO.to_string(),
        ),
    })
}

fn run(args: RunArgs) -> Result<(), Failure> {
    let out = unwritable("--out", Some(&args.outputs.out), true);
    let (scenario, text) = load_for(args.file.as_deref(), [out])?;
    let bar = progress_bar(&args, &scenario);
    let options = RunOptions {
        progress: Some(counts(&bar)),
        replications: args.control.replications,
        seed: args.control.seed,
        threads: args.control.threads(),
        variants: (!args.variants.is_empty()).then(|| args.variants.clone()),
        shard: args.shard,
    };
    let result = match args.precision {
        None => runner::run(&scenario, &options),
        Some(width) => runner::run_to_precision(
            &scenario,
            &options,
            runner::Precision {
                width,
                tolerance: args.tolerance,
                batch: args.batch,
                max_replications: args.max_replications,
            },
        ),
    }
    .map_err(|e| match e {
        RunError::UnknownVariant { .. } => Failure::BadInput(format!("error: --variant: {e}")),
        other => Failure::Other(other.to_string()),
    })?;
    bar.finish_and_clear();
    if let (Some(p), false) = (&result.precision, args.outputs.quiet || args.outputs.json) {
        println!(
            "{} after {}: widest target interval {:.4} (asked {}), largest move of a key median over the last batch {:.4} (asked {})",
            if p.reached {
                "precision reached"
            } else {
                "precision NOT reached"
            },
            output::count_of(p.replications as usize, "replication"),
            p.widest_interval,
            p.asked.width,
            p.largest_median_change,
            p.asked.tolerance
        );
    }
    if let Some(shard) = args.shard {
        let folder = shard::write_partial(&scenario, &text, &result, shard, &args.outputs.out)
            .map_err(|e| Failure::Other(e.to_string()))?;
        if !args.outputs.quiet {
            println!(
                "shard {}/{}: replications {} to {} of {} in {:.2} s, written to {}",
                shard.index,
                shard.count,
                result.held.start,
                result.held.end.saturating_sub(1),
                result.replications,
                result.wall_seconds,
                folder.display()
            );
        }
        return Ok(());
    }
    report(&scenario, &result, &args.outputs)
}

fn solve(args: SolveArgs) -> Result<(), Failure> {
    use staffcast::solve::{self, SolveError, SolveOptions};
    let destinations = [
        unwritable("--csv", args.csv.as_deref(), false),
        unwritable("--chart", args.chart.as_deref(), false),
    ];
    let (_, text) = load_for(args.file.as_deref(), destinations)?;
    let bar = searching();
    let file = args
        .file
        .clone()
        .unwrap_or_else(|| PathBuf::from(scenario::DEFAULT_SCENARIO_FILE));
    let (low, high, integer) = args.range;
    let options = SolveOptions {
        target: args.target,
        lever: args.lever,
        low,
        high,
        integer,
        confidence: args.confidence,
        replications: args.control.replications,
        seed: args.control.seed,
        threads: args.control.threads(),
        progress: Some(counts(&bar)),
    };
    let solution = solve::solve(&text, &file, &options).map_err(|e| match e {
        SolveError::Run(RunError::Ledger { .. } | RunError::Threads { .. }) => {
            Failure::Other(e.to_string())
        }
        SolveError::Lever { .. } => Failure::BadInput(format!("error: {e}")),
        other => Failure::BadInput(format!("error: {other}")),
    })?;
    bar.finish_and_clear();
    if let Some(path) = &args.csv {
        std::fs::write(path, solve::curve_csv(&solution))
            .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
    }
    if let Some(path) = &args.chart {
        output::charts::lever_curve(&solution, path).map_err(|e| Failure::Other(e.to_string()))?;
    }
    print!("{}", solve::render(&solution));
    Ok(())
}

fn sensitivity(args: SensitivityArgs) -> Result<(), Failure> {
    use staffcast::sensitivity::{self, SensitivityError, SensitivityOptions};
    let chart = unwritable("--chart", args.chart.as_deref(), false);
    let (scenario, _) = load_for(args.file.as_deref(), [chart])?;
    let bar = searching();
    let options = SensitivityOptions {
        metric: args.metric,
        at: args.at,
        replications: args.control.replications,
        seed: args.control.seed,
        threads: args.control.threads(),
        low: 0.1,
        high: 0.9,
        progress: Some(counts(&bar)),
    };
    let failure = |e: SensitivityError| match e {
        SensitivityError::Run(RunError::Ledger { .. } | RunError::Threads { .. }) => {
            Failure::Other(e.to_string())
        }
        other => Failure::BadInput(format!("error: {other}")),
    };
    // Each method's own options, refused with the other rather than ignored.
    match (args.method.as_str(), &args.chart, args.samples) {
        ("sobol", Some(_), _) => {
            return Err(Failure::BadInput(
                "error: --chart draws the one-at-a-time tornado; --method sobol prints its table"
                    .into(),
            ));
        }
        ("oat", _, Some(_)) => {
            return Err(Failure::BadInput(
                "error: --samples goes with --method sobol".into(),
            ));
        }
        ("sobol", _, _) if args.control.replications.is_some() => {
            return Err(Failure::BadInput(
                "error: --replications sizes the one-at-a-time tornado; --method sobol runs one \
                 replication per model run, as many as --samples asks"
                    .into(),
            ));
        }
        _ => {}
    }
    if args.method == "sobol" {
        let samples = args.samples.unwrap_or(1024) as usize;
        let table = sensitivity::sobol(&scenario, &options, samples).map_err(failure)?;
        bar.finish_and_clear();
        print!("{}", sensitivity::render_sobol(&table));
        return Ok(());
    }
    let tornado = sensitivity::sensitivity(&scenario, &options).map_err(failure)?;
    bar.finish_and_clear();
    if let Some(path) = &args.chart {
        output::charts::tornado(&tornado, path).map_err(|e| Failure::Other(e.to_string()))?;
    }
    print!(
        "{}",
        sensitivity::render(&tornado, options.low, options.high)
    );
    Ok(())
}

fn merge(args: MergeArgs) -> Result<(), Failure> {
    if let Some(problem) = unwritable("--out", Some(&args.outputs.out), true) {
        return Err(Failure::BadInput(problem));
    }
    let partials = args
        .partials
        .iter()
        .map(|dir| shard::read_partial(dir))
        .collect::<Result<Vec<_>, _>>()
        .and_then(shard::check)
        .map_err(|e| Failure::BadInput(format!("error: {e}")))?;
    let (scenario, _) =
        shard::scenario_of(&partials).map_err(|e| Failure::BadInput(format!("error: {e}")))?;
    let result =
        shard::merge(&scenario, partials).map_err(|e| Failure::BadInput(format!("error: {e}")))?;
    report(&scenario, &result, &args.outputs)
}

/// Writes the outputs of a whole run and tells the user.
fn report(scenario: &Scenario, result: &runner::RunResult, how: &Outputs) -> Result<(), Failure> {
    let digest = output::digest(result);
    let folder = output::write(
        scenario,
        result,
        &digest,
        &how.out,
        &OutputOptions {
            raw: how.raw,
            hr_extract: how.hr_extract,
        },
    )
    .map_err(|e| Failure::Other(e.to_string()))?;
    if how.json {
        let manifest = std::fs::read_to_string(folder.join("manifest.json"))
            .map_err(|e| Failure::Other(format!("cannot read the manifest: {e}")))?;
        print!("{manifest}");
        return Ok(());
    }
    if how.quiet {
        return Ok(());
    }
    for (run, summaries) in result.variants.iter().zip(&digest.targets) {
        for (target, s) in run.variant.model.targets.iter().zip(summaries) {
            println!(
                "{:<24} {:<36} P(met) = {:5.1}% (95% CI {:.1}% to {:.1}%)",
                run.variant.name,
                target.name,
                100.0 * s.probability,
                100.0 * s.ci_low,
                100.0 * s.ci_high
            );
        }
    }
    println!(
        "{} x {} in {:.2} s; read {} first (charts in {})",
        output::count_of(result.replications as usize, "replication"),
        output::count_of(result.variants.len(), "variant"),
        result.wall_seconds,
        folder.join("summary.md").display(),
        folder.join("report.html").display()
    );
    Ok(())
}

/// A progress bar on stderr: replications done, rate and time left. Hidden when
/// stderr is not a terminal (so CI logs stay clean) and with --quiet or --json.
fn progress_bar(args: &RunArgs, scenario: &Scenario) -> indicatif::ProgressBar {
    let all = match args.precision {
        Some(_) => args.max_replications,
        None => args.control.replications.unwrap_or(scenario.replications),
    };
    let total = args
        .shard
        .map_or(u64::from(all), |s| s.replications(all).len() as u64);
    if args.outputs.quiet || args.outputs.json {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr(),
    );
    let style = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} replications, {rate}, {eta} left",
    )
    .expect("the template is valid")
    .with_key("rate", whole_rate);
    bar.set_style(style);
    bar
}

/// For the searches (`solve`, `breakeven`, `sensitivity`), whose replications
/// are not known ahead: a count of those run, the rate and the time taken, on
/// stderr, hidden when stderr is not a terminal. Cleared when it is dropped.
fn searching() -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} {pos} replications run, {rate}, {elapsed}",
    )
    .expect("the template is valid")
    .with_key("rate", whole_rate);
    bar.set_style(style);
    bar.with_finish(indicatif::ProgressFinish::AndClear)
}

/// Replications a second, whole ("8462/s", where indicatif's own shows four
/// decimals).
fn whole_rate(state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
    let _ = write!(w, "{:.0}/s", state.per_sec());
}

/// The engine's progress callback, moving `bar` a replication at a time.
fn counts(bar: &indicatif::ProgressBar) -> runner::Progress {
    let bar = bar.clone();
    runner::Progress(std::sync::Arc::new(move || bar.inc(1)))
}

fn breakeven(args: BreakevenArgs) -> Result<(), Failure> {
    use staffcast::breakeven::{self, BreakevenError, BreakevenOptions};
    let csv = unwritable("--csv", args.csv.as_deref(), false);
    let (scenario, _) = load_for(args.file.as_deref(), [csv])?;
    let bar = searching();
    let options = BreakevenOptions {
        variant: args.variant,
        replications: args.control.replications,
        seed: args.control.seed,
        threads: args.control.threads(),
        lowest_multiplier: args.lowest,
        progress: Some(counts(&bar)),
        ..BreakevenOptions::new(&args.payment)
    };
    let result = breakeven::breakeven(&scenario, &options).map_err(|e| match e {
        BreakevenError::Run(RunError::Ledger { .. } | RunError::Threads { .. }) => {
            Failure::Other(e.to_string())
        }
        other => Failure::BadInput(format!("error: {other}")),
    })?;
    bar.finish_and_clear();
    if let Some(path) = &args.csv {
        std::fs::write(path, breakeven::curve_csv(&result))
            .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
    }
    print!("{}", breakeven::render(&result));
    Ok(())
}

fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut report = Vec::new();
    for file in files {
        match scenario::load(file) {
            Ok(s) => {
                println!(
                    "{}: ok ({} besides the base)",
                    file.display(),
                    output::count_of(s.variants.len() - 1, "variant")
                );
                // What each variant sets, to check that it changes what was meant.
                for v in &s.variants[1..] {
                    println!("  {}: {}", v.name, v.about());
                }
            }
            Err(e) => report.push(e.to_string()),
        }
    }
    if report.is_empty() {
        Ok(())
    } else {
        Err(Failure::BadInput(report.join("\n")))
    }
}

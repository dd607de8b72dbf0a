//! The command line of `calibrate` and `backtest`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use staffcast::calendar::Month;
use staffcast::calibrate::dfe::{AreaQuery, Indicators};
use staffcast::calibrate::hr::{Extract, Mapping};
use staffcast::calibrate::{DataError, backtest, from_dfe, from_hr};
use staffcast::runner::RunOptions;

use crate::{Failure, RunControl};

#[derive(Subcommand)]
pub enum Calibrate {
    /// A scenario for an authority, region or England from the DfE's workforce indicators.
    Dfe(DfeArgs),
    /// Leaving rates with intervals and the workforce in post from a council's HR extract.
    Hr(HrArgs),
}

#[derive(Subcommand)]
pub enum Backtest {
    /// Calibrate on some years of the DfE indicators and compare the forecast with the years after.
    Dfe(BacktestArgs),
    /// The same backtest for every local authority in the file, and how often the published
    /// figures fall inside the model's 90% band.
    EveryLa(BacktestRun),
}

/// Which area of the DfE file.
#[derive(Args)]
#[group(required = true, multiple = false)]
pub struct AreaArgs {
    /// A local authority: its name (forgivingly matched) or its old or new code.
    #[arg(long, value_name = "NAME")]
    la: Option<String>,
    /// England as a whole.
    #[arg(long)]
    national: bool,
    /// A region, by name or code.
    #[arg(long, value_name = "NAME")]
    region: Option<String>,
}

impl AreaArgs {
    fn query(&self) -> AreaQuery {
        match (&self.la, &self.region) {
            (Some(la), _) => AreaQuery::LocalAuthority(la.clone()),
            (_, Some(region)) => AreaQuery::Region(region.clone()),
            _ => AreaQuery::National,
        }
    }
}

#[derive(Args)]
pub struct DfeArgs {
    /// The DfE indicators CSV (csww_indicators_*.csv).
    file: PathBuf,
    #[command(flatten)]
    area: AreaArgs,
    /// Reporting years to fit, e.g. 2017-2019 (default: the latest three).
    #[arg(long, value_name = "YYYY-YYYY", value_parser = from_dfe::parse_years)]
    years: Option<std::ops::RangeInclusive<u32>>,
    /// Months the scenario runs.
    #[arg(long, value_name = "N", default_value_t = 36, value_parser = clap::value_parser!(u32).range(1..=1200))]
    horizon_months: u32,
    /// Write each rate's central value only, without its spread across the
    /// years: runs then carry only the model's own chance, and their 90%
    /// bands hold far fewer of the published figures (76% against 90% across
    /// England).
    #[arg(long)]
    point: bool,
    /// Distributions are the default; kept so that older commands still run.
    #[arg(long, hide = true, conflicts_with = "point")]
    uncertain: bool,
    /// Write the scenario here (default: print it).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct HrArgs {
    /// The HR extract CSV: one row per employment spell.
    file: PathBuf,
    /// The extract's date (YYYY-MM): spells are followed to the end of the month before.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    as_of: Month,
    /// The first month followed (default: three years before --as-of).
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    from: Option<Month>,
    /// Length-of-service bands' lower bounds in years.
    #[arg(
        long,
        value_name = "YEARS",
        value_delimiter = ',',
        default_value = "0,1,3,5,10"
    )]
    bands: Vec<f64>,
    /// A header file mapping the extract's columns, grades and contract values (TOML).
    #[arg(long, value_name = "FILE")]
    columns: Option<PathBuf>,
    /// Map one field to the extract's header, e.g. --column person_id="Emp No"; repeatable.
    #[arg(long = "column", value_name = "FIELD=HEADER")]
    column: Vec<String>,
    /// The scenario's grades in career order; any other grade in the extract is an error.
    #[arg(long, value_name = "GRADES", value_delimiter = ',')]
    grades: Vec<String>,
    /// Write each leaving hazard's estimate only, not as a beta distribution
    /// with the estimate's uncertainty.
    #[arg(long)]
    point: bool,
    /// Distributions are the default; kept so that older commands still run.
    #[arg(long, hide = true, conflicts_with = "point")]
    uncertain: bool,
    /// Write the fragment here (default: print it).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct BacktestArgs {
    #[command(flatten)]
    run: BacktestRun,
    #[command(flatten)]
    area: AreaArgs,
}

/// What every backtest takes: the file, the years and the run.
#[derive(Args)]
pub struct BacktestRun {
    /// The DfE indicators CSV.
    file: PathBuf,
    /// Reporting years to fit, e.g. 2017-2019.
    #[arg(long, value_name = "YYYY-YYYY", value_parser = from_dfe::parse_years)]
    fit: std::ops::RangeInclusive<u32>,
    /// The last reporting year forecast.
    #[arg(long, value_name = "YYYY")]
    to: u32,
    #[command(flatten)]
    control: RunControl,
    /// Folder for results; they go to DIR/backtest-<area or every-la>-fit-<years>/.
    #[arg(long, value_name = "DIR", default_value = "out")]
    out: PathBuf,
}

impl BacktestRun {
    /// The indicators, the run's options and the request for `area`, once
    /// `--out` is known to be writable.
    fn start(
        &self,
        area: AreaQuery,
    ) -> Result<(Indicators, RunOptions, backtest::Request), Failure> {
        if let Some(problem) = crate::unwritable("--out", Some(&self.out), true) {
            return Err(Failure::BadInput(problem));
        }
        let indicators = Indicators::load(&self.file).map_err(bad_data)?;
        let options = RunOptions {
            replications: self.control.replications,
            seed: self.control.seed,
            threads: self.control.threads(),
            ..Default::default()
        };
        let request = backtest::Request {
            area,
            fit: self.fit.clone(),
            to: self.to,
            replications: self.control.replications.unwrap_or(1000),
        };
        Ok((indicators, options, request))
    }

    /// An error of the run, naming the file.
    fn failed(&self, e: String) -> Failure {
        Failure::BadInput(format!("error: {}: {e}", self.file.display()))
    }
}

fn parse_month(text: &str) -> Result<Month, String> {
    Month::parse(text).ok_or_else(|| format!("`{text}` is not a month (YYYY-MM)"))
}

fn bad_data(e: DataError) -> Failure {
    Failure::BadInput(e.to_string())
}

/// Writes text whole (a temporary file renamed), or prints it.
fn deliver(text: &str, out: Option<&Path>) -> Result<(), Failure> {
    let Some(path) = out else {
        print!("{text}");
        return Ok(());
    };
    let tmp = path.with_extension(format!("partial-{}", std::process::id()));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Failure::Other(format!("{}: cannot write: {e}", path.display()))
        })?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn print_notes(notes: &[String]) {
    for n in notes {
        eprintln!("note: {n}");
    }
}

pub fn calibrate(command: Calibrate) -> Result<(), Failure> {
    match command {
        Calibrate::Dfe(args) => dfe(args),
        Calibrate::Hr(args) => hr(args),
    }
}

fn dfe(args: DfeArgs) -> Result<(), Failure> {
    let indicators = Indicators::load(&args.file).map_err(bad_data)?;
    let calibrated = from_dfe::calibrate(
        &indicators,
        &from_dfe::Request {
            area: args.area.query(),
            years: args.years,
            horizon_months: args.horizon_months,
            replications: 1000,
            uncertain: !args.point,
        },
    )
    .map_err(|e| Failure::BadInput(format!("error: {}: {e}", args.file.display())))?;
    print_notes(&calibrated.notes);
    deliver(&calibrated.text, args.out.as_deref())
}

fn hr(args: HrArgs) -> Result<(), Failure> {
    let mut mapping = match &args.columns {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::BadInput(format!("error: {}: cannot read: {e}", path.display()))
            })?;
            Mapping::parse(&text, path).map_err(bad_data)?
        }
        None => Mapping::default(),
    };
    // Each overrides the header file; two for one field would leave one unread.
    let mut given = Vec::new();
    for assignment in &args.column {
        let field = assignment.split_once('=').map_or("", |(f, _)| f.trim());
        if given.contains(&field) {
            return Err(Failure::BadInput(format!(
                "error: --column `{field}` given twice; give each field once"
            )));
        }
        given.push(field);
        mapping
            .set_column(assignment)
            .map_err(|e| Failure::BadInput(format!("error: {e}")))?;
    }
    if let Some(name) = args
        .grades
        .iter()
        .find(|g| !staffcast::scenario::compile::is_plain_name(g))
    {
        return Err(Failure::BadInput(format!(
            "error: --grades `{name}`: a scenario's grade is named with letters, digits, `_` and `-`"
        )));
    }
    if !args.grades.is_empty() {
        mapping.known_grades = Some(args.grades.clone());
    }
    let extract = Extract::load(&args.file, &mapping).map_err(bad_data)?;
    let file = args
        .file
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    let calibrated = from_hr::calibrate(
        &extract,
        &from_hr::Request {
            as_of: args.as_of,
            from: args.from,
            bands_years: args.bands,
            uncertain: !args.point,
        },
        &file,
    )
    .map_err(|e| Failure::BadInput(format!("error: {e}")))?;
    print_notes(&calibrated.notes);
    deliver(&calibrated.text, args.out.as_deref())
}

pub fn backtest(command: Backtest) -> Result<(), Failure> {
    let BacktestArgs { run: args, area } = match command {
        Backtest::Dfe(args) => args,
        Backtest::EveryLa(args) => return every_la(args),
    };
    let (indicators, options, request) = args.start(area.query())?;
    let result = backtest::run(&indicators, &request, &options).map_err(|e| args.failed(e))?;
    print_notes(&result.calibrated.notes);
    let name = format!(
        "backtest-{}",
        result.calibrated.scenario.name.replace("-dfe-", "-fit-")
    );
    let folder = staffcast::output::write_whole(&args.out, &name, |dir| {
        staffcast::output::write_text(&dir.join("backtest.csv"), &backtest::csv(&result.lines))?;
        staffcast::output::write_text(&dir.join("scenario.toml"), &result.calibrated.text)?;
        staffcast::output::charts::backtest(&result, &dir.join("backtest"))
    })
    .map_err(|e| Failure::Other(e.to_string()))?;
    println!(
        "{} fitted on {}-{}, forecast from October {} to September {}:\n",
        result.calibrated.area_name,
        args.fit.start(),
        args.fit.end(),
        args.fit.end(),
        args.to
    );
    print!("{}", backtest::table(&result.lines));
    let coverage = backtest::Coverage::of(&result.lines);
    let (outside, published) = (coverage.below + coverage.above, coverage.published);
    let typical = if coverage.compared > 0 {
        format!(
            "; the model's median is typically {:.0}% off the published figure",
            100.0 * coverage.typical_error()
        )
    } else {
        String::new()
    };
    let unpublished = match result.lines.len() - published {
        0 => String::new(),
        n => format!(
            " ({n} of the {} lines {} no published figure)",
            result.lines.len(),
            if n == 1 { "has" } else { "have" }
        ),
    };
    println!(
        "\n{outside} of {published} published figures {} outside the model's 90% band{unpublished}{typical}. Results: {}",
        if outside == 1 { "falls" } else { "fall" },
        folder.display()
    );
    Ok(())
}

fn every_la(args: BacktestRun) -> Result<(), Failure> {
    // Each authority in turn: the request's own area is not read.
    let (indicators, options, request) = args.start(AreaQuery::National)?;
    let every = backtest::every_local_authority(&indicators, &request, &options)
        .map_err(|e| args.failed(e))?;
    for skipped in &every.skipped {
        eprintln!("note: left out {skipped}");
    }
    let coverage = backtest::coverage(&every);
    let name = format!(
        "backtest-every-la-fit-{}-{}",
        args.fit.start(),
        args.fit.end()
    );
    let folder = staffcast::output::write_whole(&args.out, &name, |dir| {
        staffcast::output::write_text(&dir.join("lines.csv"), &backtest::every_csv(&every))?;
        staffcast::output::write_text(
            &dir.join("coverage.csv"),
            &backtest::coverage_csv(&coverage),
        )
    })
    .map_err(|e| Failure::Other(e.to_string()))?;
    println!(
        "{} local authorities fitted on {}-{}, each forecast from October {} to September {} \
         ({} left out, listed on stderr):\n",
        every.areas.len(),
        args.fit.start(),
        args.fit.end(),
        args.fit.end(),
        args.to,
        every.skipped.len()
    );
    print!("{}", backtest::coverage_table(&coverage));
    println!(
        "\nA well-calibrated model has about 90% inside its 90% band. Results: {}",
        folder.display()
    );
    Ok(())
}

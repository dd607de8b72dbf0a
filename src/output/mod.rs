//! Results on disk: tables, the summary and the manifest, written to a
//! temporary folder and renamed into place, so a failed run leaves nothing
//! half-written.

mod cells;
pub mod charts;
pub(crate) mod finance;
mod manifest;
mod report;
mod summary;
mod tables;
mod workbook;

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::Scenario;
use crate::runner::RunResult;

pub use cells::Cells;
pub use finance::money;
pub use summary::{Digest, digest, target_summaries};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Table {
        path: PathBuf,
        source: polars::error::PolarsError,
    },
    #[error("cannot write {}: {source}", path.display())]
    Workbook {
        path: PathBuf,
        source: rust_xlsxwriter::XlsxError,
    },
    #[error("cannot draw {}: {reason}", path.display())]
    Chart { path: PathBuf, reason: String },
    #[error("the simulation failed: {0}")]
    Engine(String),
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What to write besides the standard files.
#[derive(Clone, Debug, Default)]
pub struct OutputOptions {
    /// Also write every replication's monthly series (`raw.parquet`).
    pub raw: bool,
    /// Also write the base case's first replication as an HR extract (`hr-extract.csv`).
    pub hr_extract: bool,
}

/// Checks, before any work, that the folder `dir` is there or can be made,
/// and that it can be written in, so that a long run does not end in
/// "cannot write". Leaves nothing behind. The reason it cannot, if not.
pub fn check_folder(dir: &Path) -> Result<(), String> {
    let mut there = dir;
    while !there.exists() {
        there = match there.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
    }
    if !there.is_dir() {
        return Err(format!("{} is a file, not a folder", there.display()));
    }
    let probe = there.join(format!(".staffcast-probe-{}", std::process::id()));
    fs::File::create(&probe).map_err(|e| format!("cannot write in {}: {e}", there.display()))?;
    let _ = fs::remove_file(&probe);
    Ok(())
}

/// [`check_folder`] for the folder of the file `path`, which must not itself
/// be a folder.
pub fn check_file(path: &Path) -> Result<(), String> {
    if path.is_dir() {
        return Err(format!("{} is a folder, not a file", path.display()));
    }
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => check_folder(p),
        _ => check_folder(Path::new(".")),
    }
}

/// `n` and the noun, plural unless `n` is 1: "1 variant", "1,000 replications".
pub fn count_of(n: usize, noun: &str) -> String {
    format!(
        "{} {noun}{}",
        grouped(n as u64),
        if n == 1 { "" } else { "s" }
    )
}

/// A whole number with its thousands set apart: "1,038,087".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// " (N months)" after a year's label when the horizon holds only part of
/// it; nothing for a whole year.
pub(crate) fn months_held(months: usize) -> String {
    match months {
        12.. => String::new(),
        n => format!(" ({})", count_of(n, "month")),
    }
}

/// Writes every output of a run, from its `digest` (made once by the
/// caller, who may want it too), into `out_dir/<scenario name>/`, replacing
/// any earlier results there whole. Returns that folder.
pub fn write(
    scenario: &Scenario,
    result: &RunResult,
    digest: &Digest,
    out_dir: &Path,
    options: &OutputOptions,
) -> Result<PathBuf, OutputError> {
    write_whole(out_dir, &scenario.name, |dir| {
        write_files(scenario, result, digest, dir, options)
    })
}

/// Fills a folder `out_dir/name` by `fill` in a temporary folder beside it,
/// then renames it into place, replacing any earlier one whole.
pub fn write_whole(
    out_dir: &Path,
    name: &str,
    fill: impl FnOnce(&Path) -> Result<(), OutputError>,
) -> Result<PathBuf, OutputError> {
    fs::create_dir_all(out_dir).map_err(io(out_dir))?;
    sweep_stale(out_dir, name);
    let target = out_dir.join(name);
    let partial = out_dir.join(format!(".{name}.partial-{}", std::process::id()));
    if partial.exists() {
        fs::remove_dir_all(&partial).map_err(io(&partial))?;
    }
    fs::create_dir(&partial).map_err(io(&partial))?;
    if let Err(e) = fill(&partial) {
        let _ = fs::remove_dir_all(&partial);
        return Err(e);
    }
    replace_dir(&partial, &target)?;
    Ok(target)
}

fn write_files(
    scenario: &Scenario,
    result: &RunResult,
    digest: &Digest,
    dir: &Path,
    options: &OutputOptions,
) -> Result<(), OutputError> {
    tables::write_quantiles(result, digest, dir)?;
    tables::write_targets(result, digest, dir)?;
    if scenario.variants[0].model.finance.is_some() {
        tables::write_costs(result, digest, dir)?;
        workbook::write(scenario, result, digest, dir)?;
    }
    if result.variants.len() > 1 {
        tables::write_compare(result, digest, dir)?;
    }
    if options.raw {
        tables::write_raw(result, dir)?;
    }
    if options.hr_extract {
        let extract =
            crate::calibrate::extract::simulate(&scenario.variants[0].model, result.seed, 0)
                .map_err(OutputError::Engine)?;
        write_text(&dir.join("hr-extract.csv"), &extract)?;
    }
    let summary = summary::render(scenario, result, digest);
    write_text(&dir.join("summary.md"), &summary)?;
    let charts = charts::write(result, digest, dir)?;
    write_text(
        &dir.join("report.html"),
        &report::render(scenario, &summary, &charts, dir)?,
    )?;
    write_text(
        &dir.join("manifest.json"),
        &manifest::render(scenario, result, dir),
    )?;
    Ok(())
}

/// Writes a file whole: to a temporary name, then renamed.
pub fn write_text(path: &Path, text: &str) -> Result<(), OutputError> {
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, text).map_err(io(&tmp))?;
    fs::rename(&tmp, path).map_err(io(path))
}

/// Removes what runs that were killed left beside `name`: their temporary
/// folders (`.name.partial-PID`, `.name.previous-PID`) whose process is gone.
/// If a run died between moving old results aside and moving new ones in,
/// the old ones are put back first.
fn sweep_stale(out_dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(out_dir) else {
        return;
    };
    let target = out_dir.join(name);
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let Some((kind, pid)) = rest.split_once('-') else {
            continue;
        };
        let alive = Path::new("/proc").join(pid).exists();
        if alive || !matches!(kind, "partial" | "previous") {
            continue;
        }
        let path = entry.path();
        if kind == "previous" && !target.exists() {
            let _ = fs::rename(&path, &target);
        } else {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Puts `new` where `target` is, moving any old results aside first and
/// deleting them only once the new ones are in place.
fn replace_dir(new: &Path, target: &Path) -> Result<(), OutputError> {
    if !target.exists() {
        return fs::rename(new, target).map_err(io(target));
    }
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let old = target.with_file_name(format!(".{name}.previous-{}", std::process::id()));
    fs::rename(target, &old).map_err(io(target))?;
    if let Err(e) = fs::rename(new, target) {
        let _ = fs::rename(&old, target);
        return Err(OutputError::Io {
            path: target.to_path_buf(),
            source: e,
        });
    }
    fs::remove_dir_all(&old).map_err(io(&old))
}

#[cfg(test)]
mod tests {
    use super::{count_of, months_held};

    #[test]
    fn one_of_a_thing_is_singular_and_any_other_count_plural() {
        assert_eq!(count_of(1, "replication"), "1 replication");
        assert_eq!(count_of(0, "variant"), "0 variants");
        assert_eq!(count_of(1000, "replication"), "1,000 replications");
        assert_eq!(count_of(12, "month"), "12 months");
        assert_eq!(super::grouped(1_038_087), "1,038,087");
        assert_eq!(super::grouped(100), "100");
    }

    #[test]
    fn a_part_year_says_its_months_and_a_whole_one_nothing() {
        assert_eq!(months_held(12), "");
        assert_eq!(months_held(1), " (1 month)");
        assert_eq!(months_held(9), " (9 months)");
    }
}

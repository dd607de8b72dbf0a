//! manifest.json: what was run, with what, and how fast.

use serde::Serialize;

use std::path::Path;

use crate::model::Scenario;
use crate::runner::RunResult;

#[derive(Serialize)]
struct Manifest<'a> {
    staffcast_version: &'static str,
    scenario: &'a str,
    scenario_sha256: &'a str,
    seed: u64,
    replications: u32,
    variants: Vec<&'a str>,
    /// The key paths each variant (not the base) sets over the base.
    variant_changes: std::collections::BTreeMap<&'a str, &'a [String]>,
    start: String,
    horizon_months: u32,
    threads: usize,
    wall_seconds: f64,
    person_months: u64,
    person_months_per_second: f64,
    /// With `run --precision`: what was asked and reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: Option<&'a crate::runner::PrecisionReached>,
    /// Every file of the results, in path order.
    files: Vec<String>,
}

/// The manifest of results written into `dir` (listed as they are, plus
/// the manifest itself).
pub fn render(scenario: &Scenario, result: &RunResult, dir: &Path) -> String {
    let base = &result.variants[0].variant.model;
    let mut files = vec!["manifest.json".to_string()];
    list_files(dir, Path::new(""), &mut files);
    files.sort();
    let manifest = Manifest {
        staffcast_version: env!("CARGO_PKG_VERSION"),
        scenario: &scenario.name,
        scenario_sha256: &scenario.content_hash,
        seed: result.seed,
        replications: result.replications,
        variants: result.variant_names(),
        variant_changes: (result.variants.iter())
            .filter_map(|r| Some((r.variant.name.as_str(), r.variant.changes.as_deref()?)))
            .collect(),
        start: base.start.to_string(),
        horizon_months: base.horizon_months,
        threads: result.threads,
        wall_seconds: result.wall_seconds,
        person_months: result.person_months,
        person_months_per_second: result.person_months as f64 / result.wall_seconds.max(1e-9),
        precision: result.precision.as_ref(),
        files,
    };
    serde_json::to_string_pretty(&manifest).expect("a manifest of plain values serializes") + "\n"
}

fn list_files(dir: &Path, prefix: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = prefix.join(entry.file_name());
        if path.is_dir() {
            list_files(&path, &name, files);
        } else if path.extension().is_none_or(|e| e != "tmp") {
            files.push(name.to_string_lossy().into_owned());
        }
    }
}

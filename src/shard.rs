//! Runs split across machines: a shard writes the outcomes of its slice of
//! replications as a partial result; merging the partials rebuilds the run
//! exactly, so its outputs are the ones a single run would have written.
//!
//! A partial is a folder `<scenario>.shard-<i>-of-<n>` holding `partial.json`
//! (what was run, with the scenario text itself) and `outcomes.bin` (for each
//! variant, for each replication of the slice in order: person-months as a
//! little-endian u64, then the monthly record, months x metrics
//! row-major, as little-endian f64s).

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Scenario;
use crate::outcome::Outcome;
use crate::output::{OutputError, io, write_whole};
use crate::runner::{RunResult, Shard, VariantRun, select};

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Header {
    staffcast_version: String,
    scenario: String,
    scenario_sha256: String,
    /// The scenario file's text, so that a merge needs nothing else.
    scenario_text: String,
    seed: u64,
    replications: u32,
    shard: u32,
    shards: u32,
    first_replication: u32,
    held: u32,
    variants: Vec<String>,
    /// Each variant's months and metrics: a replication's record holds
    /// months x metrics values.
    months: Vec<usize>,
    metrics: Vec<usize>,
    threads: usize,
    wall_seconds: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("cannot read {}: {reason}", path.display())]
    Unreadable { path: PathBuf, reason: String },
    #[error("{}: {reason}", path.display())]
    Mismatch { path: PathBuf, reason: String },
    #[error("the partials do not make a whole run: {0}")]
    Incomplete(String),
    #[error("the scenario stored in {}: {reason}", path.display())]
    Scenario { path: PathBuf, reason: String },
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// The folder a shard's partial goes to.
pub fn folder_name(scenario: &str, shard: Shard) -> String {
    format!("{scenario}.shard-{}-of-{}", shard.index, shard.count)
}

/// Writes one shard's partial result into `out_dir`, whole or not at all.
pub fn write_partial(
    scenario: &Scenario,
    scenario_text: &str,
    result: &RunResult,
    shard: Shard,
    out_dir: &Path,
) -> Result<PathBuf, OutputError> {
    let header = Header {
        staffcast_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scenario.name.clone(),
        scenario_sha256: scenario.content_hash.clone(),
        scenario_text: scenario_text.to_string(),
        seed: result.seed,
        replications: result.replications,
        shard: shard.index,
        shards: shard.count,
        first_replication: result.held.start,
        held: result.held.len() as u32,
        variants: result
            .variants
            .iter()
            .map(|r| r.variant.name.clone())
            .collect(),
        months: result
            .variants
            .iter()
            .map(|r| r.variant.model.horizon())
            .collect(),
        metrics: result
            .variants
            .iter()
            .map(|r| r.variant.model.catalogue.len())
            .collect(),
        threads: result.threads,
        wall_seconds: result.wall_seconds,
    };
    write_whole(out_dir, &folder_name(&scenario.name, shard), |dir| {
        let json = serde_json::to_string_pretty(&header).expect("plain values serialize");
        let path = dir.join("partial.json");
        fs::write(&path, json).map_err(io(&path))?;
        let path = dir.join("outcomes.bin");
        write_outcomes(result, &path).map_err(io(&path))
    })
}

/// Each replication's people-months then its record, variant by variant.
fn write_outcomes(result: &RunResult, path: &Path) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(fs::File::create(path)?);
    for run in &result.variants {
        for outcome in &run.outcomes {
            file.write_all(&outcome.person_months.to_le_bytes())?;
            for v in outcome.record() {
                file.write_all(&v.to_le_bytes())?;
            }
        }
    }
    file.flush()
}

/// A partial's header, read back; its outcomes are read by [`merge`].
pub struct Partial {
    path: PathBuf,
    header: Header,
}

pub fn read_partial(dir: &Path) -> Result<Partial, MergeError> {
    let path = dir.join("partial.json");
    let text = fs::read_to_string(&path).map_err(|e| unreadable(&path, e.to_string()))?;
    let header: Header =
        serde_json::from_str(&text).map_err(|e| unreadable(&path, e.to_string()))?;
    if header.months.len() != header.variants.len() || header.metrics.len() != header.variants.len()
    {
        return Err(unreadable(
            &path,
            "months and metrics must be given for each variant".to_string(),
        ));
    }
    let path = dir.join("outcomes.bin");
    let bytes = fs::metadata(&path)
        .map_err(|e| unreadable(&path, e.to_string()))?
        .len();
    let expected: u64 = header
        .months
        .iter()
        .zip(&header.metrics)
        .map(|(&months, &metrics)| {
            // Saturating, so that absurd figures in a damaged header are a
            // size mismatch rather than an overflow.
            let values = (months as u64).saturating_mul(metrics as u64);
            u64::from(header.held).saturating_mul(values.saturating_mul(8).saturating_add(8))
        })
        .fold(0, u64::saturating_add);
    if bytes != expected {
        return Err(unreadable(
            &path,
            format!("{bytes} bytes where partial.json promises {expected}"),
        ));
    }
    Ok(Partial {
        path: dir.to_path_buf(),
        header,
    })
}

fn unreadable(path: &Path, reason: String) -> MergeError {
    MergeError::Unreadable {
        path: path.to_path_buf(),
        reason,
    }
}

/// Reads a partial's outcomes a record at a time (so that a merge holds only
/// the compact records, as a single run does), each variant's after the
/// previous one's, onto the end of `runs`' outcomes.
fn read_outcomes(partial: &Partial, runs: &mut [VariantRun]) -> Result<(), MergeError> {
    let path = partial.path.join("outcomes.bin");
    let file = fs::File::open(&path).map_err(|e| unreadable(&path, e.to_string()))?;
    let mut file = std::io::BufReader::new(file);
    let mut take8 = || -> Result<[u8; 8], MergeError> {
        let mut b = [0u8; 8];
        file.read_exact(&mut b)
            .map_err(|e| unreadable(&path, e.to_string()))?;
        Ok(b)
    };
    let h = &partial.header;
    for ((run, &months), &metrics) in runs.iter_mut().zip(&h.months).zip(&h.metrics) {
        let model = &run.variant.model;
        if (months, metrics) != (model.horizon(), model.catalogue.len()) {
            return Err(MergeError::Mismatch {
                path: partial.path.join("partial.json"),
                reason: format!(
                    "variant `{}` has {months} months x {metrics} metrics, but its scenario gives {} x {}",
                    run.variant.name,
                    model.horizon(),
                    model.catalogue.len()
                ),
            });
        }
        let derivation = model.catalogue.derivation();
        let mut record = vec![0.0; months * metrics];
        for _ in 0..h.held {
            let person_months = u64::from_le_bytes(take8()?);
            for v in record.iter_mut() {
                *v = f64::from_le_bytes(take8()?);
            }
            run.outcomes
                .push(Outcome::new(&record, metrics, derivation, person_months));
        }
    }
    Ok(())
}

/// Checks that the partials are one run's shards, each once, and returns them
/// in shard order.
pub fn check(mut partials: Vec<Partial>) -> Result<Vec<Partial>, MergeError> {
    let Some(first) = partials.first() else {
        return Err(MergeError::Incomplete("no partial given".into()));
    };
    let reference = first.header.clone();
    for p in &partials {
        let h = &p.header;
        let differs = [
            (
                h.scenario_sha256 != reference.scenario_sha256,
                "scenario file",
            ),
            (h.seed != reference.seed, "seed"),
            (h.replications != reference.replications, "replications"),
            (h.shards != reference.shards, "number of shards"),
            (h.variants != reference.variants, "variants"),
            (
                h.staffcast_version != reference.staffcast_version,
                "staffcast version",
            ),
        ];
        if let Some((_, what)) = differs.iter().find(|(d, _)| *d) {
            return Err(MergeError::Mismatch {
                path: p.path.clone(),
                reason: format!(
                    "a different {what} from {}; every shard must come from the same run",
                    first.path.display()
                ),
            });
        }
    }
    partials.sort_by_key(|p| p.header.shard);
    let indices: Vec<u32> = partials.iter().map(|p| p.header.shard).collect();
    let wanted: Vec<u32> = (0..reference.shards).collect();
    if indices != wanted {
        let missing: Vec<String> = wanted
            .iter()
            .filter(|i| !indices.contains(i))
            .map(u32::to_string)
            .collect();
        let repeated = indices.windows(2).any(|w| w[0] == w[1]);
        return Err(MergeError::Incomplete(format!(
            "{} shards expected (0 to {}){}{}",
            reference.shards,
            reference.shards - 1,
            if missing.is_empty() {
                String::new()
            } else {
                format!("; missing: {}", missing.join(", "))
            },
            if repeated {
                "; a shard is given twice"
            } else {
                ""
            }
        )));
    }
    Ok(partials)
}

/// The scenario the partials ran, compiled from the text they carry.
pub fn scenario_of(partials: &[Partial]) -> Result<(Scenario, String), MergeError> {
    let first = &partials[0];
    let file = PathBuf::from(format!("{}.toml", first.header.scenario));
    let scenario = crate::scenario::compile(&first.header.scenario_text, &file).map_err(|e| {
        MergeError::Scenario {
            path: first.path.clone(),
            reason: e.to_string(),
        }
    })?;
    Ok((scenario, first.header.scenario_text.clone()))
}

/// The whole run, rebuilt from its shards in replication order.
pub fn merge<'a>(
    scenario: &'a Scenario,
    partials: Vec<Partial>,
) -> Result<RunResult<'a>, MergeError> {
    let h = &partials[0].header;
    let names: Vec<String> = h.variants.iter().skip(1).cloned().collect();
    let variants = select(scenario, Some(&names)).map_err(|e| MergeError::Scenario {
        path: partials[0].path.clone(),
        reason: e.to_string(),
    })?;
    let (replications, seed) = (h.replications, h.seed);
    let threads = partials.iter().map(|p| p.header.threads).max().unwrap_or(1);
    let wall_seconds = partials.iter().map(|p| p.header.wall_seconds).sum();
    let mut runs: Vec<VariantRun> = variants
        .into_iter()
        .map(|variant| VariantRun {
            variant,
            outcomes: Vec::with_capacity(replications as usize),
        })
        .collect();
    for partial in &partials {
        read_outcomes(partial, &mut runs)?;
    }
    let person_months = runs
        .iter()
        .flat_map(|r| &r.outcomes)
        .map(|o| o.person_months)
        .sum();
    Ok(RunResult {
        variants: runs,
        replications,
        held: 0..replications,
        seed,
        threads,
        wall_seconds,
        person_months,
        precision: None,
    })
}

//! A run split into shards and merged writes what one run writes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn staffcast(args: &[&str], out: &Path) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_staffcast"))
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// `staffcast merge DIRS --out OUT`, expected to fail: its output, whatever it is.
fn attempt_merge(dirs: &[PathBuf], out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_staffcast"))
        .arg("merge")
        .args(dirs)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Every file below `dir`, as paths relative to it.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(
                files(&path)
                    .into_iter()
                    .map(|p| Path::new(path.file_name().unwrap()).join(p)),
            );
        } else {
            found.push(PathBuf::from(path.file_name().unwrap()));
        }
    }
    found.sort();
    found
}

/// The manifest without what depends on how the work was done (threads, time).
fn manifest_without_timing(path: &Path) -> serde_json::Value {
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for key in ["threads", "wall_seconds", "person_months_per_second"] {
        m.as_object_mut().unwrap().remove(key);
    }
    m
}

#[test]
fn three_shards_merged_equal_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (single, parts, merged) = (
        tmp.path().join("single"),
        tmp.path().join("parts"),
        tmp.path().join("merged"),
    );
    let common = ["run", "--replications", "31", "--quiet"];
    // The whole run's extra files come from the merge, not the shards.
    let extras = ["--raw", "--hr-extract"];
    staffcast(&[&common[..], &extras].concat(), &single);
    for i in 0..3 {
        let shard = format!("{i}/3");
        let mut args = common.to_vec();
        args.extend(["--shard", &shard, "--threads", "1"]);
        staffcast(&args, &parts);
    }
    for extra in extras {
        let refused = Command::new(env!("CARGO_BIN_EXE_staffcast"))
            .args(["run", "--shard", "0/3", extra])
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(2), "{extra}");
    }
    let mut merge = vec!["merge".to_string()];
    // Given out of order: the merge puts shards in order.
    for i in [2, 0, 1] {
        merge.push(
            parts
                .join(format!("slough-children-2014.shard-{i}-of-3"))
                .display()
                .to_string(),
        );
    }
    merge.extend(["--raw", "--hr-extract", "--quiet"].map(String::from));
    let merge: Vec<&str> = merge.iter().map(String::as_str).collect();
    staffcast(&merge, &merged);

    let (a, b) = (
        single.join("slough-children-2014"),
        merged.join("slough-children-2014"),
    );
    let listed = files(&a);
    assert_eq!(listed, files(&b));
    assert!(listed.len() > 20, "{listed:?}");
    for file in &listed {
        if file == Path::new("manifest.json") {
            assert_eq!(
                manifest_without_timing(&a.join(file)),
                manifest_without_timing(&b.join(file))
            );
        } else {
            let same = std::fs::read(a.join(file)).unwrap() == std::fs::read(b.join(file)).unwrap();
            assert!(
                same,
                "{} differs between one run and merged shards",
                file.display()
            );
        }
    }
}

#[test]
fn merge_refuses_an_incomplete_or_mixed_set() {
    let tmp = tempfile::tempdir().unwrap();
    let parts = tmp.path().join("parts");
    staffcast(
        &["run", "--replications", "6", "--quiet", "--shard", "0/3"],
        &parts,
    );
    staffcast(
        &[
            "run",
            "--replications",
            "6",
            "--quiet",
            "--shard",
            "1/3",
            "--seed",
            "9",
        ],
        &parts,
    );
    let shard = |i: u32| parts.join(format!("slough-children-2014.shard-{i}-of-3"));
    let attempt = |dirs: &[PathBuf]| attempt_merge(dirs, &tmp.path().join("merged"));
    let missing = attempt(&[shard(0)]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("missing: 1, 2"));
    let mixed = attempt(&[shard(0), shard(1)]);
    assert_eq!(mixed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&mixed.stderr).contains("a different seed"));
    assert!(!tmp.path().join("merged").exists(), "nothing written");
}

/// A run to precision stops at some N; its outputs are those of a fixed run
/// of N replications with the same seed.
#[test]
fn a_run_to_precision_equals_a_fixed_run_of_its_length() {
    let tmp = tempfile::tempdir().unwrap();
    let (precise, fixed) = (tmp.path().join("precise"), tmp.path().join("fixed"));
    staffcast(
        &["run", "--precision", "0.3", "--batch", "15", "--quiet"],
        &precise,
    );
    let folder = precise.join("slough-children-2014");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap())
            .unwrap();
    let n = manifest["precision"]["replications"].as_u64().unwrap();
    assert_eq!(manifest["replications"].as_u64(), Some(n));
    assert!(manifest["precision"]["reached"].as_bool().unwrap());
    assert!(manifest["precision"]["widest_interval"].as_f64().unwrap() <= 0.3);
    assert!(n >= 30 && n % 15 == 0, "{n}");
    staffcast(
        &["run", "--replications", &n.to_string(), "--quiet"],
        &fixed,
    );
    for file in [
        "quantiles.csv",
        "targets.csv",
        "costs.csv",
        "compare.csv",
        "summary.md",
    ] {
        let a = std::fs::read(folder.join(file)).unwrap();
        let b = std::fs::read(fixed.join("slough-children-2014").join(file)).unwrap();
        assert!(a == b, "{file} differs from a fixed run of {n}");
    }
}

/// A damaged partial is a clear error naming its file, with nothing written:
/// an outcomes file cut short, and a header whose shape no longer matches the
/// scenario stored in it.
#[test]
fn a_damaged_partial_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let parts = tmp.path().join("parts");
    staffcast(
        &["run", "--replications", "4", "--quiet", "--shard", "0/1"],
        &parts,
    );
    let shard = parts.join("slough-children-2014.shard-0-of-1");
    let attempt = || attempt_merge(std::slice::from_ref(&shard), &tmp.path().join("merged"));
    let outcomes = shard.join("outcomes.bin");
    let bytes = std::fs::read(&outcomes).unwrap();
    std::fs::write(&outcomes, &bytes[..bytes.len() - 8]).unwrap();
    let short = attempt();
    assert_eq!(short.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&short.stderr);
    assert!(
        stderr.contains("outcomes.bin") && stderr.contains("promises"),
        "{stderr}"
    );

    // One month fewer in every variant's header, and the file cut to match.
    let header_path = shard.join("partial.json");
    let mut header: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&header_path).unwrap()).unwrap();
    let held = header["held"].as_u64().unwrap() as usize;
    let metrics: Vec<usize> = header["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_u64().unwrap() as usize)
        .collect();
    let months = header["months"].as_array_mut().unwrap();
    let mut expected = 0;
    for (m, metrics) in months.iter_mut().zip(&metrics) {
        let fewer = m.as_u64().unwrap() as usize - 1;
        *m = serde_json::json!(fewer);
        expected += held * (8 + 8 * fewer * metrics);
    }
    std::fs::write(&header_path, header.to_string()).unwrap();
    std::fs::write(&outcomes, &bytes[..expected]).unwrap();
    let reshaped = attempt();
    assert_eq!(reshaped.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&reshaped.stderr);
    assert!(
        stderr.contains("partial.json") && stderr.contains("but its scenario gives"),
        "{stderr}"
    );

    // Absurd figures are a size mismatch, not an overflow.
    header["months"][0] = serde_json::json!(1_000_000_000_000_000u64);
    std::fs::write(&header_path, header.to_string()).unwrap();
    let absurd = attempt();
    assert_eq!(absurd.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&absurd.stderr).contains("promises"));
    assert!(!tmp.path().join("merged").exists(), "nothing written");
}

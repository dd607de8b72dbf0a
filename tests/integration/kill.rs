//! A run killed at any moment (SIGKILL) leaves the previous complete results
//! or none, never a partial set; the next run cleans up after it.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn staffcast() -> Command {
    Command::new(env!("CARGO_BIN_EXE_staffcast"))
}

/// The results folder, if present, holds every file its manifest lists.
fn assert_complete_or_absent(folder: &Path, when: &str) {
    if !folder.exists() {
        return;
    }
    let manifest = std::fs::read_to_string(folder.join("manifest.json"))
        .unwrap_or_else(|e| panic!("{when}: a results folder without a readable manifest: {e}"));
    let manifest: serde_json::Value = serde_json::from_str(&manifest)
        .unwrap_or_else(|e| panic!("{when}: manifest.json is not whole: {e}"));
    let files = manifest["files"]
        .as_array()
        .expect("the manifest lists files");
    assert!(files.len() > 20, "{when}: {files:?}");
    for file in files {
        let path = folder.join(file.as_str().unwrap());
        let size = path.metadata().map(|m| m.len()).unwrap_or(0);
        assert!(size > 0, "{when}: {} missing or empty", path.display());
    }
}

#[test]
fn a_killed_run_leaves_complete_results_or_none() {
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("slough-children-2014");
    let args = |seed: u64| {
        let mut c = staffcast();
        c.args(["run", "--replications", "60", "--quiet", "--seed"])
            .arg(seed.to_string())
            .arg("--out")
            .arg(out.path());
        c
    };
    // An uninterrupted run: the previous results, and how long a run takes.
    let clock = Instant::now();
    assert!(args(1).status().unwrap().success());
    let full = clock.elapsed();
    assert_complete_or_absent(&folder, "after a whole run");
    let kills = 8u64;
    for k in 0..kills {
        // Spread the kills over the run, simulation and writing alike.
        let at = full.mul_f64((k as f64 + 0.5) / kills as f64);
        let mut child = args(100 + k).spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        assert_complete_or_absent(&folder, &format!("kill {k} at {at:?}"));
    }
    // A run after the kills succeeds and leaves nothing temporary behind.
    assert!(args(2).status().unwrap().success());
    assert_complete_or_absent(&folder, "after the kills");
    std::thread::sleep(Duration::from_millis(10));
    let leftovers: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, vec!["slough-children-2014".to_string()]);
}

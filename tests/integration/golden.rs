//! Numbers change only on purpose: every bundled scenario's summary, target
//! table and costs, at a small fixed run, are compared exactly with the
//! copies in tests/data/golden/. After a change meant to move the numbers,
//! refresh them with `STAFFCAST_BLESS=1 cargo test golden` and review the diff
//! (`git diff tests/data/golden`) before committing it.

use std::path::Path;

use staffcast::output::{OutputOptions, write};
use staffcast::runner::{RunOptions, run};
use staffcast::scenario::load;

const SCENARIOS: &[&str] = &[
    "slough-children-2014",
    "bradford-adults-2024",
    "bristol-progression",
];
const FILES: &[&str] = &["summary.md", "targets.csv", "costs.csv"];

/// The lines that differ, numbered, for a readable failure.
fn line_diff(expected: &str, got: &str) -> String {
    let (e, g): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), got.lines().collect());
    let mut out = String::new();
    for k in 0..e.len().max(g.len()) {
        let (a, b) = (e.get(k).copied(), g.get(k).copied());
        if a != b {
            out.push_str(&format!(
                "line {}:\n  - {}\n  + {}\n",
                k + 1,
                a.unwrap_or("(none)"),
                b.unwrap_or("(none)")
            ));
            if out.len() > 4000 {
                out.push_str("  ...\n");
                break;
            }
        }
    }
    out
}

#[test]
fn golden_outputs_of_every_bundled_scenario() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("STAFFCAST_BLESS").is_some();
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for name in SCENARIOS {
        let scenario = load(&root.join("scenarios").join(format!("{name}.toml"))).unwrap();
        let options = RunOptions {
            replications: Some(12),
            threads: Some(2),
            ..Default::default()
        };
        let result = run(&scenario, &options).unwrap();
        let folder = write(&scenario, &result, tmp.path(), &OutputOptions::default()).unwrap();
        for file in FILES {
            let got = std::fs::read_to_string(folder.join(file)).unwrap();
            let golden = root
                .join("tests/data/golden")
                .join(format!("{name}.{file}"));
            if bless {
                std::fs::write(&golden, &got).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&golden).unwrap_or_default();
            if expected != got {
                failures.push(format!(
                    "{} differs from the golden copy:\n{}",
                    golden.display(),
                    line_diff(&expected, &got)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\nIf the change is meant to move the numbers: STAFFCAST_BLESS=1 cargo test golden, then review git diff tests/data/golden.",
        failures.join("\n")
    );
}

//! Same scenario and seed, same bytes: at any thread count, and for a variant
//! that changes nothing.

use std::fs;
use std::path::Path;

use staffcast::output::{OutputOptions, digest, write};
use staffcast::runner::{RunOptions, run};
use staffcast::scenario::default_scenario;

use crate::common::compile;

const COMPARED: &[&str] = &[
    "report.html",
    "charts/fan_permanent_share_base.png",
    "quantiles.csv",
    "quantiles.parquet",
    "targets.csv",
    "summary.md",
    "raw.parquet",
];

fn run_to(dir: &Path, threads: usize) {
    let scenario = default_scenario().unwrap();
    let options = RunOptions {
        replications: Some(40),
        threads: Some(threads),
        ..Default::default()
    };
    let result = run(&scenario, &options).unwrap();
    write(
        &scenario,
        &result,
        &digest(&result),
        dir,
        &OutputOptions {
            raw: true,
            ..Default::default()
        },
    )
    .unwrap();
}

#[test]
fn outputs_are_byte_identical_at_1_and_4_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, four) = (tmp.path().join("one"), tmp.path().join("four"));
    run_to(&one, 1);
    run_to(&four, 4);
    for file in COMPARED {
        let a = fs::read(one.join("slough-children-2014").join(file)).unwrap();
        let b = fs::read(four.join("slough-children-2014").join(file)).unwrap();
        assert!(a == b, "{file} differs between 1 and 4 threads");
    }
}

#[test]
fn a_variant_that_changes_nothing_equals_the_base() {
    let text = staffcast::scenario::DEFAULT_SCENARIO.to_string()
        + "\n[variants.same]\ndescription = \"restates a base value\"\n[variants.same.recruitment]\nhire_monthly_probability = 0.035\n";
    let scenario = compile(&text);
    let result = run(
        &scenario,
        &RunOptions {
            replications: Some(30),
            threads: Some(2),
            ..Default::default()
        },
    )
    .unwrap();
    let base = &result.variants[0];
    let same = result
        .variants
        .iter()
        .find(|v| v.variant.name == "same")
        .unwrap();
    for (a, b) in base.outcomes.iter().zip(&same.outcomes) {
        assert_eq!(a.record(), b.record());
    }
}

/// A variant whose change starts mid-horizon equals the base, bit for bit,
/// in every month before the change (common random numbers).
#[test]
fn a_variant_matches_the_base_until_its_change_starts() {
    let scenario = default_scenario().unwrap();
    let result = run(
        &scenario,
        &RunOptions {
            replications: Some(30),
            threads: Some(2),
            ..Default::default()
        },
    )
    .unwrap();
    let base = &result.variants[0];
    let offer = result
        .variants
        .iter()
        .find(|v| v.variant.name == "stronger_offer")
        .unwrap();
    let model = &base.variant.model;
    let metrics = model.catalogue.len();
    // The stronger offer starts in 2015-04, month 14 from 2014-02.
    let change = 14;
    let mut differs_later = false;
    for (a, b) in base.outcomes.iter().zip(&offer.outcomes) {
        assert_eq!(
            a.record()[..change * metrics],
            b.record()[..change * metrics]
        );
        differs_later |= a.record()[change * metrics..] != b.record()[change * metrics..];
    }
    assert!(
        differs_later,
        "the variant should change something after its start"
    );
}

//! Values at the edges: each either runs to complete outputs or is refused
//! with a clear error naming the key; none panics.

use std::path::Path;

use staffcast::output::{OutputOptions, digest, write};
use staffcast::runner::{RunOptions, run};
use staffcast::scenario::compile;

use crate::common::Synthetic;

const FINANCE: &str = r#"
[finance]
on_cost_rate = 0.3
[finance.grades.social_worker]
salary = 36000
agency_premium = 0.4
"#;

/// Compiles, runs `replications` and writes every output; the summary.
fn runs(text: &str, replications: u32) -> String {
    let scenario =
        compile(text, Path::new("edge.toml")).unwrap_or_else(|e| panic!("should compile: {e}"));
    let result = run(
        &scenario,
        &RunOptions {
            replications: Some(replications),
            threads: Some(2),
            ..Default::default()
        },
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let folder = write(
        &scenario,
        &result,
        &digest(&result),
        out.path(),
        &OutputOptions::default(),
    )
    .unwrap();
    assert!(folder.join("report.html").exists());
    std::fs::read_to_string(folder.join("summary.md")).unwrap()
}

/// Fails to compile, naming `key` and saying what is allowed.
fn refused(text: &str, key: &str) {
    match compile(text, Path::new("edge.toml")) {
        Ok(_) => panic!("`{key}` should be refused"),
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.contains(key),
                "the error should name `{key}`: {message}"
            );
            assert!(
                message.contains("expected"),
                "the error should say what is allowed: {message}"
            );
        }
    }
}

fn with_finance(s: Synthetic) -> String {
    Synthetic {
        extra: format!("{}{FINANCE}", s.extra),
        ..s
    }
    .toml()
}

#[test]
fn edge_values_run_or_are_refused_clearly() {
    // Zero establishment and nobody in post.
    runs(
        &with_finance(Synthetic {
            establishment: 0.0,
            permanent: 0,
            ..Default::default()
        }),
        2,
    );
    // A grade with posts and nobody in them, covered by agency only: 100% agency.
    runs(
        &with_finance(Synthetic {
            establishment: 50.0,
            permanent: 0,
            agency: 50,
            cover_probability: 1.0,
            ..Default::default()
        }),
        2,
    );
    // A horizon of one month, and of 100 years; one replication.
    let summary = runs(
        &with_finance(Synthetic {
            horizon: 1,
            ..Default::default()
        }),
        1,
    );
    assert!(
        summary.contains("1 replication per variant") && summary.contains("(1 month)."),
        "one of each in the singular: {summary}"
    );
    runs(
        &with_finance(Synthetic {
            horizon: 1200,
            permanent: 20,
            establishment: 20.0,
            hire_probability: 0.2,
            ..Default::default()
        }),
        1,
    );
    // An empty variant equals the base and runs; the summary says what
    // each variant changes, with or without a description.
    let summary = runs(
        &with_finance(Synthetic {
            extra: "[variants.empty]\n\
                    [variants.faster]\nrecruitment = { hire_monthly_probability = 0.2, time_to_start_months = 1 }\n\
                    [variants.slower]\ndescription = \"Fewer hires\"\n[variants.slower.recruitment]\n\
                    hire_monthly_probability = 0.01\n"
                .into(),
            ..Default::default()
        }),
        2,
    );
    for line in [
        "- **empty**: Changes nothing.",
        "- **faster**: Changes `recruitment`.",
        "- **slower**: Fewer hires. Changes `recruitment.hire_monthly_probability`.",
    ] {
        assert!(summary.contains(line), "{line}\n{summary}");
    }

    let base = Synthetic::default().toml();
    // Not a finite number, or a probability above 1.
    refused(
        &base.replace("annual_rate = [0.2]", "annual_rate = [nan]"),
        "leaving.annual_rate[0]",
    );
    refused(
        &base.replace("annual_rate = [0.2]", "annual_rate = [inf]"),
        "leaving.annual_rate[0]",
    );
    refused(
        &base.replace(
            "hire_monthly_probability = 0",
            "hire_monthly_probability = 1.5",
        ),
        "recruitment.hire_monthly_probability",
    );
    // A horizon past 100 years; a target before the start.
    refused(
        &base.replace("horizon_months = 24", "horizon_months = 1201"),
        "horizon_months",
    );
    refused(
        &(base.clone()
            + "[targets.early]\nmetric = \"fte_permanent\"\ncomparison = \">=\"\nthreshold = 1\nby = \"2020-01\"\n"),
        "targets.early.by",
    );
    // A schedule entry dated before the start is the value in force at the start.
    runs(
        &base.replace(
            "hire_monthly_probability = 0",
            "hire_monthly_probability = { schedule = { \"2020-01\" = 0.1 } }",
        ),
        2,
    );
    // A target on a metric that does not exist.
    refused(
        &(base
            + "[targets.t]\nmetric = \"permanent_shar\"\ncomparison = \">=\"\nthreshold = 1\nby = \"2024-06\"\n"),
        "targets.t.metric",
    );
    // A start before the years a spreadsheet's dates have: finance.xlsx too.
    runs(
        &with_finance(Synthetic::default()).replace("start = \"2024-01\"", "start = \"1850-01\""),
        2,
    );
    // A retention payment whose service range holds nobody.
    let payment = |max: &str| {
        with_finance(Synthetic::default())
            + &format!(
                "[finance.retention_payments.r]\nfrom = \"2024-01\"\namount = 1000\npay_months = [4]\nmin_service_years = 3\nmax_service_years = {max}\n"
            )
    };
    refused(
        &payment("3"),
        "finance.retention_payments.r.max_service_years",
    );
    runs(&payment("5"), 2);
}

/// Open cases from a series, month by month with the last value held, in
/// place of `open_cases`, the trend and the noise: written alone, or added by
/// a variant to a base that has all three.
#[test]
fn a_demand_series_gives_the_open_cases_month_by_month() {
    use staffcast::metrics::OPEN_CASES;
    let series = "[demand]\nseries = [1000, 1100, 1200]\n";
    let alone = Synthetic {
        horizon: 6,
        ..Default::default()
    }
    .toml()
    .replace("[demand]\nopen_cases = 1000\n", series);
    let added = Synthetic {
        horizon: 6,
        extra: format!(
            "monthly_trend = 0.05\nmonthly_noise_sd = 0.1\n[variants.series]\n{}",
            series.replace("[demand]", "[variants.series.demand]")
        ),
        ..Default::default()
    }
    .toml();
    for (text, variant) in [(alone, 0), (added, 1)] {
        let scenario = compile(&text, Path::new("series.toml")).unwrap_or_else(|e| panic!("{e}"));
        let result = run(&scenario, &crate::common::options(3)).unwrap();
        let metrics = scenario.variants[variant].model.catalogue.len();
        for outcome in &result.variants[variant].outcomes {
            let cases: Vec<f64> = (0..6)
                .map(|t| outcome.value(metrics, t, OPEN_CASES))
                .collect();
            assert_eq!(cases, [1000.0, 1100.0, 1200.0, 1200.0, 1200.0, 1200.0]);
        }
    }
}

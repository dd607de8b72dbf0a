//! The command line as a user runs it.

use std::path::Path;
use std::process::Command;

fn staffcast() -> Command {
    Command::new(env!("CARGO_BIN_EXE_staffcast"))
}

const FILES: &[&str] = &[
    "quantiles.parquet",
    "quantiles.csv",
    "targets.csv",
    "summary.md",
    "report.html",
    "manifest.json",
    "costs.csv",
    "costs.parquet",
    "finance.xlsx",
    "compare.csv",
    "compare.parquet",
    "charts/targets.png",
    "charts/targets.svg",
    "charts/fan_permanent_share_base.png",
    "charts/fan_permanent_share_base.svg",
    "charts/compare_permanent_share.png",
    "charts/fan_average_caseload_stronger_offer.svg",
    "charts/first_met_permanent_80_by_2017.png",
    "charts/first_met_permanent_80_by_2017.svg",
    "charts/costs_base.png",
    "charts/costs_stronger_offer.svg",
];

/// Width and height from a PNG's IHDR chunk, after checking the signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[test]
fn charts_are_valid_images_and_the_report_holds_every_variant_and_target() {
    let out = tempfile::tempdir().unwrap();
    let status = staffcast()
        .args(["run", "--replications", "12", "--quiet", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(status.stdout.is_empty(), "--quiet prints nothing");
    let folder = out.path().join("slough-children-2014");
    let charts: Vec<_> = std::fs::read_dir(folder.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let is = |p: &std::path::PathBuf, ext: &str| p.extension().is_some_and(|e| e == ext);
    let pngs = charts.iter().filter(|p| is(p, "png")).count();
    assert_eq!(pngs, charts.iter().filter(|p| is(p, "svg")).count());
    assert!(
        pngs > 6 * 5,
        "a targets chart, and per key metric a comparison and a fan per variant"
    );
    for path in &charts {
        let bytes = std::fs::read(path).unwrap();
        if is(path, "png") {
            assert_eq!(png_size(&bytes), (1000, 560), "{}", path.display());
        } else {
            let text = String::from_utf8(bytes).unwrap();
            let complete = text.starts_with("<svg")
                && text.contains("width=\"1000\"")
                && text.trim_end().ends_with("</svg>");
            assert!(complete, "{}", path.display());
        }
    }
    let report = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(report.starts_with("<!DOCTYPE html>"));
    let fetches = report.contains("<script")
        || report.contains("src=\"http")
        || report.contains("href=\"http");
    assert!(!fetches, "the report is self-contained");
    for name in [
        "base",
        "fast_dbs",
        "four_new_teams",
        "stronger_offer",
        "permanent_80_by_2017",
        "caseload_16_by_march_2015",
    ] {
        assert!(report.contains(name), "the report names {name}");
    }
    assert_eq!(report.matches("<figure").count(), pngs);
}

#[test]
fn json_prints_the_manifest() {
    let out = tempfile::tempdir().unwrap();
    let result = staffcast()
        .args([
            "run",
            "--replications",
            "5",
            "--variant",
            "fast_dbs",
            "--json",
            "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(result.status.success());
    let manifest: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(manifest["replications"], 5);
    assert_eq!(manifest["scenario"], "slough-children-2014");
    // What each variant sets, the base not among them.
    assert_eq!(
        manifest["variant_changes"]["fast_dbs"],
        serde_json::json!(["recruitment.time_to_start_months"])
    );
    assert!(manifest["variant_changes"].get("base").is_none());
}

#[test]
fn run_without_a_scenario_writes_every_output_of_the_default() {
    let out = tempfile::tempdir().unwrap();
    let status = staffcast()
        .args([
            "run",
            "--replications",
            "20",
            "--threads",
            "2",
            "--raw",
            "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let folder = out.path().join("slough-children-2014");
    for file in FILES.iter().chain(&["raw.parquet"]) {
        let path = folder.join(file);
        assert!(
            path.metadata().map(|m| m.len() > 0).unwrap_or(false),
            "{file} missing or empty"
        );
    }
    let summary = std::fs::read_to_string(folder.join("summary.md")).unwrap();
    assert!(summary.contains("permanent_80_by_2017"));
    let quantiles = std::fs::read_to_string(folder.join("quantiles.csv")).unwrap();
    assert!(
        quantiles.starts_with("variant,month,metric,mean,p5,p25,p50,p75,p95\n"),
        "{}",
        &quantiles[..80]
    );
    assert!(quantiles.contains("fast_dbs,2016-03,permanent_share,"));
    let targets = std::fs::read_to_string(folder.join("targets.csv")).unwrap();
    assert!(targets.starts_with(
        "variant,target,probability,ci_low,ci_high,first_met_p5,first_met_p50,first_met_p95,never_met_share\n"
    ));
    let costs = std::fs::read_to_string(folder.join("costs.csv")).unwrap();
    assert!(costs.starts_with("variant,financial_year,line,mean,p5,p25,p50,p75,p95\n"));
    assert!(costs.contains("stronger_offer,2015/16,cost.market_supplements,"));
    assert!(costs.contains("base,horizon,npv.cost.total,"));
    let compare = std::fs::read_to_string(folder.join("compare.csv")).unwrap();
    assert!(compare.starts_with(
        "variant,measure,period,mean_difference,ci_low,ci_high,p5,p25,p50,p75,p95,se,se_unpaired\n"
    ));
    assert!(compare.contains("fast_dbs,permanent_share,2016/17,"));
    assert!(compare.contains("stronger_offer,cost_per_extra_permanent_fte_year,horizon,"));
    assert!(summary.contains("## Finance") && summary.contains("NPV at 3.5%"));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["replications"], 20);
    assert_eq!(manifest["threads"], 2);
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
    assert!(String::from_utf8_lossy(&status.stdout).contains("permanent_80_by_2017"));
    // stderr is a pipe here, not a terminal: no progress bar, nothing at all.
    assert!(
        status.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    // Nothing temporary is left beside the results.
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("slough-children-2014")]
    );
}

#[test]
fn selected_variants_and_a_seed_override() {
    let out = tempfile::tempdir().unwrap();
    let status = staffcast()
        .args([
            "run",
            "--replications",
            "10",
            "--seed",
            "5",
            "--variant",
            "fast_dbs",
            "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(status.status.success());
    let manifest =
        std::fs::read_to_string(out.path().join("slough-children-2014/manifest.json")).unwrap();
    assert!(manifest.contains("\"seed\": 5"));
    assert!(manifest.contains("\"fast_dbs\"") && !manifest.contains("four_new_teams"));
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad/several_errors.toml");
    let result = staffcast()
        .args(["run"])
        .arg(&bad)
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("several_errors.toml:23:1"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "no output for an invalid scenario"
    );

    let unknown = staffcast()
        .args(["run", "--variant", "nope", "--replications", "2", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown variant `nope`"));

    let flag = staffcast()
        .args(["run", "--replications", "zero"])
        .output()
        .unwrap();
    assert_eq!(flag.status.code(), Some(2));

    // A width no run reaches, or a tolerance no change meets, would run on
    // to the most replications allowed: refused before anything runs.
    for (args, says) in [
        (&["--precision", "0"][..], "not a width above 0"),
        (&["--precision", "1"], "not a width above 0"),
        (&["--precision", "0.1", "--tolerance=-0.5"], "0 or more"),
        (&["--precision", "0.1", "--tolerance", "NaN"], "0 or more"),
    ] {
        let refused = staffcast()
            .arg("run")
            .args(args)
            .arg("--out")
            .arg(out.path())
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn validate_checks_every_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let good = staffcast()
        .arg("validate")
        .arg(root.join("scenarios/slough-children-2014.toml"))
        .output()
        .unwrap();
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let stdout = String::from_utf8_lossy(&good.stdout);
    assert!(stdout.contains("ok (4 variants besides the base)"));
    assert!(
        stdout.contains("\n  fast_dbs: e-DBS from June 2014")
            && stdout.contains("Changes `recruitment.time_to_start_months`.\n"),
        "each variant and what it sets: {stdout}"
    );
    let bad = staffcast()
        .arg("validate")
        .arg(root.join("scenarios/slough-children-2014.toml"))
        .arg(root.join("tests/data/bad/several_errors.toml"))
        .arg(root.join("tests/data/bad/bad_variant.toml"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("several_errors.toml") && stderr.contains("bad_variant.toml"),
        "{stderr}"
    );
}

#[test]
fn breakeven_prints_the_curve_and_writes_it_as_csv() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("curve.csv");
    let result = staffcast()
        .arg("breakeven")
        .arg(root.join("scenarios/bradford-adults-2024.toml"))
        .args(["--payment", "amhp", "--replications", "8", "--csv"])
        .arg(&csv)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(
        stdout.contains("Break-even of retention payment `amhp`"),
        "{stdout}"
    );
    assert!(stdout.contains("| 1.0000 |"), "{stdout}");
    // stderr is a pipe here, not a terminal: no count of replications.
    assert!(
        result.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let curve = std::fs::read_to_string(&csv).unwrap();
    assert!(curve.starts_with("leaving_multiplier,payment_cost,"));
    assert!(curve.lines().count() >= 12, "{curve}");

    let unknown = staffcast()
        .arg("breakeven")
        .arg(root.join("scenarios/bradford-adults-2024.toml"))
        .args(["--payment", "nope", "--replications", "2"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("it has: amhp"));
    // The default scenario pays no retention payment in its base case.
    let none = staffcast()
        .args(["breakeven", "--payment", "nope", "--replications", "2"])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("`nope` in force; it has none"));
}

#[test]
fn solve_reports_a_lever_without_effect_and_an_unknown_target() {
    let none = staffcast()
        .args([
            "solve",
            "--target",
            "permanent_80_by_2017",
            "--lever",
            "finance.grant_per_placement",
            "--range",
            "0..1000",
            "--replications",
            "10",
        ])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&none.stderr);
    assert!(
        stderr.contains("does not change the probability"),
        "{stderr}"
    );

    let unknown = staffcast()
        .args([
            "solve",
            "--target",
            "nope",
            "--lever",
            "recruitment.hire_monthly_probability",
            "--range",
            "0.02..0.1",
            "--replications",
            "4",
        ])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("permanent_80_by_2017"), "{stderr}");

    let bad_range = staffcast()
        .args(["solve", "--target", "x", "--lever", "y", "--range", "5..1"])
        .output()
        .unwrap();
    assert_eq!(bad_range.status.code(), Some(2));

    // A value the key does not allow, and a key the scenario does not have:
    // said of the lever, not of lines the search wrote.
    for (lever, range, says) in [
        (
            "recruitment.hire_monthly_probability",
            "0.05..5",
            "lever `recruitment.hire_monthly_probability` = 5.0 is not allowed",
        ),
        ("nope.key", "1..2", "`nope`: found unknown key `nope`"),
    ] {
        let refused = staffcast()
            .args([
                "solve",
                "--target",
                "permanent_80_by_2017",
                "--lever",
                lever,
            ])
            .args(["--range", range, "--replications", "4"])
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(2), "{lever}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(says), "{lever}: {stderr}");
        assert!(!stderr.contains("solve-lever"), "{lever}: {stderr}");
    }
    let zero = staffcast()
        .args(["solve", "--target", "x", "--lever", "y", "--range", "1..5"])
        .args(["--confidence", "0"])
        .output()
        .unwrap();
    assert_eq!(zero.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&zero.stderr).contains("above 0"));
}

#[test]
fn solve_writes_its_curve_as_csv_and_chart() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, chart) = (dir.path().join("curve.csv"), dir.path().join("curve"));
    let result = staffcast()
        .args([
            "solve",
            "--target",
            "permanent_80_by_2017",
            "--lever",
            "recruitment.hire_monthly_probability",
            "--range",
            "0.02..0.12",
            "--replications",
            "20",
            "--csv",
        ])
        .arg(&csv)
        .arg("--chart")
        .arg(&chart)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(String::from_utf8_lossy(&result.stdout).contains("What it takes"));
    let curve = std::fs::read_to_string(&csv).unwrap();
    assert!(curve.starts_with("value,probability,ci_low,ci_high,"));
    let png = std::fs::read(dir.path().join("curve.png")).unwrap();
    assert_eq!(png_size(&png), (1000, 560));
    assert!(dir.path().join("curve.svg").exists());
}

#[test]
fn a_run_too_big_for_its_memory_is_refused_up_front() {
    let out = tempfile::tempdir().unwrap();
    let result = staffcast()
        .env("STAFFCAST_MEMORY_LIMIT", "1M")
        .args(["run", "--replications", "200", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("200 replications x 5 variants") && stderr.contains("--shard"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

/// Every command that writes files checks where before it runs: a long run
/// must not end in "cannot write". A scenario's problems come with it.
#[test]
fn an_unwritable_destination_is_refused_before_any_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let under = file.join("results");
    let under = under.to_str().unwrap();
    let bradford = "scenarios/bradford-adults-2024.toml";
    let solve = [
        "solve",
        "--target",
        "permanent_80_by_2017",
        "--lever",
        "agency.cover_monthly_probability",
    ];
    for (args, flag) in [
        (vec!["run", "--out", under], "--out"),
        (
            [&solve[..], &["--range", "0.1..0.9", "--csv", under]].concat(),
            "--csv",
        ),
        (
            [&solve[..], &["--range", "0.1..0.9", "--chart", under]].concat(),
            "--chart",
        ),
        (
            vec![
                "sensitivity",
                "--metric",
                "permanent_share",
                "--at",
                "2017-03",
                "--chart",
                under,
            ],
            "--chart",
        ),
        (
            vec!["breakeven", bradford, "--payment", "amhp", "--csv", under],
            "--csv",
        ),
        (vec!["merge", "partial", "--out", under], "--out"),
        (
            vec![
                "backtest",
                "dfe",
                "indicators.csv",
                "--la",
                "Slough",
                "--fit",
                "2017-2019",
                "--to",
                "2020",
                "--out",
                under,
            ],
            "--out",
        ),
    ] {
        let result = staffcast().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("error: {flag} {under}: "))
                && stderr.contains("not-a-folder is a file, not a folder"),
            "{args:?}: {stderr}"
        );
        assert!(
            result.stdout.is_empty(),
            "{args:?} ran: {}",
            String::from_utf8_lossy(&result.stdout)
        );
    }
    let folder = dir.path().join("csv-is-a-folder");
    std::fs::create_dir(&folder).unwrap();
    let result = staffcast()
        .args([&solve[..], &["--range", "0.1..0.9", "--csv"]].concat())
        .arg(&folder)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("csv-is-a-folder is a folder, not a file"),
        "{stderr}"
    );
    // A bad scenario's problems are reported with the destination's.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "name = \"bad\"\n").unwrap();
    let result = staffcast()
        .args(["run", "--out", under])
        .arg(&bad)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("not a folder") && stderr.contains("this key is required"),
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left.len(),
        3,
        "nothing made beside the test's own files: {left:?}"
    );
}

#[test]
fn sensitivity_refuses_an_option_of_the_other_method() {
    for (args, says) in [
        (
            &["--samples", "64"][..],
            "--samples goes with --method sobol",
        ),
        (
            &["--method", "sobol", "--chart", "t"],
            "--chart draws the one-at-a-time",
        ),
        (
            &["--method", "sobol", "--replications", "50"],
            "--replications sizes the one-at-a-time tornado",
        ),
    ] {
        let refused = staffcast()
            .args([
                "sensitivity",
                "--metric",
                "permanent_share",
                "--at",
                "2017-03",
            ])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

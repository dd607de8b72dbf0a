//! Calibration from the DfE indicators and HR extracts, backtests, and the
//! HR extract a run writes, as a user runs them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use staffcast::calendar::Month;
use staffcast::calibrate::dfe::{AreaQuery, Indicators};
use staffcast::calibrate::from_hr::{self, Hazards};
use staffcast::calibrate::hr::{Extract, Mapping};
use staffcast::calibrate::{extract, from_dfe};

fn staffcast(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_staffcast"))
        .args(args)
        .output()
        .expect("staffcast runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const HEADER: &str = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,inpost_fte,inpost_headcount,starters_fte,starters_headcount,leavers_fte,leavers_headcount,turnover_rate_fte,turnover_rate_headcount,agency_fte,agency_headcount,agency_rate_fte,agency_rate_headcount,agency_cover_fte,agency_cover_rate_fte,vacancy_fte,vacancy_rate_fte,vacancy_agency_cover_rate_fte,case_holders_fte,cases,caseload_fte,working_days_lost_fte,absence_rate_fte";

/// One DfE row: the area's columns, then values by column name (others `x`).
fn dfe_row(year: u32, area: &str, values: &[(&str, String)]) -> String {
    let by: HashMap<&str, &String> = values.iter().map(|(k, v)| (*k, v)).collect();
    let columns: Vec<&str> = HEADER.split(',').collect();
    let mut cells: Vec<String> = format!("{year},Reporting year,{area}")
        .split(',')
        .map(str::to_string)
        .collect();
    // Names with commas are quoted whole.
    if let Some(i) = cells.iter().position(|c| c.starts_with('"')) {
        let joined = format!("{},{}", cells[i], cells[i + 1]);
        cells.splice(i..i + 2, [joined]);
    }
    for c in &columns[10..] {
        cells.push(by.get(c).map_or("x".to_string(), |v| v.to_string()));
    }
    cells.join(",")
}

/// A year of a steady service: `inpost` FTE, turnover `t`, and the rest in proportion.
fn steady(inpost: f64, turnover: f64, cases: f64) -> Vec<(&'static str, String)> {
    let vacancy = inpost * 0.25;
    vec![
        ("inpost_fte", format!("{inpost}")),
        ("inpost_headcount", format!("{}", (inpost * 1.05).round())),
        ("starters_fte", format!("{}", inpost * turnover)),
        ("leavers_fte", format!("{}", inpost * turnover)),
        ("turnover_rate_fte", format!("{:.1}", 100.0 * turnover)),
        ("agency_fte", format!("{}", vacancy * 0.8)),
        ("agency_headcount", format!("{}", (vacancy * 0.8).round())),
        ("agency_cover_fte", format!("{}", vacancy * 0.6)),
        ("vacancy_fte", format!("{vacancy}")),
        ("vacancy_agency_cover_rate_fte", "60".to_string()),
        ("case_holders_fte", format!("{}", inpost * 0.7)),
        ("cases", format!("{cases}")),
        ("caseload_fte", "15".to_string()),
    ]
}

const TESTSHIRE: &str = "E92000001,England,E12000008,South East,901,E10000901,Testshire";
const TOAST: &str =
    "E92000001,England,E12000008,South East,902,E06000902,\"Kingston upon Toast, City of\"";
const GAPTON: &str = "E92000001,England,E12000007,London,903,E09000903,Gapton";
const ENGLAND: &str = "E92000001,England,,,,,";
const SOUTH_EAST: &str = "E92000001,England,E12000008,South East,,,";

/// A small indicators file of the DfE's shape: England, a region and three
/// authorities over 2019-2022. Testshire's turnover is 0.12, 0.15, 0.18 in
/// 2019-2021; Gapton has suppressed and missing values.
fn dfe_fixture(dir: &Path) -> PathBuf {
    let mut rows = vec![HEADER.to_string()];
    for (i, year) in (2019..=2022).enumerate() {
        let t = 0.12 + 0.03 * i as f64;
        rows.push(dfe_row(
            year,
            &format!("National,{ENGLAND}"),
            &steady(30000.0, 0.16, 300000.0 * 1.04f64.powi(i as i32)),
        ));
        rows.push(dfe_row(
            year,
            &format!("Regional,{SOUTH_EAST}"),
            &steady(4000.0, 0.15, 40000.0),
        ));
        rows.push(dfe_row(
            year,
            &format!("Local authority,{TESTSHIRE}"),
            &steady(200.0, t, 3000.0 * 1.1f64.powi(i as i32)),
        ));
        rows.push(dfe_row(
            year,
            &format!("Local authority,{TOAST}"),
            &steady(120.0, 0.2, 2000.0),
        ));
        let mut gap = steady(80.0, 0.25, 1000.0);
        for (k, v) in &mut gap {
            if *k == "vacancy_agency_cover_rate_fte" && year == 2020 {
                *v = "c".to_string();
            }
            if *k == "case_holders_fte" {
                *v = "x".to_string();
            }
            if *k == "agency_fte" && year == 2021 {
                *v = "low".to_string();
            }
        }
        rows.push(dfe_row(year, &format!("Local authority,{GAPTON}"), &gap));
    }
    write_indicators(dir, &rows)
}

/// Writes an indicators file of these lines (the header first) as `dir/dfe.csv`.
fn write_indicators(dir: &Path, rows: &[String]) -> PathBuf {
    let path = dir.join("dfe.csv");
    std::fs::write(&path, rows.join("\n") + "\n").unwrap();
    path
}

fn calibrate_dfe(
    file: &Path,
    area: AreaQuery,
    years: std::ops::RangeInclusive<u32>,
) -> from_dfe::Calibrated {
    let indicators = Indicators::load(file).unwrap();
    from_dfe::calibrate(
        &indicators,
        &from_dfe::Request {
            area,
            years: Some(years),
            horizon_months: 24,
            replications: 20,
            uncertain: false,
        },
    )
    .unwrap()
}

/// Runs a scenario file for 20 replications into `dir/results`, which it returns.
fn run_briefly(scenario: &Path, dir: &Path) -> PathBuf {
    let results = dir.join("results");
    let r = staffcast(&[
        "run",
        scenario.to_str().unwrap(),
        "--replications",
        "20",
        "--quiet",
        "--out",
        results.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    results
}

#[test]
fn dfe_scenario_validates_runs_and_names_its_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let file = dfe_fixture(tmp.path());
    // Testshire calibrated on 2019-2021 with `flags`, written to `out`.
    let calibrate = |flags: &[&str], out: &Path| {
        let o = staffcast(
            &[
                &[
                    "calibrate",
                    "dfe",
                    file.to_str().unwrap(),
                    "--la",
                    "testshire",
                    "--years",
                    "2019-2021",
                    "--out",
                    out.to_str().unwrap(),
                ][..],
                flags,
            ]
            .concat(),
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        std::fs::read_to_string(out).unwrap()
    };
    let out = tmp.path().join("testshire.toml");
    let scenario = calibrate(&[], &out);
    // The mean of 0.12, 0.15, 0.18 with their sd 0.03, as a beta
    // distribution by default (two other authorities are too few to
    // moderate the spread), with each year's figure and the spread.
    let (alpha, beta) = staffcast::calibrate::beta_from_moments(0.15, 0.03).unwrap();
    let line =
        format!("annual_rate = [{{ dist = \"beta\", alpha = {alpha:.3}, beta = {beta:.3} }}]");
    assert!(scenario.contains(&line), "{line} in {scenario}");
    // With --point, the mean alone; --uncertain, the default, still runs.
    for (flag, line) in [
        ("--point", "annual_rate = [0.1500]"),
        ("--uncertain", &line),
    ] {
        let written = calibrate(&[flag], &tmp.path().join("other.toml"));
        assert!(written.contains(line), "{flag}: {line} in {written}");
    }
    assert!(
        scenario.contains("leavers_fte / inpost_fte: Testshire, dfe.csv, 2019 0.120, 2020 0.150, 2021 0.180; mean 0.150, sd 0.030"),
        "{scenario}"
    );
    assert!(scenario.contains("start = \"2021-10\""), "{scenario}");
    assert!(scenario.contains("establishment_fte = 250.0"), "{scenario}");
    assert!(
        scenario.contains("permanent = { headcount = 210, fte = 200.0 }"),
        "{scenario}"
    );
    assert!(
        scenario.contains("agency = { headcount = 30, fte = 30.0 }"),
        "{scenario}"
    );
    // Testshire's cases grow 10% a year and England's 4%: the trend is
    // England's, ln(1.04) / 12 a month, and the noise Testshire's own spread
    // (none, its growth being steady).
    for line in [
        format!("monthly_trend = {:.5}", 1.04f64.ln() / 12.0),
        "monthly_noise_sd = 0.00000".to_string(),
    ] {
        assert!(scenario.contains(&line), "{line} in {scenario}");
    }
    let v = staffcast(&["validate", out.to_str().unwrap()]);
    assert!(v.status.success(), "{}", text(&v.stderr));
    let results = run_briefly(&out, tmp.path());
    assert!(results.join("testshire-dfe-2019-2021/summary.md").exists());
}

#[test]
fn dfe_rates_are_the_published_ratios() {
    let tmp = tempfile::tempdir().unwrap();
    let file = dfe_fixture(tmp.path());
    let c = calibrate_dfe(
        &file,
        AreaQuery::LocalAuthority("Testshire".into()),
        2021..=2021,
    );
    // Starters 0.18 x 200 = 36 a year, 3 a month, against 50 vacancies less
    // 3 x 2.5 months of offers in flight.
    let hire = 3.0 / (50.0 - 3.0 * from_dfe::TIME_TO_START_MONTHS);
    assert!(
        c.text
            .contains(&format!("hire_monthly_probability = {hire:.4}")),
        "{}",
        c.text
    );
    // Cover: c (ending + filling) / (1 - c) with c = 0.6.
    let ending = staffcast::param::monthly_hazard(from_dfe::AGENCY_ANNUAL_RATE);
    let cover = 0.6 * (ending + hire) / 0.4;
    assert!(
        c.text
            .contains(&format!("cover_monthly_probability = {cover:.4}")),
        "{}",
        c.text
    );
    // Case holders 140 of 200 + 30 FTE.
    assert!(
        c.text
            .contains(&format!("caseload_weight = {:.4}", 140.0 / 230.0)),
        "{}",
        c.text
    );
}

#[test]
fn suppressed_values_are_reported_and_left_out_never_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let file = dfe_fixture(tmp.path());
    let o = staffcast(&[
        "calibrate",
        "dfe",
        file.to_str().unwrap(),
        "--la",
        "Gapton",
        "--years",
        "2019-2021",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (scenario, notes) = (text(&o.stdout), text(&o.stderr));
    assert!(notes.contains("Gapton 2020: vacancy_agency_cover_rate_fte is `c` (confidential): left out, never read as zero"), "{notes}");
    assert!(
        notes.contains("Gapton 2021: agency_fte is `low`"),
        "{notes}"
    );
    // The cover share stands on 2019 and 2021 only, both 60%.
    assert!(
        scenario.contains(
            "c is vacancy_agency_cover_rate_fte / 100: Gapton, dfe.csv, 2019 0.600, 2021 0.600"
        ),
        "{scenario}"
    );
    // Case holders are missing in every year: England's ratio stands in, and says so.
    assert!(notes.contains("England's figure is used"), "{notes}");
    assert!(
        scenario.contains("England (for want of Gapton's)"),
        "{scenario}"
    );
    assert!(
        scenario.contains("Missing or suppressed values (never read as zero)"),
        "{scenario}"
    );
}

/// Found by fuzzing: an agency headcount thousands of times its FTE gave a
/// headcount no scenario may hold. It is an error naming the area and years,
/// and no file is written.
#[test]
fn contradictory_figures_are_an_error_not_an_invalid_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let mut rows = vec![HEADER.to_string()];
    for year in 2019..=2021 {
        let mut odd = steady(4000.0, 0.15, 40000.0);
        for (k, v) in &mut odd {
            match *k {
                "agency_fte" => *v = "0.9".to_string(),
                "agency_headcount" => *v = "5566".to_string(),
                _ => {}
            }
        }
        rows.push(dfe_row(year, &format!("Local authority,{TESTSHIRE}"), &odd));
    }
    let file = write_indicators(tmp.path(), &rows);
    let out = tmp.path().join("testshire.toml");
    let run = staffcast(&[
        "calibrate",
        "dfe",
        file.to_str().unwrap(),
        "--la",
        "Testshire",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = text(&run.stderr);
    assert!(!run.status.success());
    assert!(
        stderr.contains("Testshire in 2019-2021 give a scenario staffcast cannot run"),
        "{stderr}"
    );
    assert!(stderr.contains("agency.headcount"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn areas_are_matched_forgivingly_with_suggestions() {
    let tmp = tempfile::tempdir().unwrap();
    let file = dfe_fixture(tmp.path());
    let f = file.to_str().unwrap();
    for la in [
        "kingston upon toast",
        "Toast",
        "KINGSTON-UPON-TOAST",
        "E06000902",
        "902",
    ] {
        let o = staffcast(&["calibrate", "dfe", f, "--la", la]);
        assert!(o.status.success(), "{la}: {}", text(&o.stderr));
        assert!(text(&o.stdout).contains("name = \"kingston-upon-toast-city-of-dfe-2020-2022\""));
    }
    let o = staffcast(&["calibrate", "dfe", f, "--la", "Testshre"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("did you mean \"Testshire\""),
        "{}",
        text(&o.stderr)
    );
    for area in [&["--national"][..], &["--region", "south-east"][..]] {
        let out = tmp.path().join("area.toml");
        let mut args = vec!["calibrate", "dfe", f, "--out", out.to_str().unwrap()];
        args.extend_from_slice(area);
        let o = staffcast(&args);
        assert!(o.status.success(), "{area:?}: {}", text(&o.stderr));
        assert!(
            staffcast(&["validate", out.to_str().unwrap()])
                .status
                .success()
        );
    }
    let o = staffcast(&[
        "calibrate",
        "dfe",
        f,
        "--la",
        "Testshire",
        "--years",
        "2015-2019",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("has no rows for 2015, 2016, 2017, 2018"),
        "{}",
        text(&o.stderr)
    );
}

/// The published file, where the machine has it (not committed: see the README).
fn published_dfe() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/dfe/csww_indicators_2017_to_2025.csv");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: no published DfE file at {}", path.display());
        None
    }
}

#[test]
fn every_authority_in_the_published_file_calibrates_to_a_valid_scenario() {
    let Some(file) = published_dfe() else { return };
    let indicators = Indicators::load(&file).unwrap();
    let mut codes: Vec<String> = indicators
        .rows
        .iter()
        .filter(|r| r.year == 2025 && !r.new_la_code.is_empty())
        .map(|r| r.new_la_code.clone())
        .collect();
    codes.sort();
    codes.dedup();
    assert!(codes.len() > 140, "{} authorities", codes.len());
    let mut refused = Vec::new();
    for code in &codes {
        let request = from_dfe::Request {
            area: AreaQuery::LocalAuthority(code.clone()),
            years: None,
            horizon_months: 36,
            replications: 10,
            uncertain: true,
        };
        match from_dfe::calibrate(&indicators, &request) {
            Ok(c) => {
                if let Err(e) = staffcast::scenario::compile(&c.text, Path::new("calibrated.toml"))
                {
                    panic!("{code} does not validate:\n{e}\n{}", c.text);
                }
            }
            // A clean refusal names what is missing; anything else is a bug.
            Err(e) => {
                assert!(
                    e.contains("is `") || e.contains("no year has"),
                    "{code}: {e}"
                );
                refused.push(format!("{code}: {e}"));
            }
        }
    }
    assert!(refused.len() < 5, "{refused:#?}");
}

/// Leaving rates by band in the round-trip scenario.
const RATES: [f64; 5] = [0.25, 0.15, 0.22, 0.12, 0.08];

fn round_trip_scenario(seed: u64) -> staffcast::model::Scenario {
    crate::common::compile(&format!(
        r#"
name = "roundtrip"
start = "2020-01"
horizon_months = 96
replications = 1
seed = {seed}

[grades.social_worker]
caseload_weight = 1.0
establishment_fte = 500
permanent = {{ headcount = 500, fte = 500 }}
service_mix = [0.2, 0.2, 0.2, 0.2, 0.2]

[grades.senior]
caseload_weight = 1.0
establishment_fte = 200
permanent = {{ headcount = 200, fte = 200 }}
service_mix = [0.2, 0.2, 0.2, 0.2, 0.2]

[leaving]
bands_years = [0, 1, 3, 5, 10]
annual_rate = {RATES:?}
agency_annual_rate = 0.3

[recruitment]
hire_monthly_probability = 0.2
time_to_start_months = 1

[agency]
cover_monthly_probability = 0.3

[demand]
open_cases = 1000
"#
    ))
}

fn round_trip(seed: u64) -> Hazards {
    let scenario = round_trip_scenario(seed);
    let model = &scenario.variants[0].model;
    let csv = extract::simulate(model, seed, 0).unwrap();
    let extract = Extract::parse(csv.as_bytes(), Path::new("hr.csv"), &Mapping::default()).unwrap();
    from_hr::hazards(
        &extract,
        &from_hr::Request {
            as_of: Month::parse("2028-01").unwrap(),
            from: Some(Month::parse("2020-01").unwrap()),
            bands_years: vec![0.0, 1.0, 3.0, 5.0, 10.0],
            uncertain: false,
        },
    )
    .unwrap()
}

/// The simulation's leaving is a Bernoulli trial per person-month with the
/// band's hazard, so leavers / months at risk is the hazard's MLE and
/// Wilson's 95% interval covers the truth with about 95% probability. Each
/// band's truth lies inside the z = 4 interval (a miss has probability about
/// 6e-5 per band), and across 20 seeds x 5 bands x 3 tables the 95%
/// intervals cover at least 95% less three binomial standard errors.
#[test]
fn an_hr_extract_of_a_run_gives_back_its_leaving_rates() {
    let mut covered = 0;
    let mut cells = 0;
    for seed in 1..=20 {
        let h = round_trip(seed);
        let tables = [
            h.overall.as_ref().unwrap(),
            h.by_grade[0].as_ref().unwrap(),
            h.by_grade[1].as_ref().unwrap(),
        ];
        for groups in tables {
            assert_eq!(groups.len(), 5, "no band merged: every cell is large");
            for (band, g) in groups.iter().enumerate() {
                let truth = RATES[band];
                let (estimate, lo, hi) = g.cell.annual(4.0);
                assert!(
                    lo <= truth && truth <= hi,
                    "seed {seed} band {band}: {truth} outside {lo}-{hi} (estimate {estimate})"
                );
                let (_, lo, hi) = g.cell.annual(1.959964);
                covered += usize::from(lo <= truth && truth <= hi);
                cells += 1;
            }
        }
    }
    let coverage = covered as f64 / cells as f64;
    let se = (0.95 * 0.05 / cells as f64).sqrt();
    assert!(
        coverage >= 0.95 - 3.0 * se,
        "95% intervals covered {coverage}"
    );
}

/// Agency workers in post at the start have no service, so one converted
/// in the first month leaves a spell that ends in the month it started; the
/// permanent spell after it must not overlap it, or `calibrate hr` refuses
/// the run's own extract.
#[test]
fn an_extract_with_conversions_in_the_first_month_reads_back() {
    let scenario = crate::common::compile(
        r#"
name = "conversions"
start = "2020-01"
horizon_months = 6
replications = 1
seed = 5

[grades.social_worker]
caseload_weight = 1.0
establishment_fte = 60
permanent = { headcount = 10, fte = 10 }
agency = { headcount = 40, fte = 40 }
service_mix = [1]

[leaving]
bands_years = [0]
annual_rate = [0.1]
agency_annual_rate = 0.1

[recruitment]
hire_monthly_probability = 0.1
time_to_start_months = 1
agency_conversion_annual_rate = 0.99

[agency]
cover_monthly_probability = 0.3

[demand]
open_cases = 500
"#,
    );
    let model = &scenario.variants[0].model;
    let csv = extract::simulate(model, 5, 0).unwrap();
    let extract = Extract::parse(csv.as_bytes(), Path::new("hr.csv"), &Mapping::default())
        .unwrap_or_else(|e| panic!("{e}\n{csv}"));
    let first_month = |spell: &staffcast::calibrate::hr::Spell| {
        spell.start_month() == model.start && spell.exit_month() == Some(model.start)
    };
    let converted: Vec<_> = extract
        .spells
        .iter()
        .filter(|s| first_month(s) && s.reason == "converted_to_permanent")
        .collect();
    // About a third of 40 at a monthly hazard of 1 - 0.01^(1/12).
    assert!(converted.len() >= 5, "{csv}");
    for agency in converted {
        let next = extract
            .spells
            .iter()
            .find(|s| s.person == agency.person && s.row == agency.row + 1)
            .unwrap_or_else(|| panic!("no spell after row {}\n{csv}", agency.row));
        // Both in the first month, one after the other.
        assert_eq!(next.start_month(), model.start);
        assert!(agency.end.is_some_and(|end| end < next.start), "{csv}");
    }
}

fn write_extract(dir: &Path, rows: &[&str]) -> PathBuf {
    let path = dir.join("hr.csv");
    let header = "person_id,start_date,end_date,leaving_reason,grade,fte,contract,qualified_date,specialisms";
    std::fs::write(&path, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    path
}

/// HR systems name grades as people read them ("Social Worker"); the
/// fragment names them as a scenario may, and says so.
#[test]
fn grades_named_as_people_read_them_make_a_fragment_that_parses() {
    let tmp = tempfile::tempdir().unwrap();
    let rows: Vec<String> = (0..40)
        .map(|k| {
            let grade = ["Social Worker", "Snr. Practitioner", "social worker"][k % 3];
            format!("E{k},2019-01-01,,,{grade},1,permanent,,")
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let file = write_extract(tmp.path(), &rows);
    let calibrate = |more: &[&str]| {
        let mut args = vec![
            "calibrate",
            "hr",
            file.to_str().unwrap(),
            "--as-of",
            "2024-01",
        ];
        args.extend(more);
        staffcast(&args)
    };
    let out = tmp.path().join("fragment.toml");
    let o = calibrate(&["--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("grade `Social Worker` written as `social_worker`"),
        "{}",
        text(&o.stderr)
    );
    let fragment = std::fs::read_to_string(&out).unwrap();
    let toml: toml_edit::DocumentMut = fragment
        .parse()
        .unwrap_or_else(|e| panic!("{e}\n{fragment}"));
    let grades: Vec<&str> = toml["grades"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(grades, ["social_worker", "snr_practitioner"], "{fragment}");

    let twice = calibrate(&["--column", "grade=Job", "--column", "grade=Title"]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(text(&twice.stderr).contains("--column `grade` given twice"));
    // The scenario's grades are its own names, which the values are made to match.
    let known = tmp.path().join("known.toml");
    let known = |grades: &str| calibrate(&["--grades", grades, "--out", known.to_str().unwrap()]);
    assert!(known("social_worker,snr_practitioner").status.success());
    let spaced = known("Social Worker,snr_practitioner");
    assert_eq!(spaced.status.code(), Some(2));
    assert!(text(&spaced.stderr).contains("--grades `Social Worker`"));
}

#[test]
fn bad_hr_data_is_all_reported_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write_extract(
        tmp.path(),
        &[
            "EMP-77301,2020-01-01,,,social_worker,1,permanent,,",
            "EMP-77302,2020-02-30,,,social_worker,1,permanent,,",
            "EMP-77303,2021-05-01,2020-05-01,,social_worker,1,permanent,,",
            "EMP-77304,2020-01-01,,,astronaut,1,permanent,,",
            "EMP-77305,2018-01-01,2022-01-01,,social_worker,1,permanent,,",
            "EMP-77305,2021-01-01,,,social_worker,1,permanent,,",
            "EMP-77301,2020-01-01,,,social_worker,1,permanent,,",
        ],
    );
    let out = tmp.path().join("fragment.toml");
    let o = staffcast(&[
        "calibrate",
        "hr",
        file.to_str().unwrap(),
        "--as-of",
        "2024-01",
        "--grades",
        "social_worker",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    for wanted in [
        "row 3, column start_date: not a date",
        "row 4, column end_date: before the start date",
        "row 5, column grade: not a known grade",
        "rows 6 and 7: spells of one person that overlap",
        "row 8: the same as row 2",
        "5 problems found; nothing was written",
    ] {
        assert!(err.contains(wanted), "{wanted}:\n{err}");
    }
    for private in ["EMP-", "2020-02-30", "2021-05-01", "astronaut"] {
        assert!(!err.contains(private), "{private} leaked:\n{err}");
    }
    assert!(!out.exists());
}

/// Every "(N people)" the fragment publishes is at least 5, and every "N
/// leavers" or "N endings" 0 or at least 5.
fn published_counts_are_not_small(fragment: &str) {
    for line in fragment.lines().filter(|l| l.contains(" people);")) {
        let people: u64 = line
            .split(" people)")
            .next()
            .unwrap()
            .rsplit('(')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(people >= 5, "{line}");
        let word = if line.contains(" endings in ") {
            " endings in "
        } else {
            " leavers in "
        };
        let leavers = line
            .split(word)
            .next()
            .unwrap()
            .rsplit(": ")
            .next()
            .unwrap();
        assert!(
            leavers == "0" || leavers.parse::<u64>().is_ok_and(|n| n >= 5),
            "{line}"
        );
    }
}

#[test]
fn small_cells_are_merged_or_suppressed_and_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    // 40 people who joined in 2022, 6 of whom left in their first year;
    // 3 long-serving staff (a small 10+ band), one of whom left.
    let mut rows: Vec<String> = (0..40)
        .map(|i| {
            let end = if i < 6 { "2022-09-30" } else { "" };
            format!("N{i},2022-01-01,{end},resigned,social_worker,1,permanent,2021-07-01,")
        })
        .collect();
    rows.push("L1,2005-01-01,2023-03-31,retired,manager,1,permanent,2000-07-01,".into());
    rows.push("L2,2005-01-01,,,manager,1,permanent,2000-07-01,".into());
    rows.push("L3,2006-01-01,,,manager,1,permanent,2001-07-01,".into());
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let file = write_extract(tmp.path(), &refs);
    let o = staffcast(&[
        "calibrate",
        "hr",
        file.to_str().unwrap(),
        "--as-of",
        "2024-01",
        "--bands",
        "0,1,10",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (fragment, notes) = (text(&o.stdout), text(&o.stderr));
    published_counts_are_not_small(&fragment);
    assert!(
        fragment.contains("merged: too few people apart"),
        "{fragment}"
    );
    assert!(
        notes.contains("manager: no leaving rates of its own"),
        "{notes}"
    );
    assert!(
        notes.contains("manager: permanent staff in post suppressed (fewer than 5)"),
        "{notes}"
    );
    assert!(
        !fragment.contains("[leaving.by_grade.manager]"),
        "{fragment}"
    );
    assert!(fragment.contains("NQSWs): 40"), "{fragment}");
    for private in ["N1,", "L1", "2005-01-01"] {
        assert!(
            !fragment.contains(private) && !notes.contains(private),
            "{private} leaked"
        );
    }
}

#[test]
fn a_runs_hr_extract_calibrates_into_a_scenario_that_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("results");
    let o = staffcast(&[
        "run",
        "scenarios/bristol-progression.toml",
        "--replications",
        "4",
        "--quiet",
        "--hr-extract",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let folder = std::fs::read_dir(&out)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let extract = folder.join("hr-extract.csv");
    assert!(
        std::fs::read_to_string(folder.join("manifest.json"))
            .unwrap()
            .contains("hr-extract.csv")
    );
    let scenario =
        staffcast::scenario::load(Path::new("scenarios/bristol-progression.toml")).unwrap();
    let model = &scenario.variants[0].model;
    let as_of = model.start.plus(model.horizon() as u32).to_string();
    let hr = |flags: &[&str]| {
        let o = staffcast(
            &[
                &[
                    "calibrate",
                    "hr",
                    extract.to_str().unwrap(),
                    "--as-of",
                    &as_of,
                ][..],
                flags,
            ]
            .concat(),
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        text(&o.stdout)
    };
    // Hazards are beta distributions by default; --point writes estimates.
    assert!(!hr(&["--point"]).contains("dist ="));
    let fragment = hr(&[]);
    assert!(fragment.contains("dist = \"beta\""), "{fragment}");
    published_counts_are_not_small(&fragment);
    // The fragment's grades and leaving, completed, make a scenario that runs.
    let mut full = String::from(
        "name = \"from-hr\"\nstart = \"2025-01\"\nhorizon_months = 12\nreplications = 5\nseed = 1\n",
    );
    // Specialists need their [specialisms] tables, which are not the extract's to write.
    for line in fragment.lines().filter(|l| !l.starts_with("specialists =")) {
        full.push_str(line);
        full.push('\n');
        if line.starts_with("[grades.") {
            full.push_str("caseload_weight = 1.0\nestablishment_fte = 100\n");
        }
    }
    full.push_str("[recruitment]\nhire_monthly_probability = 0.1\ntime_to_start_months = 1\n[agency]\ncover_monthly_probability = 0.5\n[demand]\nopen_cases = 1000\n");
    let s = staffcast::scenario::compile(&full, Path::new("from-hr.toml"))
        .unwrap_or_else(|e| panic!("{e}\n{full}"));
    staffcast::runner::run(&s, &crate::common::options(5)).unwrap();
}

#[test]
fn a_backtest_sets_the_forecast_beside_the_published_years() {
    let tmp = tempfile::tempdir().unwrap();
    let file = dfe_fixture(tmp.path());
    let out = tmp.path().join("results");
    let backtest = |fit: &str, to: &str, more: &[&str]| {
        let mut args = vec![
            "backtest",
            "dfe",
            file.to_str().unwrap(),
            "--la",
            "Testshire",
        ];
        args.extend(["--fit", fit, "--to", to]);
        args.extend(more);
        staffcast(&args)
    };
    let results = ["--out", out.to_str().unwrap()];
    let o = backtest(
        "2019-2020",
        "2022",
        &[&["--replications", "50"][..], &results].concat(),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let printed = text(&o.stdout);
    assert!(printed.contains("| 2022 | inpost_fte | 200 |"), "{printed}");
    assert!(
        printed.contains(" of 16 published figures fall outside")
            || printed.contains("1 of 16 published figures falls outside"),
        "{printed}"
    );
    let folder = out.join("backtest-testshire-fit-2019-2020");
    let csv = std::fs::read_to_string(folder.join("backtest.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "year,indicator,published,model_median,model_p5,model_p95,outside_90"
    );
    assert_eq!(lines.len(), 1 + 2 * 8);
    // The published figure is outside exactly when it is outside the band.
    for line in &lines[1..] {
        let f: Vec<&str> = line.split(',').collect();
        let (published, p5, p95): (f64, f64, f64) = (
            f[2].parse().unwrap(),
            f[4].parse().unwrap(),
            f[5].parse().unwrap(),
        );
        assert_eq!(f[6] == "true", published < p5 || published > p95, "{line}");
    }
    // And the median's typical error, over the lines.
    let errors: Vec<f64> = lines[1..]
        .iter()
        .map(|line| {
            let f: Vec<f64> = line
                .split(',')
                .skip(2)
                .take(2)
                .map(|v| v.parse().unwrap())
                .collect();
            (f[1] / f[0]).ln().abs()
        })
        .filter(|e| e.is_finite())
        .collect();
    let typical = (errors.iter().sum::<f64>() / errors.len() as f64).exp_m1();
    let said = format!(
        "the model's median is typically {:.0}% off",
        100.0 * typical
    );
    assert!(printed.contains(&said), "{said} in {printed}");
    for chart in ["backtest.png", "backtest.svg", "scenario.toml"] {
        assert!(folder.join(chart).exists(), "{chart}");
    }
    // Years the file does not reach are forecast, with no figure beside
    // them and none counted as published.
    let o = backtest(
        "2019-2021",
        "2023",
        &[&["--replications", "20"][..], &results].concat(),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let printed = text(&o.stdout);
    assert!(
        printed.contains("| 2023 | inpost_fte | not published |"),
        "{printed}"
    );
    assert!(
        printed.contains(" of 8 published figures fall outside the model's 90% band (8 of the 16 lines have no published figure)"),
        "{printed}"
    );
    let o = backtest("2019-2022", "2022", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("--to 2022: must be after the last fit year"),
        "{}",
        text(&o.stderr)
    );
}

/// Every local authority's backtest at once: each one backtested once, its
/// lines in one CSV, and the coverage counted from them.
#[test]
fn every_local_authority_is_backtested_and_its_coverage_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let file = dfe_fixture(tmp.path());
    let out = tmp.path().join("results");
    let o = staffcast(&[
        "backtest",
        "every-la",
        file.to_str().unwrap(),
        "--fit",
        "2019-2020",
        "--to",
        "2022",
        "--replications",
        "40",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let printed = text(&o.stdout);
    assert!(
        printed.starts_with("3 local authorities fitted on 2019-2020"),
        "{printed}"
    );
    let folder = out.join("backtest-every-la-fit-2019-2020");
    let lines = std::fs::read_to_string(folder.join("lines.csv")).unwrap();
    let rows: Vec<Vec<&str>> = lines
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    // Three areas (one name holds a comma, quoted), two years of eight indicators each.
    assert_eq!(rows.len(), 3 * 2 * 8);
    for area in ["\"Testshire\"", "\"Gapton\"", "\"Kingston upon Toast"] {
        assert_eq!(rows.iter().filter(|r| r[0] == area).count(), 16, "{area}");
    }
    // The coverage's count over all is the lines' own: published figures,
    // and those below and above the band.
    let published: Vec<&Vec<&str>> = rows
        .iter()
        .filter(|r| r[r.len() - 5].parse::<f64>().is_ok())
        .collect();
    let outside = published
        .iter()
        .filter(|r| r[r.len() - 1] == "true")
        .count();
    let coverage = std::fs::read_to_string(folder.join("coverage.csv")).unwrap();
    let all: Vec<f64> = coverage
        .lines()
        .find_map(|l| l.strip_prefix("all,"))
        .unwrap()
        .split(',')
        .map(|n| n.parse().unwrap())
        .collect();
    let count = |n: usize| n as f64;
    assert_eq!(all[0], count(published.len()), "{coverage}");
    assert_eq!(all[2] + all[3], count(outside), "{coverage}");
    assert_eq!(all[1], count(published.len() - outside), "{coverage}");
    // The median's error: |ln(median / published)| over the figures where
    // both are positive, averaged.
    let errors: Vec<f64> = published
        .iter()
        .map(|r| {
            let (value, median): (f64, f64) = (
                r[r.len() - 5].parse().unwrap(),
                r[r.len() - 4].parse().unwrap(),
            );
            (median / value).ln().abs()
        })
        .filter(|e| e.is_finite())
        .collect();
    assert_eq!(all[5], count(errors.len()), "{coverage}");
    let mean = errors.iter().sum::<f64>() / errors.len() as f64;
    assert!((all[6] - mean).abs() < 1e-4, "{mean} in {coverage}");
    // By size, in thirds by FTE in post at the start (Gapton 80, Toast 120,
    // Testshire 200): each third's count is its authority's own.
    for (group, area) in [
        ("in post under 120 FTE", "\"Gapton\""),
        ("in post 120 to 200 FTE", "\"Kingston upon Toast"),
        ("in post 200 FTE or more", "\"Testshire\""),
    ] {
        let counted: usize = coverage
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{group},")))
            .unwrap_or_else(|| panic!("{group} in {coverage}"))
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let own = published.iter().filter(|r| r[0] == area).count();
        assert_eq!(counted, own, "{group}: {coverage}");
    }
}

/// The establishment drifts at England's trend with the area's own spread:
/// England grows 5% a year, Testshire goes 200, 220, 200 in post (and a
/// quarter of that again in vacancies).
#[test]
fn dfe_establishment_drifts_at_englands_trend_with_the_areas_spread() {
    let tmp = tempfile::tempdir().unwrap();
    let mut rows = vec![HEADER.to_string()];
    for (i, (year, own)) in [(2019, 200.0), (2020, 220.0), (2021, 200.0)]
        .into_iter()
        .enumerate()
    {
        rows.push(dfe_row(
            year,
            &format!("National,{ENGLAND}"),
            &steady(30000.0 * 1.05f64.powi(i as i32), 0.16, 300000.0),
        ));
        rows.push(dfe_row(
            year,
            &format!("Local authority,{TESTSHIRE}"),
            &steady(own, 0.15, 3000.0),
        ));
    }
    let file = write_indicators(tmp.path(), &rows);
    let text = calibrate_dfe(
        &file,
        AreaQuery::LocalAuthority("Testshire".into()),
        2019..=2021,
    )
    .text;
    let changes = [1.1f64.ln(), (1.0f64 / 1.1).ln()];
    let mean = (changes[0] + changes[1]) / 2.0;
    let sd = (changes.iter().map(|c| (c - mean).powi(2)).sum::<f64>()).sqrt();
    for line in [
        "[establishment]".to_string(),
        format!("monthly_trend = {:.5}", 1.05f64.ln() / 12.0),
        format!("monthly_noise_sd = {:.5}", sd / 12f64.sqrt()),
    ] {
        assert!(text.contains(&line), "{line} in\n{text}");
    }
}

/// A spread and a mean from three years are steadied by the other local
/// authorities': Testshire's own variance of its yearly changes in log
/// cases, and its turnover's relative variance, each moderated towards the
/// law of the other authorities' at Testshire's size (`pooled::Prior`, whose
/// fit is tested on its own); its turnover's mean pooled with theirs.
#[test]
fn an_areas_spreads_and_means_are_pooled_with_the_other_authorities() {
    use staffcast::calibrate::beta_from_moments;
    use staffcast::calibrate::pooled::{Prior, Sample};
    let tmp = tempfile::tempdir().unwrap();
    let mut rows = vec![HEADER.to_string()];
    let own_cases = [3000.0, 3300.0, 3000.0];
    let own_turnover = [0.12, 0.15, 0.18];
    // Six other authorities, each with its own size and pace of change.
    let peer_size = |k: usize| 60.0 + 30.0 * k as f64;
    let peer_cases = |k: usize| {
        let (a, b) = (0.02 * k as f64, 0.05 - 0.03 * (k % 3) as f64);
        [1000.0, 1000.0 * (1.0 + a), 1000.0 * (1.0 + a) * (1.0 + b)]
    };
    let peer_turnover = |k: usize| [0.15, 0.15 + 0.01 * k as f64, 0.14 - 0.005 * k as f64];
    for (i, year) in (2019..=2021).enumerate() {
        rows.push(dfe_row(
            year,
            &format!("National,{ENGLAND}"),
            &steady(30000.0, 0.16, 300000.0),
        ));
        rows.push(dfe_row(
            year,
            &format!("Local authority,{TESTSHIRE}"),
            &steady(200.0, own_turnover[i], own_cases[i]),
        ));
        for k in 0..6 {
            let peer = format!("E92000001,England,E12000008,South East,91{k},E0600091{k},Peer {k}");
            rows.push(dfe_row(
                year,
                &format!("Local authority,{peer}"),
                &steady(peer_size(k), peer_turnover(k)[i], peer_cases(k)[i]),
            ));
        }
    }
    let file = write_indicators(tmp.path(), &rows);
    let indicators = Indicators::load(&file).unwrap();
    let text = from_dfe::calibrate(
        &indicators,
        &from_dfe::Request {
            area: AreaQuery::LocalAuthority("Testshire".into()),
            years: Some(2019..=2021),
            horizon_months: 24,
            replications: 20,
            uncertain: true,
        },
    )
    .unwrap()
    .text;

    // A sample variance and its degrees of freedom.
    let variance = |v: &[f64]| {
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let df = v.len() as f64 - 1.0;
        (
            v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / df,
            df,
            mean,
        )
    };
    let log_changes = |v: [f64; 3]| [(v[1] / v[0]).ln(), (v[2] / v[1]).ln()];
    // Each peer's variance and degrees of freedom, with the log of its size.
    let moderated = |own: (f64, f64), peers: Vec<(f64, f64)>| {
        let samples: Vec<Sample> = peers
            .into_iter()
            .enumerate()
            .map(|(k, (var, df))| Sample {
                var,
                df,
                covariate: peer_size(k).ln(),
            })
            .collect();
        let prior = Prior::fit(&samples).expect("six peers fit a law");
        assert!(prior.df > 0.0);
        prior.moderate(own.0, own.1, 200f64.ln())
    };

    let (v, df, _) = variance(&log_changes(own_cases));
    let cases = moderated(
        (v, df),
        (0..6)
            .map(|k| {
                let (v, df, _) = variance(&log_changes(peer_cases(k)));
                (v, df)
            })
            .collect(),
    );
    let own_noise = variance(&log_changes(own_cases)).0.sqrt() / 12f64.sqrt();
    let noise = cases.sqrt() / 12f64.sqrt();
    assert!((noise - own_noise).abs() > 1e-4, "{noise} {own_noise}");
    let line = format!("monthly_noise_sd = {noise:.5}");
    assert!(text.contains(&line), "{line} in\n{text}");

    let own = variance(&own_turnover);
    let relative = |(v, df, mean): (f64, f64, f64)| (v / (mean * mean), df);
    let turnover = moderated(
        relative(own),
        (0..6)
            .map(|k| relative(variance(&peer_turnover(k))))
            .collect(),
    );
    let sd = turnover.sqrt() * own.2;
    // The mean pooled with the other authorities' (normal-normal empirical
    // Bayes): their means' variance beyond their years' chance is the true
    // rates' spread, weighed against this mean's standard error.
    let peers: Vec<(f64, f64, f64)> = (0..6).map(|k| variance(&peer_turnover(k))).collect();
    let centre = peers.iter().map(|p| p.2).sum::<f64>() / 6.0;
    let between = peers.iter().map(|p| (p.2 - centre).powi(2)).sum::<f64>() / 5.0;
    let chance = peers.iter().map(|p| p.0 / 3.0).sum::<f64>() / 6.0;
    let truth = (between - chance).max(0.0);
    let weight = truth / (truth + sd * sd / 3.0);
    let mean = centre + weight * (own.2 - centre);
    assert!((mean - own.2).abs() > 1e-4, "{mean} {}", own.2);
    let (alpha, beta) = beta_from_moments(mean, sd).unwrap();
    let line =
        format!("annual_rate = [{{ dist = \"beta\", alpha = {alpha:.3}, beta = {beta:.3} }}]");
    assert!(text.contains(&line), "{line} in\n{text}");
    assert!(text.contains("the other local authorities' "), "{text}");
    assert!(
        text.contains(&format!("its weight {weight:.2}")),
        "{weight} in {text}"
    );
}

/// A scenario calibrated to start in a financial year the national pay
/// figures cover is costed: it runs with a finance section and costs.csv.
#[test]
fn a_recent_calibration_is_costed_at_national_pay() {
    let tmp = tempfile::tempdir().unwrap();
    let mut rows = vec![HEADER.to_string()];
    for year in 2023..=2025 {
        rows.push(dfe_row(
            year,
            &format!("National,{ENGLAND}"),
            &steady(34000.0, 0.15, 320000.0),
        ));
        rows.push(dfe_row(
            year,
            &format!("Local authority,{TESTSHIRE}"),
            &steady(200.0, 0.15, 3000.0),
        ));
    }
    let file = write_indicators(tmp.path(), &rows);
    let scenario = tmp.path().join("testshire.toml");
    let o = staffcast(&[
        "calibrate",
        "dfe",
        file.to_str().unwrap(),
        "--la",
        "testshire",
        "--out",
        scenario.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let written = std::fs::read_to_string(&scenario).unwrap();
    for line in [
        "[finance.grades.social_worker]",
        "salary = 40777",
        "agency_premium = 0.4060",
    ] {
        assert!(written.contains(line), "{line} in\n{written}");
    }
    let folder = run_briefly(&scenario, tmp.path()).join("testshire-dfe-2023-2025");
    assert!(folder.join("costs.csv").exists());
    let summary = std::fs::read_to_string(folder.join("summary.md")).unwrap();
    assert!(summary.contains("## Finance"), "{summary}");
}

/// Random indicator files of seven authorities (sizes, turnover and cases of
/// any value, zeros and suppressed cells anywhere): calibrating each gives a
/// scenario or a reason, never a panic or a value that is not a number, with
/// every spread moderated towards the others' and costs written.
mod random_files {
    use super::*;
    use proptest::prelude::*;

    /// One authority-year: in-post FTE, turnover, cases, and which cells
    /// are suppressed (`x`) or zero.
    type Year = (f64, f64, f64, u16, u16);

    fn year() -> impl Strategy<Value = Year> {
        (
            1.0f64..400.0,
            0.0f64..0.6,
            0.0f64..5000.0,
            any::<u16>(),
            any::<u16>(),
        )
    }

    fn file(years: &[Vec<Year>]) -> String {
        let mut rows = vec![HEADER.to_string()];
        for (i, year) in (2023..=2025).enumerate() {
            rows.push(dfe_row(
                year,
                &format!("National,{ENGLAND}"),
                &steady(34000.0, 0.15, 320000.0),
            ));
            for (k, authority) in years.iter().enumerate() {
                let (inpost, turnover, cases, suppressed, zero) = authority[i];
                let mut cells = steady(inpost.round(), turnover, cases.round());
                for (c, (_, value)) in cells.iter_mut().enumerate() {
                    if suppressed >> c & 1 == 1 && c % 3 == 0 {
                        *value = "x".to_string();
                    } else if zero >> c & 1 == 1 && c % 4 == 1 {
                        *value = "0".to_string();
                    }
                }
                let area =
                    format!("E92000001,England,E12000008,South East,92{k},E0600092{k},Area {k}");
                rows.push(dfe_row(year, &format!("Local authority,{area}"), &cells));
            }
        }
        rows.join("\n") + "\n"
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn every_authority_calibrates_or_says_why(
            years in proptest::collection::vec(proptest::collection::vec(year(), 3), 7)
        ) {
            let indicators = Indicators::parse(file(&years).as_bytes(), Path::new("random.csv"))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            for k in 0..7 {
                let request = from_dfe::Request {
                    area: AreaQuery::LocalAuthority(format!("Area {k}")),
                    years: None,
                    horizon_months: 12,
                    replications: 1,
                    uncertain: true,
                };
                match from_dfe::calibrate(&indicators, &request) {
                    Ok(c) => {
                        let values = c.text.lines().filter(|l| !l.starts_with('#'));
                        for line in values {
                            prop_assert!(!line.contains("NaN") && !line.contains("inf"), "{line} in\n{}", c.text);
                        }
                        prop_assert!(c.text.contains("[finance.grades.social_worker]"));
                    }
                    Err(e) => prop_assert!(!e.contains("NaN") && !e.contains("inf"), "{e}"),
                }
            }
        }
    }
}

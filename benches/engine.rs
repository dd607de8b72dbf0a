//! Criterion benchmarks: each monthly process on 10,000 people, one
//! replication (of the default scenario, and of a synthetic service at five
//! sizes), and whole runs (the default scenario and Bradford at 1,000
//! replications; a synthetic national workforce of 33,000 FTE over 10 years
//! at 20); then what follows a run: keeping a replication's record, and
//! writing every output of the default scenario's 1,000 replications.
//! Throughput is in person-months (elements). `cargo bench -- --quick` runs
//! each briefly, for CI.

use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main,
};
use staffcast::ledger::Flows;
use staffcast::model::{Model, Scenario};
use staffcast::outcome::Outcome;
use staffcast::output::{digest, write};
use staffcast::process::{agency, leaving, pipelines, progress, recruitment};
use staffcast::runner::{RunOptions, run};
use staffcast::scenario::{compile, default_scenario, load};
use staffcast::sim::{Prepared, prepare, run_replication};

fn bundled(file: &str) -> Scenario {
    load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).expect("bundled scenario")
}

/// A synthetic service with every process on: four grades, a teaching
/// partnership, ASYE, panels, AMHP training, agency rules, returners and
/// finance with a retention payment. `scale` = 1 is about 330 FTE; every
/// post, person, case, placement and cohort is multiplied by it (rounded,
/// and at least one).
pub fn synthetic(scale: f64, horizon_months: u32) -> Scenario {
    let n = |x: u32| ((f64::from(x) * scale).round() as u32).max(1);
    let text = format!(
        r#"
name = "synthetic-{establishment}-fte"
start = "2025-04"
horizon_months = {horizon_months}
replications = 20
seed = 11

[grades.nqsw]
caseload_weight = 0.8
establishment_fte = {nq}
agency_cover = false
permanent = {{ headcount = {nq}, fte = {nq} }}
service_mix = [1, 0, 0, 0, 0]

[grades.social_worker]
caseload_weight = 1.0
establishment_fte = {sw_e}
permanent = {{ headcount = {sw}, fte = {sw} }}
agency = {{ headcount = {sw_a}, fte = {sw_a} }}
service_mix = [0.15, 0.30, 0.25, 0.18, 0.12]
specialists = {{ amhp = {amhp} }}

[grades.senior]
caseload_weight = 1.0
establishment_fte = {se_e}
permanent = {{ headcount = {se}, fte = {se} }}
agency = {{ headcount = {se_a}, fte = {se_a} }}
service_mix = [0.05, 0.15, 0.25, 0.30, 0.25]

[grades.manager]
caseload_weight = 0.0
case_holding = false
establishment_fte = {m_e}
permanent = {{ headcount = {m}, fte = {m} }}
service_mix = [0.0, 0.1, 0.2, 0.3, 0.4]

[leaving]
bands_years = [0, 1, 3, 5, 10]
annual_rate = [0.16, 0.15, {{ dist = "triangular", low = 0.14, mode = 0.19, high = 0.24 }}, 0.12, 0.10]
agency_annual_rate = 0.5

[recruitment]
hire_monthly_probability = 0.05
time_to_start_months = {{ dist = "triangular", low = 1.0, mode = 2.0, high = 3.5 }}
agency_conversion_annual_rate = 0.05
[recruitment.by_grade.nqsw]
hire_monthly_probability = 0.0

[agency]
cover_monthly_probability = 0.3
cover_lag_months = 1.0
returner_share = 0.14

[agency_rules.cooling_off]
months = 3

[demand]
open_cases = {cases}
monthly_trend = 0.002
monthly_noise_sd = 0.02

[caseload]
safe_level = 20
pressure_leaving_multiplier = 1.25

[asye]
grade = "nqsw"
next_grade = "social_worker"
pass_rate = 0.95

[progression.to_senior]
from = "social_worker"
to = "senior"
panel_months = [6, 12]
min_months_in_grade = 18
min_months_qualified = 30
success_rate = 0.6
requires_vacancy = true
stall_after_months = 24
stall_leaving_multiplier = 1.3

[specialisms.amhp]
required = {amhp_need}

[training.amhp]
intake_months = [1]
cohort_size = {amhp_cohort}
eligible_grades = ["social_worker", "senior"]
min_months_qualified = 24
duration_months = 9
release_fraction = 1.0
pass_rate = 0.9

[teaching_partnership]
placements_per_year = {placements}
placement_month = 9
graduation_rate = 0.9
local_acceptance_rate = 0.5
intake_month = 9
external_applicants = {external}

[finance]
on_cost_rate = 0.33
pay_award = {{ dist = "triangular", low = 0.02, mode = 0.03, high = 0.04 }}
cost_per_hire = 3000
grant_per_nqsw = 2000
[finance.grades.nqsw]
salary = 33366
agency_premium = 0.4
[finance.grades.social_worker]
salary = [37011, 38223, 39513]
agency_premium = 0.4
[finance.grades.senior]
salary = 44711
agency_premium = 0.4
[finance.grades.manager]
salary = 52805
agency_premium = 0.4
[finance.retention_payments.amhp]
specialisms = ["amhp"]
from = "2025-04"
amount = 5000
pay_months = [4]
leaving_multiplier = {{ dist = "triangular", low = 0.77, mode = 0.87, high = 0.95 }}
lock_in_months = 12
clawback = {{ schedule = [[0, 1.0], [12, 0.0]] }}
[finance.training.amhp]
fee = 7500
backfill_share = 0.5
"#,
        establishment = n(40) + n(200) + n(60) + n(30),
        nq = n(40),
        sw_e = n(200),
        sw = n(160),
        sw_a = n(25),
        amhp = n(8),
        se_e = n(60),
        se = n(52),
        se_a = n(5),
        m_e = n(30),
        m = n(28),
        cases = n(4600),
        amhp_need = n(10),
        amhp_cohort = n(3),
        placements = n(40),
        external = n(15),
    );
    compile(&text, std::path::Path::new("synthetic.toml")).expect("the synthetic scenario is valid")
}

/// A replication of `model` run for `months`, as a starting point.
fn warmed(model: &Model, months: usize) -> Prepared {
    let mut p = prepare(model, 1, 0);
    for t in 0..months {
        let mut flows = Flows::new(model.grades.len(), model.bands.len());
        staffcast::sim::step_month(
            model,
            &p.realized,
            &p.draws,
            t,
            model.month(t),
            &mut p.state,
            &mut flows,
        );
    }
    p
}

type Step = fn(
    &Model,
    &staffcast::sim::Realized,
    usize,
    staffcast::calendar::Month,
    &staffcast::rng::Draws,
    &mut staffcast::sim::State,
    &mut Flows,
);

/// Each process's monthly step on a service of about 10,000 people, in a
/// month when it has work to do (September: placements, intake, panels off;
/// and progress again in June, a panel month), and the month's census of the
/// same people. Five years and more in, so that the people are in the order
/// years of leavers and joiners leave them (as in most months of a run), not
/// in the starting order by grade and contract, which flatters any scan that
/// branches on them.
fn processes(c: &mut Criterion) {
    const MONTH: usize = 65;
    const PANEL_MONTH: usize = 62;
    let scenario = synthetic(30.0, MONTH as u32 + 1);
    let model = &scenario.variants[0].model;
    let start = warmed(model, MONTH);
    let panel = warmed(model, PANEL_MONTH);
    let people = start.state.workforce.len() as u64;
    let mut group = c.benchmark_group("process");
    group.throughput(Throughput::Elements(people));
    let steps: [(&str, Step, &Prepared, usize); 6] = [
        ("leaving", leaving::step, &start, MONTH),
        ("progress", progress::step, &start, MONTH),
        ("progress_at_a_panel", progress::step, &panel, PANEL_MONTH),
        ("pipelines_and_training", pipelines::step, &start, MONTH),
        ("recruitment", recruitment::step, &start, MONTH),
        ("agency", agency::step, &start, MONTH),
    ];
    for (name, step, from, t) in steps {
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    // With the room a run keeps, so that joiners do not
                    // copy every column (a copy has none to spare).
                    let mut state = from.state.clone();
                    state.workforce.reserve(people as usize / 2);
                    state
                },
                |mut state| {
                    let mut flows = Flows::new(model.grades.len(), model.bands.len());
                    step(
                        model,
                        &from.realized,
                        t,
                        model.month(t),
                        &from.draws,
                        &mut state,
                        &mut flows,
                    );
                    state
                },
                BatchSize::LargeInput,
            )
        });
    }
    // The census reads everyone every month; the state it reads is not
    // changed, so no copy is needed.
    let mut census = staffcast::sim::Census::default();
    group.bench_function("census", |b| {
        b.iter(|| {
            staffcast::sim::take_census(model, &start.state.workforce, &mut census);
            census.salary_fte
        })
    });
    group.finish();
}

/// Replications 1, 2, 3, ... of `model`, one per iteration, so that no one
/// replication's luck is timed over and over; throughput in the
/// person-months of replication 0.
fn replications(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, model: &Model) {
    let person_months = run_replication(model, 1, 0).expect("runs").person_months;
    group.throughput(Throughput::Elements(person_months));
    let mut r = 0;
    group.bench_function(name, |b| {
        b.iter(|| {
            r += 1;
            run_replication(model, 1, r).expect("runs")
        })
    });
}

/// One replication of the default (Slough) scenario's base case.
fn replication(c: &mut Criterion) {
    let scenario = default_scenario().expect("bundled scenario is valid");
    let mut group = c.benchmark_group("replication");
    group.sample_size(50);
    replications(&mut group, "slough_base", &scenario.variants[0].model);
    group.finish();
}

/// One replication of the synthetic service, 120 months, at sizes from the
/// default scenario's (about 130 FTE) to the national workforce's: the
/// month's work that does not grow with the people (the record of every
/// metric, the census, the month's tables, a pass over each grade) weighs
/// most in the smallest, as the README's performance section sets out.
fn replication_by_size(c: &mut Criterion) {
    let mut group = c.benchmark_group("replication_by_size");
    group.sample_size(20);
    let sizes = [
        ("fte_130", 0.4),
        ("fte_400", 1.2),
        ("fte_1300", 4.0),
        ("fte_4000", 12.0),
        ("fte_33000", 100.0),
    ];
    for (name, scale) in sizes {
        let scenario = synthetic(scale, 120);
        replications(&mut group, name, &scenario.variants[0].model);
    }
    group.finish();
}

fn whole_run(c: &mut Criterion, name: &str, scenario: &Scenario, replications: u32) {
    let options = RunOptions {
        replications: Some(replications),
        ..Default::default()
    };
    let person_months = run(scenario, &options).expect("runs").person_months;
    let mut group = c.benchmark_group("end_to_end");
    group.throughput(Throughput::Elements(person_months));
    group.sample_size(10);
    group.bench_function(name, |b| b.iter(|| run(scenario, &options).expect("runs")));
    group.finish();
}

/// Whole runs on every core: every variant, simulation only (no files).
fn end_to_end(c: &mut Criterion) {
    whole_run(
        c,
        "slough_1000_replications",
        &default_scenario().expect("bundled"),
        1000,
    );
    whole_run(
        c,
        "bradford_1000_replications",
        &bundled("scenarios/bradford-adults-2024.toml"),
        1000,
    );
    whole_run(
        c,
        "national_33000_fte_10_years_20_replications",
        &synthetic(100.0, 120),
        20,
    );
}

/// Keeping a record (`Outcome::new`: the narrowest form of each metric, the
/// derived ones checked) and writing every output file of a run.
fn outputs(c: &mut Criterion) {
    let bradford = bundled("scenarios/bradford-adults-2024.toml");
    let model = &bradford.variants[0].model;
    let metrics = model.catalogue.len();
    let record = run_replication(model, 1, 0).expect("runs").record();
    let mut group = c.benchmark_group("outputs");
    group.throughput(Throughput::Elements(record.len() as u64));
    group.bench_function("keep_a_bradford_record", |b| {
        b.iter(|| Outcome::new(&record, metrics, model.catalogue.derivation(), 0))
    });
    let scenario = default_scenario().expect("bundled");
    let options = RunOptions {
        replications: Some(1000),
        ..Default::default()
    };
    let result = run(&scenario, &options).expect("runs");
    let out = tempfile::tempdir().expect("a temporary folder");
    group.throughput(Throughput::Elements(result.person_months));
    group.sample_size(10);
    group.bench_function("write_slough_1000_replications", |b| {
        b.iter(|| {
            write(
                &scenario,
                &result,
                &digest(&result),
                out.path(),
                &Default::default(),
            )
            .expect("writes")
        })
    });
    // At the scale a strategist asks for, the quantiles, comparisons and
    // target verdicts over replications outweigh the files themselves.
    let options = RunOptions {
        replications: Some(10_000),
        ..Default::default()
    };
    let result = run(&scenario, &options).expect("runs");
    group.throughput(Throughput::Elements(result.person_months));
    group.bench_function("digest_slough_10000_replications", |b| {
        b.iter(|| digest(&result))
    });
    group.finish();
}

criterion_group!(
    benches,
    processes,
    replication,
    replication_by_size,
    end_to_end,
    outputs
);
criterion_main!(benches);

//! Pipelines, careers and training cohorts: flows that balance, rules that
//! hold, and rates that match their exact expectations.

use staffcast::metrics as m;
use staffcast::runner::{RunOptions, RunResult, run};

use crate::common::{binomial_mean, compile, mean_at};

/// Two grades, nobody leaving or hired from the market, and `sections` added.
fn scenario(nqsw: u32, social_workers: u32, sections: &str) -> String {
    format!(
        r#"
name = "careers"
start = "2024-01"
horizon_months = 30
replications = 10
seed = 11

[grades.nqsw]
caseload_weight = 0.5
establishment_fte = 1000
agency_cover = false
permanent = {{ headcount = {nqsw}, fte = {nqsw} }}
service_mix = [{nqsw}]

[grades.social_worker]
caseload_weight = 1.0
establishment_fte = 1000
permanent = {{ headcount = {social_workers}, fte = {social_workers} }}
service_mix = [{social_workers}]
months_qualified_at_hire = 40

[grades.senior]
caseload_weight = 1.0
establishment_fte = 1000

[leaving]
bands_years = [0]
annual_rate = [0.0]
agency_annual_rate = 0.0

[recruitment]
hire_monthly_probability = 0.0
time_to_start_months = 0

[agency]
cover_monthly_probability = 0.0

[demand]
open_cases = 1000

[asye]
grade = "nqsw"
next_grade = "social_worker"
duration_months = 12
pass_rate = 1.0

{sections}
"#
    )
}

fn run_text(text: &str, replications: u32) -> RunResult<'static> {
    let scenario = Box::leak(Box::new(compile(text)));
    run(
        scenario,
        &RunOptions {
            replications: Some(replications),
            threads: Some(2),
            ..Default::default()
        },
    )
    .unwrap()
}

fn at(result: &RunResult, metric: usize, t: usize) -> Vec<f64> {
    let run = &result.variants[0];
    let n = run.variant.model.catalogue.len();
    run.outcomes.iter().map(|o| o.value(n, t, metric)).collect()
}

/// Placements -> graduates -> NQSWs -> social workers, with every rate 1:
/// each stage passes on exactly what it received.
#[test]
fn the_pipeline_passes_everyone_on_when_every_rate_is_one() {
    let text = scenario(
        0,
        0,
        "[teaching_partnership]\nplacements_per_year = 7\ngraduation_rate = 1.0\nlocal_acceptance_rate = 1.0\n",
    );
    let result = run_text(&text, 3);
    let catalogue = &result.variants[0].variant.model.catalogue;
    // Placed in 2024-09 (month 8); graduate and start in 2025-09 (month 20); pass the ASYE in 2026-09 (month 32, beyond).
    assert!(at(&result, m::PLACEMENTS, 8).iter().all(|&p| p == 7.0));
    assert!(at(&result, m::GRADUATES, 20).iter().all(|&g| g == 7.0));
    assert!(
        at(
            &result,
            catalogue.route(staffcast::workforce::Route::NqswLocal),
            20
        )
        .iter()
        .all(|&s| s == 7.0)
    );
    assert!(
        at(&result, catalogue.grade_fte_permanent(0), 29)
            .iter()
            .all(|&s| s == 7.0)
    );
}

#[test]
fn practice_educator_capacity_caps_placements() {
    let sections = "[specialisms.practice_educator]\n\
        [teaching_partnership]\nplacements_per_year = 50\npractice_educator = \"practice_educator\"\nstudents_per_educator = 1.5\nlocal_acceptance_rate = 1.0\n";
    let text = scenario(0, 20, sections).replace(
        "months_qualified_at_hire = 40",
        "months_qualified_at_hire = 40\nspecialists = { practice_educator = 9 }",
    );
    let result = run_text(&text, 2);
    // 9 educators x 1.5 students = 13.5: 13 placements, not the 50 planned.
    assert!(
        at(&result, m::PLACEMENT_CAPACITY, 8)
            .iter()
            .all(|&c| c == 13.5)
    );
    assert!(at(&result, m::PLACEMENTS, 8).iter().all(|&p| p == 13.0));
    assert!(
        at(&result, m::SUFFICIENCY_FAILURES, 8)
            .iter()
            .all(|&f| f >= 1.0)
    );
}

/// N NQSWs finish the ASYE together; passes are Binomial(N, p).
#[test]
fn asye_completions_match_the_pass_rate() {
    let n = 200u32;
    let p = 0.8;
    let text = scenario(n, 0, "").replace("pass_rate = 1.0", &format!("pass_rate = {p}"));
    let replications = 200;
    let result = run_text(&text, replications);
    // Starting NQSWs have up to ten years in grade (one open service band); all
    // have finished by month 12, when the last, with 0 months, reaches 12.
    let passed = mean_at(&result, 0, m::FTE_PERMANENT, 12)
        - mean_at(
            &result,
            0,
            result.variants[0]
                .variant
                .model
                .catalogue
                .grade_fte_permanent(0),
            12,
        );
    binomial_mean(passed, &[(f64::from(n), p)], replications, "passed");
    let failed: f64 = (0..13)
        .map(|t| {
            mean_at(
                &result,
                0,
                result.variants[0]
                    .variant
                    .model
                    .catalogue
                    .reason(staffcast::workforce::LeaveReason::AsyeFailed),
                t,
            )
        })
        .sum();
    binomial_mean(failed, &[(f64::from(n), 1.0 - p)], replications, "failed");
}

/// At the first panel, each of N eligible workers is promoted with probability s.
#[test]
fn panel_promotions_match_the_success_rate() {
    let n = 300u32;
    let s = 0.35;
    let sections = format!(
        "[progression.up]\nfrom = \"social_worker\"\nto = \"senior\"\npanel_months = [6]\nmin_months_qualified = 30\nsuccess_rate = {s}\n"
    );
    let replications = 200;
    let result = run_text(&scenario(0, n, &sections), replications);
    let promoted = mean_at(&result, 0, m::PROMOTIONS, 5);
    binomial_mean(promoted, &[(f64::from(n), s)], replications, "promoted");
    // No panel sits in other months.
    assert!(at(&result, m::PROMOTIONS, 4).iter().all(|&p| p == 0.0));
}

#[test]
fn a_vacancy_rule_limits_promotions_to_free_posts() {
    let sections = "[progression.up]\nfrom = \"social_worker\"\nto = \"senior\"\npanel_months = [6]\nsuccess_rate = 1.0\nrequires_vacancy = true\n";
    let text = scenario(0, 50, sections).replace(
        "[grades.senior]\ncaseload_weight = 1.0\nestablishment_fte = 1000",
        "[grades.senior]\ncaseload_weight = 1.0\nestablishment_fte = 4",
    );
    let result = run_text(&text, 3);
    assert!(at(&result, m::PROMOTIONS, 5).iter().all(|&p| p == 4.0));
}

/// Cohorts start only in intake months, take at most the cohort size, and only
/// eligible staff; trainees' release lowers capacity by exactly the fraction.
#[test]
fn training_cohorts_respect_size_eligibility_months_and_release() {
    let sections = "[specialisms.amhp]\nrequired = 5\n\
        [training.amhp]\nintake_months = [3]\ncohort_size = 6\neligible_grades = [\"social_worker\"]\nmin_months_qualified = 24\nduration_months = 4\nrelease_fraction = 0.5\npass_rate = 1.0\n";
    // NQSWs stay NQSWs here, so that capacity changes only with training.
    let text = scenario(10, 20, sections).replace(
        "duration_months = 12\npass_rate",
        "duration_months = 1200\npass_rate",
    );
    let result = run_text(&text, 3);
    let catalogue = &result.variants[0].variant.model.catalogue;
    // Before March nobody trains; in March 6 of the 20 eligible social workers start (the NQSWs are not eligible).
    assert!(at(&result, m::TRAINEES, 1).iter().all(|&x| x == 0.0));
    assert!(at(&result, m::TRAINEES, 2).iter().all(|&x| x == 6.0));
    // 10 NQSWs x 0.5 + 20 social workers x 1.0 = 25 before; 6 trainees at half time release 3.
    assert!(
        at(&result, m::CASE_HOLDING_CAPACITY, 1)
            .iter()
            .all(|&c| (c - 25.0).abs() < 1e-9)
    );
    assert!(
        at(&result, m::CASE_HOLDING_CAPACITY, 2)
            .iter()
            .all(|&c| (c - 22.0).abs() < 1e-9)
    );
    assert!(
        at(&result, m::TRAINING_RELEASE_FTE, 2)
            .iter()
            .all(|&c| (c - 3.0).abs() < 1e-9)
    );
    // The course ends in July (month 6): 6 AMHPs, more than the 5 required.
    assert!(
        at(&result, catalogue.specialists(0), 6)
            .iter()
            .all(|&x| x == 6.0)
    );
    assert!(
        at(&result, catalogue.sufficiency_gap(0), 6)
            .iter()
            .all(|&x| x == 1.0)
    );
    // The next March, 6 of the remaining 14 start.
    assert!(at(&result, m::TRAINEES, 14).iter().all(|&x| x == 6.0));
}

#[test]
fn grow_your_own_cohorts_qualify_as_nqsws() {
    let sections = "[grow_your_own.apprentices]\ncohorts = [{ start = \"2023-09\", size = 10 }]\nduration_months = 12\ncompletion_rate = 1.0\n";
    let result = run_text(&scenario(0, 0, sections), 2);
    // Apprentices study until 2024-09 (month 8), then join as NQSWs.
    assert!(at(&result, m::APPRENTICES, 7).iter().all(|&a| a == 10.0));
    assert!(at(&result, m::APPRENTICES, 8).iter().all(|&a| a == 0.0));
    assert!(at(&result, m::NQSW_STARTERS, 8).iter().all(|&s| s == 10.0));
}

/// The mean of `values` (one per replication) against Binomial(n, p)'s.
#[track_caller]
fn binomial_values(values: &[f64], n: f64, p: f64, what: &str) {
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    binomial_mean(mean, &[(n, p)], values.len() as u32, what);
}

/// The pipeline's rates: of P students placed, Binomial(P, g) graduate and
/// Binomial(P, g a) start as local NQSWs (each graduate accepting with
/// probability a); of a grow-your-own cohort of C, Binomial(C, c) complete
/// and start as NQSWs.
#[test]
fn pipeline_stages_pass_students_on_at_their_rates() {
    let (placed, graduation, acceptance) = (60.0, 0.8, 0.6);
    let (cohort, completion) = (40.0, 0.7);
    let sections = format!(
        "[teaching_partnership]\nplacements_per_year = {placed}\ngraduation_rate = {graduation}\n\
         local_acceptance_rate = {acceptance}\n\
         [grow_your_own.apprentices]\ncohorts = [{{ start = \"2023-09\", size = {cohort} }}]\n\
         duration_months = 12\ncompletion_rate = {completion}\n"
    );
    let result = run_text(&scenario(0, 0, &sections), 400);
    let catalogue = &result.variants[0].variant.model.catalogue;
    use staffcast::workforce::Route;
    // Apprentices finish in 2024-09 (month 8); students placed then
    // graduate and start in 2025-09 (month 20).
    let completed = at(&result, catalogue.route(Route::GrowYourOwn), 8);
    binomial_values(&completed, cohort, completion, "apprentices completing");
    let graduates = at(&result, m::GRADUATES, 20);
    binomial_values(&graduates, placed, graduation, "graduates");
    let local = at(&result, catalogue.route(Route::NqswLocal), 20);
    binomial_values(&local, placed, graduation * acceptance, "local NQSWs");
}

/// A training cohort's passes: of C starting, Binomial(C, p) hold the
/// specialism when the course ends; those who fail go back to casework.
#[test]
fn training_passes_at_its_rate() {
    let (cohort, pass) = (40.0, 0.65);
    let sections = format!(
        "[specialisms.amhp]\n[training.amhp]\nintake_months = [3]\ncohort_size = {cohort}\n\
         eligible_grades = [\"social_worker\"]\nduration_months = 4\npass_rate = {pass}\n"
    );
    let result = run_text(&scenario(0, 100, &sections), 400);
    let catalogue = &result.variants[0].variant.model.catalogue;
    // Started in March (month 2), the course ends in July (month 6).
    assert!(at(&result, m::TRAINEES, 2).iter().all(|&x| x == cohort));
    assert!(at(&result, m::TRAINEES, 6).iter().all(|&x| x == 0.0));
    binomial_values(
        &at(&result, catalogue.specialists(0), 6),
        cohort,
        pass,
        "passes",
    );
}

/// Every process on (the Bradford scenario): still the same bytes at any
/// thread count, and a variant matches the base until its change starts.
#[test]
fn determinism_and_common_random_numbers_hold_with_all_processes_on() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/bradford-adults-2024.toml");
    let scenario = staffcast::scenario::load(&path).unwrap();
    let options = |threads| RunOptions {
        replications: Some(12),
        threads: Some(threads),
        ..Default::default()
    };
    let one = run(&scenario, &options(1)).unwrap();
    let three = run(&scenario, &options(3)).unwrap();
    for (a, b) in one.variants.iter().zip(&three.variants) {
        for (x, y) in a.outcomes.iter().zip(&b.outcomes) {
            assert_eq!(x.record(), y.record());
        }
    }
    // placements_grown changes from 2025-09 (month 11); the PE cohort change acts from the first September (month 11).
    let base = &one.variants[0];
    let grown = one
        .variants
        .iter()
        .find(|v| v.variant.name == "placements_grown")
        .unwrap();
    let n = base.variant.model.catalogue.len();
    for (a, b) in base.outcomes.iter().zip(&grown.outcomes) {
        assert_eq!(a.record()[..11 * n], b.record()[..11 * n]);
    }
}

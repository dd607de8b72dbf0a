//! Random valid scenarios with every process on: careers, the teaching
//! partnership, training, agency rules and returners, finance with a
//! retention payment. Every month the engine's ledger checks balance per
//! grade and contract (a break fails the run); here the recorded metrics are
//! checked too: no negative stocks, rates inside [0, 1], costs of the right
//! sign and adding up.

use proptest::prelude::*;
use staffcast::metrics as m;
use staffcast::runner::run;

use crate::common::{compile, options};

#[allow(clippy::too_many_arguments)]
fn scenario(
    nqsw: u32,
    social_workers: u32,
    agency: u32,
    leaving: f64,
    hire: f64,
    cover: f64,
    returners: f64,
    amhp: u32,
    effect: f64,
    horizon: u32,
) -> String {
    format!(
        r#"
name = "random"
start = "2024-03"
horizon_months = {horizon}
replications = 3
seed = 9

[grades.nqsw]
caseload_weight = 0.8
establishment_fte = {nq_posts}
agency_cover = false
permanent = {{ headcount = {nqsw}, fte = {nqsw} }}
service_mix = [{nqsw}, 0]

[grades.social_worker]
caseload_weight = 1.0
establishment_fte = {sw_posts}
permanent = {{ headcount = {social_workers}, fte = {social_workers} }}
agency = {{ headcount = {agency}, fte = {agency} }}
service_mix = [0.5, 0.5]
specialists = {{ amhp = {amhp} }}

[grades.senior]
caseload_weight = 1.0
establishment_fte = 10
permanent = {{ headcount = 8, fte = 7.5 }}
service_mix = [0, 8]

[leaving]
bands_years = [0, 3]
annual_rate = [{leaving}, {{ dist = "uniform", low = 0.05, high = 0.2 }}]
agency_annual_rate = 0.4

[recruitment]
hire_monthly_probability = {hire}
time_to_start_months = {{ dist = "triangular", low = 0.5, mode = 1.5, high = 3.0 }}
agency_conversion_annual_rate = 0.1
[recruitment.by_grade.nqsw]
hire_monthly_probability = 0.0

[agency]
cover_monthly_probability = {cover}
cover_lag_months = 1
returner_share = {returners}

[agency_rules.cooling_off]
months = 3
[agency_rules.minimum_experience]
months_qualified = 36
supply_below = 0.2
[agency_rules.price_cap]
hourly_rate = 30
cover_multiplier = 0.9

[demand]
open_cases = 700
monthly_noise_sd = 0.03

[caseload]
safe_level = 18
pressure_leaving_multiplier = 1.2

[asye]
grade = "nqsw"
next_grade = "social_worker"
pass_rate = 0.9

[progression.up]
from = "social_worker"
to = "senior"
panel_months = [6]
min_months_in_grade = 12
min_months_qualified = 24
success_rate = 0.5
requires_vacancy = true
stall_after_months = 12
stall_leaving_multiplier = 1.5

[specialisms.amhp]
required = 6

[training.amhp]
intake_months = [1, 7]
cohort_size = 2
eligible_grades = ["social_worker", "senior"]
min_months_qualified = 24
duration_months = 6
release_fraction = 0.5
pass_rate = 0.8

[teaching_partnership]
placements_per_year = 8
graduation_rate = 0.9
local_acceptance_rate = 0.6
intake_month = 9
external_applicants = 3

[finance]
on_cost_rate = 0.3
pay_award = 0.03
cost_per_hire = 2000
grant_per_nqsw = 1500
grant_per_placement = 100
[finance.grades.nqsw]
salary = 33000
agency_premium = 0.4
[finance.grades.social_worker]
salary = [36000, 37000, 38000]
agency_hourly_rate = 32
[finance.grades.senior]
salary = 44000
agency_daily_rate = 260
[finance.retention_payments.amhp]
specialisms = ["amhp"]
from = "2024-03"
amount = 3000
pay_months = [4, 10]
leaving_multiplier = {effect}
lock_in_months = 6
clawback = {{ schedule = [[0, 1.0], [12, 0.0]] }}
[finance.training.amhp]
fee = 6000
backfill_share = 0.5
clawback = {{ schedule = [[0, 1.0], [24, 0.0]] }}
[finance.market_supplements.front]
grades = ["social_worker"]
from = "2024-09"
annual_amount = 2000
hire_multiplier = 1.3
leaving_multiplier = 0.9
[finance.campaigns.drive]
from = "2024-04"
until = "2024-07"
cost = 30000
hire_multiplier = 1.5
"#,
        nq_posts = nqsw + 2,
        sw_posts = social_workers + agency + 5,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_with_every_process_on(
        (nqsw, social_workers, agency) in (0u32..8, 0u32..40, 0u32..15),
        (leaving, hire, cover, returners) in (0.0f64..0.5, 0.0f64..0.3, 0.0f64..1.0, 0.0f64..0.5),
        (amhp, effect, horizon) in (0u32..6, 0.5f64..1.0, 1u32..36),
    ) {
        let amhp = amhp.min(social_workers);
        let text = scenario(nqsw, social_workers, agency, leaving, hire, cover, returners, amhp, effect, horizon);
        let scenario = compile(&text);
        let result = run(&scenario, &options(3)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let run = &result.variants[0];
        let n = run.variant.model.catalogue.len();
        for outcome in &run.outcomes {
            for t in 0..horizon as usize {
                let v = |metric| outcome.value(n, t, metric);
                for stock in [m::FTE_PERMANENT, m::FTE_AGENCY, m::HEADCOUNT, m::VACANCY_FTE, m::OPEN_CASES, m::TRAINEES] {
                    prop_assert!(v(stock) >= 0.0, "negative stock {} at month {t}", m::FIXED[stock].0);
                }
                for rate in [m::AGENCY_RATE, m::PERMANENT_SHARE, m::VACANCY_RATE, m::NQSW_SHARE] {
                    prop_assert!((0.0..=1.0).contains(&v(rate)), "{} outside [0, 1] at month {t}", m::FIXED[rate].0);
                }
                prop_assert!(v(m::FTE_PERMANENT) <= v(m::HEADCOUNT) + 1e-9, "FTE above headcount");
                for cost in [m::COST_PERMANENT_PAY, m::COST_AGENCY, m::COST_RECRUITMENT, m::COST_CAMPAIGNS,
                             m::COST_SUPPLEMENTS, m::COST_RETENTION, m::COST_TRAINING_FEES, m::COST_BACKFILL] {
                    prop_assert!(v(cost) >= 0.0, "{} negative at month {t}", m::FIXED[cost].0);
                }
                for income in [m::COST_RETENTION_CLAWBACK, m::COST_TRAINING_CLAWBACK, m::COST_GRANTS] {
                    prop_assert!(v(income) <= 0.0, "{} positive at month {t}", m::FIXED[income].0);
                }
                let lines: f64 = m::COST_LINES.iter().map(|&l| v(l)).sum();
                prop_assert!((lines - v(m::COST_TOTAL)).abs() < 1e-6 * lines.abs().max(1.0), "lines do not add up");
            }
        }
    }
}

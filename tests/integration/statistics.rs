//! Monte Carlo results against expectations solved exactly, with tolerances
//! of K standard errors.

use staffcast::metrics;
use staffcast::param::monthly_hazard;
use staffcast::runner::{RunResult, run};

use crate::common::{Synthetic, binomial_mean, mean_at, near, options};

/// With a constant hazard h and no hiring, the survivors of N after m months
/// are Binomial(N, (1-h)^m): mean N p, variance N p (1-p).
#[test]
fn survivors_follow_the_constant_hazard() {
    let n = 400u32;
    let scenario = Synthetic {
        establishment: f64::from(n),
        permanent: n,
        annual_leaving: 0.25,
        ..Default::default()
    }
    .compile();
    let replications = 300;
    let result = run(&scenario, &options(replications)).unwrap();
    let h = monthly_hazard(0.25);
    for months in [1usize, 6, 12, 24] {
        let p = (1.0 - h).powi(months as i32);
        let got = mean_at(&result, 0, metrics::FTE_PERMANENT, months - 1);
        binomial_mean(
            got,
            &[(f64::from(n), p)],
            replications,
            &format!("month {months}"),
        );
    }
}

/// Hiring alone: each of N vacancies is filled in a month with probability
/// p, starting at once, so the permanent staff after month t are
/// Binomial(N, 1 - (1 - p)^(t + 1)).
#[test]
fn vacancies_fill_at_the_hire_probability() {
    let (n, p) = (200u32, 0.06);
    let scenario = Synthetic {
        establishment: f64::from(n),
        permanent: 0,
        annual_leaving: 0.0,
        hire_probability: p,
        ..Default::default()
    }
    .compile();
    let replications = 300;
    let result = run(&scenario, &options(replications)).unwrap();
    for t in [0usize, 5, 11, 23] {
        let filled = 1.0 - (1.0 - p).powi(t as i32 + 1);
        let got = mean_at(&result, 0, metrics::FTE_PERMANENT, t);
        binomial_mean(
            got,
            &[(f64::from(n), filled)],
            replications,
            &format!("month {t}"),
        );
    }
}

/// Agency cover alone: each of E posts is covered or not, a two-state Markov
/// chain. Each month an assignment ends with hazard e, then an uncovered post
/// is covered with probability q, so the covered share follows
/// pi' = pi (1-e)(1-q) + q from pi = 0, and agency FTE is Binomial(E, pi).
#[test]
fn agency_cover_follows_its_markov_chain() {
    let e_posts = 60u32;
    let (annual_end, q) = (0.5, 0.3);
    let scenario = Synthetic {
        establishment: f64::from(e_posts),
        permanent: 0,
        agency_annual_rate: annual_end,
        cover_probability: q,
        ..Default::default()
    }
    .compile();
    let replications = 300;
    let result = run(&scenario, &options(replications)).unwrap();
    let e = monthly_hazard(annual_end);
    let mut pi = 0.0;
    for t in 0..24 {
        pi = pi * (1.0 - e) * (1.0 - q) + q;
        if ![0, 3, 11, 23].contains(&t) {
            continue;
        }
        let got = mean_at(&result, 0, metrics::FTE_AGENCY, t);
        binomial_mean(
            got,
            &[(f64::from(e_posts), pi)],
            replications,
            &format!("month {t}"),
        );
    }
}

/// Agency conversion alone, at a rate that changes in July (and in a variant
/// that changes it differently from then, forked from the base there): every
/// agency worker converts in a month with that month's hazard h, so the
/// agency workers left after month t are Binomial(N, prod (1 - h)).
#[test]
fn agency_workers_convert_at_each_month_s_hazard() {
    let n = 300u32;
    let text = Synthetic {
        establishment: f64::from(n),
        permanent: 0,
        agency: n,
        annual_leaving: 0.0,
        conversion: 0.3,
        ..Default::default()
    }
    .toml()
    .replace(
        "agency_conversion_annual_rate = 0.3",
        r#"agency_conversion_annual_rate = { schedule = { "2024-01" = 0.3, "2024-07" = 0.9 } }"#,
    );
    let text = format!(
        "{text}\n[variants.faster.recruitment]\n\
         agency_conversion_annual_rate = {{ schedule = {{ \"2024-01\" = 0.3, \"2024-07\" = 0.99 }} }}\n"
    );
    let scenario = crate::common::compile(&text);
    let replications = 300;
    let result = run(&scenario, &options(replications)).unwrap();
    for (v, later) in [(0, 0.9), (1, 0.99)] {
        let mut left = 1.0;
        for t in 0..24 {
            left *= 1.0 - monthly_hazard(if t < 6 { 0.3 } else { later });
            if ![0, 5, 6, 11, 23].contains(&t) {
                continue;
            }
            let got = mean_at(&result, v, metrics::FTE_AGENCY, t);
            let what = format!("variant {v}, month {t}");
            binomial_mean(got, &[(f64::from(n), left)], replications, &what);
        }
    }
}

/// The metric of that name in variant `v`'s catalogue.
fn metric(result: &staffcast::runner::RunResult, v: usize, name: &str) -> usize {
    let catalogue = &result.variants[v].variant.model.catalogue;
    catalogue
        .find(name)
        .unwrap_or_else(|| panic!("no metric {name}"))
}

/// Leaving by length of service: in the first month (before anyone ages)
/// each band's leavers are Binomial(n_b, h_b) with the band's own hazard,
/// the 3-5 year peak included.
#[test]
fn each_service_band_leaves_at_its_own_rate() {
    let rates = [0.25, 0.15, 0.35, 0.12, 0.08];
    let per_band = 300u32;
    let n = per_band * rates.len() as u32;
    let text = Synthetic {
        establishment: f64::from(n),
        permanent: n,
        ..Default::default()
    }
    .toml()
    .replace("bands_years = [0]", "bands_years = [0, 1, 3, 5, 10]")
    .replace(
        "annual_rate = [0.2]",
        "annual_rate = [0.25, 0.15, 0.35, 0.12, 0.08]",
    )
    .replace(
        "service_mix = [1.0]",
        "service_mix = [300, 300, 300, 300, 300]",
    );
    let scenario = crate::common::compile(&text);
    let replications = 400;
    let result = run(&scenario, &options(replications)).unwrap();
    for (band, rate) in ["0-1", "1-3", "3-5", "5-10", "10+"].iter().zip(rates) {
        let got = mean_at(
            &result,
            0,
            metric(&result, 0, &format!("leavers_band.{band}")),
            0,
        );
        let part = (f64::from(per_band), monthly_hazard(rate));
        binomial_mean(got, &[part], replications, &format!("band {band}"));
    }
}

/// Caseload pressure: with far more cases than the staff can hold safely,
/// every month after the first leaves at the hazard times the multiplier, so
/// the survivors after month t are Binomial(N, (1-h)(1-mh)^t).
#[test]
fn caseload_pressure_multiplies_leaving_from_the_month_after() {
    let (n, multiplier) = (400u32, 2.5);
    let text = Synthetic {
        establishment: f64::from(n),
        permanent: n,
        annual_leaving: 0.2,
        extra: format!("[caseload]\nsafe_level = 18\npressure_leaving_multiplier = {multiplier}\n"),
        ..Default::default()
    }
    .toml()
    .replace("open_cases = 1000", "open_cases = 100000");
    let scenario = crate::common::compile(&text);
    let replications = 300;
    let result = run(&scenario, &options(replications)).unwrap();
    let h = monthly_hazard(0.2);
    for t in [0usize, 1, 6, 18] {
        let p = (1.0 - h) * (1.0 - multiplier * h).powi(t as i32);
        let got = mean_at(&result, 0, metrics::FTE_PERMANENT, t);
        binomial_mean(
            got,
            &[(f64::from(n), p)],
            replications,
            &format!("month {t}"),
        );
    }
}

/// A specialism's holders leave at the band's hazard times its multiplier,
/// or (in a variant) at its own rate instead; everyone else at the band's.
/// Each group's survivors after month t are Binomial(n, (1-h)^(t+1)).
#[test]
fn specialists_leave_at_their_multiplier_or_their_own_rate() {
    let (n, holders) = (400u32, 100u32);
    let text = Synthetic {
        establishment: f64::from(n),
        permanent: n,
        annual_leaving: 0.2,
        extra: "[specialisms.amhp]\nleaving_multiplier = 2\n\
                [variants.own_rate.specialisms.amhp]\nannual_leaving_rate = 0.5\nleaving_multiplier = 1\n"
            .into(),
        ..Default::default()
    }
    .toml()
    .replace("service_mix = [1.0]", "service_mix = [1.0]\nspecialists = { amhp = 100 }");
    let scenario = crate::common::compile(&text);
    let replications = 300;
    let result = run(&scenario, &options(replications)).unwrap();
    let others = monthly_hazard(0.2);
    for (v, held) in [(0, 2.0 * others), (1, monthly_hazard(0.5))] {
        for t in [0usize, 5, 17] {
            let survive = |h: f64| (1.0 - h).powi(t as i32 + 1);
            let what = format!("variant {v}, month {t}");
            let got = mean_at(&result, v, metric(&result, v, "specialists.amhp"), t);
            binomial_mean(
                got,
                &[(f64::from(holders), survive(held))],
                replications,
                &what,
            );
            let got = mean_at(&result, v, metrics::FTE_PERMANENT, t);
            let parts = [
                (f64::from(holders), survive(held)),
                (f64::from(n - holders), survive(others)),
            ];
            binomial_mean(got, &parts, replications, &what);
        }
    }
}

/// Demand: open cases grow by the trend with mean-one lognormal noise each
/// month, a walk (`walks`) from the first month's cases.
#[test]
fn open_cases_follow_the_trend_with_mean_one_noise() {
    let (cases, trend, sd) = (1000.0, 0.01, 0.05);
    let text = Synthetic::default().toml().replace(
        "open_cases = 1000",
        &format!("open_cases = {cases}\nmonthly_trend = {trend}\nmonthly_noise_sd = {sd}"),
    );
    let scenario = crate::common::compile(&text);
    let replications = 1000;
    let result = run(&scenario, &options(replications)).unwrap();
    let open = metric(&result, 0, "open_cases");
    walks(&result, open, cases, trend, sd, &[1, 6, 12, 23]);
}

/// Checks a metric that follows a walk from `first` with a monthly trend
/// and mean-one lognormal noise of log-sd `sd`: after t months its mean is
/// first (1+trend)^t exactly, and its logarithm normal with variance t sd^2.
/// The sample mean is held to the lognormal's standard error, the sample
/// variance of the logarithms to the chi-squared law's, sd^2 t sqrt(2 / (R - 1)).
#[track_caller]
fn walks(result: &RunResult, metric: usize, first: f64, trend: f64, sd: f64, months: &[usize]) {
    let outcomes = &result.variants[0].outcomes;
    let n = outcomes.len() as f64;
    let metrics = result.variants[0].variant.model.catalogue.len();
    for &t in months {
        let expected = first * (1.0f64 + trend).powi(t as i32);
        let log_variance = sd * sd * t as f64;
        let se = expected * (log_variance.exp_m1() / n).sqrt();
        near(
            mean_at(result, 0, metric, t),
            expected,
            se,
            &format!("month {t}: mean"),
        );
        let logs: Vec<f64> = outcomes
            .iter()
            .map(|o| o.value(metrics, t, metric).ln())
            .collect();
        let mean = logs.iter().sum::<f64>() / n;
        let variance = logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let se = log_variance * (2.0 / (n - 1.0)).sqrt();
        near(
            variance,
            log_variance,
            se,
            &format!("month {t}: variance of the logarithm"),
        );
    }
}

/// Returners: each resigning permanent worker offers themselves back with
/// probability r and, with posts to spare, starts as an agency worker after
/// the lag; so the returners starting in month `lag` are those who left in
/// the first month, Binomial(N, h r), and none start before.
#[test]
fn a_share_of_leavers_return_as_agency_after_the_lag() {
    let (n, share, lag) = (1000u32, 0.4, 2usize);
    let text = Synthetic {
        establishment: f64::from(n),
        permanent: n,
        annual_leaving: 0.3,
        ..Default::default()
    }
    .toml()
    .replace(
        "cover_lag_months = 0",
        &format!("cover_lag_months = 0\nreturner_share = {share}\nreturner_lag_months = {lag}"),
    );
    let scenario = crate::common::compile(&text);
    let replications = 400;
    let result = run(&scenario, &options(replications)).unwrap();
    let returners = metric(&result, 0, "starters.agency_returner");
    for t in 0..lag {
        assert_eq!(mean_at(&result, 0, returners, t), 0.0, "month {t}");
    }
    let got = mean_at(&result, 0, returners, lag);
    let part = (f64::from(n), monthly_hazard(0.3) * share);
    binomial_mean(got, &[part], replications, "returners");
}

/// A retention payment's effect: while it is in force, staff within its
/// service range leave at the hazard times its multiplier and the rest at
/// the hazard, so in the first month the leavers of the band it covers are
/// Binomial(n, m h) and of the band it does not, Binomial(n, h).
#[test]
fn a_retention_payment_multiplies_leaving_for_those_it_covers() {
    let (per_band, multiplier) = (400u32, 0.4);
    let text = Synthetic {
        establishment: f64::from(2 * per_band),
        permanent: 2 * per_band,
        annual_leaving: 0.3,
        extra: format!(
            "[finance]\non_cost_rate = 0.3\n\
             [finance.grades.social_worker]\nsalary = 36000\nagency_premium = 0.4\n\
             [finance.retention_payments.stay]\nfrom = \"2024-01\"\namount = 1000\npay_months = [4]\n\
             min_service_years = 1\nleaving_multiplier = {multiplier}\n"
        ),
        ..Default::default()
    }
    .toml()
    .replace("bands_years = [0]", "bands_years = [0, 1]")
    .replace("annual_rate = [0.3]", "annual_rate = [0.3, 0.3]")
    .replace("service_mix = [1.0]", &format!("service_mix = [{per_band}, {per_band}]"));
    let scenario = crate::common::compile(&text);
    let replications = 400;
    let result = run(&scenario, &options(replications)).unwrap();
    let h = monthly_hazard(0.3);
    for (band, hazard) in [("0-1", h), ("1+", multiplier * h)] {
        let got = mean_at(
            &result,
            0,
            metric(&result, 0, &format!("leavers_band.{band}")),
            0,
        );
        binomial_mean(got, &[(f64::from(per_band), hazard)], replications, band);
    }
}

/// The establishment's drift: every grade's posts times a walk with a trend
/// and mean-one lognormal noise (`walks`), as open cases move.
#[test]
fn the_establishment_drifts_with_its_trend_and_noise() {
    let (posts, trend, sd) = (200.0, 0.004, 0.03);
    let scenario = Synthetic {
        establishment: posts,
        permanent: 0,
        annual_leaving: 0.0,
        extra: format!("[establishment]\nmonthly_trend = {trend}\nmonthly_noise_sd = {sd}\n"),
        ..Default::default()
    }
    .compile();
    let replications = 1000;
    let result = run(&scenario, &options(replications)).unwrap();
    let establishment = metric(&result, 0, "establishment_fte");
    assert_eq!(
        mean_at(&result, 0, establishment, 0),
        posts,
        "the first month's as given"
    );
    walks(&result, establishment, posts, trend, sd, &[1, 6, 23]);
}

//! Costs, clawback, NPV, paired comparisons and break-even: identities that
//! hold exactly, and Monte Carlo results against exact expectations within
//! K standard errors.

use staffcast::breakeven::{BreakevenOptions, breakeven};
use staffcast::compare::{self, by_financial_year, difference, npv};
use staffcast::metrics as m;
use staffcast::model::Clawback;
use staffcast::outcome::Outcome;
use staffcast::output::{OutputOptions, digest, write};
use staffcast::param::monthly_hazard;
use staffcast::runner::run;

use crate::common::{Synthetic, binomial_mean, compile, near, options};

/// Pay, agency rate and one retention payment for the synthetic grade.
fn finance(payment: &str, variants: &str) -> String {
    format!(
        r#"
[finance]
on_cost_rate = 0.3
pay_award = 0.05
discount_rate = 0.0
agency_hours_per_year = 1800
[finance.grades.social_worker]
salary = 36000
agency_hourly_rate = 20
[finance.retention_payments.all]
from = "2024-01"
{payment}
{variants}
"#
    )
}

fn total(outcome: &Outcome, metrics: usize, metric: usize, months: usize) -> f64 {
    (0..months).map(|t| outcome.value(metrics, t, metric)).sum()
}

/// A retention payment with no effect on leaving changes no workforce number
/// (common random numbers), and costs exactly the payments made: the amount
/// times the FTE in post on each payment month, with on-costs.
#[test]
fn a_payment_with_no_effect_costs_exactly_the_payments_made() {
    let scenario = Synthetic {
        permanent: 90,
        agency: 5,
        hire_probability: 0.2,
        time_to_start: 1.5,
        cover_probability: 0.5,
        agency_annual_rate: 0.3,
        extra: finance(
            "amount = 1000\npay_months = [4, 10]\nleaving_multiplier = 1.0\nenabled = false",
            "[variants.paid.finance.retention_payments.all]\nenabled = true",
        ),
        ..Default::default()
    }
    .compile();
    let result = run(&scenario, &options(40)).unwrap();
    let (base, paid) = (&result.variants[0], &result.variants[1]);
    let model = &paid.variant.model;
    let n = model.catalogue.len();
    let mut payments_seen = 0.0;
    for (b, p) in base.outcomes.iter().zip(&paid.outcomes) {
        for t in 0..model.horizon() {
            let workforce = (0..n).filter(|k| !(m::COST_PERMANENT_PAY..=m::COST_TOTAL).contains(k));
            for metric in workforce {
                assert_eq!(b.value(n, t, metric), p.value(n, t, metric), "{t} {metric}");
            }
            let due = [4, 10].contains(&model.month(t).month_of_year());
            let expected = if due {
                1000.0 * 1.3 * p.value(n, t, m::FTE_PERMANENT)
            } else {
                0.0
            };
            let paid_now = p.value(n, t, m::COST_RETENTION);
            assert!(
                (paid_now - expected).abs() < 1e-6,
                "month {t}: {paid_now} vs {expected}"
            );
            payments_seen += paid_now;
            let extra = p.value(n, t, m::COST_TOTAL) - b.value(n, t, m::COST_TOTAL);
            assert!(
                (extra - paid_now).abs() < 1e-6,
                "month {t}: {extra} vs {paid_now}"
            );
        }
    }
    assert!(payments_seen > 0.0);
}

/// Permanent pay is FTE x salary x on-costs x the pay index, which rises by
/// the award each April; agency spend is FTE x hourly rate x hours (also
/// indexed), and a price cap limits the rate.
#[test]
fn pay_and_agency_costs_follow_their_rates() {
    let extra = finance("amount = 0\npay_months = [4]", "")
        + "[agency_rules.price_cap]\nfrom = \"2024-07\"\nhourly_rate = 19.5\n";
    let scenario = Synthetic {
        permanent: 80,
        agency: 10,
        hire_probability: 0.1,
        cover_probability: 0.3,
        extra,
        ..Default::default()
    }
    .compile();
    let result = run(&scenario, &options(5)).unwrap();
    let run0 = &result.variants[0];
    let model = &run0.variant.model;
    let n = model.catalogue.len();
    for outcome in &run0.outcomes {
        for t in 0..model.horizon() {
            let month = model.month(t);
            // Start January 2024: April 2024 and April 2025 bring the award.
            let aprils = (1..=t)
                .filter(|&k| model.month(k).month_of_year() == 4)
                .count();
            let index = 1.05f64.powi(aprils as i32);
            let pay = outcome.value(n, t, m::FTE_PERMANENT) * 36000.0 * 1.3 * index / 12.0;
            let got = outcome.value(n, t, m::COST_PERMANENT_PAY);
            assert!(
                (got - pay).abs() < 1e-6 * pay.max(1.0),
                "{month}: {got} vs {pay}"
            );
            let capped = month >= staffcast::calendar::Month::parse("2024-07").unwrap();
            let rate = if capped {
                (20.0 * index).min(19.5)
            } else {
                20.0 * index
            };
            let agency = outcome.value(n, t, m::FTE_AGENCY) * rate * 1800.0 / 12.0;
            let got = outcome.value(n, t, m::COST_AGENCY);
            assert!(
                (got - agency).abs() < 1e-6 * agency.max(1.0),
                "{month}: {got} vs {agency}"
            );
        }
    }
}

#[test]
fn clawback_schedules_interpolate_between_their_points() {
    // Bristol: repaid on a decreasing basis within two years, half after twelve months.
    let bristol = Clawback {
        points: vec![(0, 1.0), (24, 0.0)],
        recovery_rate: 1.0,
    };
    assert_eq!(bristol.share(0), 1.0);
    assert_eq!(bristol.share(12), 0.5);
    assert_eq!(bristol.share(18), 0.25);
    assert_eq!(bristol.share(24), 0.0);
    assert_eq!(bristol.share(30), 0.0);
    // Kent: a golden hello repaid in full within two years, then nothing.
    let cliff = Clawback {
        points: vec![(0, 1.0), (23, 1.0), (24, 0.0)],
        recovery_rate: 0.5,
    };
    assert_eq!(cliff.share(23), 1.0);
    assert_eq!(cliff.share(24), 0.0);
    assert_eq!(cliff.recovered(2000.0, 10), 1000.0);
}

/// One payment of A in January to all N in post, then leaving at hazard h
/// and a clawback falling from all to nothing over 12 months: leavers in
/// month t (t >= 1) are N (1-h)^t h on average, each repaying A (1 - t/12).
#[test]
fn clawback_recovered_matches_its_expectation() {
    let (n, annual, amount) = (300u32, 0.3, 1200.0);
    let scenario = Synthetic {
        establishment: f64::from(n),
        permanent: n,
        annual_leaving: annual,
        extra: finance(
            &format!(
                "until = \"2024-02\"\namount = {amount}\npay_months = [1]\nclawback = {{ schedule = [[0, 1.0], [12, 0.0]] }}"
            ),
            "",
        ),
        ..Default::default()
    }
    .compile();
    let replications = 200;
    let result = run(&scenario, &options(replications)).unwrap();
    let run0 = &result.variants[0];
    let metrics = run0.variant.model.catalogue.len();
    let h = monthly_hazard(annual);
    let expected: f64 = (1..=12)
        .map(|t| f64::from(n) * (1.0 - h).powi(t) * h * amount * (1.0 - f64::from(t) / 12.0))
        .sum();
    let totals: Vec<f64> = run0
        .outcomes
        .iter()
        .map(|o| -total(o, metrics, m::COST_RETENTION_CLAWBACK, 24))
        .collect();
    let mean = totals.iter().sum::<f64>() / totals.len() as f64;
    let sd =
        (totals.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (totals.len() - 1) as f64).sqrt();
    near(
        mean,
        expected,
        sd / f64::from(replications).sqrt(),
        "recovered",
    );
}

/// February 2024 to May 2025 spans three financial years: 2 months of
/// 2023/24, 12 of 2024/25 and 2 of 2025/26. The NPV discounts the second by
/// one year and the third by two.
#[test]
fn financial_years_and_npv_match_hand_computation() {
    let text = Synthetic {
        horizon: 16,
        ..Default::default()
    }
    .toml()
    .replace("start = \"2024-01\"", "start = \"2024-02\"");
    let scenario = compile(&text);
    let model = &scenario.variants[0].model;
    assert_eq!(compare::financial_years(model), vec![2023, 2024, 2025]);
    let n = model.catalogue.len();
    let mut series = vec![0.0; 16 * n];
    for t in 0..16 {
        series[t * n + m::COST_PERMANENT_PAY] = 1000.0 + t as f64;
        series[t * n + m::COST_TOTAL] = 1000.0 + t as f64;
    }
    let outcome = Outcome::new(&series, n, model.catalogue.derivation(), 0);
    let years = by_financial_year(model, &outcome, m::COST_TOTAL);
    let sum = |r: std::ops::Range<usize>| r.map(|t| 1000.0 + t as f64).sum::<f64>();
    assert_eq!(years, vec![sum(0..2), sum(2..14), sum(14..16)]);
    let expected = sum(0..2) + sum(2..14) / 1.035 + sum(14..16) / (1.035 * 1.035);
    let discount = |rate, deflator| compare::Discount { rate, deflator };
    let got = npv(model, &outcome, m::COST_TOTAL, discount(0.035, 0.0));
    assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
    // Deflated to the first year's prices at 2% a year, then discounted.
    let real = sum(0..2) + sum(2..14) / (1.035 * 1.02) + sum(14..16) / (1.035 * 1.02f64).powi(2);
    let got = npv(model, &outcome, m::COST_TOTAL, discount(0.035, 0.02));
    assert!((got - real).abs() < 1e-6, "{got} vs {real}");
}

/// The same three years as they are shown: the part years say how many
/// months they hold, in the summary and in the comparison's count.
#[test]
fn part_years_are_shown_with_their_months() {
    let scenario = Synthetic {
        horizon: 16,
        extra: finance("amount = 1000\npay_months = [4]", ""),
        ..Default::default()
    }
    .toml()
    .replace("start = \"2024-01\"", "start = \"2024-02\"");
    let scenario = compile(&scenario);
    let result = run(&scenario, &options(3)).unwrap();
    assert_eq!(compare::compare(&result).months_in_year, vec![2, 12, 2]);
    let (_out, folder, _) = written(&scenario, &result);
    let summary = std::fs::read_to_string(folder.join("summary.md")).unwrap();
    for year in [
        "| 2023/24 (2 months) |",
        "| 2024/25 |",
        "| 2025/26 (2 months) |",
    ] {
        assert!(summary.contains(year), "{year} not in:\n{summary}");
    }
}

/// NPVs are compared at the base's discounting, as they are labelled: a
/// variant that changes only the discount rate and the deflator costs
/// nothing more, exactly, though its own NPV would differ.
#[test]
fn variants_npvs_are_at_the_bases_discounting() {
    let scenario = Synthetic {
        permanent: 90,
        hire_probability: 0.1,
        horizon: 30,
        extra: finance(
            "amount = 2000\npay_months = [4]",
            "[variants.other_rates.finance]\ndiscount_rate = 0.1\ndeflator = 0.05",
        ),
        ..Default::default()
    }
    .compile();
    let result = run(&scenario, &options(20)).unwrap();
    let comparison = compare::compare(&result);
    let npv = comparison.find("npv.cost.total", compare::HORIZON).unwrap();
    let d = comparison.differences[0][npv];
    assert_eq!((d.mean, d.ci), (0.0, (0.0, 0.0)));
    let own = |v: usize| {
        let run = &result.variants[v];
        compare::measures(&run.variant.model, &run.outcomes[0])[npv]
    };
    assert!(
        own(1) < own(0),
        "at its own rates the variant's NPV is lower"
    );
}

/// Pairing by replication removes the luck both runs share: the paired
/// standard error of a difference is far below the unpaired one.
#[test]
fn paired_differences_vary_less_than_unpaired() {
    let scenario = Synthetic {
        permanent: 90,
        annual_leaving: 0.2,
        hire_probability: 0.1,
        cover_probability: 0.3,
        extra: finance(
            "amount = 2000\npay_months = [4]\nleaving_multiplier = { dist = \"uniform\", low = 0.5, high = 1.0 }\nenabled = false",
            "[variants.paid.finance.retention_payments.all]\nenabled = true",
        ),
        ..Default::default()
    }
    .compile();
    let replications = 100;
    let result = run(&scenario, &options(replications)).unwrap();
    // Were pairing no help, the two standard errors would estimate the same
    // thing, and their ratio would be 1 give or take the noise of two
    // estimated standard deviations (relative error sqrt(1 / (2 (n - 1)))
    // each, so sqrt(1 / (n - 1)) for the ratio): the bound is 3 of those
    // below 1. (Pairing here about halves the standard error.)
    let noise = (1.0 / (f64::from(replications) - 1.0)).sqrt();
    let far_below = 1.0 - 3.0 * noise;
    let comparison = compare::compare(&result);
    for name in ["permanent_fte_years", "cost.total"] {
        let k = comparison.find(name, compare::HORIZON).unwrap();
        let d = comparison.differences[0][k];
        assert!(
            d.se < far_below * d.se_unpaired,
            "{name}: paired SE {} vs unpaired {}",
            d.se,
            d.se_unpaired
        );
    }
    // The same, shown directly: base r against variant r, and against variant r + 1.
    let model = &result.variants[0].variant.model;
    let fte_years = |o: &Outcome| {
        compare::measures(model, o)[comparison
            .find("permanent_fte_years", compare::HORIZON)
            .unwrap()]
    };
    let base: Vec<f64> = result.variants[0].outcomes.iter().map(fte_years).collect();
    let paid: Vec<f64> = result.variants[1].outcomes.iter().map(fte_years).collect();
    let shifted: Vec<f64> = (0..paid.len())
        .map(|r| paid[(r + 1) % paid.len()])
        .collect();
    let paired = difference(&base, &paid);
    let unpaired = difference(&base, &shifted);
    assert!(
        paired.se < far_below * unpaired.se,
        "{} vs {}",
        paired.se,
        unpaired.se
    );
}

/// Leavers are covered at once by agency workers whose assignments never end,
/// and nobody is hired, so with survivors S_t(m) = (1 - m h)^(t+1) the mean
/// net benefit of a payment of a a month per person in post is
/// B(m) = sum_t N [(S_t(m) - S_t(1)) c - S_t(m) a], c the monthly agency
/// cost. The search must find the m where B(m) = 0.
#[test]
fn breakeven_search_recovers_a_known_effect() {
    let (n, annual, horizon) = (200u32, 0.3, 24usize);
    let (agency_month, payment) = (20.0 * 1800.0 / 12.0, 100.0);
    let mut extra = finance(
        &format!(
            "amount = {payment}\npay_months = [1,2,3,4,5,6,7,8,9,10,11,12]\nleaving_multiplier = 0.8"
        ),
        "",
    );
    extra = extra.replace("on_cost_rate = 0.3", "on_cost_rate = 0.0");
    extra = extra.replace("pay_award = 0.05", "pay_award = 0.0");
    let scenario = Synthetic {
        establishment: f64::from(n),
        permanent: n,
        annual_leaving: annual,
        cover_probability: 1.0,
        horizon: horizon as u32,
        extra,
        ..Default::default()
    }
    .compile();
    let h = monthly_hazard(annual);
    let benefit = |mult: f64| -> f64 {
        (0..horizon)
            .map(|t| {
                let s = (1.0 - mult * h).powi(t as i32 + 1);
                let s1 = (1.0 - h).powi(t as i32 + 1);
                f64::from(n) * ((s - s1) * agency_month - s * payment)
            })
            .sum()
    };
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if benefit(mid) >= 0.0 {
            lo = mid
        } else {
            hi = mid
        }
    }
    let exact = 0.5 * (lo + hi);
    let (progress, runs) = crate::common::counted();
    let options = BreakevenOptions {
        replications: Some(200),
        threads: Some(2),
        lowest_multiplier: 0.2,
        progress: Some(progress),
        ..BreakevenOptions::new("all")
    };
    let found = breakeven(&scenario, &options).unwrap();
    // Without the payment once, then each multiplier, every replication counted.
    let counted = runs.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(counted, 200 * (1 + found.points.len()));
    let estimate = found.multiplier.expect("a break-even in the range");
    let (low, high) = (found.interval.0.unwrap(), found.interval.1.unwrap());
    assert!(
        low <= exact && exact <= high,
        "exact {exact}, found {estimate} ({low} to {high})"
    );
    assert!(high - low < 0.1, "interval too wide: {low} to {high}");
    // No effect: the payment costs its payments and saves nothing.
    let at_one = found.points.last().unwrap();
    assert_eq!(at_one.multiplier, 1.0);
    assert_eq!(at_one.savings.mean, 0.0);
}

#[test]
fn breakeven_names_an_unknown_payment_and_lists_the_known() {
    let scenario = Synthetic {
        extra: finance("amount = 100\npay_months = [4]", ""),
        ..Default::default()
    }
    .compile();
    let err = breakeven(&scenario, &BreakevenOptions::new("amhp")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("`amhp`") && text.contains("all"), "{text}");
}

/// With returners (every leaver offers to come back as agency after a
/// month), a 3-month cooling-off keeps them out for 3 months.
#[test]
fn cooling_off_delays_leavers_returning_as_agency() {
    let rules = "[agency_rules.cooling_off]\nmonths = 3\nenabled = false\n[variants.cooling_off.agency_rules.cooling_off]\nenabled = true\n";
    let text = Synthetic {
        permanent: 100,
        annual_leaving: 0.4,
        extra: rules.to_string(),
        ..Default::default()
    }
    .toml()
    .replace(
        "cover_lag_months = 0\n",
        "cover_lag_months = 0\nreturner_share = 1.0\nreturner_lag_months = 1\n",
    );
    let scenario = compile(&text);
    let result = run(&scenario, &options(20)).unwrap();
    let metric = result.variants[0]
        .variant
        .model
        .catalogue
        .find("starters.agency_returner")
        .unwrap();
    let returned = |v: usize, t: usize| crate::common::mean_at(&result, v, metric, t);
    assert!(
        returned(0, 1) > 0.0,
        "without cooling-off, leavers return after a month"
    );
    for t in 0..3 {
        assert_eq!(returned(1, t), 0.0, "month {t}: inside the cooling-off");
    }
    assert!(returned(1, 3) > 0.0, "after the cooling-off they return");
}

/// The experience rule removes a share of the agency supply: with E
/// uncovered posts and cover probability q, the first month's agency FTE is
/// Binomial(E, q (1 - s)).
#[test]
fn minimum_experience_shrinks_agency_supply() {
    let (posts, q, s) = (80u32, 0.5, 0.4);
    let scenario = Synthetic {
        establishment: f64::from(posts),
        permanent: 0,
        cover_probability: q,
        extra: format!(
            "[agency_rules.minimum_experience]\nmonths_qualified = 36\nsupply_below = {s}\n"
        ),
        ..Default::default()
    }
    .compile();
    let replications = 200;
    let result = run(&scenario, &options(replications)).unwrap();
    let got = crate::common::mean_at(&result, 0, m::FTE_AGENCY, 0);
    binomial_mean(
        got,
        &[(f64::from(posts), q * (1.0 - s))],
        replications,
        "agency FTE",
    );
}

/// Bradford's 10 degree apprentices cost 8,000 GBP a year each while on the
/// route; in October 2024 no course starts, so that is the whole line.
#[test]
fn apprenticeships_cost_their_yearly_fee_while_on_the_route() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/bradford-adults-2024.toml");
    let scenario = staffcast::scenario::load(&path).unwrap();
    let model = &scenario.variants[0].model;
    let outcome = staffcast::sim::run_replication(model, 1, 0).unwrap();
    let n = model.catalogue.len();
    let fees = outcome.value(n, 0, m::COST_TRAINING_FEES);
    assert!((fees - 10.0 * 8000.0 / 12.0).abs() < 1e-9, "{fees}");
}

/// finance.xlsx holds the finance tables as sheets, with the same numbers
/// as the comparison: read back from the file itself.
#[test]
fn the_finance_workbook_holds_the_finance_tables() {
    use std::io::Read;
    let scenario = staffcast::scenario::default_scenario().unwrap();
    let result = run(&scenario, &options(12)).unwrap();
    let (_out, folder, digest) = written(&scenario, &result);
    let file = std::fs::File::open(folder.join("finance.xlsx")).unwrap();
    let mut book = zip::ZipArchive::new(file).expect("a zip archive, as every xlsx is");
    let mut part = |name: &str| {
        let mut text = String::new();
        book.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let sheets = part("xl/workbook.xml");
    for name in ["About", "Net cost", "Cost lines", "Against base", "Targets"] {
        assert!(sheets.contains(&format!("name=\"{name}\"")), "{sheets}");
    }
    let strings = part("xl/sharedStrings.xml");
    for text in [
        "base mean",
        "stronger_offer P95",
        "2013/14 (2 months)",
        "NPV at 3.5%, real terms",
        "Agency spend",
        "Extra net cost per extra permanent FTE-year",
        "Scenario",
        "12 replications per variant, seed 20140201, 2014-02 to 2018-03 (50 months)",
    ] {
        assert!(
            strings.contains(&format!("<t>{text}</t>")),
            "{text} not in {strings}"
        );
    }
    // The net cost sheet's numbers, row by row: the base's mean net cost of
    // each year, the horizon and the NPV are those of the comparison.
    let net_cost = part("xl/worksheets/sheet2.xml");
    let c = &digest.comparison;
    let years = c
        .years
        .iter()
        .map(|&y| staffcast::scenario::finance::financial_year_label(y));
    let keys: Vec<(String, &str)> = years
        .map(|y| (y, "cost.total"))
        .chain([
            ("horizon".into(), "cost.total"),
            ("horizon".into(), "npv.cost.total"),
        ])
        .collect();
    for (row, (period, name)) in keys.iter().enumerate() {
        let cell = format!("<c r=\"B{}\"", row + 2);
        let at = net_cost.find(&cell).unwrap_or_else(|| panic!("no {cell}"));
        let value: f64 = net_cost[at..]
            .split("<v>")
            .nth(1)
            .unwrap()
            .split("</v>")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let expected = c.spreads[0][c.find(name, period).unwrap()].mean;
        assert_eq!(value, expected, "{name} {period}");
    }
}

/// `result`'s outputs written into a new temporary folder (removed when the
/// first of the three is dropped), the results' folder, and the digest.
fn written(
    scenario: &staffcast::model::Scenario,
    result: &staffcast::runner::RunResult,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    staffcast::output::Digest,
) {
    let out = tempfile::tempdir().unwrap();
    let digest = digest(result);
    let folder = write(
        scenario,
        result,
        &digest,
        out.path(),
        &OutputOptions::default(),
    )
    .unwrap();
    (out, folder, digest)
}

//! Compiling the money keys (`[finance]`) and the agency market rules
//! (`[agency_rules]`).

use super::careers::{Names, lookup_list, months_of_year, optional};
use super::document::Value;
use super::read::{Bound, TableReader};
use crate::calendar::Month;
use crate::model::{
    AgencyRate, AgencyRules, Campaign, Careers, Clawback, CoolingOff, Coverage, Finance, GradePay,
    InForce, MinimumExperience, PriceCap, RetentionPayment, Supplement, TrainingCost,
};

/// 37 hours a week for 47 weeks: the working year Community Care's 2018 FOI
/// used to turn agency hourly rates into annual costs (FACTS s.6c).
pub const DEFAULT_AGENCY_HOURS_PER_YEAR: f64 = 37.0 * 47.0;

/// HM Treasury Green Book discount rate.
pub const DEFAULT_DISCOUNT_RATE: f64 = 0.035;

/// Reads `[finance]`; `None` inside means a problem was reported, an outer
/// `None`-free `Some(None)` that the scenario has no finance.
pub fn read_finance(
    root: &TableReader,
    start: Month,
    names: &Names,
    careers: Option<&Careers>,
) -> Option<Option<Finance>> {
    optional(root, "finance", |r| read(r, start, names, careers))
}

fn read(
    r: &TableReader,
    start: Month,
    names: &Names,
    careers: Option<&Careers>,
) -> Option<Finance> {
    let discount_rate = r.number_or("discount_rate", Bound::Unit, DEFAULT_DISCOUNT_RATE);
    let deflator = r.number_or("deflator", Bound::Unit, 0.0);
    let on_cost_rate = r.param("on_cost_rate", Bound::NonNegative, start);
    let pay_award = r.param_or("pay_award", Bound::Any, start, 0.0);
    let hours = r.number_or(
        "agency_hours_per_year",
        Bound::Positive,
        DEFAULT_AGENCY_HOURS_PER_YEAR,
    );
    let cost_per_hire = r.number_or("cost_per_hire", Bound::NonNegative, 0.0);
    let grant_per_nqsw = r.number_or("grant_per_nqsw", Bound::NonNegative, 0.0);
    let grant_per_placement = r.number_or("grant_per_placement", Bound::NonNegative, 0.0);
    let funding = read_funding(r);
    let grades = read_grade_pay(r, names.grades);
    let campaigns = enabled_items(r, "campaigns", |t, name| read_campaign(t, name, names));
    let supplements = enabled_items(r, "market_supplements", |t, name| {
        read_supplement(t, name, start, names)
    });
    let retention = enabled_items(r, "retention_payments", |t, name| {
        read_retention(t, name, start, names)
    });
    let training = read_training_costs(r, names, careers);
    let grow_your_own = read_grow_your_own_costs(r, careers);
    Some(Finance {
        discount_rate: discount_rate?,
        deflator: deflator?,
        on_cost_rate: on_cost_rate?,
        pay_award: pay_award?,
        agency_hours_per_year: hours?,
        grades: grades?,
        cost_per_hire: cost_per_hire?,
        campaigns: campaigns?,
        supplements: supplements?,
        retention: retention?,
        training: training?,
        grow_your_own: grow_your_own?,
        grant_per_nqsw: grant_per_nqsw?,
        grant_per_placement: grant_per_placement?,
        funding: funding?,
    })
}

/// `funding = { "2014/15" = 3200000 }`.
fn read_funding(r: &TableReader) -> Option<Vec<(u32, f64)>> {
    let Some(t) = r.table("funding") else {
        return Some(Vec::new());
    };
    let mut funding = Vec::new();
    let mut ok = true;
    for entry in &t.table_ref().entries {
        let year = parse_financial_year(&entry.key);
        let amount = t.number_node(&entry.node, &entry.key, Bound::NonNegative);
        match (year, amount) {
            (Some(y), Some(a)) => funding.push((y, a)),
            (None, _) => {
                t.problems().report(
                    entry.key_at,
                    &t.key_path(&entry.key),
                    Some(format!("`{}`", entry.key)),
                    "a financial year written \"YYYY/YY\", e.g. \"2014/15\"".into(),
                );
                ok = false;
            }
            _ => ok = false,
        }
    }
    funding.sort_by_key(|&(y, _)| y);
    ok.then_some(funding)
}

/// "2014/15" is the financial year from April 2014: 2014.
pub fn parse_financial_year(text: &str) -> Option<u32> {
    let (first, second) = text.split_once('/')?;
    if first.len() != 4 || second.len() != 2 {
        return None;
    }
    let year: u32 = first.parse().ok()?;
    let next: u32 = second.parse().ok()?;
    (next == (year + 1) % 100).then_some(year)
}

/// "2014/15" for the financial year from April 2014.
pub fn financial_year_label(year: u32) -> String {
    format!("{year}/{:02}", (year + 1) % 100)
}

fn read_grade_pay(r: &TableReader, grades: &[String]) -> Option<Vec<GradePay>> {
    let mut pay: Vec<Option<GradePay>> = vec![None; grades.len()];
    let mut declared = vec![false; grades.len()];
    let mut ok = true;
    for (name, t) in r.named_tables("grades") {
        match grades.iter().position(|g| g == name) {
            Some(g) => {
                declared[g] = true;
                pay[g] = read_one_grade_pay(&t);
                ok &= pay[g].is_some();
            }
            None => {
                ok = false;
                t.problems().report(
                    t.node_at("salary"),
                    t.path(),
                    Some(format!("grade `{name}`")),
                    format!("one of the declared grades: {}", grades.join(", ")),
                );
            }
        }
        t.finish();
    }
    let missing: Vec<&str> = grades
        .iter()
        .zip(&declared)
        .filter(|(_, d)| !**d)
        .map(|(g, _)| g.as_str())
        .collect();
    if !missing.is_empty() {
        r.missing(
            "grades",
            &format!(
                "pay for every grade: [finance.grades.<grade>] with `salary` and an agency rate; missing: {}",
                missing.join(", ")
            ),
        );
        return None;
    }
    if !ok {
        return None;
    }
    pay.into_iter().collect()
}

fn read_one_grade_pay(t: &TableReader) -> Option<GradePay> {
    let salary_points = match t.node("salary") {
        None => {
            t.missing(
                "salary",
                "an annual salary, or an array of salaries by year in grade (spinal points)",
            );
            None
        }
        Some(node) => match &node.value {
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .enumerate()
                .map(|(i, n)| t.number_node(n, &format!("salary[{i}]"), Bound::NonNegative))
                .collect::<Vec<_>>()
                .into_iter()
                .collect(),
            Value::Array(_) => {
                t.wrong(node, "salary", "at least one salary");
                None
            }
            _ => t
                .number_node(node, "salary", Bound::NonNegative)
                .map(|s| vec![s]),
        },
    };
    let given =
        ["agency_hourly_rate", "agency_daily_rate", "agency_premium"].map(|k| t.contains(k));
    let rate = match given {
        [true, false, false] => t
            .number("agency_hourly_rate", Bound::NonNegative)
            .map(AgencyRate::Hourly),
        [false, true, false] => t
            .number("agency_daily_rate", Bound::NonNegative)
            .map(AgencyRate::Daily),
        [false, false, true] => t
            .number("agency_premium", Bound::NonNegative)
            .map(AgencyRate::Premium),
        _ => {
            t.missing(
                "agency_hourly_rate",
                "exactly one of `agency_hourly_rate` (GBP an hour), `agency_daily_rate` (GBP a day of 7.4 hours) or `agency_premium` (share above the permanent cost, e.g. 0.4)",
            );
            None
        }
    };
    Some(GradePay {
        salary_points: salary_points?,
        agency_rate: rate?,
    })
}

/// Named policy tables, each with `enabled = true` by default so that a
/// variant can switch one off; disabled ones are checked but left out.
fn enabled_items<T>(
    r: &TableReader,
    key: &'static str,
    read: impl Fn(&TableReader, &str) -> Option<T>,
) -> Option<Vec<T>> {
    let items = r.read_named(key, |t, name| {
        let enabled = t.boolean_or("enabled", true);
        let item = read(t, name);
        Some(enabled?.then_some(item?))
    });
    Some(items?.into_iter().flatten().collect())
}

fn in_force(t: &TableReader, until_required: bool) -> Option<InForce> {
    let from = t.month("from");
    let until = if until_required || t.contains("until") {
        t.month("until").map(Some)
    } else {
        Some(None)
    };
    let (from, until) = (from?, until?);
    if let Some(u) = until {
        if u <= from {
            t.wrong(
                t.node("until").expect("read above"),
                "until",
                format!("a month after `from` ({from}); the policy stops before this month"),
            );
            return None;
        }
    }
    Some(InForce { from, until })
}

fn grades_or_all(t: &TableReader, names: &Names) -> Option<Vec<usize>> {
    if t.contains("grades") {
        lookup_list(t, "grades", names.grades, "grades")
    } else {
        Some(Vec::new())
    }
}

fn read_campaign(t: &TableReader, name: &str, names: &Names) -> Option<Campaign> {
    let months = in_force(t, true);
    let cost = t.number("cost", Bound::NonNegative);
    let grades = grades_or_all(t, names);
    let hire = t.number_or("hire_multiplier", Bound::NonNegative, 1.0);
    Some(Campaign {
        name: name.to_string(),
        months: months?,
        cost: cost?,
        grades: grades?,
        hire_multiplier: hire?,
    })
}

fn read_supplement(t: &TableReader, name: &str, start: Month, names: &Names) -> Option<Supplement> {
    let months = in_force(t, false);
    let grades = grades_or_all(t, names);
    let amount = t.number("annual_amount", Bound::NonNegative);
    let hire = t.number_or("hire_multiplier", Bound::NonNegative, 1.0);
    let leaving = t.param_or("leaving_multiplier", Bound::NonNegative, start, 1.0);
    Some(Supplement {
        name: name.to_string(),
        months: months?,
        grades: grades?,
        annual_amount: amount?,
        hire_multiplier: hire?,
        leaving_multiplier: leaving?,
    })
}

fn read_retention(
    t: &TableReader,
    name: &str,
    start: Month,
    names: &Names,
) -> Option<RetentionPayment> {
    let months = in_force(t, false);
    let grades = grades_or_all(t, names);
    let specialisms = if t.contains("specialisms") {
        lookup_list(t, "specialisms", names.specialisms, "specialisms")
    } else {
        Some(Vec::new())
    };
    let min_service = t.number_or("min_service_years", Bound::NonNegative, 0.0);
    let max_service = if t.contains("max_service_years") {
        t.number("max_service_years", Bound::Positive).map(Some)
    } else {
        Some(None)
    };
    if let (Some(min), Some(Some(max))) = (min_service, max_service) {
        if max <= min {
            let node = t.node("max_service_years").expect("read above");
            let allowed = format!(
                "more than min_service_years ({min}): those covered have at least the minimum and less than the maximum"
            );
            t.wrong(node, "max_service_years", allowed);
        }
    }
    let amount = t.number("amount", Bound::NonNegative);
    let pay_months = months_of_year(t, "pay_months", None);
    let leaving = t.param_or("leaving_multiplier", Bound::NonNegative, start, 1.0);
    let lock_in = t.integer_or("lock_in_months", 0, 1200, 0);
    let clawback = read_clawback(t);
    let to_months = |years: f64| (years * 12.0).round() as u32;
    Some(RetentionPayment {
        name: name.to_string(),
        months: months?,
        coverage: Coverage::new(
            &grades?,
            &specialisms?,
            to_months(min_service?),
            max_service?.map(to_months),
        ),
        amount: amount?,
        pay_months: pay_months?,
        leaving_multiplier: leaving?,
        lock_in_months: lock_in? as u32,
        clawback: clawback?,
    })
}

/// `clawback = { schedule = [[0, 1.0], [24, 0.0]], recovery_rate = 1.0 }`:
/// (months after, share repaid) points joined by straight lines.
fn read_clawback(t: &TableReader) -> Option<Option<Clawback>> {
    optional(t, "clawback", |c| {
        let allowed = "points [months after, share repaid], months increasing from 0, shares from 0 to 1, e.g. [[0, 1.0], [24, 0.0]]";
        let recovery = c.number_or("recovery_rate", Bound::Unit, 1.0);
        let node = c.node("schedule");
        let points = match node {
            None => {
                c.missing("schedule", allowed);
                None
            }
            Some(node) => {
                let points = c.array_node(node, "schedule").and_then(|items| {
                    items
                        .iter()
                        .map(|item| match &item.value {
                            Value::Array(pair) if pair.len() == 2 => {
                                match (&pair[0].value, &pair[1].value) {
                                    (Value::Integer(m), share) if (0..=1200).contains(m) => {
                                        let s = match share {
                                            Value::Float(f) => Some(*f),
                                            Value::Integer(i) => Some(*i as f64),
                                            _ => None,
                                        }?;
                                        (0.0..=1.0).contains(&s).then_some((*m as u32, s))
                                    }
                                    _ => None,
                                }
                            }
                            _ => None,
                        })
                        .collect::<Option<Vec<_>>>()
                });
                let valid = points.as_ref().is_some_and(|p: &Vec<(u32, f64)>| {
                    !p.is_empty() && p[0].0 == 0 && p.windows(2).all(|w| w[0].0 < w[1].0)
                });
                if !valid {
                    c.wrong(node, "schedule", allowed);
                }
                points.filter(|_| valid)
            }
        };
        Some(Clawback {
            points: points?,
            recovery_rate: recovery?,
        })
    })
}

fn read_training_costs(
    r: &TableReader,
    names: &Names,
    careers: Option<&Careers>,
) -> Option<Vec<TrainingCost>> {
    // Without the courses (they have problems of their own) nothing can be matched.
    let Some(training) = careers.map(|c| &c.training) else {
        r.node("training");
        return None;
    };
    let mut costs = vec![TrainingCost::default(); training.len()];
    let mut ok = true;
    for (name, t) in r.named_tables("training") {
        let cohort = names
            .specialisms
            .iter()
            .position(|s| s == name)
            .and_then(|s| training.iter().position(|c| c.specialism == s));
        let fee = t.number_or("fee", Bound::NonNegative, 0.0);
        let backfill = t.number_or("backfill_share", Bound::Unit, 0.0);
        let clawback = read_clawback(&t);
        match (cohort, fee, backfill, clawback) {
            (Some(c), Some(fee), Some(backfill_share), Some(clawback)) => {
                costs[c] = TrainingCost {
                    fee,
                    backfill_share,
                    clawback,
                };
            }
            (None, ..) => {
                ok = false;
                let courses: Vec<&str> = training
                    .iter()
                    .map(|c| names.specialisms[c.specialism].as_str())
                    .collect();
                undeclared(
                    &t,
                    "fee",
                    &format!("training `{name}`"),
                    "a course declared in [training]",
                    &courses,
                );
            }
            _ => ok = false,
        }
        t.finish();
    }
    ok.then_some(costs)
}

/// `[finance.grow_your_own.<route>] annual_cost = x`: per person on the route a year.
fn read_grow_your_own_costs(r: &TableReader, careers: Option<&Careers>) -> Option<Vec<f64>> {
    let Some(routes) = careers.map(|c| &c.grow_your_own) else {
        r.node("grow_your_own");
        return None;
    };
    let mut costs = vec![0.0; routes.len()];
    let mut ok = true;
    for (name, t) in r.named_tables("grow_your_own") {
        let cost = t.number("annual_cost", Bound::NonNegative);
        match (routes.iter().position(|g| g.name == name), cost) {
            (Some(k), Some(cost)) => costs[k] = cost,
            (None, _) => {
                ok = false;
                let declared: Vec<&str> = routes.iter().map(|g| g.name.as_str()).collect();
                undeclared(
                    &t,
                    "annual_cost",
                    &format!("route `{name}`"),
                    "a route declared in [grow_your_own]",
                    &declared,
                );
            }
            _ => ok = false,
        }
        t.finish();
    }
    ok.then_some(costs)
}

/// Reports a cost table for something the scenario does not declare.
fn undeclared(t: &TableReader, key: &str, found: &str, allowed: &str, declared: &[&str]) {
    let list = if declared.is_empty() {
        "none is declared".to_string()
    } else {
        declared.join(", ")
    };
    t.problems().report(
        t.node_at(key),
        t.path(),
        Some(found.to_string()),
        format!("{allowed}: {list}"),
    );
}

/// Reads `[agency_rules]`: each rule a table, on unless `enabled = false`.
pub fn read_agency_rules(root: &TableReader, start: Month) -> Option<AgencyRules> {
    let Some(r) = root.table("agency_rules") else {
        if root.contains("agency_rules") {
            return None;
        }
        return Some(AgencyRules::default());
    };
    let rule = |key: &'static str| -> Option<Option<TableReader>> {
        match r.node(key) {
            None => Some(None),
            Some(node) => r.table_node(node, key).map(Some),
        }
    };
    let from = |t: &TableReader| {
        if t.contains("from") {
            t.month("from")
        } else {
            Some(start)
        }
    };
    let minimum = rule("minimum_experience").map(|t| {
        t.map(|t| {
            let enabled = t.boolean_or("enabled", true);
            let from = from(&t);
            let months = t.integer("months_qualified", 0, 1200);
            let below = t.number("supply_below", Bound::Unit);
            t.finish();
            Some(enabled?.then_some(MinimumExperience {
                from: from?,
                months_qualified: months? as u32,
                supply_below: below?,
            }))
        })
    });
    let cooling = rule("cooling_off").map(|t| {
        t.map(|t| {
            let enabled = t.boolean_or("enabled", true);
            let from = from(&t);
            let months = t.integer("months", 0, 1200);
            t.finish();
            Some(enabled?.then_some(CoolingOff {
                from: from?,
                months: months? as u32,
            }))
        })
    });
    let cap = rule("price_cap").map(|t| {
        t.map(|t| {
            let enabled = t.boolean_or("enabled", true);
            let from = from(&t);
            let rate = t.number("hourly_rate", Bound::Positive);
            let cover = t.number_or("cover_multiplier", Bound::NonNegative, 1.0);
            t.finish();
            Some(enabled?.then_some(PriceCap {
                from: from?,
                hourly_rate: rate?,
                cover_multiplier: cover?,
            }))
        })
    });
    r.finish();
    Some(AgencyRules {
        minimum_experience: minimum?.map_or(Some(None), |x| x)?,
        cooling_off: cooling?.map_or(Some(None), |x| x)?,
        price_cap: cap?.map_or(Some(None), |x| x)?,
    })
}

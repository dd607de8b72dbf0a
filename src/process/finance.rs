//! Money: retention payments made, and each month's costs by line. Policy
//! effects on hiring and leaving are folded into the realized rates
//! ([`apply_policy_effects`]), except retention payments, which depend on
//! the person.

use crate::calendar::Month;
use crate::ledger::Flows;
use crate::metrics as m;
use crate::model::{AgencyRate, Finance, HOURS_PER_DAY, Model, RetentionPayment};
use crate::param::{Series, repeating};
use crate::sim::{Census, Realized, State};
use crate::workforce::{Contract, NEVER, Route, Workforce, each_where};

/// Money that moves on events within a month, gathered as they happen.
#[derive(Clone, Copy, Debug, Default)]
pub struct MonthMoney {
    pub retention_paid: f64,
    pub retention_clawback: f64,
    pub training_clawback: f64,
    pub training_fees: f64,
    pub placements_made: u32,
}

/// Pays the retention payments due this month to those eligible and in post.
pub fn step(model: &Model, realized: &Realized, t: usize, month: Month, state: &mut State) {
    let Some(finance) = &model.finance else {
        return;
    };
    let on_cost = 1.0 + realized.on_cost.at(t);
    let wf = &mut state.workforce;
    for (k, scheme) in finance.retention.iter().enumerate() {
        if !scheme.months.contains(month) || !scheme.pay_months.contains(&month.month_of_year()) {
            continue;
        }
        let c = wf.columns();
        let mut eligible = Vec::new();
        each_where(
            c.len,
            |i| {
                (c.contract[i] == Contract::Permanent)
                    & scheme
                        .coverage
                        .covers(c.grade[i], c.specialisms[i], c.months_service[i])
            },
            |i| eligible.push((i, c.fte[i])),
        );
        for (i, fte) in eligible {
            let paid = scheme.amount * fte;
            state.money.retention_paid += paid * on_cost;
            let r = &mut wf.repayable[i];
            r.paid_month = t as u32;
            r.paid_amount = paid;
            r.paid_scheme = k as u8;
        }
    }
}

/// What a person's retention-payment effect depends on, read from the
/// workforce's columns.
#[derive(Clone, Copy, Debug)]
pub struct RetentionFacts {
    pub grade: u8,
    pub specialisms: u16,
    pub months_service: u32,
    pub paid_month: u32,
    pub paid_scheme: u8,
}

/// The retention payments as they stand in one month, for the leaving step.
pub struct RetentionMonth<'a> {
    schemes: &'a [RetentionPayment],
    /// Per scheme: whether it is in force, and its effect this month.
    standing: &'a [(bool, f64)],
    t: usize,
}

impl<'a> RetentionMonth<'a> {
    /// Each scheme's standing in month `t`, into `standing` (kept by the
    /// caller from month to month, so that working it out allocates nothing).
    pub fn standing(
        finance: &Finance,
        realized: &Realized,
        t: usize,
        month: Month,
        standing: &mut Vec<(bool, f64)>,
    ) {
        standing.clear();
        standing.extend(finance.retention.iter().enumerate().map(|(k, s)| {
            (
                s.months.contains(month),
                realized.retention_multiplier[k].at(t),
            )
        }));
    }

    pub fn new(finance: &'a Finance, standing: &'a [(bool, f64)], t: usize) -> Self {
        RetentionMonth {
            schemes: &finance.retention,
            standing,
            t,
        }
    }

    /// The product of the effects on a person's leaving of each scheme in
    /// force for which they are eligible, or that paid them within its lock-in.
    #[inline]
    pub fn multiplier(&self, person: RetentionFacts) -> f64 {
        let mut multiplier = 1.0;
        for (k, (scheme, &(in_force, effect))) in self.schemes.iter().zip(self.standing).enumerate()
        {
            let eligible = in_force
                && scheme
                    .coverage
                    .covers(person.grade, person.specialisms, person.months_service);
            let locked_in = person.paid_month != NEVER
                && usize::from(person.paid_scheme) == k
                && self.t - (person.paid_month as usize) < scheme.lock_in_months as usize;
            if eligible || locked_in {
                multiplier *= effect;
            }
        }
        multiplier
    }

    /// No one's `multiplier` is larger: every scheme's effect taken at its
    /// largest, never below 1 (a scheme that does not apply), in the same order.
    pub fn largest_multiplier(&self) -> f64 {
        self.standing
            .iter()
            .fold(1.0, |m, &(_, effect)| m * effect.max(1.0))
    }
}

/// Recovers from permanent worker `i`, leaving at month `t`, their last
/// retention payment and their last course fee, each by its clawback schedule.
pub fn claw_back(finance: &Finance, wf: &Workforce, i: usize, t: usize, money: &mut MonthMoney) {
    let r = wf.repayable[i];
    if r.paid_month != NEVER {
        let scheme = &finance.retention[usize::from(r.paid_scheme)];
        if let Some(c) = &scheme.clawback {
            money.retention_clawback += c.recovered(r.paid_amount, t as u32 - r.paid_month);
        }
    }
    if r.trained_month != NEVER {
        let course = &finance.training[usize::from(r.trained_course)];
        if let Some(c) = &course.clawback {
            money.training_clawback += c.recovered(course.fee, t as u32 - r.trained_month);
        }
    }
}

/// Multiplies each month of a series by `factor(t)`.
fn scale(series: &mut Series, horizon: usize, mut factor: impl FnMut(usize, f64) -> f64) {
    let monthly: Vec<f64> = (0..horizon).map(|t| factor(t, series.at(t))).collect();
    *series = Series::Monthly(monthly);
}

/// Folds the policies that act on whole grades or the whole market into the
/// realized rates: campaigns and market supplements on hiring, supplements
/// on leaving, the agency rules on agency cover.
pub fn apply_policy_effects(model: &Model, realized: &mut Realized) {
    let h = model.horizon();
    let month = |t: usize| model.month(t);
    let lift = |(p, multiplier): (u64, u64)| {
        1.0 - (1.0 - f64::from_bits(p)).powf(f64::from_bits(multiplier))
    };
    if let Some(finance) = &model.finance {
        for (g, probability) in realized.hire_probability.iter_mut().enumerate() {
            let campaigns: Vec<_> = finance
                .campaigns
                .iter()
                .filter(|c| c.hire_multiplier != 1.0 && applies(&c.grades, g))
                .map(|c| (c.months, c.hire_multiplier))
                .chain(
                    finance
                        .supplements
                        .iter()
                        .filter(|s| s.hire_multiplier != 1.0 && applies(&s.grades, g))
                        .map(|s| (s.months, s.hire_multiplier)),
                )
                .collect();
            if campaigns.is_empty() {
                continue;
            }
            let mut lift = repeating(lift);
            scale(probability, h, |t, p| {
                campaigns
                    .iter()
                    .filter(|(months, _)| months.contains(month(t)))
                    .fold(p, |p, (_, m)| lift((p.to_bits(), m.to_bits())))
            });
        }
        for (k, supplement) in finance.supplements.iter().enumerate() {
            for (g, bands) in realized.leaving_hazard.iter_mut().enumerate() {
                if !applies(&supplement.grades, g) {
                    continue;
                }
                let multiplier = &realized.supplement_leaving[k];
                for hazard in bands.iter_mut() {
                    scale(hazard, h, |t, v| {
                        if supplement.months.contains(month(t)) {
                            (v * multiplier.at(t)).min(1.0)
                        } else {
                            v
                        }
                    });
                }
            }
        }
    }
    let rules = &model.agency_rules;
    if rules.minimum_experience.is_some() || rules.price_cap.is_some() {
        scale(&mut realized.cover_probability, h, |t, p| {
            let mut p = p;
            if let Some(rule) = rules.minimum_experience.as_ref() {
                if month(t) >= rule.from {
                    p *= 1.0 - rule.supply_below;
                }
            }
            if let Some(cap) = rules.price_cap.as_ref() {
                if month(t) >= cap.from {
                    p = (p * cap.cover_multiplier).min(1.0);
                }
            }
            p
        });
    }
}

fn applies(grades: &[usize], g: usize) -> bool {
    grades.is_empty() || grades.contains(&g)
}

/// Pay index: 1 at the start, times (1 + award) each April after it.
pub fn pay_index(model: &Model, award: &Series) -> Vec<f64> {
    let mut index = 1.0;
    (0..model.horizon())
        .map(|t| {
            if t > 0 && model.month(t).month_of_year() == 4 {
                index *= 1.0 + award.at(t);
            }
            index
        })
        .collect()
}

/// Annual cost of an agency FTE of a grade in month `t`, after any price
/// cap: what is the same for every grade worked out once, then by grade.
fn agency_annual_cost<'a>(
    model: &Model,
    finance: &'a Finance,
    realized: &Realized,
    t: usize,
) -> impl Fn(usize) -> f64 + 'a {
    let index = realized.pay_index[t];
    let on_cost = 1.0 + realized.on_cost.at(t);
    let hours = finance.agency_hours_per_year;
    let cap = model
        .agency_rules
        .price_cap
        .as_ref()
        .filter(|cap| model.month(t) >= cap.from)
        .map(|cap| cap.hourly_rate);
    move |g| {
        let pay = &finance.grades[g];
        let hourly = match pay.agency_rate {
            AgencyRate::Hourly(rate) => rate * index,
            AgencyRate::Daily(rate) => rate / HOURS_PER_DAY * index,
            AgencyRate::Premium(premium) => {
                pay.salary_points[0] * index * on_cost * (1.0 + premium) / hours
            }
        };
        cap.map_or(hourly, |cap| hourly.min(cap)) * hours
    }
}

/// A month of each grow-your-own route's yearly cost for everyone on it.
fn apprenticeship_costs(model: &Model, finance: &Finance, month: Month) -> f64 {
    model
        .careers
        .grow_your_own
        .iter()
        .zip(&finance.grow_your_own)
        .map(|(route, annual)| annual / 12.0 * f64::from(route.on_route(month)))
        .sum()
}

/// Fills the month's cost lines and their total, from the month's stock
/// (`counts`: headcount and FTE by grade and contract) and census.
#[allow(clippy::too_many_arguments)]
pub fn record_costs(
    model: &Model,
    realized: &Realized,
    t: usize,
    state: &State,
    flows: &Flows,
    counts: &[[(u32, f64); 2]],
    census: &Census,
    row: &mut [f64],
) {
    let Some(finance) = &model.finance else {
        return;
    };
    let month = model.month(t);
    let index = realized.pay_index[t];
    let on_cost = 1.0 + realized.on_cost.at(t);
    let agency_rate = agency_annual_cost(model, finance, realized, t);
    let fte = |g: usize, c: Contract| counts[g][c as usize].1;
    let grades = 0..model.grades.len();
    // Agency cover and training backfill at agency rates, in one pass over
    // the grades (from -0.0, where `sum` starts, so the totals are the same).
    let (agency, backfill) = grades.clone().fold((-0.0, -0.0), |(agency, backfill), g| {
        let rate = agency_rate(g);
        (
            agency + rate * fte(g, Contract::Agency),
            backfill + rate * census.backfilled_fte[g],
        )
    });
    let supplement: f64 = finance
        .supplements
        .iter()
        .filter(|s| s.months.contains(month))
        .map(|s| {
            let covered: f64 = grades
                .clone()
                .filter(|&g| applies(&s.grades, g))
                .map(|g| fte(g, Contract::Permanent))
                .sum();
            s.annual_amount * covered
        })
        .sum();
    let pay = census.salary_fte;
    let hires: u32 = [
        Route::ExperiencedHire,
        Route::AgencyConversion,
        Route::NqswLocal,
        Route::NqswExternal,
    ]
    .iter()
    .map(|r| flows.heads_by_route[*r as usize])
    .sum();
    let nqsws: u32 = [Route::NqswLocal, Route::NqswExternal, Route::GrowYourOwn]
        .iter()
        .map(|r| flows.heads_by_route[*r as usize])
        .sum();
    let money = &state.money;
    row[m::COST_PERMANENT_PAY] = pay * index * on_cost / 12.0;
    row[m::COST_AGENCY] = agency / 12.0;
    row[m::COST_RECRUITMENT] = finance.cost_per_hire * f64::from(hires);
    row[m::COST_CAMPAIGNS] = finance
        .campaigns
        .iter()
        .filter(|c| c.months.contains(month))
        .map(|c| {
            c.cost
                / c.months
                    .until
                    .expect("campaigns end")
                    .months_since(c.months.from) as f64
        })
        .sum();
    row[m::COST_SUPPLEMENTS] = supplement * on_cost / 12.0;
    row[m::COST_RETENTION] = money.retention_paid;
    row[m::COST_TRAINING_FEES] = money.training_fees + apprenticeship_costs(model, finance, month);
    row[m::COST_BACKFILL] = backfill / 12.0;
    row[m::COST_RETENTION_CLAWBACK] = -money.retention_clawback;
    row[m::COST_TRAINING_CLAWBACK] = -money.training_clawback;
    row[m::COST_GRANTS] = -(finance.grant_per_nqsw * f64::from(nqsws)
        + finance.grant_per_placement * f64::from(money.placements_made));
}

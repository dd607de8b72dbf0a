//! One replication of one variant, month by month.

use crate::calendar::Month;
use crate::ledger::{self, Flows, LedgerBreak};
use crate::metrics as m;
use crate::model::Model;
use crate::param::{Series, monthly_hazard};
use crate::process::{agency, demand, leaving, recruitment};
use crate::rng::{Draws, Stream};
use crate::workforce::{Contract, Joiner, Route, Workforce, person_id};

/// The parameters of one replication: every distribution drawn once, every
/// schedule laid out month by month, every annual rate turned into a hazard.
#[derive(Clone, Debug)]
pub struct Realized {
    pub establishment_fte: Vec<Series>,
    /// Monthly leaving hazard of permanent staff, by grade then service band.
    pub leaving_hazard: Vec<Vec<Series>>,
    pub agency_ending_hazard: Series,
    pub hire_probability: Vec<Series>,
    pub conversion_hazard: Series,
    pub cover_probability: Series,
    pub open_cases: Series,
    pub demand_trend: Series,
    pub demand_noise_sd: Series,
}

impl Realized {
    pub fn draw(model: &Model, draws: &Draws) -> Realized {
        let (start, h) = (model.start, model.horizon());
        let same = |v: f64| v;
        Realized {
            establishment_fte: model
                .grades
                .iter()
                .map(|g| g.establishment_fte.realize(draws, start, h, same))
                .collect(),
            leaving_hazard: model
                .leaving
                .annual_rate
                .iter()
                .map(|bands| {
                    bands
                        .iter()
                        .map(|p| p.realize(draws, start, h, monthly_hazard))
                        .collect()
                })
                .collect(),
            agency_ending_hazard: model.leaving.agency_annual_rate.realize(
                draws,
                start,
                h,
                monthly_hazard,
            ),
            hire_probability: model
                .recruitment
                .hire_monthly_probability
                .iter()
                .map(|p| p.realize(draws, start, h, same))
                .collect(),
            conversion_hazard: model.recruitment.agency_conversion_annual_rate.realize(
                draws,
                start,
                h,
                monthly_hazard,
            ),
            cover_probability: model
                .agency
                .cover_monthly_probability
                .realize(draws, start, h, same),
            open_cases: model.demand.open_cases.realize(draws, start, h, same),
            demand_trend: model.demand.monthly_trend.realize(draws, start, h, same),
            demand_noise_sd: model.demand.monthly_noise_sd.realize(draws, start, h, same),
        }
    }
}

/// An offer accepted, or an agency cover agreed, whose person has not started.
#[derive(Clone, Copy, Debug)]
pub struct Pending {
    pub joiner: Joiner,
    /// Month index (from the start) on which the person starts.
    pub starts: usize,
}

/// Everything that carries from one month to the next.
pub struct State {
    pub workforce: Workforce,
    pub pending: Vec<Pending>,
    pub open_cases: f64,
    /// Permanent FTE leavers in each of the last 12 months (ring buffer).
    leavers_window: [f64; 12],
    /// Scratch space for marking leavers, reused every month.
    pub leaving_marks: Vec<Option<crate::workforce::LeaveReason>>,
}

impl State {
    /// FTE of pending starters of one grade and contract.
    pub fn pending_fte(&self, grade: usize, contract: Contract) -> f64 {
        self.pending
            .iter()
            .filter(|p| p.joiner.grade == grade && p.joiner.contract == contract)
            .map(|p| p.joiner.fte)
            .sum()
    }

    /// Moves pending starters due by month `t` of `contract` into post.
    pub fn start_pending(&mut self, t: usize, contract: Contract, month: Month, flows: &mut Flows) {
        let mut i = 0;
        while i < self.pending.len() {
            let p = self.pending[i];
            if p.starts <= t && p.joiner.contract == contract {
                self.workforce.add(p.joiner, month, flows);
                self.pending.remove(i);
            } else {
                i += 1;
            }
        }
    }
}

/// What one replication of one variant produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// `horizon x metrics`, row-major by month.
    pub series: Vec<f64>,
    /// People in post summed over months.
    pub person_months: u64,
}

impl Outcome {
    pub fn value(&self, metrics: usize, t: usize, metric: m::MetricId) -> f64 {
        self.series[t * metrics + metric]
    }
}

/// Runs one replication. The ledger is closed every month; a break is an error.
pub fn run_replication(
    model: &Model,
    seed: u64,
    replication: u64,
) -> Result<Outcome, Box<LedgerBreak>> {
    let draws = Draws::new(seed, replication);
    let realized = Realized::draw(model, &draws);
    let metrics = model.catalogue.len();
    let grades = model.grades.len();
    let mut state = initial_state(model, &draws);
    let mut series = vec![0.0; model.horizon() * metrics];
    let mut person_months = 0u64;
    let mut counts = state.workforce.recount(grades);
    for t in 0..model.horizon() {
        let month = model.month(t);
        let mut flows = Flows::new(grades, model.bands.len());
        step_month(model, &realized, &draws, t, month, &mut state, &mut flows);
        let end = state.workforce.recount(grades);
        ledger::close(
            &counts,
            &flows,
            &end,
            |g| model.grades[g].name.clone(),
            || month.to_string(),
        )?;
        counts = end;
        person_months += state.workforce.len() as u64;
        record(
            model,
            &realized,
            t,
            &state,
            &flows,
            &counts,
            &mut series[t * metrics..(t + 1) * metrics],
        );
        state.leavers_window[t % 12] = Flows::total(&flows.leavers, Contract::Permanent);
    }
    Ok(Outcome {
        series,
        person_months,
    })
}

/// One month, in the order of the model's specification.
fn step_month(
    model: &Model,
    realized: &Realized,
    draws: &Draws,
    t: usize,
    month: Month,
    state: &mut State,
    flows: &mut Flows,
) {
    if t > 0 {
        state.workforce.age_one_month();
    }
    state.open_cases = demand::step(&model.demand, realized, state.open_cases, t, month, draws);
    leaving::step(model, realized, t, month, draws, state, flows);
    // Progress, pipelines and training cohorts go here, in that order.
    recruitment::step(model, realized, t, month, draws, state, flows);
    agency::step(model, realized, t, month, draws, state, flows);
}

fn initial_state(model: &Model, draws: &Draws) -> State {
    let mut workforce = Workforce::new(model.grades.len());
    let mut unrecorded = Flows::new(model.grades.len(), model.bands.len());
    let service = draws.timeless(Stream::InitialService);
    for (g, grade) in model.grades.iter().enumerate() {
        let s = &grade.start;
        let mut ordinal = 0;
        let mut next_id = || {
            ordinal += 1;
            person_id(Route::Initial, g, model.start, ordinal - 1)
        };
        let permanent_fte = s.permanent_fte / f64::from(s.permanent_headcount.max(1));
        for (band, &count) in s.service_counts.iter().enumerate() {
            let (lo, hi) = model.bands.span(band);
            for _ in 0..count {
                let id = next_id();
                let months = lo + (service.uniform(id) * f64::from(hi - lo)) as u32;
                let months_service = months.min(hi - 1);
                let joiner = Joiner {
                    id,
                    contract: Contract::Permanent,
                    grade: g,
                    fte: permanent_fte,
                    months_service,
                    route: Route::Initial,
                };
                workforce.add(joiner, model.start, &mut unrecorded);
            }
        }
        let agency_fte = s.agency_fte / f64::from(s.agency_headcount.max(1));
        for _ in 0..s.agency_headcount {
            let joiner = Joiner {
                id: next_id(),
                contract: Contract::Agency,
                grade: g,
                fte: agency_fte,
                months_service: 0,
                route: Route::Initial,
            };
            workforce.add(joiner, model.start, &mut unrecorded);
        }
    }
    State {
        workforce,
        pending: Vec::new(),
        open_cases: 0.0,
        leavers_window: [0.0; 12],
        leaving_marks: Vec::new(),
    }
}

fn record(
    model: &Model,
    realized: &Realized,
    t: usize,
    state: &State,
    flows: &Flows,
    counts: &[[(u32, f64); 2]],
    row: &mut [f64],
) {
    let c = &model.catalogue;
    let (mut perm, mut agency, mut vacant, mut establishment, mut capacity) =
        (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut heads, mut agency_heads) = (0u32, 0u32);
    for (g, grade) in model.grades.iter().enumerate() {
        let [(ph, pf), (ah, af)] = counts[g];
        let e = realized.establishment_fte[g].at(t);
        let v = (e - pf).max(0.0);
        row[c.grade_fte_permanent(g)] = pf;
        row[c.grade_fte_agency(g)] = af;
        row[c.grade_vacancy_fte(g)] = v;
        perm += pf;
        agency += af;
        vacant += v;
        establishment += e;
        heads += ph;
        agency_heads += ah;
        if grade.case_holding {
            capacity += (pf + af) * grade.caseload_weight;
        }
    }
    let ratio = |num: f64, den: f64| if den > 0.0 { num / den } else { 0.0 };
    row[m::FTE_PERMANENT] = perm;
    row[m::FTE_AGENCY] = agency;
    row[m::HEADCOUNT] = f64::from(heads);
    row[m::HEADCOUNT_AGENCY] = f64::from(agency_heads);
    row[m::AGENCY_RATE] = ratio(agency, agency + perm);
    row[m::PERMANENT_SHARE] = if agency + perm > 0.0 {
        1.0 - row[m::AGENCY_RATE]
    } else {
        0.0
    };
    row[m::VACANCY_FTE] = vacant;
    row[m::VACANCY_RATE] = ratio(vacant, vacant + perm);
    let months_seen = (t + 1).min(12);
    let window: f64 = (0..months_seen)
        .map(|k| {
            if k == 0 {
                Flows::total(&flows.leavers, Contract::Permanent)
            } else {
                state.leavers_window[(t + 12 - k) % 12]
            }
        })
        .sum();
    row[m::TURNOVER_RATE] = ratio(window * 12.0 / months_seen as f64, perm);
    row[m::STARTERS] = Flows::total(&flows.joiners, Contract::Permanent);
    row[m::LEAVERS] = Flows::total(&flows.leavers, Contract::Permanent);
    row[m::AGENCY_STARTERS] = Flows::total(&flows.joiners, Contract::Agency);
    row[m::AGENCY_LEAVERS] = Flows::total(&flows.leavers, Contract::Agency);
    row[m::OFFERS_IN_FLIGHT] = state
        .pending
        .iter()
        .filter(|p| p.joiner.contract == Contract::Permanent)
        .map(|p| p.joiner.fte)
        .sum();
    row[m::ESTABLISHMENT_FTE] = establishment;
    row[m::OPEN_CASES] = state.open_cases;
    row[m::CASE_HOLDING_CAPACITY] = capacity;
    row[m::AVERAGE_CASELOAD] = if capacity > 0.0 {
        state.open_cases / capacity
    } else {
        f64::INFINITY
    };
    for reason in crate::workforce::LeaveReason::ALL {
        row[c.reason(reason)] = flows.by_reason[reason as usize];
    }
    for route in Route::ALL {
        row[c.route(route)] = flows.by_route[route as usize];
    }
    for (b, fte) in flows.permanent_leavers_by_band.iter().enumerate() {
        row[c.band(b)] = *fte;
    }
}

//! One replication of one variant, month by month.

use crate::calendar::Month;
use crate::ledger::{self, Flows, LedgerBreak};
use crate::metrics as m;
use crate::model::Model;
use crate::outcome::Outcome;
use crate::param::{Series, monthly_hazard};
use crate::process::finance::{self, MonthMoney};
use crate::process::{agency, demand, leaving, pipelines, progress, recruitment};
use crate::rng::{Draws, Stream};
use crate::workforce::{Contract, Joiner, Leaver, Route, Workforce, person_id, with_room};

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
    /// ln(1 - p) of each grade's hire probability and of the conversion
    /// hazard: the scale of the gaps between hires and between agency
    /// workers converting ([`crate::rng::Gaps`]), worked out once.
    pub hire_log_miss: Vec<Series>,
    pub conversion_log_stay: Series,
    pub cover_probability: Series,
    pub open_cases: Series,
    pub demand_trend: Series,
    pub demand_noise_sd: Series,
    pub asye_pass: Series,
    pub progression_success: Vec<Series>,
    pub specialism_required: Vec<Option<Series>>,
    pub specialism_multiplier: Vec<Series>,
    /// Holders' own monthly leaving hazard, where a specialism sets one.
    pub specialism_hazard: Vec<Option<Series>>,
    pub training_size: Vec<Series>,
    pub training_pass: Vec<Series>,
    pub placements: Series,
    pub graduation: Series,
    pub acceptance: Series,
    pub intake_target: Option<Series>,
    pub external: Series,
    pub gyo_completion: Vec<Series>,
    /// Pay and agency rates relative to the start, after each April's award.
    pub pay_index: Vec<f64>,
    pub on_cost: Series,
    /// Each retention payment's effect on leaving, and each market supplement's.
    pub retention_multiplier: Vec<Series>,
    pub supplement_leaving: Vec<Series>,
    pub returner_share: Series,
}

impl Realized {
    pub fn draw(model: &Model, draws: &Draws) -> Realized {
        use crate::param::Param;
        let (start, h) = (model.start, model.horizon());
        let draw = |p: &Param| p.realize(draws, start, h, |v| v);
        let hazard = |p: &Param| p.realize(draws, start, h, monthly_hazard);
        let each = |ps: &mut dyn Iterator<Item = &Param>| ps.map(draw).collect();
        let optional = |p: Option<&Param>| p.map_or(Series::Constant(0.0), draw);
        let (careers, partnership) = (&model.careers, model.careers.partnership.as_ref());
        let mut realized = Realized {
            establishment_fte: establishment(model, draws),
            leaving_hazard: (model.leaving.annual_rate.iter())
                .map(|bands| bands.iter().map(hazard).collect())
                .collect(),
            agency_ending_hazard: hazard(&model.leaving.agency_annual_rate),
            hire_probability: each(&mut model.recruitment.hire_monthly_probability.iter()),
            conversion_hazard: hazard(&model.recruitment.agency_conversion_annual_rate),
            hire_log_miss: Vec::new(),
            conversion_log_stay: Series::Constant(0.0),
            cover_probability: draw(&model.agency.cover_monthly_probability),
            open_cases: draw(&model.demand.open_cases),
            demand_trend: draw(&model.demand.monthly_trend),
            demand_noise_sd: draw(&model.demand.monthly_noise_sd),
            asye_pass: optional(careers.asye.as_ref().map(|a| &a.pass_rate)),
            progression_success: each(&mut careers.progressions.iter().map(|p| &p.success_rate)),
            specialism_required: (careers.specialisms.iter())
                .map(|s| s.required.as_ref().map(draw))
                .collect(),
            specialism_multiplier: each(
                &mut careers.specialisms.iter().map(|s| &s.leaving_multiplier),
            ),
            specialism_hazard: (careers.specialisms.iter())
                .map(|s| s.annual_leaving_rate.as_ref().map(hazard))
                .collect(),
            training_size: each(&mut careers.training.iter().map(|c| &c.cohort_size)),
            training_pass: each(&mut careers.training.iter().map(|c| &c.pass_rate)),
            placements: optional(partnership.map(|p| &p.placements_per_year)),
            graduation: optional(partnership.map(|p| &p.graduation_rate)),
            acceptance: optional(partnership.map(|p| &p.local_acceptance_rate)),
            intake_target: partnership.and_then(|p| p.intake_target.as_ref()).map(draw),
            external: optional(partnership.map(|p| &p.external_applicants)),
            gyo_completion: each(&mut careers.grow_your_own.iter().map(|g| &g.completion_rate)),
            pay_index: Vec::new(),
            on_cost: Series::Constant(0.0),
            retention_multiplier: Vec::new(),
            supplement_leaving: Vec::new(),
            returner_share: draw(&model.agency.returner_share),
        };
        if let Some(finance) = &model.finance {
            realized.on_cost = draw(&finance.on_cost_rate);
            realized.pay_index = finance::pay_index(model, &draw(&finance.pay_award));
            realized.retention_multiplier =
                each(&mut finance.retention.iter().map(|r| &r.leaving_multiplier));
            realized.supplement_leaving =
                each(&mut finance.supplements.iter().map(|s| &s.leaving_multiplier));
        }
        finance::apply_policy_effects(model, &mut realized);
        let log_miss = |p: f64| (-p).ln_1p();
        realized.hire_log_miss = realized
            .hire_probability
            .iter()
            .map(|s| s.map(log_miss))
            .collect();
        realized.conversion_log_stay = realized.conversion_hazard.map(log_miss);
        realized
    }
}

/// Each grade's establishment month by month: as the scenario gives it,
/// times the `[establishment]` drift where there is one (every grade's
/// posts created and cut together, as a walk from 1 at the start).
fn establishment(model: &Model, draws: &Draws) -> Vec<Series> {
    let (start, h) = (model.start, model.horizon());
    let given = model
        .grades
        .iter()
        .map(|g| g.establishment_fte.realize(draws, start, h, |v| v));
    let Some(drift) = &model.establishment else {
        return given.collect();
    };
    let trend = drift.monthly_trend.realize(draws, start, h, |v| v);
    let sd = drift.monthly_noise_sd.realize(draws, start, h, |v| v);
    let mut factor = Vec::with_capacity(h);
    for t in 0..h {
        let walked = match factor.last() {
            None => 1.0,
            Some(&before) => demand::walk(
                before,
                1.0 + trend.at(t),
                sd.at(t),
                draws,
                Stream::Establishment,
                model.month(t),
            ),
        };
        factor.push(walked);
    }
    given
        .map(|posts| {
            Series::Monthly(
                factor
                    .iter()
                    .enumerate()
                    .map(|(t, f)| posts.at(t) * f)
                    .collect(),
            )
        })
        .collect()
}

/// An offer accepted, or an agency cover agreed, whose person has not started.
#[derive(Clone, Copy, Debug)]
pub struct Pending {
    pub joiner: Joiner,
    /// Month index (from the start) on which the person starts.
    pub starts: usize,
}

/// The pending starters, in offer order, with their FTE by grade and
/// contract kept as they come and go: the processes ask for it several times
/// a month per grade. Each total is the list's FTE summed in list order from
/// `-0.0`, as `Iterator::sum` sums, so it has the same bits as summing the
/// list each time.
#[derive(Debug, Default)]
pub struct PendingStarters {
    list: Vec<Pending>,
    fte: Vec<[f64; 2]>,
}

impl Clone for PendingStarters {
    fn clone(&self) -> PendingStarters {
        PendingStarters {
            list: with_room(&self.list),
            fte: self.fte.clone(),
        }
    }
}

impl PendingStarters {
    pub fn push(&mut self, pending: Pending) {
        let Joiner {
            grade,
            contract,
            fte,
            ..
        } = pending.joiner;
        if self.fte.len() <= grade {
            self.fte.resize(grade + 1, [-0.0; 2]);
        }
        // Added last, so summed last: the same as summing the list again.
        self.fte[grade][contract as usize] += fte;
        self.list.push(pending);
    }

    /// FTE of pending starters of one grade and contract.
    pub fn fte(&self, grade: usize, contract: Contract) -> f64 {
        self.fte.get(grade).map_or(-0.0, |f| f[contract as usize])
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Pending> {
        self.list.iter()
    }

    /// Moves those due by month `t` of `contract` into `workforce`, in
    /// offer order, in one pass (removing each from the middle of the list
    /// would shift the rest: quadratic in the offers of a large service).
    fn start(
        &mut self,
        t: usize,
        contract: Contract,
        workforce: &mut Workforce,
        flows: &mut Flows,
    ) {
        let before = self.list.len();
        self.list.retain(|p| {
            let due = p.starts <= t && p.joiner.contract == contract;
            if due {
                workforce.add(p.joiner, flows);
            }
            !due
        });
        // Only `contract`'s totals change: the others' starters keep their
        // order among themselves, so their sums in order are as they were.
        if self.list.len() < before {
            let c = contract as usize;
            for by_contract in &mut self.fte {
                by_contract[c] = -0.0;
            }
            for p in self.list.iter().filter(|p| p.joiner.contract == contract) {
                self.fte[p.joiner.grade][c] += p.joiner.fte;
            }
        }
    }
}

/// Students placed together, who graduate together.
#[derive(Clone, Copy, Debug)]
pub struct StudentCohort {
    pub placed: Month,
    pub count: u32,
    pub graduates_at: usize,
}

/// A former permanent worker who may come back as an agency worker.
#[derive(Clone, Copy, Debug)]
pub struct Returner {
    pub id: u64,
    pub grade: usize,
    pub fte: f64,
    pub months_qualified: u32,
    /// Month index from which they are available (after any cooling-off).
    pub available_at: usize,
}

/// Everything that carries from one month to the next.
#[derive(Debug)]
pub struct State {
    pub workforce: Workforce,
    pub pending: PendingStarters,
    pub open_cases: f64,
    /// Whether last month's average caseload was above the safe level.
    pub caseload_pressure: bool,
    pub students: Vec<StudentCohort>,
    /// Local graduates waiting for the NQSW intake, by subject id.
    pub local_graduates: Vec<u64>,
    /// This academic year's placements: made, planned, and the capacity.
    pub placements: f64,
    pub placements_planned: f64,
    pub placement_capacity: f64,
    /// Permanent FTE leavers in each of the last 12 months (ring buffer).
    leavers_window: [f64; 12],
    /// Scratch space for listing leavers, reused every month.
    pub leavers: Vec<Leaver>,
    /// Scratch space for people a scan finds (those who may leave, those
    /// ending the ASYE), reused every month.
    pub candidates: Vec<usize>,
    /// Scratch space for a grade's agency workers, from whom those
    /// released are picked, reused every month.
    pub agency_of_grade: Vec<usize>,
    /// Scratch space for joiners listed before they join (agency workers
    /// converting, listed before they leave their agency posts), reused
    /// every month.
    pub joiners: Vec<Joiner>,
    /// Leaving's month-level tables, refreshed every month in the same space.
    pub hazards: leaving::MonthHazards,
    /// Leavers who may return as agency workers, in leaving order.
    pub returners: Vec<Returner>,
    /// This month's money events.
    pub money: MonthMoney,
}

/// A copy that goes on from here (a forked variant): its lists keep the
/// original's room to spare, and its scratch space is empty but as large,
/// so that its first months grow nothing.
impl Clone for State {
    fn clone(&self) -> State {
        // Every field named, so that a new one cannot be left out.
        let State {
            workforce,
            pending,
            open_cases,
            caseload_pressure,
            students,
            local_graduates,
            placements,
            placements_planned,
            placement_capacity,
            leavers_window,
            leavers,
            candidates,
            agency_of_grade,
            joiners,
            hazards,
            returners,
            money,
        } = self;
        State {
            workforce: workforce.clone(),
            pending: pending.clone(),
            open_cases: *open_cases,
            caseload_pressure: *caseload_pressure,
            students: with_room(students),
            local_graduates: with_room(local_graduates),
            placements: *placements,
            placements_planned: *placements_planned,
            placement_capacity: *placement_capacity,
            leavers_window: *leavers_window,
            leavers: Vec::with_capacity(leavers.capacity()),
            candidates: Vec::with_capacity(candidates.capacity()),
            agency_of_grade: Vec::with_capacity(agency_of_grade.capacity()),
            joiners: Vec::with_capacity(joiners.capacity()),
            hazards: hazards.clone(),
            returners: with_room(returners),
            money: *money,
        }
    }
}

impl State {
    /// FTE of pending starters of one grade and contract.
    pub fn pending_fte(&self, grade: usize, contract: Contract) -> f64 {
        self.pending.fte(grade, contract)
    }

    /// Moves pending starters due by month `t` of `contract` into post.
    pub fn start_pending(&mut self, t: usize, contract: Contract, flows: &mut Flows) {
        self.pending.start(t, contract, &mut self.workforce, flows);
    }
}

/// A replication ready to run: its parameters drawn, its random streams
/// keyed, its first month's workforce in place.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub realized: Realized,
    pub draws: Draws,
    pub state: State,
}

pub fn prepare(model: &Model, seed: u64, replication: u64) -> Prepared {
    let draws = Draws::new(seed, replication);
    Prepared {
        realized: Realized::draw(model, &draws),
        state: initial_state(model, &draws),
        draws,
    }
}

/// Watches a replication: the state before the first month and after each.
pub trait Observer {
    fn start(&mut self, state: &State);
    fn month(&mut self, t: usize, state: &mut State);
}

/// Runs one replication. The ledger is closed every month; a break is an error.
pub fn run_replication(
    model: &Model,
    seed: u64,
    replication: u64,
) -> Result<Outcome, Box<LedgerBreak>> {
    run_observed(model, seed, replication, None)
}

/// Runs one replication with an observer, whose workforce keeps its history
/// of leavers and grade changes.
pub fn run_observed(
    model: &Model,
    seed: u64,
    replication: u64,
    mut observer: Option<&mut dyn Observer>,
) -> Result<Outcome, Box<LedgerBreak>> {
    let mut run = Replication::start(model, prepare(model, seed, replication));
    if let Some(o) = observer.as_mut() {
        run.state.workforce.history = Some(Vec::new());
        o.start(&run.state);
    }
    while run.t < model.horizon() {
        run.month()?;
        if let Some(o) = observer.as_mut() {
            o.month(run.t - 1, &mut run.state);
        }
    }
    run.finish()
}

/// Runs replication `replication` of each of `models`, the first in full
/// and each other from the first's state after the `shared[v]` months that
/// are the same in both ([`crate::fork::shared_with_first`]; `None`: on its
/// own): the same outcomes, bit for bit, as running each in full.
pub fn run_variants(
    models: &[&Model],
    shared: &[Option<usize>],
    seed: u64,
    replication: u64,
) -> Vec<Result<Outcome, Box<LedgerBreak>>> {
    let mut outcomes: Vec<Option<Result<Outcome, Box<LedgerBreak>>>> = vec![None; models.len()];
    let base = models[0];
    let fork = |run: &Replication, v: usize| {
        let realized = Realized::draw(models[v], &run.draws);
        run.fork(models[v], realized).run_out()
    };
    let mut run = Replication::start(base, prepare(base, seed, replication));
    let base_outcome = loop {
        for v in 1..models.len() {
            if shared[v] == Some(run.t) {
                outcomes[v] = Some(fork(&run, v));
            }
        }
        if run.t == base.horizon() {
            break run.finish();
        }
        if let Err(e) = run.month() {
            break Err(e);
        }
    };
    outcomes[0] = Some(base_outcome);
    // Variants that share nothing, or whose fork the base's run did not
    // reach, run on their own.
    outcomes
        .into_iter()
        .enumerate()
        .map(|(v, o)| o.unwrap_or_else(|| run_replication(models[v], seed, replication)))
        .collect()
}

/// A replication under way: the state, what the ledger carries and the
/// record so far, after `t` months.
struct Replication<'m> {
    model: &'m Model,
    realized: Realized,
    draws: Draws,
    state: State,
    t: usize,
    /// The record so far, `t x metrics`; grown a month at a time, as zeroing
    /// it all up front costs more than the months' own writes.
    series: Vec<f64>,
    person_months: u64,
    /// Last month's closing counts, this month's opening ones.
    counts: Vec<[(u32, f64); 2]>,
    /// The first month's opening counts, recounted from the people.
    opening: Vec<[(u32, f64); 2]>,
    census: Census,
    /// This month's flows, and the run's since it began.
    flows: Flows,
}

impl<'m> Replication<'m> {
    fn start(model: &'m Model, prepared: Prepared) -> Replication<'m> {
        let Prepared {
            realized,
            draws,
            state,
        } = prepared;
        let grades = model.grades.len();
        let mut counts = Vec::new();
        state.workforce.kept_counts(&mut counts);
        let mut opening = Vec::new();
        state.workforce.recount(grades, &mut opening);
        Replication {
            model,
            realized,
            draws,
            state,
            t: 0,
            series: spare_record(model),
            person_months: 0,
            counts,
            opening,
            census: Census::default(),
            flows: Flows::new(grades, model.bands.len()),
        }
    }

    /// This replication so far, to go on under `model` (whose parameters
    /// are `realized`) from here.
    fn fork<'v>(&self, model: &'v Model, realized: Realized) -> Replication<'v> {
        let mut series = spare_record(model);
        series.extend_from_slice(&self.series);
        let mut state = self.state.clone();
        // Leaving's tables were worked out from the base's parameters.
        state.hazards.forget();
        Replication {
            model,
            realized,
            draws: self.draws,
            state,
            t: self.t,
            series,
            person_months: self.person_months,
            counts: self.counts.clone(),
            opening: self.opening.clone(),
            census: self.census.clone(),
            flows: self.flows.clone(),
        }
    }

    /// Month `t`: the processes, the census, the ledger's close and the record.
    fn month(&mut self) -> Result<(), Box<LedgerBreak>> {
        let Replication {
            model,
            realized,
            draws,
            state,
            t,
            series,
            person_months,
            counts,
            census,
            flows,
            ..
        } = self;
        let (model, t) = (*model, *t);
        let metrics = model.catalogue.len();
        let month = model.month(t);
        flows.clear();
        state.money = MonthMoney::default();
        step_month(model, realized, draws, t, month, state, flows);
        take_census(model, &state.workforce, census);
        ledger::close(
            counts,
            flows,
            &census.counts,
            |g| model.grades[g].name.clone(),
            || format!("month {month}"),
        )?;
        *person_months += state.workforce.len() as u64;
        series.resize((t + 1) * metrics, 0.0);
        record(
            model,
            realized,
            t,
            state,
            flows,
            census,
            &mut series[t * metrics..(t + 1) * metrics],
        );
        // This month's counts become next month's start; the census
        // overwrites the old ones.
        std::mem::swap(counts, &mut census.counts);
        state.leavers_window[t % 12] = Flows::total(&flows.leavers, Contract::Permanent);
        state.caseload_pressure = model.careers.caseload.safe_level.is_some_and(|safe| {
            let row = &series[t * metrics..(t + 1) * metrics];
            model
                .catalogue
                .derivation()
                .value(m::AVERAGE_CASELOAD, |k| row[k])
                > safe
        });
        self.t += 1;
        Ok(())
    }

    /// The months left, then [`Replication::finish`].
    fn run_out(mut self) -> Result<Outcome, Box<LedgerBreak>> {
        while self.t < self.model.horizon() {
            self.month()?;
        }
        self.finish()
    }

    /// The record, once the run as a whole has closed: the months close on
    /// the kept tallies; the run closes on recounts of the people themselves,
    /// independent of the tallies.
    fn finish(self) -> Result<Outcome, Box<LedgerBreak>> {
        let model = self.model;
        let mut closing = Vec::new();
        self.state
            .workforce
            .recount(model.grades.len(), &mut closing);
        ledger::close_run(
            &self.opening,
            &self.flows,
            &closing,
            |g| model.grades[g].name.clone(),
            || {
                format!(
                    "the run, {} to {}",
                    model.month(0),
                    model.month(model.horizon() - 1)
                )
            },
        )?;
        Ok(Outcome::simulated(
            &self.series,
            model.catalogue.len(),
            model.catalogue.derivation(),
            self.person_months,
        ))
    }
}

/// A replication's record is handed back for the thread's next one: a new
/// record's space would come fresh from the system each time (the allocator
/// returns it between replications), and writing each month's row into
/// fresh pages costs a page fault a page.
impl Drop for Replication<'_> {
    fn drop(&mut self) {
        let record = std::mem::take(&mut self.series);
        SPARE_RECORDS.with_borrow_mut(|spare| {
            // A replication and one variant forked from it at a time.
            if spare.len() < 2 {
                spare.push(record);
            }
        });
    }
}

thread_local! {
    static SPARE_RECORDS: std::cell::RefCell<Vec<Vec<f64>>> = const {
        std::cell::RefCell::new(Vec::new())
    };
}

/// An empty record with room for `model`'s months, from the thread's spares
/// where it has one.
fn spare_record(model: &Model) -> Vec<f64> {
    let mut record = SPARE_RECORDS.with_borrow_mut(Vec::pop).unwrap_or_default();
    record.clear();
    record.reserve(model.horizon() * model.catalogue.len());
    record
}

/// One month, in the order of the model's specification.
pub fn step_month(
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
    progress::step(model, realized, t, month, draws, state, flows);
    pipelines::step(model, realized, t, month, draws, state, flows);
    recruitment::step(model, realized, t, month, draws, state, flows);
    agency::step(model, realized, t, month, draws, state, flows);
    finance::step(model, realized, t, month, state);
}

fn initial_state(model: &Model, draws: &Draws) -> State {
    State {
        workforce: starting_workforce(model, draws),
        pending: PendingStarters::default(),
        open_cases: 0.0,
        caseload_pressure: false,
        students: students_before_start(model),
        local_graduates: Vec::new(),
        placements: 0.0,
        placements_planned: 0.0,
        placement_capacity: 0.0,
        leavers_window: [0.0; 12],
        leavers: Vec::new(),
        candidates: Vec::new(),
        agency_of_grade: Vec::new(),
        joiners: Vec::new(),
        hazards: leaving::MonthHazards::default(),
        returners: Vec::new(),
        money: MonthMoney::default(),
    }
}

/// The people in post at the start, grade by grade: permanent staff spread
/// over their service bands, the longest-serving given the specialisms,
/// then the agency workers.
fn starting_workforce(model: &Model, draws: &Draws) -> Workforce {
    // The starting headcount, and room for the service to grow by half
    // before the columns are reallocated.
    let people: u32 = model
        .grades
        .iter()
        .map(|g| g.start.permanent_headcount + g.start.agency_headcount)
        .sum();
    let people = people as usize;
    let mut workforce = Workforce::with_capacity(model.grades.len(), people + people / 2);
    // As many years in grade as the census's pay scales tell apart.
    workforce.tell_years_apart(
        (0..model.grades.len())
            .map(|g| {
                model
                    .finance
                    .as_ref()
                    .map_or(1, |f| f.grades[g].salary_points.len())
            })
            .collect(),
    );
    let mut unrecorded = Flows::new(model.grades.len(), model.bands.len());
    let service = draws.timeless(Stream::InitialService);
    for (g, grade) in model.grades.iter().enumerate() {
        let s = &grade.start;
        let mut ordinal = 0;
        let mut next_id = || {
            ordinal += 1;
            person_id(Route::Initial, g, model.start, ordinal - 1)
        };
        let starter = |id, contract, fte, months_service: u32| Joiner {
            id,
            contract,
            grade: g,
            fte,
            months_service,
            months_qualified: months_service + grade.months_qualified_at_hire,
            months_in_grade: months_service,
            specialisms: 0,
            route: Route::Initial,
        };
        let permanent_fte = s.permanent_fte / f64::from(s.permanent_headcount.max(1));
        for (band, &count) in s.service_counts.iter().enumerate() {
            let (lo, hi) = model.bands.span(band);
            for _ in 0..count {
                let id = next_id();
                let months = lo + (service.uniform(id) * f64::from(hi - lo)) as u32;
                let joiner = starter(id, Contract::Permanent, permanent_fte, months.min(hi - 1));
                workforce.add(joiner, &mut unrecorded);
            }
        }
        give_specialisms(&mut workforce, g, &s.specialists);
        let agency_fte = s.agency_fte / f64::from(s.agency_headcount.max(1));
        for _ in 0..s.agency_headcount {
            let joiner = starter(next_id(), Contract::Agency, agency_fte, 0);
            workforce.add(joiner, &mut unrecorded);
        }
    }
    workforce
}

/// Students already on placement at the start, who graduate in the first
/// intake month on or after it.
fn students_before_start(model: &Model) -> Vec<StudentCohort> {
    model
        .careers
        .partnership
        .iter()
        .filter(|p| p.students_before_start > 0)
        .map(|p| {
            let months_to_intake = (p.intake_month + 12 - model.start.month_of_year()) % 12;
            StudentCohort {
                // Keyed a year before the start, where no simulated cohort is placed.
                placed: Month::new(model.start.year() - 1, model.start.month_of_year())
                    .expect("a valid month"),
                count: p.students_before_start,
                graduates_at: months_to_intake as usize,
            }
        })
        .collect()
}

/// Starting specialists are the grade's longest-serving permanent staff (ties
/// by id, so the choice is deterministic).
fn give_specialisms(workforce: &mut Workforce, grade: usize, counts: &[u32]) {
    let columns = workforce.columns();
    let mut staff: Vec<usize> = (0..columns.len)
        .filter(|&i| {
            usize::from(columns.grade[i]) == grade && columns.contract[i] == Contract::Permanent
        })
        .collect();
    let key = |&i: &usize| {
        (
            std::cmp::Reverse(workforce.months_service[i]),
            workforce.id[i],
        )
    };
    // Only the longest-serving few are wanted: set them apart before
    // putting them in order (ids are unique, so they are the same few).
    let wanted = counts.iter().max().map_or(0, |&c| c as usize);
    if wanted < staff.len() {
        staff.select_nth_unstable_by_key(wanted, key);
        staff.truncate(wanted);
    }
    staff.sort_unstable_by_key(key);
    for (s, &count) in counts.iter().enumerate() {
        for &i in staff.iter().take(count as usize) {
            workforce.gain_specialism(i, s);
        }
    }
}

/// What the month's record and the ledger need from the people, read from
/// the workforce's tallies.
#[derive(Clone, Debug, Default)]
pub struct Census {
    /// Per grade and contract: headcount and FTE, as the tallies keep them.
    pub counts: Vec<[(u32, f64); 2]>,
    /// FTE x caseload weight over case-holding grades, less the share of
    /// their time trainees are released for their course.
    pub capacity: f64,
    /// Case-holding FTE released for training.
    pub released: f64,
    pub trainees: usize,
    /// Per specialism: permanent holders, and staff training for it.
    pub holders: Vec<f64>,
    pub specialism_trainees: Vec<f64>,
    /// Sum over permanent staff of annual salary (by spinal point) x FTE.
    pub salary_fte: f64,
    /// Per grade: FTE released for training x the course's backfill share.
    pub backfilled_fte: Vec<f64>,
}

/// Takes the census of `workforce` into `into`, reusing its space (a
/// replication takes one every month).
pub fn take_census(model: &Model, workforce: &Workforce, into: &mut Census) {
    let (specialisms, grades) = (model.careers.specialisms.len(), model.grades.len());
    // Debug builds (the tests) check every month that the tallies kept by
    // events equal a recount of the columns.
    debug_assert!(*workforce.tallies() == workforce.recount_tallies());
    workforce.kept_counts(&mut into.counts);
    let tallies = workforce.tallies();
    let zeros = |v: &mut Vec<f64>, len: usize| {
        v.clear();
        v.resize(len, 0.0);
    };
    zeros(&mut into.specialism_trainees, specialisms);
    zeros(&mut into.backfilled_fte, grades);
    into.holders.clear();
    into.holders
        .extend((0..specialisms).map(|s| tallies.holders(s) as f64));
    let (mut capacity, mut released, mut trainees, mut salary_fte) = (0.0, 0.0, 0, 0.0);
    for (g, grade) in model.grades.iter().enumerate() {
        let mut released_here = 0.0;
        for (course, on) in tallies.trainees(g).iter().enumerate() {
            if on.headcount == 0 {
                continue;
            }
            let (cohort, fte) = (&model.careers.training[course], on.fte.get());
            trainees += on.headcount as usize;
            into.specialism_trainees[cohort.specialism] += on.headcount as f64;
            released_here += cohort.release_fraction * fte;
            if let Some(f) = &model.finance {
                into.backfilled_fte[g] +=
                    cohort.release_fraction * fte * f.training[course].backfill_share;
            }
        }
        if grade.case_holding {
            let [(_, permanent), (_, agency)] = into.counts[g];
            // Never below 0: rounding aside, no more than everyone is released.
            capacity += (permanent + agency - released_here).max(0.0) * grade.caseload_weight;
            released += released_here;
        }
        if let Some(f) = &model.finance {
            // The years told apart are the grade's pay points, one a year.
            let points = &f.grades[g].salary_points;
            debug_assert_eq!(points.len(), tallies.years(g));
            for (&salary, fte) in points.iter().zip(tallies.permanent_fte_by_year(g)) {
                salary_fte += salary * fte.get();
            }
        }
    }
    into.capacity = capacity;
    into.released = released;
    into.trainees = trainees;
    into.salary_fte = salary_fte;
}

fn record(
    model: &Model,
    realized: &Realized,
    t: usize,
    state: &State,
    flows: &Flows,
    census: &Census,
    row: &mut [f64],
) {
    let c = &model.catalogue;
    let counts = &census.counts;
    let mut establishment = 0.0;
    let (mut heads, mut agency_heads) = (0u32, 0u32);
    for g in 0..model.grades.len() {
        let [(ph, pf), (ah, af)] = counts[g];
        let e = realized.establishment_fte[g].at(t);
        row[c.grade_fte_permanent(g)] = pf;
        row[c.grade_fte_agency(g)] = af;
        row[c.grade_vacancy_fte(g)] = (e - pf).max(0.0);
        establishment += e;
        heads += ph;
        agency_heads += ah;
    }
    let capacity = census.capacity;
    let derivation = c.derivation();
    let perm = derivation.value(m::FTE_PERMANENT, |k| row[k]);
    let agency = derivation.value(m::FTE_AGENCY, |k| row[k]);
    row[m::HEADCOUNT] = f64::from(heads);
    row[m::HEADCOUNT_AGENCY] = f64::from(agency_heads);
    let months_seen = (t + 1).min(12);
    // This month's leavers, then each month before back to a year ago, in
    // that order (the order fixes the sum's bits): walking the ring
    // backwards rather than working out each slot.
    let mut window = Flows::total(&flows.leavers, Contract::Permanent);
    let mut slot = t % 12;
    for _ in 1..months_seen {
        slot = slot.checked_sub(1).unwrap_or(11);
        window += state.leavers_window[slot];
    }
    row[m::TURNOVER_RATE] = m::ratio(window * 12.0 / months_seen as f64, perm);
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
    for reason in crate::workforce::LeaveReason::ALL {
        row[c.reason(reason)] = flows.by_reason[reason as usize];
    }
    for route in Route::ALL {
        row[c.route(route)] = flows.by_route[route as usize];
    }
    for (b, fte) in flows.permanent_leavers_by_band.iter().enumerate() {
        row[c.band(b)] = *fte;
    }
    record_careers(model, realized, t, state, flows, perm + agency, census, row);
    finance::record_costs(model, realized, t, state, flows, counts, census, row);
}

/// Pipelines, careers and statutory sufficiency.
#[allow(clippy::too_many_arguments)]
fn record_careers(
    model: &Model,
    realized: &Realized,
    t: usize,
    state: &State,
    flows: &Flows,
    fte_in_post: f64,
    census: &Census,
    row: &mut [f64],
) {
    let c = &model.catalogue;
    let wf = &state.workforce;
    let careers = &model.careers;
    let mut failures = 0.0;
    row[m::NQSW_SHARE] = match &careers.asye {
        Some(asye) if fte_in_post > 0.0 => {
            (wf.fte_in_post(asye.grade, Contract::Permanent)
                + wf.fte_in_post(asye.grade, Contract::Agency))
                / fte_in_post
        }
        _ => 0.0,
    };
    row[m::PLACEMENTS] = state.placements;
    row[m::PLACEMENT_CAPACITY] = if state.placement_capacity.is_finite() {
        state.placement_capacity
    } else {
        state.placements
    };
    if state.placements < state.placements_planned {
        failures += 1.0;
    }
    row[m::GRADUATES] = f64::from(flows.graduates);
    row[m::NQSW_STARTERS] = [Route::NqswLocal, Route::NqswExternal, Route::GrowYourOwn]
        .iter()
        .map(|r| flows.by_route[*r as usize])
        .sum();
    row[m::ASYE_COMPLETIONS] = f64::from(flows.asye_completions);
    row[m::PROMOTIONS] = f64::from(flows.promotions - flows.asye_completions);
    row[m::TRAINEES] = census.trainees as f64;
    row[m::TRAINING_RELEASE_FTE] = census.released;
    let caseload = c.derivation().value(m::AVERAGE_CASELOAD, |k| row[k]);
    let above_safe = careers
        .caseload
        .safe_level
        .is_some_and(|safe| caseload > safe);
    row[m::CASELOAD_ABOVE_SAFE] = f64::from(u8::from(above_safe));
    if above_safe {
        failures += 1.0;
    }
    let month = model.month(t);
    row[m::APPRENTICES] = careers
        .grow_your_own
        .iter()
        .map(|g| f64::from(g.on_route(month)))
        .sum();
    for s in 0..careers.specialisms.len() {
        let (holders, trainees) = (census.holders[s], census.specialism_trainees[s]);
        let required = realized.specialism_required[s].as_ref().map(|r| r.at(t));
        row[c.specialists(s)] = holders;
        row[c.specialism_trainees(s)] = trainees;
        row[c.specialism_required(s)] = required.unwrap_or(0.0);
        row[c.sufficiency_gap(s)] = holders - required.unwrap_or(0.0);
        if required.is_some_and(|r| holders < r) {
            failures += 1.0;
        }
    }
    row[m::SUFFICIENCY_FAILURES] = failures;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_totals_are_the_list_summed_in_order() {
        // FTEs whose sums depend on their order, so that a total kept any
        // other way than in list order would show in the bits.
        let ftes = [0.1, 0.7, 0.35, 1.0, 0.6, 0.2];
        let grades = 3;
        let mut pending = PendingStarters::default();
        let mut workforce = Workforce::new(grades);
        let mut flows = Flows::new(grades, 1);
        let summed = |pending: &PendingStarters, g: usize, c: Contract| -> f64 {
            pending
                .iter()
                .filter(|p| p.joiner.grade == g && p.joiner.contract == c)
                .map(|p| p.joiner.fte)
                .sum()
        };
        let mut ordinal = 0;
        for t in 0..24 {
            // A few offers a month, starting over the next months, then the
            // month's starts, permanent and agency apart as the processes
            // start them.
            for _ in 0..5 {
                ordinal += 1;
                let contract = if ordinal % 3 == 0 {
                    Contract::Agency
                } else {
                    Contract::Permanent
                };
                let joiner = Joiner {
                    id: ordinal,
                    contract,
                    grade: (ordinal as usize * 7) % grades,
                    fte: ftes[ordinal as usize % ftes.len()],
                    months_service: 0,
                    months_qualified: 0,
                    months_in_grade: 0,
                    specialisms: 0,
                    route: Route::ExperiencedHire,
                };
                let starts = t + (ordinal as usize * 5) % 4;
                pending.push(Pending { joiner, starts });
            }
            for contract in Contract::ALL {
                pending.start(t, contract, &mut workforce, &mut flows);
                for g in 0..grades {
                    for c in Contract::ALL {
                        let (kept, sum) = (pending.fte(g, c), summed(&pending, g, c));
                        assert_eq!(kept.to_bits(), sum.to_bits(), "month {t}, grade {g}, {c:?}");
                    }
                }
            }
        }
        assert!(workforce.len() > 50 && pending.iter().count() > 5);
    }
}

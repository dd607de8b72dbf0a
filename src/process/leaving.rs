//! Leaving: permanent staff by a hazard that depends on grade and length of
//! service, multiplied by the effects in force for the person (caseload
//! pressure, stalled progression, specialisms); agency assignments by their
//! own hazard.

use crate::calendar::Month;
use crate::ledger::Flows;
use crate::model::{Model, Progression};
use crate::param::Series;
use crate::process::demand::month_key;
use crate::process::{finance, progress};
use crate::rng::{self, Draws, Stream};
use crate::sim::{Realized, Returner, State};
use crate::workforce::{Columns, Contract, LeaveReason, Leaver, Workforce};

pub fn step(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    let permanent = draws.month(Stream::PermanentLeaving, month_key(month));
    let agency = draws.month(Stream::AgencyEnding, month_key(month));
    let agency_threshold = rng::below(realized.agency_ending_hazard.at(t));
    let State {
        workforce: wf,
        leavers,
        candidates,
        hazards,
        caseload_pressure,
        ..
    } = state;
    hazards.refresh(model, realized, t, month, *caseload_pressure);
    leavers.clear();
    let Columns {
        contract,
        grade,
        id,
        ..
    } = wf.columns();
    // A first test on the top bits of everyone's draw, eight people at a
    // time, against the highest threshold of their contract; those it
    // passes are tested whole: the same decisions as testing everyone
    // whole, for a fraction of the work.
    let highest = hazards.threshold[..model.grades.len()]
        .iter()
        .copied()
        .max()
        .unwrap_or(0);
    candidates.clear();
    rng::each_maybe_below(
        id,
        Contract::bytes(contract),
        [permanent, agency],
        [highest, agency_threshold],
        |i| candidates.push(i),
    );
    // The candidates are at scattered places in a large service's columns:
    // each one's are asked for eight candidates before they are read, so
    // that the waits for memory overlap.
    const AHEAD: usize = 8;
    for (k, &i) in candidates.iter().enumerate() {
        if let Some(&ahead) = candidates.get(k + AHEAD) {
            wf.prefetch_person(ahead);
        }
        let leaves = match contract[i] {
            Contract::Permanent => {
                // A draw at or above the grade's bound means staying
                // whatever the person's own multipliers, so only the few
                // draws below it need the person's hazard.
                let draw = permanent.split(id[i]);
                (rng::unit_bits(draw) < hazards.threshold[usize::from(grade[i])]
                    && rng::unit(draw) < hazards.of(model, wf, i))
                .then_some(LeaveReason::Resigned)
            }
            Contract::Agency => (rng::unit_bits(agency.split(id[i])) < agency_threshold)
                .then_some(LeaveReason::AssignmentEnded),
        };
        if let Some(reason) = leaves {
            leavers.push(Leaver { index: i, reason });
        }
    }
    settle_leavers(model, realized, t, month, draws, state);
    state
        .workforce
        .remove(&state.leavers, |s| model.bands.band_of(s), flows);
}

/// Everything about permanent staff's leaving that is the same for everyone
/// in a month: kept by the replication and refreshed each month in the same
/// space, so that a month's tables allocate nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthHazards {
    t: usize,
    /// The caseload pressure the tables were worked out for, and whether
    /// every rate they are worked out from is constant over the run: then
    /// they change only when the pressure or a retention payment's standing
    /// does. `None` until they are first worked out for a replication's
    /// parameters.
    kept: Option<(bool, bool)>,
    /// The retention payments' standing this month, worked out before it is
    /// compared with last month's.
    retention_now: Vec<(bool, f64)>,
    /// By grade then service band, caseload pressure included.
    hazard: Vec<f64>,
    /// Per specialism: its bit, its holders' own hazard if it sets one, and
    /// its multiplier.
    specialisms: Vec<(u16, Option<f64>, f64)>,
    /// Per retention payment: whether it is in force, and its effect.
    retention: Vec<(bool, f64)>,
    /// Per grade: no permanent worker of the grade has a higher hazard.
    bound: Vec<f64>,
    /// Per grade, `rng::below` its bound, for comparing draws as integers;
    /// indexed by the grade's byte, so looking it up needs no bounds check
    /// (grades that do not exist let every draw through to the full test).
    threshold: [u64; 256],
}

impl Default for MonthHazards {
    fn default() -> Self {
        MonthHazards {
            t: 0,
            kept: None,
            retention_now: Vec::new(),
            hazard: Vec::new(),
            specialisms: Vec::new(),
            retention: Vec::new(),
            bound: Vec::new(),
            threshold: [rng::below(1.0); 256],
        }
    }
}

impl MonthHazards {
    /// The tables for month `t`, worked out again only when something they
    /// depend on has changed since the month before.
    fn refresh(
        &mut self,
        model: &Model,
        realized: &Realized,
        t: usize,
        month: Month,
        caseload_pressure: bool,
    ) {
        self.t = t;
        let retention_same = model.finance.as_ref().is_none_or(|f| {
            finance::RetentionMonth::standing(f, realized, t, month, &mut self.retention_now);
            std::mem::swap(&mut self.retention, &mut self.retention_now);
            self.retention == self.retention_now
        });
        let constant = match self.kept {
            Some((pressure, constant)) if pressure == caseload_pressure => constant,
            _ => {
                let constant = constant_rates(realized);
                self.kept = Some((caseload_pressure, constant));
                self.work_out(model, realized, t, caseload_pressure);
                return;
            }
        };
        if constant && retention_same {
            // Debug builds (the tests) check that nothing has changed.
            debug_assert!({
                let mut fresh = self.clone();
                fresh.work_out(model, realized, t, caseload_pressure);
                fresh == *self
            });
            return;
        }
        self.work_out(model, realized, t, caseload_pressure);
    }

    /// Forgets what the tables were worked out from: for a replication that
    /// goes on under other parameters (a variant from the base's state).
    pub fn forget(&mut self) {
        self.kept = None;
    }

    fn work_out(&mut self, model: &Model, realized: &Realized, t: usize, caseload_pressure: bool) {
        let careers = &model.careers;
        let pressure = if caseload_pressure {
            careers.caseload.leaving_multiplier
        } else {
            1.0
        };
        self.hazard.clear();
        for by_band in &realized.leaving_hazard {
            self.hazard
                .extend(by_band.iter().map(|s| s.at(t) * pressure));
        }
        self.specialisms.clear();
        self.specialisms
            .extend((0..careers.specialisms.len()).map(|s| {
                let own = realized.specialism_hazard[s]
                    .as_ref()
                    .map(|h| h.at(t) * pressure);
                (1 << s, own, realized.specialism_multiplier[s].at(t))
            }));
        self.bound.clear();
        for g in 0..model.grades.len() {
            let bound = self.bound_of(model, g);
            self.bound.push(bound);
            self.threshold[g] = rng::below(bound);
        }
    }

    /// The progression rules whose stalled candidates leave more, with the
    /// months after which they count as stalled.
    fn stalls(model: &Model) -> impl Iterator<Item = (&Progression, u32)> {
        model
            .careers
            .progressions
            .iter()
            .filter_map(|rule| rule.stall_after_months.map(|after| (rule, after)))
    }

    fn retention<'a>(&'a self, model: &'a Model) -> Option<finance::RetentionMonth<'a>> {
        model
            .finance
            .as_ref()
            .map(|f| finance::RetentionMonth::new(f, &self.retention, self.t))
    }

    /// The hazard of permanent worker `i`. Kept out of line: few people
    /// need it, and inlined it would crowd the loop over everyone.
    #[inline(never)]
    fn of(&self, model: &Model, wf: &Workforce, i: usize) -> f64 {
        let c = wf.columns();
        let (grade, held) = (c.grade[i], c.specialisms[i]);
        let bands = model.bands.len();
        let band = model.bands.band_of(wf.months_service[i]);
        let mut h = self.hazard[usize::from(grade) * bands + band];
        if held != 0 {
            for &(bit, own, multiplier) in &self.specialisms {
                if held & bit != 0 {
                    h = own.unwrap_or(h) * multiplier;
                }
            }
        }
        for (rule, after) in Self::stalls(model) {
            let eligible =
                progress::months_eligible(rule, grade, c.months_in_grade[i], c.months_qualified[i]);
            if eligible.is_some_and(|months| months >= after) {
                h *= rule.stall_leaving_multiplier;
            }
        }
        if let Some(r) = self.retention(model) {
            h *= r.multiplier(finance::RetentionFacts {
                grade,
                specialisms: held,
                months_service: wf.months_service[i],
                paid_month: wf.repayable[i].paid_month,
                paid_scheme: wf.repayable[i].paid_scheme,
            });
        }
        h
    }

    /// An upper bound on `of` for every permanent worker of grade `g`: the
    /// same products in the same order, each factor at its largest (and
    /// never below 1, which stands for a factor that does not apply).
    /// Rounded multiplication of non-negative numbers is monotone in each
    /// factor, so the bound holds bit for bit, not just nearly.
    fn bound_of(&self, model: &Model, g: usize) -> f64 {
        let bands = model.bands.len();
        let mut b = self.hazard[g * bands..(g + 1) * bands]
            .iter()
            .fold(0.0, |b: f64, &h| b.max(h));
        for &(_, own, multiplier) in &self.specialisms {
            b = b.max(own.unwrap_or(0.0)) * multiplier.max(1.0);
        }
        for (rule, _) in Self::stalls(model) {
            if rule.from == g {
                b *= rule.stall_leaving_multiplier.max(1.0);
            }
        }
        if let Some(r) = self.retention(model) {
            b *= r.largest_multiplier();
        }
        b
    }
}

/// Whether every rate the month's leaving tables are worked out from is the
/// same in every month of the run (retention payments' standing aside,
/// which is compared month by month).
fn constant_rates(realized: &Realized) -> bool {
    let constant = |s: &Series| matches!(s, Series::Constant(_));
    realized.leaving_hazard.iter().flatten().all(constant)
        && realized.specialism_hazard.iter().flatten().all(constant)
        && realized.specialism_multiplier.iter().all(constant)
}

/// Before resigning permanent staff go: what is clawed back from them, and
/// which of them will offer themselves back as agency workers.
fn settle_leavers(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
) {
    let share = realized.returner_share.at(t);
    let lag = model.agency.returner_lag_months;
    let cooling_off = model
        .agency_rules
        .cooling_off
        .as_ref()
        .filter(|rule| month >= rule.from)
        .map_or(0, |rule| rule.months);
    let returning = draws.month(Stream::Returner, month_key(month));
    let wf = &state.workforce;
    let columns = wf.columns();
    for leaver in &state.leavers {
        if leaver.reason != LeaveReason::Resigned {
            continue;
        }
        let i = leaver.index;
        if let Some(f) = &model.finance {
            finance::claw_back(f, wf, i, t, &mut state.money);
        }
        if share > 0.0 && returning.uniform(wf.id[i]) < share {
            state.returners.push(Returner {
                id: wf.id[i],
                grade: usize::from(columns.grade[i]),
                fte: columns.fte[i],
                months_qualified: wf.months_qualified[i],
                available_at: t + lag.max(cooling_off) as usize,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workforce::{Joiner, NEVER, Route};

    /// Every effect that can raise a hazard above its band's: caseload
    /// pressure, a specialism with its own rate and a multiplier above 1, a
    /// stalled progression, one retention payment that (oddly) raises
    /// leaving and one that lowers it.
    const SCENARIO: &str = r#"
name = "bounds"
start = "2024-01"
horizon_months = 36
replications = 1
seed = 3

[grades.social_worker]
caseload_weight = 1.0
establishment_fte = 40
permanent = { headcount = 40, fte = 40 }
service_mix = [0.5, 0.3, 0.2]
specialists = { amhp = 5, educator = 5 }

[grades.senior]
caseload_weight = 1.0
establishment_fte = 10
permanent = { headcount = 10, fte = 10 }
service_mix = [0, 0.5, 0.5]

[leaving]
bands_years = [0, 2, 5]
annual_rate = [0.2, { dist = "uniform", low = 0.1, high = 0.4 }, 0.1]
agency_annual_rate = 0.5

[recruitment]
hire_monthly_probability = 0.1
time_to_start_months = 1

[agency]
cover_monthly_probability = 0.2
cover_lag_months = 1

[demand]
open_cases = 600

[caseload]
safe_level = 15
pressure_leaving_multiplier = 1.3

[progression.up]
from = "social_worker"
to = "senior"
panel_months = [6]
min_months_in_grade = 12
min_months_qualified = 24
success_rate = 0.5
stall_after_months = 6
stall_leaving_multiplier = 1.5

[specialisms.amhp]
annual_leaving_rate = 0.5
leaving_multiplier = 1.2

[specialisms.educator]
leaving_multiplier = 1.7

[finance]
on_cost_rate = 0.3
pay_award = 0.03
[finance.grades.social_worker]
salary = 36000
agency_premium = 0.4
[finance.grades.senior]
salary = 44000
agency_premium = 0.4
[finance.retention_payments.odd]
specialisms = ["educator"]
from = "2024-06"
amount = 1000
pay_months = [6]
leaving_multiplier = 1.4
lock_in_months = 12
[finance.retention_payments.usual]
grades = ["senior"]
from = "2024-01"
until = "2025-01"
amount = 2000
pay_months = [4]
leaving_multiplier = 0.6
lock_in_months = 6
"#;

    /// People of every grade, length of service, specialism mix and
    /// retention history the bound has to cover.
    fn everyone(grades: usize) -> Workforce {
        let mut wf = Workforce::new(grades);
        let mut flows = Flows::new(grades, 3);
        let mut id = 0;
        for grade in 0..grades {
            for months_service in (0..120).step_by(7) {
                for specialisms in 0..4u16 {
                    for paid in [NEVER, 0, 5, 20] {
                        id += 1;
                        let joiner = Joiner {
                            id,
                            contract: Contract::Permanent,
                            grade,
                            fte: 1.0,
                            months_service,
                            months_qualified: months_service + 6,
                            months_in_grade: months_service,
                            specialisms,
                            route: Route::Initial,
                        };
                        wf.add(joiner, &mut flows);
                        let i = wf.len() - 1;
                        wf.repayable[i].paid_month = paid;
                        wf.repayable[i].paid_scheme = (id % 2) as u8;
                    }
                }
            }
        }
        wf
    }

    #[test]
    fn no_one_has_a_hazard_above_their_grades_bound() {
        let scenario =
            crate::scenario::compile(SCENARIO, std::path::Path::new("bounds.toml")).unwrap();
        let model = &scenario.variants[0].model;
        let wf = everyone(model.grades.len());
        for replication in 0..4 {
            let realized = Realized::draw(model, &Draws::new(3, replication));
            for t in 0..model.horizon() {
                // No one has been paid after this month.
                let mut wf = wf.clone();
                for r in wf.repayable.iter_mut().filter(|r| r.paid_month != NEVER) {
                    r.paid_month = r.paid_month.min(t as u32);
                }
                for pressure in [false, true] {
                    let mut hazards = MonthHazards::default();
                    hazards.refresh(model, &realized, t, model.month(t), pressure);
                    let mut highest = vec![0.0f64; model.grades.len()];
                    for i in 0..wf.len() {
                        let (g, h) = (
                            usize::from(wf.columns().grade[i]),
                            hazards.of(model, &wf, i),
                        );
                        assert!(
                            h <= hazards.bound[g],
                            "t {t}, person {i}: {h} above {}",
                            hazards.bound[g]
                        );
                        highest[g] = highest[g].max(h);
                    }
                    // Tight enough to spare most people the full hazard.
                    for (g, h) in highest.iter().enumerate() {
                        assert!(
                            hazards.bound[g] < 2.0 * h,
                            "grade {g}: {} for {h}",
                            hazards.bound[g]
                        );
                    }
                }
            }
        }
    }
}

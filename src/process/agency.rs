//! Agency cover: agency starters arrive; agency workers whose posts permanent
//! staff now fill are released; uncovered vacancies get agency cover, within
//! any cap.

use crate::calendar::Month;
use crate::ledger::Flows;
use crate::model::{AgencyCap, Model};
use crate::param::whole_months;
use crate::process::demand::month_key;
use crate::process::{FTE_EPSILON, lowest_first, whole_posts};
use crate::rng::{Draws, Stream};
use crate::sim::{Pending, Realized, State};
use crate::workforce::{
    Columns, Contract, Joiner, LeaveReason, Leaver, Route, Workforce, person_id,
};

pub fn step(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    state.start_pending(t, Contract::Agency, flows);
    release_replaced(model, realized, t, month, draws, state, flows);
    take_back_returners(model, realized, t, month, state, flows);
    cover_vacancies(model, realized, t, month, draws, state, flows);
}

/// FTE of a grade's posts covered by nobody, and not about to be
/// (`pending_agency`: FTE of the grade's agency starters still to come).
fn uncovered_fte(
    realized: &Realized,
    t: usize,
    g: usize,
    wf: &Workforce,
    pending_agency: f64,
) -> f64 {
    realized.establishment_fte[g].at(t)
        - wf.fte_in_post(g, Contract::Permanent)
        - wf.fte_in_post(g, Contract::Agency)
        - pending_agency
}

/// Per grade, FTE of agency starters still to come.
fn pending_agency_fte(model: &Model, state: &State) -> Vec<f64> {
    (0..model.grades.len())
        .map(|g| state.pending_fte(g, Contract::Agency))
        .collect()
}

/// Former permanent staff available from this month (after any cooling-off)
/// cover an uncovered post of their grade if there is one, within the cap and
/// the experience rule; otherwise they work elsewhere.
fn take_back_returners(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    state: &mut State,
    flows: &mut Flows,
) {
    if state.returners.is_empty() {
        return;
    }
    let minimum = minimum_months_qualified(model, month);
    let mut room = cap_room(model.agency.cap, state, model.grades.len());
    let mut due = Vec::new();
    state.returners.retain(|r| {
        let available = r.available_at <= t;
        if available {
            due.push(*r);
        }
        !available
    });
    if due.is_empty() {
        return;
    }
    // Returners start at once, so what is pending does not change here.
    let pending = pending_agency_fte(model, state);
    for r in due {
        let uncovered = || uncovered_fte(realized, t, r.grade, &state.workforce, pending[r.grade]);
        let allowed = model.grades[r.grade].agency_cover
            && r.months_qualified >= minimum
            && room + FTE_EPSILON >= r.fte
            && uncovered() + FTE_EPSILON >= r.fte;
        if !allowed {
            continue;
        }
        room -= r.fte;
        let joiner = Joiner {
            id: r.id,
            contract: Contract::Agency,
            grade: r.grade,
            fte: r.fte,
            months_service: 0,
            months_qualified: r.months_qualified,
            months_in_grade: 0,
            specialisms: 0,
            route: Route::AgencyReturner,
        };
        state.workforce.add(joiner, flows);
    }
}

/// Post-qualifying experience an agency worker must have this month (0 without the rule).
fn minimum_months_qualified(model: &Model, month: Month) -> u32 {
    model
        .agency_rules
        .minimum_experience
        .as_ref()
        .filter(|rule| month >= rule.from)
        .map_or(0, |rule| rule.months_qualified)
}

/// Agency workers beyond the posts permanent staff leave vacant go, chosen by
/// a draw keyed to each worker so the choice does not depend on list order.
fn release_replaced(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    let stream = draws.month(Stream::AgencyRelease, month_key(month));
    let wf = &state.workforce;
    let Columns { id, fte, .. } = wf.columns();
    let (released, ranked) = (&mut state.leavers, &mut state.ranked);
    released.clear();
    for g in 0..model.grades.len() {
        let vacant =
            (realized.establishment_fte[g].at(t) - wf.fte_in_post(g, Contract::Permanent)).max(0.0);
        let mut excess = wf.fte_in_post(g, Contract::Agency) - vacant;
        if excess <= FTE_EPSILON {
            continue;
        }
        ranked.clear();
        wf.each_of_grade_on(g, Contract::Agency, |i| {
            ranked.push((stream.raw(id[i]), i));
        });
        // Lowest draws first. Usually only a few of the grade's agency
        // workers go: those few are picked out and put in order a batch at
        // a time (the excess FTE rounded up: as many as would go if each
        // worked full time), rather than all of them ranked.
        let mut rest = &mut ranked[..];
        while excess > FTE_EPSILON && !rest.is_empty() {
            let batch = lowest_first(rest, (excess.ceil() as usize).max(1)).len();
            let (lowest, after) = std::mem::take(&mut rest).split_at_mut(batch);
            for &(_, i) in lowest.iter() {
                if excess <= FTE_EPSILON {
                    break;
                }
                released.push(Leaver {
                    index: i,
                    reason: LeaveReason::ReplacedByPermanent,
                });
                excess -= fte[i];
            }
            rest = after;
        }
    }
    if !released.is_empty() {
        released.sort_unstable_by_key(|l| l.index);
        state
            .workforce
            .remove(&state.leavers, |s| model.bands.band_of(s), flows);
    }
}

/// Agency FTE the cap still allows, or infinity without a cap.
fn cap_room(cap: Option<AgencyCap>, state: &State, grades: usize) -> f64 {
    let wf = &state.workforce;
    let agency: f64 = (0..grades)
        .map(|g| wf.fte_in_post(g, Contract::Agency) + state.pending_fte(g, Contract::Agency))
        .sum();
    match cap {
        None => f64::INFINITY,
        Some(AgencyCap::Fte(max)) => max - agency,
        Some(AgencyCap::Share(share)) if share >= 1.0 => f64::INFINITY,
        Some(AgencyCap::Share(share)) => {
            let permanent: f64 = (0..grades)
                .map(|g| wf.fte_in_post(g, Contract::Permanent))
                .sum();
            // agency / (agency + permanent) <= share  <=>  agency <= share / (1 - share) * permanent
            share / (1.0 - share) * permanent - agency
        }
    }
}

fn cover_vacancies(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    let p = realized.cover_probability.at(t);
    if p == 0.0 {
        return;
    }
    let cover = draws.month(Stream::AgencyCover, month_key(month));
    let lag = draws.month(Stream::AgencyCoverLag, month_key(month));
    let mut room = cap_room(model.agency.cap, state, model.grades.len());
    let minimum = minimum_months_qualified(model, month);
    for (g, grade) in model.grades.iter().enumerate() {
        if !grade.agency_cover {
            continue;
        }
        let pending = state.pending_fte(g, Contract::Agency);
        let uncovered = uncovered_fte(realized, t, g, &state.workforce, pending);
        for k in 0..whole_posts(uncovered, grade.hire_fte) {
            let subject = ((g as u64) << 32) | u64::from(k);
            if cover.uniform(subject) >= p || room + FTE_EPSILON < grade.hire_fte {
                continue;
            }
            room -= grade.hire_fte;
            let months = model
                .agency
                .cover_lag_months
                .sample_event(month, &lag, subject);
            let joiner = Joiner {
                id: person_id(Route::AgencyCover, g, month, k),
                contract: Contract::Agency,
                grade: g,
                fte: grade.hire_fte,
                months_service: 0,
                months_qualified: grade.months_qualified_at_hire.max(minimum),
                months_in_grade: 0,
                specialisms: 0,
                route: Route::AgencyCover,
            };
            let starts = t + whole_months(months, lag.bits(subject, 1)) as usize;
            if starts == t {
                state.workforce.add(joiner, flows);
            } else {
                state.pending.push(Pending { joiner, starts });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::param::Series;
    use crate::sim::prepare;

    const SCENARIO: &str = r#"
name = "release"
start = "2024-01"
horizon_months = 12
replications = 1
seed = 3

[grades.social_worker]
caseload_weight = 1.0
establishment_fte = 30
permanent = { headcount = 20, fte = 20 }
service_mix = [1]

[grades.senior]
caseload_weight = 1.0
establishment_fte = 10
permanent = { headcount = 5, fte = 5 }
service_mix = [1]

[leaving]
bands_years = [0]
annual_rate = [0.1]
agency_annual_rate = 0.3

[recruitment]
hire_monthly_probability = 0.1
time_to_start_months = 1

[agency]
cover_monthly_probability = 0.5
cover_lag_months = 1

[demand]
open_cases = 500
"#;

    /// Agency workers go in the order of their draws, lowest first, until
    /// the posts permanent staff leave vacant hold those who stay: as if
    /// every one of the grade were ranked, whatever the mix of FTE.
    #[test]
    fn the_agency_workers_with_the_lowest_draws_go_until_the_excess_is_covered() {
        let scenario =
            crate::scenario::compile(SCENARIO, std::path::Path::new("release.toml")).unwrap();
        let model = &scenario.variants[0].model;
        let month = model.month(3);
        for replication in 0..8 {
            let prepared = prepare(model, 3, replication);
            let (draws, mut state) = (prepared.draws, prepared.state);
            let mut flows = Flows::new(model.grades.len(), model.bands.len());
            // Agency workers of both grades, full and part time (and some
            // beyond full time, for whom fewer go than the excess's FTE),
            // among the permanent staff.
            for k in 0..60u32 {
                let fte = [1.0, 0.5, 2.5, 0.8, 0.3, 1.5][(k / 2) as usize % 6];
                let joiner = Joiner {
                    id: person_id(Route::AgencyCover, (k % 2) as usize, month, k),
                    contract: Contract::Agency,
                    grade: (k % 2) as usize,
                    fte,
                    months_service: 0,
                    months_qualified: 36,
                    months_in_grade: 0,
                    specialisms: 0,
                    route: Route::AgencyCover,
                };
                state.workforce.add(joiner, &mut flows);
            }
            let wf = &state.workforce;
            let c = wf.columns();
            let stream = draws.month(Stream::AgencyRelease, month_key(month));
            let mut ranked: Vec<(u64, u64, f64)> = (0..wf.len())
                .filter(|&i| c.grade[i] == 0 && c.contract[i] == Contract::Agency)
                .map(|i| (stream.raw(c.id[i]), c.id[i], c.fte[i]))
                .collect();
            ranked.sort_by_key(|&(bits, ..)| bits);
            let (permanent, agency) = (
                wf.fte_in_post(0, Contract::Permanent),
                wf.fte_in_post(0, Contract::Agency),
            );
            let ids: Vec<u64> = c.id.to_vec();
            // Grade 0 has excess agency FTE; grade 1 none.
            for excess in [0.2, 1.0, 1.5, 2.6, 3.3, 4.1, 7.0, 11.2, 100.0] {
                let mut realized = prepared.realized.clone();
                realized.establishment_fte[0] = Series::Constant(permanent + agency - excess);
                realized.establishment_fte[1] = Series::Constant(
                    wf.fte_in_post(1, Contract::Permanent) + wf.fte_in_post(1, Contract::Agency),
                );
                let mut left = excess.min(agency);
                let mut expected = Vec::new();
                for &(_, id, fte) in &ranked {
                    if left <= FTE_EPSILON {
                        break;
                    }
                    expected.push(id);
                    left -= fte;
                }
                let mut state = state.clone();
                release_replaced(model, &realized, 3, month, &draws, &mut state, &mut flows);
                let mut released: Vec<u64> = state.leavers.iter().map(|l| ids[l.index]).collect();
                released.sort_unstable();
                expected.sort_unstable();
                assert!(!expected.is_empty());
                assert_eq!(
                    released, expected,
                    "replication {replication}, excess {excess}"
                );
            }
        }
    }
}

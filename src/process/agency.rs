//! Agency cover: agency starters arrive; agency workers whose posts permanent
//! staff now fill are released; uncovered vacancies get agency cover, within
//! any cap.

use crate::calendar::Month;
use crate::ledger::Flows;
use crate::model::{AgencyCap, Model};
use crate::param::whole_months;
use crate::process::demand::month_key;
use crate::process::{FTE_EPSILON, whole_posts};
use crate::rng::{Draws, Stream};
use crate::sim::{Pending, Realized, State};
use crate::workforce::{Contract, Joiner, LeaveReason, Leaver, Route, Workforce, person_id};

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
    // Those available leave the list, in order, whether they take a post or
    // not; the list is taken out meanwhile so that the state can change.
    let mut returners = std::mem::take(&mut state.returners);
    returners.retain(|r| {
        if r.available_at > t {
            return true;
        }
        // Returners start at once, so what is pending does not change here.
        let pending = state.pending_fte(r.grade, Contract::Agency);
        let uncovered = || uncovered_fte(realized, t, r.grade, &state.workforce, pending);
        let allowed = model.grades[r.grade].agency_cover
            && r.months_qualified >= minimum
            && room + FTE_EPSILON >= r.fte
            && uncovered() + FTE_EPSILON >= r.fte;
        if allowed {
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
        false
    });
    state.returners = returners;
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

/// Agency workers beyond the posts permanent staff leave vacant go: picked
/// one at a time, each uniformly among the grade's agency workers not yet
/// picked (the first steps of a Fisher-Yates shuffle), until the posts left
/// vacant hold those who stay. A draw for each one who goes, not one for
/// each of the grade's agency workers.
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
    let fte = wf.columns().fte;
    let (released, agency) = (&mut state.leavers, &mut state.agency_of_grade);
    released.clear();
    for g in 0..model.grades.len() {
        let vacant =
            (realized.establishment_fte[g].at(t) - wf.fte_in_post(g, Contract::Permanent)).max(0.0);
        let mut excess = wf.fte_in_post(g, Contract::Agency) - vacant;
        if excess <= FTE_EPSILON {
            continue;
        }
        agency.clear();
        wf.each_of_grade_on(g, Contract::Agency, |i| agency.push(i));
        let mut picked = 0;
        while excess > FTE_EPSILON && picked < agency.len() {
            let subject = ((g as u64) << 32) | picked as u64;
            let left = (agency.len() - picked) as u128;
            let pick = picked + ((u128::from(stream.raw(subject)) * left) >> 64) as usize;
            agency.swap(picked, pick);
            let i = agency[picked];
            released.push(Leaver {
                index: i,
                reason: LeaveReason::ReplacedByPermanent,
            });
            excess -= fte[i];
            picked += 1;
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

    /// `count` agency workers of each grade listed, their FTEs taken in
    /// turn from `ftes`, added to a prepared replication of the scenario.
    fn with_agency(model: &Model, counts: &[(usize, u32)], ftes: &[f64]) -> State {
        let mut state = prepare(model, 3, 0).state;
        let mut flows = Flows::new(model.grades.len(), model.bands.len());
        for (grade, k) in counts
            .iter()
            .flat_map(|&(g, count)| (0..count).map(move |k| (g, k)))
        {
            let joiner = Joiner {
                id: person_id(Route::AgencyCover, grade, model.month(0), k),
                contract: Contract::Agency,
                grade,
                fte: ftes[k as usize % ftes.len()],
                months_service: 0,
                months_qualified: 36,
                months_in_grade: 0,
                specialisms: 0,
                route: Route::AgencyCover,
            };
            state.workforce.add(joiner, &mut flows);
        }
        state
    }

    /// Grade 0's establishment set so that its agency FTE is `excess` more
    /// than the posts its permanent staff leave vacant; grade 1's so that
    /// it has none.
    fn with_excess(model: &Model, state: &State, excess: f64) -> Realized {
        let wf = &state.workforce;
        let mut realized = prepare(model, 3, 0).realized;
        let in_post =
            |g| wf.fte_in_post(g, Contract::Permanent) + wf.fte_in_post(g, Contract::Agency);
        realized.establishment_fte[0] = Series::Constant(in_post(0) - excess);
        realized.establishment_fte[1] = Series::Constant(in_post(1));
        realized
    }

    /// The places of those `release_replaced` lets go from `state` in month 3.
    fn released(model: &Model, realized: &Realized, state: &State, draws: &Draws) -> Vec<usize> {
        let mut after = state.clone();
        let mut flows = Flows::new(model.grades.len(), model.bands.len());
        release_replaced(
            model,
            realized,
            3,
            model.month(3),
            draws,
            &mut after,
            &mut flows,
        );
        after.leavers.iter().map(|l| l.index).collect()
    }

    /// Agency workers of the grade with the excess go, and only they, until
    /// the posts left vacant hold those who stay: their FTE covers the
    /// excess, and did not before the last of them, whatever the mix of
    /// FTE (some beyond full time, for whom fewer go than the excess's FTE).
    #[test]
    fn agency_workers_go_until_the_excess_is_covered() {
        let scenario =
            crate::scenario::compile(SCENARIO, std::path::Path::new("release.toml")).unwrap();
        let model = &scenario.variants[0].model;
        let ftes = [1.0, 0.5, 2.5, 0.8, 0.3, 1.5];
        let state = with_agency(model, &[(0, 30), (1, 30)], &ftes);
        let agency = state.workforce.fte_in_post(0, Contract::Agency);
        let c = state.workforce.columns();
        for replication in 0..8 {
            let draws = Draws::new(3, replication);
            for excess in [0.2, 1.0, 1.5, 2.6, 3.3, 4.1, 7.0, 11.2, 100.0] {
                let realized = with_excess(model, &state, excess);
                let gone = released(model, &realized, &state, &draws);
                let of_grade = |i: usize| c.grade[i] == 0 && c.contract[i] == Contract::Agency;
                assert!(gone.iter().all(|&i| of_grade(i)), "{gone:?}");
                assert!(gone.windows(2).all(|w| w[0] < w[1]), "{gone:?}");
                let fte: f64 = gone.iter().map(|&i| c.fte[i]).sum();
                let largest = gone.iter().map(|&i| c.fte[i]).fold(0.0, f64::max);
                let context = format!("replication {replication}, excess {excess}, {gone:?}");
                assert!(fte > excess.min(agency) - FTE_EPSILON, "{context}");
                assert!(fte - largest < excess - FTE_EPSILON, "{context}");
            }
        }
    }

    /// Who goes is a uniform choice without replacement: with `m` agency
    /// workers of 1 FTE and an excess of `k`, each goes with probability
    /// k / m and each pair with k (k - 1) / (m (m - 1)), within five
    /// standard errors of the binomial count over many months' draws.
    #[test]
    fn who_goes_is_a_uniform_choice_without_replacement() {
        let scenario =
            crate::scenario::compile(SCENARIO, std::path::Path::new("release.toml")).unwrap();
        let model = &scenario.variants[0].model;
        let (m, k, trials) = (12u32, 3.0, 6000u64);
        let state = with_agency(model, &[(0, m)], &[1.0]);
        let realized = with_excess(model, &state, k);
        let agency: Vec<usize> = (0..state.workforce.len())
            .filter(|&i| state.workforce.columns().contract[i] == Contract::Agency)
            .collect();
        let (mut each, mut pair) = (vec![0u64; agency.len()], 0u64);
        for replication in 0..trials {
            let gone = released(model, &realized, &state, &Draws::new(3, replication));
            assert_eq!(gone.len(), 3);
            for (n, i) in agency.iter().enumerate() {
                each[n] += u64::from(gone.contains(i));
            }
            pair += u64::from(gone.contains(&agency[0]) && gone.contains(&agency[m as usize - 1]));
        }
        let m = f64::from(m);
        let within = |count: u64, p: f64, what: &str| {
            let n = trials as f64;
            let se = (n * p * (1.0 - p)).sqrt();
            assert!(
                (count as f64 - n * p).abs() < 5.0 * se,
                "{what}: {count} of {trials}, expected {}",
                n * p
            );
        };
        for (n, &count) in each.iter().enumerate() {
            within(count, k / m, &format!("agency worker {n}"));
        }
        within(
            pair,
            k * (k - 1.0) / (m * (m - 1.0)),
            "the first and last together",
        );
    }
}

//! Pipelines: student placements through the teaching partnership, their
//! graduation and the NQSW intake; grow-your-own completers; and training
//! cohorts selected from eligible staff.

use crate::calendar::Month;
use crate::ledger::Flows;
use crate::model::Model;
use crate::param::whole_months as round_unbiased;
use crate::process::demand::month_key;
use crate::process::{lowest_draws, open_permanent_fte, whole_posts};
use crate::rng::{Draws, Stream};
use crate::sim::{Realized, State, StudentCohort};
use crate::workforce::{Columns, Contract, Joiner, NOT_TRAINING, Route, each_where, person_id};

pub fn step(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    place_students(model, realized, t, month, draws, state);
    graduate_students(realized, t, draws, state, flows);
    nqsw_intake(model, realized, t, month, draws, state, flows);
    grow_your_own(model, realized, month, draws, state, flows);
    start_training(model, realized, t, month, draws, state);
}

/// Practice educators in post and the students they can take this year.
pub fn placement_capacity(model: &Model, state: &State) -> f64 {
    let Some(partnership) = &model.careers.partnership else {
        return 0.0;
    };
    match partnership.practice_educator {
        None => f64::INFINITY,
        Some((specialism, each)) => {
            let educators = state.workforce.tallies().holders(specialism);
            educators as f64 * each
        }
    }
}

fn place_students(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
) {
    let Some(partnership) = &model.careers.partnership else {
        return;
    };
    if month.month_of_year() != partnership.placement_month {
        return;
    }
    let capacity = placement_capacity(model, state);
    let planned = round_unbiased(
        realized.placements.at(t),
        draws.month(Stream::Placement, month_key(month)).bits(0, 0),
    );
    let placed = f64::from(planned).min(capacity.floor()) as u32;
    state.money.placements_made += placed;
    state.placements = f64::from(placed);
    state.placements_planned = f64::from(planned);
    state.placement_capacity = capacity;
    state.students.push(StudentCohort {
        placed: month,
        count: placed,
        graduates_at: t + partnership.months_to_graduation as usize,
    });
}

fn graduate_students(
    realized: &Realized,
    t: usize,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    let rate = realized.graduation.at(t);
    let State {
        students,
        local_graduates,
        ..
    } = state;
    // In place, in order: most months no cohort graduates.
    students.retain(|cohort| {
        if cohort.graduates_at > t {
            return true;
        }
        let stream = draws.month(Stream::Graduation, month_key(cohort.placed));
        for s in 0..cohort.count {
            if stream.uniform(u64::from(s)) < rate {
                // A graduate's subject: their placement month and ordinal.
                local_graduates.push((u64::from(month_key(cohort.placed)) << 32) | u64::from(s));
                flows.graduates += 1;
            }
        }
        false
    });
}

fn nqsw_intake(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    let (Some(partnership), Some(asye)) = (&model.careers.partnership, &model.careers.asye) else {
        return;
    };
    if month.month_of_year() != partnership.intake_month {
        return;
    }
    let grade = asye.grade;
    let open = |g: usize| open_permanent_fte(realized, t, g, state);
    // NQSW posts are part of the qualified establishment: an intake may not
    // overfill the ASYE grade and the grade NQSWs move into, taken together.
    let open = open(grade).min(open(grade) + open(asye.next_grade));
    let mut places = whole_posts(open, model.grades[grade].hire_fte);
    if let Some(target) = &realized.intake_target {
        places = places.min(target.at(t).round() as u32);
    }
    let accept = draws.month(Stream::NqswIntake, month_key(month));
    let acceptance = realized.acceptance.at(t);
    let local = std::mem::take(&mut state.local_graduates)
        .into_iter()
        .filter(|&graduate| accept.uniform(graduate) < acceptance)
        .count() as u32;
    let external = round_unbiased(realized.external.at(t), accept.bits(u64::MAX, 1));
    let hires = [(Route::NqswLocal, local), (Route::NqswExternal, external)];
    for (route, applicants) in hires {
        let taken = applicants.min(places);
        places -= taken;
        for k in 0..taken {
            let joiner = Joiner {
                id: person_id(route, grade, month, k),
                contract: Contract::Permanent,
                grade,
                fte: model.grades[grade].hire_fte,
                months_service: 0,
                months_qualified: 0,
                months_in_grade: 0,
                specialisms: 0,
                route,
            };
            state.workforce.add(joiner, flows);
        }
    }
}

fn grow_your_own(
    model: &Model,
    realized: &Realized,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    let Some(asye) = &model.careers.asye else {
        return;
    };
    for (p, route) in model.careers.grow_your_own.iter().enumerate() {
        for (c, &(start, size)) in route.cohorts.iter().enumerate() {
            if start.plus(route.duration_months) != month {
                continue;
            }
            let t = month.months_since(model.start).max(0) as usize;
            let rate = realized.gyo_completion[p].at(t.min(model.horizon() - 1));
            let stream = draws.month(Stream::GrowYourOwn, month_key(start));
            for k in 0..size {
                let subject = ((p as u64) << 48) | ((c as u64) << 32) | u64::from(k);
                if stream.uniform(subject) >= rate {
                    continue;
                }
                let joiner = Joiner {
                    id: person_id(Route::GrowYourOwn, p, start, (c as u32) << 16 | k),
                    contract: Contract::Permanent,
                    grade: asye.grade,
                    fte: model.grades[asye.grade].hire_fte,
                    months_service: 0,
                    months_qualified: 0,
                    months_in_grade: 0,
                    specialisms: 0,
                    route: Route::GrowYourOwn,
                };
                state.workforce.add(joiner, flows);
            }
        }
    }
}

fn start_training(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
) {
    for (c, cohort) in model.careers.training.iter().enumerate() {
        if !cohort.intake_months.contains(&month.month_of_year()) {
            continue;
        }
        let size = realized.training_size[c].at(t).round() as usize;
        let stream = draws
            .month(Stream::TrainingSelection, month_key(month))
            .bits(c as u64, 0);
        let stream = Draws::new(stream, 0).month(Stream::TrainingSelection, 0);
        let wf = &state.workforce;
        // By the grade's byte, so the test needs no search and no bounds check.
        let mut eligible_grade = [false; 256];
        for &g in &cohort.eligible_grades {
            eligible_grade[g] = true;
        }
        let Columns {
            len,
            contract,
            grade,
            id,
            months_qualified: qualified,
            training,
            specialisms: held,
            ..
        } = wf.columns();
        let mut eligible: Vec<(u64, usize)> = Vec::new();
        each_where(
            len,
            |i| {
                (contract[i] == Contract::Permanent)
                    & eligible_grade[usize::from(grade[i])]
                    & (qualified[i] >= cohort.min_months_qualified)
                    & (training[i] == NOT_TRAINING)
                    & (held[i] & (1 << cohort.specialism) == 0)
            },
            |i| eligible.push((stream.bits(id[i], 0), i)),
        );
        lowest_draws(&mut eligible, size);
        let fee = model.finance.as_ref().map_or(0.0, |f| f.training[c].fee);
        for &(_, i) in &eligible {
            let end = (t + cohort.duration_months as usize) as u32;
            state.workforce.start_course(i, c as u8, end);
            state.money.training_fees += fee;
        }
    }
}

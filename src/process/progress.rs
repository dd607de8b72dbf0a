//! Progress: the ASYE ends (pass, or leave); progression panels promote
//! eligible workers; trainees finish their course and gain the specialism.

use crate::calendar::Month;
use crate::ledger::Flows;
use crate::model::{Model, Progression};
use crate::process::demand::month_key;
use crate::process::{lowest_draws, open_permanent_fte, whole_posts};
use crate::rng::{Draws, Stream};
use crate::sim::{Realized, State};
use crate::workforce::{Columns, Eligible, LeaveReason, Leaver, NOT_TRAINING, each_eligible};

pub fn step(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    complete_asye(model, realized, t, month, draws, state, flows);
    for (r, rule) in model.careers.progressions.iter().enumerate() {
        if rule.panel_months.contains(&month.month_of_year()) {
            sit_panel(model, realized, r, rule, t, month, draws, state, flows);
        }
    }
    complete_training(model, realized, t, month, draws, state);
}

fn complete_asye(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    let Some(asye) = &model.careers.asye else {
        return;
    };
    let pass_rate = realized.asye_pass.at(t);
    let stream = draws.month(Stream::Asye, month_key(month));
    let wf = &mut state.workforce;
    let finishing = &mut state.candidates;
    finishing.clear();
    let who = Eligible {
        grade: asye.grade as u8,
        min_months_in_grade: asye.duration_months,
        min_months_qualified: 0,
    };
    // Most months no one has yet served the ASYE's length, which the
    // workforce's bound says without a scan.
    if !wf.may_have_served(asye.grade, asye.duration_months) {
        debug_assert!({
            let mut none = true;
            each_eligible(&wf.columns(), who, |_| none = false);
            none
        });
        return;
    }
    each_eligible(&wf.columns(), who, |i| finishing.push(i));
    let fails = &mut state.leavers;
    fails.clear();
    for &i in finishing.iter() {
        if stream.uniform(wf.id[i]) < pass_rate {
            wf.change_grade(i, asye.next_grade, flows);
            flows.asye_completions += 1;
        } else {
            fails.push(Leaver {
                index: i,
                reason: LeaveReason::AsyeFailed,
            });
        }
    }
    if !fails.is_empty() {
        wf.remove(fails, |s| model.bands.band_of(s), flows);
    }
    wf.settle_most_months_in_grade(asye.grade);
}

/// Who may sit a panel under `rule`: its grade's permanent staff with the
/// months in grade and qualified it asks for.
fn eligible(rule: &Progression) -> Eligible {
    Eligible {
        grade: rule.from as u8,
        min_months_in_grade: rule.min_months_in_grade,
        min_months_qualified: rule.min_months_qualified,
    }
}

/// Months since a permanent worker became eligible for a panel (`None` if
/// not eligible), from their grade and months in grade and qualified: the
/// leaving step asks for every person whose draw might make them leave.
#[inline]
pub fn months_eligible(
    rule: &Progression,
    grade: u8,
    months_in_grade: u32,
    months_qualified: u32,
) -> Option<u32> {
    eligible(rule)
        .admits(grade, months_in_grade, months_qualified)
        .then(|| {
            (months_in_grade - rule.min_months_in_grade)
                .min(months_qualified - rule.min_months_qualified)
        })
}

#[allow(clippy::too_many_arguments)]
fn sit_panel(
    model: &Model,
    realized: &Realized,
    r: usize,
    rule: &Progression,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    let success = realized.progression_success[r].at(t);
    // One stream per panel route, so adding a route never shifts another's draws.
    let stream = draws
        .month(Stream::Progression, month_key(month))
        .bits(r as u64, 0);
    let stream = Draws::new(stream, 0).month(Stream::Progression, 0);
    let id = &state.workforce.id;
    let mut successful: Vec<(u64, usize)> = Vec::new();
    each_eligible(&state.workforce.columns(), eligible(rule), |i| {
        // Kept or not without a branch: success is a coin toss.
        let bits = stream.bits(id[i], 0);
        successful.push((bits, i));
        let failed = crate::rng::unit(bits) >= success;
        successful.truncate(successful.len() - usize::from(failed));
    });
    if rule.requires_vacancy {
        let open = open_permanent_fte(realized, t, rule.to, state);
        let posts = whole_posts(open, model.grades[rule.to].hire_fte) as usize;
        lowest_draws(&mut successful, posts);
    }
    for (_, i) in successful {
        state.workforce.change_grade(i, rule.to, flows);
    }
}

fn complete_training(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
) {
    let stream = draws.month(Stream::TrainingPass, month_key(month));
    let wf = &mut state.workforce;
    if !wf.course_may_end(t as u32) {
        return;
    }
    let finishing: Vec<usize> = {
        let Columns {
            len,
            training,
            training_end: end,
            ..
        } = wf.columns();
        (0..len)
            .filter(|&i| training[i] != NOT_TRAINING && end[i] as usize == t)
            .collect()
    };
    for i in finishing {
        let course = wf.end_course(i);
        let cohort = &model.careers.training[usize::from(course)];
        if stream.uniform(wf.id[i]) < realized.training_pass[usize::from(course)].at(t) {
            wf.gain_specialism(i, cohort.specialism);
            let r = &mut wf.repayable[i];
            r.trained_month = t as u32;
            r.trained_course = course;
        }
    }
}

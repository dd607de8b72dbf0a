//! Recruitment: offers in flight start; agency workers convert to permanent;
//! open vacancies get experienced hires after a time-to-start lag.

use crate::calendar::Month;
use crate::ledger::Flows;
use crate::model::Model;
use crate::param::whole_months;
use crate::process::demand::month_key;
use crate::process::{FTE_EPSILON, open_permanent_fte, whole_posts};
use crate::rng::{Draws, Gaps, Stream};
use crate::sim::{Pending, Realized, State};
use crate::workforce::{Columns, Contract, Joiner, LeaveReason, Leaver, Route, person_id};

pub fn step(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    state.start_pending(t, Contract::Permanent, flows);
    convert_agency(model, realized, t, month, draws, state, flows);
    make_offers(model, realized, t, month, draws, state, flows);
}

fn convert_agency(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    let hazard = realized.conversion_hazard.at(t);
    if hazard == 0.0 {
        return;
    }
    let stream = draws.month(Stream::AgencyConversion, month_key(month));
    // Each agency worker is drawn with probability `hazard`, by geometric
    // gaps between those drawn: a draw for each one drawn and one more
    // (about 1.3 a month in the default scenario), not one for every
    // agency worker.
    let mut gaps = Gaps::new(stream, 0, realized.conversion_log_stay.at(t));
    let drawn = &mut state.candidates;
    drawn.clear();
    state
        .workforce
        .each_on_after_gaps(Contract::Agency, || gaps.next_gap(), |i| drawn.push(i));
    if drawn.is_empty() {
        return;
    }
    // By the grade's byte, and only in the months someone is drawn.
    let mut open = [0.0; 256];
    for (g, room) in open.iter_mut().enumerate().take(model.grades.len()) {
        *room = open_permanent_fte(realized, t, g, state);
    }
    let converts = &mut state.joiners;
    converts.clear();
    state.leavers.clear();
    let Columns {
        id,
        grade,
        fte,
        months_qualified,
        ..
    } = state.workforce.columns();
    for &i in &state.candidates {
        let g = usize::from(grade[i]);
        if open[g] + FTE_EPSILON < fte[i] {
            continue;
        }
        open[g] -= fte[i];
        converts.push(Joiner {
            id: id[i],
            contract: Contract::Permanent,
            grade: g,
            fte: fte[i],
            months_service: 0,
            months_qualified: months_qualified[i],
            months_in_grade: 0,
            specialisms: 0,
            route: Route::AgencyConversion,
        });
        state.leavers.push(Leaver {
            index: i,
            reason: LeaveReason::ConvertedToPermanent,
        });
    }
    if converts.is_empty() {
        return;
    }
    state
        .workforce
        .remove(&state.leavers, |s| model.bands.band_of(s), flows);
    for &joiner in &state.joiners {
        state.workforce.add(joiner, flows);
    }
}

fn make_offers(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    let hire = draws.month(Stream::Hire, month_key(month));
    let lag = draws.month(Stream::HireLag, month_key(month));
    for (g, grade) in model.grades.iter().enumerate() {
        let p = realized.hire_probability[g].at(t);
        if p == 0.0 {
            continue;
        }
        let vacancies = whole_posts(open_permanent_fte(realized, t, g, state), grade.hire_fte);
        // Each vacancy is filled with probability `p`, found by geometric
        // gaps between those filled: a draw for each hire and one more (the
        // default scenario's 50-odd social worker vacancies a month at 3.5%
        // take about three), not one for every vacancy.
        let mut gaps = Gaps::new(hire, (g as u64) << 32, realized.hire_log_miss[g].at(t));
        let mut next = gaps.next_gap();
        while next < u64::from(vacancies) {
            let k = next as u32;
            next = next.saturating_add(1).saturating_add(gaps.next_gap());
            // Lags and ids are keyed by the vacancy's ordinal, not by a running counter.
            let subject = ((g as u64) << 32) | u64::from(k);
            let months = model
                .recruitment
                .time_to_start_months
                .sample_event(month, &lag, subject);
            let joiner = Joiner {
                id: person_id(Route::ExperiencedHire, g, month, k),
                contract: Contract::Permanent,
                grade: g,
                fte: grade.hire_fte,
                months_service: 0,
                months_qualified: grade.months_qualified_at_hire,
                months_in_grade: 0,
                specialisms: 0,
                route: Route::ExperiencedHire,
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

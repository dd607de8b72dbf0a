//! Leaving: permanent staff by a hazard that depends on grade and length of
//! service, multiplied by the effects in force for the person (caseload
//! pressure, stalled progression, specialisms); agency assignments by their
//! own hazard.

use crate::calendar::Month;
use crate::ledger::Flows;
use crate::model::Model;
use crate::process::demand::month_key;
use crate::process::{finance, progress};
use crate::rng::{Draws, Stream};
use crate::sim::{Realized, Returner, State};
use crate::workforce::{Contract, LeaveReason};

pub fn step(
    model: &Model,
    realized: &Realized,
    t: usize,
    month: Month,
    draws: &Draws,
    state: &mut State,
    flows: &mut Flows,
) {
    let careers = &model.careers;
    let pressure = if state.caseload_pressure {
        careers.caseload.leaving_multiplier
    } else {
        1.0
    };
    // Everything that is the same for everyone this month, worked out once.
    let bands = model.bands.len();
    let hazard: Vec<f64> = realized
        .leaving_hazard
        .iter()
        .flat_map(|by_band| by_band.iter().map(|s| s.at(t) * pressure))
        .collect();
    let agency_hazard = realized.agency_ending_hazard.at(t);
    let specialisms: Vec<(u16, Option<f64>, f64)> = (0..careers.specialisms.len())
        .map(|s| {
            let own = realized.specialism_hazard[s]
                .as_ref()
                .map(|h| h.at(t) * pressure);
            (1 << s, own, realized.specialism_multiplier[s].at(t))
        })
        .collect();
    let stalls: Vec<(&crate::model::Progression, u32)> = careers
        .progressions
        .iter()
        .filter_map(|rule| rule.stall_after_months.map(|after| (rule, after)))
        .collect();
    let retention = model
        .finance
        .as_ref()
        .map(|f| finance::RetentionMonth::new(f, realized, t, month));
    let permanent = draws.month(Stream::PermanentLeaving, month_key(month));
    let agency = draws.month(Stream::AgencyEnding, month_key(month));
    let wf = &state.workforce;
    let marks = &mut state.leaving_marks;
    marks.clear();
    // Each column cut to the same length, so that indexing by `i` below
    // needs no bounds checks.
    let n = wf.len();
    let (contract, service, grade) = (&wf.contract[..n], &wf.months_service[..n], &wf.grade[..n]);
    let (held, id) = (&wf.specialisms[..n], &wf.id[..n]);
    let (in_grade, qualified) = (&wf.months_in_grade[..n], &wf.months_qualified[..n]);
    let (paid_month, paid_scheme) = (&wf.paid_month[..n], &wf.paid_scheme[..n]);
    for i in 0..n {
        let mark = match contract[i] {
            Contract::Permanent => {
                let band = model.bands.band_of(service[i]);
                let mut h = hazard[usize::from(grade[i]) * bands + band];
                if held[i] != 0 {
                    for &(bit, own, multiplier) in &specialisms {
                        if held[i] & bit != 0 {
                            h = own.unwrap_or(h) * multiplier;
                        }
                    }
                }
                for &(rule, after) in &stalls {
                    if progress::months_eligible(rule, grade[i], in_grade[i], qualified[i]) >= after
                    {
                        h *= rule.stall_leaving_multiplier;
                    }
                }
                if let Some(r) = &retention {
                    h *= r.multiplier(finance::RetentionFacts {
                        grade: grade[i],
                        specialisms: held[i],
                        months_service: service[i],
                        paid_month: paid_month[i],
                        paid_scheme: paid_scheme[i],
                    });
                }
                (permanent.uniform(id[i]) < h).then_some(LeaveReason::Resigned)
            }
            Contract::Agency => {
                (agency.uniform(id[i]) < agency_hazard).then_some(LeaveReason::AssignmentEnded)
            }
        };
        marks.push(mark);
    }
    settle_leavers(model, realized, t, month, draws, state);
    state
        .workforce
        .remove(&state.leaving_marks, |s| model.bands.band_of(s), flows);
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
    for (i, mark) in state.leaving_marks.iter().enumerate() {
        if *mark != Some(LeaveReason::Resigned) {
            continue;
        }
        if let Some(f) = &model.finance {
            finance::claw_back(f, wf, i, t, &mut state.money);
        }
        if share > 0.0 && returning.uniform(wf.id[i]) < share {
            state.returners.push(Returner {
                id: wf.id[i],
                grade: usize::from(wf.grade[i]),
                fte: wf.fte[i],
                months_qualified: wf.months_qualified[i],
                available_at: t + lag.max(cooling_off) as usize,
            });
        }
    }
}

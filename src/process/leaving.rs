//! Leaving: permanent staff by a hazard that depends on grade and length of
//! service; agency assignments by their own hazard.

use crate::calendar::Month;
use crate::ledger::Flows;
use crate::model::Model;
use crate::process::demand::month_key;
use crate::rng::{Draws, Stream};
use crate::sim::{Realized, State};
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
    let hazard: Vec<Vec<f64>> = realized
        .leaving_hazard
        .iter()
        .map(|bands| bands.iter().map(|s| s.at(t)).collect())
        .collect();
    let agency_hazard = realized.agency_ending_hazard.at(t);
    let permanent = draws.month(Stream::PermanentLeaving, month_key(month));
    let agency = draws.month(Stream::AgencyEnding, month_key(month));
    let wf = &state.workforce;
    let marks = &mut state.leaving_marks;
    marks.clear();
    marks.extend((0..wf.len()).map(|i| match wf.contract[i] {
        Contract::Permanent => {
            let band = model.bands.band_of(wf.months_service[i]);
            let h = hazard[usize::from(wf.grade[i])][band];
            (permanent.uniform(wf.id[i]) < h).then_some(LeaveReason::Resigned)
        }
        Contract::Agency => {
            (agency.uniform(wf.id[i]) < agency_hazard).then_some(LeaveReason::AssignmentEnded)
        }
    }));
    state
        .workforce
        .remove(&state.leaving_marks, |s| model.bands.band_of(s), flows);
}

//! Stocks and flows: every month closes with start + joiners - leavers = end,
//! per grade and contract, in headcount and FTE, where a move between grades
//! is a leaver of one grade and a joiner of the other. A break is an error.

use crate::workforce::{Contract, LeaveReason, Route};

/// FTE within this of each other are equal: far below any FTE a person holds,
/// far above the rounding of summing a few thousand FTE.
const FTE_TOLERANCE: f64 = 1e-6;

/// Headcount and FTE.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Count {
    pub headcount: u32,
    pub fte: f64,
}

impl Count {
    fn plus(self, other: Count) -> Count {
        Count {
            headcount: self.headcount + other.headcount,
            fte: self.fte + other.fte,
        }
    }
}

/// One month's movements.
#[derive(Clone, Debug)]
pub struct Flows {
    /// Joiners and leavers by grade and contract.
    pub joiners: Vec<[Count; 2]>,
    pub leavers: Vec<[Count; 2]>,
    /// Moves between grades (ASYE completion, promotion), in and out.
    pub transfers_in: Vec<[Count; 2]>,
    pub transfers_out: Vec<[Count; 2]>,
    /// Grade changes this month, in headcount.
    pub promotions: u32,
    /// Students graduating and NQSWs passing the ASYE this month.
    pub graduates: u32,
    pub asye_completions: u32,
    /// FTE by route, reason and (for permanent leavers) service band.
    pub by_route: [f64; Route::ALL.len()],
    /// Headcount by route.
    pub heads_by_route: [u32; Route::ALL.len()],
    pub by_reason: [f64; LeaveReason::ALL.len()],
    pub permanent_leavers_by_band: Vec<f64>,
    /// Since the run began, by grade and contract: everyone in (joiners and
    /// moves in) and out (leavers and moves out) in the months closed so
    /// far, for closing the run as a whole; not cleared with the month's.
    run_in: Vec<[Count; 2]>,
    run_out: Vec<[Count; 2]>,
}

impl Flows {
    pub fn new(grades: usize, bands: usize) -> Flows {
        Flows {
            joiners: vec![[Count::default(); 2]; grades],
            leavers: vec![[Count::default(); 2]; grades],
            transfers_in: vec![[Count::default(); 2]; grades],
            transfers_out: vec![[Count::default(); 2]; grades],
            promotions: 0,
            graduates: 0,
            asye_completions: 0,
            by_route: [0.0; Route::ALL.len()],
            heads_by_route: [0; Route::ALL.len()],
            by_reason: [0.0; LeaveReason::ALL.len()],
            permanent_leavers_by_band: vec![0.0; bands],
            run_in: vec![[Count::default(); 2]; grades],
            run_out: vec![[Count::default(); 2]; grades],
        }
    }

    /// Back to no flows for a new month, keeping the allocations (one
    /// `Flows` serves every month of a replication) and the run's totals.
    pub fn clear(&mut self) {
        // Every field named, so that a new one cannot be left out.
        let Flows {
            joiners,
            leavers,
            transfers_in,
            transfers_out,
            promotions,
            graduates,
            asye_completions,
            by_route,
            heads_by_route,
            by_reason,
            permanent_leavers_by_band,
            run_in: _,
            run_out: _,
        } = self;
        for cells in [joiners, leavers, transfers_in, transfers_out] {
            cells.fill([Count::default(); 2]);
        }
        *promotions = 0;
        *graduates = 0;
        *asye_completions = 0;
        *by_route = [0.0; Route::ALL.len()];
        *heads_by_route = [0; Route::ALL.len()];
        *by_reason = [0.0; LeaveReason::ALL.len()];
        permanent_leavers_by_band.fill(0.0);
    }

    pub fn join(&mut self, grade: usize, contract: Contract, fte: f64, route: Route) {
        let cell = &mut self.joiners[grade][contract as usize];
        cell.headcount += 1;
        cell.fte += fte;
        self.by_route[route as usize] += fte;
        self.heads_by_route[route as usize] += 1;
    }

    pub fn leave(
        &mut self,
        grade: usize,
        contract: Contract,
        fte: f64,
        reason: LeaveReason,
        band: usize,
    ) {
        let cell = &mut self.leavers[grade][contract as usize];
        cell.headcount += 1;
        cell.fte += fte;
        self.by_reason[reason as usize] += fte;
        if contract == Contract::Permanent {
            self.permanent_leavers_by_band[band] += fte;
        }
    }

    pub fn transfer(&mut self, from: usize, to: usize, contract: Contract, fte: f64) {
        for (cells, grade) in [
            (&mut self.transfers_out, from),
            (&mut self.transfers_in, to),
        ] {
            let cell = &mut cells[grade][contract as usize];
            cell.headcount += 1;
            cell.fte += fte;
        }
        self.promotions += 1;
    }

    /// Total FTE joining or leaving with one contract.
    pub fn total(cells: &[[Count; 2]], contract: Contract) -> f64 {
        cells.iter().map(|c| c[contract as usize].fte).sum()
    }
}

/// A month whose stocks and flows do not balance.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "stock-flow ledger broken in {period} for grade {grade} ({contract}): start {start:?} + joiners {joiners:?} - leavers {leavers:?} != end {end:?}"
)]
pub struct LedgerBreak {
    /// "month 2016-03", or the run's months.
    pub period: String,
    pub grade: String,
    pub contract: &'static str,
    pub start: Count,
    pub joiners: Count,
    pub leavers: Count,
    pub end: Count,
}

/// Checks one month: `start` and `end` come from the workforce's tallies,
/// `flows` from the one place people join and leave; then adds the month's
/// people in and out to the run's totals, on which the run closes (a pass
/// over cells the check reads anyway).
pub fn close(
    start: &[[(u32, f64); 2]],
    flows: &mut Flows,
    end: &[[(u32, f64); 2]],
    grade_name: impl Fn(usize) -> String,
    period: impl Fn() -> String,
) -> Result<(), Box<LedgerBreak>> {
    for g in 0..start.len() {
        for contract in Contract::ALL {
            let c = contract as usize;
            let j = flows.joiners[g][c].plus(flows.transfers_in[g][c]);
            let l = flows.leavers[g][c].plus(flows.transfers_out[g][c]);
            check(
                contract,
                start[g][c],
                j,
                l,
                end[g][c],
                || grade_name(g),
                &period,
            )?;
            flows.run_in[g][c] = flows.run_in[g][c].plus(j);
            flows.run_out[g][c] = flows.run_out[g][c].plus(l);
        }
    }
    Ok(())
}

/// Checks a run as a whole: `opening` and `closing` are recounts of its
/// people, independent of the tallies, and `flows` carries the run's totals
/// of the months closed.
pub fn close_run(
    opening: &[[(u32, f64); 2]],
    flows: &Flows,
    closing: &[[(u32, f64); 2]],
    grade_name: impl Fn(usize) -> String,
    period: impl Fn() -> String,
) -> Result<(), Box<LedgerBreak>> {
    for g in 0..opening.len() {
        for contract in Contract::ALL {
            let c = contract as usize;
            let (j, l) = (flows.run_in[g][c], flows.run_out[g][c]);
            check(
                contract,
                opening[g][c],
                j,
                l,
                closing[g][c],
                || grade_name(g),
                &period,
            )?;
        }
    }
    Ok(())
}

/// start + joiners - leavers = end, in headcount and FTE.
fn check(
    contract: Contract,
    s: (u32, f64),
    j: Count,
    l: Count,
    e: (u32, f64),
    grade_name: impl Fn() -> String,
    period: impl Fn() -> String,
) -> Result<(), Box<LedgerBreak>> {
    let heads_ok =
        i64::from(s.0) + i64::from(j.headcount) - i64::from(l.headcount) == i64::from(e.0);
    let fte_ok = (s.1 + j.fte - l.fte - e.1).abs() <= FTE_TOLERANCE;
    if heads_ok && fte_ok {
        return Ok(());
    }
    Err(Box::new(LedgerBreak {
        period: period(),
        grade: grade_name(),
        contract: contract.name(),
        start: Count {
            headcount: s.0,
            fte: s.1,
        },
        joiners: j,
        leavers: l,
        end: Count {
            headcount: e.0,
            fte: e.1,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_appearing_without_a_flow_breaks_the_ledger() {
        let mut flows = Flows::new(1, 1);
        let start = vec![[(3, 3.0), (0, 0.0)]];
        let end = vec![[(4, 4.0), (0, 0.0)]];
        let err = close(
            &start,
            &mut flows,
            &end,
            |_| "sw".into(),
            || "2020-01".into(),
        )
        .unwrap_err();
        assert_eq!(err.contract, "permanent");
    }

    #[test]
    fn recorded_flows_balance() {
        let mut flows = Flows::new(1, 1);
        flows.join(0, Contract::Agency, 1.0, Route::AgencyCover);
        flows.leave(0, Contract::Permanent, 0.5, LeaveReason::Resigned, 0);
        let start = vec![[(3, 2.5), (0, 0.0)]];
        let end = vec![[(2, 2.0), (1, 1.0)]];
        assert!(
            close(
                &start,
                &mut flows,
                &end,
                |_| "sw".into(),
                || "2020-01".into()
            )
            .is_ok()
        );
    }

    /// A run closes on the flows of the months closed, a move between
    /// grades counted out of one and into the other; a new month's flows
    /// start from none.
    #[test]
    fn a_run_closes_on_its_months_flows() {
        let name = |g: usize| ["nqsw", "sw"][g].to_string();
        let mut flows = Flows::new(2, 1);
        let start = vec![[(2, 2.0), (0, 0.0)], [(0, 0.0), (1, 0.5)]];
        let middle = vec![[(3, 3.0), (0, 0.0)], [(0, 0.0), (1, 0.5)]];
        let end = vec![[(2, 2.0), (0, 0.0)], [(1, 1.0), (0, 0.0)]];
        flows.join(0, Contract::Permanent, 1.0, Route::NqswLocal);
        assert!(close(&start, &mut flows, &middle, name, || "month 1".into()).is_ok());
        flows.clear();
        flows.transfer(0, 1, Contract::Permanent, 1.0);
        flows.leave(1, Contract::Agency, 0.5, LeaveReason::AssignmentEnded, 0);
        assert!(close(&middle, &mut flows, &end, name, || "month 2".into()).is_ok());
        assert!(close_run(&start, &flows, &end, name, || "the run".into()).is_ok());
        // The second month alone, missing the first month's joiner, does not.
        let err = close(&start, &mut flows, &end, name, || "the run".into()).unwrap_err();
        assert_eq!((err.grade.as_str(), err.contract), ("nqsw", "permanent"));
        assert!(
            err.to_string()
                .starts_with("stock-flow ledger broken in the run")
        );
        // A run missing a month's close does not close either.
        let mut unclosed = Flows::new(2, 1);
        unclosed.join(0, Contract::Permanent, 1.0, Route::NqswLocal);
        let err = close_run(&start, &unclosed, &middle, name, || "the run".into()).unwrap_err();
        assert_eq!((err.grade.as_str(), err.contract), ("nqsw", "permanent"));
    }
}

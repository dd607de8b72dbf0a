//! The people: one column per attribute, one place that adds a person and one
//! that removes people, so the columns stay aligned and every movement is
//! recorded in the month's flows.

use crate::calendar::Month;
use crate::ledger::Flows;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Contract {
    Permanent = 0,
    Agency = 1,
}

impl Contract {
    pub const ALL: [Contract; 2] = [Contract::Permanent, Contract::Agency];

    pub fn name(self) -> &'static str {
        match self {
            Contract::Permanent => "permanent",
            Contract::Agency => "agency",
        }
    }
}

/// How a person joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Route {
    /// In post when the simulation starts.
    Initial = 0,
    /// An experienced social worker recruited from the market.
    ExperiencedHire = 1,
    /// An agency worker who took a permanent post.
    AgencyConversion = 2,
    /// An agency worker covering a vacancy.
    AgencyCover = 3,
    /// A newly qualified social worker from the local teaching partnership.
    NqswLocal = 4,
    /// A newly qualified social worker from elsewhere.
    NqswExternal = 5,
    /// A degree apprentice, Step Up trainee or similar, qualified.
    GrowYourOwn = 6,
    /// A former permanent worker back as an agency worker.
    AgencyReturner = 7,
}

impl Route {
    pub const ALL: [Route; 8] = [
        Route::Initial,
        Route::ExperiencedHire,
        Route::AgencyConversion,
        Route::AgencyCover,
        Route::NqswLocal,
        Route::NqswExternal,
        Route::GrowYourOwn,
        Route::AgencyReturner,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Route::Initial => "initial",
            Route::ExperiencedHire => "experienced_hire",
            Route::AgencyConversion => "agency_conversion",
            Route::AgencyCover => "agency_cover",
            Route::NqswLocal => "nqsw_local",
            Route::NqswExternal => "nqsw_external",
            Route::GrowYourOwn => "grow_your_own",
            Route::AgencyReturner => "agency_returner",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Route::Initial => "in post at the start",
            Route::ExperiencedHire => "experienced hires (permanent)",
            Route::AgencyConversion => "agency workers converting to permanent",
            Route::AgencyCover => "agency workers covering vacancies",
            Route::NqswLocal => "NQSWs from the local teaching partnership",
            Route::NqswExternal => "NQSWs from elsewhere",
            Route::GrowYourOwn => "grow-your-own completers (apprenticeships, Step Up)",
            Route::AgencyReturner => "former permanent staff back as agency workers",
        }
    }
}

/// Why a person left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum LeaveReason {
    /// A permanent worker left the employer.
    Resigned = 0,
    /// An agency assignment ended.
    AssignmentEnded = 1,
    /// An agency worker's post was filled by a permanent starter.
    ReplacedByPermanent = 2,
    /// An agency worker took a permanent post (and joins again as permanent).
    ConvertedToPermanent = 3,
    /// An NQSW who did not pass the ASYE.
    AsyeFailed = 4,
}

impl LeaveReason {
    pub const ALL: [LeaveReason; 5] = [
        LeaveReason::Resigned,
        LeaveReason::AssignmentEnded,
        LeaveReason::ReplacedByPermanent,
        LeaveReason::ConvertedToPermanent,
        LeaveReason::AsyeFailed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LeaveReason::Resigned => "resigned",
            LeaveReason::AssignmentEnded => "assignment_ended",
            LeaveReason::ReplacedByPermanent => "replaced_by_permanent",
            LeaveReason::ConvertedToPermanent => "converted_to_permanent",
            LeaveReason::AsyeFailed => "asye_failed",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            LeaveReason::Resigned => "permanent staff leaving the employer",
            LeaveReason::AssignmentEnded => "agency assignments ending",
            LeaveReason::ReplacedByPermanent => "agency workers released for a permanent starter",
            LeaveReason::ConvertedToPermanent => "agency workers converting to permanent",
            LeaveReason::AsyeFailed => "NQSWs who did not pass the ASYE",
        }
    }
}

/// A stable person id that means the same thing in every variant: the route,
/// the grade, the month of the decision that brought them (offer, cover
/// request) and its ordinal within that route, grade and month. So "the third
/// social worker offered a post in September 2025" meets the same luck in the
/// base and in a variant that hires more.
pub fn person_id(route: Route, grade: usize, month: Month, ordinal: u32) -> u64 {
    ((route as u64) << 56)
        | ((grade as u64 & 0xFF) << 48)
        | ((month.months_since(Month::new(0, 1).expect("January is a month")) as u64 & 0xFFFF)
            << 32)
        | u64::from(ordinal)
}

/// A person about to be added.
#[derive(Clone, Copy, Debug)]
pub struct Joiner {
    pub id: u64,
    pub contract: Contract,
    pub grade: usize,
    pub fte: f64,
    pub months_service: u32,
    pub months_qualified: u32,
    /// Bit i set: holds specialism i.
    pub specialisms: u16,
    pub route: Route,
}

/// No training course in progress.
pub const NOT_TRAINING: u8 = u8::MAX;

/// A month index for something that has not happened.
pub const NEVER: u32 = u32::MAX;

/// A person to be removed from the workforce, by their index in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Leaver {
    pub index: usize,
    pub reason: LeaveReason,
}

/// A person leaving (`reason` set) or changing grade, recorded only when the
/// workforce keeps a history (for the HR extract).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    pub id: u64,
    /// The grade held before the change.
    pub grade: u8,
    pub contract: Contract,
    pub reason: Option<LeaveReason>,
}

/// A read-only view of the workforce's columns, all `len` long
/// ([`Workforce::columns`]).
#[derive(Clone, Copy, Debug)]
pub struct Columns<'a> {
    pub len: usize,
    pub id: &'a [u64],
    pub contract: &'a [Contract],
    pub grade: &'a [u8],
    pub months_service: &'a [u32],
    pub fte: &'a [f64],
    pub months_qualified: &'a [u32],
    pub months_in_grade: &'a [u32],
    pub specialisms: &'a [u16],
    pub training: &'a [u8],
    pub training_end: &'a [u32],
}

/// The people in post, as struct-of-arrays.
#[derive(Clone, Debug, Default)]
pub struct Workforce {
    pub id: Vec<u64>,
    pub contract: Vec<Contract>,
    pub grade: Vec<u8>,
    pub months_service: Vec<u32>,
    pub fte: Vec<f64>,
    pub start_month: Vec<Month>,
    pub months_qualified: Vec<u32>,
    pub months_in_grade: Vec<u32>,
    /// Bit i set: holds specialism i.
    pub specialisms: Vec<u16>,
    /// Index of the training course in progress, or `NOT_TRAINING`.
    pub training: Vec<u8>,
    /// Month index at which the course in progress ends.
    pub training_end: Vec<u32>,
    /// The last retention payment: month index (`NEVER` if none), amount and scheme.
    pub paid_month: Vec<u32>,
    pub paid_amount: Vec<f64>,
    pub paid_scheme: Vec<u8>,
    /// The last course passed: month index (`NEVER` if none) and course.
    pub trained_month: Vec<u32>,
    pub trained_course: Vec<u8>,
    /// FTE in post by grade and contract, kept current by `add` and `remove`.
    stock_fte: Vec<[f64; 2]>,
    /// Leavers and grade changes, when asked for.
    pub history: Option<Vec<Change>>,
}

impl Workforce {
    pub fn new(grades: usize) -> Workforce {
        Workforce::with_capacity(grades, 0)
    }

    /// Room for `people` before any column has to grow (and be copied).
    pub fn with_capacity(grades: usize, people: usize) -> Workforce {
        Workforce {
            id: Vec::with_capacity(people),
            contract: Vec::with_capacity(people),
            grade: Vec::with_capacity(people),
            months_service: Vec::with_capacity(people),
            fte: Vec::with_capacity(people),
            start_month: Vec::with_capacity(people),
            months_qualified: Vec::with_capacity(people),
            months_in_grade: Vec::with_capacity(people),
            specialisms: Vec::with_capacity(people),
            training: Vec::with_capacity(people),
            training_end: Vec::with_capacity(people),
            paid_month: Vec::with_capacity(people),
            paid_amount: Vec::with_capacity(people),
            paid_scheme: Vec::with_capacity(people),
            trained_month: Vec::with_capacity(people),
            trained_course: Vec::with_capacity(people),
            stock_fte: vec![[0.0; 2]; grades],
            history: None,
        }
    }

    pub fn len(&self) -> usize {
        self.id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    pub fn fte_in_post(&self, grade: usize, contract: Contract) -> f64 {
        self.stock_fte[grade][contract as usize]
    }

    /// The one place a person joins.
    pub fn add(&mut self, joiner: Joiner, month: Month, flows: &mut Flows) {
        self.id.push(joiner.id);
        self.contract.push(joiner.contract);
        self.grade.push(joiner.grade as u8);
        self.months_service.push(joiner.months_service);
        self.fte.push(joiner.fte);
        self.start_month.push(month);
        self.months_qualified.push(joiner.months_qualified);
        self.months_in_grade.push(0);
        self.specialisms.push(joiner.specialisms);
        self.training.push(NOT_TRAINING);
        self.training_end.push(0);
        self.paid_month.push(NEVER);
        self.paid_amount.push(0.0);
        self.paid_scheme.push(0);
        self.trained_month.push(NEVER);
        self.trained_course.push(0);
        self.stock_fte[joiner.grade][joiner.contract as usize] += joiner.fte;
        flows.join(joiner.grade, joiner.contract, joiner.fte, joiner.route);
    }

    /// The one place people leave: removes each of `leavers`, listed in
    /// increasing index order. Each leaver's place is taken by the last
    /// person (a swap-remove, from the end down), so the cost is in the
    /// leavers, not the workforce; the order that results is deterministic.
    pub fn remove(
        &mut self,
        leavers: &[Leaver],
        band_of: impl Fn(u32) -> usize,
        flows: &mut Flows,
    ) {
        debug_assert!(leavers.windows(2).all(|w| w[0].index < w[1].index));
        for &Leaver { index: i, reason } in leavers.iter().rev() {
            let (g, c) = (usize::from(self.grade[i]), self.contract[i]);
            self.stock_fte[g][c as usize] -= self.fte[i];
            self.note(i, Some(reason));
            flows.leave(g, c, self.fte[i], reason, band_of(self.months_service[i]));
            self.swap_remove(i);
        }
    }

    fn note(&mut self, i: usize, reason: Option<LeaveReason>) {
        if let Some(history) = &mut self.history {
            history.push(Change {
                id: self.id[i],
                grade: self.grade[i],
                contract: self.contract[i],
                reason,
            });
        }
    }

    fn swap_remove(&mut self, i: usize) {
        self.id.swap_remove(i);
        self.contract.swap_remove(i);
        self.grade.swap_remove(i);
        self.months_service.swap_remove(i);
        self.fte.swap_remove(i);
        self.start_month.swap_remove(i);
        self.months_qualified.swap_remove(i);
        self.months_in_grade.swap_remove(i);
        self.specialisms.swap_remove(i);
        self.training.swap_remove(i);
        self.training_end.swap_remove(i);
        self.paid_month.swap_remove(i);
        self.paid_amount.swap_remove(i);
        self.paid_scheme.swap_remove(i);
        self.trained_month.swap_remove(i);
        self.trained_course.swap_remove(i);
    }

    /// The one place a person changes grade (ASYE completion, promotion):
    /// recorded as a transfer out of one grade and into another.
    pub fn change_grade(&mut self, i: usize, to: usize, flows: &mut Flows) {
        let (from, c) = (usize::from(self.grade[i]), self.contract[i]);
        self.note(i, None);
        self.stock_fte[from][c as usize] -= self.fte[i];
        self.stock_fte[to][c as usize] += self.fte[i];
        flows.transfer(from, to, c, self.fte[i]);
        self.grade[i] = to as u8;
        self.months_in_grade[i] = 0;
    }

    /// Counts headcount and FTE by grade and contract from the columns
    /// themselves, independently of the running stock.
    pub fn recount(&self, grades: usize) -> Vec<[(u32, f64); 2]> {
        let mut counts = vec![[(0u32, 0.0f64); 2]; grades];
        for ((&grade, &contract), &fte) in self.grade.iter().zip(&self.contract).zip(&self.fte) {
            let cell = &mut counts[usize::from(grade)][contract as usize];
            cell.0 += 1;
            cell.1 += fte;
        }
        counts
    }

    /// The columns the monthly scans read, each cut to the number of people:
    /// indexing them by a person's index below `len` needs no bounds checks,
    /// as the compiler knows every one is that long.
    #[inline(always)]
    pub fn columns(&self) -> Columns<'_> {
        let n = self.len();
        Columns {
            len: n,
            id: &self.id[..n],
            contract: &self.contract[..n],
            grade: &self.grade[..n],
            months_service: &self.months_service[..n],
            fte: &self.fte[..n],
            months_qualified: &self.months_qualified[..n],
            months_in_grade: &self.months_in_grade[..n],
            specialisms: &self.specialisms[..n],
            training: &self.training[..n],
            training_end: &self.training_end[..n],
        }
    }

    /// Advances everyone's length of service by a month.
    pub fn age_one_month(&mut self) {
        for column in [
            &mut self.months_service,
            &mut self.months_qualified,
            &mut self.months_in_grade,
        ] {
            for m in column.iter_mut() {
                *m += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_ids_are_distinct_across_coordinates() {
        let m = Month::parse("2025-09").unwrap();
        let a = person_id(Route::ExperiencedHire, 1, m, 2);
        assert_ne!(a, person_id(Route::ExperiencedHire, 1, m, 3));
        assert_ne!(a, person_id(Route::AgencyCover, 1, m, 2));
        assert_ne!(a, person_id(Route::ExperiencedHire, 2, m, 2));
        assert_ne!(a, person_id(Route::ExperiencedHire, 1, m.plus(1), 2));
    }
}

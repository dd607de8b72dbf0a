//! The people: one column per attribute, one place that adds a person and one
//! that removes people, so the columns stay aligned and every movement is
//! recorded in the month's flows.

use crate::calendar::Month;
use crate::ledger::Flows;
use crate::masks::{has_avx2, prefetch, visit_after_gaps, visit_masks};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Contract {
    Permanent = 0,
    Agency = 1,
}

impl Contract {
    pub const ALL: [Contract; 2] = [Contract::Permanent, Contract::Agency];

    /// A column of contracts as their bytes (0 permanent, 1 agency), for
    /// scans that read many at once ([`Workforce::each_on`],
    /// [`crate::rng::each_maybe_below`]).
    pub fn bytes(contracts: &[Contract]) -> &[u8] {
        // SAFETY: `Contract` is `repr(u8)`, so a slice of them is a slice of
        // initialised bytes of the same length and alignment.
        unsafe { std::slice::from_raw_parts(contracts.as_ptr().cast(), contracts.len()) }
    }

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
    /// 0 but for staff in post at the start.
    pub months_in_grade: u32,
    /// Bit i set: holds specialism i.
    pub specialisms: u16,
    pub route: Route,
}

/// No training course in progress.
pub const NOT_TRAINING: u8 = u8::MAX;

/// A month index for something that has not happened.
pub const NEVER: u32 = u32::MAX;

/// What an employer may recover from a permanent worker who leaves: their
/// last retention payment and their last course passed (its fee).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Repayable {
    /// Month index of the payment (`NEVER` if none), amount and scheme.
    pub paid_month: u32,
    pub paid_amount: f64,
    pub paid_scheme: u8,
    /// Month index the course was passed (`NEVER` if none), and the course.
    pub trained_month: u32,
    pub trained_course: u8,
}

impl Repayable {
    pub const NONE: Repayable = Repayable {
        paid_month: NEVER,
        paid_amount: 0.0,
        paid_scheme: 0,
        trained_month: NEVER,
        trained_course: 0,
    };
}

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

/// An FTE in whole units of 2^-60: sums of them are exact, so a total kept
/// up person by person as people come and go equals a recount in any order,
/// and reads as the exact sum rounded once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExactFte(i128);

impl ExactFte {
    const UNITS: f64 = (1u64 << 60) as f64;

    /// A person's FTE, exactly for any FTE from 2^-8 to 1 (its last bit is
    /// then a whole unit); smaller ones lose their bits below a unit, the
    /// same way whenever they are counted. Through `i64` (room for an FTE
    /// below 8), which converts in one instruction.
    pub fn of(fte: f64) -> ExactFte {
        debug_assert!((0.0..8.0).contains(&fte), "a person's FTE: {fte}");
        ExactFte(i128::from((fte * Self::UNITS) as i64))
    }

    /// The total, rounded once: the same bits as `as f64` gives, without
    /// the call that converting an i128 takes. Above and below bit 52 the
    /// total is two numbers that convert exactly, and adding them rounds
    /// their exact sum once.
    pub fn get(self) -> f64 {
        const TWO_TO_52: f64 = (1u64 << 52) as f64;
        let (high, low) = (self.0 >> 52, self.0 & ((1 << 52) - 1));
        let whole = if high.unsigned_abs() < 1 << 53 {
            high as i64 as f64 * TWO_TO_52 + low as i64 as f64
        } else {
            self.0 as f64
        };
        whole * (1.0 / Self::UNITS)
    }
}

impl std::ops::Neg for ExactFte {
    type Output = ExactFte;

    fn neg(self) -> ExactFte {
        ExactFte(-self.0)
    }
}

impl std::ops::AddAssign for ExactFte {
    fn add_assign(&mut self, other: ExactFte) {
        self.0 += other.0;
    }
}

impl std::ops::SubAssign for ExactFte {
    fn sub_assign(&mut self, other: ExactFte) {
        self.0 -= other.0;
    }
}

/// Headcount and exact FTE.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Heads {
    pub headcount: i64,
    pub fte: ExactFte,
}

/// What the month's census needs, kept by the workforce as people join,
/// leave, change grade, train, gain a specialism and complete years in
/// grade: so the census need not read everyone every month. Sums are exact,
/// so the kept tallies equal a recount ([`Workforce::recount_tallies`]),
/// which debug builds check every month.
#[derive(Clone, Debug, Default)]
pub struct Tallies {
    /// Per grade then contract: the people in post.
    stock: Vec<[Heads; 2]>,
    /// Per grade then course: the people on it.
    trainees: Vec<Vec<Heads>>,
    /// Per specialism (by bit): permanent staff holding it.
    holders: [i64; 16],
    /// Per grade: the whole years in grade told apart (a pay scale's
    /// points); the last counts everyone beyond it too.
    years: Vec<usize>,
    /// Permanent FTE by grade, class and year in grade, at
    /// `12 * first[grade] + class * years[grade] + year`. A person's class is
    /// the month of the year, by `clock`, in which their years in grade
    /// turn, `(clock - months in grade) mod 12`: it stays the same while
    /// they are in the grade, so a month's ageing moves one class up a
    /// year, not person by person.
    permanent: Vec<ExactFte>,
    /// Per grade: the years told apart of the grades before it.
    first: Vec<usize>,
    /// Permanent FTE by grade and year in grade (the classes summed), at
    /// `first[grade] + year`: what the census reads.
    by_year: Vec<ExactFte>,
    /// Months of ageing, modulo 12.
    clock: u32,
}

/// What the tallies count of a person.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Tallied {
    grade: usize,
    contract: Contract,
    fte: ExactFte,
    training: u8,
    specialisms: u16,
    months_in_grade: u32,
}

impl Tallies {
    fn new(years: Vec<usize>) -> Tallies {
        let first = years
            .iter()
            .scan(0, |next, &y| {
                let first = *next;
                *next += y;
                Some(first)
            })
            .collect();
        Tallies {
            stock: vec![[Heads::default(); 2]; years.len()],
            permanent: vec![ExactFte::default(); 12 * years.iter().sum::<usize>()],
            by_year: vec![ExactFte::default(); years.iter().sum::<usize>()],
            first,
            years,
            ..Tallies::default()
        }
    }

    /// The same grades, years and clock, with no one counted.
    fn empty_like(&self) -> Tallies {
        Tallies {
            clock: self.clock,
            ..Tallies::new(self.years.clone())
        }
    }

    /// Adds (`sign` 1) or takes away (-1) a person.
    #[inline(always)]
    fn count(&mut self, person: Tallied, sign: i64) {
        let g = person.grade;
        let fte = if sign > 0 { person.fte } else { -person.fte };
        let in_post = &mut self.stock[g][person.contract as usize];
        in_post.headcount += sign;
        in_post.fte += fte;
        if person.training != NOT_TRAINING {
            let by_course = grow(&mut self.trainees, g, Vec::new);
            let on = grow(by_course, usize::from(person.training), Heads::default);
            on.headcount += sign;
            on.fte += fte;
        }
        if person.contract == Contract::Permanent {
            let mut held = person.specialisms;
            while held != 0 {
                self.holders[held.trailing_zeros() as usize] += sign;
                held &= held - 1;
            }
            let (years, month) = (person.months_in_grade / 12, person.months_in_grade % 12);
            let class = ((self.clock + 12 - month) % 12) as usize;
            let (first, told_apart) = (self.first[g], self.years[g]);
            let year = (years as usize).min(told_apart - 1);
            self.permanent[12 * first + class * told_apart + year] += fte;
            self.by_year[first + year] += fte;
        }
    }

    /// A month of ageing: the class whose years in grade turn now moves up
    /// a year (the last year keeps its own).
    fn age(&mut self) {
        self.clock = (self.clock + 1) % 12;
        let class = self.clock as usize;
        for g in 0..self.years.len() {
            let (first, years) = (self.first[g], self.years[g]);
            let start = 12 * first + class * years;
            let row = &mut self.permanent[start..start + years];
            let by_year = &mut self.by_year[first..first + years];
            for y in (1..years).rev() {
                // A class holds few people in a small service: most of its
                // years are empty, and moving nothing changes nothing.
                let moving = std::mem::take(&mut row[y - 1]);
                if moving != ExactFte::default() {
                    row[y] += moving;
                    by_year[y - 1] -= moving;
                    by_year[y] += moving;
                }
            }
        }
    }

    /// Trainees of grade `g` by course (a course no one of the grade has
    /// been on may be missing).
    pub fn trainees(&self, g: usize) -> &[Heads] {
        self.trainees.get(g).map_or(&[], Vec::as_slice)
    }

    /// Permanent staff holding specialism `s`.
    pub fn holders(&self, s: usize) -> i64 {
        self.holders[s]
    }

    /// Grade `g`'s years in grade told apart.
    pub fn years(&self, g: usize) -> usize {
        self.years[g]
    }

    /// Grade `g`'s permanent FTE by year of the grade, one for each year
    /// told apart (the last counts everyone beyond it too).
    pub fn permanent_fte_by_year(&self, g: usize) -> &[ExactFte] {
        &self.by_year[self.first[g]..self.first[g] + self.years[g]]
    }
}

/// Equal as tallies: a course kept at zero equals one never counted.
impl PartialEq for Tallies {
    fn eq(&self, other: &Tallies) -> bool {
        let grades = self.trainees.len().max(other.trainees.len());
        let same_trainees = (0..grades).all(|g| {
            let (a, b) = (self.trainees(g), other.trainees(g));
            let none = Heads::default();
            (0..a.len().max(b.len()))
                .all(|c| a.get(c).unwrap_or(&none) == b.get(c).unwrap_or(&none))
        });
        same_trainees
            && self.stock == other.stock
            && self.holders == other.holders
            && self.years == other.years
            && self.permanent == other.permanent
            && self.by_year == other.by_year
            && self.first == other.first
            && self.clock == other.clock
    }
}

/// `v[k]`, after growing `v` with `fill` to hold it.
fn grow<T>(v: &mut Vec<T>, k: usize, fill: impl FnMut() -> T) -> &mut T {
    if v.len() <= k {
        v.resize_with(k + 1, fill);
    }
    &mut v[k]
}

/// The people in post, as struct-of-arrays.
#[derive(Debug, Default)]
pub struct Workforce {
    // The columns the census's tallies depend on (contract, grade, FTE,
    // months in grade, specialisms, training) are private: they change only
    // through the methods below, which keep the tallies; read them through
    // `columns`.
    pub id: Vec<u64>,
    contract: Vec<Contract>,
    grade: Vec<u8>,
    pub months_service: Vec<u32>,
    fte: Vec<f64>,
    pub months_qualified: Vec<u32>,
    months_in_grade: Vec<u32>,
    /// Bit i set: holds specialism i.
    specialisms: Vec<u16>,
    /// Index of the training course in progress, or `NOT_TRAINING`.
    training: Vec<u8>,
    /// Month index at which the course in progress ends.
    pub training_end: Vec<u32>,
    /// The months in which a course someone started ends (some of them may
    /// have left since): in every other month none ends, which this says
    /// without a scan of everyone.
    course_ends: Vec<u32>,
    /// What leaving may claw back: one column, as it is read only for the
    /// few who might leave and written only when paid or trained.
    pub repayable: Vec<Repayable>,
    /// FTE in post by grade and contract, kept current by `add` and `remove`
    /// as a float, for the month's decisions (the tallies keep it exactly,
    /// for the census, but reading an exact total costs a conversion).
    stock_fte: Vec<[f64; 2]>,
    /// What the census reads, kept current by the methods that change the
    /// columns it depends on.
    tallies: Tallies,
    /// Leavers and grade changes, when asked for.
    pub history: Option<Vec<Change>>,
    /// Per grade: no one of the grade has served longer in it than this
    /// many months. Kept by joins and ageing; leavers and grade changes
    /// leave it high until [`Workforce::settle_most_months_in_grade`].
    most_months_in_grade: Vec<u32>,
}

/// A copy of `list` with its room to spare (a plain copy has none: for the
/// lists a forked replication goes on adding to).
pub fn with_room<T: Clone>(list: &Vec<T>) -> Vec<T> {
    let mut copy = Vec::with_capacity(list.capacity());
    copy.extend_from_slice(list);
    copy
}

/// A copy with the original's room to spare in every column: a derived
/// copy has none, so a forked replication's first joiner would copy every
/// column again.
impl Clone for Workforce {
    fn clone(&self) -> Workforce {
        // Every field named, so that a new one cannot be left out.
        let Workforce {
            id,
            contract,
            grade,
            months_service,
            fte,
            months_qualified,
            months_in_grade,
            specialisms,
            training,
            training_end,
            course_ends,
            repayable,
            stock_fte,
            tallies,
            history,
            most_months_in_grade,
        } = self;
        Workforce {
            id: with_room(id),
            contract: with_room(contract),
            grade: with_room(grade),
            months_service: with_room(months_service),
            fte: with_room(fte),
            months_qualified: with_room(months_qualified),
            months_in_grade: with_room(months_in_grade),
            specialisms: with_room(specialisms),
            training: with_room(training),
            training_end: with_room(training_end),
            course_ends: course_ends.clone(),
            repayable: with_room(repayable),
            stock_fte: stock_fte.clone(),
            tallies: tallies.clone(),
            history: history.clone(),
            most_months_in_grade: most_months_in_grade.clone(),
        }
    }
}

impl Workforce {
    pub fn new(grades: usize) -> Workforce {
        Workforce::with_capacity(grades, 0)
    }

    /// Room for `people` before any column has to grow (and be copied).
    pub fn with_capacity(grades: usize, people: usize) -> Workforce {
        let mut workforce = Workforce {
            stock_fte: vec![[0.0; 2]; grades],
            tallies: Tallies::new(vec![1; grades]),
            most_months_in_grade: vec![0; grades],
            ..Workforce::default()
        };
        workforce.reserve(people);
        workforce
    }

    /// Room for `people` more before any column has to grow (and be copied).
    pub fn reserve(&mut self, people: usize) {
        // Every column named, so that a new one cannot be left out.
        let Workforce {
            id,
            contract,
            grade,
            months_service,
            fte,
            months_qualified,
            months_in_grade,
            specialisms,
            training,
            training_end,
            repayable,
            course_ends: _,
            stock_fte: _,
            tallies: _,
            history: _,
            most_months_in_grade: _,
        } = self;
        id.reserve(people);
        contract.reserve(people);
        grade.reserve(people);
        months_service.reserve(people);
        fte.reserve(people);
        months_qualified.reserve(people);
        months_in_grade.reserve(people);
        specialisms.reserve(people);
        training.reserve(people);
        training_end.reserve(people);
        repayable.reserve(people);
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
    pub fn add(&mut self, joiner: Joiner, flows: &mut Flows) {
        self.id.push(joiner.id);
        self.contract.push(joiner.contract);
        self.grade.push(joiner.grade as u8);
        self.months_service.push(joiner.months_service);
        self.fte.push(joiner.fte);
        self.months_qualified.push(joiner.months_qualified);
        self.months_in_grade.push(joiner.months_in_grade);
        self.specialisms.push(joiner.specialisms);
        self.training.push(NOT_TRAINING);
        self.training_end.push(0);
        self.repayable.push(Repayable::NONE);
        self.stock_fte[joiner.grade][joiner.contract as usize] += joiner.fte;
        let most = &mut self.most_months_in_grade[joiner.grade];
        *most = (*most).max(joiner.months_in_grade);
        // What was just pushed, from the joiner rather than read back.
        let person = Tallied {
            grade: joiner.grade,
            contract: joiner.contract,
            fte: ExactFte::of(joiner.fte),
            training: NOT_TRAINING,
            specialisms: joiner.specialisms,
            months_in_grade: joiner.months_in_grade,
        };
        debug_assert_eq!(self.tallied(self.len() - 1), person);
        self.tallies.count(person, 1);
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
            self.tally(i, -1);
            self.note(i, Some(reason));
            flows.leave(g, c, self.fte[i], reason, band_of(self.months_service[i]));
            self.swap_remove(i);
        }
    }

    #[inline]
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
        self.months_qualified.swap_remove(i);
        self.months_in_grade.swap_remove(i);
        self.specialisms.swap_remove(i);
        self.training.swap_remove(i);
        self.training_end.swap_remove(i);
        self.repayable.swap_remove(i);
    }

    /// The one place a person changes grade (ASYE completion, promotion):
    /// recorded as a transfer out of one grade and into another.
    pub fn change_grade(&mut self, i: usize, to: usize, flows: &mut Flows) {
        let (from, c) = (usize::from(self.grade[i]), self.contract[i]);
        self.note(i, None);
        self.stock_fte[from][c as usize] -= self.fte[i];
        self.stock_fte[to][c as usize] += self.fte[i];
        flows.transfer(from, to, c, self.fte[i]);
        self.tally(i, -1);
        self.grade[i] = to as u8;
        self.months_in_grade[i] = 0;
        self.tally(i, 1);
    }

    /// The one place a person starts a training course, ending at month
    /// index `end`.
    pub fn start_course(&mut self, i: usize, course: u8, end: u32) {
        debug_assert_eq!(self.training[i], NOT_TRAINING);
        self.tally(i, -1);
        self.training[i] = course;
        self.training_end[i] = end;
        self.tally(i, 1);
        if !self.course_ends.contains(&end) {
            self.course_ends.push(end);
        }
    }

    /// Whether a course may end in month `t`, forgetting the months before
    /// it. Asked every month, in order.
    pub fn course_may_end(&mut self, t: u32) -> bool {
        let ends = self.course_ends.contains(&t);
        self.course_ends.retain(|&end| end > t);
        debug_assert!(
            ends || !(0..self.len())
                .any(|i| self.training[i] != NOT_TRAINING && self.training_end[i] == t),
            "a course ends in month {t}, unlisted"
        );
        ends
    }

    /// The one place a course ends: the person is no longer training.
    /// Returns the course.
    pub fn end_course(&mut self, i: usize) -> u8 {
        let course = self.training[i];
        self.tally(i, -1);
        self.training[i] = NOT_TRAINING;
        self.tally(i, 1);
        course
    }

    /// The one place a person gains a specialism.
    pub fn gain_specialism(&mut self, i: usize, specialism: usize) {
        self.tally(i, -1);
        self.specialisms[i] |= 1 << specialism;
        self.tally(i, 1);
    }

    /// Adds (`sign` 1) or takes away (-1) person `i` from the tallies as
    /// their columns stand.
    #[inline(never)]
    fn tally(&mut self, i: usize, sign: i64) {
        let person = self.tallied(i);
        self.tallies.count(person, sign);
    }

    #[inline(always)]
    fn tallied(&self, i: usize) -> Tallied {
        Tallied {
            grade: usize::from(self.grade[i]),
            contract: self.contract[i],
            fte: ExactFte::of(self.fte[i]),
            training: self.training[i],
            specialisms: self.specialisms[i],
            months_in_grade: self.months_in_grade[i],
        }
    }

    /// Tells apart, per grade, the first `years[g]` whole years in grade
    /// (a pay scale's points), before anyone joins.
    pub fn tell_years_apart(&mut self, years: Vec<usize>) {
        assert!(self.is_empty() && years.len() == self.stock_fte.len() && !years.contains(&0));
        self.tallies = Tallies::new(years);
    }

    /// The census's tallies, kept current by the workforce's own methods.
    pub fn tallies(&self) -> &Tallies {
        &self.tallies
    }

    /// The same tallies counted from the columns themselves: what the kept
    /// ones must equal, exactly.
    pub fn recount_tallies(&self) -> Tallies {
        let mut tallies = self.tallies.empty_like();
        for i in 0..self.len() {
            tallies.count(self.tallied(i), 1);
        }
        tallies
    }

    /// Headcount and FTE by grade and contract as the tallies keep them, into
    /// `counts` (its space reused: the census reads them every month).
    pub fn kept_counts(&self, counts: &mut Vec<[(u32, f64); 2]>) {
        counts.resize(self.tallies.stock.len(), [(0, 0.0); 2]);
        for (cells, stock) in counts.iter_mut().zip(&self.tallies.stock) {
            for (cell, Heads { headcount, fte }) in cells.iter_mut().zip(stock) {
                *cell = (*headcount as u32, fte.get());
            }
        }
    }

    /// Counts headcount and FTE by grade and contract from the columns
    /// themselves, independently of the tallies and the running stock, into
    /// `counts` (its space reused). A run takes two, at its start and end.
    pub fn recount(&self, grades: usize, counts: &mut Vec<[(u32, f64); 2]>) {
        counts.clear();
        counts.resize(grades, [(0, 0.0); 2]);
        let Columns {
            grade,
            fte,
            contract,
            ..
        } = self.columns();
        for ((&g, &c), &f) in grade.iter().zip(contract).zip(fte) {
            let cell = &mut counts[usize::from(g)][c as usize];
            cell.0 += 1;
            cell.1 += f;
        }
    }

    /// Calls `visit` with the index of everyone on `contract`, in order, as
    /// [`each_where`] does, but with each mask made from 64 contracts' bytes
    /// at once (with `byte_mask`).
    #[inline]
    pub fn each_on(&self, contract: Contract, visit: impl FnMut(usize)) {
        visit_masks(self.masks_on(contract), visit);
    }

    /// Calls `visit` with the index of some of those on `contract`, in
    /// order, chosen by gaps between them: [`visit_after_gaps`] over the
    /// masks [`Workforce::each_on`] reads.
    #[inline]
    pub fn each_on_after_gaps(
        &self,
        contract: Contract,
        gap: impl FnMut() -> u64,
        visit: impl FnMut(usize),
    ) {
        visit_after_gaps(self.masks_on(contract), gap, visit);
    }

    /// Everyone on `contract` as masks of 64 people, one bit a person, each
    /// made from 64 contracts' bytes at once (with `byte_mask`).
    #[inline]
    fn masks_on(&self, contract: Contract) -> impl Iterator<Item = u64> + '_ {
        Contract::bytes(&self.contract[..self.len()])
            .chunks(64)
            .map(move |people| byte_mask(people, contract as u8))
    }

    /// Calls `visit` with the index of everyone of grade `g` on `contract`,
    /// in order: [`Workforce::each_on`] with the grades' bytes masked too.
    #[inline]
    pub fn each_of_grade_on(&self, g: usize, contract: Contract, visit: impl FnMut(usize)) {
        let len = self.len();
        let masks = (0..len).step_by(64).map(|start| {
            let people = start..len.min(start + 64);
            grade_on_mask(
                &self.contract[people.clone()],
                &self.grade[people],
                g as u8,
                contract,
            )
        });
        visit_masks(masks, visit);
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

    /// Asks for person `i`'s columns that leaving's draw and hazard read, and
    /// those that taking them out of the tallies reads, ahead of reading them.
    #[inline]
    pub fn prefetch_person(&self, i: usize) {
        if i < self.len() {
            prefetch(&self.id[i]);
            prefetch(&self.grade[i]);
            prefetch(&self.specialisms[i]);
            prefetch(&self.months_service[i]);
            prefetch(&self.months_in_grade[i]);
            prefetch(&self.months_qualified[i]);
            prefetch(&self.repayable[i]);
            prefetch(&self.fte[i]);
            prefetch(&self.training[i]);
        }
    }

    /// Advances everyone's length of service by a month.
    pub fn age_one_month(&mut self) {
        add_a_month([
            &mut self.months_service,
            &mut self.months_qualified,
            &mut self.months_in_grade,
        ]);
        for most in &mut self.most_months_in_grade {
            *most += 1;
        }
        self.tallies.age();
    }

    /// Whether anyone of grade `g` may have served `months` in it: when
    /// not, no scan for them is needed.
    pub fn may_have_served(&self, g: usize, months: u32) -> bool {
        self.most_months_in_grade[g] >= months
    }

    /// Grade `g`'s longest service in grade, counted again from the people:
    /// after a scan has moved or removed those who had served longest.
    pub fn settle_most_months_in_grade(&mut self, g: usize) {
        let c = self.columns();
        self.most_months_in_grade[g] = (0..c.len)
            .filter(|&i| usize::from(c.grade[i]) == g)
            .map(|i| c.months_in_grade[i])
            .max()
            .unwrap_or(0);
    }
}

/// Calls `visit` with each index below `len` that `accepts`, in order.
/// Found 64 people at a time as a mask, without a branch per person: after
/// months of leavers and joiners one person says nothing of the next, and a
/// scan that branched on each would mispredict often. So `accepts` should
/// not branch either: tests joined with `&`, not `&&`.
#[inline]
pub fn each_where(len: usize, accepts: impl Fn(usize) -> bool, visit: impl FnMut(usize)) {
    let masks = (0..len).step_by(64).map(|start| {
        (start..len.min(start + 64)).fold(0u64, |mask, i| {
            mask | (u64::from(accepts(i)) << (i - start))
        })
    });
    visit_masks(masks, visit);
}

/// Adds a month to each of the `columns`' months (columns of one length),
/// in one pass: eight at a time where the processor has AVX2 (the same
/// loop, compiled for it), four elsewhere.
fn add_a_month(columns: [&mut [u32]; 3]) {
    #[inline(always)]
    fn each(columns: [&mut [u32]; 3]) {
        let [a, b, c] = columns;
        let len = a.len();
        let (b, c) = (&mut b[..len], &mut c[..len]);
        for ((a, b), c) in a.iter_mut().zip(b).zip(c) {
            *a += 1;
            *b += 1;
            *c += 1;
        }
    }
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        #[target_feature(enable = "avx2")]
        fn eight_at_a_time(columns: [&mut [u32]; 3]) {
            each(columns);
        }
        // SAFETY: the processor has AVX2 (checked just above).
        return unsafe { eight_at_a_time(columns) };
    }
    each(columns);
}

/// Who a scan of everyone looks for: permanent staff of a grade with at
/// least so many months in it and since qualifying (those ending the ASYE,
/// those a progression panel may promote).
#[derive(Clone, Copy, Debug)]
pub struct Eligible {
    pub grade: u8,
    pub min_months_in_grade: u32,
    pub min_months_qualified: u32,
}

impl Eligible {
    /// A permanent worker of this grade, months in grade and months
    /// qualified is eligible. The tests are joined without a branch.
    #[inline]
    pub fn admits(&self, grade: u8, months_in_grade: u32, months_qualified: u32) -> bool {
        (grade == self.grade)
            & (months_in_grade >= self.min_months_in_grade)
            & (months_qualified >= self.min_months_qualified)
    }

    #[inline]
    pub fn accepts(&self, c: &Columns, i: usize) -> bool {
        (c.contract[i] == Contract::Permanent)
            & self.admits(c.grade[i], c.months_in_grade[i], c.months_qualified[i])
    }
}

/// Calls `visit` with each person `who` accepts, in order: where the CPU
/// has AVX2, a block of 64's permanent staff of the grade found from the
/// bytes, then their months tested one by one when they are few, or
/// everyone's eight at a time (four columns read and tested in a dozen
/// instructions) when many; as [`each_where`] does elsewhere. The same
/// people either way. Most months a few are found among many, so this is
/// cheaper than counting first.
pub fn each_eligible(c: &Columns, who: Eligible, visit: impl FnMut(usize)) {
    scan_eligible(c, who, has_avx2(), visit);
}

/// [`each_eligible`], eight at a time or not as asked (eight at a time only
/// where the CPU has AVX2): the tests compare the two.
fn scan_eligible(c: &Columns, who: Eligible, eight_at_a_time: bool, visit: impl FnMut(usize)) {
    if !eight_at_a_time {
        return each_where(c.len, |i| who.accepts(c, i), visit);
    }
    #[cfg(target_arch = "x86_64")]
    {
        let block = |start: usize| {
            let end = c.len.min(start + 64);
            // The grade's permanent staff first, from the bytes sixteen at
            // a time: when they are few (a small grade, a small service),
            // their months are tested one by one; when many, everyone's
            // eight at a time.
            let of_grade = grade_on_mask(
                &c.contract[start..end],
                &c.grade[start..end],
                who.grade,
                Contract::Permanent,
            );
            if of_grade.count_ones() <= 16 {
                let mut mask = 0;
                let mut left = of_grade;
                while left != 0 {
                    let j = left.trailing_zeros() as usize;
                    let i = start + j;
                    let months = (c.months_in_grade[i] >= who.min_months_in_grade)
                        & (c.months_qualified[i] >= who.min_months_qualified);
                    mask |= u64::from(months) << j;
                    left &= left - 1;
                }
                return mask;
            }
            if end - start == 64 {
                let people = (
                    &c.grade[start..end],
                    &c.contract[start..end],
                    &c.months_in_grade[start..end],
                    &c.months_qualified[start..end],
                );
                // SAFETY: eight at a time is asked for only where the CPU
                // has AVX2, and each column is 64 people long.
                return unsafe { x86::eligible(people, who) };
            }
            // The last few, padded to a block with agency workers, whom no
            // scan accepts (a small service is mostly its last block).
            let mut grade = [0u8; 64];
            let mut contract = [Contract::Agency; 64];
            let (mut in_grade, mut qualified) = ([0u32; 64], [0u32; 64]);
            let n = end - start;
            grade[..n].copy_from_slice(&c.grade[start..end]);
            contract[..n].copy_from_slice(&c.contract[start..end]);
            in_grade[..n].copy_from_slice(&c.months_in_grade[start..end]);
            qualified[..n].copy_from_slice(&c.months_qualified[start..end]);
            // SAFETY: as above.
            unsafe { x86::eligible((&grade, &contract, &in_grade, &qualified), who) }
        };
        visit_masks((0..c.len).step_by(64).map(block), visit);
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{Contract, Eligible};
    use std::arch::x86_64::*;

    /// The mask of [`super::each_eligible`] for 64 people, given by their
    /// grades, contracts, months in grade and months qualified.
    ///
    /// # Safety
    /// The CPU must have AVX2, and each column must hold 64 people.
    #[target_feature(enable = "avx2")]
    pub unsafe fn eligible(people: (&[u8], &[Contract], &[u32], &[u32]), who: Eligible) -> u64 {
        let (grades, contracts, in_grades, qualifieds) = people;
        assert!(
            grades.len() == 64
                && contracts.len() == 64
                && in_grades.len() == 64
                && qualifieds.len() == 64
        );
        let grade = _mm256_set1_epi32(i32::from(who.grade));
        let permanent = _mm256_set1_epi32(Contract::Permanent as i32);
        let in_grade = _mm256_set1_epi32(who.min_months_in_grade as i32);
        let qualified = _mm256_set1_epi32(who.min_months_qualified as i32);
        // Unsigned `x >= min` is `max(x, min) == x`.
        let at_least = |x: __m256i, min: __m256i| _mm256_cmpeq_epi32(_mm256_max_epu32(x, min), x);
        let mut mask = 0u64;
        for at in (0..64).step_by(8) {
            // SAFETY: `at + 8 <= 64`, within every column (asserted above);
            // the loads are unaligned, and `Contract` is a byte.
            let (g, k, m, q) = unsafe {
                (
                    _mm_loadl_epi64(grades.as_ptr().add(at).cast()),
                    _mm_loadl_epi64(contracts.as_ptr().add(at).cast()),
                    _mm256_loadu_si256(in_grades.as_ptr().add(at).cast()),
                    _mm256_loadu_si256(qualifieds.as_ptr().add(at).cast()),
                )
            };
            let accepted = _mm256_and_si256(
                _mm256_and_si256(
                    _mm256_cmpeq_epi32(_mm256_cvtepu8_epi32(g), grade),
                    _mm256_cmpeq_epi32(_mm256_cvtepu8_epi32(k), permanent),
                ),
                _mm256_and_si256(at_least(m, in_grade), at_least(q, qualified)),
            );
            let bits = _mm256_movemask_ps(_mm256_castsi256_ps(accepted)) as u32;
            mask |= u64::from(bits) << at;
        }
        mask
    }
}

/// Bit `j` set where person `j` of up to 64 is of grade `g` and on `contract`.
#[inline]
fn grade_on_mask(contracts: &[Contract], grades: &[u8], g: u8, contract: Contract) -> u64 {
    byte_mask(Contract::bytes(contracts), contract as u8) & byte_mask(grades, g)
}

/// Bit `j` set where `bytes[j] == value`, for up to 64 bytes: sixteen at a
/// time with SSE2 (part of every x86-64 processor), which the compiler did
/// not find for a fold over the bytes. Fewer than 64 (the last block: all
/// of a small service but a block or two) are padded to 64 with a byte
/// that is not `value`.
#[inline]
fn byte_mask(bytes: &[u8], value: u8) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        let padded: [u8; 64];
        let block: &[u8; 64] = match bytes.try_into() {
            Ok(block) => block,
            Err(_) => {
                let mut bytes_and_padding = [!value; 64];
                bytes_and_padding[..bytes.len()].copy_from_slice(bytes);
                padded = bytes_and_padding;
                &padded
            }
        };
        // SAFETY: SSE2 is part of every x86-64 processor; the 16 bytes
        // loaded from 16 q are within the 64, and the loads are unaligned.
        unsafe {
            let wanted = _mm_set1_epi8(value as i8);
            (0..4).fold(0u64, |mask, q| {
                let sixteen = _mm_loadu_si128(block.as_ptr().add(16 * q).cast());
                let equal = _mm_movemask_epi8(_mm_cmpeq_epi8(sixteen, wanted)) as u16;
                mask | u64::from(equal) << (16 * q)
            })
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    bytes
        .iter()
        .enumerate()
        .fold(0, |mask, (j, &b)| mask | (u64::from(b == value) << j))
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

    /// Grade `g`'s permanent FTE in `year` of the grade, from the columns.
    fn fte_in_year(wf: &Workforce, g: usize, year: usize, years: usize) -> f64 {
        (0..wf.len())
            .filter(|&i| {
                usize::from(wf.grade[i]) == g
                    && wf.contract[i] == Contract::Permanent
                    && (wf.months_in_grade[i] as usize / 12).min(years - 1) == year
            })
            .map(|i| wf.fte[i])
            .sum()
    }

    /// Three years of every event the tallies follow, in a mix a service
    /// sees, with the kept tallies checked against a recount, and the FTE by
    /// year in grade against the people's own months in grade, every month.
    #[test]
    fn kept_tallies_equal_a_recount_through_every_event() {
        let years = vec![3, 1];
        let mut wf = Workforce::new(2);
        wf.tell_years_apart(years.clone());
        let mut flows = Flows::new(2, 1);
        for k in 0..40u32 {
            let joiner = Joiner {
                id: u64::from(k),
                contract: if k % 5 == 0 {
                    Contract::Agency
                } else {
                    Contract::Permanent
                },
                grade: (k % 2) as usize,
                fte: [1.0, 0.8, 0.6, 0.5][k as usize % 4],
                months_service: k,
                months_qualified: k,
                months_in_grade: k * 7 % 40,
                specialisms: (k % 3) as u16,
                route: Route::Initial,
            };
            wf.add(joiner, &mut flows);
        }
        for t in 0..36usize {
            wf.age_one_month();
            let mix = crate::rng::mix(t as u64) as usize;
            let someone = mix % wf.len();
            match t % 6 {
                0 => wf.change_grade(someone, 1 - usize::from(wf.grade[someone]), &mut flows),
                1 if wf.training[someone] == NOT_TRAINING => {
                    wf.start_course(someone, (mix % 3) as u8, t as u32 + 6)
                }
                2 => {
                    let leavers = [Leaver {
                        index: someone,
                        reason: LeaveReason::Resigned,
                    }];
                    wf.remove(&leavers, |_| 0, &mut flows);
                }
                3 => wf.gain_specialism(someone, mix % 16),
                _ => {}
            }
            if let Some(i) = (0..wf.len()).find(|&i| wf.training[i] != NOT_TRAINING && t % 4 == 0) {
                wf.end_course(i);
            }
            assert_eq!(*wf.tallies(), wf.recount_tallies(), "month {t}");
            for (g, &told_apart) in years.iter().enumerate() {
                for year in 0..told_apart {
                    let kept = wf.tallies().permanent_fte_by_year(g)[year].get();
                    let counted = fte_in_year(&wf, g, year, told_apart);
                    assert!(
                        (kept - counted).abs() < 1e-12,
                        "month {t}, grade {g}, year {year}: {kept} vs {counted}"
                    );
                }
            }
        }
        // Some have been in grade long enough to reach the last year told apart.
        assert!(wf.tallies().permanent_fte_by_year(0)[2].get() > 0.0);
    }

    #[test]
    fn exact_fte_sums_are_the_same_in_any_order() {
        let ftes = [0.1, 0.2, 0.3, 0.7, 0.6, 0.9, 0.8];
        let sum = |order: &mut dyn Iterator<Item = &f64>| {
            let mut total = ExactFte::default();
            for &f in order {
                total += ExactFte::of(f);
            }
            total
        };
        let forward = sum(&mut ftes.iter());
        assert_eq!(forward, sum(&mut ftes.iter().rev()));
        // Added in order as floating point, these come to 3.5999999999999996
        // (3.6 backwards); the exact sum reads as the sum rounded once.
        assert_eq!(forward.get(), 3.6);
        let mut less = forward;
        less -= ExactFte::of(0.2);
        assert_eq!(less, sum(&mut ftes.iter().filter(|&&f| f != 0.2)));
    }

    /// Totals read as `as f64` reads them, bit for bit: zero, either sign,
    /// every magnitude from one unit to beyond 2^105 (where the halves no
    /// longer convert exactly), ties between two doubles (which round to the
    /// even one) and their neighbours, and random totals.
    #[test]
    fn exact_fte_reads_as_the_integer_converted() {
        let mut totals = vec![0i128, 1, -1, i128::MAX, i128::MIN + 1];
        for shift in 0..126 {
            let power = 1i128 << shift;
            for base in [power, power + 1, power - 1, 3 * (power / 2) + 1] {
                totals.extend([base, -base]);
            }
            if shift > 54 {
                // Halfway between two doubles near 2^shift, and either side.
                let half_ulp = 1i128 << (shift - 53);
                for odd in [1i128, 3, 5] {
                    let tie = power + odd * half_ulp;
                    totals.extend([tie, tie - 1, tie + 1, -tie]);
                }
            }
        }
        totals.extend((0..100_000u64).map(|k| {
            let (a, b) = (crate::rng::mix(k), crate::rng::mix(k ^ (1 << 40)));
            let wide = ((i128::from(a) << 64) | i128::from(b)) >> (a % 100);
            if b % 2 == 0 { wide } else { -wide }
        }));
        for total in totals {
            let read = ExactFte(total).get();
            let expected = total as f64 * (1.0 / ExactFte::UNITS);
            assert_eq!(read.to_bits(), expected.to_bits(), "{total}");
        }
    }

    #[test]
    fn each_on_visits_everyone_on_the_contract_and_of_the_grade_in_order() {
        let mut flows = Flows::new(3, 1);
        let mut wf = Workforce::new(3);
        // Across whole blocks of 64 and a part block, and none at all.
        for people in [0u64, 1, 63, 64, 65, 200] {
            while (wf.len() as u64) < people {
                let k = wf.len() as u64;
                let joiner = Joiner {
                    id: k,
                    contract: if crate::rng::mix(k) % 3 == 0 {
                        Contract::Agency
                    } else {
                        Contract::Permanent
                    },
                    grade: (crate::rng::mix(k + 1000) % 3) as usize,
                    fte: 1.0,
                    months_service: 0,
                    months_qualified: 0,
                    months_in_grade: 0,
                    specialisms: 0,
                    route: Route::Initial,
                };
                wf.add(joiner, &mut flows);
            }
            for contract in Contract::ALL {
                let mut visited = Vec::new();
                wf.each_on(contract, |i| visited.push(i));
                let expected: Vec<usize> = (0..wf.len())
                    .filter(|&i| wf.contract[i] == contract)
                    .collect();
                assert_eq!(visited, expected, "{people} people, {contract:?}");
                for g in 0..3 {
                    let mut visited = Vec::new();
                    wf.each_of_grade_on(g, contract, |i| visited.push(i));
                    let expected: Vec<usize> = (0..wf.len())
                        .filter(|&i| wf.contract[i] == contract && usize::from(wf.grade[i]) == g)
                        .collect();
                    assert_eq!(
                        visited, expected,
                        "{people} people, grade {g}, {contract:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn each_where_visits_the_accepted_in_order() {
        // Across whole blocks of 64 and a part block, and none at all.
        for len in [0, 1, 63, 64, 65, 200] {
            for every in [1, 3, 64, 1000] {
                let accepts = |i: usize| crate::rng::mix(i as u64) % every == 0;
                let mut visited = Vec::new();
                each_where(len, accepts, |i| visited.push(i));
                let expected: Vec<usize> = (0..len).filter(|&i| accepts(i)).collect();
                assert_eq!(visited, expected, "{len} people, one in {every}");
            }
        }
    }

    #[test]
    fn each_eligible_finds_the_same_people_either_way() {
        let n = 200;
        let h = |i: usize, k: u64| crate::rng::mix((i as u64) << 8 | k);
        let contract: Vec<Contract> = (0..n)
            .map(|i| Contract::ALL[(h(i, 2) % 2) as usize])
            .collect();
        // Months around the bounds tried, and some near u32::MAX (where
        // a signed comparison would go wrong).
        let months = |k| -> Vec<u32> {
            (0..n)
                .map(|i| match h(i, k) % 5 {
                    4 => u32::MAX - (h(i, k + 1) % 3) as u32,
                    _ => (h(i, k + 1) % 40) as u32,
                })
                .collect()
        };
        let (in_grade, qualified) = (months(3), months(5));
        let zeros = vec![0u32; n];
        let (ids, fte, specialisms, training) = (vec![0; n], vec![1.0; n], vec![0; n], vec![0; n]);
        // Grades spread over four, two or one: blocks with few of a grade's
        // permanent staff and blocks with many.
        for grades in [4, 2, 1] {
            let grade: Vec<u8> = (0..n).map(|i| (h(i, 1) % grades) as u8).collect();
            for len in [0, 1, 63, 64, 65, 127, 128, 200] {
                let c = Columns {
                    len,
                    id: &ids[..len],
                    contract: &contract[..len],
                    grade: &grade[..len],
                    months_service: &zeros[..len],
                    fte: &fte[..len],
                    months_qualified: &qualified[..len],
                    months_in_grade: &in_grade[..len],
                    specialisms: &specialisms[..len],
                    training: &training[..len],
                    training_end: &zeros[..len],
                };
                for who in [
                    (0, 0, 0),
                    (1, 12, 0),
                    (2, 20, 24),
                    (3, 39, 1),
                    (1, u32::MAX, 0),
                ] {
                    let who = Eligible {
                        grade: who.0,
                        min_months_in_grade: who.1,
                        min_months_qualified: who.2,
                    };
                    let expected: Vec<usize> = (0..len).filter(|&i| who.accepts(&c, i)).collect();
                    for eight_at_a_time in [false, has_avx2()] {
                        let mut found = Vec::new();
                        scan_eligible(&c, who, eight_at_a_time, |i| found.push(i));
                        assert_eq!(found, expected, "{len} people, {who:?}, {eight_at_a_time}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_month_is_added_to_everyone() {
        for len in [0, 1, 7, 8, 9, 31, 64, 100] {
            let before: Vec<u32> = (0..len)
                .map(|i| (crate::rng::mix(i) % 1000) as u32)
                .collect();
            let mut months = [before.clone(), before.clone(), before.clone()];
            let [a, b, c] = &mut months;
            add_a_month([a, b, c]);
            let expected: Vec<u32> = before.iter().map(|m| m + 1).collect();
            assert_eq!(months, [(); 3].map(|_| expected.clone()), "{len}");
        }
    }
}

//! The monthly metrics, with the Department for Education's definitions from
//! its children's social work workforce statistics.

use crate::workforce::{LeaveReason, Route};

/// Index of a metric in a month's record.
pub type MetricId = usize;

/// Whether a metric, by its name, is a rate or a share (a fraction of 1,
/// shown as a percentage).
pub fn is_share(name: &str) -> bool {
    name.ends_with("_rate") || name.ends_with("_share")
}

/// The metrics every scenario has, in record order. Per-reason, per-route,
/// per-band and per-grade metrics follow them.
pub const FIXED: &[(&str, &str)] = &[
    ("fte_permanent", "FTE of permanent (employed) staff in post"),
    ("fte_agency", "FTE of agency workers in post"),
    (
        "headcount",
        "Headcount of permanent staff in post (DfE's in-post headcount)",
    ),
    ("headcount_agency", "Headcount of agency workers"),
    ("agency_rate", "Agency FTE / (agency FTE + permanent FTE)"),
    ("permanent_share", "1 - agency rate"),
    (
        "vacancy_fte",
        "Establishment FTE not filled by permanent staff (covered or not)",
    ),
    ("vacancy_rate", "Vacant FTE / (vacant FTE + permanent FTE)"),
    (
        "turnover_rate",
        "Permanent FTE leavers over the last 12 months / permanent FTE in post (annualised in the first year)",
    ),
    ("starters", "Permanent FTE starting this month"),
    ("leavers", "Permanent FTE leaving this month"),
    ("agency_starters", "Agency FTE starting this month"),
    ("agency_leavers", "Agency FTE leaving this month"),
    (
        "offers_in_flight",
        "FTE offered a permanent post and not yet started",
    ),
    ("establishment_fte", "Funded posts, FTE"),
    ("open_cases", "Open cases"),
    (
        "case_holding_capacity",
        "Sum of FTE x caseload weight over case-holding grades",
    ),
    ("average_caseload", "Open cases / case-holding capacity"),
    (
        "nqsw_share",
        "FTE in the ASYE grade / all FTE in post (Bradford runs at 25%)",
    ),
    ("placements", "Student placements made this academic year"),
    (
        "placement_capacity",
        "Placements practice educators in post can take this academic year",
    ),
    ("graduates", "Placed students graduating this month"),
    (
        "nqsw_starters",
        "NQSWs starting this month (partnership, external and grow-your-own)",
    ),
    ("asye_completions", "NQSWs passing the ASYE this month"),
    ("promotions", "Promotions at progression panels this month"),
    ("trainees", "Staff on a specialist training course"),
    (
        "training_release_fte",
        "Case-holding FTE released from casework for training",
    ),
    (
        "caseload_above_safe",
        "1 when average caseload is above the safe level, else 0",
    ),
    (
        "sufficiency_failures",
        "Statutory sufficiency rules failing this month (specialists below need, caseload above safe, placements short of plan)",
    ),
    (
        "apprentices",
        "People on grow-your-own routes, not yet qualified",
    ),
    (
        "cost.permanent_pay",
        "Permanent pay this month (salary by spinal point, pay awards, on-costs), GBP",
    ),
    ("cost.agency", "Agency spend this month, GBP"),
    (
        "cost.recruitment",
        "Recruitment cost of permanent starters this month, GBP",
    ),
    ("cost.campaigns", "Recruitment campaigns this month, GBP"),
    (
        "cost.market_supplements",
        "Market supplements paid this month (with on-costs), GBP",
    ),
    (
        "cost.retention_payments",
        "Retention payments made this month (with on-costs), GBP",
    ),
    (
        "cost.training_fees",
        "Course fees of trainees starting this month, GBP",
    ),
    (
        "cost.training_backfill",
        "Paid backfill for trainees' release from casework this month, GBP",
    ),
    (
        "cost.retention_clawback",
        "Retention payments recovered from leavers this month (negative), GBP",
    ),
    (
        "cost.training_clawback",
        "Course fees recovered from leavers this month (negative), GBP",
    ),
    (
        "cost.grants",
        "Grants received this month, per NQSW and per placement (negative), GBP",
    ),
    (
        "cost.total",
        "Net cost this month: the sum of the cost lines, GBP",
    ),
];

pub const FTE_PERMANENT: MetricId = 0;
pub const FTE_AGENCY: MetricId = 1;
pub const HEADCOUNT: MetricId = 2;
pub const HEADCOUNT_AGENCY: MetricId = 3;
pub const AGENCY_RATE: MetricId = 4;
pub const PERMANENT_SHARE: MetricId = 5;
pub const VACANCY_FTE: MetricId = 6;
pub const VACANCY_RATE: MetricId = 7;
pub const TURNOVER_RATE: MetricId = 8;
pub const STARTERS: MetricId = 9;
pub const LEAVERS: MetricId = 10;
pub const AGENCY_STARTERS: MetricId = 11;
pub const AGENCY_LEAVERS: MetricId = 12;
pub const OFFERS_IN_FLIGHT: MetricId = 13;
pub const ESTABLISHMENT_FTE: MetricId = 14;
pub const OPEN_CASES: MetricId = 15;
pub const CASE_HOLDING_CAPACITY: MetricId = 16;
pub const AVERAGE_CASELOAD: MetricId = 17;
pub const NQSW_SHARE: MetricId = 18;
pub const PLACEMENTS: MetricId = 19;
pub const PLACEMENT_CAPACITY: MetricId = 20;
pub const GRADUATES: MetricId = 21;
pub const NQSW_STARTERS: MetricId = 22;
pub const ASYE_COMPLETIONS: MetricId = 23;
pub const PROMOTIONS: MetricId = 24;
pub const TRAINEES: MetricId = 25;
pub const TRAINING_RELEASE_FTE: MetricId = 26;
pub const CASELOAD_ABOVE_SAFE: MetricId = 27;
pub const SUFFICIENCY_FAILURES: MetricId = 28;
pub const APPRENTICES: MetricId = 29;
pub const COST_PERMANENT_PAY: MetricId = 30;
pub const COST_AGENCY: MetricId = 31;
pub const COST_RECRUITMENT: MetricId = 32;
pub const COST_CAMPAIGNS: MetricId = 33;
pub const COST_SUPPLEMENTS: MetricId = 34;
pub const COST_RETENTION: MetricId = 35;
pub const COST_TRAINING_FEES: MetricId = 36;
pub const COST_BACKFILL: MetricId = 37;
pub const COST_RETENTION_CLAWBACK: MetricId = 38;
pub const COST_TRAINING_CLAWBACK: MetricId = 39;
pub const COST_GRANTS: MetricId = 40;
pub const COST_TOTAL: MetricId = 41;

/// The cost lines that add up to `cost.total`, in report order.
pub const COST_LINES: &[MetricId] = &[
    COST_PERMANENT_PAY,
    COST_AGENCY,
    COST_RECRUITMENT,
    COST_CAMPAIGNS,
    COST_SUPPLEMENTS,
    COST_RETENTION,
    COST_TRAINING_FEES,
    COST_BACKFILL,
    COST_RETENTION_CLAWBACK,
    COST_TRAINING_CLAWBACK,
    COST_GRANTS,
];

/// `num / den`, or 0 when there is nothing to divide by: the rates' rule.
pub fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { 0.0 }
}

/// Metrics computed from others of the same month, in an order in which each
/// follows the ones it is computed from.
const DERIVED: [MetricId; 8] = [
    FTE_PERMANENT,
    FTE_AGENCY,
    VACANCY_FTE,
    AGENCY_RATE,
    PERMANENT_SHARE,
    VACANCY_RATE,
    AVERAGE_CASELOAD,
    COST_TOTAL,
];

/// How the derived metrics come from the others. The simulation does not
/// record them: a kept record works them out with [`Derivation::value`] when
/// read (a big run keeps a record per replication, and the totals and ratios
/// would be a quarter of each); a record from elsewhere keeps those that do
/// not come out the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Derivation {
    /// Where the per-grade permanent FTE, agency FTE and vacancies start, and
    /// the number of grades; `None` derives nothing.
    per_grade: Option<(u32, u32)>,
}

impl Derivation {
    /// Derives nothing: every metric is as given.
    pub const NONE: Derivation = Derivation { per_grade: None };

    pub fn is_derived(self, metric: MetricId) -> bool {
        self.per_grade.is_some() && DERIVED.contains(&metric)
    }

    /// Where the per-grade metrics start, and the number of grades.
    fn per_grade(self) -> (usize, usize) {
        self.per_grade
            .map_or((0, 0), |(b, g)| (b as usize, g as usize))
    }

    /// `metric` computed from the month's other metrics, given by `value`.
    pub fn value(self, metric: MetricId, value: impl Fn(MetricId) -> f64) -> f64 {
        let (base, grades) = self.per_grade();
        let grade_sum = |first: usize| (first..first + grades).fold(0.0, |sum, k| sum + value(k));
        match metric {
            FTE_PERMANENT => grade_sum(base),
            FTE_AGENCY => grade_sum(base + grades),
            VACANCY_FTE => grade_sum(base + 2 * grades),
            AGENCY_RATE => {
                let agency = value(FTE_AGENCY);
                ratio(agency, agency + value(FTE_PERMANENT))
            }
            PERMANENT_SHARE => {
                if value(FTE_AGENCY) + value(FTE_PERMANENT) > 0.0 {
                    1.0 - value(AGENCY_RATE)
                } else {
                    0.0
                }
            }
            VACANCY_RATE => {
                let vacant = value(VACANCY_FTE);
                ratio(vacant, vacant + value(FTE_PERMANENT))
            }
            AVERAGE_CASELOAD => {
                let capacity = value(CASE_HOLDING_CAPACITY);
                if capacity > 0.0 {
                    value(OPEN_CASES) / capacity
                } else {
                    f64::INFINITY
                }
            }
            COST_TOTAL => COST_LINES.iter().map(|&line| value(line)).sum(),
            _ => value(metric),
        }
    }

    /// The metrics [`Derivation::value`] reads to compute `metric`, into `inputs`.
    fn inputs_into(self, metric: MetricId, inputs: &mut Vec<MetricId>) {
        let (base, grades) = self.per_grade();
        inputs.clear();
        match metric {
            FTE_PERMANENT => inputs.extend(base..base + grades),
            FTE_AGENCY => inputs.extend(base + grades..base + 2 * grades),
            VACANCY_FTE => inputs.extend(base + 2 * grades..base + 3 * grades),
            AGENCY_RATE => inputs.extend([FTE_AGENCY, FTE_PERMANENT]),
            PERMANENT_SHARE => inputs.extend([FTE_AGENCY, FTE_PERMANENT, AGENCY_RATE]),
            VACANCY_RATE => inputs.extend([VACANCY_FTE, FTE_PERMANENT]),
            AVERAGE_CASELOAD => inputs.extend([CASE_HOLDING_CAPACITY, OPEN_CASES]),
            COST_TOTAL => inputs.extend(COST_LINES),
            _ => inputs.push(metric),
        }
    }

    /// Every month of `metric`, into `out`, given `read`, which puts a
    /// metric's months into a slice: each input is read once, as a whole
    /// column, and each month computed by [`Derivation::value`] itself, so
    /// the bits are the same.
    pub fn months_into(
        self,
        metric: MetricId,
        out: &mut [f64],
        read: impl Fn(MetricId, &mut [f64]),
    ) {
        with_working_space(
            |Working {
                 inputs,
                 columns,
                 start,
             }| {
                self.inputs_into(metric, inputs);
                let months = out.len();
                columns.clear();
                columns.resize(inputs.len() * months, 0.0);
                for (&k, column) in inputs.iter().zip(columns.chunks_exact_mut(months.max(1))) {
                    read(k, column);
                }
                // Where each input's column starts, by metric.
                start.clear();
                start.resize(inputs.iter().max().map_or(0, |&k| k + 1), usize::MAX);
                for (i, &k) in inputs.iter().enumerate() {
                    start[k] = i * months;
                }
                for (t, v) in out.iter_mut().enumerate() {
                    *v = self.value(metric, |k| columns[start[k] + t]);
                }
            },
        );
    }

    /// Computes every derived metric of `row`, a month of a record.
    #[cfg(test)]
    pub fn fill(self, row: &mut [f64]) {
        if self.per_grade.is_none() {
            return;
        }
        for metric in DERIVED {
            row[metric] = self.value(metric, |k| row[k]);
        }
    }
}

/// The working space of one [`Derivation::months_into`]: its inputs, their
/// columns, and where each starts.
#[derive(Default)]
struct Working {
    inputs: Vec<MetricId>,
    columns: Vec<f64>,
    start: Vec<usize>,
}

/// Runs `f` with working space from this thread's pool, returned after.
/// Reading a run's records derives metrics for every record of every
/// replication, so fresh vectors each time were most of the cost; a pool
/// rather than one buffer, because deriving one metric reads others that are
/// derived in turn (the pool is not borrowed while `f` runs).
fn with_working_space(f: impl FnOnce(&mut Working)) {
    thread_local! {
        static POOL: std::cell::RefCell<Vec<Working>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut working = POOL.with_borrow_mut(Vec::pop).unwrap_or_default();
    f(&mut working);
    POOL.with_borrow_mut(|pool| pool.push(working));
}

/// Metrics shown in summaries, in this order.
pub const KEY_METRICS: &[MetricId] = &[
    PERMANENT_SHARE,
    FTE_PERMANENT,
    FTE_AGENCY,
    VACANCY_RATE,
    TURNOVER_RATE,
    AVERAGE_CASELOAD,
];

/// The names of every metric of one scenario and where each sits in a record.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalogue {
    pub names: Vec<String>,
    pub descriptions: Vec<String>,
    reason_base: usize,
    route_base: usize,
    band_base: usize,
    grade_base: usize,
    grades: usize,
    specialism_base: usize,
    specialisms: usize,
}

/// Per-specialism metrics, in record order at the end.
const PER_SPECIALISM: &[(&str, &str)] = &[
    ("specialists", "Permanent staff holding the specialism"),
    ("trainees", "Staff training for the specialism"),
    ("required", "Holders the service needs"),
    (
        "sufficiency_gap",
        "Holders minus holders needed (negative: short)",
    ),
];

/// Per-grade metrics, in record order after the per-band ones.
const PER_GRADE: &[(&str, &str)] = &[
    ("fte_permanent", "Permanent FTE in post"),
    ("fte_agency", "Agency FTE in post"),
    ("vacancy_fte", "Vacant FTE"),
];

impl Catalogue {
    pub fn new(
        grade_names: &[String],
        band_labels: &[String],
        specialisms: &[String],
    ) -> Catalogue {
        let mut names: Vec<String> = FIXED.iter().map(|(n, _)| n.to_string()).collect();
        let mut descriptions: Vec<String> = FIXED.iter().map(|(_, d)| d.to_string()).collect();
        let reason_base = names.len();
        for reason in LeaveReason::ALL {
            names.push(format!("leavers.{}", reason.name()));
            descriptions.push(format!("FTE leaving this month: {}", reason.describe()));
        }
        let route_base = names.len();
        for route in Route::ALL {
            names.push(format!("starters.{}", route.name()));
            descriptions.push(format!("FTE starting this month: {}", route.describe()));
        }
        let band_base = names.len();
        for label in band_labels {
            names.push(format!("leavers_band.{label}"));
            descriptions.push(format!(
                "Permanent FTE leaving this month with {label} years' service"
            ));
        }
        let grade_base = names.len();
        for (metric, description) in PER_GRADE {
            for grade in grade_names {
                names.push(format!("{metric}.{grade}"));
                descriptions.push(format!("{description}: {grade}"));
            }
        }
        let specialism_base = names.len();
        for (metric, description) in PER_SPECIALISM {
            for specialism in specialisms {
                names.push(format!("{metric}.{specialism}"));
                descriptions.push(format!("{description}: {specialism}"));
            }
        }
        Catalogue {
            names,
            descriptions,
            reason_base,
            route_base,
            band_base,
            grade_base,
            grades: grade_names.len(),
            specialism_base,
            specialisms: specialisms.len(),
        }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn find(&self, name: &str) -> Option<MetricId> {
        self.names.iter().position(|n| n == name)
    }

    pub fn reason(&self, reason: LeaveReason) -> MetricId {
        self.reason_base + reason as usize
    }

    pub fn route(&self, route: Route) -> MetricId {
        self.route_base + route as usize
    }

    pub fn band(&self, band: usize) -> MetricId {
        self.band_base + band
    }

    pub fn derivation(&self) -> Derivation {
        let small = |n: usize| u32::try_from(n).expect("fewer than 4 billion metrics");
        Derivation {
            per_grade: Some((small(self.grade_base), small(self.grades))),
        }
    }

    pub fn grade_fte_permanent(&self, grade: usize) -> MetricId {
        self.grade_base + grade
    }

    pub fn grade_fte_agency(&self, grade: usize) -> MetricId {
        self.grade_base + self.grades + grade
    }

    pub fn grade_vacancy_fte(&self, grade: usize) -> MetricId {
        self.grade_base + 2 * self.grades + grade
    }

    /// `kind` indexes `PER_SPECIALISM`: 0 holders, 1 trainees, 2 required, 3 gap.
    fn specialism(&self, kind: usize, specialism: usize) -> MetricId {
        self.specialism_base + kind * self.specialisms + specialism
    }

    pub fn specialists(&self, s: usize) -> MetricId {
        self.specialism(0, s)
    }

    pub fn specialism_trainees(&self, s: usize) -> MetricId {
        self.specialism(1, s)
    }

    pub fn specialism_required(&self, s: usize) -> MetricId {
        self.specialism(2, s)
    }

    pub fn sufficiency_gap(&self, s: usize) -> MetricId {
        self.specialism(3, s)
    }
}

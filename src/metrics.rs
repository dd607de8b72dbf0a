//! The monthly metrics, with the Department for Education's definitions from
//! its children's social work workforce statistics.

use crate::workforce::{LeaveReason, Route};

/// Index of a metric in a month's record.
pub type MetricId = usize;

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
}

/// Per-grade metrics, in record order after the per-band ones.
const PER_GRADE: &[(&str, &str)] = &[
    ("fte_permanent", "Permanent FTE in post"),
    ("fte_agency", "Agency FTE in post"),
    ("vacancy_fte", "Vacant FTE"),
];

impl Catalogue {
    pub fn new(grade_names: &[String], band_labels: &[String]) -> Catalogue {
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
        Catalogue {
            names,
            descriptions,
            reason_base,
            route_base,
            band_base,
            grade_base,
            grades: grade_names.len(),
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

    pub fn grade_fte_permanent(&self, grade: usize) -> MetricId {
        self.grade_base + grade
    }

    pub fn grade_fte_agency(&self, grade: usize) -> MetricId {
        self.grade_base + self.grades + grade
    }

    pub fn grade_vacancy_fte(&self, grade: usize) -> MetricId {
        self.grade_base + 2 * self.grades + grade
    }
}

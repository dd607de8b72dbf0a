//! The compiled model: every parameter validated, with dense tables ready for
//! the monthly loop.

use crate::calendar::Month;
use crate::metrics::{Catalogue, MetricId};
use crate::param::Param;

/// One scenario compiled: the base case and its variants.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// The base first, then each variant in file order.
    pub variants: Vec<Variant>,
    pub replications: u32,
    pub seed: u64,
    /// SHA-256 of the scenario file's bytes, for the manifest.
    pub content_hash: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub name: String,
    pub description: String,
    /// The key paths a variant sets over the base (`recruitment.hire_monthly_probability`);
    /// `None` for the base itself.
    pub changes: Option<Vec<String>>,
    pub model: Model,
}

impl Variant {
    /// Its description and the keys it sets: what a reader of the results
    /// needs to tell what it is, even when the description says little.
    pub fn about(&self) -> String {
        let description = self.description.trim();
        let Some(changes) = &self.changes else {
            return description.to_string();
        };
        let changes = if changes.is_empty() {
            "Changes nothing.".to_string()
        } else {
            let keys: Vec<String> = changes.iter().map(|k| format!("`{k}`")).collect();
            format!("Changes {}.", keys.join(", "))
        };
        match description.chars().last() {
            None => changes,
            Some('.' | '!' | '?') => format!("{description} {changes}"),
            Some(_) => format!("{description}. {changes}"),
        }
    }
}

/// Everything one variant's simulation needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub start: Month,
    pub horizon_months: u32,
    pub grades: Vec<Grade>,
    pub bands: ServiceBands,
    pub leaving: Leaving,
    pub recruitment: Recruitment,
    pub agency: Agency,
    pub demand: Demand,
    /// Every grade's establishment moving together; `None` without an
    /// `[establishment]` table.
    pub establishment: Option<EstablishmentDrift>,
    pub careers: Careers,
    pub targets: Vec<Target>,
    pub catalogue: Catalogue,
    /// Costs; `None` when the scenario has no `[finance]` table.
    pub finance: Option<Finance>,
    pub agency_rules: AgencyRules,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Grade {
    pub name: String,
    /// Cases a full-time worker of this grade holds, relative to a fully
    /// case-holding social worker (NQSW 0.9 and consultant 0.5 at Slough).
    pub caseload_weight: f64,
    pub case_holding: bool,
    pub establishment_fte: Param,
    /// FTE of each new permanent or agency worker.
    pub hire_fte: f64,
    /// Months since qualifying that an experienced hire brings (and that a
    /// starting worker had before their service here).
    pub months_qualified_at_hire: u32,
    /// Whether agency workers may cover this grade's vacancies.
    pub agency_cover: bool,
    pub start: StartingStock,
}

/// A grade's staff on the first month.
#[derive(Clone, Debug, PartialEq)]
pub struct StartingStock {
    pub permanent_headcount: u32,
    pub permanent_fte: f64,
    pub agency_headcount: u32,
    pub agency_fte: f64,
    /// Permanent headcount in each length-of-service band.
    pub service_counts: Vec<u32>,
    /// Starting permanent staff holding each specialism (by specialism index);
    /// given to the longest-serving.
    pub specialists: Vec<u32>,
}

/// Length-of-service bands, by their lower bounds in months.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceBands {
    pub lower_months: Vec<u32>,
    pub labels: Vec<String>,
    /// The band of each month of service below the top band's lower bound,
    /// so that the monthly loops look it up rather than search for it.
    by_month: Vec<u8>,
}

/// How many months past the top band's lower bound a starting worker's
/// service can be: the top band is open, so staffcast spreads it over ten years.
pub const TOP_BAND_SPAN_MONTHS: u32 = 120;

impl ServiceBands {
    /// Bands from their lower bounds in months (the first 0, increasing).
    pub fn new(lower_months: Vec<u32>, labels: Vec<String>) -> ServiceBands {
        let top = *lower_months.last().expect("at least one band");
        let by_month = (0..top)
            .map(|m| (lower_months.partition_point(|&lo| lo <= m) - 1) as u8)
            .collect();
        ServiceBands {
            lower_months,
            labels,
            by_month,
        }
    }

    /// Bands from their lower bounds in years, as `bands_years` gives them;
    /// the error says what is allowed.
    pub fn from_years(years: &[f64]) -> Result<ServiceBands, &'static str> {
        let months: Vec<f64> = years.iter().map(|y| y * 12.0).collect();
        let whole = months.iter().all(|m| (m - m.round()).abs() < 1e-9);
        let increasing = months.windows(2).all(|w| w[0] < w[1]);
        let sensible = years.len() <= 64 && years.iter().all(|&y| y <= 100.0);
        if years.first() != Some(&0.0) || !whole || !increasing || !sensible {
            return Err(
                "lower bounds in years, starting at 0, increasing, each a whole number of months, at most 64 bands and 100 years (e.g. [0, 1, 3, 5, 10])",
            );
        }
        let lower_months = months.iter().map(|m| m.round() as u32).collect();
        let labels = years
            .iter()
            .enumerate()
            .map(|(i, y)| match years.get(i + 1) {
                Some(next) => format!("{y}-{next}"),
                None => format!("{y}+"),
            })
            .collect();
        Ok(ServiceBands::new(lower_months, labels))
    }

    pub fn len(&self) -> usize {
        self.lower_months.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lower_months.is_empty()
    }

    #[inline]
    pub fn band_of(&self, months_service: u32) -> usize {
        match self.by_month.get(months_service as usize) {
            Some(&band) => usize::from(band),
            None => self.lower_months.len() - 1,
        }
    }

    /// The months of service a band spans, for drawing a starting worker's service.
    pub fn span(&self, band: usize) -> (u32, u32) {
        let lo = self.lower_months[band];
        let hi = self
            .lower_months
            .get(band + 1)
            .copied()
            .unwrap_or(lo + TOP_BAND_SPAN_MONTHS);
        (lo, hi)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Leaving {
    /// Annual leaving rate of permanent staff, by grade then service band.
    pub annual_rate: Vec<Vec<Param>>,
    /// Annual rate at which agency assignments end.
    pub agency_annual_rate: Param,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Recruitment {
    /// Per grade: the probability that an open vacancy gets an experienced hire
    /// (an accepted offer) in a month.
    pub hire_monthly_probability: Vec<Param>,
    /// Months from offer to start, drawn per offer.
    pub time_to_start_months: Param,
    /// Annual rate at which agency workers take a permanent post.
    pub agency_conversion_annual_rate: Param,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Agency {
    pub cover_monthly_probability: Param,
    /// Months from a cover request to the agency worker starting, per request.
    pub cover_lag_months: Param,
    pub cap: Option<AgencyCap>,
    /// Share of permanent leavers who offer themselves back to the service
    /// as agency workers (the permanent-to-agency flow).
    pub returner_share: Param,
    /// Months from leaving to being available as agency, before any cooling-off.
    pub returner_lag_months: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AgencyCap {
    /// At most this many agency FTE in the whole service.
    Fte(f64),
    /// Agency FTE at most this share of agency plus permanent FTE.
    Share(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Demand {
    pub open_cases: Param,
    /// Relative change in open cases per month (0.01 = 1% growth a month).
    pub monthly_trend: Param,
    /// Standard deviation of the monthly multiplicative noise.
    pub monthly_noise_sd: Param,
    /// Open cases month by month, replacing trend and noise; the last value holds.
    pub series: Option<Vec<f64>>,
}

/// Posts created and cut over the horizon: every grade's establishment
/// multiplied by a random walk with a trend.
#[derive(Clone, Debug, PartialEq)]
pub struct EstablishmentDrift {
    /// Relative change per month (0.002 = about 2.4% a year).
    pub monthly_trend: Param,
    /// Standard deviation of the monthly multiplicative (mean-one lognormal) noise.
    pub monthly_noise_sd: Param,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    AtLeast,
    AtMost,
    Above,
    Below,
}

impl Comparison {
    pub fn parse(text: &str) -> Option<Comparison> {
        match text {
            ">=" => Some(Comparison::AtLeast),
            "<=" => Some(Comparison::AtMost),
            ">" => Some(Comparison::Above),
            "<" => Some(Comparison::Below),
            _ => None,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => ">=",
            Comparison::AtMost => "<=",
            Comparison::Above => ">",
            Comparison::Below => "<",
        }
    }

    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::AtLeast => value >= threshold,
            Comparison::AtMost => value <= threshold,
            Comparison::Above => value > threshold,
            Comparison::Below => value < threshold,
        }
    }
}

/// A target: the metric must satisfy the comparison in each of the
/// `consecutive_months` months ending with `by`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub name: String,
    pub metric: MetricId,
    pub metric_name: String,
    pub comparison: Comparison,
    pub threshold: f64,
    pub by: Month,
    pub consecutive_months: u32,
}

impl Model {
    pub fn horizon(&self) -> usize {
        self.horizon_months as usize
    }

    pub fn month(&self, t: usize) -> Month {
        self.start.plus(t as u32)
    }
}

/// Careers: how people qualify, progress and specialise, and what that does
/// to capacity and leaving.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Careers {
    pub asye: Option<Asye>,
    pub progressions: Vec<Progression>,
    pub specialisms: Vec<Specialism>,
    pub training: Vec<TrainingCohort>,
    pub partnership: Option<TeachingPartnership>,
    pub grow_your_own: Vec<GrowYourOwn>,
    pub caseload: CaseloadPressure,
}

/// The Assessed and Supported Year in Employment.
#[derive(Clone, Debug, PartialEq)]
pub struct Asye {
    /// The grade NQSWs hold during the ASYE.
    pub grade: usize,
    pub duration_months: u32,
    pub pass_rate: Param,
    /// The grade a worker moves to on passing.
    pub next_grade: usize,
}

/// A progression panel route from one grade to the next.
#[derive(Clone, Debug, PartialEq)]
pub struct Progression {
    pub name: String,
    pub from: usize,
    pub to: usize,
    /// Months of the year the panel sits (1-12).
    pub panel_months: Vec<u32>,
    pub min_months_in_grade: u32,
    pub min_months_qualified: u32,
    pub success_rate: Param,
    /// Promote only into vacant posts of the higher grade.
    pub requires_vacancy: bool,
    /// Eligible workers not promoted within this many months leave at
    /// `stall_leaving_multiplier` times their hazard.
    pub stall_after_months: Option<u32>,
    pub stall_leaving_multiplier: f64,
}

/// A specialism (AMHP, BIA, practice educator, ...).
#[derive(Clone, Debug, PartialEq)]
pub struct Specialism {
    pub name: String,
    /// Holders the service needs (e.g. for the AMHP rota).
    pub required: Option<Param>,
    /// Multiplies holders' leaving hazard (e.g. a retention payment's effect).
    pub leaving_multiplier: Param,
    /// Holders' own annual leaving rate, replacing the service-band rate.
    pub annual_leaving_rate: Option<Param>,
}

/// A training course that gives a specialism.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingCohort {
    pub specialism: usize,
    /// Months of the year cohorts start (1-12).
    pub intake_months: Vec<u32>,
    pub cohort_size: Param,
    pub eligible_grades: Vec<usize>,
    pub min_months_qualified: u32,
    pub duration_months: u32,
    /// Share of a trainee's time released from casework during the course.
    pub release_fraction: f64,
    pub pass_rate: Param,
}

/// A teaching partnership: student placements, graduates, NQSW intake.
#[derive(Clone, Debug, PartialEq)]
pub struct TeachingPartnership {
    pub placements_per_year: Param,
    /// Month of the year placements are made (1-12).
    pub placement_month: u32,
    /// Practice educators' capacity: students each per year; `None` if
    /// placements are not limited by practice educators.
    pub practice_educator: Option<(usize, f64)>,
    /// Share of placed students who graduate.
    pub graduation_rate: Param,
    pub months_to_graduation: u32,
    /// Students already on placement at the start, graduating in time for
    /// the first intake.
    pub students_before_start: u32,
    /// Share of local graduates who apply and accept an NQSW post.
    pub local_acceptance_rate: Param,
    /// Month of the year NQSWs start (1-12).
    pub intake_month: u32,
    /// At most this many NQSWs per intake, from all sources.
    pub intake_target: Option<Param>,
    /// External NQSW applicants per intake.
    pub external_applicants: Param,
}

/// A grow-your-own route (degree apprenticeship, Step Up): cohorts that
/// qualify and join as NQSWs.
#[derive(Clone, Debug, PartialEq)]
pub struct GrowYourOwn {
    pub name: String,
    /// Start month and size of each cohort.
    pub cohorts: Vec<(Month, u32)>,
    pub duration_months: u32,
    pub completion_rate: Param,
}

impl GrowYourOwn {
    /// People on the route in `month`: every cohort started and not yet finished.
    pub fn on_route(&self, month: Month) -> u32 {
        self.cohorts
            .iter()
            .filter(|&&(start, _)| start <= month && month < start.plus(self.duration_months))
            .map(|&(_, size)| size)
            .sum()
    }
}

/// Leaving rises when average caseload is above the safe level.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaseloadPressure {
    pub safe_level: Option<f64>,
    pub leaving_multiplier: f64,
}

/// Money: pay, agency spend, recruitment and the policies that cost or save.
#[derive(Clone, Debug, PartialEq)]
pub struct Finance {
    /// The discount rate for net present values (Treasury Green Book: 3.5%).
    pub discount_rate: f64,
    /// General inflation a year (the GDP deflator), by which costs are
    /// brought to the first financial year's prices before discounting: the
    /// Green Book's rate is a real one. 0: outturn costs discounted as they are.
    pub deflator: f64,
    /// Employer National Insurance and pension, as a share of pay.
    pub on_cost_rate: Param,
    /// The pay award each April, as a share (0.032 = 3.2%); also applied to agency rates.
    pub pay_award: Param,
    /// Hours an agency FTE is paid for in a year.
    pub agency_hours_per_year: f64,
    /// Per grade, in grade order.
    pub grades: Vec<GradePay>,
    /// Per permanent starter (experienced hire, conversion, NQSW).
    pub cost_per_hire: f64,
    pub campaigns: Vec<Campaign>,
    pub supplements: Vec<Supplement>,
    pub retention: Vec<RetentionPayment>,
    /// Per training cohort, in the order of `Careers::training`.
    pub training: Vec<TrainingCost>,
    /// Per grow-your-own route (in the order of `Careers::grow_your_own`): the
    /// cost of each person on it for a year (fees, and any salary or grant paid).
    pub grow_your_own: Vec<f64>,
    /// ASYE funding received per NQSW starting.
    pub grant_per_nqsw: f64,
    /// Funding received per student placement made.
    pub grant_per_placement: f64,
    /// Money set aside per financial year (by its first year), to set costs against.
    pub funding: Vec<(u32, f64)>,
}

/// What a grade costs.
#[derive(Clone, Debug, PartialEq)]
pub struct GradePay {
    /// Annual salary by whole years in grade (spinal points); the last holds.
    pub salary_points: Vec<f64>,
    pub agency_rate: AgencyRate,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AgencyRate {
    /// Charged per hour worked.
    Hourly(f64),
    /// Charged per day worked (a day of 7.4 hours: 37 hours a week).
    Daily(f64),
    /// A share above the grade's first-point permanent cost (salary and on-costs).
    Premium(f64),
}

/// Hours in a working day of a 37-hour week.
pub const HOURS_PER_DAY: f64 = 7.4;

impl GradePay {
    /// The annual salary after `months_in_grade`, before any pay award.
    #[inline]
    pub fn salary(&self, months_in_grade: u32) -> f64 {
        let point = (months_in_grade / 12) as usize;
        self.salary_points[point.min(self.salary_points.len() - 1)]
    }
}

/// Calendar months a policy is in force: from `from` up to, not including, `until`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InForce {
    pub from: Month,
    pub until: Option<Month>,
}

impl InForce {
    pub fn contains(&self, month: Month) -> bool {
        self.from <= month && self.until.is_none_or(|u| month < u)
    }
}

/// A recruitment campaign: a cost spread over its months and a lift in hiring.
#[derive(Clone, Debug, PartialEq)]
pub struct Campaign {
    pub name: String,
    pub months: InForce,
    pub cost: f64,
    /// Grades whose hiring it lifts (all when empty).
    pub grades: Vec<usize>,
    /// Multiplies the monthly hiring hazard: p becomes 1 - (1 - p)^m.
    pub hire_multiplier: f64,
}

/// A market supplement: extra pay for permanent staff of some grades.
#[derive(Clone, Debug, PartialEq)]
pub struct Supplement {
    pub name: String,
    pub months: InForce,
    pub grades: Vec<usize>,
    /// Per full-time worker per year, before on-costs.
    pub annual_amount: f64,
    pub hire_multiplier: f64,
    pub leaving_multiplier: Param,
}

/// A retention payment: who gets it, how much and when, what it does to
/// leaving, and what is clawed back from those who leave soon after.
#[derive(Clone, Debug, PartialEq)]
pub struct RetentionPayment {
    pub name: String,
    pub months: InForce,
    pub coverage: Coverage,
    /// Per full-time worker per payment, before on-costs.
    pub amount: f64,
    /// Months of the year it is paid (1-12): `[4]` once a year, `[4, 10]` in halves.
    pub pay_months: Vec<u32>,
    /// Multiplies the leaving hazard of those eligible, and of those paid
    /// within the last `lock_in_months`.
    pub leaving_multiplier: Param,
    pub lock_in_months: u32,
    pub clawback: Option<Clawback>,
}

/// Whom a retention payment covers: permanent staff of its grades, holding
/// one of its specialisms (if it names any), within its span of service.
/// Kept as masks, so that testing a person takes no branch: a pay month
/// tests everyone ([`crate::workforce::each_where`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Coverage {
    /// A bit per grade.
    grades: [u64; 4],
    /// A bit per specialism, of which one must be held; none needed when 0.
    specialisms: u16,
    min_months_service: u32,
    /// The first month of service no longer covered.
    max_months_service: u32,
}

impl Coverage {
    /// Covers `grades` (every grade when empty), holders of one of
    /// `specialisms` (anyone when empty), from `min_months_service` up to,
    /// not including, `max_months_service`.
    pub fn new(
        grades: &[usize],
        specialisms: &[usize],
        min_months_service: u32,
        max_months_service: Option<u32>,
    ) -> Coverage {
        let mut grade_bits = [0u64; 4];
        if grades.is_empty() {
            grade_bits = [u64::MAX; 4];
        }
        for &g in grades {
            grade_bits[g / 64] |= 1 << (g % 64);
        }
        Coverage {
            grades: grade_bits,
            specialisms: specialisms.iter().fold(0, |bits, &s| bits | 1 << s),
            min_months_service,
            max_months_service: max_months_service.unwrap_or(u32::MAX),
        }
    }

    #[inline]
    pub fn covers(&self, grade: u8, specialisms: u16, months_service: u32) -> bool {
        let g = usize::from(grade);
        (self.grades[g / 64] >> (g % 64) & 1 == 1)
            & ((self.specialisms == 0) | (specialisms & self.specialisms != 0))
            & (months_service >= self.min_months_service)
            & (months_service < self.max_months_service)
    }
}

/// The share of a sum repaid by someone leaving `m` months after the event
/// that it tied them to: straight lines between the points, none after the last.
#[derive(Clone, Debug, PartialEq)]
pub struct Clawback {
    /// (months after, share repaid), months increasing.
    pub points: Vec<(u32, f64)>,
    /// Share of what is owed that is actually recovered.
    pub recovery_rate: f64,
}

impl Clawback {
    pub fn share(&self, months: u32) -> f64 {
        let last = self.points[self.points.len() - 1];
        if months > last.0 {
            return 0.0;
        }
        if months <= self.points[0].0 {
            return self.points[0].1;
        }
        let i = self.points.partition_point(|&(m, _)| m <= months);
        let ((m0, s0), (m1, s1)) = (
            self.points[i - 1],
            self.points[i.min(self.points.len() - 1)],
        );
        if m1 == m0 {
            return s0;
        }
        s0 + (s1 - s0) * f64::from(months - m0) / f64::from(m1 - m0)
    }

    /// What is recovered of `sum` from a leaver `months` after the event.
    pub fn recovered(&self, sum: f64, months: u32) -> f64 {
        sum * self.share(months) * self.recovery_rate
    }
}

/// What a training course costs, per training cohort.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrainingCost {
    /// Course fee per trainee, paid when the course starts.
    pub fee: f64,
    /// Share of released time covered by paid backfill, at the agency rate.
    pub backfill_share: f64,
    /// Fee recovered from those who leave after passing.
    pub clawback: Option<Clawback>,
}

/// The national rules for agency child and family social workers, each on
/// or off, each from a month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgencyRules {
    pub minimum_experience: Option<MinimumExperience>,
    pub cooling_off: Option<CoolingOff>,
    pub price_cap: Option<PriceCap>,
}

/// Only workers with this much post-qualifying experience may be engaged.
#[derive(Clone, Debug, PartialEq)]
pub struct MinimumExperience {
    pub from: Month,
    pub months_qualified: u32,
    /// Share of the agency workers who would have covered a vacancy that
    /// have less experience, and so are no longer offered.
    pub supply_below: f64,
}

/// A permanent worker who leaves may not return as agency for this long.
#[derive(Clone, Debug, PartialEq)]
pub struct CoolingOff {
    pub from: Month,
    pub months: u32,
}

/// A cap on the hourly rate paid for agency workers.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceCap {
    pub from: Month,
    pub hourly_rate: f64,
    /// Multiplies the chance that an agency worker covers a vacancy, where
    /// the cap makes the area less attractive (1: no effect).
    pub cover_multiplier: f64,
}

impl Model {
    /// Every parameter drawn once per replication (parameter uncertainty),
    /// mutably: the one list of them, for sensitivity analysis and for how
    /// long a variant stays the base's (`fork`). Per-event draws (time to
    /// start, cover lag) are not parameters of the run.
    pub fn parameters_mut(&mut self) -> Vec<&mut Param> {
        let mut list: Vec<&mut Param> = Vec::new();
        for grade in &mut self.grades {
            list.push(&mut grade.establishment_fte);
        }
        list.extend(self.leaving.annual_rate.iter_mut().flatten());
        list.push(&mut self.leaving.agency_annual_rate);
        list.extend(self.recruitment.hire_monthly_probability.iter_mut());
        list.push(&mut self.recruitment.agency_conversion_annual_rate);
        list.push(&mut self.agency.cover_monthly_probability);
        list.push(&mut self.agency.returner_share);
        list.push(&mut self.demand.open_cases);
        list.push(&mut self.demand.monthly_trend);
        list.push(&mut self.demand.monthly_noise_sd);
        if let Some(e) = &mut self.establishment {
            list.push(&mut e.monthly_trend);
            list.push(&mut e.monthly_noise_sd);
        }
        let careers = &mut self.careers;
        if let Some(asye) = &mut careers.asye {
            list.push(&mut asye.pass_rate);
        }
        for p in &mut careers.progressions {
            list.push(&mut p.success_rate);
        }
        for s in &mut careers.specialisms {
            list.extend(s.required.as_mut());
            list.push(&mut s.leaving_multiplier);
            list.extend(s.annual_leaving_rate.as_mut());
        }
        for c in &mut careers.training {
            list.push(&mut c.cohort_size);
            list.push(&mut c.pass_rate);
        }
        if let Some(p) = &mut careers.partnership {
            list.push(&mut p.placements_per_year);
            list.push(&mut p.graduation_rate);
            list.push(&mut p.local_acceptance_rate);
            list.extend(p.intake_target.as_mut());
            list.push(&mut p.external_applicants);
        }
        for g in &mut careers.grow_your_own {
            list.push(&mut g.completion_rate);
        }
        if let Some(f) = &mut self.finance {
            list.push(&mut f.on_cost_rate);
            list.push(&mut f.pay_award);
            for s in &mut f.supplements {
                list.push(&mut s.leaving_multiplier);
            }
            for r in &mut f.retention {
                list.push(&mut r.leaving_multiplier);
            }
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_grades_specialisms_and_a_span_of_service() {
        /// Grades, specialisms, least and first-not-covered months of service.
        type Rule = (&'static [usize], &'static [usize], u32, Option<u32>);
        // The rule as the scenario states it, tested the plain way.
        let plain = |(grades, held, min, max): Rule,
                     (grade, specialisms, service): (u8, u16, u32)| {
            (grades.is_empty() || grades.contains(&usize::from(grade)))
                && (held.is_empty() || held.iter().any(|&s| specialisms & (1 << s) != 0))
                && service >= min
                && max.is_none_or(|max| service < max)
        };
        let rules: [Rule; 5] = [
            (&[], &[], 0, None),
            (&[1, 3], &[], 0, None),
            (&[0, 70, 255], &[2], 12, Some(60)),
            (&[], &[0, 15], 36, None),
            (&[2], &[1, 4], 0, Some(24)),
        ];
        for rule in rules {
            let (grades, held, min, max) = rule;
            let coverage = Coverage::new(grades, held, min, max);
            for grade in [0, 1, 2, 3, 63, 64, 70, 128, 255] {
                for specialisms in [0, 1, 2, 4, 6, 16, 1 << 15, u16::MAX] {
                    for service in [0, 11, 12, 23, 24, 35, 36, 59, 60, 600] {
                        let person = (grade, specialisms, service);
                        assert_eq!(
                            coverage.covers(grade, specialisms, service),
                            plain(rule, person),
                            "{rule:?} {person:?}"
                        );
                    }
                }
            }
        }
    }
}

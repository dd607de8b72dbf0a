//! A scenario from the DfE indicators of one area and some years: the
//! starting workforce from the last year's 30 September snapshot, the rates
//! from the flows of every year used, each value with a comment naming the
//! file, area, years and columns it came from and its spread across years.
//!
//! The indicators count qualified children's social workers together, so the
//! scenario has one grade and one length-of-service band; an HR extract
//! (`calibrate hr`) can add grades and bands.

use std::ops::RangeInclusive;
use std::path::Path;

use super::Spread;
use super::dfe::{Area, AreaQuery, Column, Indicators, Row, Value};
use super::pooled::{Prior, Sample};
use super::toml_out::{TomlOut, amount, rate, string};
use crate::calendar::Month;
use crate::model::Scenario;
use crate::output::count_of;
use crate::param::monthly_hazard;

/// The one grade: the indicators count qualified social workers together.
const GRADE: &str = "social_worker";

/// Assumptions the indicators cannot give, with the reason for each value.
pub const AGENCY_ANNUAL_RATE: f64 = 0.4;
const AGENCY_ANNUAL_RATE_WHY: &str = "assumption: the indicators do not show how long agency assignments last; about two and a half years on average";
pub const TIME_TO_START_MONTHS: f64 = 2.5;
const TIME_TO_START_WHY: &str = "assumption: a month's notice and six to eight weeks of checks (Slough strategy: DBS checks took 8 weeks before e-DBS)";
const COVER_LAG_MONTHS: f64 = 0.5;
const COVER_LAG_WHY: &str = "assumption: agencies place within weeks";

/// What the scenario is calibrated from.
#[derive(Clone, Debug)]
pub struct Request {
    pub area: AreaQuery,
    /// Reporting years to fit; `None` for the latest three the area has.
    pub years: Option<RangeInclusive<u32>>,
    pub horizon_months: u32,
    pub replications: u32,
    /// Write the rates as distributions with the spread across the years
    /// used, so that runs carry it.
    pub uncertain: bool,
}

/// A scenario's text, compiled, with what the reader should know about its inputs.
#[derive(Clone, Debug)]
pub struct Calibrated {
    pub text: String,
    /// `text` compiled: what a run of the written file would run.
    pub scenario: Scenario,
    /// Missing and suppressed values met, and fallbacks used.
    pub notes: Vec<String>,
    pub area_name: String,
    pub years: RangeInclusive<u32>,
}

/// One value's yearly figures and where they came from.
struct Estimate {
    /// The columns and how they combine, e.g. `leavers_fte / inpost_fte`.
    formula: &'static str,
    /// Whose figures: the area's, or the national ones it fell back on.
    source: String,
    values: Vec<(u32, f64)>,
    /// The log of the area's size, and every other local authority's
    /// figures in the same years with theirs, for steadying this one's
    /// spread (none for other areas).
    log_size: f64,
    peers: Vec<Peer>,
}

/// Another local authority's yearly figures, and the log of its size (its
/// mean in-post FTE in the years fitted).
struct Peer {
    log_size: f64,
    values: Vec<(u32, f64)>,
}

impl Estimate {
    fn mean(&self) -> f64 {
        self.spread().mean
    }

    fn spread(&self) -> Spread {
        let v: Vec<f64> = self.values.iter().map(|(_, v)| *v).collect();
        Spread::of(&v).expect("an estimate has at least one year")
    }

    /// The mean of the years, pooled with the other authorities' means
    /// (normal-normal empirical Bayes): a few years' mean is noisy, more so
    /// in a small service, and areas' true rates are nearer each other than
    /// their means of a few years are.
    fn pooled_mean(&self, spread: &Moderated) -> Pooled {
        let own = self.mean();
        let means: Vec<(f64, f64)> = self
            .peers
            .iter()
            .filter_map(|p| {
                let v: Vec<f64> = p.values.iter().map(|(_, v)| *v).collect();
                let s = Spread::of(&v).filter(|_| v.len() > 1)?;
                Some((s.mean, s.sd * s.sd / v.len() as f64))
            })
            .collect();
        let unpooled = Pooled {
            own,
            value: own,
            weight: 1.0,
            peers: None,
        };
        if means.len() < 4 {
            return unpooled;
        }
        let n = means.len() as f64;
        let centre = means.iter().map(|m| m.0).sum::<f64>() / n;
        let between = means.iter().map(|m| (m.0 - centre).powi(2)).sum::<f64>() / (n - 1.0);
        let chance = means.iter().map(|m| m.1).sum::<f64>() / n;
        // The true means' variance by the method of moments: what the means
        // vary by beyond their years' chance (none left: pool whole).
        let truth = (between - chance).max(0.0);
        let standard_error = spread.sd.powi(2) / self.values.len() as f64;
        if truth + standard_error == 0.0 {
            return unpooled;
        }
        let weight = truth / (truth + standard_error);
        Pooled {
            own,
            value: centre + weight * (own - centre),
            weight,
            peers: Some(centre),
        }
    }

    /// The year-to-year sd, the area's own relative variance moderated
    /// towards the other authorities' (rates differ in level between areas,
    /// their spreads in proportion).
    fn moderated_sd(&self) -> Moderated {
        let relative = |values: &[(u32, f64)]| {
            let v: Vec<f64> = values.iter().map(|(_, v)| *v).collect();
            Spread::of(&v)
                .filter(|s| s.mean > 0.0)
                .map(|s| ((s.sd / s.mean).powi(2), v.len() as f64 - 1.0))
        };
        let mean = self.mean();
        Moderated::of(self, relative, |v| v.sqrt() * mean)
    }

    /// The sd of the year-on-year changes in the figure's log, the area's own
    /// variance moderated towards the other authorities'.
    fn moderated_change_sd(&self) -> Moderated {
        let variance = |values: &[(u32, f64)]| {
            let changes = log_changes(values);
            Spread::of(&changes).map(|s| (s.sd * s.sd, changes.len() as f64 - 1.0))
        };
        Moderated::of(self, variance, f64::sqrt)
    }

    /// The comment naming the evidence.
    fn evidence(&self, file: &str) -> String {
        let years: Vec<String> = self
            .values
            .iter()
            .map(|(y, v)| format!("{y} {}", short(*v)))
            .collect();
        let mut text = format!(
            "{}: {}, {file}, {}",
            self.formula,
            self.source,
            years.join(", ")
        );
        if self.values.len() > 1 {
            let s = self.spread();
            text.push_str(&format!(
                "; mean {}, sd {}, range {}-{}",
                short(s.mean),
                short(s.sd),
                short(s.min),
                short(s.max)
            ));
        }
        text
    }
}

/// A spread from an area's few years, and what steadying it by the other
/// local authorities' made of it.
#[derive(Clone, Copy, Debug)]
struct Moderated {
    own: f64,
    /// The degrees of freedom of the area's own variance.
    df: f64,
    sd: f64,
    /// The law of the other authorities' variances: its scale at the
    /// area's size as this figure's sd, and its degrees of freedom.
    prior: Option<(f64, f64)>,
}

impl Moderated {
    /// `variance` gives a set of yearly figures' variance (relative or
    /// absolute, by the caller) with its degrees of freedom; `sd` turns a
    /// variance of that kind into the figure's sd.
    fn of(
        e: &Estimate,
        variance: impl Fn(&[(u32, f64)]) -> Option<(f64, f64)>,
        sd: impl Fn(f64) -> f64,
    ) -> Moderated {
        let (var, df) = variance(&e.values)
            .filter(|(_, df)| *df > 0.0)
            .unwrap_or((0.0, 0.0));
        let samples: Vec<Sample> = e
            .peers
            .iter()
            .filter_map(|p| {
                variance(&p.values).map(|(var, df)| Sample {
                    var,
                    df,
                    covariate: p.log_size,
                })
            })
            .collect();
        let prior = Prior::fit(&samples);
        Moderated {
            own: sd(var),
            df,
            sd: sd(prior.map_or(var, |p| p.moderate(var, df, e.log_size))),
            prior: prior.map(|p| (sd(p.scale(e.log_size)), p.df)),
        }
    }

    /// For a comment: the area's own sd and what it became.
    fn explained(&self) -> String {
        let own = if self.df > 0.0 {
            format!(
                "the area's own sd {} ({} of freedom)",
                short(self.own),
                count_of(self.df as usize, "degree")
            )
        } else {
            "the area's own years give no spread".to_string()
        };
        let Some((scale, df)) = self.prior else {
            return own;
        };
        let law = format!(
            "the other local authorities' {} at its size ({}; Smyth's empirical Bayes: the law of their \
             variances fitted, its scale a line in the log of their size)",
            short(scale),
            if df.is_infinite() {
                "as alike as chance allows".to_string()
            } else {
                format!("worth {df:.1} degrees of freedom")
            }
        );
        if self.df > 0.0 && df.is_finite() {
            format!(
                "{own} moderated towards {law}, each weighed by its degrees of freedom, to {}",
                short(self.sd)
            )
        } else {
            format!("{own}; {law} taken whole")
        }
    }
}

/// A mean of a few years, and what pooling it with the other local
/// authorities' made of it.
#[derive(Clone, Copy, Debug)]
struct Pooled {
    own: f64,
    value: f64,
    /// The area's own mean's weight against the other authorities'.
    weight: f64,
    /// The other authorities' mean of means, when pooled.
    peers: Option<f64>,
}

impl Pooled {
    /// For a comment: the area's own mean and what it became.
    fn explained(&self) -> String {
        match self.peers {
            Some(centre) => format!(
                "; its mean {} pooled with the other local authorities' {} (empirical Bayes: its weight {:.2}, \
                 the true rates' spread between areas against its own mean's standard error) to {}",
                short(self.own),
                short(centre),
                self.weight,
                short(self.value)
            ),
            None => String::new(),
        }
    }
}

/// A beta distribution with this mean and sd when `uncertain`, else (or if
/// no beta has them) the mean.
fn beta_or_point(mean: f64, sd: f64, uncertain: bool) -> String {
    match super::beta_from_moments(mean, sd).filter(|_| uncertain) {
        Some((a, b)) => format!("{{ dist = \"beta\", alpha = {a:.3}, beta = {b:.3} }}"),
        None => rate(mean),
    }
}

fn short(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// A yearly figure from a row, or the column and value that stopped it.
/// It is given the row's area too, for figures that need the year before.
type Figure<'f> = dyn Fn(&Area, &Row) -> Result<f64, (Column, Value)> + 'f;

/// The rows and years being fitted, and the national rows to fall back on.
struct Fit<'a> {
    area: Area<'a>,
    national: Option<Area<'a>>,
    /// The log of the area's size, and the other local authorities with
    /// theirs, when the area is one.
    log_size: f64,
    peers: Vec<(Area<'a>, f64)>,
    years: Vec<u32>,
    notes: Vec<String>,
}

impl Fit<'_> {
    fn first(&self) -> u32 {
        self.years[0]
    }

    fn last(&self) -> u32 {
        *self.years.last().expect("at least one year")
    }

    /// A per-year figure from the area's rows, falling back on England's when
    /// the area has it in no year. Years where it is missing are left out and
    /// noted.
    fn yearly(
        &mut self,
        formula: &'static str,
        figure: impl Fn(&Area, &Row) -> Result<f64, (Column, Value)>,
    ) -> Option<Estimate> {
        let own = self.collect(&self.area, &figure);
        if !own.is_empty() {
            return Some(Estimate {
                formula,
                source: self.area.name.clone(),
                values: own,
                log_size: self.log_size,
                peers: self
                    .peers
                    .iter()
                    .map(|(peer, log_size)| Peer {
                        log_size: *log_size,
                        values: self.collect(peer, &figure),
                    })
                    .collect(),
            });
        }
        let national = self.national.as_ref()?;
        let values = self.collect(national, &figure);
        if values.is_empty() {
            return None;
        }
        self.notes.push(format!(
            "{}: {formula} is missing in every year used, so England's figure is used",
            self.area.name
        ));
        Some(Estimate {
            formula,
            source: format!("England (for want of {}'s)", self.area.name),
            values,
            log_size: 0.0,
            peers: Vec::new(),
        })
    }

    /// England's per-year figure (the area's own when it is England).
    fn england(
        &self,
        formula: &'static str,
        figure: impl Fn(&Area, &Row) -> Result<f64, (Column, Value)>,
    ) -> Option<Estimate> {
        let england = self.national.as_ref().unwrap_or(&self.area);
        let values = self.collect(england, &figure);
        (!values.is_empty()).then(|| Estimate {
            formula,
            source: england.name.clone(),
            values,
            log_size: 0.0,
            peers: Vec::new(),
        })
    }

    /// The years in which `area` has the figure (the gaps are noted once, by `gaps`).
    fn collect(&self, area: &Area<'_>, figure: &Figure<'_>) -> Vec<(u32, f64)> {
        self.years
            .iter()
            .filter_map(|&y| match area.row(y).map(|r| figure(area, r)) {
                Some(Ok(v)) if v.is_finite() => Some((y, v)),
                _ => None,
            })
            .collect()
    }
}

fn number(row: &Row, column: Column) -> Result<f64, (Column, Value)> {
    match row.value(column) {
        Value::Number(v) => Ok(v),
        missing => Err((column, missing)),
    }
}

fn ratio(row: &Row, top: Column, bottom: Column) -> Result<f64, (Column, Value)> {
    let b = number(row, bottom)?;
    if b <= 0.0 {
        return Err((bottom, Value::Number(b)));
    }
    Ok(number(row, top)? / b)
}

/// Every missing or suppressed value of the columns read, in the years used.
fn gaps(area: &Area<'_>, years: &[u32]) -> Vec<String> {
    let mut out = Vec::new();
    for &y in years {
        let Some(row) = area.row(y) else { continue };
        for column in Column::ALL {
            if let Value::Missing(m) = row.value(column) {
                out.push(format!("{} {y}: {column} is {m}", area.name));
            }
        }
    }
    out
}

/// A name the scenario may carry: letters, digits, `_`, `-`.
fn slug(text: &str) -> String {
    let words = super::dfe::words(text);
    if words.is_empty() {
        "area".to_string()
    } else {
        words.join("-")
    }
}

pub fn calibrate(indicators: &Indicators, request: &Request) -> Result<Calibrated, String> {
    let area = indicators.area(&request.area)?;
    let years = fit_years(&area, request.years.as_ref())?;
    let national = match request.area {
        AreaQuery::National => None,
        _ => indicators.area(&AreaQuery::National).ok(),
    };
    let peers = match request.area {
        AreaQuery::LocalAuthority(_) => indicators
            .local_authority_areas()
            .into_iter()
            .filter(|peer| peer.code != area.code && peer.name != area.name)
            .filter_map(|peer| {
                let size = log_size(&peer, &years)?;
                Some((peer, size))
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut fit = Fit {
        notes: gaps(&area, &years)
            .into_iter()
            .map(|g| format!("{g}: left out, never read as zero"))
            .collect(),
        log_size: log_size(&area, &years).unwrap_or(0.0),
        area,
        national,
        peers,
        years,
    };
    let rates = Rates::estimate(&mut fit)?;
    let stock = Stock::read(&fit, &rates)?;
    let file = indicators.file.file_name().map_or_else(
        || indicators.file.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    let text = Render {
        fit: &fit,
        file: &file,
        request,
    }
    .scenario(&stock, &rates);
    // Published figures that contradict each other (a headcount thousands of
    // times the FTE) can give values no scenario may hold: say so, rather
    // than write a file that `validate` refuses.
    let scenario = crate::scenario::compile(&text, Path::new("calibrated.toml")).map_err(|e| {
        format!(
            "the figures for {} in {}-{} give a scenario staffcast cannot run; check them in the file:\n{e}",
            fit.area.name,
            fit.first(),
            fit.last()
        )
    })?;
    Ok(Calibrated {
        text,
        scenario,
        area_name: fit.area.name.clone(),
        years: fit.first()..=fit.last(),
        notes: fit.notes,
    })
}

/// The log of an area's size: its mean in-post FTE in the years fitted.
fn log_size(area: &Area<'_>, years: &[u32]) -> Option<f64> {
    let fte: Vec<f64> = years
        .iter()
        .filter_map(|&y| area.row(y)?.number(Column::InpostFte))
        .collect();
    let mean = fte.iter().sum::<f64>() / fte.len() as f64;
    (mean > 0.0).then(|| mean.ln())
}

/// The years asked for, all present; or the latest three the area has.
fn fit_years(area: &Area<'_>, asked: Option<&RangeInclusive<u32>>) -> Result<Vec<u32>, String> {
    let available = area.years();
    let Some(range) = asked else {
        return Ok(available.iter().rev().take(3).rev().copied().collect());
    };
    let missing: Vec<String> = range
        .clone()
        .filter(|y| !available.contains(y))
        .map(|y| y.to_string())
        .collect();
    if missing.is_empty() {
        Ok(range.clone().collect())
    } else {
        Err(format!(
            "--years: {} has no rows for {}; it has {}",
            area.name,
            missing.join(", "),
            list_years(&available)
        ))
    }
}

/// The rates, each from every year fitted.
struct Rates {
    turnover: Estimate,
    vacancy_rate: Estimate,
    cover_share: Estimate,
    /// The cover probability each year's figures imply, for its spread.
    cover_probability: Option<Estimate>,
    starters_per_open_vacancy: Estimate,
    holding: Estimate,
    caseload: Option<Estimate>,
    cases: Estimate,
    /// England's cases each year.
    england_cases: Option<Estimate>,
    /// The area's establishment (in post plus vacancies) each year, and England's.
    establishment: Option<Estimate>,
    england_establishment: Option<Estimate>,
    /// The leaving, hire and cover share as the scenario takes them: their
    /// spreads moderated and means pooled with the other authorities'.
    leaving: Steadied,
    hire: Steadied,
    covered: Steadied,
}

/// A yearly rate's spread moderated and its mean pooled.
struct Steadied {
    spread: Moderated,
    mean: Pooled,
}

impl Steadied {
    fn of(e: &Estimate) -> Steadied {
        let spread = e.moderated_sd();
        Steadied {
            mean: e.pooled_mean(&spread),
            spread,
        }
    }
}

/// Year-on-year changes in the log of a yearly figure, for consecutive years.
fn log_changes(values: &[(u32, f64)]) -> Vec<f64> {
    values
        .windows(2)
        .filter(|w| w[1].0 == w[0].0 + 1 && w[0].1 > 0.0 && w[1].1 > 0.0)
        .map(|w| (w[1].1 / w[0].1).ln())
        .collect()
}

/// A service's establishment: in post plus vacancies.
fn establishment(_: &Area, r: &Row) -> Result<f64, (Column, Value)> {
    Ok(number(r, Column::InpostFte)? + number(r, Column::VacancyFte)?)
}

impl Rates {
    fn estimate(fit: &mut Fit<'_>) -> Result<Rates, String> {
        let cases = fit
            .yearly("cases", |_, r| number(r, Column::Cases))
            .ok_or("no year has cases")?;
        let england_establishment = fit.england("inpost_fte + vacancy_fte", establishment);
        let england_cases = fit.england("cases", |_, r| number(r, Column::Cases));
        let turnover = fit
            .yearly("leavers_fte / inpost_fte", |_, r| {
                ratio(r, Column::LeaversFte, Column::InpostFte)
                    .or_else(|_| number(r, Column::TurnoverRateFte).map(|t| t / 100.0))
            })
            .ok_or("no year has leavers or a turnover rate")?;
        let covered = fit
            .yearly("vacancy_agency_cover_rate_fte / 100", |_, r| cover_share(r))
            .ok_or("no year has the share of vacancies covered by agency")?;
        let per_vacancy = fit
            .yearly(
                "starters_fte / 12 / (vacancies - offers in flight), vacancies the mean of the year's two 30 September vacancy_fte",
                starters_per_open_vacancy,
            )
            .ok_or("no year has both starters and vacancies")?;
        Ok(Rates {
            leaving: Steadied::of(&turnover),
            hire: Steadied::of(&per_vacancy),
            covered: Steadied::of(&covered),
            turnover,
            cover_share: covered,
            starters_per_open_vacancy: per_vacancy,
            establishment: fit.yearly("inpost_fte + vacancy_fte", establishment),
            england_establishment,
            vacancy_rate: fit
                .yearly("vacancy_fte / (vacancy_fte + inpost_fte)", |_, r| {
                    let v = number(r, Column::VacancyFte)?;
                    Ok(v / (v + number(r, Column::InpostFte)?))
                })
                .ok_or("no year has vacancies")?,
            cover_probability: fit.yearly(
                "each year's cover probability by the same formula, from its own share covered and hire probability",
                |area, r| {
                    let (c, h) = (cover_share(r)?, starters_per_open_vacancy(area, r)?);
                    Ok(settled_cover(c, h.min(1.0)))
                },
            ),
            holding: fit
                .yearly("case_holders_fte / (inpost_fte + agency_cover_fte)", |_, r| {
                    let all = number(r, Column::InpostFte)? + number(r, Column::AgencyCoverFte)?;
                    Ok((number(r, Column::CaseHoldersFte)? / all).min(1.0))
                })
                .ok_or("no year has case holders")?,
            caseload: fit.yearly("caseload_fte (published)", |_, r| {
                number(r, Column::CaseloadFte)
            }),
            cases,
            england_cases,
        })
    }

    fn hire(&self) -> f64 {
        self.hire.mean.value.min(1.0)
    }

    /// The monthly cover probability at which the covered share of vacancies
    /// settles at the published one, from the years' mean share and hire
    /// probability, each pooled.
    fn cover(&self) -> f64 {
        settled_cover(self.covered.mean.value, self.hire())
    }

    /// The demand trend (England's mean year-on-year change in log cases:
    /// an area's own over a few years is a poor guide to its next) with its
    /// standard error, and the spread of the area's own changes, moderated.
    fn demand(&self) -> Demand {
        let noise = self.cases.moderated_change_sd();
        let standard_error = |s: Spread, n: usize| s.sd / (n as f64).sqrt();
        let own = log_changes(&self.cases.values);
        let england = self
            .england_cases
            .as_ref()
            .map_or_else(Vec::new, |e| log_changes(&e.values));
        let (trend, trend_se) = match (Spread::of(&england), Spread::of(&own)) {
            (Some(s), _) => (s.mean, standard_error(s, england.len())),
            (None, Some(s)) => (s.mean, noise.sd / (own.len() as f64).sqrt()),
            (None, None) => (0.0, 0.0),
        };
        Demand {
            trend,
            trend_se,
            noise,
        }
    }
}

/// Cases' year-on-year change in logs: the trend with its standard error,
/// and the spread of a year's change about it.
struct Demand {
    trend: f64,
    trend_se: f64,
    noise: Moderated,
}

/// The share of vacancies covered by agency workers, as a fraction.
fn cover_share(r: &Row) -> Result<f64, (Column, Value)> {
    number(r, Column::VacancyAgencyCoverRateFte).map(|c| (c / 100.0).min(1.0))
}

/// Permanent starters a month per open vacancy: the year's starters over
/// the mean of its two 30 September vacancies, less the offers in flight.
fn starters_per_open_vacancy(area: &Area, r: &Row) -> Result<f64, (Column, Value)> {
    let starters = number(r, Column::StartersFte)? / 12.0;
    let now = number(r, Column::VacancyFte)?;
    let before = area
        .row(r.year.wrapping_sub(1))
        .and_then(|p| p.number(Column::VacancyFte))
        .unwrap_or(now);
    let open = (now + before) / 2.0 - starters * TIME_TO_START_MONTHS;
    Ok(if open > starters {
        starters / open
    } else {
        1.0
    })
}

/// The monthly cover probability q at which a covered share `c` of
/// vacancies is settled: uncovered posts are covered at rate q, covered ones
/// lose their cover when the assignment ends (e) or a permanent starter
/// fills the post (`hire`), so c = q / (q + e + hire).
fn settled_cover(c: f64, hire: f64) -> f64 {
    if c >= 0.99 {
        1.0
    } else {
        (c * (monthly_hazard(AGENCY_ANNUAL_RATE) + hire) / (1.0 - c)).min(1.0)
    }
}

/// The workforce and caseload at the last year's 30 September.
struct Stock {
    inpost_fte: f64,
    inpost_headcount: f64,
    vacancies: f64,
    agency_cover: f64,
    agency_headcount: f64,
    agency_total: Option<f64>,
    cases: f64,
}

impl Stock {
    fn read(fit: &Fit<'_>, rates: &Rates) -> Result<Stock, String> {
        let last = fit.last();
        let row = fit.area.row(last).expect("the last year has a row");
        let required = |column: Column| -> Result<f64, String> {
            match row.value(column) {
                Value::Number(v) => Ok(v),
                Value::Missing(m) => Err(format!(
                    "{} {last}: {column} is {m}, and the starting workforce needs it; fit to a year that has it (--years)",
                    fit.area.name
                )),
            }
        };
        let inpost_fte = required(Column::InpostFte)?;
        let vacancies = row.number(Column::VacancyFte).unwrap_or_else(|| {
            let r = rates.vacancy_rate.mean();
            inpost_fte * r / (1.0 - r)
        });
        // To the tenth of an FTE the scenario is written in, so that a
        // headcount is never given for an FTE that rounds to nothing.
        let agency_cover = (row
            .number(Column::AgencyCoverFte)
            .unwrap_or(vacancies * rates.cover_share.mean())
            .min(vacancies)
            * 10.0)
            .round()
            / 10.0;
        let agency_headcount = match (
            row.number(Column::AgencyHeadcount),
            row.number(Column::AgencyFte),
        ) {
            (Some(h), Some(f)) if f > 0.0 => (agency_cover * h / f).round(),
            _ => agency_cover.round(),
        }
        .max(agency_cover.ceil());
        Ok(Stock {
            inpost_fte,
            inpost_headcount: row
                .number(Column::InpostHeadcount)
                .unwrap_or(inpost_fte.ceil())
                .max(inpost_fte.ceil()),
            vacancies,
            agency_cover,
            agency_headcount,
            agency_total: row.number(Column::AgencyFte),
            cases: required(Column::Cases)?,
        })
    }
}

/// Writes the scenario, table by table.
struct Render<'a> {
    fit: &'a Fit<'a>,
    file: &'a str,
    request: &'a Request,
}

impl Render<'_> {
    fn scenario(&self, stock: &Stock, rates: &Rates) -> String {
        let mut out = TomlOut::default();
        self.top(&mut out);
        self.grade(&mut out, stock, rates);
        self.flows(&mut out, rates);
        self.demand(&mut out, stock, rates);
        self.establishment(&mut out, rates);
        super::national_pay::write(&mut out, self.start(), GRADE);
        self.target(&mut out);
        out.finish()
    }

    /// "30 September 2019" with the area and file, for stock values.
    fn snapshot(&self, columns: &str) -> String {
        format!(
            "{columns}, {}, {}, 30 September {}",
            self.fit.area.name,
            self.file,
            self.fit.last()
        )
    }

    fn years_text(&self) -> String {
        let (first, last) = (self.fit.first(), self.fit.last());
        if first == last {
            first.to_string()
        } else {
            format!("{first}-{last}")
        }
    }

    fn start(&self) -> Month {
        Month::new(self.fit.last(), 10).expect("October is a month")
    }

    fn top(&self, out: &mut TomlOut) {
        let (name, file, last) = (&self.fit.area.name, self.file, self.fit.last());
        let years = self.years_text();
        out.comment(&format!(
            "{name}, children's social work, calibrated by `staffcast calibrate dfe` from\n\
             {file} (DfE, \"Children's social work workforce\" indicators), reporting\n\
             years {years}: the starting workforce from the 30 September {last} snapshot, rates\n\
             from every year used. Each value's comment names its columns, the figures of each\n\
             year and their spread. Values the indicators cannot give say \"assumption\".\n\
             {}\
             \n\
             The indicators count qualified social workers together (managers included), so\n\
             there is one grade and one length-of-service band; leaving by service and grade\n\
             can come from an HR extract (`staffcast calibrate hr`).",
            if self.request.uncertain {
                "The rates are distributions with their spread across the years, so that runs carry\n\
                 it (`--point` writes their central values alone).\n"
            } else {
                "The rates are their central values alone (`--point`): runs carry only the model's\n\
                 own chance, not the spread across the years.\n"
            }
        ));
        if !self.fit.notes.is_empty() {
            out.comment("\nMissing or suppressed values (never read as zero):");
            for n in &self.fit.notes {
                out.comment(&format!("  {n}"));
            }
        }
        out.blank();
        out.key("name", string(&format!("{}-dfe-{years}", slug(name))), "");
        out.key(
            "description",
            string(&format!(
                "{name} from the DfE workforce indicators {years}: will the service reach 80% permanent?"
            )),
            "",
        );
        out.key(
            "start",
            string(&self.start().to_string()),
            &format!("the 30 September {last} snapshot is the workforce at the start of October"),
        );
        out.key("horizon_months", self.request.horizon_months, "");
        out.key("replications", self.request.replications, "");
        out.key(
            "seed",
            u64::from(last) * 100 + 9,
            "any fixed number; results are reproducible from it",
        );
    }

    fn grade(&self, out: &mut TomlOut, stock: &Stock, rates: &Rates) {
        out.table(&format!("grades.{GRADE}"));
        out.key(
            "caseload_weight",
            rate(rates.holding.mean()),
            &format!(
                "share of a full caseload an FTE holds on average, so that average_caseload is the DfE's\n{}",
                rates.holding.evidence(self.file)
            ),
        );
        out.key(
            "establishment_fte",
            amount(stock.inpost_fte + stock.vacancies),
            &format!(
                "{}: {} + {}",
                self.snapshot("inpost_fte + vacancy_fte"),
                amount(stock.inpost_fte),
                amount(stock.vacancies)
            ),
        );
        out.key(
            "permanent",
            format!(
                "{{ headcount = {}, fte = {} }}",
                stock.inpost_headcount,
                amount(stock.inpost_fte)
            ),
            &self.snapshot("inpost_headcount and inpost_fte"),
        );
        let beyond = stock.agency_total.map_or(String::new(), |a| {
            format!(
                "; agency_fte is {} in all: {} beyond vacancies (absence cover, projects) is not modelled",
                amount(a),
                amount((a - stock.agency_cover).max(0.0))
            )
        });
        out.key(
            "agency",
            format!(
                "{{ headcount = {}, fte = {} }}",
                stock.agency_headcount,
                amount(stock.agency_cover)
            ),
            &format!(
                "{}{beyond}",
                self.snapshot("agency_cover_fte (agency workers covering vacancies)")
            ),
        );
        out.key(
            "service_mix",
            "[1.0]",
            "the indicators do not give length of service",
        );
    }

    fn flows(&self, out: &mut TomlOut, rates: &Rates) {
        let (file, uncertain) = (self.file, self.request.uncertain);
        out.table("leaving");
        out.key("bands_years", "[0]", "one band: see service_mix");
        let leaving = &rates.leaving;
        out.key(
            "annual_rate",
            format!(
                "[{}]",
                beta_or_point(leaving.mean.value.min(1.0), leaving.spread.sd, uncertain)
            ),
            &format!(
                "turnover: {}{}{}",
                rates.turnover.evidence(file),
                leaving.mean.explained(),
                self.spread_said(&leaving.spread)
            ),
        );
        out.key(
            "agency_annual_rate",
            AGENCY_ANNUAL_RATE,
            AGENCY_ANNUAL_RATE_WHY,
        );

        out.table("recruitment");
        let hire = &rates.hire;
        out.key(
            "hire_monthly_probability",
            beta_or_point(rates.hire(), hire.spread.sd, uncertain),
            &format!(
                "permanent starters a month per open vacancy: {}{}{}",
                rates.starters_per_open_vacancy.evidence(file),
                hire.mean.explained(),
                self.spread_said(&hire.spread)
            ),
        );
        out.key(
            "time_to_start_months",
            TIME_TO_START_MONTHS,
            TIME_TO_START_WHY,
        );

        out.table("agency");
        let cover_spread = rates.cover_probability.as_ref().map(Estimate::moderated_sd);
        out.key(
            "cover_monthly_probability",
            beta_or_point(rates.cover(), cover_spread.map_or(0.0, |m| m.sd), uncertain),
            &format!(
                "the monthly chance that an uncovered vacancy gets agency cover, so that the share covered\n\
                 settles at the published one: c (assignments ending + permanent filling) / (1 - c), with\n\
                 c = {} and the monthly hazards {} (agency_annual_rate) and {} (hire_monthly_probability);\n\
                 c is {}{}{}",
                rate(rates.covered.mean.value),
                rate(monthly_hazard(AGENCY_ANNUAL_RATE)),
                rate(rates.hire()),
                rates.cover_share.evidence(file),
                rates.covered.mean.explained(),
                rates.cover_probability.as_ref().map_or(String::new(), |e| format!(
                    "\n{}{}",
                    e.evidence(file),
                    self.spread_said(&cover_spread.expect("an estimate has a spread"))
                ))
            ),
        );
        out.key("cover_lag_months", COVER_LAG_MONTHS, COVER_LAG_WHY);
    }

    fn demand(&self, out: &mut TomlOut, stock: &Stock, rates: &Rates) {
        let demand = rates.demand();
        let (trend, trend_se) = (demand.trend / 12.0, demand.trend_se / 12.0);
        let noise = demand.noise.sd / 12f64.sqrt();
        // Written to five decimals: a spread that rounds to nothing is none.
        let spread = self.request.uncertain && (trend_se * 1e5).round() > 0.0;
        out.table("demand");
        out.key("open_cases", amount(stock.cases), &self.snapshot("cases"));
        out.key(
            "monthly_trend",
            if spread {
                format!("{{ dist = \"normal\", mean = {trend:.5}, sd = {trend_se:.5} }}")
            } else {
                format!("{trend:.5}")
            },
            &format!(
                "England's mean year-on-year change in log cases, per month: an area's own change over a few \
                 years is a poor guide to its next, England's a better one{}. Replace with the service's own \
                 plan: {}",
                if spread {
                    "; the standard error of that mean (the changes' sd over the square root of their number) as \
                     the spread"
                } else {
                    ""
                },
                rates
                    .england_cases
                    .as_ref()
                    .map_or(String::new(), |e| e.evidence(self.file))
            ),
        );
        out.key(
            "monthly_noise_sd",
            format!("{noise:.5}"),
            &format!(
                "the spread of the area's own year-on-year changes in log cases, as a monthly random walk's \
                 (sd / sqrt 12): {}: {}",
                demand.noise.explained(),
                rates.cases.evidence(self.file)
            ),
        );
        if let Some(caseload) = &rates.caseload {
            out.comment(&format!(
                "\nPublished average caseload, for comparison with average_caseload: {}",
                caseload.evidence(self.file)
            ));
        }
    }

    /// Posts created and cut: England's trend, the area's own noise moderated. An
    /// area's own change over a few years is a poor guide to its next (its
    /// change over 2019-2021 correlates at -0.3 with 2021-2025 across
    /// authorities), England's a better one (the README's backtests across
    /// England).
    fn establishment(&self, out: &mut TomlOut, rates: &Rates) {
        let england = rates
            .england_establishment
            .as_ref()
            .map_or_else(Vec::new, |e| log_changes(&e.values));
        let change = rates
            .establishment
            .as_ref()
            .map(Estimate::moderated_change_sd);
        let trend = Spread::of(&england).map_or(0.0, |s| s.mean / 12.0);
        let noise = change.map_or(0.0, |c| c.sd / 12f64.sqrt());
        if trend == 0.0 && noise == 0.0 {
            return;
        }
        let evidence =
            |e: &Option<Estimate>| e.as_ref().map_or(String::new(), |e| e.evidence(self.file));
        out.table("establishment");
        out.key(
            "monthly_trend",
            format!("{trend:.5}"),
            &format!(
                "England's mean year-on-year change in the log of its establishment, per month ({} changes): an \
                 area's own change over a few years is a poor guide to its next, England's a better one. Replace \
                 with the service's own plan: {}",
                england.len(),
                evidence(&rates.england_establishment)
            ),
        );
        out.key(
            "monthly_noise_sd",
            format!("{noise:.5}"),
            &format!(
                "the spread of the area's own year-on-year changes in the log of its establishment, as a monthly \
                 random walk's (sd / sqrt 12): {}: {}",
                change.map_or(String::new(), |c| c.explained()),
                evidence(&rates.establishment)
            ),
        );
    }

    /// What a probability's distribution takes as its sd, when the scenario
    /// is written with distributions.
    fn spread_said(&self, spread: &Moderated) -> String {
        if self.request.uncertain {
            format!("; as a distribution's sd, {}", spread.explained())
        } else {
            String::new()
        }
    }

    fn target(&self, out: &mut TomlOut) {
        out.table("targets.permanent_80");
        out.key("metric", string("permanent_share"), "");
        out.key("comparison", string(">="), "");
        out.key(
            "threshold",
            0.8,
            "a sustainable 80% permanent workforce (Slough's target; set your own)",
        );
        out.key(
            "by",
            string(
                &self
                    .start()
                    .plus(self.request.horizon_months - 1)
                    .to_string(),
            ),
            "the last month of the horizon",
        );
    }
}

fn list_years(years: &[u32]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
        (Some(a), _) => a.to_string(),
        _ => "none".to_string(),
    }
}

/// Parses `2017-2019` or `2019`.
pub fn parse_years(text: &str) -> Result<RangeInclusive<u32>, String> {
    let year = |t: &str| -> Result<u32, String> {
        t.trim()
            .parse::<u32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .ok_or_else(|| format!("`{t}` is not a year (YYYY)"))
    };
    let range = match text.split_once('-') {
        Some((a, b)) => year(a)?..=year(b)?,
        None => year(text)?..=year(text)?,
    };
    if range.start() > range.end() {
        return Err(format!("`{text}`: the first year is after the last"));
    }
    Ok(range)
}

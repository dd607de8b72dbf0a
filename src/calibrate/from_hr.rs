//! A scenario fragment from an HR extract: leaving hazards by length of
//! service (and by grade where numbers allow) with their intervals, the
//! workforce in post at the extract's date by grade and service band, and the
//! NQSW, progression and specialism figures the extract holds.
//!
//! Only aggregates leave: every published cell has at least five people
//! (bands are merged with a neighbour until it does, or it is suppressed),
//! and the fragment says which cells were merged or suppressed.

use std::collections::BTreeMap;

use super::hr::{Extract, Spell};
use super::life_table::{self, Cell, Employment, Group, MINIMUM_CELL, Window};
use super::toml_out::{TomlOut, amount, rate};
use crate::calendar::Month;
use crate::model::ServiceBands;
use crate::workforce::Contract;

/// The 95% interval's z.
const Z95: f64 = 1.959_963_984_540_054;

#[derive(Clone, Debug)]
pub struct Request {
    /// The extract's date: spells are followed to the end of the month before.
    pub as_of: Month,
    /// The first month followed (default: three years before `as_of`).
    pub from: Option<Month>,
    /// Length-of-service bands' lower bounds in years.
    pub bands_years: Vec<f64>,
    /// Write the hazards as beta distributions, so that runs carry their uncertainty.
    pub uncertain: bool,
}

/// The leaving estimates, merged for publication.
#[derive(Clone, Debug)]
pub struct Hazards {
    pub bands: ServiceBands,
    pub window: Window,
    /// All grades together; `None` when too few people to publish at all.
    pub overall: Option<Vec<Group>>,
    /// Per grade; `None` where the grade is suppressed.
    pub by_grade: Vec<Option<Vec<Group>>>,
    /// Agency assignments ending; `None` when too few to publish.
    pub agency: Option<Cell>,
}

impl Hazards {
    /// The group holding `band`.
    pub fn group_of(groups: &[Group], band: usize) -> &Group {
        groups
            .iter()
            .find(|g| g.bands.contains(&band))
            .expect("the groups cover every band")
    }
}

pub fn window(request: &Request) -> Window {
    Window {
        from: request.from.unwrap_or_else(|| request.as_of.minus(36)),
        as_of: request.as_of,
    }
}

pub fn hazards(extract: &Extract, request: &Request) -> Result<Hazards, String> {
    let bands =
        ServiceBands::from_years(&request.bands_years).map_err(|a| format!("--bands: {a}"))?;
    let window = window(request);
    if window.from >= window.as_of {
        return Err(format!(
            "--from {}: must be before --as-of {}",
            window.from, window.as_of
        ));
    }
    let employments = life_table::employments(extract);
    let cells = life_table::count(&employments, extract.grades.len(), &bands, window);
    let overall = life_table::merge_small(&life_table::all_grades(&cells));
    let by_grade = cells
        .iter()
        .map(|row| life_table::merge_small(row))
        .collect();
    let agency = Some(life_table::count_agency(&employments, window)).filter(Cell::publishable);
    Ok(Hazards {
        bands,
        window,
        overall,
        by_grade,
        agency,
    })
}

/// The fragment's text and what its reader should know.
#[derive(Clone, Debug)]
pub struct Calibrated {
    pub text: String,
    pub notes: Vec<String>,
    pub hazards: Hazards,
}

pub fn calibrate(extract: &Extract, request: &Request, file: &str) -> Result<Calibrated, String> {
    let hazards = hazards(extract, request)?;
    let employments = life_table::employments(extract);
    let window = hazards.window;
    let mut notes = Vec::new();
    let future = extract
        .spells
        .iter()
        .filter(|s| s.start_month() >= request.as_of)
        .count();
    if future > 0 {
        notes.push(format!(
            "{} spell{} starting in or after {} left out",
            small(future as u64),
            if future == 1 { "" } else { "s" },
            request.as_of
        ));
    }
    for (value, name) in &extract.renamed {
        notes.push(format!(
            "grade `{value}` written as `{name}`: a scenario's names are letters, digits, `_` \
             and `-` (the header file's [grades] chooses them)"
        ));
    }
    let mut out = TomlOut::default();
    out.comment(&format!(
        "A scenario fragment calibrated by `staffcast calibrate hr` from {file}, as of {}:\n\
         leaving followed from {} to {} (the window), the workforce in post at {}.\n\
         Aggregates only: any cell of fewer than {MINIMUM_CELL} people (at risk, or leaving) is merged\n\
         with a neighbouring band or suppressed, and the comments say which. Merge these tables\n\
         into a scenario: the [grades] tables need caseload_weight and establishment_fte.",
        request.as_of,
        window.from,
        window.as_of.minus(1),
        request.as_of
    ));
    write_workforce(
        &mut out,
        extract,
        &employments,
        &hazards.bands,
        request.as_of,
        &mut notes,
    );
    write_leaving(&mut out, extract, &hazards, request.uncertain, &mut notes);
    write_flows(&mut out, extract, &employments, window);
    if !notes.is_empty() {
        out.comment("\nNotes:");
        for n in &notes {
            out.comment(&format!("  {n}"));
        }
    }
    Ok(Calibrated {
        text: out.finish(),
        notes,
        hazards,
    })
}

/// A count for publication: itself from five, "fewer than 5" below.
fn small(n: u64) -> String {
    if n == 0 || n >= MINIMUM_CELL as u64 {
        n.to_string()
    } else {
        format!("fewer than {MINIMUM_CELL}")
    }
}

fn band_span(bands: &ServiceBands, groups: &std::ops::Range<usize>) -> String {
    let first = &bands.labels[groups.start];
    let last = &bands.labels[groups.end - 1];
    if groups.len() == 1 {
        format!("{first} years")
    } else {
        format!(
            "{}-{} years (bands {} merged: too few people apart)",
            first.split('-').next().unwrap_or(first),
            last.rsplit('-')
                .next()
                .unwrap_or(last)
                .trim_end_matches('+'),
            bands.labels[groups.clone()].join(", ")
        )
    }
}

/// One `annual_rate` array: each band's value with its group's evidence.
fn rates(groups: &[Group], bands: &ServiceBands, uncertain: bool) -> String {
    let mut text = String::from("[\n");
    for b in 0..bands.len() {
        let g = Hazards::group_of(groups, b);
        let c = &g.cell;
        let (r, lo, hi) = c.annual(Z95);
        let value = if uncertain {
            let (a, beta) = c.beta();
            format!("{{ dist = \"beta\", alpha = {a:.3}, beta = {beta:.3} }}")
        } else {
            rate(r)
        };
        text.push_str(&format!(
            "  {value},  # {}: {} leavers in {} months at risk ({} people); {} a year, 95% CI {}-{}\n",
            band_span(bands, &g.bands),
            small(c.leavers),
            c.months,
            c.people.len(),
            rate(r),
            rate(lo),
            rate(hi)
        ));
    }
    text.push(']');
    text
}

fn write_leaving(
    out: &mut TomlOut,
    extract: &Extract,
    hazards: &Hazards,
    uncertain: bool,
    notes: &mut Vec<String>,
) {
    out.table("leaving");
    let years: Vec<String> = hazards
        .bands
        .labels
        .iter()
        .map(|l| {
            l.split('-')
                .next()
                .unwrap_or(l)
                .trim_end_matches('+')
                .to_string()
        })
        .collect();
    out.key("bands_years", format!("[{}]", years.join(", ")), "");
    let Some(overall) = &hazards.overall else {
        notes.push(format!(
            "leaving rates suppressed: fewer than {MINIMUM_CELL} people in the whole window"
        ));
        out.comment("annual_rate suppressed: too few people to publish");
        return;
    };
    out.key(
        "annual_rate",
        rates(overall, &hazards.bands, uncertain),
        &format!(
            "permanent staff, all grades: leavers / months at risk (a life table: people still in post\n\
             are censored at the extract, people in post before the window enter at its start),\n\
             compounded to a year; the interval is Wilson's on the monthly hazard{}",
            if uncertain {
                "; written as beta distributions with the estimate's mean and variance (Jeffreys prior, delta method)"
            } else {
                ""
            }
        ),
    );
    match &hazards.agency {
        Some(c) => {
            let (r, lo, hi) = c.annual(Z95);
            let value = if uncertain {
                let (a, b) = c.beta();
                format!("{{ dist = \"beta\", alpha = {a:.3}, beta = {b:.3} }}")
            } else {
                rate(r)
            };
            out.key(
                "agency_annual_rate",
                value,
                &format!(
                    "agency assignments ending (a conversion to a permanent post is not an ending): {} endings in {} months at risk ({} people); 95% CI {}-{}",
                    c.leavers,
                    c.months,
                    c.people.len(),
                    rate(lo),
                    rate(hi)
                ),
            );
        }
        None => {
            notes.push(format!(
                "agency_annual_rate suppressed: fewer than {MINIMUM_CELL} agency workers or endings"
            ));
            out.comment("agency_annual_rate suppressed: too few agency workers to publish");
        }
    }
    if extract.grades.len() < 2 {
        return;
    }
    for (g, groups) in hazards.by_grade.iter().enumerate() {
        let name = &extract.grades[g];
        match groups {
            Some(groups) => {
                out.table(&format!("leaving.by_grade.{name}"));
                out.key(
                    "annual_rate",
                    rates(groups, &hazards.bands, uncertain),
                    &format!("permanent {name}s only, as above"),
                );
            }
            None => notes.push(format!(
                "{name}: no leaving rates of its own (fewer than {MINIMUM_CELL} people or leavers); the all-grades rates apply"
            )),
        }
    }
}

/// The workforce in post at `as_of`, by grade, contract and service band.
fn write_workforce(
    out: &mut TomlOut,
    extract: &Extract,
    employments: &[Employment<'_>],
    bands: &ServiceBands,
    as_of: Month,
    notes: &mut Vec<String>,
) {
    for (g, name) in extract.grades.iter().enumerate() {
        let in_post = InPost::count(employments, g, bands, as_of);
        out.table(&format!("grades.{name}"));
        in_post.write(out, name, &extract.specialisms, bands, as_of, notes);
    }
}

/// One grade's people in post at a month.
struct InPost {
    /// Headcount and FTE by contract.
    heads: [u64; 2],
    fte: [f64; 2],
    /// Permanent staff by service band.
    by_band: Vec<Cell>,
    /// Permanent staff's months from qualifying to starting, where known.
    qualified_at_hire: Vec<i64>,
    /// Permanent holders of each specialism.
    specialists: BTreeMap<usize, u64>,
}

impl InPost {
    /// Grade `g`'s spells in post in the month before `as_of`.
    fn count(
        employments: &[Employment<'_>],
        g: usize,
        bands: &ServiceBands,
        as_of: Month,
    ) -> InPost {
        let mut in_post = InPost {
            heads: [0; 2],
            fte: [0.0; 2],
            by_band: vec![Cell::default(); bands.len()],
            qualified_at_hire: Vec::new(),
            specialists: BTreeMap::new(),
        };
        for e in employments {
            let Some(spell) = e.spell_in(as_of.minus(1)) else {
                continue;
            };
            if spell.grade != g {
                continue;
            }
            let c = e.contract() as usize;
            in_post.heads[c] += 1;
            in_post.fte[c] += spell.fte;
            if e.contract() == Contract::Permanent {
                let service = as_of.months_since(e.start());
                let cell = &mut in_post.by_band[bands.band_of(service as u32)];
                cell.people.push(spell.person);
                if let Some(q) = e.spells[0].qualified {
                    in_post
                        .qualified_at_hire
                        .push(e.start().months_since(q.month()).max(0));
                }
                for &(s, gained) in &spell.specialisms {
                    if gained.is_none_or(|d| d.month() < as_of) {
                        *in_post.specialists.entry(s).or_default() += 1;
                    }
                }
            }
        }
        in_post
    }

    /// The grade's table's keys, each cell of fewer than five people
    /// suppressed (with a note).
    fn write(
        mut self,
        out: &mut TomlOut,
        name: &str,
        specialisms: &[String],
        bands: &ServiceBands,
        as_of: Month,
        notes: &mut Vec<String>,
    ) {
        for (contract, key) in [
            (Contract::Permanent, "permanent"),
            (Contract::Agency, "agency"),
        ] {
            let (h, f) = (self.heads[contract as usize], self.fte[contract as usize]);
            if h == 0 {
                continue;
            }
            if h < MINIMUM_CELL as u64 {
                out.comment(&format!(
                    "{key}: fewer than {MINIMUM_CELL} in post, suppressed"
                ));
                notes.push(format!(
                    "{name}: {key} staff in post suppressed (fewer than {MINIMUM_CELL})"
                ));
                continue;
            }
            out.key(
                key,
                format!("{{ headcount = {h}, fte = {} }}", amount(f)),
                &format!("{key} spells in post at {as_of}"),
            );
        }
        let permanent = self.heads[Contract::Permanent as usize];
        if permanent >= MINIMUM_CELL as u64 {
            write_service_mix(out, bands, &self.by_band, permanent);
        }
        if self.qualified_at_hire.len() >= MINIMUM_CELL {
            self.qualified_at_hire.sort_unstable();
            let median = self.qualified_at_hire[self.qualified_at_hire.len() / 2];
            out.key(
                "months_qualified_at_hire",
                median,
                &format!(
                    "median months from qualifying to starting here, of the {} permanent staff in post with a qualification date",
                    self.qualified_at_hire.len()
                ),
            );
        }
        let held: Vec<String> = self
            .specialists
            .iter()
            .filter(|(_, n)| **n >= MINIMUM_CELL as u64)
            .map(|(s, n)| format!("{} = {n}", specialisms[*s]))
            .collect();
        if self.specialists.values().any(|n| *n < MINIMUM_CELL as u64) {
            notes.push(format!(
                "{name}: specialisms held by fewer than {MINIMUM_CELL} people are suppressed"
            ));
        }
        if !held.is_empty() {
            out.key(
                "specialists",
                format!("{{ {} }}", held.join(", ")),
                &format!("permanent staff holding each specialism at {as_of}"),
            );
        }
    }
}

/// `service_mix` as shares, bands with fewer than five people merged with a
/// neighbour and the group shared evenly across its bands.
fn write_service_mix(out: &mut TomlOut, bands: &ServiceBands, by_band: &[Cell], total: u64) {
    let mut groups: Vec<(std::ops::Range<usize>, u64)> = by_band
        .iter()
        .enumerate()
        .map(|(b, c)| (b..b + 1, c.people.len() as u64))
        .collect();
    while let Some(i) = groups
        .iter()
        .position(|(_, n)| *n > 0 && *n < MINIMUM_CELL as u64)
    {
        let (keep, gone) = if i + 1 < groups.len() {
            (i, i + 1)
        } else {
            (i - 1, i)
        };
        let (span, n) = groups.remove(gone);
        groups[keep].0.end = span.end;
        groups[keep].1 += n;
    }
    let mut shares = vec![0.0; bands.len()];
    let mut why = Vec::new();
    for (span, n) in &groups {
        let share = *n as f64 / total as f64 / span.len() as f64;
        for b in span.clone() {
            shares[b] = share;
        }
        why.push(format!("{}: {n}", band_span(bands, span)));
    }
    let text: Vec<String> = shares.iter().map(|s| format!("{s:.4}")).collect();
    out.key(
        "service_mix",
        format!("[{}]", text.join(", ")),
        &format!(
            "permanent staff in post by length of service here (shares; merged bands share their group evenly):\n{}",
            why.join("; ")
        ),
    );
}

/// NQSW starters, progression and leaving reasons in the window, as comments.
fn write_flows(
    out: &mut TomlOut,
    extract: &Extract,
    employments: &[Employment<'_>],
    window: Window,
) {
    let in_window = |m: Month| m >= window.from && m < window.as_of;
    let years = window.as_of.months_since(window.from) as f64 / 12.0;
    let mut nqsw = 0u64;
    let mut experienced = 0u64;
    let mut promotions: BTreeMap<(usize, usize), Vec<i64>> = BTreeMap::new();
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    for e in employments
        .iter()
        .filter(|e| e.contract() == Contract::Permanent)
    {
        if in_window(e.start()) {
            match e.spells[0].qualified {
                Some(q) if e.start().months_since(q.month()) < 12 => nqsw += 1,
                Some(_) => experienced += 1,
                None => {}
            }
        }
        for pair in e.spells.windows(2) {
            let (a, b): (&Spell, &Spell) = (pair[0], pair[1]);
            if a.grade != b.grade && in_window(b.start_month()) {
                promotions
                    .entry((a.grade, b.grade))
                    .or_default()
                    .push(b.start_month().months_since(a.start_month()));
            }
        }
        if e.exit().is_some_and(in_window) {
            let reason = e.spells.last().map_or("", |s| s.reason.as_str());
            let reason = if reason.is_empty() {
                "not given"
            } else {
                reason
            };
            *reasons.entry(reason.to_string()).or_default() += 1;
        }
    }
    let mut text = format!(
        "\nFlows in the window ({:.1} years), for the pipeline and progression tables:\n",
        years
    );
    text.push_str(&format!(
        "  permanent starters within a year of qualifying (NQSWs): {} ({} a year); with longer experience: {}\n",
        small(nqsw),
        if nqsw >= MINIMUM_CELL as u64 {
            format!("{:.1}", nqsw as f64 / years)
        } else {
            "-".to_string()
        },
        small(experienced)
    ));
    for ((from, to), months) in &mut promotions {
        months.sort_unstable();
        let n = months.len() as u64;
        text.push_str(&format!(
            "  {} to {}: {} moves{}\n",
            extract.grades[*from],
            extract.grades[*to],
            small(n),
            if n >= MINIMUM_CELL as u64 {
                format!(
                    ", a median of {} months in the earlier grade",
                    months[months.len() / 2]
                )
            } else {
                String::new()
            }
        ));
    }
    let mut other = 0;
    for (reason, n) in &reasons {
        if *n >= MINIMUM_CELL as u64 {
            text.push_str(&format!("  leavers, {reason}: {n}\n"));
        } else {
            other += n;
        }
    }
    if other > 0 {
        text.push_str(&format!(
            "  leavers for reasons fewer than {MINIMUM_CELL} gave each: {}\n",
            small(other)
        ));
    }
    out.comment(&text);
}

//! Leaving hazards from employment spells: a discrete-time life table.
//!
//! Each permanent employment (a person's contiguous permanent spells, across
//! grade changes) is followed month by month through the observation window.
//! A month at risk is counted in the length-of-service band and grade the
//! person had in it; the month they leave counts as a leaving. So censoring
//! (still in post at the extract) and late entry (in post before the window
//! opens) are both handled: only months inside the window, while in post,
//! count. The monthly hazard's estimate is leavers / months at risk, the
//! maximum-likelihood estimate when, as in the simulation, each month is a
//! Bernoulli trial with the band's hazard; its interval is Wilson's.

use std::ops::Range;

use super::hr::{Extract, Spell};
use crate::calendar::Month;
use crate::workforce::Contract;

/// The months followed: from `from` to the month before `as_of`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from: Month,
    pub as_of: Month,
}

/// Months at risk, leavers and the people behind them, for one grade and band.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    pub months: u64,
    pub leavers: u64,
    /// The people who contributed, sorted, without repeats.
    pub people: Vec<usize>,
}

impl Cell {
    fn add(&mut self, other: &Cell) {
        self.months += other.months;
        self.leavers += other.leavers;
        self.people.extend_from_slice(&other.people);
        self.people.sort_unstable();
        self.people.dedup();
    }

    /// The monthly hazard's estimate.
    pub fn monthly(&self) -> f64 {
        if self.months == 0 {
            0.0
        } else {
            self.leavers as f64 / self.months as f64
        }
    }

    /// The annual rate (the scenario's `annual_rate`) and its interval at `z`.
    pub fn annual(&self, z: f64) -> (f64, f64, f64) {
        let (lo, hi) = crate::stats::wilson(self.leavers, self.months, z);
        (annualize(self.monthly()), annualize(lo), annualize(hi))
    }

    /// A beta distribution for the annual rate with the mean and variance of
    /// the monthly hazard's posterior (Jeffreys prior) carried through
    /// `1 - (1 - q)^12` by the delta method.
    pub fn beta(&self) -> (f64, f64) {
        let a = self.leavers as f64 + 0.5;
        let b = (self.months - self.leavers) as f64 + 0.5;
        let q = a / (a + b);
        let var_q = a * b / ((a + b).powi(2) * (a + b + 1.0));
        let mean = annualize(q);
        let var = (12.0 * (1.0 - q).powi(11)).powi(2) * var_q;
        let common = (mean * (1.0 - mean) / var - 1.0).max(1e-6);
        (mean * common, (1.0 - mean) * common)
    }

    /// Whether the cell may be published: at least `MINIMUM_CELL` people, and
    /// either no leavers or at least `MINIMUM_CELL` of them.
    pub fn publishable(&self) -> bool {
        self.people.len() >= MINIMUM_CELL
            && (self.leavers == 0 || self.leavers >= MINIMUM_CELL as u64)
    }
}

/// The smallest number of people an output may describe.
pub const MINIMUM_CELL: usize = 5;

pub fn annualize(monthly: f64) -> f64 {
    1.0 - (1.0 - monthly).powi(12)
}

/// Bands merged until each may be published.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub bands: Range<usize>,
    pub cell: Cell,
}

/// Merges each unpublishable band with its neighbour (the next band, or the
/// one before for the last) until every group may be published; `None` when
/// even all bands together may not be.
pub fn merge_small(cells: &[Cell]) -> Option<Vec<Group>> {
    let mut groups: Vec<Group> = cells
        .iter()
        .enumerate()
        .map(|(b, c)| Group {
            bands: b..b + 1,
            cell: c.clone(),
        })
        .collect();
    while let Some(i) = groups.iter().position(|g| !g.cell.publishable()) {
        if groups.len() == 1 {
            return None;
        }
        let (keep, gone) = if i + 1 < groups.len() {
            (i, i + 1)
        } else {
            (i - 1, i)
        };
        let merged = groups.remove(gone);
        groups[keep].bands.end = merged.bands.end;
        groups[keep].cell.add(&merged.cell);
    }
    Some(groups)
}

/// A person's contiguous spells of one contract, in order.
#[derive(Clone, Debug)]
pub struct Employment<'a> {
    pub spells: Vec<&'a Spell>,
}

impl Employment<'_> {
    pub fn start(&self) -> Month {
        self.spells[0].start_month()
    }

    pub fn exit(&self) -> Option<Month> {
        self.spells.last().and_then(|s| s.exit_month())
    }

    pub fn contract(&self) -> Contract {
        self.spells[0].contract
    }

    /// The spell in post during `month`, if any.
    pub fn spell_in(&self, month: Month) -> Option<&Spell> {
        self.spells
            .iter()
            .copied()
            .find(|s| s.start_month() <= month && s.exit_month().is_none_or(|x| month < x))
    }
}

/// Chains each person's spells into employments: a spell that starts in the
/// month the last one ended, on the same contract, continues it (a change of
/// grade or hours, not a new job).
pub fn employments(extract: &Extract) -> Vec<Employment<'_>> {
    let mut order: Vec<&Spell> = extract.spells.iter().collect();
    order.sort_by_key(|s| (s.person, s.start, s.row));
    let mut out: Vec<Employment> = Vec::new();
    for spell in order {
        if let Some(last) = out.last_mut() {
            let prev = last.spells[last.spells.len() - 1];
            if prev.person == spell.person
                && prev.contract == spell.contract
                && prev.exit_month() == Some(spell.start_month())
            {
                last.spells.push(spell);
                continue;
            }
        }
        out.push(Employment {
            spells: vec![spell],
        });
    }
    out
}

/// Months at risk and leavers by grade and band: `[grade][band]`.
pub fn count(
    employments: &[Employment<'_>],
    grades: usize,
    bands: &crate::model::ServiceBands,
    window: Window,
) -> Vec<Vec<Cell>> {
    let mut cells = vec![vec![Cell::default(); bands.len()]; grades];
    for e in employments
        .iter()
        .filter(|e| e.contract() == Contract::Permanent)
    {
        let start = e.start();
        let person = e.spells[0].person;
        // A leaving before the extract is seen; a later one is not yet.
        let left = e.exit().filter(|&x| x < window.as_of);
        let mut add = |service: i64, leaves: bool, grade: usize| {
            let cell = &mut cells[grade][bands.band_of(service as u32)];
            cell.months += 1;
            cell.leavers += u64::from(leaves);
            if cell.people.last() != Some(&person) {
                cell.people.push(person);
            }
        };
        if left == Some(start) {
            // Left within the month they started: one month at risk, at no service.
            if start >= window.from {
                add(0, true, e.spells[0].grade);
            }
            continue;
        }
        // The first month at risk is the one after the start, as in the simulation.
        let mut t = start.plus(1).max(window.from);
        let stop = left.map_or(window.as_of, |x| x.plus(1));
        while t < stop {
            let grade = e
                .spell_in(t.minus(1))
                .map_or(e.spells[0].grade, |s| s.grade);
            add(t.months_since(start), Some(t) == left, grade);
            t = t.plus(1);
        }
    }
    for row in &mut cells {
        for cell in row {
            cell.people.sort_unstable();
            cell.people.dedup();
        }
    }
    cells
}

/// Months at risk and endings of agency assignments. An assignment that
/// becomes a permanent post the same month (a conversion) is not an ending:
/// it is censored there.
pub fn count_agency(employments: &[Employment<'_>], window: Window) -> Cell {
    let converted: std::collections::HashSet<(usize, Month)> = employments
        .iter()
        .filter(|e| e.contract() == Contract::Permanent)
        .map(|e| (e.spells[0].person, e.start()))
        .collect();
    let mut cell = Cell::default();
    for e in employments
        .iter()
        .filter(|e| e.contract() == Contract::Agency)
    {
        let (person, start) = (e.spells[0].person, e.start());
        let seen_exit = e.exit().filter(|&x| x < window.as_of);
        // At risk from the month after the start to the month of the exit.
        let (first, stop) = match seen_exit {
            Some(x) if x == start => (start, x.plus(1)),
            Some(x) => (start.plus(1), x.plus(1)),
            None => (start.plus(1), window.as_of),
        };
        let months = stop.months_since(first.max(window.from));
        if months <= 0 {
            continue;
        }
        cell.months += months as u64;
        cell.leavers += u64::from(seen_exit.is_some_and(|x| !converted.contains(&(person, x))));
        cell.people.push(person);
    }
    cell.people.sort_unstable();
    cell.people.dedup();
    cell
}

/// Adds up a table's grades: the all-grades row.
pub fn all_grades(cells: &[Vec<Cell>]) -> Vec<Cell> {
    let bands = cells.first().map_or(0, Vec::len);
    (0..bands)
        .map(|b| {
            let mut total = Cell::default();
            for row in cells {
                total.add(&row[b]);
            }
            total
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(people: usize, leavers: u64, months: u64) -> Cell {
        // Distinct people in every cell made here.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let first = NEXT.fetch_add(people, std::sync::atomic::Ordering::Relaxed);
        Cell {
            months,
            leavers,
            people: (first..first + people).collect(),
        }
    }

    #[test]
    fn annual_rate_compounds_the_monthly_hazard() {
        let c = cell(100, 12, 1200);
        let (rate, lo, hi) = c.annual(1.96);
        assert!((rate - (1.0 - 0.99f64.powi(12))).abs() < 1e-12);
        assert!(lo < rate && rate < hi);
    }

    #[test]
    fn small_cells_merge_with_a_neighbour() {
        let cells = vec![
            cell(50, 10, 500),
            cell(3, 1, 30),
            cell(40, 6, 400),
            cell(2, 0, 10),
        ];
        let groups = merge_small(&cells).unwrap();
        let spans: Vec<Range<usize>> = groups.iter().map(|g| g.bands.clone()).collect();
        assert_eq!(spans, vec![0..1, 1..4]);
        assert!(groups.iter().all(|g| g.cell.publishable()));
        assert_eq!(groups.iter().map(|g| g.cell.months).sum::<u64>(), 940);
        assert!(merge_small(&[cell(3, 0, 30), cell(1, 0, 5)]).is_none());
    }

    fn extract(rows: &[&str]) -> Extract {
        let text = format!(
            "person_id,start_date,end_date,grade,fte,contract\n{}\n",
            rows.join("\n")
        );
        Extract::parse(
            text.as_bytes(),
            std::path::Path::new("t.csv"),
            &super::super::hr::Mapping::default(),
        )
        .unwrap()
    }

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    #[test]
    fn months_at_risk_follow_the_person_through_grades_and_the_window() {
        // A joins in January 2020, is promoted from July 2020, leaves in
        // (is gone from) March 2021. B joined long before the window and is
        // still in post. C converts from agency to permanent in June 2020.
        let e = extract(&[
            "A,2020-01-01,2020-06-30,sw,1,permanent",
            "A,2020-07-01,2021-02-28,senior,1,permanent",
            "B,2010-01-01,,sw,1,permanent",
            "C,2020-01-01,2020-05-31,sw,1,agency",
            "C,2020-06-01,,sw,1,permanent",
        ]);
        let employments = employments(&e);
        assert_eq!(employments.len(), 4, "A's two spells are one employment");
        let bands = crate::model::ServiceBands::from_years(&[0.0, 1.0, 5.0]).unwrap();
        let window = Window {
            from: month("2020-01"),
            as_of: month("2021-07"),
        };
        let cells = count(&employments, e.grades.len(), &bands, window);
        let (sw, senior) = (0, 1);
        // A: at risk February-July 2020 as sw (months 1-6 of service; July's
        // check comes before the promotion), then as senior August-December
        // 2020 in band 0 (months 7-11) and January-March 2021 in band 1
        // (months 12-14), leaving in March.
        assert_eq!(cells[senior][0].months, 5);
        assert_eq!(cells[senior][1].months, 3);
        assert_eq!(cells[senior][1].leavers, 1);
        // B: January 2020 to June 2021, 18 months in band 2, censored.
        assert_eq!(cells[sw][2].months, 18);
        assert_eq!(cells[sw][2].leavers, 0);
        // A's 6 sw months and C's permanent July 2020-June 2021 (months 1-12:
        // 11 in band 0, 1 in band 1).
        assert_eq!(cells[sw][0].months, 6 + 11);
        assert_eq!(cells[sw][1].months, 1);
        // C's agency spell: at risk February-June; June's move to a
        // permanent post is a conversion, not an ending.
        let agency = count_agency(&employments, window);
        assert_eq!((agency.months, agency.leavers), (5, 0));
    }

    #[test]
    fn beta_matches_the_estimate() {
        let c = cell(500, 120, 6000);
        let (a, b) = c.beta();
        let mean = a / (a + b);
        assert!((mean - c.annual(1.96).0).abs() < 0.002, "{mean}");
    }
}

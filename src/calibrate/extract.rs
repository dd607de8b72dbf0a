//! One replication's people as an HR extract, in the format `calibrate hr`
//! reads: a spell per person, contract and grade, dated by month.
//!
//! A spell that starts in month `t` starts on the 1st; one whose person is
//! no longer in it from month `x` ends on the last day of the month before.
//! So a leaving in the simulation's month `x` reads back as a leaving in
//! month `x`, and a change of grade as two contiguous spells. Staff in post
//! at the start with no service who move in the first month (an agency
//! worker converted, a change of grade) end their first spell on its first
//! day, and their next starts the day after: one person's spells never
//! overlap, which `calibrate hr` checks.

use std::collections::HashMap;
use std::fmt::Write;

use super::hr::{Date, Field};
use crate::calendar::Month;
use crate::model::Model;
use crate::sim::{Observer, State};
use crate::workforce::Contract;

#[derive(Clone, Debug)]
struct Open {
    person: usize,
    start: Month,
    grade: u8,
    contract: Contract,
    fte: f64,
    qualified: Month,
    specialisms: u16,
}

/// A spell as written.
#[derive(Clone, Debug)]
struct Row {
    spell: Open,
    exit: Option<Month>,
    reason: &'static str,
}

struct Recorder<'a> {
    model: &'a Model,
    open: HashMap<u64, Open>,
    people: HashMap<u64, usize>,
    rows: Vec<Row>,
}

impl Recorder<'_> {
    /// Opens a spell for everyone in post without one, from `month`.
    fn open_new(&mut self, state: &State, month: Month, first: bool) {
        let wf = &state.workforce;
        let columns = wf.columns();
        for i in 0..wf.len() {
            let id = wf.id[i];
            if self.open.contains_key(&id) {
                continue;
            }
            let next = self.people.len();
            let person = *self.people.entry(id).or_insert(next);
            // Staff in post at the start joined before it, by their service.
            let start = if first {
                month.minus(wf.months_service[i])
            } else {
                month
            };
            self.open.insert(
                id,
                Open {
                    person,
                    start,
                    grade: columns.grade[i],
                    contract: columns.contract[i],
                    fte: columns.fte[i],
                    qualified: month.minus(wf.months_qualified[i]),
                    specialisms: columns.specialisms[i],
                },
            );
        }
    }
}

impl Observer for Recorder<'_> {
    fn start(&mut self, state: &State) {
        self.open_new(state, self.model.start, true);
    }

    fn month(&mut self, t: usize, state: &mut State) {
        let month = self.model.month(t);
        let changes = state
            .workforce
            .history
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default();
        for change in changes {
            if let Some(spell) = self.open.remove(&change.id) {
                self.rows.push(Row {
                    spell,
                    exit: Some(month),
                    reason: change.reason.map_or("grade_change", |r| r.name()),
                });
            }
        }
        self.open_new(state, month, false);
    }
}

/// The HR extract of replication `replication` of `model` at `seed`, as at
/// the month after the horizon.
pub fn simulate(model: &Model, seed: u64, replication: u64) -> Result<String, String> {
    let mut recorder = Recorder {
        model,
        open: HashMap::new(),
        people: HashMap::new(),
        rows: Vec::new(),
    };
    crate::sim::run_observed(model, seed, replication, Some(&mut recorder))
        .map_err(|e| e.to_string())?;
    let mut rows = recorder.rows;
    let mut still: Vec<Open> = recorder.open.into_values().collect();
    still.sort_by_key(|s| (s.person, s.start));
    rows.extend(still.into_iter().map(|spell| Row {
        spell,
        exit: None,
        reason: "",
    }));
    // A person's spells in order: of two from the same month, the one that
    // ended first (an open one, `None`, last).
    rows.sort_by_key(|r| (r.spell.person, r.spell.start, r.exit.is_none(), r.exit));
    Ok(render(model, &rows))
}

fn render(model: &Model, rows: &[Row]) -> String {
    let header: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    let mut out = header.join(",");
    out.push('\n');
    // The end of the spell before, and whose it was.
    let mut before: Option<(usize, Date)> = None;
    for r in rows {
        let s = &r.spell;
        let start = match before {
            Some((person, end)) if person == s.person && end >= Date::first_of(s.start) => {
                end.day_after()
            }
            _ => Date::first_of(s.start),
        };
        let end = r.exit.map(|x| end_date(s.start, x));
        before = end.map(|end| (s.person, end));
        let specialisms: Vec<&str> = model
            .careers
            .specialisms
            .iter()
            .enumerate()
            .filter(|(i, _)| s.specialisms & (1 << i) != 0)
            .map(|(_, sp)| sp.name.as_str())
            .collect();
        let _ = writeln!(
            out,
            "P{:06},{},{},{},{},{},{},{},{}",
            s.person + 1,
            start,
            end.map_or(String::new(), |end| end.to_string()),
            r.reason,
            model.grades[usize::from(s.grade)].name,
            format_fte(s.fte),
            s.contract.name(),
            Date::first_of(s.qualified),
            specialisms.join(";")
        );
    }
    out
}

/// The last day in post of a spell whose person is gone from month `exit`;
/// one gone in the month it started (staff in post at the start who leave
/// in the first month) ends on its first day.
fn end_date(start: Month, exit: Month) -> Date {
    if exit <= start {
        Date::first_of(start)
    } else {
        Date::last_of(exit.minus(1))
    }
}

fn format_fte(fte: f64) -> String {
    let text = format!("{fte:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

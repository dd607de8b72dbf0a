//! Reading a positioned TOML tree into typed values, collecting every problem
//! instead of stopping at the first.

use std::cell::{Cell, RefCell};

use super::document::{Node, Position, Table, Value};
use super::error::Problem;
use crate::calendar::Month;
use crate::param::{Dist, Param, Spec};

/// Where problems are collected while a scenario is read.
#[derive(Default)]
pub struct Problems {
    list: RefCell<Vec<Problem>>,
    /// The start month is missing or not a month: the model is still read,
    /// against a stand-in start, so that its other problems are reported,
    /// but nothing is checked against the start.
    start_unknown: Cell<bool>,
}

impl Problems {
    pub fn report(&self, at: Position, path: &str, found: Option<String>, allowed: String) {
        self.list.borrow_mut().push(Problem {
            at,
            path: path.to_string(),
            variant: None,
            found,
            allowed,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.list.borrow().is_empty()
    }

    pub fn set_start_unknown(&self) {
        self.start_unknown.set(true);
    }

    /// Whether checks against the start month are to be left out.
    pub fn start_unknown(&self) -> bool {
        self.start_unknown.get()
    }

    pub fn snapshot(&self) -> Vec<Problem> {
        self.list.borrow().clone()
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.list.into_inner()
    }
}

/// What values a number may take.
#[derive(Clone, Copy, Debug)]
pub enum Bound {
    /// A probability or a rate: between 0 and 1.
    Unit,
    NonNegative,
    Positive,
    Any,
}

impl Bound {
    fn admits(self, x: f64) -> bool {
        x.is_finite()
            && match self {
                Bound::Unit => (0.0..=1.0).contains(&x),
                Bound::NonNegative => x >= 0.0,
                Bound::Positive => x > 0.0,
                Bound::Any => true,
            }
    }

    fn describe(self) -> &'static str {
        match self {
            Bound::Unit => "a number from 0 to 1",
            Bound::NonNegative => "a number of 0 or more",
            Bound::Positive => "a number greater than 0",
            Bound::Any => "a finite number",
        }
    }

    /// Whether a distribution's whole support lies inside the bound, so that no
    /// draw can ever fall outside it.
    fn admits_dist(self, dist: &Dist) -> bool {
        let (low, high) = dist.support();
        match self {
            Bound::Any => true,
            Bound::Unit => low >= 0.0 && high <= 1.0,
            Bound::NonNegative => low >= 0.0,
            Bound::Positive => low > 0.0 || matches!(dist, Dist::LogNormal { .. }),
        }
    }
}

/// Reads one table, remembering which keys were asked for so that any other
/// key can be reported as unknown.
pub struct TableReader<'a> {
    table: &'a Table,
    path: String,
    at: Position,
    known: RefCell<Vec<&'static str>>,
    problems: &'a Problems,
}

impl<'a> TableReader<'a> {
    pub fn new(table: &'a Table, path: &str, at: Position, problems: &'a Problems) -> Self {
        TableReader {
            table,
            path: path.to_string(),
            at,
            known: RefCell::new(Vec::new()),
            problems,
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn problems(&self) -> &'a Problems {
        self.problems
    }

    pub fn key_path(&self, key: &str) -> String {
        let key = if key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-[]".contains(c))
        {
            key.to_string()
        } else {
            format!("{key:?}")
        };
        if self.path.is_empty() {
            key
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The table being read.
    pub fn table_ref(&self) -> &'a Table {
        self.table
    }

    /// Where `key` is written, or where this table starts if it is absent.
    pub fn node_at(&self, key: &str) -> Position {
        self.table.get(key).map_or(self.at, |e| e.key_at)
    }

    /// The node under `key`, if present; `key` becomes a known key.
    pub fn node(&self, key: &'static str) -> Option<&'a Node> {
        self.known.borrow_mut().push(key);
        self.table.get(key).map(|e| &e.node)
    }

    pub fn contains(&self, key: &'static str) -> bool {
        self.node(key).is_some()
    }

    /// Reports a missing required key.
    pub fn missing(&self, key: &str, allowed: &str) {
        self.problems.report(
            self.at,
            &self.key_path(key),
            None,
            format!("this key is required: {allowed}"),
        );
    }

    pub fn wrong(&self, node: &Node, key: &str, allowed: impl Into<String>) {
        self.problems.report(
            node.at,
            &self.key_path(key),
            Some(node.describe()),
            allowed.into(),
        );
    }

    fn required<T>(
        &self,
        key: &'static str,
        allowed: &str,
        read: impl FnOnce(&'a Node) -> Option<T>,
    ) -> Option<T> {
        match self.node(key) {
            None => {
                self.missing(key, allowed);
                None
            }
            Some(node) => read(node),
        }
    }

    pub fn number(&self, key: &'static str, bound: Bound) -> Option<f64> {
        self.required(key, bound.describe(), |n| self.number_node(n, key, bound))
    }

    pub fn number_or(&self, key: &'static str, bound: Bound, default: f64) -> Option<f64> {
        match self.node(key) {
            None => Some(default),
            Some(n) => self.number_node(n, key, bound),
        }
    }

    pub fn number_node(&self, node: &Node, key: &str, bound: Bound) -> Option<f64> {
        match node.as_f64() {
            Some(x) if bound.admits(x) => Some(x),
            _ => {
                self.wrong(node, key, bound.describe());
                None
            }
        }
    }

    pub fn integer(&self, key: &'static str, low: i64, high: i64) -> Option<i64> {
        self.required(key, &whole_numbers(low, high), |n| {
            self.integer_node(n, key, low, high)
        })
    }

    pub fn integer_or(&self, key: &'static str, low: i64, high: i64, default: i64) -> Option<i64> {
        match self.node(key) {
            None => Some(default),
            Some(n) => self.integer_node(n, key, low, high),
        }
    }

    fn integer_node(&self, node: &Node, key: &str, low: i64, high: i64) -> Option<i64> {
        match node.value {
            Value::Integer(i) if (low..=high).contains(&i) => Some(i),
            _ => {
                self.wrong(node, key, whole_numbers(low, high));
                None
            }
        }
    }

    pub fn string(&self, key: &'static str) -> Option<&'a str> {
        self.required(key, "a string", |n| self.string_node(n, key))
    }

    pub fn string_or(&self, key: &'static str, default: &'a str) -> Option<&'a str> {
        match self.node(key) {
            None => Some(default),
            Some(n) => self.string_node(n, key),
        }
    }

    fn string_node(&self, node: &'a Node, key: &str) -> Option<&'a str> {
        match &node.value {
            Value::String(s) => Some(s),
            _ => {
                self.wrong(node, key, "a string in quotes");
                None
            }
        }
    }

    pub fn boolean_or(&self, key: &'static str, default: bool) -> Option<bool> {
        match self.node(key) {
            None => Some(default),
            Some(node) => match node.value {
                Value::Bool(b) => Some(b),
                _ => {
                    self.wrong(node, key, "true or false");
                    None
                }
            },
        }
    }

    pub fn month(&self, key: &'static str) -> Option<Month> {
        self.required(key, "a month written \"YYYY-MM\"", |n| {
            self.month_node(n, key)
        })
    }

    fn month_node(&self, node: &Node, key: &str) -> Option<Month> {
        match &node.value {
            Value::String(s) => Month::parse(s).or_else(|| {
                self.wrong(node, key, "a month written \"YYYY-MM\", e.g. \"2014-02\"");
                None
            }),
            _ => {
                self.wrong(node, key, "a month written in quotes as \"YYYY-MM\"");
                None
            }
        }
    }

    /// One of a fixed set of words.
    pub fn choice(&self, key: &'static str, choices: &[&str]) -> Option<&'a str> {
        let allowed = format!("one of {}", quote_list(choices));
        self.required(key, &allowed, |node| match &node.value {
            Value::String(s) if choices.contains(&s.as_str()) => Some(s.as_str()),
            _ => {
                self.wrong(node, key, allowed.clone());
                None
            }
        })
    }

    pub fn array(&self, key: &'static str) -> Option<&'a [Node]> {
        self.required(key, "an array", |node| self.array_node(node, key))
    }

    pub fn array_node(&self, node: &'a Node, key: &str) -> Option<&'a [Node]> {
        match &node.value {
            Value::Array(items) => Some(items),
            _ => {
                self.wrong(node, key, "an array [ ... ]");
                None
            }
        }
    }

    /// A sub-table, read by its own reader.
    pub fn table(&self, key: &'static str) -> Option<TableReader<'a>> {
        self.node(key).and_then(|node| self.table_node(node, key))
    }

    pub fn table_node(&self, node: &'a Node, key: &str) -> Option<TableReader<'a>> {
        match &node.value {
            Value::Table(t) => Some(TableReader::new(
                t,
                &self.key_path(key),
                node.at,
                self.problems,
            )),
            _ => {
                self.wrong(node, key, "a table");
                None
            }
        }
    }

    /// The entries of a table whose keys are names chosen by the user (grades,
    /// targets, variants), each as its own reader. Marks `key` as known.
    /// Reads each table `[key.<name>]` with `read`, then checks it for
    /// unknown keys. Every one is read, so that all their problems are
    /// reported; `None` if any had one.
    pub fn read_named<T>(
        &self,
        key: &'static str,
        read: impl Fn(&TableReader<'a>, &'a str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items: Vec<Option<T>> = self
            .named_tables(key)
            .into_iter()
            .map(|(name, t)| {
                let item = read(&t, name);
                t.finish();
                item
            })
            .collect();
        items.into_iter().collect()
    }

    pub fn named_tables(&self, key: &'static str) -> Vec<(&'a str, TableReader<'a>)> {
        let Some(outer) = self.table(key) else {
            return Vec::new();
        };
        outer
            .table
            .entries
            .iter()
            .filter_map(|e| {
                outer
                    .table_node(&e.node, &e.key)
                    .map(|r| (e.key.as_str(), r))
            })
            .collect()
    }

    /// A parameter: a number, a distribution `{ dist = "beta", ... }`, or a
    /// schedule `{ schedule = { "2014-02" = 3.0, "2014-06" = 1.2 } }` of either.
    pub fn param(&self, key: &'static str, bound: Bound, start: Month) -> Option<Param> {
        self.required(key, bound.describe(), |n| {
            self.param_node(n, key, bound, start)
        })
    }

    /// A parameter the scenario may leave out: `Some(None)` when it does,
    /// `None` when it is there and wrong (reported).
    pub fn param_if_given(
        &self,
        key: &'static str,
        bound: Bound,
        start: Month,
    ) -> Option<Option<Param>> {
        match self.node(key) {
            None => Some(None),
            Some(n) => self.param_node(n, key, bound, start).map(Some),
        }
    }

    pub fn param_or(
        &self,
        key: &'static str,
        bound: Bound,
        start: Month,
        default: f64,
    ) -> Option<Param> {
        match self.node(key) {
            None => Some(Param::fixed(self.key_path(key), start, default)),
            Some(n) => self.param_node(n, key, bound, start),
        }
    }

    pub fn param_node(&self, node: &Node, key: &str, bound: Bound, start: Month) -> Option<Param> {
        let key_path = self.key_path(key);
        let Value::Table(table) = &node.value else {
            return self.spec_node(node, key, bound).map(|spec| Param {
                key: key_path,
                schedule: vec![(start, spec)],
            });
        };
        if table.get("schedule").is_none() {
            return self.spec_node(node, key, bound).map(|spec| Param {
                key: key_path,
                schedule: vec![(start, spec)],
            });
        }
        let reader = TableReader::new(table, &key_path, node.at, self.problems);
        let entries = reader.table("schedule").map(|schedule| {
            let mut entries = Vec::new();
            for e in &schedule.table.entries {
                let month = Month::parse(&e.key);
                if month.is_none() {
                    self.problems.report(
                        e.key_at,
                        &schedule.key_path(&e.key),
                        Some(format!("{:?}", e.key)),
                        "a month \"YYYY-MM\" as each schedule key".into(),
                    );
                }
                let spec = schedule.spec_node(&e.node, &e.key, bound);
                if let (Some(month), Some(spec)) = (month, spec) {
                    entries.push((month, spec, e.key_at));
                }
            }
            entries
        });
        reader.finish();
        let mut entries = entries?;
        entries.sort_by_key(|(m, _, _)| *m);
        match entries.first() {
            None => {
                self.wrong(node, key, "a schedule with at least one month");
                None
            }
            Some((first, _, at)) if *first > start => {
                if !self.problems.start_unknown() {
                    self.problems.report(
                        *at,
                        &format!("{key_path}.schedule"),
                        Some(format!("first month {first}")),
                        format!("a schedule whose first month is at or before the start, {start}"),
                    );
                }
                None
            }
            Some(_) => {
                // Entries before the start are superseded by the last of them.
                let in_force = entries.partition_point(|(m, _, _)| *m <= start);
                let schedule = std::iter::once((start, entries[in_force - 1].1.clone()))
                    .chain(entries[in_force..].iter().map(|(m, s, _)| (*m, s.clone())))
                    .collect();
                Some(Param {
                    key: key_path,
                    schedule,
                })
            }
        }
    }

    fn spec_node(&self, node: &Node, key: &str, bound: Bound) -> Option<Spec> {
        match &node.value {
            Value::Integer(_) | Value::Float(_) => {
                self.number_node(node, key, bound).map(Spec::Fixed)
            }
            Value::Table(table) if table.get("dist").is_some() => {
                let reader = TableReader::new(table, &self.key_path(key), node.at, self.problems);
                let dist = reader.dist();
                reader.finish();
                let dist = dist?;
                if bound.admits_dist(&dist) {
                    Some(Spec::Uncertain(dist))
                } else {
                    let (low, high) = dist.support();
                    self.problems.report(
                        node.at,
                        &self.key_path(key),
                        Some(format!(
                            "a {} distribution with values from {low} to {high}",
                            dist.name()
                        )),
                        format!(
                            "{}: use a distribution bounded to that range (uniform, triangular{})",
                            bound.describe(),
                            if matches!(bound, Bound::Unit) {
                                ", beta"
                            } else {
                                ", lognormal"
                            }
                        ),
                    );
                    None
                }
            }
            _ => {
                self.wrong(
                    node,
                    key,
                    format!(
                        "{}, a distribution {{ dist = \"uniform\", low = .., high = .. }}, or a schedule {{ schedule = {{ \"YYYY-MM\" = .. }} }}",
                        bound.describe()
                    ),
                );
                None
            }
        }
    }

    fn dist(&self) -> Option<Dist> {
        let kinds = ["uniform", "normal", "lognormal", "beta", "triangular"];
        let kind = self.choice("dist", &kinds)?;
        let dist = match kind {
            "uniform" => {
                let (low, high) = (
                    self.number("low", Bound::Any),
                    self.number("high", Bound::Any),
                );
                Dist::Uniform {
                    low: low?,
                    high: high?,
                }
            }
            "normal" => {
                let (mean, sd) = (
                    self.number("mean", Bound::Any),
                    self.number("sd", Bound::Positive),
                );
                Dist::Normal {
                    mean: mean?,
                    sd: sd?,
                }
            }
            "lognormal" => {
                let (mu, sigma) = (
                    self.number("mu", Bound::Any),
                    self.number("sigma", Bound::Positive),
                );
                Dist::LogNormal {
                    mu: mu?,
                    sigma: sigma?,
                }
            }
            "beta" => {
                let (alpha, beta) = (
                    self.number("alpha", Bound::Positive),
                    self.number("beta", Bound::Positive),
                );
                Dist::Beta {
                    alpha: alpha?,
                    beta: beta?,
                }
            }
            _ => {
                let low = self.number("low", Bound::Any);
                let mode = self.number("mode", Bound::Any);
                let high = self.number("high", Bound::Any);
                Dist::Triangular {
                    low: low?,
                    mode: mode?,
                    high: high?,
                }
            }
        };
        let ordered = match dist {
            Dist::Uniform { low, high } => low <= high,
            Dist::Triangular { low, mode, high } => low <= mode && mode <= high,
            _ => true,
        };
        if !ordered {
            self.problems.report(
                self.at,
                &self.path,
                None,
                "low <= high (and low <= mode <= high for triangular)".into(),
            );
            return None;
        }
        Some(dist)
    }

    /// Reports every key that no one asked for, suggesting the nearest known one.
    pub fn finish(self) {
        let known = self.known.borrow().clone();
        for entry in &self.table.entries {
            if known.contains(&entry.key.as_str()) {
                continue;
            }
            let suggestion = known
                .iter()
                .map(|k| (strsim::jaro_winkler(k, &entry.key), *k))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, k)| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            let mut expected: Vec<&str> = known.clone();
            expected.sort_unstable();
            expected.dedup();
            self.problems.report(
                entry.key_at,
                &self.key_path(&entry.key),
                Some(format!("unknown key `{}`", entry.key)),
                format!("one of {}{suggestion}", quote_list(&expected)),
            );
        }
    }
}

pub fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a whole-number key allows, its bounds as people write them: "a
/// whole number from 1 to 10,000,000", "a whole number of 0 or more".
fn whole_numbers(low: i64, high: i64) -> String {
    let shown = |v: i64| {
        let digits = crate::output::grouped(v.unsigned_abs());
        if v < 0 { format!("-{digits}") } else { digits }
    };
    if high == i64::MAX {
        format!("a whole number of {} or more", shown(low))
    } else {
        format!("a whole number from {} to {}", shown(low), shown(high))
    }
}

#[cfg(test)]
mod tests {
    use super::whole_numbers;

    #[test]
    fn whole_number_bounds_read_as_people_write_them() {
        assert_eq!(
            whole_numbers(1, 10_000_000),
            "a whole number from 1 to 10,000,000"
        );
        assert_eq!(whole_numbers(0, i64::MAX), "a whole number of 0 or more");
        assert_eq!(whole_numbers(-1200, 12), "a whole number from -1,200 to 12");
    }
}

//! A council's HR extract: one row per employment spell. Column names are
//! mapped, since every HR system names them differently; grade and contract
//! values may be mapped too.
//!
//! Problems name row numbers and columns, never a person's identifier or a
//! date of theirs: error messages end up in tickets and logs.

use std::collections::HashMap;
use std::path::Path;

use super::DataError;
use crate::calendar::Month;
use crate::workforce::Contract;

/// The fields of a spell, by their names in staffcast's own extract format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    PersonId,
    StartDate,
    EndDate,
    LeavingReason,
    Grade,
    Fte,
    Contract,
    QualifiedDate,
    Specialisms,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::PersonId,
        Field::StartDate,
        Field::EndDate,
        Field::LeavingReason,
        Field::Grade,
        Field::Fte,
        Field::Contract,
        Field::QualifiedDate,
        Field::Specialisms,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::PersonId => "person_id",
            Field::StartDate => "start_date",
            Field::EndDate => "end_date",
            Field::LeavingReason => "leaving_reason",
            Field::Grade => "grade",
            Field::Fte => "fte",
            Field::Contract => "contract",
            Field::QualifiedDate => "qualified_date",
            Field::Specialisms => "specialisms",
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            Field::PersonId
                | Field::StartDate
                | Field::EndDate
                | Field::Grade
                | Field::Fte
                | Field::Contract
        )
    }

    fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// How an extract's columns and values map onto the fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mapping {
    /// Field to the extract's column header; unmapped fields use their own name.
    pub columns: HashMap<&'static str, String>,
    /// The extract's grade values to scenario grade names.
    pub grades: HashMap<String, String>,
    /// Scenario grades in career order; when given, any other grade is an error.
    pub known_grades: Option<Vec<String>>,
    /// Extra contract values meaning permanent or agency.
    pub permanent: Vec<String>,
    pub agency: Vec<String>,
}

impl Mapping {
    /// Reads a header file:
    ///
    /// ```toml
    /// [columns]
    /// person_id = "Employee No"
    /// start_date = "Assignment Start"
    /// [grades]
    /// "SW1" = "social_worker"
    /// [contracts]
    /// permanent = ["Permanent", "Fixed term"]
    /// agency = ["Locum"]
    /// ```
    pub fn parse(text: &str, path: &Path) -> Result<Mapping, DataError> {
        let doc: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| DataError::one(path, e.to_string()))?;
        let mut mapping = Mapping::default();
        let mut problems = Vec::new();
        for (key, item) in doc.iter() {
            let Some(table) = item.as_table() else {
                problems.push(format!(
                    "`{key}`: expected one of the tables [columns], [grades], [contracts]"
                ));
                continue;
            };
            match key {
                "columns" => {
                    for (field, value) in table.iter() {
                        match (Field::parse(field), value.as_str()) {
                            (Some(f), Some(header)) => {
                                mapping.columns.insert(f.name(), header.to_string());
                            }
                            (None, _) => problems.push(format!(
                                "[columns] `{field}`: not a field; the fields are {}",
                                Field::ALL.map(Field::name).join(", ")
                            )),
                            (_, None) => problems.push(format!(
                                "[columns] `{field}`: expected the column header as a string"
                            )),
                        }
                    }
                }
                "grades" => {
                    for (value, grade) in table.iter() {
                        match grade.as_str() {
                            Some(g) => {
                                mapping.grades.insert(value.to_string(), g.to_string());
                            }
                            None => problems.push(format!(
                                "[grades] `{value}`: expected a scenario grade name as a string"
                            )),
                        }
                    }
                }
                "contracts" => {
                    for (contract, values) in table.iter() {
                        let list: Option<Vec<String>> = values.as_array().map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_string))
                                .collect()
                        });
                        match (contract, list) {
                            ("permanent", Some(l)) => mapping.permanent = l,
                            ("agency", Some(l)) => mapping.agency = l,
                            _ => problems.push(format!(
                                "[contracts] `{contract}`: expected permanent = [..] or agency = [..], lists of strings"
                            )),
                        }
                    }
                }
                other => problems.push(format!(
                    "`[{other}]`: expected one of the tables [columns], [grades], [contracts]"
                )),
            }
        }
        if problems.is_empty() {
            Ok(mapping)
        } else {
            Err(DataError {
                file: path.to_path_buf(),
                problems,
            })
        }
    }

    /// Adds `FIELD=HEADER` from the command line.
    pub fn set_column(&mut self, assignment: &str) -> Result<(), String> {
        let (field, header) = assignment
            .split_once('=')
            .ok_or_else(|| format!("--column `{assignment}`: expected FIELD=HEADER"))?;
        let f = Field::parse(field.trim()).ok_or_else(|| {
            format!(
                "--column `{field}`: not a field; the fields are {}",
                Field::ALL.map(Field::name).join(", ")
            )
        })?;
        self.columns.insert(f.name(), header.trim().to_string());
        Ok(())
    }

    fn header(&self, field: Field) -> &str {
        self.columns
            .get(field.name())
            .map_or(field.name(), String::as_str)
    }
}

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// `YYYY-MM-DD`, `DD/MM/YYYY` or `YYYY-MM` (the first of the month).
    pub fn parse(text: &str) -> Option<Date> {
        let t = text.trim();
        let parts: Vec<&str> = t.split(['-', '/']).collect();
        let num = |s: &str| s.parse::<u32>().ok();
        let (year, month, day) = match (t.contains('/'), &parts[..]) {
            (false, &[y, m, d]) if y.len() == 4 => (num(y)?, num(m)?, num(d)?),
            (false, &[y, m]) if y.len() == 4 => (num(y)?, num(m)?, 1),
            (true, &[d, m, y]) if y.len() == 4 => (num(y)?, num(m)?, num(d)?),
            _ => return None,
        };
        let date = Date { year, month, day };
        ((1900..=2200).contains(&year)
            && (1..=12).contains(&month)
            && (1..=date.days_in_month()).contains(&day))
        .then_some(date)
    }

    fn days_in_month(self) -> u32 {
        match self.month {
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    pub fn month(self) -> Month {
        Month::new(self.year, self.month).expect("a parsed date has a valid month")
    }

    /// The month of the day after: the first month a leaver is no longer in post.
    pub fn month_after_last_day(self) -> Month {
        if self.day == self.days_in_month() {
            self.month().plus(1)
        } else {
            self.month()
        }
    }

    pub fn day_after(self) -> Date {
        if self.day < self.days_in_month() {
            Date {
                day: self.day + 1,
                ..self
            }
        } else {
            Date::first_of(self.month().plus(1))
        }
    }

    pub fn first_of(month: Month) -> Date {
        Date {
            year: month.year(),
            month: month.month_of_year(),
            day: 1,
        }
    }

    pub fn last_of(month: Month) -> Date {
        let first = Date::first_of(month);
        Date {
            day: first.days_in_month(),
            ..first
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One employment spell.
#[derive(Clone, Debug, PartialEq)]
pub struct Spell {
    /// Line in the file (the header is row 1).
    pub row: u64,
    /// The person, numbered in order of first appearance (the extract's
    /// identifier is not kept).
    pub person: usize,
    pub start: Date,
    pub end: Option<Date>,
    pub reason: String,
    /// Index into `Extract::grades`.
    pub grade: usize,
    pub fte: f64,
    pub contract: Contract,
    pub qualified: Option<Date>,
    /// Indices into `Extract::specialisms`, with the date gained if given.
    pub specialisms: Vec<(usize, Option<Date>)>,
}

impl Spell {
    pub fn start_month(&self) -> Month {
        self.start.month()
    }

    /// The first month the person is no longer in this spell, if it ended.
    pub fn exit_month(&self) -> Option<Month> {
        self.end.map(Date::month_after_last_day)
    }
}

/// A whole extract, checked.
#[derive(Clone, Debug)]
pub struct Extract {
    pub grades: Vec<String>,
    pub specialisms: Vec<String>,
    pub spells: Vec<Spell>,
    /// Grade values that are not names a scenario may carry, and the plain
    /// names they are written as ([`plain_grade`]), in order of first
    /// appearance.
    pub renamed: Vec<(String, String)>,
}

const LIMIT_BYTES: u64 = 512_000_000;

impl Extract {
    pub fn load(path: &Path, mapping: &Mapping) -> Result<Extract, DataError> {
        let bytes = super::read_data(path, LIMIT_BYTES)?;
        Extract::parse(&bytes, path, mapping)
    }

    /// Reads and checks every row; every problem is reported at once.
    pub fn parse(bytes: &[u8], path: &Path, mapping: &Mapping) -> Result<Extract, DataError> {
        let fail = |problems: Vec<String>| DataError {
            file: path.to_path_buf(),
            problems,
        };
        // The csv reader drops the byte-order mark spreadsheets write.
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let header = reader
            .headers()
            .map_err(|e| fail(vec![format!("row 1: not a CSV header: {}", csv_reason(&e))]))?
            .clone();
        let at = columns(&header, mapping).map_err(|problem| fail(vec![problem]))?;
        let mut reading = Reading {
            grades: mapping.known_grades.clone().unwrap_or_default(),
            specialisms: Vec::new(),
            people: HashMap::new(),
            spells: Vec::new(),
            renamed: Vec::new(),
            problems: Vec::new(),
        };
        let mut seen: HashMap<Vec<String>, u64> = HashMap::new();
        for (k, record) in reader.records().enumerate() {
            let row = k as u64 + 2;
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let problem = format!("row {row}: not a CSV row: {}", csv_reason(&e));
                    reading.problems.push(problem);
                    continue;
                }
            };
            let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            if let Some(first) = seen.insert(cells.clone(), row) {
                let problem = format!("row {row}: the same as row {first} (a duplicate row)");
                reading.problems.push(problem);
                continue;
            }
            reading.read(&Row {
                number: row,
                cells: &cells,
                at: &at,
                mapping,
            });
        }
        let Reading {
            grades,
            specialisms,
            spells,
            renamed,
            mut problems,
            ..
        } = reading;
        problems.extend(overlaps(&spells));
        if spells.is_empty() && problems.is_empty() {
            problems.push("no spells".to_string());
        }
        if problems.is_empty() {
            Ok(Extract {
                grades,
                specialisms,
                spells,
                renamed,
            })
        } else {
            Err(fail(problems))
        }
    }
}

/// Where each field's column is in `header`, by `mapping`'s names; the
/// problem when a required one is missing.
fn columns(header: &csv::StringRecord, mapping: &Mapping) -> Result<HashMap<Field, usize>, String> {
    let mut at = HashMap::new();
    let mut absent = Vec::new();
    for f in Field::ALL {
        let wanted = mapping.header(f);
        match header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(wanted))
        {
            Some(i) => {
                at.insert(f, i);
            }
            None if f.required() => absent.push(if wanted == f.name() {
                format!("`{wanted}`")
            } else {
                format!("`{wanted}` (for {})", f.name())
            }),
            None => {}
        }
    }
    if absent.is_empty() {
        Ok(at)
    } else {
        Err(format!(
            "row 1: no column {}; map the extract's own headers with --columns FILE or --column FIELD=HEADER",
            absent.join(", ")
        ))
    }
}

/// An extract as far as it has been read: the grades, specialisms and
/// people its rows have named, in order of first appearance, its spells,
/// the grade values it renamed and the problems found.
struct Reading {
    grades: Vec<String>,
    specialisms: Vec<String>,
    people: HashMap<String, usize>,
    spells: Vec<Spell>,
    renamed: Vec<(String, String)>,
    problems: Vec<String>,
}

impl Reading {
    /// One row's spell, kept if it has no problem; each problem noted.
    fn read(&mut self, row: &Row) {
        let problems = &mut self.problems;
        let id = row.cell(Field::PersonId);
        if id.is_empty() {
            problems.push(row.problem(
                Field::PersonId,
                "empty; every spell needs the person's identifier",
            ));
        }
        let start = row.date(Field::StartDate, problems);
        if row.cell(Field::StartDate).is_empty() {
            problems.push(row.problem(Field::StartDate, "empty; every spell has a start date"));
        }
        let end = row.date(Field::EndDate, problems);
        let qualified = row.date(Field::QualifiedDate, problems);
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                problems.push(row.problem(Field::EndDate, "before the start date"));
            }
        }
        let grade = row.grade(&mut self.grades, &mut self.renamed, problems);
        let fte = row.fte(problems);
        let contract = row.contract(problems);
        let held = row.specialisms(&mut self.specialisms, problems);
        let next = self.people.len();
        let person = *self.people.entry(id.to_string()).or_insert(next);
        if let (Some(start), Some(grade), Some(fte), Some(contract), false) =
            (start, grade, fte, contract, id.is_empty())
        {
            self.spells.push(Spell {
                row: row.number,
                person,
                start,
                end,
                reason: row.cell(Field::LeavingReason).to_string(),
                grade,
                fte,
                contract,
                qualified,
                specialisms: held,
            });
        }
    }
}

/// A row of the extract, its cells trimmed, and where each field is.
struct Row<'a> {
    number: u64,
    cells: &'a [String],
    at: &'a HashMap<Field, usize>,
    mapping: &'a Mapping,
}

impl Row<'_> {
    /// The field's cell; empty when the extract has no such column.
    fn cell(&self, f: Field) -> &str {
        self.at
            .get(&f)
            .and_then(|&i| self.cells.get(i))
            .map_or("", String::as_str)
    }

    /// A problem with the field's cell, named by its row and column only.
    fn problem(&self, f: Field, what: &str) -> String {
        format!(
            "row {}, column {}: {what}",
            self.number,
            self.mapping.header(f)
        )
    }

    /// The field's date; `None`, and a problem unless the cell is empty,
    /// when it is not one.
    fn date(&self, f: Field, problems: &mut Vec<String>) -> Option<Date> {
        let text = self.cell(f);
        let d = Date::parse(text);
        if d.is_none() && !text.is_empty() {
            problems.push(self.problem(f, "not a date (YYYY-MM-DD, DD/MM/YYYY or YYYY-MM)"));
        }
        d
    }

    /// The grade's index in `grades` (by the mapping's name for it, made
    /// plain: [`plain_grade`], and noted in `renamed` when that changed
    /// it), which a new grade joins unless the grades are known in advance.
    fn grade(
        &self,
        grades: &mut Vec<String>,
        renamed: &mut Vec<(String, String)>,
        problems: &mut Vec<String>,
    ) -> Option<usize> {
        let text = self.cell(Field::Grade);
        let mapped = self.mapping.grades.get(text).map_or(text, String::as_str);
        let name = &plain_grade(mapped);
        if name != mapped && !renamed.iter().any(|(value, _)| value == mapped) {
            renamed.push((mapped.to_string(), name.clone()));
        }
        match grades.iter().position(|g| g == name) {
            Some(g) => Some(g),
            None if name.is_empty() => {
                problems.push(self.problem(Field::Grade, "empty"));
                None
            }
            None if self.mapping.known_grades.is_some() => {
                problems.push(self.problem(
                    Field::Grade,
                    &format!(
                        "not a known grade; the grades are {} (map the extract's values in the header file's [grades])",
                        grades.join(", ")
                    ),
                ));
                None
            }
            None => {
                grades.push(name.to_string());
                Some(grades.len() - 1)
            }
        }
    }

    fn fte(&self, problems: &mut Vec<String>) -> Option<f64> {
        match self.cell(Field::Fte).parse::<f64>() {
            Ok(f) if f > 0.0 && f <= 1.0 => Some(f),
            _ => {
                problems.push(self.problem(Field::Fte, "not a number in (0, 1]"));
                None
            }
        }
    }

    /// Permanent or agency, by those words or the mapping's values for them.
    fn contract(&self, problems: &mut Vec<String>) -> Option<Contract> {
        let text = self.cell(Field::Contract);
        let means = |word: &str, values: &[String]| {
            text.eq_ignore_ascii_case(word) || values.iter().any(|v| v.eq_ignore_ascii_case(text))
        };
        if means("permanent", &self.mapping.permanent) {
            Some(Contract::Permanent)
        } else if means("agency", &self.mapping.agency) {
            Some(Contract::Agency)
        } else {
            problems.push(self.problem(
                Field::Contract,
                "not permanent or agency (map other values in the header file's [contracts])",
            ));
            None
        }
    }

    /// The specialisms held (`name` or `name:date`, separated by `;`), as
    /// indices into `names`, which a new one joins; one without a readable
    /// date is left out, with a problem.
    fn specialisms(
        &self,
        names: &mut Vec<String>,
        problems: &mut Vec<String>,
    ) -> Vec<(usize, Option<Date>)> {
        let mut held = Vec::new();
        for item in self
            .cell(Field::Specialisms)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let (name, gained) = match item.split_once(':') {
                Some((n, d)) => match Date::parse(d) {
                    Some(d) => (n.trim(), Some(d)),
                    None => {
                        problems.push(self.problem(
                            Field::Specialisms,
                            "a specialism's date is not a date (write name or name:YYYY-MM-DD, separated by ;)",
                        ));
                        continue;
                    }
                },
                None => (item, None),
            };
            let s = names.iter().position(|x| x == name).unwrap_or_else(|| {
                names.push(name.to_string());
                names.len() - 1
            });
            held.push((s, gained));
        }
        held
    }
}

/// A grade value as a scenario may name a grade: as it is when it is a
/// plain name already, else lower case with each run of other characters an
/// `_` ("Social Worker" is `social_worker`, "Snr. Practitioner" is
/// `snr_practitioner`), so that the fragment written is a scenario's TOML.
/// Empty stays empty (a problem of its own).
pub fn plain_grade(value: &str) -> String {
    if value.is_empty() || crate::scenario::compile::is_plain_name(value) {
        return value.to_string();
    }
    let words: Vec<String> = value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    match words.join("_").as_str() {
        "" => "grade".to_string(),
        "base" => "base_grade".to_string(),
        name => name.to_string(),
    }
}

/// The CSV error without the row's content.
fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where the header has {expected_len}")
        }
        _ => "unreadable".to_string(),
    }
}

/// Spells of one person that overlap in time.
fn overlaps(spells: &[Spell]) -> Vec<String> {
    let mut order: Vec<&Spell> = spells.iter().collect();
    order.sort_by_key(|s| (s.person, s.start, s.row));
    order
        .windows(2)
        .filter(|w| w[0].person == w[1].person && w[0].end.is_none_or(|end| w[1].start <= end))
        .map(|w| {
            format!(
                "rows {} and {}: spells of one person that overlap (the later starts before the earlier ends)",
                w[0].row, w[1].row
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "person_id,start_date,end_date,leaving_reason,grade,fte,contract,qualified_date,specialisms";

    fn parse(rows: &[&str], mapping: &Mapping) -> Result<Extract, DataError> {
        let text = format!("{HEADER}\n{}\n", rows.join("\n"));
        Extract::parse(text.as_bytes(), Path::new("hr.csv"), mapping)
    }

    #[test]
    fn dates_in_the_usual_forms() {
        let d = Date {
            year: 2024,
            month: 2,
            day: 29,
        };
        assert_eq!(Date::parse("2024-02-29"), Some(d));
        assert_eq!(Date::parse("29/02/2024"), Some(d));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(Date::parse("yesterday"), None);
        assert_eq!(Date::parse("2024-03").unwrap().day, 1);
        assert_eq!(d.month_after_last_day(), Month::parse("2024-03").unwrap());
        assert_eq!(
            Date::parse("2024-02-28").unwrap().month_after_last_day(),
            Month::parse("2024-02").unwrap()
        );
        assert_eq!(d.day_after(), Date::parse("2024-03-01").unwrap());
        assert_eq!(
            Date::parse("2024-12-31").unwrap().day_after(),
            Date::parse("2025-01-01").unwrap()
        );
        assert_eq!(
            Date::parse("2024-02-01").unwrap().day_after(),
            Date::parse("2024-02-02").unwrap()
        );
    }

    #[test]
    fn a_clean_extract_reads() {
        let e = parse(
            &[
                "A1,2020-01-01,2021-06-30,resigned,social_worker,1,permanent,2015-07-01,amhp:2019-01-01",
                "A1,2021-09-01,,,social_worker,0.5,Agency,,",
                "B2,01/03/2019,,,senior,1,permanent,,",
            ],
            &Mapping::default(),
        )
        .unwrap();
        assert_eq!(e.grades, ["social_worker", "senior"]);
        assert_eq!(e.spells.len(), 3);
        assert_eq!(e.spells[0].person, e.spells[1].person);
        assert_eq!(e.spells[1].contract, Contract::Agency);
        assert_eq!(e.specialisms, ["amhp"]);
    }

    #[test]
    fn grade_values_become_names_a_scenario_may_carry() {
        for (value, name) in [
            ("social_worker", "social_worker"),
            ("SW1", "SW1"),
            ("Social Worker", "social_worker"),
            ("Snr. Practitioner (L3)", "snr_practitioner_l3"),
            (
                "Travailleur Social Expérimenté",
                "travailleur_social_exp_riment",
            ),
            ("base", "base_grade"),
            ("***", "grade"),
        ] {
            let plain = plain_grade(value);
            assert_eq!(plain, name, "{value}");
            assert!(crate::scenario::compile::is_plain_name(&plain), "{plain}");
        }
        // Spelled two ways, one grade.
        let e = parse(
            &[
                "A1,2020-01-01,,,Social Worker,1,permanent,,",
                "B2,2020-01-01,,,Social worker,1,permanent,,",
                "C3,2020-01-01,,,Senior,1,permanent,,",
            ],
            &Mapping::default(),
        )
        .unwrap();
        assert_eq!(e.grades, ["social_worker", "Senior"]);
        assert_eq!(e.spells[0].grade, e.spells[1].grade);
        let renamed = |v: &str| (v.to_string(), "social_worker".to_string());
        assert_eq!(
            e.renamed,
            [renamed("Social Worker"), renamed("Social worker")]
        );
    }

    #[test]
    fn bad_data_is_all_reported_with_rows_and_columns_and_no_personal_data() {
        let mapping = Mapping {
            known_grades: Some(vec!["social_worker".to_string()]),
            ..Mapping::default()
        };
        let e = parse(
            &[
                "SECRET1,2020-01-41,,,social_worker,1,permanent,,",
                "SECRET2,2020-05-01,2019-05-01,,social_worker,1,permanent,,",
                "SECRET3,2020-05-01,,,wizard,1,permanent,,",
                "SECRET4,2018-01-01,2021-01-01,,social_worker,1,permanent,,",
                "SECRET4,2020-01-01,,,social_worker,1,permanent,,",
                "SECRET5,2020-01-01,,,social_worker,1,permanent,,",
                "SECRET5,2020-01-01,,,social_worker,1,permanent,,",
                "SECRET6,2020-01-01,,,social_worker,2,contractor,,",
            ],
            &mapping,
        )
        .unwrap_err();
        let text = e.to_string();
        for wanted in [
            "row 2, column start_date: not a date",
            "row 3, column end_date: before the start date",
            "row 4, column grade: not a known grade",
            "rows 5 and 6: spells of one person that overlap",
            "row 8: the same as row 7",
            "row 9, column fte",
            "row 9, column contract",
        ] {
            assert!(text.contains(wanted), "{wanted} missing from:\n{text}");
        }
        assert_eq!(e.problems.len(), 7, "{text}");
        for secret in ["SECRET", "2020-01-41", "2019-05-01", "wizard", "contractor"] {
            assert!(!text.contains(secret), "{secret} leaked into:\n{text}");
        }
    }

    #[test]
    fn columns_and_values_are_mapped() {
        let map = Mapping::parse(
            r#"
[columns]
person_id = "Emp No"
start_date = "Start"
end_date = "End"
grade = "Job"
fte = "FTE"
contract = "Type"
[grades]
"SW1" = "social_worker"
[contracts]
permanent = ["Perm"]
"#,
            Path::new("map.toml"),
        )
        .unwrap();
        let text = "\u{feff}Emp No,Start,End,Job,FTE,Type\nx,2020-01-01,,SW1,1,Perm\n";
        let e = Extract::parse(text.as_bytes(), Path::new("hr.csv"), &map).unwrap();
        assert_eq!(e.grades, ["social_worker"]);
        assert_eq!(e.spells[0].contract, Contract::Permanent);
        let err = Extract::parse(b"a,b\n1,2\n", Path::new("hr.csv"), &map).unwrap_err();
        assert!(
            err.problems[0].contains("`Emp No` (for person_id)"),
            "{err}"
        );
        let bad = Mapping::parse("[columns]\nperson = \"x\"\n", Path::new("m.toml")).unwrap_err();
        assert!(bad.problems[0].contains("not a field"), "{bad}");
    }
}

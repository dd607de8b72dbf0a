//! The DfE's children's social work workforce indicators: one row per area
//! (England, a region or a local authority) and reporting year, with the
//! snapshot at 30 September and the flows of the year to it.
//!
//! Suppressed and missing values (`x`, `z`, `c`, `u`, `low`, blank) are kept
//! as what they are, never read as zero.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use super::DataError;

/// The numeric columns read, in the DfE's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    InpostFte,
    InpostHeadcount,
    StartersFte,
    LeaversFte,
    TurnoverRateFte,
    AgencyFte,
    AgencyHeadcount,
    AgencyRateFte,
    AgencyCoverFte,
    VacancyFte,
    VacancyRateFte,
    VacancyAgencyCoverRateFte,
    CaseHoldersFte,
    Cases,
    CaseloadFte,
}

impl Column {
    pub const ALL: [Column; 15] = [
        Column::InpostFte,
        Column::InpostHeadcount,
        Column::StartersFte,
        Column::LeaversFte,
        Column::TurnoverRateFte,
        Column::AgencyFte,
        Column::AgencyHeadcount,
        Column::AgencyRateFte,
        Column::AgencyCoverFte,
        Column::VacancyFte,
        Column::VacancyRateFte,
        Column::VacancyAgencyCoverRateFte,
        Column::CaseHoldersFte,
        Column::Cases,
        Column::CaseloadFte,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::InpostFte => "inpost_fte",
            Column::InpostHeadcount => "inpost_headcount",
            Column::StartersFte => "starters_fte",
            Column::LeaversFte => "leavers_fte",
            Column::TurnoverRateFte => "turnover_rate_fte",
            Column::AgencyFte => "agency_fte",
            Column::AgencyHeadcount => "agency_headcount",
            Column::AgencyRateFte => "agency_rate_fte",
            Column::AgencyCoverFte => "agency_cover_fte",
            Column::VacancyFte => "vacancy_fte",
            Column::VacancyRateFte => "vacancy_rate_fte",
            Column::VacancyAgencyCoverRateFte => "vacancy_agency_cover_rate_fte",
            Column::CaseHoldersFte => "case_holders_fte",
            Column::Cases => "cases",
            Column::CaseloadFte => "caseload_fte",
        }
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The DfE's codes for a value that is not there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// `x`: not available.
    NotAvailable,
    /// `z`: not applicable.
    NotApplicable,
    /// `c`: confidential (a suppressed small number).
    Confidential,
    /// `u`: low reliability.
    LowReliability,
    /// `low`: a small number rounded away.
    Low,
    /// An empty cell.
    Blank,
}

impl Missing {
    fn parse(text: &str) -> Option<Missing> {
        Some(match text.to_ascii_lowercase().as_str() {
            "x" => Missing::NotAvailable,
            "z" => Missing::NotApplicable,
            "c" => Missing::Confidential,
            "u" => Missing::LowReliability,
            "low" => Missing::Low,
            "" => Missing::Blank,
            _ => return None,
        })
    }
}

impl Missing {
    /// The code as the file writes it.
    pub fn code(self) -> &'static str {
        match self {
            Missing::NotAvailable => "x",
            Missing::NotApplicable => "z",
            Missing::Confidential => "c",
            Missing::LowReliability => "u",
            Missing::Low => "low",
            Missing::Blank => "",
        }
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let meaning = match self {
            Missing::NotAvailable => "not available",
            Missing::NotApplicable => "not applicable",
            Missing::Confidential => "confidential",
            Missing::LowReliability => "low reliability",
            Missing::Low => "a small number rounded away",
            Missing::Blank => return f.write_str("blank"),
        };
        write!(f, "`{}` ({meaning})", self.code())
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    Missing(Missing),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    National,
    Regional,
    LocalAuthority,
}

/// One area in one reporting year.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Line in the file (the header is line 1).
    pub line: u64,
    pub year: u32,
    pub level: Level,
    pub region_code: String,
    pub region_name: String,
    pub old_la_code: String,
    pub new_la_code: String,
    pub la_name: String,
    values: [Value; Column::ALL.len()],
}

impl Row {
    pub fn value(&self, column: Column) -> Value {
        self.values[column as usize]
    }

    pub fn number(&self, column: Column) -> Option<f64> {
        match self.value(column) {
            Value::Number(v) => Some(v),
            Value::Missing(_) => None,
        }
    }
}

/// The whole indicators file.
#[derive(Clone, Debug)]
pub struct Indicators {
    pub file: PathBuf,
    pub rows: Vec<Row>,
}

/// Which area to calibrate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AreaQuery {
    National,
    Region(String),
    LocalAuthority(String),
}

/// The rows of one area, by year.
#[derive(Clone, Debug)]
pub struct Area<'a> {
    /// The area's name as the file spells it in its latest year.
    pub name: String,
    /// Its code (new LA code or region code; England's country code).
    pub code: String,
    pub rows: Vec<&'a Row>,
}

impl<'a> Area<'a> {
    pub fn years(&self) -> Vec<u32> {
        self.rows.iter().map(|r| r.year).collect()
    }

    pub fn row(&self, year: u32) -> Option<&'a Row> {
        self.rows.iter().find(|r| r.year == year).copied()
    }
}

const TEXT_COLUMNS: [&str; 7] = [
    "time_period",
    "geographic_level",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
];

/// The largest indicators file read: the real one is under 1 MB.
const LIMIT_BYTES: u64 = 64_000_000;

/// Where the file's header puts the columns read: the text columns in
/// [`TEXT_COLUMNS`] order, the values in [`Column::ALL`] order.
struct Positions {
    text: Vec<usize>,
    values: Vec<usize>,
}

impl Positions {
    /// Every column read, found in `header`, or the problem naming those absent.
    fn of(header: &csv::StringRecord) -> Result<Positions, String> {
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        let text: Vec<Option<usize>> = TEXT_COLUMNS.iter().map(|c| find(c)).collect();
        let values: Vec<Option<usize>> = Column::ALL.iter().map(|c| find(c.name())).collect();
        let absent: Vec<&str> = TEXT_COLUMNS
            .iter()
            .copied()
            .zip(&text)
            .chain(Column::ALL.iter().map(|c| c.name()).zip(&values))
            .filter(|(_, at)| at.is_none())
            .map(|(name, _)| name)
            .collect();
        if !absent.is_empty() {
            return Err(format!(
                "line 1: the header lacks column{} {}; is this the DfE's \"Indicators\" data set (csww_indicators)?",
                if absent.len() == 1 { "" } else { "s" },
                absent.join(", ")
            ));
        }
        Ok(Positions {
            text: text.into_iter().flatten().collect(),
            values: values.into_iter().flatten().collect(),
        })
    }

    /// One data row, or its problems added to `problems` (a row without a
    /// year or a level is left out; one with a bad value is reported).
    fn row(&self, record: &csv::StringRecord, problems: &mut Vec<String>) -> Option<Row> {
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let mut bad = |column: &str, what: String| {
            problems.push(format!("line {line}, column {column}: {what}"));
        };
        let year = match cell(self.text[0]).parse::<u32>() {
            Ok(y) if (1900..=2200).contains(&y) => Some(y),
            _ => {
                let what = format!("`{}` is not a year (YYYY)", cell(self.text[0]));
                bad("time_period", what);
                None
            }
        };
        let level = match cell(self.text[1]) {
            "National" => Some(Level::National),
            "Regional" => Some(Level::Regional),
            "Local authority" => Some(Level::LocalAuthority),
            other => {
                let what = format!("`{other}` is not one of National, Regional, Local authority");
                bad("geographic_level", what);
                None
            }
        };
        let mut values = [Value::Missing(Missing::Blank); Column::ALL.len()];
        for (k, &at) in self.values.iter().enumerate() {
            let text = cell(at);
            match value(text) {
                Some(v) => values[k] = v,
                None => bad(
                    Column::ALL[k].name(),
                    format!(
                        "`{text}` is not a number >= 0 or a DfE missing-value code (x, z, c, u, low)"
                    ),
                ),
            }
        }
        Some(Row {
            line,
            year: year?,
            level: level?,
            region_code: cell(self.text[2]).to_string(),
            region_name: cell(self.text[3]).to_string(),
            old_la_code: cell(self.text[4]).to_string(),
            new_la_code: cell(self.text[5]).to_string(),
            la_name: cell(self.text[6]).to_string(),
            values,
        })
    }
}

/// A cell as a value: a number 0 or more, or a missing-value code.
fn value(text: &str) -> Option<Value> {
    match Missing::parse(text) {
        Some(m) => Some(Value::Missing(m)),
        None => match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Some(Value::Number(v)),
            _ => None,
        },
    }
}

impl Indicators {
    pub fn load(path: &Path) -> Result<Indicators, DataError> {
        let bytes = super::read_data(path, LIMIT_BYTES)?;
        Indicators::parse(&bytes, path)
    }

    /// Reads the file's bytes; every problem is reported at once.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Indicators, DataError> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let header = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => return Err(DataError::one(path, format!("line 1: {e}"))),
        };
        let at = Positions::of(&header).map_err(|e| DataError::one(path, e))?;
        let mut problems = Vec::new();
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(record) => rows.extend(at.row(&record, &mut problems)),
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    problems.push(format!("line {line}: not a CSV row: {e}"));
                }
            }
        }
        if rows.is_empty() && problems.is_empty() {
            problems.push("no data rows".to_string());
        }
        if problems.is_empty() {
            Ok(Indicators {
                file: path.to_path_buf(),
                rows,
            })
        } else {
            Err(DataError {
                file: path.to_path_buf(),
                problems,
            })
        }
    }

    /// The years the file covers.
    pub fn years(&self) -> BTreeSet<u32> {
        self.rows.iter().map(|r| r.year).collect()
    }

    /// Finds an area, matching names forgivingly: case, punctuation, "&" and
    /// "and", "City of" and the like, old and new codes, or a unique word match.
    pub fn area(&self, query: &AreaQuery) -> Result<Area<'_>, String> {
        match query {
            AreaQuery::National => {
                let rows = self.by_year(|r| r.level == Level::National);
                let name = "England".to_string();
                if rows.is_empty() {
                    return Err("the file has no National rows".to_string());
                }
                Ok(Area {
                    name,
                    code: "E92000001".to_string(),
                    rows,
                })
            }
            AreaQuery::Region(text) => {
                let names = self.names(Level::Regional, |r| (&r.region_name, &r.region_code));
                let (name, code) = pick(text, &names, "region")?;
                let rows = self.by_year(|r| {
                    r.level == Level::Regional && (r.region_code == code || r.region_name == name)
                });
                Ok(Area { name, code, rows })
            }
            AreaQuery::LocalAuthority(text) => {
                let mut names = self.names(Level::LocalAuthority, |r| (&r.la_name, &r.new_la_code));
                // Old codes name the same authorities.
                let old: Vec<(String, String, String)> = self
                    .rows
                    .iter()
                    .filter(|r| r.level == Level::LocalAuthority && !r.old_la_code.is_empty())
                    .map(|r| {
                        (
                            r.la_name.clone(),
                            r.new_la_code.clone(),
                            r.old_la_code.clone(),
                        )
                    })
                    .collect();
                for entry in &mut names {
                    entry.2 = old
                        .iter()
                        .find(|(n, c, _)| *n == entry.0 && *c == entry.1)
                        .map(|(_, _, o)| o.clone())
                        .unwrap_or_default();
                }
                let (name, code) = pick(text, &names, "local authority")?;
                let rows = self.by_year(|r| {
                    r.level == Level::LocalAuthority
                        && ((!code.is_empty() && r.new_la_code == code) || r.la_name == name)
                });
                Ok(Area { name, code, rows })
            }
        }
    }

    /// Every local authority once, by its latest code (its name where it has
    /// none), in code order: an authority whose code changed keeps its name,
    /// and one renamed keeps its code.
    pub fn local_authorities(&self) -> Vec<String> {
        let mut seen: Vec<(String, String)> = Vec::new();
        for (name, code, _) in self.names(Level::LocalAuthority, |r| (&r.la_name, &r.new_la_code)) {
            if !seen
                .iter()
                .any(|(n, c)| *n == name || (!code.is_empty() && *c == code))
            {
                seen.push((name, code));
            }
        }
        let mut codes: Vec<String> = seen
            .into_iter()
            .map(|(name, code)| if code.is_empty() { name } else { code })
            .collect();
        codes.sort();
        codes
    }

    /// Every local authority's rows, one a year, grouped by code (by name
    /// where a row has none): the peers whose spreads a calibration pools.
    /// An authority whose code changed is two groups, each with fewer years.
    pub fn local_authority_areas(&self) -> Vec<Area<'_>> {
        let mut groups: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
        for r in self
            .rows
            .iter()
            .filter(|r| r.level == Level::LocalAuthority)
        {
            let key = if r.new_la_code.is_empty() {
                &r.la_name
            } else {
                &r.new_la_code
            };
            groups.entry(key).or_default().push(r);
        }
        groups
            .into_iter()
            .map(|(key, mut rows)| {
                one_a_year(&mut rows);
                let latest = rows.last().expect("a group has a row");
                Area {
                    name: latest.la_name.clone(),
                    code: key.to_string(),
                    rows,
                }
            })
            .collect()
    }

    /// Rows that pass `keep`, one per year (the latest line if a year repeats).
    fn by_year(&self, keep: impl Fn(&Row) -> bool) -> Vec<&Row> {
        let mut rows: Vec<&Row> = self.rows.iter().filter(|r| keep(r)).collect();
        one_a_year(&mut rows);
        rows
    }

    /// Each distinct (name, code) at a level, latest year first, with a slot
    /// for another code.
    fn names(
        &self,
        level: Level,
        key: impl Fn(&Row) -> (&String, &String),
    ) -> Vec<(String, String, String)> {
        let mut rows: Vec<&Row> = self.rows.iter().filter(|r| r.level == level).collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.year));
        let mut seen = Vec::new();
        for r in rows {
            let (name, code) = key(r);
            if !seen
                .iter()
                .any(|(n, c, _): &(String, String, String)| n == name && c == code)
            {
                seen.push((name.clone(), code.clone(), String::new()));
            }
        }
        seen
    }
}

/// Rows in year order, one a year: the latest line where a year repeats.
fn one_a_year(rows: &mut Vec<&Row>) {
    rows.sort_by_key(|r| (r.year, std::cmp::Reverse(r.line)));
    rows.dedup_by_key(|r| r.year);
}

/// The words of a name, lower case, with "&" read as "and" and punctuation dropped.
pub fn words(name: &str) -> Vec<String> {
    name.to_lowercase()
        .replace('&', " and ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Words that distinguish no authority: "Bristol, City of" is "Bristol".
const FILLER: [&str; 6] = ["city", "of", "county", "the", "council", "borough"];

fn significant(name: &str) -> Vec<String> {
    words(name)
        .into_iter()
        .filter(|w| !FILLER.contains(&w.as_str()))
        .collect()
}

/// Picks one (name, code) for `query` from `(name, code, other code)`
/// entries: by code, by name word for word, without filler words, or by a
/// unique entry containing every word of the query.
fn pick(
    query: &str,
    entries: &[(String, String, String)],
    kind: &str,
) -> Result<(String, String), String> {
    let q = query.trim();
    let found = |i: usize| Ok((entries[i].0.clone(), entries[i].1.clone()));
    let by = |test: &dyn Fn(&(String, String, String)) -> bool| -> Vec<usize> {
        let mut hits: Vec<usize> = (0..entries.len()).filter(|&i| test(&entries[i])).collect();
        hits.dedup_by_key(|i| entries[*i].0.clone());
        hits
    };
    let code = by(&|(_, c, o)| {
        (!c.is_empty() && c.eq_ignore_ascii_case(q)) || (!o.is_empty() && o.eq_ignore_ascii_case(q))
    });
    if let [i] = code[..] {
        return found(i);
    }
    let exact = by(&|(n, _, _)| words(n) == words(q));
    if let [i] = exact[..] {
        return found(i);
    }
    let plain = by(&|(n, _, _)| !significant(q).is_empty() && significant(n) == significant(q));
    if let [i] = plain[..] {
        return found(i);
    }
    let wanted = significant(q);
    let containing = by(&|(n, _, _)| {
        let have = words(n);
        !wanted.is_empty() && wanted.iter().all(|w| have.contains(w))
    });
    match containing[..] {
        [i] => found(i),
        [] => {
            let mut scored: Vec<(f64, &str)> = entries
                .iter()
                .map(|(n, _, _)| {
                    let score = strsim::jaro_winkler(&words(q).join(" "), &words(n).join(" "));
                    (score, n.as_str())
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            scored.dedup_by_key(|s| s.1);
            let close: Vec<String> = scored
                .iter()
                .take(3)
                .filter(|s| s.0 > 0.7)
                .map(|s| format!("\"{}\"", s.1))
                .collect();
            Err(if close.is_empty() {
                format!("no {kind} in the file matches \"{q}\"")
            } else {
                format!(
                    "no {kind} in the file matches \"{q}\"; did you mean {}?",
                    close.join(" or ")
                )
            })
        }
        _ => {
            let names: Vec<String> = containing
                .iter()
                .map(|&i| format!("\"{}\" ({})", entries[i].0, entries[i].1))
                .collect();
            Err(format!(
                "\"{q}\" matches more than one {kind}: {}; give more of the name or a code",
                names.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const HEADER: &str = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,inpost_fte,inpost_headcount,starters_fte,starters_headcount,leavers_fte,leavers_headcount,turnover_rate_fte,turnover_rate_headcount,agency_fte,agency_headcount,agency_rate_fte,agency_rate_headcount,agency_cover_fte,agency_cover_rate_fte,vacancy_fte,vacancy_rate_fte,vacancy_agency_cover_rate_fte,case_holders_fte,cases,caseload_fte,working_days_lost_fte,absence_rate_fte";

    fn la(year: u32, code: &str, old: &str, name: &str, values: &str) -> String {
        format!(
            "{year},Reporting year,Local authority,E92000001,England,E12000008,South East,{old},{code},{name},{values}"
        )
    }

    const VALUES: &str =
        "100,104,20,21,15,16,15,15.4,10,10,9.1,8.8,8,80,12,10.7,66.7,80,1200,15,500,2";

    fn file(rows: &[String]) -> Indicators {
        let text = format!("{HEADER}\n{}\n", rows.join("\n"));
        Indicators::parse(text.as_bytes(), Path::new("test.csv")).unwrap()
    }

    fn sample() -> Indicators {
        file(&[
            la(2024, "E06000039", "871", "Slough", VALUES),
            la(2024, "E06000023", "801", "\"Bristol, City of\"", VALUES),
            la(2024, "E09000002", "301", "Barking and Dagenham", VALUES),
            la(
                2024,
                "E06000010",
                "810",
                "\"Kingston upon Hull, City of\"",
                VALUES,
            ),
            la(2024, "E06000043", "846", "Brighton and Hove", VALUES),
            la(2024, "E10000032", "938", "West Sussex", VALUES),
            la(2024, "E10000011", "845", "East Sussex", VALUES),
        ])
    }

    fn la_named(q: &str) -> Result<String, String> {
        sample()
            .area(&AreaQuery::LocalAuthority(q.to_string()))
            .map(|a| a.name)
    }

    #[test]
    fn names_match_forgivingly() {
        assert_eq!(la_named("slough").unwrap(), "Slough");
        assert_eq!(la_named("  SLOUGH ").unwrap(), "Slough");
        assert_eq!(la_named("Bristol").unwrap(), "Bristol, City of");
        assert_eq!(la_named("City of Bristol").unwrap(), "Bristol, City of");
        assert_eq!(
            la_named("Barking & Dagenham").unwrap(),
            "Barking and Dagenham"
        );
        assert_eq!(la_named("Hull").unwrap(), "Kingston upon Hull, City of");
        assert_eq!(la_named("brighton-and-hove").unwrap(), "Brighton and Hove");
        assert_eq!(la_named("E06000039").unwrap(), "Slough");
        assert_eq!(la_named("871").unwrap(), "Slough");
    }

    #[test]
    fn no_match_suggests_and_ambiguity_lists() {
        let e = la_named("Slugh").unwrap_err();
        assert!(e.contains("did you mean \"Slough\""), "{e}");
        let e = la_named("Sussex").unwrap_err();
        assert!(
            e.contains("West Sussex") && e.contains("East Sussex"),
            "{e}"
        );
    }

    #[test]
    fn missing_codes_are_kept_never_zero() {
        let values = VALUES
            .replacen("12,", "c,", 1)
            .replacen("10,10,", "low,x,", 1);
        let f = file(&[la(2024, "E06000039", "871", "Slough", &values)]);
        let row = &f.rows[0];
        assert_eq!(
            row.value(Column::VacancyFte),
            Value::Missing(Missing::Confidential)
        );
        assert_eq!(row.value(Column::AgencyFte), Value::Missing(Missing::Low));
        assert_eq!(
            row.value(Column::AgencyHeadcount),
            Value::Missing(Missing::NotAvailable)
        );
        assert_eq!(row.number(Column::InpostFte), Some(100.0));
    }

    #[test]
    fn every_bad_cell_is_reported_with_line_and_column() {
        let bad = VALUES
            .replacen("100,", "lots,", 1)
            .replacen("16,15,", "16,-3,", 1);
        let text = format!(
            "{HEADER}\n{}\n{}\n",
            la(2024, "E06000039", "871", "Slough", &bad),
            la(20, "E06000039", "871", "Slough", VALUES)
        );
        let e = Indicators::parse(text.as_bytes(), Path::new("t.csv")).unwrap_err();
        assert_eq!(e.problems.len(), 3, "{e}");
        assert!(
            e.problems[0].starts_with("line 2, column inpost_fte: `lots`"),
            "{e}"
        );
        assert!(
            e.problems[1].starts_with("line 2, column turnover_rate_fte"),
            "{e}"
        );
        assert!(
            e.problems[2].starts_with("line 3, column time_period"),
            "{e}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let text = format!(
            "\u{feff}{HEADER}\n{}\n",
            la(2024, "E06000039", "871", "Slough", VALUES)
        );
        assert!(Indicators::parse(text.as_bytes(), Path::new("t.csv")).is_ok());
    }

    #[test]
    fn a_foreign_file_names_the_missing_columns() {
        let e = Indicators::parse(b"a,b\n1,2\n", Path::new("t.csv")).unwrap_err();
        assert!(e.problems[0].contains("inpost_fte"), "{e}");
    }

    #[test]
    fn every_local_authority_is_listed_once_by_its_latest_code() {
        let indicators = file(&[
            la(2019, "E10000002", "825", "Buckinghamshire", VALUES),
            la(2024, "E06000060", "825", "Buckinghamshire", VALUES),
            la(2023, "E06000039", "871", "Slough", VALUES),
            la(2024, "E06000039", "871", "Slough Borough", VALUES),
            la(2024, "E09000002", "301", "Barking and Dagenham", VALUES),
        ]);
        assert_eq!(
            indicators.local_authorities(),
            ["E06000039", "E06000060", "E09000002"]
        );
    }
}

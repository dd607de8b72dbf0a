//! Compiling the career keys: ASYE, progression panels, specialisms, training
//! cohorts, the teaching partnership, grow-your-own routes and caseload pressure.

use super::document::Value;
use super::read::{Bound, TableReader, quote_list};
use crate::calendar::Month;
use crate::model::{
    Asye, Careers, CaseloadPressure, GrowYourOwn, Progression, Specialism, TeachingPartnership,
    TrainingCohort,
};

/// Names of things declared elsewhere in the file, for cross-references.
pub struct Names<'a> {
    pub grades: &'a [String],
    pub specialisms: &'a [String],
}

/// A reference to a declared grade or specialism by name.
pub(super) fn lookup(
    r: &TableReader,
    key: &'static str,
    names: &[String],
    what: &str,
) -> Option<usize> {
    let name = r.string(key)?;
    let found = names.iter().position(|n| n == name);
    if found.is_none() {
        let list: Vec<&str> = names.iter().map(String::as_str).collect();
        r.wrong(
            r.node(key).expect("read above"),
            key,
            format!("one of the declared {what}: {}", quote_list(&list)),
        );
    }
    found
}

pub(super) fn lookup_list(
    r: &TableReader,
    key: &'static str,
    names: &[String],
    what: &str,
) -> Option<Vec<usize>> {
    let items = r.array(key)?;
    let list: Vec<&str> = names.iter().map(String::as_str).collect();
    let found: Vec<Option<usize>> = items
        .iter()
        .enumerate()
        .map(|(i, node)| match &node.value {
            Value::String(s) if names.contains(s) => names.iter().position(|n| n == s),
            _ => {
                r.wrong(
                    node,
                    &format!("{key}[{i}]"),
                    format!("one of the declared {what}: {}", quote_list(&list)),
                );
                None
            }
        })
        .collect();
    found.into_iter().collect()
}

/// Months of the year, 1 to 12.
pub(super) fn months_of_year(
    r: &TableReader,
    key: &'static str,
    default: Option<Vec<u32>>,
) -> Option<Vec<u32>> {
    let Some(node) = r.node(key) else {
        if default.is_none() {
            r.missing(
                key,
                "an array of months of the year, 1 (January) to 12 (December)",
            );
        }
        return default;
    };
    let items = r.array_node(node, key)?;
    let months: Vec<Option<u32>> = items
        .iter()
        .enumerate()
        .map(|(i, n)| match n.value {
            Value::Integer(m) if (1..=12).contains(&m) => Some(m as u32),
            _ => {
                r.wrong(
                    n,
                    &format!("{key}[{i}]"),
                    "a month of the year, 1 (January) to 12 (December)",
                );
                None
            }
        })
        .collect();
    months.into_iter().collect()
}

fn month_of_year(r: &TableReader, key: &'static str, default: u32) -> Option<u32> {
    r.integer_or(key, 1, 12, i64::from(default))
        .map(|m| m as u32)
}

fn months(r: &TableReader, key: &'static str, default: Option<u32>) -> Option<u32> {
    match default {
        Some(d) => r.integer_or(key, 0, 1200, i64::from(d)),
        None => r.integer(key, 0, 1200),
    }
    .map(|m| m as u32)
}

/// Specialisms are declared first, so that grades and training can name them.
pub fn read_specialism_names(root: &TableReader) -> Vec<String> {
    match root.table_ref().get("specialisms").map(|e| &e.node.value) {
        Some(Value::Table(t)) => t.entries.iter().map(|e| e.key.clone()).collect(),
        _ => Vec::new(),
    }
}

pub fn read_careers(root: &TableReader, start: Month, names: &Names) -> Option<Careers> {
    let specialisms = root.read_named("specialisms", |r, name| read_specialism(r, name, start));
    if root.named_tables("specialisms").len() > 16 {
        root.wrong(
            root.node("specialisms").expect("specialisms are declared"),
            "specialisms",
            "at most 16 specialisms",
        );
    }
    let asye = optional(root, "asye", |r| read_asye(r, start, names));
    let progressions = root.read_named("progression", |r, name| {
        read_progression(r, name, start, names)
    });
    let training = root.read_named("training", |r, name| read_training(r, name, start, names));
    let partnership = optional(root, "teaching_partnership", |r| {
        read_partnership(r, start, names)
    });
    if let (Some(Some(_)), Some(None)) = (&partnership, &asye) {
        root.missing(
            "asye",
            "an [asye] table naming the grade NQSWs join, since a teaching partnership is declared",
        );
    }
    let grow = root.read_named("grow_your_own", |r, name| {
        read_grow_your_own(r, name, start)
    });
    if !root.named_tables("grow_your_own").is_empty() && matches!(asye, Some(None)) {
        root.missing(
            "asye",
            "an [asye] table naming the grade NQSWs join, since grow-your-own routes are declared",
        );
    }
    let caseload = optional(root, "caseload", |r| {
        let safe = r.number("safe_level", Bound::Positive);
        let multiplier = r.number_or("pressure_leaving_multiplier", Bound::NonNegative, 1.0);
        Some(CaseloadPressure {
            safe_level: Some(safe?),
            leaving_multiplier: multiplier?,
        })
    });
    Some(Careers {
        asye: asye?,
        progressions: progressions?,
        specialisms: specialisms?,
        training: training?,
        partnership: partnership?,
        grow_your_own: grow?,
        caseload: caseload?.unwrap_or(CaseloadPressure {
            safe_level: None,
            leaving_multiplier: 1.0,
        }),
    })
}

fn read_specialism(r: &TableReader, name: &str, start: Month) -> Option<Specialism> {
    let required = r.param_if_given("required", Bound::NonNegative, start);
    let multiplier = r.param_or("leaving_multiplier", Bound::NonNegative, start, 1.0);
    let rate = r.param_if_given("annual_leaving_rate", Bound::Unit, start);
    Some(Specialism {
        name: name.to_string(),
        required: required?,
        leaving_multiplier: multiplier?,
        annual_leaving_rate: rate?,
    })
}

/// Reads an optional table: `Some(None)` if absent, `None` if it has problems.
pub(super) fn optional<T>(
    root: &TableReader,
    key: &'static str,
    read: impl FnOnce(&TableReader) -> Option<T>,
) -> Option<Option<T>> {
    match root.node(key) {
        None => Some(None),
        Some(node) => {
            let r = root.table_node(node, key)?;
            let value = read(&r);
            r.finish();
            value.map(Some)
        }
    }
}

fn read_asye(r: &TableReader, start: Month, names: &Names) -> Option<Asye> {
    let grade = lookup(r, "grade", names.grades, "grades");
    let next = lookup(r, "next_grade", names.grades, "grades");
    let duration = months(r, "duration_months", Some(12));
    let pass = r.param_or("pass_rate", Bound::Unit, start, 1.0);
    if let (Some(g), Some(n)) = (grade, next) {
        if g == n {
            r.wrong(
                r.node("next_grade").expect("read above"),
                "next_grade",
                "a grade other than the ASYE grade",
            );
            return None;
        }
    }
    Some(Asye {
        grade: grade?,
        duration_months: duration?.max(1),
        pass_rate: pass?,
        next_grade: next?,
    })
}

fn read_progression(
    r: &TableReader,
    name: &str,
    start: Month,
    names: &Names,
) -> Option<Progression> {
    let from = lookup(r, "from", names.grades, "grades");
    let mut to = lookup(r, "to", names.grades, "grades");
    if from.is_some() && from == to {
        r.wrong(
            r.node("to").expect("read above"),
            "to",
            "a grade other than `from`",
        );
        to = None;
    }
    let panel_months = months_of_year(r, "panel_months", None);
    let min_in_grade = months(r, "min_months_in_grade", Some(0));
    let min_qualified = months(r, "min_months_qualified", Some(0));
    let success = r.param("success_rate", Bound::Unit, start);
    let requires_vacancy = r.boolean_or("requires_vacancy", false);
    let stall = match r.node("stall_after_months") {
        None => Some(None),
        Some(_) => months(r, "stall_after_months", None).map(Some),
    };
    let stall_multiplier = r.number_or("stall_leaving_multiplier", Bound::NonNegative, 1.0);
    if r.node("stall_after_months").is_none() && r.node("stall_leaving_multiplier").is_some() {
        r.missing(
            "stall_after_months",
            "the months without promotion after which `stall_leaving_multiplier` applies; without them it never would",
        );
    }
    Some(Progression {
        name: name.to_string(),
        from: from?,
        to: to?,
        panel_months: panel_months?,
        min_months_in_grade: min_in_grade?,
        min_months_qualified: min_qualified?,
        success_rate: success?,
        requires_vacancy: requires_vacancy?,
        stall_after_months: stall?,
        stall_leaving_multiplier: stall_multiplier?,
    })
}

fn read_training(
    r: &TableReader,
    name: &str,
    start: Month,
    names: &Names,
) -> Option<TrainingCohort> {
    let specialism = names.specialisms.iter().position(|s| s == name);
    if specialism.is_none() {
        let list: Vec<&str> = names.specialisms.iter().map(String::as_str).collect();
        r.problems().report(
            r.node_at("specialism"),
            r.path(),
            Some(format!("training `{name}`")),
            format!(
                "training named after a declared specialism ([specialisms.{name}]); declared: {}",
                quote_list(&list)
            ),
        );
    }
    let intake = months_of_year(r, "intake_months", None);
    let size = r.param("cohort_size", Bound::NonNegative, start);
    let grades = lookup_list(r, "eligible_grades", names.grades, "grades");
    let min_q = months(r, "min_months_qualified", Some(0));
    let duration = months(r, "duration_months", None);
    let release = r.number_or("release_fraction", Bound::Unit, 0.0);
    let pass = r.param_or("pass_rate", Bound::Unit, start, 1.0);
    Some(TrainingCohort {
        specialism: specialism?,
        intake_months: intake?,
        cohort_size: size?,
        eligible_grades: grades?,
        min_months_qualified: min_q?,
        duration_months: duration?.max(1),
        release_fraction: release?,
        pass_rate: pass?,
    })
}

fn read_partnership(r: &TableReader, start: Month, names: &Names) -> Option<TeachingPartnership> {
    let placements = r.param("placements_per_year", Bound::NonNegative, start);
    let placement_month = month_of_year(r, "placement_month", 9);
    let educator = match r.node("practice_educator") {
        None => {
            r.node("students_per_educator");
            Some(None)
        }
        Some(_) => {
            let s = lookup(r, "practice_educator", names.specialisms, "specialisms");
            let each = r.number_or("students_per_educator", Bound::NonNegative, 1.0);
            Some(Some((s?, each?)))
        }
    };
    let graduation = r.param_or("graduation_rate", Bound::Unit, start, 1.0);
    let to_graduation = months(r, "months_to_graduation", Some(12));
    let before = r.integer_or("students_before_start", 0, 100_000, 0);
    let acceptance = r.param("local_acceptance_rate", Bound::Unit, start);
    let intake_month = month_of_year(r, "intake_month", 9);
    let target = r.param_if_given("intake_target", Bound::NonNegative, start);
    let external = r.param_or("external_applicants", Bound::NonNegative, start, 0.0);
    Some(TeachingPartnership {
        placements_per_year: placements?,
        placement_month: placement_month?,
        practice_educator: educator?,
        graduation_rate: graduation?,
        months_to_graduation: to_graduation?,
        students_before_start: before? as u32,
        local_acceptance_rate: acceptance?,
        intake_month: intake_month?,
        intake_target: target?,
        external_applicants: external?,
    })
}

fn read_grow_your_own(r: &TableReader, name: &str, start: Month) -> Option<GrowYourOwn> {
    let cohorts = r.array("cohorts").and_then(|items| {
        let read: Vec<Option<(Month, u32)>> = items
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let key = format!("cohorts[{i}]");
                let t = r.table_node(node, &key)?;
                let month = t.month("start");
                let size = t.integer("size", 0, 100_000);
                t.finish();
                Some((month?, size? as u32))
            })
            .collect();
        read.into_iter().collect::<Option<Vec<_>>>()
    });
    let duration = months(r, "duration_months", None);
    let completion = r.param_or("completion_rate", Bound::Unit, start, 1.0);
    Some(GrowYourOwn {
        name: name.to_string(),
        cohorts: cohorts?,
        duration_months: duration?,
        completion_rate: completion?,
    })
}

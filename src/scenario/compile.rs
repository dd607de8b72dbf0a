//! The one step that turns a scenario file into a [`Scenario`], or into every
//! problem it has.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::careers;
use super::document::{self, Node, Position, Table, Value};
use super::error::{Problem, ScenarioError};
use super::finance;
use super::read::{Bound, Problems, TableReader, quote_list};
use crate::calendar::Month;
use crate::metrics::{Catalogue, MetricId};
use crate::model::{
    Agency, AgencyCap, Comparison, Demand, EstablishmentDrift, Grade, Leaving, Model, Recruitment,
    Scenario, ServiceBands, StartingStock, Target, Variant,
};
use crate::param::Param;

/// The longest horizon a scenario may ask for: 100 years.
pub const MAX_HORIZON_MONTHS: i64 = 1200;
pub const MAX_REPLICATIONS: i64 = 10_000_000;
pub const MAX_GRADES: usize = 64;

/// Keys a variant may not change: variants share the base's clock, its random
/// numbers and its name, so that replication r of every variant is comparable.
const FIXED_FOR_VARIANTS: &[&str] = &[
    "name",
    "seed",
    "replications",
    "start",
    "horizon_months",
    "variants",
];

/// Reads and compiles a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    compile(&read_text(path)?, path)
}

/// Scenario files are small (the bundled ones are under 20 KB); anything
/// this large is not one, and is refused before it is read.
pub const MAX_SCENARIO_BYTES: u64 = 16 << 20;

/// A scenario file's text, or why it cannot be read.
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() && meta.len() > MAX_SCENARIO_BYTES {
            return Err(ScenarioError::Unreadable {
                file: path.to_path_buf(),
                reason: format!(
                    "the file is {:.1} MB; a scenario file is at most {} MB (the bundled ones are under 20 KB)",
                    meta.len() as f64 / f64::from(1u32 << 20),
                    MAX_SCENARIO_BYTES >> 20
                ),
            });
        }
    }
    let bytes = std::fs::read(path).map_err(|e| ScenarioError::Unreadable {
        file: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| ScenarioError::Unreadable {
        file: path.to_path_buf(),
        reason: format!(
            "the file is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// Compiles scenario text; `file` names it in error messages.
pub fn compile(text: &str, file: &Path) -> Result<Scenario, ScenarioError> {
    let invalid = |problems: Vec<Problem>| ScenarioError::Invalid {
        file: file.to_path_buf(),
        source_text: text.to_string(),
        problems,
    };
    let root = document::parse(text).map_err(|e| {
        invalid(vec![Problem {
            at: e.at,
            path: String::new(),
            variant: None,
            found: None,
            allowed: format!("valid TOML: {}", e.message),
        }])
    })?;

    let problems = Problems::default();
    let reader = TableReader::new(&root, "", Position { line: 1, column: 1 }, &problems);
    let name = reader.string("name");
    if let Some(name) = name {
        check_name(&reader, "name", name);
    }
    let description = reader.string_or("description", "");
    let replications = reader.integer("replications", 1, MAX_REPLICATIONS);
    let seed = reader.integer("seed", 0, i64::MAX);
    let base = compile_model(&reader);
    let variant_tables = reader.named_tables("variants");
    reader.finish();
    for (variant_name, variant) in &variant_tables {
        check_name(variant, "", variant_name);
    }
    let base_problems = problems.snapshot();

    let mut all_problems = base_problems.clone();
    let mut variants = Vec::new();
    for (variant_name, variant) in &variant_tables {
        let (model, changes, problems) = compile_variant(&root, variant, variant_name);
        for mut p in problems {
            if base_problems.contains(&p) {
                continue;
            }
            if !p.path.starts_with("variants.") {
                p.variant = Some(variant_name.to_string());
            }
            if !all_problems.contains(&p) {
                all_problems.push(p);
            }
        }
        let description = match variant.node("description") {
            Some(Node {
                value: Value::String(s),
                ..
            }) => s.clone(),
            _ => String::new(),
        };
        variants.push(model.map(|model| Variant {
            name: variant_name.to_string(),
            description,
            changes: Some(changes),
            model,
        }));
    }

    if !all_problems.is_empty() {
        all_problems.sort_by_key(|p| p.at);
        return Err(invalid(all_problems));
    }
    let base = Variant {
        name: "base".into(),
        description: "The scenario as written, without variants".into(),
        changes: None,
        model: base.expect("no problems means the base compiled"),
    };
    Ok(Scenario {
        name: name.expect("no problems").to_string(),
        description: description.expect("no problems").to_string(),
        variants: std::iter::once(base)
            .chain(variants.into_iter().map(|v| v.expect("no problems")))
            .collect(),
        replications: replications.expect("no problems") as u32,
        seed: seed.expect("no problems") as u64,
        content_hash: Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    })
}

/// Whether a scenario may carry `name` (of itself, a grade, a variant):
/// names become folder names and metric names, so they are kept plain.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && name != "base"
}

fn check_name(reader: &TableReader, key: &str, name: &str) {
    if !is_plain_name(name) {
        // With no key, the name is the table's own: where the table starts.
        let at = reader.node_at(key);
        reader.problems().report(
            at,
            &if key.is_empty() {
                reader.path().to_string()
            } else {
                reader.key_path(key)
            },
            Some(format!("{name:?}")),
            "a name of letters, digits, `_` and `-` (and not `base`)".into(),
        );
    }
}

/// A variant's model, the key paths it sets and its problems.
fn compile_variant(
    root: &Table,
    variant: &TableReader,
    name: &str,
) -> (Option<Model>, Vec<String>, Vec<Problem>) {
    let problems = Problems::default();
    let mut merged = root.clone();
    merged.entries.retain(|e| e.key != "variants");
    let mut overlay = variant.table_ref().clone();
    overlay.entries.retain(|e| e.key != "description");
    for e in &overlay.entries {
        if FIXED_FOR_VARIANTS.contains(&e.key.as_str()) {
            problems.report(
                e.key_at,
                &format!("variants.{name}.{}", e.key),
                Some(format!("`{}`", e.key)),
                format!(
                    "a change to the model; variants share the base's {}",
                    quote_list(FIXED_FOR_VARIANTS)
                ),
            );
        }
    }
    overlay
        .entries
        .retain(|e| !FIXED_FOR_VARIANTS.contains(&e.key.as_str()));
    let changes = merged.overlay(&overlay);
    let reader = TableReader::new(&merged, "", Position { line: 1, column: 1 }, &problems);
    for key in FIXED_FOR_VARIANTS {
        reader.node(key);
    }
    reader.node("description");
    let model = compile_model(&reader);
    reader.finish();
    (model, changes, problems.into_vec())
}

/// Reads everything that a variant may change.
fn compile_model(root: &TableReader) -> Option<Model> {
    let start = root.month("start");
    let horizon = root.integer("horizon_months", 1, MAX_HORIZON_MONTHS);
    // Without a start month (reported) the rest is still read, against a
    // stand-in, so that every other problem is reported with it; nothing is
    // checked against the start, and no model comes of it.
    let start_known = start.is_some();
    let start = start.unwrap_or_else(|| {
        root.problems().set_start_unknown();
        Month::new(2000, 1).expect("a month")
    });
    let leaving_reader = root.table("leaving");
    if leaving_reader.is_none() {
        root.missing(
            "leaving",
            "a [leaving] table with `bands_years` and `annual_rate`",
        );
    }
    let bands = leaving_reader.as_ref().and_then(read_bands);
    let specialism_names = careers::read_specialism_names(root);
    let grades = read_grades(root, start, bands.as_ref(), &specialism_names);
    let grade_names: Vec<String> = grades.iter().map(|(n, _)| n.clone()).collect();
    let careers = careers::read_careers(
        root,
        start,
        &careers::Names {
            grades: &grade_names,
            specialisms: &specialism_names,
        },
    );
    let leaving = leaving_reader.and_then(|r| {
        let leaving = read_leaving(&r, start, bands.as_ref(), &grade_names);
        r.finish();
        leaving
    });
    let recruitment = required_table(root, "recruitment", |r| {
        read_recruitment(r, start, &grade_names)
    });
    let agency = required_table(root, "agency", |r| read_agency(r, start));
    let demand = required_table(root, "demand", |r| read_demand(r, start));
    let establishment = careers::optional(root, "establishment", |r| read_establishment(r, start));
    let catalogue = bands
        .as_ref()
        .map(|b| Catalogue::new(&grade_names, &b.labels, &specialism_names));
    // Without a horizon (reported) targets are read against the longest one,
    // with their months left unchecked; without a catalogue (no usable
    // [leaving] table, reported) with their metric names unchecked.
    let targets = read_targets(
        root,
        start,
        horizon.map_or(MAX_HORIZON_MONTHS as u32, |h| h as u32),
        catalogue.as_ref(),
        start_known && horizon.is_some(),
    );
    let names = careers::Names {
        grades: &grade_names,
        specialisms: &specialism_names,
    };
    let finance = finance::read_finance(root, start, &names, careers.as_ref());
    let agency_rules = finance::read_agency_rules(root, start);
    let grades: Option<Vec<Grade>> = grades.into_iter().map(|(_, g)| g).collect();
    let mut grades = grades?;
    let careers = careers?;
    // NQSWs qualified when they joined; everyone else is assumed experienced.
    if let Some(asye) = &careers.asye {
        let g = &mut grades[asye.grade];
        if g.months_qualified_at_hire == DEFAULT_MONTHS_QUALIFIED_AT_HIRE {
            g.months_qualified_at_hire = 0;
        }
    }
    if grades.is_empty() {
        root.missing("grades", "at least one grade, e.g. [grades.social_worker]");
        return None;
    }
    if !start_known {
        return None;
    }
    Some(Model {
        start,
        horizon_months: horizon? as u32,
        grades,
        bands: bands?,
        leaving: leaving?,
        recruitment: recruitment?,
        agency: agency?,
        demand: demand?,
        establishment: establishment?,
        careers,
        targets: targets?,
        catalogue: catalogue?,
        finance: finance?,
        agency_rules: agency_rules?,
    })
}

fn required_table<T>(
    root: &TableReader,
    key: &'static str,
    read: impl FnOnce(&TableReader) -> Option<T>,
) -> Option<T> {
    match root.table(key) {
        None => {
            if !root.contains(key) {
                root.missing(key, &format!("the [{key}] table"));
            }
            None
        }
        Some(r) => {
            let value = read(&r);
            r.finish();
            value
        }
    }
}

fn read_bands(leaving: &TableReader) -> Option<ServiceBands> {
    let items = leaving.array("bands_years")?;
    let years: Vec<Option<f64>> = items
        .iter()
        .enumerate()
        .map(|(i, n)| leaving.number_node(n, &format!("bands_years[{i}]"), Bound::NonNegative))
        .collect();
    let years: Vec<f64> = years.into_iter().collect::<Option<_>>()?;
    match ServiceBands::from_years(&years) {
        Ok(bands) => Some(bands),
        Err(allowed) => {
            let node = leaving.node("bands_years").expect("read above");
            leaving.wrong(node, "bands_years", allowed);
            None
        }
    }
}

fn read_grades(
    root: &TableReader,
    start: Month,
    bands: Option<&ServiceBands>,
    specialisms: &[String],
) -> Vec<(String, Option<Grade>)> {
    let tables = root.named_tables("grades");
    if tables.len() > MAX_GRADES {
        root.wrong(
            root.node("grades").expect("read above"),
            "grades",
            format!("at most {MAX_GRADES} grades"),
        );
    }
    tables
        .into_iter()
        .map(|(name, r)| {
            check_name(&r, "", name);
            let grade = read_grade(&r, name, start, bands, specialisms);
            r.finish();
            (name.to_string(), grade)
        })
        .collect()
}

/// Months qualified assumed for experienced staff when a grade does not say:
/// three years (assumption; the ASYE grade defaults to 0).
const DEFAULT_MONTHS_QUALIFIED_AT_HIRE: u32 = 36;

fn read_grade(
    r: &TableReader,
    name: &str,
    start: Month,
    bands: Option<&ServiceBands>,
    specialisms: &[String],
) -> Option<Grade> {
    let caseload_weight = r.number("caseload_weight", Bound::NonNegative);
    let case_holding = r.boolean_or("case_holding", true);
    let establishment_fte = r.param("establishment_fte", Bound::NonNegative, start);
    let hire_fte = r.number_or("hire_fte", Bound::Positive, 1.0);
    if let (Some(fte), Some(node)) = (hire_fte, r.node("hire_fte")) {
        if fte > 1.0 {
            r.wrong(node, "hire_fte", "an FTE greater than 0 and at most 1");
        }
    }
    let months_qualified = r.integer_or(
        "months_qualified_at_hire",
        0,
        1200,
        i64::from(DEFAULT_MONTHS_QUALIFIED_AT_HIRE),
    );
    let agency_cover = r.boolean_or("agency_cover", true);
    let (perm_heads, perm_fte) = read_stock(r, "permanent");
    let specialists = read_specialists(r, specialisms, perm_heads);
    let (agency_heads, agency_fte) = read_stock(r, "agency");
    let service_counts = match (perm_heads, bands) {
        (Some(heads), Some(bands)) => read_service_mix(r, heads, bands),
        _ => {
            r.node("service_mix");
            None
        }
    };
    Some(Grade {
        name: name.to_string(),
        caseload_weight: caseload_weight?,
        case_holding: case_holding?,
        establishment_fte: establishment_fte?,
        hire_fte: hire_fte?,
        months_qualified_at_hire: months_qualified? as u32,
        agency_cover: agency_cover?,
        start: StartingStock {
            permanent_headcount: perm_heads?,
            permanent_fte: perm_fte?,
            agency_headcount: agency_heads?,
            agency_fte: agency_fte?,
            service_counts: service_counts?,
            specialists: specialists?,
        },
    })
}

/// `specialists = { amhp = 5 }`: starting permanent staff holding each specialism.
fn read_specialists(
    r: &TableReader,
    specialisms: &[String],
    heads: Option<u32>,
) -> Option<Vec<u32>> {
    let mut counts = vec![0; specialisms.len()];
    let Some(t) = r.table("specialists") else {
        return Some(counts);
    };
    let mut ok = true;
    for entry in &t.table_ref().entries {
        let Some(s) = specialisms.iter().position(|n| n == &entry.key) else {
            let list: Vec<&str> = specialisms.iter().map(String::as_str).collect();
            r.problems().report(
                entry.key_at,
                &t.key_path(&entry.key),
                Some(format!("specialism `{}`", entry.key)),
                format!(
                    "a specialism declared in [specialisms]: {}",
                    quote_list(&list)
                ),
            );
            ok = false;
            continue;
        };
        match (&entry.node.value, heads) {
            (Value::Integer(n), Some(h)) if *n >= 0 && *n <= i64::from(h) => counts[s] = *n as u32,
            (_, Some(h)) => {
                t.wrong(
                    &entry.node,
                    &entry.key,
                    format!("a whole number from 0 to the permanent headcount ({h})"),
                );
                ok = false;
            }
            (_, None) => ok = false,
        }
    }
    ok.then_some(counts)
}

/// `permanent = { headcount = 41, fte = 39.5 }`; absent means none.
fn read_stock(r: &TableReader, key: &'static str) -> (Option<u32>, Option<f64>) {
    let Some(node) = r.node(key) else {
        return (Some(0), Some(0.0));
    };
    let Some(t) = r.table_node(node, key) else {
        return (None, None);
    };
    let heads = t.integer("headcount", 0, 1_000_000);
    let fte = t.number("fte", Bound::NonNegative);
    t.finish();
    if let (Some(h), Some(f)) = (heads, fte) {
        let consistent = f <= f64::from(h as u32) + 1e-9 && (h == 0) == (f == 0.0);
        if !consistent {
            r.wrong(
                node,
                key,
                format!("an FTE of no more than the headcount ({h}), and above 0 when anyone is in post (found fte = {f})"),
            );
            return (None, None);
        }
    }
    (heads.map(|h| h as u32), fte)
}

/// Counts (summing to the permanent headcount) or shares (summing to 1) per band.
fn read_service_mix(r: &TableReader, heads: u32, bands: &ServiceBands) -> Option<Vec<u32>> {
    let allowed = format!(
        "one number per service band ({}), either counts summing to the permanent headcount ({heads}) or shares summing to 1",
        bands.labels.join(", ")
    );
    let Some(node) = r.node("service_mix") else {
        if heads == 0 {
            return Some(vec![0; bands.len()]);
        }
        r.missing("service_mix", &allowed);
        return None;
    };
    let items = r.array_node(node, "service_mix")?;
    let values: Option<Vec<f64>> = items
        .iter()
        .enumerate()
        .map(|(i, n)| r.number_node(n, &format!("service_mix[{i}]"), Bound::NonNegative))
        .collect();
    let values = values?;
    let sum: f64 = values.iter().sum();
    let counts = values.iter().all(|v| v.fract() == 0.0) && sum == f64::from(heads);
    // Shares rounded to a few decimals (as `calibrate hr` writes them) may sum to 1 within rounding.
    if values.len() != bands.len() || !(counts || (sum - 1.0).abs() < 1e-3) {
        r.wrong(node, "service_mix", allowed);
        return None;
    }
    if counts {
        return Some(values.iter().map(|v| *v as u32).collect());
    }
    let shares: Vec<f64> = values.iter().map(|v| v / sum).collect();
    Some(largest_remainder(&shares, heads))
}

/// Shares to whole counts that sum exactly to `total` (Hamilton's method;
/// ties go to the earlier band, so the result is deterministic).
fn largest_remainder(shares: &[f64], total: u32) -> Vec<u32> {
    let exact: Vec<f64> = shares.iter().map(|s| s * f64::from(total)).collect();
    let mut counts: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    let short = total - counts.iter().sum::<u32>();
    for &i in order.iter().take(short as usize) {
        counts[i] += 1;
    }
    counts
}

fn read_rates(
    r: &TableReader,
    key: &'static str,
    start: Month,
    bands: &ServiceBands,
) -> Option<Vec<Param>> {
    let node = r.node(key);
    let Some(node) = node else {
        r.missing(
            key,
            &format!(
                "one annual rate per service band ({})",
                bands.labels.join(", ")
            ),
        );
        return None;
    };
    let items = r.array_node(node, key)?;
    if items.len() != bands.len() {
        r.wrong(
            node,
            key,
            format!(
                "{} annual rates, one per service band ({})",
                bands.len(),
                bands.labels.join(", ")
            ),
        );
        return None;
    }
    items
        .iter()
        .enumerate()
        .map(|(i, n)| r.param_node(n, &format!("{key}[{i}]"), Bound::Unit, start))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

fn read_leaving(
    r: &TableReader,
    start: Month,
    bands: Option<&ServiceBands>,
    grades: &[String],
) -> Option<Leaving> {
    let agency_annual_rate = r.param("agency_annual_rate", Bound::Unit, start);
    let Some(bands) = bands else {
        r.node("annual_rate");
        r.node("by_grade");
        return None;
    };
    let base = read_rates(r, "annual_rate", start, bands);
    let mut overrides = vec![None; grades.len()];
    for (grade, t) in r.named_tables("by_grade") {
        match grades.iter().position(|g| g == grade) {
            Some(g) => overrides[g] = Some(read_rates(&t, "annual_rate", start, bands)),
            None => unknown_grade(r, "by_grade", grade, grades),
        }
        t.finish();
    }
    let base = base?;
    let annual_rate = overrides
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Some(base.clone())))
        .collect::<Option<Vec<_>>>()?;
    Some(Leaving {
        annual_rate,
        agency_annual_rate: agency_annual_rate?,
    })
}

fn unknown_grade(r: &TableReader, key: &'static str, grade: &str, grades: &[String]) {
    let names: Vec<&str> = grades.iter().map(String::as_str).collect();
    let at = r.node_at(key);
    r.problems().report(
        at,
        &format!("{}.{grade}", r.key_path(key)),
        Some(format!("grade `{grade}`")),
        format!("one of the declared grades: {}", quote_list(&names)),
    );
}

fn read_recruitment(r: &TableReader, start: Month, grades: &[String]) -> Option<Recruitment> {
    let hire = r.param("hire_monthly_probability", Bound::Unit, start);
    let time_to_start = r.param("time_to_start_months", Bound::NonNegative, start);
    let conversion = r.param_or("agency_conversion_annual_rate", Bound::Unit, start, 0.0);
    let mut per_grade = vec![None; grades.len()];
    for (grade, t) in r.named_tables("by_grade") {
        match grades.iter().position(|g| g == grade) {
            Some(g) => per_grade[g] = Some(t.param("hire_monthly_probability", Bound::Unit, start)),
            None => unknown_grade(r, "by_grade", grade, grades),
        }
        t.finish();
    }
    let hire = hire?;
    Some(Recruitment {
        hire_monthly_probability: per_grade
            .into_iter()
            .map(|o| o.unwrap_or_else(|| Some(hire.clone())))
            .collect::<Option<Vec<_>>>()?,
        time_to_start_months: time_to_start?,
        agency_conversion_annual_rate: conversion?,
    })
}

fn read_agency(r: &TableReader, start: Month) -> Option<Agency> {
    let cover = r.param("cover_monthly_probability", Bound::Unit, start);
    let lag = r.param_or("cover_lag_months", Bound::NonNegative, start, 0.0);
    let returner_share = r.param_or("returner_share", Bound::Unit, start, 0.0);
    let returner_lag = r.integer_or("returner_lag_months", 0, 1200, 1);
    let cap = match r.table("cap") {
        None => Some(None),
        Some(t) => {
            let cap = match (t.contains("fte"), t.contains("share")) {
                (true, false) => t.number("fte", Bound::NonNegative).map(AgencyCap::Fte),
                (false, true) => t.number("share", Bound::Unit).map(AgencyCap::Share),
                _ => {
                    t.missing(
                        "fte",
                        "exactly one of `fte` (agency FTE) or `share` (agency rate, 0 to 1)",
                    );
                    None
                }
            };
            t.finish();
            cap.map(Some)
        }
    };
    Some(Agency {
        cover_monthly_probability: cover?,
        cover_lag_months: lag?,
        cap: cap?,
        returner_share: returner_share?,
        returner_lag_months: returner_lag? as u32,
    })
}

fn read_establishment(r: &TableReader, start: Month) -> Option<EstablishmentDrift> {
    let trend = r.param_or("monthly_trend", Bound::Any, start, 0.0);
    let noise = r.param_or("monthly_noise_sd", Bound::NonNegative, start, 0.0);
    Some(EstablishmentDrift {
        monthly_trend: trend?,
        monthly_noise_sd: noise?,
    })
}

fn read_demand(r: &TableReader, start: Month) -> Option<Demand> {
    // A series gives the open cases itself, the first month's included.
    let open_cases = if r.node("series").is_some() {
        r.param_or("open_cases", Bound::NonNegative, start, 0.0)
    } else {
        r.param("open_cases", Bound::NonNegative, start)
    };
    let trend = r.param_or("monthly_trend", Bound::Any, start, 0.0);
    let noise = r.param_or("monthly_noise_sd", Bound::NonNegative, start, 0.0);
    let series = match r.node("series") {
        None => Some(None),
        Some(node) => r.array_node(node, "series").and_then(|items| {
            if items.is_empty() {
                r.wrong(node, "series", "at least one month's open cases");
                return None;
            }
            items
                .iter()
                .enumerate()
                .map(|(i, n)| r.number_node(n, &format!("series[{i}]"), Bound::NonNegative))
                .collect::<Vec<_>>()
                .into_iter()
                .collect::<Option<Vec<f64>>>()
                .map(Some)
        }),
    };
    Some(Demand {
        open_cases: open_cases?,
        monthly_trend: trend?,
        monthly_noise_sd: noise?,
        series: series?,
    })
}

/// Targets; `check_months` says whether `start` and `horizon` are the
/// scenario's own, to check each target's month against.
fn read_targets(
    root: &TableReader,
    start: Month,
    horizon: u32,
    catalogue: Option<&Catalogue>,
    check_months: bool,
) -> Option<Vec<Target>> {
    root.read_named("targets", |t, name| {
        let metric_name = t.string("metric");
        let metric = metric_name
            .zip(catalogue)
            .and_then(|(m, catalogue)| target_metric(t, m, catalogue));
        let comparison = t
            .choice("comparison", &[">=", "<=", ">", "<"])
            .and_then(Comparison::parse);
        let threshold = t.number("threshold", Bound::Any);
        let by = t.month("by");
        let consecutive = t.integer_or("consecutive_months", 1, i64::from(horizon), 1);
        if let (Some(by), Some(k), true) = (by, consecutive, check_months) {
            let (earliest, last) = (start.plus(k as u32 - 1), start.plus(horizon - 1));
            if by < earliest || by > last {
                let node = t.node("by").expect("read above");
                let allowed = format!(
                    "a month from {earliest} (start plus consecutive_months - 1) to {last} (the last month of the horizon)"
                );
                t.wrong(node, "by", allowed);
            }
        }
        Some(Target {
            name: name.to_string(),
            metric: metric?,
            metric_name: metric_name?.to_string(),
            comparison: comparison?,
            threshold: threshold?,
            by: by?,
            consecutive_months: consecutive? as u32,
        })
    })
}

/// The metric a target names, or a problem suggesting the nearest name.
fn target_metric(t: &TableReader, name: &str, catalogue: &Catalogue) -> Option<MetricId> {
    let found = catalogue.find(name);
    if found.is_none() {
        let node = t.node("metric").expect("read above");
        let nearest = catalogue
            .names
            .iter()
            .map(|n| (strsim::jaro_winkler(n, name), n))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(s, _)| *s > 0.8)
            .map(|(_, n)| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        let allowed = format!(
            "a metric name, e.g. `permanent_share` or `average_caseload`{nearest}; the README lists them all"
        );
        t.wrong(node, "metric", allowed);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_become_counts_that_sum_to_the_headcount() {
        assert_eq!(largest_remainder(&[0.25, 0.25, 0.5], 10), vec![3, 2, 5]);
        assert_eq!(
            largest_remainder(&[1.0 / 3.0; 3], 10).iter().sum::<u32>(),
            10
        );
    }
}

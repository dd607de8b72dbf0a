//! Bad scenario files: every problem reported at once, each with its line and
//! key path.

use std::path::Path;

use staffcast::scenario::{ScenarioError, load};

fn problems_of(file: &str) -> (String, Vec<(usize, String)>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/bad")
        .join(file);
    let err = load(&path).expect_err("the fixture is invalid");
    (err.to_string(), listed(&err))
}

/// Each problem's line and key path (with the variant it is wrong in).
fn listed(err: &ScenarioError) -> Vec<(usize, String)> {
    err.problems()
        .iter()
        .map(|p| match &p.variant {
            Some(v) => (p.at.line, format!("{} (in variant `{v}`)", p.path)),
            None => (p.at.line, p.path.clone()),
        })
        .collect()
}

fn assert_reported(listed: &[(usize, String)], line: usize, path: &str) {
    assert!(
        listed.iter().any(|(l, p)| *l == line && p == path),
        "expected a problem at line {line} for `{path}`; got {listed:?}"
    );
}

#[test]
fn every_problem_in_a_file_is_reported_with_line_and_key() {
    let (text, listed) = problems_of("several_errors.toml");
    assert_reported(&listed, 4, "replications");
    assert_reported(&listed, 9, "grades.social_worker.caseload_weight");
    assert_reported(&listed, 10, "grades.social_worker.establishment_fte");
    assert_reported(&listed, 18, "leaving.annual_rate[1]");
    assert_reported(&listed, 23, "recruitment.hire_monthly_probabilty");
    assert_reported(&listed, 31, "demand.open_cases");
    assert_reported(&listed, 34, "targets.permanent.metric");
    assert_reported(&listed, 37, "targets.permanent.by");
    assert!(
        text.contains("did you mean `hire_monthly_probability`?"),
        "{text}"
    );
    assert!(text.contains("did you mean `permanent_share`?"), "{text}");
    assert!(text.contains("several_errors.toml:23:1"), "{text}");
    assert!(text.contains("nothing was run"), "{text}");
}

#[test]
fn problems_in_variants_name_the_variant() {
    let (text, listed) = problems_of("bad_variant.toml");
    assert_reported(&listed, 34, "recruitment.time_to_start (in variant `slow`)");
    assert_reported(&listed, 30, "variants.slow.seed");
    assert_reported(
        &listed,
        36,
        "agency.cover_monthly_probability (in variant `capped`)",
    );
    assert!(
        text.contains("did you mean `time_to_start_months`?"),
        "{text}"
    );
    assert!(
        text.contains(": `recruitment.time_to_start` (in variant `slow`): found unknown key"),
        "{text}"
    );
}

#[test]
fn distributions_must_fit_the_values_a_parameter_allows() {
    let (text, listed) = problems_of("bad_distributions.toml");
    assert_reported(&listed, 18, "leaving.annual_rate[0]");
    assert_reported(&listed, 22, "recruitment.hire_monthly_probability");
    assert_reported(&listed, 23, "recruitment.time_to_start_months.dist");
    assert_reported(&listed, 27, "agency.cover_monthly_probability.schedule");
    assert!(text.contains("beta"), "{text}");
}

#[test]
fn syntax_errors_and_non_utf8_files_are_reported_clearly() {
    let (text, listed) = problems_of("syntax_error.toml");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].0, 3);
    assert!(text.contains("valid TOML"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.toml");
    std::fs::write(&path, b"name = \"caf\xe9\"\n").unwrap();
    match load(&path) {
        Err(ScenarioError::Unreadable { reason, .. }) => {
            assert!(reason.contains("UTF-8"), "{reason}")
        }
        other => panic!("expected an unreadable-file error, got {other:?}"),
    }
}

#[test]
fn finance_problems_are_all_reported() {
    let (text, listed) = problems_of("bad_finance.toml");
    assert_reported(&listed, 36, "finance.funding.2024-25");
    assert_reported(
        &listed,
        38,
        "finance.grades.social_worker.agency_hourly_rate",
    );
    assert_reported(&listed, 34, "finance.grades");
    assert_reported(&listed, 45, "finance.retention_payments.hello.until");
    assert_reported(
        &listed,
        47,
        "finance.retention_payments.hello.pay_months[0]",
    );
    assert_reported(
        &listed,
        48,
        "finance.retention_payments.hello.clawback.schedule",
    );
    assert_reported(&listed, 51, "finance.training.amhp");
    assert_reported(&listed, 53, "agency_rules.cooling_off.months");
    assert_reported(&listed, 54, "agency_rules.cooling_off.monthz");
    assert!(text.contains("missing: manager"), "{text}");
    assert!(text.contains("\"YYYY/YY\""), "{text}");
    assert!(text.contains("none is declared"), "{text}");
}

#[test]
fn a_100_mb_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(100 << 20).unwrap();
    match load(&path) {
        Err(ScenarioError::Unreadable { reason, .. }) => {
            assert!(
                reason.contains("100.0 MB") && reason.contains("at most 16 MB"),
                "{reason}"
            )
        }
        other => panic!("expected the file to be refused, got {other:?}"),
    }
}

/// `text` with every line that starts with `prefix` replaced by `line`, or
/// dropped when `line` is `None`.
fn with_line(text: &str, prefix: &str, line: Option<&str>) -> String {
    text.lines()
        .filter_map(|l| if l.starts_with(prefix) { line } else { Some(l) })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The key paths of the problems `text` has, in the order reported.
fn problem_paths(text: &str, path: &Path) -> Vec<String> {
    let err = staffcast::scenario::compile(text, path).expect_err("problems");
    err.problems().iter().map(|p| p.path.clone()).collect()
}

#[test]
fn a_missing_or_bad_start_or_horizon_hides_no_other_problem() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/slough-children-2014.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\nopen_cases = "),
        "the scenario sets demand.open_cases"
    );
    let misspelt = text.replacen("\nopen_cases = ", "\nopen_case = ", 1);
    for start in [None, Some("start = \"2014-13\"")] {
        assert_eq!(
            problem_paths(&with_line(&misspelt, "start =", start), &path),
            ["start", "demand.open_cases", "demand.open_case"],
            "start line {start:?}"
        );
    }
    // Without a horizon, targets are still read (their months unchecked).
    assert!(text.contains("\nconsecutive_months = 6"));
    let misspelt = text.replacen("\nconsecutive_months = 6", "\nconsecutive_month = 6", 1);
    assert_eq!(
        problem_paths(&with_line(&misspelt, "horizon_months =", None), &path),
        [
            "horizon_months",
            "targets.permanent_80_by_2017.consecutive_month"
        ]
    );
}

/// Without a usable `[leaving]` table there are no service bands, so no
/// metric catalogue: targets are still read, with only their metric names
/// left unchecked, so a misspelt key in one is reported with the rest.
#[test]
fn a_missing_leaving_table_hides_no_problem_in_targets() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/slough-children-2014.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\n[leaving]\n") && text.contains("\nconsecutive_months = 6"));
    let broken = text.replacen("\n[leaving]\n", "\n[leavers]\n", 1).replacen(
        "\nconsecutive_months = 6",
        "\nconsecutive_month = 6",
        1,
    );
    assert_eq!(
        problem_paths(&broken, &path),
        [
            "leaving",
            "leavers",
            "targets.permanent_80_by_2017.consecutive_month"
        ]
    );
}

/// Without `start` the model is read against a stand-in, with nothing
/// checked against the start: no other problem may be reported. Every
/// bundled scenario, between them, has every top-level table.
#[test]
fn a_missing_start_is_the_one_problem_reported() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in [
        "slough-children-2014",
        "bradford-adults-2024",
        "bristol-progression",
    ] {
        let path = root.join("scenarios").join(format!("{name}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            problem_paths(&with_line(&text, "start =", None), &path),
            ["start"],
            "{name}"
        );
    }
}

#[test]
fn a_progression_to_its_own_grade_is_refused() {
    let text = include_str!("../../scenarios/bradford-adults-2024.toml").replacen(
        "to = \"senior_social_worker\"",
        "to = \"social_worker\"",
        1,
    );
    let err = staffcast::scenario::compile(&text, Path::new("bradford.toml"))
        .expect_err("a progression from a grade to itself");
    assert_reported(&listed(&err), 112, "progression.to_senior.to");
    assert!(
        err.to_string().contains("a grade other than `from`"),
        "{err}"
    );
}

#[test]
fn a_name_that_is_not_plain_is_reported_where_its_table_starts() {
    let text = include_str!("../../scenarios/bristol-progression.toml").replacen(
        "[grades.level_1]",
        "[grades.\"Level 1\"]",
        1,
    );
    let line = 1 + text
        .lines()
        .position(|l| l.starts_with("[grades.\"Level 1\"]"))
        .expect("the renamed grade");
    let err = staffcast::scenario::compile(&text, Path::new("bristol.toml"))
        .expect_err("a grade name with a space");
    assert_reported(&listed(&err), line, "grades.\"Level 1\"");
}

/// A person's specialisms are bits of a 16-bit word: a 17th is refused, at
/// the table, with the limit.
#[test]
fn more_than_sixteen_specialisms_are_refused() {
    let declare = |n: usize| {
        let mut text = staffcast::scenario::DEFAULT_SCENARIO.to_string();
        for s in 0..n {
            text.push_str(&format!("\n[specialisms.extra_{s}]\n"));
        }
        text
    };
    let path = Path::new("many_specialisms.toml");
    let err = staffcast::scenario::compile(&declare(17), path).expect_err("too many");
    assert!(
        err.to_string()
            .contains("`specialisms`: found a table; expected at most 16 specialisms"),
        "{err}"
    );
    staffcast::scenario::compile(&declare(16), path).expect("16 are allowed");
}

/// A stalled-progression multiplier without the months after which it
/// applies would never apply: refused, not ignored.
#[test]
fn a_stall_multiplier_needs_its_months() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bristol-progression.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // The first progression's months taken out, its multiplier left.
    let first = text.find("\nstall_after_months = ").unwrap() + 1;
    let end = first + text[first..].find('\n').unwrap() + 1;
    let without = format!("{}{}", &text[..first], &text[end..]);
    let err = staffcast::scenario::compile(&without, &path).expect_err("refused");
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths.len(), 1, "{err}");
    assert!(paths[0].ends_with(".stall_after_months"), "{err}");
    assert!(
        err.to_string().contains("without them it never would"),
        "{err}"
    );
}

/// An empty file lacks every required key: each said on one line, with no
/// line of the file to quote and no blank line between them.
#[test]
fn an_empty_file_lists_what_it_lacks_line_by_line() {
    let err = staffcast::scenario::compile("", Path::new("empty.toml")).expect_err("empty");
    let text = err.to_string();
    assert!(!text.contains("\n\n"), "{text}");
    assert_eq!(text.lines().count(), err.problems().len() + 1, "{text}");
    assert!(text.contains("`name`: this key is required"), "{text}");
}

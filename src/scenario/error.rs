//! Problems found in a scenario file, and how they read.

use std::fmt;
use std::path::PathBuf;

use super::document::Position;

/// One problem in a scenario: where, which key, what was found, what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub at: Position,
    /// The key path, e.g. `grades.social_worker.caseload_weight`.
    pub path: String,
    /// The variant in which alone the key has the problem (its overlay
    /// merged with the base), if not the base.
    pub variant: Option<String>,
    /// The value found, or `None` when the key is missing.
    pub found: Option<String>,
    /// What would be accepted.
    pub allowed: String,
}

impl Problem {
    /// The key as people read it: `` `path` ``, and the variant it is wrong in.
    pub fn key(&self) -> String {
        match &self.variant {
            Some(variant) => format!("`{}` (in variant `{variant}`)", self.path),
            None => format!("`{}`", self.path),
        }
    }

    /// What was found and what is allowed, or only what is allowed when the
    /// key is missing.
    pub fn what(&self) -> String {
        match &self.found {
            Some(found) => format!("found {found}; expected {}", self.allowed),
            None => self.allowed.clone(),
        }
    }
}

/// Everything wrong with one scenario file.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{file}: cannot read the scenario: {reason}")]
    Unreadable { file: PathBuf, reason: String },
    #[error("{}", render_problems(.file, .source_text, .problems))]
    Invalid {
        file: PathBuf,
        source_text: String,
        problems: Vec<Problem>,
    },
}

impl ScenarioError {
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Unreadable { .. } => &[],
            ScenarioError::Invalid { problems, .. } => problems,
        }
    }
}

fn render_problems(file: &std::path::Path, text: &str, problems: &[Problem]) -> String {
    let mut out = String::new();
    for p in problems {
        out.push_str(&format!(
            "{}\n",
            Rendered {
                file,
                text,
                problem: p
            }
        ));
    }
    let n = problems.len();
    out.push_str(&format!(
        "{}: {n} problem{} found; nothing was run",
        file.display(),
        if n == 1 { "" } else { "s" }
    ));
    out
}

struct Rendered<'a> {
    file: &'a std::path::Path,
    text: &'a str,
    problem: &'a Problem,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.problem;
        write!(
            f,
            "error: {}:{}:{}: ",
            self.file.display(),
            p.at.line,
            p.at.column
        )?;
        if !p.path.is_empty() {
            write!(f, "{}: ", p.key())?;
        }
        write!(f, "{}", p.what())?;
        // The line quoted, with a caret at the column (none for an empty file).
        if let Some(line) = self.text.lines().nth(p.at.line.saturating_sub(1)) {
            let number = p.at.line.to_string();
            writeln!(f)?;
            writeln!(f, "{} | {line}", number)?;
            write!(
                f,
                "{} | {}^",
                " ".repeat(number.len()),
                " ".repeat(p.at.column.saturating_sub(1))
            )?;
        }
        Ok(())
    }
}

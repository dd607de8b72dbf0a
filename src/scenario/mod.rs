//! Scenario files: TOML in, a validated [`Scenario`](crate::model::Scenario)
//! or every problem out.

pub mod careers;
pub mod compile;
pub mod document;
pub mod error;
pub mod finance;
pub mod read;

pub use compile::{compile, load, read_text};
pub use error::{Problem, ScenarioError};

/// The bundled default scenario, compiled into the binary.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/slough-children-2014.toml");
/// How the default scenario is named in messages.
pub const DEFAULT_SCENARIO_FILE: &str = "scenarios/slough-children-2014.toml";

/// Compiles the bundled default scenario.
pub fn default_scenario() -> Result<crate::model::Scenario, ScenarioError> {
    compile(
        DEFAULT_SCENARIO,
        std::path::Path::new(DEFAULT_SCENARIO_FILE),
    )
}

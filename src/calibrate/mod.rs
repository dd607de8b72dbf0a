//! Calibration: scenarios from real data, and how well they fit history.
//!
//! Two sources: the DfE's published workforce indicators ([`dfe`], turned into
//! a scenario by [`from_dfe`]) and a council's own HR extract ([`hr`], turned
//! into leaving hazards and a starting workforce by [`from_hr`]). [`backtest`]
//! fits on some years of the DfE file and compares the forecast with the
//! years after; [`extract`] writes a simulated workforce as an HR extract.

pub mod backtest;
pub mod dfe;
pub mod extract;
pub mod from_dfe;
pub mod from_hr;
pub mod hr;
pub mod life_table;
mod national_pay;
pub mod pooled;
mod toml_out;

use std::fmt;
use std::path::{Path, PathBuf};

/// Every problem found in one data file, reported together.
#[derive(Debug, Clone, PartialEq)]
pub struct DataError {
    pub file: PathBuf,
    pub problems: Vec<String>,
}

impl DataError {
    pub fn one(file: &Path, problem: impl Into<String>) -> DataError {
        DataError {
            file: file.to_path_buf(),
            problems: vec![problem.into()],
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        for p in &self.problems {
            writeln!(f, "{file}: {p}")?;
        }
        let n = self.problems.len();
        write!(
            f,
            "{file}: {n} problem{} found; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for DataError {}

/// Reads a data file whole, refusing one too large to be what it claims.
pub fn read_data(path: &Path, limit_bytes: u64) -> Result<Vec<u8>, DataError> {
    let meta =
        std::fs::metadata(path).map_err(|e| DataError::one(path, format!("cannot read: {e}")))?;
    if meta.len() > limit_bytes {
        return Err(DataError::one(
            path,
            format!(
                "the file is {} MB; at most {} MB is read",
                meta.len() / 1_000_000,
                limit_bytes / 1_000_000
            ),
        ));
    }
    std::fs::read(path).map_err(|e| DataError::one(path, format!("cannot read: {e}")))
}

/// Mean, standard deviation (n - 1), least and greatest of some yearly values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub mean: f64,
    pub sd: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    pub fn of(values: &[f64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let sd = if values.len() > 1 {
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        Some(Spread {
            mean,
            sd,
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        })
    }
}

/// A beta distribution's `(alpha, beta)` with this mean and standard
/// deviation, if one exists (the variance must be below mean (1 - mean)).
pub fn beta_from_moments(mean: f64, sd: f64) -> Option<(f64, f64)> {
    let var = sd * sd;
    if !(0.0..1.0).contains(&mean) || mean == 0.0 || var <= 0.0 || var >= mean * (1.0 - mean) {
        return None;
    }
    let common = mean * (1.0 - mean) / var - 1.0;
    Some((mean * common, (1.0 - mean) * common))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_of_yearly_values() {
        let s = Spread::of(&[1.0, 2.0, 3.0]).unwrap();
        assert_eq!((s.mean, s.sd, s.min, s.max), (2.0, 1.0, 1.0, 3.0));
        assert_eq!(Spread::of(&[5.0]).unwrap().sd, 0.0);
        assert!(Spread::of(&[]).is_none());
    }

    #[test]
    fn beta_has_the_moments_asked_for() {
        let (a, b) = beta_from_moments(0.2, 0.05).unwrap();
        let mean = a / (a + b);
        let sd = (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt();
        assert!((mean - 0.2).abs() < 1e-12 && (sd - 0.05).abs() < 1e-12);
        assert!(beta_from_moments(0.2, 0.0).is_none());
        assert!(beta_from_moments(0.5, 0.6).is_none());
    }
}

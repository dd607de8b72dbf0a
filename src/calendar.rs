//! Months and financial years: the simulation's clock.

use std::fmt;

/// A calendar month, stored as months since January of year 0 so that
/// arithmetic is plain integer arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(u32);

impl Month {
    /// Builds a month from a year and a month number (1-12).
    pub fn new(year: u32, month: u32) -> Option<Month> {
        (1..=12)
            .contains(&month)
            .then(|| Month(year * 12 + month - 1))
    }

    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let year: u32 = year.parse().ok()?;
        let month: u32 = month.parse().ok()?;
        Month::new(year, month)
    }

    pub fn year(self) -> u32 {
        self.0 / 12
    }

    /// Month of the year, 1 (January) to 12 (December).
    pub fn month_of_year(self) -> u32 {
        self.0 % 12 + 1
    }

    /// The month `n` months later.
    pub fn plus(self, n: u32) -> Month {
        Month(self.0 + n)
    }

    /// The month `n` months earlier (January of year 0 at the earliest).
    pub fn minus(self, n: u32) -> Month {
        Month(self.0.saturating_sub(n))
    }

    /// Whole months from `earlier` to `self` (negative if `self` is earlier).
    pub fn months_since(self, earlier: Month) -> i64 {
        i64::from(self.0) - i64::from(earlier.0)
    }

    /// The April-to-March financial year this month falls in, named by the
    /// year it starts (2024 for 2024-25).
    pub fn financial_year(self) -> u32 {
        if self.month_of_year() >= 4 {
            self.year()
        } else {
            self.year() - 1
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month_of_year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let m = Month::parse("2014-02").unwrap();
        assert_eq!(m.to_string(), "2014-02");
        assert_eq!(m.plus(11).to_string(), "2015-01");
        assert_eq!(Month::parse("2014-13"), None);
        assert_eq!(Month::parse("2014-2"), None);
        assert_eq!(Month::parse("14-02"), None);
    }

    #[test]
    fn financial_years_run_april_to_march() {
        assert_eq!(Month::parse("2025-03").unwrap().financial_year(), 2024);
        assert_eq!(Month::parse("2025-04").unwrap().financial_year(), 2025);
    }
}

//! Costs for a DfE-calibrated scenario: national pay, on-costs and the agency
//! premium, for the financial years published figures cover. The indicators
//! give no money, so each value names its source or says "assumption"; a
//! council replaces them with its own pay scales and agency rates.

use super::toml_out::{TomlOut, rate};
use crate::calendar::Month;
use crate::output::grouped;

/// One financial year's pay for a qualified social worker, and the employer
/// National Insurance then in force.
struct Pay {
    /// The year the financial year starts (April).
    year: u32,
    salary: f64,
    salary_why: &'static str,
    /// Employer NI: the rate above the secondary threshold.
    ni_rate: f64,
    ni_threshold: f64,
}

/// The NJC pay spine's point 30 (an experienced social worker), the middle of
/// the qualified grades the indicators count together.
const PAY: [Pay; 3] = [
    Pay {
        year: 2023,
        salary: 38_223.0,
        salary_why: "NJC pay spine point 30 (experienced social worker), 2023/24",
        ni_rate: 0.138,
        ni_threshold: 9_100.0,
    },
    Pay {
        year: 2024,
        salary: 39_513.0,
        salary_why: "NJC pay spine point 30 (experienced social worker): 38,223 GBP in 2023/24 plus the \
                     2024/25 award of 1,290 GBP (Community Care, 16 May 2024)",
        ni_rate: 0.138,
        ni_threshold: 9_100.0,
    },
    Pay {
        year: 2025,
        salary: 40_777.0,
        salary_why: "NJC pay spine point 30 (experienced social worker): 39,513 GBP in 2024/25 plus the \
                     2025/26 award of 3.2%",
        ni_rate: 0.15,
        ni_threshold: 5_000.0,
    },
];

/// Employer pension contributions, as a share of pay.
const PENSION: f64 = 0.20;
const PENSION_WHY: &str = "LGPS employer contributions of about 20% (assumption: many councils pay 17-22% as \
                           their primary rate; Leicestershire pays 29.4% for 2023-26)";

/// The agency premium over a permanent worker's salary with on-costs.
const AGENCY_PREMIUM: f64 = 0.406;
const AGENCY_WHY: &str = "St Helens, 2025: an agency social worker costs 1,800 GBP a week against 1,280 GBP for \
                          an employed one, 40.6% more";

/// The last published award, assumed for the years after.
const PAY_AWARD: f64 = 0.032;

/// Writes `[finance]` for a scenario starting at `start` with one grade, or
/// says why not when no published pay covers its first financial year.
pub fn write(out: &mut TomlOut, start: Month, grade: &str) {
    let first = start.financial_year();
    let Some(pay) = PAY.iter().find(|p| p.year == first) else {
        out.blank();
        out.comment(&format!(
            "No [finance]: the national pay figures staffcast carries cover the financial years {}/{} to \
             {}/{}, and this scenario starts in {first}/{}. Add your own pay scales and agency rates (README, \
             `[finance]`) to cost it.",
            PAY[0].year,
            short_year(PAY[0].year + 1),
            PAY[PAY.len() - 1].year,
            short_year(PAY[PAY.len() - 1].year + 1),
            short_year(first + 1)
        ));
        return;
    };
    let ni = pay.ni_rate * (pay.salary - pay.ni_threshold) / pay.salary;
    out.table("finance");
    out.comment(
        "GBP. National figures for a start: replace them with the council's own pay scales, on-costs \
         and agency rates.",
    );
    out.key(
        "on_cost_rate",
        rate(ni + PENSION),
        &format!(
            "employer National Insurance ({:.1}% above {} GBP, {:.1}% of the salary below) and {PENSION_WHY}",
            100.0 * pay.ni_rate,
            grouped(pay.ni_threshold as u64),
            100.0 * ni
        ),
    );
    out.key(
        "pay_award",
        PAY_AWARD,
        "assumption: the 2025/26 award (3.2%) each April",
    );
    out.key(
        "discount_rate",
        0.035,
        "HM Treasury Green Book (a real rate)",
    );
    out.key(
        "deflator",
        0.02,
        "assumption: general inflation at the Bank of England's 2% target, standing in for the GDP \
         deflator, so that NPVs are in the first year's prices as the Green Book asks",
    );
    out.table(&format!("finance.grades.{grade}"));
    out.key("salary", format!("{:.0}", pay.salary), pay.salary_why);
    out.key("agency_premium", rate(AGENCY_PREMIUM), AGENCY_WHY);
}

/// The last two digits of a year, as financial years are written.
fn short_year(year: u32) -> String {
    format!("{:02}", year % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_covered_year_is_costed_and_another_says_why_not() {
        let written = |start: &str| {
            let mut out = TomlOut::default();
            write(&mut out, Month::parse(start).unwrap(), "social_worker");
            out.finish()
        };
        let costed = written("2025-10");
        assert!(
            costed.contains("[finance.grades.social_worker]"),
            "{costed}"
        );
        assert!(costed.contains("salary = 40777"), "{costed}");
        // 15% above 5,000 GBP of 40,777 is 13.2% of it, and 20% pension.
        assert!(costed.contains("on_cost_rate = 0.3316"), "{costed}");
        let not = written("2021-10");
        assert!(!not.contains("on_cost_rate"), "{not}");
        assert!(not.contains("starts in 2021/22"), "{not}");
        assert!(not.contains("2023/24 to 2025/26"), "{not}");
    }
}

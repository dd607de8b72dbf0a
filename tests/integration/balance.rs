//! Stocks and flows balance every month on random valid scenarios: checked
//! inside the engine by the ledger, and here again from the recorded metrics.

use proptest::prelude::*;
use staffcast::metrics as m;
use staffcast::runner::{RunOptions, run};

use crate::common::Synthetic;

fn scenarios() -> impl Strategy<Value = Synthetic> {
    (
        (0u32..60, 0u32..30, 0.0f64..80.0),
        (0.0f64..1.0, 0.0f64..1.0, 0.0f64..1.0),
        (0.0f64..6.0, 0.0f64..0.5, 0.0f64..1.0, 0.0f64..3.0),
        (1u32..40, proptest::option::of(0.0f64..0.6)),
    )
        .prop_map(
            |(
                (permanent, agency, extra_posts),
                (leaving, agency_end, hire),
                (lag, conversion, cover, cover_lag),
                (horizon, cap),
            )| {
                Synthetic {
                    establishment: (f64::from(permanent) + extra_posts).round(),
                    permanent,
                    agency,
                    annual_leaving: leaving,
                    agency_annual_rate: agency_end,
                    hire_probability: hire,
                    time_to_start: lag,
                    conversion,
                    cover_probability: cover,
                    cover_lag,
                    horizon,
                    agency_cap_share: cap,
                    extra: String::new(),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn stocks_and_flows_balance(s in scenarios()) {
        let scenario = s.compile();
        let result = run(&scenario, &RunOptions { replications: Some(3), threads: Some(1), ..Default::default() })
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let run = &result.variants[0];
        let n = run.variant.model.catalogue.len();
        for outcome in &run.outcomes {
            let (mut perm, mut agency) = (f64::from(s.permanent), f64::from(s.agency));
            for t in 0..s.horizon as usize {
                let v = |metric| outcome.value(n, t, metric);
                perm += v(m::STARTERS) - v(m::LEAVERS);
                agency += v(m::AGENCY_STARTERS) - v(m::AGENCY_LEAVERS);
                prop_assert!((perm - v(m::FTE_PERMANENT)).abs() < 1e-6, "permanent stock drifts at month {t}");
                prop_assert!((agency - v(m::FTE_AGENCY)).abs() < 1e-6, "agency stock drifts at month {t}");
                for rate in [m::AGENCY_RATE, m::PERMANENT_SHARE, m::VACANCY_RATE] {
                    prop_assert!((0.0..=1.0).contains(&v(rate)), "rate outside [0, 1]");
                }
                prop_assert!(v(m::FTE_PERMANENT) <= s.establishment.max(f64::from(s.permanent)) + 1e-6);
            }
        }
    }
}

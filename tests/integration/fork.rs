//! A variant's replication started from the base's state after the months
//! they share is the variant's replication run in full, bit for bit: for
//! every bundled variant, and for policies from random months.

use std::path::Path;

use proptest::prelude::*;
use staffcast::fork::{months_shared, shared_with_first};
use staffcast::model::{
    Clawback, CoolingOff, Coverage, InForce, MinimumExperience, Model, PriceCap, RetentionPayment,
    Supplement,
};
use staffcast::param::{Param, Spec};
use staffcast::scenario::compile::load;
use staffcast::sim::{run_replication, run_variants};

/// Runs `models` together (each after the first from the first's state) and
/// each in full, and compares every outcome.
fn forked_equals_in_full(models: &[&Model], seed: u64, replications: std::ops::Range<u64>) {
    let shared = shared_with_first(models);
    for r in replications {
        let together = run_variants(models, &shared, seed, r);
        for (v, outcome) in together.into_iter().enumerate() {
            let alone = run_replication(models[v], seed, r).unwrap();
            assert!(
                outcome.unwrap() == alone,
                "variant {v} of replication {r}, sharing {:?} months, differs from its run in full",
                shared[v]
            );
        }
    }
}

#[test]
fn every_bundled_variant_forked_equals_its_run_in_full() {
    for file in [
        "slough-children-2014.toml",
        "bradford-adults-2024.toml",
        "bristol-progression.toml",
    ] {
        let scenario = load(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("scenarios")
                .join(file),
        )
        .unwrap();
        let models: Vec<&Model> = scenario.variants.iter().map(|v| &v.model).collect();
        forked_equals_in_full(&models, scenario.seed, 0..4);
    }
}

/// A policy that starts in a given month.
#[derive(Clone, Debug)]
enum Policy {
    /// Parameter `k` of the run (or a per-event one) halved from the month.
    Parameter(usize),
    TimeToStart,
    CoverLag,
    MinimumExperience,
    CoolingOff,
    PriceCap,
    Supplement,
    /// A retention payment for everyone, each April and October, with a
    /// lock-in and a clawback.
    RetentionPayment,
}

fn halved(spec: &Spec) -> Spec {
    match spec {
        Spec::Fixed(v) => Spec::Fixed(v * 0.5),
        Spec::Uncertain(d) => Spec::Fixed(d.quantile(0.5) * 0.5),
    }
}

/// `p` halved from `month` on (its entries from then dropped).
fn halve_from(p: &mut Param, month: staffcast::calendar::Month) {
    let now = halved(p.spec_at(month));
    p.schedule.retain(|(from, _)| *from < month);
    p.schedule.push((month, now));
}

fn with_policy(base: &Model, policy: &Policy, t: usize) -> Model {
    let mut m = base.clone();
    let month = base.start.plus(t as u32);
    match policy {
        Policy::Parameter(k) => {
            let mut params = m.parameters_mut();
            let count = params.len();
            halve_from(params.swap_remove(k % count), month);
        }
        Policy::TimeToStart => halve_from(&mut m.recruitment.time_to_start_months, month),
        Policy::CoverLag => halve_from(&mut m.agency.cover_lag_months, month),
        Policy::MinimumExperience => {
            m.agency_rules.minimum_experience = Some(MinimumExperience {
                from: month,
                months_qualified: 36,
                supply_below: 0.3,
            })
        }
        Policy::CoolingOff => {
            m.agency_rules.cooling_off = Some(CoolingOff {
                from: month,
                months: 4,
            })
        }
        Policy::PriceCap => {
            m.agency_rules.price_cap = Some(PriceCap {
                from: month,
                hourly_rate: 20.0,
                cover_multiplier: 0.7,
            })
        }
        Policy::Supplement => {
            let start = m.start;
            m.finance
                .as_mut()
                .expect("the bundled scenario has finance")
                .supplements
                .push(Supplement {
                    name: "tested".into(),
                    months: InForce {
                        from: month,
                        until: None,
                    },
                    grades: Vec::new(),
                    annual_amount: 2000.0,
                    hire_multiplier: 2.0,
                    leaving_multiplier: Param::fixed("tested", start, 0.5),
                })
        }
        Policy::RetentionPayment => {
            let start = m.start;
            m.finance
                .as_mut()
                .expect("the bundled scenario has finance")
                .retention
                .push(RetentionPayment {
                    name: "tested".into(),
                    months: InForce {
                        from: month,
                        until: None,
                    },
                    coverage: Coverage::new(&[], &[], 6, None),
                    amount: 3000.0,
                    pay_months: vec![4, 10],
                    leaving_multiplier: Param::fixed("tested", start, 0.6),
                    lock_in_months: 12,
                    clawback: Some(Clawback {
                        points: vec![(0, 1.0), (12, 0.0)],
                        recovery_rate: 0.8,
                    }),
                })
        }
    }
    m
}

fn policies() -> impl Strategy<Value = Policy> {
    prop_oneof![
        (0usize..64).prop_map(Policy::Parameter),
        Just(Policy::TimeToStart),
        Just(Policy::CoverLag),
        Just(Policy::MinimumExperience),
        Just(Policy::CoolingOff),
        Just(Policy::PriceCap),
        Just(Policy::Supplement),
        Just(Policy::RetentionPayment),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// The months before a policy are shared, and the variant forked there
    /// is the variant in full.
    #[test]
    fn a_policy_from_any_month_forked_equals_its_run_in_full(
        policy in policies(),
        t in 0usize..50,
        replication in 0u64..1000,
    ) {
        let scenario = staffcast::scenario::default_scenario().unwrap();
        let base = &scenario.variants[0].model;
        let variant = with_policy(base, &policy, t);
        prop_assert!(months_shared(base, &variant).is_some_and(|shared| shared >= t));
        forked_equals_in_full(&[base, &variant], scenario.seed, replication..replication + 2);
    }
}

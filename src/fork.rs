//! How long a variant's replications stay the base's.
//!
//! With common random numbers, replication `r` of a variant draws what the
//! base's replication `r` draws, so until the variant's first change can act
//! the two are the same, month for month and bit for bit. A policy that
//! starts in a later month (a schedule's new entry, an agency rule, a market
//! supplement, campaign or retention payment from a month) leaves the months
//! before it to the base's run, and the variant's run starts from the base's
//! state there ([`crate::sim::run_variants`]).
//!
//! The analysis is conservative. Only the differences below are known to
//! wait for their month; they are noted and set aside (the variant given the
//! base's own), and anything else that differs between the two models, in
//! any field, existing or added later, means nothing is shared. Models are
//! compared as numbers; a scenario file's numbers have one zero (its reader
//! drops a zero's sign), so equal as numbers is equal bit for bit.

use crate::calendar::Month;
use crate::model::{AgencyRules, Campaign, InForce, Model, RetentionPayment, Supplement};

/// Months from the start in which `variant`'s replications are the base's
/// (the horizon when they never differ), or `None` when the two may differ
/// even in their starting workforce. With `Some`, even of 0 months, the
/// starting workforce is the base's: it is built from what the models share
/// once parameters, agency rules, supplements, campaigns and retention
/// payments are set aside (grades' starting stocks, pay scales, service
/// bands, students placed).
pub fn months_shared(base: &Model, variant: &Model) -> Option<usize> {
    let (start, horizon) = (base.start, base.horizon());
    if variant.start != start || variant.horizon() != horizon {
        return None;
    }
    let from = |month: Month| month.months_since(start).clamp(0, horizon as i64) as usize;
    let mut aside = variant.clone();
    let mut shared = horizon.min(rules_shared(&base.agency_rules, &aside.agency_rules, from));
    aside.agency_rules = base.agency_rules.clone();
    if let (Some(b), Some(v)) = (&base.finance, &mut aside.finance) {
        shared = shared
            .min(policies_shared(&b.supplements, &v.supplements, from))
            .min(policies_shared(&b.campaigns, &v.campaigns, from))
            .min(policies_shared(&b.retention, &v.retention, from));
        v.supplements = b.supplements.clone();
        v.campaigns = b.campaigns.clone();
        v.retention = b.retention.clone();
    }
    // Per-event draws (time to start, cover lag) read the entry in force in
    // the event's month; parameters are realized month by month and read in
    // their month.
    let per_event = [
        (
            &base.recruitment.time_to_start_months,
            &mut aside.recruitment.time_to_start_months,
        ),
        (
            &base.agency.cover_lag_months,
            &mut aside.agency.cover_lag_months,
        ),
    ];
    for (b, v) in per_event {
        shared = shared.min(b.months_alike(v, start, horizon));
        *v = b.clone();
    }
    let mut base_copy = base.clone();
    let (b, v) = (base_copy.parameters_mut(), aside.parameters_mut());
    if b.len() != v.len() {
        return None;
    }
    for (b, v) in b.into_iter().zip(v) {
        shared = shared.min(b.months_alike(v, start, horizon));
        *v = b.clone();
    }
    (aside == *base).then_some(shared)
}

/// [`months_shared`] of each of `models` with the first, as
/// [`crate::sim::run_variants`] takes them.
pub fn shared_with_first(models: &[&Model]) -> Vec<Option<usize>> {
    models.iter().map(|m| months_shared(models[0], m)).collect()
}

/// Each agency rule acts only from its month (every reader of a rule checks
/// it), so two sets of rules act alike until the first month of a rule that
/// differs, in either set.
fn rules_shared(a: &AgencyRules, b: &AgencyRules, from: impl Fn(Month) -> usize) -> usize {
    // Every rule named, so that a new one cannot be left out.
    let AgencyRules {
        minimum_experience,
        cooling_off,
        price_cap,
    } = a;
    let first = |same: bool, months: [Option<Month>; 2]| {
        let earliest = months.into_iter().flatten().map(&from).min();
        if same { None } else { earliest }
    };
    [
        first(
            *minimum_experience == b.minimum_experience,
            [minimum_experience, &b.minimum_experience].map(|r| r.as_ref().map(|r| r.from)),
        ),
        first(
            *cooling_off == b.cooling_off,
            [cooling_off, &b.cooling_off].map(|r| r.as_ref().map(|r| r.from)),
        ),
        first(
            *price_cap == b.price_cap,
            [price_cap, &b.price_cap].map(|r| r.as_ref().map(|r| r.from)),
        ),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(usize::MAX)
}

/// A policy that does everything it does in its months only, or after them
/// only to those it acted on then (the hiring lift, the leaving multiplier
/// and the cost of a market supplement; the lift and cost of a campaign; a
/// retention payment's payments, and its effect on leaving and clawback for
/// those eligible in its months or paid by it).
trait InForceOnly: PartialEq {
    fn months(&self) -> InForce;
}

impl InForceOnly for Supplement {
    fn months(&self) -> InForce {
        self.months
    }
}

impl InForceOnly for Campaign {
    fn months(&self) -> InForce {
        self.months
    }
}

impl InForceOnly for RetentionPayment {
    fn months(&self) -> InForce {
        self.months
    }
}

/// Two lists of policies act alike until the first month of a policy that
/// differs at its place in the list (place, as effects are applied in list
/// order and a person paid keeps the place of the payment that paid them).
fn policies_shared<P: InForceOnly>(a: &[P], b: &[P], from: impl Fn(Month) -> usize) -> usize {
    (0..a.len().max(b.len()))
        .filter(|&k| a.get(k) != b.get(k))
        .flat_map(|k| [a.get(k), b.get(k)])
        .flatten()
        .map(|p| from(p.months().from))
        .min()
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MinimumExperience;
    use crate::param::Spec;

    fn bundled() -> crate::model::Scenario {
        crate::scenario::default_scenario().unwrap()
    }

    #[test]
    fn bundled_variants_share_the_months_before_their_first_change() {
        let scenario = bundled();
        let base = &scenario.variants[0].model;
        let shared: Vec<(&str, usize)> = scenario
            .variants
            .iter()
            .map(|v| (v.name.as_str(), months_shared(base, &v.model).unwrap()))
            .collect();
        // June 2014, September 2014 and April 2015 from February 2014.
        assert_eq!(
            shared,
            [
                ("base", 50),
                ("fast_dbs", 4),
                ("four_new_teams", 7),
                ("stronger_offer", 14),
                ("dfe_agency_rules", 4)
            ]
        );
    }

    #[test]
    fn a_new_entry_in_a_schedule_shares_the_months_before_it() {
        let base = bundled().variants[0].model.clone();
        let mut variant = base.clone();
        let p = &mut variant.grades[1].establishment_fte;
        p.schedule.push((base.start.plus(7), Spec::Fixed(3.0)));
        assert_eq!(months_shared(&base, &variant), Some(7));
        // The same entry from the start: no month shared, only the start.
        variant.grades[1].establishment_fte.schedule = vec![(base.start, Spec::Fixed(3.0))];
        assert_eq!(months_shared(&base, &variant), Some(0));
    }

    #[test]
    fn a_rule_shares_the_months_before_it_and_an_earlier_one_only_the_start() {
        let base = bundled().variants[0].model.clone();
        let mut variant = base.clone();
        let rule = |from| MinimumExperience {
            from,
            months_qualified: 24,
            supply_below: 0.1,
        };
        variant.agency_rules.minimum_experience = Some(rule(base.start.plus(9)));
        assert_eq!(months_shared(&base, &variant), Some(9));
        variant.agency_rules.minimum_experience = Some(rule(base.start.minus(3)));
        assert_eq!(months_shared(&base, &variant), Some(0));
    }

    #[test]
    fn any_other_difference_shares_nothing() {
        let base = bundled().variants[0].model.clone();
        assert_eq!(months_shared(&base, &base.clone()), Some(base.horizon()));
        let changes: [fn(&mut Model); 4] = [
            |m| m.grades[0].hire_fte = 0.5,
            |m| m.grades[2].start.agency_headcount += 1,
            |m| m.careers.caseload.leaving_multiplier += 0.1,
            |m| m.agency.returner_lag_months += 1,
        ];
        for (k, change) in changes.iter().enumerate() {
            let mut variant = base.clone();
            change(&mut variant);
            assert_eq!(months_shared(&base, &variant), None, "change {k}");
        }
    }

    #[test]
    fn a_parameter_that_differs_from_the_start_shares_only_the_start() {
        let base = bundled().variants[0].model.clone();
        let changes: [fn(&mut Model); 2] = [
            // Under another key, a parameter draws differently.
            |m| m.demand.open_cases.key.push('x'),
            |m| m.recruitment.hire_monthly_probability[0].schedule[0].1 = Spec::Fixed(0.2),
        ];
        for (k, change) in changes.iter().enumerate() {
            let mut variant = base.clone();
            change(&mut variant);
            assert_eq!(months_shared(&base, &variant), Some(0), "change {k}");
        }
    }
}

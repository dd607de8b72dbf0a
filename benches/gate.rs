//! The workload of the instruction-count gate (`.ci/gate`): a fixed, small,
//! single-threaded piece of work that exercises every process, whose
//! instruction count under callgrind does not vary with machine load. The
//! variants of each replication run as `staffcast run` runs them, each from
//! the base's state after the months they share.

use staffcast::fork::shared_with_first;
use staffcast::model::Model;
use staffcast::scenario::{default_scenario, load};
use staffcast::sim::run_variants;

fn main() {
    let slough = default_scenario().expect("bundled scenario");
    let bradford = load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/bradford-adults-2024.toml"),
    )
    .expect("bundled scenario");
    let mut person_months = 0;
    for (scenario, replications) in [(&slough, 8), (&bradford, 4)] {
        let models: Vec<&Model> = scenario.variants.iter().map(|v| &v.model).collect();
        let shared = shared_with_first(&models);
        for r in 0..replications {
            for outcome in run_variants(&models, &shared, scenario.seed, r) {
                person_months += outcome.expect("runs").person_months;
            }
        }
    }
    println!("gate workload: {person_months} person-months");
}

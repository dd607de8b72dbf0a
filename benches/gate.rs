//! The workload of the instruction-count gate (`.ci/gate`): a fixed, small,
//! single-threaded piece of work that exercises every process, whose
//! instruction count under callgrind does not vary with machine load.

use staffcast::scenario::{default_scenario, load};
use staffcast::sim::run_replication;

fn main() {
    let slough = default_scenario().expect("bundled scenario");
    let bradford = load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/bradford-adults-2024.toml"),
    )
    .expect("bundled scenario");
    let mut person_months = 0;
    for (scenario, replications) in [(&slough, 8), (&bradford, 4)] {
        for variant in &scenario.variants {
            for r in 0..replications {
                let outcome = run_replication(&variant.model, scenario.seed, r).expect("runs");
                person_months += outcome.person_months;
            }
        }
    }
    println!("gate workload: {person_months} person-months");
}

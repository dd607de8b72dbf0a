//! End-to-end and per-replication benchmarks of the engine.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use staffcast::runner::{RunOptions, run};
use staffcast::scenario::default_scenario;
use staffcast::sim::run_replication;

/// One replication of the default (Slough) scenario's base case.
fn replication(c: &mut Criterion) {
    let scenario = default_scenario().expect("bundled scenario is valid");
    let model = &scenario.variants[0].model;
    let person_months = run_replication(model, 1, 0).expect("runs").person_months;
    let mut group = c.benchmark_group("replication");
    group.throughput(Throughput::Elements(person_months));
    group.sample_size(50);
    let mut r = 0;
    group.bench_function("slough_base", |b| {
        b.iter(|| {
            r += 1;
            run_replication(model, 1, r).expect("runs")
        })
    });
    group.finish();
}

/// The default scenario, every variant, 1,000 replications on all cores.
fn default_scenario_1000(c: &mut Criterion) {
    let scenario = default_scenario().expect("bundled scenario is valid");
    let options = RunOptions {
        replications: Some(1000),
        ..Default::default()
    };
    let person_months = run(&scenario, &options).expect("runs").person_months;
    let mut group = c.benchmark_group("end_to_end");
    group.throughput(Throughput::Elements(person_months));
    group.sample_size(10);
    group.bench_function("slough_1000_replications", |b| {
        b.iter(|| run(&scenario, &options).expect("runs"))
    });
    group.finish();
}

criterion_group!(benches, replication, default_scenario_1000);
criterion_main!(benches);

//! staffcast's integration tests, in one binary.

mod bad_input;
mod balance;
mod calibrate;
mod careers;
mod cli;
mod common;
mod determinism;
mod edges;
mod finance;
mod fork;
mod golden;
mod invariants;
mod kill;
mod report;
mod sensitivity;
mod shards;
mod solve;
mod statistics;

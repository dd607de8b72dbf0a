//! The scenario compiler on arbitrary bytes: it must return a scenario or
//! problems, never panic. Run: `cargo +nightly fuzz run --fuzz-dir tests/fuzz scenario`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = staffcast::scenario::compile(text, std::path::Path::new("fuzz.toml"));
    }
});

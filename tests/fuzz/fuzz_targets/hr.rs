//! The HR extract reader and the life table on arbitrary bytes: problems or
//! a fragment, never a panic. Run: `cargo +nightly fuzz run --fuzz-dir tests/fuzz hr`.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use staffcast::calendar::Month;
use staffcast::calibrate::from_hr;
use staffcast::calibrate::hr::{Extract, Mapping};

fuzz_target!(|data: &[u8]| {
    let Ok(extract) = Extract::parse(data, Path::new("fuzz.csv"), &Mapping::default()) else {
        return;
    };
    let request = from_hr::Request {
        as_of: Month::parse("2024-01").expect("a month"),
        from: Some(Month::parse("2000-01").expect("a month")),
        bands_years: vec![0.0, 1.0, 3.0, 5.0, 10.0],
        uncertain: true,
    };
    let _ = from_hr::calibrate(&extract, &request, "fuzz.csv");
});

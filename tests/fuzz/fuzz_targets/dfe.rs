//! The DfE indicators reader and the scenario it writes, on arbitrary bytes:
//! problems or a scenario that compiles, never a panic.
//! Run: `cargo +nightly fuzz run --fuzz-dir tests/fuzz dfe`.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use staffcast::calibrate::dfe::{AreaQuery, Indicators};
use staffcast::calibrate::from_dfe;

fuzz_target!(|data: &[u8]| {
    let Ok(indicators) = Indicators::parse(data, Path::new("fuzz.csv")) else {
        return;
    };
    let first = indicators.rows[0].la_name.clone();
    for area in [AreaQuery::National, AreaQuery::LocalAuthority(first)] {
        let request = from_dfe::Request {
            area,
            years: None,
            horizon_months: 12,
            replications: 1,
            uncertain: true,
        };
        if let Ok(c) = from_dfe::calibrate(&indicators, &request) {
            if let Err(e) = staffcast::scenario::compile(&c.text, Path::new("calibrated.toml")) {
                panic!("a calibrated scenario does not compile:\n{e}\n{}", c.text);
            }
        }
    }
});

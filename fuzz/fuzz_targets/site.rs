//! Whole small sites through the full build (tests/sitegen, shared with tests/fuzz_build.rs):
//! a site or errors naming a file, never a panic. Hangs are caught by libFuzzer's `-timeout`.
//! Run: `cargo +nightly fuzz run site -- -timeout=30` (docs/fuzzing.md).
#![no_main]

#[path = "../../tests/sitegen/mod.rs"]
mod sitegen;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    if let Ok(site) = sitegen::GenSite::generate(&mut u) {
        site.build();
    }
});

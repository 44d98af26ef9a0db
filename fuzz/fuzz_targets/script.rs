//! The script parser: any text gives a script or errors on lines inside the block.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count().max(1);
    if let Err(errors) = haven::blocks::script::parse(text) {
        assert!(!errors.is_empty());
        for e in errors {
            assert!(
                e.line >= 1 && e.line <= lines + 1,
                "line {} of {lines}: {}",
                e.line,
                e.message
            );
        }
    }
});

//! The front-matter splitter and parser must return a value or a located error, never panic.
#![no_main]

use std::path::Path;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source: Arc<str> = Arc::from(text);
    let file = Path::new("content/fuzz.md");
    match haven::frontmatter::split(text, &source, file) {
        Ok(split) => {
            assert!(split.body_offset <= text.len());
            if let Err(d) = haven::frontmatter::parse(&split, &source, file) {
                // Every error can be located.
                let _ = d.line_col();
                let _ = d.to_string();
            }
        }
        Err(d) => {
            let _ = d.to_string();
        }
    }
});

//! A whole page through the model and the Markdown stage (links, headings, callouts, our
//! blocks): diagnostics are fine, panics are not.
#![no_main]

use std::sync::Arc;

use haven::config::Config;
use haven::discover::classify;
use haven::model::{ModelOptions, SourceFile, build_model};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let config = Config::default();
    let text = format!("+++\ntitle = \"Fuzz\"\n+++\n{body}");
    let sources = vec![
        SourceFile {
            file: classify("a/page.md", &config, &[]),
            display: "content/a/page.md".into(),
            text: Arc::from(text),
        },
        SourceFile {
            file: classify("a/other.md", &config, &[]),
            display: "content/a/other.md".into(),
            text: Arc::from("+++\ntitle = \"Other\"\n+++\n## Heading\n"),
        },
    ];
    if let Ok(site) = build_model(&config, sources, &ModelOptions::default()) {
        let (_content, diags) = haven::render::render_content(&site, &config);
        for d in diags {
            let _ = d.line_col();
        }
    }
});

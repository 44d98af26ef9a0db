//! `haven new DIR`: a small site that builds as it is, to start from.

use std::path::Path;

use crate::diagnostic::{Diagnostic, io_error};

const FILES: &[(&str, &str)] = &[
    (
        // What builds make: the output and the build cache.
        ".gitignore",
        "public/\n.haven-cache/\n",
    ),
    (
        "haven.toml",
        r#"title = "My guide"
description = "Plain, kind information on sexual health."
# The address the site will be published at.
base_url = "https://example.org/"
theme = "guide"

[quick_exit]
# Where the quick-exit button takes readers: a neutral page.
url = "https://www.bbc.co.uk/weather"

# The help box's title is each language's `help_title` string; `[help] title = "..."` replaces
# it in the default language.
[[help.contacts]]
name = "Your doctor or a sexual health clinic"
note = "They can talk things through in private."
"#,
    ),
    (
        "content/_index.md",
        r#"+++
title = "My guide"
description = "Plain, kind information on sexual health."
+++
Welcome. This guide explains things plainly and kindly. Start with [the first article](@/guide/first-article.md).
"#,
    ),
    (
        "content/guide/_index.md",
        r#"+++
title = "Guide"
description = "Articles in this guide."
weight = 1
+++
"#,
    ),
    (
        "content/guide/first-article.md",
        r#"+++
title = "Your first article"
description = "How to write an article in Haven."
date = 2026-01-01
tags = ["getting started"]
+++
Each article is a Markdown file with front matter at the top.

## Linking

Link to another page with its path under `content/`, like [the home page](@/_index.md).

> [!TIP]
> Keep sentences short. Explain each term the first time you use it.
"#,
    ),
];

/// Writes a new site into `dir`, which must be empty or missing.
pub fn new_site(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Diagnostic::error(format!(
            "{} already exists and is not empty",
            dir.display()
        ))
        .with_help("choose a new folder name, so no existing work is overwritten"));
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "create", &e))?;
        }
        std::fs::write(&path, text).map_err(|e| io_error(&path, "write", &e))?;
    }
    Ok(())
}

//! A ratchet that keeps reader-facing words out of code (issue 21.1): no string literal in
//! Haven's Rust (outside `src/i18n/` and tests), in the built-in themes' or blocks' JavaScript,
//! or in the built-in templates' text holds one of the English strings of `src/i18n/en.toml`.
//! Those words belong in `src/i18n/LANG.toml`, where every language can translate them; the
//! code names their keys, and scripts read them from the page. There is no allow-list.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The English strings as the parts a literal could hold: a string of several words whole, or
/// the pieces of several words between its `{placeholders}`; a one-word string when it is
/// capitalised like a label ("Note", "Copied"). Lowercase single words ("page", "on") and the
/// little words between placeholders ("of" in "{n} of {total}") are also code's own words, so
/// they would only find `"page"` the template kind.
fn english() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("src/i18n/en.toml")).unwrap();
    let map: BTreeMap<String, String> = toml::from_str(&text).unwrap();
    let mut out = Vec::new();
    for (key, value) in map {
        for part in value.split(['{', '}']).step_by(2) {
            let part = part.trim();
            let words = part.split_whitespace().count();
            let label = words == 1
                && part == value.trim()
                && part.chars().next().is_some_and(char::is_uppercase)
                && part.chars().filter(|c| c.is_alphabetic()).count() >= 3;
            if words >= 2 || label {
                out.push((key.clone(), part.to_string()));
            }
        }
    }
    out
}

/// Whether `literal` holds the English string `part`: is it (a one-word label only as the whole
/// literal, so code may still say `"Note: {x}"` of something else), or has it inside (several
/// words).
fn holds(literal: &str, part: &str) -> bool {
    let literal = literal.trim();
    if literal == part {
        return true;
    }
    part.contains(' ') && part.len() >= 8 && literal.contains(part)
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Where the comment starting at `b[i]` ends (`//` to the line's end, `/* */` past its close),
/// or `None` when no comment starts there. Rust and JavaScript write them alike.
fn comment_end(b: &[char], i: usize) -> Option<usize> {
    match (b.get(i), b.get(i + 1)) {
        (Some('/'), Some('/')) => Some((i..b.len()).find(|&k| b[k] == '\n').unwrap_or(b.len())),
        (Some('/'), Some('*')) => {
            let mut k = i + 2;
            while k + 1 < b.len() && !(b[k] == '*' && b[k + 1] == '/') {
                k += 1;
            }
            Some(k + 2)
        }
        _ => None,
    }
}

/// The string literals of Rust source `text` (comments, chars and lifetimes skipped), escapes
/// decoded well enough to compare words.
fn rust_literals(text: &str) -> Vec<String> {
    let b: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if let Some(after) = comment_end(&b, i) {
            i = after;
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !b
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            let start = j + 1;
            let mut k = start;
            loop {
                if k >= b.len() {
                    break;
                }
                if b[k] == '"' && (1..=hashes).all(|h| b.get(k + h) == Some(&'#')) {
                    break;
                }
                k += 1;
            }
            out.push(b[start..k.min(b.len())].iter().collect());
            i = k + 1 + hashes;
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' && i + 1 < b.len() {
                    i += 1;
                    match b[i] {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        '\n' => {
                            // A line continuation: the next line's leading spaces go too.
                            while i + 1 < b.len() && b[i + 1].is_whitespace() {
                                i += 1;
                            }
                        }
                        other => s.push(other),
                    }
                } else {
                    s.push(b[i]);
                }
                i += 1;
            }
            out.push(s);
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\'') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The string literals of JavaScript `text`: '...', "..." and `...` (comments skipped).
fn js_literals(text: &str) -> Vec<String> {
    let b: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if let Some(after) = comment_end(&b, i) {
            i = after;
        } else if c == '\'' || c == '"' || c == '`' {
            let mut s = String::new();
            i += 1;
            while i < b.len() && b[i] != c {
                if b[i] == '\\' && i + 1 < b.len() {
                    i += 1;
                }
                s.push(b[i]);
                i += 1;
            }
            out.push(s);
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Rust source without its `#[cfg(test)]` modules (they sit at the end of a file).
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests")
        .map_or(text, |at| &text[..at])
}

#[test]
fn no_english_ui_string_is_written_in_rust_or_javascript() {
    let english = english();
    assert!(english.len() > 150, "{}", english.len());
    let root = root();
    let mut found = Vec::new();

    let mut rust = Vec::new();
    files(&root.join("src"), "rs", &mut rust);
    rust.push(root.join("build.rs"));
    for path in &rust {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("src/i18n/") || rel.ends_with("/tests.rs") || rel.contains("/tests/") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for literal in rust_literals(without_tests(&text)) {
            for (key, part) in &english {
                if holds(&literal, part) {
                    found.push(format!("{rel}: {literal:?} is `{key}`"));
                }
            }
        }
    }

    let mut js = Vec::new();
    files(&root.join("themes"), "js", &mut js);
    files(&root.join("src/blocks/assets"), "js", &mut js);
    assert!(js.len() >= 5, "{js:?}");
    for path in &js {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        for literal in js_literals(&text) {
            for (key, part) in &english {
                if holds(&literal, part) {
                    found.push(format!("{rel}: {literal:?} is `{key}`"));
                }
            }
        }
    }

    // Templates: their text between tags and tags' quoted attributes.
    let mut templates = Vec::new();
    files(&root.join("themes"), "html", &mut templates);
    assert!(templates.len() >= 10, "{templates:?}");
    for path in &templates {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        let pieces = text
            .split(['<', '>', '"', '{', '}'])
            .map(str::trim)
            // `{# comments #}` may quote what the template shows.
            .filter(|p| !p.is_empty() && !p.starts_with('#'));
        for piece in pieces {
            for (key, part) in &english {
                if holds(piece, part) {
                    found.push(format!("{rel}: {piece:?} is `{key}`"));
                }
            }
        }
    }

    assert!(
        found.is_empty(),
        "English UI words written in code; give them a key in src/i18n/en.toml (and every \
         other language) and read the key instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_ratchet_sees_a_word_in_each_kind_of_file() {
    let english = english();
    let hit = |literals: Vec<String>| {
        literals
            .iter()
            .any(|l| english.iter().any(|(_, part)| holds(l, part)))
    };
    assert!(hit(rust_literals("let t = \"Copied\";")));
    assert!(hit(rust_literals(
        "format!(\"<p>{}</p>\", \"Every conversation script in this guide in one place. Each one links to the article that explains it. You can copy or print them.\")"
    )));
    assert!(hit(rust_literals("let x = r#\"Skip to main content\"#;")));
    assert!(!hit(rust_literals(
        "// \"Copied\"\nlet c = 'a'; let s: &'static str = \"copied\";"
    )));
    assert!(hit(js_literals(
        "status.textContent = x || 'Search could not load. Check your connection and try again.';"
    )));
    assert!(hit(js_literals("say(\"Quick exit cancelled.\")")));
    assert!(!hit(js_literals(
        "/* 'Quick exit cancelled.' */ var a = 'b';"
    )));
}

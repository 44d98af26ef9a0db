//! The library's layers only look down (issue 20): every top-level module of `src/` sits in one
//! layer of the table in `docs/architecture.md`, and may import only modules of a lower layer or
//! modules listed before it in its own layer. That one order makes an import cycle between
//! top-level modules impossible.
//!
//! Today's upward imports are listed in the "Known violations" table of the same document: a
//! ratchet. The test fails on any upward import not in that list, and on any listed one that no
//! longer exists, so the list can only shrink.
//!
//! An "import" is any `crate::module` path outside comments and outside `#[cfg(test)] mod` blocks
//! and `tests.rs` files (tests may reach anywhere), including grouped `use crate::{a, b::c}` and
//! `super::module` paths in top-level files (where `super` is the crate root). The binary's own
//! files (`main.rs`, `alloc.rs`, `report.rs`) sit above everything and are not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const DOC: &str = "docs/architecture.md";
const BINARY_FILES: [&str; 3] = ["main.rs", "alloc.rs", "report.rs"];

/// A module's place in the order: (layer index, position in the layer's row).
type Rank = (usize, usize);

struct Layers {
    rank: BTreeMap<String, Rank>,
    names: Vec<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The table rows between `<!-- begin:NAME -->` and `<!-- end:NAME -->`, as cells, without the
/// header and separator rows.
fn table(doc: &str, name: &str) -> Vec<Vec<String>> {
    let begin = format!("<!-- begin:{name} -->");
    let end = format!("<!-- end:{name} -->");
    let start = doc
        .find(&begin)
        .unwrap_or_else(|| panic!("{DOC} has no `{begin}` marker"));
    let stop = doc[start..]
        .find(&end)
        .unwrap_or_else(|| panic!("{DOC} has no `{end}` marker after `{begin}`"));
    doc[start + begin.len()..start + stop]
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

/// The words in backticks in a table cell.
fn ticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn layers(doc: &str) -> Layers {
    let mut rank = BTreeMap::new();
    let mut names = Vec::new();
    for (layer, row) in table(doc, "layers").iter().enumerate() {
        names.push(row[0].clone());
        for (pos, module) in ticked(&row[1]).into_iter().enumerate() {
            if let Some(old) = rank.insert(module.clone(), (layer, pos)) {
                panic!("{DOC}: module `{module}` is listed twice (layers {old:?} and {layer})");
            }
        }
    }
    Layers { rank, names }
}

/// `(file, target)` pairs of the known-violations table.
fn known(doc: &str) -> BTreeSet<(String, String)> {
    let mut set = BTreeSet::new();
    for row in table(doc, "known-violations") {
        let file = ticked(&row[0]).into_iter().next().unwrap_or_default();
        let target = ticked(&row[1]).into_iter().next().unwrap_or_default();
        assert!(
            !file.is_empty() && !target.is_empty(),
            "{DOC}: a known-violations row needs a `file` and a `target` in backticks: {row:?}"
        );
        assert!(
            set.insert((file.clone(), target.clone())),
            "{DOC}: known violation `{file}` -> `{target}` is listed twice"
        );
    }
    set
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code without test modules and comments.
fn code(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate() {
        if line.trim() == "#[cfg(test)]"
            && !line.starts_with(char::is_whitespace)
            && lines[i + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.starts_with("mod ") || l.starts_with("pub mod "))
        {
            end = i;
            break;
        }
    }
    lines[..end]
        .iter()
        .map(|l| match l.find("//") {
            // A `//` inside a string ("https://") is kept: only whole-line and trailing comments
            // that start after the code are dropped, which is enough for paths.
            Some(at) if !l[..at].contains('"') => &l[..at],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules a piece of code names, each with the 1-based line of its first use.
fn imports(code: &str, top_level_file: bool) -> BTreeMap<String, usize> {
    let mut found = BTreeMap::new();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut prefixes = vec!["crate::"];
    if top_level_file {
        prefixes.push("super::");
    }
    for prefix in prefixes {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
                continue; // `$crate::`, `my_crate::`
            }
            let rest = &code[at + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a, b::{c, d}}`: the first segment of each top-level item.
                let mut depth = 0;
                let mut item_start = true;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if item_start && (c.is_ascii_alphabetic() || c == '_') => {
                            item_start = false;
                            let name = ident_at(&group[i..]);
                            found.entry(name.to_string()).or_insert(line_of(at));
                        }
                        _ => {}
                    }
                }
            } else {
                let name = ident_at(rest);
                if !name.is_empty() {
                    found.entry(name.to_string()).or_insert(line_of(at));
                }
            }
        }
    }
    found
}

#[test]
fn imports_only_look_down() {
    let root = root();
    let doc = fs::read_to_string(root.join(DOC)).expect("read docs/architecture.md");
    let layers = layers(&doc);
    let mut known = known(&doc);
    let how_to_fix = "Fix it by moving the code so that the lower module no longer needs the \
        higher one (data and types down, the code that uses them up), or by passing what it \
        needs in as an argument. Do not add the import to the \"Known violations\" table: that \
        list may only shrink.";

    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();

    let mut failures = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&src).unwrap();
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let file_name = rel.file_name().unwrap().to_string_lossy();
        if rel_str == "lib.rs"
            || BINARY_FILES.contains(&rel_str.as_str())
            || file_name == "tests.rs"
        {
            continue;
        }
        let module = rel_str
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        let Some(&from) = layers.rank.get(&module) else {
            failures.push(format!(
                "src/{rel_str}: module `{module}` is in no layer. Add it to the layers table in \
                 {DOC}, in the lowest layer whose modules it needs (and say what it owns)."
            ));
            continue;
        };
        let top_level_file = !rel_str.contains('/') || rel_str == format!("{module}/mod.rs");
        let text = fs::read_to_string(path).unwrap();
        for (target, line) in imports(&code(&text), top_level_file) {
            if target == module || target == "self" || target == "super" {
                continue;
            }
            let Some(&to) = layers.rank.get(&target) else {
                continue; // not a top-level module (a macro, or an item of lib.rs)
            };
            if to < from {
                continue;
            }
            let file = format!("src/{rel_str}");
            if known.remove(&(file.clone(), target.clone())) {
                continue;
            }
            let why = if to.0 == from.0 {
                format!(
                    "both are in layer {}, and `{target}` is listed after `{module}` there",
                    layers.names[to.0]
                )
            } else {
                format!(
                    "`{module}` is in layer {} and `{target}` is in the higher layer {}",
                    layers.names[from.0], layers.names[to.0]
                )
            };
            failures.push(format!(
                "{file}:{line}: `{module}` imports `crate::{target}`, which looks up: {why}. \
                 {how_to_fix}"
            ));
        }
    }
    for (file, target) in known {
        failures.push(format!(
            "{file} no longer imports `crate::{target}`: good. Delete its row from the \"Known \
             violations\" table in {DOC}, so that it cannot come back."
        ));
    }
    assert!(
        failures.is_empty(),
        "layering ({DOC}): {} problem(s):\n\n{}\n",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_top_level_module_is_in_the_table() {
    let root = root();
    let doc = fs::read_to_string(root.join(DOC)).unwrap();
    let layers = layers(&doc);
    let lib = fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let declared: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';').to_string())
        .collect();
    let listed: BTreeSet<String> = layers.rank.keys().cloned().collect();
    let missing: Vec<_> = declared.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&declared).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "{DOC} layers table: modules of src/lib.rs missing from it: {missing:?} (add each to \
         one layer); listed but not in src/lib.rs: {stale:?} (remove them)"
    );
}

#[test]
fn the_scanner_sees_every_form_of_import() {
    let code = code(
        "use crate::config::Config;\n\
         use crate::{diagnostic::Diagnostic, model::{Site, Page}, output};\n\
         // use crate::serve; (a comment)\n\
         fn f() { crate::render::go(); super::search::x(); $crate::theme::y(); }\n\
         #[cfg(test)]\n\
         mod tests { use crate::pipeline; }\n",
    );
    let found = imports(&code, true);
    let names: Vec<_> = found.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "config",
            "diagnostic",
            "model",
            "output",
            "render",
            "search"
        ]
    );
    assert_eq!(found["render"], 4);
    assert!(!imports(&code, false).contains_key("search"));
}

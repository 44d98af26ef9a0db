//! Embeds the built-in themes (`themes/*`) and Haven's own UI strings (`src/i18n/LANG.toml`) in
//! the binary, so `haven new` sites build anywhere and adding a language is adding a file.

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=themes");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Built-in theme files: (path under themes/, contents).\npub static BUILTIN_THEME_FILES: &[(&str, &[u8])] = &[\n",
    );
    for rel in &files {
        let abs = root.join(rel);
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_themes.rs");
    std::fs::write(out, code).unwrap();
    embed_strings();
}

/// `src/i18n/*.toml` as `BUILTIN_STRINGS: &[(language, text)]`, sorted by language.
fn embed_strings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join("i18n");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut packs: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .filter_map(|p| Some((p.file_stem()?.to_str()?.to_string(), p.clone())))
                .collect()
        })
        .unwrap_or_default();
    packs.sort();
    let mut code = String::from(
        "/// Haven's built-in UI strings: (language, contents of src/i18n/LANG.toml).\npub static BUILTIN_STRINGS: &[(&str, &str)] = &[\n",
    );
    for (lang, path) in &packs {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({lang:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_strings.rs");
    std::fs::write(out, code).unwrap();
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(rel) = path.strip_prefix(root) {
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

//! Every word a reader sees that is not the site's own content: page chrome, quick exit, quiz,
//! script and handout interface, callout labels, month names and date order, language names.
//! Rust holds only the keys; the words live in TOML files (docs/i18n.md):
//!
//! - Haven's built-in strings, one flat file per language in `src/i18n/LANG.toml`, embedded at
//!   build time (`build.rs`): adding a language is adding a file;
//! - a theme's `i18n/LANG.toml`, over Haven's (only what the theme changes or adds);
//! - the site's `i18n/LANG.toml`, over both (and the deprecated `[quiz.strings.LANG]` table of
//!   `haven.toml`, read as the site's `quiz_*` keys).
//!
//! For a page in language `L` a key is looked up in the site's, the theme's and Haven's `L`
//! (then, for a regional `L` such as `es-MX`, the same three for `es`), then in the English
//! ones. The site's default language is deliberately not in that chain: a reader of a Swahili
//! page on a French site gets the English words, not French ones they may not read. Only a key
//! no English file has (one the site made up for its own templates) is taken from the default
//! language, then from any language that has it, so a template never fails on a missing key.
//! `haven check` warns about every key a language takes from elsewhere ([`missing_warnings`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Errors, io_error};
use crate::theme::Theme;

include!(concat!(env!("OUT_DIR"), "/builtin_strings.rs"));

/// UI strings by language, then key, every key a language needs filled in.
pub type Strings = BTreeMap<String, BTreeMap<String, String>>;

/// The language whose words are the last fallback.
pub const FALLBACK: &str = "en";

/// Haven's built-in strings of `lang` (`src/i18n/LANG.toml`), if Haven ships that language.
pub fn builtin(lang: &str) -> Option<&'static BTreeMap<String, String>> {
    static PACKS: OnceLock<BTreeMap<&'static str, BTreeMap<String, String>>> = OnceLock::new();
    PACKS
        .get_or_init(|| {
            BUILTIN_STRINGS
                .iter()
                .map(|(lang, text)| {
                    // Checked by the tests (`every_builtin_pack_parses`): a file that does not
                    // parse is a bug in Haven, shown as no strings rather than a panic.
                    (*lang, toml::from_str(text).unwrap_or_default())
                })
                .collect()
        })
        .get(lang)
}

/// The languages Haven ships strings for.
pub fn builtin_languages() -> impl Iterator<Item = &'static str> {
    BUILTIN_STRINGS.iter().map(|(lang, _)| *lang)
}

/// `es` for `es-MX` or `es_MX`; `None` for a language without a region.
fn base_language(lang: &str) -> Option<&str> {
    lang.split_once(['-', '_']).map(|(base, _)| base)
}

/// The text of `key` in `lang`: the site's resolved strings (`config.ui`, filled by the build),
/// else Haven's built-in strings of that language, else Haven's English. Never fails: a key
/// Haven's English does not have (a bug, which the tests catch) shows as nothing.
pub fn text<'a>(config: &'a Config, lang: &str, key: &str) -> &'a str {
    if let Some(s) = config.ui.get(lang).and_then(|m| m.get(key)) {
        return s;
    }
    let builtin_of = |l: &str| builtin(l).and_then(|m| m.get(key));
    let found = builtin_of(lang)
        .or_else(|| base_language(lang).and_then(builtin_of))
        .or_else(|| builtin_of(FALLBACK));
    debug_assert!(found.is_some(), "no UI string `{key}` in src/i18n/en.toml");
    found.map_or("", String::as_str)
}

/// [`text`] with `{n}` and `{total}` filled in.
pub fn fill(config: &Config, lang: &str, key: &str, n: usize, total: usize) -> String {
    text(config, lang, key)
        .replace("{n}", &n.to_string())
        .replace("{total}", &total.to_string())
}

/// A long date in `lang`'s words and order, from its `month_N` and `date_long` strings.
pub fn long_date(strings: &BTreeMap<String, String>, day: u8, month: u8, year: u16) -> String {
    let english = builtin(FALLBACK);
    let get = |key: &str| {
        strings
            .get(key)
            .or_else(|| english.and_then(|m| m.get(key)))
            .cloned()
            .unwrap_or_default()
    };
    let month_name = get(&format!("month_{month}"));
    let pattern = get("date_long");
    let pattern = if pattern.is_empty() {
        "{day} {month} {year}".to_string()
    } else {
        pattern
    };
    pattern
        .replace("{day}", &day.to_string())
        .replace("{year}", &year.to_string())
        .replace("{month}", &month_name)
}

/// Where a language's string came from, when not from its own files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Borrowed {
    /// An English file (the site's, the theme's or Haven's).
    English,
    /// The language's own code (`language_name`, which no other language can say for it).
    Code,
    /// Another language of the site (a key no English file has).
    Other(String),
}

/// The resolved strings, and which keys each language had to borrow.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub strings: Strings,
    /// By language: the keys none of its own files has, and where they came from.
    pub borrowed: BTreeMap<String, BTreeMap<String, Borrowed>>,
    /// By language: the site's own `i18n/LANG.toml`, when it has one (for messages).
    pub site_files: BTreeMap<String, PathBuf>,
}

/// One file's strings.
type Level = BTreeMap<String, String>;

/// Reads the site's and the theme's string files for every language the lookup needs.
struct Sources {
    /// By language: the site's level, the haven.toml quiz alias, the theme's, Haven's (in order).
    levels: BTreeMap<String, Vec<Level>>,
    site_files: BTreeMap<String, PathBuf>,
}

impl Sources {
    /// Without a theme or a root: Haven's strings and haven.toml's alone.
    fn read(
        theme: Option<&Theme>,
        root: Option<&Path>,
        config: &Config,
    ) -> Result<Sources, Errors> {
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        for lang in config.all_languages() {
            wanted.insert(lang.to_string());
            if let Some(base) = base_language(lang) {
                wanted.insert(base.to_string());
            }
        }
        wanted.insert(FALLBACK.to_string());
        let mut errors = Vec::new();
        let mut levels = BTreeMap::new();
        let mut site_files = BTreeMap::new();
        let real_root = root.map(|root| root.canonicalize().unwrap_or_else(|_| root.to_path_buf()));
        for lang in &wanted {
            let mut list = Vec::new();
            let shown = Path::new("i18n").join(format!("{lang}.toml"));
            if let (Some(root), Some(real_root)) = (root, &real_root)
                && root.join(&shown).is_file()
            {
                let site_file = root.join(&shown);
                if let Some(d) = crate::discover::outside_site(&site_file, real_root, &shown) {
                    return Err(d.into());
                }
                let text = std::fs::read_to_string(&site_file)
                    .map_err(|e| Errors::from(io_error(&site_file, "read", &e)))?;
                match parse(&text, &shown) {
                    Ok(level) => list.push(level),
                    Err(e) => errors.push(*e),
                }
                site_files.insert(lang.clone(), shown);
            }
            if let Some(quiz) = config.quiz.strings.get(lang) {
                list.push(
                    quiz.iter()
                        .map(|(k, v)| (format!("quiz_{k}"), v.clone()))
                        .collect(),
                );
            }
            if let Some(f) = theme.and_then(|t| t.files.get(&format!("i18n/{lang}.toml"))) {
                match parse(&String::from_utf8_lossy(&f.bytes), &f.display) {
                    Ok(level) => list.push(level),
                    Err(e) => errors.push(*e),
                }
            }
            if let Some(pack) = builtin(lang) {
                list.push(pack.clone());
            }
            levels.insert(lang.clone(), list);
        }
        if errors.is_empty() {
            Ok(Sources { levels, site_files })
        } else {
            Err(Errors(errors))
        }
    }

    /// `lang`'s own levels: its files, then (for `es-MX`) its base language's.
    fn own(&self, lang: &str) -> impl Iterator<Item = &Level> {
        let base = base_language(lang).and_then(|b| self.levels.get(b));
        self.levels.get(lang).into_iter().chain(base).flatten()
    }

    fn first<'a>(levels: impl IntoIterator<Item = &'a Level>, key: &str) -> Option<&'a String> {
        levels.into_iter().find_map(|l| l.get(key))
    }
}

fn parse(text: &str, display: &Path) -> Result<Level, Box<Diagnostic>> {
    toml::from_str::<Level>(text).map_err(|e| {
        let source: std::sync::Arc<str> = std::sync::Arc::from(text);
        let (s, end) = e.span().map_or((0, 0), |r| (r.start, r.end));
        Box::new(
            Diagnostic::error(format!("invalid UI strings: {}", e.message().trim()))
                .in_file(display)
                .at(&source, s, end)
                .with_help("write each string as key = \"text\", one a line"),
        )
    })
}

/// The strings of every language of the site, in the lookup order of the module's comment.
pub fn resolve(theme: &Theme, root: &Path, config: &Config) -> Result<Resolved, Errors> {
    Ok(resolve_from(
        Sources::read(Some(theme), Some(root), config)?,
        config,
    ))
}

/// The strings of every language of `config` from Haven's own files (and haven.toml's quiz
/// strings), for code that renders without a site folder (unit tests).
pub fn resolve_builtin(config: &Config) -> Strings {
    Sources::read(None, None, config)
        .map(|sources| resolve_from(sources, config).strings)
        .unwrap_or_default()
}

fn resolve_from(sources: Sources, config: &Config) -> Resolved {
    let english: Vec<&Level> = sources.own(FALLBACK).collect();
    let mut keys: BTreeSet<&String> = BTreeSet::new();
    for levels in sources.levels.values() {
        for level in levels {
            keys.extend(level.keys());
        }
    }
    let default = config.default_language.as_str();
    let mut out = Resolved {
        site_files: sources.site_files.clone(),
        ..Resolved::default()
    };
    for lang in config.all_languages() {
        let own: Vec<&Level> = sources.own(lang).collect();
        let is_english = lang == FALLBACK || base_language(lang) == Some(FALLBACK);
        let mut map = BTreeMap::new();
        let mut borrowed = BTreeMap::new();
        for key in &keys {
            if let Some(v) = Sources::first(own.iter().copied(), key) {
                map.insert((*key).clone(), v.clone());
                continue;
            }
            let (value, from) = if key.as_str() == "language_name" {
                (lang.to_string(), Borrowed::Code)
            } else if let Some(v) =
                Sources::first(english.iter().copied(), key).filter(|_| !is_english)
            {
                (v.clone(), Borrowed::English)
            } else {
                // A key of the site's own that no English file has: the default language's
                // text, else the first language that has it.
                let mut others = std::iter::once(default)
                    .chain(config.all_languages())
                    .chain(sources.levels.keys().map(String::as_str))
                    .filter(|l| *l != lang);
                let Some((other, v)) = others.find_map(|l| {
                    Sources::first(sources.own(l), key).map(|v| (l.to_string(), v.clone()))
                }) else {
                    continue;
                };
                (v, Borrowed::Other(other))
            };
            map.insert((*key).clone(), value);
            borrowed.insert((*key).clone(), from);
        }
        out.strings.insert(lang.to_string(), map);
        if !borrowed.is_empty() {
            out.borrowed.insert(lang.to_string(), borrowed);
        }
    }
    out
}

/// `haven check`: a warning for each language that borrows strings (names the keys), and one
/// for the deprecated `[quiz.strings.LANG]` tables of `haven.toml`.
pub fn missing_warnings(theme: &Theme, root: &Path, config: &Config) -> Vec<Diagnostic> {
    let Ok(resolved) = resolve(theme, root, config) else {
        // The build reported the file that does not parse.
        return Vec::new();
    };
    let mut out = Vec::new();
    for (lang, borrowed) in &resolved.borrowed {
        // The surprising ones first: a key shown in another language, then the name.
        let mut missing: Vec<&String> = borrowed.keys().collect();
        missing.sort_by_key(|k| match borrowed[*k] {
            Borrowed::Other(_) => 0,
            Borrowed::Code => 1,
            Borrowed::English => 2,
        });
        let list = missing
            .iter()
            .take(8)
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let more = if missing.len() > 8 {
            format!(" and {} more", missing.len() - 8)
        } else {
            String::new()
        };
        let mut shown: Vec<String> = Vec::new();
        if borrowed.values().any(|b| *b == Borrowed::English) {
            shown.push("the English text".to_string());
        }
        let others: BTreeSet<&String> = borrowed
            .values()
            .filter_map(|b| match b {
                Borrowed::Other(l) => Some(l),
                _ => None,
            })
            .collect();
        for other in others {
            shown.push(format!(
                "the `{other}` text where no English file has the key"
            ));
        }
        if borrowed.values().any(|b| *b == Borrowed::Code) {
            shown.push(format!("the code `{lang}` as the language's name"));
        }
        let warning = Diagnostic::warning(format!(
            "{} UI string{} missing in `{lang}` ({list}{more}): readers see {}",
            missing.len(),
            if missing.len() == 1 { " is" } else { "s are" },
            shown.join(", and ")
        ))
        .with_code("missing-ui-string");
        out.push(match resolved.site_files.get(lang) {
            Some(file) => warning.in_file(file).with_help(format!(
                "add them to i18n/{lang}.toml, translated, e.g. {} = \"...\" (docs/i18n.md lists \
                 every key with its English text)",
                missing[0]
            )),
            None => warning.with_help(format!(
                "add i18n/{lang}.toml to the site with these keys, each translated: docs/i18n.md \
                 lists every key with its English text"
            )),
        });
    }
    for (lang, table) in &config.quiz.strings {
        let Some(first) = table.keys().next() else {
            continue;
        };
        out.push(
            Diagnostic::warning(format!(
                "[quiz.strings.{lang}] in haven.toml is still read, but quiz strings now live with \
                 the other UI strings"
            ))
            .in_file(crate::config::CONFIG_FILE)
            .with_code("deprecated-quiz-strings")
            .with_help(format!(
                "move them to i18n/{lang}.toml with a `quiz_` prefix: {first} = \"...\" becomes \
                 quiz_{first} = \"...\""
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests;

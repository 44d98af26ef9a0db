//! Translations: freshness (`translation_of`, a hash of the source a translation was made from)
//! (UI strings missing in a language are `crate::i18n`'s). See `docs/translations.md`.
//!
//! The hash covers what a translator translates: the source's title, description and body, with
//! line endings and trailing spaces normalised (so re-saving a file on another system changes
//! nothing). Other front matter (dates, reviews, tags) does not make a translation outdated.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::frontmatter::FrontMatter;
use crate::model::{PageId, Site, Target};

/// Hash of a source page's translatable text: 16 hex digits (64-bit FNV-1a).
pub fn source_hash(front: &FrontMatter, body: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |s: &str| {
        for b in s.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    feed(front.title.trim());
    feed("\n\u{1f}\n");
    feed(front.description.as_deref().unwrap_or("").trim());
    feed("\n\u{1f}\n");
    for line in body.trim().lines() {
        feed(line.trim_end());
        feed("\n");
    }
    format!("{h:016x}")
}

/// A translation (page or section outside the default language) and its source.
#[derive(Debug, Clone)]
pub struct Pair {
    pub translation: Target,
    pub source: Target,
    /// `translation_of` as written in the translation, if any.
    pub recorded: Option<String>,
    /// The source's hash now.
    pub current: String,
}

impl Pair {
    /// Stamped with a hash that is no longer the source's.
    pub fn outdated(&self) -> bool {
        self.recorded.as_ref().is_some_and(|r| r != &self.current)
    }
}

fn front_of(site: &Site, t: Target) -> (&FrontMatter, &str) {
    match t {
        Target::Page(i) => (&site.pages[i].front, site.pages[i].body()),
        Target::Section(i) => (&site.sections[i].front, site.sections[i].body()),
    }
}

/// The default-language source of a page or section, if it is a translation with one. A
/// fallback page is no translation: it is its source's own text.
pub fn source_of(site: &Site, config: &Config, t: Target) -> Option<Target> {
    let (lang, key) = match t {
        Target::Page(i) if site.pages[i].is_fallback() => return None,
        Target::Page(i) => (
            &site.pages[i].file.lang,
            site.pages[i].file.translation_key(),
        ),
        Target::Section(i) => {
            let s = &site.sections[i];
            s.file.as_ref()?;
            (&s.lang, s.translation_key())
        }
    };
    if *lang == config.default_language {
        return None;
    }
    let default = config.default_language.as_str();
    site.translations(&key, &[default])
        .into_iter()
        .next()
        .map(|(_, t)| t)
}

/// Every translation with a source, pages first.
pub fn pairs(site: &Site, config: &Config) -> Vec<Pair> {
    let targets = site
        .pages
        .ids()
        .map(Target::Page)
        .chain(site.sections.ids().map(Target::Section));
    targets
        .filter_map(|t| {
            let source = source_of(site, config, t)?;
            let (src_front, src_body) = front_of(site, source);
            Some(Pair {
                translation: t,
                source,
                recorded: front_of(site, t).0.translation_of.clone(),
                current: source_hash(src_front, src_body),
            })
        })
        .collect()
}

/// Whether page `i` is a translation whose source changed since it was stamped.
pub fn page_outdated(site: &Site, config: &Config, i: PageId) -> bool {
    let Some(recorded) = &site.pages[i].front.translation_of else {
        return false;
    };
    source_of(site, config, Target::Page(i)).is_some_and(|s| {
        let (f, b) = front_of(site, s);
        &source_hash(f, b) != recorded
    })
}

pub fn display_of(site: &Site, t: Target) -> (&Path, &std::sync::Arc<str>) {
    match t {
        Target::Page(i) => (&site.pages[i].display, &site.pages[i].source),
        Target::Section(i) => (&site.sections[i].display, &site.sections[i].source),
    }
}

/// `haven check`: a warning for each translation whose source changed since it was stamped.
pub fn outdated_warnings(site: &Site, config: &Config) -> Vec<Diagnostic> {
    pairs(site, config)
        .into_iter()
        .filter(Pair::outdated)
        .map(|p| {
            let (display, source) = display_of(site, p.translation);
            let (src_display, _) = display_of(site, p.source);
            let at = source.find("translation_of").unwrap_or(0);
            Diagnostic::warning(format!(
                "this translation is outdated: {} changed since it was translated",
                src_display.display()
            ))
            .in_file(display)
            .at(
                source,
                at,
                at + "translation_of".len().min(source.len() - at),
            )
            .with_code("translation-outdated")
            .with_help(format!(
                "update the translation from {}, then run `haven translations stamp {}`",
                src_display.display(),
                display.display()
            ))
        })
        .collect()
}

/// Writes `translation_of = "<hash>"` into `text`'s front matter (TOML or YAML), replacing an
/// existing value; every other byte stays as it was. `None` when the text has no front matter.
pub fn stamp_text(text: &str, hash: &str) -> Option<String> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = text[bom..].find('\n')? + bom + 1;
    let fence = text[bom..first_end].trim_end();
    let yaml = match fence {
        "+++" => false,
        "---" => true,
        _ => return None,
    };
    let newline = if text[bom..first_end].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let line = if yaml {
        format!("translation_of: \"{hash}\"{newline}")
    } else {
        format!("translation_of = \"{hash}\"{newline}")
    };
    // Walk the front matter's lines.
    let mut at = first_end;
    let mut insert_at = None;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        let l = &text[at..end];
        let trimmed = l.trim_end();
        if trimmed == fence {
            let pos = insert_at.unwrap_or(at);
            return Some(format!("{}{line}{}", &text[..pos], &text[pos..]));
        }
        let key = trimmed.trim_start();
        let is_ours = !l.starts_with([' ', '\t'])
            && key.strip_prefix("translation_of").is_some_and(|r| {
                let r = r.trim_start();
                r.starts_with('=') || r.starts_with(':')
            });
        if is_ours && insert_at.is_none() {
            return Some(format!("{}{line}{}", &text[..at], &text[end..]));
        }
        // In TOML, keys after a table header belong to the table: insert before the first one.
        if !yaml && insert_at.is_none() && trimmed.starts_with('[') {
            insert_at = Some(at);
        }
        at = end;
    }
    None
}

/// A default-language page and the languages that lack it.
pub type Untranslated = (PathBuf, Vec<String>);

/// Each default-language page that some language lacks, with those languages (in the config's
/// order): the pages `[translations] fallback_pages` shows in the original language there.
pub fn untranslated(site: &Site, config: &Config) -> Vec<Untranslated> {
    let others: Vec<&str> = config.languages.keys().map(String::as_str).collect();
    site.pages
        .iter()
        .filter(|p| !p.is_fallback() && p.file.lang == config.default_language)
        .filter_map(|p| {
            let key = p.file.translation_key();
            let missing: Vec<String> = others
                .iter()
                .filter(|l| {
                    // A fallback page stands where the translation would.
                    !matches!(site.translations(&key, &[**l]).first(),
                        Some((_, Target::Page(i))) if !site.pages[*i].is_fallback())
                })
                .map(|l| l.to_string())
                .collect();
            (!missing.is_empty()).then(|| (p.display.clone(), missing))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_ignores_line_endings_and_trailing_space() {
        let fm = FrontMatter {
            title: "A".into(),
            ..FrontMatter::default()
        };
        let a = source_hash(&fm, "one\ntwo\n");
        assert_eq!(a, source_hash(&fm, "one  \r\ntwo\r\n\r\n"));
        assert_ne!(a, source_hash(&fm, "one\nthree\n"));
        let other = FrontMatter {
            title: "B".into(),
            ..FrontMatter::default()
        };
        assert_ne!(a, source_hash(&other, "one\ntwo\n"));
        assert_eq!(a.len(), 16);
    }

    #[test]
    fn stamp_goes_before_toml_tables_and_keeps_the_rest() {
        let text =
            "+++\ntitle = \"Hola\"\ntags = [\"a\"]\n\n[[sources]]\ntitle = \"S\"\n+++\nCuerpo\n";
        let out = stamp_text(text, "abc").unwrap();
        assert_eq!(
            out,
            "+++\ntitle = \"Hola\"\ntags = [\"a\"]\n\ntranslation_of = \"abc\"\n[[sources]]\ntitle = \"S\"\n+++\nCuerpo\n"
        );
        let fm: FrontMatter =
            toml::from_str(out.split("+++").nth(1).unwrap()).expect("still valid TOML");
        assert_eq!(fm.translation_of.as_deref(), Some("abc"));
        assert_eq!(fm.sources.len(), 1);
    }

    #[test]
    fn stamp_replaces_an_existing_value() {
        let text =
            "+++\r\ntitle = \"Hola\"\r\ntranslation_of = \"old\"\r\nweight = 2\r\n+++\r\nx\r\n";
        let out = stamp_text(text, "new").unwrap();
        assert_eq!(
            out,
            "+++\r\ntitle = \"Hola\"\r\ntranslation_of = \"new\"\r\nweight = 2\r\n+++\r\nx\r\n"
        );
    }

    #[test]
    fn stamp_yaml_front_matter() {
        let text = "---\ntitle: Hola\nextra:\n  a: 1\n---\nbody\n";
        let out = stamp_text(text, "h1").unwrap();
        assert_eq!(
            out,
            "---\ntitle: Hola\nextra:\n  a: 1\ntranslation_of: \"h1\"\n---\nbody\n"
        );
        let again = stamp_text(&out, "h2").unwrap();
        assert_eq!(again, out.replace("h1", "h2"));
        assert!(stamp_text("no front matter\n", "h").is_none());
    }
}

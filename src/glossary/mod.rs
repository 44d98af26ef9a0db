//! The glossary: `content/glossary.toml` (terms of the default language) and one
//! `content/glossary.LANG.toml` per other language, the marking of a term's first use in each
//! article from the glossary of its language (an
//! [`EventPass`](crate::markdown::pass::EventPass) the render stage hands to Markdown, in
//! `mark`); the glossary page is made in `collections::glossary`.
//! See `docs/glossary.md`.
//!
//! ```toml
//! [[term]]
//! term = "aftercare"
//! also = ["after-care"]           # synonyms; plurals are matched automatically
//! definition = "The care partners give each other after sex or a scene."
//! ```
//!
//! A term's `id` (its anchor on the glossary page) is its name as a slug unless set; a
//! translation sets `id` to the id of the term it translates, which ties the two together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::markdown::headings::IdSet;
use crate::model::Site;
use crate::slug::slugify;

/// The browser files of marked terms (they live with the blocks' assets, which load them).
pub use crate::blocks::GLOSSARY_ASSETS as ASSETS;

mod mark;
mod plurals;

pub use mark::mark;
pub use plurals::plurals;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term: String,
    pub also: Vec<String>,
    pub definition: String,
    /// Element id on the glossary page (`/glossary/#id`), the same in every language.
    pub id: String,
    /// Where the term's name is in its file (bytes), for messages.
    pub span: std::ops::Range<usize>,
}

/// A language's glossary, ready for matching.
#[derive(Debug, Clone)]
pub struct Glossary {
    pub lang: String,
    pub terms: Vec<Term>,
    /// Every matchable form (lowercase), longest first, with its term's index.
    forms: Vec<(Vec<char>, usize)>,
    /// The file, as shown in messages, and its text.
    pub display: PathBuf,
    pub text: Arc<str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    term: Vec<RawTerm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    id: Option<Spanned<String>>,
    term: Spanned<String>,
    #[serde(default)]
    also: Vec<Spanned<String>>,
    definition: Spanned<String>,
}

/// The glossary page's path in a language.
pub fn path(lang: &str, default_language: &str) -> String {
    if lang == default_language {
        "/glossary/".to_string()
    } else {
        format!("/{lang}/glossary/")
    }
}

impl Glossary {
    /// Parses a glossary file; problems are located in it.
    pub fn parse(text: &Arc<str>, display: &Path, lang: &str) -> Result<Glossary, Vec<Diagnostic>> {
        let located = |message: String, span: std::ops::Range<usize>, help: &str| {
            Diagnostic::error(message)
                .in_file(display)
                .at(text, span.start, span.end)
                .with_help(help.to_string())
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let message = crate::diagnostic::short_unknown_field(e.message().trim());
            let mut d = Diagnostic::error(format!("invalid glossary: {message}")).in_file(display).at(text, span.start, span.end);
            d = d.with_help(
                crate::diagnostic::suggest_for_unknown_field(e.message())
                    .unwrap_or_else(|| "write each entry as [[term]] with term = \"...\", definition = \"...\" and optional also = [\"...\"] and id = \"...\"".into()),
            );
            vec![d]
        })?;
        let mut errors = Vec::new();
        let mut terms = Vec::new();
        let mut seen: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        let mut ids = IdSet::default();
        // Ids set in the file, with where: an id set twice is an error.
        let mut explicit: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        for t in raw.term {
            let name = t.term.get_ref().trim().to_string();
            let name = name.as_str();
            if name.is_empty() {
                errors.push(located(
                    "a glossary term is empty".into(),
                    t.term.span(),
                    "write the term, e.g. term = \"aftercare\"",
                ));
                continue;
            }
            if t.definition.get_ref().trim().is_empty() {
                errors.push(located(
                    format!("the term `{name}` has an empty definition"),
                    t.definition.span(),
                    "write a one- or two-sentence definition",
                ));
            }
            for form in std::iter::once(&t.term).chain(&t.also) {
                let f = form.get_ref().trim();
                if f.is_empty() {
                    errors.push(located(
                        format!("an empty synonym of `{name}`"),
                        form.span(),
                        "remove the empty string from `also`",
                    ));
                    continue;
                }
                let key = f.to_lowercase();
                if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                    let (line, _) = crate::diagnostic::line_col(text, first.start);
                    errors.push(located(
                        format!("`{f}` is in the glossary twice"),
                        form.span(),
                        &format!("it is already on line {line}; keep one entry"),
                    ));
                } else {
                    seen.push((key, form.span()));
                }
            }
            let id = match &t.id {
                Some(id) => {
                    let value = id.get_ref().trim();
                    if value.is_empty()
                        || !value
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                    {
                        errors.push(located(
                            format!("the id `{value}` of `{name}` cannot be used in a link"),
                            id.span(),
                            "write the id in letters, digits and hyphens, e.g. id = \"post-coital-dysphoria\"",
                        ));
                        continue;
                    }
                    if let Some((_, first)) = explicit.iter().find(|(k, _)| k == value) {
                        let (line, _) = crate::diagnostic::line_col(text, first.start);
                        errors.push(located(
                            format!("two terms have the id `{value}`"),
                            id.span(),
                            &format!("the other is on line {line}; give each term its own id"),
                        ));
                        continue;
                    }
                    explicit.push((value.to_string(), id.span()));
                    value.to_string()
                }
                None => slugify(name),
            };
            terms.push((t, name.to_string(), id));
        }
        // Set ids first, so a term named like another's set id gets a suffix, not the id.
        for (id, _) in &explicit {
            ids.claim(id);
        }
        let terms = terms
            .into_iter()
            .map(|(t, name, id)| Term {
                id: if t.id.is_some() { id } else { ids.claim(&id) },
                term: name,
                also: t
                    .also
                    .iter()
                    .map(|a| a.get_ref().trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
                definition: t.definition.get_ref().trim().to_string(),
                span: t.term.span(),
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut glossary = Glossary::new(lang, terms);
        glossary.display = display.to_path_buf();
        glossary.text = text.clone();
        Ok(glossary)
    }

    pub fn new(lang: &str, terms: Vec<Term>) -> Glossary {
        let mut forms = Vec::new();
        for (i, t) in terms.iter().enumerate() {
            for name in std::iter::once(&t.term).chain(&t.also) {
                for f in std::iter::once(name.clone()).chain(plurals(name, lang)) {
                    forms.push((f.to_lowercase().chars().collect::<Vec<char>>(), i));
                }
            }
        }
        forms.sort_by_key(|f| std::cmp::Reverse(f.0.len()));
        forms.dedup_by(|a, b| a.0 == b.0);
        Glossary {
            lang: lang.to_string(),
            terms,
            forms,
            display: PathBuf::new(),
            text: Arc::from(""),
        }
    }

    /// Where term `i`'s name is, for a message.
    fn locate(&self, d: Diagnostic, i: usize) -> Diagnostic {
        let span = &self.terms[i].span;
        d.in_file(&self.display)
            .at(&self.text, span.start, span.end)
    }
}

/// Every language's glossary, parsed once per build ([`Glossaries::load`]) and handed to the
/// Markdown stage, the glossary pages and `haven check`.
#[derive(Debug, Clone, Default)]
pub struct Glossaries {
    by_lang: BTreeMap<String, Glossary>,
}

impl Glossaries {
    /// Parses the site's glossary files. Errors are located in their file; a glossary that
    /// does not parse is left out (its language's pages mark nothing). A `glossary.LANG.toml`
    /// for a language the site does not have is a warning and is not read.
    pub fn load(site: &Site, config: &Config) -> (Glossaries, Vec<Diagnostic>) {
        let mut by_lang = BTreeMap::new();
        let mut diags = Vec::new();
        for (lang, src) in &site.glossaries {
            if !config.is_language(lang) {
                diags.push(
                    Diagnostic::warning(format!(
                        "{} is a glossary for `{lang}`, which is not a language of this site: it is not used",
                        src.display.display()
                    ))
                    .in_file(&src.display)
                    .with_help(format!(
                        "add [languages.{lang}] to haven.toml, or rename the file (glossary.LANG.toml is the glossary of LANG; glossary.toml is the default language's)"
                    )),
                );
                continue;
            }
            match Glossary::parse(&src.text, &src.display, lang) {
                Ok(g) => {
                    by_lang.insert(lang.clone(), g);
                }
                Err(e) => diags.extend(e),
            }
        }
        (Glossaries { by_lang }, diags)
    }

    /// The glossary of `lang`, if it has one.
    pub fn get(&self, lang: &str) -> Option<&Glossary> {
        self.by_lang.get(lang)
    }

    /// Every glossary, by language.
    pub fn iter(&self) -> impl Iterator<Item = &Glossary> {
        self.by_lang.values()
    }

    /// `haven check`: the terms of the default language's glossary that a language's glossary
    /// does not translate (located at the default term), the terms of a language's glossary
    /// that translate none (located at that term), and a language with no glossary at all when
    /// the default language has one.
    pub fn missing_translations(&self, config: &Config, site: &Site) -> Vec<Diagnostic> {
        let default = &config.default_language;
        let mut out = Vec::new();
        let Some(base) = self.get(default) else {
            for g in self.iter().filter(|g| &g.lang != default) {
                out.push(
                    Diagnostic::warning(format!(
                        "{} has no counterpart in the default language (`{default}`): there is no content/glossary.toml",
                        g.display.display()
                    ))
                    .in_file(&g.display)
                    .with_help("write content/glossary.toml with the same terms in the default language, each term's `id` matching its translation's")
                    .with_code("glossary-untranslated"),
                );
            }
            return out;
        };
        let example = base.terms.first().map_or("aftercare", |t| t.id.as_str());
        for lang in config.all_languages().filter(|l| l != default) {
            let file = format!("content/glossary.{lang}.toml");
            let Some(g) = self.get(lang) else {
                // A glossary that does not parse was reported by the build.
                if !site.glossaries.contains_key(lang) {
                    out.push(
                        Diagnostic::warning(format!(
                            "there is no glossary for `{lang}` ({file}): `{lang}` pages mark none of the {} terms of {}",
                            base.terms.len(),
                            base.display.display()
                        ))
                        .in_file(&base.display)
                        .with_help(format!(
                            "create {file} with each term translated and the id of the term it translates: [[term]] id = \"{example}\", term = \"...\", definition = \"...\" (see docs/glossary.md)"
                        ))
                        .with_code("glossary-untranslated"),
                    );
                }
                continue;
            };
            for (i, t) in base.terms.iter().enumerate() {
                if g.terms.iter().any(|o| o.id == t.id) {
                    continue;
                }
                out.push(
                    base.locate(
                        Diagnostic::warning(format!(
                            "the term `{}` has no `{lang}` translation in {}: `{lang}` pages leave it unmarked",
                            t.term,
                            g.display.display()
                        )),
                        i,
                    )
                    .with_help(format!(
                        "add it to {}: [[term]] id = \"{}\", term = \"...\", definition = \"...\"",
                        g.display.display(),
                        t.id
                    ))
                    .with_code("glossary-untranslated"),
                );
            }
            // The id a stray term most likely means: the first one this language lacks.
            let untranslated = base
                .terms
                .iter()
                .find(|b| !g.terms.iter().any(|o| o.id == b.id))
                .map_or(example, |b| b.id.as_str());
            for (i, t) in g.terms.iter().enumerate() {
                if base.terms.iter().any(|o| o.id == t.id) {
                    continue;
                }
                out.push(
                    g.locate(
                        Diagnostic::warning(format!(
                            "the term `{}` (id `{}`) translates no term of {}",
                            t.term,
                            t.id,
                            base.display.display()
                        )),
                        i,
                    )
                    .with_help(format!(
                        "set id to the id of the term it translates, e.g. id = \"{untranslated}\" (a term's id is its name in lowercase with hyphens, unless set), or add the term to {}",
                        base.display.display()
                    ))
                    .with_code("glossary-untranslated"),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;

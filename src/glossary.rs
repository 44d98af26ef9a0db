//! The glossary: `content/glossary.toml` (terms of the default language) and one
//! `content/glossary.LANG.toml` per other language, the marking of a term's first use in each
//! article from the glossary of its language (an [`EventPass`] the render stage hands to Markdown);
//! the glossary page is made in `collections::glossary`.
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

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Deserialize;
use toml::Spanned;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::html::escape;
use crate::markdown::RenderContext;
use crate::markdown::headings::IdSet;
use crate::markdown::pass::EventPass;
use crate::model::Site;
use crate::slug::slugify;

/// The browser files of marked terms (they live with the blocks' assets, which load them).
pub use crate::blocks::GLOSSARY_ASSETS as ASSETS;

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

/// The plural forms matched besides a name, by the rules of its language (`en` and `es`; no
/// automatic plurals in other languages: list them in `also`).
///
/// English: `-s`; `-es` after s/x/z/ch/sh; `-ies` after a consonant and `y`. In a phrase, the
/// last word takes the plural. Spanish: `-s` after a vowel, `-es` after a consonant (`-z`
/// becomes `-ces`, `-ión` becomes `-iones`), on a single word; a phrase's plural goes in `also`
/// (`líneas de crisis`), since its first word usually takes it.
pub fn plurals(name: &str, lang: &str) -> Vec<String> {
    match lang.split(['-', '_']).next().unwrap_or(lang) {
        "en" => english_plurals(name),
        "es" => spanish_plurals(name),
        _ => Vec::new(),
    }
}

fn english_plurals(name: &str) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut out = Vec::new();
    if lower.ends_with(['s', 'x', 'z']) || lower.ends_with("ch") || lower.ends_with("sh") {
        out.push(format!("{name}es"));
    } else if lower.ends_with('y') && !lower[..lower.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        out.push(format!("{}ies", &name[..name.len() - 1]));
        out.push(format!("{name}s"));
    } else {
        out.push(format!("{name}s"));
    }
    out
}

fn spanish_plurals(name: &str) -> Vec<String> {
    if name.contains(' ') {
        return Vec::new();
    }
    let lower = name.to_lowercase();
    let Some(last) = lower.chars().last() else {
        return Vec::new();
    };
    if "aeiouáéó".contains(last) {
        vec![format!("{name}s")]
    } else if let Some(stem) = name.strip_suffix('z') {
        vec![format!("{stem}ces")]
    } else if let Some(stem) = name.strip_suffix("ión") {
        vec![format!("{stem}iones")]
    } else if "lnrdjy".contains(last) {
        vec![format!("{name}es")]
    } else if last.is_alphabetic() && !"sx".contains(last) {
        // Words taken from English keep their `-s`: `flashbacks`, `kinks`.
        vec![format!("{name}s")]
    } else {
        Vec::new()
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

    /// The first term starting at character `at` of `chars` (whole words, case-insensitive),
    /// skipping terms in `used`: (term index, length in characters).
    fn match_at(
        &self,
        chars: &[char],
        lower: &[char],
        at: usize,
        used: &[bool],
    ) -> Option<(usize, usize)> {
        if at > 0 && is_word(chars[at - 1]) {
            return None;
        }
        self.forms.iter().find_map(|(form, i)| {
            let end = at + form.len();
            let fits = !used[*i]
                && end <= lower.len()
                && lower[at..end] == form[..]
                && (end == chars.len() || !is_word(chars[end]));
            fits.then_some((*i, form.len()))
        })
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

/// Letters, digits and the hyphen join words: `self-aftercare` holds no match for `aftercare`.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// The glossary as the Markdown stage's event pass: marks a page of the glossary's language.
impl EventPass for Glossary {
    fn run(
        &self,
        events: &mut Vec<Event<'_>>,
        ctx: &RenderContext,
        ids: &mut IdSet,
    ) -> Vec<String> {
        if self.lang != ctx.lang {
            return Vec::new();
        }
        mark(
            events,
            self,
            &path(&self.lang, &ctx.config.default_language),
            ids,
        )
    }
}

/// Marks the first use of each term in an article's events: a link to the glossary entry,
/// described by a tooltip holding the definition. Text in headings, links, images, code and
/// raw HTML is left alone (our blocks arrive as raw HTML). Returns the ids of the terms marked.
pub fn mark(
    events: &mut Vec<Event<'_>>,
    glossary: &Glossary,
    glossary_path: &str,
    ids: &mut IdSet,
) -> Vec<String> {
    let mut used = vec![false; glossary.terms.len()];
    let mut marked = Vec::new();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut skip = 0usize;
    let mut pending = String::new();
    let flush = |pending: &mut String,
                 out: &mut Vec<Event>,
                 skip: usize,
                 used: &mut Vec<bool>,
                 marked: &mut Vec<String>,
                 ids: &mut IdSet| {
        if pending.is_empty() {
            return;
        }
        let text = std::mem::take(pending);
        if skip > 0 {
            out.push(Event::Text(CowStr::from(text)));
            return;
        }
        let chars: Vec<char> = text.chars().collect();
        let lower: Vec<char> = chars
            .iter()
            .map(|c| c.to_lowercase().next().unwrap_or(*c))
            .collect();
        let mut last = 0;
        let mut at = 0;
        while at < chars.len() {
            let Some((i, len)) = glossary.match_at(&chars, &lower, at, used) else {
                at += 1;
                continue;
            };
            used[i] = true;
            let term = &glossary.terms[i];
            if at > last {
                out.push(Event::Text(CowStr::from(
                    chars[last..at].iter().collect::<String>(),
                )));
            }
            let words: String = chars[at..at + len].iter().collect();
            let tip = ids.claim(&format!("term-{}", term.id));
            out.push(Event::InlineHtml(CowStr::from(format!(
                "<span class=\"haven-term\"><a class=\"haven-term-link\" href=\"{glossary_path}#{id}\" aria-describedby=\"{tip}\">{w}</a><span class=\"haven-term-tip\" role=\"tooltip\" id=\"{tip}\">{d}</span></span>",
                id = term.id,
                w = escape(&words),
                d = escape(&term.definition),
            ))));
            marked.push(term.id.clone());
            at += len;
            last = at;
        }
        if last < chars.len() {
            out.push(Event::Text(CowStr::from(
                chars[last..].iter().collect::<String>(),
            )));
        }
    };
    for event in events.drain(..) {
        if let Event::Text(t) = &event {
            pending.push_str(t);
            continue;
        }
        flush(&mut pending, &mut out, skip, &mut used, &mut marked, ids);
        match &event {
            Event::Start(
                Tag::Heading { .. }
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::MetadataBlock(_),
            ) => skip += 1,
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::MetadataBlock(_),
            ) => skip = skip.saturating_sub(1),
            // External links arrive as raw `<a ...>` ... `</a>` (see markdown::links).
            Event::InlineHtml(h) if h.starts_with("<a ") || h.as_ref() == "<a>" => skip += 1,
            Event::InlineHtml(h) if h.as_ref() == "</a>" => skip = skip.saturating_sub(1),
            _ => {}
        }
        out.push(event);
    }
    flush(&mut pending, &mut out, skip, &mut used, &mut marked, ids);
    *events = out;
    marked
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Parser, html};

    fn glossary() -> Glossary {
        let text: Arc<str> = Arc::from(
            "[[term]]\nterm = \"aftercare\"\nalso = [\"after-care\"]\ndefinition = \"Care after sex.\"\n\n\
             [[term]]\nterm = \"self-aftercare\"\ndefinition = \"Caring for yourself.\"\n\n\
             [[term]]\nterm = \"post-coital dysphoria\"\nalso = [\"PCD\"]\ndefinition = \"Feeling low after sex.\"\n\n\
             [[term]]\nterm = \"safeword\"\nalso = [\"safe word\"]\ndefinition = \"A word that means \\\"stop\\\".\"\n\n\
             [[term]]\nterm = \"crisis line\"\ndefinition = \"A helpline.\"\n",
        );
        Glossary::parse(&text, Path::new("content/glossary.toml"), "en").unwrap()
    }

    fn marked(md: &str) -> (String, Vec<String>) {
        let mut events: Vec<Event> = Parser::new(md).collect();
        let mut ids = IdSet::default();
        let terms = mark(&mut events, &glossary(), "/glossary/", &mut ids);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        (out, terms)
    }

    #[test]
    fn first_use_is_marked_once_with_definition() {
        let (html, terms) = marked("Aftercare helps. More aftercare is good.\n");
        assert_eq!(terms, ["aftercare"]);
        assert_eq!(html.matches("haven-term-link").count(), 1, "{html}");
        assert!(html.contains("<a class=\"haven-term-link\" href=\"/glossary/#aftercare\" aria-describedby=\"term-aftercare\">Aftercare</a>"), "{html}");
        assert!(
            html.contains("role=\"tooltip\" id=\"term-aftercare\">Care after sex.</span>"),
            "{html}"
        );
        assert!(html.contains("More aftercare is good."));
    }

    #[test]
    fn synonyms_plurals_and_phrases_match_whole_words() {
        let (html, terms) =
            marked("Two safe words. Some crisis lines help. After-care too. PCDs vary.\n");
        assert_eq!(
            terms,
            [
                "safeword",
                "crisis-line",
                "aftercare",
                "post-coital-dysphoria"
            ]
        );
        assert!(html.contains(">safe words</a>"), "{html}");
        assert!(html.contains(">crisis lines</a>"), "{html}");
        assert!(html.contains(">After-care</a>"), "{html}");
        assert!(html.contains(">PCDs</a>"), "{html}");
        // Not inside other words.
        let (_, terms) = marked("Unsafewords and aftercares-like and xpcd.\n");
        assert!(terms.is_empty(), "{terms:?}");
        // The longer term wins, and the shorter one is not found inside it.
        let (html, terms) = marked("Self-aftercare matters.\n");
        assert_eq!(terms, ["self-aftercare"], "{html}");
    }

    #[test]
    fn headings_links_and_code_are_left_alone() {
        let md = "# Aftercare\n\n[aftercare](/x/) and `aftercare` and <a href=\"/y/\">aftercare</a>\n\n```\naftercare\n```\n\n![aftercare](a.png)\n\nThen aftercare here.\n";
        let (html, terms) = marked(md);
        assert_eq!(terms, ["aftercare"]);
        assert!(html.contains("<h1>Aftercare</h1>"), "{html}");
        assert!(html.contains("<a href=\"/x/\">aftercare</a>"), "{html}");
        assert!(html.contains("<code>aftercare</code>"));
        assert!(html.contains("alt=\"aftercare\""), "{html}");
        assert!(
            html.contains("Then <span class=\"haven-term\"><a class=\"haven-term-link\""),
            "{html}"
        );
    }

    #[test]
    fn malformed_glossary_is_located() {
        let bad: Arc<str> = Arc::from("[[term]]\nterm = \"drop\"\ndefiniton = \"x\"\n");
        let e = Glossary::parse(&bad, Path::new("content/glossary.toml"), "en").unwrap_err();
        assert_eq!(e[0].line_col(), Some((3, 1)), "{:?}", e[0]);
        assert!(e[0].message.contains("definiton"), "{}", e[0].message);

        let dup: Arc<str> = Arc::from(
            "[[term]]\nterm = \"drop\"\ndefinition = \"x\"\n\n[[term]]\nterm = \"scene\"\nalso = [\"Drop\"]\ndefinition = \"\"\n",
        );
        let e = Glossary::parse(&dup, Path::new("content/glossary.toml"), "en").unwrap_err();
        let msgs: Vec<_> = e
            .iter()
            .map(|d| (d.line_col().map(|l| l.0), d.message.clone()))
            .collect();
        assert!(
            msgs.contains(&(Some(7), "`Drop` is in the glossary twice".to_string())),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&(
                Some(8),
                "the term `scene` has an empty definition".to_string()
            )),
            "{msgs:?}"
        );
    }

    #[test]
    fn a_set_id_ties_a_translation_to_its_term() {
        let text: Arc<str> = Arc::from(
            "[[term]]\nterm = \"aftercare\"\ndefinition = \"x\"\n\n\
             [[term]]\nid = \"aftercare\"\nterm = \"cuidados posteriores\"\ndefinition = \"Los cuidados.\"\n",
        );
        let g = Glossary::parse(&text, Path::new("content/glossary.es.toml"), "es").unwrap();
        // The set id wins; a term whose own slug is taken gets a suffix, not the set id.
        assert_eq!(g.terms[1].id, "aftercare");
        assert_eq!(g.terms[0].id, "aftercare-1");
        assert_eq!(&text[g.terms[1].span.clone()], "\"cuidados posteriores\"");
        let mut events: Vec<Event> = Parser::new("Los cuidados posteriores ayudan.\n").collect();
        let terms = mark(&mut events, &g, "/es/glossary/", &mut IdSet::default());
        assert_eq!(terms, ["aftercare"]);
    }

    #[test]
    fn plural_rules() {
        assert_eq!(plurals("scene", "en"), ["scenes"]);
        assert_eq!(plurals("crisis", "en"), ["crisises"]);
        assert_eq!(plurals("hotline", "en"), ["hotlines"]);
        assert_eq!(plurals("kinky", "en-GB"), ["kinkies", "kinkys"]);
        assert_eq!(plurals("day", "en"), ["days"]);
        // Spanish: by the last letter; phrases are listed in `also`.
        assert_eq!(plurals("escena", "es"), ["escenas"]);
        assert_eq!(plurals("asexual", "es"), ["asexuales"]);
        assert_eq!(plurals("infección", "es"), ["infecciones"]);
        assert_eq!(plurals("luz", "es"), ["luces"]);
        assert_eq!(plurals("flashback", "es"), ["flashbacks"]);
        assert!(plurals("crisis", "es").is_empty());
        assert!(plurals("línea de crisis", "es").is_empty());
        // Other languages: `also` only.
        assert!(plurals("scène", "fr").is_empty());
    }
}

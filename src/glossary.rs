//! The glossary: `content/glossary.toml` (terms of the default language), the marking of a
//! term's first use in each article, and the generated glossary page. See `docs/glossary.md`.
//!
//! ```toml
//! [[term]]
//! term = "aftercare"
//! also = ["after-care"]           # synonyms; plurals are matched automatically
//! definition = "The care partners give each other after sex or a scene."
//! ```

use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Deserialize;
use toml::Spanned;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::markdown::headings::IdSet;
use crate::model::{Site, slugify};
use crate::templates::context::{CollectionItem, CollectionPage};

/// The browser files of marked terms (they live with the blocks' assets, which load them).
pub use crate::blocks::GLOSSARY_ASSETS as ASSETS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term: String,
    pub also: Vec<String>,
    pub definition: String,
    /// Element id on the glossary page (`/glossary/#id`).
    pub id: String,
}

/// A language's glossary, ready for matching.
#[derive(Debug, Clone)]
pub struct Glossary {
    pub lang: String,
    pub terms: Vec<Term>,
    /// Every matchable form (lowercase), longest first, with its term's index.
    forms: Vec<(Vec<char>, usize)>,
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

/// The plural forms matched besides a name: `-s`, `-es` after s/x/z/ch/sh, `-ies` after a
/// consonant and `y`. In a phrase, the last word takes the plural.
pub fn plurals(name: &str) -> Vec<String> {
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
                    .unwrap_or_else(|| "write each entry as [[term]] with term = \"...\", definition = \"...\" and optional also = [\"...\"]".into()),
            );
            vec![d]
        })?;
        let mut errors = Vec::new();
        let mut terms = Vec::new();
        let mut seen: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        let mut ids = IdSet::default();
        for t in raw.term {
            let name = t.term.get_ref().trim();
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
            let id = ids.claim(&slugify(name));
            terms.push(Term {
                term: name.to_string(),
                also: t
                    .also
                    .iter()
                    .map(|a| a.get_ref().trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
                definition: t.definition.get_ref().trim().to_string(),
                id,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Glossary::new(lang, terms))
    }

    pub fn new(lang: &str, terms: Vec<Term>) -> Glossary {
        let mut forms = Vec::new();
        for (i, t) in terms.iter().enumerate() {
            for name in std::iter::once(&t.term).chain(&t.also) {
                for f in std::iter::once(name.clone()).chain(plurals(name)) {
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
        }
    }

    /// The site's glossary (`content/glossary.toml`), for the default language.
    pub fn from_site(site: &Site, config: &Config) -> Result<Option<Glossary>, Vec<Diagnostic>> {
        match &site.glossary {
            Some(src) => {
                Glossary::parse(&src.text, &src.display, &config.default_language).map(Some)
            }
            None => Ok(None),
        }
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

/// Letters, digits and the hyphen join words: `self-aftercare` holds no match for `aftercare`.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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

/// The glossary page: every term in alphabetical order.
pub fn collection_page(glossary: &Glossary, config: &Config) -> CollectionPage {
    let t = |key: &str| crate::i18n::text(config, &glossary.lang, key);
    let also = escape(t("glossary_also"));
    let mut terms: Vec<&Term> = glossary.terms.iter().collect();
    terms.sort_by_key(|t| t.term.to_lowercase());
    let items = terms
        .into_iter()
        .map(|t| CollectionItem {
            title: t.term.clone(),
            id: t.id.clone(),
            path: None,
            html: (!t.also.is_empty()).then(|| {
                format!(
                    "<p class=\"haven-glossary-also\">{also}: {}</p>",
                    t.also
                        .iter()
                        .map(|a| escape(a))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }),
            summary: Some(t.definition.clone()),
            from: None,
        })
        .collect();
    CollectionPage {
        kind: "glossary".into(),
        path: path(&glossary.lang, &config.default_language),
        lang: glossary.lang.clone(),
        title: t("glossary_title").into(),
        description: Some(t("glossary_description").into()),
        intro_html: Some(format!("<p>{}</p>", escape(t("glossary_intro")))),
        items,
        styles: Vec::new(),
        scripts: Vec::new(),
    }
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
    fn the_site_glossary_parses_and_makes_a_page() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/content/glossary.toml"
        ))
        .unwrap();
        let g =
            Glossary::parse(&Arc::from(text), Path::new("content/glossary.toml"), "en").unwrap();
        assert!(g.terms.len() >= 10);
        let config = Config::default();
        let page = collection_page(&g, &config);
        assert_eq!(page.path, "/glossary/");
        assert_eq!(page.items[0].title, "aftercare");
        assert!(page.items.iter().any(|i| i.id == "post-coital-dysphoria"));
    }

    #[test]
    fn plural_rules() {
        assert_eq!(plurals("scene"), ["scenes"]);
        assert_eq!(plurals("crisis"), ["crisises"]);
        assert_eq!(plurals("hotline"), ["hotlines"]);
        assert_eq!(plurals("kinky"), ["kinkies", "kinkys"]);
        assert_eq!(plurals("day"), ["days"]);
    }
}

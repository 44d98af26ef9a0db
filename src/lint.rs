//! `haven check`'s lints: problems a build can live with but readers should not meet.
//!
//! Pure: it reads a site built in memory and returns diagnostics. Errors are things that break
//! a page for someone (an image with no text alternative); warnings are editorial.

use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::markdown::LintFacts;
use crate::model::Site;
use crate::render::RenderedContent;

/// Every lint over every page and section. `content` must keep its lint facts
/// (`pipeline::build_for_check` keeps them); without, only the lints of the page as a whole run.
pub fn lint(site: &Site, content: &RenderedContent, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let no_facts = crate::render::ContentLints::default();
    let facts = content.lints.as_ref().unwrap_or(&no_facts);
    // A fallback page is its original's text: the original's lints cover it.
    let pages = || (site.pages.zip(&content.pages)).filter(|(p, _)| !p.is_fallback());
    let factual = site.pages.enumerate().filter(|(_, p)| !p.is_fallback());
    for (i, page) in factual {
        let at = Located {
            display: &page.display,
            source: &page.source,
        };
        if let Some(facts) = facts.pages.get(i) {
            content_lints(facts, &at, config, &mut out);
        }
        if is_factual(&page.file.rel, config) {
            let front_end = page.body_offset;
            if config.check.require_sources && page.front.sources.is_empty() {
                out.push(
                    at.warn("this page states facts but lists no sources", 0, front_end.min(3))
                        .with_code("missing-sources")
                        .with_help("add [[sources]] to the front matter (title, authors, year, publisher, url or doi)"),
                );
            }
            if config.check.require_review && page.front.reviewed_on.is_none() {
                out.push(
                    at.warn("this page has no review date", 0, front_end.min(3))
                        .with_code("missing-review")
                        .with_help(
                            "add reviewed_by, reviewed_on and review_every to the front matter",
                        ),
                );
            }
        }
    }
    let today = crate::readability::today();
    let max_grade = config.readability.max_grade;
    // One note per language without a formula, on its first page long enough to measure.
    let mut unmeasured_langs = std::collections::BTreeSet::new();
    for (page, rendered) in pages() {
        let at = Located {
            display: &page.display,
            source: &page.source,
        };
        let stats = &rendered.stats;
        if crate::readability::over_limit(stats, max_grade) {
            out.push(
                at.warn(
                    format!(
                        "reading grade {:.1} is above the limit of {max_grade:.0} ({})",
                        stats.grade,
                        stats.formula_note()
                    ),
                    0,
                    page.body_offset.min(3),
                )
                .with_code("reading-grade")
                .with_help("use shorter sentences and everyday words; see docs/reading-level.md"),
            );
        }
        if stats.formula == crate::readability::Formula::Unmeasured
            && stats.words >= crate::readability::MIN_WORDS
            && unmeasured_langs.insert(page.file.lang.clone())
        {
            let mut note = at.warn(
                format!(
                    "no reading-level formula applies to language `{}`; its pages are not measured",
                    page.file.lang
                ),
                0,
                page.body_offset.min(3),
            )
            .with_code("reading-grade-unmeasured")
            .with_help("check its reading level by hand; see docs/reading-level.md");
            note.severity = crate::diagnostic::Severity::Note;
            out.push(note);
        }
        let due = crate::readability::review_due(page.front.reviewed_on, page.front.review_every);
        if let Some(due) = due.filter(|_| crate::readability::review_overdue(due, today)) {
            let at_key = page.source.find("reviewed_on").unwrap_or(0);
            out.push(
                at.warn(
                    format!("the review of this page was due on {due}"),
                    at_key,
                    at_key + "reviewed_on".len(),
                )
                .with_code("review-overdue")
                .with_help("review the page against its sources, then update reviewed_on"),
            );
        }
    }
    for (section, facts) in site.sections.iter().zip(facts.sections.iter()) {
        let at = Located {
            display: &section.display,
            source: &section.source,
        };
        content_lints(facts, &at, config, &mut out);
    }
    out.extend(crate::translations::outdated_warnings(site, config));
    out
}

struct Located<'a> {
    display: &'a Path,
    source: &'a Arc<str>,
}

impl Located<'_> {
    fn error(&self, message: impl Into<String>, start: usize, end: usize) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(self.display)
            .at(self.source, start, end)
    }

    fn warn(&self, message: impl Into<String>, start: usize, end: usize) -> Diagnostic {
        Diagnostic::warning(message)
            .in_file(self.display)
            .at(self.source, start, end)
    }
}

fn is_factual(rel: &str, config: &Config) -> bool {
    let sections = &config.check.factual_sections;
    sections.is_empty()
        || sections
            .iter()
            .any(|s| rel.starts_with(&format!("{}/", s.trim_matches('/'))))
}

fn content_lints(r: &LintFacts, at: &Located, config: &Config, out: &mut Vec<Diagnostic>) {
    for &(start, end) in &r.images_without_alt {
        out.push(
            at.error("this image has no alt text", start, end)
                .with_code("image-alt")
                .with_help("describe the image for people who cannot see it, e.g. ![A glass of water on a bedside table](water.jpg)"),
        );
    }
    for &(start, end) in &r.empty_links {
        out.push(
            at.warn("this link has no text", start, end)
                .with_code("empty-link")
                .with_help("screen readers read a link's text aloud: write what the link leads to, e.g. [getting help](@/getting-help/_index.md)"),
        );
    }
    // Content headings start below the page title (h1), one level at a time.
    let mut previous = 1u8;
    for &(level, (start, end)) in &r.heading_levels {
        if level > previous + 1 {
            out.push(
                at.warn(
                    format!("heading level {level} follows level {previous}: a level is skipped"),
                    start,
                    end,
                )
                .with_code("heading-skip")
                .with_help(format!(
                    "use {} so screen-reader users can follow the outline",
                    "#".repeat(previous as usize + 1)
                )),
            );
        }
        previous = level;
    }
    let limit = config.check.max_paragraph_words;
    for &(words, (start, end)) in &r.paragraphs {
        if words > limit {
            out.push(
                at.warn(format!("this paragraph has {words} words (the limit is {limit})"), start, start.max(end.min(start + 40)))
                    .with_code("long-paragraph")
                    .with_help("split it: short paragraphs are easier to read on a phone and print without breaking awkwardly"),
            );
        }
    }
}

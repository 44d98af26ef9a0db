//! Handouts: print-ready versions of articles for clinics to hand to patients.
//!
//! An article with `handout = true` in its front matter (or every article, with
//! `[handouts] default = true`, unless it says `handout = false`) gets a handout page at
//! `/handouts/<slug>/` (`/es/handouts/<slug>/` in Spanish): its title and body, the clinic's
//! block, a QR code of the article's canonical URL with the URL under it, the reviewed date,
//! sources and the date printed. Quizzes print as questions with their answers at the end.
//! Each language also gets `/handouts/` (every handout with its estimated page count) and
//! `/handouts/print-all/` (all of them, one after another, each starting a new sheet).
//! Layout and paper size are the theme's `handout.css` and the generated `/handouts/paper.css`.
//! Clinic profiles (`haven build --clinic NAME`) are in [`profile`]. See `docs/handouts.md`.

pub mod pdf;
pub mod print;
pub mod profile;
pub mod qr;

use std::collections::BTreeMap;

use crate::config::Config;
pub use crate::config::handouts::{HandoutsConfig, PageBudget, Paper};
use crate::diagnostic::Diagnostic;
pub use crate::handout_data::{
    LARGE_PRINT_CSS, PAPER_CSS, index_path, is_handout, large_print_path, path, print_all_path,
    strings,
};
use crate::model::{Page, Site};
use crate::output::OutputFile;
use crate::render::{RenderedContent, Shared};
use crate::templates::Templates;
use crate::templates::context::{HandoutTemplate, HandoutView, HandoutsTemplate, PdfLink};

/// The PDFs of each handout page (by its path, `/handouts/x/` or `/handouts/x/large-print/`), in
/// paper order, as the pages link to them ([`pdf`]).
pub type PdfLinks = BTreeMap<String, Vec<PdfLink>>;

/// Page margins of handouts, in millimetres: top, right and left, bottom (room for the page
/// number).
pub const MARGINS_MM: (f64, f64, f64) = (12.0, 13.0, 14.0);

/// The handout pages, each language's list and print-all page, and `/handouts/paper.css`.
pub fn files(
    site: &Site,
    content: &RenderedContent,
    shared: &Shared,
    templates: &Templates,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    files_with_pdfs(site, content, shared, templates, None)
}

/// As [`files`], with links to each handout's PDF files (and their sizes) on its page and in
/// the lists when `pdfs` is given (`haven build --pdf`).
pub fn files_with_pdfs(
    site: &Site,
    content: &RenderedContent,
    shared: &Shared,
    templates: &Templates,
    pdfs: Option<&PdfLinks>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let config = shared.config;
    let chosen: Vec<usize> = (0..site.pages.len())
        .filter(|&i| is_handout(&site.pages[i], config))
        .collect();
    if chosen.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut diags = Vec::new();
    if !templates.has("handout.html") {
        diags.push(
            Diagnostic::warning(format!(
                "{} pages are marked as handouts, but the theme has no handout.html",
                chosen.len()
            ))
            .with_code("no-handout-template")
            .with_help("use a built-in theme (guide, clinic), or add templates/handout.html and handouts.html (docs/handouts.md)"),
        );
        return (Vec::new(), diags);
    }
    // Two handouts of one language on one path: say which pages, rather than "two things would
    // be written".
    let mut by_path: BTreeMap<String, usize> = BTreeMap::new();
    for &i in &chosen {
        let page = &site.pages[i];
        if let Some(&other) = by_path.get(&path(page, config)) {
            diags.push(
                Diagnostic::error(format!(
                    "two handouts would be {}: this page and {}",
                    path(page, config),
                    site.pages[other].display.display()
                ))
                .in_file(&page.display)
                .with_code("handout-path")
                .with_help("handouts are named by the page's slug: give one of them another `slug` in its front matter"),
            );
        } else {
            by_path.insert(path(page, config), i);
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        return (Vec::new(), diags);
    }

    let today = crate::readability::today();
    let mut files = Vec::new();
    let mut by_lang: BTreeMap<&str, Vec<HandoutView>> = BTreeMap::new();
    for &i in &chosen {
        match view(site, content, shared, i) {
            Ok(mut v) => {
                if let Some(pdfs) = pdfs {
                    v.pdfs = pdfs.get(&v.path).cloned().unwrap_or_default();
                    v.large_print_pdfs = pdfs.get(&v.large_print_path).cloned().unwrap_or_default();
                }
                if let Some(d) = over_budget(&site.pages[i], &v, config) {
                    diags.push(d);
                }
                by_lang
                    .entry(site.pages[i].file.lang.as_str())
                    .or_default()
                    .push(v);
            }
            Err(d) => diags.push(d),
        }
    }
    for (lang, views) in &by_lang {
        let h = strings::for_lang(lang, shared.strings.get(*lang));
        let index = index_path(lang, config);
        let all = print_all_path(lang, config);
        let render =
            |path: &str, handouts: Vec<HandoutView>, print_all: bool, large_print: bool| {
                let mut styles: Vec<String> =
                    handouts.iter().flat_map(|v| v.styles.clone()).collect();
                styles.sort();
                styles.dedup();
                let ctx = HandoutTemplate {
                    common: shared.common(lang, path),
                    handouts,
                    print_all,
                    large_print,
                    large_print_css: LARGE_PRINT_CSS,
                    h: &h,
                    paper: config.handouts.paper.name(),
                    paper_css: PAPER_CSS,
                    printed_on: today,
                    styles,
                    index_path: index.clone(),
                    print_all_path: all.clone(),
                    logo: logo(config),
                };
                templates.render("handout.html", &ctx)
            };
        for v in views {
            match render(&v.path, vec![v.clone()], false, false) {
                Ok(html) => files.push(OutputFile::html(&v.path, html)),
                Err(d) => diags.push(d),
            }
            match render(&v.large_print_path, vec![v.clone()], false, true) {
                Ok(html) => files.push(OutputFile::html(&v.large_print_path, html)),
                Err(d) => diags.push(d),
            }
        }
        let joined: Vec<HandoutView> = views
            .iter()
            .enumerate()
            .map(|(n, v)| {
                let mut v = v.clone();
                let prefix = format!("h{}-", n + 1);
                v.content = print::prefix_ids(&print::shift_headings(&v.content), &prefix);
                v.id = format!("{prefix}{}", v.id);
                v
            })
            .collect();
        match render(&all, joined, true, false) {
            Ok(html) => files.push(OutputFile::html(&all, html)),
            Err(d) => diags.push(d),
        }
        if templates.has("handouts.html") {
            let ctx = HandoutsTemplate {
                common: shared.common(lang, &index),
                handouts: views
                    .iter()
                    .map(|v| HandoutView {
                        content: String::new(),
                        qr_svg: String::new(),
                        answers: Vec::new(),
                        ..v.clone()
                    })
                    .collect(),
                h: &h,
                paper: config.handouts.paper.name(),
                print_all_path: all.clone(),
                total_pages: views.iter().map(|v| v.pages).sum(),
            };
            match templates.render("handouts.html", &ctx) {
                Ok(html) => files.push(OutputFile::html(&index, html)),
                Err(d) => diags.push(d),
            }
        }
    }
    files.push(paper_css(config));
    (files, diags)
}

/// A warning when the large-print version of `page`'s handout is estimated at more pages than
/// `[handouts] large_print_max_pages`; located at the page's title in its front matter.
fn over_budget(page: &Page, v: &HandoutView, config: &Config) -> Option<Diagnostic> {
    let budget = config.handouts.large_print_max_pages?.0;
    if v.large_print_pages <= budget {
        return None;
    }
    let front = &page.source[..page.body_offset.min(page.source.len())];
    // The `title` line of the front matter (TOML `title = ` or YAML `title:`), else the start.
    let mut at = 0;
    let mut span = (0, 0);
    for line in front.split_inclusive('\n') {
        if line.starts_with("title") {
            span = (at, at + line.trim_end().len());
            break;
        }
        at += line.len();
    }
    let (start, end) = span;
    Some(
        Diagnostic::warning(format!(
            "the large-print handout of this page ({}) would take about {} pages, over the budget of {budget} ([handouts] large_print_max_pages in haven.toml)",
            v.large_print_path, v.large_print_pages
        ))
        .in_file(&page.display)
        .at(&page.source, start, end)
        .with_code("large-print-pages")
        .with_help("split the page into shorter ones, trim it, or raise large_print_max_pages"),
    )
}

/// The clinic's logo, else the site's (a path in `static/`).
fn logo(config: &Config) -> Option<String> {
    config
        .clinic
        .as_ref()
        .and_then(|c| c.logo.clone())
        .or_else(|| config.colors.logo.clone())
        .map(|l| format!("/{}", l.trim_start_matches('/')))
}

/// The data of page `i`'s handout.
fn view(
    site: &Site,
    content: &RenderedContent,
    shared: &Shared,
    i: usize,
) -> Result<HandoutView, Diagnostic> {
    let config = shared.config;
    let page = &site.pages[i];
    let r = &content.pages[i];
    let lang = page.file.lang.as_str();
    let h = strings::for_lang(lang, shared.strings.get(lang));
    let permalink = config.absolute_url(&page.path);
    let note = format!(
        "<p class=\"handout-answers-note\">{}</p>",
        crate::html::escape(&h["handout_answers_note"])
    );
    let body = print::move_answers(&r.html, &r.blocks, &note);
    let html = print::anchor_relative(&body.html, &page.path);
    let qr_svg = qr::svg(
        &permalink,
        &format!("{} {permalink}", h["handout_qr_label"]),
    )
    .map_err(|e| {
        Diagnostic::error(format!("no QR code for this page's handout: {e}"))
            .in_file(&page.display)
            .with_code("handout-qr")
            .with_help("shorten base_url or the page's slug")
    })?;
    let mut kinds: Vec<&str> = r.blocks.iter().map(|b| b.kind).collect();
    if !r.glossary_terms.is_empty() {
        kinds.push("glossary");
    }
    kinds.sort_unstable();
    kinds.dedup();
    let styles = kinds
        .iter()
        .flat_map(|k| crate::blocks::assets(k))
        .filter(|a| a.name.ends_with(".css"))
        .map(|a| format!("/haven/{}", a.name))
        .collect();
    let mut v = HandoutView {
        title: page.front.title.clone(),
        description: page.front.description.clone(),
        lang: lang.to_string(),
        id: format!("handout-{}", page.slug),
        path: path(page, config),
        large_print_path: large_print_path(page, config),
        article_path: page.path.clone(),
        permalink,
        content: html,
        answers: body.answers,
        content_notes: page.front.content_notes.clone(),
        reviewed_by: page.front.reviewed_by.clone(),
        reviewed_on: page.front.reviewed_on,
        sources: page.front.sources.clone(),
        qr_svg,
        words: crate::readability::word_count(&crate::html::text_of(&r.html)),
        pages: 0,
        large_print_pages: 0,
        styles,
        pdfs: Vec::new(),
        large_print_pdfs: Vec::new(),
    };
    v.pages = estimate_pages(&v, config, &STANDARD_TYPE);
    v.large_print_pages = estimate_pages(&v, config, &LARGE_TYPE);
    Ok(v)
}

/// `/handouts/paper.css`: the `@page` size and margins from `[handouts] paper`.
pub fn paper_css(config: &Config) -> OutputFile {
    OutputFile::bytes(
        PAPER_CSS.trim_start_matches('/'),
        paper_css_for(config.handouts.paper).into_bytes(),
    )
}

/// The text of `/handouts/paper.css` for `paper` (the PDF printer serves each paper's own).
pub fn paper_css_for(paper: Paper) -> String {
    let (top, side, bottom) = MARGINS_MM;
    format!(
        "/* Made by Haven from haven.toml [handouts] paper = \"{}\". */\n@page {{\n  size: {};\n  margin: {top}mm {side}mm {bottom}mm;\n}}\n",
        paper.name(),
        paper.css_size()
    )
}

/// Printed pages of a handout, estimated from its rendered length.
///
/// The body is cut into blocks (paragraphs, list items, headings, quiz questions, script lines);
/// each block takes `ceil(characters / characters per line)` lines plus a gap, headings at their
/// larger size. Lines per page and characters per line follow from the paper's printable area and
/// the handout stylesheet's type (10 pt body, 1.38 line height). Add the first page's clinic
/// band and QR code, the answers and the small print. `tests/handout-pdf.sh` prints every example
/// handout in Chromium and compares this estimate with the PDF's real page count. `ty` is the
/// type of the standard handout ([`STANDARD_TYPE`]) or of its large-print version
/// ([`LARGE_TYPE`]).
pub fn estimate_pages(v: &HandoutView, config: &Config, ty: &PrintType) -> usize {
    let (w, h) = config.handouts.paper.size_mm();
    let (top, side, bottom) = MARGINS_MM;
    // An average character is about 0.48 em wide.
    let pt = 25.4 / 72.0;
    let char_mm = ty.body_pt * pt * 0.48;
    let line_mm = ty.body_pt * pt * ty.line_height;
    let cpl = (w - 2.0 * side) / char_mm;
    let lines_per_page = ((h - top - bottom) / line_mm).floor();

    let mut lines = ty.band_lines;
    lines += text_lines(&v.title, cpl / 1.9) * 1.9 + 0.8;
    if let Some(d) = &v.description {
        lines += text_lines(d, cpl / 1.1) * 1.1 + 0.5;
    }
    lines += body_lines(&v.content, cpl);
    for g in &v.answers {
        lines += 2.0;
        for item in &g.items {
            // On paper an answer shows the right answer and why, not each choice's feedback.
            let shown = strip_elements(&item.html, &[("<ul>", "ul")]);
            lines += body_lines(&shown, cpl / 1.1) * 0.95;
        }
    }
    let small = cpl * ty.body_pt / ty.small_pt;
    lines += 1.5;
    for s in &v.sources {
        let len = s.title.len()
            + s.authors.as_deref().map_or(0, str::len)
            + s.publisher.as_deref().map_or(0, str::len)
            + s.url.as_deref().or(s.doi.as_deref()).map_or(0, str::len)
            + 10;
        lines += (len as f64 / small).ceil() * 0.8;
    }
    ((lines / lines_per_page).ceil() as usize).max(1)
}

/// The type a handout prints at, as far as the page estimate needs it.
#[derive(Debug, Clone, Copy)]
pub struct PrintType {
    /// Body size on paper, in points.
    pub body_pt: f64,
    /// Body line height, in ems.
    pub line_height: f64,
    /// Size of the small print (reviewed, printed on, sources), in points.
    pub small_pt: f64,
    /// Body lines the clinic band and QR code take at the top of the first page.
    pub band_lines: f64,
}

/// `handout.css` on paper: 10 pt body, 1.38 line height, 8 pt small print; the band is a 3.2 cm
/// code plus the URL under it, the clinic's name beside it.
pub const STANDARD_TYPE: PrintType = PrintType {
    body_pt: 10.0,
    line_height: 1.38,
    small_pt: 8.0,
    band_lines: 10.0,
};

/// `handout-large.css` on paper: 16 pt body, 1.5 line height, 14 pt small print; the clinic
/// block at 16 pt beside the code and its 14 pt caption takes about 9 cm.
pub const LARGE_TYPE: PrintType = PrintType {
    body_pt: 16.0,
    line_height: 1.5,
    small_pt: 14.0,
    band_lines: 11.0,
};

fn text_lines(text: &str, cpl: f64) -> f64 {
    (text.chars().count() as f64 / cpl).ceil().max(1.0)
}

/// Lines of body HTML: each block's characters over the line length, plus a gap after it.
fn body_lines(html: &str, cpl: f64) -> f64 {
    let html = strip_unprinted(html);
    let mut lines = 0.0;
    let mut rest = html.as_str();
    while !rest.is_empty() {
        let (end, kind) = next_block_end(rest);
        let text = crate::html::text_of(&rest[..end]);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            let (scale, gap) = match kind {
                "h1" => (1.9, 0.8),
                "h2" => (1.35, 0.9),
                "h3" | "h4" => (1.15, 0.6),
                "li" | "dd" | "label" => (1.0, 0.15),
                "legend" => (1.0, 0.4),
                _ => (1.0, 0.6),
            };
            if kind == "li" && rest[..end].contains("class=\"quiz-option\"") {
                // Choices sit side by side on paper when they are short.
                let share = (text.chars().count() as f64 / cpl + 0.15).min(1.0);
                lines += if share < 0.5 { 0.5 } else { share.ceil() };
            } else {
                lines += text_lines(&text, cpl / scale) * scale + gap;
            }
        }
        rest = &rest[end..];
    }
    lines
}

/// The end of the next block (after its closing tag) and the block's tag name.
fn next_block_end(html: &str) -> (usize, &'static str) {
    const ENDS: &[(&str, &str)] = &[
        ("</p>", "p"),
        ("</li>", "li"),
        ("</h1>", "h1"),
        ("</h2>", "h2"),
        ("</h3>", "h3"),
        ("</h4>", "h4"),
        ("</dd>", "dd"),
        ("</legend>", "legend"),
        ("</blockquote>", "blockquote"),
        ("</tr>", "tr"),
        ("</pre>", "pre"),
    ];
    ENDS.iter()
        .filter_map(|(tag, kind)| html.find(tag).map(|i| (i + tag.len(), *kind)))
        .min_by_key(|(i, _)| *i)
        .unwrap_or((html.len(), "p"))
}

/// The body without what never prints: `<template>`s, `hidden` elements, buttons.
fn strip_unprinted(html: &str) -> String {
    strip_elements(html, UNPRINTED)
}

const UNPRINTED: &[(&str, &str)] = &[
    ("<template", "template"),
    ("<button", "button"),
    ("<div class=\"quiz-feedback\"", "div"),
    ("<div class=\"quiz-result\"", "div"),
    ("<div class=\"quiz-end\"", "div"),
    ("<p class=\"quiz-about\"", "p"),
    ("<span class=\"haven-term-tip\"", "span"),
    ("<span class=\"haven-visually-hidden\"", "span"),
];

/// `html` without the elements opening with each `(start, name)`.
fn strip_elements(html: &str, which: &[(&str, &str)]) -> String {
    let mut out = html.to_string();
    for &(open, name) in which {
        while let Some(start) = out.find(open) {
            let end = print::matching_close(&out, start, name).unwrap_or(out.len());
            out.replace_range(start..end, "");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_names_parse() {
        let c: HandoutsConfig = toml::from_str("paper = \"letter\"\ndefault = true").unwrap();
        assert_eq!(c.paper, Paper::Letter);
        assert!(c.default);
        let e = toml::from_str::<HandoutsConfig>("paper = \"a5\"").unwrap_err();
        assert!(e.message().contains("a4"), "{}", e.message());
    }

    #[test]
    fn unprinted_parts_are_not_counted() {
        let html =
            "<p>one</p><template>lots of words here</template><button>Copy</button><p>two</p>";
        assert_eq!(strip_unprinted(html), "<p>one</p><p>two</p>");
        let lines = body_lines(html, 80.0);
        assert!((lines - 3.2).abs() < 0.01, "{lines}");
    }
}

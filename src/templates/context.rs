//! The typed data templates receive. Documented for theme authors in `docs/templates.md`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::{ClinicConfig, ColorsConfig, Config, HelpConfig, QuickExitConfig};
use crate::frontmatter::{Date, SourceRef};
use crate::markdown::TocEntry;

/// `config`: the site's settings, the same on every page.
#[derive(Debug, Serialize)]
pub struct SiteInfo<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub default_language: &'a str,
    pub languages: Vec<LanguageInfo>,
    pub quick_exit: &'a QuickExitConfig,
    pub help: &'a HelpConfig,
    /// The clinic block in the language of the page being rendered.
    pub clinic: Option<ClinicConfig>,
    pub colors: &'a ColorsConfig,
    pub generate_feed: bool,
    /// `sample_details = true`: the clinic details are examples; handouts say so.
    pub sample_details: bool,
    pub extra: &'a BTreeMap<String, serde_json::Value>,
    /// The offline copy (`haven build --offline`): opened from files, storing nothing.
    pub offline: bool,
}

impl<'a> SiteInfo<'a> {
    /// The site's data for templates in `lang`.
    pub fn new(config: &'a Config, languages: Vec<LanguageInfo>, lang: &str) -> Self {
        SiteInfo {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            default_language: &config.default_language,
            languages,
            quick_exit: &config.quick_exit,
            help: &config.help,
            clinic: config.clinic.as_ref().map(|c| c.in_language(lang)),
            colors: &config.colors,
            generate_feed: config.generate_feed,
            sample_details: config.sample_details,
            extra: &config.extra,
            offline: config.offline,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageInfo {
    pub code: String,
    pub name: String,
    pub rtl: bool,
    /// The language's home page.
    pub path: String,
}

/// What every template gets besides its own data.
#[derive(Debug, Serialize)]
pub struct Common<'a> {
    pub config: &'a SiteInfo<'a>,
    pub lang: &'a str,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// UI strings of the theme in this language (default language filling gaps).
    pub t: &'a BTreeMap<String, String>,
    /// Top-level sections of this language, for navigation.
    pub nav: &'a [SectionLink],
    pub home: &'a SectionLink,
    /// The page listing every tag of this language (`/tags/`), or none when it has no tags.
    pub tags_path: Option<String>,
    /// This page's URL path and absolute URL.
    pub current_path: String,
    pub current_url: String,
    /// Stylesheets and scripts the page needs beyond the theme's own.
    pub feed_path: Option<String>,
    /// The site's title and description in this language (`[languages.xx] title`, else the
    /// site's own).
    pub site_title: &'a str,
    pub site_description: &'a str,
    /// The search page of this language (`/search/`, `/es/search/`); `None` when search is off.
    pub search_path: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub title: String,
    pub description: Option<String>,
    pub path: String,
    pub permalink: String,
    pub date: Option<Date>,
    pub reading_time: usize,
    /// The language the title is written in (a fallback page's: its original's).
    pub lang: String,
    /// A fallback page, shown in its original's language (`[translations] fallback_pages`):
    /// themes mark it in lists and put `lang` (and `dir`) on its title.
    pub fallback: Option<FallbackText>,
}

/// The language of a fallback page's text, where it differs from the page around it.
#[derive(Debug, Clone, Serialize)]
pub struct FallbackText {
    /// The original's language code (`en`).
    pub lang: String,
    /// Its direction, set only when it differs from the reader's language's (`rtl`, `ltr`).
    pub dir: Option<&'static str>,
}

/// `page.fallback` on a fallback page: what the notice at the top says and links to.
#[derive(Debug, Clone, Serialize)]
pub struct FallbackView {
    /// The language and direction of the text (for `lang` and `dir` on the article).
    #[serde(flatten)]
    pub text: FallbackText,
    /// The original language's name in that language ("English").
    pub name: String,
    /// The original page: its path and absolute URL (the canonical address).
    pub path: String,
    pub permalink: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionLink {
    pub title: String,
    pub description: Option<String>,
    pub path: String,
    pub permalink: String,
    pub page_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub page_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TranslationLink {
    pub lang: String,
    pub name: String,
    pub path: String,
    pub permalink: String,
    pub current: bool,
    /// This language has no translation: the link leads to its fallback page (the original's
    /// text under a notice). Not an alternate for search engines: themes give it no hreflang.
    pub fallback: bool,
}

/// `page` in `page.html`.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub path: &'a str,
    pub permalink: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub tags: Vec<TagLink>,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub word_count: usize,
    pub reading_time: usize,
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
    /// Sections from the home page down to the page's own, for breadcrumbs.
    pub ancestors: Vec<SectionLink>,
    pub content_notes: &'a [String],
    pub reviewed_by: Option<&'a str>,
    pub reviewed_on: Option<Date>,
    pub review_due: Option<Date>,
    /// The review date has passed (relative to the build date; `HAVEN_TODAY=YYYY-MM-DD` sets it).
    pub review_overdue: bool,
    /// Reading statistics of the prose: words, sentences, reading_time, grade, smog,
    /// fernandez_huerta, inflesz, kandel_moles, lix, formula, formula_name. See `docs/reading-level.md`.
    pub stats: crate::readability::Stats,
    pub sources: &'a [SourceRef],
    pub translations: Vec<TranslationLink>,
    /// A translation whose source changed since it was stamped (`translation_of`): themes show a
    /// short notice. See `docs/translations.md`.
    pub translation_outdated: bool,
    /// A fallback page (`[translations] fallback_pages`): the original's text, in its own
    /// language, under a notice in the reader's; `None` on every other page.
    pub fallback: Option<FallbackView>,
    pub assets: Vec<String>,
    /// Kinds of our blocks on the page (`quiz`, `script`).
    pub block_kinds: Vec<&'static str>,
    /// The page's printable handout, when it has one (`handout = true`): `path`, `label`.
    pub handout: Option<HandoutLink>,
    /// Stylesheets and scripts those blocks need (`/haven/quiz.css`...): themes link each one.
    pub styles: Vec<String>,
    pub scripts: Vec<String>,
    pub extra: &'a BTreeMap<String, serde_json::Value>,
}

/// `section` in `section.html` and `index.html`.
#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub path: &'a str,
    pub permalink: String,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub pages: Vec<PageLink>,
    pub subsections: Vec<SectionLink>,
    pub ancestors: Vec<SectionLink>,
    pub translations: Vec<TranslationLink>,
    /// On the home page: the pages of this language with `extra.featured = true`, in site order
    /// (empty on other sections).
    pub featured: Vec<PageLink>,
    /// Reading statistics of the section's own prose (as `page.stats`).
    pub stats: crate::readability::Stats,
    /// Stylesheets and scripts the section's blocks (and glossary terms) need, as `page.styles`.
    pub styles: Vec<String>,
    pub scripts: Vec<String>,
    pub extra: &'a BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct PageTemplate<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub page: PageView<'a>,
    pub section: SectionLink,
}

#[derive(Debug, Serialize)]
pub struct SectionTemplate<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub section: SectionView<'a>,
}

/// `taxonomy_list.html`: every tag of a language.
#[derive(Debug, Serialize)]
pub struct TagListTemplate<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub tags: Vec<TagLink>,
}

/// `taxonomy_single.html`: one tag and its pages.
#[derive(Debug, Serialize)]
pub struct TagTemplate<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub tag: TagLink,
    pub pages: Vec<PageLink>,
}

/// `404.html`.
#[derive(Debug, Serialize)]
pub struct NotFoundTemplate<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
}

/// One entry of a generated collection page (a script, a quiz, a glossary term).
#[derive(Debug, Clone, Serialize)]
pub struct CollectionItem {
    pub title: String,
    /// The entry's element id on this page.
    pub id: String,
    /// Where the entry lives on its own (a quiz's page), if anywhere.
    pub path: Option<String>,
    /// The entry rendered in full, if the collection shows it.
    pub html: Option<String>,
    /// A short plain-text description.
    pub summary: Option<String>,
    /// The article it comes from.
    pub from: Option<PageLink>,
}

/// `collection.html`: a page the build makes from the site's blocks (scripts, quizzes, glossary).
#[derive(Debug, Serialize)]
pub struct CollectionTemplate<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub collection: &'a CollectionPage,
}

#[derive(Debug, Clone, Serialize)]
pub struct CollectionPage {
    /// `scripts`, `quizzes`, `quiz`, `glossary`: themes may style each.
    pub kind: String,
    pub path: String,
    pub lang: String,
    pub title: String,
    pub description: Option<String>,
    pub intro_html: Option<String>,
    pub items: Vec<CollectionItem>,
    /// Stylesheets and scripts the items need.
    pub styles: Vec<String>,
    pub scripts: Vec<String>,
}

/// `page.handout`: the article's printable handout (`None` when it has none). See
/// `docs/handouts.md`.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutLink {
    pub path: String,
    /// "Print this as a handout", in the page's language.
    pub label: String,
}

/// One handout: an article made ready for paper.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutView {
    pub title: String,
    pub description: Option<String>,
    pub lang: String,
    /// The handout's element id (unique on the print-all page).
    pub id: String,
    /// The handout's own page.
    pub path: String,
    /// Its large-print version (`/handouts/<slug>/large-print/`).
    pub large_print_path: String,
    /// The article's path and canonical URL: what the QR code holds and prints under it.
    pub article_path: String,
    pub permalink: String,
    /// The article body for paper: quiz answers moved to `answers`, relative links anchored.
    pub content: String,
    pub answers: Vec<AnswerGroup>,
    pub content_notes: Vec<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<Date>,
    pub sources: Vec<SourceRef>,
    /// The QR code of `permalink`, an inline `<svg>` sized by the stylesheet.
    pub qr_svg: String,
    /// Words of the body.
    pub words: usize,
    /// Printed pages, estimated at build time from the rendered length (docs/handouts.md).
    pub pages: usize,
    /// Printed pages of the large-print version, estimated the same way.
    pub large_print_pages: usize,
    /// Block stylesheets the body needs (`/haven/quiz.css`...).
    pub styles: Vec<String>,
    /// Its PDF files, one per paper (`haven build --pdf`; empty without).
    pub pdfs: Vec<PdfLink>,
    /// The PDF files of its large-print version.
    pub large_print_pdfs: Vec<PdfLink>,
}

/// A link to a handout's PDF file (docs/handouts.md#pdf-files).
#[derive(Debug, Clone, Serialize)]
pub struct PdfLink {
    /// Where the PDF is: `/handouts/x/x-a4.pdf`.
    pub href: String,
    /// "PDF, A4, 120 KB", in the page's language.
    pub label: String,
    /// `a4` or `letter`.
    pub paper: &'static str,
    /// Its size in kilobytes (1024 bytes), rounded up.
    pub kb: usize,
}

/// `handout.html`: one handout, or every handout of a language (`print_all`).
#[derive(Debug, Serialize)]
pub struct HandoutTemplate<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub handouts: Vec<HandoutView>,
    pub print_all: bool,
    /// The large-print version: the template adds `large_print_css` after `handout.css`.
    pub large_print: bool,
    pub large_print_css: &'static str,
    /// Handout strings in this language (`h.handout_answers`...).
    pub h: &'a BTreeMap<String, String>,
    /// `a4` or `letter`.
    pub paper: &'static str,
    /// The generated stylesheet with the `@page` size.
    pub paper_css: &'static str,
    /// The build date (`HAVEN_TODAY=YYYY-MM-DD` sets it).
    pub printed_on: Date,
    /// Stylesheets the handouts' blocks need.
    pub styles: Vec<String>,
    pub index_path: String,
    pub print_all_path: String,
    /// The clinic's logo (else the site's), a site path.
    pub logo: Option<String>,
}

/// `handouts.html`: the list of a language's handouts (their `content` is left empty).
#[derive(Debug, Serialize)]
pub struct HandoutsTemplate<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub handouts: Vec<HandoutView>,
    pub h: &'a BTreeMap<String, String>,
    pub paper: &'static str,
    pub print_all_path: String,
    /// Estimated pages of all handouts together.
    pub total_pages: usize,
}

/// The answers of one quiz, printed together at the end of the handout (`handout::print` takes
/// them out of the body).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnswerGroup {
    /// The quiz's title (HTML, from the rendered quiz).
    pub title_html: String,
    pub items: Vec<AnswerItem>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnswerItem {
    /// "Question 1 of 5" for a question's answer; the quiz's own summary ("What your count
    /// means") for a result that belongs to the whole quiz.
    pub label_html: String,
    /// The answer as the quiz wrote it inside its `<details>`, without the `<summary>`.
    pub html: String,
}

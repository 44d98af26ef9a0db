//! The build pipeline, stage by stage. Each stage returns an explicit value; I/O happens at the
//! start (reading) and the end (writing).

mod caches;
mod content;
mod files;
pub mod generated;
pub mod incremental;
mod pdf;
mod read;
mod timings;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Errors};
use crate::glossary::Glossaries;
use crate::model::Site;
use crate::output::{self, OutputFile, Sink};
use crate::render::cache::Keys;
use crate::render::generated::{self as generated_cache, Generated};
use crate::render::page_cache::{Entries, PageCache};
use crate::render::{self, RenderedContent, Shared};
use crate::templates::Templates;
use crate::theme::Theme;

pub use files::{check_unique_outputs, static_files};
pub use pdf::PdfCounts;
pub use read::{load_config, load_site, load_strings};
use timings::Timings;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `None` means `output_dir` from config, inside the root.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub include_drafts: bool,
    /// A clinic profile to build for (`--clinic NAME`): `[clinics.NAME]` or `clinics/NAME.toml`.
    pub clinic: Option<String>,
    /// Render every page, neither reading nor writing the build cache (`--no-cache`).
    pub no_cache: bool,
    /// Write into an output folder Haven did not make, replacing files at the paths the build
    /// writes (`--force`). Files Haven did not write are still never deleted.
    pub force: bool,
    /// Build the offline copy (`--offline DIR`, docs/offline.md): addresses relative to each
    /// file, search without `fetch`, nothing stored in the browser, a START-HERE.html and a zip.
    pub offline: bool,
    /// Print every handout to PDF files with Chromium (`--pdf`), also when `[handouts] pdf` is
    /// not set (docs/handouts.md#pdf-files).
    pub pdf: bool,
}

/// A built site: the model and rendered Markdown kept for `serve` and `check`.
pub struct Built {
    pub config: Config,
    pub site: Site,
    pub content: RenderedContent,
    /// The output files, when they were kept in memory ([`build_in_memory`]); empty when they
    /// went straight to disk ([`build`]) or were not kept ([`build_for_check`]).
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
    /// Kept so `serve` can re-render after a template or content change without reloading them.
    pub theme: Theme,
    pub templates: Templates,
    pub strings: Strings,
    /// Every language's glossary, parsed once in the build.
    pub glossaries: Glossaries,
    /// Pages whose Markdown came from the build cache.
    pub reused: usize,
    /// Pages and sections whose output was kept without rendering their template again.
    pub kept: usize,
    /// Generated files kept as the output held them, and made again.
    pub generated: generated_cache::Counts,
    /// The Markdown keys, the page cache's entries and the generated-files cache's, when the
    /// build kept them in memory ([`build_in_memory`]): what `serve`'s next rebuild starts from
    /// ([`incremental`]).
    pub memory: Option<(Keys, Entries, generated_cache::Entries)>,
}

/// UI strings by language, then key.
pub use crate::i18n::Strings;

#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub pages: usize,
    pub sections: usize,
    pub files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    /// Reading statistics of every page with prose (`haven build --stats`).
    pub stats: Vec<crate::readability::PageStats>,
    /// `[readability] max_grade`: the grade above which `--stats` marks a page.
    pub max_grade: f64,
    /// Pages whose Markdown came from the build cache.
    pub reused: usize,
    /// Pages and sections whose output was kept without rendering their template again.
    pub kept: usize,
    /// Generated files kept as the output held them, and made again.
    pub generated: generated_cache::Counts,
    /// The handouts' PDF files, when the build made them.
    pub pdfs: Option<PdfCounts>,
}

/// Collects diagnostics; stops the pipeline after a stage that found errors.
fn stage<T>(value: Result<T, Vec<Diagnostic>>) -> Result<T, Errors> {
    value.map_err(Errors)
}

/// Splits diagnostics into warnings (returned) and errors (an `Err` when there is any).
pub fn fail_if_errors(mut diags: Vec<Diagnostic>) -> Result<Vec<Diagnostic>, Errors> {
    // A broken template shared by many pages is one problem, not one per page.
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert((d.location(), d.message.clone())));
    let (errors, warnings): (Vec<_>, Vec<_>) = diags.into_iter().partition(Diagnostic::is_error);
    if errors.is_empty() {
        Ok(warnings)
    } else {
        Err(Errors(errors))
    }
}

/// Everything but writing, with the files kept in memory, and the Markdown keys and page
/// cache too (what `serve` starts from). `config` is the caller's ([`load_config`]).
pub fn build_in_memory(options: &BuildOptions, config: Config) -> Result<Built, Errors> {
    let sink = output::Collect::default();
    let mut built = build_into(options, config, &sink, Keep::Prose, Store::Memory)?;
    built.files = sink.into_files();
    check_unique_outputs(built.files.iter().map(|f| f.path.as_str()), &built.site)?;
    Ok(built)
}

/// Everything but writing, keeping only the output paths (to check that no two files share
/// one): `haven check`, which needs the model and Markdown but no output. `config` is the
/// caller's ([`load_config`]).
///
/// The search index is left out: no lint reads it, and at 10,000 pages analysing every page
/// for it was a quarter of `check`'s work, making `check` slower than `build`. Its files only
/// matter here as paths another file might clash with, all under `search/LANG/`: when some
/// other file lands there, the site is checked again with the index, so the clash is reported
/// as `build` reports it.
pub fn build_for_check(options: &BuildOptions, config: Config) -> Result<Built, Errors> {
    let sink = output::Discard::default();
    let built = build_into(options, config.clone(), &sink, Keep::Lints, Store::Nothing)?;
    let paths = sink.into_paths();
    let index_dirs: Vec<String> = (built.config.search.enabled)
        .then(|| built.config.all_languages())
        .into_iter()
        .flatten()
        .map(|lang| {
            crate::search::index_path(lang)
                .trim_start_matches('/')
                .to_string()
        })
        .collect();
    if (paths.iter()).any(|p| index_dirs.iter().any(|dir| p.starts_with(dir.as_str()))) {
        let sink = output::Discard::default();
        let built = build_into(options, config, &sink, Keep::ProseAndLints, Store::Nothing)?;
        let paths = sink.into_paths();
        check_unique_outputs(paths.iter().map(String::as_str), &built.site)?;
        return Ok(built);
    }
    check_unique_outputs(paths.iter().map(String::as_str), &built.site)?;
    Ok(built)
}

/// Whether a build keeps every page's prose after the search index is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// For `serve` (it rebuilds the index after an edit): the prose, and the search index made
    /// from it at the end.
    Prose,
    /// `check`: the lint facts (`markdown::LintFacts`) for the lints, and no search index.
    Lints,
    /// `check` when another file could clash with the search index's: both of the above.
    ProseAndLints,
    /// `build`: each batch of pages is indexed as it is rendered and its prose dropped, which
    /// keeps a 10,000-page build under its memory budget.
    Measures,
}

impl Keep {
    /// Whether every page's prose is kept, to make the search index from at the end.
    fn prose(self) -> bool {
        matches!(self, Keep::Prose | Keep::ProseAndLints)
    }

    /// Whether what only `check` reads is kept.
    fn lints(self) -> bool {
        matches!(self, Keep::Lints | Keep::ProseAndLints)
    }
}

/// Where a build keeps its Markdown keys and page cache for the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Store {
    /// In `.haven-cache/` (`build`, unless `--no-cache`).
    Disk,
    /// In memory, returned in [`Built::memory`] (`serve`).
    Memory,
    /// Nowhere (`check`).
    Nothing,
}

/// Every stage, handing each output file to `sink` as it is made (the caller checks that no
/// two files share a path). `config` is the one the caller loaded: loaded once per build.
fn build_into(
    options: &BuildOptions,
    config: Config,
    sink: &dyn Sink,
    keep: Keep,
    store: Store,
) -> Result<Built, Errors> {
    let mut timings = Timings::start();
    let read::Inputs {
        config,
        site,
        theme,
        strings,
        glossaries,
        glossary_diags,
    } = read::inputs(options, config)?;
    timings.lap("read and model");
    let keys = caches::markdown_keys(options, store, &site, &config);
    timings.lap("cache keys");
    let on_disk = keys.clone().filter(|_| store == Store::Disk);
    let mut markdown = content::render(options, &site, &config, &glossaries, on_disk, keep, sink)?;
    timings.lap("markdown");
    markdown.diags.extend(glossary_diags);
    let (mut warnings, templates) = read::templates(&theme, &options.root, markdown.diags)?;
    timings.lap("templates loaded");
    if let Some(search_index) = markdown.search_index {
        search_index
            .finish_into(&mut |file| sink.put(file))
            .map_err(Errors::from)?;
        timings.lap("search index");
    }
    let page_cache = caches::page_cache(options, store, keys.clone(), &templates, &strings);
    let generated = caches::generated(options, store, keys.clone(), &templates, &strings, &config);
    warnings.extend(render_site(
        &options.root,
        &config,
        &site,
        &markdown.content,
        &glossaries,
        &theme,
        &templates,
        strings.clone(),
        Generate {
            search_index: keep.prose(),
            page_cache: page_cache.as_ref(),
            generated: generated.as_ref(),
            skip_handouts: keep == Keep::Measures && pdf::pdfs_on(options, &config),
        },
        sink,
    )?);
    timings.lap("pages and generated files");
    // Only a build that went through keeps its caches (a failed one leaves the last).
    let (kept, generated_counts, memory) = caches::keep(
        options,
        store,
        keys,
        markdown.cache_out,
        page_cache,
        generated,
    );
    timings.lap("caches written");
    Ok(Built {
        config,
        site,
        content: markdown.content,
        files: Vec::new(),
        warnings,
        theme,
        templates,
        strings,
        glossaries,
        reused: markdown.reused,
        kept,
        generated: generated_counts,
        memory,
    })
}

/// What the stages after Markdown make besides pages, and how.
#[derive(Clone, Copy, Default)]
pub struct Generate<'a> {
    /// Also the search index, from the pages' prose (`build` makes it while rendering Markdown).
    pub search_index: bool,
    /// The page cache (see [`render::page_cache`]).
    pub page_cache: Option<&'a PageCache>,
    /// The generated-files cache (see [`render::generated`]).
    pub generated: Option<&'a Generated>,
    /// Leave out the handout files: the PDF stage makes them, with links to their PDFs
    /// (the PDF stage of [`build`]).
    pub skip_handouts: bool,
}

/// The stages after Markdown: templates, generated files and static files, each handed to
/// `sink`. Returns the warnings.
#[allow(clippy::too_many_arguments)]
pub fn render_site(
    root: &Path,
    config: &Config,
    site: &Site,
    content: &RenderedContent,
    glossaries: &Glossaries,
    theme: &Theme,
    templates: &Templates,
    strings: Strings,
    generate: Generate,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Errors> {
    let warnings = render_generated(
        config, site, content, glossaries, templates, strings, generate, sink,
    )?;
    let mut statics = static_files(theme, root, site)?;
    if config.offline {
        // Read by a web host; no host reads the offline copy.
        statics.retain(|f| f.path != crate::security::HEADERS_FILE);
    }
    sink.put_all(statics).map_err(Errors::from)?;
    Ok(warnings)
}

/// Every file made from the model: pages, sections, tags, collections, 404, sitemap, robots,
/// feeds, redirects, the search index when `generate` asks (not static files), each handed to
/// `sink`. Returns the warnings.
#[allow(clippy::too_many_arguments)]
pub fn render_generated(
    config: &Config,
    site: &Site,
    content: &RenderedContent,
    glossaries: &Glossaries,
    templates: &Templates,
    strings: Strings,
    generate: Generate,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Errors> {
    let shared = Shared::new(site, content, config, strings)
        .with_page_cache(generate.page_cache)
        .with_generated(generate.generated);
    render_generated_with(
        site,
        content,
        &shared,
        glossaries,
        templates,
        generate.search_index,
        generate.skip_handouts,
        sink,
    )
}

/// [`render_generated`] with the templates' shared data prepared (`serve` keeps the pages'
/// links between rebuilds).
#[allow(clippy::too_many_arguments)]
pub fn render_generated_with(
    site: &Site,
    content: &RenderedContent,
    shared: &Shared,
    glossaries: &Glossaries,
    templates: &Templates,
    search_index: bool,
    skip_handouts: bool,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Errors> {
    let mut diags = render::render_templates(site, content, shared, templates, sink);
    diags.extend(generated::files(
        site,
        content,
        shared,
        glossaries,
        templates,
        search_index,
        skip_handouts,
        sink,
    ));
    fail_if_errors(diags)
}

/// Builds the site and writes it, replacing the output folder only on success.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, Errors> {
    let started = Instant::now();
    let config = load_config(options)?;
    let (output, explicit) = match &options.output {
        Some(o) => (o.clone(), true),
        None => (options.root.join(&config.output_dir), false),
    };
    output::check_output_dir(&options.root, &output, explicit, options.force)?;
    // Each file goes to the staging folder as soon as it is rendered; the staging folder
    // replaces the output only when everything succeeded (dropped on an error, it removes itself).
    let staging = output::Staging::open(&output, options.force).map_err(Errors::from)?;
    let mut built = if options.offline {
        // The caches belong to the normal build: an offline build neither reads nor writes them.
        let options = BuildOptions {
            no_cache: true,
            ..options.clone()
        };
        let rewrite = crate::offline::Rewrite::new(&staging, &config);
        let built = build_into(
            &options,
            config.clone(),
            &rewrite,
            Keep::Measures,
            Store::Disk,
        )?;
        rewrite.finish(&built.strings).map_err(Errors::from)?;
        built
    } else {
        build_into(options, config, &staging, Keep::Measures, Store::Disk)?
    };
    let mut timings = Timings::start();
    let pdfs = if pdf::pdfs_on(options, &built.config) {
        let (warnings, counts, keys) = pdf::print_handouts(options, &built, &staging, &output)?;
        built.warnings.extend(warnings);
        timings.lap("handout PDFs");
        Some((counts, keys))
    } else {
        None
    };
    let paths = staging.paths();
    check_unique_outputs(paths.iter().map(String::as_str), &built.site)?;
    staging.commit().map_err(Errors)?;
    timings.lap("commit");
    // Only once the PDFs are in the output: the next build reuses them by these keys.
    if let Some((_, keys)) = &pdfs
        && !options.no_cache
    {
        keys.write(&options.root);
    }
    Ok(BuildSummary {
        pages: built.site.pages.len(),
        sections: built
            .site
            .sections
            .iter()
            .filter(|s| s.file.is_some())
            .count(),
        files: paths.len(),
        output,
        elapsed: started.elapsed(),
        stats: render::reading_stats(&built.site, &built.content, &built.config),
        max_grade: built.config.readability.max_grade,
        warnings: built.warnings,
        reused: built.reused,
        kept: built.kept,
        generated: built.generated,
        pdfs: pdfs.map(|(counts, _)| counts),
    })
}

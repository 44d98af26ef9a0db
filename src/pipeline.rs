//! The build pipeline, stage by stage. Each stage returns an explicit value; I/O happens at the
//! start (reading) and the end (writing).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Errors};
use crate::discover;
use crate::glossary::Glossaries;
use crate::model::{self, ModelOptions, Site, Target};
use crate::output::{self, Contents, OutputFile, Sink};
use crate::render::cache::Entry as CacheEntry;
use crate::render::cache::Keys;
use crate::render::generated::{self as generated_cache, Generated};
use crate::render::page_cache::{Entries, PageCache};
use crate::render::{self, Origin, RenderedBatch, RenderedContent, Shared};
use crate::templates::Templates;
use crate::theme::Theme;

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

/// What the PDF stage did: files printed by Chromium, and files carried over unchanged from the
/// last build (their handout, paper and browser were the same).
#[derive(Debug, Clone, Copy, Default)]
pub struct PdfCounts {
    pub printed: usize,
    pub kept: usize,
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

pub fn load_config(options: &BuildOptions) -> Result<Config, Errors> {
    let mut config = Config::load(&options.root)?;
    if let Some(name) = &options.clinic {
        crate::handout::profile::apply(&mut config, &options.root, name)?;
    }
    if options.offline {
        config.offline = true;
        // Nothing stored in the browser: a quiz's "remember my answers" is a localStorage entry.
        config.quiz.remember_answers = false;
    }
    if let Some(url) = &options.base_url {
        config.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
    Ok(config)
}

/// Config, discovery, parsing and the site model.
pub fn load_site(options: &BuildOptions, config: &Config) -> Result<Site, Errors> {
    let content_dir = options.root.join("content");
    if !content_dir.is_dir() {
        return Err(Diagnostic::error("the site has no content/ folder")
            .in_file(options.root.join("content"))
            .with_help("create content/ and put Markdown files in it, or run `haven new DIR` for a starting point")
            .into());
    }
    let files = stage(discover::discover(&content_dir, config))?;
    let (sources, read_errors) = model::read_content(&options.root, files);
    let model = model::build_model(
        config,
        sources,
        &ModelOptions {
            include_drafts: options.include_drafts,
        },
    );
    match model {
        Ok(site) if read_errors.is_empty() => Ok(site),
        Ok(_) => Err(Errors(read_errors)),
        Err(mut e) => {
            let mut all = read_errors;
            all.append(&mut e);
            Err(Errors(all))
        }
    }
}

pub mod generated;
pub mod incremental;

/// Everything but writing, with the files kept in memory, and the Markdown keys and page
/// cache too (what `serve` starts from).
pub fn build_in_memory(options: &BuildOptions) -> Result<Built, Errors> {
    let sink = output::Collect::default();
    let mut built = build_into(
        options,
        load_config(options)?,
        &sink,
        Keep::Prose,
        Store::Memory,
    )?;
    built.files = sink.into_files();
    check_unique_outputs(built.files.iter().map(|f| f.path.as_str()), &built.site)?;
    Ok(built)
}

/// Everything but writing, keeping only the output paths (to check that no two files share
/// one): `haven check`, which needs the model and Markdown but no output.
pub fn build_for_check(options: &BuildOptions) -> Result<Built, Errors> {
    let sink = output::Discard::default();
    let built = build_into(
        options,
        load_config(options)?,
        &sink,
        Keep::Prose,
        Store::Nothing,
    )?;
    let paths = sink.into_paths();
    check_unique_outputs(paths.iter().map(String::as_str), &built.site)?;
    Ok(built)
}

/// Whether a build keeps every page's prose after the search index is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// For `serve` (it rebuilds the index after an edit) and `check` (it lints the prose).
    Prose,
    /// `build`: each batch of pages is indexed as it is rendered and its prose dropped, which
    /// keeps a 10,000-page build under its memory budget.
    Measures,
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

/// With `HAVEN_TIMINGS` set, prints how long each stage took, for profiling.
struct Timings(Option<Instant>);

impl Timings {
    fn start() -> Timings {
        Timings(std::env::var_os("HAVEN_TIMINGS").map(|_| Instant::now()))
    }

    fn lap(&mut self, stage: &str) {
        if let Some(started) = self.0 {
            // Resident memory too, where /proc tells it.
            let rss = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
                    Some(line.trim_start_matches("VmRSS:").trim().to_string())
                })
                .unwrap_or_default();
            eprintln!(
                "timing: {stage}: {:.1} ms, resident {rss}",
                started.elapsed().as_secs_f64() * 1000.0
            );
            self.0 = Some(Instant::now());
        }
    }
}

/// Every stage, handing each output file to `sink` as it is made (the caller checks that no
/// two files share a path). `config` is the one the caller loaded: loaded once per build.
fn build_into(
    options: &BuildOptions,
    mut config: Config,
    sink: &dyn Sink,
    keep: Keep,
    store: Store,
) -> Result<Built, Errors> {
    let mut timings = Timings::start();
    let theme = Theme::load(&options.root, &config.theme).map_err(Errors::from);
    // The UI strings before the Markdown: callouts, quizzes and scripts carry them.
    let strings = theme
        .as_ref()
        .ok()
        .map(|theme| load_strings(theme, &options.root, &config));
    // Report content, theme and string problems together.
    let site = load_site(options, &config);
    let (site, theme, strings) = match (site, theme, strings) {
        (Ok(s), Ok(t), Some(Ok(strings))) => (s, t, strings),
        (s, t, strings) => {
            let mut all = Vec::new();
            if let Err(e) = s {
                all.extend(e.0);
            }
            if let Err(e) = t {
                all.extend(e.0);
            }
            if let Some(Err(e)) = strings {
                all.extend(e.0);
            }
            return Err(Errors(all));
        }
    };
    config.ui = strings.clone();
    timings.lap("read and model");
    // Parsed once: the Markdown stage marks terms from them, the glossary pages list them.
    let (glossaries, glossary_diags) = Glossaries::load(&site, &config);
    // `build` indexes each batch of pages for search as it is rendered and drops its prose,
    // and keeps what it rendered in the build cache for the next build.
    let mut search_index = crate::site_index::SiteIndex::new(&config);
    let cache_path = options.root.join(render::cache::PATH);
    let keys = match store {
        Store::Disk => !options.no_cache,
        Store::Memory => true,
        Store::Nothing => false,
    }
    .then(|| Keys::new(&site, &config))
    .flatten();
    let on_disk = keys.clone().filter(|_| store == Store::Disk);
    let mut cache_in = on_disk
        .clone()
        .and_then(|k| render::cache::Reader::open(&cache_path, k));
    let mut cache_out = on_disk.and_then(|k| render::cache::Writer::create(&cache_path, k));
    timings.lap("cache keys");
    let mut write_failed = None;
    let mut reused = 0;
    let (mut content, mut diags) = render::render_content_with(
        &site,
        &config,
        &glossaries,
        cache_in.as_mut(),
        &mut |batch: RenderedBatch| {
            if keep == Keep::Prose {
                return;
            }
            let origins = &*batch.origins;
            let fresh = |k: usize| matches!(origins[k], Origin::Rendered { .. });
            let mut analyses =
                search_index.analyze_where(&site, batch.first, batch.rendered, &fresh);
            for (k, origin) in batch.origins.iter_mut().enumerate() {
                if let Origin::Cached { search, .. } = origin {
                    analyses[k] = search.take();
                    reused += usize::from(matches!(batch.first, Target::Page(_)));
                }
            }
            if let Some(out) = &mut cache_out {
                let entries: Vec<_> = batch
                    .rendered
                    .iter()
                    .zip(batch.origins.iter())
                    .zip(&analyses)
                    .map(|((r, origin), search)| match origin {
                        Origin::Rendered { clean: true } => {
                            Some(CacheEntry::Rendered(r, search.as_ref()))
                        }
                        Origin::Rendered { clean: false } => None,
                        Origin::Cached { entry, .. } => Some(CacheEntry::Read(entry)),
                    })
                    .collect();
                out.put_batch(batch.first, &entries);
            }
            for file in search_index.push(analyses) {
                if write_failed.is_none() {
                    write_failed = sink.put(file).err();
                }
            }
            for r in batch.rendered.iter_mut() {
                r.prose = String::new();
                r.free_lint_data();
            }
        },
    );
    timings.lap("markdown");
    if let Some(e) = write_failed {
        return Err(e.into());
    }
    diags.extend(glossary_diags);
    let templates = Templates::load(&theme, &options.root);
    let (mut warnings, templates) = match (fail_if_errors(diags), templates) {
        (Ok(w), Ok(t)) => (w, t),
        (r, t) => {
            let mut all = Vec::new();
            if let Err(e) = r {
                all.extend(e.0);
            }
            if let Err(e) = t {
                all.extend(e);
            }
            return Err(Errors(all));
        }
    };
    timings.lap("templates loaded");
    if keep == Keep::Measures {
        content.free_checked();
        search_index
            .finish_into(&mut |file| sink.put(file))
            .map_err(Errors::from)?;
        timings.lap("search index");
    }
    let page_cache = keys.clone().and_then(|k| match store {
        Store::Disk => PageCache::open(&options.root, &templates, &strings, k),
        _ => PageCache::new(&templates, &strings, k, Entries::new()),
    });
    let generated = keys.clone().and_then(|k| match store {
        Store::Disk => Generated::open(&options.root, &templates, &strings, &config, k),
        _ => Generated::new(&templates, &strings, &config, k, Default::default()),
    });
    warnings.extend(render_site(
        &options.root,
        &config,
        &site,
        &content,
        &glossaries,
        &theme,
        &templates,
        strings.clone(),
        Generate {
            search_index: keep == Keep::Prose,
            page_cache: page_cache.as_ref(),
            generated: generated.as_ref(),
            skip_handouts: keep == Keep::Measures && pdfs_on(options, &config),
        },
        sink,
    )?);
    timings.lap("pages and generated files");
    // Only a build that went through keeps its caches (a failed one leaves the last).
    if let Some(out) = cache_out {
        out.commit();
    }
    let kept = page_cache.as_ref().map_or(0, PageCache::kept);
    let generated_counts = generated
        .as_ref()
        .map(Generated::counts)
        .unwrap_or_default();
    let memory = match (page_cache, generated, store) {
        (Some(cache), Some(generated), Store::Disk) => {
            cache.commit(&options.root);
            generated.commit(&options.root);
            None
        }
        (Some(cache), Some(generated), Store::Memory) => {
            keys.map(|k| (k, cache.into_entries(), generated.into_entries()))
        }
        _ => None,
    };
    timings.lap("caches written");
    Ok(Built {
        config,
        site,
        content,
        files: Vec::new(),
        warnings,
        theme,
        templates,
        strings,
        glossaries,
        reused,
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
    let pdfs = if pdfs_on(options, &built.config) {
        let (warnings, counts, keys) = print_handouts(options, &built, &staging, &output)?;
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
        stats: site_stats(&built.site, &built.content, &built.config),
        max_grade: built.config.readability.max_grade,
        warnings: built.warnings,
        reused: built.reused,
        kept: built.kept,
        generated: built.generated,
        pdfs: pdfs.map(|(counts, _)| counts),
    })
}

/// One PDF of a handout page in the PDF stage: its page (`/handouts/x/`), where it goes
/// (`/handouts/x/x-a4.pdf`), paper, key, and its bytes once carried over or printed.
struct PlannedPdf {
    page: String,
    href: String,
    paper: crate::handout::Paper,
    key: u64,
    bytes: Option<Vec<u8>>,
}

/// Whether this build prints the handouts to PDF (`--pdf` or `[handouts] pdf = true`).
/// Not in the offline copy: its handout pages are rewritten for `file://` as they are written,
/// and the PDF stage renders them again (docs/offline.md).
fn pdfs_on(options: &BuildOptions, config: &Config) -> bool {
    !options.offline && (options.pdf || config.handouts.pdf)
}

/// The PDF stage of `build`: prints each handout page (and large-print page) on each paper
/// with Chromium, or carries its PDF over from the last build when its key is unchanged, then
/// renders the handout files with links to the PDFs and hands all of them to `staging`.
/// Returns the handouts' warnings, the counts and the keys for the next build.
fn print_handouts(
    options: &BuildOptions,
    built: &Built,
    staging: &output::Staging,
    output: &Path,
) -> Result<(Vec<Diagnostic>, PdfCounts, crate::handout::pdf::KeyCache), Errors> {
    use crate::handout::{self, Paper, pdf};
    let config = &built.config;
    let shared = Shared::new(&built.site, &built.content, config, built.strings.clone());
    // The pages as printed: without the links to their PDFs (docs/handouts.md#pdf-files).
    let (print_view, diags) =
        handout::files_with_pdfs(&built.site, &built.content, &shared, &built.templates, None);
    fail_if_errors(diags)?;
    let mut counts = PdfCounts::default();
    let mut keys = pdf::KeyCache::default();
    let mut links = handout::PdfLinks::new();
    let mut pdf_files = Vec::new();
    let memory: HashMap<String, Vec<u8>> = print_view
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::Bytes(b) => Some((f.path.clone(), b.clone())),
            Contents::Copy(_) => None,
        })
        .collect();
    // (path, slug, language, large print) of every handout page the theme made (a theme
    // without handout.html makes none, with a warning).
    let mut jobs = Vec::new();
    for page in &built.site.pages {
        if !handout::is_handout(page, config) {
            continue;
        }
        for (large, path) in [
            (false, handout::path(page, config)),
            (true, handout::large_print_path(page, config)),
        ] {
            if memory.contains_key(&OutputFile::html_path(&path)) {
                jobs.push((path, page.slug.clone(), page.file.lang.clone(), large));
            }
        }
    }
    if !jobs.is_empty() {
        let chromium = pdf::find_browser(config, &options.root)?;
        let read = |rel: &str| -> Option<Vec<u8>> {
            if let Some(bytes) = memory.get(rel) {
                return Some(bytes.clone());
            }
            std::fs::read(staging.locate(rel)?).ok()
        };
        let old = if options.no_cache {
            pdf::KeyCache::default()
        } else {
            pdf::KeyCache::read(&options.root)
        };
        // Every PDF of every handout page: its key under Chromium `version`, and its bytes
        // when the last build's file can be carried over.
        let plan = |version: &str| -> Vec<PlannedPdf> {
            let mut plan = Vec::new();
            for (path, slug, _, large) in &jobs {
                let html = memory
                    .get(&OutputFile::html_path(path))
                    .map_or(&[][..], Vec::as_slice);
                for paper in Paper::ALL {
                    let key = pdf::key(html, &read, paper, version);
                    let href = format!("{path}{}", pdf::file_name(slug, *large, paper));
                    let bytes = old.reuse(output, href.trim_start_matches('/'), key);
                    plan.push(PlannedPdf {
                        page: path.clone(),
                        href,
                        paper,
                        key,
                        bytes,
                    });
                }
            }
            plan
        };
        let identity = pdf::identity(&chromium);
        // Chromium is started only when something must be printed: with every PDF unchanged
        // under the version the cache knows for this very program, it is not.
        let known = old.version_of(&identity).map(|v| (v.to_string(), plan(v)));
        let (version, made) = match known {
            Some((version, plan)) if plan.iter().all(|p| p.bytes.is_some()) => {
                counts.kept = plan.len();
                (version, plan)
            }
            _ => pdf::with_printer(&chromium, &read, |printer| {
                let mut made = Vec::new();
                for mut p in plan(printer.version()) {
                    if p.bytes.is_some() {
                        counts.kept += 1;
                    } else {
                        counts.printed += 1;
                        p.bytes = Some(printer.print(&p.page, p.paper)?);
                    }
                    made.push(p);
                }
                Ok((printer.version().to_string(), made))
            })?,
        };
        keys.set_browser(identity, version);
        let langs: HashMap<&str, &str> = jobs
            .iter()
            .map(|(path, _, lang, _)| (path.as_str(), lang.as_str()))
            .collect();
        for PlannedPdf {
            page: path,
            href,
            paper,
            key,
            bytes,
        } in made
        {
            let bytes = bytes.unwrap_or_default();
            let lang = langs.get(path.as_str()).copied().unwrap_or_default();
            let h = handout::strings::for_lang(lang, shared.strings.get(lang));
            let rel = href.trim_start_matches('/').to_string();
            keys.insert(&rel, key, &bytes);
            links
                .entry(path)
                .or_default()
                .push(pdf::link(href, paper, bytes.len(), &h));
            pdf_files.push(OutputFile::bytes(rel, bytes));
        }
    }
    let (mut files, diags) = handout::files_with_pdfs(
        &built.site,
        &built.content,
        &shared,
        &built.templates,
        Some(&links),
    );
    let warnings = fail_if_errors(diags)?;
    files.extend(pdf_files);
    staging.put_all(files).map_err(Errors::from)?;
    Ok((warnings, counts, keys))
}

/// Reading statistics of every page and section that has prose, in site order (the rows of
/// `haven build --stats`). Here, not in `readability`, so that text statistics need not know the
/// rendered site.
fn site_stats(
    site: &crate::model::Site,
    content: &crate::render::RenderedContent,
    config: &crate::config::Config,
) -> Vec<crate::readability::PageStats> {
    let max = config.readability.max_grade;
    let row = |path: &str, lang: &str, title: &str, rendered: &crate::markdown::Rendered| {
        let stats = rendered.stats(lang).into_owned();
        (stats.words > 0).then(|| crate::readability::PageStats {
            path: path.to_string(),
            lang: lang.to_string(),
            title: title.to_string(),
            over_limit: crate::readability::over_limit(&stats, max),
            stats,
        })
    };
    let pages = site
        .pages
        .iter()
        .zip(&content.pages)
        .filter(|(p, _)| !p.is_fallback())
        .filter_map(|(p, r)| row(&p.path, &p.file.lang, &p.front.title, r));
    let sections = site
        .sections
        .iter()
        .zip(&content.sections)
        .filter_map(|(s, r)| row(&s.path, &s.lang, &s.front.title, r));
    pages.chain(sections).collect()
}

/// The theme's static files, then the site's `static/` over them, then content assets.
pub fn static_files(theme: &Theme, root: &Path, site: &Site) -> Result<Vec<OutputFile>, Errors> {
    let mut files: BTreeMap<String, OutputFile> = BTreeMap::new();
    for asset in crate::blocks::all_assets() {
        let path = format!("haven/{}", asset.name);
        files.insert(path.clone(), OutputFile::bytes(path, asset.bytes.to_vec()));
    }
    // Before the theme's and the site's static files: a `static/_headers` of their own wins.
    let headers = crate::security::headers_file();
    files.insert(headers.path.clone(), headers);
    for (rel, file) in theme.files_under("static") {
        files.insert(rel.to_string(), OutputFile::bytes(rel, file.bytes.clone()));
    }
    let static_dir = root.join("static");
    if static_dir.is_dir() {
        let mut errors = Vec::new();
        for entry in discover::SiteWalk::new(&static_dir, root) {
            let entry = match entry {
                Ok(entry) => entry,
                Err(discover::WalkError::Outside(d)) => {
                    errors.push(d);
                    continue;
                }
                Err(discover::WalkError::Walk(e)) => {
                    errors.push(
                        Diagnostic::error(format!("could not read static/: {e}")).in_file("static"),
                    );
                    continue;
                }
            };
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(&static_dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(
                    rel.clone(),
                    OutputFile {
                        path: rel,
                        contents: Contents::Copy(entry.path().to_path_buf()),
                    },
                );
            }
        }
        if !errors.is_empty() {
            return Err(Errors(errors));
        }
    }
    for asset in &site.assets {
        files.insert(
            asset.output.clone(),
            OutputFile {
                path: asset.output.clone(),
                contents: Contents::Copy(root.join("content").join(&asset.rel)),
            },
        );
    }
    Ok(files.into_values().collect())
}

/// Two output files with one path is an error on each repeat. When one of them is a page or a
/// section of the site (a folder `content/search/` against the search page, say), the error
/// names its file, so the author knows what to rename.
pub fn check_unique_outputs<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    site: &Site,
) -> Result<(), Errors> {
    let mut seen = std::collections::HashSet::new();
    let mut errors = Vec::new();
    let content_file = |path: &str| {
        let url = format!("/{}", path.strip_suffix("index.html")?);
        site.pages
            .iter()
            .map(|p| (&p.path, &p.display))
            .chain(site.sections.iter().map(|s| (&s.path, &s.display)))
            .find(|(p, _)| **p == url)
            .map(|(_, display)| display.clone())
    };
    for path in paths {
        if !seen.insert(path) {
            let d = Diagnostic::error(format!("two things would be written to {path}"));
            errors.push(match content_file(path) {
                Some(display) => d.in_file(display).with_help(
                    "this page or folder has the address of another page or file (Haven's own pages include search/, handouts/, quizzes/, scripts/, glossary/ and tags/): rename it, or give it another slug",
                ),
                None => d.with_help(
                    "a page, alias, static file or asset shares this path with another; rename one of them",
                ),
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
    }
}

/// UI strings of every language of the site, resolved as [`crate::i18n`] describes.
pub fn load_strings(theme: &Theme, root: &Path, config: &Config) -> Result<Strings, Errors> {
    crate::i18n::resolve(theme, root, config).map(|r| r.strings)
}

//! The PDF stage of `build`: every handout page printed to PDF by Chromium, or carried over from
//! the last build when nothing it prints changed (docs/handouts.md#pdf-files).

use std::collections::HashMap;
use std::path::Path;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Errors};
use crate::output::{self, Contents, OutputFile, Sink};
use crate::render::Shared;

use super::{BuildOptions, Built, fail_if_errors};

/// What the PDF stage did: files printed by Chromium, and files carried over unchanged from the
/// last build (their handout, paper and browser were the same).
#[derive(Debug, Clone, Copy, Default)]
pub struct PdfCounts {
    pub printed: usize,
    pub kept: usize,
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
pub(super) fn pdfs_on(options: &BuildOptions, config: &Config) -> bool {
    !options.offline && (options.pdf || config.handouts.pdf)
}

/// The PDF stage of `build`: prints each handout page (and large-print page) on each paper
/// with Chromium, or carries its PDF over from the last build when its key is unchanged, then
/// renders the handout files with links to the PDFs and hands all of them to `staging`.
/// Returns the handouts' warnings, the counts and the keys for the next build.
pub(super) fn print_handouts(
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

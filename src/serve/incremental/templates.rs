//! Rebuilds after a template or static file changed: the model and the Markdown are kept.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use super::*;

/// The pages and sections whose templates use one of the changed template files `names`,
/// through the templates again; everything when a changed file is also used for something
/// else (the 404 page, tags, handouts, search, collections).
pub(super) fn rebuild_template_users(
    state: &mut State,
    root: &Path,
    names: &BTreeSet<String>,
) -> Result<Outcome, Errors> {
    let templates = Templates::load(&state.theme, root).map_err(Errors)?;
    // Before and after the edit: an include removed still marks the page that had it.
    let mut affected = templates.dependents(names);
    affected.extend(state.templates.dependents(names));
    let site = &state.site;
    let page_roots: BTreeSet<&str> = site
        .pages
        .iter()
        .map(render::page_template)
        .chain(site.sections.iter().map(render::section_template))
        .collect();
    let used_by_templates = templates.used_by_others();
    // A changed template that no page renders through and no template uses is rendered for
    // something else.
    let other_roots = affected.iter().any(|t| {
        !page_roots.contains(t.as_str())
            && !used_by_templates.contains(t)
            && (templates.has(t) || state.templates.has(t))
    });
    if other_roots {
        return rebuild_templates(state, root);
    }
    let pages: Vec<usize> = (0..site.pages.len())
        .filter(|&i| affected.contains(render::page_template(&site.pages[i])))
        .collect();
    let sections: Vec<usize> = (0..site.sections.len())
        .filter(|&i| affected.contains(render::section_template(&site.sections[i])))
        .collect();
    let links = std::mem::take(&mut state.page_links);
    let shared = Shared::with_page_links(site, &state.config, state.strings.clone(), links);
    let (set, errors) =
        render_pages_and_sections(site, &state.content, &shared, &templates, &pages, &sections);
    state.page_links = shared.page_links;
    let warnings = pipeline::fail_if_errors(errors)?;
    state.templates = templates;
    let what = format!(
        "templates {}: {} page{} and {} section{} use them",
        names.iter().cloned().collect::<Vec<_>>().join(", "),
        pages.len(),
        if pages.len() == 1 { "" } else { "s" },
        sections.len(),
        if sections.len() == 1 { "" } else { "s" },
    );
    Ok(Outcome::pages_patched(what, set, warnings))
}

/// Every page through the templates again (the model and the Markdown are kept).
pub(super) fn rebuild_templates(state: &mut State, root: &Path) -> Result<Outcome, Errors> {
    let templates = Templates::load(&state.theme, root).map_err(Errors)?;
    // A changed i18n file rebuilds everything (`Change::Config`): the strings are as loaded.
    let strings = state.config.ui.clone();
    let sink = crate::output::Collect::default();
    let warnings = pipeline::render_site(
        root,
        &state.config,
        &state.site,
        &state.content,
        &state.glossaries,
        &state.theme,
        &templates,
        strings.clone(),
        pipeline::Generate {
            search_index: true,
            page_cache: None,
            skip_handouts: false,
        },
        &sink,
    )?;
    let files = sink.into_files();
    pipeline::check_unique_outputs(files.iter().map(|f| f.path.as_str()), &state.site)?;
    state.templates = templates;
    state.strings = strings;
    state.statics = static_paths(&state.theme, root, &state.site);
    state.generated = files
        .iter()
        .map(|f| f.path.clone())
        .filter(|p| !state.statics.contains(p))
        .collect();
    Ok(Outcome {
        what: format!("templates: {} files, Markdown kept", state.generated.len()),
        elapsed: Duration::ZERO,
        update: Update::Replace(files),
        reload: Reload::Page,
        warnings,
    })
}

/// Static files only.
pub(super) fn rebuild_statics(
    state: &mut State,
    root: &Path,
    css_only: bool,
) -> Result<Outcome, Errors> {
    let files = pipeline::static_files(&state.theme, root, &state.site)?;
    pipeline::check_unique_outputs(
        state
            .generated
            .iter()
            .map(String::as_str)
            .chain(files.iter().map(|f| f.path.as_str())),
        &state.site,
    )?;
    let new: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let remove: Vec<String> = state.statics.difference(&new).cloned().collect();
    let what = format!("static files ({})", files.len());
    state.statics = new;
    Ok(Outcome {
        what,
        elapsed: Duration::ZERO,
        update: Update::Patch { set: files, remove },
        reload: if css_only { Reload::Css } else { Reload::Page },
        warnings: Vec::new(),
    })
}

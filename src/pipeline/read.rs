//! The reading stage: the config, the site model, the theme and its UI strings, each read and
//! parsed once per build.

use std::path::Path;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Errors};
use crate::discover;
use crate::glossary::Glossaries;
use crate::model::{self, ModelOptions, Site};
use crate::templates::Templates;
use crate::theme::Theme;

use super::{BuildOptions, Strings, fail_if_errors, stage};

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

/// UI strings of every language of the site, resolved as [`crate::i18n`] describes.
pub fn load_strings(theme: &Theme, root: &Path, config: &Config) -> Result<Strings, Errors> {
    crate::i18n::resolve(theme, root, config).map(|r| r.strings)
}

/// What a build reads before rendering anything, each parsed once.
pub(super) struct Inputs {
    /// The caller's config, with the UI strings resolved into it.
    pub config: Config,
    pub site: Site,
    pub theme: Theme,
    pub strings: Strings,
    /// Parsed once: the Markdown stage marks terms from them, the glossary pages list them.
    pub glossaries: Glossaries,
    /// The glossaries' problems, reported with the Markdown's.
    pub glossary_diags: Vec<Diagnostic>,
}

/// Reads the theme, its UI strings, the content and the glossaries, reporting the problems of
/// the content, the theme and the strings together.
pub(super) fn inputs(options: &BuildOptions, mut config: Config) -> Result<Inputs, Errors> {
    let theme = Theme::load(&options.root, &config.theme).map_err(Errors::from);
    // The UI strings before the Markdown: callouts, quizzes and scripts carry them.
    let strings = theme
        .as_ref()
        .ok()
        .map(|theme| load_strings(theme, &options.root, &config));
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
    let (glossaries, glossary_diags) = Glossaries::load(&site, &config);
    Ok(Inputs {
        config,
        site,
        theme,
        strings,
        glossaries,
        glossary_diags,
    })
}

/// The theme's templates, loaded once the Markdown is rendered, with the problems found so far
/// (`diags`) and the templates' reported together. Returns the warnings and the templates.
pub(super) fn templates(
    theme: &Theme,
    root: &Path,
    diags: Vec<Diagnostic>,
) -> Result<(Vec<Diagnostic>, Templates), Errors> {
    let templates = Templates::load(theme, root);
    match (fail_if_errors(diags), templates) {
        (Ok(w), Ok(t)) => Ok((w, t)),
        (r, t) => {
            let mut all = Vec::new();
            if let Err(e) = r {
                all.extend(e.0);
            }
            if let Err(e) = t {
                all.extend(e);
            }
            Err(Errors(all))
        }
    }
}

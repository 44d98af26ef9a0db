//! `haven check`: builds the site without writing it, then adds what only a check looks at (lint,
//! missing translations, placeholders left in `haven.toml` and the clinic profiles, and links to
//! other sites when asked), and sums it up. The command prints what this returns.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::handout::profile;
use crate::pipeline::{self, BuildOptions};
use crate::placeholders::ProfileFile;
use crate::{config, external, i18n, lint, placeholders};

/// What one check found.
#[derive(Debug)]
pub struct CheckReport {
    /// Errors, warnings and notes, in the order the steps found them.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages checked (a fallback page is its original, checked once); 0 when the build failed.
    pub pages: usize,
    /// The links to other sites, when they were checked.
    pub external: Option<external::Summary>,
}

/// Checks the site at `options.root`; with `external`, also fetches every link to another site,
/// calling `before_external` first (so the command can say it may take a while).
pub fn check(
    options: &BuildOptions,
    external: Option<&external::Options>,
    before_external: impl FnOnce(&external::Options),
) -> CheckReport {
    let built = match pipeline::build_for_check(options) {
        Ok(built) => built,
        Err(errors) => {
            return CheckReport {
                diagnostics: errors.0,
                pages: 0,
                external: None,
            };
        }
    };
    let mut diags = built.warnings;
    diags.extend(lint::lint(&built.site, &built.content, &built.config));
    diags.extend(i18n::missing_warnings(
        &built.theme,
        &options.root,
        &built.config,
    ));
    diags.extend(
        built
            .glossaries
            .missing_translations(&built.config, &built.site),
    );
    // haven.toml was read and parsed by the build; read again for the snippets.
    let config_path = options.root.join(config::CONFIG_FILE);
    if let Ok(text) = std::fs::read_to_string(&config_path) {
        let profiles = profile_files(&options.root, &mut diags);
        diags.extend(placeholders::check(
            &built.config,
            &Arc::from(text),
            Path::new(config::CONFIG_FILE),
            &profiles,
        ));
    }
    let mut summary = None;
    if let Some(external) = external {
        before_external(external);
        let (more, counts) = external::check(
            &built.site,
            &built.content,
            &built.config.check.external_skip,
            external,
        );
        diags.extend(more);
        summary = Some(counts);
    }
    CheckReport {
        diagnostics: diags,
        pages: built.site.pages.iter().filter(|p| !p.is_fallback()).count(),
        external: summary,
    }
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_warning()).count()
    }

    pub fn notes(&self) -> usize {
        self.diagnostics.len() - self.errors() - self.warnings()
    }

    /// Whether the check passes: no error, and with `strict`, no warning either.
    pub fn passed(&self, strict: bool) -> bool {
        self.errors() == 0 && !(strict && self.warnings() > 0)
    }

    /// The diagnostics in the stable JSON shape of docs/check.md, with the external links'
    /// counts when they were checked.
    pub fn to_json(&self) -> serde_json::Value {
        let mut json = crate::diagnostic::to_json(&self.diagnostics);
        if let Some(summary) = self.external {
            json["external"] = serde_json::json!(summary);
        }
        json
    }

    /// The closing line: `Checked 12 pages: 0 errors, 1 warning`, with the external links and
    /// the notes when there are any.
    pub fn summary_line(&self) -> String {
        let (pages, errors, warnings, notes) =
            (self.pages, self.errors(), self.warnings(), self.notes());
        let links = self.external.map_or(String::new(), |s| {
            let skipped = if s.skipped > 0 {
                format!(" ({} skipped)", s.skipped)
            } else {
                String::new()
            };
            format!(
                " and {} external link{}{skipped}, {} failing",
                s.urls,
                plural(s.urls),
                s.failed
            )
        });
        let notes = if notes > 0 {
            format!(", {notes} note{}", plural(notes))
        } else {
            String::new()
        };
        format!(
            "Checked {pages} page{}{links}: {errors} error{}, {warnings} warning{}{notes}",
            plural(pages),
            plural(errors),
            plural(warnings)
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The clinic profiles in `clinics/*.toml`; one that does not parse is an error located in it.
fn profile_files(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<ProfileFile> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join(profile::PROFILES_DIR)) else {
        return files;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let Some(name) = path
            .file_name()
            .and_then(|f| f.to_str())
            .and_then(|f| f.strip_suffix(".toml"))
            .filter(|n| profile::is_valid_name(n))
        else {
            continue;
        };
        let display = Path::new(profile::PROFILES_DIR).join(format!("{name}.toml"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        match profile::parse(&text, &display) {
            Ok(p) => files.push(ProfileFile {
                name: name.to_string(),
                display,
                source: Arc::from(text),
                profile: p,
            }),
            Err(d) => diags.push(d),
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(severities: &[&str], external: Option<external::Summary>) -> CheckReport {
        CheckReport {
            diagnostics: severities
                .iter()
                .map(|s| match *s {
                    "error" => Diagnostic::error("e"),
                    "warning" => Diagnostic::warning("w"),
                    _ => Diagnostic {
                        severity: crate::diagnostic::Severity::Note,
                        ..Diagnostic::error("n")
                    },
                })
                .collect(),
            pages: 1,
            external,
        }
    }

    #[test]
    fn strict_fails_on_a_warning_and_plain_does_not() {
        let warned = report(&["warning"], None);
        assert!(warned.passed(false));
        assert!(!warned.passed(true));
        assert!(!report(&["error"], None).passed(false));
        assert!(report(&["note"], None).passed(true));
    }

    #[test]
    fn the_summary_counts_each_kind_and_the_links() {
        let links = external::Summary {
            urls: 3,
            failed: 1,
            skipped: 2,
        };
        assert_eq!(
            report(&["error", "warning", "warning", "note"], Some(links)).summary_line(),
            "Checked 1 page and 3 external links (2 skipped), 1 failing: 1 error, 2 warnings, 1 note"
        );
        assert_eq!(
            report(&[], None).summary_line(),
            "Checked 1 page: 0 errors, 0 warnings"
        );
    }
}

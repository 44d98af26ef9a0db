//! Clinic profiles: one shared guide, built once per clinic with that clinic's details.
//!
//! A profile is a `[clinics.NAME]` table in `haven.toml` or a file `clinics/NAME.toml` in the site
//! (the same keys at its top level). `haven build --clinic NAME` lays it over the site's settings:
//! its `[clinic]` block, `[colors]` (logo and accent), `[help]` contacts and `base_url`.

use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
pub use crate::config::clinics::{ClinicProfile, Profiles};
use crate::diagnostic::{Diagnostic, short_unknown_field, suggest_for_unknown_field};

/// The folder of profile files, beside `haven.toml`.
pub const PROFILES_DIR: &str = "clinics";

/// Profile names: lower-case letters, digits, `-` and `_` (they name files too).
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Every profile the site has, by name: the `[clinics.NAME]` tables and `clinics/*.toml`.
pub fn names(config: &Config, root: &Path) -> Vec<String> {
    let mut names: Vec<String> = config.clinics.keys().cloned().collect();
    if let Ok(entries) = std::fs::read_dir(root.join(PROFILES_DIR)) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().to_string();
            if let Some(stem) = file.strip_suffix(".toml")
                && is_valid_name(stem)
            {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Finds profile `name` and lays it over `config`.
pub fn apply(config: &mut Config, root: &Path, name: &str) -> Result<(), Diagnostic> {
    let profile = load(config, root, name)?;
    apply_profile(config, profile);
    Ok(())
}

/// Loads profile `name` from `clinics/NAME.toml` or `[clinics.NAME]` (not both).
pub fn load(config: &Config, root: &Path, name: &str) -> Result<ClinicProfile, Diagnostic> {
    if !is_valid_name(name) {
        return Err(
            Diagnostic::error(format!("`{name}` is not a clinic profile name")).with_help(
                "profile names use lower-case letters, digits, `-` and `_`, like `northside`",
            ),
        );
    }
    let rel = Path::new(PROFILES_DIR).join(format!("{name}.toml"));
    let file = root.join(&rel);
    let in_config = config.clinics.get(name);
    if file.is_file() {
        if in_config.is_some() {
            return Err(Diagnostic::error(format!(
                "the clinic profile `{name}` is defined twice: in haven.toml and in {}",
                rel.display()
            ))
            .in_file(&rel)
            .with_help("keep one of the two"));
        }
        let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        if let Some(d) = crate::discover::outside_site(&file, &real_root, &rel) {
            return Err(d);
        }
        let text = std::fs::read_to_string(&file)
            .map_err(|e| crate::diagnostic::io_error(&rel, "read", &e))?;
        return parse(&text, &rel);
    }
    if let Some(p) = in_config {
        return Ok(p.clone());
    }
    let known = names(config, root);
    let help = match known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
    {
        Some((_, best)) => format!(
            "did you mean `{best}`? The site's clinic profiles are: {}",
            known.join(", ")
        ),
        None if known.is_empty() => format!(
            "the site has no clinic profiles: add a [clinics.{name}] table to haven.toml or a file {}",
            rel.display()
        ),
        None => format!("the site's clinic profiles are: {}", known.join(", ")),
    };
    Err(Diagnostic::error(format!("there is no clinic profile `{name}`")).with_help(help))
}

/// Parses a profile file (`clinics/NAME.toml`), errors located in it.
pub fn parse(text: &str, display: &Path) -> Result<ClinicProfile, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let source: Arc<str> = Arc::from(text);
        let (start, end) = e.span().map_or((0, 0), |s| (s.start, s.end));
        let message = e.message().trim().to_string();
        let mut d = Diagnostic::error(format!(
            "invalid clinic profile: {}",
            short_unknown_field(&message)
        ))
        .in_file(display)
        .at(&source, start, end);
        if let Some(help) = suggest_for_unknown_field(&message) {
            d = d.with_help(help);
        }
        d
    })
}

/// Lays a profile over the site's settings.
pub fn apply_profile(config: &mut Config, profile: ClinicProfile) {
    if let Some(url) = profile.base_url {
        config.base_url = if url.ends_with('/') {
            url
        } else {
            format!("{url}/")
        };
    }
    if let Some(clinic) = profile.clinic {
        config.clinic = Some(clinic);
    }
    if let Some(colors) = profile.colors {
        let site = &mut config.colors;
        site.accent = colors.accent.or(site.accent.take());
        site.accent_dark = colors.accent_dark.or(site.accent_dark.take());
        site.logo = colors.logo.or(site.logo.take());
    }
    if let Some(help) = profile.help {
        config.help = help;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        Config::parse(text, Path::new("haven.toml")).unwrap()
    }

    #[test]
    fn profile_replaces_block_and_merges_colours() {
        let mut c = config(
            r##"base_url = "https://guide.example.org/"
[colors]
accent = "#111111"
logo = "guide.svg"
[clinic]
name = "Site clinic"
[clinics.north]
base_url = "https://north.example.org/guide"
[clinics.north.clinic]
name = "North Clinic"
phone = "0100 111 2222"
[clinics.north.colors]
accent = "#222222"
"##,
        );
        apply(&mut c, Path::new("/nonexistent"), "north").unwrap();
        assert_eq!(c.base_url, "https://north.example.org/guide/");
        assert_eq!(c.clinic.as_ref().unwrap().name, "North Clinic");
        assert_eq!(c.colors.accent.as_deref(), Some("#222222"));
        assert_eq!(c.colors.logo.as_deref(), Some("guide.svg"));
    }

    #[test]
    fn unknown_profile_suggests() {
        let mut c = config("[clinics.northside.clinic]\nname = \"N\"\n");
        let e = apply(&mut c, Path::new("/nonexistent"), "northsid").unwrap_err();
        assert!(e.message.contains("no clinic profile `northsid`"));
        assert_eq!(
            e.help.as_deref(),
            Some("did you mean `northside`? The site's clinic profiles are: northside")
        );
        let e = apply(&mut c, Path::new("/nonexistent"), "../etc").unwrap_err();
        assert!(e.message.contains("not a clinic profile name"));
    }

    #[test]
    fn profile_file_errors_are_located() {
        let e = parse("[clinic]\nnam = \"x\"\n", Path::new("clinics/a.toml")).unwrap_err();
        assert_eq!(e.line_col(), Some((2, 1)));
        assert_eq!(e.help.as_deref(), Some("did you mean `name`?"));
    }
}

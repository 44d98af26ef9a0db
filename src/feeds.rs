//! Machine-read files: `sitemap.xml`, `atom.xml` per language, `robots.txt`, alias redirects, and
//! the brand stylesheet made from config.

use std::collections::HashMap;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::html::escape as escape_attr;
use crate::model::Site;
use crate::output::{OutputFile, is_safe_relative};

/// Every page, section and tag page, in every language.
pub fn sitemap(site: &Site, config: &Config) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut entry = |path: &str, lastmod: Option<String>| {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape_attr(&config.absolute_url(path)));
        xml.push_str("</loc>\n");
        if let Some(m) = lastmod {
            xml.push_str(&format!("    <lastmod>{m}</lastmod>\n"));
        }
        xml.push_str("  </url>\n");
    };
    for s in &site.sections {
        entry(&s.path, None);
    }
    // A fallback page's canonical address is its original's (docs/translations.md): search
    // engines are told of the original only.
    for p in site.pages.iter().filter(|p| !p.is_fallback()) {
        entry(
            &p.path,
            p.front.updated.or(p.front.date).map(|d| d.to_string()),
        );
    }
    for t in &site.tags {
        entry(&t.path, None);
    }
    xml.push_str("</urlset>\n");
    OutputFile::bytes("sitemap.xml", xml.into_bytes())
}

pub fn robots(config: &Config) -> OutputFile {
    let text = format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        config.absolute_url("/sitemap.xml")
    );
    OutputFile::bytes("robots.txt", text.into_bytes())
}

/// An Atom feed of the newest pages of each language.
pub fn feeds(site: &Site, config: &Config) -> Vec<OutputFile> {
    const ENTRIES: usize = 20;
    let mut out = Vec::new();
    for lang in config.all_languages() {
        let mut pages: Vec<&crate::model::Page> = (site.pages.iter())
            .filter(|p| p.file.lang == lang && !p.is_fallback())
            .collect();
        if pages.is_empty() {
            continue;
        }
        pages.sort_by(|a, b| {
            b.front
                .updated
                .or(b.front.date)
                .cmp(&a.front.updated.or(a.front.date))
                .then(a.front.title.cmp(&b.front.title))
        });
        pages.truncate(ENTRIES);
        let prefix = if lang == config.default_language {
            String::new()
        } else {
            format!("{lang}/")
        };
        let feed_url = config.absolute_url(&format!("/{prefix}atom.xml"));
        let updated = pages
            .iter()
            .filter_map(|p| p.front.updated.or(p.front.date))
            .max()
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
        let title = config
            .languages
            .get(lang)
            .and_then(|l| l.title.clone())
            .unwrap_or_else(|| config.title.clone());
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{}</title>\n  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{}\"/>\n  <id>{}</id>\n  <updated>{updated}</updated>\n",
            escape_attr(&title),
            escape_attr(&feed_url),
            escape_attr(&config.absolute_url(&format!("/{prefix}"))),
            escape_attr(&feed_url),
        );
        for p in pages {
            let url = config.absolute_url(&p.path);
            let when = p
                .front
                .updated
                .or(p.front.date)
                .map_or_else(|| updated.clone(), |d| d.rfc3339());
            xml.push_str(&format!(
                "  <entry>\n    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n    <updated>{when}</updated>\n",
                escape_attr(&p.front.title),
                escape_attr(&url),
                escape_attr(&url)
            ));
            if let Some(d) = &p.front.description {
                xml.push_str(&format!("    <summary>{}</summary>\n", escape_attr(d)));
            }
            xml.push_str("  </entry>\n");
        }
        xml.push_str("</feed>\n");
        out.push(OutputFile::bytes(
            format!("{prefix}atom.xml"),
            xml.into_bytes(),
        ));
    }
    out
}

/// A small page at each alias that sends readers (and search engines) on to the page.
pub fn redirects(site: &Site, config: &Config) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    // What each written file is, to name both sides when an alias lands on a page or another
    // alias (two pages keeping one old URL is easy to do when copying front matter).
    let mut taken: HashMap<String, String> = site
        .sections
        .iter()
        .map(|s| (&s.path, format!("the address of {}", s.display.display())))
        .chain(
            (site.pages.iter())
                .map(|p| (&p.path, format!("the address of {}", p.display.display()))),
        )
        .chain((site.tags.iter()).map(|t| (&t.path, format!("the page of the tag `{}`", t.name))))
        .map(|(path, what)| (format!("{}index.html", path.trim_start_matches('/')), what))
        .collect();
    // A fallback page's aliases are its original's, which they lead to.
    for page in site.pages.iter().filter(|p| !p.is_fallback()) {
        for alias in &page.front.aliases {
            let rel = alias.trim_matches('/');
            let file = if rel.ends_with(".html") {
                rel.to_string()
            } else {
                format!("{rel}/index.html")
            };
            if !is_safe_relative(&file) {
                let at = page.source.find(alias.as_str()).unwrap_or(0);
                diags.push(
                    Diagnostic::error(format!(
                        "the alias `{alias}` would be written outside the output folder"
                    ))
                    .in_file(&page.display)
                    .at(&page.source, at, at + alias.len())
                    .with_help("write aliases as site paths such as \"/old/page/\", without `..`"),
                );
                continue;
            }
            if let Some(long) = file.split('/').find(|part| part.len() > 255) {
                let at = page.source.find(alias.as_str()).unwrap_or(0);
                diags.push(
                    Diagnostic::error(format!(
                        "a part of the alias is {} bytes long; file systems allow 255",
                        long.len()
                    ))
                    .in_file(&page.display)
                    .at(&page.source, at, at + alias.len())
                    .with_help("shorten the alias"),
                );
                continue;
            }
            if let Some(what) = taken.get(&file) {
                let at = page.source.find(alias.as_str()).unwrap_or(0);
                diags.push(
                    Diagnostic::error(format!("the alias `{alias}` is already {what}"))
                        .in_file(&page.display)
                        .at(&page.source, at, at + alias.len())
                        .with_help("an old address can lead to one page only; remove this alias or the other"),
                );
                continue;
            }
            taken.insert(
                file.clone(),
                format!("an alias of {}", page.display.display()),
            );
            let target = escape_attr(&config.absolute_url(&page.path));
            let title = escape_attr(&page.front.title);
            let moved = escape_attr(crate::i18n::text(config, &page.file.lang, "alias_moved"))
                .replace("{link}", &format!("<a href=\"{target}\">{title}</a>"));
            let html = format!(
                "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{target}\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>{moved}</p>\n</body>\n</html>\n",
                lang = page.file.lang,
                dir = if config.is_rtl(&page.file.lang) {
                    "rtl"
                } else {
                    "ltr"
                },
            );
            files.push(OutputFile::bytes(file, html.into_bytes()));
        }
    }
    (files, diags)
}

/// `brand.css`: the site's colours as CSS custom properties (a file, so the CSP can forbid
/// inline styles).
pub fn brand_css(config: &Config) -> OutputFile {
    let mut css = String::from("/* Made by Haven from haven.toml [colors]. */\n:root {\n");
    let safe = |v: &str| {
        v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "#(),.% -".contains(c))
    };
    if let Some(c) = config.colors.accent.as_deref().filter(|v| safe(v)) {
        css.push_str(&format!("  --brand-accent: {c};\n"));
    }
    css.push_str("}\n");
    // Without a dark accent, dark mode keeps the theme's own (contrast-checked) one: `initial`
    // makes the property invalid, so the theme's var() fallback applies.
    let dark = match config.colors.accent_dark.as_deref().filter(|v| safe(v)) {
        Some(c) => c.to_string(),
        None => "initial".to_string(),
    };
    css.push_str(&format!(
        "@media (prefers-color-scheme: dark) {{\n  :root:not([data-theme=\"light\"]) {{ --brand-accent: {dark}; }}\n}}\n:root[data-theme=\"dark\"] {{ --brand-accent: {dark}; }}\n"
    ));
    OutputFile::bytes("brand.css", css.into_bytes())
}

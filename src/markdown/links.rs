//! Internal links: `@/section/page.md#anchor` and relative links to Markdown files resolve to
//! page URLs; a missing page is an error here, a missing anchor once every page is rendered.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::RenderContext;
use crate::diagnostic::Diagnostic;
use crate::model::Target;

/// A link to an anchor, checked after every page is rendered.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AnchorRef {
    pub target: Target,
    pub anchor: String,
    pub span: (usize, usize),
}

pub fn is_external(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// The destination of a link to another site (`http://`, `https://` or `//`), if `event` opens
/// one: what `haven check --external` fetches. Images and mail links are not links to check.
pub fn external_target(event: &Event) -> Option<String> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) if *link_type != LinkType::Email && is_external(dest_url) => {
            Some(dest_url.trim().to_string())
        }
        _ => None,
    }
}

/// Resolves a link written in content to a key under `content/`, if it is an internal one.
fn internal_key(dest: &str, current_key: &str) -> Option<(String, Option<String>)> {
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest, None),
    };
    if let Some(key) = path.strip_prefix("@/") {
        return Some((key.to_string(), anchor));
    }
    let is_relative_md = path.ends_with(".md") && !path.contains(':') && !path.starts_with('/');
    if !is_relative_md {
        return None;
    }
    let mut parts: Vec<&str> = current_key.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some((parts.join("/"), anchor))
}

/// Rewrites one event if it is a link: internal links get their URL, external ones `rel`.
pub fn rewrite<'a>(
    event: Event<'a>,
    span: (usize, usize),
    ctx: &RenderContext,
    stack: &mut Vec<bool>,
    anchor_refs: &mut Vec<AnchorRef>,
    diags: &mut Vec<Diagnostic>,
) -> Event<'a> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            if let Some(anchor) = dest_url.strip_prefix('#') {
                if let Some(target) = ctx.target
                    && !anchor.is_empty()
                {
                    anchor_refs.push(AnchorRef {
                        target,
                        anchor: anchor.to_string(),
                        span,
                    });
                }
                stack.push(false);
                return Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                });
            }
            if let Some((key, anchor)) = internal_key(&dest_url, ctx.key) {
                stack.push(false);
                // `page.es.md` names the Spanish version explicitly.
                let (key, lang) = explicit_language(&key, ctx);
                let url = match ctx.site.find(&key, lang, &ctx.config.default_language) {
                    Some(target) => {
                        let mut url = ctx.site.path_of(target).to_string();
                        if let Some(a) = anchor.filter(|a| !a.is_empty()) {
                            url.push('#');
                            url.push_str(&a);
                            anchor_refs.push(AnchorRef {
                                target,
                                anchor: a,
                                span,
                            });
                        }
                        url
                    }
                    None => {
                        diags.push(
                            Diagnostic::error(format!("link to a page that does not exist: {dest_url}"))
                                .with_code("broken-link")
                                .in_file(ctx.display)
                                .at(ctx.source, span.0, span.1)
                                .with_help(format!(
                                    "`{key}` is not under content/; check the spelling, or write the path from content/ as @/section/page.md"
                                )),
                        );
                        dest_url.to_string()
                    }
                };
                return Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(url),
                    title,
                    id,
                });
            }
            if is_external(&dest_url) && link_type != LinkType::Email {
                let md = &ctx.config.markdown;
                if md.external_links_noopener || md.external_links_new_tab {
                    stack.push(true);
                    let mut tag = format!("<a href=\"{}\"", crate::html::escape(&dest_url));
                    if !title.is_empty() {
                        tag.push_str(&format!(" title=\"{}\"", crate::html::escape(&title)));
                    }
                    if md.external_links_noopener {
                        tag.push_str(" rel=\"noopener noreferrer\"");
                    }
                    if md.external_links_new_tab {
                        tag.push_str(" target=\"_blank\"");
                    }
                    tag.push('>');
                    return Event::InlineHtml(CowStr::from(tag));
                }
            }
            stack.push(false);
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::End(TagEnd::Link) => {
            if stack.pop().unwrap_or(false) {
                Event::InlineHtml(CowStr::Borrowed("</a>"))
            } else {
                Event::End(TagEnd::Link)
            }
        }
        other => other,
    }
}

/// Splits a language suffix off a key: `a/b.es.md` -> (`a/b.md`, "es"). Without one, a link
/// leads to the version in the reader's language: the page's own, or on a fallback page (the
/// original's text at another language's address) that language's.
fn explicit_language<'c>(key: &str, ctx: &'c RenderContext) -> (String, &'c str) {
    let reader = match ctx.target {
        Some(crate::model::Target::Page(i)) if ctx.site.pages[i].is_fallback() => {
            ctx.site.pages[i].file.lang.as_str()
        }
        _ => ctx.lang,
    };
    if let Some(stem) = key.strip_suffix(".md")
        && let Some((base, code)) = stem.rsplit_once('.')
        && ctx.config.is_language(code)
    {
        let lang = ctx
            .config
            .all_languages()
            .find(|l| *l == code)
            .unwrap_or(reader);
        return (format!("{base}.md"), lang);
    }
    (key.to_string(), reader)
}

/// URLs of other origins that raw HTML would load: `src=`, `srcset=`, `<link href=`, `data=`.
pub fn external_resources_in_html(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for attr in ["src=", "srcset=", "data=", "poster="] {
        for (i, _) in lower.match_indices(attr) {
            let value = attr_value(&html[i + attr.len()..]);
            if is_external(&value) {
                found.push(value);
            }
        }
    }
    if lower.contains("<link") {
        for (i, _) in lower.match_indices("href=") {
            let value = attr_value(&html[i + 5..]);
            if is_external(&value) {
                found.push(value);
            }
        }
    }
    if lower.contains("@import") || lower.contains("url(") {
        for part in lower.split("url(").skip(1) {
            let value = part
                .trim_start_matches(['"', '\''])
                .split([')', '"', '\''])
                .next()
                .unwrap_or("");
            if is_external(value) {
                found.push(value.to_string());
            }
        }
    }
    found
}

fn attr_value(rest: &str) -> String {
    let rest = rest.trim_start();
    match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or("").to_string(),
        _ => rest
            .split(|c: char| c.is_whitespace() || c == '>')
            .next()
            .unwrap_or("")
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_markdown_links_resolve_from_the_current_file() {
        assert_eq!(
            internal_key("../pcd/what.md#a", "aftercare/x.md"),
            Some(("pcd/what.md".into(), Some("a".into())))
        );
        assert_eq!(
            internal_key("other.md", "aftercare/x.md"),
            Some(("aftercare/other.md".into(), None))
        );
        assert_eq!(
            internal_key("@/pcd/what.md", "x.md"),
            Some(("pcd/what.md".into(), None))
        );
        assert_eq!(internal_key("https://a.org/x.md", "x.md"), None);
        assert_eq!(internal_key("../../x.md", "a.md"), None);
    }

    #[test]
    fn external_targets_are_web_links_only() {
        let link = |url: &'static str, link_type| {
            Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::Borrowed(url),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            })
        };
        assert_eq!(
            external_target(&link(" https://a.org/x ", LinkType::Inline)).as_deref(),
            Some("https://a.org/x")
        );
        assert_eq!(
            external_target(&link("//a.org/x", LinkType::Inline)).as_deref(),
            Some("//a.org/x")
        );
        assert_eq!(
            external_target(&link("https://a.org/", LinkType::Autolink)).as_deref(),
            Some("https://a.org/")
        );
        assert_eq!(
            external_target(&link("mailto:a@b.org", LinkType::Email)),
            None
        );
        assert_eq!(external_target(&link("@/x.md", LinkType::Inline)), None);
        assert_eq!(external_target(&link("/local/", LinkType::Inline)), None);
    }

    #[test]
    fn finds_external_resources_in_raw_html() {
        let html = r#"<img src="https://cdn.example/x.png"><script src='//evil.example/a.js'></script><link rel="stylesheet" href="https://f.example/c.css"><img src="/local.png">"#;
        assert_eq!(external_resources_in_html(html).len(), 3);
    }
}

use std::path::Path;
use std::sync::Arc;

use super::*;

fn site(files: &[(&str, &str)]) -> (Config, Site) {
    crate::model::test_site("", files)
}

fn render_md(body: &str) -> (Rendered, Vec<Diagnostic>) {
    let (out, diags) = render_output(body);
    (out.rendered, diags)
}

/// [`render`]'s whole output, with what only `check` reads.
fn render_output(body: &str) -> (Output, Vec<Diagnostic>) {
    let (config, site) = site(&[("pcd/what.md", "+++\ntitle = \"W\"\n+++\n## Help\n")]);
    let source: Arc<str> = Arc::from(body);
    let ctx = RenderContext {
        site: &site,
        config: &config,
        lang: "en",
        key: "aftercare/x.md",
        display: Path::new("content/aftercare/x.md"),
        source: &source,
        body_offset: 0,
        target: None,
        blocks: crate::blocks::ALL,
    };
    render(body, &ctx)
}

#[test]
fn headings_get_unique_ids_and_a_toc() {
    let (r, d) =
        render_md("# Title\n\n## Why it matters\n\n## Why it matters\n\n### Custom {#mine}\n");
    assert!(d.is_empty());
    assert!(r.html.contains("<h2 id=\"why-it-matters\">"), "{}", r.html);
    assert!(r.html.contains("<h2 id=\"why-it-matters-1\">"));
    assert!(r.html.contains("<h3 id=\"mine\">"));
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["why-it-matters", "why-it-matters-1", "mine"]);
}

#[test]
fn internal_links_resolve_and_broken_ones_are_located() {
    let body = "See [PCD](@/pcd/what.md#help) and [rel](../pcd/what.md).\n\nBad [x](@/nope.md).\n";
    let (out, d) = render_output(body);
    let r = &out.rendered;
    assert!(r.html.contains("href=\"/pcd/what/#help\""), "{}", r.html);
    assert!(r.html.contains("href=\"/pcd/what/\""));
    assert_eq!(out.links.anchor_refs.len(), 1);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].line_col(), Some((3, 5)));
    assert!(d[0].message.contains("@/nope.md"));
}

#[test]
fn external_links_get_rel_and_callouts_become_asides() {
    let (r, _) = render_md("[NHS](https://www.nhs.uk/ \"t\")\n\n> [!TIP]\n> Keep water near.\n");
    assert!(
        r.html.contains(
            "<a href=\"https://www.nhs.uk/\" title=\"t\" rel=\"noopener noreferrer\">NHS</a>"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<aside class=\"callout callout-tip\" role=\"note\" aria-label=\"Tip\">")
    );
    assert!(
        r.html.contains("Keep water near.</p>\n</aside>"),
        "{}",
        r.html
    );
}

#[test]
fn prose_excludes_code_and_flags_images_without_alt() {
    let (out, _) = render_output(
        "Hello there.\n\n```\ncode here\n```\n\n![](a.png) ![ok](https://x.org/b.png)\n",
    );
    let lints = &out.lints;
    assert!(out.prose.contains("Hello there."));
    assert!(!out.prose.contains("code here"));
    assert_eq!(lints.images_without_alt.len(), 1);
    assert_eq!(out.links.external_resources.len(), 1);
}

#[test]
fn external_links_are_collected_with_their_place() {
    let body = "# Help\n\n## See [NHS](https://www.nhs.uk/)\n\nAsk [us](@/pcd/what.md), <https://a.org/x>,\n[mail](mailto:a@b.org) or ![pic](https://x.org/b.png).\n\n```\n[not a link](https://code.example/)\n```\n";
    let (out, _) = render_output(body);
    let found: Vec<(&str, (usize, usize))> = out
        .lints
        .external_links
        .iter()
        .map(|(u, at)| (u.as_str(), crate::diagnostic::line_col(body, at.0)))
        .collect();
    assert_eq!(
        found,
        [
            ("https://www.nhs.uk/", (3, 8)),
            ("https://a.org/x", (5, 26))
        ]
    );
}

#[test]
fn callout_labels_follow_the_page_language() {
    assert!(
        callout_open(BlockQuoteKind::Tip, &Config::default(), "es")
            .contains("aria-label=\"Consejo\"")
    );
    assert!(
        callout_open(BlockQuoteKind::Important, &Config::default(), "es")
            .contains(">Importante</p>")
    );
    assert!(
        callout_open(BlockQuoteKind::Warning, &Config::default(), "en").contains(">Warning</p>")
    );
    // No words yet: English rather than nothing.
    assert!(callout_open(BlockQuoteKind::Note, &Config::default(), "sw").contains(">Note</p>"));
}

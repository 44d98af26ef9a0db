//! The article body made ready for paper: each quiz replaced by its print form (from the quiz
//! block's data) with its answers moved to the end of the handout, relative links anchored at the
//! article, ids made unique when several handouts share a page. Works on the HTML our Markdown
//! and block renderers write; anything it does not recognise passes through unchanged.

pub use crate::templates::context::{AnswerGroup, AnswerItem};

use crate::blocks::BlockOutput;
use crate::blocks::quiz::QuizData;

/// A body ready to print and the answers taken out of it.
#[derive(Debug, Clone, Default)]
pub struct PrintBody {
    pub html: String,
    pub answers: Vec<AnswerGroup>,
}

/// Every quiz of the page printed without its answers (the form its block made for paper), with
/// `note_html` after each quiz that had some; the answers go to [`PrintBody::answers`], in order.
pub fn move_answers(html: &str, blocks: &[BlockOutput], note_html: &str) -> PrintBody {
    let mut out = String::with_capacity(html.len());
    let mut answers = Vec::new();
    let mut rest = html;
    for (block, quiz) in blocks.iter().filter_map(|b| Some((b, QuizData::of(b)?))) {
        // The page holds each block's HTML as the block wrote it, in block order.
        let Some(at) = rest.find(&block.html) else {
            continue;
        };
        out.push_str(&rest[..at]);
        out.push_str(&quiz.print.html);
        rest = &rest[at + block.html.len()..];
        if quiz.print.answers.is_empty() {
            continue;
        }
        out.push_str(note_html);
        out.push('\n');
        answers.push(AnswerGroup {
            title_html: quiz.title_html,
            items: quiz
                .print
                .answers
                .into_iter()
                .map(|a| AnswerItem {
                    label_html: a.label_html,
                    html: a.html,
                })
                .collect(),
        });
    }
    out.push_str(rest);
    PrintBody { html: out, answers }
}

/// The end (after the closing tag) of the `name` element opening at `open`, nested ones counted.
pub(crate) fn matching_close(html: &str, open: usize, name: &str) -> Option<usize> {
    let open_tag = format!("<{name}");
    let close_tag = format!("</{name}>");
    let mut depth = 0usize;
    let mut i = open;
    loop {
        let next_open = html[i..].find(&open_tag).map(|p| i + p);
        let next_close = html[i..].find(&close_tag).map(|p| i + p)?;
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                i = o + open_tag.len();
            }
            _ => {
                depth = depth.checked_sub(1)?;
                i = next_close + close_tag.len();
                if depth == 0 {
                    return Some(i);
                }
            }
        }
    }
}

/// Relative links and images (`href="../x/"`, a page bundle's `src="photo.jpg"`) are anchored at
/// the article, since the handout lives at another path. Root-relative and absolute ones stay.
pub fn anchor_relative(html: &str, page_path: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(i) = next_attr(rest) {
        let attr_len = if rest[i..].starts_with(" href=\"") {
            " href=\"".len()
        } else {
            " src=\"".len()
        };
        out.push_str(&rest[..i + attr_len]);
        rest = &rest[i + attr_len..];
        let value_end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..value_end];
        if is_relative(value) {
            out.push_str(page_path);
        }
        out.push_str(value);
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}

fn next_attr(html: &str) -> Option<usize> {
    match (html.find(" href=\""), html.find(" src=\"")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn is_relative(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with('/')
        || url.starts_with('#')
        || url.starts_with("data:")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.contains("://"))
}

/// Every id (and what points at one) gets `prefix`, so handouts joined on one page keep unique ids.
pub fn prefix_ids(html: &str, prefix: &str) -> String {
    const ATTRS: &[&str] = &[
        " id=\"",
        " for=\"",
        " aria-labelledby=\"",
        " aria-describedby=\"",
        " aria-controls=\"",
        " href=\"#",
    ];
    let mut out = String::with_capacity(html.len() + 512);
    let mut rest = html;
    loop {
        let next = ATTRS
            .iter()
            .filter_map(|a| rest.find(a).map(|i| (i, *a)))
            .min_by_key(|(i, _)| *i);
        let Some((i, attr)) = next else {
            break;
        };
        out.push_str(&rest[..i + attr.len()]);
        rest = &rest[i + attr.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        let ids: Vec<String> = rest[..end]
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(|id| format!("{prefix}{id}"))
            .collect();
        out.push_str(&ids.join(" "));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Headings one level down (`h1` to `h2`... `h5` to `h6`), for a page that joins handouts under
/// its own `h1`.
pub fn shift_headings(html: &str) -> String {
    let mut out = html.to_string();
    for level in (1..=5).rev() {
        out = out
            .replace(&format!("<h{level}"), &format!("<h{}", level + 1))
            .replace(&format!("</h{level}>"), &format!("</h{}>", level + 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Intro

```quiz
# PCD *facts*
type: knowledge

## Is it?
- [ ] True
  > No.
- [x] False
  > Right.

## And?
- [x] Yes
  > Yes.
- [ ] No
  > No.
```

After

```quiz
# Checklist
type: checklist

## Tick what is true.
- One
- Two

[0-1] Fine.
[2] Talk to someone. See [help](@/help.md).
```
";

    /// `PAGE` rendered as a build renders it: its HTML and its blocks.
    fn rendered(body: &str) -> crate::markdown::Rendered {
        let files = [
            ("help.md", "+++\ntitle = \"Help\"\n+++\n"),
            ("page.md", "+++\ntitle = \"Page\"\n+++\n"),
        ];
        let (config, site) = crate::model::test_site("", &files);
        let source: std::sync::Arc<str> = std::sync::Arc::from(body);
        let ctx = crate::markdown::RenderContext {
            site: &site,
            config: &config,
            lang: "en",
            key: "page.md",
            display: std::path::Path::new("content/page.md"),
            source: &source,
            body_offset: 0,
            target: None,
            blocks: crate::blocks::ALL,
        };
        let (r, diags) = crate::markdown::render(body, &ctx);
        assert!(
            diags
                .iter()
                .all(|d| d.severity != crate::diagnostic::Severity::Error),
            "{diags:?}"
        );
        r.rendered
    }

    #[test]
    fn answers_move_to_the_end_in_order() {
        let r = rendered(PAGE);
        assert!(r.html.contains("quiz-answer"));
        let b = move_answers(&r.html, &r.blocks, "<p class=\"note\">See the end.</p>");
        assert!(!b.html.contains("quiz-answer"), "{}", b.html);
        assert!(
            b.html
                .contains("</form>\n<p class=\"note\">See the end.</p>\n<p>After</p>"),
            "{}",
            b.html
        );
        assert_eq!(b.html.matches("See the end.").count(), 2);
        assert!(b.html.starts_with("<p>Intro</p>\n<form class=\"quiz"));
        assert_eq!(b.answers.len(), 2);
        let g = &b.answers[0];
        assert_eq!(g.title_html, "PCD <em>facts</em>");
        let labels: Vec<&str> = g.items.iter().map(|i| i.label_html.as_str()).collect();
        assert_eq!(labels, ["Question 1 of 2", "Question 2 of 2"]);
        assert!(
            g.items[0]
                .html
                .starts_with("<p><strong>Right answer:</strong> False</p>"),
            "{}",
            g.items[0].html
        );
        let c = &b.answers[1];
        assert_eq!(c.title_html, "Checklist");
        assert_eq!(c.items.len(), 1);
        assert_eq!(c.items[0].label_html, "What your count means");
        assert!(c.items[0].html.contains("quiz-bands"));
        // The form is otherwise the page's: only the answers are left out.
        let form_start = r.html.find("<form").unwrap();
        let kept_start = b.html.find("<form").unwrap();
        assert_eq!(
            r.html[form_start..].find("<fieldset"),
            b.html[kept_start..].find("<fieldset")
        );
    }

    #[test]
    fn body_without_quizzes_is_unchanged() {
        let r = rendered("a [x](/x/)\n\n<details><summary>s</summary>t</details>\n");
        let b = move_answers(&r.html, &r.blocks, "NOTE");
        assert_eq!(b.html, r.html);
        assert!(b.answers.is_empty());
    }

    #[test]
    fn relative_links_are_anchored_at_the_article() {
        let html = r##"<a href="/help/">h</a> <a href="#top">t</a> <a href="https://e.org/">e</a> <a href="../b/">b</a> <img src="p.jpg" alt=""> <img src="/logo.svg" alt=""> <a href="tel:0100">p</a>"##;
        let out = anchor_relative(html, "/a/b/");
        assert_eq!(
            out,
            r##"<a href="/help/">h</a> <a href="#top">t</a> <a href="https://e.org/">e</a> <a href="/a/b/../b/">b</a> <img src="/a/b/p.jpg" alt=""> <img src="/logo.svg" alt=""> <a href="tel:0100">p</a>"##
        );
    }

    #[test]
    fn ids_are_prefixed() {
        let html = r##"<h2 id="a">A</h2><a href="#a">x</a><label for="b">b</label><p aria-describedby="c d">"##;
        assert_eq!(
            prefix_ids(html, "h1-"),
            r##"<h2 id="h1-a">A</h2><a href="#h1-a">x</a><label for="h1-b">b</label><p aria-describedby="h1-c h1-d">"##
        );
    }

    #[test]
    fn headings_shift_down() {
        assert_eq!(
            shift_headings("<h1>a</h1><h2 id=\"x\">b</h2>"),
            "<h2>a</h2><h3 id=\"x\">b</h3>"
        );
    }
}

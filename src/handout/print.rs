//! The article body made ready for paper: a knowledge check's answers moved to the end of the
//! handout, relative links anchored at the article, ids made unique when several
//! handouts share a page. Works on the HTML our Markdown and block renderers write; anything it
//! does not recognise passes through unchanged.

pub use crate::templates::context::{AnswerGroup, AnswerItem};

/// A body ready to print and the answers taken out of it.
#[derive(Debug, Clone, Default)]
pub struct PrintBody {
    pub html: String,
    pub answers: Vec<AnswerGroup>,
}

const QUIZ_OPEN: &str = "<form class=\"quiz";
const ANSWER_OPEN: &str = "<details class=\"quiz-answer\"";

/// Moves every quiz's answers (`<details class="quiz-answer">`) out of the body, into
/// [`PrintBody::answers`], and leaves `note_html` after each quiz that had some.
pub fn move_answers(html: &str, note_html: &str) -> PrintBody {
    let mut out = String::with_capacity(html.len());
    let mut answers = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(QUIZ_OPEN) {
        let Some(len) = rest[start..].find("</form>") else {
            break;
        };
        let end = start + len + "</form>".len();
        out.push_str(&rest[..start]);
        let (form, group) = split_quiz(&rest[start..end]);
        out.push_str(&form);
        if let Some(group) = group {
            out.push('\n');
            out.push_str(note_html);
            answers.push(group);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    PrintBody { html: out, answers }
}

/// One quiz form without its answers, and the answers.
fn split_quiz(form: &str) -> (String, Option<AnswerGroup>) {
    let title_html = element_inner(form, "class=\"quiz-title\"").unwrap_or_default();
    let mut out = String::with_capacity(form.len());
    let mut items = Vec::new();
    let mut at = 0;
    while let Some(rel) = form[at..].find(ANSWER_OPEN) {
        let start = at + rel;
        let Some(end) = matching_close(form, start, "details") else {
            break;
        };
        let before = &form[..start];
        let in_question = before.rfind("<fieldset") > before.rfind("</fieldset>");
        let block = &form[start..end];
        let inner_start = block.find('>').map_or(block.len(), |i| i + 1);
        let inner = &block[inner_start..block.len() - "</details>".len()];
        let (summary, body) = match (inner.find("<summary"), inner.find("</summary>")) {
            (Some(s), Some(e)) => (
                element_inner(&inner[s..], "").unwrap_or_default(),
                format!("{}{}", &inner[..s], &inner[e + "</summary>".len()..]),
            ),
            _ => (String::new(), inner.to_string()),
        };
        let label_html = if in_question {
            before
                .rfind("class=\"quiz-n\"")
                .and_then(|i| before[..i].rfind('<'))
                .and_then(|lt| element_inner(&before[lt..], ""))
                .map(|l| l.trim().trim_end_matches(':').to_string())
                .unwrap_or(summary)
        } else {
            summary
        };
        items.push(AnswerItem {
            label_html,
            html: body.trim().to_string(),
        });
        out.push_str(&form[at..start]);
        at = end;
        // Drop the newline the block stood on.
        if form[at..].starts_with('\n') {
            at += 1;
        }
    }
    out.push_str(&form[at..]);
    let group = (!items.is_empty()).then_some(AnswerGroup { title_html, items });
    (out, group)
}

/// The inner HTML of the first element whose opening tag contains `marker` (or of the element
/// `html` starts with when `marker` is empty).
fn element_inner(html: &str, marker: &str) -> Option<String> {
    let at = if marker.is_empty() {
        0
    } else {
        html.find(marker)?
    };
    let open = html[..=at.min(html.len().saturating_sub(1))].rfind('<')?;
    let name: String = html[open + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let end = matching_close(html, open, &name)?;
    let inner_start = open + html[open..].find('>')? + 1;
    let inner_end = end - format!("</{name}>").len();
    Some(html.get(inner_start..inner_end)?.to_string())
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

/// Text of some HTML, tags removed and the common entities decoded (for the page estimate).
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUIZ: &str = r#"<p>Intro</p>
<form class="quiz quiz-knowledge" id="q">
<h3 class="quiz-title" id="q-title">PCD facts</h3>
<fieldset class="quiz-q" id="q-q1">
<legend><span class="quiz-n">Question 1 of 2:</span> Is it? <span class="quiz-hint">True or false?</span></legend>
<details class="quiz-answer"><summary>Show the answer</summary>
<p><strong>Right answer:</strong> False</p>
</details>
</fieldset>
<fieldset class="quiz-q" id="q-q2">
<legend><span class="quiz-n">Question 2 of 2:</span> And? </legend>
<details class="quiz-answer"><summary>Show the answer</summary>
<p>Yes</p>
</details>
</fieldset>
<details class="quiz-answer"><summary>What your count means</summary>
<ul class="quiz-bands"><li>Fine</li></ul>
</details>
</form>
<p>After</p>"#;

    #[test]
    fn answers_move_to_the_end_in_order() {
        let b = move_answers(QUIZ, "<p class=\"note\">See the end.</p>");
        assert!(!b.html.contains("quiz-answer"), "{}", b.html);
        assert!(
            b.html
                .contains("</form>\n<p class=\"note\">See the end.</p>\n<p>After</p>")
        );
        assert_eq!(b.answers.len(), 1);
        let g = &b.answers[0];
        assert_eq!(g.title_html, "PCD facts");
        let labels: Vec<&str> = g.items.iter().map(|i| i.label_html.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Question 1 of 2",
                "Question 2 of 2",
                "What your count means"
            ]
        );
        assert_eq!(
            g.items[0].html,
            "<p><strong>Right answer:</strong> False</p>"
        );
        assert!(g.items[2].html.contains("quiz-bands"));
    }

    #[test]
    fn body_without_quizzes_is_unchanged() {
        let html = "<p>a <a href=\"/x/\">x</a></p><details><summary>s</summary>t</details>";
        let b = move_answers(html, "NOTE");
        assert_eq!(b.html, html);
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

//! Marking the first use of each glossary term in a page's events: the Markdown stage's
//! [`EventPass`] for the glossary of the page's language.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Glossary, path};
use crate::html::escape;
use crate::markdown::RenderContext;
use crate::markdown::headings::IdSet;
use crate::markdown::pass::EventPass;

impl Glossary {
    /// The first term starting at character `at` of `chars` (whole words, case-insensitive),
    /// skipping terms in `used`: (term index, length in characters).
    fn match_at(
        &self,
        chars: &[char],
        lower: &[char],
        at: usize,
        used: &[bool],
    ) -> Option<(usize, usize)> {
        if at > 0 && is_word(chars[at - 1]) {
            return None;
        }
        self.forms.iter().find_map(|(form, i)| {
            let end = at + form.len();
            let fits = !used[*i]
                && end <= lower.len()
                && lower[at..end] == form[..]
                && (end == chars.len() || !is_word(chars[end]));
            fits.then_some((*i, form.len()))
        })
    }
}

/// Letters, digits and the hyphen join words: `self-aftercare` holds no match for `aftercare`.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// The glossary as the Markdown stage's event pass: marks a page of the glossary's language.
impl EventPass for Glossary {
    fn run(
        &self,
        events: &mut Vec<Event<'_>>,
        ctx: &RenderContext,
        ids: &mut IdSet,
    ) -> Vec<String> {
        if self.lang != ctx.lang {
            return Vec::new();
        }
        mark(
            events,
            self,
            &path(&self.lang, &ctx.config.default_language),
            ids,
        )
    }
}

/// Marks the first use of each term in an article's events: a link to the glossary entry,
/// described by a tooltip holding the definition. Text in headings, links, images, code and
/// raw HTML is left alone (our blocks arrive as raw HTML). Returns the ids of the terms marked.
pub fn mark(
    events: &mut Vec<Event<'_>>,
    glossary: &Glossary,
    glossary_path: &str,
    ids: &mut IdSet,
) -> Vec<String> {
    let mut used = vec![false; glossary.terms.len()];
    let mut marked = Vec::new();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut skip = 0usize;
    let mut pending = String::new();
    let flush = |pending: &mut String,
                 out: &mut Vec<Event>,
                 skip: usize,
                 used: &mut Vec<bool>,
                 marked: &mut Vec<String>,
                 ids: &mut IdSet| {
        if pending.is_empty() {
            return;
        }
        let text = std::mem::take(pending);
        if skip > 0 {
            out.push(Event::Text(CowStr::from(text)));
            return;
        }
        let chars: Vec<char> = text.chars().collect();
        let lower: Vec<char> = chars
            .iter()
            .map(|c| c.to_lowercase().next().unwrap_or(*c))
            .collect();
        let mut last = 0;
        let mut at = 0;
        while at < chars.len() {
            let Some((i, len)) = glossary.match_at(&chars, &lower, at, used) else {
                at += 1;
                continue;
            };
            used[i] = true;
            let term = &glossary.terms[i];
            if at > last {
                out.push(Event::Text(CowStr::from(
                    chars[last..at].iter().collect::<String>(),
                )));
            }
            let words: String = chars[at..at + len].iter().collect();
            let tip = ids.claim(&format!("term-{}", term.id));
            out.push(Event::InlineHtml(CowStr::from(format!(
                "<span class=\"haven-term\"><a class=\"haven-term-link\" href=\"{glossary_path}#{id}\" aria-describedby=\"{tip}\">{w}</a><span class=\"haven-term-tip\" role=\"tooltip\" id=\"{tip}\">{d}</span></span>",
                id = term.id,
                w = escape(&words),
                d = escape(&term.definition),
            ))));
            marked.push(term.id.clone());
            at += len;
            last = at;
        }
        if last < chars.len() {
            out.push(Event::Text(CowStr::from(
                chars[last..].iter().collect::<String>(),
            )));
        }
    };
    for event in events.drain(..) {
        if let Event::Text(t) = &event {
            pending.push_str(t);
            continue;
        }
        flush(&mut pending, &mut out, skip, &mut used, &mut marked, ids);
        match &event {
            Event::Start(
                Tag::Heading { .. }
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::MetadataBlock(_),
            ) => skip += 1,
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::MetadataBlock(_),
            ) => skip = skip.saturating_sub(1),
            // External links arrive as raw `<a ...>` ... `</a>` (see markdown::links).
            Event::InlineHtml(h) if h.starts_with("<a ") || h.as_ref() == "<a>" => skip += 1,
            Event::InlineHtml(h) if h.as_ref() == "</a>" => skip = skip.saturating_sub(1),
            _ => {}
        }
        out.push(event);
    }
    flush(&mut pending, &mut out, skip, &mut used, &mut marked, ids);
    *events = out;
    marked
}

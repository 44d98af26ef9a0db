//! Heading ids (unique per page, `{#custom}` honoured) and the table of contents.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use serde::Serialize;

use crate::slug::slugify;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Ids already used on a page.
#[derive(Debug, Default)]
pub struct IdSet(HashSet<String>);

impl IdSet {
    /// `base`, or `base-1`, `base-2`... whichever is free first.
    pub fn claim(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let mut id = base.to_string();
        let mut n = 1;
        while self.0.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.0.insert(id.clone());
        id
    }
}

/// A heading whose inner events are being collected.
pub struct Pending<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    inner: Vec<Event<'a>>,
    text: String,
}

impl<'a> Pending<'a> {
    pub fn new(
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    ) -> Self {
        Pending {
            level,
            id,
            classes,
            attrs,
            inner: Vec::new(),
            text: String::new(),
        }
    }

    pub fn push(&mut self, event: Event<'a>) {
        if let Event::Text(t) | Event::Code(t) = &event {
            self.text.push_str(t);
        }
        self.inner.push(event);
    }

    /// The heading's events with its final id, and its table-of-contents entry.
    pub fn finish(self, ids: &mut IdSet) -> (Vec<Event<'a>>, TocEntry) {
        let id = match &self.id {
            Some(custom) => ids.claim(custom),
            None => ids.claim(&slugify(&self.text)),
        };
        let mut events = Vec::with_capacity(self.inner.len() + 2);
        events.push(Event::Start(Tag::Heading {
            level: self.level,
            id: Some(CowStr::from(id.clone())),
            classes: self.classes,
            attrs: self.attrs,
        }));
        events.extend(self.inner);
        events.push(Event::End(TagEnd::Heading(self.level)));
        let entry = TocEntry {
            level: self.level as u8,
            id,
            title: self.text.trim().to_string(),
        };
        (events, entry)
    }
}

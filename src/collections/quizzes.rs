//! The quiz index (`/quizzes/`, per language) and a page for each quiz, made from the quiz
//! blocks the pages rendered.

use crate::blocks::quiz::strings::Strings;
use crate::blocks::quiz::types::QuizType;
use crate::blocks::quiz::{QuizData, SCRIPT, STYLE, html, page_html};
use crate::model::Site;
use crate::render::{RenderedContent, Shared};
use crate::templates::context::{CollectionItem, CollectionPage};

/// The quiz index (`/quizzes/`, per language) and a page for each quiz.
pub fn pages(site: &Site, content: &RenderedContent, shared: &Shared) -> Vec<CollectionPage> {
    struct Entry<'c> {
        lang: String,
        quiz: String,
        title: String,
        kind: QuizType,
        count: usize,
        html: &'c str,
        pages: Vec<usize>,
    }
    let mut entries: Vec<Entry> = Vec::new();
    // A fallback page's quizzes are its original's, in the original's language.
    let real = |&(i, _): &(usize, &crate::markdown::Rendered)| !site.pages[i].is_fallback();
    for (i, rendered) in content.pages.iter().enumerate().filter(real) {
        let lang = &site.pages[i].file.lang;
        for (b, data) in rendered
            .blocks
            .iter()
            .filter_map(|b| Some((b, QuizData::of(b)?)))
        {
            let quiz = data.name;
            let title = b.title.clone().unwrap_or_default();
            match entries
                .iter_mut()
                .find(|e| &e.lang == lang && e.quiz == quiz && e.title == title)
            {
                Some(e) => {
                    if !e.pages.contains(&i) {
                        e.pages.push(i);
                    }
                }
                None => entries.push(Entry {
                    lang: lang.clone(),
                    kind: data.kind,
                    count: data.count,
                    quiz,
                    title,
                    html: &b.html,
                    pages: vec![i],
                }),
            }
        }
    }
    let config = shared.config;
    let mut out = Vec::new();
    for lang in config.all_languages() {
        let list: Vec<&Entry> = entries.iter().filter(|e| e.lang == lang).collect();
        if list.is_empty() {
            continue;
        }
        let t = Strings::new(lang, config);
        let prefix = if lang == config.default_language {
            String::new()
        } else {
            format!("/{lang}")
        };
        let mut items = Vec::new();
        let mut used: Vec<String> = Vec::new();
        for e in &list {
            let mut slug = e.quiz.clone();
            let mut n = 2;
            while used.contains(&slug) {
                slug = format!("{}-{n}", e.quiz);
                n += 1;
            }
            used.push(slug.clone());
            let path = format!("{prefix}/quizzes/{slug}/");
            let links: Vec<String> = e
                .pages
                .iter()
                .map(|&p| {
                    format!(
                        "<a href=\"{}\">{}</a>",
                        html::esc(&site.pages[p].path),
                        html::esc(&site.pages[p].front.title)
                    )
                })
                .collect();
            let summary = t.fill(&format!("summary_{}", e.kind.name()), 0, e.count);
            items.push(CollectionItem {
                title: e.title.clone(),
                id: slug.clone(),
                path: Some(path.clone()),
                html: (links.len() > 1).then(|| {
                    format!(
                        "<p class=\"quiz-also\">{} {}</p>",
                        html::esc(t.get("appears_in")),
                        links.join(", ")
                    )
                }),
                summary: Some(summary.clone()),
                from: (links.len() == 1).then(|| shared.page_links[e.pages[0]].clone()),
            });
            // The quiz's own page: its title is the page's h1, so the quiz's heading moves up.
            let body = page_html(e.html);
            let from = format!(
                "<p class=\"quiz-from\">{} {}</p>\n",
                html::esc(t.get("appears_in")),
                links.join(", ")
            );
            out.push(CollectionPage {
                kind: "quiz".to_string(),
                path,
                lang: lang.to_string(),
                title: e.title.clone(),
                description: Some(summary),
                intro_html: Some(format!("{body}{from}")),
                items: Vec::new(),
                styles: vec![STYLE.to_string()],
                scripts: vec![SCRIPT.to_string()],
            });
        }
        out.push(CollectionPage {
            kind: "quizzes".to_string(),
            path: format!("{prefix}/quizzes/"),
            lang: lang.to_string(),
            title: t.get("index_title").to_string(),
            description: Some(t.get("index_description").to_string()),
            intro_html: Some(format!(
                "<p>{}</p>\n",
                html::esc(t.get("index_description"))
            )),
            items,
            styles: Vec::new(),
            scripts: Vec::new(),
        });
    }
    out
}

//! The scripts page: every script of a language, in site order, each linking back to its article.
//! `/scripts/` for the default language, `/LANG/scripts/` for the others.

use crate::blocks::script::html::{self, Mode, ScriptData};
use crate::markdown::headings::IdSet;
use crate::model::{Site, Target};
use crate::render::{RenderedContent, Shared};
use crate::templates::context::{CollectionItem, CollectionPage, PageLink};

/// The scripts page's path in a language.
pub fn path(lang: &str, default_language: &str) -> String {
    if lang == default_language {
        "/scripts/".to_string()
    } else {
        format!("/{lang}/scripts/")
    }
}

pub fn pages(site: &Site, content: &RenderedContent, shared: &Shared) -> Vec<CollectionPage> {
    let config = shared.config;
    let mut pages = Vec::new();
    for lang in config.all_languages() {
        let mut ids = IdSet::default();
        let mut items = Vec::new();
        let targets = site
            .pages
            .ids()
            .map(Target::Page)
            .chain(site.sections.ids().map(Target::Section));
        for target in targets {
            let (rendered, page_lang, from) = match target {
                Target::Page(i) => {
                    let p = &site.pages[i];
                    (
                        &content.pages[i],
                        p.file.lang.as_str(),
                        shared.page_links[i].clone(),
                    )
                }
                Target::Section(i) => {
                    let s = &site.sections[i];
                    let link = &shared.section_links[i];
                    let from = PageLink {
                        title: link.title.clone(),
                        description: link.description.clone(),
                        path: link.path.clone(),
                        permalink: link.permalink.clone(),
                        date: None,
                        reading_time: crate::readability::reading_time(content.sections[i].words),
                        lang: s.lang.clone(),
                        fallback: None,
                    };
                    (&content.sections[i], s.lang.as_str(), from)
                }
            };
            // A fallback page's scripts are its original's, in the original's language.
            let fallback = matches!(target, Target::Page(i) if site.pages[i].is_fallback());
            if page_lang != lang || fallback {
                continue;
            }
            for (output, script) in rendered
                .blocks
                .iter()
                .filter_map(|b| Some((b, ScriptData::of(b)?)))
            {
                let block_id = output.id.clone().unwrap_or_else(|| "script".to_string());
                let item_id = ids.claim(&block_id);
                let labelled_by = format!("{item_id}-title");
                ids.claim(&labelled_by);
                let html = html::render(
                    &script,
                    config,
                    lang,
                    Mode::Collection {
                        labelled_by: &labelled_by,
                    },
                    &mut |base| ids.claim(base),
                );
                items.push(CollectionItem {
                    title: script.title(),
                    id: item_id,
                    path: Some(format!("{}#{block_id}", from.path)),
                    html: Some(html),
                    summary: None,
                    from: Some(from.clone()),
                });
            }
        }
        if items.is_empty() {
            continue;
        }
        let t = |key: &str| crate::i18n::text(config, lang, key);
        pages.push(CollectionPage {
            kind: "scripts".into(),
            path: path(lang, &config.default_language),
            lang: lang.to_string(),
            title: t("scripts_title").into(),
            description: Some(t("scripts_description").into()),
            intro_html: Some(format!(
                "<p>{}</p>",
                crate::html::escape(t("scripts_intro"))
            )),
            items,
            styles: vec!["/haven/script.css".into()],
            scripts: vec!["/haven/script.js".into()],
        });
    }
    pages
}

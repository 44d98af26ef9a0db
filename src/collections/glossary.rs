//! The glossary page of each language: every term of the language's glossary, in alphabetical
//! order, made from the glossary data ([`crate::glossary`]) the build parsed.

use crate::config::Config;
use crate::glossary::{Glossary, Term, path};
use crate::html::escape;
use crate::templates::context::{CollectionItem, CollectionPage};

/// The glossary page: every term in alphabetical order.
pub fn collection_page(glossary: &Glossary, config: &Config) -> CollectionPage {
    let t = |key: &str| crate::i18n::text(config, &glossary.lang, key);
    let also = escape(t("glossary_also"));
    let mut terms: Vec<&Term> = glossary.terms.iter().collect();
    terms.sort_by_key(|t| t.term.to_lowercase());
    let items = terms
        .into_iter()
        .map(|t| CollectionItem {
            title: t.term.clone(),
            id: t.id.clone(),
            path: None,
            html: (!t.also.is_empty()).then(|| {
                format!(
                    "<p class=\"haven-glossary-also\">{}: {}</p>",
                    also,
                    t.also
                        .iter()
                        .map(|a| escape(a))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }),
            summary: Some(t.definition.clone()),
            from: None,
        })
        .collect();
    CollectionPage {
        kind: "glossary".into(),
        path: path(&glossary.lang, &config.default_language),
        lang: glossary.lang.clone(),
        title: t("glossary_title").into(),
        description: Some(t("glossary_description").into()),
        intro_html: Some(format!("<p>{}</p>", escape(t("glossary_intro")))),
        items,
        styles: Vec::new(),
        scripts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;

    #[test]
    fn the_site_glossary_parses_and_makes_a_page() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/content/glossary.toml"
        ))
        .unwrap();
        let g =
            Glossary::parse(&Arc::from(text), Path::new("content/glossary.toml"), "en").unwrap();
        assert!(g.terms.len() >= 10);
        let config = Config::default();
        let page = collection_page(&g, &config);
        assert_eq!(page.path, "/glossary/");
        assert_eq!(page.items[0].title, "aftercare");
        assert!(page.items.iter().any(|i| i.id == "post-coital-dysphoria"));
    }
}

//! The words handouts print: the `handout_*` and `handouts_*` UI strings of the handout's
//! language (`src/i18n/LANG.toml`, under the theme's and the site's `i18n/LANG.toml`;
//! docs/i18n.md). Templates read them as `h.handout_answers`.

use std::collections::BTreeMap;

/// The handout strings of `lang`: the resolved UI strings of that language (`ui`), any key they
/// lack from Haven's own strings of the language, else Haven's English.
pub fn for_lang(lang: &str, ui: Option<&BTreeMap<String, String>>) -> BTreeMap<String, String> {
    let english = crate::i18n::builtin(crate::i18n::FALLBACK);
    let own = crate::i18n::builtin(lang).or_else(|| {
        lang.split_once(['-', '_'])
            .and_then(|(base, _)| crate::i18n::builtin(base))
    });
    english
        .into_iter()
        .flat_map(|m| m.iter())
        .filter(|(k, _)| k.starts_with("handout"))
        .map(|(k, en)| {
            let text = ui
                .and_then(|ui| ui.get(k))
                .or_else(|| own.and_then(|m| m.get(k)))
                .unwrap_or(en);
            (k.clone(), text.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_strings_win() {
        let mut ui = BTreeMap::new();
        ui.insert("handout_answers".to_string(), "Solutions".to_string());
        ui.insert("unrelated".to_string(), "x".to_string());
        let s = for_lang("en", Some(&ui));
        assert_eq!(s["handout_answers"], "Solutions");
        assert!(!s.contains_key("unrelated"));
        assert_eq!(for_lang("es", None)["handout_answers"], "Respuestas");
        assert_eq!(for_lang("es-MX", None)["handout_answers"], "Respuestas");
        assert_eq!(for_lang("sw", None)["handout_answers"], "Answers");
    }
}

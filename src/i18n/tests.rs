use std::path::Path;

use super::*;

#[test]
fn every_builtin_pack_parses_and_has_every_english_key() {
    let english = builtin(FALLBACK).expect("Haven ships English");
    assert!(english.len() > 150, "{}", english.len());
    for (lang, text) in BUILTIN_STRINGS {
        let pack: BTreeMap<String, String> = toml::from_str(text)
            .unwrap_or_else(|e| panic!("src/i18n/{lang}.toml does not parse: {e}"));
        let missing: Vec<&String> = english.keys().filter(|k| !pack.contains_key(*k)).collect();
        assert!(missing.is_empty(), "src/i18n/{lang}.toml lacks {missing:?}");
        let extra: Vec<&String> = pack.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(
            extra.is_empty(),
            "src/i18n/{lang}.toml has unknown keys {extra:?}"
        );
        assert!(
            pack.values().all(|v| !v.trim().is_empty() || v == " "),
            "src/i18n/{lang}.toml has an empty string"
        );
    }
}

fn config(text: &str) -> Config {
    Config::parse(text, Path::new("haven.toml")).unwrap()
}

#[test]
fn a_language_without_a_pack_borrows_english_never_the_default_language() {
    let config = config("default_language = \"es\"\n[languages.sw]\nname = \"Kiswahili\"\n");
    let theme = Theme::load(Path::new("/nonexistent"), "guide").unwrap();
    let root = tempfile::tempdir().unwrap();
    let r = resolve(&theme, root.path(), &config).unwrap();
    assert_eq!(
        r.strings["es"]["skip_link"],
        "Saltar al contenido principal"
    );
    assert_eq!(r.strings["sw"]["skip_link"], "Skip to main content");
    assert_eq!(r.strings["sw"]["month_3"], "March");
    // No word of Swahili's own: its name is its code, unless the site names it.
    assert_eq!(r.strings["sw"]["language_name"], "sw");
    assert_eq!(r.borrowed["sw"]["skip_link"], Borrowed::English);
    assert_eq!(r.borrowed["sw"]["language_name"], Borrowed::Code);
    assert!(!r.borrowed.contains_key("es"), "{:?}", r.borrowed.get("es"));
}

#[test]
fn a_regional_language_uses_its_base_language() {
    let config = config("default_language = \"es-MX\"\n");
    let r = resolve_builtin(&config);
    assert_eq!(r["es-MX"]["callout_tip"], "Consejo");
    assert_eq!(text(&config, "es-MX", "month_1"), "enero");
}

#[test]
fn site_over_theme_over_haven_and_a_site_key_of_its_own_never_fails() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    std::fs::create_dir_all(r.join("themes/mine/i18n")).unwrap();
    std::fs::write(r.join("themes/mine/theme.toml"), "parent = \"guide\"\n").unwrap();
    std::fs::write(
        r.join("themes/mine/i18n/en.toml"),
        "skip_link = \"Theme skip\"\nhome = \"Theme home\"\n",
    )
    .unwrap();
    std::fs::create_dir(r.join("i18n")).unwrap();
    std::fs::write(
        r.join("i18n/en.toml"),
        "home = \"Site home\"\ndonate = \"Donate\"\n",
    )
    .unwrap();
    std::fs::write(r.join("i18n/es.toml"), "quiz_check = \"¡Comprobar!\"\n").unwrap();
    let config =
        config("[languages.es]\nname = \"Español\"\n[languages.fr]\nname = \"Français\"\n");
    let theme = Theme::load(r, "mine").unwrap();
    let resolved = resolve(&theme, r, &config).unwrap();
    let en = &resolved.strings["en"];
    assert_eq!(en["skip_link"], "Theme skip");
    assert_eq!(en["home"], "Site home");
    assert_eq!(en["donate"], "Donate");
    let es = &resolved.strings["es"];
    assert_eq!(es["quiz_check"], "¡Comprobar!");
    assert_eq!(es["home"], "Inicio");
    // The site's English key, which Spanish lacks, is the English text.
    assert_eq!(es["donate"], "Donate");
    assert_eq!(resolved.borrowed["es"]["donate"], Borrowed::English);
}

#[test]
fn a_key_only_another_language_has_comes_from_the_default_language() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    std::fs::create_dir(r.join("i18n")).unwrap();
    std::fs::write(r.join("i18n/fr.toml"), "donner = \"Faire un don\"\n").unwrap();
    let config = config("default_language = \"fr\"\n[languages.sw]\nname = \"Kiswahili\"\n");
    let theme = Theme::load(r, "guide").unwrap();
    let resolved = resolve(&theme, r, &config).unwrap();
    assert_eq!(resolved.strings["sw"]["donner"], "Faire un don");
    assert_eq!(
        resolved.borrowed["sw"]["donner"],
        Borrowed::Other("fr".to_string())
    );
    let warnings = missing_warnings(&theme, r, &config);
    let sw = warnings
        .iter()
        .find(|w| w.message.contains("missing in `sw`"))
        .expect("a warning for sw");
    assert!(sw.message.contains("`donner`"), "{}", sw.message);
    assert!(
        sw.message
            .contains("the `fr` text where no English file has the key"),
        "{}",
        sw.message
    );
}

#[test]
fn long_dates_follow_the_language_order() {
    let es = builtin("es").unwrap();
    assert_eq!(long_date(es, 20, 11, 2026), "20 de noviembre de 2026");
    let en = builtin("en").unwrap();
    assert_eq!(long_date(en, 1, 2, 2026), "1 February 2026");
    let mut custom = BTreeMap::new();
    custom.insert("date_long".to_string(), "{month} {day}, {year}".to_string());
    custom.insert("month_2".to_string(), "Feb.".to_string());
    assert_eq!(long_date(&custom, 1, 2, 2026), "Feb. 1, 2026");
}

//! `haven.toml`: the site's settings, typed, with a default for everything optional.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub mod clinics;
pub mod handouts;
pub mod search;
pub mod translations;

use crate::diagnostic::{Diagnostic, short_unknown_field, suggest_for_unknown_field};

pub const CONFIG_FILE: &str = "haven.toml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute URL the site is published at, e.g. `https://guide.example.org/`.
    pub base_url: String,
    /// Language of the content that carries no language suffix.
    pub default_language: String,
    /// Other languages, by code: `[languages.es] name = "Español"`.
    pub languages: BTreeMap<String, LanguageConfig>,
    pub theme: String,
    /// Output folder, relative to the site root.
    pub output_dir: String,
    pub markdown: MarkdownConfig,
    /// Write an Atom feed at `atom.xml`.
    pub generate_feed: bool,
    pub quick_exit: QuickExitConfig,
    /// "Where to get help", shown in the same place on every page.
    pub help: HelpConfig,
    pub clinic: Option<ClinicConfig>,
    /// Clinic profiles by name, chosen with `haven build --clinic NAME` (docs/handouts.md).
    pub clinics: clinics::Profiles,
    /// `[handouts] paper = "a4" | "letter"`, `default = false` (docs/handouts.md).
    pub handouts: handouts::HandoutsConfig,
    pub quiz: QuizConfig,
    pub readability: ReadabilityConfig,
    pub colors: ColorsConfig,
    /// What `haven check` requires of pages.
    pub check: CheckConfig,
    /// `[search] enabled = true`: the search index, page and box (docs/search.md).
    pub search: search::SearchConfig,
    /// `[translations] fallback_pages = true`: pages a language lacks are shown in the original
    /// language under a notice (docs/translations.md).
    pub translations: translations::TranslationsConfig,
    /// The clinic details are made-up samples (the example site): handouts carry a "Sample
    /// handout" banner and `haven check` reports the placeholders as notes (src/placeholders.rs).
    pub sample_details: bool,
    /// Free-form values for themes.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Building the offline copy (`haven build --offline DIR`, docs/offline.md): not a setting of
    /// haven.toml. Themes leave out what would store anything in the browser.
    #[serde(skip)]
    pub offline: bool,
    /// The UI strings of every language, resolved from the i18n files by the build
    /// (`i18n::resolve`), by language then key; never read from haven.toml. Serialized, so the Markdown
    /// cache's key changes when a string does (callouts, quizzes and scripts carry them).
    #[serde(skip_deserializing)]
    pub ui: BTreeMap<String, BTreeMap<String, String>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Haven site".into(),
            description: String::new(),
            base_url: "http://127.0.0.1:1111/".into(),
            default_language: "en".into(),
            languages: BTreeMap::new(),
            theme: "guide".into(),
            output_dir: "public".into(),
            markdown: MarkdownConfig::default(),
            generate_feed: true,
            quick_exit: QuickExitConfig::default(),
            help: HelpConfig::default(),
            clinic: None,
            clinics: BTreeMap::new(),
            handouts: handouts::HandoutsConfig::default(),
            quiz: QuizConfig::default(),
            readability: ReadabilityConfig::default(),
            colors: ColorsConfig::default(),
            check: CheckConfig::default(),
            search: search::SearchConfig::default(),
            translations: translations::TranslationsConfig::default(),
            sample_details: false,
            extra: BTreeMap::new(),
            offline: false,
            ui: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageConfig {
    /// The language's own name, for the switcher ("Español").
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Right-to-left script. Unset: right-to-left for Arabic, Hebrew, Persian, Urdu and the
    /// other languages in [`RTL_LANGUAGES`] (any regional variant), left-to-right otherwise; set
    /// either way to override.
    pub rtl: Option<bool>,
}

/// Languages written right to left (primary subtags): Arabic, Hebrew, Persian, Urdu, Pashto,
/// Sindhi, Uyghur, Kurdish (Sorani), Dhivehi, Yiddish.
pub const RTL_LANGUAGES: &[&str] = &["ar", "he", "fa", "ur", "ps", "sd", "ug", "ckb", "dv", "yi"];

/// Right-to-left script subtags (`pa-Arab`, `az-Arab`): Arabic, Hebrew, Thaana, Syriac, N'Ko,
/// Adlam.
const RTL_SCRIPTS: &[&str] = &["arab", "hebr", "thaa", "syrc", "nkoo", "adlm"];

/// Whether a language code (`ar`, `ar-EG`, `fa_IR`, `pa-Arab`) names a right-to-left language by
/// default.
pub fn is_rtl_language(code: &str) -> bool {
    let mut subtags = code.split(['-', '_']);
    let primary = subtags.next().unwrap_or(code);
    RTL_LANGUAGES
        .iter()
        .any(|l| l.eq_ignore_ascii_case(primary))
        || subtags.any(|t| RTL_SCRIPTS.iter().any(|s| s.eq_ignore_ascii_case(t)))
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Curly quotes, dashes and ellipses.
    pub smart_punctuation: bool,
    /// `rel="noopener noreferrer"` on links to other sites.
    pub external_links_noopener: bool,
    /// Open links to other sites in a new tab (off by default: it surprises screen-reader users).
    pub external_links_new_tab: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            external_links_noopener: true,
            external_links_new_tab: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuickExitConfig {
    pub enabled: bool,
    /// A neutral page to leave for.
    pub url: String,
    /// The site's page on staying private (what quick exit can and cannot do).
    pub info_path: Option<String>,
}

impl Default for QuickExitConfig {
    fn default() -> Self {
        QuickExitConfig {
            enabled: true,
            url: "https://www.bbc.co.uk/weather".into(),
            info_path: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HelpConfig {
    pub title: Option<String>,
    pub contacts: Vec<HelpContact>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HelpContact {
    pub name: String,
    pub phone: Option<String>,
    pub url: Option<String>,
    pub hours: Option<String>,
    pub note: Option<String>,
    /// Language code; empty means every language.
    pub lang: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClinicConfig {
    pub name: String,
    /// Path of the logo inside `static/`.
    pub logo: Option<String>,
    pub address: Vec<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hours: Vec<String>,
    pub website: Option<String>,
    /// Free text: "Talk to us: ...".
    pub talk_to_us: Option<String>,
    /// The block's text in other languages, by language code: `[clinic.translations.es]`.
    #[serde(skip_serializing)]
    pub translations: BTreeMap<String, ClinicText>,
}

/// The parts of the clinic block written in words, in one language; unset keys keep the
/// block's own.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClinicText {
    pub name: Option<String>,
    pub address: Option<Vec<String>>,
    pub hours: Option<Vec<String>>,
    pub website: Option<String>,
    pub talk_to_us: Option<String>,
}

impl ClinicConfig {
    /// The block as readers of `lang` see it.
    pub fn in_language(&self, lang: &str) -> ClinicConfig {
        let mut block = ClinicConfig {
            translations: BTreeMap::new(),
            ..self.clone()
        };
        if let Some(t) = self.translations.get(lang) {
            let t = t.clone();
            block.name = t.name.unwrap_or(block.name);
            block.address = t.address.unwrap_or(block.address);
            block.hours = t.hours.unwrap_or(block.hours);
            block.website = t.website.or(block.website);
            block.talk_to_us = t.talk_to_us.or(block.talk_to_us);
        }
        block
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuizConfig {
    /// Offer readers an opt-in "remember my answers" (kept in the browser only).
    pub remember_answers: bool,
    /// Show every quiz's options in a random order per page load (a quiz's `shuffle:` wins).
    pub shuffle: bool,
    /// Deprecated: quiz interface text by language, `[quiz.strings.es] check = "..."`, read as
    /// the site's `quiz_check` in `i18n/es.toml` (the `i18n` module); `haven check` says to move it.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReadabilityConfig {
    /// Highest acceptable Flesch-Kincaid grade, 1 to [`MAX_GRADE`].
    #[serde(deserialize_with = "max_grade")]
    pub max_grade: f64,
}

/// The highest `max_grade`: grade 20 is already postgraduate text.
pub const MAX_GRADE: f64 = 20.0;

/// The highest `max_paragraph_words`.
pub const MAX_PARAGRAPH_WORDS: usize = 10_000;

fn max_grade<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let grade = f64::deserialize(d)?;
    if (1.0..=MAX_GRADE).contains(&grade) {
        Ok(grade)
    } else {
        Err(serde::de::Error::custom(format!(
            "`max_grade` is {grade}; it must be a reading grade from 1 to {MAX_GRADE} (8 suits most readers)"
        )))
    }
}

fn max_paragraph_words<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let words = i64::deserialize(d)?;
    match usize::try_from(words) {
        Ok(w) if (1..=MAX_PARAGRAPH_WORDS).contains(&w) => Ok(w),
        _ => Err(serde::de::Error::custom(format!(
            "`max_paragraph_words` is {words}; it must be a whole number from 1 to {MAX_PARAGRAPH_WORDS}"
        ))),
    }
}

impl Default for ReadabilityConfig {
    fn default() -> Self {
        ReadabilityConfig { max_grade: 8.0 }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckConfig {
    /// Sections (folders under content/) whose pages state facts: they need sources and a review.
    /// Empty means every page.
    pub factual_sections: Vec<String>,
    /// Warn when a factual page has no `sources`.
    pub require_sources: bool,
    /// Warn when a factual page has no `reviewed_on`, or its review is overdue.
    pub require_review: bool,
    /// Paragraphs longer than this many words are hard to read and to print (1 to
    /// [`MAX_PARAGRAPH_WORDS`]).
    #[serde(deserialize_with = "max_paragraph_words")]
    pub max_paragraph_words: usize,
    /// URL prefixes `haven check --external` never fetches (sites that refuse automated checks,
    /// links that need a login): `external_skip = ["https://example.org/"]`.
    pub external_skip: Vec<String>,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            factual_sections: Vec::new(),
            require_sources: false,
            require_review: false,
            max_paragraph_words: 150,
            external_skip: Vec::new(),
        }
    }
}

/// Brand colours, emitted as CSS custom properties; themes keep contrast-safe defaults.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ColorsConfig {
    pub accent: Option<String>,
    pub accent_dark: Option<String>,
    /// Logo in `static/` for any theme.
    pub logo: Option<String>,
}

/// A theme name that is one plain folder name: letters, digits, `-`, `_` and `.`, not starting
/// with `.`, so `themes/NAME` can never lead out of `themes/`.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A BCP 47-shaped language code (`en`, `es`, `pt-BR`, `zh-Hant`): it names folders and URL
/// segments, so it must be a plain, non-empty word.
pub fn is_language_code(code: &str) -> bool {
    (1..=35).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_alphabetic())
        && !code.ends_with('-')
        && !code.contains("--")
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

impl Config {
    /// Reads `haven.toml` from `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(format!("could not read {CONFIG_FILE}: {e}"))
                .in_file(&path)
                .with_help(format!(
                    "run Haven in a site folder (one holding {CONFIG_FILE}), pass --root DIR, or create one with `haven new DIR`"
                ))
        })?;
        Config::parse(&text, Path::new(CONFIG_FILE))
    }

    pub fn parse(text: &str, display_path: &Path) -> Result<Config, Diagnostic> {
        let source: Arc<str> = Arc::from(text);
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let (start, end) = e.span().map_or((0, 0), |s| (s.start, s.end));
            let message = e.message().trim().to_string();
            let mut d = Diagnostic::error(format!(
                "invalid {CONFIG_FILE}: {}",
                short_unknown_field(&message)
            ))
            .in_file(display_path)
            .at(&source, start, end);
            if let Some(help) = suggest_for_unknown_field(&message) {
                d = d.with_help(help);
            }
            d
        })?;
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        if !is_plain_name(&config.theme) {
            #[derive(Deserialize)]
            struct ThemeAt {
                theme: Option<toml::Spanned<String>>,
            }
            let (start, end) = toml::from_str::<ThemeAt>(text)
                .ok()
                .and_then(|t| t.theme)
                .map_or((0, 0), |t| (t.span().start, t.span().end));
            return Err(Diagnostic::error(format!(
                "theme = {:?} is not a theme name: a theme is named, not given as a path",
                config.theme
            ))
            .in_file(display_path)
            .at(&source, start, end)
            .with_help(
                "write the name of a built-in theme or of a folder in themes/, such as theme = \"guide\" \
                 (letters, digits, `-`, `_` and `.`, without `/`, `\\` or a leading `.`)",
            ));
        }
        for code in config.all_languages() {
            if !is_language_code(code) {
                let at = if code == config.default_language {
                    text.find("default_language")
                } else {
                    text.find(&format!("languages.{code}"))
                        .or_else(|| text.find(&format!("languages.\"{code}\"")))
                        .or_else(|| text.find("languages"))
                }
                .unwrap_or(0);
                let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
                return Err(Diagnostic::error(format!(
                    "`{code}` is not a language code"
                ))
                .in_file(display_path)
                .at(&source, at, end)
                .with_help("write a language code such as \"en\", \"es\" or \"pt-BR\": letters, digits and hyphens, starting with a letter, at most 35 characters"));
            }
        }
        if config.languages.contains_key(&config.default_language) {
            let at = text.find("[languages").unwrap_or(0);
            return Err(Diagnostic::error(format!(
                "`{}` is the default language and must not be listed under [languages]",
                config.default_language
            ))
            .in_file(display_path)
            .at(&source, at, at + 10)
            .with_help("list only the other languages under [languages]"));
        }
        Ok(config)
    }

    /// Every language of the site, the default first.
    pub fn all_languages(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.default_language.as_str())
            .chain(self.languages.keys().map(|k| k.as_str()))
    }

    pub fn is_language(&self, code: &str) -> bool {
        code == self.default_language || self.languages.contains_key(code)
    }

    pub fn is_rtl(&self, lang: &str) -> bool {
        self.languages
            .get(lang)
            .and_then(|l| l.rtl)
            .unwrap_or_else(|| is_rtl_language(lang))
    }

    /// Absolute URL for a site path like `/aftercare/`.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_takes_defaults() {
        let c = Config::parse("", Path::new("haven.toml")).unwrap();
        assert_eq!(c.theme, "guide");
        assert_eq!(c.output_dir, "public");
        assert!(c.quick_exit.enabled);
        assert_eq!(c.readability.max_grade, 8.0);
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        let err = Config::parse(
            "title = \"x\"\nthem = \"clinic\"\n",
            Path::new("haven.toml"),
        )
        .unwrap_err();
        assert_eq!(err.line_col(), Some((2, 1)));
        assert!(
            err.message.contains("unknown field `them`"),
            "{}",
            err.message
        );
        assert_eq!(err.help.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn nested_unknown_key_is_suggested() {
        let err =
            Config::parse("[quick_exit]\nurll = \"x\"\n", Path::new("haven.toml")).unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `url`?"));
    }

    #[test]
    fn external_skip_is_a_check_option() {
        let c = Config::parse(
            "[check]\nexternal_skip = [\"https://a.org/\"]\n",
            Path::new("haven.toml"),
        )
        .unwrap();
        assert_eq!(c.check.external_skip, ["https://a.org/"]);
        let err = Config::parse(
            "[check]\nexternal_skips = [\"https://a.org/\"]\n",
            Path::new("haven.toml"),
        )
        .unwrap_err();
        assert_eq!(err.line_col(), Some((2, 1)));
        assert_eq!(err.help.as_deref(), Some("did you mean `external_skip`?"));
    }

    #[test]
    fn theme_must_be_a_plain_name() {
        for bad in ["../../x", "/etc", "a/b", "..", ".hidden", "", "a\\b"] {
            let text = format!("title = \"T\"\ntheme = {bad:?}\n");
            let err = Config::parse(&text, Path::new("haven.toml")).unwrap_err();
            assert_eq!(err.line_col(), Some((2, 9)), "{bad}");
        }
        for good in ["guide", "clinic", "my-theme_2", "théme.v2"] {
            let text = format!("theme = {good:?}\n");
            assert!(
                Config::parse(&text, Path::new("haven.toml")).is_ok(),
                "{good}"
            );
        }
    }

    #[test]
    fn numbers_out_of_range_are_located() {
        for (text, at, says) in [
            (
                "[readability]\nmax_grade = 1e308\n",
                (2, 13),
                "from 1 to 20",
            ),
            ("[readability]\nmax_grade = nan\n", (2, 13), "from 1 to 20"),
            (
                "[check]\nmax_paragraph_words = 0\n",
                (2, 23),
                "from 1 to 10000",
            ),
            (
                "[check]\nmax_paragraph_words = -1\n",
                (2, 23),
                "from 1 to 10000",
            ),
        ] {
            let err = Config::parse(text, Path::new("haven.toml")).unwrap_err();
            assert_eq!(err.line_col(), Some(at), "{text}: {err}");
            assert!(err.message.contains(says), "{text}: {err}");
        }
        let c = Config::parse("[readability]\nmax_grade = 10\n", Path::new("haven.toml")).unwrap();
        assert_eq!(c.readability.max_grade, 10.0);
    }

    #[test]
    fn language_codes_are_plain_words() {
        let err = Config::parse(
            "title = \"x\"\ndefault_language = \"\"\n",
            Path::new("haven.toml"),
        )
        .unwrap_err();
        assert_eq!(err.line_col(), Some((2, 1)), "{err}");
        assert!(err.message.contains("`` is not a language code"), "{err}");
        let err = Config::parse(
            "[languages.\"a/b\"]\nname = \"x\"\n",
            Path::new("haven.toml"),
        )
        .unwrap_err();
        assert_eq!(err.line_col(), Some((1, 2)), "{err}");
        assert!(
            Config::parse(
                "[languages.pt-BR]\nname = \"Português\"\n",
                Path::new("haven.toml")
            )
            .is_ok()
        );
    }

    #[test]
    fn base_url_gets_trailing_slash() {
        let c = Config::parse(
            "base_url = \"https://a.org/guide\"",
            Path::new("haven.toml"),
        )
        .unwrap();
        assert_eq!(c.absolute_url("/x/"), "https://a.org/guide/x/");
    }
}

//! The quiz's interface text: the `quiz_*` UI strings of the page's language (`src/i18n/LANG.toml`,
//! over which the theme's and the site's `i18n/LANG.toml` win; docs/i18n.md). Here the quiz
//! asks for them without the prefix: `get("check")` is `quiz_check`. `{n}`, `{total}` and
//! `{names}` are filled in. The deprecated `[quiz.strings.LANG]` tables of `haven.toml` are read
//! as the site's `quiz_*` strings (crate::i18n).

use crate::config::Config;

/// The keys the script reads, from the form's `data-t-*` attributes, in the order written.
pub const JS_KEYS: &[&str] = &[
    "js_correct",
    "js_wrong",
    "js_unanswered",
    "js_pick",
    "js_yours_right",
    "js_yours_wrong",
    "js_missed",
    "js_score",
    "js_review",
    "js_question",
    "js_ticked",
    "js_moved",
    "js_step_right",
    "js_step_wrong",
    "js_flag_title",
    "js_flag_ticked",
    "js_result",
    "js_tie",
    "js_none",
    "js_and",
    "js_reset",
    "js_cleared",
];

/// The strings of one language.
pub struct Strings<'a> {
    lang: &'a str,
    config: &'a Config,
}

impl<'a> Strings<'a> {
    pub fn new(lang: &'a str, config: &'a Config) -> Self {
        Strings { lang, config }
    }

    pub fn get(&self, key: &str) -> &'a str {
        crate::i18n::text(self.config, self.lang, &format!("quiz_{key}"))
    }

    /// `get(key)` with `{n}` and `{total}` filled in.
    pub fn fill(&self, key: &str, n: usize, total: usize) -> String {
        self.get(key)
            .replace("{n}", &n.to_string())
            .replace("{total}", &total.to_string())
    }
}

/// Every key (without its `quiz_` prefix), from Haven's English strings.
pub fn keys() -> impl Iterator<Item = &'static str> {
    crate::i18n::builtin(crate::i18n::FALLBACK)
        .into_iter()
        .flat_map(|m| m.keys())
        .filter_map(|k| k.strip_prefix("quiz_"))
}

//! A script as HTML: a labelled region holding the title, the speakers, the dialogue as a
//! description list (each line's speaker is visible text, so nothing relies on colour), notes,
//! variations, and a copy button that the script (`script.js`) reveals.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::{Item, Script};
use crate::blocks::BlockContext;
use crate::config::Config;
use crate::html::{escape, text_of};

/// Where the script is shown.
pub enum Mode<'a> {
    /// In its article, with its own title; `id` is the element id.
    Page { id: &'a str },
    /// On the scripts page, inside an entry that already shows the title (`labelled_by`).
    Collection { labelled_by: &'a str },
}

/// The `script_*` UI strings of a page's language (docs/i18n.md).
pub struct Strings<'a> {
    pub kind: &'a str,
    pub speakers: &'a str,
    pub copy: &'a str,
    pub copied: &'a str,
    pub failed: &'a str,
    pub note: &'a str,
    pub variation: &'a str,
}

pub fn strings<'a>(config: &'a Config, lang: &str) -> Strings<'a> {
    let t = |key: &str| crate::i18n::text(config, lang, key);
    Strings {
        kind: t("script_kind"),
        speakers: t("script_speakers"),
        copy: t("script_copy"),
        copied: t("script_copied"),
        failed: t("script_copy_failed"),
        note: t("script_note"),
        variation: t("script_variation"),
    }
}

/// A script with its Markdown rendered: what its article and the scripts page show, kept in
/// the block's [`crate::blocks::BlockOutput::data`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptData {
    pub title_html: String,
    /// The speakers as written.
    pub speakers: Vec<String>,
    /// The dialogue before any variation.
    pub main: Vec<Shown>,
    /// Each variation's title (HTML) and dialogue.
    pub variations: Vec<(String, Vec<Shown>)>,
}

/// A line or a note, its words rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shown {
    /// `speaker` indexes [`ScriptData::speakers`].
    Line {
        speaker: usize,
        html: String,
    },
    Note {
        html: String,
    },
}

impl ScriptData {
    /// The data of a script block; `None` for a block of another kind.
    pub fn of(block: &crate::blocks::BlockOutput) -> Option<ScriptData> {
        (block.kind == "script")
            .then(|| block.data.decode())
            .flatten()
    }

    /// The title as plain text.
    pub fn title(&self) -> String {
        text_of(&self.title_html)
    }
}

/// Renders the script's Markdown (title, lines, notes, variation titles), in reading order.
pub fn prepare(script: &Script, ctx: &mut BlockContext) -> ScriptData {
    let shown = |items: &[Item], ctx: &mut BlockContext| -> Vec<Shown> {
        items
            .iter()
            .map(|item| match item {
                Item::Line {
                    speaker,
                    text,
                    line,
                } => Shown::Line {
                    speaker: *speaker,
                    html: ctx.inline(text, *line),
                },
                Item::Note { text, line } => Shown::Note {
                    html: ctx.inline(text, *line),
                },
            })
            .collect()
    };
    let title_html = ctx.inline(&script.title, script.title_line);
    let main = shown(&script.main, ctx);
    let variations = script
        .variations
        .iter()
        .map(|v| (ctx.inline(&v.title, v.line), shown(&v.items, ctx)))
        .collect();
    ScriptData {
        title_html,
        speakers: script.speakers.clone(),
        main,
        variations,
    }
}

/// The script as HTML in `lang`; `claim` makes an element id unique on the page it goes on.
pub fn render(
    script: &ScriptData,
    config: &Config,
    lang: &str,
    mode: Mode,
    claim: &mut dyn FnMut(&str) -> String,
) -> String {
    let t = strings(config, lang);
    let mut h = String::new();
    let mut plain = String::new();
    let title = &script.title_html;
    plain.push_str(&text_of(title));
    plain.push_str("\n\n");
    let id_base = match mode {
        Mode::Page { id } => id.to_string(),
        Mode::Collection { labelled_by } => labelled_by.trim_end_matches("-title").to_string(),
    };
    match mode {
        Mode::Page { id } => {
            let title_id = claim(&format!("{id}-title"));
            let _ = writeln!(
                h,
                "<section class=\"haven-script\" id=\"{id}\" aria-labelledby=\"{title_id}\" data-haven-script>"
            );
            let _ = writeln!(
                h,
                "<p class=\"haven-script-title\" id=\"{title_id}\"><span class=\"haven-script-kind\">{}<span class=\"haven-visually-hidden\">: </span></span> {title}</p>",
                escape(t.kind)
            );
        }
        Mode::Collection { labelled_by } => {
            let _ = writeln!(
                h,
                "<div class=\"haven-script\" role=\"group\" aria-labelledby=\"{labelled_by}\" data-haven-script>"
            );
        }
    }
    let names: Vec<String> = script.speakers.iter().map(|s| escape(s)).collect();
    let _ = writeln!(
        h,
        "<p class=\"haven-script-speakers\">{}: {}</p>",
        escape(t.speakers),
        names
            .iter()
            .enumerate()
            .map(|(i, n)| format!(
                "<span class=\"haven-script-who haven-script-speaker-{}\">{n}</span>",
                i + 1
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    items(&mut h, &mut plain, &script.main, script, &names, &t);
    for (k, (vtitle, shown)) in script.variations.iter().enumerate() {
        let vid = claim(&format!("{id_base}-v{}", k + 1));
        let _ = writeln!(
            h,
            "<div class=\"haven-script-variation\" role=\"group\" aria-labelledby=\"{vid}\">"
        );
        let _ = writeln!(
            h,
            "<p class=\"haven-script-variation-title\" id=\"{vid}\"><span class=\"haven-visually-hidden\">{}: </span>{vtitle}</p>",
            escape(t.variation)
        );
        plain.push('\n');
        plain.push_str(&text_of(vtitle));
        plain.push('\n');
        items(&mut h, &mut plain, shown, script, &names, &t);
        h.push_str("</div>\n");
    }
    let _ = writeln!(
        h,
        "<div class=\"haven-script-actions\"><button type=\"button\" class=\"haven-script-copy\" hidden data-copied=\"{}\" data-failed=\"{}\">{}</button> <span class=\"haven-script-status\" role=\"status\"></span></div>",
        escape(t.copied),
        escape(t.failed),
        escape(t.copy)
    );
    let _ = writeln!(
        h,
        "<template class=\"haven-script-plain\">{}</template>",
        escape(plain.trim_end())
    );
    h.push_str(match mode {
        Mode::Page { .. } => "</section>\n",
        Mode::Collection { .. } => "</div>\n",
    });
    h
}

fn items(
    h: &mut String,
    plain: &mut String,
    items: &[Shown],
    script: &ScriptData,
    names: &[String],
    t: &Strings,
) {
    let mut open = false;
    for item in items {
        match item {
            Shown::Line {
                speaker,
                html: words,
            } => {
                if !open {
                    h.push_str("<dl class=\"haven-script-lines\">\n");
                    open = true;
                }
                let who = if *speaker == 0 {
                    " haven-script-you"
                } else {
                    ""
                };
                let _ = writeln!(
                    h,
                    "<div class=\"haven-script-line haven-script-speaker-{}{who}\"><dt>{}</dt><dd>{words}</dd></div>",
                    speaker + 1,
                    names[*speaker]
                );
                let _ = writeln!(plain, "{}: {}", script.speakers[*speaker], text_of(words));
            }
            Shown::Note { html: note } => {
                if open {
                    h.push_str("</dl>\n");
                    open = false;
                }
                let _ = writeln!(
                    h,
                    "<p class=\"haven-script-note\"><span class=\"haven-visually-hidden\">{}: </span>{note}</p>",
                    escape(t.note)
                );
                let _ = writeln!(plain, "({})", text_of(note));
            }
        }
    }
    if open {
        h.push_str("</dl>\n");
    }
}

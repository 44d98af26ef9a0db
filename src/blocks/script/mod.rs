//! Communication scripts (```` ```script ````): a short dialogue with a title, named speakers,
//! lines, notes and variations. See `docs/scripts.md`.
//!
//! ```text
//! # Asking what your partner needs
//! speakers: You, Partner
//!
//! You: Can I ask you something?
//! Partner: Sure.
//! > Tip: pick a calm moment.
//!
//! ## If they ask for space
//! Partner: I need a few minutes on my own.
//! ```

pub mod html;

use crate::blocks::{BlockAsset, BlockContext, BlockError, BlockOutput};

pub const ASSETS: &[BlockAsset] = &[
    BlockAsset {
        name: "script.css",
        bytes: include_bytes!("../assets/script.css"),
    },
    BlockAsset {
        name: "script.js",
        bytes: include_bytes!("../assets/script.js"),
    },
];

/// A parsed script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub title: String,
    /// 1-based line of the title within the block.
    pub title_line: usize,
    pub id: Option<String>,
    pub speakers: Vec<String>,
    /// The dialogue before any variation.
    pub main: Vec<Item>,
    pub variations: Vec<Variation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variation {
    pub title: String,
    pub line: usize,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `Speaker: words`; `speaker` indexes [`Script::speakers`].
    Line {
        speaker: usize,
        text: String,
        line: usize,
    },
    /// `> note`.
    Note { text: String, line: usize },
}

/// Longest speaker label accepted: longer text before a colon is prose, not a label.
const MAX_SPEAKER_LEN: usize = 40;

/// Parses a script block. Errors carry 1-based lines within the block.
pub fn parse(text: &str) -> Result<Script, Vec<BlockError>> {
    let mut errors = Vec::new();
    let mut title: Option<(String, usize)> = None;
    let mut id = None;
    let mut speakers: Option<(Vec<String>, usize)> = None;
    let mut main = Vec::new();
    let mut variations: Vec<Variation> = Vec::new();
    let mut first_content: Option<usize> = None;

    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let first = *first_content.get_or_insert(n) == n;
        let started = !main.is_empty() || !variations.is_empty();
        if let Some(rest) = line
            .strip_prefix("## ")
            .or_else(|| (line == "##").then_some(""))
        {
            let t = rest.trim();
            if t.is_empty() {
                errors.push(
                    BlockError::new(n, "this variation has no title")
                        .help("write it as `## If they ask for space`"),
                );
            }
            variations.push(Variation {
                title: t.to_string(),
                line: n,
                items: Vec::new(),
            });
        } else if let Some(rest) = line
            .strip_prefix("# ")
            .or_else(|| (line == "#").then_some(""))
        {
            if let Some((_, at)) = &title {
                errors.push(BlockError::new(n, "a script has one title").help(format!(
                    "the title is on line {at}; start a variation with `## `"
                )));
            } else if rest.trim().is_empty() {
                errors.push(
                    BlockError::new(n, "the script's title is empty")
                        .help("write it as `# Asking what your partner needs`"),
                );
                title = Some((String::new(), n));
            } else {
                if !first {
                    errors.push(
                        BlockError::new(n, "the title must come first")
                            .help("move `# Title` to the block's first line"),
                    );
                }
                title = Some((rest.trim().to_string(), n));
            }
        } else if let Some(rest) = line.strip_prefix('>') {
            let note = rest.trim();
            if note.is_empty() {
                errors.push(
                    BlockError::new(n, "this note is empty")
                        .help("write the note after `> `, or remove the line"),
                );
            } else {
                push(
                    &mut main,
                    &mut variations,
                    Item::Note {
                        text: note.to_string(),
                        line: n,
                    },
                );
            }
        } else if let Some((key, value)) = line.split_once(':') {
            let key = key.trim();
            let value = value.trim();
            let lower = key.to_lowercase();
            if lower == "speakers" && !started {
                if speakers.is_some() {
                    errors.push(
                        BlockError::new(n, "the speakers are listed twice")
                            .help("keep one `speakers:` line"),
                    );
                    continue;
                }
                let names: Vec<String> = value.split(',').map(|s| s.trim().to_string()).collect();
                if names.iter().any(String::is_empty) {
                    errors.push(
                        BlockError::new(n, "a speaker's name is empty").help(
                            "list the speakers separated by commas: `speakers: You, Partner`",
                        ),
                    );
                }
                for (k, name) in names.iter().enumerate() {
                    if !name.is_empty() && names[..k].iter().any(|m| m.eq_ignore_ascii_case(name)) {
                        errors.push(BlockError::new(
                            n,
                            format!("the speaker `{name}` is listed twice"),
                        ));
                    }
                    if name.len() > MAX_SPEAKER_LEN {
                        errors.push(
                            BlockError::new(n, format!("the speaker name `{name}` is too long"))
                                .help("use a short label such as `You` or `Partner`"),
                        );
                    }
                }
                speakers = Some((names, n));
            } else if lower == "id" && !started {
                let slug = crate::slug::slugify(value);
                if slug.is_empty() {
                    errors.push(
                        BlockError::new(n, "the id is empty")
                            .help("write it as `id: asking-for-space`"),
                    );
                } else {
                    id = Some(slug);
                }
            } else {
                let Some((names, _)) = &speakers else {
                    errors.push(
                        BlockError::new(n, "the speakers are not listed before the first line")
                            .help("add `speakers: You, Partner` after the title, naming everyone who speaks"),
                    );
                    // Report this once, not for every line.
                    speakers = Some((Vec::new(), 0));
                    continue;
                };
                match names.iter().position(|s| s == key) {
                    Some(speaker) if value.is_empty() => {
                        errors.push(
                            BlockError::new(
                                n,
                                format!("empty line: `{}` says nothing", names[speaker]),
                            )
                            .help("write the words after the colon, or remove the line"),
                        );
                    }
                    Some(speaker) => push(
                        &mut main,
                        &mut variations,
                        Item::Line {
                            speaker,
                            text: value.to_string(),
                            line: n,
                        },
                    ),
                    None if names.is_empty() => {}
                    None => errors.push(unknown_speaker(n, key, names)),
                }
            }
        } else {
            errors.push(
                BlockError::new(n, "this line is not part of a script")
                    .help("write `Speaker: words`, `> a note`, or `## A variation`; the speakers are listed in `speakers:`"),
            );
        }
    }

    let (title, title_line) = match title {
        Some(t) => t,
        None => {
            errors.push(
                BlockError::new(first_content.unwrap_or(1), "the script has no title").help(
                    "start the block with `# Title`, e.g. `# Asking what your partner needs`",
                ),
            );
            (String::new(), 1)
        }
    };
    let speakers = match speakers {
        Some((names, _)) => names,
        None => {
            if errors.is_empty() {
                errors.push(
                    BlockError::new(title_line, "the script lists no speakers")
                        .help("add `speakers: You, Partner` after the title"),
                );
            }
            Vec::new()
        }
    };
    let lines_in = |items: &[Item]| {
        items
            .iter()
            .filter(|i| matches!(i, Item::Line { .. }))
            .count()
    };
    if errors.is_empty()
        && lines_in(&main) == 0
        && variations.iter().all(|v| lines_in(&v.items) == 0)
    {
        errors.push(
            BlockError::new(title_line, "the script has no lines")
                .help("add lines written `Speaker: words`"),
        );
    }
    for v in &variations {
        if lines_in(&v.items) == 0 && !v.title.is_empty() {
            errors.push(
                BlockError::new(v.line, format!("the variation `{}` has no lines", v.title))
                    .help("add lines written `Speaker: words` under it, or remove it"),
            );
        }
    }
    if errors.is_empty() {
        Ok(Script {
            title,
            title_line,
            id,
            speakers,
            main,
            variations,
        })
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

fn push(main: &mut Vec<Item>, variations: &mut [Variation], item: Item) {
    match variations.last_mut() {
        Some(v) => v.items.push(item),
        None => main.push(item),
    }
}

fn unknown_speaker(line: usize, name: &str, known: &[String]) -> BlockError {
    let list = known
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let close = known
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&k.to_lowercase(), &name.to_lowercase()),
                k,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let help = match close {
        Some((_, k)) => format!("did you mean `{k}`? The speakers are {list}"),
        None => format!(
            "the speakers are {list}; add `{name}` to the `speakers:` line if they take part"
        ),
    };
    BlockError::new(line, format!("unknown speaker `{name}`")).help(help)
}

/// The ```` ```script ```` block kind.
pub struct ScriptBlock;

impl crate::markdown::fenced::FencedBlock for ScriptBlock {
    fn kind(&self) -> &'static str {
        "script"
    }

    fn render(&self, text: &str, ctx: &mut BlockContext) -> Result<BlockOutput, Vec<BlockError>> {
        render(text, ctx)
    }
}

/// Renders a script block on its page.
pub fn render(text: &str, ctx: &mut BlockContext) -> Result<BlockOutput, Vec<BlockError>> {
    let script = parse(text)?;
    let base = script
        .id
        .clone()
        .unwrap_or_else(|| format!("script-{}", crate::slug::slugify(&script.title)));
    let id = ctx.unique_id(&base);
    let data = html::prepare(&script, ctx);
    let (config, lang) = (ctx.render.config, ctx.render.lang);
    let out = html::render(
        &data,
        config,
        lang,
        html::Mode::Page { id: &id },
        &mut |base| ctx.unique_id(base),
    );
    Ok(BlockOutput {
        kind: "script",
        id: Some(id),
        title: Some(data.title()),
        html: out,
        data: crate::blocks::BlockData::encode(&data),
    })
}

#[cfg(test)]
mod tests;

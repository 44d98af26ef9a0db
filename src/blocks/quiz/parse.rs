//! The quiz syntax (see `docs/quizzes.md`) to a [`Quiz`], with every problem located on its line.
//!
//! Parsing reads the block line by line and keeps going after a problem, so one build reports
//! every mistake in a quiz; `validate` then checks what only the whole quiz can tell.

use std::collections::BTreeMap;

use super::syntax::{
    bracket, checkbox, closest, is_id, key_value, list_item, numbered_item, parse_range,
    plain_slug, split_heading_id,
};
use super::types::{Band, Category, FLAG, Opt, Question, Quiz, QuizType, Source, Text};
use super::validate::validate;
use crate::blocks::BlockError;

/// The keys a quiz may set under its title.
pub const KEYS: &[&str] = &["type", "id", "shuffle"];
const TYPES: &[&str] = &["knowledge", "checklist", "assessment"];

/// Reads the block: `use: NAME` alone, or a whole quiz.
pub fn parse_block(text: &str) -> Result<Source, Vec<BlockError>> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    if let Some((n, first)) = lines.first()
        && let Some(name) = first.trim().strip_prefix("use:")
    {
        let name = name.trim();
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(
                BlockError::new(*n, "`use:` needs the name of a quiz file")
                    .help("write `use: NAME` for the quiz in `content/quizzes/NAME.quiz`"),
            );
        }
        if let Some((m, _)) = lines.get(1) {
            errors.push(
                BlockError::new(*m, "a block with `use:` holds nothing else")
                    .help("the quiz itself lives in its `.quiz` file; remove this line or write the quiz here without `use:`"),
            );
        }
        return if errors.is_empty() {
            Ok(Source::Use {
                name: name.trim_end_matches(".quiz").to_string(),
                line: *n,
            })
        } else {
            Err(errors)
        };
    }
    parse(text).map(|q| Source::Inline(Box::new(q)))
}

/// Where the parser is in the quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// Before the title.
    Start,
    /// Title read, reading `key: value` lines.
    Header,
    /// After a `[id] Name` category line (its description may follow, indented).
    Category,
    /// Inside a question, before its explanation.
    Question,
    /// After a question's explanation line.
    Explanation,
    /// After a checklist band.
    Bands,
}

/// Parses and validates a whole quiz.
pub fn parse(text: &str) -> Result<Quiz, Vec<BlockError>> {
    let mut errors = Vec::new();
    let mut title: Option<Text> = None;
    let mut kind: Option<(QuizType, usize)> = None;
    let mut id: Option<(String, usize)> = None;
    let mut shuffle: Option<bool> = None;
    let mut seen_keys: BTreeMap<String, usize> = BTreeMap::new();
    let mut questions: Vec<Question> = Vec::new();
    let mut bands: Vec<(Band, usize)> = Vec::new();
    let mut categories: Vec<Category> = Vec::new();
    let mut at = At::Start;

    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        let trimmed = line.trim_start();

        if at == At::Start {
            match trimmed.strip_prefix("# ") {
                Some(t) if !indented && !t.trim().is_empty() => {
                    title = Some(Text {
                        text: t.trim().to_string(),
                        line: n,
                    });
                    at = At::Header;
                    continue;
                }
                _ => {
                    errors.push(
                        BlockError::new(n, "a quiz starts with its title").help("make the first line `# Title`, e.g. `# Aftercare basics`; or `use: NAME` for a quiz file"),
                    );
                    title = Some(Text {
                        text: String::new(),
                        line: n,
                    });
                    at = At::Header;
                    // Read this line again as part of the quiz.
                }
            }
        }

        // Indented lines belong to what is above them: option feedback or a category's description.
        if indented {
            if let Some(fb) = trimmed.strip_prefix('>') {
                let fb = fb.trim();
                match (at, questions.last_mut().and_then(|q| q.options.last_mut())) {
                    (At::Question, Some(opt)) => match &mut opt.feedback {
                        Some(existing) => {
                            existing.text.push(' ');
                            existing.text.push_str(fb);
                        }
                        None => opt.feedback = Some(Text { text: fb.to_string(), line: n }),
                    },
                    _ => errors.push(
                        BlockError::new(n, "feedback must come right under an option").help("indent a `> ` line under the `- [ ]` option it answers; an unindented `> ` line after the options is the question's explanation"),
                    ),
                }
                continue;
            }
            if at == At::Category {
                let c = categories.last_mut().expect("a category is open");
                match &mut c.description {
                    Some(d) => {
                        d.text.push(' ');
                        d.text.push_str(trimmed);
                    }
                    None => {
                        c.description = Some(Text {
                            text: trimmed.to_string(),
                            line: n,
                        })
                    }
                }
                continue;
            }
            // A flagged statement's message: plain indented lines under `- (!) statement`.
            if at == At::Question
                && !trimmed.starts_with(['-', '*', '+'])
                && let Some(flag) = questions
                    .last_mut()
                    .and_then(|q| q.options.last_mut())
                    .and_then(|o| o.flag.as_mut())
            {
                if flag.text.is_empty() {
                    *flag = Text {
                        text: trimmed.to_string(),
                        line: n,
                    };
                } else {
                    flag.text.push(' ');
                    flag.text.push_str(trimmed);
                }
                continue;
            }
            if at == At::Question && trimmed.starts_with(['-', '*', '+']) {
                errors.push(
                    BlockError::new(n, "options cannot be nested")
                        .help("start every option at the beginning of the line: `- [ ] option`"),
                );
                continue;
            }
            errors.push(BlockError::new(n, "this indented line belongs to nothing").help("indented lines are an option's feedback (`  > ...`), a flagged checklist statement's message (under `- (!) statement`) or a category's description, right under it"));
            continue;
        }

        if let Some(rest) = trimmed.strip_prefix('#') {
            let level = 1 + rest.chars().take_while(|&c| c == '#').count();
            let rest = rest.trim_start_matches('#');
            if level != 2 || !(rest.starts_with(' ') || rest.is_empty()) {
                let msg = if level == 1 {
                    "a quiz has one title"
                } else {
                    "only `## ` headings start questions"
                };
                errors.push(
                    BlockError::new(n, msg)
                        .help("`# Title` is the first line; each question starts with `## `"),
                );
                continue;
            }
            let (text, qid) = split_heading_id(rest.trim());
            if text.is_empty() {
                errors.push(
                    BlockError::new(n, "this question has no text")
                        .help("write the question after `## `"),
                );
            }
            if let Some(q) = &qid
                && !is_id(q)
            {
                errors
                    .push(BlockError::new(n, format!("`{q}` is not a valid id")).help(
                        "use lower-case letters, digits and hyphens, e.g. `{#who-needs-it}`",
                    ));
            }
            questions.push(Question {
                text: Text {
                    text: text.to_string(),
                    line: n,
                },
                id: qid,
                options: Vec::new(),
                explanation: None,
            });
            at = At::Question;
            continue;
        }

        let numbered = numbered_item(trimmed);
        if let Some(item) = list_item(trimmed).or(numbered.map(|(_, t)| t)) {
            if !matches!(at, At::Question) {
                let msg = if at == At::Explanation {
                    "options come before the question's explanation"
                } else {
                    "this option is not under a question"
                };
                errors.push(BlockError::new(n, msg).help(
                    "start a question with `## Question?` and list its options right under it",
                ));
                continue;
            }
            let q = questions.last_mut().expect("a question is open");
            let (right, text) = match checkbox(item) {
                Some((r, t)) => (Some(r), t),
                None => (None, item),
            };
            let (flag, text) = match text.trim_start().strip_prefix(FLAG) {
                Some(rest) => (
                    Some(Text {
                        text: String::new(),
                        line: n,
                    }),
                    rest,
                ),
                None => (None, text),
            };
            q.options.push(Opt {
                text: Text {
                    text: text.trim().to_string(),
                    line: n,
                },
                right,
                feedback: None,
                weights: Vec::new(),
                weights_line: n,
                flag,
                step: numbered.map(|(k, _)| k),
            });
            continue;
        }

        if let Some(expl) = trimmed.strip_prefix('>') {
            match (at, questions.last_mut()) {
                (At::Question | At::Explanation, Some(q)) => {
                    match &mut q.explanation {
                        Some(e) => {
                            e.text.push(' ');
                            e.text.push_str(expl.trim());
                        }
                        None => {
                            q.explanation = Some(Text {
                                text: expl.trim().to_string(),
                                line: n,
                            })
                        }
                    }
                    at = At::Explanation;
                }
                _ => errors.push(
                    BlockError::new(n, "an explanation must follow a question's options")
                        .help("write `> ...` after the options of a `## ` question"),
                ),
            }
            continue;
        }

        if let Some((label, rest)) = bracket(trimmed) {
            // A band (`[0-2] ...`) when it reads as numbers, else a category (`[id] Name`).
            if let Some(range) = parse_range(label) {
                match range {
                    Ok((min, max)) => {
                        bands.push((
                            Band {
                                min,
                                max,
                                message: Text {
                                    text: rest.trim().to_string(),
                                    line: n,
                                },
                            },
                            n,
                        ));
                        if rest.trim().is_empty() {
                            errors.push(BlockError::new(n, "this band has no message").help(
                                "write what this count means after the brackets: `[0-1] Message`",
                            ));
                        }
                    }
                    Err(e) => errors.push(
                        BlockError::new(n, e)
                            .help("write a band as `[0-1]`, `[2-3]`, or `[4-]` for 4 or more"),
                    ),
                }
                at = At::Bands;
                continue;
            }
            if !questions.is_empty() {
                errors.push(
                    BlockError::new(n, "categories come before the questions").help(
                        "move `[id] Name` and its description above the first `## ` question",
                    ),
                );
            }
            let cid = label.trim();
            if !is_id(cid) {
                errors.push(BlockError::new(n, format!("`{cid}` is not a valid category id")).help("use lower-case letters, digits, `-` and `_`, e.g. `[practical] Practical care`"));
            }
            if rest.trim().is_empty() {
                errors.push(
                    BlockError::new(n, format!("the category `{cid}` has no name"))
                        .help("write its name after the brackets: `[practical] Practical care`"),
                );
            }
            categories.push(Category {
                id: cid.to_string(),
                name: Text {
                    text: rest.trim().to_string(),
                    line: n,
                },
                description: None,
            });
            at = At::Category;
            continue;
        }

        if at == At::Header
            && let Some((key, value)) = key_value(trimmed)
        {
            if let Some(first) = seen_keys.insert(key.to_string(), n) {
                errors.push(
                    BlockError::new(n, format!("`{key}` is given twice"))
                        .help(format!("it is already set on line {first}; keep one")),
                );
                continue;
            }
            match key {
                "type" => match value {
                    "knowledge" => kind = Some((QuizType::Knowledge, n)),
                    "checklist" => kind = Some((QuizType::Checklist, n)),
                    "assessment" => kind = Some((QuizType::Assessment, n)),
                    other => {
                        let mut e = BlockError::new(n, format!("unknown quiz type `{other}`"));
                        e = e.help(match closest(other, TYPES) {
                            Some(s) => format!("did you mean `{s}`? The types are `knowledge`, `checklist` and `assessment`"),
                            None => "the types are `knowledge` (right answers), `checklist` (tick what is true) and `assessment` (no right answers)".to_string(),
                        });
                        errors.push(e);
                    }
                },
                "id" => {
                    if is_id(value) {
                        id = Some((value.to_string(), n));
                    } else {
                        errors.push(BlockError::new(n, format!("`{value}` is not a valid quiz id")).help("use lower-case letters, digits and hyphens, e.g. `id: aftercare-basics`"));
                    }
                }
                "shuffle" => match value {
                    "true" => shuffle = Some(true),
                    "false" => shuffle = Some(false),
                    other => errors.push(
                        BlockError::new(n, format!("`{other}` is not true or false"))
                            .help("write `shuffle: true` to show the options in a random order, or `shuffle: false`"),
                    ),
                },
                other => {
                    let help = match closest(other, KEYS) {
                        Some(s) => format!("did you mean `{s}`? A quiz accepts `type:`, `id:` and `shuffle:`"),
                        None => "a quiz accepts `type:`, `id:` and `shuffle:` under its title".to_string(),
                    };
                    errors.push(BlockError::new(n, format!("unknown key `{other}`")).help(help));
                }
            }
            continue;
        }

        // Text right under a flagged statement is its message, written without indentation.
        if at == At::Question
            && questions
                .last()
                .and_then(|q| q.options.last())
                .and_then(|o| o.flag.as_ref())
                .is_some()
        {
            errors.push(
                BlockError::new(n, "this flagged statement's message is not indented")
                    .help("indent each line of the message two spaces under its `- (!) statement`"),
            );
            if let Some(flag) = questions
                .last_mut()
                .and_then(|q| q.options.last_mut())
                .and_then(|o| o.flag.as_mut())
                && flag.text.is_empty()
            {
                // Counted as the message, so the statement is not also reported as having none.
                *flag = Text {
                    text: trimmed.to_string(),
                    line: n,
                };
            }
            continue;
        }

        let help = match at {
            At::Header => {
                "under the title come `type:` and `id:` lines, then categories (`[id] Name`) or questions (`## ...`)"
            }
            _ => {
                "a quiz line is a `## ` question, a `- ` option, an indented `  > ` feedback, a `> ` explanation, or a `[...]` band or category"
            }
        };
        errors.push(BlockError::new(n, "this line is not part of the quiz syntax").help(help));
    }

    let Some(title) = title else {
        return Err(vec![BlockError::new(1, "this quiz is empty").help(
            "start with `# Title`, then `type: knowledge`, then questions",
        )]);
    };
    let kind = match kind {
        Some((k, _)) => k,
        None => {
            errors.push(
                BlockError::new(title.line, "the quiz has no `type:`").help("add `type: knowledge` (right answers), `type: checklist` or `type: assessment` under the title"),
            );
            return Err(errors);
        }
    };
    let id = match &id {
        Some((s, _)) => s.clone(),
        None => {
            let s = plain_slug(&title.text);
            if s.is_empty() { "quiz".to_string() } else { s }
        }
    };
    let mut quiz = Quiz {
        title,
        kind,
        id,
        id_line: id_line(&seen_keys),
        shuffle,
        questions,
        bands: bands.into_iter().map(|(b, _)| b).collect(),
        categories,
    };
    validate(&mut quiz, &mut errors);
    errors.sort_by_key(|e| e.line);
    if errors.is_empty() {
        Ok(quiz)
    } else {
        Err(errors)
    }
}

fn id_line(keys: &BTreeMap<String, usize>) -> Option<usize> {
    keys.get("id").copied()
}

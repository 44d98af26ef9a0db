//! The quiz syntax (see `docs/quizzes.md`) to [`Quiz`], with every problem located on its line.
//!
//! Parsing reads the block line by line and keeps going after a problem, so one build reports
//! every mistake in a quiz; [`validate`] then checks what only the whole quiz can tell (a right
//! answer per question, bands covering every count, categories defined).

use std::collections::{BTreeMap, HashSet};

use crate::blocks::BlockError;

/// The keys a quiz may set under its title.
pub const KEYS: &[&str] = &["type", "id", "shuffle"];
const TYPES: &[&str] = &["knowledge", "checklist", "assessment"];
/// Option pairs that make a true/false question, by language.
const TRUE_FALSE: &[(&str, &str)] = &[
    ("true", "false"),
    ("verdadero", "falso"),
    ("vrai", "faux"),
    ("wahr", "falsch"),
    ("vero", "falso"),
    ("verdadeiro", "falso"),
];
/// The largest weight an option may give a category.
pub const MAX_WEIGHT: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum QuizType {
    Knowledge,
    Checklist,
    Assessment,
}

impl QuizType {
    pub fn name(self) -> &'static str {
        match self {
            QuizType::Knowledge => "knowledge",
            QuizType::Checklist => "checklist",
            QuizType::Assessment => "assessment",
        }
    }
}

/// Inline Markdown written on a line of the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quiz {
    pub title: Text,
    pub kind: QuizType,
    /// The quiz's id: `id:`, else made from the title.
    pub id: String,
    /// The line of `id:`, when given.
    pub id_line: Option<usize>,
    /// `shuffle: true` / `false`; None leaves it to the site's `[quiz] shuffle`.
    pub shuffle: Option<bool>,
    pub questions: Vec<Question>,
    /// Checklists only.
    pub bands: Vec<Band>,
    /// Self-assessments only.
    pub categories: Vec<Category>,
}

/// How a knowledge-check question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// One right option: radio buttons.
    Single,
    /// Several right options: checkboxes, "choose all that apply".
    Multiple,
    /// Options exactly True and False (or the same in another language).
    TrueFalse,
    /// Numbered steps (`1. step`) to put in order.
    Order,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub text: Text,
    /// `## Question {#its-id}`.
    pub id: Option<String>,
    pub options: Vec<Opt>,
    pub explanation: Option<Text>,
}

impl Question {
    /// How a knowledge-check question is answered.
    pub fn answer(&self) -> Answer {
        if self.options.iter().any(|o| o.step.is_some()) {
            return Answer::Order;
        }
        let right = self
            .options
            .iter()
            .filter(|o| o.right == Some(true))
            .count();
        if self.options.len() == 2 {
            let a = self.options[0].text.text.trim().to_lowercase();
            let b = self.options[1].text.text.trim().to_lowercase();
            if TRUE_FALSE
                .iter()
                .any(|(t, f)| (a == *t && b == *f) || (a == *f && b == *t))
            {
                return Answer::TrueFalse;
            }
        }
        if right > 1 {
            Answer::Multiple
        } else {
            Answer::Single
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub text: Text,
    /// `[x]` (Some(true)) or `[ ]` (Some(false)); None in checklists and self-assessments.
    pub right: Option<bool>,
    pub feedback: Option<Text>,
    /// Self-assessments: categories this option leans toward, with weights.
    pub weights: Vec<(String, u32)>,
    /// Line of the `{...}` weights, for errors (same as the option's).
    pub weights_line: usize,
    /// Checklists: `- (!) statement` acts on its own, whatever the count. The message under it
    /// (indented lines) is shown first when it is ticked; `Some` with empty text until read.
    pub flag: Option<Text>,
    /// Ordering questions: the step's number as written (`2. step`), its place in the right order.
    pub step: Option<usize>,
}

/// The mark that flags a checklist statement: `- (!) I have had thoughts of hurting myself`.
pub const FLAG: &str = "(!)";

/// `[min-max] message`: what a checklist count from `min` to `max` (open when None) means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub min: usize,
    pub max: Option<usize>,
    pub message: Text,
}

impl Band {
    pub fn contains(&self, n: usize) -> bool {
        n >= self.min && self.max.is_none_or(|m| n <= m)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: String,
    pub name: Text,
    pub description: Option<Text>,
}

/// What a block holds: a quiz, or the name of a quiz file (`use: NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Inline(Box<Quiz>),
    Use { name: String, line: usize },
}

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

/// What only the whole quiz can tell. Weights are read from option text here, for assessments.
pub fn validate(quiz: &mut Quiz, errors: &mut Vec<BlockError>) {
    let title_line = quiz.title.line;
    if quiz.title.text.trim().is_empty() && !errors.iter().any(|e| e.line == title_line) {
        errors
            .push(BlockError::new(title_line, "the quiz has no title").help("write it after `# `"));
    }
    if quiz.questions.is_empty() {
        let msg = match quiz.kind {
            QuizType::Checklist => "the checklist has no statements",
            _ => "the quiz has no question",
        };
        let help = match quiz.kind {
            QuizType::Checklist => {
                "add a `## ` line saying what to tick, then one `- statement` per line"
            }
            _ => "start each question with `## `, then list its options",
        };
        errors.push(BlockError::new(title_line, msg).help(help));
    }
    let mut ids: HashSet<&str> = HashSet::new();
    for q in &quiz.questions {
        if let Some(id) = &q.id
            && !ids.insert(id)
        {
            errors.push(
                BlockError::new(q.text.line, format!("two questions have the id `{id}`"))
                    .help("question ids must be unique in a quiz"),
            );
        }
        if q.options.is_empty() {
            errors.push(
                BlockError::new(q.text.line, "this question has no options")
                    .help("list its options under it, one per line: `- [ ] option`"),
            );
        }
        let mut texts: HashSet<String> = HashSet::new();
        for o in &q.options {
            if o.text.text.is_empty() {
                errors.push(
                    BlockError::new(o.text.line, "this option has no text")
                        .help("write the option after `- `"),
                );
            } else if !texts.insert(o.text.text.to_lowercase()) {
                errors.push(
                    BlockError::new(o.text.line, "this option is listed twice in the question")
                        .help("each option of a question must be different"),
                );
            }
            if o.step.is_some() && quiz.kind != QuizType::Knowledge {
                errors.push(
                    BlockError::new(o.text.line, "only knowledge checks have steps to put in order")
                        .help("start the line with `- `; numbered steps (`1. step`) make an ordering question in a `type: knowledge` quiz"),
                );
            }
            match &o.flag {
                Some(_) if quiz.kind != QuizType::Checklist => errors.push(
                    BlockError::new(o.text.line, "only checklist statements can be flagged")
                        .help("remove `(!)`; in a checklist, `- (!) statement` shows its message whenever it is ticked"),
                ),
                Some(f) if f.text.is_empty() => errors.push(
                    BlockError::new(o.text.line, "this flagged statement has no message")
                        .help("under it, indented two spaces, write what to do when it is ticked, e.g. `  If you might act on these thoughts, call your local emergency number now.`"),
                ),
                _ => {}
            }
        }
    }
    match quiz.kind {
        QuizType::Knowledge => validate_knowledge(quiz, errors),
        QuizType::Checklist => validate_checklist(quiz, errors),
        QuizType::Assessment => validate_assessment(quiz, errors),
    }
}

fn validate_knowledge(quiz: &Quiz, errors: &mut Vec<BlockError>) {
    if let Some(b) = quiz.bands.first() {
        errors.push(BlockError::new(b.message.line, "bands belong to checklists").help("a knowledge check is scored by its right answers; remove the band or use `type: checklist`"));
    }
    if let Some(c) = quiz.categories.first() {
        errors.push(
            BlockError::new(c.name.line, "categories belong to self-assessments")
                .help("remove the category or use `type: assessment`"),
        );
    }
    for q in &quiz.questions {
        if q.options.len() == 1 {
            errors.push(
                BlockError::new(q.text.line, "this question has only one option")
                    .help("give it at least two options to choose from"),
            );
        }
        if q.answer() == Answer::Order {
            validate_order(q, errors);
            continue;
        }
        for o in &q.options {
            if o.right.is_none() {
                errors.push(BlockError::new(o.text.line, "this option is not marked right or wrong").help("start it with `[x]` for a right answer or `[ ]` for a wrong one: `- [ ] option`"));
            }
            match &o.feedback {
                None => errors.push(
                    BlockError::new(o.text.line, "this option has no feedback")
                        .help("add an indented `  > ` line under it saying why it is right or wrong; readers see it when they choose it"),
                ),
                Some(f) if f.text.is_empty() => errors.push(BlockError::new(f.line, "this feedback is empty").help("write it after `> `")),
                Some(_) => {}
            }
        }
        if !q.options.is_empty() && q.options.iter().all(|o| o.right == Some(false)) {
            errors.push(
                BlockError::new(q.text.line, "this question has no right answer")
                    .help("mark the right option (or options) with `[x]`: `- [x] option`"),
            );
        }
        if q.answer() == Answer::TrueFalse
            && q.options.iter().filter(|o| o.right == Some(true)).count() != 1
        {
            errors.push(
                BlockError::new(
                    q.text.line,
                    "a true/false question has exactly one right answer",
                )
                .help("mark either True or False with `[x]`, not both"),
            );
        }
    }
}

/// An ordering question: numbered steps only, written in the right order as 1, 2, 3...
fn validate_order(q: &Question, errors: &mut Vec<BlockError>) {
    for (i, o) in q.options.iter().enumerate() {
        match o.step {
            None => errors.push(
                BlockError::new(o.text.line, "this question mixes steps and options")
                    .help("an ordering question has numbered steps only: `1. first step`, `2. next step`..."),
            ),
            Some(k) if k != i + 1 => errors.push(
                BlockError::new(o.text.line, format!("this step is numbered {k}, but it is step {}", i + 1))
                    .help("write the steps in the right order, numbered 1, 2, 3...; readers see them mixed up"),
            ),
            Some(_) => {}
        }
        if o.right.is_some() {
            errors.push(
                BlockError::new(o.text.line, "steps are not marked right or wrong").help(
                    "remove `[ ]`/`[x]`: the right answer is the order the steps are written in",
                ),
            );
        }
        if let Some(f) = &o.feedback
            && f.text.is_empty()
        {
            errors.push(
                BlockError::new(f.line, "this feedback is empty").help("write it after `> `"),
            );
        }
    }
}

fn validate_checklist(quiz: &Quiz, errors: &mut Vec<BlockError>) {
    if let Some(c) = quiz.categories.first() {
        errors.push(
            BlockError::new(c.name.line, "categories belong to self-assessments")
                .help("remove the category or use `type: assessment`"),
        );
    }
    if quiz.questions.len() > 1 {
        errors.push(
            BlockError::new(quiz.questions[1].text.line, "a checklist has one list of statements")
                .help("keep a single `## ` line above the statements; merge the lists or make a second checklist"),
        );
    }
    for q in &quiz.questions {
        if let Some(e) = &q.explanation {
            errors.push(
                BlockError::new(e.line, "a checklist has no explanation")
                    .help("put what a count means in a band instead: `[2-3] Message`"),
            );
        }
        for o in &q.options {
            if o.right.is_some() {
                errors.push(
                    BlockError::new(
                        o.text.line,
                        "checklist statements are not marked right or wrong",
                    )
                    .help("write a statement as `- I feel ...`, without `[ ]` or `[x]`"),
                );
            }
            if let Some(f) = &o.feedback {
                let help = if o.flag.is_some() {
                    "a flagged statement's message is written without `>`: indent its lines two spaces under `- (!) statement`"
                } else {
                    "say what a count means in the bands after the list; for a statement that needs an answer of its own, flag it: `- (!) statement` with its message indented under it"
                };
                errors.push(
                    BlockError::new(f.line, "checklist statements have no feedback").help(help),
                );
            }
        }
    }
    let total: usize = quiz.questions.iter().map(|q| q.options.len()).sum();
    if quiz.bands.is_empty() {
        errors.push(BlockError::new(quiz.title.line, "the checklist has no bands").help("after the statements, say what each count means: `[0-1] Message`, `[2-3] Message`, `[4-] Message`"));
        return;
    }
    for (i, b) in quiz.bands.iter().enumerate() {
        if let Some(prev) = quiz.bands[..i]
            .iter()
            .find(|p| p.min <= b.max.unwrap_or(usize::MAX) && b.min <= p.max.unwrap_or(usize::MAX))
        {
            errors.push(
                BlockError::new(
                    b.message.line,
                    format!("this band overlaps the one on line {}", prev.message.line),
                )
                .help("each count may fall in one band only"),
            );
        }
        if total > 0 && b.min > total {
            errors.push(
                BlockError::new(
                    b.message.line,
                    format!("no one can tick {} of {total} statements", b.min),
                )
                .help(format!("bands count from 0 to {total}")),
            );
        }
    }
    if total > 0 {
        let missing: Vec<usize> = (0..=total)
            .filter(|n| !quiz.bands.iter().any(|b| b.contains(*n)))
            .collect();
        if let Some(first) = missing.first() {
            let list = missing
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            errors.push(
                BlockError::new(quiz.bands[0].message.line, format!("no band says what ticking {list} of {total} means"))
                    .help(format!("the bands must cover every count from 0 to {total}; e.g. add `[{first}-{first}] Message`, or end the last band with `-]`")),
            );
        }
    }
}

fn validate_assessment(quiz: &mut Quiz, errors: &mut Vec<BlockError>) {
    if let Some(b) = quiz.bands.first() {
        errors.push(
            BlockError::new(b.message.line, "bands belong to checklists")
                .help("a self-assessment names the reader's strongest category instead"),
        );
    }
    if quiz.categories.is_empty() {
        errors.push(
            BlockError::new(quiz.title.line, "the self-assessment has no categories")
                .help("define each category before the questions: `[closeness] Closeness`, then an indented line describing it"),
        );
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &quiz.categories {
        if let Some(first) = seen.insert(&c.id, c.name.line) {
            errors.push(
                BlockError::new(
                    c.name.line,
                    format!("the category `{}` is defined twice", c.id),
                )
                .help(format!(
                    "it is already defined on line {first}; category ids must be unique"
                )),
            );
        }
        if c.description.is_none() {
            errors.push(
                BlockError::new(
                    c.name.line,
                    format!("the category `{}` has no description", c.id),
                )
                .help(
                    "add an indented line under it: what this result means, and where to read more",
                ),
            );
        }
    }
    let defined: Vec<&str> = quiz.categories.iter().map(|c| c.id.as_str()).collect();
    for q in &mut quiz.questions {
        if let Some(e) = &q.explanation {
            errors.push(
                BlockError::new(e.line, "a self-assessment question has no explanation")
                    .help("there are no right answers; describe each category instead"),
            );
        }
        if q.options.len() == 1 {
            errors.push(
                BlockError::new(q.text.line, "this question has only one option")
                    .help("give it at least two options to choose from"),
            );
        }
        for o in &mut q.options {
            if o.right.is_some() {
                errors.push(BlockError::new(o.text.line, "a self-assessment has no right answers").help("remove `[ ]`/`[x]` and end the option with the category it leans toward: `- option {category}`"));
            }
            if let Some(f) = &o.feedback {
                errors.push(
                    BlockError::new(f.line, "self-assessment options have no feedback")
                        .help("put what a result means in the category's description"),
                );
            }
            let line = o.text.line;
            match split_weights(&o.text.text) {
                None => errors.push(
                    BlockError::new(line, "this option leans toward no category")
                        .help("end it with the category it leans toward: `{closeness}`, or several with weights: `{words: 2, closeness: 1}`"),
                ),
                Some((text, spec)) => {
                    let text = text.to_string();
                    match parse_weights(spec) {
                        Err(msg) => errors.push(BlockError::new(line, msg).help("write `{category}`, `{category: 2}` or `{one: 1, other: 2}`; weights are whole numbers from 1 to 100")),
                        Ok(weights) => {
                            for (c, _) in &weights {
                                if !defined.contains(&c.as_str()) {
                                    let help = match closest(c, &defined) {
                                        Some(s) => format!("did you mean `{s}`? Defined categories: {}", list_ids(&defined)),
                                        None if defined.is_empty() => "define it before the questions: `[id] Name` and an indented description".to_string(),
                                        None => format!("define it before the questions with `[{c}] Name`, or use one of: {}", list_ids(&defined)),
                                    };
                                    errors.push(BlockError::new(line, format!("the category `{c}` is not defined")).help(help));
                                }
                            }
                            o.weights = weights;
                        }
                    }
                    o.text.text = text;
                }
            }
        }
    }
}

fn list_ids(ids: &[&str]) -> String {
    ids.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `- item`, `* item`, `+ item` -> `item`.
fn list_item(line: &str) -> Option<&str> {
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(m) {
            return Some(rest);
        }
    }
    if matches!(line, "-" | "*" | "+") {
        return Some("");
    }
    None
}

/// `2. step` / `2) step` -> (2, "step").
fn numbered_item(line: &str) -> Option<(usize, &str)> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = line[digits..]
        .strip_prefix(". ")
        .or_else(|| line[digits..].strip_prefix(") "))?;
    Some((line[..digits].parse().ok()?, rest))
}

/// `[x] text` / `[ ] text` -> (right, text).
fn checkbox(item: &str) -> Option<(bool, &str)> {
    let rest = item.strip_prefix('[')?;
    let (mark, text) = rest.split_once(']')?;
    match mark {
        "x" | "X" => Some((true, text)),
        " " | "" => Some((false, text)),
        _ => None,
    }
}

/// `[label] rest` at the start of a line.
fn bracket(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('[')?;
    let (label, rest) = rest.split_once(']')?;
    // `[text](url)` is a link, not a band or category.
    if rest.starts_with('(') {
        return None;
    }
    Some((label, rest))
}

/// A band label: `0-1`, `4-`, `3` (en dashes too). None when it is not numeric at all.
fn parse_range(label: &str) -> Option<Result<(usize, Option<usize>), String>> {
    let label = label.trim().replace(['\u{2013}', '\u{2014}'], "-");
    if label.is_empty()
        || !label
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ' || c == '+')
    {
        return None;
    }
    let label = label.replace(' ', "");
    let parsed = if let Some(min) = label.strip_suffix('+') {
        min.parse().ok().map(|m| (m, None))
    } else if let Some((a, b)) = label.split_once('-') {
        match (a.parse::<usize>(), b) {
            (Ok(a), "") => Some((a, None)),
            (Ok(a), b) => b.parse().ok().map(|b| (a, Some(b))),
            _ => None,
        }
    } else {
        label.parse().ok().map(|m| (m, Some(m)))
    };
    Some(match parsed {
        None => Err(format!("`[{label}]` is not a band")),
        Some((a, Some(b))) if b < a => {
            Err(format!("this band runs backwards: {a} is more than {b}"))
        }
        Some(r) => Ok(r),
    })
}

/// `key: value` with a simple key.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    if key.is_empty()
        || key.len() > 30
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    Some((key, value.trim()))
}

/// `Question text {#id}` -> (text, id).
fn split_heading_id(text: &str) -> (&str, Option<String>) {
    if let Some(open) = text.rfind("{#")
        && text.ends_with('}')
    {
        return (
            text[..open].trim_end(),
            Some(text[open + 2..text.len() - 1].trim().to_string()),
        );
    }
    (text, None)
}

/// `Option text {a: 2, b}` -> ("Option text", "a: 2, b").
pub fn split_weights(text: &str) -> Option<(&str, &str)> {
    let t = text.trim_end();
    if !t.ends_with('}') {
        return None;
    }
    let open = t.rfind('{')?;
    Some((t[..open].trim_end(), &t[open + 1..t.len() - 1]))
}

fn parse_weights(spec: &str) -> Result<Vec<(String, u32)>, String> {
    let mut out: Vec<(String, u32)> = Vec::new();
    if spec.trim().is_empty() {
        return Err("`{}` names no category".to_string());
    }
    for part in spec.split(',') {
        let part = part.trim();
        let (name, weight) = match part.split_once(':') {
            Some((n, w)) => {
                let w = w.trim();
                match w.parse::<u32>() {
                    Ok(v) if (1..=MAX_WEIGHT).contains(&v) => (n.trim(), v),
                    _ => return Err(format!("`{w}` is not a weight")),
                }
            }
            None => (part, 1),
        };
        if name.is_empty() {
            return Err("a weight without a category".to_string());
        }
        if out.iter().any(|(c, _)| c == name) {
            return Err(format!(
                "the category `{name}` is named twice in this option"
            ));
        }
        out.push((name.to_string(), weight));
    }
    Ok(out)
}

/// Lower-case letters, digits, `-` and `_`, starting with a letter or digit.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A slug of the title's text (without Markdown marks).
fn plain_slug(text: &str) -> String {
    crate::slug::slugify(&text.replace(['*', '_', '`'], ""))
}

fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (*c, strsim::jaro_winkler(word, c)))
        .filter(|(_, s)| *s > 0.75)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

//! What only the whole quiz can tell, checked after parsing: a right answer per question,
//! steps in order, bands covering every count, categories defined and weighted.

use std::collections::{BTreeMap, HashSet};

use super::syntax::{closest, parse_weights, split_weights};
use super::types::{Answer, Question, Quiz, QuizType};
use crate::blocks::BlockError;

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

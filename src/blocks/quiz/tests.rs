use std::path::Path;
use std::sync::Arc;

use super::parse::{parse, parse_block};
use super::types::{Answer, QuizType, Source, Text};
use super::*;
use crate::blocks::BlockContext;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::markdown::headings::IdSet;

const KNOWLEDGE: &str = "# Aftercare *basics*
type: knowledge
id: aftercare-basics

## Who can need aftercare after a kink scene?
- [ ] Only the person who was submissive
  > Not quite. Dominant partners can feel \"drop\" too.
- [x] Anyone who took part
  > Yes. Anyone involved can need care afterwards.
> Explanation: drop can affect every partner in a scene.

## Aftercare is only for kink.
- [ ] True
  > It started in kink communities, but anyone can benefit.
- [x] False
  > Right. It helps after any kind of sex.

## Which of these are aftercare?
- [x] A hug
  > Yes: closeness.
- [x] A glass of water
  > Yes: practical care.
- [ ] Checking your phone
  > Not quite.
> Closeness, words and practical care all count.
";

const CHECKLIST: &str = "# Is it time to talk to someone?
type: checklist

## Tick what has been true for you lately.
- I feel low after sex most times.
- The bad feelings last for more than a day.
- (!) I have had thoughts of hurting myself.
  Call your local emergency number now, or see [help](@/help.md).

[0-1] Mostly OK. See [help](@/help.md).
[2] Some things weigh on you.
[3-] It may be time to talk to someone. See [help](@/help.md).
";

const ASSESSMENT: &str = "# What helps you?
type: assessment

[closeness] Closeness
  You feel cared for through touch.
  Read [more](@/help.md).
[words] Words
  You feel cared for through what people say.

## Right after sex, I most want...
- To be held close {closeness}
- To hear that it was good {words: 2}
- Both {closeness: 1, words: 1}
";

/// Parses `text` expecting errors: (line, message) of each.
fn errors(text: &str) -> Vec<(usize, String)> {
    match parse_block(text) {
        Ok(q) => panic!("expected errors, got {q:?}"),
        Err(e) => e.into_iter().map(|e| (e.line, e.message)).collect(),
    }
}

fn has(errs: &[(usize, String)], line: usize, msg: &str) -> bool {
    errs.iter().any(|(l, m)| *l == line && m == msg)
}

#[track_caller]
fn assert_error(text: &str, line: usize, msg: &str) {
    let errs = errors(text);
    assert!(
        has(&errs, line, msg),
        "expected `{msg}` on line {line}, got {errs:#?}"
    );
}

#[test]
fn parses_a_knowledge_check() {
    let q = parse(KNOWLEDGE).unwrap();
    assert_eq!(q.kind, QuizType::Knowledge);
    assert_eq!(q.id, "aftercare-basics");
    assert_eq!(q.id_line, Some(3));
    assert_eq!(q.questions.len(), 3);
    let first = &q.questions[0];
    assert_eq!(first.text.line, 5);
    assert_eq!(first.options[1].right, Some(true));
    assert_eq!(
        first.options[0].feedback.as_ref().unwrap().text,
        "Not quite. Dominant partners can feel \"drop\" too."
    );
    assert_eq!(first.explanation.as_ref().unwrap().line, 10);
    assert_eq!(first.answer(), Answer::Single);
    assert_eq!(q.questions[1].answer(), Answer::TrueFalse);
    assert_eq!(q.questions[2].answer(), Answer::Multiple);
}

#[test]
fn spanish_true_false_is_recognised() {
    let q = parse("# Q\ntype: knowledge\n## La DPC es rara.\n- [ ] Verdadero\n  > No.\n- [x] Falso\n  > Sí.\n").unwrap();
    assert_eq!(q.questions[0].answer(), Answer::TrueFalse);
}

#[test]
fn id_defaults_to_the_title() {
    let q =
        parse("# Aftercare *basics*!\ntype: knowledge\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\n")
            .unwrap();
    assert_eq!(q.id, "aftercare-basics");
    assert_eq!(q.id_line, None);
}

#[test]
fn parses_a_checklist_and_its_bands() {
    let q = parse(CHECKLIST).unwrap();
    assert_eq!(q.kind, QuizType::Checklist);
    assert_eq!(q.questions[0].options.len(), 3);
    let b: Vec<(usize, Option<usize>)> = q.bands.iter().map(|b| (b.min, b.max)).collect();
    assert_eq!(b, [(0, Some(1)), (2, Some(2)), (3, None)]);
}

const FLAGGED: &str = "# Is it time?
type: checklist

## Tick what is true.
- I feel low.
- (!) I have had thoughts of hurting myself.
  Call your local emergency number now.
  Or a *crisis line*: see [help](https://example.org/help).
- I avoid touch.

[0-1] Mostly OK.
[2-] Talk to someone: see [help](https://example.org/help).
";

#[test]
fn parses_a_flagged_statement_and_its_message() {
    let q = parse(FLAGGED).unwrap();
    let opts = &q.questions[0].options;
    assert_eq!(opts.len(), 3);
    assert_eq!(opts[0].flag, None);
    assert_eq!(opts[1].text.text, "I have had thoughts of hurting myself.");
    assert_eq!(
        opts[1].flag,
        Some(Text {
            text: "Call your local emergency number now. Or a *crisis line*: see [help](https://example.org/help).".to_string(),
            line: 7,
        })
    );
    assert_eq!(opts[2].flag, None);
}

#[test]
fn error_flagged_statement_problems() {
    // No message: the next statement follows at once.
    assert_error(
        "# C\ntype: checklist\n## Tick\n- (!) I hurt\n- b\n[0-] x [h](https://e.org)\n",
        4,
        "this flagged statement has no message",
    );
    // No message at the end of the list either.
    assert_error(
        "# C\ntype: checklist\n## Tick\n- a\n- (!) I hurt\n\n[0-] x [h](https://e.org)\n",
        5,
        "this flagged statement has no message",
    );
    // The message is not indented: that line is the error, not a missing message.
    let errs = errors(
        "# C\ntype: checklist\n## Tick\n- a\n- (!) I hurt\nCall now.\n[0-] x [h](https://e.org)\n",
    );
    assert!(
        has(&errs, 6, "this flagged statement's message is not indented"),
        "{errs:#?}"
    );
    assert!(
        !has(&errs, 5, "this flagged statement has no message"),
        "{errs:#?}"
    );
    // Written like knowledge-check feedback.
    assert_error(
        "# C\ntype: checklist\n## Tick\n- a\n- (!) I hurt\n  > Call now.\n[0-] x [h](https://e.org)\n",
        6,
        "checklist statements have no feedback",
    );
    // Flags belong to checklists.
    assert_error(
        "# K\ntype: knowledge\n## Q\n- [x] (!) a\n  > yes\n- [ ] b\n  > no\n",
        4,
        "only checklist statements can be flagged",
    );
    // A flag with no statement.
    assert_error(
        "# C\ntype: checklist\n## Tick\n- a\n- (!)\n  Call now.\n[0-] x [h](https://e.org)\n",
        5,
        "this option has no text",
    );
    // An indented line under a statement that is not flagged.
    assert_error(
        "# C\ntype: checklist\n## Tick\n- a\n  Call now.\n- b\n[0-] x [h](https://e.org)\n",
        5,
        "this indented line belongs to nothing",
    );
}

const ORDERING: &str = "# Check-in
type: knowledge

## Put these in order.
1. Ask if now is a good time
   > First, make room.
2. Say what you noticed
3. Ask what they need
> Consent to talk comes first.
";

#[test]
fn parses_an_ordering_question() {
    let q = parse(ORDERING).unwrap();
    let question = &q.questions[0];
    assert_eq!(question.answer(), Answer::Order);
    let steps: Vec<Option<usize>> = question.options.iter().map(|o| o.step).collect();
    assert_eq!(steps, [Some(1), Some(2), Some(3)]);
    assert_eq!(
        question.options[0].feedback.as_ref().unwrap().text,
        "First, make room."
    );
    // Shown mixed up, never in the right order, the same every time.
    let shown = html::shown_order(question);
    assert_ne!(shown, [0, 1, 2]);
    assert_eq!(shown, html::shown_order(question));
    let mut sorted = shown.clone();
    sorted.sort();
    assert_eq!(sorted, [0, 1, 2]);
    let out = html_of(ORDERING, "en");
    assert!(out.contains("data-answer=\"order\""));
    assert!(out.contains("aria-label=\"Move up Say what you noticed\""));
    assert!(out.contains("<ol class=\"quiz-right-order\">\n<li><strong>Ask if now is a good time</strong>: First, make room.</li>\n<li>Say what you noticed</li>"));
}

#[test]
fn error_ordering_problems() {
    assert_error(
        "# Q\ntype: knowledge\n## Order\n1. a\n- [x] b\n  > y\n",
        5,
        "this question mixes steps and options",
    );
    assert_error(
        "# Q\ntype: knowledge\n## Order\n1. a\n3. b\n2. c\n",
        5,
        "this step is numbered 3, but it is step 2",
    );
    assert_error(
        "# Q\ntype: knowledge\n## Order\n1. [x] a\n2. b\n",
        4,
        "steps are not marked right or wrong",
    );
    assert_error(
        "# C\ntype: checklist\n## Tick\n1. a\n2. b\n[0-] x [h](https://e.org)\n",
        4,
        "only knowledge checks have steps to put in order",
    );
}

#[test]
fn shuffle_is_opt_in_per_quiz_or_site() {
    let q = parse("# Q\ntype: knowledge\nshuffle: true\n## A?\n- [x] a\n  > y\n- [ ] b\n  > n\n")
        .unwrap();
    assert_eq!(q.shuffle, Some(true));
    assert_eq!(parse(KNOWLEDGE).unwrap().shuffle, None);
    assert_error(
        "# Q\ntype: knowledge\nshuffle: yes\n## A?\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        3,
        "`yes` is not true or false",
    );
    // The form says so; the site's setting applies when the quiz says nothing.
    let shuffled = "# Q\ntype: knowledge\nshuffle: true\n## A?\n- [x] a\n  > y\n- [ ] b\n  > n\n";
    assert!(html_of(shuffled, "en").contains(" data-shuffle>"));
    assert!(!html_of(KNOWLEDGE, "en").contains("data-shuffle"));
    let (out, _) = render_with(KNOWLEDGE, "en", "[quiz]\nshuffle = true\n");
    assert!(out.unwrap().html.contains(" data-shuffle>"));
    let opted_out = shuffled.replace("shuffle: true", "shuffle: false");
    let (out, _) = render_with(&opted_out, "en", "[quiz]\nshuffle = true\n");
    assert!(!out.unwrap().html.contains("data-shuffle"));
}

#[test]
fn parses_an_assessment_with_weights() {
    let q = parse(ASSESSMENT).unwrap();
    assert_eq!(q.categories.len(), 2);
    assert_eq!(
        q.categories[0].description.as_ref().unwrap().text,
        "You feel cared for through touch. Read [more](@/help.md)."
    );
    let o = &q.questions[0].options;
    assert_eq!(o[0].text.text, "To be held close");
    assert_eq!(o[0].weights, [("closeness".to_string(), 1)]);
    assert_eq!(o[1].weights, [("words".to_string(), 2)]);
    assert_eq!(
        o[2].weights,
        [("closeness".to_string(), 1), ("words".to_string(), 1)]
    );
}

#[test]
fn use_form_names_a_file() {
    assert_eq!(
        parse_block("\nuse: what-helps-you\n").unwrap(),
        Source::Use {
            name: "what-helps-you".into(),
            line: 2
        }
    );
    assert_error("use:\n", 1, "`use:` needs the name of a quiz file");
    assert_error(
        "use: a\n## Q\n",
        2,
        "a block with `use:` holds nothing else",
    );
}

#[test]
fn the_content_quizzes_are_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in [
        "content/aftercare/making-it-practical.md",
        "content/pcd/what-is-pcd.md",
        "content/pcd/what-is-pcd.es.md",
        "content/pcd/living-with-pcd.md",
        "content/aftercare/different-needs.md",
    ] {
        let text = std::fs::read_to_string(root.join(f)).unwrap();
        let start = text.find("```quiz\n").unwrap() + 8;
        let end = start + text[start..].find("\n```").unwrap();
        if let Err(e) = parse_block(&text[start..end + 1]) {
            panic!("{f}: {e:#?}");
        }
    }
    let text = std::fs::read_to_string(root.join("content/quizzes/what-helps-you.quiz")).unwrap();
    let q = parse(&text).unwrap();
    assert_eq!(q.kind, QuizType::Assessment);
    assert_eq!(q.categories.len(), 4);
}

/// Issue 22: no checklist of the guide may reassure a reader in danger. Every statement about
/// self-harm or abuse is flagged, and its message points to urgent help.
#[test]
fn the_guide_flags_every_checklist_statement_about_self_harm_or_abuse() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let danger = [
        "hurt myself",
        "hurting myself",
        "harm myself",
        "harming myself",
        "self-harm",
        "suicid",
        "end my life",
        "ending my life",
        "abuse",
        "unsafe",
        "afraid of",
        "scared of",
        "forced",
    ];
    let mut checklists = 0;
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str());
        if !matches!(ext, Some("md" | "quiz")) {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let blocks: Vec<&str> = if ext == Some("quiz") {
            vec![text.as_str()]
        } else {
            text.split("```quiz\n")
                .skip(1)
                .map(|b| &b[..b.find("\n```").unwrap() + 1])
                .collect()
        };
        for block in blocks {
            let Ok(Source::Inline(q)) = parse_block(block) else {
                continue;
            };
            if q.kind != QuizType::Checklist {
                continue;
            }
            checklists += 1;
            for o in q.questions.iter().flat_map(|q| &q.options) {
                let words = o.text.text.to_lowercase();
                if danger.iter().any(|d| words.contains(d)) {
                    let flag = o.flag.as_ref().unwrap_or_else(|| {
                        panic!("{}: `{}` is not flagged `(!)`", path.display(), o.text.text)
                    });
                    assert!(
                        flag.text.contains("emergency") || flag.text.contains("emergencia"),
                        "{}: the message of `{}` does not point to urgent help",
                        path.display(),
                        o.text.text
                    );
                }
            }
        }
    }
    assert!(checklists > 0, "no checklist found in content/");
}

// ---- every error, with its line ----

#[test]
fn error_no_title() {
    assert_error(
        "type: knowledge\n## Q\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        1,
        "a quiz starts with its title",
    );
    assert_error("\n\n", 1, "this quiz is empty");
}

#[test]
fn error_no_type_and_bad_type() {
    assert_error("# T\n## Q\n- [x] a\n  > y\n", 1, "the quiz has no `type:`");
    assert_error(
        "# T\ntype: knowlege\n## Q\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        2,
        "unknown quiz type `knowlege`",
    );
    let e = parse("# T\ntype: knowlege\n").unwrap_err();
    assert!(
        e[0].help
            .as_deref()
            .unwrap()
            .contains("did you mean `knowledge`"),
        "{e:?}"
    );
}

#[test]
fn error_unknown_and_duplicate_keys() {
    let text = "# T\ntype: knowledge\ntitel: x\ntype: checklist\nid: Not An Id\n## Q\n- [x] a\n  > y\n- [ ] b\n  > n\n";
    let errs = errors(text);
    assert!(has(&errs, 3, "unknown key `titel`"), "{errs:?}");
    assert!(has(&errs, 4, "`type` is given twice"), "{errs:?}");
    assert!(
        has(&errs, 5, "`Not An Id` is not a valid quiz id"),
        "{errs:?}"
    );
}

#[test]
fn error_no_question() {
    assert_error("# T\ntype: knowledge\n", 1, "the quiz has no question");
    assert_error(
        "# T\ntype: checklist\n[0-] x\n",
        1,
        "the checklist has no statements",
    );
}

#[test]
fn error_no_options_and_one_option() {
    assert_error(
        "# T\ntype: knowledge\n## Q?\n> Explained.\n",
        3,
        "this question has no options",
    );
    assert_error(
        "# T\ntype: knowledge\n## Q?\n- [x] only\n  > y\n",
        3,
        "this question has only one option",
    );
    assert_error(
        "# T\ntype: knowledge\n##\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        3,
        "this question has no text",
    );
}

#[test]
fn error_no_right_answer() {
    assert_error(
        "# T\ntype: knowledge\n## Q?\n- [ ] a\n  > n\n- [ ] b\n  > n\n",
        3,
        "this question has no right answer",
    );
    assert_error(
        "# T\ntype: knowledge\n## Q?\n- [x] True\n  > y\n- [x] False\n  > n\n",
        3,
        "a true/false question has exactly one right answer",
    );
}

#[test]
fn error_missing_feedback_and_unmarked_option() {
    let errs = errors("# T\ntype: knowledge\n## Q?\n- [x] a\n- b\n  > n\n");
    assert!(has(&errs, 4, "this option has no feedback"), "{errs:?}");
    assert!(
        has(&errs, 5, "this option is not marked right or wrong"),
        "{errs:?}"
    );
}

#[test]
fn error_misplaced_lines() {
    assert_error(
        "# T\ntype: knowledge\n  > floating\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        3,
        "feedback must come right under an option",
    );
    assert_error(
        "# T\ntype: knowledge\n- [x] a\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        3,
        "this option is not under a question",
    );
    assert_error(
        "# T\ntype: knowledge\n## Q?\n- [x] a\n  > y\n> Why.\n- [ ] b\n  > n\n",
        7,
        "options come before the question's explanation",
    );
    assert_error(
        "# T\ntype: knowledge\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\nSome stray text\n",
        8,
        "this line is not part of the quiz syntax",
    );
    assert_error(
        "# T\ntype: knowledge\n# Again\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        3,
        "a quiz has one title",
    );
    assert_error(
        "# T\ntype: knowledge\n### Q?\n",
        3,
        "only `## ` headings start questions",
    );
    assert_error(
        "# T\ntype: knowledge\n## Q?\n- [x] a\n  > y\n  - nested\n- [ ] b\n  > n\n",
        6,
        "options cannot be nested",
    );
    assert_error(
        "# T\ntype: knowledge\n> Why.\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        3,
        "an explanation must follow a question's options",
    );
    assert_error(
        "# T\ntype: knowledge\n   indented\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        3,
        "this indented line belongs to nothing",
    );
}

#[test]
fn error_duplicate_ids_and_options() {
    let errs = errors(
        "# T\ntype: knowledge\n## A {#q}\n- [x] a\n  > y\n- [ ] a\n  > n\n## B {#q}\n- [x] a\n  > y\n- [ ] b\n  > n\n",
    );
    assert!(
        has(&errs, 6, "this option is listed twice in the question"),
        "{errs:?}"
    );
    assert!(has(&errs, 8, "two questions have the id `q`"), "{errs:?}");
    assert_error(
        "# T\ntype: knowledge\n## A {#Bad Id}\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        3,
        "`Bad Id` is not a valid id",
    );
}

#[test]
fn error_checklist_problems() {
    assert_error(
        "# T\ntype: checklist\n## Tick\n- a\n- b\n",
        1,
        "the checklist has no bands",
    );
    assert_error(
        "# T\ntype: checklist\n## Tick\n- a\n- b\n[0-1] x\n",
        6,
        "no band says what ticking 2 of 2 means",
    );
    assert_error(
        "# T\ntype: checklist\n## Tick\n- a\n- b\n[0-1] x\n[1-] y\n",
        7,
        "this band overlaps the one on line 6",
    );
    assert_error(
        "# T\ntype: checklist\n## Tick\n- a\n- b\n[0-] x\n[5-] y\n",
        7,
        "no one can tick 5 of 2 statements",
    );
    assert_error(
        "# T\ntype: checklist\n## Tick\n- a\n- b\n[2-1] x\n",
        6,
        "this band runs backwards: 2 is more than 1",
    );
    assert_error(
        "# T\ntype: checklist\n## Tick\n- a\n- b\n[0-]\n",
        6,
        "this band has no message",
    );
    assert_error(
        "# T\ntype: checklist\n## Tick\n- [x] a\n- b\n[0-] x\n",
        4,
        "checklist statements are not marked right or wrong",
    );
    assert_error(
        "# T\ntype: checklist\n## Tick\n- a\n  > f\n- b\n[0-] x\n",
        5,
        "checklist statements have no feedback",
    );
    assert_error(
        "# T\ntype: checklist\n## Tick\n- a\n- b\n## More\n- c\n[0-] x\n",
        6,
        "a checklist has one list of statements",
    );
    assert_error(
        "# T\ntype: checklist\n## Tick\n- a\n- b\n> Why\n[0-] x\n",
        6,
        "a checklist has no explanation",
    );
    assert_error(
        "# T\ntype: checklist\n[a] A\n  d\n## Tick\n- a\n[0-] x\n",
        3,
        "categories belong to self-assessments",
    );
}

#[test]
fn error_assessment_problems() {
    let head =
        "# T\ntype: assessment\n[closeness] Closeness\n  Touch.\n[words] Words\n  Talk.\n## Q\n";
    assert_error(
        &format!("{head}- Held {{closenes}}\n- Told {{words}}\n"),
        8,
        "the category `closenes` is not defined",
    );
    let e = parse(&format!("{head}- Held {{closenes}}\n- Told {{words}}\n")).unwrap_err();
    assert!(
        e[0].help
            .as_deref()
            .unwrap()
            .contains("did you mean `closeness`"),
        "{e:?}"
    );
    assert_error(
        &format!("{head}- Held\n- Told {{words}}\n"),
        8,
        "this option leans toward no category",
    );
    assert_error(
        &format!("{head}- Held {{closeness: lots}}\n- Told {{words}}\n"),
        8,
        "`lots` is not a weight",
    );
    assert_error(
        &format!("{head}- Held {{closeness: 0}}\n- Told {{words}}\n"),
        8,
        "`0` is not a weight",
    );
    assert_error(
        &format!("{head}- Held {{words, words: 2}}\n- Told {{words}}\n"),
        8,
        "the category `words` is named twice in this option",
    );
    assert_error(
        &format!("{head}- Held {{}}\n- Told {{words}}\n"),
        8,
        "`{}` names no category",
    );
    assert_error(
        &format!("{head}- [x] Held {{words}}\n- Told {{words}}\n"),
        8,
        "a self-assessment has no right answers",
    );
    assert_error(
        &format!("{head}- Held {{words}}\n  > nice\n- Told {{words}}\n"),
        9,
        "self-assessment options have no feedback",
    );
    assert_error(
        &format!("{head}- Held {{words}}\n- Told {{words}}\n> Why\n"),
        10,
        "a self-assessment question has no explanation",
    );
    assert_error(
        "# T\ntype: assessment\n[a] A\n  d\n[a] Again\n  d\n## Q\n- x {a}\n- y {a}\n",
        5,
        "the category `a` is defined twice",
    );
    assert_error(
        "# T\ntype: assessment\n[a] A\n## Q\n- x {a}\n- y {a}\n",
        3,
        "the category `a` has no description",
    );
    assert_error(
        "# T\ntype: assessment\n[Bad Id] A\n  d\n## Q\n- x {a}\n- y {a}\n",
        3,
        "`Bad Id` is not a valid category id",
    );
    assert_error(
        "# T\ntype: assessment\n[a]\n  d\n## Q\n- x {a}\n- y {a}\n",
        3,
        "the category `a` has no name",
    );
    assert_error(
        "# T\ntype: assessment\n## Q\n- x {a}\n- y {a}\n",
        1,
        "the self-assessment has no categories",
    );
    assert_error(
        "# T\ntype: assessment\n[a] A\n  d\n## Q\n- x {a}\n- y {a}\n[b] B\n  d\n",
        8,
        "categories come before the questions",
    );
    assert_error(
        "# T\ntype: assessment\n[a] A\n  d\n## Q\n- x {a}\n- y {a}\n[0-] x\n",
        8,
        "bands belong to checklists",
    );
    assert_error(
        "# T\ntype: knowledge\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\n[0-] x\n",
        8,
        "bands belong to checklists",
    );
    assert_error(
        "# T\ntype: knowledge\n[a] A\n  d\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        3,
        "categories belong to self-assessments",
    );
}

#[test]
fn errors_are_all_reported_in_line_order() {
    let errs = errors("# T\ntype: knowledge\nfoo: 1\n## Q?\n- [ ] a\n- [ ] b\n");
    let lines: Vec<usize> = errs.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [3, 4, 5, 6], "{errs:#?}");
}

// ---- rendering ----

fn test_site(config: &str) -> (Config, crate::model::Site) {
    let files = [
        ("help.md", "+++\ntitle = \"Help\"\n+++\n## Now {#now}\n"),
        (
            "quizzes/shared.quiz",
            "# Shared\ntype: knowledge\nid: shared\n\n## Q?\n- [x] [yes](@/help.md)\n  > y\n- [ ] no\n  > n\n",
        ),
        (
            "quizzes/broken.quiz",
            "# Broken\ntype: knowledge\n\n## Q?\n- [x] a\n- [ ] b\n  > n\n",
        ),
        (
            "other.md",
            "+++\ntitle = \"Other\"\n+++\n```quiz\n# O\ntype: knowledge\nid: taken\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\n```\n",
        ),
    ];
    crate::model::test_site(config, &files)
}

/// Renders one quiz block in a page of language `lang`.
fn render_with(
    text: &str,
    lang: &str,
    config: &str,
) -> (
    Result<crate::blocks::BlockOutput, Vec<crate::blocks::BlockError>>,
    Vec<Diagnostic>,
) {
    let (config, site) = test_site(config);
    let source: Arc<str> = Arc::from(text);
    let ctx = RenderContext {
        site: &site,
        config: &config,
        lang,
        key: "page.md",
        display: Path::new("content/page.md"),
        source: &source,
        body_offset: 0,
        target: None,
        blocks: crate::blocks::ALL,
    };
    let mut ids = IdSet::default();
    let mut bctx = BlockContext::new(&ctx, 1, 0, &mut ids);
    let out = render(text, &mut bctx);
    let diags = bctx.take_diagnostics();
    (out, diags)
}

fn html_of(text: &str, lang: &str) -> String {
    let (out, diags) = render_with(text, lang, "");
    assert!(diags.is_empty(), "{diags:?}");
    out.unwrap().html
}

#[test]
fn snapshot_knowledge() {
    insta::assert_snapshot!(html_of(KNOWLEDGE, "en"));
}

#[test]
fn a_checklist_top_band_without_a_link_is_a_warning() {
    let text = CHECKLIST.replace(
        "[3-] It may be time to talk to someone. See [help](@/help.md).",
        "[3-] It may be time to talk to someone.",
    );
    let (out, diags) = render_with(&text, "en", "");
    assert!(out.is_ok(), "a warning must not fail the block");
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert!(!d.is_error());
    assert_eq!(d.message, "the top band of this checklist has no help link");
    assert_eq!(d.line_col(), Some((12, 1)), "{d:?}");
    // Only checklists have bands to warn about; the linked original is clean.
    assert!(render_with(CHECKLIST, "en", "").1.is_empty());
}

#[test]
fn snapshot_checklist() {
    insta::assert_snapshot!(html_of(CHECKLIST, "en"));
}

#[test]
fn snapshot_assessment() {
    insta::assert_snapshot!(html_of(ASSESSMENT, "en"));
}

#[test]
fn snapshot_spanish_with_remember() {
    let text = "# Datos\ntype: knowledge\n## La DPC es rara.\n- [ ] Verdadero\n  > No.\n- [x] Falso\n  > Sí.\n";
    let (out, _) = render_with(
        text,
        "es",
        "[languages.es]\n[quiz]\nremember_answers = true\n[quiz.strings.es]\ncheck = \"¡Comprobar!\"\n",
    );
    insta::assert_snapshot!(out.unwrap().html);
}

#[test]
fn raw_html_is_escaped_and_javascript_links_defused() {
    let text = "# <script>alert(1)</script> T\ntype: knowledge\n## Is <b>this</b> `<i>` bold?\n- [x] <img src=x onerror=alert(1)>\n  > [bad](javascript:alert(1)) \"q\"\n- [ ] b & c\n  > n\n";
    let html = html_of(text, "en");
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("<code>&lt;i&gt;</code>"), "{html}");
    assert!(html.contains("b &amp; c"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
}

#[test]
fn site_strings_override_and_fall_back() {
    // The deprecated haven.toml tables, read as the site's `quiz_*` strings.
    let mut config = Config::parse(
        "[languages.fr]\n[languages.es]\n[quiz.strings.fr]\ncheck = \"Vérifier\"\n[quiz.strings.en]\nreset = \"Again\"\n",
        Path::new("haven.toml"),
    )
    .unwrap();
    config.ui = crate::i18n::resolve_builtin(&config);
    let fr = strings::Strings::new("fr", &config);
    assert_eq!(fr.get("check"), "Vérifier");
    let en = strings::Strings::new("en", &config);
    assert_eq!(en.get("reset"), "Again");
    let es = strings::Strings::new("es", &config);
    assert_eq!(es.get("reset"), "Volver a empezar");
    for k in strings::keys() {
        assert!(!es.get(k).is_empty(), "{k}");
    }
}

#[test]
fn use_renders_the_quiz_file_and_checks_its_links() {
    let (out, diags) = render_with("use: shared\n", "en", "");
    assert!(diags.is_empty(), "{diags:?}");
    let out = out.unwrap();
    assert_eq!(out.id.as_deref(), Some("shared"));
    assert!(
        out.html.contains("<a href=\"/help/\">yes</a>"),
        "{}",
        out.html
    );
}

#[test]
fn use_of_a_broken_file_is_located_in_that_file() {
    let (out, diags) = render_with("use: broken\n", "en", "");
    assert_eq!(out.unwrap_err(), vec![]);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].message, "this option has no feedback");
    assert_eq!(
        diags[0].file.as_deref(),
        Some(Path::new("content/quizzes/broken.quiz"))
    );
    assert_eq!(diags[0].line_col(), Some((5, 1)));
}

#[test]
fn use_of_a_missing_file_suggests_one() {
    let (out, _) = render_with("use: shred\n", "en", "");
    let e = out.unwrap_err();
    assert_eq!(e[0].message, "no quiz file named `shred`");
    assert!(
        e[0].help.as_deref().unwrap().contains("use: shared"),
        "{e:?}"
    );
}

#[test]
fn duplicate_quiz_ids_across_the_site_are_errors() {
    let (out, _) = render_with(
        "# Mine\ntype: knowledge\nid: taken\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        "en",
        "",
    );
    let e = out.unwrap_err();
    assert_eq!(e[0].line, 3);
    assert_eq!(e[0].message, "another quiz already has the id `taken`");
    assert!(
        e[0].help.as_deref().unwrap().contains("content/other.md:7"),
        "{e:?}"
    );
    let (out, _) = render_with(
        "# Mine\ntype: knowledge\nid: shared\n## Q?\n- [x] a\n  > y\n- [ ] b\n  > n\n",
        "en",
        "",
    );
    assert!(
        out.unwrap_err()[0]
            .help
            .as_deref()
            .unwrap()
            .contains("content/quizzes/shared.quiz:3")
    );
}

#[test]
fn broken_links_are_located_on_their_line() {
    let (_, diags) = render_with(
        "# T\ntype: knowledge\n## Q?\n- [x] a\n  > see [x](@/nope.md)\n- [ ] b\n  > n\n",
        "en",
        "",
    );
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].line_col().map(|l| l.0), Some(5));
}

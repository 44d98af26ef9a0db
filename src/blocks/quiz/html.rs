//! A parsed quiz to HTML: a `form` that is useful as it stands (answers and explanations in
//! `<details>`), and that `quiz.js` turns into an interactive quiz. The script finds everything
//! by class and `data-` attribute; its messages come from the form's `data-t-*` attributes.

use std::fmt::Write;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::strings::{JS_KEYS, Strings};
use super::types::{Answer, Question, Quiz, QuizType};
use crate::blocks::BlockContext;
use crate::markdown::{links, options};

/// Escapes text for HTML content and attribute values.
pub use crate::html::escape as esc;

/// Inline Markdown on `line` of the block to HTML. Raw HTML is shown as text, never passed
/// through; `javascript:` links lose their target; internal links are resolved and checked.
pub fn inline(ctx: &mut BlockContext, text: &str, line: usize) -> String {
    let at = ctx.line_offset(line);
    let render = ctx.render;
    let span = (at, at + text.len());
    let mut stack = Vec::new();
    let events: Vec<Event> = Parser::new_ext(text, options(render.config))
        .filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        })
        .map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("javascript:") =>
            {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: "#".into(),
                    title,
                    id,
                })
            }
            e => e,
        })
        .map(|e| {
            links::rewrite(
                e,
                span,
                render,
                &mut stack,
                &mut ctx.anchor_refs,
                &mut ctx.diags,
            )
        })
        .collect();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html.trim_end().to_string()
}

/// The text of inline Markdown, without its marks.
pub fn plain(text: &str) -> String {
    let mut out = String::new();
    for e in Parser::new(text) {
        match e {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// A quiz as HTML, and the same quiz for paper.
pub struct RenderedQuiz {
    pub html: String,
    /// The title as inline HTML.
    pub title_html: String,
    pub print: PrintForm,
}

/// A quiz for paper: the form without its answers, and the answers to print after the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintForm {
    /// The quiz's HTML with every `<details class="quiz-answer">` left out.
    pub html: String,
    pub answers: Vec<PrintAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintAnswer {
    /// "Question 1 of 5" for a question's answer; the answer's own summary ("What your count
    /// means") for one that belongs to the whole quiz.
    pub label_html: String,
    /// The answer as the form shows it inside its `<details>`, without the `<summary>`.
    pub html: String,
}

/// The answers of a quiz as they are written into its HTML: where each is, and what it says.
#[derive(Default)]
struct Answers {
    /// Byte ranges of the `<details>` elements (with the newline after each) in the HTML.
    spans: Vec<(usize, usize)>,
    items: Vec<PrintAnswer>,
    /// Where the open answer's element and text start.
    open: (usize, usize),
}

impl Answers {
    /// Writes the opening of an answer, `<details class="quiz-answer">` and its summary; its
    /// text follows, then [`Answers::close`].
    fn open(&mut self, h: &mut String, summary: &str) {
        let start = h.len();
        let _ = writeln!(
            h,
            "<details class=\"quiz-answer\"><summary>{}</summary>",
            esc(summary)
        );
        self.open = (start, h.len());
    }

    /// Closes the open answer; `label_html` names it on paper.
    fn close(&mut self, h: &mut String, label_html: String) {
        let (start, text) = self.open;
        let html = h[text..].trim().to_string();
        h.push_str("</details>\n");
        self.spans.push((start, h.len()));
        self.items.push(PrintAnswer { label_html, html });
    }

    /// `html` without the answers.
    fn print_form(self, html: &str) -> PrintForm {
        let mut out = String::with_capacity(html.len());
        let mut at = 0;
        for (start, end) in &self.spans {
            out.push_str(&html[at..*start]);
            at = *end;
        }
        out.push_str(&html[at..]);
        PrintForm {
            html: out,
            answers: self.items,
        }
    }
}

/// "Question 1 of 5", as an answer on paper is labelled.
fn question_label(t: &Strings, n: usize, total: usize) -> String {
    esc(&t.fill("question_n", n, total))
        .trim()
        .trim_end_matches(':')
        .to_string()
}

/// The quiz as HTML; `id` is its element id, unique on the page.
pub fn render(
    quiz: &Quiz,
    id: &str,
    ctx: &mut BlockContext,
    t: &Strings,
    remember: bool,
) -> RenderedQuiz {
    let mut h = String::new();
    let mut answers = Answers::default();
    let kind = quiz.kind.name();
    let _ = write!(
        h,
        "<form class=\"quiz quiz-{kind}\" id=\"{id}\" data-quiz=\"{}\" data-type=\"{kind}\" aria-labelledby=\"{id}-title\"",
        esc(&quiz.id)
    );
    for key in JS_KEYS {
        // Only a checklist has flagged statements to speak of, and only ordering questions
        // have steps.
        if key.starts_with("js_flag") && quiz.kind != QuizType::Checklist {
            continue;
        }
        if (key.starts_with("js_step") || *key == "js_moved")
            && !quiz.questions.iter().any(|q| q.answer() == Answer::Order)
        {
            continue;
        }
        if let Some(k) = key.strip_prefix("js_") {
            let _ = write!(h, " data-t-{}=\"{}\"", k.replace('_', "-"), esc(t.get(key)));
        }
    }
    if remember {
        h.push_str(" data-remember");
    }
    if quiz.shuffle.unwrap_or(ctx.render.config.quiz.shuffle) {
        h.push_str(" data-shuffle");
    }
    h.push_str(">\n");
    let title = inline(ctx, &quiz.title.text, quiz.title.line);
    let _ = writeln!(h, "<h3 class=\"quiz-title\" id=\"{id}-title\">{title}</h3>");
    let about = match quiz.kind {
        QuizType::Knowledge if quiz.questions.len() == 1 => {
            t.get("about_knowledge_one").to_string()
        }
        QuizType::Knowledge => t.fill("about_knowledge", 0, quiz.questions.len()),
        QuizType::Checklist => t.get("about_checklist").to_string(),
        QuizType::Assessment => t.get("about_assessment").to_string(),
    };
    let _ = writeln!(h, "<p class=\"quiz-about\">{}</p>", esc(&about));
    if remember {
        let _ = writeln!(
            h,
            "<p class=\"quiz-remember\" hidden><input type=\"checkbox\" id=\"{id}-remember\" class=\"quiz-remember-box\"><label for=\"{id}-remember\">{}</label> <button type=\"button\" class=\"quiz-clear\">{}</button></p>",
            esc(t.get("remember")),
            esc(t.get("clear"))
        );
    }
    let a = &mut answers;
    match quiz.kind {
        QuizType::Knowledge => knowledge(&mut h, a, quiz, id, ctx, t),
        QuizType::Checklist => checklist(&mut h, a, quiz, id, ctx, t),
        QuizType::Assessment => assessment(&mut h, a, quiz, id, ctx, t),
    }
    let finish = match quiz.kind {
        QuizType::Knowledge => "finish_knowledge",
        QuizType::Checklist => "finish_checklist",
        QuizType::Assessment => "finish_assessment",
    };
    let _ = writeln!(
        h,
        "<div class=\"quiz-end\" hidden>\n<p class=\"quiz-actions\"><button type=\"button\" class=\"quiz-finish\">{}</button> <button type=\"button\" class=\"quiz-reset\">{}</button></p>\n<div class=\"quiz-score\" id=\"{id}-score\" tabindex=\"-1\" hidden></div>\n</div>",
        esc(t.get(finish)),
        esc(t.get("reset"))
    );
    h.push_str("<p class=\"quiz-live\" role=\"status\"></p>\n</form>\n");
    let print = answers.print_form(&h);
    RenderedQuiz {
        html: h,
        title_html: title,
        print,
    }
}

fn question_id(ctx: &mut BlockContext, quiz_id: &str, explicit: Option<&str>, n: usize) -> String {
    match explicit {
        Some(q) => ctx.unique_id(q),
        None => ctx.unique_id(&format!("{quiz_id}-q{n}")),
    }
}

fn knowledge(
    h: &mut String,
    answers: &mut Answers,
    quiz: &Quiz,
    id: &str,
    ctx: &mut BlockContext,
    t: &Strings,
) {
    let total = quiz.questions.len();
    for (i, q) in quiz.questions.iter().enumerate() {
        let qid = question_id(ctx, id, q.id.as_deref(), i + 1);
        let answer = q.answer();
        let (input, hint, data) = match answer {
            Answer::Single => ("radio", "choose_one", "single"),
            Answer::Multiple => ("checkbox", "choose_all", "multiple"),
            Answer::TrueFalse => ("radio", "true_false", "truefalse"),
            Answer::Order => {
                order_question(h, answers, q, &qid, (i + 1, total), ctx, t);
                continue;
            }
        };
        let text = inline(ctx, &q.text.text, q.text.line);
        let _ = writeln!(
            h,
            "<fieldset class=\"quiz-q\" id=\"{qid}\" data-answer=\"{data}\">\n<legend><span class=\"quiz-n\">{}</span> {text} <span class=\"quiz-hint\">{}</span></legend>\n<ul class=\"quiz-options\">",
            esc(&t.fill("question_n", i + 1, total)),
            esc(t.get(hint))
        );
        let mut rendered = Vec::new();
        for (j, o) in q.options.iter().enumerate() {
            let oid = format!("{qid}-{}", j + 1);
            let label = inline(ctx, &o.text.text, o.text.line);
            let feedback = o
                .feedback
                .as_ref()
                .map(|f| inline(ctx, &f.text, f.line))
                .unwrap_or_default();
            let right = if o.right == Some(true) {
                " data-right"
            } else {
                ""
            };
            let _ = writeln!(
                h,
                "<li class=\"quiz-option\"><input type=\"{input}\" name=\"{qid}\" id=\"{oid}\" value=\"{}\"{right}><label for=\"{oid}\">{label}</label>\n<div class=\"quiz-feedback\" id=\"{oid}-fb\" hidden><strong class=\"quiz-mark\"></strong> {feedback}</div></li>",
                j + 1
            );
            rendered.push((label, feedback, o.right == Some(true)));
        }
        h.push_str("</ul>\n");
        let _ = writeln!(
            h,
            "<div class=\"quiz-result\" id=\"{qid}-result\" tabindex=\"-1\" hidden></div>"
        );
        let _ = writeln!(
            h,
            "<p class=\"quiz-actions\" hidden><button type=\"button\" class=\"quiz-check\">{}</button></p>",
            esc(t.get("check"))
        );
        let rights: Vec<&str> = rendered
            .iter()
            .filter(|r| r.2)
            .map(|r| r.0.as_str())
            .collect();
        let key = if rights.len() > 1 {
            "right_answers"
        } else {
            "right_answer"
        };
        answers.open(h, t.get("show_answer"));
        let _ = writeln!(
            h,
            "<p><strong>{}</strong> {}</p>\n<ul>",
            esc(t.get(key)),
            rights.join("; ")
        );
        for (label, feedback, _) in &rendered {
            let _ = writeln!(h, "<li><strong>{label}</strong>: {feedback}</li>");
        }
        h.push_str("</ul>\n");
        if let Some(e) = &q.explanation {
            let _ = writeln!(
                h,
                "<p class=\"quiz-explanation\">{}</p>",
                inline(ctx, &e.text, e.line)
            );
        }
        answers.close(h, question_label(t, i + 1, total));
        h.push_str("</fieldset>\n");
    }
}

/// The order an ordering question's steps are shown in: mixed up, the same at every build (a
/// shuffle seeded by the question's text), never already right.
pub fn shown_order(q: &Question) -> Vec<usize> {
    let n = q.options.len();
    let mut order: Vec<usize> = (0..n).collect();
    // FNV-1a of the text, then a small linear congruential generator.
    let mut seed = q.text.text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    for i in (1..n).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = ((seed >> 33) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    if order.iter().enumerate().all(|(i, &k)| i == k) {
        order.rotate_left(1);
    }
    order
}

/// An ordering question: the steps in a list, mixed up, each with Move up / Move down buttons
/// (shown by the script); without JavaScript, the right order in `<details>`.
fn order_question(
    h: &mut String,
    answers: &mut Answers,
    q: &Question,
    qid: &str,
    (n, total): (usize, usize),
    ctx: &mut BlockContext,
    t: &Strings,
) {
    let text = inline(ctx, &q.text.text, q.text.line);
    let _ = writeln!(
        h,
        "<fieldset class=\"quiz-q\" id=\"{qid}\" data-answer=\"order\">\n<legend><span class=\"quiz-n\">{}</span> {text} <span class=\"quiz-hint\">{}</span></legend>\n<ol class=\"quiz-options quiz-steps\">",
        esc(&t.fill("question_n", n, total)),
        esc(t.get("order_hint"))
    );
    let steps: Vec<(String, String, String)> = q
        .options
        .iter()
        .map(|o| {
            (
                inline(ctx, &o.text.text, o.text.line),
                plain(&o.text.text),
                o.feedback
                    .as_ref()
                    .map(|f| inline(ctx, &f.text, f.line))
                    .unwrap_or_default(),
            )
        })
        .collect();
    for k in shown_order(q) {
        let (label, words, feedback) = &steps[k];
        let sid = format!("{qid}-{}", k + 1);
        let _ = writeln!(
            h,
            "<li class=\"quiz-option quiz-step\" id=\"{sid}\" data-step=\"{}\"><span class=\"quiz-step-text\">{label}</span> <span class=\"quiz-move\" hidden><button type=\"button\" class=\"quiz-up\" aria-label=\"{} {}\">{}</button> <button type=\"button\" class=\"quiz-down\" aria-label=\"{} {}\">{}</button></span>\n<div class=\"quiz-feedback\" id=\"{sid}-fb\" hidden><strong class=\"quiz-mark\"></strong> {feedback}</div></li>",
            k + 1,
            esc(t.get("move_up")),
            esc(words),
            esc(t.get("move_up")),
            esc(t.get("move_down")),
            esc(words),
            esc(t.get("move_down")),
        );
    }
    h.push_str("</ol>\n");
    let _ = writeln!(
        h,
        "<div class=\"quiz-result\" id=\"{qid}-result\" tabindex=\"-1\" hidden></div>\n<p class=\"quiz-actions\" hidden><button type=\"button\" class=\"quiz-check\">{}</button></p>",
        esc(t.get("check"))
    );
    answers.open(h, t.get("show_answer"));
    let _ = writeln!(
        h,
        "<p><strong>{}</strong></p>\n<ol class=\"quiz-right-order\">",
        esc(t.get("right_order"))
    );
    for (label, _, feedback) in &steps {
        if feedback.is_empty() {
            let _ = writeln!(h, "<li>{label}</li>");
        } else {
            let _ = writeln!(h, "<li><strong>{label}</strong>: {feedback}</li>");
        }
    }
    h.push_str("</ol>\n");
    if let Some(e) = &q.explanation {
        let _ = writeln!(
            h,
            "<p class=\"quiz-explanation\">{}</p>",
            inline(ctx, &e.text, e.line)
        );
    }
    answers.close(h, question_label(t, n, total));
    h.push_str("</fieldset>\n");
}

fn checklist(
    h: &mut String,
    answers: &mut Answers,
    quiz: &Quiz,
    id: &str,
    ctx: &mut BlockContext,
    t: &Strings,
) {
    let mut total = 0;
    // Flagged statements, (option id, label, message): they lead the explanation, and the
    // script shows their messages before (and instead of) the count's band.
    let mut flags: Vec<(String, String, String)> = Vec::new();
    for (i, q) in quiz.questions.iter().enumerate() {
        let qid = question_id(ctx, id, q.id.as_deref(), i + 1);
        let text = inline(ctx, &q.text.text, q.text.line);
        let _ = writeln!(
            h,
            "<fieldset class=\"quiz-q\" id=\"{qid}\">\n<legend>{text}</legend>\n<ul class=\"quiz-options\">"
        );
        for (j, o) in q.options.iter().enumerate() {
            let oid = format!("{qid}-{}", j + 1);
            let label = inline(ctx, &o.text.text, o.text.line);
            let flag = if o.flag.is_some() { " data-flag" } else { "" };
            let message = o.flag.as_ref().map(|f| inline(ctx, &f.text, f.line));
            // The message also shows right under a flagged statement as soon as it is ticked
            // (by CSS alone, so without JavaScript too).
            let note = message.as_ref().map_or(String::new(), |m| {
                format!("\n<p class=\"quiz-flag-note\">{m}</p>")
            });
            let _ = writeln!(
                h,
                "<li class=\"quiz-option\"><input type=\"checkbox\" name=\"{qid}\" id=\"{oid}\" value=\"{}\"{flag}><label for=\"{oid}\">{label}</label>{note}</li>",
                j + 1
            );
            if let Some(message) = message {
                flags.push((oid, label, message));
            }
            total += 1;
        }
        h.push_str("</ul>\n</fieldset>\n");
    }
    answers.open(h, t.get("checklist_how"));
    if !flags.is_empty() {
        let _ = writeln!(
            h,
            "<div class=\"quiz-flags\">\n<p class=\"quiz-sub\">{}</p>\n<ul>",
            esc(t.get("flag_intro"))
        );
        for (oid, label, message) in &flags {
            let _ = writeln!(
                h,
                "<li id=\"{oid}-flag\"><strong class=\"quiz-flag-statement\">{label}</strong> <span class=\"quiz-flag-msg\">{message}</span></li>"
            );
        }
        h.push_str("</ul>\n</div>\n");
    }
    // With flagged statements above, the count is for readers who ticked none of them: the
    // lowest band must not read as reassurance to someone who did.
    let intro = if flags.is_empty() {
        "checklist_intro"
    } else {
        "checklist_intro_flagged"
    };
    let _ = writeln!(
        h,
        "<p>{}</p>\n<ul class=\"quiz-bands\" data-total=\"{total}\">",
        esc(t.get(intro))
    );
    for b in &quiz.bands {
        let range = match b.max {
            Some(max) if max == b.min => t.fill("band_one", b.min, 0),
            Some(max) => t.fill("band_range", b.min, max),
            None => t.fill("band_from", b.min, 0),
        };
        let max = b
            .max
            .map_or(String::new(), |m| format!(" data-max=\"{m}\""));
        let msg = inline(ctx, &b.message.text, b.message.line);
        let _ = writeln!(
            h,
            "<li data-min=\"{}\"{max}><strong>{}</strong> <span class=\"quiz-band\">{msg}</span></li>",
            b.min,
            esc(&range)
        );
    }
    h.push_str("</ul>\n");
    answers.close(h, esc(t.get("checklist_how")));
}

fn assessment(
    h: &mut String,
    answers: &mut Answers,
    quiz: &Quiz,
    id: &str,
    ctx: &mut BlockContext,
    t: &Strings,
) {
    let total = quiz.questions.len();
    let names: Vec<(String, String)> = quiz
        .categories
        .iter()
        .map(|c| (c.id.clone(), inline(ctx, &c.name.text, c.name.line)))
        .collect();
    let name_of = |cid: &str| {
        names
            .iter()
            .find(|(c, _)| c == cid)
            .map_or(String::new(), |(_, n)| n.clone())
    };
    let mut leans = String::new();
    for (i, q) in quiz.questions.iter().enumerate() {
        let qid = question_id(ctx, id, q.id.as_deref(), i + 1);
        let text = inline(ctx, &q.text.text, q.text.line);
        let _ = writeln!(
            h,
            "<fieldset class=\"quiz-q\" id=\"{qid}\">\n<legend><span class=\"quiz-n\">{}</span> {text}</legend>\n<ul class=\"quiz-options\">",
            esc(&t.fill("question_n", i + 1, total))
        );
        let _ = write!(leans, "<li>{text}\n<ul>\n");
        for (j, o) in q.options.iter().enumerate() {
            let oid = format!("{qid}-{}", j + 1);
            let label = inline(ctx, &o.text.text, o.text.line);
            let w: Vec<String> = o.weights.iter().map(|(c, w)| format!("{c}:{w}")).collect();
            let _ = writeln!(
                h,
                "<li class=\"quiz-option\"><input type=\"radio\" name=\"{qid}\" id=\"{oid}\" value=\"{}\" data-w=\"{}\"><label for=\"{oid}\">{label}</label></li>",
                j + 1,
                esc(&w.join(" "))
            );
            let to: Vec<String> = o
                .weights
                .iter()
                .map(|(c, w)| {
                    if *w == 1 {
                        name_of(c)
                    } else {
                        format!("{} ×{w}", name_of(c))
                    }
                })
                .collect();
            let _ = writeln!(leans, "<li>{label}: {}</li>", to.join(", "));
        }
        h.push_str("</ul>\n</fieldset>\n");
        leans.push_str("</ul></li>\n");
    }
    answers.open(h, t.get("assessment_how"));
    let _ = writeln!(
        h,
        "<p>{}</p>\n<p class=\"quiz-sub\">{}</p>\n<ol class=\"quiz-leans\">\n{leans}</ol>\n<p class=\"quiz-sub\">{}</p>",
        esc(t.get("assessment_intro")),
        esc(t.get("assessment_leans")),
        esc(t.get("assessment_categories"))
    );
    for (c, (_, name)) in quiz.categories.iter().zip(&names) {
        let desc = c
            .description
            .as_ref()
            .map(|d| inline(ctx, &d.text, d.line))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<div class=\"quiz-category\" data-cat=\"{}\"><p><strong class=\"quiz-cat-name\">{name}</strong></p>\n<p>{desc}</p></div>",
            esc(&c.id)
        );
    }
    answers.close(h, esc(t.get("assessment_how")));
}

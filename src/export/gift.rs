//! GIFT (docs.moodle.org/en/GIFT_format): one plain-text file per quiz, its questions in a
//! `$CATEGORY:` of their own, text in `[html]`. Knowledge checks only: GIFT has no survey
//! question for a checklist, nor one that leans toward categories.

use std::fmt::Write;

use super::{Export, ExportQuestion, ExportQuiz, category, moodle_grade, note, question_name};
use crate::blocks::quiz::types::{Answer, QuizType};
use crate::config::Config;

pub fn file(quiz: &ExportQuiz, config: &Config, out: &mut Export) {
    match quiz.kind {
        QuizType::Knowledge => {}
        QuizType::Checklist => {
            return note(out, quiz, "checklist skipped: GIFT has no survey question");
        }
        QuizType::Assessment => {
            return note(
                out,
                quiz,
                "self-assessment skipped: GIFT has no question without right answers",
            );
        }
    }
    if quiz.shuffle {
        note(
            out,
            quiz,
            "GIFT cannot ask for shuffled options: the platform's own setting decides",
        );
    }
    let mut g = String::new();
    let _ = writeln!(g, "// {} ({})", one_line(&quiz.title), quiz.page_url);
    let _ = writeln!(g, "$CATEGORY: {}\n", one_line(&category(quiz, config)));
    for (i, q) in quiz.questions.iter().enumerate() {
        question(&mut g, quiz, i + 1, q, out);
    }
    out.files
        .push((format!("{}/{}.gift", quiz.lang, quiz.id), g.into_bytes()));
}

fn question(g: &mut String, quiz: &ExportQuiz, n: usize, q: &ExportQuestion, out: &mut Export) {
    if q.answer == Answer::Order {
        return note(
            out,
            quiz,
            format!("question {n} skipped: GIFT has no ordering question"),
        );
    }
    let rights = q.options.iter().filter(|o| o.right).count();
    // Choose all that apply needs at least two right answers to share the grade.
    let weight = moodle_grade(rights).filter(|_| rights >= 2);
    if q.answer == Answer::Multiple && weight.is_none() {
        return note(
            out,
            quiz,
            format!("question {n} skipped: {rights} right answers; Moodle grades at most 10"),
        );
    }
    let _ = write!(
        g,
        "::{}::[html]{}{{",
        esc(&question_name(n, q)),
        esc(&q.html)
    );
    match q.answer {
        Answer::TrueFalse => {
            // `{TRUE#feedback if wrong#feedback if right}`.
            let right = q.options.iter().find(|o| o.right);
            let wrong = q.options.iter().find(|o| !o.right);
            let is_true = right.is_some_and(|o| {
                matches!(
                    o.plain.to_lowercase().as_str(),
                    "true" | "verdadero" | "vrai" | "wahr" | "vero" | "verdadeiro"
                )
            });
            let fb = |o: Option<&super::ExportOption>| {
                esc(o.and_then(|o| o.feedback.as_deref()).unwrap_or_default())
            };
            let _ = write!(
                g,
                "{}#{}#{}",
                if is_true { "TRUE" } else { "FALSE" },
                fb(wrong),
                fb(right)
            );
        }
        Answer::Single => {
            for o in &q.options {
                let mark = if o.right { '=' } else { '~' };
                answer(g, &mark.to_string(), o);
            }
        }
        Answer::Order => {}
        Answer::Multiple => {
            let weight = weight.unwrap_or("100");
            for o in &q.options {
                // A wrong choice takes the whole mark away: Haven counts the question right only
                // when exactly the right options are chosen.
                let mark = if o.right {
                    format!("~%{weight}%")
                } else {
                    "~%-100%".to_string()
                };
                answer(g, &mark, o);
            }
        }
    }
    if let Some(e) = &q.explanation {
        let _ = write!(g, "\n\t####{}", esc(e));
    }
    g.push_str("\n}\n\n");
}

fn answer(g: &mut String, mark: &str, o: &super::ExportOption) {
    let _ = write!(g, "\n\t{mark}{}", esc(&o.html));
    if let Some(f) = &o.feedback {
        let _ = write!(g, "#{}", esc(f));
    }
}

/// GIFT's special characters escaped with a backslash; text kept on one line.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

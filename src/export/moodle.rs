//! Moodle XML (docs.moodle.org/en/Moodle_XML_format): one `<quiz>` file per quiz, its questions
//! in a category of their own. Knowledge checks only: Moodle has no survey question for a
//! checklist, nor one that leans toward categories.

use std::fmt::Write;

use super::{Export, ExportQuestion, ExportQuiz, category, moodle_grade, note, question_name, xml};
use crate::blocks::quiz::types::{Answer, QuizType};
use crate::config::Config;

pub fn file(quiz: &ExportQuiz, config: &Config, out: &mut Export) {
    match quiz.kind {
        QuizType::Knowledge => {}
        QuizType::Checklist => {
            return note(
                out,
                quiz,
                "checklist skipped: Moodle XML has no survey question",
            );
        }
        QuizType::Assessment => {
            return note(
                out,
                quiz,
                "self-assessment skipped: Moodle XML has no question without right answers",
            );
        }
    }
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let _ = write!(
        x,
        "  <question type=\"category\">\n    <category>\n      <text>{}</text>\n    </category>\n    <info format=\"html\">\n      <text>{}</text>\n    </info>\n  </question>\n",
        xml(&category(quiz, config)),
        xml(&format!(
            "<p>From <a href=\"{}\">{}</a>.</p>",
            xml(&quiz.page_url),
            xml(&config.title)
        ))
    );
    for (i, q) in quiz.questions.iter().enumerate() {
        question(&mut x, quiz, i + 1, q, out);
    }
    x.push_str("</quiz>\n");
    out.files
        .push((format!("{}/{}.xml", quiz.lang, quiz.id), x.into_bytes()));
}

fn question(x: &mut String, quiz: &ExportQuiz, n: usize, q: &ExportQuestion, out: &mut Export) {
    if q.answer == Answer::Order {
        // Moodle's ordering question is a plugin (qtype_ordering), not in every Moodle.
        return note(
            out,
            quiz,
            format!("question {n} skipped: Moodle XML has no ordering question in standard Moodle"),
        );
    }
    let rights = q.options.iter().filter(|o| o.right).count();
    let fraction = match moodle_grade(rights) {
        Some(f) => f,
        None => {
            return note(
                out,
                quiz,
                format!("question {n} skipped: {rights} right answers; Moodle grades at most 10"),
            );
        }
    };
    let kind = if q.answer == Answer::TrueFalse {
        "truefalse"
    } else {
        "multichoice"
    };
    let _ = write!(
        x,
        "  <question type=\"{kind}\">\n    <name>\n      <text>{}</text>\n    </name>\n    <questiontext format=\"html\">\n      <text>{}</text>\n    </questiontext>\n    <generalfeedback format=\"html\">\n      <text>{}</text>\n    </generalfeedback>\n    <defaultgrade>1</defaultgrade>\n    <penalty>{}</penalty>\n    <hidden>0</hidden>\n    <idnumber>{}</idnumber>\n",
        xml(&question_name(n, q)),
        xml(&format!("<p>{}</p>", q.html)),
        xml(&q
            .explanation
            .as_deref()
            .map(|e| format!("<p>{e}</p>"))
            .unwrap_or_default()),
        if kind == "truefalse" {
            "1"
        } else {
            "0.3333333"
        },
        xml(&format!("{}-{}", quiz.id, q.id)),
    );
    if kind == "truefalse" {
        // Moodle shows its own True and False; the answers are `true` and `false`, in the
        // option order of the source (True first or not).
        for o in &q.options {
            let is_true = matches!(
                o.plain.to_lowercase().as_str(),
                "true" | "verdadero" | "vrai" | "wahr" | "vero" | "verdadeiro"
            );
            let _ = write!(
                x,
                "    <answer fraction=\"{}\" format=\"moodle_auto_format\">\n      <text>{}</text>\n      <feedback format=\"html\">\n        <text>{}</text>\n      </feedback>\n    </answer>\n",
                if o.right { "100" } else { "0" },
                if is_true { "true" } else { "false" },
                xml(o.feedback.as_deref().unwrap_or_default()),
            );
        }
    } else {
        let single = q.answer == Answer::Single;
        let _ = write!(
            x,
            "    <single>{single}</single>\n    <shuffleanswers>{}</shuffleanswers>\n    <answernumbering>none</answernumbering>\n    <correctfeedback format=\"html\">\n      <text></text>\n    </correctfeedback>\n    <partiallycorrectfeedback format=\"html\">\n      <text></text>\n    </partiallycorrectfeedback>\n    <incorrectfeedback format=\"html\">\n      <text></text>\n    </incorrectfeedback>\n",
            quiz.shuffle
        );
        for o in &q.options {
            // A wrong choice in "choose all that apply" takes the whole mark away, as Haven
            // counts such a question right only when exactly the right options are chosen.
            let grade = match (o.right, single) {
                (true, _) => fraction,
                (false, true) => "0",
                (false, false) => "-100",
            };
            let _ = write!(
                x,
                "    <answer fraction=\"{grade}\" format=\"html\">\n      <text>{}</text>\n      <feedback format=\"html\">\n        <text>{}</text>\n      </feedback>\n    </answer>\n",
                xml(&o.html),
                xml(o.feedback.as_deref().unwrap_or_default()),
            );
        }
    }
    x.push_str("  </question>\n");
}

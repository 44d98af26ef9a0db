//! QTI 2.1 content package: one `.zip` per language with `imsmanifest.xml`, one
//! `assessmentItem` file per question and one `assessmentTest` per quiz.
//!
//! - Knowledge questions: a `choiceInteraction` scored by its correct response; each option's
//!   feedback is a `feedbackInline` shown when it is chosen, the explanation a `modalFeedback`.
//! - Checklists: a survey item (no correct response, no score). Response processing puts the
//!   message of every ticked flagged statement in `FEEDBACK` and, only when none is ticked, the
//!   message of the count's band, so a platform shows what Haven's page shows.
//! - Self-assessments are skipped with a note (their result needs every question at once).

use std::fmt::Write as _;
use std::io::Write as _;

use super::{Export, ExportQuestion, ExportQuiz, note, xml};
use crate::blocks::quiz::types::{Answer, QuizType};

const NS: &str = "xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.imsglobal.org/xsd/imsqti_v2p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd\"";

/// HTML elements of quiz text that QTI 2.1's XHTML subset lacks, and what stands in for them.
const UNSUPPORTED: &[(&str, &str)] = &[("del", "span")];

pub fn package(quizzes: &[&ExportQuiz], lang: &str, out: &mut Export) {
    // (path in the zip, bytes), in the order written.
    let mut files: Vec<(String, String)> = Vec::new();
    let mut resources = String::new();
    for quiz in quizzes {
        if quiz.kind == QuizType::Assessment {
            note(
                out,
                quiz,
                "self-assessment skipped: its result adds up every question, which QTI items cannot share",
            );
            continue;
        }
        let mut refs = Vec::new();
        for (i, q) in quiz.questions.iter().enumerate() {
            let ident = ident(&format!("{}-{}", quiz.id, q.id));
            let path = format!("items/{ident}.xml");
            let body = match quiz.kind {
                QuizType::Checklist => checklist_item(quiz, q, &ident, out),
                _ => knowledge_item(quiz, i + 1, q, &ident, out),
            };
            let _ = write!(
                resources,
                "    <resource identifier=\"RES-{ident}\" type=\"imsqti_item_xmlv2p1\" href=\"{path}\">\n      <file href=\"{path}\"/>\n    </resource>\n"
            );
            files.push((path, body));
            refs.push(ident);
        }
        let test_id = ident(&format!("test-{}", quiz.id));
        let path = format!("tests/{test_id}.xml");
        let mut t = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<assessmentTest {NS} identifier=\"{test_id}\" title=\"{}\">\n  <testPart identifier=\"part-1\" navigationMode=\"nonlinear\" submissionMode=\"individual\">\n    <assessmentSection identifier=\"section-1\" title=\"{}\" visible=\"true\">\n",
            xml(&quiz.title),
            xml(&quiz.title)
        );
        for r in &refs {
            let _ = writeln!(
                t,
                "      <assessmentItemRef identifier=\"{r}\" href=\"../items/{r}.xml\"/>"
            );
        }
        t.push_str("    </assessmentSection>\n  </testPart>\n</assessmentTest>\n");
        let _ = write!(
            resources,
            "    <resource identifier=\"RES-{test_id}\" type=\"imsqti_test_xmlv2p1\" href=\"{path}\">\n      <file href=\"{path}\"/>\n"
        );
        for r in &refs {
            let _ = writeln!(resources, "      <dependency identifierref=\"RES-{r}\"/>");
        }
        resources.push_str("    </resource>\n");
        files.push((path, t));
    }
    if files.is_empty() {
        return;
    }
    let manifest = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" identifier=\"{}\" xsi:schemaLocation=\"http://www.imsglobal.org/xsd/imscp_v1p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd\">\n  <metadata>\n    <schema>QTIv2.1 Package</schema>\n    <schemaversion>1.0.0</schemaversion>\n  </metadata>\n  <organizations/>\n  <resources>\n{resources}  </resources>\n</manifest>\n",
        ident(&format!("haven-quizzes-{lang}"))
    );
    files.insert(0, ("imsmanifest.xml".to_string(), manifest));
    match zip(&files) {
        Ok(bytes) => out.files.push((format!("{lang}/quizzes-qti.zip"), bytes)),
        Err(e) => out
            .notes
            .push(format!("the QTI package for {lang} could not be made: {e}")),
    }
}

/// The files stored (uncompressed) in a zip with fixed dates and permissions: the same input, the same bytes.
fn zip(files: &[(String, String)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (path, body) in files {
        w.start_file(path.as_str(), options)?;
        w.write_all(body.as_bytes())?;
    }
    Ok(w.finish()?.into_inner())
}

/// A QTI identifier (an XML name): letters, digits, `-`, `_` and `.`, starting with a letter.
fn ident(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'Q');
    }
    out
}

/// Quiz HTML in QTI's XHTML subset; what had to change is noted.
fn flow(html: &str, quiz: &ExportQuiz, out: &mut Export) -> String {
    let mut s = html.to_string();
    for (tag, instead) in UNSUPPORTED {
        if s.contains(&format!("<{tag}>")) {
            note(
                out,
                quiz,
                format!("QTI has no <{tag}>: that text is kept without its formatting"),
            );
            s = s
                .replace(&format!("<{tag}>"), &format!("<{instead}>"))
                .replace(&format!("</{tag}>"), &format!("</{instead}>"));
        }
    }
    s
}

fn knowledge_item(
    quiz: &ExportQuiz,
    n: usize,
    q: &ExportQuestion,
    ident: &str,
    out: &mut Export,
) -> String {
    let order = q.answer == Answer::Order;
    let cardinality = match q.answer {
        Answer::Multiple => "multiple",
        Answer::Order => "ordered",
        _ => "single",
    };
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<assessmentItem {NS} identifier=\"{ident}\" title=\"{}\" adaptive=\"false\" timeDependent=\"false\" xml:lang=\"{}\">\n  <responseDeclaration identifier=\"RESPONSE\" cardinality=\"{cardinality}\" baseType=\"identifier\">\n    <correctResponse>\n",
        xml(&format!("{} {n}", quiz.title)),
        xml(&quiz.lang)
    );
    for (j, o) in q.options.iter().enumerate() {
        // Steps are written in the right order.
        if o.right || order {
            let _ = writeln!(x, "      <value>C{}</value>", j + 1);
        }
    }
    x.push_str("    </correctResponse>\n  </responseDeclaration>\n  <outcomeDeclaration identifier=\"SCORE\" cardinality=\"single\" baseType=\"float\">\n    <defaultValue>\n      <value>0</value>\n    </defaultValue>\n  </outcomeDeclaration>\n  <outcomeDeclaration identifier=\"MAXSCORE\" cardinality=\"single\" baseType=\"float\">\n    <defaultValue>\n      <value>1</value>\n    </defaultValue>\n  </outcomeDeclaration>\n  <outcomeDeclaration identifier=\"FEEDBACK\" cardinality=\"multiple\" baseType=\"identifier\"/>\n  <itemBody>\n");
    let interaction = if order {
        "orderInteraction"
    } else {
        "choiceInteraction"
    };
    let max = match q.answer {
        Answer::Multiple => " maxChoices=\"0\"",
        Answer::Order => "",
        _ => " maxChoices=\"1\"",
    };
    let _ = write!(
        x,
        "    <{interaction} responseIdentifier=\"RESPONSE\" shuffle=\"{}\"{max}>\n      <prompt>{}</prompt>\n",
        quiz.shuffle && !matches!(q.answer, Answer::TrueFalse | Answer::Order),
        flow(&q.html, quiz, out)
    );
    // Steps as the page shows them: mixed up, the same every time.
    let shown: Vec<usize> = if order {
        q.shown.clone()
    } else {
        (0..q.options.len()).collect()
    };
    for j in shown {
        let o = &q.options[j];
        let id = format!("C{}", j + 1);
        let _ = write!(
            x,
            "      <simpleChoice identifier=\"{id}\">{}",
            flow(&o.html, quiz, out)
        );
        if let Some(f) = &o.feedback {
            let _ = write!(
                x,
                " <feedbackInline outcomeIdentifier=\"FEEDBACK\" identifier=\"{id}\" showHide=\"show\">{}</feedbackInline>",
                flow(f, quiz, out)
            );
        }
        x.push_str("</simpleChoice>\n");
    }
    let _ = write!(
        x,
        "    </{interaction}>\n  </itemBody>\n  <responseProcessing>\n    <responseCondition>\n      <responseIf>\n        <match>\n          <variable identifier=\"RESPONSE\"/>\n          <correct identifier=\"RESPONSE\"/>\n        </match>\n        <setOutcomeValue identifier=\"SCORE\">\n          <baseValue baseType=\"float\">1</baseValue>\n        </setOutcomeValue>\n      </responseIf>\n      <responseElse>\n        <setOutcomeValue identifier=\"SCORE\">\n          <baseValue baseType=\"float\">0</baseValue>\n        </setOutcomeValue>\n      </responseElse>\n    </responseCondition>\n    <setOutcomeValue identifier=\"FEEDBACK\">\n      <multiple>\n"
    );
    if order {
        // An ordered response cannot go in a multiple container: every step's feedback shows.
        for (j, o) in q.options.iter().enumerate() {
            if o.feedback.is_some() {
                let _ = writeln!(
                    x,
                    "        <baseValue baseType=\"identifier\">C{}</baseValue>",
                    j + 1
                );
            }
        }
    } else {
        x.push_str("        <variable identifier=\"RESPONSE\"/>\n");
    }
    x.push_str("        <baseValue baseType=\"identifier\">EXPLANATION</baseValue>\n      </multiple>\n    </setOutcomeValue>\n  </responseProcessing>\n");
    if let Some(e) = &q.explanation {
        let _ = write!(
            x,
            "  <modalFeedback outcomeIdentifier=\"FEEDBACK\" identifier=\"EXPLANATION\" showHide=\"show\">\n    <p>{}</p>\n  </modalFeedback>\n",
            flow(e, quiz, out)
        );
    }
    x.push_str("</assessmentItem>\n");
    x
}

fn checklist_item(quiz: &ExportQuiz, q: &ExportQuestion, ident: &str, out: &mut Export) -> String {
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<assessmentItem {NS} identifier=\"{ident}\" title=\"{}\" adaptive=\"false\" timeDependent=\"false\" xml:lang=\"{}\">\n  <responseDeclaration identifier=\"RESPONSE\" cardinality=\"multiple\" baseType=\"identifier\"/>\n  <outcomeDeclaration identifier=\"FEEDBACK\" cardinality=\"multiple\" baseType=\"identifier\"/>\n  <itemBody>\n    <choiceInteraction responseIdentifier=\"RESPONSE\" shuffle=\"false\" maxChoices=\"0\">\n      <prompt>{}</prompt>\n",
        xml(&quiz.title),
        xml(&quiz.lang),
        flow(&q.html, quiz, out)
    );
    for (j, o) in q.options.iter().enumerate() {
        let _ = writeln!(
            x,
            "      <simpleChoice identifier=\"C{}\">{}</simpleChoice>",
            j + 1,
            flow(&o.html, quiz, out)
        );
    }
    x.push_str("    </choiceInteraction>\n  </itemBody>\n  <responseProcessing>\n");
    let add = |x: &mut String, id: &str| {
        let _ = write!(
            x,
            "        <setOutcomeValue identifier=\"FEEDBACK\">\n          <multiple>\n            <variable identifier=\"FEEDBACK\"/>\n            <baseValue baseType=\"identifier\">{id}</baseValue>\n          </multiple>\n        </setOutcomeValue>\n"
        );
    };
    // Each ticked flagged statement adds its message...
    for (j, o) in q.options.iter().enumerate() {
        if o.flag.is_some() {
            let _ = write!(
                x,
                "    <responseCondition>\n      <responseIf>\n        <member>\n          <baseValue baseType=\"identifier\">C{}</baseValue>\n          <variable identifier=\"RESPONSE\"/>\n        </member>\n",
                j + 1
            );
            add(&mut x, &format!("FLAG-C{}", j + 1));
            x.push_str("      </responseIf>\n    </responseCondition>\n");
        }
    }
    // ...and only with none ticked does the count's band speak.
    if !quiz.bands.is_empty() {
        x.push_str("    <responseCondition>\n");
        for (k, b) in quiz.bands.iter().enumerate() {
            let tag = if k == 0 {
                "responseIf"
            } else {
                "responseElseIf"
            };
            let count = "<containerSize>\n              <variable identifier=\"RESPONSE\"/>\n            </containerSize>";
            let _ = write!(
                x,
                "      <{tag}>\n        <and>\n          <isNull>\n            <variable identifier=\"FEEDBACK\"/>\n          </isNull>\n          <gte>\n            {count}\n            <baseValue baseType=\"integer\">{}</baseValue>\n          </gte>\n",
                b.min
            );
            if let Some(max) = b.max {
                let _ = write!(
                    x,
                    "          <lte>\n            {count}\n            <baseValue baseType=\"integer\">{max}</baseValue>\n          </lte>\n"
                );
            }
            x.push_str("        </and>\n");
            add(&mut x, &format!("BAND-{}", k + 1));
            let _ = writeln!(x, "      </{tag}>");
        }
        x.push_str("    </responseCondition>\n");
    }
    x.push_str("  </responseProcessing>\n");
    for (j, o) in q.options.iter().enumerate() {
        if let Some(f) = &o.flag {
            let _ = write!(
                x,
                "  <modalFeedback outcomeIdentifier=\"FEEDBACK\" identifier=\"FLAG-C{}\" showHide=\"show\">\n    <p><strong>{}</strong></p>\n    <p>{}</p>\n  </modalFeedback>\n",
                j + 1,
                flow(&o.html, quiz, out),
                flow(f, quiz, out)
            );
        }
    }
    for (k, b) in quiz.bands.iter().enumerate() {
        let _ = write!(
            x,
            "  <modalFeedback outcomeIdentifier=\"FEEDBACK\" identifier=\"BAND-{}\" showHide=\"show\">\n    <p>{}</p>\n  </modalFeedback>\n",
            k + 1,
            flow(&b.html, quiz, out)
        );
    }
    x.push_str("</assessmentItem>\n");
    x
}

//! `haven export quizzes` over the quiz fixture and the example site: QTI 2.1 packages read back
//! (and, when installed, converted by an independent consumer, citolab-qti-convert), Moodle XML
//! checked against what Moodle requires of each question, GIFT read back by a reader of the
//! documented grammar, and the same site giving the same bytes.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const QTI: &str = "http://www.imsglobal.org/xsd/imsqti_v2p1";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn export(root: &Path, format: &str, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["export", "quizzes", "--format", format, "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[track_caller]
fn export_ok(root: &Path, format: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = export(root, format, dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "export failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, stdout)
}

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/quiz-basic")
}

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walk(dir) {
        let rel = e
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        out.insert(rel, std::fs::read(&e).unwrap());
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.insert(
            f.name().to_string(),
            String::from_utf8_lossy(&bytes).into_owned(),
        );
    }
    out
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name(name))
}

fn children<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.descendants()
        .filter(|c| c.tag_name().name() == name)
        .collect()
}

fn text_of(n: roxmltree::Node) -> String {
    child(n, "text")
        .and_then(|t| t.text())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn every_format_is_deterministic_and_notes_what_it_leaves_out() {
    for format in ["qti", "moodle", "gift"] {
        let (a, stdout) = export_ok(&fixture(), format);
        let (b, _) = export_ok(&fixture(), format);
        let (fa, fb) = (files(a.path()), files(b.path()));
        assert!(!fa.is_empty(), "{format}: nothing written");
        assert_eq!(fa, fb, "{format}: two exports of one site differ");
        // The self-assessment is never silently dropped.
        assert!(
            stdout.contains(
                "note: style (en, https://quiz.example.org/learn/style/): self-assessment skipped"
            ),
            "{format}:\n{stdout}"
        );
        if format != "qti" {
            assert!(
                stdout.contains(
                    "note: steps (en, https://quiz.example.org/learn/steps/): question 1 skipped:"
                ) && stdout.contains("no ordering question"),
                "{format}:\n{stdout}"
            );
        }
        if format == "gift" {
            assert!(
                stdout.contains("note: mixed (en, https://quiz.example.org/learn/shuffled/): GIFT cannot ask for shuffled options"),
                "{stdout}"
            );
        }
        if format != "qti" {
            assert!(
                stdout.contains("note: time-to-talk (en, https://quiz.example.org/learn/checklist/): checklist skipped"),
                "{format}:\n{stdout}"
            );
        }
    }
    // Nothing is written into the site itself when --output is given.
    assert!(!fixture().join("export").exists());
}

#[test]
fn moodle_xml_has_what_moodle_requires_of_every_question() {
    // Moodle's accepted grades (question/format.php `get_grade_options`), as percentages.
    let grades: Vec<f64> = [
        100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0, 25.0,
        20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0,
    ]
    .to_vec();
    let allowed = |f: f64| grades.iter().any(|g| (g - f.abs()).abs() < 1e-4);
    for root in [fixture(), repo()] {
        let (dir, _) = export_ok(&root, "moodle");
        let all = files(dir.path());
        assert!(!all.is_empty());
        let mut questions = 0;
        for (name, bytes) in &all {
            assert!(name.ends_with(".xml"), "{name}");
            let text = String::from_utf8(bytes.clone()).unwrap();
            let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let quiz = doc.root_element();
            assert_eq!(quiz.tag_name().name(), "quiz", "{name}");
            let qs: Vec<_> = quiz.children().filter(|c| c.is_element()).collect();
            // A category of its own first.
            assert_eq!(qs[0].attribute("type"), Some("category"), "{name}");
            assert!(
                text_of(child(qs[0], "category").unwrap()).starts_with("$course$/top/"),
                "{name}"
            );
            for q in &qs[1..] {
                questions += 1;
                let kind = q.attribute("type").expect("a question type");
                let label = format!("{name}: {}", text_of(child(*q, "name").unwrap()));
                assert!(
                    !text_of(child(*q, "name").unwrap()).is_empty(),
                    "{label}: no name"
                );
                let qtext = child(*q, "questiontext").expect("questiontext");
                assert_eq!(qtext.attribute("format"), Some("html"), "{label}");
                assert!(text_of(qtext).starts_with("<p>"), "{label}: text");
                let answers = children(*q, "answer");
                let fractions: Vec<f64> = answers
                    .iter()
                    .map(|a| a.attribute("fraction").unwrap().parse().unwrap())
                    .collect();
                for a in &answers {
                    assert!(!text_of(*a).is_empty(), "{label}: an answer with no text");
                    assert!(
                        child(*a, "feedback").is_some_and(|f| !text_of(f).is_empty()),
                        "{label}: an answer lost its feedback"
                    );
                }
                assert!(
                    fractions.iter().all(|f| allowed(*f)),
                    "{label}: {fractions:?}"
                );
                match kind {
                    "truefalse" => {
                        let mut texts: Vec<String> = answers.iter().map(|a| text_of(*a)).collect();
                        texts.sort();
                        assert_eq!(texts, ["false", "true"], "{label}");
                        let mut f = fractions.clone();
                        f.sort_by(f64::total_cmp);
                        assert_eq!(f, [0.0, 100.0], "{label}");
                    }
                    "multichoice" => {
                        assert!(answers.len() >= 2, "{label}");
                        let single = child(*q, "single").and_then(|s| s.text()).unwrap();
                        let max = fractions.iter().cloned().fold(f64::MIN, f64::max);
                        if single == "true" {
                            assert_eq!(max, 100.0, "{label}: one answer must be worth 100%");
                        } else {
                            let positive: f64 = fractions.iter().filter(|f| **f > 0.0).sum();
                            assert!(
                                (positive - 100.0).abs() < 0.01,
                                "{label}: {fractions:?} sum to {positive}"
                            );
                        }
                    }
                    other => panic!("{label}: unexpected type {other}"),
                }
            }
        }
        assert!(questions > 0);
    }
    // The example site exports per language.
    let (dir, _) = export_ok(&repo(), "moodle");
    assert!(dir.path().join("en/aftercare-basics.xml").is_file());
    assert!(
        dir.path().join("es").is_dir(),
        "no Spanish quizzes exported"
    );
}

#[test]
fn moodle_xml_keeps_feedback_explanations_and_makes_links_absolute() {
    let (dir, _) = export_ok(&fixture(), "moodle");
    let text = std::fs::read_to_string(dir.path().join("en/basics.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let q1 = doc
        .descendants()
        .find(|n| n.attribute("type") == Some("multichoice"))
        .unwrap();
    assert_eq!(
        text_of(child(q1, "generalfeedback").unwrap()),
        "<p>Aftercare is any care given once sex is over. See <a href=\"https://quiz.example.org/learn/checklist/\">the checklist</a>.</p>"
    );
    assert_eq!(child(q1, "shuffleanswers").unwrap().text(), Some("false"));
    let mixed = std::fs::read_to_string(dir.path().join("en/mixed.xml")).unwrap();
    assert!(mixed.contains("<shuffleanswers>true</shuffleanswers>"));
    let answers = children(q1, "answer");
    assert_eq!(text_of(answers[0]), "Only the <em>clean-up</em> after sex");
    assert_eq!(answers[1].attribute("fraction"), Some("100"));
    assert_eq!(
        text_of(child(answers[1], "feedback").unwrap()),
        "Yes. It covers closeness, words and practical care."
    );
}

/// A GIFT question as the test's reader sees it.
#[derive(Debug, PartialEq)]
struct Gift {
    name: String,
    text: String,
    /// (mark: `=`, `~`, `~%50%`..., text, feedback); for true/false, one entry (`TRUE` or
    /// `FALSE`, "", feedback if wrong#feedback if right).
    answers: Vec<(String, String, String)>,
    general: String,
}

/// Reads GIFT as documented (docs.moodle.org/en/GIFT_format): `//` comments, `$CATEGORY:`,
/// `::name::[html]text{answers}`, `\` escaping `~=#{}:`, `=`/`~` answers with `%n%` weights and
/// `#feedback`, `####` general feedback, `{TRUE#wrong#right}`.
fn read_gift(src: &str) -> (Vec<String>, Vec<Gift>) {
    let mut categories = Vec::new();
    let mut body = String::new();
    for line in src.lines() {
        if line.starts_with("//") {
            continue;
        }
        if let Some(c) = line.strip_prefix("$CATEGORY:") {
            categories.push(c.trim().to_string());
            continue;
        }
        body.push_str(line);
        body.push('\n');
    }
    // Tokens: (char, escaped).
    let chars: Vec<(char, bool)> = {
        let mut out = Vec::new();
        let mut it = body.chars();
        while let Some(c) = it.next() {
            if c == '\\' {
                out.push((it.next().expect("a dangling backslash"), true));
            } else {
                out.push((c, false));
            }
        }
        out
    };
    let text = |s: &[(char, bool)]| s.iter().map(|(c, _)| *c).collect::<String>();
    let is = |s: &[(char, bool)], i: usize, lit: &str| {
        lit.chars()
            .enumerate()
            .all(|(k, c)| s.get(i + k) == Some(&(c, false)))
    };
    let mut questions = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].0.is_whitespace() {
            i += 1;
            continue;
        }
        assert!(
            is(&chars, i, "::"),
            "a question starts with ::name:: at {i}"
        );
        i += 2;
        let start = i;
        while !is(&chars, i, "::") {
            i += 1;
        }
        let name = text(&chars[start..i]);
        i += 2;
        assert!(is(&chars, i, "[html]"), "text format [html]");
        i += 6;
        let start = i;
        while chars[i] != ('{', false) {
            i += 1;
        }
        let qtext = text(&chars[start..i]);
        i += 1;
        let start = i;
        while chars[i] != ('}', false) {
            i += 1;
        }
        let block = &chars[start..i];
        i += 1;
        // General feedback.
        let mut general = String::new();
        let mut end = block.len();
        if let Some(g) = (0..block.len()).find(|&k| is(block, k, "####")) {
            general = text(&block[g + 4..]).trim().to_string();
            end = g;
        }
        let block = &block[..end];
        let trimmed = text(block).trim().to_string();
        let mut answers = Vec::new();
        if trimmed.starts_with("TRUE") || trimmed.starts_with("FALSE") {
            let (mark, rest) = trimmed.split_once('#').unwrap_or((&trimmed, ""));
            answers.push((mark.to_string(), String::new(), rest.to_string()));
        } else {
            // Answers start at an unescaped `=` or `~`.
            let starts: Vec<usize> = (0..block.len())
                .filter(|&k| block[k] == ('=', false) || block[k] == ('~', false))
                .collect();
            for (n, &s) in starts.iter().enumerate() {
                let e = starts.get(n + 1).copied().unwrap_or(block.len());
                let part = &block[s..e];
                let mut mark = part[0].0.to_string();
                let mut k = 1;
                if part.get(1) == Some(&('%', false)) {
                    let close = (2..part.len()).find(|&j| part[j] == ('%', false)).unwrap();
                    mark.push_str(&text(&part[1..=close]));
                    k = close + 1;
                }
                let rest = &part[k..];
                let hash = (0..rest.len()).find(|&j| rest[j] == ('#', false));
                let (a, f) = match hash {
                    Some(h) => (text(&rest[..h]), text(&rest[h + 1..])),
                    None => (text(rest), String::new()),
                };
                answers.push((mark, a.trim().to_string(), f.trim().to_string()));
            }
        }
        questions.push(Gift {
            name,
            text: qtext,
            answers,
            general,
        });
    }
    (categories, questions)
}

#[test]
fn gift_reads_back_to_the_quiz() {
    let (dir, _) = export_ok(&fixture(), "gift");
    let src = std::fs::read_to_string(dir.path().join("en/basics.gift")).unwrap();
    let (categories, qs) = read_gift(&src);
    assert_eq!(categories, ["$course$/top/Quiz fixture/Aftercare basics"]);
    assert_eq!(qs.len(), 3, "{qs:#?}");
    assert_eq!(qs[0].name, "1. What is aftercare?");
    assert_eq!(qs[0].text, "What is aftercare?");
    assert_eq!(
        qs[0].answers,
        [
            (
                "~".to_string(),
                "Only the <em>clean-up</em> after sex".to_string(),
                "Clean-up can be part of it, but aftercare is wider.".to_string()
            ),
            (
                "=".to_string(),
                "The care partners give each other after sex".to_string(),
                "Yes. It covers closeness, words and practical care.".to_string()
            ),
            (
                "~".to_string(),
                "A medical treatment".to_string(),
                "No. It is everyday care between people.".to_string()
            ),
        ]
    );
    assert_eq!(
        qs[0].general,
        "Aftercare is any care given once sex is over. See <a href=\"https://quiz.example.org/learn/checklist/\">the checklist</a>."
    );
    // True/false: the right answer, then the feedback for a wrong answer, then for a right one.
    assert_eq!(
        qs[1].answers,
        [(
            "FALSE".to_string(),
            String::new(),
            "It started in kink communities, but anyone can benefit.#Right. It helps after any kind of sex.".to_string()
        )]
    );
    // Choose all that apply: right answers share 100%, a wrong one takes it all away.
    let marks: Vec<&str> = qs[2].answers.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(marks, ["~%50%", "~%50%", "~%-100%"]);
    assert_eq!(
        qs[2].answers[0].2, "Yes: closeness.",
        "a `:` survives escaping"
    );
    // Every GIFT file of the example site reads back, each question with a right answer.
    let (dir, _) = export_ok(&repo(), "gift");
    for (name, bytes) in files(dir.path()) {
        let (cats, qs) = read_gift(&String::from_utf8(bytes).unwrap());
        assert_eq!(cats.len(), 1, "{name}");
        assert!(!qs.is_empty(), "{name}");
        for q in qs {
            let right = q.answers.iter().any(|a| {
                a.0 == "="
                    || a.0 == "TRUE"
                    || a.0 == "FALSE"
                    || (a.0.starts_with("~%") && !a.0.starts_with("~%-"))
            });
            assert!(right, "{name}: {q:?}");
        }
    }
}

/// The package's items, read back: manifest resources exist, items are QTI 2.1 with
/// correct responses naming their choices.
#[test]
fn qti_package_is_a_qti_21_content_package() {
    let (dir, _) = export_ok(&fixture(), "qti");
    let zip = std::fs::read(dir.path().join("en/quizzes-qti.zip")).unwrap();
    let entries = unzip(&zip);
    let manifest = roxmltree::Document::parse(&entries["imsmanifest.xml"]).unwrap();
    let resources: Vec<_> = manifest
        .descendants()
        .filter(|n| n.has_tag_name("resource"))
        .collect();
    let items: Vec<&str> = resources
        .iter()
        .filter(|r| r.attribute("type") == Some("imsqti_item_xmlv2p1"))
        .map(|r| r.attribute("href").unwrap())
        .collect();
    // One item per question: 3 + 1 knowledge questions, 1 checklist; no self-assessment.
    assert_eq!(
        items,
        [
            "items/time-to-talk-q1.xml",
            "items/mixed-q1.xml",
            "items/mixed-q2.xml",
            "items/steps-q1.xml",
            "items/steps-q2.xml",
            "items/basics-q1.xml",
            "items/basics-q2.xml",
            "items/basics-q3.xml",
            "items/drop-q1.xml",
        ]
    );
    for r in &resources {
        let href = r.attribute("href").unwrap();
        assert!(
            entries.contains_key(href),
            "the manifest names a missing {href}"
        );
    }
    for href in &items {
        let doc = roxmltree::Document::parse(&entries[*href]).unwrap();
        let item = doc.root_element();
        assert!(item.has_tag_name((QTI, "assessmentItem")), "{href}");
        let choices: Vec<&str> = item
            .descendants()
            .filter(|n| n.has_tag_name((QTI, "simpleChoice")))
            .map(|n| n.attribute("identifier").unwrap())
            .collect();
        assert!(choices.len() >= 2, "{href}");
        for v in item
            .descendants()
            .filter(|n| n.has_tag_name((QTI, "value")))
        {
            if v.parent()
                .is_some_and(|p| p.has_tag_name((QTI, "correctResponse")))
            {
                assert!(choices.contains(&v.text().unwrap()), "{href}");
            }
        }
    }
    let q1 = &entries["items/basics-q1.xml"];
    assert!(q1.contains("<correctResponse>\n      <value>C2</value>\n    </correctResponse>"));
    assert!(q1.contains("<feedbackInline outcomeIdentifier=\"FEEDBACK\" identifier=\"C1\" showHide=\"show\">Clean-up can be part of it"));
    assert!(
        q1.contains("See <a href=\"https://quiz.example.org/learn/checklist/\">the checklist</a>.")
    );
    // An ordering question: an orderInteraction, steps shown mixed up as on the page (4, 3, 2
    // after 1), the right order its correct response.
    let steps = &entries["items/steps-q1.xml"];
    assert!(steps.contains("cardinality=\"ordered\""), "{steps}");
    assert!(steps.contains("<correctResponse>\n      <value>C1</value>\n      <value>C2</value>\n      <value>C3</value>\n      <value>C4</value>\n    </correctResponse>"), "{steps}");
    let shown: Vec<usize> = ["C1\"", "C4\"", "C3\"", "C2\""]
        .iter()
        .map(|c| {
            steps
                .find(&format!("<simpleChoice identifier=\"{c}"))
                .unwrap()
        })
        .collect();
    assert!(shown.windows(2).all(|w| w[0] < w[1]), "{steps}");
    assert!(steps.contains("<orderInteraction responseIdentifier=\"RESPONSE\" shuffle=\"false\">"));
    // `shuffle: true` reaches the platform, except for true/false.
    assert!(entries["items/mixed-q1.xml"].contains("shuffle=\"true\""));
    assert!(entries["items/mixed-q2.xml"].contains("shuffle=\"false\""));
    assert!(q1.contains("shuffle=\"false\""));
    let q3 = &entries["items/basics-q3.xml"];
    assert!(q3.contains("cardinality=\"multiple\""));
    assert!(q3.contains("maxChoices=\"0\""));
    // The checklist is a survey item: no correct response; a ticked flagged statement sets its
    // message, and only without one does the count's band speak.
    let c = &entries["items/time-to-talk-q1.xml"];
    assert!(!c.contains("correctResponse"));
    assert!(c.contains(
        "<modalFeedback outcomeIdentifier=\"FEEDBACK\" identifier=\"FLAG-C5\" showHide=\"show\">"
    ));
    assert!(c.contains("call your local emergency number now"));
    assert!(c.contains("<isNull>\n            <variable identifier=\"FEEDBACK\"/>"));
    assert!(
        c.find("FLAG-C5\" showHide").unwrap() < c.find("BAND-1\" showHide").unwrap(),
        "the flagged message comes before the bands"
    );
}

/// An independent QTI consumer: citolab-qti-convert (PyPI) upgrades the package to QTI 3.0.
/// Set HAVEN_QTI_CONVERT to its `qti-convert`, or have it on PATH; without it this test says so
/// and checks nothing more.
#[test]
fn qti_package_converts_with_citolab_qti_convert() {
    let tool = std::env::var_os("HAVEN_QTI_CONVERT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("qti-convert"));
    if Command::new(&tool).arg("--version").output().is_err() {
        common::skip(
            "export_cli::qti_package_converts_with_citolab_qti_convert",
            "no qti-convert (pip install citolab-qti-convert, or set HAVEN_QTI_CONVERT)",
        );
        return;
    }
    for root in [fixture(), repo()] {
        let (dir, _) = export_ok(&root, "qti");
        for lang_zip in walk(dir.path()) {
            // To a folder: the tool's own zips are deflated, which this test's zip reader
            // (Haven's, stored only) does not read.
            let upgraded = dir.path().join("qti3");
            let out = Command::new(&tool)
                .arg("upgrade")
                .arg(&lang_zip)
                .arg(&upgraded)
                .output()
                .unwrap();
            let report = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.success(), "{}: {report}", lang_zip.display());
            let entries: BTreeMap<String, String> = files(&upgraded)
                .into_iter()
                .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned()))
                .collect();
            let items: Vec<_> = entries.keys().filter(|k| k.starts_with("items/")).collect();
            assert!(!items.is_empty(), "{report}");
            for k in items {
                assert!(
                    entries[k].contains("<qti-assessment-item"),
                    "{k} was not converted: {report}"
                );
            }
            if root == fixture() {
                let q1 = &entries["items/basics-q1.xml"];
                assert!(
                    q1.contains("<qti-correct-response>")
                        && q1.contains("<qti-value>C2</qti-value>"),
                    "{q1}"
                );
            }
            std::fs::remove_dir_all(&upgraded).unwrap();
        }
    }
}

#[test]
fn export_of_a_site_with_errors_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = export(
        &repo().join("tests/fixtures/quiz-invalid"),
        "gift",
        dir.path(),
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/_index.md:11:1: error: this question has no right answer"),
        "{stderr}"
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

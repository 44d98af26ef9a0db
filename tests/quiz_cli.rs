//! `haven build` on the quiz fixtures: a valid site gets its quiz pages, an invalid quiz fails
//! the build with its file and line.

use std::path::Path;
use std::process::Command;

fn haven_build(fixture: &str) -> (std::process::Output, tempfile::TempDir) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_haven"))
        // The fixture is in the source tree: leave no build cache in it.
        .args(["build", "--no-cache", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(out.path().join("site"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (output, out)
}

#[test]
fn builds_the_quiz_index_and_a_page_per_quiz() {
    let (output, dir) = haven_build("quiz-basic");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "haven build failed:\n{stderr}");
    let site = dir.path().join("site");
    let index = std::fs::read_to_string(site.join("quizzes/index.html")).expect("no /quizzes/");
    for (id, title, article) in [
        ("basics", "Aftercare basics", "/learn/two-quizzes/"),
        ("drop", "Drop", "/learn/two-quizzes/"),
        (
            "time-to-talk",
            "Is it time to talk to someone?",
            "/learn/checklist/",
        ),
        ("style", "What helps you after sex?", "/learn/style/"),
    ] {
        assert!(
            index.contains(&format!("href=\"/quizzes/{id}/\"")),
            "/quizzes/ does not link {id}:\n{index}"
        );
        assert!(index.contains(title), "/quizzes/ does not name {title}");
        assert!(
            index.contains(&format!("href=\"{article}\"")),
            "/quizzes/ does not link {article}"
        );
        let page = std::fs::read_to_string(site.join(format!("quizzes/{id}/index.html")))
            .unwrap_or_else(|_| panic!("no /quizzes/{id}/"));
        assert!(
            page.contains(&format!("data-quiz=\"{id}\"")),
            "/quizzes/{id}/ has no quiz"
        );
        assert!(
            page.contains("/haven/quiz.js"),
            "/quizzes/{id}/ does not load the script"
        );
        assert!(
            page.contains("/haven/quiz.css"),
            "/quizzes/{id}/ does not load the styles"
        );
    }
    let article = std::fs::read_to_string(site.join("learn/two-quizzes/index.html")).unwrap();
    assert_eq!(article.matches("<form class=\"quiz").count(), 2);
    assert!(article.contains("<script src=\"/haven/quiz.js\" defer></script>"));
    let plain = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        !plain.contains("quiz.js"),
        "a page without a quiz loads the quiz script"
    );
    assert!(site.join("haven/quiz.js").is_file());
}

#[test]
fn an_invalid_quiz_fails_with_file_and_line() {
    let (output, dir) = haven_build("quiz-invalid");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "an invalid quiz built:\n{stderr}");
    assert!(
        stderr.contains("content/_index.md:9:1: error: unknown key `colour`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/_index.md:11:1: error: this question has no right answer"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/quizzes/broken.quiz:9:1: error: the category `words` is not defined"
        ),
        "{stderr}"
    );
    // Flagged checklist statements: a flag with no message, a message not indented.
    assert!(
        stderr.contains("content/flags.md:10:1: error: this flagged statement has no message"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/flags.md:12:1: error: this flagged statement's message is not indented"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("indent each line of the message two spaces"),
        "{stderr}"
    );
    // Shuffle and ordering questions.
    assert!(
        stderr.contains("content/steps.md:7:1: error: `maybe` is not true or false"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/steps.md:11:1: error: this step is numbered 3, but it is step 2"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("site/index.html").exists(),
        "output written despite errors"
    );
}

#[test]
fn check_warns_when_a_checklist_top_band_has_no_help_link() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("haven.toml"),
        "title = \"T\"\ndescription = \"D\"\nbase_url = \"https://e.org/\"\n",
    )
    .unwrap();
    std::fs::create_dir(site.path().join("content")).unwrap();
    let page = "+++\ntitle = \"Home\"\n+++\n```quiz\n# Check in\ntype: checklist\n\n## Tick what is true.\n- I feel low.\n- (!) I have had thoughts of hurting myself.\n  Call your local emergency number now.\n\n[0] Mostly OK.\n[1-] Talk to someone soon.\n```\n";
    std::fs::write(site.path().join("content/_index.md"), page).unwrap();
    let check = |strict: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_haven"));
        cmd.args(["check", "--root"]).arg(site.path());
        if strict {
            cmd.arg("--strict");
        }
        cmd.env("NO_COLOR", "1").output().unwrap()
    };
    let out = check(false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "a warning failed the check:\n{stderr}"
    );
    assert!(
        stderr.contains(
            "content/_index.md:14:1: warning: the top band of this checklist has no help link"
        ),
        "{stderr}"
    );
    assert!(!check(true).status.success(), "--strict passed a warning");
    // With a link in the top band the warning goes.
    std::fs::write(
        site.path().join("content/_index.md"),
        page.replace(
            "Talk to someone soon.",
            "Talk to someone soon: see [help](https://e.org/help).",
        ),
    )
    .unwrap();
    let out = check(true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

//! `haven build` on the blocks fixtures: scripts, the scripts pages, the glossary, review dates
//! and `--stats`; invalid scripts and a malformed glossary fail with file and line.

use std::path::Path;
use std::process::Command;

fn haven_build(fixture: &str, extra: &[&str]) -> (std::process::Output, tempfile::TempDir) {
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
        .args(extra)
        .env("NO_COLOR", "1")
        .env("HAVEN_TODAY", "2026-06-01")
        .output()
        .unwrap();
    (output, out)
}

fn read(dir: &tempfile::TempDir, path: &str) -> String {
    std::fs::read_to_string(dir.path().join("site").join(path))
        .unwrap_or_else(|_| panic!("no {path}"))
}

#[test]
fn builds_scripts_glossary_and_their_pages() {
    let (output, dir) = haven_build("blocks-basic", &[]);
    assert!(
        output.status.success(),
        "haven build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let article = read(&dir, "talk/asking/index.html");
    assert!(
        article.contains(
            "<section class=\"haven-script\" id=\"script-asking-what-your-partner-needs\""
        ),
        "{article}"
    );
    assert!(article.contains("<dt>Partner</dt>"));
    assert!(article.contains("<script src=\"/haven/script.js\" defer></script>"));
    assert!(article.contains("href=\"/haven/glossary.css\""));
    // First use marked (case kept), the rest and the heading left alone.
    assert_eq!(
        article.matches("href=\"/glossary/#aftercare\"").count(),
        1,
        "{article}"
    );
    assert!(article.contains("aria-describedby=\"term-aftercare\">Aftercare</a>"));
    assert!(
        article.contains("id=\"aftercare-ideas\">Aftercare ideas</h2>"),
        "{article}"
    );
    assert!(article.contains("<code>aftercare</code>"));
    // A synonym after a link holding the term: the link is left alone, the synonym is marked.
    assert!(
        article.contains("<a href=\"/talk/hard/\">safeword</a>"),
        "{article}"
    );
    assert!(
        article.contains("aria-describedby=\"term-safeword\">safe word</a>"),
        "{article}"
    );
    assert!(article.contains("aria-describedby=\"term-check-in\">check-in</a>"));

    let scripts = read(&dir, "scripts/index.html");
    assert!(scripts.contains("Conversation scripts"));
    assert!(
        scripts.contains("href=\"/talk/asking/#script-asking-what-your-partner-needs\""),
        "{scripts}"
    );
    assert!(
        scripts.contains("href=\"/talk/asking/\">Asking what they need</a>"),
        "{scripts}"
    );
    assert!(
        !scripts.contains("Preguntar"),
        "a Spanish script on the English scripts page"
    );
    assert!(scripts.contains("/haven/script.js"));
    let es = read(&dir, "es/scripts/index.html");
    assert!(es.contains("Guiones para conversar"));
    assert!(
        es.contains("href=\"/es/talk/asking/#script-preguntar-qué-necesita-tu-pareja\""),
        "{es}"
    );

    let glossary = read(&dir, "glossary/index.html");
    assert!(glossary.contains("id=\"aftercare\""));
    assert!(glossary.contains("The care partners give each other after sex."));
    assert!(glossary.contains("Also: safe word"), "{glossary}");
    // The glossary is English: Spanish pages are not marked.
    assert!(!read(&dir, "es/talk/asking/index.html").contains("haven-term"));
    // A page without scripts or terms loads neither.
    let hard = read(&dir, "talk/hard/index.html");
    assert!(!hard.contains("script.js") && !hard.contains("glossary.js"));
    assert!(dir.path().join("site/haven/script.css").is_file());
    assert!(dir.path().join("site/haven/glossary.js").is_file());
}

#[test]
fn stats_prints_a_table_with_the_limit() {
    let (output, _dir) = haven_build("blocks-basic", &["--stats"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let header = stdout
        .lines()
        .find(|l| l.starts_with("PAGE"))
        .expect("a table header");
    for col in ["LANG", "WORDS", "MIN", "GRADE", "SMOG", "EASE", "FORMULA"] {
        assert!(header.contains(col), "{header}");
    }
    let hard = stdout
        .lines()
        .find(|l| l.starts_with("/talk/hard/"))
        .expect("a row for /talk/hard/");
    assert!(hard.ends_with("* above limit"), "{hard}");
    let es = stdout
        .lines()
        .find(|l| l.starts_with("/es/talk/asking/"))
        .expect("a Spanish row");
    assert!(es.contains("Fernández-Huerta"), "{es}");
    assert!(stdout.contains("above the limit of grade 6.0"), "{stdout}");
    let (plain, _dir) = haven_build("blocks-basic", &[]);
    assert!(
        !String::from_utf8_lossy(&plain.stdout).contains("FORMULA"),
        "the table without --stats"
    );
}

#[test]
fn invalid_scripts_fail_with_file_and_line() {
    let (output, dir) = haven_build("blocks-invalid", &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "invalid scripts built:\n{stderr}");
    assert!(
        stderr.contains("content/_index.md:11:1: error: unknown speaker `Partnr`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `Partner`?"), "{stderr}");
    assert!(
        stderr.contains("content/_index.md:12:1: error: empty line: `You` says nothing"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/_index.md:16:1: error: the script has no title"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("site/index.html").exists(),
        "output written despite errors"
    );
}

#[test]
fn a_malformed_glossary_fails_with_file_and_line() {
    let (output, _dir) = haven_build("blocks-bad-glossary", &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains(
            "content/glossary.toml:7:1: error: invalid glossary: unknown field `defintion`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `definition`?"), "{stderr}");
}

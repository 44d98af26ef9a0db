//! Every number, date and name a user types is bounded: out of range is a located error (file,
//! line, column, the allowed range) with exit 1, never a hang or a panic; a tag or file name
//! with no letters still gets a URL.
//!
//! Each build runs under a hang guard: a build still running after [`HANG_GUARD`] is killed and
//! the test fails (a guard against hanging CI, not a speed assertion). `HAVEN_TEST_BIN` runs
//! these tests against another binary, e.g. main's, to see them fail there.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

/// Far longer than any of these builds takes (well under a second each, even in debug).
const HANG_GUARD: Duration = Duration::from_secs(120);

fn haven_bin() -> String {
    std::env::var("HAVEN_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_haven").to_string())
}

/// Runs `haven build` on `root`, killing it if it outlives [`HANG_GUARD`].
fn build(root: &Path) -> Output {
    common::output_within(
        Command::new(haven_bin()).args(["build", "--root", root.to_str().unwrap()]),
        HANG_GUARD,
    )
}

/// A fresh copy of the `basic` fixture, with `edit` applied.
fn site(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = common::copy_fixture("basic");
    edit(dir.path());
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The build fails with exit 1, no panic, and every `expected` text in its stderr.
fn fails_with(root: &Path, expected: &[&str]) {
    let out = build(root);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    assert_eq!(out.status.code(), Some(1), "exit code; stderr:\n{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
}

fn succeeds(root: &Path) -> String {
    let out = build(root);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "build failed:\n{stderr}");
    stderr
}

const PAGE: &str = "content/aftercare/review.md";

#[test]
fn huge_review_interval_is_a_located_error_not_a_hang() {
    // The reproduction: on main this looped forever (release) or panicked (debug).
    let toml = site(|r| {
        write(
            r,
            PAGE,
            "+++\ntitle = \"Review\"\nreviewed_on = 2026-01-31\nreview_every = 100000\n+++\nBody.\n",
        )
    });
    fails_with(
        toml.path(),
        &[
            "content/aftercare/review.md:4:16: error: invalid front matter: `review_every` is 100000; it must be a whole number from 1 to 120 months",
        ],
    );
    let yaml = site(|r| {
        write(
            r,
            PAGE,
            "---\ntitle: Review\nreviewed_on: 2026-01-31\nreview_every: 100000\n---\nBody.\n",
        )
    });
    fails_with(
        yaml.path(),
        &["content/aftercare/review.md:4:1: error: invalid front matter: `review_every` is 100000"],
    );
    // Near u32::MAX the month sum itself overflowed.
    let max = site(|r| {
        write(
            r,
            PAGE,
            "+++\ntitle = \"Review\"\nreviewed_on = 2026-01-31\nreview_every = 4294967295\n+++\n",
        )
    });
    fails_with(
        max.path(),
        &[
            "content/aftercare/review.md:4:16: error: invalid front matter: `review_every` is 4294967295",
        ],
    );
    let zero = site(|r| {
        write(
            r,
            PAGE,
            "+++\ntitle = \"Review\"\nreviewed_on = 2026-01-31\nreview_every = 0\n+++\n",
        )
    });
    fails_with(zero.path(), &["review.md:4:16:", "from 1 to 120"]);
}

#[test]
fn dates_past_four_digit_years_are_located_errors() {
    // 9999-12-31 plus 120 months has a five-digit year: on main add_months never ended.
    let late = site(|r| {
        write(
            r,
            PAGE,
            "+++\ntitle = \"Review\"\nreviewed_on = 9999-12-31\nreview_every = 120\n+++\n",
        )
    });
    fails_with(
        late.path(),
        &[
            "content/aftercare/review.md:3:15: error: invalid front matter: `9999-12-31` is out of range: a date must fall in the years 1000 to 2999",
        ],
    );
    let signed = site(|r| write(r, PAGE, "---\ntitle: Review\ndate: \"+202-01-01\"\n---\n"));
    fails_with(signed.path(), &["review.md:3:", "is not a valid date"]);
}

#[test]
fn other_front_matter_numbers_are_bounded() {
    let weight = site(|r| {
        write(
            r,
            PAGE,
            "+++\ntitle = \"W\"\nweight = 9223372036854775807\n+++\n",
        )
    });
    fails_with(
        weight.path(),
        &[
            "review.md:3:10: error: invalid front matter: `weight` is 9223372036854775807; it must be a whole number from -1000000 to 1000000",
        ],
    );
    let year = site(|r| {
        write(
            r,
            PAGE,
            "+++\ntitle = \"Y\"\n[[sources]]\ntitle = \"S\"\nyear = 65535\n+++\n",
        )
    });
    fails_with(
        year.path(),
        &[
            "review.md:5:8: error: invalid front matter: `year` is 65535; it must be a whole number from 1000 to 2999",
        ],
    );
}

#[test]
fn config_numbers_are_bounded() {
    for (setting, at, says) in [
        (
            "[readability]\nmax_grade = nan\n",
            "haven.toml:LINE:13: error: invalid haven.toml: `max_grade` is NaN",
            "from 1 to 20",
        ),
        (
            "[readability]\nmax_grade = -4\n",
            "haven.toml:LINE:13:",
            "`max_grade` is -4",
        ),
        (
            "[check]\nmax_paragraph_words = 0\n",
            "haven.toml:LINE:23: error: invalid haven.toml: `max_paragraph_words` is 0",
            "from 1 to 10000",
        ),
    ] {
        let mut value_line = 0;
        let s = site(|r| {
            let config = std::fs::read_to_string(r.join("haven.toml")).unwrap();
            // The fixture's lines, a blank line, the table header, then the value.
            value_line = config.lines().count() + 3;
            write(r, "haven.toml", &format!("{config}\n{setting}"));
        });
        let at = at.replace("LINE", &value_line.to_string());
        fails_with(s.path(), &[&at, says]);
    }
}

#[test]
fn a_tag_without_letters_gets_a_stable_url() {
    // On main the tag's URL was `/tags//` and the build failed writing `tags//index.html`.
    let s = site(|r| {
        write(
            r,
            PAGE,
            "+++\ntitle = \"Feelings\"\ntags = [\"🙂\", \"💬\", \"aftercare\"]\n+++\nBody.\n",
        )
    });
    succeeds(s.path());
    let public = s.path().join("public");
    let smile = public.join("tags/tag_ff026b387504e24b/index.html");
    let page = std::fs::read_to_string(public.join("aftercare/review/index.html")).unwrap();
    assert!(smile.is_file(), "no page for the tag 🙂");
    assert!(
        std::fs::read_to_string(&smile)
            .unwrap()
            .contains("Feelings"),
        "the tag page lists the page"
    );
    assert!(
        page.contains("/tags/tag_ff026b387504e24b/"),
        "the page links its tag"
    );
    let tag_pages = std::fs::read_dir(public.join("tags"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("tag_")
        })
        .count();
    assert_eq!(tag_pages, 2, "each tag without letters has its own page");
}

#[test]
fn a_file_name_without_letters_gets_a_stable_url() {
    let s = site(|r| {
        write(
            r,
            "content/aftercare/💬.md",
            "+++\ntitle = \"Talk\"\n+++\nBody.\n",
        )
    });
    succeeds(s.path());
    let slug = haven::slug::slug_or_fallback("💬", "page");
    assert!(slug.starts_with("page_"), "{slug}");
    let page = s.path().join(format!("public/aftercare/{slug}/index.html"));
    assert!(page.is_file(), "no page at {}", page.display());
    // An emoji-only title is fine too: titles never make URLs.
    let titled = site(|r| write(r, PAGE, "+++\ntitle = \"💬\"\n+++\nBody.\n"));
    succeeds(titled.path());
    assert!(
        titled
            .path()
            .join("public/aftercare/review/index.html")
            .is_file()
    );
}

#[test]
fn overlong_tags_and_slugs_are_located_errors() {
    let long = "word-".repeat(60);
    let tag = site(|r| {
        write(
            r,
            PAGE,
            &format!("+++\ntitle = \"T\"\ntags = [\"ok\", \"{long}\"]\n+++\n"),
        )
    });
    fails_with(
        tag.path(),
        &["review.md:3:16: error: the tag's URL would be 299 bytes long; the limit is 100"],
    );
    let slug = site(|r| {
        write(
            r,
            PAGE,
            &format!("+++\ntitle = \"T\"\nslug = \"{long}\"\n+++\n"),
        )
    });
    fails_with(
        slug.path(),
        &["review.md:3:1: error: the slug is 300 bytes long; the limit is 100"],
    );
}

#[test]
fn an_empty_language_code_is_a_located_error() {
    // Found by tests/fuzz_build.rs: on main, `default_language = ""` made the search index's
    // folder `search//` and the build failed writing it, naming no file.
    let s = site(|r| {
        let config = std::fs::read_to_string(r.join("haven.toml")).unwrap();
        write(
            r,
            "haven.toml",
            &format!("default_language = \"\"\n{config}"),
        );
    });
    fails_with(
        s.path(),
        &[
            "haven.toml:1:1: error: `` is not a language code",
            "\"pt-BR\"",
        ],
    );
}

#[test]
fn an_alias_taken_twice_is_a_located_error() {
    // Found by tests/fuzz_build.rs: two pages with one alias failed with "two things would be
    // written to old/index.html", naming neither file.
    let s = site(|r| {
        write(
            r,
            PAGE,
            "+++\ntitle = \"Review\"\naliases = [\"/old/what/\"]\n+++\nBody.\n",
        )
    });
    fails_with(
        s.path(),
        &[
            "content/aftercare/what.md:7:13: error: the alias `/old/what/` is already an alias of content/aftercare/review.md",
        ],
    );
    let page = site(|r| {
        write(
            r,
            PAGE,
            "+++\ntitle = \"Review\"\naliases = [\"/aftercare/what/\"]\n+++\nBody.\n",
        )
    });
    let long = site(|r| {
        let alias = format!("/old/{}/", "a".repeat(300));
        write(
            r,
            PAGE,
            &format!("+++\ntitle = \"R\"\naliases = [\"{alias}\"]\n+++\n"),
        )
    });
    fails_with(
        long.path(),
        &["review.md:3:13: error: a part of the alias is 300 bytes long; file systems allow 255"],
    );
    fails_with(
        page.path(),
        &[
            "review.md:3:13: error: the alias `/aftercare/what/` is already the address of content/aftercare/what.md",
        ],
    );
}

#[test]
fn a_default_language_the_theme_lacks_still_builds() {
    // Found by tests/fuzz_build.rs: on main `default_language = "fr"` failed every page with
    // "Variable `t.skip_link` not found" in the built-in theme's templates.
    let s = site(|r| {
        let config = std::fs::read_to_string(r.join("haven.toml")).unwrap();
        write(
            r,
            "haven.toml",
            &format!("default_language = \"fr\"\n{config}"),
        );
    });
    succeeds(s.path());
    let page = std::fs::read_to_string(s.path().join("public/aftercare/what/index.html")).unwrap();
    assert!(page.contains("lang=\"fr\""), "the page keeps its language");
}

#[test]
fn a_template_for_the_wrong_kind_of_file_is_located_at_the_key() {
    // Found by tests/fuzz_build.rs: a section with `template = "page.html"` failed inside the
    // built-in theme ("Variable `page.title` not found"), not at the line that chose it.
    let s = site(|r| {
        write(
            r,
            "content/aftercare/_index.md",
            "+++\ntitle = \"Aftercare\"\ntemplate = \"page.html\"\n+++\n",
        )
    });
    fails_with(
        s.path(),
        &[
            "content/aftercare/_index.md:3:1: error: the template `page.html` named here failed",
            "section.html for sections",
        ],
    );
}

#[test]
fn deeply_nested_front_matter_is_bounded() {
    // The YAML parser's time grows with the square of nesting depth: 100,000 nested `[` ran
    // for minutes on main. Front matter has a size cap, so every parse is quick.
    let depth = 100_000;
    let s = site(|r| {
        write(
            r,
            PAGE,
            &format!(
                "---\ntitle: x\nextra: {{v: {}{}}}\n---\n",
                "[".repeat(depth),
                "]".repeat(depth)
            ),
        )
    });
    fails_with(
        s.path(),
        &["content/aftercare/review.md:2:1: error: the front matter is 196 KB; the limit is 32 KB"],
    );
}

#[test]
fn a_folder_where_haven_writes_its_own_page_names_the_folder() {
    // Found by tests/fuzz_build.rs: a `content/search/` folder and the search page both want
    // search/index.html; the error named no file.
    let s = site(|r| {
        write(
            r,
            "content/search/page.md",
            "+++\ntitle = \"T\"\n+++\nBody.\n",
        )
    });
    fails_with(
        s.path(),
        &[
            "content/search: error: two things would be written to search/index.html",
            "rename it, or give it another slug",
        ],
    );
}

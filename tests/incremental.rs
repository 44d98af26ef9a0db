//! A second build, after one page changed, reuses unchanged files and the Markdown of unchanged
//! pages (the build cache), and matches a cold build byte for byte, whatever changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(root: &Path, output: &Path, extra: &[&str]) -> Output {
    run_in(root, output, extra, &[("HAVEN_TODAY", "2026-11-23")])
}

/// `haven build` with `env` set.
fn run_in(root: &Path, output: &Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .args(extra)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Builds, and returns what it printed.
fn build_with(root: &Path, output: &Path, extra: &[&str]) -> String {
    let out = run(root, output, extra);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn build(root: &Path, output: &Path) -> String {
    build_with(root, output, &[])
}

/// A copy of `from` (files and folders) in a new temporary folder.
fn copy_site(from: &Path, parts: &[&str]) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    for part in parts {
        let from = from.join(part);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(&from).unwrap();
            let target = if rel.as_os_str().is_empty() {
                site.path().join(part)
            } else {
                site.path().join(part).join(rel)
            };
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    site
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {rel}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Every file but the build manifest (which holds modification times), with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.file_name() != haven::output::MANIFEST)
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn warm_build_after_an_edit_equals_a_cold_build() {
    let site = copy_site(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
        &[""],
    );
    let out = tempfile::tempdir().unwrap();
    let warm = out.path().join("warm");
    build(site.path(), &warm);
    let unchanged = warm.join("aftercare/why/index.html");
    let inode_before = std::fs::metadata(&unchanged)
        .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
        .unwrap();

    let page = site.path().join("content/aftercare/what.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace(
            "Keep water near the bed.",
            "Keep water and a blanket near the bed.",
        ),
    )
    .unwrap();
    build(site.path(), &warm);
    let cold = out.path().join("cold");
    build_with(site.path(), &cold, &["--no-cache"]);

    assert_eq!(
        tree(&warm),
        tree(&cold),
        "a warm build differs from a cold one"
    );
    assert!(
        std::fs::read_to_string(warm.join("aftercare/what/index.html"))
            .unwrap()
            .contains("water and a blanket")
    );
    // The page that did not change was left in place, not written again.
    let inode_after = std::fs::metadata(&unchanged)
        .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
        .unwrap();
    assert_eq!(inode_before, inode_after, "an unchanged page was rewritten");
}

/// The number of pages in a build's summary line.
fn pages_built(stdout: &str) -> usize {
    let rest = stdout.split("Built ").nth(1).expect("a summary line");
    rest.split(' ').next().unwrap().parse().unwrap()
}

/// The pages whose Markdown came from the cache, from the summary line.
fn reused(stdout: &str) -> usize {
    number_after(stdout, "(the Markdown of ")
}

/// The pages and sections not rendered through their template again, from the summary line.
fn kept(stdout: &str) -> usize {
    number_after(stdout, "; ")
}

fn number_after(stdout: &str, marker: &str) -> usize {
    stdout
        .split(marker)
        .nth(1)
        .map_or(0, |rest| rest.split(' ').next().unwrap().parse().unwrap())
}

/// Each change to the example site, then a build using the cache and a cold one (`--no-cache`,
/// into a new folder): the two must be identical, file for file and byte for byte. Between
/// them, the steps touch everything a page's Markdown depends on besides its own text.
#[test]
fn the_build_cache_never_changes_the_output() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = copy_site(repo, &["content", "haven.toml"]);
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let warm = out.path().join("warm");
    let first = build(root, &warm);
    assert_eq!(reused(&first), 0, "no cache yet: {first}");
    let pages = pages_built(&first);
    assert!(root.join(".haven-cache/markdown.bin").is_file());

    let mut step = 0;
    let mut same_as_cold = |what: &str, expect_reused: Option<usize>| {
        let stdout = build(root, &warm);
        if let Some(n) = expect_reused {
            assert_eq!(reused(&stdout), n, "after {what}: {stdout}");
        }
        step += 1;
        let cold = out.path().join(format!("cold-{step}"));
        build_with(root, &cold, &["--no-cache"]);
        assert!(
            tree(&warm) == tree(&cold),
            "after {what}, a build with the cache differs from a cold one"
        );
        std::fs::remove_dir_all(&cold).unwrap();
    };

    let nothing = build(root, &warm);
    assert_eq!(reused(&nothing), pages, "{nothing}");
    assert!(kept(&nothing) > pages, "every page and section: {nothing}");
    let all_kept = kept(&nothing);
    same_as_cold("nothing", Some(pages));
    edit(
        root,
        "content/aftercare/what-is-aftercare.md",
        "pulling a blanket over someone",
        "pulling a warm blanket over someone",
    );
    let one = build(root, &warm);
    assert_eq!(reused(&one), pages - 1, "{one}");
    // Through the templates again: that page and the few that show something of it (its
    // translation, now out of date), not the rest.
    assert!(kept(&one) < all_kept && kept(&one) + 4 >= all_kept, "{one}");
    same_as_cold("one page's text", Some(pages));
    // The page links to from others and quizzes (`#closeness`) loses its heading: both builds
    // must fail alike, then it comes back.
    edit(
        root,
        "content/aftercare/why-it-matters.md",
        "title = \"Why aftercare matters\"",
        "title = \"Why aftercare matters so much\"",
    );
    same_as_cold("a page's title", None);
    // Other pages link to it: their links must follow its new address.
    edit(
        root,
        "content/aftercare/making-it-practical.md",
        "weight = 60",
        "weight = 60\nslug = \"practical-aftercare\"",
    );
    same_as_cold("a linked page's slug", None);
    assert!(
        std::fs::read_to_string(warm.join("for-clinics/using-this-guide/index.html"))
            .unwrap()
            .contains("/aftercare/practical-aftercare/#test-what-you-know")
    );
    edit(
        root,
        "content/aftercare/_index.md",
        "title = \"Aftercare\"",
        "title = \"Aftercare basics\"",
    );
    same_as_cold("a section's title", None);
    edit(
        root,
        "content/glossary.toml",
        "The care, attention and connection partners give each other",
        "The care and connection partners give each other",
    );
    same_as_cold("a glossary definition", None);
    edit(
        root,
        "content/quizzes/what-helps-you.quiz",
        "Holding, stroking, or just lying together",
        "Holding hands or just lying together",
    );
    same_as_cold("a shared quiz file", None);
    let config = std::fs::read_to_string(root.join("haven.toml")).unwrap();
    assert!(!config.contains("[markdown]"));
    std::fs::write(
        root.join("haven.toml"),
        config + "\n[markdown]\nexternal_links_new_tab = true\n",
    )
    .unwrap();
    same_as_cold("the config", None);
    std::fs::write(
        root.join("content/aftercare/new-page.md"),
        "+++\ntitle = \"A new page\"\n+++\nSee [what aftercare is](@/aftercare/what-is-aftercare.md#closeness).\n",
    )
    .unwrap();
    same_as_cold("a new page", None);
    std::fs::remove_file(root.join("content/aftercare/new-page.md")).unwrap();
    same_as_cold("a deleted page", None);

    // The templates: a site override of the theme's page template, then a UI string.
    let theme_page =
        std::fs::read_to_string(repo.join("themes/guide/templates/page.html")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/page.html"),
        theme_page.replace(
            "{% endblock main %}",
            "<p>Local note.</p>\n{% endblock main %}",
        ),
    )
    .unwrap();
    same_as_cold("a template override", None);
    assert!(
        std::fs::read_to_string(warm.join("aftercare/why-it-matters/index.html"))
            .unwrap()
            .contains("Local note.")
    );
    std::fs::create_dir_all(root.join("i18n")).unwrap();
    std::fs::write(root.join("i18n/en.toml"), "home = \"Start\"\n").unwrap();
    same_as_cold("a UI string", None);
    // Someone edits a built page by hand: the next build puts it right.
    let by_hand = warm.join("pcd/living-with-pcd/index.html");
    std::fs::write(&by_hand, "edited by hand").unwrap();
    same_as_cold("an output file edited by hand", None);
    std::fs::remove_file(&by_hand).unwrap();
    same_as_cold("an output file deleted by hand", None);
    // A template that reads the environment: its pages follow the environment, not the cache.
    std::fs::write(
        root.join("templates/page.html"),
        theme_page.replace(
            "{% endblock main %}",
            "<p>Edition {{ get_env(name=\"HAVEN_TEST_EDITION\", default=\"none\") }}.</p>\n{% endblock main %}",
        ),
    )
    .unwrap();
    for edition in ["one", "two"] {
        let out = run_in(root, &warm, &[], &[("HAVEN_TEST_EDITION", edition)]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let page =
            std::fs::read_to_string(warm.join("aftercare/why-it-matters/index.html")).unwrap();
        assert!(
            page.contains(&format!("Edition {edition}.")),
            "edition {edition}"
        );
    }
    std::fs::remove_file(root.join("templates/page.html")).unwrap();
    same_as_cold("the override removed", None);

    // A quiz id used twice: an error on both pages, with or without the cache.
    let new_quiz = "+++\ntitle = \"Another quiz\"\n+++\n```quiz\n# Facts again\ntype: knowledge\nid: pcd-facts\n\n## Is this a question?\n- [x] Yes\n  > Right.\n- [ ] No\n  > It is.\n```\n";
    std::fs::write(root.join("content/pcd/again.md"), new_quiz).unwrap();
    let with_cache = run(root, &warm, &[]);
    let without = run(root, &out.path().join("failed"), &["--no-cache"]);
    assert!(!with_cache.status.success() && !without.status.success());
    let with_cache = String::from_utf8_lossy(&with_cache.stderr);
    assert_eq!(with_cache, String::from_utf8_lossy(&without.stderr));
    assert!(
        with_cache.contains("content/pcd/what-is-pcd.md")
            && with_cache.contains("content/pcd/again.md"),
        "{with_cache}"
    );
    std::fs::remove_file(root.join("content/pcd/again.md")).unwrap();
    same_as_cold("a duplicate quiz id removed", None);
    // The same, made by editing the text of a page: the first page did not change, yet must
    // report it too.
    let living = root.join("content/pcd/living-with-pcd.md");
    let before = std::fs::read_to_string(&living).unwrap();
    std::fs::write(
        &living,
        format!("{before}\n{}", &new_quiz[new_quiz.find("```").unwrap()..]),
    )
    .unwrap();
    let with_cache = run(root, &warm, &[]);
    let without = run(root, &out.path().join("failed"), &["--no-cache"]);
    let with_cache = String::from_utf8_lossy(&with_cache.stderr);
    assert_eq!(with_cache, String::from_utf8_lossy(&without.stderr));
    assert!(
        with_cache.contains("content/pcd/what-is-pcd.md"),
        "{with_cache}"
    );
    std::fs::write(&living, before).unwrap();
    same_as_cold("a duplicate quiz id removed again", None);

    // A damaged cache is never trusted: garbage, then a file cut short.
    let cache = root.join(".haven-cache/markdown.bin");
    std::fs::write(&cache, b"not a cache at all").unwrap();
    same_as_cold("a cache of garbage", Some(0));
    build(root, &warm);
    let bytes = std::fs::read(&cache).unwrap();
    std::fs::write(&cache, &bytes[..bytes.len() / 2]).unwrap();
    same_as_cold("a cache cut short", None);
    // Bytes flipped in the middle of the first entry (after a 24-byte header, a frame is its
    // length, a checksum and the entry): it still decodes, into the wrong page, unless the
    // checksum catches it.
    let mut flipped = std::fs::read(&cache).unwrap();
    let len = u32::from_le_bytes(flipped[24..28].try_into().unwrap()) as usize;
    assert!(len > 100, "the first page has an entry");
    let middle = 36 + len / 2;
    for b in &mut flipped[middle..middle + 8] {
        *b ^= 0x55;
    }
    std::fs::write(&cache, &flipped).unwrap();
    same_as_cold("a damaged entry", None);
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let site = copy_site(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
        &[""],
    );
    let out = tempfile::tempdir().unwrap();
    let first = build_with(site.path(), &out.path().join("a"), &["--no-cache"]);
    assert!(!site.path().join(".haven-cache").exists(), "{first}");
    build(site.path(), &out.path().join("a"));
    assert!(site.path().join(".haven-cache/markdown.bin").is_file());
    let again = build_with(site.path(), &out.path().join("a"), &["--no-cache"]);
    assert_eq!(reused(&again), 0, "{again}");
    let cached = build(site.path(), &out.path().join("a"));
    assert_eq!(reused(&cached), pages_built(&cached), "{cached}");
    // Reading statistics come back from the cache as they were measured.
    let table = |stdout: String| -> String {
        stdout
            .lines()
            .filter(|l| !l.starts_with("Built "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let from_cache = build_with(site.path(), &out.path().join("a"), &["--stats"]);
    assert!(reused(&from_cache) > 0, "{from_cache}");
    let measured = build_with(
        site.path(),
        &out.path().join("a"),
        &["--stats", "--no-cache"],
    );
    assert!(from_cache.contains("GRADE"), "{from_cache}");
    assert_eq!(table(from_cache), table(measured));
}

/// A page's Markdown depends on the glossary of its own language only: editing
/// `glossary.es.toml` renders the Spanish pages again and reuses the English ones, editing
/// `glossary.toml` the other way round, and each warm build equals a cold one.
#[test]
fn a_language_glossary_renders_that_language_again() {
    let site = copy_site(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/glossary-lang"),
        &[""],
    );
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let warm = out.path().join("warm");
    let first = build(root, &warm);
    // Two pages in each language.
    assert_eq!(pages_built(&first), 4, "{first}");
    let same_as_cold = |what: &str| {
        let cold = out.path().join("cold");
        build_with(root, &cold, &["--no-cache"]);
        assert!(
            tree(&warm) == tree(&cold),
            "after {what}, a build with the cache differs from a cold one"
        );
        std::fs::remove_dir_all(&cold).unwrap();
    };

    edit(
        root,
        "content/glossary.es.toml",
        "Los cuidados que las personas se dan después del sexo.",
        "El cariño y la atención que las personas se dan después del sexo.",
    );
    let es = build(root, &warm);
    assert_eq!(reused(&es), 2, "only the English pages reused: {es}");
    assert!(
        std::fs::read_to_string(warm.join("es/talk/after/index.html"))
            .unwrap()
            .contains("El cariño y la atención que las personas se dan")
    );
    same_as_cold("a Spanish glossary definition");

    edit(
        root,
        "content/glossary.toml",
        "The care partners give each other after sex.",
        "The care and kindness partners give each other after sex.",
    );
    let en = build(root, &warm);
    assert_eq!(reused(&en), 2, "only the Spanish pages reused: {en}");
    assert!(
        std::fs::read_to_string(warm.join("talk/after/index.html"))
            .unwrap()
            .contains("The care and kindness partners give")
    );
    same_as_cold("an English glossary definition");
}

/// The numbers of pages and sections in a build's summary line (`Built 3 pages and 2 sections`).
fn pages_and_sections(stdout: &str) -> (usize, usize) {
    let sections = number_after(stdout, " pages and ");
    (pages_built(stdout), sections)
}

/// The summary line counts truly (issue 24.2): after one page's text changes, the pages and
/// sections it says "needed no new HTML" leave that page out, even when the site has folders
/// without an `_index.md` (sections the line does not count as built).
#[test]
fn the_summary_never_counts_an_edited_page_as_needing_no_new_html() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = copy_site(
        &repo.join("tests/fixtures/basic"),
        &["content", "haven.toml"],
    );
    let root = site.path();
    // A folder of pages with no `_index.md`: a section made up for it.
    std::fs::create_dir_all(root.join("content/more")).unwrap();
    std::fs::write(
        root.join("content/more/extra.md"),
        "---\ntitle: Extra\ndescription: One more page.\n---\nOne more page.\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("site");
    build(root, &output);
    let again = build(root, &output);
    let (pages, sections) = pages_and_sections(&again);
    assert_eq!(kept(&again), pages + sections, "nothing changed: {again}");
    edit(
        root,
        "content/aftercare/why.md",
        "Hormones rise",
        "Hormones soar",
    );
    let one = build(root, &output);
    assert_eq!(reused(&one), pages - 1, "{one}");
    let html = std::fs::read_to_string(output.join("aftercare/why/index.html")).unwrap();
    assert!(html.contains("Hormones soar"), "the page's HTML changed");
    assert!(
        kept(&one) < pages + sections,
        "the edited page's HTML changed, so not every page and section can have needed none: {one}"
    );
}

/// The generated files kept and made again, from the summary line (`; 20 generated files kept,
/// 2 made again)`); (0, 0) when the line has no counts.
fn generated(stdout: &str) -> (usize, usize) {
    (
        number_after(stdout, "needed no new HTML; "),
        number_after(stdout, " generated files kept, "),
    )
}

/// The file at `rel` in `dir`, as text.
fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Generated files (handouts, quiz pages, feeds, sitemap, search pages...) are made again when
/// what they read changes, and only then: after each edit the build with the caches equals a
/// cold one byte for byte, the files the edit concerns changed, and an edit that concerns none
/// of them leaves every generated file as it was, unmade.
#[test]
fn generated_files_follow_their_inputs_and_only_them() {
    let site = copy_site(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handout-basic"),
        &[""],
    );
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let warm = out.path().join("warm");
    build(root, &warm);
    let again = build(root, &warm);
    let (all, made) = generated(&again);
    assert!(all > 10, "every generated file kept: {again}");
    assert_eq!(made, 0, "nothing changed: {again}");

    let mut step = 0;
    // Builds with the caches (`env` set) and checks against a cold build; returns the summary.
    let mut warm_equals_cold = |what: &str, env: &[(&str, &str)]| -> String {
        let warm_run = run_in(root, &warm, &[], env);
        assert!(warm_run.status.success(), "{what}: {warm_run:?}");
        step += 1;
        let cold = out.path().join(format!("cold-{step}"));
        let cold_run = run_in(root, &cold, &["--no-cache"], env);
        assert!(cold_run.status.success(), "{what}: {cold_run:?}");
        assert!(
            tree(&warm) == tree(&cold),
            "after {what}, a build with the caches differs from a cold one"
        );
        std::fs::remove_dir_all(&cold).unwrap();
        String::from_utf8(warm_run.stdout).unwrap()
    };
    let today = [("HAVEN_TODAY", "2026-11-23")];

    // A page with no handout, quiz or script: no generated file is made again.
    edit(
        root,
        "content/learn/other.md",
        "This page has no handout.",
        "This page has no handout, and more words now.",
    );
    let unrelated = warm_equals_cold("an unrelated body edit", &today);
    assert_eq!(generated(&unrelated), (all, 0), "{unrelated}");

    // A quiz: its page, the quiz index (its summary counts the questions) and the handout
    // that prints it.
    let quiz_page = "quizzes/feelings/index.html";
    let before = (read(&warm, quiz_page), read(&warm, "quizzes/index.html"));
    edit(
        root,
        "content/learn/leaflet.md",
        "## What can help?",
        "## Is it common?\n- [x] Yes\n  > Right.\n- [ ] No\n  > It is.\n\n## What can help?",
    );
    let quiz = warm_equals_cold("a quiz edit", &today);
    assert!(generated(&quiz).1 > 0, "{quiz}");
    assert!(read(&warm, quiz_page).contains("Is it common?"));
    assert_ne!(before.0, read(&warm, quiz_page));
    assert_ne!(
        before.1,
        read(&warm, "quizzes/index.html"),
        "3 questions now"
    );

    // A handout article's body: its handout, large print and the print-all page.
    let handout = "handouts/leaflet/index.html";
    let large = "handouts/leaflet/large-print/index.html";
    edit(
        root,
        "content/learn/leaflet.md",
        "That is common, and it passes.",
        "That is common, and it passes with time.",
    );
    let body = warm_equals_cold("a handout article's body", &today);
    for rel in [handout, large, "handouts/print-all/index.html"] {
        assert!(read(&warm, rel).contains("it passes with time"), "{rel}");
    }
    let (kept, made) = generated(&body);
    assert!(made >= 3 && kept > 0, "{body}");

    // Titles and dates: feeds, sitemap, search pages (which list the sections).
    edit(
        root,
        "content/learn/leaflet.md",
        "title = \"Feeling low after sex\"",
        "title = \"Feeling low after sex, and why\"\ndate = 2026-03-04",
    );
    warm_equals_cold("a page's title and date", &today);
    assert!(read(&warm, "atom.xml").contains("Feeling low after sex, and why"));
    assert!(read(&warm, "sitemap.xml").contains("2026-03-04"));
    edit(
        root,
        "content/learn/_index.md",
        "title = \"Learn\"",
        "title = \"Learn more\"",
    );
    warm_equals_cold("a section's title", &today);
    assert!(read(&warm, "search/index.html").contains("Learn more"));

    // The handout template: every handout page, not the rest.
    let theme_handout = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/guide/templates/handout.html"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let marked = theme_handout.replacen(
        "<div class=\"handout-clinic\">",
        "<div class=\"handout-clinic\"><!--local-->",
        1,
    );
    assert_ne!(marked, theme_handout);
    std::fs::write(root.join("templates/handout.html"), marked).unwrap();
    let template = warm_equals_cold("the handout template", &today);
    assert!(read(&warm, handout).contains("<!--local-->"));
    assert!(read(&warm, "es/handouts/leaflet/index.html").contains("<!--local-->"));
    let (kept, made) = generated(&template);
    // Two handouts, each with its large print, and two print-all pages; the rest kept.
    assert!(made >= 6 && kept > 0, "{template}");

    // The clinic's block, and its Spanish words (which serialising the config leaves out).
    let config = std::fs::read_to_string(root.join("haven.toml")).unwrap();
    std::fs::write(
        root.join("haven.toml"),
        config.replace("0100 222 3333", "0100 999 8888"),
    )
    .unwrap();
    warm_equals_cold("the clinic's phone", &today);
    assert!(read(&warm, handout).contains("0100 999 8888"));
    let config = std::fs::read_to_string(root.join("haven.toml")).unwrap();
    std::fs::write(
        root.join("haven.toml"),
        config.replace("Sábados, de 10 a 13 h", "Sábados, de 10 a 14 h"),
    )
    .unwrap();
    warm_equals_cold("the clinic's Spanish hours", &today);
    assert!(read(&warm, "es/handouts/leaflet/index.html").contains("de 10 a 14 h"));

    // The clinic theme shows the clinic's block on every page: the Spanish pages follow its
    // Spanish words too (the page cache's key as well as the handouts').
    let config = std::fs::read_to_string(root.join("haven.toml")).unwrap();
    std::fs::write(
        root.join("haven.toml"),
        format!("theme = \"clinic\"\n{config}"),
    )
    .unwrap();
    warm_equals_cold("the clinic theme", &today);
    let config = std::fs::read_to_string(root.join("haven.toml")).unwrap();
    std::fs::write(
        root.join("haven.toml"),
        config.replace("Sábados, de 10 a 14 h", "Sábados, de 10 a 15 h"),
    )
    .unwrap();
    warm_equals_cold("the clinic's Spanish hours, on pages", &today);
    assert!(read(&warm, "es/index.html").contains("de 10 a 15 h"));

    // Another day: a handout says when it was printed.
    let before = read(&warm, handout);
    warm_equals_cold("the date", &[("HAVEN_TODAY", "2026-12-24")]);
    assert_ne!(before, read(&warm, handout), "printed on another day");
}

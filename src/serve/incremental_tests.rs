//! Each incremental rebuild must serve exactly what a full build makes of the same files.

use std::path::{Path, PathBuf};

use super::*;
use crate::{pipeline, render};

fn copy_fixture() -> tempfile::TempDir {
    copy_named_fixture("basic")
}

fn copy_named_fixture(name: &str) -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let target = dir.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    }
}

fn bytes(body: &Body) -> Vec<u8> {
    match body {
        Body::Bytes(b) => b.to_vec(),
        Body::File(p) => std::fs::read(p).unwrap(),
    }
}

/// The served files equal a fresh full build's, file by file.
fn assert_same_as_full_build(files: &Files, root: &Path) {
    let built = {
        let options = options(root);
        let config = pipeline::load_config(&options).unwrap();
        pipeline::build_in_memory(&options, config).unwrap()
    };
    let mut expected: Vec<&str> = built.files.iter().map(|f| f.path.as_str()).collect();
    let mut served: Vec<&str> = files.map.keys().map(String::as_str).collect();
    expected.sort_unstable();
    served.sort_unstable();
    assert_eq!(served, expected);
    for f in built.files {
        let want = bytes(&Body::from(f.contents));
        let got = bytes(&files.map[&f.path]);
        assert!(
            want == got,
            "{} differs from a full build:\n--- incremental\n{}\n--- full\n{}",
            f.path,
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want)
        );
    }
}

/// Runs the work left for after serving (the search index).
fn settle(live: &mut Live, files: &mut Files) {
    if let Some(job) = live.deferred() {
        files.apply(job.run().update);
    }
}

fn start(root: &Path) -> (Live, Files) {
    let mut live = Live::new(options(root));
    let mut files = Files::default();
    files.apply(live.full().unwrap().update);
    (live, files)
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) -> PathBuf {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    path
}

#[test]
fn a_body_edit_re_renders_the_page_and_its_lists() {
    let dir = copy_fixture();
    let root = dir.path();
    let (mut live, mut files) = start(root);
    // Enough words to change the reading time, so the lists showing it change too.
    let words = "word ".repeat(400);
    let path = edit(
        root,
        "content/aftercare/what.md",
        "Keep water near the bed.",
        &format!("Keep water near the bed.\n\nA new paragraph. {words}"),
    );
    let outcome = live.apply(&[path]).unwrap().unwrap();
    assert!(
        matches!(outcome.update, Update::Patch { .. }),
        "{outcome:?}"
    );
    assert!(outcome.what.contains("that list it"), "{}", outcome.what);
    files.apply(outcome.update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
}

#[test]
fn a_small_body_edit_renders_one_page() {
    let dir = copy_fixture();
    let root = dir.path();
    let (mut live, mut files) = start(root);
    let path = edit(
        root,
        "content/aftercare/why.md",
        "Hormones rise",
        "Hormones soar",
    );
    let outcome = live.apply(&[path]).unwrap().unwrap();
    match &outcome.update {
        Update::Patch { set, remove } => {
            assert_eq!(set.len(), 1, "{set:?}");
            assert!(remove.is_empty());
        }
        other => panic!("{other:?}"),
    }
    files.apply(outcome.update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
    // Saving the same text again changes nothing.
    let path = root.join("content/aftercare/why.md");
    let outcome = live.apply(&[path]).unwrap().unwrap();
    assert_eq!(outcome.reload, Reload::Nothing);
}

#[test]
fn a_section_body_edit_re_renders_the_section() {
    let dir = copy_fixture();
    let root = dir.path();
    let (mut live, mut files) = start(root);
    let path = edit(
        root,
        "content/aftercare/_index.md",
        "All about",
        "Everything about",
    );
    let outcome = live.apply(&[path]).unwrap().unwrap();
    assert!(matches!(outcome.update, Update::Patch { .. }));
    files.apply(outcome.update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
}

#[test]
fn front_matter_and_new_files_rebuild_everything() {
    let dir = copy_fixture();
    let root = dir.path();
    let (mut live, mut files) = start(root);
    let path = edit(
        root,
        "content/aftercare/why.md",
        "Why it matters",
        "Why aftercare matters",
    );
    let outcome = live.apply(&[path]).unwrap().unwrap();
    assert!(matches!(outcome.update, Update::Replace(_)));
    files.apply(outcome.update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);

    let new = root.join("content/aftercare/new.md");
    std::fs::write(&new, "+++\ntitle = \"New\"\n+++\nNew page.\n").unwrap();
    files.apply(
        live.apply(std::slice::from_ref(&new))
            .unwrap()
            .unwrap()
            .update,
    );
    assert!(files.map.contains_key("aftercare/new/index.html"));
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);

    std::fs::remove_file(&new).unwrap();
    files.apply(live.apply(&[new]).unwrap().unwrap().update);
    assert!(!files.map.contains_key("aftercare/new/index.html"));
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
}

#[test]
fn a_failed_edit_keeps_the_last_site_and_is_retried() {
    let dir = copy_fixture();
    let root = dir.path();
    let (mut live, mut files) = start(root);
    let before = bytes(&files.map["aftercare/why/index.html"]);
    let broken = edit(
        root,
        "content/aftercare/why.md",
        "title: Why",
        "title: [Why",
    );
    let errors = live
        .apply(std::slice::from_ref(&broken))
        .unwrap()
        .unwrap_err();
    assert!(
        errors.0[0]
            .location()
            .contains("content/aftercare/why.md:2"),
        "{errors}"
    );
    // Another file saved meanwhile: the broken one is still broken.
    let other = edit(
        root,
        "content/aftercare/what.md",
        "Four kinds",
        "Four kinds of care",
    );
    assert!(live.apply(&[other]).unwrap().is_err());
    assert_eq!(bytes(&files.map["aftercare/why/index.html"]), before);
    // Fixing it builds both changes.
    let fixed = edit(
        root,
        "content/aftercare/why.md",
        "title: [Why",
        "title: Why",
    );
    files.apply(live.apply(&[fixed]).unwrap().unwrap().update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
    assert!(
        String::from_utf8(bytes(&files.map["aftercare/what/index.html"]))
            .unwrap()
            .contains("Four kinds of care")
    );
}

#[test]
fn a_broken_anchor_in_a_body_edit_fails_and_rolls_back() {
    let dir = copy_fixture();
    let root = dir.path();
    let (mut live, mut files) = start(root);
    // what.md links to why.md#the-body: renaming the heading breaks that link.
    let path = edit(
        root,
        "content/aftercare/why.md",
        "## The body",
        "## The mind",
    );
    let errors = live.apply(&[path]).unwrap().unwrap_err();
    assert!(errors.to_string().contains("missing anchor"), "{errors}");
    let path = edit(
        root,
        "content/aftercare/why.md",
        "## The mind",
        "## The body",
    );
    files.apply(live.apply(&[path]).unwrap().unwrap().update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
}

#[test]
fn templates_and_static_files_rebuild_without_content() {
    let dir = copy_fixture();
    let root = dir.path();
    let (mut live, mut files) = start(root);
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let t = root.join("templates/404.html");
    std::fs::write(
        &t,
        "<!doctype html><html><head></head><body>Gone</body></html>",
    )
    .unwrap();
    let outcome = live.apply(&[t]).unwrap().unwrap();
    assert!(outcome.what.starts_with("templates"), "{}", outcome.what);
    files.apply(outcome.update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);

    std::fs::create_dir_all(root.join("static")).unwrap();
    let css = root.join("static/extra.css");
    std::fs::write(&css, "body { color: red }").unwrap();
    let outcome = live.apply(std::slice::from_ref(&css)).unwrap().unwrap();
    assert_eq!(outcome.reload, Reload::Css);
    files.apply(outcome.update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
    std::fs::remove_file(&css).unwrap();
    files.apply(live.apply(&[css]).unwrap().unwrap().update);
    assert!(!files.map.contains_key("extra.css"));
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
}

#[test]
fn an_editor_temp_file_renamed_over_a_page_is_a_body_edit() {
    let dir = copy_fixture();
    let root = dir.path();
    let (mut live, mut files) = start(root);
    let page = root.join("content/aftercare/why.md");
    let temp = root.join("content/aftercare/sedX1b2c3");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&temp, text.replace("Hormones rise", "Hormones soar")).unwrap();
    std::fs::rename(&temp, &page).unwrap();
    let outcome = live.apply(&[temp, page]).unwrap().unwrap();
    assert!(
        matches!(outcome.update, Update::Patch { .. }),
        "{outcome:?}"
    );
    files.apply(outcome.update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
}

#[test]
fn a_deleted_asset_or_folder_rebuilds_everything() {
    let dir = copy_fixture();
    let root = dir.path();
    std::fs::write(root.join("content/aftercare/note.txt"), "a note").unwrap();
    let (mut live, mut files) = start(root);
    assert!(files.map.contains_key("aftercare/note.txt"));
    let asset = root.join("content/aftercare/note.txt");
    std::fs::remove_file(&asset).unwrap();
    files.apply(live.apply(&[asset]).unwrap().unwrap().update);
    assert!(!files.map.contains_key("aftercare/note.txt"));
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
    // A folder of pages moved out of the site in one rename.
    let folder = root.join("content/aftercare");
    std::fs::rename(&folder, root.join("moved-away")).unwrap();
    // The home page links to a page in it: that link is now broken.
    let errors = live.apply(&[folder]).unwrap().unwrap_err();
    assert!(errors.to_string().contains("does not exist"), "{errors}");
    let home = edit(root, "content/_index.md", "(@/aftercare/what.md)", "(@/)");
    files.apply(live.apply(&[home]).unwrap().unwrap().update);
    assert!(!files.map.contains_key("aftercare/why/index.html"));
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
}

#[test]
fn unrelated_paths_are_ignored() {
    let dir = copy_fixture();
    let root = dir.path();
    let (mut live, _) = start(root);
    for p in [
        "public/index.html",
        "content/.what.md.swp",
        "README.md",
        "target/x",
    ] {
        assert!(live.apply(&[root.join(p)]).is_none(), "{p}");
    }
}

/// Puts a visible mark in a template: inside its first block when it extends another (text
/// outside blocks is never shown), else at the start.
fn marked(text: &str) -> String {
    const MARK: &str = "<!--edited-->";
    if text.contains("{% extends") {
        let block = text
            .find("{% block ")
            .expect("a child template has a block");
        let end = block + text[block..].find("%}").unwrap() + 2;
        format!("{}{MARK}{}", &text[..end], &text[end..])
    } else {
        format!("{MARK}{text}")
    }
}

#[test]
fn a_template_edit_re_renders_what_uses_it_and_equals_a_full_build() {
    let dir = copy_fixture();
    let root = dir.path();
    let (mut live, mut files) = start(root);
    let theme = crate::theme::Theme::load(root, "guide").unwrap();
    let templates: Vec<(String, String)> = theme
        .files_under("templates")
        .map(|(name, f)| {
            (
                name.to_string(),
                String::from_utf8(f.bytes.clone()).unwrap(),
            )
        })
        .collect();
    assert!(templates.len() > 10, "{templates:?}");
    let built = {
        let options = options(root);
        let config = pipeline::load_config(&options).unwrap();
        pipeline::build_in_memory(&options, config).unwrap()
    };
    let page_count = built
        .site
        .pages
        .iter()
        .filter(|p| render::page_template(p) == "page.html")
        .count();
    for (name, text) in &templates {
        let path = root.join("templates").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, marked(text)).unwrap();
        let outcome = live.apply(std::slice::from_ref(&path)).unwrap().unwrap();
        if name == "page.html" {
            // Only the pages: not sections, tags, the 404 page or handouts.
            assert!(
                outcome.what.starts_with("templates page.html: "),
                "{}",
                outcome.what
            );
            match &outcome.update {
                Update::Patch { set, .. } => assert_eq!(set.len(), page_count),
                other => panic!("page.html re-rendered more than its pages: {other:?}"),
            }
        }
        files.apply(outcome.update);
        settle(&mut live, &mut files);
        assert_same_as_full_build(&files, root);
        let served = String::from_utf8(bytes(&files.map["index.html"])).unwrap()
            + &String::from_utf8(bytes(&files.map["404.html"])).unwrap();
        if name == "base.html" {
            assert!(
                served.contains("<!--edited-->"),
                "base.html's edit is served"
            );
        }
        // Back to the theme's, for the next one.
        std::fs::remove_file(&path).unwrap();
        files.apply(live.apply(&[path]).unwrap().unwrap().update);
        settle(&mut live, &mut files);
        assert_same_as_full_build(&files, root);
    }
}

#[test]
fn a_body_edit_of_a_handout_article_re_renders_its_handout() {
    let dir = copy_named_fixture("handout-basic");
    let root = dir.path();
    let (mut live, mut files) = start(root);
    let page = root.join("content/learn/leaflet.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let more = "\n\nA new paragraph for the handout to print.\n".repeat(40);
    std::fs::write(&page, format!("{text}{more}")).unwrap();
    let outcome = live.apply(&[page]).unwrap().unwrap();
    assert!(outcome.what.contains("handout files"), "{}", outcome.what);
    files.apply(outcome.update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
    let handout = String::from_utf8(bytes(&files.map["handouts/leaflet/index.html"])).unwrap();
    assert!(handout.contains("A new paragraph for the handout to print."));
}

#[test]
fn changes_in_the_active_theme_and_its_parents_count_and_other_themes_do_not() {
    let family = ["clinic".to_string(), "guide".to_string()];
    let at = |p: &str| classify(Path::new(p), Some(&family));
    assert_eq!(
        at("themes/guide/templates/page.html"),
        Some(Change::Templates("themes/guide/templates/page.html".into()))
    );
    assert_eq!(
        at("themes/clinic/static/style.css"),
        Some(Change::Static("themes/clinic/static/style.css".into()))
    );
    assert_eq!(at("themes/other/templates/page.html"), None);
}

#[test]
fn a_strings_edit_rebuilds_the_markdown_too() {
    // Callout labels are inside the article's HTML: an i18n edit that only re-ran the templates
    // would leave the old ones there.
    let dir = copy_fixture();
    let root = dir.path();
    let (mut live, mut files) = start(root);
    std::fs::create_dir_all(root.join("i18n")).unwrap();
    let strings = root.join("i18n/en.toml");
    std::fs::write(
        &strings,
        "callout_tip = \"Good to know\"\nhome = \"Start\"\n",
    )
    .unwrap();
    let outcome = live.apply(std::slice::from_ref(&strings)).unwrap().unwrap();
    files.apply(outcome.update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
    let page =
        String::from_utf8_lossy(&bytes(&files.map["aftercare/what/index.html"])).into_owned();
    assert!(page.contains(">Good to know</p>"), "{page}");
    assert_eq!(
        classify(Path::new("themes/guide/i18n/fr.toml"), None),
        Some(Change::Config)
    );
}

/// Generated files follow what they read, in memory as in `haven build`: an edit to a page with
/// no handout, quiz or script makes none of them again; an edit to a quiz makes the quiz index,
/// the quiz's page and the handout printing it again; each rebuild equals a full build.
#[test]
fn generated_files_are_made_again_only_when_what_they_read_changed() {
    let dir = copy_named_fixture("handout-basic");
    let root = dir.path();
    let (mut live, mut files) = start(root);
    let other = edit(
        root,
        "content/learn/other.md",
        "This page has no handout.",
        "This page has no handout, and more words now.",
    );
    let outcome = live.apply(&[other]).unwrap().unwrap();
    assert_eq!(outcome.generated.made, 0, "{outcome:?}");
    assert!(outcome.generated.kept > 10, "{outcome:?}");
    match &outcome.update {
        Update::Patch { set, .. } => {
            let paths: Vec<&str> = set.iter().map(|f| f.path.as_str()).collect();
            assert_eq!(paths, ["learn/other/index.html"]);
        }
        other => panic!("{other:?}"),
    }
    files.apply(outcome.update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);

    let quiz = edit(
        root,
        "content/learn/leaflet.md",
        "## What can help?",
        "## Is it common?\n- [x] Yes\n  > Right.\n- [ ] No\n  > It is.\n\n## What can help?",
    );
    let outcome = live.apply(&[quiz]).unwrap().unwrap();
    let Update::Patch { set, .. } = &outcome.update else {
        panic!("{outcome:?}");
    };
    let paths: Vec<&str> = set.iter().map(|f| f.path.as_str()).collect();
    for made in [
        "quizzes/index.html",
        "quizzes/feelings/index.html",
        "handouts/leaflet/index.html",
        "handouts/print-all/index.html",
    ] {
        assert!(paths.contains(&made), "{made} not in {paths:?}");
    }
    assert!(
        outcome.generated.made >= 4 && outcome.generated.kept > 0,
        "{outcome:?}"
    );
    files.apply(outcome.update);
    settle(&mut live, &mut files);
    assert_same_as_full_build(&files, root);
}

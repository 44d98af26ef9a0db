//! Command-level tests that a build never deletes or overwrites a user's files, never follows a
//! link to do so, and never reads or publishes a file from outside the site (issue 18, points 1
//! and 3).

mod common;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::haven;

/// A fresh copy of the `basic` fixture site.
fn site() -> tempfile::TempDir {
    common::copy_fixture("basic")
}

fn build(root: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    haven(&args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A folder of someone's own work: `thesis.txt` and `notes/chapter-1.md`.
fn users_folder(dir: &Path) {
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    std::fs::write(dir.join("thesis.txt"), "four years of work").unwrap();
    std::fs::write(dir.join("notes/chapter-1.md"), "draft").unwrap();
}

fn assert_users_files_intact(dir: &Path) {
    assert_eq!(read(dir.join("thesis.txt")), "four years of work");
    assert_eq!(read(dir.join("notes/chapter-1.md")), "draft");
}

#[test]
fn building_into_a_folder_haven_did_not_make_is_refused_and_touches_nothing() {
    let site = site();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("mine");
    users_folder(&target);
    let out = build(site.path(), &["--output", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&target.display().to_string()), "{err}");
    assert!(
        err.contains("not empty") && err.contains("--force"),
        "{err}"
    );
    assert_users_files_intact(&target);
    let names: Vec<_> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "something was added: {names:?}");
    // Nothing was left beside it either.
    let beside: Vec<_> = std::fs::read_dir(elsewhere.path()).unwrap().collect();
    assert_eq!(beside.len(), 1);

    // The same through output_dir in haven.toml.
    users_folder(&site.path().join("notes-folder"));
    let config = read(site.path().join("haven.toml"));
    std::fs::write(
        site.path().join("haven.toml"),
        format!("output_dir = \"notes-folder\"\n{config}"),
    )
    .unwrap();
    let out = build(site.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("notes-folder") && stderr(&out).contains("output_dir"));
    assert_users_files_intact(&site.path().join("notes-folder"));
}

#[test]
fn force_writes_the_site_into_a_users_folder_and_deletes_none_of_their_files() {
    let site = site();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("mine");
    users_folder(&target);
    let extra = site.path().join("content/aftercare/extra.md");
    std::fs::write(&extra, "+++\ntitle = \"Extra\"\n+++\nA page.\n").unwrap();
    let target_arg = target.to_str().unwrap();
    let out = build(site.path(), &["--output", target_arg, "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(target.join("aftercare/what/index.html")).contains("<h1>"));
    assert_users_files_intact(&target);

    // Haven has made its manifest there: a rebuild needs no --force, and removing a page
    // removes only that page's output.
    assert!(target.join("aftercare/extra/index.html").is_file());
    std::fs::remove_file(&extra).unwrap();
    let out = build(site.path(), &["--output", target_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!target.join("aftercare/extra").exists());
    assert!(target.join("aftercare/what/index.html").is_file());
    assert_users_files_intact(&target);
}

#[test]
fn a_file_put_into_the_output_by_hand_survives_rebuilds() {
    let site = site();
    assert!(build(site.path(), &[]).status.success());
    let public = site.path().join("public");
    users_folder(&public);
    let out = build(site.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_users_files_intact(&public);

    // The site now wants to write where the user's file is: refused, naming it, unless --force.
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/thesis.txt"), "the site's").unwrap();
    let out = build(site.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("thesis.txt") && stderr(&out).contains("--force"));
    assert_users_files_intact(&public);
    let out = build(site.path(), &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(read(public.join("thesis.txt")), "the site's");
    assert_eq!(read(public.join("notes/chapter-1.md")), "draft");
}

#[test]
fn a_link_in_the_output_is_replaced_never_written_through() {
    let site = site();
    assert!(build(site.path(), &[]).status.success());
    let public = site.path().join("public");
    let victim = tempfile::tempdir().unwrap();
    users_folder(victim.path());
    // A folder Haven made, swapped for a link to the user's folder.
    std::fs::remove_dir_all(public.join("aftercare")).unwrap();
    symlink(victim.path(), public.join("aftercare")).unwrap();
    // Not Haven's: refused, once, naming it.
    let out = build(site.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(
        err.matches("error: refusing to replace").count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("aftercare") && err.contains("--force"),
        "{err}"
    );
    assert!(public.join("aftercare").is_symlink());
    assert_users_files_intact(victim.path());
    let out = build(site.path(), &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(public.join("aftercare").is_dir() && !public.join("aftercare").is_symlink());
    assert_users_files_intact(victim.path());
    assert_eq!(std::fs::read_dir(victim.path()).unwrap().count(), 2);
}

#[test]
fn a_staging_name_that_is_a_link_does_not_lead_to_deleting_its_target() {
    for leftover in [".public.haven-new", ".public.haven-old"] {
        let site = site();
        let victim = tempfile::tempdir().unwrap();
        users_folder(victim.path());
        symlink(victim.path(), site.path().join(leftover)).unwrap();
        let out = build(site.path(), &[]);
        assert_users_files_intact(victim.path());
        assert_eq!(
            std::fs::read_dir(victim.path()).unwrap().count(),
            2,
            "{leftover}: something was added to the link's target"
        );
        assert!(site.path().join(leftover).is_symlink(), "{leftover}");
        if leftover.ends_with("-new") {
            // Haven needs that name: it says what is in the way and leaves it.
            assert_eq!(out.status.code(), Some(1));
            let err = stderr(&out);
            assert!(
                err.contains(".public.haven-new") && err.contains("a link"),
                "{err}"
            );
        } else {
            assert!(out.status.success(), "{}", stderr(&out));
        }
    }
}

#[test]
fn a_staging_folder_left_by_a_stopped_build_is_cleared() {
    let site = site();
    assert!(build(site.path(), &[]).status.success());
    // As a build killed half-way leaves it.
    let staging = site.path().join(".public.haven-new");
    std::fs::create_dir_all(staging.join("aftercare")).unwrap();
    std::fs::write(staging.join(".haven-staging"), "").unwrap();
    std::fs::write(staging.join("aftercare/index.html"), "half").unwrap();
    let out = build(site.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!staging.exists());
    // A real folder of that name that Haven did not make is not deleted.
    users_folder(&staging);
    let out = build(site.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_users_files_intact(&staging);
}

#[test]
fn translations_stamp_replaces_the_file_whole_instead_of_rewriting_it_in_place() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("haven.toml"), site.path().join("haven.toml")).unwrap();
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.unwrap();
        let target = site.path().join(entry.path().strip_prefix(repo).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let es = site.path().join("content/pcd/what-is-pcd.es.md");
    // Unstamped, so the stamp has something to write (the example's translation may already
    // follow its English, and stamping an up-to-date page writes nothing).
    let unstamped: String = read(es.clone())
        .lines()
        .filter(|l| !l.starts_with("translation_of = "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&es, unstamped).unwrap();
    std::fs::set_permissions(&es, std::fs::Permissions::from_mode(0o640)).unwrap();
    let before = std::fs::metadata(&es).unwrap();
    let out = haven(&[
        "translations",
        "stamp",
        "--root",
        site.path().to_str().unwrap(),
        "content/pcd/what-is-pcd.es.md",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = std::fs::metadata(&es).unwrap();
    assert!(read(es.clone()).contains("translation_of = \""));
    // A new file took the old one's place (an interrupted write cannot leave half an article),
    // with the same permissions, and nothing was left beside it.
    assert_ne!(
        before.ino(),
        after.ino(),
        "the article was rewritten in place"
    );
    assert_eq!(after.permissions().mode() & 0o777, 0o640);
    let mut names: Vec<String> = std::fs::read_dir(es.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    names.sort();
    assert!(names.is_empty(), "left behind: {names:?}");
}

/// A site in `parent/site` and a secret file in `parent/outside/secret.txt`.
fn site_beside_a_secret() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site");
    let basic = site();
    std::fs::rename(basic.path(), &root).unwrap_or_else(|_| {
        for entry in walkdir::WalkDir::new(basic.path()) {
            let entry = entry.unwrap();
            let target = root.join(entry.path().strip_prefix(basic.path()).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    });
    let outside = parent.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "root:x:0:0 the secret").unwrap();
    (parent, root, outside)
}

/// The build fails, naming the link and where it leads, and publishes nothing.
fn assert_link_refused(root: &Path, link: &str, target: &Path) {
    let out = build(root, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{link}: {err}");
    assert!(err.contains(link), "{link}: {err}");
    assert!(err.contains(&target.display().to_string()), "{link}: {err}");
    assert!(err.contains("outside the site folder"), "{link}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !root.join("public").exists(),
        "{link}: something was published"
    );
}

#[test]
fn a_static_file_linking_outside_the_site_is_refused_not_published() {
    let (_parent, root, outside) = site_beside_a_secret();
    std::fs::create_dir_all(root.join("static")).unwrap();
    // A link that stays inside the site is followed as before.
    symlink("../content/aftercare/what.md", root.join("static/what.txt")).unwrap();
    let out = build(&root, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(root.join("public/what.txt")).contains("title"));
    std::fs::remove_dir_all(root.join("public")).unwrap();

    symlink(outside.join("secret.txt"), root.join("static/passwd.txt")).unwrap();
    assert_link_refused(&root, "static/passwd.txt", &outside.join("secret.txt"));
    // A whole static/ folder linked from outside.
    std::fs::remove_dir_all(root.join("static")).unwrap();
    symlink(&outside, root.join("static")).unwrap();
    assert_link_refused(&root, "static", &outside);
}

#[test]
fn a_content_folder_linking_outside_the_site_is_refused() {
    let (_parent, root, outside) = site_beside_a_secret();
    std::fs::write(
        outside.join("leak.md"),
        "+++\ntitle = \"Leak\"\n+++\nFrom outside.\n",
    )
    .unwrap();
    symlink(&outside, root.join("content/notes")).unwrap();
    assert_link_refused(&root, "content/notes", &outside);
    // And a single file.
    std::fs::remove_file(root.join("content/notes")).unwrap();
    symlink(
        outside.join("secret.txt"),
        root.join("content/aftercare/key.txt"),
    )
    .unwrap();
    assert_link_refused(
        &root,
        "content/aftercare/key.txt",
        &outside.join("secret.txt"),
    );
}

#[test]
fn templates_and_theme_files_linking_outside_the_site_are_refused() {
    let (_parent, root, outside) = site_beside_a_secret();
    std::fs::write(outside.join("page.html"), "{{ page.title }}").unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    symlink(outside.join("page.html"), root.join("templates/page.html")).unwrap();
    assert_link_refused(&root, "templates/page.html", &outside.join("page.html"));
    std::fs::remove_dir_all(root.join("templates")).unwrap();

    let theme = root.join("themes/mine");
    std::fs::create_dir_all(theme.join("static")).unwrap();
    std::fs::write(
        theme.join("theme.toml"),
        "name = \"mine\"\nparent = \"guide\"\n",
    )
    .unwrap();
    symlink(outside.join("secret.txt"), theme.join("static/notes.txt")).unwrap();
    let config = read(root.join("haven.toml"));
    std::fs::write(
        root.join("haven.toml"),
        format!("theme = \"mine\"\n{config}"),
    )
    .unwrap();
    assert_link_refused(
        &root,
        "themes/mine/static/notes.txt",
        &outside.join("secret.txt"),
    );
}

#[test]
fn a_theme_named_as_a_path_is_a_located_config_error() {
    let (parent, root, _outside) = site_beside_a_secret();
    // A theme that would load from outside the site, through themes/../../evil.
    std::fs::create_dir_all(root.join("themes")).unwrap();
    let evil = parent.path().join("evil");
    std::fs::create_dir_all(evil.join("static")).unwrap();
    std::fs::write(
        evil.join("theme.toml"),
        "name = \"evil\"\nparent = \"guide\"\n",
    )
    .unwrap();
    std::fs::write(evil.join("static/evil.txt"), "from outside").unwrap();
    let config = read(root.join("haven.toml"));
    for name in ["../../evil", "/etc", "a/b"] {
        std::fs::write(
            root.join("haven.toml"),
            format!("\ntheme = {name:?}\n{config}"),
        )
        .unwrap();
        let out = build(&root, &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains("haven.toml:2:9"), "{name}: {err}");
        assert!(err.contains("not a theme name"), "{name}: {err}");
        assert!(!root.join("public").exists());
    }
}

#[test]
fn ui_strings_and_clinic_profiles_read_through_a_link_from_outside_are_refused() {
    let (_parent, root, outside) = site_beside_a_secret();
    std::fs::write(outside.join("en.toml"), "site_secret = \"from outside\"\n").unwrap();
    std::fs::create_dir_all(root.join("i18n")).unwrap();
    symlink(outside.join("en.toml"), root.join("i18n/en.toml")).unwrap();
    assert_link_refused(&root, "i18n/en.toml", &outside.join("en.toml"));
    // The whole folder linked: the file itself is no link, but it is outside all the same.
    std::fs::remove_dir_all(root.join("i18n")).unwrap();
    symlink(&outside, root.join("i18n")).unwrap();
    assert_link_refused(&root, "i18n/en.toml", &outside.join("en.toml"));
    std::fs::remove_file(root.join("i18n")).unwrap();

    std::fs::write(
        outside.join("north.toml"),
        "[clinic]\nname = \"Clinic from outside\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("clinics")).unwrap();
    symlink(outside.join("north.toml"), root.join("clinics/north.toml")).unwrap();
    let out = build(&root, &["--clinic", "north"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("clinics/north.toml") && err.contains("outside the site folder"),
        "{err}"
    );
    assert!(!root.join("public").exists());
}

#[test]
fn a_cache_folder_that_is_a_link_is_never_written_through() {
    let site = site();
    let elsewhere = tempfile::tempdir().unwrap();
    users_folder(elsewhere.path());
    symlink(elsewhere.path(), site.path().join(".haven-cache")).unwrap();
    for _ in 0..2 {
        let out = build(site.path(), &[]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_users_files_intact(elsewhere.path());
    let mut names: Vec<String> = std::fs::read_dir(elsewhere.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["notes", "thesis.txt"],
        "the build wrote into the linked folder"
    );
    assert!(site.path().join("public/index.html").is_file());
}

#[test]
fn a_cache_file_linked_to_a_device_is_not_read() {
    let site = site();
    std::fs::create_dir_all(site.path().join(".haven-cache")).unwrap();
    for name in ["markdown.bin", "pages.bin"] {
        symlink("/dev/zero", site.path().join(".haven-cache").join(name)).unwrap();
    }
    // Without the check, reading pages.bin through the link never ends (the hang guard fails).
    let out = common::output_within(
        Command::new(env!("CARGO_BIN_EXE_haven")).args([
            "build",
            "--root",
            site.path().to_str().unwrap(),
        ]),
        std::time::Duration::from_secs(120),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for name in ["markdown.bin", "pages.bin"] {
        let m = std::fs::symlink_metadata(site.path().join(".haven-cache").join(name)).unwrap();
        assert!(
            m.file_type().is_symlink(),
            "{name}: the link was replaced or followed"
        );
    }
}

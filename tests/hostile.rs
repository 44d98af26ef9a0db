//! Hostile input: every broken site gives a located error, exit 1, no panic, and leaves an
//! existing public/ byte for byte; huge and deeply nested files build.

mod common;

use std::path::{Path, PathBuf};

use common::haven;

fn fresh_site() -> tempfile::TempDir {
    common::copy_fixture("basic")
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
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

/// Builds a good site, breaks it, builds again: located error, exit 1, output untouched.
fn breaks(name: &str, break_it: impl FnOnce(&Path), expected: &[&str]) {
    let site = fresh_site();
    let root = site.path().to_str().unwrap();
    let first = haven(&["build", "--root", root]);
    assert!(
        first.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = snapshot(&site.path().join("public"));
    break_it(site.path());
    let out = haven(&["build", "--root", root]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{name}: exit code; stderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{name}: panic:\n{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{name}: expected {e:?} in:\n{stderr}");
    }
    assert_eq!(
        before,
        snapshot(&site.path().join("public")),
        "{name}: public/ changed"
    );
}

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn broken_front_matter() {
    breaks(
        "unterminated",
        |r| write(r, "content/x.md", "+++\ntitle = \"x\"\nbody"),
        &["content/x.md:1:1: error: front matter opened with `+++` is never closed"],
    );
    breaks(
        "bad toml",
        |r| write(r, "content/x.md", "+++\ntitle = \"x\nweight = 2\n+++\n"),
        &["content/x.md:2:", "invalid front matter"],
    );
    breaks(
        "bad yaml",
        |r| write(r, "content/x.md", "---\ntitle: [unclosed\n---\n"),
        &["content/x.md:", "invalid front matter"],
    );
    breaks(
        "wrong type toml",
        |r| {
            write(
                r,
                "content/x.md",
                "+++\ntitle = \"x\"\nweight = \"heavy\"\n+++\n",
            )
        },
        &["content/x.md:3:10: error: invalid front matter: invalid type"],
    );
    breaks(
        "wrong type yaml",
        |r| write(r, "content/x.md", "---\ntitle: x\ntags: 7\n---\n"),
        &["content/x.md:3:", "invalid type"],
    );
    breaks(
        "unknown key",
        |r| {
            write(
                r,
                "content/x.md",
                "+++\ntitle = \"x\"\ndescripton = \"y\"\n+++\n",
            )
        },
        &["content/x.md:3:1", "did you mean `description`?"],
    );
    breaks(
        "no title",
        |r| write(r, "content/x.md", "+++\nweight = 1\n+++\n"),
        &[
            "content/x.md:",
            "missing field `title`",
            "every page needs a title",
        ],
    );
    breaks(
        "bad date",
        |r| {
            write(
                r,
                "content/x.md",
                "+++\ntitle = \"x\"\ndate = \"2026-13-01\"\n+++\n",
            )
        },
        &["content/x.md:3:", "not a valid date"],
    );
}

#[test]
fn files_that_are_not_text() {
    breaks(
        "invalid utf-8",
        |r| write(r, "content/x.md", b"+++\ntitle = \"x\"\n+++\nab\xffcd"),
        &["content/x.md:4:3: error: the file is not valid UTF-8"],
    );
    breaks(
        "binary",
        |r| write(r, "content/x.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        &["content/x.md:1:1: error:"],
    );
    breaks(
        "binary with nul",
        |r| write(r, "content/x.md", b"+++\ntitle = \"x\"\n+++\n\0\0"),
        &["content/x.md:4:1: error: this looks like a binary file"],
    );
    breaks(
        "empty",
        |r| write(r, "content/x.md", ""),
        &["content/x.md:1:1: error: the file is empty"],
    );
}

#[test]
fn paths_that_escape_or_collide() {
    for slug in ["../../escape", "a/b", "/etc/passwd", ".."] {
        breaks(
            slug,
            |r| {
                write(
                    r,
                    "content/x.md",
                    format!("+++\ntitle = \"x\"\nslug = \"{slug}\"\n+++\n"),
                )
            },
            &[
                "content/x.md:3:1: error: the slug",
                "not a single URL segment",
            ],
        );
    }
    breaks(
        "path key",
        |r| {
            write(
                r,
                "content/x.md",
                "+++\ntitle = \"x\"\npath = \"/../../x\"\n+++\n",
            )
        },
        &["content/x.md:3:1", "unknown field `path`"],
    );
    breaks(
        "alias escape",
        |r| {
            write(
                r,
                "content/x.md",
                "+++\ntitle = \"x\"\naliases = [\"/../../outside/\"]\n+++\n",
            )
        },
        &["content/x.md:3:", "outside the output folder"],
    );
    breaks(
        "same url",
        |r| {
            write(
                r,
                "content/aftercare/y.md",
                "+++\ntitle = \"y\"\nslug = \"what\"\n+++\n",
            )
        },
        &["two pages would be written to the same URL /aftercare/what/"],
    );
}

/// The slugs above that try to leave the output folder write nothing anywhere: the site sits
/// three folders deep in a temporary folder, and every file in that folder outside public/ is
/// the same before and after each refused build.
#[test]
fn escaping_slugs_write_nothing_outside_the_output() {
    let outer = tempfile::tempdir().unwrap();
    let site = fresh_site();
    let root = outer.path().join("a/b/site");
    std::fs::create_dir_all(&root).unwrap();
    for entry in walkdir::WalkDir::new(site.path()).min_depth(1) {
        let entry = entry.unwrap();
        let target = root.join(entry.path().strip_prefix(site.path()).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let outside_public = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        snapshot(dir)
            .into_iter()
            .filter(|(p, _)| !p.starts_with("a/b/site/public"))
            .collect()
    };
    for slug in [
        "../../escape",
        "../../../../escape",
        "../../../../../../tmp/escape",
    ] {
        write(
            &root,
            "content/x.md",
            format!("+++\ntitle = \"x\"\nslug = \"{slug}\"\n+++\n"),
        );
        let before = outside_public(outer.path());
        let out = haven(&["build", "--root", root.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{slug}");
        assert_eq!(
            before,
            outside_public(outer.path()),
            "{slug}: wrote outside"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    breaks(
        "symlink loop",
        |r| {
            std::os::unix::fs::symlink(r.join("content"), r.join("content/aftercare/loop")).unwrap()
        },
        &["symbolic link loop"],
    );
}

#[test]
fn broken_templates_and_themes() {
    breaks(
        "template syntax",
        |r| {
            write(
                r,
                "templates/page.html",
                "{% extends \"base.html\" %}\n{% block main %}{% for x in %}{% endblock main %}\n",
            )
        },
        &["templates/page.html:2:", "Failed to parse 'page.html'"],
    );
    breaks(
        "undefined variable",
        |r| {
            write(
                r,
                "templates/section.html",
                "{% extends \"base.html\" %}\n{% block main %}\n{{ nothing_here }}\n{% endblock main %}\n",
            )
        },
        &[
            "templates/section.html:3:4",
            "Variable `nothing_here` not found",
        ],
    );
    breaks(
        "missing theme",
        |r| {
            let toml = std::fs::read_to_string(r.join("haven.toml")).unwrap();
            write(r, "haven.toml", format!("theme = \"gone\"\n{toml}"));
        },
        &["haven.toml", "the theme `gone` was not found"],
    );
    breaks(
        "third-party template",
        |r| {
            write(
                r,
                "templates/404.html",
                "{% extends \"base.html\" %}\n{% block main %}<img src=\"https://cdn.example/x.png\" alt=\"x\">{% endblock main %}\n",
            )
        },
        &[
            "templates/404.html:2:",
            "loads https://cdn.example/x.png from another site",
        ],
    );
}

#[test]
fn output_folder_that_cannot_be_written() {
    // A file where the output's parent folder should be: no one can write there, root included.
    let site = fresh_site();
    let blocker = site.path().join("blocker");
    std::fs::write(&blocker, "a file, not a folder").unwrap();
    let out = haven(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        blocker.join("public").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("could not create the folder") && stderr.contains("blocker"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&blocker).unwrap(),
        "a file, not a folder"
    );
}

/// A read-only folder, where permissions apply: they do not for root, which is reported as a skip.
#[cfg(unix)]
#[test]
fn output_folder_that_is_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let site = fresh_site();
    let ro = site.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let enforced = std::fs::write(ro.join("probe"), "x").is_err();
    if !enforced {
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
        common::skip(
            "hostile::output_folder_that_is_read_only",
            "permissions are not enforced for this user (root)",
        );
        return;
    }
    let out = haven(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        ro.join("public").to_str().unwrap(),
    ]);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not"));
}

#[test]
fn markup_in_titles_and_descriptions_is_escaped() {
    let site = fresh_site();
    write(
        site.path(),
        "content/x.md",
        "+++\ntitle = \"<script>alert(1)</script> & <b>bold</b>\"\ndescription = \"\\\"><img src=x onerror=alert(2)>\"\ntags = [\"<i>tag</i>\"]\n+++\nBody.\n",
    );
    let out = haven(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(site.path().join("public/x/index.html")).unwrap();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    let feed = std::fs::read_to_string(site.path().join("public/atom.xml")).unwrap();
    assert!(!feed.contains("<script>"), "{feed}");
    let tag_page =
        std::fs::read_to_string(site.path().join("public/tags/i-tag-i/index.html")).unwrap();
    assert!(tag_page.contains("&lt;i&gt;tag&lt;/i&gt;"), "{tag_page}");
}

#[test]
fn huge_and_deeply_nested_files_build() {
    let site = fresh_site();
    // About 20 MB of ordinary Markdown.
    let para = "Aftercare is the care partners give each other after sex. It can be a hug, a glass of water, or a kind word.\n\n";
    let mut big = String::from("+++\ntitle = \"Big\"\n+++\n");
    while big.len() < 20 * 1024 * 1024 {
        big.push_str("## A heading\n\n");
        for _ in 0..20 {
            big.push_str(para);
        }
    }
    write(site.path(), "content/big.md", &big);
    // Lists nested 10,000 deep.
    let mut deep = String::from("+++\ntitle = \"Deep\"\n+++\n");
    for i in 0..10_000 {
        deep.push_str(&" ".repeat(i * 2));
        deep.push_str("- item\n");
    }
    write(site.path(), "content/deep.md", &deep);
    // Block quotes nested 10,000 deep too.
    write(
        site.path(),
        "content/quotes.md",
        format!(
            "+++\ntitle = \"Quotes\"\n+++\n{}deep\n",
            "> ".repeat(10_000)
        ),
    );
    let out = haven(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::metadata(site.path().join("public/big/index.html"))
            .unwrap()
            .len()
            > 20 * 1024 * 1024
    );
    assert!(site.path().join("public/deep/index.html").is_file());
}

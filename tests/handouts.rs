//! `haven build` on the handout fixture: handout pages, the handouts list and print-all page, the
//! article's link, clinic profiles (`--clinic`), both themes, and the print stylesheets. The PDF
//! side (page counts, text, QR decoding) is `tests/handout-pdf.sh`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handout-basic")
}

fn build(root: &Path, extra: &[&str]) -> (Output, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_haven"))
        // The fixture is in the source tree: leave no build cache in it.
        .args(["build", "--no-cache", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out.path().join("site"))
        .args(extra)
        .env("NO_COLOR", "1")
        .env("HAVEN_TODAY", "2026-02-03")
        .output()
        .unwrap();
    (output, out)
}

fn built(root: &Path, extra: &[&str]) -> tempfile::TempDir {
    let (output, dir) = build(root, extra);
    assert!(
        output.status.success(),
        "haven build {extra:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    dir
}

fn read(dir: &tempfile::TempDir, path: &str) -> String {
    std::fs::read_to_string(dir.path().join("site").join(path))
        .unwrap_or_else(|_| panic!("{path} was not written"))
}

/// A copy of the fixture with `edit` applied to its haven.toml.
fn fixture_with(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let toml = dir.path().join("haven.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, edit(text)).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The part of `html` from the first `start` on.
fn after<'a>(html: &'a str, start: &str) -> &'a str {
    &html[html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in:\n{html}"))..]
}

#[test]
fn handout_page_has_title_body_clinic_qr_answers_and_small_print() {
    let dir = built(&fixture(), &[]);
    let h = read(&dir, "handouts/leaflet/index.html");
    let main = after(&h, "<main");
    // Title, body, clinic block.
    assert!(main.contains(">Feeling low after sex</h1>"), "{main}");
    assert!(main.contains("Some people feel sad after sex they wanted."));
    for text in [
        "Fixture Sexual Health Clinic",
        "Talk to us in confidence about anything in this leaflet.",
        "0100 222 3333",
        "Monday to Friday, 9am to 5pm; Saturday, 10am to 1pm",
        "2 Test Road, Testville",
        "fixture-clinic.example.org",
        "src=\"/clinic-logo.svg\"",
    ] {
        assert!(main.contains(text), "the handout lacks {text:?}");
    }
    // The clinic band and the QR code come before the title (first page).
    let band = main.find("handout-band").unwrap();
    let qr = main.find("<svg class=\"handout-qr-code\"").unwrap();
    let title = main.find("class=\"handout-title\"").unwrap();
    assert!(band < qr && qr < title);
    // The QR code: inline SVG of the article's canonical URL, the URL printed under it.
    let url = "https://guide.example.org/learn/leaflet/";
    assert!(main.contains(&format!("aria-label=\"QR code of {url}\"")));
    assert!(main.contains(&format!("<span class=\"handout-url\">{url}</span>")));
    assert!(h.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")));
    assert!(h.contains("<meta name=\"robots\" content=\"noindex\">"));
    // Knowledge check: questions stay, answers move to the end, after the body.
    let body_end = main.find("<section class=\"handout-answers\"").unwrap();
    let body = &main[..body_end];
    assert!(body.contains("Feeling low after good sex means something is wrong."));
    assert!(!body.contains("quiz-answer"), "answers left in the body");
    assert!(body.contains("The answers are at the end of this handout."));
    let answers = &main[body_end..];
    assert!(answers.contains(">Answers</h2>"));
    assert!(answers.contains("Feelings check"));
    assert!(answers.contains("<strong>Question 1 of 2</strong>"));
    assert!(answers.contains("<strong>Right answer:</strong> False"));
    assert!(answers.contains("Naming a feeling makes it less scary."));
    // Script as a card.
    assert!(body.contains("<section class=\"haven-script\""));
    // Small print: reviewed, printed on (HAVEN_TODAY), sources.
    let small = after(main, "handout-smallprint");
    assert!(small.contains("Reviewed by Fixture reviewers on <time datetime=\"2026-01-10\">"));
    assert!(small.contains("Printed on <time datetime=\"2026-02-03\">3 February 2026</time>"));
    assert!(small.contains("<cite>A study of feelings after sex</cite>"));
    // Styles: the blocks', the handout's and the paper size; no inline style or script.
    for css in [
        "/haven/quiz.css",
        "/haven/script.css",
        "/handout.css",
        "/handouts/paper.css",
    ] {
        assert!(h.contains(&format!("href=\"{css}\"")), "no {css}");
    }
    assert!(!h.contains("style=\""), "inline style");
    assert!(!h.contains("<script>"), "inline script");
    assert!(read(&dir, "handouts/paper.css").contains("size: letter;"));
    assert!(dir.path().join("site/handout.css").is_file());
}

#[test]
fn articles_link_their_handout_and_only_handouts_are_made() {
    let dir = built(&fixture(), &[]);
    let article = read(&dir, "learn/leaflet/index.html");
    assert!(
        article.contains("href=\"/handouts/leaflet/\"")
            && article.contains("Print this as a handout"),
        "the article does not link its handout"
    );
    let other = read(&dir, "learn/other/index.html");
    assert!(
        !other.contains("/handouts/"),
        "a page without handout = true links one"
    );
    assert!(!dir.path().join("site/handouts/other").exists());
    // Spanish: its own list, path and words.
    let es = read(&dir, "es/handouts/leaflet/index.html");
    assert!(es.contains(">Sentirse mal después del sexo</h1>"));
    assert!(es.contains("Impreso el"));
    assert!(es.contains("https://guide.example.org/es/learn/leaflet/"));
    assert!(read(&dir, "es/learn/leaflet/index.html").contains("href=\"/es/handouts/leaflet/\""));
    // The clinic block in Spanish where [clinic.translations.es] says, as written elsewhere.
    assert!(es.contains("De lunes a viernes, de 9 a 17 h; Sábados, de 10 a 13 h"));
    assert!(es.contains("Habla con nosotros en confianza"));
    assert!(
        es.contains("0100 222 3333"),
        "untranslated keys keep the block's own"
    );
    assert!(!es.contains("Monday to Friday"));
    let en = read(&dir, "handouts/leaflet/index.html");
    assert!(en.contains("Monday to Friday, 9am to 5pm"));
    assert!(!en.contains("De lunes a viernes"));
}

#[test]
fn handouts_list_has_page_counts_and_print_all_joins_them() {
    let dir = built(&fixture(), &[]);
    let index = read(&dir, "handouts/index.html");
    assert!(index.contains("href=\"/handouts/leaflet/\">Feeling low after sex</a>"));
    assert!(
        index.contains("<span class=\"handout-pages\">1 page</span>")
            || index.contains("<span class=\"handout-pages\">2 pages</span>"),
        "{index}"
    );
    assert!(index.contains("href=\"/handouts/print-all/\""));
    assert!(!index.contains("Another article"));
    let all = read(&dir, "handouts/print-all/index.html");
    let main = after(&all, "<main");
    assert_eq!(main.matches("<h1").count(), 1, "one h1 on print-all");
    assert!(main.contains("<article class=\"handout handout-letter\" id=\"h1-handout-leaflet\""));
    assert!(main.contains(
        "<h2 class=\"handout-title\" id=\"h1-handout-leaflet-title\">Feeling low after sex</h2>"
    ));
    // The body's headings moved one level down, its ids made unique.
    assert!(
        main.contains("<h3 id=\"h1-what-helps\">What helps</h3>"),
        "{main}"
    );
    assert!(main.contains("<label for=\"h1-feelings-q1-1\">"));
    let css = read(&dir, "handout.css");
    assert!(css.contains(".handout + .handout { break-before: page;"));
}

#[test]
fn clinic_profile_from_haven_toml_switches_block_url_colours_and_help() {
    let dir = built(&fixture(), &["--clinic", "northside"]);
    let h = read(&dir, "handouts/leaflet/index.html");
    assert!(h.contains("Northside Clinic"));
    assert!(h.contains("0100 444 5555"));
    assert!(h.contains("Northside: walk in, no appointment needed."));
    assert!(!h.contains("Fixture Sexual Health Clinic"));
    assert!(!h.contains("0100 222 3333"));
    let url = "https://northside.example.org/guide/learn/leaflet/";
    assert!(h.contains(&format!("aria-label=\"QR code of {url}\"")));
    assert!(h.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")));
    assert!(read(&dir, "brand.css").contains("--brand-accent: #7a2e5c;"));
    assert!(read(&dir, "learn/other/index.html").contains("Northside crisis line"));
}

#[test]
fn clinic_profile_from_its_own_file() {
    let dir = built(&fixture(), &["--clinic", "southside"]);
    let h = read(&dir, "handouts/leaflet/index.html");
    assert!(h.contains("Southside Health"));
    assert!(h.contains("0100 666 7777"));
    assert!(h.contains("https://south.example.org/learn/leaflet/"));
    // Without a profile the site's own block is used.
    let plain = built(&fixture(), &[]);
    assert!(read(&plain, "handouts/leaflet/index.html").contains("Fixture Sexual Health Clinic"));
}

#[test]
fn unknown_clinic_profile_fails_with_the_names() {
    let (output, _) = build(&fixture(), &["--clinic", "eastside"]);
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("there is no clinic profile `eastside`"),
        "{err}"
    );
    assert!(
        err.contains("northside") && err.contains("southside"),
        "{err}"
    );
    let (output, _) = build(&fixture(), &["--clinic", "../haven"]);
    assert!(!output.status.success());
}

#[test]
fn clinic_theme_renders_handouts_too() {
    let site = fixture_with(|t| {
        t.replace(
            "default_language = \"en\"",
            "default_language = \"en\"\ntheme = \"clinic\"",
        )
    });
    let dir = built(site.path(), &[]);
    let h = read(&dir, "handouts/leaflet/index.html");
    assert!(h.contains(">Feeling low after sex</h1>"));
    assert!(h.contains("<svg class=\"handout-qr-code\""));
    assert!(h.contains("0100 222 3333"));
    assert!(h.contains("href=\"/handout.css\""));
    assert!(read(&dir, "handouts/index.html").contains("/handouts/print-all/"));
    assert!(read(&dir, "learn/leaflet/index.html").contains("href=\"/handouts/leaflet/\""));
}

#[test]
fn site_default_makes_every_article_a_handout_and_a4_is_the_default_paper() {
    let site = fixture_with(|t| {
        t.replace(
            "[handouts]\npaper = \"letter\"",
            "[handouts]\ndefault = true",
        )
    });
    let dir = built(site.path(), &[]);
    assert!(dir.path().join("site/handouts/other/index.html").is_file());
    assert!(read(&dir, "handouts/paper.css").contains("size: A4;"));
    assert!(read(&dir, "handouts/other/index.html").contains("handout-a4"));
}

#[test]
fn bad_paper_is_an_error() {
    let site = fixture_with(|t| t.replace("paper = \"letter\"", "paper = \"a5\""));
    let (output, _) = build(site.path(), &[]);
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("a4") && err.contains("letter"), "{err}");
}

/// The rules inside `@media print { ... }` of a stylesheet.
fn print_rules(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(i) = rest.find("@media print") {
        let body = &rest[i..];
        let open = body.find('{').unwrap();
        let mut depth = 0;
        let mut end = open;
        for (n, c) in body[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + n;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push_str(&body[open + 1..end]);
        rest = &body[end..];
    }
    out
}

/// The selectors of the rules in `css` that say `display: none`.
fn hidden_selectors(css: &str) -> String {
    css.split('}')
        .filter(|rule| rule.contains("display: none"))
        .filter_map(|rule| rule.split('{').next())
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn on_paper_handouts_and_articles_hide_the_screen_parts() {
    let dir = built(&fixture(), &[]);
    // The handout: no quick exit, navigation, header, footer or buttons.
    let handout = print_rules(&read(&dir, "handout.css"));
    let hidden = hidden_selectors(&handout);
    for selector in [
        ".quick-exit",
        ".skip-link",
        ".site-header",
        ".site-footer",
        "button",
        ".handout-screen",
        ".quiz-actions",
        ".haven-script-actions",
    ] {
        assert!(
            hidden.contains(selector),
            "handout.css shows {selector} on paper"
        );
    }
    assert!(handout.contains("a[href^=\"http\"]::after { content: \" (\" attr(href) \")\""));
    for rule in ["break-after: avoid", "break-inside: avoid"] {
        assert!(handout.contains(rule), "handout.css lacks {rule}");
    }
    // Every article, in both themes.
    for theme in ["guide", "clinic"] {
        let site = fixture_with(|t| {
            t.replace(
                "default_language = \"en\"",
                &format!("default_language = \"en\"\ntheme = \"{theme}\""),
            )
        });
        let dir = built(site.path(), &[]);
        let print = print_rules(&read(&dir, "style.css"));
        let hidden = hidden_selectors(&print);
        for selector in [
            ".quick-exit",
            ".site-nav",
            ".skip-link",
            "button",
            ".handout-link",
        ] {
            assert!(
                hidden.contains(selector),
                "{theme}: style.css shows {selector} on paper"
            );
        }
        assert!(
            print.contains("a[href^=\"http\"]::after"),
            "{theme}: external links do not print their URL"
        );
    }
}

#[test]
fn qr_code_has_a_quiet_zone() {
    let dir = built(&fixture(), &[]);
    let h = read(&dir, "handouts/leaflet/index.html");
    let svg = after(&h, "<svg class=\"handout-qr-code\"");
    let svg = &svg[..svg.find("</svg>").unwrap()];
    let view = after(svg, "viewBox=\"0 0 ");
    let size: u32 = view["viewBox=\"0 0 ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let path = after(svg, " d=\"");
    // Every module drawn (`M x y`) lies inside the 4-module quiet zone on each side.
    let mut count = 0;
    for cmd in path[4..].split('M').skip(1) {
        let mut nums = cmd
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        let x: u32 = nums.next().unwrap().parse().unwrap();
        let y: u32 = nums.next().unwrap().parse().unwrap();
        assert!(
            (4..size - 4).contains(&x) && (4..size - 4).contains(&y),
            "module at {x},{y}"
        );
        count += 1;
    }
    assert!(
        count > 100,
        "a QR code of a URL has more than 100 dark modules"
    );
}

fn check(root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["check", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .env("HAVEN_TODAY", "2026-02-03")
        .output()
        .unwrap()
}

#[test]
fn large_print_version_exists_linked_and_in_both_languages() {
    let dir = built(&fixture(), &[]);
    let large = read(&dir, "handouts/leaflet/large-print/index.html");
    let main = after(&large, "<main");
    assert!(large.contains("<link rel=\"stylesheet\" href=\"/handout-large.css\">"));
    assert!(large.contains("(Handout, Large print)"), "{large}");
    assert!(main.contains("<article class=\"handout handout-letter handout-large\""));
    assert!(main.contains(">Feeling low after sex</h1>"));
    // Still the clinic block, the QR code of the article and the answers.
    assert!(main.contains("0100 222 3333"));
    assert!(main.contains("<svg class=\"handout-qr-code\""));
    assert!(main.contains("https://guide.example.org/learn/leaflet/"));
    assert!(main.contains("class=\"handout-answers\""));
    assert!(main.contains(
        "<a href=\"/handouts/leaflet/\" class=\"handout-standard-link\">Standard print version</a>"
    ));
    // The standard handout links to it; the standard one does not load the large stylesheet.
    let standard = read(&dir, "handouts/leaflet/index.html");
    assert!(standard.contains(
        "<a href=\"/handouts/leaflet/large-print/\" class=\"handout-large-print-link\">Large print version</a>"
    ));
    assert!(!standard.contains("handout-large.css"));
    // The list links it with its own page count.
    let index = read(&dir, "handouts/index.html");
    let item = after(&index, "href=\"/handouts/leaflet/large-print/\"");
    let count = after(item, "<span class=\"handout-pages\">");
    let words = &count["<span class=\"handout-pages\">".len()..count.find("</span>").unwrap()];
    let n: usize = words.split(' ').next().unwrap().parse().unwrap();
    assert!(n >= 1, "{item}");
    assert_eq!(
        words,
        if n == 1 {
            "1 page".to_string()
        } else {
            format!("{n} pages")
        }
    );
    // Spanish.
    let es = read(&dir, "es/handouts/leaflet/large-print/index.html");
    assert!(es.contains("(Folleto, Letra grande)"));
    assert!(es.contains(
        "<a href=\"/es/handouts/leaflet/\" class=\"handout-standard-link\">Versión en letra normal</a>"
    ));
    assert!(read(&dir, "es/handouts/leaflet/index.html").contains(">Versión en letra grande</a>"));
    assert!(read(&dir, "es/handouts/index.html").contains("/es/handouts/leaflet/large-print/"));
    // The stylesheet: 16 pt body, nothing under 14 pt.
    let css = read(&dir, "handout-large.css");
    assert!(css.contains("body { font-size: 16pt; line-height: 1.5; }"));
    for size in css.split("font-size: ").skip(1) {
        let pt: f64 = size
            .split("pt")
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("a size not in pt: {size:.40}"));
        assert!(pt >= 14.0, "{pt} pt in handout-large.css");
    }
}

#[test]
fn clinic_theme_has_large_print_too() {
    let site = fixture_with(|t| {
        t.replace(
            "default_language = \"en\"",
            "default_language = \"en\"\ntheme = \"clinic\"",
        )
    });
    let dir = built(site.path(), &[]);
    assert!(read(&dir, "handouts/leaflet/large-print/index.html").contains("handout-large.css"));
    assert!(dir.path().join("site/handout-large.css").is_file());
}

#[test]
fn large_print_over_budget_is_a_located_warning() {
    let site = fixture_with(|t| {
        t.replace(
            "paper = \"letter\"",
            "paper = \"letter\"\nlarge_print_max_pages = 1",
        )
    });
    let output = check(site.path());
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let file = Path::new("content").join("learn").join("leaflet.md");
    assert!(
        out.contains(&format!(
            "{}:2:1: warning: the large-print handout of this page (/handouts/leaflet/large-print/) would take about",
            file.display()
        )),
        "{out}"
    );
    assert!(out.contains("over the budget of 1"), "{out}");
    assert!(out.contains("large_print_max_pages"), "{out}");
    // A generous budget is quiet.
    let roomy = fixture_with(|t| {
        t.replace(
            "paper = \"letter\"",
            "paper = \"letter\"\nlarge_print_max_pages = 40",
        )
    });
    let out = String::from_utf8_lossy(&check(roomy.path()).stderr).to_string()
        + &String::from_utf8_lossy(&check(roomy.path()).stdout);
    assert!(!out.contains("large-print handout"), "{out}");
}

#[test]
fn silly_large_print_budget_is_a_located_config_error() {
    for bad in ["0", "100000", "-3"] {
        let site = fixture_with(|t| {
            t.replace(
                "paper = \"letter\"",
                &format!("paper = \"letter\"\nlarge_print_max_pages = {bad}"),
            )
        });
        let line = std::fs::read_to_string(site.path().join("haven.toml"))
            .unwrap()
            .lines()
            .position(|l| l.starts_with("large_print_max_pages"))
            .unwrap()
            + 1;
        let (output, _) = build(site.path(), &[]);
        assert!(!output.status.success(), "budget {bad} was accepted");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.contains(&format!("haven.toml:{line}:25: error:")),
            "{bad}: {err}"
        );
        assert!(
            err.contains("a whole number of pages from 1 to 50"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

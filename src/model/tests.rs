use super::*;
use crate::discover::classify;

fn config() -> Config {
    Config::parse(
        "[languages.es]\nname = \"Español\"\n",
        Path::new("haven.toml"),
    )
    .unwrap()
}

fn files(list: &[(&str, &str)]) -> Vec<SourceFile> {
    let c = config();
    let bundles: Vec<String> = list
        .iter()
        .filter_map(|(rel, _)| rel.strip_suffix("/index.md").map(str::to_string))
        .collect();
    list.iter()
        .map(|(rel, text)| SourceFile {
            file: classify(rel, &c, &bundles),
            display: Path::new("content").join(rel),
            text: Arc::from(*text),
            parsed: Default::default(),
        })
        .collect()
}

fn page(title: &str, extra: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n{extra}\n+++\nBody of {title}.\n")
}

#[test]
fn urls_ordering_and_prev_next() {
    let a = page("Alpha", "weight = 2");
    let b = page("Beta", "weight = 1");
    let c = page("Gamma", "");
    let d = page("Delta", "slug = \"d\"");
    let site = build_model(
        &config(),
        files(&[
            ("_index.md", "+++\ntitle = \"Home\"\n+++\n"),
            ("aftercare/_index.md", "+++\ntitle = \"Aftercare\"\n+++\n"),
            ("aftercare/alpha.md", &a),
            ("aftercare/beta.md", &b),
            ("aftercare/gamma/index.md", &c),
            ("aftercare/gamma/pic.png", ""),
            ("pcd/delta.md", &d),
        ]),
        &ModelOptions::default(),
    )
    .unwrap();
    let titles: Vec<&str> = site.sections[SectionId::nth(1)]
        .pages
        .iter()
        .map(|&p| site.pages[p].front.title.as_str())
        .collect();
    assert_eq!(titles, ["Beta", "Alpha", "Gamma"]);
    let gamma = site.pages.position(|p| p.front.title == "Gamma").unwrap();
    assert_eq!(site.pages[gamma].path, "/aftercare/gamma/");
    assert_eq!(site.pages[gamma].assets, ["aftercare/gamma/pic.png"]);
    assert_eq!(site.assets[0].output, "aftercare/gamma/pic.png");
    let beta = site.pages.position(|p| p.front.title == "Beta").unwrap();
    let (prev, next) = site.prev_next(beta);
    assert_eq!(prev, None);
    assert_eq!(site.pages[next.unwrap()].front.title, "Alpha");
    let delta = site
        .pages
        .iter()
        .find(|p| p.front.title == "Delta")
        .unwrap();
    assert_eq!(delta.path, "/pcd/d/");
    // `pcd/` has no _index.md: a plain section is made for it, under the home page.
    let pcd = &site.sections[delta.section];
    assert_eq!(
        (pcd.front.title.as_str(), pcd.path.as_str()),
        ("Pcd", "/pcd/")
    );
    assert_eq!(site.sections[pcd.parent.unwrap()].path, "/");
}

#[test]
fn translations_share_a_key_and_get_a_language_prefix() {
    let en = page("What", "");
    let es = page("Qué", "");
    let site = build_model(
        &config(),
        files(&[("aftercare/what.md", &en), ("aftercare/what.es.md", &es)]),
        &ModelOptions::default(),
    )
    .unwrap();
    let t = site.find("aftercare/what.md", "es", "en").unwrap();
    assert_eq!(site.path_of(t), "/es/aftercare/what/");
    let t = site.find("/aftercare/what.md", "en", "en").unwrap();
    assert_eq!(site.path_of(t), "/aftercare/what/");
    assert_eq!(
        site.translations("aftercare/what.md", &["en", "es"]).len(),
        2
    );
    assert!(site.home("es").is_some());
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let d = page("Draft", "draft = true");
    let site = build_model(&config(), files(&[("a.md", &d)]), &ModelOptions::default()).unwrap();
    assert!(site.pages.is_empty());
    let site = build_model(
        &config(),
        files(&[("a.md", &d)]),
        &ModelOptions {
            include_drafts: true,
        },
    )
    .unwrap();
    assert_eq!(site.pages.len(), 1);
}

#[test]
fn every_error_is_reported_and_duplicates_are_caught() {
    let ok = page("Ok", "slug = \"same\"");
    let errs = build_model(
        &config(),
        files(&[
            ("a.md", "+++\ntitel = \"x\"\n+++\n"),
            ("b.md", "no front matter"),
            ("same.md", &ok),
            ("c.md", &ok),
        ]),
        &ModelOptions::default(),
    )
    .unwrap_err();
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert!(errs.iter().any(|e| e.message.contains("same URL /same/")));
}

#[test]
fn tags_are_grouped_per_language() {
    let a = page("A", "tags = [\"Self care\"]");
    let b = page("B", "tags = [\"self care\"]");
    let site = build_model(
        &config(),
        files(&[("a.md", &a), ("b.md", &b)]),
        &ModelOptions::default(),
    )
    .unwrap();
    assert_eq!(site.tags.len(), 1);
    assert_eq!(site.tags[0].path, "/tags/self-care/");
    assert_eq!(site.tags[0].pages.len(), 2);
}

#[test]
fn slugify_keeps_letters_and_joins_words() {
    assert_eq!(slugify("What is PCD?"), "what-is-pcd");
    assert_eq!(slugify("¿Qué es la DPC?"), "qué-es-la-dpc");
    assert_eq!(slugify("A partner's needs"), "a-partners-needs");
}

#[test]
fn fallback_pages_follow_the_real_ones_where_a_language_lacks_a_page() {
    let config = "[languages.es]\nname = \"Español\"\n[languages.fr]\nname = \"Français\"\n\
                  [translations]\nfallback_pages = true\n";
    let a = page("Alpha", "tags = [\"care\"]");
    let a_es = page("Alfa", "");
    let b = page("Beta", "");
    // A French page of its own at Beta's address keeps it.
    let other_fr = page("Autre", "slug = \"beta\"");
    let (_, site) = test_site(
        config,
        &[
            ("care/alpha.md", &a),
            ("care/alpha.es.md", &a_es),
            ("care/beta.md", &b),
            ("care/other.fr.md", &other_fr),
        ],
    );
    let real = site.pages.iter().take_while(|p| !p.is_fallback()).count();
    assert_eq!(real, 4, "the real pages come first");
    let fallbacks: Vec<(&str, &str, PageId)> = site
        .pages
        .iter()
        .skip(real)
        .map(|p| {
            let j = p.fallback_of.unwrap();
            (p.path.as_str(), p.file.lang.as_str(), j)
        })
        .collect();
    let original = |title: &str| site.pages.position(|p| p.front.title == title).unwrap();
    assert_eq!(
        fallbacks,
        vec![
            ("/fr/care/alpha/", "fr", original("Alpha")),
            ("/es/care/beta/", "es", original("Beta")),
        ]
    );
    // In its language's section, found under its key in that language, and never tagged.
    let fr_alpha = PageId::nth(real);
    let section = &site.sections[site.pages[fr_alpha].section];
    assert_eq!(
        (section.lang.as_str(), section.dir.as_str()),
        ("fr", "care")
    );
    assert!(section.pages.contains(&fr_alpha));
    assert_eq!(
        site.find("care/alpha.md", "fr", "en"),
        Some(Target::Page(fr_alpha))
    );
    assert!(site.tags.iter().all(|t| t.lang == "en"));

    // Off by default.
    let (_, site) = test_site(
        "[languages.es]\nname = \"Español\"\n",
        &[("care/beta.md", &b)],
    );
    assert!(site.pages.iter().all(|p| !p.is_fallback()));
    assert_eq!(site.pages.len(), 1);
}

use super::*;
use pulldown_cmark::{Event, Parser, html};

fn glossary() -> Glossary {
    let text: Arc<str> = Arc::from(
        "[[term]]\nterm = \"aftercare\"\nalso = [\"after-care\"]\ndefinition = \"Care after sex.\"\n\n\
         [[term]]\nterm = \"self-aftercare\"\ndefinition = \"Caring for yourself.\"\n\n\
         [[term]]\nterm = \"post-coital dysphoria\"\nalso = [\"PCD\"]\ndefinition = \"Feeling low after sex.\"\n\n\
         [[term]]\nterm = \"safeword\"\nalso = [\"safe word\"]\ndefinition = \"A word that means \\\"stop\\\".\"\n\n\
         [[term]]\nterm = \"crisis line\"\ndefinition = \"A helpline.\"\n",
    );
    Glossary::parse(&text, Path::new("content/glossary.toml"), "en").unwrap()
}

fn marked(md: &str) -> (String, Vec<String>) {
    let mut events: Vec<Event> = Parser::new(md).collect();
    let mut ids = IdSet::default();
    let terms = mark(&mut events, &glossary(), "/glossary/", &mut ids);
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    (out, terms)
}

#[test]
fn first_use_is_marked_once_with_definition() {
    let (html, terms) = marked("Aftercare helps. More aftercare is good.\n");
    assert_eq!(terms, ["aftercare"]);
    assert_eq!(html.matches("haven-term-link").count(), 1, "{html}");
    assert!(html.contains("<a class=\"haven-term-link\" href=\"/glossary/#aftercare\" aria-describedby=\"term-aftercare\">Aftercare</a>"), "{html}");
    assert!(
        html.contains("role=\"tooltip\" id=\"term-aftercare\">Care after sex.</span>"),
        "{html}"
    );
    assert!(html.contains("More aftercare is good."));
}

#[test]
fn synonyms_plurals_and_phrases_match_whole_words() {
    let (html, terms) =
        marked("Two safe words. Some crisis lines help. After-care too. PCDs vary.\n");
    assert_eq!(
        terms,
        [
            "safeword",
            "crisis-line",
            "aftercare",
            "post-coital-dysphoria"
        ]
    );
    assert!(html.contains(">safe words</a>"), "{html}");
    assert!(html.contains(">crisis lines</a>"), "{html}");
    assert!(html.contains(">After-care</a>"), "{html}");
    assert!(html.contains(">PCDs</a>"), "{html}");
    // Not inside other words.
    let (_, terms) = marked("Unsafewords and aftercares-like and xpcd.\n");
    assert!(terms.is_empty(), "{terms:?}");
    // The longer term wins, and the shorter one is not found inside it.
    let (html, terms) = marked("Self-aftercare matters.\n");
    assert_eq!(terms, ["self-aftercare"], "{html}");
}

#[test]
fn headings_links_and_code_are_left_alone() {
    let md = "# Aftercare\n\n[aftercare](/x/) and `aftercare` and <a href=\"/y/\">aftercare</a>\n\n```\naftercare\n```\n\n![aftercare](a.png)\n\nThen aftercare here.\n";
    let (html, terms) = marked(md);
    assert_eq!(terms, ["aftercare"]);
    assert!(html.contains("<h1>Aftercare</h1>"), "{html}");
    assert!(html.contains("<a href=\"/x/\">aftercare</a>"), "{html}");
    assert!(html.contains("<code>aftercare</code>"));
    assert!(html.contains("alt=\"aftercare\""), "{html}");
    assert!(
        html.contains("Then <span class=\"haven-term\"><a class=\"haven-term-link\""),
        "{html}"
    );
}

#[test]
fn malformed_glossary_is_located() {
    let bad: Arc<str> = Arc::from("[[term]]\nterm = \"drop\"\ndefiniton = \"x\"\n");
    let e = Glossary::parse(&bad, Path::new("content/glossary.toml"), "en").unwrap_err();
    assert_eq!(e[0].line_col(), Some((3, 1)), "{:?}", e[0]);
    assert!(e[0].message.contains("definiton"), "{}", e[0].message);

    let dup: Arc<str> = Arc::from(
        "[[term]]\nterm = \"drop\"\ndefinition = \"x\"\n\n[[term]]\nterm = \"scene\"\nalso = [\"Drop\"]\ndefinition = \"\"\n",
    );
    let e = Glossary::parse(&dup, Path::new("content/glossary.toml"), "en").unwrap_err();
    let msgs: Vec<_> = e
        .iter()
        .map(|d| (d.line_col().map(|l| l.0), d.message.clone()))
        .collect();
    assert!(
        msgs.contains(&(Some(7), "`Drop` is in the glossary twice".to_string())),
        "{msgs:?}"
    );
    assert!(
        msgs.contains(&(
            Some(8),
            "the term `scene` has an empty definition".to_string()
        )),
        "{msgs:?}"
    );
}

#[test]
fn a_set_id_ties_a_translation_to_its_term() {
    let text: Arc<str> = Arc::from(
        "[[term]]\nterm = \"aftercare\"\ndefinition = \"x\"\n\n\
         [[term]]\nid = \"aftercare\"\nterm = \"cuidados posteriores\"\ndefinition = \"Los cuidados.\"\n",
    );
    let g = Glossary::parse(&text, Path::new("content/glossary.es.toml"), "es").unwrap();
    // The set id wins; a term whose own slug is taken gets a suffix, not the set id.
    assert_eq!(g.terms[1].id, "aftercare");
    assert_eq!(g.terms[0].id, "aftercare-1");
    assert_eq!(&text[g.terms[1].span.clone()], "\"cuidados posteriores\"");
    let mut events: Vec<Event> = Parser::new("Los cuidados posteriores ayudan.\n").collect();
    let terms = mark(&mut events, &g, "/es/glossary/", &mut IdSet::default());
    assert_eq!(terms, ["aftercare"]);
}

#[test]
fn plural_rules() {
    assert_eq!(plurals("scene", "en"), ["scenes"]);
    assert_eq!(plurals("crisis", "en"), ["crisises"]);
    assert_eq!(plurals("hotline", "en"), ["hotlines"]);
    assert_eq!(plurals("kinky", "en-GB"), ["kinkies", "kinkys"]);
    assert_eq!(plurals("day", "en"), ["days"]);
    // Spanish: by the last letter; phrases are listed in `also`.
    assert_eq!(plurals("escena", "es"), ["escenas"]);
    assert_eq!(plurals("asexual", "es"), ["asexuales"]);
    assert_eq!(plurals("infección", "es"), ["infecciones"]);
    assert_eq!(plurals("luz", "es"), ["luces"]);
    assert_eq!(plurals("flashback", "es"), ["flashbacks"]);
    assert!(plurals("crisis", "es").is_empty());
    assert!(plurals("línea de crisis", "es").is_empty());
    // Other languages: `also` only.
    assert!(plurals("scène", "fr").is_empty());
}

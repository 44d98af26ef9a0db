use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::config::Config;
use crate::markdown::RenderContext;
use crate::markdown::headings::IdSet;
use crate::model::Site;

fn errors(text: &str) -> Vec<(usize, String)> {
    parse(text)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.line, e.message))
        .collect()
}

const GOOD: &str = "# Asking what your partner needs
speakers: You, Partner

You: Can I ask you something? After we have sex, what helps you feel *good*?
Partner: I'm not sure. Maybe just lying together for a bit.
> Tip: pick a calm moment outside the bedroom.
You: I'd like that too.

## If they ask for space
Partner: I think I need a few minutes on my own.
You: That's fine. Come find me when you're ready.
";

#[test]
fn parses_title_speakers_lines_notes_and_variations() {
    let s = parse(GOOD).unwrap();
    assert_eq!(s.title, "Asking what your partner needs");
    assert_eq!(s.speakers, ["You", "Partner"]);
    assert_eq!(s.main.len(), 4);
    assert!(matches!(&s.main[2], Item::Note { line: 6, .. }));
    assert_eq!(s.variations.len(), 1);
    assert_eq!(s.variations[0].title, "If they ask for space");
    assert!(matches!(
        &s.variations[0].items[0],
        Item::Line {
            speaker: 1,
            line: 10,
            ..
        }
    ));
}

#[test]
fn unknown_speaker_is_located_with_a_suggestion() {
    let e = parse("# T\nspeakers: You, Partner\n\nYou: Hi.\nPartnr: Hello.\n").unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, 5);
    assert_eq!(e[0].message, "unknown speaker `Partnr`");
    assert!(
        e[0].help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `Partner`?"),
        "{:?}",
        e[0].help
    );
}

#[test]
fn empty_line_missing_title_and_other_mistakes() {
    assert_eq!(
        errors("# T\nspeakers: You, Partner\nYou: Hi.\nPartner:\n"),
        [(4, "empty line: `Partner` says nothing".to_string())]
    );
    assert_eq!(
        errors("speakers: You, Partner\nYou: Hi.\n"),
        [(1, "the script has no title".to_string())]
    );
    assert_eq!(
        errors("# T\nYou: Hi.\nMe: Yo.\n"),
        [(
            2,
            "the speakers are not listed before the first line".to_string()
        )]
    );
    assert_eq!(
        errors("# T\nspeakers: You, Partner\n"),
        [(1, "the script has no lines".to_string())]
    );
    assert_eq!(
        errors("# T\nspeakers: You, You\nYou: Hi.\n"),
        [(2, "the speaker `You` is listed twice".to_string())]
    );
    assert_eq!(
        errors("# T\nspeakers: You, Partner\nYou: Hi.\njust some words\n"),
        [(4, "this line is not part of a script".to_string())]
    );
    assert_eq!(
        errors("# T\nspeakers: You\nYou: Hi.\n>\n## Later\n"),
        [
            (4, "this note is empty".to_string()),
            (5, "the variation `Later` has no lines".to_string())
        ]
    );
    assert_eq!(
        errors("# T\nspeakers: You\nYou: Hi.\n# Again\n"),
        [(4, "a script has one title".to_string())]
    );
}

fn site() -> (Config, Site) {
    crate::model::test_site("", &[("talking/x.md", "+++\ntitle = \"X\"\n+++\nBody\n")])
}

fn render_in(text: &str, lang: &str) -> BlockOutput {
    let (config, site) = site();
    let source: Arc<str> = Arc::from(text);
    let ctx = RenderContext {
        site: &site,
        config: &config,
        lang,
        key: "talking/x.md",
        display: Path::new("content/talking/x.md"),
        source: &source,
        body_offset: 0,
        target: None,
        blocks: crate::blocks::ALL,
    };
    let mut ids = IdSet::default();
    let mut bctx = BlockContext::new(&ctx, 1, 0, &mut ids);
    render(text, &mut bctx).unwrap()
}

#[test]
fn renders_an_accessible_dialogue() {
    let out = render_in(GOOD, "en");
    assert_eq!(
        out.id.as_deref(),
        Some("script-asking-what-your-partner-needs")
    );
    assert_eq!(out.title.as_deref(), Some("Asking what your partner needs"));
    insta::assert_snapshot!(out.html);
}

#[test]
fn spanish_scripts_use_spanish_labels() {
    let out = render_in(
        "# Preguntar\nspeakers: Tú, Pareja\n\nTú: ¿Cómo estás?\nPareja: Bien.\n",
        "es",
    );
    assert!(out.html.contains("Copiar el guion"), "{}", out.html);
    assert!(
        out.html.contains("<dt>Tú</dt><dd>¿Cómo estás?</dd>"),
        "{}",
        out.html
    );
}

#[test]
fn every_script_in_the_content_is_valid() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
    let mut found = 0;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for block in text.split("```script\n").skip(1) {
                let body = block.split("```").next().unwrap();
                if let Err(e) = parse(body) {
                    panic!("{}: {e:?}", entry.path().display());
                }
                found += 1;
            }
        }
    }
    assert!(found >= 5, "{found}");
}

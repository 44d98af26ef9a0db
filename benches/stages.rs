//! Criterion benches of the build's hot stages, on the example guide's own content.
//! Run: `cargo bench --bench stages`. Figures go in BENCHMARKS.md.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use haven::config::Config;
use haven::discover::classify;
use haven::model::{ModelOptions, SourceFile, build_model};
use haven::output::{OutputFile, write_site};
use haven::pipeline::{BuildOptions, build_in_memory, load_config};

const ARTICLE: &str = include_str!("../content/aftercare/what-is-aftercare.md");

fn front_matter(c: &mut Criterion) {
    let source: Arc<str> = Arc::from(ARTICLE);
    let file = Path::new("content/aftercare/what-is-aftercare.md");
    c.bench_function("front matter: split and parse one article", |b| {
        b.iter(|| {
            let split = haven::frontmatter::split(black_box(ARTICLE), &source, file).unwrap();
            haven::frontmatter::parse(&split, &source, file).unwrap()
        })
    });
}

fn markdown(c: &mut Criterion) {
    let config = Config::default();
    // The article alone, with its links made plain so it renders without its neighbours.
    let text = ARTICLE.replace("](@/", "](https://example.org/");
    let sources = vec![SourceFile {
        file: classify("aftercare/what-is-aftercare.md", &config, &[]),
        display: "content/aftercare/what-is-aftercare.md".into(),
        text: Arc::from(text),
        parsed: Default::default(),
    }];
    let site = build_model(&config, sources, &ModelOptions::default()).unwrap();
    let (glossaries, _) = haven::glossary::Glossaries::load(&site, &config);
    c.bench_function("markdown: render one article", |b| {
        b.iter(|| haven::render::render_content(black_box(&site), &config, &glossaries))
    });
}

fn whole_site(c: &mut Criterion) {
    let options = BuildOptions {
        root: env!("CARGO_MANIFEST_DIR").into(),
        ..BuildOptions::default()
    };
    c.bench_function(
        "build in memory: the example site (all stages, templates included)",
        |b| {
            b.iter(|| {
                build_in_memory(black_box(&options), load_config(&options).unwrap())
                    .map(|b| b.files.len())
                    .unwrap()
            })
        },
    );
}

fn write(c: &mut Criterion) {
    let files: Vec<OutputFile> = (0..500)
        .map(|i| OutputFile::html(&format!("/s{}/p{i}/", i % 20), "<p>page</p>".repeat(400)))
        .collect();
    c.bench_function("output: write 500 pages into a new folder", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            // The folder is returned, so removing it is not timed.
            |dir| {
                write_site(&dir.path().join("public"), black_box(&files)).unwrap();
                dir
            },
            criterion::BatchSize::PerIteration,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &files).unwrap();
    c.bench_function(
        "output: rebuild 500 unchanged pages over the last build",
        |b| b.iter(|| write_site(&out, black_box(&files)).unwrap()),
    );
}

criterion_group! {
    name = stages;
    config = Criterion::default().sample_size(20);
    targets = front_matter, markdown, whole_site, write
}
criterion_main!(stages);

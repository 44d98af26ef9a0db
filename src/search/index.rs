//! One language's search index, split so a query fetches little of it.
//!
//! Files, under `/search/LANG/`:
//!
//! - `index.json`, the manifest: `{"v":1,"lang":"en","docs":N,"per":P,"chunks":C,"size":BYTES,
//!   "keys":[...],"stop":[...]}` (`size`: all shards and chunks together).
//!   `keys` are the term shards' prefixes; a term lives in the shard of the longest key that
//!   begins it.
//! - `t/KEY.json`, a term shard: `{"s":{"stem":[doc,w,doc,w,...]},"f":{"form":"stem"}}`. Doc
//!   numbers are delta-encoded; `w` packs the term's count in the body (0-63, bits 0-5), a match
//!   in a heading (bit 6) and in the title (bit 7). `f` maps each word form seen in the text to its
//!   stem when they differ: the client needs no stemmer. Everything starts in one shard (key
//!   `""`); a shard over the size limit is split by one more letter (`""` into `a`, `b`...; `co`
//!   into `con`, `cor`...), terms as long as the key staying in it.
//! - `d/N.json`, documents `N*per` to `N*per+per-1`: `[[url, title, section, text], ...]`, the
//!   text (description, then prose) cut at [`Limits::text_chars`] for snippets.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::tokenize::Tokenizer;

/// What one document adds to an index: its terms with their weights, the forms of its words
/// with their stems, and its record (JSON) for the document chunks.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Analysis {
    terms: Vec<(String, u8)>,
    forms: Vec<(String, String)>,
    record: String,
}

/// One page or section to index, borrowed from the site (the index of a big site is built
/// without a second copy of its text).
#[derive(Debug, Clone, Default)]
pub struct Document<'a> {
    pub url: &'a str,
    pub title: &'a str,
    /// The title of the section it belongs to (empty for top-level pages).
    pub section: &'a str,
    pub headings: Vec<&'a str>,
    pub description: Option<&'a str>,
    pub body: &'a str,
}

/// A [`Document`] that owns its text, for building an index on another thread (`serve`).
#[derive(Debug, Clone, Default)]
pub struct OwnedDocument {
    url: String,
    title: String,
    section: String,
    headings: Vec<String>,
    description: Option<String>,
    body: String,
}

impl OwnedDocument {
    pub fn new(d: &Document) -> Self {
        OwnedDocument {
            url: d.url.to_string(),
            title: d.title.to_string(),
            section: d.section.to_string(),
            headings: d.headings.iter().map(|h| h.to_string()).collect(),
            description: d.description.map(str::to_string),
            body: d.body.to_string(),
        }
    }

    pub fn borrow(&self) -> Document<'_> {
        Document {
            url: &self.url,
            title: &self.title,
            section: &self.section,
            headings: self.headings.iter().map(String::as_str).collect(),
            description: self.description.as_deref(),
            body: &self.body,
        }
    }
}

/// Size limits of the files.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A term shard over this many bytes is split by one more letter.
    pub shard_bytes: usize,
    /// Longest shard key: a shard this specific is kept whatever its size.
    pub max_key_chars: usize,
    /// Target size of a document chunk.
    pub chunk_bytes: usize,
    /// Characters of text kept per document for snippets.
    pub text_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            shard_bytes: 48 * 1024,
            max_key_chars: 6,
            chunk_bytes: 12 * 1024,
            text_chars: 1500,
        }
    }
}

/// A document's stems with their weights, and the (form, stem) pairs met in it.
type DocTerms = (BTreeMap<String, u8>, Vec<(String, String)>);

const TITLE: u8 = 0x80;
const HEADING: u8 = 0x40;
const COUNT: u8 = 0x3f;

/// Files of one language's index, as (path under `/search/LANG/`, contents).
pub fn build(lang: &str, docs: &[Document], limits: &Limits) -> Vec<(String, String)> {
    let mut builder = IndexBuilder::new(lang, *limits);
    builder.add(docs);
    builder.finish()
}

/// One language's index, fed documents in order a batch at a time (so a build can drop each
/// page's prose once it is indexed) and turned into files at the end.
pub struct IndexBuilder {
    lang: String,
    tokenizer: Tokenizer,
    limits: Limits,
    /// Each posting packed in one u32, `doc << 8 | weight`: a 10,000-page site has millions.
    postings: HashMap<String, Vec<u32>>,
    /// Each form seen, with the stem of its first use.
    forms: HashMap<String, String>,
    /// Documents added so far.
    docs: usize,
    /// Records (JSON) of the documents not in a chunk yet.
    records: Vec<String>,
    /// Documents per chunk, once known: from the first [`SAMPLE`] records (or from all of
    /// them in a smaller index).
    per: Option<usize>,
    /// Chunks made so far, and their bytes.
    chunks: usize,
    size: usize,
    /// Chunks made but not handed out yet ([`IndexBuilder::take_ready`]).
    ready: Vec<(String, String)>,
}

/// Records that set the chunk size: a big index writes its chunks as it goes, rather than
/// holding every document's record until the end.
const SAMPLE: usize = 256;

impl IndexBuilder {
    pub fn new(lang: &str, limits: Limits) -> Self {
        IndexBuilder {
            lang: lang.to_string(),
            tokenizer: Tokenizer::new(lang),
            limits,
            postings: HashMap::new(),
            forms: HashMap::new(),
            docs: 0,
            records: Vec::new(),
            per: None,
            chunks: 0,
            size: 0,
            ready: Vec::new(),
        }
    }

    /// Chunks completed since the last call, as (path under `/search/LANG/`, contents).
    pub fn take_ready(&mut self) -> Vec<(String, String)> {
        std::mem::take(&mut self.ready)
    }

    /// Makes the chunks the pending records fill (every record when `all`).
    fn make_chunks(&mut self, all: bool) {
        if self.per.is_none() && (all || self.records.len() >= SAMPLE) {
            let sample = &self.records[..self.records.len().min(SAMPLE)];
            let total: usize = sample.iter().map(|r| r.len() + 1).sum();
            let average = total / sample.len().max(1);
            self.per = Some((self.limits.chunk_bytes / average.max(1)).clamp(1, 200));
        }
        let Some(per) = self.per else {
            return;
        };
        while self.records.len() >= per || (all && !self.records.is_empty()) {
            let take = per.min(self.records.len());
            let mut text = String::from("[");
            for (i, record) in self.records.drain(..take).enumerate() {
                if i > 0 {
                    text.push(',');
                }
                text.push_str(&record);
            }
            text.push(']');
            self.size += text.len();
            self.ready.push((format!("d/{}.json", self.chunks), text));
            self.chunks += 1;
        }
    }

    /// Indexes `docs`, numbered after those added before.
    pub fn add(&mut self, docs: &[Document]) {
        // Documents go through in batches, so memory holds one batch's maps at a time.
        const BATCH: usize = 512;
        for batch in docs.chunks(BATCH) {
            let analyses: Vec<Analysis> = batch
                .par_iter()
                .map_init(super::tokenize::Cache::new, |cache, d| {
                    self.analyze(cache, d)
                })
                .collect();
            for analysis in analyses {
                self.push(analysis);
            }
        }
        self.make_chunks(false);
    }

    /// What indexing `d` adds, worked out apart from the index (in parallel, or kept by the
    /// build cache for a page that did not change).
    pub fn analyze(&self, cache: &mut super::tokenize::Cache, d: &Document) -> Analysis {
        let (terms, forms) = doc_terms(&self.tokenizer, cache, d);
        Analysis {
            terms: terms.into_iter().collect(),
            forms,
            record: record(d, &self.limits),
        }
    }

    /// Adds one analysed document, numbered after those added before. Call
    /// [`IndexBuilder::end_batch`] after a batch of them.
    pub fn push(&mut self, analysis: Analysis) {
        let doc = self.docs as u32;
        self.docs += 1;
        self.records.push(analysis.record);
        for (stem, w) in analysis.terms {
            let packed = doc << 8 | u32::from(w);
            match self.postings.get_mut(&stem) {
                Some(list) => list.push(packed),
                None => {
                    self.postings.insert(stem, vec![packed]);
                }
            }
        }
        for (form, stem) in analysis.forms {
            self.forms.entry(form).or_insert(stem);
        }
    }

    /// Makes the document chunks that the documents pushed so far fill.
    pub fn end_batch(&mut self) {
        self.make_chunks(false);
    }

    /// The index files, as (path under `/search/LANG/`, contents).
    pub fn finish(self) -> Vec<(String, String)> {
        let mut files = Vec::new();
        self.finish_into(&mut |path, text| files.push((path, text)));
        files
    }

    /// Hands each index file to `emit` as soon as it is made, freeing what it was made from,
    /// so a big index is never in memory twice.
    pub fn finish_into(mut self, emit: &mut dyn FnMut(String, String)) {
        // The last document chunks first, so their records are freed before the terms' JSON
        // is made.
        self.make_chunks(true);
        for (path, text) in self.take_ready() {
            emit(path, text);
        }
        let IndexBuilder {
            lang,
            tokenizer,
            limits,
            postings,
            mut forms,
            docs,
            per,
            chunks,
            mut size,
            ..
        } = self;
        let per = per.unwrap_or(1);
        // A form that is itself a stem is found as a stem.
        forms.retain(|form, _| !postings.contains_key(form));

        // Each term's entry, its value already written as JSON.
        let mut entries: Vec<Entry> = postings
            .into_iter()
            .map(|(stem, list)| {
                let mut json = String::with_capacity(list.len() * 6);
                json.push('[');
                let mut last = 0;
                for (i, packed) in list.into_iter().enumerate() {
                    let (doc, w) = (packed >> 8, packed & 0xff);
                    if i > 0 {
                        json.push(',');
                    }
                    let _ = write!(json, "{},{w}", doc - last);
                    last = doc;
                }
                json.push(']');
                Entry {
                    term: stem,
                    json,
                    stem: true,
                }
            })
            .collect();
        entries.extend(forms.into_iter().map(|(form, stem)| Entry {
            term: form,
            json: Value::String(stem).to_string(),
            stem: false,
        }));
        entries.sort_unstable_by(|a, b| a.term.cmp(&b.term));

        // One shard (key "") for a small site; split by first letter, then two... as needed.
        let mut shards: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        split(String::new(), entries, &limits, &mut shards);
        let keys: Vec<String> = shards.keys().cloned().collect();
        for (key, list) in shards {
            let mut text = String::from("{\"s\":{");
            for kind in [true, false] {
                if !kind {
                    text.push_str("},\"f\":{");
                }
                let mut first = true;
                for e in list.iter().filter(|e| e.stem == kind) {
                    if !first {
                        text.push(',');
                    }
                    first = false;
                    text.push_str(&Value::String(e.term.clone()).to_string());
                    text.push(':');
                    text.push_str(&e.json);
                }
            }
            text.push_str("}}");
            drop(list);
            size += text.len();
            emit(format!("t/{}.json", key_file(&key)), text);
        }

        // The client fetches everything up front when it is this small, so search keeps working
        // offline once the page has loaded.
        let manifest = json!({
            "v": 1,
            "lang": lang,
            "docs": docs,
            "per": per,
            "chunks": chunks,
            "size": size,
            "keys": keys,
            "stop": tokenizer.stopwords(),
        });
        emit("index.json".to_string(), manifest.to_string());
    }
}

/// A document's stems with their weights, and the forms met in it.
fn doc_terms<'a>(
    tokenizer: &Tokenizer,
    cache: &mut super::tokenize::Cache,
    d: &Document<'a>,
) -> DocTerms {
    let mut terms: BTreeMap<String, u8> = BTreeMap::new();
    // Each form once per document, without copying a word already seen.
    let mut forms: BTreeMap<String, String> = BTreeMap::new();
    // A page repeats its words: each text's distinct words, in order of first use (the first
    // use of a form decides its stem), with how often each occurs, so the tokens and maps are
    // looked up once per word rather than once per use.
    let mut first_use: HashMap<&'a str, usize> = HashMap::new();
    let mut distinct: Vec<(&'a str, u8)> = Vec::new();
    let mut add = |text: &'a str, flag: u8| {
        first_use.clear();
        distinct.clear();
        for w in super::tokenize::words(text) {
            match first_use.entry(w) {
                std::collections::hash_map::Entry::Occupied(at) => {
                    let uses = &mut distinct[*at.get()].1;
                    *uses = uses.saturating_add(1);
                }
                std::collections::hash_map::Entry::Vacant(at) => {
                    at.insert(distinct.len());
                    distinct.push((w, 1));
                }
            }
        }
        for &(word, uses) in &distinct {
            tokenizer.word_tokens_cached(word, cache, |t| {
                if t.form != t.stem && !forms.contains_key(&t.form) {
                    forms.insert(t.form.clone(), t.stem.clone());
                }
                let w = match terms.get_mut(&t.stem) {
                    Some(w) => w,
                    None => terms.entry(t.stem.clone()).or_insert(0),
                };
                if flag == 0 {
                    // Each use adds one to the count, which stops at COUNT.
                    let count = (*w & COUNT).saturating_add(uses).min(COUNT);
                    *w = (*w & !COUNT) | count;
                } else {
                    *w |= flag;
                }
            });
        }
    };
    add(d.title, TITLE);
    for h in &d.headings {
        add(h, HEADING);
    }
    if let Some(desc) = d.description {
        add(desc, 0);
    }
    add(d.body, 0);
    (terms, forms.into_iter().collect())
}

/// A document's record in a chunk, as JSON: `[url, title, section, text]`, the text cut for
/// snippets.
fn record(d: &Document, limits: &Limits) -> String {
    let mut text = String::new();
    if let Some(desc) = d.description.filter(|s| !s.is_empty()) {
        text.push_str(desc.trim());
        text.push(' ');
    }
    for (i, word) in d.body.split_whitespace().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(word);
        if text.len() > limits.text_chars * 4 {
            break;
        }
    }
    let text: String = text.chars().take(limits.text_chars).collect();
    json!([d.url, d.title, d.section, text]).to_string()
}

struct Entry {
    term: String,
    /// The value as JSON: postings, or the stem a form stands for.
    json: String,
    /// A stem with postings (else a form naming its stem).
    stem: bool,
}

impl Entry {
    /// Bytes it takes in a shard.
    fn size(&self) -> usize {
        self.term.len() + self.json.len() + 4
    }
}

/// Puts `list` (terms beginning with `key`) in shard `key`, or splits it by one more letter.
fn split(
    key: String,
    list: Vec<Entry>,
    limits: &Limits,
    shards: &mut BTreeMap<String, Vec<Entry>>,
) {
    let size: usize = list.iter().map(Entry::size).sum();
    let len = key.chars().count();
    if size <= limits.shard_bytes || len >= limits.max_key_chars {
        shards.insert(key, list);
        return;
    }
    let mut here = Vec::new();
    let mut longer: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for e in list {
        if e.term.chars().count() <= len {
            here.push(e);
        } else {
            longer.entry(prefix(&e.term, len + 1)).or_default().push(e);
        }
    }
    if !here.is_empty() {
        shards.insert(key, here);
    }
    for (k, l) in longer {
        split(k, l, limits, shards);
    }
}

fn prefix(term: &str, chars: usize) -> String {
    term.chars().take(chars).collect()
}

/// A shard key as a file name: itself when plain ASCII letters and digits, else `x` and the
/// hex of its UTF-8 bytes (the client computes the same).
pub fn key_file(key: &str) -> String {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        key.to_string()
    } else {
        let mut s = String::from("x");
        for b in key.bytes() {
            s.push_str(&format!("{b:02x}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(url: &'a str, title: &'a str, headings: &[&'a str], body: &'a str) -> Document<'a> {
        Document {
            url,
            title,
            section: "Guide",
            headings: headings.to_vec(),
            description: None,
            body,
        }
    }

    fn file(files: &[(String, String)], name: &str) -> Value {
        let text = &files.iter().find(|(n, _)| n == name).expect(name).1;
        serde_json::from_str(text).unwrap()
    }

    /// Stems and forms as first counted, one use of a word at a time: counting each distinct
    /// word once with its number of uses must give the same.
    fn doc_terms_use_by_use(tokenizer: &Tokenizer, d: &Document) -> DocTerms {
        let mut terms: BTreeMap<String, u8> = BTreeMap::new();
        let mut forms: BTreeMap<String, String> = BTreeMap::new();
        let mut add = |text: &str, flag: u8| {
            for t in tokenizer.tokens(text) {
                if t.form != t.stem && !forms.contains_key(&t.form) {
                    forms.insert(t.form.clone(), t.stem.clone());
                }
                let w = terms.entry(t.stem.clone()).or_insert(0);
                if flag == 0 {
                    if *w & COUNT < COUNT {
                        *w += 1;
                    }
                } else {
                    *w |= flag;
                }
            }
        };
        add(d.title, TITLE);
        for h in &d.headings {
            add(h, HEADING);
        }
        if let Some(desc) = d.description {
            add(desc, 0);
        }
        add(d.body, 0);
        (terms, forms.into_iter().collect())
    }

    #[test]
    fn counting_distinct_words_gives_the_counts_of_counting_each_use() {
        let many = "feeling ".repeat(300);
        let long = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/content/pcd/what-is-pcd.md"
        ))
        .expect("an article of the example site");
        let cases = [
            ("en", doc("/a/", "Feeling low", &["Feelings", "Low"], &many)),
            ("en", doc("/b/", "Aftercare", &["Care after"], &long)),
            (
                "es",
                doc(
                    "/c/",
                    "Después",
                    &["Cuidados"],
                    "Résumé resume RÉSUMÉ cuidados cuidado ½ ñandú",
                ),
            ),
            (
                "fr",
                doc("/d/", "Après", &[], "Noël noel NOËL naïf naif été Été"),
            ),
        ];
        for (lang, mut d) in cases {
            d.description = Some("Feelings after sex, and feeling low.");
            let tokenizer = Tokenizer::new(lang);
            let mut cache = super::super::tokenize::Cache::new();
            assert_eq!(
                doc_terms(&tokenizer, &mut cache, &d),
                doc_terms_use_by_use(&tokenizer, &d),
                "{lang}: {}",
                d.title
            );
        }
    }

    #[test]
    fn postings_carry_title_heading_and_count() {
        let docs = [
            doc("/a/", "Feeling low after sex", &[], "Some people feel sad."),
            doc(
                "/b/",
                "Aftercare",
                &["Feelings"],
                "Talk about feelings and feelings.",
            ),
        ];
        let files = build("en", &docs, &Limits::default());
        let shard = file(&files, "t/x.json");
        // "feel": doc 0 in the title and once in the body; doc 1 in a heading and twice in the body.
        assert_eq!(shard["s"]["feel"], json!([0, TITLE | 1, 1, HEADING | 2]));
        assert_eq!(shard["f"]["feelings"], json!("feel"));
        assert!(
            shard["f"].get("feel").is_none(),
            "a stem is not listed as a form"
        );
        let manifest = file(&files, "index.json");
        assert_eq!(manifest["docs"], json!(2));
        assert_eq!(manifest["keys"], json!([""]), "a small index is one shard");
        assert!(manifest["stop"].as_array().unwrap().contains(&json!("the")));
        let chunk = file(&files, "d/0.json");
        assert_eq!(chunk[1][0], json!("/b/"));
        assert_eq!(chunk[1][2], json!("Guide"));
    }

    #[test]
    fn large_shards_split_by_one_more_letter() {
        let words = [
            "cone", "conduct", "cord", "core", "cost", "coat", "co", "cat",
        ];
        let urls: Vec<String> = (0..50).map(|i| format!("/{i}/")).collect();
        let body = words.join(" ");
        let docs: Vec<Document> = urls.iter().map(|u| doc(u, "x", &[], &body)).collect();
        let limits = Limits {
            shard_bytes: 300,
            ..Limits::default()
        };
        let files = build("vi", &docs, &limits);
        let manifest = file(&files, "index.json");
        let keys: Vec<&str> = manifest["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        assert!(keys.contains(&"co"), "{keys:?}");
        assert!(keys.iter().any(|k| k.starts_with("con")), "{keys:?}");
        assert!(keys.len() > 4, "{keys:?}");
        // Every term is in the shard of the longest key that begins it: where the client looks.
        for term in words {
            let key = keys
                .iter()
                .filter(|k| term.starts_with(**k))
                .max_by_key(|k| k.len())
                .unwrap();
            let shard = file(&files, &format!("t/{key}.json"));
            assert!(shard["s"].get(term).is_some(), "{term} not in {key}");
        }
        for (name, text) in &files {
            if name.starts_with("t/") {
                let key = name.trim_start_matches("t/").trim_end_matches(".json");
                assert!(text.len() <= 300 || key.len() >= 6 || key == "co", "{name}");
            }
        }
    }

    #[test]
    fn documents_are_chunked_and_text_is_cut() {
        let body = "word ".repeat(1000);
        let urls: Vec<String> = (0..30).map(|i| format!("/{i}/")).collect();
        let docs: Vec<Document> = urls.iter().map(|u| doc(u, "t", &[], &body)).collect();
        let limits = Limits {
            chunk_bytes: 1000,
            text_chars: 100,
            ..Limits::default()
        };
        let files = build("en", &docs, &limits);
        let per = file(&files, "index.json")["per"].as_u64().unwrap() as usize;
        assert!(per > 1 && per < 30, "{per}");
        let chunk = file(&files, "d/1.json");
        assert_eq!(chunk[0][0], json!(format!("/{per}/")));
        assert_eq!(chunk[0][3].as_str().unwrap().chars().count(), 100);
    }

    #[test]
    fn a_big_index_writes_its_chunks_as_it_goes_and_numbers_them_as_the_client_reads() {
        let urls: Vec<String> = (0..700).map(|i| format!("/{i}/")).collect();
        let docs: Vec<Document> = urls
            .iter()
            .map(|u| doc(u, "t", &[], "some words here"))
            .collect();
        let limits = Limits {
            chunk_bytes: 2000,
            ..Limits::default()
        };
        let mut builder = IndexBuilder::new("en", limits);
        builder.add(&docs[..100]);
        assert!(
            builder.take_ready().is_empty(),
            "the chunk size waits for a sample"
        );
        builder.add(&docs[100..300]);
        let early = builder.take_ready();
        assert!(
            !early.is_empty(),
            "chunks are written once the sample is in"
        );
        builder.add(&docs[300..]);
        let mut files = early;
        files.extend(builder.take_ready());
        files.extend(builder.finish());
        let manifest = file(&files, "index.json");
        let per = manifest["per"].as_u64().unwrap() as usize;
        let chunks = manifest["chunks"].as_u64().unwrap() as usize;
        assert_eq!(chunks, 700usize.div_ceil(per));
        // Document i is entry i % per of chunk i / per: where search.js looks for it.
        for i in [0, per - 1, per, 299, 300, 699] {
            let chunk = file(&files, &format!("d/{}.json", i / per));
            assert_eq!(chunk[i % per][0], json!(format!("/{i}/")), "document {i}");
        }
        // The same documents in one go give the same files.
        let mut whole = build("en", &docs, &limits);
        whole.sort();
        files.sort();
        assert_eq!(files, whole);
    }

    #[test]
    fn non_ascii_keys_get_hex_file_names() {
        assert_eq!(key_file("ab"), "ab");
        assert_eq!(key_file("ño"), "xc3b16f");
        assert_eq!(key_file(""), "x");
    }
}

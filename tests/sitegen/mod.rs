//! Whole small sites made from unstructured bytes, and the property every one of them must
//! hold: the full build either makes a site or fails with errors that name a file; it never
//! panics and never hangs.
//!
//! One generator, two drivers: `tests/fuzz_build.rs` (proptest feeding random bytes, in CI) and
//! `fuzz/fuzz_targets/site.rs` (cargo-fuzz feeding coverage-guided bytes). Both reach this file
//! with `#[path]`, so they always generate the same sites from the same bytes.
//!
//! The sites are built from pieces an author writes: `haven.toml` settings, pages with TOML or
//! YAML front matter holding values of every kind (in range, out of range, wrong type), Markdown
//! with links, headings, callouts, footnotes and raw HTML, `quiz` and `script` blocks, `.quiz`
//! files and a glossary. Text is drawn from a dictionary of syntax and awkward characters, with
//! arbitrary strings mixed in.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use arbitrary::{Result, Unstructured};

/// A generated site: files by path under the site root, and how to build it.
#[derive(Debug, Clone)]
pub struct GenSite {
    pub files: Vec<(String, String)>,
    pub include_drafts: bool,
    pub no_cache: bool,
    /// How wild the generator was (0: nothing wrong on purpose).
    pub chaos: u32,
}

/// How a build of a generated site ended (both are fine; anything else is a finding).
#[derive(Debug)]
pub enum Outcome {
    Built {
        pages: usize,
    },
    /// The first error, as printed.
    Failed {
        first: String,
    },
}

const TOKENS: &[&str] = &[
    "aftercare",
    "PCD",
    "words",
    "Partner",
    "You",
    " ",
    " ",
    " ",
    "\n",
    "\n",
    "\n\n",
    "# ",
    "## ",
    "### ",
    "#### ",
    "- ",
    "* ",
    "1. ",
    "> ",
    "> [!NOTE]\n",
    "> [!WARNING]\n> ",
    "> [!TIP]\n> ",
    "[",
    "]",
    "(",
    ")",
    "](",
    "](@/",
    "@/",
    "@/a/page.md",
    "@/a/_index.md",
    "@/b/page.es.md",
    "@/glossary.md",
    "(#",
    "#",
    "{#",
    "}",
    "{",
    "`",
    "```",
    "~~~",
    "|",
    "| a | b |\n|---|---|\n",
    "---",
    "+++",
    "*",
    "_",
    "**",
    "~~",
    "<b>",
    "</b>",
    "<script>alert(1)</script>",
    "<a href=\"",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "[^1]",
    "\n\n[^1]: a note\n",
    "![alt](img.png)",
    "![](../../x.png)",
    "https://example.org/",
    "http://",
    "javascript:alert(1)",
    "mailto:",
    "🙂",
    "💬",
    "é",
    "e\u{301}",
    "\u{202e}",
    "\u{200b}",
    "\u{feff}",
    "İ",
    "ß",
    "中文",
    "عربي",
    "עברית",
    "\t",
    "\r\n",
    "\r",
    ":",
    "-",
    "–",
    "0",
    "1",
    "2",
    "12",
    "120",
    "-1",
    "99999999999999999999",
    "\\",
    "\"",
    "'",
    "{{",
    "}}",
    "{%",
    "%}",
    "<!--",
    "-->",
    "drop",
    "self-aftercare",
    "post-coital dysphoria",
    "Aftercare's",
    "  ",
    "    ",
    "\u{0}",
    "\u{7f}",
];

const INTS: &[i64] = &[
    0,
    1,
    2,
    3,
    12,
    120,
    121,
    999,
    1000,
    2026,
    2999,
    3000,
    65535,
    65536,
    100_000,
    1_000_000,
    1_000_001,
    4_294_967_295,
    4_294_967_296,
    -1,
    -12,
    i64::MAX,
    i64::MIN,
];

const DATES: &[&str] = &[
    "2026-01-31",
    "2024-02-29",
    "2023-02-29",
    "1000-01-01",
    "0999-12-31",
    "0000-01-01",
    "2999-12-31",
    "3000-01-01",
    "9999-12-31",
    "2026-13-01",
    "2026-00-10",
    "2026-01-00",
    "+202-01-01",
    "2026-1-1",
    "2026-01-31T10:00:00",
    "2026-01-31 10:00",
    "2026-01-31T25:99:00Z",
    "26-01-31",
    "2026/01/31",
    "",
];

/// A value as an author might write it, rendered for TOML or YAML by [`toml`] and [`yaml`].
#[derive(Debug, Clone)]
enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date written bare: a TOML date (when it is one) or a YAML scalar.
    Date(String),
    Array(Vec<Value>),
    Table(Vec<(String, Value)>),
    /// Written as it is: broken syntax on purpose.
    Raw(String),
}

/// A basic TOML string (JSON's escapes are all valid TOML).
fn quoted(s: &str) -> String {
    // JSON leaves DEL as it is; TOML wants it escaped.
    serde_json::to_string(s)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('\u{7f}', "\\u007f")
}

fn toml(v: &Value) -> String {
    match v {
        Value::Str(s) => quoted(s),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_nan() => "nan".into(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 { "inf" } else { "-inf" }.into(),
        Value::Float(f) => format!("{f:?}"),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) if d.is_empty() => "\"\"".into(),
        Value::Date(d) => d.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(toml).collect::<Vec<_>>().join(", ")
        ),
        Value::Table(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|(k, v)| format!("{} = {}", quoted(k), toml(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Raw(r) => r.clone(),
    }
}

fn yaml(v: &Value) -> String {
    match v {
        Value::Str(s) => quoted(s),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_nan() => ".nan".into(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 { ".inf" } else { "-.inf" }.into(),
        Value::Float(f) => format!("{f:?}"),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) if d.is_empty() => "\"\"".into(),
        Value::Date(d) => d.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(yaml).collect::<Vec<_>>().join(", ")
        ),
        Value::Table(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", quoted(k), yaml(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Raw(r) => r.clone(),
    }
}

const FRONT_KEYS: &[&str] = &[
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "weight",
    "tags",
    "aliases",
    "template",
    "content_notes",
    "handout",
    "reviewed_by",
    "reviewed_on",
    "review_every",
    "sources",
    "translation_of",
    "extra",
    "tagz",
];

/// The generator: the bytes, and how wild this site is. At chaos 0 nothing is wrong on purpose
/// (the site should build, reaching rendering and output); each level up makes a wrong value,
/// broken syntax or an invalid block more likely.
struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    chaos: u32,
    /// Quiz ids and aliases given so far, so a tidy site's differ.
    quiz_ids: u32,
    aliases: u32,
}

impl Gen<'_, '_> {
    /// Whether to do something wrong here: never at chaos 0, up to 3 in 16 at chaos 3.
    fn wild(&mut self) -> Result<bool> {
        Ok(self.chaos > 0 && self.u.ratio(self.chaos, 16)?)
    }

    fn pick<T: Copy>(&mut self, tidy: &[T], wild: &[T]) -> Result<T> {
        if self.wild()? {
            Ok(*self.u.choose(wild)?)
        } else {
            Ok(*self.u.choose(tidy)?)
        }
    }

    /// Up to `max` tokens of text, from the dictionary or arbitrary.
    fn text(&mut self, max: usize) -> Result<String> {
        let n = self.u.int_in_range(0..=max)?;
        let mut out = String::new();
        for _ in 0..n {
            let piece = if self.u.ratio(1, 8)? {
                let s: String = self.u.arbitrary()?;
                s.chars().take(24).collect()
            } else {
                self.u.choose(TOKENS)?.to_string()
            };
            // A NUL makes the file binary: the whole page fails, so only now and then.
            if !piece.contains('\0') || self.wild()? && self.wild()? {
                out.push_str(&piece);
            }
        }
        Ok(out)
    }

    /// Text on one line (titles, options): no line breaks.
    fn line(&mut self, max: usize) -> Result<String> {
        Ok(self.text(max)?.replace(['\n', '\r'], " "))
    }

    /// Mostly a plain word, sometimes any one-line text.
    fn word(&mut self) -> Result<String> {
        if self.wild()? {
            self.line(3)
        } else {
            Ok(self
                .u
                .choose(&[
                    "a",
                    "b",
                    "closeness",
                    "words",
                    "space",
                    "x-y",
                    "Ünïcode",
                    "drop",
                ])?
                .to_string())
        }
    }

    fn int(&mut self, tidy: std::ops::RangeInclusive<i64>) -> Result<i64> {
        if !self.wild()? {
            self.u.int_in_range(tidy)
        } else if self.u.ratio(3, 4)? {
            Ok(*self.u.choose(INTS)?)
        } else {
            self.u.arbitrary()
        }
    }

    fn date(&mut self) -> Result<Value> {
        let d = self.pick(&["2026-01-31", "2024-02-29", "1999-12-31"], DATES)?;
        Ok(Value::Date(d.to_string()))
    }

    fn any_value(&mut self, depth: u32) -> Result<Value> {
        let kinds = if depth > 1 { 6 } else { 8 };
        Ok(match self.u.int_in_range(0..=kinds)? {
            0 | 1 => Value::Str(self.line(4)?),
            2 => Value::Int(self.int(0..=3)?),
            3 => Value::Float(*self.u.choose(&[
                f64::NAN,
                f64::INFINITY,
                -0.0,
                0.5,
                8.0,
                20.0,
                20.5,
                1e308,
                -3.0,
            ])?),
            4 => Value::Bool(self.u.arbitrary()?),
            5 => Value::Date(self.u.choose(DATES)?.to_string()),
            6 => Value::Raw(self.line(3)?),
            7 => Value::Array(
                (0..self.u.int_in_range(0..=3)?)
                    .map(|_| self.any_value(depth + 1))
                    .collect::<Result<_>>()?,
            ),
            _ => Value::Table(
                (0..self.u.int_in_range(0..=3)?)
                    .map(|_| Ok((self.word()?, self.any_value(depth + 1)?)))
                    .collect::<Result<_>>()?,
            ),
        })
    }

    fn words(&mut self, max: usize) -> Result<Value> {
        Ok(Value::Array(
            (0..self.u.int_in_range(0..=max)?)
                .map(|_| Ok(Value::Str(self.word()?)))
                .collect::<Result<_>>()?,
        ))
    }

    /// A value for `key`: of the kind it takes, or when wild, anything.
    fn value_for(&mut self, key: &str) -> Result<Value> {
        if self.wild()? {
            return self.any_value(0);
        }
        Ok(match key {
            "date" | "updated" | "reviewed_on" => self.date()?,
            "weight" => Value::Int(self.int(-10..=10)?),
            "review_every" => Value::Int(self.int(1..=120)?),
            "max_paragraph_words" => Value::Int(self.int(1..=10_000)?),
            "year" => Value::Int(self.int(1900..=2026)?),
            "max_grade" => Value::Float(self.pick(
                &[8.0, 1.0, 20.0, 12.5],
                &[0.0, 21.0, f64::NAN, -1.0, f64::INFINITY],
            )?),
            "draft" | "handout" | "generate_feed" | "enabled" | "rtl" | "default"
            | "remember_answers" | "require_sources" | "require_review" | "smart_punctuation" => {
                Value::Bool(self.u.arbitrary()?)
            }
            "tags" | "content_notes" | "address" | "hours" | "also" => self.words(3)?,
            "factual_sections" => Value::Array(
                (0..self.u.int_in_range(0..=2)?)
                    .map(|_| Ok(Value::Str(self.u.choose(&["a", "b", "zzz"])?.to_string())))
                    .collect::<Result<_>>()?,
            ),
            "aliases" => Value::Array(
                (0..self.u.int_in_range(0..=2)?)
                    .map(|_| {
                        self.aliases += 1;
                        let tidy = format!("/old/{}/", self.aliases);
                        let a =
                            self.pick(&[tidy.as_str()], &["../up/", "/a b/", "", "/", "/old/1/"])?;
                        Ok(Value::Str(a.to_string()))
                    })
                    .collect::<Result<_>>()?,
            ),
            "slug" => Value::Str(
                self.pick(&["s", "other-url", "ünï"], &["", ".", "a/b", "🙂"])?
                    .to_string(),
            ),
            "template" => Value::Str(
                self.pick(
                    &["page.html"],
                    &["section.html", "nope.html", "../x.html", ""],
                )?
                .to_string(),
            ),
            "sources" => Value::Array(
                (0..self.u.int_in_range(0..=2)?)
                    .map(|_| {
                        let mut t = vec![("title".to_string(), Value::Str(self.line(3)?))];
                        for key in ["year", "url", "doi", "authors"] {
                            if self.u.arbitrary()? {
                                t.push((key.to_string(), self.value_for(key)?));
                            }
                        }
                        Ok(Value::Table(t))
                    })
                    .collect::<Result<_>>()?,
            ),
            "url" | "website" | "base_url" => Value::Str(
                self.pick(
                    &[
                        "https://example.org/",
                        "https://example.org/guide",
                        "http://127.0.0.1:1111/",
                    ],
                    &[
                        "",
                        "not a url",
                        "javascript:alert(1)",
                        "https://exa mple.org/",
                    ],
                )?
                .to_string(),
            ),
            "paper" => Value::Str(self.pick(&["a4", "letter"], &["A5", ""])?.to_string()),
            "theme" => Value::Str(
                self.pick(&["guide", "clinic"], &["nope", "../x", ""])?
                    .to_string(),
            ),
            "default_language" => Value::Str(
                self.pick(&["en", "es", "fr"], &["", "x y", "🙂", "e/s"])?
                    .to_string(),
            ),
            "extra" => Value::Table(vec![("featured".into(), Value::Bool(self.u.arbitrary()?))]),
            "name" | "title" | "phone" | "description" | "reviewed_by" | "definition" => {
                let mut t = self.line(5)?;
                if t.trim().is_empty() {
                    t.push_str("Title");
                }
                Value::Str(t)
            }
            _ => Value::Str(self.line(4)?),
        })
    }

    fn front_matter(&mut self) -> Result<String> {
        let yaml_format = self.u.ratio(1, 3)?;
        let mut entries: Vec<(String, Value)> = Vec::new();
        if !self.wild()? {
            entries.push(("title".into(), self.value_for("title")?));
        }
        for _ in 0..self.u.int_in_range(0..=5)? {
            let key = *self.u.choose(FRONT_KEYS)?;
            if (key != "tagz" || self.wild()?) && !entries.iter().any(|(k, _)| k == key) {
                entries.push((key.to_string(), self.value_for(key)?));
            }
        }
        let mut out = String::new();
        let fence = if yaml_format { "---" } else { "+++" };
        if self.u.ratio(1, 32)? {
            out.push('\u{feff}');
        }
        out.push_str(fence);
        out.push('\n');
        for (k, v) in &entries {
            if yaml_format {
                let _ = writeln!(out, "{k}: {}", yaml(v));
            } else {
                let _ = writeln!(out, "{k} = {}", toml(v));
            }
        }
        if self.wild()? {
            out.push_str(&self.text(4)?);
            out.push('\n');
        }
        if !(self.wild()? && self.u.ratio(1, 4)?) {
            out.push_str(fence);
            out.push('\n');
        }
        Ok(out)
    }

    fn band(&mut self) -> Result<String> {
        let a = self.int(0..=8)?.rem_euclid(8);
        Ok(match self.u.int_in_range(0..=4)? {
            0 => format!("{a}-{}", self.int(0..=8)?.rem_euclid(10)),
            1 => format!("{a}-"),
            2 => format!("{a}+"),
            3 => format!("{a}–{}", self.int(0..=8)?),
            _ => self.int(0..=8)?.to_string(),
        })
    }

    fn feedback(&mut self, out: &mut String) -> Result<()> {
        let _ = writeln!(out, "  > {}", self.nonempty(4)?);
        Ok(())
    }

    /// One-line text that is never blank.
    fn nonempty(&mut self, max: usize) -> Result<String> {
        let t = self.line(max)?;
        Ok(if t.trim().is_empty() {
            format!("{t}x")
        } else {
            t
        })
    }

    /// A quiz that follows docs/quizzes.md, made wrong here and there as chaos allows.
    fn tidy_quiz(&mut self, out: &mut String) -> Result<()> {
        let kind = self.u.int_in_range(0..=2)?;
        let _ = writeln!(out, "# {}", self.nonempty(4)?);
        let _ = writeln!(
            out,
            "type: {}",
            ["knowledge", "checklist", "assessment"][kind as usize]
        );
        if self.u.arbitrary()? {
            self.quiz_ids += 1;
            let _ = writeln!(out, "id: q-{}", self.quiz_ids);
        }
        let cats = ["closeness", "words", "space"];
        if kind == 2 {
            for c in &cats[..self.u.int_in_range(1..=3)?] {
                let _ = writeln!(
                    out,
                    "[{c}] {} {c}\n  Described: {}",
                    self.nonempty(2)?,
                    self.line(4)?
                );
            }
        }
        let mut statements = 0;
        let questions = if kind == 1 {
            1
        } else {
            self.u.int_in_range(1..=3)?
        };
        for i in 0..questions {
            let _ = writeln!(out, "## {} {{#q{i}}}", self.nonempty(4)?);
            match kind {
                0 => {
                    if self.u.arbitrary()? {
                        out.push_str("- [x] True\n");
                        self.feedback(out)?;
                        out.push_str("- [ ] False\n");
                        self.feedback(out)?;
                    } else {
                        for j in 0..self.u.int_in_range(2..=4)? {
                            let mark = if j == 0 || self.u.ratio(1, 3)? {
                                "x"
                            } else {
                                " "
                            };
                            let _ = writeln!(out, "- [{mark}] {} {j}", self.nonempty(3)?);
                            self.feedback(out)?;
                        }
                    }
                    if self.u.arbitrary()? {
                        let _ = writeln!(out, "> {}", self.nonempty(4)?);
                    }
                }
                1 => {
                    for j in 0..self.u.int_in_range(1..=3)? {
                        let _ = writeln!(out, "- {} {i}.{j}", self.nonempty(3)?);
                        statements += 1;
                    }
                }
                _ => {
                    for j in 0..self.u.int_in_range(2..=3)? {
                        let c = self.u.choose(&cats[..1])?;
                        let w = self.u.int_in_range(1..=3u8)?;
                        let _ = writeln!(out, "- {} {j} {{{c}: {w}}}", self.nonempty(3)?);
                    }
                }
            }
        }
        if kind == 1 {
            let split = self.u.int_in_range(0..=statements)?;
            if split == 0 {
                let _ = writeln!(out, "[0-] {}", self.nonempty(3)?);
            } else {
                let _ = writeln!(out, "[0-{}] {}", split - 1, self.nonempty(3)?);
                let _ = writeln!(out, "[{split}-] {}", self.nonempty(3)?);
            }
        }
        Ok(())
    }

    /// Lines of a quiz (without the fence).
    fn quiz(&mut self) -> Result<String> {
        let mut out = String::new();
        if !self.wild()? {
            self.tidy_quiz(&mut out)?;
            return Ok(out);
        }
        if self.u.ratio(7, 8)? {
            let _ = writeln!(out, "# {}", self.line(4)?);
        }
        if self.u.ratio(7, 8)? {
            let kind = self
                .u
                .choose(&["knowledge", "checklist", "assessment", "quiz", ""])?;
            let _ = writeln!(out, "type: {kind}");
        }
        for _ in 0..self.u.int_in_range(0..=24)? {
            let l = match self.u.int_in_range(0..=13)? {
                0 => format!("## {}", self.line(4)?),
                1 => format!("- [x] {}", self.line(3)?),
                2 => format!("- [ ] {}", self.line(3)?),
                3 => format!("- {}", self.line(3)?),
                4 => {
                    let weight = if self.u.arbitrary()? {
                        format!(": {}", self.int(1..=3)?)
                    } else {
                        String::new()
                    };
                    format!("- {} {{{}{weight}}}", self.line(2)?, self.word()?)
                }
                5 | 6 => format!("  > {}", self.line(4)?),
                7 => format!("> {}", self.line(4)?),
                8 => format!("[{}] {}", self.band()?, self.line(3)?),
                9 => format!("[{}] {}", self.word()?, self.line(2)?),
                10 => format!("  {}", self.line(3)?),
                11 => format!("id: {}", self.word()?),
                12 => String::new(),
                _ => self.line(4)?,
            };
            out.push_str(&l);
            out.push('\n');
        }
        Ok(out)
    }

    /// Lines of a script (without the fence).
    fn script(&mut self) -> Result<String> {
        let mut out = String::new();
        if !self.wild()? {
            let _ = writeln!(out, "# {}", self.nonempty(4)?);
        }
        let speakers = self.pick(&["You, Partner"], &["You", "You, You", "You, ", "A, B, C"])?;
        if !self.wild()? {
            let _ = writeln!(out, "speakers: {speakers}");
        }
        if self.u.ratio(1, 4)? {
            let _ = writeln!(out, "id: {}", self.word()?);
        }
        let _ = writeln!(out, "You: {}", self.nonempty(4)?);
        for _ in 0..self.u.int_in_range(0..=9)? {
            let l = match self.u.int_in_range(0..=5)? {
                0 | 1 => format!("You: {}", self.nonempty(4)?),
                2 => format!("Partner: {}", self.nonempty(4)?),
                3 => format!("> {}", self.nonempty(4)?),
                4 => format!("## {}\nYou: {}", self.nonempty(3)?, self.nonempty(3)?),
                _ if self.wild()? => format!("{}: {}", self.word()?, self.line(3)?),
                _ => String::new(),
            };
            out.push_str(&l);
            out.push('\n');
        }
        Ok(out)
    }

    /// Markdown with blocks; `links` are `@/` paths of pages this site has.
    fn body(&mut self, links: &[String]) -> Result<String> {
        let mut out = String::new();
        for _ in 0..self.u.int_in_range(0..=6)? {
            match self.u.int_in_range(0..=9)? {
                0 => {
                    let q = self.quiz()?;
                    let _ = write!(out, "```quiz\n{q}```\n\n");
                }
                1 => {
                    let name = self.pick(&["shared"], &["nope", "../x", ""])?;
                    let _ = write!(out, "```quiz\nuse: {name}\n```\n\n");
                }
                2 => {
                    let s = self.script()?;
                    let _ = write!(out, "```script\n{s}```\n\n");
                }
                3 => {
                    let h = self.nonempty(3)?;
                    let _ = write!(out, "## {h}\n\n");
                }
                4 => {
                    let target = if self.wild()? || links.is_empty() {
                        self.u
                            .choose(&["@/missing.md", "../a/page.md", "page.md", "#nowhere", "@/"])?
                            .to_string()
                    } else {
                        let to = self.u.choose(links)?.clone();
                        let external = "https://example.org/".to_string();
                        self.pick(&[&to, &external], &[&to])?.clone()
                    };
                    let label = self.nonempty(2)?;
                    let _ = write!(out, "[{label}]({target})\n\n");
                }
                5 => {
                    let kind =
                        self.u
                            .choose(&["NOTE", "TIP", "WARNING", "IMPORTANT", "CAUTION"])?;
                    let t = self.line(6)?;
                    let _ = write!(out, "> [!{kind}]\n> {t}\n\n");
                }
                _ => {
                    let t = self.text(24)?;
                    // Unbalanced fences would swallow what follows: fine when wild.
                    if self.chaos > 0 || !t.contains("```") && !t.contains("~~~") {
                        out.push_str(&t);
                        out.push_str("\n\n");
                    }
                }
            }
        }
        Ok(out)
    }

    fn config(&mut self) -> Result<String> {
        let mut out = String::new();
        for key in [
            "title",
            "description",
            "base_url",
            "default_language",
            "theme",
            "generate_feed",
        ] {
            if self.u.ratio(1, 3)? {
                let v = self.value_for(key)?;
                let _ = writeln!(out, "{key} = {}", toml(&v));
            }
        }
        let tables: &[(&str, &[&str])] = &[
            ("languages.es", &["name", "title", "rtl"]),
            ("languages.ar", &["name", "rtl"]),
            ("readability", &["max_grade"]),
            (
                "check",
                &[
                    "max_paragraph_words",
                    "factual_sections",
                    "require_sources",
                    "require_review",
                ],
            ),
            ("search", &["enabled"]),
            ("handouts", &["paper", "default"]),
            ("quiz", &["remember_answers"]),
            ("quick_exit", &["enabled", "url"]),
            ("markdown", &["smart_punctuation"]),
            ("clinic", &["name", "phone", "website", "address", "hours"]),
            ("extra", &["anything"]),
        ];
        for (table, keys) in tables {
            if self.u.ratio(1, 3)? {
                let _ = writeln!(out, "[{table}]");
                for key in *keys {
                    if self.u.arbitrary()? {
                        let v = self.value_for(key)?;
                        let _ = writeln!(out, "{key} = {}", toml(&v));
                    }
                }
            }
        }
        if self.wild()? {
            out.push_str(&self.text(6)?);
        }
        Ok(out)
    }

    fn glossary(&mut self) -> Result<String> {
        let mut out = String::new();
        for i in 0..self.u.int_in_range(0..=4)? {
            out.push_str("[[term]]\n");
            let term = self.pick(
                &[["aftercare", "PCD", "drop", "self-aftercare", "words"][i as usize % 5]],
                &["", "🙂", "a", "aftercare"],
            )?;
            let _ = writeln!(out, "term = {}", quoted(term));
            if self.u.arbitrary()? {
                let v = self.value_for("also")?;
                let _ = writeln!(out, "also = {}", toml(&v));
            }
            if !self.wild()? {
                let v = self.value_for("definition")?;
                let _ = writeln!(out, "definition = {}", toml(&v));
            }
        }
        if self.wild()? {
            out.push_str(&self.text(4)?);
        }
        Ok(out)
    }
}

const DIRS: &[&str] = &[
    "", "a", "a", "b", "a/b", "💬", "es", "tags", "search", "quizzes",
];
const NAMES: &[&str] = &[
    "page",
    "page",
    "other",
    "_index",
    "index",
    "page.es",
    "_index.es",
    "x.fr",
    "💬",
    "🙂 🙂",
    "Two Words",
    "search",
    "glossary",
];
const TIDY_DIRS: &[&str] = &["", "a", "a", "b", "a/b", "💬"];
const TIDY_NAMES: &[&str] = &[
    "page",
    "page",
    "other",
    "_index",
    "page.es",
    "💬",
    "Two Words",
];

impl GenSite {
    pub fn generate(u: &mut Unstructured) -> Result<GenSite> {
        // Half the sites tidy, so rendering and output are reached as often as the checks.
        let chaos = if u.arbitrary()? {
            0
        } else {
            u.int_in_range(1..=3)?
        };
        let mut g = Gen {
            u,
            chaos,
            quiz_ids: 0,
            aliases: 0,
        };
        let mut files = vec![("haven.toml".to_string(), g.config()?)];
        let mut pages = Vec::new();
        for _ in 0..g.u.int_in_range(1..=5)? {
            let dir = g.pick(TIDY_DIRS, DIRS)?;
            let name = g.pick(TIDY_NAMES, NAMES)?;
            let rel = if dir.is_empty() {
                format!("{name}.md")
            } else {
                format!("{dir}/{name}.md")
            };
            if !pages.contains(&rel) {
                pages.push(rel);
            }
        }
        let links: Vec<String> = pages.iter().map(|p| format!("@/{p}")).collect();
        for rel in &pages {
            let text = format!("{}{}", g.front_matter()?, g.body(&links)?);
            files.push((format!("content/{rel}"), text));
        }
        if g.u.ratio(1, 3)? {
            files.push(("content/glossary.toml".into(), g.glossary()?));
        }
        if g.chaos == 0 || g.u.arbitrary()? {
            let name = g.pick(&["shared"], &["shared", "other", "🙂"])?;
            files.push((format!("content/quizzes/{name}.quiz"), g.quiz()?));
        }
        Ok(GenSite {
            files,
            include_drafts: g.u.arbitrary()?,
            no_cache: g.u.arbitrary()?,
            chaos,
        })
    }
    /// Writes the site's files under `root` (a file name the system refuses is left out).
    pub fn write_to(&self, root: &Path) {
        for (rel, text) in &self.files {
            let path = root.join(rel);
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(&path, text);
        }
    }

    /// Builds the site in a fresh folder, as `haven build` would, and checks the property:
    /// a site, or errors each naming a file. Panics (the finding) otherwise.
    pub fn build(&self) -> Outcome {
        let dir = tempfile::tempdir().expect("a temporary folder");
        self.write_to(dir.path());
        let options = haven::BuildOptions {
            root: dir.path().to_path_buf(),
            include_drafts: self.include_drafts,
            no_cache: self.no_cache,
            ..Default::default()
        };
        match haven::build(&options) {
            Ok(summary) => Outcome::Built {
                pages: summary.pages,
            },
            Err(errors) => {
                assert!(!errors.0.is_empty(), "a failed build reported no error");
                for d in &errors.0 {
                    assert!(
                        d.file.is_some(),
                        "an error names no file: {d}\nsite: {:#?}",
                        self.files
                    );
                    let _ = d.line_col();
                }
                Outcome::Failed {
                    first: errors.0[0].to_string(),
                }
            }
        }
    }

    /// [`GenSite::build`] on another thread: a build still running after `limit` is a hang,
    /// and so a finding (the thread is left behind; the test fails).
    pub fn build_within(&self, limit: Duration) -> std::result::Result<Outcome, String> {
        let site = self.clone();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(site.build());
        });
        match rx.recv_timeout(limit) {
            Ok(outcome) => Ok(outcome),
            Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
                "the build still ran after {limit:?}: {:#?}",
                self.files
            )),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err(format!("the build panicked on: {:#?}", self.files))
            }
        }
    }
}

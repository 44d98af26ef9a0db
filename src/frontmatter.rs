//! Splitting a content file into front matter and body, and parsing the front matter.
//!
//! TOML between `+++` lines or YAML between `---` lines. Errors are located in the whole file,
//! so an author sees the line they wrote.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::diagnostic::{Diagnostic, short_unknown_field, suggest_for_unknown_field};

/// Typed front matter of a page or section.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub updated: Option<Date>,
    #[serde(default)]
    pub draft: bool,
    /// Replaces the file name in the URL.
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Old URLs that redirect here.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Template name instead of `page.html` or `section.html`.
    #[serde(default)]
    pub template: Option<String>,
    /// Short, neutral notes on what the page discusses, shown before the body.
    #[serde(default)]
    pub content_notes: Vec<String>,
    /// Make a printable handout of this page.
    #[serde(default)]
    pub handout: Option<bool>,
    #[serde(default)]
    pub reviewed_by: Option<String>,
    #[serde(default)]
    pub reviewed_on: Option<Date>,
    /// Months between reviews.
    #[serde(default)]
    pub review_every: Option<u32>,
    #[serde(default)]
    pub sources: Vec<SourceRef>,
    /// Hash of the source text this translation was made from.
    #[serde(default)]
    pub translation_of: Option<String>,
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A reference backing the page's claims.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub title: String,
    #[serde(default)]
    pub authors: Option<String>,
    #[serde(default)]
    pub year: Option<u16>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub doi: Option<String>,
}

/// A calendar date, written `YYYY-MM-DD` (a time after it is accepted and dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let date = text.get(..10)?;
        let rest = &text[10..];
        if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
            return None;
        }
        let mut parts = date.split('-');
        let year: u16 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > days_in_month {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// RFC 3339 timestamp at midnight UTC, for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        format!("{self}T00:00:00Z")
    }

    /// This date moved `months` later (the day clamped to the month's length).
    pub fn add_months(&self, months: u32) -> Date {
        let total = self.year as u32 * 12 + (self.month as u32 - 1) + months;
        let (year, month) = ((total / 12) as u16, (total % 12 + 1) as u8);
        let mut day = self.day;
        while Date::parse(&format!("{year:04}-{month:02}-{day:02}")).is_none() {
            day -= 1;
        }
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).ok_or_else(|| {
                    E::custom(format!("`{v}` is not a valid date: write it as YYYY-MM-DD"))
                })
            }
            // TOML hands native dates over as a one-entry map holding the text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let (_, value): (String, String) = map
                    .next_entry()?
                    .ok_or_else(|| de::Error::custom("expected a date"))?;
                self.visit_str(&value)
            }
        }
        d.deserialize_any(DateVisitor)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// A content file cut in two. Offsets are bytes into the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: Format,
    pub front: &'a str,
    pub front_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Finds the front matter block at the top of `text`.
pub fn split<'a>(text: &'a str, source: &Arc<str>, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[bom..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let first_line = rest[..first_line_end].trim_end();
    let (format, fence) = match first_line {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            let end = bom + first_line.len();
            let what = if text.trim().is_empty() {
                "the file is empty".to_string()
            } else {
                "the file does not start with front matter".to_string()
            };
            return Err(Diagnostic::error(what)
                .in_file(file)
                .at(source, bom, end.max(bom))
                .with_help("start the file with front matter holding at least a title:\n+++\ntitle = \"My page\"\n+++"));
        }
    };
    let front_offset = bom + first_line_end;
    let mut pos = front_offset;
    for line in text[front_offset..].split_inclusive('\n') {
        if line.trim_end() == fence {
            let body_offset = pos + line.len();
            return Ok(Split {
                format,
                front: &text[front_offset..pos],
                front_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        pos += line.len();
    }
    Err(Diagnostic::error(format!(
        "front matter opened with `{fence}` is never closed"
    ))
    .in_file(file)
    .at(source, bom, bom + 3)
    .with_help(format!(
        "add a line holding only `{fence}` after the front matter"
    )))
}

/// Parses the front matter text of `split`.
pub fn parse(split: &Split, source: &Arc<str>, file: &Path) -> Result<FrontMatter, Diagnostic> {
    let (message, start, end) = match split.format {
        Format::Toml => match toml::from_str::<FrontMatter>(split.front) {
            Ok(fm) => return check(fm, split, source, file),
            Err(e) => {
                let (s, e2) = e.span().map_or((0, 0), |r| (r.start, r.end));
                (e.message().trim().to_string(), s, e2)
            }
        },
        Format::Yaml => {
            // An empty YAML document is `null`, not an empty map.
            let text = if split.front.trim().is_empty() {
                "{}"
            } else {
                split.front
            };
            match serde_yaml_ng::from_str::<FrontMatter>(text) {
                Ok(fm) => return check(fm, split, source, file),
                Err(e) => {
                    let at = e.location().map_or(0, |l| l.index());
                    let message = e.to_string();
                    // serde_yaml_ng appends " at line N column M"; we show our own location.
                    let message = message
                        .split(" at line ")
                        .next()
                        .unwrap_or(&message)
                        .to_string();
                    (message, at, at + 1)
                }
            }
        }
    };
    let start = split.front_offset + start.min(split.front.len());
    let end = split.front_offset + end.min(split.front.len());
    let mut d = Diagnostic::error(format!(
        "invalid front matter: {}",
        short_unknown_field(&message)
    ))
    .in_file(file)
    .at(source, start, end);
    if let Some(help) = suggest_for_unknown_field(&message) {
        d = d.with_help(help);
    } else if message.contains("missing field `title`") {
        d = d.with_help("every page needs a title, e.g. title = \"What aftercare is\"");
    }
    Err(d)
}

fn check(
    fm: FrontMatter,
    split: &Split,
    source: &Arc<str>,
    file: &Path,
) -> Result<FrontMatter, Diagnostic> {
    if fm.title.trim().is_empty() {
        let at = split.front.find("title").unwrap_or(0) + split.front_offset;
        return Err(Diagnostic::error("the title is empty")
            .in_file(file)
            .at(source, at, at + 5)
            .with_help("give the page a title, e.g. title = \"What aftercare is\""));
    }
    if let Some(slug) = &fm.slug
        && (slug.is_empty()
            || slug.contains(['/', '\\'])
            || slug == "."
            || slug == ".."
            || slug.chars().any(char::is_control))
    {
        let at = split.front.find("slug").unwrap_or(0) + split.front_offset;
        return Err(Diagnostic::error(format!("the slug `{slug}` is not a single URL segment"))
            .in_file(file)
            .at(source, at, at + 4)
            .with_help("a slug is one word or words joined by hyphens, with no slashes or dots, e.g. slug = \"after-sex\""));
    }
    Ok(fm)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<FrontMatter, Diagnostic> {
        let source: Arc<str> = Arc::from(text);
        let file = Path::new("content/a.md");
        let split = split(text, &source, file)?;
        parse(&split, &source, file)
    }

    #[test]
    fn toml_front_matter_parses_dates_and_sources() {
        let fm = run("+++\ntitle = \"A\"\ndate = 2024-02-29\n[[sources]]\ntitle = \"S\"\nyear = 2015\n+++\nbody").unwrap();
        assert_eq!(fm.title, "A");
        assert_eq!(fm.date.unwrap().to_string(), "2024-02-29");
        assert_eq!(fm.sources[0].year, Some(2015));
    }

    #[test]
    fn yaml_front_matter_parses() {
        let fm = run("---\ntitle: B\ntags: [x, y]\ndate: 2023-01-05\n---\nbody").unwrap();
        assert_eq!(fm.title, "B");
        assert_eq!(fm.tags, vec!["x", "y"]);
        assert_eq!(fm.date.unwrap().to_string(), "2023-01-05");
    }

    #[test]
    fn body_offset_points_after_closing_fence() {
        let text = "+++\r\ntitle = \"A\"\r\n+++\r\nHello";
        let source: Arc<str> = Arc::from(text);
        let s = split(text, &source, Path::new("a.md")).unwrap();
        assert_eq!(s.body, "Hello");
        assert_eq!(&text[s.body_offset..], "Hello");
    }

    #[test]
    fn typo_is_located_and_suggested() {
        let err = run("+++\ntitle = \"A\"\ntagz = [\"x\"]\n+++\n").unwrap_err();
        assert_eq!(err.line_col(), Some((3, 1)));
        assert_eq!(err.help.as_deref(), Some("did you mean `tags`?"));
    }

    #[test]
    fn yaml_error_is_located_in_the_file() {
        let err = run("---\ntitle: B\nweight: heavy\n---\n").unwrap_err();
        assert_eq!(err.line_col().unwrap().0, 3, "{err}");
    }

    #[test]
    fn unterminated_and_empty_files_are_errors() {
        let err = run("+++\ntitle = \"A\"\n").unwrap_err();
        assert!(err.message.contains("never closed"));
        let err = run("").unwrap_err();
        assert!(err.message.contains("empty"));
    }

    #[test]
    fn invalid_dates_and_slugs_are_rejected() {
        assert!(run("+++\ntitle = \"A\"\ndate = \"2023-02-30\"\n+++\n").is_err());
        assert!(run("+++\ntitle = \"A\"\nslug = \"../x\"\n+++\n").is_err());
        assert_eq!(
            Date::parse("2024-01-31").unwrap().add_months(1).to_string(),
            "2024-02-29"
        );
    }
}

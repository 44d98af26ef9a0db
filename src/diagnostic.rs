//! Located problems found while building a site.
//!
//! Every stage reports problems as [`Diagnostic`]s: a file, a byte span inside it, a message and a
//! hint. Stages collect them rather than stopping at the first, so one run reports everything.
//! The command line turns them into snippets; the library never prints.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, never a failure, even with `haven check --strict`.
    Note,
    Warning,
    Error,
}

/// One problem, located in a file when it has a place.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub help: Option<Box<str>>,
    /// Path as shown to the user (relative to the site root where possible).
    pub file: Option<Arc<Path>>,
    /// The whole text of `file`, kept so the command line can show a snippet.
    pub source: Option<Arc<str>>,
    /// Byte range inside `source`.
    pub span: Option<(usize, usize)>,
    /// A stable name for the kind of problem (`broken-link`, `image-alt`...), for tools.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            help: None,
            file: None,
            source: None,
            span: None,
            code: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(Arc::from(file.into()));
        self
    }

    /// Locates the problem at `start..end` bytes of `source`.
    pub fn at(mut self, source: &Arc<str>, start: usize, end: usize) -> Self {
        let start = floor_char_boundary(source, start.min(source.len()));
        let end = floor_char_boundary(source, end.clamp(start, source.len()));
        self.source = Some(source.clone());
        self.span = Some((start, end));
        self
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// 1-based line and column of the span's start.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        match (&self.source, self.span) {
            (Some(src), Some((start, _))) => Some(line_col(src, start)),
            _ => None,
        }
    }

    /// `file:line:col` (or as much of it as is known).
    pub fn location(&self) -> String {
        let file = self
            .file
            .as_deref()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        match self.line_col() {
            Some((line, col)) => format!("{file}:{line}:{col}"),
            None => file,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let location = self.location();
        if location.is_empty() {
            write!(f, "{kind}: {}", self.message)?;
        } else {
            write!(f, "{location}: {kind}: {}", self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A failed run: every problem found, errors first.
#[derive(Debug, Clone)]
pub struct Errors(pub Vec<Diagnostic>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Diagnostic> for Errors {
    fn from(d: Diagnostic) -> Self {
        Errors(vec![d])
    }
}

/// An I/O failure on `path`, with the OS reason.
pub fn io_error(path: &Path, action: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("could not {action} {}: {err}", path.display()))
}

/// The stable JSON shape of `haven check --format json` (documented in docs/check.md).
pub fn to_json(diags: &[Diagnostic]) -> serde_json::Value {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.iter().filter(|d| d.is_warning()).count();
    let items: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let (line, column) = d
                .line_col()
                .map_or((None, None), |(l, c)| (Some(l), Some(c)));
            serde_json::json!({
                "severity": d.severity,
                "code": d.code,
                "message": d.message,
                "help": d.help,
                "file": d.file.as_ref().map(|f| f.display().to_string().replace('\\', "/")),
                "line": line,
                "column": column,
            })
        })
        .collect();
    serde_json::json!({
        "version": 1,
        "errors": errors,
        "warnings": warnings,
        "notes": diags.len() - errors - warnings,
        "diagnostics": items,
    })
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Adds a "did you mean" hint to serde's `unknown field` messages, which list the expected names.
pub fn suggest_for_unknown_field(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let unknown = rest.split('`').next()?;
    let expected: Vec<&str> = rest
        .split("expected ")
        .nth(1)?
        .split('`')
        .skip(1)
        .step_by(2)
        .collect();
    let best = expected
        .iter()
        .map(|name| (strsim::jaro_winkler(unknown, name), *name))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    Some(match best {
        Some((_, name)) => format!("did you mean `{name}`?"),
        None => format!("the known keys are: {}", expected.join(", ")),
    })
}

/// serde's `unknown field `x`, expected one of ...` without the list (the hint has it).
pub fn short_unknown_field(message: &str) -> String {
    match message.find("unknown field `") {
        Some(_) => message
            .split(", expected")
            .next()
            .unwrap_or(message)
            .to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn diagnostics_stay_small_enough_to_return_by_value() {
        // clippy's result_large_err limit: a Diagnostic is returned in Err everywhere.
        assert!(std::mem::size_of::<super::Diagnostic>() <= 128);
    }

    use super::*;

    #[test]
    fn line_col_counts_from_one_in_characters() {
        let text = "ab\ncdé f\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
    }

    #[test]
    fn unknown_field_gets_closest_name() {
        let msg = "unknown field `titel`, expected one of `title`, `description`, `date`";
        assert_eq!(
            suggest_for_unknown_field(msg).unwrap(),
            "did you mean `title`?"
        );
        let msg = "unknown field `zzz`, expected `title` or `date`";
        assert_eq!(
            suggest_for_unknown_field(msg).unwrap(),
            "the known keys are: title, date"
        );
    }
}

//! Printing diagnostics with a source snippet (miette's graphical report).

use std::path::Path;

use haven::Diagnostic;
use haven::diagnostic::Severity;
use std::io::IsTerminal;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};

pub fn print_all(diags: &[Diagnostic], root: &Path) {
    for d in diags {
        print_one(d, root);
    }
}

fn print_one(d: &Diagnostic, root: &Path) {
    // A plain first line that editors and CI logs can jump to: file:line:col: error: message.
    let location = d.location();
    // Paths are relative to the site; show them from where the command was run.
    let in_site = d
        .file
        .as_deref()
        .is_some_and(|f| f.is_relative() && root.join(f).exists());
    let shown = if in_site && root != Path::new(".") {
        root.join(&location).display().to_string()
    } else {
        location
    };
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    if shown.is_empty() {
        eprintln!("{kind}: {}", d.message);
    } else {
        eprintln!("{shown}: {kind}: {}", d.message);
    }
    let mut md = MietteDiagnostic::new(d.message.clone()).with_severity(match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    });
    if let Some(help) = &d.help {
        md = md.with_help(help.clone());
    }
    let report = match (&d.source, d.span) {
        (Some(source), Some((start, end))) => {
            md = md.with_label(LabeledSpan::at(
                start..end.max(start + 1).min(source.len().max(start)),
                "here",
            ));
            let name = d
                .file
                .as_deref()
                .map(|f| f.display().to_string())
                .unwrap_or_default();
            Report::new(md).with_source_code(NamedSource::new(name, source.to_string()))
        }
        _ => Report::new(md),
    };
    // Colours and wrapping suit a terminal; logs and pipes get plain, unwrapped text.
    let handler = if std::io::stderr().is_terminal() {
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode()).with_width(100)
    } else {
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(200)
    };
    let mut text = String::new();
    match handler.render_report(&mut text, report.as_ref()) {
        Ok(()) => eprintln!("{text}"),
        Err(_) => eprintln!("{report:?}"),
    }
}

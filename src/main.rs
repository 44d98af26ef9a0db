//! The `haven` command: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use haven::{BuildOptions, Diagnostic};

mod alloc;
mod report;

#[derive(Parser)]
#[command(
    name = "haven",
    version,
    about = "A static site generator for sexual-health education: private, accessible, printable."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ by default).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (may be outside the site when given here).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Write an offline copy of the site into DIR instead, to open from a USB stick or a
        /// laptop with no connection, with a zip of it (docs/offline.md).
        #[arg(long, value_name = "DIR", conflicts_with = "output")]
        offline: Option<PathBuf>,
        /// Write into an output folder that is not empty and that Haven did not make, replacing
        /// files at the paths the site writes. Files Haven did not write are never deleted.
        #[arg(long)]
        force: bool,
        /// Print a table of each page's words, reading time and reading level.
        #[arg(long)]
        stats: bool,
        /// Render every page's Markdown again, neither reading nor writing the build cache
        /// (.haven-cache/ in the site folder).
        #[arg(long)]
        no_cache: bool,
        /// Also print every handout to PDF files (A4 and US Letter) with Chromium, as
        /// `pdf = true` under [handouts] in haven.toml does (docs/handouts.md#pdf-files).
        #[arg(long, conflicts_with = "offline")]
        pdf: bool,
    },
    /// Check the site for errors without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// `text` for people, `json` for tools (a stable shape: docs/check.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also fetch every link to another site and warn about broken ones (uses the network).
        #[arg(long)]
        external: bool,
        /// Seconds to wait for each external link.
        #[arg(long, value_name = "SECS", default_value_t = 10, requires = "external",
              value_parser = clap::value_parser!(u64).range(1..=600))]
        external_timeout: u64,
        /// External links fetched at once.
        #[arg(long, value_name = "N", default_value_t = 8, requires = "external",
              value_parser = clap::value_parser!(u16).range(1..=64))]
        external_jobs: u16,
    },
    /// Build the site into memory, serve it, rebuild on every save and reload open pages.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on (an error if it is taken); without it, 1111 or the next free port.
        #[arg(long, short)]
        port: Option<u16>,
        /// Address to listen on. Anything but 127.0.0.1 or ::1 lets other machines read the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new site in DIR that builds as it is.
    New {
        /// Folder to create.
        dir: PathBuf,
    },
    /// Export the site's content for other tools (docs/export.md).
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Keep translations in step with their source pages (docs/translations.md).
    Translations {
        #[command(subcommand)]
        action: TranslationsAction,
    },
}

#[derive(Subcommand)]
enum ExportWhat {
    /// Every knowledge check and checklist, per language, for a learning platform (Moodle,
    /// Canvas, Blackboard...).
    Quizzes {
        #[command(flatten)]
        site: SiteArgs,
        /// `qti` (QTI 2.1 content package, .zip), `moodle` (Moodle XML) or `gift` (GIFT text).
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Folder to write into (created if missing); default `export/quizzes` in the site.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    Qti,
    Moodle,
    Gift,
}

#[derive(Subcommand)]
enum TranslationsAction {
    /// Record in each translation (or PAGE's) the version of the source it translates:
    /// writes `translation_of = "<hash>"` into its front matter.
    Stamp {
        #[command(flatten)]
        site: SiteArgs,
        /// A translation (content/a/b.es.md), or a source page to stamp all its translations.
        page: Option<PathBuf>,
    },
    /// List every translation: up to date, outdated or not stamped.
    Status {
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
struct SiteArgs {
    /// The site folder (holding haven.toml).
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Override base_url from haven.toml.
    #[arg(long)]
    base_url: Option<String>,
    /// Include pages marked draft = true.
    #[arg(long)]
    drafts: bool,
    /// Build for a clinic profile: `[clinics.NAME]` in haven.toml or clinics/NAME.toml.
    #[arg(long, value_name = "NAME")]
    clinic: Option<String>,
}

impl SiteArgs {
    fn options(self, output: Option<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: self.root,
            output,
            base_url: self.base_url,
            include_drafts: self.drafts,
            clinic: self.clinic,
            no_cache: false,
            force: false,
            offline: false,
            pdf: false,
        }
    }
}

fn main() -> ExitCode {
    alloc::configure();
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            site,
            output,
            offline,
            force,
            stats,
            no_cache,
            pdf,
        } => {
            let options = BuildOptions {
                no_cache,
                force,
                offline: offline.is_some(),
                pdf,
                ..site.options(offline.or(output))
            };
            match haven::build(&options) {
                Ok(summary) => {
                    report::print_all(&summary.warnings, &options.root);
                    if stats {
                        print_stats(&summary);
                    }
                    println!(
                        "Built {} pages and {} sections into {} in {} ms{}",
                        summary.pages,
                        summary.sections,
                        summary.output.display(),
                        summary.elapsed.as_millis(),
                        match (summary.reused, summary.kept) {
                            (0, 0) => String::new(),
                            (reused, kept) => format!(
                                " (the Markdown of {reused} unchanged pages reused; \
                                 {kept} pages and sections needed no new HTML)"
                            ),
                        }
                    );
                    if options.offline {
                        let dir = &summary.output;
                        println!(
                            "Offline copy: open {} in a browser; {} holds the same files to pass on",
                            dir.join(haven::offline::START_HERE).display(),
                            dir.join(haven::offline::ZIP_NAME).display()
                        );
                    }
                    if let Some(pdfs) = summary.pdfs {
                        println!(
                            "Handout PDFs: {} printed, {} unchanged and kept",
                            pdfs.printed, pdfs.kept
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(errors) => fail(&errors.0, &options.root),
            }
        }
        Command::Check {
            site,
            strict,
            format,
            external,
            external_timeout,
            external_jobs,
        } => {
            let options = site.options(None);
            let external = external.then(|| haven::external::Options {
                timeout: std::time::Duration::from_secs(external_timeout),
                jobs: usize::from(external_jobs),
            });
            let report = haven::check::check(&options, external.as_ref(), |external| {
                if format == Format::Text {
                    eprintln!(
                        "Checking links to other sites ({} at a time, {} s timeout)...",
                        external.jobs,
                        external.timeout.as_secs()
                    );
                }
            });
            if format == Format::Json {
                println!("{}", report.to_json());
            } else {
                report::print_all(&report.diagnostics, &options.root);
                println!("{}", report.summary_line());
            }
            if report.passed(strict) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => {
            let options = haven::serve::ServeOptions {
                build: site.options(None),
                port,
                bind,
                open,
            };
            let root = options.build.root.clone();
            let terminal = std::sync::Arc::new(Terminal { root: root.clone() });
            match haven::serve::run(options, terminal) {
                Ok(()) => ExitCode::SUCCESS,
                Err(errors) => fail(&errors.0, &root),
            }
        }
        Command::Translations { action } => translations(action),
        Command::Export {
            what:
                ExportWhat::Quizzes {
                    site,
                    format,
                    output,
                },
        } => export_quizzes(site, format, output),
        Command::New { dir } => match haven::scaffold::new_site(&dir) {
            Ok(()) => {
                println!(
                    "Created a new site in {}. Build it with: haven build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(d) => fail(&[d], &PathBuf::from(".")),
        },
    }
}

/// `haven translations stamp|status`.
fn translations(action: TranslationsAction) -> ExitCode {
    match action {
        TranslationsAction::Stamp { site, page } => {
            let options = site.options(None);
            match haven::translate::stamp(&options, page.as_deref()) {
                Ok(done) => {
                    for s in &done {
                        let what = if s.changed {
                            "stamped"
                        } else {
                            "already stamped"
                        };
                        println!("{what} {} ({})", s.file.display(), s.hash);
                    }
                    let changed = done.iter().filter(|s| s.changed).count();
                    println!(
                        "Stamped {changed} of {} translation{}",
                        done.len(),
                        plural(done.len())
                    );
                    ExitCode::SUCCESS
                }
                Err(errors) => fail(&errors.0, &options.root),
            }
        }
        TranslationsAction::Status { site } => {
            let options = site.options(None);
            match haven::translate::status(&options) {
                Ok(status) => {
                    use haven::translate::State;
                    let (list, missing) = (status.translations, status.untranslated);
                    for (file, source, state) in &list {
                        let state = match state {
                            State::UpToDate => "up to date",
                            State::Outdated => "outdated",
                            State::NotStamped => "not stamped",
                        };
                        println!("{state:<12} {} (of {})", file.display(), source.display());
                    }
                    let outdated = list.iter().filter(|l| l.2 == State::Outdated).count();
                    println!(
                        "{} translation{}, {outdated} outdated",
                        list.len(),
                        plural(list.len())
                    );
                    for (file, langs) in &missing {
                        println!("untranslated {} in {}", file.display(), langs.join(", "));
                    }
                    if !missing.is_empty() {
                        println!(
                            "{} page{} not translated into every language",
                            missing.len(),
                            plural(missing.len())
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(errors) => fail(&errors.0, &options.root),
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `haven build --stats`: the reading-level table (formatted by the library).
fn print_stats(summary: &haven::BuildSummary) {
    print!(
        "{}",
        haven::readability::table(&summary.stats, summary.max_grade)
    );
}

/// `haven serve` prints diagnostics as `build` does.
struct Terminal {
    root: PathBuf,
}

impl haven::serve::Report for Terminal {
    fn diagnostics(&self, diags: &[Diagnostic]) {
        report::print_all(diags, &self.root);
    }

    fn line(&self, text: &str) {
        println!("{text}");
    }
}

/// `haven export quizzes`: checks the site like a build, then writes the files and prints
/// what a format could not hold.
fn export_quizzes(site: SiteArgs, format: ExportFormat, output: Option<PathBuf>) -> ExitCode {
    let options = site.options(None);
    let built = match haven::pipeline::build_for_check(&options) {
        Ok(built) => built,
        Err(errors) => return fail(&errors.0, &options.root),
    };
    report::print_all(&built.warnings, &options.root);
    let format = match format {
        ExportFormat::Qti => haven::export::Format::Qti,
        ExportFormat::Moodle => haven::export::Format::Moodle,
        ExportFormat::Gift => haven::export::Format::Gift,
    };
    let quizzes = haven::export::quizzes(&built.site, &built.config);
    let export = haven::export::export(&quizzes, format, &built.config);
    let dir = output.unwrap_or_else(|| options.root.join("export").join("quizzes"));
    let mut errors = Vec::new();
    for (rel, bytes) in &export.files {
        let path = dir.join(rel);
        // Written beside, then renamed: a failed write never leaves half a file.
        let tmp = path.with_extension("haven-tmp");
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&tmp, bytes))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            errors.push(haven::diagnostic::io_error(&path, "write", &e));
        }
    }
    if !errors.is_empty() {
        report::print_all(&errors, &options.root);
        return ExitCode::FAILURE;
    }
    for note in &export.notes {
        println!("note: {note}");
    }
    println!(
        "Wrote {} file{} of {} for the site's {} quiz{} into {}{}",
        export.files.len(),
        plural(export.files.len()),
        format.name(),
        quizzes.len(),
        if quizzes.len() == 1 { "" } else { "zes" },
        dir.display(),
        match export.notes.len() {
            0 => String::new(),
            n => format!(" ({n} note{} above)", plural(n)),
        }
    );
    ExitCode::SUCCESS
}

fn fail(errors: &[Diagnostic], root: &std::path::Path) -> ExitCode {
    report::print_all(errors, root);
    let n = errors.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "Failed: {n} error{} (nothing was written)",
        if n == 1 { "" } else { "s" }
    );
    ExitCode::FAILURE
}

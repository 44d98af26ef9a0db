//! The `haven` command: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use haven::{BuildOptions, Diagnostic};

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
    },
    /// Create a new site in DIR that builds as it is.
    New {
        /// Folder to create.
        dir: PathBuf,
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
}

impl SiteArgs {
    fn options(self, output: Option<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: self.root,
            output,
            base_url: self.base_url,
            include_drafts: self.drafts,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { site, output } => {
            let options = site.options(output);
            match haven::build(&options) {
                Ok(summary) => {
                    report::print_all(&summary.warnings, &options.root);
                    println!(
                        "Built {} pages and {} sections into {} in {} ms",
                        summary.pages,
                        summary.sections,
                        summary.output.display(),
                        summary.elapsed.as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(errors) => fail(&errors.0, &options.root),
            }
        }
        Command::Check {
            site,
            strict,
            format,
        } => {
            let options = site.options(None);
            let (diags, pages) = match haven::pipeline::build_in_memory(&options) {
                Ok(built) => {
                    let mut diags = built.warnings;
                    diags.extend(haven::lint::lint(
                        &built.site,
                        &built.content,
                        &built.config,
                    ));
                    (diags, built.site.pages.len())
                }
                Err(errors) => (errors.0, 0),
            };
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            if format == Format::Json {
                println!("{}", haven::diagnostic::to_json(&diags));
            } else {
                report::print_all(&diags, &options.root);
                println!(
                    "Checked {pages} pages: {errors} error{}, {warnings} warning{}",
                    plural(errors),
                    plural(warnings)
                );
            }
            if errors > 0 || (strict && warnings > 0) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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

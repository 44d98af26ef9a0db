//! Example clinic details that must not reach patients: `haven check` finds them.
//!
//! The example site ships a made-up clinic (an `example.org` website, a phone made of zeros). A
//! clinic that copies the site and forgets one of them would print it on handouts. A site that
//! knowingly keeps sample details says `sample_details = true` in `haven.toml`: its handouts carry
//! a visible "Sample handout" banner and the findings here are notes, not warnings. Pure: it reads
//! the parsed config and the text of `haven.toml` (to locate each finding).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{ClinicConfig, Config};
use crate::diagnostic::{Diagnostic, Severity};
use crate::handout::profile::ClinicProfile;

/// A clinic profile in a file of its own (`clinics/NAME.toml`), with its text for locating.
pub struct ProfileFile {
    pub name: String,
    pub display: PathBuf,
    pub source: Arc<str>,
    pub profile: ClinicProfile,
}

/// Every placeholder value in `haven.toml` (`config`, its text `source` shown as `display`) and
/// in the clinic profile files.
pub fn check(
    config: &Config,
    source: &Arc<str>,
    display: &Path,
    profile_files: &[ProfileFile],
) -> Vec<Diagnostic> {
    let mut found: Vec<(Found, &Path, &Arc<str>)> = Vec::new();
    let mut in_config = Vec::new();
    if is_placeholder_url(&config.base_url) {
        in_config.push(("base_url".into(), config.base_url.clone(), QR));
    }
    if let Some(clinic) = &config.clinic {
        clinic_placeholders("[clinic]", clinic, &mut in_config);
    }
    for (name, profile) in &config.clinics {
        profile_placeholders(&format!("[clinics.{name}]"), profile, &mut in_config);
    }
    found.extend(in_config.into_iter().map(|f| (f, display, source)));
    for file in profile_files {
        let mut in_file = Vec::new();
        profile_placeholders(
            &format!("clinic profile {}:", file.name),
            &file.profile,
            &mut in_file,
        );
        found.extend(
            in_file
                .into_iter()
                .map(|f| (f, file.display.as_path(), &file.source)),
        );
    }
    let severity = if config.sample_details {
        Severity::Note
    } else {
        Severity::Warning
    };
    let mut out: Vec<Diagnostic> = found
        .into_iter()
        .map(|((key, value, consequence), display, source)| {
            let (start, end) = locate(source, &value);
            let mut d = Diagnostic::warning(format!(
                "{key} is a placeholder ({value}): {consequence}"
            ))
            .in_file(display)
            .at(source, start, end)
            .with_code("placeholder-details");
            d.severity = severity;
            if config.sample_details {
                d.with_help("sample_details = true: handouts say they are samples; replace this before giving them to patients")
            } else {
                d.with_help("replace it with your own details (docs/handouts.md), or set sample_details = true in haven.toml while the site is only an example")
            }
        })
        .collect();
    if config.sample_details && out.is_empty() {
        let at = source.find("sample_details").unwrap_or(0);
        out.push(
            Diagnostic::warning(
                "sample_details = true, but no placeholder details are left: handouts still say they are samples",
            )
            .in_file(display)
            .at(source, at, at + "sample_details".len())
            .with_code("placeholder-details")
            .with_help("remove sample_details from haven.toml so handouts no longer carry the sample banner"),
        );
    }
    out
}

fn profile_placeholders(table: &str, profile: &ClinicProfile, found: &mut Vec<Found>) {
    if let Some(url) = profile
        .base_url
        .as_deref()
        .filter(|u| is_placeholder_url(u))
    {
        found.push((format!("{table} base_url"), url.to_string(), QR));
    }
    if let Some(clinic) = &profile.clinic {
        let table = match table.strip_suffix(']') {
            Some(t) => format!("{t}.clinic]"),
            None => format!("{table} [clinic]"),
        };
        clinic_placeholders(&table, clinic, found);
    }
}

/// A setting's name, its value, and what a reader holding a printed handout would meet.
type Found = (String, String, &'static str);

const QR: &str =
    "the handouts' QR codes and links would lead readers to a site that does not exist";
const WEBSITE: &str = "readers would be sent to a website that does not exist";
const PHONE: &str = "readers who need help would call a number that does not exist";
const EMAIL: &str = "readers would write to an address no one reads";

fn clinic_placeholders(table: &str, clinic: &ClinicConfig, found: &mut Vec<Found>) {
    if let Some(url) = clinic.website.as_deref().filter(|u| is_placeholder_url(u)) {
        found.push((format!("{table} website"), url.to_string(), WEBSITE));
    }
    if let Some(phone) = clinic.phone.as_deref().filter(|p| is_placeholder_phone(p)) {
        found.push((format!("{table} phone"), phone.to_string(), PHONE));
    }
    if let Some(email) = clinic.email.as_deref() {
        let domain = email.rsplit('@').next().unwrap_or("");
        if is_placeholder_host(domain) {
            found.push((format!("{table} email"), email.to_string(), EMAIL));
        }
    }
}

/// The span of `value` as written in `haven.toml` (the first quoted occurrence), else the start.
fn locate(source: &str, value: &str) -> (usize, usize) {
    let quoted = format!("\"{value}\"");
    if let Some(at) = source.find(&quoted) {
        return (at, at + quoted.len());
    }
    // base_url gains a trailing slash when parsed.
    let bare = value.trim_end_matches('/');
    match source.find(bare) {
        Some(at) if !bare.is_empty() => (at, at + bare.len()),
        _ => (0, 0),
    }
}

/// A URL on a domain reserved for examples (RFC 2606 and RFC 6761): `example.com`, `.org`,
/// `.net` and any name under them, and the `.example`, `.test` and `.invalid` top-level names.
pub fn is_placeholder_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    is_placeholder_host(host)
}

fn is_placeholder_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    if n >= 1 && matches!(labels[n - 1], "example" | "test" | "invalid") {
        return true;
    }
    n >= 2 && labels[n - 2] == "example" && matches!(labels[n - 1], "com" | "org" | "net")
}

/// A phone number made of zeros: no more than one digit that is not 0 (`0100 000 0000`).
pub fn is_placeholder_phone(phone: &str) -> bool {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    !digits.is_empty() && digits.iter().filter(|&&d| d != '0').count() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_example_domains_are_placeholders() {
        for url in [
            "https://example.org/",
            "https://haven-guide.example.org/",
            "http://clinic.example.com/x?y",
            "https://user@www.example.net:8080/",
            "https://guide.example/",
            "https://a.test",
            "https://EXAMPLE.ORG./",
        ] {
            assert!(is_placeholder_url(url), "{url}");
        }
        for url in [
            "https://www.nhs.uk/",
            "https://examples.org/",
            "https://example.org.uk/",
            "https://myexample.com/",
            "https://example.com.evil.net/",
        ] {
            assert!(!is_placeholder_url(url), "{url}");
        }
    }

    #[test]
    fn phones_made_of_zeros_are_placeholders() {
        assert!(is_placeholder_phone("0100 000 0000"));
        assert!(is_placeholder_phone("000"));
        assert!(is_placeholder_phone("+0 (000) 000-0000"));
        assert!(!is_placeholder_phone("0100 000 1111"));
        assert!(!is_placeholder_phone("020 7946 0000"));
        assert!(!is_placeholder_phone("no phone"));
    }
}

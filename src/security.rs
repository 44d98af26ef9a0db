//! The HTTP security headers a published site should be served with, in one place: the build
//! writes them to `_headers` (Netlify, Cloudflare Pages), `haven serve` sends them, and
//! docs/deploy.md shows them for nginx and Apache.
//!
//! The themes' `<meta http-equiv="Content-Security-Policy">` carries [`CONTENT_SECURITY_POLICY`]
//! so that hosts that cannot set headers (GitHub Pages) still get it; a header can also forbid
//! framing (`frame-ancestors`), which a `<meta>` policy cannot.

use crate::output::OutputFile;

/// The policy of the built-in themes' `<meta>` tag, word for word (a unit test holds them equal).
macro_rules! meta_policy {
    () => {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
    };
}

/// The Content-Security-Policy in the pages' `<meta>` tag.
pub const CONTENT_SECURITY_POLICY: &str = meta_policy!();

/// The same policy as a header, plus what only a header can say: no other site may frame the
/// pages (clickjacking).
pub const CONTENT_SECURITY_POLICY_HEADER: &str =
    concat!(meta_policy!(), "; frame-ancestors 'none'");

/// Powerful features the site never uses, denied to it and to anything injected into it.
/// (`fullscreen` is left alone: a video's own fullscreen button needs it.)
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=()";

/// Every header, in the order they are written.
pub const HEADERS: [(&str, &str); 4] = [
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY_HEADER),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
];

/// The name of the headers file Netlify and Cloudflare Pages read (and do not publish).
pub const HEADERS_FILE: &str = "_headers";

/// `_headers`: every path gets [`HEADERS`].
pub fn headers_file() -> OutputFile {
    let mut text = String::from(
        "# Security headers for every page, written by haven build (Netlify and Cloudflare Pages\n\
         # read this file; for other hosts see docs/deploy.md).\n/*\n",
    );
    for (name, value) in HEADERS {
        text.push_str(&format!("  {name}: {value}\n"));
    }
    OutputFile::bytes(HEADERS_FILE, text.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_themes_carry_the_same_policy_in_their_meta_tag() {
        let tag = format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">"
        );
        for theme in [
            include_str!("../themes/guide/templates/base.html"),
            include_str!("../themes/clinic/templates/base.html"),
        ] {
            assert!(theme.contains(&tag), "a theme's CSP differs from {tag}");
        }
    }

    #[test]
    fn the_deploy_guide_shows_the_same_headers() {
        let guide = include_str!("../docs/deploy.md");
        for (name, value) in HEADERS {
            assert!(
                guide.contains(&format!("add_header {name} \"{value}\" always;")),
                "nginx: {name}"
            );
            assert!(
                guide.contains(&format!("Header always set {name} \"{value}\"")),
                "Apache: {name}"
            );
        }
    }
}

//! The QR code printed on a handout: the article's canonical address, drawn at build time as an
//! inline SVG (no web service, nothing fetched). It only ever holds the page's public URL, never
//! anything about a reader or a patient.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// Quiet zone around the code, in modules: the standard asks for 4, and scanners need it.
pub const QUIET_ZONE: u32 = 4;

/// An SVG of `url` as a QR code, error correction M (15%: survives a crease or a smudge), with a
/// quiet zone of [`QUIET_ZONE`] modules. It has a `viewBox` in modules and no fixed size: the
/// stylesheet sets its printed size (3 cm or more, so phone cameras read it at arm's length).
pub fn svg(url: &str, label: &str) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| format!("the address is too long for a QR code ({e})"))?;
    let image = code
        .render::<svg::Color>()
        .quiet_zone(true)
        .module_dimensions(1, 1)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .build();
    // The renderer writes an XML declaration (not allowed inside HTML) and a fixed size.
    let start = image.find("<svg").ok_or("the QR renderer wrote no <svg>")?;
    let image = &image[start..];
    let modules = code.width() as u32 + 2 * QUIET_ZONE;
    let fixed = format!(r#" width="{modules}" height="{modules}""#);
    let image = image.replacen(&fixed, "", 1).replacen(
        "<svg ",
        &format!(
            r#"<svg class="handout-qr-code" role="img" aria-label="{}" "#,
            crate::html::escape(label)
        ),
        1,
    );
    Ok(image)
}

/// The number of modules across the code, quiet zone included (for tests and the docs).
pub fn modules(url: &str) -> Option<u32> {
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .ok()
        .map(|c| c.width() as u32 + 2 * QUIET_ZONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_is_inline_sized_by_css_and_labelled() {
        let s = svg("https://example.org/a/", "QR code: https://example.org/a/").unwrap();
        assert!(
            s.starts_with("<svg class=\"handout-qr-code\" role=\"img\""),
            "{s}"
        );
        assert!(!s.contains("<?xml"));
        let open_tag = &s[..s.find('>').unwrap()];
        assert!(!open_tag.contains("width="), "{open_tag}");
        let m = modules("https://example.org/a/").unwrap();
        assert!(s.contains(&format!("viewBox=\"0 0 {m} {m}\"")), "{s}");
        // Version 2 (25 modules) plus 4 on each side.
        assert_eq!(m, 25 + 8);
    }

    #[test]
    fn label_is_escaped() {
        let s = svg("https://e.org/?a=1&b=2", "x \"<y>\"").unwrap();
        assert!(s.contains("aria-label=\"x &quot;&lt;y&gt;&quot;\""));
    }
}

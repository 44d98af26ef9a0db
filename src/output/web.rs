//! Output paths as a web server sees them: a request path to the file in the output that
//! answers it, and a file's media type. `haven serve` and the PDF printer's loopback server
//! (`handout::pdf`) both answer from the output with these.

#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    BadRequest,
    OutsideSite,
}

/// The file a request path names inside the output: `/` -> `index.html`, `/a/` ->
/// `a/index.html`, `/a/b.css` -> `a/b.css`. Anything that could leave the output is refused.
pub fn resolve(raw: &str) -> Result<String, Refused> {
    if !raw.starts_with('/') {
        return Err(Refused::BadRequest);
    }
    let lower = raw.to_ascii_lowercase();
    // Encoded separators and NUL have no business in a site's URLs.
    if raw.contains('\\') || ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Err(Refused::OutsideSite);
    }
    let decoded = percent_decode(raw).ok_or(Refused::BadRequest)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return Err(Refused::OutsideSite);
    }
    // Checked before and after decoding, so `%2e%2e` is caught as well as `..`.
    for text in [raw, decoded.as_str()] {
        if text.split('/').any(|seg| seg == ".." || seg == ".") {
            return Err(Refused::OutsideSite);
        }
    }
    let rel = &decoded[1..];
    if rel.contains("//") || rel.starts_with('/') {
        return Err(Refused::BadRequest);
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if !crate::output::is_safe_relative(&key) {
        return Err(Refused::OutsideSite);
    }
    Ok(key)
}

/// `%XX` decoding; `None` for a malformed escape or text that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            // Hex digits only: `from_str_radix` alone would take a sign (`%+1`).
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn mime_of(path: &str) -> &'static str {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "vcf" => "text/vcard; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "vtt" => "text/vtt; charset=utf-8",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

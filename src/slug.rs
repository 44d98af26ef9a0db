//! URL segments made from names people typed: file names, tags, headings.
//!
//! A name with no letters or digits (`💬.md`, the tag `🙂`) still needs a URL, so it gets a
//! stable fallback made from a hash of the name. The fallback holds `_`, which [`slugify`] never
//! writes, so it can never equal the slug of another name.

/// The longest slug, in bytes, Haven writes as a folder name: file systems allow 255 bytes a
/// name, and a URL segment this long is already hard to read.
pub const MAX_SLUG_BYTES: usize = 100;

/// Lower-case words joined by hyphens; letters of any script are kept.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "partner's" -> "partners"
        } else {
            pending_dash = true;
        }
    }
    out
}

/// [`slugify`], or when that is empty, `{kind}_` and a hash of the trimmed name in hex: the same
/// name gives the same slug on every build and every machine.
pub fn slug_or_fallback(text: &str, kind: &str) -> String {
    let slug = slugify(text);
    if !slug.is_empty() {
        return slug;
    }
    format!("{kind}_{:016x}", fnv1a(text.trim().as_bytes()))
}

/// 64-bit FNV-1a: tiny, and fixed by its definition (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_without_letters_get_distinct_stable_fallbacks() {
        let smile = slug_or_fallback("🙂", "tag");
        assert_eq!(smile, slug_or_fallback(" 🙂 ", "tag"));
        assert_eq!(smile, "tag_ff026b387504e24b");
        assert_ne!(smile, slug_or_fallback("💬", "tag"));
        assert_eq!(slug_or_fallback("Safer sex", "tag"), "safer-sex");
        assert!(!slugify(&smile).contains('_'));
    }
}

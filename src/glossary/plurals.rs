//! The plural forms of a glossary term that also match it, by the rules of its language.

/// The plural forms matched besides a name, by the rules of its language (`en` and `es`; no
/// automatic plurals in other languages: list them in `also`).
///
/// English: `-s`; `-es` after s/x/z/ch/sh; `-ies` after a consonant and `y`. In a phrase, the
/// last word takes the plural. Spanish: `-s` after a vowel, `-es` after a consonant (`-z`
/// becomes `-ces`, `-ión` becomes `-iones`), on a single word; a phrase's plural goes in `also`
/// (`líneas de crisis`), since its first word usually takes it.
pub fn plurals(name: &str, lang: &str) -> Vec<String> {
    match lang.split(['-', '_']).next().unwrap_or(lang) {
        "en" => english_plurals(name),
        "es" => spanish_plurals(name),
        _ => Vec::new(),
    }
}

fn english_plurals(name: &str) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut out = Vec::new();
    if lower.ends_with(['s', 'x', 'z']) || lower.ends_with("ch") || lower.ends_with("sh") {
        out.push(format!("{name}es"));
    } else if lower.ends_with('y') && !lower[..lower.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        out.push(format!("{}ies", &name[..name.len() - 1]));
        out.push(format!("{name}s"));
    } else {
        out.push(format!("{name}s"));
    }
    out
}

fn spanish_plurals(name: &str) -> Vec<String> {
    if name.contains(' ') {
        return Vec::new();
    }
    let lower = name.to_lowercase();
    let Some(last) = lower.chars().last() else {
        return Vec::new();
    };
    if "aeiouáéó".contains(last) {
        vec![format!("{name}s")]
    } else if let Some(stem) = name.strip_suffix('z') {
        vec![format!("{stem}ces")]
    } else if let Some(stem) = name.strip_suffix("ión") {
        vec![format!("{stem}iones")]
    } else if "lnrdjy".contains(last) {
        vec![format!("{name}es")]
    } else if last.is_alphabetic() && !"sx".contains(last) {
        // Words taken from English keep their `-s`: `flashbacks`, `kinks`.
        vec![format!("{name}s")]
    } else {
        Vec::new()
    }
}

//! The small pieces of the quiz syntax, one line at a time: list items, numbered steps,
//! checkboxes, `[label]`s, count ranges, `key: value`, `{#id}`, `{weights}`; and the ids and
//! suggestions made from them.

use super::types::MAX_WEIGHT;

/// `- item`, `* item`, `+ item` -> `item`.
pub(super) fn list_item(line: &str) -> Option<&str> {
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(m) {
            return Some(rest);
        }
    }
    if matches!(line, "-" | "*" | "+") {
        return Some("");
    }
    None
}

/// `2. step` / `2) step` -> (2, "step").
pub(super) fn numbered_item(line: &str) -> Option<(usize, &str)> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = line[digits..]
        .strip_prefix(". ")
        .or_else(|| line[digits..].strip_prefix(") "))?;
    Some((line[..digits].parse().ok()?, rest))
}

/// `[x] text` / `[ ] text` -> (right, text).
pub(super) fn checkbox(item: &str) -> Option<(bool, &str)> {
    let rest = item.strip_prefix('[')?;
    let (mark, text) = rest.split_once(']')?;
    match mark {
        "x" | "X" => Some((true, text)),
        " " | "" => Some((false, text)),
        _ => None,
    }
}

/// `[label] rest` at the start of a line.
pub(super) fn bracket(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('[')?;
    let (label, rest) = rest.split_once(']')?;
    // `[text](url)` is a link, not a band or category.
    if rest.starts_with('(') {
        return None;
    }
    Some((label, rest))
}

/// A band label: `0-1`, `4-`, `3` (en dashes too). None when it is not numeric at all.
pub(super) fn parse_range(label: &str) -> Option<Result<(usize, Option<usize>), String>> {
    let label = label.trim().replace(['\u{2013}', '\u{2014}'], "-");
    if label.is_empty()
        || !label
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ' || c == '+')
    {
        return None;
    }
    let label = label.replace(' ', "");
    let parsed = if let Some(min) = label.strip_suffix('+') {
        min.parse().ok().map(|m| (m, None))
    } else if let Some((a, b)) = label.split_once('-') {
        match (a.parse::<usize>(), b) {
            (Ok(a), "") => Some((a, None)),
            (Ok(a), b) => b.parse().ok().map(|b| (a, Some(b))),
            _ => None,
        }
    } else {
        label.parse().ok().map(|m| (m, Some(m)))
    };
    Some(match parsed {
        None => Err(format!("`[{label}]` is not a band")),
        Some((a, Some(b))) if b < a => {
            Err(format!("this band runs backwards: {a} is more than {b}"))
        }
        Some(r) => Ok(r),
    })
}

/// `key: value` with a simple key.
pub(super) fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    if key.is_empty()
        || key.len() > 30
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    Some((key, value.trim()))
}

/// `Question text {#id}` -> (text, id).
pub(super) fn split_heading_id(text: &str) -> (&str, Option<String>) {
    if let Some(open) = text.rfind("{#")
        && text.ends_with('}')
    {
        return (
            text[..open].trim_end(),
            Some(text[open + 2..text.len() - 1].trim().to_string()),
        );
    }
    (text, None)
}

/// `Option text {a: 2, b}` -> ("Option text", "a: 2, b").
pub fn split_weights(text: &str) -> Option<(&str, &str)> {
    let t = text.trim_end();
    if !t.ends_with('}') {
        return None;
    }
    let open = t.rfind('{')?;
    Some((t[..open].trim_end(), &t[open + 1..t.len() - 1]))
}

pub(super) fn parse_weights(spec: &str) -> Result<Vec<(String, u32)>, String> {
    let mut out: Vec<(String, u32)> = Vec::new();
    if spec.trim().is_empty() {
        return Err("`{}` names no category".to_string());
    }
    for part in spec.split(',') {
        let part = part.trim();
        let (name, weight) = match part.split_once(':') {
            Some((n, w)) => {
                let w = w.trim();
                match w.parse::<u32>() {
                    Ok(v) if (1..=MAX_WEIGHT).contains(&v) => (n.trim(), v),
                    _ => return Err(format!("`{w}` is not a weight")),
                }
            }
            None => (part, 1),
        };
        if name.is_empty() {
            return Err("a weight without a category".to_string());
        }
        if out.iter().any(|(c, _)| c == name) {
            return Err(format!(
                "the category `{name}` is named twice in this option"
            ));
        }
        out.push((name.to_string(), weight));
    }
    Ok(out)
}

/// Lower-case letters, digits, `-` and `_`, starting with a letter or digit.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A slug of the title's text (without Markdown marks).
pub(super) fn plain_slug(text: &str) -> String {
    crate::slug::slugify(&text.replace(['*', '_', '`'], ""))
}

pub(super) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (*c, strsim::jaro_winkler(word, c)))
        .filter(|(_, s)| *s > 0.75)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

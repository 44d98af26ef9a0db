//! Syllables of a word: Liang hyphenation patterns for English and Spanish (as textstat
//! through pyphen), spoken vowel groups for French; remembered per thread.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{primary, remove_punctuation};

/// Liang hyphenation patterns (the `hyph_*.dic` format of LibreOffice and pyphen).
struct Patterns {
    map: HashMap<String, (usize, Vec<u8>)>,
    max_len: usize,
}

impl Patterns {
    fn parse(dic: &str) -> Patterns {
        let mut map = HashMap::new();
        let mut max_len = 0;
        for line in dic.lines().skip(1) {
            let line = line.trim();
            if line.is_empty()
                || [
                    "%",
                    "#",
                    "LEFTHYPHENMIN",
                    "RIGHTHYPHENMIN",
                    "COMPOUNDLEFTHYPHENMIN",
                    "COMPOUNDRIGHTHYPHENMIN",
                ]
                .iter()
                .any(|p| line.starts_with(p))
            {
                continue;
            }
            // Nonstandard hyphenation (`pattern/change,index,cut`): only the points matter here.
            let pattern = match line.split_once('/') {
                Some((p, _)) if line.contains('=') => p,
                _ => line,
            };
            let mut tags = String::new();
            let mut values = vec![0u8];
            for c in pattern.chars() {
                if let Some(d) = c.to_digit(10) {
                    *values.last_mut().expect("values is never empty") = d as u8;
                } else {
                    tags.push(c);
                    values.push(0);
                }
            }
            let Some(start) = values.iter().position(|&v| v != 0) else {
                continue;
            };
            let end = values
                .iter()
                .rposition(|&v| v != 0)
                .expect("a nonzero value exists")
                + 1;
            max_len = max_len.max(tags.chars().count());
            map.insert(tags, (start, values[start..end].to_vec()));
        }
        Patterns { map, max_len }
    }

    /// Hyphenation points of a lowercase word (character positions), before the margins.
    fn points(&self, word: &str) -> Vec<usize> {
        let pointed = format!(".{word}.");
        let offsets: Vec<usize> = pointed
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(pointed.len()))
            .collect();
        let n = offsets.len() - 1;
        let mut refs = vec![0u8; n + 1];
        for i in 0..n.saturating_sub(1) {
            let stop = (i + self.max_len).min(n);
            for j in i + 1..=stop {
                if let Some((offset, values)) = self.map.get(&pointed[offsets[i]..offsets[j]]) {
                    for (k, &v) in values.iter().enumerate() {
                        if let Some(r) = refs.get_mut(i + offset + k) {
                            *r = (*r).max(v);
                        }
                    }
                }
            }
        }
        refs.iter()
            .enumerate()
            .filter(|(_, r)| *r % 2 == 1)
            .map(|(i, _)| i.saturating_sub(1))
            .collect()
    }
}

fn patterns(lang: &str) -> &'static Patterns {
    static EN: OnceLock<Patterns> = OnceLock::new();
    static ES: OnceLock<Patterns> = OnceLock::new();
    if primary(lang) == "es" {
        ES.get_or_init(|| Patterns::parse(include_str!("hyph_es.dic")))
    } else {
        EN.get_or_init(|| Patterns::parse(include_str!("hyph_en_US.dic")))
    }
}

/// Syllables of one word, as textstat counts them: hyphenation points (at least two letters from
/// either end) plus one.
pub fn syllables(word: &str, lang: &str) -> usize {
    let word = remove_punctuation(&word.to_lowercase());
    if word.trim().is_empty() {
        return 0;
    }
    let p = patterns(lang);
    word.split_whitespace()
        .map(|w| {
            let len = w.chars().count();
            p.points(w)
                .into_iter()
                .filter(|&i| i >= 2 && i + 2 <= len)
                .count()
                + 1
        })
        .sum()
}

/// What [`count`] needs of one whitespace-separated token: its syllables and whether it has
/// more than six letters.
#[derive(Clone, Copy)]
pub(super) struct TokenCounts {
    pub(super) syllables: usize,
    pub(super) long: bool,
}

/// [`TokenCounts`] of `token`, remembered per thread across pages: a site repeats most of its
/// words, and the pattern matching is the costliest part of measuring a page.
pub(super) fn cached_token_counts(token: &str, lang: &str) -> TokenCounts {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        // English-pattern, Spanish-pattern and French counts.
        static KNOWN: RefCell<[HashMap<String, TokenCounts>; 3]> = RefCell::new(Default::default());
    }
    let table = match primary(lang) {
        "es" => 1,
        "fr" => 2,
        _ => 0,
    };
    KNOWN.with(|known| {
        if let Some(&n) = known.borrow()[table].get(token) {
            return n;
        }
        let syllables = if table == 2 {
            french_syllables(token)
        } else {
            syllables(token, lang)
        };
        // Letters, not the vowel marks written over or under them (Arabic harakat, Hebrew
        // points, combining accents), which `is_alphabetic` counts too.
        let letters = token
            .chars()
            .filter(|&c| c.is_alphabetic() && !unicode_normalization::char::is_combining_mark(c))
            .count();
        let n = TokenCounts {
            syllables,
            long: letters > 6,
        };
        known.borrow_mut()[table].insert(token.to_string(), n);
        n
    })
}

fn is_french_vowel(c: char) -> bool {
    "aeiouyàâäéèêëîïôöùûüÿæœ".contains(c)
}

/// Syllables of one French word by counting its spoken vowel groups (French has no hyphenation
/// patterns here, and Liang patterns split for print, not speech). Rules, in order:
/// - a run of vowel letters is one group (`eau`, `oui`, `ai`), and `io`/`ie` after a consonant
///   are one (`nation`, `vie`), as in everyday speech;
/// - `u` after `q` or `g` before a vowel is silent (`quelque`, `guerre`), and `y` between two
///   vowels is a consonant (`crayon`);
/// - a diaeresis (`ï`, `ë`, `ü`), a vowel after `é` (other than `e`) and `é` after a vowel other
///   than `i`/`y` start a new group (`naïf`, `Noël`, `réaction`, `tué`; but `pitié`);
/// - a final `e` or `es` after a consonant is silent (`femme`, `tables`) unless it is the only
///   group (`le`, `que`).
///
/// Limits (see `docs/reading-level.md`): the verb ending `-ent` counts as a syllable
/// (`parlent` is 2, spoken 1), `ay` before a consonant or the end is one (`pays` is 1, spoken 2),
/// and loanwords follow French spelling rules.
pub fn french_syllables(word: &str) -> usize {
    let w: Vec<char> = remove_punctuation(&word.to_lowercase())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if w.is_empty() {
        return 0;
    }
    let n = w.len();
    let sounds_vowel: Vec<bool> = (0..n)
        .map(|i| {
            let c = w[i];
            let next_vowel = i + 1 < n && is_french_vowel(w[i + 1]);
            let prev_vowel = i > 0 && is_french_vowel(w[i - 1]);
            is_french_vowel(c)
                && !(c == 'u' && i > 0 && matches!(w[i - 1], 'q' | 'g') && next_vowel)
                && !(c == 'y' && prev_vowel && next_vowel)
        })
        .collect();
    let mut groups = 0;
    let mut last_group_start = 0;
    for i in 0..n {
        if !sounds_vowel[i] {
            continue;
        }
        let joins_previous = i > 0 && sounds_vowel[i - 1] && {
            let hiatus = matches!(w[i], 'ï' | 'ë' | 'ü')
                || (w[i - 1] == 'é' && w[i] != 'e')
                || (w[i] == 'é' && !matches!(w[i - 1], 'i' | 'y'));
            !hiatus
        };
        if !joins_previous {
            groups += 1;
            last_group_start = i;
        }
    }
    // A silent final `e` / `es`: the last group is that lone `e`, after a consonant sound.
    let final_e = match w[n - 1] {
        'e' => Some(n - 1),
        's' if n >= 2 && w[n - 2] == 'e' => Some(n - 2),
        _ => None,
    };
    if let Some(e) = final_e
        && groups > 1
        && last_group_start == e
        && e > 0
        && !sounds_vowel[e - 1]
    {
        groups -= 1;
    }
    groups.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_follow_the_hyphenation_patterns() {
        assert_eq!(syllables("aftercare", "en"), 3);
        assert_eq!(syllables("Dysphoria,", "en"), 3);
        assert_eq!(syllables("the", "en"), 1);
        assert_eq!(syllables("—", "en"), 0);
        assert_eq!(syllables("cuidados", "es"), 3);
        assert_eq!(syllables("después", "es"), 2);
    }

    #[test]
    fn french_syllables_are_spoken_vowel_groups() {
        for (word, n) in [
            ("le", 1),
            ("que", 1),
            ("quelque", 1),
            ("guerre", 1),
            ("femmes", 1),
            ("tables", 1),
            ("beaucoup", 2),
            ("année", 2),
            ("aujourd'hui", 3),
            ("émotions", 3),
            ("réaction", 3),
            ("tué", 2),
            ("naïf", 2),
            ("Noël", 2),
            ("crayon", 2),
            ("dysphorie", 3),
            ("post-coïtale", 4),
            ("2026", 1),
            ("—", 0),
        ] {
            assert_eq!(french_syllables(word), n, "{word}");
        }
        // The documented limits: verb `-ent` and `ay` before a consonant.
        assert_eq!(french_syllables("parlent"), 2);
        assert_eq!(french_syllables("pays"), 1);
    }
}

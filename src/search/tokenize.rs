//! Words for the search index: split, folded (case and accents, see [`fold`]) and stemmed with
//! the Snowball stemmer of the page's language (every language rust-stemmers has), so
//! `disfórica`, `disforica` and `Disforia` meet.
//!
//! The browser does no stemming: the index maps each word form seen in the text to its stem, and
//! the client folds what the reader types with the same [`fold`], written a second time in the
//! themes' `static/search.js` (`fold`). Both are checked against one file of examples,
//! `tests/search/fold-vectors.json` (here by `fold_vectors_hold`, in the browser by
//! `tests/browser/search-fold.test.js`). Change one, change the other and the file.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A word as indexed: its folded surface form and its folded stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub form: String,
    pub stem: String,
}

/// Splits, folds and stems text for one language.
pub struct Tokenizer {
    stemmer: Option<Stemmer>,
    stopwords: &'static [&'static str],
}

/// The Snowball stemmer for a language (its primary subtag: `pt` for `pt-BR`), when
/// rust-stemmers has one. Other languages are folded and matched by prefix, not stemmed.
pub fn stemmer_for(lang: &str) -> Option<Algorithm> {
    let base = lang.split(['-', '_']).next().unwrap_or(lang);
    Some(match base.to_ascii_lowercase().as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        // Norwegian: the macrolanguage, Bokmål and Nynorsk share the one Snowball stemmer.
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

impl Tokenizer {
    pub fn new(lang: &str) -> Self {
        let base = lang.split(['-', '_']).next().unwrap_or(lang);
        // rust-stemmers ships no stop word lists: English and Spanish have our short ones, the
        // other languages none (their common words are indexed; they only make bigger shards).
        let stopwords = match base.to_ascii_lowercase().as_str() {
            "en" => EN_STOPWORDS,
            "es" => ES_STOPWORDS,
            _ => &[][..],
        };
        Tokenizer {
            stemmer: stemmer_for(lang).map(Stemmer::create),
            stopwords,
        }
    }

    pub fn stopwords(&self) -> &'static [&'static str] {
        self.stopwords
    }

    /// Every indexable word of `text`, in order (stop words and one-letter words left out).
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        self.each_token(text, &mut Cache::new(), |t| tokens.push(t.clone()));
        tokens
    }

    /// Calls `f` with every indexable word of `text`, in order, without copying it: the
    /// indexer sees millions of words and keeps only the first use of each in a page. `cache`
    /// remembers each word's tokens, since stemming is most of the indexing time and a text
    /// repeats its words.
    pub fn each_token(&self, text: &str, cache: &mut Cache, mut f: impl FnMut(&Token)) {
        for w in words(text) {
            self.word_tokens_cached(w, cache, &mut f);
        }
    }

    /// Calls `f` with the tokens of `w`, one word of a text ([`words`]), from `cache` when it
    /// was met before.
    pub fn word_tokens_cached(&self, w: &str, cache: &mut Cache, mut f: impl FnMut(&Token)) {
        if let Some(known) = cache.get(w) {
            known.iter().for_each(&mut f);
            return;
        }
        let tokens = self.word_tokens(w);
        tokens.iter().for_each(&mut f);
        cache.insert(w.to_string(), tokens);
    }

    /// The tokens of one word of the text: one, or none for a stop word or a one-letter word,
    /// or several when folding splits it (`½` folds to `1⁄2`, two numbers), as the browser,
    /// which folds the query before splitting it, would see it.
    fn word_tokens(&self, w: &str) -> Vec<Token> {
        let folded = fold(w);
        let mut pieces = words(&folded);
        match (pieces.next(), pieces.next()) {
            (Some(only), None) if only.len() == folded.len() => {
                // The stemmer sees the word with its accents (French and Portuguese rules
                // depend on them), composed and lower-cased.
                let stem = self.stemmer.as_ref().map(|s| {
                    let lower = w.to_lowercase();
                    let lower = match is_nfc_quick(lower.chars()) {
                        IsNormalized::Yes => lower,
                        _ => lower.nfc().collect(),
                    };
                    fold(&s.stem(&lower))
                });
                self.token(folded.clone(), stem).into_iter().collect()
            }
            _ => words(&folded)
                .filter_map(|piece| {
                    let stem = self.stemmer.as_ref().map(|s| fold(&s.stem(piece)));
                    self.token(piece.to_string(), stem)
                })
                .collect(),
        }
    }

    fn token(&self, form: String, stem: Option<String>) -> Option<Token> {
        if form.chars().count() < 2 || self.stopwords.contains(&form.as_str()) {
            return None;
        }
        let stem = stem
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| form.clone());
        Some(Token { form, stem })
    }
}

/// Words already tokenized, as written in the text, with their tokens.
pub type Cache = std::collections::HashMap<String, Vec<Token>>;

/// Runs of letters, digits and combining marks: what `search.js` matches with
/// `/[\p{L}\p{N}\p{M}]+/u`.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// Text as search compares it, the same here and in the browser (`fold` in `search.js`):
///
/// 1. Unicode compatibility decomposition (NFKD): accented letters become letter + mark
///    (`é` → `e` + ◌́, `й` → `и` + ◌̆, `ș` → `s` + ◌̦, `أ` → `ا` + hamza above), ligatures and
///    presentation forms become plain letters (`ﬁ` → `fi`, `ﻻ` → `لا`), full-width and
///    superscript letters and digits become plain ones.
/// 2. The marks readers leave out are removed ([`is_search_mark`]): Latin, Greek and Cyrillic
///    accents (so Vietnamese tones and vowel marks, Romanian comma-below, Cyrillic `й` → `и` and
///    `ё` → `е`, as Russian readers type them), Hebrew points and Arabic harakat, shadda, sukun,
///    hamza above and below and madda (so `أ إ آ` → `ا`, `ؤ` → `و`, `ئ` → `ي`), and the Arabic
///    tatweel (a stretching stroke). Marks that are part of the spelling (Devanagari, Tamil,
///    Thai vowel signs, Japanese voicing marks) are kept.
/// 3. Lower case (Unicode's default mapping).
/// 4. Letters decomposition leaves alone, folded as search engines commonly do: `ß` → `ss`,
///    `æ` → `ae`, `œ` → `oe`, `ø` → `o`, `đ` and `ð` → `d` (Vietnamese `đ` is typed `d`),
///    `ł` → `l`, `þ` → `th`, `ħ` → `h`, `ŧ` → `t`, Turkish dotless `ı` → `i` (and dotted `İ`
///    → `i` by steps 1 to 3), Greek final `ς` → `σ`; Arabic alef wasla `ٱ` → `ا`, alef
///    maqsura `ى` → `ي`, ta marbuta `ة` → `ه` (as Lucene's Arabic normaliser), Persian yeh
///    `ی` → `ي` and keheh `ک` → `ك`, Arabic-Indic and Persian digits → `0`–`9`.
/// 5. Composition (NFC) of what is left, so kept marks are not left apart (Hangul syllables,
///    Japanese kana).
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_search_mark(c) {
            continue;
        }
        for lower in c.to_lowercase() {
            match fold_letter(lower) {
                Some(s) => out.push_str(s),
                None => out.push(lower),
            }
        }
    }
    match is_nfc_quick(out.chars()) {
        IsNormalized::Yes => out,
        _ => out.nfc().collect(),
    }
}

/// Marks removed by [`fold`] (step 2). The same ranges are `MARKS` in `search.js`.
pub fn is_search_mark(c: char) -> bool {
    matches!(c as u32,
        // Combining Diacritical Marks, and their Extended, Supplement, for Symbols and Half
        // Marks blocks: Latin, Greek and Cyrillic accents.
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
        // Cyrillic titlo and other combining signs.
        | 0x0483..=0x0489
        // Hebrew points and cantillation (not maqaf, paseq, sof pasuq: punctuation).
        | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5 | 0x05C7
        // Arabic: Quranic signs, harakat (tanwin, fatha, damma, kasra, shadda, sukun), madda,
        // hamza above and below, superscript alef, small high signs, the tatweel.
        | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4
        | 0x06E7..=0x06E8 | 0x06EA..=0x06ED | 0x08D3..=0x08E1 | 0x08E3..=0x08FF | 0x0640)
}

/// Step 4 of [`fold`], on a lower-case letter.
fn fold_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ħ' => "h",
        'ŧ' => "t",
        'ı' => "i",
        'ς' => "σ",
        'ٱ' => "ا",
        'ى' => "ي",
        'ة' => "ه",
        'ی' => "ي",
        'ک' => "ك",
        '٠' | '۰' => "0",
        '١' | '۱' => "1",
        '٢' | '۲' => "2",
        '٣' | '۳' => "3",
        '٤' | '۴' => "4",
        '٥' | '۵' => "5",
        '٦' | '۶' => "6",
        '٧' | '۷' => "7",
        '٨' | '۸' => "8",
        '٩' | '۹' => "9",
        _ => return None,
    })
}

/// Words too common to help (they would make the largest postings lists for nothing). The
/// client drops them from queries too: they are written into each language's manifest.
const EN_STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "her", "his", "if", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "so",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was",
    "we", "were", "which", "will", "with", "you", "your",
];

const ES_STOPWORDS: &[&str] = &[
    "a", "al", "como", "con", "de", "del", "el", "en", "es", "esta", "este", "esto", "la", "las",
    "le", "les", "lo", "los", "mas", "me", "mi", "muy", "o", "para", "pero", "por", "que", "se",
    "si", "sin", "su", "sus", "te", "tu", "un", "una", "uno", "y", "ya",
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn stems(lang: &str, text: &str) -> Vec<String> {
        Tokenizer::new(lang)
            .tokens(text)
            .into_iter()
            .map(|t| t.stem)
            .collect()
    }

    #[test]
    fn english_words_are_stemmed_and_stopwords_dropped() {
        assert_eq!(
            stems("en", "The Feelings of feeling low"),
            ["feel", "feel", "low"]
        );
        let t = Tokenizer::new("en").tokens("Dysphoria");
        assert_eq!(t[0].form, "dysphoria");
        assert_eq!(t[0].stem, "dysphoria");
    }

    #[test]
    fn spanish_words_are_stemmed_then_folded() {
        let t = Tokenizer::new("es").tokens("Disforia poscoital: sentirse triste después del sexo");
        let forms: Vec<&str> = t.iter().map(|t| t.form.as_str()).collect();
        assert_eq!(
            forms,
            [
                "disforia",
                "poscoital",
                "sentirse",
                "triste",
                "despues",
                "sexo"
            ]
        );
        assert_eq!(t[0].stem, "disfori");
        // Accented and plain spellings reach one stem.
        assert_eq!(stems("es", "canción"), stems("es", "cancion"));
        assert_eq!(stems("es", "necesidades"), stems("es", "necesidad"));
    }

    #[test]
    fn languages_without_a_stemmer_are_folded_not_stemmed() {
        let t = Tokenizer::new("vi").tokens("Sức khỏe tình dục");
        let forms: Vec<&str> = t.iter().map(|t| t.form.as_str()).collect();
        assert_eq!(forms, ["suc", "khoe", "tinh", "duc"]);
        assert!(t.iter().all(|t| t.form == t.stem));
    }

    /// Every language rust-stemmers has is stemmed, picked by the primary subtag.
    #[test]
    fn every_snowball_language_is_stemmed() {
        let plural_singular = [
            ("fr", "écoutes", "écoute"),
            ("fr-CA", "émotions", "émotion"),
            ("pt-BR", "sentimentos", "sentimento"),
            ("de", "Gefühle", "Gefühl"),
            ("it", "emozioni", "emozione"),
            ("nl", "boeken", "boek"),
            ("ru", "чувства", "чувство"),
            ("ro", "emoțiile", "emoție"),
            ("sv", "känslor", "känsla"),
            ("da", "følelser", "følelse"),
            ("nb", "følelser", "følelse"),
            ("fi", "kirjat", "kirja"),
            ("hu", "érzések", "érzés"),
            ("tr", "duygular", "duygu"),
            ("el", "συναισθήματα", "συναίσθημα"),
            ("ar", "المشاعر", "مشاعر"),
            ("es", "necesidades", "necesidad"),
        ];
        for (lang, a, b) in plural_singular {
            assert_eq!(stems(lang, a), stems(lang, b), "{lang}: {a} and {b}");
            assert!(stemmer_for(lang).is_some(), "{lang}");
        }
        assert!(stemmer_for("ta").is_some());
        assert!(stemmer_for("vi").is_none());
        // Stemmed words are folded: what the reader types without accents meets them.
        assert_eq!(stems("fr", "Éléphants"), stems("fr", "elephant"));
    }

    /// `tests/search/fold-vectors.json`, which `search.js` is checked against too.
    #[test]
    fn fold_vectors_hold() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/search/fold-vectors.json")).unwrap();
        for case in v["fold"].as_array().unwrap() {
            let (input, folded) = (case[0].as_str().unwrap(), case[1].as_str().unwrap());
            assert_eq!(fold(input), folded, "{input:?}: {}", case[2]);
        }
        let und = Tokenizer::new("und");
        for case in v["words"].as_array().unwrap() {
            let text = case[0].as_str().unwrap();
            let expected: Vec<&str> = case[1]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap())
                .collect();
            let folded = fold(text);
            assert_eq!(words(&folded).collect::<Vec<_>>(), expected, "{text:?}");
            // The indexer, which splits before folding, gets the same words.
            let forms: Vec<String> = und.tokens(text).into_iter().map(|t| t.form).collect();
            let long: Vec<&str> = expected
                .into_iter()
                .filter(|w| w.chars().count() > 1)
                .collect();
            assert_eq!(forms, long, "{text:?}");
        }
        let hex = |s: &Value| u32::from_str_radix(s.as_str().unwrap(), 16).unwrap();
        let ranges: Vec<(u32, u32)> = v["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (hex(&r[0]), hex(&r[1])))
            .collect();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let listed = ranges.iter().any(|&(a, b)| (a..=b).contains(&(c as u32)));
            assert_eq!(is_search_mark(c), listed, "U+{:04X}", c as u32);
            // Removed: a listed mark, or a character that decomposes into listed ones only
            // (the presentation forms of harakat, such as U+FCF2).
            let removed = fold(&format!("a{c}")) == "a";
            let marks_only = c.nfkd().all(is_search_mark);
            assert_eq!(removed, marks_only, "U+{:04X}", c as u32);
            assert!(!listed || removed, "U+{:04X}", c as u32);
        }
        let mut hash: u32 = 0x811c_9dc5;
        for block in v["digest"]["blocks"].as_array().unwrap() {
            for c in (hex(&block[0])..=hex(&block[1])).filter_map(char::from_u32) {
                for b in fold(&c.to_string()).bytes().chain([b'\n']) {
                    hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
                }
            }
        }
        assert_eq!(
            format!("{hash:08x}"),
            v["digest"]["fnv1a32"].as_str().unwrap(),
            "the digest of the folded blocks changed: if on purpose, write the new one"
        );
    }

    #[test]
    fn splitting_keeps_letters_and_digits() {
        let w: Vec<&str> = words("after-sex care, 24/7 (don't)").collect();
        assert_eq!(w, ["after", "sex", "care", "24", "7", "don", "t"]);
    }
}

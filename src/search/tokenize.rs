//! Words for the search index: split, lower-cased, stemmed (English and Spanish, Snowball) and
//! folded (accents removed), so `disfórica`, `disforica` and `Disforia` meet.
//!
//! The browser does no stemming: the index maps each word form seen in the text to its stem, and
//! the client folds what the reader types the same way (`NFD`, marks removed, lower case).

use rust_stemmers::{Algorithm, Stemmer};

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

impl Tokenizer {
    pub fn new(lang: &str) -> Self {
        let base = lang.split(['-', '_']).next().unwrap_or(lang);
        let (algorithm, stopwords) = match base {
            "en" => (Some(Algorithm::English), EN_STOPWORDS),
            "es" => (Some(Algorithm::Spanish), ES_STOPWORDS),
            _ => (None, &[][..]),
        };
        Tokenizer {
            stemmer: algorithm.map(Stemmer::create),
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
    /// remembers each word's token, since stemming is most of the indexing time and a text
    /// repeats its words.
    pub fn each_token(&self, text: &str, cache: &mut Cache, mut f: impl FnMut(&Token)) {
        for w in words(text) {
            if let Some(known) = cache.get(w) {
                if let Some(t) = known {
                    f(t);
                }
                continue;
            }
            let t = self.token(w);
            if let Some(t) = &t {
                f(t);
            }
            cache.insert(w.to_string(), t);
        }
    }

    fn token(&self, w: &str) -> Option<Token> {
        let lower = w.to_lowercase();
        let form = fold(&lower);
        if form.chars().count() < 2 || self.stopwords.contains(&form.as_str()) {
            return None;
        }
        let stem = match &self.stemmer {
            Some(s) => fold(&s.stem(&lower)),
            None => form.clone(),
        };
        Some(Token { form, stem })
    }
}

/// Words already tokenized, as written in the text.
pub type Cache = std::collections::HashMap<String, Option<Token>>;

/// Runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || is_mark(c)))
        .filter(|w| !w.is_empty())
}

/// Lower-case text without accents: what the client gets from `normalize('NFD')` with the marks
/// removed, for the letters of the languages we ship.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if is_mark(c) {
            continue;
        }
        match base_letter(c) {
            Some(b) => out.push(b),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Combining marks (Latin accents, Arabic and Hebrew vowel signs): dropped by [`fold`].
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

fn base_letter(c: char) -> Option<char> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => {
            'a'
        }
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'į' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ō' | 'ő' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'ń' | 'ň' | 'Ñ' => 'n',
        'ç' | 'ć' | 'č' | 'Ç' => 'c',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ś' | 'š' | 'ş' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ř' => 'r',
        'ď' => 'd',
        'ť' => 't',
        'ğ' => 'g',
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
    fn other_languages_are_folded_not_stemmed() {
        let t = Tokenizer::new("ar").tokens("مَرْحَبًا بكم");
        assert_eq!(t[0].form, "مرحبا");
        assert_eq!(t[0].form, t[0].stem);
        assert_eq!(stems("fr", "Éléphants"), ["elephants"]);
    }

    #[test]
    fn splitting_keeps_letters_and_digits() {
        let w: Vec<&str> = words("after-sex care, 24/7 (don't)").collect();
        assert_eq!(w, ["after", "sex", "care", "24", "7", "don", "t"]);
    }
}

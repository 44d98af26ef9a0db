//! Sentences of prose, counted as textstat counts them (see the module above).

use super::is_word_char;

/// Sentences, as textstat's `sentence_count` (the regex `\b[^.!?]+[.!?]*`, ignoring runs of two
/// words or fewer), except that a blank line also ends a sentence.
pub fn sentence_count(text: &str) -> usize {
    let n: usize = paragraphs(text).map(sentences_in).sum();
    n.max(1)
}

fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n").filter(|p| !p.trim().is_empty())
}

fn sentences_in(text: &str) -> usize {
    // Walks the text once without copying it: every page's prose goes through here.
    let terminal = |c: char| matches!(c, '.' | '!' | '?');
    let char_at = |i: usize| text[i..].chars().next().expect("i is a char boundary");
    let mut count = 0;
    let mut i = 0;
    // Whether the character before `i` is a word character (`\b` in the regex).
    let mut after_word = false;
    while i < text.len() {
        let c = char_at(i);
        let word = is_word_char(c);
        if after_word == word || terminal(c) {
            after_word = word;
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let mut last = c;
        while i < text.len() && !terminal(char_at(i)) {
            last = char_at(i);
            i += last.len_utf8();
        }
        while i < text.len() && terminal(char_at(i)) {
            last = char_at(i);
            i += last.len_utf8();
        }
        after_word = is_word_char(last);
        // Words of the sentence with its punctuation removed: removing it only drops the
        // words that are nothing else.
        if text[start..i]
            .split_whitespace()
            .filter(|w| w.chars().any(is_word_char))
            .nth(2)
            .is_some()
        {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readability::{remove_punctuation, word_count};

    #[test]
    fn sentences_follow_textstat_and_blank_lines_end_them() {
        assert_eq!(
            sentence_count("One two three. Four five six! Seven eight nine?"),
            3
        );
        // Runs of two words or fewer are not sentences (e.g. "e.g.").
        assert_eq!(sentence_count("Yes. No. This one counts."), 1);
        // An unpunctuated list item is a sentence of its own.
        assert_eq!(
            sentence_count("on a walk\n\nwhile cooking or washing up\n\n"),
            2
        );
    }

    /// The sentence counter as first written (a character vector, a string per sentence):
    /// the one-pass counter must agree with it on every text.
    fn sentences_in_as_written(text: &str) -> usize {
        let chars: Vec<char> = text.chars().collect();
        let terminal = |c: char| matches!(c, '.' | '!' | '?');
        let mut count = 0;
        let mut i = 0;
        while i < chars.len() {
            let before = i > 0 && is_word_char(chars[i - 1]);
            let boundary = before != is_word_char(chars[i]);
            if !boundary || terminal(chars[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && !terminal(chars[i]) {
                i += 1;
            }
            while i < chars.len() && terminal(chars[i]) {
                i += 1;
            }
            let sentence: String = chars[start..i].iter().collect();
            if word_count(&remove_punctuation(&sentence)) > 2 {
                count += 1;
            }
        }
        count
    }

    #[test]
    fn one_pass_sentence_count_agrees_with_the_first_counter() {
        let mut texts: Vec<String> = [
            "",
            ".",
            "...!?",
            "One two three. Four five six! Seven eight nine?",
            "Yes. No. This one counts.",
            " - a b - c. d e f... g h i?! j",
            "e.g. the cat, i.e. a dog, sat down. Then... it left!!",
            "¿Qué tal? Después del sexo me gusta — mucho — que me abraces.",
            "性交後の気分の落ち込みについて。 ذهبت إلى البيت. Ça va très bien, merci.",
            "a_b c_d e_f. 1 2 3. ½ ¾ ⅞. x\u{301}y z w.",
            "trailing words with no stop",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every article of the example site, paragraph by paragraph.
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))
            .expect("content/")
            .flatten()
        {
            let path = entry.path();
            let files: Vec<_> = if path.is_dir() {
                std::fs::read_dir(&path)
                    .expect("a section")
                    .flatten()
                    .map(|e| e.path())
                    .collect()
            } else {
                vec![path]
            };
            for f in files
                .iter()
                .filter(|f| f.extension().is_some_and(|e| e == "md"))
            {
                let text = std::fs::read_to_string(f).expect("an article");
                texts.extend(text.split("\n\n").map(str::to_string));
            }
        }
        assert!(texts.len() > 100, "the example site's articles were read");
        for t in &texts {
            assert_eq!(sentences_in(t), sentences_in_as_written(t), "{t:?}");
        }
    }
}

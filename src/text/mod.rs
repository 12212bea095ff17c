//! Text in every script, below the UI: bidirectional reordering ([`bidi`],
//! UAX #9) and grapheme and word boundaries ([`segment`], UAX #29 with
//! dictionaries for Chinese, Japanese, Thai, Lao, Khmer and Burmese).
//!
//! Pure functions on one paragraph (or a bounded slice of one): no egui, no
//! files. Every offset in and out is a char (Unicode scalar value) offset, as
//! everywhere in factmark; the crates underneath work in bytes and the
//! conversion stays in here.

pub mod bidi;
pub mod segment;

/// Char-range helpers the module's tests share.
#[cfg(test)]
mod test_text {
    use std::ops::Range;

    /// The char range of `word`, which occurs once in `text`.
    pub fn span(text: &str, word: &str) -> Range<usize> {
        let byte = text
            .find(word)
            .unwrap_or_else(|| panic!("{word:?} is not in {text:?}"));
        let start = text[..byte].chars().count();
        start..start + word.chars().count()
    }

    pub fn slice(text: &str, chars: Range<usize>) -> String {
        text.chars().skip(chars.start).take(chars.len()).collect()
    }
}

//! The article: normalised text, its fingerprint and fast char/byte/line lookups.
//!
//! Offsets everywhere in factmark are Unicode scalar values (chars) into the
//! normalised text (BOM stripped, CRLF/CR turned into LF). Rust strings are
//! UTF-8, so converting a char offset to a byte offset needs an index; we keep
//! one byte offset per [`CHECKPOINT`] chars, which bounds every conversion to a
//! short scan while costing ~1/16 of the text's size in memory.

use sha2::{Digest, Sha256};
use std::ops::Range;

/// Distance in chars between two byte-offset checkpoints.
const CHECKPOINT: usize = 64;

/// Normalise raw article text the way every factmark file expects it:
/// strip a leading BOM and turn CRLF and lone CR into LF.
pub fn normalize_text(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if !raw.contains('\r') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// Lower-case hex SHA-256 of the text's UTF-8 bytes: the article's identity.
pub fn fingerprint(text: &str) -> String {
    fingerprint_bytes(text.as_bytes())
}

/// Lower-case hex SHA-256 of `bytes` (a web page as read or fetched).
pub fn fingerprint_bytes(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// A normalised article with its fingerprint and offset indexes.
#[derive(Clone, Debug)]
pub struct Article {
    title: String,
    text: String,
    sha256: String,
    char_count: usize,
    /// Byte offset of every `CHECKPOINT`-th char.
    checkpoints: Vec<usize>,
    /// Char offset where each line (paragraph) starts; lines are separated by '\n'.
    line_starts: Vec<usize>,
}

impl PartialEq for Article {
    fn eq(&self, other: &Self) -> bool {
        self.title == other.title && self.sha256 == other.sha256
    }
}

impl Article {
    /// Builds an article from raw text, normalising it first.
    pub fn new(title: impl Into<String>, raw_text: &str) -> Self {
        let text = normalize_text(raw_text);
        let sha256 = fingerprint(&text);
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let mut line_starts = vec![0];
        let mut char_count = 0;
        for (byte, c) in text.char_indices() {
            if char_count % CHECKPOINT == 0 {
                checkpoints.push(byte);
            }
            char_count += 1;
            if c == '\n' {
                line_starts.push(char_count);
            }
        }
        Self {
            title: title.into(),
            text,
            sha256,
            char_count,
            checkpoints,
            line_starts,
        }
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn set_title(&mut self, title: String) {
        self.title = title;
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Length in chars.
    pub fn char_count(&self) -> usize {
        self.char_count
    }

    /// Byte offset of a char offset (clamped to the end of the text).
    pub fn byte_of_char(&self, char_offset: usize) -> usize {
        if char_offset >= self.char_count {
            return self.text.len();
        }
        let base = self.checkpoints[char_offset / CHECKPOINT];
        let skip = char_offset % CHECKPOINT;
        match self.text[base..].char_indices().nth(skip) {
            Some((b, _)) => base + b,
            None => self.text.len(),
        }
    }

    /// Char offset of a byte offset; `byte` must lie on a char boundary.
    pub fn char_of_byte(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        let block = self
            .checkpoints
            .partition_point(|&b| b <= byte)
            .saturating_sub(1);
        let base = self.checkpoints.get(block).copied().unwrap_or(0);
        block * CHECKPOINT + self.text[base..byte].chars().count()
    }

    /// The text of a char range, clamped to the article.
    pub fn slice(&self, range: Range<usize>) -> &str {
        let start = self.byte_of_char(range.start.min(range.end));
        let end = self.byte_of_char(range.end);
        &self.text[start..end.max(start)]
    }

    /// Number of lines; an empty article has one empty line.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Char range of line `index`, excluding its trailing newline.
    pub fn line_range(&self, index: usize) -> Range<usize> {
        let start = self
            .line_starts
            .get(index)
            .copied()
            .unwrap_or(self.char_count);
        let end = match self.line_starts.get(index + 1) {
            Some(next) => next - 1,
            None => self.char_count,
        };
        start..end
    }

    /// Index of the line holding char offset `offset` (the last line for the end).
    pub fn line_of_char(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Iterates the chars from `offset` on.
    pub fn chars_from(&self, offset: usize) -> std::str::Chars<'_> {
        self.text[self.byte_of_char(offset)..].chars()
    }

    /// Iterates the chars before `offset`, nearest first.
    pub fn chars_before(&self, offset: usize) -> std::iter::Rev<std::str::Chars<'_>> {
        self.text[..self.byte_of_char(offset)].chars().rev()
    }

    /// The word (run of alphanumerics) around `offset`, or the single char there.
    pub fn word_at(&self, offset: usize) -> Range<usize> {
        let offset = offset.min(self.char_count);
        let back = self
            .chars_before(offset)
            .take_while(|c| c.is_alphanumeric())
            .count();
        let fwd = self
            .chars_from(offset)
            .take_while(|c| c.is_alphanumeric())
            .count();
        if back + fwd == 0 {
            return offset..(offset + 1).min(self.char_count);
        }
        offset - back..offset + fwd
    }

    /// The next word end after `offset` (Ctrl+Right).
    pub fn next_word_boundary(&self, offset: usize) -> usize {
        (offset + word_step(self.chars_from(offset))).min(self.char_count)
    }

    /// The previous word start before `offset` (Ctrl+Left).
    pub fn prev_word_boundary(&self, offset: usize) -> usize {
        offset.saturating_sub(word_step(self.chars_before(offset)))
    }

    /// Finds `needle` at or after char `from`, wrapping around to the start.
    /// ASCII needles match case-insensitively; others match exactly.
    pub fn find(&self, needle: &str, from: usize) -> Option<Range<usize>> {
        if needle.is_empty() {
            return None;
        }
        let start_byte = self.byte_of_char(from);
        let hit = find_bytes(&self.text, needle, start_byte)
            .or_else(|| find_bytes(&self.text, needle, 0))?;
        let start = self.char_of_byte(hit);
        Some(start..start + needle.chars().count())
    }

    /// Approximate heap size in bytes, for memory budgets.
    pub fn heap_size(&self) -> usize {
        self.text.capacity()
            + self.title.capacity()
            + self.checkpoints.capacity() * std::mem::size_of::<usize>()
            + self.line_starts.capacity() * std::mem::size_of::<usize>()
    }
}

/// How many chars a word jump covers: separators, then one word.
fn word_step(chars: impl Iterator<Item = char>) -> usize {
    let mut chars = chars.peekable();
    let mut n = 0;
    while chars.next_if(|c| !c.is_alphanumeric()).is_some() {
        n += 1;
    }
    while chars.next_if(|c| c.is_alphanumeric()).is_some() {
        n += 1;
    }
    n
}

/// Byte offset of the first match of `needle` in `hay` at or after `from`.
fn find_bytes(hay: &str, needle: &str, from: usize) -> Option<usize> {
    if !needle.is_ascii() {
        return hay.get(from..)?.find(needle).map(|i| from + i);
    }
    // ASCII bytes never occur inside multi-byte UTF-8 sequences, so a byte-wise
    // case-insensitive match always lands on char boundaries.
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    (from..=hay.len().checked_sub(needle.len())?)
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_bom_and_line_endings() {
        assert_eq!(normalize_text("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(normalize_text("plain"), "plain");
        assert_eq!(normalize_text("\r\r\n"), "\n\n");
    }

    #[test]
    fn fingerprint_is_sha256_hex() {
        assert_eq!(
            fingerprint(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let a = Article::new("t", "x\r\ny");
        assert_eq!(a.sha256(), fingerprint("x\ny"));
    }

    #[test]
    fn char_and_byte_offsets_round_trip_on_multibyte_text() {
        let text: String = "“satisfactory,” наш 日本語 é\u{301}\n".repeat(20);
        let a = Article::new("t", &text);
        assert_eq!(a.char_count(), text.chars().count());
        for (i, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(a.byte_of_char(i), byte, "char {i}");
            assert_eq!(a.char_of_byte(byte), i, "byte {byte}");
        }
        assert_eq!(a.byte_of_char(a.char_count()), text.len());
        assert_eq!(a.char_of_byte(text.len()), a.char_count());
    }

    #[test]
    fn lines_exclude_newlines() {
        let a = Article::new("t", "ab\n\ncd");
        assert_eq!(a.line_count(), 3);
        assert_eq!(a.line_range(0), 0..2);
        assert_eq!(a.line_range(1), 3..3);
        assert_eq!(a.line_range(2), 4..6);
        assert_eq!(a.line_of_char(0), 0);
        assert_eq!(a.line_of_char(2), 0);
        assert_eq!(a.line_of_char(3), 1);
        assert_eq!(a.line_of_char(6), 2);
        assert_eq!(a.slice(4..6), "cd");
        assert_eq!(a.slice(5..99), "d");
    }

    #[test]
    fn words_and_search() {
        let a = Article::new(
            "t",
            "Medinsky called the talks “satisfactory,” said Ukraine.",
        );
        let at = a
            .text()
            .find("isfac")
            .map(|b| a.char_of_byte(b))
            .unwrap_or(0);
        assert_eq!(a.slice(a.word_at(at)), "satisfactory");
        assert_eq!(a.next_word_boundary(0), 8);
        assert_eq!(a.prev_word_boundary(8), 0);
        let found = a.find("SATISFACTORY", 0).unwrap_or_default();
        assert_eq!(a.slice(found.clone()), "satisfactory");
        assert_eq!(
            a.find("satisfactory", found.end),
            Some(found),
            "search wraps around"
        );
        assert_eq!(a.slice(a.find("“sat", 0).unwrap_or_default()), "“sat");
        assert_eq!(a.find("absent", 0), None);
    }

    #[test]
    fn empty_article_has_one_empty_line() {
        let a = Article::new("t", "");
        assert_eq!(a.line_count(), 1);
        assert_eq!(a.line_range(0), 0..0);
        assert_eq!(a.slice(0..0), "");
    }
}

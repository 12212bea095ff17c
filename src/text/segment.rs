//! Where a caret may stop and what a double-click selects: grapheme clusters
//! and words by Unicode text segmentation (UAX #29), via ICU4X's
//! `icu_segmenter` with its compiled data, which also splits the scripts
//! written without spaces into dictionary words (Chinese, Japanese, Thai, Lao,
//! Khmer, Burmese).
//!
//! A grapheme cluster is what a reader sees as one character: 👍🏽 (a hand and a
//! skin tone), 🇺🇦 (two regional indicators), 👨‍👩‍👧 (three people joined by
//! zero-width joiners), प्र (a Devanagari conjunct). A caret never stops inside
//! one and a selection never cuts one.
//!
//! Every function takes the text it looks in (a paragraph, or a block of one)
//! and a char offset into it, and returns char offsets into it. Only a window
//! of about [`WINDOW_CHARS`] chars either side of the offset is segmented, so a
//! double-click costs the same in a book-length paragraph as in a short one
//! (finding the offset's byte is still a scan from the start of `text`: pass
//! a paragraph, not a whole book). A word longer than the window is cut at it.

use icu_segmenter::options::{LineBreakOptions, WordBreakInvariantOptions};
use icu_segmenter::{GraphemeClusterSegmenter, LineSegmenter, WordSegmenter};
use std::ops::Range;

/// How many chars either side of an offset are segmented, at least.
pub const WINDOW_CHARS: usize = 256;

/// The grapheme boundary after char `at` (the end of the cluster holding
/// it), or the end of `text`.
pub fn next_grapheme_boundary(text: &str, at: usize) -> usize {
    grapheme_boundary(text, at, true, false)
}

/// The grapheme boundary before char `at` (the start of the cluster before
/// it), or 0.
pub fn prev_grapheme_boundary(text: &str, at: usize) -> usize {
    grapheme_boundary(text, at, false, false)
}

/// `range` widened to whole grapheme clusters: its start moved back and its
/// end moved on to the nearest cluster boundary.
pub fn snap_to_graphemes(text: &str, range: Range<usize>) -> Range<usize> {
    let start = grapheme_boundary(text, range.start, false, true);
    start..grapheme_boundary(text, range.end.max(range.start), true, true).max(start)
}

/// The nearest grapheme boundary after (`forward`) or before char `at`, or
/// `at` itself if it is one and `or_at`.
fn grapheme_boundary(text: &str, at: usize, forward: bool, or_at: bool) -> usize {
    let window = Window::around(text, at);
    let local = window.local(at);
    let mut boundaries = window.grapheme_boundaries().into_iter();
    let found = if forward {
        boundaries.find(|&b| b > local || (or_at && b == local))
    } else {
        boundaries.rfind(|&b| b < local || (or_at && b == local))
    };
    window.absolute(found.unwrap_or(local))
}

/// What a double-click at char `at` selects: the word there (letters or
/// digits), or the run of spaces or the punctuation mark there. A click just
/// after a word's last letter (the caret at its end) selects that word.
pub fn word_at(text: &str, at: usize) -> Range<usize> {
    let window = Window::around(text, at);
    let segments = window.word_segments();
    let local = window.local(at);
    let Some(i) = segments
        .iter()
        .position(|s| s.chars.contains(&local))
        .or_else(|| segments.len().checked_sub(1))
    else {
        let end = window.absolute(local);
        return end..end;
    };
    let hit = match i.checked_sub(1).map(|p| &segments[p]) {
        Some(before) if !segments[i].word_like && before.word_like && before.chars.end == local => {
            before
        }
        _ => &segments[i],
    };
    window.absolute(hit.chars.start)..window.absolute(hit.chars.end)
}

/// Where Ctrl+Right from char `at` goes: past any spaces and punctuation,
/// then to the end of the next word (or of the text).
pub fn next_word_end(text: &str, at: usize) -> usize {
    let window = Window::around(text, at);
    let local = window.local(at);
    let end = window
        .word_segments()
        .into_iter()
        .find(|s| s.word_like && s.chars.end > local)
        .map_or(window.char_count, |s| s.chars.end);
    window.absolute(end)
}

/// Where Ctrl+Left from char `at` goes: back past any spaces and
/// punctuation, then to the start of the word before (or of the text).
pub fn prev_word_start(text: &str, at: usize) -> usize {
    let window = Window::around(text, at);
    let local = window.local(at);
    let start = window
        .word_segments()
        .into_iter()
        .rev()
        .find(|s| s.word_like && s.chars.start < local)
        .map_or(0, |s| s.chars.start);
    window.absolute(start)
}

/// The words, runs of spaces and punctuation marks that tile chars `range`
/// of `text`, in order (a word crossing the range's edge is cut at it). A
/// long range is segmented window by window, each ending before a space, so
/// a word is only cut where it is longer than a window.
pub fn word_pieces(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut at = range.start;
    while at < range.end {
        let window = Window::around(text, at);
        let window_end = window.absolute(window.char_count);
        for segment in window.word_segments() {
            let start = window.absolute(segment.chars.start).max(at);
            let end = window.absolute(segment.chars.end).min(range.end);
            if start < end {
                pieces.push(start..end);
            }
        }
        if window_end <= at {
            // `at` is past the end of the text.
            break;
        }
        at = window_end.min(range.end);
    }
    pieces
}

/// The char offsets inside chars `range` of `text` where a line may break
/// (UAX #14: after spaces, between ideographs, before an opening bracket…;
/// by dictionary words in Thai, Lao, Khmer and Burmese), sorted, neither end
/// of the range included. The range is segmented as it is: pass a block
/// (the article view's are at most a few thousand chars), not a book.
pub fn line_breaks(text: &str, range: Range<usize>) -> Vec<usize> {
    let byte_of = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
    let part = &text[byte_of(range.start)..byte_of(range.end.max(range.start))];
    let segmenter = LineSegmenter::new_dictionary(LineBreakOptions::default());
    chars_of_bytes(part, segmenter.segment_str(part))
        .filter(|&c| c > 0 && c < range.len())
        .map(|c| range.start + c)
        .collect()
}

/// One word-break segment, in chars of its window.
#[derive(Debug)]
struct WordSegment {
    chars: Range<usize>,
    /// Letters (any script, ideographs included) or digits, not spaces or
    /// punctuation.
    word_like: bool,
}

/// The part of a text that is segmented for one offset.
#[derive(Debug)]
struct Window<'a> {
    text: &'a str,
    /// The offset of the window's first char in the whole text.
    first_char: usize,
    char_count: usize,
}

impl<'a> Window<'a> {
    /// About [`WINDOW_CHARS`] chars either side of `at` (clamped to the text),
    /// widened by up to as many again to start and end at a space, where a
    /// boundary is sure (a run of flags, for one, is paired from its start).
    fn around(text: &'a str, at: usize) -> Self {
        let lo = at.saturating_sub(2 * WINDOW_CHARS);
        let wanted = at + 2 * WINDOW_CHARS - lo;
        let mut iter = text.char_indices().skip(lo);
        let chars: Vec<(usize, bool)> = iter
            .by_ref()
            .take(wanted)
            .map(|(byte, c)| (byte, c.is_whitespace()))
            .collect();
        let after = iter.next().map_or(text.len(), |(byte, _)| byte);
        let n = chars.len();
        if at - lo > n {
            // `at` is past the end of the text.
            return Self::around(text, text.chars().count());
        }
        let at = at - lo;
        let start = at
            .checked_sub(WINDOW_CHARS)
            .and_then(|edge| chars[..=edge].iter().rposition(|&(_, space)| space))
            .unwrap_or(0);
        // Fewer chars than wanted were left: the window reaches the text's end.
        let end = if at + WINDOW_CHARS >= n {
            n
        } else {
            chars[at + WINDOW_CHARS..]
                .iter()
                .position(|&(_, space)| space)
                .map_or(n, |p| at + WINDOW_CHARS + p)
        };
        let byte = |i: usize| chars.get(i).map_or(after, |&(byte, _)| byte);
        Self {
            text: &text[byte(start)..byte(end)],
            first_char: lo + start,
            char_count: end - start,
        }
    }

    /// A char offset of the whole text as an offset into the window.
    fn local(&self, at: usize) -> usize {
        at.saturating_sub(self.first_char).min(self.char_count)
    }

    fn absolute(&self, local: usize) -> usize {
        self.first_char + local
    }

    /// Every grapheme boundary in the window, 0 and its end included.
    fn grapheme_boundaries(&self) -> Vec<usize> {
        let bytes = GraphemeClusterSegmenter::new().segment_str(self.text);
        chars_of_bytes(self.text, bytes).collect()
    }

    fn word_segments(&self) -> Vec<WordSegment> {
        let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
        let bytes: Vec<usize> = segmenter.segment_str(self.text).collect();
        let chars: Vec<usize> = chars_of_bytes(self.text, bytes.iter().copied()).collect();
        bytes
            .windows(2)
            .zip(chars.windows(2))
            .map(|(b, c)| WordSegment {
                chars: c[0]..c[1],
                // Not ICU's word type: it calls Devanagari, Tamil or Bengali
                // words ending in a vowel sign or virama "not a word".
                word_like: self.text[b[0]..b[1]].chars().any(char::is_alphanumeric),
            })
            .collect()
    }
}

/// Char offsets of increasing byte offsets (char boundaries) into `text`.
fn chars_of_bytes(text: &str, bytes: impl Iterator<Item = usize>) -> impl Iterator<Item = usize> {
    let mut chars = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .enumerate();
    bytes.filter_map(move |byte| chars.find(|&(_, b)| b == byte).map(|(i, _)| i))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::text::test_text::{slice, span};

    /// Every cluster of `text`, walked with `next_grapheme_boundary`.
    fn clusters(text: &str) -> Vec<String> {
        let n = text.chars().count();
        let mut at = 0;
        let mut out = Vec::new();
        while at < n {
            let next = next_grapheme_boundary(text, at);
            assert!(next > at, "stuck at {at} in {text:?}");
            out.push(slice(text, at..next));
            at = next;
        }
        out
    }

    #[test]
    fn emoji_flags_and_joined_families_are_one_cluster_each() {
        let text = "ok 👍🏽 🇺🇦🇺🇦 👨‍👩‍👧!";
        assert_eq!(
            clusters(text),
            ["o", "k", " ", "👍🏽", " ", "🇺🇦", "🇺🇦", " ", "👨‍👩‍👧", "!"]
        );
        let thumb = span(text, "👍🏽");
        let family = span(text, "👨‍👩‍👧");
        // From inside a cluster: to its end, and back to its start.
        assert_eq!(next_grapheme_boundary(text, thumb.start + 1), thumb.end);
        assert_eq!(prev_grapheme_boundary(text, thumb.start + 1), thumb.start);
        assert_eq!(prev_grapheme_boundary(text, family.end), family.start);
        assert_eq!(prev_grapheme_boundary(text, 0), 0);
        let n = text.chars().count();
        assert_eq!(next_grapheme_boundary(text, n), n);
        // A selection that cuts clusters is widened to them.
        assert_eq!(
            snap_to_graphemes(text, thumb.start + 1..family.start + 2),
            thumb.start..family.end
        );
        assert_eq!(snap_to_graphemes(text, 1..2), 1..2, "already whole");
    }

    #[test]
    fn devanagari_clusters_and_words_stay_whole() {
        let text = "प्रतिनिधि सभा";
        assert_eq!(clusters("प्रतिनिधि"), ["प्र", "ति", "नि", "धि"]);
        let word = span(text, "प्रतिनिधि");
        // A double-click anywhere in the word, or just after it, selects it
        // all: the virama (U+094D) is not "alphanumeric", but it is part of
        // the word.
        for at in word.start..=word.end {
            assert_eq!(word_at(text, at), word, "clicked at {at}");
        }
        assert_eq!(word_at(text, word.end + 1), span(text, "सभा"));
    }

    #[test]
    fn chinese_thai_khmer_and_burmese_split_into_dictionary_words() {
        let chinese = "中华人民共和国宣布成立。";
        assert_eq!(word_at(chinese, 1), span(chinese, "中华"));
        assert_eq!(word_at(chinese, 5), span(chinese, "共和国"));
        let mixed = "他说中华人民共和国ABC";
        assert_eq!(word_at(mixed, 3), span(mixed, "中华"), "not the whole run");
        let thai = "ทุกสองสัปดาห์";
        assert_eq!(word_at(thai, 4), span(thai, "สอง"));
        let khmer = "ប្រទេសកម្ពុជា";
        assert_eq!(word_at(khmer, 1), span(khmer, "ប្រទេស"));
        let burmese = "မြန်မာနိုင်ငံ ဖြစ်သည်";
        assert_eq!(word_at(burmese, 2), span(burmese, "မြန်မာနိုင်ငံ"));
    }

    #[test]
    fn words_spaces_and_punctuation_in_latin_text() {
        let text = "He said, “don’t go” in 2024.";
        let dont = span(text, "don’t");
        assert_eq!(
            word_at(text, dont.start + 2),
            dont,
            "the apostrophe is inside"
        );
        let said = span(text, "said");
        assert_eq!(word_at(text, said.end), said, "the caret just after it");
        assert_eq!(
            word_at(text, said.end + 1),
            said.end + 1..said.end + 2,
            "the space"
        );
        let open = span(text, "“");
        assert_eq!(word_at(text, open.start), open);
        assert_eq!(
            word_at(text, span(text, "2024").start + 1),
            span(text, "2024")
        );
        assert_eq!(word_at("", 0), 0..0);
        assert_eq!(word_at("a  b", 2), 1..3, "a run of spaces");
    }

    #[test]
    fn word_steps_skip_separators_then_one_word() {
        let text = "one, two  प्रतिनिधि.";
        let two = span(text, "two");
        let hindi = span(text, "प्रतिनिधि");
        assert_eq!(next_word_end(text, 0), 3);
        assert_eq!(next_word_end(text, 3), two.end);
        assert_eq!(next_word_end(text, two.end), hindi.end);
        let n = text.chars().count();
        assert_eq!(next_word_end(text, hindi.end), n);
        assert_eq!(prev_word_start(text, n), hindi.start);
        assert_eq!(prev_word_start(text, hindi.start + 1), hindi.start);
        assert_eq!(prev_word_start(text, hindi.start), two.start);
        assert_eq!(prev_word_start(text, 2), 0);
    }

    #[test]
    fn word_pieces_tile_a_range_with_words_spaces_and_marks() {
        let text = "قال وزير الخارجية، «نعم» 2024.";
        let n = text.chars().count();
        let pieces: Vec<String> = word_pieces(text, 0..n)
            .into_iter()
            .map(|r| slice(text, r))
            .collect();
        assert_eq!(
            pieces,
            [
                "قال",
                " ",
                "وزير",
                " ",
                "الخارجية",
                "،",
                " ",
                "«",
                "نعم",
                "»",
                " ",
                "2024",
                "."
            ]
        );
        let minister = span(text, "وزير");
        assert_eq!(
            word_pieces(text, minister.start + 1..minister.end + 2),
            [
                minister.start + 1..minister.end,
                minister.end..minister.end + 1,
                minister.end + 1..minister.end + 2
            ],
            "cut at the range's edges"
        );
        assert_eq!(word_pieces(text, 3..3), []);
        assert_eq!(word_pieces(text, n + 5..n + 9), []);
        // A long text: every piece in order, covering it once.
        let long = "one two ".repeat(500);
        let pieces = word_pieces(&long, 0..long.chars().count());
        assert_eq!(pieces.len(), 2000);
        assert!(pieces.windows(2).all(|p| p[0].end == p[1].start));
        assert_eq!(pieces.last().map(|r| r.end), Some(long.chars().count()));
    }

    #[test]
    fn only_a_bounded_window_around_the_offset_is_segmented() {
        let mut book = "the minister said ".repeat(20_000);
        let at = book.chars().count();
        book.push_str("प्रतिनिधि ");
        book.push_str(&"more words here ".repeat(1000));
        let window = Window::around(&book, at + 2);
        assert!(
            window.char_count <= 4 * WINDOW_CHARS + 20,
            "{}",
            window.char_count
        );
        // It starts at a space and ends before one.
        let end = window.text.as_ptr() as usize - book.as_ptr() as usize + window.text.len();
        assert!(window.text.starts_with(' ') && book[end..].starts_with(' '));
        assert_eq!(word_at(&book, at + 2), at..at + 9);
        // Text without spaces is cut at the window's edges.
        let chinese = "中华人民共和国宣布成立".repeat(1000);
        let window = Window::around(&chinese, 5000);
        assert_eq!(window.char_count, 4 * WINDOW_CHARS);
        assert_eq!(word_at(&chinese, 5001), 5001..5003, "宣布");
        // An offset past the end is the end.
        assert_eq!(word_at("one two", 99), 4..7);
        assert_eq!(word_at("one two", 10_000), 4..7);
        assert_eq!(next_grapheme_boundary("one", 99), 3);
    }

    #[test]
    fn lines_may_break_after_spaces_between_ideographs_and_between_thai_words() {
        let text = "قال 2024 (نعم)";
        let starts: Vec<String> = line_breaks(text, 0..text.chars().count())
            .into_iter()
            .map(|at| text.chars().skip(at).take(2).collect())
            .collect();
        assert_eq!(starts, ["20", "(ن"], "after each space, not inside words");
        // Chinese breaks between ideographs, but not before its full stop.
        let chinese = "人人生而自由。";
        assert_eq!(line_breaks(chinese, 0..7), [1, 2, 3, 4, 5]);
        // Thai has no spaces between words: its dictionary finds them.
        let thai = "ทุกคนมีสิทธิ";
        let breaks = line_breaks(thai, 0..thai.chars().count());
        assert!(breaks.contains(&span(thai, "มี").start), "{breaks:?}");
        assert!(!breaks.contains(&1), "not inside ทุก: {breaks:?}");
        // A range is segmented alone, its offsets those of the whole text.
        assert_eq!(line_breaks("ab cd ef", 3..8), [6]);
        assert_eq!(line_breaks("ab", 5..9), Vec::<usize>::new());
    }
}

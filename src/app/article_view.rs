//! The article pane: a read-only text view that lays out only the paragraphs in
//! view (plus a margin), keeps a per-paragraph height index so the scroll bar
//! covers the whole text, paints claim highlights and a selection that can cross
//! paragraph boundaries, and reports clicks to the app.
//!
//! egui's `TextEdit` lays out the whole text on the first frame and after every
//! highlight change; on a book-length article that is hundreds of milliseconds.
//! Here a frame lays out a screenful of paragraphs, whatever the article size.

use super::theme;
use crate::model::{AnnotationSet, Article, ClaimId, Overlay};
use egui::text::{CCursor, LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, FontId, Galley, Id, Pos2, Rect, Sense, Stroke, Ui, pos2, vec2};
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

/// One laid-out block of this frame. Never kept across frames.
struct Placed {
    block: usize,
    chars: Range<usize>,
    /// Screen position of the galley's top-left corner.
    origin: Pos2,
    galley: Arc<Galley>,
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
            let galleys: Vec<(usize, Arc<Galley>)> = (first..=last)
                .map(|block| {
                    (
                        block,
                        self.layout_block(ui, input, block, text_width, &font),
                    )
                })
                .collect();
            for (block, galley) in &galleys {
                self.heights
                    .set_measured(*block, galley.size().y, row_height);
            }
            if self.heights.stale_tops {
                self.heights.refresh_tops();
                ui.request_repaint();
            }
            let placed: Vec<Placed> = galleys
                .into_iter()
                .map(|(block, galley)| Placed {
                    block,
                    chars: self.heights.chars(block),
                    origin: pos2(left, top + self.heights.top(block)),
                    galley,
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
            self.paint(ui, &placed, visible, response.has_focus());
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
        let galley = self.layout_block(ui, input, block, width, font);
        let row_height = ui.fonts_mut(|f| f.row_height(font));
        self.heights
            .set_measured(block, galley.size().y, row_height);
        self.heights.refresh_tops();
        let local = offset - self.heights.chars(block).start;
        self.heights.top(block) + galley.pos_from_cursor(CCursor::new(local)).min.y
    }

    /// Builds one block's job with highlight sections and lays it out.
    /// egui's galley cache makes an unchanged block cheap to "lay out" again.
    fn layout_block(
        &self,
        ui: &Ui,
        input: &ViewInput<'_>,
        block: usize,
        width: f32,
        font: &FontId,
    ) -> Arc<Galley> {
        let article = &input.set.article;
        let chars = self.heights.chars(block);
        let text = article.slice(chars.clone()).to_owned();
        let dark = ui.visuals().dark_mode;
        let plain = TextFormat::simple(font.clone(), ui.visuals().text_color());
        let claims = input.set.claims();
        let selected = input
            .selected_claim
            .and_then(|id| input.set.claim_position(id));

        let mut to_byte = ByteWalker::new(&text, chars.start);
        let mut sections = Vec::new();
        let mut at_char = chars.start;
        let mut at_byte = 0;
        for span in input.overlay.spans_in(chars.clone()) {
            let start = span.range.start.max(chars.start);
            let end = span.range.end.min(chars.end);
            if start > at_char {
                let byte = to_byte.byte_of(start);
                sections.push((at_byte..byte, plain.clone()));
                at_byte = byte;
            }
            let members = input.overlay.claims_of(span);
            let mut format = plain.clone();
            let statuses = members
                .iter()
                .filter_map(|&i| claims.get(i as usize))
                .map(|c| c.status);
            format.background = theme::highlight_color(statuses, dark);
            if let Some(claim) = selected
                .filter(|s| members.contains(&(*s as u32)))
                .and_then(|s| claims.get(s))
            {
                format.underline = Stroke::new(2.5, theme::status_color(claim.status, dark));
            }
            let byte = to_byte.byte_of(end);
            sections.push((at_byte..byte, format));
            at_byte = byte;
            at_char = end;
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
        ui.fonts_mut(|f| f.layout_job(job))
    }

    fn hit(&self, placed: &[Placed], pos: Pos2) -> Option<usize> {
        let p = placed
            .iter()
            .find(|p| pos.y < p.origin.y + p.galley.size().y)
            .or_else(|| placed.last())?;
        let cursor = p.galley.cursor_from_pos(pos - p.origin);
        Some(p.chars.start + cursor.index.0.min(p.chars.len()))
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
        }
        if response.dragged()
            && let Some(pos) = response.interact_pointer_pos()
        {
            let at = self.hit(placed, pos);
            if let (Some(sel), Some(at)) = (self.selection.as_mut(), at) {
                sel.cursor = at;
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
            let word = article.word_at(at);
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
                Key::ArrowLeft if modifiers.command => Some(article.prev_word_boundary(at)),
                Key::ArrowRight if modifiers.command => Some(article.next_word_boundary(at)),
                Key::ArrowLeft if !sel.is_empty() && !modifiers.shift => Some(sel.range().start),
                Key::ArrowRight if !sel.is_empty() && !modifiers.shift => Some(sel.range().end),
                Key::ArrowLeft => Some(at.saturating_sub(1)),
                Key::ArrowRight => Some((at + 1).min(article.char_count())),
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

    /// The char one row above/below `at`, using this frame's layout.
    fn vertical_move(&self, placed: &[Placed], at: usize, dy: f32) -> Option<usize> {
        let Some(p) = placed_at(placed, at) else {
            // Off screen: move by a paragraph.
            let block = self.heights.block_of(at) as isize + dy.signum() as isize;
            let block = block.clamp(0, self.heights.blocks.len() as isize - 1) as usize;
            return Some(self.heights.chars(block).start);
        };
        let rect = p.galley.pos_from_cursor(CCursor::new(at - p.chars.start));
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
        let cursor = next.galley.cursor_from_pos(vec2(rect.min.x, y));
        Some(next.chars.start + cursor.index.0)
    }

    fn paint(&self, ui: &Ui, placed: &[Placed], visible: Rect, focused: bool) {
        let painter = ui.painter_at(visible);
        let selection_fill = ui.visuals().selection.bg_fill;
        for p in placed {
            if let Some(sel) = self.selection.filter(|s| !s.is_empty()) {
                let range = sel.range();
                let start = range.start.max(p.chars.start);
                let end = range.end.min(p.chars.end);
                if start < end || (range.contains(&p.chars.end) && start <= end) {
                    for rect in
                        char_range_rects(&p.galley, start - p.chars.start, end - p.chars.start)
                    {
                        let mut rect = rect.translate(p.origin.to_vec2());
                        if end == p.chars.end
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
        }
        if focused
            && let Some(sel) = self.selection.filter(|s| s.is_empty())
            && let Some(p) = placed_at(placed, sel.cursor)
        {
            let rect = p
                .galley
                .pos_from_cursor(CCursor::new(sel.cursor - p.chars.start));
            let rect = rect.translate(p.origin.to_vec2());
            painter.line_segment(
                [rect.center_top(), rect.center_bottom()],
                ui.visuals().text_cursor.stroke,
            );
        }
    }
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
fn char_range_rects(galley: &Galley, start: usize, end: usize) -> Vec<Rect> {
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

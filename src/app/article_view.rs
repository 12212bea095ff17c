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
}

/// What happened in the view this frame, for the app to act on.
#[derive(Default)]
pub struct ViewOutput {
    /// A plain click (no drag) at this char offset and screen position.
    pub clicked: Option<(usize, Pos2)>,
}

/// Paragraph heights (estimated until laid out) and their running tops.
#[derive(Default)]
struct HeightIndex {
    /// What the heights were computed for: article, wrap width, font size.
    key: Option<(String, u32, u32)>,
    heights: Vec<f32>,
    measured: Vec<bool>,
    /// `tops[i]` is the y of paragraph i; `tops[n]` the total height.
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
        let key = (
            article.sha256().to_owned(),
            wrap_width.round() as u32,
            (font_size * 10.0) as u32,
        );
        if self.key.as_ref() == Some(&key) && self.heights.len() == article.line_count() {
            return;
        }
        let gap = row_height * PARAGRAPH_GAP_ROWS;
        let per_row = (wrap_width / char_width.max(1.0)).max(1.0);
        self.heights = (0..article.line_count())
            .map(|line| {
                let chars = article.line_range(line).len() as f32;
                (chars / per_row).ceil().max(1.0) * row_height + gap
            })
            .collect();
        self.measured = vec![false; self.heights.len()];
        self.key = Some(key);
        self.stale_tops = true;
        self.refresh_tops();
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

    fn set_measured(&mut self, line: usize, height: f32) {
        if let Some(h) = self.heights.get_mut(line) {
            self.measured[line] = true;
            if (*h - height).abs() > 0.1 {
                *h = height;
                self.stale_tops = true;
            }
        }
    }

    fn total(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    fn top(&self, line: usize) -> f32 {
        self.tops.get(line).copied().unwrap_or(0.0)
    }

    /// The paragraph at content height `y` (clamped).
    fn line_at(&self, y: f32) -> usize {
        let n = self.heights.len();
        self.tops[..n]
            .partition_point(|&top| top <= y)
            .saturating_sub(1)
    }
}

/// One laid-out paragraph of this frame. Never kept across frames.
struct Placed {
    line: usize,
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
}

impl ArticleView {
    /// Brings char `offset` into view on the next frame.
    pub fn scroll_to(&mut self, offset: usize) {
        self.scroll_to = Some(offset);
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

    /// Forgets layout state tied to the previous article.
    pub fn reset(&mut self) {
        *self = Self {
            id: self.id,
            ..Self::default()
        };
    }

    /// The non-empty range a "new claim" command should use.
    pub fn claim_range(&self) -> Option<Range<usize>> {
        self.selection.filter(|s| !s.is_empty()).map(|s| s.range())
    }

    pub fn show(&mut self, ui: &mut Ui, input: &ViewInput<'_>) -> ViewOutput {
        let article = &input.set.article;
        let font = FontId::proportional(input.font_size);
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
        let gap = row_height * PARAGRAPH_GAP_ROWS;

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
            let first = self.heights.line_at(viewport.top() - LAYOUT_MARGIN);
            let last = self.heights.line_at(viewport.bottom() + LAYOUT_MARGIN);
            let galleys: Vec<(usize, Arc<Galley>)> = (first..=last)
                .map(|line| {
                    (
                        line,
                        self.layout_paragraph(ui, input, line, text_width, &font),
                    )
                })
                .collect();
            for (line, galley) in &galleys {
                self.heights.set_measured(*line, galley.size().y + gap);
            }
            if self.heights.stale_tops {
                self.heights.refresh_tops();
                ui.request_repaint();
            }
            let placed: Vec<Placed> = galleys
                .into_iter()
                .map(|(line, galley)| Placed {
                    line,
                    chars: article.line_range(line),
                    origin: pos2(left, top + self.heights.top(line)),
                    galley,
                })
                .collect();

            let visible =
                Rect::from_min_size(content.min + viewport.min.to_vec2(), viewport.size());
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

    /// Content y of char `offset`, laying out its paragraph to be exact.
    fn offset_y(
        &mut self,
        ui: &Ui,
        input: &ViewInput<'_>,
        offset: usize,
        width: f32,
        font: &FontId,
    ) -> f32 {
        let line = input.set.article.line_of_char(offset);
        let galley = self.layout_paragraph(ui, input, line, width, font);
        let gap = ui.fonts_mut(|f| f.row_height(font)) * PARAGRAPH_GAP_ROWS;
        self.heights.set_measured(line, galley.size().y + gap);
        self.heights.refresh_tops();
        let local = offset - input.set.article.line_range(line).start;
        self.heights.top(line) + galley.pos_from_cursor(CCursor::new(local)).min.y
    }

    /// Builds one paragraph's job with highlight sections and lays it out.
    /// egui's galley cache makes an unchanged paragraph cheap to "lay out" again.
    fn layout_paragraph(
        &self,
        ui: &Ui,
        input: &ViewInput<'_>,
        line: usize,
        width: f32,
        font: &FontId,
    ) -> Arc<Galley> {
        let article = &input.set.article;
        let chars = article.line_range(line);
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
            format.background =
                theme::highlight_color(members.iter().map(|&i| claims[i as usize].status), dark);
            if let Some(sel) = selected.filter(|s| members.contains(&(*s as u32))) {
                format.underline = Stroke::new(2.5, theme::status_color(claims[sel].status, dark));
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
                    self.vertical_move(article, placed, at, dir * row_height)
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
    fn vertical_move(
        &self,
        article: &Article,
        placed: &[Placed],
        at: usize,
        dy: f32,
    ) -> Option<usize> {
        let Some(p) = placed_at(placed, at) else {
            // Off screen: move by a paragraph.
            let line = article.line_of_char(at) as isize + dy.signum() as isize;
            let line = line.clamp(0, article.line_count() as isize - 1) as usize;
            return Some(article.line_range(line).start);
        };
        let rect = p.galley.pos_from_cursor(CCursor::new(at - p.chars.start));
        let target = p.origin + vec2(rect.min.x, rect.center().y + dy);
        let inside = target.y >= p.origin.y && target.y <= p.origin.y + p.galley.size().y;
        if inside {
            return self.hit(placed, target);
        }
        let next = placed
            .iter()
            .find(|q| q.line as isize == p.line as isize + dy.signum() as isize)?;
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

/// The laid-out paragraph holding char `offset` (its end included).
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
    fn height_index_maps_y_to_paragraphs() {
        let article = Article::new("t", "one\ntwo two two two two two two\n\nfour");
        let mut index = HeightIndex::default();
        index.ensure(&article, 100.0, 16.0, 20.0, 10.0);
        assert_eq!(index.heights.len(), 4);
        // 27 chars at 10 chars per row: 3 rows, plus the paragraph gap.
        assert!((index.heights[1] - (3.0 * 20.0 + 9.0)).abs() < 0.01);
        assert_eq!(index.line_at(0.0), 0);
        assert_eq!(index.line_at(index.top(2) + 1.0), 2);
        assert_eq!(index.line_at(1e9), 3);
        assert_eq!(index.line_at(-5.0), 0);
        index.set_measured(1, 30.0);
        index.refresh_tops();
        assert!((index.total() - (29.0 + 30.0 + 29.0 + 29.0)).abs() < 0.01);
    }
}

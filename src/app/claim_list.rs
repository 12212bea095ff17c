//! The claim list: every claim with its quote, status, claimant and stance
//! chips, filtered by text, status and party. Only visible rows are drawn, and
//! the filtered index is cached per document revision.

use super::bidi_layout;
use super::theme;
use crate::model::{AnnotationSet, ClaimId, Document, PartyId, RatingId, Stance, Status, Verdict};
use egui::{Color32, Sense, Ui, vec2};
use std::rc::Rc;

const ROW_HEIGHT: f32 = 46.0;

#[derive(Clone, Debug, PartialEq)]
struct Filter {
    text: String,
    statuses: [bool; 3],
    party: Option<PartyId>,
    verdict: VerdictFilter,
}

/// Which verdicts the list shows.
#[derive(Clone, Debug, PartialEq)]
enum VerdictFilter {
    Any,
    /// Claims still without a verdict.
    Missing,
    Rating(RatingId),
}

impl VerdictFilter {
    fn shows(&self, verdict: Option<&Verdict>) -> bool {
        match self {
            VerdictFilter::Any => true,
            VerdictFilter::Missing => verdict.is_none(),
            VerdictFilter::Rating(id) => verdict.is_some_and(|v| &v.rating == id),
        }
    }

    fn label<'a>(&'a self, set: &'a AnnotationSet) -> &'a str {
        match self {
            VerdictFilter::Any => "Any verdict",
            VerdictFilter::Missing => "No verdict yet",
            VerdictFilter::Rating(id) => set.rating(id).map_or(id.0.as_str(), |r| &r.label),
        }
    }
}

pub struct ClaimList {
    filter: Filter,
    /// (document revision, filter) -> indices of matching claims.
    cache: Option<(u64, Filter, Rc<[usize]>)>,
    /// Scroll this claim into view on the next frame.
    reveal: Option<ClaimId>,
    /// Scroll back to the top on the next frame (a new document).
    to_top: bool,
}

impl Default for ClaimList {
    fn default() -> Self {
        Self {
            filter: Filter {
                text: String::new(),
                statuses: [true; 3],
                party: None,
                verdict: VerdictFilter::Any,
            },
            cache: None,
            reveal: None,
            to_top: true,
        }
    }
}

/// `text` cut to `max` chars on one line, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    match one_line.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

fn status_index(status: Status) -> usize {
    match status {
        Status::Unreviewed => 0,
        Status::Agreed => 1,
        Status::Disputed => 2,
    }
}

impl ClaimList {
    /// The id the list has keyboard focus under (a click on a row gives it).
    pub fn focus_id() -> egui::Id {
        egui::Id::unique("claim-list-focus")
    }

    pub fn reveal(&mut self, id: Option<ClaimId>) {
        self.reveal = id;
    }

    /// Indices (into `claims()`) of the claims passing the filter, in text order.
    /// Shared, so drawing the list does not copy 10,000 indices every frame.
    pub fn visible_claims(&mut self, doc: &Document) -> Rc<[usize]> {
        let revision = doc.set().revision();
        if let Some((rev, filter, hits)) = &self.cache
            && *rev == revision
            && *filter == self.filter
        {
            return hits.clone();
        }
        let set = doc.set();
        let needle = self.filter.text.trim().to_lowercase();
        let hits: Rc<[usize]> = set
            .claims()
            .iter()
            .enumerate()
            .filter(|(_, c)| self.filter.statuses[status_index(c.status)])
            .filter(|(_, c)| self.filter.party.as_ref().is_none_or(|p| c.uses_party(p)))
            .filter(|(_, c)| self.filter.verdict.shows(c.verdict.as_ref()))
            .filter(|(_, c)| {
                needle.is_empty() || {
                    let claimant = c
                        .claimant
                        .as_ref()
                        .and_then(|p| set.party(p))
                        .map(|p| p.name.as_str());
                    [
                        Some(c.anchor.exact.as_str()),
                        Some(c.note.as_str()),
                        claimant,
                    ]
                    .into_iter()
                    .flatten()
                    .chain(
                        c.evidence
                            .iter()
                            .flat_map(|e| [e.url.as_str(), e.quote.as_str()]),
                    )
                    .any(|t| t.to_lowercase().contains(&needle))
                }
            })
            .map(|(i, _)| i)
            .collect();
        self.cache = Some((revision, self.filter.clone(), hits.clone()));
        hits
    }

    /// Draws the list; returns a claim the user picked.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        selected: Option<&ClaimId>,
    ) -> Option<ClaimId> {
        let set = doc.set();
        ui.add_space(4.0);
        ui.heading("Claims");
        ui.add(
            egui::TextEdit::singleline(&mut self.filter.text)
                .hint_text("Search quotes, notes, parties")
                .desired_width(f32::INFINITY),
        );
        ui.horizontal_wrapped(|ui| {
            let dark = ui.visuals().dark_mode;
            for status in Status::ALL {
                let on = &mut self.filter.statuses[status_index(status)];
                let text =
                    egui::RichText::new(status.label()).color(theme::status_color(status, dark));
                ui.toggle_value(on, text)
                    .on_hover_text("Show or hide claims with this status");
            }
        });
        let party_label = self
            .filter
            .party
            .as_ref()
            .and_then(|p| set.party(p))
            .map_or_else(|| "Any party".to_owned(), |p| p.name.clone());
        egui::ComboBox::new("party-filter", "Party")
            .selected_text(party_label)
            .width(ui.available_width() - 60.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.filter.party, None, "Any party");
                for party in set.parties() {
                    ui.selectable_value(
                        &mut self.filter.party,
                        Some(party.id.clone()),
                        &party.name,
                    );
                }
            });
        egui::ComboBox::new("verdict-filter", "Verdict")
            .selected_text(self.filter.verdict.label(doc.set()).to_owned())
            .width(ui.available_width() - 60.0)
            .show_ui(ui, |ui| {
                let choices = [VerdictFilter::Any, VerdictFilter::Missing]
                    .into_iter()
                    .chain(
                        doc.set()
                            .ratings()
                            .iter()
                            .map(|r| VerdictFilter::Rating(r.id.clone())),
                    );
                for choice in choices {
                    let label = choice.label(doc.set()).to_owned();
                    ui.selectable_value(&mut self.filter.verdict, choice, label);
                }
            });
        let visible = self.visible_claims(doc);
        ui.label(
            egui::RichText::new(format!(
                "{} of {} claims",
                visible.len(),
                set.claims().len()
            ))
            .weak(),
        );
        ui.separator();
        if set.claims().is_empty() {
            ui.label("No claims yet. Select text in the article and press Ctrl+Enter (or the + New claim button).");
            return None;
        }

        let mut picked = None;
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("claim-list-scroll")
            .auto_shrink(false);
        if std::mem::take(&mut self.to_top) {
            scroll = scroll.vertical_scroll_offset(0.0);
        } else if let Some(id) = self.reveal.take()
            && let Some(row) = visible.iter().position(|&i| set.claims()[i].id == id)
        {
            let spacing = ui.spacing().item_spacing.y;
            let y = row as f32 * (ROW_HEIGHT + spacing);
            let view = ui.available_height();
            let current = egui::scroll_area::State::load(
                ui.ctx(),
                ui.make_persistent_id("claim-list-scroll"),
            )
            .map_or(0.0, |s| s.clamped_offset().y);
            if y < current || y + ROW_HEIGHT > current + view {
                scroll = scroll.vertical_scroll_offset((y - view / 3.0).max(0.0));
            }
        }
        let shown = scroll.show_rows(ui, ROW_HEIGHT, visible.len(), |ui, rows| {
            for &index in &visible[rows] {
                let claim = &set.claims()[index];
                let is_selected = selected == Some(&claim.id);
                if claim_row(ui, doc, index, is_selected).clicked() {
                    picked = Some(claim.id.clone());
                }
            }
        });
        // The list as a whole takes the keyboard focus when a row is clicked,
        // so the claim keys (A, D, J, …) act on it.
        let list = ui.interact(
            shown.inner_rect,
            Self::focus_id(),
            Sense::focusable_noninteractive(),
        );
        if picked.is_some() {
            list.request_focus();
        }
        picked
    }
}

/// One list row: status bar, quote, then claimant and stance chips.
fn claim_row(ui: &mut Ui, doc: &Document, index: usize, selected: bool) -> egui::Response {
    let set = doc.set();
    let claim = &set.claims()[index];
    let dark = ui.visuals().dark_mode;
    let (rect, response) =
        ui.allocate_exact_size(vec2(ui.available_width(), ROW_HEIGHT), Sense::click());
    // Everything the row shows, whole, for screen readers and for the chips
    // the row has no room for.
    let mut label = format!(
        "{}{}{}: “{}”",
        if claim.conflict.is_some() {
            "conflict "
        } else {
            ""
        },
        theme::anchor_tag(&claim.anchor_state, ui.visuals())
            .map_or(String::new(), |(t, _)| format!("{t} ")),
        claim.status.label(),
        shorten(&claim.anchor.exact, 80)
    );
    if let Some(verdict) = &claim.verdict {
        label.push_str(&format!(" — verdict {}", set.verdict_label(Some(verdict))));
    }
    if let Some(party) = claim.claimant.as_ref().and_then(|p| set.party(p)) {
        label.push_str(&format!(" — by {}", party.name));
    }
    let stances: Vec<String> = claim
        .stances
        .iter()
        .filter_map(|(p, s)| Some(format!("{} {}", set.party(p)?.name, s.label())))
        .collect();
    if !stances.is_empty() {
        label.push_str(&format!("; {}", stances.join(", ")));
    }
    response
        .widget_info(|| egui::WidgetInfo::selected(egui::Role::ListItem, true, selected, &label));
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    if selected {
        painter.rect_filled(rect, 4.0, visuals.selection.bg_fill.gamma_multiply(0.5));
    } else if response.hovered() {
        painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let bar = egui::Rect::from_min_size(rect.min + vec2(2.0, 4.0), vec2(5.0, ROW_HEIGHT - 8.0));
    painter.rect_filled(bar, 2.0, theme::status_color(claim.status, dark));

    let text_left = rect.left() + 14.0;
    let width = rect.width() - 18.0;
    let quote_font = egui::FontId::proportional(14.0);
    let quote = format!("“{}”", shorten(&claim.anchor.exact, 200));
    // Right-to-left quotes are laid out in screen order, from the right.
    let (galley, x) = if bidi_layout::needs_own_layout(&quote, None) {
        // Only its first row is shown.
        let block = bidi_layout::label_block(painter.ctx(), &quote, width, &quote_font, 1);
        let x = if block.right_aligned() {
            text_left + width
        } else {
            text_left
        };
        (block.galley.clone(), x)
    } else {
        let galley = painter.layout(quote, quote_font, visuals.strong_text_color(), width);
        (galley, text_left)
    };
    let first_row = galley.rows.first().map_or(0.0, |r| r.size.y);
    painter
        .with_clip_rect(egui::Rect::from_min_size(
            rect.min,
            vec2(rect.width(), 4.0 + first_row),
        ))
        .galley(
            egui::pos2(x, rect.top() + 4.0),
            galley,
            visuals.strong_text_color(),
        );

    // Second line: anchor state (when not exact), status, claimant, stance chips.
    let meta_font = egui::FontId::proportional(12.0);
    let mut x = text_left;
    let y = rect.top() + 26.0;
    let put_galley = |g: std::sync::Arc<egui::Galley>, color: Color32, x: &mut f32| {
        let w = g.size().x;
        painter.galley(egui::pos2(*x, y), g, color);
        *x += w + 8.0;
    };
    let put = |text: String, color: Color32, x: &mut f32| {
        put_galley(
            painter.layout_no_wrap(text, meta_font.clone(), color),
            color,
            x,
        );
    };
    if claim.conflict.is_some() {
        put("conflict".to_owned(), visuals.error_fg_color, &mut x);
    }
    if let Some((tag, color)) = theme::anchor_tag(&claim.anchor_state, visuals) {
        put(tag.to_owned(), color, &mut x);
    }
    put(
        claim.status.label().to_owned(),
        theme::status_color(claim.status, dark),
        &mut x,
    );
    if let Some(rated) = claim.verdict.as_ref().and_then(|v| set.rating(&v.rating)) {
        put(
            rated.label.clone(),
            theme::rating_color(rated.color, dark),
            &mut x,
        );
    }
    if let Some(party) = claim.claimant.as_ref().and_then(|p| set.party(p)) {
        let by = format!("by {}", party.name);
        let by = one_line(&by, meta_font.clone(), visuals.text_color(), 160.0);
        put_galley(painter.layout_job(by), visuals.text_color(), &mut x);
    }
    let stances: Vec<_> = claim
        .stances
        .iter()
        .filter_map(|(p, s)| Some((set.party(p)?, s)))
        .collect();
    let mut left = stances.len();
    for (party, stance) in stances {
        let mark = match stance {
            Stance::Agrees => "+",
            Stance::Disputes => "×",
        };
        // Each chip gets its share of the room left; a long name is cut with
        // an ellipsis (the row's tooltip and accessible name have it whole).
        let room = (rect.right() - 4.0 - x) / left as f32 - 12.0;
        left -= 1;
        if room < 24.0 {
            put("…".to_owned(), visuals.weak_text_color(), &mut x);
            break;
        }
        let chip = format!("{mark} {}", party.name);
        let job = one_line(&chip, meta_font.clone(), Color32::WHITE, room);
        let g = painter.layout_job(job);
        let chip_rect =
            egui::Rect::from_min_size(egui::pos2(x, y - 1.0), g.size() + vec2(8.0, 2.0));
        painter.rect_filled(chip_rect, 6.0, theme::party_color(party.color));
        painter.galley(chip_rect.min + vec2(4.0, 1.0), g, Color32::WHITE);
        x = chip_rect.right() + 4.0;
    }
    response.on_hover_text(label)
}

/// `text` on one line of at most `width` points, cut with an ellipsis.
fn one_line(text: &str, font: egui::FontId, color: Color32, width: f32) -> egui::text::LayoutJob {
    let mut job = egui::text::LayoutJob::single_section(
        text.to_owned(),
        egui::TextFormat::simple(font, color),
    );
    job.wrap = egui::text::TextWrapping::truncate_at_width(width);
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_on_char_boundaries() {
        assert_eq!(shorten("“satisfactory”", 5), "“sati…");
        assert_eq!(shorten("a\nb", 10), "a b");
        assert_eq!(shorten("short", 5), "short");
    }
}

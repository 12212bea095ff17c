//! Colours for statuses, parties and highlights, readable in light and dark themes.

use crate::model::{AnchorState, Rgb, Status};
use egui::Color32;

/// The solid colour of a status (legend swatches, list chips).
pub fn status_color(status: Status, dark_mode: bool) -> Color32 {
    match (status, dark_mode) {
        (Status::Unreviewed, false) => Color32::from_rgb(0xc8, 0x96, 0x00),
        (Status::Unreviewed, true) => Color32::from_rgb(0xe6, 0xb4, 0x22),
        (Status::Agreed, false) => Color32::from_rgb(0x1e, 0x8c, 0x4e),
        (Status::Agreed, true) => Color32::from_rgb(0x4c, 0xc3, 0x7a),
        (Status::Disputed, false) => Color32::from_rgb(0xc9, 0x2a, 0x2a),
        (Status::Disputed, true) => Color32::from_rgb(0xf0, 0x5a, 0x5a),
    }
}

/// Translucent highlight behind a span covered by claims of these statuses.
/// Each covering claim deepens the tint, so nested claims stay distinguishable
/// while the text on top stays readable.
pub fn highlight_color(statuses: impl Iterator<Item = Status>, dark_mode: bool) -> Color32 {
    let (mut r, mut g, mut b, mut n) = (0u32, 0u32, 0u32, 0u32);
    for status in statuses {
        let c = status_color(status, dark_mode);
        r += u32::from(c.r());
        g += u32::from(c.g());
        b += u32::from(c.b());
        n += 1;
    }
    if n == 0 {
        return Color32::TRANSPARENT;
    }
    let base_alpha: u32 = if dark_mode { 70 } else { 60 };
    let alpha = (base_alpha + 45 * (n - 1)).min(190) as u8;
    Color32::from_rgba_unmultiplied((r / n) as u8, (g / n) as u8, (b / n) as u8, alpha)
}

/// Translucent marks behind what a changed quote lost (on its old text) and
/// gained (on its new text): the disputed and agreed hues.
pub fn change_colors(dark_mode: bool) -> (Color32, Color32) {
    let alpha = if dark_mode { 110 } else { 80 };
    let tint = |status| {
        let c = status_color(status, dark_mode);
        Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), alpha)
    };
    (tint(Status::Disputed), tint(Status::Agreed))
}

pub fn party_color(color: Rgb) -> Color32 {
    let [r, g, b] = color.0;
    Color32::from_rgb(r, g, b)
}

/// A rating's colour as text: lightened on a dark background so that its
/// label stays readable.
pub fn rating_color(color: Rgb, dark_mode: bool) -> Color32 {
    let base = party_color(color);
    if dark_mode {
        base.lerp_to_gamma(Color32::WHITE, 0.3)
    } else {
        base
    }
}

/// A short tag and colour for a claim whose anchor is not exact: where the
/// article changed, the list says so before anything else.
pub fn anchor_tag(state: &AnchorState, visuals: &egui::Visuals) -> Option<(&'static str, Color32)> {
    match state {
        // Over a missing article every claim is an excerpt; the banner says so once.
        AnchorState::Exact | AnchorState::Excerpt { .. } => None,
        AnchorState::Moved { .. } => Some(("moved", visuals.weak_text_color())),
        AnchorState::Fuzzy { .. } => Some(("check", visuals.warn_fg_color)),
        AnchorState::Orphaned => Some(("unplaced", visuals.error_fg_color)),
    }
}

/// The tinted box for notices above the article (a changed or missing article).
pub fn notice_frame(visuals: &egui::Visuals) -> egui::Frame {
    egui::Frame::new()
        .fill(visuals.warn_fg_color.gamma_multiply(0.2))
        .inner_margin(6.0)
}

/// Widest a party name is shown beside other controls, in points.
pub const NAME_WIDTH: f32 = 160.0;

/// A name (a party's, from any file) in at most `width` points on one line:
/// cut with an ellipsis and shown whole on hover, so a long name can never
/// push the controls beside it out of their panel.
pub fn name_label(ui: &mut egui::Ui, name: &str, width: f32) -> egui::Response {
    ui.scope(|ui| {
        ui.set_max_width(width);
        ui.add(egui::Label::new(name).truncate())
    })
    .inner
}

/// A drop-down box at least `width` points wide showing a name, cut with an
/// ellipsis where the space beside it ends (the box never grows its panel).
pub fn name_combo(
    id: impl std::hash::Hash + std::fmt::Debug,
    selected: String,
    width: f32,
) -> egui::ComboBox<'static> {
    egui::ComboBox::from_id_salt(id)
        .selected_text(selected)
        .width(width)
        .truncate()
}

/// A choice in a drop-down list that shows a name: one line, cut with an
/// ellipsis when long.
pub fn name_choice(ui: &mut egui::Ui, selected: bool, name: &str) -> egui::Response {
    ui.set_max_width(2.0 * NAME_WIDTH);
    ui.add(egui::Button::selectable(selected, name).truncate())
}

//! The editable head of a row in the Parties and Rating scale windows: a
//! colour button and a name field. A field being edited keeps its own text,
//! so it may be empty while typing; the windows turn what changed into
//! their own edits.

use super::within;
use crate::format::limits;
use crate::model::Rgb;

/// Width of a name field, in points. Fixed, since a grid cell would
/// otherwise give the field last frame's column width (once about 4 chars).
const NAME_FIELD_WIDTH: f32 = 240.0;

/// What the user did to one row this frame.
#[derive(Default)]
pub struct RowChange {
    pub color: Option<Rgb>,
    /// The new name, when it changed and is not blank.
    pub name: Option<String>,
    /// The name field lost the focus: typing later is a new undo step.
    pub left: bool,
}

/// Draws the colour button and name field of the entry `id` named `name`.
/// `editing` holds the text of the field being edited, by entry id.
pub fn colour_and_name(
    ui: &mut egui::Ui,
    editing: &mut Option<(String, String)>,
    id: &str,
    name: &str,
    color: Rgb,
    hint: &str,
) -> RowChange {
    let mut change = RowChange::default();
    let mut rgb = color.0;
    let colour = egui::color_picker::color_edit_button_srgb(ui, &mut rgb);
    let label = format!("Colour of {name}");
    colour.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ColorWell, true, &label));
    if colour.changed() {
        change.color = Some(Rgb(rgb));
    }
    let mut text = match editing {
        Some((editing_id, text)) if editing_id == id => text.clone(),
        _ => name.to_owned(),
    };
    let field = ui.add_sized(
        [NAME_FIELD_WIDTH, ui.spacing().interact_size.y],
        egui::TextEdit::singleline(&mut text)
            .char_limit(within(limits::MAX_NAME_BYTES))
            .hint_text(hint),
    );
    if field.changed() {
        if !text.trim().is_empty() {
            change.name = Some(text.clone());
        }
        *editing = Some((id.to_owned(), text));
    }
    if field.lost_focus() {
        *editing = None;
        change.left = true;
    }
    change
}

/// "1 claim", "3 claims": how many claims use an entry.
pub fn claims(n: usize) -> String {
    match n {
        1 => "1 claim".to_owned(),
        n => format!("{n} claims"),
    }
}

//! The menu bar, made from the command registry: each command in its menu,
//! with its label, shortcut and tooltip, greyed out when it can do nothing.

use super::FactmarkApp;
use super::command::{Command, Menu};
use super::files::Opening;
use super::intent::Intent;
use super::prefs::ThemeChoice;
use egui::Ui;
use std::path::PathBuf;

/// What the menus show, taken from the app before drawing.
pub struct MenuInput {
    enabled: Vec<(Command, bool)>,
    undo_label: Option<&'static str>,
    redo_label: Option<&'static str>,
    recent: Vec<PathBuf>,
    embed_article: bool,
    theme: ThemeChoice,
    shown: (bool, bool),
}

impl MenuInput {
    pub fn of(app: &FactmarkApp) -> Self {
        let history = app.state.doc.history();
        Self {
            enabled: Command::ALL.iter().map(|&c| (c, app.can(c))).collect(),
            undo_label: history.undo_label(),
            redo_label: history.redo_label(),
            recent: app.prefs.recent.clone(),
            embed_article: app.state.embed_article,
            theme: app.prefs.theme,
            shown: (app.prefs.show_list, app.prefs.show_editor),
        }
    }

    fn enabled(&self, command: Command) -> bool {
        self.enabled.iter().any(|&(c, on)| c == command && on)
    }
}

pub fn menu_bar(ui: &mut Ui, input: &MenuInput) -> Vec<Intent> {
    let mut intents = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        for (menu, title) in [
            (Menu::File, "File"),
            (Menu::Edit, "Edit"),
            (Menu::View, "View"),
            (Menu::Help, "Help"),
        ] {
            ui.menu_button(title, |ui| {
                for command in Command::ALL.into_iter().filter(|c| c.spec().menu == menu) {
                    if menu == Menu::View && command == Command::ZoomIn {
                        theme_choice(ui, input, &mut intents);
                    }
                    item(ui, input, command, &mut intents);
                    if command == Command::Open {
                        recent(ui, input, &mut intents);
                    }
                    if command == Command::SaveAs {
                        let mut embed = input.embed_article;
                        let changed = ui
                            .checkbox(&mut embed, "Save with article")
                            .on_hover_text(
                                "Carry the article text in the annotation file, for colleagues \
                                 who do not have it",
                            )
                            .changed();
                        if changed {
                            intents.push(Intent::EmbedArticle(embed));
                        }
                    }
                    if matches!(command, Command::SaveAs | Command::Redo | Command::FindNext) {
                        ui.separator();
                    }
                }
            });
        }
    });
    intents
}

fn item(ui: &mut Ui, input: &MenuInput, command: Command, intents: &mut Vec<Intent>) {
    let spec = command.spec();
    let label = match command {
        Command::Undo => input
            .undo_label
            .map_or_else(|| "Undo".to_owned(), |l| format!("Undo {l}")),
        Command::Redo => input
            .redo_label
            .map_or_else(|| "Redo".to_owned(), |l| format!("Redo {l}")),
        _ => spec.label.to_owned(),
    };
    let shown = match command {
        Command::ToggleClaimList => input.shown.0,
        Command::ToggleClaimEditor => input.shown.1,
        _ => false,
    };
    let keys = command.keys_text();
    // A panel's item reads as selected while the panel is shown.
    let button = egui::Button::selectable(shown, label);
    let button = if keys.is_empty() {
        button
    } else {
        button.shortcut_text(keys)
    };
    if ui
        .add_enabled(input.enabled(command), button)
        .on_hover_text(spec.tooltip)
        .clicked()
    {
        intents.push(Intent::Run(command));
        ui.close();
    }
}

fn recent(ui: &mut Ui, input: &MenuInput, intents: &mut Vec<Intent>) {
    ui.menu_button("Open recent", |ui| {
        if input.recent.is_empty() {
            ui.label("No recent files");
        }
        for path in &input.recent {
            if ui.button(path.display().to_string()).clicked() {
                intents.push(Intent::Open(Opening::File(path.clone())));
                ui.close();
            }
        }
    });
}

fn theme_choice(ui: &mut Ui, input: &MenuInput, intents: &mut Vec<Intent>) {
    ui.separator();
    ui.label("Theme");
    for (choice, label) in [
        (ThemeChoice::System, "Follow system"),
        (ThemeChoice::Light, "Light"),
        (ThemeChoice::Dark, "Dark"),
    ] {
        if ui.radio(input.theme == choice, label).clicked() {
            intents.push(Intent::Theme(choice));
        }
    }
    ui.separator();
}

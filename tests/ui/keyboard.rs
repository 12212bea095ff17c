//! Keys do what the user meant: typing into a field never changes a claim,
//! shortcuts act where they should, dialogs and windows close with Esc.

use super::common::*;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use factmark::app::{FactmarkApp, Startup};
use factmark::model::Status;

/// A key going down or up, as the window system sends it.
fn key(key: egui::Key, pressed: bool, modifiers: egui::Modifiers) -> egui::Event {
    egui::Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    }
}

/// Types `text` the way a fast typist does: each letter a key press (no
/// modifier held) and the text it makes, all in the next frame's events
/// (kittest's own helpers give each event a frame of its own).
fn type_keys(h: &mut Harness<'static, FactmarkApp>, text: &str) {
    let events = &mut h.input_mut().events;
    for c in text.chars() {
        let letter = egui::Key::from_name(&c.to_ascii_uppercase().to_string());
        if let Some(letter) = letter {
            events.push(key(letter, true, egui::Modifiers::NONE));
        }
        events.push(egui::Event::Text(c.to_string()));
        if let Some(letter) = letter {
            events.push(key(letter, false, egui::Modifiers::NONE));
        }
    }
}

/// The status of the claim whose quote starts with `quote`.
fn status(h: &Harness<'static, FactmarkApp>, quote: &str) -> Option<Status> {
    status_of(h, quote)
}

/// A fresh app with one claim, marked Agreed with the A key.
fn one_agreed_claim() -> (tempfile::TempDir, Harness<'static, FactmarkApp>) {
    let (dir, mut h) = started();
    find_and_claim(&mut h, "1,000 prisoners");
    type_keys(&mut h, "a");
    h.run();
    assert_eq!(status(&h, "1,000"), Some(Status::Agreed), "A marks it");
    (dir, h)
}

#[test]
fn typing_into_a_new_evidence_field_goes_into_it() {
    // Once: + Add evidence, type "du" → the link stayed empty and the status
    // went Agreed → Disputed → Unreviewed.
    let (_dir, mut h) = one_agreed_claim();
    h.get_by_label("+ Add evidence").click();
    h.run();
    type_keys(&mut h, "du");
    h.run();
    // The link field (its hint is gone once it holds text) has what was typed.
    let link = h.get(By::new().role(Role::TextInput).value("du"));
    assert!(link.is_focused(), "the field that looks focused is focused");
    assert_eq!(
        status(&h, "1,000"),
        Some(Status::Agreed),
        "the status is untouched"
    );
}

#[test]
fn after_adding_a_party_with_enter_typing_goes_on_in_the_field() {
    let (_dir, mut h) = one_agreed_claim();
    field(&h, "New party name").click();
    h.run();
    type_keys(&mut h, "Russia");
    h.key_press(egui::Key::Enter);
    h.run();
    type_keys(&mut h, "du");
    h.run();
    assert_eq!(h.state().document().set().parties().len(), 1);
    assert!(
        h.get(By::new().role(Role::TextInput).value("du"))
            .is_focused()
    );
    assert_eq!(status(&h, "1,000"), Some(Status::Agreed));
    // The same in the Parties window.
    h.get_by_label("Manage parties…").click();
    h.run();
    field(&h, "New party name").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    type_keys(&mut h, "Ukraine");
    h.key_press(egui::Key::Enter);
    h.run();
    type_keys(&mut h, "ad");
    h.run();
    assert_eq!(h.state().document().set().parties().len(), 2);
    assert_eq!(status(&h, "1,000"), Some(Status::Agreed));
}

#[test]
fn typing_fast_right_after_ctrl_f_goes_into_the_find_field() {
    // A long article, the article focused, a claim selected: Ctrl+F and two
    // letters arrive in one frame, as at 10 ms a key.
    let (dir, _) = workspace();
    let long = dir.path().join("long.txt");
    let text = std::fs::read_to_string(repo_file("assets/articles/peace-talks.txt"))
        .unwrap_or_default()
        .repeat(40);
    std::fs::write(&long, text).unwrap_or_else(|e| panic!("{e}"));
    let mut h = open(&long);
    h.run();
    find_and_claim(&mut h, "1,000 prisoners");
    type_keys(&mut h, "a");
    h.run();
    assert_eq!(status(&h, "1,000"), Some(Status::Agreed));
    // Ctrl+F pressed and released, then "du", all in one frame.
    let events = &mut h.input_mut().events;
    events.push(key(egui::Key::F, true, egui::Modifiers::COMMAND));
    events.push(key(egui::Key::F, false, egui::Modifiers::COMMAND));
    type_keys(&mut h, "du");
    h.run();
    let find = h.get_by_label("Find");
    assert_eq!(find.value().as_deref(), Some("du"));
    assert_eq!(status(&h, "1,000"), Some(Status::Agreed));
}

#[test]
fn a_field_behind_a_dialog_takes_no_typing() {
    let (_dir, mut h) = one_agreed_claim();
    let title = h.state().document().set().article.title().to_owned();
    h.get_by_label("Title").click();
    h.run();
    request_close(&mut h);
    h.run();
    h.get_by_label("Unsaved changes");
    type_keys(&mut h, "xd");
    h.run();
    assert_eq!(h.state().document().set().article.title(), title);
    assert_eq!(status(&h, "1,000"), Some(Status::Agreed));
}

#[test]
fn letters_act_on_the_claim_list_once_it_is_clicked() {
    let (_dir, mut h) = one_agreed_claim();
    // Focus elsewhere (the Find field), then back on the list with a click.
    h.get_by_label("Find").click();
    h.run();
    type_keys(&mut h, "d");
    h.run();
    assert_eq!(status(&h, "1,000"), Some(Status::Agreed), "typed into Find");
    h.get(
        By::new()
            .role(Role::ListItem)
            .label_contains("1,000 prisoners"),
    )
    .click();
    h.run();
    type_keys(&mut h, "d");
    h.run();
    assert_eq!(status(&h, "1,000"), Some(Status::Disputed));
}

#[test]
fn backspace_says_what_it_deleted_and_how_to_undo() {
    let (_dir, mut h) = one_agreed_claim();
    h.key_press(egui::Key::Backspace);
    h.run();
    assert!(h.state().document().set().claims().is_empty());
    let said = h.state().status_message().unwrap_or_default().to_owned();
    assert!(
        said.contains("1,000 prisoners") && said.contains("Ctrl+Z"),
        "{said}"
    );
    h.get_by_label_contains("Ctrl+Z brings it back");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().document().set().claims().len(), 1);
}

#[test]
fn ctrl_f_again_selects_the_old_query_so_typing_replaces_it() {
    let (_dir, mut h) = started();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    type_keys(&mut h, "talks");
    h.run();
    assert_eq!(h.get_by_label("Find").value().as_deref(), Some("talks"));
    h.get_by_label("Article text").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    type_keys(&mut h, "envoy");
    h.run();
    assert_eq!(h.get_by_label("Find").value().as_deref(), Some("envoy"));
}

#[test]
fn esc_closes_the_shortcuts_window() {
    let (_dir, mut h) = started();
    h.key_press(egui::Key::F1);
    h.run();
    h.get_by_label_contains("Esc closes this window");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.query_by_label_contains("Esc closes this window")
            .is_none()
    );
}

#[test]
fn enter_in_a_field_does_not_send_the_focus_to_the_menu() {
    let (_dir, mut h) = started();
    h.get_by_label("Title").click();
    h.run();
    type_keys(&mut h, "s");
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(!h.get_by_label("File").is_focused(), "not the File menu");
    assert!(h.get_by_label("Article text").is_focused(), "the text");
}

#[test]
fn a_newly_opened_file_starts_at_the_top_with_an_empty_find_field() {
    let (dir, _) = workspace();
    let long = dir.path().join("long.txt");
    let text = std::fs::read_to_string(repo_file("assets/articles/peace-talks.txt"))
        .unwrap_or_default()
        .repeat(30);
    std::fs::write(&long, &text).unwrap_or_else(|e| panic!("{e}"));
    let other = dir.path().join("other.txt");
    std::fs::write(&other, &text).unwrap_or_else(|e| panic!("{e}"));
    let mut h = open(&long);
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    type_keys(&mut h, "disagreed.");
    h.run();
    for _ in 0..25 {
        h.key_press(egui::Key::F3);
        h.run();
    }
    assert!(h.state().view().top_char() > 1000, "scrolled down");
    h.state_mut().open_file(other.clone());
    h.run();
    assert_eq!(h.state().view().top_char(), 0, "at the top");
    assert_eq!(h.get_by_label("Find").value().as_deref(), Some(""));
}

#[test]
fn the_first_save_asks_for_the_name_to_record() {
    let (dir, article) = workspace();
    let app = FactmarkApp::new(
        Startup {
            path: Some(article),
            article: None,
            data_dir: None,
            background: false,
        },
        factmark::app::Prefs {
            author: "anonymous".into(),
            ..factmark::app::Prefs::default()
        },
    );
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(60)
        .build_ui_state(|ui, app: &mut FactmarkApp| app.ui(ui), app);
    h.run();
    find_and_claim(&mut h, "satisfactory");
    let path = dir.path().join("named.ron");
    save_as(&mut h, &path);
    h.get_by_label("Your name");
    assert!(!path.exists(), "nothing saved before the name is given");
    let name = h.get(By::new().role(Role::TextInput).label("Name"));
    name.click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get(By::new().role(Role::TextInput).label("Name"))
        .type_text("Ada Lovelace");
    h.run();
    // Enter takes the name, as the button does.
    h.key_press(egui::Key::Enter);
    h.run();
    let saved = factmark::format::load_annotations(&path, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(saved.set.contributors.contains("Ada Lovelace"));
    assert_eq!(h.state().prefs.author, "Ada Lovelace");
    assert!(h.state().prefs.author_confirmed);
}

#[test]
fn dont_save_leaves_no_work_to_restore() {
    // Once: quit, Don't save, restart → "Restore unsaved work?" for the work
    // just thrown away.
    let (dir, article) = workspace();
    let data = dir.path().join("data");
    let mut h = open_with_data(&article, &data);
    h.run();
    find_and_claim(&mut h, "satisfactory");
    h.event(egui::Event::WindowFocused(false));
    h.run();
    assert_eq!(recovery_files(&data, 1).len(), 1, "autosaved");
    request_close(&mut h);
    h.run();
    h.get_by_label("Don't save").click();
    h.run();
    // The window loses focus as it closes: nothing is written again.
    h.event(egui::Event::WindowFocused(false));
    h.run();
    drop(h);
    assert!(
        recovery_files(&data, 0).is_empty(),
        "the recovery file went too"
    );
    let mut h = open_with_data(&article, &data);
    h.run();
    assert!(h.query_by_label("Restore unsaved work?").is_none());
}

#[test]
fn letters_do_nothing_when_neither_the_article_nor_the_list_has_the_focus() {
    let (_dir, mut h) = one_agreed_claim();
    // A click on the editor's heading, not a field: the focus leaves the text.
    h.get_by_label("Claim").click();
    h.run();
    type_keys(&mut h, "du");
    h.run();
    assert_eq!(status(&h, "1,000"), Some(Status::Agreed));
    // The menu bar's File button, clicked and closed again with Esc.
    h.get_by_label("File").click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    type_keys(&mut h, "d");
    h.run();
    assert_eq!(status(&h, "1,000"), Some(Status::Agreed));
}

//! UI flows driven headlessly through egui_kittest, the way a user would:
//! selecting text, creating a claim, tagging it, saving and reopening.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use factmark::app::{FactmarkApp, Prefs, Startup};
use factmark::model::{PartyId, Stance, Status};
use std::path::{Path, PathBuf};

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A temp folder holding a copy of the reference article.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let article = dir.path().join("peace-talks.txt");
    std::fs::copy(repo_file("assets/articles/peace-talks.txt"), &article)
        .unwrap_or_else(|e| panic!("copy: {e}"));
    (dir, article)
}

fn prefs() -> Prefs {
    Prefs {
        author: "tester".into(),
        author_confirmed: true,
        ..Prefs::default()
    }
}

fn harness(startup: Startup) -> Harness<'static, FactmarkApp> {
    let app = FactmarkApp::new(startup, prefs());
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(60)
        .build_ui_state(|ui, app: &mut FactmarkApp| app.ui(ui), app)
}

fn open(path: &Path) -> Harness<'static, FactmarkApp> {
    harness(Startup {
        path: Some(path.to_path_buf()),
        article: None,
        data_dir: None,
        background: false,
    })
}

/// A text field, found by its hint text as a screen reader would announce it.
fn field<'a>(h: &'a Harness<'static, FactmarkApp>, hint: &'static str) -> egui_kittest::Node<'a> {
    h.get(By::new().predicate(move |n| n.placeholder() == Some(hint)))
}

/// A fresh app on a temp copy of the reference article, after its first frame.
fn started() -> (tempfile::TempDir, Harness<'static, FactmarkApp>) {
    let (dir, article) = workspace();
    let mut h = open(&article);
    h.run();
    (dir, h)
}

/// Ctrl+Shift+S, type `path` into the in-app field (no native dialog needed), Save.
fn save_as(h: &mut Harness<'static, FactmarkApp>, path: &Path) {
    press_save_as(h);
    enter_path(h, path, "Save");
}

fn press_save_as(h: &mut Harness<'static, FactmarkApp>) {
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::S,
    );
    h.run();
}

fn add_party(h: &mut Harness<'static, FactmarkApp>, name: &str) {
    field(h, "New party name").click();
    h.run();
    field(h, "New party name").type_text(name);
    h.run();
    h.get_by_label("Add party").click();
    h.run();
}

fn find_and_claim(h: &mut Harness<'static, FactmarkApp>, text: &str) {
    h.get_by_label("Find").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Find").type_text(text);
    h.run();
    h.get_by_label("Find next").click();
    h.run();
    h.get(By::new().role(Role::Button).label_contains("+ New claim"))
        .click();
    h.run();
}

#[test]
fn dragging_over_the_article_selects_text_and_makes_a_claim() {
    let (_dir, mut h) = started();
    drag_first_line(&mut h, 40.0, 300.0);
    let range = h
        .state()
        .view()
        .claim_range()
        .unwrap_or_else(|| panic!("drag selected nothing"));
    assert!(
        range.len() > 10,
        "selection {range:?} should span several words"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    h.run();
    let set = h.state().document().set();
    assert_eq!(set.claims().len(), 1);
    let claim = &set.claims()[0];
    assert_eq!(claim.anchor.range(), range);
    assert_eq!(claim.anchor.exact, set.article.slice(range));
    assert!(set.article.text().starts_with("In a long-awaited"));
    assert_eq!(h.state().selected_claim(), Some(&claim.id));
}

#[test]
fn create_tag_save_and_reopen_the_reference_claim() {
    let (dir, mut h) = started();
    add_party(&mut h, "Russia");
    add_party(&mut h, "Ukraine");
    find_and_claim(&mut h, "satisfactory");
    assert_eq!(h.state().document().set().claims().len(), 1);

    // The editor's status button (the list has a "Disputed" filter toggle too).
    let buttons: Vec<_> = h
        .get_all_by_role_and_label(Role::Button, "Disputed")
        .collect();
    let editor_button = buttons
        .iter()
        .max_by(|a, b| a.rect().left().total_cmp(&b.rect().left()));
    editor_button
        .unwrap_or_else(|| panic!("no Disputed button"))
        .click();
    h.run();
    // Stance rows follow the party order: Russia first, Ukraine second.
    let disputes: Vec<_> = h.get_all_by_label("disputes").collect();
    assert_eq!(disputes.len(), 2);
    disputes[1].click();
    h.run();
    let agrees: Vec<_> = h.get_all_by_label("agrees").collect();
    agrees[0].click();
    h.run();
    assert!(
        h.state().window_title().starts_with('●'),
        "unsaved marker in the title"
    );

    // Save as, through the in-app path field (no native dialog needed).
    let target = dir.path().join("checked.ron");
    save_as(&mut h, &target);
    assert!(
        target.is_file(),
        "saved file exists; error: {:?}",
        h.state().error_message()
    );
    assert!(!h.state().document().is_dirty());
    assert!(!h.state().window_title().starts_with('●'));

    // A fresh app on the saved file shows the same claim.
    let mut again = open(&target);
    again.run();
    let set = again.state().document().set();
    assert_eq!(set.claims().len(), 1);
    let claim = &set.claims()[0];
    assert_eq!(claim.anchor.exact, "satisfactory");
    assert_eq!(claim.status, Status::Disputed);
    assert_eq!(
        claim.stances.get(&PartyId("ukraine".into())),
        Some(&Stance::Disputes)
    );
    assert_eq!(
        claim.stances.get(&PartyId("russia".into())),
        Some(&Stance::Agrees)
    );
    assert_eq!(claim.author, "tester");
    assert_eq!(set.parties().len(), 2);
    // Its list entry is there and clicking it selects the claim.
    let id = claim.id.clone();
    again.get_by_label("Disputed: satisfactory").click();
    again.run();
    assert_eq!(again.state().selected_claim(), Some(&id));
}

#[test]
fn status_keys_delete_and_undo_redo() {
    let (_dir, mut h) = started();
    find_and_claim(&mut h, "1,000 prisoners");
    // A new claim gives the article the focus: the claim keys act on it.
    h.key_press(egui::Key::A);
    h.run();
    let status = |h: &Harness<'static, FactmarkApp>| {
        h.state()
            .document()
            .set()
            .claims()
            .first()
            .map(|c| c.status)
    };
    assert_eq!(status(&h), Some(Status::Agreed));
    h.key_press(egui::Key::D);
    h.run();
    assert_eq!(status(&h), Some(Status::Disputed));
    h.key_press(egui::Key::Delete);
    h.run();
    assert!(h.state().document().set().claims().is_empty());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(
        status(&h),
        Some(Status::Disputed),
        "undo brings the claim back"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(status(&h), Some(Status::Agreed));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    h.run();
    assert_eq!(status(&h), Some(Status::Disputed));
}

#[test]
fn overlapping_highlights_offer_a_choice() {
    let (_dir, mut h) = started();
    find_and_claim(&mut h, "called the talks “satisfactory,”");
    find_and_claim(&mut h, "satisfactory");
    assert_eq!(h.state().document().set().claims().len(), 2);
    // Select the inner claim through the list, then jump to it and click on it.
    let claims = h.state().document().set().claims().to_vec();
    let inner = claims
        .iter()
        .find(|c| c.anchor.exact == "satisfactory")
        .map(|c| c.id.clone());
    assert!(inner.is_some());
    assert!(h.query_by_label("Overlapping claims").is_none());
    // Both rows are in the list.
    let rows = h.get_all_by_role(Role::ListItem).filter(|n| {
        n.accesskit_node()
            .label()
            .is_some_and(|l| l.contains("satisfactory"))
    });
    assert_eq!(rows.count(), 2);
}

#[test]
fn a_broken_annotation_file_shows_an_error_and_keeps_the_file() {
    let (dir, _article) = workspace();
    let bad = dir.path().join("broken.ron");
    let text = "(format: \"factmark\", version: 1, article: (title: \"x\"";
    std::fs::write(&bad, text).unwrap_or_else(|e| panic!("{e}"));
    let mut h = open(&bad);
    h.run();
    let error = h.state().error_message().unwrap_or_default().to_owned();
    assert!(error.contains("line 1"), "{error}");
    h.get_by_label("OK").click();
    h.run();
    assert!(h.state().error_message().is_none());
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap_or_default(),
        text,
        "file untouched"
    );
}

#[test]
fn shift_arrows_select_text_from_the_keyboard() {
    let (_dir, mut h) = started();
    let rect = h.get_by_label("Article text").rect();
    // Click at the very start of the first line, then extend by a word (“In”) and three chars.
    h.get_by_label("Article text").hover();
    let start = egui::pos2(rect.left() + 1.0, rect.top() + 10.0);
    h.hover_at(start);
    h.drag_at(start);
    h.drop_at(start);
    h.run();
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::ArrowRight,
    );
    for _ in 0..3 {
        h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowRight);
    }
    h.run();
    let range = h
        .state()
        .view()
        .claim_range()
        .unwrap_or_else(|| panic!("no keyboard selection"));
    let set = h.state().document().set();
    assert_eq!(
        set.article.slice(range.clone()),
        "In a ",
        "selected {range:?}"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    h.run();
    assert_eq!(h.state().document().set().claims().len(), 1);
}

fn request_close(h: &mut Harness<'static, FactmarkApp>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
}

fn sent_close(h: &Harness<'static, FactmarkApp>) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| {
            v.commands
                .iter()
                .any(|c| matches!(c, egui::ViewportCommand::Close))
        })
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let (_dir, mut h) = started();
    find_and_claim(&mut h, "satisfactory");
    request_close(&mut h);
    h.run();
    h.get_by_label("Unsaved changes");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.query_by_label("Unsaved changes").is_none());
    assert!(h.state().document().is_dirty(), "cancel keeps the work");
    request_close(&mut h);
    h.run();
    h.get_by_label("Don't save").click();
    h.step();
    let closed = sent_close(&h) || {
        h.step();
        sent_close(&h)
    };
    assert!(closed, "Don't save closes the window");
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_file_opens_it_after_asking_about_unsaved_work() {
    let (dir, mut h) = started();
    find_and_claim(&mut h, "satisfactory");
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "A different article.\nWith two lines.")
        .unwrap_or_else(|e| panic!("{e}"));
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(other.clone())));
    h.run();
    h.get_by_label("Save").click();
    h.run();
    // No annotation file yet: Save asks where, and nothing is discarded.
    assert_eq!(h.state().document().set().claims().len(), 1);
    h.get_by_label("Path");
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(other.clone())));
    h.run();
    h.get_by_label("Don't save").click();
    h.run();
    let set = h.state().document().set();
    assert!(set.article.text().starts_with("A different article."));
    assert!(set.claims().is_empty());
    assert!(!h.state().document().is_dirty());
}

#[test]
fn parties_can_be_renamed_and_deleted_with_a_warning() {
    let (_dir, mut h) = started();
    add_party(&mut h, "Russia");
    add_party(&mut h, "Ukraine");
    find_and_claim(&mut h, "satisfactory");
    let disputes: Vec<_> = h.get_all_by_label("disputes").collect();
    disputes[1].click();
    h.run();
    h.get_by_label("Manage parties…").click();
    h.run();
    let name_field = h.get(By::new().role(Role::TextInput).value("Ukraine"));
    name_field.click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get(By::new().role(Role::TextInput).value("Ukraine"))
        .type_text("Kyiv");
    h.run();
    let set = h.state().document().set();
    assert_eq!(
        set.party(&PartyId("ukraine".into()))
            .map(|p| p.name.as_str()),
        Some("Kyiv")
    );
    // Ukraine (now Kyiv) is the second party: its Delete button is the second one.
    let deletes: Vec<_> = h
        .get_all_by_role_and_label(Role::Button, "Delete")
        .collect();
    deletes[1].click();
    h.run();
    h.get_by_label("Delete “Kyiv”?");
    h.get_by_label("Delete party").click();
    h.run();
    let set = h.state().document().set();
    assert!(set.party(&PartyId("ukraine".into())).is_none());
    assert!(
        set.claims()[0].stances.is_empty(),
        "its stance went with it"
    );
    assert_eq!(
        set.claims()[0].status,
        Status::Unreviewed,
        "suggestion recomputed"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    let set = h.state().document().set();
    assert_eq!(
        set.claims()[0].stances.get(&PartyId("ukraine".into())),
        Some(&Stance::Disputes)
    );
}

/// Drags across the first line of the article between two x offsets.
fn drag_first_line(h: &mut Harness<'static, FactmarkApp>, from_x: f32, to_x: f32) {
    let rect = h.get_by_label("Article text").rect();
    let from = egui::pos2(rect.left() + from_x, rect.top() + 12.0);
    let to = egui::pos2(rect.left() + to_x, rect.top() + 12.0);
    h.hover_at(from);
    h.drag_at(from);
    h.hover_at(egui::pos2(from.x + 20.0, from.y));
    h.hover_at(to);
    h.drop_at(to);
    h.run();
}

fn click_article_at(h: &mut Harness<'static, FactmarkApp>, x: f32, y: f32) {
    let rect = h.get_by_label("Article text").rect();
    let at = egui::pos2(rect.left() + x, rect.top() + y);
    h.hover_at(at);
    h.drag_at(at);
    h.drop_at(at);
    h.run();
}

#[test]
fn clicking_a_highlight_selects_its_claim_and_overlaps_ask_which() {
    let (_dir, mut h) = started();
    drag_first_line(&mut h, 40.0, 400.0);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    h.run();
    let outer = h.state().selected_claim().cloned();
    assert!(outer.is_some());
    // Plain text outside any claim: the claim is deselected.
    click_article_at(&mut h, 200.0, 120.0);
    assert_eq!(h.state().selected_claim(), None);
    // Inside the highlight: its claim is selected.
    click_article_at(&mut h, 300.0, 12.0);
    assert_eq!(h.state().selected_claim(), outer.as_ref());
    // A nested claim: clicking the shared span offers both.
    drag_first_line(&mut h, 150.0, 250.0);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    h.run();
    let inner = h.state().selected_claim().cloned();
    assert_ne!(inner, outer);
    click_article_at(&mut h, 200.0, 120.0);
    click_article_at(&mut h, 200.0, 12.0);
    h.get_by_label("Overlapping claims");
    let choices: Vec<_> = h
        .get_all_by_role(Role::Button)
        .filter(|n| {
            n.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with("Unreviewed · "))
        })
        .collect();
    assert_eq!(choices.len(), 2);
    // The innermost claim is listed first.
    choices[0].click();
    h.run();
    assert_eq!(h.state().selected_claim(), inner.as_ref());
    assert!(h.query_by_label("Overlapping claims").is_none());
}

#[test]
fn a_selection_can_cross_paragraphs() {
    let (_dir, mut h) = started();
    let rect = h.get_by_label("Article text").rect();
    // From the first line of paragraph 1 down into paragraph 2.
    let from = egui::pos2(rect.left() + 300.0, rect.top() + 12.0);
    let to = egui::pos2(rect.left() + 200.0, rect.top() + 110.0);
    h.hover_at(from);
    h.drag_at(from);
    h.hover_at(egui::pos2(from.x, from.y + 40.0));
    h.hover_at(to);
    h.drop_at(to);
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    h.run();
    let set = h.state().document().set();
    let claim = set
        .claims()
        .first()
        .unwrap_or_else(|| panic!("no claim from a cross-paragraph drag"));
    assert!(
        claim.anchor.exact.contains('\n'),
        "{:?}",
        claim.anchor.exact
    );
    assert!(
        claim
            .anchor
            .exact
            .contains("between the two countries.\nUkraine called")
    );
}

#[test]
fn clicking_a_listed_claim_scrolls_a_long_article_to_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let paragraph = "Officials said the talks were useful, but observers were not convinced.\n";
    let text = format!(
        "Opening line.\n{}The needle sentence is here.\n",
        paragraph.repeat(400)
    );
    let article = dir.path().join("long.txt");
    std::fs::write(&article, &text).unwrap_or_else(|e| panic!("{e}"));
    let mut h = open(&article);
    h.run();
    find_and_claim(&mut h, "needle sentence");
    find_and_claim(&mut h, "Opening line");
    let top = h.state().view().top_char();
    assert!(top < 100, "back at the top, at {top}");
    let needle = h
        .state()
        .document()
        .set()
        .article
        .find("needle sentence", 0)
        .unwrap_or_default();
    h.get_by_label("Unreviewed: needle sentence").click();
    h.run();
    let top = h.state().view().top_char();
    assert!(
        top <= needle.start && needle.start - top < 2_000,
        "top {top}, claim at {}",
        needle.start
    );
}

#[test]
fn a_fuzzy_match_is_confirmed_with_one_click_and_undone() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let original =
        std::fs::read_to_string(repo_file("assets/articles/peace-talks.txt")).unwrap_or_default();
    let edited = dir.path().join("edited.txt");
    let text = format!(
        "Editor's note: updated.\n{}",
        original.replace("withdrawal", "withdrawl")
    );
    std::fs::write(&edited, text).unwrap_or_else(|e| panic!("{e}"));
    let startup = Startup {
        path: Some(repo_file("saves/peace-talks.ron")),
        article: Some(edited),
        data_dir: None,
        background: false,
    };
    let app = FactmarkApp::new(startup, prefs());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(60)
        .build_ui_state(|ui, app: &mut FactmarkApp| app.ui(ui), app);
    h.run();
    // The banner counts what happened; the list marks the changed claim.
    h.get_by_label_contains("1 changed and awaiting your confirmation");
    let row = h.get(
        By::new()
            .role(Role::ListItem)
            .label_contains("check Disputed: One of Russia"),
    );
    row.click();
    h.run();
    let id = h
        .state()
        .selected_claim()
        .cloned()
        .unwrap_or_else(|| panic!("nothing selected"));
    let state = |h: &Harness<'static, FactmarkApp>| {
        h.state()
            .document()
            .set()
            .claim(&id)
            .map(|c| c.anchor_state.clone())
    };
    assert!(matches!(
        state(&h),
        Some(factmark::model::AnchorState::Fuzzy { .. })
    ));
    h.get_by_label("Was");
    h.get_by_label("Confirm new place").click();
    h.run();
    assert_eq!(state(&h), Some(factmark::model::AnchorState::Exact));
    let claim = h
        .state()
        .document()
        .set()
        .claim(&id)
        .cloned()
        .unwrap_or_else(|| panic!("claim"));
    assert!(
        claim.anchor.exact.contains("withdrawl of Ukrainian troops"),
        "{}",
        claim.anchor.exact
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(
        matches!(state(&h), Some(factmark::model::AnchorState::Fuzzy { .. })),
        "undo restores the suggestion"
    );
}

#[test]
fn reloading_a_changed_article_reanchors_the_claims() {
    let (dir, mut h) = started();
    find_and_claim(&mut h, "satisfactory");
    find_and_claim(&mut h, "Both countries agreed to release 1,000 prisoners");
    let article = dir.path().join("peace-talks.txt");
    let original = std::fs::read_to_string(&article).unwrap_or_default();
    let edited = format!(
        "Correction appended above.\n{}",
        original.replace("Both countries agreed to release 1,000 prisoners. ", "")
    );
    std::fs::write(&article, edited).unwrap_or_else(|e| panic!("{e}"));
    menu_item(&mut h, "File", "Reload article");
    h.get_by_label_contains("1 found elsewhere");
    h.get_by_label_contains("1 unplaced (kept in the file)");
    let set = h.state().document().set();
    assert_eq!(set.claims().len(), 2, "nothing dropped");
    let moved = set
        .claims()
        .iter()
        .find(|c| c.anchor.exact == "satisfactory");
    assert!(matches!(
        moved.map(|c| &c.anchor_state),
        Some(factmark::model::AnchorState::Moved { .. })
    ));
    assert_eq!(set.unplaced_claims().count(), 1);
    h.get(
        By::new()
            .role(Role::ListItem)
            .label_contains("unplaced Unreviewed: Both countries"),
    );
}

#[test]
fn deleting_and_undoing_with_the_mouse_keeps_the_view_consistent() {
    let (_dir, mut h) = started();
    find_and_claim(&mut h, "satisfactory");
    // The editor's button removes the claim while the article is drawn later in
    // the same frame: the highlights must follow.
    h.get(By::new().role(Role::Button).label("Delete claim"))
        .click();
    h.run();
    assert!(h.state().document().set().claims().is_empty());
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label_contains("Undo delete claim").click();
    h.run();
    assert_eq!(h.state().document().set().claims().len(), 1);
}

#[test]
fn save_as_asks_before_replacing_a_file_and_never_writes_over_the_article() {
    let (dir, mut h) = started();
    find_and_claim(&mut h, "satisfactory");
    let article = dir.path().join("peace-talks.txt");
    let existing = dir.path().join("colleague.ron");
    std::fs::write(&existing, "their work").unwrap_or_else(|e| panic!("{e}"));
    save_as(&mut h, &article);
    h.get_by_label_contains("is the article itself");
    assert!(
        std::fs::read_to_string(&article)
            .unwrap_or_default()
            .starts_with("In a long-awaited")
    );
    save_as(&mut h, &existing);
    h.get_by_label_contains("already exists. Press Save again");
    assert_eq!(
        std::fs::read_to_string(&existing).unwrap_or_default(),
        "their work"
    );
    h.get_by_label("Save").click();
    h.run();
    assert!(
        std::fs::read_to_string(&existing)
            .unwrap_or_default()
            .starts_with("(\n    format: \"factmark\"")
    );
    assert!(!h.state().document().is_dirty());
}

#[test]
fn a_merge_conflict_is_resolved_in_the_editor_with_one_click_and_undone() {
    use factmark::format;
    use factmark::model::{Edit, EditContext, merge};
    let (dir, article) = workspace();
    let base = format::load_annotations(&repo_file("saves/peace-talks.ron"), Some(&article))
        .unwrap_or_else(|e| panic!("{e}"))
        .set;
    let id = base
        .claims()
        .iter()
        .find(|c| c.anchor.exact == "satisfactory")
        .map(|c| c.id.clone());
    let id = id.unwrap_or_else(|| panic!("claim"));
    let edited = |status| {
        let mut set = base.clone();
        let ctx = EditContext {
            author: "t".into(),
            now: jiff::Timestamp::UNIX_EPOCH,
        };
        set.apply(
            Edit::SetStatus {
                claim: id.clone(),
                status,
            },
            &ctx,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        set
    };
    let (ours, theirs) = (edited(Status::Agreed), edited(Status::Unreviewed));
    let mut merged = merge::merge(
        (base.parties(), base.claims()),
        (ours.parties(), ours.claims()),
        (theirs.parties(), theirs.claims()),
    );
    merged.mark_conflicts();
    let mut file = format::ParsedFile::from_set(&ours);
    file.source = Some("peace-talks.txt".into());
    file.claims = merged.claims;
    let path = dir.path().join("merged.ron");
    std::fs::write(&path, file.to_ron().unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"));

    let mut h = open(&path);
    h.run();
    h.get_by_label_contains("2 claims carry merge conflicts");
    assert_eq!(h.state().document().set().claims().len(), 9);
    h.get(
        By::new()
            .role(Role::ListItem)
            .label("conflict Agreed: satisfactory"),
    )
    .click();
    h.run();
    h.get_by_label("Keep this version").click();
    h.run();
    let set = h.state().document().set();
    assert_eq!(set.claims().len(), 8);
    assert!(set.claims().iter().all(|c| c.conflict.is_none()));
    assert_eq!(set.claim(&id).map(|c| c.status), Some(Status::Agreed));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(
        h.state().document().set().claims().len(),
        9,
        "undo brings the other version back"
    );
}

/// The example annotations, placed on the workspace's article, and an edit context.
fn example_on(article: &Path) -> factmark::model::AnnotationSet {
    factmark::format::load_annotations(&repo_file("saves/peace-talks.ron"), Some(article))
        .unwrap_or_else(|e| panic!("{e}"))
        .set
}

fn write_set(set: &factmark::model::AnnotationSet, path: &Path) {
    let text =
        factmark::format::to_ron(set, Some("peace-talks.txt")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

fn menu_item(h: &mut Harness<'static, FactmarkApp>, menu: &str, item: &str) {
    h.get_by_label(menu).click();
    h.run();
    // A menu item's name ends with its shortcut, if it has one.
    let with_keys = format!("{item} Ctrl");
    h.get(By::new().role(Role::Button).predicate(move |n| {
        n.label()
            .is_some_and(|l| l == item || l.starts_with(&with_keys))
    }))
    .click();
    h.run();
}

/// Types `path` into the in-app path dialog and presses `button`.
fn enter_path(h: &mut Harness<'static, FactmarkApp>, path: &Path, button: &str) {
    h.get_by_label("Path").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Path")
        .type_text(&path.display().to_string());
    h.run();
    h.get_by_label(button).click();
    h.run();
}

#[test]
fn comparing_with_a_colleague_shows_differences_and_takes_theirs_undoably() {
    use factmark::model::{Edit, EditContext};
    let (dir, article) = workspace();
    let mine = example_on(&article);
    let satisfactory = mine
        .claims()
        .iter()
        .find(|c| c.anchor.exact == "satisfactory")
        .map(|c| c.id.clone())
        .unwrap_or_else(|| panic!("claim"));
    // Their copy: "satisfactory" Agreed, and one claim (with a new party) only they made.
    let mut theirs = mine.clone();
    let ctx = EditContext {
        author: "colleague".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    let mut apply = |edit| theirs.apply(edit, &ctx).unwrap_or_else(|e| panic!("{e}"));
    apply(Edit::SetStatus {
        claim: satisfactory.clone(),
        status: Status::Agreed,
    });
    let kremlin = theirs_party(&mine, "Kremlin");
    apply(Edit::AddParty {
        party: kremlin.clone(),
        index: None,
    });
    let range = mine
        .article
        .find("strongly disagreed", 0)
        .unwrap_or_else(|| panic!("text"));
    let mut extra = mine
        .new_claim(range, &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    extra.claimant = Some(kremlin.id.clone());
    apply(Edit::AddClaim(Box::new(extra)));
    let mine_path = dir.path().join("mine.ron");
    let theirs_path = dir.path().join("theirs.ron");
    write_set(&mine, &mine_path);
    write_set(&theirs, &theirs_path);

    let mut h = open(&mine_path);
    h.run();
    menu_item(&mut h, "File", "Compare with a colleague's file…");
    enter_path(&mut h, &theirs_path, "Compare");
    h.get_by_label_contains("Span F1 0.94");
    h.get_by_label("2 to decide");
    h.get_by_label("differs: status");
    h.get_by_label("only theirs");

    h.get_by_label("Accept theirs").click();
    h.run();
    let status = |h: &Harness<'static, FactmarkApp>| {
        let set = h.state().document().set();
        set.claim(&satisfactory).map(|c| c.status)
    };
    assert_eq!(status(&h), Some(Status::Agreed));
    h.get_by_label("1 to decide");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(status(&h), Some(Status::Disputed), "undo restores mine");
    h.get_by_label("2 to decide");

    // Their extra claim comes in with its party, and goes again on undo.
    h.get_by_label("Add theirs").click();
    h.run();
    let set = h.state().document().set();
    assert_eq!(set.claims().len(), mine.claims().len() + 1);
    assert!(set.party(&kremlin.id).is_some());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().document().set(), &mine_reloaded(&mine_path));

    // Keep mine sets a row aside without changing anything.
    h.get_all_by_label("Keep mine")
        .next()
        .unwrap_or_else(|| panic!("a Keep mine button"))
        .click();
    h.run();
    h.get_by_label("1 to decide");
    h.get_by_label("Kept mine");
    assert!(!h.state().document().is_dirty());

    // Everything only they have, in one step.
    h.get_by_label("Add all claims only they have (1)").click();
    h.run();
    assert_eq!(
        h.state().document().set().claims().len(),
        mine.claims().len() + 1
    );
    h.get_by_label("0 to decide");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(
        h.state().document().set().claims().len(),
        mine.claims().len()
    );
}

fn theirs_party(set: &factmark::model::AnnotationSet, name: &str) -> factmark::model::Party {
    set.new_party(name)
}

fn mine_reloaded(path: &Path) -> factmark::model::AnnotationSet {
    factmark::format::load_annotations(path, None)
        .unwrap_or_else(|e| panic!("{e}"))
        .set
}

/// The example made on an edited copy of the article (not the built-in one
/// factmark knows), opened from another folder where the article is not.
fn open_over_a_stand_in() -> (
    tempfile::TempDir,
    PathBuf,
    PathBuf,
    Harness<'static, FactmarkApp>,
) {
    let (dir, article) = workspace();
    let edited = std::fs::read_to_string(&article).unwrap_or_default() + "\nA late correction.\n";
    std::fs::write(&article, edited).unwrap_or_else(|e| panic!("{e}"));
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
    let path = elsewhere.join("mine.ron");
    write_set(&example_on(&article), &path);
    let mut h = open(&path);
    h.run();
    h.get_by_label_contains("The article was not found at");
    (dir, article, path, h)
}

#[test]
fn a_missing_article_shows_the_claims_read_only_until_located() {
    let (_dir, article, _path, mut h) = open_over_a_stand_in();
    assert!(h.state().error_message().is_none());
    let set = h.state().document().set();
    assert_eq!(set.claims().len(), 8);
    assert!(set.claims().iter().all(|c| c.span().is_some()));
    // The stand-in text reads like the article around each quote.
    assert!(
        set.article
            .text()
            .contains("Medinsky called the talks “satisfactory,”")
    );
    let new_claim = h.get(By::new().role(Role::Button).label_contains("+ New claim"));
    assert!(
        new_claim.accesskit_node().is_disabled(),
        "no new claims on a stand-in"
    );

    h.get_by_label("Locate article…").click();
    h.run();
    enter_path(&mut h, &article, "Open");
    let set = h.state().document().set();
    assert!(set.missing_article.is_none());
    assert_eq!(
        set.article.text(),
        std::fs::read_to_string(&article).unwrap_or_default()
    );
    assert!(
        set.claims()
            .iter()
            .all(|c| c.anchor_state == factmark::model::AnchorState::Exact)
    );
    assert!(
        h.query_by_label_contains("The article was not found")
            .is_none()
    );
    assert!(
        h.state().document().is_dirty(),
        "the new article path is worth saving"
    );
}

#[test]
fn a_file_saved_with_its_article_opens_where_the_article_is_not() {
    let (dir, mut h) = started();
    find_and_claim(&mut h, "satisfactory");
    press_save_as(&mut h);
    h.get_by_label("Include the article text").click();
    h.run();
    let path = dir.path().join("shared.ron");
    enter_path(&mut h, &path, "Save");
    assert!(!h.state().document().is_dirty());

    // A colleague receives only the .ron file.
    let inbox = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let received = inbox.path().join("shared.ron");
    std::fs::copy(&path, &received).unwrap_or_else(|e| panic!("{e}"));
    let mut h = open(&received);
    h.run();
    assert!(h.state().error_message().is_none());
    assert!(
        h.query_by_label_contains("The article was not found")
            .is_none()
    );
    let set = h.state().document().set();
    assert!(set.article.text().starts_with("In a long-awaited"));
    assert_eq!(set.claims().len(), 1);
    assert_eq!(
        set.claims()[0].anchor_state,
        factmark::model::AnchorState::Exact
    );
    assert!(set.contributors.contains("tester"));
}

fn open_with_data(path: &Path, data_dir: &Path) -> Harness<'static, FactmarkApp> {
    harness(Startup {
        path: Some(path.to_path_buf()),
        article: None,
        data_dir: Some(data_dir.to_path_buf()),
        background: false,
    })
}

/// The recovery files in `data_dir`, after giving the autosave worker time.
fn recovery_files(data_dir: &Path, expect: usize) -> Vec<PathBuf> {
    let list = || -> Vec<PathBuf> {
        std::fs::read_dir(data_dir.join("recovery"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect()
    };
    for _ in 0..200 {
        if list().len() == expect {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    list()
}

/// Unsaved work is autosaved when the window loses focus; a new session
/// offers it back, restores it, and a save removes the recovery file.
#[test]
fn unsaved_work_is_autosaved_and_offered_back_after_a_crash() {
    let (dir, article) = workspace();
    let data = dir.path().join("data");
    let mut h = open_with_data(&article, &data);
    h.run();
    find_and_claim(&mut h, "satisfactory");
    h.key_press(egui::Key::D);
    h.run();
    // Frames keep coming for a second (a third of the quiet delay), with
    // time for the worker to write: nothing is written yet.
    let quiet = std::time::Instant::now();
    while quiet.elapsed() < std::time::Duration::from_secs(1) {
        h.run();
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        recovery_files(&data, usize::MAX).is_empty(),
        "not before the delay"
    );
    h.event(egui::Event::WindowFocused(false));
    h.run();
    assert_eq!(recovery_files(&data, 1).len(), 1, "written on focus loss");
    // The window goes without saving, as when its process is killed: its
    // lock on the data folder is released, nothing is discarded.
    drop(h);

    let mut h = open_with_data(&article, &data);
    h.run();
    h.get_by_label("Restore unsaved work?");
    h.get_by_label_contains("1 claim, 0 parties, autosaved");
    h.get_by_label("Restore").click();
    h.run();
    let set = h.state().document().set();
    assert_eq!(set.claims().len(), 1);
    assert_eq!(set.claims()[0].anchor.exact, "satisfactory");
    assert_eq!(set.claims()[0].status, Status::Disputed);
    assert!(h.state().document().is_dirty());
    h.get_by_label_contains("Restored unsaved work");

    save_as(&mut h, &dir.path().join("kept.ron"));
    assert!(!h.state().document().is_dirty());
    h.run();
    assert!(
        recovery_files(&data, 0).is_empty(),
        "a clean save removes it"
    );
}

#[test]
fn recovered_work_can_be_discarded_for_good() {
    let (dir, article) = workspace();
    let data = dir.path().join("data");
    let mut h = open_with_data(&article, &data);
    h.run();
    find_and_claim(&mut h, "satisfactory");
    h.event(egui::Event::WindowFocused(false));
    h.run();
    assert_eq!(recovery_files(&data, 1).len(), 1);
    drop(h);

    let mut h = open_with_data(&article, &data);
    h.run();
    h.get_by_label("Discard").click();
    h.run();
    assert!(recovery_files(&data, 0).is_empty());
    assert!(h.query_by_label("Restore unsaved work?").is_none());
    assert!(h.state().document().set().claims().is_empty());
}

/// The example with one claim's status changed, as a colleague would save it.
fn example_with_status(
    article: &Path,
    quote: &str,
    status: Status,
) -> factmark::model::AnnotationSet {
    let mut set = example_on(article);
    let id = set
        .claims()
        .iter()
        .find(|c| c.anchor.exact.starts_with(quote))
        .map(|c| c.id.clone())
        .unwrap_or_else(|| panic!("no claim {quote}"));
    let ctx = factmark::model::EditContext {
        author: "colleague".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    set.apply(factmark::model::Edit::SetStatus { claim: id, status }, &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    set
}

fn status_of(h: &Harness<'static, FactmarkApp>, quote: &str) -> Option<Status> {
    let set = h.state().document().set();
    let claim = set
        .claims()
        .iter()
        .find(|c| c.anchor.exact.starts_with(quote));
    claim.map(|c| c.status)
}

/// The example opened from `mine.ron`, with one claim of mine added; then a
/// colleague's version (another status changed) lands on disk.
fn changed_under_my_edit() -> (tempfile::TempDir, PathBuf, Harness<'static, FactmarkApp>) {
    let (dir, article) = workspace();
    let path = dir.path().join("mine.ron");
    write_set(&example_on(&article), &path);
    let mut h = open(&path);
    h.run();
    find_and_claim(&mut h, "strongly disagreed");
    assert_eq!(h.state().document().set().claims().len(), 9);
    let theirs = example_with_status(&article, "Both countries", Status::Disputed);
    write_set(&theirs, &path);
    (dir, path, h)
}

#[test]
fn a_file_changed_on_disk_is_merged_into_my_work_undoably() {
    let (_dir, _path, mut h) = changed_under_my_edit();
    h.event(egui::Event::WindowFocused(true));
    h.run();
    h.get_by_label("The annotation file changed on disk");
    h.get_by_label("Merge their changes into mine").click();
    h.run();
    assert_eq!(h.state().document().set().claims().len(), 9, "mine kept");
    assert_eq!(
        status_of(&h, "Both countries"),
        Some(Status::Disputed),
        "theirs taken"
    );
    assert!(h.state().document().is_dirty());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(
        status_of(&h, "Both countries"),
        Some(Status::Agreed),
        "undo takes it out"
    );
    assert_eq!(h.state().document().set().claims().len(), 9);
}

#[test]
fn saving_over_a_changed_file_asks_first() {
    let (_dir, path, mut h) = changed_under_my_edit();
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    h.get_by_label("The annotation file changed on disk");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        on_disk,
        "not overwritten"
    );
    h.get_by_label("Keep mine").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert!(!h.state().document().is_dirty());
    let saved = factmark::format::load_annotations(&path, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(saved.set.claims().len(), 9, "my version, by my choice");
}

#[test]
fn reloading_a_changed_file_shows_theirs() {
    let (dir, article) = workspace();
    let path = dir.path().join("mine.ron");
    write_set(&example_on(&article), &path);
    let mut h = open(&path);
    h.run();
    write_set(
        &example_with_status(&article, "Both countries", Status::Disputed),
        &path,
    );
    h.event(egui::Event::WindowFocused(true));
    h.run();
    h.get_by_label("Reload theirs").click();
    h.run();
    assert_eq!(status_of(&h, "Both countries"), Some(Status::Disputed));
    assert!(!h.state().document().is_dirty());
    assert!(
        h.query_by_label("The annotation file changed on disk")
            .is_none()
    );
}

#[test]
fn a_changed_article_is_offered_for_reloading() {
    let (dir, article) = workspace();
    let path = dir.path().join("mine.ron");
    write_set(&example_on(&article), &path);
    let mut h = open(&path);
    h.run();
    let text = std::fs::read_to_string(&article).unwrap_or_default();
    std::fs::write(&article, format!("Editor's note: updated.\n{text}")).unwrap_or_default();
    h.event(egui::Event::WindowFocused(true));
    h.run();
    h.get_by_label("The article changed on disk");
    h.get_by_label("Reload article").click();
    h.run();
    let set = h.state().document().set();
    assert!(set.article.text().starts_with("Editor's note"));
    assert!(
        set.claims()
            .iter()
            .all(|c| matches!(c.anchor_state, factmark::model::AnchorState::Moved { .. }))
    );
}

/// Set for the child process of `work_survives_a_killed_process`: its folder.
const CRASH_CHILD: &str = "FACTMARK_CRASH_CHILD";

/// The child: annotates, lets autosave run (after the quiet delay, then on
/// focus loss), says READY and waits to be killed.
#[test]
#[ignore = "the child process of work_survives_a_killed_process"]
fn crash_child_session() {
    let Some(dir) = std::env::var_os(CRASH_CHILD).map(PathBuf::from) else {
        return;
    };
    let data = dir.join("data");
    let mut h = open_with_data(&dir.join("peace-talks.txt"), &data);
    h.run();
    find_and_claim(&mut h, "satisfactory");
    h.key_press(egui::Key::D);
    h.run();
    // Quiet for longer than the autosave delay: written without any other trigger.
    let quiet = std::time::Instant::now();
    while recovery_files(&data, 1).is_empty() && quiet.elapsed().as_secs() < 20 {
        std::thread::sleep(std::time::Duration::from_millis(200));
        h.run();
    }
    let written_when_quiet = recovery_files(&data, 1).len() == 1;
    find_and_claim(&mut h, "Both countries agreed to release 1,000 prisoners");
    h.key_press(egui::Key::A);
    h.run();
    h.event(egui::Event::WindowFocused(false));
    h.run();
    std::thread::sleep(std::time::Duration::from_millis(500));
    println!("READY quiet={written_when_quiet}");
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

/// A real crash: the child process is killed with SIGKILL after editing; a new
/// session offers the autosaved work and restores the same claims.
#[test]
fn work_survives_a_killed_process() {
    use std::io::BufRead as _;
    let (dir, _article) = workspace();
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut child = std::process::Command::new(exe)
        .args(["--exact", "crash_child_session", "--ignored", "--nocapture"])
        .env(CRASH_CHILD, dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if line.starts_with("READY") {
                let _ = tx.send(line);
            }
        }
    });
    let ready = rx.recv_timeout(std::time::Duration::from_secs(120));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        ready.as_deref(),
        Ok("READY quiet=true"),
        "the child autosaved, then was killed"
    );

    let data = dir.path().join("data");
    let mut h = open_with_data(&dir.path().join("peace-talks.txt"), &data);
    h.run();
    h.get_by_label_contains("2 claims, 0 parties, autosaved");
    h.get_by_label("Restore").click();
    h.run();
    assert_eq!(status_of(&h, "satisfactory"), Some(Status::Disputed));
    assert_eq!(status_of(&h, "Both countries"), Some(Status::Agreed));
    assert_eq!(h.state().document().set().claims().len(), 2);
}

/// A file as a hostile colleague would mail it: it names `source` as its
/// article and claims the first `quote` there, on an article factmark does
/// not know.
fn hostile_file(source: &str, quote: &str) -> String {
    format!(
        "(format: \"factmark\", version: 1, article: (title: \"Leaked\", source: Some({source:?}), \
         sha256: \"{}\", chars: 100), claims: [(id: \"c-1\", anchor: (start: 10, end: {}, exact: \
         {quote:?}, prefix: \"\", suffix: \"\"), status: Unreviewed)])",
        "0".repeat(64),
        10 + quote.chars().count()
    )
}

#[test]
fn a_mailed_file_naming_a_private_file_is_not_read_and_saving_leaks_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let home = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    for folder in ["Downloads", ".aws", ".ssh"] {
        std::fs::create_dir_all(home.join(folder)).unwrap_or_else(|e| panic!("{e}"));
    }
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    std::fs::write(
        home.join(".aws/credentials"),
        format!("[default]\naws_secret_access_key = {secret}\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(home.join(".ssh/id_rsa"), format!("KEY {secret}\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    // One folder up from ~/Downloads (which the old rule let through), and a
    // hidden folder named from a file saved in the home folder itself.
    for (file, source, target) in [
        (
            "Downloads/evil.ron",
            "../.aws/credentials",
            ".aws/credentials",
        ),
        ("evil.ron", ".ssh/id_rsa", ".ssh/id_rsa"),
    ] {
        let path = home.join(file);
        std::fs::write(&path, hostile_file(source, "aws_secret_access_key"))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut h = open(&path);
        h.run();
        // The notice names where the path really leads, and why it was not read.
        let notice = format!("which leads to {}", home.join(target).display());
        h.get_by_label_contains(&notice);
        h.get_by_label_contains("It was not read because");
        assert!(!h.state().document().set().article.text().contains(secret));
        // A plain save writes the file back without a word of the secret.
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
        h.run();
        assert!(h.state().error_message().is_none(), "{file}");
        let saved = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(saved.contains("aws_secret_access_key"), "the claim is kept");
        assert!(!saved.contains(secret), "{file}: {saved}");
        // Read only when the user says so, after seeing the real target.
        h.get_by_label("Read it anyway").click();
        h.run();
        assert!(h.state().document().set().article.text().contains(secret));
    }
}

#[cfg(unix)]
#[test]
fn a_link_planted_over_the_annotation_file_is_never_written_through() {
    let (dir, article) = workspace();
    let victim = dir.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap_or_else(|e| panic!("{e}"));
    let keys = victim.join("authorized_keys");
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG victim@host\n";
    std::fs::write(&keys, key).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("notes.ron");
    write_set(&example_on(&article), &path);
    let mut h = open(&path);
    h.run();
    find_and_claim(&mut h, "strongly disagreed");
    // A git checkout materialises a link over the file.
    std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink("victim/authorized_keys", &path).unwrap_or_else(|e| panic!("{e}"));
    h.event(egui::Event::WindowFocused(true));
    h.run();
    h.get_by_label("The annotation file was replaced by a link");
    h.get_by_label("OK").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    let error = h.state().error_message().unwrap_or_default().to_owned();
    assert!(
        error.contains("is a link to") && error.contains("not the file that was opened"),
        "{error}"
    );
    assert_eq!(std::fs::read_to_string(&keys).unwrap_or_default(), key);
    // Out of the folder altogether: refused as well.
    std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink("../outside", &path).unwrap_or_else(|e| panic!("{e}"));
    h.get_by_label("OK").click();
    h.run();
    h.event(egui::Event::WindowFocused(true));
    h.run();
    h.get_by_label("The annotation file was replaced by a link");
    h.get_by_label("OK").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    let error = h.state().error_message().unwrap_or_default().to_owned();
    assert!(error.contains("is a link to"), "{error}");
    assert!(!dir.path().join("../outside").exists());
    assert!(h.state().document().is_dirty(), "the work is still open");
}

#[cfg(unix)]
#[test]
fn reloading_an_article_replaced_by_a_link_asks_first_and_names_the_target() {
    let (dir, article) = workspace();
    let path = dir.path().join("mine.ron");
    write_set(&example_on(&article), &path);
    let secret = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let env = std::fs::canonicalize(secret.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .join("environ");
    std::fs::write(&env, "AWS_SECRET=hunter2\n").unwrap_or_else(|e| panic!("{e}"));
    let mut h = open(&path);
    h.run();
    let before = h.state().document().set().article.text().to_owned();
    std::fs::remove_file(&article).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&env, &article).unwrap_or_else(|e| panic!("{e}"));
    menu_item(&mut h, "File", "Reload article");
    h.get_by_label("Read this article?");
    h.get_by_label_contains(&format!("now leads to {}", env.display()));
    assert_eq!(
        h.state().document().set().article.text(),
        before,
        "not read"
    );
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(h.state().document().set().article.text(), before);
    menu_item(&mut h, "File", "Reload article");
    h.get_by_label("Read it").click();
    h.run();
    assert!(
        h.state()
            .document()
            .set()
            .article
            .text()
            .contains("hunter2")
    );
}

#[test]
fn a_failed_merge_keeps_the_question_open_and_says_what_to_do() {
    // Work over a stand-in (the article is missing) cannot be merged: the
    // claims are merged on the article's text.
    let (_dir, article, path, mut h) = open_over_a_stand_in();
    let theirs = example_with_status(&article, "Both countries", Status::Disputed);
    write_set(&theirs, &path);
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    h.event(egui::Event::WindowFocused(true));
    h.run();
    h.get_by_label("Merge their changes into mine").click();
    h.run();
    let error = h.state().error_message().unwrap_or_default().to_owned();
    assert!(
        error.contains("locate the article first") && error.contains("Nothing was changed"),
        "{error}"
    );
    assert!(error.contains("Save as"), "says what to do: {error}");
    h.get_by_label("OK").click();
    h.run();
    // The question is still open, and a save still does not overwrite theirs.
    h.get_by_label("The annotation file changed on disk");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), on_disk);
}

/// The claim editor's panel: where its Show in article button is.
fn editor_rect(h: &Harness<'static, FactmarkApp>) -> egui::Rect {
    h.get(By::new().role(Role::Button).label("Show in article"))
        .rect()
}

#[test]
fn long_party_names_and_notes_keep_the_claim_editor_in_its_panel() {
    let (dir, article) = workspace();
    let path = dir.path().join("long.ron");
    let mut set = example_on(&article);
    let ctx = factmark::model::EditContext {
        author: "t".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    let russia = PartyId("russia".into());
    // 1,000 chars with no space to break at.
    let long_name = "Lebanese_".repeat(111) + "Armed_Forces";
    set.apply(
        factmark::model::Edit::RenameParty {
            party: russia.clone(),
            name: long_name.clone(),
        },
        &ctx,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let id = set
        .claims()
        .iter()
        .find(|c| c.claimant.as_ref() == Some(&russia))
        .map(|c| c.id.clone())
        .unwrap_or_else(|| panic!("a claim by Russia"));
    let note = "A note of 200 KB, as pasted from a long document. ".repeat(4000);
    set.apply(
        factmark::model::Edit::SetNote {
            claim: id.clone(),
            note,
        },
        &ctx,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    write_set(&set, &path);
    let mut h = open(&path);
    h.run();
    h.state_mut().jump_to_claim(&id);
    h.run();
    let editor = editor_rect(&h);
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0));
    assert!(
        window.contains_rect(editor),
        "the editor is on screen: {editor:?}"
    );
    assert!(
        editor.left() > 1400.0 - 500.0,
        "the editor keeps its width: {editor:?}"
    );
    // The note scrolls in a box of its own: the evidence below stays in reach.
    let add_evidence = h
        .get(By::new().role(Role::Button).label("+ Add evidence"))
        .rect();
    assert!(add_evidence.bottom() < 900.0, "{add_evidence:?}");
}

#[test]
fn a_hostile_title_reaches_the_window_system_as_one_short_plain_line() {
    let (dir, article) = workspace();
    let path = dir.path().join("title.ron");
    let mut set = example_on(&article);
    let title = format!(
        "Talks\u{1b}]0;owned\u{7}\nsecond line\u{202e}{}",
        "x".repeat(16_000)
    );
    let ctx = factmark::model::EditContext {
        author: "t".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    set.apply(factmark::model::Edit::SetTitle(title), &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    write_set(&set, &path);
    let mut h = open(&path);
    h.run();
    let shown = h.state().window_title().to_owned();
    assert!(
        !shown
            .chars()
            .any(|c| c.is_control() || factmark::model::is_invisible_format(c)),
        "{shown:?}"
    );
    assert!(shown.chars().count() < 250, "{}", shown.chars().count());
    assert!(shown.contains("Talks ]0;owned second line"), "{shown}");
}

#[test]
fn their_version_using_a_party_i_deleted_merges_into_mine() {
    // Once: "Could not several changes: no party with id ukraine", and the
    // change was marked handled, so the next save overwrote theirs.
    let (dir, article) = workspace();
    let path = dir.path().join("mine.ron");
    write_set(&example_on(&article), &path);
    let mut h = open(&path);
    h.run();
    h.get_by_label("Manage parties…").click();
    h.run();
    let deletes: Vec<_> = h
        .get_all_by_role_and_label(Role::Button, "Delete")
        .collect();
    deletes[1].click();
    h.run();
    h.get_by_label("Delete party").click();
    h.run();
    assert!(
        h.state()
            .document()
            .set()
            .party(&PartyId("ukraine".into()))
            .is_none()
    );
    // Theirs: a status changed, and a stance of Ukraine's on a claim no party
    // had a stance on.
    let mut theirs = example_with_status(&article, "satisfactory", Status::Agreed);
    let both = theirs
        .claims()
        .iter()
        .find(|c| c.anchor.exact.starts_with("the negotiations collapsed"))
        .map(|c| c.id.clone())
        .unwrap_or_else(|| panic!("the collapse claim"));
    let ctx = factmark::model::EditContext {
        author: "colleague".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    let stance = factmark::model::Edit::SetStance {
        claim: both.clone(),
        party: PartyId("ukraine".into()),
        stance: Some(Stance::Disputes),
    };
    theirs.apply(stance, &ctx).unwrap_or_else(|e| panic!("{e}"));
    write_set(&theirs, &path);
    h.event(egui::Event::WindowFocused(true));
    h.run();
    h.get_by_label("Merge their changes into mine").click();
    h.run();
    assert!(
        h.state().error_message().is_none(),
        "{:?}",
        h.state().error_message()
    );
    let set = h.state().document().set();
    let ukraine = set.party(&PartyId("ukraine".into()));
    assert!(
        ukraine.is_some_and(|p| p.conflict.is_some()),
        "the party their new stance uses is kept, marked: {ukraine:?}"
    );
    assert_eq!(
        status_of(&h, "satisfactory"),
        Some(Status::Agreed),
        "theirs taken"
    );
    let both = set
        .claim(&both)
        .map(|c| c.stances.get(&PartyId("ukraine".into())).copied());
    assert_eq!(both, Some(Some(Stance::Disputes)), "their new stance taken");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    let saved = factmark::format::load_annotations(&path, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(saved.set.party(&PartyId("ukraine".into())).is_some());
}

//! What the UI flows share: a harness on a temp copy of the reference
//! article, and the steps a user takes (find, claim, save as, menus, paths).

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use factmark::app::{FactmarkApp, Prefs, Startup};
use factmark::model::Status;
use std::path::{Path, PathBuf};

pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A temp folder holding a copy of the reference article.
pub fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let article = dir.path().join("peace-talks.txt");
    std::fs::copy(repo_file("assets/articles/peace-talks.txt"), &article)
        .unwrap_or_else(|e| panic!("copy: {e}"));
    (dir, article)
}

pub fn prefs() -> Prefs {
    Prefs {
        author: "tester".into(),
        author_confirmed: true,
        ..Prefs::default()
    }
}

pub fn harness(startup: Startup) -> Harness<'static, FactmarkApp> {
    let app = FactmarkApp::new(startup, prefs());
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(60)
        .build_ui_state(|ui, app: &mut FactmarkApp| app.ui(ui), app)
}

pub fn open(path: &Path) -> Harness<'static, FactmarkApp> {
    harness(Startup {
        path: Some(path.to_path_buf()),
        article: None,
        data_dir: None,
        background: false,
    })
}

/// A text field, found by its hint text as a screen reader would announce it.
pub fn field<'a>(
    h: &'a Harness<'static, FactmarkApp>,
    hint: &'static str,
) -> egui_kittest::Node<'a> {
    h.get(By::new().predicate(move |n| n.placeholder() == Some(hint)))
}

/// A fresh app on a temp copy of the reference article, after its first frame.
pub fn started() -> (tempfile::TempDir, Harness<'static, FactmarkApp>) {
    let (dir, article) = workspace();
    let mut h = open(&article);
    h.run();
    (dir, h)
}

/// Ctrl+Shift+S, type `path` into the in-app field (no native dialog needed), Save.
pub fn save_as(h: &mut Harness<'static, FactmarkApp>, path: &Path) {
    press_save_as(h);
    enter_path(h, path, "Save");
}

pub fn press_save_as(h: &mut Harness<'static, FactmarkApp>) {
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::S,
    );
    h.run();
}

pub fn add_party(h: &mut Harness<'static, FactmarkApp>, name: &str) {
    field(h, "New party name").click();
    h.run();
    field(h, "New party name").type_text(name);
    h.run();
    h.get_by_label("Add party").click();
    h.run();
}

pub fn find_and_claim(h: &mut Harness<'static, FactmarkApp>, text: &str) {
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

pub fn request_close(h: &mut Harness<'static, FactmarkApp>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
}

pub fn sent_close(h: &Harness<'static, FactmarkApp>) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| {
            v.commands
                .iter()
                .any(|c| matches!(c, egui::ViewportCommand::Close))
        })
}

#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drags across the first line of the article between two x offsets.
pub fn drag_first_line(h: &mut Harness<'static, FactmarkApp>, from_x: f32, to_x: f32) {
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

pub fn click_article_at(h: &mut Harness<'static, FactmarkApp>, x: f32, y: f32) {
    let rect = h.get_by_label("Article text").rect();
    let at = egui::pos2(rect.left() + x, rect.top() + y);
    h.hover_at(at);
    h.drag_at(at);
    h.drop_at(at);
    h.run();
}

/// The example annotations, placed on the workspace's article, and an edit context.
pub fn example_on(article: &Path) -> factmark::model::AnnotationSet {
    factmark::format::load_annotations(&repo_file("saves/peace-talks.ron"), Some(article))
        .unwrap_or_else(|e| panic!("{e}"))
        .set
}

pub fn write_set(set: &factmark::model::AnnotationSet, path: &Path) {
    let text =
        factmark::format::to_ron(set, Some("peace-talks.txt")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

pub fn menu_item(h: &mut Harness<'static, FactmarkApp>, menu: &str, item: &str) {
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
pub fn enter_path(h: &mut Harness<'static, FactmarkApp>, path: &Path, button: &str) {
    h.get_by_label("Path").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Path")
        .type_text(&path.display().to_string());
    h.run();
    h.get_by_label(button).click();
    h.run();
}

pub fn theirs_party(set: &factmark::model::AnnotationSet, name: &str) -> factmark::model::Party {
    set.new_party(name)
}

pub fn mine_reloaded(path: &Path) -> factmark::model::AnnotationSet {
    factmark::format::load_annotations(path, None)
        .unwrap_or_else(|e| panic!("{e}"))
        .set
}

/// The example made on an edited copy of the article (not the built-in one
/// factmark knows), opened from another folder where the article is not.
pub fn open_over_a_stand_in() -> (
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

pub fn open_with_data(path: &Path, data_dir: &Path) -> Harness<'static, FactmarkApp> {
    harness(Startup {
        path: Some(path.to_path_buf()),
        article: None,
        data_dir: Some(data_dir.to_path_buf()),
        background: false,
    })
}

/// The recovery files in `data_dir`, after giving the autosave worker time.
pub fn recovery_files(data_dir: &Path, expect: usize) -> Vec<PathBuf> {
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

/// The example with one claim's status changed, as a colleague would save it.
pub fn example_with_status(
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

pub fn status_of(h: &Harness<'static, FactmarkApp>, quote: &str) -> Option<Status> {
    let set = h.state().document().set();
    let claim = set
        .claims()
        .iter()
        .find(|c| c.anchor.exact.starts_with(quote));
    claim.map(|c| c.status)
}

/// The example opened from `mine.ron`, with one claim of mine added; then a
/// colleague's version (another status changed) lands on disk.
pub fn changed_under_my_edit() -> (tempfile::TempDir, PathBuf, Harness<'static, FactmarkApp>) {
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

/// Set for the child process of `work_survives_a_killed_process`: its folder.
pub const CRASH_CHILD: &str = "FACTMARK_CRASH_CHILD";

/// A file as a hostile colleague would mail it: it names `source` as its
/// article and claims the first `quote` there, on an article factmark does
/// not know.
pub fn hostile_file(source: &str, quote: &str) -> String {
    format!(
        "(format: \"factmark\", version: 1, article: (title: \"Leaked\", source: Some({source:?}), \
         sha256: \"{}\", chars: 100), claims: [(id: \"c-1\", anchor: (start: 10, end: {}, exact: \
         {quote:?}, prefix: \"\", suffix: \"\"), status: Unreviewed)])",
        "0".repeat(64),
        10 + quote.chars().count()
    )
}

/// The claim editor's panel: where its Show in article button is.
pub fn editor_rect(h: &Harness<'static, FactmarkApp>) -> egui::Rect {
    h.get(By::new().role(Role::Button).label("Show in article"))
        .rect()
}

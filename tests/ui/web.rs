//! Articles from where they live: a saved web page, an address (served on
//! the loopback address by the test), a pasted text; their details shown
//! and edited in the Article details window, conflicts in them resolved.

use super::common::*;
use super::http;
use egui::accesskit::Role;
use egui_kittest::kittest::{By, Queryable};
use factmark::model::{ArticleDetails, Detail};
use std::path::Path;

fn details_of(path: &Path) -> ArticleDetails {
    mine_reloaded(path).details
}

const TEXT_HINT: &str = "the article's text, paragraphs separated by blank lines";

/// Clicks the field with this hint and types `text` into it.
fn type_hinted(
    h: &mut egui_kittest::Harness<'static, factmark::app::FactmarkApp>,
    hint: &'static str,
    text: &str,
) {
    field(h, hint).click();
    h.run();
    field(h, hint).type_text(text);
    h.run();
}

fn type_into(
    h: &mut egui_kittest::Harness<'static, factmark::app::FactmarkApp>,
    label: &str,
    text: &str,
) {
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

#[test]
fn a_saved_web_page_opens_as_its_article_and_saving_keeps_text_and_page_beside() {
    let (dir, _) = workspace();
    let page = dir.path().join("obama.html");
    std::fs::copy(
        repo_file("tests/fixtures/web-pages/bbc-1/source.html"),
        &page,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut h = open(&page);
    h.run();
    let set = h.state().document().set();
    assert_eq!(
        set.article.title(),
        "Obama admits US gun laws are his 'biggest frustration'"
    );
    assert!(
        set.article
            .text()
            .starts_with("President Barack Obama has admitted")
    );
    assert_eq!(set.details.get(Detail::Byline), "BBC News");
    find_and_claim(&mut h, "greatest frustration of his presidency");
    // The details are shown above the article and in their window.
    h.get_by_label("BBC News · 2015-07-24T05:36:09+01:00");
    h.get(By::new().role(Role::Button).label_contains("Details…"))
        .click();
    h.run();
    h.get_by_label("Article details");
    assert_eq!(
        h.get_by_label("Published").value().as_deref(),
        Some("2015-07-24T05:36:09+01:00")
    );
    let ron = dir.path().join("obama.ron");
    save_as(&mut h, &ron);
    assert!(!h.state().document().is_dirty());
    // The text claims anchor to is beside; the page is recorded, not copied.
    let text = std::fs::read_to_string(dir.path().join("obama.txt")).unwrap_or_default();
    assert!(text.starts_with("President Barack Obama"));
    let details = details_of(&ron);
    let source = details.page.unwrap_or_else(|| panic!("page recorded"));
    assert_eq!(source.file.as_deref(), Some("obama.html"));
    let bytes = std::fs::read(&page).unwrap_or_default();
    assert_eq!(source.sha256, factmark::model::fingerprint_bytes(&bytes));
    // Reopened, the file needs no extraction: its article is the text beside.
    let reopened = mine_reloaded(&ron);
    assert_eq!(reopened.claims().len(), 1);
    assert_eq!(reopened.article.text(), text);
    // Opening the page again opens its annotations.
    h.state_mut().open_file(page.clone());
    h.run();
    h.run();
    assert_eq!(h.state().annotation_path(), Some(ron.as_path()));
    assert_eq!(h.state().document().set().claims().len(), 1);
    assert_eq!(
        h.state().document().set().article.text(),
        text,
        "on the text extracted, not the page's markup"
    );
}

#[test]
fn an_address_is_fetched_in_the_background_and_its_page_kept_beside_on_save() {
    let base = http::serve(vec![
        ("/talks", http::Answer::Redirect(301, "/world/talks".into())),
        (
            "/world/talks",
            http::Answer::Page("text/html; charset=utf-8", http::news_page()),
        ),
    ]);
    let (dir, mut h) = started();
    menu_item(&mut h, "File", "Open web address…");
    h.get_by_label("Address").click();
    h.run();
    h.get_by_label("Address")
        .type_text(&format!("{base}/talks"));
    h.run();
    h.get_by_label("Fetch").click();
    h.run();
    let set = h.state().document().set();
    assert_eq!(set.article.title(), "Envoy calls talks satisfactory");
    assert_eq!(set.details.get(Detail::Byline), "Erin Cunningham");
    let status = h.state().status_message().unwrap_or_default().to_owned();
    assert!(status.contains("redirected 1 time"), "{status}");
    assert!(
        h.state().document().is_dirty(),
        "nothing of it is on disk yet"
    );
    let ron = dir.path().join("talks.ron");
    save_as(&mut h, &ron);
    let kept = std::fs::read(dir.path().join("talks.html")).unwrap_or_default();
    assert_eq!(kept, http::news_page(), "the page as fetched");
    let page = details_of(&ron)
        .page
        .unwrap_or_else(|| panic!("page recorded"));
    assert_eq!(page.file.as_deref(), Some("talks.html"));
    assert_eq!(page.fetched_from, Some(format!("{base}/world/talks")));
    assert!(page.fetched_at.is_some());
    assert!(dir.path().join("talks.txt").is_file());
}

#[test]
fn an_address_that_fails_says_why_and_changes_nothing() {
    let base = http::serve(vec![("/gone", http::Answer::Status(404))]);
    let (_dir, mut h) = started();
    let before = h.state().document().set().article.sha256().to_owned();
    menu_item(&mut h, "File", "Open…");
    enter_path(&mut h, Path::new(&format!("{base}/gone")), "Open");
    let error = h.state().error_message().unwrap_or_default().to_owned();
    assert!(
        error.contains("404") && error.contains("Nothing was changed"),
        "{error}"
    );
    assert_eq!(h.state().document().set().article.sha256(), before);
}

#[test]
fn a_new_article_from_text_keeps_its_title_text_and_details() {
    let (dir, mut h) = started();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run();
    h.get_by_label("New article from text");
    field(&h, "the article's headline").type_text("Envoy praises talks");
    h.run();
    let text = "Russia's envoy called the talks satisfactory.\n\nUkraine disagreed.";
    type_hinted(&mut h, TEXT_HINT, text);
    type_into(&mut h, "Byline", "A. Reporter");
    type_into(&mut h, "Published", "yesterday");
    // Advice, not a refusal.
    h.get_by_label_contains("expected a date like 2015-07-24");
    h.get_by_label("Create").click();
    h.run();
    let set = h.state().document().set();
    assert_eq!(set.article.title(), "Envoy praises talks");
    assert_eq!(set.article.text(), text);
    assert_eq!(set.details.get(Detail::Byline), "A. Reporter");
    assert!(h.state().document().is_dirty());
    let ron = dir.path().join("envoy.ron");
    save_as(&mut h, &ron);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("envoy.txt")).unwrap_or_default(),
        text
    );
    assert_eq!(details_of(&ron).get(Detail::Published), "yesterday");
}

#[test]
fn a_new_article_needs_a_title_and_text_and_asks_before_replacing_unsaved_work() {
    let (_dir, mut h) = started();
    find_and_claim(&mut h, "satisfactory");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run();
    h.get_by_label("Create").click();
    h.run();
    h.get_by_label("Give the article a title");
    type_hinted(&mut h, "the article's headline", "Only a title");
    h.get_by_label("Create").click();
    h.run();
    h.get_by_label("Paste or type the article's text");
    type_hinted(&mut h, TEXT_HINT, "Some text.");
    h.get_by_label("Create").click();
    h.run();
    h.get_by_label("Unsaved changes");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(h.state().document().set().claims().len(), 1, "work kept");
    assert_ne!(h.state().document().set().article.title(), "Only a title");
}

#[test]
fn details_are_typed_with_undo_and_a_conflict_is_resolved_with_one_click() {
    let (dir, article) = workspace();
    let mut set = example_on(&article);
    // The reference file names its site; this flow types one into an empty field.
    set.details.set(Detail::SiteName, String::new());
    set.details.set(Detail::Byline, "Erin Cunningham".into());
    set.details
        .conflicts
        .insert(Detail::Byline, "E. Cunningham".into());
    let ron = dir.path().join("merged.ron");
    write_set(&set, &ron);
    let mut h = open(&ron);
    h.run();
    h.get(By::new().role(Role::Button).label_contains("1 to resolve"))
        .click();
    h.run();
    h.get_by_label_contains("theirs: “E. Cunningham”");
    h.get_by_label("Take theirs").click();
    h.run();
    let details = &h.state().document().set().details;
    assert_eq!(details.get(Detail::Byline), "E. Cunningham");
    assert!(details.conflicts.is_empty());
    // Typing a site name is one undo step.
    type_into(&mut h, "Published by", "BBC");
    assert_eq!(
        h.state().document().set().details.get(Detail::SiteName),
        "BBC"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().document().set().details.get(Detail::SiteName), "");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(
        !h.state().document().set().details.conflicts.is_empty(),
        "the resolution is undone too"
    );
}

#[test]
fn nothing_changes_the_document_while_an_address_is_being_fetched() {
    let base = http::serve(vec![("/slow", http::Answer::Stall)]);
    let (_dir, article) = workspace();
    let app = factmark::app::FactmarkApp::new(
        factmark::app::Startup {
            path: Some(article),
            article: None,
            data_dir: None,
            background: true,
        },
        prefs(),
    );
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut factmark::app::FactmarkApp| app.ui(ui), app);
    let wait = |h: &mut egui_kittest::Harness<'static, factmark::app::FactmarkApp>,
                until: &dyn Fn(&factmark::app::FactmarkApp) -> bool| {
        let started = std::time::Instant::now();
        while !until(h.state()) && started.elapsed() < std::time::Duration::from_secs(20) {
            h.step();
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    wait(&mut h, &|app| !app.busy());
    let before = h.state().document().set().article.sha256().to_owned();
    menu_item(&mut h, "File", "Open web address…");
    h.get_by_label("Address").click();
    h.step();
    h.get_by_label("Address").type_text(&format!("{base}/slow"));
    h.step();
    h.get_by_label("Fetch").click();
    wait(&mut h, &|app| app.busy());
    assert!(h.state().busy(), "the fetch is under way");
    // A new article now would be replaced, unasked, when the page arrives.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.step();
    // Stepped, not run: once the job has lasted 100 ms (real time, so on
    // a loaded machine at once) its spinner repaints every frame.
    for (hint, text) in [
        ("the article's headline", "Typed meanwhile"),
        (TEXT_HINT, "Some text."),
    ] {
        field(&h, hint).click();
        h.step();
        field(&h, hint).type_text(text);
        h.step();
    }
    h.get_by_label("Create").click();
    h.step();
    h.step();
    let said = h.state().status_message().unwrap_or_default().to_owned();
    assert!(said.starts_with("Wait for “Fetching"), "{said}");
    assert_eq!(h.state().document().set().article.sha256(), before);
    // Cancelled (the status bar offers it once the job has shown), the
    // fetch changes nothing either.
    let started = std::time::Instant::now();
    while h
        .query(By::new().role(Role::Button).label("Cancel"))
        .is_none()
        && started.elapsed() < std::time::Duration::from_secs(10)
    {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // The bar settles around the notice before the pointer goes there.
    for _ in 0..3 {
        h.step();
    }
    h.get(By::new().role(Role::Button).label("Cancel")).click();
    h.step();
    assert_eq!(h.state().status_message(), Some("Cancelled"));
    wait(&mut h, &|app| !app.busy());
    assert!(!h.state().busy());
    assert_eq!(h.state().document().set().article.sha256(), before);
}

//! The window at small sizes: the article keeps a readable width, the side
//! panels give way and can be collapsed, long names are cut, not lost.

use super::common::*;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use factmark::app::{FactmarkApp, Startup};

fn sized(path: &std::path::Path, size: egui::Vec2) -> Harness<'static, FactmarkApp> {
    let app = FactmarkApp::new(
        Startup {
            path: Some(path.to_path_buf()),
            article: None,
            data_dir: None,
            background: false,
        },
        prefs(),
    );
    Harness::builder()
        .with_size(size)
        .with_max_steps(60)
        .build_ui_state(|ui, app: &mut FactmarkApp| app.ui(ui), app)
}

#[test]
fn at_900_by_600_the_article_keeps_a_readable_width() {
    // Once: the article column shrank to 60–180 px and the banner wrapped one
    // word per line.
    let (dir, article) = workspace();
    let path = dir.path().join("mine.ron");
    write_set(&example_on(&article), &path);
    // A changed article, so the banner shows.
    let text = std::fs::read_to_string(&article).unwrap_or_default();
    std::fs::write(&article, format!("A new first paragraph.\n\n{text}")).unwrap_or_default();
    let mut h = sized(&path, egui::vec2(900.0, 600.0));
    h.run();
    let text = h.get_by_label("Article text").rect();
    assert!(text.width() >= 340.0, "{text:?}");
    let banner = h.get_by_label_contains("The article text differs").rect();
    assert!(
        banner.width() >= 300.0,
        "the banner reads as lines: {banner:?}"
    );
    // Ctrl+1 folds the claim list away: the article takes the room.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    h.run();
    let wider = h.get_by_label("Article text").rect();
    assert!(
        wider.width() > text.width() + 100.0,
        "{wider:?} vs {text:?}"
    );
    assert!(!h.state().prefs.show_list, "remembered in the preferences");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    h.run();
    assert!(h.state().prefs.show_list);
}

#[test]
fn long_party_names_are_cut_with_an_ellipsis_not_lost() {
    // Once: the Parties window's name boxes showed about 4 characters (two
    // parties both read "Leba"), and stance chips vanished without a word.
    let (dir, article) = workspace();
    let path = dir.path().join("long.ron");
    let mut set = example_on(&article);
    let ctx = factmark::model::EditContext {
        author: "t".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    for (id, name) in [
        ("russia", "Lebanese Armed Forces, General Command"),
        ("ukraine", "Lebanese Forces Party, Executive Committee"),
    ] {
        let edit = factmark::model::Edit::RenameParty {
            party: factmark::model::PartyId(id.into()),
            name: name.into(),
        };
        set.apply(edit, &ctx).unwrap_or_else(|e| panic!("{e}"));
    }
    write_set(&set, &path);
    let mut h = open(&path);
    h.run();
    h.get_by_label("Manage parties…").click();
    h.run();
    for name in ["Lebanese Armed Forces", "Lebanese Forces Party"] {
        let field = h.get(
            By::new()
                .role(Role::TextInput)
                .predicate(move |n| n.value().is_some_and(|v| v.starts_with(name))),
        );
        assert!(field.rect().width() >= 200.0, "{name}: {:?}", field.rect());
    }
    // The list names every party a claim takes a stance for.
    let row = h.get(
        By::new()
            .role(Role::ListItem)
            .label_contains("“satisfactory”"),
    );
    let label = row.accesskit_node().label().unwrap_or_default();
    assert!(
        label.contains("Lebanese Armed Forces, General Command agrees")
            && label.contains("Lebanese Forces Party, Executive Committee disputes"),
        "{label}"
    );
}

//! Selecting text, making and tagging claims, parties, overlaps, fuzzy
//! matches, merge conflicts and comparing with a colleague's file.

use super::common::*;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use factmark::app::{FactmarkApp, Startup};
use factmark::model::{PartyId, Stance, Status};

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
    again
        .get_by_label_contains("Disputed: “satisfactory”")
        .click();
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
    h.get_by_label_contains("Unreviewed: “needle sentence”")
        .click();
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
            .label_contains("check Disputed: “One of Russia"),
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
    // What it was and what it says now, one above the other.
    h.get_by_label_contains("Was: “One of Russia’s key conditions was the withdrawal of");
    h.get_by_label_contains("Now: “One of Russia’s key conditions was the withdrawl of");
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
    let mut merged = merge::merge((&base).into(), (&ours).into(), (&theirs).into());
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
            .label_contains("conflict Agreed: “satisfactory”"),
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

#[test]
fn a_verdict_is_one_click_explained_listed_filtered_and_undone() {
    let (_dir, mut h) = started();
    find_and_claim(&mut h, "satisfactory");
    h.get(By::new().role(Role::Button).label("Mostly false"))
        .click();
    h.run();
    let verdict = |h: &Harness<'static, FactmarkApp>| {
        let id = h.state().selected_claim().cloned();
        id.and_then(|id| h.state().document().set().claim(&id).cloned())
            .and_then(|c| c.verdict)
    };
    assert_eq!(
        verdict(&h).map(|v| v.rating.0),
        Some("mostly-false".to_owned())
    );
    assert_eq!(
        h.state().document().set().claims()[0].status,
        Status::Unreviewed,
        "where the parties stand is apart"
    );
    field(&h, "Why this rating, in a sentence or two").click();
    h.run();
    field(&h, "Why this rating, in a sentence or two").type_text("Ukraine disagreed.");
    h.run();
    assert_eq!(
        verdict(&h).map(|v| v.explanation),
        Some("Ukraine disagreed.".to_owned())
    );
    // The list names it and filters by it.
    h.get_by_label_contains("verdict Mostly false");
    h.get(By::new().role(Role::ComboBox).label("Verdict"))
        .click();
    h.run();
    h.get(By::new().role(Role::Button).label("No verdict yet"))
        .click();
    h.run();
    assert!(h.query_by_label_contains("verdict Mostly false").is_none());
    // Undo takes back the explanation, then the verdict.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(verdict(&h).map(|v| v.explanation), Some(String::new()));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(verdict(&h), None);
}

#[test]
fn the_scale_and_the_publisher_are_edited_in_their_window_and_undone() {
    let (dir, article) = workspace();
    let path = dir.path().join("rated.ron");
    write_set(&example_on(&article), &path);
    let mut h = open(&path);
    h.run();
    menu_item(&mut h, "Edit", "Publisher and rating scale…");
    h.get_by_label("Rating scale");
    let set = |h: &Harness<'static, FactmarkApp>| h.state().document().set().clone();
    // A rating of the desk's own, with Enter, then a number for it.
    field(&h, "New rating label").click();
    h.run();
    field(&h, "New rating label").type_text("Pants on fire");
    h.key_press(egui::Key::Enter);
    h.run();
    let added = set(&h).ratings().last().cloned();
    assert_eq!(
        added
            .as_ref()
            .map(|r| (r.id.0.as_str(), r.label.as_str(), r.value)),
        Some(("pants-on-fire", "Pants on fire", None))
    );
    // The claim editor offers it at once.
    h.state_mut()
        .jump_to_claim(&factmark::model::ClaimId("c-36915b11".into()));
    h.run();
    h.get(By::new().role(Role::Button).label("Pants on fire"))
        .click();
    h.run();
    let rated = |h: &Harness<'static, FactmarkApp>| {
        set(h)
            .claim(&factmark::model::ClaimId("c-36915b11".into()))
            .and_then(|c| c.verdict.clone())
            .map(|v| v.rating.0)
    };
    assert_eq!(rated(&h).as_deref(), Some("pants-on-fire"));
    // Deleting a rating in use asks, then takes its verdicts away; undo
    // brings both back.
    let delete = h
        .get_all(By::new().role(Role::Button).label("Delete"))
        .count();
    assert_eq!(delete, 8, "a Delete per rating");
    let row = set(&h).ratings().len() - 1;
    h.get_all(By::new().role(Role::Button).label("Delete"))
        .nth(row)
        .unwrap_or_else(|| panic!("the new rating's Delete"))
        .click();
    h.run();
    h.get_by_label_contains("Rated Pants on fire: 1 claim.");
    h.get_by_label("Delete rating").click();
    h.run();
    assert!(
        set(&h)
            .rating(&factmark::model::RatingId("pants-on-fire".into()))
            .is_none()
    );
    assert_eq!(rated(&h), None);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(rated(&h).as_deref(), Some("pants-on-fire"));
    // The publisher's name is typed into the file, one undo step.
    h.get_by_label("Name").click();
    h.run();
    h.key_press(egui::Key::End);
    h.get_by_label("Name").type_text(" Weekly");
    h.run();
    assert_eq!(set(&h).publisher.name, "Example Fact Desk Weekly");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(set(&h).publisher.name, "Example Fact Desk");
    // Saved, the scale and the publisher are in the file.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        text.contains("id: \"pants-on-fire\",") && text.contains("version: 4,"),
        "{text}"
    );
}

#[test]
fn a_party_is_made_a_person_with_a_job_title() {
    let (dir, article) = workspace();
    let path = dir.path().join("people.ron");
    write_set(&example_on(&article), &path);
    let mut h = open(&path);
    h.run();
    menu_item(&mut h, "Edit", "Parties…");
    let kind = |h: &Harness<'static, FactmarkApp>| {
        h.state()
            .document()
            .set()
            .party(&PartyId("russia".into()))
            .map(|p| p.kind.clone())
    };
    assert_eq!(kind(&h), Some(factmark::model::PartyKind::Organization));
    h.get_all(By::new().role(Role::ComboBox))
        .find(|n| n.value().as_deref() == Some("Organisation"))
        .unwrap_or_else(|| panic!("a kind box"))
        .click();
    h.run();
    h.get(By::new().role(Role::Button).label("Person")).click();
    h.run();
    field(&h, "job title").click();
    h.run();
    field(&h, "job title").type_text("Envoy");
    h.run();
    assert_eq!(
        kind(&h),
        Some(factmark::model::PartyKind::Person {
            job_title: "Envoy".into()
        })
    );
}

//! What a hostile file must not make the window do: read private files,
//! write through planted links, overflow the panels or the window title.

use super::common::*;
use egui::accesskit::Role;
use egui_kittest::kittest::{By, Queryable};
use factmark::model::{PartyId, Status};

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
    // This is about the note's box: the verdict's explanation box above it
    // is taken away so the editor's height is the note's doing.
    set.apply(
        factmark::model::Edit::SetVerdict {
            claim: id.clone(),
            verdict: None,
        },
        &ctx,
    )
    .unwrap_or_else(|e| panic!("{e}"));
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

/// Set for the child process of `without_a_browser_or_a_file_dialog_the_window_says_so`.
const NO_DESKTOP_CHILD: &str = "FACTMARK_NO_DESKTOP_CHILD";

/// The child, run with no programs on its PATH and no desktop session: it
/// opens an evidence link and the system file dialog, and prints what the
/// window said.
#[test]
#[ignore = "the child process of without_a_browser_or_a_file_dialog_the_window_says_so"]
fn no_desktop_child_session() {
    if std::env::var_os(NO_DESKTOP_CHILD).is_none() {
        return;
    }
    let (_dir, mut h) = started();
    find_and_claim(&mut h, "satisfactory");
    h.get_by_label("+ Add evidence").click();
    h.run();
    h.get(
        By::new()
            .role(Role::TextInput)
            .predicate(|n| n.is_focused()),
    )
    .type_text("https://example.org/source");
    h.run();
    h.get_by_label("Open link").click();
    h.run();
    println!("LINK {}", h.state().error_message().unwrap_or("(no error)"));
    println!("STATUS {}", h.state().status_message().unwrap_or_default());
    h.get_by_label("OK").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    h.run();
    h.get_by_label("Browse…").click();
    for _ in 0..100 {
        h.run();
        if h.query_by_label_contains("No system file dialog").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let said = h.query_by_label_contains("No system file dialog").is_some();
    println!("DIALOG {said}");
}

#[test]
fn without_a_browser_or_a_file_dialog_the_window_says_so() {
    // Once: "Opened … in the browser" on a machine with no browser, and
    // Browse… failing without a word where no desktop portal runs.
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(exe)
        .args([
            "--exact",
            "safety::no_desktop_child_session",
            "--ignored",
            "--nocapture",
        ])
        .env(NO_DESKTOP_CHILD, "1")
        .env("PATH", empty.path())
        .env_remove("BROWSER")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let said = String::from_utf8_lossy(&out.stdout);
    let line = |tag: &str| {
        said.lines()
            .find_map(|l| l.strip_prefix(tag))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        line("LINK ").contains("Could not open https://example.org/source"),
        "{said}"
    );
    assert!(!line("STATUS ").contains("Opened https"), "{said}");
    assert_eq!(line("DIALOG "), "true", "{said}");
}

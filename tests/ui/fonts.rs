//! Every script of the UDHR is drawn with the fonts `.ci/run` installs
//! (Debian's fonts-noto-core and fonts-noto-cjk), through the system font
//! fallback eframe installs in the real window: the harness panics on any
//! glyph nothing can draw, so a script without a font fails here by name.

use super::common::*;
use egui_kittest::Harness;
use factmark::app::{FactmarkApp, Startup};
use std::sync::Arc;

/// The app on `page`, with the system font fallback from its first frame.
fn with_system_fonts(
    page: &std::path::Path,
    provider: &Arc<egui_system_font_provider::SystemFontProvider>,
) -> Harness<'static, FactmarkApp> {
    let startup = Startup {
        path: Some(page.to_path_buf()),
        article: None,
        data_dir: None,
        background: false,
    };
    let app = FactmarkApp::new(startup, prefs());
    let provider = provider.clone();
    let mut installed = false;
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(60)
        .build_ui_state(
            move |ui, app: &mut FactmarkApp| {
                if !std::mem::replace(&mut installed, true) {
                    ui.ctx().add_font_provider(provider.clone());
                }
                app.ui(ui);
            },
            app,
        )
}

#[test]
fn every_udhr_page_is_drawn_without_a_missing_glyph() {
    let root = repo_file("tests/fixtures/udhr");
    let mut pages: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 29, "the 29 declarations");
    let provider = Arc::new(egui_system_font_provider::SystemFontProvider::new());
    for page in &pages {
        let mut h = with_system_fonts(page, &provider);
        // A claim over the first words, so the list and editor draw the
        // script too.
        h.run();
        let text = h.state().document().set().article.text().to_owned();
        assert!(
            text.chars().count() > 1000,
            "{}: the declaration was opened",
            page.display()
        );
        let opening: String = text.trim_start().chars().take(12).collect();
        find_and_claim(&mut h, opening.trim());
        assert_eq!(
            h.state().document().set().claims().len(),
            1,
            "{}",
            page.display()
        );
    }
}

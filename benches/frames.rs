//! Frame costs of the real app on a book-length article: open to first frame,
//! and steady frames while scrolling. Uses the FNC-1 corpus when present,
//! otherwise a generated article of the same size.

use egui::{Event, MouseWheelUnit, Pos2, RawInput, Rect, vec2};
use factmark::app::{FactmarkApp, Prefs, Startup};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const CORPUS: &str = "../shared/corpus/fnc1-train-bodies.csv";

/// The article text and where it came from.
fn workload() -> (String, &'static str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    if let Ok(csv) = std::fs::read_to_string(&path) {
        return (corpus_bodies(&csv).join("\n\n"), "FNC-1 corpus");
    }
    println!("note: {CORPUS} not found; using a generated article of the same size");
    let paragraph = "Officials said on Tuesday that the talks were “satisfactory,” though critics disagreed. \
                     According to a statement, 1,000 prisoners would be released within weeks.";
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 3_700_000 {
        n += 1;
        text.push_str(&format!("{n}. {paragraph} {paragraph}\n\n"));
    }
    (text, "generated")
}

/// The `articleBody` column of the FNC-1 CSV (quoted, multi-line fields).
fn corpus_bodies(csv: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut column = 0;
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => {
                column += 1;
                field.clear();
            }
            ('\n', false) => {
                if column == 1 && !field.trim().is_empty() {
                    fields.push(field.trim().to_owned());
                }
                column = 0;
                field.clear();
            }
            _ => field.push(c),
        }
    }
    fields.into_iter().skip(1).collect()
}

fn input(time: f64, events: Vec<Event>) -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1400.0, 900.0))),
        time: Some(time),
        events,
        ..Default::default()
    }
}

/// One full frame: UI code, layout and tessellation.
fn frame(ctx: &egui::Context, app: &mut FactmarkApp, time: f64, events: Vec<Event>) -> Duration {
    let start = Instant::now();
    let out = ctx.run_ui(input(time, events), |ui| app.ui(ui));
    let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    start.elapsed()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let (text, source) = workload();
    let dir = std::env::temp_dir().join(format!("factmark-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let article: PathBuf = dir.join("book.txt");
    if let Err(err) = std::fs::write(&article, &text) {
        println!("cannot write the workload: {err}");
        return;
    }
    println!(
        "workload: {source}, {:.1} MB, {} lines",
        text.len() as f64 / 1e6,
        text.lines().count()
    );

    let ctx = egui::Context::default();
    let start = Instant::now();
    let mut app = FactmarkApp::new(
        Startup {
            path: Some(article.clone()),
            article: None,
        },
        Prefs::default(),
    );
    let first = frame(&ctx, &mut app, 0.0, Vec::new()) + start.elapsed();
    let _ = start;
    println!("figure: first_frame factmark_ms={:.1}", ms(first));

    // Scroll through the text with the mouse wheel, a screen at a time.
    let mut worst = Duration::ZERO;
    let mut total = Duration::ZERO;
    let frames = 200;
    let pointer = Event::PointerMoved(Pos2::new(700.0, 450.0));
    for i in 0..frames {
        let wheel = Event::MouseWheel {
            unit: MouseWheelUnit::Point,
            delta: vec2(0.0, -2000.0),
            modifiers: Default::default(),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        };
        let d = frame(
            &ctx,
            &mut app,
            1.0 + i as f64 / 60.0,
            vec![pointer.clone(), wheel],
        );
        worst = worst.max(d);
        total += d;
    }
    println!(
        "figure: scroll_frame factmark_ms={:.2} (worst {:.2} ms over {frames} frames)",
        ms(total) / frames as f64,
        ms(worst)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

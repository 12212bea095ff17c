//! Book-scale performance: a ~3.7 MB article with 10,000 claims and 6 parties.
//!
//! Measures full egui frames (UI code, layout, tessellation; no GPU) of the real
//! app, and in the same run a baseline: a plain read-only egui `TextEdit` with
//! a `LayoutJob` holding the same text and highlights, measured the same way.
//! Ends with one `figure:` line per figure for scripts.
//!
//! The article is the FNC-1 corpus (`../shared/corpus`) when present, otherwise
//! a generated article of the same size, so the benchmark always runs. A
//! right-to-left workload follows: the Arabic UDHR (`tests/fixtures/udhr`)
//! repeated to about 2 MB, every paragraph taking the view's bidi layout; it
//! is shaped with Noto Sans Arabic when Debian's fonts-noto-core is installed.

use egui::{Color32, Event, Key, Modifiers, MouseWheelUnit, Pos2, RawInput, Rect, vec2};
use factmark::app::{FactmarkApp, Prefs, Startup};
use factmark::format;
use factmark::model::{AnnotationSet, Article, Edit, EditContext, Overlay, Stance, Status};
#[path = "common/corpus.rs"]
mod corpus;

use corpus::{Lcg, corpus_text};
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const CLAIMS: usize = 10_000;
const PARTIES: [&str; 6] = [
    "Russia",
    "Ukraine",
    "United States",
    "Turkey",
    "NATO",
    "United Nations",
];

/// Counts live heap bytes, so memory is measured, not guessed.
struct CountingAlloc;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarding the caller's layout to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAlloc = CountingAlloc;

fn live_mb() -> f64 {
    LIVE_BYTES.load(Ordering::Relaxed) as f64 / 1e6
}

fn generated_text() -> String {
    const WORDS: &[&str] = &[
        "officials",
        "said",
        "the",
        "talks",
        "were",
        "satisfactory",
        "though",
        "critics",
        "disagreed",
        "according",
        "to",
        "a",
        "statement",
        "prisoners",
        "would",
        "be",
        "released",
        "within",
        "weeks",
        "ministry",
        "denied",
        "report",
        "calling",
        "it",
        "fabrication",
        "intended",
        "mislead",
        "witnesses",
        "told",
        "reporters",
        "that",
        "convoy",
        "had",
        "crossed",
        "border",
        "before",
        "dawn",
        "government",
        "spokesman",
        "confirmed",
        "on",
        "Tuesday",
        "agreement",
        "ceasefire",
        "delegation",
        "president",
        "envoy",
        "negotiations",
        "collapsed",
        "hours",
        "sanctions",
        "troops",
        "territory",
        "analysts",
        "expect",
        "further",
        "talks",
        "next",
        "month",
        "in",
        "Istanbul",
        "Geneva",
        "sources",
        "familiar",
        "with",
        "matter",
        "declined",
        "comment",
        "video",
        "posted",
        "online",
        "shows",
    ];
    let mut rng = Lcg(3);
    let mut text = String::new();
    while text.len() < 3_700_000 {
        for _ in 0..2 + rng.next(5) {
            let words = 8 + rng.next(18);
            for w in 0..words {
                let word = WORDS[rng.next(WORDS.len())];
                match (w, rng.next(12)) {
                    (0, _) => {
                        let mut chars = word.chars();
                        if let Some(first) = chars.next() {
                            text.extend(first.to_uppercase());
                            text.push_str(chars.as_str());
                        }
                    }
                    (_, 0) => text.push_str(&format!("“{word}”")),
                    (_, 1) => text.push_str(&format!("{},{:03}", 1 + rng.next(99), rng.next(1000))),
                    _ => text.push_str(word),
                }
                text.push(if w + 1 == words { '.' } else { ' ' });
            }
            text.push(' ');
        }
        text.push_str("\n\n");
    }
    text
}

/// The paragraphs of the Arabic UDHR, repeated to about 2 MB.
fn rtl_text() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/udhr/arb.html");
    let html = std::fs::read_to_string(path).unwrap_or_default();
    let paragraphs: Vec<&str> = html
        .split("<p>")
        .skip(1)
        .filter_map(|p| p.split("</p>").next())
        .collect();
    let one = paragraphs.join("\n\n");
    if one.is_empty() {
        println!("note: {path} has no paragraphs; the rtl workload is empty");
        return String::new();
    }
    let mut text = String::new();
    while text.len() < 2_000_000 {
        text.push_str(&one);
        text.push_str("\n\n");
    }
    text
}

/// The Arabic font the rtl workload is shaped with, when installed.
const ARABIC_FONT: &str = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf";

fn add_arabic_font(ctx: &egui::Context) {
    match std::fs::read(ARABIC_FONT) {
        Ok(bytes) => ctx.add_font(egui::FontInsert::new(
            "arabic",
            egui::FontData::from_owned(bytes),
            vec![egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: egui::epaint::text::FontPriority::Lowest,
            }],
        )),
        Err(err) => println!("note: {ARABIC_FONT}: {err}; Arabic is drawn without a font"),
    }
}

/// 10,000 claims spread over the article, every tenth nested in its predecessor.
fn annotate(article: Article) -> AnnotationSet {
    let ctx = EditContext {
        author: "bench".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    let mut set = AnnotationSet::new(article);
    for name in PARTIES {
        let party = set.new_party(name);
        let _ = set.apply(Edit::AddParty { party, index: None }, &ctx);
    }
    let parties: Vec<_> = set.parties().iter().map(|p| p.id.clone()).collect();
    let chars = set.article.char_count();
    let stride = chars / CLAIMS;
    let mut rng = Lcg(7);
    let mut previous = 0..0;
    for i in 0..CLAIMS {
        let range = if i % 10 == 9 && previous.len() > 4 {
            previous.start + 2..previous.end - 2
        } else {
            let start = i * stride + rng.next(stride / 2);
            start..(start + 20 + rng.next(180)).min(chars)
        };
        previous = range.clone();
        let Ok(mut claim) = set.new_claim(range, &ctx) else {
            continue;
        };
        claim.id = factmark::model::ClaimId(format!("c-{i:05}"));
        claim.status = Status::ALL[i % 3];
        claim.claimant = Some(parties[i % parties.len()].clone());
        for k in 0..rng.next(4) {
            let stance = if (i + k) % 3 == 0 {
                Stance::Disputes
            } else {
                Stance::Agrees
            };
            claim
                .stances
                .insert(parties[(i + k) % parties.len()].clone(), stance);
        }
        claim.note = format!("Bench note {i}: checked against the wire copy.");
        let _ = set.apply(Edit::AddClaim(Box::new(claim)), &ctx);
    }
    set
}

fn screen() -> Rect {
    Rect::from_min_size(Pos2::ZERO, vec2(1400.0, 900.0))
}

/// Runs one full frame of `ui` and tessellates it.
fn frame(ctx: &egui::Context, events: Vec<Event>, mut ui: impl FnMut(&mut egui::Ui)) -> Duration {
    let time = ctx.input(|i| i.time) + 1.0 / 60.0;
    let input = RawInput {
        screen_rect: Some(screen()),
        time: Some(time),
        events,
        ..Default::default()
    };
    let start = Instant::now();
    let mut out = ctx.run_ui(input, |u| ui(u));
    let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    let elapsed = start.elapsed();
    // No GPU takes the font atlas's updates (egui checks, with debug
    // assertions on, that none is dropped unseen).
    out.textures_delta.clear();
    elapsed
}

fn wheel(points: f32) -> Vec<Event> {
    vec![
        Event::PointerMoved(Pos2::new(680.0, 450.0)),
        Event::MouseWheel {
            unit: MouseWheelUnit::Point,
            delta: vec2(0.0, -points),
            modifiers: Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        },
    ]
}

fn key(key: Key, modifiers: Modifiers) -> Vec<Event> {
    vec![Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers,
    }]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mean_ms(samples: &[Duration]) -> f64 {
    samples.iter().map(|d| ms(*d)).sum::<f64>() / samples.len().max(1) as f64
}

fn median_ms(samples: &mut [Duration]) -> f64 {
    samples.sort();
    samples.get(samples.len() / 2).map_or(0.0, |d| ms(*d))
}

/// The baseline: egui's own read-only TextEdit over the whole article, with a
/// memoised LayoutJob of the same highlights (what DESIGN.md measured).
struct Baseline {
    text: String,
    /// Byte range and colour of every highlighted span.
    spans: Vec<(std::ops::Range<usize>, Color32)>,
    job: Option<(u64, f32, egui::text::LayoutJob)>,
    revision: u64,
    scroll_to: Option<f32>,
}

impl Baseline {
    fn new(set: &AnnotationSet) -> Self {
        let overlay = Overlay::build(set);
        let article = &set.article;
        let spans = overlay
            .spans()
            .iter()
            .map(|s| {
                let n = overlay.claims_of(s).len() as u8;
                let bytes = article.byte_of_char(s.range.start)..article.byte_of_char(s.range.end);
                (
                    bytes,
                    Color32::from_rgba_unmultiplied(220, 60, 60, 60 + 40 * n.min(3)),
                )
            })
            .collect();
        Self {
            text: article.text().to_owned(),
            spans,
            job: None,
            revision: 0,
            scroll_to: None,
        }
    }

    fn build_job(
        text: &str,
        spans: &[(std::ops::Range<usize>, Color32)],
        wrap: f32,
    ) -> egui::text::LayoutJob {
        let font = egui::FontId::proportional(17.0);
        let plain = egui::TextFormat::simple(font, Color32::GRAY);
        let mut job = egui::text::LayoutJob {
            text: text.to_owned(),
            ..Default::default()
        };
        job.wrap.max_width = wrap;
        let mut at = 0;
        let mut push = |range: std::ops::Range<usize>, format: egui::TextFormat| {
            job.sections.push(egui::text::LayoutSection {
                leading_space: 0.0,
                byte_range: range.start.into()..range.end.into(),
                format,
            });
        };
        for (range, color) in spans {
            if range.start > at {
                push(at..range.start, plain.clone());
            }
            let mut format = plain.clone();
            format.background = *color;
            push(range.clone(), format);
            at = range.end;
        }
        if at < text.len() {
            push(at..text.len(), plain);
        }
        job
    }

    fn ui(&mut self, ui: &mut egui::Ui) {
        let Self {
            text,
            spans,
            job,
            revision,
            scroll_to,
        } = self;
        egui::CentralPanel::default().show(ui, |ui| {
            let mut area = egui::ScrollArea::vertical().id_salt("baseline");
            if let Some(y) = scroll_to.take() {
                area = area.vertical_scroll_offset(y);
            }
            area.show(ui, |ui| {
                let mut layouter = |ui: &egui::Ui, _text: &dyn egui::TextBuffer, wrap: f32| {
                    let stale = job
                        .as_ref()
                        .is_none_or(|(rev, w, _)| *rev != *revision || *w != wrap);
                    if stale {
                        *job = Some((*revision, wrap, Self::build_job(text, spans, wrap)));
                    }
                    let memoised = job
                        .as_ref()
                        .map(|(_, _, job)| job.clone())
                        .unwrap_or_default();
                    ui.fonts_mut(|f| f.layout_job(memoised))
                };
                let mut shown = text.as_str();
                ui.add(
                    egui::TextEdit::multiline(&mut shown)
                        .layouter(&mut layouter)
                        .desired_width(f32::INFINITY),
                );
            });
        });
    }

    /// Recolours one highlight: the smallest edit a user can make.
    fn edit(&mut self, index: usize) {
        if let Some(span) = self.spans.get_mut(index) {
            span.1 = Color32::from_rgba_unmultiplied(60, 160, 90, 90);
        }
        self.revision += 1;
    }
}

struct Figure {
    name: &'static str,
    factmark: f64,
    baseline: Option<f64>,
    unit: &'static str,
    target: f64,
}

impl Figure {
    fn new(
        name: &'static str,
        factmark: f64,
        baseline: Option<f64>,
        unit: &'static str,
        target: f64,
    ) -> Self {
        Self {
            name,
            factmark,
            baseline,
            unit,
            target,
        }
    }
}

fn main() {
    let mut workloads = Vec::new();
    if let Some(text) = corpus_text() {
        workloads.push(("corpus", text));
    }
    workloads.push(("generated", generated_text()));
    workloads.push(("rtl", rtl_text()));
    // `cargo bench --bench book_scale -- rtl` runs only the workloads named.
    let named: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| workloads.iter().any(|(name, _)| name == a))
        .collect();
    if !named.is_empty() {
        workloads.retain(|(name, _)| named.iter().any(|n| n == name));
    }
    let mut summaries = Vec::new();
    for (i, (name, text)) in workloads.into_iter().enumerate() {
        println!("\n== workload: {name}");
        // The first workload's figures are the headline ones.
        let prefix = if i == 0 {
            String::new()
        } else {
            format!("{name}_")
        };
        summaries.push((prefix, run(&text, name)));
    }
    println!();
    for (prefix, figures) in &summaries {
        for f in figures {
            match f.baseline {
                Some(base) => println!(
                    "figure: {prefix}{} factmark_{u}={:.3} baseline_{u}={:.3} ratio={:.4}",
                    f.name,
                    f.factmark,
                    base,
                    f.factmark / base,
                    u = f.unit
                ),
                None => println!(
                    "figure: {prefix}{} factmark_{u}={:.3}",
                    f.name,
                    f.factmark,
                    u = f.unit
                ),
            }
        }
    }
}

fn run(text: &str, source: &str) -> Vec<Figure> {
    let dir = std::env::temp_dir().join(format!("factmark-book-{}-{source}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let article_path: PathBuf = dir.join("book.txt");
    let ron_path: PathBuf = dir.join("book.ron");
    if let Err(err) = std::fs::write(&article_path, text) {
        println!("cannot write the workload to {}: {err}", dir.display());
        return Vec::new();
    }
    let article = Article::new("Book-length article", text);
    let article_mb = text.len() as f64 / 1e6;
    let set = annotate(article);
    println!(
        "workload: {source}, {article_mb:.2} MB, {} paragraphs, {} claims, {} parties",
        set.article.line_count(),
        set.claims().len(),
        set.parties().len()
    );
    let mut figures = Vec::new();

    // File figures: median of several runs.
    let mut saves: Vec<Duration> = (0..7)
        .map(|_| {
            let start = Instant::now();
            if let Err(err) = format::save_annotations(&ron_path, &set, Some(&article_path), false)
            {
                println!("save failed: {err}");
            }
            start.elapsed()
        })
        .collect();
    let start = Instant::now();
    let overlay_spans = Overlay::build(&set).spans().len();
    println!(
        "overlay: {overlay_spans} spans, built in {:.2} ms",
        ms(start.elapsed())
    );
    let file_mb = std::fs::metadata(&ron_path).map_or(0.0, |m| m.len() as f64 / 1e6);
    let start = Instant::now();
    let ron_text = format::to_ron(&set, Some("book.txt")).unwrap_or_default();
    let serialise = start.elapsed();
    let start = Instant::now();
    let parsed = format::from_ron(&ron_text).is_ok();
    let parse = start.elapsed();
    println!(
        "annotation file: {file_mb:.2} MB; serialising it takes {:.1} ms, parsing it {:.1} ms{}",
        ms(serialise),
        ms(parse),
        if parsed { "" } else { " (PARSE FAILED)" }
    );
    figures.push(Figure::new(
        "save_10k",
        median_ms(&mut saves),
        None,
        "ms",
        100.0,
    ));
    let mut loads: Vec<Duration> = (0..7)
        .map(|_| {
            let start = Instant::now();
            let loaded = format::load_annotations(&ron_path, None);
            let elapsed = start.elapsed();
            if let Err(err) = loaded {
                println!("load failed: {err}");
            }
            elapsed
        })
        .collect();
    figures.push(Figure::new(
        "load_10k",
        median_ms(&mut loads),
        None,
        "ms",
        100.0,
    ));
    drop(set);

    // factmark: open the annotation file and draw the first frame.
    let ctx = egui::Context::default();
    if source == "rtl" {
        add_arabic_font(&ctx);
    }
    let heap_before = live_mb();
    let start = Instant::now();
    let mut app = FactmarkApp::new(
        Startup {
            path: Some(ron_path.clone()),
            article: None,
            data_dir: None,
            background: false,
        },
        Prefs::default(),
    );
    let _ = frame(&ctx, Vec::new(), |ui| app.ui(ui));
    let first = start.elapsed();
    for _ in 0..3 {
        frame(&ctx, Vec::new(), |ui| app.ui(ui));
    }
    let memory = live_mb() - heap_before;

    // Steady scrolling, from several places in the text.
    let claims: Vec<_> = app
        .document()
        .set()
        .claims()
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let mut rng = Lcg(11);
    let mut scroll = Vec::new();
    let mut scrolled = 0;
    let mut jumps = Vec::new();
    for _ in 0..20 {
        let id = &claims[rng.next(claims.len())];
        app.jump_to_claim(id);
        jumps.push(frame(&ctx, Vec::new(), |ui| app.ui(ui)));
        for _ in 0..2 {
            frame(&ctx, Vec::new(), |ui| app.ui(ui));
        }
        let from = app.view().top_char();
        for _ in 0..10 {
            scroll.push(frame(&ctx, wheel(400.0), |ui| app.ui(ui)));
        }
        scrolled += app.view().top_char().saturating_sub(from);
    }

    // Edits: a new claim, a status change, an undo; each followed by its frame.
    let mut edits = Vec::new();
    for round in 0..10 {
        let id = &claims[rng.next(claims.len())];
        app.jump_to_claim(id);
        frame(&ctx, Vec::new(), |ui| app.ui(ui));
        let from = app
            .document()
            .set()
            .claim(id)
            .map_or(0, |c| c.anchor.end + 3);
        app.select_text(from..from + 12);
        frame(&ctx, Vec::new(), |ui| app.ui(ui));
        edits.push(frame(&ctx, key(Key::Enter, Modifiers::COMMAND), |ui| {
            app.ui(ui)
        }));
        let status_key = if round % 2 == 0 { Key::D } else { Key::A };
        edits.push(frame(&ctx, key(status_key, Modifiers::NONE), |ui| {
            app.ui(ui)
        }));
        edits.push(frame(&ctx, key(Key::Z, Modifiers::COMMAND), |ui| {
            app.ui(ui)
        }));
        frame(&ctx, Vec::new(), |ui| app.ui(ui));
    }
    let edits_applied = app.document().history().can_undo();

    // AccessKit on (a screen reader is running).
    ctx.enable_accesskit();
    let mut accesskit = Vec::new();
    for _ in 0..40 {
        accesskit.push(frame(&ctx, wheel(400.0), |ui| app.ui(ui)));
    }
    drop(app);

    // Baseline, measured the same way on the same text and highlights.
    let loaded = format::load_annotations(&ron_path, None).map(|l| l.set);
    let Ok(set) = loaded else {
        println!("baseline skipped: the annotation file did not load");
        return figures;
    };
    let base_ctx = egui::Context::default();
    if source == "rtl" {
        add_arabic_font(&base_ctx);
    }
    let start = Instant::now();
    let mut baseline = Baseline::new(&set);
    drop(set);
    let _ = frame(&base_ctx, Vec::new(), |ui| baseline.ui(ui));
    let base_first = start.elapsed();
    let mut base_scroll = Vec::new();
    let mut base_jumps = Vec::new();
    for k in 0..5 {
        baseline.scroll_to = Some(20_000.0 * k as f32);
        base_jumps.push(frame(&base_ctx, Vec::new(), |ui| baseline.ui(ui)));
        for _ in 0..3 {
            base_scroll.push(frame(&base_ctx, wheel(400.0), |ui| baseline.ui(ui)));
        }
    }
    let mut base_edits = Vec::new();
    for k in 0..3 {
        baseline.edit(k * 1000);
        base_edits.push(frame(&base_ctx, Vec::new(), |ui| baseline.ui(ui)));
    }
    base_ctx.enable_accesskit();
    let mut base_accesskit = Vec::new();
    for _ in 0..5 {
        base_accesskit.push(frame(&base_ctx, wheel(400.0), |ui| baseline.ui(ui)));
    }

    figures.push(Figure::new(
        "first_frame",
        ms(first),
        Some(ms(base_first)),
        "ms",
        150.0,
    ));
    figures.push(Figure::new(
        "scroll_frame",
        mean_ms(&scroll),
        Some(mean_ms(&base_scroll)),
        "ms",
        2.0,
    ));
    figures.push(Figure::new(
        "edit_frame",
        mean_ms(&edits),
        Some(mean_ms(&base_edits)),
        "ms",
        3.0,
    ));
    figures.push(Figure::new(
        "accesskit_frame",
        mean_ms(&accesskit),
        Some(mean_ms(&base_accesskit)),
        "ms",
        5.0,
    ));
    figures.push(Figure::new(
        "jump_to_claim",
        mean_ms(&jumps),
        Some(mean_ms(&base_jumps)),
        "ms",
        3.0,
    ));
    figures.push(Figure::new("memory", memory, None, "mb", 10.0 * article_mb));

    let worst = |v: &[Duration]| v.iter().map(|d| ms(*d)).fold(0.0, f64::max);
    println!(
        "details: scroll worst {:.2} ms over {} frames, {scrolled} chars scrolled through; edit worst {:.2} ms over {} frames ({})",
        worst(&scroll),
        scroll.len(),
        worst(&edits),
        edits.len(),
        if edits_applied {
            "edits applied"
        } else {
            "NO EDITS APPLIED"
        }
    );
    println!(
        "details: accesskit worst {:.2} ms; jump worst {:.2} ms; memory {:.1} MB = {:.1}x the article",
        worst(&accesskit),
        worst(&jumps),
        memory,
        memory / article_mb
    );
    for f in &figures {
        let verdict = if f.factmark <= f.target {
            "within"
        } else {
            "OVER"
        };
        println!(
            "target: {} {:.3} {} (target {} {}): {verdict}",
            f.name, f.factmark, f.unit, f.target, f.unit
        );
    }
    if std::env::var_os("FACTMARK_BENCH_KEEP").is_some() {
        println!(
            "kept the workload in {} (FACTMARK_BENCH_KEEP is set)",
            dir.display()
        );
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    figures
}

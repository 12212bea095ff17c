//! The article's font: any family installed on the system, chosen in the
//! Preferences, with egui's own fonts and then the system's fallback fonts
//! (eframe's `system_fonts` provider) behind it, so every script the machine
//! has fonts for is drawn and a missing glyph is a box, never a crash.
//!
//! Listing the installed families and loading one takes a few hundred
//! milliseconds (fontconfig reads its cache), so both run on a thread and
//! the view keeps the built-in font until the chosen one is ready.

use super::bidi_layout;
use egui::{FontData, FontDefinitions, FontFamily};
use fontique::{Collection, CollectionOptions};
use std::sync::mpsc::{Receiver, channel};

/// The family the article pane is drawn with.
pub const ARTICLE_FAMILY: &str = "article";

/// The article font's family for a [`egui::FontId`]: the chosen family once
/// it is loaded, else the proportional one.
pub fn article_family(loaded: bool) -> FontFamily {
    if loaded {
        FontFamily::Name(ARTICLE_FAMILY.into())
    } else {
        FontFamily::Proportional
    }
}

/// What a background look-up sends back.
enum Found {
    Families(Vec<String>),
    Font {
        family: String,
        font: Option<(FontData, String)>,
    },
}

/// The installed families (listed once, when first asked for) and the
/// article font being loaded.
#[derive(Default)]
pub struct ArticleFonts {
    families: Option<Vec<String>>,
    listing: bool,
    /// The family last asked for (`Some(None)`: the built-in font).
    requested: Option<Option<String>>,
    /// The family now in use, once loaded.
    loaded: Option<String>,
    pending: Option<Receiver<Found>>,
    family_rx: Option<Receiver<Found>>,
    /// Why the chosen family could not be used, for the Preferences window.
    pub problem: Option<String>,
}

impl ArticleFonts {
    /// The installed families, sorted; `None` while they are being listed
    /// (the first call starts listing them).
    pub fn families(&mut self) -> Option<&[String]> {
        if self.families.is_none() && !self.listing {
            self.listing = true;
            let (tx, rx) = channel();
            std::thread::spawn(move || {
                let mut collection = system_fonts();
                let mut names: Vec<String> = collection.family_names().map(str::to_owned).collect();
                names.sort_by_key(|n| n.to_lowercase());
                names.dedup();
                let _ = tx.send(Found::Families(names));
            });
            self.family_rx = Some(rx);
        }
        self.families.as_deref()
    }

    /// Whether the article is drawn with a chosen family (else the built-in one).
    pub fn loaded(&self) -> bool {
        self.loaded.is_some()
    }

    /// Keeps the article font what the preferences say (`None`: the
    /// built-in font) and takes in what the threads found; call once per
    /// frame.
    pub fn follow(&mut self, ctx: &egui::Context, family: Option<&str>) {
        if self.requested.as_ref().map(Option::as_deref) != Some(family) {
            self.requested = Some(family.map(str::to_owned));
            self.choose(ctx, family);
        }
        self.poll(ctx);
    }

    /// Asks for `family`. Loading happens on a thread; [`Self::poll`]
    /// installs it.
    fn choose(&mut self, ctx: &egui::Context, family: Option<&str>) {
        self.problem = None;
        let Some(family) = family.map(str::to_owned) else {
            if self.loaded.take().is_some() {
                ctx.set_fonts(FontDefinitions::default());
                bidi_layout::fonts_changed(ctx);
            }
            self.pending = None;
            return;
        };
        if self.loaded.as_deref() == Some(family.as_str()) {
            return;
        }
        let (tx, rx) = channel();
        let waker = ctx.clone();
        std::thread::spawn(move || {
            let font = load(&family);
            let _ = tx.send(Found::Font { family, font });
            waker.request_repaint();
        });
        self.pending = Some(rx);
    }

    fn poll(&mut self, ctx: &egui::Context) {
        if let Some(Ok(Found::Families(names))) = self.family_rx.as_ref().map(Receiver::try_recv) {
            self.families = Some(names);
            self.family_rx = None;
        }
        let Some(Ok(Found::Font { family, font })) = self.pending.as_ref().map(Receiver::try_recv)
        else {
            return;
        };
        self.pending = None;
        match font {
            Some((data, name)) => {
                ctx.set_fonts(definitions_with(data, name));
                bidi_layout::fonts_changed(ctx);
                self.loaded = Some(family);
            }
            None => {
                self.problem = Some(format!(
                    "The font “{family}” is not installed or cannot be read; the article \
                     keeps the built-in font"
                ));
            }
        }
    }
}

/// egui's fonts, with the article family drawn in `data` first and egui's
/// proportional fonts behind it.
fn definitions_with(data: FontData, name: String) -> FontDefinitions {
    let mut definitions = FontDefinitions::default();
    let mut chain = vec![name.clone()];
    chain.extend(
        definitions
            .families
            .get(&FontFamily::Proportional)
            .cloned()
            .unwrap_or_default(),
    );
    definitions.font_data.insert(name, data.into());
    definitions
        .families
        .insert(FontFamily::Name(ARTICLE_FAMILY.into()), chain);
    definitions
}

/// The fonts installed on the system (fontconfig reads its cache: slow,
/// so only on a thread).
fn system_fonts() -> Collection {
    Collection::new(CollectionOptions {
        shared: false,
        system_fonts: true,
    })
}

/// The regular face of an installed family, and a name for it.
fn load(family: &str) -> Option<(FontData, String)> {
    let mut collection = system_fonts();
    let info = collection.family_by_name(family)?;
    let font = info.default_font()?;
    let blob = font.load(None)?;
    let (blob, _id) = blob.into_raw_parts();
    let name = format!("article:{family}:{}", font.index());
    Some((FontData::from_blob(blob, font.index()), name))
}

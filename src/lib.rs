//! factmark: annotate claims in news articles, record who asserts, agrees with
//! or disputes them, and share the work as diff-friendly RON files.
//!
//! Layers, each depending only on those above it in this list:
//! [`model`] (pure data and edits), [`text`] (scripts: direction and
//! boundaries), [`anchor`] (finding quotes again),
//! [`format`] (files), [`web`] (pages and addresses), [`export`] and
//! [`import`] (other formats), [`app`] (the egui window) and [`cli`]
//! (headless commands).

pub mod anchor;
pub mod app;
pub mod cli;
pub mod export;
pub mod format;
pub mod import;
pub mod model;
pub mod text;
pub mod web;

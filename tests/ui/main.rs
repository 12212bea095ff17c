//! UI flows driven headlessly through egui_kittest, the way a user would:
//! selecting text, creating a claim, tagging it, saving and reopening, and
//! everything a file from someone else or a keystroke must not do. One test
//! binary, one module per area.

mod common;
mod editing;
mod files;
mod fonts;
#[path = "../common/http.rs"]
mod http;
mod keyboard;
mod layout;
mod safety;
mod scripts;
mod web;

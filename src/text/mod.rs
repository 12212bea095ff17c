//! Text in every script, below the UI: bidirectional reordering ([`bidi`],
//! UAX #9) and grapheme and word boundaries ([`segment`], UAX #29 with
//! dictionaries for Chinese, Japanese, Thai, Lao, Khmer and Burmese).
//!
//! Pure functions on one paragraph (or a bounded slice of one): no egui, no
//! files. Every offset in and out is a char (Unicode scalar value) offset, as
//! everywhere in factmark; the crates underneath work in bytes and the
//! conversion stays in here.

pub mod bidi;
pub mod segment;

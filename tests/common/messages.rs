//! What an error message shown to a person must never contain: words from
//! inside the program (parser internals, Rust type names).

pub const INTERNAL_WORDS: &[&str] = &[
    "SpannedError",
    "ron::",
    "serde_stacker",
    "`FileV1`",
    "`ClaimRecord`",
    "`ArticleRecord`",
];

//! Workload pieces shared by the benchmarks: the FNC-1 corpus as one article,
//! and a small deterministic random number generator.

use std::path::Path;

/// Where the corpus lives relative to the project, when it is there at all.
pub const CORPUS: &str = "../shared/corpus/fnc1-train-bodies.csv";

/// The corpus's article bodies joined by blank lines, or `None` (with a note)
/// when the corpus is absent.
pub fn corpus_text() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    match std::fs::read_to_string(&path) {
        Ok(csv) => Some(corpus_bodies(&csv).join("\n\n")),
        Err(_) => {
            println!("note: {CORPUS} not found; skipping the corpus workload");
            None
        }
    }
}

/// The `articleBody` column of the FNC-1 CSV (quoted, multi-line fields).
fn corpus_bodies(csv: &str) -> Vec<String> {
    let mut bodies = Vec::new();
    let mut field = String::new();
    let (mut quoted, mut column) = (false, 0);
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
                    bodies.push(field.trim().to_owned());
                }
                column = 0;
                field.clear();
            }
            _ => field.push(c),
        }
    }
    bodies.into_iter().skip(1).collect()
}

/// A deterministic pseudo-random sequence (same numbers every run, no dependency).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

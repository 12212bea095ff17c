//! A bounded, structure-aware mutational fuzzer for the file loader, run by
//! `cargo test` like any other test.
//!
//! Seeds: every file in `tests/fixtures/hostile/`, the example annotations and
//! the example saved with its article. Each input is one to six mutations of a
//! seed (bit flips, RON tokens and field names inserted, spans deleted or
//! duplicated, lines swapped, two seeds spliced, numbers replaced by extreme
//! values, strings replaced by hostile ones, brackets nested deeply, cut
//! short). Inputs that give a new kind of error or of result join the pool.
//!
//! Every input goes through `format::from_ron`; what parses is bound to the
//! reference article, to the stand-in for a missing article and to its own
//! carried article, checked (claims inside the article, only web links open,
//! the set's invariants) and written back out and read again. One input in 40
//! is also written to a file and opened with `format::load_annotations`.
//!
//! A panic, a failed check, an execution over 10 s or one allocating more
//! than 256 MB fails the test, listing each input shrunk to a minimum (and
//! saved under `target/tmp/fuzz-failures/`). Knobs: `FACTMARK_FUZZ_SECS`
//! (default 20) and `FACTMARK_FUZZ_SEED` (default fixed, so CI is repeatable;
//! the output names the seed to replay a run).

use factmark::format::{self, ArticleOrigin};
use factmark::model::{AnnotationSet, Article};
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashSet;
use std::fs;
use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts live heap bytes and their peak, to catch inputs that allocate
/// far beyond their size.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only
// counters are updated around it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged; `ptr` came from this allocator.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Most heap one execution may add on top of what was live before it.
const MAX_EXEC_BYTES: usize = 256 * 1024 * 1024;
/// Longest one execution may take (a debug build on a slow CI machine).
const MAX_EXEC_TIME: Duration = Duration::from_secs(10);
/// Inputs are cut to this size, to keep executions quick.
const MAX_INPUT: usize = 2 * 1024 * 1024;
/// Most inputs kept in the pool.
const MAX_POOL: usize = 4000;
/// Most failing inputs shrunk and listed (each kind of failure once).
const MAX_REPORTED: usize = 20;

#[path = "common/messages.rs"]
mod messages;
#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

/// RON tokens, factmark field names and values worth inserting anywhere.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "\\",
    "'",
    "\\u{",
    "\\u{0}",
    "\\udc00",
    "\\u{dc00}",
    "\\u{10ffff}",
    "\\x",
    "r#\"",
    "\"#",
    "r##\"",
    "/*",
    "*/",
    "//",
    "\n",
    "\r\n",
    "\r",
    "\0",
    "\u{feff}",
    "\u{301}",
    "\u{202e}",
    "😀",
    "\u{1b}[2J",
    "Some(",
    "None",
    "true",
    "false",
    "()",
    "-",
    "+",
    "0x",
    ".",
    "1e9",
    "_",
    "#![enable(implicit_some)]",
    "#![enable(unwrap_newtypes)]",
    "FileV1",
    "format: ",
    "version: ",
    "article: ",
    "title: ",
    "source: ",
    "sha256: ",
    "chars: ",
    "text: ",
    "contributors: ",
    "parties: ",
    "claims: ",
    "id: ",
    "name: ",
    "color: ",
    "anchor: ",
    "start: ",
    "end: ",
    "exact: ",
    "prefix: ",
    "suffix: ",
    "status: ",
    "status_chosen: ",
    "claimant: ",
    "stances: ",
    "note: ",
    "evidence: ",
    "url: ",
    "quote: ",
    "supports: ",
    "author: ",
    "created: ",
    "modified: ",
    "conflict: ",
    "Theirs(name: \"x\", color: \"#000000\")",
    "Deleted",
    "Agreed",
    "Disputed",
    "Unreviewed",
    "Agrees",
    "Disputes",
    "\"factmark\"",
    "\"russia\"",
    "\"ukraine\"",
    "\"c-36915b11\"",
    "\"#c0392b\"",
    "\"2026-11-24T14:17:24Z\"",
];

/// Numbers that probe every bound an offset, length or version could hit.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "-1",
    "2386",
    "2423",
    "2424",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551614",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "0x7fffffffffffffff",
    "0b1",
    "1.5",
    "-0",
    "1_000",
    "00000000000000000000001",
];

/// String contents that probe links, paths, escapes, ids and sizes.
fn hostile_string(rng: &mut Rng) -> String {
    let fixed: &[&str] = &[
        "",
        " ",
        "russia",
        "ukraine",
        "c-36915b11",
        "c-dacfdd55",
        "satisfactory",
        "factmark",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "https://",
        "https://example.org/\\u{202e}gnp.exe",
        "http://ok.example/",
        "/etc/passwd",
        "../../../etc/passwd",
        "../assets/articles/peace-talks.txt",
        "C:\\\\Windows\\\\win.ini",
        "/dev/zero",
        "\\u{0}",
        "\\udc00",
        "\\u{dc00}",
        "\\u{1b}]0;pwned\\u{7}",
        "😀🇺🇦 e\u{301}te\u{301} \u{202e}",
        "#zzzzzz",
        "#c0392b",
        "2026-13-45T99:99:99Z",
        "9999-12-31T23:59:59Z",
        "-009999-01-01T00:00:00Z",
        "\\n\\n\\n\\r\\r",
    ];
    if rng.chance(8) {
        // A long value: sometimes past a limit, usually below.
        let unit = *rng.pick(&["x", "\\n", "é", "\\u{0}", "ab\\\"", "😀"]);
        let len = *rng.pick(&[1000, 1100, 70_000, 300_000]);
        return unit.repeat(len / unit.len().max(1));
    }
    (*rng.pick(fixed)).to_owned()
}

/// Byte ranges of the string literals in `input` (rough: escapes skipped).
fn string_literals(input: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < input.len() && input[j] != b'"' {
                j += if input[j] == b'\\' { 2 } else { 1 };
            }
            let end = j.min(input.len());
            out.push((start, end));
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Byte ranges of the digit runs in `input`.
fn numbers(input: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < input.len() {
        if input[i].is_ascii_digit() {
            let start = i;
            while i < input.len() && input[i].is_ascii_digit() {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

fn line_starts(input: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            input
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
}

/// A random span: short usually, sometimes long.
fn span(rng: &mut Rng, len: usize) -> (usize, usize) {
    let start = rng.below(len + 1);
    let max = if rng.chance(4) { len } else { 64 };
    let end = (start + rng.below(max + 1)).min(len);
    (start, end)
}

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, pool: &[Vec<u8>]) {
    let len = input.len();
    match rng.below(14) {
        0 => {
            if len > 0 {
                let at = rng.below(len);
                input[at] ^= 1 << rng.below(8);
            }
        }
        1 => {
            if len > 0 {
                let at = rng.below(len);
                input[at] = *rng.pick(&[
                    0, b'"', b'\\', b'(', b')', b'\n', b'\r', 0x80, 0xc3, 0xff, 0xed,
                ]);
            }
        }
        2 | 3 => {
            let at = rng.below(len + 1);
            let token = rng.pick(TOKENS).as_bytes();
            input.splice(at..at, token.iter().copied());
        }
        4 => {
            let (a, b) = span(rng, len);
            input.drain(a..b);
        }
        5 => {
            let (a, b) = span(rng, len);
            let copy = input[a..b].to_vec();
            let at = rng.below(len + 1);
            input.splice(at..at, copy);
        }
        6 => {
            // Splice with another input of the pool.
            let other = rng.pick(pool);
            let at = rng.below(len + 1);
            let from = rng.below(other.len() + 1);
            input.truncate(at);
            input.extend_from_slice(&other[from..]);
        }
        7 | 8 => {
            let found = numbers(input);
            if !found.is_empty() {
                let (a, b) = *rng.pick(&found);
                let number = rng.pick(NUMBERS).as_bytes();
                input.splice(a..b, number.iter().copied());
            }
        }
        9 => {
            // Deep nesting, closed or not.
            let open = *rng.pick(&["[", "(", "{", "Some(", "(a:", "[(", "{\"k\":"]);
            let close = match open {
                "[" => "]",
                "{" => "}",
                "[(" => ")]",
                "{\"k\":" => "}",
                _ => ")",
            };
            let depth = *rng.pick(&[31, 32, 33, 200, 5000, 100_000]);
            let mut nest = open.repeat(depth);
            if rng.chance(2) {
                nest.push_str(&close.repeat(depth));
            }
            let at = rng.below(len + 1);
            input.splice(at..at, nest.into_bytes());
        }
        10 | 11 => {
            let found = string_literals(input);
            if !found.is_empty() {
                let (a, b) = *rng.pick(&found);
                let value = hostile_string(rng);
                input.splice(a..b, value.into_bytes());
            }
        }
        12 => {
            // Duplicate a block of lines (repeats claims, parties, fields)
            // or swap two lines.
            let starts = line_starts(input);
            if starts.len() > 2 {
                let a = rng.below(starts.len() - 1);
                let b = (a + 1 + rng.below(40)).min(starts.len() - 1);
                if rng.chance(2) {
                    let block = input[starts[a]..starts[b]].to_vec();
                    let at = *rng.pick(&starts);
                    input.splice(at..at, block);
                } else {
                    let c = rng.below(starts.len() - 1);
                    let (first, second) = (a.min(c), a.max(c));
                    if first != second {
                        let one = input[starts[first]..starts[first + 1]].to_vec();
                        let two = input[starts[second]..starts[second + 1]].to_vec();
                        let mut out = input[..starts[first]].to_vec();
                        out.extend_from_slice(&two);
                        out.extend_from_slice(&input[starts[first + 1]..starts[second]]);
                        out.extend_from_slice(&one);
                        out.extend_from_slice(&input[starts[second + 1]..]);
                        *input = out;
                    }
                }
            }
        }
        _ => {
            input.truncate(rng.below(len + 1));
        }
    }
    input.truncate(MAX_INPUT);
}

/// A string literal for RON (Rust's escapes are RON's escapes).
fn ron_str(s: &str) -> String {
    format!("{s:?}")
}

/// An offset as a file might record it: usually true, sometimes shifted,
/// sometimes absurd.
fn offset(rng: &mut Rng, true_offset: usize, wild: bool) -> String {
    match rng.below(if wild { 10 } else { 1000 }) {
        0 => (*rng.pick(NUMBERS)).to_owned(),
        1 => true_offset.saturating_add(rng.below(40)).to_string(),
        2 => true_offset.saturating_sub(rng.below(40)).to_string(),
        3 => (true_offset + 100_000).to_string(),
        _ => true_offset.to_string(),
    }
}

/// A whole file built from the article: claims over real, shifted, edited
/// or absurd spans, with parties, stances, evidence and conflicts, sometimes
/// carrying an edited copy of the article. Most of these parse, so they
/// reach re-anchoring, binding and saving.
fn generated(rng: &mut Rng, article: &str) -> Vec<u8> {
    let chars: Vec<char> = article.chars().collect();
    let n = chars.len();
    let text = |a: usize, b: usize| -> String {
        let a = a.min(n);
        chars[a..b.clamp(a, n)].iter().collect()
    };
    // Half the files are sound in every detail but the spans, so they reach
    // re-anchoring; the other half have a few hostile details.
    let wild = rng.chance(2);
    let hostile = |rng: &mut Rng, one_in: usize| wild && rng.chance(one_in);
    let all_parties = ["russia", "ukraine", "un", "x\u{1b}"];
    let known = if wild { all_parties.len() } else { 3 };
    let parties: Vec<&str> = all_parties[..1 + rng.below(known)].to_vec();
    let party = |rng: &mut Rng| -> String {
        if hostile(rng, 30) {
            "mars".to_owned()
        } else {
            parties[rng.below(parties.len())].to_owned()
        }
    };
    let count = if rng.chance(20) { 300 } else { rng.below(12) };
    let mut claims = String::new();
    let mut conflicts = false;
    for i in 0..count {
        let start = rng.below(n + 1);
        let len = if rng.chance(10) {
            rng.below(n + 1)
        } else {
            1 + rng.below(120)
        };
        let end = (start + len).min(n);
        // String literals: article text escaped, hostile values as they are
        // (they are written with RON escapes already).
        let mut exact = ron_str(&text(start, end));
        match rng.below(8) {
            0 => exact = "\"\"".to_owned(),
            1 if end > start => {
                // An edit inside the quote (a corrected typo).
                let at = rng.below(end - start);
                let edited: String = text(start, end)
                    .chars()
                    .enumerate()
                    .map(|(k, c)| if k == at { 'z' } else { c })
                    .collect();
                exact = ron_str(&edited);
            }
            2 if hostile(rng, 2) => exact = format!("\"{}\"", hostile_string(rng)),
            _ => {}
        }
        let prefix = if hostile(rng, 8) {
            format!("\"{}\"", hostile_string(rng))
        } else {
            ron_str(&text(start.saturating_sub(32), start))
        };
        let suffix = if rng.chance(8) {
            String::new()
        } else {
            text(end, end + 32)
        };
        let (s, e) = if rng.chance(15) {
            (offset(rng, end, wild), offset(rng, start, wild))
        } else {
            (offset(rng, start, wild), offset(rng, end, wild))
        };
        let id = if hostile(rng, 40) {
            "c-0".to_owned()
        } else {
            format!("c-{i}")
        };
        let status = *rng.pick(&["Unreviewed", "Agreed", "Disputed"]);
        let claimant = if rng.chance(2) {
            format!("Some({})", ron_str(&party(rng)))
        } else {
            "None".to_owned()
        };
        let mut stances = String::new();
        for _ in 0..rng.below(3) {
            let stance = *rng.pick(&["Agrees", "Disputes"]);
            stances.push_str(&format!("{}: {stance}, ", ron_str(&party(rng))));
        }
        let mut evidence = String::new();
        for _ in 0..rng.below(3) {
            let url = if wild {
                hostile_string(rng)
            } else {
                "https://example.org/a".to_owned()
            };
            let supports = if rng.chance(2) {
                format!("Some({})", ron_str(&party(rng)))
            } else {
                "None".to_owned()
            };
            evidence.push_str(&format!(
                "(url: \"{url}\", quote: {}, supports: {supports}), ",
                ron_str(&text(start, start + 20))
            ));
        }
        let conflict = if rng.chance(10) {
            conflicts = true;
            let other = if wild {
                rng.below(count + 1)
            } else {
                rng.below(i + 1)
            };
            format!("conflict: Some(\"c-{other}\"), ")
        } else {
            String::new()
        };
        claims.push_str(&format!(
            "(id: {}, anchor: (start: {s}, end: {e}, exact: {exact}, prefix: {prefix}, \
             suffix: {}), status: {status}, status_chosen: {}, claimant: {claimant}, \
             stances: {{{stances}}}, note: {}, evidence: [{evidence}], author: \"fuzz\", \
             {conflict}),\n",
            ron_str(&id),
            ron_str(&suffix),
            rng.chance(2),
            ron_str(&text(end, end + rng.below(50))),
        ));
    }
    let carried = match rng.below(4) {
        0 => {
            // The article, edited: a passage cut out and another put in.
            let a = rng.below(n + 1);
            let b = (a + rng.below(400)).min(n);
            let mut edited = text(0, a) + &text(b, n);
            let c = rng.below(edited.chars().count() + 1);
            let at: usize = edited.chars().take(c).map(char::len_utf8).sum();
            let from = rng.below(n + 1);
            edited.insert_str(at, &text(from, from + 200));
            if rng.chance(3) {
                edited = edited.replace('\n', "\r\n");
            }
            format!("text: Some({}),", ron_str(&edited))
        }
        1 => format!("text: Some({}),", ron_str(article)),
        _ => String::new(),
    };
    let source = if !wild {
        "Some(\"../assets/articles/peace-talks.txt\")"
    } else {
        *rng.pick(&[
            "Some(\"../assets/articles/peace-talks.txt\")",
            "None",
            "Some(\"/etc/passwd\")",
            "Some(\"../../../etc/passwd\")",
            "Some(\"fuzz.ron\")",
            "Some(\".\")",
        ])
    };
    let mut party_list = String::new();
    for (k, p) in parties.iter().enumerate() {
        // Marks a merge leaves: their version (sometimes a bad one), or deleted.
        let conflict = match rng.below(12) {
            0 => "conflict: Some(Deleted), ".to_owned(),
            1 => {
                let name = if hostile(rng, 3) { "  " } else { "Q" };
                let color = if hostile(rng, 3) { "#12345" } else { "#123456" };
                format!("conflict: Some(Theirs(name: \"{name}\", color: \"{color}\")), ")
            }
            _ => String::new(),
        };
        conflicts |= !conflict.is_empty();
        party_list.push_str(&format!(
            "(id: {}, name: \"P{k}\", color: \"#00112{k}\", {conflict}),",
            ron_str(p)
        ));
    }
    format!(
        "(format: \"factmark\", version: {}, article: (title: \"t\", source: {source}, \
         sha256: \"4c0079181c8f815cc58e7851936a1b5aeef8a8ee92fe131808ecbcfc5cd05c6b\", \
         chars: {n}, {carried}), contributors: [\"fuzz\"], parties: [{party_list}], \
         claims: [\n{claims}])\n",
        if conflicts { 2 } else { 1 }
    )
    .into_bytes()
}

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn seeds() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    let dir = repo_file("tests/fixtures/hostile");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    paths.sort();
    for path in paths {
        seeds.push(fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    }
    let example = repo_file("saves/peace-talks.ron");
    seeds.push(fs::read(&example).unwrap_or_else(|e| panic!("{e}")));
    let loaded = format::load_annotations(&example, None).unwrap_or_else(|e| panic!("{e}"));
    let embedded = format::to_ron_with(&loaded.set, None, true).unwrap_or_else(|e| panic!("{e}"));
    seeds.push(embedded.into_bytes());
    seeds
}

/// What an input led to, for counting distinct outcomes: the message with
/// numbers and quoted parts (`"…"`, `` `…` ``, `'…'`) blanked out.
fn shape(message: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut last_digit = false;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => {}
            None if matches!(c, '"' | '`' | '\'') => {
                quote = Some(c);
                out.push(c);
            }
            None if c.is_ascii_digit() => {
                if !last_digit {
                    out.push('#');
                }
            }
            None => out.push(c),
        }
        last_digit = c.is_ascii_digit();
    }
    out
}

/// A check that failed on an input (a panic is reported the same way).
type Failure = String;

fn check_message(err: &format::FormatError) -> Result<String, Failure> {
    let message = err.to_string();
    if message.trim().is_empty() {
        return Err(format!("empty error message ({err:?})"));
    }
    if message.chars().any(char::is_control) {
        return Err(format!("control characters in the message {message:?}"));
    }
    if message.len() > 2000 {
        return Err(format!("a {} byte message", message.len()));
    }
    for &junk in messages::INTERNAL_WORDS.iter().chain(&["Os {"]) {
        if message.contains(junk) {
            return Err(format!("{junk:?} in the message {message}"));
        }
    }
    Ok(shape(&message))
}

fn check_set(what: &str, set: &AnnotationSet) -> Result<(), Failure> {
    set.check_invariants()
        .map_err(|e| format!("{what}: invariants: {e}"))?;
    let chars = set.article.char_count();
    for claim in set.claims() {
        if let Some(span) = claim.span()
            && (span.start > span.end || span.end > chars)
        {
            return Err(format!(
                "{what}: claim {} shown at {span:?}, outside the article ({chars} chars)",
                claim.id
            ));
        }
        for item in &claim.evidence {
            if let Some(link) = item.web_link() {
                let lower = link.to_ascii_lowercase();
                if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                    return Err(format!("{what}: the link {link:?} would open"));
                }
            }
        }
    }
    // What was opened can be saved, and what was saved opens again.
    let text = format::to_ron(set, set.article_source.as_deref())
        .map_err(|e| format!("{what}: saving failed: {e}"))?;
    let again = format::from_ron(&text).map_err(|e| format!("{what}: reading back: {e}"))?;
    if again.claims.len() != set.claims().len() {
        return Err(format!("{what}: claims lost in a round trip"));
    }
    Ok(())
}

/// Runs one input through the parser and everything that follows it.
fn exercise(input: &[u8], article: &Article, on_disk: Option<&Path>) -> Result<String, Failure> {
    let text = String::from_utf8_lossy(input);
    let outcome = match format::from_ron(&text) {
        Err(err) => format!("error: {}", check_message(&err)?),
        Ok(parsed) => {
            let (set, report) = parsed.clone().bind(article.clone());
            check_set("bound to the article", &set)?;
            let (missing, _) = parsed.clone().bind_missing();
            check_set("over a stand-in", &missing)?;
            if let Some(carried) = parsed.embedded_article() {
                let (set, _) = parsed.clone().bind(carried);
                check_set("bound to its carried article", &set)?;
            }
            let written = parsed.to_ron().map_err(|e| format!("writing back: {e}"))?;
            format::from_ron(&written).map_err(|e| format!("reading back: {e}"))?;
            format!(
                "ok: {} claims {} exact {} moved {} fuzzy {} unplaced",
                set.claims().len().min(3),
                report.exact.min(3),
                report.moved.min(3),
                report.fuzzy.min(3),
                report.unplaced.min(3)
            )
        }
    };
    if let Some(path) = on_disk {
        fs::write(path, input).map_err(|e| format!("test setup: {e}"))?;
        match format::load_annotations(path, None) {
            Ok(loaded) => {
                check_set("opened from disk", &loaded.set)?;
                if let ArticleOrigin::File(read) = &loaded.article {
                    // Only files near the annotation file are read unasked.
                    let root = path
                        .parent()
                        .and_then(Path::parent)
                        .and_then(|p| fs::canonicalize(p).ok());
                    let near = match (root, fs::canonicalize(read)) {
                        (Some(root), Ok(read)) => read.starts_with(root),
                        _ => false,
                    };
                    if !near {
                        return Err(format!("read an article from far away: {read:?}"));
                    }
                }
            }
            Err(err) => {
                check_message(&err)?;
            }
        }
    }
    Ok(outcome)
}

static PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs `exercise` catching panics, timing it and measuring its heap peak.
fn run_one(input: &[u8], article: &Article, on_disk: Option<&Path>) -> Result<String, Failure> {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let started = Instant::now();
    let result = panic::catch_unwind(AssertUnwindSafe(|| exercise(input, article, on_disk)));
    let took = started.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    let result = match result {
        Ok(result) => result,
        Err(_) => {
            let message = PANIC
                .lock()
                .map(|mut m| m.take())
                .unwrap_or_default()
                .unwrap_or_else(|| "a panic".to_owned());
            Err(format!("PANIC {message}"))
        }
    };
    if took > MAX_EXEC_TIME {
        return Err(format!("took {took:?}"));
    }
    if peak > MAX_EXEC_BYTES {
        return Err(format!("allocated {} MB", peak >> 20));
    }
    result
}

/// The kind of a failure, to tell whether a smaller input fails the same way.
fn failure_kind(failure: &str) -> String {
    shape(failure.lines().next().unwrap_or_default())
        .chars()
        .take(80)
        .collect()
}

/// Shrinks a failing input: removes ever smaller chunks while it still fails
/// the same way. Bounded in time.
fn minimize(input: &[u8], failure: &str, article: &Article) -> Vec<u8> {
    let kind = failure_kind(failure);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut best = input.to_vec();
    let mut chunk = best.len().div_ceil(2).max(1);
    while chunk >= 1 && Instant::now() < deadline {
        let mut at = 0;
        let mut shrank = false;
        while at < best.len() && Instant::now() < deadline {
            let mut candidate = best[..at].to_vec();
            candidate.extend_from_slice(&best[(at + chunk).min(best.len())..]);
            match run_one(&candidate, article, None) {
                Err(f) if failure_kind(&f) == kind => {
                    best = candidate;
                    shrank = true;
                }
                _ => at += chunk,
            }
        }
        if !shrank {
            if chunk == 1 {
                break;
            }
            chunk /= 2;
        }
    }
    best
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| {
            let v = v.trim();
            match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16).ok(),
                None => v.parse().ok(),
            }
        })
        .unwrap_or(default)
}

#[test]
fn the_loader_survives_mutated_files() {
    let secs = env_number("FACTMARK_FUZZ_SECS", 20);
    let seed = env_number("FACTMARK_FUZZ_SEED", 0xfac7_3a2c);
    let article = format::load_article(&repo_file("assets/articles/peace-talks.txt"))
        .unwrap_or_else(|e| panic!("{e}"));
    // The on-disk layout a file normally has: `saves/` beside `assets/`.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fs::create_dir_all(dir.path().join("saves")).unwrap_or_else(|e| panic!("{e}"));
    fs::create_dir_all(dir.path().join("assets/articles")).unwrap_or_else(|e| panic!("{e}"));
    fs::copy(
        repo_file("assets/articles/peace-talks.txt"),
        dir.path().join("assets/articles/peace-talks.txt"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let on_disk = dir.path().join("saves/fuzz.ron");

    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if let Ok(mut slot) = PANIC.lock() {
            *slot = Some(format!("{payload}{location}"));
        }
    }));

    let mut rng = Rng(seed);
    let mut pool = seeds();
    let seed_count = pool.len();
    let mut outcomes: HashSet<String> = HashSet::new();
    let mut failures: Vec<(Vec<u8>, Failure)> = Vec::new();
    let mut failure_kinds: HashSet<String> = HashSet::new();
    let (mut executions, mut errors, mut parsed) = (0u64, HashSet::new(), 0u64);
    let mut slowest = (Duration::ZERO, 0usize);
    let started = Instant::now();
    let budget = Duration::from_secs(secs);

    // Every seed as it is, then mutations until the time is up.
    let mut seed_index = 0;
    while seed_index < seed_count || started.elapsed() < budget {
        let input = if seed_index < seed_count {
            seed_index += 1;
            pool[seed_index - 1].clone()
        } else {
            // Half from the seeds (mostly valid files, so mutations reach the
            // checks after parsing), half from what the run found.
            let from = if rng.chance(2) {
                seed_count
            } else {
                pool.len()
            };
            let mut input = if rng.chance(3) {
                generated(&mut rng, article.text())
            } else {
                pool[rng.below(from)].clone()
            };
            let mutations = if rng.chance(3) {
                1 + rng.below(6)
            } else {
                rng.below(2)
            };
            for _ in 0..mutations {
                mutate(&mut rng, &mut input, &pool);
            }
            input
        };
        let disk = rng.chance(40).then_some(on_disk.as_path());
        let began = Instant::now();
        let result = run_one(&input, &article, disk);
        let took = began.elapsed();
        if took > slowest.0 {
            slowest = (took, input.len());
        }
        executions += 1;
        match result {
            Ok(outcome) => {
                if outcome.starts_with("error: ") {
                    errors.insert(outcome.clone());
                } else {
                    parsed += 1;
                }
                if outcomes.insert(outcome) && input.len() <= 256 * 1024 {
                    if pool.len() >= MAX_POOL {
                        let evict = seed_count + rng.below(pool.len() - seed_count);
                        pool.swap_remove(evict);
                    }
                    pool.push(input);
                }
            }
            Err(failure) => {
                if failure_kinds.insert(failure_kind(&failure)) && failures.len() < MAX_REPORTED {
                    failures.push((input, failure));
                }
            }
        }
    }
    let panics = failures
        .iter()
        .filter(|(_, f)| f.starts_with("PANIC"))
        .count();
    // Straight to stderr, past the test harness's capture, so CI logs show it.
    let _ = writeln!(
        std::io::stderr(),
        "fuzz: {executions} executions, {} distinct errors, {panics} panics, {} other failures \
         ({parsed} inputs opened, {} outcomes, pool {}, slowest {:?} on {} bytes, seed {seed:#x}, \
         {secs} s)",
        errors.len(),
        failures.len() - panics,
        outcomes.len(),
        pool.len(),
        slowest.0,
        slowest.1,
    );
    if failures.is_empty() {
        panic::set_hook(previous_hook);
        return;
    }
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let _ = fs::create_dir_all(&out_dir);
    let mut report = String::new();
    for (i, (input, failure)) in failures.iter().enumerate() {
        let small = minimize(input, failure, &article);
        let path = out_dir.join(format!("failure-{i}.ron"));
        let _ = fs::write(&path, &small);
        let shown: String = format!("{:?}", String::from_utf8_lossy(&small))
            .chars()
            .take(3000)
            .collect();
        report.push_str(&format!(
            "\n{failure}\n  minimal input ({} bytes, saved to {}):\n  {shown}\n",
            small.len(),
            path.display()
        ));
    }
    panic::set_hook(previous_hook);
    panic!(
        "{} failing inputs (replay with FACTMARK_FUZZ_SEED={seed:#x}):{report}",
        failures.len()
    );
}

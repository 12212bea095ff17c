//! How much an annotation file or an article may hold.
//!
//! Files come from other people (mail, shared folders, git), so factmark
//! treats every file as possibly hostile: whatever it holds, opening it must
//! end in a clear message or a usable set of claims, never in a crash, a hang
//! or memory exhausted. The limits below are far above anything real work
//! produces (the book-scale benchmark, 10,000 claims on a 3.7 MB article, uses
//! a few percent of each) and low enough that the worst file within them
//! parses in seconds and a few hundred MB.
//!
//! The same limits apply when saving (`check_file` runs on the way out too),
//! so factmark never writes a file it would refuse to open: a save over a limit
//! fails with the same message and the work stays open.
//!
//! How each is enforced:
//! - the file size ([`MAX_FILE_BYTES`]) is checked before a file is read
//!   (`io.rs`) and on the text about to be written ([`check_written_size`]),
//!   so a save never writes what the next open would refuse;
//! - nesting is limited inside the RON parser ([`MAX_NESTING`]), so deep
//!   brackets give an error, not a stack overflow;
//! - list lengths are counted while parsing (see `schema.rs`), so a file of
//!   millions of tiny items (`evidence: [(), (), …]`) is refused before it
//!   turns into gigabytes of records;
//! - string lengths, totals and the article's line count are checked after
//!   parsing (strings never take more memory than the file itself).

use super::FormatError;
use super::schema::{
    DetailsRecord, FileV1, PartyConflictRecord, PartyKindRecord, RatingConflictRecord,
};
use crate::model::Detail;
use std::cell::RefCell;

/// Largest article, in bytes of UTF-8, whether read from its own file or
/// carried inside an annotation file.
pub const MAX_ARTICLE_BYTES: usize = 64 * 1024 * 1024;

/// Largest annotation file factmark reads, and so the largest it writes, in
/// bytes: room for the largest article carried inside plus [`MAX_CLAIMS`]
/// realistic claims (about 1.1 KB each as written: a quote and its context,
/// a note, an evidence item, stances, times). 220 MB of claims parse in
/// about 4 s and 600 MB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Most lines (paragraphs) an article may have. The article keeps one offset
/// per line and the article view one block per paragraph (about 50 bytes
/// together), so 2,000,000 lines cost about 100 MB; a 64 MB file of nothing
/// but line breaks would otherwise cost several GB. Real text averages well
/// over 30 chars a line: a 64 MB book has under 2,000,000 lines.
pub const MAX_ARTICLE_LINES: usize = 2_000_000;

/// Deepest bracket nesting the parser follows. A factmark file nests six deep
/// at most (file, claims, claim, evidence, item, `Some(…)`); deeper input is
/// refused before the recursive parser can run out of stack (100,000 `[`
/// would).
pub const MAX_NESTING: usize = 32;

/// Most claims in a file: 15 times the book-scale benchmark (10,000 claims),
/// and as many realistic claims as fit in [`MAX_FILE_BYTES`] beside the
/// largest article (a test in `tests/format_files.rs` measures them).
pub const MAX_CLAIMS: usize = 150_000;

/// Most parties in a file. Real cases have a handful; each claim may record a
/// stance per party, so this also bounds the stances of one claim.
pub const MAX_PARTIES: usize = 1_000;

/// Most contributor names in a file. Everyone who touched the file is listed
/// once; 10,000 people is a very large newsroom.
pub const MAX_CONTRIBUTORS: usize = 10_000;

/// Most ratings on a scale. Publishers use a handful; a few hundred would be
/// a list no one could choose from.
pub const MAX_RATINGS: usize = 200;

/// Most evidence items on one claim.
pub const MAX_EVIDENCE_PER_CLAIM: usize = 1_000;

/// Most evidence items in a whole file. An empty item `()` takes 3 bytes of
/// file and 72 bytes of memory, so without a total a 64 MB file could become
/// 1.5 GB of records; with it, at most about 15 MB.
pub const MAX_EVIDENCE_TOTAL: usize = 200_000;

/// Most stances on one claim: one per party.
pub const MAX_STANCES_PER_CLAIM: usize = MAX_PARTIES;

/// Most stances in a whole file: over six per claim at the claim limit (the
/// book-scale benchmark has 1.5 per claim).
pub const MAX_STANCES_TOTAL: usize = 1_000_000;

/// Longest quote (the claimed text itself), in bytes: about 170,000 words, a
/// whole book. A claim is a sentence or a passage.
pub const MAX_QUOTE_BYTES: usize = 1024 * 1024;

/// Most quote text in a whole file, in bytes (16 MB). When an article has
/// changed, the quotes not found in place are searched for together, and the
/// search structure takes about 30 bytes per quote byte: 16 MB of quotes stay
/// under 1 GB. The book-scale benchmark holds about 1 MB of quotes.
pub const MAX_QUOTES_TOTAL_BYTES: usize = 16 * 1024 * 1024;

/// Longest prefix or suffix (the context stored around a quote), in bytes.
/// factmark stores 32 chars (at most 128 bytes); context is compared by edit
/// distance, whose cost grows with the square of its length, so megabytes of
/// "context" could stall re-anchoring for minutes.
pub const MAX_CONTEXT_BYTES: usize = 1024;

/// Longest note or evidence quote, in bytes: 256 KB, room for a whole news
/// article (typically 5–50 KB) pasted into it, while the editor stays responsive.
pub const MAX_NOTE_BYTES: usize = 256 * 1024;

/// Longest evidence link, in bytes. Browsers and servers commonly stop at 2 KB
/// to 8 KB.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// Longest id, party name, colour, author, contributor or fingerprint, in
/// bytes. These are words or short phrases; factmark's own ids are under 40.
pub const MAX_NAME_BYTES: usize = 1024;

/// Longest article title, in bytes (a title may come from a Markdown heading).
pub const MAX_TITLE_BYTES: usize = 16 * 1024;

/// Longest recorded article path, in bytes (`PATH_MAX` on Linux).
pub const MAX_PATH_BYTES: usize = 4096;

/// Checks an article's text against [`MAX_ARTICLE_BYTES`] and
/// [`MAX_ARTICLE_LINES`] before it is indexed. Lines are counted the way
/// [`crate::model::Article`] counts them after normalisation (CRLF and lone
/// CR count as one line break each). Stops counting at the limit.
pub fn check_article_text(text: &str) -> Result<(), FormatError> {
    check_article(text, "the article")
}

fn check_article(text: &str, what: &str) -> Result<(), FormatError> {
    if text.len() > MAX_ARTICLE_BYTES {
        return Err(over(format!(
            "{what} is {}; factmark opens articles of at most {}",
            size(text.len()),
            size(MAX_ARTICLE_BYTES)
        )));
    }
    if line_breaks(text, MAX_ARTICLE_LINES) >= MAX_ARTICLE_LINES {
        return Err(over(format!(
            "{what} has more than {} lines; factmark opens articles of at most {} lines \
             (paragraphs)",
            count(MAX_ARTICLE_LINES),
            count(MAX_ARTICLE_LINES)
        )));
    }
    Ok(())
}

/// Line breaks in `text` after normalisation (CRLF, CR and LF each count
/// once), counting no further than `stop`.
fn line_breaks(text: &str, stop: usize) -> usize {
    let mut breaks = 0;
    let mut after_cr = false;
    for &b in text.as_bytes() {
        match b {
            b'\r' => {
                breaks += 1;
                after_cr = true;
            }
            b'\n' => {
                if !after_cr {
                    breaks += 1;
                }
                after_cr = false;
            }
            _ => after_cr = false,
        }
        if breaks >= stop {
            break;
        }
    }
    breaks
}

/// Checks everything in a parsed (or about to be written) file against the
/// limits: list lengths, string lengths, totals, the carried article and the
/// size of the stand-in text shown when the article is missing.
pub(super) fn check_file(file: &FileV1) -> Result<(), FormatError> {
    let article = &file.article;
    text_len(&article.title, MAX_TITLE_BYTES, || {
        "the article title".to_owned()
    })?;
    if let Some(source) = &article.source {
        text_len(source, MAX_PATH_BYTES, || {
            "the recorded article path".to_owned()
        })?;
    }
    text_len(&article.sha256, MAX_NAME_BYTES, || {
        "the article fingerprint".to_owned()
    })?;
    if let Some(text) = &article.text {
        check_article(text, "the article carried in this file")?;
    }
    if let Some(details) = &article.details {
        check_details(details)?;
    }
    list_len("contributors", file.contributors.len(), MAX_CONTRIBUTORS)?;
    for name in &file.contributors {
        text_len(name, MAX_NAME_BYTES, || "a contributor's name".to_owned())?;
    }
    list_len("parties", file.parties.len(), MAX_PARTIES)?;
    for party in &file.parties {
        text_len(&party.id, MAX_NAME_BYTES, || "a party id".to_owned())?;
        let what = |field: &str| format!("party {}: its {field}", quoted(&party.id));
        text_len(&party.name, MAX_NAME_BYTES, || what("name"))?;
        text_len(&party.color, MAX_NAME_BYTES, || what("colour"))?;
        if let Some(PartyKindRecord::Person { job_title }) = &party.kind {
            text_len(job_title, MAX_NAME_BYTES, || what("job title"))?;
        }
        if let Some(PartyConflictRecord::Theirs { name, color, kind }) = &party.conflict {
            text_len(name, MAX_NAME_BYTES, || what("other version's name"))?;
            text_len(color, MAX_NAME_BYTES, || what("other version's colour"))?;
            if let Some(PartyKindRecord::Person { job_title }) = kind {
                text_len(job_title, MAX_NAME_BYTES, || {
                    what("other version's job title")
                })?;
            }
        }
    }
    let ratings = file.ratings.as_deref().unwrap_or_default();
    list_len("ratings", ratings.len(), MAX_RATINGS)?;
    for rating in ratings {
        text_len(&rating.id, MAX_NAME_BYTES, || "a rating id".to_owned())?;
        let what = |field: &str| format!("rating {}: its {field}", quoted(&rating.id));
        text_len(&rating.label, MAX_NAME_BYTES, || what("label"))?;
        text_len(&rating.color, MAX_NAME_BYTES, || what("colour"))?;
        if let Some(RatingConflictRecord::Theirs { label, color, .. }) = &rating.conflict {
            text_len(label, MAX_NAME_BYTES, || what("other version's label"))?;
            text_len(color, MAX_NAME_BYTES, || what("other version's colour"))?;
        }
    }
    let versions = file
        .publisher
        .iter()
        .flat_map(|p| std::iter::once(p).chain(p.theirs.as_deref()));
    for publisher in versions {
        text_len(&publisher.name, MAX_NAME_BYTES, || {
            "the publisher's name".to_owned()
        })?;
        text_len(&publisher.url, MAX_URL_BYTES, || {
            "the publisher's address".to_owned()
        })?;
        text_len(&publisher.claim_url, MAX_URL_BYTES, || {
            "the publisher's review address".to_owned()
        })?;
    }
    list_len("claims", file.claims.len(), MAX_CLAIMS)?;
    let (mut quotes, mut evidence, mut stances) = (0usize, 0usize, 0usize);
    // Lines of the stand-in text shown when the article is missing: each
    // claim's quote in its context, two line breaks apart.
    let mut stand_in_lines = 1usize;
    for claim in &file.claims {
        text_len(&claim.id, MAX_NAME_BYTES, || "a claim id".to_owned())?;
        let what = |field: &str| format!("claim {}: its {field}", quoted(&claim.id));
        let anchor = &claim.anchor;
        text_len(&anchor.exact, MAX_QUOTE_BYTES, || what("quote"))?;
        text_len(&anchor.prefix, MAX_CONTEXT_BYTES, || {
            what("prefix (context)")
        })?;
        text_len(&anchor.suffix, MAX_CONTEXT_BYTES, || {
            what("suffix (context)")
        })?;
        text_len(&claim.note, MAX_NOTE_BYTES, || what("note"))?;
        text_len(&claim.author, MAX_NAME_BYTES, || what("author"))?;
        if let Some(id) = &claim.claimant {
            text_len(id, MAX_NAME_BYTES, || what("claimant"))?;
        }
        if let Some(id) = &claim.conflict {
            text_len(id, MAX_NAME_BYTES, || what("conflict"))?;
        }
        if let Some(verdict) = &claim.verdict {
            text_len(&verdict.rating, MAX_NAME_BYTES, || what("verdict"))?;
            text_len(&verdict.explanation, MAX_NOTE_BYTES, || {
                what("rating explanation")
            })?;
        }
        if claim.evidence.len() > MAX_EVIDENCE_PER_CLAIM {
            return Err(over(format!(
                "claim {} has {} evidence items; factmark allows at most {} per claim",
                quoted(&claim.id),
                count(claim.evidence.len()),
                count(MAX_EVIDENCE_PER_CLAIM)
            )));
        }
        for item in &claim.evidence {
            text_len(&item.url, MAX_URL_BYTES, || what("evidence link"))?;
            text_len(&item.quote, MAX_NOTE_BYTES, || what("evidence quote"))?;
            if let Some(id) = &item.supports {
                text_len(id, MAX_NAME_BYTES, || what("evidence party"))?;
            }
        }
        if claim.stances.len() > MAX_STANCES_PER_CLAIM {
            return Err(over(format!(
                "claim {} has {} stances; factmark allows at most {} per claim",
                quoted(&claim.id),
                count(claim.stances.len()),
                count(MAX_STANCES_PER_CLAIM)
            )));
        }
        for id in claim.stances.keys() {
            text_len(id, MAX_NAME_BYTES, || what("stance party"))?;
        }
        quotes += anchor.exact.len();
        evidence += claim.evidence.len();
        stances += claim.stances.len();
        stand_in_lines = stand_in_lines
            .saturating_add(2)
            .saturating_add(line_breaks(&anchor.prefix, usize::MAX))
            .saturating_add(line_breaks(&anchor.exact, usize::MAX))
            .saturating_add(line_breaks(&anchor.suffix, usize::MAX));
    }
    if quotes > MAX_QUOTES_TOTAL_BYTES {
        return Err(over(format!(
            "the claims' quotes come to {} in all; factmark allows at most {} of quotes per file",
            size(quotes),
            size(MAX_QUOTES_TOTAL_BYTES)
        )));
    }
    list_len("evidence items", evidence, MAX_EVIDENCE_TOTAL)?;
    list_len("stances", stances, MAX_STANCES_TOTAL)?;
    if stand_in_lines > MAX_ARTICLE_LINES {
        return Err(over(format!(
            "the claims' quotes and context hold {} line breaks in all; factmark allows at \
             most {} (the article line limit, since they are shown as text when the article \
             is missing)",
            count(stand_in_lines),
            count(MAX_ARTICLE_LINES)
        )));
    }
    Ok(())
}

/// Checks the size of a file about to be written against [`MAX_FILE_BYTES`]:
/// everything in it may be within its own limit while the whole is not (an
/// article carried inside grows when its line breaks and quotes are escaped).
pub fn check_written_size(bytes: usize) -> Result<(), FormatError> {
    let max = WRITE_LIMIT.with(std::cell::Cell::get);
    if bytes as u64 > max {
        return Err(over(format!(
            "the file would be {}; factmark opens files of at most {}, so it was not \
             written. Save without the article text, or split the claims over several files",
            size(bytes),
            size(max as usize)
        )));
    }
    Ok(())
}

thread_local! {
    /// [`MAX_FILE_BYTES`], lowered only by this crate's unit tests so that
    /// writing past the limit can be tested without a 256 MB file.
    static WRITE_LIMIT: std::cell::Cell<u64> = const { std::cell::Cell::new(MAX_FILE_BYTES) };
}

/// Runs `f` with a lower write limit (unit tests only).
#[cfg(test)]
pub(super) fn with_write_limit<T>(max: u64, f: impl FnOnce() -> T) -> T {
    WRITE_LIMIT.with(|limit| limit.set(max));
    let result = f();
    WRITE_LIMIT.with(|limit| limit.set(MAX_FILE_BYTES));
    result
}

fn over(message: String) -> FormatError {
    FormatError::OverLimit(message)
}

fn check_details(details: &DetailsRecord) -> Result<(), FormatError> {
    let values = [
        &details.url,
        &details.byline,
        &details.site_name,
        &details.published,
        &details.modified,
        &details.lang,
        &details.dir,
    ];
    for value in values
        .into_iter()
        .flatten()
        .chain(details.conflicts.values())
    {
        text_len(value, MAX_URL_BYTES, || "an article detail".to_owned())?;
    }
    if let Some(page) = &details.page {
        if let Some(file) = &page.file {
            text_len(file, MAX_PATH_BYTES, || "the recorded page path".to_owned())?;
        }
        text_len(&page.sha256, MAX_NAME_BYTES, || {
            "the page fingerprint".to_owned()
        })?;
        if let Some(url) = &page.fetched_from {
            text_len(url, MAX_URL_BYTES, || "the page's address".to_owned())?;
        }
    }
    Ok(())
}

fn list_len(what: &str, len: usize, max: usize) -> Result<(), FormatError> {
    if len > max {
        return Err(over(format!(
            "the file holds {} {what}; factmark opens files with at most {} {what}",
            count(len),
            count(max)
        )));
    }
    Ok(())
}

/// Checks a string's length; `what` names it (only built for the message).
fn text_len(text: &str, max: usize, what: impl FnOnce() -> String) -> Result<(), FormatError> {
    if text.len() > max {
        return Err(over(format!(
            "{} is {} long; factmark allows at most {}",
            what(),
            size(text.len()),
            size(max)
        )));
    }
    Ok(())
}

/// `n` with thousands separators: `200,000`.
pub(super) fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A byte size for people: `512 bytes`, `256 KB`, `1.5 MB`.
pub(super) fn size(bytes: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * 1024;
    if bytes >= MB {
        let tenths = bytes * 10 / MB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    } else if bytes >= KB {
        format!("{} KB", bytes / KB)
    } else if bytes == 1 {
        "1 byte".to_owned()
    } else {
        format!("{bytes} bytes")
    }
}

/// A value from a file, quoted for a message: control characters escaped (so
/// a file cannot send escape sequences to a terminal) and long values cut.
pub(super) fn quoted(value: &str) -> String {
    const SHOWN: usize = 60;
    let mut out = String::from("\"");
    for (i, c) in value.chars().enumerate() {
        if i == SHOWN {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lists that are counted while parsing, so their memory is bounded before
/// any of the file has been checked.
#[derive(Clone, Copy, Debug)]
pub(super) enum Counted {
    Claims,
    Parties,
    Contributors,
    Evidence,
    Stances,
    DetailConflicts,
    Ratings,
}

impl Counted {
    fn per_list(self) -> (usize, &'static str, &'static str) {
        match self {
            Counted::Claims => (MAX_CLAIMS, "claims", "per file"),
            Counted::Parties => (MAX_PARTIES, "parties", "per file"),
            Counted::Contributors => (MAX_CONTRIBUTORS, "contributors", "per file"),
            Counted::Evidence => (MAX_EVIDENCE_PER_CLAIM, "evidence items", "per claim"),
            Counted::Stances => (MAX_STANCES_PER_CLAIM, "stances", "per claim"),
            Counted::DetailConflicts => (Detail::ALL.len(), "detail conflicts", "per file"),
            Counted::Ratings => (MAX_RATINGS, "ratings", "per scale"),
        }
    }
}

/// What is left of the whole-file totals while a file is being parsed.
struct Budget {
    evidence: usize,
    stances: usize,
    /// The first limit exceeded, reported as such instead of as a syntax error.
    exceeded: Option<String>,
}

thread_local! {
    /// Set by [`parse_counted`] for the duration of one parse (parsing runs on
    /// the caller's thread). Outside it only the per-list limits apply.
    static BUDGET: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

/// Runs a parse with fresh whole-file totals. Returns its result and, when a
/// counted limit stopped it, the message saying which.
pub(super) fn parse_counted<T>(parse: impl FnOnce() -> T) -> (T, Option<String>) {
    BUDGET.with(|b| {
        *b.borrow_mut() = Some(Budget {
            evidence: MAX_EVIDENCE_TOTAL,
            stances: MAX_STANCES_TOTAL,
            exceeded: None,
        })
    });
    let result = parse();
    let exceeded = BUDGET.with(|b| b.borrow_mut().take().and_then(|b| b.exceeded));
    (result, exceeded)
}

/// Counts one more item of a list that already holds `len`; the error message
/// says which limit it would exceed.
pub(super) fn count_item(kind: Counted, len: usize) -> Result<(), String> {
    let (max, what, scope) = kind.per_list();
    let mut message = (len >= max).then(|| {
        let holder = if scope == "per claim" {
            "a claim has"
        } else {
            "the file holds"
        };
        format!(
            "{holder} more than {} {what}; factmark allows at most {} {scope}",
            count(max),
            count(max)
        )
    });
    BUDGET.with(|b| {
        let mut budget = b.borrow_mut();
        let Some(budget) = budget.as_mut() else {
            return;
        };
        let left = match kind {
            Counted::Evidence => Some((&mut budget.evidence, MAX_EVIDENCE_TOTAL)),
            Counted::Stances => Some((&mut budget.stances, MAX_STANCES_TOTAL)),
            _ => None,
        };
        if message.is_none()
            && let Some((left, total)) = left
        {
            match left.checked_sub(1) {
                Some(rest) => *left = rest,
                None => {
                    message = Some(format!(
                        "the file holds more than {} {what}; factmark allows at most {} per file",
                        count(total),
                        count(total)
                    ))
                }
            }
        }
        if budget.exceeded.is_none() {
            budget.exceeded.clone_from(&message);
        }
    });
    message.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_over_the_size_limit_are_not_written() {
        assert!(check_written_size(MAX_FILE_BYTES as usize).is_ok());
        let err = check_written_size(MAX_FILE_BYTES as usize + 1)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("256 MB") && err.contains("not written"),
            "{err}"
        );
    }

    #[test]
    fn line_breaks_count_as_normalisation_does() {
        for text in ["", "a", "a\nb", "a\r\nb\rc\n", "\r\r\n\n", "\n\r", "x\r"] {
            let article = crate::model::Article::new("t", text);
            assert_eq!(
                line_breaks(text, usize::MAX) + 1,
                article.line_count(),
                "{text:?}"
            );
        }
        assert_eq!(line_breaks(&"\n".repeat(100), 10), 10);
    }

    #[test]
    fn articles_with_too_many_lines_are_refused() {
        let ok = "\n".repeat(MAX_ARTICLE_LINES - 1);
        assert!(check_article_text(&ok).is_ok());
        let err = check_article_text(&format!("{ok}\r"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("2,000,000 lines"), "{err}");
    }

    #[test]
    fn numbers_and_sizes_read_well() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(2_000_000), "2,000,000");
        assert_eq!(size(1), "1 byte");
        assert_eq!(size(1023), "1023 bytes");
        assert_eq!(size(256 * 1024), "256 KB");
        assert_eq!(size(1024 * 1024), "1 MB");
        assert_eq!(size(3 * 1024 * 1024 / 2), "1.5 MB");
    }

    #[test]
    fn quoted_values_escape_control_characters_and_stay_short() {
        assert_eq!(quoted("russia"), "\"russia\"");
        assert_eq!(quoted("a\u{1b}[31mb\"\n"), "\"a\\u{1b}[31mb\\\"\\n\"");
        assert_eq!(quoted(&"x".repeat(100)).chars().count(), 60 + 3);
    }

    #[test]
    fn counted_items_stop_at_the_limit() {
        let (result, exceeded) = parse_counted(|| {
            (0..=MAX_EVIDENCE_TOTAL)
                .map(|i| count_item(Counted::Evidence, i % 10))
                .find(Result::is_err)
        });
        let message = result.and_then(Result::err).unwrap_or_default();
        assert!(message.contains("200,000 evidence items"), "{message}");
        assert_eq!(exceeded.as_deref(), Some(message.as_str()));
        // Outside a parse only the per-list limit applies, and nothing is kept.
        assert!(count_item(Counted::Evidence, 5).is_ok());
        assert!(count_item(Counted::Claims, MAX_CLAIMS).is_err());
        let (_, exceeded) = parse_counted(|| ());
        assert_eq!(exceeded, None);
    }
}

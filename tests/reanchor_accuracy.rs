//! Re-anchoring accuracy on real articles (16 FNC-1 bodies in
//! `tests/fixtures/fnc1-sample.txt`) under scripted edits with known answers.
//!
//! Each edit is a list of splices on the original text, so where every claim
//! must land is computed, not guessed: untouched claims must be found at their
//! shifted range; claims whose text was deleted must be orphaned; lightly
//! edited claims must be found at their edited range; heavily edited claims may
//! be found there or orphaned. A placement anywhere else is a wrong placement,
//! and the target for those is zero.

#[path = "common/edits.rs"]
mod edits;
#[path = "common/rng.rs"]
mod rng;

use edits::{Expect, Splice, Tally, apply, check, expectation};
use factmark::anchor;
use factmark::model::{Anchor, AnchorState, Article};
use std::ops::Range;

fn articles() -> Vec<String> {
    let text = include_str!("fixtures/fnc1-sample.txt");
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("# "))
        .collect::<Vec<_>>()
        .join("\n");
    body.split("\n=====\n").map(str::to_owned).collect()
}

/// Char ranges of sentences (". " separated), trimmed, 30..220 chars long.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        let end_here = chars[i] == '.' && chars.get(i + 1).is_none_or(|c| c.is_whitespace());
        if end_here || chars[i] == '\n' {
            let mut s = start;
            while s < i && chars[s].is_whitespace() {
                s += 1;
            }
            let e = if end_here { i + 1 } else { i };
            if e > s && (30..=220).contains(&(e - s)) {
                out.push(s..e);
            }
            start = i + 1;
        }
    }
    out
}

/// A word of 4+ letters occurring at least twice, and its second occurrence.
fn repeated_word(text: &str) -> Option<Range<usize>> {
    let chars: Vec<char> = text.chars().collect();
    let mut words: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphabetic() && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            if i - start >= 4 {
                words.push((chars[start..i].iter().collect(), start));
            }
        }
        i += 1;
    }
    for (k, (word, _)) in words.iter().enumerate() {
        if let Some((_, second)) = words[k + 1..].iter().find(|(w, _)| w == word) {
            return Some(*second..second + word.chars().count());
        }
    }
    None
}

/// The scripted edits for one article, by name.
fn scenarios(text: &str, claims: &[Range<usize>]) -> Vec<(&'static str, Vec<Splice>)> {
    let len = text.chars().count();
    let long: Vec<&Range<usize>> = claims.iter().filter(|c| c.len() >= 30).collect();
    let mid = |r: &Range<usize>| r.start + r.len() / 2;
    let mut out = vec![
        (
            "insert a paragraph at the top",
            vec![Splice {
                at: 0,
                delete: 0,
                insert: "UPDATE: This article has been corrected.\n\n".into(),
            }],
        ),
        (
            "append a correction",
            vec![Splice {
                at: len,
                delete: 0,
                insert: "\n\nCorrection: an earlier version misstated a date.".into(),
            }],
        ),
        (
            "collapse a doubled space and add a byline",
            vec![Splice {
                at: 0,
                delete: 0,
                insert: "By Staff Reporter\n".into(),
            }],
        ),
    ];
    if let (Some(a), Some(b)) = (long.first(), long.get(2)) {
        out.push((
            "fix typos inside two claims",
            vec![
                Splice {
                    at: mid(a),
                    delete: 1,
                    insert: "x".into(),
                },
                Splice {
                    at: mid(b) + 1,
                    delete: 0,
                    insert: "e".into(),
                },
            ],
        ));
    }
    if let Some(c) = long.get(1) {
        out.push((
            "delete a claimed sentence",
            vec![Splice {
                at: c.start,
                delete: c.len(),
                insert: String::new(),
            }],
        ));
    }
    if let Some(d) = long.get(3) {
        out.push((
            "rewrite most of a claim",
            vec![Splice {
                at: d.start + 2,
                delete: d.len() - 4,
                insert: "something else entirely was said here".into(),
            }],
        ));
    }
    // Paragraph moves: the first paragraph is duplicated at the end, so short
    // quotes from it occur twice and must be told apart by context.
    let first_para_end = text
        .find("\n")
        .map_or(len.min(200), |b| text[..b].chars().count());
    let first_para: String = text.chars().take(first_para_end).collect();
    out.push((
        "duplicate the first paragraph at the end",
        vec![Splice {
            at: len,
            delete: 0,
            insert: format!("\n\n{first_para}"),
        }],
    ));
    out
}

#[test]
fn reanchoring_real_articles_makes_no_wrong_placements() {
    let mut total = Tally {
        log_wrong: true,
        ..Tally::default()
    };
    let mut scenario_count = 0;
    for (n, text) in articles().iter().enumerate() {
        let article = Article::new("a", text);
        let mut claims: Vec<Range<usize>> =
            sentences(text).into_iter().step_by(2).take(6).collect();
        claims.extend(repeated_word(text));
        let anchors: Vec<Anchor> = claims
            .iter()
            .map(|r| Anchor::capture(&article, r.clone()))
            .collect();
        for (name, splices) in scenarios(text, &claims) {
            scenario_count += 1;
            let edited = Article::new("a", &apply(text, &splices));
            let refs: Vec<&Anchor> = anchors.iter().collect();
            let placements = anchor::locate_all(&edited, &refs);
            assert_eq!(placements.unsearched, 0, "article {n}, {name}: out of work");
            let found = placements.located;
            for (k, (claim, located)) in claims.iter().zip(&found).enumerate() {
                let expect = expectation(claim, &splices);
                check(
                    located,
                    &expect,
                    &mut total,
                    &format!("article {n}, {name}, claim {k}"),
                );
            }
        }
    }
    println!(
        "re-anchoring accuracy: {} claims over {scenario_count} edited articles: {} correct, {} orphaned as expected, \
         {} missed (orphaned though findable), {} wrong, {} wrong fuzzy suggestions; states exact={} moved={} fuzzy={} orphaned={}",
        total.claims,
        total.correct,
        total.orphaned_as_expected,
        total.missed,
        total.wrong,
        total.wrong_suggestions,
        total.states[0],
        total.states[1],
        total.states[2],
        total.states[3]
    );
    assert_eq!(total.wrong, 0, "{total:?}");
    // A suggestion is shown as needing confirmation and saved only when confirmed.
    assert!(
        total.wrong_suggestions * 100 <= total.claims,
        "more than 1% wrong suggestions: {total:?}"
    );
    assert!(total.claims > 500, "{total:?}");
    assert!(
        total.missed * 50 <= total.claims,
        "more than 2% missed: {total:?}"
    );
}

/// A claim on the `nth` occurrence of `quote` in `text`, captured there.
fn claim_on(text: &str, quote: &str, nth: usize) -> Anchor {
    let article = Article::new("a", text);
    let byte = text
        .match_indices(quote)
        .nth(nth)
        .map_or_else(|| panic!("{quote:?} #{nth} not in the text"), |(b, _)| b);
    let start = article.char_of_byte(byte);
    Anchor::capture(&article, start..start + quote.chars().count())
}

/// Where the `nth` `quote` is in `text`, in chars.
fn range_of(text: &str, quote: &str, nth: usize) -> Range<usize> {
    claim_on(text, quote, nth).range()
}

fn locate(text: &str, anchor: &Anchor) -> anchor::Located {
    anchor::locate_all(&Article::new("a", text), &[anchor])
        .located
        .remove(0)
}

/// Filler prose that holds none of the fixtures' quotes.
fn filler(chars: usize) -> String {
    "Weather services issued routine forecasts for coastal districts. "
        .chars()
        .cycle()
        .take(chars)
        .collect()
}

/// Class 1: the stored offsets hold the quote by chance after an edit moved
/// the claim's text: exact needs the context too.
#[test]
fn a_short_quote_at_its_old_offsets_by_chance_is_not_exact() {
    let original = "The minister said it would pass before the summer recess, aides confirmed.";
    let claim = claim_on(original, "it", 0);
    // An inserted lead whose own "it" falls exactly at the old offsets.
    let lead = format!("{}it rained. ", filler(claim.start));
    let edited = format!("{lead}{original}");
    assert_eq!(&edited[claim.start..claim.end], "it", "the trap is set");
    let found = locate(&edited, &claim);
    let want = range_of(&edited, "said it", 0);
    assert_eq!(found.range, Some(want.start + 5..want.end), "{found:?}");
    assert!(
        matches!(found.state, AnchorState::Moved { .. }),
        "{found:?}"
    );
}

/// Class 2: the claim's quote was corrected where it stands; an unedited
/// copy of the old quote (the next item of a series) must not win without
/// the two being compared.
#[test]
fn an_edited_quote_at_its_place_beats_an_unedited_copy_elsewhere() {
    let original = format!(
        "In 2019 the regional budget rose by four percent over the year. {}\
         In 2020 the regional budget rose by four percent over the year, officials said.",
        filler(400)
    );
    let claim = claim_on(&original, "the regional budget rose by four percent", 1);
    let edited = original.replacen(
        "In 2020 the regional budget rose by four",
        "In 2020 the regional budget rose by five",
        1,
    );
    let found = locate(&edited, &claim);
    let want = range_of(&edited, "the regional budget rose by five percent", 0);
    assert_eq!(found.range, Some(want), "{found:?}");
    assert!(
        matches!(found.state, AnchorState::Fuzzy { .. }),
        "{found:?}"
    );
}

/// Class 2 with the whole passage repeated (near-duplicate news bodies): a
/// typo at the claim's own place, and a copy of the passage a few thousand
/// chars on with quote and context intact. The copy is not taken without
/// asking; the claim's own place is what is suggested.
#[test]
fn a_typo_at_its_place_is_not_moved_to_an_intact_copy_of_the_passage() {
    let passage = "Officials said the regional talks would resume in Geneva next week, \
                   after the envoy met both delegations on Sunday evening.";
    // The copy far, or near enough that it outranks the typo on nearness.
    for between in [4000, 600] {
        let original = format!("{}{passage} {}{passage}", filler(2000), filler(between));
        let claim = claim_on(&original, "would resume in Geneva next week", 0);
        let edited = original.replacen("would resume in Geneva", "would resume in Genewa", 1);
        let found = locate(&edited, &claim);
        assert_eq!(
            found.range,
            Some(range_of(&edited, "would resume in Genewa next week", 0)),
            "{between}: {found:?}"
        );
        assert!(
            matches!(found.state, AnchorState::Fuzzy { .. }),
            "{between}: {found:?}"
        );
    }
}

/// The claim's own place, its quote intact and one side of its context
/// changed, against an intact copy of the passage far away (another copy of
/// the story): the place near is what is suggested, never the far copy.
#[test]
fn a_far_copy_of_the_passage_is_not_suggested_over_the_claims_own_place() {
    let passage = "Officials said the regional talks would resume in Geneva next week, \
                   after the envoy met both delegations on Sunday evening.";
    let original = format!("{}{passage} {}{passage}", filler(2000), filler(30_000));
    let claim = claim_on(&original, "the regional talks would resume in Geneva", 0);
    let edited = original.replacen(
        "Geneva next week, after",
        "Geneva. An editor added this sentence. After",
        1,
    );
    let found = locate(&edited, &claim);
    assert_eq!(
        found.range,
        Some(range_of(
            &edited,
            "the regional talks would resume in Geneva",
            0
        )),
        "{found:?}"
    );
    assert!(found.score < anchor::BULK_CONFIRM_SCORE, "{found:?}");
}

/// A sentence put into the middle of a claim, more than the approximate
/// search allows: what is suggested is all that stands between the claim's
/// context, not the part of it the search found.
#[test]
fn a_sentence_put_into_a_claim_is_suggested_with_the_whole_claim() {
    let quote = "the regional budget rose by four percent over the year, as the ministry \
                 had forecast in its spring report to the assembly";
    let original = format!(
        "{}Officials said {quote}, aides confirmed on Friday.",
        filler(800)
    );
    let claim = claim_on(&original, quote, 0);
    let edited = original.replacen(
        "over the year,",
        "over the year, An editor added this sentence for clarity.",
        1,
    );
    let found = locate(&edited, &claim);
    let start = range_of(&edited, "the regional budget", 0).start;
    let end = range_of(&edited, "to the assembly", 0).end;
    assert_eq!(found.range, Some(start..end), "{found:?}");
    assert!(
        matches!(found.state, AnchorState::Fuzzy { .. }),
        "{found:?}"
    );
}

/// Class 3: a common word's true occurrence lies past the first 2,000
/// occurrences of the article: it is found by its context near its place.
#[test]
fn an_intact_common_word_past_thousands_of_occurrences_is_moved() {
    let common = "the cat saw the dog near the barn. ".repeat(800);
    let original = format!("{common}Later the envoy said the talks had failed. {common}");
    let claim = claim_on(&original, "the", 2400);
    assert_eq!(
        Article::new("a", &original).slice(claim.start.saturating_sub(6)..claim.end),
        "Later the"
    );
    let edited = format!("An update was added on top.\n\n{original}");
    let found = locate(&edited, &claim);
    let shift = "An update was added on top.\n\n".len();
    assert_eq!(
        found.range,
        Some(claim.start + shift..claim.end + shift),
        "{found:?}"
    );
    assert!(
        matches!(found.state, AnchorState::Moved { .. }),
        "{found:?}"
    );
}

/// Class 4: two exact copies; the one with its context intact wins over the
/// one nearer the estimated place.
#[test]
fn better_context_outweighs_nearness_between_two_exact_copies() {
    let quote = "the talks will resume next week";
    let original = format!(
        "{}Mr. Ortega said {quote}, in Geneva, where the delegates met on Sunday.",
        filler(3000)
    );
    let claim = claim_on(&original, quote, 0);
    // A long new passage put in before the claim's sentence, opening with a
    // copy of the quote and the words before it, near the old offsets.
    let passage = format!("{quote}; few believed it.\n\n{}\n\n", filler(9000));
    let (before, context) = (claim.start - 32, claim.start);
    let edited = format!(
        "{}Also {}{passage}{}",
        &original[..before],
        &original[before..context],
        &original[before..]
    );
    assert_eq!(
        &edited[claim.start + 5..claim.end + 5],
        quote,
        "the copy is nearest"
    );
    let found = locate(&edited, &claim);
    let want = range_of(&edited, quote, 1);
    assert_eq!(found.range, Some(want), "{found:?}");
    assert!(
        matches!(found.state, AnchorState::Moved { .. }),
        "{found:?}"
    );
}

/// Class 5: a short quote with a typo fixed where it stands, and an exact
/// copy of the old spelling nearby: the true place is considered.
#[test]
fn a_short_edited_quote_is_found_at_its_place_despite_an_old_copy_nearby() {
    let original = "Mr. Smyth declined to comment. Asked again on Friday, Ms. Smyth said the firm had no plans to sell.";
    let claim = claim_on(original, "Smyth", 1);
    let edited = original.replacen("Ms. Smyth", "Ms. Smith", 1);
    let found = locate(&edited, &claim);
    assert_eq!(
        found.range,
        Some(range_of(&edited, "Smith", 0)),
        "{found:?}"
    );
    assert!(
        matches!(found.state, AnchorState::Fuzzy { .. }),
        "{found:?}"
    );
}

/// Class 6: one side of the context lost (the sentence before deleted, or
/// the paragraph swapped): an intact quote with one matching side is moved,
/// long or short.
#[test]
fn an_intact_quote_with_one_side_of_context_is_moved() {
    let original = "Talks broke down late on Monday. The envoy said the ceasefire would hold through the winter. Markets rose on the news.\n\nA second paragraph about the weather follows here.";
    for quote in ["Markets rose on the news", "news"] {
        let claim = claim_on(original, quote, 0);
        let deleted = original.replacen(
            "The envoy said the ceasefire would hold through the winter. ",
            "",
            1,
        );
        let (first, second) = original.split_once("\n\n").unwrap_or_default();
        let swapped = format!("{second}\n\n{first}");
        for edited in [deleted, swapped] {
            let found = locate(&edited, &claim);
            assert_eq!(
                found.range,
                Some(range_of(&edited, quote, 0)),
                "{quote}: {found:?}"
            );
            assert!(
                matches!(found.state, AnchorState::Moved { .. }),
                "{quote}: {found:?}"
            );
        }
    }
}

/// The fixture's real text: 58 FNC-1 bodies (about 200 KB).
fn corpus() -> Vec<String> {
    include_str!("fixtures/fnc1-bodies.txt")
        .lines()
        .filter(|l| !l.starts_with("# "))
        .collect::<Vec<_>>()
        .join("\n")
        .split("\n=====\n")
        .map(str::to_owned)
        .collect()
}

/// Paragraphs to insert, from text of another kind (the English UDHR), so
/// that no inserted paragraph repeats an article's own sentences.
fn inserts() -> Vec<String> {
    include_str!("fixtures/udhr/eng.html")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<p>")?.strip_suffix("</p>"))
        .filter(|p| p.len() > 80 && !p.contains('<'))
        .map(str::to_owned)
        .collect()
}

/// Generated scenarios (seeded) over the fixture's real text, with passages
/// copied elsewhere when `copies`; more seeds with `FACTMARK_SCENARIO_SEEDS=N`,
/// and seeds not seen before with `FACTMARK_SCENARIO_SEEDS_AFTER=M` (seeds
/// M+1 to M+N).
fn generated_with(copies: bool) -> Vec<edits::Scenario> {
    let inserts = inserts();
    let inserts: Vec<&str> = inserts.iter().map(String::as_str).collect();
    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let seeds = number("FACTMARK_SCENARIO_SEEDS", 2);
    let after = number("FACTMARK_SCENARIO_SEEDS_AFTER", 0);
    let articles = corpus();
    (after..after.saturating_add(seeds))
        .flat_map(|seed| edits::scenarios(&articles, &inserts, 60, (40, copies), seed + 1))
        .collect()
}

fn generated() -> Vec<edits::Scenario> {
    generated_with(false)
}

/// A scenario's original text and its claims' anchors on it.
fn claims_of(s: &edits::Scenario) -> (Article, Vec<Anchor>) {
    let original = Article::new("a", &s.original);
    let anchors = s
        .claims
        .iter()
        .map(|r| Anchor::capture(&original, r.clone()))
        .collect();
    (original, anchors)
}

/// How the search (old text unknown) did on scenarios, and the review it
/// leaves.
struct Searched {
    total: Tally,
    /// Claims whose quote is untouched that ask the user.
    intact_asked: usize,
}

/// Claims whose own quote was edited and still stands: each asks the user
/// whatever finds it (the old text known or not), with what it was and what
/// it says now, so their share is the floor under the claims asking.
fn quotes_edited(scenarios: &[edits::Scenario]) -> usize {
    scenarios
        .iter()
        .flat_map(|s| s.untouched.iter().zip(&s.expected))
        .filter(|(untouched, expect)| !**untouched && **expect != Expect::Orphan)
        .count()
}

fn searched(scenarios: &[edits::Scenario], name: &str) -> Searched {
    let mut total = Tally {
        log_wrong: true,
        ..Tally::default()
    };
    let mut intact_asked = 0;
    for (n, s) in scenarios.iter().enumerate() {
        let (_, anchors) = claims_of(s);
        let refs: Vec<&Anchor> = anchors.iter().collect();
        let placements = anchor::locate_all(&Article::new("a", &s.edited), &refs);
        assert_eq!(placements.unsearched, 0, "scenario {n}: out of work");
        for (k, (found, expect)) in placements.located.iter().zip(&s.expected).enumerate() {
            check(
                found,
                expect,
                &mut total,
                &format!("scenario {n}, claim {k}"),
            );
            intact_asked += usize::from(s.untouched[k] && found.needs_review());
        }
    }
    println!(
        "{name}, old text unknown: {}; claims with their quote untouched that ask the user: {intact_asked}; \
         claims whose own quote was edited (each asks): {}",
        total.figures(),
        quotes_edited(scenarios),
    );
    Searched {
        total,
        intact_asked,
    }
}

/// The targets with the old text unknown. Claims needing the user:
/// every claim whose own quote was edited asks (with the old text known
/// too: a quote that changed is what a fact-checker must see), and the
/// scripted edits change 4.2% of quotes, so the share asking is held to the
/// two figures the search decides: claims left one by one (fuzzy below the
/// bulk score, or findable but orphaned) at most 3%, and claims whose quote
/// is untouched that ask at most 1%.
#[test]
fn generated_scenarios_meet_the_targets_with_the_old_text_unknown() {
    let Searched {
        total,
        intact_asked,
    } = searched(&generated(), "generated");
    let claims = total.claims;
    assert!(claims >= 2000, "{total:?}");
    assert_eq!(total.wrong, 0, "wrong in exact/moved: {}", total.figures());
    assert!(
        (total.wrong + total.wrong_suggestions) * 1000 <= claims,
        "{}",
        total.figures()
    );
    assert!(total.deleted_placed * 200 <= claims, "{}", total.figures());
    assert!(total.right() * 1000 >= claims * 995, "{}", total.figures());
    assert_eq!(
        total.bulk_wrong, 0,
        "a bulk confirmation would confirm wrong places"
    );
    assert!(total.one_by_one * 100 <= claims * 3, "{}", total.figures());
    assert!(intact_asked * 100 <= claims, "{}", total.figures());
}

/// With passages copied elsewhere (a pull quote, a paragraph repeated), a
/// claim's quote and context often stand twice: the search never places a
/// claim on the copy without asking, and never offers a copy for bulk
/// confirmation. (The other targets are not met here; the figures are
/// printed.)
#[test]
fn with_passages_copied_no_claim_is_silently_placed_on_the_copy() {
    let Searched { total, .. } = searched(&generated_with(true), "passages copied");
    assert!(total.claims >= 2000, "{total:?}");
    assert_eq!(total.wrong, 0, "wrong in exact/moved: {}", total.figures());
    assert_eq!(
        total.bulk_wrong, 0,
        "a bulk confirmation would confirm wrong places"
    );
}

/// How claims placed through a diff did on scenarios.
struct ThroughDiff {
    total: Tally,
    /// Claims whose quote is untouched, those of them asking the user, and
    /// those not at their place (asked about elsewhere, or orphaned).
    untouched: usize,
    untouched_asked: usize,
    untouched_elsewhere: usize,
}

/// Places the scenarios' claims through a diff and checks what the diff
/// reports of each changed quote.
fn through_diff(scenarios: &[edits::Scenario], name: &str) -> ThroughDiff {
    let mut out = ThroughDiff {
        total: Tally {
            log_wrong: true,
            ..Tally::default()
        },
        untouched: 0,
        untouched_asked: 0,
        untouched_elsewhere: 0,
    };
    let mut changes = 0;
    for (n, s) in scenarios.iter().enumerate() {
        let (original, anchors) = claims_of(s);
        let edited = Article::new("a", &s.edited);
        let refs: Vec<&Anchor> = anchors.iter().collect();
        let placed = anchor::place_through_diff(&original, &edited, &refs);
        for (k, (found, expect)) in placed
            .placements
            .located
            .iter()
            .zip(&s.expected)
            .enumerate()
        {
            let context = format!("scenario {n}, claim {k}");
            if s.untouched[k] {
                out.untouched += 1;
                let Expect::At(want) = expect else {
                    panic!("{context}: untouched but {expect:?}");
                };
                // Exactly there, or (a letter doubled next to a quote made
                // of that letter, once or more: "a" → "aaa", "11" → "111")
                // on the same text a char or more over, within the run of
                // that letter: which copy is the quote is in no text.
                let at_place = found.range.clone().is_some_and(|got| {
                    let run = edited.slice(got.start.min(want.start)..got.end.max(want.end));
                    let letter = anchors[k].exact.chars().next();
                    got == *want
                        || edited.slice(got.clone()) == anchors[k].exact
                            && run.chars().all(|c| Some(c) == letter)
                });
                if !at_place {
                    out.untouched_elsewhere += 1;
                    eprintln!(
                        "untouched, not at its place: {context}: {found:?}, want {want:?}, {:?}",
                        anchors[k]
                    );
                }
                out.untouched_asked += usize::from(found.needs_review());
            }
            if let Some(change) = &placed.changes[k] {
                changes += 1;
                assert_eq!(change.old, anchors[k].exact, "{context}");
                assert_eq!(
                    Some(change.new.as_str()),
                    found.range.clone().map(|r| edited.slice(r)),
                    "{context}"
                );
            }
            check(found, expect, &mut out.total, &context);
        }
    }
    println!(
        "{name}, old text known: {} untouched claims, {} of them not at their place, {} asking the user; \
         {changes} reported with their quote's change; {}",
        out.untouched,
        out.untouched_elsewhere,
        out.untouched_asked,
        out.total.figures()
    );
    out
}

#[test]
fn generated_scenarios_through_a_diff_place_every_untouched_claim_exactly() {
    let found = through_diff(&generated(), "generated");
    assert!(found.total.claims >= 2000, "{:?}", found.total);
    assert_eq!(found.untouched_elsewhere, 0, "{}", found.total.figures());
    assert_eq!(found.total.wrong, 0, "{}", found.total.figures());
    assert_eq!(found.total.bulk_wrong, 0, "{}", found.total.figures());
    // A word swapped with its neighbouring line is the diff's one blind
    // spot: it lands right, but asks.
    assert!(
        found.untouched_asked * 1000 <= found.untouched,
        "{} of {}",
        found.untouched_asked,
        found.untouched
    );
}

/// With passages copied elsewhere, which copy is the claim's is often a
/// choice among equals for the diff too: no claim is placed on a copy
/// without asking, nor offered there for bulk confirmation. (The figures,
/// untouched claims asking included, are printed.)
#[test]
fn with_passages_copied_through_a_diff_no_claim_is_silently_placed_on_the_copy() {
    let found = through_diff(&generated_with(true), "passages copied");
    assert!(found.total.claims >= 2000, "{:?}", found.total);
    assert_eq!(found.total.wrong, 0, "{}", found.total.figures());
    assert_eq!(found.total.bulk_wrong, 0, "{}", found.total.figures());
}

/// Found at eight seeds (seed 8, the Phoenix article): "she" became "sh e"
/// ("called 9-1-1ewhen sh efound") after the paragraph, its first typo
/// included, had been copied further on. The diff keeps letters of the claim
/// where it was, so the intact copy is new text as much as the claim: asked.
/// With the old text unknown, the typos in both sides' nearest context hid
/// the claim's own place from the search, and the copy 2,718 chars on was
/// moved to without asking; the passage found edited at the claim's place
/// is now its rival, and the user is asked there.
#[test]
fn a_one_word_claim_with_a_typo_next_to_an_intact_copy_of_its_passage_is_asked_about() {
    let inserts = inserts();
    let inserts: Vec<&str> = inserts.iter().map(String::as_str).collect();
    let scenarios = edits::scenarios(&corpus(), &inserts, 60, (40, true), 8);
    let (s, k) = scenarios
        .iter()
        .find_map(|s| {
            let k = s.claims.iter().position(|c| c.start == 86)?;
            s.edited.contains("9-1-1ewhen sh efound").then_some((s, k))
        })
        .unwrap_or_else(|| panic!("the generator no longer makes this case"));
    let (original, anchors) = claims_of(s);
    assert_eq!(anchors[k].exact, "she");
    let refs: Vec<&Anchor> = anchors.iter().collect();
    let edited = Article::new("a", &s.edited);
    let through_diff = anchor::place_through_diff(&original, &edited, &refs);
    let found = &through_diff.placements.located[k];
    assert!(found.needs_review(), "{found:?}");
    let searched = anchor::locate_all(&edited, &refs);
    let found = &searched.located[k];
    let edits::Expect::AtOrOrphan(own) = &s.expected[k] else {
        panic!("{:?}", s.expected[k]);
    };
    assert!(
        matches!(found.state, AnchorState::Fuzzy { .. })
            && found.range.as_ref().is_some_and(|r| r.start == own.start),
        "{found:?}, its own place {own:?}"
    );
}

/// What a claim found on seeds 9-96 must get.
enum Want {
    /// Exact or moved, at its expected place.
    Sure,
    /// Asked about, or orphaned: never placed without asking.
    Asked,
    /// Right (its expected place, or orphaned where that is allowed).
    Right,
}

/// Claims that went wrong on seeds 9-96 before they were tuned on, each
/// with the mechanism that now gets it right: (seed, passages copied,
/// article, the claim's quote, its old start, through a diff, what it must
/// get).
const FOUND_ON_UNSEEN_SEEDS: &[(u64, bool, usize, &str, usize, bool, Want)] = &[
    // A one-letter quote whose paragraph moved on: what now follows its old
    // prefix ("S" of "Separately") holds none of it and is no rival.
    (9, false, 1, "A", 1511, false, Want::Sure),
    (9, false, 1, "A", 1511, true, Want::Sure),
    // "Print version", "View Gallery", "More from Fox News:": the claim's
    // line found whole once, its neighbouring lines changed.
    (9, false, 45, "version", 1303, true, Want::Sure),
    (10, false, 26, "Gallery", 1939, true, Want::Sure),
    (12, false, 52, "More", 1883, false, Want::Sure),
    // A line swapped with the one before and a paragraph put in where it
    // was: other lines between its old neighbours, not its rewrite.
    (
        16,
        false,
        34,
        "Kim needs about 100 days to recuperate, said the source, whose information could not be independently verified.",
        1973,
        true,
        Want::Sure,
    ),
    // A paragraph moved to the top: one side of the diff's neighbourhood
    // stands, enough for a three-letter word the diff kept.
    (13, false, 13, "The", 711, true, Want::Sure),
    // "Update!", a short line the diff kept with both neighbouring lines
    // changed: its line stands once in the new text.
    (10, false, 51, "Update", 8568, true, Want::Sure),
    // Short lines moved with a typo beside them ("WATCH:", "Scroll down
    // for video" now "Scroel down for video"): the whole line, or the line
    // from the quote on, is found once among the inserted text. (Seeds 25
    // and 28, found on 17-48.)
    (28, false, 57, "WATCH", 3190, true, Want::Sure),
    (25, false, 48, "down", 411, true, Want::Sure),
    // A letter taken out where the claim was ("Un' health"), the passage
    // copied whole elsewhere: the copy is asked about.
    (3, true, 12, "s", 40, false, Want::Asked),
    // A deleted "a" is not found again inside "grand", its context.
    (9, true, 36, "a", 59, false, Want::Right),
    // "video" now "viedo" at its place (past the search's allowance) with
    // the passage copied, "video" intact: found by its context's key, it
    // is ranked, and the copy is asked about.
    (12, true, 52, "video", 1391, false, Want::Asked),
    // "soure" at the claim's place, the passage copied with "source": the
    // copy shares the intact side of context, so only the quote's one edit
    // tells the two apart: a twin, asked about. (Seed 20, found on 17-32.)
    (
        20,
        true,
        32,
        "(Image source: whitehouse.gov)",
        1569,
        false,
        Want::Asked,
    ),
    // A 45-char line with a typo at its place and an intact copy: its
    // halves tell the copy is new; asked about, through the diff too.
    (
        14,
        true,
        33,
        "IS EXPLAINED: How it fits into Syria and Iraq",
        409,
        true,
        Want::Asked,
    ),
    // "The bgous report" with the paragraph before swapped: the changed
    // claim's start is where the quote lines up, not the diff's choice.
    (
        10,
        true,
        46,
        "The bogus report read: \"Nasa has confirmed that the Earth will experience 6 days of almost complete darkness and will happen from the dates Tuesday the 16 – Monday the 22 in December.",
        350,
        true,
        Want::Right,
    ),
    // Found on seeds 17-48. "WATCH:\n\nFollow Chuck on Twitter", a paragraph
    // put in before and "Tiwtter": the diff kept 16 chars around "Follow",
    // its two sides together, though neither side alone.
    (33, false, 57, "Follow", 3198, true, Want::Sure),
    // "isn't the" now "isn' tthe": the diff took the "t" out and put one in
    // past the space; either way the letter put in is the claim's.
    (40, false, 55, "t", 1112, true, Want::Sure),
    // Two lines swapped that open with the same 45 chars: the deletion the
    // diff made slides to whole lines, so the claim's line is the one that
    // moved, not the one it lined up with.
    (
        24,
        false,
        51,
        "Jaeger-LeCoultre Reverso Squadra Hometime in stainless steel: $8,550 list, $6,800 street",
        3430,
        true,
        Want::Sure,
    ),
    // "t.co/A… t.co/B" now "t.co/B": the deletion reads the same slid off
    // the claim's "co"; kept by one alignment and not the other, it is
    // offered where it stands, asking.
    (21, false, 46, "co", 2090, true, Want::Right),
    // Found on seeds 49-96. A sentence opening with "A" deleted, the next
    // paragraph opening with "A" too: the line before standing says
    // nothing of a letter's own line.
    (87, false, 8, "A", 93, false, Want::Asked),
    (78, false, 8, "A", 559, true, Want::Asked),
    // A caption line repeated in the article, swapped with its neighbour
    // line so that the two copies now stand together: the copy with the
    // prefix and the one with the suffix are twins.
    (
        54,
        false,
        26,
        "After hours of work, Pam Hatchfield, a conservator at the Museum of Fine Arts, dislodged a time capsule from the cornerstone of the State House.",
        1787,
        false,
        Want::Asked,
    ),
    // The same caption's first copy edited and moved: the diff's window for
    // a claim it mostly took out held the other copy, which the diff kept as
    // itself; it is not the claim's.
    (
        88,
        false,
        26,
        "After hours of work, Pam Hatchfield, a conservator at the Museum of Fine Arts, dislodged a time capsule from the cornerstone of the State House.",
        1605,
        true,
        Want::Asked,
    ),
    // Two price lines swapped that differ in a few words: the diff lines
    // each up with the other letter by letter; the claim's line stands whole
    // where the other line went.
    (
        84,
        false,
        51,
        "A simple 42x36x10 mm rectangle of 5 mm thick 18-karat gold would cost more than $3,200",
        2570,
        true,
        Want::Sure,
    ),
    // "Reuters\n" put in right before a claim with a typo: the claim is its
    // line, not the line put in with it (it was offered at 0.95, in bulk).
    (
        63,
        false,
        25,
        "In 1990, Pope John Paul implied that animals had souls because they too were created from the breath of God.",
        4084,
        false,
        Want::Right,
    ),
    // Found on seeds 97-144. "“We have a secretary…" deleted, "We all…"
    // after the same words, and "“I can't…" deleted, "I ain't…" after
    // them: a letter or two whose nearest neighbour on its line went.
    (103, false, 33, "We", 749, false, Want::Asked),
    (136, false, 8, "I", 1414, false, Want::Asked),
    // The two price lines swapped: "street" ends both, each with one side
    // of the claim's context; either may be the claim.
    (135, false, 51, "street", 3601, false, Want::Asked),
    // A deleted sentence's "subscription", matched up by the diff with the
    // next sentence's: one word kept without its neighbours proves nothing,
    // however long.
    (111, false, 22, "subscription", 1120, true, Want::Right),
    // Found on seeds 193-240. "Bary was an aspiring rapper…", a paragraph's
    // first sentence, deleted, and the next one opening "Bary’s songs…": a
    // word that opens its line is not told by the line before (it says only
    // that a line starts there). It was *exact*.
    (216, false, 8, "Bary", 939, false, Want::Asked),
    // Old text known, untouched claims that were asked about on seeds
    // 1-240. A word opening its line with a paragraph put in before it and
    // a typo a word after: the line before still stands before what was put
    // in ("On", "Big foot", "Mr", "roadblock").
    (68, false, 14, "On", 3631, true, Want::Sure),
    (110, false, 16, "Big foot", 2129, true, Want::Sure),
    (143, false, 42, "Mr", 3460, true, Want::Sure),
    (226, false, 9, "Mr", 1761, true, Want::Sure),
    (216, false, 21, "roadblock", 89, true, Want::Sure),
    // A line moved and typo'd ("Scroll doown for video", one of two
    // swapped price lines "Cartier Taank MC…"), or moved whole where the
    // diff matched up its words with others ("(Who are Islamic State?…"):
    // the claim's line is within a typo or two of one changed line alone.
    (128, false, 48, "Scroll", 404, true, Want::Sure),
    (213, false, 51, "Cartier", 3243, true, Want::Sure),
    (217, false, 50, "Islamic", 619, true, Want::Sure),
];

#[test]
fn claims_that_went_wrong_on_unseen_seeds_get_what_they_should() {
    let inserts = inserts();
    let inserts: Vec<&str> = inserts.iter().map(String::as_str).collect();
    let articles = corpus();
    for (seed, copies, article, quote, start, diff, want) in FOUND_ON_UNSEEN_SEEDS {
        let scenarios = edits::scenarios(&articles, &inserts, 60, (40, *copies), *seed);
        let s = &scenarios[*article];
        let case = format!("seed {seed}, article {article}, {quote:?}, through a diff {diff}");
        let k = s
            .claims
            .iter()
            .position(|c| c.start == *start)
            .unwrap_or_else(|| panic!("{case}: the generator no longer makes this claim"));
        let (original, anchors) = claims_of(s);
        assert_eq!(anchors[k].exact, *quote, "{case}");
        let refs: Vec<&Anchor> = anchors.iter().collect();
        let edited = Article::new("a", &s.edited);
        let found = if *diff {
            anchor::place_through_diff(&original, &edited, &refs)
                .placements
                .located
                .remove(k)
        } else {
            anchor::locate_all(&edited, &refs).located.remove(k)
        };
        let mut tally = Tally::default();
        check(&found, &s.expected[k], &mut tally, &case);
        match want {
            Want::Sure => assert!(
                !found.needs_review() && tally.correct == 1,
                "{case}: {found:?}, expected {:?}",
                s.expected[k]
            ),
            Want::Asked => assert!(
                found.needs_review() || found.range.is_none(),
                "{case}: {found:?}"
            ),
            Want::Right => assert!(
                tally.correct + tally.orphaned_as_expected == 1,
                "{case}: {found:?}, expected {:?}",
                s.expected[k]
            ),
        }
    }
}

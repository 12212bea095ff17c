//! Scripted edits with known answers, shared by the re-anchoring accuracy test
//! and the re-anchoring benchmark: an edit is a list of splices on the original
//! text, or (for edits that move text too) a [`Traced`] text whose every char
//! knows where it came from, so where each claim must land is computed, not
//! guessed.
#![allow(dead_code)]

use crate::rng::Rng;
use factmark::anchor::{self, Located};
use factmark::model::AnchorState;
use std::ops::Range;

/// Replace `delete` chars at `at` with `insert` (offsets into the original).
#[derive(Clone, Debug)]
pub struct Splice {
    pub at: usize,
    pub delete: usize,
    pub insert: String,
}

pub fn apply(original: &str, splices: &[Splice]) -> String {
    let chars: Vec<char> = original.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    let mut sorted = splices.to_vec();
    sorted.sort_by_key(|s| s.at);
    for s in &sorted {
        out.extend(&chars[at..s.at]);
        out.push_str(&s.insert);
        at = s.at + s.delete;
    }
    out.extend(&chars[at..]);
    out
}

/// Where an original offset ends up. Text inserted exactly at a claim's start
/// goes before the claim; text inserted exactly at its end goes after it. An
/// offset inside deleted text goes to the deletion's edge that keeps the
/// claim's surviving chars: a start after it, an end before it.
fn map(offset: usize, splices: &[Splice], is_end: bool) -> usize {
    let offset = splices
        .iter()
        .find(|s| s.at < offset && offset < s.at + s.delete)
        .map_or(offset, |s| if is_end { s.at } else { s.at + s.delete });
    let mut shift: isize = 0;
    for s in splices {
        let before = if s.delete == 0 {
            s.at < offset || (s.at == offset && !is_end)
        } else {
            s.at + s.delete <= offset
        };
        if before {
            shift += s.insert.chars().count() as isize - s.delete as isize;
        }
    }
    (offset as isize + shift) as usize
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    At(Range<usize>),
    Orphan,
    AtOrOrphan(Range<usize>),
    /// Text put into the claim next to a few of its chars ("G" + a moved
    /// paragraph + "old is soft..."): the same text as those chars moved out
    /// instead, so the run of the claim's chars that holds nearly all of
    /// them is as right as the whole span; or orphaned.
    SplitOrOrphan {
        whole: Range<usize>,
        main: Range<usize>,
    },
}

/// What a claim's edit was worth: `changed` chars (deleted or inserted,
/// whichever is more) of a `len`-char claim, half of it `deleted`.
fn judged(new_range: Range<usize>, len: usize, deleted: usize, changed: usize) -> Expect {
    if deleted * 2 >= len {
        Expect::Orphan
    } else if changed * 12 <= len {
        Expect::At(new_range)
    } else {
        Expect::AtOrOrphan(new_range)
    }
}

pub fn expectation(claim: &Range<usize>, splices: &[Splice]) -> Expect {
    let touched: Vec<&Splice> = splices
        .iter()
        // Deletes overlapping the claim, or inserts strictly inside it.
        .filter(|s| s.at < claim.end && (s.at + s.delete > claim.start || s.at > claim.start))
        .collect();
    let new_range = map(claim.start, splices, false)..map(claim.end, splices, true);
    if touched.is_empty() {
        return Expect::At(new_range);
    }
    let deleted: usize = touched
        .iter()
        .map(|s| {
            (s.at + s.delete)
                .min(claim.end)
                .saturating_sub(s.at.max(claim.start))
        })
        .sum();
    let inserted: usize = touched.iter().map(|s| s.insert.chars().count()).sum();
    judged(new_range, claim.len(), deleted, deleted.max(inserted))
}

/// Placements scored against the known answers.
#[derive(Default, Debug)]
pub struct Tally {
    pub claims: usize,
    /// Claims whose text was deleted ([`Expect::Orphan`]), and how many of
    /// them were placed anyway (exact, moved or fuzzy).
    pub deleted: usize,
    pub deleted_placed: usize,
    pub correct: usize,
    pub orphaned_as_expected: usize,
    pub missed: usize,
    /// Exact or moved placements somewhere else: silently wrong.
    pub wrong: usize,
    /// Fuzzy suggestions somewhere else: shown as needing confirmation.
    pub wrong_suggestions: usize,
    pub states: [usize; 4],
    /// Fuzzy placements at or above [`anchor::BULK_CONFIRM_SCORE`]
    /// (confirmable at once), and how many of them are wrong.
    pub bulk: usize,
    pub bulk_wrong: usize,
    /// Claims left for the user one by one: fuzzy below the bulk score, or
    /// findable but orphaned.
    pub one_by_one: usize,
    /// Print each wrong placement to stderr (tests do; benchmarks count).
    pub log_wrong: bool,
}

pub fn check(found: &Located, expect: &Expect, tally: &mut Tally, context: &str) {
    tally.claims += 1;
    if *expect == Expect::Orphan {
        tally.deleted += 1;
        tally.deleted_placed += usize::from(found.range.is_some());
    }
    tally.states[match found.state {
        AnchorState::Exact => 0,
        AnchorState::Moved { .. } => 1,
        AnchorState::Fuzzy { .. } => 2,
        AnchorState::Orphaned | AnchorState::Excerpt { .. } => 3,
    }] += 1;
    let wrong_before = tally.wrong_suggestions;
    judge(found, expect, tally, context);
    let fuzzy = matches!(found.state, AnchorState::Fuzzy { .. });
    if fuzzy && found.score >= anchor::BULK_CONFIRM_SCORE {
        tally.bulk += 1;
        tally.bulk_wrong += tally.wrong_suggestions - wrong_before;
    } else if fuzzy || (*expect != Expect::Orphan && found.range.is_none()) {
        tally.one_by_one += 1;
    }
}

/// Counts `found` as right, missed or wrong.
fn judge(found: &Located, expect: &Expect, tally: &mut Tally, context: &str) {
    // A fuzzy match may settle a char or two off at an edited boundary.
    let close = |a: &Range<usize>, b: &Range<usize>| {
        a.start.abs_diff(b.start) <= 2 && a.end.abs_diff(b.end) <= 2
    };
    match (expect, &found.range) {
        (Expect::Orphan, None)
        | (Expect::AtOrOrphan(_), None)
        | (Expect::SplitOrOrphan { .. }, None) => tally.orphaned_as_expected += 1,
        (Expect::At(_), None) => tally.missed += 1,
        (Expect::At(want) | Expect::AtOrOrphan(want), Some(got)) if close(want, got) => {
            tally.correct += 1
        }
        (Expect::SplitOrOrphan { whole, main }, Some(got))
            if close(whole, got) || close(main, got) =>
        {
            tally.correct += 1
        }
        (_, Some(got)) if matches!(found.state, AnchorState::Fuzzy { .. }) => {
            tally.wrong_suggestions += 1;
            if tally.log_wrong {
                eprintln!(
                    "wrong suggestion {context}: expected {expect:?}, suggested {got:?} ({:?})",
                    found.state
                );
            }
        }
        (_, Some(got)) => {
            tally.wrong += 1;
            if tally.log_wrong {
                eprintln!(
                    "WRONG {context}: expected {expect:?}, placed at {got:?} ({:?})",
                    found.state
                );
            }
        }
    }
}

impl Tally {
    /// Placements neither exact nor moved: fuzzy ones to confirm.
    pub fn fuzzy(&self) -> usize {
        self.states[2]
    }

    /// Claims whose outcome is right once fuzzy matches are confirmed: placed
    /// where they belong, or orphaned where that is allowed.
    pub fn right(&self) -> usize {
        self.correct + self.orphaned_as_expected
    }

    /// The figures the scenario targets are stated in, one line.
    pub fn figures(&self) -> String {
        let pct = |n: usize| 100.0 * n as f64 / self.claims.max(1) as f64;
        format!(
            "{} claims: wrong in exact/moved {} ({:.2}%), wrong in all {} ({:.2}%), deleted placed {} of {} \
             ({:.2}% of claims), right incl. confirmed fuzzy {:.2}%, needing the user {} fuzzy ({:.2}%) + {} \
             orphaned ({} of them missed); fuzzy confirmable at once {} ({} wrong), left one by one {} ({:.2}%); \
             states exact={} moved={} fuzzy={} orphaned={}",
            self.claims,
            self.wrong,
            pct(self.wrong),
            self.wrong + self.wrong_suggestions,
            pct(self.wrong + self.wrong_suggestions),
            self.deleted_placed,
            self.deleted,
            pct(self.deleted_placed),
            pct(self.right()),
            self.fuzzy(),
            pct(self.fuzzy()),
            self.states[3],
            self.missed,
            self.bulk,
            self.bulk_wrong,
            self.one_by_one,
            pct(self.one_by_one),
            self.states[0],
            self.states[1],
            self.states[2],
            self.states[3],
        )
    }
}

/// A text being edited whose every char remembers its offset in the
/// original (`None` for inserted chars): the ground truth of edits that move
/// text (a swapped paragraph) as well as change it.
pub struct Traced {
    pub chars: Vec<(char, Option<usize>)>,
}

impl Traced {
    pub fn new(original: &str) -> Self {
        Self {
            chars: original
                .chars()
                .enumerate()
                .map(|(i, c)| (c, Some(i)))
                .collect(),
        }
    }

    pub fn text(&self) -> String {
        self.chars.iter().map(|(c, _)| c).collect()
    }

    pub fn splice(&mut self, at: usize, delete: usize, insert: &str) {
        let end = (at + delete).min(self.chars.len());
        self.chars
            .splice(at.min(end)..end, insert.chars().map(|c| (c, None)));
    }

    /// Moves the chars of `from` to just before offset `to` (outside `from`).
    pub fn shift(&mut self, from: Range<usize>, to: usize) {
        let moved: Vec<_> = self.chars.drain(from.clone()).collect();
        let to = if to > from.start {
            to - moved.len()
        } else {
            to
        };
        self.chars.splice(to..to, moved);
    }

    /// Where each original char is now.
    pub fn positions(&self, original_len: usize) -> Vec<Option<usize>> {
        let mut at = vec![None; original_len];
        for (now, (_, from)) in self.chars.iter().enumerate() {
            if let Some(from) = from {
                at[*from] = Some(now);
            }
        }
        at
    }
}

/// Where a claim on `range` of the original must land, from where its chars
/// are now ([`Traced::positions`]), and whether it is untouched (every char
/// there, in order, nothing between).
pub fn traced_expectation(range: &Range<usize>, positions: &[Option<usize>]) -> (Expect, bool) {
    let now: Vec<usize> = positions[range.clone()].iter().flatten().copied().collect();
    let (Some(&first), Some(&last)) = (now.iter().min(), now.iter().max()) else {
        return (Expect::Orphan, false);
    };
    let len = range.len();
    // Two chars swapped (a transposition typo) count as two changed.
    let swapped = 2 * now.windows(2).filter(|w| w[0] > w[1]).count();
    let missing = len - now.len();
    let foreign = last + 1 - first - now.len();
    let untouched = missing + foreign + swapped == 0;
    let expect = judged(
        first..last + 1,
        len,
        missing,
        missing.max(foreign) + swapped,
    );
    // The longest run of the claim's chars standing in order, one after
    // another.
    let mut main = 0..0;
    let mut run_start = 0;
    for k in 1..=now.len() {
        if k == now.len() || now[k] != now[k - 1] + 1 {
            if k - run_start > main.len() {
                main = run_start..k;
            }
            run_start = k;
        }
    }
    let strays = len - main.len();
    let split = foreign > 0 && swapped == 0 && strays * 12 <= len;
    match expect {
        Expect::AtOrOrphan(whole) if split => (
            Expect::SplitOrOrphan {
                whole,
                main: now[main.start]..now[main.end - 1] + 1,
            },
            untouched,
        ),
        _ => (expect, untouched),
    }
}

/// One generated scenario: an original article, claims on it, the edited
/// text, and where each claim must land.
pub struct Scenario {
    pub original: String,
    pub edited: String,
    pub claims: Vec<Range<usize>>,
    pub expected: Vec<Expect>,
    pub untouched: Vec<bool>,
}

/// Whether two lines are the same but for a typo: what differs between
/// their common start and end is at most [`TYPO_CHARS`] chars on each.
fn near_twins(a: &[char], b: &[char]) -> bool {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[head..], &b[head..]);
    let tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a.len() - tail <= TYPO_CHARS && b.len() - tail <= TYPO_CHARS
}

/// Chars a typo changes, at most (a transposition: two).
const TYPO_CHARS: usize = 2;

/// Char ranges of `text`'s paragraphs (split at line breaks), blank ones left out.
fn paragraphs(chars: &[(char, Option<usize>)]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..=chars.len() {
        if i == chars.len() || chars[i].0 == '\n' {
            if i > start && chars[start..i].iter().any(|(c, _)| !c.is_whitespace()) {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    out
}

/// Char ranges of the sentences of `chars[para]` (". " separated).
fn sentences_in(chars: &[char], para: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = para.start;
    for i in para.clone() {
        let ends =
            matches!(chars[i], '.' | '?' | '!') && (i + 1 == para.end || chars[i + 1] == ' ');
        if ends {
            out.push(start..i + 1);
            start = (i + 2).min(para.end);
        }
    }
    if start < para.end {
        out.push(start..para.end);
    }
    out.retain(|r| r.len() > 1);
    out
}

/// Word ranges in `chars[range]`.
fn words_in(chars: &[char], range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        if chars[i].is_alphanumeric() {
            let start = i;
            while i < range.end && chars[i].is_alphanumeric() {
                i += 1;
            }
            out.push(start..i);
        } else {
            i += 1;
        }
    }
    out
}

/// Claims on `text`, one every `spacing` chars or so, never overlapping and
/// never across a paragraph: a third single words (one-word claims such as a
/// name or "said"), a third a few words, a third whole sentences.
fn claims_on(text: &str, spacing: usize, rng: &mut Rng) -> Vec<Range<usize>> {
    let chars: Vec<char> = text.chars().collect();
    let traced: Vec<(char, Option<usize>)> = chars.iter().map(|&c| (c, None)).collect();
    let mut claims = Vec::new();
    let mut free = 0;
    for para in paragraphs(&traced) {
        for sentence in sentences_in(&chars, para) {
            if sentence.start < free || rng.below(spacing) > sentence.len() {
                continue;
            }
            let words = words_in(&chars, sentence.clone());
            if words.is_empty() {
                continue;
            }
            let claim = match rng.below(3) {
                0 => words[rng.below(words.len())].clone(),
                1 => {
                    let from = rng.below(words.len());
                    let to = (from + 1 + rng.below(5)).min(words.len() - 1);
                    words[from].start..words[to].end
                }
                _ => sentence.clone(),
            };
            // A claim in a passage the article itself repeats has no one
            // right place: the scripted answers leave such claims out.
            let repeated = |from: usize, to: usize| {
                let passage: String = chars[from..to.min(chars.len())].iter().collect();
                text.matches(passage.as_str()).nth(1).is_some()
            };
            if repeated(claim.start.saturating_sub(16), claim.end)
                || repeated(claim.start, claim.end + 16)
            {
                continue;
            }
            free = claim.end + 1;
            claims.push(claim);
        }
    }
    claims
}

/// A typo at `at`: a swapped, dropped, doubled or changed char.
fn typo(traced: &mut Traced, at: usize, rng: &mut Rng) {
    let Some(&(c, _)) = traced.chars.get(at) else {
        return;
    };
    match rng.below(4) {
        0 if at + 2 <= traced.chars.len() => traced.shift(at + 1..at + 2, at),
        1 => traced.splice(at, 1, ""),
        2 => traced.splice(at, 0, &c.to_string()),
        _ => traced.splice(at, 1, if c == 'e' { "a" } else { "e" }),
    }
}

/// Scripted edits on one article with `claims` on it: a paragraph from
/// `inserts` put in, two neighbouring paragraphs swapped, a sentence deleted,
/// a typo inside one claim and one just outside another, and with `copies`
/// a claim's paragraph copied elsewhere ([`copy_passage`]), per `edit_every`
/// claims (at least once).
fn edit(
    original: &str,
    claims: &[Range<usize>],
    inserts: &[&str],
    (edit_every, copies): (usize, bool),
    rng: &mut Rng,
) -> Traced {
    let mut traced = Traced::new(original);
    let rounds = (claims.len() / edit_every.max(1)).max(1);
    for _ in 0..rounds {
        let paras = paragraphs(&traced.chars);
        if paras.len() >= 2 {
            // Insert a paragraph before one.
            let at = paras[rng.below(paras.len())].start;
            let insert = format!("{}\n", rng.pick(inserts));
            traced.splice(at, 0, &insert);
        }
        let paras = paragraphs(&traced.chars);
        if paras.len() >= 3 {
            // Swap two neighbours; two identical ones ("L\nL", a line the
            // article repeats) are left as they are: swapped, they leave the
            // same text, and which is whose is in no text. So are two that
            // differ by a typo one of them got earlier: swapped, they read as
            // the other one typo'd. So is a line swapped away from its twin
            // ("L L X" to "L X L": which L moved?).
            let k = rng.below(paras.len() - 1);
            let (a, b) = (paras[k].clone(), paras[k + 1].clone());
            let text = |x: &Range<usize>| traced.chars[x.clone()].iter().map(|(c, _)| *c);
            let same = |x: &Range<usize>, y: &Range<usize>| text(x).eq(text(y));
            let twin_beside = k.checked_sub(1).is_some_and(|j| same(&paras[j], &a))
                || paras.get(k + 2).is_some_and(|next| same(&b, next));
            if !near_twins(&text(&a).collect::<Vec<_>>(), &text(&b).collect::<Vec<_>>())
                && !twin_beside
            {
                traced.shift(b.start..b.end, a.start);
                // `b` now sits where `a` began; put the line break after it.
                traced.splice(a.start + b.len(), 0, "\n");
            }
        }
        let chars: Vec<char> = traced.chars.iter().map(|(c, _)| *c).collect();
        let paras = paragraphs(&traced.chars);
        if let Some(para) = paras.get(rng.below(paras.len())) {
            let sentences = sentences_in(&chars, para.clone());
            if sentences.len() >= 2 {
                let s = &sentences[rng.below(sentences.len())];
                let end = (s.end + 1).min(para.end);
                traced.splice(s.start, end - s.start, "");
            }
        }
        // Typos: inside a claim, and in the context of another.
        let positions = traced.positions(original.chars().count());
        for outside in [false, true] {
            let claim = &claims[rng.below(claims.len())];
            let at = if outside {
                if rng.chance(2) {
                    claim.end + 1 + rng.below(10)
                } else {
                    claim.start.saturating_sub(2 + rng.below(10))
                }
            } else {
                claim.start + rng.below(claim.len())
            };
            if let Some(Some(now)) = positions.get(at) {
                typo(&mut traced, *now, rng);
            }
        }
        if copies {
            copy_passage(&mut traced, original.chars().count(), claims, rng);
        }
    }
    traced
}

/// A passage quoted again elsewhere (a pull quote, a paragraph repeated
/// further on): the paragraph holding a claim copied before another one,
/// and half the time that claim then given a typo at its own place, so that
/// the copy holds the only exact match of its quote. The claim still
/// belongs at its own place: the copy is new text.
fn copy_passage(traced: &mut Traced, original_len: usize, claims: &[Range<usize>], rng: &mut Rng) {
    let claim = &claims[rng.below(claims.len())];
    let Some(Some(now)) = traced.positions(original_len).get(claim.start).copied() else {
        return;
    };
    let paras = paragraphs(&traced.chars);
    let Some(own) = paras.iter().position(|p| p.contains(&now)) else {
        return;
    };
    // Never within two paragraphs of its own: "P P" does not tell which is
    // the copy (the first has the paragraph before, the second the one
    // after), nor does "P Q P" after P and Q were swapped (the copy then
    // stands where P was, with P's old neighbours), so no answer could be
    // called right.
    let elsewhere: Vec<usize> = (0..paras.len())
        .filter(|&k| k + 2 < own || k > own + 3)
        .collect();
    if elsewhere.is_empty() {
        return;
    }
    let copy: String = traced.chars[paras[own].clone()]
        .iter()
        .map(|(c, _)| c)
        .collect();
    let at = paras[*rng.pick(&elsewhere)].start;
    traced.splice(at, 0, &format!("{copy}\n"));
    if rng.chance(2) {
        let inside = claim.start + rng.below(claim.len());
        if let Some(Some(now)) = traced.positions(original_len).get(inside) {
            typo(traced, *now, rng);
        }
    }
}

/// Generated scenarios over `articles` (real text), seeded: claims every
/// `spacing` chars or so, one round of edits (see [`edit`]) per `edit_every`
/// claims, the inserted paragraphs taken from `inserts`, passages copied
/// with `copies`.
pub fn scenarios(
    articles: &[String],
    inserts: &[&str],
    spacing: usize,
    (edit_every, copies): (usize, bool),
    seed: u64,
) -> Vec<Scenario> {
    let mut rng = Rng(seed);
    articles
        .iter()
        .filter_map(|original| {
            let claims = claims_on(original, spacing, &mut rng);
            if claims.is_empty() {
                return None;
            }
            let traced = edit(original, &claims, inserts, (edit_every, copies), &mut rng);
            let positions = traced.positions(original.chars().count());
            let (expected, untouched) = claims
                .iter()
                .map(|c| traced_expectation(c, &positions))
                .unzip();
            Some(Scenario {
                original: original.clone(),
                edited: traced.text(),
                claims,
                expected,
                untouched,
            })
        })
        .collect()
}

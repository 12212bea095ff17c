//! Pathological inputs for re-anchoring, shared by the work-bound test
//! (`tests/reanchor_bounds.rs`, small sizes) and the re-anchoring benchmark
//! (`benches/reanchor.rs`, sizes up to the file limits): periodic articles,
//! quotes nested in one another, a huge quote, many claims on one word, the
//! most quote text a file may hold, near misses on periodic text and huge
//! contexts. Each says where its claims may land, so a run can be checked for
//! misplacements as well as timed.
#![allow(dead_code)]

use crate::rng::Rng;
use factmark::anchor::{self, Located, Placements};
use factmark::model::{Anchor, AnchorState, Article};
use std::ops::Range;

/// Where a claim may land; orphaned is always allowed.
#[derive(Clone, Debug)]
pub enum Want {
    /// Anywhere its quote stands verbatim: periodic text has no one right place.
    Verbatim,
    /// Here (a fuzzy suggestion may be a char or two off at the ends).
    At(Range<usize>),
    /// Nowhere exactly (the quote does not occur): a fuzzy suggestion at most.
    Suggestion,
}

pub struct Workload {
    pub name: &'static str,
    /// The text the claims were made on, when the run goes through a diff
    /// from it (`anchor::place_through_diff`); otherwise they are searched for.
    pub old: Option<Article>,
    pub article: Article,
    pub anchors: Vec<Anchor>,
    pub wants: Vec<Want>,
}

/// How one run went.
#[derive(Debug, Default)]
pub struct Outcome {
    pub claims: usize,
    pub placed: usize,
    pub orphaned: usize,
    pub unsearched: usize,
    /// Exact or moved placements that break their [`Want`]: silently wrong.
    pub wrong: Vec<String>,
    /// Fuzzy suggestions that break their [`Want`]: shown as needing
    /// confirmation, like the accuracy test's wrong suggestions.
    pub wrong_suggestions: usize,
}

impl Workload {
    pub fn refs(&self) -> Vec<&Anchor> {
        self.anchors.iter().collect()
    }

    /// Re-anchors the claims: through a diff when the old text is known.
    pub fn place(&self) -> Placements {
        let refs = self.refs();
        match &self.old {
            Some(old) => anchor::place_through_diff(old, &self.article, &refs).placements,
            None => anchor::locate_all(&self.article, &refs),
        }
    }

    /// Checks every claim of a run against its [`Want`].
    pub fn judge(&self, placements: &Placements) -> Outcome {
        let mut outcome = Outcome {
            claims: placements.located.len(),
            unsearched: placements.unsearched,
            ..Outcome::default()
        };
        if placements.located.len() != self.anchors.len() {
            outcome.wrong.push(format!(
                "{} results for {} claims",
                placements.located.len(),
                self.anchors.len()
            ));
        }
        for (k, ((anchor, want), found)) in self
            .anchors
            .iter()
            .zip(&self.wants)
            .zip(&placements.located)
            .enumerate()
        {
            let Some(range) = &found.range else {
                outcome.orphaned += 1;
                continue;
            };
            outcome.placed += 1;
            if self.fits(anchor, want, found, range) {
                continue;
            }
            if matches!(found.state, AnchorState::Fuzzy { .. }) {
                outcome.wrong_suggestions += 1;
            } else {
                outcome.wrong.push(format!(
                    "{}: claim {k} ({want:?}) placed at {range:?} ({:?})",
                    self.name, found.state
                ));
            }
        }
        outcome
    }

    fn fits(&self, anchor: &Anchor, want: &Want, found: &Located, range: &Range<usize>) -> bool {
        let fuzzy = matches!(found.state, AnchorState::Fuzzy { .. });
        // Exact means the stored offsets still hold the quote, as a short one
        // may by chance after an edit: right by definition.
        if found.state == AnchorState::Exact {
            return self.article.slice(range.clone()) == anchor.exact;
        }
        match want {
            Want::Verbatim => self.article.slice(range.clone()) == anchor.exact,
            Want::At(at) if fuzzy => {
                at.start.abs_diff(range.start) <= 2 && at.end.abs_diff(range.end) <= 2
            }
            Want::At(at) => at == range,
            Want::Suggestion => fuzzy,
        }
    }
}

/// `count` claims quoting runs of the article's own text, with stored offsets
/// that no longer hold (one char too wide), so that every quote is searched for.
fn runs_of(article: &Article, unit: &str, lens: impl Iterator<Item = usize>) -> Vec<Anchor> {
    let stride = article.char_count() / 1000;
    lens.enumerate()
        .map(|(i, len)| {
            let start = (i * stride) % article.char_count().max(1);
            Anchor {
                start,
                end: start + len + 1,
                exact: unit.chars().cycle().take(len).collect(),
                prefix: unit.chars().last().map(String::from).unwrap_or_default(),
                suffix: unit.chars().next().map(String::from).unwrap_or_default(),
            }
        })
        .collect()
}

/// An article of `chars` `a`s and claims quoting `a`×1, `a`×2, … `a`×`claims`
/// with one char of context: every quote occurs at almost every place, and
/// every shorter one ends wherever a longer one does. The 1 MB article with
/// 300 claims is the file that took a minute in `check`; 4 MB with 1,000, the
/// one that ran past 25 minutes.
pub fn periodic_runs(chars: usize, claims: usize) -> Workload {
    let article = Article::new("periodic", &"a".repeat(chars));
    let anchors = runs_of(&article, "a", 1..=claims);
    Workload {
        old: None,
        name: "periodic runs",
        wants: vec![Want::Verbatim; anchors.len()],
        article,
        anchors,
    }
}

/// One quote of `quote` `a`s and `nested` quotes `a`×1..=`nested` inside it,
/// on an article of `chars` `a`s: every state of a search automaton over the
/// long quote ends `nested` of the short ones.
pub fn huge_quote(chars: usize, quote: usize, nested: usize) -> Workload {
    let article = Article::new("periodic", &"a".repeat(chars));
    let anchors = runs_of(&article, "a", std::iter::once(quote).chain(1..=nested));
    Workload {
        old: None,
        name: "huge quote with nested runs",
        wants: vec![Want::Verbatim; anchors.len()],
        article,
        anchors,
    }
}

/// Claims of 20..220 chars on a two-letter periodic article, each with one
/// letter changed so that it occurs nowhere: every claim goes to approximate
/// search, and every piece of every quote occurs everywhere.
pub fn periodic_near_misses(chars: usize, claims: usize) -> Workload {
    let article = Article::new("periodic", &"ab".repeat(chars / 2));
    let mut rng = Rng(7);
    let anchors = runs_of(&article, "ab", (0..claims).map(|_| 20 + rng.below(200)))
        .into_iter()
        .map(|mut a| {
            let mut chars: Vec<char> = a.exact.chars().collect();
            let at = rng.below(chars.len());
            chars[at] = 'c';
            a.exact = chars.into_iter().collect();
            a.end -= 1;
            a
        })
        .collect::<Vec<_>>();
    Workload {
        old: None,
        name: "periodic near misses",
        wants: vec![Want::Suggestion; anchors.len()],
        article,
        anchors,
    }
}

/// Newspaper-like text of about `bytes` bytes (ASCII, so chars are bytes).
pub fn words(bytes: usize, seed: u64) -> String {
    const WORDS: [&str; 24] = [
        "the",
        "talks",
        "said",
        "officials",
        "the",
        "ceasefire",
        "envoy",
        "report",
        "denied",
        "Tuesday",
        "border",
        "of",
        "the",
        "minister",
        "agreed",
        "to",
        "release",
        "prisoners",
        "and",
        "the",
        "peace",
        "plan",
        "was",
        "rejected",
    ];
    let mut rng = Rng(seed);
    let mut text = String::with_capacity(bytes + 200);
    while text.len() < bytes {
        for _ in 0..8 + rng.below(30) {
            text.push_str(WORDS[rng.below(WORDS.len())]);
            text.push_str(if rng.chance(9) { ". " } else { " " });
        }
        text.push_str(&format!("{}.\n\n", rng.below(100_000)));
    }
    text
}

/// `article` with a paragraph added at the top, and each claim's range there.
fn with_paragraph_on_top(text: &str, ranges: &[Range<usize>]) -> (Article, Vec<Want>) {
    let top = "Editor's note: this article was updated with new figures.\n\n";
    let shift = top.chars().count();
    let wants = ranges
        .iter()
        .map(|r| Want::At(r.start + shift..r.end + shift))
        .collect();
    (Article::new("edited", &format!("{top}{text}")), wants)
}

/// `claims` claims on the word "the" (several on each occurrence when there
/// are fewer), after a paragraph was added at the top.
pub fn one_common_word(bytes: usize, claims: usize) -> Workload {
    let text = words(bytes, 3);
    let original = Article::new("original", &text);
    let occurrences: Vec<usize> = text.match_indices(" the ").map(|(at, _)| at + 1).collect();
    let ranges: Vec<Range<usize>> = (0..claims)
        .map(|i| {
            let at = occurrences[(i * 7919) % occurrences.len()];
            at..at + 3
        })
        .collect();
    let anchors = ranges
        .iter()
        .map(|r| Anchor::capture(&original, r.clone()))
        .collect();
    let (article, wants) = with_paragraph_on_top(&text, &ranges);
    Workload {
        old: None,
        name: "claims on one common word",
        article,
        anchors,
        wants,
    }
}

/// `claims` claims of `quote` chars each, spread over an article of `bytes`
/// bytes, after a paragraph was added at the top: with 200,000 claims of 80
/// chars on 64 MB, the most quote text and article a file may have.
pub fn many_quotes(bytes: usize, claims: usize, quote: usize) -> Workload {
    let text = words(bytes, 11);
    let original = Article::new("original", &text);
    let stride = (text.len() - quote) / claims;
    let ranges: Vec<Range<usize>> = (0..claims)
        .map(|i| i * stride..i * stride + quote)
        .collect();
    let anchors = ranges
        .iter()
        .map(|r| Anchor::capture(&original, r.clone()))
        .collect();
    let (article, wants) = with_paragraph_on_top(&text, &ranges);
    Workload {
        old: None,
        name: "many quotes",
        article,
        anchors,
        wants,
    }
}

/// Claims on the word "cat" of a periodic article, each with 1 KB of context
/// on both sides (the most a file may store): every other claim's context is
/// the article's own, the others' matches nothing, so that every occurrence
/// near them is compared by edit distance over the whole context.
pub fn huge_contexts(chars: usize, claims: usize) -> Workload {
    let unit = "the cat sat. ";
    let article = Article::new("periodic", &unit.repeat(chars / unit.len()));
    let mut rng = Rng(5);
    let stride = article.char_count() / claims.max(1);
    let anchors = (0..claims)
        .map(|i| {
            // Where a "cat" starts, at least a context's length from either end.
            let start =
                (1100 + i * stride).min(article.char_count() - 1100) / unit.len() * unit.len() + 4;
            let (prefix, suffix) = if i % 2 == 0 {
                let prefix = article.slice(start - 1024..start).to_owned();
                (
                    prefix,
                    article.slice(start + 3..start + 3 + 1024).to_owned(),
                )
            } else {
                let mut noise = || -> String {
                    (0..1024)
                        .map(|_| char::from(b'a' + rng.below(26) as u8))
                        .collect()
                };
                (noise(), noise())
            };
            Anchor {
                start,
                end: start + 4,
                exact: "cat".into(),
                prefix,
                suffix,
            }
        })
        .collect::<Vec<_>>();
    Workload {
        old: None,
        name: "huge contexts",
        wants: vec![Want::Verbatim; anchors.len()],
        article,
        anchors,
    }
}

/// An article of `words` four-letter words from a vocabulary of 50, and a
/// version of it with one word in ten replaced by another of the vocabulary,
/// so every claim keeps its offsets: the input a diff is slowest on (every
/// token common, no unique one to cut at; 100,000 such words took imara-diff
/// 10 s before the diff had a budget). Each claim, of 2 to 6 words, belongs
/// at its own range (exact when no word of it changed, else fuzzy there).
pub fn small_vocabulary_through_a_diff(words: usize, claims: usize) -> Workload {
    let vocabulary: Vec<String> = (0..50u8)
        .map(|i| {
            [i % 5, i / 5 % 5, i / 25, i % 7 % 5]
                .iter()
                .map(|&k| char::from(b'a' + k))
                .collect()
        })
        .collect();
    let mut rng = Rng(17);
    let old: Vec<&str> = (0..words).map(|_| rng.pick(&vocabulary).as_str()).collect();
    let new: Vec<&str> = old
        .iter()
        .map(|&w| {
            if rng.chance(10) {
                rng.pick(&vocabulary).as_str()
            } else {
                w
            }
        })
        .collect();
    let original = Article::new("original", &old.join(" "));
    let stride = words / claims.max(1);
    // Word k starts at char 5k.
    let ranges: Vec<Range<usize>> = (0..claims)
        .map(|i| {
            let first = i * stride;
            let last = (first + 1 + rng.below(5)).min(words - 1);
            5 * first..5 * last + 4
        })
        .collect();
    Workload {
        name: "small vocabulary through a diff",
        anchors: ranges
            .iter()
            .map(|r| Anchor::capture(&original, r.clone()))
            .collect(),
        wants: ranges.into_iter().map(Want::At).collect(),
        old: Some(original),
        article: Article::new("edited", &new.join(" ")),
    }
}

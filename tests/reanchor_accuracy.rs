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

use edits::{Splice, Tally, apply, check, expectation};
use factmark::anchor;
use factmark::model::{Anchor, Article};
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

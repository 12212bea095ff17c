//! Taking in annotations from other tools: Hypothesis API JSON (UTF-16
//! positions, turned into code points; every claim placed by its quote, a
//! stale position or not) and factmark's own W3C export (a round trip keeps
//! claims, statuses, verdicts, stances, notes and evidence).

use factmark::format;
use factmark::model::{
    AnchorState, AnnotationSet, Detail, Edit, EditContext, Evidence, Rating, RatingId, Stance,
    Status, Verdict,
};
use std::path::{Path, PathBuf};

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn hypothesis_search_results_become_claims_placed_by_their_quotes() {
    let article = format::load_article(&repo_file("tests/fixtures/hypothesis/article.txt"))
        .unwrap_or_else(|e| panic!("{e}"));
    let json = std::fs::read_to_string(repo_file("tests/fixtures/hypothesis/search.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let imported = factmark::import::import(&json, article).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.annotations, 3);
    let claims = imported.set.claims();
    assert_eq!(claims.len(), 2, "the page note has no quote");
    let text: Vec<char> = imported.set.article.text().chars().collect();
    for claim in claims {
        let span = claim
            .span()
            .unwrap_or_else(|| panic!("{} placed", claim.id));
        let found: String = text[span.clone()].iter().collect();
        assert_eq!(found, claim.anchor.exact, "{}", claim.id);
    }
    let by_quote = |q: &str| claims.iter().find(|c| c.anchor.exact == q);
    let emoji = by_quote("satisfactory").unwrap_or_else(|| panic!("satisfactory"));
    // UTF-16 position converted: the emoji is one code point but two units.
    assert_eq!(emoji.anchor_state, AnchorState::Exact);
    assert_eq!(
        (emoji.note.as_str(), emoji.author.as_str()),
        ("Russia's word for it.", "erin")
    );
    assert_eq!(emoji.id.0, "i-ann-emoji");
    let stale = by_quote("Ukraine strongly disagreed").unwrap_or_else(|| panic!("stale"));
    assert!(
        matches!(stale.anchor_state, AnchorState::Moved { .. }),
        "re-anchored on the quote, not trusted by position: {:?}",
        stale.anchor_state
    );
    assert!(
        imported
            .left_out
            .keys()
            .any(|k| k.contains("without a quote"))
    );
    assert!(
        imported
            .left_out
            .keys()
            .any(|k| k.contains("tags (russia, talks)"))
    );
}

fn rated() -> AnnotationSet {
    let mut set = format::load_annotations(&repo_file("saves/peace-talks.ron"), None)
        .unwrap_or_else(|e| panic!("{e}"))
        .set;
    let ctx = EditContext {
        author: "t".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    let first = set.claims()[0].id.clone();
    let second = set.claims()[1].id.clone();
    let third = set.claims()[2].id.clone();
    let ukraine = set.parties()[1].id.clone();
    // A rating of the desk's own comes back by its label.
    let pants = Rating::labelled("Pants on fire", set.ratings());
    for edit in [
        Edit::AddRating {
            rating: pants.clone(),
            index: None,
        },
        Edit::SetVerdict {
            claim: third,
            verdict: Some(Verdict {
                rating: pants.id.clone(),
                explanation: "No truce was even discussed.".into(),
            }),
        },
        Edit::SetVerdict {
            claim: first.clone(),
            verdict: Some(Verdict {
                rating: RatingId("false".into()),
                explanation: "Both said: it ended early.".into(),
            }),
        },
        Edit::SetVerdict {
            claim: second.clone(),
            verdict: Some(Verdict {
                rating: RatingId("unproven".into()),
                explanation: String::new(),
            }),
        },
        Edit::AddEvidence {
            claim: first,
            evidence: Evidence {
                url: "https://evidence.example/statement".into(),
                quote: "“nothing was agreed”".into(),
                supports: None,
            },
        },
        Edit::SetStance {
            claim: second,
            party: ukraine,
            stance: Some(Stance::Disputes),
        },
        Edit::SetDetail {
            detail: Detail::Url,
            value: "https://news.example/talks".into(),
        },
    ] {
        set.apply(edit, &ctx).unwrap_or_else(|e| panic!("{e}"));
    }
    set
}

/// What a claim holds, with parties by name (ids may differ after import).
fn content(set: &AnnotationSet) -> Vec<String> {
    set.claims()
        .iter()
        .map(|c| {
            let stances: Vec<String> = c
                .stances
                .iter()
                .map(|(p, s)| format!("{} {}", set.party_name(p), s.label()))
                .collect();
            let evidence: Vec<String> = c
                .evidence
                .iter()
                .map(|e| format!("{}|{}", e.url, e.quote))
                .collect();
            let verdict = c.verdict.as_ref().map(|v| {
                let label = set.verdict_label(Some(v));
                format!("{label}: {}", v.explanation)
            });
            format!(
                "{} {:?} {:?} {verdict:?} claimant={:?} stances={stances:?} note={:?} evidence={evidence:?}",
                c.id,
                c.span(),
                c.status,
                c.claimant.as_ref().map(|p| set.party_name(p)),
                c.note,
            )
        })
        .collect()
}

#[test]
fn factmarks_own_w3c_export_comes_back_as_the_same_claims() {
    let set = rated();
    let exported = factmark::export::w3c::export(&set);
    let imported = factmark::import::import(&exported.text, set.article.clone())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(content(&imported.set), content(&set));
    assert!(imported.left_out.is_empty(), "{:?}", imported.left_out);
    assert!(
        imported
            .set
            .claims()
            .iter()
            .all(|c| c.anchor_state == AnchorState::Exact),
        "every claim where it was"
    );
    // Statuses a person chose come back as chosen.
    assert!(
        imported
            .set
            .claims()
            .iter()
            .any(|c| c.status == Status::Disputed)
    );
}

#[test]
fn the_command_line_imports_into_a_new_file_and_never_over_one() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("imported.ron");
    let run = |out: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_factmark"))
            .args(["import"])
            .arg(repo_file("tests/fixtures/hypothesis/search.json"))
            .arg("--article")
            .arg(repo_file("tests/fixtures/hypothesis/article.txt"))
            .arg("-o")
            .arg(out)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let first = run(&out);
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        said.starts_with("3 annotations read, 2 claims written"),
        "{said}"
    );
    assert!(said.contains("1 exact, 1 moved"), "{said}");
    let loaded = format::load_annotations(&out, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.set.claims().len(), 2);
    let again = run(&out);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
}

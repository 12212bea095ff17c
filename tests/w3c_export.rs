//! `factmark export --to w3c` against the W3C's own Web Annotation test
//! assertions (`tests/fixtures/web-annotation-tests`), run by a real JSON
//! Schema draft-04 validator with its format checkers (`tests/w3c/validate.py`:
//! Python's `jsonschema`, with `rfc3987` so that `uri` is checked too). Every
//! MUST assertion holds for the example files and a generated 10,000-claim
//! file; the SHOULD and MAY ones met are printed. A broken annotation fails,
//! so the check is real.

use factmark::model::{
    AnnotationSet, Article, Detail, Document, Edit, EditContext, Evidence, RatingId, Stance,
    Verdict, default_scale,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs the validator; its report, and whether every MUST held.
fn validate(annotations: &str, musts_only: bool) -> (bool, String) {
    // The first Python that has both (a user's own, or the system's).
    let python = ["python3", "/usr/bin/python3"].into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import jsonschema, rfc3987"])
            .output()
            .is_ok_and(|out| out.status.success())
    });
    let python = python.unwrap_or_else(|| {
        panic!(
            "the W3C check needs Python 3 with jsonschema and rfc3987 \
             (apt-get install python3-jsonschema python3-rfc3987)"
        )
    });
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("annotations.json");
    std::fs::write(&file, annotations).unwrap_or_else(|e| panic!("{e}"));
    let mut command = Command::new(python);
    command
        .arg(repo_file("tests/w3c/validate.py"))
        .arg(repo_file("tests/fixtures/web-annotation-tests"))
        .arg(&file);
    if musts_only {
        command.arg("--musts-only");
    }
    let out = command.output().unwrap_or_else(|e| panic!("{e}"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), report)
}

fn ctx() -> EditContext {
    EditContext {
        author: "Ada Lovelace".into(),
        now: "2026-11-25T10:00:00Z"
            .parse()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
    }
}

/// The reference article with `n` claims spread over it, each with a status,
/// a verdict, the parties' stances, a note and evidence.
fn generated(n: usize) -> AnnotationSet {
    let text = factmark::format::REFERENCE_ARTICLE;
    let mut doc = Document::new(AnnotationSet::new(Article::new("Peace talks", text)));
    let ctx = ctx();
    for name in ["Russia", "Ukraine"] {
        let party = doc.set().new_party(name);
        doc.apply(Edit::AddParty { party, index: None }, &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    doc.apply(
        Edit::SetDetail {
            detail: Detail::Url,
            value: "https://news.example/2026/peace-talks".into(),
        },
        &ctx,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let chars = doc.set().article.char_count();
    let parties: Vec<_> = doc.set().parties().iter().map(|p| p.id.clone()).collect();
    for i in 0..n {
        let start = (i * 37) % (chars - 40);
        let claim = doc
            .set()
            .new_claim(start..start + 5 + i % 30, &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
        let id = claim.id.clone();
        let rating = &default_scale()[i % default_scale().len()];
        let edits = vec![
            Edit::AddClaim(Box::new(claim)),
            Edit::SetStance {
                claim: id.clone(),
                party: parties[i % 2].clone(),
                stance: Some(if i % 3 == 0 {
                    Stance::Disputes
                } else {
                    Stance::Agrees
                }),
            },
            Edit::SetVerdict {
                claim: id.clone(),
                verdict: Some(Verdict {
                    rating: rating.id.clone(),
                    explanation: format!("Claim {i}: rated {}", rating.label),
                }),
            },
            Edit::SetNote {
                claim: id.clone(),
                note: "Checked against the delegations' statements.".into(),
            },
            Edit::AddEvidence {
                claim: id,
                evidence: Evidence {
                    url: format!("https://evidence.example/{i}"),
                    quote: "“nothing was agreed”".into(),
                    supports: Some(parties[1].clone()),
                },
            },
        ];
        doc.apply(Edit::Batch(edits), &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    doc.set().clone()
}

#[test]
fn the_example_files_meet_every_must_assertion() {
    let example = factmark::format::load_annotations(&repo_file("saves/peace-talks.ron"), None)
        .unwrap_or_else(|e| panic!("{e}"))
        .set;
    let mut rated = generated(12);
    // A verdict without an explanation, and a claimant.
    let id = rated.claims()[0].id.clone();
    let russia = rated.parties()[0].id.clone();
    for edit in [
        Edit::SetVerdict {
            claim: id.clone(),
            verdict: Some(Verdict {
                rating: RatingId("unproven".into()),
                explanation: String::new(),
            }),
        },
        Edit::SetClaimant {
            claim: id,
            party: Some(russia),
        },
    ] {
        rated.apply(edit, &ctx()).unwrap_or_else(|e| panic!("{e}"));
    }
    for (name, set) in [("saves/peace-talks.ron", &example), ("a rated set", &rated)] {
        let exported = factmark::export::w3c::export(set);
        assert_eq!(exported.written, set.claims().len(), "{name}");
        let (ok, report) = validate(&exported.text, false);
        println!("{name}:\n{report}");
        assert!(ok, "{name}: {report}");
        assert!(report.contains("0 MUST assertions failed"), "{report}");
    }
}

#[test]
fn ten_thousand_claims_meet_every_must_assertion() {
    let set = generated(10_000);
    let exported = factmark::export::w3c::export(&set);
    assert_eq!(exported.written, 10_000);
    let (ok, report) = validate(&exported.text, true);
    let summary = report.lines().last().unwrap_or_default();
    println!("{summary}");
    assert!(ok, "{report}");
}

#[test]
fn a_broken_annotation_fails_the_check() {
    let set = generated(2);
    let exported = factmark::export::w3c::export(&set);
    let mut annotations: Vec<serde_json::Value> =
        serde_json::from_str(&exported.text).unwrap_or_else(|e| panic!("{e}"));
    // No @context, and a target that is not a URI.
    if let Some(first) = annotations[0].as_object_mut() {
        first.remove("@context");
    }
    annotations[1]["target"]["source"] = serde_json::json!("not a uri");
    let broken = serde_json::to_string(&annotations).unwrap_or_default();
    let (ok, report) = validate(&broken, true);
    assert!(!ok, "{report}");
    assert!(report.contains("FAILED on annotation 0"), "{report}");
    assert!(report.contains("FAILED on annotation 1"), "{report}");
}

//! `factmark export --to claimreview` checked against schema.org's own
//! vocabulary, release 30.0 (`tests/fixtures/schemaorg/`, CC BY-SA 3.0):
//! every node's `@type` is a schema.org type; every property is a
//! schema.org property, not superseded, whose domain holds the node's type
//! or one of its supertypes (`rdfs:subClassOf`); every value is one its
//! range holds: a node of a range type or a subtype, or data of a range
//! data type's form (Text: any string; URL: an absolute address; Date,
//! DateTime, Time: ISO 8601; Number, Float: a JSON number; Integer: a whole
//! one; Boolean: a JSON boolean). Broken nodes are refused, so the check is
//! real.
//!
//! It is stricter than schema.org's data model, which tolerates text, a URL
//! or a Role where a Thing is expected: factmark writes a typed node there,
//! so a string would be a change to notice. It does not know enumeration
//! members as values, nor the data types no ClaimReview needs
//! (CssSelectorType, XPathType, PronounceableText): such a value is
//! refused. Terms of pending.schema.org are allowed (Google's ClaimReview
//! uses some) and listed, so that using a new one is a choice.
//!
//! Google's markup page (`--to markup-page`) is not checked: it is the shape
//! of Google's Fact Check Tools API (`pageUrl`, `claimReviewMarkups`), not
//! schema.org JSON-LD.

use factmark::export::Format;
use factmark::model::{
    AnnotationSet, Article, Detail, Edit, EditContext, PartyId, Publisher, RatingId, Verdict,
};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

/// schema.org's types and properties, as its vocabulary file states them.
struct Vocabulary {
    /// Each type and its direct supertypes.
    types: HashMap<String, Vec<String>>,
    /// The types that are data types (Text, Date, …) rather than node types.
    data_types: HashSet<String>,
    properties: HashMap<String, Property>,
    /// Terms of pending.schema.org: not yet stable.
    pending: HashSet<String>,
}

struct Property {
    domain: Vec<String>,
    range: Vec<String>,
    superseded_by: Vec<String>,
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    let text = include_str!("fixtures/schemaorg/schemaorg-current-https.jsonld");
    let file: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("vocabulary: {e}"));
    Vocabulary::from_graph(file["@graph"].as_array().map_or(&[], Vec::as_slice))
});

/// The schema.org names among the ids of `value` (one `{"@id": …}` or a
/// list of them); terms of other vocabularies are left out.
fn schema_ids(value: &Value) -> Vec<String> {
    let id = |v: &Value| {
        v["@id"]
            .as_str()?
            .strip_prefix("schema:")
            .map(str::to_owned)
    };
    match value {
        Value::Array(items) => items.iter().filter_map(id).collect(),
        one => id(one).into_iter().collect(),
    }
}

/// The strings of a JSON-LD `@type`: one, or a list.
fn type_names(value: &Value) -> Vec<&str> {
    match value {
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        one => one.as_str().into_iter().collect(),
    }
}

impl Vocabulary {
    fn from_graph(graph: &[Value]) -> Self {
        let mut vocabulary = Vocabulary {
            types: HashMap::new(),
            data_types: HashSet::new(),
            properties: HashMap::new(),
            pending: HashSet::new(),
        };
        for term in graph {
            let Some(name) = term["@id"]
                .as_str()
                .and_then(|id| id.strip_prefix("schema:"))
            else {
                continue;
            };
            let kinds = type_names(&term["@type"]);
            if kinds.contains(&"rdfs:Class") {
                let supertypes = schema_ids(&term["rdfs:subClassOf"]);
                vocabulary.types.insert(name.to_owned(), supertypes);
                if kinds.contains(&"schema:DataType") {
                    vocabulary.data_types.insert(name.to_owned());
                }
            } else if kinds == ["rdf:Property"] {
                let property = Property {
                    domain: schema_ids(&term["schema:domainIncludes"]),
                    range: schema_ids(&term["schema:rangeIncludes"]),
                    superseded_by: schema_ids(&term["schema:supersededBy"]),
                };
                vocabulary.properties.insert(name.to_owned(), property);
            }
            if term["schema:isPartOf"]["@id"] == "https://pending.schema.org" {
                vocabulary.pending.insert(name.to_owned());
            }
        }
        vocabulary
    }

    /// Whether `ty` is `ancestor` or one of its subtypes.
    fn is_a(&self, ty: &str, ancestor: &str) -> bool {
        let mut todo = vec![ty];
        let mut seen = HashSet::new();
        while let Some(t) = todo.pop() {
            if t == ancestor {
                return true;
            }
            if seen.insert(t) {
                todo.extend(self.types.get(t).into_iter().flatten().map(String::as_str));
            }
        }
        false
    }

    /// Whether `ty` is a data type or a subtype of one (URL is a Text).
    fn is_data_type(&self, ty: &str) -> bool {
        self.data_types.iter().any(|d| self.is_a(ty, d))
    }

    /// Checks a JSON-LD document: one top-level node or a list of them.
    fn check(&self, document: &Value) -> Report {
        let mut report = Report::default();
        let nodes: Vec<(String, &Value)> = match document {
            Value::Array(nodes) => (nodes.iter().enumerate())
                .map(|(i, node)| (format!("[{i}]"), node))
                .collect(),
            node => vec![(String::new(), node)],
        };
        for (path, node) in nodes {
            if node["@context"] != "https://schema.org" {
                report.problem(&path, "@context is not https://schema.org");
            }
            self.check_node(node, &path, &mut report);
        }
        report
    }

    /// Checks one node and, through its values, every node inside it.
    fn check_node(&self, node: &Value, path: &str, report: &mut Report) {
        let Some(fields) = node.as_object() else {
            return report.problem(path, "is not a node");
        };
        let types = type_names(fields.get("@type").unwrap_or(&Value::Null));
        if types.is_empty() {
            report.problem(path, "has no @type");
        }
        for ty in &types {
            if !self.types.contains_key(*ty) || self.is_data_type(ty) {
                report.problem(path, &format!("{ty} is not a schema.org type"));
            } else {
                report.used(self, ty);
            }
        }
        for (name, value) in fields {
            let at = format!("{path}.{name}");
            match name.as_str() {
                // The context is checked on the top-level node, where it belongs.
                "@type" => continue,
                "@context" if !path.contains('.') => continue,
                _ if name.starts_with('@') => {
                    report.problem(&at, "is a JSON-LD keyword a ClaimReview has no use for");
                    continue;
                }
                _ => {}
            }
            let Some(property) = self.properties.get(name) else {
                report.problem(&at, &format!("{name} is not a schema.org property"));
                continue;
            };
            report.used(self, name);
            if !property.superseded_by.is_empty() {
                let by = property.superseded_by.join(", ");
                report.problem(&at, &format!("{name} is superseded by {by}"));
            }
            let in_domain = property
                .domain
                .iter()
                .any(|domain| types.iter().any(|ty| self.is_a(ty, domain)));
            if !in_domain {
                let domain = property.domain.join(", ");
                let types = types.join(", ");
                report.problem(
                    &at,
                    &format!("{name} is not a property of {types} (its domain: {domain})"),
                );
            }
            // Any property may have several values: a JSON-LD list.
            let values: Vec<(String, &Value)> = match value {
                Value::Array(values) => (values.iter().enumerate())
                    .map(|(i, value)| (format!("{at}[{i}]"), value))
                    .collect(),
                one => vec![(at, one)],
            };
            for (at, value) in values {
                self.check_value(value, &property.range, &at, report);
            }
        }
    }

    /// Checks that `value` is in `range` (and, for a node, what it holds).
    fn check_value(&self, value: &Value, range: &[String], path: &str, report: &mut Report) {
        let fits = if value.is_object() {
            let types = type_names(&value["@type"]);
            range
                .iter()
                .any(|r| !self.is_data_type(r) && types.iter().any(|ty| self.is_a(ty, r)))
        } else {
            range.iter().any(|r| data_fits(value, r))
        };
        if !fits {
            let range = range.join(", ");
            report.problem(path, &format!("{value} is not in the range {range}"));
        }
        if value.is_object() {
            self.check_node(value, path, report);
        }
    }
}

/// Whether a value that is not a node has the form of data type `range`.
fn data_fits(value: &Value, range: &str) -> bool {
    match (range, value) {
        ("Text", Value::String(_)) => true,
        ("URL", Value::String(s)) => url::Url::parse(s).is_ok(),
        ("Date", Value::String(s)) => s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok(),
        ("DateTime", Value::String(s)) => {
            s.parse::<jiff::Timestamp>().is_ok() || s.parse::<jiff::civil::DateTime>().is_ok()
        }
        ("Time", Value::String(s)) => s.parse::<jiff::civil::Time>().is_ok(),
        ("Number" | "Float", Value::Number(_)) => true,
        ("Integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        ("Boolean", Value::Bool(_)) => true,
        _ => false,
    }
}

/// What a check found: each problem with the path to it, and the
/// schema.org terms used.
#[derive(Default)]
struct Report {
    problems: Vec<String>,
    types: BTreeSet<String>,
    pending: BTreeSet<String>,
}

impl Report {
    fn problem(&mut self, path: &str, what: &str) {
        self.problems.push(format!("{path}: {what}"));
    }

    fn used(&mut self, vocabulary: &Vocabulary, term: &str) {
        if vocabulary.types.contains_key(term) {
            self.types.insert(term.to_owned());
        }
        if vocabulary.pending.contains(term) {
            self.pending.insert(term.to_owned());
        }
    }
}

/// The seed article with verdicts on two claims, the first asserted by a
/// party, and the article's details a fact-check cites.
fn rated_set() -> AnnotationSet {
    let parsed = factmark::format::from_ron(include_str!("../saves/peace-talks.ron"))
        .unwrap_or_else(|e| panic!("{e}"));
    let article = Article::new("", include_str!("../assets/articles/peace-talks.txt"));
    let (mut set, _) = parsed.bind(article);
    let ctx = EditContext {
        author: "t".into(),
        now: "2026-11-25T10:00:00Z"
            .parse()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
    };
    let ids: Vec<_> = set.claims().iter().map(|c| c.id.clone()).collect();
    let mut edits = vec![Edit::SetClaimant {
        claim: ids[0].clone(),
        party: Some(PartyId("russia".into())),
    }];
    for (claim, rating, why) in [
        (
            &ids[0],
            "false",
            "Both delegations said the talks ended early.",
        ),
        (&ids[1], "unproven", ""),
    ] {
        edits.push(Edit::SetVerdict {
            claim: claim.clone(),
            verdict: Some(Verdict {
                rating: RatingId(rating.into()),
                explanation: why.into(),
            }),
        });
    }
    for (detail, value) in [
        (Detail::Url, "https://news.example/2026/peace-talks"),
        (Detail::Published, "2026-11-24T08:30:00+01:00"),
        (Detail::SiteName, "Example News"),
        (Detail::Byline, "A. Reporter"),
    ] {
        edits.push(Edit::SetDetail {
            detail,
            value: value.into(),
        });
    }
    for edit in edits {
        set.apply(edit, &ctx).unwrap_or_else(|e| panic!("{e}"));
    }
    set
}

/// The rated set's ClaimReview, parsed.
fn exported_reviews() -> Value {
    let publisher = Publisher::new(
        "Example Checks".into(),
        "https://factcheck.example/peace-talks#{id}".into(),
    );
    let exported = factmark::export::export(&rated_set(), Format::Claimreview, Some(&publisher))
        .unwrap_or_else(|e| panic!("{e}"));
    // The reference file's four verdicts, one replaced, and one more.
    assert_eq!(exported.written, 5, "a review per verdict");
    serde_json::from_str(&exported.text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn claimreview_uses_schema_org_terms_only_where_the_vocabulary_allows_them() {
    let reviews = exported_reviews();
    let report = VOCABULARY.check(&reviews);
    assert!(report.problems.is_empty(), "{}", report.problems.join("\n"));
    // Every kind of node the export writes was walked into.
    let types: Vec<&str> = report.types.iter().map(String::as_str).collect();
    assert_eq!(
        types,
        [
            "Claim",
            "ClaimReview",
            "CreativeWork",
            "Organization",
            "Person",
            "Rating"
        ]
    );
    // Google's ClaimReview needs these; schema.org has not made them stable yet.
    let pending: Vec<&str> = report.pending.iter().map(String::as_str).collect();
    assert_eq!(
        pending,
        [
            "Claim",
            "appearance",
            "firstAppearance",
            "ratingExplanation"
        ]
    );
}

/// Details typed by hand in no standard form are left out of the markup
/// rather than published as values the vocabulary does not allow.
#[test]
fn details_typed_in_no_standard_form_stay_out_of_the_markup() {
    let mut set = rated_set();
    let ctx = EditContext {
        author: "t".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    for (detail, value) in [
        (Detail::Published, "24/11/2026"),
        (Detail::Url, "news.example/2026/peace-talks"),
    ] {
        let edit = Edit::SetDetail {
            detail,
            value: value.into(),
        };
        set.apply(edit, &ctx).unwrap_or_else(|e| panic!("{e}"));
    }
    let publisher = Publisher::new("Desk".into(), "https://desk.example/{id}".into());
    let exported = factmark::export::export(&set, Format::Claimreview, Some(&publisher))
        .unwrap_or_else(|e| panic!("{e}"));
    let reviews: Value = serde_json::from_str(&exported.text).unwrap_or_else(|e| panic!("{e}"));
    let report = VOCABULARY.check(&reviews);
    assert!(report.problems.is_empty(), "{}", report.problems.join("\n"));
    let item = &reviews[0]["itemReviewed"];
    assert!(
        item["datePublished"].is_null() && item["appearance"].is_null(),
        "{item}"
    );
}

/// What is broken, how (on the first review), and the problem it must give.
type Breakage = (&'static str, fn(&mut Value), &'static str);

#[test]
fn the_check_refuses_what_the_vocabulary_does_not_allow() {
    let reviews = exported_reviews();
    let breakages: [Breakage; 11] = [
        (
            "an invented property",
            |r| r["verdictColour"] = json!("red"),
            "[0].verdictColour: verdictColour is not a schema.org property",
        ),
        (
            "a property on the wrong type",
            |r| r["itemReviewed"]["ratingValue"] = json!(1),
            "[0].itemReviewed.ratingValue: ratingValue is not a property of Claim",
        ),
        (
            "a property inherited by no type of the node",
            |r| r["author"]["headline"] = json!("Checks"),
            "[0].author.headline: headline is not a property of Organization",
        ),
        (
            "a superseded property",
            |r| r["itemReviewed"]["isBasedOnUrl"] = json!("https://news.example/"),
            "[0].itemReviewed.isBasedOnUrl: isBasedOnUrl is superseded by isBasedOn",
        ),
        (
            "an invented type",
            |r| r["author"]["@type"] = json!("Newsroom"),
            "[0].author: Newsroom is not a schema.org type",
        ),
        (
            "a data type as a node's type",
            |r| r["reviewRating"]["@type"] = json!("Text"),
            "[0].reviewRating: Text is not a schema.org type",
        ),
        (
            "a node outside the range",
            |r| r["author"] = json!({ "@type": "Rating", "ratingValue": 1 }),
            "[0].author: {\"@type\":\"Rating\",\"ratingValue\":1} is not in the range Organization, Person",
        ),
        (
            "text where a node is expected",
            |r| r["reviewRating"] = json!("False"),
            "[0].reviewRating: \"False\" is not in the range Rating",
        ),
        (
            "a date that is not ISO 8601",
            |r| r["datePublished"] = json!("25 November 2026"),
            "[0].datePublished: \"25 November 2026\" is not in the range Date, DateTime",
        ),
        (
            "an address that is not a URL",
            |r| r["itemReviewed"]["appearance"][0]["url"] = json!("news.example/peace-talks"),
            "[0].itemReviewed.appearance[0].url: \"news.example/peace-talks\" is not in the range URL",
        ),
        (
            "a node without a type",
            |r| r["reviewRating"] = json!({ "alternateName": "False" }),
            "[0].reviewRating: has no @type",
        ),
    ];
    for (what, breaks, expected) in breakages {
        let mut broken = reviews.clone();
        breaks(&mut broken[0]);
        let report = VOCABULARY.check(&broken);
        assert!(
            report.problems.iter().any(|p| p.starts_with(expected)),
            "{what}: expected {expected:?}, found:\n{}",
            report.problems.join("\n")
        );
    }
    // One break is one problem: the rest of the export is still clean.
    let mut broken = reviews.clone();
    broken[0]["verdictColour"] = json!("red");
    assert_eq!(VOCABULARY.check(&broken).problems.len(), 1);
}

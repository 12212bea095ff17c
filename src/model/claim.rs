//! Claims, parties, stances, statuses and evidence: the annotation vocabulary.

use super::Article;
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

/// How many chars of context an anchor keeps on each side of its quote.
pub const CONTEXT_CHARS: usize = 32;

/// Stable identifier of a party, e.g. `russia`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartyId(pub String);

/// Stable identifier of a claim, e.g. `c-7f3a19b2`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClaimId(pub String);

impl fmt::Display for PartyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for ClaimId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An sRGB colour; the model stays free of any GUI colour type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// Parses `#rrggbb` (the `#` is optional).
    pub fn from_hex(hex: &str) -> Option<Self> {
        let hex = hex.trim().strip_prefix('#').unwrap_or(hex.trim());
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Self([channel(0)?, channel(2)?, channel(4)?]))
    }

    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// Colours handed out to new parties in turn; distinct in light and dark themes.
pub const PARTY_PALETTE: [Rgb; 8] = [
    Rgb([0xc0, 0x39, 0x2b]),
    Rgb([0x2e, 0x6f, 0xd8]),
    Rgb([0x27, 0xae, 0x60]),
    Rgb([0x8e, 0x44, 0xad]),
    Rgb([0xd3, 0x84, 0x00]),
    Rgb([0x16, 0xa0, 0x85]),
    Rgb([0x7f, 0x8c, 0x8d]),
    Rgb([0xe8, 0x43, 0x93]),
];

/// A party that asserts, agrees with or disputes claims (a country, person, outlet).
#[derive(Clone, Debug, PartialEq)]
pub struct Party {
    pub id: PartyId,
    pub name: String,
    pub color: Rgb,
    /// A person or an organisation (ClaimReview's claimant `author` type).
    pub kind: PartyKind,
    /// Set by a merge where the two sides disagree about this party; a
    /// person resolves it (keeps one version, or keeps or deletes the party).
    pub conflict: Option<PartyConflict>,
}

/// What kind of agent a party is. Most parties in the news are countries,
/// ministries and outlets, so a new party is an organisation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum PartyKind {
    #[default]
    Organization,
    /// A person, with their job title when recorded ("Foreign Minister").
    Person { job_title: String },
}

impl PartyKind {
    /// The schema.org type: `Person` or `Organization`.
    pub fn schema_type(&self) -> &'static str {
        match self {
            PartyKind::Organization => "Organization",
            PartyKind::Person { .. } => "Person",
        }
    }

    /// "organisation", "person" or "person, Foreign Minister".
    pub fn describe(&self) -> String {
        match (self, self.job_title()) {
            (PartyKind::Organization, _) => "organisation".to_owned(),
            (PartyKind::Person { .. }, None) => "person".to_owned(),
            (PartyKind::Person { .. }, Some(title)) => format!("person, {title}"),
        }
    }

    /// The job title, when this is a person who has one.
    pub fn job_title(&self) -> Option<&str> {
        match self {
            PartyKind::Person { job_title } if !job_title.trim().is_empty() => Some(job_title),
            _ => None,
        }
    }
}

impl Party {
    /// A party named `name` to join `others`: an id derived from the name
    /// (numbered when taken) and the first palette colour none of them has.
    pub fn named(name: &str, others: &[Party]) -> Party {
        let slug = super::slug(name);
        let base = if slug.is_empty() {
            "party".to_owned()
        } else {
            slug
        };
        let mut id = PartyId(base.clone());
        let mut n = 2;
        while others.iter().any(|p| p.id == id) {
            id = PartyId(format!("{base}-{n}"));
            n += 1;
        }
        let used: Vec<Rgb> = others.iter().map(|p| p.color).collect();
        let color = PARTY_PALETTE
            .iter()
            .copied()
            .find(|c| !used.contains(c))
            .unwrap_or(PARTY_PALETTE[others.len() % PARTY_PALETTE.len()]);
        Party {
            id,
            name: name.trim().to_owned(),
            color,
            kind: PartyKind::Organization,
            conflict: None,
        }
    }

    /// One version of a party for a person reading a conflict:
    /// `“Russia” (#c0392b, organisation)`.
    pub fn describe_version(name: &str, color: Rgb, kind: &PartyKind) -> String {
        format!("“{name}” ({}, {})", color.to_hex(), kind.describe())
    }

    /// False when the conflict mark records another version without a name
    /// (taking that version would leave the party nameless).
    pub(crate) fn conflict_names_filled(&self) -> bool {
        !matches!(&self.conflict, Some(PartyConflict::Theirs { name, .. }) if name.trim().is_empty())
    }
}

/// How the two sides of a merge disagree about a party (see [`Party::conflict`]).
#[derive(Clone, Debug, PartialEq)]
pub enum PartyConflict {
    /// Both changed (or both added) the party differently: the party holds
    /// our name, colour and kind, these are theirs.
    Theirs {
        name: String,
        color: Rgb,
        kind: PartyKind,
    },
    /// One side deleted the party while the other changed it or still uses
    /// it: it was kept.
    Deleted,
}

/// The fact-check verdict of a claim.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    #[default]
    Unreviewed,
    Agreed,
    Disputed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Unreviewed, Status::Agreed, Status::Disputed];

    pub fn label(self) -> &'static str {
        match self {
            Status::Unreviewed => "Unreviewed",
            Status::Agreed => "Agreed",
            Status::Disputed => "Disputed",
        }
    }
}

/// A party's position on a claim. No entry in the stance map means "no stance".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stance {
    Agrees,
    Disputes,
}

impl Stance {
    pub fn label(self) -> &'static str {
        match self {
            Stance::Agrees => "agrees",
            Stance::Disputes => "disputes",
        }
    }
}

/// The status the stances suggest: any dispute suggests Disputed; agreement from
/// every party that took a stance suggests Agreed; no stance suggests nothing.
pub fn suggested_status(stances: &BTreeMap<PartyId, Stance>) -> Status {
    if stances.values().any(|s| *s == Stance::Disputes) {
        Status::Disputed
    } else if stances.is_empty() {
        Status::Unreviewed
    } else {
        Status::Agreed
    }
}

/// A piece of evidence: a link and/or a quote, and the party it supports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evidence {
    pub url: String,
    pub quote: String,
    pub supports: Option<PartyId>,
}

impl Evidence {
    /// The URL if it is a web link safe to open in a browser (http or https
    /// only: never `javascript:`, `file:` or other schemes from shared files).
    pub fn web_link(&self) -> Option<&str> {
        let url = self.url.trim();
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        let web = lower.starts_with("http://") || lower.starts_with("https://");
        let clean = !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || is_invisible_format(c));
        (web && clean && url.len() > "https://".len()).then_some(url)
    }
}

/// Invisible characters that change how text around them is shown or hide
/// text (bidi overrides, zero-width marks, soft hyphens, tag characters, line
/// and paragraph separators): `…/\u{202e}gnp.exe` would read as `…/exe.png`.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{061c}' | '\u{feff}' | '\u{00ad}' | '\u{2028}' | '\u{2029}' | '\u{e0000}'..='\u{e007f}')
}

/// `text` as one plain line of at most `max` chars, for places outside
/// factmark's own drawing (the window title): control and invisible
/// characters become spaces, runs of spaces one, and a longer text is cut
/// with an ellipsis.
pub fn one_line(text: &str, max: usize) -> String {
    one_line_marked(text, max, &[]).0
}

/// [`one_line`] of `text` that shows `marks` (char ranges of `text`, in
/// order: what changed in a quote): a text longer than `max` starts a
/// quarter of `max` before the first mark, after an ellipsis, so a change
/// deep in a long quote is in view. Returns the line and where each mark
/// stands in it (char ranges; marks left empty or out of view are dropped).
pub fn one_line_marked(
    text: &str,
    max: usize,
    marks: &[Range<usize>],
) -> (String, Vec<Range<usize>>) {
    let from = match marks.iter().find(|m| !m.is_empty()) {
        Some(first) if text.chars().nth(max).is_some() => first.start.saturating_sub(max / 4),
        _ => 0,
    };
    let mut out = String::new();
    let mut chars = 0;
    if from > 0 {
        out.push('…');
        chars = 1;
    }
    // Where each char of `text` from `from` on stands in the line (a char
    // dropped: where the next one goes), and after the last one read.
    let mut at = Vec::new();
    let mut cut = false;
    for c in text.chars().skip(from) {
        let c = if c.is_control() || is_invisible_format(c) {
            ' '
        } else {
            c
        };
        at.push(chars);
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        if chars == max {
            at.pop();
            out.push('…');
            cut = true;
            break;
        }
        out.push(c);
        chars += 1;
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    let shown = out.chars().count() - usize::from(cut);
    at.push(chars.min(shown));
    let place = |i: usize| at[i.saturating_sub(from).min(at.len() - 1)].min(shown);
    let marks = marks
        .iter()
        .map(|m| place(m.start)..place(m.end))
        .filter(|m| !m.is_empty())
        .collect();
    (out, marks)
}

/// Where a claim sits in the article: a half-open char range plus the quoted
/// text and some context on either side, so it can be found again after edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Anchor {
    pub start: usize,
    pub end: usize,
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

impl Anchor {
    /// Captures the quote and its context for `range` of `article`.
    pub fn capture(article: &Article, range: Range<usize>) -> Self {
        let end = range.end.min(article.char_count());
        let start = range.start.min(end);
        let prefix_start = start.saturating_sub(CONTEXT_CHARS);
        let suffix_end = (end + CONTEXT_CHARS).min(article.char_count());
        Self {
            start,
            end,
            exact: article.slice(start..end).to_owned(),
            prefix: article.slice(prefix_start..start).to_owned(),
            suffix: article.slice(end..suffix_end).to_owned(),
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Whether the stored offsets still hold the quote in `article`.
    pub fn holds_in(&self, article: &Article) -> bool {
        self.end <= article.char_count()
            && self.start <= self.end
            && article.slice(self.range()) == self.exact
    }
}

/// Whether a claim's anchor was found in the article this session, and how.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum AnchorState {
    /// The stored offsets hold the quote.
    #[default]
    Exact,
    /// The quote was found unchanged elsewhere; `from` is the stored range.
    Moved { from: Range<usize> },
    /// Text like the quote was found at `at`, with small differences. Shown
    /// there, but not confirmed: the file keeps the old anchor until the user
    /// confirms. `score` is in 0..=1.
    Fuzzy { at: Range<usize>, score: f32 },
    /// The article is missing: the claim is shown at `at` in a stand-in text
    /// built from the claims' quotes and context, and its stored anchor is kept.
    Excerpt { at: Range<usize> },
    /// Not found with confidence: kept with its stored anchor, not shown in the article.
    Orphaned,
}

impl AnchorState {
    pub fn is_placed(&self) -> bool {
        !matches!(self, AnchorState::Orphaned)
    }

    pub fn label(&self) -> &'static str {
        match self {
            AnchorState::Exact => "exact",
            AnchorState::Moved { .. } => "moved",
            AnchorState::Fuzzy { .. } => "fuzzy",
            AnchorState::Excerpt { .. } => "excerpt",
            AnchorState::Orphaned => "orphaned",
        }
    }
}

/// Who chose a claim's status: the user, or the stance-based suggestion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusOrigin {
    #[default]
    Suggested,
    Chosen,
}

/// One annotated claim.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub id: ClaimId,
    pub anchor: Anchor,
    /// Runtime only: the result of locating the anchor in this article.
    pub anchor_state: AnchorState,
    pub status: Status,
    pub status_origin: StatusOrigin,
    pub claimant: Option<PartyId>,
    pub stances: BTreeMap<PartyId, Stance>,
    pub note: String,
    pub evidence: Vec<Evidence>,
    /// What the fact-checker concluded, once they have.
    pub verdict: Option<super::Verdict>,
    pub author: String,
    pub created: Timestamp,
    pub modified: Timestamp,
    /// Set by a merge: this claim and the one named conflict (both people
    /// changed it differently, or one deleted what the other changed) and a
    /// person should keep one. Names itself when the other side deleted it.
    pub conflict: Option<ClaimId>,
}

impl Claim {
    /// Every party this claim names: its claimant, the parties with a
    /// stance and those its evidence supports (a party named in several
    /// places comes once for each).
    pub fn named_parties(&self) -> impl Iterator<Item = &PartyId> {
        self.claimant
            .iter()
            .chain(self.stances.keys())
            .chain(self.evidence.iter().filter_map(|e| e.supports.as_ref()))
    }

    /// Whether this claim names `party` anywhere (see [`Self::named_parties`]).
    pub fn uses_party(&self, party: &PartyId) -> bool {
        self.named_parties().any(|p| p == party)
    }

    /// Applies the stance-based suggestion unless the user chose the status.
    pub(crate) fn refresh_suggested_status(&mut self) {
        if self.status_origin == StatusOrigin::Suggested {
            self.status = suggested_status(&self.stances);
        }
    }

    /// Where the claim is shown in the article now: its anchor, or a fuzzy
    /// match awaiting confirmation; `None` when orphaned.
    pub fn span(&self) -> Option<Range<usize>> {
        match &self.anchor_state {
            AnchorState::Exact | AnchorState::Moved { .. } => Some(self.anchor.range()),
            AnchorState::Fuzzy { at, .. } | AnchorState::Excerpt { at } => Some(at.clone()),
            AnchorState::Orphaned => None,
        }
    }

    /// Sort key that puts claims in text order, unplaced claims last.
    pub(crate) fn order_key(&self) -> (bool, usize, usize, &str) {
        match self.span() {
            Some(span) => (false, span.start, span.end, &self.id.0),
            None => (true, self.anchor.start, self.anchor.end, &self.id.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours_round_trip() {
        assert_eq!(Rgb::from_hex("#c0392b"), Some(Rgb([0xc0, 0x39, 0x2b])));
        assert_eq!(
            Rgb::from_hex("2E6FD8").map(Rgb::to_hex).as_deref(),
            Some("#2e6fd8")
        );
        assert_eq!(Rgb::from_hex("#12345"), None);
        assert_eq!(Rgb::from_hex("#gg0000"), None);
        assert_eq!(Rgb::from_hex("#ééé"), None);
    }

    #[test]
    fn only_http_links_open() {
        let link = |url: &str| {
            Evidence {
                url: url.into(),
                ..Default::default()
            }
            .web_link()
            .map(str::to_owned)
        };
        assert_eq!(
            link(" https://example.org/a "),
            Some("https://example.org/a".into())
        );
        assert_eq!(
            link("HTTP://example.org"),
            Some("HTTP://example.org".into())
        );
        assert_eq!(link("javascript:alert(1)"), None);
        assert_eq!(link("file:///etc/passwd"), None);
        assert_eq!(link("https://"), None);
        assert_eq!(link("https://a b"), None);
        assert_eq!(link("https://example.org/\u{202e}gnp.exe"), None);
        assert_eq!(link(""), None);
    }

    #[test]
    fn one_line_text_carries_no_controls_and_stays_short() {
        assert_eq!(
            one_line("a\u{1b}]0;evil\u{7}\nline\u{202e}txt\u{2028}end", 100),
            "a ]0;evil line txt end"
        );
        assert_eq!(
            one_line(&"x".repeat(20_000), 10),
            format!("{}…", "x".repeat(10))
        );
        assert_eq!(one_line("  plain  ", 10), "plain");
    }

    #[test]
    #[allow(
        clippy::single_range_in_vec_init,
        reason = "lists of char ranges, often of one"
    )]
    fn a_marked_line_keeps_its_marks_on_the_same_chars() {
        let marked = |text: &str, max, marks: &[Range<usize>]| {
            let (line, marks) = one_line_marked(text, max, marks);
            let chars: Vec<char> = line.chars().collect();
            let shown: Vec<String> = marks
                .iter()
                .map(|m| chars[m.clone()].iter().collect())
                .collect();
            (line, shown)
        };
        // Runs of spaces and a line break collapse; the marks follow.
        assert_eq!(
            marked("release  1,000\nprisoners", 40, &[9..10, 15..24]),
            (
                "release 1,000 prisoners".into(),
                vec!["1".into(), "prisoners".into()]
            )
        );
        // A change deep in a long quote is in view, after an ellipsis.
        let long = format!("{}1,200{}", "a".repeat(500), "b".repeat(500));
        let (line, shown) = marked(&long, 40, &[500..505]);
        assert_eq!(line, format!("…{}1,200{}…", "a".repeat(10), "b".repeat(24)));
        assert_eq!(shown, ["1,200"]);
        // A mark past the end of the line is cut to it; one out of view goes.
        let (line, shown) = marked(&"x".repeat(100), 10, &[5..50, 60..70]);
        assert_eq!(line, format!("…{}…", "x".repeat(9)));
        assert_eq!(shown, ["x".repeat(7)]);
        // Empty marks (a pure insertion on the other side) are dropped, and
        // so are marks on spaces that collapse.
        assert_eq!(marked("abc", 10, &[1..1]).1, Vec::<String>::new());
        assert_eq!(marked("a  b", 10, &[2..3]), ("a b".into(), vec![]));
        // A text's own ellipsis is text like any other.
        assert_eq!(marked("wait…", 10, &[4..5]).1, ["…"]);
    }

    #[test]
    fn a_claim_names_its_claimant_stance_parties_and_supported_parties() {
        let article = Article::new("t", "text");
        let party = |id: &str| PartyId(id.into());
        let claim = Claim {
            id: ClaimId("c".into()),
            anchor: Anchor::capture(&article, 0..4),
            anchor_state: AnchorState::Exact,
            status: Status::Unreviewed,
            status_origin: StatusOrigin::Suggested,
            claimant: Some(party("ru")),
            stances: BTreeMap::from([(party("ua"), Stance::Disputes)]),
            note: String::new(),
            evidence: vec![
                Evidence::default(),
                Evidence {
                    supports: Some(party("eu")),
                    ..Default::default()
                },
            ],
            verdict: None,
            author: String::new(),
            created: Timestamp::UNIX_EPOCH,
            modified: Timestamp::UNIX_EPOCH,
            conflict: None,
        };
        let named: Vec<&str> = claim.named_parties().map(|p| p.0.as_str()).collect();
        assert_eq!(named, ["ru", "ua", "eu"]);
        for id in ["ru", "ua", "eu"] {
            assert!(claim.uses_party(&party(id)), "{id}");
        }
        assert!(!claim.uses_party(&party("un")));
    }

    #[test]
    fn stances_suggest_a_status() {
        let mut stances = BTreeMap::new();
        assert_eq!(suggested_status(&stances), Status::Unreviewed);
        stances.insert(PartyId("russia".into()), Stance::Agrees);
        assert_eq!(suggested_status(&stances), Status::Agreed);
        stances.insert(PartyId("ukraine".into()), Stance::Disputes);
        assert_eq!(suggested_status(&stances), Status::Disputed);
    }

    #[test]
    fn anchors_capture_quote_and_context() {
        let article = Article::new("t", "the talks “satisfactory,” though");
        let start = article
            .text()
            .find("satisfactory")
            .map(|b| article.char_of_byte(b));
        let start = start.unwrap_or_default();
        let anchor = Anchor::capture(&article, start..start + 12);
        assert_eq!(anchor.exact, "satisfactory");
        assert_eq!(anchor.prefix, "the talks “");
        assert_eq!(anchor.suffix, ",” though");
        assert!(anchor.holds_in(&article));
        let edited = Article::new("t", "x the talks “satisfactory,” though");
        assert!(!anchor.holds_in(&edited));
    }
}

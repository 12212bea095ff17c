//! What is known of an article beyond its text: where, when and by whom it
//! was published (what a published fact-check cites), and for an article
//! taken from a web page, which page it was and when it was fetched.
//!
//! Every detail is a plain string that the user may edit freely, so typing
//! never fights a parser; [`Detail::check`] says what is wrong with a value
//! (a date that is not a date) without refusing it. Only the text direction
//! is a closed choice. An empty string means "not known".

use jiff::Timestamp;
use std::collections::BTreeMap;

/// One editable detail of an article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Detail {
    /// The article's canonical address.
    Url,
    /// Who wrote it, as the page credits them.
    Byline,
    SiteName,
    /// ISO 8601: a date (`2015-07-24`) or a time with its offset.
    Published,
    Modified,
    /// A BCP 47 language tag (`en`, `pt-BR`, `zh-Hant`).
    Lang,
    /// `ltr` or `rtl`; empty when the text decides.
    Dir,
}

/// Which way a script runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextDirection {
    Ltr,
    Rtl,
}

impl TextDirection {
    pub fn key(self) -> &'static str {
        match self {
            TextDirection::Ltr => "ltr",
            TextDirection::Rtl => "rtl",
        }
    }

    /// `ltr`/`rtl` in any case, as HTML's `dir` attribute has it.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "ltr" => Some(TextDirection::Ltr),
            "rtl" => Some(TextDirection::Rtl),
            _ => None,
        }
    }
}

impl Detail {
    pub const ALL: [Detail; 7] = [
        Detail::Url,
        Detail::Byline,
        Detail::SiteName,
        Detail::Published,
        Detail::Modified,
        Detail::Lang,
        Detail::Dir,
    ];

    /// Its name in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Detail::Url => "url",
            Detail::Byline => "byline",
            Detail::SiteName => "site_name",
            Detail::Published => "published",
            Detail::Modified => "modified",
            Detail::Lang => "lang",
            Detail::Dir => "dir",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.key() == key)
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            Detail::Url => "Address (URL)",
            Detail::Byline => "Byline",
            Detail::SiteName => "Published by",
            Detail::Published => "Published",
            Detail::Modified => "Last modified",
            Detail::Lang => "Language",
            Detail::Dir => "Text direction",
        }
    }

    /// What is wrong with `value` for this detail, if anything, as a
    /// sentence. The value is kept either way: this is advice, not a refusal
    /// (except for [`Detail::Dir`], see [`Detail::accepts`]).
    pub fn check(self, value: &str) -> Option<String> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        match self {
            Detail::Url => {
                let lower = value.to_ascii_lowercase();
                let web = lower.starts_with("https://") || lower.starts_with("http://");
                (!web || value.contains(char::is_whitespace))
                    .then(|| "expected a web address starting with https://".to_owned())
            }
            Detail::Published | Detail::Modified => parse_when(value).is_none().then(|| {
                "expected a date like 2015-07-24 or a time like 2015-07-24T05:36:09+01:00"
                    .to_owned()
            }),
            Detail::Lang => (!is_language_tag(value))
                .then(|| "expected a language tag like en, fr or pt-BR".to_owned()),
            Detail::Dir => TextDirection::parse(value)
                .is_none()
                .then(|| "expected ltr or rtl".to_owned()),
            Detail::Byline | Detail::SiteName => None,
        }
    }

    /// Whether the value may be stored at all: one line, and for the text
    /// direction one of its choices.
    pub fn accepts(self, value: &str) -> bool {
        if value.contains(['\n', '\r']) {
            return false;
        }
        self != Detail::Dir || value.is_empty() || TextDirection::parse(value).is_some()
    }
}

/// A published or modified time as written: a calendar date or an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Date(jiff::civil::Date),
    Instant(Timestamp),
}

/// Reads an ISO 8601 date or time with an offset (`+01:00`, `+0100` or `Z`).
pub fn parse_when(value: &str) -> Option<When> {
    let value = value.trim();
    if let Ok(date) = value.parse::<jiff::civil::Date>()
        && value.len() <= 10
    {
        return Some(When::Date(date));
    }
    if let Ok(instant) = value.parse::<Timestamp>() {
        return Some(When::Instant(instant));
    }
    extended_offset(value)?
        .parse::<Timestamp>()
        .ok()
        .map(When::Instant)
}

/// `value` with a basic offset at its end (`+0100`, which web pages often
/// use) written the extended way (`+01:00`); `None` when it ends otherwise.
fn extended_offset(value: &str) -> Option<String> {
    let at = value.len().checked_sub(5)?;
    // Not a char boundary: the end is not five ASCII chars, so no offset.
    let (head, tail) = (value.get(..at)?, value.get(at..)?);
    let basic = tail.starts_with(['+', '-']) && tail[1..].bytes().all(|b| b.is_ascii_digit());
    basic.then(|| format!("{head}{}:{}", &tail[..3], &tail[3..]))
}

/// A published or modified time in the form files and exports use: RFC 3339
/// for a time (its offset kept as written), the date alone for a date; a
/// value that is neither is returned as it was.
pub fn normalize_when(value: &str) -> String {
    let trimmed = value.trim();
    match parse_when(trimmed) {
        Some(When::Date(date)) => date.to_string(),
        Some(When::Instant(_)) => extended_offset(trimmed).unwrap_or_else(|| trimmed.to_owned()),
        None => trimmed.to_owned(),
    }
}

/// BCP 47 in shape: letters, digits and hyphens, a 2–8 letter language first.
fn is_language_tag(value: &str) -> bool {
    let mut parts = value.split(['-', '_']);
    let language = parts.next().unwrap_or_default();
    (2..=8).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The web page an article's text was extracted from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageSource {
    /// The page file as the annotation file records it (relative to it),
    /// once it has been saved there.
    pub file: Option<String>,
    /// SHA-256 of the page's bytes, as read or fetched.
    pub sha256: String,
    /// The address that served the page (after redirects), when fetched.
    pub fetched_from: Option<String>,
    pub fetched_at: Option<Timestamp>,
}

/// The details of an article (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleDetails {
    /// Only details that are known (non-empty).
    values: BTreeMap<Detail, String>,
    pub page: Option<PageSource>,
    /// Details two merged versions changed differently: theirs. The value
    /// is ours until a person chooses.
    pub conflicts: BTreeMap<Detail, String>,
}

impl ArticleDetails {
    /// Nothing known.
    pub const NONE: ArticleDetails = ArticleDetails {
        values: BTreeMap::new(),
        page: None,
        conflicts: BTreeMap::new(),
    };

    /// The value of `detail`, empty when not known.
    pub fn get(&self, detail: Detail) -> &str {
        self.values.get(&detail).map_or("", String::as_str)
    }

    /// Sets `detail`, returning the old value; an empty value forgets it.
    pub fn set(&mut self, detail: Detail, value: String) -> String {
        let old = if value.is_empty() {
            self.values.remove(&detail)
        } else {
            self.values.insert(detail, value)
        };
        old.unwrap_or_default()
    }

    /// The known details, in [`Detail::ALL`] order.
    pub fn known(&self) -> impl Iterator<Item = (Detail, &str)> {
        self.values.iter().map(|(d, v)| (*d, v.as_str()))
    }

    pub fn dir(&self) -> Option<TextDirection> {
        TextDirection::parse(self.get(Detail::Dir))
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.page.is_none() && self.conflicts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_in_the_shapes_pages_use() {
        for (raw, normal) in [
            ("2015-07-24", "2015-07-24"),
            ("2015-07-24T05:36:09+01:00", "2015-07-24T05:36:09+01:00"),
            ("2021-11-01T10:52:50+0100", "2021-11-01T10:52:50+01:00"),
            ("2015-03-17T16:27:40.294Z", "2015-03-17T16:27:40.294Z"),
            (" 2015-07-24 ", "2015-07-24"),
        ] {
            assert!(parse_when(raw).is_some(), "{raw}");
            assert_eq!(normalize_when(raw), normal);
            assert_eq!(Detail::Published.check(raw), None, "{raw}");
        }
        for bad in [
            "yesterday",
            "24/07/2015",
            "2015-07-24T05:36:09",
            "2015-13-01",
            // Not ASCII where an offset would be: no slicing inside a char.
            "24 juillet à 10h",
            "é",
        ] {
            assert_eq!(parse_when(bad), None, "{bad}");
            assert!(Detail::Published.check(bad).is_some(), "{bad}");
            assert_eq!(normalize_when(bad), bad, "kept as written");
        }
    }

    #[test]
    fn checks_advise_and_only_the_direction_refuses() {
        assert_eq!(Detail::Url.check("https://example.org/a"), None);
        assert!(Detail::Url.check("example.org").is_some());
        assert!(Detail::Url.check("javascript:alert(1)").is_some());
        assert_eq!(Detail::Lang.check("pt-BR"), None);
        assert_eq!(Detail::Lang.check("zh-Hant"), None);
        assert!(
            Detail::Lang.check("English").is_none(),
            "letters only, 7 long"
        );
        assert!(Detail::Lang.check("en gb").is_some());
        assert!(Detail::Byline.accepts("Erin Cunningham"));
        assert!(!Detail::Byline.accepts("two\nlines"));
        assert!(Detail::Dir.accepts("rtl") && Detail::Dir.accepts(""));
        assert!(!Detail::Dir.accepts("sideways"));
    }

    #[test]
    fn setting_empty_forgets_and_returns_the_old_value() {
        let mut details = ArticleDetails::default();
        assert!(details.is_empty());
        assert_eq!(details.set(Detail::Byline, "A".into()), "");
        assert_eq!(details.get(Detail::Byline), "A");
        assert_eq!(details.set(Detail::Byline, String::new()), "A");
        assert!(details.is_empty());
        details.set(Detail::Dir, "rtl".into());
        assert_eq!(details.dir(), Some(TextDirection::Rtl));
        for detail in Detail::ALL {
            assert_eq!(Detail::from_key(detail.key()), Some(detail));
        }
    }
}

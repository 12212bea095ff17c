//! Claims leaving factmark in other people's formats: schema.org
//! ClaimReview for publishing a fact-check ([`claimreview`], also as
//! Google's markup page), a table for spreadsheets ([`csv`]), a report for
//! an editor ([`html`], [`markdown`]), and W3C Web Annotation and brat
//! standoff for other annotation tools ([`w3c`], [`brat`]). Each
//! is a pure function of the annotation set; the command line writes the
//! result.

pub mod brat;
pub mod claimreview;
pub mod csv;
pub mod html;
pub mod markdown;
pub mod w3c;

/// What a fact-check is published as: the desk's name and site, and where
/// each claim's review lives (`{id}` in the template is the claim's id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publisher {
    pub name: String,
    pub url: String,
    /// A review's address; `{id}` is replaced by the claim id.
    pub claim_url: String,
}

impl Publisher {
    pub fn claim_url(&self, id: &str) -> String {
        self.claim_url.replace("{id}", id)
    }
}

/// An export's text, and how many claims it holds and left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub text: String,
    pub written: usize,
    /// Claims the format has no place for (a ClaimReview needs a verdict).
    pub skipped: usize,
}

/// A value on one line, each run of white space one space (kept at the
/// ends, where context meets its quote): its own line breaks would end a
/// list item, a quote or a table row of a report.
fn flat(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if !c.is_whitespace() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn flat_keeps_one_space_where_there_was_any() {
        assert_eq!(super::flat("But "), "But ");
        assert_eq!(super::flat("a\n\n  b"), "a b");
        assert_eq!(super::flat("\nc"), " c");
    }
}

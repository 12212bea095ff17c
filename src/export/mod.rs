//! Claims leaving factmark in other people's formats: schema.org
//! ClaimReview for publishing a fact-check ([`claimreview`]), a table for
//! spreadsheets ([`csv`]), a report for an editor ([`markdown`]) and W3C Web
//! Annotation for other annotation tools ([`w3c`]). Each
//! is a pure function of the annotation set; the command line writes the
//! result.

pub mod claimreview;
pub mod csv;
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

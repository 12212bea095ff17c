//! How many claims have each status and anchor state, and how many claims,
//! parties and article details carry merge conflicts: counted here once, for the load banner, the
//! status bar and the command line alike.

use super::{AnchorState, AnnotationSet, Claim, Party, Status};

/// Claims by status and anchor state, and merge conflicts, of one set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub claims: usize,
    pub unreviewed: usize,
    pub agreed: usize,
    pub disputed: usize,
    pub anchors: AnchorCounts,
    /// Claims carrying a merge conflict mark (a pair counts twice).
    pub claim_conflicts: usize,
    /// Parties carrying a merge conflict mark.
    pub party_conflicts: usize,
    /// Article details carrying a merge conflict mark.
    pub detail_conflicts: usize,
}

/// Claims in each [`AnchorState`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnchorCounts {
    pub exact: usize,
    pub moved: usize,
    pub fuzzy: usize,
    /// Shown in the stand-in text of a missing article.
    pub excerpt: usize,
    /// Not shown in the article: [`AnnotationSet::unplaced_claims`].
    pub orphaned: usize,
}

impl AnchorCounts {
    pub fn add(&mut self, state: &AnchorState) {
        let slot = match state {
            AnchorState::Exact => &mut self.exact,
            AnchorState::Moved { .. } => &mut self.moved,
            AnchorState::Fuzzy { .. } => &mut self.fuzzy,
            AnchorState::Excerpt { .. } => &mut self.excerpt,
            AnchorState::Orphaned => &mut self.orphaned,
        };
        *slot += 1;
    }

    pub fn of<'a>(states: impl IntoIterator<Item = &'a AnchorState>) -> Self {
        let mut counts = Self::default();
        for state in states {
            counts.add(state);
        }
        counts
    }
}

impl Counts {
    /// All merge conflicts: claims, parties and details.
    pub fn conflicts(&self) -> usize {
        self.claim_conflicts + self.party_conflicts + self.detail_conflicts
    }

    /// Counts `claims` and `parties` in one pass each.
    pub fn of(parties: &[Party], claims: &[Claim]) -> Self {
        let mut counts = Self {
            claims: claims.len(),
            party_conflicts: parties.iter().filter(|p| p.conflict.is_some()).count(),
            ..Self::default()
        };
        for claim in claims {
            let status = match claim.status {
                Status::Unreviewed => &mut counts.unreviewed,
                Status::Agreed => &mut counts.agreed,
                Status::Disputed => &mut counts.disputed,
            };
            *status += 1;
            counts.anchors.add(&claim.anchor_state);
            counts.claim_conflicts += usize::from(claim.conflict.is_some());
        }
        counts
    }

    /// Claims with `status`.
    pub fn status(&self, status: Status) -> usize {
        match status {
            Status::Unreviewed => self.unreviewed,
            Status::Agreed => self.agreed,
            Status::Disputed => self.disputed,
        }
    }
}

impl AnnotationSet {
    /// Claims by status and anchor state, and merge conflicts.
    pub fn counts(&self) -> Counts {
        Counts {
            detail_conflicts: self.details.conflicts.len(),
            ..Counts::of(self.parties(), self.claims())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, ClaimId, EditContext, PartyConflict};

    #[test]
    fn every_status_state_and_mark_is_counted_once() {
        let mut set = AnnotationSet::new(Article::new("t", "one two three four five six"));
        let ctx = EditContext {
            author: "t".into(),
            now: jiff::Timestamp::UNIX_EPOCH,
        };
        let mut party = set.new_party("EU");
        party.conflict = Some(PartyConflict::Deleted);
        let parties = vec![party, set.new_party("UN")];
        let states = [
            (AnchorState::Exact, Status::Disputed),
            (AnchorState::Moved { from: 0..3 }, Status::Disputed),
            (
                AnchorState::Fuzzy {
                    at: 4..7,
                    score: 0.8,
                },
                Status::Agreed,
            ),
            (AnchorState::Excerpt { at: 8..13 }, Status::Unreviewed),
            (AnchorState::Orphaned, Status::Disputed),
            (AnchorState::Orphaned, Status::Unreviewed),
        ];
        let claims: Vec<Claim> = states
            .into_iter()
            .enumerate()
            .map(|(i, (state, status))| {
                let mut claim = set.new_claim(0..3, &ctx).unwrap_or_else(|e| panic!("{e}"));
                claim.id = ClaimId(format!("c-{i}"));
                claim.anchor_state = state;
                claim.status = status;
                claim.conflict = (i < 2).then(|| ClaimId(format!("c-{}", 1 - i)));
                claim
            })
            .collect();
        assert_eq!(
            Counts::of(&parties, &claims),
            Counts {
                claims: 6,
                unreviewed: 2,
                agreed: 1,
                disputed: 3,
                anchors: AnchorCounts {
                    exact: 1,
                    moved: 1,
                    fuzzy: 1,
                    excerpt: 1,
                    orphaned: 2,
                },
                claim_conflicts: 2,
                party_conflicts: 1,
                detail_conflicts: 0,
            }
        );
        let counts = Counts::of(&parties, &claims);
        let by_status: Vec<usize> = Status::ALL.iter().map(|s| counts.status(*s)).collect();
        assert_eq!(by_status, [2, 1, 3]);
        set = AnnotationSet::from_parts(set.article.clone(), parties, claims);
        assert_eq!(set.counts(), counts);
        set.details
            .conflicts
            .insert(crate::model::Detail::Byline, "B".into());
        assert_eq!(set.counts().detail_conflicts, 1);
        assert_eq!(set.counts().conflicts(), 4);
        assert_eq!(set.counts().anchors.orphaned, set.unplaced_claims().count());
    }
}

//! The compare window: a colleague's file beside mine, one row per claim,
//! with the agreement figures on top. Decisions become edits through
//! [`compare::decide`]; this view only draws and reports what was clicked.

use super::bidi_layout;
use super::claim_list::shorten;
use super::files::TheirFile;
use super::intent::Intent;
use super::notice::Notice;
use crate::model::compare::{self, Comparison, Decision, Difference, Row, RowKind};
use crate::model::{AnnotationSet, Claim, ClaimId};
use egui::text::LayoutJob;
use egui::{Color32, RichText, Sense, TextFormat};
use std::collections::HashSet;
use std::rc::Rc;

/// Identifies a row across recomputations: the ids on each side.
type RowKey = (Option<ClaimId>, Option<ClaimId>);

pub struct CompareView {
    theirs: AnnotationSet,
    /// Who made their file (its contributors), for headings.
    who: String,
    /// The comparison for my set at this revision.
    cache: Option<(u64, Rc<Comparison>)>,
    /// Rows where I chose to keep mine: nothing changes, the row is set aside.
    kept_mine: HashSet<RowKey>,
    show_agreed: bool,
    pub open: bool,
}

impl CompareView {
    /// A colleague's file, read and placed on my article (by a job).
    pub fn new(file: TheirFile) -> Self {
        Self {
            theirs: file.theirs,
            who: file.who,
            cache: None,
            kept_mine: HashSet::new(),
            show_agreed: false,
            open: true,
        }
    }

    /// The comparison with my set as it is now (recomputed after each edit).
    pub fn comparison(&mut self, mine: &AnnotationSet) -> Rc<Comparison> {
        match &self.cache {
            Some((revision, comparison)) if *revision == mine.revision() => comparison.clone(),
            _ => {
                let comparison = Rc::new(compare::compare(mine, &self.theirs));
                self.cache = Some((mine.revision(), comparison.clone()));
                comparison
            }
        }
    }

    fn key(&self, mine: &AnnotationSet, row: &Row) -> RowKey {
        (
            row.mine.map(|i| mine.claims()[i].id.clone()),
            row.theirs.map(|j| self.theirs.claims()[j].id.clone()),
        )
    }

    pub fn show(&mut self, ctx: &egui::Context, mine: &AnnotationSet) -> Vec<Intent> {
        let mut actions = Vec::new();
        let mut open = self.open;
        let title = format!("Compare with {}", self.who);
        egui::Window::new(title)
            .id(egui::Id::unique("compare-window"))
            .open(&mut open)
            .default_size([640.0, 520.0])
            .resizable(true)
            .show(ctx, |ui| self.contents(ui, mine, &mut actions));
        self.open = open;
        actions
    }

    fn contents(&mut self, ui: &mut egui::Ui, mine: &AnnotationSet, actions: &mut Vec<Intent>) {
        let comparison = self.comparison(mine);
        let g = &comparison.agreement;
        ui.label(format!(
            "Mine: {} claims. Theirs: {} claims. Matching spans: {} (overlap of at least {:.0}%).",
            g.claims_a,
            g.claims_b,
            g.span_matches,
            crate::model::agreement::SPAN_MATCH_OVERLAP * 100.0
        ));
        let kappa = g
            .status_kappa
            .map_or_else(|| "undefined".to_owned(), |k| format!("{k:.2}"));
        ui.label(format!(
            "Span F1 {:.2} (precision {:.2}, recall {:.2}). Status agreement on matched claims {:.0}%, Cohen's kappa {kappa}.",
            g.f1,
            g.precision,
            g.recall,
            g.status_observed * 100.0
        ));
        let undecided: Vec<&Row> = comparison
            .rows
            .iter()
            .filter(|r| {
                // Row keys are built (ids cloned) only when some row was set aside.
                r.kind != RowKind::Same
                    && !r.theirs_kept
                    && (self.kept_mine.is_empty() || !self.kept_mine.contains(&self.key(mine, r)))
            })
            .collect();
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{} to decide", undecided.len())).strong());
            ui.checkbox(&mut self.show_agreed, "Show claims we agree on");
        });
        let only_theirs: Vec<&Row> = undecided
            .iter()
            .copied()
            .filter(|r| r.kind == RowKind::OnlyTheirs)
            .collect();
        let differing: Vec<&Row> = undecided
            .iter()
            .copied()
            .filter(|r| matches!(r.kind, RowKind::Differs(_)))
            .collect();
        ui.horizontal(|ui| {
            for (label, rows, message) in [
                (
                    "Add all claims only they have",
                    &only_theirs,
                    "Added their claims (Ctrl+Z undoes)",
                ),
                (
                    "Accept all their versions",
                    &differing,
                    "Took their versions (Ctrl+Z undoes)",
                ),
            ] {
                let button = egui::Button::new(format!("{label} ({})", rows.len()));
                if ui.add_enabled(!rows.is_empty(), button).clicked()
                    && let Some(edit) = compare::decide_all(
                        mine,
                        &self.theirs,
                        rows.iter().copied(),
                        Decision::AcceptTheirs,
                    )
                {
                    actions.push(Intent::Step(edit, message.to_owned()));
                }
            }
        });
        ui.separator();
        let rows: Vec<&Row> = comparison
            .rows
            .iter()
            .filter(|r| self.show_agreed || r.kind != RowKind::Same)
            .collect();
        if rows.is_empty() {
            ui.label("No differences: every claim matches.");
            return;
        }
        let line = ui.text_style_height(&egui::TextStyle::Body);
        let row_height = line * 4.0 + ui.spacing().item_spacing.y * 5.0 + 8.0;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, rows.len(), |ui, range| {
                for row in &rows[range] {
                    ui.push_id(self.key(mine, row), |ui| {
                        ui.set_min_height(row_height - ui.spacing().item_spacing.y);
                        self.row(ui, mine, row, actions);
                    });
                    ui.separator();
                }
            });
    }

    fn row(
        &mut self,
        ui: &mut egui::Ui,
        mine: &AnnotationSet,
        row: &Row,
        actions: &mut Vec<Intent>,
    ) {
        let my_claim = row.mine.map(|i| &mine.claims()[i]);
        let their_claim = row.theirs.map(|j| &self.theirs.claims()[j]);
        let key = self.key(mine, row);
        let kept_mine = self.kept_mine.contains(&key);
        let (tag, diffs): (String, &[Difference]) = match &row.kind {
            RowKind::Same => ("same".into(), &[]),
            RowKind::Differs(d) => (
                format!(
                    "differs: {}",
                    d.iter().map(|d| d.label()).collect::<Vec<_>>().join(", ")
                ),
                d,
            ),
            RowKind::OnlyMine => ("only mine".into(), &[]),
            RowKind::OnlyTheirs => ("only theirs".into(), &[]),
        };
        let Some(shown) = my_claim.or(their_claim) else {
            return;
        };
        let quote = format!("“{}”", shorten(&shown.anchor.exact, 70));
        let link = TextFormat::simple(
            egui::TextStyle::Body.resolve(ui.style()),
            ui.visuals().hyperlink_color,
        );
        // A right-to-left quote takes its own row, laid out in screen
        // order from the right; any other sits beside its tag.
        let mut show = |ui: &mut egui::Ui| {
            let clicked =
                match bidi_layout::own_layout_label(ui, &quote, &link, None, Sense::click(), false)
                {
                    Some(response) => response
                        .on_hover_cursor(egui::CursorIcon::PointingHand)
                        .on_hover_text("Show in the article")
                        .clicked(),
                    None => ui
                        .link(quote.as_str())
                        .on_hover_text("Show in the article")
                        .clicked(),
                };
            if clicked {
                match (my_claim, shown.span()) {
                    (Some(m), _) => actions.push(Intent::Select {
                        claim: Some(m.id.clone()),
                        scroll: true,
                    }),
                    (None, Some(span)) => actions.push(Intent::SelectText(span)),
                    (None, None) => {}
                }
            }
        };
        let tag = RichText::new(tag).color(ui.visuals().warn_fg_color);
        if bidi_layout::needs_own_layout(&quote, None) {
            show(ui);
            ui.label(tag);
        } else {
            ui.horizontal(|ui| {
                show(ui);
                ui.label(tag);
            });
        }
        let dark = ui.visuals().dark_mode;
        let summary = |who: &str, set: &AnnotationSet, claim: Option<&Claim>| {
            claim_summary(who, set, claim, diffs, dark)
        };
        ui.add(egui::Label::new(summary("Mine", mine, my_claim)).truncate());
        ui.add(egui::Label::new(summary("Theirs", &self.theirs, their_claim)).truncate());
        ui.horizontal(|ui| {
            if row.kind == RowKind::Same {
                return;
            }
            if row.theirs_kept {
                ui.label(RichText::new("Both versions kept").weak());
                return;
            }
            if kept_mine {
                ui.label(RichText::new("Kept mine").weak());
                if ui.small_button("Reconsider").clicked() {
                    self.kept_mine.remove(&key);
                }
                return;
            }
            let accept = match row.kind {
                RowKind::OnlyMine => "Remove mine",
                RowKind::OnlyTheirs => "Add theirs",
                _ => "Accept theirs",
            };
            let mut decide = |decision: Decision, message: &str| match compare::decide(
                mine,
                &self.theirs,
                row,
                decision,
            ) {
                Some(edit) => actions.push(Intent::Step(edit, message.to_owned())),
                None => actions.push(Intent::Notice(Notice::info("Nothing to change"))),
            };
            if ui.button(accept).clicked() {
                decide(Decision::AcceptTheirs, "Took their version (Ctrl+Z undoes)");
            }
            if ui.button("Keep mine").clicked() {
                self.kept_mine.insert(key.clone());
            }
            if matches!(row.kind, RowKind::Differs(_))
                && ui
                    .button("Keep both")
                    .on_hover_text("Add their version as a separate claim")
                    .clicked()
            {
                decide(
                    Decision::KeepBoth,
                    "Added their version beside yours (Ctrl+Z undoes)",
                );
            }
        });
    }
}

/// "Mine: Disputed · claimant Russia · Russia agrees, Ukraine disputes · note …"
/// with the fields that differ drawn in the warning colour.
fn claim_summary(
    who: &str,
    set: &AnnotationSet,
    claim: Option<&Claim>,
    diffs: &[Difference],
    dark: bool,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    let plain = TextFormat {
        color: if dark {
            Color32::LIGHT_GRAY
        } else {
            Color32::DARK_GRAY
        },
        ..Default::default()
    };
    let marked = TextFormat {
        color: if dark {
            Color32::from_rgb(255, 196, 0)
        } else {
            Color32::from_rgb(176, 92, 0)
        },
        ..Default::default()
    };
    job.append(&format!("{who}: "), 0.0, plain.clone());
    let Some(claim) = claim else {
        job.append("no such claim", 0.0, plain);
        return job;
    };
    let stances = if claim.stances.is_empty() {
        "no stances".to_owned()
    } else {
        let each = claim
            .stances
            .iter()
            .map(|(p, s)| format!("{} {}", set.party_name(p), s.label()));
        each.collect::<Vec<_>>().join(", ")
    };
    let claimant = claim.claimant.as_ref().map_or_else(
        || "no claimant".to_owned(),
        |p| format!("claimant {}", set.party_name(p)),
    );
    let span = claim.span().map_or_else(
        || "not placed".to_owned(),
        |s| format!("chars {}–{}", s.start, s.end),
    );
    let fields = [
        (Difference::Status, claim.status.label().to_owned()),
        (Difference::Claimant, claimant),
        (Difference::Stances, stances),
        (Difference::Span, span),
        (
            Difference::Evidence,
            format!("{} evidence", claim.evidence.len()),
        ),
        (
            Difference::Note,
            format!("note “{}”", shorten(&claim.note, 40)),
        ),
        (
            Difference::Verdict,
            format!("verdict {}", set.verdict_label(claim.verdict.as_ref())),
        ),
    ];
    // What differs comes first, so a narrow window still shows it.
    let (differing, same): (Vec<_>, Vec<_>) = fields.iter().partition(|(f, _)| diffs.contains(f));
    let ordered = differing
        .iter()
        .map(|f| (f, &marked))
        .chain(same.iter().map(|f| (f, &plain)));
    for (i, ((_, text), format)) in ordered.enumerate() {
        if i > 0 {
            job.append(" · ", 0.0, plain.clone());
        }
        job.append(text, 0.0, (*format).clone());
    }
    job
}

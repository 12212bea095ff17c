//! The editor's report as one self-contained HTML page: no scripts, no
//! remote fonts, images or styles, readable on screen and printed (each
//! claim kept on one page where it fits). Every value from the file is
//! escaped; a link is made only of an http(s) evidence address.

use super::{Exported, claims_summary, flat, is_web_address, reported_details};
use crate::model::{AnnotationSet, Claim, Detail, Stance, one_line};
use std::fmt::Write as _;

const STYLE: &str = "
body { font: 15px/1.5 Georgia, 'Noto Serif', serif; margin: 2em auto; max-width: 52em; padding: 0 1em; color: #1d1d1d; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin: 1.6em 0 0.4em; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 1em; margin: 0.5em 0 1em; }
dt { font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.45em; text-align: left; vertical-align: top; }
th { background: #f1f1f1; }
.agrees { background: #e3f4e8; }
.disputes { background: #fbe4e4; }
.status { font-weight: bold; white-space: nowrap; }
td .weak, .verdict { white-space: nowrap; }
.Disputed { color: #b3261e; } .Agreed { color: #1e7a3c; } .Unreviewed { color: #8a6d00; }
.verdict { display: inline-block; padding: 0 0.5em; border-radius: 0.6em; color: #fff; font-weight: bold; }
blockquote { margin: 0.4em 0; padding: 0.3em 0.8em; border-left: 4px solid #999; background: #fafafa; }
mark { background: #ffe58a; }
section.claim { break-inside: avoid; border-top: 1px solid #ddd; }
.weak { color: #666; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } a { color: inherit; } }
";

pub fn export(set: &AnnotationSet) -> Exported {
    let details = &set.details;
    let mut out = String::new();
    let lang = escape(details.get(Detail::Lang));
    let dir = details.dir().map_or("auto", |d| d.key());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"generator\" content=\"factmark\">\n<title>Fact-check: {}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(set.article.title()),
        escape(set.article.title())
    );
    out.push_str("<dl class=\"details\">\n");
    for (label, value) in reported_details(set) {
        let _ = writeln!(out, "<dt>{label}</dt><dd>{}</dd>", escape(value));
    }
    let _ = writeln!(
        out,
        "<dt>Claims</dt><dd>{}</dd>\n</dl>",
        escape(&claims_summary(set))
    );
    stance_table(&mut out, set);
    for (n, claim) in set.claims().iter().enumerate() {
        claim_section(&mut out, set, n + 1, claim);
    }
    out.push_str("</body>\n</html>\n");
    Exported {
        text: out,
        written: set.claims().len(),
        skipped: 0,
    }
}

fn stance_table(out: &mut String, set: &AnnotationSet) {
    if set.claims().is_empty() {
        return;
    }
    out.push_str("<h2>Where the parties stand</h2>\n<table>\n<tr><th>#</th><th>Claim</th><th>Status</th><th>Verdict</th>");
    for party in set.parties() {
        let _ = write!(out, "<th>{}</th>", escape(&party.name));
    }
    out.push_str("</tr>\n");
    for (n, claim) in set.claims().iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td><a href=\"#claim-{}\">{}</a></td><td>“{}”</td><td class=\"status {}\">{}</td><td>{}</td>",
            n + 1,
            n + 1,
            escape(&one_line(&claim.anchor.exact, 70)),
            claim.status.label(),
            claim.status.label(),
            verdict_chip(set, claim)
        );
        for party in set.parties() {
            let stance = claim.stances.get(&party.id);
            let class = match stance {
                Some(Stance::Agrees) => " class=\"agrees\"",
                Some(Stance::Disputes) => " class=\"disputes\"",
                None => "",
            };
            let mut marks = Vec::new();
            if claim.claimant.as_ref() == Some(&party.id) {
                marks.push("claimant");
            }
            if let Some(stance) = stance {
                marks.push(stance.label());
            }
            let _ = write!(out, "<td{class}>{}</td>", marks.join(", "));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

fn verdict_chip(set: &AnnotationSet, claim: &Claim) -> String {
    match claim.verdict.as_ref().and_then(|v| set.rating(&v.rating)) {
        Some(rated) => format!(
            "<span class=\"verdict\" style=\"background: {}\">{}</span>",
            rated.color.to_hex(),
            escape(&rated.label)
        ),
        None => "<span class=\"weak\">no verdict</span>".to_owned(),
    }
}

fn claim_section(out: &mut String, set: &AnnotationSet, n: usize, claim: &Claim) {
    let _ = write!(
        out,
        "<section class=\"claim\" id=\"claim-{n}\">\n<h2>{n}. “{}”</h2>\n\
         <blockquote>…{}<mark>{}</mark>{}…</blockquote>\n<p><span class=\"status {}\">{}</span> · {}",
        escape(&one_line(&claim.anchor.exact, 90)),
        escape(&flat(&claim.anchor.prefix)),
        escape(&claim.anchor.exact),
        escape(&flat(&claim.anchor.suffix)),
        claim.status.label(),
        claim.status.label(),
        verdict_chip(set, claim)
    );
    if let Some(verdict) = &claim.verdict
        && !verdict.explanation.trim().is_empty()
    {
        let _ = write!(out, " {}", escape(&verdict.explanation));
    }
    out.push_str("</p>\n<ul>\n");
    if let Some(id) = &claim.claimant {
        let _ = writeln!(out, "<li>Claimant: {}</li>", escape(&set.party_name(id)));
    }
    for (id, stance) in &claim.stances {
        let _ = writeln!(
            out,
            "<li>{} {}</li>",
            escape(&set.party_name(id)),
            stance.label()
        );
    }
    if !claim.note.trim().is_empty() {
        let _ = writeln!(out, "<li>Note: {}</li>", escape(&claim.note));
    }
    for evidence in &claim.evidence {
        let link = if is_web_address(&evidence.url) {
            format!(
                "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                escape(&evidence.url),
                escape(&evidence.url)
            )
        } else {
            escape(&evidence.url)
        };
        let supports = evidence.supports.as_ref().map_or_else(String::new, |p| {
            format!(" (supports {})", escape(&set.party_name(p)))
        });
        let _ = writeln!(
            out,
            "<li>Evidence: {link} {}{supports}</li>",
            escape(&evidence.quote)
        );
    }
    out.push_str("</ul>\n</section>\n");
}

/// Text for HTML: the five special characters as entities, control
/// characters as spaces.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_only_web_links_are_links() {
        assert_eq!(
            escape("<img src=x onerror=alert(1)> & \"q\""),
            "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;"
        );
        assert!(is_web_address("https://example.org/a"));
        assert!(!is_web_address("javascript:alert(1)") && !is_web_address("file:///etc/passwd"));
    }
}

// The matcher the Hypothesis client uses to re-anchor a TextQuoteSelector,
// re-implemented from its match-quote module for factmark's benchmark:
// exact search first, else approx-string-match (Myers) with
// maxErrors = min(256, quote length / 2); every candidate is scored
// 50 x quote + 20 x prefix + 20 x suffix + 2 x position, with no minimum.
//
// usage: node reanchor.mjs INPUT.json OUTPUT.json
// INPUT: { text, claims: [{ exact, prefix, suffix, hint }] }, offsets in code points.
// OUTPUT: { elapsed_ms, results: [[start, end] | null] }, offsets in code points.
import approxSearch from "approx-string-match";
import { readFileSync, writeFileSync } from "node:fs";

function search(text, str, maxErrors) {
  const exact = [];
  let at = text.indexOf(str);
  while (at !== -1) {
    exact.push({ start: at, end: at + str.length, errors: 0 });
    at = text.indexOf(str, at + 1);
  }
  return exact.length > 0 ? exact : approxSearch(text, str, maxErrors);
}

function textMatchScore(text, str) {
  if (str.length === 0 || text.length === 0) return 0.0;
  const matches = search(text, str, str.length);
  return 1 - matches[0].errors / str.length;
}

function matchQuote(text, quote, context) {
  if (quote.length === 0) return null;
  const maxErrors = Math.min(256, quote.length / 2);
  const matches = search(text, quote, maxErrors);
  if (matches.length === 0) return null;
  const score = (m) => {
    const quoteScore = 1 - m.errors / quote.length;
    const prefixScore = context.prefix
      ? textMatchScore(text.slice(Math.max(0, m.start - context.prefix.length), m.start), context.prefix)
      : 1.0;
    const suffixScore = context.suffix
      ? textMatchScore(text.slice(m.end, m.end + context.suffix.length), context.suffix)
      : 1.0;
    const posScore = 1.0 - Math.abs(m.start - context.hint) / text.length;
    return (50 * quoteScore + 20 * prefixScore + 20 * suffixScore + 2 * posScore) / 92;
  };
  let best = null;
  for (const m of matches) {
    const s = score(m);
    if (best === null || s > best.score) best = { start: m.start, end: m.end, score: s };
  }
  return best;
}

const [input, output] = process.argv.slice(2);
const { text, claims } = JSON.parse(readFileSync(input, "utf8"));
// JS strings index UTF-16 units; factmark uses code points. Map both ways.
const cpToUnit = [];
const unitToCp = new Int32Array(text.length + 1);
let unit = 0;
let cp = 0;
for (const ch of text) {
  cpToUnit.push(unit);
  for (let k = 0; k < ch.length; k++) unitToCp[unit + k] = cp;
  unit += ch.length;
  cp += 1;
}
cpToUnit.push(unit);
unitToCp[unit] = cp;

const started = process.hrtime.bigint();
const results = claims.map((c) => {
  const hint = cpToUnit[Math.min(c.hint, cpToUnit.length - 1)];
  const m = matchQuote(text, c.exact, { prefix: c.prefix, suffix: c.suffix, hint });
  return m === null ? null : [unitToCp[m.start], unitToCp[m.end]];
});
const elapsed_ms = Number(process.hrtime.bigint() - started) / 1e6;
writeFileSync(output, JSON.stringify({ elapsed_ms, results }));

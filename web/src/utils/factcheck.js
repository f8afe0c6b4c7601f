// Pure helpers of the 数据核查 page: where the server's facts and findings sit in the text, and
// the text cut into plain segments (never HTML) so that a 1 MB report renders as a few thousand
// spans. Nothing here touches the DOM.

// What a fact's `offset` counts: 'utf8' = bytes of the text as sent (UTF-8), 'utf16' = JS string
// indices (UTF-16 code units), 'codepoint' = Unicode characters. The one switch if the server
// changes its mind.
export const OFFSET_UNIT = 'utf8';

// Sizes in `unit` of the character starting at code unit i of `text`, and how many code units it
// spans (2 for a surrogate pair). A lone surrogate is sent as U+FFFD, 3 bytes in UTF-8.
function charSize(text, i, unit) {
  const c = text.charCodeAt(i);
  const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length
    && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
  const units = pair ? 2 : 1;
  if (unit === 'codepoint') return [1, units];
  if (pair) return [4, 2];
  if (c < 0x80) return [1, 1];
  if (c < 0x800) return [2, 1];
  return [3, 1];
}

// The JS string indices of `offsets` (in OFFSET_UNIT) in `text`, in the order given; one pass
// over the text however many offsets there are. An offset inside a character maps to that
// character's start, one past the end to text.length; a missing offset to null.
export function offsetsToIndices(text, offsets, unit = OFFSET_UNIT) {
  const out = new Array(offsets.length).fill(null);
  if (unit === 'utf16') {
    offsets.forEach((o, k) => { if (Number.isFinite(o) && o >= 0) out[k] = Math.min(o, text.length); });
    return out;
  }
  const order = offsets
    .map((o, k) => [o, k])
    .filter(([o]) => Number.isFinite(o) && o >= 0)
    .sort((a, b) => a[0] - b[0]);
  let pos = 0; // offset (in `unit`) of text[i]
  let i = 0;
  for (const [o, k] of order) {
    while (i < text.length) {
      const [size, units] = charSize(text, i, unit);
      if (pos + size > o) break;
      pos += size;
      i += units;
    }
    out[k] = i;
  }
  return out;
}

// The UTF-8 size of a string in bytes (what the server's 2 MB limit counts).
export function utf8Bytes(text) {
  let n = 0;
  for (let i = 0; i < text.length;) {
    const [size, units] = charSize(text, i, 'utf8');
    n += size;
    i += units;
  }
  return n;
}

// a number as written at a fact's offset: Arabic or Chinese numerals, or a rank (第二, 第2位)
const NUMBER = /^(?:第(?:\d+|[一二三四五六七八九十]+)(?:位|名)?|[+-]?\d[\d,，]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿点]+)/;
const NUMBER_ANYWHERE = /[+-]?\d[\d,，]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿点]{2,}/g;
const LOOKAHEAD = 80;

function sameNumber(token, value) {
  if (value == null || !/^[+-]?\d/.test(token)) return false;
  const n = Number(token.replace(/[,，]/g, ''));
  return Number.isFinite(n) && Math.abs(n - Number(value)) < 1e-9;
}

// The [start, end) of a fact's figure in the text, given the index its offset maps to: the number
// written there with its unit when the text goes on with it; when the offset points before the
// number (at the indicator's name), the first number after it in the same sentence that equals
// the fact's value; else the label or one character, so that every fact is visible.
export function factSpan(text, fact, index) {
  if (index == null || index >= text.length) return null;
  const withUnit = (start, end) => {
    const unit = fact.unit || '';
    if (unit && text.startsWith(unit, end)) return [start, end + unit.length];
    if (text[end] === '%' || text[end] === '％') return [start, end + 1];
    return [start, end];
  };
  const here = NUMBER.exec(text.slice(index, index + LOOKAHEAD));
  if (here && (sameNumber(here[0], fact.value) || !/\d/.test(here[0]) || fact.value == null)) {
    return withUnit(index, index + here[0].length);
  }
  const ahead = text.slice(index, index + LOOKAHEAD);
  const stop = ahead.search(/[。！？!?\n]/);
  const scope = stop >= 0 ? ahead.slice(0, stop) : ahead;
  NUMBER_ANYWHERE.lastIndex = 0;
  let m;
  let first = null;
  while ((m = NUMBER_ANYWHERE.exec(scope))) {
    if (first == null) first = m;
    if (sameNumber(m[0], fact.value)) return withUnit(index + m.index, index + m.index + m[0].length);
  }
  if (here) return withUnit(index, index + here[0].length);
  if (fact.label && text.startsWith(fact.label, index)) return [index, index + fact.label.length];
  if (first) return withUnit(index + first.index, index + first.index + first[0].length);
  return [index, Math.min(text.length, index + 1)];
}

const SENTENCE_END = /[。！？!?\n]/;

// The [start, end) of the sentence around index i: from after the previous 。！？ or line break
// to its own end mark (included).
export function sentenceAround(text, i) {
  let s = i;
  while (s > 0 && !SENTENCE_END.test(text[s - 1])) s -= 1;
  let e = i;
  while (e < text.length && !SENTENCE_END.test(text[e])) e += 1;
  if (e < text.length && text[e] !== '\n') e += 1;
  while (s < e && /\s/.test(text[s])) s += 1;
  return [s, e];
}

// All places of `needle` in `text` (at most `limit`).
function occurrences(text, needle, limit = 50) {
  const out = [];
  if (!needle) return out;
  for (let i = text.indexOf(needle); i >= 0 && out.length < limit; i = text.indexOf(needle, i + 1)) out.push(i);
  return out;
}

// Where a finding's sentence is: [start, end) of its quote in the text (the occurrence nearest to
// a fact quoting the same sentence when the text repeats it); when the quote is not in the text
// as written (trimmed, or whitespace changed), the sentence around the nearest fact of that quote
// or whose value the finding states; null when nothing fits.
export function findingRange(text, finding, facts) {
  const quote = (finding.quote || '').trim();
  const related = facts.filter((f) => f.index != null && quote && (f.quote || '').trim() === quote);
  const anchor = related.length ? related[0].index : null;
  const hits = occurrences(text, quote);
  if (hits.length) {
    let best = hits[0];
    if (anchor != null) for (const h of hits) if (Math.abs(h - anchor) < Math.abs(best - anchor)) best = h;
    return [best, best + quote.length];
  }
  if (anchor != null) return sentenceAround(text, anchor);
  // a quote whose whitespace differs: look for its longest run without spaces
  const runs = quote.split(/\s+/).filter(Boolean).sort((a, b) => b.length - a.length);
  if (runs.length && runs[0].length >= 6) {
    const h = text.indexOf(runs[0]);
    if (h >= 0) return sentenceAround(text, h);
  }
  const stated = facts.find((f) => f.index != null && f.value != null && finding.stated != null
    && Math.abs(Number(f.value) - Number(finding.stated)) < 1e-9);
  if (stated) return sentenceAround(text, stated.index);
  return null;
}

// The text cut at every fact span: [{start, end, text, fact}], `fact` the index of the span (and
// so of its fact) or -1 for plain text. Overlapping spans keep the first.
export function buildSegments(text, spans) {
  const sorted = spans
    .map((sp, k) => (sp && sp[1] > sp[0] ? { start: sp[0], end: sp[1], fact: k } : null))
    .filter(Boolean)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  let pos = 0;
  const piece = (start, end, fact) => out.push({ start, end, text: text.slice(start, end), fact });
  for (const sp of sorted) {
    if (sp.start < pos) continue;
    if (sp.start > pos) piece(pos, sp.start, -1);
    piece(sp.start, sp.end, sp.fact);
    pos = sp.end;
  }
  if (pos < text.length) piece(pos, text.length, -1);
  return out;
}

// The segments grouped into blocks of whole lines of at least `size` characters
// ([{start, end, segs}]), so that the page lays out and re-renders a block, not the whole text,
// when a sentence is marked. Plain text is cut after a line break; a block ends only there, so
// showing blocks one under the other looks exactly like the text.
export function chunkSegments(segments, size = 2000) {
  const chunks = [];
  let cur = null;
  const close = () => { if (cur && cur.segs.length) chunks.push(cur); cur = null; };
  const add = (seg) => {
    if (!cur) cur = { start: seg.start, end: seg.start, segs: [] };
    cur.segs.push(seg);
    cur.end = seg.end;
  };
  for (const seg of segments) {
    if (seg.fact >= 0) { add(seg); continue; }
    let from = 0;
    for (let nl = seg.text.indexOf('\n'); nl >= 0; nl = seg.text.indexOf('\n', nl + 1)) {
      if ((cur ? cur.end - cur.start : 0) + (nl + 1 - from) < size) continue;
      add({ ...seg, start: seg.start + from, end: seg.start + nl + 1, text: seg.text.slice(from, nl + 1) });
      from = nl + 1;
      close();
    }
    if (from < seg.text.length) {
      add(from === 0 ? seg : { ...seg, start: seg.start + from, text: seg.text.slice(from) });
    }
  }
  close();
  return chunks;
}

// The segments before, inside and after the range [from, to): the two segments it cuts through
// are split, the others shared, so that a click on a finding costs a binary search, not a pass.
export function splitSegments(segments, range) {
  if (!range || range[1] <= range[0]) return { before: segments, inside: [], after: [] };
  const [from, to] = range;
  // first segment ending after `at`
  const find = (at) => {
    let lo = 0;
    let hi = segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (segments[mid].end <= at) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  const cut = (seg, s, e) => ({ ...seg, start: s, end: e, text: seg.text.slice(s - seg.start, e - seg.start) });
  const a = find(from);
  const b = find(to - 1);
  const before = segments.slice(0, a);
  const inside = [];
  const after = [];
  for (let k = a; k <= b && k < segments.length; k += 1) {
    const seg = segments[k];
    if (seg.start < from) before.push(cut(seg, seg.start, from));
    inside.push(cut(seg, Math.max(seg.start, from), Math.min(seg.end, to)));
    if (seg.end > to) after.push(cut(seg, to, seg.end));
  }
  return { before, inside, after: after.concat(segments.slice(b + 1)) };
}

// Findings in display order: inconsistent first, then consistent, the server's order within each.
export function orderFindings(findings) {
  const rank = (f) => (f.verdict === 'inconsistent' ? 0 : f.verdict === 'consistent' ? 1 : 2);
  return findings.map((f, k) => ({ ...f, key: k })).sort((a, b) => rank(a) - rank(b) || a.key - b.key);
}

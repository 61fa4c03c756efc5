// The article view: the full text with places, times, figures and events highlighted from
// their stored spans, and one span (the fact the reader came from) in focus.

import { el, fill, safeLink, formatWindow, formatNumber } from "./dom.js";

const KINDS = ["event", "place", "time", "figure"];

function describe(kind, fact) {
  if (kind === "place") return fact.place ? `place: ${fact.place.name}, ${fact.place.country || ""} (${fact.place.kind})` : "place (unresolved)";
  if (kind === "time") return `time: ${formatWindow(fact.window) || "unresolved"} (${fact.granularity})`;
  if (kind === "figure") {
    const where = fact.place ? ` in ${fact.place.name}` : "";
    const who = fact.source ? `, says ${fact.source}` : "";
    return `figure: ${fact.qualifier} ${formatNumber(fact.value)} ${fact.unit} ${fact.measure}${where}${who}`;
  }
  return `event: ${fact.subtype} (${fact.type}) ${formatWindow(fact.date)}`;
}

/** Spans of every kind, cut into segments each covered by the same set of facts. */
function segments(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const span of spans) {
    cuts.add(Math.max(0, Math.min(text.length, span.start)));
    cuts.add(Math.max(0, Math.min(text.length, span.end)));
  }
  const edges = [...cuts].sort((a, b) => a - b);
  const result = [];
  for (let i = 0; i + 1 < edges.length; i += 1) {
    const [start, end] = [edges[i], edges[i + 1]];
    result.push({ start, end, covering: spans.filter((s) => s.start <= start && end <= s.end) });
  }
  return result;
}

/** Render `article` (from GET /api/articles/{id}) into `container`, focusing `focus` {start, end}. */
export function renderArticle(container, article, focus) {
  const spans = [];
  const lists = { place: article.places, time: article.times, figure: article.figures, event: article.events };
  for (const kind of KINDS) {
    for (const fact of lists[kind]) spans.push({ kind, start: fact.start, end: fact.end, fact });
  }
  const body = el("div", { class: "article-text" });
  let focused = null;
  for (const segment of segments(article.text, spans)) {
    const piece = article.text.slice(segment.start, segment.end);
    if (!segment.covering.length) {
      body.append(piece);
      continue;
    }
    const kinds = [...new Set(segment.covering.map((s) => s.kind))];
    const inFocus = focus && focus.start <= segment.start && segment.end <= focus.end;
    const node = el("span", {
      class: [...kinds.map((k) => `mark-${k}`), inFocus ? "focus" : ""].join(" ").trim(),
      title: segment.covering.map((s) => describe(s.kind, s.fact)).join("\n"),
      "data-start": segment.start,
      "data-end": segment.end,
      text: piece,
    });
    if (inFocus && !focused) focused = node;
    body.append(node);
  }
  const counts = KINDS.map((kind) => el("span", { class: `legend-item mark-${kind}`, text: `${kind}s ${lists[kind].length}` }));
  const meta = [article.published ? `published ${article.published}` : "no publication date", article.source, `id ${article.id}`].filter(Boolean).join(" · ");
  fill(
    container,
    el("h2", { class: "article-title", text: article.title || "(untitled article)" }),
    el("p", { class: "article-meta", text: meta }),
    article.url ? el("p", { class: "article-url" }, safeLink(article.url, article.url)) : null,
    el("p", { class: "legend" }, counts),
    body,
  );
  if (focused) {
    focused.id = "focus";
    focused.scrollIntoView({ block: "center" });
  }
  return focused;
}

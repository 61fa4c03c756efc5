// The sitroom page: filters in the URL, and the map, events, timeline, figure series, claims
// table and article view drawn from the JSON API of the same server.

import { el, fill, getJSON, typeColour, formatNumber, formatWindow, TYPE_COLOURS } from "./dom.js";
import { EventMap } from "./map.js";
import { drawTimeline, drawSeries } from "./charts.js";
import { renderArticle } from "./article.js";

const FILTERS = ["since", "until", "type", "place", "measure"];
const PAGE = 50;
// Claims shown at first in each series of the claims table.
const CLAIMS_SHOWN = 12;
const $ = (id) => document.getElementById(id);

/** The page's state: what the query string says. */
function readState() {
  const query = new URLSearchParams(window.location.search);
  const state = {};
  for (const key of [...FILTERS, "sel", "article", "at"]) state[key] = query.get(key) || "";
  return state;
}

function writeState(patch) {
  const state = { ...readState(), ...patch };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) if (value) query.set(key, value);
  const url = query.toString() ? `?${query}` : window.location.pathname;
  window.history.pushState(null, "", url);
  return state;
}

function incidentFilters(state) {
  return { since: state.since, until: state.until, type: state.type, place: state.place };
}

function showError(where, error) {
  fill(where, el("p", { class: "error", text: `Could not load: ${error.message}` }));
}

// -- filters ---------------------------------------------------------------------------------

function buildFilters(meta) {
  const type = $("f-type");
  const options = [el("option", { value: "", text: "any type" })];
  for (const [kind, subtypes] of Object.entries(meta.event_types)) {
    options.push(el("optgroup", { label: kind }, el("option", { value: kind, text: `${kind} (all)` }), subtypes.filter((s) => s !== kind).map((s) => el("option", { value: s, text: s }))));
  }
  fill(type, options);
  fill($("f-measure"), el("option", { value: "", text: "any measure" }), meta.measures.map((m) => el("option", { value: m, text: m.replace("_", " ") })));
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    const patch = { sel: "" };
    for (const key of FILTERS) patch[key] = $(`f-${key}`).value.trim();
    writeState(patch);
    refresh();
  });
  $("f-reset").addEventListener("click", () => {
    const patch = { sel: "" };
    for (const key of FILTERS) patch[key] = "";
    writeState(patch);
    refresh();
  });
  const c = meta.counts;
  fill($("counts"), `${formatNumber(c.articles)} articles · ${formatNumber(c.incidents)} incidents from ${formatNumber(c.events)} event reports · ${formatNumber(c.figures)} figures`);
}

function showFilters(state) {
  for (const key of FILTERS) $(`f-${key}`).value = state[key];
}

// -- map and events --------------------------------------------------------------------------

let eventMap = null;

function legend() {
  return Object.entries(TYPE_COLOURS).map(([type, colour]) =>
    el("span", { class: "legend-item" }, el("span", { class: "swatch", style: { background: colour } }), type),
  );
}

async function loadMap(state) {
  try {
    const points = (await getJSON("/api/map", incidentFilters(state))).items;
    eventMap.setPoints(points);
    const total = points.reduce((sum, p) => sum + p.count, 0);
    const reports = points.reduce((sum, p) => sum + p.reports, 0);
    const places = new Set(points.map((p) => p.place.id)).size;
    const unplaced = points.length ? "" : " (none with a resolved place)";
    fill($("map-caption"), `${formatNumber(total)} incidents from ${formatNumber(reports)} reports at ${places} places${unplaced}`);
  } catch (error) {
    showError($("map-caption"), error);
  }
}

/** "2019-11-21 – 11-30": a window's end without what it shares with its start. */
function shortWindow(window) {
  if (!window || window.start === window.end) return formatWindow(window);
  const end = window.end.slice(0, 4) === window.start.slice(0, 4) ? window.end.slice(5) : window.end;
  return `${window.start} – ${end}`;
}

function fatalities(incident) {
  if (incident.fatalities === null) return "";
  const high = incident.fatalities_high;
  return high !== null && high !== incident.fatalities ? `${formatNumber(incident.fatalities)}–${formatNumber(high)}` : formatNumber(incident.fatalities);
}

function incidentRow(incident) {
  // An incident opens the first article that reported it, at the reporting clause.
  const report = incident.reports[0];
  const open = () => report && openArticle(report.article_id, report);
  const sources = `${incident.report_count} report${incident.report_count === 1 ? "" : "s"}, ${incident.source_count} source${incident.source_count === 1 ? "" : "s"}`;
  return el(
    "tr",
    { class: "event-row", tabindex: 0, "data-incident": incident.id, onclick: open, onkeydown: (e) => e.key === "Enter" && open() },
    el("td", { text: shortWindow(incident.date) }),
    el(
      "td",
      {},
      el("span", { class: "dot", style: { background: typeColour(incident.type) } }),
      incident.subtype,
      incident.actors.length ? el("span", { class: "actors", text: incident.actors.join("; ") }) : null,
    ),
    el("td", {}, incident.place ? incident.place.name : "", el("span", { class: "sources", text: sources })),
    el("td", { class: "num", text: fatalities(incident) }),
  );
}

async function loadIncidents(state, offset = 0) {
  const params = { ...incidentFilters(state), limit: PAGE, offset };
  const places = state.sel ? state.sel.split(" ") : [""];
  const body = $("events-body");
  if (offset === 0) fill(body);
  try {
    // A chosen marker may hold several places: list each one's incidents.
    const pages = await Promise.all(places.map((p) => getJSON("/api/incidents", { ...params, place: p || state.place })));
    for (const page of pages) body.append(...page.items.map(incidentRow));
    const next = pages.find((p) => p.next_offset !== null);
    fill($("events-more"), next ? el("button", { type: "button", text: "More incidents", onclick: () => loadIncidents(state, next.next_offset) }) : null);
    fill($("events-title"), state.sel ? "Incidents at the chosen place" : "Incidents");
    fill($("events-clear"), state.sel ? el("button", { type: "button", class: "link", text: "show all", onclick: () => { writeState({ sel: "" }); loadIncidents(readState()); } }) : null);
    if (!body.children.length) body.append(el("tr", {}, el("td", { colspan: 4, text: "No incidents for these filters." })));
  } catch (error) {
    showError($("events-more"), error);
  }
}

// -- timeline, series, claims ----------------------------------------------------------------

async function loadTimeline(state) {
  try {
    const days = (await getJSON("/api/timeline", incidentFilters(state))).items;
    drawTimeline($("timeline"), days, $("timeline-caption"));
  } catch (error) {
    showError($("timeline-caption"), error);
  }
}

async function loadSeries(state) {
  const measure = state.measure || "displaced";
  try {
    const found = await getJSON("/api/series", { measure, place: state.place, since: state.since, until: state.until, limit: 500 });
    // A claim without a window of its own speaks for the day it was published.
    const claims = found.items.flatMap((series) => series.claims.map((c) => ({ ...c, period: c.period || (c.published ? { start: c.published, end: c.published } : null) })));
    drawSeries($("series"), claims, $("series-caption"), { onOpen: (f) => openArticle(f.article_id, f) });
  } catch (error) {
    showError($("series-caption"), error);
  }
}

function claimCell(claim, conflicting) {
  const when = claim.period ? formatWindow(claim.period) : `published ${claim.published || "?"}`;
  const who = claim.source ? `says ${claim.source}` : "no speaker named";
  return el(
    "button",
    { type: "button", class: `claim${conflicting ? " conflicting" : ""}`, "data-article": claim.article_id, "data-start": claim.start, "data-end": claim.end, onclick: () => openArticle(claim.article_id, claim) },
    el("span", { class: "claim-value", text: claim.text }),
    el("span", { class: "claim-detail", text: `${claim.qualifier.replace("_", " ")} ${formatNumber(claim.value)} ${claim.unit}` }),
    el("span", { class: "claim-detail", text: when }),
    el("span", { class: "claim-source", text: who }),
    el("span", { class: "claim-detail", text: claim.outlet || claim.title || "untitled article" }),
  );
}

function reconciledText(series) {
  const r = series.reconciled;
  const range = r.high === null ? `${formatNumber(r.low)} or more` : r.low === r.high ? formatNumber(r.low) : `${formatNumber(r.low)}–${formatNumber(r.high)}`;
  return `reading: ${formatNumber(r.conservative)} (range ${range}), ${r.sources} source${r.sources === 1 ? "" : "s"}`;
}

/** One series' claims side by side; `more` fetches the claims left out, if any. */
function claimGroup(series, more) {
  const current = new Set(series.reconciled.current);
  const conflict = series.reconciled.conflict;
  const where = series.place ? `${series.place.name} (${series.place.kind})` : "no place";
  const hidden = series.claim_count - series.claims.length;
  const group = el(
    "div",
    { class: `claim-group${conflict ? " conflict" : ""}`, "data-series": series.id },
    el(
      "p",
      { class: "claim-head" },
      el("span", { class: "measure", text: `${series.measure.replace("_", " ")} · ${series.unit}` }),
      el("span", { class: "where", text: where }),
      series.window ? el("span", { class: "where", text: formatWindow(series.window) }) : null,
      conflict ? el("span", { class: "badge", text: "sources disagree" }) : null,
    ),
    el("div", { class: "claims" }, series.claims.map((c, i) => claimCell(c, conflict && current.has(i)))),
    el("p", { class: "reading", text: reconciledText(series) }),
    hidden > 0 ? el("button", { type: "button", class: "link more-claims", text: `all ${formatNumber(series.claim_count)} claims (${formatNumber(hidden)} more)`, onclick: () => more(group) }) : null,
  );
  return group;
}

async function loadClaims(state) {
  const body = $("claims-body");
  const filters = { measure: state.measure, place: state.place, since: state.since, until: state.until };
  // Each series shows its current and latest claims; the rest come when asked for.
  const more = async (group) => {
    try {
      const found = await getJSON("/api/series", { ...filters, id: group.dataset.series });
      if (found.items.length) group.replaceWith(claimGroup(found.items[0], more));
    } catch (error) {
      showError(group, error);
    }
  };
  try {
    const found = await getJSON("/api/series", { ...filters, claims: CLAIMS_SHOWN });
    fill(body, found.items.map((series) => claimGroup(series, more)));
    if (!found.items.length) body.append(el("p", { text: "No figures for these filters." }));
  } catch (error) {
    showError(body, error);
  }
}

// -- article view ----------------------------------------------------------------------------

async function openArticle(articleId, fact) {
  const at = fact ? `${fact.start}-${fact.end}` : "";
  writeState({ article: articleId, at });
  await showArticle(readState());
}

async function showArticle(state) {
  const panel = $("article");
  if (!state.article) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const content = $("article-content");
  fill(content, el("p", { text: "Loading…" }));
  const [start, end] = state.at.split("-").map(Number);
  try {
    const article = await getJSON(`/api/articles/${encodeURIComponent(state.article)}`);
    renderArticle(content, article, Number.isFinite(start) && Number.isFinite(end) ? { start, end } : null);
  } catch (error) {
    showError(content, error);
  }
}

function closeArticle() {
  writeState({ article: "", at: "" });
  $("article").hidden = true;
}

// -- wiring ----------------------------------------------------------------------------------

/** Load every panel for the URL's filters; resolves with the first panels, then with all. */
function refresh() {
  const state = readState();
  showFilters(state);
  const report = new URLSearchParams(Object.entries({ place: state.place, since: state.since, until: state.until }).filter(([, v]) => v));
  $("report-link").setAttribute("href", `/report${report.toString() ? `?${report}` : ""}`);
  // The map, the incidents and the timeline are asked for first and drawn as they come; the
  // figure series are built from every claim in the range, so they are asked for after.
  fill($("series-caption"), "loading…");
  const first = Promise.all([loadMap(state), loadIncidents(state), loadTimeline(state), showArticle(state)]);
  const figures = first.then(() => Promise.all([loadSeries(state), loadClaims(state)]));
  return { first, all: figures };
}

/** A large store opens on its latest incidents (the server says from which day), so the first
 * view stays quick; the day shows in the URL and the filter bar like any other filter. */
function defaultToRecent(meta) {
  const state = readState();
  if (state.since || state.until || !meta.opening_since) return;
  const query = new URLSearchParams(window.location.search);
  query.set("since", meta.opening_since);
  window.history.replaceState(null, "", `?${query}`);
}

async function main() {
  eventMap = new EventMap($("map"), {
    onSelect: (places) => {
      writeState({ sel: places.map((p) => p.id).join(" ") });
      loadIncidents(readState());
    },
  });
  fill($("map-legend"), legend());
  $("article-close").addEventListener("click", closeArticle);
  document.addEventListener("keydown", (event) => event.key === "Escape" && !$("article").hidden && closeArticle());
  window.addEventListener("popstate", refresh);
  // The basemap downloads while the filters do; it is drawn once the data is asked for, so
  // the server works while the browser draws. Markers drawn before it stay where they are.
  const basemap = fetch("/static/basemap.json").then((response) => response.json());
  const meta = await getJSON("/api/meta");
  buildFilters(meta);
  defaultToRecent(meta);
  const loading = refresh();
  eventMap.drawBasemap(await basemap);
  await loading.first;
  markTime("firstRenderAt");
  await loading.all;
  markTime("readyAt");
  document.body.dataset.ready = "true";
}

/** Milliseconds since navigation, on the body for tests and the benchmark to read. */
function markTime(name) {
  document.body.dataset[name] = String(Math.round(performance.now()));
}

main().catch((error) => {
  fill($("counts"), el("span", { class: "error", text: `The page could not start: ${error.message}` }));
});

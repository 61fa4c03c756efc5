// The timeline (events per day, week or month, stacked by type) and a figure series chart
// (one measure's claims over time, with their periods and ranges). Plain SVG.

import { svg, fill, typeColour, formatNumber } from "./dom.js";

const DAY = 86400000;
const PAD = { left: 60, right: 12, top: 20, bottom: 26 };

function toTime(day) {
  return Date.parse(`${day}T00:00:00Z`);
}

function isoDay(time) {
  return new Date(time).toISOString().slice(0, 10);
}

/** The bucket a day falls in: itself, its week's Monday, or its month's first day. */
function bucketOf(day, unit) {
  if (unit === "day") return day;
  if (unit === "month") return `${day.slice(0, 7)}-01`;
  const time = toTime(day);
  const weekday = (new Date(time).getUTCDay() + 6) % 7;
  return isoDay(time - weekday * DAY);
}

function unitFor(spanDays) {
  if (spanDays <= 92) return "day";
  if (spanDays <= 2 * 366) return "week";
  return "month";
}

function nextBucket(time, unit) {
  if (unit === "day") return time + DAY;
  if (unit === "week") return time + 7 * DAY;
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function axis(width, height, x0, x1, ticks, yLabel) {
  const parts = [svg("line", { class: "axis", x1: PAD.left, x2: width - PAD.right, y1: height - PAD.bottom, y2: height - PAD.bottom })];
  const spanDays = Math.max(1, Math.round((x1 - x0) / DAY));
  const count = Math.max(2, Math.min(6, Math.floor((width - PAD.left) / 110), spanDays + 1));
  for (let i = 0; i < count; i += 1) {
    const t = x0 + ((x1 - x0) * i) / (count - 1);
    const x = PAD.left + ((width - PAD.left - PAD.right) * i) / (count - 1);
    parts.push(svg("text", { class: "tick", x, y: height - 8, "text-anchor": i === 0 ? "start" : i === count - 1 ? "end" : "middle", text: isoDay(t) }));
  }
  for (const [value, y] of ticks) {
    parts.push(svg("line", { class: "grid", x1: PAD.left, x2: width - PAD.right, y1: y, y2: y }));
    parts.push(svg("text", { class: "tick", x: PAD.left - 6, y: y + 4, "text-anchor": "end", text: formatNumber(value) }));
  }
  parts.push(svg("text", { class: "axis-label", x: 4, y: 11, text: yLabel }));
  return parts;
}

/** Events per day (or week, or month for long ranges) stacked by type. */
export function drawTimeline(container, days, caption) {
  const width = container.clientWidth || 600;
  const height = 200;
  if (!days.length) {
    fill(caption, "no dated incidents for these filters");
    return fill(container);
  }
  const first = toTime(days[0].day);
  const last = toTime(days[days.length - 1].day);
  const unit = unitFor((last - first) / DAY);
  const buckets = new Map();
  for (const { day, type, count } of days) {
    const key = bucketOf(day, unit);
    if (!buckets.has(key)) buckets.set(key, new Map());
    const byType = buckets.get(key);
    byType.set(type, (byType.get(type) || 0) + count);
  }
  const start = toTime(bucketOf(days[0].day, unit));
  // A few days alone would stretch each bar across the chart: show a week at least.
  const end = Math.max(nextBucket(toTime(bucketOf(days[days.length - 1].day, unit)), unit), start + 7 * DAY);
  const top = Math.max(...[...buckets.values()].map((m) => [...m.values()].reduce((a, b) => a + b, 0)));
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (t) => PAD.left + ((t - start) / (end - start)) * plotW;
  const y = (n) => height - PAD.bottom - (n / top) * plotH;
  const bars = [];
  for (const [key, byType] of buckets) {
    const t = toTime(key);
    const x0 = x(t);
    const w = Math.max(2, x(nextBucket(t, unit)) - x0 - 1);
    let base = 0;
    for (const [type, count] of [...byType.entries()].sort()) {
      bars.push(
        svg(
          "rect",
          { class: "bar", x: x0.toFixed(1), y: y(base + count).toFixed(1), width: w.toFixed(1), height: (y(base) - y(base + count)).toFixed(1), fill: typeColour(type), "data-type": type, "data-day": key },
          svg("title", { text: `${key} (${unit}): ${count} ${type}` }),
        ),
      );
      base += count;
    }
  }
  const ticks = [[top, y(top)], [Math.round(top / 2), y(Math.round(top / 2))]];
  fill(caption, `incidents per ${unit}, by type`);
  return fill(container, svg("svg", { class: "chart", width, height }, axis(width, height, start, end, ticks, "incidents"), bars));
}

/** One measure's figures over time: a dot at the period's end, a line over the period. */
export function drawSeries(container, figures, caption, { onOpen }) {
  const width = container.clientWidth || 600;
  const height = 200;
  const dated = figures.filter((f) => f.period && f.qualifier !== "fraction");
  if (!dated.length) {
    fill(caption, "no dated figures for these filters");
    return fill(container);
  }
  const start = Math.min(...dated.map((f) => toTime(f.period.start)));
  const end = Math.max(...dated.map((f) => toTime(f.period.end))) + DAY;
  const values = dated.flatMap((f) => [f.value, f.low, f.high]).filter((v) => typeof v === "number" && v > 0);
  const top = Math.max(...values, 1);
  const bottom = Math.min(...values, top);
  const logScale = top / bottom > 50;
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (t) => PAD.left + ((t - start) / Math.max(end - start, DAY)) * plotW;
  const y = logScale
    ? (v) => height - PAD.bottom - ((Math.log10(Math.max(v, bottom)) - Math.log10(bottom)) / Math.max(Math.log10(top / bottom), 1e-9)) * plotH * 0.95
    : (v) => height - PAD.bottom - (v / top) * plotH * 0.95;
  const marks = dated.map((f) => {
    const x0 = x(toTime(f.period.start));
    const x1 = x(toTime(f.period.end) + DAY);
    const cy = y(f.value);
    const parts = [svg("line", { class: "period", x1: x0, x2: x1, y1: cy, y2: cy })];
    if (typeof f.low === "number" && typeof f.high === "number") {
      parts.push(svg("line", { class: "range", x1: x1, x2: x1, y1: y(f.low), y2: y(f.high) }));
    }
    const where = f.place ? f.place.name : "no place";
    const who = f.source ? `, ${f.source}` : "";
    return svg(
      "g",
      { class: "claim-mark", tabindex: 0, onclick: () => onOpen(f), onkeydown: (e) => e.key === "Enter" && onOpen(f) },
      svg("title", { text: `“${f.text}” — ${f.measure}, ${where}${who}, ${f.period.start} – ${f.period.end}` }),
      parts,
      svg("circle", { class: f.qualifier, cx: x1, cy, r: 5 }),
    );
  });
  const tickValues = logScale ? [bottom, Math.round(Math.sqrt(bottom * top)), top] : [0, Math.round(top / 2), top];
  const ticks = tickValues.map((v) => [v, y(v)]);
  fill(caption, `${dated[0].measure}: claims over time${logScale ? " (log scale)" : ""}; click one for its article`);
  return fill(container, svg("svg", { class: "chart", width, height }, axis(width, height, start, end, ticks, "count"), marks));
}

// The map: Natural Earth countries drawn in SVG (Web Mercator), event markers clustered on a
// screen grid and coloured by event type. No tiles, no network beyond this server.

import { el, svg, fill, typeColour, formatNumber } from "./dom.js";

const CELL = 46; // px: markers closer than this on screen share a cluster
const MAX_LAT = 85;
const MIN_SPAN = 6; // degrees of longitude shown when fitting a single place
const MAX_SCALE = 4000; // px per projected degree
const MARGIN = 36; // px kept clear around the fitted events, so edge markers show whole

function project(lon, lat) {
  const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  return [lon, (-Math.log(Math.tan(Math.PI / 4 + phi / 2)) * 180) / Math.PI];
}

/** Pie slices (or one disc) for a cluster's counts by type. */
function pie(counts, radius) {
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  if (counts.length === 1) {
    return [svg("circle", { r: radius, fill: typeColour(counts[0][0]) })];
  }
  let angle = -Math.PI / 2;
  return counts.map(([type, n]) => {
    const sweep = (2 * Math.PI * n) / total;
    const [x0, y0] = [radius * Math.cos(angle), radius * Math.sin(angle)];
    angle += sweep;
    const [x1, y1] = [radius * Math.cos(angle), radius * Math.sin(angle)];
    const large = sweep > Math.PI ? 1 : 0;
    const d = `M0 0L${x0.toFixed(2)} ${y0.toFixed(2)}A${radius} ${radius} 0 ${large} 1 ${x1.toFixed(2)} ${y1.toFixed(2)}Z`;
    return svg("path", { d, fill: typeColour(type) });
  });
}

export class EventMap {
  /** A map in `container`; `onSelect(places)` is called when a marker is chosen. */
  constructor(container, { onSelect }) {
    this.container = container;
    this.onSelect = onSelect;
    this.points = [];
    this.view = { scale: 3, x: 0, y: 0 }; // screen = projected * scale + (x, y)
    this.root = svg("svg", { class: "map-svg", role: "img", "aria-label": "Map of events" });
    this.land = svg("g", { class: "land" });
    this.markers = svg("g", { class: "markers" });
    this.root.append(svg("rect", { class: "sea", width: "100%", height: "100%" }), this.land, this.markers);
    const controls = el(
      "div",
      { class: "map-controls" },
      el("button", { type: "button", title: "Zoom in", text: "+", onclick: () => this.zoomBy(2) }),
      el("button", { type: "button", title: "Zoom out", text: "−", onclick: () => this.zoomBy(0.5) }),
      el("button", { type: "button", title: "Fit the events", text: "⤢", onclick: () => this.fit() }),
    );
    fill(container, this.root, controls);
    this.bindGestures();
    new ResizeObserver(() => this.draw()).observe(container);
  }

  /** Draw the countries of a basemap (`static/basemap.json`). */
  drawBasemap(basemap) {
    const paths = basemap.countries.map((country) =>
      // The build script wrote each path already projected (see scripts/build_basemap.py).
      svg("path", { d: country.d, class: "country" }, svg("title", { text: country.name })),
    );
    fill(this.land, paths);
    this.draw();
  }

  size() {
    return [this.container.clientWidth || 600, this.container.clientHeight || 400];
  }

  setPoints(points) {
    this.points = points.map((point) => ({ ...point, xy: project(point.place.lon, point.place.lat) }));
    this.fit();
  }

  /** Show every point (or the world when there are none). */
  fit() {
    const [width, height] = this.size();
    let [west, east, north, south] = [-170, 190, -80, 85];
    if (this.points.length) {
      const xs = this.points.map((p) => p.xy[0]);
      const ys = this.points.map((p) => p.xy[1]);
      [west, east, north, south] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const pad = Math.max(MIN_SPAN - (east - west), 0) / 2;
      [west, east] = [west - pad, east + pad];
      const padY = Math.max(MIN_SPAN / 2 - (south - north), 0) / 2;
      [north, south] = [north - padY, south + padY];
    }
    const inner = [Math.max(width - 2 * MARGIN, 50), Math.max(height - 2 * MARGIN, 50)];
    const scale = Math.min(inner[0] / (east - west), inner[1] / (south - north), MAX_SCALE);
    this.view = {
      scale,
      x: width / 2 - ((west + east) / 2) * scale,
      y: height / 2 - ((north + south) / 2) * scale,
    };
    this.draw();
  }

  zoomBy(factor, [cx, cy] = this.size().map((n) => n / 2)) {
    const scale = Math.max(0.5, Math.min(MAX_SCALE, this.view.scale * factor));
    const k = scale / this.view.scale;
    this.view = { scale, x: cx - (cx - this.view.x) * k, y: cy - (cy - this.view.y) * k };
    this.draw();
  }

  bindGestures() {
    this.root.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        const box = this.root.getBoundingClientRect();
        this.zoomBy(event.deltaY < 0 ? 1.25 : 0.8, [event.clientX - box.left, event.clientY - box.top]);
      },
      { passive: false },
    );
    let drag = null;
    this.root.addEventListener("pointerdown", (event) => {
      if (event.target.closest(".marker")) return;
      drag = { x: event.clientX, y: event.clientY, view: { ...this.view } };
      this.root.setPointerCapture(event.pointerId);
    });
    this.root.addEventListener("pointermove", (event) => {
      if (!drag) return;
      this.view = { ...drag.view, x: drag.view.x + event.clientX - drag.x, y: drag.view.y + event.clientY - drag.y };
      this.draw();
    });
    this.root.addEventListener("pointerup", () => {
      drag = null;
    });
  }

  draw() {
    const { scale, x, y } = this.view;
    this.land.setAttribute("transform", `translate(${x.toFixed(1)} ${y.toFixed(1)}) scale(${scale})`);
    fill(this.markers, this.clusters().map((cluster) => this.marker(cluster)));
  }

  /** Points grouped by screen cell; cells follow the projection, so panning keeps clusters. */
  clusters() {
    const cells = new Map();
    for (const point of this.points) {
      const key = `${Math.floor((point.xy[0] * this.view.scale) / CELL)},${Math.floor((point.xy[1] * this.view.scale) / CELL)}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(point);
    }
    return [...cells.values()].map((points) => {
      const total = points.reduce((sum, p) => sum + p.count, 0);
      const byType = new Map();
      for (const p of points) byType.set(p.type, (byType.get(p.type) || 0) + p.count);
      // The cluster sits at the count-weighted centre of its points.
      const cx = points.reduce((sum, p) => sum + p.xy[0] * p.count, 0) / total;
      const cy = points.reduce((sum, p) => sum + p.xy[1] * p.count, 0) / total;
      return { points, total, counts: [...byType.entries()].sort((a, b) => b[1] - a[1]), xy: [cx, cy] };
    });
  }

  marker(cluster) {
    const sx = cluster.xy[0] * this.view.scale + this.view.x;
    const sy = cluster.xy[1] * this.view.scale + this.view.y;
    const radius = Math.round(9 + 4 * Math.log2(cluster.total));
    const places = [...new Map(cluster.points.map((p) => [p.place.id, p.place])).values()];
    const label = places.map((p) => p.name).join(", ");
    const tip = `${label}\n${cluster.counts.map(([t, n]) => `${t}: ${n}`).join("\n")}`;
    return svg(
      "g",
      {
        class: "marker",
        transform: `translate(${sx.toFixed(1)} ${sy.toFixed(1)})`,
        "data-places": places.map((p) => p.id).join(" "),
        "data-types": cluster.counts.map(([t]) => t).join("|"),
        "data-count": cluster.total,
        tabindex: 0,
        onclick: () => this.choose(cluster, places),
        onkeydown: (event) => event.key === "Enter" && this.choose(cluster, places),
      },
      svg("title", { text: tip }),
      svg("circle", { r: radius + 2, class: "marker-ring" }),
      pie(cluster.counts, radius),
      svg("text", { class: "marker-count", dy: "0.35em", text: formatNumber(cluster.total) }),
    );
  }

  choose(cluster, places) {
    const xs = cluster.points.map((p) => p.xy[0]);
    const ys = cluster.points.map((p) => p.xy[1]);
    const spread = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    if (places.length > 1 && spread > 0 && this.view.scale < MAX_SCALE) {
      // Zoom until the cluster's places come apart, centred on the cluster.
      const [width, height] = this.size();
      const factor = Math.min(MAX_SCALE / this.view.scale, (0.5 * Math.min(width, height)) / (spread * this.view.scale));
      const sx = cluster.xy[0] * this.view.scale + this.view.x;
      const sy = cluster.xy[1] * this.view.scale + this.view.y;
      this.view = { ...this.view, x: this.view.x + width / 2 - sx, y: this.view.y + height / 2 - sy };
      this.zoomBy(Math.max(factor, 2), [width / 2, height / 2]);
    }
    this.onSelect(places);
  }
}

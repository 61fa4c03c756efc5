// DOM helpers for the sitroom page. Every piece of data becomes a text node or an attribute
// value, never markup: nothing an article says can run as script.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.setAttribute("class", value);
    else if (key === "text") node.textContent = value;
    // Through CSSOM: the content security policy refuses style attributes, not this.
    else if (key === "style") Object.assign(node.style, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** An HTML element with attributes (`text` sets its text, `onX` adds listeners) and children. */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, like `el`. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Empty a node and put new children in it. */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
  return node;
}

/** A link only for http(s) URLs: a `javascript:` URL in a stored article stays plain text. */
export function safeLink(url, label) {
  try {
    const parsed = new URL(url, window.location.href);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") {
      return el("a", { href: parsed.href, rel: "noopener noreferrer", target: "_blank", text: label });
    }
  } catch (error) {
    // Not a URL at all: show it as text below.
  }
  return el("span", { text: label });
}

/** GET a JSON resource of the API with query parameters (empty ones left out). */
export async function getJSON(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") query.set(key, value);
  }
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).error.message;
    } catch (error) {
      // Keep the status line.
    }
    throw new Error(message);
  }
  return response.json();
}

/** Colours of ACLED's event types (and sitroom's Displacement), the same in every view. */
export const TYPE_COLOURS = {
  Battles: "#d62728",
  "Explosions/Remote violence": "#ff7f0e",
  "Violence against civilians": "#9467bd",
  Protests: "#2ca02c",
  Riots: "#8c564b",
  "Strategic developments": "#1f77b4",
  Displacement: "#17a2b8",
};

export function typeColour(type) {
  return TYPE_COLOURS[type] || "#777777";
}

const NUMBER = new Intl.NumberFormat("en");

export function formatNumber(value) {
  return typeof value === "number" ? NUMBER.format(value) : "";
}

/** A window as "2019-12-24" or "2019-12-22 – 2019-12-24". */
export function formatWindow(window) {
  if (!window) return "";
  return window.start === window.end ? window.start : `${window.start} – ${window.end}`;
}

// lcwh inspector: a live list of deliveries (virtualised: only the visible
// rows are in the DOM), a detail view, and actions. Plain DOM, no framework;
// every text from a delivery goes in with textContent, never as HTML.
"use strict";

const ROW_H = 34;          // keep in sync with --row in app.css
const OVERSCAN = 8;
const PAGE = 200;
const HIGHLIGHT_MAX = 400000; // bytes of body highlighted token by token

const $ = (sel) => document.querySelector(sel);
const state = {
  info: null,
  labels: null,     // verdict name -> label, from /api/info
  items: [],        // summaries, newest first
  ids: new Set(),
  before: 0,        // cursor of the next older page (0 = none)
  matched: 0,
  loading: false,
  active: -1,       // index of the selected row
  openId: 0,
  detail: null,
  view: "pretty",
  es: null,
  gen: 0,           // bumps on every filter change
  fresh: new Set(),
  touched: false,   // the reader moved the selection
};

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false) continue;
    e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return e;
}

async function api(path, opts) {
  const res = await fetch(path, opts);
  const ct = res.headers.get("Content-Type") || "";
  const body = ct.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw new Error((body && body.error) || body || res.statusText);
  return body;
}

function post(path, data) {
  return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) });
}

// ---------- formatting ----------

const pad = (n, w = 2) => String(n).padStart(w, "0");
function clock(iso) {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
function dur(ms) {
  if (ms === undefined || ms === null) return "";
  return ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : ms >= 10 ? Math.round(ms) + " ms" : ms.toFixed(1) + " ms";
}
// verdictBadge shows a delivery's verdict with its label from /api/info.
function verdictBadge(s) {
  const ok = s.verdict === "valid";
  const label = (state.labels && state.labels.get(s.verdict)) || s.verdict;
  const text = s.verdict === "invalid" && s.errors ? `${s.errors} error${s.errors === 1 ? "" : "s"}` : label;
  return el("span", { class: "badge " + (ok ? "ok" : "bad"), text: (ok ? "✓ " : "✗ ") + text });
}
function secretText(s) {
  return { ok: "ok", wrong: "wrong", missing: "missing", unchecked: "–" }[s.secret] || s.secret;
}
function forwardText(f) {
  if (!f) return ["–", "dim"];
  if (f.timed_out) return ["timed out", "code-bad"];
  if (f.error) return ["unreachable", "code-bad"];
  return ["app " + f.status, f.status >= 200 && f.status < 300 ? "code-ok" : "code-bad"];
}
function mib(bytes) { return bytes >= 1 << 20 ? +(bytes / (1 << 20)).toFixed(1) + " MiB" : Math.ceil(bytes / 1024) + " KiB"; }
function statusClass(code) { return code >= 200 && code < 300 ? "code-ok" : "code-bad"; }

// ---------- list ----------

const list = $("#list"), rows = $("#rows");

function filterParams() {
  const p = new URLSearchParams();
  for (const [id, key] of [["#f-action", "action"], ["#f-validity", "validity"], ["#f-q", "q"]]) {
    const v = $(id).value.trim();
    if (v) p.set(key, v);
  }
  return p;
}

async function reload() {
  const gen = ++state.gen;
  if (state.es) { state.es.close(); state.es = null; }
  const p = filterParams();
  p.set("limit", PAGE);
  let page;
  try {
    page = await api("/api/deliveries?" + p);
  } catch (e) {
    setConn("down", "cannot load the list: " + e.message);
    return;
  }
  if (gen !== state.gen) return;
  const activeId = state.items[state.active] ? state.items[state.active].id : state.openId;
  state.items = page.items;
  state.ids = new Set(page.items.map((s) => s.id));
  state.before = page.before || 0;
  state.matched = page.matched;
  state.active = Math.max(0, state.items.findIndex((s) => s.id === activeId));
  if (!state.items.length) state.active = -1;
  list.scrollTop = 0;
  render();
  openStream(page.newest, gen);
}

async function loadOlder() {
  if (state.loading || !state.before) return;
  state.loading = true;
  const gen = state.gen;
  const p = filterParams();
  p.set("limit", PAGE);
  p.set("before", state.before);
  try {
    const page = await api("/api/deliveries?" + p);
    if (gen !== state.gen) return;
    for (const s of page.items) if (!state.ids.has(s.id)) { state.ids.add(s.id); state.items.push(s); }
    state.before = page.before || 0;
    render();
  } finally {
    state.loading = false;
  }
}

function openStream(after, gen) {
  const p = filterParams();
  p.set("after", after || 0);
  const es = new EventSource("/api/events?" + p);
  state.es = es;
  let queue = [];
  let scheduled = false;
  es.addEventListener("open", () => setConn("live", "live"));
  es.addEventListener("error", () => {
    if (es.readyState !== EventSource.CLOSED) { setConn("down", "reconnecting…"); return; }
    // refused (a restarted lcwh listen has a new token): say why
    api("/api/info").then(() => setConn("down", "disconnected: reload the page"), (e) => setConn("down", e.message));
  });
  es.addEventListener("reset", () => { if (gen === state.gen) reload(); });
  es.addEventListener("delivery", (ev) => {
    if (gen !== state.gen) return;
    queue.push(JSON.parse(ev.data));
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(() => { scheduled = false; const q = queue; queue = []; addLive(q); });
    }
  });
}

function addLive(batch) {
  const fresh = batch.filter((s) => !state.ids.has(s.id)).reverse(); // newest first
  if (!fresh.length) return;
  for (const s of fresh) { state.ids.add(s.id); state.fresh.add(s.id); }
  state.items = fresh.concat(state.items);
  state.matched += fresh.length;
  // the selection follows its delivery once the reader chose one; until
  // then it stays on the newest
  if (state.active >= 0 && state.touched) state.active += fresh.length;
  else state.active = 0;
  // keep what the reader looks at still: shift by the rows added above
  if (list.scrollTop > 0) list.scrollTop += fresh.length * ROW_H;
  const cap = (state.info && state.info.history) || 1000;
  if (state.items.length > cap) {
    for (const s of state.items.splice(cap)) state.ids.delete(s.id);
    state.before = state.items[state.items.length - 1].id;
    if (state.active >= cap) state.active = cap - 1;
  }
  render();
  setTimeout(() => { for (const s of fresh) state.fresh.delete(s.id); render(); }, 1500);
}

let renderQueued = false;
function render() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => { renderQueued = false; paint(); });
}

function paint() {
  const n = state.items.length;
  rows.style.height = n * ROW_H + "px";
  const top = list.scrollTop, h = list.clientHeight || 600;
  const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
  const last = Math.min(n, Math.ceil((top + h) / ROW_H) + OVERSCAN);
  const frag = document.createDocumentFragment();
  for (let i = first; i < last; i++) frag.append(rowFor(state.items[i], i));
  rows.replaceChildren(frag);
  const a = state.items[state.active];
  if (a) list.setAttribute("aria-activedescendant", "row-" + a.id);
  else list.removeAttribute("aria-activedescendant");
  const shown = state.matched > n ? `${n} of ${state.matched}` : String(n);
  const kept = state.info ? ` · keeping the last ${state.info.history} (${mib(state.info.history_bytes)} at most)` : "";
  $("#count").textContent = n ? `${shown} deliver${state.matched === 1 ? "y" : "ies"}${kept}` : "No deliveries" + (filterParams().toString() ? " match the filters" : " yet");
  if (last >= n - OVERSCAN && state.before) loadOlder();
}

function rowFor(s, i) {
  const [fw, fwCls] = forwardText(s.forward);
  const r = el("div", {
    id: "row-" + s.id, class: "row" + (state.fresh.has(s.id) ? " fresh" : "") + (s.id === state.openId ? " open" : ""),
    role: "option", "aria-selected": i === state.active ? "true" : "false",
    "aria-posinset": i + 1, "aria-setsize": state.matched, "data-id": s.id,
  },
    el("span", { class: "time", title: s.time, text: clock(s.time) }),
    el("span", {}, el("span", { class: "act", text: s.action || "(no action)" }), el("span", { class: "sum", text: s.summary })),
    el("span", {}, verdictBadge(s)),
    el("span", { class: s.secret === "wrong" || s.secret === "missing" ? "code-bad" : "dim", title: "secret_key " + s.secret, text: secretText(s) }),
    el("span", { class: statusClass(s.status), title: "lcwh answered " + s.status + " in " + dur(s.duration_ms), text: s.status }),
    el("span", { class: fwCls, title: s.forward ? s.forward.url : "not forwarded", text: fw }),
  );
  r.style.top = i * ROW_H + "px";
  return r;
}

function select(i, scroll = true) {
  if (!state.items.length) return;
  state.active = Math.max(0, Math.min(state.items.length - 1, i));
  state.touched = true;
  if (scroll) {
    const y = state.active * ROW_H;
    if (y < list.scrollTop) list.scrollTop = y;
    else if (y + ROW_H > list.scrollTop + list.clientHeight) list.scrollTop = y + ROW_H - list.clientHeight;
  }
  render();
}

list.addEventListener("scroll", render, { passive: true });
window.addEventListener("resize", render);
list.addEventListener("click", (e) => {
  const r = e.target.closest(".row");
  if (!r) return;
  const i = state.items.findIndex((s) => s.id === Number(r.dataset.id));
  select(i, false);
  open(state.items[i].id, false);
});
list.addEventListener("keydown", (e) => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const page = Math.max(1, Math.floor(list.clientHeight / ROW_H) - 1);
  const moves = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: page, PageUp: -page };
  if (e.key in moves) select((state.active < 0 ? -1 : state.active) + moves[e.key]);
  else if (e.key === "Home") select(0);
  else if (e.key === "End") select(state.items.length - 1);
  else if (e.key === "Enter" || e.key === " ") { const s = state.items[state.active]; if (s) open(s.id, true); }
  else return;
  e.preventDefault();
});
document.addEventListener("keydown", (e) => {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
  if (e.key === "/" && !typing) { e.preventDefault(); $("#f-q").focus(); }
  else if (e.key === "Escape") { list.focus(); }
});

let qTimer = 0;
$("#f-q").addEventListener("input", () => { clearTimeout(qTimer); qTimer = setTimeout(reload, 200); });
$("#f-action").addEventListener("change", reload);
$("#f-validity").addEventListener("change", reload);
$("#filters").addEventListener("submit", (e) => { e.preventDefault(); reload(); });

function setConn(cls, text) {
  const c = $("#conn");
  c.className = "conn " + cls;
  c.textContent = text;
}

// ---------- detail ----------

const detail = $("#detail");

async function open(id, focus) {
  state.openId = id;
  history.replaceState(null, "", "#/d/" + id);
  render();
  let d;
  try {
    d = await api("/api/deliveries/" + id);
  } catch (e) {
    detail.replaceChildren(el("h2", { id: "detail-h", text: "Delivery " + id }), el("p", { class: "result bad", text: e.message }));
    return;
  }
  if (state.openId !== id) return;
  state.detail = d;
  state.view = d.body.json ? "pretty" : "raw";
  showDetail(d);
  if (focus) { detail.setAttribute("tabindex", "-1"); $("#detail-h").focus(); }
}

function showDetail(d) {
  const errs = d.error_list || [];
  const problems = d.syntax_error ? [d.syntax_error] : errs;
  const fwd = d.forward_detail;
  const replayURL = el("input", { id: "replay-url", type: "url", name: "url", placeholder: state.info.forward_to || "http://localhost:3000/webhooks", value: "", autocomplete: "url", spellcheck: "false" });
  const replayOut = el("div", { id: "replay-result", role: "status", "aria-live": "polite" });
  const copyOut = el("div", { id: "copy-result", role: "status", "aria-live": "polite" });

  const head = el("div", { class: "d-head" },
    el("h2", { id: "detail-h", tabindex: "-1", class: "d-title" }, el("span", { class: "act", text: (d.action || "(no action)") })),
    verdictBadge(d),
    d.source === "recording" ? el("span", { class: "badge warn", text: "from the recording" }) : null,
  );
  const sub = el("p", { class: "d-sub" },
    `#${d.id} · ${new Date(d.time).toLocaleDateString()} ${clock(d.time)} · `, el("code", { text: `${d.method} ${d.path}` }),
    ` from ${d.remote_addr} · secret_key ${d.secret} · ${d.body.bytes} bytes`);

  const actions = el("form", { class: "actions", "aria-label": "Actions on this delivery", onsubmit: (e) => { e.preventDefault(); replay(d, replayURL.value, null, replayOut); } },
    el("label", {}, "Replay to (empty: " + (state.info.forward_to ? "the forward target" : "give a URL") + ")", replayURL),
    el("button", { type: "submit", class: "primary", id: "replay-btn" }, "Replay"),
    el("button", { type: "button", id: "edit-btn", onclick: () => editBody(d, replayURL, replayOut) }, "Edit & send"),
    el("button", { type: "button", id: "copy-curl", onclick: () => copyExport(d, "curl", replayURL.value, copyOut) }, "Copy as curl"),
    el("button", { type: "button", id: "copy-send", onclick: () => copyExport(d, "send", replayURL.value, copyOut) }, "Copy as lcwh send"),
    el("a", { class: "button", id: "download", href: `/api/deliveries/${d.id}/export?as=fixture`, download: "" }, "Download fixture"),
  );

  const parts = [head, sub, actions, replayOut, copyOut, el("div", { id: "editor" })];

  if (problems.length) {
    parts.push(el("h4", { id: "errors-h", text: d.syntax_error ? "Malformed JSON" : `Validation errors (${errs.length + (d.errors_not_listed || 0)})` }),
      el("ol", { class: "errors", "aria-labelledby": "errors-h" }, errorItems(d, problems)));
  }
  const warns = d.syntax_error ? [] : d.warning_list || [];
  if (warns.length) {
    // A warning is listed like an error, dimmed: it does not make the delivery invalid.
    parts.push(el("h4", { id: "warnings-h", class: "dim", text: `Warnings (${warns.length})` }),
      el("ol", { class: "errors warnings", "aria-labelledby": "warnings-h" }, warns.map(errorItem)));
  }
  if (!problems.length && d.verdict === "rejected") {
    parts.push(el("p", { class: "result bad", text: `secret_key ${d.secret}: lcwh answered ${d.status} and did not validate the body.` }));
  }
  if (d.transcript && d.transcript.length) {
    parts.push(el("h4", { text: "Transcript" }), el("ul", { class: "transcript" }, d.transcript.map((l) => el("li", { text: l }))));
  }

  const bodyBox = el("div", { id: "body-box" });
  const tools = el("div", { class: "body-tools" });
  if (d.body.json) {
    for (const [v, label] of [["pretty", "pretty-printed"], ["raw", "as received"]]) {
      const id = "view-" + v;
      const radio = el("input", { type: "radio", name: "bodyview", id, value: v, checked: state.view === v, onchange: () => { state.view = v; paintBody(d, bodyBox); } });
      tools.append(el("label", { for: id }, radio, " " + label));
    }
  }
  if (d.secret_redacted) tools.append(el("span", { class: "dim", text: "secret_key shown as <redacted> (--show-secrets to see it)" }));
  parts.push(el("h4", { text: "Body" }), tools, bodyBox);

  const answers = el("div", { class: "answers" },
    el("div", { class: "answer", id: "lcwh-answer" }, el("strong", {}, "lcwh answered "), el("span", { class: statusClass(d.response.status), text: d.response.status }), ` in ${dur(d.response.duration_ms)}`,
      el("pre", { text: d.response.body })),
    el("div", { class: "answer", id: "forward-answer" }, el("strong", {}, "Forward target "),
      fwd ? [el("code", { text: fwd.url }), el("br"),
        fwd.timed_out ? el("span", { class: "code-bad", text: "no answer in time" })
          : fwd.error ? el("span", { class: "code-bad", text: "unreachable: " + fwd.error })
            : [el("span", { class: statusClass(fwd.status), text: fwd.status }), ` in ${dur(fwd.duration_ms)}`],
        fwd.body ? el("pre", { text: fwd.body }) : null]
        : el("span", { class: "dim", text: "not forwarded (--forward-to)" })),
  );
  parts.push(el("h4", { text: "Answers" }), answers);
  if (d.record_error) parts.push(el("p", { class: "result bad", text: "NOT RECORDED: " + d.record_error }));

  const hdrs = Object.keys(d.headers || {}).sort();
  parts.push(el("h4", { text: `Request headers (${hdrs.length})` }),
    el("table", { class: "kv" }, el("tbody", {}, hdrs.map((k) => el("tr", {}, el("th", { scope: "row", text: k }), el("td", { text: d.headers[k].join(", ") }))))));

  if (d.replay_list && d.replay_list.length) {
    parts.push(el("h4", { text: "Replays" }), buildReplays(d));
  }
  detail.replaceChildren(...parts);
  paintBody(d, bodyBox);
}

// errorItems lists the errors, and says how many the detail left out.
function errorItems(d, errs) {
  const items = errs.map((e, n) => errorItem(e, n));
  if (d.errors_not_listed) items.push(el("li", { class: "dim", id: "errors-more", text: `… and ${d.errors_not_listed} more, not listed` }));
  return items;
}

function errorItem(e, n) {
  const line = state.view === "pretty" && e.pretty_line ? e.pretty_line : e.line;
  const where = e.pointer || (e.keyword === "syntax" ? `line ${e.line}, column ${e.column}` : "(document)");
  return el("li", {},
    el("button", { type: "button", class: "goto", title: "Show in the body", onclick: () => gotoError(e) }, where),
    el("span", { text: e.message }),
    e.line ? el("span", { class: "where", text: `line ${line}, column ${state.view === "pretty" && e.pretty_column ? e.pretty_column : e.column}` }) : null);
}

function gotoError(e) {
  const n = state.view === "pretty" && e.pretty_line ? e.pretty_line : e.line;
  const line = document.getElementById("L" + n);
  if (!line) return;
  line.scrollIntoView({ block: "center" });
  line.classList.add("flash");
  setTimeout(() => line.classList.remove("flash"), 1200);
}

// paintBody draws the body, one element per line, errors marked at their line.
function paintBody(d, box) {
  const pretty = state.view === "pretty" && d.body.json;
  const text = pretty ? d.body.pretty : d.body.raw;
  const marks = new Map(); // line -> [{col, message}]
  const errs = d.syntax_error ? [d.syntax_error] : d.error_list || [];
  for (const e of errs) {
    const ln = pretty ? e.pretty_line : e.line;
    const col = pretty ? e.pretty_column : e.column;
    if (!ln) continue;
    if (!marks.has(ln)) marks.set(ln, []);
    marks.get(ln).push({ col, message: (e.pointer ? e.pointer + ": " : "") + e.message });
  }
  const lines = text.replace(/\n$/, "").split("\n");
  const highlight = text.length <= HIGHLIGHT_MAX && (pretty || d.body.json);
  const code = el("code", {});
  lines.forEach((src, i) => {
    const n = i + 1;
    const m = marks.get(n);
    const line = el("span", { class: "l" + (m ? " err" : ""), id: "L" + n, "data-n": n });
    if (highlight) line.append(...tokens(src, m && m[0].col));
    else line.textContent = src;
    if (m) line.append(el("span", { class: "mark", text: m.map((x) => x.message).join("; ") }));
    code.append(line);
  });
  const cut = pretty ? d.body.pretty_cut : d.body.raw_cut;
  box.replaceChildren(el("pre", { class: "code", id: "body", tabindex: "0", "aria-label": "Body, " + (pretty ? "pretty-printed" : "as received") }, code));
  if (cut) box.append(el("p", { class: "result bad", id: "body-cut", text: cut + " (Download fixture for the whole body)" }));
  for (const ol of detail.querySelectorAll(".errors:not(.warnings)")) ol.replaceChildren(...errorItems(d, errs));
  for (const ol of detail.querySelectorAll(".warnings")) ol.replaceChildren(...(d.warning_list || []).map(errorItem));
}

// tokens highlights one line of JSON; col (1-based, characters) underlines the token there.
const TOKEN = /("(?:[^"\\]|\\.)*"?)(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}\[\],:])|(\s+)|(.)/gy;
function tokens(src, col) {
  const out = [];
  TOKEN.lastIndex = 0;
  let m, chars = 0;
  while (TOKEN.lastIndex < src.length && (m = TOKEN.exec(src))) {
    const [all, str, colon, num, lit, punct] = m;
    const start = chars + 1;
    chars += [...all].length;
    let cls = "";
    if (str !== undefined) cls = colon ? "t-k" : "t-s";
    else if (num !== undefined) cls = "t-n";
    else if (lit !== undefined) cls = "t-b";
    else if (punct !== undefined) cls = "t-p";
    const under = col && col >= start && col < start + [...all].length && !/^\s+$/.test(all);
    if (!cls && !under) { out.push(all); continue; }
    if (str !== undefined && colon) {
      out.push(el("span", { class: cls + (under ? " col" : ""), text: str }), colon);
    } else {
      out.push(el("span", { class: (cls + (under ? " col" : "")).trim(), text: all }));
    }
  }
  return out;
}

async function replay(d, url, body, out) {
  const btns = detail.querySelectorAll(".actions button, .editor button");
  btns.forEach((b) => (b.disabled = true));
  out.replaceChildren(el("p", { class: "result", text: "sending…" }));
  try {
    const req = { url: url.trim() };
    if (body !== null) req.body = body;
    const r = await post(`/api/deliveries/${d.id}/replay`, req);
    const what = r.edited ? "Edited body sent" : "Replayed";
    const res = el("div", { class: "result " + (r.ok ? "ok" : "bad"), id: "replay-outcome" },
      r.status ? `${what} to ${r.url}: ${r.status_text || r.status} in ${dur(r.duration_ms)}` : `${what} to ${r.url}: no answer (${r.error})`,
      r.body ? el("pre", { text: r.body }) : null,
      r.errors && r.errors.length ? el("p", { text: `(the body sent breaks its schema: ${r.errors.map((e) => (e.pointer || "") + " " + e.message).join("; ")})` }) : null,
      r.notes && r.notes.length ? el("ul", { id: "replay-notes" }, r.notes.map((n) => el("li", { text: n }))) : null);
    out.replaceChildren(res);
    const fresh = await api("/api/deliveries/" + d.id).catch(() => null);
    if (fresh && state.openId === d.id) {
      state.detail = fresh;
      const tbl = buildReplays(fresh);
      const old = $("#replays");
      if (old) old.replaceWith(tbl); else detail.append(el("h4", { text: "Replays" }), tbl);
    }
  } catch (e) {
    out.replaceChildren(el("p", { class: "result bad", text: e.message }));
  } finally {
    btns.forEach((b) => (b.disabled = false));
  }
}

function buildReplays(d) {
  return el("table", { class: "kv", id: "replays" }, el("tbody", {},
    d.replay_list.slice().reverse().map((r) => el("tr", {}, el("th", { scope: "row", text: clock(r.time) + (r.edited ? " edited" : "") }),
      el("td", {}, el("span", { class: r.ok ? "code-ok" : "code-bad", text: r.status || "no answer" }), ` ${r.url} · ${dur(r.duration_ms)}${r.error ? " · " + r.error : ""}`)))));
}

function editBody(d, urlInput, out) {
  const box = $("#editor");
  const area = el("textarea", { id: "edit-body", "aria-label": "Body to send", spellcheck: "false" });
  area.value = d.body.json ? d.body.pretty : d.body.raw;
  const verdict = el("span", { role: "status", "aria-live": "polite", id: "edit-verdict" });
  const check = async () => {
    try {
      const v = await post("/api/validate", { body: area.value });
      verdict.className = v.valid ? "code-ok" : "code-bad";
      verdict.textContent = v.syntax_error ? `✗ line ${v.syntax_error.line}, column ${v.syntax_error.column}: ${v.syntax_error.message}`
        : (v.valid ? `✓ valid ${v.action}` : "✗ " + v.errors.map((e) => `line ${e.line}: ${e.pointer} ${e.message}`).join("; "))
          + (v.warnings.length ? " · warnings: " + v.warnings.map((e) => `line ${e.line}: ${e.pointer} ${e.message}`).join("; ") : "");
    } catch (e) { verdict.textContent = e.message; }
  };
  box.replaceChildren(el("div", { class: "editor" },
    el("h4", { text: "Edit the body" }), area,
    el("div", { class: "row-btns" },
      el("button", { type: "button", class: "primary", onclick: () => replay(d, urlInput.value, area.value, out) }, "Send"),
      el("button", { type: "button", onclick: check }, "Check"),
      el("button", { type: "button", onclick: () => box.replaceChildren() }, "Close"),
      verdict),
    d.secret_redacted ? el("p", { class: "dim", text: "A secret_key left as <redacted> is sent as the original secret." }) : null));
  area.focus();
}

async function copyExport(d, as, url, out) {
  const p = new URLSearchParams({ as });
  if (url.trim()) p.set("url", url.trim());
  try {
    const text = await api(`/api/deliveries/${d.id}/export?` + p);
    let copied = false;
    try { await navigator.clipboard.writeText(text); copied = true; } catch (_) { /* not a secure context: show it */ }
    out.replaceChildren(el("p", { class: "result ok", text: copied ? "Copied to the clipboard (secret_key redacted):" : "Select and copy (secret_key redacted):" }),
      el("pre", { class: "out", id: "export-" + as, tabindex: "0", text }));
  } catch (e) {
    out.replaceChildren(el("p", { class: "result bad", text: e.message }));
  }
}

// ---------- start ----------

async function start() {
  try {
    state.info = await api("/api/info");
  } catch (e) {
    setConn("down", "cannot reach lcwh listen: " + e.message);
    return;
  }
  const sel = $("#f-action");
  for (const a of state.info.actions) sel.append(el("option", { value: a, text: a }));
  state.labels = new Map(state.info.verdicts.map((v) => [v.name, v.label]));
  for (const v of state.info.verdicts) $("#f-validity").append(el("option", { value: v.name, text: v.label }));
  const meta = $("#meta");
  if (state.info.listen_url) {
    meta.append("receiving on ", el("code", { text: state.info.listen_url }));
    $("#hint-send").textContent = `lcwh send incoming_event --to ${state.info.listen_url}`;
  }
  if (state.info.forward_to) meta.append(" · forwarding to ", el("code", { text: state.info.forward_to }));
  meta.append(` · API ${state.info.api_version}`);
  await reload();
  const m = /^#\/d\/(\d+)$/.exec(location.hash);
  if (m) open(Number(m[1]), false);
  list.focus();
}
start();

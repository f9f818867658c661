// Shared code of the workshop's pages: the API client, live updates, a DOM builder that only ever writes text
// (every name in the data goes through textContent or setAttribute, never HTML parsing), number formats, SVG charts,
// the news feed, the countdown and the decision form (used by the team page and by the facilitator's "alter").
"use strict";
const WS = (function () {
  const hash = new URLSearchParams(location.hash.slice(1));
  const token = hash.get("token");
  const company = hash.get("company");

  // ---- DOM (the single escape path: text nodes and attributes) ----------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }
  function setAttrs(node, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
      else if (k === "text") node.textContent = String(v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
  }
  function append(node, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  function fill(target, ...children) {
    const node = typeof target === "string" ? document.getElementById(target) : target;
    if (!node) return null;
    node.replaceChildren();
    append(node, children);
    return node;
  }

  // ---- API ----------------------------------------------------------------------------------------------------
  async function api(path, options) {
    const opts = Object.assign({ method: "GET" }, options || {});
    const headers = Object.assign({}, opts.headers || {});
    if (token) headers.Authorization = "Bearer " + token;
    let body;
    if (opts.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(opts.body);
    }
    let response;
    try {
      response = await fetch(path, { method: opts.method, headers, body, cache: "no-store" });
    } catch (e) {
      return { ok: false, status: 0, body: { title: "the server cannot be reached: " + e, errors: [] } };
    }
    const type = response.headers.get("Content-Type") || "";
    let data = null;
    if (opts.raw) data = await response.blob();
    else if (type.includes("json")) data = await response.json().catch(() => null);
    else data = await response.text();
    return { ok: response.ok, status: response.status, body: data, headers: response.headers };
  }

  let castPromise = null;
  function cast() {
    if (!castPromise) {
      castPromise = api("/api/cast").then(r => {
        const c = r.ok ? r.body : { companies: [], apps: [], markets: [], researchers: [] };
        const index = list => Object.fromEntries((list || []).map(x => [x.id, x]));
        c.company = index(c.companies); c.app = index(c.apps); c.market = index(c.markets); c.researcher = index(c.researchers);
        c.name = (kind, id) => (id && c[kind][id] ? c[kind][id].name : id || "");
        return c;
      });
    }
    return castPromise;
  }

  // ---- live updates: server-sent events, long-poll as the fallback -------------------------------------------
  // onChange(version) is called once now and after each change, never twice at once (changes in between coalesce).
  function follow(onChange) {
    let running = false, again = false, version = -1;
    async function run() {
      if (running) { again = true; return; }
      running = true;
      try { await onChange(version); } catch (e) { console.error(e); }
      running = false;
      if (again) { again = false; run(); }
    }
    // One stream per visible page: a hidden tab closes its stream (a browser keeps only about six connections to a
    // server, and a facilitator trying every page in one browser would exhaust them) and catches up when shown.
    let source = null, polling = false, failures = 0;
    function longPoll() {
      if (polling) return;
      polling = true;
      (async function loop() {
        while (polling && !document.hidden) {
          const r = await api("/api/state?after=" + version);
          if (r.ok && r.body && r.body.version !== version) { version = r.body.version; run(); }
          if (!r.ok) await new Promise(res => setTimeout(res, 3000));
        }
        polling = false;
      })();
    }
    function connect() {
      if (!window.EventSource) { longPoll(); return; }
      if (source) return;
      source = new EventSource("/api/events/stream");
      source.addEventListener("state", e => {
        failures = 0;
        try { version = JSON.parse(e.data).version; } catch (_) { /* keep the last */ }
        run();
      });
      source.onerror = () => {
        // EventSource reconnects by itself (a restarted server); after repeated failures, long-poll instead.
        if (++failures > 5 && source && source.readyState === EventSource.CLOSED) { source = null; longPoll(); }
      };
    }
    function disconnect() {
      if (source) { source.close(); source = null; }
      polling = false;
    }
    document.addEventListener("visibilitychange", () => {
      if (document.hidden) disconnect();
      else { connect(); run(); }
    });
    if (!document.hidden) connect();
    run();
  }

  // ---- formats ------------------------------------------------------------------------------------------------
  function usd(v) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    const a = Math.abs(v), s = v < 0 ? "-" : "";
    if (a >= 1e9) return s + "$" + (a / 1e9).toFixed(a >= 1e11 ? 0 : 2) + "B";
    if (a >= 1e6) return s + "$" + (a / 1e6).toFixed(1) + "M";
    if (a >= 1e3) return s + "$" + (a / 1e3).toFixed(0) + "k";
    return s + "$" + a.toFixed(0);
  }
  function count(v) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(2) + "B";
    if (a >= 1e6) return (v / 1e6).toFixed(1) + "M";
    if (a >= 1e4) return (v / 1e3).toFixed(0) + "k";
    if (a < 10 && v !== Math.round(v)) return v.toFixed(1);
    return Math.round(v).toLocaleString("en");
  }
  function pct(v, digits) {
    return v === null || v === undefined || !isFinite(v) ? "–" : (100 * v).toFixed(digits === undefined ? 1 : digits) + "%";
  }
  function num(v, digits) {
    return v === null || v === undefined || !isFinite(v) ? "–" : Number(v).toFixed(digits === undefined ? 2 : digits);
  }
  function duration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    const m = Math.floor(s / 60), r = s % 60;
    return m + ":" + String(r).padStart(2, "0");
  }

  // ---- header: round, status, simulated date, countdown ------------------------------------------------------
  let countdownTimer = null;
  function header(target, state) {
    const received = Date.now();
    const clock = el("span", { class: "countdown", id: "countdown" });
    fill(target,
      el("span", { class: "pill round", id: "round-label" }, "Round " + state.round + " of " + state.rounds),
      el("span", { class: "pill status status-" + state.status, id: "status-label" }, state.status),
      el("span", { class: "pill" }, "Simulated date " + state.date),
      el("span", { class: "pill" }, "Round " + state.roundStart + " → " + state.roundEnd),
      clock);
    if (countdownTimer) clearInterval(countdownTimer);
    const left = state.secondsLeft;
    function tick() {
      if (left === null || left === undefined) { clock.textContent = state.status === "open" ? "no deadline" : ""; return; }
      const now = state.status === "paused" ? left : left - (Date.now() - received) / 1000;
      clock.textContent = (state.status === "paused" ? "paused, " : "deadline in ") + duration(now);
      clock.classList.toggle("late", now <= 60);
    }
    tick();
    if (state.status === "open" && left !== null && left !== undefined) countdownTimer = setInterval(tick, 1000);
  }

  // ---- charts (inline SVG drawn from the data) --------------------------------------------------------------
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22", "#393b79"];
  // series: [{name, values: [number|null]}], labels: x labels; fmt: y-axis format.
  function lineChart(title, labels, series, fmt, fromZero) {
    const W = 420, H = 200, L = 56, R = 10, T = 24, B = 28;
    const all = series.flatMap(s => s.values).filter(v => v !== null && v !== undefined && isFinite(v));
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": title });
    root.appendChild(svg("text", { x: L, y: 15, class: "chart-title" }, title));
    if (all.length === 0) {
      root.appendChild(svg("text", { x: L, y: H / 2, class: "chart-empty" }, "no data yet"));
      return root;
    }
    let lo = fromZero === false ? Math.min(...all) : Math.min(0, ...all), hi = Math.max(...all);
    if (fromZero === false) { const pad = (hi - lo) * 0.1 || 1; lo -= pad; hi += pad; }
    if (hi === lo) hi = lo + 1;
    const n = Math.max(labels.length, 2);
    const x = i => L + (W - L - R) * (labels.length <= 1 ? 0.5 : i / (n - 1));
    const y = v => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
    for (const v of [lo, (lo + hi) / 2, hi]) {
      root.appendChild(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }));
      root.appendChild(svg("text", { x: L - 4, y: y(v) + 4, class: "axis", "text-anchor": "end" }, fmt(v)));
    }
    labels.forEach((lab, i) => {
      if (labels.length > 8 && i % Math.ceil(labels.length / 8) !== 0) return;
      root.appendChild(svg("text", { x: x(i), y: H - 8, class: "axis", "text-anchor": "middle" }, lab));
    });
    series.forEach((s, k) => {
      const color = s.color || palette[k % palette.length];
      const pts = s.values.map((v, i) => (v === null || v === undefined || !isFinite(v) ? null : [x(i), y(v)]));
      let d = "", pen = false;
      for (const p of pts) {
        if (!p) { pen = false; continue; }
        d += (pen ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1);
        pen = true;
      }
      if (d) root.appendChild(svg("path", { d, fill: "none", stroke: color, "stroke-width": 2, "stroke-dasharray": s.dashed ? "5 3" : null }));
      pts.forEach((p, i) => { if (p) root.appendChild(svg("circle", { cx: p[0], cy: p[1], r: 3, fill: color }, svg("title", {}, s.name + ": " + fmt(s.values[i])))); });
    });
    const legend = el("div", { class: "legend" }, series.map((s, k) =>
      el("span", {}, el("span", { class: "swatch", "data-color": s.color || palette[k % palette.length] }), s.name)));
    legend.querySelectorAll(".swatch").forEach(sw => { sw.style.background = sw.getAttribute("data-color"); });
    return el("figure", { class: "chart-box" }, root, legend);
  }

  // rows: [{name, value, color?}], values in [0, 1] unless max given.
  function barChart(title, rows, fmt, max) {
    const W = 420, rowH = 22, T = 24, L = 130;
    const H = T + rows.length * rowH + 6;
    const top = max || Math.max(1e-9, ...rows.map(r => r.value || 0));
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": title });
    root.appendChild(svg("text", { x: 4, y: 15, class: "chart-title" }, title));
    rows.forEach((r, i) => {
      const y = T + i * rowH;
      const w = Math.max(0, (W - L - 60) * (r.value || 0) / top);
      // A long name (Wenxiaoyan's has its former name in brackets) is cut to fit the margin, whole in its tooltip.
      const name = String(r.name), short = name.length > 20 ? name.slice(0, 19) + "…" : name;
      const label = svg("text", { x: L - 6, y: y + 15, class: "axis", "text-anchor": "end" }, short);
      label.appendChild(svg("title", {}, name));
      root.appendChild(label);
      root.appendChild(svg("rect", { x: L, y: y + 3, width: w, height: rowH - 6, fill: r.color || palette[i % palette.length] }));
      root.appendChild(svg("text", { x: L + w + 4, y: y + 15, class: "axis" }, fmt(r.value)));
    });
    return root;
  }

  // ---- tables -------------------------------------------------------------------------------------------------
  function table(headers, rows, attrs) {
    return el("table", attrs || {},
      el("thead", {}, el("tr", {}, headers.map(h => el("th", {}, h)))),
      el("tbody", {}, rows.map(r => el("tr", r.attrs || {}, (r.cells || r).map(c => el("td", {}, c))))));
  }

  // ---- the news feed ------------------------------------------------------------------------------------------
  const verbs = {
    hire: "hired", poach: "poached", "counter-offer": "counter-offer", "non-compete": "non-compete",
    filing: "filing for arbitration", "arbitration-damages": "ruling: damages", "arbitration-settlement": "ruling: settlement",
    "arbitration-dismissed": "ruling: dismissed", launch: "launch", move: "move", release: "released", transfer: "transfer",
  };
  function newsLine(n, c) {
    const who = n.person ? c.name("researcher", n.person) : "";
    const from = n.from ? c.name("company", n.from) : "";
    const to = n.to ? c.name("company", n.to) : "";
    const parts = [];
    if (n.kind === "launch") parts.push(c.name("company", n.company) + " launches " + c.name("app", n.app));
    else {
      if (who) parts.push(who);
      if (from && to) parts.push(from + " → " + to);
      else if (to) parts.push("→ " + to);
      else if (from) parts.push("from " + from);
      if (n.company && !from && !to) parts.push(c.name("company", n.company));
    }
    if (n.amountUsd) parts.push(usd(n.amountUsd) + (n.kind === "hire" || n.kind === "poach" || n.kind === "counter-offer" ? "/month" : ""));
    if (n.note) parts.push("“" + n.note + "”"); // a facilitator's injected event, in its own words (text, never HTML)
    return el("li", { class: "news-" + n.kind.replace(/[^a-z-]/g, "") },
      el("span", { class: "news-date" }, n.date), " ",
      el("span", { class: "news-kind" }, verbs[n.kind] || n.kind), " ",
      parts.join(", "));
  }
  async function news(target, items, limit) {
    const c = await cast();
    const list = (items || []).slice(0, limit || 60);
    fill(target, list.length ? el("ul", { class: "news" }, list.map(n => newsLine(n, c))) : el("p", { class: "muted" }, "No news yet: it comes with the first round played."));
  }

  // ---- the decision form, generated from the declarations the API returns ------------------------------------
  // dashboard: GET /api/teams/{company}; options.onSaved(decisionView) after a 200.
  function decisionForm(target, dashboard, options) {
    const opts = options || {};
    const c = opts.cast;
    const form = dashboard.form;
    const stored = form.stored ? form.stored.decision : null;
    const inputs = {};
    const errorBox = el("div", { class: "errors", id: "form-errors", role: "alert" });
    const fieldError = field => el("div", { class: "field-error", "data-error-for": field });

    const rows = form.fields.map(f => {
      const id = "f-" + f.field;
      const input = el("input", { id, name: f.field, type: "text", inputmode: "decimal", "data-field": "policy." + f.field, value: String(f.value), autocomplete: "off" });
      inputs[f.field] = input;
      const range = "[" + f.min + (f.max === null || f.max === undefined ? ", ∞" : ", " + f.max) + "]" + (f.minExclusive ? " (min excluded)" : "");
      return el("div", { class: "field" + (form.split.includes(f.field) ? " split" : "") },
        el("label", { for: id }, f.meaning),
        el("div", { class: "input-line" }, input, el("span", { class: "unit" }, f.unit)),
        el("div", { class: "hint" }, "range " + range + " · in force " + f.inForce + " · " + f.field),
        fieldError("policy." + f.field));
    });
    const splitSum = el("span", { class: "split-sum", id: "split-sum" });
    function updateSum() {
      const sum = form.split.reduce((a, k) => a + (parseFloat(inputs[k] && inputs[k].value) || 0), 0);
      splitSum.textContent = "salary + compute + marketing = " + sum.toFixed(3) + (Math.abs(sum - 1) > 1e-9 ? " (must be 1)" : " ✓");
      splitSum.classList.toggle("bad", Math.abs(sum - 1) > 1e-9);
    }
    form.split.forEach(k => inputs[k] && inputs[k].addEventListener("input", updateSum));

    // Offers to named researchers: who and how much.
    const offerRows = el("div", { class: "offers", id: "offers" });
    const targetName = r => (r.name || c.name("researcher", r.id)) + (r.employer ? " (" + c.name("company", r.employer) + ")" : " (free)");
    function addOffer(offer) {
      const i = offerRows.children.length;
      const select = el("select", { class: "offer-who", "aria-label": "researcher" },
        dashboard.offerTargets.map(r => el("option", { value: r.id, selected: offer && offer.researcher === r.id },
          targetName(r) + " · now " + usd(r.monthlySalaryUsd) + "/month · skill " + r.skill)));
      const amount = el("input", { class: "offer-amount", type: "text", inputmode: "decimal", "aria-label": "monthly salary offered (USD)",
        value: offer ? String(offer.monthlySalaryUsd) : "" });
      const row = el("div", { class: "offer-row" }, select, amount, el("span", { class: "unit" }, "USD/month"),
        el("button", { type: "button", class: "small", onclick: () => { row.remove(); renumber(); } }, "remove"),
        el("div", { class: "field-error" }), el("div", { class: "field-error" }));
      offerRows.appendChild(row);
      renumber();
      void i;
    }
    function renumber() {
      [...offerRows.children].forEach((row, i) => {
        row.querySelector(".offer-who").setAttribute("data-field", "offers[" + i + "].researcher");
        row.querySelector(".offer-amount").setAttribute("data-field", "offers[" + i + "].monthlySalaryUsd");
        const errs = row.querySelectorAll(".field-error");
        errs[0].setAttribute("data-error-for", "offers[" + i + "].researcher");
        errs[1].setAttribute("data-error-for", "offers[" + i + "].monthlySalaryUsd");
      });
    }
    (stored ? stored.offers : []).forEach(addOffer);

    // Filings for arbitration against bound leavers.
    const filingBoxes = dashboard.filingTargets.map(r => el("label", { class: "check" },
      el("input", { type: "checkbox", value: r.id, checked: stored && stored.filings.some(f => f.researcher === r.id) }),
      " " + targetName(r) + (r.boundUntil ? " · bound until " + r.boundUntil : "")));

    const submit = el("button", { type: "submit", id: "submit-decision", disabled: !form.open && !opts.facilitator },
      (opts.facilitator ? "Alter decision (recorded as the facilitator's)" : "Submit decision") + " · version " + form.nextVersion);
    const status = el("div", { class: "form-status", id: "form-status" },
      form.stored ? "Stored: version " + form.stored.version + " by " + form.stored.by + (form.stored.altered ? " (altered by the facilitator)" : "") + " at " + new Date(form.stored.at).toLocaleTimeString()
        : form.open ? "Nothing submitted yet for round " + form.round + ": without a decision your company plays the policy in force." : "The round is not open for decisions.");

    const node = el("form", { class: "decision", novalidate: true, id: "decision-form" },
      el("div", { class: "fields" }, rows),
      el("div", { class: "split-line" }, splitSum, fieldError("policy")),
      el("h3", {}, "Offers to named researchers"),
      el("p", { class: "hint" }, "Salary room for offers this round: " + usd(form.salaryRoomUsd) + " a month."),
      dashboard.offerTargets.length ? [offerRows, el("button", { type: "button", class: "small", id: "add-offer", onclick: () => addOffer(null) }, "+ add an offer")]
        : el("p", { class: "muted" }, "Nobody you may approach this round."),
      fieldError("offers"),
      el("h3", {}, "Filing for arbitration"),
      filingBoxes.length ? el("div", { class: "filings" }, filingBoxes) : el("p", { class: "muted" }, "No bound leaver has joined a rival: nothing to file against."),
      fieldError("filings"),
      errorBox, fieldError("version"),
      el("div", { class: "actions" }, submit), status);
    updateSum();

    function clearErrors() {
      node.querySelectorAll(".field-error").forEach(e => { e.textContent = ""; });
      node.querySelectorAll(".invalid").forEach(e => e.classList.remove("invalid"));
      errorBox.textContent = "";
    }
    function showErrors(problem) {
      const unplaced = [];
      for (const err of problem.errors || []) {
        const slot = node.querySelector('[data-error-for="' + CSS.escape(err.field) + '"]');
        const input = node.querySelector('[data-field="' + CSS.escape(err.field) + '"]');
        if (input) input.classList.add("invalid");
        if (slot) slot.textContent = err.message;
        else unplaced.push(err.field + ": " + err.message);
      }
      errorBox.replaceChildren(el("strong", {}, problem.title || "refused"), unplaced.length ? el("ul", {}, unplaced.map(u => el("li", {}, u))) : null);
    }
    node.addEventListener("input", () => { if (opts.onDirty) opts.onDirty(); });
    node.addEventListener("submit", async e => {
      e.preventDefault();
      clearErrors();
      const policy = {};
      for (const [k, input] of Object.entries(inputs)) {
        const text = input.value.trim();
        const v = Number(text);
        policy[k] = text !== "" && isFinite(v) ? v : text; // text that is not a number: the server names the field
      }
      const offers = [...offerRows.children].map(row => {
        const text = row.querySelector(".offer-amount").value.trim();
        const v = Number(text);
        return { researcher: row.querySelector(".offer-who").value, monthlySalaryUsd: text !== "" && isFinite(v) ? v : text };
      });
      const filings = filingBoxes.map(l => l.querySelector("input")).filter(i => i.checked).map(i => ({ researcher: i.value }));
      submit.disabled = true;
      const r = await api("/api/rounds/" + form.round + "/decisions/" + encodeURIComponent(dashboard.company),
        { method: "PUT", body: { version: form.nextVersion, policy, offers, filings } });
      submit.disabled = false;
      if (r.ok) {
        status.textContent = "Saved: version " + r.body.version + (r.body.altered ? " (altered by the facilitator)" : "") + ". You may resubmit until the deadline.";
        status.className = "form-status saved";
        if (opts.onSaved) opts.onSaved(r.body);
      } else {
        showErrors(r.body || { title: "HTTP " + r.status });
        status.textContent = "Not saved (HTTP " + r.status + ").";
        status.className = "form-status refused";
      }
    });
    fill(target, node);
    return node;
  }

  return { token, company, el, svg, fill, api, cast, follow, usd, count, pct, num, duration, header, lineChart, barChart, table, news, decisionForm, palette };
})();

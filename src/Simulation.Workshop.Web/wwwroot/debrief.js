// The debrief: the scorecard, the score round by round, each team's figures against the computer's play, and
// (when the server offers them) the ensemble "skill or luck" and the fork "replay from round k with this decision
// changed". Those two are found in the server's OpenAPI document; nothing is shown that the server did not compute.
"use strict";
(function () {
  const { el, fill, api, count, pct, num, usd } = WS;

  async function refresh() {
    const c = await WS.cast();
    const [s, r] = await Promise.all([api("/api/state"), api("/api/scorecard")]);
    if (!s.ok || !r.ok) return;
    WS.header("bar", s.body);
    const sc = r.body;
    const w = sc.weights;
    fill("scorecard",
      sc.leaderboard.length
        ? WS.table(["#", "team", "score", "users", "share", "retention", "cash", "talent"],
            sc.leaderboard.map((t, i) => [String(i + 1), c.name("company", t.company), num(t.score, 1),
              num(t.parts.users, 0), num(t.parts.share, 0), num(t.parts.retention, 0), num(t.parts.cash, 0), num(t.parts.talent, 0)]), { id: "debrief-leaderboard" })
        : el("p", { class: "muted" }, "No round played yet."),
      el("p", { class: "hint" }, "Each part is the team's figure over the computer's play of the same company in the same world, × 100. Weights: users " + w.users +
        ", share " + w.share + ", retention " + w.retention + ", cash " + w.cash + ", talent " + w.talent + " (workshop.scoreWeights in the scenario)."));
    const labels = sc.rounds.map(x => "R" + x.round);
    const teams = s.body.teams.map(t => t.company);
    fill("trajectory", WS.lineChart("Balanced score (100 = the computer's play)", labels,
      teams.map(t => ({ name: c.name("company", t), values: sc.rounds.map(x => (x.teams.find(y => y.company === t) || {}).score) })), v => num(v, 0), false));
    fill("teams", el("div", { class: "charts" }, teams.map((t, k) => {
      const color = WS.palette[k % WS.palette.length];
      const pick = (key, src) => sc.rounds.map(x => ((x.teams.find(y => y.company === t) || {})[src] || {})[key]);
      const pair = (title, key, fmt) => WS.lineChart(c.name("company", t) + ": " + title, labels,
        [{ name: "team", values: pick(key, "figures"), color }, { name: "computer", values: pick(key, "computer"), color, dashed: true }], fmt);
      return [pair("users", "users", count), pair("cash", "cash", usd), pair("share", "share", v => pct(v, 0))];
    })));
  }

  // The ensemble and the fork: operations of the server's OpenAPI document whose path names them.
  async function luck() {
    const doc = await api("/openapi/v1.json");
    const paths = doc.ok && doc.body && doc.body.paths ? doc.body.paths : {};
    const found = [];
    for (const [path, ops] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (/ensemble|fork|replay|what-?if|luck/i.test(path + " " + (op.operationId || ""))) found.push({ path, method: method.toUpperCase(), op });
      }
    }
    if (found.length === 0) {
      fill("luck", el("p", { class: "notice", id: "luck-absent" },
        "Not available on this server yet: the ensemble (N seeds, bands: what each team's decisions lead to against the computer's policy from the same state) " +
        "and the fork (replay from round k with one decision changed) need server endpoints this version does not offer. " +
        "This section calls them as soon as the server's OpenAPI document lists them; no number is shown until then."));
      return;
    }
    const state = (await api("/api/state")).body;
    fill("luck", found.map(f => operation(f, state)));
  }

  // A generic caller: path parameters from selects, a JSON body for POST/PUT, the answer shown as the server sent it.
  function operation(f, state) {
    const names = [...f.path.matchAll(/\{([^}:]+)(:[^}]*)?\}/g)].map(m => m[1]);
    const inputs = {};
    const controls = names.map(n => {
      const input = /company|team/i.test(n)
        ? el("select", {}, state.teams.map(t => el("option", { value: t.company }, t.name)))
        : /round|^n$|^k$/i.test(n) ? el("select", {}, Array.from({ length: Math.max(1, state.roundsPlayed) }, (_, i) => el("option", { value: String(i + 1) }, "round " + (i + 1))))
        : el("input", { type: "text" });
      inputs[n] = input;
      return el("label", {}, " " + n + " ", input);
    });
    const body = f.method === "GET" ? null : el("textarea", { rows: 5, cols: 60, "aria-label": "request body (JSON)" }, "{}");
    const out = el("div", {});
    const run = el("button", { type: "button", onclick: async () => {
      let path = f.path;
      for (const n of names) path = path.replace(new RegExp("\\{" + n + "(:[^}]*)?\\}"), encodeURIComponent(inputs[n].value));
      let parsed;
      if (body) { try { parsed = JSON.parse(body.value || "{}"); } catch (e) { fill(out, el("p", { class: "field-error" }, "body: " + e.message)); return; } }
      fill(out, el("p", { class: "muted" }, "running..."));
      const r = await api(path, { method: f.method, body: parsed });
      fill(out, r.ok ? render(r.body) : el("p", { class: "field-error" }, "HTTP " + r.status + ": " + ((r.body && r.body.title) || "")));
    } }, "Run");
    return el("div", { class: "operation" }, el("h3", {}, f.op.summary || f.path), el("p", { class: "hint" }, f.method + " " + f.path),
      el("div", { class: "actions" }, controls, run), body, out);
  }

  // Renders JSON as nested tables (text only).
  function render(v) {
    if (v === null || typeof v !== "object") return el("span", {}, typeof v === "number" ? String(Math.round(v * 1000) / 1000) : String(v));
    if (Array.isArray(v)) {
      if (v.length && v.every(x => x && typeof x === "object" && !Array.isArray(x))) {
        const keys = [...new Set(v.flatMap(x => Object.keys(x)))];
        return WS.table(keys, v.map(x => keys.map(k => render(x[k]))));
      }
      return el("span", {}, v.map(x => (typeof x === "object" ? JSON.stringify(x) : String(x))).join(", "));
    }
    return WS.table(["", ""], Object.entries(v).map(([k, x]) => [k, render(x)]));
  }

  WS.follow(refresh);
  luck();
})();

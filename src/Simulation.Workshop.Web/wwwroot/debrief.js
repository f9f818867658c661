// The debrief: the scorecard, the score round by round, each team's figures against the computer's play, and
// (when the server offers them) the ensemble "skill or luck" and the fork "replay from round k with this decision
// changed"), both computed by the server: nothing is shown that the server did not compute.
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

  // Skill or luck, and the fork: computed by the server (GET /api/debrief/{company}/rounds/{n}, POST .../fork) on N
  // seeds with common random numbers. They need the facilitator's token or the team's own.
  async function luck() {
    const state = (await api("/api/state")).body;
    const c = await WS.cast();
    if (!WS.token) {
      fill("luck", el("p", { class: "notice" }, "Open the debrief from the facilitator's page (or a team's page) to compute skill or luck and forks: they need its token."));
      return;
    }
    const teams = state.teams.filter(t => !WS.company || t.company === WS.company);
    const team = el("select", { id: "luck-team" }, teams.map(t => el("option", { value: t.company }, t.name)));
    const round = el("select", { id: "luck-round" });
    const runs = el("input", { type: "text", inputmode: "numeric", id: "luck-runs", value: "10", size: 4 });
    const out = el("div", { id: "luck-result" });
    function rounds(played) {
      round.replaceChildren(...Array.from({ length: played }, (_, i) => el("option", { value: String(i + 1), selected: i + 1 === played }, "round " + (i + 1))));
    }
    rounds(state.roundsPlayed);
    const path = () => "/api/debrief/" + encodeURIComponent(team.value) + "/rounds/" + round.value;
    const query = () => "?runs=" + encodeURIComponent(runs.value.trim() || "10");

    // The fork: one decision field of the chosen round changed; the rest of the team's decision as it was.
    const forkField = el("select", { id: "fork-field" });
    const forkValue = el("input", { type: "text", inputmode: "decimal", id: "fork-value", size: 10, "data-field": "fork" });
    const forkError = el("div", { class: "field-error", id: "fork-error" });
    let fields = [];
    async function loadFields() {
      const d = await api("/api/teams/" + encodeURIComponent(team.value));
      fields = d.ok ? d.body.form.fields : [];
      forkField.replaceChildren(...fields.map(f => el("option", { value: f.field }, f.meaning + " (" + f.field + ")")));
    }
    team.addEventListener("change", loadFields);
    await loadFields();

    async function compute(kind) {
      if (!round.value) { fill(out, el("p", { class: "muted" }, "Play a round first.")); return; }
      forkError.textContent = "";
      forkValue.classList.remove("invalid");
      fill(out, el("p", { class: "muted", id: "luck-running" }, "Computing " + (runs.value || 10) + " runs..."));
      let r;
      if (kind === "fork") {
        const stored = await api("/api/rounds/" + round.value + "/decisions/" + encodeURIComponent(team.value));
        const base = stored.ok ? stored.body.decision : { policy: {}, offers: [], filings: [] };
        const text = forkValue.value.trim();
        const value = text !== "" && isFinite(Number(text)) ? Number(text) : text;
        const policy = Object.assign({}, base.policy, { [forkField.value]: value });
        r = await api(path() + "/fork" + query(), { method: "POST", body: { version: 1, policy, offers: base.offers, filings: base.filings } });
        if (!r.ok && r.body && r.body.errors) {
          const mine = r.body.errors.filter(e => e.field === "policy." + forkField.value || e.field === "policy");
          if (mine.length) { forkError.textContent = mine.map(e => e.message).join("; "); forkValue.classList.add("invalid"); }
        }
      } else {
        r = await api(path() + query());
      }
      if (r.status === 404 && !(r.body && r.body.title)) { fill(out, el("p", { class: "notice" }, "This server does not offer the debrief's ensembles.")); return; }
      fill(out, r.ok ? view(r.body, c) : el("p", { class: "field-error" }, "HTTP " + r.status + ": " + ((r.body && r.body.title) || "") +
        ((r.body && r.body.errors) || []).map(e => " · " + e.field + ": " + e.message).join("")));
    }

    fill("luck",
      el("p", { class: "hint" }, "Skill or luck: the team's decisions of a round against the computer's play of that round from the same state, each on N seeds " +
        "with common random numbers. If the difference's 90% band excludes zero, the decisions mattered; where the session's own run fell in its band is the luck. " +
        "The fork replays from round k with one decision changed, beside the real session."),
      el("div", { class: "actions" }, el("label", {}, "Team ", team), el("label", {}, "Round ", round), el("label", {}, "Runs ", runs),
        el("button", { type: "button", id: "skill-or-luck", onclick: () => compute("luck") }, "Skill or luck?")),
      el("div", { class: "actions" }, el("span", {}, "Fork: replay from this round with "), forkField, el("span", {}, " = "), forkValue,
        el("button", { type: "button", class: "secondary", id: "fork", onclick: () => compute("fork") }, "Fork")),
      forkError, out);
    return rounds;
  }

  const bandText = (b, fmt) => (b ? fmt(b.p50) + " [" + fmt(b.p5) + " – " + fmt(b.p95) + "]" : "–");
  const metricFormat = m => (m === "cash_usd" ? usd : m === "mau" || m === "new_users" || m === "switch_net" || m === "headcount" ? count
    : m === "market_share" || m === "attraction_share" || m === "retention_d30" ? (v => pct(v, 1)) : (v => num(v, 3)));

  function view(d, c) {
    return el("div", { class: "debrief-view", "data-kind": d.kind },
      el("p", { class: "verdict", id: "verdict" }, el("strong", {}, d.verdict)),
      el("p", { class: "hint" }, c.name("company", d.company) + ", round " + d.round + ", month " + d.month + " · " + d.runs + " runs · reference: " + d.reference + " · variant: " + d.variant),
      d.apps.map(a => {
        const mau = a.chain.find(s => s.metric === "mau");
        const realized = d.realized[a.app];
        return el("div", { class: "debrief-app" },
          el("h3", {}, c.name("app", a.app) + " (" + c.name("market", a.market) + ")"),
          mau ? bandChart("Monthly actives, " + d.month + " (p5–p95, median; dot: the session's run)",
            [{ name: d.reference, band: mau.reference }, { name: d.variant, band: mau.variant }], realized, count) : null,
          WS.table(["step of the chain", d.reference, d.variant, "difference (paired)"],
            a.chain.map(s => { const f = metricFormat(s.metric); return [s.step, bandText(s.reference, f), bandText(s.variant, f), bandText(s.difference, f)]; }),
            { class: "chain" }));
      }));
  }

  // Horizontal bands (p5–p95 with the median) for a few variants, and the session's own value as a dot.
  function bandChart(title, rows, realized, fmt) {
    const W = 640, L = 260, R = 70, T = 22, rowH = 26;
    const H = T + rows.length * rowH + 24;
    const values = rows.flatMap(r => [r.band.p5, r.band.p95]).concat(realized === undefined ? [] : [realized]).filter(v => isFinite(v));
    let lo = Math.min(...values), hi = Math.max(...values);
    if (hi === lo) { hi += 1; lo -= 1; }
    const pad = (hi - lo) * 0.05; lo -= pad; hi += pad;
    const x = v => L + (W - L - R) * (v - lo) / (hi - lo);
    const root = WS.svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": title });
    root.appendChild(WS.svg("text", { x: 4, y: 14, class: "chart-title" }, title));
    rows.forEach((r, i) => {
      const y = T + i * rowH + 6;
      const color = WS.palette[i % WS.palette.length];
      root.appendChild(WS.svg("text", { x: L - 6, y: y + 11, class: "axis", "text-anchor": "end" }, r.name.length > 44 ? r.name.slice(0, 43) + "…" : r.name, WS.svg("title", {}, r.name)));
      root.appendChild(WS.svg("rect", { x: x(r.band.p5), y, width: Math.max(1, x(r.band.p95) - x(r.band.p5)), height: 14, fill: color, "fill-opacity": 0.3, stroke: color }));
      root.appendChild(WS.svg("line", { x1: x(r.band.p50), x2: x(r.band.p50), y1: y - 2, y2: y + 16, stroke: color, "stroke-width": 3 }));
      root.appendChild(WS.svg("text", { x: x(r.band.p95) + 4, y: y + 11, class: "axis" }, fmt(r.band.p50)));
    });
    if (realized !== undefined && isFinite(realized)) {
      root.appendChild(WS.svg("circle", { cx: x(realized), cy: H - 14, r: 5, fill: "#111" }, WS.svg("title", {}, "the session's run: " + fmt(realized))));
      root.appendChild(WS.svg("text", { x: x(realized) + 8, y: H - 10, class: "axis" }, "session " + fmt(realized)));
    }
    for (const v of [lo + pad, hi - pad]) root.appendChild(WS.svg("text", { x: x(v), y: H - 1, class: "axis", "text-anchor": "middle" }, fmt(v)));
    return root;
  }

  let roundsOf = null, lastPlayed = -1;
  async function follow() {
    const s = await api("/api/state");
    if (!s.ok) return;
    if (!roundsOf) roundsOf = await luck();
    else if (s.body.roundsPlayed !== lastPlayed && typeof roundsOf === "function") roundsOf(s.body.roundsPlayed);
    lastPlayed = s.body.roundsPlayed;
  }

  WS.follow(async v => { await refresh(v); await follow(); });
})();

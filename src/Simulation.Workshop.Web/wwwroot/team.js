// The team page: briefing, dashboard, the decision form (from the declarations), results, rivals and news.
"use strict";
(function () {
  const { el, fill, api, usd, count, pct, num } = WS;
  const company = WS.company;
  let formKey = null, dirty = false;

  function problem(text) {
    const box = document.getElementById("problem");
    box.hidden = !text;
    fill(box, text ? el("p", { class: "notice" }, text) : null);
  }

  if (!company || !WS.token) {
    problem("This page needs the join link your facilitator gave you (it ends with #company=...&token=...).");
    return;
  }

  function card(label, value, id) {
    return el("div", { class: "card", id }, el("div", { class: "label" }, label), el("div", { class: "value" }, value));
  }

  const statusWords = {
    employed: "employed", ramping: "ramping up", "outside-ai": "outside AI", bound: "bound by a non-compete",
    "in-arbitration": "in arbitration", free: "free",
  };

  function dashboard(d, c) {
    const f = d.figures;
    fill("dashboard",
      el("div", { class: "cards" },
        card("Cash", usd(f.cashUsd), "fig-cash"),
        card("Revenue (last round)", usd(f.revenueUsd), "fig-revenue"),
        card("Spending (last round)", usd(f.spendUsd)),
        card("AI headcount", count(f.headcount), "fig-headcount"),
        card("Stars", String(f.stars)),
        card("Model quality", num(f.modelQuality, 1), "fig-quality"),
        card("Users (MAU)", count(f.users), "fig-users"),
        card("Share", pct(f.share), "fig-share"),
        card("30-day retention", pct(f.retention), "fig-retention")),
      el("h3", {}, "Apps"),
      WS.table(["app", "market", "launched", "users", "share", "retention", "quality vs frontier"],
        d.apps.map(a => [c.name("app", a.app), c.name("market", a.market), a.launched ? "yes" : "not yet", count(a.mau), pct(a.share), pct(a.retentionD30), num(a.quality)])),
      el("h3", {}, "Named researchers (yours, and leavers bound to you)"),
      d.researchers.length
        ? WS.table(["who", "works for", "status", "salary/month", "skill", "non-compete"], d.researchers.map(r => [
            r.name || c.name("researcher", r.id), r.employer ? c.name("company", r.employer) : "nobody", statusWords[r.status] || r.status,
            usd(r.monthlySalaryUsd), String(r.skill), r.boundTo ? "to " + c.name("company", r.boundTo) + " until " + r.boundUntil : ""]), { id: "researchers" })
        : el("p", { class: "muted" }, "No named researcher works for you now."));
  }

  function results(d) {
    const t = d.trajectory;
    const labels = t.map((_, i) => (i === 0 ? "start" : "R" + i));
    const one = (name, key) => [{ name, values: t.map(x => x[key]) }];
    fill("results",
      t.length <= 1 ? el("p", { class: "muted", id: "no-results" }, "Results appear here after the first round is played.")
        : el("p", {}, el("a", { href: "/debrief.html#company=" + encodeURIComponent(company) + "&token=" + encodeURIComponent(WS.token), target: "_blank", rel: "noopener", id: "debrief-link" },
            "Debrief: was it skill or luck? Replay a round with one decision changed")),
      el("div", { class: "charts", id: "charts" },
        WS.lineChart("Cash", labels, one("cash", "cashUsd"), usd),
        WS.lineChart("Users (MAU)", labels, one("users", "users"), count),
        WS.lineChart("Market share", labels, one("share", "share"), v => pct(v, 0)),
        WS.lineChart("Model quality", labels, one("quality", "modelQuality"), v => num(v, 0)),
        WS.lineChart("AI headcount", labels, one("headcount", "headcount"), count),
        WS.lineChart("Revenue per round", labels, one("revenue", "revenueUsd"), usd)),
      t.length > 1 ? el("h3", {}, "Round by round") : null,
      t.length > 1 ? WS.table(["round", "cash", "revenue", "spend", "headcount", "quality", "users", "share", "retention"],
        t.map((x, i) => [i === 0 ? "start" : String(i), usd(x.cashUsd), usd(x.revenueUsd), usd(x.spendUsd), count(x.headcount), num(x.modelQuality, 1), count(x.users), pct(x.share), pct(x.retention)]),
        { id: "round-table" }) : null);
  }

  function rivals(state, c) {
    const rows = state.companies.filter(x => x.company !== company).map(x => {
      const apps = state.apps.filter(a => a.company === x.company);
      const users = apps.reduce((s, a) => s + (a.mau || 0), 0);
      return [c.name("company", x.company) + (x.team ? " (team)" : ""), x.launchedApps.map(a => c.name("app", a)).join(", ") || "–",
        String(x.stars), count(x.headcount), count(users)];
    });
    fill("rivals", WS.table(["company", "apps live", "stars", "AI headcount", "users"], rows));
  }

  async function briefing() {
    const r = await api("/api/teams/" + encodeURIComponent(company) + "/briefing");
    if (!r.ok) { fill("briefing", el("p", { class: "muted" }, "No briefing: " + ((r.body && r.body.title) || r.status))); return; }
    const b = r.body, c = await WS.cast();
    const cite = source => source ? el("cite", {}, source) : null;
    const fact = f => el("blockquote", { class: "fact" }, f.claim, el("br"), el("span", { class: "hint" }, "“" + f.quote + "” "), cite(f.source || ("line " + f.line)));
    fill("briefing",
      el("p", {}, "You play ", el("strong", {}, b.name), " in the scenario ", el("em", {}, b.scenario), " (" + b.start + " to " + b.end + "). ", b.description),
      el("h3", {}, "Your situation at the start (" + b.start + ")"),
      el("div", { class: "cards" },
        card("Cash for AI", usd(b.cashUsd)), card("Revenue a month", usd(b.monthlyRevenueUsd)), card("Ecosystem", num(b.ecosystem, 2)),
        b.workforce.map(w => card(w.tier + " staff", count(w.count)))),
      el("p", {}, "Apps: ", b.apps.length ? b.apps.map(a => a.name + " (" + c.name("market", a.market) + (a.launch ? ", launch " + a.launch : "") + ")").join("; ") : "none"),
      b.researchers.length ? el("p", {}, "Named people: ", b.researchers.map(x => x.name + (x.inAi ? "" : " (outside AI)")).join("; ")) : null,
      b.facts.length ? [el("h3", {}, "What the article says about you"),
        b.articleTitle ? el("p", { class: "hint" }, "Article: " + b.articleTitle) : null,
        b.facts.slice(0, 4).map(fact),
        b.facts.length > 4 ? el("details", {}, el("summary", {}, "All " + b.facts.length + " lines of the article about you"), b.facts.slice(4).map(fact)) : null] : null,
      b.events.length ? el("details", {}, el("summary", {}, "What the scenario scripts for you (" + b.events.length + " events)"),
        WS.table(["date", "what", "source"], b.events.map(e => [e.date, e.kind + ": " + (e.note || [e.person && c.name("researcher", e.person), e.to && ("→ " + c.name("company", e.to))].filter(Boolean).join(" ")),
          e.source ? el("span", { title: e.line || "" }, e.source) : "–"]))) : null,
      b.figures.length ? el("details", {}, el("summary", {}, "Figures of yours taken from the article (" + b.figures.length + ")"),
        WS.table(["figure", "value", "line cited"], b.figures.map(x => [x.field, String(x.value), el("span", { title: x.line || "" }, x.source)]))) : null,
      el("p", { class: "hint" }, "Rivals: " + b.rivals.map(x => x.name).join(", ")));
  }

  async function refresh() {
    const c = await WS.cast();
    const [s, d] = await Promise.all([api("/api/state"), api("/api/teams/" + encodeURIComponent(company))]);
    if (!s.ok || !d.ok) {
      problem("The server refused this page: " + (((d.body || s.body) || {}).title || ("HTTP " + (d.ok ? s.status : d.status))) + ". Ask the facilitator for your link.");
      return;
    }
    problem(null);
    const state = s.body, dash = d.body;
    document.title = "Workshop: " + dash.name;
    fill("title", dash.name);
    WS.header("bar", state);
    dashboard(dash, c);
    results(dash);
    rivals(state, c);
    await WS.news("news", state.news);
    const form = dash.form;
    fill("decision-title", "Your decision for round " + form.round);
    const key = [form.round, form.open, state.status, form.stored ? form.stored.version + form.stored.by : "none"].join("/");
    if (key !== formKey) {
      if (dirty && form.stored && form.stored.altered && formKey && formKey.split("/")[0] === String(form.round) && form.open) {
        // Someone else (the facilitator) changed the stored decision while this team was editing: say so, keep the edits.
        const st = document.getElementById("form-status");
        if (st) st.textContent = "The stored decision changed (version " + (form.stored ? form.stored.version : "?") + "); your edits are kept: submit them with version " + form.nextVersion + " or reload.";
        formKey = key;
        return;
      }
      formKey = key;
      dirty = false;
      WS.decisionForm("decision", dash, { cast: c, onDirty: () => { dirty = true; }, onSaved: () => { dirty = false; } });
    }
  }

  briefing();
  WS.follow(refresh);
})();

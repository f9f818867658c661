// The facilitator's page: lobby (joins, links, QR codes), round controls (open with a deadline, pause, resume,
// advance, undo, end, export), alterations of a team's decision, injected events, the leaderboard and the news.
"use strict";
(function () {
  const { el, fill, api, usd, count, pct, num } = WS;
  let session = null, state = null, cast = null;
  const qrCache = {};

  function problem(text) {
    const box = document.getElementById("problem");
    box.hidden = !text;
    fill(box, text ? el("p", { class: "notice" }, text) : null);
  }
  if (!WS.token) { problem("This page needs the facilitator's link printed by `sim workshop` (it ends with #token=...)."); return; }

  function log(text, bad) {
    const box = document.getElementById("log");
    box.prepend(el("div", { class: bad ? "field-error" : "" }, new Date().toLocaleTimeString() + "  " + text));
  }

  async function act(label, path, body) {
    const r = await api(path, { method: "POST", body });
    if (r.ok) log(label + ": done" + (r.body && r.body.elapsedMs !== undefined ? " in " + Math.round(r.body.elapsedMs) + " ms" : "") + (r.body && r.body.changed === false ? " (nothing changed)" : ""));
    else log(label + ": refused (" + r.status + ") " + ((r.body && r.body.title) || "") + ((r.body && r.body.errors || []).map(e => " · " + e.field + ": " + e.message).join("")), true);
    return r;
  }

  let deadlineText = "";
  function controls() {
    const s = state;
    const minutes = el("input", { type: "text", inputmode: "decimal", id: "deadline-minutes", value: deadlineText, placeholder: "e.g. 10", size: 6,
      oninput: e => { deadlineText = e.target.value; } });
    const playedAll = s.roundsPlayed >= s.rounds;
    fill("controls",
      el("p", {}, el("strong", { id: "round-status" }, "Round " + s.round + " of " + s.rounds + ": " + s.status),
        " · played " + s.roundsPlayed + " · state " + s.stateHash.slice(0, 12)),
      el("div", { class: "actions" },
        el("label", { for: "deadline-minutes" }, "Deadline in minutes (optional)"), minutes,
        el("button", { id: "open-round", disabled: s.status === "ended" || s.status === "paused" || playedAll,
          onclick: () => {
            const m = parseFloat(minutes.value);
            act((s.status === "open" ? "New deadline for round " : "Open round ") + s.round, "/api/rounds/" + s.round + "/open", isFinite(m) && m > 0 ? { deadlineSeconds: m * 60 } : {});
          } }, s.status === "open" ? "Set a new deadline" : "Open round " + s.round)),
      el("div", { class: "actions" },
        el("button", { id: "pause", class: "secondary", disabled: s.status !== "open", onclick: () => act("Pause", "/api/pause") }, "Pause"),
        el("button", { id: "resume", class: "secondary", disabled: s.status !== "paused", onclick: () => act("Resume", "/api/resume") }, "Resume"),
        el("button", { id: "advance", disabled: s.status === "ended" || playedAll, onclick: () => act("Advance round " + s.round, "/api/rounds/" + s.round + "/advance") }, "Advance: play round " + s.round),
        el("button", { id: "undo", class: "secondary", disabled: s.roundsPlayed === 0 || s.status === "ended",
          onclick: () => { if (confirm("Undo round " + s.roundsPlayed + "? Its results are replayed away; its decisions are kept.")) act("Undo", "/api/rounds/undo"); } }, "Undo last round"),
        el("button", { id: "end", class: "danger", disabled: s.status === "ended",
          onclick: () => { if (confirm("End the session? Nothing can change afterwards.")) act("End", "/api/end"); } }, "End session")),
      el("div", { class: "actions" },
        el("button", { id: "export", class: "secondary", onclick: exportZip }, "Export (zip)"),
        el("a", { href: "/room.html", target: "_blank", rel: "noopener" }, "Room screen"), " · ",
        el("a", { href: "/debrief.html#token=" + encodeURIComponent(WS.token), target: "_blank", rel: "noopener", id: "debrief-link" }, "Debrief"), " · ",
        el("a", { href: "/openapi/v1.json", target: "_blank", rel: "noopener" }, "API")),
      el("p", { class: "hint" }, "Advancing plays the round: teams without a decision play their policy in force, companies without a team play the scenario's policy."));
  }

  async function exportZip() {
    const r = await api("/api/export", { raw: true });
    if (!r.ok) { log("Export: refused (" + r.status + ")", true); return; }
    const name = ((r.headers.get("Content-Disposition") || "").match(/filename="?([^";]+)"?/) || [])[1] || "workshop.zip";
    const a = el("a", { href: URL.createObjectURL(r.body), download: name });
    document.body.appendChild(a); a.click(); a.remove();
    log("Export: " + name);
  }

  async function qr(company) {
    if (qrCache[company]) return qrCache[company];
    const r = await api("/api/teams/" + encodeURIComponent(company) + "/qr.svg", { raw: true });
    if (!r.ok) return null;
    qrCache[company] = await new Promise(res => { const fr = new FileReader(); fr.onload = () => res(fr.result); fr.readAsDataURL(r.body); });
    return qrCache[company];
  }

  async function lobby() {
    const rows = await Promise.all(state.teams.map(async t => {
      const url = session.teamUrls[t.company] || "";
      const src = await qr(t.company);
      const link = el("input", { type: "text", class: "link", readonly: true, value: url, "aria-label": "join link of " + t.name });
      return el("div", { class: "lobby-team", "data-team": t.company },
        src ? el("img", { class: "qr", src, alt: "QR code of the join link of " + t.name }) : el("div", { class: "qr" }),
        el("div", {},
          el("strong", {}, t.name), " ",
          t.lastSeen ? el("span", { class: "ok joined" }, "joined, seen " + new Date(t.lastSeen).toLocaleTimeString()) : el("span", { class: "wait" }, "not joined yet"),
          el("div", { class: "submission", "data-submitted": t.submitted ? "yes" : "no" },
            t.submitted ? el("span", { class: "ok" }, "✔ submitted round " + state.round + " (version " + t.version + (t.altered ? ", altered by you" : "") + ")")
              : el("span", { class: "wait" }, state.status === "open" || state.status === "paused" ? "… no decision yet for round " + state.round : "between rounds")),
          link,
          el("button", { type: "button", class: "small", onclick: () => { link.select(); navigator.clipboard && navigator.clipboard.writeText(url); } }, "copy link")));
    }));
    const submitted = state.teams.filter(t => t.submitted).length;
    fill("lobby",
      el("p", { id: "submitted-count" }, submitted + " of " + state.teams.length + " teams submitted for round " + state.round),
      rows,
      el("p", { class: "hint" }, "Each link carries its team's token: share it only with that team. The room screen needs no token: " + session.roomUrl));
  }

  let alterCompany = null;
  async function alter() {
    const teams = state.teams;
    if (!alterCompany) alterCompany = teams[0] && teams[0].company;
    const select = el("select", { id: "alter-team", onchange: e => { alterCompany = e.target.value; alterKey = null; refresh(); } },
      teams.map(t => el("option", { value: t.company, selected: t.company === alterCompany }, t.name)));
    const box = el("div", { id: "alter-form" });
    fill("alter", el("p", {}, "Team ", select), box,
      el("p", { class: "hint" }, "An alteration is stored as a new version recorded as the facilitator's; the team sees it."));
    if (state.status !== "open") { fill(box, el("p", { class: "muted" }, "Open a round to alter its decisions.")); return; }
    const d = await api("/api/teams/" + encodeURIComponent(alterCompany));
    if (!d.ok) { fill(box, el("p", { class: "field-error" }, (d.body && d.body.title) || "HTTP " + d.status)); return; }
    WS.decisionForm(box, d.body, { cast, facilitator: true });
  }

  const eventFields = [
    ["company", "company", "companies"], ["person", "researcher", "researchers"], ["to", "new employer (move)", "companies"],
    ["app", "app (launch)", "apps"], ["multiplier", "multiplier (qualityBoost, budget)", null], ["amountUsd", "amount USD (funding)", null],
    ["monthlySalaryUsd", "monthly salary USD (offer)", null], ["date", "date (default: the round's first day)", null], ["note", "note", null],
  ];
  function inject() {
    const kind = el("select", { id: "event-kind", "data-field": "event.kind" }, session.eventKinds.map(k => el("option", { value: k }, k)));
    const inputs = {};
    const rows = eventFields.map(([key, label, list]) => {
      const input = list
        ? el("select", { id: "event-" + key, "data-field": "event." + key }, el("option", { value: "" }, "–"), (cast[list] || []).map(x => el("option", { value: x.id }, x.name)))
        : el("input", { type: "text", id: "event-" + key, "data-field": "event." + key });
      inputs[key] = input;
      return el("div", { class: "field" }, el("label", { for: "event-" + key }, label), input, el("div", { class: "field-error", "data-error-for": "event." + key }));
    });
    const errors = el("div", { class: "errors" });
    const formNode = el("form", { novalidate: true, id: "inject-form" },
      el("div", { class: "field" }, el("label", { for: "event-kind" }, "kind"), kind, el("div", { class: "field-error", "data-error-for": "event.kind" })),
      el("div", { class: "fields" }, rows), errors,
      el("div", { class: "actions" }, el("button", { type: "submit", id: "inject-button" }, "Inject into round " + state.round)));
    formNode.addEventListener("submit", async e => {
      e.preventDefault();
      formNode.querySelectorAll(".field-error").forEach(x => { x.textContent = ""; });
      errors.textContent = "";
      const body = { kind: kind.value };
      for (const [key, input] of Object.entries(inputs)) {
        const v = input.value.trim();
        if (v === "") continue;
        body[key] = ["multiplier", "amountUsd", "monthlySalaryUsd"].includes(key) && isFinite(Number(v)) ? Number(v) : v;
      }
      const r = await act("Inject " + kind.value, "/api/events", body);
      if (!r.ok) {
        const rest = [];
        for (const err of (r.body && r.body.errors) || []) {
          // The loader names a missing field in its message, on the event itself: show it at that field.
          const missing = err.field === "event" && /required field '([A-Za-z]+)'/.exec(err.message || "");
          const field = missing ? "event." + missing[1] : err.field;
          const slot = formNode.querySelector('[data-error-for="' + CSS.escape(field) + '"]');
          if (slot) slot.textContent = err.message; else rest.push(err.field + ": " + err.message);
        }
        errors.textContent = ((r.body && r.body.title) || "refused") + (rest.length ? ": " + rest.join("; ") : "");
      }
    });
    fill("inject", el("p", { class: "hint" }, "Written as a scenario file writes an event and checked by the same rules; it takes effect in the current round."), formNode);
  }

  async function scoreboard() {
    const r = await api("/api/scorecard");
    if (!r.ok) return;
    const sc = r.body;
    fill("score", sc.leaderboard.length
      ? WS.table(["#", "team", "score", "users", "share", "retention", "cash", "talent"],
          sc.leaderboard.map((t, i) => [String(i + 1), cast.name("company", t.company), num(t.score, 1),
            num(t.parts.users, 0), num(t.parts.share, 0), num(t.parts.retention, 0), num(t.parts.cash, 0), num(t.parts.talent, 0)]), { id: "leaderboard" })
      : el("p", { class: "muted" }, "The leaderboard starts after the first round (100 = as well as the computer's play)."));
  }

  let lastRound = null, lastStatus = null, alterKey = null;
  async function refresh() {
    cast = await WS.cast();
    const [s, sess] = await Promise.all([api("/api/state"), session ? Promise.resolve({ ok: true, body: session }) : api("/api/session")]);
    if (!s.ok || !sess.ok) { problem("The server refused this page: " + (((sess.body || s.body) || {}).title || "HTTP " + sess.status) + ". Use the facilitator's link."); return; }
    problem(null);
    state = s.body; session = sess.body;
    WS.header("bar", state);
    controls();
    await lobby();
    if (state.round !== lastRound || state.status !== lastStatus) {
      lastRound = state.round; lastStatus = state.status;
      inject();
    }
    // The alteration form follows the selected team's stored decision (its next version).
    const team = state.teams.find(t => t.company === alterCompany) || state.teams[0];
    const key = [state.round, state.status, team && team.company, team && team.version].join("/");
    if (key !== alterKey) { alterKey = key; await alter(); }
    await scoreboard();
    await WS.news("news", state.news, 40);
  }

  WS.follow(refresh);
  // Joins do not change the session's version: look again every few seconds for who has joined.
  setInterval(() => { if (!document.hidden && state) lobbyOnly(); }, 5000);
  async function lobbyOnly() {
    const s = await api("/api/state");
    if (s.ok && s.body.version === state.version) { state = s.body; await lobby(); }
  }
})();

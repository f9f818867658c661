// The room screen for the projector: read-only, no token. Round, simulated date, countdown, leaderboard,
// market shares and news, following every change live.
"use strict";
(function () {
  const { el, fill, api, count, pct, num } = WS;

  async function refresh() {
    const c = await WS.cast();
    const [s, sc] = await Promise.all([api("/api/state"), api("/api/scorecard")]);
    if (!s.ok) return;
    const state = s.body;
    fill("title", "Strategy workshop: " + (c.scenario || state.scenario));
    WS.header("bar", state);
    const submitted = state.teams.filter(t => t.submitted).length;
    fill("now",
      el("div", { class: "big", id: "room-round" }, "Round " + state.round + " of " + state.rounds),
      el("div", {}, "Simulated date ", el("strong", { id: "room-date" }, state.date)),
      el("div", {}, "Status: " + state.status + (state.status === "open" ? " · " + submitted + " of " + state.teams.length + " teams submitted" : "")),
      el("div", { class: "hint" }, "Teams: " + state.teams.map(t => t.name).join(", ")));
    const board = sc.ok ? sc.body.leaderboard : [];
    fill("leaderboard-box", board.length
      ? WS.table(["#", "team", "score", "users", "share", "cash", "talent"],
          board.map((t, i) => [String(i + 1), c.name("company", t.company), num(t.score, 1), count(t.figures.users), pct(t.figures.share), WS.usd(t.figures.cash), count(t.figures.talent)]),
          { id: "leaderboard" })
      : el("p", { class: "muted", id: "leaderboard-empty" }, "The leaderboard starts after the first round. 100 = as well as the computer's play of the same company."));
    const markets = [...new Set(state.apps.map(a => a.market))];
    fill("shares", markets.map(m => {
      const apps = state.apps.filter(a => a.market === m && a.launched).sort((a, b) => (b.share || 0) - (a.share || 0));
      return apps.length ? WS.barChart(c.name("market", m), apps.map(a => ({ name: c.name("app", a.app), value: a.share || 0 })), v => pct(v, 0), 1)
        : el("p", { class: "muted" }, c.name("market", m) + ": no app launched yet");
    }));
    await WS.news("news", state.news, 25);
  }

  WS.follow(refresh);
})();

// Placeholder pages of the strategy workshop: each shows the JSON its role reads and follows changes live.
// The pages engineer replaces them. Names in the data are shown with textContent (escaped), never as HTML.
"use strict";
(function () {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  const company = params.get("company");
  const role = document.body.dataset.role;
  const headers = token ? { Authorization: "Bearer " + token } : {};

  async function show(id, url) {
    const el = document.getElementById(id);
    if (!el) return;
    try {
      const response = await fetch(url, { headers });
      el.textContent = JSON.stringify(await response.json(), null, 2);
    } catch (e) {
      el.textContent = String(e);
    }
  }

  function refresh() {
    show("state", "/api/state");
    if (role === "team" && company) show("dashboard", "/api/teams/" + encodeURIComponent(company));
    if (role === "facilitator") show("session", "/api/session");
    if (role !== "team") show("scorecard", "/api/scorecard");
  }

  refresh();
  const events = new EventSource("/api/events/stream");
  events.addEventListener("state", refresh);
})();

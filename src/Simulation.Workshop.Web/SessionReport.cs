using System.Globalization;
using System.Net;
using System.Text;
using Simulation.Exports;
using Simulation.Exports.Charts;
using Simulation.Workshop;

namespace Simulation.Workshop.Web;

/// <summary>
/// The export's report: the session's charts (PNG and SVG, as <c>sim run</c> draws them) and <c>report.html</c>, one
/// self-contained page (no script, no link outside it: the charts are inline SVG) with the leaderboard, each team's
/// trajectory round by round, the decisions and who entered them, and the news. Every name is HTML-escaped.
/// </summary>
public sealed class SessionReport : IExportPart
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public IEnumerable<(string Name, byte[] Content)> Render(WorkshopSession session)
    {
        var played = session.Played;
        var output = new RunOutput(session.Setup.Info.Name, session.Setup.Scenario.Sha256, session.Setup.Info.Seed, 0, "reference (workshop)",
            "", [], played.Collector.MonthRows, played.Collector.Events, [.. played.Collector.FinalCompanies]);
        IReadOnlyDictionary<string, byte[]> charts;
        string? chartsMissing = null;
        try
        {
            ChartRenderer.EnsureFonts();
            charts = played.Collector.MonthRows.Count == 0 ? new Dictionary<string, byte[]>() : RunCharts.Render(output);
        }
        catch (ChartFontsMissingException e)
        {
            charts = new Dictionary<string, byte[]>();
            chartsMissing = e.Message;
        }
        foreach (var (name, bytes) in charts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            yield return (name, bytes);
        }
        yield return ("report.html", Encoding.UTF8.GetBytes(Html(session, charts, chartsMissing)));
    }

    public static string Html(WorkshopSession session, IReadOnlyDictionary<string, byte[]> charts, string? chartsMissing = null)
    {
        var info = session.Setup.Info;
        var card = session.Scorecard;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Workshop report: ").Append(E(info.Name)).Append("</title>\n")
          .Append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}td:first-child,th:first-child{text-align:left}")
          .Append("h2{margin-top:2em}figure{margin:1em 0}svg{max-width:100%;height:auto}.note{color:#555}</style></head><body>\n");
        sb.Append("<h1>Workshop report: ").Append(E(info.Name)).Append("</h1>\n<p>")
          .Append(E($"Teams: {string.Join(", ", session.Setup.Teams)}. Rounds played: {session.RoundsPlayed} of {session.Setup.Plan.Length} ({session.StatusWord}); simulated date {session.Played.Latest.End:yyyy-MM-dd}."))
          .Append("</p>\n<p class=\"note\">").Append(E($"State hash {session.StateHash}; scenario SHA-256 {session.Setup.Scenario.Sha256}."))
          .Append(" Scores: 100 is what the computer's play of the same company would have done in the same world.</p>\n");

        sb.Append("<h2>Leaderboard</h2>\n<table><tr><th>team</th><th>score</th><th>users</th><th>share</th><th>retention</th><th>cash</th><th>talent</th></tr>\n");
        foreach (var t in card.Leaderboard)
        {
            sb.Append("<tr><td>").Append(E(t.Company)).Append("</td>");
            foreach (var v in new[] { t.Score, t.Parts.Users, t.Parts.Share, t.Parts.Retention, t.Parts.Cash, t.Parts.Talent })
            {
                sb.Append("<td>").Append(v is { } x ? x.ToString("0", Inv) : "-").Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</table>\n");

        sb.Append("<h2>Trajectories</h2>\n");
        foreach (var team in session.Setup.Teams)
        {
            sb.Append("<h3>").Append(E(team)).Append("</h3>\n<table><tr><th>round</th><th>ends</th><th>score</th><th>users</th><th>share</th><th>cash (USD)</th><th>decision</th></tr>\n");
            foreach (var round in card.Rounds)
            {
                var t = round.Teams.First(x => x.Company == team);
                var decision = session.DecisionOf(round.Round, team);
                sb.Append("<tr><td>").Append(round.Round.ToString(Inv)).Append("</td><td>").Append(round.End.ToString("yyyy-MM-dd", Inv))
                  .Append("</td><td>").Append(t.Score is { } s ? s.ToString("0", Inv) : "-")
                  .Append("</td><td>").Append(t.Figures.Users is { } u ? (u / 1e6).ToString("0.00", Inv) + "M" : "-")
                  .Append("</td><td>").Append(t.Figures.Share is { } sh ? (100 * sh).ToString("0.0", Inv) + " %" : "-")
                  .Append("</td><td>").Append(t.Figures.Cash is { } c ? (c / 1e9).ToString("0.00", Inv) + "B" : "-")
                  .Append("</td><td>").Append(E(Describe(decision))).Append("</td></tr>\n");
            }
            sb.Append("</table>\n");
        }

        sb.Append("<h2>Charts</h2>\n");
        if (chartsMissing is not null)
        {
            sb.Append("<p class=\"note\">").Append(E("No charts: " + chartsMissing)).Append("</p>\n");
        }
        foreach (var (name, bytes) in charts.Where(c => c.Key.EndsWith(".svg", StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var svg = Encoding.UTF8.GetString(bytes);
            var start = svg.IndexOf("<svg", StringComparison.Ordinal);
            sb.Append("<figure>").Append(start >= 0 ? svg[start..] : "").Append("<figcaption>").Append(E(name)).Append("</figcaption></figure>\n");
        }

        sb.Append("<h2>News</h2>\n<table><tr><th>date</th><th>what</th><th>who</th><th>from</th><th>to</th><th>note</th></tr>\n");
        foreach (var n in session.News.Reverse())
        {
            sb.Append("<tr><td>").Append(n.Date.ToString("yyyy-MM-dd", Inv)).Append("</td><td>").Append(E(n.Kind)).Append("</td><td>")
              .Append(E(n.Person ?? n.App ?? n.Company ?? "")).Append("</td><td>").Append(E(n.From ?? "")).Append("</td><td>").Append(E(n.To ?? ""))
              .Append("</td><td>").Append(E(n.Note ?? "")).Append("</td></tr>\n");
        }
        sb.Append("</table>\n</body></html>\n");
        return sb.ToString();
    }

    private static string Describe(StoredDecision? d)
    {
        if (d is null)
        {
            return "none (its policy in force)";
        }
        var parts = d.Decision.Policy.Select(p => $"{p.Key} {p.Value.ToString("0.###", Inv)}")
            .Concat(d.Decision.Offers.Select(o => $"offer to {o.Researcher} at {o.MonthlySalaryUsd.ToString("0", Inv)}/month"))
            .Concat(d.Decision.Filings.Select(f => $"filing against {f.Researcher}"));
        return string.Join("; ", parts) + (d.Altered ? " (altered by the facilitator)" : "");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

using System.Collections.Immutable;
using Simulation.Model.State;
using Simulation.Model.Time;
using Simulation.Workshop;

namespace Simulation.Workshop.Web;

/// <summary>The API's views of a session.</summary>
public static class Projections
{
    public const int NewsLimit = 200;

    public static StateView State(WorkshopRuntime runtime, WorkshopSession s, Actor? viewer)
    {
        var played = s.Played;
        var latest = played.Latest;
        var plan = s.CurrentPlan;
        var now = runtime.Clock.GetUtcNow();
        var facilitator = viewer is { IsFacilitator: true };
        var info = s.Setup.Info;
        return new StateView
        {
            Version = s.Version,
            Scenario = info.Name,
            Round = s.Round,
            Rounds = s.Setup.Plan.Length,
            RoundsPlayed = s.RoundsPlayed,
            Status = s.StatusWord,
            Date = latest.End,
            RoundStart = plan.Start,
            RoundEnd = plan.LastDay,
            Deadline = s.Deadline,
            SecondsLeft = s.Deadline is { } d ? Math.Max(0, (d - now).TotalSeconds) : s.PausedLeft?.TotalSeconds,
            ServerTime = now,
            StateHash = s.StateHash,
            Teams = [.. s.Setup.Teams.Select(t =>
            {
                var stored = s.DecisionOf(s.Round, t);
                return new TeamStatusView(t, info.Company(t).Name, stored is not null, stored?.Version, stored?.Altered,
                    facilitator && runtime.LastSeen.TryGetValue(t, out var seen) ? seen : null);
            })],
            Apps = latest.Apps,
            Companies = [.. info.Companies.Select(c =>
            {
                var figures = latest.Company(c.Id);
                return new CompanyPublicView(c.Id, c.Name, s.IsTeam(c.Id),
                    [.. latest.Apps.Where(a => a.Company == c.Id && a.Launched).Select(a => a.App)], figures.Stars, figures.Headcount);
            })],
            News = [.. s.News.Take(NewsLimit)],
            You = viewer is { Company: { } company } ? new TeamPrivateView(company, latest.Company(company), Decision(s.DecisionOf(s.Round, company))) : null,
        };
    }

    public static DecisionView? Decision(StoredDecision? d) =>
        d is null ? null : new DecisionView(d.Round, d.Company, d.Version, d.By, d.Altered, d.At, DecisionBody.From(d.Decision));

    public static DashboardView Dashboard(WorkshopSession s, string company)
    {
        var played = s.Played;
        var info = s.Setup.Info;
        var today = played.Latest.End;
        var inForce = DecisionRules.PolicyInForce(played, company);
        var stored = s.DecisionOf(s.Round, company);
        var policy = stored is null ? inForce : DecisionRules.Merge(inForce, stored.Decision.Policy);
        var researchers = played.Runner.Talent.Researchers;
        return new DashboardView
        {
            Company = company,
            Name = info.Company(company).Name,
            Round = s.Round,
            Status = s.StatusWord,
            Date = today,
            Figures = played.Latest.Company(company),
            Trajectory = [.. played.Rounds.Select(r => r.Company(company))],
            Apps = [.. played.Latest.Apps.Where(a => a.Company == company)],
            Researchers = [.. researchers.Where(r => r.Employer == company || r.BoundTo == company).Select(r => Researcher(s, r, today))],
            Form = new DecisionFormView
            {
                Round = s.Round,
                Open = s.Status == SessionStatus.Open,
                Fields = [.. DecisionField.All.Select(f => new DecisionFieldView(f.Field, f.Meaning, f.Unit, f.Min,
                    double.IsPositiveInfinity(f.Max) ? null : f.Max, f.MinExclusive, f.ValueIn(inForce), f.ValueIn(policy)))],
                Split = DecisionField.Split,
                SalaryRoomUsd = s.Status == SessionStatus.Ended ? 0 : DecisionRules.SalaryRoom(played, s.CurrentPlan, company, policy),
                Stored = Decision(stored),
                NextVersion = (stored?.Version ?? 0) + 1,
            },
            OfferTargets = [.. DecisionRules.OfferTargets(played, company).Select(r => Researcher(s, r, today))],
            FilingTargets = [.. DecisionRules.FilingTargets(played, company).Select(r => Researcher(s, r, today))],
        };
    }

    private static ResearcherView Researcher(WorkshopSession s, ResearcherState r, DateOnly today)
    {
        var played = s.Played;
        var info = s.Setup.Info.Talent.Researchers[played.Context.ResearcherIndex(r.Id)];
        var rampDays = info.RampMonths * Calendar.DaysPerMonth;
        var status = r.Employer is null ? (r.BoundTo is not null ? "bound" : "free")
            : played.Runner.Talent.Arbitrations.Any(a => a.Person == r.Id && !a.Resolved) ? "in-arbitration"
            : r.BoundTo is not null && r.BoundTo != r.Employer ? "bound"
            : !r.InAi ? "outside-ai"
            : today.DayNumber - r.ProductiveFromDay < rampDays ? "ramping"
            : "employed";
        return new ResearcherView(r.Id, info.Name, r.Employer, status, r.MonthlySalaryUsd, info.Skill, r.Region, r.BoundTo,
            r.BoundTo is null ? null : DateOnly.FromDayNumber(r.BoundUntilDay));
    }

    public static ActionView Action(string action, WorkshopSession s, bool changed, double? elapsedMs = null) =>
        new(action, changed, s.Version, s.Round, s.RoundsPlayed, s.StatusWord, s.StateHash, elapsedMs);

    public static SessionView Session(WorkshopSession s, SessionFile file) => new(
        s.Setup.Info.Name, file.ScenarioSha256, s.Setup.Teams, s.Setup.Plan.Length, file.RoundMonths,
        file.FacilitatorUrl, file.RoomUrl, file.TeamUrls, s.Setup.Plan, InjectedEvents.Kinds);
}

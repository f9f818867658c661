using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Rules;
using Simulation.Tests.Support;

namespace Simulation.Tests.Model;

/// <summary>An <c>offer</c> event: how a workshop team's offer to a named researcher reaches the model.</summary>
public sealed class OfferEventTests
{
    /// <summary>Two rivals that never poach on their own, so every offer comes from an event.</summary>
    private static ScenarioInfo Quiet(params EventInfo[] events)
    {
        var s = TestScenarios.Rivals();
        return s with
        {
            Companies = [.. s.Companies.Select(c => c with { Policy = c.Policy with { PoachRate = 0 } })],
            Talent = s.Talent with { ChoiceNoise = 0, SwitchingCost = 0 },
            Events = [.. events.Select((e, i) => e with { Order = i })],
        };
    }

    private static EventInfo Offer(string company, string person, double salary, DateOnly date) => new()
    {
        Date = date, Kind = EventKind.Offer, Company = company, Person = person, MonthlySalaryUsd = salary,
    };

    private static CompanyDecisionOffers DecideAt(ScenarioInfo scenario, string company, int tick)
    {
        var context = new ScenarioContext(scenario, 1);
        var info = scenario.Company(company);
        var state = CompanyRules.Create(context, info);
        var view = TalentRules.View(context, TalentRules.Create(context), tick);
        return new(CompanyRules.Decide(context, info, state, context.Calendar[tick], view).Offers.ToArray());
    }

    private sealed record CompanyDecisionOffers(Simulation.Model.Phases.StarOffer[] Offers);

    [Fact]
    public void An_offer_event_puts_the_named_offer_into_the_company_decision_on_its_tick_only()
    {
        var s = Quiet();
        var date = s.CreateCalendar()[2].Start;
        var scenario = Quiet(Offer("b", "r0", 25_000, date));

        var onTick = DecideAt(scenario, "b", 2).Offers;
        var before = DecideAt(scenario, "b", 1).Offers;
        var after = DecideAt(scenario, "b", 3).Offers;

        var offer = Assert.Single(onTick);
        Assert.Equal(("r0", "b", 25_000.0), (offer.Person, offer.Company, offer.MonthlySalaryUsd));
        Assert.Empty(before);
        Assert.Empty(after);
    }

    [Fact]
    public void An_offer_beyond_the_salary_budget_or_to_the_company_own_researcher_is_not_made()
    {
        var date = Quiet().Start;
        var scenario = Quiet(Offer("b", "r0", 1e12, date), Offer("b", "r1", 25_000, date));

        Assert.Empty(DecideAt(scenario, "b", 0).Offers);
    }

    [Fact]
    public void A_generous_offer_event_moves_the_star_when_the_engine_plays()
    {
        var scenario = Quiet(Offer("b", "r0", 200_000, Quiet().Start));

        var runner = new ReferenceRunner(scenario, scenario.Seed);
        var reports = runner.Advance(1);

        Assert.Equal("b", runner.Talent.Researchers.Single(r => r.Id == "r0").Employer);
        Assert.Contains(reports[0].Events, e => e.Kind == "poach" && e.Person == "r0" && e.To == "b" && e.AmountUsd == 200_000);
    }

    [Fact]
    public void An_offer_event_changes_nothing_before_its_tick()
    {
        // The policy's own approaches are untouched: 20 weeks play the same with or without an offer dated six months in.
        var s = TestScenarios.Rivals();
        var withEvent = s with { Events = [Offer("b", "r0", 1, s.Start.AddMonths(6))] };
        var a = new ReferenceRunner(s, 3);
        var b = new ReferenceRunner(withEvent, 3);

        var ra = a.Advance(20);
        var rb = b.Advance(20);

        Assert.Equal(ra.SelectMany(r => r.Events), rb.SelectMany(r => r.Events));
    }
}

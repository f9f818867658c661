using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Model.State;
using Simulation.Model.Time;
using Simulation.Tests.Support;

namespace Simulation.Tests.Model;

public sealed class TalentRuleTests
{
    private const int Draws = 4000;

    private static ScenarioInfo Deterministic(ScenarioInfo s) =>
        s with { Talent = s.Talent with { ChoiceNoise = 0, SwitchingCost = 0 } };

    private static CompanyDecision Decision(ScenarioInfo s, string company, params StarOffer[] offers) => new()
    {
        Company = company,
        Tick = 0,
        Policy = s.Company(company).Policy,
        RevenueUsd = 0,
        CashUsd = 1e9,
        PayrollUsd = 0,
        ComputeUsd = 0,
        MarketingUsd = 0,
        Headcount = [0],
        Openings = [0],
        Offers = [.. offers],
    };

    private static StarOffer Offer(string person, string company, double salary) =>
        new() { Person = person, Company = company, MonthlySalaryUsd = salary, FounderAttention = 0 };

    private static CompanyDecision[] Decisions(ScenarioInfo s, params StarOffer[] offers) =>
        [.. s.Companies.Select(c => Decision(s, c.Id, [.. offers.Where(o => o.Company == c.Id)]))];

    [Fact]
    public void Arbitration_outcomes_follow_their_probabilities_over_many_draws()
    {
        var scenario = TestScenarios.Rivals();
        var counts = new Dictionary<string, int>();
        for (ulong seed = 1; seed <= Draws; seed++)
        {
            var context = new ScenarioContext(scenario, seed);
            var state = TalentRules.Create(context);
            state.Researchers[0].BoundSalaryUsd = 20_000;
            state.Arbitrations.Add(new ArbitrationState { Person = "r0", Claimant = "b", Respondent = "a", FiledTick = 0, ResolvesOnDay = scenario.Start.DayNumber });

            var outcome = TalentRules.Resolve(context, state, context.Calendar[0], Decisions(scenario));

            var kind = Assert.Single(outcome.Events, e => e.Kind.StartsWith("arbitration-", StringComparison.Ordinal)).Kind;
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }

        var legal = scenario.Legal;
        Assert.Equal(legal.DamagesProbability, counts["arbitration-damages"] / (double)Draws, 0.03);
        Assert.Equal(legal.SettlementProbability, counts["arbitration-settlement"] / (double)Draws, 0.03);
        Assert.Equal(legal.DismissedProbability, counts["arbitration-dismissed"] / (double)Draws, 0.03);
    }

    [Fact]
    public void Damages_keep_the_person_unproductive_for_the_stated_delay_and_the_new_employer_pays()
    {
        var scenario = TestScenarios.Rivals() with { Legal = new LegalInfo { DamagesProbability = 1, SettlementProbability = 0, DismissedProbability = 0 } };
        var context = new ScenarioContext(scenario, 1);
        var state = TalentRules.Create(context);
        state.Researchers[0].BoundSalaryUsd = 20_000;
        state.Arbitrations.Add(new ArbitrationState { Person = "r0", Claimant = "b", Respondent = "a", FiledTick = 0, ResolvesOnDay = scenario.Start.DayNumber });

        var outcome = TalentRules.Resolve(context, state, context.Calendar[0], Decisions(scenario));

        var delayDays = (int)Math.Round(scenario.Legal.DamagesDelayMonths * Calendar.DaysPerMonth);
        Assert.Equal(scenario.Start.DayNumber + delayDays, state.Researchers[0].ProductiveFromDay);
        var a = outcome.Companies.Single(c => c.Company == "a");
        var b = outcome.Companies.Single(c => c.Company == "b");
        Assert.Equal(scenario.Legal.DamagesSalaryMonths * 20_000, a.TransfersOutUsd, 6);
        Assert.Equal(a.TransfersOutUsd, b.TransfersInUsd);
        // r0 no longer counts; a's other stars (r2, r4, skill 0.5: h = 0.5 each) still do, fully ramped.
        Assert.Equal(1 + scenario.Talent.StarUplift * (1 - 0.5 * 0.5), a.StarLift, 12);
    }

    [Fact]
    public void A_move_binds_the_leaver_as_often_as_the_employer_binds_and_bound_leavers_are_pursued_as_often_as_its_stance_says()
    {
        var scenario = Deterministic(TestScenarios.Rivals(arbitration: 0.4, nonCompete: 0.3));
        int bound = 0, filed = 0;
        for (ulong seed = 1; seed <= Draws; seed++)
        {
            var context = new ScenarioContext(scenario, seed);
            var state = TalentRules.Create(context);

            var outcome = TalentRules.Resolve(context, state, context.Calendar[0], Decisions(scenario, Offer("r0", "b", 100_000)));

            Assert.Equal("b", state.Researchers[0].Employer);
            bound += outcome.Events.Count(e => e.Kind == "non-compete");
            filed += outcome.Events.Count(e => e.Kind == "filing");
        }

        Assert.Equal(0.3, bound / (double)Draws, 0.03);
        Assert.Equal(0.4, filed / (double)bound, 0.05);
    }

    [Fact]
    public void A_bound_person_out_of_work_is_compensated_until_joining_a_rival()
    {
        var scenario = TestScenarios.Rivals() with
        {
            Events =
            [
                new EventInfo { Date = new DateOnly(2024, 1, 1), Kind = EventKind.Move, Person = "r0", To = null, Bound = true },
                new EventInfo { Date = new DateOnly(2024, 2, 5), Kind = EventKind.Move, Person = "r0", To = "b", Order = 1 },
            ],
        };
        var context = new ScenarioContext(scenario, 1);
        var state = TalentRules.Create(context);

        var first = TalentRules.Resolve(context, state, context.Calendar[0], Decisions(scenario));
        var comp = first.Companies.Single(c => c.Company == "a").CompensationUsd;
        var joinTick = context.Calendar.IndexOf(new DateOnly(2024, 2, 5));
        TalentOutcome later = first;
        for (var t = 1; t <= joinTick; t++)
        {
            later = TalentRules.Resolve(context, state, context.Calendar[t], Decisions(scenario));
        }

        Assert.Equal(20_000 * scenario.Legal.NonCompeteCompensation * context.Calendar[0].Months, comp, 6);
        Assert.Equal("b", state.Researchers[0].Employer);
        Assert.Equal("a", state.Researchers[0].BoundTo);
        Assert.Equal(0, later.Companies.Single(c => c.Company == "a").CompensationUsd);
    }

    [Fact]
    public void A_non_compete_ends_after_its_months()
    {
        var rivals = TestScenarios.Rivals();
        var scenario = rivals with
        {
            Companies = [.. rivals.Companies.Select(c => c with { Policy = c.Policy with { NonCompeteMonths = 6 } })],
            Events = [new EventInfo { Date = new DateOnly(2024, 1, 1), Kind = EventKind.Move, Person = "r0", To = null, Bound = true }],
        };
        var context = new ScenarioContext(scenario, 1);
        var state = TalentRules.Create(context);
        var events = new List<SimEvent>();

        for (var t = 0; t < context.Calendar.Count; t++)
        {
            events.AddRange(TalentRules.Resolve(context, state, context.Calendar[t], Decisions(scenario)).Events);
        }

        var end = Assert.Single(events, e => e.Kind == "non-compete-ends");
        var months = (context.Calendar[end.Tick].Start.DayNumber - scenario.Start.DayNumber) / Calendar.DaysPerMonth;
        Assert.InRange(months, scenario.Companies[0].Policy.NonCompeteMonths, scenario.Companies[0].Policy.NonCompeteMonths + 0.25);
        Assert.Null(state.Researchers[0].BoundTo);
    }

    [Fact]
    public void A_counter_offer_keeps_a_loyal_star_at_a_higher_salary()
    {
        var s = Deterministic(TestScenarios.Rivals());
        var scenario = s with
        {
            Companies = [.. s.Companies.Select(c => c with { Policy = c.Policy with { CounterOfferPremium = 0.3 } })],
            Talent = s.Talent with { Researchers = [.. s.Talent.Researchers.Select(r => r with { Loyalty = 0.2 })] },
        };
        var context = new ScenarioContext(scenario, 1);
        var state = TalentRules.Create(context);

        var outcome = TalentRules.Resolve(context, state, context.Calendar[0], Decisions(scenario, Offer("r0", "b", 24_000)));

        Assert.Equal("a", state.Researchers[0].Employer);
        Assert.Equal(24_000, state.Researchers[0].MonthlySalaryUsd, 6);
        var counter = Assert.Single(outcome.Events);
        Assert.Equal("counter-offer", counter.Kind);
    }

    [Fact]
    public void Equal_offers_go_to_the_lower_company_id()
    {
        var s = Deterministic(TestScenarios.Rivals(nonCompete: 0));
        var scenario = s with { Companies = [.. s.Companies, s.Companies[1] with { Id = "c", Apps = [] }] };
        var context = new ScenarioContext(scenario, 1);
        var state = TalentRules.Create(context);

        TalentRules.Resolve(context, state, context.Calendar[0], Decisions(scenario, Offer("r0", "c", 30_000), Offer("r0", "b", 30_000)));

        Assert.Equal("b", state.Researchers[0].Employer);
    }

    [Fact]
    public void Scripted_people_ignore_random_offers()
    {
        var s = Deterministic(TestScenarios.Rivals());
        var scenario = s with { Talent = s.Talent with { Researchers = [.. s.Talent.Researchers.Select(r => r with { Scripted = true })] } };
        var context = new ScenarioContext(scenario, 1);
        var state = TalentRules.Create(context);

        var outcome = TalentRules.Resolve(context, state, context.Calendar[0], Decisions(scenario, Offer("r0", "b", 1_000_000)));

        Assert.Equal("a", state.Researchers[0].Employer);
        Assert.Empty(outcome.Events);
    }

    [Fact]
    public void Pool_hires_never_exceed_the_job_market_supply_and_fill_openings_by_premium()
    {
        var scenario = TestScenarios.Rivals();
        var context = new ScenarioContext(scenario, 1);
        var state = TalentRules.Create(context);
        var decisions = Decisions(scenario);
        decisions[0] = decisions[0] with { Openings = [100], Headcount = [0], Policy = decisions[0].Policy with { PoolPremium = 0.5 } };
        decisions[1] = decisions[1] with { Openings = [100], Headcount = [0] };

        var outcome = TalentRules.Resolve(context, state, context.Calendar[0], decisions);

        var supply = scenario.Talent.Tiers[0].SupplyPerMonth * context.Calendar[0].Months;
        var hires = outcome.Companies.Select(c => c.Hires[0]).ToArray();
        Assert.Equal(supply, hires.Sum(), 9);
        Assert.True(hires[0] > hires[1]);
    }

    [Fact]
    public void Offers_pay_the_premium_over_the_market_salary_so_repeated_bidding_does_not_compound_pay()
    {
        var s = TestScenarios.Rivals();
        var scenario = s with { Companies = [.. s.Companies.Select(c => c with { Policy = c.Policy with { PoachRate = 30 } })] };
        var context = new ScenarioContext(scenario, 1);
        var info = scenario.Company("b");
        var state = CompanyRules.Create(context, info);
        var view = TalentRules.View(context, TalentRules.Create(context), 0);
        // r0 (of company a) has already been bid up to three times the market salary.
        view = view with { Researchers = [.. view.Researchers.Select(r => r.Id == "r0" ? r with { MonthlySalaryUsd = 60_000 } : r)] };

        var offers = CompanyRules.Decide(context, info, state, context.Calendar[0], view).Offers;

        Assert.Equal(60_000, offers.Single(o => o.Person == "r0").MonthlySalaryUsd);
        Assert.Equal(20_000 * (1 + info.Policy.StarPremium), offers.Single(o => o.Person == "r2").MonthlySalaryUsd, 9);
    }
}

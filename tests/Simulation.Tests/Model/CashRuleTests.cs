using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Tests.Support;

namespace Simulation.Tests.Model;

public sealed class CashRuleTests
{
    [Fact]
    public void A_plan_the_company_can_pay_is_kept()
    {
        var plan = new SpendPlan(Payroll: 100, Compute: 50, Marketing: 30);

        Assert.Equal((plan, 0.0), plan.FitTo(available: 180, poolPayroll: 100));
    }

    [Fact]
    public void Marketing_is_cut_first()
    {
        var (fitted, layoff) = new SpendPlan(100, 50, 30).FitTo(available: 160, poolPayroll: 100);

        Assert.Equal(new SpendPlan(100, 50, 10), fitted);
        Assert.Equal(0, layoff);
    }

    [Fact]
    public void Compute_is_cut_once_marketing_is_gone()
    {
        var (fitted, layoff) = new SpendPlan(100, 50, 30).FitTo(available: 120, poolPayroll: 100);

        Assert.Equal(new SpendPlan(100, 20, 0), fitted);
        Assert.Equal(0, layoff);
    }

    [Fact]
    public void Pool_staff_are_laid_off_when_cash_cannot_pay_the_payroll_but_stars_keep_their_contracts()
    {
        // Payroll 100 of which 80 pools and 20 stars; only 60 available: pools get 40 (half laid off).
        var (fitted, layoff) = new SpendPlan(100, 50, 30).FitTo(available: 60, poolPayroll: 80);

        Assert.Equal(new SpendPlan(60, 0, 0), fitted);
        Assert.Equal(0.5, layoff, 12);
    }

    [Fact]
    public void Cash_never_goes_negative_and_an_award_beyond_cash_is_paid_only_as_far_as_cash_goes()
    {
        var scenario = TestScenarios.Rivals() with { Legal = new LegalInfo { DamagesProbability = 1, SettlementProbability = 0, DismissedProbability = 0 } };
        var context = new ScenarioContext(scenario, 1);
        var talent = TalentRules.Create(context);
        talent.Researchers[0].BoundSalaryUsd = 1_000_000; // damages of 12 months: USD 12M, far beyond a's cash
        talent.Arbitrations.Add(new Simulation.Model.State.ArbitrationState { Person = "r0", Claimant = "b", Respondent = "a", FiledTick = 0, ResolvesOnDay = scenario.Start.DayNumber });
        var tick = context.Calendar[0];
        var states = scenario.Companies.Select(c => CompanyRules.Create(context, c)).ToArray();
        states[0].CashUsd = 1_000;
        var view = TalentRules.View(context, talent, 0);
        var decisions = scenario.Companies.Select((c, i) => CompanyRules.Decide(context, c, states[i], tick, view)).ToArray();

        var outcome = TalentRules.Resolve(context, talent, tick, decisions);
        var snapshots = scenario.Companies.Select((c, i) =>
        {
            CompanyRules.Produce(context, c, states[i], tick, decisions[i], outcome.Companies[i]);
            return CompanyRules.Settle(context, c, states[i], tick, decisions[i], outcome.Companies[i], []);
        }).ToArray();

        var paid = outcome.Companies[0].TransfersOutUsd;
        Assert.InRange(paid, 0, 1_000);
        Assert.Equal(paid, outcome.Companies[1].TransfersInUsd);
        Assert.Equal(paid, Assert.Single(outcome.Events, e => e.Kind == "arbitration-damages").AmountUsd);
        Assert.Equal(0, snapshots[0].CashUsd);
        Assert.Equal(12_000_000 - paid + decisions[0].UnpaidUsd, snapshots[0].UnpaidUsd, 6); // the award, and stars' pay cash could not cover
        Assert.True(decisions[0].PayrollUsd + decisions[0].ComputeUsd + decisions[0].MarketingUsd + paid <= 1_000 + 1e-9);
    }

    [Fact]
    public void A_company_with_no_cash_and_no_revenue_lets_everyone_go_and_spends_nothing()
    {
        var scenario = TestScenarios.Rivals();
        scenario = scenario with { Companies = [scenario.Companies[0] with { CashUsd = 0, Revenue = [], Workforce = [500] }, .. scenario.Companies.Skip(1)] };
        var runner = new ReferenceRunner(scenario, 1);

        var first = runner.Advance(2);

        var broke = first.Select(r => r.Companies[0]).ToArray();
        Assert.All(broke, s => Assert.Equal(0, s.CashUsd));
        Assert.All(broke, s => Assert.Equal(0, s.SpendUsd));
        Assert.Equal(0, broke[^1].Headcount);
        Assert.Equal(3, first[0].Events.Count(e => e.Kind == "released" && e.From == scenario.Companies[0].Id));
    }

    [Fact]
    public void A_company_short_of_cash_lays_off_pool_staff_in_the_next_produce_phase()
    {
        var scenario = TestScenarios.SingleApp() with
        {
            Companies = [TestScenarios.SingleApp().Companies[0] with { CashUsd = 0, Workforce = [1000] }],
        };
        var context = new ScenarioContext(scenario, 1);
        var info = scenario.Companies[0];
        var state = CompanyRules.Create(context, info);
        var tick = context.Calendar[0];

        var decision = CompanyRules.Decide(context, info, state, tick, new Simulation.Model.Phases.MarketView { Tick = 0, Researchers = [] });

        Assert.Equal(1.0, decision.LayoffShare, 12);
        Assert.Equal(0, decision.MarketingUsd);
        Assert.All(decision.Openings, o => Assert.Equal(0, o));
    }
}

using Simulation.Model.Config;
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
    public void Cash_never_goes_negative_and_what_cannot_be_paid_is_recorded()
    {
        var scenario = TestScenarios.SingleApp();
        var context = new ScenarioContext(scenario, 1);
        var info = scenario.Companies[0];
        var state = CompanyRules.Create(context, info);
        state.CashUsd = 1_000;
        var tick = context.Calendar[0];
        var decision = CompanyRules.Decide(context, info, state, tick, new Simulation.Model.Phases.MarketView { Tick = 0, Researchers = [] });
        var talent = new CompanyTalent
        {
            Company = info.Id, Hires = [0], Leavers = [0], StarCount = 0, StarTalent = 0,
            StarPayrollMonthlyUsd = 0, CompensationUsd = 0, LegalUsd = 5_000_000,
        };

        var snapshot = CompanyRules.Settle(context, info, state, tick, decision, talent, []);

        Assert.Equal(0, snapshot.CashUsd);
        Assert.True(snapshot.UnpaidUsd > 4_000_000);
        Assert.True(decision.PayrollUsd + decision.ComputeUsd + decision.MarketingUsd <= 1_000 + 1e-9);
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

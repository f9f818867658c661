using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Scenarios;
using Simulation.Tests.Support;

namespace Simulation.Tests.Model;

/// <summary>
/// The accounting identities of MODEL-NOTES ("Invariants worth asserting every tick") for money, labour and
/// researchers, checked on every tick of the baseline and of every what-if, played by the reference runner.
/// </summary>
public sealed class TickInvariantTests
{
    private const double Relative = 1e-6;

    public static TheoryData<string> ScenarioFiles()
    {
        var files = new TheoryData<string>();
        foreach (var file in Repo.AllScenarios())
        {
            files.Add(Path.GetRelativePath(Repo.Scenarios, file));
        }
        return files;
    }

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void Every_tick_each_companys_cash_changes_by_its_revenue_funding_and_transfers_less_its_spending_and_transfers_balance(string file)
    {
        var info = Load(file);
        var runner = new ReferenceRunner(info, info.Seed);
        var cash = info.Companies.Select(c => c.CashUsd).ToArray();
        while (runner.NextTick < runner.TickCount)
        {
            var report = runner.Advance(1)[0];
            var (transfersIn, transfersOut) = (0.0, 0.0);
            for (var c = 0; c < info.Companies.Length; c++)
            {
                var s = report.Companies[c];
                var expected = cash[c] + s.RevenueUsd - s.SpendUsd + s.FundingUsd + s.TransfersInUsd - s.TransfersOutUsd;
                var scale = Math.Max(1, Math.Abs(cash[c]) + Math.Abs(s.RevenueUsd) + Math.Abs(s.SpendUsd) + s.FundingUsd + s.TransfersInUsd + s.TransfersOutUsd);
                Assert.True(Math.Abs(s.CashUsd - expected) <= Relative * scale,
                    $"{file} tick {report.Tick} {s.Company}: cash {s.CashUsd} but {cash[c]} + {s.RevenueUsd} - {s.SpendUsd} + {s.FundingUsd} + {s.TransfersInUsd} - {s.TransfersOutUsd} = {expected}");
                Assert.True(s.CashUsd >= 0 && double.IsFinite(s.CashUsd), $"{file} tick {report.Tick} {s.Company}: cash {s.CashUsd}");
                Assert.Equal(s.OtherRevenueUsd + s.UserRevenueUsd, s.RevenueUsd, 6);
                Assert.Equal(s.PayrollUsd + s.ComputeUsd + s.MarketingUsd + s.CompensationUsd, s.SpendUsd, 6);
                Assert.True(s.PayrollUsd >= 0 && s.ComputeUsd >= 0 && s.MarketingUsd >= 0 && s.CompensationUsd >= 0 && s.UserRevenueUsd >= 0);
                transfersIn += s.TransfersInUsd;
                transfersOut += s.TransfersOutUsd;
                cash[c] = s.CashUsd;
            }
            Assert.True(Math.Abs(transfersIn - transfersOut) <= 1e-9 * Math.Max(1, transfersOut), $"{file} tick {report.Tick}: transfers in {transfersIn}, out {transfersOut}");
        }
    }

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void Every_tick_each_regions_job_seekers_and_staff_change_only_by_supply_exits_and_migration_and_no_firm_hires_beyond_its_openings(string file)
    {
        var info = Load(file);
        var runner = new ReferenceRunner(info, info.Seed);
        var context = new ScenarioContext(info, info.Seed);
        var tiers = info.Talent.Tiers.Length;
        var unemployed = context.Regions.Select(r => Enumerable.Range(0, tiers).Select(t => t < r.Unemployed.Length ? r.Unemployed[t] : 0).ToArray()).ToArray();
        var workforce = info.Companies.Select(c => c.Workforce.ToArray()).ToArray();
        while (runner.NextTick < runner.TickCount)
        {
            var report = runner.Advance(1)[0];
            var decisions = runner.LastDecisions;
            var talent = runner.LastTalent!;
            Assert.Equal(context.Regions.Length, report.Labour.Length);
            var (migratedOut, migratedIn) = (0.0, 0.0);
            for (var r = 0; r < context.Regions.Length; r++)
            {
                var region = report.Labour[r];
                Assert.Equal(context.Regions[r].Id, region.Region);
                for (var t = 0; t < tiers; t++)
                {
                    var f = region.Tiers[t];
                    var at = $"{file} tick {report.Tick} {region.Region}/{f.Tier}";
                    var members = Enumerable.Range(0, info.Companies.Length).Where(c => context.CompanyRegions[c] == r).ToArray();
                    var employedBefore = members.Sum(c => workforce[c][t]);
                    var employedAfter = members.Sum(c => report.Companies[c].Workforce[t]);
                    Assert.Equal(unemployed[r][t], f.UnemployedStart);
                    var before = f.UnemployedStart + employedBefore;
                    var expected = before + f.Supply - f.Exits - f.MigrationOut + f.MigrationIn;
                    var after = f.UnemployedEnd + employedAfter;
                    Assert.True(Math.Abs(after - expected) <= 1e-9 * Math.Max(1, before + f.Supply + f.MigrationIn), $"{at}: {after} people, expected {expected}");
                    var available = f.UnemployedStart + f.Supply + f.Separations;
                    Assert.True(f.Matches <= Math.Min(available, f.Openings) * (1 + 1e-12), $"{at}: matches {f.Matches} beyond min(U {available}, V {f.Openings})");
                    Assert.True(f.Hires <= f.Matches * (1 + 1e-12) + 1e-12, $"{at}: hires {f.Hires} beyond matches {f.Matches}");
                    foreach (var c in members)
                    {
                        var hired = talent.Companies[c].Hires[t];
                        Assert.True(hired >= 0 && hired <= decisions[c].Openings[t] * (1 + 1e-12), $"{at}: {info.Companies[c].Id} hired {hired} for {decisions[c].Openings[t]} openings");
                    }
                    Assert.All(new[] { f.UnemployedStart, f.Supply, f.Separations, f.Openings, f.Hires, f.Exits, f.MigrationOut, f.MigrationIn, f.UnemployedEnd, employedAfter },
                        v => Assert.True(v >= 0 && double.IsFinite(v), $"{at}: a stock or flow is {v}"));
                    migratedOut += f.MigrationOut;
                    migratedIn += f.MigrationIn;
                    unemployed[r][t] = f.UnemployedEnd;
                }
            }
            Assert.True(Math.Abs(migratedOut - migratedIn) <= 1e-9 * Math.Max(1, migratedOut), $"{file} tick {report.Tick}: {migratedOut} left regions, {migratedIn} arrived");
            workforce = [.. report.Companies.Select(s => s.Workforce.ToArray())];
        }
    }

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void Every_tick_each_researcher_has_at_most_one_employer_lifts_no_rival_before_the_non_compete_ends_and_the_stars_make_their_company_s_lift(string file)
    {
        var info = Load(file);
        var runner = new ReferenceRunner(info, info.Seed);
        var companies = info.Companies.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var context = new ScenarioContext(info, info.Seed);
        while (runner.NextTick < runner.TickCount)
        {
            var tick = context.Calendar[runner.NextTick];
            var report = runner.Advance(1)[0];
            var talent = runner.LastTalent!;
            var people = runner.Talent.Researchers;
            Assert.Equal(info.Talent.Researchers.Length, people.Length);
            Assert.All(people, p => Assert.True(p.Employer is null || companies.Contains(p.Employer), $"{p.Id} works for unknown '{p.Employer}'"));
            var contributions = TalentRules.StarContributions(context, runner.Talent, tick);
            var credited = contributions.SelectMany((stars, c) => stars.Select(s => (Company: info.Companies[c].Id, s))).ToList();
            for (var c = 0; c < info.Companies.Length; c++)
            {
                // The contributions are the terms of the tick's lift, 1 + mu (1 - prod(1 - lift)), in researcher order: to the bit.
                var missing = contributions[c].Aggregate(1.0, (m, s) => m * (1 - s.Lift));
                Assert.Equal(1 + info.Talent.StarUplift * (1 - missing), talent.Companies[c].StarLift);
                Assert.Equal(contributions[c].Count, talent.Companies[c].StarCount);
            }
            Assert.Equal(credited.Count, credited.Select(x => x.s.Person).Distinct().Count());
            Assert.Equal(people.Count(p => p.Employer is not null && p.InAi), talent.Companies.Sum(c => c.StarCount));
            foreach (var (company, star) in credited)
            {
                var person = people.Single(p => p.Id == star.Person);
                Assert.Equal(company, person.Employer);
                Assert.InRange(star.Lift, 0, 1);
                if (person.BoundTo is not null && person.BoundTo != company && tick.Start.DayNumber < person.BoundUntilDay)
                {
                    Assert.True(star.Lift == 0, $"{file} tick {report.Tick}: {star.Person} lifts {company} by {star.Lift} while bound to {person.BoundTo}");
                }
            }
            for (var c = 0; c < info.Companies.Length; c++)
            {
                Assert.InRange(report.Companies[c].StarLift, 1, 1 + info.Talent.StarUplift);
            }
        }
    }

    [Fact]
    public void A_star_who_joins_a_rival_while_bound_lifts_it_only_after_the_non_compete_ends()
    {
        var info = Load("baseline.yaml");
        var runner = new ReferenceRunner(info, info.Seed);
        var context = new ScenarioContext(info, info.Seed);
        var joined = context.Calendar.IndexOf(new DateOnly(2024, 8, 1));
        var lifts = new List<(int Tick, double Lift)>();
        while (runner.NextTick < runner.TickCount)
        {
            runner.Advance(1);
            var star = TalentRules.StarContributions(context, runner.Talent, context.Calendar[runner.NextTick - 1]).SelectMany(s => s).SingleOrDefault(s => s.Person == "zhou-chang");
            lifts.Add((runner.NextTick - 1, star?.Lift ?? double.NaN));
        }
        var ends = new DateOnly(2024, 7, 31).AddDays((int)Math.Round(info.Company("alibaba").Policy.NonCompeteMonths * Simulation.Model.Time.Calendar.DaysPerMonth));
        var endTick = context.Calendar.IndexOf(ends);

        Assert.All(lifts.Where(x => x.Tick >= joined && x.Tick < endTick), x => Assert.Equal(0, x.Lift));
        // Afterwards the know-how arrives (ramping up; an arbitration award may delay it further).
        Assert.Contains(lifts, x => x.Tick >= endTick && x.Lift > 0);
    }

    [Fact]
    public void Starving_openai_of_money_leaves_chinas_job_market_and_every_chinese_companys_staff_byte_identical()
    {
        var baseline = Load("baseline.yaml");
        var starved = ScenarioLoader.Load(Repo.Baseline, ["companies.openai.policy.aiBudgetFloorUsd=0", "companies.openai.cashUsd=0"]).Info;
        var before = new ReferenceRunner(baseline, baseline.Seed).RunToEnd();
        var after = new ReferenceRunner(starved, starved.Seed).RunToEnd();
        var openai = baseline.Companies.IndexOf(baseline.Company("openai"));

        Assert.NotEqual(before[^1].Companies[openai].Headcount, after[^1].Companies[openai].Headcount);
        Assert.NotEqual(Global(before[^1]).Tiers[0].UnemployedEnd, Global(after[^1]).Tiers[0].UnemployedEnd);
        for (var t = 0; t < before.Count; t++)
        {
            var (x, y) = (China(before[t]), China(after[t]));
            Assert.Equal(x.Tiers.Length, y.Tiers.Length);
            for (var k = 0; k < x.Tiers.Length; k++)
            {
                Assert.Equal(Bits(x.Tiers[k]), Bits(y.Tiers[k]));
            }
            for (var c = 0; c < baseline.Companies.Length; c++)
            {
                if (baseline.Companies[c].Region == "global")
                {
                    continue;
                }
                Assert.Equal(BitConverter.DoubleToInt64Bits(before[t].Companies[c].Headcount), BitConverter.DoubleToInt64Bits(after[t].Companies[c].Headcount));
                Assert.Equal(before[t].Companies[c].Workforce.Select(BitConverter.DoubleToInt64Bits), after[t].Companies[c].Workforce.Select(BitConverter.DoubleToInt64Bits));
            }
        }
    }

    private static RegionLabour China(TickReport report) => report.Labour.Single(r => r.Region == "china");

    private static RegionLabour Global(TickReport report) => report.Labour.Single(r => r.Region == "global");

    private static long[] Bits(TierLabour f) =>
    [
        .. new[] { f.UnemployedStart, f.Supply, f.Separations, f.Openings, f.Matches, f.Hires, f.Exits, f.MigrationOut, f.MigrationIn, f.UnemployedEnd }
            .Select(BitConverter.DoubleToInt64Bits),
    ];

    private static ScenarioInfo Load(string file) => ScenarioLoader.Load(Path.Combine(Repo.Scenarios, file)).Info;
}

using System.Collections.Immutable;
using Simulation.Contracts;
using Simulation.Grains.State;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Rules;

namespace Simulation.Grains;

public sealed class CompanyGrain(
    [PersistentState("company", StorageNames.Simulation)] IPersistentState<CompanyGrainState> store) : Grain, ICompanyGrain
{
    private ScenarioContext? _context;

    private CompanyGrainState S => store.State;

    private ScenarioContext Context => _context ?? throw RunSetups.NotStarted(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _context = await RunSetups.LoadAsync(GrainFactory, this.GetPrimaryKeyString());

    private CompanyInfo Info => Context.Company(S.Company!.Id);

    async Task ICompanyGrain.Initialize(string company)
    {
        _context ??= await RunSetups.LoadAsync(GrainFactory, this.GetPrimaryKeyString());
        S.Company ??= CompanyRules.Create(Context, Context.Company(company));
    }

    Task<CompanyDecision> ICompanyGrain.Decide(int tick, MarketView view)
    {
        if (!PhaseOrder.AlreadyDone("decide", S.DecidedTick, tick))
        {
            var t = Context.Calendar[tick];
            CompanyRules.ApplyEvents(Context, Info, S.Company!, t);
            S.Decision = CompanyRules.Decide(Context, Info, S.Company!, t, view);
            S.DecidedTick = tick;
        }
        return Task.FromResult(S.Decision!);
    }

    Task<ImmutableArray<AppSupply>> ICompanyGrain.Produce(int tick, CompanyTalent talent)
    {
        if (!PhaseOrder.AlreadyDone("produce", S.ProducedTick, tick))
        {
            S.Supplies = CompanyRules.Produce(Context, Info, S.Company!, Context.Calendar[tick], S.Decision!, talent);
            S.ProducedTick = tick;
        }
        return Task.FromResult(S.Supplies);
    }

    Task<CompanySnapshot> ICompanyGrain.Settle(int tick, CompanyTalent talent, ImmutableArray<AppOutcome> apps)
    {
        if (!PhaseOrder.AlreadyDone("settle", S.SettledTick, tick))
        {
            S.Snapshot = CompanyRules.Settle(Context, Info, S.Company!, Context.Calendar[tick], S.Decision!, talent, apps);
            S.SettledTick = tick;
        }
        return Task.FromResult(S.Snapshot!);
    }

    Task ICompanyGrain.Checkpoint() => store.WriteStateAsync();
}

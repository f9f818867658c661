using System.Collections.Immutable;
using Simulation.Contracts;
using Simulation.Grains.State;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Rules;

namespace Simulation.Grains;

public sealed class TalentMarketGrain(
    [PersistentState("talent", StorageNames.Simulation)] IPersistentState<TalentGrainState> store) : Grain, ITalentMarketGrain
{
    private ScenarioContext? _context;

    private TalentGrainState S => store.State;

    private ScenarioContext Context => _context ?? throw RunSetups.NotStarted(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _context = await RunSetups.LoadAsync(GrainFactory, this.GetPrimaryKeyString());

    async Task ITalentMarketGrain.Initialize()
    {
        _context ??= await RunSetups.LoadAsync(GrainFactory, this.GetPrimaryKeyString());
        S.Talent ??= TalentRules.Create(Context);
    }

    Task<MarketView> ITalentMarketGrain.View() => Task.FromResult(TalentRules.View(Context, S.Talent!, S.ResolvedTick + 1));

    Task<TalentOutcome> ITalentMarketGrain.Resolve(int tick, ImmutableArray<CompanyDecision> decisions)
    {
        if (!PhaseOrder.AlreadyDone("resolve", S.ResolvedTick, tick))
        {
            // The last outcome's next view is the roster the companies decided on this tick.
            S.Outcome = TalentRules.Resolve(Context, S.Talent!, Context.Calendar[tick], decisions, S.Outcome?.NextView);
            S.ResolvedTick = tick;
        }
        return Task.FromResult(S.Outcome!);
    }

    Task ITalentMarketGrain.Checkpoint() => store.WriteStateAsync();
}

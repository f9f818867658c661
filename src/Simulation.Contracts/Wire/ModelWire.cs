using System.Runtime.CompilerServices;
using Orleans.Serialization.Cloning;
using Simulation.Model.Config;
using Simulation.Model.Metrics;
using Simulation.Model.Phases;
using Simulation.Model.State;

namespace Simulation.Contracts.Wire;

/// <summary>
/// Converts a model type to and from its <see cref="ModelPayload"/>: the Orleans surrogate of every model
/// type that crosses a grain call or sits in grain state (types nested in them travel inside their JSON).
/// </summary>
public abstract class ModelWire<T> : IConverter<T, ModelPayload> where T : class
{
    public virtual ModelPayload ConvertToSurrogate(in T value) => new(ModelJson.Serialize(value));

    public T ConvertFromSurrogate(in ModelPayload surrogate) => ModelJson.Deserialize<T>(surrogate.Utf8Json);
}

/// <summary>
/// A <see cref="ModelWire{T}"/> for an immutable record, which is also its copier: a call inside the
/// silo hands the same instance over, as <c>[Immutable]</c> does, and only a real hop serializes it.
/// </summary>
public abstract class ImmutableModelWire<T> : ModelWire<T>, IDeepCopier<T>, IOptionalDeepCopier where T : class
{
    public T? DeepCopy(T? input, CopyContext context) => input;

    public bool IsShallowCopyable() => true;
}

/// <summary>
/// The configuration as one opaque payload, whatever fields it gains. Serialized once per scenario
/// instance (a replicate batch sends one instance many times), decoded once per received payload.
/// </summary>
[RegisterConverter, RegisterCopier]
public sealed class ScenarioInfoWire : ImmutableModelWire<ScenarioInfo>
{
    private static readonly ConditionalWeakTable<ScenarioInfo, byte[]> Encoded = [];

    public override ModelPayload ConvertToSurrogate(in ScenarioInfo value) =>
        new(Encoded.GetValue(value, ModelJson.Serialize));
}

// Phase messages and results: immutable records.
[RegisterConverter, RegisterCopier] public sealed class CompanyDecisionWire : ImmutableModelWire<CompanyDecision>;
/// <summary>
/// A roster: the scheduler shares it through <see cref="RosterChanges"/> (<c>IRunGrain.View</c>), so a whole one crosses a
/// call only when a caller hands one to <c>ICompanyGrain.Begin</c>.
/// </summary>
[RegisterConverter, RegisterCopier] public sealed class MarketViewWire : ImmutableModelWire<MarketView>;
/// <summary>
/// A roster's changes, encoded once per instance (every silo holding the tick before is sent the same changes). The
/// view they make stays behind (<see cref="RosterChanges.Made"/> is not serialized): only a call inside the silo hands it over.
/// </summary>
[RegisterConverter, RegisterCopier]
public sealed class RosterChangesWire : ImmutableModelWire<RosterChanges>
{
    private static readonly ConditionalWeakTable<RosterChanges, byte[]> Encoded = [];

    public override ModelPayload ConvertToSurrogate(in RosterChanges value) =>
        new(Encoded.GetValue(value, ModelJson.Serialize));
}
[RegisterConverter, RegisterCopier] public sealed class TalentOutcomeWire : ImmutableModelWire<TalentOutcome>;
[RegisterConverter, RegisterCopier] public sealed class CompanyTalentWire : ImmutableModelWire<CompanyTalent>;
[RegisterConverter, RegisterCopier] public sealed class AppSupplyWire : ImmutableModelWire<AppSupply>;
[RegisterConverter, RegisterCopier] public sealed class MarketOutcomeWire : ImmutableModelWire<MarketOutcome>;
[RegisterConverter, RegisterCopier] public sealed class AppOutcomeWire : ImmutableModelWire<AppOutcome>;
[RegisterConverter, RegisterCopier] public sealed class CompanySnapshotWire : ImmutableModelWire<CompanySnapshot>;
/// <summary>
/// A tick's report, encoded once per instance: the run grain keeps the reports its caller has not received in its
/// state, which is written every tick, so each report would otherwise be encoded again at every write of its slice.
/// </summary>
[RegisterConverter, RegisterCopier]
public sealed class TickReportWire : ImmutableModelWire<TickReport>
{
    private static readonly ConditionalWeakTable<TickReport, byte[]> Encoded = [];

    public override ModelPayload ConvertToSurrogate(in TickReport value) =>
        new(Encoded.GetValue(value, ModelJson.Serialize));
}
[RegisterConverter, RegisterCopier] public sealed class ReplicateResultWire : ImmutableModelWire<ReplicateResult>;

// Grain state: mutable classes, so Orleans' deep copy goes through the payload too.
[RegisterConverter] public sealed class CompanyStateWire : ModelWire<CompanyState>;
[RegisterConverter] public sealed class MarketStateWire : ModelWire<MarketState>;

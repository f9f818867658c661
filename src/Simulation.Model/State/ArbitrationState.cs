namespace Simulation.Model.State;

[GenerateSerializer]
public sealed class ArbitrationState
{
    [Id(0)] public required string Person { get; init; }
    [Id(1)] public required string Claimant { get; init; }
    /// <summary>The employer the person joined (pays damages or a settlement); null if none.</summary>
    [Id(2)] public string? Respondent { get; init; }
    [Id(3)] public required int FiledTick { get; init; }
    [Id(4)] public required int ResolvesOnDay { get; init; }
    [Id(5)] public bool Resolved { get; set; }
}

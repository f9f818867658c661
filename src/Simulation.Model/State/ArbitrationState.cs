namespace Simulation.Model.State;

public sealed class ArbitrationState
{
    public required string Person { get; init; }
    public required string Claimant { get; init; }
    /// <summary>The employer the person joined (pays damages or a settlement); null if none.</summary>
    public string? Respondent { get; init; }
    public required int FiledTick { get; init; }
    public required int ResolvesOnDay { get; init; }
    public bool Resolved { get; set; }
}

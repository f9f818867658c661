namespace Simulation.Model.Config;

/// <summary>How an observed figure scatters about the simulated one.</summary>
public enum ErrorModel
{
    /// <summary>ln(observed) ~ N(ln(simulated), sigma^2): a relative error, for counts of users.</summary>
    LogNormal,
    /// <summary>observed ~ N(simulated, sigma^2): an absolute error, for shares and rates.</summary>
    Normal,
}

/// <summary>
/// An observation series: the figures one source reports with one method, and the error model they share.
/// Targets join a series (<c>series:</c>) to enter the calibration's likelihood; a target in no series is checked, never fitted.
/// </summary>
public sealed record SeriesInfo
{
    [Param("The series' id; a target names it in series:")]
    public required string Id { get; init; }

    [Param("How an observed figure scatters about the simulated one: logNormal (ln observed ~ N(ln simulated, sigma^2)) or normal (observed ~ N(simulated, sigma^2))")]
    public ErrorModel Model { get; init; } = ErrorModel.LogNormal;

    [Param("The error's scale sigma: of ln(observed) for logNormal, of the figure itself for normal; stated from the source's precision, or fitted", Min = 0, MinExclusive = true)]
    public required double Sigma { get; init; }
}

namespace Simulation.Model.Config;

public enum TargetKind
{
    /// <summary>A market's de-duplicated actives (its reporting window) in a month.</summary>
    MarketActives,
    /// <summary>A market's de-duplicated actives in a month over those in a base month.</summary>
    MarketGrowth,
    /// <summary>An app's monthly actives in a month.</summary>
    AppActives,
    /// <summary>An app's weekly actives in a month's last week, at least a value.</summary>
    AppWeeklyAtLeast,
    /// <summary>An app's weekly actives in a month's last week.</summary>
    AppWeekly,
    /// <summary>An app ranks first by monthly actives in its market in a month.</summary>
    AppFirst,
    /// <summary>An app has more monthly actives than another in a month.</summary>
    AppAbove,
    /// <summary>An app's measured 30-day retention in a month (its latest cohort followed 30 days).</summary>
    Retention,
    /// <summary>An app's measured 30-day retention in a month exceeds another's.</summary>
    RetentionAbove,
    /// <summary>A person is employed by a company at the end of a month.</summary>
    EmployedBy,
    /// <summary>A company has filed for arbitration against a person by the end of a month.</summary>
    FiledAgainst,
}

/// <summary>How a target's figure comes about in the model, printed beside it so a met target is read for what it is.</summary>
public enum TargetLabel
{
    /// <summary>In the fitting window: the calibration chose parameters to meet it.</summary>
    Fitted,
    /// <summary>A parameter is set from the same figure, so the model meets it nearly by construction.</summary>
    Input,
    /// <summary>A scripted event makes it happen.</summary>
    Scripted,
    /// <summary>Out of the fit and not scripted: the model's own result.</summary>
    Emergent,
}

/// <summary>A figure the scenario must reproduce (checked after every run).</summary>
public sealed record TargetInfo
{
    private const string MarketActives = "marketActives", MarketGrowth = "marketGrowth", AppActives = "appActives",
        AppWeeklyAtLeast = "appWeeklyAtLeast", AppWeekly = "appWeekly", AppFirst = "appFirst", AppAbove = "appAbove", Retention = "retention",
        RetentionAbove = "retentionAbove", EmployedBy = "employedBy", FiledAgainst = "filedAgainst";

    [Param("The target's id")]
    public required string Id { get; init; }
    [Param("What is compared")]
    public required TargetKind Kind { get; init; }
    [Param("The market", References = "markets", Kinds = [MarketActives, MarketGrowth], RequiredFor = [MarketActives, MarketGrowth])]
    public string? Market { get; init; }
    [Param("The app", References = "apps", Kinds = [AppActives, AppWeeklyAtLeast, AppWeekly, AppFirst, AppAbove, Retention, RetentionAbove], RequiredFor = [AppActives, AppWeeklyAtLeast, AppWeekly, AppFirst, AppAbove, Retention, RetentionAbove])]
    public string? App { get; init; }
    [Param("The app it is compared with", References = "apps", Kinds = [AppAbove, RetentionAbove], RequiredFor = [AppAbove, RetentionAbove])]
    public string? Other { get; init; }
    [Param("The researcher", References = "researchers", Kinds = [EmployedBy, FiledAgainst], RequiredFor = [EmployedBy, FiledAgainst])]
    public string? Person { get; init; }
    [Param("The company", References = "companies", Kinds = [EmployedBy, FiledAgainst], RequiredFor = [EmployedBy, FiledAgainst])]
    public string? Company { get; init; }
    [Param("The month compared (yyyy-MM)")]
    public required DateOnly Month { get; init; }
    [Param("The month it grows from", Kinds = [MarketGrowth], RequiredFor = [MarketGrowth])]
    public DateOnly? BaseMonth { get; init; }
    [Param("The figure to reproduce", Use = ParamUse.Override, Kinds = [MarketActives, MarketGrowth, AppActives, AppWeeklyAtLeast, AppWeekly, Retention], RequiredFor = [MarketActives, MarketGrowth, AppActives, AppWeeklyAtLeast, AppWeekly, Retention])]
    public double? Value { get; init; }
    [Param("Allowed error: a fraction of the value when relative, else absolute", Min = 0, Use = ParamUse.Override, Kinds = [MarketActives, MarketGrowth, AppActives, AppWeekly, Retention])]
    public double Tolerance { get; init; }
    [Param("Whether the tolerance is relative")]
    public bool Relative { get; init; }
    /// <summary>Null: the target is checked after every run but never enters the calibration's likelihood.</summary>
    [Param("The observation series whose error model the target's figure shares; a target in a series and in the fitting window enters the likelihood", References = "series")]
    public string? Series { get; init; }
    [Param("Where the figure comes from: seeds/<file>:<line>")]
    public string? Source { get; init; }

    /// <summary>Null: derived (scripted for moves and filings of scripted people, fitted inside the fitting window, else emergent).</summary>
    [Param("How the figure comes about: input (a parameter is set from it) or, to override the derivation, fitted, scripted or emergent")]
    public TargetLabel? Label { get; init; }
}

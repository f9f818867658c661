namespace Simulation.Model.Config;

/// <summary>What a declared scenario field may be used for, besides being read from a scenario file.</summary>
[Flags]
public enum ParamUse
{
    None = 0,
    /// <summary>A what-if's <c>set:</c> or <c>--set PATH=VALUE</c> may replace it.</summary>
    Override = 1,
    /// <summary>Offered to <c>sim sweep</c> and <c>sim sensitivity</c> (a number that changes what a run does).</summary>
    Sweep = 2,
    /// <summary>May carry <c>fit: {min, max}</c> and be fitted by <c>sim calibrate</c>.</summary>
    Fit = 4,
    /// <summary>A decision a company takes: a <c>policy</c> event may change it while a run plays, and a workshop team may set it each round.</summary>
    Decision = 8,
}

/// <summary>
/// The one declaration of a scenario field: its meaning, unit, range and uses. Its default is the property's
/// initializer (a <c>required</c> property has none), its YAML key is the property's name in camelCase unless
/// <see cref="Key"/> says otherwise, and its type is the property's. Everything else (binding and validation,
/// overrides, the parameter lists of sweep, sensitivity and calibrate, the JSON Schema, README's reference table)
/// reads it from here.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ParamAttribute(string meaning) : Attribute
{
    /// <summary>One line: what the field means.</summary>
    public string Meaning { get; } = meaning;

    /// <summary>The unit of a number (e.g. <c>USD</c>, <c>USD/month</c>, <c>share</c>, <c>months</c>, <c>people</c>); empty for none.</summary>
    public string Unit { get; init; } = "";

    /// <summary>The least valid value of a number (inclusive unless <see cref="MinExclusive"/>).</summary>
    public double Min { get; init; } = double.NegativeInfinity;

    /// <summary>The greatest valid value of a number (inclusive).</summary>
    public double Max { get; init; } = double.PositiveInfinity;

    /// <summary>True if <see cref="Min"/> itself is not valid (a number that must be positive).</summary>
    public bool MinExclusive { get; init; }

    /// <summary>The most characters a text or id may have (0: no limit).</summary>
    public int MaxLength { get; init; }

    /// <summary>The YAML key when it is not the property's name in camelCase; a dotted key nests (<c>outcomes.damages</c>).</summary>
    public string? Key { get; init; }

    /// <summary>What the field may be used for. Numbers default to override, sweep and fit; other fields to override.</summary>
    public ParamUse Use { get; init; } = ParamUse.Override | ParamUse.Sweep | ParamUse.Fit;

    /// <summary>For an id or a reference: the list whose ids it names (<c>companies</c>, <c>markets</c>, <c>apps</c>, <c>researchers</c>, <c>tiers</c>).</summary>
    public string? References { get; init; }

    /// <summary>A reference may also be the word <c>none</c> (no company).</summary>
    public bool AllowsNone { get; init; }

    /// <summary>For a field of a record with a <c>kind</c> (events, targets): the kinds it applies to (empty: every kind).</summary>
    public string[] Kinds { get; init; } = [];

    /// <summary>For a field of a record with a <c>kind</c>: the kinds that require it (its default stands for the others).</summary>
    public string[] RequiredFor { get; init; } = [];
}

/// <summary>A property of a configuration record that is not read from a scenario file (derived when loading).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class DerivedAttribute(string how) : Attribute
{
    public string How { get; } = how;
}

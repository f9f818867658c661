using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Simulation.Model.Phases;

/// <summary>
/// The roster of one tick as the changes from an earlier tick's: the entries that differ (a tick changes a few
/// researchers of many) and the deterred companies. A holder of the earlier roster makes the later one with
/// <see cref="ApplyTo"/>, equal to it entry for entry; with no earlier roster (<see cref="Since"/> -1) the entries are the
/// whole roster.
/// </summary>
public sealed record RosterChanges
{
    /// <summary>The tick of the roster these changes make.</summary>
    public required int Tick { get; init; }

    /// <summary>The tick of the roster they apply to; -1 when <see cref="Entries"/> is the whole roster.</summary>
    public required int Since { get; init; }

    /// <summary>Researchers in the roster they make (the roster they apply to has as many).</summary>
    public required int Length { get; init; }

    /// <summary>Where each entry of <see cref="Entries"/> goes, ascending (empty when they are the whole roster).</summary>
    public ImmutableArray<int> Indices { get; init; } = [];

    public ImmutableArray<PublicResearcher> Entries { get; init; } = [];

    public ImmutableArray<string> Deterred { get; init; } = [];

    /// <summary>
    /// The view these changes make, when whoever made them holds it: not part of the changes' value (never serialized), so
    /// a holder in the same process uses it as it is, and a copy that crossed a process boundary applies the changes.
    /// </summary>
    [JsonIgnore]
    public MarketView? Made { get; init; }

    /// <summary>
    /// What changed from <paramref name="since"/> to <paramref name="view"/> (entries compared by reference, then by value);
    /// with no <paramref name="since"/>, or one of another length, the whole of <paramref name="view"/>.
    /// </summary>
    public static RosterChanges Between(MarketView? since, MarketView view)
    {
        var to = view.Researchers;
        if (since is null || since.Researchers.Length != to.Length)
        {
            return new RosterChanges { Tick = view.Tick, Since = -1, Length = to.Length, Entries = to, Deterred = view.Deterred, Made = view };
        }
        var from = since.Researchers;
        var indices = ImmutableArray.CreateBuilder<int>();
        var entries = ImmutableArray.CreateBuilder<PublicResearcher>();
        if (!to.Equals(from))
        {
            for (var i = 0; i < to.Length; i++)
            {
                if (!ReferenceEquals(to[i], from[i]) && to[i] != from[i])
                {
                    indices.Add(i);
                    entries.Add(to[i]);
                }
            }
        }
        return new RosterChanges
        {
            Tick = view.Tick,
            Since = since.Tick,
            Length = to.Length,
            Indices = indices.DrainToImmutable(),
            Entries = entries.DrainToImmutable(),
            Deterred = view.Deterred,
            Made = view,
        };
    }

    /// <summary>
    /// The view of <see cref="Tick"/>: <see cref="Made"/> when it is here, else the changes applied to
    /// <paramref name="since"/> (which must be the roster of <see cref="Since"/>; any roster when the changes are whole).
    /// </summary>
    public MarketView ApplyTo(MarketView? since)
    {
        if (Made is { } made)
        {
            return made;
        }
        if (Since < 0)
        {
            return new MarketView { Tick = Tick, Researchers = Entries, Deterred = Deterred };
        }
        if (since is null || since.Tick != Since || since.Researchers.Length != Length || Indices.Length != Entries.Length)
        {
            throw new InvalidOperationException(
                $"the roster changes of tick {Tick} apply to tick {Since}'s roster of {Length} researchers, not to {(since is null ? "none" : $"tick {since.Tick}'s of {since.Researchers.Length}")}");
        }
        ImmutableArray<PublicResearcher> researchers;
        if (Indices.IsEmpty)
        {
            researchers = since.Researchers;
        }
        else
        {
            var roster = since.Researchers.ToArray();
            for (var k = 0; k < Indices.Length; k++)
            {
                roster[Indices[k]] = Entries[k];
            }
            researchers = ImmutableCollectionsMarshal.AsImmutableArray(roster);
        }
        return new MarketView { Tick = Tick, Researchers = researchers, Deterred = Deterred };
    }
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Simulation.Model.Config;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;

namespace Simulation.Workshop;

/// <summary>
/// A facilitator's event (a shock: a quality boost, a budget cut, a funding round, a launch, a move...), written as a
/// scenario file writes an event and judged by the scenario loader's own rules: the event is appended to the
/// scenario as a what-if's <c>addEvents</c> would append it, and the whole is loaded.
/// </summary>
public static class InjectedEvents
{
    /// <summary>The event kinds a facilitator may inject: every kind a scenario file accepts.</summary>
    public static ImmutableArray<string> Kinds { get; } = [.. Enum.GetValues<EventKind>().Select(ParamReflection.Word)];

    /// <summary>
    /// The event <paramref name="json"/> describes, dated in <paramref name="round"/> (its first day when the event
    /// gives no date). Throws a <see cref="WorkshopRefusal"/> with the loader's errors, each at <c>event.&lt;field&gt;</c>.
    /// </summary>
    public static EventInfo Validate(LoadedScenario scenario, JsonObject json, RoundPlan round)
    {
        var node = (JsonObject)json.DeepClone();
        if (!node.ContainsKey("date"))
        {
            node["date"] = round.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        var file = Path.GetFullPath(scenario.File);
        var dir = Path.GetDirectoryName(file) ?? ".";
        // YAML reads JSON as a flow mapping: the event is exactly what the page sent.
        var text = $"extends: {new JsonArray(JsonValue.Create(Path.GetFileName(file))).ToJsonString()[1..^1]}\naddEvents:\n  - {node.ToJsonString()}\n";
        LoadedScenario loaded;
        try
        {
            loaded = ScenarioLoader.Parse(text, Path.Combine(dir, "workshop-event.yaml"), seedsDirectory: scenario.SeedsDirectory);
        }
        catch (ScenarioException e)
        {
            throw WorkshopRefusal.Invalid(e.Errors.Select(Field));
        }
        var order = scenario.Info.Events.Length;
        var added = loaded.Info.Events.Single(e => e.Order == order);
        if (!round.Contains(added.Date))
        {
            throw WorkshopRefusal.Invalid("event.date",
                $"expected a date in round {round.Number} ({round.Start:yyyy-MM-dd} to {round.LastDay:yyyy-MM-dd}), got {added.Date:yyyy-MM-dd}");
        }
        return added;
    }

    /// <summary>A loader error as a field error: <c>events.20.multiplier</c> becomes <c>event.multiplier</c>.</summary>
    private static FieldError Field(ScenarioError error)
    {
        var parts = error.Path.Split('.');
        var field = parts.Length >= 2 && parts[0] == "events" ? string.Join('.', ["event", .. parts[2..]]) : "event";
        var message = error.Message;
        var hint = message.IndexOf(" (events.", StringComparison.Ordinal);
        return new FieldError(field, hint > 0 ? message[..hint] : message);
    }
}

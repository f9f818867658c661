using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Simulation.Contracts.Wire;

/// <summary>
/// The one System.Text.Json setting for model types on the wire. It needs no list of fields: every
/// settable property goes (computed get-only ones such as <c>ScenarioInfo.Apps</c> are left out), so a
/// parameter added to the configuration travels without a change here. Exact: doubles are written in
/// their shortest round-trip form and NaN and infinities as named literals.
/// </summary>
public static class ModelJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SettablePropertiesOnly } },
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(byte[] utf8Json) =>
        JsonSerializer.Deserialize<T>(utf8Json, Options) ?? throw new JsonException($"null {typeof(T).Name} payload");

    /// <summary>What a value becomes after crossing the wire (a test of exactness; the model never needs it).</summary>
    public static T RoundTrip<T>(T value) => Deserialize<T>(Serialize(value));

    private static void SettablePropertiesOnly(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            if (type.Properties[i].Set is null)
            {
                type.Properties.RemoveAt(i);
            }
        }
    }
}

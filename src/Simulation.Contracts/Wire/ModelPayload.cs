namespace Simulation.Contracts.Wire;

/// <summary>
/// The wire form of a model value: its <see cref="ModelJson"/> serialization, opaque to Orleans. The
/// model carries no Orleans attribute; <see cref="ModelWire"/> registers the converters to and from this.
/// </summary>
[GenerateSerializer, Immutable, Alias("sim.model-payload")]
public readonly struct ModelPayload(byte[] utf8Json)
{
    /// <summary>UTF-8 JSON; shared, never written to.</summary>
    [Id(0)] public readonly byte[] Utf8Json = utf8Json;
}

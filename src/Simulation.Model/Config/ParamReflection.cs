using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;

namespace Simulation.Model.Config;

/// <summary>The shape of a declared field's value in a scenario file.</summary>
public enum ParamKind
{
    /// <summary>A number, written plainly or with its provenance (<c>{value, source|fitted|assumption}</c>).</summary>
    Number,
    /// <summary>A whole number.</summary>
    Integer,
    Boolean,
    Text,
    /// <summary>An id: lower-case letters, digits and '-'.</summary>
    Id,
    /// <summary>The id of an item of another list (<see cref="ParamAttribute.References"/>).</summary>
    Reference,
    /// <summary>A date, <c>yyyy-MM-dd</c> or <c>yyyy-MM</c>.</summary>
    Date,
    /// <summary>One of a few words (an enum's members in camelCase).</summary>
    Choice,
    /// <summary>A mapping of declared fields (a nested record).</summary>
    Object,
    /// <summary>A list of mappings (records), each keyed by its <c>id</c> when it has one.</summary>
    List,
    /// <summary>A mapping from the ids of another list (<see cref="ParamAttribute.References"/>) to numbers.</summary>
    NumberMap,
}

/// <summary>One declared field of a configuration record, as read from its <see cref="ParamAttribute"/>.</summary>
public sealed record ParamDeclaration
{
    public required Type Owner { get; init; }
    public required PropertyInfo Property { get; init; }
    public required ParamAttribute Declared { get; init; }
    public required ParamKind Kind { get; init; }
    /// <summary>The YAML key (dotted when nested, e.g. <c>outcomes.damages</c>).</summary>
    public required string Key { get; init; }
    /// <summary>True if a scenario must give it (a <c>required</c> property); see also <see cref="ParamAttribute.RequiredFor"/>.</summary>
    public required bool Required { get; init; }
    /// <summary>The value when absent (the property's initializer), or null when there is none.</summary>
    public object? Default { get; init; }
    /// <summary>The words of a <see cref="ParamKind.Choice"/>.</summary>
    public ImmutableArray<string> Choices { get; init; } = [];
    /// <summary>The record type of an <see cref="ParamKind.Object"/> or the items of a <see cref="ParamKind.List"/>.</summary>
    public Type? ItemType { get; init; }

    public string Meaning => Declared.Meaning;
    public string Unit => Declared.Unit;
    /// <summary>The least valid value: the declared one, and never below minus the unit's ceiling.</summary>
    public double Min => Math.Max(Declared.Min, -UnitCeiling(Unit));

    /// <summary>The greatest valid value: the declared one, and never above the unit's ceiling.</summary>
    public double Max => Math.Min(Declared.Max, UnitCeiling(Unit));

    /// <summary>Money: far above any company's cash, far below where sums and products of a run overflow a double.</summary>
    public const double MaxUsd = 1e15;

    /// <summary>Counts of people: above the world's population.</summary>
    public const double MaxPeople = 1e11;

    /// <summary>
    /// What a run can represent in a unit, whatever a field declares: a declaration gives its own range, and
    /// a money or people field without a maximum still stops where the run's arithmetic would overflow.
    /// </summary>
    public static double UnitCeiling(string unit) =>
        unit.StartsWith("USD", StringComparison.Ordinal) ? MaxUsd
        : unit.StartsWith("people", StringComparison.Ordinal) ? MaxPeople
        : double.PositiveInfinity;

    /// <summary>What it may be used for; only numbers can be swept or fitted.</summary>
    public ParamUse Use => Kind is ParamKind.Number || (Kind is ParamKind.NumberMap && Declared.References != "decisions")
        ? Declared.Use
        : Declared.Use & (ParamUse.Override | ParamUse.Decision);

    /// <summary>True if a value is valid for the declared range.</summary>
    public bool InRange(double value) =>
        (Declared.MinExclusive ? value > Min : value >= Min) && value <= Max;

    public bool AppliesTo(string kind) => Declared.Kinds.Length == 0 || Declared.Kinds.Contains(kind, StringComparer.Ordinal);

    public bool RequiredFor(string kind) => Required || Declared.RequiredFor.Contains(kind, StringComparer.Ordinal);
}

/// <summary>
/// Reads the <see cref="ParamAttribute"/> declarations of the configuration records (once per type) and
/// changes a declared number of a record by its key. Plain reflection: the model knows no loader.
/// </summary>
public static class ParamReflection
{
    private static readonly ConcurrentDictionary<Type, ImmutableArray<ParamDeclaration>> Cache = new();

    /// <summary>The declared fields of <paramref name="record"/>, in declaration order.</summary>
    /// <exception cref="InvalidOperationException">A settable property carries neither <see cref="ParamAttribute"/> nor <see cref="DerivedAttribute"/>.</exception>
    public static ImmutableArray<ParamDeclaration> Of(Type record) => Cache.GetOrAdd(record, Declare);

    /// <summary>The declaration of the field with YAML key <paramref name="key"/>, or null.</summary>
    public static ParamDeclaration? Find(Type record, string key) =>
        Of(record).FirstOrDefault(d => d.Key == key);

    /// <summary>The enum member's word in a scenario file: its name in camelCase (<c>orgFounded</c>).</summary>
    public static string Word<TEnum>(TEnum value) where TEnum : struct, Enum => CamelCase(value.ToString());

    /// <summary>A copy of the record with the declared number <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public static T With<T>(T record, string key, double value) where T : class
    {
        var declaration = Find(typeof(T), key) is { Kind: ParamKind.Number } d
            ? d
            : throw new ArgumentException($"'{key}' is not a declared number of {typeof(T).Name}", nameof(key));
        var copy = (T)CloneMethod(typeof(T)).Invoke(record, null)!;
        declaration.Property.SetValue(copy, value);
        return copy;
    }

    /// <summary>Sets a declared property on a record being built (the loader's binder).</summary>
    public static void Set(object record, ParamDeclaration declaration, object? value) => declaration.Property.SetValue(record, value);

    /// <summary>A record with every field at its default (required ones at the type's default).</summary>
    public static object Defaults(Type record) =>
        Activator.CreateInstance(record) ?? throw new InvalidOperationException($"cannot create {record.Name}");

    private static MethodInfo CloneMethod(Type type) =>
        type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance)
        ?? throw new InvalidOperationException($"{type.Name} is not a record");

    private static ImmutableArray<ParamDeclaration> Declare(Type record)
    {
        var defaults = Defaults(record);
        var result = ImmutableArray.CreateBuilder<ParamDeclaration>();
        foreach (var property in record.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (property.SetMethod is null || property.GetCustomAttribute<DerivedAttribute>() is not null)
            {
                continue;
            }
            var declared = property.GetCustomAttribute<ParamAttribute>()
                ?? throw new InvalidOperationException($"{record.Name}.{property.Name} is settable but declares neither [Param] nor [Derived]");
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var kind = KindOf(property, type, declared);
            var required = property.GetCustomAttributes().Any(a => a.GetType().Name == "RequiredMemberAttribute");
            result.Add(new ParamDeclaration
            {
                Owner = record,
                Property = property,
                Declared = declared,
                Kind = kind,
                Key = declared.Key ?? CamelCase(property.Name),
                Required = required,
                Default = required ? null : property.GetValue(defaults),
                Choices = type.IsEnum ? [.. Enum.GetNames(type).Select(CamelCase)] : [],
                ItemType = kind switch
                {
                    ParamKind.Object => type,
                    ParamKind.List => type.GetGenericArguments()[0],
                    _ => null,
                },
            });
        }
        return result.ToImmutable();
    }

    private static ParamKind KindOf(PropertyInfo property, Type type, ParamAttribute declared)
    {
        if (type == typeof(double))
        {
            return ParamKind.Number;
        }
        if (type == typeof(int) || type == typeof(long) || type == typeof(ulong))
        {
            return ParamKind.Integer;
        }
        if (type == typeof(bool))
        {
            return ParamKind.Boolean;
        }
        if (type == typeof(DateOnly))
        {
            return ParamKind.Date;
        }
        if (type.IsEnum)
        {
            return ParamKind.Choice;
        }
        if (type == typeof(string))
        {
            return declared.References is not null ? ParamKind.Reference
                : property.Name == "Id" || property.Name == "Name" && property.DeclaringType == typeof(ScenarioInfo) ? ParamKind.Id
                : ParamKind.Text;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            return declared.References is not null ? ParamKind.NumberMap : ParamKind.List;
        }
        if (type.IsClass)
        {
            return ParamKind.Object;
        }
        throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name}: no scenario shape for {type.Name}");
    }

    private static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}

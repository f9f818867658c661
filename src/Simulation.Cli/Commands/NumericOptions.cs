using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Simulation.Cli.Commands;

/// <summary>
/// Gives every numeric and path option of a command tree a parser whose error says in words what was expected
/// (<c>--seed: expected a whole number >= 0, got 'abc'</c>) instead of System.CommandLine's message, which
/// names the .NET type.
/// </summary>
public static class NumericOptions
{
    /// <summary>Applies to <paramref name="command"/>'s options and those of all its subcommands.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<int> o: o.CustomParser = r => Parse<int>(r, o, "a whole number", NumberStyles.AllowLeadingSign); break;
                case Option<int?> o: o.CustomParser = r => Parse<int>(r, o, "a whole number", NumberStyles.AllowLeadingSign); break;
                case Option<long> o: o.CustomParser = r => Parse<long>(r, o, "a whole number", NumberStyles.AllowLeadingSign); break;
                case Option<long?> o: o.CustomParser = r => Parse<long>(r, o, "a whole number", NumberStyles.AllowLeadingSign); break;
                case Option<ulong> o: o.CustomParser = r => Parse<ulong>(r, o, "a whole number >= 0", NumberStyles.None); break;
                case Option<ulong?> o: o.CustomParser = r => Parse<ulong>(r, o, "a whole number >= 0", NumberStyles.None); break;
                case Option<double> o: o.CustomParser = r => Parse<double>(r, o, "a number", NumberStyles.Float); break;
                case Option<double?> o: o.CustomParser = r => Parse<double>(r, o, "a number", NumberStyles.Float); break;
                case Option<FileInfo?> o: o.CustomParser = r => PathOf(r, o.Name, "a file path", p => new FileInfo(p)); break;
                case Option<DirectoryInfo?> o: o.CustomParser = r => PathOf(r, o.Name, "a folder path", p => new DirectoryInfo(p)); break;
            }
        }
        foreach (var argument in command.Arguments.OfType<Argument<FileInfo>>())
        {
            argument.CustomParser = r => PathOf(r, argument.Name, "a file path", p => new FileInfo(p))!;
        }
        foreach (var subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }

    /// <summary><paramref name="value"/> if it is at least <paramref name="least"/>, else bad input (exit 2) naming the option.</summary>
    public static int AtLeast(int value, int least, string option) =>
        value >= least ? value : throw new UsageException($"{option} must be a whole number of at least {least}, got {value}");

    /// <summary>The message for a value that is not <paramref name="expected"/>.</summary>
    public static string Message(string option, string expected, string got) => $"{option}: expected {expected}, got '{got}'";

    private static T? PathOf<T>(ArgumentResult result, string name, string expected, Func<string, T> create) where T : class
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        if (text.Length > 0 && !text.Contains('\0', StringComparison.Ordinal))
        {
            return create(text);
        }
        result.AddError(Message(name, expected, text));
        return null;
    }

    private static T Parse<T>(ArgumentResult result, Option option, string expected, NumberStyles styles) where T : struct, INumber<T>
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        if (T.TryParse(text, styles, CultureInfo.InvariantCulture, out var value) && T.IsFinite(value))
        {
            return value;
        }
        result.AddError(Message(option.Name, expected, text));
        return default;
    }
}

using System.CommandLine;
using Simulation.Scenarios.Reference;

namespace Simulation.Cli.Commands;

/// <summary><c>sim schema</c>: the scenario format, from the field declarations (JSON Schema, or README's reference table).</summary>
public static class SchemaCommand
{
    public static Command Create(TextWriter stdout)
    {
        var table = new Option<bool>("--table")
        {
            Description = "Print the reference table of every scenario field (Markdown, as in README) instead of the JSON Schema.",
        };
        var command = new Command("schema", $"Print the JSON Schema of scenario files (committed as scenarios/{ScenarioSchema.FileName}).") { table };
        command.SetAction(async (parse, _) =>
        {
            await stdout.WriteAsync(parse.GetValue(table) ? ParameterCatalog.MarkdownTable() : ScenarioSchema.Text());
            return ExitCodes.Success;
        });
        return command;
    }
}

using System.CommandLine;
using Simulation.Scenarios;

namespace Simulation.Cli.Commands;

public static class ValidateCommand
{
    public static Command Create(TextWriter stdout)
    {
        var file = new Argument<FileInfo>("file") { Description = "The scenario file (YAML)." };
        var set = SetOption.Create();
        var command = new Command("validate", "Check a scenario file: every problem with file, line, column and field; exit code 2 if any.") { file, set };
        command.SetAction(async (parse, _) =>
        {
            var loaded = ScenarioLoader.Load(parse.GetValue(file)!.ToString(), parse.GetValue(set) ?? []);
            var info = loaded.Info;
            var sources = loaded.Provenance.Count(x => x.Kind == Scenarios.Yaml.Provenance.Source);
            var fitted = loaded.Provenance.Count(x => x.Kind == Scenarios.Yaml.Provenance.Fitted);
            await stdout.WriteLineAsync(
                $"{loaded.File}: ok: scenario '{info.Name}', {info.Start:yyyy-MM-dd} to {info.End:yyyy-MM-dd} by {info.TickLength.ToString().ToLowerInvariant()}, " +
                $"{info.Companies.Length} companies, {info.Markets.Length} markets, {info.Talent.Researchers.Length} researchers, {info.Events.Length} events, " +
                $"{info.Targets.Length} targets; {sources} numbers cite a source, {fitted} were fitted");
            return ExitCodes.Success;
        });
        return command;
    }
}

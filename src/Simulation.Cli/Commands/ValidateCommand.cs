using System.CommandLine;
using Simulation.Scenarios;

namespace Simulation.Cli.Commands;

public static class ValidateCommand
{
    public static Command Create(TextWriter stdout)
    {
        var file = new Argument<FileInfo>("file") { Description = "The scenario file (YAML)." };
        var set = SetOption.Create();
        var seeds = new Option<DirectoryInfo>("--seeds")
        {
            Description = "The folder of source documents that 'source: seeds/FILE:LINE' cites (default: the seeds/ folder above the scenario, else the repository's).",
        };
        var command = new Command("validate", "Check a scenario file: every problem with file, line, column and field; exit code 2 if any.") { file, set, seeds };
        command.SetAction(async (parse, _) =>
        {
            var seedsFolder = parse.GetValue(seeds);
            if (seedsFolder is { Exists: false })
            {
                throw new UsageException($"--seeds: folder '{seedsFolder}' does not exist");
            }
            var loaded = ScenarioLoader.Load(parse.GetValue(file)!.ToString(), parse.GetValue(set) ?? [], seedsFolder?.FullName);
            var info = loaded.Info;
            var sources = loaded.Provenance.Count(x => x.Kind == Scenarios.Yaml.Provenance.Source);
            var fitted = loaded.Provenance.Count(x => x.Kind == Scenarios.Yaml.Provenance.Fitted);
            var summary =
                $"scenario '{info.Name}', {info.Start:yyyy-MM-dd} to {info.End:yyyy-MM-dd} by {info.TickLength.ToString().ToLowerInvariant()}, " +
                $"{info.Companies.Length} companies, {info.Markets.Length} markets, {info.Talent.Researchers.Length} researchers, {info.Events.Length} events, " +
                $"{info.Targets.Length} targets; {sources} numbers cite a source, {fitted} were fitted";
            // "ok" only when every source line was checked against a seeds folder.
            await stdout.WriteLineAsync(loaded.SeedsDirectory is null
                ? $"{loaded.File}: valid, but sources not checked (no seeds/ folder above the scenario or in the repository; pass --seeds DIR): {summary}"
                : $"{loaded.File}: ok: {summary}; sources checked against {loaded.SeedsDirectory}");
            return ExitCodes.Success;
        });
        return command;
    }
}

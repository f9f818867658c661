using System.Text;
using System.Text.Json.Nodes;
using Parquet.Serialization;
using Simulation.Experiments;
using Simulation.Cli.Commands;
using Simulation.Cli.Engines;
using Simulation.Exports;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;
using Simulation.Tests.Support;

namespace Simulation.Tests.Exports;

public sealed class ExportFormatTests
{
    private static readonly LoadedScenario Rivals = new(TestScenarios.Rivals(), "rivals", "0123456789abcdef0123", new ProvenanceLog());

    private static readonly ExportOptions AllFormats = new()
    {
        Formats = new HashSet<ExportFormat> { ExportFormat.Csv, ExportFormat.Parquet, ExportFormat.Json },
        Charts = false,
    };

    private static async Task<(RunOutput Output, IReadOnlyDictionary<string, byte[]> Files)> RenderAsync(ExportOptions options)
    {
        var output = await SimulationRun.RunAsync(new ReferenceEngine(), Rivals, 5);
        return (output, await RunFiles.RenderAsync(output, options));
    }

    [Fact]
    public async Task Parquet_files_read_back_with_every_row_and_the_run_metadata()
    {
        var (output, files) = await RenderAsync(AllFormats);

        var monthly = await ReadParquetAsync<MonthlyRecord>(files["monthly.parquet"]);
        var ticks = await ReadParquetAsync<TickRecord>(files["ticks.parquet"]);
        var events = await ReadParquetAsync<EventRecord>(files["events.parquet"]);

        Assert.Equal(output.MonthRows.Count, monthly.Data.Count);
        Assert.Equal(output.TickRows.Count, ticks.Data.Count);
        Assert.Equal(output.Events.Count, events.Data.Count);
        Assert.NotEmpty(events.Data);
        foreach (var (table, metadata) in new[] { ("monthly", monthly.CustomMetadata), ("ticks", ticks.CustomMetadata), ("events", events.CustomMetadata) })
        {
            Assert.Equal("rivals", metadata["scenario"]);
            Assert.Equal("0123456789abcdef0123", metadata["scenario_sha256"]);
            Assert.Equal("5", metadata["seed"]);
            Assert.Equal("reference", metadata["engine"]);
            Assert.Equal(SimulationRun.ProgramVersion, metadata["program_version"]);
            Assert.Equal(table, metadata["table"]);
            Assert.Equal("users", JsonNode.Parse(metadata["units"])!["mau"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Parquet_and_json_rows_carry_the_same_numbers_as_the_csv()
    {
        var (_, files) = await RenderAsync(AllFormats);
        var csv = Encoding.UTF8.GetString(files["monthly.csv"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = csv[0].Split(',');
        var last = csv[^1].Split(',');
        var parquet = (await ReadParquetAsync<MonthlyRecord>(files["monthly.parquet"])).Data[^1];
        var json = JsonNode.Parse(files["monthly.json"])!["rows"]!.AsArray()[^1]!.AsObject();

        Assert.Equal(header, json.Select(p => p.Key));
        string Csv(string column) => last[Array.IndexOf(header, column)];
        Assert.Equal(Csv("month"), parquet.Month);
        Assert.Equal(Csv("app"), parquet.App);
        Assert.Equal(double.Parse(Csv("mau"), System.Globalization.CultureInfo.InvariantCulture), parquet.Mau);
        Assert.Equal(double.Parse(Csv("market_share"), System.Globalization.CultureInfo.InvariantCulture), parquet.MarketShare);
        Assert.Equal(parquet.Mau, json["mau"]!.GetValue<double>());
        Assert.Equal(Csv("company"), json["company"]!.GetValue<string>());
    }

    [Fact]
    public async Task Json_files_parse_as_a_metadata_object_and_an_array_of_row_objects()
    {
        var (output, files) = await RenderAsync(AllFormats);

        foreach (var (name, count) in new[] { ("monthly.json", output.MonthRows.Count), ("ticks.json", output.TickRows.Count), ("events.json", output.Events.Count) })
        {
            var root = JsonNode.Parse(files[name])!.AsObject();
            var metadata = root["metadata"]!;
            Assert.Equal("rivals", (string?)metadata["scenario"]);
            Assert.Equal("0123456789abcdef0123", (string?)metadata["scenario_sha256"]);
            Assert.Equal(5UL, (ulong?)metadata["seed"]);
            Assert.Equal(SimulationRun.ProgramVersion, (string?)metadata["program_version"]);
            Assert.Equal(count, root["rows"]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task The_same_run_twice_gives_byte_identical_parquet_json_and_csv_files()
    {
        var (_, first) = await RenderAsync(AllFormats);
        var (_, second) = await RenderAsync(AllFormats);

        Assert.Equal(first.Keys, second.Keys);
        foreach (var name in first.Keys)
        {
            Assert.True(first[name].AsSpan().SequenceEqual(second[name]), $"{name} differs between two identical runs");
        }
    }

    [Fact]
    public async Task By_default_a_run_writes_csv_summary_json_and_charts_and_no_other_format()
    {
        var (_, files) = await RenderAsync(ExportOptions.Default);

        Assert.Equal(["events.csv", "monthly.csv", "summary.json", "ticks.csv"], files.Keys.Where(k => !k.StartsWith("charts/", StringComparison.Ordinal)));
        Assert.Contains("charts/mau-m.png", files.Keys);
        var (_, noCharts) = await RenderAsync(ExportOptions.Default with { Charts = false });
        Assert.Equal(["events.csv", "monthly.csv", "summary.json", "ticks.csv"], noCharts.Keys);
    }

    [Theory]
    [InlineData(new string[0], "Csv")]
    [InlineData(new[] { "parquet" }, "Parquet")]
    [InlineData(new[] { "csv,parquet", "json" }, "Csv Parquet Json")]
    [InlineData(new[] { " JSON , csv " }, "Csv Json")]
    public void Formats_are_read_from_repeated_options_and_comma_lists(string[] values, string expected) =>
        Assert.Equal(expected, string.Join(' ', ExportFormats.Parse(values)));

    [Fact]
    public void An_unknown_format_is_refused_with_the_formats_there_are()
    {
        var e = Assert.Throws<FormatException>(() => ExportFormats.Parse(["csv,xlsx"]));
        Assert.Contains("'xlsx'", e.Message, StringComparison.Ordinal);
        Assert.Contains("csv, parquet, json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_cannot_be_written_leaves_no_output_folder_and_no_staging_folder()
    {
        var parent = Directory.CreateTempSubdirectory("sim-atomic-");
        try
        {
            var target = Path.Combine(parent.FullName, "out");
            var files = new Dictionary<string, byte[]> { ["monthly.csv"] = [1, 2], ["charts/bad\0name.png"] = [3] };

            Assert.ThrowsAny<Exception>(() => AtomicDirectory.Write(target, files));

            Assert.Empty(parent.GetFileSystemInfos());
        }
        finally
        {
            parent.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Sim_run_writes_the_chosen_formats_and_the_charts_into_the_output_folder_together()
    {
        var parent = Directory.CreateTempSubdirectory("sim-formats-");
        try
        {
            var target = Path.Combine(parent.FullName, "out");

            var (code, stdout, stderr) = await SimAsync("run", Repo.Baseline, "--engine", "reference", "--out", target, "--format", "parquet", "--format", "json");

            Assert.True(code == 0, stderr);
            Assert.Contains("charts (PNG and SVG) in charts/ to", stdout, StringComparison.Ordinal);
            Assert.Equal(
                [OutputFolder.MarkerName, "charts", "events.json", "events.parquet", "monthly.json", "monthly.parquet", "summary.json", "ticks.json", "ticks.parquet"],
                Directory.GetFileSystemEntries(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            string[] charts = ["cash", "mau-china-aigc", "mau-global", "share-china-aigc", "talent-flows"];
            Assert.Equal(
                charts.SelectMany(c => new[] { c + ".png", c + ".svg" }).Order(StringComparer.Ordinal),
                Directory.GetFiles(Path.Combine(target, "charts")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(["out"], Directory.GetFileSystemEntries(parent.FullName).Select(Path.GetFileName));
        }
        finally
        {
            parent.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Sim_run_with_an_unknown_format_exits_2_before_running_and_writes_nothing()
    {
        var parent = Directory.CreateTempSubdirectory("sim-formats-");
        try
        {
            var target = Path.Combine(parent.FullName, "out");
            var (code, _, stderr) = await SimAsync("run", Repo.Baseline, "--engine", "reference", "--out", target, "--format", "xlsx");

            Assert.Equal(2, code);
            Assert.Contains("--format: unknown format 'xlsx'", stderr, StringComparison.Ordinal);
            Assert.Empty(parent.GetFileSystemInfos());
        }
        finally
        {
            parent.Delete(recursive: true);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> SimAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await SimCommand.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<DeserializationResult<T>> ReadParquetAsync<T>(byte[] bytes)
        where T : class, new()
    {
        using var stream = new MemoryStream(bytes);
        return await ParquetSerializer.DeserializeAsync<T>(stream);
    }
}

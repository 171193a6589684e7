using System.Globalization;
using Spumr.Bench.Graphs;

// spumr-bench graphs [--data DIR] [--out FILE] [--skip-clothing]   runs every scenario, writes the report
// spumr-bench scenario NAME [options]                               one scenario, prints one JSON line (used by the above)
if (args.Length == 0 || args[0] is not ("graphs" or "scenario"))
{
    Console.Error.WriteLine("usage: Spumr.Bench graphs [--data DIR] [--out FILE] [--skip-clothing] | scenario NAME [--data DIR] [--batch N] [--limit N] [--snapshot]");
    return 64;
}

var data = Option(args, "--data") ?? FindDataRoot();
if (args[0] == "scenario")
{
    var name = args.Length > 1 ? args[1] : "";
    var batch = int.Parse(Option(args, "--batch") ?? "1000", CultureInfo.InvariantCulture);
    var limit = int.Parse(Option(args, "--limit") ?? "0", CultureInfo.InvariantCulture);
    ScenarioResult result = name switch
    {
        "baby-batch" => GraphScenarios.BabyBatch(data),
        "clothing-batch" => GraphScenarios.ClothingBatch(data),
        "baby-stream" => GraphScenarios.BabyStream(data, batch, limit, args.Contains("--snapshot")),
        "clothing-stream" => GraphScenarios.ClothingStream(data, batch, limit > 0 ? limit : 20_000),
        _ => throw new ArgumentException($"unknown scenario '{name}'"),
    };
    Console.WriteLine("RESULT " + System.Text.Json.JsonSerializer.Serialize(result, BenchJsonContext.Default.ScenarioResult));
    return result.Check?.StartsWith("FAILED", StringComparison.Ordinal) == true ? 1 : 0;
}

var output = Option(args, "--out") ?? "bench/reports/graphs.md";
return GraphReport.Run(data, output, args.Contains("--skip-clothing"));

static string? Option(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindDataRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (Directory.Exists(Path.Combine(dir.FullName, "data", "amazon-baby")))
        {
            return Path.Combine(dir.FullName, "data");
        }
    }

    throw new DirectoryNotFoundException("data/amazon-baby not found above the current directory; pass --data DIR");
}

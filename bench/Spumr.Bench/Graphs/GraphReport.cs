using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Spumr.Bench.Graphs;

/// <summary>Runs every graph scenario in a child process and writes the markdown report.</summary>
internal static class GraphReport
{
    public const string Command = "dotnet run -c Release --project bench/Spumr.Bench -- graphs --out bench/reports/graphs.md";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string dataRoot, string output, bool skipClothing)
    {
        var loadBefore = ProcessStats.LoadAverage();
        var started = DateTimeOffset.UtcNow;
        var runs = new List<(string[] Args, ScenarioResult? Result, string Error)>();
        List<string[]> plan =
        [
            ["baby-batch"],
            ["baby-stream", "--batch", "1000", "--snapshot"],
            ["baby-stream", "--batch", "5000"],
            ["baby-stream", "--batch", "100"],
            ["baby-stream", "--batch", "1", "--limit", "2000"],
        ];
        if (!skipClothing)
        {
            plan.Add(["clothing-batch"]);
            plan.Add(["clothing-stream", "--batch", "1000", "--limit", "20000"]);
        }

        foreach (var scenario in plan)
        {
            Console.Error.WriteLine($"running {string.Join(' ', scenario)} ...");
            var (result, error) = RunChild([.. new[] { "scenario" }.Concat(scenario), "--data", dataRoot]);
            runs.Add((scenario, result, error));
            Console.Error.WriteLine(result is null ? $"  failed: {error}" : $"  done: {result.Check ?? "measured"}");
        }

        var report = Render(runs, loadBefore, ProcessStats.LoadAverage(), started);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, report);
        Console.WriteLine(report);
        var failed = runs.Any(r => r.Result is null || r.Result.Check?.StartsWith("FAILED", StringComparison.Ordinal) == true);
        return failed ? 1 : 0;
    }

    private static (ScenarioResult? Result, string Error) RunChild(string[] args)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(GraphReport).Assembly.Location);
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        process.WaitForExit();
        var json = lines.LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        return json is null
            ? (null, $"exit code {process.ExitCode}: {stderr.Result.Trim()}")
            : (JsonSerializer.Deserialize(json["RESULT ".Length..], BenchJsonContext.Default.ScenarioResult), stderr.Result);
    }

    private static string Render(List<(string[] Args, ScenarioResult? Result, string Error)> runs, string loadBefore, string loadAfter, DateTimeOffset started)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# GraphMaintainer benchmark: batch builds and incremental maintenance");
        sb.AppendLine();
        sb.AppendLine(Inv, $"Command (from the repository root): `{Command}`");
        sb.AppendLine();
        sb.AppendLine(Inv, $"Run {started:yyyy-MM-dd HH:mm} UTC on {ProcessStats.CpuModel()}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, 2 worker threads. Each scenario ran in its own process (its peak RSS is its own).");
        sb.AppendLine(Inv, $"Load average before / after: {loadBefore} / {loadAfter}. **The machine was shared with other jobs**: wall times are upper bounds; the CPU-seconds column shows the work done.");
        sb.AppendLine();

        var baby = Find(runs, "baby-batch");
        var clothing = Find(runs, "clothing-batch");
        var stream = Find(runs, "baby-stream-1000");
        sb.AppendLine("## Targets");
        sb.AppendLine();
        sb.AppendLine("| target | measured | met |");
        sb.AppendLine("|---|---|---|");
        Target(sb, "Baby: batch build of all graphs < 5 s (median of 3 warm runs)", Seconds(baby, "all graphs"), 5);
        Target(sb, "Clothing scale (4096-d + 384-d): batch build < 120 s", Seconds(clothing, "all graphs"), 120);
        if (clothing is not null)
        {
            sb.AppendLine(Inv, $"| Clothing scale: peak memory < 6 GB | {clothing.PeakRssMiB / 1024:F2} GiB | {(clothing.PeakRssMiB < 6 * 1024 ? "yes" : "NO")} |");
        }

        if (stream?.Timings.FirstOrDefault(t => t.Step.StartsWith("interaction events", StringComparison.Ordinal)) is { Count: { } n } streamed)
        {
            var rate = n / streamed.Seconds;
            sb.AppendLine(Inv, $"| Baby: incremental >= 5,000 interactions/s on 2 cores (batches of 1000) | {rate:N0}/s | {(rate >= 5000 ? "yes" : "NO")} |");
        }

        foreach (var (_, result, _) in runs.Where(r => r.Result?.Check is not null))
        {
            sb.AppendLine(Inv, $"| {result!.Scenario}: {Check(result)} | {result.Check} | {(result.Check!.StartsWith("ok", StringComparison.Ordinal) ? "yes" : "NO")} |");
        }

        sb.AppendLine();
        sb.AppendLine("## Incremental maintenance (features first, then interactions; Baby in timestamp order, Clothing scale in a seeded random order)");
        sb.AppendLine();
        sb.AppendLine("| data | batch size | interactions | wall s | interactions/s | process CPU s | peak RSS MiB |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (_, result, _) in runs.Where(r => r.Result?.Scenario.Contains("-stream", StringComparison.Ordinal) == true))
        {
            var step = result!.Timings.First(t => t.Step.StartsWith("interaction events", StringComparison.Ordinal));
            var set = result.Scenario.StartsWith("baby", StringComparison.Ordinal) ? "Baby (256 + 128-d)" : "Clothing scale (4096 + 384-d)";
            sb.AppendLine(Inv, $"| {set} | {result.Facts["batch size"]} | {step.Count:N0} | {step.Seconds:F2} | {step.Count / step.Seconds:N0} | {result.CpuSeconds:F1} | {result.PeakRssMiB:F0} |");
        }

        sb.AppendLine();
        foreach (var (args, result, error) in runs)
        {
            sb.AppendLine(Inv, $"## Scenario `{string.Join(' ', args)}`");
            sb.AppendLine();
            if (result is null)
            {
                sb.AppendLine(Inv, $"FAILED to run: {error}");
                sb.AppendLine();
                continue;
            }

            sb.AppendLine("| step | seconds | rate |");
            sb.AppendLine("|---|---|---|");
            foreach (var t in result.Timings)
            {
                var rate = t.Count is { } c && t.Seconds > 0 ? (c / t.Seconds).ToString("N0", Inv) + "/s" : "";
                sb.AppendLine(Inv, $"| {t.Step} | {t.Seconds:F2} | {rate} |");
            }

            sb.AppendLine();
            sb.AppendLine(Inv, $"Process CPU {result.CpuSeconds:F1} s, peak RSS {result.PeakRssMiB:F0} MiB.");
            foreach (var (k, v) in result.Facts)
            {
                sb.AppendLine(Inv, $"- {k}: {v}");
            }

            if (result.Check is not null)
            {
                sb.AppendLine(Inv, $"- check: **{result.Check}**");
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    private static string Check(ScenarioResult r) => r.Scenario.Contains("-stream", StringComparison.Ordinal) ? "incremental equals batch" : "repeatable";

    private static ScenarioResult? Find(List<(string[] Args, ScenarioResult? Result, string Error)> runs, string scenario)
        => runs.Select(r => r.Result).FirstOrDefault(r => r?.Scenario == scenario);

    private static double? Seconds(ScenarioResult? r, string step) => r?.Timings.FirstOrDefault(t => t.Step == step)?.Seconds;

    private static void Target(StringBuilder sb, string what, double? seconds, double limit)
    {
        if (seconds is { } s)
        {
            sb.AppendLine(Inv, $"| {what} | {s:F2} s | {(s < limit ? "yes" : "NO")} |");
        }
    }
}

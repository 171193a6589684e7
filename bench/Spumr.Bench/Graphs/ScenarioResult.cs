using System.Text.Json.Serialization;

namespace Spumr.Bench.Graphs;

/// <summary>What one scenario measured; a child process prints it as one JSON line.</summary>
public sealed record ScenarioResult(
    [property: JsonPropertyName("scenario")] string Scenario,
    [property: JsonPropertyName("timings")] List<Timing> Timings,
    [property: JsonPropertyName("facts")] Dictionary<string, string> Facts,
    [property: JsonPropertyName("peakRssMiB")] double PeakRssMiB,
    [property: JsonPropertyName("cpuSeconds")] double CpuSeconds,
    [property: JsonPropertyName("check")] string? Check);

/// <summary>One timed step, with its rate when it processed countable things.</summary>
public sealed record Timing(
    [property: JsonPropertyName("step")] string Step,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("count")] long? Count = null);

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ScenarioResult))]
public sealed partial class BenchJsonContext : JsonSerializerContext;

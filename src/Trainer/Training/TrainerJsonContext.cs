using System.Text.Json.Serialization;

namespace Spumr.Trainer.Training;

/// <summary>The run folder's JSON files and <c>spumr train --json</c>, through source generation.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(RunConfig))]
[JsonSerializable(typeof(List<EpochRecord>))]
public sealed partial class TrainerJsonContext : JsonSerializerContext;

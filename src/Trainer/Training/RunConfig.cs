using System.Text.Json.Serialization;

namespace Spumr.Trainer.Training;

/// <summary>Everything needed to repeat a run, written as the run folder's <c>config.json</c>.</summary>
public sealed record RunConfig
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    /// <summary>The model's hyper-parameters by name, as given.</summary>
    [JsonPropertyName("model_options")]
    public required IReadOnlyDictionary<string, string> ModelOptions { get; init; }

    [JsonPropertyName("training")]
    public required TrainingOptions Training { get; init; }

    [JsonPropertyName("data_folder")]
    public required string DataFolder { get; init; }

    [JsonPropertyName("data_name")]
    public required string DataName { get; init; }

    [JsonPropertyName("users")]
    public int Users { get; init; }

    [JsonPropertyName("items")]
    public int Items { get; init; }

    [JsonPropertyName("train_interactions")]
    public int TrainInteractions { get; init; }

    /// <summary>The Trainer assembly's informational version, with the git commit it was built from.</summary>
    [JsonPropertyName("spumr_version")]
    public string? SpumrVersion { get; init; }

    [JsonPropertyName("torch_backend")]
    public required string TorchBackend { get; init; }

    [JsonPropertyName("command_line")]
    public string? CommandLine { get; init; }

    [JsonPropertyName("started_utc")]
    public DateTimeOffset StartedUtc { get; init; }
}

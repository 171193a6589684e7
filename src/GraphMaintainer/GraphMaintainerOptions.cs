using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Spumr.Core.Embeddings;
using Spumr.GraphMaintainer.State;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.GraphMaintainer;

/// <summary>
/// The GraphMaintainer worker's settings (configuration section <c>GraphMaintainer</c>). The graph
/// settings (k, modalities and widths) are <see cref="GraphStateOptions"/> in <c>GraphMaintainer:Graphs</c>.
/// </summary>
public sealed class GraphMaintainerOptions
{
    public const string Section = "GraphMaintainer";

    /// <summary>
    /// The GraphMaintainer's default for <see cref="GraphStateOptions.DedupeWindow"/>
    /// (<c>GraphMaintainer:Graphs:DedupeWindow</c>): twice Ingest's default window, so it remembers
    /// at least as many recent ids as Ingest does, in at most about 80 MB. See docs/streaming.md.
    /// </summary>
    public const int DefaultDedupeWindow = 2_000_000;

    [Required(AllowEmptyStrings = false)]
    public string InteractionsTopic { get; set; } = SpumrTopics.Interactions;

    [Required(AllowEmptyStrings = false)]
    public string ItemFeaturesTopic { get; set; } = SpumrTopics.ItemFeatures;

    /// <summary>Where a canonical message the state cannot apply is set aside, with the reason in its headers.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DeadLetterTopic { get; set; } = SpumrTopics.DeadLetter;

    /// <summary>StackExchange.Redis configuration string of the store Serving reads seen items from, such as "127.0.0.1:6379".</summary>
    [Required(AllowEmptyStrings = false)]
    public string Redis { get; set; } = "";

    /// <summary>Key prefix in Redis (the same as Serving's and the Trainer's).</summary>
    public string KeyPrefix { get; set; } = EmbeddingKeys.DefaultPrefix;

    /// <summary>How long one Redis command may take before it counts as failed (and is retried).</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The folder of this instance's snapshots; no other instance may use it.</summary>
    [Required(AllowEmptyStrings = false)]
    public string SnapshotDirectory { get; set; } = "";

    /// <summary>A snapshot is written after this many messages since the last one ...</summary>
    [Range(1, long.MaxValue)]
    public long SnapshotEveryEvents { get; set; } = 100_000;

    /// <summary>... or when this much time has passed since the last one and a message was applied since.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Snapshots kept (newest first); older ones are deleted after each write.</summary>
    [Range(1, 1000)]
    public int KeepSnapshots { get; set; } = 3;

    /// <summary>A micro-batch is applied once it holds this many messages ...</summary>
    [Range(1, 1_000_000)]
    public int MaxBatchEvents { get; set; } = 5000;

    /// <summary>... or this long after its first message was read.</summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Dead letters are cut to this many bytes (Kafka's default message limit is 1 MB).</summary>
    [Range(1024, 900_000)]
    public int MaxDeadLetterBytes { get; set; } = 262_144;
}

/// <summary>The rules data annotations cannot say.</summary>
internal sealed class GraphMaintainerOptionsValidator : IValidateOptions<GraphMaintainerOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphMaintainerOptions options)
    {
        var failures = new List<string>();
        string[] topics = [options.InteractionsTopic, options.ItemFeaturesTopic, options.DeadLetterTopic];
        if (topics.Distinct(StringComparer.Ordinal).Count() != topics.Length)
        {
            failures.Add($"GraphMaintainer topics must all differ: {string.Join(", ", topics)}.");
        }

        if (EmbeddingKeys.PrefixProblem(options.KeyPrefix) is { } prefix)
        {
            failures.Add($"GraphMaintainer:KeyPrefix '{options.KeyPrefix}' {prefix}.");
        }

        Positive(failures, "RedisTimeout", options.RedisTimeout, TimeSpan.FromMinutes(5));
        Positive(failures, "SnapshotInterval", options.SnapshotInterval, TimeSpan.FromDays(1));
        Positive(failures, "MaxBatchDelay", options.MaxBatchDelay, TimeSpan.FromMinutes(1));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value, TimeSpan max)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            failures.Add($"GraphMaintainer:{key} is {value}; it must be positive and at most {max}.");
        }
    }
}

/// <summary>The GraphMaintainer needs at least one modality (feature events name one).</summary>
internal sealed class GraphMaintainerGraphsValidator : IValidateOptions<GraphStateOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphStateOptions options) =>
        options.Modalities is { Count: > 0 }
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{GraphStateOptions.SectionName}:Modalities is empty; configure each modality and its vector width, such as "
                + $"{GraphStateOptions.SectionName}:Modalities:0:Name = image and {GraphStateOptions.SectionName}:Modalities:0:Width = 256.");
}

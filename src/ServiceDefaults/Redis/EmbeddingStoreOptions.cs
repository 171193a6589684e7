using System.ComponentModel.DataAnnotations;
using Spumr.Core.Embeddings;

namespace Spumr.ServiceDefaults.Redis;

/// <summary>How the embedding store lays out and keeps versions.</summary>
public sealed class EmbeddingStoreOptions : IValidatableObject
{
    /// <summary>Prefix of every key (and the hash tag of the control keys).</summary>
    public string KeyPrefix { get; set; } = EmbeddingKeys.DefaultPrefix;

    /// <summary>Complete versions kept besides the live one and leased ones.</summary>
    [Range(1, 1000)]
    public int KeepVersions { get; set; } = 3;

    /// <summary>Target size of one stored item chunk; the item matrix is split into chunks of whole rows.</summary>
    [Range(4 * 1024, 64 * 1024 * 1024)]
    public int ItemChunkBytes { get; set; } = 1024 * 1024;

    /// <summary>User ids per stored user-id chunk (the list GC uses to find user keys).</summary>
    [Range(1, 1_000_000)]
    public int UserIdChunkSize { get; set; } = 10_000;

    /// <summary>Commands in flight at once while writing or deleting a version (pipelining depth).</summary>
    [Range(1, 100_000)]
    public int PipelineDepth { get; set; } = 2_000;

    /// <summary>A version still unfinished after this long is treated as a crashed write and collected.</summary>
    public TimeSpan AbandonedWriteAfter { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EmbeddingKeys.PrefixProblem(KeyPrefix) is { } problem)
        {
            yield return new ValidationResult($"KeyPrefix '{KeyPrefix}' {problem}.", [nameof(KeyPrefix)]);
        }

        if (AbandonedWriteAfter <= TimeSpan.Zero)
        {
            yield return new ValidationResult("AbandonedWriteAfter must be positive.", [nameof(AbandonedWriteAfter)]);
        }
    }
}

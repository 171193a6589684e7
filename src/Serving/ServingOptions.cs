using System.ComponentModel.DataAnnotations;
using Spumr.Core.Embeddings;

namespace Spumr.Serving;

/// <summary>Settings of the Serving API (configuration section "Serving").</summary>
public sealed class ServingOptions : IValidatableObject
{
    public const string Section = "Serving";

    /// <summary>StackExchange.Redis configuration string of the embedding store, such as "127.0.0.1:6379".</summary>
    [Required(AllowEmptyStrings = false)]
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Key prefix of the embedding store (the same as the Trainer's).</summary>
    public string KeyPrefix { get; set; } = EmbeddingKeys.DefaultPrefix;

    /// <summary>Addresses Kestrel listens on, ';'-separated, such as "http://127.0.0.1:8080".</summary>
    [Required(AllowEmptyStrings = false)]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>User vectors kept in memory (per version; 0 turns the cache off).</summary>
    [Range(0, 10_000_000)]
    public int UserCacheSize { get; set; } = 100_000;

    /// <summary>How often the live-version pointer is checked, as a fallback to ModelPublished messages.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a Redis command may take before the request is answered without it.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Lifetime of this instance's lease on the version it serves (renewed at a third of it).</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>This instance's name in its Redis lease.</summary>
    public string InstanceId { get; set; } = $"serving-{Environment.MachineName}-{Environment.ProcessId}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EmbeddingKeys.PrefixProblem(KeyPrefix) is { } prefixProblem)
        {
            yield return new ValidationResult($"Serving:KeyPrefix '{KeyPrefix}' {prefixProblem}.", [nameof(KeyPrefix)]);
        }

        if (ExternalId.Problem(InstanceId) is { } idProblem)
        {
            yield return new ValidationResult($"Serving:InstanceId '{InstanceId}' {idProblem}.", [nameof(InstanceId)]);
        }

        foreach (var url in SplitUrls(Urls))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return new ValidationResult($"Serving:Urls has '{url}', which is not an http(s) address such as http://127.0.0.1:8080.", [nameof(Urls)]);
            }
        }

        if (PollInterval < TimeSpan.FromMilliseconds(50) || PollInterval > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult($"Serving:PollInterval {PollInterval} is outside 50 ms .. 1 h.", [nameof(PollInterval)]);
        }

        if (RedisTimeout < TimeSpan.FromMilliseconds(10) || RedisTimeout > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"Serving:RedisTimeout {RedisTimeout} is outside 10 ms .. 1 min.", [nameof(RedisTimeout)]);
        }

        if (LeaseTtl < TimeSpan.FromSeconds(1) || LeaseTtl > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult($"Serving:LeaseTtl {LeaseTtl} is outside 1 s .. 1 day.", [nameof(LeaseTtl)]);
        }
    }

    /// <summary>Every validation problem of these settings as a sentence (empty when they are valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        // The validator skips Validate() once an attribute fails; a user should see every problem at once.
        var context = new ValidationContext(this);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, context, results, validateAllProperties: true);
        return results.Concat(Validate(context)).Select(r => r.ErrorMessage ?? "invalid setting").Distinct().ToList();
    }

    public static string[] SplitUrls(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

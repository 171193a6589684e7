using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Spumr.Core.Events;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest;

/// <summary>The Ingest service's settings (configuration section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    [Required(AllowEmptyStrings = false)]
    public string RawInteractionsTopic { get; set; } = SpumrTopics.RawInteractions;

    [Required(AllowEmptyStrings = false)]
    public string RawItemFeaturesTopic { get; set; } = SpumrTopics.RawItemFeatures;

    [Required(AllowEmptyStrings = false)]
    public string InteractionsTopic { get; set; } = SpumrTopics.Interactions;

    [Required(AllowEmptyStrings = false)]
    public string ItemFeaturesTopic { get; set; } = SpumrTopics.ItemFeatures;

    [Required(AllowEmptyStrings = false)]
    public string DeadLetterTopic { get; set; } = SpumrTopics.DeadLetter;

    [Required(AllowEmptyStrings = false)]
    public string GroupId { get; set; } = "spumr-ingest";

    /// <summary>How many recent event ids (per process) are remembered to drop duplicates; about
    /// 30 bytes each. The default covers every bundled data set replayed whole.</summary>
    [Range(1, 100_000_000)]
    public int DedupeWindow { get; set; } = 1_000_000;

    /// <summary>Largest raw payload accepted, in bytes; must stay under the producer's 1 MB message limit
    /// because a refused payload is forwarded to the dead-letter topic.</summary>
    [Range(1024, 900_000)]
    public int MaxPayloadBytes { get; set; } = new EventLimits().MaxPayloadBytes;

    [Range(1, 4096)]
    public int MaxIdLength { get; set; } = new EventLimits().MaxIdLength;

    /// <summary>How far in the future an interaction timestamp may lie.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = new EventLimits().MaxFutureSkew;

    /// <summary>The accepted modalities and their vector widths, such as <c>image: 256, text: 128</c>.</summary>
    public Dictionary<string, int> Modalities { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long rebuilding the dedupe window from the canonical topics may take.</summary>
    public TimeSpan CatchUpTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public string CanonicalTopic(EventKind kind) => kind == EventKind.Interaction ? InteractionsTopic : ItemFeaturesTopic;

    public EventLimits ToEventLimits() => new()
    {
        MaxPayloadBytes = MaxPayloadBytes,
        MaxIdLength = MaxIdLength,
        MaxFutureSkew = MaxFutureSkew,
        ModalityWidths = new Dictionary<string, int>(Modalities, StringComparer.Ordinal),
    };
}

/// <summary>The rules data annotations cannot say.</summary>
internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var failures = new List<string>();
        if (options.Modalities.Count == 0)
        {
            failures.Add("Ingest:Modalities is empty; configure each modality's vector width, such as Ingest:Modalities:image = 256.");
        }

        foreach (var (modality, width) in options.Modalities)
        {
            if (width <= 0)
            {
                failures.Add($"Ingest:Modalities:{modality} is {width}; a vector width must be positive.");
            }
        }

        string[] topics = [options.RawInteractionsTopic, options.RawItemFeaturesTopic, options.InteractionsTopic, options.ItemFeaturesTopic, options.DeadLetterTopic];
        if (topics.Distinct(StringComparer.Ordinal).Count() != topics.Length)
        {
            failures.Add($"Ingest topics must all differ: {string.Join(", ", topics)}.");
        }

        if (options.MaxFutureSkew < TimeSpan.Zero)
        {
            failures.Add($"Ingest:MaxFutureSkew is {options.MaxFutureSkew}; it cannot be negative.");
        }

        if (options.CatchUpTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Ingest:CatchUpTimeout is {options.CatchUpTimeout}; it must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

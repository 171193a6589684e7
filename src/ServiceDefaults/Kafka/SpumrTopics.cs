namespace Spumr.ServiceDefaults.Kafka;

/// <summary>The topic names Spumr's services agree on (each can be overridden in their options).</summary>
public static class SpumrTopics
{
    /// <summary>Interactions as producers send them, unvalidated.</summary>
    public const string RawInteractions = "spumr.interactions.raw";

    /// <summary>Item feature vectors as producers send them, unvalidated.</summary>
    public const string RawItemFeatures = "spumr.item-features.raw";

    /// <summary>Validated, deduplicated interactions, keyed by user id.</summary>
    public const string Interactions = "spumr.interactions";

    /// <summary>Validated, deduplicated item feature vectors, keyed by item id.</summary>
    public const string ItemFeatures = "spumr.item-features";

    /// <summary>Every rejected raw event, with the reason in its headers (docs/events.md).</summary>
    public const string DeadLetter = "spumr.dead-letter";

    public static IReadOnlyList<string> All { get; } = [RawInteractions, RawItemFeatures, Interactions, ItemFeatures, DeadLetter];
}

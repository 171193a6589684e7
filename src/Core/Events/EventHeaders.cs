namespace Spumr.Core.Events;

/// <summary>Kafka header names Spumr writes (docs/events.md). Values are UTF-8 strings.</summary>
public static class EventHeaders
{
    /// <summary>On canonical messages: the event id, so readers can dedupe without parsing.</summary>
    public const string EventId = "spumr-event-id";

    /// <summary>On canonical messages: the event type name.</summary>
    public const string EventType = "spumr-event-type";

    /// <summary>On dead letters: the rejection code.</summary>
    public const string Reason = "spumr-reason";

    /// <summary>On dead letters: the rejection message for people.</summary>
    public const string ReasonMessage = "spumr-reason-message";

    /// <summary>On dead letters: the field at fault, when known.</summary>
    public const string ReasonField = "spumr-reason-field";

    public const string SourceTopic = "spumr-source-topic";

    public const string SourcePartition = "spumr-source-partition";

    public const string SourceOffset = "spumr-source-offset";

    /// <summary>On dead letters whose value was cut to the payload limit: the original size in bytes.</summary>
    public const string OriginalSize = "spumr-original-size";

    /// <summary>The reason code for a message whose processing threw unexpectedly.</summary>
    public const string ProcessingErrorCode = "processing-error";
}

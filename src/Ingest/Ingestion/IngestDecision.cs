using Spumr.Core.Events;

namespace Spumr.Ingest.Ingestion;

public enum IngestOutcome
{
    /// <summary>Valid and new: write <see cref="IngestDecision.Value"/> to the canonical topic.</summary>
    Forward,

    /// <summary>Invalid: send the raw message to the dead-letter topic.</summary>
    Reject,

    /// <summary>Valid but already seen: drop it.</summary>
    Duplicate,
}

/// <summary>What to do with one raw message.</summary>
public sealed record IngestDecision(IngestOutcome Outcome, EventKind Kind, string? EventId, byte[]? Key, byte[]? Value, EventRejection? Rejection)
{
    public static IngestDecision Forward(EventKind kind, string eventId, byte[] key, byte[] value) => new(IngestOutcome.Forward, kind, eventId, key, value, null);

    public static IngestDecision Reject(EventKind kind, EventRejection rejection) => new(IngestOutcome.Reject, kind, null, null, null, rejection);

    public static IngestDecision Duplicate(EventKind kind, string eventId) => new(IngestOutcome.Duplicate, kind, eventId, null, null, null);
}

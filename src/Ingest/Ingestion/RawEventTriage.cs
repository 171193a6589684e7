using System.Text;
using Spumr.Core.Events;

namespace Spumr.Ingest.Ingestion;

/// <summary>
/// Decides each raw message's fate: canonical (valid and new), dead letter (invalid) or dropped
/// (a duplicate id). Canonical events are re-serialized, so unknown fields are dropped, and keyed
/// by user (interactions) or item (features) so each one's events stay in order on one partition.
/// </summary>
public sealed class RawEventTriage(EventValidator validator, EventIdWindow window)
{
    public IngestDecision Triage(EventKind kind, ReadOnlySpan<byte> payload)
    {
        switch (kind)
        {
            case EventKind.Interaction:
                {
                    var result = validator.DecodeInteraction(payload);
                    if (!result.IsAccepted)
                    {
                        return IngestDecision.Reject(kind, result.Rejection);
                    }

                    var value = result.Event;
                    return window.TryAdd(kind, value.EventId)
                        ? IngestDecision.Forward(kind, value.EventId, Encoding.UTF8.GetBytes(value.UserId), EventSerializer.Serialize(value))
                        : IngestDecision.Duplicate(kind, value.EventId);
                }

            case EventKind.ItemFeatures:
                {
                    var result = validator.DecodeItemFeatures(payload);
                    if (!result.IsAccepted)
                    {
                        return IngestDecision.Reject(kind, result.Rejection);
                    }

                    var value = result.Event;
                    return window.TryAdd(kind, value.EventId)
                        ? IngestDecision.Forward(kind, value.EventId, Encoding.UTF8.GetBytes(value.ItemId), EventSerializer.Serialize(value))
                        : IngestDecision.Duplicate(kind, value.EventId);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}

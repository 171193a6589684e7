using Spumr.Core.Embeddings;
using Spumr.Core.Events;
using Spumr.GraphMaintainer.State;

namespace Spumr.GraphMaintainer.Streaming;

/// <summary>A canonical message turned into an event the state can apply, or the reason it cannot be.</summary>
public readonly record struct DecodedEvent(InteractionEvent? Interaction, ItemFeaturesEvent? Features, EventRejection? Rejection)
{
    public bool IsAccepted => Rejection is null;
}

/// <summary>
/// Decodes canonical messages for the GraphMaintainer. Ingest validated them already, so a
/// rejection here means a producer bypassed Ingest or the services disagree on settings; one bad
/// message is set aside (dead-lettered by the caller) instead of stopping the stream. Beyond the
/// wire rules (<see cref="EventValidator"/>, with the state's modality widths), an event must pass
/// <see cref="GraphState.Validate(InteractionEvent)"/> (so a batch is never refused whole) and its
/// user and item ids must be usable as Redis keys (<see cref="ExternalId"/>), because the user's
/// seen items are stored under them.
/// </summary>
public sealed class CanonicalEventDecoder
{
    private readonly EventValidator _validator;
    private readonly GraphState _state;

    public CanonicalEventDecoder(GraphState state, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
        _validator = new EventValidator(Limits(state.Options), clock);
    }

    /// <summary>
    /// What the GraphMaintainer accepts: the state's modalities and widths; ids up to
    /// <see cref="ExternalId.MaxLength"/>; payloads up to Kafka's default message limit (Ingest's own
    /// limit is lower); timestamps in the far future too, because Ingest already judged them against
    /// its clock and a second clock must not decide differently.
    /// </summary>
    public static EventLimits Limits(GraphStateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new EventLimits
        {
            MaxPayloadBytes = 1024 * 1024,
            MaxIdLength = ExternalId.MaxLength,
            MaxFutureSkew = TimeSpan.FromDays(365 * 100),
            ModalityWidths = options.Modalities.ToDictionary(m => m.Name, m => m.Width, StringComparer.Ordinal),
        };
    }

    public DecodedEvent Decode(EventKind kind, ReadOnlySpan<byte> payload)
    {
        if (kind == EventKind.Interaction)
        {
            var decoded = _validator.DecodeInteraction(payload);
            if (!decoded.IsAccepted)
            {
                return Rejected(decoded.Rejection);
            }

            var e = decoded.Event;
            return KeyProblem("userId", e.UserId) ?? KeyProblem("itemId", e.ItemId) ?? StateProblem(() => _state.Validate(e)) ?? new DecodedEvent(e, null, null);
        }

        var features = _validator.DecodeItemFeatures(payload);
        if (!features.IsAccepted)
        {
            return Rejected(features.Rejection);
        }

        var f = features.Event;
        return KeyProblem("itemId", f.ItemId) ?? StateProblem(() => _state.Validate(f)) ?? new DecodedEvent(null, f, null);
    }

    private static DecodedEvent Rejected(EventRejection rejection) => new(null, null, rejection);

    private static DecodedEvent? KeyProblem(string field, string id) =>
        ExternalId.Problem(id) is { } problem
            ? Rejected(new EventRejection(RejectionReason.InvalidField, $"{field} {problem}, so it cannot name the user's seen-items key in Redis", field))
            : null;

    private static DecodedEvent? StateProblem(Action validate)
    {
        try
        {
            validate();
            return null;
        }
        catch (InvalidEventException e)
        {
            return Rejected(new EventRejection(RejectionReason.InvalidField, e.Message));
        }
    }
}

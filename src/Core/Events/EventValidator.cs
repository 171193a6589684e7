using System.Globalization;
using System.Text;

namespace Spumr.Core.Events;

/// <summary>
/// Turns payload bytes into typed events or a rejection naming what is wrong. Checks run in a fixed
/// order (size, JSON, schema version, type, required fields, field rules), so each bad payload has
/// exactly one reason. Thread-safe.
/// </summary>
public sealed class EventValidator
{
    private const int QuoteLimit = 40;

    private readonly EventLimits _limits;
    private readonly TimeProvider _clock;

    public EventValidator(EventLimits limits, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxPayloadBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxIdLength);
        foreach (var (modality, width) in limits.ModalityWidths)
        {
            if (width <= 0)
            {
                throw new ArgumentException($"Modality '{modality}' has width {width}; widths must be positive.", nameof(limits));
            }
        }

        _limits = limits;
        _clock = clock ?? TimeProvider.System;
    }

    public EventLimits Limits => _limits;

    public DecodeResult<InteractionEvent> DecodeInteraction(ReadOnlySpan<byte> payload)
    {
        var envelope = ReadEnvelope(payload, EventKind.Interaction, out var rejection);
        if (envelope is null)
        {
            return DecodeResult<InteractionEvent>.Reject(rejection!);
        }

        rejection = Missing(
            ("eventId", envelope.EventId is null),
            ("userId", envelope.UserId is null),
            ("itemId", envelope.ItemId is null),
            ("timestamp", envelope.Timestamp is null));
        if (rejection is not null)
        {
            return DecodeResult<InteractionEvent>.Reject(rejection);
        }

        var value = new InteractionEvent(envelope.EventId!, envelope.UserId!, envelope.ItemId!, envelope.Timestamp!.Value, envelope.Rating);
        rejection = Validate(value);
        return rejection is null ? DecodeResult<InteractionEvent>.Accept(value) : DecodeResult<InteractionEvent>.Reject(rejection);
    }

    public DecodeResult<ItemFeaturesEvent> DecodeItemFeatures(ReadOnlySpan<byte> payload)
    {
        var envelope = ReadEnvelope(payload, EventKind.ItemFeatures, out var rejection);
        if (envelope is null)
        {
            return DecodeResult<ItemFeaturesEvent>.Reject(rejection!);
        }

        rejection = Missing(
            ("eventId", envelope.EventId is null),
            ("itemId", envelope.ItemId is null),
            ("modality", envelope.Modality is null),
            ("vector", envelope.Vector is null));
        if (rejection is not null)
        {
            return DecodeResult<ItemFeaturesEvent>.Reject(rejection);
        }

        var value = new ItemFeaturesEvent(envelope.EventId!, envelope.ItemId!, envelope.Modality!, envelope.Vector!);
        rejection = Validate(value);
        return rejection is null ? DecodeResult<ItemFeaturesEvent>.Accept(value) : DecodeResult<ItemFeaturesEvent>.Reject(rejection);
    }

    /// <summary>The field rules for an interaction built in code; null when it is valid.</summary>
    public EventRejection? Validate(InteractionEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var rejection = CheckId("eventId", value.EventId) ?? CheckId("userId", value.UserId, keyId: true) ?? CheckId("itemId", value.ItemId, keyId: true);
        if (rejection is not null)
        {
            return rejection;
        }

        if (value.Timestamp < 0)
        {
            return Invalid("timestamp", $"timestamp {value.Timestamp} is negative; expected Unix seconds");
        }

        var latest = _clock.GetUtcNow() + _limits.MaxFutureSkew;
        if (value.Timestamp > latest.ToUnixTimeSeconds())
        {
            return Invalid(
                "timestamp",
                string.Create(CultureInfo.InvariantCulture, $"timestamp {value.Timestamp} lies after {latest:yyyy-MM-dd HH:mm} UTC; expected Unix seconds (milliseconds?)"));
        }

        if (value.Rating is { } rating && !float.IsFinite(rating))
        {
            return Invalid("rating", string.Create(CultureInfo.InvariantCulture, $"rating is {rating}; expected a finite number"));
        }

        return null;
    }

    /// <summary>The field rules for a feature event built in code; null when it is valid.</summary>
    public EventRejection? Validate(ItemFeaturesEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var rejection = CheckId("eventId", value.EventId) ?? CheckId("itemId", value.ItemId, keyId: true);
        if (rejection is not null)
        {
            return rejection;
        }

        if (value.Modality is null || !_limits.ModalityWidths.TryGetValue(value.Modality, out var width))
        {
            var known = _limits.ModalityWidths.Count == 0 ? "none are configured" : "known: " + string.Join(", ", _limits.ModalityWidths.Keys.Order(StringComparer.Ordinal));
            return new EventRejection(RejectionReason.UnknownModality, $"modality {Quote(value.Modality)} is not configured ({known})", "modality");
        }

        if (value.Vector is null)
        {
            return new EventRejection(RejectionReason.MissingField, "required field 'vector' is missing", "vector");
        }

        if (value.Vector.Length != width)
        {
            return new EventRejection(
                RejectionReason.WrongVectorWidth,
                string.Create(CultureInfo.InvariantCulture, $"vector has {value.Vector.Length} values; modality '{value.Modality}' has width {width}"),
                "vector");
        }

        var vector = value.Vector.AsSpan();
        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                return new EventRejection(
                    RejectionReason.NonFiniteVector,
                    string.Create(CultureInfo.InvariantCulture, $"vector[{i}] is {vector[i]}; every value must be finite"),
                    string.Create(CultureInfo.InvariantCulture, $"vector[{i}]"));
            }
        }

        return null;
    }

    private EventEnvelope? ReadEnvelope(ReadOnlySpan<byte> payload, EventKind expected, out EventRejection? rejection)
    {
        if (payload.Length > _limits.MaxPayloadBytes)
        {
            rejection = new EventRejection(
                RejectionReason.PayloadTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"payload has {payload.Length} bytes; the limit is {_limits.MaxPayloadBytes}"));
            return null;
        }

        var envelope = EventSerializer.Parse(payload, out rejection);
        if (envelope is null)
        {
            return null;
        }

        if (envelope.SchemaVersion is not { } version)
        {
            rejection = new EventRejection(RejectionReason.MissingField, "required field 'schemaVersion' is missing", "schemaVersion");
            return null;
        }

        if (version != EventSerializer.SchemaVersion)
        {
            rejection = EventSerializer.UnsupportedVersion(version.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        if (envelope.Type is null)
        {
            rejection = new EventRejection(RejectionReason.MissingField, "required field 'type' is missing", "type");
            return null;
        }

        var kind = EventSerializer.KindOf(envelope.Type);
        if (kind is null)
        {
            rejection = new EventRejection(
                RejectionReason.UnknownEventType,
                $"type {Quote(envelope.Type)} is unknown; expected '{EventSerializer.TypeName(expected)}'",
                "type");
            return null;
        }

        if (kind != expected)
        {
            rejection = new EventRejection(
                RejectionReason.WrongEventType,
                $"type '{envelope.Type}' does not belong here; expected '{EventSerializer.TypeName(expected)}'",
                "type");
            return null;
        }

        return envelope;
    }

    private static EventRejection? Missing(params ReadOnlySpan<(string Field, bool IsMissing)> fields)
    {
        List<string>? missing = null;
        foreach (var (field, isMissing) in fields)
        {
            if (isMissing)
            {
                (missing ??= []).Add(field);
            }
        }

        if (missing is null)
        {
            return null;
        }

        var message = missing.Count == 1
            ? $"required field '{missing[0]}' is missing"
            : $"required fields {string.Join(", ", missing.Select(f => $"'{f}'"))} are missing";
        return new EventRejection(RejectionReason.MissingField, message, missing[0]);
    }

    // User and item ids become Redis key names and URL path segments downstream (see
    // Spumr.Core.Embeddings.ExternalId), so they may not contain whitespace; event ids may.
    private EventRejection? CheckId(string field, string? id, bool keyId = false)
    {
        if (id is null)
        {
            return new EventRejection(RejectionReason.MissingField, $"required field '{field}' is missing", field);
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            return Invalid(field, $"{field} is empty");
        }

        if (id.Length > _limits.MaxIdLength)
        {
            return Invalid(field, string.Create(CultureInfo.InvariantCulture, $"{field} has {id.Length} characters; the limit is {_limits.MaxIdLength}"));
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (char.IsControl(c))
            {
                return Invalid(field, string.Create(CultureInfo.InvariantCulture, $"{field} has a control character (U+{(int)c:X4}) at position {i}"));
            }

            if (keyId && char.IsWhiteSpace(c))
            {
                return Invalid(field, string.Create(CultureInfo.InvariantCulture, $"{field} has whitespace at position {i}; user and item ids may not contain spaces"));
            }

            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1])))
            {
                return Invalid(field, string.Create(CultureInfo.InvariantCulture, $"{field} has an unpaired surrogate at position {i}"));
            }

            if (char.IsHighSurrogate(c))
            {
                i++;
            }
        }

        return null;
    }

    private static EventRejection Invalid(string field, string message) => new(RejectionReason.InvalidField, message, field);

    /// <summary>A producer-supplied string, shortened and with control characters escaped, safe for logs.</summary>
    private static string Quote(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var text = new StringBuilder("'");
        foreach (var c in value.Length > QuoteLimit ? value[..QuoteLimit] : value)
        {
            if (char.IsControl(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Append(value.Length > QuoteLimit ? "...'" : "'").ToString();
    }
}

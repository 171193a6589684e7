using System.Text.Json;

namespace Spumr.Core.Events;

/// <summary>
/// The one serializer for Spumr's events (wire format: docs/events.md). Writes the current schema
/// version; reads bytes into the wire envelope and classifies JSON-level failures. Field rules
/// live in <see cref="EventValidator"/>, which is what consumers call.
/// </summary>
public static class EventSerializer
{
    /// <summary>The schema version this build writes and reads.</summary>
    public const int SchemaVersion = 1;

    public const string InteractionType = "interaction";
    public const string ItemFeaturesType = "item-features";

    public static string TypeName(EventKind kind) => kind switch
    {
        EventKind.Interaction => InteractionType,
        EventKind.ItemFeatures => ItemFeaturesType,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static EventKind? KindOf(string typeName) => typeName switch
    {
        InteractionType => EventKind.Interaction,
        ItemFeaturesType => EventKind.ItemFeatures,
        _ => null,
    };

    public static byte[] Serialize(InteractionEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.SerializeToUtf8Bytes(
            new EventEnvelope
            {
                SchemaVersion = SchemaVersion,
                Type = InteractionType,
                EventId = value.EventId,
                UserId = value.UserId,
                ItemId = value.ItemId,
                Timestamp = value.Timestamp,
                Rating = value.Rating,
            },
            EventJsonContext.Default.EventEnvelope);
    }

    public static byte[] Serialize(ItemFeaturesEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.SerializeToUtf8Bytes(
            new EventEnvelope
            {
                SchemaVersion = SchemaVersion,
                Type = ItemFeaturesType,
                EventId = value.EventId,
                ItemId = value.ItemId,
                Modality = value.Modality,
                Vector = value.Vector,
            },
            EventJsonContext.Default.EventEnvelope);
    }

    /// <summary>Parses a payload into the envelope, or says why it is not a readable event.</summary>
    internal static EventEnvelope? Parse(ReadOnlySpan<byte> payload, out EventRejection? rejection)
    {
        rejection = null;
        if (payload.IsEmpty)
        {
            rejection = new EventRejection(RejectionReason.MalformedJson, "payload is empty; expected a JSON object");
            return null;
        }

        try
        {
            var envelope = JsonSerializer.Deserialize(payload, EventJsonContext.Default.EventEnvelope);
            if (envelope is null)
            {
                rejection = new EventRejection(RejectionReason.MalformedJson, "payload is JSON null; expected a JSON object");
            }

            return envelope;
        }
        catch (JsonException e)
        {
            rejection = Classify(payload, e);
            return null;
        }
    }

    // Runs only on the failure path: a second look at the bytes tells a syntax error from a
    // well-formed object with a mistyped field, and finds a newer schema version whose fields
    // this build cannot read.
    private static EventRejection Classify(ReadOnlySpan<byte> payload, JsonException error)
    {
        // The reader checks structure only; string contents are decoded (and found broken) later.
        if (!System.Text.Unicode.Utf8.IsValid(payload))
        {
            return new EventRejection(RejectionReason.MalformedJson, "payload is not valid UTF-8");
        }

        if (!TryReadTopLevel(payload, out var isObject, out var version))
        {
            var where = error.LineNumber is { } line && error.BytePositionInLine is { } col
                ? $" at line {line + 1}, byte {col + 1}"
                : "";
            return new EventRejection(RejectionReason.MalformedJson, $"payload is not well-formed JSON{where}");
        }

        if (!isObject)
        {
            return new EventRejection(RejectionReason.MalformedJson, "payload is JSON but not an object");
        }

        if (version is { } v && v != SchemaVersion)
        {
            return UnsupportedVersion(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var field = FieldOf(error.Path);
        var expected = ExpectedShape(field);
        return new EventRejection(
            RejectionReason.InvalidField,
            field is null ? "payload has a value of the wrong JSON type" : $"field '{field}' must be {expected}",
            field);
    }

    internal static EventRejection UnsupportedVersion(string version) => new(
        RejectionReason.UnsupportedSchemaVersion,
        $"schemaVersion {version} is not supported; this build reads version {SchemaVersion}",
        "schemaVersion");

    private static bool TryReadTopLevel(ReadOnlySpan<byte> payload, out bool isObject, out decimal? version)
    {
        isObject = false;
        version = null;
        var reader = new Utf8JsonReader(payload);
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            isObject = reader.TokenType == JsonTokenType.StartObject;
            if (isObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isVersion = reader.ValueTextEquals("schemaVersion"u8);
                    reader.Read();
                    if (isVersion && reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var v))
                    {
                        version = v;
                    }

                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }

            // Anything after the first value makes the payload malformed.
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The field named by a JSON path such as <c>$.vector[3]</c> or <c>$['odd name']</c>.</summary>
    private static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        if (path.StartsWith("$.", StringComparison.Ordinal))
        {
            return path[2..];
        }

        if (path.StartsWith("$['", StringComparison.Ordinal))
        {
            var end = path.IndexOf("']", StringComparison.Ordinal);
            return end > 3 ? path[3..end] + path[(end + 2)..] : path;
        }

        return path;
    }

    private static string ExpectedShape(string? field)
    {
        var name = field is null ? "" : field.Split('[', '.')[0];
        return name switch
        {
            "schemaVersion" => "an integer",
            "timestamp" => "an integer number of Unix seconds",
            "rating" => "a number",
            "vector" => "an array of float32 numbers",
            _ => "a string of valid Unicode text",
        };
    }
}

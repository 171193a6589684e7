using System.Text.Json.Serialization;

namespace Spumr.Core.Events;

/// <summary>
/// The wire shape of every event: one flat JSON object, the union of all event types' fields.
/// Every field is nullable so that a missing field is a validation result, not a parse error.
/// </summary>
internal sealed class EventEnvelope
{
    public int? SchemaVersion { get; set; }

    public string? Type { get; set; }

    public string? EventId { get; set; }

    public string? UserId { get; set; }

    public string? ItemId { get; set; }

    public long? Timestamp { get; set; }

    // Named literals ("NaN", "Infinity") are read so that a producer that writes them gets a
    // precise rejection instead of a generic parse error; the validator refuses them.
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public float? Rating { get; set; }

    public string? Modality { get; set; }

    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public float[]? Vector { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventEnvelope))]
internal sealed partial class EventJsonContext : JsonSerializerContext;

using System.Text;
using System.Text.Json;
using Spumr.Core.Events;

namespace Spumr.Core.Tests.Events;

public sealed class EventSerializerTests
{
    private static readonly EventValidator Validator = new(
        new EventLimits { ModalityWidths = new Dictionary<string, int> { ["image"] = 4, ["text"] = 2 } },
        new FixedClock(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Interaction_is_written_as_versioned_camel_case_json_with_unix_seconds()
    {
        var bytes = EventSerializer.Serialize(new InteractionEvent("e-1", "A3FX", "B00Q", 1_400_000_000, 4));

        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("interaction", root.GetProperty("type").GetString());
        Assert.Equal("e-1", root.GetProperty("eventId").GetString());
        Assert.Equal("A3FX", root.GetProperty("userId").GetString());
        Assert.Equal("B00Q", root.GetProperty("itemId").GetString());
        Assert.Equal(1_400_000_000, root.GetProperty("timestamp").GetInt64());
        Assert.Equal(4f, root.GetProperty("rating").GetSingle());
        Assert.Equal(7, root.EnumerateObject().Count());
        Assert.StartsWith("{\"schemaVersion\":1,\"type\":\"interaction\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Absent_rating_is_left_out_of_the_json()
    {
        var json = Encoding.UTF8.GetString(EventSerializer.Serialize(new InteractionEvent("e", "u", "i", 5)));

        Assert.DoesNotContain("rating", json, StringComparison.Ordinal);
        Assert.DoesNotContain("vector", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Interaction_round_trips_through_the_validator()
    {
        var original = new InteractionEvent("baby/inter/7", "A1", "B2", 1_300_000_000, 2.5f);

        var decoded = Validator.DecodeInteraction(EventSerializer.Serialize(original));

        Assert.True(decoded.IsAccepted, decoded.ToString());
        Assert.Equal(original, decoded.Event);
    }

    [Fact]
    public void Interaction_without_rating_round_trips()
    {
        var original = new InteractionEvent("e", "u", "i", 0);

        var decoded = Validator.DecodeInteraction(EventSerializer.Serialize(original));

        Assert.True(decoded.IsAccepted, decoded.ToString());
        Assert.Null(decoded.Event.Rating);
    }

    [Fact]
    public void Item_features_round_trip_bit_exactly()
    {
        float[] vector = [0.1f, -1e-30f, float.Epsilon, 3.4028235e38f];
        var original = new ItemFeaturesEvent("f-1", "B00Q", "image", vector);

        var bytes = EventSerializer.Serialize(original);
        var decoded = Validator.DecodeItemFeatures(bytes);

        Assert.True(decoded.IsAccepted, decoded.ToString());
        Assert.Equal("f-1", decoded.Event.EventId);
        Assert.Equal("B00Q", decoded.Event.ItemId);
        Assert.Equal("image", decoded.Event.Modality);
        Assert.Equal(vector, decoded.Event.Vector);
        using var doc = JsonDocument.Parse(bytes);
        Assert.Equal("item-features", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("vector").ValueKind);
    }

    [Fact]
    public void Unknown_fields_are_ignored_within_a_schema_version()
    {
        var json = """{"schemaVersion":1,"type":"interaction","eventId":"e","userId":"u","itemId":"i","timestamp":5,"source":"web"}""";

        Assert.True(Validator.DecodeInteraction(Encoding.UTF8.GetBytes(json)).IsAccepted);
    }

    [Theory]
    [InlineData(EventKind.Interaction, "interaction")]
    [InlineData(EventKind.ItemFeatures, "item-features")]
    public void Type_names_map_both_ways(EventKind kind, string name)
    {
        Assert.Equal(name, EventSerializer.TypeName(kind));
        Assert.Equal(kind, EventSerializer.KindOf(name));
    }

    [Fact]
    public void Rejection_codes_are_distinct_kebab_case()
    {
        var codes = Enum.GetValues<RejectionReason>().Select(EventRejection.CodeOf).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z]+(-[a-z]+)*$", c));
    }
}

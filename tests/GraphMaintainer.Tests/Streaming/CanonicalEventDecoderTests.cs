using System.Text;
using Spumr.Core.Events;
using Spumr.GraphMaintainer.State;
using Spumr.GraphMaintainer.Streaming;

namespace Spumr.GraphMaintainer.Tests.Streaming;

public sealed class CanonicalEventDecoderTests
{
    private readonly CanonicalEventDecoder _decoder = new(new GraphState(new GraphStateOptions
    {
        Modalities = [new ModalitySpec("image", 3), new ModalitySpec("text", 2)],
    }));

    [Fact]
    public void Good_events_decode()
    {
        var interaction = new InteractionEvent("e1", "U1", "I1", 1_300_000_000, 4);
        var features = new ItemFeaturesEvent("f1", "I1", "text", [0.5f, -1]);

        var a = _decoder.Decode(EventKind.Interaction, EventSerializer.Serialize(interaction));
        var b = _decoder.Decode(EventKind.ItemFeatures, EventSerializer.Serialize(features));

        Assert.True(a.IsAccepted);
        Assert.Equal(interaction, a.Interaction);
        Assert.True(b.IsAccepted);
        Assert.Equal(features.Vector, b.Features!.Vector);
    }

    [Fact]
    public void A_timestamp_far_in_the_future_is_left_to_Ingest()
    {
        var e = new InteractionEvent("e1", "U1", "I1", DateTimeOffset.UtcNow.AddYears(20).ToUnixTimeSeconds());
        Assert.True(_decoder.Decode(EventKind.Interaction, EventSerializer.Serialize(e)).IsAccepted);
    }

    [Theory]
    [InlineData("{not json", "malformed-json", null, "")]
    [InlineData("""{"schemaVersion":1,"type":"item-features","eventId":"f","itemId":"I","modality":"image","vector":[1]}""", "wrong-event-type", "type", "")]
    [InlineData("""{"schemaVersion":1,"type":"interaction","eventId":"e","userId":"U 1","itemId":"I","timestamp":1}""", "invalid-field", "userId", "seen-items key in Redis")]
    [InlineData("""{"schemaVersion":1,"type":"interaction","eventId":"e","userId":"U","itemId":"I\u2003x","timestamp":1}""", "invalid-field", "itemId", "whitespace")]
    public void Bad_interactions_are_refused_with_the_reason(string json, string code, string? field, string text)
    {
        var decoded = _decoder.Decode(EventKind.Interaction, Encoding.UTF8.GetBytes(json));

        Assert.False(decoded.IsAccepted);
        Assert.Equal(code, decoded.Rejection!.Code);
        Assert.Equal(field, decoded.Rejection.Field);
        Assert.Contains(text, decoded.Rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"schemaVersion":1,"type":"item-features","eventId":"f","itemId":"I","modality":"audio","vector":[1,2]}""", "unknown-modality", "modality 'audio' is not configured")]
    [InlineData("""{"schemaVersion":1,"type":"item-features","eventId":"f","itemId":"I","modality":"image","vector":[1,2]}""", "wrong-vector-width", "vector has 2 values; modality 'image' has width 3")]
    [InlineData("""{"schemaVersion":1,"type":"item-features","eventId":"f","itemId":"I","modality":"text","vector":[1,"NaN"]}""", "non-finite-vector", "vector[1]")]
    public void Bad_feature_events_are_refused_with_the_reason(string json, string code, string text)
    {
        var decoded = _decoder.Decode(EventKind.ItemFeatures, Encoding.UTF8.GetBytes(json));

        Assert.False(decoded.IsAccepted);
        Assert.Equal(code, decoded.Rejection!.Code);
        Assert.Contains(text, decoded.Rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_state_rules_are_checked_per_event()
    {
        var state = new GraphState(new GraphStateOptions { Modalities = [new ModalitySpec("image", 2)] });
        Assert.Contains("modality 'text' is not configured", Assert.Throws<InvalidEventException>(() => state.Validate(new ItemFeaturesEvent("f", "I", "text", [1, 2]))).Message, StringComparison.Ordinal);
        Assert.Contains("Event 'e': user id is empty", Assert.Throws<InvalidEventException>(() => state.Validate(new InteractionEvent("e", " ", "I", 1))).Message, StringComparison.Ordinal);
        state.Validate(new InteractionEvent("e", "U", "I", 1));
        Assert.Equal(0, state.UserCount);
    }
}

using System.Text;
using Spumr.Core.Events;
using Spumr.Ingest.Ingestion;

namespace Spumr.Ingest.Tests.Ingestion;

public sealed class RawEventTriageTests
{
    private readonly RawEventTriage _triage = new(
        new EventValidator(new EventLimits { ModalityWidths = new Dictionary<string, int> { ["text"] = 2 } }),
        new EventIdWindow(100));

    [Fact]
    public void Valid_interaction_is_forwarded_keyed_by_user_and_normalized()
    {
        var raw = """{ "type":"interaction", "schemaVersion":1, "eventId":"e1", "userId":"U1", "itemId":"I1", "timestamp":5, "extra":[1,2] }""";

        var decision = _triage.Triage(EventKind.Interaction, Encoding.UTF8.GetBytes(raw));

        Assert.Equal(IngestOutcome.Forward, decision.Outcome);
        Assert.Equal("e1", decision.EventId);
        Assert.Equal("U1", Encoding.UTF8.GetString(decision.Key!));
        Assert.Equal("""{"schemaVersion":1,"type":"interaction","eventId":"e1","userId":"U1","itemId":"I1","timestamp":5}""", Encoding.UTF8.GetString(decision.Value!));
    }

    [Fact]
    public void Valid_features_are_forwarded_keyed_by_item()
    {
        var bytes = EventSerializer.Serialize(new ItemFeaturesEvent("f1", "I9", "text", [0.5f, 1]));

        var decision = _triage.Triage(EventKind.ItemFeatures, bytes);

        Assert.Equal(IngestOutcome.Forward, decision.Outcome);
        Assert.Equal("I9", Encoding.UTF8.GetString(decision.Key!));
        Assert.Equal(bytes, decision.Value);
    }

    [Fact]
    public void Repeated_event_id_is_a_duplicate_and_not_forwarded_again()
    {
        var bytes = EventSerializer.Serialize(new InteractionEvent("e1", "U1", "I1", 5));

        Assert.Equal(IngestOutcome.Forward, _triage.Triage(EventKind.Interaction, bytes).Outcome);
        var again = _triage.Triage(EventKind.Interaction, bytes);

        Assert.Equal(IngestOutcome.Duplicate, again.Outcome);
        Assert.Null(again.Value);
    }

    [Fact]
    public void Invalid_event_is_rejected_with_its_reason_and_does_not_enter_the_window()
    {
        var bad = EventSerializer.Serialize(new InteractionEvent("e1", "", "I1", 5));
        var good = EventSerializer.Serialize(new InteractionEvent("e1", "U1", "I1", 5));

        var decision = _triage.Triage(EventKind.Interaction, bad);

        Assert.Equal(IngestOutcome.Reject, decision.Outcome);
        Assert.Equal("invalid-field", decision.Rejection!.Code);
        Assert.Equal(IngestOutcome.Forward, _triage.Triage(EventKind.Interaction, good).Outcome);
    }

    [Fact]
    public void Event_on_the_wrong_topic_is_rejected()
    {
        var decision = _triage.Triage(EventKind.ItemFeatures, EventSerializer.Serialize(new InteractionEvent("e1", "U1", "I1", 5)));

        Assert.Equal(IngestOutcome.Reject, decision.Outcome);
        Assert.Equal("wrong-event-type", decision.Rejection!.Code);
    }
}

using System.Text;
using Spumr.Core.Events;

namespace Spumr.Core.Tests.Events;

/// <summary>Every way a payload can be refused, each checked for its reason code and a message naming the problem.</summary>
public sealed class EventValidatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly EventValidator Validator = new(
        new EventLimits
        {
            MaxPayloadBytes = 2048,
            MaxIdLength = 16,
            ModalityWidths = new Dictionary<string, int> { ["image"] = 4, ["text"] = 2 },
        },
        new FixedClock(Now));

    private const string GoodInteraction = """{"schemaVersion":1,"type":"interaction","eventId":"e1","userId":"u1","itemId":"i1","timestamp":1400000000,"rating":5}""";
    private const string GoodFeatures = """{"schemaVersion":1,"type":"item-features","eventId":"f1","itemId":"i1","modality":"image","vector":[0.5,-0.5,0.25,0]}""";

    [Fact]
    public void Good_payloads_are_accepted()
    {
        Assert.True(Interaction(GoodInteraction).IsAccepted);
        Assert.True(Features(GoodFeatures).IsAccepted);
    }

    [Fact]
    public void Oversized_payload_is_refused_before_parsing()
    {
        // Not even JSON: the size check must come first so a huge payload is never parsed.
        var payload = new byte[2049];
        Array.Fill(payload, (byte)'{');

        var result = Validator.DecodeInteraction(payload);

        AssertRejected(result.Rejection, RejectionReason.PayloadTooLarge, "payload-too-large", "2049 bytes", "2048");
    }

    [Fact]
    public void Payload_exactly_at_the_limit_is_parsed()
    {
        var padding = new string(' ', 2048 - GoodInteraction.Length);

        Assert.True(Interaction(GoodInteraction + padding).IsAccepted);
    }

    [Theory]
    [InlineData("""{"schemaVersion":1,"type":"interaction",""", "not well-formed")]
    [InlineData("""not json""", "not well-formed")]
    [InlineData("""{"schemaVersion":1} trailing""", "not well-formed")]
    [InlineData("""[1,2,3]""", "not an object")]
    [InlineData("""null""", "JSON null")]
    [InlineData("", "empty")]
    [InlineData("""{"schemaVersion":1,"type":"item-features","vector":[NaN]}""", "not well-formed")]
    public void Malformed_json_is_refused(string json, string expectedInMessage)
    {
        var result = Interaction(json);

        AssertRejected(result.Rejection, RejectionReason.MalformedJson, "malformed-json", expectedInMessage);
    }

    [Fact]
    public void Invalid_utf8_is_malformed_json()
    {
        var bytes = Encoding.UTF8.GetBytes(GoodInteraction.Replace("u1", "u\u00e9", StringComparison.Ordinal));
        var at = Array.IndexOf(bytes, (byte)0xC3);
        bytes[at + 1] = 0x28; // breaks the two-byte sequence for é

        AssertRejected(Validator.DecodeInteraction(bytes).Rejection, RejectionReason.MalformedJson, "malformed-json", "UTF-8");
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"type":"interaction","eventId":"e1","userId":"u1","itemId":"i1","timestamp":1}""", "schemaVersion 2")]
    [InlineData("""{"schemaVersion":0,"type":"interaction"}""", "schemaVersion 0")]
    // A newer version may change field types; the version must still be the reason given.
    [InlineData("""{"schemaVersion":3,"type":"interaction","eventId":"e1","userId":"u1","itemId":"i1","timestamp":"2024-01-01"}""", "schemaVersion 3")]
    public void Unknown_schema_version_is_refused(string json, string expectedInMessage)
    {
        var result = Interaction(json);

        AssertRejected(result.Rejection, RejectionReason.UnsupportedSchemaVersion, "unsupported-schema-version", expectedInMessage, "version 1");
        Assert.Equal("schemaVersion", result.Rejection!.Field);
    }

    [Fact]
    public void Unknown_event_type_is_refused()
    {
        var result = Interaction(GoodInteraction.Replace("\"interaction\"", "\"click\"", StringComparison.Ordinal));

        AssertRejected(result.Rejection, RejectionReason.UnknownEventType, "unknown-event-type", "'click'", "'interaction'");
    }

    [Fact]
    public void Event_of_another_topic_is_refused()
    {
        AssertRejected(Interaction(GoodFeatures).Rejection, RejectionReason.WrongEventType, "wrong-event-type", "'item-features'", "expected 'interaction'");
        AssertRejected(Features(GoodInteraction).Rejection, RejectionReason.WrongEventType, "wrong-event-type", "'interaction'", "expected 'item-features'");
    }

    [Theory]
    [InlineData("schemaVersion")]
    [InlineData("type")]
    [InlineData("eventId")]
    [InlineData("userId")]
    [InlineData("itemId")]
    [InlineData("timestamp")]
    public void Missing_interaction_field_is_named(string field)
    {
        var result = Interaction(Without(GoodInteraction, field));

        AssertRejected(result.Rejection, RejectionReason.MissingField, "missing-field", $"'{field}'");
        Assert.Equal(field, result.Rejection!.Field);
    }

    [Theory]
    [InlineData("eventId")]
    [InlineData("itemId")]
    [InlineData("modality")]
    [InlineData("vector")]
    public void Missing_feature_field_is_named(string field)
    {
        var result = Features(Without(GoodFeatures, field));

        AssertRejected(result.Rejection, RejectionReason.MissingField, "missing-field", $"'{field}'");
    }

    [Fact]
    public void Null_counts_as_missing_and_every_missing_field_is_listed()
    {
        var result = Interaction("""{"schemaVersion":1,"type":"interaction","eventId":"e","userId":null}""");

        AssertRejected(result.Rejection, RejectionReason.MissingField, "missing-field", "'userId'", "'itemId'", "'timestamp'");
        Assert.Equal("userId", result.Rejection!.Field);
    }

    [Fact]
    public void Rating_is_optional()
    {
        Assert.True(Interaction(Without(GoodInteraction, "rating")).IsAccepted);
    }

    [Theory]
    [InlineData("eventId", "", "eventId is empty")]
    [InlineData("userId", "   ", "userId is empty")]
    [InlineData("itemId", "0123456789abcdefX", "itemId has 17 characters; the limit is 16")]
    [InlineData("userId", "u\u0007x", "control character (U+0007) at position 1")]
    [InlineData("eventId", "a\u0000", "control character (U+0000)")]
    [InlineData("itemId", "i\u009f", "control character (U+009F)")]
    [InlineData("userId", "a b", "userId has whitespace at position 1")]
    [InlineData("itemId", "x\u00a0y", "itemId has whitespace at position 1")]
    public void Bad_ids_are_invalid_fields(string field, string value, string expectedInMessage)
    {
        var json = GoodInteraction.Replace($"\"{field}\":\"{Default(field)}\"", $"\"{field}\":{System.Text.Json.JsonSerializer.Serialize(value)}", StringComparison.Ordinal);

        var result = Interaction(json);

        AssertRejected(result.Rejection, RejectionReason.InvalidField, "invalid-field", expectedInMessage);
        Assert.Equal(field, result.Rejection!.Field);
    }

    [Fact]
    public void Event_ids_may_contain_spaces()
    {
        var json = GoodInteraction.Replace($"\"eventId\":\"{Default("eventId")}\"", "\"eventId\":\"replay 7\"", StringComparison.Ordinal);

        Assert.True(Interaction(json).IsAccepted);
    }

    [Fact]
    public void Id_with_an_unpaired_surrogate_is_an_invalid_field()
    {
        // Written as a JSON escape: a lone surrogate cannot live in a C# attribute argument.
        var result = Interaction(GoodInteraction.Replace("\"u1\"", "\"x\\ud800y\"", StringComparison.Ordinal));

        AssertRejected(result.Rejection, RejectionReason.InvalidField, "invalid-field", "'userId'", "valid Unicode");
        AssertRejected(Validator.Validate(new InteractionEvent("e", "x\ud800y", "i", 1)), RejectionReason.InvalidField, "invalid-field", "userId has an unpaired surrogate at position 1");
    }

    [Fact]
    public void Id_at_the_length_limit_and_with_a_surrogate_pair_is_fine()
    {
        var json = GoodInteraction.Replace("\"u1\"", "\"0123456789abcd\\ud83d\\ude00\"", StringComparison.Ordinal);

        Assert.True(Interaction(json).IsAccepted, Interaction(json).ToString());
    }

    [Theory]
    [InlineData("-1", "negative")]
    [InlineData("1735776000000", "milliseconds?")]
    [InlineData("\"1400000000\"", "integer number of Unix seconds")]
    [InlineData("1.4e9", "integer number of Unix seconds")]
    [InlineData("99999999999999999999", "integer number of Unix seconds")]
    public void Bad_timestamps_are_invalid_fields(string value, string expectedInMessage)
    {
        var result = Interaction(GoodInteraction.Replace("1400000000", value, StringComparison.Ordinal));

        AssertRejected(result.Rejection, RejectionReason.InvalidField, "invalid-field", "timestamp", expectedInMessage);
        Assert.Equal("timestamp", result.Rejection!.Field);
    }

    [Fact]
    public void Timestamp_up_to_the_allowed_skew_is_accepted_and_beyond_it_refused()
    {
        var edge = Now.AddDays(1).ToUnixTimeSeconds();

        Assert.True(Interaction(GoodInteraction.Replace("1400000000", edge.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).IsAccepted);
        Assert.False(Interaction(GoodInteraction.Replace("1400000000", (edge + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).IsAccepted);
    }

    [Theory]
    [InlineData("\"NaN\"", "NaN")]
    [InlineData("\"Infinity\"", "Infinity")]
    [InlineData("\"-Infinity\"", "-Infinity")]
    public void Non_finite_rating_is_an_invalid_field(string value, string shown)
    {
        var result = Interaction(GoodInteraction.Replace("\"rating\":5", $"\"rating\":{value}", StringComparison.Ordinal));

        AssertRejected(result.Rejection, RejectionReason.InvalidField, "invalid-field", $"rating is {shown}", "finite");
        Assert.Equal("rating", result.Rejection!.Field);
    }

    [Fact]
    public void Rating_of_the_wrong_type_is_an_invalid_field()
    {
        var result = Interaction(GoodInteraction.Replace("\"rating\":5", "\"rating\":\"five\"", StringComparison.Ordinal));

        AssertRejected(result.Rejection, RejectionReason.InvalidField, "invalid-field", "'rating'", "a number");
    }

    [Theory]
    [InlineData("\"NaN\"", 1, "NaN")]
    [InlineData("\"Infinity\"", 1, "Infinity")]
    [InlineData("\"-Infinity\"", 1, "-Infinity")]
    public void Non_finite_vector_value_is_refused_with_its_index(string value, int index, string shown)
    {
        var result = Features(GoodFeatures.Replace("-0.5", value, StringComparison.Ordinal));

        AssertRejected(result.Rejection, RejectionReason.NonFiniteVector, "non-finite-vector", $"vector[{index}] is {shown}");
        Assert.Equal($"vector[{index}]", result.Rejection!.Field);
    }

    [Fact]
    public void Vector_value_beyond_float32_is_an_invalid_field()
    {
        var result = Features(GoodFeatures.Replace("0.25", "1e39", StringComparison.Ordinal));

        Assert.False(result.IsAccepted);
        Assert.Contains("vector[2]", result.Rejection!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[0.5,0.5,0.5]", "vector has 3 values; modality 'image' has width 4")]
    [InlineData("[0.5,0.5,0.5,0.5,0.5]", "vector has 5 values; modality 'image' has width 4")]
    [InlineData("[]", "vector has 0 values")]
    public void Wrong_vector_width_is_refused(string vector, string expectedInMessage)
    {
        var result = Features(GoodFeatures.Replace("[0.5,-0.5,0.25,0]", vector, StringComparison.Ordinal));

        AssertRejected(result.Rejection, RejectionReason.WrongVectorWidth, "wrong-vector-width", expectedInMessage);
    }

    [Fact]
    public void Width_is_checked_per_modality()
    {
        var text = GoodFeatures.Replace("\"image\"", "\"text\"", StringComparison.Ordinal).Replace("[0.5,-0.5,0.25,0]", "[1,0]", StringComparison.Ordinal);

        Assert.True(Features(text).IsAccepted);
    }

    [Fact]
    public void Vector_of_the_wrong_type_names_the_element()
    {
        var result = Features(GoodFeatures.Replace("0.25", "\"x\"", StringComparison.Ordinal));

        AssertRejected(result.Rejection, RejectionReason.InvalidField, "invalid-field", "'vector[2]'", "float32");
    }

    [Theory]
    [InlineData("audio")]
    [InlineData("Image")]
    public void Unknown_modality_is_refused_and_the_known_ones_listed(string modality)
    {
        var result = Features(GoodFeatures.Replace("\"image\"", $"\"{modality}\"", StringComparison.Ordinal));

        AssertRejected(result.Rejection, RejectionReason.UnknownModality, "unknown-modality", $"'{modality}'", "image, text");
    }

    [Fact]
    public void Producer_strings_in_messages_are_shortened_and_escaped()
    {
        var result = Features(GoodFeatures.Replace("\"image\"", "\"a\\u0001" + new string('m', 100) + "\"", StringComparison.Ordinal));

        Assert.Equal(RejectionReason.UnknownModality, result.Rejection!.Reason);
        Assert.Contains("a\\u0001mmm", result.Rejection.Message, StringComparison.Ordinal);
        Assert.Contains("...'", result.Rejection.Message, StringComparison.Ordinal);
        Assert.True(result.Rejection.Message.Length < 120, result.Rejection.Message);
    }

    [Fact]
    public void Events_built_in_code_are_checked_by_the_same_rules()
    {
        Assert.Null(Validator.Validate(new InteractionEvent("e", "u", "i", 1, 3)));
        Assert.Equal(RejectionReason.InvalidField, Validator.Validate(new InteractionEvent("e", "", "i", 1))!.Reason);
        Assert.Equal(RejectionReason.NonFiniteVector, Validator.Validate(new ItemFeaturesEvent("e", "i", "text", [1, float.NaN]))!.Reason);
        Assert.Equal(RejectionReason.WrongVectorWidth, Validator.Validate(new ItemFeaturesEvent("e", "i", "text", [1]))!.Reason);
    }

    [Fact]
    public void Nonpositive_modality_width_is_a_configuration_error()
    {
        var e = Assert.Throws<ArgumentException>(() => new EventValidator(new EventLimits { ModalityWidths = new Dictionary<string, int> { ["image"] = 0 } }));

        Assert.Contains("'image'", e.Message, StringComparison.Ordinal);
    }

    private static DecodeResult<InteractionEvent> Interaction(string json) => Validator.DecodeInteraction(Encoding.UTF8.GetBytes(json));

    private static DecodeResult<ItemFeaturesEvent> Features(string json) => Validator.DecodeItemFeatures(Encoding.UTF8.GetBytes(json));

    private static void AssertRejected(EventRejection? rejection, RejectionReason reason, string code, params string[] inMessage)
    {
        Assert.NotNull(rejection);
        Assert.Equal(reason, rejection.Reason);
        Assert.Equal(code, rejection.Code);
        foreach (var part in inMessage)
        {
            Assert.Contains(part, rejection.Message, StringComparison.Ordinal);
        }
    }

    private static string Default(string field) => field switch
    {
        "eventId" => "e1",
        "userId" => "u1",
        "itemId" => "i1",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>Removes one top-level field from a flat JSON object.</summary>
    private static string Without(string json, string field)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        Assert.True(node.Remove(field));
        return node.ToJsonString();
    }
}

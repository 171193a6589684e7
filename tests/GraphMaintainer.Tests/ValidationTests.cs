using Spumr.Core.Events;
using Spumr.GraphMaintainer.Graphs;
using Spumr.GraphMaintainer.State;

namespace Spumr.GraphMaintainer.Tests;

public sealed class ValidationTests
{
    public static TheoryData<InteractionEvent, string> BadInteractions => new()
    {
        { new InteractionEvent("", "u", "i", 1), "Event '': event id is empty" },
        { new InteractionEvent("e1", " ", "i", 1), "Event 'e1': user id is empty" },
        { new InteractionEvent("e2", "u", "", 1), "Event 'e2': item id is empty" },
        { new InteractionEvent("e3", "u", "i", 1, float.PositiveInfinity), "Event 'e3': rating Infinity is not a finite number" },
    };

    public static TheoryData<ItemFeaturesEvent, string> BadFeatures => new()
    {
        { new ItemFeaturesEvent("f1", "i", "audio", [1, 2, 3]), "Event 'f1': modality 'audio' is not configured (configured: image, text)" },
        { new ItemFeaturesEvent("f2", "i", "image", [1, 2, 3, 4]), "Event 'f2': vector for modality 'image' has 4 values; the modality's width is 5" },
        { new ItemFeaturesEvent("f3", "i", "text", [1, float.NaN, 3]), "Event 'f3': vector value 1 is NaN, not a finite number" },
        { new ItemFeaturesEvent("f4", "", "text", [1, 2, 3]), "Event 'f4': item id is empty" },
    };

    [Theory]
    [MemberData(nameof(BadInteractions))]
    public void Bad_interactions_are_rejected_naming_event_and_problem(InteractionEvent bad, string message)
    {
        var state = IncrementalEquivalenceTests.NewState(3);
        var e = Assert.Throws<InvalidEventException>(() => state.ApplyBatch([new InteractionEvent("ok", "u", "i", 1), bad], []));
        Assert.Equal(message, e.Message);
        Assert.Equal(0, state.UserCount); // the whole batch was refused
        Assert.Equal(0, state.AppliedEventCount);
    }

    [Theory]
    [MemberData(nameof(BadFeatures))]
    public void Bad_feature_events_are_rejected_naming_event_and_problem(ItemFeaturesEvent bad, string message)
    {
        var state = IncrementalEquivalenceTests.NewState(3);
        var e = Assert.Throws<InvalidEventException>(() => state.ApplyBatch([], [bad]));
        Assert.Equal(message, e.Message);
        Assert.Equal(0, state.ItemCount);
    }

    [Theory]
    [InlineData(0, 0, "image", 5, "Neighbors (k) must be between 1 and 1000; got 0.")]
    [InlineData(5, 3, "image", 5, "CandidateCapacity (3) must be 0 (meaning 2k) or at least Neighbors (5).")]
    [InlineData(5, 0, "image", 0, "Modality 'image' needs a positive width; got 0.")]
    [InlineData(5, 0, "", 4, "Every modality needs a name.")]
    public void Bad_options_are_rejected_naming_the_setting(int k, int capacity, string modality, int width, string message)
    {
        var options = new GraphStateOptions { Neighbors = k, CandidateCapacity = capacity, Modalities = [new ModalitySpec(modality, width)] };
        var e = Assert.Throws<ArgumentException>(() => new GraphState(options));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void The_options_validator_reports_the_section_and_problem()
    {
        var validator = new GraphStateOptionsValidator();
        Assert.True(validator.Validate(null, new GraphStateOptions { Modalities = [new ModalitySpec("image", 4)] }).Succeeded);
        var result = validator.Validate(null, new GraphStateOptions { Neighbors = 0 });
        Assert.True(result.Failed);
        Assert.Equal("GraphMaintainer:Graphs: Neighbors (k) must be between 1 and 1000; got 0.", result.FailureMessage);
    }

    [Fact]
    public void Options_edited_after_construction_do_not_reach_the_state()
    {
        var options = new GraphStateOptions { Modalities = [new ModalitySpec("image", 2)] };
        var state = new GraphState(options);
        options.Modalities[0].Width = 3;
        options.Modalities.Add(new ModalitySpec("text", 2));
        state.Apply(new ItemFeaturesEvent("f", "i", "image", [1, 2]));
        Assert.Single(state.Modalities);
        Assert.Equal(2, state.Modalities[0].Width);
    }

    [Fact]
    public void A_modality_listed_twice_is_rejected()
    {
        var options = new GraphStateOptions { Modalities = [new ModalitySpec("image", 4), new ModalitySpec("image", 8)] };
        Assert.Equal("Modality 'image' is listed twice.", Assert.Throws<ArgumentException>(() => new GraphState(options)).Message);
    }

    [Fact]
    public void Build_options_out_of_range_are_named()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GraphBuildOptions(0).Validate());
        Assert.Contains("Neighbors (k) must be between 1 and 1000.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_graph_inputs_are_named()
    {
        Assert.StartsWith("Modality 'image' has 5 values for 2 x 3.", Assert.Throws<ArgumentException>(() => new ModalFeatures("image", 3, 2, new float[5], null)).Message, StringComparison.Ordinal);
        Assert.StartsWith("Modality 'image' has 1 presence flags for 2 rows.", Assert.Throws<ArgumentException>(() => new ModalFeatures("image", 3, 2, new float[6], [true])).Message, StringComparison.Ordinal);
        var features = new ModalFeatures("image", 1, 1, [1f], null);
        Assert.StartsWith("Modality 'image' has 1 rows for 2 items.", Assert.Throws<ArgumentException>(() => new GraphSource(0, 2, [0], [], [features])).Message, StringComparison.Ordinal);
        Assert.StartsWith("Modality 'image' appears twice.", Assert.Throws<ArgumentException>(() => new GraphSource(0, 1, [0], [], [features, features])).Message, StringComparison.Ordinal);
        var empty = new CsrGraph(1, 1, [0, 0], [], []);
        Assert.StartsWith("Modality 'text' lacks its item or user graph.", Assert.Throws<ArgumentException>(() => new SimilarityGraphs(1, ["text"], new Dictionary<string, CsrGraph>(), new Dictionary<string, CsrGraph>(), empty, empty)).Message, StringComparison.Ordinal);
        Assert.StartsWith("A similarity graph must be square; got 1 x 2.", Assert.Throws<ArgumentException>(() => GraphNormalization.SymmetricNormalized(new CsrGraph(1, 2, [0, 0], [], []))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_modality_and_bad_csr_are_named()
    {
        var source = new GraphSource(0, 0, [0], [], []);
        Assert.StartsWith("No modality 'image' (have: )", Assert.Throws<ArgumentException>(() => source.Modality("image")).Message, StringComparison.Ordinal);
        Assert.StartsWith("CSR arrays do not fit together", Assert.Throws<ArgumentException>(() => new CsrGraph(2, 2, [0, 1], [0], [1f])).Message, StringComparison.Ordinal);
        Assert.StartsWith("Row 0 must list distinct item ids below 3 in ascending order", Assert.Throws<ArgumentException>(() => new GraphSource(1, 3, [0, 2], [2, 1], [])).Message, StringComparison.Ordinal);
    }
}

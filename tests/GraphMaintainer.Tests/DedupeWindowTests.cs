using Spumr.Core.Events;
using Spumr.GraphMaintainer.Snapshots;
using Spumr.GraphMaintainer.State;

namespace Spumr.GraphMaintainer.Tests;

/// <summary>A bounded memory of applied event ids: the newest W/2 at least, W at most.</summary>
public sealed class DedupeWindowTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spumr-dedupe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Recent_ids_are_dropped_and_ids_older_than_the_window_are_forgotten()
    {
        var state = State(window: 4);
        Assert.Equal(1, state.Apply(Event(1)).Applied);
        Assert.Equal(1, state.Apply(Event(2)).Applied);
        Assert.Equal(1, state.Apply(Event(1)).Duplicates);

        for (var i = 3; i <= 40; i++)
        {
            Assert.Equal(1, state.Apply(Event(i)).Applied);
            Assert.InRange(state.AppliedEventKeys.Count, 2, 4);
            Assert.Equal(1, state.Apply(Event(i - 1)).Duplicates);
        }

        // Far behind the window: applied again (a second history entry; N(u) is a set, so no graph changes).
        Assert.Equal(1, state.Apply(Event(1)).Applied);
        Assert.Equal(2, state.InteractionsOf(0).ToArray().Count(r => r.Timestamp == Event(1).Timestamp));
    }

    [Fact]
    public void Unbounded_by_default_every_id_is_remembered()
    {
        var state = State(window: 0);
        for (var i = 0; i < 1000; i++)
        {
            state.Apply(Event(i));
        }

        Assert.Equal(1000, state.AppliedEventKeys.Count);
        Assert.Equal(1, state.Apply(Event(0)).Duplicates);
    }

    [Fact]
    public void A_loaded_snapshot_remembers_its_newest_ids_under_the_window_it_is_loaded_with()
    {
        var state = State(window: 0);
        for (var i = 0; i < 10; i++)
        {
            state.Apply(Event(i));
        }

        var path = Path.Combine(_dir, "s.snapshot");
        SnapshotWriter.Write(state, path, []);

        var loaded = SnapshotReader.Load(path, dedupeWindow: 6).State;
        Assert.Equal(6, loaded.Options.DedupeWindow);
        Assert.Equal(1, loaded.Apply(Event(9)).Duplicates);
        Assert.Equal(1, loaded.Apply(Event(10)).Applied);
        Assert.Equal(1, loaded.Apply(Event(9)).Duplicates);
        Assert.Equal(1, loaded.Apply(Event(10)).Duplicates);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-3)]
    public void A_window_below_two_is_refused(int window)
    {
        var e = Assert.Throws<ArgumentException>(() => State(window));
        Assert.Equal($"DedupeWindow must be 0 (remember every event id) or at least 2; got {window}.", e.Message);
    }

    private static GraphState State(int window) =>
        new(new GraphStateOptions { DedupeWindow = window, Modalities = [new ModalitySpec("image", 2)] });

    private static InteractionEvent Event(int i) => new($"e{i}", "U", $"I{i % 5}", 1_300_000_000 + i);
}

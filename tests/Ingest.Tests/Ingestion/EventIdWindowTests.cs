using Spumr.Core.Events;
using Spumr.Ingest.Ingestion;

namespace Spumr.Ingest.Tests.Ingestion;

public sealed class EventIdWindowTests
{
    [Fact]
    public void Second_sight_of_an_id_is_a_duplicate()
    {
        var window = new EventIdWindow(10);

        Assert.True(window.TryAdd(EventKind.Interaction, "a"));
        Assert.False(window.TryAdd(EventKind.Interaction, "a"));
        Assert.True(window.TryAdd(EventKind.Interaction, "b"));
        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void Kinds_have_separate_id_spaces()
    {
        var window = new EventIdWindow(10);

        Assert.True(window.TryAdd(EventKind.Interaction, "x"));
        Assert.True(window.TryAdd(EventKind.ItemFeatures, "x"));
    }

    [Fact]
    public void Oldest_ids_leave_first_once_full()
    {
        var window = new EventIdWindow(3);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            Assert.True(window.TryAdd(EventKind.Interaction, id));
        }

        Assert.Equal(3, window.Count);
        Assert.False(window.Contains(EventKind.Interaction, "a"));
        Assert.True(window.Contains(EventKind.Interaction, "b"));
        Assert.True(window.Contains(EventKind.Interaction, "d"));
        Assert.True(window.TryAdd(EventKind.Interaction, "a"));
        Assert.False(window.Contains(EventKind.Interaction, "b"));
    }

    [Fact]
    public void A_duplicate_does_not_refresh_or_evict()
    {
        var window = new EventIdWindow(2);
        window.TryAdd(EventKind.Interaction, "a");
        window.TryAdd(EventKind.Interaction, "b");

        Assert.False(window.TryAdd(EventKind.Interaction, "b"));
        Assert.True(window.Contains(EventKind.Interaction, "a"));
        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void Long_ids_are_hashed_in_full()
    {
        var window = new EventIdWindow(4);
        var prefix = new string('x', 2000);

        Assert.True(window.TryAdd(EventKind.Interaction, prefix + "1"));
        Assert.True(window.TryAdd(EventKind.Interaction, prefix + "2"));
        Assert.False(window.TryAdd(EventKind.Interaction, prefix + "1"));
    }
}

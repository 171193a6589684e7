using Spumr.Core.Events;
using Spumr.GraphMaintainer.Snapshots;

namespace Spumr.GraphMaintainer.Tests;

public sealed class SnapshotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spumr-snapshots-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Round_trip_restores_state_graphs_position_and_dedupe_and_continues_identically()
    {
        var rnd = new Random(21);
        var events = RandomEvents.Generate(rnd, users: 35, items: 25, count: 500);
        var original = IncrementalEquivalenceTests.NewState(3, 4);
        RandomEvents.ApplyInBatches(original, events, rnd, 20);
        var path = Path.Combine(_dir, "graphs.snap");
        byte[] position = [1, 2, 3, 250, 0, 7];
        var size = SnapshotWriter.Write(original, path, position);

        var loaded = SnapshotReader.Load(path, maxDegreeOfParallelism: 2);
        Assert.Equal(size, new FileInfo(path).Length);
        Assert.Equal(position, loaded.Position);
        var copy = loaded.State;
        Assert.Equal(original.UserIds, copy.UserIds);
        Assert.Equal(original.ItemIds, copy.ItemIds);
        Assert.Equal(original.AppliedEventCount, copy.AppliedEventCount);
        Assert.Equal(original.BatchCount, copy.BatchCount);
        Assert.Equal(original.Neighbors, copy.Neighbors);
        Assert.Equal(original.Options.EffectiveCapacity, copy.Options.EffectiveCapacity);
        for (var u = 0; u < original.UserCount; u++)
        {
            Assert.Equal(original.InteractionsOf(u).ToArray(), copy.InteractionsOf(u).ToArray());
        }

        foreach (var m in RandomEvents.Modalities)
        {
            var a = original.Features(m.Name);
            var b = copy.Features(m.Name);
            for (var i = 0; i < original.ItemCount; i++)
            {
                Assert.Equal(a.IsPresent(i), b.IsPresent(i));
                Assert.Equal(a.Row(i).ToArray(), b.Row(i).ToArray());
            }
        }

        Assert.Null(original.Graphs().FirstDifference(copy.Graphs()));

        // Everything applied before is recognised after the load; further events give identical results.
        var replay = copy.ApplyBatch([.. events.OfType<InteractionEvent>()], [.. events.OfType<ItemFeaturesEvent>()]);
        Assert.Equal(0, replay.Applied);
        var more = RandomEvents.Generate(new Random(22), users: 45, items: 30, count: 300);
        RandomEvents.ApplyInBatches(original, more, new Random(23), 15);
        RandomEvents.ApplyInBatches(copy, more, new Random(23), 15);
        Assert.Null(original.Graphs().FirstDifference(copy.Graphs()));
        IncrementalEquivalenceTests.AssertEqualToRebuild(copy, "loaded state after more events");
    }

    [Fact]
    public void An_empty_state_round_trips()
    {
        var path = Path.Combine(_dir, "empty.snap");
        SnapshotWriter.Write(IncrementalEquivalenceTests.NewState(10), path, []);
        var loaded = SnapshotReader.Load(path);
        Assert.Equal(0, loaded.State.UserCount);
        Assert.Empty(loaded.Position);
        loaded.State.Apply(new InteractionEvent("e", "u", "i", 1));
        Assert.Equal(1, loaded.State.UserCount);
    }

    [Fact]
    public void Writing_replaces_the_old_snapshot_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(_dir, "graphs.snap");
        var state = IncrementalEquivalenceTests.NewState(3);
        SnapshotWriter.Write(state, path, [1]);
        state.Apply(new InteractionEvent("e", "u", "i", 1));
        SnapshotWriter.Write(state, path, [2]);
        Assert.Equal([2], SnapshotReader.Load(path).Position);
        Assert.Equal(["graphs.snap"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(100)]
    [InlineData(-1)]
    public void A_truncated_snapshot_is_rejected_as_truncated(int keep)
    {
        var path = WriteSample();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(keep > 0 ? keep + 8 : bytes.Length + keep)]);
        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotReader.Load(path));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("sample.snap:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(500)]
    [InlineData(-3)]
    public void A_flipped_byte_is_rejected_by_the_checksum(int at)
    {
        var path = WriteSample();
        var bytes = File.ReadAllBytes(path);
        bytes[at >= 0 ? at : bytes.Length + at] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotReader.Load(path));
        Assert.Contains("checksum mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flipped_length_byte_is_reported_as_corrupt()
    {
        var path = WriteSample();
        var bytes = File.ReadAllBytes(path);
        bytes[16] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotReader.Load(path));
        Assert.Matches("truncated|corrupt", e.Message);
    }

    [Fact]
    public void Another_format_version_is_rejected_naming_both_versions()
    {
        var path = WriteSample();
        var bytes = File.ReadAllBytes(path);
        bytes[8] = 2;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotReader.Load(path));
        Assert.Contains("format version 2 is not supported; this build reads version 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_foreign_file_is_rejected_as_not_a_snapshot()
    {
        var path = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(path, "userID\titemID\tx_label\n1\t2\t0\n");
        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotReader.Load(path));
        Assert.Contains("not a Spumr graph snapshot", e.Message, StringComparison.Ordinal);
        File.WriteAllBytes(path, []);
        e = Assert.Throws<SnapshotFormatException>(() => SnapshotReader.Load(path));
        Assert.Contains("not a Spumr graph snapshot", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotReader.Load(Path.Combine(_dir, "nope.snap")));
        Assert.Equal("nope.snap: snapshot file does not exist", e.Message);
    }

    private string WriteSample()
    {
        var state = IncrementalEquivalenceTests.NewState(3);
        var rnd = new Random(3);
        RandomEvents.ApplyInBatches(state, RandomEvents.Generate(rnd, 10, 10, 100), rnd, 10);
        var path = Path.Combine(_dir, "sample.snap");
        SnapshotWriter.Write(state, path, [9, 9]);
        return path;
    }
}

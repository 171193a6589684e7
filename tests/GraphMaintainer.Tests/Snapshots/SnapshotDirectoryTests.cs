using Microsoft.Extensions.Logging;
using Spumr.Core.Events;
using Spumr.GraphMaintainer.Snapshots;
using Spumr.GraphMaintainer.State;
using Spumr.GraphMaintainer.Streaming;

namespace Spumr.GraphMaintainer.Tests.Snapshots;

public sealed class SnapshotDirectoryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spumr-snapshots-").FullName;
    private readonly ListLogger _log = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Snapshots_are_numbered_and_only_the_newest_are_kept()
    {
        using var snapshots = new SnapshotDirectory(_folder, keep: 2, _log);
        var state = State();
        for (var i = 1; i <= 4; i++)
        {
            state.Apply(new InteractionEvent($"e{i}", "U1", $"I{i}", 1_300_000_000));
            var (file, bytes) = snapshots.Write(state, Position(i).Encode());
            Assert.Equal(i, file.Sequence);
            Assert.Equal(SnapshotDirectory.FileName(i), Path.GetFileName(file.Path));
            Assert.True(bytes > 0);
        }

        Assert.Equal([4L, 3L], snapshots.Snapshots().Select(s => s.Sequence));
        var newest = snapshots.LoadNewest()!;
        Assert.Equal(4, newest.File.Sequence);
        Assert.Equal(4, newest.Position.Next(new StreamPartition("spumr.interactions", 0)));
        Assert.Equal(4, newest.Snapshot.State.AppliedEventCount);
    }

    [Fact]
    public void An_empty_folder_has_no_snapshot_and_numbering_continues_after_a_reopen()
    {
        using (var snapshots = new SnapshotDirectory(_folder, keep: 3, _log))
        {
            Assert.Null(snapshots.LoadNewest());
            snapshots.Write(State(), Position(1).Encode());
            snapshots.Write(State(), Position(2).Encode());
        }

        using var reopened = new SnapshotDirectory(_folder, keep: 3, _log);
        Assert.Equal(3, reopened.NextSequence);
    }

    [Fact]
    public void A_corrupt_newest_snapshot_is_set_aside_and_the_older_one_loads()
    {
        using var snapshots = new SnapshotDirectory(_folder, keep: 3, _log);
        var state = State();
        state.Apply(new InteractionEvent("e1", "U1", "I1", 1_300_000_000));
        snapshots.Write(state, Position(1).Encode());
        state.Apply(new InteractionEvent("e2", "U1", "I2", 1_300_000_000));
        var (newest, _) = snapshots.Write(state, Position(2).Encode());
        var bytes = File.ReadAllBytes(newest.Path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(newest.Path, bytes);

        var loaded = snapshots.LoadNewest()!;

        Assert.Equal(1, loaded.File.Sequence);
        Assert.Equal(1, loaded.Snapshot.State.AppliedEventCount);
        Assert.True(File.Exists(newest.Path + ".corrupt"));
        var error = Assert.Single(_log.Lines, l => l.Level == LogLevel.Error);
        Assert.Contains(Path.GetFileName(newest.Path), error.Text, StringComparison.Ordinal);
        Assert.Contains("checksum mismatch", error.Text, StringComparison.Ordinal);

        // The corrupt file keeps its number: the next snapshot is newer than both.
        Assert.Equal(3, snapshots.Write(state, Position(2).Encode()).File.Sequence);
    }

    [Fact]
    public void A_snapshot_whose_position_does_not_decode_is_set_aside_too()
    {
        using var snapshots = new SnapshotDirectory(_folder, keep: 3, _log);
        snapshots.Write(State(), Position(1).Encode());
        var (bad, _) = snapshots.Write(State(), [7, 1, 2]);

        Assert.Equal(1, snapshots.LoadNewest()!.File.Sequence);
        Assert.Contains("stream position encoding 7 is not supported", Assert.Single(_log.Lines, l => l.Level == LogLevel.Error).Text, StringComparison.Ordinal);
        Assert.True(File.Exists(bad.Path + ".corrupt"));
    }

    [Fact]
    public void A_truncated_snapshot_and_leftover_temporary_files_do_not_stop_a_start()
    {
        using (var snapshots = new SnapshotDirectory(_folder, keep: 3, _log))
        {
            snapshots.Write(State(), Position(1).Encode());
            var (newest, _) = snapshots.Write(State(), Position(2).Encode());
            using (var file = new FileStream(newest.Path, FileMode.Open))
            {
                file.SetLength(file.Length / 3);
            }
        }

        var leftover = Path.Combine(_folder, $".{SnapshotDirectory.FileName(3)}.1234.abcdef.tmp");
        File.WriteAllBytes(leftover, [1, 2, 3]);

        using var reopened = new SnapshotDirectory(_folder, keep: 3, _log);

        Assert.False(File.Exists(leftover));
        Assert.Equal(1, reopened.LoadNewest()!.File.Sequence);
        Assert.Contains("truncated", Assert.Single(_log.Lines, l => l.Level == LogLevel.Error).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_owner_of_the_folder_is_refused()
    {
        using var first = new SnapshotDirectory(_folder, keep: 3, _log);

        var e = Assert.Throws<InvalidOperationException>(() => new SnapshotDirectory(_folder, keep: 3, _log));

        Assert.Contains($"Snapshot folder '{_folder}' is in use by another GraphMaintainer", e.Message, StringComparison.Ordinal);
        first.Dispose();
        using var next = new SnapshotDirectory(_folder, keep: 3, _log);
    }

    private static GraphState State() => new(new GraphStateOptions { Modalities = [new ModalitySpec("image", 2)] });

    private static StreamPosition Position(long next)
    {
        var position = new StreamPosition();
        position.Advance(new StreamPartition("spumr.interactions", 0), next);
        return position;
    }
}

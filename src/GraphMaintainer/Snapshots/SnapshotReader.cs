using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Spumr.GraphMaintainer.State;

namespace Spumr.GraphMaintainer.Snapshots;

/// <summary>A loaded snapshot: the state, the position it covers, and when it was written.</summary>
public sealed record LoadedSnapshot(GraphState State, byte[] Position, DateTimeOffset WrittenAt, long Bytes);

/// <summary>
/// Loads a snapshot written by <see cref="SnapshotWriter"/>. The file is checked whole before it
/// is parsed: magic bytes (a foreign file), format version, length (a truncated file) and checksum
/// (a corrupt one); each failure is a <see cref="SnapshotFormatException"/> saying which.
/// </summary>
public static class SnapshotReader
{
    /// <param name="maxDegreeOfParallelism">Worker threads of the loaded state (<see cref="GraphStateOptions.MaxDegreeOfParallelism"/>).</param>
    /// <param name="dedupeWindow">Event ids the loaded state remembers from now on (<see cref="GraphStateOptions.DedupeWindow"/>).</param>
    public static LoadedSnapshot Load(string path, int maxDegreeOfParallelism = 0, int dedupeWindow = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new SnapshotFormatException(path, "snapshot file does not exist");
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var length = file.Length;
        Verify(file, path, length);
        file.Position = SnapshotFormat.HeaderSize;
        using var buffered = new BufferedStream(file, 1 << 20);
        using var reader = new BinaryReader(buffered, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            return Parse(reader, path, length, maxDegreeOfParallelism, dedupeWindow);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException or FormatException or OverflowException)
        {
            throw new SnapshotFormatException(path, $"checksum is valid but the contents are malformed: {e.Message}", e);
        }
    }

    private static void Verify(FileStream file, string path, long length)
    {
        Span<byte> header = stackalloc byte[SnapshotFormat.HeaderSize];
        var got = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        var magic = SnapshotFormat.Magic;
        if (got < magic.Length || !header[..magic.Length].SequenceEqual(magic))
        {
            throw new SnapshotFormatException(path, "not a Spumr graph snapshot (it does not start with the magic bytes \"SPUMR-GS\")");
        }

        if (got < header.Length)
        {
            throw new SnapshotFormatException(path, $"snapshot is truncated: {length} bytes, not even the {SnapshotFormat.HeaderSize}-byte header");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != SnapshotFormat.Version)
        {
            throw new SnapshotFormatException(path, $"snapshot format version {version} is not supported; this build reads version {SnapshotFormat.Version}");
        }

        var declared = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        if (length < declared)
        {
            throw new SnapshotFormatException(path, $"snapshot is truncated: {length} of {declared} bytes");
        }

        if (length > declared || declared < SnapshotFormat.HeaderSize + SnapshotFormat.TrailerSize)
        {
            throw new SnapshotFormatException(path, $"snapshot is corrupt: its header says {declared} bytes but the file has {length}");
        }

        var hash = new XxHash128();
        var buffer = new byte[1 << 20];
        var remaining = length - SnapshotFormat.HeaderSize - SnapshotFormat.TrailerSize;
        while (remaining > 0)
        {
            var n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (n <= 0)
            {
                throw new SnapshotFormatException(path, "snapshot is truncated while reading");
            }

            hash.Append(buffer.AsSpan(0, n));
            remaining -= n;
        }

        hash.Append(header);
        Span<byte> expected = stackalloc byte[SnapshotFormat.TrailerSize];
        file.ReadExactly(expected);
        Span<byte> actual = stackalloc byte[SnapshotFormat.TrailerSize];
        hash.GetCurrentHash(actual);
        if (!actual.SequenceEqual(expected))
        {
            throw new SnapshotFormatException(path, "snapshot is corrupt: checksum mismatch");
        }
    }

    private static LoadedSnapshot Parse(BinaryReader r, string path, long length, int parallelism, int dedupeWindow)
    {
        var options = new GraphStateOptions
        {
            Neighbors = r.ReadInt32(),
            CandidateCapacity = r.ReadInt32(),
            MaxDegreeOfParallelism = parallelism,
            DedupeWindow = dedupeWindow,
        };
        var modalities = Count(r, length, "modalities");
        for (var m = 0; m < modalities; m++)
        {
            options.Modalities.Add(new ModalitySpec(r.ReadString(), r.ReadInt32()));
        }

        var state = new GraphState(options);
        var position = r.ReadBytes(Count(r, length, "position bytes"));
        var applied = r.ReadInt64();
        var batches = r.ReadInt64();
        var writtenAt = DateTimeOffset.FromUnixTimeMilliseconds(r.ReadInt64());
        var users = ReadStrings(r, length, "user ids");
        var items = ReadStrings(r, length, "item ids");
        state.RegisterIds(users, items);
        for (var u = 0; u < users.Length; u++)
        {
            var n = Count(r, length, "interactions");
            for (var i = 0; i < n; i++)
            {
                var item = Id(r.ReadInt32(), items.Length, "item");
                var timestamp = r.ReadInt64();
                var hasRating = r.ReadBoolean();
                var rating = r.ReadSingle();
                state.RestoreInteraction(u, new InteractionRecord(item, timestamp, hasRating ? rating : null));
            }
        }

        foreach (var store in state.ModalStores)
        {
            var present = r.ReadBytes(items.Length);
            var vector = new float[store.Spec.Width];
            for (var i = 0; i < items.Length; i++)
            {
                if (present[i] != 0)
                {
                    r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(vector.AsSpan()));
                    store.SetVector(i, vector);
                }
            }
        }

        var keys = Count(r, length, "event keys");
        for (var i = 0; i < keys; i++)
        {
            var lower = r.ReadUInt64();
            var upper = r.ReadUInt64();
            state.AppliedEventKeys.Restore(new UInt128(upper, lower));
        }

        state.RecomputeDerived();
        foreach (var lists in state.AllLists())
        {
            var rows = r.ReadInt32();
            if (rows != lists.Rows)
            {
                throw new FormatException($"a graph has {rows} rows where {lists.Rows} were expected");
            }

            var ids = new int[lists.Capacity];
            var weights = new float[lists.Capacity];
            for (var row = 0; row < rows; row++)
            {
                var n = r.ReadInt32();
                if (n < 0 || n > lists.Capacity)
                {
                    throw new FormatException($"row {row} lists {n} neighbours; capacity is {lists.Capacity}");
                }

                var floorWeight = r.ReadSingle();
                var floorId = r.ReadInt32();
                for (var i = 0; i < n; i++)
                {
                    ids[i] = Id(r.ReadInt32(), rows, "neighbour");
                    weights[i] = r.ReadSingle();
                }

                lists.Restore(row, ids.AsSpan(0, n), weights.AsSpan(0, n), floorWeight, floorId);
            }
        }

        state.RestoreCounters(applied, batches);
        if (r.BaseStream.Position != length - SnapshotFormat.TrailerSize)
        {
            throw new FormatException($"{length - SnapshotFormat.TrailerSize - r.BaseStream.Position} bytes left unread before the checksum");
        }

        return new LoadedSnapshot(state, position, writtenAt, length);
    }

    private static string[] ReadStrings(BinaryReader r, long length, string what)
    {
        var values = new string[Count(r, length, what)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadString();
        }

        return values;
    }

    private static int Count(BinaryReader r, long length, string what)
    {
        var n = r.ReadInt32();
        if (n < 0 || n > length)
        {
            throw new FormatException($"implausible count {n} of {what}");
        }

        return n;
    }

    private static int Id(int id, int count, string what)
        => (uint)id < (uint)count ? id : throw new FormatException($"{what} id {id} is outside 0..{count - 1}");
}

using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Spumr.GraphMaintainer.State;

namespace Spumr.GraphMaintainer.Snapshots;

/// <summary>
/// Writes a <see cref="GraphState"/> and a caller-supplied opaque position (the Kafka offsets it
/// covers) crash-safely: to a temporary file beside the target, flushed to disk, renamed over the
/// target, then the directory is flushed. A reader sees the old snapshot or the new one, never a torn one.
/// </summary>
public static partial class SnapshotWriter
{
    /// <summary>Writes the snapshot; call between batches (the state must not change meanwhile). Returns the file size.</summary>
    public static long Write(GraphState state, string path, ReadOnlySpan<byte> position)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            long length;
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20))
            {
                file.Write(new byte[SnapshotFormat.HeaderSize]);
                var hash = new XxHash128();
                using (var hashing = new HashingWriteStream(file, hash))
                using (var buffered = new BufferedStream(hashing, 1 << 20))
                using (var writer = new BinaryWriter(buffered, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    WriteBody(writer, state, position);
                    writer.Flush();
                }

                length = file.Position + SnapshotFormat.TrailerSize;
                Span<byte> header = stackalloc byte[SnapshotFormat.HeaderSize];
                SnapshotFormat.Magic.CopyTo(header);
                BinaryPrimitives.WriteUInt32LittleEndian(header[8..], SnapshotFormat.Version);
                BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
                BinaryPrimitives.WriteInt64LittleEndian(header[16..], length);
                hash.Append(header);
                Span<byte> trailer = stackalloc byte[SnapshotFormat.TrailerSize];
                hash.GetCurrentHash(trailer);
                file.Write(trailer);
                file.Position = 0;
                file.Write(header);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
            FlushDirectory(directory);
            return length;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static void WriteBody(BinaryWriter w, GraphState state, ReadOnlySpan<byte> position)
    {
        var options = state.Options;
        w.Write(options.Neighbors);
        w.Write(options.EffectiveCapacity);
        w.Write(options.Modalities.Count);
        foreach (var m in options.Modalities)
        {
            w.Write(m.Name);
            w.Write(m.Width);
        }

        w.Write(position.Length);
        w.Write(position);
        w.Write(state.AppliedEventCount);
        w.Write(state.BatchCount);
        w.Write(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        WriteStrings(w, state.UserIds);
        WriteStrings(w, state.ItemIds);
        foreach (var history in state.Histories)
        {
            w.Write(history.Count);
            foreach (var r in history)
            {
                w.Write(r.Item);
                w.Write(r.Timestamp);
                w.Write(r.Rating.HasValue);
                w.Write(r.Rating ?? 0f);
            }
        }

        foreach (var store in state.ModalStores)
        {
            var present = store.Present;
            for (var i = 0; i < state.ItemCount; i++)
            {
                w.Write(present[i]);
            }

            for (var i = 0; i < state.ItemCount; i++)
            {
                if (present[i])
                {
                    w.Write(MemoryMarshal.AsBytes(store.RawRow(i)));
                }
            }
        }

        var keys = state.AppliedEventKeys.All().ToArray();
        Array.Sort(keys);
        w.Write(keys.Length);
        foreach (var key in keys)
        {
            w.Write((ulong)key);
            w.Write((ulong)(key >> 64));
        }

        foreach (var lists in state.AllLists())
        {
            w.Write(lists.Rows);
            for (var r = 0; r < lists.Rows; r++)
            {
                var ids = lists.IdsOf(r);
                var weights = lists.WeightsOf(r);
                var (floorWeight, floorId) = lists.FloorOf(r);
                w.Write(ids.Length);
                w.Write(floorWeight);
                w.Write(floorId);
                for (var i = 0; i < ids.Length; i++)
                {
                    w.Write(ids[i]);
                    w.Write(weights[i]);
                }
            }
        }
    }

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write(values.Count);
        foreach (var v in values)
        {
            w.Write(v);
        }
    }

    /// <summary>Makes the rename durable: on Linux a directory's entries are flushed with fsync on the directory.</summary>
    private static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY
        var fd = Open(directory, ReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Cannot flush directory '{directory}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

/// <summary>Forwards writes to a stream and feeds them to a hash.</summary>
internal sealed class HashingWriteStream(Stream inner, NonCryptographicHashAlgorithm hash) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.Append(buffer);
        inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

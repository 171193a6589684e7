using System.Globalization;
using System.Text.RegularExpressions;
using Spumr.GraphMaintainer.State;
using Spumr.GraphMaintainer.Streaming;

namespace Spumr.GraphMaintainer.Snapshots;

/// <summary>A snapshot file in a <see cref="SnapshotDirectory"/> and its sequence number.</summary>
public sealed record SnapshotFile(string Path, long Sequence);

/// <summary>A snapshot that loaded and verified, with the stream position it covers.</summary>
public sealed record RestoredSnapshot(SnapshotFile File, LoadedSnapshot Snapshot, StreamPosition Position);

/// <summary>
/// The folder one GraphMaintainer keeps its snapshots in: <c>graph-&lt;sequence&gt;.snapshot</c>,
/// the newest <c>keep</c> kept. Owned by one instance at a time (an exclusive lock on
/// <c>.lock</c>, released by the kernel when the process dies), because two writers would
/// interleave sequence numbers of different states. On open, temporary files of writes that a
/// crash interrupted are removed. Loading takes the newest snapshot that verifies; one that does
/// not is renamed to <c>*.corrupt</c> (kept for inspection) and the next older one is tried.
/// </summary>
public sealed partial class SnapshotDirectory : IDisposable
{
    public const string LockFileName = ".lock";

    private readonly int _keep;
    private readonly ILogger _logger;
    private readonly FileStream _lock;
    private long _nextSequence;

    public SnapshotDirectory(string path, int keep, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keep);
        ArgumentNullException.ThrowIfNull(logger);
        FullPath = System.IO.Path.GetFullPath(path);
        _keep = keep;
        _logger = logger;
        Directory.CreateDirectory(FullPath);
        try
        {
            _lock = new FileStream(System.IO.Path.Combine(FullPath, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"Snapshot folder '{FullPath}' is in use by another GraphMaintainer (it holds {LockFileName}); every instance needs a folder of its own.", e);
        }

        foreach (var temp in Directory.EnumerateFiles(FullPath, ".*.tmp"))
        {
            _logger.LogInformation("Removing {File}, left by a snapshot write that did not finish", System.IO.Path.GetFileName(temp));
            File.Delete(temp);
        }

        _nextSequence = Directory.EnumerateFiles(FullPath)
            .Select(f => Parse(System.IO.Path.GetFileName(f))?.Sequence ?? 0)
            .DefaultIfEmpty(0)
            .Max() + 1;
    }

    public string FullPath { get; }

    /// <summary>The sequence number the next written snapshot gets.</summary>
    public long NextSequence => _nextSequence;

    /// <summary>The snapshots present (not the corrupt ones), newest first.</summary>
    public IReadOnlyList<SnapshotFile> Snapshots() =>
        [.. Directory.EnumerateFiles(FullPath)
            .Select(f => (File: f, Name: Parse(System.IO.Path.GetFileName(f))))
            .Where(f => f.Name is { Corrupt: false })
            .Select(f => new SnapshotFile(f.File, f.Name!.Value.Sequence))
            .OrderByDescending(f => f.Sequence)];

    /// <summary>
    /// The newest snapshot that verifies (file checks, then its stream position), or null when
    /// there is none. Each one that fails is logged with the reason and renamed to <c>*.corrupt</c>.
    /// </summary>
    public RestoredSnapshot? LoadNewest(int maxDegreeOfParallelism = 0, int dedupeWindow = 0)
    {
        foreach (var file in Snapshots())
        {
            try
            {
                var loaded = SnapshotReader.Load(file.Path, maxDegreeOfParallelism, dedupeWindow);
                StreamPosition position;
                try
                {
                    position = StreamPosition.Decode(loaded.Position);
                }
                catch (FormatException e)
                {
                    throw new SnapshotFormatException(file.Path, e.Message, e);
                }

                return new RestoredSnapshot(file, loaded, position);
            }
            catch (SnapshotFormatException e)
            {
                var corrupt = file.Path + ".corrupt";
                File.Move(file.Path, corrupt, overwrite: true);
                _logger.LogError(
                    "Snapshot {File} cannot be used: {Problem}. Renamed it to {Corrupt}; trying the next older snapshot",
                    System.IO.Path.GetFileName(file.Path),
                    e.Problem,
                    System.IO.Path.GetFileName(corrupt));
            }
        }

        return null;
    }

    /// <summary>Writes the next snapshot (crash-safe, see <see cref="SnapshotWriter"/>), then deletes all but the newest <c>keep</c>.</summary>
    public (SnapshotFile File, long Bytes) Write(GraphState state, ReadOnlySpan<byte> position)
    {
        ArgumentNullException.ThrowIfNull(state);
        var file = new SnapshotFile(System.IO.Path.Combine(FullPath, FileName(_nextSequence)), _nextSequence);
        var bytes = SnapshotWriter.Write(state, file.Path, position);
        _nextSequence++;
        foreach (var old in Snapshots().Skip(_keep))
        {
            // A reader that already opened it keeps reading (Linux unlinks, it does not truncate).
            File.Delete(old.Path);
        }

        return (file, bytes);
    }

    public void Dispose() => _lock.Dispose();

    public static string FileName(long sequence) => string.Create(CultureInfo.InvariantCulture, $"graph-{sequence:D12}.snapshot");

    private static (long Sequence, bool Corrupt)? Parse(string name)
    {
        var match = SnapshotName().Match(name);
        return match.Success
            ? (long.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture), match.Groups[2].Success)
            : null;
    }

    [GeneratedRegex(@"^graph-(\d{1,18})\.snapshot(\.corrupt)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SnapshotName();
}

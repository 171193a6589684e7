namespace Spumr.GraphMaintainer.Snapshots;

/// <summary>
/// The graph snapshot file, version 1. Little-endian throughout.
/// <code>
/// header (24 bytes): magic "SPUMR-GS" | u32 format version | u32 reserved (0) | i64 file length
/// body:    options (k, capacity, modalities and widths) | position (i32 length, bytes)
///          | counters (applied events, batches, written-at Unix ms)
///          | user ids | item ids (i32 count, length-prefixed UTF-8 strings)
///          | per user: i32 count, then (i32 item, i64 timestamp, u8 has-rating, f32 rating) per interaction
///          | per modality: u8 present per item, then the raw f32 vector of every present item
///          | applied event keys (i32 count, 128-bit keys ascending; all of them, or the state's dedupe window)
///          | per graph (item graph per modality, user graph per modality, Jaccard, co-occurrence):
///            i32 rows, then per row i32 count, f32 floor weight, i32 floor id, (i32 id, f32 weight) per member
/// trailer (16 bytes): XxHash128 of the body followed by the header
/// </code>
/// Unit vectors and profiles are not stored: they are recomputed from the raw vectors on load,
/// with the same arithmetic, so they come back bit-identical.
/// </summary>
public static class SnapshotFormat
{
    public const int Version = 1;

    public const int HeaderSize = 24;

    public const int TrailerSize = 16;

    /// <summary>"SPUMR-GS": Spumr graph state.</summary>
    public static ReadOnlySpan<byte> Magic => "SPUMR-GS"u8;
}

/// <summary>A snapshot file cannot be read: not a snapshot, another format version, truncated or corrupt. The message names the file and the problem.</summary>
public sealed class SnapshotFormatException : Exception
{
    public SnapshotFormatException(string path, string problem, Exception? inner = null)
        : base($"{Path.GetFileName(path)}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    public string FilePath { get; }

    public string Problem { get; }
}

namespace Spumr.Core.Events;

/// <summary>What <see cref="EventValidator"/> accepts. The defaults suit the bundled data sets.</summary>
public sealed record EventLimits
{
    /// <summary>Largest accepted payload in bytes, checked before any parsing.
    /// 256 KiB holds a 16,384-d vector as JSON (about 13 bytes a float).</summary>
    public int MaxPayloadBytes { get; init; } = 256 * 1024;

    /// <summary>Longest accepted id (event, user, item), in UTF-16 characters.</summary>
    public int MaxIdLength { get; init; } = 128;

    /// <summary>How far past the validator's clock a timestamp may lie; beyond that it is absurd
    /// (often milliseconds sent as seconds).</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The accepted modalities and the vector width of each, such as image = 256.</summary>
    public IReadOnlyDictionary<string, int> ModalityWidths { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);
}

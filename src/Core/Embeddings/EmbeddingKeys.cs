using System.Globalization;

namespace Spumr.Core.Embeddings;

/// <summary>
/// Redis key names for versioned embeddings, seen items and reader leases (layout in README.md beside
/// this file). Two groups, chosen for Redis Cluster:
/// <list type="bullet">
/// <item>control keys carry the hash tag <c>{prefix}</c>, so they share one slot and the pointer switch,
/// rollback and retirement can be single Lua scripts that touch them together;</item>
/// <item>bulk keys (user vectors, item chunks, id lists, seen items) have no hash tag and spread over
/// all slots by their full name.</item>
/// </list>
/// </summary>
public sealed class EmbeddingKeys
{
    public const string DefaultPrefix = "spumr";

    private readonly string _control;
    private readonly string _bulk;

    public EmbeddingKeys(string prefix = DefaultPrefix)
    {
        if (PrefixProblem(prefix) is { } problem)
        {
            throw new ArgumentException($"Key prefix '{prefix}' {problem}.", nameof(prefix));
        }

        Prefix = prefix;
        _control = "{" + prefix + "}";
        _bulk = prefix;
    }

    public string Prefix { get; }

    /// <summary>String: the live version number. The one key readers follow.</summary>
    public string Live => _control + ":live";

    /// <summary>Counter: INCR gives the next version number.</summary>
    public string NextVersion => _control + ":next-version";

    /// <summary>Sorted set of complete versions (member and score = version number).</summary>
    public string Versions => _control + ":versions";

    /// <summary>Sorted set of versions being written (score = start time, Unix ms); crashed writes are collected from here.</summary>
    public string Pending => _control + ":pending";

    /// <summary>Set of reader instance names that hold (or held) a lease; lets GC find leases without SCAN.</summary>
    public string LeaseIndex => _control + ":lease-index";

    /// <summary>String with a TTL: the version the reader instance currently serves.</summary>
    public string Lease(string instance) => _control + ":lease:" + instance;

    /// <summary>JSON <see cref="EmbeddingVersionMetadata"/>; written first, so GC can find every key of a half-written version.</summary>
    public string Metadata(long version) => $"{_control}:v{V(version)}:meta";

    /// <summary>Completeness marker, written last after every other key of the version is acknowledged.</summary>
    public string Complete(long version) => $"{_control}:v{V(version)}:complete";

    /// <summary>float32 LE vector of one user in one version.</summary>
    public string User(long version, string userId) => $"{_bulk}:v{V(version)}:user:{userId}";

    /// <summary>Id list (<see cref="IdListCodec"/>) of one chunk of the version's users, in publication order.</summary>
    public string UserIds(long version, int chunk) => $"{_bulk}:v{V(version)}:users:{chunk.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Id list of one chunk of the version's items (rows of <see cref="ItemVectors"/> of the same chunk).</summary>
    public string ItemIds(long version, int chunk) => $"{_bulk}:v{V(version)}:items:{chunk.ToString(CultureInfo.InvariantCulture)}:ids";

    /// <summary>float32 LE row-major matrix of one chunk of the version's items.</summary>
    public string ItemVectors(long version, int chunk) => $"{_bulk}:v{V(version)}:items:{chunk.ToString(CultureInfo.InvariantCulture)}:vectors";

    /// <summary>Set of item external ids the user has interacted with (version-independent; written by the GraphMaintainer).</summary>
    public string SeenItems(string userId) => $"{_bulk}:seen:{userId}";

    /// <summary>Why <paramref name="prefix"/> is unusable, or null. Braces are refused: the prefix becomes a hash tag.</summary>
    public static string? PrefixProblem(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return "is empty";
        }

        if (prefix.Length > 64)
        {
            return "is longer than 64 characters";
        }

        foreach (var c in prefix)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return $"contains '{c}' (allowed: letters, digits, '-', '_', '.', ':')";
            }
        }

        return null;
    }

    private static string V(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        return version.ToString(CultureInfo.InvariantCulture);
    }
}

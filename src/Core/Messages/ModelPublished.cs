namespace Spumr.Core.Messages;

/// <summary>
/// Published (MassTransit) by the Trainer after a new embedding version became live in Redis
/// (also after a rollback). Serving swaps to <paramref name="Version"/> when it sees it.
/// </summary>
public sealed record ModelPublished(
    long Version,
    string Model,
    double ValidationRecallAt20,
    DateTimeOffset PublishedAt,
    bool IsRollback = false);

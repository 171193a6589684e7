using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Replay;

/// <summary>How <see cref="DatasetReplayer"/> sends a data set.</summary>
public sealed record ReplayOptions
{
    public ReplaySplit Split { get; init; } = ReplaySplit.Train;

    /// <summary>Data seconds per wall-clock second (86,400 = a day a second); null = as fast as Kafka takes them.</summary>
    public double? Speed { get; init; }

    public string RawInteractionsTopic { get; init; } = SpumrTopics.RawInteractions;

    public string RawItemFeaturesTopic { get; init; } = SpumrTopics.RawItemFeatures;

    /// <summary>How long to wait for Kafka's metadata before giving up on an unreachable broker.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Where a replay is.</summary>
/// <param name="Phase">"features" or "interactions".</param>
/// <param name="Sent">Events handed to the producer so far.</param>
/// <param name="Acknowledged">Events Kafka has acknowledged.</param>
/// <param name="Total">Events the replay will send.</param>
/// <param name="Elapsed">Time since the replay started.</param>
public sealed record ReplayProgress(string Phase, long Sent, long Acknowledged, long Total, TimeSpan Elapsed)
{
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Acknowledged / Elapsed.TotalSeconds : 0;
}

/// <summary>What a finished replay sent.</summary>
public sealed record ReplayResult(string DataSet, long FeatureEvents, long InteractionEvents, TimeSpan Elapsed)
{
    public long TotalEvents => FeatureEvents + InteractionEvents;

    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? TotalEvents / Elapsed.TotalSeconds : 0;
}

/// <summary>A replay could not run or finish; the message says why.</summary>
public sealed class ReplayException : Exception
{
    public ReplayException(string message)
        : base(message)
    {
    }

    public ReplayException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

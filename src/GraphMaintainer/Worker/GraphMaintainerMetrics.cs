using System.Diagnostics.Metrics;

namespace Spumr.GraphMaintainer.Worker;

/// <summary>The GraphMaintainer's OpenTelemetry instruments (meter <see cref="MeterName"/>).</summary>
public sealed class GraphMaintainerMetrics
{
    public const string MeterName = "Spumr.GraphMaintainer";

    private readonly Counter<long> _events;
    private readonly Histogram<double> _batchSeconds;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _snapshotSeconds;

    public GraphMaintainerMetrics(IMeterFactory meters, GraphMaintainerStatus status)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(status);
        var meter = meters.Create(MeterName);
        _events = meter.CreateCounter<long>("spumr.graph_maintainer.events", "{event}", "Canonical messages handled, by outcome (applied, duplicate, dead_lettered).");
        _batchSeconds = meter.CreateHistogram<double>("spumr.graph_maintainer.batch.duration", "s", "Time to apply one micro-batch and write its seen items.");
        _batchSize = meter.CreateHistogram<int>("spumr.graph_maintainer.batch.size", "{message}", "Messages per micro-batch.");
        _snapshotSeconds = meter.CreateHistogram<double>("spumr.graph_maintainer.snapshot.duration", "s", "Time to write one snapshot.");
        meter.CreateObservableGauge("spumr.graph_maintainer.consumer.lag", () => Math.Max(0, status.Lag), "{message}", "Messages on the canonical topics not yet applied to the state.");
        meter.CreateObservableGauge("spumr.graph_maintainer.users", () => status.UserCount, "{user}", "Users in the state.");
        meter.CreateObservableGauge("spumr.graph_maintainer.items", () => status.ItemCount, "{item}", "Items in the state.");
        meter.CreateObservableGauge("spumr.graph_maintainer.ready", () => status.CaughtUp ? 1 : 0, null, "1 once the state caught up with the topics as they were at start.");
    }

    internal void Batch(int messages, int applied, int duplicates, TimeSpan elapsed)
    {
        _events.Add(applied, new KeyValuePair<string, object?>("outcome", "applied"));
        _events.Add(duplicates, new KeyValuePair<string, object?>("outcome", "duplicate"));
        _batchSize.Record(messages);
        _batchSeconds.Record(elapsed.TotalSeconds);
    }

    internal void DeadLettered() => _events.Add(1, new KeyValuePair<string, object?>("outcome", "dead_lettered"));

    internal void Snapshot(TimeSpan elapsed) => _snapshotSeconds.Record(elapsed.TotalSeconds);
}

using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Spumr.Core.Data;
using Spumr.Core.Events;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Replay;

/// <summary>
/// Publishes a data set (see <see cref="ReplayPlan"/>) to the raw topics with an idempotent
/// producer: feature events first, all acknowledged before the first interaction, then the
/// interactions in timestamp order, keyed by user so each user's events stay in order.
/// </summary>
public sealed class DatasetReplayer(KafkaOptions kafka, ILogger logger, TimeProvider? clock = null)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);
    private readonly KafkaOptions _kafka = kafka;
    private readonly ILogger _logger = logger;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public Task<ReplayResult> RunAsync(MmrecDataset data, ReplayOptions options, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var plan = ReplayPlan.Create(data, options.Split, _clock.GetUtcNow().ToUnixTimeSeconds());
        return RunAsync(plan, options, progress, cancellationToken);
    }

    public async Task<ReplayResult> RunAsync(ReplayPlan plan, ReplayOptions options, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Speed is { } speed && (!double.IsFinite(speed) || speed <= 0))
        {
            throw new ReplayException($"speed {speed} must be a positive number of data seconds per second");
        }

        if (options.Speed is not null && !plan.HasTimestamps)
        {
            throw new ReplayException($"data set '{plan.DataSetName}' has no timestamp column, so it can only be replayed at --speed max");
        }

        CheckTopics(options);
        using var run = new Run(this, plan, options, progress, cancellationToken);
        return await run.ExecuteAsync();
    }

    /// <summary>Fails fast, with a clear message, when Kafka is unreachable or a topic is missing
    /// (a producer would otherwise retry for minutes, and a broker that auto-creates topics would
    /// create them with too few partitions).</summary>
    private void CheckTopics(ReplayOptions options)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _kafka.BootstrapServers, ClientId = $"{_kafka.ClientIdPrefix}-replay" })
            .SetLogHandler((_, m) => { })
            .Build();
        Metadata metadata;
        try
        {
            metadata = admin.GetMetadata(options.ConnectTimeout);
        }
        catch (KafkaException e)
        {
            throw new ReplayException($"cannot reach Kafka at {_kafka.BootstrapServers} ({e.Error.Reason}); is `spumr broker` running?", e);
        }

        foreach (var topic in new[] { options.RawItemFeaturesTopic, options.RawInteractionsTopic })
        {
            if (!metadata.Topics.Any(t => t.Topic == topic && !t.Error.IsError))
            {
                throw new ReplayException($"topic '{topic}' does not exist on {_kafka.BootstrapServers}; create it first (`spumr broker` creates Spumr's topics)");
            }
        }
    }

    private sealed class Run : IDisposable
    {
        private readonly DatasetReplayer _owner;
        private readonly ReplayPlan _plan;
        private readonly ReplayOptions _options;
        private readonly IProgress<ReplayProgress>? _progress;
        private readonly CancellationToken _cancellation;
        private readonly IProducer<byte[], byte[]> _producer;
        private readonly SemaphoreSlim _delivered = new(0);
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private long _sent;
        private long _acknowledged;
        private Error? _failure;
        private TimeSpan _lastReport = -ProgressInterval;
        private string _phase = "features";

        public Run(DatasetReplayer owner, ReplayPlan plan, ReplayOptions options, IProgress<ReplayProgress>? progress, CancellationToken cancellation)
        {
            _owner = owner;
            _plan = plan;
            _options = options;
            _progress = progress;
            _cancellation = cancellation;
            _producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(owner._kafka, "replay"))
                .SetLogHandler((_, m) => KafkaClientConfigs.Log(owner._logger, m))
                .Build();
        }

        public async Task<ReplayResult> ExecuteAsync()
        {
            _owner._logger.LogInformation(
                "Replaying {DataSet}: {Features:N0} feature events to {FeatureTopic}, then {Interactions:N0} interactions to {InteractionTopic} at {Speed}",
                _plan.DataSetName,
                _plan.FeatureEventCount,
                _options.RawItemFeaturesTopic,
                _plan.InteractionCount,
                _options.RawInteractionsTopic,
                _options.Speed is { } s ? $"{s:G4}x" : "full speed");

            foreach (var features in _plan.FeatureEvents())
            {
                await SendAsync(_options.RawItemFeaturesTopic, features.ItemId, EventSerializer.Serialize(features));
            }

            // Features land before any interaction, so a consumer never meets an item without them.
            await FlushAsync();
            _phase = "interactions";
            var pace = _options.Speed is { } speed ? new Pace(_owner._clock, speed, _plan.InteractionCount > 0 ? _plan.TimestampAt(0) : 0) : null;
            for (var i = 0; i < _plan.InteractionCount; i++)
            {
                if (pace is not null)
                {
                    await pace.WaitUntilDueAsync(_plan.TimestampAt(i), _cancellation);
                }

                var interaction = _plan.Interaction(i);
                await SendAsync(_options.RawInteractionsTopic, interaction.UserId, EventSerializer.Serialize(interaction));
            }

            await FlushAsync();
            Report(force: true);
            return new ReplayResult(_plan.DataSetName, _plan.FeatureEventCount, _plan.InteractionCount, _watch.Elapsed);
        }

        public void Dispose()
        {
            _producer.Dispose();
            _delivered.Dispose();
        }

        private async ValueTask SendAsync(string topic, string key, byte[] value)
        {
            var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = value };
            while (true)
            {
                ThrowIfFailed();
                try
                {
                    _producer.Produce(topic, message, OnDelivery);
                    _sent++;
                    Report(force: false);
                    return;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    await _delivered.WaitAsync(TimeSpan.FromMilliseconds(100), _cancellation);
                }
            }
        }

        private void OnDelivery(DeliveryReport<byte[], byte[]> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.CompareExchange(ref _failure, report.Error, null);
            }
            else
            {
                Interlocked.Increment(ref _acknowledged);
            }

            if (_delivered.CurrentCount < 1)
            {
                _delivered.Release();
            }
        }

        private async Task FlushAsync()
        {
            while (_producer.Flush(TimeSpan.FromMilliseconds(100)) > 0)
            {
                _cancellation.ThrowIfCancellationRequested();
                ThrowIfFailed();
                Report(force: false);
                await Task.Yield();
            }

            ThrowIfFailed();
        }

        private void ThrowIfFailed()
        {
            _cancellation.ThrowIfCancellationRequested();
            if (Volatile.Read(ref _failure) is { } error)
            {
                throw new ReplayException($"Kafka refused an event: {error.Reason} ({error.Code})");
            }
        }

        private void Report(bool force)
        {
            if (_progress is null)
            {
                return;
            }

            var now = _watch.Elapsed;
            if (!force && now - _lastReport < ProgressInterval)
            {
                return;
            }

            _lastReport = now;
            _progress.Report(new ReplayProgress(_phase, _sent, Interlocked.Read(ref _acknowledged), _plan.TotalEvents, now));
        }
    }

    /// <summary>Maps data time to wall time: an event is due (t - t0) / speed after the start.</summary>
    private sealed class Pace(TimeProvider clock, double speed, long firstTimestamp)
    {
        private readonly long _start = clock.GetTimestamp();

        public async ValueTask WaitUntilDueAsync(long timestamp, CancellationToken cancellationToken)
        {
            var due = TimeSpan.FromSeconds((timestamp - firstTimestamp) / speed);
            var wait = due - clock.GetElapsedTime(_start);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, clock, cancellationToken);
            }
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spumr.Core.Data;
using Spumr.Ingest;
using Spumr.Ingest.Replay;
using Spumr.Ingest.Worker;
using Spumr.ServiceDefaults.Kafka;

// Replays a data set's training split through Ingest on the development broker (default topic
// plan, in process, as `spumr run` hosts it) and prints a markdown report.
//   dotnet run -c Release --project bench/Spumr.Bench.Ingest -- [data folder] [runs] [paper]
// "paper" swaps the data set's features for random unit vectors of the paper's widths (4096, 384),
// the largest volume the development broker's topic plan is sized for.
//   dotnet run -c Release --project bench/Spumr.Bench.Ingest -- graph [data folder] [runs]
// replays through Ingest and the GraphMaintainer (needs redis-server) until the graph state is current.
if (args.Length > 0 && args[0] == "graph")
{
    await Spumr.Bench.Ingest.GraphPipelineBench.RunAsync(args[1..]);
    return;
}

var folder = args.Length > 0 ? args[0] : "data/amazon-baby";
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var paperWidths = args.Length > 2 && args[2] == "paper";
using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

var load = Stopwatch.StartNew();
var data = MmrecDatasetReader.Load(folder, new MmrecLoadOptions { LoadFeatures = !paperWidths });
if (paperWidths)
{
    data = WithRandomFeatures(data, DevTopicPlan.PaperWidths);
}

var plan = ReplayPlan.Create(data, ReplaySplit.Train, 0);
var loadSeconds = load.Elapsed.TotalSeconds;
var modalities = plan.ModalityWidths.ToDictionary(m => $"Ingest:Modalities:{m.Key}", m => (string?)m.Value.ToString(CultureInfo.InvariantCulture));

var rows = new List<string>();
for (var run = 1; run <= runs; run++)
{
    // 1. Replay alone into the raw topics.
    await using (var broker = DevKafkaBroker.Start())
    {
        var kafka = new KafkaOptions { BootstrapServers = broker.BootstrapServers, SessionTimeoutMs = 6000 };
        var replay = await new DatasetReplayer(kafka, logs.CreateLogger("replay")).RunAsync(plan, new ReplayOptions());

        // 2. Ingest drains the raw backlog into the canonical topics.
        var (drain, status) = await IngestUntilDoneAsync(kafka, plan.TotalEvents, null);
        rows.Add(Row(run, "replay alone (raw)", plan.TotalEvents, replay.Elapsed));
        rows.Add(Row(run, "Ingest alone (raw backlog -> canonical)", status.Forwarded, drain.Elapsed));
        Check(broker, kafka, plan);
    }

    // 3. Both at once, as `spumr run` does: time from the replay's start to the last canonical ack.
    await using (var broker = DevKafkaBroker.Start())
    {
        var kafka = new KafkaOptions { BootstrapServers = broker.BootstrapServers, SessionTimeoutMs = 6000 };
        var (both, status) = await IngestUntilDoneAsync(kafka, plan.TotalEvents, () => new DatasetReplayer(kafka, logs.CreateLogger("replay")).RunAsync(plan, new ReplayOptions()));
        rows.Add(Row(run, "replay + Ingest concurrently (raw -> canonical)", status.Forwarded, both.Elapsed));
        Check(broker, kafka, plan);
    }
}

Console.WriteLine($"""
# Ingest throughput: {data.Name} training split

Command: `dotnet run -c Release --project bench/Spumr.Bench.Ingest -- {folder} {runs}{(paperWidths ? " paper" : "")}`

- Data: `{folder}`, training split: {plan.FeatureEventCount:N0} feature events ({string.Join(", ", plan.ModalityWidths.Select(m => $"{m.Key} {m.Value}-d"))}{(paperWidths ? ", random unit vectors" : "")}) + {plan.InteractionCount:N0} interactions = {plan.TotalEvents:N0} events (loaded in {loadSeconds:F1} s, not counted).
- Broker: the development broker (librdkafka {Library.VersionString} mock cluster) in the same process, default topic plan ({string.Join(", ", DevTopicPlan.Default().Select(t => $"{t.Name} {t.Partitions}"))}).
- Clients: `KafkaClientConfigs` defaults (idempotent producer, acks=all, lz4, linger 5 ms, 1 MB batches; consumer stores offsets after acks).
- Machine: {Environment.ProcessorCount} cores, shared with other work while measured; the lead re-runs on a quiet machine.
- "Ingest" time runs from host start (including group join and the dedupe-window catch-up) to the last output acknowledged; every run also checks the canonical topics hold each event id once.

| run | phase | events | seconds | events/s |
|---:|---|---:|---:|---:|
{string.Join("\n", rows)}
""");

static string Row(int run, string phase, long events, TimeSpan elapsed) =>
    string.Create(CultureInfo.InvariantCulture, $"| {run} | {phase} | {events:N0} | {elapsed.TotalSeconds:F2} | {events / elapsed.TotalSeconds:N0} |");

async Task<(Stopwatch Elapsed, IngestStatus Status)> IngestUntilDoneAsync(KafkaOptions kafka, long expected, Func<Task<ReplayResult>>? alongside)
{
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    var settings = new Dictionary<string, string?>(modalities)
    {
        ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        ["Kafka:SessionTimeoutMs"] = "6000",
    };
    builder.Configuration.AddInMemoryCollection(settings);
    builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
    builder.AddSpumrIngest();
    using var host = builder.Build();
    var status = host.Services.GetRequiredService<IngestStatus>();
    var watch = Stopwatch.StartNew();
    await host.StartAsync();
    var replay = alongside?.Invoke();
    while (status.Acknowledged < expected)
    {
        if (status.Loop?.State == ConsumeLoopState.Failed)
        {
            throw new InvalidOperationException("Ingest failed", status.Loop.Failure);
        }

        await Task.Delay(5);
    }

    watch.Stop();
    if (replay is not null)
    {
        await replay;
    }

    await host.StopAsync();
    if (status.Rejected != 0 || status.Duplicates != 0)
    {
        throw new InvalidOperationException($"Unexpected outcome: {status}");
    }

    return (watch, status);
}

static void Check(DevKafkaBroker broker, KafkaOptions kafka, ReplayPlan plan)
{
    using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
    using var reader = new ConsumerBuilder<Ignore, Ignore>(KafkaClientConfigs.Reader(kafka, "bench")).Build();
    long Count(string topic) => admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
        .Sum(p => reader.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10)).High.Value
                  - reader.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10)).Low.Value);
    if (Count(SpumrTopics.Interactions) != plan.InteractionCount || Count(SpumrTopics.ItemFeatures) != plan.FeatureEventCount)
    {
        throw new InvalidOperationException("Canonical topics do not hold every event exactly once (or the mock dropped some).");
    }
}

static MmrecDataset WithRandomFeatures(MmrecDataset data, IReadOnlyList<int> widths)
{
    var random = new Random(42);
    var features = widths.Select((width, m) =>
    {
        var values = new float[data.ItemCount * width];
        for (var item = 0; item < data.ItemCount; item++)
        {
            var row = values.AsSpan(item * width, width);
            for (var k = 0; k < width; k++)
            {
                row[k] = (float)((random.NextDouble() * 2) - 1);
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(row, System.Numerics.Tensors.TensorPrimitives.Norm(row), row);
        }

        return new FeatureMatrix(m == 0 ? "image" : "text", data.ItemCount, width, values);
    }).ToList();
    return new MmrecDataset(data.Name, data.UserCount, data.ItemCount, data.Interactions, features, data.UserExternalIds, data.ItemExternalIds);
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spumr.Core.Data;
using Spumr.GraphMaintainer;
using Spumr.GraphMaintainer.Graphs;
using Spumr.GraphMaintainer.Snapshots;
using Spumr.GraphMaintainer.Worker;
using Spumr.Ingest;
using Spumr.Ingest.Replay;
using Spumr.Ingest.Worker;
using Spumr.ServiceDefaults.Kafka;
using Spumr.ServiceDefaults.Messaging;
using Spumr.ServiceDefaults.Redis;

namespace Spumr.Bench.Ingest;

/// <summary>
/// Replay -> Ingest -> GraphMaintainer on the development broker and a private redis-server, all
/// services in one host as <c>spumr run</c> hosts them: how long until the graph state is current.
/// </summary>
internal static class GraphPipelineBench
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static async Task RunAsync(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : "data/amazon-baby";
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var data = MmrecDatasetReader.Load(folder);
        var plan = ReplayPlan.Create(data, ReplaySplit.Train, 0);
        var loadAverageBefore = LoadAverage();
        var rows = new List<string>();
        var checks = new List<string>();
        var toCurrent = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            await using var broker = DevKafkaBroker.Start();
            using var redis = RedisProcess.Start();
            var work = Directory.CreateTempSubdirectory("spumr-bench-gm-").FullName;
            try
            {
                var kafka = new KafkaOptions { BootstrapServers = broker.BootstrapServers, SessionTimeoutMs = 6000 };

                // 1. Everything at once, from an empty broker: replay start to a current graph state.
                var settings = Settings(kafka, redis.Endpoint, plan, Path.Combine(work, "a"), "a");
                using (var host = Build(settings, ingest: true))
                {
                    var status = host.Services.GetRequiredService<GraphMaintainerStatus>();
                    var ingestStatus = host.Services.GetRequiredService<IngestStatus>();
                    var watch = Stopwatch.StartNew();
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    await host.StartAsync();
                    var replay = await new DatasetReplayer(kafka, logs.CreateLogger("replay")).RunAsync(plan, new ReplayOptions());
                    var replayed = watch.Elapsed;
                    await WaitAsync(() => ingestStatus.Acknowledged >= plan.TotalEvents, status);
                    var ingested = watch.Elapsed;
                    await WaitAsync(() => status.Applied >= plan.TotalEvents, status);
                    var current = watch.Elapsed;
                    toCurrent.Add(current.TotalSeconds);
                    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                    var stop = Stopwatch.StartNew();
                    await host.StopAsync();
                    rows.Add(Row(run, "replay + Ingest + GraphMaintainer (one host): replay start to state current", plan.TotalEvents, current, cpuSeconds,
                        $"replay done at {replayed.TotalSeconds:F1} s, Ingest at {ingested.TotalSeconds:F1} s; {status.Batches} batches; {status.SnapshotsWritten - 1} snapshots on the way; clean stop with final snapshot {stop.Elapsed.TotalSeconds:F1} s"));
                    checks.Add($"run {run}: " + await CheckAsync(Path.Combine(work, "a"), plan, redis, "a", status));
                }

                // 2. GraphMaintainer alone from an empty state over the full canonical topics (a rebuild).
                settings = Settings(kafka, redis.Endpoint, plan, Path.Combine(work, "b"), "b");
                using (var host = Build(settings, ingest: false))
                {
                    var status = host.Services.GetRequiredService<GraphMaintainerStatus>();
                    var watch = Stopwatch.StartNew();
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    await host.StartAsync();
                    await WaitAsync(() => status.CaughtUp && status.Applied >= plan.TotalEvents, status);
                    rows.Add(Row(run, "GraphMaintainer alone: canonical backlog to state current (ready)", status.Applied, watch.Elapsed, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, $"{status.Batches} batches"));
                    await host.StopAsync();
                }

                // 3. Restart from that final snapshot: nothing to read, time to ready.
                using (var host = Build(settings, ingest: false))
                {
                    var status = host.Services.GetRequiredService<GraphMaintainerStatus>();
                    var watch = Stopwatch.StartNew();
                    await host.StartAsync();
                    await WaitAsync(() => status.CaughtUp, status);
                    rows.Add(Row(run, "GraphMaintainer restart from its final snapshot to ready", 0, watch.Elapsed, double.NaN, $"restored {Path.GetFileName(status.RestoredFrom?.Path)}, read {status.Consumed} messages"));
                    await host.StopAsync();
                }
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        Console.WriteLine($"""
# Replay to a current graph state: {data.Name} training split through Ingest and the GraphMaintainer

Command: `dotnet run -c Release --project bench/Spumr.Bench.Ingest -- graph {folder} {runs}`

- Data: `{folder}`, training split: {plan.FeatureEventCount:N0} feature events ({string.Join(", ", plan.ModalityWidths.Select(m => $"{m.Key} {m.Value}-d"))}) + {plan.InteractionCount:N0} interactions = {plan.TotalEvents:N0} events ({data.UserCount:N0} users, {data.ItemCount:N0} items).
- One Generic Host with `AddSpumrMessaging()` (in-memory bus), `AddSpumrIngest()` and `AddSpumrGraphMaintainer()` (default options: micro-batches of up to 5,000 messages or 200 ms, snapshots every 100,000 messages or 60 s, k = 10), as `spumr run` will host them; the development broker (librdkafka {Confluent.Kafka.Library.VersionString} mock cluster, default topic plan) in the same process; a private `redis-server` for the seen items.
- "State current" = the GraphMaintainer has applied every event of the split (all four graph families repaired after each batch, seen items in Redis). CPU is the whole process (broker, Ingest, GraphMaintainer, replay producer).
- Machine: {Environment.ProcessorCount} cores ({CpuModel()}), **shared with other jobs while measured** (load average before: {loadAverageBefore}; after: {LoadAverage()}); the lead re-runs on a quiet machine.

| run | phase | events | seconds | events/s | process CPU s | notes |
|---:|---|---:|---:|---:|---:|---|
{string.Join("\n", rows)}

**Target: replay start to a current graph state under 30 s on 2 cores. Measured: median {Median(toCurrent):F1} s, worst {toCurrent.Max():F1} s of {runs} runs ({(toCurrent.Max() < 30 ? "met" : "NOT met")}).**

Peak resident memory of the whole bench process (broker with all topics, Ingest, GraphMaintainer state, replay data): {PeakRssMiB():N0} MiB.

Checks (each run): {string.Join("; ", checks)}
""");
    }

    private static Dictionary<string, string?> Settings(KafkaOptions kafka, string redis, ReplayPlan plan, string snapshots, string prefix)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka:SessionTimeoutMs"] = "6000",
            ["GraphMaintainer:Redis"] = redis,
            ["GraphMaintainer:KeyPrefix"] = prefix,
            ["GraphMaintainer:SnapshotDirectory"] = snapshots,
        };
        var m = 0;
        foreach (var (name, width) in plan.ModalityWidths)
        {
            settings[$"Ingest:Modalities:{name}"] = width.ToString(CultureInfo.InvariantCulture);
            settings[$"GraphMaintainer:Graphs:Modalities:{m}:Name"] = name;
            settings[$"GraphMaintainer:Graphs:Modalities:{m}:Width"] = width.ToString(CultureInfo.InvariantCulture);
            m++;
        }

        return settings;
    }

    private static IHost Build(Dictionary<string, string?> settings, bool ingest)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.AddSpumrMessaging();
        if (ingest)
        {
            builder.AddSpumrIngest();
        }

        builder.AddSpumrGraphMaintainer();
        return builder.Build();
    }

    private static async Task WaitAsync(Func<bool> done, GraphMaintainerStatus status)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!done())
        {
            if (status.Loop?.State == ConsumeLoopState.Failed)
            {
                throw new InvalidOperationException("GraphMaintainer failed", status.Loop.Failure);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not done after {Timeout}: {status}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>The final snapshot holds every event once and equals a batch rebuild on its own data; Redis has a seen set per user.</summary>
    private static async Task<string> CheckAsync(string snapshots, ReplayPlan plan, RedisProcess redis, string prefix, GraphMaintainerStatus status)
    {
        if (status.DeadLettered != 0 || status.Duplicates != 0)
        {
            throw new InvalidOperationException($"Unexpected outcome: {status}");
        }

        using var folder = new SnapshotDirectory(snapshots, keep: 100, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var state = (folder.LoadNewest() ?? throw new InvalidOperationException("no final snapshot")).Snapshot.State;
        if (state.AppliedEventCount != plan.TotalEvents || state.ExportInteractions().Count != plan.InteractionCount)
        {
            throw new InvalidOperationException($"Final snapshot holds {state.AppliedEventCount} events / {state.ExportInteractions().Count} interactions; the split has {plan.TotalEvents} / {plan.InteractionCount}.");
        }

        if (BatchGraphBuilder.Build(state.ToGraphSource()).FirstDifference(state.Graphs()) is { } difference)
        {
            throw new InvalidOperationException("Streamed graphs differ from a batch rebuild: " + difference);
        }

        using var connection = await RedisConnector.ConnectAsync(redis.Endpoint, TimeSpan.FromSeconds(10));
        var seenKeys = connection.GetServer(connection.GetEndPoints()[0]).Keys(pattern: $"{prefix}:seen:*", pageSize: 5000).Count();
        if (seenKeys != state.UserCount)
        {
            throw new InvalidOperationException($"{seenKeys} seen-item sets in Redis for {state.UserCount} users.");
        }

        return $"ok: final snapshot holds all {plan.TotalEvents:N0} events once, its graphs equal a batch rebuild bit for bit, {seenKeys:N0} seen-item sets";
    }

    private static string Row(int run, string phase, long events, TimeSpan elapsed, double cpu, string notes) =>
        string.Create(CultureInfo.InvariantCulture, $"| {run} | {phase} | {events:N0} | {elapsed.TotalSeconds:F2} | {(events == 0 ? "" : (events / elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture))} | {(double.IsNaN(cpu) ? "" : cpu.ToString("F1", CultureInfo.InvariantCulture))} | {notes} |");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double PeakRssMiB() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0)
            .FirstOrDefault(double.NaN);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    /// <summary>A private redis-server on a free loopback port, no persistence; killed on dispose.</summary>
    private sealed class RedisProcess : IDisposable
    {
        private readonly Process _process;

        private RedisProcess(Process process, int port)
        {
            _process = process;
            Endpoint = $"127.0.0.1:{port}";
        }

        public string Endpoint { get; }

        public static RedisProcess Start()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (Debian: apt-get install -y redis-server).");
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, port);
                    return new RedisProcess(process, port);
                }
                catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    Thread.Sleep(20);
                }
            }
        }

        public void Dispose()
        {
            _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}

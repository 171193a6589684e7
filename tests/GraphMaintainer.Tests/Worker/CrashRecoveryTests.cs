using Spumr.GraphMaintainer.Snapshots;
using Spumr.Ingest.Replay;
using Spumr.ServiceDefaults.Kafka;
using Spumr.TestSupport;
using Xunit.Abstractions;

namespace Spumr.GraphMaintainer.Tests.Worker;

/// <summary>
/// The GraphMaintainer killed the hard way in the middle of a replay and started again: its state
/// must equal a batch build of the data, and the seen-item sets must be exact.
/// </summary>
public sealed class CrashRecoveryTests(RedisServer redis, ITestOutputHelper output) : IClassFixture<RedisServer>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly string _snapshots = Directory.CreateTempSubdirectory("spumr-gm-crash-").FullName;

    public void Dispose() => Directory.Delete(_snapshots, recursive: true);

    /// <summary>
    /// Replay (paced over about 10 s) -> Ingest -> the standalone GraphMaintainer as a child process,
    /// writing a snapshot every 300 messages and seen items every batch of at most 50. Once it has
    /// written two snapshots it gets SIGKILL: no final batch, no final snapshot, seen items in Redis
    /// from batches after its last snapshot. A new GraphMaintainer then restores the newest snapshot,
    /// reads on from its offsets (re-applying what the dead one applied after it) and finishes the
    /// stream. Its final state must hold every event once and equal the batch build, bit for bit.
    /// </summary>
    [Fact]
    public async Task Killed_mid_stream_a_restart_ends_equal_to_a_batch_build()
    {
        await using var kafka = TestKafka.Start();
        var data = TinyDataSet.Create(users: 500, items: 60, interactionsPerUser: 8);
        var plan = ReplayPlan.Create(data, ReplaySplit.Train, 0);
        var prefix = "crash" + Guid.NewGuid().ToString("N")[..8];
        var settings = GraphMaintainerHost.Settings(kafka, redis, _snapshots, prefix);
        settings["GraphMaintainer:SnapshotEveryEvents"] = "300";
        settings["GraphMaintainer:MaxBatchEvents"] = "50";

        await using var ingest = await IngestService.StartAsync(kafka, output);
        var replay = GraphMaintainerWorkerTests.Replayer(kafka).RunAsync(plan, new ReplayOptions { Speed = 30 * 86_400 / 10.0 });
        long coveredAtKill;
        using (var doomed = ServiceProcess.Start("Spumr.GraphMaintainer", settings, output))
        {
            await Eventually.TrueAsync(() => SnapshotCount() >= 2 || doomed.HasExited, Timeout, () => $"{SnapshotCount()} snapshots");
            Assert.False(doomed.HasExited, "the GraphMaintainer process exited by itself");
            doomed.Kill();
            coveredAtKill = Newest().Position.Total;
        }

        // Mid-stream: the dead process's newest snapshot covers only part of the data set (the replay
        // usually still runs; on a slow machine it may have finished, which changes nothing here).
        output.WriteLine($"killed with {coveredAtKill} of {plan.TotalEvents} messages in its newest snapshot; replay finished: {replay.IsCompleted}");
        Assert.InRange(coveredAtKill, 1, plan.TotalEvents - 1);

        await using var restarted = await GraphMaintainerHost.StartAsync(settings, output);
        await replay;
        await Eventually.TrueAsync(
            () => kafka.Count(SpumrTopics.Interactions) + kafka.Count(SpumrTopics.ItemFeatures) == plan.TotalEvents,
            Timeout,
            () => $"Ingest: {ingest.Status}");
        await Eventually.TrueAsync(
            () => restarted.Status.Consumed == plan.TotalEvents - restarted.Status.RestoredPosition && restarted.Status.CaughtUp,
            Timeout,
            () => restarted.Status.ToString());
        await restarted.StopAsync();

        Assert.NotNull(restarted.Status.RestoredFrom);
        Assert.True(restarted.Status.RestoredPosition >= coveredAtKill);

        // The snapshot's offsets match its state exactly: no event below them is read again (the
        // state would have dropped it as a duplicate), none above them is missing (checked below).
        Assert.Equal(0, restarted.Status.Duplicates);
        var final = Newest();
        Assert.Equal(plan.TotalEvents, final.Position.Total);
        StreamedStateCheck.AssertEqualsBatchBuild(final.Snapshot.State, GraphMaintainerWorkerTests.Interactions(plan), [.. plan.FeatureEvents()]);
        await StreamedStateCheck.AssertSeenItemsAsync(redis.Connection, prefix, GraphMaintainerWorkerTests.Interactions(plan));
        Assert.Equal(0, restarted.Status.DeadLettered);
    }

    private int SnapshotCount() => Directory.GetFiles(_snapshots, "*.snapshot").Length;

    private RestoredSnapshot Newest()
    {
        using var folder = new SnapshotDirectory(_snapshots, keep: 100, new ListLogger());
        return folder.LoadNewest() ?? throw new InvalidOperationException("no snapshot");
    }
}

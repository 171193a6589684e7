using System.Threading.Channels;
using MassTransit;
using Spumr.Core.Messages;

namespace Spumr.GraphMaintainer.Worker;

/// <summary>
/// Publishes <see cref="GraphSnapshotReady"/> for each written snapshot, in order, off the consume
/// loop's thread (a slow or absent broker must not stall the stream). A failed publish is logged
/// and not retried: the snapshot is on disk either way, and the next announcement supersedes it.
/// </summary>
internal sealed class SnapshotAnnouncer(IBus bus, ILogger logger)
{
    private readonly Channel<GraphSnapshotReady> _pending = Channel.CreateUnbounded<GraphSnapshotReady>(new UnboundedChannelOptions { SingleReader = true });

    public void Announce(GraphSnapshotReady snapshot) => _pending.Writer.TryWrite(snapshot);

    /// <summary>No more announcements; <see cref="RunAsync"/> ends once the queued ones are out.</summary>
    public void Complete() => _pending.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var snapshot in _pending.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await bus.Publish(snapshot, cancellationToken);
                    logger.LogInformation("Announced snapshot {Sequence} ({Path})", snapshot.Sequence, snapshot.SnapshotPath);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not announce snapshot {Sequence} ({Path})", snapshot.Sequence, snapshot.SnapshotPath);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Stopped before announcing every snapshot");
        }
    }
}

using MassTransit;
using Spumr.Core.Messages;

namespace Spumr.Serving.Models;

/// <summary>Swaps to the newly published (or rolled-back-to) version as soon as the Trainer announces it.</summary>
public sealed class ModelPublishedConsumer(ModelRefresher refresher, ILogger<ModelPublishedConsumer> logger) : IConsumer<ModelPublished>
{
    public async Task Consume(ConsumeContext<ModelPublished> context)
    {
        logger.LogInformation("ModelPublished: version {Version} ({Model}, rollback: {Rollback})",
            context.Message.Version, context.Message.Model, context.Message.IsRollback);
        await refresher.RefreshAsync(context.CancellationToken);
    }
}

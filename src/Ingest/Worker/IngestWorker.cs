using Microsoft.Extensions.Options;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Worker;

/// <summary>Hosts the Ingest consume loop: raw topics in, canonical and dead-letter topics out.</summary>
internal sealed class IngestWorker(
    IOptions<KafkaOptions> kafka,
    IOptions<IngestOptions> options,
    IngestStatus status,
    TimeProvider clock,
    ILogger<IngestWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var handler = new IngestHandler(kafka.Value, settings, status, logger, clock, stoppingToken);
        var loop = new KafkaConsumeLoop(
            KafkaClientConfigs.Consumer(kafka.Value, settings.GroupId, "ingest"),
            [settings.RawInteractionsTopic, settings.RawItemFeaturesTopic],
            handler,
            logger);
        status.Loop = loop;
        logger.LogInformation(
            "Ingest: {Interactions} -> {CanonicalInteractions}, {Features} -> {CanonicalFeatures}, rejects -> {DeadLetter}; modalities {Modalities}; dedupe window {Window:N0} ids",
            settings.RawInteractionsTopic,
            settings.InteractionsTopic,
            settings.RawItemFeaturesTopic,
            settings.ItemFeaturesTopic,
            settings.DeadLetterTopic,
            string.Join(", ", settings.Modalities.Select(m => $"{m.Key} {m.Value}-d")),
            settings.DedupeWindow);
        await loop.RunAsync(stoppingToken);
        logger.LogInformation("Ingest stopped: {Status}", status);
    }
}

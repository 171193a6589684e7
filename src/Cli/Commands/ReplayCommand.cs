using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Rendering;
using Spumr.Core.Data;
using Spumr.Ingest.Replay;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Cli.Commands;

/// <summary><c>spumr replay --data &lt;folder&gt;</c>: publishes an MMRec data set to the raw topics as events.</summary>
internal sealed class ReplayCommand : AsyncCommand<ReplayCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--data <FOLDER>")]
        [Description("An MMRec-format data set folder, such as data/amazon-baby.")]
        public string? Data { get; init; }

        [CommandOption("--split <SPLIT>")]
        [Description("train (MMRec's training split, default) or all.")]
        public string Split { get; init; } = "train";

        [CommandOption("--speed <SPEED>")]
        [Description("max (default) or data seconds per second, such as 86400 for a day a second.")]
        public string Speed { get; init; } = "max";

        [CommandOption("--brokers <BROKERS>")]
        [Description("Kafka bootstrap servers (default localhost:9092, where `spumr broker` listens).")]
        public string Brokers { get; init; } = "localhost:9092";

        [CommandOption("--json")]
        [Description("Print the result as one JSON object instead of a progress bar.")]
        public bool Json { get; init; }

        public ReplaySplit ParsedSplit => Split.ToLowerInvariant() switch
        {
            "train" => ReplaySplit.Train,
            "all" => ReplaySplit.All,
            _ => throw new InvalidOperationException("validated"),
        };

        public double? ParsedSpeed => Speed.Equals("max", StringComparison.OrdinalIgnoreCase)
            ? null
            : double.Parse(Speed, NumberStyles.Float, CultureInfo.InvariantCulture);

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Data))
            {
                return ValidationResult.Error("--data <folder> is required, such as --data data/amazon-baby");
            }

            if (Split.ToLowerInvariant() is not ("train" or "all"))
            {
                return ValidationResult.Error($"--split '{Split}' is not a split; use train or all");
            }

            if (!Speed.Equals("max", StringComparison.OrdinalIgnoreCase)
                && !(double.TryParse(Speed, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && double.IsFinite(factor) && factor > 0))
            {
                return ValidationResult.Error($"--speed '{Speed}' is not max or a positive number of data seconds per second");
            }

            return string.IsNullOrWhiteSpace(Brokers)
                ? ValidationResult.Error("--brokers is empty; give host:port, such as localhost:9092")
                : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });

        var data = MmrecDatasetReader.Load(settings.Data!);
        var options = new ReplayOptions { Split = settings.ParsedSplit, Speed = settings.ParsedSpeed };
        var replayer = new DatasetReplayer(new KafkaOptions { BootstrapServers = settings.Brokers }, NullLogger.Instance);
        var plan = ReplayPlan.Create(data, options.Split, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        ReplayResult result;
        try
        {
            if (settings.Json)
            {
                result = await replayer.RunAsync(plan, options, null, stop.Token);
            }
            else
            {
                var modalities = plan.ModalityWidths.Count == 0 ? "no features" : string.Join(", ", plan.ModalityWidths.Select(m => $"{m.Key} {m.Value}-d"));
                AnsiConsole.MarkupLineInterpolated(
                    $"Replaying [bold]{data.Name}[/] ({settings.ParsedSplit.ToString().ToLowerInvariant()}): {plan.FeatureEventCount:N0} feature events ({modalities}), then {plan.InteractionCount:N0} interactions, to {settings.Brokers} at {(options.Speed is { } s ? s.ToString("G4", CultureInfo.InvariantCulture) + "x" : "full speed")}");
                // A progress bar only makes sense on a terminal; redirected output gets the summary line.
                result = AnsiConsole.Profile.Capabilities.Interactive
                    ? await RunWithProgressAsync(replayer, plan, options, stop.Token)
                    : await replayer.RunAsync(plan, options, null, stop.Token);
            }
        }
        catch (ReplayException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]replay cancelled[/]");
            return 130;
        }

        var summary = new ReplaySummary(result.DataSet, settings.ParsedSplit.ToString().ToLowerInvariant(), result.FeatureEvents, result.InteractionEvents, result.Elapsed.TotalSeconds, result.EventsPerSecond, settings.Brokers);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(summary, ReplaySummaryJsonContext.Default.ReplaySummary));
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated(
                $"Sent [bold]{result.TotalEvents:N0}[/] events ({result.FeatureEvents:N0} feature, {result.InteractionEvents:N0} interaction) in {result.Elapsed.TotalSeconds:F1} s: [bold]{result.EventsPerSecond:N0}[/] events/s");
        }

        return 0;
    }

    private static async Task<ReplayResult> RunWithProgressAsync(DatasetReplayer replayer, ReplayPlan plan, ReplayOptions options, CancellationToken cancellationToken)
    {
        ReplayResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new EventRateColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("features", maxValue: plan.TotalEvents);
                var reporter = new Progress<ReplayProgress>(p =>
                {
                    task.Description = p.Phase;
                    task.Value = p.Acknowledged;
                    task.State.Update<double>("rate", _ => p.EventsPerSecond);
                });
                result = await replayer.RunAsync(plan, options, reporter, cancellationToken);
                task.Description = "done";
                task.Value = plan.TotalEvents;
                task.State.Update<double>("rate", _ => result.EventsPerSecond);
            });
        return result!;
    }

    /// <summary>Acknowledged events per second since the start.</summary>
    private sealed class EventRateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(CultureInfo.InvariantCulture, $"{task.State.Get<double>("rate"),9:N0} events/s"));
    }
}

internal sealed record ReplaySummary(string DataSet, string Split, long FeatureEvents, long InteractionEvents, double Seconds, double EventsPerSecond, string Brokers);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReplaySummary))]
internal sealed partial class ReplaySummaryJsonContext : JsonSerializerContext;

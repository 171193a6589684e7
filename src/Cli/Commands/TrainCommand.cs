using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Spumr.Core.Data;
using Spumr.Core.Evaluation;
using Spumr.Trainer.Models;
using Spumr.Trainer.Torch;
using Spumr.Trainer.Training;

namespace Spumr.Cli.Commands;

/// <summary>
/// <c>spumr train --model lightgcn|mfbpr|pop --data FOLDER</c>: trains with MMRec's protocol, prints
/// the best validation epoch's validation and test scores, and writes a run folder.
/// </summary>
internal sealed class TrainCommand : AsyncCommand<TrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-m|--model <MODEL>")]
        [Description("The model: lightgcn, mfbpr or pop.")]
        public string Model { get; init; } = "";

        [CommandOption("-d|--data <FOLDER>")]
        [Description("An MMRec-format data set folder. Default: data/amazon-baby.")]
        [DefaultValue("data/amazon-baby")]
        public string Data { get; init; } = "data/amazon-baby";

        [CommandOption("--epochs <N>")]
        [Description("Most epochs to train; early stopping usually ends sooner. Default: 1000.")]
        public int? Epochs { get; init; }

        [CommandOption("--seed <S>")]
        [Description("Seed of the weights and the batches. Default: 999 (MMRec's).")]
        public int? Seed { get; init; }

        [CommandOption("--device <DEVICE>")]
        [Description("auto, cpu or cuda. Default: auto.")]
        [DefaultValue("auto")]
        public string Device { get; init; } = "auto";

        [CommandOption("--threads <N>")]
        [Description("Torch threads; 0 for one per core. Default: 0.")]
        public int? Threads { get; init; }

        [CommandOption("--batch-size <N>")]
        [Description("Training batch size. Default: 2048.")]
        public int? BatchSize { get; init; }

        [CommandOption("--lr <RATE>")]
        [Description("Adam's learning rate. Default: 0.001.")]
        public double? LearningRate { get; init; }

        [CommandOption("--patience <N>")]
        [Description("Epochs without a better validation Recall@20 before stopping. Default: 20.")]
        public int? Patience { get; init; }

        [CommandOption("--dim <D>")]
        [Description("Embedding width (lightgcn, mfbpr). Default: 64.")]
        public int? Dimension { get; init; }

        [CommandOption("--layers <L>")]
        [Description("LightGCN propagation layers.")]
        public int? Layers { get; init; }

        [CommandOption("--reg-weight <W>")]
        [Description("Weight of the L2 (EmbLoss) term on the batch embeddings.")]
        public double? RegWeight { get; init; }

        [CommandOption("--out <FOLDER>")]
        [Description("Where run folders are created. Default: runs.")]
        [DefaultValue("runs")]
        public string Out { get; init; } = "runs";

        [CommandOption("--no-save")]
        [Description("Write no run folder.")]
        public bool NoSave { get; init; }

        [CommandOption("--json")]
        [Description("Print the final table as one JSON object (progress goes to stderr).")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Model))
            {
                return ValidationResult.Error($"--model is required: one of {string.Join(", ", ModelCatalog.Names)}.");
            }

            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Everything the user typed is checked before the data is read or libtorch is loaded.
        var spec = ModelCatalog.Resolve(settings.Model, new ModelHyperParameters(settings.Dimension, settings.Layers, settings.RegWeight));
        var defaults = new TrainingOptions();
        var options = OptionsValidation.Validated(defaults with
        {
            Epochs = settings.Epochs ?? defaults.Epochs,
            Seed = settings.Seed ?? defaults.Seed,
            BatchSize = settings.BatchSize ?? defaults.BatchSize,
            LearningRate = settings.LearningRate ?? defaults.LearningRate,
            Patience = settings.Patience ?? defaults.Patience,
            Threads = settings.Threads ?? defaults.Threads,
            Device = TorchRuntime.ParseDevice(settings.Device),
        });
        var device = TorchRuntime.Initialize(options.Device, options.Threads);

        var data = MmrecDatasetReader.Load(settings.Data, new MmrecLoadOptions { LoadFeatures = false });
        var folder = settings.NoSave ? null : RunFolder.Create(settings.Out, spec.Name, data.Name, options.Seed);
        folder?.WriteConfig(new RunConfig
        {
            Model = spec.Name,
            ModelOptions = spec.Options,
            Training = options,
            DataFolder = Path.GetFullPath(settings.Data),
            DataName = data.Name,
            Users = data.UserCount,
            Items = data.ItemCount,
            TrainInteractions = data.Train.NonZeroCount,
            TorchBackend = TorchRuntime.Backend,
            SpumrVersion = TorchRuntime.BuildVersion,
            CommandLine = "spumr " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            StartedUtc = DateTimeOffset.UtcNow,
        });

        var result = await RunAsync(options, data, spec, folder, settings.Json, cancellationToken);
        var summary = RunSummary.Of(result, data.Name, options.Seed, device.ToString(), folder?.Path);
        folder?.WriteResult(summary);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(summary, TrainerJsonContext.Default.RunSummary));
        }
        else
        {
            AnsiConsole.Write(FinalTable(result, data.Name));
            var inv = CultureInfo.InvariantCulture;
            Console.Out.WriteLine(string.Create(inv, $"best epoch {result.BestEpoch} of {result.EpochsRun} ({result.StopReason})"));
            Console.Out.WriteLine(string.Create(inv, $"{result.TrainSecondsPerEpoch:0.00} s/epoch training, {result.EvalSecondsPerEpoch:0.00} s/epoch validation, {result.TotalSeconds:0} s in all"));
            if (summary.RunFolder is { } path)
            {
                Console.Out.WriteLine($"run folder: {path}");
            }
        }

        return 0;
    }

    private static Task<TrainingResult> RunAsync(TrainingOptions options, MmrecDataset data, ModelSpec spec, RunFolder? folder, bool json, CancellationToken cancellationToken)
    {
        if (json || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Logs and scripts get one line per epoch, on stderr so stdout stays the result.
            var lines = new EpochLines(Console.Error, options.ValidationK);
            return Task.Run(() => new TrainingLoop(options, lines).Run(data, spec.Create, folder, cancellationToken), cancellationToken);
        }

        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = new EpochProgressBar(progress, spec.Name, options.Epochs, options.ValidationK);
                return await Task.Run(() => new TrainingLoop(options, bar).Run(data, spec.Create, folder, cancellationToken), cancellationToken);
            });
    }

    private static Table FinalTable(TrainingResult result, string dataName)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().RoundedBorder()
            .Title($"[bold]{Markup.Escape(result.Model)}[/] on {Markup.Escape(dataName)}");
        table.AddColumn("split");
        foreach (var header in new[] { "R@10", "R@20", "N@10", "N@20" })
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        void Row(string name, EvaluationResult r) => table.AddRow(
            name,
            r.RecallAt(10).ToString("0.0000", inv),
            r.RecallAt(20).ToString("0.0000", inv),
            r.NdcgAt(10).ToString("0.0000", inv),
            r.NdcgAt(20).ToString("0.0000", inv));

        Row("validation", result.Validation);
        Row("test", result.Test);
        return table;
    }

    /// <summary>A progress bar over the current epoch's batches, with the loss and validation Recall@K.</summary>
    private sealed class EpochProgressBar(ProgressContext progress, string model, int maxEpochs, int k) : ITrainingObserver
    {
        private readonly ProgressTask _task = progress.AddTask(Markup.Escape(model));
        private string _last = "";
        private double _best;

        public void EpochStarted(int epoch, int batches)
        {
            _task.MaxValue = batches;
            _task.Value = 0;
            _task.Description = string.Create(CultureInfo.InvariantCulture, $"{Markup.Escape(model)} epoch {epoch}/{maxEpochs}{_last}");
        }

        public void BatchCompleted(int epoch, int batch, double loss) => _task.Value = batch;

        public void EpochCompleted(EpochMetrics metrics)
        {
            var recall = metrics.Validation.RecallAt(k);
            _best = Math.Max(_best, recall);
            _last = string.Create(CultureInfo.InvariantCulture, $"  loss {metrics.TotalLoss:0.0000}  val R@{k} {recall:0.0000} (best {_best:0.0000})");
            _task.Description = string.Create(CultureInfo.InvariantCulture, $"{Markup.Escape(model)} epoch {metrics.Epoch}/{maxEpochs}{_last}");
        }
    }

    /// <summary>One plain line per epoch for logs.</summary>
    private sealed class EpochLines(TextWriter writer, int k) : ITrainingObserver
    {
        public void EpochCompleted(EpochMetrics metrics)
        {
            var loss = string.Join("  ", metrics.Loss.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:G5}")));
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"epoch {metrics.Epoch,4}  {metrics.TrainSeconds,6:0.00}s + {metrics.EvalSeconds,5:0.00}s  {loss}  val R@{k} {metrics.Validation.RecallAt(k):0.0000}  N@{k} {metrics.Validation.NdcgAt(k):0.0000}{(metrics.Improved ? "  *" : "")}"));
            writer.Flush();
        }
    }
}

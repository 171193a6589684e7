using System.Diagnostics;
using Spumr.Core.Data;
using Spumr.Core.Evaluation;
using Spumr.Trainer.Evaluation;
using Spumr.Trainer.Models;
using Spumr.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Spumr.Trainer.Training;

/// <summary>
/// MMRec's training protocol for any <see cref="IRecommenderModel"/>: Adam over BPR batches, full-ranking
/// validation after every epoch, early stopping on a strictly greater validation Recall@K, and the test
/// split ranked once with the best validation epoch's weights (test mask: training items only).
/// Seeded and deterministic: the same seed, data and thread count give the same metrics.
/// </summary>
public sealed class TrainingLoop
{
    private readonly TrainingOptions _options;
    private readonly ITrainingObserver? _observer;

    public TrainingLoop(TrainingOptions options, ITrainingObserver? observer = null)
    {
        _options = OptionsValidation.Validated(options);
        _observer = observer;
    }

    /// <summary>
    /// Trains the model that <paramref name="createModel"/> builds (after the seed is set, so its
    /// initial weights are seeded too) and evaluates it. With a <paramref name="folder"/>, writes the
    /// per-epoch metrics, the best checkpoint and the result there.
    /// </summary>
    public TrainingResult Run(
        MmrecDataset data,
        Func<TrainingContext, IRecommenderModel> createModel,
        RunFolder? folder = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(createModel);
        var total = Stopwatch.StartNew();
        var device = TorchRuntime.Initialize(_options.Device, _options.Threads);
        torch.manual_seed(_options.Seed);
        if (device.type == DeviceType.CUDA)
        {
            torch.cuda.manual_seed_all(_options.Seed);
        }

        using var context = new TrainingContext(data, device);
        using var model = createModel(context);
        var validation = new RankingEvaluator(data.Train, data.Validation);
        var test = new RankingEvaluator(data.Train, data.Test);
        if (!validation.Ks.Contains(_options.ValidationK))
        {
            throw new TrainingSetupException($"The validation K {_options.ValidationK} is not among the evaluated cut-offs {string.Join(", ", validation.Ks)}.");
        }

        var parameters = model.Module.parameters().Where(p => p.requires_grad).ToList();
        if (parameters.Count == 0)
        {
            return EvaluateUntrained(model, validation, test, folder, total, cancellationToken);
        }

        using var optimizer = new AdamOptimizer(parameters, _options.LearningRate);
        using var best = new BestWeights();
        var sampler = new BprSampler(data.Train, _options.Seed);
        var stopping = new EarlyStopping(_options.Patience);
        var epochs = new List<EpochMetrics>();
        var stop = StopReason.EpochLimit;
        for (var epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var loss = TrainEpoch(model, optimizer, sampler, epoch, device, cancellationToken);
            var trainSeconds = clock.Elapsed.TotalSeconds;
            if (loss is null)
            {
                stop = StopReason.NonFiniteLoss;
                break;
            }

            clock.Restart();
            var valid = Evaluate(model, validation, cancellationToken);
            var evalSeconds = clock.Elapsed.TotalSeconds;
            var improved = stopping.Observe(epoch, valid.RecallAt(_options.ValidationK));
            if (improved)
            {
                best.Capture(model.Module);
                folder?.SaveCheckpoint(model.Module);
            }

            var metrics = new EpochMetrics(epoch, trainSeconds, evalSeconds, loss, valid, improved);
            epochs.Add(metrics);
            folder?.AppendEpoch(metrics);
            _observer?.EpochCompleted(metrics);
            if (stopping.ShouldStop)
            {
                stop = StopReason.EarlyStopping;
                break;
            }
        }

        if (!best.HasValue)
        {
            throw new InvalidOperationException(epochs.Count == 0
                ? "Training stopped before the first epoch finished: the loss was not finite."
                : "No epoch improved on the initial validation score.");
        }

        best.Restore(model.Module);
        var testResult = Evaluate(model, test, cancellationToken);
        var bestEpoch = epochs[stopping.BestEpoch - 1];
        return new TrainingResult(
            model.Name,
            stopping.BestEpoch,
            epochs.Count,
            stop,
            bestEpoch.Validation,
            testResult,
            epochs.Average(e => e.TrainSeconds),
            epochs.Average(e => e.EvalSeconds),
            total.Elapsed.TotalSeconds,
            epochs);
    }

    /// <summary>One shuffled pass; the mean batch loss per term, or null when a loss was not finite.</summary>
    private List<KeyValuePair<string, double>>? TrainEpoch(
        IRecommenderModel model,
        AdamOptimizer optimizer,
        BprSampler sampler,
        int epoch,
        Device device,
        CancellationToken cancellationToken)
    {
        model.Module.train();
        var batches = sampler.BatchCount(_options.BatchSize);
        _observer?.EpochStarted(epoch, batches);
        string[]? names = null;
        double[]? sums = null;
        var batch = 0;
        foreach (var triples in sampler.Epoch(_options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var input = new BprBatch(
                tensor(triples.Users, device: device),
                tensor(triples.Positives, device: device),
                tensor(triples.Negatives, device: device));
            optimizer.ZeroGrad();
            var loss = model.Loss(input);
            loss.Total.backward();
            optimizer.Step();

            names ??= ["loss", .. loss.Terms.Select(t => t.Name)];
            sums ??= new double[names.Length];
            var total = loss.Total.item<float>();
            if (!float.IsFinite(total))
            {
                return null;
            }

            sums[0] += total;
            for (var t = 0; t < loss.Terms.Count; t++)
            {
                sums[t + 1] += loss.Terms[t].Value.item<float>();
            }

            batch++;
            _observer?.BatchCompleted(epoch, batch, total);
        }

        return [.. names!.Select((name, t) => KeyValuePair.Create(name, sums![t] / batch))];
    }

    private EvaluationResult Evaluate(IRecommenderModel model, RankingEvaluator evaluator, CancellationToken cancellationToken)
    {
        model.Module.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var embeddings = model.ComputeEmbeddings();
        return evaluator.Evaluate(new TorchUserScorer(embeddings.Users, embeddings.Items), _options.EvalBlockSize, cancellationToken);
    }

    private TrainingResult EvaluateUntrained(
        IRecommenderModel model,
        RankingEvaluator validation,
        RankingEvaluator test,
        RunFolder? folder,
        Stopwatch total,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var valid = Evaluate(model, validation, cancellationToken);
        var metrics = new EpochMetrics(0, 0, clock.Elapsed.TotalSeconds, [KeyValuePair.Create("loss", 0.0)], valid, true);
        folder?.AppendEpoch(metrics);
        folder?.SaveCheckpoint(model.Module);
        _observer?.EpochCompleted(metrics);
        var testResult = Evaluate(model, test, cancellationToken);
        return new TrainingResult(model.Name, 0, 0, StopReason.NotTrainable, valid, testResult, 0, metrics.EvalSeconds, total.Elapsed.TotalSeconds, [metrics]);
    }
}

using Spumr.Core.Data;
using Spumr.Trainer.Models;
using Spumr.Trainer.Torch;
using Spumr.Trainer.Training;
using TorchSharp;

namespace Spumr.Trainer.Tests.Training;

public sealed class TrainingLoopTests
{
    private static readonly MmrecDataset Data = SyntheticData.Clustered();

    private static readonly TrainingOptions Fast = new()
    {
        Epochs = 15,
        BatchSize = 256,
        LearningRate = 0.01,
        Patience = 15,
        Device = DeviceChoice.Cpu,
        Threads = 2,
        EvalBlockSize = 128,
        Seed = 3,
    };

    [Fact]
    public void LightGcn_learns_far_above_most_popular()
    {
        var popular = new TrainingLoop(Fast).Run(Data, Spec("pop").Create);
        var lightGcn = new TrainingLoop(Fast).Run(Data, Spec("lightgcn").Create);

        var pop = popular.Validation.RecallAt(20);
        var learned = lightGcn.Validation.RecallAt(20);
        Assert.True(learned > pop + 0.15 && learned > 1.5 * pop, $"LightGCN validation R@20 {learned:0.0000} vs MostPopular {pop:0.0000}");
        Assert.True(lightGcn.Epochs[^1].TotalLoss < lightGcn.Epochs[0].TotalLoss);
        Assert.Equal(StopReason.NotTrainable, popular.StopReason);
    }

    [Fact]
    public void MatrixFactorization_learns_above_most_popular()
    {
        var popular = new TrainingLoop(Fast).Run(Data, Spec("pop").Create);
        var mf = new TrainingLoop(Fast with { Epochs = 25, Patience = 25 }).Run(Data, Spec("mfbpr").Create);

        Assert.True(mf.Validation.RecallAt(20) > popular.Validation.RecallAt(20) + 0.05, $"MF-BPR {mf.Validation.RecallAt(20):0.0000} vs MostPopular {popular.Validation.RecallAt(20):0.0000}");
    }

    [Fact]
    public void The_same_seed_gives_identical_losses_and_metrics_and_another_seed_does_not()
    {
        var options = Fast with { Epochs = 4 };
        var first = new TrainingLoop(options).Run(Data, Spec("lightgcn").Create);
        var second = new TrainingLoop(options).Run(Data, Spec("lightgcn").Create);
        var other = new TrainingLoop(options with { Seed = 4 }).Run(Data, Spec("lightgcn").Create);

        Assert.Equal(first.Epochs.Select(e => e.Loss), second.Epochs.Select(e => e.Loss));
        Assert.Equal(first.Epochs.Select(e => e.Validation.Recall), second.Epochs.Select(e => e.Validation.Recall));
        Assert.Equal(first.Epochs.Select(e => e.Validation.Ndcg), second.Epochs.Select(e => e.Validation.Ndcg));
        Assert.Equal(first.Test.Recall, second.Test.Recall);
        Assert.NotEqual(first.Epochs.Select(e => e.TotalLoss), other.Epochs.Select(e => e.TotalLoss));
    }

    [Fact]
    public void Live_tensors_do_not_grow_across_batches_or_epochs()
    {
        var observer = new LiveTensorCounter();
        new TrainingLoop(Fast with { Epochs = 3, BatchSize = 64 }, observer).Run(Data, Spec("lightgcn").Create);

        // Epoch 1 may create lasting state (Adam's moments); from then on every batch must end
        // with exactly as many live tensors as the one before.
        var steady = observer.Counts.Where(c => c.Epoch >= 2).Select(c => c.Live).ToList();
        Assert.True(steady.Count > 20, string.Join(" ", observer.Counts));
        Assert.True(steady.Distinct().Count() == 1, string.Join(" ", observer.Counts));
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch_and_reports_its_scores()
    {
        var result = new TrainingLoop(Fast with { Epochs = 60, Patience = 2, LearningRate = 0.05 }).Run(Data, Spec("mfbpr").Create);

        Assert.Equal(StopReason.EarlyStopping, result.StopReason);
        Assert.Equal(result.BestEpoch + 2, result.EpochsRun);
        var best = result.Epochs.Single(e => e.Epoch == result.BestEpoch);
        Assert.True(best.Improved);
        Assert.Equal(best.Validation, result.Validation);
        Assert.All(result.Epochs.Where(e => e.Epoch > result.BestEpoch), e => Assert.True(e.Validation.RecallAt(20) <= best.Validation.RecallAt(20)));
    }

    [Fact]
    public void The_run_folder_holds_config_metrics_result_and_a_checkpoint_that_reproduces_the_test_scores()
    {
        var root = Directory.CreateTempSubdirectory("spumr-run-");
        try
        {
            var spec = Spec("lightgcn");
            var folder = RunFolder.Create(root.FullName, spec.Name, Data.Name, Fast.Seed);
            folder.WriteConfig(new RunConfig
            {
                Model = spec.Name,
                ModelOptions = spec.Options,
                Training = Fast,
                DataFolder = "(generated)",
                DataName = Data.Name,
                TorchBackend = TorchRuntime.Backend,
            });
            var result = new TrainingLoop(Fast with { Epochs = 5 }).Run(Data, spec.Create, folder);
            folder.WriteResult(RunSummary.Of(result, Data.Name, Fast.Seed, "cpu", folder.Path));

            var csv = File.ReadAllLines(Path.Combine(folder.Path, RunFolder.MetricsCsvFile));
            Assert.Equal("epoch,train_seconds,eval_seconds,loss_loss,loss_bpr,loss_reg,valid_recall@5,valid_recall@10,valid_recall@20,valid_recall@50,valid_ndcg@5,valid_ndcg@10,valid_ndcg@20,valid_ndcg@50,improved", csv[0]);
            Assert.Equal(6, csv.Length);
            Assert.Contains("\"test.recall@20\"", File.ReadAllText(Path.Combine(folder.Path, RunFolder.ResultFile)), StringComparison.Ordinal);
            Assert.Contains("\"layers\": \"2\"", File.ReadAllText(Path.Combine(folder.Path, RunFolder.ConfigFile)), StringComparison.Ordinal);
            Assert.Equal(5, System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, RunFolder.MetricsJsonFile))).RootElement.GetArrayLength());

            // A fresh model loaded from best.pt ranks the test split exactly as the run reported.
            var device = TorchRuntime.Initialize(DeviceChoice.Cpu, 2);
            using var context = new TrainingContext(Data, device);
            using var model = spec.Create(context);
            model.Module.load(folder.CheckpointPath);
            model.Module.eval();
            using var scope = torch.NewDisposeScope();
            using var embeddings = model.ComputeEmbeddings();
            var test = new Spumr.Core.Evaluation.RankingEvaluator(Data.Train, Data.Test)
                .Evaluate(new Spumr.Trainer.Evaluation.TorchUserScorer(embeddings.Users, embeddings.Items));
            Assert.Equal(result.Test.Recall, test.Recall);
            Assert.Equal(result.Test.Ndcg, test.Ndcg);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static ModelSpec Spec(string name) => ModelCatalog.Resolve(name, new ModelHyperParameters());

    private sealed class LiveTensorCounter : ITrainingObserver
    {
        public List<(int Epoch, long Live)> Counts { get; } = [];

        public void BatchCompleted(int epoch, int batch, double loss) =>
            Counts.Add((epoch, DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount));
    }
}

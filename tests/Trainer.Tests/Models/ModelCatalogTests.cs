using Spumr.Trainer.Models;
using Spumr.Trainer.Torch;
using Spumr.Trainer.Training;

namespace Spumr.Trainer.Tests.Models;

public sealed class ModelCatalogTests
{
    [Fact]
    public void Every_listed_model_resolves_with_its_defaults()
    {
        foreach (var name in ModelCatalog.Names)
        {
            Assert.Equal(name, ModelCatalog.Resolve(name, new ModelHyperParameters()).Name);
        }

        Assert.Equal("2", ModelCatalog.Resolve("LightGCN", new ModelHyperParameters()).Options["layers"]);
        Assert.Equal("3", ModelCatalog.Resolve("lightgcn", new ModelHyperParameters(Layers: 3)).Options["layers"]);
    }

    [Theory]
    [InlineData("nope", null, null, null, "--model must be one of lightgcn, mfbpr, pop, not 'nope'")]
    [InlineData("lightgcn", 0, null, null, "--dim must be between 1 and 4096")]
    [InlineData("lightgcn", null, 0, null, "--layers must be between 1 and 16")]
    [InlineData("lightgcn", null, null, -1.0, "--reg-weight must be between 0 and 1000")]
    [InlineData("mfbpr", null, 2, null, "--layers does not apply to --model mfbpr")]
    [InlineData("pop", 32, null, null, "--dim does not apply to --model pop")]
    public void Bad_model_settings_are_refused_naming_the_option(string model, int? dim, int? layers, double? reg, string message)
    {
        var e = Assert.Throws<TrainingSetupException>(() => ModelCatalog.Resolve(model, new ModelHyperParameters(dim, layers, reg)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(TrainingOptions.Epochs), "--epochs must be between 1 and 100000")]
    [InlineData(nameof(TrainingOptions.BatchSize), "--batch-size must be between 1 and 1048576")]
    [InlineData(nameof(TrainingOptions.LearningRate), "--lr must be between")]
    [InlineData(nameof(TrainingOptions.Patience), "--patience must be between 1 and 100000")]
    public void Bad_training_options_are_refused_naming_the_option(string property, string message)
    {
        var bad = property switch
        {
            nameof(TrainingOptions.Epochs) => new TrainingOptions { Epochs = 0 },
            nameof(TrainingOptions.BatchSize) => new TrainingOptions { BatchSize = 0 },
            nameof(TrainingOptions.LearningRate) => new TrainingOptions { LearningRate = 0 },
            _ => new TrainingOptions { Patience = 0 },
        };

        var e = Assert.Throws<TrainingSetupException>(() => new TrainingLoop(bad));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}

using System.Globalization;
using Spumr.Trainer.Torch;
using Spumr.Trainer.Training;

namespace Spumr.Trainer.Models;

/// <summary>Command-line hyper-parameters shared by the models; null keeps the model's default.</summary>
public sealed record ModelHyperParameters(int? Dimension = null, int? Layers = null, double? RegWeight = null);

/// <summary>A model ready to build: its name, its resolved options (for the run's config), and its factory.</summary>
public sealed record ModelSpec(string Name, IReadOnlyDictionary<string, string> Options, Func<TrainingContext, IRecommenderModel> Create);

/// <summary>The models <c>spumr train --model</c> knows, by name.</summary>
public static class ModelCatalog
{
    public static IReadOnlyList<string> Names { get; } = [LightGcn.ModelName, MatrixFactorization.ModelName, MostPopular.ModelName];

    /// <summary>Resolves a model name and hyper-parameters; a bad name or value gives a one-line error naming it.</summary>
    public static ModelSpec Resolve(string name, ModelHyperParameters hyper)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(hyper);
        return name.Trim().ToLowerInvariant() switch
        {
            LightGcn.ModelName => ResolveLightGcn(hyper),
            MatrixFactorization.ModelName => ResolveMatrixFactorization(hyper),
            MostPopular.ModelName => ResolveMostPopular(hyper),
            _ => throw new TrainingSetupException($"--model must be one of {string.Join(", ", Names)}, not '{name}'."),
        };
    }

    private static ModelSpec ResolveLightGcn(ModelHyperParameters hyper)
    {
        var defaults = new LightGcnOptions();
        var options = OptionsValidation.Validated(defaults with
        {
            Dimension = hyper.Dimension ?? defaults.Dimension,
            Layers = hyper.Layers ?? defaults.Layers,
            RegWeight = hyper.RegWeight ?? defaults.RegWeight,
        });
        var described = new Dictionary<string, string>
        {
            ["dimension"] = Text(options.Dimension),
            ["layers"] = Text(options.Layers),
            ["reg_weight"] = Text(options.RegWeight),
        };
        return new ModelSpec(LightGcn.ModelName, described, context => new LightGcn(context.UserItemGraph, options, context.Device));
    }

    private static ModelSpec ResolveMatrixFactorization(ModelHyperParameters hyper)
    {
        RejectUnused(MatrixFactorization.ModelName, "--layers", hyper.Layers);
        var defaults = new MatrixFactorizationOptions();
        var options = OptionsValidation.Validated(defaults with
        {
            Dimension = hyper.Dimension ?? defaults.Dimension,
            RegWeight = hyper.RegWeight ?? defaults.RegWeight,
        });
        var described = new Dictionary<string, string>
        {
            ["dimension"] = Text(options.Dimension),
            ["reg_weight"] = Text(options.RegWeight),
        };
        return new ModelSpec(
            MatrixFactorization.ModelName,
            described,
            context => new MatrixFactorization(context.Data.UserCount, context.Data.ItemCount, options, context.Device));
    }

    private static ModelSpec ResolveMostPopular(ModelHyperParameters hyper)
    {
        RejectUnused(MostPopular.ModelName, "--layers", hyper.Layers);
        RejectUnused(MostPopular.ModelName, "--dim", hyper.Dimension);
        RejectUnused(MostPopular.ModelName, "--reg-weight", hyper.RegWeight);
        return new ModelSpec(MostPopular.ModelName, new Dictionary<string, string>(), context => new MostPopular(context.Train, context.Device));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void RejectUnused<T>(string model, string option, T? value)
        where T : struct
    {
        if (value is not null)
        {
            throw new TrainingSetupException($"{option} does not apply to --model {model}.");
        }
    }
}

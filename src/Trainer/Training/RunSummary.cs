using System.Text.Json.Serialization;
using Spumr.Core.Evaluation;

namespace Spumr.Trainer.Training;

/// <summary>
/// The final table of a run as one flat object (keys such as <c>test.recall@20</c>), for scripts:
/// printed by <c>spumr train --json</c> and written as the run folder's <c>result.json</c>.
/// </summary>
public sealed record RunSummary
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("data")]
    public required string Data { get; init; }

    [JsonPropertyName("seed")]
    public int Seed { get; init; }

    [JsonPropertyName("device")]
    public required string Device { get; init; }

    [JsonPropertyName("best_epoch")]
    public int BestEpoch { get; init; }

    [JsonPropertyName("epochs_run")]
    public int EpochsRun { get; init; }

    [JsonPropertyName("stop_reason")]
    public required string StopReason { get; init; }

    [JsonPropertyName("seconds_per_epoch")]
    public double SecondsPerEpoch { get; init; }

    [JsonPropertyName("eval_seconds_per_epoch")]
    public double EvalSecondsPerEpoch { get; init; }

    [JsonPropertyName("total_seconds")]
    public double TotalSeconds { get; init; }

    [JsonPropertyName("valid.recall@10")]
    public double ValidRecall10 { get; init; }

    [JsonPropertyName("valid.recall@20")]
    public double ValidRecall20 { get; init; }

    [JsonPropertyName("valid.ndcg@10")]
    public double ValidNdcg10 { get; init; }

    [JsonPropertyName("valid.ndcg@20")]
    public double ValidNdcg20 { get; init; }

    [JsonPropertyName("test.recall@10")]
    public double TestRecall10 { get; init; }

    [JsonPropertyName("test.recall@20")]
    public double TestRecall20 { get; init; }

    [JsonPropertyName("test.ndcg@10")]
    public double TestNdcg10 { get; init; }

    [JsonPropertyName("test.ndcg@20")]
    public double TestNdcg20 { get; init; }

    /// <summary>Every computed cut-off, as <c>recall@K</c> and <c>ndcg@K</c>.</summary>
    [JsonPropertyName("valid")]
    public required IReadOnlyDictionary<string, double> Valid { get; init; }

    [JsonPropertyName("test")]
    public required IReadOnlyDictionary<string, double> Test { get; init; }

    [JsonPropertyName("run_folder")]
    public string? RunFolder { get; init; }

    public static RunSummary Of(TrainingResult result, string data, int seed, string device, string? runFolder) => new()
    {
        Model = result.Model,
        Data = data,
        Seed = seed,
        Device = device,
        BestEpoch = result.BestEpoch,
        EpochsRun = result.EpochsRun,
        StopReason = result.StopReason.ToString(),
        SecondsPerEpoch = result.TrainSecondsPerEpoch,
        EvalSecondsPerEpoch = result.EvalSecondsPerEpoch,
        TotalSeconds = result.TotalSeconds,
        ValidRecall10 = result.Validation.RecallAt(10),
        ValidRecall20 = result.Validation.RecallAt(20),
        ValidNdcg10 = result.Validation.NdcgAt(10),
        ValidNdcg20 = result.Validation.NdcgAt(20),
        TestRecall10 = result.Test.RecallAt(10),
        TestRecall20 = result.Test.RecallAt(20),
        TestNdcg10 = result.Test.NdcgAt(10),
        TestNdcg20 = result.Test.NdcgAt(20),
        Valid = Flatten(result.Validation),
        Test = Flatten(result.Test),
        RunFolder = runFolder,
    };

    /// <summary><c>recall@K</c> then <c>ndcg@K</c> for every K, ascending.</summary>
    public static IReadOnlyDictionary<string, double> Flatten(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var flat = new Dictionary<string, double>();
        foreach (var k in result.Ks)
        {
            flat[$"recall@{k}"] = result.RecallAt(k);
        }

        foreach (var k in result.Ks)
        {
            flat[$"ndcg@{k}"] = result.NdcgAt(k);
        }

        return flat;
    }
}

using Spumr.Core.Evaluation;

namespace Spumr.Trainer.Training;

/// <summary>
/// One epoch: its training and evaluation time, the mean batch loss per term (the first entry is
/// the total), the validation result, and whether it became the best epoch. Epochs count from 1.
/// </summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainSeconds,
    double EvalSeconds,
    IReadOnlyList<KeyValuePair<string, double>> Loss,
    EvaluationResult Validation,
    bool Improved)
{
    public double TotalLoss => Loss[0].Value;
}

using Spumr.Core.Evaluation;

namespace Spumr.Trainer.Training;

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>Validation Recall@K did not improve for the patience.</summary>
    EarlyStopping,

    /// <summary>The epoch limit was reached first.</summary>
    EpochLimit,

    /// <summary>The loss became NaN or infinite; the best epoch before it is reported.</summary>
    NonFiniteLoss,

    /// <summary>The model has nothing to train (fitted by counting) and was evaluated once.</summary>
    NotTrainable,
}

/// <summary>
/// A finished run: validation and test results of the best validation epoch (the test split is
/// ranked once, with the best epoch's weights), and every epoch's metrics.
/// </summary>
public sealed record TrainingResult(
    string Model,
    int BestEpoch,
    int EpochsRun,
    StopReason StopReason,
    EvaluationResult Validation,
    EvaluationResult Test,
    double TrainSecondsPerEpoch,
    double EvalSecondsPerEpoch,
    double TotalSeconds,
    IReadOnlyList<EpochMetrics> Epochs);

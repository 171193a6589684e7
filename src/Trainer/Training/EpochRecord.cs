namespace Spumr.Trainer.Training;

/// <summary>One line of <c>metrics.json</c>.</summary>
public sealed record EpochRecord(
    int Epoch,
    double TrainSeconds,
    double EvalSeconds,
    IReadOnlyDictionary<string, double> Loss,
    IReadOnlyDictionary<string, double> Valid,
    bool Improved)
{
    public static EpochRecord Of(EpochMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new EpochRecord(m.Epoch, m.TrainSeconds, m.EvalSeconds, m.Loss.ToDictionary(), RunSummary.Flatten(m.Validation), m.Improved);
    }
}

namespace Spumr.Core.Evaluation;

/// <summary>
/// MMRec's early stopping: validation Recall@20 is observed every epoch, only a strictly greater
/// value is an improvement, and training stops after <c>patience</c> observations in a row
/// without one. The test scores to report are those of <see cref="BestEpoch"/>.
/// </summary>
public sealed class EarlyStopping
{
    private int _lastEpoch = int.MinValue;

    public EarlyStopping(int patience = 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patience);
        Patience = patience;
    }

    public int Patience { get; }

    /// <summary>The epoch of the best value so far; -1 before any improvement.</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>The best value so far; negative infinity before any improvement.</summary>
    public double BestValue { get; private set; } = double.NegativeInfinity;

    /// <summary>Observations since the last improvement (or since the start).</summary>
    public int ObservationsWithoutImprovement { get; private set; }

    public bool ShouldStop => ObservationsWithoutImprovement >= Patience;

    /// <summary>Records one epoch's validation value; true when it strictly beats the best so far (NaN never does).</summary>
    public bool Observe(int epoch, double value)
    {
        if (epoch <= _lastEpoch)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), $"Epoch {epoch} observed after epoch {_lastEpoch}; epochs must increase.");
        }

        _lastEpoch = epoch;
        if (value > BestValue)
        {
            BestValue = value;
            BestEpoch = epoch;
            ObservationsWithoutImprovement = 0;
            return true;
        }

        ObservationsWithoutImprovement++;
        return false;
    }
}

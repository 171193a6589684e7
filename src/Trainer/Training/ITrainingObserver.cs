namespace Spumr.Trainer.Training;

/// <summary>Hears about a run as it goes (progress bars, logs). Every method is optional.</summary>
public interface ITrainingObserver
{
    void EpochStarted(int epoch, int batches)
    {
    }

    void BatchCompleted(int epoch, int batch, double loss)
    {
    }

    void EpochCompleted(EpochMetrics metrics)
    {
    }
}

namespace Spumr.Trainer.Torch;

/// <summary>
/// Training cannot start as asked (a device that is not there, an option out of range). The message
/// is one line that names what is wrong, for the user to fix; no stack trace is needed.
/// </summary>
public sealed class TrainingSetupException : Exception
{
    public TrainingSetupException(string message)
        : base(message)
    {
    }

    public TrainingSetupException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

namespace Spumr.GraphMaintainer.State;

/// <summary>
/// An event cannot be applied (empty id, unknown modality, wrong vector width, non-finite
/// value). Thrown before a batch changes anything; the message names the event and the problem.
/// </summary>
public sealed class InvalidEventException : ArgumentException
{
    public InvalidEventException(string? eventId, string problem)
        : base($"Event '{eventId}': {problem}")
    {
        EventId = eventId;
        Problem = problem;
    }

    public string? EventId { get; }

    public string Problem { get; }
}

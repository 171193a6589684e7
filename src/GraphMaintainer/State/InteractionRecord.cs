namespace Spumr.GraphMaintainer.State;

/// <summary>One applied interaction in a user's history.</summary>
/// <param name="Item">Internal item id.</param>
/// <param name="Timestamp">Unix seconds, as the event carried it.</param>
/// <param name="Rating">The event's rating, if it had one.</param>
public readonly record struct InteractionRecord(int Item, long Timestamp, float? Rating);

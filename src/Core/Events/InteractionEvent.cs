namespace Spumr.Core.Events;

/// <summary>A user interacted with an item (a purchase or review in the Amazon data).</summary>
/// <param name="EventId">Producer-assigned id; events with the same id are the same event.</param>
/// <param name="UserId">External user id (an Amazon reviewer id in the bundled data).</param>
/// <param name="ItemId">External item id (an ASIN in the bundled data).</param>
/// <param name="Timestamp">Unix time in seconds.</param>
/// <param name="Rating">Optional explicit rating.</param>
public sealed record InteractionEvent(string EventId, string UserId, string ItemId, long Timestamp, float? Rating = null);

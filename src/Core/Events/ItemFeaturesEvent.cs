namespace Spumr.Core.Events;

/// <summary>An item's feature vector in one modality was set or changed.</summary>
/// <param name="EventId">Producer-assigned id; events with the same id are the same event.</param>
/// <param name="ItemId">External item id.</param>
/// <param name="Modality">Modality name, such as "image" or "text".</param>
/// <param name="Vector">The raw feature vector (its width is fixed per modality).</param>
public sealed record ItemFeaturesEvent(string EventId, string ItemId, string Modality, float[] Vector);

namespace Spumr.Core.Embeddings;

/// <summary>One entry of a version's popularity ranking (most popular first), used for cold-start users.</summary>
/// <param name="ItemId">The item's external id.</param>
/// <param name="Interactions">Training interactions the item had; the ranking's score.</param>
public sealed record PopularItem(string ItemId, long Interactions);

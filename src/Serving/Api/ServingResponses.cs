using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spumr.Serving.Api;

/// <summary>One recommended or similar item.</summary>
public sealed record ScoredItem(string ItemId, float Score);

/// <summary>Body of GET /v1/users/{userId}/recommendations.</summary>
/// <param name="Source">"embedding", "fold-in" or "popularity".</param>
/// <param name="Degraded">Set when part of the answer could not be had (Redis unreachable): what is missing.</param>
public sealed record RecommendationsResponse(
    string UserId,
    long Version,
    string Model,
    string Source,
    int K,
    IReadOnlyList<ScoredItem> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Degraded);

/// <summary>Body of GET /v1/items/{itemId}/similar.</summary>
public sealed record SimilarItemsResponse(string ItemId, long Version, string Model, string Similarity, int K, IReadOnlyList<ScoredItem> Items);

/// <summary>Body of GET /v1/model.</summary>
public sealed record ModelResponse(
    long Version,
    string Model,
    IReadOnlyDictionary<string, double> Metrics,
    string? GraphSnapshotPosition,
    DateTimeOffset CreatedAt,
    DateTimeOffset LoadedAt,
    int Dimension,
    int UserCount,
    int ItemCount);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RecommendationsResponse))]
[JsonSerializable(typeof(SimilarItemsResponse))]
[JsonSerializable(typeof(ModelResponse))]
public sealed partial class ServingJsonContext : JsonSerializerContext;

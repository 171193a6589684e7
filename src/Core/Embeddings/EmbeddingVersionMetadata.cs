using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spumr.Core.Embeddings;

/// <summary>
/// What a stored embedding version is: its model, quality, provenance and shape. Stored as JSON under
/// <see cref="EmbeddingKeys.Metadata"/>.
/// </summary>
/// <param name="Version">Version number (from the store's counter).</param>
/// <param name="Model">Model name, such as "SPUMR" or "LightGCN".</param>
/// <param name="Metrics">Evaluation figures by name, such as "validation/recall@20" or "test/ndcg@20".</param>
/// <param name="GraphSnapshotPosition">Opaque position of the graph snapshot trained on (for example Kafka offsets).</param>
/// <param name="CreatedAt">When the version was written.</param>
/// <param name="Dimension">Embedding width d.</param>
/// <param name="UserCount">Users with a vector in this version.</param>
/// <param name="ItemCount">Items with a vector in this version.</param>
/// <param name="ItemChunkRows">Item rows per stored item chunk (the last chunk may hold fewer).</param>
/// <param name="UserChunkSize">User ids per stored user-id chunk.</param>
/// <param name="Popularity">Items by training popularity, most popular first.</param>
public sealed record EmbeddingVersionMetadata(
    long Version,
    string Model,
    IReadOnlyDictionary<string, double> Metrics,
    string? GraphSnapshotPosition,
    DateTimeOffset CreatedAt,
    int Dimension,
    int UserCount,
    int ItemCount,
    int ItemChunkRows,
    int UserChunkSize,
    IReadOnlyList<PopularItem> Popularity)
{
    [JsonIgnore]
    public int ItemChunkCount => ChunkCount(ItemCount, ItemChunkRows);

    [JsonIgnore]
    public int UserChunkCount => ChunkCount(UserCount, UserChunkSize);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, EmbeddingJsonContext.Default.EmbeddingVersionMetadata);

    public static EmbeddingVersionMetadata FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, EmbeddingJsonContext.Default.EmbeddingVersionMetadata)
        ?? throw new FormatException("Embedding version metadata is JSON null.");

    private static int ChunkCount(int count, int perChunk) => perChunk <= 0 ? 0 : (count + perChunk - 1) / perChunk;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EmbeddingVersionMetadata))]
internal sealed partial class EmbeddingJsonContext : JsonSerializerContext;

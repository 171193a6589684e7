using Spumr.Core.Embeddings;

namespace Spumr.Core.Tests.Embeddings;

public sealed class EmbeddingEncodingTests
{
    [Fact]
    public void Vectors_round_trip_as_little_endian_float32()
    {
        float[] values = [1f, -2.5f, float.Epsilon, 3.4028235e38f];
        var bytes = VectorCodec.Encode(values);

        Assert.Equal(16, bytes.Length);
        Assert.Equal([0x00, 0x00, 0x80, 0x3F], bytes[..4]); // 1.0f
        Assert.Equal(values, VectorCodec.Decode(bytes));
    }

    [Fact]
    public void A_vector_whose_length_is_not_a_multiple_of_4_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => VectorCodec.Decode(new byte[7]));
        Assert.Contains("7 bytes", error.Message);
    }

    [Fact]
    public void Id_lists_round_trip()
    {
        string[] ids = ["B0001", "ä-item", "x"];
        Assert.Equal(ids, IdListCodec.Decode(IdListCodec.Encode(ids)));
        Assert.Empty(IdListCodec.Decode(IdListCodec.Encode([])));
    }

    [Fact]
    public void Keys_put_control_keys_under_the_hash_tag_and_bulk_keys_outside_it()
    {
        var keys = new EmbeddingKeys("spumr");

        Assert.Equal("{spumr}:live", keys.Live);
        Assert.Equal("{spumr}:next-version", keys.NextVersion);
        Assert.Equal("{spumr}:lease:serving-1", keys.Lease("serving-1"));
        Assert.Equal("{spumr}:v12:meta", keys.Metadata(12));
        Assert.Equal("{spumr}:v12:complete", keys.Complete(12));
        Assert.Equal("spumr:v12:user:A3", keys.User(12, "A3"));
        Assert.Equal("spumr:v12:items:0:vectors", keys.ItemVectors(12, 0));
        Assert.Equal("spumr:v12:items:0:ids", keys.ItemIds(12, 0));
        Assert.Equal("spumr:v12:users:3", keys.UserIds(12, 3));
        Assert.Equal("spumr:seen:A3", keys.SeenItems("A3"));
        Assert.Throws<ArgumentOutOfRangeException>(() => keys.User(0, "A3"));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("a{b}", "contains '{'")]
    [InlineData("a b", "contains ' '")]
    public void Bad_prefixes_are_refused_with_the_reason(string prefix, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => new EmbeddingKeys(prefix));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Metadata_round_trips_through_json()
    {
        var meta = new EmbeddingVersionMetadata(3, "SPUMR", new Dictionary<string, double> { ["test/ndcg@20"] = 0.04 }, "p0:17", DateTimeOffset.UnixEpoch, 64, 10, 25, 10, 7, [new PopularItem("i1", 9)]);
        var back = EmbeddingVersionMetadata.FromJson(meta.ToJson());

        Assert.Equal((3L, "SPUMR", "p0:17", 64, 10, 25), (back.Version, back.Model, back.GraphSnapshotPosition, back.Dimension, back.UserCount, back.ItemCount));
        Assert.Equal(0.04, back.Metrics["test/ndcg@20"]);
        Assert.Equal([new PopularItem("i1", 9)], back.Popularity);
        Assert.Equal((3, 2), (back.ItemChunkCount, back.UserChunkCount));
        Assert.Contains("\"graphSnapshotPosition\":\"p0:17\"", System.Text.Encoding.UTF8.GetString(meta.ToJson()));
    }

    [Theory]
    [InlineData("shape", "The user matrix has 5 values, expected 2 x 2")]
    [InlineData("duplicate", "The item id 'i1' appears twice")]
    [InlineData("empty-id", "The user id '' is empty")]
    [InlineData("space-id", "The item id 'i 2' contains whitespace")]
    [InlineData("nan", "The item matrix has a non-finite value at row 1")]
    [InlineData("popular-unknown", "Popular item 'zz' has no embedding")]
    [InlineData("popular-twice", "Popular item 'i1' is ranked twice")]
    public void Bad_publications_are_refused_with_what_is_wrong(string defect, string message)
    {
        string[] users = defect == "empty-id" ? ["u1", ""] : ["u1", "u2"];
        string[] items = defect switch { "duplicate" => ["i1", "i1"], "space-id" => ["i1", "i 2"], _ => ["i1", "i2"] };
        var userMatrix = defect == "shape" ? new float[5] : new float[4];
        var itemMatrix = new float[4];
        if (defect == "nan")
        {
            itemMatrix[3] = float.NaN;
        }

        PopularItem[] popular = defect switch
        {
            "popular-unknown" => [new PopularItem("zz", 1)],
            "popular-twice" => [new PopularItem("i1", 2), new PopularItem("i1", 1)],
            _ => [],
        };

        var error = Assert.Throws<ArgumentException>(() => new EmbeddingPublication("m", 2, users, userMatrix, items, itemMatrix, popular));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("A1B2", null)]
    [InlineData("", "is empty")]
    [InlineData("a\tb", "contains whitespace or a control character")]
    public void External_ids_are_checked(string id, string? problem)
    {
        Assert.Equal(problem, ExternalId.Problem(id));
    }
}

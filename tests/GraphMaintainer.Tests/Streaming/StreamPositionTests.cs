using Spumr.GraphMaintainer.Streaming;

namespace Spumr.GraphMaintainer.Tests.Streaming;

public sealed class StreamPositionTests
{
    [Fact]
    public void Encoding_round_trips_every_partition()
    {
        var position = new StreamPosition();
        position.Advance(new StreamPartition("spumr.item-features", 127), 3);
        position.Advance(new StreamPartition("spumr.interactions", 0), 1_000_000_000_000);
        position.Advance(new StreamPartition("spumr.interactions", 31), 0);
        position.Advance(new StreamPartition("tópico", 2), 42);

        var decoded = StreamPosition.Decode(position.Encode());

        Assert.Equal(position.Offsets.OrderBy(o => o.Key.ToString()), decoded.Offsets.OrderBy(o => o.Key.ToString()));
        Assert.Equal(1_000_000_000_045, decoded.Total);
        Assert.Null(decoded.Next(new StreamPartition("spumr.interactions", 1)));
    }

    [Fact]
    public void No_bytes_is_the_start_of_every_partition()
    {
        Assert.Empty(StreamPosition.Decode([]).Offsets);
        Assert.Empty(StreamPosition.Decode(new StreamPosition().Encode()).Offsets);
    }

    [Fact]
    public void A_position_never_moves_back()
    {
        var position = new StreamPosition();
        var p = new StreamPartition("t", 0);
        position.Advance(p, 10);
        position.Advance(p, 7);
        position.Advance(new Dictionary<StreamPartition, long> { [p] = 9, [new StreamPartition("t", 1)] = 4 });

        Assert.Equal(10, position.Next(p));
        Assert.Equal(4, position.Next(new StreamPartition("t", 1)));
    }

    [Fact]
    public void Malformed_bytes_are_refused_naming_the_problem()
    {
        var good = new StreamPosition();
        good.Advance(new StreamPartition("t", 0), 5);
        var bytes = good.Encode();

        Assert.Contains("encoding 9 is not supported", Assert.Throws<FormatException>(() => StreamPosition.Decode([9, .. bytes[1..]])).Message, StringComparison.Ordinal);
        Assert.Contains("ends inside its partition count", Assert.Throws<FormatException>(() => StreamPosition.Decode(bytes[..3])).Message, StringComparison.Ordinal);
        Assert.Contains("lists 1 partitions in 20 bytes", Assert.Throws<FormatException>(() => StreamPosition.Decode(bytes[..^2])).Message, StringComparison.Ordinal);
        Assert.Contains("1 bytes after its last entry", Assert.Throws<FormatException>(() => StreamPosition.Decode([.. bytes, 0])).Message, StringComparison.Ordinal);
        var twice = new byte[1 + 4 + (2 * 17)];
        twice[0] = 1;
        twice[1] = 2;
        bytes.AsSpan(5).CopyTo(twice.AsSpan(5));
        bytes.AsSpan(5).CopyTo(twice.AsSpan(5 + 17));
        Assert.Contains("lists t[0] twice", Assert.Throws<FormatException>(() => StreamPosition.Decode(twice)).Message, StringComparison.Ordinal);
        var negative = (byte[])bytes.Clone();
        negative[^1] = 0x80;
        Assert.Contains("neither may be negative", Assert.Throws<FormatException>(() => StreamPosition.Decode(negative)).Message, StringComparison.Ordinal);
    }
}

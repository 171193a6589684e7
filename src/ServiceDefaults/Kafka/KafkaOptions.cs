using System.ComponentModel.DataAnnotations;
using Confluent.Kafka;

namespace Spumr.ServiceDefaults.Kafka;

/// <summary>How every Spumr service reaches Kafka (configuration section <c>Kafka</c>).</summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>Comma-separated host:port list, such as <c>localhost:9092</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string BootstrapServers { get; set; } = "";

    /// <summary>Prefix of every client id, so broker logs show which process a client belongs to.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClientIdPrefix { get; set; } = "spumr";

    /// <summary>Consumer group session timeout. Lower it (3,000) against the mock cluster, where a
    /// joining member waits this long for the group.</summary>
    [Range(1000, 300_000)]
    public int SessionTimeoutMs { get; set; } = 45_000;

    /// <summary>How long a producer waits to fill a batch; a few ms buys large batches.</summary>
    [Range(0, 1000)]
    public int LingerMs { get; set; } = 5;

    /// <summary>Batch compression. lz4 is the cheapest in CPU; JSON floats shrink about 2x.</summary>
    public CompressionType Compression { get; set; } = CompressionType.Lz4;

    /// <summary>How often a consumer commits the offsets its owner has stored.</summary>
    [Range(100, 60_000)]
    public int AutoCommitIntervalMs { get; set; } = 1000;
}

using System.Globalization;

namespace Spumr.ServiceDefaults.Kafka;

/// <summary>
/// Partition counts for the development broker. librdkafka's mock cluster keeps only the newest
/// 5 MiB or 100,000 batches of each partition and silently drops older ones, so a topic needs
/// enough partitions to hold the largest data set anyone replays through it. The counts follow
/// from the volumes below (all uncompressed; compression only adds margin).
/// </summary>
public static class DevTopicPlan
{
    /// <summary>Bytes the mock keeps per partition (rdkafka_mock.c: max_size).</summary>
    public const long PartitionLogBytes = 5L * 1024 * 1024;

    /// <summary>Batches the mock keeps per partition (rdkafka_mock.c: max_cnt).</summary>
    public const int PartitionLogBatches = 100_000;

    /// <summary>One interaction record: about 151 bytes of JSON (measured over Baby's 160,792
    /// rows), a 14-byte key, the canonical topic's two headers and the record framing.</summary>
    public const int InteractionRecordBytes = 256;

    /// <summary>JSON bytes per vector value: measured 12.2 (bundled Baby features) and 12.7
    /// (random unit 4,096-d vectors; ReLU-sparse CNN features take about 7).</summary>
    public const double FeatureBytesPerValue = 13;

    /// <summary>A feature record's fields, key, headers and framing besides the vector.</summary>
    public const int FeatureRecordOverheadBytes = 256;

    /// <summary>Covers uneven hashing of keys over partitions: 7,050 items over 128 partitions
    /// put up to about 1.4 times the mean in the fullest one.</summary>
    public const double Headroom = 1.5;

    /// <summary>The largest bundled interaction set (Sports, 296,337 rows).</summary>
    public const long LargestInteractionCount = 296_337;

    /// <summary>The largest bundled set with features (Baby, 7,050 items).</summary>
    public const long LargestFeatureItemCount = 7_050;

    /// <summary>Feature widths of the bundled Baby files (image, text).</summary>
    public static IReadOnlyList<int> BundledWidths { get; } = [256, 128];

    /// <summary>Feature widths of the paper and of MMRec's original files (VGG16 image, MiniLM text).</summary>
    public static IReadOnlyList<int> PaperWidths { get; } = [4096, 384];

    /// <summary>The topics <c>spumr broker</c>, <c>spumr run</c> and the tests create by default,
    /// sized so that Baby at the paper's widths also fits.</summary>
    public static IReadOnlyList<TopicSpec> Default()
    {
        var interactionBytes = LargestInteractionCount * InteractionRecordBytes;
        var interactions = PartitionsFor(interactionBytes);
        var interactionReason = Explain(interactionBytes, interactions, $"{LargestInteractionCount:N0} interactions (Sports, the largest bundled set) x {InteractionRecordBytes} B");

        var bundledBytes = FeatureBytes(LargestFeatureItemCount, BundledWidths);
        var paperBytes = FeatureBytes(LargestFeatureItemCount, PaperWidths);
        var features = PartitionsFor(paperBytes);
        var featureReason = Explain(
            paperBytes,
            features,
            $"{LargestFeatureItemCount:N0} items x ({string.Join(" + ", PaperWidths)}) values x {FeatureBytesPerValue} B (Baby at the paper's widths; the bundled {string.Join(" + ", BundledWidths)} need {Mb(bundledBytes)}, {PartitionsFor(bundledBytes)} partitions)");

        // Everything may be refused (a wrong width setting refuses every feature event), so the
        // dead-letter topic can hold the larger raw topic.
        var deadLetter = Math.Max(interactions, features);
        return
        [
            new TopicSpec(SpumrTopics.RawInteractions, interactions, interactionReason),
            new TopicSpec(SpumrTopics.Interactions, interactions, interactionReason),
            new TopicSpec(SpumrTopics.RawItemFeatures, features, featureReason),
            new TopicSpec(SpumrTopics.ItemFeatures, features, featureReason),
            new TopicSpec(SpumrTopics.DeadLetter, deadLetter, "can hold every raw event refused"),
        ];
    }

    /// <summary>Uncompressed bytes of one feature event per item and modality.</summary>
    public static long FeatureBytes(long items, IReadOnlyList<int> widths) =>
        (long)(items * widths.Sum(w => (w * FeatureBytesPerValue) + FeatureRecordOverheadBytes));

    /// <summary>The power of two (at least 4) of partitions whose retention holds <paramref name="bytes"/> with headroom.</summary>
    public static int PartitionsFor(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var needed = (long)Math.Ceiling(bytes * Headroom / PartitionLogBytes);
        return (int)Math.Max(4, System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(needed, 1)));
    }

    private static string Explain(long bytes, int partitions, string volume) => string.Create(
        CultureInfo.InvariantCulture,
        $"{volume} = {Mb(bytes)}; x {Headroom} headroom / 5 MiB per partition -> {partitions} partitions ({Mb(partitions * PartitionLogBytes)} retained)");

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F0} MB");
}

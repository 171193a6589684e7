using System.Text.Json.Serialization;

namespace Spumr.Core.Data;

/// <summary>The facts <c>spumr data inspect</c> prints about a data set.</summary>
public sealed record DatasetSummary(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("users")] int Users,
    [property: JsonPropertyName("items")] int Items,
    [property: JsonPropertyName("interactions")] int Interactions,
    [property: JsonPropertyName("sparsity")] double Sparsity,
    [property: JsonPropertyName("split")] SplitSizes Split,
    [property: JsonPropertyName("timeRange")] TimeRange? TimeRange,
    [property: JsonPropertyName("ratingHistogram")] IReadOnlyDictionary<string, int>? RatingHistogram,
    [property: JsonPropertyName("features")] IReadOnlyDictionary<string, int> FeatureWidths,
    [property: JsonPropertyName("externalUserIds")] bool HasUserMapping,
    [property: JsonPropertyName("externalItemIds")] bool HasItemMapping)
{
    public static DatasetSummary Of(MmrecDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var t = data.Interactions;
        TimeRange? range = null;
        if (t.Timestamps is { Length: > 0 } ts)
        {
            range = new TimeRange(DateTimeOffset.FromUnixTimeSeconds(ts.Min()), DateTimeOffset.FromUnixTimeSeconds(ts.Max()));
        }

        SortedDictionary<string, int>? histogram = null;
        if (t.Ratings is { } ratings)
        {
            histogram = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var r in ratings)
            {
                var key = r.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
                histogram[key] = histogram.GetValueOrDefault(key) + 1;
            }
        }

        return new DatasetSummary(
            data.Name,
            data.UserCount,
            data.ItemCount,
            t.Count,
            data.Sparsity,
            new SplitSizes(t.CountIn(SplitLabel.Train), t.CountIn(SplitLabel.Validation), t.CountIn(SplitLabel.Test)),
            range,
            histogram,
            data.Features.ToDictionary(f => f.Modality, f => f.Width),
            data.UserExternalIds is not null,
            data.ItemExternalIds is not null);
    }
}

public sealed record SplitSizes(
    [property: JsonPropertyName("train")] int Train,
    [property: JsonPropertyName("validation")] int Validation,
    [property: JsonPropertyName("test")] int Test);

public sealed record TimeRange(
    [property: JsonPropertyName("first")] DateTimeOffset First,
    [property: JsonPropertyName("last")] DateTimeOffset Last);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(DatasetSummary))]
public sealed partial class DatasetSummaryJsonContext : JsonSerializerContext;

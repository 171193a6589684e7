using Spumr.Core.Data;
using Spumr.Core.Events;

namespace Spumr.Ingest.Replay;

/// <summary>
/// A data set as the event sequence a replay sends: one feature event per item and modality, then
/// the chosen interactions in timestamp order (ties by user, then item, in the data set's ids).
/// Event ids derive from the data set name and the row (<c>baby/inter/1042</c>,
/// <c>baby/image/17</c>), so replaying again, or <c>all</c> after <c>train</c>, repeats the same ids
/// and Ingest drops the repeats. External ids from the mapping files are used when present.
/// </summary>
public sealed class ReplayPlan
{
    private readonly MmrecDataset _data;
    private readonly int[] _rows;
    private readonly long _fallbackTimestamp;

    private ReplayPlan(MmrecDataset data, int[] rows, long fallbackTimestamp)
    {
        _data = data;
        _rows = rows;
        _fallbackTimestamp = fallbackTimestamp;
    }

    public string DataSetName => _data.Name;

    public int FeatureEventCount => _data.ItemCount * _data.Features.Count;

    public int InteractionCount => _rows.Length;

    public long TotalEvents => (long)FeatureEventCount + InteractionCount;

    /// <summary>False when the data set has no timestamp column; such a replay can only run at full speed.</summary>
    public bool HasTimestamps => _data.Interactions.Timestamps is not null;

    /// <summary>The modalities and widths the feature events carry (what Ingest must be configured with).</summary>
    public IReadOnlyDictionary<string, int> ModalityWidths => _data.Features.ToDictionary(f => f.Modality, f => f.Width, StringComparer.Ordinal);

    /// <param name="fallbackTimestamp">Unix seconds stamped on every interaction of a data set
    /// without timestamps (the replay's start, typically).</param>
    public static ReplayPlan Create(MmrecDataset data, ReplaySplit split, long fallbackTimestamp)
    {
        ArgumentNullException.ThrowIfNull(data);
        var table = data.Interactions;
        var rows = Enumerable.Range(0, table.Count)
            .Where(r => split == ReplaySplit.All || table.Splits[r] == SplitLabel.Train)
            .ToArray();
        var timestamps = table.Timestamps;
        Array.Sort(rows, (a, b) =>
        {
            var byTime = timestamps is null ? 0 : timestamps[a].CompareTo(timestamps[b]);
            if (byTime != 0)
            {
                return byTime;
            }

            var byUser = table.Users[a].CompareTo(table.Users[b]);
            return byUser != 0 ? byUser : table.Items[a].CompareTo(table.Items[b]);
        });
        return new ReplayPlan(data, rows, fallbackTimestamp);
    }

    /// <summary>Every item's vector in every modality, item by item.</summary>
    public IEnumerable<ItemFeaturesEvent> FeatureEvents()
    {
        for (var item = 0; item < _data.ItemCount; item++)
        {
            var itemId = _data.ItemExternalId(item);
            foreach (var features in _data.Features)
            {
                yield return new ItemFeaturesEvent($"{_data.Name}/{features.Modality}/{item}", itemId, features.Modality, features.Row(item).ToArray());
            }
        }
    }

    /// <summary>The interaction at a position of the replay order.</summary>
    public InteractionEvent Interaction(int position)
    {
        var row = _rows[position];
        var table = _data.Interactions;
        return new InteractionEvent(
            $"{_data.Name}/inter/{row}",
            _data.UserExternalId(table.Users[row]),
            _data.ItemExternalId(table.Items[row]),
            table.Timestamps?[row] ?? _fallbackTimestamp,
            table.Ratings?[row]);
    }

    /// <summary>Data time of an interaction (Unix seconds), for pacing.</summary>
    public long TimestampAt(int position) => _data.Interactions.Timestamps?[_rows[position]] ?? _fallbackTimestamp;
}

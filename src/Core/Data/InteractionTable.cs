namespace Spumr.Core.Data;

/// <summary>
/// The rows of an MMRec <c>.inter</c> file, column by column. Ids are the data set's dense
/// internal ids (0..n-1). Ratings and timestamps are null when the file has no such column.
/// </summary>
public sealed class InteractionTable
{
    public InteractionTable(int[] users, int[] items, SplitLabel[] splits, float[]? ratings = null, long[]? timestamps = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(splits);
        if (items.Length != users.Length || splits.Length != users.Length
            || (ratings is not null && ratings.Length != users.Length)
            || (timestamps is not null && timestamps.Length != users.Length))
        {
            throw new ArgumentException("All interaction columns must have the same length.");
        }

        Users = users;
        Items = items;
        Splits = splits;
        Ratings = ratings;
        Timestamps = timestamps;
    }

    public int Count => Users.Length;

    public int[] Users { get; }

    public int[] Items { get; }

    public SplitLabel[] Splits { get; }

    public float[]? Ratings { get; }

    /// <summary>Unix seconds.</summary>
    public long[]? Timestamps { get; }

    public int CountIn(SplitLabel split)
    {
        var n = 0;
        foreach (var s in Splits)
        {
            if (s == split)
            {
                n++;
            }
        }

        return n;
    }
}

namespace Spumr.Core.Data;

/// <summary>
/// A user's items in one split, in compressed-row form: the items of user u are
/// <c>Items[Offsets[u]..Offsets[u + 1]]</c>, sorted ascending.
/// </summary>
public sealed class UserItemMatrix
{
    private UserItemMatrix(int userCount, int itemCount, int[] offsets, int[] items)
    {
        UserCount = userCount;
        ItemCount = itemCount;
        Offsets = offsets;
        Items = items;
    }

    public int UserCount { get; }

    public int ItemCount { get; }

    public int[] Offsets { get; }

    public int[] Items { get; }

    public int NonZeroCount => Items.Length;

    public ReadOnlySpan<int> ItemsOf(int user) => Items.AsSpan(Offsets[user], Offsets[user + 1] - Offsets[user]);

    public int CountOf(int user) => Offsets[user + 1] - Offsets[user];

    public bool Contains(int user, int item) => ItemsOf(user).BinarySearch(item) >= 0;

    /// <summary>Builds the matrix from the rows of <paramref name="table"/> whose split is in <paramref name="splits"/>.</summary>
    public static UserItemMatrix FromTable(InteractionTable table, int userCount, int itemCount, params SplitLabel[] splits)
    {
        ArgumentNullException.ThrowIfNull(table);
        Span<bool> wanted = stackalloc bool[3];
        foreach (var s in splits)
        {
            wanted[(int)s] = true;
        }

        var pairs = new List<(int User, int Item)>(table.Count);
        for (var r = 0; r < table.Count; r++)
        {
            if (wanted[(int)table.Splits[r]])
            {
                pairs.Add((table.Users[r], table.Items[r]));
            }
        }

        return FromPairs(pairs, userCount, itemCount);
    }

    /// <summary>Builds the matrix from (user, item) pairs; duplicates are kept once.</summary>
    public static UserItemMatrix FromPairs(IReadOnlyList<(int User, int Item)> pairs, int userCount, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var offsets = new int[userCount + 1];
        foreach (var (u, i) in pairs)
        {
            if ((uint)u >= (uint)userCount || (uint)i >= (uint)itemCount)
            {
                throw new ArgumentOutOfRangeException(nameof(pairs), $"Pair ({u}, {i}) is outside {userCount} users x {itemCount} items.");
            }

            offsets[u + 1]++;
        }

        for (var u = 0; u < userCount; u++)
        {
            offsets[u + 1] += offsets[u];
        }

        var items = new int[pairs.Count];
        var cursor = (int[])offsets.Clone();
        foreach (var (u, i) in pairs)
        {
            items[cursor[u]++] = i;
        }

        // Sort each row and drop repeated items so membership tests can binary-search.
        var write = 0;
        var newOffsets = new int[userCount + 1];
        for (var u = 0; u < userCount; u++)
        {
            var row = items.AsSpan(offsets[u], offsets[u + 1] - offsets[u]);
            row.Sort();
            var last = -1;
            foreach (var i in row)
            {
                if (i != last)
                {
                    items[write++] = i;
                    last = i;
                }
            }

            newOffsets[u + 1] = write;
        }

        return new UserItemMatrix(userCount, itemCount, newOffsets, write == items.Length ? items : items[..write]);
    }
}

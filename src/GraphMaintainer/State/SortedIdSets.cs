using System.Runtime.InteropServices;
using Spumr.GraphMaintainer.Graphs;

namespace Spumr.GraphMaintainer.State;

/// <summary>A growing family of sorted id sets (each user's items, or each item's users).</summary>
internal sealed class SortedIdSets : ISetFamily
{
    private readonly List<List<int>> _sets = [];

    public int Count => _sets.Count;

    public int TotalSize { get; private set; }

    public ReadOnlySpan<int> SetOf(int row) => CollectionsMarshal.AsSpan(_sets[row]);

    public void EnsureRows(int rows)
    {
        while (_sets.Count < rows)
        {
            _sets.Add([]);
        }
    }

    /// <summary>Adds <paramref name="id"/> to the set of <paramref name="row"/>; false if it was there.</summary>
    public bool Add(int row, int id)
    {
        var set = _sets[row];
        var at = set.BinarySearch(id);
        if (at >= 0)
        {
            return false;
        }

        set.Insert(~at, id);
        TotalSize++;
        return true;
    }

    /// <summary>The sets in compressed-row form.</summary>
    public (int[] Offsets, int[] Members) ToCsr()
    {
        var offsets = new int[Count + 1];
        var members = new int[TotalSize];
        for (var r = 0; r < Count; r++)
        {
            var set = SetOf(r);
            set.CopyTo(members.AsSpan(offsets[r]));
            offsets[r + 1] = offsets[r] + set.Length;
        }

        return (offsets, members);
    }
}

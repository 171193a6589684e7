using Spumr.GraphMaintainer.Graphs;

namespace Spumr.GraphMaintainer.State;

/// <summary>
/// One modality's part of the state: raw item vectors (and which items have one), their unit
/// vectors, the users' unit profiles, and the item and user neighbour lists of that modality.
/// </summary>
internal sealed class ModalStore
{
    private readonly GrowableMatrix _raw;
    private readonly PanelMatrix _itemUnit;
    private readonly PanelMatrix _userUnit;
    private bool[] _present = [];

    public ModalStore(ModalitySpec spec, int k, int capacity)
    {
        Spec = new ModalitySpec(spec.Name, spec.Width);
        _raw = new GrowableMatrix(spec.Width);
        _itemUnit = new PanelMatrix(spec.Width);
        _userUnit = new PanelMatrix(spec.Width);
        ItemLists = new MaintainedNeighborLists(k, capacity);
        UserLists = new MaintainedNeighborLists(k, capacity);
        ItemRows = new CosineRows(_itemUnit);
        UserRows = new CosineRows(_userUnit);
    }

    public ModalitySpec Spec { get; }

    public bool[] Present => _present;

    public MaintainedNeighborLists ItemLists { get; }

    public MaintainedNeighborLists UserLists { get; }

    public RowSimilarity ItemRows { get; }

    public RowSimilarity UserRows { get; }

    public ReadOnlySpan<float> RawRow(int item) => _raw.Row(item);

    public void EnsureRows(int users, int items)
    {
        _raw.EnsureRows(items);
        _itemUnit.EnsureRows(items);
        _userUnit.EnsureRows(users);
        if (_present.Length < items)
        {
            Array.Resize(ref _present, Math.Max(items, _present.Length * 2));
        }

        ItemLists.EnsureRows(items);
        UserLists.EnsureRows(users);
    }

    /// <summary>Stores an item's vector; false when it already had exactly this vector.</summary>
    public bool SetVector(int item, ReadOnlySpan<float> vector)
    {
        var row = _raw.Row(item);
        if (_present[item] && BitwiseEqual(row, vector))
        {
            return false;
        }

        vector.CopyTo(row);
        _present[item] = true;
        return true;
    }

    /// <summary>Recomputes the unit vectors of <paramref name="items"/>.</summary>
    public void RefreshItems(int[] items, int workers)
    {
        var blocks = (items.Length + 63) / 64;
        ParallelLoop.For(blocks, workers, b =>
        {
            var unit = new float[Spec.Width];
            for (var i = b * 64; i < Math.Min(items.Length, (b + 1) * 64); i++)
            {
                var item = items[i];
                if (_present[item] && UnitVectors.Normalize(_raw.Row(item), unit))
                {
                    _itemUnit.SetRow(item, unit);
                }
                else
                {
                    _itemUnit.ClearRow(item);
                }
            }
        });
    }

    /// <summary>Recomputes the unit profiles of <paramref name="users"/> from their item sets, as the batch builder does.</summary>
    public void RefreshProfiles(int[] users, SortedIdSets userItems, int workers)
    {
        var features = ToFeatures(_raw.Rows);
        var blocks = (users.Length + 63) / 64;
        ParallelLoop.For(blocks, workers, b =>
        {
            var sum = new float[Spec.Width];
            var unit = new float[Spec.Width];
            for (var i = b * 64; i < Math.Min(users.Length, (b + 1) * 64); i++)
            {
                var user = users[i];
                if (UnitVectors.SumProfile(userItems.SetOf(user), features, sum) > 0 && UnitVectors.Normalize(sum, unit))
                {
                    _userUnit.SetRow(user, unit);
                }
                else
                {
                    _userUnit.ClearRow(user);
                }
            }
        });
    }

    public ModalFeatures ToFeatures(int items) => new(Spec.Name, Spec.Width, items, _raw.Data, _present);

    private static bool BitwiseEqual(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        => System.Runtime.InteropServices.MemoryMarshal.AsBytes(a).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b));
}

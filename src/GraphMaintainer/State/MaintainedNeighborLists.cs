using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Spumr.GraphMaintainer.Graphs;

namespace Spumr.GraphMaintainer.State;

/// <summary>
/// One graph's neighbour lists, kept exact under changes by repair instead of rebuild.
/// <para>
/// Each row keeps up to <c>capacity</c> (≥ k) members in rank order and a floor key F: every
/// row that is not a member ranks at or below F. The floor "none" (weight 0, id -1) means every
/// row with a positive weight is a member. A row's served top-k (its first k members) is exact
/// when F is none or at least k members rank above F; members that fall to F or below are dropped.
/// </para>
/// <para>
/// A repair is given the rows whose similarities to everyone changed (their vectors or sets
/// changed). It recomputes those rows whole, then tells every other row the new weight of each
/// changed row that is its member (found through the inbound index) or that now ranks above its
/// floor. A row whose list then cannot prove its top-k (too few members above F) is rescanned
/// whole. The spare capacity absorbs most decreases, so rescans are rare.
/// </para>
/// </summary>
internal sealed class MaintainedNeighborLists
{
    private const int NoFloorId = -1;

    [ThreadStatic]
    private static List<Emission>? _threadEmissions;

    private readonly int _k;
    private readonly int _capacity;
    private int _rows;
    private int[] _ids = [];
    private float[] _weights = [];
    private int[] _counts = [];
    private float[] _floorWeight = [];
    private int[] _floorId = [];
    private int[][] _inbound = [];
    private int[] _inboundCount = [];
    private int[] _changedIndex = [];

    public MaintainedNeighborLists(int k, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, k);
        _k = k;
        _capacity = capacity;
    }

    public int Rows => _rows;

    public int K => _k;

    public int Capacity => _capacity;

    public int CountOf(int row) => _counts[row];

    public ReadOnlySpan<int> IdsOf(int row) => _ids.AsSpan(row * _capacity, _counts[row]);

    public ReadOnlySpan<float> WeightsOf(int row) => _weights.AsSpan(row * _capacity, _counts[row]);

    public (float Weight, int Id) FloorOf(int row) => (_floorWeight[row], _floorId[row]);

    /// <summary>Adds empty rows (no members, floor none: right for rows that have no similarities yet).</summary>
    public void EnsureRows(int rows)
    {
        if (rows <= _rows)
        {
            return;
        }

        if (rows > _counts.Length)
        {
            var size = Math.Max(rows, Math.Max(16, _counts.Length * 2));
            Array.Resize(ref _ids, size * _capacity);
            Array.Resize(ref _weights, size * _capacity);
            Array.Resize(ref _counts, size);
            Array.Resize(ref _floorWeight, size);
            Array.Resize(ref _floorId, size);
            Array.Resize(ref _inbound, size);
            Array.Resize(ref _inboundCount, size);
            var old = _changedIndex.Length;
            Array.Resize(ref _changedIndex, size);
            _changedIndex.AsSpan(old).Fill(-1);
        }

        for (var r = _rows; r < rows; r++)
        {
            _counts[r] = 0;
            _floorWeight[r] = 0f;
            _floorId[r] = NoFloorId;
            _inbound[r] ??= [];
            _inboundCount[r] = 0;
        }

        _rows = rows;
    }

    /// <summary>Sets a row's members and floor as stored (snapshot load); the inbound index follows.</summary>
    public void Restore(int row, ReadOnlySpan<int> ids, ReadOnlySpan<float> weights, float floorWeight, int floorId)
    {
        if (ids.Length > _capacity)
        {
            throw new ArgumentException($"Row {row} has {ids.Length} members; capacity is {_capacity}.", nameof(ids));
        }

        SetList(row, ids, weights, floorWeight, floorId, null);
    }

    /// <summary>The served lists: each row's first min(k, count) members, in rank order.</summary>
    public CsrGraph ToCsr()
    {
        var offsets = new int[_rows + 1];
        for (var r = 0; r < _rows; r++)
        {
            offsets[r + 1] = offsets[r] + Math.Min(_k, _counts[r]);
        }

        var columns = new int[offsets[_rows]];
        var values = new float[offsets[_rows]];
        for (var r = 0; r < _rows; r++)
        {
            var n = offsets[r + 1] - offsets[r];
            _ids.AsSpan(r * _capacity, n).CopyTo(columns.AsSpan(offsets[r]));
            _weights.AsSpan(r * _capacity, n).CopyTo(values.AsSpan(offsets[r]));
        }

        return new CsrGraph(_rows, _rows, offsets, columns, values);
    }

    /// <summary>
    /// Repairs every list after the rows in <paramref name="changed"/> (distinct) changed. Adds to
    /// <paramref name="servedChanged"/> each row whose served top-k changed.
    /// </summary>
    public RepairStats Repair(RowSimilarity source, int[] changed, int workers, HashSet<int> servedChanged)
    {
        if (changed.Length == 0)
        {
            return default;
        }

        if (source.RowCount != _rows)
        {
            throw new InvalidOperationException($"Similarity source has {source.RowCount} rows, lists have {_rows}.");
        }

        for (var i = 0; i < changed.Length; i++)
        {
            _changedIndex[changed[i]] = i;
        }

        try
        {
            var stride = _capacity + 1;
            var rebuiltIds = new int[changed.Length * stride];
            var rebuiltWeights = new float[changed.Length * stride];
            var rebuiltCounts = new int[changed.Length];
            var emissions = new List<Emission>();
            source.ForEachRow(changed, (row, values, nonZeros, sparse) =>
            {
                var slot = _changedIndex[row];
                rebuiltCounts[slot] = RowSelect.Top(row, values, nonZeros, sparse, rebuiltIds.AsSpan(slot * stride, stride), rebuiltWeights.AsSpan(slot * stride, stride));
                var local = _threadEmissions ??= [];
                local.Clear();
                CollectEmissions(row, values, nonZeros, sparse, local);
                if (local.Count > 0)
                {
                    lock (emissions)
                    {
                        emissions.AddRange(local);
                    }
                }
            }, workers);

            for (var i = 0; i < changed.Length; i++)
            {
                SetFromSelection(changed[i], rebuiltIds.AsSpan(i * stride, rebuiltCounts[i]), rebuiltWeights.AsSpan(i * stride, rebuiltCounts[i]), servedChanged);
            }

            var dirty = ApplyEmissions(emissions, servedChanged);
            if (dirty.Count > 0)
            {
                Rescan(source, [.. dirty], workers, servedChanged);
            }

            return new RepairStats(changed.Length, dirty.Count, emissions.Count);
        }
        finally
        {
            foreach (var row in changed)
            {
                _changedIndex[row] = -1;
            }
        }
    }

    /// <summary>Rows <paramref name="row"/> must tell: lists it is a member of, and lists whose floor it now beats.</summary>
    private void CollectEmissions(int row, ReadOnlySpan<float> values, ReadOnlySpan<int> nonZeros, bool sparse, List<Emission> output)
    {
        var inbound = _inbound[row].AsSpan(0, _inboundCount[row]);
        foreach (var v in inbound)
        {
            if (_changedIndex[v] < 0)
            {
                output.Add(new Emission(v, row, values[v]));
            }
        }

        if (sparse)
        {
            foreach (var v in nonZeros)
            {
                TryCandidate(row, v, values[v], output);
            }

            return;
        }

        // Dense: the floor test Precedes(w, row, floor) in vector form, so only real candidates reach the scalar checks.
        var n = values.Length;
        ref var w0 = ref MemoryMarshal.GetReference(values);
        ref var f0 = ref MemoryMarshal.GetArrayDataReference(_floorWeight);
        ref var id0 = ref MemoryMarshal.GetArrayDataReference(_floorId);
        var self = Vector512.Create(row);
        var v0 = 0;
        for (; v0 + 16 <= n; v0 += 16)
        {
            var w = Vector512.LoadUnsafe(ref w0, (nuint)v0);
            var f = Vector512.LoadUnsafe(ref f0, (nuint)v0);
            var beats = Vector512.GreaterThan(w, f) | (Vector512.Equals(w, f) & Vector512.GreaterThan(Vector512.LoadUnsafe(ref id0, (nuint)v0), self).AsSingle());
            var mask = (beats & Vector512.GreaterThan(w, Vector512<float>.Zero)).ExtractMostSignificantBits();
            while (mask != 0)
            {
                var v = v0 + BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                TryCandidate(row, v, values[v], output);
            }
        }

        for (var v = v0; v < n; v++)
        {
            TryCandidate(row, v, values[v], output);
        }
    }

    private void TryCandidate(int row, int v, float weight, List<Emission> output)
    {
        if (v == row || _changedIndex[v] >= 0 || !(weight > 0f) || !NeighborOrder.Precedes(weight, row, _floorWeight[v], _floorId[v]))
        {
            return;
        }

        if (_ids.AsSpan(v * _capacity, _counts[v]).Contains(row))
        {
            return; // a member: already told through the inbound index
        }

        output.Add(new Emission(v, row, weight));
    }

    private HashSet<int> ApplyEmissions(List<Emission> emissions, HashSet<int> servedChanged)
    {
        var dirty = new HashSet<int>();
        if (emissions.Count == 0)
        {
            return dirty;
        }

        CollectionsMarshal.AsSpan(emissions).Sort(static (a, b) => a.Receiver != b.Receiver ? a.Receiver.CompareTo(b.Receiver) : a.From.CompareTo(b.From));
        var ids = new int[_capacity + emissions.Count];
        var weights = new float[_capacity + emissions.Count];
        var start = 0;
        while (start < emissions.Count)
        {
            var v = emissions[start].Receiver;
            var end = start;
            while (end < emissions.Count && emissions[end].Receiver == v)
            {
                end++;
            }

            var count = _counts[v];
            _ids.AsSpan(v * _capacity, count).CopyTo(ids);
            _weights.AsSpan(v * _capacity, count).CopyTo(weights);
            for (var e = start; e < end; e++)
            {
                var at = ids.AsSpan(0, count).IndexOf(emissions[e].From);
                if (at >= 0)
                {
                    weights[at] = emissions[e].Weight;
                }
                else
                {
                    ids[count] = emissions[e].From;
                    weights[count++] = emissions[e].Weight;
                }
            }

            // Members at or below the floor may be outranked by rows we do not track: drop them.
            var floorWeight = _floorWeight[v];
            var floorId = _floorId[v];
            var kept = 0;
            for (var i = 0; i < count; i++)
            {
                if (weights[i] > 0f && NeighborOrder.Precedes(weights[i], ids[i], floorWeight, floorId))
                {
                    ids[kept] = ids[i];
                    weights[kept++] = weights[i];
                }
            }

            RankedList.Sort(ids.AsSpan(0, kept), weights.AsSpan(0, kept));
            if (kept > _capacity)
            {
                // The best evicted entry bounds every row outside the list from now on.
                floorWeight = weights[_capacity];
                floorId = ids[_capacity];
                kept = _capacity;
            }

            SetList(v, ids.AsSpan(0, kept), weights.AsSpan(0, kept), floorWeight, floorId, servedChanged);
            if (floorId != NoFloorId && kept < _k)
            {
                dirty.Add(v);
            }

            start = end;
        }

        return dirty;
    }

    private void Rescan(RowSimilarity source, int[] rows, int workers, HashSet<int> servedChanged)
    {
        var stride = _capacity + 1;
        var ids = new int[rows.Length * stride];
        var weights = new float[rows.Length * stride];
        var counts = new int[rows.Length];
        var slotOf = new Dictionary<int, int>(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            slotOf[rows[i]] = i;
        }

        source.ForEachRow(rows, (row, values, nonZeros, sparse) =>
        {
            var slot = slotOf[row];
            counts[slot] = RowSelect.Top(row, values, nonZeros, sparse, ids.AsSpan(slot * stride, stride), weights.AsSpan(slot * stride, stride));
        }, workers);
        for (var i = 0; i < rows.Length; i++)
        {
            SetFromSelection(rows[i], ids.AsSpan(i * stride, counts[i]), weights.AsSpan(i * stride, counts[i]), servedChanged);
        }
    }

    /// <summary>Installs a whole-row selection of up to capacity + 1 entries: the extra one becomes the floor.</summary>
    private void SetFromSelection(int row, ReadOnlySpan<int> ids, ReadOnlySpan<float> weights, HashSet<int> servedChanged)
    {
        if (ids.Length > _capacity)
        {
            SetList(row, ids[.._capacity], weights[.._capacity], weights[_capacity], ids[_capacity], servedChanged);
        }
        else
        {
            SetList(row, ids, weights, 0f, NoFloorId, servedChanged);
        }
    }

    private void SetList(int row, ReadOnlySpan<int> ids, ReadOnlySpan<float> weights, float floorWeight, int floorId, HashSet<int>? servedChanged)
    {
        var oldIds = _ids.AsSpan(row * _capacity, _counts[row]);
        var oldWeights = _weights.AsSpan(row * _capacity, _counts[row]);
        if (servedChanged is not null && !SameServed(oldIds, oldWeights, ids, weights))
        {
            servedChanged.Add(row);
        }

        foreach (var old in oldIds)
        {
            if (!ids.Contains(old))
            {
                RemoveInbound(old, row);
            }
        }

        foreach (var id in ids)
        {
            if (!oldIds.Contains(id))
            {
                AddInbound(id, row);
            }
        }

        ids.CopyTo(_ids.AsSpan(row * _capacity, _capacity));
        weights.CopyTo(_weights.AsSpan(row * _capacity, _capacity));
        _counts[row] = ids.Length;
        _floorWeight[row] = floorWeight;
        _floorId[row] = floorId;
    }

    private bool SameServed(ReadOnlySpan<int> oldIds, ReadOnlySpan<float> oldWeights, ReadOnlySpan<int> ids, ReadOnlySpan<float> weights)
    {
        var a = Math.Min(_k, oldIds.Length);
        var b = Math.Min(_k, ids.Length);
        if (a != b || !oldIds[..a].SequenceEqual(ids[..b]))
        {
            return false;
        }

        for (var i = 0; i < a; i++)
        {
            if (BitConverter.SingleToInt32Bits(oldWeights[i]) != BitConverter.SingleToInt32Bits(weights[i]))
            {
                return false;
            }
        }

        return true;
    }

    private void AddInbound(int member, int row)
    {
        var list = _inbound[member];
        var n = _inboundCount[member];
        if (n == list.Length)
        {
            Array.Resize(ref list, Math.Max(4, n * 2));
            _inbound[member] = list;
        }

        list[n] = row;
        _inboundCount[member] = n + 1;
    }

    private void RemoveInbound(int member, int row)
    {
        var list = _inbound[member];
        var n = _inboundCount[member];
        var at = list.AsSpan(0, n).IndexOf(row);
        list[at] = list[n - 1];
        _inboundCount[member] = n - 1;
    }

    private readonly record struct Emission(int Receiver, int From, float Weight);
}

/// <summary>What one repair did: rows recomputed because they changed, rows rescanned to restore exactness, and weights passed to other rows.</summary>
public readonly record struct RepairStats(int Recomputed, int Rescanned, int Updates);

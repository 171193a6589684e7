using System.Globalization;
using System.Text;

namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// A sparse graph in compressed-row form: the neighbours of row r are
/// <c>Columns[Offsets[r]..Offsets[r + 1]]</c> with weights <c>Values[...]</c>.
/// Top-k neighbour lists keep each row in rank order (<see cref="NeighborOrder"/>);
/// normalised adjacency matrices keep each row sorted by column.
/// </summary>
public sealed class CsrGraph
{
    public CsrGraph(int rowCount, int columnCount, int[] offsets, int[] columns, float[] values)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(columnCount);
        if (offsets.Length != rowCount + 1 || offsets[0] != 0 || offsets[rowCount] != columns.Length || values.Length != columns.Length)
        {
            throw new ArgumentException($"CSR arrays do not fit together: {rowCount} rows need {rowCount + 1} offsets ending at {columns.Length} columns and as many values.");
        }

        RowCount = rowCount;
        ColumnCount = columnCount;
        Offsets = offsets;
        Columns = columns;
        Values = values;
    }

    public int RowCount { get; }

    public int ColumnCount { get; }

    public int[] Offsets { get; }

    public int[] Columns { get; }

    public float[] Values { get; }

    public int NonZeroCount => Columns.Length;

    public int DegreeOf(int row) => Offsets[row + 1] - Offsets[row];

    public ReadOnlySpan<int> ColumnsOf(int row) => Columns.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    public ReadOnlySpan<float> ValuesOf(int row) => Values.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>
    /// Null when both graphs have the same shape, the same columns in the same order and
    /// bit-identical weights; otherwise a description of the first difference.
    /// </summary>
    public string? FirstDifference(CsrGraph other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (RowCount != other.RowCount || ColumnCount != other.ColumnCount)
        {
            return $"shape {RowCount}x{ColumnCount} vs {other.RowCount}x{other.ColumnCount}";
        }

        for (var r = 0; r < RowCount; r++)
        {
            var a = ColumnsOf(r);
            var b = other.ColumnsOf(r);
            var wa = ValuesOf(r);
            var wb = other.ValuesOf(r);
            var same = a.SequenceEqual(b);
            for (var i = 0; same && i < wa.Length; i++)
            {
                same = BitConverter.SingleToInt32Bits(wa[i]) == BitConverter.SingleToInt32Bits(wb[i]);
            }

            if (!same)
            {
                return $"row {r}: [{Describe(a, wa)}] vs [{Describe(b, wb)}]";
            }
        }

        return null;
    }

    private static string Describe(ReadOnlySpan<int> ids, ReadOnlySpan<float> weights)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < ids.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(CultureInfo.InvariantCulture, $"{ids[i]}:{weights[i]:R}");
        }

        return sb.ToString();
    }
}
